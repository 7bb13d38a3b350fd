use std::fmt;

use serde::{Deserialize, Serialize};

use crate::url::{ScannedLinks, fold};

/// One mail as the rest of the pipeline sees it: decoded text, no MIME left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// Stable identifier: the dataset's id column, the Message-ID, or the file and position.
    pub id: String,
    /// The decoded Subject.
    pub subject: String,
    /// The From mailbox, when the mail has a readable one.
    pub from: Option<Mailbox>,
    /// The From as written when it holds no address: an SMS's sender (a phone number, a
    /// short code, a name such as `Amazon`) or a From whose address is unreadable; its
    /// display name when it has one. `None` when `from` is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// The Reply-To mailbox, kept when present: scams often answer elsewhere than they send.
    pub reply_to: Option<Mailbox>,
    /// The Return-Path address (envelope sender), kept when present.
    pub return_path: Option<String>,
    /// The decoded body text: the plain part, or the HTML part rendered to text, with
    /// Japanese hard wraps unfolded.
    pub body: String,
    /// Every link: HTML anchors with their shown text, then URLs written in the text.
    pub links: Vec<Link>,
    /// Links the text has masked beyond a host or replaced by a placeholder (`https://…`,
    /// `（リンク）`), as reports and warnings quote scams: a link was there, and where it led
    /// is not written.
    #[serde(default)]
    pub masked_links: usize,
    /// File names of attachments; their contents are not read.
    pub attachments: Vec<String>,
    /// Number of HTML `<form>` elements: a form inside a mail asks for input in place.
    pub html_forms: usize,
    /// How deeply the MIME parts nest (1 for a single part, 0 for text without a message
    /// structure): genuine mail rarely goes past 3, evasion wraps scams much deeper.
    #[serde(default)]
    pub mime_depth: usize,
    /// The links found in `body` when the mail was read, for the feature extractor to take
    /// instead of searching the body again (only while the body is the one they were found
    /// in). Not part of the mail: not written, not read, not compared.
    #[serde(skip)]
    pub body_links: ScannedLinks,
}

impl Email {
    /// Whether the mail is a text without headers, no subject and no sender address: an SMS
    /// or a note pasted from a phone.
    pub fn is_headerless(&self) -> bool {
        self.subject.trim().is_empty() && self.from.is_none()
    }

    /// The name the sender goes by: the From's display name, or a From without an address.
    pub fn sender_name(&self) -> Option<&str> {
        self.from
            .as_ref()
            .and_then(|m| m.name.as_deref())
            .or(self.sender.as_deref())
    }
}

/// A display name and an address, as a From header carries them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mailbox {
    /// The display name (`Amazon.co.jp` in `Amazon.co.jp <a@b.jp>`), decoded.
    pub name: Option<String>,
    /// The address, as written; an `@` a report masked (`info×example.jp`, `info(at)example.jp`,
    /// `info＠example.jp`) is read back as `@`.
    pub address: String,
}

impl Mailbox {
    /// Parses `Name <address>`, `"Name" <address>`, a bare address, and the forms with the
    /// name or the address in parentheses (`address (Name)`, as bounces write it, and
    /// `Name (address)`). `None` when there is no `@`, written or masked.
    pub fn parse(header: &str) -> Option<Mailbox> {
        let header = header.trim();
        let (name, address) = match angle_brackets(header) {
            Some(split) => split,
            None => match header
                .strip_suffix([')', '）'])
                .and_then(|h| h.rsplit_once(['(', '（']))
            {
                Some((outside, inside)) => {
                    let (outside, inside) = (outside.trim(), inside.trim());
                    if inside.contains('@') {
                        (outside.trim_matches('"').trim(), inside)
                    } else {
                        (inside, outside)
                    }
                }
                None => ("", header),
            },
        };
        if address.contains(char::is_whitespace) {
            return None;
        }
        let address = if address.contains('@') {
            address.to_string()
        } else {
            unmask_at(address)?
        };
        Some(Mailbox {
            name: (!name.is_empty()).then(|| name.to_string()),
            address,
        })
    }

