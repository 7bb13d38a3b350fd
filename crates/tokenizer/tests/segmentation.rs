//! Segmentation of real sentences with the real IPADIC dictionary (Debian's `mecab-ipadic`,
//! compiled once per target directory).
//!
//! Snapshots live in `snapshots/`; after an intended change, review and accept them with
//! `cargo insta review` (or rerun with `INSTA_UPDATE=always` and read the diff).

use std::fmt::Write;
use std::sync::OnceLock;

use sagiguard_tokenizer::{Dictionary, DictionaryLocator, PosClass, Token, Tokenizer};

/// The real IPADIC dictionary: `SAGIGUARD_DICT`, else Debian's sources compiled into the
/// target directory.
fn dictionary() -> Dictionary {
    DictionaryLocator::from_env()
        .cache_root(concat!(env!("CARGO_TARGET_TMPDIR"), "/sagiguard-cache"))
        .load()
        .unwrap_or_else(|e| panic!("these tests need the real IPADIC dictionary: {e}"))
}

fn tokenizer() -> &'static Tokenizer {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    TOKENIZER.get_or_init(|| Tokenizer::new(dictionary()))
}

fn find<'a>(tokens: &'a [Token], surface: &str) -> &'a Token {
    tokens
        .iter()
        .find(|t| t.surface == surface)
        .unwrap_or_else(|| panic!("no token {surface:?} in {tokens:#?}"))
}

#[test]
fn a_sextortion_deadline_segments_into_nouns_and_a_number() {
    let text = "このメールを開封してから48時間以内に入金を行なってください。";
    let tokens = tokenizer().tokenize(text);
    for word in ["開封", "入金"] {
        let token = find(&tokens, word);
        assert_eq!(token.pos.class, PosClass::Noun, "{word}");
        assert!(token.known);
    }
    assert!(find(&tokens, "48").pos.is_number());
    assert_eq!(find(&tokens, "行なっ").base_form, "行なう");
    assert_eq!(find(&tokens, "ください").base_form, "くださる");
    for t in &tokens {
        assert_eq!(&text[t.span.clone()], t.surface, "span of {t:?}");
    }
}

#[test]
fn spans_point_into_full_width_and_half_width_input() {
    let text = "ＡＭＡＺＯＮより：ご登録のｸﾚｼﾞｯﾄｶｰﾄﾞ情報を２４時間以内に更新してください";
    let tokens = tokenizer().tokenize(text);
    let quoted = |surface: &str| &text[find(&tokens, surface).span.clone()];
    assert_eq!(quoted("amazon"), "ＡＭＡＺＯＮ");
    assert_eq!(quoted("クレジットカード"), "ｸﾚｼﾞｯﾄｶｰﾄﾞ");
    assert_eq!(quoted("24"), "２４");
    assert_eq!(quoted("更新"), "更新");
    // Spans are ordered, inside the text and on character boundaries.
    for pair in tokens.windows(2) {
        assert!(pair[0].span.end <= pair[1].span.start);
    }
    assert!(tokens.iter().all(|t| text.get(t.span.clone()).is_some()));
}

#[test]
fn white_space_and_empty_text_yield_no_tokens() {
    assert!(tokenizer().tokenize("").is_empty());
    assert!(tokenizer().tokenize(" \n\t　").is_empty());
}

#[test]
fn simplified_chinese_is_an_unknown_word() {
    let tokens = tokenizer().tokenize("紧急通知：您的账户已被冻结");
    let t = find(&tokens, "紧急");
    assert!(!t.known, "{t:?}");
}

fn table(text: &str) -> String {
    let mut out = String::new();
    for t in tokenizer().tokenize(text) {
        writeln!(
            out,
            "{}\t{}\t{}\t{}..{}",
            t.surface, t.base_form, t.pos, t.span.start, t.span.end
        )
        .unwrap();
    }
    out
}

#[test]
fn golden_tokenization() {
    let sentences = [
        (
            "phishing",
            "【重要】お客様のアカウントが一時停止されました。ご本人確認をお願いします。",
        ),
        (
            "delivery_sms",
            "お荷物のお届けにあがりましたが不在の為持ち帰りました。",
        ),
        (
            "ham_order",
            "ご注文いただいた商品は10月3日に発送いたしました。",
        ),
        ("homoglyph", "Αmazonプライム会員の自動更新に失敗しました"),
    ];
    for (name, text) in sentences {
        insta::assert_snapshot!(name, table(text), text);
    }
}

/// Tokens as lindera gives them, details decoded for every token: what
/// [`Tokenizer::tokenize`] returned before it kept decoded words per thread.
fn reference_tokens(
    segmenter: &lindera::segmenter::Segmenter,
    normalizer: &sagiguard_tokenizer::Normalizer,
    text: &str,
) -> Vec<Token> {
    let normalized = normalizer.normalize(text);
    let mut raw = segmenter
        .segment(std::borrow::Cow::Borrowed(normalized.as_str()))
        .unwrap();
    raw.iter_mut()
        .map(|token| {
            let span = normalized.original_span(token.byte_start..token.byte_end);
            let known = !token.word_id.is_unknown();
            let surface = token.surface.to_string();
            let details = token.details();
            let base_form = match details.get(6) {
                Some(base) if *base != "*" => (*base).to_string(),
                _ => surface.clone(),
            };
            Token {
                pos: sagiguard_tokenizer::PartOfSpeech::from_ipadic(
                    &details[..details.len().min(4)],
                ),
                surface,
                base_form,
                span,
                known,
            }
        })
        .collect()
}

