//! `sagiguard train`: a model from labeled datasets, with its cross-validated report.

use std::io::{self, Write};

use anyhow::Context;
use sagiguard_features::{CountMode, FeatureConfig};
use sagiguard_tokenizer::Tokenizer;
use sagiguard_trainer::{Algorithm, Classes, ThresholdPolicy, TrainConfig, train, train_stream};

use crate::args::{AlgorithmArg, ClassesArg, CountsArg, GlobalArgs, TrainArgs};
use crate::exit::ExitStatus;
use crate::input::{LabeledStream, load_labeled};
use crate::progress::Bar;
use crate::render::report_table;

impl TrainArgs {
    /// The training settings these flags describe, checked.
    fn config(&self) -> anyhow::Result<sagiguard_trainer::CheckedTrainConfig> {
        let defaults = FeatureConfig::default();
        let features = FeatureConfig {
            keep: if self.content_pos {
                use sagiguard_tokenizer::PosClass::*;
                vec![Noun, Verb, Adjective, Adverb]
            } else {
                defaults.keep.clone()
            },
            morphemes: !self.no_morphemes,
            char_ngram: self.char_ngram,
            ngram: self.ngram,
            raw_unknown: !self.no_raw_unknown,
            mask_feature: self.mask_feature,
            counts: match self.counts {
                CountsArg::Log => CountMode::Log,
                CountsArg::Raw => CountMode::Raw,
                CountsArg::Binary => CountMode::Binary,
            },
            max_features: self.max_features,
            min_df: self.min_df,
            ..defaults
        };
        let config = TrainConfig {
            features,
            algorithm: match self.algorithm {
                AlgorithmArg::Multinomial => Algorithm::Multinomial,
                AlgorithmArg::Bernoulli => Algorithm::Bernoulli,
                AlgorithmArg::Complement => Algorithm::Complement,
            },
            classes: match self.classes {
                ClassesArg::Binary => Classes::Binary,
                ClassesArg::Categories => Classes::Categories,
            },
            alpha: self.alpha,
            folds: self.cv,
            batch_size: self.batch_size,
            seed: self.seed,
            threshold: match self.threshold {
                Some(t) => ThresholdPolicy::Fixed(t),
                None => ThresholdPolicy::MaxFalsePositiveRate(self.max_fpr),
            },
            ..TrainConfig::default()
        };
        Ok(config.check()?)
    }

    /// Every labeled mail of the datasets and folders, in memory (cross-validation refits
    /// on each fold; `--from` learns them into a model).
    fn labeled_mails(
        &self,
        global: &GlobalArgs,
    ) -> anyhow::Result<Vec<sagiguard_corpus::LabeledEmail>> {
        load_labeled(
            &self.data,
            &self.folders,
            &self.input,
            self.split.as_deref(),
            self.on_error,
            global.quiet,
            !self.allow_contradictions,
        )
    }
}

