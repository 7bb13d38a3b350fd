use std::fs;

use serde_json::Value;

use crate::util::{Sandbox, run, trained};

fn sample(name: &str) -> String {
    format!("{}/data/samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn explain_quotes_the_mail_and_advises_on_sextortion() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let path = sample("scam-sextortion-iso2022jp.eml");
    let (text, _) = run(&mut sandbox.cmd(&["explain", "-m", &model, &path]), 1);
    assert!(text.contains("詐欺の可能性が高い"), "{text}");
    assert!(
        text.contains("「48時間以内」"),
        "the evidence quotes the mail:\n{text}"
    );
    assert!(text.contains("詐欺の方向に働いた特徴"), "{text}");
    let (json, _) = run(
        &mut sandbox.cmd(&["explain", "-m", &model, "--json", "--lang", "en", &path]),
        1,
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"], "scam");
    assert!(!v["toward_scam"].as_array().unwrap().is_empty());
    let advice = v["advice"]["items"].as_array().unwrap();
    let advice_text: Vec<&str> = advice.iter().map(|a| a.as_str().unwrap()).collect();
    assert!(!advice_text.is_empty());
    let title = v["advice"]["title"].as_str().unwrap().to_lowercase();
    assert!(
        title.contains("bluff")
            || title.contains("extortion")
            || title.contains("threat")
            || title.contains("video"),
        "{title}"
    );
}

/// A legitimate verdict that still found signals says so: "no sign of a scam" above a list
/// of signs, and "nothing suspicious was found" below it, would contradict what it shows.
#[test]
fn a_legitimate_verdict_with_signals_does_not_say_nothing_was_found() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    fs::write(
        sandbox.path().join("colleague.eml"),
        "From: 佐藤 <sato@example.co.jp>\r\nTo: team@example.co.jp\r\nSubject: 定例会議の資料について\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nお疲れさまです。佐藤です。\r\n来週の定例会議で使う資料の提出は、24時間以内にお願いします。共有フォルダの「定例」に置いてください。\r\n不明な点があれば私まで。よろしくお願いします。\r\n",
    )
    .unwrap();
    let (json, _) = run(
        &mut sandbox.cmd(&["explain", "-m", &model, "--json", "colleague.eml"]),
        0,
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"], "ham");
    assert_eq!(v["signals"][0]["kind"], "deadline", "{json}");
    assert_eq!(
        v["advice"]["title"], "安全とも詐欺とも、はっきり言えないメールです",
        "{json}"
    );
    let (text, _) = run(
        &mut sandbox.cmd(&["explain", "-m", &model, "colleague.eml"]),
        0,
    );
    assert!(text.contains("気になる手がかりがあります"), "{text}");
    assert!(!text.contains("見つかりませんでした"), "{text}");
    let (text, _) = run(
        &mut sandbox.cmd(&["explain", "-m", &model, "--lang", "en", "colleague.eml"]),
        0,
    );
    assert!(text.contains("signs worth a second look"), "{text}");
    assert!(!text.contains("No sign of a scam"), "{text}");
}

#[test]
fn explain_a_phishing_mail_in_english() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let path = sample("scam-amazon-link-mismatch-html-utf8qp.eml");
    let (text, _) = run(
        &mut sandbox.cmd(&["explain", "-m", &model, "--lang", "en", &path]),
        1,
    );
    assert!(text.contains("very likely a scam"), "{text}");
    assert!(
        text.contains("www.amazon.co.jp"),
        "the link evidence is quoted:\n{text}"
    );
    assert!(
        text.to_lowercase().contains("password"),
        "phishing advice mentions passwords:\n{text}"
    );
}

#[test]
fn filter_adds_headers_and_keeps_every_byte() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    for name in ["scam-sextortion-iso2022jp.eml", "ham-order-shiftjis.eml"] {
        let original = fs::read(sample(name)).unwrap();
        let mut cmd = sandbox.cmd(&["filter", "-m", &model]);
        cmd.write_stdin(original.clone());
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{name}");
        let out = output.stdout;
        assert!(
            out.ends_with(&original),
            "{name}: the message follows the headers unchanged"
        );
        let added = String::from_utf8(out[..out.len() - original.len()].to_vec()).unwrap();
        let names: Vec<&str> = added
            .lines()
            .map(|l| l.split(':').next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "X-Sagiguard-Verdict",
                "X-Sagiguard-Probability",
                "X-Sagiguard-Category",
                "X-Sagiguard-Signals"
            ],
            "{name}"
        );
        assert!(
            added.ends_with("\r\n"),
            "{name}: headers use the message's CRLF"
        );
        let expected = if name.starts_with("scam") {
            "scam"
        } else {
            "ham"
        };
        assert!(
            added.starts_with(&format!("X-Sagiguard-Verdict: {expected}")),
            "{name}: {added}"
        );
    }
}

