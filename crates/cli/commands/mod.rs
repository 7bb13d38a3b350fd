//! One module per subcommand; each calls the libraries and prints the result.

mod dict;
mod parse;
mod tokenize;

use anyhow::Context;
use sagiguard_tokenizer::{CacheState, Dictionary, DictionaryLocator, Origin};

use crate::args::{Args, Command, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(args: Args) -> anyhow::Result<ExitStatus> {
    match args.command {
        Command::Tokenize(cmd) => tokenize::run(&args.global, cmd),
        Command::Dict(cmd) => dict::run(&args.global, cmd),
        Command::Parse(cmd) => parse::run(&args.global, cmd),
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
    use sagiguard_corpus::Error;
    match err {
        Error::Message { location, .. } => location.clone(),
        Error::Row { path, row, .. } => format!("{}:{row}", path.display()),
        Error::Json { path, line, .. } => format!("{}:{line}", path.display()),
        Error::Io { path, .. }
        | Error::UnknownFormat { path }
        | Error::MissingColumn { path, .. }
        | Error::Dataset { path, .. } => path.display().to_string(),
        _ => String::new(),
    }
}
