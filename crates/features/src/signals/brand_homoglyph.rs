//! `brand_homoglyph`
//!
//! **What it detects.** A brand from `data/brands.toml` written with look-alike
//! characters: Greek or Cyrillic letters among Latin ones (`Αmazon`, `Аррle`), digits for
//! letters (`AMAZ0N`, `paypa1`), `rn` for `m` (`rnercari`), full-width letters mixed with
//! ASCII, and inside katakana the kanji that look like kana (`ヤマ卜` with 卜 for ト, `カ一ド`
//! with 一 for ー, 工 for エ, 口 for ロ, 力 for カ, 夕 for タ).
//!
//! **Why it points to a scam.** No genuine sender misspells its own name; look-alikes exist
//! to pass a glance and to slip past filters that match the real spelling.
//!
//! **Example.** 「【Αmazon】お支払い方法の更新」 (the first letter is Greek Alpha).
//!
//! **Known false positives.** Text that quotes a phishing example, such as a safety
//! broadcast that writes the fake spelling out; a Greek or Cyrillic word that happens to
//! fold onto a brand.
//!
//! Confusable skeletons (UTS #39) are computed per run of Latin-like or katakana
//! characters only: applied to a whole Japanese text they would fold kana onto kanji.

use std::cell::RefCell;
use std::collections::HashMap;

use sagiguard_corpus::Email;

use super::{Context, Field, Signal, SignalKind};
use crate::brands::{Brand, cased_skeleton_of, fold, lookalikes_in, skeleton_of};

/// Kanji that stand in for katakana of the same shape.
const KANA_LOOKALIKES: &[char] = &['一', '工', '口', '力', '夕', '卜', '二', '八', '才'];

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    // A run written twice is one finding: `detect_with_claims` keeps the first of each
    // kind and evidence.
    for (field, run, brand) in &ctx.lookalikes {
        out.push(Signal {
            kind: SignalKind::BrandHomoglyph,
            evidence: format!("{run} ({})", brand.names[0]),
            field: field.clone(),
            note: None,
        });
    }
}

/// Every run of the mail's texts (see [`texts`]) that spells a brand with look-alikes, in
/// text order: found once per mail for this signal, the sender check and the features.
pub(super) fn lookalikes(email: &Email) -> Vec<(Field, &str, &'static Brand)> {
    let mut found = Vec::new();
    for (field, text) in texts(email) {
        for run in runs(text) {
            if let Some(brand) = homoglyph_brand(run) {
                found.push((field.clone(), run, brand));
            }
        }
    }
    found
}

/// The raw texts a brand can be written in: display name, subject, body, link texts.
pub(super) fn texts(email: &Email) -> Vec<(Field, &str)> {
    let mut texts = Vec::new();
    if let Some(name) = email.sender_name() {
        texts.push((Field::From, name));
    }
    texts.push((Field::Subject, email.subject.as_str()));
    texts.push((Field::Body, email.body.as_str()));
    for (i, link) in email.links.iter().enumerate() {
        if let Some(text) = &link.text {
            texts.push((Field::Link(i), text.as_str()));
        }
    }
    texts
}

#[derive(Clone, Copy, PartialEq)]
enum Script {
    LatinLike,
    Katakana,
}

fn script(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => Some(Script::LatinLike),
        '\u{00C0}'..='\u{024F}' | '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}' => {
            Some(Script::LatinLike)
        }
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            Some(Script::LatinLike)
        }
        '\u{2160}'..='\u{217F}' => Some(Script::LatinLike), // Roman numerals: ⅿ for m
        '\u{30A1}'..='\u{30FA}' | 'ー' => Some(Script::Katakana),
        c if KANA_LOOKALIKES.contains(&c) => Some(Script::Katakana),
        _ => None,
    }
}

/// What a character is to a run.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    Letter(Script),
    /// Invisible: neither ends nor starts a run.
    Ignorable,
    Break,
}

fn class(c: char) -> Class {
    // Most characters of a Japanese mail are ASCII, hiragana or kanji: answered first,
    // before the range tables (a run scan touches every character of every mail).
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Letter(Script::LatinLike)
        } else {
            Class::Break
        };
    }
    if ('\u{3041}'..='\u{309F}').contains(&c)
        || (('\u{4E00}'..='\u{9FFF}').contains(&c) && !KANA_LOOKALIKES.contains(&c))
    {
        return Class::Break;
    }
    if sagiguard_tokenizer::is_default_ignorable(c) {
        return Class::Ignorable;
    }
    script(c).map_or(Class::Break, Class::Letter)
}

