//! Command-line arguments. Doc comments here are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod input;
mod model;
mod score;
mod tools;
mod train;

pub use input::{InputArgs, LabelFolders, MailsArgs, OnError};
pub use model::{LearnArgs, MergeArgs, ModelCommand, ModelInfoArgs};
pub use score::{ExplainArgs, FilterArgs, Lang, ScoreArgs, ServeArgs};
pub use tools::{DictArgs, ParseArgs, TokenizeArgs};
pub use train::{AlgorithmArg, ClassesArg, CountsArg, EvalArgs, TrainArgs};

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
#[derive(Debug, Clone, clap::Args)]
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
    /// Train a model on labeled datasets; with --cv, report cross-validated precision and recall.
    Train(TrainArgs),
    /// Evaluate a model on labeled datasets: precision, recall, ROC-AUC, per-category recall.
    Eval(EvalArgs),
    /// Score mail with a model: one line per mail (verdict, probability, category, strongest
    /// signal). Exit status: 0 all ham, 1 a scam, 3 unsure (no scam), 2 an error.
    Score(ScoreArgs),
    /// Explain one mail: the verdict, the signals with evidence quoted from the mail, the words
    /// that pushed toward scam and toward legitimate, and what to do.
    Explain(ExplainArgs),
    /// Read one message on stdin and write it to stdout byte for byte with X-Sagiguard-*
    /// headers added, for procmail, maildrop, Sieve or a Postfix pipe. The message always comes
    /// out: on failure with an X-Sagiguard-Error header. Exit status 0 once it is written.
    Filter(FilterArgs),
    /// Teach a model from corrections: add mails to its counts as scam or ham, or forget
    /// mails learned before, in place (locked, written atomically). Exit status: 0 done, 2
    /// when a mail could not be read or learned (the others are still learned).
    Learn(LearnArgs),
    /// Merge models trained with the same settings and dictionary: their counts summed, as
    /// if trained on all their mails at once.
    Merge(MergeArgs),
    /// Inspect a model.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Serve the model over HTTP for rspamd and other mail systems (POST /score, /explain,
    /// /learn), with a page at / where a person pastes a suspicious mail or SMS.
    Serve(ServeArgs),
}

/// Where the README's main command writes the model (in the repository).
pub const DEFAULT_MODEL: &str = "models/sagiguard.model";

/// The model commands use without `-m` or `SAGIGUARD_MODEL`: the first that exists of
/// `$XDG_DATA_HOME/sagiguard/sagiguard.model` (`~/.local/share/…`), the system's
/// `/var/lib/sagiguard/sagiguard.model`, and `models/sagiguard.model` under the current
/// directory (a checkout of this repository); the last when none does.
pub fn default_model() -> PathBuf {
    model_places()
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_MODEL))
}

/// Where [`default_model`] looks, in order.
pub fn model_places() -> Vec<PathBuf> {
    let mut places = Vec::new();
    if let Some(data) = dirs::data_dir() {
        places.push(data.join("sagiguard/sagiguard.model"));
    }
    places.push(PathBuf::from("/var/lib/sagiguard/sagiguard.model"));
    places.push(PathBuf::from(DEFAULT_MODEL));
    places
}

/// A time limit in seconds: a positive finite number.
fn seconds(text: &str) -> Result<f64, String> {
    let s: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if s > 0.0 && s.is_finite() {
        Ok(s)
    } else {
        Err(format!("{text} is not a positive number of seconds"))
    }
}

/// A probability given on the command line: a finite number in [0, 1].
fn probability(text: &str) -> Result<f64, String> {
    let p: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{text} is not a probability in [0, 1]"))
    }
}
