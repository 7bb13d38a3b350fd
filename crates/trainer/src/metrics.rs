//! The metrics of an evaluation as pure functions of scores and labels.
//!
//! [`confusion`] counts a [`Confusion`] matrix, [`class_metrics`] turns it into precision,
//! recall and F1; [`roc_auc`], [`pr_auc`], [`roc_curve`], [`pr_curve`] and
//! [`threshold_for_max_fpr`] work on plain `(score, is_scam)` pairs. The
//! [`Report`](crate::Report) is built from them.
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
//!   the order of the scores is kept while every number stays finite (and
//!   therefore valid JSON). `-0.0` is read as `0.0` so that it ties with `0.0`.
//! * Ties in score are one threshold everywhere (ROC, PR, threshold search).

use serde::{Deserialize, Serialize};

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

/// Counts the confusion matrix of `(is_scam, flagged)` outcomes.
pub fn confusion(outcomes: impl IntoIterator<Item = (bool, bool)>) -> Confusion {
    let mut c = Confusion {
        tp: 0,
        fp: 0,
        tn: 0,
        fn_: 0,
    };
    for (scam, flagged) in outcomes {
        match (scam, flagged) {
            (true, true) => c.tp += 1,
            (true, false) => c.fn_ += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
        }
    }
    c
}

/// Reads a number as every metric does: NaN as 0.0, infinities as the largest
/// finite value of their sign, -0.0 as 0.0.
pub(crate) fn clean(x: f64) -> f64 {
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
pub(crate) fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// `num / den`, or `None` when `den` is 0.
pub(crate) fn ratio_opt(num: usize, den: usize) -> Option<f64> {
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
pub fn class_metrics(tp: usize, fp: usize, fn_: usize) -> ClassMetrics {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const EPS: f64 = 1e-12;

    /// `(score, is_scam)` pairs.
    type Scores = Vec<(f64, bool)>;

    pub(crate) fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    pub(crate) fn assert_close(a: f64, b: f64, what: &str) {
        assert!(close(a, b), "{what}: got {a}, want {b}");
    }

    pub(crate) fn assert_opt(a: Option<f64>, b: Option<f64>, what: &str) {
        match (a, b) {
            (Some(x), Some(y)) => assert_close(x, y, what),
            (None, None) => {}
            _ => panic!("{what}: got {a:?}, want {b:?}"),
        }
    }

    /// `(score, is_scam)` pairs from scam scores and ham scores.
    pub(crate) fn pairs(scam: &[f64], ham: &[f64]) -> Vec<(f64, bool)> {
        scam.iter()
            .map(|&s| (s, true))
            .chain(ham.iter().map(|&s| (s, false)))
            .collect()
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
    fn confusion_and_class_metrics_by_hand() {
        // (is_scam, flagged): 3 TP, 1 FN, 2 FP, 4 TN.
        let outcomes = [
            (true, true),
            (true, true),
            (true, true),
            (true, false),
            (false, true),
            (false, true),
            (false, false),
            (false, false),
            (false, false),
            (false, false),
        ];
        let c = confusion(outcomes);
        assert_eq!(
            c,
            Confusion {
                tp: 3,
                fp: 2,
                tn: 4,
                fn_: 1
            }
        );
        // scam: P = 3/5, R = 3/4, F1 = 2(3/5)(3/4)/(3/5 + 3/4) = 0.9/1.35 = 2/3
        let scam = class_metrics(c.tp, c.fp, c.fn_);
        assert_opt(scam.precision, Some(0.6), "scam precision");
        assert_opt(scam.recall, Some(0.75), "scam recall");
        assert_opt(scam.f1, Some(2.0 / 3.0), "scam f1");
        // ham, the same matrix seen from the other side: P = 4/5, R = 4/6, F1 = 8/11
        let ham = class_metrics(c.tn, c.fn_, c.fp);
        assert_opt(ham.precision, Some(0.8), "ham precision");
        assert_opt(ham.recall, Some(4.0 / 6.0), "ham recall");
        assert_opt(ham.f1, Some(8.0 / 11.0), "ham f1");
    }

    #[test]
    fn empty_denominators_are_none_not_zero() {
        // (tp, fp, fn) and the expected precision, recall and F1.
        type Case = (&'static str, (usize, usize, usize), [Option<f64>; 3]);
        let cases: &[Case] = &[
            // Nothing predicted as the class: no precision, recall 0 of 2.
            ("never predicted", (0, 0, 2), [None, Some(0.0), None]),
            // The class has no mail, one predicted wrongly: precision 0, no recall.
            ("no mail of the class", (0, 1, 0), [Some(0.0), None, None]),
            ("nothing at all", (0, 0, 0), [None, None, None]),
            // Both 0 but defined: F1 is 0, not NaN.
            ("all wrong", (0, 1, 1), [Some(0.0), Some(0.0), Some(0.0)]),
        ];
        for (name, (tp, fp, fn_), [p, r, f]) in cases {
            let m = class_metrics(*tp, *fp, *fn_);
            assert_opt(m.precision, *p, name);
            assert_opt(m.recall, *r, name);
            assert_opt(m.f1, *f, name);
        }
        let none = confusion(Vec::<(bool, bool)>::new());
        assert_eq!((none.tp, none.fp, none.tn, none.fn_), (0, 0, 0, 0));
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
        // The sentinel really flags nothing, not even a probability of 1.
        let th = threshold_for_max_fpr(&t, 0.0);
        let c = confusion([(true, 1.0), (false, 0.8)].map(|(scam, p)| (scam, p >= th)));
        assert_eq!(c.tp + c.fp, 0);
    }
}
