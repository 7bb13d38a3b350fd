//! Where raw mail comes from: `.eml` files, directories, mbox files, Maildirs, stdin.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, MessageError, Result};

/// One message's bytes and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMail {
    /// The file, plus `#N` (1-based) for the N-th message of an mbox.
    pub source: String,
    /// The message, with an mbox's `From ` line removed and `>From ` unescaped.
    pub bytes: Vec<u8>,
}

/// Reads every message under `path`: a message file, an mbox file (recognised by its
/// leading `From ` line), a Maildir (`cur/` and `new/`), or a directory of any of these,
/// walked in name order. In a directory, only `.eml`, `.mbox`, `.msg`, `.mail` and
/// extensionless files are mail; a file named explicitly is always read. Each item is one message or the error that stopped it; the walk
/// goes on after an error. Messages over `max_size` bytes are refused without reading them.
pub fn read_mail(path: &Path, max_size: u64) -> Box<dyn Iterator<Item = Result<RawMail>> + Send> {
    match fs::metadata(path) {
        Err(e) => Box::new(std::iter::once(Err(Error::io(path, "open", e)))),
        Ok(meta) if meta.is_dir() => Box::new(DirWalk::new(path, max_size)),
        Ok(_) => read_file(path.to_path_buf(), max_size),
    }
}

/// Reads standard input: an mbox when it starts with a `From ` line, streamed one message at
/// a time with the size limit applied to each message; else one message (or text), refused
/// past the limit.
pub fn read_stdin(max_size: u64) -> Box<dyn Iterator<Item = Result<RawMail>> + Send> {
    let mut stdin = io::stdin();
    // The first five bytes tell an mbox; a pipe may hand them over in pieces.
    let mut head = Vec::with_capacity(5);
    if let Err(e) = (&mut stdin).take(5).read_to_end(&mut head) {
        return Box::new(std::iter::once(Err(Error::io(
            "-",
            "read standard input",
            e,
        ))));
    }
    let input = io::Cursor::new(head).chain(stdin);
    if input.get_ref().0.get_ref().starts_with(b"From ") {
        return Box::new(Mbox::new(
            "-".to_string(),
            Box::new(BufReader::new(input)),
            max_size,
        ));
    }
    let mut bytes = Vec::new();
    // One byte over the limit is enough to know the input is too large.
    if let Err(e) = input
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return Box::new(std::iter::once(Err(Error::io(
            "-",
            "read standard input",
            e,
        ))));
    }
    if bytes.len() as u64 > max_size {
        return Box::new(std::iter::once(Err(too_large(
            "-".into(),
            bytes.len() as u64,
            max_size,
        ))));
    }
    Box::new(std::iter::once(Ok(RawMail {
        source: "-".to_string(),
        bytes,
    })))
}

/// Reads an mbox from any reader, streaming one message at a time; `source` names it in
/// positions (`source#N`). Messages over `max_size` bytes are errors and the rest are read.
pub fn read_mbox(
    source: String,
    reader: Box<dyn BufRead + Send>,
    max_size: u64,
) -> impl Iterator<Item = Result<RawMail>> + Send {
    Mbox::new(source, reader, max_size)
}

fn too_large(location: String, size: u64, limit: u64) -> Error {
    Error::Message {
        location,
        source: MessageError::TooLarge { size, limit },
    }
}

fn read_file(path: PathBuf, max_size: u64) -> Box<dyn Iterator<Item = Result<RawMail>> + Send> {
    let mut file = match File::open(&path) {
        Ok(file) => BufReader::new(file),
        Err(e) => return Box::new(std::iter::once(Err(Error::io(&path, "open", e)))),
    };
    let is_mbox = match file.fill_buf() {
        Ok(head) => head.starts_with(b"From "),
        Err(e) => return Box::new(std::iter::once(Err(Error::io(&path, "read", e)))),
    };
    let source = path.display().to_string();
    if is_mbox {
        return Box::new(Mbox::new(source, Box::new(file), max_size));
    }
    let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > max_size {
        return Box::new(std::iter::once(Err(too_large(source, size, max_size))));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let item = match file
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        Err(e) => Err(Error::io(&path, "read", e)),
        Ok(n) if n as u64 > max_size => Err(too_large(source, n as u64, max_size)),
        Ok(_) => Ok(RawMail { source, bytes }),
    };
    Box::new(std::iter::once(item))
}

