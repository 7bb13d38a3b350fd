//! One module per subcommand; each calls the libraries and prints the result.

mod dict;
mod tokenize;

use anyhow::Context;
use sagiguard_tokenizer::{CacheState, Dictionary, DictionaryLocator, Origin};

use crate::args::{Args, Command, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(args: Args) -> anyhow::Result<ExitStatus> {
    match args.command {
        Command::Tokenize(cmd) => tokenize::run(&args.global, cmd),
        Command::Dict(cmd) => dict::run(&args.global, cmd),
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
