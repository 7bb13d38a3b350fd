//! Training on the corpus in data/ with the real IPADIC dictionary: determinism, the model
//! file (round trip and every refusal), long mail, thin evidence, and held-out separation.

use std::path::Path;
use std::sync::OnceLock;

use sagiguard_corpus::{Email, Label, LabeledEmail, Link};
use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};
use sagiguard_trainer::{
    Error, Model, Silent, TrainConfig, VerdictLabel, evaluate, train, train_stream,
};

// The real IPADIC tokenizer and the corpus in data/, as the feature tests load them.
#[path = "../../features/tests/support/mod.rs"]
mod support;
use support::{data, tokenizer};

/// Every third training mail: enough to learn, small enough for a debug build.
fn small_corpus() -> Vec<LabeledEmail> {
    data("train.jsonl").into_iter().step_by(3).collect()
}

fn config(folds: usize) -> sagiguard_trainer::CheckedTrainConfig {
    TrainConfig {
        folds,
        ..TrainConfig::default()
    }
    .check()
    .unwrap()
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        train(
            &small_corpus(),
            &config(3),
            tokenizer(),
            "2026-01-01",
            &Silent,
        )
        .unwrap()
        .model
    })
}

#[test]
fn training_is_deterministic() {
    let mails = small_corpus();
    let a = train(&mails, &config(3), tokenizer(), "2026-01-01", &Silent)
        .unwrap()
        .model;
    assert_eq!(
        a.to_bytes(),
        model().to_bytes(),
        "the same corpus and settings give the same bytes"
    );
}

#[test]
fn a_model_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Model>();
}

#[test]
fn save_and_load_give_identical_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("models/m.model");
    model().save(&path).unwrap();
    let loaded = Model::load(&path).unwrap();
    assert!(loaded.to_bytes() == model().to_bytes());
    for mail in data("test.jsonl").iter().take(25) {
        assert_eq!(
            loaded.score(tokenizer(), &mail.email),
            model().score(tokenizer(), &mail.email)
        );
    }
    // Nothing but the model is left in the directory.
    let names: Vec<_> = std::fs::read_dir(dir.path().join("models"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["m.model"]);
}

#[test]
fn damaged_model_files_are_refused_with_the_reason() {
    let bytes = model().to_bytes();
    let path = Path::new("m.model");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    let mut other_version = bytes.clone();
    other_version[8] = 99;
    type Expect = fn(&Error) -> bool;
    let cases: [(&str, Vec<u8>, Expect); 5] = [
        ("not a model", b"From: someone\r\n\r\nhello".to_vec(), |e| {
            matches!(e, Error::NotAModel { .. })
        }),
        ("truncated", bytes[..bytes.len() - 100].to_vec(), |e| {
            matches!(e, Error::Truncated { .. })
        }),
        ("corrupted", flipped, |e| {
            matches!(e, Error::Corrupted { .. })
        }),
        ("other format", other_version, |e| {
            matches!(e, Error::FormatVersion { found: 99, .. })
        }),
        ("empty", Vec::new(), |e| {
            matches!(e, Error::NotAModel { .. })
        }),
    ];
    for (name, bytes, expected) in cases {
        let err = Model::from_bytes(&bytes, path).unwrap_err();
        assert!(expected(&err), "{name}: {err}");
        assert!(err.to_string().starts_with("m.model: "), "{name}: {err}");
    }
}

#[test]
fn a_model_refuses_another_dictionary() {
    let cache = tempfile::tempdir().unwrap();
    let tiny = DictionaryLocator::new()
        .explicit(Some(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tokenizer/tests/fixtures/tiny-ipadic"),
        ))
        .cache_root(cache.path())
        .load()
        .unwrap();
    let err = model().check_tokenizer(&Tokenizer::new(tiny)).unwrap_err();
    assert!(matches!(err, Error::DictionaryMismatch { .. }), "{err}");
    assert!(model().check_tokenizer(tokenizer()).is_ok());
}

