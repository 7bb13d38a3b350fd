//! Merging models trained apart: their counts summed, the parameters recomputed.

use crate::error::{Error, Result};
use crate::model::Model;

impl Model {
    /// Sums the counts of models trained with the same settings and dictionary: the model
    /// training on all their mails at once would give (to float rounding), with the first
    /// model's calibration and threshold (refit them with [`Model::recalibrate`]).
    ///
    /// # Errors
    ///
    /// [`Error::Incompatible`] naming the first model that differs from the first.
    pub fn merge(models: Vec<(std::path::PathBuf, Model)>) -> Result<Model> {
        let mut models = models.into_iter();
        let Some((_, mut merged)) = models.next() else {
            return Err(Error::Input("no model to merge".into()));
        };
        merged.learning_mut()?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(merged.metadata.corpus_hash.as_bytes());
        for (path, mut other) in models {
            let differs = |what: &str| Error::Incompatible {
                path: path.clone(),
                reason: format!("it differs from the first model in its {what}"),
            };
            if other.dictionary_fingerprint != merged.dictionary_fingerprint {
                return Err(differs("dictionary"));
            }
            if other.normalizer != merged.normalizer {
                return Err(differs("text normalisation"));
            }
            if other.extractor.config() != merged.extractor.config() {
                return Err(differs("feature settings"));
            }
            if (other.nb.algorithm, other.nb.alpha) != (merged.nb.algorithm, merged.nb.alpha) {
                return Err(differs("naive-Bayes event model or smoothing"));
            }
            if other.classes != merged.classes {
                return Err(differs("class list"));
            }
            let theirs = other.learning_mut()?.clone();
            let meta = &other.metadata;
            hasher.update(meta.corpus_hash.as_bytes());
            merged.metadata.mails += meta.mails;
            merged.metadata.scam += meta.scam;
            merged.metadata.ham += meta.ham;
            let learning = merged.learning_mut()?;
            learning.counts.merge(&theirs.counts);
            learning.learned.extend(theirs.learned);
            learning.sort();
            let h = &mut learning.history;
            h.trained += theirs.history.trained;
            h.learned += theirs.history.learned;
            h.forgotten += theirs.history.forgotten;
            h.changed_since_calibration += theirs.counts.class_mails().iter().sum::<u64>();
            h.last_learned = h.last_learned.clone().max(theirs.history.last_learned);
        }
        merged.metadata.corpus_hash = hasher.finalize().to_hex()[..16].to_string();
        // Cross-validated figures described the first model alone.
        merged.metadata.cross_validation.clear();
        merged.refresh()?;
        Ok(merged)
    }
}
