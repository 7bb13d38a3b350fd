//! The brands scams imitate: their names, Latin spellings and official domains, from
//! `data/brands.toml` (compiled in; see that file for how entries are chosen).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use serde::Deserialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_security::confusable_detection::skeleton;

use crate::domain::is_within;

const BRANDS_TOML: &str = include_str!("../data/brands.toml");

/// A brand that scams impersonate.
#[derive(Debug, Clone, Deserialize)]
pub struct Brand {
    /// Stable identifier, e.g. `amazon`.
    pub id: String,
    /// What kind of brand: `ecommerce`, `card`, `bank`, `delivery`, …
    pub category: String,
    /// How mail names the brand, in Japanese and Latin script.
    pub names: Vec<String>,
    /// Latin-script brand words that homoglyph spellings are compared with.
    #[serde(default)]
    pub latin: Vec<String>,
    /// Registered domains the brand really sends from and links to.
    pub domains: Vec<String>,
    /// Where the brand asks to be sent mail that impersonates it, when it publishes one.
    #[serde(default)]
    pub report: Option<String>,
    /// Words that contain a name without naming the brand (`jalan`, a travel site, holds
    /// `JAL`): a name found only inside one of them is no claim.
    #[serde(default)]
    pub not_in: Vec<String>,
    /// `names`, folded for matching.
    #[serde(skip)]
    folded_names: Vec<String>,
    /// `not_in`, folded.
    #[serde(skip)]
    folded_not_in: Vec<String>,
    /// Confusable skeletons of the Latin words and of the katakana names.
    #[serde(skip)]
    skeletons: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct Table {
    brand: Vec<Brand>,
}

/// Case and width folding used for every brand comparison, without the invisible characters
/// that would hide a brand (「Ama\u{200B}zon」).
pub fn fold(text: &str) -> String {
    let visible = visible(text);
    // NFKC can be taken piece by piece, cut before characters that are their own NFKC and
    // never combine with what precedes them (plain ones: kana, kanji, ASCII): most pieces
    // are one plain character and skip the decomposition, the larger part of the cost.
    // Plain characters are also their own lowercase, so only the other pieces are
    // lowercased, character by character: `str::to_lowercase` over the whole text looked
    // up every kana and kanji in its tables. Its one rule with context, a final Σ, is left
    // to it.
    let mut folded = String::with_capacity(visible.len());
    let mut sigma = false;
    let mut push = |piece: &str, plain: bool| {
        if plain {
            folded.push_str(piece);
            return;
        }
        let mut lower = |c: char| {
            sigma |= c == 'Σ';
            if c.is_ascii() {
                folded.push(c.to_ascii_lowercase());
            } else {
                folded.extend(c.to_lowercase());
            }
        };
        if is_nfkc_quick(piece.chars()) == IsNormalized::Yes {
            piece.chars().for_each(&mut lower);
        } else {
            piece.nfkc().for_each(&mut lower);
        }
    };
    // A piece is a plain character and what follows it up to the next plain one.
    let (mut piece_start, mut plain) = (0, true);
    for (i, c) in visible.char_indices() {
        if sagiguard_tokenizer::plain_char(c) {
            if i > piece_start {
                push(&visible[piece_start..i], plain);
            }
            (piece_start, plain) = (i, true);
        } else {
            plain = false;
        }
    }
    push(&visible[piece_start..], plain);
    if sigma {
        return fold_with_context(&visible);
    }
    folded
}

/// `text` without the invisible characters that would hide a brand.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(sagiguard_tokenizer::is_default_ignorable) {
        text.chars()
            .filter(|&c| !sagiguard_tokenizer::is_default_ignorable(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// [`fold`] by whole-text passes, for text whose lowercase depends on context.
fn fold_with_context(visible: &str) -> String {
    visible.nfkc().collect::<String>().to_lowercase()
}

/// [`fold`] as it was first written, whole-text passes only: what the fast one is tested
/// against.
#[cfg(test)]
pub(crate) fn fold_reference(text: &str) -> String {
    text.chars()
        .filter(|&c| !sagiguard_tokenizer::is_default_ignorable(c))
        .collect::<String>()
        .nfkc()
        .collect::<String>()
        .to_lowercase()
}

/// The confusable skeleton (UTS #39) of a folded word, itself folded, without combining
/// marks: `Αmazon`, `AMAZ0N` and `amazon` share one; so do `ヤマ卜` and `ヤマト`.
pub fn skeleton_of(word: &str) -> String {
    folded_skeleton(&fold(word))
}

/// [`skeleton_of`] taken before lowercasing: capitals have confusables of their own that
/// lowercasing loses (`AppIe` with a capital I for l, `PayPaI`), so a word with capitals is
/// compared both ways.
pub fn cased_skeleton_of(word: &str) -> String {
    folded_skeleton(&visible(word).nfkc().collect::<String>())
}

/// The skeleton of `text`, lowercased, without combining marks.
fn folded_skeleton(text: &str) -> String {
    skeleton(text)
        .collect::<String>()
        .to_lowercase()
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// Every brand in the table.
pub fn brands() -> &'static [Brand] {
    static BRANDS: OnceLock<Vec<Brand>> = OnceLock::new();
    BRANDS.get_or_init(|| {
        let table: Table = toml::from_str(BRANDS_TOML).expect("data/brands.toml is valid");
        table
            .brand
            .into_iter()
            .map(|mut b| {
                b.folded_names = b.names.iter().map(|n| fold(n)).collect();
                b.folded_not_in = b.not_in.iter().map(|n| fold(n)).collect();
                let katakana: Vec<String> = b.names.iter().flat_map(|n| katakana_runs(n)).collect();
                b.skeletons = b
                    .latin
                    .iter()
                    .chain(&katakana)
                    .map(|w| (fold(w), skeleton_of(w)))
                    .collect();
                b.skeletons.dedup();
                b
            })
            .collect()
    })
}

/// The katakana words of a name (`ヤマト` of `ヤマト運輸`), three characters or longer.
fn katakana_runs(name: &str) -> Vec<String> {
    name.split(|c: char| !('\u{30A1}'..='\u{30FA}').contains(&c) && c != 'ー')
        .filter(|run| run.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

impl Brand {
    /// Whether `domain` (a registered domain or any host) is one of the brand's own.
    pub fn is_official(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| is_within(domain, d))
    }
}

/// Brand words in one Aho-Corasick automaton: every brand word in a text in one pass,
/// instead of a substring search per brand word.
struct WordIndex {
    automaton: AhoCorasick,
    /// `(brand, word)` indices of each pattern; `word` is `None` for a word that holds a
    /// brand word without naming the brand.
    owners: Vec<(usize, Option<usize>)>,
}

impl WordIndex {
    /// An index of each brand's `words`, and of the words its `excluding` ones may not lie in.
    fn new(
        words: impl Fn(&'static Brand) -> Vec<&'static str>,
        excluding: impl Fn(&'static Brand) -> Vec<&'static str>,
    ) -> WordIndex {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (b, brand) in brands().iter().enumerate() {
            for (w, word) in words(brand).into_iter().enumerate() {
                patterns.push(word);
                owners.push((b, Some(w)));
            }
            for word in excluding(brand) {
                patterns.push(word);
                owners.push((b, None));
            }
        }
        let automaton = AhoCorasick::new(patterns).expect("brand words build an automaton");
        WordIndex { automaton, owners }
    }

    /// Each brand with a word in `text` outside its excluding words, in table order, with
    /// its first such word's index.
    fn find(&self, text: &str) -> Vec<(&'static Brand, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut words: Vec<(usize, usize, Range<usize>)> = Vec::new();
        let mut excluding: Vec<(usize, Range<usize>)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            match self.owners[m.pattern().as_usize()] {
                (b, Some(w)) => words.push((b, w, m.range())),
                (b, None) => excluding.push((b, m.range())),
            }
        }
        if excluding.is_empty() {
            found.extend(words.into_iter().map(|(b, w, _)| (b, w)));
        } else {
            // A word lies inside an excluding one of its brand when, of those starting at or
            // before it, one reaches its end: sorted by (brand, start) with the furthest end
            // so far, each word is one binary search, not a scan (a long text repeating a
            // brand's name must stay linear).
            excluding.sort_unstable_by_key(|(b, span)| (*b, span.start));
            let mut reach: Vec<usize> = Vec::with_capacity(excluding.len());
            for (i, (b, span)) in excluding.iter().enumerate() {
                let before = (i > 0 && excluding[i - 1].0 == *b).then(|| reach[i - 1]);
                reach.push(before.unwrap_or(0).max(span.end));
            }
            found.extend(words.into_iter().filter_map(|(b, w, span)| {
                let i = excluding.partition_point(|(e, s)| (*e, s.start) <= (b, span.start));
                let inside = i > 0 && excluding[i - 1].0 == b && reach[i - 1] >= span.end;
                (!inside).then_some((b, w))
            }));
        }
        found.sort_unstable();
        found.dedup_by_key(|(b, _)| *b);
        found.into_iter().map(|(b, w)| (&brands()[b], w)).collect()
    }
}

fn skeleton_index() -> &'static WordIndex {
    static INDEX: OnceLock<WordIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        WordIndex::new(
            |b| b.skeletons.iter().map(|(_, s)| s.as_str()).collect(),
            |_| Vec::new(),
        )
    })
}

fn name_index() -> &'static WordIndex {
    static INDEX: OnceLock<WordIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        WordIndex::new(
            |b| b.folded_names.iter().map(String::as_str).collect(),
            |b| b.folded_not_in.iter().map(String::as_str).collect(),
        )
    })
}

