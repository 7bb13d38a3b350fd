//! The cache of compiled dictionaries: one directory per source key, each with a manifest
//! that lets a later process tell a complete build from a damaged one.

use std::collections::BTreeMap;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::source;
use crate::details::{self, WordDetails};
use crate::error::{Error, Result};

const MANIFEST: &str = "sagiguard-dictionary.json";

/// lindera-ipadic's metadata (schema of the CSV columns, defaults), copied from the
/// lindera-ipadic 6.2.0 crate, which does not export it.
const IPADIC_METADATA: &str = include_str!("ipadic-metadata.json");

/// How often segmentation reads each context id of IPADIC's connection costs, counted on
/// the project's own corpus (`examples/context_frequencies.rs`). lindera's builder numbers
/// the ids by it so that the reads of most words fall in a corner of the matrix that stays
/// in cache; the costs are the same, so segmentation is too.
pub(crate) const CONTEXT_FREQUENCIES: &str = include_str!("ipadic-context-frequencies.txt");

/// Names the context-id order a build has; a build of another order is compiled again.
pub(crate) fn context_order() -> String {
    let hash = blake3::hash(CONTEXT_FREQUENCIES.as_bytes()).to_hex();
    format!("by-frequency-{}", &hash[..16])
}

/// Written last into a build, so a build without one was interrupted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub lindera_version: String,
    pub source: PathBuf,
    /// BLAKE3 of the compiled files, checked when the build is made and whenever a stamp
    /// differs.
    pub fingerprint: String,
    /// Every compiled file and its size in bytes.
    pub files: BTreeMap<String, u64>,
    /// Every compiled file's stamp when the build was verified.
    #[serde(default)]
    pub stamps: BTreeMap<String, Stamp>,
    /// The fingerprint the same sources compile to with the context ids in their own
    /// order. Builds that differ only in that order segment alike, so this is what models
    /// record; builds made before the order changed have none and are their fingerprint.
    #[serde(default)]
    pub identity: Option<String>,
    /// The context-id order of the build ([`context_order`]); none for the sources' own.
    #[serde(default)]
    pub context_order: Option<String>,
    /// The layout of the build's table of word details ([`details::VERSION`]); none for a
    /// build without one.
    #[serde(default)]
    pub word_details: Option<String>,
}

impl Manifest {
    /// What a model trained with this build records of its dictionary.
    pub fn identity(&self) -> &str {
        self.identity.as_deref().unwrap_or(&self.fingerprint)
    }
}

/// What the file system says of a file without reading it: a write in place (same size)
/// changes the modification and change times, a replacement changes the inode. Comparing
/// stamps costs a `stat` per file; hashing 47 MB in every process would cost the
/// single-mail latency, so the content is hashed again only when a stamp differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
        Stamp {
            size: meta.len(),
            modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
            changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }
}

/// The stamps of the files a manifest lists.
fn stamps(dir: &Path, files: &BTreeMap<String, u64>) -> Result<BTreeMap<String, Stamp>> {
    files
        .keys()
        .map(|name| {
            let path = dir.join(name);
            let meta = fs::metadata(&path).map_err(|e| Error::io(&path, "read", e))?;
            Ok((name.clone(), Stamp::of(&meta)))
        })
        .collect()
}

pub(crate) enum Check {
    Missing,
    Damaged(String),
    Valid(Manifest),
}

pub(crate) fn dict_dir(cache_root: &Path) -> PathBuf {
    cache_root.join("dict")
}

