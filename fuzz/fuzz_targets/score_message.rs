//! Scoring a parsed message end to end with the default model (`models/sagiguard.model`,
//! built by scripts/main.sh, or SAGIGUARD_MODEL): a verdict for every parsed mail, never a
//! panic, and a finite probability (the check is `score_message_check` in `fuzz/checks.rs`).
#![no_main]

use std::sync::OnceLock;

use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};
use sagiguard_trainer::Model;

#[path = "../checks.rs"]
mod checks;

fn model() -> &'static (Model, Tokenizer) {
    static MODEL: OnceLock<(Model, Tokenizer)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = std::env::var("SAGIGUARD_MODEL").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../models/sagiguard.model").into()
        });
        let model =
            Model::load(std::path::Path::new(&path)).expect("a trained model (scripts/main.sh)");
        let tokenizer = Tokenizer::with_normalizer(
            DictionaryLocator::from_env().load().expect("the IPADIC dictionary"),
            model.normalizer().clone(),
        );
        (model, tokenizer)
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (model, tokenizer) = model();
    checks::score_message_check(model, tokenizer, data);
});
