//! The saved model: one self-describing file, and scoring with it.
//!
//! Layout: the magic `SAGIGRD` and a NUL, the format version (u16, little endian), then two
//! sections, each its length (u64, little endian), its payload (postcard) and the BLAKE3
//! hash of the payload:
//!
//! 1. scoring: the tokenizer's normaliser and the dictionary fingerprint, the feature
//!    settings and vocabulary, the naive-Bayes parameters, the calibration, the threshold,
//!    and the training metadata;
//! 2. learning: the counts of every feature seen, the content hash of every mail counted,
//!    and the history of lessons.
//!
//! Scoring decodes the first section only (the second holds hundreds of thousands of
//! names). The second depends on nothing in the first but the class list, so that a later
//! format can carry a model's learned counts forward and rebuild the rest from them.

use sagiguard_corpus::{Email, Label};
use sagiguard_features::{FeatureExtractor, Signal, SparseVector};
use sagiguard_tokenizer::{Normalizer, Tokenizer};
use serde::{Deserialize, Serialize};

use crate::calibrate::Calibration;
use crate::config::TrainConfig;
use crate::error::{Error, Result};
use crate::learn::Learning;
use crate::nb::{NbParams, Scorer};

mod check;
mod file;
mod v3;

pub use file::FORMAT_VERSION;

/// What a class of the model stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassLabel {
    /// Scam or ham.
    pub label: Label,
    /// The scam category, for a model trained with categories as classes.
    pub category: Option<String>,
}

/// How and on what a model was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The sagiguard version that trained it.
    pub sagiguard_version: String,
    /// The training date (`SOURCE_DATE_EPOCH` when set, for reproducible builds).
    pub trained_on: String,
    /// BLAKE3 of the training mails' ids, labels and text, in order.
    pub corpus_hash: String,
    /// Training mails.
    pub mails: usize,
    /// Of which scam.
    pub scam: usize,
    /// Of which ham.
    pub ham: usize,
    /// The settings.
    pub config: TrainConfig,
    /// Cross-validated metrics, when folds were used: (name, value).
    pub cross_validation: Vec<(String, f64)>,
}

/// The learning section: as read from the file until learning needs it decoded.
#[derive(Debug, Clone)]
pub(crate) enum LearningSection {
    /// `file[range]`: the file read is kept whole, as copying out a section of half its
    /// size cost a one-mail process a megabyte of fresh pages it never reads.
    Encoded {
        file: std::sync::Arc<Vec<u8>>,
        range: std::ops::Range<usize>,
        path: std::path::PathBuf,
    },
    Decoded(Box<Learning>),
}

impl Default for LearningSection {
    fn default() -> Self {
        LearningSection::Encoded {
            file: Default::default(),
            range: 0..0,
            path: std::path::PathBuf::new(),
        }
    }
}

/// A trained model. Shared read-only across threads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub(crate) normalizer: Normalizer,
    pub(crate) dictionary_fingerprint: String,
    pub(crate) extractor: FeatureExtractor,
    pub(crate) nb: NbParams,
    pub(crate) classes: Vec<ClassLabel>,
    pub(crate) calibration: Calibration,
    pub(crate) threshold: f64,
    pub(crate) unsure_margin: f64,
    pub(crate) min_known_features: usize,
    pub(crate) metadata: Metadata,
    #[serde(skip)]
    pub(crate) scorer: Option<Scorer>,
    #[serde(skip)]
    pub(crate) learning: LearningSection,
    /// The format of the file the model was read from (an older one is written back as the
    /// current one); `None` for a model trained here.
    #[serde(skip)]
    pub(crate) read_format: Option<u16>,
}

/// The model's answer for one mail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The calibrated probability that the mail is a scam.
    pub scam_probability: f64,
    /// The naive-Bayes log-odds of scam against ham before calibration.
    pub log_odds: f64,
    /// Scam, unsure or ham.
    pub label: VerdictLabel,
    /// The most probable scam category, for a model with categories as classes.
    pub category: Option<String>,
    /// The features that weighed most, toward scam (positive) and toward ham (negative).
    pub reasons: Vec<Reason>,
    /// The signals found in the mail.
    pub signals: Vec<Signal>,
    /// How many of the mail's features the model knows.
    pub known_features: usize,
    /// Too few known features for a verdict: the probability is little more than the prior.
    pub insufficient_evidence: bool,
}

