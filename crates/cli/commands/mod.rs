//! One module per subcommand; each calls the libraries and prints the result.

mod dict;
mod eval;
mod explain;
mod filter;
mod learn;
mod merge;
mod model;
mod parse;
mod score;
mod tokenize;
mod train;

use anyhow::Context;
use sagiguard_tokenizer::{CacheState, Dictionary, DictionaryLocator, Origin};

use crate::args::{Args, Command, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(args: Args) -> anyhow::Result<ExitStatus> {
    match args.command {
        Command::Tokenize(cmd) => tokenize::run(&args.global, cmd),
        Command::Dict(cmd) => dict::run(&args.global, cmd),
        Command::Parse(cmd) => parse::run(&args.global, cmd),
        Command::Train(cmd) => train::run(&args.global, cmd),
        Command::Eval(cmd) => eval::run(&args.global, cmd),
        Command::Score(cmd) => score::run(&args.global, cmd),
        Command::Explain(cmd) => explain::run(&args.global, cmd),
        Command::Filter(cmd) => filter::run(&args.global, cmd),
        Command::Learn(cmd) => learn::run(&args.global, cmd),
        Command::Merge(cmd) => merge::run(&args.global, cmd),
        Command::Model(cmd) => model::run(&args.global, cmd),
        Command::Serve(cmd) => crate::serve::run(&args.global, cmd),
    }
}

/// Resolves and loads the dictionary, saying on stderr when it had to be compiled.
pub(crate) fn load_dictionary(global: &GlobalArgs, rebuild: bool) -> anyhow::Result<Dictionary> {
    let dictionary = DictionaryLocator::from_env()
        .explicit(global.dict.as_ref())
        .rebuild(rebuild)
        .load()
        .context("cannot load the Japanese dictionary")?;
    if let Origin::Source { source, cache, .. } = &dictionary.info().origin
        && !global.quiet
    {
        let path = dictionary.info().path.as_deref().unwrap_or(source);
        match cache {
            CacheState::Reused => {}
            CacheState::Built => eprintln!(
                "sagiguard: compiled the IPADIC dictionary from {} into {} (once)",
                source.display(),
                path.display()
            ),
            CacheState::Rebuilt { reason } => eprintln!(
                "sagiguard: recompiled the IPADIC dictionary into {} ({reason})",
                path.display()
            ),
        }
    }
    Ok(dictionary)
}

/// An exclusive advisory lock on a model, held while it lives: `MODEL.lock` beside the
/// model (the model itself is replaced by a rename, so its own inode cannot carry the lock).
pub(crate) struct ModelLock {
    _file: std::fs::File,
}

/// Waits for and takes the lock of the model at `path`.
pub(crate) fn lock_model(path: &std::path::Path) -> anyhow::Result<ModelLock> {
    let mut name = path
        .file_name()
        .with_context(|| format!("{}: not a file name", path.display()))?
        .to_os_string();
    name.push(".lock");
    let lock = path.with_file_name(name);
    if let Some(dir) = lock.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .with_context(|| format!("cannot open the lock file {}", lock.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", lock.display()))?;
    Ok(ModelLock { _file: file })
}

/// An error and its causes on one line.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Variants that quote their source already carry its text.
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Where a corpus error happened, for the `source` field of machine output.
pub(crate) fn error_source(err: &sagiguard_corpus::Error) -> String {
    err.location().unwrap_or_default()
}

/// Loads a model and a tokenizer with the dictionary it was trained with.
pub(crate) fn load_model(
    global: &GlobalArgs,
    path: &std::path::Path,
) -> anyhow::Result<(sagiguard_trainer::Model, sagiguard_tokenizer::Tokenizer)> {
    // Start-up is most of a one-mail process (`filter`, `score one.eml`): the dictionary is
    // loaded on another core while the model loads (`main` has already started the signals'
    // patterns on a third). Without a model file there is nothing to wait for: its error
    // comes first, as it would alone (a first run may otherwise compile the dictionary).
    let (model, dictionary) = std::thread::scope(|scope| {
        let dictionary = path
            .is_file()
            .then(|| scope.spawn(|| load_dictionary(global, false)));
        let model = read_model(path);
        let dictionary = dictionary.map(|loading| {
            loading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (model, dictionary)
    });
    let model = model?;
    let dictionary = match dictionary {
        Some(dictionary) => dictionary?,
        None => load_dictionary(global, false)?,
    };
    let tokenizer = tokenizer_with(dictionary, &model)?;
    Ok((model, tokenizer))
}

/// The model at `path`, or an error that says how to make one.
fn read_model(path: &std::path::Path) -> anyhow::Result<sagiguard_trainer::Model> {
    sagiguard_trainer::Model::load(path).with_context(|| {
        let searched = if path.exists() {
            String::new()
        } else {
            format!(
                "; without -m or SAGIGUARD_MODEL sagiguard looks in {}",
                crate::args::model_places()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "cannot load the model {} (train one with `sagiguard train data/train.jsonl -o {}`{searched})",
            path.display(),
            path.display()
        )
    })
}

/// The tokenizer a model scores and learns with: its dictionary, checked, and its
/// normaliser.
pub(crate) fn tokenizer_for(
    global: &GlobalArgs,
    model: &sagiguard_trainer::Model,
) -> anyhow::Result<sagiguard_tokenizer::Tokenizer> {
    tokenizer_with(load_dictionary(global, false)?, model)
}

/// [`tokenizer_for`] with the dictionary already loaded.
fn tokenizer_with(
    dictionary: Dictionary,
    model: &sagiguard_trainer::Model,
) -> anyhow::Result<sagiguard_tokenizer::Tokenizer> {
    let tokenizer =
        sagiguard_tokenizer::Tokenizer::with_normalizer(dictionary, model.normalizer().clone());
    model.check_tokenizer(&tokenizer)?;
    Ok(tokenizer)
}

/// Today's date (UTC) as YYYY-MM-DD, or that of `SOURCE_DATE_EPOCH` for reproducible builds.
pub(crate) fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    date_of(seconds)
}

/// The UTC date of a Unix time; a time chrono cannot represent reads as the epoch's date.
fn date_of(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_of_unix_times() {
        assert_eq!(super::date_of(0), "1970-01-01");
        assert_eq!(super::date_of(951_782_400), "2000-02-29");
        assert_eq!(super::date_of(1_700_000_000), "2023-11-14");
        assert_eq!(super::date_of(-86_400), "1969-12-31");
        assert_eq!(super::date_of(i64::MAX), "1970-01-01");
    }
}
