//! One mail into named feature counts and signals.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use sagiguard_corpus::{Email, FoundLinks, find_addresses, find_links, url_host};
use sagiguard_tokenizer::{Morpheme, NormalizedText, PosClass, Tokenizer};

use crate::brands::{Brand, owner_of};
use crate::config::CheckedFeatureConfig;
use crate::domain::{is_foreign_country, registered_domain, tld};
use crate::letters::random_label;
use crate::sender::Phone;
use crate::signals::{self, KatakanaLookalikes, Signal};

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
    // `&mut dyn FnMut` is a sink through the blanket impl; the callee takes `&mut dyn Sink`.
    let mut add = add;
    extract_into(config, tokenizer, email, &mut add)
}

/// Where extraction sends features: by name, and, to a sink that remembers, the words of
/// the subject and body by dictionary word, so that a word seen before skips being made
/// into a name and looked up.
pub(crate) trait Sink {
    /// One occurrence of the feature `name`.
    fn add(&mut self, name: &str);

    /// Whether the sink remembers words ([`Sink::recall`], [`Sink::remember`]).
    fn remembers(&self) -> bool {
        false
    }

    /// Adds what word `key` gave when it was remembered, and says whether it was.
    fn recall(&mut self, _key: u32) -> bool {
        false
    }

    /// Adds `name`, the feature word `key` gives (none: it gives none), and remembers it.
    fn remember(&mut self, _key: u32, name: Option<&str>) {
        if let Some(name) = name {
            self.add(name);
        }
    }
}

impl<F: FnMut(&str) + ?Sized> Sink for F {
    fn add(&mut self, name: &str) {
        self(name)
    }
}

/// The key a sink remembers a word of `field` (0 the subject, 1 the body) by: its word of
/// the system dictionary, whose surface, base form and part of speech, and so the feature
/// it gives, are fixed for one tokenizer and settings. `None` past the keys' range.
fn word_key(word: u32, field: u32) -> Option<u32> {
    (word < 1 << 31).then_some(word << 1 | field)
}

/// [`extract_with`] into a [`Sink`].
pub(crate) fn extract_into(
    config: &CheckedFeatureConfig,
    tokenizer: &Tokenizer,
    email: &Email,
    sink: &mut dyn Sink,
) -> Vec<Signal> {
    let email = &*crate::bounds::bounded(email);
    let mut words = Words::for_texts_of(email.subject.len().max(email.body.len()));
    let content_words = |text: &NormalizedText, words: &mut Words| {
        words.clear();
        tokenizer.for_each_normalized_morpheme(text, |m| {
            if let Some(word) = content_word(config, &m) {
                words.push(word);
            }
        });
    };

    // The links found when the mail was read, unless the body has changed since.
    let found;
    let body_links = match email.body_links.for_text(&email.body) {
        Some(links) => links,
        None => {
            found = find_links(&email.body);
            &found
        }
    };
    let body = cut(&email.body, Some(body_links));
    let subject = cut(&email.subject, None);
    // The signals read the subject and body as the default normaliser gives them: under
    // that normaliser each is normalised once, for the signals and the tokenizer both.
    let normalizer = tokenizer.normalizer();
    let shareable = normalizer.is_default();
    let mut shared = signals::Normalized::default();
    if config.morphemes {
        let mut name = String::with_capacity(64);
        for (field, key_field, segmented, original, slot) in [
            ("subject", 0, &subject, &email.subject, &mut shared.subject),
            ("body", 1, &body, &email.body, &mut shared.body),
        ] {
            let text = if !shareable || segmented.edits.is_empty() {
                normalizer.normalize(&segmented.text)
            } else {
                // The signals need the whole text normalised: the text segmented is cut
                // from it where that gives what normalising the cut text would.
                let whole = normalizer.normalize(original);
                let text = segmented.cut_normalized(original, &whole).map_or_else(
                    || normalizer.normalize(&segmented.text),
                    NormalizedText::already_normal,
                );
                *slot = Some(whole);
                text
            };
            if config.ngram == 1 && sink.remembers() {
                // One feature per word at most: a word remembered is its feature (or none),
                // without its name being made and looked up. Two callbacks take turns with
                // the sink: the first answers for remembered words before their details are
                // read, the second sees the others.
                let shared_sink = RefCell::new(&mut *sink);
                tokenizer.for_each_normalized_morpheme_unless(
                    &text,
                    |word| {
                        word_key(word, key_field)
                            .is_some_and(|key| shared_sink.borrow_mut().recall(key))
                    },
                    |m| {
                        let key = m.word.and_then(|word| word_key(word, key_field));
                        let word = content_word(config, &m);
                        if let Some(word) = word {
                            name.clear();
                            name.push_str(field);
                            name.push(':');
                            name.push_str(word);
                        }
                        let named = word.map(|_| name.as_str());
                        let mut sink = shared_sink.borrow_mut();
                        match key {
                            Some(key) => sink.remember(key, named),
                            None => named.into_iter().for_each(|name| sink.add(name)),
                        }
                    },
                );
            } else {
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
                        sink.add(&name);
                    }
                }
            }
            if shareable && segmented.edits.is_empty() {
                *slot = Some(text);
            }
        }
        // A sender without an address (an SMS's) gives no words: anyone can send under a
        // brand's name, and the few such senders per brand made words of noise (measured).
        if let Some(from_name) = email.from.as_ref().and_then(|m| m.name.as_deref()) {
            content_words(&normalizer.normalize(from_name), &mut words);
            for i in 0..words.len() {
                name.clear();
                name.push_str("from_name:");
                name.push_str(words.get(i));
                sink.add(&name);
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
            sink.add(&format!("char:{}", gram.iter().collect::<String>()));
        }
    }
    let findings = signals::detect_with_claims(email, shared);
    if config.structure {
        structure(email, &findings, &mut |name: &str| sink.add(name));
        // One piece of evidence, where its pieces as words would be five.
        if body.addresses > 0 {
            sink.add("shape:address");
        }
        if config.mask_feature {
            for _ in 0..subject.masks + body.masks {
                sink.add("shape:masked");
            }
        }
    }
    if config.signals {
        for signal in &findings.signals {
            sink.add(&format!("signal:{}", signal.kind.id()));
        }
    }
    findings.signals
}

