//! `sagiguard model info`: what a model has counted.

use std::io::{self, Write};

use anyhow::Context;
use sagiguard_trainer::Model;

use crate::args::{GlobalArgs, ModelCommand, ModelInfoArgs};
use crate::exit::ExitStatus;

pub fn run(_global: &GlobalArgs, command: ModelCommand) -> anyhow::Result<ExitStatus> {
    match command {
        ModelCommand::Info(args) => info(args),
    }
}

fn info(args: ModelInfoArgs) -> anyhow::Result<ExitStatus> {
    let size = std::fs::metadata(&args.model)
        .with_context(|| format!("cannot read {}", args.model.display()))?
        .len();
    let mut model = Model::load_for_learning(&args.model)?;
    let info = model.info()?;
    let mut out = io::stdout().lock();
    if args.json {
        let mut value = serde_json::to_value(&info)?;
        value["path"] = args.model.display().to_string().into();
        value["bytes"] = size.into();
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        let h = &info.history;
        let rows = [
            ("model", args.model.display().to_string()),
            (
                "size",
                if info.format < sagiguard_trainer::FORMAT_VERSION {
                    format!(
                        "{size} bytes (format {}, written as format {} when it next learns)",
                        info.format,
                        sagiguard_trainer::FORMAT_VERSION
                    )
                } else {
                    format!("{size} bytes (format {})", info.format)
                },
            ),
            (
                "trained",
                format!(
                    "{} by sagiguard {}, on {} mails",
                    info.trained_on, info.sagiguard_version, h.trained
                ),
            ),
            (
                "mails counted",
                format!("{} scam, {} ham", info.scam_mails, info.ham_mails),
            ),
            (
                "mails known",
                format!("{} distinct (can be forgotten)", info.mails_known),
            ),
            (
                "learned",
                format!(
                    "{} learned, {} forgotten, last {}",
                    h.learned,
                    h.forgotten,
                    h.last_learned.as_deref().unwrap_or("never")
                ),
            ),
            (
                "features",
                format!(
                    "{} stored (cap {}, {} pruned), {} used for scoring",
                    info.stored_features,
                    info.max_stored_features,
                    info.pruned_features,
                    info.vocabulary
                ),
            ),
            ("classes", info.classes.join(", ")),
            (
                "threshold",
                format!(
                    "{:.3}, chosen on {} mails; {} changed since",
                    info.threshold, h.calibrated_on, h.changed_since_calibration
                ),
            ),
            (
                "refit advised",
                if info.refit_advised {
                    "yes: `sagiguard train --from MODEL -o MODEL …` on recent mail".into()
                } else {
                    "no".into()
                },
            ),
        ];
        for (name, value) in rows {
            writeln!(out, "{name:<14} {}", crate::terminal::one_line(&value))?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
