use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{Sandbox, keys, run, strings};

fn samples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/samples"))
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_sample_decodes_to_its_manifest_subject_and_sender() {
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(samples().join("manifest.json")).unwrap())
            .unwrap();
    let sandbox = Sandbox::new();
    let (stdout, _) = run(
        &mut sandbox.cmd(&["parse", "--json", samples().to_str().unwrap()]),
        0,
    );
    let mails = json_lines(&stdout);
    assert_eq!(mails.len(), manifest.as_object().unwrap().len());
    for mail in &mails {
        let source = mail["source"].as_str().unwrap();
        let name = Path::new(source).file_name().unwrap().to_str().unwrap();
        let want = &manifest[name];
        assert_eq!(mail["subject"], want["subject"], "{name}");
        let from = mail["from"].as_str().unwrap();
        assert!(
            from.ends_with(&format!("<{}>", want["from_address"].as_str().unwrap()))
                || from == want["from_address"],
            "{name}: {from}"
        );
        let names = keys(mail);
        assert_eq!(
            names,
            [
                "source",
                "id",
                "subject",
                "from",
                "sender",
                "reply_to",
                "return_path",
                "body",
                "links",
                "masked_links",
                "attachments",
                "html_forms",
                "signals"
            ],
            "{name}"
        );
    }
}

#[test]
fn a_link_that_shows_one_domain_and_goes_to_another_is_visible() {
    let path = samples().join("scam-amazon-link-mismatch-html-utf8qp.eml");
    let (stdout, _) = run(
        &mut Sandbox::new().cmd(&["parse", "--json", path.to_str().unwrap()]),
        0,
    );
    let mail = &json_lines(&stdout)[0];
    let first = &mail["links"][0];
    assert!(
        first["text"].as_str().unwrap().contains("www.amazon.co.jp"),
        "{first}"
    );
    assert!(
        first["href"]
            .as_str()
            .unwrap()
            .contains("amaz0n-co-jp.verify-account.top"),
        "{first}"
    );

    let (text, _) = run(
        &mut Sandbox::new().cmd(&["parse", path.to_str().unwrap()]),
        0,
    );
    assert!(
        text.contains("link:        https://www.amazon.co.jp/"),
        "{text}"
    );
    assert!(
        text.contains("-> https://amaz0n-co-jp.verify-account.top/"),
        "{text}"
    );
}

#[test]
fn a_bad_mail_is_reported_and_the_batch_goes_on() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("inbox");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("a-ok.eml"),
        "Subject: =?UTF-8?B?44GK55+l44KJ44Gb?=\r\n\r\n本文です\r\n",
    )
    .unwrap();
    fs::write(
        dir.join("b-big.eml"),
        format!("Subject: big\r\n\r\n{}\r\n", "x".repeat(5000)),
    )
    .unwrap();
    fs::write(dir.join("c-empty.eml"), "").unwrap();
    fs::write(dir.join("d-ok.eml"), "Subject: last\r\n\r\nok\r\n").unwrap();
    let (stdout, stderr) = run(
        &mut sandbox.cmd(&["parse", "--json", "--max-size", "1000", "inbox"]),
        2,
    );
    let lines = json_lines(&stdout);
    let subjects: Vec<&str> = lines.iter().filter_map(|l| l["subject"].as_str()).collect();
    assert_eq!(subjects, ["お知らせ", "last"]);
    let errors: Vec<&Value> = lines.iter().filter(|l| l.get("error").is_some()).collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(errors[0]["source"].as_str().unwrap().ends_with("b-big.eml"));
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit of 1000")
    );
    assert!(stderr.contains("2 input(s) could not be read"), "{stderr}");
}

#[test]
fn datasets_and_stdin_are_inputs_too() {
    let sandbox = Sandbox::new();
    fs::write(sandbox.path().join("rows.csv"), "id,label,subject,body\nr1,scam,至急,24時間以内に https://x.example.top/a を開いてください\n").unwrap();
    let (stdout, _) = run(&mut sandbox.cmd(&["parse", "--json", "rows.csv"]), 0);
    let mail = &json_lines(&stdout)[0];
    assert_eq!(mail["source"], "rows.csv:1");
    assert_eq!(mail["id"], "r1");
    assert_eq!(mail["links"][0]["href"], "https://x.example.top/a");

    let mut cmd = sandbox.cmd(&["parse", "--json"]);
    cmd.write_stdin("From: a@example.jp\r\nSubject: stdin\r\n\r\nhello\r\n");
    let (stdout, _) = run(&mut cmd, 0);
    assert_eq!(json_lines(&stdout)[0]["subject"], "stdin");

    // With --format, standard input is a dataset, not one raw mail.
    let mut cmd = sandbox.cmd(&["parse", "--json", "--format", "jsonl", "-"]);
    cmd.write_stdin(
        "{\"id\":\"p1\",\"subject\":\"一行目\",\"body\":\"本文です\"}\n{\"id\":\"p2\",\"subject\":\"二行目\",\"body\":\"本文\"}\n",
    );
    let (stdout, _) = run(&mut cmd, 0);
    let mails = json_lines(&stdout);
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[0]["source"], "-:1");
    assert_eq!(mails[1]["subject"], "二行目");
}

