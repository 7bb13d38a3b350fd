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

mod metrics;
mod page;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::BodyExt;
use sagiguard_corpus::{Email, Input, ParseOptions, parse_input, parse_text};
use sagiguard_features::Lang;
use sagiguard_tokenizer::Tokenizer;
use sagiguard_trainer::{Lesson, Model};
use serde::Deserialize;
use serde_json::json;

use crate::args::{GlobalArgs, ServeArgs};
use crate::exit::ExitStatus;
use crate::output::{ExplainView, ScoreView};
use metrics::Metrics;

/// Words shown each way by `POST /explain`, as `sagiguard explain` shows by default.
const EXPLAIN_WORDS: usize = 8;

/// A model ready to score, and what `GET /health` says of it.
struct Loaded {
    model: Model,
    tokenizer: Tokenizer,
    /// The first 16 hex digits of the model file's BLAKE3 hash.
    fingerprint: String,
    loaded_at: std::time::SystemTime,
}

impl Loaded {
    fn load(global: &GlobalArgs, path: &std::path::Path) -> anyhow::Result<Loaded> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the model {}", path.display()))?;
        let model = Model::from_bytes(&bytes, path)?;
        let tokenizer = crate::commands::tokenizer_for(global, &model)?;
        Ok(Loaded {
            model,
            tokenizer,
            fingerprint: blake3::hash(&bytes).to_hex()[..16].to_string(),
            loaded_at: std::time::SystemTime::now(),
        })
    }
}

struct AppState {
    global: GlobalArgs,
    model_path: PathBuf,
    current: RwLock<Arc<Loaded>>,
    /// Permits for requests being scored.
    slots: Arc<tokio::sync::Semaphore>,
    max_body: u64,
    max_in_flight: usize,
    timeout: Duration,
    token: Option<String>,
    started: Instant,
    metrics: Metrics,
}

type Shared = Arc<AppState>;

impl AppState {
    fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Loads the model file again; on failure the model in use stays.
    fn reload(&self) -> anyhow::Result<Arc<Loaded>> {
        match Loaded::load(&self.global, &self.model_path) {
            Ok(loaded) => {
                let loaded = Arc::new(loaded);
                *self
                    .current
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = loaded.clone();
                self.metrics.reload("ok");
                Ok(loaded)
            }
            Err(err) => {
                self.metrics.reload("refused");
                Err(err)
            }
        }
    }

    /// Whether the request carries the configured token, compared in constant time.
    fn authorized(&self, headers: &HeaderMap) -> bool {
        use subtle::ConstantTimeEq;
        let Some(token) = &self.token else {
            return false;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .or_else(|| {
                headers
                    .get("x-sagiguard-token")
                    .and_then(|v| v.to_str().ok())
            })
            .unwrap_or("");
        given.as_bytes().ct_eq(token.as_bytes()).into()
    }
}

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
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
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
        .route("/score", post(score))
        .route("/explain", post(explain))
        .route("/learn", post(learn))
        .route("/forget", post(forget))
        .route("/reload", post(reload))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
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

/// A view as JSON with its fields in declaration order, as the command line prints it.
fn json_response(view: &impl serde::Serialize) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec(view).expect("a view serialises"),
    )
        .into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": message.into() }))).into_response()
}

/// Reads a body up to `limit` bytes. Past it, the rest is read and dropped up to a bound,
/// so that an ordinary client that sends its whole body before reading sees the 413; a
/// client that sends far more is cut off.
async fn read_body(body: Body, headers: &HeaderMap, limit: u64) -> Result<Vec<u8>, Response> {
    let drain_bound = limit.saturating_mul(2).max(limit.saturating_add(64 << 20));
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the message is larger than {limit} bytes (--max-body)"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > drain_bound) {
        return Err(too_large());
    }
    let mut body = body;
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(limit) as usize);
    let mut seen = 0u64;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            error(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {e}"),
            )
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len() as u64;
        if seen > drain_bound {
            break;
        }
        if seen <= limit {
            bytes.extend_from_slice(&data);
        }
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

#[derive(Deserialize)]
struct ScoreQuery {
    /// Read the body as plain text even when it starts like a header block.
    #[serde(default)]
    text: bool,
    #[serde(default)]
    lang: Option<String>,
}

fn lang_of(query: &ScoreQuery) -> Result<Lang, Response> {
    match query.lang.as_deref() {
        None | Some("ja") => Ok(Lang::Ja),
        Some("en") => Ok(Lang::En),
        Some(other) => Err(error(
            StatusCode::BAD_REQUEST,
            format!("lang={other:?}: ja or en"),
        )),
    }
}

