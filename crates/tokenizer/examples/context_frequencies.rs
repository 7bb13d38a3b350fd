//! Counts how often segmenting sample mail reads each context id of the connection-cost
//! matrix, in the form lindera's builder ranks ids by. The bundled counts
//! (`src/dictionary/ipadic-context-frequencies.txt`) come from the project's own corpus:
//!
//! ```sh
//! cargo run --release -p sagiguard-tokenizer --example context_frequencies -- data/train.jsonl \
//!     > crates/tokenizer/src/dictionary/ipadic-context-frequencies.txt
//! ```
//!
//! Each argument is a JSON Lines file; the `subject` and `body` of every row are counted.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use sagiguard_tokenizer::{ContextFrequencies, DictionaryLocator, Normalizer};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("context_frequencies: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        return Err("give one or more JSON Lines files of mail".into());
    }
    let dictionary = DictionaryLocator::from_env().load()?;
    let normalizer = Normalizer::default();
    let mut counts = ContextFrequencies::new(&dictionary);
    for file in &files {
        let reader =
            std::io::BufReader::new(std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?);
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| format!("{file}:{}: {e}", n + 1))?;
            let row: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| format!("{file}:{}: {e}", n + 1))?;
            for field in ["subject", "body"] {
                if let Some(text) = row.get(field).and_then(|v| v.as_str()) {
                    counts.count(&dictionary, &normalizer, text);
                }
            }
        }
    }
    std::io::stdout().write_all(counts.to_lindera().as_bytes())?;
    Ok(())
}
