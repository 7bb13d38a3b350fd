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
