//! Evaluating a model on labeled mail.

use rayon::prelude::*;
use sagiguard_corpus::{Label, LabeledEmail};
use sagiguard_tokenizer::Tokenizer;

use crate::model::Model;
use crate::report::{Report, Scored};

/// Scores every mail (on all cores, in order) and reports at the model's threshold, or at
/// `threshold` when given.
pub fn evaluate(
    model: &Model,
    tokenizer: &Tokenizer,
    mails: &[LabeledEmail],
    threshold: Option<f64>,
) -> (Vec<Scored>, Report) {
    let scored: Vec<Scored> = mails
        .par_iter()
        .map(|m| {
            let verdict = model.score(tokenizer, &m.email);
            Scored {
                id: m.email.id.clone(),
                scam: m.label == Label::Scam,
                category: m.category.clone(),
                scam_probability: verdict.scam_probability,
                log_odds: verdict.log_odds,
                reasons: verdict
                    .reasons
                    .into_iter()
                    .take(3)
                    .map(|r| (r.feature, r.weight))
                    .collect(),
            }
        })
        .collect();
    let report = Report::with_slices(&scored, threshold.unwrap_or(model.threshold()), 10);
    (scored, report)
}
