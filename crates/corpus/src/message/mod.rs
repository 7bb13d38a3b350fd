//! One raw RFC 5322 message into an [`Email`].

mod charset;
mod header;
mod html;
mod transfer;
pub(crate) mod unfold;

pub(crate) use charset::choose_bytes as choose_charset;

use mail_parser::{Addr, Address, HeaderName, Message, MessageParser, MimeHeaders, PartType};

use crate::email::{Email, Link, Mailbox};
use crate::error::MessageError;
use crate::url::{ScannedLinks, find_links};

/// Limits and choices for reading raw mail.
///
/// | setting     | default  | purpose                                                     |
/// |-------------|----------|-------------------------------------------------------------|
/// | `max_size`  | 10 MiB   | larger messages are refused before they are read            |
/// | `max_depth` | 16       | MIME parts nested deeper are not read (1..=64)              |
/// | `unfold`    | `true`   | join lines hard-wrapped inside Japanese words               |
/// | `text`      | `false`  | read every input as plain text, never as a header block     |
/// | `sender`    | none     | who sent an input read as plain text (a number, a name)     |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// The largest message, in bytes, that is read.
    pub max_size: u64,
    /// The deepest nesting of multipart and attached messages accepted.
    pub max_depth: usize,
    /// Whether to undo hard wraps inside Japanese text.
    pub unfold: bool,
    /// Whether to read inputs as plain text (a pasted SMS or mail body) even when their
    /// first lines look like headers.
    pub text: bool,
    /// Who sent the inputs read as plain text, which have no header to say it: an SMS's
    /// number or sender name, or an address. Mail with headers keeps its own From.
    pub sender: Option<String>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_size: 10 * 1024 * 1024,
            max_depth: 16,
            unfold: true,
            text: false,
            sender: None,
        }
    }
}

/// A plain part shorter than this that only points at the HTML version is a stub.
const STUB_CHARS: usize = 200;
const STUB_PHRASES: &[&str] = &[
    "HTML",
    "html",
    "ＨＴＭＬ",
    "ブラウザ",
    "表示できない",
    "表示されない",
];

/// Parses one message: headers decoded (RFC 2047 in any Japanese charset, raw 8-bit
/// headers detected), the body decoded from its transfer encoding and charset, HTML
/// rendered when it says more than the plain part, links and attachment names kept.
///
/// # Errors
///
/// [`MessageError::TooLarge`] past the size limit of `options`; [`MessageError::NotAMessage`]
/// for empty input. Parts nested deeper than `max_depth` are not read, the rest are, and
/// [`Email::mime_depth`] says how deep the nesting went (a scam wrapped in 16 levels of
/// multipart still gets a verdict, and the nesting itself is a feature).
pub fn parse_message(bytes: &[u8], options: &ParseOptions) -> Result<Email, MessageError> {
    admit(bytes, options)?;
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or(MessageError::NotAMessage)?;
    let depth = depth(&message);
    let mut body = Body::default();
    collect(&message, &mut body, options.max_depth);
    let (mut text, html_links, forms) = body.choose();
    if options.unfold {
        text = unfold::unfold(&text);
    }
    let text = text.trim().to_string();
    let (links, masked_links, body_links) = with_text_links(html_links, &text);

    let from = mailbox(&message, message.from(), HeaderName::From);
    let sender = match from {
        Some(_) => None,
        None => header_text(&message, HeaderName::From)
            .and_then(|t| Mailbox::sender_without_address(&t)),
    };
    Ok(Email {
        id: message.message_id().unwrap_or_default().to_string(),
        subject: header_text(&message, HeaderName::Subject).unwrap_or_default(),
        from,
        sender,
        reply_to: mailbox(&message, message.reply_to(), HeaderName::ReplyTo),
        return_path: message.return_address().map(str::to_string),
        body: text,
        links,
        masked_links,
        attachments: body.attachments,
        html_forms: forms,
        mime_depth: depth,
        body_links,
    })
}

