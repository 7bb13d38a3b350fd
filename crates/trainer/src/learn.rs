//! Learning from corrections: mails added to and taken from a model's counts.
//!
//! A model keeps the counts of every feature it has seen ([`FeatureCounts`], capped at
//! [`MAX_STORED_FEATURES`]) and a 64-bit content hash of every mail it counted, with its
//! class. Learning adds a mail's features to its class, forgetting takes them back, and
//! either way the vocabulary is chosen again from the counts and the naive-Bayes
//! parameters recomputed with linfa-bayes' own formula
//! ([`params_from_counts`](crate::nb::params_from_counts)). The threshold and calibration
//! stay as they were until refitted (`recalibrate.rs`); `merge.rs` sums models' counts.

use rayon::prelude::*;
use sagiguard_corpus::{Email, Label};
use sagiguard_features::{
    Extraction, FeatureCounts, FeatureExtractor, MAX_STORED_FEATURES, extract,
};
use sagiguard_tokenizer::Tokenizer;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{ClassLabel, Model};
use crate::nb::{Scorer, params_from_counts};

/// One mail the model has counted: its content hash, its class, and how many times it was
/// counted (a training corpus may hold the same mail twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct LearnedMail {
    pub hash: u64,
    pub class: u16,
    pub times: u32,
}

/// What has happened to a model since it was trained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Mails counted when it was trained.
    pub trained: u64,
    /// Mails learned since.
    pub learned: u64,
    /// Mails forgotten since.
    pub forgotten: u64,
    /// Mails learned or forgotten since the calibration and threshold were chosen.
    pub changed_since_calibration: u64,
    /// Mails the calibration and threshold were chosen on.
    pub calibrated_on: u64,
    /// The date of the last learn or forget.
    pub last_learned: Option<String>,
}

impl History {
    /// Whether enough has changed since the calibration that it should be refitted: a
    /// tenth of the mails it was chosen on, and at least 50.
    pub fn refit_advised(&self) -> bool {
        self.changed_since_calibration >= 50
            && self.changed_since_calibration * 10 >= self.calibrated_on
    }
}

/// The part of a model that learning changes: the counts and what was counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Learning {
    pub counts: FeatureCounts,
    /// Sorted by hash, then class.
    pub learned: Vec<LearnedMail>,
    pub history: History,
}

impl Learning {
    /// The learning section of a freshly trained model: its counts and mails.
    pub fn trained(counts: FeatureCounts, learned: Vec<LearnedMail>) -> Learning {
        let trained = learned.iter().map(|m| u64::from(m.times)).sum();
        let mut learning = Learning {
            counts,
            learned,
            history: History {
                trained,
                calibrated_on: trained,
                ..History::default()
            },
        };
        learning.sort();
        learning
    }

    /// Records `times` more countings of a mail.
    pub fn record(&mut self, hash: u64, class: usize, times: u32) {
        let class = class as u16;
        match self
            .learned
            .binary_search_by(|m| (m.hash, m.class).cmp(&(hash, class)))
        {
            Ok(i) => self.learned[i].times += times,
            Err(i) => self.learned.insert(i, LearnedMail { hash, class, times }),
        }
    }

    /// Every class a mail was counted in, with how many times.
    fn lookup(&self, hash: u64) -> &[LearnedMail] {
        let start = self.learned.partition_point(|m| m.hash < hash);
        let end = self.learned.partition_point(|m| m.hash <= hash);
        &self.learned[start..end]
    }

    /// The hashes kept in order, for [`Learning::record`] after bulk pushes.
    pub fn sort(&mut self) {
        self.learned.sort_unstable();
        self.learned.dedup_by(|b, a| {
            let same = (a.hash, a.class) == (b.hash, b.class);
            if same {
                a.times += b.times;
            }
            same
        });
    }
}