#[test]
fn tokens_equal_lindera_details_on_the_whole_corpus() {
    let segmenter = lindera::segmenter::Segmenter::new(
        lindera::mode::Mode::Normal,
        dictionary().into_lindera(),
        None,
    );
    // A second tokenizer used on the same thread in turn: their cached words stay apart.
    let other = Tokenizer::with_normalizer(
        dictionary(),
        sagiguard_tokenizer::Normalizer::new(Vec::new()),
    );
    let normalizer = tokenizer().normalizer().clone();
    let (mut texts, mut tokens) = (0, 0);
    for file in ["train.jsonl", "test.jsonl"] {
        let path = format!("{}/../../data/{file}", env!("CARGO_MANIFEST_DIR"));
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            for field in ["subject", "from", "body"] {
                let text = row[field].as_str().unwrap_or("");
                let expected = reference_tokens(&segmenter, &normalizer, text);
                assert_eq!(tokenizer().tokenize(text), expected, "{path}: {text}");
                let unnormalized = reference_tokens(&segmenter, other.normalizer(), text);
                assert_eq!(other.tokenize(text), unnormalized, "{path}: {text}");
                texts += 1;
                tokens += expected.len();
            }
        }
    }
    assert!(
        texts > 6_000 && tokens > 300_000,
        "{texts} texts, {tokens} tokens"
    );
    // What the corpus lacks: sentences past lindera's 32 KiB cut (with and without a
    // normaliser, so also without NFKC's spaces), white space of every kind between words,
    // a text of white space only, and a text past the tokenizer's own 64 KiB segments
    // (cut at line breaks, as lindera cuts sentences; without them the two cut apart).
    let edges = [
        "お荷物".repeat(7_000),
        "abc".repeat(20_000),
        format!("{}。{}", "あ".repeat(10_922), "ご確認ください".repeat(3)),
        "ご確認\u{3000}ください\u{00A0}今すぐ\u{2003}入金\u{000B}して\r\n期限\t以内".repeat(40),
        " \u{3000}\t\u{00A0}\u{2003} ".to_string(),
        "至急ご連絡ください。\n".repeat(8_000),
    ];
    for text in &edges {
        let head = &text[..text.floor_char_boundary(60)];
        assert_eq!(
            tokenizer().tokenize(text),
            reference_tokens(&segmenter, &normalizer, text),
            "{head}…"
        );
        assert_eq!(
            other.tokenize(text),
            reference_tokens(&segmenter, other.normalizer(), text),
            "{head}…"
        );
    }
}

/// A caller that remembers words is asked about each word of the system dictionary before
/// its details are read, and gets the rest as it would without remembering: the same
/// morphemes in order, those it remembered left out. A dictionary word's id means the same
/// word each time (one surface, base form and part of speech).
#[test]
fn remembered_words_are_passed_over_and_the_rest_arrive_unchanged() {
    let tokenizer = tokenizer();
    let text = tokenizer.normalizer().normalize(
        "【重要】お客様のアカウントを一時停止しました。48時間以内にhttps://example.cn で\
         ご確認ください。確認が取れない場合、アカウントは停止されます。ＡＭＡＺＯＮ 丁寧語 ﾃｽﾄ",
    );
    let mut all = Vec::new();
    tokenizer.for_each_normalized_morpheme(&text, |m| all.push((m.to_token(), m.word)));
    assert!(
        all.iter().any(|(_, word)| word.is_none()),
        "an unknown word"
    );
    let mut by_word = std::collections::HashMap::new();
    for (token, word) in &all {
        assert_eq!(word.is_some(), token.known, "{token:?}");
        if let Some(word) = word {
            let first = by_word.entry(*word).or_insert(token);
            assert_eq!(
                (&first.surface, &first.base_form, &first.pos),
                (&token.surface, &token.base_form, &token.pos)
            );
        }
    }
    // Remembering every other dictionary word seen: those are asked about and left out.
    let mut asked = Vec::new();
    let mut rest = Vec::new();
    tokenizer.for_each_normalized_morpheme_unless(
        &text,
        |word| {
            asked.push(word);
            word % 2 == 0
        },
        |m| rest.push((m.to_token(), m.word)),
    );
    let known: Vec<u32> = all.iter().filter_map(|(_, word)| *word).collect();
    assert_eq!(asked, known);
    let expected: Vec<_> = all
        .iter()
        .filter(|(_, word)| word.is_none_or(|word| word % 2 != 0))
        .cloned()
        .collect();
    assert!(expected.len() < all.len() && !expected.is_empty());
    assert_eq!(rest, expected);
}
