//! The evaluation's curves as SVG, and an `index.html` that shows them with the table.
//!
//! The SVG is written directly: three line and bar charts need no plotting library, and
//! plotters would need a font backend to lay out its labels, which a fresh server lacks. Text
//! stays `<text>` that the browser renders with its own fonts.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Context;
use sagiguard_trainer::metrics::{pr_curve, roc_curve};
use sagiguard_trainer::{Report, Scored};

use super::report_table;

const W: f64 = 480.0;
const H: f64 = 360.0;
const PAD: f64 = 48.0;

/// Writes `roc.svg`, `pr.svg`, `histogram.svg` and `index.html` into `dir`.
pub fn write_plots(dir: &Path, scored: &[Scored], report: &Report) -> anyhow::Result<()> {
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the plot directory", dir.display()))?;
    let scores: Vec<(f64, bool)> = scored
        .iter()
        .map(|s| (s.scam_probability, s.scam))
        .collect();
    let mut roc = vec![(0.0, 0.0)];
    roc.extend(roc_curve(&scores));
    let files = [
        (
            "roc.svg",
            line_chart(
                &format!("ROC curve (AUC {})", fmt_opt(report.roc_auc)),
                "false-positive rate",
                "true-positive rate (recall)",
                &roc,
                true,
            ),
        ),
        (
            "pr.svg",
            line_chart(
                &format!("Precision-recall curve (AP {})", fmt_opt(report.pr_auc)),
                "recall",
                "precision",
                &pr_curve(&scores),
                false,
            ),
        ),
        ("histogram.svg", histogram(&scores, report.threshold)),
        ("index.html", index(report)),
    ];
    for (name, content) in files {
        let path = dir.join(name);
        fs::write(&path, content)
            .with_context(|| format!("{}: cannot write the plot", path.display()))?;
    }
    Ok(())
}

fn fmt_opt(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{v:.3}"))
}

fn x_of(v: f64) -> f64 {
    PAD + v.clamp(0.0, 1.0) * (W - 2.0 * PAD)
}

fn y_of(v: f64) -> f64 {
    H - PAD - v.clamp(0.0, 1.0) * (H - 2.0 * PAD)
}

fn frame(title: &str, x_label: &str, y_label: &str) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">{}</text>\n",
        W / 2.0,
        escape(title)
    );
    for i in 0..=5 {
        let v = f64::from(i) / 5.0;
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{v:.1}</text>\
             <line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v:.1}</text>",
            y_of(0.0),
            y_of(1.0),
            y_of(0.0) + 16.0,
            x_of(0.0),
            x_of(1.0),
            x_of(0.0) - 6.0,
            y_of(v) + 4.0,
            x = x_of(v),
            y = y_of(v),
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n\
         <text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>",
        W / 2.0,
        H - 8.0,
        escape(x_label),
        H / 2.0,
        H / 2.0,
        escape(y_label)
    );
    s
}

fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(f64, f64)],
    diagonal: bool,
) -> String {
    let mut s = frame(title, x_label, y_label);
    if diagonal {
        let _ = writeln!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>",
            x_of(0.0),
            y_of(0.0),
            x_of(1.0),
            y_of(1.0)
        );
    }
    let path: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{:.1},{:.1}", x_of(*x), y_of(*y)))
        .collect();
    let _ = writeln!(
        s,
        "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"{}\"/>",
        path.join(" ")
    );
    s.push_str("</svg>\n");
    s
}

/// Scam probabilities of scam and ham mails in 20 bins, with the threshold marked.
fn histogram(scores: &[(f64, bool)], threshold: f64) -> String {
    const BINS: usize = 20;
    let mut counts = [[0usize; BINS]; 2];
    for &(p, scam) in scores {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let bin = ((p * BINS as f64) as usize).min(BINS - 1);
        counts[usize::from(scam)][bin] += 1;
    }
    let max = counts.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let mut s = frame(
        "Scam probability by true label",
        "scam probability",
        "share of the busiest bin",
    );
    let width = (W - 2.0 * PAD) / BINS as f64 / 2.0;
    for (label, color, offset) in [(0, "#2e86c1", 0.0), (1, "#c0392b", width)] {
        for (bin, &n) in counts[label].iter().enumerate() {
            let x = x_of(bin as f64 / BINS as f64) + offset;
            let top = y_of(n as f64 / max);
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{color}\" opacity=\"0.8\"/>",
                y_of(0.0) - top
            );
        }
    }
    let _ = writeln!(
        s,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"black\" stroke-dasharray=\"3 3\"/>\n\
         <text x=\"{}\" y=\"44\" fill=\"#2e86c1\">■ ham</text><text x=\"{}\" y=\"60\" fill=\"#c0392b\">■ scam</text>\n\
         <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">threshold {threshold:.3}</text>",
        y_of(0.0),
        y_of(1.0),
        x_of(0.05),
        x_of(0.05),
        y_of(1.0) - 4.0,
        x = x_of(threshold),
    );
    s.push_str("</svg>\n");
    s
}

fn index(report: &Report) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sagiguard evaluation</title>\
         <style>body{{font-family:sans-serif;margin:2em}} pre{{background:#f6f6f6;padding:1em}}</style></head>\n\
         <body><h1>sagiguard evaluation</h1>\n<p><img src=\"roc.svg\" alt=\"ROC curve\"> <img src=\"pr.svg\" alt=\"precision-recall curve\"> \
         <img src=\"histogram.svg\" alt=\"score histogram\"></p>\n<pre>{}</pre>\n</body></html>\n",
        escape(&report_table(report))
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(p: f64, scam: bool) -> Scored {
        Scored {
            id: format!("{p}-{scam}"),
            scam,
            category: None,
            scam_probability: p,
            log_odds: 0.0,
            reasons: Vec::new(),
        }
    }

    #[test]
    fn writes_three_svgs_and_an_index() {
        let scored = vec![
            scored(0.9, true),
            scored(0.8, true),
            scored(0.3, false),
            scored(0.85, false),
            scored(f64::NAN, false),
        ];
        let report = Report::compute(&scored, 0.5, &[], 3);
        let dir = tempfile::tempdir().unwrap();
        write_plots(dir.path(), &scored, &report).unwrap();
        for name in ["roc.svg", "pr.svg", "histogram.svg"] {
            let svg = fs::read_to_string(dir.path().join(name)).unwrap();
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{name}"
            );
            assert!(!svg.contains("NaN"), "{name}");
        }
        let html = fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(html.contains("roc.svg") && html.contains("precision"));
    }
}
