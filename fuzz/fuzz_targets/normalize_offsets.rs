//! The normaliser's offset map and segmentation: every token span is a range of the
//! original text, on character boundaries, in order.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};

fn tokenizer() -> &'static Tokenizer {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    TOKENIZER.get_or_init(|| {
        Tokenizer::new(DictionaryLocator::from_env().load().expect("the IPADIC dictionary"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let normalized = tokenizer().normalizer().normalize(text);
    let whole = normalized.original_span(0..normalized.as_str().len());
    assert!(whole.end <= text.len());
    let tokens = tokenizer().tokenize(text).expect("tokenizing never fails");
    let mut last = 0;
    for token in &tokens {
        let span = token.span.clone();
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?} of {}", text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(span.start >= last || span.start == span.end, "out of order: {span:?} after {last}");
        last = span.start;
    }
});
