//! Dataset row decoding: JSON Lines rows into labeled mail, bounded per line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sagiguard_corpus::{Schema, read_jsonl};

fuzz_target!(|data: &[u8]| {
    let schema = Schema::default().require_label(false).max_row_bytes(2048);
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    for record in read_jsonl(std::path::Path::new("fuzz.jsonl"), &schema, reader).flatten() {
        assert!(record.email.body.len() + record.email.subject.len() <= 2048 * 6);
    }
});
