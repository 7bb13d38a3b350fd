//! `sagiguard filter`: the message, byte for byte, with X-Sagiguard-* headers on top.

use std::io::{self, Read, Write};

use sagiguard_corpus::{ParseOptions, parse_input};
use sagiguard_trainer::VerdictLabel;

use crate::args::{FilterArgs, GlobalArgs};
use crate::exit::ExitStatus;

pub fn run(global: &GlobalArgs, args: FilterArgs) -> anyhow::Result<ExitStatus> {
    let mut message = Vec::new();
    if let Err(err) = io::stdin().lock().read_to_end(&mut message) {
        // Nothing can be delivered that was not read whole: the sender must try again.
        eprintln!("sagiguard: cannot read the message: {err}");
        return Ok(ExitStatus::TempFail);
    }
    let message = std::sync::Arc::new(message);
    let scored = score_within(global, &args, &message);
    let (headers, status) = match scored {
        Ok((headers, label)) => {
            let status = match label {
                _ if !args.exit_code => ExitStatus::Success,
                VerdictLabel::Scam => ExitStatus::Scam,
                VerdictLabel::Unsure => ExitStatus::Unsure,
                VerdictLabel::Ham => ExitStatus::Success,
            };
            (headers, status)
        }
        Err(err) => {
            // A header value: no line break may forge a header, no control reach a terminal.
            let reason = crate::terminal::one_line(
                &super::error_chain(err.as_ref()).replace(['\r', '\n'], " "),
            )
            .into_owned();
            eprintln!("sagiguard: {reason}");
            (
                vec![("X-Sagiguard-Error".to_string(), reason)],
                ExitStatus::Success,
            )
        }
    };
    let mut out = io::stdout().lock();
    match write_with_headers(&mut out, &message, &headers).and_then(|()| out.flush()) {
        Ok(()) => Ok(status),
        // Unlike `score`, a closed pipe here means the message was not delivered.
        Err(err) => {
            eprintln!("sagiguard: the message was not delivered whole: {err}");
            Ok(ExitStatus::TempFail)
        }
    }
}

/// Scores on a thread of its own, so that neither a bug nor a mail that takes too long can
/// keep the message from being delivered: a panic becomes an error, and past `--timeout`
/// the message goes on with `X-Sagiguard-Error: timeout` (the thread is abandoned; the
/// process ends once the message is written).
fn score_within(
    global: &GlobalArgs,
    args: &FilterArgs,
    message: &std::sync::Arc<Vec<u8>>,
) -> anyhow::Result<(Vec<(String, String)>, VerdictLabel)> {
    let (send, receive) = std::sync::mpsc::channel();
    let (global, args, message) = (global.clone(), args.clone(), message.clone());
    let timeout = std::time::Duration::from_secs_f64(args.timeout);
    std::thread::spawn(move || {
        let scored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            headers(&global, &args, &message)
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(anyhow::anyhow!("internal error while scoring: {what}"))
        });
        let _ = send.send(scored);
    });
    match receive.recv_timeout(timeout) {
        Ok(scored) => scored,
        Err(_) => Err(anyhow::anyhow!("timeout")),
    }
}

/// The headers to add, and the verdict.
fn headers(
    global: &GlobalArgs,
    args: &FilterArgs,
    message: &[u8],
) -> anyhow::Result<(Vec<(String, String)>, VerdictLabel)> {
    let (model, tokenizer) = super::load_model(global, &args.model)?;
    let options = ParseOptions {
        max_size: args.max_size,
        ..ParseOptions::default()
    };
    let email = parse_input(strip_envelope(message).1, &options)?;
    let mut verdict = model.score_unexplained(&tokenizer, &email);
    if let Some(threshold) = args.threshold {
        verdict.apply_threshold(threshold);
    }
    let label = verdict.label;
    let mut signals: Vec<&str> = verdict.signals.iter().map(|s| s.kind.id()).collect();
    signals.dedup();
    let headers = vec![
        (
            "X-Sagiguard-Verdict".to_string(),
            label.as_str().to_string(),
        ),
        (
            "X-Sagiguard-Probability".to_string(),
            format!("{:.4}", verdict.scam_probability),
        ),
        (
            "X-Sagiguard-Category".to_string(),
            verdict.category.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "X-Sagiguard-Signals".to_string(),
            if signals.is_empty() {
                "-".to_string()
            } else {
                signals.join(", ")
            },
        ),
    ];
    Ok((headers, label))
}

/// Splits off an mbox `From ` envelope line, which procmail passes along and which must stay
/// first.
fn strip_envelope(message: &[u8]) -> (&[u8], &[u8]) {
    if message.starts_with(b"From ") {
        let end = message
            .iter()
            .position(|&b| b == b'\n')
            .map_or(message.len(), |i| i + 1);
        message.split_at(end)
    } else {
        message.split_at(0)
    }
}

