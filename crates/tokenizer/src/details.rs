//! Every dictionary word's part of speech and base form, decoded once when the dictionary
//! is compiled and written beside it. Segmentation reads a word's entry by its
//! id instead of decoding lindera's detail records per thread: those lie spread over
//! `dict.words` (32 MB), most of which a scoring process kept resident for a fraction of
//! its words.
//!
//! The file: [`MAGIC`], the header's length (`u32`, little-endian) and the header as JSON
//! (the word count, the parts of speech, the long base forms' length), then one
//! [`ENTRY_BYTES`]-byte entry per word id and the long base forms back to back. An entry is
//! the part of speech (`u16`), then [`NO_BASE_FORM`], [`LONG_BASE_FORM`] (followed by the
//! base form's `u32` start and `u16` length among the long ones) or the base form's length
//! followed by the base form itself: most are short, and a token then reads one entry.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use lindera::dictionary::Dictionary as LinderaDictionary;
use lindera_dictionary::util::Data;
use lindera_dictionary::viterbi::{LexType, WordId};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lexicon::Lexeme;
use crate::pos::PartOfSpeech;

/// The table's name in a compiled dictionary's directory.
pub(crate) const FILE: &str = "sagiguard-word-details.bin";
/// Names the layout; a build with another is compiled again.
pub(crate) const VERSION: &str = "word-details-2";
const MAGIC: &[u8; 8] = b"SGWD\0\0\0\x02";
const ENTRY_BYTES: usize = 16;
/// The longest base form kept inside its entry.
const INLINE_BYTES: usize = ENTRY_BYTES - 3;
/// An entry's third byte when the dictionary gives no base form: the surface is its own.
const NO_BASE_FORM: u8 = u8::MAX;
/// An entry's third byte when the base form is among the long ones.
const LONG_BASE_FORM: u8 = u8::MAX - 1;

#[derive(Serialize, Deserialize)]
struct Header {
    words: u32,
    parts_of_speech: Vec<PartOfSpeech>,
    base_form_bytes: u32,
}

/// The table of a compiled dictionary, memory-mapped.
pub(crate) struct WordDetails {
    data: Data,
    words: usize,
    entries_at: usize,
    base_forms_at: usize,
    parts_of_speech: Vec<PartOfSpeech>,
}

impl WordDetails {
    /// Decodes every system word of `dictionary` as segmentation does and writes the
    /// table to `path`.
    pub(crate) fn write(dictionary: &LinderaDictionary, path: &Path) -> Result<()> {
        let words = system_words(dictionary);
        let mut parts_of_speech: Vec<PartOfSpeech> = Vec::new();
        let mut entries = Vec::with_capacity(words * ENTRY_BYTES);
        let mut base_forms = String::new();
        // Conjugated forms share their base form: each is stored once.
        let mut stored: HashMap<String, usize> = HashMap::new();
        for id in 0..words {
            let word_id = WordId::new(LexType::System, id as u32);
            let lexeme = Lexeme::decode(dictionary, word_id);
            let pos = match parts_of_speech.iter().position(|p| *p == lexeme.pos) {
                Some(pos) => pos,
                None => {
                    parts_of_speech.push(lexeme.pos);
                    parts_of_speech.len() - 1
                }
            };
            let Ok(pos) = u16::try_from(pos) else {
                return Err(unwritable(
                    path,
                    format!("word {id} has one part of speech too many"),
                ));
            };
            let mut entry = [0u8; ENTRY_BYTES];
            entry[..2].copy_from_slice(&pos.to_le_bytes());
            match &lexeme.base_form {
                None => entry[2] = NO_BASE_FORM,
                Some(base) if base.len() <= INLINE_BYTES => {
                    entry[2] = base.len() as u8;
                    entry[3..3 + base.len()].copy_from_slice(base.as_bytes());
                }
                Some(base) => {
                    let start = *stored.entry(base.to_string()).or_insert_with(|| {
                        base_forms.push_str(base);
                        base_forms.len() - base.len()
                    });
                    let (Ok(start), Ok(len)) = (u32::try_from(start), u16::try_from(base.len()))
                    else {
                        return Err(unwritable(
                            path,
                            format!("word {id} does not fit the table"),
                        ));
                    };
                    entry[2] = LONG_BASE_FORM;
                    entry[3..7].copy_from_slice(&start.to_le_bytes());
                    entry[7..9].copy_from_slice(&len.to_le_bytes());
                }
            }
            entries.extend_from_slice(&entry);
        }
        let header = Header {
            words: u32::try_from(words)
                .map_err(|_| unwritable(path, "too many words".to_string()))?,
            parts_of_speech,
            base_form_bytes: u32::try_from(base_forms.len())
                .map_err(|_| unwritable(path, "too many base forms".to_string()))?,
        };
        let header = serde_json::to_vec(&header).expect("a header serialises");
        let header_len = u32::try_from(header.len()).expect("a header is small");
        let write = || -> std::io::Result<()> {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            file.write_all(MAGIC)?;
            file.write_all(&header_len.to_le_bytes())?;
            file.write_all(&header)?;
            file.write_all(&entries)?;
            file.write_all(base_forms.as_bytes())?;
            file.into_inner().map_err(|e| e.into_error())?.sync_all()
        };
        write().map_err(|e| Error::io(path, "write the table of word details", e))
    }

