//! Text for people's terminals. A mail's own words (subject, body, link text, file names)
//! must never drive the terminal: ESC sequences can clear the screen or write the clipboard
//! (OSC 52), and a line break in a file name would forge a second result line. JSON output
//! is escaped by serde_json and needs none of this.

use std::borrow::Cow;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

/// The terminal cells `text` takes: two for East Asian wide and fullwidth characters (kana,
/// kanji, fullwidth forms), none for combining marks, one otherwise. Every column that is
/// padded for people uses this, so that Japanese lines up with ASCII.
pub fn display_width(text: &str) -> usize {
    text.width()
}

/// Whether a character would act on the terminal instead of showing: C0 and C1 controls,
/// DEL, and the bidirectional overrides and isolates that reorder what is shown.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape(c: char, out: &mut String) {
    out.push_str(&format!("\\u{{{:x}}}", c as u32));
}

/// One line of output: every control character, line breaks and tabs included, shown as an
/// escape (`\u{1b}`).
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Several lines of output: as [`one_line`], but line breaks stay (our own messages span
/// lines).
pub fn lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| acts_on_terminal(c) && c != '\n') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(|line| one_line(line).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A writer for human output that shows every control character but line breaks and tabs as
/// an escape, whatever text is written through it.
pub struct Escaped<W: Write> {
    inner: W,
    /// Bytes of a character cut between two writes.
    pending: Vec<u8>,
}

impl<W: Write> Escaped<W> {
    pub fn new(inner: W) -> Self {
        Escaped {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            // An incomplete character at the end waits for the next write; invalid bytes
            // (never produced by our formatting) are shown as U+FFFD.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        let text = String::from_utf8_lossy(&self.pending[..valid]).into_owned();
        let mut shown = String::with_capacity(text.len());
        for c in text.chars() {
            if acts_on_terminal(c) && c != '\n' && c != '\t' {
                escape(c, &mut shown);
            } else {
                shown.push(c);
            }
        }
        self.inner.write_all(shown.as_bytes())?;
        self.pending.drain(..valid);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            self.inner.write_all(one_line(&rest).as_bytes())?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(one_line("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\\u{a}c");
        assert_eq!(one_line("普通の件名"), "普通の件名");
        let mut out = Escaped::new(Vec::new());
        write!(
            out,
            "件名\u{1b}]52;c;ZXZpbA==\u{7}\n本文\u{202e}txt.exe\u{85}"
        )
        .unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "件名\\u{1b}]52;c;ZXZpbA==\\u{7}\n本文\\u{202e}txt.exe\\u{85}"
        );
    }

    #[test]
    fn display_widths() {
        for (text, cells) in [
            ("abc", 3),
            ("当選詐欺", 8),
            ("カタカナ", 8),
            ("ｶﾀｶﾅ", 4),       // halfwidth katakana
            ("Ａ", 2),         // fullwidth
            ("か\u{3099}", 2), // combining dakuten
            ("café", 4),       // Latin beyond ASCII is one cell
            ("subject:至急", 12),
        ] {
            assert_eq!(display_width(text), cells, "{text:?}");
        }
    }

    #[test]
    fn a_character_cut_between_writes_is_kept_whole() {
        let mut out = Escaped::new(Vec::new());
        let bytes = "あ\u{1b}".as_bytes();
        out.write_all(&bytes[..1]).unwrap();
        out.write_all(&bytes[1..]).unwrap();
        out.flush().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "あ\\u{1b}");
    }
}
