//! One mail into named feature counts and signals.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use sagiguard_corpus::{Email, find_urls, url_host};
use sagiguard_tokenizer::{Morpheme, NormalizedText, PosClass, Tokenizer};

use crate::brands::{Brand, owner_of};
use crate::config::CheckedFeatureConfig;
use crate::domain::{registered_domain, tld};
use crate::signals::{self, Signal, katakana_lookalikes, wallet_shaped};

/// What a number becomes when numbers are folded.
const NUMBER: &str = "#";

/// The features of one mail by name, with counts, and the signals found in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Feature names and how often each occurs, sorted by name.
    pub features: Vec<(String, u32)>,
    /// The signals, which are also among the features as `signal:<kind>`.
    pub signals: Vec<Signal>,
}

/// Extracts the features `config` asks for.
pub fn extract(config: &CheckedFeatureConfig, tokenizer: &Tokenizer, email: &Email) -> Extraction {
    let mut counts: HashMap<String, u32, foldhash::fast::RandomState> = HashMap::default();
    // Most names repeat within a mail: look up by &str, allocate only the first time.
    let signals = extract_with(config, tokenizer, email, &mut |name: &str| match counts
        .get_mut(name)
    {
        Some(count) => *count += 1,
        None => {
            counts.insert(name.to_owned(), 1);
        }
    });
    let mut features: Vec<(String, u32)> = counts.into_iter().collect();
    features.sort_unstable();
    Extraction { features, signals }
}

/// Calls `add` with the name of every feature occurrence `config` asks for, in no
/// particular order, and returns the signals: [`extract`] without building the names'
/// table, for a caller that only looks names up (scoring).
pub fn extract_with(
    config: &CheckedFeatureConfig,
    tokenizer: &Tokenizer,
    email: &Email,
    add: &mut dyn FnMut(&str),
) -> Vec<Signal> {
    let email = &*crate::bounds::bounded(email);
    let mut words = Words::default();
    let content_words = |text: &NormalizedText, words: &mut Words| {
        words.clear();
        tokenizer.for_each_normalized_morpheme(text, |m| {
            if let Some(word) = content_word(config, &m) {
                words.push(word);
            }
        });
    };

    let body = without_urls(&email.body);
    let body = unmasked(&body);
    let subject = unmasked(&email.subject);
    // The signals normalise the subject and body as they are with the default normaliser:
    // where the text segmented is the same under the same normaliser, it is done once.
    let normalizer = tokenizer.normalizer();
    let shareable = normalizer.is_default();
    let mut shared = signals::Normalized::default();
    if config.morphemes {
        let mut name = String::new();
        for (field, segmented, original, slot) in [
            (
                "subject",
                &subject.text,
                &email.subject,
                &mut shared.subject,
            ),
            ("body", &body.text, &email.body, &mut shared.body),
        ] {
            let text = normalizer.normalize(segmented);
            content_words(&text, &mut words);
            for n in 1..=usize::from(config.ngram) {
                for start in 0..words.len().saturating_sub(n - 1) {
                    name.clear();
                    name.push_str(field);
                    name.push(':');
                    for i in start..start + n {
                        if i > start {
                            name.push('_');
                        }
                        name.push_str(words.get(i));
                    }
                    add(&name);
                }
            }
            if shareable && segmented == original {
                *slot = Some(text);
            }
        }
        if let Some(from_name) = email.from.as_ref().and_then(|m| m.name.as_deref()) {
            content_words(&normalizer.normalize(from_name), &mut words);
            for i in 0..words.len() {
                name.clear();
                name.push_str("from_name:");
                name.push_str(words.get(i));
                add(&name);
            }
        }
    }
    if config.char_ngram > 0 {
        let n = usize::from(config.char_ngram);
        let text = tokenizer
            .normalizer()
            .normalize(&format!("{} {}", subject.text, body.text));
        let chars: Vec<char> = text
            .as_str()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for gram in chars.windows(n) {
            add(&format!("char:{}", gram.iter().collect::<String>()));
        }
    }
    let signals::Findings { signals, claimed } = signals::detect_with_claims(email, shared);
    if config.structure {
        structure(email, &claimed, add);
        for _ in 0..subject.masks + body.masks {
            add("shape:masked");
        }
    }
    if config.signals {
        for signal in &signals {
            add(&format!("signal:{}", signal.kind.id()));
        }
    }
    signals
}

/// A text's content words, kept in one buffer instead of a string each.
#[derive(Default)]
struct Words {
    text: String,
    ends: Vec<usize>,
}

impl Words {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn push(&mut self, word: &str) {
        self.text.push_str(word);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.text[start..self.ends[i]]
    }
}

