use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

use crate::dictionary::{Dictionary, DictionaryInfo};
use crate::lexicon::{Words, next_owner, with_segmented};
use crate::normalize::{NormalizedText, Normalizer};
use crate::token::{Morpheme, Token};

/// The most text lindera segments at once. Its lattice grows with its input (a 200 MB text
/// asked for a 4 GB allocation), so long text is cut into segments at a line break or
/// space where there is one: memory follows the segment, not the text.
const SEGMENT_BYTES: usize = 64 * 1024;

/// Segments Japanese text into [`Token`]s. Shared read-only across threads.
pub struct Tokenizer {
    words: Words,
    normalizer: Normalizer,
    dictionary: DictionaryInfo,
    /// Keys this tokenizer's words in the per-thread lexicon.
    owner: u64,
}

impl Tokenizer {
    /// A tokenizer with the default normaliser (NFKC, then lowercase).
    pub fn new(dictionary: Dictionary) -> Self {
        Tokenizer::with_normalizer(dictionary, Normalizer::default())
    }

    /// A tokenizer with the given normaliser.
    pub fn with_normalizer(dictionary: Dictionary, normalizer: Normalizer) -> Self {
        let (inner, details, info) = dictionary.into_parts();
        Tokenizer {
            words: Words::new(Segmenter::new(Mode::Normal, inner, None), details),
            normalizer,
            dictionary: info,
            owner: next_owner(),
        }
    }

    /// This tokenizer, among those of the process: two with the same id segment alike,
    /// and a [`Morpheme::word`] means the same word under both.
    pub fn id(&self) -> u64 {
        self.owner
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
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        self.for_each_morpheme(text, |m| tokens.push(m.to_token()));
        tokens
    }

    /// Calls `f` with every morpheme of `text`, in order, as [`tokenize`](Self::tokenize)
    /// would return them but borrowed: nothing is allocated per token, and each
    /// dictionary word's part of speech and base form are read from the build's table of
    /// them (or, for a build without one, decoded once per thread).
    pub fn for_each_morpheme(&self, text: &str, f: impl FnMut(Morpheme<'_>)) {
        self.for_each_normalized_morpheme(&self.normalizer.normalize(text), f)
    }

    /// [`for_each_morpheme`](Self::for_each_morpheme) on a text this tokenizer's
    /// normaliser has already normalised, for a caller that needs the normalised text too.
    pub fn for_each_normalized_morpheme(
        &self,
        normalized: &NormalizedText,
        f: impl FnMut(Morpheme<'_>),
    ) {
        self.for_each_normalized_morpheme_unless(normalized, |_| false, f)
    }

    /// [`for_each_normalized_morpheme`](Self::for_each_normalized_morpheme) for a caller
    /// that remembers what words give it: `remembered` is asked first with each word of
    /// the system dictionary (its [`Morpheme::word`]), and a word it answers `true` for is
    /// passed over, its part of speech and base form not read.
    pub fn for_each_normalized_morpheme_unless(
        &self,
        normalized: &NormalizedText,
        mut remembered: impl FnMut(u32) -> bool,
        mut f: impl FnMut(Morpheme<'_>),
    ) {
        let all = normalized.as_str();
        let mut start = 0;
        while start < all.len() {
            let end = segment_end(all, start);
            self.segment(normalized, start..end, &mut remembered, &mut f);
            start = end;
        }
    }

    fn segment(
        &self,
        normalized: &NormalizedText,
        range: std::ops::Range<usize>,
        remembered: &mut impl FnMut(u32) -> bool,
        f: &mut impl FnMut(Morpheme<'_>),
    ) {
        let offset = range.start;
        let text = &normalized.as_str()[range];
        with_segmented(
            self.owner,
            &self.words,
            text,
            |word_id| system_word(word_id).is_some_and(&mut *remembered),
            |range, word_id, pos, base_form| {
                let surface = &text[range.clone()];
                f(Morpheme {
                    surface,
                    base_form: base_form.unwrap_or(surface),
                    pos,
                    known: !word_id.is_unknown(),
                    word: system_word(word_id),
                    normalized,
                    range: offset + range.start..offset + range.end,
                });
            },
        );
    }
}

/// The id of a word of the system dictionary.
fn system_word(word_id: lindera::dictionary::WordId) -> Option<u32> {
    (word_id.is_system() && !word_id.is_unknown()).then(|| word_id.id())
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