    /// What a From header that holds no address says of its sender: the display name before
    /// an unreadable `<…>`, or the whole header (`+81 80-1234-5678`, `Amazon`). `None` when
    /// [`Mailbox::parse`] reads the header, or when it is empty.
    pub fn sender_without_address(header: &str) -> Option<String> {
        let header = header.trim();
        if header.is_empty() || Mailbox::parse(header).is_some() {
            return None;
        }
        let name = match angle_brackets(header) {
            Some(("", "")) => header[header.rfind('>')? + 1..].trim_matches('"').trim(),
            Some(("", inside)) => inside,
            Some((before, _)) => before,
            None => header.trim_matches('"').trim(),
        };
        (!name.is_empty()).then(|| name.to_string())
    }

    /// The lowercased domain of the address, without a trailing dot.
    pub fn domain(&self) -> Option<String> {
        let (_, domain) = self.address.rsplit_once('@')?;
        let domain = domain.trim().trim_end_matches('.').to_lowercase();
        (!domain.is_empty()).then_some(domain)
    }
}

/// What reports and web pages write for an address's `@` so that harvesters miss it, matched
/// after full-width forms are folded (`＠`, `（at）`, `＃`) and without regard to ASCII case.
const AT_MASKS: [&str; 13] = [
    "@", "(at)", "[at]", "(@)", "★", "☆", "×", "✕", "◆", "◇", "●", "■", "#",
];

/// `address` with its masked `@` read back, when it is exactly one local part, one mask and a
/// host of at least two labels ending in letters, all ASCII once full-width forms are folded
/// (a retyped `ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ`); a name that happens to hold a mask (`SMBC×Visa`,
/// `No.1★Shop`) has no such host.
fn unmask_at(address: &str) -> Option<String> {
    let folded: String = address.chars().map(|c| fold(c).unwrap_or(c)).collect();
    let lower = folded.to_ascii_lowercase();
    // Most headers without an `@` hold no mask either (an SMS's empty sender, `Amazon`):
    // one pass over the characters instead of a substring search per mask.
    if !may_hold_mask(&lower) {
        return None;
    }
    let (at, mask) = AT_MASKS
        .iter()
        .find_map(|mask| lower.find(mask).map(|at| (at, *mask)))?;
    let (local, domain) = (&folded[..at], &folded[at + mask.len()..]);
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b));
    let labels: Vec<&str> = domain.trim_end_matches('.').split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    (local_ok && domain_ok).then(|| format!("{local}@{domain}"))
}

/// Whether `text` has a character some mask starts with: without one, it holds no mask.
fn may_hold_mask(text: &str) -> bool {
    text.chars()
        .any(|c| AT_MASKS.iter().any(|mask| mask.starts_with(c)))
}

/// A From header's display name (unquoted) and what its last `<…>` holds, both trimmed;
/// `None` without such a pair.
fn angle_brackets(header: &str) -> Option<(&str, &str)> {
    match (header.rfind('<'), header.rfind('>')) {
        (Some(open), Some(close)) if open < close => Some((
            header[..open].trim().trim_matches('"').trim(),
            header[open + 1..close].trim(),
        )),
        _ => None,
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

/// A link: where it goes, and what the reader was shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// The text of an HTML anchor; `None` for a URL written in the text itself.
    pub text: Option<String>,
    /// The target.
    pub href: String,
}

/// Whether a mail is a scam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Legitimate mail.
    Ham,
    /// A scam: phishing, extortion, fraud.
    Scam,
}

