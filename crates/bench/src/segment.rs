//! lindera alone over the text of a dataset: the ceiling the scoring pipeline is held
//! against. Segmentation only, on all cores, from text already in memory: no reading, MIME,
//! normalisation, token mapping, features or model.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use rayon::prelude::*;
use sagiguard_tokenizer::DictionaryLocator;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A JSON Lines dataset with `subject` and `body` fields.
    dataset: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let file = std::fs::File::open(&args.dataset)
        .with_context(|| format!("cannot open {}", args.dataset.display()))?;
    let mut texts = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", args.dataset.display(), n + 1))?;
        let row: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}", args.dataset.display(), n + 1))?;
        let field = |name| row[name].as_str().unwrap_or_default();
        texts.push(format!("{}\n{}", field("subject"), field("body")));
    }
    let dictionary = DictionaryLocator::from_env()
        .load()
        .context("the bench needs the IPADIC dictionary: apt-get install mecab-ipadic")?;
    let segmenter = Segmenter::new(Mode::Normal, dictionary.into_lindera(), None);
    let segment = |text: &String| {
        segmenter
            .segment(Cow::Borrowed(text.as_str()))
            .map(|tokens| tokens.len())
    };
    // Warm the pages of the dictionary before timing.
    for text in texts.iter().take(200) {
        segment(text)?;
    }
    let start = Instant::now();
    let tokens = texts
        .par_iter()
        .map(segment)
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    let seconds = start.elapsed().as_secs_f64();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{}",
        serde_json::json!({
            "mails": texts.len(),
            "bytes": bytes,
            "tokens": tokens,
            "seconds": seconds,
            "mails_per_s": texts.len() as f64 / seconds,
            "mib_per_s": bytes as f64 / seconds / (1 << 20) as f64,
            "threads": rayon::current_num_threads(),
        })
    );
    Ok(())
}
