use std::io;
use std::path::PathBuf;

/// A specialised `Result` for the tokenizer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong while finding, building, loading or using a dictionary.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No dictionary in any of the places searched.
    #[error(
        "no Japanese dictionary found (searched: {searched})\n  \
         install the IPADIC sources with `apt-get install mecab-ipadic` (Debian, Ubuntu), \
         or point --dict or SAGIGUARD_DICT at a compiled lindera dictionary \
         or at an IPADIC source directory"
    )]
    NotFound {
        /// The places that were tried, in order.
        searched: String,
    },

    /// A path was given that holds neither a compiled dictionary nor IPADIC sources.
    #[error(
        "{}: not a dictionary: expected a compiled lindera dictionary \
         (metadata.json, dict.words, matrix.mtx) or an IPADIC source directory \
         (matrix.def, char.def, unk.def and *.csv)",
        path.display()
    )]
    NotADictionary {
        /// The path that was given.
        path: PathBuf,
    },

    /// lindera could not open a compiled dictionary.
    #[error("{}: cannot load the dictionary", path.display())]
    Load {
        /// The dictionary directory.
        path: PathBuf,
        /// lindera's error.
        #[source]
        source: lindera::error::LinderaError,
    },

    /// The table of word details beside a compiled dictionary does not hold together.
    #[error("{}: the table of word details is damaged: {reason}", path.display())]
    WordDetails {
        /// The table's file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// lindera could not compile an IPADIC source directory.
    #[error("{}: cannot compile the IPADIC sources", path.display())]
    Build {
        /// The source directory.
        path: PathBuf,
        /// lindera's error.
        #[source]
        source: lindera::error::LinderaError,
    },

    /// A file-system operation on a dictionary or the cache failed.
    #[error("{}: cannot {action}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done, e.g. "create the cache directory".
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// Neither `SAGIGUARD_CACHE_DIR` nor a user cache directory is known.
    #[error("no cache directory for the compiled dictionary: set SAGIGUARD_CACHE_DIR or HOME")]
    NoCacheDir,
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }
}