/// The verdict's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictLabel {
    /// At or above the threshold.
    Scam,
    /// Just below the threshold, or too little evidence.
    Unsure,
    /// Below the unsure band.
    Ham,
}

impl Verdict {
    /// Re-decides the label at another threshold (a `--threshold` given on the command
    /// line): at or above it is a scam, a scam below it becomes unsure, and a verdict with
    /// too little evidence stays unsure.
    pub fn apply_threshold(&mut self, threshold: f64) {
        if self.insufficient_evidence {
            return;
        }
        if self.scam_probability >= threshold {
            self.label = VerdictLabel::Scam;
        } else if self.label == VerdictLabel::Scam {
            self.label = VerdictLabel::Unsure;
        }
    }
}

impl VerdictLabel {
    /// `scam`, `unsure` or `ham`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictLabel::Scam => "scam",
            VerdictLabel::Unsure => "unsure",
            VerdictLabel::Ham => "ham",
        }
    }
}

/// One feature's pull on the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The feature, e.g. `body:入金` or `signal:deadline`.
    pub feature: String,
    /// Its contribution to the log-odds: positive toward scam.
    pub weight: f64,
}

impl Model {
    /// The decision threshold on the scam probability.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The training metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The fingerprint of the dictionary the model was trained with.
    pub fn dictionary_fingerprint(&self) -> &str {
        &self.dictionary_fingerprint
    }

    /// The normaliser the model was trained with.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// The feature extractor.
    pub fn extractor(&self) -> &FeatureExtractor {
        &self.extractor
    }

    /// What each class stands for.
    pub fn classes(&self) -> &[ClassLabel] {
        &self.classes
    }

    /// Refuses a tokenizer whose dictionary differs from the training one.
    pub fn check_tokenizer(&self, tokenizer: &Tokenizer) -> Result<()> {
        let loaded = &tokenizer.dictionary().fingerprint;
        if loaded != &self.dictionary_fingerprint {
            return Err(Error::DictionaryMismatch {
                model: self.dictionary_fingerprint.clone(),
                loaded: loaded.clone(),
            });
        }
        Ok(())
    }

    fn scorer(&self) -> &Scorer {
        self.scorer
            .as_ref()
            .expect("a model is fitted or loaded before use")
    }

    /// Scores one mail. The tokenizer must carry the model's dictionary
    /// ([`Model::check_tokenizer`]).
    pub fn score(&self, tokenizer: &Tokenizer, email: &Email) -> Verdict {
        let (vector, signals) = self.extractor.transform(tokenizer, email);
        self.verdict(&vector, signals, None)
    }

    /// Scores one mail without naming its reasons (`reasons` empty), for output that shows
    /// none (a verdict line, mail headers): choosing and naming them is a thirtieth of
    /// scoring a short mail.
    pub fn score_unexplained(&self, tokenizer: &Tokenizer, email: &Email) -> Verdict {
        self.explain(tokenizer, email, 0)
    }

    /// Scores one mail with `n` reasons, for a full explanation.
    pub fn explain(&self, tokenizer: &Tokenizer, email: &Email, n: usize) -> Verdict {
        let (vector, signals) = self.extractor.transform(tokenizer, email);
        self.verdict(&vector, signals, Some(n))
    }

    /// The log-odds of scam against ham and each class's posterior, from linfa-bayes'
    /// joint log-likelihood (its `predict_proba` overflows on long mails).
    pub(crate) fn log_odds(&self, vector: &SparseVector) -> (f64, Vec<f64>) {
        let jll = self.scorer().joint_log_likelihood(vector);
        log_odds_of(&jll, &self.classes)
    }

