/// A specialised `Result` for feature extraction.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong turning mail into features.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is out of its range.
    #[error("invalid feature setting {setting}: {reason}")]
    InvalidConfig {
        /// The setting.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A vocabulary cannot be fitted on no mail.
    #[error("cannot fit a vocabulary on an empty corpus")]
    EmptyCorpus,
}
