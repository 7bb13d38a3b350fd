//! The features a model has seen, counted, and those it scores with, chosen from the counts.

use std::collections::HashMap;
use std::hash::BuildHasher;

use sagiguard_corpus::Label;
use serde::{Deserialize, Serialize};

use crate::config::{CheckedFeatureConfig, CountMode, Selection};
use crate::error::{Error, Result};
use crate::extract::Extraction;

/// Feature names and their indices, with the document frequency of each per class.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "VocabularyFile", into = "VocabularyFile")]
pub struct Vocabulary {
    names: Names,
    /// Mails containing the feature: `[ham, scam]`.
    doc_freq: Vec<[u32; 2]>,
    /// Ids hashed by their names: the names are not copied into a map's keys, which cost
    /// a one-mail process 20,000 allocations while the model loads.
    index: hashbrown::HashTable<Slot>,
    hasher: foldhash::fast::RandomState,
    /// A bit per feature: whether it is content ([`crate::is_content`]), asked per feature of
    /// every mail scored.
    content: Vec<u64>,
}

/// A feature in the index: its id and where its name lies in the names' buffer, so that a
/// hit compares the name without first reading where it ends (a cache miss of its own).
#[derive(Debug, Clone, Copy)]
struct Slot {
    id: u32,
    start: u32,
    len: u32,
}

impl Slot {
    /// The slot's name in the names' buffer `text`.
    fn name<'t>(&self, text: &'t [u8]) -> Option<&'t [u8]> {
        let start = self.start as usize;
        text.get(start..start + self.len as usize)
    }
}

/// Equal names and counts: the index is made from the names.
impl PartialEq for Vocabulary {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names && self.doc_freq == other.doc_freq
    }
}

/// Names one after another in one buffer: a name found in the index is compared where its
/// neighbours lie, not behind a pointer of its own (a string each took a cache line and a
/// pointer to follow per hit, and an allocation each while a model loaded). Stored as a
/// sequence of strings.
#[derive(Debug, Clone, Default, PartialEq)]
struct Names {
    text: String,
    /// Where each name ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl Names {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Where name `i` lies in `text`.
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(i)? as usize;
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        Some(start..end)
    }

    fn get(&self, i: usize) -> Option<&str> {
        self.text.get(self.range(i)?)
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Appends a name; `false` when the buffer would pass 4 GiB (the ends are `u32`).
    fn push(&mut self, name: &str) -> bool {
        let Ok(end) = u32::try_from(self.text.len() + name.len()) else {
            return false;
        };
        self.text.push_str(name);
        self.ends.push(end);
        true
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        // The length first: postcard writes it before the names.
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for name in self.iter() {
            seq.serialize_element(name)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        use serde::de::{DeserializeSeed, Error, SeqAccess, Visitor};
        use std::fmt;

        /// Reads one name straight into the buffer, without a string of its own.
        struct Push<'a>(&'a mut Names);
        impl<'de> DeserializeSeed<'de> for Push<'_> {
            type Value = bool;
            fn deserialize<D: serde::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> std::result::Result<bool, D::Error> {
                deserializer.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Push<'_> {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a feature name")
            }
            fn visit_str<E: Error>(self, name: &str) -> std::result::Result<bool, E> {
                Ok(self.0.push(name))
            }
        }
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence of feature names")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Names, A::Error> {
                let mut names = Names::default();
                // A hint is the file's word: bounded, so that a corrupt length reserves nothing.
                names
                    .ends
                    .reserve(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(fits) = seq.next_element_seed(Push(&mut names))? {
                    if !fits {
                        return Err(A::Error::custom("the feature names pass 4 GiB"));
                    }
                }
                Ok(names)
            }
        }
        deserializer.deserialize_seq(Seq)
    }
}

