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

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The model; reloaded on SIGHUP or POST /reload.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Address and port to listen on. Beyond loopback there is no authentication for
    /// scoring: put it behind a firewall or a proxy.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:11380")]
    pub listen: std::net::SocketAddr,

    /// Largest request body, in bytes (past it: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 25 * 1024 * 1024)]
    pub max_body: u64,

    /// Give up on a request after this many seconds (503).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    pub timeout: f64,

    /// Requests scored at once; past it, 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub max_in_flight: u32,

    /// A file holding a shared token (at least 16 characters). With it, POST /learn and
    /// /forget are on and need `Authorization: Bearer TOKEN`, as POST /reload then does.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

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

/// What to do with a row or mail that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnError {
    /// Stop with the first error.
    Fail,
    /// Report it, skip it, and go on.
    Skip,
}

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

    /// Rows per dense training batch: memory is rows × features × 8 bytes.
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

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The model; without it, SAGIGUARD_MODEL, else the first that exists of
    /// $XDG_DATA_HOME/sagiguard/sagiguard.model, /var/lib/sagiguard/sagiguard.model and
    /// models/sagiguard.model.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Mail files, directories, mbox files, Maildirs, datasets; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Flag mail at or above this scam probability instead of the model's threshold.
    #[arg(long, value_name = "P", value_parser = probability)]
    pub threshold: Option<f64>,

    /// Print one JSON object per mail (JSON Lines).
    #[arg(long)]
    pub json: bool,

    /// Language of the signal messages.
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    pub lang: Lang,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The model; without it, SAGIGUARD_MODEL, else the first that exists of
    /// $XDG_DATA_HOME/sagiguard/sagiguard.model, /var/lib/sagiguard/sagiguard.model and
    /// models/sagiguard.model.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// One mail file; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Language of the explanation.
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    pub lang: Lang,

    /// How many words to show in each direction.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub words: usize,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// The model; without it, SAGIGUARD_MODEL, else the first that exists of
    /// $XDG_DATA_HOME/sagiguard/sagiguard.model, /var/lib/sagiguard/sagiguard.model and
    /// models/sagiguard.model.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Flag mail at or above this scam probability instead of the model's threshold.
    #[arg(long, value_name = "P", value_parser = probability)]
    pub threshold: Option<f64>,

    /// Exit with the verdict's code (0 ham, 1 scam, 3 unsure) instead of 0; procmail's `f`
    /// flag would then treat a scam as a failed filter, so leave it off there.
    #[arg(long)]
    pub exit_code: bool,

    /// Refuse to score messages larger than this many bytes (they pass through unchanged).
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_size: u64,

    /// Give up scoring after this many seconds (model load included): the message is
    /// delivered with `X-Sagiguard-Error: timeout`.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = seconds)]
    pub timeout: f64,
}

/// An encoding label the corpus crate knows.
fn encoding_label(text: &str) -> Result<String, String> {
    sagiguard_corpus::Schema::default()
        .encoding(Some(text))
        .map(|_| text.to_string())
        .map_err(|e| e.to_string())
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