#[test]
fn a_long_mail_has_a_finite_probability() {
    let paragraph = "至急ご確認ください。お客様のアカウントに不正アクセスの疑いがあります。24時間以内にカード番号をご入力ください。";
    let email = Email {
        subject: "【重要】アカウント停止のお知らせ".into(),
        body: paragraph.repeat(400),
        ..Email::default()
    };
    let verdict = model().score(tokenizer(), &email);
    assert!(
        verdict.scam_probability.is_finite() && verdict.log_odds.is_finite(),
        "{verdict:?}"
    );
    assert!(verdict.scam_probability > 0.5, "{verdict:?}");
}

#[test]
fn thin_evidence_is_unsure_not_a_guess() {
    let email = Email {
        subject: String::new(),
        body: "https://x.example/a".into(),
        links: vec![Link {
            text: None,
            href: "https://x.example/a".into(),
        }],
        ..Email::default()
    };
    let verdict = model().score(tokenizer(), &email);
    assert!(verdict.insufficient_evidence, "{verdict:?}");
    assert_eq!(verdict.label, VerdictLabel::Unsure);
}

#[test]
fn reasons_point_both_ways_and_name_features() {
    let mails = data("test.jsonl");
    let scam = mails.iter().find(|m| m.label == Label::Scam).unwrap();
    let verdict = model().score(tokenizer(), &scam.email);
    assert!(!verdict.reasons.is_empty());
    assert!(
        verdict.reasons.iter().all(|r| r.feature.contains(':')),
        "{:?}",
        verdict.reasons
    );
    assert!(
        verdict
            .reasons
            .windows(2)
            .all(|w| w[0].weight.abs() >= w[1].weight.abs())
    );
}

/// The few strongest reasons are the head of every reason in order, ties by name: the
/// strongest are found by size first and named after (equal weights are common).
#[test]
fn the_strongest_reasons_are_the_head_of_all_of_them() {
    let mails = data("test.jsonl");
    let mut ties = 0;
    for mail in mails.iter().step_by(29) {
        let all = model()
            .explain(tokenizer(), &mail.email, usize::MAX)
            .reasons;
        ties += all
            .windows(2)
            .filter(|w| w[0].weight.abs() == w[1].weight.abs())
            .count();
        for n in [1, 2, 3, 8, 20] {
            let few = model().explain(tokenizer(), &mail.email, n).reasons;
            let head = &all[..n.min(all.len())];
            assert_eq!(few.len(), head.len(), "{} with {n}", mail.email.id);
            for (a, b) in few.iter().zip(head) {
                assert!(
                    a.feature == b.feature && a.weight.to_bits() == b.weight.to_bits(),
                    "{} with {n}: {a:?} against {b:?}",
                    mail.email.id
                );
            }
        }
        assert!(
            model()
                .explain(tokenizer(), &mail.email, 0)
                .reasons
                .is_empty()
        );
    }
    assert!(
        ties > 0,
        "the mails should have equal weights to order by name"
    );
}

/// A verdict without reasons is the same verdict: label, probability, log-odds, category,
/// signals and evidence counted alike.
#[test]
fn an_unexplained_verdict_is_the_verdict_without_its_reasons() {
    for mail in data("test.jsonl").iter().step_by(7) {
        let mut full = model().score(tokenizer(), &mail.email);
        let bare = model().score_unexplained(tokenizer(), &mail.email);
        assert!(!full.reasons.is_empty(), "{}", mail.email.id);
        assert!(bare.reasons.is_empty(), "{}", mail.email.id);
        full.reasons.clear();
        assert_eq!(full, bare, "{}", mail.email.id);
    }
}

#[test]
fn the_train_split_separates_the_test_split() {
    let (_, report) = evaluate(model(), tokenizer(), &data("test.jsonl"), None);
    println!(
        "test split: ROC-AUC {:?}, PR-AUC {:?}, scam precision {:?} recall {:?}, FPR {:?}",
        report.roc_auc,
        report.pr_auc,
        report.scam.precision,
        report.scam.recall,
        report.false_positive_rate
    );
    assert!(
        report.roc_auc.unwrap() > 0.5,
        "no better than chance: {report:?}"
    );
}

