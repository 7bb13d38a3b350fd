//! How often segmentation reads each context id of the connection-cost matrix.
//!
//! Every word the Viterbi search adds is weighed against every word that ends where it
//! starts: one read of the matrix row of the new word's left context id, at the columns of
//! the earlier words' right context ids. IPADIC's 1,316 × 1,316 matrix is 3.4 MB read at
//! random, and a few hundred ids take nearly all the reads; lindera's builder can renumber
//! the ids by frequency so that those reads fall in a corner of the matrix that stays in
//! cache. The numbering changes no cost, so segmentation is the same either way.
//!
//! [`ContextFrequencies`] counts those reads over sample text, in the numbering of the
//! dictionary's sources whatever numbering the loaded build has, and writes them in the
//! form lindera's builder takes. The candidates are found as the lattice finds them: the
//! dictionary's words that begin at each reachable character, and the unknown-word
//! candidates of its character categories (a grouped run and the lengths up to the
//! category's own); lindera's finer rules for unknown words are not repeated, which can
//! only move a rare id by a few places.

use std::fmt::Write;

use crate::dictionary::Dictionary;
use crate::normalize::Normalizer;

/// The longest text, in characters, looked up from one position: IPADIC's longest
/// surface is far shorter, and the bound keeps a text without punctuation linear.
const LONGEST_WORD_CHARS: usize = 64;

/// The longest run of one character category followed for a grouped unknown word: longer
/// runs are rare, and counting them as this long moves no id's rank.
const LONGEST_RUN_CHARS: usize = 1024;

/// Reads of the connection-cost matrix by context id, counted over sample text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextFrequencies {
    /// By left context id: the rows read.
    left: Vec<u64>,
    /// By right context id: the cells read in those rows.
    right: Vec<u64>,
}

impl ContextFrequencies {
    /// No reads yet, sized to the dictionary's matrix.
    pub fn new(dictionary: &Dictionary) -> Self {
        let matrix = &dictionary.inner.connection_cost_matrix;
        ContextFrequencies {
            left: vec![0; matrix.backward_size as usize],
            right: vec![0; matrix.forward_size as usize],
        }
    }

    /// Counts the reads that segmenting `text`, normalised by `normalizer`, makes.
    pub fn count(&mut self, dictionary: &Dictionary, normalizer: &Normalizer, text: &str) {
        let sources = Sources::of(dictionary);
        let normalized = normalizer.normalize(text);
        let text = normalized.as_str();
        let mut start = 0;
        while start < text.len() {
            let end = crate::lexicon::sentence_end(text, start);
            self.count_sentence(dictionary, &sources, &text[start..end]);
            start = end;
        }
    }

    fn count_sentence(&mut self, dictionary: &Dictionary, sources: &Sources, sentence: &str) {
        let dict = &dictionary.inner;
        let chars: Vec<(usize, char)> = sentence.char_indices().collect();
        // The right context ids of the candidates that end at each position; BOS ends at 0.
        let mut ends: Vec<Vec<u32>> = vec![Vec::new(); chars.len() + 1];
        ends[0].push(0);
        let mut starting = Vec::new();
        for (at, &(byte, c)) in chars.iter().enumerate() {
            if ends[at].is_empty() {
                continue;
            }
            starting.clear();
            let stop = chars
                .get(at + LONGEST_WORD_CHARS)
                .map_or(sentence.len(), |&(b, _)| b);
            let rest = &sentence[byte..stop];
            for (end_byte, entry) in dict.prefix_dictionary.prefix(rest) {
                starting.push((at + rest[..end_byte].chars().count(), entry));
            }
            let found = !starting.is_empty();
            let definitions = &dict.character_definition;
            for &category in definitions.lookup_categories(c) {
                let data = definitions.lookup_definition(category);
                if !data.invoke && found {
                    continue;
                }
                let run = chars[at..]
                    .iter()
                    .take(LONGEST_RUN_CHARS)
                    .take_while(|&&(_, d)| definitions.lookup_categories(d).contains(&category))
                    .count();
                let mut lengths: Vec<usize> = (1..=(data.length as usize).min(run)).collect();
                if data.group && !lengths.contains(&run) {
                    lengths.push(run);
                }
                if lengths.is_empty() {
                    lengths.push(1);
                }
                for &id in dict.unknown_dictionary.lookup_word_ids(category) {
                    let entry = dict.unknown_dictionary.word_entry(id);
                    starting.extend(lengths.iter().map(|&len| (at + len, entry)));
                }
            }
            for &(end, entry) in &starting {
                self.read(Sources::source(&sources.left, entry.left_id()), &ends[at]);
                ends[end].push(Sources::source(&sources.right, entry.right_id()));
            }
        }
        // EOS has left context id 0.
        let last = std::mem::take(&mut ends[chars.len()]);
        self.read(0, &last);
    }

