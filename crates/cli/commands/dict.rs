//! `sagiguard dict`: where the dictionary comes from.

use std::io::{self, Write};

use sagiguard_tokenizer::{CacheState, Origin, lindera_version};

use crate::args::{DictArgs, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, args: DictArgs) -> anyhow::Result<ExitStatus> {
    let dictionary = super::load_dictionary(global, args.rebuild)?;
    let info = dictionary.info();
    let mut out = io::stdout().lock();
    if args.json {
        let mut value = serde_json::to_value(info)?;
        value["lindera_version"] = lindera_version().into();
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
        return Ok(ExitStatus::Success);
    }
    let origin = match &info.origin {
        Origin::Compiled => "compiled dictionary given by --dict or SAGIGUARD_DICT".to_string(),
        Origin::Source {
            source,
            explicit,
            cache,
        } => format!(
            "{} IPADIC sources in {}, {}",
            if *explicit { "given" } else { "system" },
            source.display(),
            match cache {
                CacheState::Reused => "cached build reused".to_string(),
                CacheState::Built => "compiled now".to_string(),
                CacheState::Rebuilt { reason } => format!("compiled again ({reason})"),
            }
        ),
        Origin::Cached => "cached build (its sources are no longer installed)".to_string(),
        Origin::Embedded => "embedded in the binary".to_string(),
    };
    writeln!(out, "origin:      {origin}")?;
    if let Some(path) = &info.path {
        writeln!(out, "path:        {}", path.display())?;
    }
    writeln!(out, "fingerprint: {}", info.fingerprint)?;
    writeln!(out, "lindera:     {}", lindera_version())?;
    Ok(ExitStatus::Success)
}
