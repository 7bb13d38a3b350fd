//! The server's state: the model in use, swapped on reload, and the request limits.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::http::{HeaderMap, header};
use sagiguard_tokenizer::Tokenizer;
use sagiguard_trainer::Model;

use super::metrics::Metrics;
use crate::args::GlobalArgs;

/// A model ready to score, and what `GET /health` says of it.
pub(super) struct Loaded {
    pub(super) model: Model,
    pub(super) tokenizer: Tokenizer,
    /// The first 16 hex digits of the model file's BLAKE3 hash.
    pub(super) fingerprint: String,
    pub(super) loaded_at: std::time::SystemTime,
}

impl Loaded {
    pub(super) fn load(global: &GlobalArgs, path: &std::path::Path) -> anyhow::Result<Loaded> {
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

pub(super) struct AppState {
    pub(super) global: GlobalArgs,
    pub(super) model_path: PathBuf,
    pub(super) current: RwLock<Arc<Loaded>>,
    /// Permits for requests being scored.
    pub(super) slots: Arc<tokio::sync::Semaphore>,
    pub(super) max_body: u64,
    pub(super) max_in_flight: usize,
    pub(super) timeout: Duration,
    pub(super) token: Option<String>,
    pub(super) started: Instant,
    pub(super) metrics: Metrics,
}

pub(super) type Shared = Arc<AppState>;

impl AppState {
    pub(super) fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Loads the model file again; on failure the model in use stays.
    pub(super) fn reload(&self) -> anyhow::Result<Arc<Loaded>> {
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
    pub(super) fn authorized(&self, headers: &HeaderMap) -> bool {
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
