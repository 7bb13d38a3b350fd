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
