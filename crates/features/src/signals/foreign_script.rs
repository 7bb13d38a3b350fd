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
    let mut buf = [0u8; 4];
    let (_, _, unmappable) = SHIFT_JIS.encode(c.encode_utf8(&mut buf));
    unmappable
}

#[cfg(test)]
mod tests {
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
