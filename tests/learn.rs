//! `sagiguard learn`, `merge`, `model info` and `train --from` as a mail administrator uses
//! them (issue 15): corrections change verdicts, forgetting restores them exactly, every
//! input kind is read, concurrent learns keep every update, merging equals training on all.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{Sandbox, run, subset, trained, verdict_lines};

/// Written scams of a genre the corpus has little of (a サクラ's friendly note without a
/// link), and one more like them that is only scored.
const SAKURA: [&str; 3] = [
    "こんばんは、ミユキです。この前はお話できて楽しかったです。お礼にお食事をご馳走させてください。来週の都合はいかがですか？お返事まってますね。",
    "ミユキです、覚えてますか？相談に乗ってもらったお礼がまだだったので、お食事でもご一緒できたら嬉しいです。お返事まってますね。",
    "ミユキです。お元気ですか？前に話したお礼のお食事の件、来週あたりどうでしょう。お返事まってますね。",
];
const SAKURA_PROBE: &str = "お久しぶりです、ミユキです。前に相談に乗ってもらったお礼がしたくて連絡しました。来週あたりお食事でもどうですか？お返事まってますね。";

fn write(sandbox: &Sandbox, name: &str, text: &str) -> String {
    let path = sandbox.path().join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    name.to_string()
}

/// A message with headers, written by us.
fn message(subject: &str, from: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: user@example.jp\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{body}\r\n"
    )
}

fn info(sandbox: &Sandbox, model: &str) -> Value {
    let (stdout, _) = run(&mut sandbox.cmd(&["model", "info", model, "--json"]), 0);
    serde_json::from_str(&stdout).unwrap()
}

fn verdict(sandbox: &Sandbox, model: &str, file: &str) -> String {
    let (stdout, _) = run_any(&mut sandbox.cmd(&["score", "-m", model, "--text", "--json", file]));
    let v: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    v["verdict"].as_str().unwrap().to_string()
}

fn run_any(cmd: &mut assert_cmd::Command) -> (String, String) {
    let output = cmd.output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn outcomes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["outcome"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("error: {}", v["error"]))
        })
        .collect()
}

#[test]
fn learning_flips_a_similar_mail_and_forgetting_restores_every_score() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let test = subset(&sandbox, "test.jsonl");
    let scores =
        |sandbox: &Sandbox| run_any(&mut sandbox.cmd(&["score", "-m", &model, "--json", &test])).0;
    let before = scores(&sandbox);
    let learned: Vec<String> = SAKURA
        .iter()
        .enumerate()
        .map(|(i, text)| write(&sandbox, &format!("sakura/{i}"), text))
        .collect();
    let probe = write(&sandbox, "probe.txt", SAKURA_PROBE);
    assert_ne!(verdict(&sandbox, &model, &probe), "scam");

    let mut args = vec!["learn", "-m", &model, "--text", "--json", "--scam"];
    args.extend(learned.iter().map(String::as_str));
    let (stdout, stderr) = run(&mut sandbox.cmd(&args), 0);
    assert_eq!(outcomes(&stdout), ["learned"; 3]);
    assert!(stderr.contains("learned 3 scam and 0 ham"), "{stderr}");
    assert_eq!(verdict(&sandbox, &model, &probe), "scam");
    assert_ne!(scores(&sandbox), before);

    let (stdout, _) = run(
        &mut sandbox.cmd(&[
            "learn", "-m", &model, "--text", "--json", "--forget", "sakura",
        ]),
        0,
    );
    assert_eq!(outcomes(&stdout), ["forgotten"; 3]);
    // Every probability printed as before, to the last digit.
    assert_eq!(scores(&sandbox), before);
    let info = info(&sandbox, &model);
    assert_eq!(info["history"]["learned"], 3);
    assert_eq!(info["history"]["forgotten"], 3);
}

