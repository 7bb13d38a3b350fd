//! Datasets in each format, with foreign schemas and bad rows.

use std::path::{Path, PathBuf};

use sagiguard_corpus::{
    DatasetFormat, Error, Label, LabelMap, Record, RowProblem, Schema, read_dataset,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/datasets")
        .join(name)
}

fn read_all(path: &Path, schema: &Schema) -> (Vec<Record>, Vec<Error>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in read_dataset(path, None, schema).unwrap() {
        match item {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

/// The row, column and problem of a row error.
fn row_error(error: &Error) -> (usize, &str, &RowProblem) {
    match error {
        Error::Row {
            row,
            column,
            problem,
            ..
        } => (*row, column.as_str(), &**problem),
        other => panic!("expected a row error, got {other}"),
    }
}

fn foreign_schema() -> Schema {
    Schema::default()
        .text_column("text")
        .label_column("is_spam")
        .id_column("msg_id")
        .subject_column("title")
        .labels(LabelMap::new(
            vec!["1".into(), "spam".into()],
            vec!["0".into()],
        ))
}

#[test]
fn csv_with_a_foreign_schema_reports_bad_rows_and_reads_the_rest() {
    let (records, errors) = read_all(&fixture("foreign-schema.csv"), &foreign_schema());
    let ids: Vec<&str> = records.iter().map(|r| r.email.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
    assert_eq!(records[0].label, Some(Label::Scam));
    assert_eq!(records[0].email.subject, "アカウント確認");
    assert_eq!(
        records[0].email.links[0].href,
        "https://secure-check.example.top/login"
    );
    assert_eq!(records[1].label, Some(Label::Ham));
    assert_eq!(
        records[1].email.body,
        "来週の打ち合わせですが、火曜の15時からでいかがでしょうか。\n会議室は3階を押さえてあります。"
    );
    assert_eq!(records[2].label, Some(Label::Scam));
    assert_eq!(records[2].email.subject, "");

    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{messages:#?}");
    let (row, column, problem) = row_error(&errors[0]);
    assert_eq!((row, column), (4, "is_spam"));
    assert!(
        matches!(problem, RowProblem::UnknownLabel { found, .. } if found == "maybe"),
        "{problem:?}"
    );
    assert!(
        messages[0]
            .contains("foreign-schema.csv: row 4, column \"is_spam\": unknown label \"maybe\""),
        "{}",
        messages[0]
    );
    assert_eq!(row_error(&errors[1]), (5, "text", &RowProblem::EmptyText));
}

#[test]
fn jsonl_with_the_default_schema() {
    let (records, errors) = read_all(&fixture("default-schema.jsonl"), &Schema::default());
    assert_eq!(records.len(), 3);
    let ham = &records[1];
    assert_eq!(ham.email.id, "h-1");
    assert_eq!(ham.category.as_deref(), Some("personal"));
    assert_eq!(
        ham.email.from.as_ref().unwrap().name.as_deref(),
        Some("友人")
    );
    assert_eq!(ham.email.links[0].href, "https://example.jp/map");
    assert_eq!(
        records[2].label,
        Some(Label::Ham),
        "labels match case-insensitively"
    );
    assert_eq!(
        records[2].email.links[0].href,
        "https://docs.example.co.jp/m/42"
    );
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .to_string()
            .contains("row 4, column \"label\": unknown label \"phishing\""),
        "{}",
        errors[0]
    );
}

#[test]
fn a_split_filter_keeps_only_that_split() {
    let schema = Schema::default().only_split(Some("train".into()));
    let (records, _) = read_all(&fixture("default-schema.jsonl"), &schema);
    let ids: Vec<&str> = records.iter().map(|r| r.email.id.as_str()).collect();
    assert_eq!(ids, ["s-1", "h-2"]);
}

#[test]
fn a_broken_jsonl_line_is_named_and_the_others_are_read() {
    let (records, errors) = read_all(&fixture("broken-line.jsonl"), &Schema::default());
    let ids: Vec<&str> = records.iter().map(|r| r.email.id.as_str()).collect();
    assert_eq!(ids, ["ok-1", "ok-2"]);
    assert_eq!(errors.len(), 1);
    let message = errors[0].to_string();
    assert!(
        message.contains("broken-line.jsonl: line 2: invalid JSON"),
        "{message}"
    );
}

#[test]
fn a_jsonl_line_of_invalid_utf8_is_named_and_the_lines_after_a_long_one_are_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl");
    let row = |id: &str, body: &str| {
        format!(r#"{{"id": "{id}", "label": "ham", "body": "{body}"}}"#).into_bytes()
    };
    let mut bytes = row("ok-1", "短い");
    bytes.extend(b"\n{\"id\": \"bad\", \"body\": \"\xff\xfe\"}\n");
    bytes.extend(row("ok-2", &"長い本文。".repeat(500)));
    bytes.push(b'\n');
    // Read into the same buffer after the long line: nothing of it may be left over.
    bytes.extend(row("ok-3", "了解"));
    bytes.push(b'\n');
    std::fs::write(&path, bytes).unwrap();
    let (records, errors) = read_all(&path, &Schema::default());
    let got: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r.email.id.as_str(), r.email.body.as_str()))
        .collect();
    let long = "長い本文。".repeat(500);
    assert_eq!(
        got,
        [("ok-1", "短い"), ("ok-2", long.as_str()), ("ok-3", "了解")]
    );
    assert_eq!(errors.len(), 1);
    let message = errors[0].to_string();
    assert!(
        message.contains("line 2") && message.contains("not valid UTF-8"),
        "{message}"
    );
}

#[test]
fn an_invalid_utf8_cell_is_reported_with_its_row_and_column() {
    let (records, errors) = read_all(&fixture("invalid-utf8.csv"), &Schema::default());
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].email.id, "u2");
    assert_eq!(errors.len(), 1);
    assert_eq!(row_error(&errors[0]), (1, "body", &RowProblem::InvalidUtf8));
}