    /// One new word of left context `left` (in the sources' numbering) weighed against the
    /// words ending before it.
    fn read(&mut self, left: u32, before: &[u32]) {
        if let Some(count) = self.left.get_mut(left as usize) {
            *count += before.len() as u64;
        }
        for &right in before {
            if let Some(count) = self.right.get_mut(right as usize) {
                *count += 1;
            }
        }
    }

    /// The counts in the form lindera's builder reads (`with_context_id_freq`): the two
    /// axis sizes, then the left ids' counts, then the right ids'.
    pub fn to_lindera(&self) -> String {
        let mut out = format!("{} {}\n", self.left.len(), self.right.len());
        for row in [&self.left, &self.right] {
            let mut first = true;
            for count in row {
                if !first {
                    out.push(' ');
                }
                first = false;
                write!(out, "{count}").expect("writing to a string");
            }
            out.push('\n');
        }
        out
    }

    /// Counts written by [`to_lindera`](Self::to_lindera); what is not a count reads as 0,
    /// as lindera's builder reads it.
    pub fn parse(text: &str) -> Self {
        let mut lines = text.lines().skip(1);
        let mut row = || -> Vec<u64> {
            lines
                .next()
                .unwrap_or("")
                .split_whitespace()
                .map(|n| n.parse().unwrap_or(0))
                .collect()
        };
        let left = row();
        ContextFrequencies { left, right: row() }
    }

    /// The reads counted by left context id, in the sources' numbering.
    pub fn left(&self) -> &[u64] {
        &self.left
    }

    /// The reads counted by right context id, in the sources' numbering.
    pub fn right(&self) -> &[u64] {
        &self.right
    }
}

/// The sources' numbering of a build's context ids, so that any build gives the same
/// counts: `left[built] = source`, the same for `right`; empty for a build in the sources'
/// own numbering.
struct Sources {
    left: Vec<u16>,
    right: Vec<u16>,
}

impl Sources {
    fn of(dictionary: &Dictionary) -> Sources {
        // The build's renumbering is `perm[source] = built`.
        let inverse = |perm: &[u16]| {
            let mut inverse = vec![0; perm.len()];
            for (source, &built) in perm.iter().enumerate() {
                if let Some(slot) = inverse.get_mut(built as usize) {
                    *slot = source as u16;
                }
            }
            inverse
        };
        match &dictionary.inner.metadata.context_id_map {
            Some(map) => Sources {
                left: inverse(&map.left),
                right: inverse(&map.right),
            },
            None => Sources {
                left: Vec::new(),
                right: Vec::new(),
            },
        }
    }

    /// The sources' id of built id `id` on the axis that `inverse` numbers.
    fn source(inverse: &[u16], id: u32) -> u32 {
        inverse.get(id as usize).map_or(id, |&s| u32::from(s))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;
    use std::sync::OnceLock;

    use super::*;
    use crate::dictionary::cache::{CONTEXT_FREQUENCIES, compile};
    use crate::dictionary::{DictionaryInfo, Origin, SYSTEM_IPADIC_DIRS, lindera_load};
    use crate::tokenizer::Tokenizer;

    /// The real IPADIC compiled twice: with its context ids in their own order, and in the
    /// order of the bundled counts.
    pub(crate) struct Builds {
        plain: Dictionary,
        pub(crate) ordered: Dictionary,
        _dir: tempfile::TempDir,
    }

    fn load(dir: &Path) -> Dictionary {
        Dictionary {
            inner: lindera_load(dir).unwrap(),
            details: None,
            info: DictionaryInfo {
                origin: Origin::Compiled,
                path: Some(dir.to_path_buf()),
                fingerprint: String::new(),
            },
        }
    }

    /// The system IPADIC compiled in the sources' order and in the bundled one, once per
    /// test process.
    pub(crate) fn builds() -> &'static Builds {
        static BUILDS: OnceLock<Builds> = OnceLock::new();
        BUILDS.get_or_init(|| {
            let source = SYSTEM_IPADIC_DIRS
                .iter()
                .map(Path::new)
                .find(|dir| dir.join("matrix.def").exists())
                .expect("these tests need Debian's mecab-ipadic sources");
            let dir = tempfile::tempdir().unwrap();
            let (plain, ordered) = (dir.path().join("plain"), dir.path().join("ordered"));
            let counts = dir.path().join("counts.txt");
            std::fs::write(&counts, CONTEXT_FREQUENCIES).unwrap();
            compile(source, &plain, None).unwrap();
            compile(source, &ordered, Some(&counts)).unwrap();
            Builds {
                plain: load(&plain),
                ordered: load(&ordered),
                _dir: dir,
            }
        })
    }

