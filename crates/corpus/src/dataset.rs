//! Labeled datasets (CSV, JSON Lines, Parquet) read through polars, in batches.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use polars::prelude::*;

use crate::email::{Email, Label, LabeledEmail};
use crate::error::{Error, Result};

mod encoding;
mod frames;
mod lines;
mod reader;
mod record;

pub use reader::DatasetReader;

use encoding::{sniff_encoding, transcode};
use frames::{dedup_exprs, scan};
use lines::first_line_within;

/// The column polars adds to number the rows.
const ROW: &str = "__sagiguard_row";
/// Rows converted per batch: bounded memory however large the file.
const BATCH_ROWS: usize = 4096;

/// A dataset file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// JSON Lines: one object per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
}

impl DatasetFormat {
    /// The format an extension names: `.csv`, `.jsonl`/`.ndjson`/`.json`, `.parquet`/`.pq`.
    pub fn from_path(path: &Path) -> Option<DatasetFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(DatasetFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(DatasetFormat::Jsonl),
            "parquet" | "pq" => Some(DatasetFormat::Parquet),
            _ => None,
        }
    }
}

impl FromStr for DatasetFormat {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(DatasetFormat::Csv),
            "jsonl" | "ndjson" | "json" => Ok(DatasetFormat::Jsonl),
            "parquet" => Ok(DatasetFormat::Parquet),
            other => Err(format!(
                "unknown format {other:?}: expected csv, jsonl or parquet"
            )),
        }
    }
}

impl fmt::Display for DatasetFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DatasetFormat::Csv => "csv",
            DatasetFormat::Jsonl => "jsonl",
            DatasetFormat::Parquet => "parquet",
        })
    }
}

/// Which label values mean scam and which mean ham, compared trimmed and case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMap {
    scam: Vec<String>,
    ham: Vec<String>,
}

impl Default for LabelMap {
    fn default() -> Self {
        LabelMap::new(vec!["scam".into()], vec!["ham".into()])
    }
}

impl LabelMap {
    /// A map reading `scam` values as [`Label::Scam`] and `ham` values as [`Label::Ham`].
    pub fn new(scam: Vec<String>, ham: Vec<String>) -> Self {
        let norm = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_lowercase()).collect();
        LabelMap {
            scam: norm(scam),
            ham: norm(ham),
        }
    }

    /// The label a cell value stands for.
    pub fn label(&self, value: &str) -> Option<Label> {
        let value = value.trim().to_lowercase();
        if self.scam.contains(&value) {
            Some(Label::Scam)
        } else if self.ham.contains(&value) {
            Some(Label::Ham)
        } else {
            None
        }
    }
}

/// One column role and the name it has in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    name: String,
    /// A column the user named, or one the schema cannot do without, must exist.
    required: bool,
}

impl Field {
    fn optional(name: &str) -> Field {
        Field {
            name: name.to_string(),
            required: false,
        }
    }
    fn required(name: &str) -> Field {
        Field {
            name: name.to_string(),
            required: true,
        }
    }
}

/// How a dataset's columns map to an [`Email`] and its label.
///
/// | column     | default    | required by default | option             |
/// |------------|------------|---------------------|--------------------|
/// | text       | `body`     | yes                 | `--text-column`    |
/// | label      | `label`    | yes (training)      | `--label-column`   |
/// | subject    | `subject`  | no                  | `--subject-column` |
/// | id         | `id`       | no (else `file:row`)| `--id-column`      |
/// | from       | `from`     | no                  | `--from-column`    |
/// | category   | `category` | no                  |                    |
/// | urls       | `urls`     | no                  |                    |
/// | split      | `split`    | no                  | `--split` filters  |
///
/// A column named through a setter becomes required. Labels map through a [`LabelMap`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    id: Field,
    label: Field,
    category: Field,
    subject: Field,
    from: Field,
    text: Field,
    urls: Field,
    split: Field,
    labels: LabelMap,
    only_split: Option<String>,
    /// Set by the CSV reader, which decodes invalid UTF-8 as U+FFFD: there a U+FFFD marks a
    /// bad cell; in JSON Lines and Parquet it is genuine text.
    lossy: bool,
    /// The largest row, in bytes: a row is a mail, and one size rule holds for every input.
    max_row_bytes: u64,
    /// The text encoding of CSV files; `None` detects it.
    encoding: Option<&'static encoding_rs::Encoding>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema {
            id: Field::optional("id"),
            label: Field::required("label"),
            category: Field::optional("category"),
            subject: Field::optional("subject"),
            from: Field::optional("from"),
            text: Field::required("body"),
            urls: Field::optional("urls"),
            split: Field::optional("split"),
            labels: LabelMap::default(),
            only_split: None,
            lossy: false,
            max_row_bytes: DEFAULT_MAX_ROW_BYTES,
            encoding: None,
        }
    }
}

