//! An honest evaluation report for scored mails.
//!
//! [`Report::compute`] takes the scored mails, a decision threshold and some
//! named slices, and gives the class metrics, ranking metrics (ROC-AUC and
//! PR-AUC), the confusion matrix, recall per category, the slices and the most
//! confident mistakes. The free functions ([`roc_auc`], [`pr_auc`],
//! [`roc_curve`], [`pr_curve`], [`threshold_for_max_fpr`]) work on plain
//! `(score, is_scam)` pairs.
//!
//! # Conventions (so that no number is ever NaN)
//!
//! * A mail is **predicted scam** when `scam_probability >= threshold`.
//! * A metric whose denominator is empty is `None` (`n/a` in tables, `null` in
//!   JSON), never a misleading `0.0`: **precision** with no predicted
//!   positives, **recall** with no actual positives, **F1** when either is
//!   `None`, the **false-positive rate** without ham. **F1** is `0.0` when
//!   precision and recall are both `0.0`. **Accuracy** of an empty set is `0.0`.
//! * **Non-finite input**: a NaN probability (or threshold, or reason weight)
//!   is read as `0.0`; `+inf` / `-inf` are read as `f64::MAX` / `f64::MIN`, so
//!   the order of the scores is kept while every number in the report stays
//!   finite (and therefore valid JSON). `-0.0` is read as `0.0` so that it ties
//!   with `0.0`.
//! * Ties in score are one threshold everywhere (ROC, PR, threshold search).
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
use std::fmt::Write as _;

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

/// Precision, recall and F1 of one class (see the module conventions for
/// empty denominators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// Share of predicted mails of the class that are of it; `None` when none was
    /// predicted as it.
    pub precision: Option<f64>,
    /// Share of the class's mails predicted as it; `None` when the class has no mail.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall; `None` when either is.
    pub f1: Option<f64>,
}

/// The confusion matrix, scam being the positive class. `fn_` is serialised
/// as `"fn"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    /// Scam predicted scam.
    pub tp: usize,
    /// Ham predicted scam.
    pub fp: usize,
    /// Ham predicted ham.
    pub tn: usize,
    /// Scam predicted ham (`fn` in JSON).
    #[serde(rename = "fn")]
    pub fn_: usize,
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

/// Reads a number as the report does: NaN as 0.0, infinities as the largest
/// finite value of their sign, -0.0 as 0.0.
fn clean(x: f64) -> f64 {
    if x.is_nan() || x == 0.0 {
        0.0
    } else if x == f64::INFINITY {
        f64::MAX
    } else if x == f64::NEG_INFINITY {
        f64::MIN
    } else {
        x
    }
}

/// `num / den`, or 0.0 when `den` is 0.
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// `num / den`, or `None` when `den` is 0.
fn ratio_opt(num: usize, den: usize) -> Option<f64> {
    (den != 0).then(|| num as f64 / den as f64)
}

fn f1(precision: f64, recall: f64) -> f64 {
    let sum = precision + recall;
    if sum > 0.0 {
        2.0 * precision * recall / sum
    } else {
        0.0
    }
}

/// Metrics that cannot be computed (a class without mail, a class never predicted) are
/// `None`: `n/a` in tables, `null` in JSON, never a misleading 0.
fn class_metrics(tp: usize, fp: usize, fn_: usize) -> ClassMetrics {
    let precision = ratio_opt(tp, tp + fp);
    let recall = ratio_opt(tp, tp + fn_);
    ClassMetrics {
        precision,
        recall,
        f1: precision.zip(recall).map(|(p, r)| f1(p, r)),
    }
}

/// One distinct score with how many positives and negatives have it.
struct Group {
    score: f64,
    pos: usize,
    neg: usize,
}

/// Cleans the scores and merges ties, highest score first.
fn groups(scores: &[(f64, bool)]) -> Vec<Group> {
    let mut sorted: Vec<(f64, bool)> = scores.iter().map(|&(s, y)| (clean(s), y)).collect();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<Group> = Vec::new();
    for (score, y) in sorted {
        match out.last_mut() {
            Some(g) if g.score == score => {}
            _ => out.push(Group {
                score,
                pos: 0,
                neg: 0,
            }),
        }
        let g = out.last_mut().expect("a group was just ensured");
        if y {
            g.pos += 1;
        } else {
            g.neg += 1;
        }
    }
    out
}