/// The body without its URLs: links become `url_host` features, and the tokenizer would
/// only cut their paths into noise. A defanged or masked link leaves a mask mark behind.
fn without_urls(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let mut last = 0;
    for found in find_urls(body) {
        text.push_str(&body[last..found.span.start]);
        text.push_str(if found.defanged { " *** " } else { " " });
        last = found.span.end;
    }
    text.push_str(&body[last..]);
    text
}

/// Masked spans as publishers and forwarders write them: `*****`, `＊＊`, `○○`, `XXXX`, `~~~`,
/// `■■`. Real scams reach people and reports with such masks, and genuine notices mask card
/// and member numbers: as words they would teach the model whichever label the corpus
/// happened to mask more, so they are one placeholder class instead.
static MASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[*＊]{2,}|[○〇●◯]{2,}|(?-u:\b)[xX]{3,}|[xX]{4,}|[ｘＸ]{3,}|[~〜～]{3,}|[■□×]{2,}")
        .expect("the mask pattern is valid")
});

/// A text with its masked spans blanked, and how many there were.
struct Unmasked {
    text: String,
    masks: usize,
}

fn unmasked(text: &str) -> Unmasked {
    let masks = MASK.find_iter(text).count();
    let text = if masks == 0 {
        text.to_string()
    } else {
        MASK.replace_all(text, " ").into_owned()
    };
    Unmasked { text, masks }
}

/// The word a morpheme contributes when `config` keeps it: its base form (its surface
/// for unknown words and symbols under `raw_unknown`), numbers folded.
fn content_word<'m>(config: &CheckedFeatureConfig, m: &Morpheme<'m>) -> Option<&'m str> {
    let raw = config.raw_unknown && (!m.known || m.pos.class == PosClass::Symbol);
    let kept = if raw {
        !m.surface.trim().is_empty()
    } else {
        let kept = config.keep.contains(&m.pos.class) || !m.known;
        // Dependent verbs and nouns (いる, れる, こと) are grammar, not content.
        let dependent = m.pos.is(PosClass::Verb, "非自立")
            || m.pos.is(PosClass::Verb, "接尾")
            || m.pos.is(PosClass::Noun, "非自立");
        kept && !dependent
            && m.pos.class != PosClass::Symbol
            && m.surface.chars().any(char::is_alphanumeric)
    };
    if !kept {
        return None;
    }
    let is_number = m.pos.is_number()
        || m.surface
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
    Some(if config.fold_numbers && is_number {
        NUMBER
    } else if raw {
        m.surface
    } else {
        m.base_form
    })
}

