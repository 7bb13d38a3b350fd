//! An honest evaluation report for scored mails, as data.
//!
//! [`Report::compute`] takes the scored mails, a decision threshold and some
//! named slices, and gives the class metrics, ranking metrics (ROC-AUC and
//! PR-AUC), the confusion matrix, recall per category, the slices and the most
//! confident mistakes, each computed by the functions in [`metrics`](crate::metrics)
//! under the conventions documented there (no number is ever NaN). The command line
//! renders it for people.
//!
//! # JSON
//!
//! The structs derive `Serialize`, and serde writes struct fields in
//! declaration order, so `serde_json::to_string(&report)` (or `to_writer`)
//! gives exactly the key order documented on [`Report`]. Beware that
//! `serde_json::to_value` puts the keys in a `serde_json::Map`, which sorts
//! them alphabetically unless serde_json's `preserve_order` feature is on.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::metrics::{ClassMetrics, Confusion};
use crate::metrics::{class_metrics, clean, confusion, pr_auc, ratio, ratio_opt, roc_auc};

/// One scored mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// The mail's id.
    pub id: String,
    /// The true label: `true` for scam.
    pub scam: bool,
    /// The mail's category, when known.
    pub category: Option<String>,
    /// The calibrated scam probability.
    pub scam_probability: f64,
    /// The uncalibrated naive-Bayes log-odds behind the probability.
    #[serde(default)]
    pub log_odds: f64,
    /// Top features as the scorer gave them: (name, weight).
    pub reasons: Vec<(String, f64)>,
}

/// Recall of one category.
///
/// `recall` is the share of the category's mails whose prediction matches
/// their own true label: for a scam category it is the share flagged (the
/// usual recall), for a ham category the share **not** flagged
/// (`1 - FPR` on that category). A category holding both labels gets the
/// share predicted correctly over all its mails. Mails without a category are
/// not counted here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRecall {
    /// The mail's category, when known.
    pub category: String,
    /// Mails.
    pub n: usize,
    /// Share of the class's mails predicted as it.
    pub recall: f64,
}

/// A misclassified mail. `label` is the mail's **true** label (`"scam"` or
/// `"ham"`); the prediction was the other one. `scam_probability` and the
/// reason weights are the cleaned values (see the module conventions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mistake {
    /// The mail's id.
    pub id: String,
    /// The true label, `scam` or `ham`.
    pub label: String,
    /// The mail's category, when known.
    pub category: Option<String>,
    /// The calibrated scam probability.
    pub scam_probability: f64,
    /// Top features: (name, weight).
    pub reasons: Vec<(String, f64)>,
}

/// A named subset of mails, chosen by category.
///
/// `false_positive_rate` is over the slice's ham (`None` when it has no ham),
/// `recall` over its scam (`None` when it has no scam).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slice {
    /// The slice's name.
    pub name: String,
    /// Mails.
    pub n: usize,
    /// Share of ham predicted scam.
    pub false_positive_rate: Option<f64>,
    /// Share of the class's mails predicted as it.
    pub recall: Option<f64>,
}

/// The evaluation report. Serialised (by serde's derive, in field order) as
/// `{"n","threshold","accuracy","roc_auc","pr_auc","false_positive_rate",
/// "scam":{"precision","recall","f1"},"ham":{...},
/// "confusion":{"tp","fp","tn","fn"},"per_category":[{"category","n","recall"}],
/// "slices":[{"name","n","false_positive_rate","recall"}],
/// "worst":[{"id","label","category","scam_probability","reasons"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Number of mails.
    pub n: usize,
    /// The threshold used (cleaned: never NaN or infinite).
    pub threshold: f64,
    /// Share of mails predicted right.
    pub accuracy: f64,
    /// `None` when either class is empty.
    pub roc_auc: Option<f64>,
    /// Average precision; `None` when there is no scam.
    pub pr_auc: Option<f64>,
    /// Share of ham flagged as scam at the threshold; `None` with no ham.
    pub false_positive_rate: Option<f64>,
    /// Metrics of the scam class.
    pub scam: ClassMetrics,
    /// Metrics of the ham class.
    pub ham: ClassMetrics,
    /// The confusion matrix.
    pub confusion: Confusion,
    /// Sorted by category name (byte order).
    pub per_category: Vec<CategoryRecall>,
    /// In the order the slices were given.
    pub slices: Vec<Slice>,
    /// The most confident mistakes first, at most `worst_n`.
    pub worst: Vec<Mistake>,
}

