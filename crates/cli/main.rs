//! The `sagiguard` command line: parse, run, turn the outcome into an exit code.

mod args;
mod commands;
mod exit;
mod input;
mod output;
mod progress;
mod render;
mod serve;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

use crate::exit::ExitStatus;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Compiling the signals' patterns is the longest part of a one-mail process's start-up,
    // and nearly every command needs them: they start on another core before the arguments
    // are read (the first mail to need one waits for it).
    std::thread::spawn(sagiguard_features::prepare);
    let args = args::Args::parse();
    match commands::run(args) {
        Ok(status) => status.into(),
        Err(err) if exit::is_broken_pipe(&err) => ExitStatus::Success.into(),
        Err(err) => {
            // Error messages quote file names and mail text: shown, never obeyed.
            let line = |text: String| terminal::lines(&text).into_owned();
            eprintln!("sagiguard: error: {}", line(err.to_string()));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", line(cause.to_string()));
            }
            ExitStatus::Error.into()
        }
    }
}
