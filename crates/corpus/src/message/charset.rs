//! Turning body bytes into text when the declared charset may be wrong or missing.
//!
//! Japanese mail declares ISO-2022-JP, Shift_JIS or EUC-JP, and bulk senders often declare
//! nothing or the wrong one. The bytes themselves usually tell: ISO-2022-JP is 7-bit with
//! escape sequences, valid UTF-8 is rarely an accident, and a declared charset is trusted
//! only while it decodes without errors. chardetng decides what is left.

use encoding_rs::{EUC_JP, Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8};

/// Decodes `bytes`, preferring the bytes' own evidence over a `declared` charset that
/// does not fit them. Never fails: undecodable bytes become U+FFFD.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> String {
    let encoding = choose(bytes, declared);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The encoding of text whose charset nobody declared (a spreadsheet, a pasted text).
pub(crate) fn choose_bytes(bytes: &[u8]) -> &'static Encoding {
    choose(bytes, None)
}

/// The encoding `decode` uses.
pub(crate) fn choose(bytes: &[u8], declared: Option<&str>) -> &'static Encoding {
    if bytes.is_ascii() {
        return if has_iso2022_escape(bytes) {
            ISO_2022_JP
        } else {
            UTF_8
        };
    }
    match std::str::from_utf8(bytes) {
        // Valid, or valid but for a character cut off at the end (a truncated mail).
        Ok(_) => return UTF_8,
        Err(e) if e.error_len().is_none() => return UTF_8,
        Err(_) => {}
    }
    let declared = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        // Latin charsets decode any byte, so they prove nothing about Japanese bytes.
        .filter(|e| *e != UTF_8 && !is_single_byte(e));
    if let Some(encoding) = declared
        && decodes_cleanly(encoding, bytes)
    {
        return encoding;
    }
    // EUC-JP bytes often decode "cleanly" as Shift_JIS half-width katakana and rare kanji,
    // so among the candidates that decode, the one that reads most like Japanese wins.
    let best = [SHIFT_JIS, EUC_JP]
        .into_iter()
        .filter_map(|e| {
            let text = e.decode_without_bom_handling_and_without_replacement(bytes)?;
            Some((japanese_score(&text), e))
        })
        .max_by_key(|(score, _)| *score);
    if let Some((_, encoding)) = best {
        return encoding;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    detector.guess(Some(b"jp"), chardetng::Utf8Detection::Allow)
}

fn has_iso2022_escape(bytes: &[u8]) -> bool {
    bytes
        .windows(3)
        .any(|w| matches!(w, [0x1b, b'$', b'B' | b'@'] | [0x1b, b'(', b'J' | b'I']))
}

fn decodes_cleanly(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
}

/// How much a text looks like Japanese: kana and kanji count for it; half-width katakana
/// (rare in real text, common in mis-decoded EUC-JP) and control characters against it.
fn japanese_score(text: &str) -> i64 {
    text.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{309F}' => 3,
            '\u{30A0}'..='\u{30FF}' | '\u{3000}'..='\u{303F}' => 2,
            '\u{4E00}'..='\u{9FFF}' => 1,
            '\u{FF61}'..='\u{FF9F}' => -3,
            c if c.is_control() && !c.is_whitespace() => -5,
            _ => 0,
        })
        .sum()
}

fn is_single_byte(encoding: &'static Encoding) -> bool {
    encoding.is_single_byte()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "お客様のカード番号をご確認ください";

    fn encode(encoding: &'static Encoding) -> Vec<u8> {
        encoding.encode(TEXT).0.into_owned()
    }

    #[test]
    fn declared_or_not_the_bytes_decide() {
        let cases: [(&str, Vec<u8>, Option<&str>); 8] = [
            ("utf-8 declared", TEXT.as_bytes().to_vec(), Some("utf-8")),
            ("utf-8 undeclared", TEXT.as_bytes().to_vec(), None),
            (
                "utf-8 declared as sjis",
                TEXT.as_bytes().to_vec(),
                Some("shift_jis"),
            ),
            (
                "iso-2022-jp declared",
                encode(ISO_2022_JP),
                Some("iso-2022-jp"),
            ),
            ("iso-2022-jp undeclared", encode(ISO_2022_JP), None),
            (
                "sjis declared latin-1",
                encode(SHIFT_JIS),
                Some("iso-8859-1"),
            ),
            ("euc-jp declared", encode(EUC_JP), Some("euc-jp")),
            ("euc-jp declared us-ascii", encode(EUC_JP), Some("us-ascii")),
        ];
        for (name, bytes, declared) in cases {
            assert_eq!(decode(&bytes, declared), TEXT, "{name}");
        }
    }

    #[test]
    fn plain_ascii_is_ascii() {
        assert_eq!(decode(b"Hello", Some("iso-2022-jp")), "Hello");
    }

    #[test]
    fn garbage_becomes_replacement_characters_not_a_panic() {
        let text = decode(&[0xff, 0xfe, 0x80, 0x81, 0x00, 0xa0], Some("x-unknown"));
        assert!(!text.is_empty());
    }
}
