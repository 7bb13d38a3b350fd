//! The Japanese tokenizer of sagiguard.
//!
//! A [`DictionaryLocator`] finds the IPADIC dictionary (an explicit path, a build cached from
//! Debian's `mecab-ipadic` sources, or those sources compiled once on first use) and loads it
//! as a [`Dictionary`]. A [`Tokenizer`] normalises text with a [`Normalizer`] (NFKC, case)
//! and segments it with lindera into [`Token`]s: surface, base form, typed
//! [`PartOfSpeech`], and the byte span of the morpheme in the text the caller passed in,
//! so that later steps can quote the user's own words.
//!
//! ```
//! use sagiguard_tokenizer::{DictionaryLocator, PosClass, Tokenizer};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let cache = tempfile::tempdir()?;
//! // A tiny IPADIC-format dictionary kept with the tests; real use finds the full one.
//! let dictionary = DictionaryLocator::new()
//!     .explicit(Some("tests/fixtures/tiny-ipadic"))
//!     .cache_root(cache.path())
//!     .load()?;
//! let tokenizer = Tokenizer::new(dictionary);
//!
//! let text = "４８時間以内に入金";
//! let tokens = tokenizer.tokenize(text);
//! let words: Vec<&str> = tokens.iter().map(|t| t.surface.as_str()).collect();
//! assert_eq!(words, ["48", "時間", "以内", "に", "入金"]);
//! assert!(tokens[0].pos.is_number());
//! assert_eq!(tokens[4].pos.class, PosClass::Noun);
//! // Spans point into the original, full-width text.
//! assert_eq!(&text[tokens[0].span.clone()], "４８");
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod context_order;
mod details;
mod dictionary;
mod error;
mod lexicon;
mod normalize;
mod pos;
mod token;
mod tokenizer;

pub use context_order::ContextFrequencies;
pub use dictionary::{
    CacheState, Dictionary, DictionaryInfo, DictionaryLocator, Origin, SYSTEM_IPADIC_DIRS,
    lindera_version,
};
pub use error::{Error, Result};
pub use normalize::{NormalizeStep, NormalizedText, Normalizer, is_default_ignorable, plain_char};
pub use pos::{PartOfSpeech, PosClass};
pub use token::{Morpheme, Token};
pub use tokenizer::Tokenizer;
