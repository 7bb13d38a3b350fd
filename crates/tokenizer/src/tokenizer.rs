use std::borrow::Cow;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

use crate::dictionary::{Dictionary, DictionaryInfo};
use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::pos::PartOfSpeech;
use crate::token::Token;

/// The most text lindera segments at once. Its lattice grows with its input (a 200 MB text
/// asked for a 4 GB allocation), so long text is cut into segments at a line break or
/// space where there is one: memory follows the segment, not the text.
const SEGMENT_BYTES: usize = 64 * 1024;

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
        let mut tokens = Vec::new();
        let all = normalized.as_str();
        let mut start = 0;
        while start < all.len() {
            let end = segment_end(all, start);
            self.tokenize_segment(&normalized, start..end, &mut tokens)?;
            start = end;
        }
        Ok(tokens)
    }

    fn tokenize_segment(
        &self,
        normalized: &crate::normalize::NormalizedText,
        range: std::ops::Range<usize>,
        tokens: &mut Vec<Token>,
    ) -> Result<()> {
        let offset = range.start;
        let mut raw = self
            .segmenter
            .segment(Cow::Borrowed(&normalized.as_str()[range]))
            .map_err(|source| Error::Segment { source })?;
        tokens.reserve(raw.len());
        for token in &mut raw {
            let known = !token.word_id.is_unknown();
            let span = normalized.original_span(offset + token.byte_start..offset + token.byte_end);
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
        Ok(())
    }
}

/// Where the segment starting at `start` ends: the whole rest when it is short, else the
/// last line break, then the last white space, inside the first [`SEGMENT_BYTES`], else
/// a character boundary.
fn segment_end(text: &str, start: usize) -> usize {
    if text.len() - start <= SEGMENT_BYTES {
        return text.len();
    }
    let mut limit = start + SEGMENT_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[start..limit];
    let cut = window
        .rfind('\n')
        .or_else(|| window.rfind(char::is_whitespace))
        .filter(|&i| i > 0)
        .map_or(limit, |i| start + i + 1);
    // A cut inside a multi-byte white space character moves to its end.
    let mut cut = cut;
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_end_at_line_breaks_within_the_bound() {
        let line = "あいうえお".repeat(1000) + "\n";
        let text = line.repeat(20);
        let mut start = 0;
        let mut ends = Vec::new();
        while start < text.len() {
            let end = segment_end(&text, start);
            assert!(end - start <= SEGMENT_BYTES && end > start);
            assert!(end == text.len() || text[..end].ends_with('\n'));
            ends.push(end);
            start = end;
        }
        assert!(ends.len() > 1);
        // No break at all: cut at a character boundary.
        let text = "漢".repeat(50_000);
        let end = segment_end(&text, 0);
        assert!(text.is_char_boundary(end) && end <= SEGMENT_BYTES);
    }

    #[test]
    fn a_tokenizer_is_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tokenizer>();
    }
}
