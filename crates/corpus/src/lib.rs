//! Mail and datasets into sagiguard.
//!
//! Everything the pipeline learns from or scores enters here and leaves as an [`Email`]
//! (decoded subject, sender, body text, links, attachment names) or a [`LabeledEmail`].
//!
//! - Raw mail: [`parse_message`] reads one RFC 5322 message with mail-parser, decoding
//!   Japanese charsets (ISO-2022-JP, Shift_JIS, EUC-JP, also when mislabeled), transfer
//!   encodings and HTML parts. [`read_mail`] walks `.eml` files, directories, mbox files
//!   and Maildirs, yielding each message with its position. Text without headers (an SMS
//!   or a mail body pasted on standard input) is read by [`parse_text`]; [`parse_input`]
//!   tells the two apart.
//! - Datasets: [`read_dataset`] streams CSV, JSON Lines or Parquet rows through polars in
//!   batches, mapping columns with a [`Schema`].
//!
//! Readers never drop or invent data silently: a bad record is an [`Error`] that says where
//! it is, and the reader goes on with the next one.
//!
//! ```
//! use sagiguard_corpus::{ParseOptions, parse_message};
//!
//! let raw = "From: =?UTF-8?B?5LiJ5LqV5L2P5Y+L44Kr44O844OJ?= <info@smbc-card.com>\r\n\
//!            Subject: =?ISO-2022-JP?B?GyRCJCpDTiRpJDsbKEI=?=\r\n\
//!            Content-Type: text/plain; charset=utf-8\r\n\r\n\
//!            ご利用明細は会員ページ https://www.smbc-card.com/ でご確認ください。\r\n";
//! let email = parse_message(raw.as_bytes(), &ParseOptions::default())?;
//! assert_eq!(email.subject, "お知らせ");
//! assert_eq!(email.from.unwrap().name.as_deref(), Some("三井住友カード"));
//! assert_eq!(email.links[0].href, "https://www.smbc-card.com/");
//! # Ok::<(), sagiguard_corpus::MessageError>(())
//! ```
#![warn(missing_docs)]

mod dataset;
mod email;
mod error;
mod input;
mod mailbox;
mod message;
mod read_ahead;
mod url;

pub use dataset::{
    DatasetFormat, DatasetReader, LabelMap, Record, Schema, read_dataset, read_jsonl,
};
pub use email::{Email, Label, LabeledEmail, Link, Mailbox};
pub use error::{Error, MessageError, Result, RowProblem};
pub use input::{Input, InputOptions, read_inputs};
pub use mailbox::{RawMail, read_mail, read_mbox, read_stdin};
pub use message::{ParseOptions, looks_like_message, parse_input, parse_message, parse_text};
pub use read_ahead::read_ahead;
pub use url::{
    FoundLinks, FoundUrl, ScannedLinks, find_addresses, find_links, find_urls, url_host,
};