/// An mbox reader that streams: it holds one message at a time and stops collecting a
/// message once it passes the size limit.
struct Mbox {
    source: String,
    reader: Box<dyn BufRead + Send>,
    max_size: u64,
    /// The 1-based index of the next message.
    index: usize,
    /// The line number of the pending `From ` line, once seen.
    pending_from: Option<usize>,
    line: usize,
    done: bool,
}

impl Mbox {
    fn new(source: String, reader: Box<dyn BufRead + Send>, max_size: u64) -> Self {
        Mbox {
            source,
            reader,
            max_size,
            index: 1,
            pending_from: None,
            line: 0,
            done: false,
        }
    }
}

impl Iterator for Mbox {
    type Item = Result<RawMail>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut bytes = Vec::new();
        let mut size = 0u64;
        let mut line = Vec::new();
        let mut started = self.pending_from.is_some();
        loop {
            line.clear();
            match self.reader.read_until(b'\n', &mut line) {
                Err(e) => {
                    self.done = true;
                    let path = PathBuf::from(&self.source);
                    return Some(Err(Error::io(path, "read the mbox", e)));
                }
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(_) => self.line += 1,
            }
            if line.starts_with(b"From ") {
                if started {
                    self.pending_from = Some(self.line);
                    break;
                }
                started = true;
                self.pending_from = Some(self.line);
                continue;
            }
            if !started {
                // Text before the first `From ` line is not a message.
                continue;
            }
            size += line.len() as u64;
            if size > self.max_size {
                continue;
            }
            // mboxrd: `>From `, `>>From `… lose one `>`.
            let quoted = line.iter().take_while(|&&b| b == b'>').count();
            if quoted > 0 && line[quoted..].starts_with(b"From ") {
                bytes.extend_from_slice(&line[1..]);
            } else {
                bytes.extend_from_slice(&line);
            }
        }
        if !started {
            return None;
        }
        let index = self.index;
        self.index += 1;
        let location = format!("{}#{index}", self.source);
        if size > self.max_size {
            return Some(Err(too_large(location, size, self.max_size)));
        }
        // A later part without a header block is what an unescaped `From ` body line leaves.
        if index > 1 && !crate::message::looks_like_message(&bytes) {
            return Some(Err(Error::Message {
                location,
                source: MessageError::Fragment {
                    previous: index - 1,
                },
            }));
        }
        Some(Ok(RawMail {
            source: location,
            bytes,
        }))
    }
}

/// A depth-first walk of a directory in name order; Maildirs read `cur/` then `new/`, and
/// their `tmp/` (deliveries in progress) is skipped.
struct DirWalk {
    max_size: u64,
    /// Directories and files still to visit, the next one last; `true` marks the `cur/` and
    /// `new/` of a Maildir, whose every file is a message.
    pending: Vec<(PathBuf, bool)>,
    current: Option<Box<dyn Iterator<Item = Result<RawMail>> + Send>>,
    /// Device and inode of every directory and file visited: a symbolic link back up the
    /// tree (`self -> .`) or a second link to the same file is read once, not forever.
    seen: std::collections::HashSet<(u64, u64)>,
}

impl DirWalk {
    fn new(root: &Path, max_size: u64) -> Self {
        DirWalk {
            max_size,
            pending: vec![(root.to_path_buf(), false)],
            current: None,
            seen: std::collections::HashSet::new(),
        }
    }

    fn children(dir: &Path, in_maildir: bool) -> io::Result<Vec<(PathBuf, bool)>> {
        let is_maildir = dir.join("cur").is_dir() && dir.join("new").is_dir();
        let mut children: Vec<(PathBuf, bool)> = if is_maildir {
            ["cur", "new"].iter().map(|d| (dir.join(d), true)).collect()
        } else {
            let mut entries = Vec::new();
            for entry in fs::read_dir(dir)? {
                let entry = entry?;
                let path = entry.path();
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if !hidden && (in_maildir || path.is_dir() || is_mail_file(&path)) {
                    entries.push((path, false));
                }
            }
            entries.sort();
            entries
        };
        children.reverse();
        Ok(children)
    }
}