fn totals(groups: &[Group]) -> (usize, usize) {
    groups
        .iter()
        .fold((0, 0), |(p, n), g| (p + g.pos, n + g.neg))
}

/// Area under the ROC curve by the rank statistic (Mann–Whitney U): the share
/// of (scam, ham) pairs in which the scam scores higher, a tie counting as
/// half. `None` when either class is empty. NaN scores are read as 0.0.
pub fn roc_auc(scores: &[(f64, bool)]) -> Option<f64> {
    let gs = groups(scores);
    let (p, n) = totals(&gs);
    if p == 0 || n == 0 {
        return None;
    }
    // Twice U, in integers so that it is exact: each ham is beaten by every
    // scam above it (2 each) and tied with every scam at its score (1 each).
    let mut twice_u: u128 = 0;
    let mut pos_above: u128 = 0;
    for g in &gs {
        twice_u += g.neg as u128 * (2 * pos_above + g.pos as u128);
        pos_above += g.pos as u128;
    }
    Some(twice_u as f64 / (2.0 * p as f64 * n as f64))
}

/// Average precision, as scikit-learn's `average_precision_score` computes
/// it: `sum_n (R_n - R_{n-1}) * P_n` over the distinct scores taken as
/// thresholds from the highest down (tied scores form one threshold,
/// `R_0 = 0`). `None` when there is no positive. NaN scores are read as 0.0.
pub fn pr_auc(scores: &[(f64, bool)]) -> Option<f64> {
    let gs = groups(scores);
    let (p, _) = totals(&gs);
    if p == 0 {
        return None;
    }
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut prev_recall = 0.0;
    let mut ap = 0.0;
    for g in &gs {
        tp += g.pos;
        fp += g.neg;
        let recall = ratio(tp, p);
        ap += (recall - prev_recall) * ratio(tp, tp + fp);
        prev_recall = recall;
    }
    Some(ap)
}

/// Points `(fpr, tpr)` of the ROC curve, one per distinct score, from the
/// highest score (taken as the threshold, `>=` flags) down to the lowest,
/// which ends at `(1, 1)`. The origin `(0, 0)` is not included: add it when
/// plotting. A rate with an empty class is 0.0. Empty input gives no point.
pub fn roc_curve(scores: &[(f64, bool)]) -> Vec<(f64, f64)> {
    let gs = groups(scores);
    let (p, n) = totals(&gs);
    let (mut tp, mut fp) = (0usize, 0usize);
    gs.iter()
        .map(|g| {
            tp += g.pos;
            fp += g.neg;
            (ratio(fp, n), ratio(tp, p))
        })
        .collect()
}

/// Points `(recall, precision)` of the precision-recall curve, one per
/// distinct score, from the highest score (taken as the threshold) down.
/// Recall with no positives is 0.0. Empty input gives no point.
pub fn pr_curve(scores: &[(f64, bool)]) -> Vec<(f64, f64)> {
    let gs = groups(scores);
    let (p, _) = totals(&gs);
    let (mut tp, mut fp) = (0usize, 0usize);
    gs.iter()
        .map(|g| {
            tp += g.pos;
            fp += g.neg;
            (ratio(tp, p), ratio(tp, tp + fp))
        })
        .collect()
}

/// The threshold with the highest recall whose false-positive rate on ham
/// stays `<= max_fpr`; among thresholds with that recall, the highest. The
/// threshold is one of the (cleaned) scores, with `>=` flagging.
///
/// Flagging nothing is always allowed (its FPR is 0), so when no score
/// satisfies `max_fpr` (for instance `max_fpr` below the smallest non-zero
/// FPR, or NaN), or when the best recall reachable is 0 (for instance when
/// there is no scam, or empty input), the result is a threshold **above
/// every score and above 1.0**: the next `f64` after `max(1.0, highest
/// score)`, which flags none of these mails nor any later mail with a valid
/// probability. With no ham every threshold has FPR 0. (Only if a score is
/// `+inf` or `f64::MAX` is there no finite threshold above it; `f64::MAX` is
/// returned then.)
pub fn threshold_for_max_fpr(scores: &[(f64, bool)], max_fpr: f64) -> f64 {
    let gs = groups(scores);
    let (_, n) = totals(&gs);
    let top = gs.first().map_or(1.0, |g| g.score.max(1.0));
    let mut best = if top == f64::MAX { top } else { top.next_up() };
    if max_fpr.is_nan() {
        return best;
    }
    let mut best_tp = 0usize;
    let (mut tp, mut fp) = (0usize, 0usize);
    // From the highest threshold down recall and FPR can only grow, so the
    // walk stops at the first threshold over max_fpr, and a threshold
    // replaces the best only when it raises recall (ties keep the higher).
    for g in &gs {
        tp += g.pos;
        fp += g.neg;
        if ratio(fp, n) > max_fpr {
            break;
        }
        if tp > best_tp {
            best_tp = tp;
            best = g.score;
        }
    }
    best
}

