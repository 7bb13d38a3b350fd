//! `sagiguard merge`: models trained apart, summed into one.

use anyhow::Context;
use sagiguard_trainer::Model;

use crate::args::{GlobalArgs, LabelFolders, MergeArgs, OnError};
use crate::exit::ExitStatus;
use crate::input::load_labeled;

pub fn run(global: &GlobalArgs, args: MergeArgs) -> anyhow::Result<ExitStatus> {
    let _lock = super::lock_model(&args.output)?;
    let models = args
        .models
        .iter()
        .map(|path| {
            Model::load_for_learning(path)
                .map(|m| (path.clone(), m))
                .with_context(|| format!("cannot merge {}", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut merged = Model::merge(models)?;
    if !args.recalibrate.is_empty() {
        let tokenizer = super::tokenizer_for(global, &merged)?;
        let no_folders = LabelFolders {
            scam: Vec::new(),
            ham: Vec::new(),
        };
        let mails = load_labeled(
            &args.recalibrate,
            &no_folders,
            &args.input,
            None,
            OnError::Fail,
            global.quiet,
            false,
        )?;
        merged
            .recalibrate(&tokenizer, &mails)
            .context("cannot recalibrate the merged model")?;
    }
    merged
        .save(&args.output)
        .with_context(|| format!("cannot save the model to {}", args.output.display()))?;
    if !global.quiet {
        let info = merged.info()?;
        eprintln!(
            "sagiguard: merged {} models into {}: {} scam and {} ham mails, {} features, threshold {:.3} ({})",
            args.models.len(),
            args.output.display(),
            info.scam_mails,
            info.ham_mails,
            info.vocabulary,
            info.threshold,
            if args.recalibrate.is_empty() {
                "the first model's: refit with --recalibrate"
            } else {
                "refitted"
            }
        );
    }
    Ok(ExitStatus::Success)
}
