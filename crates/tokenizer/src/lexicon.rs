//! What the dictionary says of each word, decoded once per word and thread, and the
//! segmenter's working memory, kept per thread.
//!
//! Reading a token's part of speech and base form means finding its detail record in the
//! dictionary and splitting it into fields; the features need them for every token, and
//! the same few thousand words make up most mail. Each thread keeps the decoded entries by
//! word id, so a word is decoded the first time the thread meets it and looked up after.
//! An entry is small and holds no pointer of its own: the few dozen parts of speech a
//! dictionary has are kept once, and base forms side by side in one buffer, so reading a
//! word's class touches memory every token touches (an entry's own vector and strings
//! were a cache miss per token).
//!
//! Segmentation drives lindera's Viterbi lattice directly, sentence by sentence, as
//! lindera's `Segmenter::segment` does, but hands each word on as its byte range and word
//! id: lindera would first build a `Token` per word (a copy of its fields, grown into a new
//! vector per call), which cost as much as our whole use of the words. Each thread keeps
//! one lattice, reused from text to text and shrunk when a long text has left it oversized.
//! The words are tested equal to lindera's on the whole corpus.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use lindera::dictionary::{Dictionary, WordId};
use lindera::segmenter::Segmenter;
use lindera_dictionary::dictionary::character_definition::CategoryId;
use lindera_dictionary::space_penalty::SpacePenaltyTable;
use lindera_dictionary::viterbi::{Lattice, LatticeOptions};

use crate::details::WordDetails;
use crate::pos::PartOfSpeech;

/// IPADIC's detail fields: four part-of-speech fields, conjugation type and form, then the
/// base form.
const BASE_FORM_FIELD: usize = 6;

/// The most entries a thread keeps. A mail corpus meets tens of thousands of distinct
/// words; past this bound (IPADIC has ~390,000) words are decoded per token again, so the
/// cache cannot grow with the input.
const MAX_ENTRIES: usize = 1 << 16;

/// lindera's bound on a sentence without a delimiter, past which it cuts: the lattice
/// indexes characters with `u16`. Kept equal to lindera's own (private) bound so that the
/// words are the same (tested on a long text without delimiters).
const MAX_SENTENCE_BYTES: usize = 32 * 1024;

/// Lattice shrinking, as lindera's reusable worker does it: every `SHRINK_WINDOW_CALLS`
/// texts, a lattice over twice the window's longest sentence (and over the floor, in
/// characters) is shrunk to it, so one long mail does not pin megabytes per thread.
const SHRINK_WINDOW_CALLS: u32 = 64;
const SHRINK_FLOOR_CHARS: usize = 4 * 1024;

/// The part of speech and base form of one dictionary word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexeme {
    pub pos: PartOfSpeech,
    /// `None` when the dictionary gives no base form (`*`): the surface is its own.
    pub base_form: Option<Box<str>>,
}

impl Lexeme {
    /// Decodes a word's detail record, as lindera's `Token::details` reads it: fields past
    /// the record are `*` up to the schema's width.
    pub(crate) fn decode(dictionary: &Dictionary, word_id: WordId) -> Lexeme {
        let id = word_id.id() as usize;
        let details = if word_id.is_unknown() {
            dictionary.unknown_word_details_iter(id)
        } else {
            dictionary.word_details_iter(id)
        };
        let width = dictionary
            .metadata
            .dictionary_schema
            .get_custom_fields()
            .len();
        let mut fields = ["*"; BASE_FORM_FIELD + 1];
        let mut n = 0;
        for (slot, field) in fields.iter_mut().zip(details) {
            *slot = field;
            n += 1;
        }
        let n = n.max(width);
        let base = fields[BASE_FORM_FIELD];
        Lexeme {
            pos: PartOfSpeech::from_ipadic(&fields[..n.min(4)]),
            base_form: (n > BASE_FORM_FIELD && base != "*").then(|| base.into()),
        }
    }
}

/// A cache key: the word's id, with the unknown-word table apart from the system lexicon
/// (the top bit); `None` for an id that needs the top bit itself, decoded per token.
fn key(word_id: WordId) -> Option<u32> {
    let id = word_id.id();
    (id < 1 << 31).then(|| id | (u32::from(word_id.is_unknown()) << 31))
}

/// Tells tokenizers apart, so that a thread using two dictionaries never mixes their words.
pub(crate) fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Past this many distinct parts of speech (IPADIC has a few dozen) a word is decoded per
/// token: entries name their part of speech with a `u16`.
const MAX_PARTS_OF_SPEECH: usize = 1 << 12;

