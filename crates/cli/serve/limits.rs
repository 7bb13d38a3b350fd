//! What every request goes through: its body read within --max-body, its mail parsed, its
//! work run within --max-in-flight and --timeout, its answer shaped and counted.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use sagiguard_corpus::{Email, ParseOptions, parse_input, parse_text};
use serde_json::json;

use super::state::{Loaded, Shared};

/// A view as JSON with its fields in declaration order, as the command line prints it.
pub(super) fn json_response(view: &impl serde::Serialize) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec(view).expect("a view serialises"),
    )
        .into_response()
}

pub(super) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": message.into() }))).into_response()
}

/// Reads a body up to `limit` bytes. Past it, the rest is read and dropped up to a bound,
/// so that an ordinary client that sends its whole body before reading sees the 413; a
/// client that sends far more is cut off.
pub(super) async fn read_body(
    body: Body,
    headers: &HeaderMap,
    limit: u64,
) -> Result<Vec<u8>, Response> {
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

/// The mail in a request body, read as `sagiguard score -` reads standard input: a message
/// with a header block, or else plain text (a pasted SMS).
pub(super) fn read_mail(
    bytes: &[u8],
    text: bool,
    sender: Option<String>,
    max_size: u64,
) -> Result<Email, String> {
    let options = ParseOptions {
        max_size,
        text,
        sender,
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
pub(super) async fn scored<T: Send + 'static>(
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
pub(super) fn finish(
    state: &Shared,
    path: &'static str,
    result: Result<Response, Response>,
) -> Response {
    let response = result.unwrap_or_else(|e| e);
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        state.metrics.error("too_large");
    }
    state.metrics.request(path, response.status().as_u16());
    response
}

pub(super) fn unreadable(state: &Shared, reason: String) -> Response {
    state.metrics.error("unreadable");
    error(StatusCode::UNPROCESSABLE_ENTITY, reason)
}
