use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use sagiguard_corpus::{Email, LabeledEmail};
use sagiguard_tokenizer::Tokenizer;
use serde::{Deserialize, Serialize};

use crate::config::{CheckedFeatureConfig, FeatureConfig, FeatureConfigV3};
use crate::error::Result;
use crate::extract::{Extraction, Sink, extract, extract_into};
use crate::signals::Signal;
use crate::sparse::SparseVector;
use crate::vocabulary::{FeatureCounts, Vocabulary};

/// Checked settings and a fitted vocabulary: turns mail into [`SparseVector`]s. Saved
/// inside the model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeatureExtractor {
    config: CheckedFeatureConfig,
    vocabulary: Vocabulary,
    /// Tells extractors apart in the per-thread memory of words ([`Remembered`]); a clone
    /// has the same settings and vocabulary, so it may share it.
    #[serde(skip, default = "next_extractor")]
    id: u64,
}

/// Equal settings and vocabularies.
impl PartialEq for FeatureExtractor {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config && self.vocabulary == other.vocabulary
    }
}

fn next_extractor() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// How many words a thread remembers the feature of, each in a slot chosen by its key
/// (8 bytes each: the slots stay within the core's second-level cache).
const REMEMBERED_WORDS: usize = 1 << 13;
/// A slot without a word, and a word without a feature (keys and vocabulary indices never
/// reach it: keys are below 2^32 - 1, vocabularies far smaller).
const NOTHING: u32 = u32::MAX;

/// The feature (or none) each recently scored dictionary word of a subject or body gave,
/// for one extractor and tokenizer: most words of a mail recur from mail to mail, and a
/// word remembered costs one read instead of its name made, hashed and compared.
struct Remembered {
    owner: (u64, u64),
    slots: Vec<(u32, u32)>,
}

impl Remembered {
    fn slot(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - REMEMBERED_WORDS.trailing_zeros())) as usize
    }

    /// Forgets everything when `owner` is not the one remembered for.
    fn for_owner(&mut self, owner: (u64, u64)) {
        if self.owner != owner || self.slots.len() != REMEMBERED_WORDS {
            self.owner = owner;
            self.slots.clear();
            self.slots.resize(REMEMBERED_WORDS, (NOTHING, NOTHING));
        }
    }
}

thread_local! {
    static REMEMBERED: RefCell<Remembered> = const {
        RefCell::new(Remembered { owner: (0, 0), slots: Vec::new() })
    };
}

/// Scoring's sink: each feature's vocabulary index, looked up as it is made.
struct Scoring<'a> {
    vocabulary: &'a Vocabulary,
    ids: Vec<u32>,
    remembered: &'a mut Remembered,
}

impl Sink for Scoring<'_> {
    fn add(&mut self, name: &str) {
        if let Some(index) = self.vocabulary.index_of(name) {
            self.ids.push(index);
        }
    }

    fn remembers(&self) -> bool {
        true
    }

    fn recall(&mut self, key: u32) -> bool {
        let (held, index) = self.remembered.slots[Remembered::slot(key)];
        if held != key {
            return false;
        }
        if index != NOTHING {
            self.ids.push(index);
        }
        true
    }

    fn remember(&mut self, key: u32, name: Option<&str>) {
        let index = name.and_then(|name| self.vocabulary.index_of(name));
        if let Some(index) = index {
            self.ids.push(index);
        }
        self.remembered.slots[Remembered::slot(key)] = (key, index.unwrap_or(NOTHING));
    }
}

/// [`FeatureExtractor`] as model format 3 saved it. Read only to upgrade those models.
#[derive(Debug, Clone, Deserialize)]
pub struct FeatureExtractorV3 {
    config: FeatureConfigV3,
    vocabulary: Vocabulary,
}

impl FeatureExtractorV3 {
    /// The extractor with the settings the model was trained with, masks counted.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`](crate::Error::InvalidConfig) for settings out of range.
    pub fn upgrade(self) -> Result<FeatureExtractor> {
        let config = FeatureConfig::from(self.config).check()?;
        Ok(FeatureExtractor::new(config, self.vocabulary))
    }
}

impl FeatureExtractor {
    /// An extractor from settings and a vocabulary fitted with them.
    pub fn new(config: CheckedFeatureConfig, vocabulary: Vocabulary) -> Self {
        FeatureExtractor {
            config,
            vocabulary,
            id: next_extractor(),
        }
    }

    /// Fits the vocabulary on labeled mail held in memory. For a stream, use
    /// [`extract`](crate::extract()) with [`FeatureCounts`].
    ///
    /// # Errors
    ///
    /// [`Error::EmptyCorpus`](crate::Error::EmptyCorpus).
    pub fn fit(
        config: CheckedFeatureConfig,
        tokenizer: &Tokenizer,
        mails: &[LabeledEmail],
    ) -> Result<Self> {
        let mut counts = FeatureCounts::new();
        let mut ids = Vec::new();
        for mail in mails {
            let extraction = extract(&config, tokenizer, &mail.email);
            let class = usize::from(mail.label == sagiguard_corpus::Label::Scam);
            counts.add(&extraction, class, mail.label, config.counts, &mut ids);
        }
        let vocabulary = counts.select(&config)?;
        Ok(FeatureExtractor::new(config, vocabulary))
    }

    /// The settings.
    pub fn config(&self) -> &CheckedFeatureConfig {
        &self.config
    }

    /// The vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// A mail's vector and signals.
    pub fn transform(&self, tokenizer: &Tokenizer, email: &Email) -> (SparseVector, Vec<Signal>) {
        // Names are looked up as they are made: those the vocabulary lacks cost nothing more.
        // About a unigram and a bigram per three bytes of Japanese text, and the rest: sized
        // once instead of grown and copied.
        let text_bytes = email.subject.len() + email.body.len();
        let ids: Vec<u32> = Vec::with_capacity((text_bytes / 3).min(1 << 16) + 64);
        let (mut ids, signals) = REMEMBERED.with_borrow_mut(|remembered| {
            remembered.for_owner((self.id, tokenizer.id()));
            let mut scoring = Scoring {
                vocabulary: &self.vocabulary,
                ids,
                remembered,
            };
            let signals = extract_into(&self.config, tokenizer, email, &mut scoring);
            (scoring.ids, signals)
        });
        ids.sort_unstable();
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(ids.len());
        for id in ids {
            match pairs.last_mut() {
                Some((last, count)) if *last == id => *count += 1,
                _ => pairs.push((id, 1)),
            }
        }
        (self.vectorize_sorted(pairs), signals)
    }

    /// The vector of an extraction: known features only, counts transformed.
    pub fn vectorize(&self, extraction: &Extraction) -> SparseVector {
        self.vectorize_indexed(
            extraction
                .features
                .iter()
                .filter_map(|(name, count)| Some((self.vocabulary.index_of(name)?, *count))),
        )
    }

    /// The vector of `(vocabulary index, count)` pairs, each index at most once, counts
    /// transformed as the settings say.
    pub fn vectorize_indexed(&self, pairs: impl Iterator<Item = (u32, u32)>) -> SparseVector {
        let mut pairs: Vec<(u32, u32)> = pairs.collect();
        pairs.sort_unstable_by_key(|(i, _)| *i);
        self.vectorize_sorted(pairs)
    }

    /// [`Self::vectorize_indexed`] of pairs already in index order.
    fn vectorize_sorted(&self, pairs: Vec<(u32, u32)>) -> SparseVector {
        let (indices, values) = pairs
            .into_iter()
            .map(|(index, count)| (index, self.config.counts.value(count)))
            .unzip();
        SparseVector { indices, values }
    }
}
