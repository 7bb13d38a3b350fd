//! Feature settings: the raw settings, the checked settings, as linfa separates params and
//! valid params. Both serialise into the model, so training and scoring cannot disagree.

use sagiguard_tokenizer::PosClass;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How a feature's count in one mail becomes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountMode {
    /// The number of occurrences.
    Raw,
    /// 1 when present.
    Binary,
    /// `ln(1 + count)`: repeated words count, but less and less.
    Log,
}

impl CountMode {
    /// The value of a feature seen `count` times in a mail.
    pub fn value(self, count: u32) -> f32 {
        let count = count as f32;
        match self {
            CountMode::Raw => count,
            CountMode::Binary => 1.0,
            CountMode::Log => (1.0 + count).ln(),
        }
    }
}

/// How the vocabulary keeps features when there are more than `max_features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// The most frequent by document frequency.
    DocumentFrequency,
    /// The most associated with one class by the chi-squared statistic.
    ChiSquared,
}

/// Feature settings.
///
/// | setting        | default                         | purpose                                           | valid        |
/// |----------------|---------------------------------|---------------------------------------------------|--------------|
/// | `morphemes`    | `true`                          | base forms of content words (`body:入金`)         |              |
/// | `ngram`        | `1`                             | longest morpheme n-gram (`body:#_時間`); 1 won cross-validation on data/ | 1..=3 |
/// | `keep`         | every part of speech            | parts of speech kept (particles and auxiliaries won cross-validation over content words only); unknown words always kept | not empty |
/// | `fold_numbers` | `true`                          | numbers become `#`, so 48時間 and 72時間 meet      |              |
/// | `char_ngram`   | `0`                             | character n-grams of the text (`char:至急`), 0 = off | 0..=4     |
/// | `raw_unknown`  | `true`                          | unknown words and symbols kept as written (`body:★`); won cross-validation |  |
/// | `structure`    | `true`                          | sender and link domains, TLDs, header mismatches, forms, attachments |  |
/// | `mask_feature` | `false`                         | masked spans (`*****`, `○○○`, `XXXX`) counted as `shape:masked`; off, they are only cut from the text, so that no placeholder carries a label | |
/// | `signals`      | `true`                          | one feature per signal (`signal:deadline`)        |              |
/// | `counts`       | `binary`                        | how counts become values (binary won cross-validation on data/) |  |
/// | `min_df`       | `1`                             | a feature must appear in this many training mails (1 won cross-validation over 2 and 3, across fold seeds) | >= 1 |
/// | `max_features` | `20000`                         | vocabulary size; the dense training batch width   | 1..=200000   |
/// | `selection`    | `chi_squared`                   | which features stay when there are too many       |              |
///
/// # Errors
///
/// [`FeatureConfig::check`] fails with [`Error::InvalidConfig`] naming the setting out of range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Morpheme features on or off.
    pub morphemes: bool,
    /// Longest morpheme n-gram.
    pub ngram: u8,
    /// Parts of speech kept.
    pub keep: Vec<PosClass>,
    /// Numbers folded to `#`.
    pub fold_numbers: bool,
    /// Character n-gram length, 0 for none.
    pub char_ngram: u8,
    /// Unknown words and symbols kept as their surface.
    #[serde(default)]
    pub raw_unknown: bool,
    /// Structural features on or off.
    pub structure: bool,
    /// Masked spans counted as a feature (models of format 3 and older did).
    pub mask_feature: bool,
    /// Signal features on or off.
    pub signals: bool,
    /// Count transform.
    pub counts: CountMode,
    /// Minimum document frequency.
    pub min_df: u32,
    /// Maximum vocabulary size.
    pub max_features: usize,
    /// Vocabulary selection.
    pub selection: Selection,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            morphemes: true,
            ngram: 1,
            keep: PosClass::ALL.to_vec(),
            fold_numbers: true,
            char_ngram: 0,
            raw_unknown: true,
            structure: true,
            mask_feature: false,
            signals: true,
            counts: CountMode::Binary,
            min_df: 1,
            max_features: 20_000,
            selection: Selection::ChiSquared,
        }
    }
}

/// [`FeatureConfig`] as model format 3 saved it, before `mask_feature` existed: such models
/// counted masks. Read only to upgrade those models.
#[derive(Debug, Clone, Deserialize)]
pub struct FeatureConfigV3 {
    morphemes: bool,
    ngram: u8,
    keep: Vec<PosClass>,
    fold_numbers: bool,
    char_ngram: u8,
    raw_unknown: bool,
    structure: bool,
    signals: bool,
    counts: CountMode,
    min_df: u32,
    max_features: usize,
    selection: Selection,
}

impl From<FeatureConfigV3> for FeatureConfig {
    fn from(v3: FeatureConfigV3) -> Self {
        FeatureConfig {
            morphemes: v3.morphemes,
            ngram: v3.ngram,
            keep: v3.keep,
            fold_numbers: v3.fold_numbers,
            char_ngram: v3.char_ngram,
            raw_unknown: v3.raw_unknown,
            structure: v3.structure,
            mask_feature: true,
            signals: v3.signals,
            counts: v3.counts,
            min_df: v3.min_df,
            max_features: v3.max_features,
            selection: v3.selection,
        }
    }
}

/// Settings that passed [`FeatureConfig::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedFeatureConfig(FeatureConfig);

impl FeatureConfig {
    /// Checks every setting's range once; the result is the proof.
    pub fn check(self) -> Result<CheckedFeatureConfig> {
        let invalid =
            |setting: &'static str, reason: String| Err(Error::InvalidConfig { setting, reason });
        if !(1..=3).contains(&self.ngram) {
            return invalid("ngram", format!("{} is not in 1..=3", self.ngram));
        }
        if self.char_ngram > 4 {
            return invalid("char_ngram", format!("{} is not in 0..=4", self.char_ngram));
        }
        if self.morphemes && self.keep.is_empty() {
            return invalid("keep", "no part of speech is kept".into());
        }
        if !self.morphemes && self.char_ngram == 0 && !self.structure && !self.signals {
            return invalid("morphemes", "every feature family is off".into());
        }
        if self.min_df == 0 {
            return invalid("min_df", "0 is not at least 1".into());
        }
        if !(1..=200_000).contains(&self.max_features) {
            return invalid(
                "max_features",
                format!("{} is not in 1..=200000", self.max_features),
            );
        }
        Ok(CheckedFeatureConfig(self))
    }
}

impl std::ops::Deref for CheckedFeatureConfig {
    type Target = FeatureConfig;

    fn deref(&self) -> &FeatureConfig {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_settings_are_named() {
        let cases: [(FeatureConfig, &str); 4] = [
            (
                FeatureConfig {
                    ngram: 0,
                    ..FeatureConfig::default()
                },
                "ngram",
            ),
            (
                FeatureConfig {
                    char_ngram: 9,
                    ..FeatureConfig::default()
                },
                "char_ngram",
            ),
            (
                FeatureConfig {
                    min_df: 0,
                    ..FeatureConfig::default()
                },
                "min_df",
            ),
            (
                FeatureConfig {
                    max_features: 0,
                    ..FeatureConfig::default()
                },
                "max_features",
            ),
        ];
        for (config, setting) in cases {
            let err = config.check().unwrap_err();
            assert!(
                matches!(err, Error::InvalidConfig { setting: s, .. } if s == setting),
                "{err}"
            );
        }
        assert!(FeatureConfig::default().check().is_ok());
    }
}