impl Schema {
    /// The column holding the mail text.
    pub fn text_column(mut self, name: impl Into<String>) -> Self {
        self.text = Field::required(&name.into());
        self
    }
    /// The column holding the subject.
    pub fn subject_column(mut self, name: impl Into<String>) -> Self {
        self.subject = Field::required(&name.into());
        self
    }
    /// The column holding the label.
    pub fn label_column(mut self, name: impl Into<String>) -> Self {
        self.label = Field::required(&name.into());
        self
    }
    /// The column holding a stable id.
    pub fn id_column(mut self, name: impl Into<String>) -> Self {
        self.id = Field::required(&name.into());
        self
    }
    /// The column holding the sender.
    pub fn from_column(mut self, name: impl Into<String>) -> Self {
        self.from = Field::required(&name.into());
        self
    }
    /// Which label values mean scam and ham.
    pub fn labels(mut self, labels: LabelMap) -> Self {
        self.labels = labels;
        self
    }
    /// Whether rows must carry a label (training and evaluation) or may lack one (scoring).
    pub fn require_label(mut self, yes: bool) -> Self {
        self.label.required = yes;
        self
    }
    /// Refuse rows larger than this many bytes (default 10 MiB, as for messages); JSON Lines
    /// stop reading a line at the limit, so a line without end costs no more memory.
    pub fn max_row_bytes(mut self, limit: u64) -> Self {
        self.max_row_bytes = limit;
        self
    }
    /// The text encoding of CSV files (`--encoding`): a WHATWG label such as `shift_jis`
    /// (Excel's CP932), `euc-jp`, `utf-16le`. Unknown labels are an error.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownEncoding`] for a label encoding_rs does not know.
    pub fn encoding(mut self, label: Option<&str>) -> Result<Self> {
        self.encoding = match label {
            None => None,
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                    Error::UnknownEncoding {
                        label: label.to_string(),
                    }
                })?,
            ),
        };
        Ok(self)
    }
    /// Keep only rows whose split column equals `split` (`train`, `test`).
    pub fn only_split(mut self, split: Option<String>) -> Self {
        if split.is_some() {
            self.split.required = true;
        }
        self.only_split = split;
        self
    }

    fn fields(&self) -> [(&Field, &'static str); 8] {
        [
            (&self.text, "text-column"),
            (&self.label, "label-column"),
            (&self.subject, "subject-column"),
            (&self.id, "id-column"),
            (&self.from, "from-column"),
            (&self.category, "category-column"),
            (&self.urls, "urls-column"),
            (&self.split, "split-column"),
        ]
    }
}

/// One dataset row, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The 1-based data row.
    pub row: usize,
    /// The mail.
    pub email: Email,
    /// Its label, when the dataset has one.
    pub label: Option<Label>,
    /// Its category, when the dataset has one.
    pub category: Option<String>,
}

impl Record {
    /// The labeled mail; `None` for a row without a label.
    pub fn into_labeled(self) -> Option<LabeledEmail> {
        Some(LabeledEmail {
            label: self.label?,
            email: self.email,
            category: self.category,
        })
    }
}

/// The text cells of one row, by role.
#[derive(Debug, Default, PartialEq)]
struct Cells {
    id: Option<String>,
    label: Option<String>,
    category: Option<String>,
    subject: Option<String>,
    from: Option<String>,
    text: Option<String>,
    urls: Vec<String>,
    split: Option<String>,
}

