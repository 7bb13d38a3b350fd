//! The model loader: layout, checksums and every value check, of both sections. The input
//! is used both as a whole file and, after a 4-byte cut point, as the two section payloads
//! under a correct frame, so that decoding and the value checks are reached and not only
//! the checksums.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sagiguard_trainer::Model;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.model");
    if let Ok(mut model) = Model::from_bytes(data, path) {
        let _ = model.info();
    }
    if data.len() < 4 {
        return;
    }
    let cut = u32::from_le_bytes(data[..4].try_into().unwrap()) as usize;
    let rest = &data[4..];
    let (scoring, learning) = rest.split_at(cut.min(rest.len()));
    if let Ok(mut model) = Model::from_bytes(&Model::frame(scoring, learning), path) {
        // Decodes and checks the learning section, then refits from it.
        if model.info().is_ok() {
            let _ = model.refresh();
        }
    }
});
