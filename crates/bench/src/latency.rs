//! Wall time of a whole command, process start to exit: what a mail filter that runs
//! `sagiguard score` once per delivered mail waits for.

use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Timed runs, after three untimed ones that warm the page cache.
    #[arg(long, default_value_t = 31)]
    runs: usize,
    /// Exit codes that count as success (sagiguard score: 0 ham, 1 scam, 3 unsure).
    #[arg(long, value_delimiter = ',', default_value = "0,1,3")]
    ok: Vec<i32>,
    /// The command and its arguments; `{run}` in an argument becomes the run's number
    /// (0, 1, …, untimed runs first), so that each run can work on its own file.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let runs = args.runs.max(1);
    let mut ms = Vec::with_capacity(runs);
    for i in 0..runs + 3 {
        let start = Instant::now();
        let argv: Vec<String> = args.command[1..]
            .iter()
            .map(|a| a.replace("{run}", &i.to_string()))
            .collect();
        let status = Command::new(&args.command[0])
            .args(&argv)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run {}", args.command[0]))?;
        let elapsed = start.elapsed().as_secs_f64() * 1e3;
        match status.code() {
            Some(code) if args.ok.contains(&code) => {}
            _ => bail!("{} ended with {status}", args.command.join(" ")),
        }
        if i >= 3 {
            ms.push(elapsed);
        }
    }
    ms.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "runs": runs,
            "median_ms": ms[runs / 2],
            "p95_ms": ms[(runs * 95 / 100).min(runs - 1)],
            "min_ms": ms[0],
        })
    );
    Ok(())
}