    fn corpus(file: &str) -> Vec<String> {
        let path = format!("{}/../../data/{file}", env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            for field in ["subject", "from", "body"] {
                if let Some(text) = row[field].as_str() {
                    texts.push(text.to_string());
                }
            }
        }
        texts
    }

    fn counted(dictionary: &Dictionary, texts: &[String]) -> ContextFrequencies {
        let mut counts = ContextFrequencies::new(dictionary);
        for text in texts {
            counts.count(dictionary, &Normalizer::default(), text);
        }
        counts
    }

    /// The share of `reads` that the `top` ids ranked first by `ranking` take.
    fn covered(ranking: &[u64], reads: &[u64], top: usize) -> f64 {
        let mut ids: Vec<usize> = (1..ranking.len()).collect();
        ids.sort_by_key(|&id| (std::cmp::Reverse(ranking[id]), id));
        let hit: u64 = ids[..top].iter().map(|&id| reads[id]).sum();
        hit as f64 / reads[1..].iter().sum::<u64>() as f64
    }

    #[test]
    fn the_reordered_matrix_holds_the_same_costs() {
        let Builds { plain, ordered, .. } = builds();
        let map = ordered.inner.metadata.context_id_map.as_ref().unwrap();
        assert!(plain.inner.metadata.context_id_map.is_none());
        let (a, b) = (
            &plain.inner.connection_cost_matrix,
            &ordered.inner.connection_cost_matrix,
        );
        assert_eq!((a.forward_size, a.backward_size), (1316, 1316));
        for left in 0..a.backward_size {
            for right in 0..a.forward_size {
                let moved = b.cost(
                    u32::from(map.right[right as usize]),
                    u32::from(map.left[left as usize]),
                );
                assert_eq!(a.cost(right, left), moved, "left {left}, right {right}");
            }
        }
        // Renumbered, most read first: the ids the counts rank first are now 1.
        let bundled = ContextFrequencies::parse(CONTEXT_FREQUENCIES);
        let first = |counts: &[u64]| {
            (1..counts.len()).max_by_key(|&id| (counts[id], std::cmp::Reverse(id)))
        };
        assert_eq!(map.left[first(&bundled.left).unwrap()], 1);
        assert_eq!(map.right[first(&bundled.right).unwrap()], 1);
        assert!(
            map.left
                .iter()
                .enumerate()
                .any(|(id, &to)| id != to as usize)
        );
    }

    #[test]
    fn segmentation_is_the_same_in_either_order() {
        let Builds { plain, ordered, .. } = builds();
        let (plain, ordered) = (
            Tokenizer::new(load(plain.info.path.as_deref().unwrap())),
            Tokenizer::new(load(ordered.info.path.as_deref().unwrap())),
        );
        let mut tokens = 0;
        for file in ["train.jsonl", "test.jsonl"] {
            for text in corpus(file) {
                let expected = plain.tokenize(&text);
                assert_eq!(ordered.tokenize(&text), expected, "data/{file}: {text}");
                tokens += expected.len();
            }
        }
        assert!(tokens > 300_000, "{tokens} tokens");
    }

    #[test]
    fn reads_are_counted_in_the_numbering_of_the_sources() {
        let Builds { plain, ordered, .. } = builds();
        let texts = corpus("test.jsonl");
        let counts = counted(plain, &texts);
        assert_eq!(counted(ordered, &texts), counts);
        assert!(counts.left().iter().sum::<u64>() > 1_000_000);
        assert_eq!(
            counts.left().iter().sum::<u64>(),
            counts.right().iter().sum::<u64>(),
            "every read has a row and a cell"
        );
        assert_eq!(ContextFrequencies::parse(&counts.to_lindera()), counts);
    }

    /// The bundled counts come from data/train.jsonl; on the held-out split the ids they
    /// rank first take most reads, so the order is one of Japanese mail, not of one file.
    #[test]
    fn the_bundled_order_puts_held_out_reads_first() {
        let bundled = ContextFrequencies::parse(CONTEXT_FREQUENCIES);
        assert_eq!((bundled.left.len(), bundled.right.len()), (1316, 1316));
        let held_out = counted(&builds().plain, &corpus("test.jsonl"));
        for (ranking, reads) in [
            (&bundled.left, &held_out.left),
            (&bundled.right, &held_out.right),
        ] {
            let share = covered(ranking, reads, 128);
            assert!(
                share > 0.85,
                "the first 128 ids take {share:.3} of the reads"
            );
            // An order of the ids alone takes a small part.
            let by_id: Vec<u64> = (0..ranking.len() as u64).rev().collect();
            assert!(covered(&by_id, reads, 128) < share - 0.3);
        }
    }
}
