//! Tokenizer throughput on committed sample mail with the real IPADIC dictionary.
//!
//! Run with `cargo bench -p sagiguard-tokenizer`; criterion prints bytes/s for the whole
//! pipeline (normalise, segment, map spans) and for normalisation alone. The token count per
//! pass is printed once, so tokens/s is that count divided by the reported time.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sagiguard_tokenizer::{DictionaryLocator, Normalizer, Tokenizer};

const SAMPLE: &str = include_str!("fixtures/sample-mail.txt");

fn bench(c: &mut Criterion) {
    let dictionary = DictionaryLocator::from_env()
        .load()
        .expect("the bench needs the IPADIC dictionary: apt-get install mecab-ipadic");
    let tokenizer = Tokenizer::new(dictionary);
    let tokens = tokenizer.tokenize(SAMPLE);
    eprintln!(
        "sample: {} bytes, {} tokens per pass",
        SAMPLE.len(),
        tokens.len()
    );

    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(SAMPLE.len() as u64));
    group.bench_function("sample-mail/bytes", |b| {
        b.iter(|| tokenizer.tokenize(SAMPLE))
    });
    group.throughput(Throughput::Elements(tokens.len() as u64));
    group.bench_function("sample-mail/tokens", |b| {
        b.iter(|| tokenizer.tokenize(SAMPLE))
    });
    group.finish();

    let normalizer = Normalizer::default();
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(SAMPLE.len() as u64));
    group.bench_function("sample-mail", |b| b.iter(|| normalizer.normalize(SAMPLE)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
