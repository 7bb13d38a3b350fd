//! The text encoding of CSV files: detected from the bytes, and decoded to UTF-8 for polars.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The encoding of a CSV file, from its byte-order mark or else from its first 64 KiB:
/// UTF-8 when they are valid UTF-8, else the Japanese encoding they read best as.
pub(super) fn sniff_encoding(path: &Path) -> Result<&'static encoding_rs::Encoding> {
    let mut head = Vec::with_capacity(64 * 1024);
    fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| Error::io(path, "read the dataset", e))?;
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&head) {
        return Ok(encoding);
    }
    // Mostly UTF-8 with a few bad bytes is a UTF-8 file with bad cells, which are reported
    // where they are; a file in another encoding has hardly any valid UTF-8 sequence.
    let (valid, invalid) = utf8_sequences(&head);
    if invalid == 0 || valid >= 2 * invalid {
        return Ok(encoding_rs::UTF_8);
    }
    Ok(crate::message::choose_charset(&head))
}

/// Counts the valid multi-byte UTF-8 characters and the invalid sequences in `bytes` (a
/// character cut off at the end counts as neither).
fn utf8_sequences(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                valid += text.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good)
                    .map_or(0, |t| t.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    None => return (valid, invalid),
                    Some(n) => {
                        invalid += 1;
                        bytes = &rest[n..];
                    }
                }
            }
        }
    }
}

/// Decodes a whole file into UTF-8 in an unlinked temporary file, reachable through this
/// process's descriptor until the reader drops it.
pub(super) fn transcode(
    path: &Path,
    encoding: &'static encoding_rs::Encoding,
) -> Result<(fs::File, PathBuf)> {
    use std::io::{Seek, Write};
    use std::os::fd::AsRawFd;
    let io = |e| Error::io(path, "transcode the dataset to UTF-8", e);
    let mut input = BufReader::new(fs::File::open(path).map_err(io)?);
    let mut output = std::io::BufWriter::new(tempfile::tempfile().map_err(io)?);
    let mut decoder = encoding.new_decoder();
    let mut text = String::with_capacity(128 * 1024);
    loop {
        let chunk = input.fill_buf().map_err(io)?;
        let last = chunk.is_empty();
        let mut read = 0;
        loop {
            text.clear();
            let (result, used, _) = decoder.decode_to_string(&chunk[read..], &mut text, last);
            read += used;
            output.write_all(text.as_bytes()).map_err(io)?;
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        let consumed = chunk.len();
        input.consume(consumed);
        if last {
            break;
        }
    }
    let mut file = output.into_inner().map_err(|e| io(e.into_error()))?;
    file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let fd_path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    Ok((file, fd_path))
}
