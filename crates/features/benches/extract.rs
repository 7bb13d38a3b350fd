//! Feature extraction throughput (mails/s) on the committed raw samples of data/samples,
//! with the real IPADIC dictionary: `cargo bench -p sagiguard-features`.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sagiguard_corpus::{ParseOptions, parse_message};
use sagiguard_features::{FeatureConfig, detect, extract};
use sagiguard_tokenizer::{DictionaryLocator, Tokenizer};

fn bench(c: &mut Criterion) {
    let tokenizer = Tokenizer::new(
        DictionaryLocator::from_env()
            .load()
            .expect("the bench needs the IPADIC dictionary: apt-get install mecab-ipadic"),
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples");
    let mut mails = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            mails.push(
                parse_message(&std::fs::read(&path).unwrap(), &ParseOptions::default()).unwrap(),
            );
        }
    }
    mails.sort_by(|a, b| a.id.cmp(&b.id));
    let config = FeatureConfig::default().check().unwrap();

    let mut group = c.benchmark_group("features");
    group.throughput(Throughput::Elements(mails.len() as u64));
    group.bench_function("extract/samples", |b| {
        b.iter(|| {
            for mail in &mails {
                extract(&config, &tokenizer, mail);
            }
        })
    });
    group.bench_function("signals/samples", |b| {
        b.iter(|| {
            for mail in &mails {
                detect(mail);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
