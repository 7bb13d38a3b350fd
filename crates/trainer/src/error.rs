use std::io;
use std::path::PathBuf;

/// A specialised `Result` for training, models and evaluation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong training, saving, loading or using a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is out of range.
    #[error("invalid training setting {setting}: {reason}")]
    InvalidConfig {
        /// The setting.
        setting: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Training needs mail of both classes.
    #[error("cannot train on {scam} scam and {ham} ham mails: both classes are needed")]
    OneClass {
        /// Scam mails given.
        scam: usize,
        /// Ham mails given.
        ham: usize,
    },
    /// A category name that cannot be shown in a header or on a terminal.
    #[error(
        "category {category:?} cannot name a class: categories are 1 to 64 characters without control characters (line breaks, escapes)"
    )]
    InvalidCategory {
        /// The category as found.
        category: String,
    },
    /// A training mail could not be read.
    #[error("cannot read the training mail: {0}")]
    Input(String),
    /// Feature extraction failed.
    #[error(transparent)]
    Features(#[from] sagiguard_features::Error),
    /// linfa-bayes failed.
    #[error("naive-Bayes fitting failed")]
    Fit(#[source] linfa_bayes::NaiveBayesError),
    /// The file is not a sagiguard model.
    #[error("{}: not a sagiguard model (no SAGIGUARD header): give the file `sagiguard train -o` wrote", path.display())]
    NotAModel {
        /// The file.
        path: PathBuf,
    },
    /// The model was written by another format version.
    #[error("{}: model format {found}, this sagiguard reads formats {oldest} to {expected}: rebuild it with `sagiguard train DATA… -o {}` (or use the sagiguard that wrote it)", path.display(), path.display())]
    FormatVersion {
        /// The file.
        path: PathBuf,
        /// The oldest version this build reads.
        oldest: u16,
        /// The version in the file.
        found: u16,
        /// The version this build reads.
        expected: u16,
    },
    /// The file ends early.
    #[error("{}: the model is truncated ({found} of {expected} bytes): copy it again or retrain", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Bytes present.
        found: u64,
        /// Bytes the header announces.
        expected: u64,
    },
    /// The checksum does not match.
    #[error("{}: the model is corrupted (checksum mismatch): copy it again or retrain", path.display())]
    Corrupted {
        /// The file.
        path: PathBuf,
    },
    /// The payload does not decode.
    #[error("{}: the model cannot be decoded: {reason}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
    /// The model decodes, but a value in it is out of range: a damaged or hand-edited model.
    #[error("{}: the model's {field} is invalid: {reason}; retrain the model", path.display())]
    InvalidModel {
        /// The file.
        path: PathBuf,
        /// What is wrong, e.g. `threshold`.
        field: &'static str,
        /// Expected and found.
        reason: String,
    },
    /// The model was trained with another dictionary.
    #[error(
        "the model was trained with dictionary {model}, but {loaded} is loaded: use the same dictionary (--dict) or retrain"
    )]
    DictionaryMismatch {
        /// The model's dictionary fingerprint.
        model: String,
        /// The loaded dictionary's fingerprint.
        loaded: String,
    },
    /// A mail to learn under one label was learned under the other.
    #[error(
        "this mail was learned as {learned}, not {asked}: learn it with --relabel to move it (the first lesson is forgotten), or --forget it"
    )]
    LearnedAsOther {
        /// The class it was learned in.
        learned: String,
        /// The class asked for.
        asked: String,
    },
    /// A scam category the model has no class for, or none given where one is needed.
    #[error("{reason} (the model's scam classes: {classes})")]
    Category {
        /// What is wrong.
        reason: String,
        /// The model's scam categories, comma-separated.
        classes: String,
    },
    /// Models that cannot be merged.
    #[error("cannot merge {}: {reason}", path.display())]
    Incompatible {
        /// The model that differs from the first.
        path: PathBuf,
        /// How it differs.
        reason: String,
    },
    /// A file operation failed.
    #[error("{}: cannot {action}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// linfa-bayes 0.8.1 normalises BernoulliNb's feature probabilities by the rows of the
    /// last batch only, so a second batch drives them above 1 (log > 0) and every score to
    /// NaN. Multinomial batches are exact.
    pub(crate) fn bernoulli_batches(mails: usize) -> Error {
        Error::InvalidConfig {
            setting: "algorithm",
            reason: format!(
                "linfa-bayes' BernoulliNb cannot be fitted in batches: use a batch size of at least {mails} mails, or the multinomial model"
            ),
        }
    }
}
