//! Features and scam signals: an [`Email`](sagiguard_corpus::Email) into a
//! [`SparseVector`] a model learns from, and the typed [`Signal`]s a person would point at.
//!
//! [`extract`] turns one mail into named feature counts — morpheme n-grams of subject and
//! body (`body:入金`, `body:#_時間`), sender and link domains (`from_domain:…`,
//! `url_host:…`), structure (`header:reply_to_differs`, `html:form`), and one feature per
//! [`Signal`] (`signal:deadline`) — plus the signals themselves with their evidence.
//! [`FeatureCounts`] counts those over the training (and later learned) mail and chooses
//! the best [`Vocabulary`] from the counts; a [`FeatureExtractor`] (checked [`FeatureConfig`] + vocabulary) then
//! turns any mail into a vector. Signals alone come from [`detect`].
//!
//! ```
//! use sagiguard_corpus::{Email, Mailbox};
//! use sagiguard_features::{SignalKind, detect};
//!
//! let email = Email {
//!     subject: "【Αmazon】お支払い方法の更新".into(),
//!     from: Mailbox::parse("Amazon <info@amazon-co-jp.account-verify.top>"),
//!     body: "24時間以内にカード番号をご入力ください。".into(),
//!     ..Email::default()
//! };
//! let kinds: Vec<SignalKind> = detect(&email).into_iter().map(|s| s.kind).collect();
//! assert!(kinds.contains(&SignalKind::BrandHomoglyph));
//! assert!(kinds.contains(&SignalKind::SenderDomainMismatch));
//! assert!(kinds.contains(&SignalKind::Deadline));
//! assert!(kinds.contains(&SignalKind::CredentialRequest));
//! ```
#![warn(missing_docs)]

mod advice;
mod bounds;
mod brands;
mod config;
mod domain;
mod error;
mod extract;
mod extractor;
mod letters;
mod sender;
mod signals;
mod sparse;
mod vocabulary;

pub use advice::{Advice, AdviceKind, ReportContact, advice, report_contacts};
pub use bounds::{MAX_ATTACHMENTS, MAX_BODY_BYTES, MAX_LINKS, MAX_SUBJECT_BYTES, bounded};
pub use brands::{Brand, brands, claimed_in, owner_of};
pub use config::{CheckedFeatureConfig, CountMode, FeatureConfig, FeatureConfigV3, Selection};
pub use domain::{is_ip, registered_domain, tld};
pub use error::{Error, Result};
pub use extract::{Extraction, extract, extract_with, is_content};
pub use extractor::{FeatureExtractor, FeatureExtractorV3};
pub use signals::{Field, Lang, Signal, SignalKind, detect};
pub use sparse::SparseVector;
pub use vocabulary::{FeatureCounts, MAX_STORED_FEATURES, Vocabulary};

/// Compiles the signals' patterns and builds the brand indexes now rather than on the first
/// mail: a third of a short-lived process's start-up, which a caller can do on another core
/// while it loads its model and dictionary. Needless but harmless when done already.
pub fn prepare() {
    signals::prepare();
    std::sync::LazyLock::force(&extract::MASK);
}
