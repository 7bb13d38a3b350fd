//! The `sagiguard` command line: parse, run, turn the outcome into an exit code.

mod args;
mod commands;
mod exit;
mod input;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::exit::ExitStatus;

fn main() -> ExitCode {
    let args = args::Args::parse();
    match commands::run(args) {
        Ok(status) => status.into(),
        Err(err) if exit::is_broken_pipe(&err) => ExitStatus::Success.into(),
        Err(err) => {
            eprintln!("sagiguard: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitStatus::Error.into()
        }
    }
}
