//! Shared by the feature tests: the real IPADIC tokenizer and the corpus in data/.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use sagiguard_corpus::{LabeledEmail, Schema, read_dataset};
use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};

pub fn tokenizer() -> &'static Tokenizer {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    TOKENIZER.get_or_init(|| {
        let dictionary = DictionaryLocator::from_env()
            .cache_root(concat!(env!("CARGO_TARGET_TMPDIR"), "/sagiguard-cache"))
            .load()
            .unwrap_or_else(|e| panic!("these tests need the real IPADIC dictionary: {e}"));
        Tokenizer::new(dictionary)
    })
}

pub fn data(file: &str) -> Vec<LabeledEmail> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(file);
    read_dataset(&path, None, &Schema::default())
        .unwrap()
        .map(|r| r.unwrap().into_labeled().unwrap())
        .collect()
}
