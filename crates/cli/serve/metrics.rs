//! Counters for `GET /metrics`, in the Prometheus text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
pub struct Metrics {
    /// Requests by (path, status).
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    /// Verdicts given: scam, unsure, ham.
    verdicts: Mutex<BTreeMap<&'static str, u64>>,
    /// Failures by kind: unreadable mail, timeout, overload, too large, internal.
    errors: Mutex<BTreeMap<&'static str, u64>>,
    /// Model reloads by result.
    reloads: Mutex<BTreeMap<&'static str, u64>>,
    /// Scoring latency (score, explain): per bucket, then the count and the sum.
    latency: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    pub in_flight: AtomicI64,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    *map.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(key)
        .or_default() += 1;
}

fn snapshot<K: Ord + Clone>(map: &Mutex<BTreeMap<K, u64>>) -> BTreeMap<K, u64> {
    map.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

impl Metrics {
    pub fn request(&self, path: &'static str, status: u16) {
        bump(&self.requests, (path, status));
    }

    pub fn verdict(&self, verdict: &'static str) {
        bump(&self.verdicts, verdict);
    }

    pub fn error(&self, kind: &'static str) {
        bump(&self.errors, kind);
    }

    pub fn reload(&self, result: &'static str) {
        bump(&self.reloads, result);
    }

    pub fn latency(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bucket, bound) in self.latency.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self, uptime: Duration) -> String {
        let mut out = String::new();
        let family = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        family(
            &mut out,
            "sagiguard_requests_total",
            "counter",
            "HTTP requests answered, by path and status.",
        );
        for ((path, status), n) in snapshot(&self.requests) {
            let _ = writeln!(
                out,
                "sagiguard_requests_total{{path=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
        family(
            &mut out,
            "sagiguard_verdicts_total",
            "counter",
            "Verdicts given by /score and /explain.",
        );
        for verdict in ["scam", "unsure", "ham"] {
            let n = snapshot(&self.verdicts).get(verdict).copied().unwrap_or(0);
            let _ = writeln!(out, "sagiguard_verdicts_total{{verdict=\"{verdict}\"}} {n}");
        }
        family(
            &mut out,
            "sagiguard_errors_total",
            "counter",
            "Requests that got no verdict, by reason.",
        );
        for (kind, n) in snapshot(&self.errors) {
            let _ = writeln!(out, "sagiguard_errors_total{{kind=\"{kind}\"}} {n}");
        }
        family(
            &mut out,
            "sagiguard_model_reloads_total",
            "counter",
            "Model reloads (SIGHUP, POST /reload, learning), by result.",
        );
        for (result, n) in snapshot(&self.reloads) {
            let _ = writeln!(
                out,
                "sagiguard_model_reloads_total{{result=\"{result}\"}} {n}"
            );
        }
        family(
            &mut out,
            "sagiguard_scoring_seconds",
            "histogram",
            "Time from a whole request body to its verdict.",
        );
        for (bucket, bound) in self.latency.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "sagiguard_scoring_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "sagiguard_scoring_seconds_bucket{{le=\"+Inf\"}} {count}\nsagiguard_scoring_seconds_sum {}\nsagiguard_scoring_seconds_count {count}",
            self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        family(
            &mut out,
            "sagiguard_in_flight",
            "gauge",
            "Requests being scored now.",
        );
        let _ = writeln!(
            out,
            "sagiguard_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        family(
            &mut out,
            "sagiguard_uptime_seconds",
            "gauge",
            "Seconds since the server started.",
        );
        let _ = writeln!(out, "sagiguard_uptime_seconds {}", uptime.as_secs_f64());
        out
    }
}