/// Issue 13: a warning that quotes a scam SMS with its link cut away shows the link that
/// was there as masked, in JSON and in text (written for this test).
#[test]
fn a_link_cut_from_a_quoted_sms_is_a_masked_link() {
    let sandbox = Sandbox::new();
    let text = "【注意】次のようなSMSが届いています。\n「ご不在のためお荷物を持ち帰りました。再配達はこちら http://…」\n「お支払いが確認できません（リンク）」";
    let mut cmd = sandbox.cmd(&["parse", "--json", "-"]);
    cmd.write_stdin(text);
    let (stdout, _) = run(&mut cmd, 0);
    let mail = &json_lines(&stdout)[0];
    assert_eq!(mail["masked_links"], 2, "{mail}");
    assert_eq!(mail["links"].as_array().unwrap().len(), 0, "{mail}");
    let mut cmd = sandbox.cmd(&["parse", "-"]);
    cmd.write_stdin(text);
    let (stdout, _) = run(&mut cmd, 0);
    assert!(stdout.contains("masked links: 2"), "{stdout}");
}

/// Issue 13: the traits of the three founding scams, in mails written for this test: each
/// raises its signals through `parse`, as a person would run it.
#[test]
fn founding_scam_traits_raise_their_signals() {
    let sandbox = Sandbox::new();
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "sextortion.eml",
            "From: kanri@mail-host.example.jp\nSubject: 未払いの件について\nContent-Type: text/plain; charset=utf-8\n\n\
             あなたの端末の記録はすべて保存してあります。\n\
             解決する方法は簡単で、¥150000 を私のウォレットに送金するだけです。\n\
             ウォレット: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n\
             このメールを読んでから48時間以内に手続きを済ませてください。\n",
            &["crypto_address", "money_demand", "deadline"],
        ),
        (
            "access.eml",
            "From: notice@srv21.rental-host.example.jp\nSubject: ログインの確認\nContent-Type: text/plain; charset=utf-8\n\n\
             Αmazonカスタマーセンターよりご連絡いたします。\n\
             お客様のアカウントに普段と異なるログインがありました。\n",
            &["brand_homoglyph", "sender_domain_mismatch"],
        ),
        (
            "prime.eml",
            "From: AMAZ0N <info@amaz0n-member-jp.example>\nSubject: [紧急]Amazonプライム会員情報の確認\nContent-Type: text/plain; charset=utf-8\n\n\
             お支払いに使うクレジットカード情報の変更について、次の手順をご確認ください。\n\
             AMAZ0Nの会員ページにアクセスし、更新してください。\n\
             72時間以内にご対応がない場合、会員資格を停止します。\n",
            &[
                "brand_homoglyph",
                "foreign_script",
                "deadline",
                "credential_request",
                "sender_domain_mismatch",
            ],
        ),
    ];
    for (name, raw, expected) in cases {
        fs::write(sandbox.path().join(name), raw).unwrap();
        let (stdout, _) = run(&mut sandbox.cmd(&["parse", "--json", name]), 0);
        let mail = &json_lines(&stdout)[0];
        let kinds = strings(&mail["signals"], "kind");
        for kind in expected {
            assert!(
                kinds.iter().any(|k| k == kind),
                "{name}: {kind} missing from {kinds:?}"
            );
        }
        // One finding per kind and evidence: no signal listed twice.
        let mut seen = std::collections::HashSet::new();
        for s in mail["signals"].as_array().unwrap() {
            assert!(
                seen.insert((s["kind"].to_string(), s["evidence"].to_string())),
                "{name}: {s} twice"
            );
        }
    }
}

