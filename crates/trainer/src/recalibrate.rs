//! Choosing a model's calibration and threshold again after it has learned: on held-out
//! mail, or by cross-validation over its counts (exact, because forgetting is).

use rayon::prelude::*;
use sagiguard_corpus::{Label, LabeledEmail};
use sagiguard_tokenizer::Tokenizer;

use crate::calibrate::Calibration;
use crate::error::{Error, Result};
use crate::fit::choose_threshold;
use crate::learn::{Lesson, Prepared};
use crate::model::Model;
use crate::report::Scored;

impl Model {
    /// Chooses the calibration and threshold again on labeled mail's log-odds (the
    /// threshold by the model's own policy). Mail the model has counted flatters it: refit
    /// on held-out mail, or use [`Model::recalibrate_cross_validated`].
    ///
    /// # Errors
    ///
    /// [`Error::OneClass`] without both labels.
    pub fn recalibrate(&mut self, tokenizer: &Tokenizer, mails: &[LabeledEmail]) -> Result<()> {
        let scores: Vec<(f64, bool)> = mails
            .par_iter()
            .map(|m| {
                let (vector, _) = self.extractor.transform(tokenizer, &m.email);
                (self.log_odds(&vector).0, m.label == Label::Scam)
            })
            .collect();
        self.set_calibration(&scores)
    }

    /// Learns `mails` and chooses the calibration and threshold on them by
    /// cross-validation over the counts: each of `folds` folds is scored by the model with
    /// that fold forgotten (exact, because forgetting is). A mail learned before under
    /// another label takes the label given here. Returns every mail's out-of-fold score.
    ///
    /// # Errors
    ///
    /// [`Error::OneClass`] without both labels; learning errors.
    pub fn recalibrate_cross_validated(
        &mut self,
        tokenizer: &Tokenizer,
        mails: &[LabeledEmail],
        folds: usize,
        seed: u64,
        today: &str,
    ) -> Result<Vec<Scored>> {
        let labeled: Vec<_> = mails.iter().map(|m| (&m.email, m.label)).collect();
        let fold_of = crate::cv::folds(&labeled, folds.max(2), seed);
        let prepared: Vec<Prepared> = mails
            .par_iter()
            .map(|m| self.prepare(tokenizer, &m.email))
            .collect();
        for (mail, m) in prepared.iter().zip(mails) {
            let lesson = Lesson::Learn {
                label: m.label,
                category: m.category.clone(),
                relabel: true,
                weight: 1,
            };
            self.apply(mail, &lesson, today)?;
        }
        self.refresh()?;
        let mut log_odds = vec![0.0; mails.len()];
        for fold in 0..folds.max(2) {
            let mut held_out = self.clone_for_learning()?;
            for (i, mail) in prepared.iter().enumerate() {
                if fold_of[i] == fold {
                    held_out.apply(mail, &Lesson::Forget, today)?;
                }
            }
            held_out.refresh()?;
            for i in (0..mails.len()).filter(|&i| fold_of[i] == fold) {
                let vector = held_out.extractor.vectorize(&prepared[i].extraction);
                log_odds[i] = held_out.log_odds(&vector).0;
            }
        }
        let scores: Vec<(f64, bool)> = log_odds
            .iter()
            .zip(mails)
            .map(|(s, m)| (*s, m.label == Label::Scam))
            .collect();
        self.set_calibration(&scores)?;
        Ok(mails
            .iter()
            .zip(log_odds)
            .map(|(m, log_odds)| Scored {
                id: m.email.id.clone(),
                scam: m.label == Label::Scam,
                category: m.category.clone(),
                scam_probability: self.calibration.probability(log_odds),
                log_odds,
                reasons: Vec::new(),
            })
            .collect())
    }

    fn set_calibration(&mut self, scores: &[(f64, bool)]) -> Result<()> {
        let scam = scores.iter().filter(|s| s.1).count();
        if scam == 0 || scam == scores.len() {
            return Err(Error::OneClass {
                scam,
                ham: scores.len() - scam,
            });
        }
        let calibration = Calibration::fit(scores);
        let probabilities: Vec<(f64, bool)> = scores
            .iter()
            .map(|(s, y)| (calibration.probability(*s), *y))
            .collect();
        self.threshold = choose_threshold(&probabilities, self.metadata.config.threshold);
        self.calibration = calibration;
        let history = &mut self.learning_mut()?.history;
        history.calibrated_on = scores.len() as u64;
        history.changed_since_calibration = 0;
        Ok(())
    }
}