/// The mail in a request body, read as `sagiguard score -` reads standard input: a message
/// with a header block, or else plain text (a pasted SMS).
fn read_mail(bytes: &[u8], text: bool, max_size: u64) -> Result<Email, String> {
    let options = ParseOptions {
        max_size,
        text,
        ..ParseOptions::default()
    };
    let parsed = if text {
        parse_text(bytes, &options)
    } else {
        parse_input(bytes, &options)
    };
    parsed.map_err(|e| crate::commands::error_chain(&e))
}

/// Runs `work` on the blocking pool within the request limits: a slot (503 with Retry-After
/// when all are taken), the time limit (503), and a panic turned into a 500.
async fn scored<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(Arc<Loaded>) -> Result<T, Response> + Send + 'static,
) -> Result<T, Response> {
    let Ok(permit) = state.slots.clone().try_acquire_owned() else {
        state.metrics.error("overloaded");
        let mut response = error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "{} requests are being scored already (--max-in-flight); retry shortly",
                state.max_in_flight
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return Err(response);
    };
    let loaded = state.current();
    let started = Instant::now();
    let in_flight = &state.metrics.in_flight;
    in_flight.fetch_add(1, Ordering::Relaxed);
    let task = tokio::task::spawn_blocking(move || {
        // The slot is held until the work ends, even after the client was answered.
        let _permit = permit;
        work(loaded)
    });
    let result = tokio::time::timeout(state.timeout, task).await;
    in_flight.fetch_sub(1, Ordering::Relaxed);
    match result {
        Ok(Ok(result)) => {
            state.metrics.latency(started.elapsed());
            result
        }
        Ok(Err(join)) => {
            state.metrics.error("internal");
            let reason = if join.is_panic() {
                "an internal error while scoring this mail (the server goes on)"
            } else {
                "scoring was cancelled"
            };
            Err(error(StatusCode::INTERNAL_SERVER_ERROR, reason))
        }
        Err(_) => {
            state.metrics.error("timeout");
            Err(error(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "scoring took longer than {:.1} s (--timeout)",
                    state.timeout.as_secs_f64()
                ),
            ))
        }
    }
}

/// Answers and counts.
fn finish(state: &Shared, path: &'static str, result: Result<Response, Response>) -> Response {
    let response = result.unwrap_or_else(|e| e);
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        state.metrics.error("too_large");
    }
    state.metrics.request(path, response.status().as_u16());
    response
}

fn unreadable(state: &Shared, reason: String) -> Response {
    state.metrics.error("unreadable");
    error(StatusCode::UNPROCESSABLE_ENTITY, reason)
}

/// How a scoring endpoint turns a mail into its answer: the verdict, and the view of it.
type Render = fn(&Loaded, Input, Lang) -> Result<(&'static str, Response), String>;

/// The shared path of `/score` and `/explain`: read the body, parse the mail, score it on the
/// blocking pool, count the verdict.
async fn answer(
    state: Shared,
    query: ScoreQuery,
    headers: HeaderMap,
    body: Body,
    path: &'static str,
    render: Render,
) -> Response {
    let result = async {
        let lang = lang_of(&query)?;
        let bytes = read_body(body, &headers, state.max_body).await?;
        let (text, max) = (query.text, state.max_body);
        let work_state = state.clone();
        scored(&state, move |loaded| {
            let email = read_mail(&bytes, text, max).map_err(|e| unreadable(&work_state, e))?;
            let input = Input {
                source: "request".into(),
                email,
                label: None,
                category: None,
            };
            let (verdict, response) =
                render(&loaded, input, lang).map_err(|e| unreadable(&work_state, e))?;
            work_state.metrics.verdict(verdict);
            Ok(response)
        })
        .await
    }
    .await;
    finish(&state, path, result)
}

async fn score(
    State(state): State<Shared>,
    Query(query): Query<ScoreQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        state,
        query,
        headers,
        body,
        "/score",
        |loaded, input, lang| {
            let verdict = loaded
                .model
                .score(&loaded.tokenizer, &input.email)
                .map_err(|e| crate::commands::error_chain(&e))?;
            let view = ScoreView::new(&input.source, &input.email.id, &verdict, lang);
            Ok((verdict.label.as_str(), json_response(&view)))
        },
    )
    .await
}

async fn explain(
    State(state): State<Shared>,
    Query(query): Query<ScoreQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(
        state,
        query,
        headers,
        body,
        "/explain",
        |loaded, input, lang| {
            let verdict = loaded
                .model
                .explain(&loaded.tokenizer, &input.email, EXPLAIN_WORDS * 4)
                .map_err(|e| crate::commands::error_chain(&e))?;
            let threshold = loaded.model.threshold();
            let view = ExplainView::new(&input, &verdict, threshold, EXPLAIN_WORDS, lang);
            Ok((verdict.label.as_str(), json_response(&view)))
        },
    )
    .await
}