/// Issue 13: text pasted from a phone or a mail client has no header block; it is read as the
/// body, not taken apart as headers (written for this test, not real messages).
#[test]
fn pasted_text_without_headers_is_the_body() {
    let sandbox = Sandbox::new();
    let cases = [
        // An SMS pasted from a phone, link without a scheme.
        (
            "お客様宛にお荷物のお届けに伺いましたが、ご不在のため持ち帰りました。\n配送確認はこちら nimotsu-check.top/jp/k7",
            "http://nimotsu-check.top/jp/k7",
        ),
        // A LINE-style note whose first line has a colon but is no header.
        (
            "山田: 来週の土曜、ランチどう？\nお店はここ https://tabelog.com/tokyo/A1301/",
            "https://tabelog.com/tokyo/A1301/",
        ),
        // A mail body copied without its headers, first line "件名：".
        (
            "件名：【重要】ご本人確認のお願い\r\n\r\nいつもご利用ありがとうございます。\r\nhttps://example-sec.top/login からログインしてください。",
            "https://example-sec.top/login",
        ),
    ];
    for (text, link) in cases {
        let mut cmd = sandbox.cmd(&["parse", "--json", "-"]);
        cmd.write_stdin(text);
        let (stdout, _) = run(&mut cmd, 0);
        let mail = &json_lines(&stdout)[0];
        assert_eq!(mail["subject"], "", "{text}");
        assert!(mail["from"].is_null(), "{text}: {}", mail["from"]);
        let first_line = text.lines().next().unwrap();
        assert!(
            mail["body"].as_str().unwrap().starts_with(first_line),
            "{text}: body {}",
            mail["body"]
        );
        assert_eq!(mail["links"][0]["href"], link, "{text}");
        // Only the carrier's absence notice is one the carriers never send by SMS.
        let kinds = strings(&mail["signals"], "kind");
        assert_eq!(
            kinds.contains(&"delivery_sms"),
            text.contains("持ち帰りました"),
            "{text}: {kinds:?}"
        );
    }

    // --text reads even a header-shaped paste as text.
    let mut cmd = sandbox.cmd(&["parse", "--json", "--text", "-"]);
    cmd.write_stdin("Subject: テスト\n\n本文");
    let (stdout, _) = run(&mut cmd, 0);
    assert!(
        json_lines(&stdout)[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("Subject: テスト")
    );

    // An mbox on standard input is still a mailbox of several messages.
    let mut cmd = sandbox.cmd(&["parse", "--json", "-"]);
    cmd.write_stdin("From a@example.jp Mon Jan  1 00:00:00 2026\nFrom: a@example.jp\nSubject: one\n\nbody\n\nFrom b@example.jp Mon Jan  1 00:00:00 2026\nFrom: b@example.jp\nSubject: two\n\nbody\n");
    let (stdout, _) = run(&mut cmd, 0);
    let mails = json_lines(&stdout);
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1]["subject"], "two");

    // A file that is neither a dataset nor mail is read the same way.
    fs::write(sandbox.path().join("sms.txt"), cases[0].0).unwrap();
    let (stdout, _) = run(&mut sandbox.cmd(&["parse", "--json", "sms.txt"]), 0);
    assert_eq!(json_lines(&stdout)[0]["links"][0]["href"], cases[0].1);
}

#[test]
fn a_missing_file_names_itself() {
    let (stdout, stderr) = run(&mut Sandbox::new().cmd(&["parse", "no-such.eml"]), 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("no-such.eml: cannot open"), "{stderr}");
}

#[test]
fn samples_raise_the_signals_they_carry() {
    let (stdout, _) = run(
        &mut Sandbox::new().cmd(&[
            "parse",
            "--json",
            "--lang",
            "en",
            samples().to_str().unwrap(),
        ]),
        0,
    );
    let mut by_name = std::collections::BTreeMap::new();
    for mail in json_lines(&stdout) {
        let source = mail["source"].as_str().unwrap().to_string();
        let name = Path::new(&source)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let kinds: Vec<String> = mail["signals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                assert!(!s["evidence"].as_str().unwrap().is_empty(), "{s}");
                assert!(!s["message"].as_str().unwrap().is_empty(), "{s}");
                s["kind"].as_str().unwrap().to_string()
            })
            .collect();
        by_name.insert(name, kinds);
    }
    let expect: [(&str, &[&str]); 5] = [
        (
            "scam-sextortion-iso2022jp.eml",
            &["deadline", "money_demand", "crypto_address"],
        ),
        (
            "scam-amazon-link-mismatch-html-utf8qp.eml",
            &["sender_domain_mismatch", "link_text_mismatch", "deadline"],
        ),
        (
            "scam-homoglyph-card-utf8.eml",
            &["brand_homoglyph", "foreign_script"],
        ),
        (
            "scam-card-form-html-utf8base64.eml",
            &["credential_request"],
        ),
        (
            "scam-bank-phishing-iso2022jp.eml",
            &["sender_domain_mismatch"],
        ),
    ];
    for (name, kinds) in expect {
        for kind in kinds {
            assert!(
                by_name[name].iter().any(|k| k == kind),
                "{name} lacks {kind}: {:?}",
                by_name[name]
            );
        }
    }
    // Impersonation signals never fire on the legitimate samples.
    for (name, kinds) in &by_name {
        if name.starts_with("ham-") {
            for kind in [
                "brand_homoglyph",
                "sender_domain_mismatch",
                "link_text_mismatch",
                "crypto_address",
                "foreign_script",
            ] {
                assert!(!kinds.iter().any(|k| k == kind), "{name} raises {kind}");
            }
        }
    }
}

