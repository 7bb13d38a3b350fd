//! Load on `sagiguard serve`: N concurrent clients posting mail files to `POST /score` over
//! loopback, a fixed number of requests per level; mails/s, latency percentiles, failures,
//! and the server's peak RSS (VmHWM) after each level.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The server's /score URL.
    #[arg(long, default_value = "http://127.0.0.1:11380/score")]
    url: String,
    /// A directory of .eml files (searched recursively); at most --files are read into memory.
    #[arg(long)]
    dir: PathBuf,
    /// Mail files to load and cycle through.
    #[arg(long, default_value_t = 2000)]
    files: usize,
    /// Concurrent clients per level.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16,64")]
    clients: Vec<usize>,
    /// Requests per level.
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// The server's process id, for its peak RSS.
    #[arg(long)]
    pid: Option<u32>,
}

fn eml_files(dir: &std::path::Path, out: &mut Vec<PathBuf>, limit: usize) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if out.len() >= limit {
            break;
        }
        if path.is_dir() {
            eml_files(&path, out, limit)?;
        } else if path.extension().is_some_and(|e| e == "eml") {
            out.push(path);
        }
    }
    Ok(())
}

fn peak_rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut paths = Vec::new();
    eml_files(&args.dir, &mut paths, args.files)?;
    if paths.is_empty() {
        bail!("no .eml files in {}", args.dir.display());
    }
    let mails: Vec<Vec<u8>> = paths.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let mut levels = Vec::new();
    for &clients in &args.clients {
        let next = AtomicUsize::new(0);
        let started = Instant::now();
        let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..clients.max(1))
                .map(|_| {
                    let (next, mails, url) = (&next, &mails, &args.url);
                    scope.spawn(move || {
                        let agent: ureq::Agent = ureq::Agent::config_builder()
                            .http_status_as_error(false)
                            .timeout_global(Some(Duration::from_secs(60)))
                            .build()
                            .into();
                        let (mut latencies, mut failed) = (Vec::new(), 0);
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= args.requests {
                                break;
                            }
                            let sent = Instant::now();
                            let ok = agent
                                .post(url)
                                .send(&mails[i % mails.len()][..])
                                .ok()
                                .and_then(|mut r| {
                                    let status = r.status().as_u16();
                                    r.body_mut().read_to_vec().ok().map(|_| status == 200)
                                })
                                .unwrap_or(false);
                            latencies.push(sent.elapsed());
                            failed += usize::from(!ok);
                        }
                        (latencies, failed)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a client thread"))
                .collect()
        });
        let elapsed = started.elapsed().as_secs_f64();
        let failed: usize = results.iter().map(|r| r.1).sum();
        let mut latencies: Vec<Duration> = results.into_iter().flat_map(|r| r.0).collect();
        latencies.sort();
        let pct = |p: f64| {
            latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)]
                .as_secs_f64()
                * 1e3
        };
        levels.push(serde_json::json!({
            "clients": clients,
            "requests": latencies.len(),
            "failed": failed,
            "mails_per_s": latencies.len() as f64 / elapsed,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "server_peak_rss_mib": args.pid.and_then(peak_rss_mib),
        }));
    }
    println!(
        "{}",
        serde_json::json!({ "files": mails.len(), "levels": levels })
    );
    Ok(())
}
