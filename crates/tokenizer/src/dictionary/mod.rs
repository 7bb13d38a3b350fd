//! Finding, compiling and loading the IPADIC dictionary.
//!
//! lindera's `embed-ipadic` feature downloads the dictionary source while building, which
//! fails on machines without internet. Debian's `mecab-ipadic` package ships the same IPADIC
//! sources, so by default we compile those once with lindera's own builder into a cache
//! directory and memory-map the result on every later start.

pub(crate) mod cache;
mod source;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::details::{self, WordDetails};
use crate::error::{Error, Result};
use cache::{Check, Manifest};
pub use source::SYSTEM_IPADIC_DIRS;
use source::{DirKind, classify};

/// The version of lindera that segments and compiles dictionaries.
pub fn lindera_version() -> &'static str {
    lindera::get_version()
}

/// A loaded dictionary and what is known of where it came from.
pub struct Dictionary {
    pub(crate) inner: lindera::dictionary::Dictionary,
    /// The words decoded when the build was compiled (see [`crate::details`]); `None` for
    /// a build without the table, whose words are decoded as they are met.
    pub(crate) details: Option<WordDetails>,
    pub(crate) info: DictionaryInfo,
}

impl Dictionary {
    /// Where the dictionary came from and its fingerprint.
    pub fn info(&self) -> &DictionaryInfo {
        &self.info
    }

    /// The lindera dictionary itself, for measuring lindera alone against this crate's
    /// pipeline (the benchmarks' ceiling).
    pub fn into_lindera(self) -> lindera::dictionary::Dictionary {
        self.inner
    }

    pub(crate) fn into_parts(
        self,
    ) -> (
        lindera::dictionary::Dictionary,
        Option<WordDetails>,
        DictionaryInfo,
    ) {
        (self.inner, self.details, self.info)
    }
}

impl fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dictionary")
            .field("info", &self.info)
            .finish()
    }
}

/// Where a dictionary came from, its compiled location and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DictionaryInfo {
    /// How the dictionary was found.
    pub origin: Origin,
    /// The compiled dictionary directory (`None` for an embedded one).
    pub path: Option<PathBuf>,
    /// A hash of the compiled dictionary's files: models record it, so a model is only
    /// used with the dictionary that segmented its training mail. For a build of this
    /// cache, the hash of the same sources compiled with their context ids in their own
    /// order: the order of the connection costs changes no segmentation.
    pub fingerprint: String,
}

/// How a dictionary was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A compiled lindera dictionary named by `--dict` or `SAGIGUARD_DICT`.
    Compiled,
    /// IPADIC sources compiled into the cache.
    Source {
        /// The IPADIC source directory.
        source: PathBuf,
        /// Whether the sources were named explicitly or found in a system location.
        explicit: bool,
        /// What happened to the cached build on this load.
        cache: CacheState,
    },
    /// A cached build found without its sources (the source package was removed).
    Cached,
    /// lindera's embedded IPADIC (the `embed-ipadic` feature).
    Embedded,
}

/// What happened to the cached build of a source directory on one load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CacheState {
    /// A valid build was already in the cache.
    Reused,
    /// There was no build yet: it was compiled now.
    Built,
    /// The cached build was damaged or a rebuild was asked for: it was compiled again.
    Rebuilt {
        /// Why it was rebuilt.
        reason: String,
    },
}