/// The content hash of a mail, as the model records it: everything the features read
/// (subject, sender address or number, reply address, body, links, attachment names, form
/// and nesting), and
/// nothing else. Its id, Return-Path, Received, Delivered-To, Status and the
/// `X-Sagiguard-*` headers are left out, so a mail moved from one folder to another, or
/// scored by `filter` first, has the hash it had when it arrived.
pub fn mail_hash(email: &Email) -> u64 {
    let content = (
        &email.subject,
        &email.from,
        &email.reply_to,
        &email.body,
        &email.links,
        &email.attachments,
        email.html_forms,
        email.mime_depth,
    );
    // A sender without an address joins only where there is one: every other mail keeps
    // the hash it had before senders were read, and with it the lessons models recorded.
    let bytes = match &email.sender {
        None => postcard::to_allocvec(&content),
        Some(sender) => postcard::to_allocvec(&(content, sender)),
    }
    .expect("mail fields serialise");
    let hash = blake3::hash(&bytes);
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// What to do with one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lesson {
    /// Count it under this label (and scam category, for a model with categories as
    /// classes). With `relabel`, a mail counted under another class is moved; without, that
    /// is an [`Error::LearnedAsOther`].
    Learn {
        /// Scam or ham.
        label: Label,
        /// The scam category.
        category: Option<String>,
        /// Move a mail learned under another class.
        relabel: bool,
        /// How many training mails it counts as (at least 1): a site's own mail can be
        /// given more say than the written corpus.
        weight: u32,
    },
    /// Take it back wherever it was counted.
    Forget,
}

/// What a lesson did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Counted.
    Learned,
    /// Counted before under the same class: nothing changed.
    AlreadyLearned,
    /// Moved from another class.
    Relabeled,
    /// Taken back.
    Forgotten,
    /// Never counted: nothing changed.
    NotLearned,
}

impl Outcome {
    /// `learned`, `already_learned`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Learned => "learned",
            Outcome::AlreadyLearned => "already_learned",
            Outcome::Relabeled => "relabeled",
            Outcome::Forgotten => "forgotten",
            Outcome::NotLearned => "not_learned",
        }
    }

    /// Whether the counts changed.
    pub fn changed(self) -> bool {
        matches!(
            self,
            Outcome::Learned | Outcome::Relabeled | Outcome::Forgotten
        )
    }
}

/// A mail's features and hash, computed (on any thread) before a lesson is applied.
#[derive(Debug, Clone)]
pub struct Prepared {
    hash: u64,
    pub(crate) extraction: Extraction,
}

