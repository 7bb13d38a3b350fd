//! Any input a command accepts: raw mail files, directories, mboxes, Maildirs, datasets
//! and standard input, in the order given, as one stream of mails with their sources.

use std::path::{Path, PathBuf};

use std::io::{BufRead, Seek};
use std::os::fd::AsRawFd;

use crate::dataset::{DatasetFormat, DatasetReader, Schema, read_dataset};
use crate::email::{Email, Label};
use crate::error::{Error, Result};
use crate::mailbox::{read_mail, read_stdin};
use crate::message::{ParseOptions, parse_input};

/// One mail read from an input, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file, with `#N` for the N-th message of an mbox or `:row` for a dataset row.
    pub source: String,
    /// The mail.
    pub email: Email,
    /// The label, for a labeled dataset row.
    pub label: Option<Label>,
    /// The category, for a dataset row that has one.
    pub category: Option<String>,
}

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Limits for raw mail.
    pub parse: ParseOptions,
    /// Columns of datasets. Labels are not required when reading inputs for scoring.
    pub schema: Schema,
    /// Read every file as this dataset format instead of guessing from extensions.
    pub format: Option<DatasetFormat>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            parse: ParseOptions::default(),
            schema: Schema::default().require_label(false),
            format: None,
        }
    }
}

/// Reads `paths` in order: `-` is standard input; `.csv`, `.jsonl`, `.ndjson` and
/// `.parquet` files (or every file, with `options.format`) are datasets; anything else is
/// raw mail. Each item is one mail or the error of one mail or file; reading goes on.
pub fn read_inputs(
    paths: &[PathBuf],
    options: &InputOptions,
) -> impl Iterator<Item = Result<Input>> + Send + use<> {
    let options = options.clone();
    let paths: Vec<PathBuf> = paths.to_vec();
    paths
        .into_iter()
        .flat_map(move |path| read_one(&path, &options))
}

fn read_one(path: &Path, options: &InputOptions) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    if path == Path::new("-") {
        return match options.format {
            Some(format) => stdin_dataset(format, options),
            None => raw(read_stdin(options.parse.max_size), options),
        };
    }
    let format = options.format.or_else(|| {
        // A directory is mail; only files are datasets.
        path.is_file()
            .then(|| DatasetFormat::from_path(path))
            .flatten()
    });
    let Some(format) = format else {
        return raw(read_mail(path, options.parse.max_size), options);
    };
    dataset(path, path.display().to_string(), format, options, None)
}

/// The rows of a dataset as inputs named `{display}:{row}`; `spool`, the temporary file
/// being read, lives as long as the rows.
fn dataset(
    path: &Path,
    display: String,
    format: DatasetFormat,
    options: &InputOptions,
    spool: Option<std::fs::File>,
) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    match read_dataset(path, Some(format), &options.schema) {
        Err(e) => Box::new(std::iter::once(Err(e))),
        Ok(reader) => rows(reader, display, spool),
    }
}

fn rows(
    reader: DatasetReader,
    display: String,
    spool: Option<std::fs::File>,
) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    Box::new(reader.map(move |item| {
        let _spool = &spool;
        item.map(|record| Input {
            source: format!("{display}:{}", record.row),
            email: record.email,
            label: record.label,
            category: record.category,
        })
    }))
}

/// A dataset on standard input (`--format` given). JSON Lines are read line by line as they
/// come, each line under the size limit. CSV and Parquet, which polars reads from a file, are
/// copied to a temporary file that is unlinked at once, so that nothing is left behind
/// whichever way the process ends.
fn stdin_dataset(
    format: DatasetFormat,
    options: &InputOptions,
) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    if format == DatasetFormat::Jsonl {
        let stdin = Box::new(std::io::BufReader::new(std::io::stdin())) as Box<dyn BufRead + Send>;
        let reader =
            DatasetReader::from_reader(Path::new("-"), options.schema.clone(), Some(stdin));
        return rows(reader, "-".into(), None);
    }
    let spool = || -> std::io::Result<(std::fs::File, PathBuf)> {
        let mut file = tempfile::tempfile()?;
        std::io::copy(&mut std::io::stdin().lock(), &mut file)?;
        file.seek(std::io::SeekFrom::Start(0))?;
        // The unlinked file stays reachable through this process's descriptor.
        let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
        Ok((file, path))
    };
    match spool() {
        Ok((file, path)) => dataset(&path, "-".into(), format, options, Some(file)),
        Err(e) => Box::new(std::iter::once(Err(Error::io(
            "-",
            "copy standard input to a temporary file",
            e,
        )))),
    }
}

fn raw(
    mails: Box<dyn Iterator<Item = Result<crate::mailbox::RawMail>> + Send>,
    options: &InputOptions,
) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    let parse = options.parse.clone();
    Box::new(mails.map(move |item| {
        let mail = item?;
        let mut email = parse_input(&mail.bytes, &parse).map_err(|source| Error::Message {
            location: mail.source.clone(),
            source,
        })?;
        if email.id.is_empty() {
            email.id = mail.source.clone();
        }
        Ok(Input {
            source: mail.source,
            email,
            label: None,
            category: None,
        })
    }))
}
