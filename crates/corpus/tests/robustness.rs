//! No input makes the readers panic: arbitrary bytes, and fixtures with bytes flipped,
//! cut or inserted.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use sagiguard_corpus::{ParseOptions, find_urls, parse_message, url_host};

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

    #[test]
    fn arbitrary_text_in_url_finding(text in "\\PC{0,200}") {
        for found in find_urls(&text) {
            prop_assert!(text.get(found.span.clone()).is_some());
            let _ = url_host(&found.url);
        }
    }
}