/// Maximal runs of one script, at least three characters long.
fn runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    // The run being read: where it starts, its script, how many characters it has.
    let mut current: Option<(usize, Script, usize)> = None;
    for (i, c) in text.char_indices() {
        let class = class(c);
        match (&mut current, class) {
            // Counted as the run's text holds it, as a character of the run.
            (Some((_, _, n)), Class::Ignorable) => *n += 1,
            (None, Class::Ignorable) => {}
            (Some((_, script, n)), Class::Letter(s)) if *script == s => *n += 1,
            (_, class) => {
                if let Some((begin, _, n)) = current
                    && n >= 3
                {
                    runs.push(&text[begin..i]);
                }
                current = match class {
                    Class::Letter(s) => Some((i, s, 1)),
                    _ => None,
                };
            }
        }
    }
    if let Some((begin, _, n)) = current
        && n >= 3
    {
        runs.push(&text[begin..]);
    }
    runs
}

/// Runs up to this long are remembered per thread with their answer: words recur from
/// mail to mail, and their skeletons cost more than the rest of the signals together.
const REMEMBERED_RUN_BYTES: usize = 64;
/// How many answers a thread remembers before it starts afresh.
const REMEMBERED_RUNS: usize = 1 << 14;

/// The brand a run spells with look-alikes, when it is not simply the brand's own spelling.
fn homoglyph_brand(run: &str) -> Option<&'static Brand> {
    type Seen = HashMap<Box<str>, Option<&'static Brand>, foldhash::fast::RandomState>;
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
    }
    if run.len() > REMEMBERED_RUN_BYTES {
        return spelled_brand(run);
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(&brand) = seen.get(run) {
            return brand;
        }
        let brand = spelled_brand(run);
        if seen.len() >= REMEMBERED_RUNS {
            seen.clear();
        }
        seen.insert(run.into(), brand);
        brand
    })
}

fn spelled_brand(run: &str) -> Option<&'static Brand> {
    let folded = fold(run);
    let skeleton = skeleton_of(run);
    // Full-width and ASCII letters mixed in one word is a disguise of its own.
    let mixed_width = run.chars().any(|c| c.is_ascii_alphanumeric())
        && run.chars().any(|c| ('\u{FF10}'..='\u{FF5A}').contains(&c));
    let disguised = |skeleton: &str| {
        lookalikes_in(skeleton)
            .into_iter()
            .find(|(_, word)| !folded.contains(word) || mixed_width)
            .map(|(brand, _)| brand)
    };
    disguised(&skeleton).or_else(|| {
        if run.chars().any(char::is_uppercase) {
            disguised(&cased_skeleton_of(run))
        } else {
            None
        }
    })
}

/// How many kanji stand in for katakana inside katakana words (`カ一ド`), brand or not.
#[cfg(test)]
fn katakana_lookalikes(text: &str) -> usize {
    let mut count = KatakanaLookalikes::default();
    text.chars().for_each(|c| count.push(c));
    count.count()
}

/// [`katakana_lookalikes`] read a character at a time, so that one pass over a text can
/// count other things beside it.
#[derive(Default)]
pub(crate) struct KatakanaLookalikes {
    /// The two characters before the current one.
    before: Option<char>,
    last: Option<char>,
    count: usize,
}

impl KatakanaLookalikes {
    #[inline]
    pub(crate) fn push(&mut self, c: char) {
        let is_kana = |c: char| ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー';
        // Every look-alike is a kanji: the range test spares the list for kana and ASCII.
        if let (Some(b), Some(l)) = (self.before, self.last)
            && l >= '\u{4E00}'
            && KANA_LOOKALIKES.contains(&l)
            && is_kana(c)
            && is_kana(b)
        {
            self.count += 1;
        }
        (self.before, self.last) = (self.last, Some(c));
    }

    pub(crate) fn count(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{found, mail};
    use super::*;

    /// The plain scan `runs` replaced: every character classified by the range tables,
    /// a run's length counted over its text.
    fn runs_reference(text: &str) -> Vec<&str> {
        let mut runs = Vec::new();
        let mut start: Option<(usize, Script)> = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if i < text.len() && sagiguard_tokenizer::is_default_ignorable(c) {
                continue;
            }
            let s = if i < text.len() { script(c) } else { None };
            match (start, s) {
                (Some((_, current)), Some(s)) if s == current => {}
                (Some((begin, _)), s) => {
                    runs.push(&text[begin..i]);
                    start = s.map(|s| (i, s));
                }
                (None, s) => start = s.map(|s| (i, s)),
            }
        }
        runs.into_iter()
            .filter(|r| r.chars().count() >= 3)
            .collect()
    }