#[derive(Serialize, Deserialize)]
struct VocabularyFile {
    names: Names,
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
        Vocabulary::with_names(file.names, file.doc_freq)
            .map_err(|name| format!("feature {name:?} is listed twice"))
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
    /// A vocabulary of distinct names, or the first name listed twice.
    fn new(names: Vec<String>, doc_freq: Vec<[u32; 2]>) -> std::result::Result<Self, String> {
        let mut packed = Names::default();
        for name in &names {
            // Only a vocabulary of more than 4 GiB of names fails here.
            assert!(packed.push(name), "feature names fit in 4 GiB");
        }
        Self::with_names(packed, doc_freq)
    }

    fn with_names(names: Names, doc_freq: Vec<[u32; 2]>) -> std::result::Result<Self, String> {
        let hasher = foldhash::fast::RandomState::default();
        let mut index = hashbrown::HashTable::with_capacity(names.len());
        let text = names.text.as_bytes();
        let mut content = vec![0u64; names.len().div_ceil(64)];
        for i in 0..names.len() {
            let range = names.range(i).expect("every index has a name");
            let name = &names.text[range.clone()];
            if crate::is_content(name) {
                content[i / 64] |= 1 << (i % 64);
            }
            let hash = hasher.hash_one(name.as_bytes());
            match index.entry(
                hash,
                |slot: &Slot| slot.name(text) == Some(name.as_bytes()),
                |slot: &Slot| hasher.hash_one(slot.name(text).unwrap_or_default()),
            ) {
                hashbrown::hash_table::Entry::Occupied(_) => return Err(name.to_string()),
                hashbrown::hash_table::Entry::Vacant(vacant) => {
                    // Names fit in 4 GiB (the ends are `u32`): so do their starts and lengths.
                    vacant.insert(Slot {
                        id: i as u32,
                        start: range.start as u32,
                        len: range.len() as u32,
                    });
                }
            }
        }
        Ok(Vocabulary {
            names,
            doc_freq,
            index,
            hasher,
            content,
        })
    }

    /// The number of features.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.names.len() == 0
    }

    /// The index of a feature name.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        let name = name.as_bytes();
        let hash = self.hasher.hash_one(name);
        let text = self.names.text.as_bytes();
        self.index
            .find(hash, |slot| slot.name(text) == Some(name))
            .map(|slot| slot.id)
    }

    /// Whether the feature at an index says something about what a mail says or where it
    /// comes from ([`crate::is_content`]); `false` past the end.
    pub fn is_content(&self, index: u32) -> bool {
        let i = index as usize;
        self.content
            .get(i / 64)
            .is_some_and(|bits| bits & (1 << (i % 64)) != 0)
    }

    /// The name at an index.
    pub fn name(&self, index: u32) -> Option<&str> {
        self.names.get(index as usize)
    }

    /// How many training mails of each class (`[ham, scam]`) contained the feature.
    pub fn doc_freq(&self, index: u32) -> Option<[u32; 2]> {
        self.doc_freq.get(index as usize).copied()
    }
}

/// Past this many stored features the rarest are forgotten (bogofilter and rspamd expire
/// tokens the same way), so a model that keeps learning stays bounded: at most this many
/// names and counts are kept, and pruning takes them down to nine tenths of it.
pub const MAX_STORED_FEATURES: usize = 500_000;

/// Every feature seen in training and learning, with per-label document frequencies and
/// per-class summed values: what the vocabulary is chosen from and what learning adds to
/// and takes from. Kept inside a model so that it can learn words it has never seen.
///
/// A feature has an id, its slot; ids stay put while mails are added (a streaming trainer
/// spills mails as ids), and slots of pruned or forgotten features are reclaimed when the
/// counts are saved. Summed values are exact as long as they stay below 2^29 per feature
/// (f32 values summed in f64), so adding a mail and removing it again gives back the very
/// same counts.
#[derive(Debug, Clone, Default)]
pub struct FeatureCounts {
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
    /// Mails containing each feature: `[ham, scam]`; `[0, 0]` marks a free slot.
    doc_freq: Vec<[u32; 2]>,
    /// Per class, per feature: the summed values.
    sums: Vec<Vec<f64>>,
    /// Mails per class.
    class_mails: Vec<u64>,
    /// Mails per label: `[ham, scam]`.
    label_mails: [u64; 2],
    /// Features dropped by the size cap since the counts began.
    pruned: u64,
}

