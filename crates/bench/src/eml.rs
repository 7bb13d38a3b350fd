//! A generated mail as an RFC 5322 message, encoded the ways Japanese mail arrives.
//!
//! | transfer                 | share | headers                 | body                                 |
//! |--------------------------|-------|-------------------------|--------------------------------------|
//! | `Utf8Base64`             | 50 %  | `=?UTF-8?B?…?=`         | text/plain UTF-8, base64             |
//! | `Iso2022Jp`              | 25 %  | `=?ISO-2022-JP?B?…?=`   | text/plain ISO-2022-JP, 7bit         |
//! | `Utf8QuotedPrintable`    | 15 %  | `=?UTF-8?B?…?=`         | text/plain UTF-8, quoted-printable   |
//! | `Alternative`            | 10 %  | `=?UTF-8?B?…?=`         | multipart/alternative: plain + HTML  |
//!
//! A mail drawn for ISO-2022-JP whose text has a character outside JIS X 0208 (simplified
//! Chinese, an emoji) is written as UTF-8 base64 instead, as a mail program would fall back.
//! Lines end in CRLF; no line is longer than 998 bytes.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use encoding_rs::ISO_2022_JP;

use crate::mail::Mail;
use crate::random::Random;

/// How a mail's `.eml` form is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transfer {
    Utf8Base64,
    Iso2022Jp,
    Utf8QuotedPrintable,
    Alternative,
}

impl Transfer {
    /// Every transfer, in the order of the table above.
    pub(crate) const ALL: [Transfer; 4] = [
        Transfer::Utf8Base64,
        Transfer::Iso2022Jp,
        Transfer::Utf8QuotedPrintable,
        Transfer::Alternative,
    ];

    /// One transfer, with the shares of the table above.
    pub(crate) fn draw(random: &mut Random) -> Transfer {
        match random.below(100) {
            0..50 => Transfer::Utf8Base64,
            50..75 => Transfer::Iso2022Jp,
            75..90 => Transfer::Utf8QuotedPrintable,
            _ => Transfer::Alternative,
        }
    }

    /// A short name for summaries.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Transfer::Utf8Base64 => "utf-8 base64",
            Transfer::Iso2022Jp => "iso-2022-jp 7bit",
            Transfer::Utf8QuotedPrintable => "utf-8 quoted-printable",
            Transfer::Alternative => "multipart/alternative",
        }
    }
}

/// The longest line RFC 5322 allows, without its CRLF.
const MAX_LINE: usize = 998;
/// Bytes of text per encoded word, so that with its `=?charset?B?` and `?=` the word stays
/// within RFC 2047's 75 characters: 45 bytes are 60 base64 characters, 42 are 56.
const UTF8_WORD_BYTES: usize = 45;
const JIS_WORD_BYTES: usize = 42;

