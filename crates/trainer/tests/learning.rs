//! Learning from corrections with the real IPADIC dictionary (issue 15): the counts give the
//! parameters linfa-bayes fitted, learning then forgetting gives back every score bit for
//! bit, relearning is a no-op or a clear error, merging shards equals training on all of
//! them, and transport headers do not change what a mail is.

use std::path::PathBuf;

use sagiguard_corpus::{Email, Label, LabeledEmail, ParseOptions, parse_message};
use sagiguard_trainer::{
    Algorithm, Classes, Error, Lesson, Model, Outcome, Silent, TrainConfig, mail_hash, train,
};

// The real IPADIC tokenizer and the corpus in data/, as the feature tests load them.
#[path = "../../features/tests/support/mod.rs"]
mod support;
use support::{data, tokenizer};

fn train_on(mails: &[LabeledEmail], config: TrainConfig) -> Model {
    train(
        mails,
        &config.check().unwrap(),
        tokenizer(),
        "2026-01-01",
        &Silent,
    )
    .unwrap()
    .model
}

fn small_corpus() -> Vec<LabeledEmail> {
    data("train.jsonl").into_iter().step_by(4).collect()
}

fn no_folds() -> TrainConfig {
    TrainConfig {
        folds: 0,
        ..TrainConfig::default()
    }
}

fn log_odds(model: &Model, mails: &[LabeledEmail]) -> Vec<f64> {
    mails
        .iter()
        .map(|m| model.score(tokenizer(), &m.email).log_odds)
        .collect()
}

fn learn(label: Label) -> Lesson {
    Lesson::Learn {
        label,
        category: None,
        relabel: false,
        weight: 1,
    }
}

/// A model reloaded from its bytes with the learning section decoded, as `learn` reads it.
fn reloaded(model: &Model) -> Model {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    model.save(&path).unwrap();
    Model::load_for_learning(&path).unwrap()
}

/// The parameters recomputed from the stored counts are the ones linfa-bayes fitted, for
/// each event model: a model refreshed from its counts scores every mail as trained.
#[test]
fn the_counts_give_the_parameters_linfa_fitted() {
    let mails = small_corpus();
    let test: Vec<_> = data("test.jsonl").into_iter().step_by(5).collect();
    for (algorithm, classes) in [
        (Algorithm::Multinomial, Classes::Binary),
        (Algorithm::Multinomial, Classes::Categories),
        (Algorithm::Complement, Classes::Binary),
        (Algorithm::Bernoulli, Classes::Binary),
    ] {
        let trained = train_on(
            &mails,
            TrainConfig {
                algorithm,
                classes,
                batch_size: mails.len(),
                ..no_folds()
            },
        );
        let mut refreshed = reloaded(&trained);
        refreshed.refresh().unwrap();
        assert_eq!(
            refreshed.extractor().vocabulary(),
            trained.extractor().vocabulary()
        );
        let (a, b) = (log_odds(&trained, &test), log_odds(&refreshed, &test));
        for (x, y) in a.iter().zip(&b) {
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{algorithm:?} {classes:?}: {x} vs {y}"
            );
        }
    }
}

