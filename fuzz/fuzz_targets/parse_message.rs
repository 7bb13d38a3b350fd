//! Raw message parsing: MIME, charsets, transfer encodings, HTML rendering, URL finding
//! (the check is `parse_message_check` in `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse_message_check(data));
