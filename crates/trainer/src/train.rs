//! Training: features on all cores, a vocabulary, linfa-bayes in dense batches, and — with
//! folds — out-of-fold scores that choose the calibration and the threshold.

use rayon::prelude::*;
use sagiguard_corpus::{Label, LabeledEmail};
use sagiguard_features::{
    Extraction, FeatureCounts, FeatureExtractor, MAX_STORED_FEATURES, extract,
};
use sagiguard_tokenizer::Tokenizer;

use crate::calibrate::Calibration;
use crate::config::{Algorithm, CheckedTrainConfig, Classes, ThresholdPolicy};
use crate::cv;
use crate::error::{Error, Result};
use crate::learn::{LearnedMail, Learning, mail_hash};
use crate::metrics::threshold_for_max_fpr;
use crate::model::{ClassLabel, LearningSection, Metadata, Model};
use crate::nb::{Fitted, Fitter, Scorer};
use crate::report::{CrossValidationMetrics, Report, Scored};

/// Categories of genuine mail from the brands scams imitate: the slice whose false-positive
/// rate a mail administrator asks for first (see data/README.md).
pub const LEGITIMATE_BRAND_CATEGORIES: &[&str] =
    &["brand_order", "brand_security", "bank_card_notice"];

/// Report slices: named sets of categories.
pub fn report_slices() -> Vec<(&'static str, &'static [&'static str])> {
    vec![("legitimate brand mail", LEGITIMATE_BRAND_CATEGORIES)]
}

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

/// Trains a model on labeled mail held in memory, cross-validated when the settings ask
/// for folds; without folds this is [`train_stream`](crate::train_stream()) over the slice.
/// `trained_on` is the date recorded in the metadata.
///
/// # Errors
///
/// [`Error::OneClass`] without both scam and ham; feature and fitting errors.
pub fn train(
    mails: &[LabeledEmail],
    config: &CheckedTrainConfig,
    tokenizer: &Tokenizer,
    trained_on: &str,
    progress: &dyn Progress,
) -> Result<Trained> {
    let scam = mails.iter().filter(|m| m.label == Label::Scam).count();
    let ham = mails.len() - scam;
    if scam == 0 || ham == 0 {
        return Err(Error::OneClass { scam, ham });
    }
    if config.folds < 2 {
        let mails = mails.iter().cloned().map(Ok::<_, std::convert::Infallible>);
        return crate::stream::train_stream(mails, config, tokenizer, trained_on, progress);
    }
    if config.algorithm == Algorithm::Bernoulli && mails.len() > config.batch_size {
        return Err(Error::bernoulli_batches(mails.len()));
    }
    let classes = class_layout(
        config.classes,
        mails
            .iter()
            .filter(|m| m.label == Label::Scam)
            .map(|m| m.category.clone().unwrap_or_else(|| "scam".into())),
    )?;
    let class_of: Vec<usize> = mails
        .iter()
        .map(|m| class_index(&classes, m.label, m.category.as_deref()))
        .collect();

    progress.stage("extracting features", mails.len() as u64);
    let extractions: Vec<Extraction> = mails
        .par_iter()
        .map(|m| {
            let e = extract(config.features(), tokenizer, &m.email);
            progress.advance(1);
            e
        })
        .collect::<std::result::Result<_, _>>()?;
    let hashes: Vec<u64> = mails.par_iter().map(|m| mail_hash(&m.email)).collect();

    let run = Run {
        mails,
        extractions: &extractions,
        hashes: &hashes,
        class_of: &class_of,
        classes: &classes,
        config,
        tokenizer,
        trained_on,
        progress,
    };
    let cv = run.cross_validate()?;

    progress.stage("fitting the model", mails.len() as u64);
    let all: Vec<usize> = (0..mails.len()).collect();
    let mut model = run.fit(&all)?;
    model.calibration = cv.calibration;
    model.threshold = cv.report.threshold;
    model.metadata.corpus_hash = corpus_hash(mails);
    model.metadata.scam = scam;
    model.metadata.ham = ham;
    model.metadata.cross_validation = cv.metrics().to_pairs();
    Ok(Trained {
        model,
        cross_validation: Some(cv),
    })
}

pub(crate) fn choose_threshold(probabilities: &[(f64, bool)], policy: ThresholdPolicy) -> f64 {
    match policy {
        ThresholdPolicy::Fixed(t) => t,
        ThresholdPolicy::MaxFalsePositiveRate(max_fpr) => {
            threshold_for_max_fpr(probabilities, max_fpr).min(1.0)
        }
    }
}

/// The pieces of one training run, shared by its fits.
struct Run<'a> {
    mails: &'a [LabeledEmail],
    extractions: &'a [Extraction],
    hashes: &'a [u64],
    class_of: &'a [usize],
    classes: &'a [ClassLabel],
    config: &'a CheckedTrainConfig,
    tokenizer: &'a Tokenizer,
    trained_on: &'a str,
    progress: &'a dyn Progress,
}

