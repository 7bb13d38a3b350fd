//! Recognising dictionary directories and keying IPADIC sources.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use crate::error::{Error, Result};

/// Where distributions install the IPADIC sources: Debian and Ubuntu's `mecab-ipadic`
/// package, then a source build of mecab-ipadic.
pub const SYSTEM_IPADIC_DIRS: &[&str] = &[
    "/usr/share/mecab/dic/ipadic",
    "/usr/local/share/mecab/dic/ipadic",
];

/// What a directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DirKind {
    /// A dictionary compiled by lindera.
    Compiled,
    /// IPADIC sources in MeCab's layout.
    Source,
    /// Neither.
    Neither,
}

pub(crate) fn classify(path: &Path) -> Result<DirKind> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path, "open the dictionary", e))?;
    if !meta.is_dir() {
        return Ok(DirKind::Neither);
    }
    let has = |name: &str| path.join(name).is_file();
    if has("metadata.json") && has("dict.words") && has("matrix.mtx") {
        return Ok(DirKind::Compiled);
    }
    if has("matrix.def") && has("char.def") && has("unk.def") && has_csv(path)? {
        return Ok(DirKind::Source);
    }
    Ok(DirKind::Neither)
}

fn has_csv(path: &Path) -> Result<bool> {
    let entries = fs::read_dir(path).map_err(|e| Error::io(path, "list the directory", e))?;
    Ok(entries
        .flatten()
        .any(|e| e.path().extension().is_some_and(|ext| ext == "csv")))
}

/// A cheap key of a source directory: lindera's version and each file's name, size and
/// modification time. Hashing the 50 MB of sources on every start would cost more than
/// loading the compiled dictionary; the content hash is taken once, when building.
pub(crate) fn key(source: &Path) -> Result<String> {
    let mut entries: Vec<_> = fs::read_dir(source)
        .map_err(|e| Error::io(source, "list the IPADIC sources", e))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    let mut hasher = blake3::Hasher::new();
    hasher.update(lindera::get_version().as_bytes());
    for entry in entries {
        let meta = match entry.metadata() {
            Ok(meta) if meta.is_file() => meta,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(entry.path(), "read the file's metadata", e)),
        };
        hasher.update(entry.file_name().as_encoded_bytes());
        hasher.update(&meta.len().to_le_bytes());
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hasher.update(&mtime.to_le_bytes());
    }
    Ok(hasher.finalize().to_hex()[..16].to_string())
}

/// MeCab's IPADIC ships in EUC-JP; lindera's own copy and some repackagings are UTF-8.
pub(crate) fn encoding(source: &Path) -> Result<&'static str> {
    let path = source.join("unk.def");
    let bytes = fs::read(&path).map_err(|e| Error::io(&path, "read", e))?;
    Ok(if std::str::from_utf8(&bytes).is_ok() {
        "UTF-8"
    } else {
        "EUC-JP"
    })
}
