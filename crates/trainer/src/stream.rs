//! Training on a stream of mails of any length in bounded memory.
//!
//! One pass reads the mails, extracts their features on all cores and counts the
//! vocabulary; each mail's features go to a temporary file as interned ids (a few hundred
//! bytes a mail) instead of staying in memory. Once the vocabulary is chosen the file is read
//! back, mapped to vocabulary indices and folded into linfa-bayes batch by batch, and read
//! once more to calibrate. Memory is the vocabulary counts, two chunks of mails (one being
//! extracted, one counted) and one batch, whatever the number of mails.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

use rayon::prelude::*;
use sagiguard_corpus::{Label, LabeledEmail};
use sagiguard_features::{Extraction, FeatureCounts, MAX_STORED_FEATURES, extract};
use sagiguard_tokenizer::Tokenizer;

use crate::calibrate::Calibration;
use crate::config::{Algorithm, CheckedTrainConfig};
use crate::error::{Error, Result};
use crate::fit::{
    CorpusHasher, Counted, Progress, Trained, Training, choose_threshold, class_index,
    class_layout, fit,
};
use crate::learn::{LearnedMail, mail_hash};

/// Mails extracted together on all cores.
const CHUNK: usize = 2048;

/// A mail's features and its hash.
type Extracted = (Extraction, u64);

/// Trains without cross-validation on mails read one at a time. An `Err` item stops
/// training with [`Error::Input`].
///
/// Calibration and threshold are chosen on the training mail itself, which flatters the
/// model: evaluate on held-out mail, or cross-validate with [`train`](crate::train()).
///
/// # Errors
///
/// [`Error::Input`], [`Error::OneClass`], a refused setting (folds, or Bernoulli past one
/// batch), a temporary-file error, feature and fitting errors.
pub fn train_stream<E: std::fmt::Display>(
    mails: impl Iterator<Item = std::result::Result<LabeledEmail, E>> + Send,
    config: &CheckedTrainConfig,
    tokenizer: &Tokenizer,
    trained_on: &str,
    progress: &dyn Progress,
) -> Result<Trained> {
    train_in_chunks(mails, config, tokenizer, trained_on, progress, CHUNK)
}

