use sagiguard_corpus::{Email, LabeledEmail};
use sagiguard_tokenizer::Tokenizer;
use serde::{Deserialize, Serialize};

use crate::config::CheckedFeatureConfig;
use crate::error::Result;
use crate::extract::{Extraction, extract};
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
    /// A tokenizer error, or [`Error::EmptyCorpus`](crate::Error::EmptyCorpus).
    pub fn fit(
        config: CheckedFeatureConfig,
        tokenizer: &Tokenizer,
        mails: &[LabeledEmail],
    ) -> Result<Self> {
        let mut counts = FeatureCounts::new();
        let mut ids = Vec::new();
        for mail in mails {
            let extraction = extract(&config, tokenizer, &mail.email)?;
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
    ///
    /// # Errors
    ///
    /// A tokenizer error.
    pub fn transform(
        &self,
        tokenizer: &Tokenizer,
        email: &Email,
    ) -> Result<(SparseVector, Vec<Signal>)> {
        let extraction = extract(&self.config, tokenizer, email)?;
        Ok((self.vectorize(&extraction), extraction.signals))
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
        let mut pairs: Vec<(u32, f32)> = pairs
            .map(|(index, count)| (index, self.config.counts.value(count)))
            .collect();
        pairs.sort_unstable_by_key(|(i, _)| *i);
        let (indices, values) = pairs.into_iter().unzip();
        SparseVector { indices, values }
    }
}