/// The cross-validated figures a model keeps in its metadata.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossValidationMetrics {
    /// Number of folds.
    pub folds: usize,
    /// See [`Report::roc_auc`].
    pub roc_auc: Option<f64>,
    /// See [`Report::pr_auc`].
    pub pr_auc: Option<f64>,
    /// Precision of the scam class.
    pub scam_precision: Option<f64>,
    /// Recall of the scam class.
    pub scam_recall: Option<f64>,
    /// See [`Report::false_positive_rate`].
    pub false_positive_rate: Option<f64>,
    /// The threshold chosen on the out-of-fold scores.
    pub threshold: f64,
}

impl CrossValidationMetrics {
    /// The figures of an out-of-fold report.
    pub fn new(folds: usize, report: &Report) -> CrossValidationMetrics {
        CrossValidationMetrics {
            folds,
            roc_auc: report.roc_auc,
            pr_auc: report.pr_auc,
            scam_precision: report.scam.precision,
            scam_recall: report.scam.recall,
            false_positive_rate: report.false_positive_rate,
            threshold: report.threshold,
        }
    }

    /// `(name, value)` pairs in this order, `None` as NaN: the layout the model file
    /// stores, so that a model's bytes do not change with this type.
    pub fn to_pairs(&self) -> Vec<(String, f64)> {
        let or_nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
        [
            ("folds", self.folds as f64),
            ("roc_auc", or_nan(self.roc_auc)),
            ("pr_auc", or_nan(self.pr_auc)),
            ("scam_precision", or_nan(self.scam_precision)),
            ("scam_recall", or_nan(self.scam_recall)),
            ("false_positive_rate", or_nan(self.false_positive_rate)),
            ("threshold", self.threshold),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect()
    }
}

fn label(scam: bool) -> &'static str {
    if scam { "scam" } else { "ham" }
}

impl Report {
    /// [`Report::compute`] with the slices the category table names
    /// ([`report_slices`](crate::report_slices())): the report `eval` and `train --cv` print.
    pub fn with_slices(scored: &[Scored], threshold: f64, worst_n: usize) -> Report {
        let slices = crate::category::report_slices();
        let slices: Vec<(&str, &[&str])> = slices
            .iter()
            .map(|(name, members)| (*name, members.as_slice()))
            .collect();
        Report::compute(scored, threshold, &slices, worst_n)
    }