/// Refuses input over the size limit, and input with nothing but white space.
fn admit(bytes: &[u8], options: &ParseOptions) -> Result<(), MessageError> {
    if bytes.len() as u64 > options.max_size {
        return Err(MessageError::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_size,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(MessageError::NotAMessage);
    }
    Ok(())
}

/// Reads input that is either a message or text without headers (a pasted SMS, chat
/// message or mail body): a message when its first lines form a header block (see
/// [`looks_like_message`]) and `options.text` is off, else plain text.
///
/// # Errors
///
/// As [`parse_message`].
pub fn parse_input(bytes: &[u8], options: &ParseOptions) -> Result<Email, MessageError> {
    if options.text || !looks_like_message(bytes) {
        parse_text(bytes, options)
    } else {
        parse_message(bytes, options)
    }
}

/// Reads text without headers: the whole input is the body, decoded with the charset its
/// bytes support; the subject stays empty, the sender is `options.sender`'s.
///
/// # Errors
///
/// [`MessageError::TooLarge`] past `options.max_size`; [`MessageError::NotAMessage`] for
/// empty input.
pub fn parse_text(bytes: &[u8], options: &ParseOptions) -> Result<Email, MessageError> {
    admit(bytes, options)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text = charset::decode(bytes, None)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    if options.unfold {
        text = unfold::unfold(&text);
    }
    let body = text.trim().to_string();
    let (links, masked_links, body_links) = with_text_links(Vec::new(), &body);
    let sender = options.sender.as_deref();
    Ok(Email {
        from: sender.and_then(Mailbox::parse),
        sender: sender.and_then(Mailbox::sender_without_address),
        links,
        masked_links,
        body,
        body_links,
        ..Email::default()
    })
}

/// Whether input starts with an RFC 5322 header block: every line up to the first empty
/// one is a `Name: value` field (name in printable ASCII) or its folded continuation, and
/// at least one name is a header mail carries (From, Subject, Date, Received, …, or `X-`).
/// Pasted text whose first line is Japanese, a URL or a sentence is not a message.
pub fn looks_like_message(bytes: &[u8]) -> bool {
    const KNOWN: &[&str] = &[
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "received",
        "return-path",
        "reply-to",
        "sender",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "delivered-to",
        "dkim-signature",
        "authentication-results",
        "in-reply-to",
        "references",
        "list-id",
        "arc-seal",
        "x-",
    ];
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut known = false;
    for (i, line) in head.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if i > 0 && matches!(line[0], b' ' | b'\t') {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
            return false;
        }
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        known |= KNOWN.iter().any(|k| {
            if k.ends_with('-') {
                name.starts_with(k)
            } else {
                name == *k
            }
        });
    }
    known
}

/// `links` followed by every URL written in `text` that is not among them yet, how many
/// links `text` masked beyond a host, and the links found, kept for the feature extractor.
fn with_text_links(mut links: Vec<Link>, text: &str) -> (Vec<Link>, usize, ScannedLinks) {
    let mut seen: std::collections::HashSet<String> =
        links.iter().map(|l| l.href.clone()).collect();
    let found = find_links(text);
    for url in &found.urls {
        if seen.insert(url.url.clone()) {
            links.push(Link {
                text: None,
                href: url.url.clone(),
            });
        }
    }
    let masked = found.masked.len();
    (links, masked, ScannedLinks::new(text, found))
}

/// The text of the message's parts, sorted by kind.
#[derive(Default)]
struct Body {
    plain: Vec<String>,
    html: Vec<String>,
    attachments: Vec<String>,
}

impl Body {
    /// The plain text, unless the HTML says more or the plain part is a "view in HTML"
    /// stub; then the rendered HTML with its links and forms.
    fn choose(&self) -> (String, Vec<Link>, usize) {
        let plain = self.plain.join("\n\n");
        if self.html.is_empty() {
            return (plain, Vec::new(), 0);
        }
        let mut rendered = html::Rendered::default();
        for part in &self.html {
            let r = html::render(part);
            if !rendered.text.is_empty() && !r.text.is_empty() {
                rendered.text.push_str("\n\n");
            }
            rendered.text.push_str(&r.text);
            rendered.links.extend(r.links);
            rendered.forms += r.forms;
        }
        let plain_chars = plain.chars().filter(|c| !c.is_whitespace()).count();
        let html_chars = rendered.text.chars().filter(|c| !c.is_whitespace()).count();
        let stub = plain_chars < STUB_CHARS && STUB_PHRASES.iter().any(|p| plain.contains(p));
        if plain_chars == 0 || stub || html_chars > plain_chars * 3 / 2 {
            (rendered.text, rendered.links, rendered.forms)
        } else {
            // The plain part reads best, but the HTML's anchors are what a click follows.
            (plain, rendered.links, rendered.forms)
        }
    }
}

