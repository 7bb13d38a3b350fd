//! The features a model knows, chosen on its training mail.

use std::collections::HashMap;

use sagiguard_corpus::Label;
use serde::{Deserialize, Serialize};

use crate::config::{CheckedFeatureConfig, Selection};
use crate::error::{Error, Result};
use crate::extract::Extraction;

/// Past this many distinct features the builder forgets those seen in a single mail, so
/// memory stays bounded on any corpus.
const PRUNE_AT: usize = 4_000_000;

/// Feature names and their indices, with the document frequency of each per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "VocabularyFile", into = "VocabularyFile")]
pub struct Vocabulary {
    names: Vec<String>,
    /// Mails containing the feature: `[ham, scam]`.
    doc_freq: Vec<[u32; 2]>,
    index: HashMap<String, u32>,
}

#[derive(Serialize, Deserialize)]
struct VocabularyFile {
    names: Vec<String>,
    doc_freq: Vec<[u32; 2]>,
}

impl TryFrom<VocabularyFile> for Vocabulary {
    type Error = String;

    fn try_from(file: VocabularyFile) -> std::result::Result<Self, String> {
        if file.names.len() != file.doc_freq.len() {
            return Err(format!(
                "{} names but {} document frequencies",
                file.names.len(),
                file.doc_freq.len()
            ));
        }
        Ok(Vocabulary::new(file.names, file.doc_freq))
    }
}

impl From<Vocabulary> for VocabularyFile {
    fn from(v: Vocabulary) -> Self {
        VocabularyFile {
            names: v.names,
            doc_freq: v.doc_freq,
        }
    }
}

impl Vocabulary {
    fn new(names: Vec<String>, doc_freq: Vec<[u32; 2]>) -> Self {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Vocabulary {
            names,
            doc_freq,
            index,
        }
    }

    /// The number of features.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The index of a feature name.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The name at an index.
    pub fn name(&self, index: u32) -> Option<&str> {
        self.names.get(index as usize).map(String::as_str)
    }

    /// How many training mails of each class (`[ham, scam]`) contained the feature.
    pub fn doc_freq(&self, index: u32) -> Option<[u32; 2]> {
        self.doc_freq.get(index as usize).copied()
    }
}

/// Counts document frequencies per class over a stream of mails, then chooses.
///
/// Feature names are interned: [`VocabularyBuilder::intern`] gives each mail's features as
/// ids, so a trainer can keep mails as compact id lists (or spill them to disk) and map them
/// to the vocabulary that [`VocabularyBuilder::build_with_ids`] chooses afterwards.
#[derive(Debug, Default)]
pub struct VocabularyBuilder {
    ids: HashMap<Box<str>, u32>,
    /// Mails containing each id: `[ham, scam]`. Ids of pruned names keep their slot.
    df: Vec<[u32; 2]>,
    mails: [u32; 2],
}

impl VocabularyBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        VocabularyBuilder::default()
    }

    /// Counts one labeled mail.
    pub fn add(&mut self, extraction: &Extraction, label: Label) {
        self.intern(extraction, label, &mut Vec::new());
    }

    /// Counts one labeled mail and writes its features to `out` as `(id, count)` pairs.
    pub fn intern(&mut self, extraction: &Extraction, label: Label, out: &mut Vec<(u32, u32)>) {
        let class = usize::from(label == Label::Scam);
        self.mails[class] += 1;
        out.clear();
        for (name, count) in &extraction.features {
            let id = match self.ids.get(name.as_str()) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.df.len()).expect("fewer than 2^32 feature ids");
                    self.df.push([0, 0]);
                    self.ids.insert(name.as_str().into(), id);
                    id
                }
            };
            self.df[id as usize][class] += 1;
            out.push((id, *count));
        }
        if self.ids.len() > PRUNE_AT {
            let df = &self.df;
            self.ids.retain(|_, id| {
                let c = df[*id as usize];
                c[0] + c[1] > 1
            });
        }
    }

    /// Keeps features in at least `min_df` mails, then the `max_features` best by the
    /// configured selection (signal features always stay). Ties break by name, so the same
    /// corpus gives the same vocabulary.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyCorpus`] when no mail was added.
    pub fn build(self, config: &CheckedFeatureConfig) -> Result<Vocabulary> {
        self.build_with_ids(config)
            .map(|(vocabulary, _)| vocabulary)
    }

    /// As [`VocabularyBuilder::build`], with the vocabulary index of every interned id
    /// (`None` for a feature left out).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyCorpus`] when no mail was added.
    pub fn build_with_ids(
        self,
        config: &CheckedFeatureConfig,
    ) -> Result<(Vocabulary, Vec<Option<u32>>)> {
        let [ham, scam] = self.mails.map(f64::from);
        if ham + scam == 0.0 {
            return Err(Error::EmptyCorpus);
        }
        let df = self.df;
        let mut candidates: Vec<(Box<str>, u32, [u32; 2], f64)> = self
            .ids
            .into_iter()
            .map(|(name, id)| (name, id, df[id as usize]))
            .filter(|(name, _, c)| c[0] + c[1] >= config.min_df || name.starts_with("signal:"))
            .map(|(name, id, c)| {
                let score = match config.selection {
                    Selection::DocumentFrequency => f64::from(c[0] + c[1]),
                    Selection::ChiSquared => {
                        chi_squared(f64::from(c[1]), f64::from(c[0]), scam, ham)
                    }
                };
                (name, id, c, score)
            })
            .collect();
        candidates.sort_by(|a, b| {
            let signal = |n: &str| !n.starts_with("signal:");
            signal(&a.0)
                .cmp(&signal(&b.0))
                .then(b.3.total_cmp(&a.3))
                .then((b.2[0] + b.2[1]).cmp(&(a.2[0] + a.2[1])))
                .then(a.0.cmp(&b.0))
        });
        candidates.truncate(config.max_features);
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let mut index_of_id = vec![None; df.len()];
        let mut names = Vec::with_capacity(candidates.len());
        let mut doc_freq = Vec::with_capacity(candidates.len());
        for (index, (name, id, c, _)) in candidates.into_iter().enumerate() {
            index_of_id[id as usize] = Some(index as u32);
            names.push(name.into_string());
            doc_freq.push(c);
        }
        Ok((Vocabulary::new(names, doc_freq), index_of_id))
    }
}

