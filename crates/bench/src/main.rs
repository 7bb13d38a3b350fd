//! `sagiguard-bench`: tools for sagiguard's speed and memory benchmarks.
//!
//! One module per subcommand, each with its clap `Args` and a `run`; this file only
//! dispatches. The generated mail is for measuring speed and memory, never accuracy.

mod brands;
mod calendar;
mod eml;
mod generate;
mod latency;
mod load;
mod mail;
mod people;
mod random;
mod segment;
mod serve_load;
mod slots;
mod templates;
mod topics;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Benchmark tooling for sagiguard.
#[derive(Debug, Parser)]
#[command(name = "sagiguard-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a deterministic synthetic corpus: N mails as JSON Lines in the schema of
    /// data/train.jsonl, and with --eml-dir as RFC 5322 files in a realistic mix of
    /// encodings. For speed and memory benchmarks only, never for accuracy.
    Generate(generate::Args),
    /// Time lindera alone segmenting the subject and body of every mail of a dataset, on
    /// all cores: the ceiling the scoring pipeline is held against.
    Segment(segment::Args),
    /// Time loading a model file and the dictionary, as `sagiguard score` does at start.
    Load(load::Args),
    /// Time a whole command, process start to exit, over repeated runs.
    Latency(latency::Args),
    /// Load `sagiguard serve` with concurrent clients posting mail.
    ServeLoad(serve_load::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate(args) => generate::run(args),
        Command::Segment(args) => segment::run(args),
        Command::Load(args) => load::run(args),
        Command::Latency(args) => latency::run(args),
        Command::ServeLoad(args) => serve_load::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sagiguard-bench: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