    pub(crate) fn verdict(
        &self,
        vector: &SparseVector,
        signals: Vec<Signal>,
        reasons_n: Option<usize>,
    ) -> Verdict {
        let (log_odds, posteriors) = self.log_odds(vector);
        let scam_probability = self.calibration.probability(log_odds);
        // The form of a message (its length, a missing subject) is known for every mail, so
        // it is no evidence of what the mail says.
        let vocabulary = self.extractor.vocabulary();
        let known_features = vector
            .iter()
            .filter(|(i, _)| vocabulary.is_content(*i))
            .count();
        let insufficient_evidence = known_features < self.min_known_features;
        let label = if insufficient_evidence {
            VerdictLabel::Unsure
        } else if scam_probability >= self.threshold {
            VerdictLabel::Scam
        } else if scam_probability >= self.threshold - self.unsure_margin {
            VerdictLabel::Unsure
        } else {
            VerdictLabel::Ham
        };
        let category = self
            .classes
            .iter()
            .zip(&posteriors)
            .filter(|(c, _)| c.label == Label::Scam && c.category.is_some())
            .max_by(|a, b| a.1.total_cmp(b.1))
            .and_then(|(c, _)| c.category.clone());
        Verdict {
            scam_probability,
            log_odds,
            label,
            category,
            reasons: self.reasons(vector, reasons_n.unwrap_or(8)),
            signals,
            known_features,
            insufficient_evidence,
        }
    }

    /// The features with the largest contribution `value × (log P(f|scam) − log P(f|ham))`,
    /// scam taken as the most probable scam class.
    fn reasons(&self, vector: &SparseVector, n: usize) -> Vec<Reason> {
        if n == 0 {
            return Vec::new();
        }
        let ham = self
            .nb
            .classes
            .iter()
            .position(|c| self.classes[c.class].label == Label::Ham);
        let Some(ham) = ham.map(|i| &self.nb.classes[i]) else {
            return Vec::new();
        };
        let scams: Vec<_> = self
            .nb
            .classes
            .iter()
            .filter(|c| self.classes[c.class].label == Label::Scam)
            .collect();
        let vocabulary = self.extractor.vocabulary();
        let mut weights: Vec<(f64, u32)> = vector
            .iter()
            .filter_map(|(i, value)| {
                let scam_lp = scams
                    .iter()
                    .map(|c| {
                        c.feature_log_prob
                            .get(i as usize)
                            .copied()
                            .unwrap_or(f64::NEG_INFINITY)
                    })
                    .fold(f64::NEG_INFINITY, f64::max);
                let weight =
                    f64::from(value) * (scam_lp - ham.feature_log_prob.get(i as usize).copied()?);
                vocabulary.name(i)?;
                weight.is_finite().then_some((weight, i))
            })
            .collect();
        // The n largest weights by size, ties by name. A mail has hundreds of known features
        // and equal weights are common, so the n-th largest size is found on the numbers
        // alone, and only the features at least that large are named and ordered.
        if weights.len() > n {
            weights.select_nth_unstable_by(n - 1, |a, b| b.0.abs().total_cmp(&a.0.abs()));
            let nth = weights[n - 1].0.abs();
            weights.retain(|(w, _)| w.abs().total_cmp(&nth).is_ge());
        }
        let mut named: Vec<(f64, &str)> = weights
            .into_iter()
            .filter_map(|(w, i)| Some((w, vocabulary.name(i)?)))
            .collect();
        named.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then(a.1.cmp(b.1)));
        named.truncate(n);
        named
            .into_iter()
            .map(|(weight, feature)| Reason {
                feature: feature.to_string(),
                weight,
            })
            .collect()
    }
}

