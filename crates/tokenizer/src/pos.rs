//! Parts of speech, typed.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The major word class of IPADIC's part-of-speech system (品詞).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PosClass {
    /// 名詞
    Noun,
    /// 動詞
    Verb,
    /// 形容詞
    Adjective,
    /// 副詞
    Adverb,
    /// 連体詞
    Adnominal,
    /// 接続詞
    Conjunction,
    /// 助詞
    Particle,
    /// 助動詞
    AuxiliaryVerb,
    /// 感動詞
    Interjection,
    /// 接頭詞
    Prefix,
    /// 記号
    Symbol,
    /// フィラー
    Filler,
    /// その他
    Other,
}

impl PosClass {
    /// Every class, in IPADIC's order.
    pub const ALL: [PosClass; 13] = [
        PosClass::Noun,
        PosClass::Verb,
        PosClass::Adjective,
        PosClass::Adverb,
        PosClass::Adnominal,
        PosClass::Conjunction,
        PosClass::Particle,
        PosClass::AuxiliaryVerb,
        PosClass::Interjection,
        PosClass::Prefix,
        PosClass::Symbol,
        PosClass::Filler,
        PosClass::Other,
    ];

    const NAMES: [(PosClass, &'static str); 13] = [
        (PosClass::Noun, "名詞"),
        (PosClass::Verb, "動詞"),
        (PosClass::Adjective, "形容詞"),
        (PosClass::Adverb, "副詞"),
        (PosClass::Adnominal, "連体詞"),
        (PosClass::Conjunction, "接続詞"),
        (PosClass::Particle, "助詞"),
        (PosClass::AuxiliaryVerb, "助動詞"),
        (PosClass::Interjection, "感動詞"),
        (PosClass::Prefix, "接頭詞"),
        (PosClass::Symbol, "記号"),
        (PosClass::Filler, "フィラー"),
        (PosClass::Other, "その他"),
    ];

    /// The class named by IPADIC's first part-of-speech field; anything else is `Other`.
    pub fn from_ipadic(name: &str) -> Self {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map_or(PosClass::Other, |(class, _)| *class)
    }

    /// The IPADIC name, e.g. `名詞`.
    pub fn ipadic_name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, n)| *n)
            .expect("every class has a name")
    }

    /// Nouns, verbs, adjectives and adverbs: the words that carry a mail's content.
    pub fn is_content(self) -> bool {
        matches!(
            self,
            PosClass::Noun | PosClass::Verb | PosClass::Adjective | PosClass::Adverb
        )
    }
}

/// A part of speech: the major class and up to three IPADIC subclasses
/// (`名詞,固有名詞,組織` is `Noun` with `["固有名詞", "組織"]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartOfSpeech {
    /// The major class.
    pub class: PosClass,
    /// The subclasses, most general first, without IPADIC's `*` placeholders.
    pub subclasses: Vec<String>,
}

impl PartOfSpeech {
    /// Builds a part of speech from IPADIC's four part-of-speech fields.
    pub fn from_ipadic(fields: &[&str]) -> Self {
        PartOfSpeech {
            class: PosClass::from_ipadic(fields.first().copied().unwrap_or("")),
            subclasses: fields
                .iter()
                .skip(1)
                .take(3)
                .filter(|f| **f != "*" && !f.is_empty())
                .map(|f| (*f).to_string())
                .collect(),
        }
    }

    /// Whether the first subclass is `sub`, e.g. `数` for numbers.
    pub fn is(&self, class: PosClass, sub: &str) -> bool {
        self.class == class && self.subclasses.first().is_some_and(|s| s == sub)
    }

    /// A number written in digits or kanji numerals (`名詞,数`).
    pub fn is_number(&self) -> bool {
        self.is(PosClass::Noun, "数")
    }
}

impl fmt::Display for PartOfSpeech {
    /// IPADIC's notation: `名詞,固有名詞,組織`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class.ipadic_name())?;
        for sub in &self.subclasses {
            write!(f, ",{sub}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_round_trips_through_its_ipadic_name() {
        for (class, name) in PosClass::NAMES {
            assert_eq!(PosClass::from_ipadic(name), class);
            assert_eq!(class.ipadic_name(), name);
        }
        assert_eq!(PosClass::from_ipadic("UNK"), PosClass::Other);
    }

    #[test]
    fn subclasses_drop_placeholders() {
        let pos = PartOfSpeech::from_ipadic(&["名詞", "固有名詞", "組織", "*"]);
        assert_eq!(pos.class, PosClass::Noun);
        assert_eq!(pos.subclasses, ["固有名詞", "組織"]);
        assert_eq!(pos.to_string(), "名詞,固有名詞,組織");
        assert!(PartOfSpeech::from_ipadic(&["名詞", "数", "*", "*"]).is_number());
        assert!(!pos.is_number());
    }
}
