//! The fuzz targets' checks (`fuzz/checks.rs`, shared with the nightly fuzz crate) on every
//! seed in `fuzz/seeds/<target>/`: the checks build with the workspace, and a finding once
//! fixed and copied among the seeds stays fixed.

use std::path::{Path, PathBuf};

use sagiguard_tokenizer::{Dictionary, DictionaryLocator, Tokenizer};
use sagiguard_trainer::Model;

use crate::util::{Sandbox, shared_cache, trained};

#[path = "../fuzz/checks.rs"]
mod checks;

/// The seeds of a target, in name order; at least one.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds for {target}");
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// The dictionary the binaries under test compiled into the shared cache.
fn dictionary() -> Dictionary {
    DictionaryLocator::new()
        .cache_root(shared_cache())
        .load()
        .expect("the IPADIC dictionary")
}

#[test]
fn parsing_seeds_pass_their_checks() {
    for (_, data) in inputs("parse_message") {
        checks::parse_message_check(&data);
    }
    for (_, data) in inputs("mbox") {
        checks::mbox_check(&data);
    }
    for (_, data) in inputs("jsonl_rows") {
        checks::jsonl_rows_check(&data);
    }
    for (_, data) in inputs("model_load") {
        checks::model_load_check(&data);
    }
}

#[test]
fn tokenizing_and_scoring_seeds_pass_their_checks() {
    let tokenizer = Tokenizer::new(dictionary());
    for (_, data) in inputs("normalize_offsets") {
        checks::normalize_offsets_check(&tokenizer, &data);
    }
    let sandbox = Sandbox::new();
    let model = Model::load(&sandbox.path().join(trained(&sandbox))).expect("the trained model");
    let tokenizer = Tokenizer::with_normalizer(dictionary(), model.normalizer().clone());
    for (path, data) in inputs("score_message") {
        checks::score_message_check(&model, &tokenizer, &data);
        // The seeds are mail the parser reads, not only bytes that fail early.
        assert!(
            sagiguard_corpus::parse_input(&data, &Default::default()).is_ok(),
            "{}",
            path.display()
        );
    }
}
