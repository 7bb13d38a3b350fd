//! `sagiguard-bench generate`: a large synthetic corpus for speed and memory benchmarks.
//!
//! Mails are composed one at a time and streamed out: a JSON Lines row each in the schema
//! of data/train.jsonl (`split` is `bench`) and, with `--eml-dir`, an RFC 5322 file each.
//! Nothing is kept between mails but a running summary, so memory stays flat at any N.
//!
//! The `.eml` files go ten thousand to a folder, so that no directory grows unwieldy:
//! mail `i` (counted from 0) is `DIR/{i / 10000:03}/{i:07}.eml`, both numbers widening if N
//! needs more digits. The id of mail `i` is `{prefix}-{category}-{i:07}`.
//!
//! The text is generated, not written: it is mail-like enough to load tokenizers and
//! feature extraction realistically, and worthless for measuring accuracy.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::eml::{self, Transfer};
use crate::mail::{BODY_MAX, Mail, compose};

/// Mails per `.eml` folder.
const FOLDER_SIZE: u64 = 10_000;

/// Write N synthetic mails as JSON Lines (and optionally `.eml` files) for benchmarks.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How many mails to write.
    #[arg(long, value_name = "N")]
    mails: u64,

    /// The seed: the same seed and N give byte-identical output, and mail i is the same
    /// whatever N.
    #[arg(long, value_name = "S")]
    seed: u64,

    /// The JSON Lines file to write (its folder is created).
    #[arg(long, value_name = "FILE.jsonl")]
    out: PathBuf,

    /// Also write each mail as DIR/NNN/NNNNNNN.eml, ten thousand to a folder.
    #[arg(long, value_name = "DIR")]
    eml_dir: Option<PathBuf>,

    /// The start of every id: `{prefix}-{category}-{NNNNNNN}`.
    #[arg(long, value_name = "P", default_value = "bench")]
    id_prefix: String,
}

/// Generates the corpus and prints a summary on stderr.
pub(crate) fn run(args: Args) -> Result<()> {
    let started = Instant::now();
    let summary = generate(&args)?;
    eprintln!("{}", summary.report(&args, started.elapsed().as_secs_f64()));
    Ok(())
}

fn generate(args: &Args) -> Result<Summary> {
    if args.id_prefix.is_empty() || args.id_prefix.contains(char::is_whitespace) {
        bail!(
            "--id-prefix must be a non-empty word without spaces, found {:?}",
            args.id_prefix
        );
    }
    create_parent(&args.out)?;
    let file =
        File::create(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut jsonl = BufWriter::with_capacity(1 << 20, file);
    let layout = Layout::new(args.mails);
    let mut row = RowBuffers::default();
    let mut message = Vec::with_capacity(BODY_MAX * 3);
    let mut summary = Summary::default();

    for index in 0..args.mails {
        let mail = compose(args.seed, index, &args.id_prefix);
        row.write(&mail, &mut jsonl)
            .with_context(|| format!("cannot write {}", args.out.display()))?;
        let transfer = match &args.eml_dir {
            Some(dir) => {
                let path = layout.path(dir, index);
                if index.is_multiple_of(FOLDER_SIZE) {
                    create_parent(&path)?;
                }
                message.clear();
                let transfer = eml::write(&mail, &mut message);
                fs::write(&path, &message)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Some(transfer)
            }
            None => None,
        };
        summary.add(&mail, transfer);
    }
    jsonl
        .flush()
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(summary)
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display())),
        _ => Ok(()),
    }
}

/// Where mail `i`'s `.eml` file goes.
struct Layout {
    file_width: usize,
    folder_width: usize,
}

impl Layout {
    fn new(mails: u64) -> Layout {
        let last = mails.saturating_sub(1);
        Layout {
            file_width: digits(last).max(7),
            folder_width: digits(last / FOLDER_SIZE).max(3),
        }
    }