/// Whether a header line (`Name: value`) is one of ours, `X-Sagiguard-*`, in any case.
fn is_our_header(line: &[u8]) -> bool {
    const PREFIX: &[u8] = b"x-sagiguard-";
    line.len() >= PREFIX.len() && line[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
}

/// Writes the header block of `rest` without any `X-Sagiguard-*` field (a sender could
/// forge a verdict, as SpamAssassin strips `X-Spam-*`), folded continuation lines included;
/// returns the bytes after the header block, untouched.
fn write_without_our_headers<'m>(out: &mut impl Write, rest: &'m [u8]) -> io::Result<&'m [u8]> {
    let mut pos = 0;
    let mut dropping = false;
    while pos < rest.len() {
        let end = rest[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| pos + i + 1);
        let line = &rest[pos..end];
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content.is_empty() {
            break;
        }
        let continuation = matches!(content[0], b' ' | b'\t');
        if !continuation {
            if !content.contains(&b':') {
                break;
            }
            dropping = is_our_header(content);
        }
        if !dropping {
            out.write_all(line)?;
        }
        pos = end;
    }
    Ok(&rest[pos..])
}

/// Writes the envelope line (if any), the new headers in the message's own line ending, and
/// then every byte of the message unchanged but for incoming `X-Sagiguard-*` headers.
fn write_with_headers(
    out: &mut impl Write,
    message: &[u8],
    headers: &[(String, String)],
) -> io::Result<()> {
    let (envelope, rest) = strip_envelope(message);
    let crlf = rest
        .windows(2)
        .position(|w| w == b"\r\n")
        .is_some_and(|i| !rest[..i].contains(&b'\n'));
    let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    out.write_all(envelope)?;
    for (name, value) in headers {
        out.write_all(name.as_bytes())?;
        out.write_all(b": ")?;
        out.write_all(value.as_bytes())?;
        out.write_all(eol)?;
    }
    let body = write_without_our_headers(out, rest)?;
    out.write_all(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_go_after_the_envelope_in_the_message_line_ending() {
        let headers = vec![("X-A".to_string(), "1".to_string())];
        let cases: [(&[u8], &[u8]); 3] = [
            (
                b"Subject: a\r\n\r\nbody\r\n",
                b"X-A: 1\r\nSubject: a\r\n\r\nbody\r\n",
            ),
            (b"Subject: a\n\nbody\n", b"X-A: 1\nSubject: a\n\nbody\n"),
            (
                b"From x@y Sat Jan  4 10:00:00 2025\nSubject: a\n\nb\n",
                b"From x@y Sat Jan  4 10:00:00 2025\nX-A: 1\nSubject: a\n\nb\n",
            ),
        ];
        for (message, expected) in cases {
            let mut out = Vec::new();
            write_with_headers(&mut out, message, &headers).unwrap();
            assert_eq!(out, expected, "{}", String::from_utf8_lossy(message));
        }
    }

    proptest::proptest! {
        /// Issue 14: whatever the bytes, the output is our headers, then the message with
        /// only its own `X-Sagiguard-*` header lines taken out, every other byte in order.
        #[test]
        fn every_other_byte_is_kept(message in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            let headers = vec![("X-Sagiguard-Verdict".to_string(), "ham".to_string())];
            let mut out = Vec::new();
            write_with_headers(&mut out, &message, &headers).unwrap();
            let (envelope, rest) = strip_envelope(&message);
            proptest::prop_assert!(out.starts_with(envelope));
            let after = &out[envelope.len()..];
            let ours = after.iter().position(|&b| b == b'\n').unwrap();
            let kept = &after[ours + 1..];
            // The kept bytes are the message with some whole header lines removed: a
            // subsequence that ends with the message's own ending.
            let mut i = 0;
            for &b in kept {
                while i < rest.len() && rest[i] != b {
                    i += 1;
                }
                proptest::prop_assert!(i < rest.len(), "a byte not in the message");
                i += 1;
            }
            if !rest.is_empty() && !kept.is_empty() {
                proptest::prop_assert_eq!(kept.last(), rest.last());
            }
            let without = write_without_our_headers(&mut Vec::new(), rest).unwrap();
            proptest::prop_assert!(kept.ends_with(without));
        }
    }

    /// Issue 14: a verdict the sender wrote into the message never reaches the recipient.
    #[test]
    fn incoming_verdict_headers_are_removed_and_nothing_else() {
        let headers = vec![("X-Sagiguard-Verdict".to_string(), "scam".to_string())];
        let message: &[u8] = b"Subject: a\r\nx-sagiguard-verdict: ham\r\nX-SAGIGUARD-Signals: -,\r\n\tfolded\r\nTo: b\r\n\r\nX-Sagiguard-Verdict: ham in the body stays\r\n";
        let mut out = Vec::new();
        write_with_headers(&mut out, message, &headers).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "X-Sagiguard-Verdict: scam\r\nSubject: a\r\nTo: b\r\n\r\nX-Sagiguard-Verdict: ham in the body stays\r\n"
        );
        // Text without a header block is written as it came.
        let mut out = Vec::new();
        write_with_headers(
            &mut out,
            "本文だけ\nX-Sagiguard-Verdict: ham\n".as_bytes(),
            &[],
        )
        .unwrap();
        assert_eq!(out, "本文だけ\nX-Sagiguard-Verdict: ham\n".as_bytes());
    }
}