pub(crate) fn check(dir: &Path) -> Check {
    if !dir.exists() {
        return Check::Missing;
    }
    let text = match fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Check::Damaged(format!("{MANIFEST} is missing (an interrupted build?)"));
        }
        Err(e) => return Check::Damaged(format!("{MANIFEST} is unreadable: {e}")),
    };
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => return Check::Damaged(format!("{MANIFEST} is invalid: {e}")),
    };
    if manifest.lindera_version != lindera::get_version() {
        return Check::Damaged(format!(
            "it was built by lindera {}, this is lindera {}",
            manifest.lindera_version,
            lindera::get_version()
        ));
    }
    let mut stamps_hold = !manifest.stamps.is_empty();
    for (name, &size) in &manifest.files {
        match fs::metadata(dir.join(name)) {
            Ok(meta) if meta.len() == size => {
                stamps_hold &= manifest.stamps.get(name) == Some(&Stamp::of(&meta));
            }
            Ok(meta) => {
                return Check::Damaged(format!(
                    "{name} is {} bytes, {size} were written",
                    meta.len()
                ));
            }
            Err(_) => return Check::Damaged(format!("{name} is missing")),
        }
    }
    if stamps_hold {
        return Check::Valid(manifest);
    }
    // A file was touched since the build was verified (or the manifest predates stamps):
    // its content decides.
    let names: Vec<String> = manifest.files.keys().cloned().collect();
    match fingerprint_of(dir, &names) {
        Ok((found, _)) if found == manifest.fingerprint => {
            let mut manifest = manifest;
            if let Ok(stamps) = stamps(dir, &manifest.files) {
                manifest.stamps = stamps;
                // Best effort: a read-only cache is verified again next time.
                let _ = write_manifest(dir, &manifest);
            }
            Check::Valid(manifest)
        }
        Ok((found, _)) => Check::Damaged(format!(
            "its content changed since it was built (fingerprint {found}, {} was built)",
            manifest.fingerprint
        )),
        Err(e) => Check::Damaged(format!("its files cannot be read: {e}")),
    }
}

/// Writes a manifest through a temporary file and a rename, so a reader never sees half.
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let json = serde_json::to_string_pretty(manifest).expect("a manifest serialises");
    let mut tmp = tempfile::Builder::new()
        .prefix(".manifest-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, "write the dictionary manifest", e))?;
    std::io::Write::write_all(&mut tmp, json.as_bytes())
        .map_err(|e| Error::io(dir, "write the dictionary manifest", e))?;
    tmp.persist(dir.join(MANIFEST))
        .map_err(|e| Error::io(dir, "write the dictionary manifest", e.error))?;
    Ok(())
}

/// Hashes every compiled file but the manifest (and hidden temporary files), in name order.
pub(crate) fn fingerprint(dir: &Path) -> Result<(String, BTreeMap<String, u64>)> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, "list the dictionary", e))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != MANIFEST && !name.starts_with('.'))
        .collect();
    names.sort();
    fingerprint_of(dir, &names)
}

