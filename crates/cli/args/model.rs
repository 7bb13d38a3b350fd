//! Arguments of the commands that change or inspect a saved model: learn, merge, model.

use std::path::PathBuf;

use clap::Subcommand;

use super::{InputArgs, default_model};

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// What a model has counted: mails, features, the cap, when it last learned, and
    /// whether its threshold and calibration should be refitted.
    Info(ModelInfoArgs),
}

#[derive(Debug, clap::Args)]
pub struct ModelInfoArgs {
    /// The model.
    #[arg(value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Print one JSON object for programs.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("lessons").required(true).multiple(true).args(["scam", "ham", "forget", "labeled"]))]
pub struct LearnArgs {
    /// The model to teach; changed in place.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Mail to learn as scam: files, directories, mbox files, Maildirs, datasets (their label
    /// column ignored), `-` for stdin.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub scam: Vec<PathBuf>,

    /// Mail to learn as ham (legitimate).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub ham: Vec<PathBuf>,

    /// Mail learned before to take back out of the counts, wherever it was learned.
    /// Forgetting comes first, then --scam, --ham and --labeled.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub forget: Vec<PathBuf>,

    /// Labeled datasets whose rows are learned under their own label (and category).
    #[arg(long, value_name = "DATA", num_args = 1..)]
    pub labeled: Vec<PathBuf>,

    /// The scam category to learn --scam mail under, for a model with categories as classes.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,

    /// A mail learned before under the other label is moved (forgotten there, learned here)
    /// instead of refused.
    #[arg(long)]
    pub relabel: bool,

    /// How many training mails each learned mail counts as: a site's own mail can be given
    /// more say than the corpus the model was trained on. Forgetting takes back the same.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub weight: u32,

    /// Print one JSON object per mail (JSON Lines): source, id, outcome or error.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The models, two or more; the first gives the threshold and calibration unless
    /// --recalibrate is given.
    #[arg(value_name = "MODEL", required = true, num_args = 2..)]
    pub models: Vec<PathBuf>,

    /// Where to write the merged model.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Choose threshold and calibration again on this labeled mail (held-out mail: mail
    /// the models counted flatters them).
    #[arg(long, value_name = "DATA", num_args = 1..)]
    pub recalibrate: Vec<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}