/// A text's content words, kept in one buffer instead of a string each.
struct Words {
    text: String,
    ends: Vec<usize>,
}

impl Words {
    /// Buffers sized at once for texts of up to `bytes`: grown word by word, they were
    /// copied over and over (a tenth of short mail's allocator time).
    fn for_texts_of(bytes: usize) -> Words {
        Words {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(bytes / 4 + 1),
        }
    }

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

/// Masked spans as publishers and forwarders write them: `*****`, `＊＊`, `○○`, `XXXX`, `~~~`,
/// `■■`, and digits masked in twos (`0120-xx-339`, `〒330-08xx`, `126.214.xx.xx`). Real scams
/// reach people and reports with such masks, and genuine notices mask card and member
/// numbers: as words they would teach the model whichever label the corpus happened to mask
/// more, so they are one placeholder class instead. A run of x is a mask only where it is
/// not part of a word (see [`masks`]).
pub(crate) static MASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[*＊]{2,}|[○〇●◯]{2,}|[xX]{2,}|[ｘＸ]{2,}|[~〜～]{3,}|[■□×]{2,}")
        .expect("the mask pattern is valid")
});

/// The masks of `text`, in order: [`MASK`]'s matches but for a short run of x inside a word
/// (`Exxon`, `xxl`, `ｘｘｌ`). Four or more x are a mask anywhere.
pub(crate) fn masks(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    MASK.find_iter(text).map(|m| m.range()).filter(|r| {
        let run = &text[r.clone()];
        let wide = run.starts_with(['ｘ', 'Ｘ']);
        if !wide && !run.starts_with(['x', 'X']) {
            return true;
        }
        let letter = |c: char| {
            c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
        };
        let length = run.chars().count();
        length >= if wide { 3 } else { 4 }
            || !(text[..r.start].chars().next_back().is_some_and(letter)
                || text[r.end..].chars().next().is_some_and(letter))
    })
}