#[test]
fn every_input_kind_is_learned_and_forgotten() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let eml = write(
        &sandbox,
        "one.eml",
        &message(
            "【重要】アカウント確認のお願い",
            "Support <no-reply@acct-check.example.top>",
            "ご本人様確認のため48時間以内に下記よりログインしてください。 https://acct-check.example.top/login",
        ),
    );
    write(
        &sandbox,
        "dir/a.eml",
        &message(
            "請求書の送付",
            "経理 <keiri@example.co.jp>",
            "今月分の請求書を添付いたします。ご査収ください。",
        ),
    );
    let mbox = write(
        &sandbox,
        "box.mbox",
        &format!(
            "From a@example.top Fri Dec  4 10:00:00 2026\n{}\nFrom b@example.top Fri Dec  4 10:01:00 2026\n{}\n",
            message(
                "未払い料金のお知らせ",
                "a@example.top",
                "未払いの料金があります。本日中にお支払いください。"
            ),
            message(
                "当選のお知らせ",
                "b@example.top",
                "おめでとうございます。賞金の受け取り手続きをしてください。"
            )
        ),
    );
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(sandbox.path().join("Maildir").join(sub)).unwrap();
    }
    write(
        &sandbox,
        "Maildir/cur/1700000000.1.host:2,S",
        &message(
            "同窓会のご案内",
            "幹事 <kanji@example.ne.jp>",
            "来月の同窓会の出欠をお知らせください。",
        ),
    );
    // A dataset under --scam: its label column is ignored.
    let dataset = write(
        &sandbox,
        "rows.jsonl",
        &[
            r#"{"id":"r1","label":"ham","subject":"","body":"【宅配】お荷物をお預かりしています。再配達の手続きはこちら http://redeliv.example.top/a"}"#,
            r#"{"id":"r2","label":"ham","subject":"","body":"【電力】料金未払いのため明日送電を停止します。 http://denki-pay.example.top/s"}"#,
        ]
        .join("\n"),
    );
    let labeled = write(
        &sandbox,
        "labeled.jsonl",
        r#"{"id":"l1","label":"ham","subject":"シフトの件","body":"来週のシフト表を共有します。変更があれば教えてください。"}"#,
    );

    let mut cmd = sandbox.cmd(&[
        "learn",
        "-m",
        &model,
        "--json",
        "--scam",
        &eml,
        &mbox,
        &dataset,
        "-",
        "--ham",
        "dir",
        "Maildir",
        "--labeled",
        &labeled,
    ]);
    cmd.write_stdin("【カード会社】ご利用確認のため至急こちらへ https://card-kakunin.example.top/");
    let (stdout, _) = run(&mut cmd, 0);
    assert_eq!(outcomes(&stdout), ["learned"; 9], "{stdout}");
    let info_after = info(&sandbox, &model);
    assert_eq!(info_after["history"]["learned"], 9);

    // The same mails again: nothing changes, and the model is not rewritten.
    let written = fs::metadata(sandbox.path().join(&model))
        .unwrap()
        .modified()
        .unwrap();
    let (stdout, _) = run(
        &mut sandbox.cmd(&["learn", "-m", &model, "--json", "--scam", &eml, &mbox]),
        0,
    );
    assert_eq!(outcomes(&stdout), ["already_learned"; 3]);
    assert_eq!(
        fs::metadata(sandbox.path().join(&model))
            .unwrap()
            .modified()
            .unwrap(),
        written
    );

    let mut cmd = sandbox.cmd(&[
        "learn", "-m", &model, "--json", "--forget", &eml, &mbox, &dataset, "dir", "Maildir",
        &labeled, "-",
    ]);
    cmd.write_stdin("【カード会社】ご利用確認のため至急こちらへ https://card-kakunin.example.top/");
    let (stdout, _) = run(&mut cmd, 0);
    assert_eq!(outcomes(&stdout), ["forgotten"; 9], "{stdout}");
    let (stdout, _) = run(
        &mut sandbox.cmd(&["learn", "-m", &model, "--json", "--forget", &eml]),
        0,
    );
    assert_eq!(outcomes(&stdout), ["not_learned"]);
}