/// Sender, reply and link domains, their TLDs, header mismatches, link count, forms,
/// attachment types, and look-alike shapes that are not signals.
fn structure(email: &Email, claimed: &[&'static Brand], add: &mut dyn FnMut(&str)) {
    let from_domain = email
        .from
        .as_ref()
        .and_then(|m| m.domain())
        .and_then(|d| registered_domain(&d));
    match &from_domain {
        Some(domain) => {
            add(&format!("from_domain:{domain}"));
            if let Some(tld) = tld(domain) {
                add(&format!("from_tld:{tld}"));
            }
        }
        None => add("header:no_from"),
    }
    let differs = |other: Option<String>| {
        let other = other.and_then(|d| registered_domain(&d));
        other.is_some() && other != from_domain
    };
    if differs(email.reply_to.as_ref().and_then(|m| m.domain())) {
        add("header:reply_to_differs");
    }
    // Return-Path is left out with the other transport headers: delivery adds it, so a
    // mail learned from a folder would not match the one that was scored.
    let links = email.links.len();
    add(&format!(
        "links:{}",
        match links {
            0 => "0",
            1 => "1",
            2..=3 => "2-3",
            4..=9 => "4-9",
            _ => "10+",
        }
    ));
    for link in &email.links {
        let Some(host) = url_host(&link.href) else {
            continue;
        };
        if let Some(domain) = registered_domain(&host) {
            add(&format!("url_host:{domain}"));
        }
        match tld(&host) {
            Some(tld) => add(&format!("url_tld:{tld}")),
            None => add("url:ip"),
        }
        if link.href.to_ascii_lowercase().starts_with("http://") {
            add("url:http");
        }
    }
    if email.html_forms > 0 {
        add("html:form");
    }
    // Nesting genuine mail does not use: forwarded mail reaches 3 or 4 levels, evasion more.
    if email.mime_depth > 4 {
        add("mime:deep");
    }
    form(email, add);
    brand_links(email, claimed, add);
    for name in &email.attachments {
        let ext = name
            .rsplit_once('.')
            .map_or("none".to_string(), |(_, e)| e.to_lowercase());
        add(&format!("attachment:{ext}"));
    }
    let text = format!("{}\n{}", email.subject, email.body);
    for _ in 0..katakana_lookalikes(&text) {
        add("shape:katakana_lookalike");
    }
    if wallet_shaped(&text) > 0 {
        add("shape:wallet");
    }
    for _ in 0..invisible_in_words(&text) {
        add("shape:invisible_in_word");
    }
}

/// How many invisible characters (zero-width space, soft hyphen, joiners, bidirectional
/// controls…) stand inside a word, between two letters or digits: no genuine sender types
/// them there, filter evaders do (「Ama\u{200B}zon」).
fn invisible_in_words(text: &str) -> usize {
    let mut count = 0;
    // The last visible character, and the one before the run of invisible ones being read.
    let mut last: Option<char> = None;
    let mut before_run: Option<Option<char>> = None;
    for c in text.chars() {
        if sagiguard_tokenizer::is_default_ignorable(c) {
            before_run.get_or_insert(last);
            continue;
        }
        if let Some(before) = before_run.take()
            && before.is_some_and(char::is_alphanumeric)
            && c.is_alphanumeric()
        {
            count += 1;
        }
        last = Some(c);
    }
    count
}

/// Whether a feature says something about what a mail says or where it comes from, rather
/// than only its form (`form:…`), which every mail has.
pub fn is_content(name: &str) -> bool {
    !name.starts_with("form:")
}

/// The form of the message: a text without subject or sender (an SMS, a pasted note) reads
/// differently from a mail, and its length says what kind of text it is.
fn form(email: &Email, add: &mut dyn FnMut(&str)) {
    if email.subject.trim().is_empty() {
        add("form:no_subject");
        if email.from.is_none() {
            add("form:no_headers");
        }
    }
    let chars = email.body.chars().filter(|c| !c.is_whitespace()).count();
    add(match chars {
        0..100 => "form:length_under_100",
        100..200 => "form:length_100_200",
        200..500 => "form:length_200_500",
        500..1000 => "form:length_500_1000",
        1000..2000 => "form:length_1000_2000",
        _ => "form:length_2000_up",
    });
}

/// The brands a mail claims (display name, subject, body, look-alike spellings included)
/// against the hosts it links to, with or without a sender: a claimed brand whose mail
/// links only to hosts no brand owns is what smishing looks like; a link to the claimed
/// brand's own domain is what its genuine notices look like.
fn brand_links(email: &Email, claimed: &[&'static Brand], add: &mut dyn FnMut(&str)) {
    if claimed.is_empty() {
        return;
    }
    add("brand:claimed");
    // The sender's own domain is the brand's: what a genuine notice has and a look-alike
    // cannot (spoofed headers aside, which authentication results catch before us).
    let from_domain = email.from.as_ref().and_then(|m| m.domain());
    match from_domain {
        Some(domain) if claimed.iter().any(|b| b.is_official(&domain)) => {
            add("brand:from_official")
        }
        Some(_) => add("brand:from_elsewhere"),
        None => {}
    }
    for link in &email.links {
        let Some(host) = url_host(&link.href) else {
            continue;
        };
        if claimed.iter().any(|b| b.is_official(&host)) {
            add("brand:link_official");
        } else if owner_of(&host).is_none() {
            add("brand:link_offsite");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count over a vector of the characters, as before the one-pass scan.
    fn invisible_in_words_reference(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        let mut count = 0;
        let mut i = 0;
        while i < chars.len() {
            if sagiguard_tokenizer::is_default_ignorable(chars[i]) {
                let start = i;
                while i < chars.len() && sagiguard_tokenizer::is_default_ignorable(chars[i]) {
                    i += 1;
                }
                let before = start.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(i).copied();
                if before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric)
                {
                    count += 1;
                }
            } else {
                i += 1;
            }
        }
        count
    }

    #[test]
    fn invisible_characters_inside_words_are_counted_once_per_run() {
        assert_eq!(invisible_in_words("Ama\u{200B}zon"), 1);
        assert_eq!(invisible_in_words("Ama\u{200B}\u{200D}zon ア\u{00AD}マ"), 2);
        assert_eq!(invisible_in_words("\u{200B}Amazon\u{200B} 。\u{200B}a"), 0);
    }

    proptest::proptest! {
        #[test]
        fn invisible_characters_are_counted_as_over_the_characters(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "ア", "漢", "1", " ", "。", "\u{200B}", "\u{00AD}", "\u{FEFF}", "\u{E0001}",
                ]),
                0..12,
            ),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(
                invisible_in_words(&text),
                invisible_in_words_reference(&text)
            );
        }
    }
}
