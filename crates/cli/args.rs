//! Command-line arguments. Doc comments here are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Learns to recognise Japanese scam mail (詐欺メール) and scores new mail with a saved model.
#[derive(Debug, Parser)]
#[command(name = "sagiguard", version, propagate_version = true)]
pub struct Args {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Dictionary to use: a compiled lindera dictionary or an IPADIC source directory.
    /// Without it, Debian's mecab-ipadic sources are compiled once into the cache.
    #[arg(long, global = true, env = "SAGIGUARD_DICT", value_name = "PATH")]
    pub dict: Option<PathBuf>,

    /// Print nothing on stderr but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the morphemes of a text as the model sees them: surface, base form, part of speech.
    Tokenize(TokenizeArgs),
    /// Show where the dictionary comes from and its fingerprint; build it on request.
    Dict(DictArgs),
    /// Show what the pipeline sees of each mail: decoded headers, body text, links, attachments.
    Parse(ParseArgs),
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
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Mail files, directories, mbox files, Maildirs, datasets; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Print one JSON object per mail (JSON Lines) instead of text.
    #[arg(long)]
    pub json: bool,

    /// Language of the signal messages.
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    pub lang: Lang,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Language of messages for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    En,
}

impl From<Lang> for sagiguard_features::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Ja => sagiguard_features::Lang::Ja,
            Lang::En => sagiguard_features::Lang::En,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct TokenizeArgs {
    /// The text to segment; `-` or nothing reads standard input.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,

    /// Print one JSON object for programs instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct DictArgs {
    /// Compile the IPADIC sources again even when a valid build is cached.
    #[arg(long)]
    pub rebuild: bool,

    /// Print one JSON object for programs.
    #[arg(long)]
    pub json: bool,
}
