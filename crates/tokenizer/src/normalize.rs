//! Text normalisation that keeps the way back to the original offsets.
//!
//! Japanese mail mixes full-width Latin (`ＡＭＡＺＯＮ`), half-width katakana (`ｶｰﾄﾞ`) and
//! enclosed forms (`①`, `㈱`); the dictionary knows each word in one form only. Normalising
//! before segmentation lets one feature stand for all of them, while the alignment kept in
//! [`NormalizedText`] maps every token back to the bytes the user wrote.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{IsNormalized, is_nfkc_quick};
use unicode_segmentation::UnicodeSegmentation;

/// One normalisation step. Steps run in the order given, one grapheme cluster at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormalizeStep {
    /// Unicode NFKC: full-width Latin and digits become ASCII, half-width katakana becomes
    /// full-width (`ｶﾞ` → `ガ`), compatibility forms unfold (`①` → `1`, `㈱` → `(株)`).
    Nfkc,
    /// Lowercases cased letters, so `AMAZON`, `Amazon` and `ＡＭＡＺＯＮ` meet.
    Lowercase,
    /// Removes default-ignorable code points (zero-width space and joiners, soft hyphen,
    /// word joiner, bidirectional controls, variation selectors, tag characters): they show
    /// nothing, and inserted into 「Amazon」 or 「48時間」 they would hide the word from every
    /// pattern and from the dictionary.
    RemoveIgnorable,
}

/// Whether a character is a default-ignorable code point (Unicode
/// `Default_Ignorable_Code_Point`): rendered as nothing when a font lacks it.
#[inline]
pub fn is_default_ignorable(c: char) -> bool {
    // ASCII, kana and kanji first: none is ignorable, and they are most of a mail. Between
    // U+206F and U+FE00 only the Hangul filler U+3164 is (kana lie below it, kanji above).
    let surely_not = c < '\u{00AD}' || (('\u{2070}'..'\u{FE00}').contains(&c) && c != '\u{3164}');
    !surely_not && in_ignorable_table(c)
}

/// The default-ignorable code points, range by range.
fn in_ignorable_table(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// An ordered list of [`NormalizeStep`]s; saved with a model so that training and scoring
/// normalise alike.
///
/// | setting | default                 | purpose                     |
/// |---------|-------------------------|-----------------------------|
/// | `steps` | `[remove_ignorable, nfkc, lowercase]` | the steps, in order; may be empty |
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Normalizer {
    steps: Vec<NormalizeStep>,
}

/// The steps of [`Normalizer::default`].
const DEFAULT_STEPS: [NormalizeStep; 3] = [
    NormalizeStep::RemoveIgnorable,
    NormalizeStep::Nfkc,
    NormalizeStep::Lowercase,
];

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new(DEFAULT_STEPS.to_vec())
    }
}

impl Normalizer {
    /// Whether this is [`Normalizer::default`], without building one to compare.
    pub fn is_default(&self) -> bool {
        self.steps == DEFAULT_STEPS
    }

