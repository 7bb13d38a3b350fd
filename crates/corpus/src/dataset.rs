//! Labeled datasets (CSV, JSON Lines, Parquet) read through polars, in batches.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, sync_channel};

use polars::prelude::*;

use crate::email::{Email, Label, LabeledEmail, Link, Mailbox};
use crate::error::{Error, Result, RowProblem};
use crate::url::find_urls;

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
#[derive(Default)]
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

/// The encoding of a CSV file, from its byte-order mark or else from its first 64 KiB:
/// UTF-8 when they are valid UTF-8, else the Japanese encoding they read best as.
fn sniff_encoding(path: &Path) -> Result<&'static encoding_rs::Encoding> {
    let mut head = Vec::with_capacity(64 * 1024);
    fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| Error::io(path, "read the dataset", e))?;
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&head) {
        return Ok(encoding);
    }
    // Mostly UTF-8 with a few bad bytes is a UTF-8 file with bad cells, which are reported
    // where they are; a file in another encoding has hardly any valid UTF-8 sequence.
    let (valid, invalid) = utf8_sequences(&head);
    if invalid == 0 || valid >= 2 * invalid {
        return Ok(encoding_rs::UTF_8);
    }
    Ok(crate::message::choose_charset(&head))
}

/// Counts the valid multi-byte UTF-8 characters and the invalid sequences in `bytes` (a
/// character cut off at the end counts as neither).
fn utf8_sequences(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                valid += text.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good)
                    .map_or(0, |t| t.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    None => return (valid, invalid),
                    Some(n) => {
                        invalid += 1;
                        bytes = &rest[n..];
                    }
                }
            }
        }
    }
}

