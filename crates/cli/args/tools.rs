//! Arguments of the commands that show what the pipeline sees: parse, tokenize, dict.

use super::MailsArgs;

/// What `parse` reads and how it prints.
pub type ParseArgs = MailsArgs;

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