    /// Evaluates `scored` at `threshold`: a mail is predicted scam when its
    /// `scam_probability >= threshold` (both cleaned, see the module
    /// conventions).
    ///
    /// `slices` names subsets by category list, e.g.
    /// `("legitimate brand mail", &["brand_order", "brand_security"])`; a
    /// slice reports the FPR over its ham and the recall over its scam (`None`
    /// when it has none). `worst` holds at most `worst_n` mistakes, false
    /// positives and false negatives together, the farthest from the
    /// threshold first (ties by id).
    pub fn compute(
        scored: &[Scored],
        threshold: f64,
        slices: &[(&str, &[&str])],
        worst_n: usize,
    ) -> Report {
        let threshold = clean(threshold);
        let flagged = |m: &Scored| clean(m.scam_probability) >= threshold;

        let c = confusion(scored.iter().map(|m| (m.scam, flagged(m))));

        let mut by_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for m in scored {
            if let Some(cat) = &m.category {
                let e = by_cat.entry(cat.as_str()).or_default();
                e.0 += 1;
                if flagged(m) == m.scam {
                    e.1 += 1;
                }
            }
        }
        let per_category = by_cat
            .into_iter()
            .map(|(cat, (n, right))| CategoryRecall {
                category: cat.to_string(),
                n,
                recall: ratio(right, n),
            })
            .collect();

        let slices = slices
            .iter()
            .map(|(name, cats)| {
                let (mut n, mut ham, mut fp, mut scam, mut tp) = (0, 0, 0, 0, 0);
                for m in scored {
                    let inside = m.category.as_deref().is_some_and(|c| cats.contains(&c));
                    if !inside {
                        continue;
                    }
                    n += 1;
                    let f = flagged(m);
                    if m.scam {
                        scam += 1;
                        tp += usize::from(f);
                    } else {
                        ham += 1;
                        fp += usize::from(f);
                    }
                }
                Slice {
                    name: (*name).to_string(),
                    n,
                    false_positive_rate: ratio_opt(fp, ham),
                    recall: ratio_opt(tp, scam),
                }
            })
            .collect();

        let mut mistakes: Vec<(f64, &Scored)> = scored
            .iter()
            .filter(|m| flagged(m) != m.scam)
            .map(|m| ((clean(m.scam_probability) - threshold).abs(), m))
            .collect();
        mistakes.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let worst = mistakes
            .into_iter()
            .take(worst_n)
            .map(|(_, m)| Mistake {
                id: m.id.clone(),
                label: label(m.scam).to_string(),
                category: m.category.clone(),
                scam_probability: clean(m.scam_probability),
                reasons: m
                    .reasons
                    .iter()
                    .map(|(name, w)| (name.clone(), clean(*w)))
                    .collect(),
            })
            .collect();

        let pairs: Vec<(f64, bool)> = scored
            .iter()
            .map(|m| (m.scam_probability, m.scam))
            .collect();

        Report {
            n: scored.len(),
            threshold,
            accuracy: ratio(c.tp + c.tn, scored.len()),
            roc_auc: roc_auc(&pairs),
            pr_auc: pr_auc(&pairs),
            false_positive_rate: ratio_opt(c.fp, c.fp + c.tn),
            scam: class_metrics(c.tp, c.fp, c.fn_),
            ham: class_metrics(c.tn, c.fn_, c.fp),
            confusion: c,
            per_category,
            slices,
            worst,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::tests::{assert_close, assert_opt};
    use crate::metrics::{pr_curve, roc_curve, threshold_for_max_fpr};

    fn mail(id: &str, scam: bool, category: Option<&str>, p: f64) -> Scored {
        Scored {
            id: id.to_string(),
            scam,
            category: category.map(str::to_string),
            scam_probability: p,
            log_odds: 0.0,
            reasons: vec![
                ("url_mismatch".to_string(), 0.5),
                ("urgent_words".to_string(), 0.25),
                ("至急".to_string(), 0.125),
                ("fourth".to_string(), 0.0625),
            ],
        }
    }

    /// The hand case used by several tests (threshold 0.5):
    ///
    /// | id | true | category        | p    | outcome |
    /// |----|------|-----------------|------|---------|
    /// | a  | scam | phishing        | 0.9  | TP |
    /// | b  | scam | phishing        | 0.5  | TP (== threshold) |
    /// | c  | scam | phishing        | 0.4  | FN (0.1 below) |
    /// | d  | scam | 当選詐欺        | 0.7  | TP |
    /// | e  | ham  | brand_order     | 0.65 | FP (0.15 above) |
    /// | f  | ham  | brand_order     | 0.2  | TN |
    /// | g  | ham  | brand_security  | 0.49 | TN |
    /// | h  | ham  | newsletter      | 0.1  | TN |
    /// | i  | ham  | (none)          | 0.05 | TN |
    /// | j  | scam | (none)          | 0.2  | FN (0.3 below) |
    fn hand_case() -> Vec<Scored> {
        vec![
            mail("a", true, Some("phishing"), 0.9),
            mail("b", true, Some("phishing"), 0.5),
            mail("c", true, Some("phishing"), 0.4),
            mail("d", true, Some("当選詐欺"), 0.7),
            mail("e", false, Some("brand_order"), 0.65),
            mail("f", false, Some("brand_order"), 0.2),
            mail("g", false, Some("brand_security"), 0.49),
            mail("h", false, Some("newsletter"), 0.1),
            mail("i", false, None, 0.05),
            mail("j", true, None, 0.2),
        ]
    }

    const BRAND: &[&str] = &["brand_order", "brand_security"];
    const SCAMS: &[&str] = &["phishing", "当選詐欺"];
    const NOTHING: &[&str] = &["no_such_category"];

    fn hand_report(worst_n: usize) -> Report {
        Report::compute(
            &hand_case(),
            0.5,
            &[
                ("legitimate brand mail", BRAND),
                ("scam kinds", SCAMS),
                ("empty", NOTHING),
            ],
            worst_n,
        )
    }

    /// Every f64 the report holds.
    fn floats(r: &Report) -> Vec<f64> {
        let mut v = vec![r.threshold, r.accuracy];
        v.extend(r.false_positive_rate);
        v.extend(r.roc_auc);
        v.extend(r.pr_auc);
        for m in [&r.scam, &r.ham] {
            v.extend([m.precision, m.recall, m.f1].into_iter().flatten());
        }
        v.extend(r.per_category.iter().map(|c| c.recall));
        for s in &r.slices {
            v.extend(s.false_positive_rate);
            v.extend(s.recall);
        }
        for m in &r.worst {
            v.push(m.scam_probability);
            v.extend(m.reasons.iter().map(|(_, w)| *w));
        }
        v
    }

    fn assert_all_finite(r: &Report) {
        for x in floats(r) {
            assert!(x.is_finite(), "non-finite number {x} in {r:?}");
        }
        // And it survives a JSON round trip unchanged (a NaN or infinity
        // would have been written as null and failed to read back).
        let text = serde_json::to_string(r).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, r);
    }
    #[test]
    fn class_metrics_on_hand_case() {
        let r = hand_report(10);
        // TP a,b,d; FN c,j; FP e; TN f,g,h,i.
        assert_eq!(
            r.confusion,
            Confusion {
                tp: 3,
                fp: 1,
                tn: 4,
                fn_: 2
            }
        );
        assert_eq!(r.n, 10);
        assert_close(r.threshold, 0.5, "threshold");
        assert_close(r.accuracy, 7.0 / 10.0, "accuracy");
        assert_close(r.false_positive_rate.unwrap(), 1.0 / 5.0, "fpr");
        // scam: P = 3/4, R = 3/5, F1 = 2*(3/4)(3/5)/(3/4+3/5) = 0.9/1.35 = 2/3
        assert_close(r.scam.precision.unwrap(), 0.75, "scam precision");
        assert_close(r.scam.recall.unwrap(), 0.6, "scam recall");
        assert_close(r.scam.f1.unwrap(), 2.0 / 3.0, "scam f1");
        // ham: P = 4/6, R = 4/5, F1 = 2*(2/3)(4/5)/(2/3+4/5) = (16/15)/(22/15) = 8/11
        assert_close(r.ham.precision.unwrap(), 2.0 / 3.0, "ham precision");
        assert_close(r.ham.recall.unwrap(), 0.8, "ham recall");
        assert_close(r.ham.f1.unwrap(), 8.0 / 11.0, "ham f1");
        // ROC: scam {.9,.7,.5,.4,.2} vs ham {.65,.2,.49,.1,.05}, 25 pairs:
        // .9 -> 5, .7 -> 5, .5 -> 4 (loses to .65), .4 -> 3 (loses to .65,
        // .49), .2 -> 2.5 (ties .2, beats .1 and .05); U = 19.5 -> 0.78
        assert_opt(r.roc_auc, Some(19.5 / 25.0), "roc_auc");
        // AP, descending: .9P .7P .65N .5P .49N .4P {.2P .2N} .1N .05N; 5 scam
        // .9: R 1/5 P 1        -> 1/5
        // .7: R 2/5 P 1        -> 1/5
        // .5: R 3/5 P 3/4      -> 3/20
        // .4: R 4/5 P 4/6      -> 2/15
        // .2: R 1   P 5/8      -> 1/8
        // AP = (24 + 24 + 18 + 16 + 15)/120 = 97/120
        assert_opt(r.pr_auc, Some(97.0 / 120.0), "pr_auc");
        assert_all_finite(&r);
    }

    #[test]
    fn threshold_boundary_is_scam() {
        let at = [mail("s", true, None, 0.5), mail("h", false, None, 0.5)];
        let r = Report::compute(&at, 0.5, &[], 5);
        assert_eq!((r.confusion.tp, r.confusion.fp), (1, 1));
        assert_eq!((r.confusion.fn_, r.confusion.tn), (0, 0));
        let below = [
            mail("s", true, None, 0.5f64.next_down()),
            mail("h", false, None, 0.5f64.next_down()),
        ];
        let r = Report::compute(&below, 0.5, &[], 5);
        assert_eq!((r.confusion.fn_, r.confusion.tn), (1, 1));
        assert_eq!((r.confusion.tp, r.confusion.fp), (0, 0));
    }

    #[test]
    fn per_category_recall_for_scam_and_ham() {
        let r = hand_report(0);
        let got: Vec<(&str, usize, f64)> = r
            .per_category
            .iter()
            .map(|c| (c.category.as_str(), c.n, c.recall))
            .collect();
        // Sorted by name (bytes: ASCII before Japanese); mails without a
        // category (i, j) are left out.
        let want = [
            ("brand_order", 2, 0.5),    // ham: f not flagged, e flagged
            ("brand_security", 1, 1.0), // ham: g not flagged
            ("newsletter", 1, 1.0),     // ham: h not flagged
            ("phishing", 3, 2.0 / 3.0), // scam: a, b flagged, c missed
            ("当選詐欺", 1, 1.0),       // scam: d flagged
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1), (w.0, w.1));
            assert_close(g.2, w.2, w.0);
        }
    }

    #[test]
    fn mixed_category_counts_each_mail_by_its_own_label() {
        // Scam 0.9 flagged (right), scam 0.1 missed (wrong), ham 0.2 not
        // flagged (right), ham 0.8 flagged (wrong): 2 of 4 right.
        let mails = [
            mail("1", true, Some("mixed"), 0.9),
            mail("2", true, Some("mixed"), 0.1),
            mail("3", false, Some("mixed"), 0.2),
            mail("4", false, Some("mixed"), 0.8),
        ];
        let r = Report::compute(&mails, 0.5, &[], 0);
        assert_eq!(r.per_category.len(), 1);
        assert_eq!(r.per_category[0].n, 4);
        assert_close(r.per_category[0].recall, 0.5, "mixed");
    }

    #[test]
    fn slices_report_fpr_over_ham_and_recall_over_scam() {
        let r = hand_report(0);
        let want: [(&str, usize, Option<f64>, Option<f64>); 3] = [
            // e (FP), f, g: 3 ham, 1 flagged; no scam
            ("legitimate brand mail", 3, Some(1.0 / 3.0), None),
            // a, b, c, d: 4 scam, 3 flagged; no ham
            ("scam kinds", 4, None, Some(0.75)),
            ("empty", 0, None, None),
        ];
        assert_eq!(r.slices.len(), want.len());
        for (s, w) in r.slices.iter().zip(want) {
            assert_eq!((s.name.as_str(), s.n), (w.0, w.1));
            assert_opt(s.false_positive_rate, w.2, w.0);
            assert_opt(s.recall, w.3, w.0);
        }
    }

    #[test]
    fn worst_mistakes_farthest_from_threshold_first() {
        // Mistakes: j (FN, 0.3 below), e (FP, 0.15 above), c (FN, 0.1 below).
        let ids = |r: &Report| r.worst.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&hand_report(10)), ["j", "e", "c"]);
        assert_eq!(ids(&hand_report(2)), ["j", "e"]);
        assert!(hand_report(0).worst.is_empty());

        let r = hand_report(1);
        let m = &r.worst[0];
        assert_eq!(m.label, "scam"); // the true label
        assert_eq!(m.category, None);
        assert_close(m.scam_probability, 0.2, "probability");
        assert_eq!(m.reasons.len(), 4);
        assert_eq!(hand_report(2).worst[1].label, "ham");

        // Equal distance (0.25 both ways, exact in binary): ties go by id.
        let tie = [
            mail("z-fp", false, None, 0.75),
            mail("a-fn", true, None, 0.25),
            mail("right", true, None, 1.0),
        ];
        let r = Report::compute(&tie, 0.5, &[], 10);
        assert_eq!(ids(&r), ["a-fn", "z-fp"]);
    }

    /// The keys of the top-level JSON object in `text`, in order.
    fn top_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut depth = 0i32;
        let mut chars = text.chars().peekable();
        let mut expect_key = false;
        while let Some(c) = chars.next() {
            match c {
                '{' | '[' => {
                    depth += 1;
                    expect_key = c == '{' && depth == 1;
                }
                '}' | ']' => depth -= 1,
                ',' => expect_key = depth == 1,
                '"' => {
                    let mut s = String::new();
                    while let Some(d) = chars.next() {
                        match d {
                            '\\' => {
                                s.push(d);
                                s.extend(chars.next());
                            }
                            '"' => break,
                            _ => s.push(d),
                        }
                    }
                    if expect_key {
                        keys.push(s);
                        expect_key = false;
                    }
                }
                _ => {}
            }
        }
        keys
    }

    #[test]
    fn json_key_order() {
        let r = hand_report(3);
        let json = |v: &dyn erased::Ser| v.to_json();
        assert_eq!(
            top_keys(&json(&r)),
            [
                "n",
                "threshold",
                "accuracy",
                "roc_auc",
                "pr_auc",
                "false_positive_rate",
                "scam",
                "ham",
                "confusion",
                "per_category",
                "slices",
                "worst"
            ]
        );
        assert_eq!(top_keys(&json(&r.scam)), ["precision", "recall", "f1"]);
        assert_eq!(top_keys(&json(&r.ham)), ["precision", "recall", "f1"]);
        assert_eq!(top_keys(&json(&r.confusion)), ["tp", "fp", "tn", "fn"]);
        assert_eq!(
            top_keys(&json(&r.per_category[0])),
            ["category", "n", "recall"]
        );
        assert_eq!(
            top_keys(&json(&r.slices[0])),
            ["name", "n", "false_positive_rate", "recall"]
        );
        assert_eq!(
            top_keys(&json(&r.worst[0])),
            ["id", "label", "category", "scam_probability", "reasons"]
        );
        // The start of the document, literally, and the values' shapes.
        let text = json(&r);
        assert!(
            text.starts_with(r#"{"n":10,"threshold":0.5,"accuracy":0.7,"#),
            "{text}"
        );
        assert!(text.contains(r#""confusion":{"tp":3,"fp":1,"tn":4,"fn":2}"#));
        assert!(text.contains(r#""slices":[{"name":"legitimate brand mail","n":3,"#));
        assert!(text.contains(r#""recall":null}"#)); // None is null
        assert!(text.contains(r#""reasons":[["url_mismatch",0.5],"#));
        let empty = json(&Report::compute(&[], 0.5, &[], 3));
        assert!(empty.contains(r#""roc_auc":null,"pr_auc":null"#), "{empty}");
    }

    /// `serde_json::to_string` for the structs under test.
    mod erased {
        pub trait Ser {
            fn to_json(&self) -> String;
        }
        impl<T: serde::Serialize> Ser for T {
            fn to_json(&self) -> String {
                serde_json::to_string(self).unwrap()
            }
        }
    }

    #[test]
    fn degenerate_inputs_never_nan() {
        // Empty input: all zero or None.
        let r = Report::compute(&[], 0.5, &[("brand", BRAND)], 5);
        assert_eq!(r.n, 0);
        assert_eq!(
            r.confusion,
            Confusion {
                tp: 0,
                fp: 0,
                tn: 0,
                fn_: 0
            }
        );
        assert_eq!((r.accuracy, r.false_positive_rate), (0.0, None));
        assert_eq!((r.roc_auc, r.pr_auc), (None, None));
        // Issue 14: what cannot be computed is n/a, not a misleading 0.
        let undefined = ClassMetrics {
            precision: None,
            recall: None,
            f1: None,
        };
        assert_eq!((&r.scam, &r.ham), (&undefined, &undefined));
        assert!(r.per_category.is_empty() && r.worst.is_empty());
        assert_eq!(r.slices[0].n, 0);
        assert_eq!(
            (r.slices[0].false_positive_rate, r.slices[0].recall),
            (None, None)
        );
        assert_all_finite(&r);

        // All scam, all flagged: no ham, so no FPR, no ham metrics, no ROC.
        let all_scam = [mail("1", true, None, 0.9), mail("2", true, None, 0.8)];
        let r = Report::compute(&all_scam, 0.5, &[], 5);
        assert_eq!(r.confusion.tp, 2);
        assert_eq!(
            (r.scam.precision, r.scam.recall, r.scam.f1),
            (Some(1.0), Some(1.0), Some(1.0))
        );
        assert_eq!(r.ham, undefined);
        assert_eq!(r.false_positive_rate, None);
        assert_eq!((r.roc_auc, r.pr_auc), (None, Some(1.0)));
        assert_all_finite(&r);

        // All ham, nothing flagged: scam precision has no predicted positives and
        // recall no positives: both n/a.
        let all_ham = [mail("1", false, None, 0.1), mail("2", false, None, 0.2)];
        let r = Report::compute(&all_ham, 0.5, &[], 5);
        assert_eq!(r.scam, undefined);
        assert_eq!(
            (r.ham.precision, r.ham.recall, r.ham.f1),
            (Some(1.0), Some(1.0), Some(1.0))
        );
        assert_eq!(r.accuracy, 1.0);
        assert_eq!((r.roc_auc, r.pr_auc), (None, None));
        assert_all_finite(&r);

        // Non-finite inputs: no panic, no NaN, nothing infinite in the report.
        let mut weird = vec![
            mail("nan-scam", true, Some("x"), f64::NAN),
            mail("inf-ham", false, Some("x"), f64::INFINITY),
            mail("neg-inf-scam", true, Some("y"), f64::NEG_INFINITY),
            mail("negzero-ham", false, Some("y"), -0.0),
            mail("ok", true, None, 0.7),
        ];
        weird[0].reasons.push(("nan weight".into(), f64::NAN));
        weird[1].reasons[0].1 = f64::INFINITY;
        for th in [0.5, 0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let r = Report::compute(&weird, th, &[("xy", &["x", "y"])], 10);
            assert_eq!(r.n, 5);
            assert_all_finite(&r);
        }
        let pairs: Vec<(f64, bool)> = weird.iter().map(|m| (m.scam_probability, m.scam)).collect();
        for v in [roc_auc(&pairs), pr_auc(&pairs)] {
            assert!(v.unwrap().is_finite());
        }
        for (x, y) in roc_curve(&pairs).into_iter().chain(pr_curve(&pairs)) {
            assert!(x.is_finite() && y.is_finite());
        }
        assert!(threshold_for_max_fpr(&pairs, 0.5).is_finite());
    }

    #[test]
    fn nan_probability_is_read_as_zero() {
        let m = [mail("n", true, None, f64::NAN), mail("h", false, None, 0.0)];
        // 0.0 >= 0.0: flagged.
        assert_eq!(Report::compute(&m, 0.0, &[], 0).confusion.tp, 1);
        // 0.0 < 0.1: missed, and reported with probability 0.
        let r = Report::compute(&m, 0.1, &[], 5);
        assert_eq!(r.confusion.fn_, 1);
        assert_eq!(r.worst[0].scam_probability, 0.0);
        // NaN ties with the ham's 0.0 (and -0.0 with 0.0): AUC 1/2.
        assert_eq!(roc_auc(&[(f64::NAN, true), (-0.0, false)]), Some(0.5));
        // +inf above everything, -inf below everything.
        assert_eq!(
            roc_auc(&[(f64::INFINITY, true), (f64::MAX, false)]),
            Some(0.5) // both read as f64::MAX: a tie
        );
        assert_eq!(
            roc_auc(&[(f64::NEG_INFINITY, true), (-1.0, false)]),
            Some(0.0)
        );
    }

    #[test]
    fn cross_validation_metrics_keep_the_stored_layout() {
        let r = hand_report(0);
        let m = CrossValidationMetrics::new(5, &r);
        let pairs = m.to_pairs();
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "folds",
                "roc_auc",
                "pr_auc",
                "scam_precision",
                "scam_recall",
                "false_positive_rate",
                "threshold"
            ]
        );
        assert_eq!(pairs[0].1, 5.0);
        assert_close(pairs[3].1, 0.75, "scam precision");
        assert_close(pairs[6].1, 0.5, "threshold");
        // What cannot be computed is stored as NaN, as before the struct.
        let empty = CrossValidationMetrics::new(2, &Report::compute(&[], 0.5, &[], 0));
        assert!(empty.to_pairs()[1].1.is_nan());
    }
}
