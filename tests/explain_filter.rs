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