/// Writes `mail` as a message into `out` and returns the transfer it used, which differs
/// from the drawn one when ISO-2022-JP cannot carry the text.
pub(crate) fn write(mail: &Mail, out: &mut Vec<u8>) -> Transfer {
    let mut transfer = mail.transfer;
    let mut jis_body = Vec::new();
    if transfer == Transfer::Iso2022Jp && !iso_2022_jp(mail, &mut jis_body) {
        transfer = Transfer::Utf8Base64;
    }
    let charset = if transfer == Transfer::Iso2022Jp {
        Charset::Iso2022Jp
    } else {
        Charset::Utf8
    };

    let mut head = String::with_capacity(1024);
    let domain = mail
        .from_address
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d);
    let _ = write!(
        head,
        "Message-ID: <{}.{}@{domain}>\r\nDate: ",
        mail.id, mail.token
    );
    mail.date.rfc5322(&mut head);
    head.push_str("\r\nFrom: ");
    display_name(&mail.from_name, charset, &mut head);
    let _ = write!(
        head,
        " <{}>\r\nTo: {}\r\nSubject: ",
        mail.from_address, mail.to
    );
    unstructured(&mail.subject, charset, &mut head);
    head.push_str("\r\nMIME-Version: 1.0\r\n");

    match transfer {
        Transfer::Iso2022Jp => {
            head.push_str(
                "Content-Type: text/plain; charset=\"ISO-2022-JP\"\r\n\
                 Content-Transfer-Encoding: 7bit\r\n\r\n",
            );
            out.extend_from_slice(head.as_bytes());
            out.extend_from_slice(&jis_body);
        }
        Transfer::Utf8Base64 => {
            head.push_str(
                "Content-Type: text/plain; charset=\"UTF-8\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n",
            );
            base64_lines(crlf(&mail.body).as_bytes(), &mut head);
            out.extend_from_slice(head.as_bytes());
        }
        Transfer::Utf8QuotedPrintable => {
            head.push_str(
                "Content-Type: text/plain; charset=\"UTF-8\"\r\n\
                 Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            );
            quoted_printable(&mail.body, &mut head);
            out.extend_from_slice(head.as_bytes());
        }
        Transfer::Alternative => {
            let boundary = format!("=_alt_{}", mail.token);
            let _ = write!(
                head,
                "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n\
                 This is a multi-part message in MIME format.\r\n\r\n\
                 --{boundary}\r\n\
                 Content-Type: text/plain; charset=\"UTF-8\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n"
            );
            base64_lines(crlf(&mail.body).as_bytes(), &mut head);
            let _ = write!(
                head,
                "--{boundary}\r\n\
                 Content-Type: text/html; charset=\"UTF-8\"\r\n\
                 Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            );
            quoted_printable(&html(mail), &mut head);
            let _ = write!(head, "--{boundary}--\r\n");
            out.extend_from_slice(head.as_bytes());
        }
    }
    transfer
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Charset {
    Utf8,
    Iso2022Jp,
}

/// Encodes the body as ISO-2022-JP into `out`; false when a character of the subject, the
/// display name or the body has no JIS X 0208 code, or a line would be too long.
fn iso_2022_jp(mail: &Mail, out: &mut Vec<u8>) -> bool {
    for text in [&mail.subject, &mail.from_name] {
        let (_, _, unmappable) = ISO_2022_JP.encode(text);
        if unmappable {
            return false;
        }
    }
    let text = crlf(&mail.body);
    let (bytes, _, unmappable) = ISO_2022_JP.encode(&text);
    if unmappable || bytes.split(|&b| b == b'\n').any(|l| l.len() > MAX_LINE) {
        return false;
    }
    out.extend_from_slice(&bytes);
    out.extend_from_slice(b"\r\n");
    true
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// A From display name: a quoted string when ASCII, else encoded words.
fn display_name(name: &str, charset: Charset, out: &mut String) {
    if name.is_ascii() {
        out.push('"');
        for c in name.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        encoded_words(name, charset, out);
    }
}

/// An unstructured header value (Subject): as is when ASCII, else encoded words.
fn unstructured(text: &str, charset: Charset, out: &mut String) {
    if text.is_ascii() {
        out.push_str(text);
    } else {
        encoded_words(text, charset, out);
    }
}

/// RFC 2047 `B` encoded words, folded one to a line. Each word holds whole characters and,
/// in ISO-2022-JP, starts and ends in ASCII, so any word decodes on its own.
fn encoded_words(text: &str, charset: Charset, out: &mut String) {
    let (prefix, mut rest) = match charset {
        Charset::Utf8 => ("=?UTF-8?B?", text),
        Charset::Iso2022Jp => ("=?ISO-2022-JP?B?", text),
    };
    let mut first = true;
    while !rest.is_empty() {
        let (chunk, bytes) = next_word(rest, charset);
        if !first {
            out.push_str("\r\n ");
        }
        first = false;
        out.push_str(prefix);
        STANDARD.encode_string(&bytes, out);
        out.push_str("?=");
        rest = &rest[chunk..];
    }
}

/// How many bytes of `text` the next encoded word takes, and their encoded form.
fn next_word(text: &str, charset: Charset) -> (usize, Vec<u8>) {
    let mut end = 0;
    let mut encoded = Vec::new();
    for (i, c) in text.char_indices() {
        let candidate = i + c.len_utf8();
        match charset {
            Charset::Utf8 if candidate > UTF8_WORD_BYTES && end > 0 => break,
            Charset::Utf8 => {}
            Charset::Iso2022Jp => {
                // Escapes make the length depend on the neighbours: encode to know it.
                let bytes = ISO_2022_JP.encode(&text[..candidate]).0;
                if bytes.len() > JIS_WORD_BYTES && end > 0 {
                    break;
                }
                encoded = bytes.into_owned();
            }
        }
        end = candidate;
    }
    if charset == Charset::Utf8 {
        encoded = text.as_bytes()[..end].to_vec();
    }
    (end, encoded)
}

/// Base64 in lines of 76 characters.
fn base64_lines(bytes: &[u8], out: &mut String) {
    // 57 bytes are 76 characters.
    for chunk in bytes.chunks(57) {
        STANDARD.encode_string(chunk, out);
        out.push_str("\r\n");
    }
}

/// Quoted-printable (RFC 2045) of UTF-8 text, lines of at most 76 characters, soft breaks
/// between characters rather than inside one, as mail programs write it.
fn quoted_printable(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for line in text.split('\n') {
        let mut width = 0;
        for (i, c) in line.char_indices() {
            let last = i + c.len_utf8() == line.len();
            let literal = ('!'..='~').contains(&c) && c != '=' || (c == ' ' || c == '\t') && !last;
            let size = if literal { 1 } else { 3 * c.len_utf8() };
            // Leave room for the soft break's `=`.
            if width + size > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            if literal {
                out.push(c);
            } else {
                let mut bytes = [0; 4];
                for &b in c.encode_utf8(&mut bytes).as_bytes() {
                    out.push('=');
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0x0f)]));
                }
            }
            width += size;
        }
        out.push_str("\r\n");
    }
}