/// A text as the tokenizer segments it: links cut out (they become `url_host` features,
/// and the tokenizer would only cut their paths into noise; a defanged or masked link
/// leaves a mask behind), e-mail addresses cut out as links are, and masked spans blanked,
/// with how many masks there were and what was replaced where.
struct Cut {
    text: String,
    masks: usize,
    /// How many e-mail addresses were cut.
    addresses: usize,
    /// Each replaced range of the original text and what stands there instead, in order.
    edits: Vec<(Range<usize>, &'static str)>,
}

/// `original` cut, with `links` (those [`find_links`] finds in it) cut out when given.
fn cut(original: &str, links: Option<&FoundLinks>) -> Cut {
    // The text without links, and where each of its parts starts here and in the original
    // (`None` for what stands in for a link).
    let mut linkless = String::with_capacity(original.len());
    let mut parts: Vec<(usize, Option<usize>)> = Vec::new();
    let mut edits: Vec<(Range<usize>, &'static str)> = Vec::new();
    let mut last = 0;
    let mut address_count = 0;
    if let Some(found) = links {
        // A masked link is cut as a defanged one is: what is left of it is a mask.
        let mut spans: Vec<(Range<usize>, bool)> = found
            .urls
            .iter()
            .map(|url| (url.span.clone(), url.defanged))
            .chain(found.masked.iter().map(|span| (span.clone(), true)))
            .collect();
        // An address is cut as a plain link is; the `@` of a URL's user part is the URL's.
        // The links lie apart and in order, so the one an address could overlap is the
        // first that ends after it starts: a binary search, not a scan per address.
        spans.sort_unstable_by_key(|(span, _)| span.start);
        let addresses: Vec<Range<usize>> = find_addresses(original)
            .into_iter()
            .filter(|a| {
                let next = spans.partition_point(|(l, _)| l.end <= a.start);
                spans.get(next).is_none_or(|(l, _)| a.end <= l.start)
            })
            .collect();
        address_count = addresses.len();
        spans.extend(addresses.into_iter().map(|span| (span, false)));
        spans.sort_unstable_by_key(|(span, _)| span.start);
        for (span, defanged) in spans {
            parts.push((linkless.len(), Some(last)));
            linkless.push_str(&original[last..span.start]);
            parts.push((linkless.len(), None));
            // The defanged link's mark is itself a mask: blanked below, it leaves spaces.
            let (mark, blanked) = if defanged {
                (" *** ", "   ")
            } else {
                (" ", " ")
            };
            linkless.push_str(mark);
            edits.push((span.clone(), blanked));
            last = span.end;
        }
    }
    parts.push((linkless.len(), Some(last)));
    linkless.push_str(&original[last..]);
    // Each mask blanked to one space, as it is found.
    let mut mask_count = 0;
    let mut blanked = String::new();
    let mut kept = 0;
    for m in masks(&linkless) {
        mask_count += 1;
        let part = parts.partition_point(|(start, _)| *start <= m.start) - 1;
        if let (start, Some(orig)) = parts[part] {
            let at = orig + (m.start - start);
            edits.push((at..at + m.len(), " "));
        }
        blanked.push_str(&linkless[kept..m.start]);
        blanked.push(' ');
        kept = m.end;
    }
    edits.sort_unstable_by_key(|(range, _)| range.start);
    let text = if mask_count == 0 {
        linkless
    } else {
        blanked.push_str(&linkless[kept..]);
        blanked
    };
    Cut {
        text,
        masks: mask_count,
        addresses: address_count,
        edits,
    }
}

impl Cut {
    /// The cut text normalised, taken from `whole`, the original normalised, where every
    /// cut lies between characters that never join their neighbours (so both texts break
    /// into the same clusters around it); `None` elsewhere, to be normalised anew.
    fn cut_normalized(&self, original: &str, whole: &NormalizedText) -> Option<String> {
        let simple = |c: char| c.is_ascii() || sagiguard_tokenizer::plain_char(c);
        let normal = whole.as_str();
        let mut out = String::with_capacity(normal.len());
        let mut at = 0;
        for (range, replacement) in &self.edits {
            let before = original[..range.start].chars().next_back();
            let after = original[range.end..].chars().next();
            if !before.is_none_or(simple) || !after.is_none_or(simple) {
                return None;
            }
            out.push_str(
                normal.get(whole.normalized_offset(at)?..whole.normalized_offset(range.start)?)?,
            );
            out.push_str(replacement);
            at = range.end;
        }
        out.push_str(normal.get(whole.normalized_offset(at)?..)?);
        Some(out)
    }
}

/// `char::is_alphanumeric`, with kana and the common kanji answered by their ranges first:
/// the standard library's table search is most of the cost for them, and they are most of
/// the words.
fn alphanumeric(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}')
        || c.is_alphanumeric()
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
        kept && !dependent && m.pos.class != PosClass::Symbol && m.surface.chars().any(alphanumeric)
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
/// The From address's registered domain, the brands claimed and the wallet shape come from
/// the signals, which derived them.
fn structure(email: &Email, findings: &signals::Findings, add: &mut dyn FnMut(&str)) {
    let (from_domain, claimed) = (findings.sender_domain.as_deref(), &findings.claimed);
    match from_domain {
        Some(domain) => {
            add(&format!("from_domain:{domain}"));
            let brand_owned = owner_of(domain).is_some();
            if let Some(tld) = tld(domain) {
                // Pooled, so that a country the corpus never sent from still counts; a
                // brand's own domain (`youtu.be`, `lin.ee`) is no country's.
                if is_foreign_country(&tld) && !brand_owned {
                    add("from_country:foreign");
                }
                add(&format!("from_tld:{tld}"));
            }
            // Throwaway domains have made-up names; a brand's own (`nttdocomo`, `ezweb`) are
            // acronyms, not made up.
            let host = email.from.as_ref().and_then(|m| m.domain());
            if !brand_owned && host.is_some_and(|h| random_label(&h, domain).is_some()) {
                add("from_label:random");
            }
        }
        None => add("header:no_from"),
    }
    if let Some(sender) = &email.sender {
        add(match Phone::of(sender) {
            Some(phone) => phone.feature(),
            None => "sender:name",
        });
    }
    let differs = |other: Option<String>| {
        let other = other.and_then(|d| registered_domain(&d));
        other.is_some() && other.as_deref() != from_domain
    };
    if differs(email.reply_to.as_ref().and_then(|m| m.domain())) {
        add("header:reply_to_differs");
    }
    // Return-Path is left out with the other transport headers: delivery adds it, so a
    // mail learned from a folder would not match the one that was scored.
    // A link a report masked was a link in the mail that was received.
    let links = email.links.len() + email.masked_links;
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
    let shapes = Shapes::of(email);
    form(email, shapes.body_chars, add);
    brand_links(email, claimed, add);
    for name in &email.attachments {
        let ext = name
            .rsplit_once('.')
            .map_or("none".to_string(), |(_, e)| e.to_lowercase());
        add(&format!("attachment:{ext}"));
    }
    for _ in 0..shapes.katakana_lookalikes {
        add("shape:katakana_lookalike");
    }
    if findings.wallet_shaped {
        add("shape:wallet");
    }
    for _ in 0..shapes.invisible_in_words {
        add("shape:invisible_in_word");
    }
}

/// What the features count over the characters of the subject and body, read once: the
/// look-alike shapes over both as one text (a line break between), the length over the body.
#[derive(Debug, PartialEq)]
struct Shapes {
    katakana_lookalikes: usize,
    invisible_in_words: usize,
    /// The body's characters but white space.
    body_chars: usize,
}

impl Shapes {
    fn of(email: &Email) -> Shapes {
        let mut kana = KatakanaLookalikes::default();
        let mut invisible = InvisibleInWords::default();
        for c in email.subject.chars().chain(['\n']) {
            kana.push(c);
            invisible.push(c);
        }
        let mut body_chars = 0;
        for c in email.body.chars() {
            kana.push(c);
            invisible.push(c);
            body_chars += usize::from(!c.is_whitespace());
        }
        Shapes {
            katakana_lookalikes: kana.count(),
            invisible_in_words: invisible.count,
            body_chars,
        }
    }
}

/// How many invisible characters (zero-width space, soft hyphen, joiners, bidirectional
/// controls…) stand inside a word, between two letters or digits: no genuine sender types
/// them there, filter evaders do (「Ama\u{200B}zon」).
#[cfg(test)]
fn invisible_in_words(text: &str) -> usize {
    let mut count = InvisibleInWords::default();
    text.chars().for_each(|c| count.push(c));
    count.count
}

/// [`invisible_in_words`] read a character at a time.
#[derive(Default)]
struct InvisibleInWords {
    /// The last visible character, and the one before the run of invisible ones being read.
    last: Option<char>,
    before_run: Option<Option<char>>,
    count: usize,
}

impl InvisibleInWords {
    #[inline]
    fn push(&mut self, c: char) {
        if sagiguard_tokenizer::is_default_ignorable(c) {
            self.before_run.get_or_insert(self.last);
            return;
        }
        if let Some(before) = self.before_run.take()
            && before.is_some_and(char::is_alphanumeric)
            && c.is_alphanumeric()
        {
            self.count += 1;
        }
        self.last = Some(c);
    }
}

/// Whether a feature says something about what a mail says or where it comes from, rather
/// than only its form (`form:…`), which every mail has.
pub fn is_content(name: &str) -> bool {
    !name.starts_with("form:")
}

/// The form of the message: a text without subject or sender (an SMS, a pasted note) reads
/// differently from a mail, and its length says what kind of text it is.
/// `body_chars` is the body's length in characters, white space left out.
fn form(email: &Email, body_chars: usize, add: &mut dyn FnMut(&str)) {
    if email.subject.trim().is_empty() {
        add("form:no_subject");
    }
    if email.is_headerless() {
        add("form:no_headers");
    }
    add(match body_chars {
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

    #[test]
    fn the_alphanumeric_shortcut_is_the_standard_answer() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    /// The text segmented and its masks, as before the cut kept its edits.
    fn cut_reference(original: &str, links: bool) -> (String, usize) {
        let mut text = String::new();
        let mut last = 0;
        if links {
            let found = find_links(original);
            let mut spans: Vec<_> = found
                .urls
                .iter()
                .map(|u| (u.span.clone(), u.defanged))
                .collect();
            spans.extend(found.masked.iter().map(|m| (m.clone(), true)));
            for a in find_addresses(original) {
                if spans
                    .iter()
                    .all(|(l, _)| a.end <= l.start || l.end <= a.start)
                {
                    spans.push((a, false));
                }
            }
            spans.sort_by_key(|(span, _)| span.start);
            for (span, defanged) in spans {
                text.push_str(&original[last..span.start]);
                text.push_str(if defanged { " *** " } else { " " });
                last = span.end;
            }
        }
        text.push_str(&original[last..]);
        let found: Vec<Range<usize>> = masks(&text).collect();
        let mut blanked = String::new();
        let mut kept = 0;
        for m in &found {
            blanked.push_str(&text[kept..m.start]);
            blanked.push(' ');
            kept = m.end;
        }
        blanked.push_str(&text[kept..]);
        (blanked, found.len())
    }

    /// Checks a text's cut against the reference, and the normalised cut, where it is
    /// taken from the whole text, against normalising the cut text; whether it was taken.
    fn check_cut(original: &str) -> bool {
        let normalizer = sagiguard_tokenizer::Normalizer::default();
        let mut taken = false;
        let found = find_links(original);
        for links in [true, false] {
            let cut = cut(original, links.then_some(&found));
            assert_eq!(
                (cut.text.clone(), cut.masks),
                cut_reference(original, links),
                "{original:?}"
            );
            let whole = normalizer.normalize(original);
            if let Some(text) = cut.cut_normalized(original, &whole) {
                assert_eq!(
                    text,
                    normalizer.normalize(&cut.text).as_str(),
                    "{original:?}"
                );
                taken |= !cut.edits.is_empty();
            }
        }
        taken
    }

    #[test]
    fn cut_text_normalised_from_the_whole_is_the_cut_text_normalised() {
        let mut taken = 0;
        for file in ["train.jsonl", "test.jsonl"] {
            let path = format!("{}/../../data/{file}", env!("CARGO_MANIFEST_DIR"));
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let row: serde_json::Value = serde_json::from_str(line).unwrap();
                for field in ["subject", "body"] {
                    taken += usize::from(check_cut(row[field].as_str().unwrap_or("")));
                }
            }
        }
        // Most texts with links or masks take the shortcut.
        assert!(taken > 1_000, "{taken}");
    }

    proptest::proptest! {
        #[test]
        fn cuts_around_joining_and_changing_characters(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "https://a.example/k", "HTTPS://B.JP", "hxxps://c[.]top", "ｈｔｔｐｓ：／／ｄ．ｊｐ",
                    "sagawa-kx.top/r", "***", "○○", "XXXX", "xxx", "～～～", "■■", "お荷物", "ｶﾞ",
                    "\u{3099}", "\u{301}", "\u{200B}", "\u{FE0F}", "\r\n", "\r", " ", "Ａ", "e", "。",
                    "info@ex.jp", "<", "＞", "＠", "mailto:", "xx", "-08", "(URL)", "http://...",
                ]),
                0..10,
            ),
        ) {
            check_cut(&pieces.concat());
        }
    }

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
        fn one_pass_counts_what_a_pass_per_shape_counts(
            subject in proptest::collection::vec(
                proptest::sample::select(vec!["カ", "一", "ド", "a", " ", "\u{3000}", "\u{200B}", "漢"]),
                0..8,
            ),
            body in proptest::collection::vec(
                proptest::sample::select(vec!["カ", "一", "ド", "a", " ", "\u{3000}", "\u{200B}", "\n", "漢"]),
                0..12,
            ),
        ) {
            let email = Email {
                subject: subject.concat(),
                body: body.concat(),
                ..Email::default()
            };
            let text = format!("{}\n{}", email.subject, email.body);
            let mut kana = KatakanaLookalikes::default();
            text.chars().for_each(|c| kana.push(c));
            proptest::prop_assert_eq!(
                Shapes::of(&email),
                Shapes {
                    katakana_lookalikes: kana.count(),
                    invisible_in_words: invisible_in_words(&text),
                    body_chars: email.body.chars().filter(|c| !c.is_whitespace()).count(),
                }
            );
        }

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