    fn path(&self, dir: &Path, index: u64) -> PathBuf {
        let folder = format!("{:0w$}", index / FOLDER_SIZE, w = self.folder_width);
        let file = format!("{index:0w$}.eml", w = self.file_width);
        dir.join(folder).join(file)
    }
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// One dataset row, fields in the order of data/train.jsonl.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    label: &'static str,
    category: &'static str,
    subject: &'a str,
    from: &'a str,
    body: &'a str,
    date: &'a str,
    split: &'static str,
}

/// Scratch strings reused from row to row.
#[derive(Default)]
struct RowBuffers {
    from: String,
    date: String,
}

impl RowBuffers {
    fn write(&mut self, mail: &Mail, out: &mut impl Write) -> std::io::Result<()> {
        self.from.clear();
        self.from.push_str(&mail.from_name);
        self.from.push_str(" <");
        self.from.push_str(&mail.from_address);
        self.from.push('>');
        self.date.clear();
        mail.date.iso8601(&mut self.date);
        let row = Row {
            id: &mail.id,
            label: mail.label.as_str(),
            category: mail.category,
            subject: &mail.subject,
            from: &self.from,
            body: &mail.body,
            date: &self.date,
            split: "bench",
        };
        serde_json::to_writer(&mut *out, &row)?;
        out.write_all(b"\n")
    }
}

/// What was written: counts and the body length distribution.
#[derive(Default)]
struct Summary {
    mails: u64,
    scams: u64,
    body_bytes: u64,
    body_min: usize,
    body_max: usize,
    /// Bodies per 250-byte band, 0-249 to 2,750-2,999 and 3,000.
    bands: [u64; BODY_MAX / 250 + 1],
    transfers: [u64; 4],
}

impl Summary {
    fn add(&mut self, mail: &Mail, transfer: Option<Transfer>) {
        let len = mail.body.len();
        if self.mails == 0 || len < self.body_min {
            self.body_min = len;
        }
        self.body_max = self.body_max.max(len);
        self.mails += 1;
        self.scams += u64::from(mail.label == crate::templates::Label::Scam);
        self.body_bytes += len as u64;
        self.bands[(len / 250).min(self.bands.len() - 1)] += 1;
        if let Some(transfer) = transfer {
            let i = Transfer::ALL
                .iter()
                .position(|t| *t == transfer)
                .expect("ALL lists every transfer");
            self.transfers[i] += 1;
        }
    }

    /// The median body length, to the band.
    fn median_band(&self) -> usize {
        let mut seen = 0;
        for (band, count) in self.bands.iter().enumerate() {
            seen += count;
            if seen * 2 >= self.mails {
                return band * 250;
            }
        }
        0
    }

