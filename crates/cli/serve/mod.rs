//! `sagiguard serve`: one model, loaded once, over HTTP for rspamd and other mail systems,
//! and a page where a person pastes a suspicious mail or SMS.
//!
//! Scoring is CPU work: each request's body is read on the async runtime, then scored on
//! tokio's blocking pool, at most `--max-in-flight` at a time (503 past it). The model is
//! behind a lock held only to clone an `Arc`, so a reload (SIGHUP, `POST /reload`, a learned
//! correction) swaps it in between requests.

// Handlers carry their error answer as a Response in Err: built once per failed request, its
// size does not matter.
#![allow(clippy::result_large_err)]

mod handlers;
mod limits;
mod metrics;
mod page;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::args::{GlobalArgs, ServeArgs};
use crate::exit::ExitStatus;
use metrics::Metrics;
use state::{AppState, Loaded, Shared};

pub fn run(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<ExitStatus> {
    let token = match &args.token_file {
        Some(path) => {
            let token = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?
                .trim()
                .to_string();
            if token.len() < 16 {
                anyhow::bail!(
                    "{}: the token is {} characters; use at least 16 (e.g. `openssl rand -hex 32`)",
                    path.display(),
                    token.len()
                );
            }
            Some(token)
        }
        None => None,
    };
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "sagiguard: warning: listening on {}, beyond this machine: {}",
            args.listen,
            if token.is_some() {
                "scoring needs no token; learning and reloading do"
            } else {
                "there is no authentication (learning and reloading are off without --token-file)"
            }
        );
    }
    let loaded = Loaded::load(global, &args.model)?;
    let state = Arc::new(AppState {
        global: global.clone(),
        model_path: args.model.clone(),
        current: RwLock::new(Arc::new(loaded)),
        slots: Arc::new(tokio::sync::Semaphore::new(args.max_in_flight as usize)),
        max_body: args.max_body,
        max_in_flight: args.max_in_flight as usize,
        timeout: Duration::from_secs_f64(args.timeout),
        token,
        started: Instant::now(),
        metrics: Metrics::default(),
    });
    // Scoring is CPU work: as many blocking threads as cores, the rest of the requests
    // queued (still bounded by --max-in-flight), instead of hundreds of threads taking turns.
    // Reading requests and writing answers takes a twentieth of a request's CPU, so one I/O
    // thread per four cores keeps up; one per core preempted the scoring threads (two cores,
    // 64 clients: 87-91 % of the batch's mails/s with two I/O threads, 90-102 % with one).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads((cores / 4).max(1))
        .max_blocking_threads(cores)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(serve(state, args.listen, global.quiet))?;
    Ok(ExitStatus::Success)
}

async fn serve(state: Shared, listen: SocketAddr, quiet: bool) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    if !quiet {
        eprintln!(
            "sagiguard: serving {} on http://{}/",
            state.model_path.display(),
            listener.local_addr().unwrap_or(listen)
        );
    }
    let hup_state = state.clone();
    tokio::spawn(async move {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hup.recv().await.is_some() {
            let state = hup_state.clone();
            let result = tokio::task::spawn_blocking(move || state.reload()).await;
            match result {
                Ok(Ok(loaded)) => eprintln!(
                    "sagiguard: SIGHUP: reloaded {} (model {})",
                    hup_state.model_path.display(),
                    loaded.fingerprint
                ),
                Ok(Err(err)) => eprintln!(
                    "sagiguard: SIGHUP: kept the model in use: {}",
                    crate::commands::error_chain(err.as_ref())
                ),
                Err(err) => eprintln!("sagiguard: SIGHUP: reload failed: {err}"),
            }
        }
    });
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped")?;
    if !quiet {
        eprintln!("sagiguard: stopped after finishing the requests in flight");
    }
    Ok(())
}

/// SIGTERM or SIGINT: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/page.js", get(page::script))
        .route("/page.css", get(page::style))
        .route("/score", post(handlers::scoring::<handlers::Score>))
        .route("/explain", post(handlers::scoring::<handlers::Explain>))
        .route("/learn", post(handlers::learn))
        .route("/forget", post(handlers::forget))
        .route("/reload", post(handlers::reload))
        .route("/health", get(handlers::health))
        .route("/metrics", get(handlers::metrics))
        // Bodies are read by `read_body`, which enforces --max-body itself.
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers on every answer: the page runs only its own script and style, is never framed,
/// and nothing is cached or sent as a referrer.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
