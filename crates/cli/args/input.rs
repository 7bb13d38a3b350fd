//! Arguments shared by the commands that read mail: where it comes from and how.

use std::path::PathBuf;

/// What to do with a row or mail that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnError {
    /// Stop with the first error.
    Fail,
    /// Report it, skip it, and go on.
    Skip,
}

/// Mail without a label column, labeled by where it is: a Scam folder, a NotScam folder.
#[derive(Debug, Clone, clap::Args)]
pub struct LabelFolders {
    /// Mail that is all scam: files, directories, mbox files, Maildirs, datasets (their
    /// label column ignored).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub scam: Vec<PathBuf>,

    /// Mail that is all ham.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub ham: Vec<PathBuf>,
}

/// The mails a command reads and how it prints them, one per line or object: `score`, `parse`.
#[derive(Debug, clap::Args)]
pub struct MailsArgs {
    /// Mail files, directories, mbox files, Maildirs, datasets; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Print one JSON object per mail (JSON Lines) instead of text.
    #[arg(long)]
    pub json: bool,

    /// Language of the signal messages.
    #[arg(long, value_enum, default_value_t = super::Lang::Ja)]
    pub lang: super::Lang,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Where mail comes from and how datasets are read; shared by the commands that read mail.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Read every input as this dataset format instead of guessing from its extension.
    #[arg(long, value_name = "csv|jsonl|parquet")]
    pub format: Option<sagiguard_corpus::DatasetFormat>,

    /// Dataset column holding the mail text.
    #[arg(long, value_name = "NAME", help_heading = "Dataset columns")]
    pub text_column: Option<String>,

    /// Dataset column holding the subject.
    #[arg(long, value_name = "NAME", help_heading = "Dataset columns")]
    pub subject_column: Option<String>,

    /// Dataset column holding the label.
    #[arg(long, value_name = "NAME", help_heading = "Dataset columns")]
    pub label_column: Option<String>,

    /// Dataset column holding a stable id (default: `id`, else FILE:ROW).
    #[arg(long, value_name = "NAME", help_heading = "Dataset columns")]
    pub id_column: Option<String>,

    /// Dataset column holding the sender.
    #[arg(long, value_name = "NAME", help_heading = "Dataset columns")]
    pub from_column: Option<String>,

    /// Label values that mean scam, comma-separated.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "scam",
        help_heading = "Dataset columns"
    )]
    pub scam_labels: Vec<String>,

    /// Label values that mean ham, comma-separated.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "ham",
        help_heading = "Dataset columns"
    )]
    pub ham_labels: Vec<String>,

    /// Refuse messages larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_size: u64,

    /// The text encoding of CSV files, e.g. shift_jis (Excel's CP932), euc-jp, utf-16le;
    /// detected from the bytes when not given.
    #[arg(long, value_name = "LABEL", value_parser = encoding_label)]
    pub encoding: Option<String>,

    /// Read raw inputs as plain text (a pasted SMS or mail body), even when their first
    /// lines look like mail headers. Without it, text without a header block is read as
    /// text anyway.
    #[arg(long)]
    pub text: bool,

    /// Who sent the inputs read as plain text (a pasted SMS has no header to say it): the
    /// number or name the phone showed (`+81 80-1234-5678`, `0120-000-000`, `Amazon`), or
    /// an address. A mobile number is evidence: carriers, banks and shops send from short
    /// codes and names.
    #[arg(long, value_name = "NUMBER|NAME")]
    pub sender: Option<String>,
}

/// An encoding label the corpus crate knows.
fn encoding_label(text: &str) -> Result<String, String> {
    sagiguard_corpus::Schema::default()
        .encoding(Some(text))
        .map(|_| text.to_string())
        .map_err(|e| e.to_string())
}
