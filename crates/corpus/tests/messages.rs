//! Raw mail fixtures against `fixtures/mail/expected.json`, which states for each message the
//! exact decoded subject, sender, body (or phrases its rendered HTML must and must not
//! contain), links and attachment names. See `fixtures/mail/README.md`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sagiguard_corpus::{Email, ParseOptions, parse_message, read_mail};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail")
}

fn expected() -> BTreeMap<String, Value> {
    let text = fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Exact bodies are compared before unfolding, which has its own test.
fn options() -> ParseOptions {
    ParseOptions {
        unfold: false,
        ..ParseOptions::default()
    }
}

fn parse_file(name: &str) -> Email {
    let bytes = fs::read(fixtures().join(name)).unwrap();
    parse_message(&bytes, &options()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn strs(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Checks one parsed mail against its expectation; returns the mismatches.
fn check(name: &str, email: &Email, want: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut same = |what: &str, actual: &str, expected: &str| {
        if actual != expected {
            problems.push(format!(
                "{name}: {what}\n  expected: {expected:?}\n    actual: {actual:?}"
            ));
        }
    };
    same(
        "subject",
        &email.subject,
        want["subject"].as_str().unwrap_or(""),
    );
    let from = email.from.as_ref();
    same(
        "from address",
        from.map_or("", |m| m.address.as_str()),
        want["from_address"].as_str().unwrap_or(""),
    );
    same(
        "from name",
        from.and_then(|m| m.name.as_deref()).unwrap_or(""),
        want["from_name"].as_str().unwrap_or(""),
    );
    if let Some(body) = want["body"].as_str() {
        let body = body.trim_end_matches('\n');
        if want.get("attached_messages").is_some() {
            // A forwarded message's text follows the outer text.
            if !email.body.starts_with(body) {
                problems.push(format!(
                    "{name}: body should start with {body:?}\n  actual: {:?}",
                    email.body
                ));
            }
        } else {
            same("body", &email.body, body);
        }
    }
    if let Some(prefix) = want["body_prefix"].as_str() {
        let rest = email.body.strip_prefix(prefix.trim_end_matches('\n'));
        match rest {
            Some(rest)
                if rest.chars().filter(|&c| c != '\u{FFFD}').count() == 0
                    && rest.chars().count() <= 1 => {}
            _ => problems.push(format!(
                "{name}: body should be {prefix:?} and at most one U+FFFD\n  actual: {:?}",
                email.body
            )),
        }
    }
    for phrase in strs(&want["body_contains"]) {
        if !email.body.contains(phrase) {
            problems.push(format!(
                "{name}: body lacks {phrase:?}\n  body: {:?}",
                email.body
            ));
        }
    }
    for phrase in strs(&want["body_excludes"]) {
        if email.body.contains(phrase) {
            problems.push(format!("{name}: body must not contain {phrase:?}"));
        }
    }
    // HTML anchors come first, in document order; URLs written in the text follow.
    let anchors = want["links"].as_array().cloned().unwrap_or_default();
    for (i, link) in anchors.iter().enumerate() {
        let actual = email.links.get(i);
        let text = link["text"].as_str();
        let href = link["href"].as_str().unwrap_or("");
        if actual.map(|l| (l.text.as_deref(), l.href.as_str())) != Some((text, href)) {
            problems.push(format!(
                "{name}: link {i}\n  expected: {text:?} -> {href:?}\n    actual: {actual:?}"
            ));
        }
    }
    let attachments = strs(&want["attachments"]);
    if email.attachments != attachments {
        problems.push(format!(
            "{name}: attachments\n  expected: {attachments:?}\n    actual: {:?}",
            email.attachments
        ));
    }
    problems
}

#[test]
fn every_eml_fixture_decodes_to_its_expected_text() {
    let mut problems = Vec::new();
    for (name, want) in expected() {
        if !name.ends_with(".eml") {
            continue;
        }
        problems.extend(check(&name, &parse_file(&name), &want));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_forwarded_message_is_read_after_the_outer_text() {
    let email = parse_file("nested-message.eml");
    let inner = &expected()["nested-message.eml"]["attached_messages"][0];
    let inner_body = inner["body"].as_str().unwrap();
    assert!(email.body.ends_with(inner_body), "{:?}", email.body);
    assert!(
        email
            .links
            .iter()
            .any(|l| l.href == "https://yamato-nimotsu-kakunin.com/delivery?no=5529-1108-3374"),
        "{:?}",
        email.links
    );
}

#[test]
fn hard_wraps_inside_japanese_words_are_unfolded() {
    let want = &expected()["hard-wrapped.eml"];
    let bytes = fs::read(fixtures().join("hard-wrapped.eml")).unwrap();
    let wrapped = parse_message(&bytes, &options()).unwrap();
    let unfolded = parse_message(&bytes, &ParseOptions::default()).unwrap();
    for word in strs(&want["words_across_wraps"]) {
        assert!(
            !wrapped.body.contains(word),
            "{word} should be cut in the raw body"
        );
        assert!(
            unfolded.body.contains(word),
            "{word} not rejoined in {:?}",
            unfolded.body
        );
    }
}

#[test]
fn mbox_messages_decode_and_unescape() {
    let expected = expected();
    let mut problems = Vec::new();
    let path = fixtures().join("three-messages.mbox");
    let mails: Vec<_> = read_mail(&path, 1 << 20).collect();
    assert_eq!(mails.len(), 3);
    for (i, mail) in mails.into_iter().enumerate() {
        let mail = mail.unwrap();
        assert!(
            mail.source
                .ends_with(&format!("three-messages.mbox#{}", i + 1)),
            "{}",
            mail.source
        );
        let key = format!("three-messages.mbox#{}", i + 1);
        let email = parse_message(&mail.bytes, &options()).unwrap();
        problems.extend(check(&key, &email, &expected[&key]));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_maildir_reads_cur_then_new_and_skips_tmp() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(maildir.join(sub)).unwrap();
        let source = fixtures().join("maildir").join(sub);
        for entry in fs::read_dir(&source).into_iter().flatten() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), maildir.join(sub).join(entry.file_name())).unwrap();
        }
    }
    // A delivery in progress is not a message yet.
    fs::write(
        maildir.join("tmp/1736999999.M1P1.mailhost"),
        b"Subject: half",
    )
    .unwrap();

    let expected = expected();
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for mail in read_mail(&maildir, 1 << 20) {
        let mail = mail.unwrap();
        let rel = Path::new(&mail.source)
            .strip_prefix(dir.path())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let email = parse_message(&mail.bytes, &options()).unwrap();
        problems.extend(check(&rel, &email, &expected[&rel]));
        seen.push(rel);
    }
    let mut keys: Vec<String> = expected
        .keys()
        .filter(|k| k.starts_with("maildir/"))
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(seen, keys);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn oversized_and_empty_messages_are_refused_clearly() {
    let bytes = fs::read(fixtures().join("utf8-base64.eml")).unwrap();
    let small = ParseOptions {
        max_size: 100,
        ..ParseOptions::default()
    };
    let err = parse_message(&bytes, &small).unwrap_err().to_string();
    assert!(err.contains("over the limit of 100"), "{err}");
    assert!(parse_message(b"", &options()).is_err());
    assert!(parse_message(b" \r\n", &options()).is_err());

    let path = fixtures().join("utf8-base64.eml");
    let items: Vec<_> = read_mail(&path, 100).collect();
    let err = items[0].as_ref().unwrap_err().to_string();
    assert!(
        err.contains("utf8-base64.eml") && err.contains("over the limit"),
        "{err}"
    );
}

/// Issue 14: parts nested past the limit are not read, but the mail is: its subject and
/// sender still reach the model, and the depth is kept as a feature.
#[test]
fn deeply_nested_parts_are_skipped_not_refused() {
    let mut message = String::from("Subject: deep\r\n");
    for depth in 0..40 {
        message.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{depth}\"\r\n\r\n--b{depth}\r\n"
        ));
    }
    message.push_str("Content-Type: text/plain\r\n\r\n深い\r\n");
    let email = parse_message(message.as_bytes(), &options()).unwrap();
    assert_eq!(email.subject, "deep");
    assert!(!email.body.contains("深い"), "{}", email.body);
    assert!(
        email.mime_depth > options().max_depth,
        "{}",
        email.mime_depth
    );
}

#[test]
fn no_input_panics() {
    // Every prefix of every fixture: truncation anywhere must give a result or an error.
    for name in [
        "multipart-alternative-html.eml",
        "binary-attachment.eml",
        "nested-message.eml",
        "iso2022jp-headers-and-body.eml",
    ] {
        let bytes = fs::read(fixtures().join(name)).unwrap();
        for end in (0..bytes.len()).step_by(7) {
            let _ = parse_message(&bytes[..end], &ParseOptions::default());
        }
    }
}

/// An SMS exported as a message, or a From a forwarder mangled: the sender is kept, not lost.
#[test]
fn a_from_without_an_address_is_the_sender() {
    for (from, sender) in [
        ("SoftBank", "SoftBank"),
        ("+81 90-1234-5678", "+81 90-1234-5678"),
        (
            "=?UTF-8?B?5L2Q5bed5oCl5L6/?= <info(at)(at)example.jp>",
            "佐川急便",
        ),
    ] {
        let raw = format!("From: {from}\r\nSubject: x\r\n\r\nお荷物のお届けについて\r\n");
        let email = parse_message(raw.as_bytes(), &options()).unwrap();
        assert_eq!(email.from, None, "{from}");
        assert_eq!(email.sender.as_deref(), Some(sender), "{from}");
    }
    let raw = "From: Amazon <a@amazon.co.jp>\r\nSubject: x\r\n\r\n本文\r\n";
    let email = parse_message(raw.as_bytes(), &options()).unwrap();
    assert_eq!(email.sender, None);
    assert_eq!(email.sender_name(), Some("Amazon"));
}

/// A report or forwarder that masked the `@` of the From (mail-parser reads `(at)` as a
/// comment and `×` as part of the name): the address is read back, its domain kept.
#[test]
fn a_masked_from_address_is_read_back() {
    for (from, name, address) in [
        (
            "=?UTF-8?B?5L2Q5bed5oCl5L6/?= <info(at)example.jp>",
            Some("佐川急便"),
            "info@example.jp",
        ),
        ("info(at)example.jp", None, "info@example.jp"),
        (
            "佐川急便株式会社<SGホールディングス> <notice×mail.example.top>",
            Some("佐川急便株式会社<SGホールディングス>"),
            "notice@mail.example.top",
        ),
        (
            "Amazon <account★example.co.jp>",
            Some("Amazon"),
            "account@example.co.jp",
        ),
    ] {
        let raw = format!("From: {from}\r\nSubject: x\r\n\r\nお荷物のお届けについて\r\n");
        let email = parse_message(raw.as_bytes(), &options()).unwrap();
        let mailbox = email.from.unwrap_or_else(|| panic!("{from}: no mailbox"));
        assert_eq!(mailbox.name.as_deref(), name, "{from}");
        assert_eq!(mailbox.address, address, "{from}");
        assert_eq!(email.sender, None, "{from}");
    }
}