/// Hashes the named files of a build, in the order given.
fn fingerprint_of(dir: &Path, names: &[String]) -> Result<(String, BTreeMap<String, u64>)> {
    let mut hasher = blake3::Hasher::new();
    let mut files = BTreeMap::new();
    let mut buf = vec![0; 1 << 16];
    for name in names {
        let path = dir.join(name);
        let mut file = fs::File::open(&path).map_err(|e| Error::io(&path, "read", e))?;
        hasher.update(name.as_bytes());
        let mut size = 0u64;
        loop {
            let n = file
                .read(&mut buf)
                .map_err(|e| Error::io(&path, "read", e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            size += n as u64;
        }
        files.insert(name.clone(), size);
    }
    Ok((
        format!("ipadic-{}", &hasher.finalize().to_hex()[..16]),
        files,
    ))
}

/// Compiles `source` into a temporary directory beside `dir` and renames it into place, so
/// that a reader never sees half a build and two processes building at once do not clash.
/// With `replace`, an existing build at `dir` is moved aside first; otherwise a valid build
/// that another process finished meanwhile wins.
pub(crate) fn build(source: &Path, dir: &Path, replace: bool) -> Result<Manifest> {
    let parent = dir.parent().expect("a cache build directory has a parent");
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create the cache directory", e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".build-")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, "create a temporary build directory", e))?;

    // The build in the sources' own context-id order exists only to be fingerprinted.
    let identity = {
        let plain = tempfile::Builder::new()
            .prefix(".build-")
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, "create a temporary build directory", e))?;
        compile(source, plain.path(), None)?;
        fingerprint(plain.path())?.0
    };
    let mut frequencies = tempfile::Builder::new()
        .prefix(".context-frequencies-")
        .tempfile_in(parent)
        .map_err(|e| Error::io(parent, "write the context-id frequencies", e))?;
    std::io::Write::write_all(&mut frequencies, CONTEXT_FREQUENCIES.as_bytes())
        .map_err(|e| Error::io(frequencies.path(), "write", e))?;
    compile(source, tmp.path(), Some(frequencies.path()))?;
    let compiled = super::lindera_load(tmp.path())?;
    WordDetails::write(&compiled, &tmp.path().join(details::FILE))?;
    drop(compiled);

    let (fingerprint, files) = fingerprint(tmp.path())?;
    let stamps = stamps(tmp.path(), &files)?;
    let manifest = Manifest {
        lindera_version: lindera::get_version().to_string(),
        source: source.to_path_buf(),
        fingerprint,
        files,
        stamps,
        identity: Some(identity),
        context_order: Some(context_order()),
        word_details: Some(details::VERSION.to_string()),
    };
    let manifest_path = tmp.path().join(MANIFEST);
    let json = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
    fs::write(&manifest_path, json).map_err(|e| Error::io(&manifest_path, "write", e))?;

    if replace {
        move_aside(dir, parent)?;
    }
    match fs::rename(tmp.path(), dir) {
        Ok(()) => {
            // The directory now lives at `dir`; nothing is left for the guard to remove.
            let _ = tmp.keep();
            Ok(manifest)
        }
        Err(_) if dir.exists() => match check(dir) {
            // Another process installed a complete build meanwhile: use it, drop ours.
            Check::Valid(theirs) if !replace => Ok(theirs),
            _ => {
                move_aside(dir, parent)?;
                fs::rename(tmp.path(), dir)
                    .map_err(|e| Error::io(dir, "install the compiled dictionary", e))?;
                let _ = tmp.keep();
                Ok(manifest)
            }
        },
        Err(e) => Err(Error::io(dir, "install the compiled dictionary", e)),
    }
}

/// Compiles IPADIC `source` into `out`; with `frequencies`, its context ids numbered by them
/// (lindera takes `LINDERA_CTX_FREQ_FILE` before them when it is set).
pub(crate) fn compile(source: &Path, out: &Path, frequencies: Option<&Path>) -> Result<()> {
    let mut metadata: lindera::dictionary::Metadata =
        serde_json::from_str(IPADIC_METADATA).expect("the bundled IPADIC metadata is valid");
    metadata.encoding = source::encoding(source)?.to_string();
    metadata.connection_id_mapping = frequencies.is_some();
    let mut builder = lindera::dictionary::DictionaryBuilder::new(metadata);
    if let Some(path) = frequencies {
        builder = builder.with_context_id_freq(path);
    }
    builder
        .build_dictionary(source, out)
        .map_err(|e| Error::Build {
            path: source.to_path_buf(),
            source: e,
        })
}

/// Renames a build out of the way and deletes it. Processes that still have its files
/// memory-mapped keep reading them until they exit.
fn move_aside(dir: &Path, parent: &Path) -> Result<()> {
    let trash = tempfile::Builder::new()
        .prefix(".trash-")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, "create a temporary directory", e))?;
    let target = trash.path().join("old");
    match fs::rename(dir, &target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, "move the damaged build aside", e)),
    }
    // `trash` is removed with everything in it when it goes out of scope.
}

/// The most recently built valid dictionary in the cache, for when its sources are gone.
pub(crate) fn newest_valid(cache_root: &Path) -> Option<(PathBuf, Manifest)> {
    let entries = fs::read_dir(dict_dir(cache_root)).ok()?;
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("ipadic-"))
        .filter_map(|e| {
            let dir = e.path();
            let built = fs::metadata(dir.join(MANIFEST)).ok()?.modified().ok()?;
            match check(&dir) {
                Check::Valid(manifest) => Some((built, dir, manifest)),
                _ => None,
            }
        })
        .max_by_key(|(built, ..)| *built)
        .map(|(_, dir, manifest)| (dir, manifest))
}
