//! RFC 2047 encoded words, decoded the way senders actually write them.
//!
//! Bulk mailers split a long subject into several encoded words at fixed byte counts, so
//! one word can end in the middle of a UTF-8 or Shift_JIS character that the next word
//! completes. Decoding each word alone yields U+FFFD; the bytes of adjacent words in the
//! same charset are joined before decoding.

use encoding_rs::Encoding;

use super::charset;
use super::transfer;

/// Decodes the encoded words of a header value; text between them is kept, white space
/// between two adjacent words is dropped (RFC 2047 §6.2).
pub(crate) fn decode(value: &str) -> String {
    let mut out = String::new();
    // Bytes of the run of adjacent words being joined, and their charset.
    let mut run: Option<(String, Vec<u8>)> = None;
    let mut rest = value;
    while !rest.is_empty() {
        match next_word(rest) {
            Some((before, word, after)) => {
                let continues = run.is_some() && before.trim().is_empty();
                if !continues {
                    flush(&mut out, &mut run);
                    out.push_str(before);
                }
                match &mut run {
                    Some((charset, bytes))
                        if continues && charset.eq_ignore_ascii_case(&word.charset) =>
                    {
                        bytes.extend_from_slice(&word.bytes);
                    }
                    _ => {
                        flush(&mut out, &mut run);
                        run = Some((word.charset, word.bytes));
                    }
                }
                rest = after;
            }
            None => {
                flush(&mut out, &mut run);
                out.push_str(rest);
                break;
            }
        }
    }
    flush(&mut out, &mut run);
    out
}

struct Word {
    charset: String,
    bytes: Vec<u8>,
}

/// The next `=?charset?B|Q?text?=`: the text before it, the word, the text after it.
fn next_word(text: &str) -> Option<(&str, Word, &str)> {
    let mut from = 0;
    while let Some(offset) = text[from..].find("=?") {
        let start = from + offset;
        let inner = &text[start + 2..];
        let parsed = (|| {
            let (raw_charset, rest) = inner.split_once('?')?;
            let (encoding, rest) = rest.split_once('?')?;
            let end = rest.find("?=")?;
            let payload = &rest[..end];
            if raw_charset.is_empty()
                || raw_charset.contains(char::is_whitespace)
                || payload.contains(' ')
            {
                return None;
            }
            let bytes = match encoding {
                "B" | "b" => transfer::base64(payload.as_bytes()),
                "Q" | "q" => transfer::quoted_printable(payload.replace('_', " ").as_bytes()),
                _ => return None,
            };
            let consumed = 2 + raw_charset.len() + 1 + encoding.len() + 1 + payload.len() + 2;
            // RFC 2231 adds a language: `utf-8*ja`.
            let charset = raw_charset
                .split('*')
                .next()
                .unwrap_or(raw_charset)
                .to_string();
            Some((Word { charset, bytes }, start + consumed))
        })();
        match parsed {
            Some((word, end)) => return Some((&text[..start], word, &text[end..])),
            None => from = start + 2,
        }
    }
    None
}

fn flush(out: &mut String, run: &mut Option<(String, Vec<u8>)>) {
    if let Some((label, bytes)) = run.take() {
        match Encoding::for_label(label.as_bytes()) {
            Some(encoding) => out.push_str(&encoding.decode_without_bom_handling(&bytes).0),
            None => out.push_str(&charset::decode(&bytes, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_words_split_inside_a_character() {
        // "アカウント" in UTF-8, split after the 7th byte, inside "ウ".
        let bytes = "アカウント".as_bytes();
        let b64 = |b: &[u8]| {
            use std::fmt::Write;
            let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut s = String::new();
            for chunk in b.chunks(3) {
                let n = chunk.iter().fold(0u32, |a, &x| a << 8 | u32::from(x))
                    << (8 * (3 - chunk.len()));
                for i in 0..4 {
                    if i <= chunk.len() {
                        s.push(table[(n >> (18 - 6 * i) & 63) as usize] as char);
                    } else {
                        let _ = write!(s, "=");
                    }
                }
            }
            s
        };
        let header = format!(
            "=?UTF-8?B?{}?=\r\n =?utf-8?B?{}?=",
            b64(&bytes[..7]),
            b64(&bytes[7..])
        );
        assert_eq!(decode(&header), "アカウント");
    }

    #[test]
    fn keeps_plain_text_and_decodes_q_words() {
        assert_eq!(
            decode("Re: =?ISO-2022-JP?B?GyRCJCpDTiRpJDsbKEI=?= (1)"),
            "Re: お知らせ (1)"
        );
        assert_eq!(decode("=?utf-8?Q?=E3=81=82_=E3=81=84?="), "あ い");
        assert_eq!(decode("no words here"), "no words here");
        assert_eq!(decode("=?broken"), "=?broken");
    }
}
