//! The sandbox end-to-end tests run in.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary working directory, and a `sagiguard` command set up to use it.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `sagiguard ARGS…`, run in the sandbox with the dictionary cache shared by the whole
    /// test run, so the real IPADIC is compiled once per target directory.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_with_cache(args, &shared_cache())
    }

    /// `sagiguard ARGS…` with its own dictionary cache.
    pub fn cmd_with_cache(&self, args: &[&str], cache: &Path) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sagiguard"));
        cmd.current_dir(self.path())
            .args(args)
            .env_remove("SAGIGUARD_DICT")
            .env("SAGIGUARD_CACHE_DIR", cache);
        cmd
    }
}

pub fn shared_cache() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_TARGET_TMPDIR"), "/sagiguard-cache"))
}

/// Runs the command, asserts its exit code, and returns its stdout and stderr as text.
/// On a mismatch the message shows both streams in full.
pub fn run(cmd: &mut Command, code: i32) -> (String, String) {
    let output = cmd.output().expect("sagiguard runs");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code of {cmd:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    (stdout, stderr)
}

/// Every third mail of a data/ file, written into the sandbox: small enough for a debug build.
pub fn subset(sandbox: &Sandbox, file: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(file),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().step_by(3).collect();
    std::fs::write(sandbox.path().join(file), lines.join("\n") + "\n").unwrap();
    file.to_string()
}

/// Trains `m.model` in the sandbox on a third of data/train.jsonl, checking that training
/// with `--quiet` writes nothing to stderr (linfa-bayes 0.8.1 would print its histograms).
pub fn trained(sandbox: &Sandbox) -> String {
    let train = subset(sandbox, "train.jsonl");
    let (_, stderr) = run(
        &mut sandbox.cmd(&["train", &train, "-o", "m.model", "--cv", "3", "--quiet"]),
        0,
    );
    assert!(
        stderr.is_empty(),
        "training writes nothing to stderr with --quiet:\n{stderr}"
    );
    "m.model".into()
}

/// The string `field` of each object of a JSON array: the kinds of a mail's signals, the
/// contacts of a report.
pub fn strings<'v>(array: &'v serde_json::Value, field: &str) -> Vec<&'v str> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {array}"))
        .iter()
        .map(|object| {
            object[field]
                .as_str()
                .unwrap_or_else(|| panic!("expected a string {field} in {object}"))
        })
        .collect()
}

/// The keys of a JSON object, in order: key order is part of the JSON contract.
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("expected a JSON object, got {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Each line of JSON Lines output, parsed.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Each line of `score --json` output as `id`, verdict and probability to six decimals,
/// joined by `sep`: what pinned verdicts are compared as.
pub fn verdict_lines(stdout: &str, sep: &str) -> Vec<String> {
    json_lines(stdout)
        .iter()
        .map(|v| {
            format!(
                "{}{sep}{}{sep}{:.6}",
                v["id"].as_str().unwrap(),
                v["verdict"].as_str().unwrap(),
                v["scam_probability"].as_f64().unwrap()
            )
        })
        .collect()
}
