//! Load on `sagiguard serve`: N concurrent clients posting mail files to `POST /score` over
//! loopback, a fixed number of requests per level; mails/s, latency percentiles, failures,
//! and the server's peak RSS (VmHWM) after each level.
//!
//! The clients share the server's machine, so they are kept cheap: every connection is a
//! task on one thread, a keep-alive HTTP/1 connection of hyper's, with the mails read into
//! memory up front (threads with a blocking client took an eighth of two cores).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;

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

/// Where requests go: the address to connect to, the Host header, the path.
struct Target {
    addr: String,
    host: String,
    path: String,
}

impl Target {
    fn parse(url: &str) -> anyhow::Result<Target> {
        let uri: hyper::Uri = url.parse().with_context(|| format!("--url {url}"))?;
        if uri.scheme_str() != Some("http") {
            bail!("--url {url}: only http:// is supported (the server listens on loopback)");
        }
        let authority = uri
            .authority()
            .with_context(|| format!("--url {url}: no host"))?;
        let port = authority.port_u16().unwrap_or(80);
        Ok(Target {
            addr: format!("{}:{port}", authority.host()),
            host: authority.as_str().to_owned(),
            path: uri
                .path_and_query()
                .map_or("/".to_owned(), |p| p.as_str().to_owned()),
        })
    }
}

/// Work shared by the clients of one level.
struct Level {
    target: Target,
    mails: Vec<Bytes>,
    next: AtomicUsize,
    requests: usize,
}

/// One client: a keep-alive connection, reopened after a failure, sending requests until
/// the level's count is taken. Returns its latencies and failures.
async fn client(level: Arc<Level>) -> (Vec<Duration>, usize) {
    let (mut latencies, mut failed) = (Vec::new(), 0);
    let mut sender = None;
    loop {
        let i = level.next.fetch_add(1, Ordering::Relaxed);
        if i >= level.requests {
            break;
        }
        let sent = Instant::now();
        let ok = match post(&level, &mut sender, i).await {
            Ok(ok) => ok,
            Err(_) => {
                sender = None;
                false
            }
        };
        latencies.push(sent.elapsed());
        failed += usize::from(!ok);
    }
    (latencies, failed)
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn post(level: &Level, sender: &mut Option<Sender>, i: usize) -> anyhow::Result<bool> {
    if sender.is_none() {
        let stream = tokio::net::TcpStream::connect(&level.target.addr).await?;
        stream.set_nodelay(true)?;
        let (send, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        *sender = Some(send);
    }
    let send = sender.as_mut().expect("connected above");
    send.ready().await?;
    let request = Request::post(level.target.path.as_str())
        .header(HOST, level.target.host.as_str())
        .header(CONTENT_TYPE, "message/rfc822")
        .body(Full::new(level.mails[i % level.mails.len()].clone()))?;
    let response = send.send_request(request).await?;
    let ok = response.status() == hyper::StatusCode::OK;
    response.into_body().collect().await?;
    Ok(ok)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut paths = Vec::new();
    eml_files(&args.dir, &mut paths, args.files)?;
    if paths.is_empty() {
        bail!("no .eml files in {}", args.dir.display());
    }
    let mails: Vec<Bytes> = paths
        .iter()
        .map(|p| std::fs::read(p).map(Bytes::from))
        .collect::<Result<_, _>>()?;
    let files = mails.len();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the client runtime")?;
    let level = Arc::new(Level {
        target: Target::parse(&args.url)?,
        mails,
        next: AtomicUsize::new(0),
        requests: args.requests,
    });
    let mut levels = Vec::new();
    for &clients in &args.clients {
        level.next.store(0, Ordering::Relaxed);
        let started = Instant::now();
        let results: Vec<(Vec<Duration>, usize)> = runtime.block_on(async {
            let tasks: Vec<_> = (0..clients.max(1))
                .map(|_| tokio::spawn(client(level.clone())))
                .collect();
            let mut results = Vec::new();
            for task in tasks {
                results.push(task.await.expect("a client task"));
            }
            results
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
        serde_json::json!({ "files": files, "levels": levels })
    );
    Ok(())
}