/// Resolves the dictionary, in this order: an explicit path (compiled dictionary or IPADIC
/// sources), the system IPADIC sources compiled once into the cache, a cached build whose
/// sources are gone, and lindera's embedded IPADIC when built with `embed-ipadic`.
///
/// | setting          | default                                   | purpose                                   |
/// |------------------|-------------------------------------------|-------------------------------------------|
/// | `explicit`       | none (`SAGIGUARD_DICT` in [`from_env`])    | a compiled dictionary or IPADIC sources  |
/// | `cache_root`     | `SAGIGUARD_CACHE_DIR`, else the user cache directory + `sagiguard` | where builds are kept |
/// | `system_sources` | [`SYSTEM_IPADIC_DIRS`]                    | where packaged IPADIC sources are looked for |
/// | `rebuild`        | `false`                                   | compile the sources again even if cached |
///
/// [`from_env`]: DictionaryLocator::from_env
///
/// # Errors
///
/// [`DictionaryLocator::load`] fails with [`Error::NotFound`] when nothing is found,
/// [`Error::NotADictionary`] for an explicit path that holds no dictionary, and with
/// [`Error::Build`], [`Error::Load`] or [`Error::Io`] when compiling or loading fails.
#[derive(Debug, Clone)]
pub struct DictionaryLocator {
    explicit: Option<PathBuf>,
    cache_root: Option<PathBuf>,
    system_sources: Vec<PathBuf>,
    rebuild: bool,
}

impl Default for DictionaryLocator {
    fn default() -> Self {
        DictionaryLocator::new()
    }
}

impl DictionaryLocator {
    /// A locator that reads no environment: no explicit path, no cache, the system sources.
    pub fn new() -> Self {
        DictionaryLocator {
            explicit: None,
            cache_root: None,
            system_sources: SYSTEM_IPADIC_DIRS.iter().map(PathBuf::from).collect(),
            rebuild: false,
        }
    }

    /// A locator set up from `SAGIGUARD_DICT`, `SAGIGUARD_CACHE_DIR` and the user's cache
    /// directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux).
    pub fn from_env() -> Self {
        let non_empty = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        DictionaryLocator {
            explicit: non_empty("SAGIGUARD_DICT").map(PathBuf::from),
            cache_root: non_empty("SAGIGUARD_CACHE_DIR")
                .map(PathBuf::from)
                .or_else(|| dirs::cache_dir().map(|d| d.join("sagiguard"))),
            ..DictionaryLocator::new()
        }
    }

    /// Use this dictionary (compiled or IPADIC sources) before anything else.
    pub fn explicit(mut self, path: Option<impl Into<PathBuf>>) -> Self {
        if let Some(path) = path {
            self.explicit = Some(path.into());
        }
        self
    }

    /// Keep compiled dictionaries under this directory.
    pub fn cache_root(mut self, path: impl Into<PathBuf>) -> Self {
        self.cache_root = Some(path.into());
        self
    }

    /// Look for packaged IPADIC sources in these directories, in order.
    pub fn system_sources(mut self, dirs: Vec<PathBuf>) -> Self {
        self.system_sources = dirs;
        self
    }

    /// Compile the sources again even when a valid build is cached.
    pub fn rebuild(mut self, yes: bool) -> Self {
        self.rebuild = yes;
        self
    }

    /// Finds, compiles if needed, and loads the dictionary.
    pub fn load(&self) -> Result<Dictionary> {
        let mut searched = Vec::new();
        if let Some(path) = &self.explicit {
            return match classify(path)? {
                DirKind::Compiled => load_compiled(path),
                DirKind::Source => self.load_source(path, true),
                DirKind::Neither => Err(Error::NotADictionary { path: path.clone() }),
            };
        }
        for dir in &self.system_sources {
            if matches!(classify(dir), Ok(DirKind::Source)) {
                return self.load_source(dir, false);
            }
            searched.push(dir.display().to_string());
        }
        if let Some(root) = &self.cache_root {
            if let Some((dir, manifest)) = cache::newest_valid(root)
                && let Ok(inner) = lindera_load(&dir)
                && let Ok(details) = load_details(&dir, &inner)
            {
                return Ok(Dictionary {
                    inner,
                    details,
                    info: DictionaryInfo {
                        origin: Origin::Cached,
                        path: Some(dir),
                        fingerprint: manifest.identity().to_string(),
                    },
                });
            }
            searched.push(format!("builds in {}", cache::dict_dir(root).display()));
        }
        #[cfg(feature = "embed-ipadic")]
        {
            let inner =
                lindera::dictionary::load_dictionary("embedded://ipadic").map_err(|source| {
                    Error::Load {
                        path: PathBuf::from("embedded://ipadic"),
                        source,
                    }
                })?;
            return Ok(Dictionary {
                inner,
                details: None,
                info: DictionaryInfo {
                    origin: Origin::Embedded,
                    path: None,
                    fingerprint: format!("embedded-ipadic-lindera-{}", lindera::get_version()),
                },
            });
        }
        #[allow(unreachable_code)] // reached unless the embedded dictionary is compiled in
        Err(Error::NotFound {
            searched: searched.join(", "),
        })
    }