    /// Maps the table at `path` and checks that it holds together and has an entry for
    /// each system word of `dictionary`, the one it was written beside.
    pub(crate) fn open(path: &Path, dictionary: &LinderaDictionary) -> Result<WordDetails> {
        let mmap = lindera_dictionary::util::mmap_file(path).map_err(|e| Error::Load {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::from_data(Data::from(mmap), path, system_words(dictionary))
    }

    fn from_data(data: Data, path: &Path, words: usize) -> Result<WordDetails> {
        let bytes: &[u8] = &data;
        if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
            return Err(damaged(path, "it does not start as one".to_string()));
        }
        let header_len = bytes
            .get(MAGIC.len()..MAGIC.len() + 4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")) as usize)
            .ok_or_else(|| damaged(path, "its header is cut short".to_string()))?;
        let header_at = MAGIC.len() + 4;
        let header: Header = bytes
            .get(header_at..header_at.saturating_add(header_len))
            .ok_or_else(|| damaged(path, "its header is cut short".to_string()))
            .and_then(|h| {
                serde_json::from_slice(h)
                    .map_err(|e| damaged(path, format!("its header is invalid: {e}")))
            })?;
        if header.words as usize != words {
            return Err(damaged(
                path,
                format!(
                    "it describes {} words, the dictionary has {words}",
                    header.words
                ),
            ));
        }
        let entries_at = header_at + header_len;
        let base_forms_at = entries_at + words * ENTRY_BYTES;
        let end = base_forms_at + header.base_form_bytes as usize;
        if bytes.len() != end {
            return Err(damaged(
                path,
                format!("it is {} bytes, its header makes it {end}", bytes.len()),
            ));
        }
        Ok(WordDetails {
            data,
            words,
            entries_at,
            base_forms_at,
            parts_of_speech: header.parts_of_speech,
        })
    }

    /// The part of speech and base form of system word `id`; `None` for an id past the
    /// table or an entry that does not hold together (a damaged file: the caller decodes
    /// the word instead).
    #[inline]
    pub(crate) fn get(&self, id: usize) -> Option<(&PartOfSpeech, Option<&str>)> {
        if id >= self.words {
            return None;
        }
        let bytes: &[u8] = &self.data;
        let at = self.entries_at + id * ENTRY_BYTES;
        let entry: &[u8; ENTRY_BYTES] = bytes.get(at..at + ENTRY_BYTES)?.try_into().ok()?;
        let pos = self
            .parts_of_speech
            .get(usize::from(u16::from_le_bytes([entry[0], entry[1]])))?;
        let base = match entry[2] {
            NO_BASE_FORM => return Some((pos, None)),
            LONG_BASE_FORM => {
                let start = u32::from_le_bytes([entry[3], entry[4], entry[5], entry[6]]) as usize;
                let len = usize::from(u16::from_le_bytes([entry[7], entry[8]]));
                let start = self.base_forms_at + start;
                bytes.get(start..start + len)?
            }
            len => entry.get(3..3 + usize::from(len))?,
        };
        Some((pos, Some(std::str::from_utf8(base).ok()?)))
    }
}

/// How many system words `dictionary` has: its word-id index holds a `u32` per word.
fn system_words(dictionary: &LinderaDictionary) -> usize {
    dictionary.prefix_dictionary.words_idx_data.len() / 4
}

/// A table that cannot be written for this dictionary (it would not fit the layout).
fn unwritable(path: &Path, reason: String) -> Error {
    Error::io(
        path,
        "write the table of word details",
        std::io::Error::new(std::io::ErrorKind::InvalidData, reason),
    )
}

fn damaged(path: &Path, reason: String) -> Error {
    Error::WordDetails {
        path: PathBuf::from(path),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(dictionary: &LinderaDictionary) -> (tempfile::TempDir, WordDetails) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        WordDetails::write(dictionary, &path).unwrap();
        let table = WordDetails::open(&path, dictionary).unwrap();
        (dir, table)
    }

    #[test]
    fn every_word_of_ipadic_reads_as_its_record_decodes() {
        let dictionary = &crate::context_order::tests::builds().ordered.inner;
        let (_dir, table) = table_of(dictionary);
        assert!(table.words > 390_000, "{} words", table.words);
        let (mut inline, mut long, mut none) = (0, 0, 0);
        for id in 0..table.words {
            let expected = Lexeme::decode(dictionary, WordId::new(LexType::System, id as u32));
            let (pos, base) = table.get(id).unwrap_or_else(|| panic!("word {id}"));
            assert_eq!(
                (pos, base),
                (&expected.pos, expected.base_form.as_deref()),
                "word {id}"
            );
            match base {
                None => none += 1,
                Some(base) if base.len() <= INLINE_BYTES => inline += 1,
                Some(_) => long += 1,
            }
        }
        // Both kinds of base form are read (IPADIC gives every word one), and most sit
        // inside their entry.
        assert!(long > 0 && inline > 3 * long, "{inline} {long} {none}");
        assert!(table.get(table.words).is_none());
    }

    /// IPADIC gives every word a base form; a dictionary's `*` is read as none.
    #[test]
    fn a_word_without_base_form_reads_as_none() {
        let pos = PartOfSpeech::from_ipadic(&["名詞", "一般"]);
        let header = serde_json::to_vec(&Header {
            words: 2,
            parts_of_speech: vec![pos.clone()],
            base_form_bytes: 0,
        })
        .unwrap();
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&header);
        let mut none = [0u8; ENTRY_BYTES];
        none[2] = NO_BASE_FORM;
        let mut inline = [0u8; ENTRY_BYTES];
        inline[2] = 6;
        inline[3..9].copy_from_slice("開封".as_bytes());
        bytes.extend_from_slice(&none);
        bytes.extend_from_slice(&inline);
        let table = WordDetails::from_data(Data::from(bytes), Path::new(FILE), 2).unwrap();
        assert_eq!(table.get(0), Some((&pos, None)));
        assert_eq!(table.get(1), Some((&pos, Some("開封"))));
        assert_eq!(table.get(2), None);
    }

    #[test]
    fn a_table_that_does_not_hold_together_is_refused_by_name() {
        let dictionary = &crate::context_order::tests::builds().ordered.inner;
        let (dir, table) = table_of(dictionary);
        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        let refused = |bytes: Vec<u8>, words: usize| {
            let error = WordDetails::from_data(Data::from(bytes), &path, words)
                .err()
                .expect("refused")
                .to_string();
            assert!(error.contains(FILE) && error.contains("damaged"), "{error}");
            error
        };
        assert!(refused(bytes[..bytes.len() - 1].to_vec(), table.words).contains("bytes"));
        assert!(refused(bytes[..20].to_vec(), table.words).contains("header"));
        let mut magic = bytes.clone();
        magic[0] = b'X';
        refused(magic, table.words);
        assert!(refused(bytes.clone(), table.words + 1).contains("words"));
        // An entry pointing outside the table reads as nothing: the word is decoded instead.
        let mut outside = bytes.clone();
        let at = table.entries_at;
        outside[at + 2] = LONG_BASE_FORM;
        outside[at + 3..at + 7].copy_from_slice(&u32::MAX.to_le_bytes());
        let damaged = WordDetails::from_data(Data::from(outside), &path, table.words).unwrap();
        assert!(damaged.get(0).is_none());
        assert_eq!(damaged.get(1), table.get(1));
    }
}