/// The HTML part of a multipart/alternative mail: a paragraph per paragraph, links as
/// anchors.
fn html(mail: &Mail) -> String {
    let mut html = String::with_capacity(mail.body.len() * 2);
    html.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>");
    escape(&mail.subject, &mut html);
    html.push_str("</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.6\">\n");
    for paragraph in mail.body.split("\n\n") {
        html.push_str("<p>");
        for (i, line) in paragraph.split('\n').enumerate() {
            if i > 0 {
                html.push_str("<br>\n");
            }
            linked(line, &mut html);
        }
        html.push_str("</p>\n");
    }
    html.push_str("</body></html>");
    html
}

/// A line with its URLs made anchors.
fn linked(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(start) = [rest.find("http://"), rest.find("https://")]
        .into_iter()
        .flatten()
        .min()
    {
        escape(&rest[..start], out);
        let url = &rest[start..];
        let end = url
            .find(|c: char| !c.is_ascii_graphic() || c == '<' || c == '"')
            .unwrap_or(url.len());
        let url = &url[..end];
        out.push_str("<a href=\"");
        escape(url, out);
        out.push_str("\">");
        escape(url, out);
        out.push_str("</a>");
        rest = &rest[start + end..];
    }
    escape(rest, out);
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_keeps_lines_short_and_escapes() {
        let mut out = String::new();
        quoted_printable(&"a=b \nお知らせ".repeat(20), &mut out);
        for line in out.split("\r\n") {
            assert!(line.len() <= 76, "{line}");
        }
        assert!(out.starts_with("a=3Db=20\r\n=E3=81=8A"), "{out}");
        // Soft breaks fall between characters: every line decodes to UTF-8 on its own.
        for line in out.split("\r\n") {
            let line = line.strip_suffix('=').unwrap_or(line);
            let mut bytes = Vec::new();
            let mut rest = line.as_bytes();
            while let [first, tail @ ..] = rest {
                if *first == b'=' {
                    let hex = std::str::from_utf8(&tail[..2]).expect("hex digits");
                    bytes.push(u8::from_str_radix(hex, 16).expect("a hex byte"));
                    rest = &tail[2..];
                } else {
                    bytes.push(*first);
                    rest = tail;
                }
            }
            assert!(std::str::from_utf8(&bytes).is_ok(), "{line}");
        }
    }

    #[test]
    fn trailing_space_is_encoded() {
        let mut out = String::new();
        quoted_printable("末尾 ", &mut out);
        assert!(out.ends_with("=20\r\n"), "{out}");
    }

    #[test]
    fn encoded_words_stay_within_rfc_2047_length() {
        let subject =
            "【重要】お客様のアカウントで異常なログインが検出されました（2025年3月14日 18:02）";
        for charset in [Charset::Utf8, Charset::Iso2022Jp] {
            let mut out = String::new();
            encoded_words(subject, charset, &mut out);
            for word in out.split("\r\n ") {
                assert!(word.len() <= 75, "{word}");
                assert!(word.starts_with("=?") && word.ends_with("?="), "{word}");
            }
        }
    }

    #[test]
    fn html_links_urls_and_escapes() {
        let mut out = String::new();
        linked("確認：https://a.example/x?id=1&y=2 <今すぐ>", &mut out);
        assert_eq!(
            out,
            "確認：<a href=\"https://a.example/x?id=1&amp;y=2\">https://a.example/x?id=1&amp;y=2</a> &lt;今すぐ&gt;"
        );
    }
}