/// The stored form: free slots left out.
#[derive(Serialize, Deserialize)]
struct CountsFile {
    names: Vec<String>,
    doc_freq: Vec<[u32; 2]>,
    sums: Vec<Vec<f64>>,
    class_mails: Vec<u64>,
    label_mails: [u64; 2],
    pruned: u64,
}

impl Serialize for FeatureCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let live: Vec<usize> = (0..self.names.len()).filter(|&i| self.live(i)).collect();
        CountsFile {
            names: live.iter().map(|&i| self.names[i].to_string()).collect(),
            doc_freq: live.iter().map(|&i| self.doc_freq[i]).collect(),
            sums: self
                .sums
                .iter()
                .map(|class| live.iter().map(|&i| class[i]).collect())
                .collect(),
            class_mails: self.class_mails.clone(),
            label_mails: self.label_mails,
            pruned: self.pruned,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for FeatureCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let file = CountsFile::deserialize(d)?;
        let n = file.names.len();
        if file.doc_freq.len() != n || file.sums.iter().any(|s| s.len() != n) {
            return Err(D::Error::custom(format!(
                "{n} feature names but {} document frequencies and sums of {:?}",
                file.doc_freq.len(),
                file.sums.iter().map(Vec::len).collect::<Vec<_>>()
            )));
        }
        if file.sums.len() != file.class_mails.len() {
            return Err(D::Error::custom(format!(
                "sums for {} classes, mail counts for {}",
                file.sums.len(),
                file.class_mails.len()
            )));
        }
        if let Some(i) = file.doc_freq.iter().position(|c| c[0] == 0 && c[1] == 0) {
            return Err(D::Error::custom(format!(
                "feature {:?} is in no mail",
                file.names[i]
            )));
        }
        if let Some(bad) = file
            .sums
            .iter()
            .flatten()
            .find(|v| !(v.is_finite() && **v >= 0.0))
        {
            return Err(D::Error::custom(format!(
                "summed value {bad} is not a finite number >= 0"
            )));
        }
        let names: Vec<Box<str>> = file.names.into_iter().map(String::into_boxed_str).collect();
        let mut index = HashMap::with_capacity(n);
        for (i, name) in names.iter().enumerate() {
            if index.insert(name.clone(), i as u32).is_some() {
                return Err(D::Error::custom(format!(
                    "feature {name:?} is stored twice"
                )));
            }
        }
        Ok(FeatureCounts {
            names,
            index,
            doc_freq: file.doc_freq,
            sums: file.sums,
            class_mails: file.class_mails,
            label_mails: file.label_mails,
            pruned: file.pruned,
        })
    }
}

impl PartialEq for FeatureCounts {
    /// Equal when they count the same features the same way, whatever their slots.
    fn eq(&self, other: &Self) -> bool {
        fn entries(c: &FeatureCounts) -> Vec<(&str, [u32; 2], Vec<u64>)> {
            let mut e: Vec<(&str, [u32; 2], Vec<u64>)> = (0..c.names.len())
                .filter(|&i| c.live(i))
                .map(|i| {
                    (
                        &*c.names[i],
                        c.doc_freq[i],
                        c.sums.iter().map(|s| s[i].to_bits()).collect(),
                    )
                })
                .collect();
            e.sort_by(|a, b| a.0.cmp(b.0));
            e
        }
        self.class_mails == other.class_mails
            && self.label_mails == other.label_mails
            && self.pruned == other.pruned
            && entries(self) == entries(other)
    }
}

impl FeatureCounts {
    /// No mail counted yet.
    pub fn new() -> Self {
        FeatureCounts::default()
    }

    fn live(&self, id: usize) -> bool {
        let c = self.doc_freq[id];
        c[0] > 0 || c[1] > 0
    }

    /// Features stored.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no feature is stored.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Mails counted per class.
    pub fn class_mails(&self) -> &[u64] {
        &self.class_mails
    }

