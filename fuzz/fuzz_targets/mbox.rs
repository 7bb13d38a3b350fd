//! Splitting an mbox: `From ` lines, `>From` unescaping, per-message size limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sagiguard_corpus::read_mbox;

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let mut total = 0;
    for item in read_mbox("fuzz".into(), reader, 4096) {
        if let Ok(mail) = item {
            // A message never exceeds the limit, and never more bytes come out than went in.
            assert!(mail.bytes.len() <= 4096);
            total += mail.bytes.len();
        }
    }
    assert!(total <= data.len());
});
