//! Arguments of the commands that score mail with a model: score, explain, filter, serve.

use std::path::PathBuf;

use super::{InputArgs, MailsArgs, default_model, probability, seconds};

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The model; without it, SAGIGUARD_MODEL, else the first that exists of
    /// $XDG_DATA_HOME/sagiguard/sagiguard.model, /var/lib/sagiguard/sagiguard.model and
    /// models/sagiguard.model.
    #[arg(short, long, value_name = "MODEL", default_value_os_t = default_model(), env = "SAGIGUARD_MODEL")]
    pub model: PathBuf,

    /// Flag mail at or above this scam probability instead of the model's threshold.
    #[arg(long, value_name = "P", value_parser = probability)]
    pub threshold: Option<f64>,

    #[command(flatten)]
    pub mails: MailsArgs,
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
