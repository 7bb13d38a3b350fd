//! Training and scoring throughput (mails/s) on the corpus in data/, with the real IPADIC
//! dictionary: `cargo bench -p sagiguard-trainer`. Training is measured without
//! cross-validation (one fit); scoring is a batch of the test split on all cores.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sagiguard_corpus::{Email, LabeledEmail, Schema, read_dataset};
use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};
use sagiguard_trainer::{Silent, TrainConfig, train};

fn data(file: &str) -> Vec<LabeledEmail> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(file);
    read_dataset(&path, None, &Schema::default())
        .expect("data/ is readable")
        .map(|r| {
            r.expect("data/ rows are valid")
                .into_labeled()
                .expect("data/ rows are labeled")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let tokenizer = Tokenizer::new(
        DictionaryLocator::from_env()
            .load()
            .expect("the bench needs the IPADIC dictionary: apt-get install mecab-ipadic"),
    );
    let train_mails = data("train.jsonl");
    let test_mails: Vec<Email> = data("test.jsonl").into_iter().map(|m| m.email).collect();
    let config = TrainConfig {
        folds: 0,
        ..TrainConfig::default()
    }
    .check()
    .expect("the default settings are valid");

    let mut group = c.benchmark_group("trainer");
    group.sample_size(10);
    group.throughput(Throughput::Elements(train_mails.len() as u64));
    group.bench_function("train/data-train", |b| {
        b.iter(|| {
            train(&train_mails, &config, &tokenizer, "2026-01-01", &Silent).expect("training works")
        })
    });
    let model = train(&train_mails, &config, &tokenizer, "2026-01-01", &Silent)
        .expect("training works")
        .model;
    group.throughput(Throughput::Elements(test_mails.len() as u64));
    group.bench_function("score_batch/data-test", |b| {
        b.iter(|| {
            use rayon::prelude::*;
            test_mails
                .par_iter()
                .map(|e| model.score(&tokenizer, e))
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