/// Learning mails and forgetting them gives back the model's scores bit for bit on the
/// whole test split, even though the learned mails brought new words and moved the
/// vocabulary in between.
#[test]
fn learning_then_forgetting_restores_every_score_exactly() {
    let test = data("test.jsonl");
    let mut model = reloaded(&train_on(&small_corpus(), no_folds()));
    let before = log_odds(&model, &test);
    let before_bytes = model.clone().to_bytes();
    // Mails of the test split under their own labels and some under the wrong one.
    let lessons: Vec<(Email, Lesson)> = test
        .iter()
        .step_by(7)
        .enumerate()
        .map(|(i, m)| {
            let label = match (i % 5, m.label) {
                (0, Label::Scam) => Label::Ham,
                (0, Label::Ham) => Label::Scam,
                (_, label) => label,
            };
            (m.email.clone(), learn(label))
        })
        .collect();
    let outcomes = model.apply_batch(tokenizer(), &lessons, "2026-12-05");
    assert!(outcomes.iter().all(|o| matches!(o, Ok(Outcome::Learned))));
    let vocabulary = model.extractor().vocabulary().clone();
    model.refresh().unwrap();
    assert_ne!(model.extractor().vocabulary(), &vocabulary);
    let learned = log_odds(&model, &test);
    let moved = before.iter().zip(&learned).filter(|(a, b)| a != b).count();
    assert!(moved > test.len() / 2, "only {moved} scores moved");

    let forget: Vec<(Email, Lesson)> = lessons
        .iter()
        .map(|(e, _)| (e.clone(), Lesson::Forget))
        .collect();
    let outcomes = model.apply_batch(tokenizer(), &forget, "2026-12-05");
    assert!(outcomes.iter().all(|o| matches!(o, Ok(Outcome::Forgotten))));
    model.refresh().unwrap();
    let after = log_odds(&model, &test);
    for ((a, b), m) in before.iter().zip(&after).zip(&test) {
        assert_eq!(a.to_bits(), b.to_bits(), "{}: {a} vs {b}", m.email.id);
    }
    // Only the history tells them apart.
    let info = model.info().unwrap();
    assert_eq!(
        (info.history.learned, info.history.forgotten),
        (lessons.len() as u64, lessons.len() as u64)
    );
    assert_ne!(model.to_bytes(), before_bytes);
}

/// A mail learned again under its label changes nothing; under the other label it is an
/// error naming both, unless it is relabeled; forgetting a mail never learned is reported.
#[test]
fn relearning_is_a_no_op_or_a_clear_error() {
    let corpus = small_corpus();
    let mut model = reloaded(&train_on(&corpus, no_folds()));
    let trained_scam = corpus.iter().find(|m| m.label == Label::Scam).unwrap();
    let mail = model.prepare(tokenizer(), &trained_scam.email);
    let today = "2026-12-05";
    // Training mails are known too.
    assert_eq!(
        model.apply(&mail, &learn(Label::Scam), today).unwrap(),
        Outcome::AlreadyLearned
    );
    let err = model.apply(&mail, &learn(Label::Ham), today).unwrap_err();
    assert!(matches!(err, Error::LearnedAsOther { .. }), "{err}");
    assert!(
        err.to_string().contains("learned as scam, not ham"),
        "{err}"
    );
    let relabel = Lesson::Learn {
        label: Label::Ham,
        category: None,
        relabel: true,
        weight: 1,
    };
    assert_eq!(
        model.apply(&mail, &relabel, today).unwrap(),
        Outcome::Relabeled
    );
    assert_eq!(
        model.apply(&mail, &learn(Label::Ham), today).unwrap(),
        Outcome::AlreadyLearned
    );
    let unknown = Email {
        body: "一度も学習していない本文です。".into(),
        ..Email::default()
    };
    let unknown = model.prepare(tokenizer(), &unknown);
    assert_eq!(
        model.apply(&unknown, &Lesson::Forget, today).unwrap(),
        Outcome::NotLearned
    );
    // A model with categories as classes needs the category of a scam.
    let mut categories = reloaded(&train_on(
        &corpus,
        TrainConfig {
            classes: Classes::Categories,
            ..no_folds()
        },
    ));
    let err = categories
        .apply(&unknown, &learn(Label::Scam), today)
        .unwrap_err();
    assert!(err.to_string().contains("--category"), "{err}");
    let err = categories
        .apply(
            &unknown,
            &Lesson::Learn {
                label: Label::Scam,
                category: Some("no_such_category".into()),
                relabel: false,
                weight: 1,
            },
            today,
        )
        .unwrap_err();
    assert!(err.to_string().contains("no_such_category"), "{err}");
}