/// Issue 14: one size rule for every input kind, applied per message or row while reading:
/// an mbox on standard input larger than the limit is read whole, message by message; a
/// message or row over the limit is an error line and the rest go on.
#[test]
fn the_size_limit_is_per_message_and_per_row() {
    let sandbox = Sandbox::new();
    let mut mbox = String::new();
    for i in 0..20 {
        mbox.push_str(&format!(
            "From a@example.jp Mon Jan  1 00:00:00 2026\nFrom: a@example.jp\nSubject: m{i}\n\n会議の資料をお送りします。\n\n"
        ));
    }
    mbox.push_str(
        "From a@example.jp Mon Jan  1 00:00:00 2026\nFrom: a@example.jp\nSubject: big\n\n",
    );
    mbox.push_str(&"大".repeat(1000));
    mbox.push_str("\n\nFrom a@example.jp Mon Jan  1 00:00:00 2026\nFrom: a@example.jp\nSubject: last\n\nおわり\n");
    assert!(mbox.len() > 2000);
    let mut cmd = sandbox.cmd(&["parse", "--json", "--max-size", "2000", "-"]);
    cmd.write_stdin(mbox);
    let (stdout, stderr) = run(&mut cmd, 2);
    let mails = json_lines(&stdout);
    let subjects: Vec<&str> = mails.iter().filter_map(|m| m["subject"].as_str()).collect();
    assert_eq!(subjects.len(), 21, "{subjects:?}");
    assert_eq!(subjects[20], "last");
    assert_eq!(mails[20]["source"], "-#21");
    assert!(mails[20]["error"].is_string(), "{}", mails[20]);
    assert!(stderr.contains("-#21"), "{stderr}");

    // A dataset row over the limit, and a JSON Lines line that is longer still.
    let long = "あ".repeat(5000);
    fs::write(
        sandbox.path().join("rows.jsonl"),
        format!("{{\"id\":\"a\",\"body\":\"{long}\"}}\n{{\"id\":\"b\",\"body\":\"短い本文\"}}\n"),
    )
    .unwrap();
    let (stdout, stderr) = run(
        &mut sandbox.cmd(&["parse", "--json", "--max-size", "1000", "rows.jsonl"]),
        2,
    );
    let lines = json_lines(&stdout);
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit of 1000")
    );
    assert_eq!(lines[1]["id"], "b");
    assert!(stderr.contains("over the limit of 1000"), "{stderr}");
    fs::write(
        sandbox.path().join("rows.csv"),
        format!("id,body\na,{long}\nb,短い本文\n"),
    )
    .unwrap();
    let (stdout, stderr) = run(
        &mut sandbox.cmd(&["parse", "--json", "--max-size", "1000", "rows.csv"]),
        2,
    );
    let lines = json_lines(&stdout);
    assert!(lines[0]["error"].is_string(), "{stdout}");
    assert_eq!(lines[1]["id"], "b");
    assert!(stderr.contains("rows.csv: row 1"), "{stderr}");
}

/// Issue 14: a directory walk follows each real directory and file once, so a link back up
/// the tree neither repeats mail nor runs forever.
#[test]
fn symbolic_link_loops_are_walked_once() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("mail");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(
        dir.join("a.eml"),
        "From: a@example.jp\nSubject: one\n\nbody\n",
    )
    .unwrap();
    fs::write(
        dir.join("sub/b.eml"),
        "From: b@example.jp\nSubject: two\n\nbody\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("a.eml", dir.join("again.eml")).unwrap();
    let (stdout, stderr) = run(&mut sandbox.cmd(&["parse", "--json", "mail"]), 0);
    let subjects: Vec<String> = json_lines(&stdout)
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(subjects, ["one", "two"], "{stderr}");
    assert!(stderr.contains("another path"), "{stderr}");
}