/// A decoded word: its part of speech by index into [`Decoded::parts_of_speech`], and its
/// base form as `base_len` bytes of [`Decoded::base_forms`] from `base_start`
/// ([`NO_BASE_FORM`]: the surface is its own). Eight bytes, twelve a slot with its key: the
/// table is read for every token, and a smaller one stays in the caches (24-byte slots
/// before).
#[derive(Clone, Copy)]
struct Entry {
    base_start: u32,
    base_len: u16,
    pos: u16,
}

/// `Entry::base_len` of a word without a base form; longer base forms are decoded per token.
const NO_BASE_FORM: u16 = u16::MAX;

/// The words a thread has decoded.
#[derive(Default)]
struct Decoded {
    entries: HashMap<u32, Entry, foldhash::fast::RandomState>,
    parts_of_speech: Vec<PartOfSpeech>,
    pos_index: HashMap<PartOfSpeech, u16, foldhash::fast::RandomState>,
    base_forms: String,
}

impl Decoded {
    /// The part of speech and base form of a word, decoded now if the thread has not met
    /// it; past the bounds, into `spare` instead of the cache.
    fn lookup<'l>(
        &'l mut self,
        spare: &'l mut Option<Lexeme>,
        dictionary: &Dictionary,
        word_id: WordId,
    ) -> (&'l PartOfSpeech, Option<&'l str>) {
        let key = key(word_id);
        let entry = match key.and_then(|key| self.entries.get(&key)) {
            Some(&entry) => entry,
            None => {
                let lexeme = Lexeme::decode(dictionary, word_id);
                let pos = match self.pos_index.get(&lexeme.pos) {
                    Some(&pos) => Some(pos),
                    None if self.parts_of_speech.len() < MAX_PARTS_OF_SPEECH => {
                        let pos = self.parts_of_speech.len() as u16;
                        self.parts_of_speech.push(lexeme.pos.clone());
                        self.pos_index.insert(lexeme.pos.clone(), pos);
                        Some(pos)
                    }
                    None => None,
                };
                let base_len = lexeme.base_form.as_deref().map_or(0, str::len);
                let fits = self.entries.len() < MAX_ENTRIES
                    && base_len < usize::from(NO_BASE_FORM)
                    && self.base_forms.len() + base_len <= u32::MAX as usize;
                let (Some(key), Some(pos), true) = (key, pos, fits) else {
                    let lexeme = spare.insert(lexeme);
                    return (&lexeme.pos, lexeme.base_form.as_deref());
                };
                let entry = Entry {
                    base_start: self.base_forms.len() as u32,
                    base_len: lexeme.base_form.as_deref().map_or(NO_BASE_FORM, |base| {
                        self.base_forms.push_str(base);
                        base.len() as u16
                    }),
                    pos,
                };
                self.entries.insert(key, entry);
                entry
            }
        };
        let start = entry.base_start as usize;
        let base_form = (entry.base_len != NO_BASE_FORM)
            .then(|| {
                self.base_forms
                    .get(start..start + usize::from(entry.base_len))
            })
            .flatten();
        (&self.parts_of_speech[usize::from(entry.pos)], base_form)
    }
}

/// lindera's segmenter with what it derives from its dictionary to drop white space.
pub(crate) struct Words {
    segmenter: Segmenter,
    /// Which code points of the Basic Multilingual Plane are in the dictionary's `SPACE`
    /// category, one bit each (empty when it has none), and the category for the rest.
    space_bits: Vec<u64>,
    space: Option<CategoryId>,
    /// The left-space penalty lindera's segmenter applies (a dictionary's shipped rules,
    /// as ko-dic has; IPADIC has none), rebuilt here because lindera keeps its own private.
    space_penalty: Option<SpacePenaltyTable>,
    /// The dictionary's words decoded when it was compiled, when the build has the table.
    details: Option<WordDetails>,
}

impl Words {
    /// The words of `segmenter`, which must carry no user dictionary (the tokenizer gives
    /// it none).
    pub fn new(segmenter: Segmenter, details: Option<WordDetails>) -> Words {
        debug_assert!(segmenter.user_dictionary.is_none());
        // lindera built the same table from the same rules when it took them.
        let space_penalty = segmenter
            .space_penalty_config()
            .and_then(|rules| SpacePenaltyTable::build(rules, &segmenter.dictionary, None).ok());
        let definition = &segmenter.dictionary.character_definition;
        let space = definition.category_id_by_name("SPACE");
        let mut space_bits = Vec::new();
        if let Some(id) = space {
            // 8 KiB, built in well under a millisecond: a bit test per character after.
            space_bits = vec![0; 0x10000 / 64];
            for code in 0..0x10000_u32 {
                if let Some(c) = char::from_u32(code)
                    && definition.lookup_categories(c).contains(&id)
                {
                    space_bits[code as usize / 64] |= 1 << (code % 64);
                }
            }
        }
        Words {
            segmenter,
            space_bits,
            space,
            space_penalty,
            details,
        }
    }

