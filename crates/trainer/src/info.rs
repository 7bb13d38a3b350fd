//! A model's summary for people and programs (`sagiguard model info`).

use sagiguard_features::MAX_STORED_FEATURES;
use serde::Serialize;

use crate::error::Result;
use crate::learn::History;
use crate::model::Model;

/// A summary of a model, for `sagiguard model info`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    /// The model file's format version.
    pub format: u16,
    /// The sagiguard version that trained it.
    pub sagiguard_version: String,
    /// The training date.
    pub trained_on: String,
    /// Scam and ham mails counted now: training, plus learned, minus forgotten.
    pub scam_mails: u64,
    /// See `scam_mails`.
    pub ham_mails: u64,
    /// Distinct mails the model can forget (content hashes kept).
    pub mails_known: usize,
    /// Features with counts.
    pub stored_features: usize,
    /// The cap past which the rarest are pruned.
    pub max_stored_features: usize,
    /// Features dropped by the cap so far: forgetting a mail learned before a pruning is
    /// no longer exact.
    pub pruned_features: u64,
    /// Features scoring uses.
    pub vocabulary: usize,
    /// The classes.
    pub classes: Vec<String>,
    /// The decision threshold.
    pub threshold: f64,
    /// What happened since training.
    pub history: History,
    /// Whether the calibration and threshold should be refitted.
    pub refit_advised: bool,
}

impl Model {
    /// The model's summary.
    ///
    /// # Errors
    ///
    /// A model whose counts cannot be decoded.
    pub fn info(&mut self) -> Result<ModelInfo> {
        let classes = self
            .classes
            .iter()
            .map(|c| {
                c.category
                    .clone()
                    .unwrap_or_else(|| c.label.as_str().to_string())
            })
            .collect();
        let vocabulary = self.extractor.vocabulary().len();
        let threshold = self.threshold;
        let version = self.metadata.sagiguard_version.clone();
        let trained_on = self.metadata.trained_on.clone();
        let format = self.read_format.unwrap_or(crate::model::FORMAT_VERSION);
        let learning = self.learning_mut()?;
        let [ham, scam] = learning.counts.label_mails();
        Ok(ModelInfo {
            format,
            sagiguard_version: version,
            trained_on,
            scam_mails: scam,
            ham_mails: ham,
            mails_known: learning.learned.len(),
            stored_features: learning.counts.len(),
            max_stored_features: MAX_STORED_FEATURES,
            pruned_features: learning.counts.pruned(),
            vocabulary,
            classes,
            threshold,
            history: learning.history.clone(),
            refit_advised: learning.history.refit_advised(),
        })
    }
}