impl Model {
    /// The class a lesson counts a mail in.
    ///
    /// # Errors
    ///
    /// [`Error::Category`] for a category the model has no class for, or a scam mail
    /// without a category on a model with categories as classes.
    pub fn class_for(&self, label: Label, category: Option<&str>) -> Result<usize> {
        if label == Label::Ham {
            return Ok(0);
        }
        let scam: Vec<(usize, &ClassLabel)> = self
            .classes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.label == Label::Scam)
            .collect();
        if let [(i, ClassLabel { category: None, .. })] = scam[..] {
            return Ok(i);
        }
        let names = || {
            scam.iter()
                .filter_map(|(_, c)| c.category.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(category) = category else {
            return Err(Error::Category {
                reason: "the model has one class per scam category: say which (--category)".into(),
                classes: names(),
            });
        };
        scam.iter()
            .find(|(_, c)| c.category.as_deref() == Some(category))
            .map(|(i, _)| *i)
            .ok_or_else(|| Error::Category {
                reason: format!("the model has no scam class {category:?}"),
                classes: names(),
            })
    }

    /// A mail's hash and features, ready for [`Model::apply`]. The tokenizer must carry the
    /// model's dictionary.
    pub fn prepare(&self, tokenizer: &Tokenizer, email: &Email) -> Prepared {
        Prepared {
            hash: mail_hash(email),
            extraction: extract(self.extractor.config(), tokenizer, email),
        }
    }

    /// Applies one lesson to the counts. Scores do not change until [`Model::refresh`].
    ///
    /// # Errors
    ///
    /// [`Error::LearnedAsOther`], [`Error::Category`], or a model whose counts cannot be
    /// decoded.
    pub fn apply(&mut self, mail: &Prepared, lesson: &Lesson, today: &str) -> Result<Outcome> {
        let class = match lesson {
            Lesson::Learn {
                label, category, ..
            } => Some(self.class_for(*label, category.as_deref())?),
            Lesson::Forget => None,
        };
        let counts_mode = self.extractor.config().counts;
        let labels: Vec<Label> = self.classes.iter().map(|c| c.label).collect();
        let class_name = |i: usize| {
            self.classes[i]
                .category
                .clone()
                .unwrap_or_else(|| self.classes[i].label.as_str().to_string())
        };
        let names: Vec<String> = (0..self.classes.len()).map(class_name).collect();
        let learning = self.learning_mut()?;
        let known: Vec<LearnedMail> = learning.lookup(mail.hash).to_vec();
        let forget_all = |learning: &mut Learning| {
            for m in &known {
                let class = m.class as usize;
                for _ in 0..m.times {
                    learning
                        .counts
                        .remove(&mail.extraction, class, labels[class], counts_mode);
                }
            }
            learning.learned.retain(|m| m.hash != mail.hash);
        };
        let outcome = match (lesson, class) {
            (Lesson::Forget, _) if known.is_empty() => Outcome::NotLearned,
            (Lesson::Forget, _) => {
                forget_all(learning);
                learning.history.forgotten += 1;
                Outcome::Forgotten
            }
            (
                Lesson::Learn {
                    relabel, weight, ..
                },
                Some(class),
            ) => {
                if known.iter().any(|m| m.class as usize == class) && known.len() == 1 {
                    return Ok(Outcome::AlreadyLearned);
                }
                let relabeled = !known.is_empty();
                if relabeled && !relabel {
                    let other = known
                        .iter()
                        .find(|m| m.class as usize != class)
                        .unwrap_or(&known[0]);
                    return Err(Error::LearnedAsOther {
                        learned: names[other.class as usize].clone(),
                        asked: names[class].clone(),
                    });
                }
                forget_all(learning);
                let mut ids = Vec::new();
                let weight = (*weight).max(1);
                for _ in 0..weight {
                    learning.counts.add(
                        &mail.extraction,
                        class,
                        labels[class],
                        counts_mode,
                        &mut ids,
                    );
                }
                learning.record(mail.hash, class, weight);
                learning.history.learned += 1;
                if relabeled {
                    Outcome::Relabeled
                } else {
                    Outcome::Learned
                }
            }
            (Lesson::Learn { .. }, None) => unreachable!("a lesson to learn has a class"),
        };
        if outcome.changed() {
            learning.history.changed_since_calibration += 1;
            learning.history.last_learned = Some(today.to_string());
        }
        Ok(outcome)
    }

    /// Learns or forgets many mails: features on all cores, lessons in order. Each mail's
    /// result is reported; a mail that fails leaves the counts as they were for it.
    pub fn apply_batch(
        &mut self,
        tokenizer: &Tokenizer,
        lessons: &[(Email, Lesson)],
        today: &str,
    ) -> Vec<Result<Outcome>> {
        let prepared: Vec<Prepared> = lessons
            .par_iter()
            .map(|(email, _)| self.prepare(tokenizer, email))
            .collect();
        prepared
            .into_iter()
            .zip(lessons)
            .map(|(mail, (_, lesson))| self.apply(&mail, lesson, today))
            .collect()
    }

    /// Chooses the vocabulary again from the counts and recomputes the naive-Bayes
    /// parameters, after lessons or a merge; prunes the counts past their cap first.
    ///
    /// # Errors
    ///
    /// [`Error::OneClass`] when forgetting left a label without mail.
    pub fn refresh(&mut self) -> Result<()> {
        let config = self.extractor.config().clone();
        let (algorithm, alpha) = (self.nb.algorithm, self.nb.alpha);
        let learning = self.learning_mut()?;
        learning.counts.prune(MAX_STORED_FEATURES);
        let [ham, scam] = learning.counts.label_mails();
        if ham == 0 || scam == 0 {
            return Err(Error::OneClass {
                scam: scam as usize,
                ham: ham as usize,
            });
        }
        let vocabulary = learning.counts.select(&config)?;
        let nb = params_from_counts(&learning.counts, &vocabulary, algorithm, alpha);
        let scorer = Scorer::new(&nb, self.classes.len(), vocabulary.len())
            .expect("parameters computed for the model's classes and vocabulary");
        self.extractor = FeatureExtractor::new(config, vocabulary);
        self.nb = nb;
        self.scorer = Some(scorer);
        Ok(())
    }
}
