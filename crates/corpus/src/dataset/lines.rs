//! JSON Lines read one bounded line at a time, without polars.

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::{Cells, Schema};

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
        let (part, done) = match memchr::memchr(b'\n', chunk) {
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

/// The cells of one JSON Lines line, read without polars. The schema's fields are taken as
/// they are parsed; other fields are skipped without being built.
pub(super) fn json_cells(line: &str, schema: &Schema) -> Result<Cells, String> {
    let mut de = serde_json::Deserializer::from_str(line);
    let cells = de.deserialize_map(Row { schema }).map_err(|e| {
        // Not an object: a syntax error in it first, else say so without serde's type talk.
        if e.classify() == serde_json::error::Category::Data {
            serde_json::from_str::<IgnoredAny>(line)
                .map_or_else(|e| e.to_string(), |_| "expected an object".to_string())
        } else {
            e.to_string()
        }
    })?;
    de.end().map_err(|e| e.to_string())?;
    Ok(cells)
}

/// A line's object, read into [`Cells`].
struct Row<'s> {
    schema: &'s Schema,
}

impl<'de> Visitor<'de> for Row<'_> {
    type Value = Cells;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cells, A::Error> {
        let schema = self.schema;
        let roles = [
            &schema.id,
            &schema.label,
            &schema.category,
            &schema.subject,
            &schema.from,
            &schema.text,
            &schema.split,
        ];
        let mut texts: [Option<String>; 7] = Default::default();
        let mut urls = Vec::new();
        // A repeated key takes its last value, as a JSON object read whole would.
        while let Some(Key(key)) = map.next_key()? {
            let is_urls = key == schema.urls.name;
            let mut matching = roles.iter().enumerate().filter(|(_, f)| f.name == key);
            match (matching.next(), matching.next(), is_urls) {
                (None, _, false) => {
                    map.next_value::<IgnoredAny>()?;
                }
                (Some((i, _)), None, false) => texts[i] = into_text(map.next_value()?),
                // A column in two roles (or the links' column in another role): read whole.
                _ => {
                    let value: Value = map.next_value()?;
                    for (i, field) in roles.iter().enumerate() {
                        if field.name == key {
                            texts[i] = into_text(value.clone());
                        }
                    }
                    if is_urls {
                        urls = urls_of(&value);
                    }
                }
            }
        }
        let [id, label, category, subject, from, text, split] = texts;
        Ok(Cells {
            id,
            label,
            category,
            subject,
            from,
            text,
            urls,
            split,
        })
    }
}

/// An object key, borrowed from the line when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A text cell: a string as it is, `null` as no value, any other value as its JSON.
fn into_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// The links' cell: an array of strings (others skipped), or one string of links
/// separated by white space.
fn urls_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|u| u.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line read whole into a JSON value, as before the cells were taken while parsing.
    fn json_cells_reference(line: &str, schema: &Schema) -> Result<Cells, String> {
        let value: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let object = value.as_object().ok_or("expected an object")?;
        let text =
            |field: &super::super::Field| object.get(&field.name).cloned().and_then(into_text);
        Ok(Cells {
            id: text(&schema.id),
            label: text(&schema.label),
            category: text(&schema.category),
            subject: text(&schema.subject),
            from: text(&schema.from),
            text: text(&schema.text),
            urls: object
                .get(&schema.urls.name)
                .map(urls_of)
                .unwrap_or_default(),
            split: text(&schema.split),
        })
    }

    #[test]
    fn cells_are_those_of_the_whole_json_value() {
        let mut lines: Vec<String> = [
            r#"{"id":1,"label":"scam","body":"本文 https://a.example/x","subject":null,"urls":["https://c.example",3],"extra":{"a":[1,{"b":null}]},"category":[1,"x"]}"#,
            r#"{"label":"ham","body":"a","body":"second","id":1.5e3,"split":true,"from":false}"#,
            r#"{"label":"ham","bo\u0064y":"escaped \"key\"","subject":"件名\n","urls":"a.example  b.example"}"#,
            r#"{"label":"ham","body":"x","urls":{"a":1},"id":-7,"category":{}}"#,
            r#"{"label":"ham","body":"x"} trailing"#,
            r#"[1,2]"#,
            r#""x""#,
            r#"{bad"#,
            r#"[1,2"#,
            r#"{}"#,
            r#"null"#,
        ]
        .map(String::from)
        .to_vec();
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/test.jsonl");
        lines.extend(
            fs::read_to_string(corpus)
                .unwrap()
                .lines()
                .map(String::from),
        );
        let mut schema = Schema::default();
        for line in &lines {
            assert_eq!(
                json_cells(line, &schema),
                json_cells_reference(line, &schema),
                "{line}"
            );
        }
        // One column in two roles, and the links' column in another role.
        schema.id.name = "body".into();
        schema.urls.name = "subject".into();
        for line in &lines {
            assert_eq!(
                json_cells(line, &schema),
                json_cells_reference(line, &schema),
                "{line}"
            );
        }
    }
}
