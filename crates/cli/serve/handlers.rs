//! The endpoints: scoring and explaining, learning and forgetting, reload, health, metrics.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sagiguard_corpus::Input;
use sagiguard_features::Lang;
use sagiguard_trainer::{Lesson, Model, Verdict};
use serde::Deserialize;
use serde_json::json;

use super::limits::{error, finish, json_response, read_body, read_mail, scored, unreadable};
use super::state::{Loaded, Shared};
use crate::output::{ExplainView, ScoreView};

/// Words shown each way by `POST /explain`, as `sagiguard explain` shows by default.
const EXPLAIN_WORDS: usize = 8;

#[derive(Deserialize)]
pub(super) struct ScoreQuery {
    /// Read the body as plain text even when it starts like a header block.
    #[serde(default)]
    text: bool,
    /// Who sent a plain text (an SMS's number or name), which has no header to say it.
    #[serde(default)]
    sender: Option<String>,
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

/// A scoring endpoint: its path, how many reasons it names, and the view it answers with.
pub(super) trait Endpoint {
    const PATH: &'static str;
    /// Reasons named each way (`None`: the few a score line shows).
    const WORDS: Option<usize>;
    fn view(loaded: &Loaded, input: &Input, verdict: &Verdict, lang: Lang) -> Response;
}

/// `POST /score`: the object `sagiguard score --json` prints for the mail.
pub(super) struct Score;

impl Endpoint for Score {
    const PATH: &'static str = "/score";
    const WORDS: Option<usize> = None;
    fn view(_: &Loaded, input: &Input, verdict: &Verdict, lang: Lang) -> Response {
        json_response(&ScoreView::new(
            &input.source,
            &input.email.id,
            verdict,
            lang,
        ))
    }
}

/// `POST /explain`: the object `sagiguard explain --json` prints.
pub(super) struct Explain;

impl Endpoint for Explain {
    const PATH: &'static str = "/explain";
    const WORDS: Option<usize> = Some(EXPLAIN_WORDS);
    fn view(loaded: &Loaded, input: &Input, verdict: &Verdict, lang: Lang) -> Response {
        let threshold = loaded.model.threshold();
        json_response(&ExplainView::new(
            input,
            verdict,
            threshold,
            EXPLAIN_WORDS,
            lang,
        ))
    }
}

/// The handler of every scoring endpoint: read the body, parse the mail, score it on the
/// blocking pool, count the verdict.
pub(super) async fn scoring<E: Endpoint>(
    State(state): State<Shared>,
    Query(query): Query<ScoreQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let lang = lang_of(&query)?;
        let bytes = read_body(body, &headers, state.max_body).await?;
        let (text, sender, max) = (query.text, query.sender, state.max_body);
        let work_state = state.clone();
        scored(&state, move |loaded| {
            let email =
                read_mail(&bytes, text, sender, max).map_err(|e| unreadable(&work_state, e))?;
            let input = Input {
                source: "request".into(),
                email,
                label: None,
                category: None,
            };
            let (model, tokenizer) = (&loaded.model, &loaded.tokenizer);
            let verdict = match E::WORDS {
                None => model.score(tokenizer, &input.email),
                // Each way's strongest, from more candidates than are shown.
                Some(n) => model.explain(tokenizer, &input.email, n * 4),
            };
            work_state.metrics.verdict(verdict.label.as_str());
            Ok(E::view(&loaded, &input, &verdict, lang))
        })
        .await
    }
    .await;
    finish(&state, E::PATH, result)
}

#[derive(Deserialize)]
pub(super) struct LearnQuery {
    label: Option<String>,
    #[serde(default)]
    text: bool,
    #[serde(default)]
    sender: Option<String>,
}

pub(super) async fn learn(
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
        Ok(lesson) => teach(&state, &headers, body, query.text, query.sender, lesson).await,
        Err(e) => Err(e),
    };
    finish(&state, "/learn", result)
}

pub(super) async fn forget(
    State(state): State<Shared>,
    Query(query): Query<LearnQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = teach(
        &state,
        &headers,
        body,
        query.text,
        query.sender,
        Lesson::Forget,
    )
    .await;
    finish(&state, "/forget", result)
}

/// Learns or forgets one mail in the model file (under its lock, as `sagiguard learn`
/// does), then serves the model that was written.
async fn teach(
    state: &Shared,
    headers: &HeaderMap,
    body: Body,
    text: bool,
    sender: Option<String>,
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
        let email = read_mail(&bytes, text, sender, max).map_err(|e| unreadable(&work_state, e))?;
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
        let prepared = model.prepare(&tokenizer, &email);
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

pub(super) async fn reload(State(state): State<Shared>, headers: HeaderMap) -> Response {
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

pub(super) async fn health(State(state): State<Shared>) -> Response {
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

pub(super) async fn metrics(State(state): State<Shared>) -> Response {
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
