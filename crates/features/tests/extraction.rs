//! Feature names of sample mails (snapshots in `snapshots/`; review changes with
//! `cargo insta review`, or rerun with `INSTA_UPDATE=always` and read the diff), and the
//! settings and vocabulary round trip through serialisation.

mod support;

use sagiguard_corpus::{ParseOptions, parse_message};
use sagiguard_features::{FeatureConfig, FeatureExtractor, Vocabulary, extract};

fn sample(name: &str) -> sagiguard_corpus::Email {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/samples")
        .join(name);
    parse_message(&std::fs::read(path).unwrap(), &ParseOptions::default()).unwrap()
}

fn names(name: &str, config: FeatureConfig) -> String {
    let extraction = extract(
        &config.check().unwrap(),
        support::tokenizer(),
        &sample(name),
    )
    .unwrap();
    extraction
        .features
        .iter()
        .map(|(feature, count)| format!("{feature}\t{count}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn feature_names_of_a_phishing_sample() {
    insta::assert_snapshot!(names(
        "scam-amazon-link-mismatch-html-utf8qp.eml",
        FeatureConfig::default()
    ));
}

#[test]
fn feature_names_of_a_sextortion_sample_with_character_bigrams() {
    let config = FeatureConfig {
        morphemes: false,
        char_ngram: 2,
        ..FeatureConfig::default()
    };
    let names = names("scam-sextortion-iso2022jp.eml", config);
    assert!(names.contains("char:送金"), "{names}");
    assert!(names.contains("signal:crypto_address"), "{names}");
    assert!(!names.contains("body:"), "{names}");
}

#[test]
fn numbers_fold_and_units_stay() {
    let config = FeatureConfig {
        ngram: 2,
        ..FeatureConfig::default()
    }
    .check()
    .unwrap();
    let mut email = sample("ham-meeting-eucjp.eml");
    email.body = "48時間以内に入金してください。72時間以内でも可。".into();
    let extraction = extract(&config, support::tokenizer(), &email).unwrap();
    let bigram = extraction.features.iter().find(|(n, _)| n == "body:#_時間");
    assert_eq!(
        bigram.map(|(_, c)| *c),
        Some(2),
        "{:?}",
        extraction.features
    );
}

#[test]
fn settings_and_vocabulary_round_trip() {
    let mails = support::data("test.jsonl");
    let config = FeatureConfig {
        max_features: 500,
        ..FeatureConfig::default()
    }
    .check()
    .unwrap();
    let extractor = FeatureExtractor::fit(config, support::tokenizer(), &mails[..60]).unwrap();
    assert!(extractor.vocabulary().len() <= 500);
    let json = serde_json::to_string(&extractor).unwrap();
    let back: FeatureExtractor = serde_json::from_str(&json).unwrap();
    assert_eq!(back, extractor);
    let email = &mails[0].email;
    assert_eq!(
        back.transform(support::tokenizer(), email).unwrap(),
        extractor.transform(support::tokenizer(), email).unwrap()
    );
    let vocab: Vocabulary =
        serde_json::from_str(&serde_json::to_string(extractor.vocabulary()).unwrap()).unwrap();
    assert_eq!(&vocab, extractor.vocabulary());
}
