//! Training settings, checked once before any work.

use sagiguard_features::{CheckedFeatureConfig, FeatureConfig};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The naive-Bayes event model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// linfa-bayes `MultinomialNb` on feature values.
    Multinomial,
    /// linfa-bayes `BernoulliNb` on feature presence.
    Bernoulli,
    /// Weight-normalised complement naive Bayes (Rennie et al. 2003), from the counts
    /// linfa-bayes `MultinomialNb` sums: each class is scored by how unlike the other classes
    /// the mail is, with weights scaled to unit L1 norm per class, so that a class with many
    /// strongly tied features does not dominate.
    Complement,
}

/// What the classes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classes {
    /// Scam against ham.
    Binary,
    /// Ham against each scam category; the scam probability sums over the categories, and the
    /// most probable one names the verdict's category.
    Categories,
}

/// How the decision threshold is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdPolicy {
    /// The highest recall whose false-positive rate on ham stays at or below this, chosen on
    /// out-of-fold scores.
    MaxFalsePositiveRate(f64),
    /// A fixed scam probability.
    Fixed(f64),
}

/// Training settings.
///
/// | setting              | default            | purpose                                                   | valid      |
/// |----------------------|--------------------|-----------------------------------------------------------|------------|
/// | `features`           | [`FeatureConfig`]  | what becomes a feature                                    | checked    |
/// | `algorithm`          | `multinomial`      | naive-Bayes event model                                   |            |
/// | `alpha`              | `1.0`              | additive (Laplace) smoothing                              | > 0        |
/// | `classes`            | `binary`           | scam/ham, or ham plus each scam category                  |            |
/// | `batch_size`         | `256`              | rows per training batch (summed per class; Bernoulli: dense rows) | 1..=65536  |
/// | `folds`              | `5`                | cross-validation folds choosing threshold and calibration; 0 = none | 0 or 2..=20 |
/// | `seed`               | `42`               | fold assignment                                           |            |
/// | `threshold`          | max FPR `0.01`     | decision threshold policy                                 | in [0, 1]  |
/// | `unsure_margin`      | `0.15`             | probabilities this far below the threshold are "unsure"   | [0, 1)     |
/// | `min_known_features` | `3`                | fewer known features than this is "insufficient evidence" | >= 0       |
///
/// # Errors
///
/// [`TrainConfig::check`] returns [`Error::InvalidConfig`] naming the setting out of range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Feature settings.
    pub features: FeatureConfig,
    /// Event model.
    pub algorithm: Algorithm,
    /// Additive smoothing.
    pub alpha: f64,
    /// Class layout.
    pub classes: Classes,
    /// Dense batch rows.
    pub batch_size: usize,
    /// Cross-validation folds (0 for none).
    pub folds: usize,
    /// Fold seed.
    pub seed: u64,
    /// Threshold policy.
    pub threshold: ThresholdPolicy,
    /// Width of the unsure band below the threshold.
    pub unsure_margin: f64,
    /// Known features needed for a verdict.
    pub min_known_features: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            features: FeatureConfig::default(),
            algorithm: Algorithm::Multinomial,
            alpha: 1.0,
            classes: Classes::Binary,
            batch_size: 256,
            folds: 5,
            seed: 42,
            threshold: ThresholdPolicy::MaxFalsePositiveRate(0.01),
            unsure_margin: 0.15,
            min_known_features: 3,
        }
    }
}

/// Settings that passed [`TrainConfig::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedTrainConfig {
    raw: TrainConfig,
    features: CheckedFeatureConfig,
}

impl TrainConfig {
    /// Checks every setting once.
    pub fn check(self) -> Result<CheckedTrainConfig> {
        let invalid =
            |setting: &'static str, reason: String| Err(Error::InvalidConfig { setting, reason });
        if !(self.alpha > 0.0 && self.alpha.is_finite()) {
            return invalid("alpha", format!("{} is not a positive number", self.alpha));
        }
        if !(1..=65_536).contains(&self.batch_size) {
            return invalid(
                "batch_size",
                format!("{} is not in 1..=65536", self.batch_size),
            );
        }
        if self.folds == 1 || self.folds > 20 {
            return invalid("folds", format!("{} is not 0 or in 2..=20", self.folds));
        }
        let t = match self.threshold {
            ThresholdPolicy::MaxFalsePositiveRate(t) | ThresholdPolicy::Fixed(t) => t,
        };
        if !(0.0..=1.0).contains(&t) {
            return invalid("threshold", format!("{t} is not in [0, 1]"));
        }
        if !(0.0..1.0).contains(&self.unsure_margin) {
            return invalid(
                "unsure_margin",
                format!("{} is not in [0, 1)", self.unsure_margin),
            );
        }
        let features = self
            .features
            .clone()
            .check()
            .map_err(|e| Error::InvalidConfig {
                setting: "features",
                reason: e.to_string(),
            })?;
        Ok(CheckedTrainConfig {
            raw: self,
            features,
        })
    }
}

impl CheckedTrainConfig {
    /// The checked feature settings.
    pub fn features(&self) -> &CheckedFeatureConfig {
        &self.features
    }
}

impl std::ops::Deref for CheckedTrainConfig {
    type Target = TrainConfig;

    fn deref(&self) -> &TrainConfig {
        &self.raw
    }
}
