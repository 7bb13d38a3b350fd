//! Content-Transfer-Encoding, decoded leniently.
//!
//! Mail arrives truncated and malformed; a strict decoder that gives up on the first bad
//! byte would lose the whole body. These decode what is there: base64 skips what is not
//! base64 and drops an incomplete last group, quoted-printable keeps a stray `=` as is.

/// Decodes base64, ignoring line breaks and stray characters, stopping at padding.
pub(crate) fn base64(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() * 3 / 4);
    let mut bits = 0u32;
    let mut count = 0;
    for &b in raw {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        bits = (bits << 6) | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
            bits = 0;
            count = 0;
        }
    }
    // A group of 2 or 3 characters (padded or cut off) still carries 1 or 2 whole bytes.
    match count {
        2 => out.push((bits >> 4) as u8),
        3 => out.extend_from_slice(&[(bits >> 10) as u8, (bits >> 2) as u8]),
        _ => {}
    }
    out
}

/// Decodes quoted-printable: `=XX` escapes, `=` line-end soft breaks; anything else,
/// including a malformed escape, is kept as written.
pub(crate) fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'=' {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        let rest = &raw[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let [h, l, ..] = rest
            && let (Some(h), Some(l)) = (hex(*h), hex(*l))
        {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_survives_line_breaks_padding_and_truncation() {
        let cases: [(&[u8], &[u8]); 5] = [
            (b"44GC44GE", "あい".as_bytes()),
            (b"44GC\r\n44GE\r\n", "あい".as_bytes()),
            (b"aGk=", b"hi"),
            (b"aGk", b"hi"),
            (b"44GC4", "あ".as_bytes()),
        ];
        for (raw, decoded) in cases {
            assert_eq!(base64(raw), decoded, "{:?}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn quoted_printable_soft_breaks_and_stray_equals() {
        let cases: [(&[u8], &[u8]); 4] = [
            (b"=E3=81=82=\r\n=E3=81=84", "あい".as_bytes()),
            (b"a=3Db", b"a=b"),
            (b"100% =zz ok", b"100% =zz ok"),
            (b"end=", b"end="),
        ];
        for (raw, decoded) in cases {
            assert_eq!(
                quoted_printable(raw),
                decoded,
                "{:?}",
                String::from_utf8_lossy(raw)
            );
        }
    }
}
