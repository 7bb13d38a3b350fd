use std::fs;

use serde_json::Value;

use crate::util::{Sandbox, keys, run, subset, trained};

/// The number of mails in a dataset file of the sandbox.
fn lines_of(sandbox: &Sandbox, file: &str) -> usize {
    fs::read_to_string(sandbox.path().join(file))
        .unwrap()
        .lines()
        .count()
}

#[test]
fn train_then_eval_reports_with_stable_json() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let test = subset(&sandbox, "test.jsonl");
    let mails = lines_of(&sandbox, &test);
    let (stdout, _) = run(
        &mut sandbox.cmd(&[
            "eval",
            "-m",
            &model,
            &test,
            "--json",
            "--scores",
            "scores.csv",
            "--plots",
            "plots",
        ]),
        0,
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let names = keys(&report);
    assert_eq!(
        &names[..10],
        [
            "n",
            "threshold",
            "accuracy",
            "roc_auc",
            "pr_auc",
            "false_positive_rate",
            "scam",
            "ham",
            "confusion",
            "per_category"
        ]
    );
    let confusion = keys(&report["confusion"]);
    assert_eq!(confusion, ["tp", "fp", "tn", "fn"]);
    assert_eq!(report["n"], mails);
    assert!(report["roc_auc"].as_f64().unwrap() > 0.5, "{report}");

    let csv = fs::read_to_string(sandbox.path().join("scores.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,label,category,scam_probability,predicted,log_odds")
    );
    assert_eq!(lines.count(), mails);

    for name in ["roc.svg", "pr.svg", "histogram.svg", "index.html"] {
        assert!(sandbox.path().join("plots").join(name).is_file(), "{name}");
    }

    let (table, _) = run(&mut sandbox.cmd(&["eval", "-m", &model, &test]), 0);
    for word in [
        "precision",
        "recall",
        "ROC-AUC",
        "PR-AUC",
        "legitimate brand mail",
        "worst mistakes",
    ] {
        assert!(table.contains(word), "{word} missing:\n{table}");
    }
}

#[test]
fn train_prints_the_cross_validated_report() {
    let sandbox = Sandbox::new();
    let train = subset(&sandbox, "train.jsonl");
    let mails = lines_of(&sandbox, &train);
    let (stdout, stderr) = run(
        &mut sandbox.cmd(&["train", &train, "-o", "models/x.model", "--cv", "3"]),
        0,
    );
    assert!(
        stdout.contains(&format!("cross-validated on {mails} mails in 3 folds")),
        "{stdout}"
    );
    assert!(
        stderr.contains("model written to models/x.model"),
        "{stderr}"
    );
    assert!(sandbox.path().join("models/x.model").is_file());
}

#[test]
fn model_errors_say_what_is_wrong() {
    let sandbox = Sandbox::new();
    let test = subset(&sandbox, "test.jsonl");
    let (_, stderr) = run(&mut sandbox.cmd(&["eval", "-m", "absent.model", &test]), 2);
    assert!(
        stderr.contains("absent.model: cannot read the model"),
        "{stderr}"
    );
    assert!(stderr.contains("sagiguard train"), "{stderr}");

    fs::write(sandbox.path().join("bogus.model"), "not a model at all").unwrap();
    let (_, stderr) = run(&mut sandbox.cmd(&["eval", "-m", "bogus.model", &test]), 2);
    assert!(
        stderr.contains("bogus.model: not a sagiguard model"),
        "{stderr}"
    );

    let model = trained(&sandbox);
    let mut bytes = fs::read(sandbox.path().join(&model)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(sandbox.path().join("flipped.model"), &bytes).unwrap();
    let (_, stderr) = run(&mut sandbox.cmd(&["eval", "-m", "flipped.model", &test]), 2);
    assert!(stderr.contains("corrupted"), "{stderr}");
}

#[test]
fn dataset_errors_name_the_row_and_column() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path().join("bad.csv"),
        "id,label,subject,body\na,scam,至急,口座を確認してください\nb,phishing,確認,ラベルが未知\nc,ham,会議,明日の会議は10時です\n",
    )
    .unwrap();
    let (_, stderr) = run(
        &mut sandbox.cmd(&["train", "bad.csv", "-o", "m.model", "--cv", "0"]),
        2,
    );
    assert!(
        stderr.contains("bad.csv: row 2, column \"label\": unknown label \"phishing\""),
        "{stderr}"
    );
    assert!(stderr.contains("--on-error skip"), "{stderr}");

    let (_, stderr) = run(
        &mut sandbox.cmd(&[
            "train",
            "bad.csv",
            "-o",
            "m.model",
            "--cv",
            "0",
            "--on-error",
            "skip",
        ]),
        0,
    );
    assert!(
        stderr.contains("read 2 labeled mails, skipped 1"),
        "{stderr}"
    );

    fs::write(sandbox.path().join("empty.jsonl"), "").unwrap();
    let (_, stderr) = run(
        &mut sandbox.cmd(&["train", "empty.jsonl", "-o", "m.model"]),
        2,
    );
    assert!(stderr.contains("empty.jsonl"), "{stderr}");
}

/// Issue 14: the same text under both labels stops training, naming both mails, unless the
/// user says otherwise; a repeated id is a warning.
#[test]
fn contradicting_labels_stop_training() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.path().join("c.jsonl"),
        "{\"id\":\"a\",\"label\":\"scam\",\"body\":\"同じ本文です\"}\n\
         {\"id\":\"a\",\"label\":\"ham\",\"body\":\"同じ本文です\"}\n\
         {\"id\":\"c\",\"label\":\"ham\",\"body\":\"別の本文です\"}\n",
    )
    .unwrap();
    let (_, stderr) = run(
        &mut sandbox.cmd(&["train", "c.jsonl", "-o", "c.model", "--cv", "0"]),
        2,
    );
    assert!(
        stderr.contains("c.jsonl:2: the same subject and body as mail 1"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-contradictions"), "{stderr}");
    assert!(!sandbox.path().join("c.model").exists());
    let (_, stderr) = run(
        &mut sandbox.cmd(&[
            "train",
            "c.jsonl",
            "-o",
            "c.model",
            "--cv",
            "0",
            "--allow-contradictions",
        ]),
        0,
    );
    assert!(
        stderr.contains("id \"a\" is used more than once"),
        "{stderr}"
    );
    assert!(stderr.contains("1 texts under both labels"), "{stderr}");
}

/// Issue 14: a threshold is a probability; anything else is a usage error.
#[test]
fn thresholds_outside_zero_to_one_are_usage_errors() {
    let sandbox = Sandbox::new();
    for bad in ["7", "NaN", "inf", "-1", "x"] {
        let flag = format!("--threshold={bad}");
        let (_, stderr) = run(
            &mut sandbox.cmd(&["score", &flag, "-m", "m.model", "x.eml"]),
            2,
        );
        assert!(stderr.contains("--threshold"), "{bad}: {stderr}");
    }
}
