//! The model loader: layout, checksum and every value check. The input is used both as a
//! whole file and as a payload under a correct header and checksum, so that the value
//! checks are reached and not only the checksum.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sagiguard_trainer::Model;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.model");
    let _ = Model::from_bytes(data, path);
    let _ = Model::from_bytes(&Model::frame(data), path);
});
