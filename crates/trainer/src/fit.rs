//! Fitting a model from counted mail: the one path that training in memory (each
//! cross-validation fold, the final model) and streamed training share.
//!
//! Either way the mails' features are summed into [`FeatureCounts`] class by class as they
//! are read, the vocabulary is chosen from those sums, and then each mail's row — its
//! interned feature ids, kept in memory or in a temporary file — is mapped to vocabulary
//! indices and folded into linfa-bayes.

use sagiguard_corpus::{Label, LabeledEmail};
use sagiguard_features::{FeatureCounts, FeatureExtractor, SparseVector};
use sagiguard_tokenizer::Tokenizer;

use crate::calibrate::Calibration;
use crate::config::{CheckedTrainConfig, Classes, ThresholdPolicy};
use crate::error::{Error, Result};
use crate::learn::{LearnedMail, Learning};
use crate::metrics::threshold_for_max_fpr;
use crate::model::{ClassLabel, LearningSection, Metadata, Model};
use crate::nb::{Fitted, Fitter, Scorer};
use crate::report::{CrossValidationMetrics, Report, Scored};

/// Progress of long work, for a progress bar. Called from several threads.
pub trait Progress: Sync {
    /// A stage of `total` steps begins; 0 when the total is not known.
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps are done.
    fn advance(&self, n: u64);
}

/// Progress that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// A trained model, and the cross-validated scores and report when folds were used.
pub struct Trained {
    /// The model, fitted on all mails.
    pub model: Model,
    /// Out-of-fold results.
    pub cross_validation: Option<CrossValidation>,
}

/// Out-of-fold scores of every training mail and the report they give.
pub struct CrossValidation {
    /// Number of folds.
    pub folds: usize,
    /// Each mail scored by the fold model that did not see it, calibrated.
    pub scored: Vec<Scored>,
    /// The calibration fitted on the out-of-fold log-odds; the final model keeps it.
    pub calibration: Calibration,
    /// The report on those scores at the chosen threshold.
    pub report: Report,
}

impl CrossValidation {
    /// The figures the model keeps from it.
    pub fn metrics(&self) -> CrossValidationMetrics {
        CrossValidationMetrics::new(self.folds, &self.report)
    }
}

/// One training run's settings, and where its progress goes.
#[derive(Clone, Copy)]
pub(crate) struct Training<'a> {
    pub config: &'a CheckedTrainConfig,
    pub tokenizer: &'a Tokenizer,
    pub trained_on: &'a str,
    pub progress: &'a dyn Progress,
}

/// Mails counted for one fit.
pub(crate) struct Counted {
    /// Their features summed per class.
    pub counts: FeatureCounts,
    /// Their hashes and classes.
    pub learned: Vec<LearnedMail>,
    pub classes: Vec<ClassLabel>,
}

/// The vocabulary index of every feature id of the counts a model was fitted from.
pub(crate) struct IdIndex(Vec<Option<u32>>);

impl IdIndex {
    /// A mail's row from its `(feature id, count)` pairs.
    pub fn vectorize(&self, extractor: &FeatureExtractor, ids: &[(u32, u32)]) -> SparseVector {
        extractor.vectorize_indexed(
            ids.iter()
                .filter_map(|&(id, count)| Some((self.0[id as usize]?, count))),
        )
    }
}

/// Chooses the vocabulary from the counts and fits naive Bayes on the rows `rows` hands,
/// one `(class, feature ids)` at a time, to the callback it is given. The model is not
/// calibrated yet.
pub(crate) fn fit(
    training: Training<'_>,
    counted: Counted,
    rows: impl FnOnce(&mut dyn FnMut(usize, &[(u32, u32)]) -> Result<()>) -> Result<()>,
) -> Result<(Model, IdIndex)> {
    let config = training.config;
    let (vocabulary, index_of_id) = counted.counts.select_with_ids(config.features())?;
    let index = IdIndex(index_of_id);
    let extractor = FeatureExtractor::new(config.features().clone(), vocabulary);
    let mut fitter = Fitter::new(
        config.algorithm,
        config.alpha,
        extractor.vocabulary().len(),
        config.batch_size,
    );
    rows(&mut |class, ids| {
        fitter.push(index.vectorize(&extractor, ids), class)?;
        training.progress.advance(1);
        Ok(())
    })?;
    let fitted = fitter.finish()?;
    let learning = Learning::trained(counted.counts, counted.learned);
    let model = assemble(extractor, fitted, counted.classes, training, learning);
    Ok((model, index))
}

pub(crate) fn choose_threshold(probabilities: &[(f64, bool)], policy: ThresholdPolicy) -> f64 {
    match policy {
        ThresholdPolicy::Fixed(t) => t,
        ThresholdPolicy::MaxFalsePositiveRate(max_fpr) => {
            threshold_for_max_fpr(probabilities, max_fpr).min(1.0)
        }
    }
}

