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
            .require_label(require_label);
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

/// Reads labeled mail from datasets for training or evaluation. Rows that cannot be read
/// stop the run (`fail`) or are reported on stderr and skipped (`skip`); the count of
/// skipped rows is always printed.
pub fn load_labeled(
    paths: &[PathBuf],
    input: &InputArgs,
    split: Option<&str>,
    on_error: crate::args::OnError,
    quiet: bool,
) -> anyhow::Result<Vec<sagiguard_corpus::LabeledEmail>> {
    use anyhow::bail;
    let mut options = input.options();
    options.schema = input.schema(true).only_split(split.map(str::to_string));
    let mut mails = Vec::new();
    let mut skipped = 0usize;
    for item in sagiguard_corpus::read_inputs(paths, &options) {
        let problem = match item {
            Ok(record) => match record.label {
                Some(label) => {
                    mails.push(sagiguard_corpus::LabeledEmail {
                        email: record.email,
                        label,
                        category: record.category,
                    });
                    continue;
                }
                None => format!(
                    "{}: no label (training and evaluation read labeled datasets: CSV, JSON Lines or Parquet with a label column)",
                    record.source
                ),
            },
            Err(err) => crate::commands::error_chain(&err),
        };
        if on_error == crate::args::OnError::Fail {
            bail!("{problem}\n  (use --on-error skip to report bad rows and go on)");
        }
        skipped += 1;
        eprintln!("sagiguard: skipped: {problem}");
    }
    if !quiet || skipped > 0 {
        eprintln!(
            "sagiguard: read {} labeled mails, skipped {skipped}",
            mails.len()
        );
    }
    if mails.is_empty() {
        bail!(
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
    Ok(mails)
}
