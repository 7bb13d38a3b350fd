//! `foreign_script`
//!
//! **What it detects.** Han characters that no Japanese encoding (Shift_JIS with Microsoft's
//! extensions, as encoding_rs implements it) can represent: simplified Chinese such as
//! 紧急, 账户, 验证, 您的, 请, 点击. Rare characters of Japanese names and the 2010 jōyō
//! additions (𠮷, 𩸽, 𠮟, 剝, 頰, 塡) are allowed.
//!
//! **Why it points to a scam.** Japanese text never needs them; they appear when a scam is
//! machine-translated or written by a non-Japanese operation.
//!
//! **Example.** 「【紧急】您的账户存在异常，请立即验证」
//!
//! **Known false positives.** Chinese-language mail the recipient expects (family,
//! business with China), and quotes of Chinese names in news.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::SHIFT_JIS;

use super::{Context, Signal, SignalKind};

/// Characters outside Shift_JIS that Japanese text still uses.
const ALLOWED: &[char] = &[
    '𠮷', '𩸽', '𠮟', '剝', '頰', '塡', '𡈽', '𠀋', '俱', '繫', '﨑', '髙',
];

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    let mut found: Vec<char> = Vec::new();
    for text in [&ctx.email.subject, &ctx.email.body] {
        for c in text.chars() {
            if is_foreign_han(c) && !found.contains(&c) {
                found.push(c);
            }
        }
    }
    if !found.is_empty() {
        out.push(Signal {
            kind: SignalKind::ForeignScript,
            evidence: found.iter().take(8).collect(),
            field: super::Field::Body,
            note: None,
        });
    }
}

/// Whether `c` is a Han character Japanese encodings cannot hold.
pub(crate) fn is_foreign_han(c: char) -> bool {
    let han =
        matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{20000}'..='\u{2FA1F}');
    if !han || ALLOWED.contains(&c) {
        return false;
    }
    match u32::from(c).checked_sub(BMP_HAN_START) {
        Some(offset) if c < '\u{A000}' => memo().unmappable(offset as usize, c),
        _ => unmappable(c),
    }
}

const BMP_HAN_START: u32 = 0x3400;
const BMP_HAN_WORDS: usize = (0xA000 - BMP_HAN_START as usize).div_ceil(64);

/// Shift_JIS mappability of U+3400..U+9FFF, one character at a time as mail shows it:
/// encoding_rs finds a kanji by search, too slow to repeat for every character of every
/// mail, and filling the whole table up front would add ~25 ms to the start of every process.
struct Memo {
    known: Vec<AtomicU64>,
    unmappable: Vec<AtomicU64>,
}

impl Memo {
    fn unmappable(&self, offset: usize, c: char) -> bool {
        let (word, bit) = (offset / 64, 1u64 << (offset % 64));
        if self.known[word].load(Ordering::Acquire) & bit != 0 {
            return self.unmappable[word].load(Ordering::Relaxed) & bit != 0;
        }
        let answer = unmappable(c);
        // Racing threads compute the same answer; the unmappable bit is set before the
        // known bit, so a reader that sees "known" sees the answer.
        if answer {
            self.unmappable[word].fetch_or(bit, Ordering::Release);
        }
        self.known[word].fetch_or(bit, Ordering::Release);
        answer
    }
}

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(|| Memo {
        known: (0..BMP_HAN_WORDS).map(|_| AtomicU64::new(0)).collect(),
        unmappable: (0..BMP_HAN_WORDS).map(|_| AtomicU64::new(0)).collect(),
    })
}

fn unmappable(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, unmappable) = SHIFT_JIS.encode(c.encode_utf8(&mut buf));
    unmappable
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_agrees_with_the_encoder() {
        for code in (0x3400..0x4DC0).chain(0x4E00..0xA000) {
            let c = char::from_u32(code).unwrap();
            assert_eq!(
                is_foreign_han(c),
                super::unmappable(c) && !super::ALLOWED.contains(&c),
                "{c}"
            );
        }
    }

    use super::super::SignalKind;
    use super::super::test_support::{found, mail};
    use super::is_foreign_han;

    #[test]
    fn simplified_chinese_is_foreign() {
        let hits = found(
            &mail("【紧急】您的账户存在异常", "a@b.jp", "请立即验证"),
            SignalKind::ForeignScript,
        );
        assert_eq!(hits.len(), 1);
        assert!(hits[0].contains('紧') && hits[0].contains('账'), "{hits:?}");
    }

    #[test]
    fn japanese_is_not() {
        for c in "緊急口座確認髙橋﨑𠮷野家剝がす斎藤齋藤".chars() {
            assert!(!is_foreign_han(c), "{c}");
        }
        assert!(
            found(
                &mail("緊急のお知らせ", "a@b.jp", "アカウントの確認"),
                SignalKind::ForeignScript
            )
            .is_empty()
        );
    }
}
