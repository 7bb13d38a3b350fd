//! Any input a command accepts: raw mail files, directories, mboxes, Maildirs, datasets
//! and standard input, in the order given, as one stream of mails with their sources.

use std::path::{Path, PathBuf};

use crate::dataset::{DatasetFormat, Schema, read_dataset};
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
    spool: Option<tempfile::NamedTempFile>,
) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    match read_dataset(path, Some(format), &options.schema) {
        Err(e) => Box::new(std::iter::once(Err(e))),
        Ok(reader) => Box::new(reader.map(move |item| {
            let _spool = &spool;
            item.map(|record| Input {
                source: format!("{display}:{}", record.row),
                email: record.email,
                label: record.label,
                category: record.category,
            })
        })),
    }
}

/// A dataset on standard input (`--format` given): spooled to a temporary file, which
/// polars scans like any other, and removed when the rows are read.
fn stdin_dataset(
    format: DatasetFormat,
    options: &InputOptions,
) -> Box<dyn Iterator<Item = Result<Input>> + Send> {
    let spool = || -> std::io::Result<tempfile::NamedTempFile> {
        let mut file = tempfile::Builder::new()
            .prefix(".sagiguard-stdin-")
            .tempfile()?;
        std::io::copy(&mut std::io::stdin().lock(), &mut file)?;
        Ok(file)
    };
    let file = match spool() {
        Ok(file) => file,
        Err(e) => {
            return Box::new(std::iter::once(Err(Error::io(
                "-",
                "copy standard input to a temporary file",
                e,
            ))));
        }
    };
    let path = file.path().to_path_buf();
    dataset(&path, "-".into(), format, options, Some(file))
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