/// Builds the brand table and its word indexes (see [`crate::prepare`]).
pub(crate) fn prepare() {
    skeleton_index();
    name_index();
}

/// The brands with a word whose skeleton `word_skeleton` contains, in table order, each
/// with the folded spelling of its first such word.
pub(crate) fn lookalikes_in(word_skeleton: &str) -> Vec<(&'static Brand, &'static str)> {
    skeleton_index()
        .find(word_skeleton)
        .into_iter()
        .map(|(brand, w)| (brand, brand.skeletons[w].0.as_str()))
        .collect()
}

/// The brands `folded_text` (see [`fold`]) names, in table order, each with the first of
/// its names found.
pub(crate) fn named_in(folded_text: &str) -> Vec<(&'static Brand, &'static str)> {
    name_index()
        .find(folded_text)
        .into_iter()
        .map(|(brand, w)| (brand, brand.names[w].as_str()))
        .collect()
}

/// The brands named in a text.
pub fn claimed_in(text: &str) -> Vec<&'static Brand> {
    named_in(&fold(text)).into_iter().map(|(b, _)| b).collect()
}

/// The brand a domain officially belongs to.
pub fn owner_of(domain: &str) -> Option<&'static Brand> {
    brands().iter().find(|b| b.is_official(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_equals_whole_text_folding_on_the_corpus_and_edge_cases() {
        let mut texts: Vec<String> = [
            "ＡＭＡＺＯＮ\nｶｰﾄﾞ",
            "e\n\u{301}x",
            "\u{301}\nΑΣ\nΣa ΟΔΟΣ\n",
            "Ama\u{200B}zon\u{200B}\nﾞ",
            "カ\u{3099}\nか\n\u{3099}",
            "ǅ ﬁ ㍿ ①\r\n\n",
            "「\u{3099}」Ａ、\u{301}ｶ\u{3099}か\u{309A}",
            "ΑϹ ΣΑϹ. ϹΑ aΣ",
            "AMAZON.CO.JP ＡＭＡＺＯＮ Ⅻ ß İstanbul",
            "",
        ]
        .map(String::from)
        .to_vec();
        for file in ["train.jsonl", "test.jsonl"] {
            let path = format!("{}/../../data/{file}", env!("CARGO_MANIFEST_DIR"));
            for line in std::fs::read_to_string(path).unwrap().lines() {
                let row: serde_json::Value = serde_json::from_str(line).unwrap();
                for field in ["subject", "from", "body"] {
                    texts.push(row[field].as_str().unwrap_or("").to_string());
                }
            }
        }
        let normalizer = sagiguard_tokenizer::Normalizer::default();
        for text in &texts {
            assert_eq!(fold(text), fold_reference(text), "{text:?}");
            // The signals find claimed brands in the default normaliser's text instead.
            let ids = |found: Vec<(&Brand, &str)>| -> Vec<(String, String)> {
                found
                    .into_iter()
                    .map(|(b, n)| (b.id.clone(), n.to_string()))
                    .collect()
            };
            assert_eq!(
                ids(named_in(normalizer.normalize(text).as_str())),
                ids(named_in(&fold(text))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_table_loads_and_covers_the_corpus_brands() {
        let ids: Vec<&str> = brands().iter().map(|b| b.id.as_str()).collect();
        assert!(ids.len() >= 40, "{ids:?}");
        for brand in brands() {
            assert!(!brand.domains.is_empty(), "{}", brand.id);
            assert!(!brand.names.is_empty(), "{}", brand.id);
        }
        for domain in [
            "amazon.co.jp",
            "smbc-card.com",
            "mufg.jp",
            "kuronekoyamato.co.jp",
            "nta.go.jp",
            "paidy.com",
            // Hosts of the brands' own sites and mailers that their genuine mail uses.
            "moneykit.net",
            "googlemail.com",
            "media.rakuten-sec.net",
            "www.daiwa.jp",
            "www.stat.go.jp",
        ] {
            assert!(owner_of(domain).is_some(), "{domain}");
        }
    }

    /// A name inside a word its brand lists in `not_in` is no claim; the same name beside
    /// it still is.
    #[test]
    fn a_name_inside_an_unrelated_word_is_no_claim() {
        let ids =
            |text: &str| -> Vec<&str> { claimed_in(text).iter().map(|b| b.id.as_str()).collect() };
        for text in [
            "宿はここでどう？ https://www.jalan.net/yad387251/",
            "じゃらんnet <info@jalan.net> ご予約ありがとうございます",
            "JALAN.NET",
            "jalanjalan、楽天トラベルと jalan.net",
        ] {
            assert!(!ids(text).contains(&"jal"), "{text}: {:?}", ids(text));
        }
        for text in [
            "【JAL】マイルの有効期限のお知らせ",
            "jalan.net で宿を取り、JAL で飛びます",
            "JAL里程即将过期",
            "jalan と jalan.net、そして JAL",
            "JAL のあとに jalan",
        ] {
            assert!(ids(text).contains(&"jal"), "{text}: {:?}", ids(text));
        }
        assert!(ids("楽天トラベルと jalan.net").contains(&"rakuten"));
        // Many repeats: the answer still depends on the one name outside them.
        let many = "jalan ".repeat(5_000);
        assert!(!ids(&many).contains(&"jal"));
        assert!(ids(&(many + "JAL")).contains(&"jal"));
        // Every excluding word holds one of its brand's names, or it would exclude nothing.
        for brand in brands() {
            for word in &brand.folded_not_in {
                assert!(
                    brand.folded_names.iter().any(|n| word.contains(n.as_str())),
                    "{}: {word}",
                    brand.id
                );
            }
        }
    }

    #[test]
    fn skeletons_unite_homoglyph_spellings() {
        for (a, b) in [
            ("Αmazon", "amazon"),
            ("AMAZ0N", "amazon"),
            ("rnercari", "mercari"),
            ("ヤマ卜", "ヤマト"),
            ("カ一ド", "カード"),
        ] {
            assert_eq!(skeleton_of(a), skeleton_of(b), "{a} ~ {b}");
        }
        assert_ne!(skeleton_of("amazing"), skeleton_of("amazon"));
    }
}