/// Opens a dataset for streaming. The format comes from `format` or the extension.
///
/// # Errors
///
/// [`Error::UnknownFormat`], [`Error::MissingColumn`] for a required column the file lacks,
/// and [`Error::Dataset`] when polars cannot read the file's schema.
pub fn read_dataset(
    path: &Path,
    format: Option<DatasetFormat>,
    schema: &Schema,
) -> Result<DatasetReader> {
    let format = format
        .or_else(|| DatasetFormat::from_path(path))
        .ok_or_else(|| Error::UnknownFormat {
            path: path.to_path_buf(),
        })?;
    fs::metadata(path).map_err(|e| Error::io(path, "open the dataset", e))?;
    let dataset_error = |source| Error::Dataset {
        path: path.to_path_buf(),
        source,
    };
    if format == DatasetFormat::Jsonl && !first_line_within(path, schema.max_row_bytes) {
        // polars would hold an endless first line whole to infer the columns: read the
        // lines ourselves, which reports that line and goes on.
        return Ok(DatasetReader::lines(path, schema.clone()));
    }
    // CSV that is not UTF-8 (what Excel in Japan writes is CP932) is transcoded into an
    // unlinked temporary file first: polars reads UTF-8 only.
    let mut spool = None;
    let mut read_from = path.to_path_buf();
    if format == DatasetFormat::Csv {
        let (encoding, how) = match schema.encoding {
            Some(e) => (e, "as asked"),
            None => (sniff_encoding(path)?, "detected"),
        };
        if encoding != encoding_rs::UTF_8 {
            eprintln!(
                "sagiguard: {}: read as {} ({how}; --encoding sets it)",
                path.display(),
                encoding.name()
            );
            let (file, fd_path) = transcode(path, encoding)?;
            spool = Some(file);
            read_from = fd_path;
        }
    }
    let frame = scan(&read_from, format).map_err(dataset_error)?;
    let mut frame = frame;
    let file_schema = match frame.collect_schema() {
        Ok(s) => s,
        Err(source) if format == DatasetFormat::Jsonl => {
            // polars gives up on the whole file; name the line instead and read the rest.
            let _ = source;
            return Ok(DatasetReader::lines(path, schema.clone()));
        }
        Err(source) => return Err(dataset_error(source)),
    };
    let available: Vec<String> = file_schema.iter_names().map(|n| n.to_string()).collect();
    for (field, _) in schema.fields() {
        let nested = match file_schema.get(&field.name) {
            Some(DataType::Struct(_)) => true,
            Some(DataType::List(inner)) => field.name != schema.urls.name || inner.is_nested(),
            _ => false,
        };
        if nested {
            return Err(Error::ColumnType {
                path: path.to_path_buf(),
                column: field.name.clone(),
                found: file_schema
                    .get(&field.name)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            });
        }
    }
    let mut present = HashSet::new();
    for (field, option) in schema.fields() {
        if available.contains(&field.name) {
            present.insert(field.name.clone());
        } else if field.required {
            return Err(Error::MissingColumn {
                path: path.to_path_buf(),
                column: field.name.clone(),
                option,
                available,
            });
        }
    }
    if format == DatasetFormat::Jsonl {
        // polars' NDJSON scan holds the decoded file in memory even when its batches are
        // sunk (peak RSS grew to 3.6 GB on a 1.7 GB file), so with the columns checked
        // above, JSON Lines rows are read one line at a time: memory stays flat at any size.
        return Ok(DatasetReader::lines(path, schema.clone()));
    }
    let mut columns = vec![col(ROW)];
    for (field, _) in schema.fields() {
        if !present.contains(&field.name) || columns.len() > 1 && field.name == ROW {
            continue;
        }
        let is_list = matches!(file_schema.get(&field.name), Some(DataType::List(_)));
        let column = col(field.name.as_str());
        columns.push(if is_list {
            column.cast(DataType::List(Box::new(DataType::String)))
        } else {
            column.cast(DataType::String)
        });
    }
    let frame = frame
        .with_row_index(ROW, Some(1))
        .select(dedup_exprs(columns));
    let mut schema = schema.clone();
    schema.lossy = format == DatasetFormat::Csv;
    let mut reader = DatasetReader::batches(path, schema, present, frame);
    reader.spool = spool;
    Ok(reader)
}

/// Reads JSON Lines rows from any reader (standard input, a pipe), one bounded line at a
/// time; `path` names the source in errors.
pub fn read_jsonl(path: &Path, schema: &Schema, reader: Box<dyn BufRead + Send>) -> DatasetReader {
    DatasetReader::from_reader(path, schema.clone(), Some(reader))
}

/// The default [`Schema::max_row_bytes`], the default `--max-size` of messages.
const DEFAULT_MAX_ROW_BYTES: u64 = 10 * 1024 * 1024;
