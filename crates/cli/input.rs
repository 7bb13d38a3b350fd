//! Raw input flags into the corpus crate's checked settings.

use std::path::PathBuf;

use sagiguard_corpus::{InputOptions, LabelMap, ParseOptions, Schema};

use crate::args::InputArgs;

impl InputArgs {
    /// The dataset schema these flags describe; labels required or not.
    pub fn schema(&self, require_label: bool) -> Schema {
        let mut schema = Schema::default()
            .labels(LabelMap::new(
                self.scam_labels.clone(),
                self.ham_labels.clone(),
            ))
            .require_label(require_label)
            .max_row_bytes(self.max_size);
        if let Some(name) = &self.text_column {
            schema = schema.text_column(name);
        }
        if let Some(name) = &self.subject_column {
            schema = schema.subject_column(name);
        }
        if let Some(name) = &self.label_column {
            schema = schema.label_column(name);
        }
        if let Some(name) = &self.id_column {
            schema = schema.id_column(name);
        }
        if let Some(name) = &self.from_column {
            schema = schema.from_column(name);
        }
        schema
    }

    /// Settings for reading inputs to look at or score (labels optional).
    pub fn options(&self) -> InputOptions {
        InputOptions {
            parse: ParseOptions {
                max_size: self.max_size,
                text: self.text,
                ..ParseOptions::default()
            },
            schema: self.schema(false),
            format: self.format,
        }
    }
}

/// The inputs, with standard input when none are given.
pub fn paths_or_stdin(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        paths.to_vec()
    }
}

/// Labeled mail read one at a time from datasets, for training or evaluation. Rows that
/// cannot be read are an `Err` item (`fail`) or are reported on stderr and skipped (`skip`).
pub struct LabeledStream {
    rows: Box<dyn Iterator<Item = sagiguard_corpus::Result<sagiguard_corpus::Input>> + Send>,
    on_error: crate::args::OnError,
    failed: bool,
    read: usize,
    skipped: usize,
}

impl LabeledStream {
    pub fn new(
        paths: &[PathBuf],
        input: &InputArgs,
        split: Option<&str>,
        on_error: crate::args::OnError,
    ) -> LabeledStream {
        let mut options = input.options();
        options.schema = input.schema(true).only_split(split.map(str::to_string));
        LabeledStream {
            rows: Box::new(sagiguard_corpus::read_inputs(paths, &options)),
            on_error,
            failed: false,
            read: 0,
            skipped: 0,
        }
    }

    /// Prints how many mails were read and skipped (always when some were skipped), and
    /// refuses an input without labeled mail.
    pub fn finish(
        &self,
        paths: &[PathBuf],
        split: Option<&str>,
        quiet: bool,
    ) -> anyhow::Result<()> {
        if !quiet || self.skipped > 0 {
            eprintln!(
                "sagiguard: read {} labeled mails, skipped {}",
                self.read, self.skipped
            );
        }
        if self.read == 0 {
            anyhow::bail!(
                "no labeled mail in {}{}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                split
                    .map(|s| format!(" with split {s:?}"))
                    .unwrap_or_default()
            );
        }
        Ok(())
    }
}

impl Iterator for LabeledStream {
    type Item = Result<sagiguard_corpus::LabeledEmail, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        for item in self.rows.by_ref() {
            let problem = match item {
                Ok(record) => match record.label {
                    Some(label) => {
                        self.read += 1;
                        return Some(Ok(sagiguard_corpus::LabeledEmail {
                            email: record.email,
                            label,
                            category: record.category,
                        }));
                    }
                    None => format!(
                        "{}: no label (training and evaluation read labeled datasets: CSV, JSON Lines or Parquet with a label column)",
                        record.source
                    ),
                },
                Err(err) => crate::commands::error_chain(&err),
            };
            if self.on_error == crate::args::OnError::Fail {
                self.failed = true;
                return Some(Err(format!(
                    "{problem}\n  (use --on-error skip to report bad rows and go on)"
                )));
            }
            self.skipped += 1;
            eprintln!("sagiguard: skipped: {problem}");
        }
        None
    }
}

/// Reads all labeled mail into memory: see [`LabeledStream`].
pub fn load_labeled(
    paths: &[PathBuf],
    input: &InputArgs,
    split: Option<&str>,
    on_error: crate::args::OnError,
    quiet: bool,
) -> anyhow::Result<Vec<sagiguard_corpus::LabeledEmail>> {
    let mut stream = LabeledStream::new(paths, input, split, on_error);
    let mails = stream
        .by_ref()
        .collect::<Result<Vec<_>, String>>()
        .map_err(anyhow::Error::msg)?;
    stream.finish(paths, split, quiet)?;
    Ok(mails)
}