/// Decodes a whole file into UTF-8 in an unlinked temporary file, reachable through this
/// process's descriptor until the reader drops it.
fn transcode(path: &Path, encoding: &'static encoding_rs::Encoding) -> Result<(fs::File, PathBuf)> {
    use std::io::{Seek, Write};
    use std::os::fd::AsRawFd;
    let io = |e| Error::io(path, "transcode the dataset to UTF-8", e);
    let mut input = BufReader::new(fs::File::open(path).map_err(io)?);
    let mut output = std::io::BufWriter::new(tempfile::tempfile().map_err(io)?);
    let mut decoder = encoding.new_decoder();
    let mut text = String::with_capacity(128 * 1024);
    loop {
        let chunk = input.fill_buf().map_err(io)?;
        let last = chunk.is_empty();
        let mut read = 0;
        loop {
            text.clear();
            let (result, used, _) = decoder.decode_to_string(&chunk[read..], &mut text, last);
            read += used;
            output.write_all(text.as_bytes()).map_err(io)?;
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        let consumed = chunk.len();
        input.consume(consumed);
        if last {
            break;
        }
    }
    let mut file = output.into_inner().map_err(|e| io(e.into_error()))?;
    file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let fd_path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    Ok((file, fd_path))
}

fn dedup_exprs(columns: Vec<Expr>) -> Vec<Expr> {
    let mut seen = HashSet::new();
    columns
        .into_iter()
        .filter(|e| seen.insert(format!("{e:?}")))
        .collect()
}

fn scan(path: &Path, format: DatasetFormat) -> PolarsResult<LazyFrame> {
    let pl_path = PlRefPath::try_from_path(path)?;
    match format {
        DatasetFormat::Csv => LazyCsvReader::new(pl_path)
            .with_has_header(true)
            // Every column as text: labels like 0/1 and ids stay as written.
            .with_infer_schema_length(Some(0))
            .with_encoding(CsvEncoding::LossyUtf8)
            .finish(),
        DatasetFormat::Jsonl => LazyJsonLineReader::new(pl_path).finish(),
        DatasetFormat::Parquet => LazyFrame::scan_parquet(pl_path, ScanArgsParquet::default()),
    }
}

/// Streams the [`Record`]s of a dataset, in file order. An item is a row or the error of
/// one row (the reader goes on) or of the file (the last item).
pub struct DatasetReader {
    path: PathBuf,
    schema: Schema,
    source: Source,
    pending: std::vec::IntoIter<Result<Record>>,
    /// A transcoded copy being read, kept open as long as the reader.
    spool: Option<fs::File>,
}

enum Source {
    Batches {
        present: HashSet<String>,
        frames: Receiver<PolarsResult<DataFrame>>,
    },
    /// JSON Lines, line by line, each bad line reported.
    Lines {
        lines: Option<Box<dyn BufRead + Send>>,
        line: usize,
    },
    Done,
}

impl DatasetReader {
    fn batches(path: &Path, schema: Schema, present: HashSet<String>, frame: LazyFrame) -> Self {
        let (tx, rx) = sync_channel::<PolarsResult<DataFrame>>(1);
        let errors = tx.clone();
        let chunk = std::num::NonZeroUsize::new(BATCH_ROWS);
        let sink = frame.sink_batches(
            PlanCallback::new(move |df: DataFrame| Ok(tx.send(Ok(df)).is_err())),
            true,
            chunk,
        );
        std::thread::spawn(move || {
            let result = sink.and_then(|sink| sink.collect().map(|_| ()));
            if let Err(e) = result {
                let _ = errors.send(Err(e));
            }
        });
        DatasetReader {
            path: path.to_path_buf(),
            schema,
            source: Source::Batches {
                present,
                frames: rx,
            },
            pending: Vec::new().into_iter(),
            spool: None,
        }
    }

    fn lines(path: &Path, schema: Schema) -> Self {
        let lines = fs::File::open(path)
            .ok()
            .map(|f| Box::new(BufReader::new(f)) as Box<dyn BufRead + Send>);
        Self::from_reader(path, schema, lines)
    }

    /// JSON Lines read from any reader (standard input needs no temporary copy).
    pub(crate) fn from_reader(
        path: &Path,
        schema: Schema,
        lines: Option<Box<dyn BufRead + Send>>,
    ) -> Self {
        DatasetReader {
            path: path.to_path_buf(),
            schema,
            source: Source::Lines { lines, line: 0 },
            pending: Vec::new().into_iter(),
            spool: None,
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn next_batch(&mut self) -> Option<Vec<Result<Record>>> {
        match &mut self.source {
            Source::Done => None,
            Source::Batches { present, frames } => match frames.recv() {
                Err(_) => {
                    self.source = Source::Done;
                    None
                }
                Ok(Err(source)) => {
                    self.source = Source::Done;
                    Some(vec![Err(Error::Dataset {
                        path: self.path.clone(),
                        source,
                    })])
                }
                Ok(Ok(df)) => Some(match frame_cells(&df, &self.schema, present) {
                    Ok(rows) => rows
                        .into_iter()
                        .filter_map(|(row, cells)| to_record(&self.path, &self.schema, row, cells))
                        .collect(),
                    Err(source) => vec![Err(Error::Dataset {
                        path: self.path.clone(),
                        source,
                    })],
                }),
            },
            Source::Lines { lines, line } => {
                let Some(lines) = lines else {
                    self.source = Source::Done;
                    return None;
                };
                let mut batch = Vec::new();
                let limit = self.schema.max_row_bytes;
                while batch.len() < BATCH_ROWS {
                    let mut bytes = Vec::new();
                    let (read, complete) = match read_line_bounded(lines, &mut bytes, limit) {
                        Ok(read) => read,
                        Err(e) => {
                            *line += 1;
                            batch.push(Err(Error::Json {
                                path: self.path.clone(),
                                line: *line,
                                message: e.to_string(),
                            }));
                            break;
                        }
                    };
                    if read == 0 {
                        break;
                    }
                    *line += 1;
                    if !complete {
                        batch.push(Err(Error::Row {
                            path: self.path.clone(),
                            row: *line,
                            column: self.schema.text.name.clone(),
                            problem: Box::new(RowProblem::TooLarge { size: read, limit }),
                        }));
                        continue;
                    }
                    let text = match String::from_utf8(bytes) {
                        Ok(text) => text,
                        Err(_) => {
                            batch.push(Err(Error::Json {
                                path: self.path.clone(),
                                line: *line,
                                message: "the line is not valid UTF-8".into(),
                            }));
                            continue;
                        }
                    };
                    if text.trim().is_empty() {
                        continue;
                    }
                    match json_cells(&text, &self.schema) {
                        Ok(cells) => {
                            batch.extend(to_record(&self.path, &self.schema, *line, cells))
                        }
                        Err(message) => batch.push(Err(Error::Json {
                            path: self.path.clone(),
                            line: *line,
                            message,
                        })),
                    }
                }
                if batch.is_empty() {
                    self.source = Source::Done;
                    return None;
                }
                Some(batch)
            }
        }
    }
}

impl Iterator for DatasetReader {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.next() {
                return Some(item);
            }
            self.pending = self.next_batch()?.into_iter();
        }
    }
}

/// Whether the first line of a file fits in `limit` bytes (an unreadable file: yes, and
/// polars reports it).
fn first_line_within(path: &Path, limit: u64) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return true;
    };
    let mut reader = BufReader::new(file);
    read_line_bounded(&mut reader, &mut Vec::new(), limit).is_ok_and(|(_, whole)| whole)
}