/// [`train_stream`] extracting `chunk` mails at a time.
fn train_in_chunks<E: std::fmt::Display>(
    mails: impl Iterator<Item = std::result::Result<LabeledEmail, E>> + Send,
    config: &CheckedTrainConfig,
    tokenizer: &Tokenizer,
    trained_on: &str,
    progress: &dyn Progress,
    chunk: usize,
) -> Result<Trained> {
    if config.folds != 0 {
        return Err(Error::InvalidConfig {
            setting: "folds",
            reason: "cross-validation keeps every mail's features in memory: use train(), or 0 folds to stream".into(),
        });
    }
    let mut spill = Spill::new()?;
    let mut counts = FeatureCounts::new();
    // Per mail: its hash and class key, until the keys' classes are known.
    let mut learned: Vec<LearnedMail> = Vec::new();
    let mut hasher = CorpusHasher::default();
    let mut categories: Vec<String> = Vec::new();
    let mut mails_read = [0usize; 2];
    let mut ids = Vec::new();
    progress.stage("extracting features", 0);
    let mut count = |chunk: &[LabeledEmail], extractions: &[Extracted]| -> Result<()> {
        for (mail, (extraction, hash)) in chunk.iter().zip(extractions) {
            hasher.add(mail);
            mails_read[usize::from(mail.label == Label::Scam)] += 1;
            let key = class_key(mail, &mut categories);
            let mode = config.features().counts;
            counts.add(extraction, key as usize, mail.label, mode, &mut ids);
            learned.push(LearnedMail {
                hash: *hash,
                class: key as u16,
                times: 1,
            });
            spill.write(key, &ids)?;
        }
        counts.prune(MAX_STORED_FEATURES);
        let total = mails_read[0] + mails_read[1];
        if config.algorithm == Algorithm::Bernoulli && total > config.batch_size {
            return Err(Error::bernoulli_batches(total));
        }
        progress.advance(chunk.len() as u64);
        Ok(())
    };
    // Reading and decoding are sequential: a thread reads the next chunks while the pool
    // extracts this one's features and, beside it, counts the one before (counting alone
    // would leave the pool idle).
    let mut extracted: Option<(Vec<LabeledEmail>, Vec<Extracted>)> = None;
    let mails = mails.map(|m| m.map_err(|e| Error::Input(e.to_string())));
    sagiguard_corpus::read_ahead(mails, chunk, |chunk| -> Result<()> {
        let chunk: Vec<LabeledEmail> = chunk.into_iter().collect::<Result<_>>()?;
        let previous = extracted.take();
        let (extractions, counted) = rayon::join(
            || {
                chunk
                    .par_iter()
                    .map(|m| {
                        (
                            extract(config.features(), tokenizer, &m.email),
                            mail_hash(&m.email),
                        )
                    })
                    .collect::<Vec<_>>()
            },
            || previous.map_or(Ok(()), |(chunk, extractions)| count(&chunk, &extractions)),
        );
        counted?;
        extracted = Some((chunk, extractions));
        Ok(())
    })?;
    if let Some((chunk, extractions)) = extracted.take() {
        count(&chunk, &extractions)?;
    }
    let [ham, scam] = mails_read;
    if scam == 0 || ham == 0 {
        return Err(Error::OneClass { scam, ham });
    }

    let classes = class_layout(config.classes, categories.iter().cloned())?;
    let class_of_key: Vec<usize> = std::iter::once(0)
        .chain(
            categories
                .iter()
                .map(|c| class_index(&classes, Label::Scam, Some(c))),
        )
        .collect();

    counts.remap_classes(&class_of_key, classes.len());
    for m in &mut learned {
        m.class = class_of_key[m.class as usize] as u16;
    }
    progress.stage("fitting the model", (ham + scam) as u64);
    let training = Training {
        config,
        tokenizer,
        trained_on,
        progress,
    };
    let counted = Counted {
        counts,
        learned,
        classes,
    };
    let mut reader = spill.reader()?;
    let (mut model, index) = fit(training, counted, |push| {
        while let Some(key) = reader.next(&mut ids)? {
            push(class_of_key[key as usize], &ids)?;
        }
        Ok(())
    })?;

    progress.stage("calibrating", (ham + scam) as u64);
    let mut scores = Vec::with_capacity(ham + scam);
    let mut reader = reader.rewind()?;
    while let Some(key) = reader.next(&mut ids)? {
        let log_odds = model.log_odds(&index.vectorize(&model.extractor, &ids)).0;
        scores.push((
            log_odds,
            model.classes[class_of_key[key as usize]].label == Label::Scam,
        ));
        progress.advance(1);
    }
    let calibration = Calibration::fit(&scores);
    let probabilities: Vec<(f64, bool)> = scores
        .iter()
        .map(|(s, y)| (calibration.probability(*s), *y))
        .collect();
    model.calibration = calibration;
    model.threshold = choose_threshold(&probabilities, config.threshold);
    model.metadata.corpus_hash = hasher.finish();
    model.metadata.scam = scam;
    model.metadata.ham = ham;
    Ok(Trained {
        model,
        cross_validation: None,
    })
}

/// 0 for ham; for scam 1 + the index of its category (`scam` without one) in order of first
/// appearance.
fn class_key(mail: &LabeledEmail, categories: &mut Vec<String>) -> u32 {
    if mail.label == Label::Ham {
        return 0;
    }
    let category = mail.category.as_deref().unwrap_or("scam");
    let key = match categories.iter().position(|c| c == category) {
        Some(key) => key,
        None => {
            categories.push(category.to_string());
            categories.len() - 1
        }
    };
    key as u32 + 1
}

/// Mails as `(class key, [(feature id, count)])` records in an anonymous temporary file,
/// integers as LEB128 varints and ids delta-coded (they are sorted by name, not by id, so
/// deltas are zig-zag coded).
struct Spill {
    out: BufWriter<File>,
    /// One record's bytes, reused from mail to mail.
    record: Vec<u8>,
}

fn spill_error(action: &'static str) -> impl Fn(io::Error) -> Error {
    move |source| Error::Io {
        path: std::env::temp_dir(),
        action,
        source,
    }
}

impl Spill {
    fn new() -> Result<Spill> {
        let file = tempfile::tempfile()
            .map_err(spill_error("create a temporary file for the features"))?;
        Ok(Spill {
            out: BufWriter::with_capacity(1 << 20, file),
            record: Vec::new(),
        })
    }