/// Walks the parts without recursion, nested messages included.
fn collect(message: &Message<'_>, body: &mut Body, max_depth: usize) {
    let mut stack = vec![(message, 1)];
    while let Some((message, base)) = stack.pop() {
        let levels = part_levels(message);
        for (part, level) in message.parts.iter().zip(levels) {
            let level = base + level - 1;
            if level > max_depth {
                continue;
            }
            let name = part.attachment_name().map(str::to_string);
            let disposition_attachment = part
                .content_disposition()
                .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment"));
            let content_type = part.content_type();
            let is_html = content_type.is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
            });
            let readable = match &part.body {
                PartType::Text(_) | PartType::Html(_) => true,
                // A text part cut off mid-base64, which mail-parser hands over as binary.
                PartType::Binary(_) | PartType::InlineBinary(_) => {
                    content_type.is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("text"))
                }
                _ => false,
            };
            match &part.body {
                _ if readable && name.is_none() && !disposition_attachment => {
                    let text = part_text(message, part);
                    if is_html || matches!(part.body, PartType::Html(_)) {
                        body.html.push(text);
                    } else {
                        body.plain.push(text);
                    }
                }
                PartType::Message(nested) => {
                    if let Some(name) = name {
                        body.attachments.push(name);
                    }
                    stack.push((nested, level + 1));
                }
                PartType::Multipart(_) => {}
                _ => body
                    .attachments
                    .push(name.unwrap_or_else(|| "(unnamed attachment)".to_string())),
            }
        }
    }
}

/// A text part's bytes, undone from their transfer encoding and decoded with the charset
/// the bytes support (see `charset`). The raw bytes are decoded here rather than taken from
/// mail-parser, which trusts the declared charset and gives up on truncated base64.
fn part_text(message: &Message<'_>, part: &mail_parser::MessagePart<'_>) -> String {
    let raw = message
        .raw_message
        .get(part.offset_body as usize..part.offset_end as usize)
        .unwrap_or_default();
    let encoding = part
        .content_transfer_encoding()
        .map(|e| e.trim().to_ascii_lowercase());
    let bytes = match encoding.as_deref() {
        Some("base64") => transfer::base64(raw),
        Some("quoted-printable") => transfer::quoted_printable(raw),
        _ => raw.to_vec(),
    };
    let declared = part.content_type().and_then(|ct| ct.attribute("charset"));
    charset::decode(&bytes, declared).replace("\r\n", "\n")
}

/// The nesting level of each part of one message (1 for the root), from its multipart tree.
fn part_levels(message: &Message<'_>) -> Vec<usize> {
    let mut levels = vec![1; message.parts.len()];
    let mut stack = vec![(0u32, 1usize)];
    while let Some((id, level)) = stack.pop() {
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        levels[id as usize] = level;
        if let PartType::Multipart(children) = &part.body {
            stack.extend(children.iter().map(|&c| (c, level + 1)));
        }
    }
    levels
}

/// How deeply parts nest: 1 for a single-part message.
fn depth(message: &Message<'_>) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Message<'_>, u32, usize)> = vec![(message, 0, 1)];
    while let Some((message, part_id, level)) = stack.pop() {
        deepest = deepest.max(level);
        let Some(part) = message.parts.get(part_id as usize) else {
            continue;
        };
        match &part.body {
            PartType::Multipart(children) => {
                stack.extend(children.iter().map(|&c| (message, c, level + 1)));
            }
            PartType::Message(nested) => stack.push((nested, 0, level + 1)),
            _ => {}
        }
    }
    deepest
}

/// A header's decoded text; raw 8-bit bytes in it (no RFC 2047) are decoded by detection
/// rather than taken as mangled UTF-8.
fn header_text(message: &Message<'_>, name: HeaderName<'_>) -> Option<String> {
    let header = message
        .root_part()
        .headers
        .iter()
        .find(|h| h.name == name)?;
    let raw = message
        .raw_message
        .get(header.offset_start as usize..header.offset_end as usize)?;
    if !raw.is_ascii() && std::str::from_utf8(raw).is_err() {
        return Some(unfold_header(&charset::decode(raw, None)));
    }
    let text = match header.value.as_text() {
        Some(text) if !text.contains('\u{FFFD}') => text.to_string(),
        // An address list, or encoded words mail-parser decoded one at a time.
        _ => header::decode(&unfold_header(&String::from_utf8_lossy(raw))),
    };
    Some(text.trim().to_string())
}