    /// A normaliser running `steps` in order.
    pub fn new(steps: Vec<NormalizeStep>) -> Self {
        Normalizer { steps }
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[NormalizeStep] {
        &self.steps
    }

    /// Normalises `text` and records, per grapheme cluster, where each part came from.
    ///
    /// ```
    /// use sagiguard_tokenizer::Normalizer;
    ///
    /// let original = "ＡＭＡＺＯＮのｶｰﾄﾞ";
    /// let normalized = Normalizer::default().normalize(original);
    /// assert_eq!(normalized.as_str(), "amazonのカード");
    /// // "カード" is bytes 9..18 of the normalised text, written as "ｶｰﾄﾞ" in the original.
    /// let span = normalized.original_span(9..18);
    /// assert_eq!(&original[span], "ｶｰﾄﾞ");
    /// ```
    pub fn normalize(&self, text: &str) -> NormalizedText {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut scratch = String::new();
        let mut at = 0;
        while at < text.len() {
            // Runs of plain characters are copied whole: they are most of a Japanese text.
            let run_end = plain_run_end(text, at);
            if run_end > at {
                if !pieces.last().is_some_and(|p| p.identity) {
                    pieces.push(Piece {
                        norm: out.len(),
                        orig: at,
                        identity: true,
                    });
                }
                out.push_str(&text[at..run_end]);
                at = run_end;
                continue;
            }
            let (orig, cluster) = (at, cluster_at(text, at));
            at += cluster.len();
            let norm = out.len();
            if let Some(folded) = self.fold_simple(cluster) {
                out.push(folded);
                pieces.push(Piece {
                    norm,
                    orig,
                    identity: false,
                });
                continue;
            }
            if is_plain(cluster) || self.is_stable(cluster) {
                out.push_str(cluster);
                // Unchanged clusters extend the current identity piece.
                if pieces.last().is_some_and(|p| p.identity) {
                    continue;
                }
                pieces.push(Piece {
                    norm,
                    orig,
                    identity: true,
                });
                continue;
            }
            scratch.clear();
            scratch.push_str(cluster);
            self.apply(&mut scratch);
            out.push_str(&scratch);
            let identity = scratch == cluster;
            if identity && pieces.last().is_some_and(|p| p.identity) {
                continue;
            }
            pieces.push(Piece {
                norm,
                orig,
                identity,
            });
        }
        NormalizedText {
            text: out,
            original_len: text.len(),
            pieces,
        }
    }

    /// Every step, in order, on one cluster.
    fn apply(&self, cluster: &mut String) {
        for step in &self.steps {
            *cluster = match step {
                NormalizeStep::Nfkc => cluster.nfkc().collect(),
                NormalizeStep::Lowercase => cluster.to_lowercase(),
                NormalizeStep::RemoveIgnorable => cluster
                    .chars()
                    .filter(|&c| !is_default_ignorable(c))
                    .collect(),
            };
        }
    }

    /// What the steps make of a cluster that is one ASCII capital, one full-width ASCII
    /// character or the ideographic space, the changed characters Japanese mail writes most:
    /// a table lookup instead of the steps. NFKC makes the full-width ones ASCII, and it and
    /// lowercasing commute on all of them; none is invisible. `None` for any other cluster,
    /// and where no step changes the character.
    fn fold_simple(&self, cluster: &str) -> Option<char> {
        let mut chars = cluster.chars();
        let c = chars.next()?;
        if chars.next().is_some() {
            return None;
        }
        if !folds_simply(c) {
            return None;
        }
        let lowercase = self.steps.contains(&NormalizeStep::Lowercase);
        if c.is_ascii_uppercase() {
            return lowercase.then(|| c.to_ascii_lowercase());
        }
        if !self.steps.contains(&NormalizeStep::Nfkc) {
            return None;
        }
        let ascii = if c == '\u{3000}' {
            ' '
        } else {
            char::from_u32(c as u32 - 0xFEE0)?
        };
        Some(if lowercase {
            ascii.to_ascii_lowercase()
        } else {
            ascii
        })
    }

    /// True when no step can change the cluster, so the common case copies without work.
    fn is_stable(&self, cluster: &str) -> bool {
        self.steps.iter().all(|step| match step {
            NormalizeStep::Nfkc => is_nfkc_quick(cluster.chars()) == IsNormalized::Yes,
            NormalizeStep::Lowercase => !cluster.chars().any(char::is_uppercase),
            NormalizeStep::RemoveIgnorable => !cluster.chars().any(is_default_ignorable),
        })
    }
}

/// The end of the run of plain characters from byte `at` that are clusters of their own
/// (each followed by another plain character, or by the end): `at` when there is none. A
/// plain character before a non-plain one may join it, so it is left to [`cluster_at`].
fn plain_run_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    // Each plain character is checked once: the one before it joins the run when it is.
    let mut end = at;
    let mut last_plain = None;
    let mut i = at;
    while i < bytes.len() {
        let len = plain_len(bytes, i);
        if len == 0 {
            return end;
        }
        if let Some(after) = last_plain {
            end = after;
        }
        i += len;
        last_plain = Some(i);
    }
    last_plain.unwrap_or(end)
}