/// Inside a directory, mail is `.eml`, `.mbox`, `.msg` or a file without an extension (as
/// Maildir and MH name messages); READMEs, manifests and datasets beside them are not mail.
fn is_mail_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => {
            let ext = ext.to_ascii_lowercase();
            // Maildir names carry flags after a colon: `1700000000.M1P1.host:2,S`.
            ["eml", "mbox", "mbx", "msg", "mail"].contains(&ext.as_str()) || ext.contains(':')
        }
    }
}

impl Iterator for DirWalk {
    type Item = Result<RawMail>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let (path, in_maildir) = self.pending.pop()?;
            let meta = fs::metadata(&path);
            if let Ok(meta) = &meta {
                use std::os::unix::fs::MetadataExt;
                if !self.seen.insert((meta.dev(), meta.ino())) {
                    // Said on stderr only: standard output keeps one line per mail.
                    eprintln!(
                        "sagiguard: {}: already read through another path (a link), skipped",
                        path.display()
                    );
                    continue;
                }
            }
            match meta {
                Err(e) => return Some(Err(Error::io(&path, "open", e))),
                Ok(meta) if meta.is_dir() => match DirWalk::children(&path, in_maildir) {
                    Ok(children) => self.pending.extend(children),
                    Err(e) => return Some(Err(Error::io(&path, "list the directory", e))),
                },
                Ok(_) => self.current = Some(read_file(path, self.max_size)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: a body line starting `From ` in an mboxo file splits a message; the part
    /// after it is reported as a fragment, naming the message it was cut from.
    #[test]
    fn a_fragment_from_an_unescaped_from_line_is_reported_as_such() {
        let items = mbox(
            "From a@x Sat Jan  4 10:00:00 2025\nSubject: 1\n\nhello\nFrom here on, the rest\nmore text\n\
             From b@x Sat Jan  4 10:00:01 2025\nSubject: 2\n\nbody\n",
            1 << 20,
        );
        assert_eq!(items.len(), 3);
        assert!(items[0].is_ok());
        let err = items[1].as_ref().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Message {
                    source: MessageError::Fragment { previous: 1 },
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("#2: not a message but most likely the rest of message #1"),
            "{err}"
        );
        assert!(items[2].is_ok());
    }

    fn mbox(text: &str, max_size: u64) -> Vec<Result<RawMail>> {
        Mbox::new(
            "box".into(),
            Box::new(io::Cursor::new(text.as_bytes().to_vec())),
            max_size,
        )
        .collect()
    }

    #[test]
    fn splits_on_from_lines_and_unescapes() {
        let items = mbox(
            "From a@x Sat Jan  4 10:00:00 2025\nSubject: 1\n\n>From here\n>>From there\n\
             From b@x Sat Jan  4 10:00:01 2025\nSubject: 2\n\nbody\n",
            1 << 20,
        );
        let mails: Vec<RawMail> = items.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(mails.len(), 2);
        assert_eq!(mails[0].source, "box#1");
        assert_eq!(mails[0].bytes, b"Subject: 1\n\nFrom here\n>From there\n");
        assert_eq!(mails[1].bytes, b"Subject: 2\n\nbody\n");
    }

    #[test]
    fn an_oversized_message_is_reported_and_the_next_one_read() {
        let big = "x".repeat(200);
        let text = format!("From a\nSubject: big\n\n{big}\nFrom b\nSubject: small\n\nok\n");
        let items = mbox(&text, 100);
        assert_eq!(items.len(), 2);
        let err = items[0].as_ref().unwrap_err().to_string();
        assert!(err.starts_with("box#1: the message is"), "{err}");
        assert_eq!(items[1].as_ref().unwrap().bytes, b"Subject: small\n\nok\n");
    }

    #[test]
    fn an_empty_mbox_has_no_messages() {
        assert!(mbox("", 100).is_empty());
    }
}