fn label(scam: bool) -> &'static str {
    if scam { "scam" } else { "ham" }
}

impl Report {
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

        let mut c = Confusion {
            tp: 0,
            fp: 0,
            tn: 0,
            fn_: 0,
        };
        for m in scored {
            match (m.scam, flagged(m)) {
                (true, true) => c.tp += 1,
                (true, false) => c.fn_ += 1,
                (false, true) => c.fp += 1,
                (false, false) => c.tn += 1,
            }
        }

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

    /// A plain-text report for people, in aligned columns (column widths
    /// count East Asian wide characters, such as Japanese, as two cells).
    pub fn to_table(&self) -> String {
        let num = |x: f64| format!("{x:.3}");
        let opt = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), num);
        let c = &self.confusion;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "evaluation of {} mails at threshold {} (scam when probability >= threshold)\n",
            self.n, self.threshold
        );

        let class_row = |name: &str, m: &ClassMetrics| {
            vec![name.to_string(), opt(m.precision), opt(m.recall), opt(m.f1)]
        };
        out += &render(
            &[
                vec![
                    "class".into(),
                    "precision".into(),
                    "recall".into(),
                    "F1".into(),
                ],
                class_row("scam", &self.scam),
                class_row("ham", &self.ham),
            ],
            &[L, R, R, R],
        );
        out.push('\n');

        out += &render(
            &[
                vec!["accuracy".into(), num(self.accuracy), String::new()],
                vec!["ROC-AUC".into(), opt(self.roc_auc), String::new()],
                vec!["PR-AUC".into(), opt(self.pr_auc), String::new()],
                vec![
                    format!("FPR at {}", self.threshold),
                    opt(self.false_positive_rate),
                    format!("({} of {} ham flagged)", c.fp, c.fp + c.tn),
                ],
            ],
            &[L, R, L],
        );
        out.push('\n');

        out += &render(
            &[
                vec!["confusion".into(), "pred scam".into(), "pred ham".into()],
                vec!["true scam".into(), c.tp.to_string(), c.fn_.to_string()],
                vec!["true ham".into(), c.fp.to_string(), c.tn.to_string()],
            ],
            &[L, R, R],
        );
        out.push('\n');

        out += "recall per category (scam categories: share flagged; ham categories: share not flagged)\n";
        if self.per_category.is_empty() {
            out += "  (no categorised mail)\n";
        } else {
            let mut rows = vec![vec!["category".into(), "n".into(), "recall".into()]];
            rows.extend(
                self.per_category
                    .iter()
                    .map(|r| vec![r.category.clone(), r.n.to_string(), num(r.recall)]),
            );
            out += &render(&rows, &[L, R, R]);
        }
        out.push('\n');

        out += "slices (FPR over the slice's ham, recall over its scam)\n";
        if self.slices.is_empty() {
            out += "  (none)\n";
        } else {
            let mut rows = vec![vec![
                "slice".into(),
                "n".into(),
                "FPR".into(),
                "recall".into(),
            ]];
            rows.extend(self.slices.iter().map(|s| {
                vec![
                    s.name.clone(),
                    s.n.to_string(),
                    opt(s.false_positive_rate),
                    opt(s.recall),
                ]
            }));
            out += &render(&rows, &[L, R, R, R]);
        }
        out.push('\n');

        out += "worst mistakes (farthest from the threshold first)\n";
        if self.worst.is_empty() {
            out += "  (none)\n";
        } else {
            let mut rows = vec![vec![
                "id".into(),
                "true".into(),
                "probability".into(),
                "top reasons".into(),
            ]];
            rows.extend(self.worst.iter().map(|m| {
                let reasons = m
                    .reasons
                    .iter()
                    .take(3)
                    .map(|(name, w)| format!("{name} ({w:+.3})"))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    m.id.clone(),
                    m.label.clone(),
                    format!("{:.4}", m.scam_probability),
                    reasons,
                ]
            }));
            out += &render(&rows, &[L, L, R, L]);
        }
        out
    }
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}
const L: Align = Align::Left;
const R: Align = Align::Right;

