use std::borrow::Cow;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

use crate::dictionary::{Dictionary, DictionaryInfo};
use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::pos::PartOfSpeech;
use crate::token::Token;

/// IPADIC's detail fields: four part-of-speech fields, conjugation type and form, then the
/// base form.
const BASE_FORM_FIELD: usize = 6;

/// Segments Japanese text into [`Token`]s. Shared read-only across threads.
pub struct Tokenizer {
    segmenter: Segmenter,
    normalizer: Normalizer,
    dictionary: DictionaryInfo,
}

impl Tokenizer {
    /// A tokenizer with the default normaliser (NFKC, then lowercase).
    pub fn new(dictionary: Dictionary) -> Self {
        Tokenizer::with_normalizer(dictionary, Normalizer::default())
    }

    /// A tokenizer with the given normaliser.
    pub fn with_normalizer(dictionary: Dictionary, normalizer: Normalizer) -> Self {
        let (inner, info) = dictionary.into_parts();
        Tokenizer {
            segmenter: Segmenter::new(Mode::Normal, inner, None),
            normalizer,
            dictionary: info,
        }
    }

    /// Where the dictionary came from and its fingerprint.
    pub fn dictionary(&self) -> &DictionaryInfo {
        &self.dictionary
    }

    /// The normaliser applied before segmentation.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Normalises `text`, segments it, and maps every token back to its bytes in `text`.
    /// White space separates tokens and yields none.
    ///
    /// # Errors
    ///
    /// [`Error::Segment`] when lindera fails, which it does not on valid UTF-8 text.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>> {
        let normalized = self.normalizer.normalize(text);
        let mut raw = self
            .segmenter
            .segment(Cow::Borrowed(normalized.as_str()))
            .map_err(|source| Error::Segment { source })?;
        let mut tokens = Vec::with_capacity(raw.len());
        for token in &mut raw {
            let known = !token.word_id.is_unknown();
            let span = normalized.original_span(token.byte_start..token.byte_end);
            let surface = token.surface.to_string();
            let details = token.details();
            let pos = PartOfSpeech::from_ipadic(&details[..details.len().min(4)]);
            let base_form = match details.get(BASE_FORM_FIELD) {
                Some(base) if *base != "*" => (*base).to_string(),
                _ => surface.clone(),
            };
            tokens.push(Token {
                surface,
                base_form,
                pos,
                span,
                known,
            });
        }
        Ok(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tokenizer_is_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tokenizer>();
    }
}