fn unfold_header(text: &str) -> String {
    text.split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn mailbox(
    message: &Message<'_>,
    parsed: Option<&Address<'_>>,
    name: HeaderName<'_>,
) -> Option<Mailbox> {
    let first: Option<&Addr<'_>> = parsed.and_then(|a| a.first());
    // An address without `@` is mail-parser reading a comment out of a mangled one.
    let address = first
        .and_then(|a| a.address())
        .filter(|a| a.contains('@'))
        .map(str::to_string);
    let Some(address) = address else {
        // No parsable address: try the raw header as `Name <addr>`.
        return header_text(message, name).and_then(|t| Mailbox::parse(&t));
    };
    let mut display = first.and_then(|a| a.name()).map(|n| n.trim().to_string());
    if display.as_deref().is_some_and(|n| n.contains('\u{FFFD}')) {
        // A raw 8-bit display name: decode the header bytes by detection instead.
        display = header_text(message, name)
            .and_then(|t| Mailbox::parse(&t))
            .and_then(|m| m.name);
    }
    Some(Mailbox {
        name: display.filter(|n| !n.is_empty()),
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_block_is_told_from_pasted_text() {
        let messages = [
            "From: a@example.jp\r\nSubject: hi\r\n\r\nbody",
            "Received: from x\n\tby y\nX-Mailer: z\n\nbody",
            "subject: only one known header\n\nbody",
        ];
        for text in messages {
            assert!(looks_like_message(text.as_bytes()), "{text:?}");
        }
        let texts = [
            "お客様宛にお荷物のお届けにあがりましたが不在の為持ち帰りました。",
            "山田: 来週の土曜どう？\n\nまた連絡します",
            "件名：【重要】お知らせ\n\n本文",
            "https://example.jp/a をご確認ください",
            "Note: no mail header here\n\ntext",
            "",
        ];
        for text in texts {
            assert!(!looks_like_message(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn plain_text_is_the_body_with_its_links() {
        let email = parse_text(
            "\u{FEFF}ご不在のため持ち帰りました。\r\n確認 sagawa-kx.top/r".as_bytes(),
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(
            email.body,
            "ご不在のため持ち帰りました。\n確認 sagawa-kx.top/r"
        );
        assert_eq!(email.links[0].href, "http://sagawa-kx.top/r");
        assert!(email.subject.is_empty() && email.from.is_none());
        assert!(matches!(
            parse_text(b" \n", &ParseOptions::default()),
            Err(MessageError::NotAMessage)
        ));
    }

    #[test]
    fn a_text_has_the_sender_it_is_given() {
        let options = |sender: &str| ParseOptions {
            sender: Some(sender.into()),
            ..ParseOptions::default()
        };
        let sms = "ご不在のため持ち帰りました。".as_bytes();
        let email = parse_text(sms, &options("090-1234-5678")).unwrap();
        assert_eq!(email.sender.as_deref(), Some("090-1234-5678"));
        assert!(email.from.is_none() && email.is_headerless());
        let email = parse_text(sms, &options("Info <info@example.top>")).unwrap();
        assert_eq!(email.from, Mailbox::parse("Info <info@example.top>"));
        assert_eq!(email.sender, None);
        // A message names its own sender.
        let raw = b"From: a@example.jp\r\nSubject: x\r\n\r\nbody\r\n";
        let email = parse_input(raw, &options("090-1234-5678")).unwrap();
        assert_eq!(email.sender, None);
        assert_eq!(email.from.unwrap().address, "a@example.jp");
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    /// A message whose text part sits `levels` multiparts deep, with a visible first part.
    fn nested(levels: usize) -> String {
        let mut raw = String::from("From: a@example.top\r\nSubject: nested\r\n");
        for i in 0..levels {
            raw.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
            ));
            if i == 0 {
                raw.push_str(
                    "Content-Type: text/plain; charset=utf-8\r\n\r\n外側の本文です\r\n--b0\r\n",
                );
            }
        }
        raw.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n奥の本文です\r\n");
        for i in (0..levels).rev() {
            raw.push_str(&format!("--b{i}--\r\n"));
        }
        raw
    }

    /// Issue 14: deep nesting is read as far as the limit, not refused, and measured.
    #[test]
    fn deep_nesting_is_read_up_to_the_limit_and_measured() {
        let options = ParseOptions::default();
        let shallow = parse_message(nested(3).as_bytes(), &options).unwrap();
        assert!(
            shallow.body.contains("外側") && shallow.body.contains("奥"),
            "{}",
            shallow.body
        );
        assert_eq!(shallow.mime_depth, 4);
        let deep = parse_message(nested(30).as_bytes(), &options).unwrap();
        assert!(deep.body.contains("外側"), "{}", deep.body);
        assert!(!deep.body.contains("奥"), "{}", deep.body);
        assert_eq!(deep.mime_depth, 31);
    }
}