    /// Mails counted per label: `[ham, scam]`.
    pub fn label_mails(&self) -> [u64; 2] {
        self.label_mails
    }

    /// The id of a stored feature.
    pub fn index_of_name(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// Features dropped by the size cap since the counts began.
    pub fn pruned(&self) -> u64 {
        self.pruned
    }

    fn ensure_class(&mut self, class: usize) {
        while self.sums.len() <= class {
            self.sums.push(vec![0.0; self.names.len()]);
            self.class_mails.push(0);
        }
    }

    /// Counts one mail of `class` (whose label is `label`), its values transformed as
    /// `counts` says, and writes its features to `ids` as `(id, count)` pairs.
    pub fn add(
        &mut self,
        extraction: &Extraction,
        class: usize,
        label: Label,
        counts: CountMode,
        ids: &mut Vec<(u32, u32)>,
    ) {
        self.ensure_class(class);
        let side = usize::from(label == Label::Scam);
        self.class_mails[class] += 1;
        self.label_mails[side] += 1;
        ids.clear();
        for (name, count) in &extraction.features {
            let id = match self.index.get(name.as_str()) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.names.len()).expect("fewer than 2^32 features");
                    let name: Box<str> = name.as_str().into();
                    self.names.push(name.clone());
                    self.index.insert(name, id);
                    self.doc_freq.push([0, 0]);
                    self.sums.iter_mut().for_each(|s| s.push(0.0));
                    id
                }
            };
            let i = id as usize;
            self.doc_freq[i][side] += 1;
            self.sums[class][i] += f64::from(counts.value(*count));
            ids.push((id, *count));
        }
    }

    /// Takes back one mail that [`FeatureCounts::add`] counted with the same arguments.
    /// Features left in no mail are dropped; features no longer stored (pruned since) are
    /// passed over. `false`, changing nothing, when the class holds no mail.
    pub fn remove(
        &mut self,
        extraction: &Extraction,
        class: usize,
        label: Label,
        counts: CountMode,
    ) -> bool {
        let side = usize::from(label == Label::Scam);
        if class >= self.class_mails.len()
            || self.class_mails[class] == 0
            || self.label_mails[side] == 0
        {
            return false;
        }
        self.class_mails[class] -= 1;
        self.label_mails[side] -= 1;
        for (name, count) in &extraction.features {
            let Some(&id) = self.index.get(name.as_str()) else {
                continue;
            };
            let id = id as usize;
            if self.doc_freq[id][side] == 0 {
                continue;
            }
            self.doc_freq[id][side] -= 1;
            let sum = &mut self.sums[class][id];
            // Exact while the sums are in range; the clamp only guards a damaged model.
            *sum = (*sum - f64::from(counts.value(*count))).max(0.0);
            if !self.live(id) {
                self.free(id);
            }
        }
        true
    }

    fn free(&mut self, id: usize) {
        let name = std::mem::take(&mut self.names[id]);
        self.index.remove(&name);
        self.doc_freq[id] = [0, 0];
        self.sums.iter_mut().for_each(|s| s[id] = 0.0);
    }

    /// Adds another set of counts to these (a merge of models): classes by index.
    pub fn merge(&mut self, other: &FeatureCounts) {
        if let Some(last) = other.class_mails.len().checked_sub(1) {
            self.ensure_class(last);
        }
        for (class, n) in other.class_mails.iter().enumerate() {
            self.class_mails[class] += n;
        }
        self.label_mails[0] += other.label_mails[0];
        self.label_mails[1] += other.label_mails[1];
        self.pruned += other.pruned;
        for j in (0..other.names.len()).filter(|&j| other.live(j)) {
            let name = &other.names[j];
            let id = match self.index.get(name) {
                Some(&id) => id as usize,
                None => {
                    let id = self.names.len();
                    self.names.push(name.clone());
                    self.index.insert(name.clone(), id as u32);
                    self.doc_freq.push([0, 0]);
                    self.sums.iter_mut().for_each(|s| s.push(0.0));
                    id
                }
            };
            self.doc_freq[id][0] += other.doc_freq[j][0];
            self.doc_freq[id][1] += other.doc_freq[j][1];
            for (class, sums) in other.sums.iter().enumerate() {
                self.sums[class][id] += sums[j];
            }
        }
    }

    /// Folds class `k` into class `map[k]` of `classes` classes (a streaming trainer knows
    /// its classes only at the end).
    pub fn remap_classes(&mut self, map: &[usize], classes: usize) {
        let n = self.names.len();
        let mut sums = vec![vec![0.0; n]; classes];
        let mut mails = vec![0; classes];
        for (k, old) in self.sums.iter().enumerate() {
            let to = map[k];
            mails[to] += self.class_mails[k];
            for (s, v) in sums[to].iter_mut().zip(old) {
                *s += v;
            }
        }
        self.sums = sums;
        self.class_mails = mails;
    }

    /// Drops the rarest features (fewest mails, then by name; signal features stay) down
    /// to nine tenths of `cap` when more than `cap` are stored. Returns how many went.
    pub fn prune(&mut self, cap: usize) -> usize {
        if self.len() <= cap {
            return 0;
        }
        let mut live: Vec<(u32, &str, usize)> = (0..self.names.len())
            .filter(|&i| self.live(i) && !self.names[i].starts_with("signal:"))
            .map(|i| {
                (
                    self.doc_freq[i][0] + self.doc_freq[i][1],
                    &*self.names[i],
                    i,
                )
            })
            .collect();
        let excess = self.len() - cap * 9 / 10;
        live.sort_unstable();
        let doomed: Vec<usize> = live.iter().take(excess).map(|e| e.2).collect();
        for &id in &doomed {
            self.free(id);
        }
        self.pruned += doomed.len() as u64;
        doomed.len()
    }

    /// Reclaims free slots; returns each old id's new id.
    pub fn compact(&mut self) -> Vec<Option<u32>> {
        let mut map = vec![None; self.names.len()];
        let mut next = 0usize;
        for (id, new) in map.iter_mut().enumerate() {
            // Slots before `id` from `next` on are free: swapping one in moves nothing live.
            if self.live(id) {
                *new = Some(next as u32);
                self.names.swap(next, id);
                self.doc_freq.swap(next, id);
                self.sums.iter_mut().for_each(|s| s.swap(next, id));
                next += 1;
            }
        }
        self.names.truncate(next);
        self.doc_freq.truncate(next);
        self.sums.iter_mut().for_each(|s| s.truncate(next));
        for (id, name) in self.names.iter().enumerate() {
            if let Some(slot) = self.index.get_mut(name) {
                *slot = id as u32;
            }
        }
        map
    }

    /// The summed values of `class` over a vocabulary chosen from these counts: the
    /// feature counts a naive-Bayes fit on the same mails would have.
    pub fn class_sums(&self, class: usize, vocabulary: &Vocabulary) -> Vec<f64> {
        vocabulary
            .names
            .iter()
            .map(|name| {
                self.index
                    .get(name)
                    .and_then(|&id| self.sums.get(class).map(|s| s[id as usize]))
                    .unwrap_or(0.0)
            })
            .collect()
    }

    /// Keeps features in at least `min_df` mails, then the `max_features` best by the
    /// configured selection (signal features always stay). Ties break by name, so the same
    /// counts give the same vocabulary.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyCorpus`] when no mail was counted.
    pub fn select(&self, config: &CheckedFeatureConfig) -> Result<Vocabulary> {
        self.select_with_ids(config)
            .map(|(vocabulary, _)| vocabulary)
    }

    /// As [`FeatureCounts::select`], with the vocabulary index of every id (`None` for a
    /// feature left out).
    ///
    /// # Errors
    ///
    /// [`Error::EmptyCorpus`] when no mail was counted.
    pub fn select_with_ids(
        &self,
        config: &CheckedFeatureConfig,
    ) -> Result<(Vocabulary, Vec<Option<u32>>)> {
        let [ham, scam] = self.label_mails.map(|n| n as f64);
        if ham + scam == 0.0 {
            return Err(Error::EmptyCorpus);
        }
        let mut candidates: Vec<(&str, usize, [u32; 2], f64)> = (0..self.names.len())
            .filter(|&i| self.live(i))
            .map(|i| (&*self.names[i], i, self.doc_freq[i]))
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
        let order = |a: &(&str, usize, [u32; 2], f64), b: &(&str, usize, [u32; 2], f64)| {
            let signal = |n: &str| !n.starts_with("signal:");
            signal(a.0)
                .cmp(&signal(b.0))
                .then(b.3.total_cmp(&a.3))
                .then((b.2[0] + b.2[1]).cmp(&(a.2[0] + a.2[1])))
                .then(a.0.cmp(b.0))
        };
        // Only the kept part needs its order: a learned model has many times more
        // candidates than vocabulary.
        if candidates.len() > config.max_features && config.max_features > 0 {
            candidates.select_nth_unstable_by(config.max_features - 1, order);
        }
        candidates.truncate(config.max_features);
        candidates.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut index_of_id = vec![None; self.names.len()];
        let mut names = Vec::with_capacity(candidates.len());
        let mut doc_freq = Vec::with_capacity(candidates.len());
        for (index, (name, id, c, _)) in candidates.into_iter().enumerate() {
            index_of_id[id] = Some(index as u32);
            names.push(name.to_string());
            doc_freq.push(c);
        }
        let vocabulary = Vocabulary::new(names, doc_freq).expect("counted names are distinct");
        Ok((vocabulary, index_of_id))
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

    fn add(counts: &mut FeatureCounts, names: &[&str], label: Label) -> Vec<(u32, u32)> {
        let mut ids = Vec::new();
        let class = usize::from(label == Label::Scam);
        counts.add(
            &extraction(names),
            class,
            label,
            CountMode::Binary,
            &mut ids,
        );
        ids
    }

    #[test]
    fn chi_squared_prefers_features_that_separate() {
        let mut counts = FeatureCounts::new();
        for _ in 0..10 {
            add(&mut counts, &["body:入金", "body:の"], Label::Scam);
            add(&mut counts, &["body:会議", "body:の"], Label::Ham);
        }
        add(&mut counts, &["body:一度だけ"], Label::Ham);
        let config = FeatureConfig {
            max_features: 2,
            ..FeatureConfig::default()
        }
        .check()
        .unwrap();
        let vocab = counts.select(&config).unwrap();
        assert_eq!(
            vocab.names.iter().collect::<Vec<_>>(),
            ["body:会議", "body:入金"]
        );
        assert_eq!(
            vocab.doc_freq(vocab.index_of("body:入金").unwrap()),
            Some([0, 10])
        );
        assert_eq!(counts.class_sums(1, &vocab), [0.0, 10.0]);
    }

    #[test]
    fn interned_ids_map_to_the_chosen_vocabulary() {
        let mut counts = FeatureCounts::new();
        assert_eq!(
            add(&mut counts, &["body:a", "body:b"], Label::Scam),
            [(0, 1), (1, 1)]
        );
        assert_eq!(
            add(&mut counts, &["body:b", "body:c"], Label::Ham),
            [(1, 1), (2, 1)]
        );
        let config = FeatureConfig {
            min_df: 2,
            ..FeatureConfig::default()
        }
        .check()
        .unwrap();
        let (vocab, index_of_id) = counts.select_with_ids(&config).unwrap();
        // min_df 2 keeps only body:b, seen in both mails.
        assert_eq!(vocab.names.iter().collect::<Vec<_>>(), ["body:b"]);
        assert_eq!(index_of_id, [None, Some(0), None]);
    }

    /// Issue 15: adding a mail and taking it back gives the same counts and the same
    /// vocabulary, bit for bit, even when the mail brought new features.
    #[test]
    fn removing_a_mail_restores_the_counts_exactly() {
        let mut counts = FeatureCounts::new();
        add(&mut counts, &["body:a", "body:b"], Label::Scam);
        add(&mut counts, &["body:b", "body:c"], Label::Ham);
        let before = counts.clone();
        let config = FeatureConfig::default().check().unwrap();
        let vocab = counts.select(&config).unwrap();
        let mail = extraction(&["body:b", "body:new", "url_host:x.top"]);
        let mut ids = Vec::new();
        counts.add(&mail, 1, Label::Scam, CountMode::Log, &mut ids);
        assert_eq!(counts.len(), 5);
        assert_ne!(counts, before);
        assert!(counts.remove(&mail, 1, Label::Scam, CountMode::Log));
        assert_eq!(counts, before);
        assert_eq!(counts.select(&config).unwrap(), vocab);
        // A class without mail is refused without changing anything.
        assert!(!counts.remove(&extraction(&["body:a"]), 5, Label::Ham, CountMode::Binary));
        assert_eq!(counts, before);
        // Free slots are reclaimed when saved.
        let json = serde_json::to_string(&counts).unwrap();
        let back: FeatureCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, before);
        assert_eq!(back.names.len(), 3);
    }

    #[test]
    fn merged_counts_equal_counts_of_all_the_mails() {
        let mails: [(&[&str], Label); 4] = [
            (&["body:a", "body:b"], Label::Scam),
            (&["body:b", "body:c"], Label::Ham),
            (&["body:c", "body:d"], Label::Ham),
            (&["body:a", "body:e"], Label::Scam),
        ];
        let mut all = FeatureCounts::new();
        let (mut first, mut second) = (FeatureCounts::new(), FeatureCounts::new());
        for (i, (names, label)) in mails.iter().enumerate() {
            add(&mut all, names, *label);
            add(
                if i % 2 == 0 { &mut first } else { &mut second },
                names,
                *label,
            );
        }
        first.merge(&second);
        assert_eq!(first, all);
    }

    #[test]
    fn pruning_drops_the_rarest_and_keeps_signals() {
        let mut counts = FeatureCounts::new();
        for _ in 0..3 {
            add(
                &mut counts,
                &["body:common", "signal:deadline"],
                Label::Scam,
            );
        }
        add(
            &mut counts,
            &["body:rare1", "body:rare2", "body:rare3"],
            Label::Ham,
        );
        assert_eq!(counts.prune(10), 0);
        assert_eq!(counts.prune(3), 3);
        assert_eq!(counts.pruned(), 3);
        let config = FeatureConfig::default().check().unwrap();
        let vocab = counts.select(&config).unwrap();
        assert_eq!(
            vocab.names.iter().collect::<Vec<_>>(),
            ["body:common", "signal:deadline"]
        );
        counts.compact();
        assert_eq!(counts.index_of_name("body:common"), Some(0));
    }

    #[test]
    fn damaged_counts_are_refused() {
        for json in [
            r#"{"names":["a"],"doc_freq":[],"sums":[],"class_mails":[],"label_mails":[0,0],"pruned":0}"#,
            r#"{"names":["a"],"doc_freq":[[0,0]],"sums":[[0.0]],"class_mails":[1],"label_mails":[1,0],"pruned":0}"#,
            r#"{"names":["a"],"doc_freq":[[1,0]],"sums":[[-1.0]],"class_mails":[1],"label_mails":[1,0],"pruned":0}"#,
            r#"{"names":["a","a"],"doc_freq":[[1,0],[1,0]],"sums":[[1.0,1.0]],"class_mails":[1],"label_mails":[1,0],"pruned":0}"#,
            r#"{"names":["a"],"doc_freq":[[1,0]],"sums":[[1.0],[0.0]],"class_mails":[1],"label_mails":[1,0],"pruned":0}"#,
        ] {
            assert!(
                serde_json::from_str::<FeatureCounts>(json).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn round_trips_through_serde_with_its_index() {
        let vocab = Vocabulary::new(vec!["a".into(), "b".into()], vec![[1, 0], [0, 2]]).unwrap();
        let json = serde_json::to_string(&vocab).unwrap();
        let back: Vocabulary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vocab);
        assert_eq!(back.index_of("b"), Some(1));
        assert!(serde_json::from_str::<Vocabulary>(r#"{"names":["a"],"doc_freq":[]}"#).is_err());
    }

    /// The names kept in one buffer are written and read as the list of strings models
    /// have always held: model files stay byte for byte what they were.
    #[test]
    fn names_are_stored_as_a_list_of_strings() {
        #[derive(Serialize)]
        struct Plain {
            names: Vec<String>,
            doc_freq: Vec<[u32; 2]>,
        }
        let names: Vec<String> = ["body:請求", "", "subject:ｱｶｳﾝﾄ", "signal:deadline", "x"]
            .map(String::from)
            .to_vec();
        let doc_freq = vec![[1, 0], [0, 0], [2, 3], [0, 9], [4, 4]];
        let vocab = Vocabulary::new(names.clone(), doc_freq.clone()).unwrap();
        let plain = Plain {
            names: names.clone(),
            doc_freq,
        };
        let bytes = postcard::to_allocvec(&plain).unwrap();
        assert_eq!(postcard::to_allocvec(&vocab).unwrap(), bytes);
        assert_eq!(
            serde_json::to_string(&vocab).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
        let back: Vocabulary = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, vocab);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(back.index_of(name), Some(i as u32), "{name:?}");
            assert_eq!(back.name(i as u32), Some(name.as_str()));
        }
        assert_eq!(back.name(5), None);
        assert_eq!(back.index_of("body:請"), None);
        // A name with escapes is read through a copy, not borrowed from the input.
        let escaped: Vocabulary =
            serde_json::from_str(r#"{"names":["\u0061b","c"],"doc_freq":[[0,1],[1,0]]}"#).unwrap();
        assert_eq!(escaped.index_of("ab"), Some(0));
        assert_eq!(escaped.index_of("c"), Some(1));
        assert!(serde_json::from_str::<Vocabulary>(r#"{"names":[1],"doc_freq":[[0,1]]}"#).is_err());
    }

    #[test]
    fn every_name_is_found_at_its_index_and_a_name_listed_twice_is_refused() {
        let names: Vec<String> = (0..5_000).map(|i| format!("body:語{i}")).collect();
        let vocab = Vocabulary::new(names.clone(), vec![[1, 1]; names.len()]).unwrap();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(vocab.index_of(name), Some(i as u32));
        }
        assert_eq!(vocab.index_of("body:語5000"), None);
        assert_eq!(vocab.index_of(""), None);
        let err = serde_json::from_str::<Vocabulary>(
            r#"{"names":["a","b","a"],"doc_freq":[[1,0],[0,1],[1,1]]}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains(r#"feature "a" is listed twice"#),
            "{err}"
        );
    }

    #[test]
    fn each_feature_is_content_as_its_name_says_after_a_round_trip_too() {
        // Across several words of bits, form features among the others.
        let names: Vec<String> = (0..300)
            .map(|i| match i % 7 {
                0 => format!("form:length_{i}"),
                _ => format!("body:語{i}"),
            })
            .collect();
        let vocab = Vocabulary::new(names.clone(), vec![[1, 1]; names.len()]).unwrap();
        let loaded: Vocabulary =
            serde_json::from_str(&serde_json::to_string(&vocab).unwrap()).unwrap();
        for v in [&vocab, &loaded] {
            for (i, name) in names.iter().enumerate() {
                assert_eq!(v.is_content(i as u32), crate::is_content(name), "{name}");
            }
            assert!(!v.is_content(300) && !v.is_content(u32::MAX));
        }
    }

    #[test]
    fn an_empty_corpus_is_an_error() {
        let config = FeatureConfig::default().check().unwrap();
        assert!(matches!(
            FeatureCounts::new().select(&config),
            Err(Error::EmptyCorpus)
        ));
    }
}