#[test]
fn relearning_under_the_other_label_is_an_error_unless_relabeled() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let mail = write(&sandbox, "m.txt", SAKURA[0]);
    run(
        &mut sandbox.cmd(&["learn", "-m", &model, "--text", "--scam", &mail]),
        0,
    );
    let (stdout, stderr) = run(
        &mut sandbox.cmd(&["learn", "-m", &model, "--text", "--json", "--ham", &mail]),
        2,
    );
    assert!(
        stderr.contains("this mail was learned as scam, not ham: learn it with --relabel"),
        "{stderr}"
    );
    assert!(outcomes(&stdout)[0].starts_with("error"), "{stdout}");
    let (stdout, _) = run(
        &mut sandbox.cmd(&[
            "learn",
            "-m",
            &model,
            "--text",
            "--json",
            "--ham",
            &mail,
            "--relabel",
        ]),
        0,
    );
    assert_eq!(outcomes(&stdout), ["relabeled"]);
    // A bad mail in a batch is reported; the others are still learned.
    // (In a directory, mail is .eml, .mbox, .msg or a file without an extension.)
    write(&sandbox, "batch/good", SAKURA[1]);
    fs::write(sandbox.path().join("batch/big"), "x".repeat(5000)).unwrap();
    let (stdout, _) = run(
        &mut sandbox.cmd(&[
            "learn",
            "-m",
            &model,
            "--text",
            "--json",
            "--max-size",
            "4000",
            "--scam",
            "batch",
        ]),
        2,
    );
    let outcomes = outcomes(&stdout);
    assert_eq!(outcomes.len(), 2, "{stdout}");
    assert!(outcomes.contains(&"learned".to_string()), "{stdout}");
}

