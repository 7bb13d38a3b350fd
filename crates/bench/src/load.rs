//! How long a process takes to get ready to score: the model file and the dictionary.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use sagiguard_tokenizer::DictionaryLocator;
use sagiguard_trainer::Model;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file.
    model: PathBuf,
    /// Loads to time; the median and the fastest are printed.
    #[arg(long, default_value_t = 21)]
    runs: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let runs = args.runs.max(1);
    let time = |f: &mut dyn FnMut() -> anyhow::Result<()>| -> anyhow::Result<Vec<f64>> {
        let mut ms = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            f()?;
            ms.push(start.elapsed().as_secs_f64() * 1e3);
        }
        ms.sort_by(f64::total_cmp);
        Ok(ms)
    };
    let model = time(&mut || {
        Model::load(&args.model)
            .map(drop)
            .with_context(|| format!("cannot load {}", args.model.display()))
    })?;
    let dictionary = time(&mut || {
        DictionaryLocator::from_env()
            .load()
            .map(drop)
            .context("the bench needs the IPADIC dictionary: apt-get install mecab-ipadic")
    })?;
    let bytes = std::fs::metadata(&args.model)?.len();
    println!(
        "{}",
        serde_json::json!({
            "runs": runs,
            "model_bytes": bytes,
            "model_load_ms_median": model[runs / 2],
            "model_load_ms_min": model[0],
            "dictionary_load_ms_median": dictionary[runs / 2],
            "dictionary_load_ms_min": dictionary[0],
        })
    );
    Ok(())
}