/// A model from a fit, not yet calibrated: its calibration, threshold and corpus counts
/// are the caller's to set.
fn assemble(
    extractor: FeatureExtractor,
    fitted: Fitted,
    classes: Vec<ClassLabel>,
    training: Training<'_>,
    learning: Learning,
) -> Model {
    let Training {
        config,
        tokenizer,
        trained_on,
        ..
    } = training;
    let mails = learning.history.trained as usize;
    let nb = fitted.params(config.algorithm, config.alpha);
    let scorer = Scorer::new(&nb, classes.len(), extractor.vocabulary().len())
        .expect("linfa fits every class it saw over every feature");
    Model {
        normalizer: tokenizer.normalizer().clone(),
        dictionary_fingerprint: tokenizer.dictionary().fingerprint.clone(),
        extractor,
        nb,
        classes,
        calibration: Calibration::default(),
        threshold: 0.5,
        unsure_margin: config.unsure_margin,
        min_known_features: config.min_known_features,
        metadata: Metadata {
            sagiguard_version: env!("CARGO_PKG_VERSION").to_string(),
            trained_on: trained_on.to_string(),
            corpus_hash: String::new(),
            mails,
            scam: 0,
            ham: 0,
            config: (**config).clone(),
            cross_validation: Vec::new(),
        },
        scorer: Some(scorer),
        learning: LearningSection::Decoded(Box::new(learning)),
        read_format: None,
    }
}

/// Class 0 is ham; then scam, or each scam category (mails without one are `scam`) in name
/// order.
pub(crate) fn class_layout(
    classes: Classes,
    scam_categories: impl IntoIterator<Item = String>,
) -> Result<Vec<ClassLabel>> {
    let mut categories: Vec<String> = scam_categories.into_iter().collect();
    categories.sort();
    categories.dedup();
    // A category name reaches headers (`filter`'s X-Sagiguard-Category) and terminals: a
    // line break or an escape in it would forge a header or drive the terminal.
    if let Some(bad) = categories
        .iter()
        .find(|c| c.is_empty() || c.chars().count() > 64 || c.chars().any(char::is_control))
    {
        return Err(Error::InvalidCategory {
            category: bad.clone(),
        });
    }
    let mut layout = vec![ClassLabel {
        label: Label::Ham,
        category: None,
    }];
    match classes {
        Classes::Binary => layout.push(ClassLabel {
            label: Label::Scam,
            category: None,
        }),
        Classes::Categories => {
            layout.extend(categories.into_iter().map(|c| ClassLabel {
                label: Label::Scam,
                category: Some(c),
            }));
        }
    }
    Ok(layout)
}

/// The class of a mail in a [`class_layout`].
pub(crate) fn class_index(classes: &[ClassLabel], label: Label, category: Option<&str>) -> usize {
    if label == Label::Ham {
        return 0;
    }
    let category = category.unwrap_or("scam");
    classes
        .iter()
        .position(|c| {
            c.label == Label::Scam
                && (c.category.is_none() || c.category.as_deref() == Some(category))
        })
        .expect("every scam category has a class")
}

/// BLAKE3 over every mail's id, label, sender (From name and address, or an SMS sender),
/// subject and body, in order.
pub fn corpus_hash(mails: &[LabeledEmail]) -> String {
    let mut hasher = CorpusHasher::default();
    mails.iter().for_each(|m| hasher.add(m));
    hasher.finish()
}

/// [`corpus_hash`] one mail at a time.
#[derive(Default)]
pub(crate) struct CorpusHasher(blake3::Hasher);

impl CorpusHasher {
    pub fn add(&mut self, m: &LabeledEmail) {
        let from = m.email.from.as_ref();
        for part in [
            m.email.id.as_str(),
            m.label.as_str(),
            from.and_then(|f| f.name.as_deref()).unwrap_or(""),
            from.map_or("", |f| f.address.as_str()),
            m.email.sender.as_deref().unwrap_or(""),
            &m.email.subject,
            &m.email.body,
        ] {
            self.0.update(&(part.len() as u64).to_le_bytes());
            self.0.update(part.as_bytes());
        }
    }

    pub fn finish(&self) -> String {
        self.0.finalize().to_hex()[..16].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two corpora that differ only in who sent a mail are two corpora.
    #[test]
    fn the_corpus_hash_covers_the_sender() {
        use sagiguard_corpus::{Email, Mailbox};
        let hash = |from: &str, sender: Option<&str>| {
            corpus_hash(&[LabeledEmail {
                email: Email {
                    id: "a".into(),
                    subject: "お知らせ".into(),
                    body: "ご確認ください。".into(),
                    from: Mailbox::parse(from),
                    sender: sender.map(str::to_string),
                    ..Email::default()
                },
                label: Label::Scam,
                category: None,
            }])
        };
        let base = hash("Amazon <info@amazon-security.example>", None);
        assert_eq!(base, hash("Amazon <info@amazon-security.example>", None));
        for other in [
            hash("Amazon <info@qzvkrt.example>", None),
            hash("Amazon.co.jp <info@amazon-security.example>", None),
            hash(
                "Amazon <info@amazon-security.example>",
                Some("+81 90-1234-5678"),
            ),
        ] {
            assert_ne!(base, other);
        }
    }

    /// Issue 14: a category that would forge a header or drive a terminal is refused.
    #[test]
    fn categories_that_cannot_be_shown_are_refused() {
        for bad in [
            "phish\r\nX-Sagiguard-Verdict: ham",
            "a\u{1b}[2J",
            "",
            &"x".repeat(65),
        ] {
            let err = class_layout(Classes::Categories, [bad.to_string()]).unwrap_err();
            assert!(
                matches!(err, Error::InvalidCategory { .. }),
                "{bad:?}: {err}"
            );
        }
        let layout = class_layout(
            Classes::Categories,
            ["sextortion".into(), "phish_bank".into()],
        );
        assert_eq!(layout.unwrap().len(), 3);
    }
}