/// Reads one line into `buf` (without its line break), keeping at most `limit` bytes; the
/// rest of a longer line is read and dropped, so a line without end (`/dev/zero`, a stuck
/// FIFO writer) costs no more memory than the limit. Returns the bytes the line had (at
/// least; 0 at the end of input) and whether it was kept whole.
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<(u64, bool)> {
    let mut total = 0u64;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total, total <= limit));
        }
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        let room = limit.saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&part[..part.len().min(room)]);
        total += part.len() as u64;
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            // A line break alone still counts as a line read.
            return Ok((total.max(1), total <= limit));
        }
    }
}

/// The cells of every row of one batch.
fn frame_cells(
    df: &DataFrame,
    schema: &Schema,
    present: &HashSet<String>,
) -> PolarsResult<Vec<(usize, Cells)>> {
    let rows: Vec<usize> = df
        .column(ROW)?
        .idx()?
        .iter()
        .map(|r| r.unwrap_or(0) as usize)
        .collect();
    let text_column = |field: &Field| -> PolarsResult<Option<Vec<Option<String>>>> {
        if !present.contains(&field.name) {
            return Ok(None);
        }
        let column = df.column(&field.name)?;
        if let Ok(list) = column.list() {
            // A list column holds URLs: join them; `to_record` splits them again.
            let joined = list
                .amortized_iter()
                .map(|cell| {
                    cell.and_then(|s| {
                        s.as_ref()
                            .str()
                            .ok()
                            .map(|ca| ca.iter().flatten().collect::<Vec<_>>().join(" "))
                    })
                })
                .collect();
            return Ok(Some(joined));
        }
        Ok(Some(
            column
                .str()?
                .iter()
                .map(|c| c.map(str::to_string))
                .collect(),
        ))
    };
    let mut by_role: Vec<Option<Vec<Option<String>>>> = Vec::new();
    for (field, _) in schema.fields() {
        by_role.push(text_column(field)?);
    }
    let cell = |role: usize, i: usize| by_role[role].as_ref().and_then(|v| v[i].clone());
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, &row)| {
            (
                row,
                Cells {
                    text: cell(0, i),
                    label: cell(1, i),
                    subject: cell(2, i),
                    id: cell(3, i),
                    from: cell(4, i),
                    category: cell(5, i),
                    urls: cell(6, i)
                        .map(|s| s.split_whitespace().map(str::to_string).collect())
                        .unwrap_or_default(),
                    split: cell(7, i),
                },
            )
        })
        .collect())
}

/// The cells of one JSON Lines line, read without polars.
fn json_cells(line: &str, schema: &Schema) -> std::result::Result<Cells, String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let object = value.as_object().ok_or("expected an object")?;
    let text = |field: &Field| -> Option<String> {
        match object.get(&field.name)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    let urls = match object.get(&schema.urls.name) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|u| u.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    };
    Ok(Cells {
        id: text(&schema.id),
        label: text(&schema.label),
        category: text(&schema.category),
        subject: text(&schema.subject),
        from: text(&schema.from),
        text: text(&schema.text),
        urls,
        split: text(&schema.split),
    })
}