/// Issue 14: a mail's own words are shown, never obeyed, by the terminal: escapes in the
/// subject and body, and a line break in a file name, cannot clear the screen, write the
/// clipboard or forge another line.
#[test]
fn terminal_escapes_in_mail_are_shown_not_obeyed() {
    let sandbox = Sandbox::new();
    let name = "a\nforged.eml";
    fs::write(
        sandbox.path().join(name),
        "Subject: \u{1b}[2Jclear\n\nbody \u{1b}]52;c;ZXZpbA==\u{7} text\n",
    )
    .unwrap();
    let (stdout, _) = run(&mut sandbox.cmd(&["parse", name]), 0);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("subject:     \\u{1b}[2Jclear"), "{stdout}");
    assert!(stdout.starts_with("== a\\u{a}forged.eml\n"), "{stdout}");
    // JSON keeps the text as it is, escaped by JSON itself.
    let (stdout, _) = run(&mut sandbox.cmd(&["parse", "--json", name]), 0);
    assert_eq!(json_lines(&stdout)[0]["subject"], "\u{1b}[2Jclear");
}

/// Issue 14: a reader that stops early (`| head -1`) is not an error, in JSON as in text.
#[test]
fn a_closed_pipe_is_success() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/test.jsonl");
    for json in [true, false] {
        let mut args = vec!["parse", data];
        if json {
            args.insert(1, "--json");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_sagiguard"))
            .args(&args)
            .env("SAGIGUARD_CACHE_DIR", crate::util::shared_cache())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "json {json}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{stderr}");
    }
}

/// Issue 14: spreadsheets as Japanese users save them: Excel's CP932 and UTF-16 with a BOM
/// are detected, transcoded and said so; every row is read.
#[test]
fn japanese_spreadsheets_are_read_in_their_encoding() {
    let sandbox = Sandbox::new();
    for (file, name) in [
        ("excel-cp932.csv", "Shift_JIS"),
        ("excel-utf16le.csv", "UTF-16LE"),
    ] {
        let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
        let (stdout, stderr) = run(&mut sandbox.cmd(&["parse", "--json", &path]), 0);
        let mails = json_lines(&stdout);
        assert_eq!(mails.len(), 3, "{file}: {stderr}");
        assert_eq!(mails[0]["subject"], "【重要】ご本人確認", "{file}");
        assert_eq!(mails[2]["body"], "半角カナと①②の機種依存文字", "{file}");
        assert!(
            stderr.contains(&format!("read as {name}")),
            "{file}: {stderr}"
        );
    }
    let path = format!(
        "{}/tests/fixtures/excel-cp932.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let (_, stderr) = run(
        &mut sandbox.cmd(&["parse", "--encoding", "no-such", &path]),
        2,
    );
    assert!(stderr.contains("unknown encoding"), "{stderr}");
}

/// A pasted SMS has no header to name its sender: `--sender` gives the number or name the
/// phone showed (or an address), and a message with headers keeps its own From.
#[test]
fn the_sender_of_a_pasted_text_is_given_on_the_command_line() {
    let sandbox = Sandbox::new();
    let sms = "お荷物をお届けにあがりましたが不在の為持ち帰りました。 nimotsu-check.top/k";
    for (sender, from, kept) in [
        ("+81 90-1234-5678", None, Some("+81 90-1234-5678")),
        ("Amazon", None, Some("Amazon")),
        ("info@example.top", Some("info@example.top"), None),
    ] {
        let mut cmd = sandbox.cmd(&["parse", "--json", "--sender", sender, "-"]);
        cmd.write_stdin(sms);
        let (stdout, _) = run(&mut cmd, 0);
        let mail = &json_lines(&stdout)[0];
        assert_eq!(mail["from"].as_str(), from, "{sender}");
        assert_eq!(mail["sender"].as_str(), kept, "{sender}");
    }
    let mut cmd = sandbox.cmd(&["parse", "--json", "--sender", "+81 90-1234-5678", "-"]);
    cmd.write_stdin("From: a@example.jp\r\nSubject: stdin\r\n\r\nhello\r\n");
    let (stdout, _) = run(&mut cmd, 0);
    let mail = &json_lines(&stdout)[0];
    assert_eq!(mail["from"], "a@example.jp");
    assert!(mail["sender"].is_null());
}