/// Two learns at once on one model: the lock beside it makes the second wait, so both
/// updates are kept.
#[test]
fn concurrent_learns_keep_every_update() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let before = info(&sandbox, &model)["scam_mails"].as_u64().unwrap();
    let n = 6;
    let children: Vec<_> = (0..n)
        .map(|i| {
            let file = write(
                &sandbox,
                &format!("c/{i}.txt"),
                &format!(
                    "{}（{i}通目）当選金の受け取りには手数料の振込が必要です。",
                    SAKURA[i % 3]
                ),
            );
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sagiguard"));
            cmd.current_dir(sandbox.path())
                .args(["-q", "learn", "-m", &model, "--text", "--scam", &file])
                .env_remove("SAGIGUARD_DICT")
                .env("SAGIGUARD_CACHE_DIR", crate::util::shared_cache());
            cmd.spawn().unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let after = info(&sandbox, &model);
    assert_eq!(after["scam_mails"].as_u64().unwrap(), before + n as u64);
    assert_eq!(after["history"]["learned"], n);
    assert!(Path::new(&sandbox.path().join("m.model.lock")).exists());
}

#[test]
fn merged_halves_score_as_the_whole_and_other_settings_are_refused() {
    let sandbox = Sandbox::new();
    let train = subset(&sandbox, "train.jsonl");
    let text = fs::read_to_string(sandbox.path().join(&train)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (a, b): (Vec<_>, Vec<_>) = lines
        .iter()
        .copied()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    let join = |v: Vec<(usize, &str)>| v.into_iter().map(|(_, l)| l).collect::<Vec<_>>().join("\n");
    write(&sandbox, "a.jsonl", &join(a));
    write(&sandbox, "b.jsonl", &join(b));
    for (data, out) in [
        ("a.jsonl", "a.model"),
        ("b.jsonl", "b.model"),
        (train.as_str(), "whole.model"),
    ] {
        run(
            &mut sandbox.cmd(&["-q", "train", data, "--cv", "0", "-o", out]),
            0,
        );
    }
    let (_, stderr) = run(
        &mut sandbox.cmd(&[
            "merge",
            "a.model",
            "b.model",
            "-o",
            "merged.model",
            "--recalibrate",
            &train,
        ]),
        0,
    );
    assert!(stderr.contains("merged 2 models"), "{stderr}");
    let test = subset(&sandbox, "test.jsonl");
    let scores = |model: &str| -> Vec<(f64, String)> {
        let csv = format!("{model}.csv");
        run(
            &mut sandbox.cmd(&["-q", "eval", "-m", model, &test, "--scores", &csv]),
            0,
        );
        let text = fs::read_to_string(sandbox.path().join(&csv)).unwrap();
        let mut rows = text.lines();
        let header: Vec<&str> = rows.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (odds, predicted) = (col("log_odds"), col("predicted"));
        rows.map(|r| {
            let cells: Vec<&str> = r.split(',').collect();
            let n = cells.len();
            // Ids may hold commas; the numeric columns are counted from the end.
            let from_end = |c: usize| cells[n - (header.len() - c)];
            (
                from_end(odds).parse().unwrap(),
                from_end(predicted).to_string(),
            )
        })
        .collect()
    };
    let (merged, whole) = (scores("merged.model"), scores("whole.model"));
    assert_eq!(merged.len(), whole.len());
    let agree = merged
        .iter()
        .zip(&whole)
        .filter(|(m, w)| m.1 == w.1)
        .count();
    for (m, w) in merged.iter().zip(&whole) {
        assert!(
            (m.0 - w.0).abs() <= 1e-6 * w.0.abs().max(1.0),
            "{} vs {}",
            m.0,
            w.0
        );
    }
    assert!(
        agree * 100 >= whole.len() * 99,
        "{agree} of {}",
        whole.len()
    );
    let merged_info = info(&sandbox, "merged.model");
    assert_eq!(
        merged_info["scam_mails"].as_u64().unwrap() + merged_info["ham_mails"].as_u64().unwrap(),
        lines.len() as u64
    );

    run(
        &mut sandbox.cmd(&[
            "-q", "train", "b.jsonl", "--cv", "0", "--ngram", "2", "-o", "bi.model",
        ]),
        0,
    );
    let (_, stderr) = run(
        &mut sandbox.cmd(&["merge", "a.model", "bi.model", "-o", "x.model"]),
        2,
    );
    assert!(
        stderr.contains(
            "cannot merge bi.model: it differs from the first model in its feature settings"
        ),
        "{stderr}"
    );
    assert!(!sandbox.path().join("x.model").exists());
}

#[test]
fn train_from_a_model_learns_folders_and_chooses_the_threshold_again() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    for (i, text) in SAKURA.iter().enumerate() {
        write(&sandbox, &format!("Junk/{i}"), text);
    }
    for (i, text) in [
        "来週の会議資料を共有フォルダに置きました。ご確認ください。",
        "お疲れさまです。明日の打ち合わせは15時からでお願いします。",
        "先日はありがとうございました。写真を送りますね。",
    ]
    .iter()
    .enumerate()
    {
        write(&sandbox, &format!("Inbox/{i}"), text);
    }
    let before = info(&sandbox, &model);
    let (stdout, _) = run(
        &mut sandbox.cmd(&[
            "-q",
            "train",
            "--from",
            &model,
            "--scam",
            "Junk",
            "--ham",
            "Inbox",
            "--text",
            "--cv",
            "3",
            "-o",
            "site.model",
        ]),
        0,
    );
    assert!(stdout.contains("learned 6 mails into m.model"), "{stdout}");
    let after = info(&sandbox, "site.model");
    assert_eq!(
        after["scam_mails"].as_u64().unwrap(),
        before["scam_mails"].as_u64().unwrap() + 3
    );
    assert_eq!(after["history"]["calibrated_on"], 6);
    assert_eq!(after["refit_advised"], false);
    // eval reads the same folders.
    let (stdout, _) = run(
        &mut sandbox.cmd(&[
            "-q",
            "eval",
            "-m",
            "site.model",
            "--scam",
            "Junk",
            "--ham",
            "Inbox",
            "--text",
            "--json",
        ]),
        0,
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["n"], 6);
    // train from folders alone, without a dataset.
    run(
        &mut sandbox.cmd(&[
            "-q",
            "train",
            "--scam",
            "Junk",
            "--ham",
            "Inbox",
            "--text",
            "--cv",
            "0",
            "-o",
            "folders.model",
        ]),
        0,
    );
    assert_eq!(info(&sandbox, "folders.model")["scam_mails"], 3);
}

#[test]
fn model_info_says_what_was_counted() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let (stdout, _) = run(&mut sandbox.cmd(&["model", "info", &model]), 0);
    for line in ["mails counted", "features", "refit advised  no", "format 4"] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    let info = info(&sandbox, &model);
    assert_eq!(info["format"], 4);
    assert_eq!(info["history"]["learned"], 0);
    assert!(info["stored_features"].as_u64().unwrap() >= info["vocabulary"].as_u64().unwrap());
    let (_, stderr) = run(&mut sandbox.cmd(&["model", "info", "nope.model"]), 2);
    assert!(stderr.contains("nope.model"), "{stderr}");
    // A model of the format before learning is refused with how to rebuild it.
    let mut old = fs::read(sandbox.path().join(&model)).unwrap();
    old[8..10].copy_from_slice(&2u16.to_le_bytes());
    fs::write(sandbox.path().join("old.model"), old).unwrap();
    for args in [
        &["model", "info", "old.model"][..],
        &["learn", "-m", "old.model", "--scam", "-"][..],
    ] {
        let (_, stderr) = run(&mut sandbox.cmd(args), 2);
        assert!(
            stderr.contains("old.model: model format 2, this sagiguard reads formats 3 to 4: rebuild it with `sagiguard train DATA… -o old.model`"),
            "{stderr}"
        );
    }
}