#[derive(Deserialize)]
struct LearnQuery {
    label: Option<String>,
    #[serde(default)]
    text: bool,
}

async fn learn(
    State(state): State<Shared>,
    Query(query): Query<LearnQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let lesson = match query.label.as_deref() {
        Some("scam") => Ok(sagiguard_corpus::Label::Scam),
        Some("ham") => Ok(sagiguard_corpus::Label::Ham),
        other => Err(error(
            StatusCode::BAD_REQUEST,
            format!("label={}: scam or ham", other.unwrap_or("(none)")),
        )),
    }
    .map(|label| Lesson::Learn {
        label,
        category: None,
        relabel: true,
        weight: 1,
    });
    let result = match lesson {
        Ok(lesson) => teach(&state, &headers, body, query.text, lesson).await,
        Err(e) => Err(e),
    };
    finish(&state, "/learn", result)
}

async fn forget(
    State(state): State<Shared>,
    Query(query): Query<LearnQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = teach(&state, &headers, body, query.text, Lesson::Forget).await;
    finish(&state, "/forget", result)
}

/// Learns or forgets one mail in the model file (under its lock, as `sagiguard learn`
/// does), then serves the model that was written.
async fn teach(
    state: &Shared,
    headers: &HeaderMap,
    body: Body,
    text: bool,
    lesson: Lesson,
) -> Result<Response, Response> {
    if state.token.is_none() {
        return Err(error(
            StatusCode::FORBIDDEN,
            "learning over HTTP is off: start `sagiguard serve` with --token-file",
        ));
    }
    if !state.authorized(headers) {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "a valid token is needed (Authorization: Bearer TOKEN)",
        ));
    }
    let bytes = read_body(body, headers, state.max_body).await?;
    let max = state.max_body;
    let work_state = state.clone();
    scored(state, move |_| {
        let email = read_mail(&bytes, text, max).map_err(|e| unreadable(&work_state, e))?;
        let internal = |e: anyhow::Error| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::commands::error_chain(e.as_ref()),
            )
        };
        let path = &work_state.model_path;
        let _lock = crate::commands::lock_model(path).map_err(internal)?;
        let mut model = Model::load_for_learning(path).map_err(|e| internal(e.into()))?;
        let tokenizer =
            crate::commands::tokenizer_for(&work_state.global, &model).map_err(internal)?;
        let prepared = model
            .prepare(&tokenizer, &email)
            .map_err(|e| unreadable(&work_state, crate::commands::error_chain(&e)))?;
        let outcome = model
            .apply(&prepared, &lesson, &crate::commands::today())
            .map_err(|e| error(StatusCode::CONFLICT, crate::commands::error_chain(&e)))?;
        if outcome.changed() {
            model.refresh().map_err(|e| internal(e.into()))?;
            model.save(path).map_err(|e| internal(e.into()))?;
            work_state.reload().map_err(internal)?;
        }
        let refit_advised = model.info().map(|i| i.refit_advised).unwrap_or(false);
        Ok(axum::Json(json!({
            "outcome": outcome.as_str(),
            "refit_advised": refit_advised,
        }))
        .into_response())
    })
    .await
}

async fn reload(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let result = async {
        if state.token.is_some() && !state.authorized(&headers) {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "a valid token is needed (Authorization: Bearer TOKEN)",
            ));
        }
        let work_state = state.clone();
        let reloaded = tokio::task::spawn_blocking(move || work_state.reload())
            .await
            .map_err(|_| error(StatusCode::INTERNAL_SERVER_ERROR, "the reload failed"))?;
        match reloaded {
            Ok(loaded) => Ok(axum::Json(json!({
                "reloaded": true,
                "model_fingerprint": loaded.fingerprint,
            }))
            .into_response()),
            Err(err) => Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "kept the model in use: {}",
                    crate::commands::error_chain(err.as_ref())
                ),
            )),
        }
    }
    .await;
    finish(&state, "/reload", result)
}

async fn health(State(state): State<Shared>) -> Response {
    let loaded = state.current();
    let meta = loaded.model.metadata();
    let loaded_at = loaded
        .loaded_at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let response = axum::Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_seconds": state.started.elapsed().as_secs_f64(),
        "model": state.model_path.display().to_string(),
        "model_fingerprint": loaded.fingerprint,
        "model_loaded_at": loaded_at,
        "trained_on": meta.trained_on,
        "threshold": loaded.model.threshold(),
        "dictionary": loaded.model.dictionary_fingerprint(),
        "learning": state.token.is_some(),
    }))
    .into_response();
    finish(&state, "/health", Ok(response))
}

async fn metrics(State(state): State<Shared>) -> Response {
    let text = state.metrics.render(state.started.elapsed());
    let response = (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response();
    finish(&state, "/metrics", Ok(response))
}