/// Reads JSON Lines rows from any reader (standard input, a pipe), one bounded line at a
/// time; `path` names the source in errors.
pub fn read_jsonl(path: &Path, schema: &Schema, reader: Box<dyn BufRead + Send>) -> DatasetReader {
    DatasetReader::from_reader(path, schema.clone(), Some(reader))
}

/// The default [`Schema::max_row_bytes`], the default `--max-size` of messages.
const DEFAULT_MAX_ROW_BYTES: u64 = 10 * 1024 * 1024;

/// Checks and converts one row; `None` for a row another split owns.
fn to_record(path: &Path, schema: &Schema, row: usize, cells: Cells) -> Option<Result<Record>> {
    let size: usize = [
        &cells.text,
        &cells.subject,
        &cells.label,
        &cells.id,
        &cells.from,
        &cells.category,
    ]
    .iter()
    .map(|c| c.as_ref().map_or(0, String::len))
    .sum();
    if size as u64 > schema.max_row_bytes {
        return Some(Err(Error::Row {
            path: path.to_path_buf(),
            row,
            column: schema.text.name.clone(),
            problem: Box::new(RowProblem::TooLarge {
                size: size as u64,
                limit: schema.max_row_bytes,
            }),
        }));
    }
    if let Some(only) = &schema.only_split
        && cells.split.as_deref().map(str::trim) != Some(only.as_str())
    {
        return None;
    }
    let fail = |field: &Field, problem| {
        Some(Err(Error::Row {
            path: path.to_path_buf(),
            row,
            column: field.name.clone(),
            problem: Box::new(problem),
        }))
    };
    let roles = [
        (&schema.text, &cells.text),
        (&schema.subject, &cells.subject),
        (&schema.label, &cells.label),
        (&schema.id, &cells.id),
        (&schema.from, &cells.from),
        (&schema.category, &cells.category),
    ];
    for (field, value) in roles {
        if schema.lossy && value.as_deref().is_some_and(|v| v.contains('\u{FFFD}')) {
            return fail(field, RowProblem::InvalidUtf8);
        }
    }
    let label = match cells.label.as_deref().map(str::trim) {
        None | Some("") if schema.label.required => {
            return fail(&schema.label, RowProblem::MissingLabel);
        }
        None | Some("") => None,
        Some(value) => match schema.labels.label(value) {
            Some(label) => Some(label),
            None => {
                return fail(
                    &schema.label,
                    RowProblem::UnknownLabel {
                        found: value.to_string(),
                        scam: schema.labels.scam.clone(),
                        ham: schema.labels.ham.clone(),
                    },
                );
            }
        },
    };
    let subject = cells.subject.unwrap_or_default().trim().to_string();
    let body = cells.text.unwrap_or_default().replace("\r\n", "\n");
    if subject.is_empty() && body.trim().is_empty() {
        return fail(&schema.text, RowProblem::EmptyText);
    }
    // A listed URL is written as the body writes it (`sagawa-kx.top/r`, `hxxps://…`): it is
    // normalised as the body's links are, so the two meet as one link, as in raw mail. A set
    // keeps the de-duplication linear in the number of links.
    let listed = cells.urls.into_iter().map(|url| {
        find_urls(&url)
            .into_iter()
            .next()
            .filter(|f| f.span == (0..url.len()))
            .map_or(url, |f| f.url)
    });
    let mut seen = HashSet::new();
    let links: Vec<Link> = listed
        .chain(find_urls(&body).into_iter().map(|f| f.url))
        .filter(|href| seen.insert(href.clone()))
        .map(|href| Link { text: None, href })
        .collect();
    let id = cells
        .id
        .filter(|id| !id.trim().is_empty())
        .unwrap_or_else(|| {
            let stem = path
                .file_stem()
                .map_or("row".into(), |s| s.to_string_lossy());
            format!("{stem}:{row}")
        });
    Some(Ok(Record {
        row,
        email: Email {
            id,
            subject,
            from: cells.from.as_deref().and_then(Mailbox::parse),
            body,
            links,
            ..Email::default()
        },
        label,
        category: cells.category.filter(|c| !c.trim().is_empty()),
    }))
}
