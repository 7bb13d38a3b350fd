//! `sagiguard learn`: corrections into a model's counts, in place.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use sagiguard_corpus::{Email, read_inputs};
use sagiguard_trainer::{Lesson, Model, Outcome};
use serde::Serialize;

use crate::args::{GlobalArgs, LearnArgs};
use crate::exit::ExitStatus;

/// Mails read and learned together: features on all cores, memory bounded.
const CHUNK: usize = 256;

#[derive(Serialize)]
struct LessonView<'a> {
    source: &'a str,
    id: &'a str,
    outcome: Option<&'static str>,
    error: Option<&'a str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Forget,
    Scam,
    Ham,
    Labeled,
}

#[derive(Default)]
struct Tally {
    learned_scam: usize,
    learned_ham: usize,
    relabeled: usize,
    already: usize,
    forgotten: usize,
    not_learned: usize,
    errors: usize,
}

pub fn run(global: &GlobalArgs, args: LearnArgs) -> anyhow::Result<ExitStatus> {
    let stdin = [&args.scam, &args.ham, &args.forget, &args.labeled]
        .iter()
        .flat_map(|paths| paths.iter())
        .filter(|p| p.as_os_str() == "-")
        .count();
    if stdin > 1 {
        anyhow::bail!(
            "standard input (-) can be read once: give it to one of --scam, --ham, --forget, --labeled"
        );
    }
    // Held until the model is saved: a concurrent learn waits instead of losing its update.
    let _lock = super::lock_model(&args.model)?;
    let mut model = Model::load_for_learning(&args.model)
        .with_context(|| format!("cannot learn into {}", args.model.display()))?;
    let tokenizer = super::tokenizer_for(global, &model)?;
    let today = super::today();
    let mut out = io::stdout().lock();
    let mut tally = Tally::default();
    let groups: [(&[PathBuf], Group); 4] = [
        (&args.forget, Group::Forget),
        (&args.scam, Group::Scam),
        (&args.ham, Group::Ham),
        (&args.labeled, Group::Labeled),
    ];
    for (paths, group) in groups {
        if paths.is_empty() {
            continue;
        }
        let mut options = args.input.options();
        if group == Group::Labeled {
            options.schema = args.input.schema(true);
        }
        let mut inputs = read_inputs(paths, &options);
        loop {
            let chunk: Vec<_> = inputs.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let mut lessons: Vec<(Email, Lesson)> = Vec::with_capacity(chunk.len());
            let mut sources = Vec::with_capacity(chunk.len());
            for item in chunk {
                let input = match item {
                    Ok(input) => input,
                    Err(e) => {
                        let (source, error) = (super::error_source(&e), super::error_chain(&e));
                        report_error(&mut out, &mut tally, &source, "", &error, args.json)?;
                        continue;
                    }
                };
                let lesson = match group {
                    Group::Forget => Lesson::Forget,
                    Group::Scam | Group::Ham | Group::Labeled => {
                        let label = match group {
                            Group::Scam => sagiguard_corpus::Label::Scam,
                            Group::Ham => sagiguard_corpus::Label::Ham,
                            _ => match input.label {
                                Some(label) => label,
                                None => {
                                    let error = "no label (--labeled reads datasets with a label column; use --scam or --ham for unlabeled mail)";
                                    report_error(
                                        &mut out,
                                        &mut tally,
                                        &input.source,
                                        &input.email.id,
                                        error,
                                        args.json,
                                    )?;
                                    continue;
                                }
                            },
                        };
                        let category = match group {
                            Group::Labeled => input.category.clone(),
                            _ => args.category.clone(),
                        };
                        Lesson::Learn {
                            label,
                            category,
                            relabel: args.relabel,
                            weight: args.weight,
                        }
                    }
                };
                sources.push(input.source);
                lessons.push((input.email, lesson));
            }
            let outcomes = model.apply_batch(&tokenizer, &lessons, &today);
            for ((source, (email, lesson)), outcome) in sources.iter().zip(&lessons).zip(outcomes) {
                match outcome {
                    Ok(outcome) => {
                        match outcome {
                            Outcome::Learned | Outcome::Relabeled => {
                                if outcome == Outcome::Relabeled {
                                    tally.relabeled += 1;
                                }
                                match lesson {
                                    Lesson::Learn {
                                        label: sagiguard_corpus::Label::Scam,
                                        ..
                                    } => tally.learned_scam += 1,
                                    _ => tally.learned_ham += 1,
                                }
                            }
                            Outcome::AlreadyLearned => tally.already += 1,
                            Outcome::Forgotten => tally.forgotten += 1,
                            Outcome::NotLearned => tally.not_learned += 1,
                        }
                        if args.json {
                            serde_json::to_writer(
                                &mut out,
                                &LessonView {
                                    source,
                                    id: &email.id,
                                    outcome: Some(outcome.as_str()),
                                    error: None,
                                },
                            )?;
                            writeln!(out)?;
                        }
                    }
                    Err(e) => {
                        let error = super::error_chain(&e);
                        report_error(&mut out, &mut tally, source, &email.id, &error, args.json)?;
                    }
                }
            }
        }
    }
    out.flush()?;
    let changed = tally.learned_scam + tally.learned_ham + tally.forgotten;
    if changed > 0 {
        model.refresh().context("the model was left as it was")?;
        model
            .save(&args.model)
            .with_context(|| format!("cannot save the model to {}", args.model.display()))?;
    }
    let info = model.info()?;
    if !global.quiet {
        eprintln!(
            "sagiguard: learned {} scam and {} ham ({} relabeled), forgot {}; {} already learned, {} never learned, {} errors; {} now counts {} scam and {} ham mails",
            tally.learned_scam,
            tally.learned_ham,
            tally.relabeled,
            tally.forgotten,
            tally.already,
            tally.not_learned,
            tally.errors,
            args.model.display(),
            info.scam_mails,
            info.ham_mails
        );
    }
    if info.refit_advised {
        eprintln!(
            "sagiguard: {} mails learned or forgotten since the threshold and calibration were chosen on {}: refit them, e.g. `sagiguard train --from {} -o {} --scam SCAM_FOLDER --ham HAM_FOLDER`",
            info.history.changed_since_calibration,
            info.history.calibrated_on,
            args.model.display(),
            args.model.display()
        );
    }
    Ok(if tally.errors > 0 {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

fn report_error(
    out: &mut impl Write,
    tally: &mut Tally,
    source: &str,
    id: &str,
    error: &str,
    json: bool,
) -> anyhow::Result<()> {
    tally.errors += 1;
    if json {
        serde_json::to_writer(
            &mut *out,
            &LessonView {
                source,
                id,
                outcome: None,
                error: Some(error),
            },
        )?;
        writeln!(out)?;
    }
    eprintln!(
        "sagiguard: {}: {}",
        crate::terminal::one_line(source),
        crate::terminal::one_line(error)
    );
    Ok(())
}
