//! Splitting an mbox: `From ` lines, `>From` unescaping, per-message size limit (the check
//! is `mbox_check` in `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::mbox_check(data));