    /// Whether a word is white space only, which lindera drops as MeCab does.
    fn is_space(&self, word: &str) -> bool {
        let Some(id) = &self.space else {
            return false;
        };
        word.chars().all(|c| {
            let code = c as usize;
            match self.space_bits.get(code / 64) {
                Some(bits) => bits & (1 << (code % 64)) != 0,
                None => self
                    .segmenter
                    .dictionary
                    .character_definition
                    .lookup_categories(c)
                    .contains(id),
            }
        })
    }

    /// Calls `f` with the byte range and word id of every word of `text` but white space,
    /// in order, segmenting on `lattice`.
    fn each(
        &self,
        lattice: &mut Lattice,
        offsets: &mut Vec<(usize, WordId)>,
        text: &str,
        mut f: impl FnMut(Range<usize>, WordId),
    ) {
        let segmenter = &self.segmenter;
        let dictionary = &segmenter.dictionary;
        let mut options = LatticeOptions::new(&segmenter.mode);
        options.max_grouping_len = segmenter.max_grouping_len;
        options.unknown_word_ladder = segmenter.unknown_word_ladder;
        options.space_penalty = self.space_penalty.as_ref();
        let mut start = 0;
        while start < text.len() {
            let end = sentence_end(text, start);
            let sentence = &text[start..end];
            lattice.set_text_with_options(
                &dictionary.prefix_dictionary,
                &None,
                &dictionary.character_definition,
                &dictionary.unknown_dictionary,
                &dictionary.connection_cost_matrix,
                sentence,
                &options,
            );
            lattice.tokens_offset_into(offsets);
            for (i, &(word_start, word_id)) in offsets.iter().enumerate() {
                let word_end = offsets.get(i + 1).map_or(sentence.len(), |next| next.0);
                if !self.is_space(&sentence[word_start..word_end]) {
                    f(start + word_start..start + word_end, word_id);
                }
            }
            start = end;
        }
    }
}

/// Where the sentence starting at `start` ends, as lindera cuts: after a line break, tab,
/// `。` or `、`, else at the first character boundary [`MAX_SENTENCE_BYTES`] on.
pub(crate) fn sentence_end(text: &str, start: usize) -> usize {
    let mut limit = (start + MAX_SENTENCE_BYTES).min(text.len());
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    let bytes = &text.as_bytes()[..limit];
    let mut from = start;
    // `。` and `、` are E3 80 82 and E3 80 81: look for their rarer middle byte.
    while let Some(i) = memchr::memchr3(b'\n', b'\t', 0x80, &bytes[from..]) {
        let at = from + i;
        if bytes[at] != 0x80 {
            return at + 1;
        }
        if bytes[at - 1] == 0xE3 && matches!(bytes[at + 1], 0x81 | 0x82) {
            return at + 2;
        }
        from = at + 1;
    }
    limit
}

/// One thread's state for one tokenizer.
#[derive(Default)]
struct Lexicon {
    owner: u64,
    decoded: Decoded,
    lattice: Lattice,
    offsets: Vec<(usize, WordId)>,
    /// The longest sentence, in characters, and the texts segmented in this shrink window.
    window_chars: usize,
    window_calls: u32,
}

impl Lexicon {
    fn shrink_now_and_then(&mut self) {
        self.window_chars = self.window_chars.max(self.lattice.take_max_char_len());
        self.window_calls += 1;
        if self.window_calls >= SHRINK_WINDOW_CALLS {
            let target = self.window_chars.max(SHRINK_FLOOR_CHARS);
            if self.lattice.capacity() > target.saturating_mul(2) {
                self.lattice.shrink_to(target);
            }
            self.window_chars = 0;
            self.window_calls = 0;
        }
    }
}

thread_local! {
    static LEXICON: RefCell<Lexicon> = RefCell::new(Lexicon::default());
}