impl Run<'_> {
    /// Scores every mail with a model fitted on the other folds.
    fn cross_validate(&self) -> Result<CrossValidation> {
        let Run {
            mails,
            extractions,
            config,
            progress,
            ..
        } = *self;
        let labeled: Vec<_> = mails.iter().map(|m| (&m.email, m.label)).collect();
        let fold_of = cv::folds(&labeled, config.folds, config.seed);
        progress.stage("cross-validating", mails.len() as u64 * config.folds as u64);
        let mut log_odds = vec![0.0; mails.len()];
        let mut reasons = vec![Vec::new(); mails.len()];
        for fold in 0..config.folds {
            let train: Vec<usize> = (0..mails.len()).filter(|&i| fold_of[i] != fold).collect();
            let model = self.fit(&train)?;
            for i in (0..mails.len()).filter(|&i| fold_of[i] == fold) {
                let vector = model.extractor.vectorize(&extractions[i]);
                let verdict = model.verdict(&vector, Vec::new(), Some(3));
                log_odds[i] = verdict.log_odds;
                reasons[i] = verdict
                    .reasons
                    .into_iter()
                    .map(|r| (r.feature, r.weight))
                    .collect();
                progress.advance(1);
            }
        }
        let calibration = Calibration::fit(
            &log_odds
                .iter()
                .zip(mails)
                .map(|(s, m)| (*s, m.label == Label::Scam))
                .collect::<Vec<_>>(),
        );
        let scored: Vec<Scored> = mails
            .iter()
            .enumerate()
            .map(|(i, m)| Scored {
                id: m.email.id.clone(),
                scam: m.label == Label::Scam,
                category: m.category.clone(),
                scam_probability: calibration.probability(log_odds[i]),
                log_odds: log_odds[i],
                reasons: std::mem::take(&mut reasons[i]),
            })
            .collect();
        let probabilities: Vec<(f64, bool)> = scored
            .iter()
            .map(|s| (s.scam_probability, s.scam))
            .collect();
        let threshold = choose_threshold(&probabilities, config.threshold);
        let report = Report::compute(&scored, threshold, &report_slices(), 10);
        Ok(CrossValidation {
            folds: config.folds,
            scored,
            calibration,
            report,
        })
    }

    /// Fits vocabulary and naive Bayes on the mails at `rows`.
    fn fit(&self, rows: &[usize]) -> Result<Model> {
        let Run {
            extractions,
            hashes,
            class_of,
            classes,
            config,
            tokenizer,
            trained_on,
            progress,
            ..
        } = *self;
        let mut counts = FeatureCounts::new();
        let mut ids = Vec::new();
        let mut learned = Vec::with_capacity(rows.len());
        for &i in rows {
            let class = class_of[i];
            let mode = config.features().counts;
            counts.add(&extractions[i], class, classes[class].label, mode, &mut ids);
            learned.push(LearnedMail {
                hash: hashes[i],
                class: class as u16,
                times: 1,
            });
        }
        counts.prune(MAX_STORED_FEATURES);
        let vocabulary = counts.select(config.features())?;
        let extractor = FeatureExtractor::new(config.features().clone(), vocabulary);
        let mut fitter = Fitter::new(
            config.algorithm,
            config.alpha,
            extractor.vocabulary().len(),
            config.batch_size,
        );
        for &i in rows {
            fitter.push(extractor.vectorize(&extractions[i]), class_of[i])?;
            progress.advance(1);
        }
        let fitted = fitter.finish()?;
        Ok(assemble(
            extractor,
            fitted,
            classes.to_vec(),
            config,
            tokenizer,
            trained_on,
            Learning::trained(counts, learned),
        ))
    }
}

/// A model from a fit, not yet calibrated: its calibration, threshold and corpus counts
/// are the caller's to set.
pub(crate) fn assemble(
    extractor: FeatureExtractor,
    fitted: Fitted,
    classes: Vec<ClassLabel>,
    config: &CheckedTrainConfig,
    tokenizer: &Tokenizer,
    trained_on: &str,
    learning: Learning,
) -> Model {
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

/// BLAKE3 over every mail's id, label, subject and body, in order.
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
        for part in [
            m.email.id.as_str(),
            m.label.as_str(),
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
