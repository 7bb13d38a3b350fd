//! Arguments of the commands that show what the pipeline sees: parse, tokenize, dict.

use std::path::PathBuf;

use super::{InputArgs, Lang};

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
