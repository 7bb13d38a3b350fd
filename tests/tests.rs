//! End-to-end tests: the real `sagiguard` binary on real files in temporary directories.
//!
//! - `util`: the sandbox every test runs in (temporary directory, shared dictionary cache).
//! - `tokenize`: `sagiguard tokenize`, text and JSON.
//! - `dict`: dictionary resolution as a user sees it: first build, reuse, errors.
//! - `parse`: `sagiguard parse` on the samples in data/samples, datasets, stdin, bad mail.
//! - `train_eval`: `sagiguard train` and `sagiguard eval` on subsets of data/, model and dataset errors.
//! - `score`: `sagiguard score` verdicts, JSON lines, exit codes, bad mail in a batch, stdin.
//! - `explain_filter`: `sagiguard explain` (evidence, advice) and `sagiguard filter` (bytes kept, headers added).
//! - `learn`: `sagiguard learn`, `merge`, `model info`, `train --from`: corrections, exact forgetting, locking.
//! - `serve`: `sagiguard serve` over HTTP: answers, limits, reloads, learning, shutdown.
//! - `browser`: the page in headless Chromium (WebDriver): a scam SMS, a notice, an HTML payload.
//! - `rspamd`: Debian's rspamd with contrib/rspamd/sagiguard.lua against `sagiguard serve`.
//! - `cli`: help, version, usage errors.
//! - `fuzz_seeds`: the fuzz targets' checks (fuzz/checks.rs) on their seeds and kept findings.

mod util;

mod browser;
mod cli;
mod dict;
mod explain_filter;
mod fuzz_seeds;
mod learn;
mod parse;
mod rspamd;
mod score;
mod serve;
mod tokenize;
mod train_eval;