    #[test]
    fn runs_are_those_of_the_plain_scan() {
        let texts = [
            "",
            "ab",
            "abc",
            "A\u{200B}B",
            "A\u{200B}BC",
            "AB\u{200B}",
            "\u{200B}ABC\u{FEFF}",
            "ヤマ卜運輸のお荷物",
            "カ一ドの確認、二八才",
            "Αmazonアカウント AMAZ0N ＡＭＡＺＯＮ ⅿercari",
            "お客様のＩＤ：１２３４５ ｱﾏｿﾞﾝ 2024年 https://amaz0n-jp.top/x",
            "Ωmega ёжик ÀÉÎ ゠ァヴー ヺ",
            "一二三四五 工口力夕卜 ひらがなだけ",
        ];
        for text in texts {
            assert_eq!(runs(text), runs_reference(text), "{text:?}");
        }
    }

    #[test]
    fn look_alike_spellings_are_found() {
        let cases = [
            (
                "【Αmazon】お支払い方法の更新",
                "Amazon <no-reply@amazon.co.jp>",
                "Αmazon",
            ),
            ("AMAZ0Nアカウントの確認", "info@example.top", "AMAZ0N"),
            ("rnercariからのお知らせ", "info@example.top", "rnercari"),
            ("Аррle IDがロックされました", "info@example.top", "Аррle"),
            // Capital I for l: lowercasing alone would read `appie`.
            ("AppIe IDに不審なサインイン", "info@example.top", "AppIe"),
            ("PayPaIアカウントの制限", "info@example.top", "PayPaI"),
            ("ΑPPΙΕ IDの確認", "info@example.top", "ΑPPΙΕ"),
            (
                "ヤマ卜運輸よりお荷物のお知らせ",
                "info@example.top",
                "ヤマ卜",
            ),
        ];
        for (subject, from, word) in cases {
            let hits = found(&mail(subject, from, "本文"), SignalKind::BrandHomoglyph);
            assert!(
                hits.iter().any(|h| h.starts_with(word)),
                "{subject}: {hits:?}"
            );
        }
    }

    #[test]
    fn an_sms_sender_name_is_read_for_look_alikes() {
        let mut sms = mail("", "", "ご本人確認のお願い");
        sms.sender = Some("AMAZ0N".into());
        assert_eq!(found(&sms, SignalKind::BrandHomoglyph), ["AMAZ0N (Amazon)"]);
        sms.sender = Some("Amazon".into());
        assert!(found(&sms, SignalKind::BrandHomoglyph).is_empty());
    }

    #[test]
    fn genuine_spellings_and_japanese_text_are_quiet() {
        let cases = [
            (
                "Amazon.co.jpでのご注文",
                "Amazon.co.jp <auto-confirm@amazon.co.jp>",
                "ご注文ありがとうございます。",
            ),
            (
                "ＡＭＡＺＯＮ　タイムセール",
                "shop@example.jp",
                "アカウントとカードの確認をお願いします。",
            ),
            (
                "ヤマト運輸 お届け予定",
                "mail@kuronekoyamato.co.jp",
                "メルカリで購入した商品です。",
            ),
            (
                "APPLE STORE・MERCARI・GMAIL・SBI・LINE",
                "news@example.jp",
                "PAYPAL、UNIQLO、ICLOUD、ITUNES、MICROSOFT、NINTENDO のご案内。",
            ),
            (
                "会議のお知らせ",
                "a@example.jp",
                "一覧はページ一番下のリンクから。工場見学、口座、力学。",
            ),
        ];
        for (subject, from, body) in cases {
            let hits = found(&mail(subject, from, body), SignalKind::BrandHomoglyph);
            assert!(hits.is_empty(), "{subject}: {hits:?}");
        }
    }

    #[test]
    fn katakana_lookalikes_are_counted_anywhere() {
        assert_eq!(katakana_lookalikes("カ一ド番号とパスワ一ドを入力"), 2);
        assert_eq!(katakana_lookalikes("ページ一覧と工場"), 0);
        // Overlapping windows and the text's ends.
        assert_eq!(katakana_lookalikes("ヤ一ト一ク"), 2);
        assert_eq!(katakana_lookalikes("一ドカ一"), 0);
        assert_eq!(katakana_lookalikes("カ一"), 0);
        assert_eq!(katakana_lookalikes(""), 0);
        // The count passes over characters below the first look-alike.
        assert!(KANA_LOOKALIKES.iter().all(|&c| c >= '\u{4E00}'));
        for &c in KANA_LOOKALIKES {
            assert_eq!(katakana_lookalikes(&format!("ア{c}イ")), 1, "{c}");
        }
    }
}