    fn report(&self, args: &Args, seconds: f64) -> String {
        let mut out = String::new();
        let per_second = self.mails as f64 / seconds.max(1e-9);
        out.push_str(&format!(
            "wrote {} mails ({} scam, {} ham) to {} in {seconds:.1} s ({per_second:.0} mails/s)\n",
            self.mails,
            self.scams,
            self.mails - self.scams,
            args.out.display()
        ));
        if let Some(mean) = self.body_bytes.checked_div(self.mails) {
            out.push_str(&format!(
                "body bytes: min {}, mean {mean}, median band {}-{}, max {}\n",
                self.body_min,
                self.median_band(),
                self.median_band() + 249,
                self.body_max
            ));
            for (band, count) in self.bands.iter().enumerate().filter(|(_, c)| **c > 0) {
                out.push_str(&format!(
                    "  {:>5}-{:<5} {count:>9} ({:.1} %)\n",
                    band * 250,
                    band * 250 + 249,
                    100.0 * *count as f64 / self.mails as f64
                ));
            }
        }
        if let Some(dir) = &args.eml_dir {
            out.push_str(&format!(".eml files under {}:", dir.display()));
            for (transfer, count) in Transfer::ALL.iter().zip(self.transfers) {
                out.push_str(&format!(" {} {count};", transfer.name()));
            }
            out.pop();
        }
        out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use sagiguard_corpus::{ParseOptions, Schema, parse_message, read_dataset, read_mail};
    use serde_json::Value;

    use super::*;
    use crate::mail::BODY_MIN;

    const MAILS: u64 = 400;

    fn generate_into(dir: &Path, seed: u64) -> Args {
        let args = Args {
            mails: MAILS,
            seed,
            out: dir.join("bench.jsonl"),
            eml_dir: Some(dir.join("eml")),
            id_prefix: "bench".to_string(),
        };
        generate(&args).expect("generation into a temporary folder succeeds");
        args
    }

    fn rows(path: &Path) -> Vec<Value> {
        fs::read_to_string(path)
            .expect("the JSON Lines file was written")
            .lines()
            .map(|line| serde_json::from_str(line).expect("every line is JSON"))
            .collect()
    }

    /// Every file under `dir`, by relative path.
    fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in fs::read_dir(&folder).expect("the folder exists") {
                let path = entry.expect("a readable entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = fs::read(&path).expect("a readable file");
                    files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
                }
            }
        }
        files
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, b, c) = (tempdir(), tempdir(), tempdir());
        let run_a = generate_into(a.path(), 42);
        let run_b = generate_into(b.path(), 42);
        let run_c = generate_into(c.path(), 43);
        let jsonl = |args: &Args| fs::read(&args.out).expect("written");
        assert!(jsonl(&run_a) == jsonl(&run_b), "same seed, different JSONL");
        assert!(jsonl(&run_a) != jsonl(&run_c), "another seed, same JSONL");
        let emls = files(a.path().join("eml").as_path());
        assert_eq!(emls.len(), MAILS as usize);
        assert!(
            emls == files(b.path().join("eml").as_path()),
            "same seed, different .eml"
        );
    }

    #[test]
    fn a_smaller_corpus_is_a_prefix_of_a_larger_one() {
        let dir = tempdir();
        let mut args = generate_into(dir.path(), 7);
        let large = fs::read_to_string(&args.out).expect("written");
        args.mails = 25;
        args.out = dir.path().join("small.jsonl");
        args.eml_dir = None;
        generate(&args).expect("generated");
        let small = fs::read_to_string(&args.out).expect("written");
        assert!(large.starts_with(&small));
    }

    #[test]
    fn rows_follow_the_dataset_schema() {
        let dir = tempdir();
        let args = generate_into(dir.path(), 1);
        let rows = rows(&args.out);
        assert_eq!(rows.len(), MAILS as usize);
        let mut ids = BTreeSet::new();
        let mut labels = BTreeMap::new();
        let mut categories = BTreeSet::new();
        for row in &rows {
            let object = row.as_object().expect("a row is an object");
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                [
                    "id", "label", "category", "subject", "from", "body", "date", "split"
                ]
            );
            let field = |name: &str| row[name].as_str().expect("every field is a string");
            assert!(ids.insert(field("id").to_string()), "duplicate id");
            *labels.entry(field("label").to_string()).or_insert(0) += 1;
            categories.insert(field("category").to_string());
            assert_eq!(field("split"), "bench");
            assert!(!field("subject").is_empty());
            let from = field("from");
            assert!(
                from.ends_with('>') && from.contains(" <") && from.contains('@'),
                "{from}"
            );
            let date = field("date");
            assert!(date.len() == 25 && date.ends_with("+09:00"), "{date}");
            let body = field("body").len();
            assert!((BODY_MIN..=BODY_MAX).contains(&body), "{body} bytes");
        }
        assert_eq!(labels.keys().collect::<Vec<_>>(), ["ham", "scam"]);
        let scams = labels["scam"];
        assert!((120..=280).contains(&scams), "{scams} scams of {MAILS}");
        assert!(categories.len() >= 20, "{categories:?}");
    }

    #[test]
    fn the_corpus_crate_reads_the_rows() {
        let dir = tempdir();
        let args = generate_into(dir.path(), 2);
        let rows = rows(&args.out);
        let records: Vec<_> = read_dataset(&args.out, None, &Schema::default())
            .expect("the JSON Lines file opens")
            .collect::<Result<_, _>>()
            .expect("every row reads");
        assert_eq!(records.len(), rows.len());
        for (record, row) in records.iter().zip(&rows) {
            assert_eq!(record.email.id, row["id"].as_str().unwrap());
            assert_eq!(record.label.map(|l| l.as_str()), row["label"].as_str());
            assert_eq!(record.email.body, row["body"].as_str().unwrap());
        }
    }

    #[test]
    fn every_eml_parses_back_to_its_subject_and_body() {
        let dir = tempdir();
        let args = generate_into(dir.path(), 3);
        let rows = rows(&args.out);
        let eml_dir = args.eml_dir.as_deref().expect("set above");
        let layout = Layout::new(MAILS);
        let mut seen = BTreeMap::new();
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        for (index, row) in rows.iter().enumerate() {
            let path = layout.path(eml_dir, index as u64);
            let bytes = fs::read(&path).expect("every mail has its .eml");
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]).to_string();
            let kind = if head.contains("multipart/alternative") {
                Transfer::Alternative
            } else if head.contains("ISO-2022-JP\"") {
                Transfer::Iso2022Jp
            } else if head.contains("quoted-printable") {
                Transfer::Utf8QuotedPrintable
            } else {
                Transfer::Utf8Base64
            };
            *seen.entry(kind.name()).or_insert(0) += 1;
            assert!(
                bytes.split(|&b| b == b'\n').all(|l| l.len() <= 1000),
                "{}: a line over 998 bytes",
                path.display()
            );

            let email = parse_message(&bytes, &ParseOptions::default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let where_ = format!("{} ({})", path.display(), kind.name());
            assert_eq!(email.subject, row["subject"].as_str().unwrap(), "{where_}");
            let from = email.from.expect("a From mailbox");
            assert_eq!(
                format!("{} <{}>", from.name.unwrap_or_default(), from.address),
                row["from"].as_str().unwrap(),
                "{where_}"
            );
            // The parser undoes what it takes for hard wraps and trims: compare the text,
            // not its line breaks.
            assert_eq!(
                squeeze(&email.body),
                squeeze(row["body"].as_str().unwrap()),
                "{where_}"
            );
            assert!(
                email.id.starts_with(row["id"].as_str().unwrap()),
                "{where_}"
            );
        }
        for transfer in Transfer::ALL {
            let count = seen.get(transfer.name()).copied().unwrap_or(0);
            assert!(
                count >= 20,
                "only {count} mails as {}: {seen:?}",
                transfer.name()
            );
        }
    }

    #[test]
    fn the_eml_folders_read_as_one_mail_source() {
        let dir = tempdir();
        let args = generate_into(dir.path(), 4);
        let eml_dir = args.eml_dir.as_deref().expect("set above");
        let read = read_mail(eml_dir, 10 << 20).filter(Result::is_ok).count();
        assert_eq!(read, MAILS as usize);
    }

    #[test]
    fn layout_widens_with_the_corpus() {
        let dir = Path::new("d");
        assert_eq!(
            Layout::new(400).path(dir, 7),
            Path::new("d/000/0000007.eml")
        );
        assert_eq!(
            Layout::new(1_000_000).path(dir, 123_456),
            Path::new("d/012/0123456.eml")
        );
        assert_eq!(
            Layout::new(20_000_000).path(dir, 19_999_999),
            Path::new("d/1999/19999999.eml")
        );
        assert_eq!(Layout::new(0).path(dir, 0), Path::new("d/000/0000000.eml"));
    }

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().expect("a temporary folder")
    }
}