#[test]
fn one_class_is_refused() {
    let hams: Vec<LabeledEmail> = small_corpus()
        .into_iter()
        .filter(|m| m.label == Label::Ham)
        .collect();
    let err = train(&hams, &config(0), tokenizer(), "2026-01-01", &Silent)
        .err()
        .unwrap();
    assert!(matches!(err, Error::OneClass { scam: 0, .. }), "{err}");
}

#[test]
fn batch_size_does_not_change_the_model() {
    let mails = small_corpus();
    let with = |batch_size| {
        let config = TrainConfig {
            folds: 0,
            batch_size,
            ..TrainConfig::default()
        }
        .check()
        .unwrap();
        train(&mails, &config, tokenizer(), "2026-01-01", &Silent)
            .unwrap()
            .model
    };
    let (small, large) = (with(7), with(4096));
    assert_eq!(
        small.extractor().vocabulary(),
        large.extractor().vocabulary()
    );
    // Dense batches add up to the same counts; only the order of float sums differs.
    for mail in data("test.jsonl").iter().take(40) {
        let a = small.score(tokenizer(), &mail.email).log_odds;
        let b = large.score(tokenizer(), &mail.email).log_odds;
        assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", mail.email.id);
    }
}

#[test]
fn bernoulli_in_several_batches_is_refused() {
    let config = TrainConfig {
        folds: 0,
        batch_size: 16,
        algorithm: sagiguard_trainer::Algorithm::Bernoulli,
        ..TrainConfig::default()
    }
    .check()
    .unwrap();
    let err = train(&small_corpus(), &config, tokenizer(), "2026-01-01", &Silent)
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("BernoulliNb cannot be fitted in batches"),
        "{err}"
    );
}

#[test]
fn streaming_fits_the_model_that_training_in_memory_fits() {
    // model() is the in-memory path: folds, then a final fit on every mail.
    let streamed = train_stream(
        small_corpus().into_iter().map(Ok::<_, String>),
        &config(0),
        tokenizer(),
        "2026-01-01",
        &Silent,
    )
    .unwrap()
    .model;
    assert_eq!(
        streamed.extractor().vocabulary(),
        model().extractor().vocabulary()
    );
    assert_eq!(
        streamed.metadata().corpus_hash,
        model().metadata().corpus_hash
    );
    for mail in data("test.jsonl").iter().take(40) {
        let a = streamed.score(tokenizer(), &mail.email).log_odds;
        let b = model().score(tokenizer(), &mail.email).log_odds;
        assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", mail.email.id);
    }
}

#[test]
fn a_stream_with_categories_as_classes_orders_them_by_name() {
    let config = TrainConfig {
        folds: 0,
        classes: sagiguard_trainer::Classes::Categories,
        ..TrainConfig::default()
    }
    .check()
    .unwrap();
    let mails = small_corpus();
    let model = train_stream(
        mails.iter().cloned().map(Ok::<_, String>),
        &config,
        tokenizer(),
        "2026-01-01",
        &Silent,
    )
    .unwrap()
    .model;
    let mut expected: Vec<String> = mails
        .iter()
        .filter(|m| m.label == Label::Scam)
        .filter_map(|m| m.category.clone())
        .collect();
    expected.sort();
    expected.dedup();
    let classes: Vec<String> = model.classes()[1..]
        .iter()
        .map(|c| c.category.clone().unwrap())
        .collect();
    assert_eq!(model.classes()[0].label, Label::Ham);
    assert_eq!(classes, expected);
    let scam = mails.iter().find(|m| m.label == Label::Scam).unwrap();
    let verdict = model.score(tokenizer(), &scam.email);
    assert!(verdict.category.is_some());
}

#[test]
fn a_stream_error_stops_training_with_the_reason() {
    let mails = small_corpus()
        .into_iter()
        .take(20)
        .map(Ok)
        .chain([Err("data.jsonl: line 21: no label".to_string())]);
    let err = train_stream(mails, &config(0), tokenizer(), "2026-01-01", &Silent)
        .err()
        .unwrap();
    assert!(matches!(err, Error::Input(_)), "{err}");
    assert!(err.to_string().contains("line 21: no label"), "{err}");
}