pub fn run(global: &GlobalArgs, args: TrainArgs) -> anyhow::Result<ExitStatus> {
    if let Some(from) = &args.from {
        return train_from(global, &args, from);
    }
    let config = args.config()?;
    if args.scores.is_some() && config.folds < 2 {
        anyhow::bail!("--scores writes out-of-fold scores: it needs --cv 2 or more");
    }
    let split = args.split.as_deref();
    let bar = Bar::new(global.quiet);
    let trained = if config.folds >= 2 {
        // Cross-validation refits on every fold from features held in memory.
        let mails = args.labeled_mails(global)?;
        let tokenizer = Tokenizer::new(super::load_dictionary(global, false)?);
        let trained = train(&mails, &config, &tokenizer, &super::today(), &bar);
        bar.finish();
        trained
    } else {
        let tokenizer = Tokenizer::new(super::load_dictionary(global, false)?);
        let mut mails =
            LabeledStream::new(&args.data, &args.folders, &args.input, split, args.on_error)
                .refuse_contradictions(!args.allow_contradictions);
        let trained = train_stream(&mut mails, &config, &tokenizer, &super::today(), &bar);
        // The bar is cleared before the read and skipped counts are printed.
        bar.finish();
        if !matches!(trained, Err(sagiguard_trainer::Error::Input(_))) {
            mails.finish(&args.data, split, global.quiet)?;
        }
        trained
    };
    let trained = trained.context("training failed")?;
    trained
        .model
        .save(&args.output)
        .with_context(|| format!("cannot save the model to {}", args.output.display()))?;

    if let (Some(path), Some(cv)) = (&args.scores, &trained.cross_validation) {
        super::eval::write_scores(path, &cv.scored, cv.report.threshold)?;
    }
    let mut out = io::stdout().lock();
    match &trained.cross_validation {
        Some(cv) if args.json => {
            serde_json::to_writer(&mut out, &cv.report)?;
            writeln!(out)?;
        }
        Some(cv) => {
            writeln!(
                out,
                "cross-validated on {} mails in {} folds (out-of-fold scores):",
                cv.scored.len(),
                cv.folds
            )?;
            write!(out, "{}", report_table(&cv.report))?;
        }
        None if args.json => writeln!(out, "null")?,
        None => writeln!(
            out,
            "trained without cross-validation: run `sagiguard eval` on held-out mail for numbers"
        )?,
    }
    out.flush()?;
    if !global.quiet {
        let m = trained.model.metadata();
        eprintln!(
            "sagiguard: model written to {} ({} scam, {} ham, {} features, threshold {:.3}, corpus {})",
            args.output.display(),
            m.scam,
            m.ham,
            trained.model.extractor().vocabulary().len(),
            trained.model.threshold(),
            m.corpus_hash
        );
    }
    Ok(ExitStatus::Success)
}

/// `train --from MODEL`: the new mail learned into the model's counts, and with folds the
/// threshold and calibration chosen again on it.
fn train_from(
    global: &GlobalArgs,
    args: &TrainArgs,
    from: &std::path::Path,
) -> anyhow::Result<ExitStatus> {
    if args.scores.is_some() && args.cv < 2 {
        anyhow::bail!("--scores writes out-of-fold scores: it needs --cv 2 or more");
    }
    let _lock = super::lock_model(&args.output)?;
    let mut model = sagiguard_trainer::Model::load_for_learning(from)
        .with_context(|| format!("cannot start from {}", from.display()))?;
    let tokenizer = super::tokenizer_for(global, &model)?;
    let mails = args.labeled_mails(global)?;
    let today = super::today();
    let mut out = io::stdout().lock();
    if args.cv >= 2 {
        let scored = model
            .recalibrate_cross_validated(&tokenizer, &mails, args.cv, args.seed, &today)
            .context("training failed")?;
        let report = sagiguard_trainer::Report::with_slices(&scored, model.threshold(), 10);
        if let Some(path) = &args.scores {
            super::eval::write_scores(path, &scored, report.threshold)?;
        }
        if args.json {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "learned {} mails into {} and cross-validated on them in {} folds (each fold scored with it forgotten):",
                mails.len(),
                from.display(),
                args.cv
            )?;
            write!(out, "{}", report_table(&report))?;
        }
    } else {
        let lessons: Vec<_> = mails
            .into_iter()
            .map(|m| {
                let lesson = sagiguard_trainer::Lesson::Learn {
                    label: m.label,
                    category: m.category,
                    relabel: true,
                    weight: 1,
                };
                (m.email, lesson)
            })
            .collect();
        for outcome in model.apply_batch(&tokenizer, &lessons, &today) {
            outcome.context("training failed")?;
        }
        model.refresh().context("training failed")?;
        if args.json {
            writeln!(out, "null")?;
        } else {
            writeln!(
                out,
                "learned {} mails into {}; threshold and calibration kept (use --cv to choose them again)",
                lessons.len(),
                from.display()
            )?;
        }
    }
    out.flush()?;
    model
        .save(&args.output)
        .with_context(|| format!("cannot save the model to {}", args.output.display()))?;
    if !global.quiet {
        let info = model.info()?;
        eprintln!(
            "sagiguard: model written to {} ({} scam, {} ham, {} features, threshold {:.3})",
            args.output.display(),
            info.scam_mails,
            info.ham_mails,
            info.vocabulary,
            info.threshold
        );
    }
    Ok(ExitStatus::Success)
}