/// Training on two halves and merging equals training on the whole.
#[test]
fn merging_shards_equals_training_on_all_of_them() {
    let corpus = small_corpus();
    let (first, second): (Vec<_>, Vec<_>) = corpus
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    let strip = |v: Vec<(usize, LabeledEmail)>| v.into_iter().map(|(_, m)| m).collect::<Vec<_>>();
    let (first, second) = (strip(first), strip(second));
    let whole = train_on(&corpus, no_folds());
    let mut merged = Model::merge(vec![
        (PathBuf::from("a"), reloaded(&train_on(&first, no_folds()))),
        (PathBuf::from("b"), reloaded(&train_on(&second, no_folds()))),
    ])
    .unwrap();
    assert_eq!(
        merged.extractor().vocabulary(),
        whole.extractor().vocabulary()
    );
    // The first shard's calibration, refitted as the whole was: on the training mail.
    assert!(merged.info().unwrap().refit_advised);
    merged.recalibrate(tokenizer(), &corpus).unwrap();
    assert!(!merged.info().unwrap().refit_advised);
    let test = data("test.jsonl");
    let mut agree = 0;
    for m in &test {
        let (a, b) = (
            merged.score(tokenizer(), &m.email),
            whole.score(tokenizer(), &m.email),
        );
        assert!(
            (a.log_odds - b.log_odds).abs() <= 1e-9 * b.log_odds.abs().max(1.0),
            "{}: {} vs {}",
            m.email.id,
            a.log_odds,
            b.log_odds
        );
        agree += usize::from(a.label == b.label);
    }
    assert!(agree * 100 >= test.len() * 99, "{agree} of {}", test.len());
    assert_eq!(merged.metadata().mails, corpus.len());

    // Settings that differ are refused, naming the model.
    let bigrams = train_on(
        &second,
        TrainConfig {
            features: sagiguard_features::FeatureConfig {
                ngram: 2,
                ..Default::default()
            },
            ..no_folds()
        },
    );
    let err = Model::merge(vec![
        (PathBuf::from("a"), reloaded(&train_on(&first, no_folds()))),
        (PathBuf::from("b.model"), reloaded(&bigrams)),
    ])
    .unwrap_err();
    assert!(
        err.to_string().contains(
            "cannot merge b.model: it differs from the first model in its feature settings"
        ),
        "{err}"
    );
}

/// The hash and the features leave out the headers delivery adds and sagiguard's own.
#[test]
fn transport_headers_do_not_change_a_mail() {
    let plain = "From: Shop <info@shop.example.jp>\r\nTo: a@b.jp\r\nSubject: =?UTF-8?B?5rOo5paH44Gu44GU56K66KqN?=\r\nMessage-ID: <1@shop.example.jp>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nご注文ありがとうございます。https://shop.example.jp/o/1\r\n";
    let delivered = format!(
        "Return-Path: <bounce@mailer.example.net>\r\nDelivered-To: a@b.jp\r\nReceived: from mx.example.net by mx.b.jp; Fri, 4 Dec 2026 10:00:00 +0900\r\nX-Sagiguard-Verdict: ham\r\nX-Sagiguard-Probability: 0.010\r\nStatus: RO\r\n{plain}"
    );
    let options = ParseOptions::default();
    let a = parse_message(plain.as_bytes(), &options).unwrap();
    let b = parse_message(delivered.as_bytes(), &options).unwrap();
    assert_eq!(mail_hash(&a), mail_hash(&b));
    let model = train_on(&small_corpus(), no_folds());
    let (fa, fb) = (
        model.prepare(tokenizer(), &a),
        model.prepare(tokenizer(), &b),
    );
    assert_eq!(format!("{fa:?}"), format!("{fb:?}"));
}

/// The sender of a text is read by the features, so it is part of the hash; a mail without
/// one hashes as it always did, so the lessons models have recorded stay theirs.
#[test]
fn the_sender_of_a_text_is_part_of_its_hash() {
    let sms = |sender: Option<&str>| Email {
        body: "お荷物を持ち帰りました。".into(),
        sender: sender.map(Into::into),
        ..Email::default()
    };
    let (none, mobile, name) = (sms(None), sms(Some("090-1234-5678")), sms(Some("Amazon")));
    assert_ne!(mail_hash(&none), mail_hash(&mobile));
    assert_ne!(mail_hash(&mobile), mail_hash(&name));
    assert_eq!(
        mail_hash(&none),
        0xf35f559cea3af11b,
        "{:#x}",
        mail_hash(&none)
    );
}
