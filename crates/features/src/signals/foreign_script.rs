//! `foreign_script`
//!
//! **What it detects.** Writing that a Japanese writer does not produce:
//! - Han characters that no Japanese encoding (Shift_JIS with Microsoft's extensions, as
//!   encoding_rs implements it) can represent: simplified Chinese such as 紧急, 账户, 验证,
//!   您的, 请, 点击. Rare characters of Japanese names and the 2010 jōyō additions (𠮷, 𩸽,
//!   𠮟, 剝, 頰, 塡) are allowed.
//! - Honorifics and forms of address no native writer puts together: the prefix お on a
//!   Sino-Japanese word that takes ご (お確認, お登録, お利用, お連絡), ご on a native word that
//!   takes お (ご届け, ご知らせ), 貴様 as a translation's "your" before a customer's account or
//!   data (貴様のアカウント), and letter openings translated word for word (尊敬するお客様, 尊敬的顧客, 親愛なるお客様: "Dear customer").
//!
//! **Why it points to a scam.** Japanese text never needs the characters, and Japanese
//! companies do not write the phrases; both appear when a scam is machine-translated or
//! written by a non-Japanese operation. The phrases are one feature with the characters:
//! the corpus has few of either, and they mark the same origin.
//!
//! **Example.** 「【紧急】您的账户存在异常，请立即验证」, 「尊敬するお客様、アカウント情報をお確認ください」
//!
//! **Known false positives.** Chinese-language mail the recipient expects (family,
//! business with China), quotes of Chinese names in news, and Japanese written by a
//! learner (a student's or a foreign colleague's mail).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use encoding_rs::SHIFT_JIS;

use super::{Context, Field, Note, Signal, SignalKind};

/// Characters outside Shift_JIS that Japanese text still uses.
const ALLOWED: &[char] = &[
    '𠮷', '𩸽', '𠮟', '剝', '頰', '塡', '𡈽', '𠀋', '俱', '繫', '﨑', '髙',
];

/// The honorifics and openings of a non-native writer, each with the words one must be
/// followed by to count (none: it counts alone).
/// `お` before a word is wrong only where the word takes `ご`; words a native writer also
/// puts `お` before (お返信, お入金, お注文, お記入, お購入) are left out.
const PHRASES: &[(&str, &[&str])] = &[
    ("お確認", &[]),
    ("お登録", &[]),
    ("お利用", &[]),
    ("お連絡", &[]),
    ("お更新", &[]),
    ("お変更", &[]),
    ("お解除", &[]),
    ("お認証", &[]),
    ("お入力", &[]),
    ("お送金", &[]),
    ("お申請", &[]),
    ("お承認", &[]),
    ("お提供", &[]),
    ("お注意", &[]),
    ("お協力", &[]),
    ("お理解", &[]),
    ("お案内", &[]),
    ("お請求", &[]),
    ("お対応", &[]),
    ("お検証", &[]),
    ("お送信", &[]),
    ("お回答", &[]),
    ("ご届け", &[]),
    ("ご知らせ", &[]),
    ("ご願い", &[]),
    ("ご客様", &[]),
    ("ご荷物", &[]),
    ("貴様", YOUR),
    ("尊敬する", ADDRESSED),
    ("尊敬なる", ADDRESSED),
    ("尊敬的", ADDRESSED),
    ("親愛なる", ADDRESSED),
];

/// Leftmost-first, so that the search can skip ahead with a vectorised prefilter (Teddy)
/// instead of walking every byte.
pub(super) static PHRASE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(PHRASES.iter().map(|(phrase, _)| phrase))
        .expect("the phrases build an automaton")
});

/// 貴様 counts only as a translation's "your" before the reader's account or data, or as
/// a salutation: fiction and quoted dialogue use it as an insult.
const YOUR: &[&str] = &[
    "のアカウント",
    "の口座",
    "のカード",
    "の会員",
    "のお客",
    "のご利用",
    "の利用",
    "のご登録",
    "の登録",
    "の情報",
    "のメール",
    "のパスワード",
    "の個人",
    "のID",
    "各位",
];

