//! JSON Lines read one bounded line at a time, without polars.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{Cells, Field, Schema};

/// Whether the first line of a file fits in `limit` bytes (an unreadable file: yes, and
/// polars reports it).
pub(super) fn first_line_within(path: &Path, limit: u64) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return true;
    };
    let mut reader = BufReader::new(file);
    read_line_bounded(&mut reader, &mut Vec::new(), limit).is_ok_and(|(_, whole)| whole)
}

/// Reads one line into `buf` (without its line break), keeping at most `limit` bytes; the
/// rest of a longer line is read and dropped, so a line without end (`/dev/zero`, a stuck
/// FIFO writer) costs no more memory than the limit. Returns the bytes the line had (at
/// least; 0 at the end of input) and whether it was kept whole.
pub(super) fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<(u64, bool)> {
    let mut total = 0u64;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total, total <= limit));
        }
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        let room = limit.saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&part[..part.len().min(room)]);
        total += part.len() as u64;
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            // A line break alone still counts as a line read.
            return Ok((total.max(1), total <= limit));
        }
    }
}

/// The cells of one JSON Lines line, read without polars.
pub(super) fn json_cells(line: &str, schema: &Schema) -> Result<Cells, String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let object = value.as_object().ok_or("expected an object")?;
    let text = |field: &Field| -> Option<String> {
        match object.get(&field.name)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    let urls = match object.get(&schema.urls.name) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|u| u.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    };
    Ok(Cells {
        id: text(&schema.id),
        label: text(&schema.label),
        category: text(&schema.category),
        subject: text(&schema.subject),
        from: text(&schema.from),
        text: text(&schema.text),
        urls,
        split: text(&schema.split),
    })
}