#[test]
fn parquet_reads_like_csv() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mails.parquet");
    let mut df = df!(
        "msg_id" => ["p1", "p2", "p3"],
        "text" => ["ビットコインで支払え", "会議のお知らせです", "未知のラベル"],
        "is_spam" => ["1", "0", "2"],
        "title" => ["警告", "会議", "?"],
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    let (records, errors) = read_all(&path, &foreign_schema());
    let labels: Vec<_> = records
        .iter()
        .map(|r| (r.email.id.as_str(), r.label))
        .collect();
    assert_eq!(
        labels,
        [("p1", Some(Label::Scam)), ("p2", Some(Label::Ham))]
    );
    assert!(
        matches!(&errors[..], [Error::Row { row: 3, .. }]),
        "{errors:?}"
    );
}

#[test]
fn file_level_problems_fail_at_open() {
    let missing_column = read_dataset(&fixture("foreign-schema.csv"), None, &Schema::default())
        .err()
        .unwrap();
    let message = missing_column.to_string();
    assert!(message.contains("no column \"body\""), "{message}");
    assert!(
        message.contains("msg_id, text, is_spam, title"),
        "{message}"
    );
    assert!(message.contains("--text-column"), "{message}");

    let unknown = read_dataset(Path::new("mails.txt"), None, &Schema::default())
        .err()
        .unwrap();
    assert!(matches!(unknown, Error::UnknownFormat { .. }));

    let absent = read_dataset(
        &fixture("absent.csv"),
        Some(DatasetFormat::Csv),
        &Schema::default(),
    )
    .err()
    .unwrap();
    assert!(
        absent
            .to_string()
            .contains("absent.csv: cannot open the dataset"),
        "{absent}"
    );
}

#[test]
fn unlabeled_rows_are_fine_when_labels_are_not_required() {
    let schema = foreign_schema().require_label(false);
    let (records, errors) = read_all(&fixture("foreign-schema.csv"), &schema);
    assert_eq!(records.len(), 3);
    assert_eq!(errors.len(), 2, "an unknown label is still an error");
}

/// An SMS dataset's sender column holds numbers and names, not addresses: they are kept as
/// the sender, and the mail stays a text without headers.
#[test]
fn a_sender_without_an_address_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sms.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"id": "a", "label": "scam", "from": "+81 80-1234-5678", "body": "お荷物を持ち帰りました。"}"#,
            "\n",
            r#"{"id": "b", "label": "ham", "from": "Amazon", "body": "ご注文の商品を発送しました。"}"#,
            "\n",
            r#"{"id": "c", "label": "ham", "from": "友人 <tomo@example.jp>", "body": "了解です。"}"#,
            "\n",
        ),
    )
    .unwrap();
    let (records, errors) = read_all(&path, &Schema::default());
    assert!(errors.is_empty(), "{errors:?}");
    let senders: Vec<_> = records.iter().map(|r| r.email.sender.as_deref()).collect();
    assert_eq!(senders, [Some("+81 80-1234-5678"), Some("Amazon"), None]);
    assert!(records[0].email.from.is_none() && records[0].email.is_headerless());
    assert!(records[2].email.from.is_some());
}
