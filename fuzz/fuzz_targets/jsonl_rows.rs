//! Dataset row decoding: JSON Lines rows into labeled mail, bounded per line (the check is
//! `jsonl_rows_check` in `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::jsonl_rows_check(data));
