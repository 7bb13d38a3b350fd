//! Raw message parsing: MIME, charsets, transfer encodings, HTML rendering, URL finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sagiguard_corpus::{ParseOptions, parse_input, parse_message, parse_text};

fuzz_target!(|data: &[u8]| {
    let options = ParseOptions::default();
    if let Ok(email) = parse_message(data, &options) {
        // Every link is a link of the text or of an anchor: nothing invented.
        for link in &email.links {
            assert!(!link.href.is_empty());
        }
    }
    let _ = parse_text(data, &options);
    let _ = parse_input(data, &options);
});