/// Chi-squared statistic of a 2x2 table: a feature in `a` of `scams` scam mails and `b` of
/// `hams` ham mails.
fn chi_squared(a: f64, b: f64, scams: f64, hams: f64) -> f64 {
    let n = scams + hams;
    let present = a + b;
    let absent = n - present;
    let denominator = scams * hams * present * absent;
    if denominator == 0.0 {
        return 0.0;
    }
    let d = a * (hams - b) - b * (scams - a);
    n * d * d / denominator
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FeatureConfig;

    fn extraction(names: &[&str]) -> Extraction {
        Extraction {
            features: names.iter().map(|n| (n.to_string(), 1)).collect(),
            signals: Vec::new(),
        }
    }

    #[test]
    fn chi_squared_prefers_features_that_separate() {
        let mut builder = VocabularyBuilder::new();
        for _ in 0..10 {
            builder.add(&extraction(&["body:入金", "body:の"]), Label::Scam);
            builder.add(&extraction(&["body:会議", "body:の"]), Label::Ham);
        }
        builder.add(&extraction(&["body:一度だけ"]), Label::Ham);
        let config = FeatureConfig {
            max_features: 2,
            ..FeatureConfig::default()
        }
        .check()
        .unwrap();
        let vocab = builder.build(&config).unwrap();
        assert_eq!(vocab.names, ["body:会議", "body:入金"]);
        assert_eq!(
            vocab.doc_freq(vocab.index_of("body:入金").unwrap()),
            Some([0, 10])
        );
    }

    #[test]
    fn interned_ids_map_to_the_chosen_vocabulary() {
        let mut builder = VocabularyBuilder::new();
        let mut ids = Vec::new();
        builder.intern(&extraction(&["body:a", "body:b"]), Label::Scam, &mut ids);
        assert_eq!(ids, [(0, 1), (1, 1)]);
        builder.intern(&extraction(&["body:b", "body:c"]), Label::Ham, &mut ids);
        assert_eq!(ids, [(1, 1), (2, 1)]);
        let config = FeatureConfig {
            min_df: 2,
            ..FeatureConfig::default()
        }
        .check()
        .unwrap();
        let (vocab, index_of_id) = builder.build_with_ids(&config).unwrap();
        // min_df 2 keeps only body:b, seen in both mails.
        assert_eq!(vocab.names, ["body:b"]);
        assert_eq!(index_of_id, [None, Some(0), None]);
    }

    #[test]
    fn round_trips_through_serde_with_its_index() {
        let vocab = Vocabulary::new(vec!["a".into(), "b".into()], vec![[1, 0], [0, 2]]);
        let json = serde_json::to_string(&vocab).unwrap();
        let back: Vocabulary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vocab);
        assert_eq!(back.index_of("b"), Some(1));
        assert!(serde_json::from_str::<Vocabulary>(r#"{"names":["a"],"doc_freq":[]}"#).is_err());
    }

    #[test]
    fn an_empty_corpus_is_an_error() {
        let config = FeatureConfig::default().check().unwrap();
        assert!(matches!(
            VocabularyBuilder::new().build(&config),
            Err(Error::EmptyCorpus)
        ));
    }
}