/// A model of format 3 (tests/fixtures/format3.model, trained by the sagiguard of that
/// format on tests/fixtures/format3-mails.jsonl) still scores as it did, masks counted as
/// it counted them, and is written back as format 4, keeping that setting, when it learns.
#[test]
fn a_format_3_model_scores_as_before_and_learns_into_format_4() {
    let sandbox = Sandbox::new();
    let root = env!("CARGO_MANIFEST_DIR");
    fs::copy(
        format!("{root}/tests/fixtures/format3.model"),
        sandbox.path().join("old.model"),
    )
    .unwrap();
    let mails = format!("{root}/tests/fixtures/format3-mails.jsonl");
    let scores = |model: &str, file: &str| -> Vec<String> {
        let (stdout, _) = run_any(&mut sandbox.cmd(&["score", "-m", model, "--json", file]));
        verdict_lines(&stdout, " ")
    };
    // What the sagiguard of format 3 printed for the same mails.
    assert_eq!(
        scores("old.model", &mails),
        [
            "f3-scam-1 scam 0.850896",
            "f3-scam-2 scam 0.748032",
            "f3-scam-3 scam 0.815933",
            "f3-scam-4 scam 0.892880",
            "f3-ham-1 ham 0.181977",
            "f3-ham-2 ham 0.180005",
            "f3-ham-3 ham 0.161858",
            "f3-ham-4 ham 0.168419",
        ]
    );
    let (stdout, _) = run(&mut sandbox.cmd(&["model", "info", "old.model"]), 0);
    assert!(
        stdout.contains("(format 3, written as format 4 when it next learns)"),
        "{stdout}"
    );
    assert_eq!(info(&sandbox, "old.model")["format"], 3);
    // A mask and the blank the text keeps in its place: the same words either way, so only
    // a model that counts masks tells them apart.
    let pair = write(
        &sandbox,
        "pair.jsonl",
        concat!(
            r#"{"id":"masked","subject":"","from":"","body":"カード ****** のご利用を確認してください"}"#,
            "\n",
            r#"{"id":"blank","subject":"","from":"","body":"カード   のご利用を確認してください"}"#,
            "\n"
        ),
    );
    let probability = |model: &str| -> Vec<f64> {
        let (stdout, _) = run_any(&mut sandbox.cmd(&["score", "-m", model, "--json", &pair]));
        stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["scam_probability"]
                    .as_f64()
                    .unwrap()
            })
            .collect()
    };
    let old = probability("old.model");
    assert_ne!(old[0], old[1], "format 3 counted masks");
    run(
        &mut sandbox.cmd(&["train", "--quiet", &mails, "--cv", "0", "-o", "new.model"]),
        0,
    );
    let new = probability("new.model");
    assert_eq!(
        new[0], new[1],
        "format 4 models do not count masks by default"
    );
    // Learning writes format 4, and the upgraded model still counts masks.
    let lesson = write(&sandbox, "lesson.txt", "至急こちらへ送金してください。");
    run(
        &mut sandbox.cmd(&["learn", "-m", "old.model", "--scam", &lesson, "--text"]),
        0,
    );
    assert_eq!(info(&sandbox, "old.model")["format"], 4);
    let learned = probability("old.model");
    assert_ne!(
        learned[0], learned[1],
        "the upgraded model counts masks still"
    );
}
