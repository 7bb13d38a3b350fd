//! `sagiguard score`: a verdict for every mail, on all cores, in input order.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::mpsc::{Receiver, sync_channel};

use rayon::prelude::*;
use sagiguard_corpus::{Input, read_inputs};
use sagiguard_features::Lang;
use sagiguard_trainer::{Verdict, VerdictLabel};
use serde::Serialize;

use crate::args::{GlobalArgs, ScoreArgs};
use crate::exit::ExitStatus;
use crate::input::paths_or_stdin;
use crate::output::ScoreView;

/// Mails read ahead and scored together.
const CHUNK: usize = 256;

#[derive(Serialize)]
struct ErrorView<'a> {
    source: &'a str,
    error: &'a str,
}

/// Chunks handed to the pool before the oldest is written: while the writer waits for one,
/// the pool goes on with the next, so no core idles at a chunk's end (its last mails, the
/// writing, the flush).
const IN_FLIGHT: usize = 2;

type Scored = Result<(Input, Verdict), (String, String)>;

pub fn run(global: &GlobalArgs, args: ScoreArgs) -> anyhow::Result<ExitStatus> {
    let (model, tokenizer) = super::load_model(global, &args.model)?;
    let lang: Lang = args.mails.lang.into();
    let paths = paths_or_stdin(&args.mails.inputs);
    let inputs = read_inputs(&paths, &args.mails.input.options());
    // Stdout is line-buffered: a write call per mail cost more than scoring short ones.
    let mut out = io::BufWriter::new(io::stdout().lock());
    let (mut scams, mut unsure, mut errors) = (0usize, 0usize, 0usize);
    let mut write = |results: Vec<Scored>| -> anyhow::Result<()> {
        for result in results {
            match result {
                Ok((input, mut verdict)) => {
                    if let Some(threshold) = args.threshold {
                        verdict.apply_threshold(threshold);
                    }
                    match verdict.label {
                        VerdictLabel::Scam => scams += 1,
                        VerdictLabel::Unsure => unsure += 1,
                        VerdictLabel::Ham => {}
                    }
                    write_verdict(&mut out, &input, &verdict, args.mails.json, lang)?;
                }
                Err((source, error)) => {
                    errors += 1;
                    if args.mails.json {
                        serde_json::to_writer(
                            &mut out,
                            &ErrorView {
                                source: &source,
                                error: &error,
                            },
                        )?;
                        writeln!(out)?;
                    } else {
                        writeln!(
                            out,
                            "error   -      -                 {}  {}",
                            crate::terminal::one_line(&source),
                            crate::terminal::one_line(&error.to_string())
                        )?;
                    }
                    eprintln!(
                        "sagiguard: {}",
                        crate::terminal::one_line(&error.to_string())
                    );
                }
            }
        }
        // Each chunk reaches a reader as soon as it is scored.
        out.flush()?;
        Ok(())
    };
    let (model, tokenizer, json) = (&model, &tokenizer, args.mails.json);
    // Reading and MIME decoding are sequential: a thread reads the next chunks while the
    // pool scores those read before.
    rayon::in_place_scope(|scope| -> anyhow::Result<()> {
        let mut in_flight: VecDeque<Receiver<Vec<Scored>>> = VecDeque::new();
        let mut next_written = |in_flight: &mut VecDeque<Receiver<Vec<Scored>>>| {
            let scored = in_flight.pop_front().expect("a chunk is in flight");
            // A job that panicked sent nothing; the scope raises its panic when it ends.
            scored.recv().map_or(Ok(()), &mut write)
        };
        sagiguard_corpus::read_ahead(inputs, CHUNK, |chunk| -> anyhow::Result<()> {
            let (send, scored) = sync_channel(1);
            scope.spawn(move |_| {
                let results: Vec<Scored> = chunk
                    .into_par_iter()
                    .map(|item| {
                        let input =
                            item.map_err(|e| (super::error_source(&e), super::error_chain(&e)))?;
                        // A verdict line names no reasons: they are only made for JSON.
                        let verdict = if json {
                            model.score(tokenizer, &input.email)
                        } else {
                            model.score_unexplained(tokenizer, &input.email)
                        };
                        Ok((input, verdict))
                    })
                    .collect();
                // The writer stopped (a failed write) and dropped its end: nothing to do.
                let _ = send.send(results);
            });
            in_flight.push_back(scored);
            if in_flight.len() >= IN_FLIGHT {
                next_written(&mut in_flight)?;
            }
            Ok(())
        })?;
        while !in_flight.is_empty() {
            next_written(&mut in_flight)?;
        }
        Ok(())
    })?;
    Ok(if errors > 0 {
        ExitStatus::Error
    } else if scams > 0 {
        ExitStatus::Scam
    } else if unsure > 0 {
        ExitStatus::Unsure
    } else {
        ExitStatus::Success
    })
}

fn write_verdict(
    out: &mut impl Write,
    input: &Input,
    verdict: &Verdict,
    json: bool,
    lang: Lang,
) -> io::Result<()> {
    if json {
        let view = ScoreView::new(&input.source, &input.email.id, verdict, lang);
        serde_json::to_writer(&mut *out, &view)?;
        return writeln!(out);
    }
    let strongest = verdict
        .signals
        .first()
        .map(|s| s.message(lang))
        .or_else(|| {
            verdict
                .insufficient_evidence
                .then(|| "insufficient evidence".to_string())
        })
        .unwrap_or_default();
    let line = crate::terminal::one_line;
    writeln!(
        out,
        "{:<7} {:.3}  {:<17} {}  {}",
        verdict.label.as_str(),
        verdict.scam_probability,
        line(verdict.category.as_deref().unwrap_or("-")),
        line(&input.source),
        line(&strongest)
    )
}
