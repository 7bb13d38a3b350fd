//! No input makes the readers panic: arbitrary bytes, and fixtures with bytes flipped,
//! cut or inserted.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use sagiguard_corpus::{Mailbox, ParseOptions, find_urls, parse_message, url_host};

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mail")
            .join(name),
    )
    .unwrap()
}

const FIXTURES: [&str; 5] = [
    "multipart-alternative-html.eml",
    "binary-attachment.eml",
    "nested-message.eml",
    "encoded-word-quirks.eml",
    "shift_jis-body.eml",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse_message(&bytes, &ParseOptions::default());
    }

    #[test]
    fn mutated_fixtures(which in 0..FIXTURES.len(), edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..20)) {
        let mut bytes = fixture(FIXTURES[which]);
        for (at, byte, kind) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => bytes.truncate(i),
            }
        }
        let _ = parse_message(&bytes, &ParseOptions::default());
    }

    /// A From header is read as a mailbox or kept as a sender, never both, and what is kept
    /// is the header's own words; headers drawn from the pieces From lines are made of.
    #[test]
    fn a_from_is_a_mailbox_or_a_sender(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<"), Just(">"), Just("("), Just(")"), Just("（"), Just("）"), Just("\""),
                Just("@"), Just(" "), Just("+81 "), Just("090-1234-5678"), Just("info"),
                Just("example.jp"), Just("佐川急便"), Just("Amazon"), Just("×"),
            ],
            0..12,
        )
    ) {
        let header: String = parts.concat();
        let mailbox = Mailbox::parse(&header);
        let sender = Mailbox::sender_without_address(&header);
        prop_assert!(!(mailbox.is_some() && sender.is_some()), "{header:?}");
        if mailbox.is_none() && sender.is_none() {
            prop_assert!(
                header.chars().all(|c| c.is_whitespace() || "\"<>".contains(c)),
                "{header:?} was lost"
            );
        }
        if let Some(m) = &mailbox {
            // The header's own address, or the one it wrote with `×` for the `@`.
            prop_assert!(m.address.contains('@'), "{header:?}");
            prop_assert!(
                header.contains(m.address.as_str())
                    || header.contains(m.address.replacen('@', "×", 1).as_str()),
                "{header:?} -> {:?}", m.address
            );
        }
        if let Some(s) = &sender {
            prop_assert!(!s.is_empty() && header.contains(s.as_str()), "{header:?} -> {s:?}");
        }
    }

    #[test]
    fn arbitrary_text_in_url_finding(text in "\\PC{0,200}") {
        for found in find_urls(&text) {
            prop_assert!(text.get(found.span.clone()).is_some());
            let _ = url_host(&found.url);
        }
    }
}
