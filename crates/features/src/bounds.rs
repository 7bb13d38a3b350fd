//! How much of a mail features and signals read. A mail filter must answer for every message
//! in bounded time and memory, so, as SpamAssassin scans the first 50,000 bytes of each body
//! part and rspamd caps what it tokenizes, the text past these limits is not looked at:
//!
//! | part        | read at most                                          |
//! |-------------|-------------------------------------------------------|
//! | subject     | 2 KiB                                                 |
//! | sender name | 2 KiB (a From that holds no address)                  |
//! | body text   | 256 KiB (about 85,000 Japanese characters)            |
//! | links       | the first 1,000                                       |
//! | attachments | the first 256 names                                   |
//!
//! Scam text sits at the top of a mail; what a longer mail adds past the limit is padding.

use std::borrow::Cow;

use sagiguard_corpus::Email;

/// The most subject text read, in bytes.
pub const MAX_SUBJECT_BYTES: usize = 2 * 1024;
/// The most body text read, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The most links read.
pub const MAX_LINKS: usize = 1_000;
/// The most attachment names read.
pub const MAX_ATTACHMENTS: usize = 256;

/// The mail as features and signals read it: itself when it is within the limits above,
/// else a copy cut to them (at character boundaries).
pub fn bounded(email: &Email) -> Cow<'_, Email> {
    let within = email.subject.len() <= MAX_SUBJECT_BYTES
        && email
            .sender
            .as_ref()
            .is_none_or(|s| s.len() <= MAX_SUBJECT_BYTES)
        && email.body.len() <= MAX_BODY_BYTES
        && email.links.len() <= MAX_LINKS
        && email.masked_links <= MAX_LINKS
        && email.attachments.len() <= MAX_ATTACHMENTS;
    if within {
        return Cow::Borrowed(email);
    }
    Cow::Owned(Email {
        id: email.id.clone(),
        subject: prefix(&email.subject, MAX_SUBJECT_BYTES).to_string(),
        from: email.from.clone(),
        sender: email
            .sender
            .as_deref()
            .map(|s| prefix(s, MAX_SUBJECT_BYTES).to_string()),
        reply_to: email.reply_to.clone(),
        return_path: email.return_path.clone(),
        body: prefix(&email.body, MAX_BODY_BYTES).to_string(),
        links: email.links.iter().take(MAX_LINKS).cloned().collect(),
        masked_links: email.masked_links.min(MAX_LINKS),
        attachments: email
            .attachments
            .iter()
            .take(MAX_ATTACHMENTS)
            .cloned()
            .collect(),
        html_forms: email.html_forms,
        mime_depth: email.mime_depth,
        // Given back only while the body is whole (see `ScannedLinks::for_text`).
        body_links: email.body_links.clone(),
    })
}

/// The longest prefix of `text` of at most `max` bytes that ends at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_mail_is_cut_at_character_boundaries() {
        let email = Email {
            subject: "件".repeat(1000),
            body: "本".repeat(200_000),
            ..Email::default()
        };
        let cut = bounded(&email);
        assert!(cut.subject.len() <= MAX_SUBJECT_BYTES && cut.subject.starts_with("件"));
        assert!(cut.body.len() <= MAX_BODY_BYTES && cut.body.len() > MAX_BODY_BYTES - 3);
        let short = Email::default();
        assert!(matches!(bounded(&short), Cow::Borrowed(_)));
    }
}