/// Log-odds of the scam classes together against ham, and each class's posterior.
pub(crate) fn log_odds_of(jll: &[f64], classes: &[ClassLabel]) -> (f64, Vec<f64>) {
    let logsumexp = |values: Vec<f64>| {
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if max == f64::NEG_INFINITY {
            return max;
        }
        max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
    };
    let pick = |label| {
        jll.iter()
            .zip(classes)
            .filter(|(_, c)| c.label == label)
            .map(|(v, _)| *v)
            .collect::<Vec<_>>()
    };
    let scam = logsumexp(pick(Label::Scam));
    let ham = logsumexp(pick(Label::Ham));
    let log_odds = (scam - ham).clamp(-1e6, 1e6);
    let total = logsumexp(jll.to_vec());
    let posteriors = jll.iter().map(|v| (v - total).exp()).collect();
    (if log_odds.is_nan() { 0.0 } else { log_odds }, posteriors)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use sagiguard_features::FeatureConfig;

    use super::*;

    fn verdict(p: f64, label: VerdictLabel, insufficient: bool) -> Verdict {
        Verdict {
            scam_probability: p,
            log_odds: 0.0,
            label,
            category: None,
            reasons: Vec::new(),
            signals: Vec::new(),
            known_features: 10,
            insufficient_evidence: insufficient,
        }
    }

    /// A small model trained with the tiny fixture dictionary on a few written lines.
    fn tiny_model() -> Model {
        use sagiguard_corpus::LabeledEmail;
        let tokenizer = crate::tiny_tokenizer();
        let mail = |body: &str, label| LabeledEmail {
            email: Email {
                id: body.into(),
                body: body.into(),
                ..Email::default()
            },
            label,
            category: None,
        };
        let mails = vec![
            mail("至急 口座 確認 入金 https://a.example.top/x", Label::Scam),
            mail(
                "入金 至急 パスワード 入力 https://b.example.top/y",
                Label::Scam,
            ),
            mail("会議 資料 送付 来週 よろしく", Label::Ham),
            mail("資料 会議 日程 来週 確認", Label::Ham),
        ];
        let config = TrainConfig {
            folds: 0,
            ..TrainConfig::default()
        }
        .check()
        .unwrap();
        crate::train(&mails, &config, &tokenizer, "2026-01-01", &crate::Silent)
            .unwrap()
            .model
    }

    /// Issue 14: a model whose checksum is right but whose values are not is refused, with
    /// the value named, instead of giving forged or nonsense verdicts.
    #[test]
    fn out_of_range_values_are_refused_on_load() {
        let bytes = tiny_model().to_bytes();
        let path = Path::new("m.model");
        assert!(Model::from_bytes(&bytes, path).is_ok());
        type Forgery = fn(&mut Model);
        let cases: [(&str, Forgery); 10] = [
            ("threshold", |m| m.threshold = f64::NAN),
            ("threshold", |m| m.threshold = 7.0),
            ("calibration slope", |m| m.calibration.a = f64::NAN),
            ("calibration intercept", |m| m.calibration.b = f64::INFINITY),
            ("feature weights", |m| {
                m.nb.classes[0].feature_log_prob[0] = f64::NAN
            }),
            ("feature weights", |m| {
                m.nb.classes[1].feature_log_prob[0] = f64::INFINITY
            }),
            ("class prior", |m| m.nb.classes[0].prior = -0.5),
            ("feature counts", |m| {
                m.nb.classes[0].feature_count[0] = f64::NAN
            }),
            ("feature settings", |m| {
                let mut config = FeatureConfig::clone(m.extractor.config());
                config.ngram = 255;
                // Bypasses the check on purpose, as a hand-edited file would.
                m.extractor = FeatureExtractor::new(
                    serde_json::from_value(serde_json::to_value(config).unwrap()).unwrap(),
                    m.extractor.vocabulary().clone(),
                );
            }),
            ("vocabulary", |m| {
                m.extractor = FeatureExtractor::new(
                    m.extractor.config().clone(),
                    serde_json::from_str(r#"{"names":[],"doc_freq":[]}"#).unwrap(),
                );
            }),
        ];
        for (field, forge) in cases {
            let mut forged = Model::from_bytes(&bytes, path).unwrap();
            forge(&mut forged);
            match Model::from_bytes(&forged.to_bytes(), path) {
                Err(Error::InvalidModel {
                    field: f,
                    ref reason,
                    ..
                }) if f == field => {
                    assert!(!reason.is_empty())
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn another_threshold_relabels() {
        use VerdictLabel::*;
        let cases = [
            (0.6, Ham, false, 0.5, Scam),
            (0.6, Scam, false, 0.7, Unsure),
            (0.3, Ham, false, 0.7, Ham),
            (0.3, Unsure, false, 0.7, Unsure),
            (0.9, Unsure, true, 0.5, Unsure),
        ];
        for (p, before, insufficient, threshold, after) in cases {
            let mut v = verdict(p, before, insufficient);
            v.apply_threshold(threshold);
            assert_eq!(v.label, after, "{p} {before:?} at {threshold}");
        }
    }
}
