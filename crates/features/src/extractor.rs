use sagiguard_corpus::{Email, LabeledEmail};
use sagiguard_tokenizer::Tokenizer;
use serde::{Deserialize, Serialize};

use crate::config::{CheckedFeatureConfig, FeatureConfig, FeatureConfigV3};
use crate::error::Result;
use crate::extract::{Extraction, extract, extract_with};
use crate::signals::Signal;
use crate::sparse::SparseVector;
use crate::vocabulary::{FeatureCounts, Vocabulary};

/// Checked settings and a fitted vocabulary: turns mail into [`SparseVector`]s. Saved
/// inside the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureExtractor {
    config: CheckedFeatureConfig,
    vocabulary: Vocabulary,
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
        FeatureExtractor { config, vocabulary }
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
        let mut ids: Vec<u32> = Vec::with_capacity((text_bytes / 3).min(1 << 16) + 64);
        let signals = extract_with(&self.config, tokenizer, email, &mut |name: &str| {
            if let Some(index) = self.vocabulary.index_of(name) {
                ids.push(index);
            }
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