    fn write(&mut self, key: u32, ids: &[(u32, u32)]) -> Result<()> {
        let record = &mut self.record;
        record.clear();
        put_varint(record, u64::from(key));
        put_varint(record, ids.len() as u64);
        let mut previous = 0i64;
        for &(id, count) in ids {
            let delta = i64::from(id) - previous;
            previous = i64::from(id);
            put_varint(record, ((delta << 1) ^ (delta >> 63)) as u64);
            put_varint(record, u64::from(count));
        }
        self.out
            .write_all(record)
            .map_err(spill_error("write the temporary feature file"))
    }

    fn reader(self) -> Result<SpillReader> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| spill_error("write the temporary feature file")(e.into_error()))?;
        SpillReader::new(file)
    }
}

struct SpillReader {
    input: BufReader<File>,
}

impl SpillReader {
    fn new(mut file: File) -> Result<SpillReader> {
        file.rewind()
            .map_err(spill_error("read the temporary feature file"))?;
        Ok(SpillReader {
            input: BufReader::with_capacity(1 << 20, file),
        })
    }

    fn rewind(self) -> Result<SpillReader> {
        SpillReader::new(self.input.into_inner())
    }

    /// The next record's class key, its features in `ids`; `None` at the end.
    fn next(&mut self, ids: &mut Vec<(u32, u32)>) -> Result<Option<u32>> {
        let read = spill_error("read the temporary feature file");
        let Some(key) = get_varint(&mut self.input).map_err(&read)? else {
            return Ok(None);
        };
        let truncated = || read(io::ErrorKind::UnexpectedEof.into());
        let n = get_varint(&mut self.input)
            .map_err(&read)?
            .ok_or_else(truncated)?;
        ids.clear();
        let mut previous = 0i64;
        for _ in 0..n {
            let zigzag = get_varint(&mut self.input)
                .map_err(&read)?
                .ok_or_else(truncated)?;
            let delta = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
            previous += delta;
            let count = get_varint(&mut self.input)
                .map_err(&read)?
                .ok_or_else(truncated)?;
            ids.push((previous as u32, count as u32));
        }
        Ok(Some(key as u32))
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A varint, or `None` at the end of the input before its first byte. Read from the
/// buffer in place when it holds the longest varint, byte by byte near its end.
fn get_varint(input: &mut impl BufRead) -> io::Result<Option<u64>> {
    let buffered = input.fill_buf()?;
    if buffered.len() >= MAX_VARINT {
        let (value, used) = varint_in(buffered)?;
        input.consume(used);
        return Ok(Some(value));
    }
    let mut value = 0u64;
    let mut byte = [0u8];
    for shift in (0..64).step_by(7) {
        if input.read(&mut byte)? == 0 {
            return if shift == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        value |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(Some(value));
        }
    }
    Err(too_long())
}

/// Bytes of the longest varint of a `u64`.
const MAX_VARINT: usize = 10;

/// The varint at the start of `bytes` (at least [`MAX_VARINT`] of them) and its length.
fn varint_in(bytes: &[u8]) -> io::Result<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes[..MAX_VARINT].iter().enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err(too_long())
}

fn too_long() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "varint longer than 64 bits")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TrainConfig;
    use crate::fit::Silent;
    use sagiguard_corpus::Email;

    fn mails(n: usize) -> Vec<LabeledEmail> {
        let scam = [
            "至急 口座 確認 入金",
            "入金 パスワード 入力 至急",
            "口座 停止 確認",
        ];
        let ham = [
            "会議 資料 送付 来週",
            "資料 会議 日程 確認",
            "来週 よろしく 会議",
        ];
        (0..n)
            .map(|i| {
                let (texts, label) = if i % 3 == 0 {
                    (ham, Label::Ham)
                } else {
                    (scam, Label::Scam)
                };
                LabeledEmail {
                    email: Email {
                        id: format!("m{i}"),
                        body: format!("{} {i} https://h{}.example.top/p", texts[i % 3], i % 5),
                        ..Email::default()
                    },
                    label,
                    category: Some(["phish", "fraud"][i % 2].to_string()),
                }
            })
            .collect()
    }

    /// Chunks are extracted while the one before is counted: however the mails fall into
    /// chunks, the model is the same to the byte, and an error in a later chunk still stops
    /// training.
    #[test]
    fn chunking_changes_nothing_and_errors_in_later_chunks_stop_training() {
        let tokenizer = crate::tiny_tokenizer();
        let mails = mails(50);
        for algorithm in [Algorithm::Multinomial, Algorithm::Complement] {
            let config = TrainConfig {
                folds: 0,
                algorithm,
                classes: crate::config::Classes::Categories,
                batch_size: 4,
                ..TrainConfig::default()
            }
            .check()
            .unwrap();
            let train = |chunk| {
                let stream = mails.iter().cloned().map(Ok::<_, String>);
                let model =
                    train_in_chunks(stream, &config, &tokenizer, "2026-01-01", &Silent, chunk)
                        .unwrap()
                        .model;
                let counted = model.metadata.scam + model.metadata.ham;
                assert_eq!(
                    (counted, model.metadata.mails),
                    (50, 50),
                    "chunks of {chunk}"
                );
                model.to_bytes()
            };
            let whole = train(1000);
            for chunk in [1, 3, 7, 49, 50] {
                assert!(train(chunk) == whole, "{algorithm:?}, chunks of {chunk}");
            }
        }
        let config = TrainConfig {
            folds: 0,
            ..TrainConfig::default()
        }
        .check()
        .unwrap();
        let stream = mails
            .iter()
            .cloned()
            .map(Ok)
            .chain([Err("data.jsonl: line 51: no label".to_string())]);
        let err = train_in_chunks(stream, &config, &tokenizer, "2026-01-01", &Silent, 7)
            .err()
            .unwrap();
        assert!(err.to_string().contains("line 51"), "{err}");
        let config = TrainConfig {
            folds: 0,
            algorithm: Algorithm::Bernoulli,
            batch_size: 10,
            ..TrainConfig::default()
        }
        .check()
        .unwrap();
        let stream = mails.iter().cloned().map(Ok::<_, String>);
        let err = train_in_chunks(stream, &config, &tokenizer, "2026-01-01", &Silent, 7)
            .err()
            .unwrap();
        assert!(matches!(err, Error::InvalidConfig { .. }), "{err}");
    }

    #[test]
    fn records_round_trip_through_the_spill_file() {
        let records: Vec<(u32, Vec<(u32, u32)>)> = vec![
            (0, vec![(5, 1), (2, 3), (700_000, 1), (0, 2)]),
            (1, Vec::new()),
            (3, vec![(u32::MAX - 1, u32::MAX)]),
        ];
        let mut spill = Spill::new().unwrap();
        for (key, ids) in &records {
            spill.write(*key, ids).unwrap();
        }
        let mut reader = spill.reader().unwrap();
        for _ in 0..2 {
            let mut ids = Vec::new();
            for (key, expected) in &records {
                assert_eq!(reader.next(&mut ids).unwrap(), Some(*key));
                assert_eq!(&ids, expected);
            }
            assert_eq!(reader.next(&mut ids).unwrap(), None);
            reader = reader.rewind().unwrap();
        }
    }

    #[test]
    fn a_truncated_varint_is_an_error() {
        assert!(get_varint(&mut &[0x80u8][..]).is_err());
        assert_eq!(get_varint(&mut &[][..]).unwrap(), None);
        assert_eq!(get_varint(&mut &[0xac, 0x02][..]).unwrap(), Some(300));
    }

    /// Read in place from a full buffer and byte by byte near its end, every value comes
    /// back, and a varint of eleven bytes is refused either way.
    #[test]
    fn varints_read_the_same_in_place_and_byte_by_byte() {
        let values = [0, 1, 127, 128, 300, 1 << 35, u64::from(u32::MAX), u64::MAX];
        let mut bytes = Vec::new();
        for &v in &values {
            put_varint(&mut bytes, v);
        }
        for capacity in [1, 3, 10, 11, 64] {
            let mut input = BufReader::with_capacity(capacity, &bytes[..]);
            for &v in &values {
                assert_eq!(
                    get_varint(&mut input).unwrap(),
                    Some(v),
                    "capacity {capacity}"
                );
            }
            assert_eq!(get_varint(&mut input).unwrap(), None);
        }
        let long = [0xffu8; 12];
        assert!(get_varint(&mut &long[..]).is_err());
        assert!(get_varint(&mut BufReader::with_capacity(4, &long[..])).is_err());
    }
}