/// The length in bytes of the character at `i`, a character boundary of valid UTF-8, when
/// it is plain ([`plain_char`]), else 0. Read from its bytes: decoding every character
/// and testing its ranges cost more than the rest of normalising.
#[inline]
fn plain_len(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\n' | b' '..=b'@' | b'['..=b'~' => 1,
        // U+3000 to U+30FF: CJK punctuation, hiragana, katakana.
        0xE3 => {
            let (second, third) = (bytes[i + 1], bytes[i + 2]);
            let plain = match second {
                0x80 => matches!(third, 0x81..=0x83 | 0x85..=0x91),
                0x81 => third >= 0x81,
                0x82 => matches!(third, 0x80..=0x96 | 0xA1..=0xBF),
                0x83 => third <= 0xBC,
                _ => false,
            };
            if plain { 3 } else { 0 }
        }
        // U+4E00 to U+9FFF: the common kanji.
        0xE4 if bytes[i + 1] >= 0xB8 => 3,
        0xE5..=0xE9 => 3,
        _ => 0,
    }
}

/// The grapheme cluster that starts at byte `at`. A plain character (see [`is_plain`]), an
/// ASCII capital or a width-folding character, not followed by one that could join it, is a
/// cluster of its own, which spares most Japanese text the segmentation rules, the larger
/// part of the cost of normalising.
fn cluster_at(text: &str, at: usize) -> &str {
    let mut chars = text[at..].chars();
    let c = chars.next().expect("at is inside the text");
    let alone = |c: char| plain_char(c) || folds_simply(c);
    if alone(c) && chars.next().is_none_or(alone) {
        return &text[at..at + c.len_utf8()];
    }
    text[at..]
        .graphemes(true)
        .next()
        .expect("at is inside the text")
}

/// Characters that no step changes and that never join the character before them:
/// printable ASCII but capitals, line feeds, hiragana, katakana, the common kanji and the
/// CJK punctuation Japanese prose is full of (、。「」【】・々).
pub fn plain_char(c: char) -> bool {
    matches!(c,
        '\n' | ' '..='@' | '['..='~'
        | '\u{3001}'..='\u{3003}' | '\u{3005}'..='\u{3007}' | '\u{3008}'..='\u{3011}'
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FB}' | '\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// Full-width ASCII (`！` to `～`) and the ideographic space: NFKC makes them ASCII.
fn width_folds(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')
}

/// The characters [`Normalizer::fold_simple`] answers for. None of them joins the character
/// before or after it in a cluster (tested for each), so each is a cluster of its own.
fn folds_simply(c: char) -> bool {
    c.is_ascii_uppercase() || width_folds(c)
}

fn is_plain(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    chars.next().is_some_and(plain_char) && chars.next().is_none()
}

/// A run of normalised text and the original text it came from. Inside an identity piece
/// offsets map one to one; a changed piece maps only as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    norm: usize,
    orig: usize,
    identity: bool,
}

/// Normalised text with its alignment to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizedText {
    text: String,
    original_len: usize,
    pieces: Vec<Piece>,
}

impl NormalizedText {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte range of the original text that produced `span` of the normalised text.
    /// A span that cuts into a changed cluster widens to the whole cluster.
    pub fn original_span(&self, span: Range<usize>) -> Range<usize> {
        self.to_original(span.start, false)..self.to_original(span.end, true)
    }

    /// Text already in normal form, as its own original: every span maps to itself.
    pub fn already_normal(text: String) -> NormalizedText {
        let pieces = vec![Piece {
            norm: 0,
            orig: 0,
            identity: true,
        }];
        NormalizedText {
            original_len: text.len(),
            text,
            pieces,
        }
    }

    /// Where byte `orig` of the original text falls in the normalised text, when it is a
    /// boundary both share: inside text the normaliser left unchanged, at the start of a
    /// changed cluster, or at the end. `None` inside a changed cluster.
    pub fn normalized_offset(&self, orig: usize) -> Option<usize> {
        if orig >= self.original_len {
            return (orig == self.original_len).then_some(self.text.len());
        }
        let i = self.pieces.partition_point(|p| p.orig <= orig);
        let piece = self.pieces[i.checked_sub(1)?];
        if piece.identity {
            Some(piece.norm + (orig - piece.orig))
        } else {
            (orig == piece.orig).then_some(piece.norm)
        }
    }