/// Segments `text` on this thread's lattice for the tokenizer `owner` (whose words are
/// `words`) and calls `f` with each word's byte range and lexeme, in order, but for words
/// `skip` answers `true` for.
pub(crate) fn with_segmented(
    owner: u64,
    words: &Words,
    text: &str,
    mut skip: impl FnMut(WordId) -> bool,
    mut f: impl FnMut(Range<usize>, WordId, &PartOfSpeech, Option<&str>),
) {
    LEXICON.with_borrow_mut(|lexicon| {
        if lexicon.owner != owner {
            // A lattice is built for one dictionary: a new one for another.
            *lexicon = Lexicon {
                owner,
                ..Lexicon::default()
            };
        }
        lexicon.shrink_now_and_then();
        let Lexicon {
            decoded,
            lattice,
            offsets,
            ..
        } = lexicon;
        let dictionary = &words.segmenter.dictionary;
        let mut spare = None;
        words.each(lattice, offsets, text, |range, word_id| {
            if skip(word_id) {
                return;
            }
            let table = match &words.details {
                Some(details) if !word_id.is_unknown() => details.get(word_id.id() as usize),
                _ => None,
            };
            let (pos, base_form) = match table {
                Some(found) => found,
                None => decoded.lookup(&mut spare, dictionary, word_id),
            };
            f(range, word_id, pos, base_form);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// lindera's own cut, byte by byte.
    fn sentence_end_reference(text: &str, start: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = start;
        while end < bytes.len() {
            let byte = bytes[end];
            end += 1;
            if byte == b'\n' || byte == b'\t' {
                return end;
            }
            if (byte == 0x81 || byte == 0x82)
                && end >= 3
                && (&bytes[end - 3..end] == "。".as_bytes()
                    || &bytes[end - 3..end] == "、".as_bytes())
            {
                return end;
            }
            if end - start >= MAX_SENTENCE_BYTES && text.is_char_boundary(end) {
                return end;
            }
        }
        end
    }

    fn tiny_dictionary(cache: &std::path::Path) -> crate::Dictionary {
        crate::DictionaryLocator::new()
            .explicit(Some(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/tiny-ipadic"
            )))
            .cache_root(cache)
            .load()
            .unwrap()
    }

    /// Each word's range and id, as `Words` finds them.
    fn words_of(words: &Words, text: &str) -> Vec<(Range<usize>, WordId)> {
        let (mut lattice, mut offsets, mut found) = (Lattice::default(), Vec::new(), Vec::new());
        words.each(&mut lattice, &mut offsets, text, |range, id| {
            found.push((range, id))
        });
        found
    }

    /// Each word's range and id, as lindera's segmenter finds them.
    fn lindera_words(segmenter: &Segmenter, text: &str) -> Vec<(Range<usize>, WordId)> {
        segmenter
            .segment(std::borrow::Cow::Borrowed(text))
            .unwrap()
            .iter()
            .map(|t| (t.byte_start..t.byte_end, t.word_id))
            .collect()
    }

    #[test]
    fn a_space_penalty_is_applied_as_lindera_applies_it() {
        use lindera::space_penalty::{SpacePenaltyConfig, SpacePenaltyRule};
        let cache = tempfile::tempdir().unwrap();
        let plain = Segmenter::new(
            lindera::mode::Mode::Normal,
            tiny_dictionary(cache.path()).into_lindera(),
            None,
        );
        // Particles after a space cost more: the fixture's「に」is also a verb (似る).
        let rules = SpacePenaltyConfig::new(vec![SpacePenaltyRule::new(["助詞"], 30_000)]);
        let penalized = plain.clone().space_penalty(Some(rules)).unwrap();
        let words = Words::new(penalized.clone(), None);
        let texts = [
            "時間 に 入金",
            "時間に入金",
            "このメール を開封し て",
            " に に",
        ];
        for text in texts {
            assert_eq!(
                words_of(&words, text),
                lindera_words(&penalized, text),
                "{text}"
            );
        }
        // The rules change the words of some text: the test sees the penalty at work.
        assert!(
            texts
                .iter()
                .any(|t| lindera_words(&penalized, t) != lindera_words(&plain, t))
        );
    }

    #[test]
    fn a_word_is_what_its_record_says_whether_kept_or_past_the_bound() {
        let cache = tempfile::tempdir().unwrap();
        let words = Words::new(
            Segmenter::new(
                lindera::mode::Mode::Normal,
                tiny_dictionary(cache.path()).into_lindera(),
                None,
            ),
            None,
        );
        let dictionary = &words.segmenter.dictionary;
        let ids: Vec<WordId> = words_of(&words, "このメールを開封し、未知語xyz")
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        assert!(ids.iter().any(|id| id.is_unknown()) && ids.iter().any(|id| !id.is_unknown()));
        let expected = |id: WordId| {
            let lexeme = Lexeme::decode(dictionary, id);
            (lexeme.pos, lexeme.base_form.map(String::from))
        };
        let answer = |decoded: &mut Decoded, id: WordId| {
            let mut spare = None;
            let (pos, base) = decoded.lookup(&mut spare, dictionary, id);
            (pos.clone(), base.map(String::from))
        };
        let mut decoded = Decoded::default();
        for _ in 0..2 {
            for &id in &ids {
                assert_eq!(answer(&mut decoded, id), expected(id), "{id:?}");
            }
        }
        assert_eq!(
            decoded.entries.len(),
            ids.iter()
                .map(|&id| key(id))
                .collect::<std::collections::HashSet<_>>()
                .len()
        );
        assert!(
            decoded.parts_of_speech.len() < ids.len(),
            "parts of speech are shared"
        );
        // Full: answered all the same, nothing more kept.
        let mut full = Decoded::default();
        for k in 0..MAX_ENTRIES as u32 {
            full.entries.insert(
                k | 1 << 30,
                Entry {
                    base_start: 0,
                    base_len: NO_BASE_FORM,
                    pos: 0,
                },
            );
        }
        for &id in &ids {
            assert_eq!(answer(&mut full, id), expected(id), "{id:?}");
        }
        assert_eq!(full.entries.len(), MAX_ENTRIES);
        assert!(full.base_forms.is_empty());
    }

    /// Keys tell the system lexicon from the unknown-word table, and an id that needs the
    /// key's top bit has no key (its word is decoded per token).
    #[test]
    fn keys_keep_the_two_tables_apart_and_refuse_ids_past_31_bits() {
        use lindera_dictionary::viterbi::LexType;
        let system = |id| key(WordId::new(LexType::System, id));
        let unknown = |id| key(WordId::new(LexType::Unknown, id));
        assert_ne!(system(7), unknown(7));
        assert_eq!(system(7), Some(7));
        assert_eq!(system((1 << 31) - 1), Some((1 << 31) - 1));
        assert_eq!(unknown((1 << 31) - 1), Some(u32::MAX));
        assert_eq!(system(1 << 31), None);
        assert_eq!(unknown(u32::MAX), None);
    }

    #[test]
    fn a_long_text_leaves_no_large_lattice_behind() {
        let cache = tempfile::tempdir().unwrap();
        let tokenizer = crate::Tokenizer::new(tiny_dictionary(cache.path()));
        let capacity = || LEXICON.with_borrow(|l| l.lattice.capacity());
        // Sentences of ~10,900 characters: lindera's cut, past twice the floor.
        tokenizer.tokenize(&"あ".repeat(20_000));
        assert!(capacity() > 2 * SHRINK_FLOOR_CHARS, "{}", capacity());
        // One window still sees the long text; the next shrinks to the floor.
        for _ in 0..2 * SHRINK_WINDOW_CALLS {
            tokenizer.tokenize("短い文");
        }
        assert!(capacity() <= SHRINK_FLOOR_CHARS, "{}", capacity());
    }

    proptest::proptest! {
        #[test]
        fn sentences_end_where_lindera_ends_them(
            // Characters whose UTF-8 holds 0x80 without being `。` or `、` (U+3000, U+3040,
            // U+4E00, U+0400), the delimiters, and plain text.
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\u{3000}", "\u{3040}", "一", "Ѐ", "。", "、", "\n", "\t", "abc", "お荷物", "〜",
                    "「",
                ]),
                0..40,
            ),
        ) {
            let text = pieces.concat();
            let mut start = 0;
            while start < text.len() {
                let end = sentence_end(&text, start);
                proptest::prop_assert_eq!(end, sentence_end_reference(&text, start));
                start = end;
            }
        }
    }

    #[test]
    fn long_sentences_end_where_lindera_ends_them() {
        // No delimiter: cut at the first character boundary past the bound, in ASCII and
        // in three-byte characters, and a delimiter right at the bound.
        for text in [
            "a".repeat(MAX_SENTENCE_BYTES * 2 + 5),
            "漢".repeat(MAX_SENTENCE_BYTES),
            "a".repeat(MAX_SENTENCE_BYTES - 3) + "。" + &"a".repeat(10),
            "a".repeat(MAX_SENTENCE_BYTES - 1) + "。" + &"a".repeat(10),
        ] {
            let mut start = 0;
            while start < text.len() {
                let end = sentence_end(&text, start);
                assert_eq!(end, sentence_end_reference(&text, start));
                start = end;
            }
        }
    }
}