impl Label {
    /// `scam` or `ham`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Ham => "ham",
            Label::Scam => "scam",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A mail with its label, as datasets provide it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabeledEmail {
    /// The mail.
    pub email: Email,
    /// Scam or ham.
    pub label: Label,
    /// The finer category (`phish_card`, `newsletter_sale`, …) when the dataset has one.
    pub category: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_from_forms() {
        let cases = [
            (
                "Amazon.co.jp <account@amazon.co.jp>",
                Some("Amazon.co.jp"),
                "account@amazon.co.jp",
            ),
            (
                "\"三井住友カード\" <info@smbc-card.com>",
                Some("三井住友カード"),
                "info@smbc-card.com",
            ),
            ("kjh23a@qq.com", None, "kjh23a@qq.com"),
            ("<only@addr.jp>", None, "only@addr.jp"),
            (
                "MAILER-DAEMON@mx.example.jp (Mail Delivery System)",
                Some("Mail Delivery System"),
                "MAILER-DAEMON@mx.example.jp",
            ),
            (
                "三井住友カード (info@smbc-card.example.top)",
                Some("三井住友カード"),
                "info@smbc-card.example.top",
            ),
            ("佐藤（sato@example.jp）", Some("佐藤"), "sato@example.jp"),
            // A report that masked the `@` still shows where the mail came from.
            (
                "佐川急便 <info×example.jp>",
                Some("佐川急便"),
                "info@example.jp",
            ),
            ("info(AT)mail.example.top", None, "info@mail.example.top"),
            (
                "\"楽天\" <support［at］rakuten-pay.example.com>",
                Some("楽天"),
                "support@rakuten-pay.example.com",
            ),
            ("no-reply★example.co.jp", None, "no-reply@example.co.jp"),
            (
                "ＪＣＢ <mail＠qa.example.jp>",
                Some("ＪＣＢ"),
                "mail@qa.example.jp",
            ),
        ];
        for (header, name, address) in cases {
            let m = Mailbox::parse(header).unwrap();
            assert_eq!(m.name.as_deref(), name, "{header}");
            assert_eq!(m.address, address, "{header}");
        }
        assert_eq!(Mailbox::parse("no address here"), None);
        // A mask with no address around it is a name.
        for name in [
            "SMBC×Visa",
            "No.1★Shop",
            "info×example",
            "×example.jp",
            "a×b×c.jp",
            "情報×example.jp",
        ] {
            assert_eq!(Mailbox::parse(name), None, "{name}");
        }
        assert_eq!(Mailbox::parse(""), None);
    }

    #[test]
    fn a_from_without_an_address_is_kept_as_the_sender() {
        let cases = [
            ("+81 80-1234-5678", Some("+81 80-1234-5678")),
            (" SoftBank ", Some("SoftBank")),
            ("\"楽天カード\"", Some("楽天カード")),
            // An address a report masked beyond reading keeps the name the mail claimed.
            ("佐川急便 <info×××.jp>", Some("佐川急便")),
            ("SMBC×Visa", Some("SMBC×Visa")),
            ("<0120-000-000>", Some("0120-000-000")),
            // Words after empty brackets are all the header says.
            ("<> +81 80-1234-5678", Some("+81 80-1234-5678")),
            ("Amazon <account@amazon.co.jp>", None),
            ("", None),
            ("  ", None),
            ("<>", None),
        ];
        for (header, sender) in cases {
            assert_eq!(
                Mailbox::sender_without_address(header).as_deref(),
                sender,
                "{header:?}"
            );
        }
    }

    #[test]
    fn the_sender_name_is_the_display_name_or_the_sender() {
        let mut email = Email {
            from: Mailbox::parse("Amazon <a@amazon.co.jp>"),
            ..Email::default()
        };
        assert_eq!(email.sender_name(), Some("Amazon"));
        email.from = None;
        email.sender = Some("AMAZ0N".into());
        assert_eq!(email.sender_name(), Some("AMAZ0N"));
        // No address, no subject: still a text without headers, as an SMS is.
        assert!(email.is_headerless());
    }

    #[test]
    fn domain_is_lowercased() {
        let m = Mailbox::parse("X <Info@Mail.RAKUTEN.co.jp.>").unwrap();
        assert_eq!(m.domain().as_deref(), Some("mail.rakuten.co.jp"));
    }

    proptest::proptest! {
        #[test]
        fn a_text_passed_over_holds_no_mask(
            text in "([a-z0-9._-]|[(\\[\\])@#★☆×✕◆◇●■（）［］]|at|\\(at|\\[a){0,16}"
        ) {
            if !may_hold_mask(&text) {
                for mask in AT_MASKS {
                    proptest::prop_assert!(!text.contains(mask), "{} in {}", mask, text);
                }
            }
            for mask in AT_MASKS {
                let with_mask = format!("{text}{mask}");
                proptest::prop_assert!(may_hold_mask(&with_mask));
            }
        }
    }
}
