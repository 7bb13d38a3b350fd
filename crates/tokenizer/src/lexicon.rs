//! What the dictionary says of each word, decoded once per word and thread, and the
//! segmenter's working memory, kept per thread.
//!
//! Reading a token's part of speech and base form means finding its detail record in the
//! dictionary and splitting it into fields; the features need them for every token, and
//! the same few thousand words make up most mail. Each thread keeps the decoded entries by
//! word id, so a word is decoded the first time the thread meets it and looked up after.
//! Each thread also keeps one lindera [`SegmentWorker`], whose Viterbi lattice is reused
//! from text to text instead of allocated and grown again for every one (lindera shrinks
//! it when a long text has left it oversized).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use lindera::LinderaResult;
use lindera::dictionary::WordId;
use lindera::segmenter::Segmenter;
use lindera::token::Token as LinderaToken;
use lindera::worker::SegmentWorker;

use crate::pos::PartOfSpeech;

/// IPADIC's detail fields: four part-of-speech fields, conjugation type and form, then the
/// base form.
const BASE_FORM_FIELD: usize = 6;

/// The most entries a thread keeps. A mail corpus meets tens of thousands of distinct
/// words; past this bound (IPADIC has ~390,000) words are decoded per token again, so the
/// cache cannot grow with the input.
const MAX_ENTRIES: usize = 1 << 16;

/// The part of speech and base form of one dictionary word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexeme {
    pub pos: PartOfSpeech,
    /// `None` when the dictionary gives no base form (`*`): the surface is its own.
    pub base_form: Option<Box<str>>,
}

impl Lexeme {
    /// Decodes a lindera token's detail record.
    pub fn decode(token: &mut LinderaToken<'_>) -> Lexeme {
        let mut fields = [""; BASE_FORM_FIELD + 1];
        let mut n = 0;
        for (slot, field) in fields.iter_mut().zip(token.details_iter()) {
            *slot = field;
            n += 1;
        }
        let base = fields[BASE_FORM_FIELD];
        Lexeme {
            pos: PartOfSpeech::from_ipadic(&fields[..n.min(4)]),
            base_form: (n > BASE_FORM_FIELD && base != "*").then(|| base.into()),
        }
    }
}

/// A cache key: the word's id, with the unknown-word table apart from the system lexicon.
fn key(word_id: WordId) -> u64 {
    u64::from(word_id.id()) | (u64::from(word_id.is_unknown()) << 32)
}

/// Tells tokenizers apart, so that a thread using two dictionaries never mixes their words.
pub(crate) fn next_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

type Entries = HashMap<u64, Lexeme, foldhash::fast::RandomState>;

/// One thread's state for one tokenizer.
#[derive(Default)]
struct Lexicon {
    owner: u64,
    entries: Entries,
    worker: Option<SegmentWorker>,
}

thread_local! {
    static LEXICON: RefCell<Lexicon> = RefCell::new(Lexicon::default());
}

/// Segments `text` with this thread's worker for the tokenizer `owner` (whose segmenter is
/// `segmenter`) and runs `f` with the tokens and a lookup of their lexemes.
pub(crate) fn with_segmented<R>(
    owner: u64,
    segmenter: &Segmenter,
    text: &str,
    f: impl FnOnce(&mut [LinderaToken<'_>], &mut Lookup<'_>) -> R,
) -> LinderaResult<R> {
    LEXICON.with_borrow_mut(|lexicon| {
        if lexicon.owner != owner {
            lexicon.entries.clear();
            lexicon.worker = None;
            lexicon.owner = owner;
        }
        let Lexicon {
            entries, worker, ..
        } = lexicon;
        let worker = worker.get_or_insert_with(|| segmenter.new_worker());
        let mut tokens = worker.segment(text)?;
        Ok(f(
            &mut tokens,
            &mut Lookup {
                entries,
                spare: None,
            },
        ))
    })
}

/// The lexicon of one thread, borrowed for one text.
pub(crate) struct Lookup<'l> {
    entries: &'l mut Entries,
    /// The last word decoded past the cache's bound.
    spare: Option<Lexeme>,
}

impl Lookup<'_> {
    /// The lexeme of a lindera token, decoded the first time its word is met.
    pub fn get(&mut self, token: &mut LinderaToken<'_>) -> &Lexeme {
        let key = key(token.word_id);
        let entries = &mut *self.entries;
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            return self.spare.insert(Lexeme::decode(token));
        }
        entries.entry(key).or_insert_with(|| Lexeme::decode(token))
    }
}
