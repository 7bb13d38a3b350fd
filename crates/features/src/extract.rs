//! One mail into named feature counts and signals.

use std::collections::HashMap;

use sagiguard_corpus::{Email, find_urls, url_host};
use sagiguard_tokenizer::{PosClass, Token, Tokenizer};

use crate::config::CheckedFeatureConfig;
use crate::domain::{registered_domain, tld};
use crate::error::{Error, Result};
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
///
/// # Errors
///
/// [`Error::Tokenize`] when the tokenizer fails.
pub fn extract(
    config: &CheckedFeatureConfig,
    tokenizer: &Tokenizer,
    email: &Email,
) -> Result<Extraction> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    // Most names repeat within a mail: look up by &str, allocate only the first time.
    let mut add = |name: &str| match counts.get_mut(name) {
        Some(count) => *count += 1,
        None => {
            counts.insert(name.to_owned(), 1);
        }
    };
    let tokenize = |text: &str| {
        tokenizer.tokenize(text).map_err(|source| Error::Tokenize {
            id: email.id.clone(),
            source,
        })
    };

    if config.morphemes {
        let body = without_urls(&email.body);
        for (field, text) in [("subject", email.subject.as_str()), ("body", body.as_str())] {
            let tokens = tokenize(text)?;
            let words = content_words(config, &tokens);
            let mut name = String::new();
            for n in 1..=usize::from(config.ngram) {
                for gram in words.windows(n) {
                    name.clear();
                    name.push_str(field);
                    name.push(':');
                    for (i, word) in gram.iter().enumerate() {
                        if i > 0 {
                            name.push('_');
                        }
                        name.push_str(word);
                    }
                    add(&name);
                }
            }
        }
        if let Some(name) = email.from.as_ref().and_then(|m| m.name.as_deref()) {
            for word in content_words(config, &tokenize(name)?) {
                add(&format!("from_name:{word}"));
            }
        }
    }
    if config.char_ngram > 0 {
        let n = usize::from(config.char_ngram);
        let text = tokenizer.normalizer().normalize(&format!(
            "{} {}",
            email.subject,
            without_urls(&email.body)
        ));
        let chars: Vec<char> = text
            .as_str()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for gram in chars.windows(n) {
            add(&format!("char:{}", gram.iter().collect::<String>()));
        }
    }
    if config.structure {
        structure(email, &mut add);
    }
    let signals = signals::detect(email);
    if config.signals {
        for signal in &signals {
            add(&format!("signal:{}", signal.kind.id()));
        }
    }
    let mut features: Vec<(String, u32)> = counts.into_iter().collect();
    features.sort_unstable();
    Ok(Extraction { features, signals })
}

/// The body without its URLs: links become `url_host` features, and the tokenizer would
/// only cut their paths into noise.
fn without_urls(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let mut last = 0;
    for found in find_urls(body) {
        text.push_str(&body[last..found.span.start]);
        text.push(' ');
        last = found.span.end;
    }
    text.push_str(&body[last..]);
    text
}

/// The base forms of the tokens `config` keeps, numbers folded.
fn content_words<'t>(config: &CheckedFeatureConfig, tokens: &'t [Token]) -> Vec<&'t str> {
    tokens
        .iter()
        .filter(|t| {
            let kept = config.keep.contains(&t.pos.class) || !t.known;
            // Dependent verbs and nouns (いる, れる, こと) are grammar, not content.
            let dependent = t.pos.is(PosClass::Verb, "非自立")
                || t.pos.is(PosClass::Verb, "接尾")
                || t.pos.is(PosClass::Noun, "非自立");
            kept && !dependent
                && t.pos.class != PosClass::Symbol
                && t.surface.chars().any(char::is_alphanumeric)
        })
        .map(|t| {
            let is_number = t.pos.is_number()
                || t.surface
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
            if config.fold_numbers && is_number {
                NUMBER
            } else {
                t.base_form.as_str()
            }
        })
        .collect()
}

/// Sender, reply and link domains, their TLDs, header mismatches, link count, forms,
/// attachment types, and look-alike shapes that are not signals.
fn structure(email: &Email, add: &mut impl FnMut(&str)) {
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
    let return_domain = email
        .return_path
        .as_deref()
        .and_then(|p| p.rsplit_once('@'))
        .map(|(_, d)| d.trim_end_matches('>').to_string());
    if differs(return_domain) {
        add("header:return_path_differs");
    }
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
}
