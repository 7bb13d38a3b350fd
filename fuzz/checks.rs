//! What each fuzz target checks, one function a target. The targets in `fuzz_targets/` only
//! call these; the workspace's tests (`tests/fuzz_seeds.rs`) run them on every seed in
//! `seeds/<target>/`, so an API change breaks the stable build and CI instead of leaving the
//! nightly-only fuzz crate to rot, and the seeds are regression tests too.

// Each fuzz target uses one of these.
#![allow(dead_code)]

use std::path::Path;

use sagiguard_corpus::{
    ParseOptions, Schema, parse_input, parse_message, parse_text, read_jsonl, read_mbox,
};
use sagiguard_tokenizer::Tokenizer;
use sagiguard_trainer::Model;

/// Raw message parsing: MIME, charsets, transfer encodings, HTML rendering, URL finding.
pub fn parse_message_check(data: &[u8]) {
    let options = ParseOptions::default();
    if let Ok(email) = parse_message(data, &options) {
        // Every link is a link of the text or of an anchor: nothing invented.
        for link in &email.links {
            assert!(!link.href.is_empty());
        }
    }
    let _ = parse_text(data, &options);
    let _ = parse_input(data, &options);
}

/// Splitting an mbox: `From ` lines, `>From` unescaping, per-message size limit.
pub fn mbox_check(data: &[u8]) {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let mut total = 0;
    for mail in read_mbox("fuzz".into(), reader, 4096).flatten() {
        // A message never exceeds the limit, and never more bytes come out than went in.
        assert!(mail.bytes.len() <= 4096);
        total += mail.bytes.len();
    }
    assert!(total <= data.len());
}

/// Dataset row decoding: JSON Lines rows into labeled mail, bounded per line.
pub fn jsonl_rows_check(data: &[u8]) {
    let schema = Schema::default().require_label(false).max_row_bytes(2048);
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    for record in read_jsonl(Path::new("fuzz.jsonl"), &schema, reader).flatten() {
        assert!(record.email.body.len() + record.email.subject.len() <= 2048 * 6);
    }
}

/// The model loader: layout, checksums and every value check, of both sections. The input
/// is used both as a whole file and, after a 4-byte cut point, as the two section payloads
/// under a correct frame, so that decoding and the value checks are reached and not only
/// the checksums.
pub fn model_load_check(data: &[u8]) {
    let path = Path::new("fuzz.model");
    if let Ok(mut model) = Model::from_bytes(data, path) {
        let _ = model.info();
    }
    if data.len() < 4 {
        return;
    }
    let cut = u32::from_le_bytes(data[..4].try_into().unwrap()) as usize;
    let rest = &data[4..];
    let (scoring, learning) = rest.split_at(cut.min(rest.len()));
    if let Ok(mut model) = Model::from_bytes(&Model::frame(scoring, learning), path) {
        // Decodes and checks the learning section, then refits from it.
        if model.info().is_ok() {
            let _ = model.refresh();
        }
    }
}

/// The normaliser's offset map and segmentation: every token span is a range of the
/// original text, on character boundaries, in order.
pub fn normalize_offsets_check(tokenizer: &Tokenizer, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let normalized = tokenizer.normalizer().normalize(text);
    let whole = normalized.original_span(0..normalized.as_str().len());
    assert!(whole.end <= text.len());
    let mut last = 0;
    for token in &tokenizer.tokenize(text) {
        let span = token.span.clone();
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{span:?} of {}",
            text.len()
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(
            span.start >= last || span.start == span.end,
            "out of order: {span:?} after {last}"
        );
        last = span.start;
    }
}

/// Scoring a parsed message end to end: a verdict for every parsed mail, never a panic, and
/// a finite probability.
pub fn score_message_check(model: &Model, tokenizer: &Tokenizer, data: &[u8]) {
    if let Ok(email) = parse_input(data, &ParseOptions::default()) {
        let verdict = model.score(tokenizer, &email);
        assert!(verdict.scam_probability.is_finite(), "{verdict:?}");
    }
}
