//! Raw input flags into the corpus crate's checked settings.

use std::path::PathBuf;

use sagiguard_corpus::{InputOptions, LabelMap, ParseOptions, Schema};

use crate::args::{InputArgs, LabelFolders};

impl InputArgs {
    /// The dataset schema these flags describe; labels required or not.
    pub fn schema(&self, require_label: bool) -> Schema {
        let mut schema = Schema::default()
            .labels(LabelMap::new(
                self.scam_labels.clone(),
                self.ham_labels.clone(),
            ))
            .require_label(require_label)
            .max_row_bytes(self.max_size)
            .encoding(self.encoding.as_deref())
            .expect("--encoding was checked when the flags were parsed");
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
                sender: self.sender.clone(),
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
    /// Whether the same text under both labels stops the stream.
    refuse_contradictions: bool,
    /// Every id read, to warn about duplicates.
    ids: std::collections::HashSet<String>,
    /// Per text (a hash of subject and body): its label and the mail's position, 1-based.
    texts: std::collections::HashMap<u64, (sagiguard_corpus::Label, usize)>,
    duplicate_ids: usize,
    contradictions: usize,
}

impl LabeledStream {
    /// Labeled datasets at `paths`, then the mail in `folders` under the folder's label.
    pub fn new(
        paths: &[PathBuf],
        folders: &LabelFolders,
        input: &InputArgs,
        split: Option<&str>,
        on_error: crate::args::OnError,
    ) -> LabeledStream {
        use sagiguard_corpus::Label;
        let mut options = input.options();
        options.schema = input.schema(true).only_split(split.map(str::to_string));
        let mut rows: Box<dyn Iterator<Item = _> + Send> =
            Box::new(sagiguard_corpus::read_inputs(paths, &options));
        for (folder, label) in [(&folders.scam, Label::Scam), (&folders.ham, Label::Ham)] {
            if folder.is_empty() {
                continue;
            }
            // A dataset's own label column is ignored here: where the mail is says what it is.
            let labeled = sagiguard_corpus::read_inputs(folder, &input.options()).map(
                move |row: sagiguard_corpus::Result<sagiguard_corpus::Input>| {
                    row.map(|mut input| {
                        input.label = Some(label);
                        if label == Label::Ham {
                            input.category = None;
                        }
                        input
                    })
                },
            );
            rows = Box::new(rows.chain(labeled));
        }
        LabeledStream {
            rows,
            on_error,
            failed: false,
            read: 0,
            skipped: 0,
            refuse_contradictions: false,
            ids: std::collections::HashSet::new(),
            texts: std::collections::HashMap::new(),
            duplicate_ids: 0,
            contradictions: 0,
        }
    }

    /// Stops the stream at a text that appears under both labels (training), instead of
    /// warning about it (evaluation).
    pub fn refuse_contradictions(mut self, yes: bool) -> Self {
        self.refuse_contradictions = yes;
        self
    }

    /// Warns about a repeated id, and about (or, when training, refuses) a text seen before
    /// under the other label. A warning is printed for the first few of each.
    fn check(
        &mut self,
        source: &str,
        email: &sagiguard_corpus::Email,
        label: sagiguard_corpus::Label,
    ) -> Option<String> {
        const SHOWN: usize = 5;
        if !email.id.is_empty() && !self.ids.insert(email.id.clone()) {
            self.duplicate_ids += 1;
            if self.duplicate_ids <= SHOWN {
                eprintln!(
                    "sagiguard: warning: {source}: id {:?} is used more than once",
                    email.id
                );
            }
        }
        // 64 bits: a chance collision among a million mails is about one in thirty million.
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (email.subject.trim(), email.body.trim()).hash(&mut hasher);
            hasher.finish()
        };
        match self.texts.get(&key) {
            Some(&(seen, at)) if seen != label => {
                self.contradictions += 1;
                let message = format!(
                    "{source}: the same subject and body as mail {at} of this input, labeled {} there and {} here",
                    seen.as_str(),
                    label.as_str()
                );
                if self.refuse_contradictions {
                    return Some(format!(
                        "{message}\n  (a model cannot learn both; fix the label, or train anyway with --allow-contradictions)"
                    ));
                }
                if self.contradictions <= SHOWN {
                    eprintln!("sagiguard: warning: {message}");
                }
            }
            Some(_) => {}
            None => {
                self.texts.insert(key, (label, self.read));
            }
        }
        None
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
        if self.duplicate_ids > 0 || self.contradictions > 0 {
            eprintln!(
                "sagiguard: warning: {} repeated ids, {} texts under both labels",
                self.duplicate_ids, self.contradictions
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
                        if let Some(problem) = self.check(&record.source, &record.email, label) {
                            self.failed = true;
                            return Some(Err(problem));
                        }
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
    folders: &LabelFolders,
    input: &InputArgs,
    split: Option<&str>,
    on_error: crate::args::OnError,
    quiet: bool,
    refuse_contradictions: bool,
) -> anyhow::Result<Vec<sagiguard_corpus::LabeledEmail>> {
    let mut stream = LabeledStream::new(paths, folders, input, split, on_error)
        .refuse_contradictions(refuse_contradictions);
    let mails = stream
        .by_ref()
        .collect::<Result<Vec<_>, String>>()
        .map_err(anyhow::Error::msg)?;
    let all: Vec<PathBuf> = paths
        .iter()
        .chain(&folders.scam)
        .chain(&folders.ham)
        .cloned()
        .collect();
    stream.finish(&all, split, quiet)?;
    Ok(mails)
}
