//! Training: features on all cores, a vocabulary, linfa-bayes in dense batches, and — with
//! folds — out-of-fold scores that choose the calibration and the threshold.

use rayon::prelude::*;
use sagiguard_corpus::{Label, LabeledEmail};
use sagiguard_features::{Extraction, FeatureCounts, MAX_STORED_FEATURES, extract};
use sagiguard_tokenizer::Tokenizer;

use crate::calibrate::Calibration;
use crate::config::{Algorithm, CheckedTrainConfig};
use crate::cv;
use crate::error::{Error, Result};
use crate::fit::{
    Counted, CrossValidation, Progress, Trained, Training, choose_threshold, class_index,
    class_layout, corpus_hash, fit,
};
use crate::learn::{LearnedMail, mail_hash};
use crate::model::{ClassLabel, Model};
use crate::report::{Report, Scored};

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
        .collect();
    let hashes: Vec<u64> = mails.par_iter().map(|m| mail_hash(&m.email)).collect();

    let run = Run {
        mails,
        extractions: &extractions,
        hashes: &hashes,
        class_of: &class_of,
        classes: &classes,
        training: Training {
            config,
            tokenizer,
            trained_on,
            progress,
        },
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

/// The pieces of one training run, shared by its fits.
struct Run<'a> {
    mails: &'a [LabeledEmail],
    extractions: &'a [Extraction],
    hashes: &'a [u64],
    class_of: &'a [usize],
    classes: &'a [ClassLabel],
    training: Training<'a>,
}

impl Run<'_> {
    /// Scores every mail with a model fitted on the other folds.
    fn cross_validate(&self) -> Result<CrossValidation> {
        let Run {
            mails,
            extractions,
            training: Training {
                config, progress, ..
            },
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
        let report = Report::with_slices(&scored, threshold, 10);
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
            training,
            ..
        } = *self;
        let mode = training.config.features().counts;
        let mut counts = FeatureCounts::new();
        let mut ids = Vec::new();
        let mut row_ids = Vec::with_capacity(rows.len());
        let mut learned = Vec::with_capacity(rows.len());
        for &i in rows {
            let class = class_of[i];
            counts.add(&extractions[i], class, classes[class].label, mode, &mut ids);
            row_ids.push((class, ids.clone()));
            learned.push(LearnedMail {
                hash: hashes[i],
                class: class as u16,
                times: 1,
            });
        }
        counts.prune(MAX_STORED_FEATURES);
        let counted = Counted {
            counts,
            learned,
            classes: classes.to_vec(),
        };
        let (model, _) = fit(training, counted, |push| {
            row_ids
                .iter()
                .try_for_each(|(class, ids)| push(*class, ids))
        })?;
        Ok(model)
    }
}