/// Terminal cells taken by `c`: 2 for East Asian wide and fullwidth
/// characters (CJK, kana, Hangul, fullwidth forms), 0 for combining marks and
/// zero-width characters, 1 otherwise. An approximation of Unicode's East
/// Asian Width, sufficient for Japanese text.
fn char_width(c: char) -> usize {
    match c as u32 {
        0x0300..=0x036F | 0x200B..=0x200F | 0x3099..=0x309A | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Control characters (a newline in an id, say) would break the table, so
/// they are shown escaped.
fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let e: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            e
        })
        .collect()
}

fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Renders rows as columns separated by two spaces, each line indented by
/// two spaces; trailing blanks are trimmed.
fn render(rows: &[Vec<String>], align: &[Align]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::from("  ");
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line += "  ";
            }
            let pad = " ".repeat(widths[i] - width(cell));
            match align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => {
                    line += cell;
                    line += &pad;
                }
                Align::Right => {
                    line += &pad;
                    line += cell;
                }
            }
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    /// `(score, is_scam)` pairs.
    type Scores = Vec<(f64, bool)>;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    fn assert_close(a: f64, b: f64, what: &str) {
        assert!(close(a, b), "{what}: got {a}, want {b}");
    }

    fn assert_opt(a: Option<f64>, b: Option<f64>, what: &str) {
        match (a, b) {
            (Some(x), Some(y)) => assert_close(x, y, what),
            (None, None) => {}
            _ => panic!("{what}: got {a:?}, want {b:?}"),
        }
    }

    /// `(score, is_scam)` pairs from scam scores and ham scores.
    fn pairs(scam: &[f64], ham: &[f64]) -> Vec<(f64, bool)> {
        scam.iter()
            .map(|&s| (s, true))
            .chain(ham.iter().map(|&s| (s, false)))
            .collect()
    }

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
    fn roc_auc_cases() {
        let cases: &[(&str, Scores, Option<f64>)] = &[
            (
                "perfect separation",
                pairs(&[0.9, 0.8], &[0.2, 0.1]),
                Some(1.0),
            ),
            ("reversed", pairs(&[0.2, 0.1], &[0.9, 0.8]), Some(0.0)),
            ("all ties", pairs(&[0.5, 0.5], &[0.5, 0.5, 0.5]), Some(0.5)),
            // scam {0.9, 0.6, 0.4}, ham {0.6, 0.4, 0.1}: 9 pairs.
            // 0.9 beats all three ham                  -> 3
            // 0.6 ties 0.6 (0.5), beats 0.4 and 0.1    -> 2.5
            // 0.4 loses to 0.6, ties 0.4 (0.5), beats 0.1 -> 1.5
            // U = 7, AUC = 7/9
            (
                "small case with ties",
                pairs(&[0.9, 0.6, 0.4], &[0.6, 0.4, 0.1]),
                Some(7.0 / 9.0),
            ),
            // scam {0.8, 0.3}, ham {0.5}: 0.8 beats, 0.3 loses -> 1/2
            ("one of two", pairs(&[0.8, 0.3], &[0.5]), Some(0.5)),
            ("no ham", pairs(&[0.9, 0.1], &[]), None),
            ("no scam", pairs(&[], &[0.9, 0.1]), None),
            ("empty", vec![], None),
        ];
        for (name, scores, want) in cases {
            assert_opt(roc_auc(scores), *want, name);
        }
    }

    #[test]
    fn pr_auc_matches_average_precision() {
        let cases: &[(&str, Scores, Option<f64>)] = &[
            // scikit-learn's documented example: y=[0,0,1,1],
            // s=[0.1,0.4,0.35,0.8] -> 0.8333...
            // 0.8 P: tp1 fp0 P=1   R=1/2 -> 1/2 * 1   = 1/2
            // 0.4 N: R unchanged                -> 0
            // 0.35 P: tp2 fp1 P=2/3 R=1   -> 1/2 * 2/3 = 1/3
            // 0.1 N: R unchanged                -> 0
            // AP = 1/2 + 1/3 = 5/6
            (
                "sklearn doc example",
                pairs(&[0.35, 0.8], &[0.1, 0.4]),
                Some(5.0 / 6.0),
            ),
            // Descending: 0.9 P, 0.8 N, 0.7 P, 0.6 N, 0.5 P (3 positives)
            // 0.9: tp1 fp0 P=1   R=1/3 -> 1/3 * 1   = 1/3
            // 0.7: tp2 fp1 P=2/3 R=2/3 -> 1/3 * 2/3 = 2/9
            // 0.5: tp3 fp2 P=3/5 R=1   -> 1/3 * 3/5 = 1/5
            // AP = 15/45 + 10/45 + 9/45 = 34/45
            (
                "alternating",
                pairs(&[0.9, 0.7, 0.5], &[0.8, 0.6]),
                Some(34.0 / 45.0),
            ),
            // With ties: 0.8 {P, N}, 0.5 {P, P, N}, 0.2 {N} (3 positives)
            // 0.8: tp1 fp1 P=1/2 R=1/3 -> 1/3 * 1/2 = 1/6
            // 0.5: tp3 fp2 P=3/5 R=1   -> 2/3 * 3/5 = 2/5
            // 0.2: R unchanged         -> 0
            // AP = 5/30 + 12/30 = 17/30
            // (without merging ties it would differ: the order inside a tie
            // would matter)
            (
                "ties",
                pairs(&[0.8, 0.5, 0.5], &[0.8, 0.5, 0.2]),
                Some(17.0 / 30.0),
            ),
            // One threshold holding everything: P = 2/4, R = 1 -> 1/2
            ("all tied", pairs(&[0.5, 0.5], &[0.5, 0.5]), Some(0.5)),
            ("perfect", pairs(&[0.9, 0.8], &[0.2]), Some(1.0)),
            // No ham: precision is 1 at every threshold -> 1
            ("no ham", pairs(&[0.9, 0.3], &[]), Some(1.0)),
            ("no scam", pairs(&[], &[0.9, 0.3]), None),
            ("empty", vec![], None),
        ];
        for (name, scores, want) in cases {
            assert_opt(pr_auc(scores), *want, name);
        }
    }

    #[test]
    fn curves_one_point_per_distinct_score() {
        // 0.9 P, 0.6 {P, N}, 0.1 N; 2 positives, 2 negatives.
        let s = pairs(&[0.9, 0.6], &[0.6, 0.1]);
        let roc = roc_curve(&s);
        let want_roc = [(0.0, 0.5), (0.5, 1.0), (1.0, 1.0)];
        assert_eq!(roc.len(), want_roc.len());
        for (got, want) in roc.iter().zip(want_roc) {
            assert!(close(got.0, want.0) && close(got.1, want.1), "{roc:?}");
        }
        let pr = pr_curve(&s);
        let want_pr = [(0.5, 1.0), (1.0, 2.0 / 3.0), (1.0, 0.5)];
        assert_eq!(pr.len(), want_pr.len());
        for (got, want) in pr.iter().zip(want_pr) {
            assert!(close(got.0, want.0) && close(got.1, want.1), "{pr:?}");
        }
        assert!(roc_curve(&[]).is_empty());
        assert!(pr_curve(&[]).is_empty());
        // One class only: the empty class's rate is 0, never NaN.
        for (x, y) in roc_curve(&pairs(&[], &[0.3, 0.2]))
            .into_iter()
            .chain(pr_curve(&pairs(&[], &[0.3, 0.2])))
        {
            assert!(x.is_finite() && y.is_finite());
        }
        assert_eq!(roc_curve(&pairs(&[0.3], &[])), vec![(0.0, 1.0)]);
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

    #[test]
    fn threshold_for_max_fpr_cases() {
        // scam {0.9, 0.8, 0.6, 0.3}, ham {0.7, 0.4, 0.2, 0.1}:
        // t    tp fp  recall FPR
        // 0.9  1  0   .25    0
        // 0.8  2  0   .5     0
        // 0.7  2  1   .5     .25
        // 0.6  3  1   .75    .25
        // 0.4  3  2   .75    .5
        // 0.3  4  2   1      .5
        // 0.2  4  3   1      .75
        // 0.1  4  4   1      1
        let s = pairs(&[0.9, 0.8, 0.6, 0.3], &[0.7, 0.4, 0.2, 0.1]);
        // Ties: 0.8 {scam, ham}, 0.5 scam, 0.2 ham:
        // 0.8: recall .5 FPR .5; 0.5: recall 1 FPR .5; 0.2: recall 1 FPR 1
        let t = pairs(&[0.8, 0.5], &[0.8, 0.2]);
        let above_one = 1.0f64.next_up();
        let cases: &[(&str, &Scores, f64, f64)] = &[
            ("max_fpr 0", &s, 0.0, 0.8),
            ("max_fpr exactly .25", &s, 0.25, 0.6),
            ("max_fpr .3", &s, 0.3, 0.6),
            ("max_fpr .5", &s, 0.5, 0.3),
            // recall 1 at 0.3, 0.2 and 0.1: the highest wins
            ("max_fpr 1, recall ties", &s, 1.0, 0.3),
            // a tied score flags its ham with its scam: nothing at FPR 0
            ("ties, max_fpr 0", &t, 0.0, above_one),
            ("ties, max_fpr .5", &t, 0.5, 0.5),
            ("ties, max_fpr 1", &t, 1.0, 0.5),
            ("negative max_fpr", &s, -0.1, above_one),
            ("NaN max_fpr", &s, f64::NAN, above_one),
            // no ham: FPR is 0 everywhere, full recall at the lowest score
            ("no ham", &pairs(&[0.3, 0.7], &[]), 0.0, 0.3),
            // no scam: recall is 0 everywhere, so flag nothing
            ("no scam", &pairs(&[], &[0.2, 0.4]), 1.0, above_one),
            ("empty", &vec![], 0.1, above_one),
            // scores above 1: the sentinel is above them too
            (
                "scores above 1",
                &pairs(&[2.0], &[3.0]),
                0.0,
                3.0f64.next_up(),
            ),
        ];
        for (name, scores, max_fpr, want) in cases {
            let got = threshold_for_max_fpr(scores, *max_fpr);
            assert_eq!(got, *want, "{name}");
        }
        // The sentinel really flags nothing.
        let th = threshold_for_max_fpr(&t, 0.0);
        let mails = [mail("1", true, None, 1.0), mail("2", false, None, 0.8)];
        let r = Report::compute(&mails, th, &[], 0);
        assert_eq!(r.confusion.tp + r.confusion.fp, 0);
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
        let _ = r.to_table();

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
        assert!(r.to_table().contains("n/a"));
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
            let _ = r.to_table();
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
    fn table_for_people() {
        let t = hand_report(3).to_table();
        for needle in [
            "precision",
            "accuracy",
            "ROC-AUC",
            "PR-AUC",
            "FPR at 0.5",
            "(1 of 5 ham flagged)",
            "pred scam",
            "当選詐欺",
            "legitimate brand mail",
            "url_mismatch (+0.500), urgent_words (+0.250), 至急 (+0.125)",
        ] {
            assert!(t.contains(needle), "missing {needle:?} in\n{t}");
        }
        assert!(!t.contains("fourth"), "only the top 3 reasons:\n{t}");
        assert!(!t.contains("NaN"));
        // Lines are aligned by display width: the recall column of the
        // per-category table ends at the same cell for ASCII and Japanese
        // names (a Japanese character takes two cells).
        let ends: Vec<usize> = t
            .lines()
            .filter(|l| l.starts_with("  phishing ") || l.starts_with("  当選詐欺 "))
            .map(width)
            .collect();
        assert_eq!(ends.len(), 2, "{t}");
        assert_eq!(ends[0], ends[1], "{t}");
        // Row values.
        assert!(t.lines().any(
            |l| l.split_whitespace().collect::<Vec<_>>() == ["scam", "0.750", "0.600", "0.667"]
        ));
        assert!(
            t.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["true", "scam", "3", "2"])
        );
        // Control characters in an id do not break lines.
        let r = Report::compute(&[mail("bad\nid", true, None, 0.1)], 0.5, &[], 1);
        assert!(r.to_table().contains("bad\\nid"));
        // Empty report: n/a rather than numbers for the undefined.
        let e = Report::compute(&[], 0.5, &[], 1).to_table();
        assert!(e.contains("n/a") && e.contains("(none)"), "{e}");
    }

    #[test]
    fn char_widths() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("当選詐欺"), 8);
        assert_eq!(width("カタカナ"), 8);
        assert_eq!(width("ｶﾀｶﾅ"), 4); // halfwidth katakana
        assert_eq!(width("Ａ"), 2); // fullwidth
        assert_eq!(width("か\u{3099}"), 2); // combining dakuten
    }
}
