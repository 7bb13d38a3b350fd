//! Arguments of the commands that build and measure a model: train, eval.

use std::path::PathBuf;

use super::{DEFAULT_MODEL, InputArgs, LabelFolders, OnError, default_model, probability};

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Labeled datasets (CSV, JSON Lines, Parquet).
    #[arg(value_name = "DATA", required_unless_present_any = ["scam", "ham"])]
    pub data: Vec<PathBuf>,

    /// Start from this model's counts (its settings, dictionary and learned mail): the new
    /// mail is learned into them, and with --cv the threshold and calibration are chosen
    /// again on it (each fold scored by the model with that fold forgotten); with --cv 0
    /// they are kept. The settings flags are then the model's, not these.
    #[arg(long, value_name = "MODEL")]
    pub from: Option<PathBuf>,

    #[command(flatten)]
    pub folders: LabelFolders,

    /// Where to write the model.
    #[arg(short, long, value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub output: PathBuf,

    /// Only rows whose split column is this (e.g. train).
    #[arg(long, value_name = "NAME")]
    pub split: Option<String>,

    /// Cross-validation folds that choose the threshold and calibration, and report
    /// out-of-fold metrics; 0 trains without (the threshold is then chosen on the training mail).
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub cv: usize,

    /// Choose the threshold with the highest recall whose false-positive rate stays at or below this.
    #[arg(
        long,
        value_name = "RATE",
        default_value_t = 0.01,
        conflicts_with = "threshold"
    )]
    pub max_fpr: f64,

    /// Use this scam-probability threshold instead.
    #[arg(long, value_name = "P", value_parser = probability)]
    pub threshold: Option<f64>,

    /// Classes: scam/ham, or ham plus each scam category.
    #[arg(long, value_enum, default_value_t = ClassesArg::Binary)]
    pub classes: ClassesArg,

    /// Naive-Bayes event model.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Multinomial)]
    pub algorithm: AlgorithmArg,

    /// How feature counts become values (binary won cross-validation on data/; see models/README.md).
    #[arg(long, value_enum, default_value_t = CountsArg::Binary)]
    pub counts: CountsArg,

    /// Rows per training batch. Multinomial and complement batches reach linfa-bayes as one
    /// summed row per class (memory: classes × features × 8 bytes); Bernoulli batches as
    /// dense rows (rows × features × 8 bytes).
    #[arg(long, value_name = "ROWS", default_value_t = 256)]
    pub batch_size: usize,

    /// Character n-gram features of this length (0 = off).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub char_ngram: u8,

    /// Additive (Laplace/Lidstone) smoothing of the naive-Bayes counts.
    #[arg(long, value_name = "A", default_value_t = 1.0)]
    pub alpha: f64,

    /// Longest morpheme n-gram (1 to 3; 1 won cross-validation on data/).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub ngram: u8,

    /// Keep only content words (nouns, verbs, adjectives, adverbs) instead of every part of
    /// speech (particles and auxiliaries included, which won cross-validation on data/).
    #[arg(long)]
    pub content_pos: bool,

    /// Keep only alphanumeric words the dictionary does not know, instead of every unknown
    /// word and symbol as written (the decorations and split words spammers use; keeping
    /// them won cross-validation on data/).
    #[arg(long)]
    pub no_raw_unknown: bool,

    /// Count masked spans (`*****`, `○○○`, `XXXX`) as the feature `shape:masked`, as models
    /// did before December 2026; by default they are only cut from the text, so that no
    /// placeholder carries a label.
    #[arg(long)]
    pub mask_feature: bool,

    /// Leave out morpheme features (use with --char-ngram).
    #[arg(long)]
    pub no_morphemes: bool,

    /// Vocabulary size.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub max_features: usize,

    /// A feature must appear in at least this many training mails.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_df: u32,

    /// Fold assignment seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// A row that cannot be read: fail (default) or skip it.
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,

    /// Train even when the same text appears under both labels (by default a contradiction
    /// stops training, naming both mails).
    #[arg(long)]
    pub allow_contradictions: bool,

    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Write each training mail's out-of-fold score to this CSV (columns as `eval --scores`);
    /// needs --cv.
    #[arg(long, value_name = "FILE.csv")]
    pub scores: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassesArg {
    Binary,
    Categories,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AlgorithmArg {
    Multinomial,
    Bernoulli,
    /// Weight-normalised complement naive Bayes from the multinomial counts.
    Complement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CountsArg {
    Log,
    Raw,
    Binary,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The model; without it, SAGIGUARD_MODEL, else the first that exists of
    /// $XDG_DATA_HOME/sagiguard/sagiguard.model, /var/lib/sagiguard/sagiguard.model and
    /// models/sagiguard.model.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Labeled datasets (CSV, JSON Lines, Parquet).
    #[arg(value_name = "DATA", required_unless_present_any = ["scam", "ham"])]
    pub data: Vec<PathBuf>,

    #[command(flatten)]
    pub folders: LabelFolders,

    /// Only rows whose split column is this (e.g. test).
    #[arg(long, value_name = "NAME")]
    pub split: Option<String>,

    /// Report at this threshold instead of the model's.
    #[arg(long, value_name = "P", value_parser = probability)]
    pub threshold: Option<f64>,

    /// Also write one row per mail: id,label,category,scam_probability,predicted,log_odds
    /// (a contract: the columns and their order are pinned by the tests).
    #[arg(long, value_name = "FILE.csv")]
    pub scores: Option<PathBuf>,

    /// Also write the ROC curve, the precision-recall curve and the score histogram as SVG,
    /// and an index.html that shows them with the table, into this directory.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,

    /// A row that cannot be read: fail (default) or skip it.
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,

    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub input: InputArgs,
}