/// The translated openings count only before the reader they address (with 様 quoted
/// where it follows).
const ADDRESSED: &[&str] = &[
    "お客様",
    "お客",
    "会員様",
    "会員",
    "ユーザー様",
    "ユーザー",
    "顧客",
    "利用者様",
    "利用者",
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
            field: Field::Body,
            note: None,
        });
        return;
    }
    for (field, text) in ctx.raw_texts() {
        if let Some(span) = unnatural_phrase(text) {
            out.push(Signal {
                kind: SignalKind::ForeignScript,
                evidence: text[span].to_string(),
                field,
                note: Some(Note::UnnaturalPhrase),
            });
            return;
        }
    }
}

/// The first honorific or opening in `text` that a native writer would not use.
fn unnatural_phrase(text: &str) -> Option<std::ops::Range<usize>> {
    PHRASE.find_iter(text).find_map(|found| {
        let (phrase, followers) = PHRASES[found.pattern().as_usize()];
        if !followers.is_empty() {
            let follower = followers
                .iter()
                .find(|follower| text[found.end()..].starts_with(**follower))?;
            return Some(found.start()..found.end() + follower.len());
        }
        // なお確認 is "further, confirm", not お on 確認.
        let native = phrase.starts_with('お') && text[..found.start()].ends_with('な');
        (!native).then(|| found.range())
    })
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

    use super::super::test_support::{found, mail, signals_of};
    use super::super::{Field, SignalKind};
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

    #[test]
    fn a_non_natives_honorifics_are_found_with_their_words() {
        let cases = [
            ("", "内容をお確認ください。", "お確認"),
            ("アカウントのお登録について", "", "お登録"),
            (
                "",
                "尊敬するお客様へ\nいつもご利用ありがとうございます。",
                "尊敬するお客様",
            ),
            ("", "尊敬的顧客様", "尊敬的顧客"),
            ("", "親愛なる会員の皆様", "親愛なる会員"),
            ("", "貴様のアカウントは停止されます", "貴様のアカウント"),
            ("", "お荷物をご届けできませんでした", "ご届け"),
        ];
        for (subject, body, evidence) in cases {
            let signals = signals_of(&mail(subject, "a@b.jp", body), SignalKind::ForeignScript);
            assert_eq!(signals.len(), 1, "{subject}{body}");
            assert_eq!(signals[0].evidence, evidence, "{subject}{body}");
            assert_eq!(signals[0].note, Some(super::Note::UnnaturalPhrase));
            let field = if subject.is_empty() {
                Field::Body
            } else {
                Field::Subject
            };
            assert_eq!(signals[0].field, field, "{subject}{body}");
        }
    }

    #[test]
    fn a_native_writers_honorifics_are_not() {
        for body in [
            "なお確認のため、お名前をお知らせください。",
            "ご確認ください。ご登録ありがとうございます。ご連絡をお待ちしております。",
            "お支払い、お手続き、お届け、お振込み、お問い合わせ、お客様各位",
            "お返信ありがとう！お注文の品は明日お届けします。ご注文ありがとうございました。",
            "尊敬する先輩へ、親愛なる友へ",
            "「貴様、何者だ！」と彼は叫んだ。貴様の負けだ。",
            "貴社ますますご清栄のこととお慶び申し上げます。",
        ] {
            assert!(
                found(&mail("お知らせ", "a@b.jp", body), SignalKind::ForeignScript).is_empty(),
                "{body}"
            );
        }
    }

    #[test]
    fn characters_come_before_phrases() {
        let hits = found(
            &mail("", "a@b.jp", "尊敬するお客様、请点击确认"),
            SignalKind::ForeignScript,
        );
        assert_eq!(hits.len(), 1);
        assert!(hits[0].contains('请'), "{hits:?}");
    }
}
