//! The evaluation [`Report`] as a plain-text table for people: aligned columns, `n/a` for
//! what cannot be computed, control characters shown escaped.

use std::fmt::Write as _;

use sagiguard_trainer::Report;
use sagiguard_trainer::report::ClassMetrics;

use crate::terminal::display_width;

/// The report in aligned columns (widths in terminal cells: a Japanese character takes two).
pub fn report_table(report: &Report) -> String {
    let num = |x: f64| format!("{x:.3}");
    let opt = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), num);
    let c = &report.confusion;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "evaluation of {} mails at threshold {} (scam when probability >= threshold)\n",
        report.n, report.threshold
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
            class_row("scam", &report.scam),
            class_row("ham", &report.ham),
        ],
        &[L, R, R, R],
    );
    out.push('\n');

    out += &render(
        &[
            vec!["accuracy".into(), num(report.accuracy), String::new()],
            vec!["ROC-AUC".into(), opt(report.roc_auc), String::new()],
            vec!["PR-AUC".into(), opt(report.pr_auc), String::new()],
            vec![
                format!("FPR at {}", report.threshold),
                opt(report.false_positive_rate),
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

    out +=
        "recall per category (scam categories: share flagged; ham categories: share not flagged)\n";
    if report.per_category.is_empty() {
        out += "  (no categorised mail)\n";
    } else {
        let mut rows = vec![vec!["category".into(), "n".into(), "recall".into()]];
        rows.extend(
            report
                .per_category
                .iter()
                .map(|r| vec![r.category.clone(), r.n.to_string(), num(r.recall)]),
        );
        out += &render(&rows, &[L, R, R]);
    }
    out.push('\n');

    out += "slices (FPR over the slice's ham, recall over its scam)\n";
    if report.slices.is_empty() {
        out += "  (none)\n";
    } else {
        let mut rows = vec![vec![
            "slice".into(),
            "n".into(),
            "FPR".into(),
            "recall".into(),
        ]];
        rows.extend(report.slices.iter().map(|s| {
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
    if report.worst.is_empty() {
        out += "  (none)\n";
    } else {
        let mut rows = vec![vec![
            "id".into(),
            "true".into(),
            "probability".into(),
            "top reasons".into(),
        ]];
        rows.extend(report.worst.iter().map(|m| {
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

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}
const L: Align = Align::Left;
const R: Align = Align::Right;

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
                .map(|c| display_width(c))
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
            let pad = " ".repeat(widths[i] - display_width(cell));
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
    use sagiguard_trainer::Scored;

    use super::*;

    /// `(id, scam, category, probability)`, each with the same four reasons.
    fn scored(mails: &[(&str, bool, &str, f64)]) -> Vec<Scored> {
        let reasons = [
            ("url_mismatch", 0.5),
            ("urgent_words", 0.25),
            ("至急", 0.125),
            ("fourth", 0.0625),
        ];
        mails
            .iter()
            .map(|&(id, scam, category, p)| Scored {
                id: id.into(),
                scam,
                category: (!category.is_empty()).then(|| category.into()),
                scam_probability: p,
                log_odds: 0.0,
                reasons: reasons.iter().map(|&(r, w)| (r.into(), w)).collect(),
            })
            .collect()
    }

    #[test]
    fn table_for_people() {
        // At 0.5: scam a and d flagged, c missed; ham e flagged, f not.
        let mails = scored(&[
            ("a", true, "phishing", 0.9),
            ("c", true, "phishing", 0.4),
            ("d", true, "当選詐欺", 0.7),
            ("e", false, "brand_order", 0.65),
            ("f", false, "brand_order", 0.2),
        ]);
        let brand: &[&str] = &["brand_order", "brand_security"];
        let t = report_table(&Report::compute(
            &mails,
            0.5,
            &[("legitimate brand mail", brand)],
            3,
        ));
        for needle in [
            "precision",
            "accuracy",
            "ROC-AUC",
            "PR-AUC",
            "FPR at 0.5",
            "(1 of 2 ham flagged)",
            "pred scam",
            "当選詐欺",
            "legitimate brand mail",
            "url_mismatch (+0.500), urgent_words (+0.250), 至急 (+0.125)",
        ] {
            assert!(t.contains(needle), "missing {needle:?} in\n{t}");
        }
        assert!(!t.contains("fourth"), "only the top 3 reasons:\n{t}");
        assert!(!t.contains("NaN"));
        // Aligned by display width: the recall column of the per-category table ends at
        // the same cell for ASCII and Japanese names.
        let ends: Vec<usize> = t
            .lines()
            .filter(|l| l.starts_with("  phishing ") || l.starts_with("  当選詐欺 "))
            .map(display_width)
            .collect();
        assert_eq!(ends.len(), 2, "{t}");
        assert_eq!(ends[0], ends[1], "{t}");
        let row = |cells: &[&str]| {
            t.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == cells)
        };
        assert!(row(&["scam", "0.667", "0.667", "0.667"]), "{t}");
        assert!(row(&["true", "scam", "2", "1"]), "{t}");
    }

    #[test]
    fn what_cannot_be_shown_is_escaped_or_n_a() {
        // A control character in an id does not break the line.
        let r = Report::compute(&scored(&[("bad\nid", true, "", 0.1)]), 0.5, &[], 1);
        assert!(report_table(&r).contains("bad\\nid"));
        let e = report_table(&Report::compute(&[], 0.5, &[], 1));
        assert!(e.contains("n/a") && e.contains("(none)"), "{e}");
        // No ham: no FPR and no ham metrics.
        let r = Report::compute(&scored(&[("1", true, "", 0.9)]), 0.5, &[], 5);
        assert!(report_table(&r).contains("n/a"));
    }
}
