use std::io;
use std::path::PathBuf;

/// A specialised `Result` for the corpus readers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why one raw message could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// Over the size limit; it was not read into memory.
    #[error("the message is {size} bytes, over the limit of {limit} (raise it with --max-size)")]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Empty input.
    #[error("empty input: no headers and no body")]
    NotAMessage,
    /// A part of an mbox that is no message of its own: the rest of the one before it,
    /// split at a body line starting `From ` that the file did not escape.
    #[error(
        "not a message but most likely the rest of message #{previous}, cut at a body line starting \"From \" that the mbox did not escape (an mboxo file: write mboxrd, which escapes it as \">From \"); message #{previous} was read only up to that line"
    )]
    Fragment {
        /// The message it most likely belongs to (1-based).
        previous: usize,
    },
}

/// A problem with one row of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// The label cell is empty.
    #[error("the label is empty")]
    MissingLabel,
    /// The label is neither a scam nor a ham label.
    #[error(
        "unknown label {found:?}: scam labels are {scam:?}, ham labels are {ham:?} (set them with --scam-labels and --ham-labels)"
    )]
    UnknownLabel {
        /// The label found.
        found: String,
        /// The labels read as scam.
        scam: Vec<String>,
        /// The labels read as ham.
        ham: Vec<String>,
    },
    /// Subject and text are both empty.
    #[error("the text is empty")]
    EmptyText,
    /// A cell held bytes that are not UTF-8.
    #[error("the cell is not valid UTF-8")]
    InvalidUtf8,
    /// The row's text is over the size limit (`--max-size`), which applies to a dataset row
    /// as to a message.
    #[error("the row is {size} bytes, over the limit of {limit} (--max-size)")]
    TooLarge {
        /// The row's size in bytes (at least this; reading stopped at the limit).
        size: u64,
        /// The limit.
        limit: u64,
    },
}

/// What can go wrong reading mail and datasets. Each variant says where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{}: cannot {action}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// One raw message could not be read.
    #[error("{location}: {source}")]
    Message {
        /// The file, and the message's position in a mailbox.
        location: String,
        /// What was wrong.
        #[source]
        source: MessageError,
    },
    /// The file's extension names no dataset format.
    #[error("{}: unknown dataset format: expected .csv, .jsonl (.ndjson) or .parquet, or name it with --format", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A column the schema needs is not in the file.
    #[error("{}: no column {column:?} (columns: {}); name the right one with --{option}", path.display(), available.join(", "))]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column looked for.
        column: String,
        /// The option that names it.
        option: &'static str,
        /// The columns the file has.
        available: Vec<String>,
    },
    /// `--encoding` named an encoding that does not exist.
    #[error("unknown encoding {label:?}: use a label such as shift_jis, euc-jp, utf-8 or utf-16le")]
    UnknownEncoding {
        /// The label given.
        label: String,
    },
    /// A text column holds nested data that cannot be read as text.
    #[error("{}: column {column:?} holds {found}, not text: name a text column (--text-column and the like)", path.display())]
    ColumnType {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// Its type, as polars names it.
        found: String,
    },
    /// A line of a JSON Lines file is not valid JSON.
    #[error("{}: line {line}: invalid JSON: {message}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// serde_json's description.
        message: String,
    },
    /// polars could not read the file.
    #[error("{}: cannot read the dataset", path.display())]
    Dataset {
        /// The file.
        path: PathBuf,
        /// polars' error.
        #[source]
        source: polars::error::PolarsError,
    },
    /// One row is unusable.
    #[error("{}: row {row}, column {column:?}: {problem}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// The 1-based data row (the header is not counted).
        row: usize,
        /// The column at fault.
        column: String,
        /// What is wrong (boxed: it is large and errors travel by value).
        problem: Box<RowProblem>,
    },
}

impl Error {
    /// Where the error happened: the file, with the message's position in a mailbox, the
    /// row or the line; `None` for an error of the settings (an unknown encoding).
    pub fn location(&self) -> Option<String> {
        match self {
            Error::Message { location, .. } => Some(location.clone()),
            Error::Row { path, row, .. } => Some(format!("{}:{row}", path.display())),
            Error::Json { path, line, .. } => Some(format!("{}:{line}", path.display())),
            Error::Io { path, .. }
            | Error::UnknownFormat { path }
            | Error::MissingColumn { path, .. }
            | Error::ColumnType { path, .. }
            | Error::Dataset { path, .. } => Some(path.display().to_string()),
            Error::UnknownEncoding { .. } => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }
}
