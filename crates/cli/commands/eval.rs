//! `sagiguard eval`: the precision/recall report of a model on labeled datasets.

use std::fs;
use std::io::{self, Write};

use anyhow::Context;
use sagiguard_trainer::evaluate;

use crate::args::{EvalArgs, GlobalArgs};
use crate::exit::ExitStatus;
use crate::input::load_labeled;

pub fn run(global: &GlobalArgs, args: EvalArgs) -> anyhow::Result<ExitStatus> {
    let (model, tokenizer) = super::load_model(global, &args.model)?;
    let mails = load_labeled(
        &args.data,
        &args.folders,
        &args.input,
        args.split.as_deref(),
        args.on_error,
        global.quiet,
        false,
    )?;
    let (scored, report) = evaluate(&model, &tokenizer, &mails, args.threshold);
    if let Some(path) = &args.scores {
        write_scores(path, &scored, report.threshold)?;
    }
    if let Some(dir) = &args.plots {
        crate::render::write_plots(dir, &scored, &report)
            .with_context(|| format!("cannot write the plots to {}", dir.display()))?;
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", crate::render::report_table(&report))?;
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// Writes one CSV row per scored mail: `id,label,category,scam_probability,predicted,log_odds`.
/// Probabilities keep full precision: sure scams sit within 1e-6 of 1, and rounding them
/// would turn a ranking into ties.
pub(crate) fn write_scores(
    path: &std::path::Path,
    scored: &[sagiguard_trainer::Scored],
    threshold: f64,
) -> anyhow::Result<()> {
    let mut csv = String::from("id,label,category,scam_probability,predicted,log_odds\n");
    for s in scored {
        let predicted = if s.scam_probability >= threshold {
            "scam"
        } else {
            "ham"
        };
        csv.push_str(&format!(
            "{},{},{},{},{predicted},{:.6}\n",
            csv_field(&s.id),
            if s.scam { "scam" } else { "ham" },
            csv_field(s.category.as_deref().unwrap_or("")),
            s.scam_probability,
            s.log_odds
        ));
    }
    fs::write(path, csv).with_context(|| format!("cannot write {}", path.display()))
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}