    fn to_original(&self, pos: usize, round_up: bool) -> usize {
        let i = self.pieces.partition_point(|p| p.norm <= pos);
        let Some(piece) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        let orig_end = self.pieces.get(i).map_or(self.original_len, |p| p.orig);
        if piece.identity {
            (piece.orig + (pos - piece.norm)).min(orig_end)
        } else if pos == piece.norm || !round_up {
            piece.orig
        } else {
            orig_end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_removed_and_offsets_kept() {
        let original = "Ama\u{200B}zonの4\u{00AD}8時\u{2060}間";
        let normalized = Normalizer::default().normalize(original);
        assert_eq!(normalized.as_str(), "amazonの48時間");
        let span = normalized.original_span(0..6);
        assert_eq!(&original[span], "Ama\u{200B}zon");
    }

    fn check(original: &str, expected: &str) {
        let n = Normalizer::default().normalize(original);
        assert_eq!(n.as_str(), expected, "normalising {original:?}");
        assert_eq!(n.original_span(0..n.as_str().len()), 0..original.len());
    }

    #[test]
    fn folds_width_case_and_compatibility_forms() {
        for (original, expected) in [
            ("ＡＭＡＺＯＮ", "amazon"),
            ("ｶｰﾄﾞ番号", "カード番号"),
            ("ｶﾞｲﾄﾞ", "ガイド"),
            ("①２４時間", "124時間"),
            ("㈱サギ", "(株)サギ"),
            ("Αmazon", "αmazon"),
            ("そのまま", "そのまま"),
            ("", ""),
        ] {
            check(original, expected);
        }
    }

    #[test]
    fn original_offsets_map_forward_where_both_texts_break() {
        let original = "お支払いＵＲＬ：ｶﾞ\u{200B}x";
        let n = Normalizer::default().normalize(original);
        assert_eq!(n.as_str(), "お支払いurl:ガx");
        let forward = |orig: usize| n.normalized_offset(orig);
        assert_eq!(forward(0), Some(0));
        assert_eq!(forward("お支".len()), Some("お支".len()));
        // Each full-width letter is a changed cluster of its own: its start maps.
        assert_eq!(forward("お支払いＵ".len()), Some("お支払いu".len()));
        assert_eq!(forward("お支払いＵ".len() + 1), None);
        // ｶﾞ is one cluster: its start maps, the voicing mark inside it does not.
        assert_eq!(
            forward("お支払いＵＲＬ：".len()),
            Some("お支払いurl:".len())
        );
        assert_eq!(forward("お支払いＵＲＬ：ｶ".len()), None);
        // The removed zero-width space maps to where it would have been.
        assert_eq!(
            forward("お支払いＵＲＬ：ｶﾞ".len()),
            Some("お支払いurl:ガ".len())
        );
        assert_eq!(forward(original.len()), Some(n.as_str().len()));
        assert_eq!(forward(original.len() + 1), None);
    }

    #[test]
    fn spans_map_back_through_changed_clusters() {
        let original = "お支払いはＵＲＬ：ｈｔｔｐｓ://ex.jp まで";
        let n = Normalizer::default().normalize(original);
        let text = n.as_str();
        let start = text.find("url").unwrap();
        assert_eq!(&original[n.original_span(start..start + 3)], "ＵＲＬ");
        let start = text.find("https").unwrap();
        assert_eq!(
            &original[n.original_span(start..start + "https://ex.jp".len())],
            "ｈｔｔｐｓ://ex.jp"
        );
        let start = text.find("まで").unwrap();
        assert_eq!(&original[n.original_span(start..start + 6)], "まで");
    }

    #[test]
    fn a_span_inside_an_expanded_cluster_widens_to_it() {
        let original = "a㈱b";
        let n = Normalizer::default().normalize(original);
        assert_eq!(n.as_str(), "a(株)b");
        // "株" alone lies inside the expansion of "㈱".
        assert_eq!(&original[n.original_span(2..5)], "㈱");
    }

    #[test]
    fn ignorables_are_the_table_whatever_the_shortcut() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_default_ignorable(c), in_ignorable_table(c), "{c:?}");
        }
    }

    #[test]
    fn a_plain_character_is_told_by_its_bytes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("{c}a");
            let want = if plain_char(c) { c.len_utf8() } else { 0 };
            assert_eq!(plain_len(text.as_bytes(), 0), want, "{c:?}");
        }
    }

    #[test]
    fn plain_characters_are_stable_under_every_step() {
        let normalizer = Normalizer::default();
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| plain_char(c))
        {
            let text = c.to_string();
            assert!(normalizer.is_stable(&text), "{c:?}");
            assert_eq!(text.nfkc().collect::<String>(), text, "{c:?}");
            assert!(!is_default_ignorable(c), "{c:?}");
        }
    }

    #[test]
    fn the_plain_character_shortcut_keeps_grapheme_clusters_whole() {
        // Characters that join the one before them (dakuten, variation selectors, ZWJ,
        // CR LF) beside plain ones; the result must equal normalising cluster by cluster.
        let alphabet = [
            "か",
            "\u{3099}",
            "\u{309A}",
            "ハ",
            "ﾊ",
            "ﾟ",
            "葛",
            "\u{E0100}",
            "\u{FE0F}",
            "a",
            "A",
            "Ａ",
            "1",
            "\r",
            "\n",
            " ",
            "\u{200D}",
            "👩",
            "é",
            "e\u{301}",
            "㈱",
            "！",
            "ー",
            "、",
            "「",
            "【",
            "・",
            "々",
            "\u{3000}",
            "ｚ",
            "～",
            "＿",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let expected: String = text
                .graphemes(true)
                .map(|g| {
                    g.chars()
                        .filter(|&c| !is_default_ignorable(c))
                        .collect::<String>()
                        .nfkc()
                        .collect::<String>()
                        .to_lowercase()
                })
                .collect();
            let n = Normalizer::default().normalize(&text);
            assert_eq!(n.as_str(), expected, "{text:?}");
            // The whole normalised text maps back over every cluster that left something;
            // invisible clusters at either end may fall outside.
            let visible: Vec<(usize, &str)> = text
                .grapheme_indices(true)
                .filter(|(_, g)| g.chars().any(|c| !is_default_ignorable(c)))
                .collect();
            if let (Some(first), Some(last)) = (visible.first(), visible.last()) {
                let span = n.original_span(0..n.as_str().len());
                assert!(
                    span.start <= first.0 && span.end >= last.0 + last.1.len(),
                    "{text:?}: {span:?}"
                );
            }
        }
    }

    #[test]
    fn simple_folding_is_what_the_steps_make_of_each_character() {
        let orders = [
            Normalizer::default(),
            Normalizer::new(vec![NormalizeStep::Lowercase, NormalizeStep::Nfkc]),
            Normalizer::new(vec![NormalizeStep::Nfkc]),
            Normalizer::new(vec![NormalizeStep::Lowercase]),
        ];
        for normalizer in &orders {
            for c in (0..=0x10FFFF).filter_map(char::from_u32) {
                let text = c.to_string();
                let Some(folded) = normalizer.fold_simple(&text) else {
                    continue;
                };
                let mut expected = text.clone();
                normalizer.apply(&mut expected);
                assert_eq!(folded.to_string(), expected, "{c:?} under {normalizer:?}");
                assert_eq!(
                    format!("{c}a").graphemes(true).count(),
                    2,
                    "{c:?} joins what follows"
                );
                assert_eq!(
                    format!("a{c}").graphemes(true).count(),
                    2,
                    "{c:?} joins what precedes"
                );
            }
        }
        assert!(orders[3].fold_simple("Ａ").is_none());
        assert!(orders[2].fold_simple("A").is_none());
        assert_eq!(orders[0].fold_simple("Q"), Some('q'));
    }

    #[test]
    fn no_steps_is_the_identity() {
        let n = Normalizer::new(vec![]).normalize("ＡＢＣ");
        assert_eq!(n.as_str(), "ＡＢＣ");
        assert_eq!(n.original_span(3..6), 3..6);
    }

    #[test]
    fn serialises_as_step_names() {
        let json = serde_json::to_string(&Normalizer::default()).unwrap();
        assert_eq!(json, r#"{"steps":["remove_ignorable","nfkc","lowercase"]}"#);
        let back: Normalizer = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Normalizer::default());
    }
}
