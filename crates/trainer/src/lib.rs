//! Training, the saved model, scoring and evaluation.
//!
//! [`train`] turns labeled mail into a [`Model`]: features on all cores
//! (sagiguard-features), a vocabulary fitted on the training mail, a naive-Bayes model
//! fitted with linfa-bayes in dense batches of bounded size, and — with cross-validation
//! folds — a calibration and a decision threshold chosen on out-of-fold scores. A model is
//! one file ([`Model::save`], [`Model::load`]) and answers a [`Verdict`] for a mail:
//! calibrated scam probability, scam / unsure / ham, the reasons, the signals.
//! [`evaluate`] scores labeled mail and makes the precision/recall [`Report`] (data; the
//! command line renders it), from the pure functions in [`metrics`].
#![warn(missing_docs)]

mod calibrate;
mod category;
mod config;
mod cv;
mod error;
mod evaluate;
mod fit;
mod info;
mod learn;
mod merge;
pub mod metrics;
mod model;
mod nb;
mod recalibrate;
pub mod report;
mod stream;
mod train;

pub use calibrate::Calibration;
pub use category::{Category, categories, report_slices};
pub use config::{Algorithm, CheckedTrainConfig, Classes, ThresholdPolicy, TrainConfig};
pub use cv::near_duplicate_groups;
pub use error::{Error, Result};
pub use evaluate::evaluate;
pub use fit::{CrossValidation, Progress, Silent, Trained, corpus_hash};
pub use info::ModelInfo;
pub use learn::{History, Lesson, Outcome, Prepared, mail_hash};
pub use model::{ClassLabel, FORMAT_VERSION, Metadata, Model, Reason, Verdict, VerdictLabel};
pub use report::{CrossValidationMetrics, Report, Scored};
pub use stream::train_stream;
pub use train::train;

/// The tokenizer of the tiny fixture dictionary, for the crate's unit tests.
#[cfg(test)]
pub(crate) fn tiny_tokenizer() -> sagiguard_tokenizer::Tokenizer {
    let cache = tempfile::tempdir().unwrap();
    let dictionary = sagiguard_tokenizer::DictionaryLocator::new()
        .explicit(Some(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tokenizer/tests/fixtures/tiny-ipadic"),
        ))
        .cache_root(cache.path())
        .load()
        .unwrap();
    sagiguard_tokenizer::Tokenizer::new(dictionary)
}
