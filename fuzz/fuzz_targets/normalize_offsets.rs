//! The normaliser's offset map and segmentation: every token span is a range of the
//! original text, on character boundaries, in order (the check is `normalize_offsets_check`
//! in `fuzz/checks.rs`).
#![no_main]

use std::sync::OnceLock;

use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};

#[path = "../checks.rs"]
mod checks;

fn tokenizer() -> &'static Tokenizer {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    TOKENIZER.get_or_init(|| {
        Tokenizer::new(DictionaryLocator::from_env().load().expect("the IPADIC dictionary"))
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::normalize_offsets_check(tokenizer(), data));
