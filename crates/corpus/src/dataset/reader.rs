//! The streaming reader: batches from polars, or JSON Lines line by line.

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};

use polars::prelude::*;

use super::frames::frame_cells;
use super::lines::{json_cells, read_line_bounded};
use super::record::to_record;
use super::{BATCH_ROWS, Record, Schema};
use crate::error::{Error, Result, RowProblem};

/// Streams the [`Record`]s of a dataset, in file order. An item is a row or the error of
/// one row (the reader goes on) or of the file (the last item).
pub struct DatasetReader {
    path: PathBuf,
    schema: Schema,
    source: Source,
    pending: std::vec::IntoIter<Result<Record>>,
    /// A transcoded copy being read, kept open as long as the reader.
    pub(super) spool: Option<fs::File>,
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
    pub(super) fn batches(
        path: &Path,
        schema: Schema,
        present: HashSet<String>,
        frame: LazyFrame,
    ) -> Self {
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

    pub(super) fn lines(path: &Path, schema: Schema) -> Self {
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
                // One line's buffer for the batch: grown to the longest line, never past the limit.
                let mut bytes = Vec::new();
                while batch.len() < BATCH_ROWS {
                    bytes.clear();
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
                    // Validated without decoding every character (most of the reading time
                    // for Japanese text); the cells are copied out of it as they are parsed.
                    let text = match simdutf8::basic::from_utf8(&bytes) {
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
                    match json_cells(text, &self.schema) {
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