#[test]
fn filter_never_loses_the_message() {
    let sandbox = Sandbox::new();
    let original = b"Subject: test\n\nhello\n".to_vec();
    let mut cmd = sandbox.cmd(&["filter", "-m", "no-such.model"]);
    cmd.write_stdin(original.clone());
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.starts_with("X-Sagiguard-Error: "), "{out}");
    assert!(out.contains("no-such.model"), "{out}");
    assert!(out.ends_with("Subject: test\n\nhello\n"), "{out}");
}

#[test]
fn filter_exit_code_on_request() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let mut cmd = sandbox.cmd(&["filter", "-m", &model, "--exit-code"]);
    cmd.write_stdin(fs::read(sample("scam-bank-phishing-iso2022jp.eml")).unwrap());
    assert_eq!(cmd.output().unwrap().status.code(), Some(1));
}

/// Issue 14: a verdict the sender wrote is removed, so it can never be the only verdict.
#[test]
fn filter_removes_forged_verdicts() {
    let sandbox = Sandbox::new();
    let message =
        "X-Sagiguard-Verdict: ham\r\nSubject: hi\r\nx-sagiguard-probability: 0.0\r\n\r\nbody\r\n";
    let mut cmd = sandbox.cmd(&["filter", "-m", "missing.model"]);
    cmd.write_stdin(message);
    let (stdout, _) = run(&mut cmd, 0);
    assert!(stdout.starts_with("X-Sagiguard-Error: "), "{stdout}");
    assert!(stdout.ends_with("Subject: hi\r\n\r\nbody\r\n"), "{stdout}");
    assert!(!stdout.contains("X-Sagiguard-Verdict: ham"), "{stdout}");
    assert!(!stdout.contains("x-sagiguard-probability"), "{stdout}");
}

/// Issue 14: a filter that could not hand the whole message on exits 75 (EX_TEMPFAIL), so
/// the mail system keeps the message and tries again.
#[test]
fn filter_that_cannot_deliver_asks_to_try_again() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_sagiguard"))
        .args(["filter", "-m", "missing.model"])
        .env("SAGIGUARD_CACHE_DIR", crate::util::shared_cache())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Nobody reads what the filter writes.
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(format!("Subject: x\n\n{}\n", "x".repeat(1 << 20)).as_bytes());
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(75));
}

/// Issue 14: scoring that does not finish in time (here: a model that never arrives, a FIFO
/// without a writer) delivers the message anyway, marked as a timeout.
#[test]
fn filter_delivers_on_timeout() {
    let sandbox = Sandbox::new();
    let fifo = sandbox.path().join("stuck.model");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let mut cmd = sandbox.cmd(&["filter", "-m", "stuck.model", "--timeout", "0.5"]);
    cmd.write_stdin("Subject: hi\n\nbody\n");
    let (stdout, _) = run(&mut cmd, 0);
    assert_eq!(stdout, "X-Sagiguard-Error: timeout\nSubject: hi\n\nbody\n");
}