    fn load_source(&self, source: &Path, explicit: bool) -> Result<Dictionary> {
        let root = self.cache_root.as_deref().ok_or(Error::NoCacheDir)?;
        let dir = cache::dict_dir(root).join(format!("ipadic-{}", source::key(source)?));
        let reused = |manifest: Manifest, inner, details| Dictionary {
            inner,
            details,
            info: DictionaryInfo {
                origin: Origin::Source {
                    source: source.to_path_buf(),
                    explicit,
                    cache: CacheState::Reused,
                },
                path: Some(dir.clone()),
                fingerprint: manifest.identity().to_string(),
            },
        };
        let state = if self.rebuild {
            CacheState::Rebuilt {
                reason: "a rebuild was asked for".into(),
            }
        } else {
            match cache::check(&dir) {
                Check::Missing => CacheState::Built,
                Check::Damaged(reason) => CacheState::Rebuilt { reason },
                Check::Valid(manifest)
                    if manifest.context_order.as_deref() != Some(&cache::context_order()) =>
                {
                    CacheState::Rebuilt {
                        reason: "it predates this version's order of context ids".into(),
                    }
                }
                Check::Valid(manifest)
                    if manifest.word_details.as_deref() != Some(details::VERSION) =>
                {
                    CacheState::Rebuilt {
                        reason: "it predates this version's table of word details".into(),
                    }
                }
                Check::Valid(manifest) => {
                    match lindera_load(&dir).and_then(|inner| {
                        let details = load_details(&dir, &inner)?;
                        Ok((inner, details))
                    }) {
                        Ok((inner, details)) => return Ok(reused(manifest, inner, details)),
                        Err(err) => CacheState::Rebuilt {
                            reason: format!("it could not be loaded: {}", error_chain(&err)),
                        },
                    }
                }
            }
        };
        let manifest = cache::build(source, &dir, !matches!(state, CacheState::Built))?;
        let inner = lindera_load(&dir)?;
        let details = load_details(&dir, &inner)?;
        Ok(Dictionary {
            inner,
            details,
            info: DictionaryInfo {
                origin: Origin::Source {
                    source: source.to_path_buf(),
                    explicit,
                    cache: state,
                },
                path: Some(dir),
                fingerprint: manifest.identity().to_string(),
            },
        })
    }
}

fn load_compiled(path: &Path) -> Result<Dictionary> {
    let inner = lindera_load(path)?;
    let details = load_details(path, &inner)?;
    // One of our own builds carries its fingerprint; any other is hashed now.
    let fingerprint = match cache::check(path) {
        Check::Valid(manifest) => manifest.identity().to_string(),
        Check::Missing | Check::Damaged(_) => cache::fingerprint(path)?.0,
    };
    Ok(Dictionary {
        inner,
        details,
        info: DictionaryInfo {
            origin: Origin::Compiled,
            path: Some(path.to_path_buf()),
            fingerprint,
        },
    })
}

/// The table of word details beside the compiled dictionary in `dir`, when it has one.
fn load_details(
    dir: &Path,
    inner: &lindera::dictionary::Dictionary,
) -> Result<Option<WordDetails>> {
    let path = dir.join(details::FILE);
    if !path.exists() {
        return Ok(None);
    }
    WordDetails::open(&path, inner).map(Some)
}

pub(crate) fn lindera_load(path: &Path) -> Result<lindera::dictionary::Dictionary> {
    lindera::dictionary::load_fs_dictionary(path).map_err(|source| Error::Load {
        path: path.to_path_buf(),
        source,
    })
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
