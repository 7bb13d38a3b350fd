//! The model loader: layout, checksums and every value check, of both sections (the check
//! is `model_load_check` in `fuzz/checks.rs`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::model_load_check(data));
