//! Finding URLs written in Japanese text.
//!
//! General-purpose linkifiers treat any non-space character as part of a URL, so
//! `…/loginからログインしてください` becomes one long "URL", and they miss the full-width
//! `ｈｔｔｐｓ：／／` that scams use to slip past filters. Here a URL is a scheme (or `www.`)
//! followed by URL characters only, in ASCII or full width, and ends where Japanese text,
//! white space or a closing bracket begins.
//!
//! Links also reach people without a scheme (`sagawa-rx.cc/k2` in an SMS) and, in warnings
//! and reports that quote scams, defanged (`hxxps://example[.]top`): both are found and
//! given back as ordinary `http(s)://` URLs, flagged as such. Reports also mask a link
//! beyond its host (`https://…`, `http://xxxxxxxx`, `https://○○○.com/`) or leave a
//! placeholder where it was (`（リンク）`, `[URL省略]`): [`find_links`] finds those too, as
//! links that were there and say nothing of where they led.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// A URL found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundUrl {
    /// The byte range in the text.
    pub span: Range<usize>,
    /// The URL with full-width characters folded to ASCII and defanging undone; `www.` and
    /// scheme-less URLs get `http://`.
    pub url: String,
    /// Whether the text wrote the link defanged (`hxxp`, `[.]`) or masked (`*****`).
    pub defanged: bool,
}

/// The links written in a text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FoundLinks {
    /// The URLs, in order.
    pub urls: Vec<FoundUrl>,
    /// The byte ranges of links masked beyond a host or replaced by a placeholder, in order:
    /// a link was there, and where it led is not written.
    pub masked: Vec<Range<usize>>,
}

/// The links [`find_links`] found in a text, kept beside it (a mail's body) so that a later
/// reader of the same text, the feature extractor, takes them instead of searching again.
/// They are given back only for the very text they were found in, told by its length and
/// hash, so a body cut or changed in between is searched anew. A cache, not part of the
/// mail: any two are equal.
#[derive(Debug, Clone, Default)]
pub struct ScannedLinks {
    found: Option<(usize, u64, FoundLinks)>,
}

impl ScannedLinks {
    /// Keeps `found`, what [`find_links`] found in `text`.
    pub fn new(text: &str, found: FoundLinks) -> ScannedLinks {
        ScannedLinks {
            found: Some((text.len(), text_hash(text), found)),
        }
    }

    /// The links found, when `text` is the text they were found in.
    pub fn for_text(&self, text: &str) -> Option<&FoundLinks> {
        self.found
            .as_ref()
            .filter(|(len, hash, _)| *len == text.len() && *hash == text_hash(text))
            .map(|(_, _, found)| found)
    }
}

impl PartialEq for ScannedLinks {
    fn eq(&self, _: &ScannedLinks) -> bool {
        true
    }
}

impl Eq for ScannedLinks {}

/// The same for a text on every thread of a process.
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    static STATE: std::sync::LazyLock<foldhash::quality::RandomState> =
        std::sync::LazyLock::new(foldhash::quality::RandomState::default);
    STATE.hash_one(text)
}

/// Finds the URLs in `text`, in order.
pub fn find_urls(text: &str) -> Vec<FoundUrl> {
    scan(text, None)
}

/// Finds the URLs in `text` and the links masked beyond a host or left as a placeholder.
pub fn find_links(text: &str) -> FoundLinks {
    let mut masked = Vec::new();
    let urls = scan(text, Some(&mut masked));
    for span in placeholders(text) {
        if !urls
            .iter()
            .any(|u| u.span.start < span.end && span.start < u.span.end)
        {
            masked.push(span);
        }
    }
    masked.sort_unstable_by_key(|span| span.start);
    masked.dedup_by(|later, earlier| later.start < earlier.end);
    FoundLinks { urls, masked }
}

/// The URLs of `text`; with `masked`, a written scheme without a host (`https://…`) is
/// recorded there.
fn scan(text: &str, mut masked_spans: Option<&mut Vec<Range<usize>>>) -> Vec<FoundUrl> {
    let mut found = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(start) = next_start(text, pos) else {
            break;
        };
        let Some(start) = look_alike_start(text, pos, start) else {
            pos = url_end(text, start);
            continue;
        };
        let end = url_end(text, start);
        let raw = &text[start..end];
        let folded = nfkc(raw);
        let (refanged, defanged) = refang(&folded);
        let lower = refanged.to_ascii_lowercase();
        let url = if lower.starts_with("http://") || lower.starts_with("https://") {
            refanged
        } else {
            format!("http://{refanged}")
        };
        let masked = url.contains("**") || url.to_ascii_lowercase().contains("xxxx");
        let mut end = end;
        if has_host(&url) {
            found.push(FoundUrl {
                span: start..end,
                url,
                defanged: defanged || masked,
            });
        } else if let (Some(spans), Some(after)) =
            (masked_spans.as_deref_mut(), scheme_end(text, start))
        {
            // A masked run ends where the next URL `find_urls` would read begins
            // (`http://…http.com`): masking must not hide a link.
            let limit = next_start(text, end).unwrap_or(text.len());
            let masked_to = masked_end(text, after, limit);
            // A host spelled with look-alike letters (`https://nеnkin…`, a Cyrillic е) is
            // a link this finder cannot read, not a masked one.
            if !text[masked_to..]
                .chars()
                .next()
                .is_some_and(look_alike_letter)
            {
                end = masked_to;
                spans.push(start..end);
            }
        }
        pos = end.max(start + 1);
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
    found
}

/// NFKC of a text; ASCII, as most links are, is its own NFKC.
fn nfkc(text: &str) -> String {
    if text.is_ascii() {
        text.to_string()
    } else {
        text.nfkc().collect()
    }
}

/// Where the next `http://`, `https://`, `hxxp(s)://`, `www.` or scheme-less host begins,
/// in ASCII or full width, at a position not preceded by a URL character (so `xwww.`
/// inside a word or the domain of `info@example.jp` is not a start).
fn next_start(text: &str, from: usize) -> Option<usize> {
    // A start folds to an ASCII letter or digit: it is one, or a full-width form (U+FF01 to
    // U+FF5E, led by the byte EF). Other bytes are skipped undecoded: most of a Japanese
    // mail.
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = next_candidate(bytes, at) {
        let c = text[i..].chars().next().unwrap_or_default();
        if fold(c).is_some_and(|a| a.is_ascii_alphanumeric())
            && !text[..i]
                .chars()
                .next_back()
                .is_some_and(|p| fold(p).is_some_and(continues_url))
            && starts_url(&text[i..])
        {
            return Some(i);
        }
        // ASCII letters and digits after this one continue its word: none starts a link.
        at = i + 1;
        if bytes[i].is_ascii_alphanumeric() {
            at += bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        }
    }
    None
}

/// Whether a byte can begin a character that folds to an ASCII letter or digit.
fn could_start(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == 0xEF
}

/// The first byte from `from` on that [`could_start`]. Eight bytes are passed over at once
/// while none is ASCII or EF: runs of kana and kanji.
fn next_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut i = from;
    loop {
        while let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().ok()?);
            let ef = word ^ (0xEF * ONES);
            let has_ef = ef.wrapping_sub(ONES) & !ef & HIGH != 0;
            if word & HIGH != HIGH || has_ef {
                break;
            }
            i += 8;
        }
        let end = (i + 8).min(bytes.len());
        if let Some(p) = bytes.get(i..end)?.iter().position(|&b| could_start(b)) {
            return Some(i + p);
        }
        if end == bytes.len() {
            return None;
        }
        i = end;
    }
}

fn starts_url(rest: &str) -> bool {
    // Called at every word that starts with a letter or digit: nothing is allocated here.
    let mut head = [0u8; 8];
    let mut len = 0;
    for c in rest.chars().take(8).map_while(fold) {
        // `fold` gives ASCII only.
        head[len] = c.to_ascii_lowercase() as u8;
        len += 1;
    }
    let head = &head[..len];
    [
        b"http://".as_slice(),
        b"https://",
        b"hxxp://",
        b"hxxps://",
        b"www.",
    ]
    .iter()
    .any(|p| head.starts_with(p))
        || schemeless(rest)
}

/// Top-level domains a scheme-less host must end in to count as a link. Common in mail and
/// in smishing; file extensions that are also TLDs (`zip`, `mov`) are left out, and so are
/// rare TLDs, where a dotted word is likelier than a host.
const TLDS: &[&str] = &[
    "com", "net", "org", "jp", "info", "biz", "top", "xyz", "cn", "cc", "icu", "me", "io", "shop",
    "site", "online", "club", "vip", "app", "link", "live", "buzz", "asia", "ru", "tk", "ml", "ga",
    "cf", "gq", "ly", "to", "ws", "pw", "us", "uk", "kr", "hk", "tw", "sg", "work", "fun", "store",
    "tech", "life", "mobi", "win", "cyou", "sbs", "bond", "click", "ink", "rest", "cfd", "today",
    "vn", "ph", "in", "co", "tokyo", "space", "website",
];

/// Whether `rest` starts with a host written without a scheme: labels joined by dots (or
/// defanged `[.]`), the last one a TLD of [`TLDS`], not followed by `@` (a mail address's
/// domain is not a link). A label may borrow look-alike letters (`amazoп.com`, a Cyrillic
/// п), which stand for a letter here.
fn schemeless(rest: &str) -> bool {
    // Only the host-like prefix is looked at, so a long run of text costs one short scan
    // per word.
    let host_like = || {
        rest.chars()
            .map_while(fold_host)
            .take_while(|&c| c.is_ascii_alphanumeric() || "-.[]()@".contains(c))
            .take(256)
    };
    // Two labels need a dot (`[.]` and `(.)` hold one too): most words have none.
    if !host_like().any(|c| c == '.') {
        return false;
    }
    let head: String = host_like().collect();
    let head = head.replace("[.]", ".").replace("(.)", ".");
    let host_len = head
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .unwrap_or(head.len());
    let host = head[..host_len].trim_end_matches('.');
    if head[host_len..].starts_with('@') {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-'))
        && labels[..labels.len() - 1]
            .iter()
            .any(|l| l.chars().any(|c| c.is_ascii_alphabetic()))
        && TLDS.contains(&labels[labels.len() - 1].to_ascii_lowercase().as_str())
}

/// Undoes defanging: `hxxp` → `http`, `[.]`, `(.)` and `[dot]` → `.`; whether any was found.
fn refang(url: &str) -> (String, bool) {
    let mut out = url.to_string();
    let lower = out.to_ascii_lowercase();
    if lower.starts_with("hxxp") {
        out.replace_range(..4, "http");
    }
    for fang in ["[.]", "(.)", "[dot]", "(dot)"] {
        out = out.replace(fang, ".");
    }
    let changed = out != url;
    (out, changed)
}

/// Where a written scheme (`http://`, `hxxps://`, full width too) starting at `start` ends;
/// `None` for a link that starts with `www.` or a host.
fn scheme_end(text: &str, start: usize) -> Option<usize> {
    let mut chars = text[start..]
        .char_indices()
        .map(|(i, c)| (i + c.len_utf8(), fold(c)));
    // Read for every link found: kept on the stack.
    let mut scheme = [0u8; 5];
    let mut len = 0;
    for (i, c) in chars.by_ref() {
        match c {
            Some(':') => break,
            Some(c) if c.is_ascii_alphabetic() && len < scheme.len() => {
                scheme[len] = c.to_ascii_lowercase() as u8;
                len += 1;
            }
            _ => return None,
        }
        if i > 16 {
            return None;
        }
    }
    if !matches!(&scheme[..len], b"http" | b"https" | b"hxxp" | b"hxxps") {
        return None;
    }
    let (Some((_, Some('/'))), Some((i, Some('/')))) = (chars.next(), chars.next()) else {
        return None;
    };
    Some(start + i)
}

/// A letter of the scripts look-alike hosts borrow from (accented Latin, Greek, Cyrillic).
fn look_alike_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{052F}' | '\u{1E00}'..='\u{1FFF}') && c.is_alphabetic()
}

/// [`fold`] for a host or a mail domain, where a look-alike letter stands for a letter.
fn fold_host(c: char) -> Option<char> {
    fold(c).or_else(|| look_alike_letter(c).then_some('a'))
}

/// Where a link found at `start` without a scheme really begins: a host written with
/// look-alike letters (`nеnkin.go-jp.info`, a Cyrillic е) is found from the ASCII after its
/// last such letter, and its first label is read back to where it begins, not after `from`
/// (the end of the last link). `None` where that run begins after a URL character
/// (`info@nеnkin…`): the domain of an address, or the rest of a path, is no link.
fn look_alike_start(text: &str, from: usize, start: usize) -> Option<usize> {
    if scheme_end(text, start).is_some() {
        return Some(start);
    }
    let mut begin = start;
    let mut borrowed = false;
    for (i, c) in text[from..start].char_indices().rev() {
        let ascii = fold(c).is_some_and(|a| a.is_ascii_alphanumeric() || a == '-');
        if !(ascii || look_alike_letter(c)) {
            break;
        }
        borrowed |= !ascii;
        begin = from + i;
    }
    let begins_word = !text[..begin]
        .chars()
        .next_back()
        .is_some_and(|p| fold(p).is_some_and(continues_url));
    match (borrowed, begins_word) {
        (false, _) => Some(start),
        (true, false) => None,
        (true, true) => Some(if text[begin..].starts_with('-') {
            start
        } else {
            begin
        }),
    }
}

/// Characters publishers mask a link's host and path with, beside the URL characters.
fn masks_link(c: char) -> bool {
    "…‥・･〜○〇●◯×＊※".contains(c)
}

/// Where a link masked beyond its host ends: over the URL and masking characters after its
/// scheme (`…`, `xxxxxxxx`, `○○○.com/…`), with sentence punctuation and unopened closing
/// brackets left to the sentence (the masking dots and stars are kept), and not past `limit`.
fn masked_end(text: &str, from: usize, limit: usize) -> usize {
    let mut end = from;
    for (offset, c) in text[from..limit.max(from)].char_indices() {
        if fold(c).is_some_and(is_url_char) || masks_link(c) {
            end = from + offset + c.len_utf8();
        } else {
            break;
        }
    }
    trim_trailing(text, from, end, ".*")
}

/// The words a placeholder for a removed link is made of: `（リンク）`, `(URL)`, `【リンク先】`,
/// `[URL省略]`, and unbracketed `URL省略`.
const PLACEHOLDER_WORDS: &[&str] = &[
    "URL",
    "ＵＲＬ",
    "url",
    "Url",
    "リンク",
    "LINK",
    "Link",
    "link",
];
/// What may follow the word inside the brackets, longest first where one begins another.
const PLACEHOLDER_TAILS: &[&str] = &[
    "は省略しています",
    "は省略しました",
    "は削除しました",
    "を省略",
    "は省略",
    "は削除",
    "を削除",
    "アドレス",
    "省略",
    "削除",
    "URL",
    "ＵＲＬ",
    "先",
    "略",
];
const OPENING: &str = "(（[［【<＜〈《";
const CLOSING: &str = ")）]］】>＞〉》";

/// The placeholders publishers leave where they removed a link.
fn placeholders(text: &str) -> Vec<Range<usize>> {
    // A SIMD substring search per word: `str::match_indices` cost 5 % of scoring and an
    // Aho-Corasick automaton 3 % (`リンク` begins with the byte most Japanese characters
    // begin with, so neither could skip ahead).
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            PLACEHOLDER_WORDS
                .iter()
                .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
                .collect()
        });
    let is_space = |c: char| c == ' ' || c == '\u{3000}';
    let mut found = Vec::new();
    for (at, word) in FINDERS
        .iter()
        .zip(PLACEHOLDER_WORDS)
        .flat_map(|(finder, word)| finder.find_iter(text.as_bytes()).map(move |at| (at, *word)))
    {
        // An ASCII word inside a longer one (`CURL`, `links`) is not a placeholder.
        let before = text[..at].chars().next_back();
        let after_word = at + word.len();
        if word.is_ascii()
            && (before.is_some_and(|c| c.is_ascii_alphanumeric())
                || text[after_word..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            continue;
        }
        let opened = text[..at]
            .trim_end_matches(is_space)
            .chars()
            .next_back()
            .filter(|&c| OPENING.contains(c));
        let mut end = after_word;
        let mut omitted = false;
        while let Some(tail) = PLACEHOLDER_TAILS
            .iter()
            .find(|t| text[end..].starts_with(**t))
        {
            omitted |= tail.contains("省略") || tail.contains("削除");
            end += tail.len();
        }
        match opened {
            Some(open) => {
                let rest = text[end..].trim_start_matches(is_space);
                let Some(close) = rest.chars().next().filter(|&c| CLOSING.contains(c)) else {
                    continue;
                };
                let start = text[..at].trim_end_matches(is_space).len() - open.len_utf8();
                found.push(start..text.len() - rest.len() + close.len_utf8());
            }
            None if omitted => found.push(at..end),
            None => {}
        }
    }
    found
}

fn url_end(text: &str, start: usize) -> usize {
    // Inside the host (after a written scheme, else from the first character), letters of
    // the scripts look-alike hosts borrow from (`https://аmazon.co.jp`, a Cyrillic а) are
    // the host's: an internationalised host is read whole, not cut at its first such letter
    // into a wrong ASCII one.
    let host = scheme_end(text, start).unwrap_or(start);
    let mut past_host = false;
    let mut end = start;
    for (offset, c) in text[start..].char_indices() {
        let in_host = !past_host && start + offset >= host;
        let url_char = match fold(c) {
            Some(a) if is_url_char(a) => {
                past_host |= in_host && matches!(a, '/' | '?' | '#');
                true
            }
            Some(_) => false,
            None => in_host && look_alike_letter(c),
        };
        if !url_char {
            break;
        }
        end = start + offset + c.len_utf8();
    }
    trim_trailing(text, start, end, "")
}

/// Sentence punctuation after a URL belongs to the sentence, but for the characters of
/// `keep`; a closing bracket belongs to the URL only when the URL opened one.
fn trim_trailing(text: &str, start: usize, mut end: usize, keep: &str) -> usize {
    while let Some(c) = text[start..end].chars().next_back() {
        let a = fold(c).unwrap_or(c);
        let drop = match a {
            _ if keep.contains(a) => false,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' => true,
            ')' | ']' => {
                let (open, close) = if a == ')' { ('(', ')') } else { ('[', ']') };
                let s = &text[start..end];
                let count = |ch| s.chars().filter(|&x| fold(x) == Some(ch)).count();
                count(close) > count(open)
            }
            _ => false,
        };
        if !drop {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

/// The e-mail addresses written in `text` (`info@example.jp`, full width too), each with the
/// `mailto:` before it and the angle brackets around it, in order. An address is one name, not
/// words: left in the text it would be cut into `info`, `co`, `jp` and `<`, words that say
/// whether a mail quotes forwarded headers, not whether it is a scam.
pub fn find_addresses(text: &str) -> Vec<Range<usize>> {
    static WIDE_AT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("＠".as_bytes()));
    let bytes = text.as_bytes();
    let mut ats: Vec<usize> = memchr::memchr_iter(b'@', bytes).collect();
    if bytes.len() >= 3 {
        let wide: Vec<usize> = WIDE_AT.find_iter(bytes).collect();
        if !wide.is_empty() {
            ats.extend(wide);
            ats.sort_unstable();
        }
    }
    let mut found: Vec<Range<usize>> = Vec::new();
    for at in ats {
        let floor = found.last().map_or(0, |last| last.end);
        if at < floor {
            continue;
        }
        if let Some(span) = address_at(text, at, floor) {
            found.push(span);
        }
    }
    found
}

/// The address around the `@` at byte `at`, if one is written there, starting at `floor` or
/// after (where the address before it ends: `a@ex.jpb@ex.jp` is two, not overlapping).
fn address_at(text: &str, at: usize, floor: usize) -> Option<Range<usize>> {
    let after_at = at + text[at..].chars().next()?.len_utf8();
    let local =
        |c: char| fold(c).is_some_and(|a| a.is_ascii_alphanumeric() || "._%+-*".contains(a));
    let mut start = at;
    for c in text[floor..at].chars().rev() {
        if !local(c) {
            break;
        }
        start -= c.len_utf8();
    }
    // Not a word's end: the local part starts with a letter, digit or mask.
    while let Some(c) = text[start..at]
        .chars()
        .next()
        .filter(|c| fold(*c) == Some('.'))
    {
        start += c.len_utf8();
    }
    if start == at {
        return None;
    }
    // A domain may borrow look-alike letters, as a link's host may (`info@nеnkin.go-jp.info`).
    let domain =
        |c: char| fold_host(c).is_some_and(|a| a.is_ascii_alphanumeric() || "-.*".contains(a));
    let mut end = after_at;
    for c in text[after_at..].chars() {
        if !domain(c) {
            break;
        }
        end += c.len_utf8();
    }
    while let Some(c) = text[after_at..end]
        .chars()
        .next_back()
        .filter(|c| matches!(fold(*c), Some('.' | '-')))
    {
        end -= c.len_utf8();
    }
    let host: String = text[after_at..end].chars().filter_map(fold_host).collect();
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || tld.len() < 2
        || !tld.chars().all(|c| c.is_ascii_alphabetic() || c == '*')
    {
        return None;
    }
    // `mailto:` is the seven characters before the local part, in ASCII or full width.
    if let Some((from, _)) = text[floor..start].char_indices().rev().nth(6) {
        let from = floor + from;
        let before: String = text[from..start].chars().filter_map(fold).collect();
        if before.eq_ignore_ascii_case("mailto:") {
            start = from;
        }
    }
    let open = text[floor..start].chars().next_back();
    let close = text[end..].chars().next();
    if let (Some(o @ ('<' | '＜')), Some(c @ ('>' | '＞'))) = (open, close) {
        start -= o.len_utf8();
        end += c.len_utf8();
    }
    Some(start..end)
}

/// The ASCII character a full-width form stands for, or the character itself if ASCII.
pub(crate) fn fold(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let code = c as u32;
    if (0xFF01..=0xFF5E).contains(&code) {
        return char::from_u32(code - 0xFF01 + 0x21);
    }
    None
}

/// A character after which a letter continues a word, host, path or address rather than
/// starting a link.
fn continues_url(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._/@%&=?#+~".contains(c)
}

fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn has_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.contains('.') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The host of a URL, lowercased, without user info or port; `None` for a relative link or
/// one with another scheme (`mailto:`, `tel:`).
pub fn url_host(url: &str) -> Option<String> {
    let folded = nfkc(url.trim());
    let (scheme, rest) = folded.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    let host = host.trim_end_matches('.').to_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links kept with a text are given back for that text only: not for a prefix of it
    /// (a bounded body), nor for another text of the same length; and they do not make two
    /// mails unequal or reach a mail's serialised form.
    #[test]
    fn scanned_links_are_given_back_for_their_own_text_only() {
        let text = "お荷物は https://sagawa-kx.top/r から（リンク）確認を";
        let scanned = ScannedLinks::new(text, find_links(text));
        assert_eq!(scanned.for_text(text), Some(&find_links(text)));
        // The same text elsewhere in memory, as a mail's body is once moved.
        let copy = String::from(text);
        assert_eq!(scanned.for_text(&copy), Some(&find_links(text)));
        assert_eq!(scanned.for_text(&text[..text.len() - 3]), None);
        let same_length = text.replace("sagawa", "yamato");
        assert_eq!(same_length.len(), text.len());
        assert_eq!(scanned.for_text(&same_length), None);
        assert_eq!(ScannedLinks::default().for_text(text), None);
        assert_eq!(ScannedLinks::default().for_text(""), None);

        let with = crate::Email {
            body: text.into(),
            body_links: scanned,
            ..crate::Email::default()
        };
        let without = crate::Email {
            body: text.into(),
            ..crate::Email::default()
        };
        assert_eq!(with, without);
        assert_eq!(
            serde_json::to_string(&with).unwrap(),
            serde_json::to_string(&without).unwrap()
        );
        let read: crate::Email =
            serde_json::from_str(&serde_json::to_string(&with).unwrap()).unwrap();
        assert_eq!(read.body_links.for_text(text), None);
    }

    /// Link starts found char by char, as before the byte scan.
    fn next_start_reference(text: &str, from: usize) -> Option<usize> {
        let mut prev: Option<char> = text[..from].chars().next_back();
        for (offset, c) in text[from..].char_indices() {
            let i = from + offset;
            let starts = fold(c).is_some_and(|a| a.is_ascii_alphanumeric())
                && !prev.is_some_and(|p| fold(p).is_some_and(continues_url));
            if starts && starts_url(&text[i..]) {
                return Some(i);
            }
            prev = Some(c);
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn candidates_are_the_first_byte_that_could_start(
            // Mostly high bytes, as Japanese text is.
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![
                    0xE3, 0x81, 0x82, 0x80, 0xBC, 0xE3, 0x81, 0x82, 0x80, 0xBC, b'a', b'Z', b'5',
                    b'.', b' ', 0xEF, 0xFF,
                ]),
                0..80,
            ),
        ) {
            for from in 0..=bytes.len() {
                let expected = bytes[from..]
                    .iter()
                    .position(|&b| could_start(b))
                    .map(|p| from + p);
                proptest::prop_assert_eq!(next_candidate(&bytes, from), expected);
            }
        }

        #[test]
        fn link_starts_are_found_as_char_by_char(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "https://", "ｈｔｔｐｓ：／／", "www.", "ｗｗｗ．", "hxxp://", "example",
                    "ｅｘａｍｐｌｅ", ".jp", "．ｊｐ", ".top/k", "[.]", "/", "@", "x", "1", "１",
                    "、", "お荷物", "ｶ", " ", "\n", "-", "ﾟ", "＠", "е", "é",
                ]),
                0..12,
            ),
        ) {
            let text = pieces.concat();
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                proptest::prop_assert_eq!(
                    next_start(&text, from),
                    next_start_reference(&text, from)
                );
            }
        }
    }

    #[test]
    fn nfkc_is_unicode_normalizations_for_ascii_and_the_rest() {
        let mut texts: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        texts.extend(
            [
                "https://a.example/x?y=1#z",
                "ｈｔｔｐｓ：／／ａ．ｊｐ",
                "https://例え.jp/ﾊﾟｽ",
                "",
            ]
            .map(String::from),
        );
        for text in texts {
            assert_eq!(nfkc(&text), text.nfkc().collect::<String>(), "{text:?}");
        }
    }

    fn urls(text: &str) -> Vec<String> {
        find_urls(text).into_iter().map(|f| f.url).collect()
    }

    #[test]
    fn internationalised_hosts_are_read_whole() {
        // Cyrillic е and а, Greek ο: the host is the look-alike, not the ASCII after it.
        for (text, url, host) in [
            (
                "暗証番号はこちら https://nеnkin.go-jp.info/k から",
                "https://nеnkin.go-jp.info/k",
                "nеnkin.go-jp.info",
            ),
            (
                "ログイン：https://аmazon.co.jp.verify.top/signin。",
                "https://аmazon.co.jp.verify.top/signin",
                "аmazon.co.jp.verify.top",
            ),
            (
                "ｈｔｔｐｓ：／／pаypаy.jp/",
                "https://pаypаy.jp/",
                "pаypаy.jp",
            ),
            (
                "http://xn--mazon-3ve.com/a",
                "http://xn--mazon-3ve.com/a",
                "xn--mazon-3ve.com",
            ),
            // Without a scheme: a label may hold them, and begin with them.
            (
                "暗証番号はこちら nеnkin.go-jp.info/k から",
                "http://nеnkin.go-jp.info/k",
                "nеnkin.go-jp.info",
            ),
            (
                "【SMS】аmazon.co.jp-verify.top/signin で確認",
                "http://аmazon.co.jp-verify.top/signin",
                "аmazon.co.jp-verify.top",
            ),
            ("ｐаyｐаy.jp を開く", "http://pаypаy.jp", "pаypаy.jp"),
            ("amazoп.com/jp", "http://amazoп.com/jp", "amazoп.com"),
            (
                "料金は café.example.com で",
                "http://café.example.com",
                "café.example.com",
            ),
            (
                "www.еxample.top/a",
                "http://www.еxample.top/a",
                "www.еxample.top",
            ),
        ] {
            assert_eq!(urls(text), [url], "{text}");
            assert_eq!(url_host(url).as_deref(), Some(host), "{text}");
        }
        // Past the host, such letters end the link as Japanese text does.
        assert_eq!(
            urls("https://example.jp/aбв と https://example.jp/"),
            ["https://example.jp/a", "https://example.jp/"]
        );
        // The link before keeps its own; glued to it, such a run is the rest of its path.
        assert_eq!(
            urls("https://a.jp/x бnkin.top"),
            ["https://a.jp/x", "http://бnkin.top"]
        );
        assert_eq!(urls("https://a.jp/xбnkin.top"), ["https://a.jp/x"]);
        // An address's domain is no link, with or without look-alike letters.
        assert_eq!(urls("info@nеnkin.go-jp.info まで"), Vec::<String>::new());
        // Such letters in a word before a space are the word's.
        assert_eq!(urls("Привет example.com"), ["http://example.com"]);
    }

    #[test]
    fn urls_end_where_japanese_text_begins() {
        let cases: [(&str, &[&str]); 12] = [
            (
                "https://amazon-co-jp.account-verify.top/loginからログインしてください",
                &["https://amazon-co-jp.account-verify.top/login"],
            ),
            (
                "詳しくは（https://www.smbc-card.com/mem/index.jsp）をご覧ください。",
                &["https://www.smbc-card.com/mem/index.jsp"],
            ),
            (
                "下記URL：http://192.168.10.5/jp/verify?id=88&t=1。期限は本日です",
                &["http://192.168.10.5/jp/verify?id=88&t=1"],
            ),
            (
                "ｈｔｔｐｓ：／／ｓａｇａｗａ－ｅｘｐ．ｃｃ／ｔｒａｃｋ　にアクセス",
                &["https://sagawa-exp.cc/track"],
            ),
            (
                "www.rakuten.co.jp/event/ と https://t.ly/Ab3x をご確認ください",
                &["http://www.rakuten.co.jp/event/", "https://t.ly/Ab3x"],
            ),
            (
                "「https://example.jp/a(1)」、https://example.jp/b).",
                &["https://example.jp/a(1)", "https://example.jp/b"],
            ),
            ("URLはありません。httpという言葉だけです", &[]),
            (
                "お荷物の確認はsagawa-rx.cc/k2まで。連絡先info@example.jpへ",
                &["http://sagawa-rx.cc/k2"],
            ),
            (
                "偽サイト hxxps://amazon-verify[.]top/login に注意",
                &["https://amazon-verify.top/login"],
            ),
            ("請求書.pdf と report.zip、Ver.2 と No.1", &[]),
            ("https://localhost は対象外", &[]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(urls(text), expected, "in {text:?}");
        }
    }

    fn masked(text: &str) -> Vec<&str> {
        find_links(text)
            .masked
            .into_iter()
            .map(|span| &text[span])
            .collect()
    }

    #[test]
    fn links_masked_beyond_a_host_are_links_without_a_url() {
        let cases: [(&str, &[&str]); 16] = [
            ("再配達はこちら http://... から", &["http://..."]),
            (
                "ご確認ください。https://xxxxxxxxxxxxx",
                &["https://xxxxxxxxxxxxx"],
            ),
            (
                "ログイン（https://○○○.com/login）してください",
                &["https://○○○.com/login"],
            ),
            ("詳細：https://…。本日中に", &["https://…"]),
            ("ｈｔｔｐｓ：／／〜まで", &["ｈｔｔｐｓ：／／〜"]),
            ("お手続き http://sagawa-***** へ", &["http://sagawa-*****"]),
            ("hxxps:// が添えられていました", &["hxxps://"]),
            ("こちら(リンク)からお支払いください", &["(リンク)"]),
            ("更新は【 リンク先 】で", &["【 リンク先 】"]),
            ("以下より[URL省略]ご確認", &["[URL省略]"]),
            ("本文中のURL省略、電話番号", &["URL省略"]),
            ("（リンクURL）へアクセス", &["（リンクURL）"]),
            // A host with look-alike letters is no masked link.
            ("暗証番号はこちら https://nеnkin.go-jp.info/k", &[]),
            // A masked link ends where the next link begins.
            ("http://…http.com/a を開く", &["http://…"]),
            // A real link masked in part is a link: its host is kept.
            ("https://*****.top/yamato へ", &[]),
            // Words, not placeholders.
            (
                "（リンク型）の投資、リンク先は公式サイト、HTTP 410、CURL(1)、(links)",
                &[],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(masked(text), expected, "in {text:?}");
            // No masked link is also a URL.
            assert!(
                find_urls(text)
                    .iter()
                    .all(|u| !masked(text).contains(&&text[u.span.clone()]))
            );
        }
        assert_eq!(
            urls("https://*****.top/yamato へ"),
            ["https://*****.top/yamato"]
        );
        // `find_urls` alone is unchanged by them.
        assert!(urls("再配達はこちら http://... から（リンク）").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn masked_links_lie_on_boundaries_apart_from_the_urls(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "http", "hxxps", "ｈｔｔｐｓ", "://", "：／／", "...", "…", "○○", "x", ".com",
                    "/a", "(", ")", "（", "）", "【", "】", "リンク", "URL", "省略", "先", " ",
                    "\u{3000}", "е", "é", "お届け", "。", "*", "\n", "@", "-", "www.",
                ]),
                0..24,
            ),
        ) {
            let text = pieces.concat();
            let found = find_links(&text);
            let mut last = 0;
            for span in &found.masked {
                proptest::prop_assert!(span.start >= last && span.start < span.end);
                proptest::prop_assert!(text.is_char_boundary(span.start));
                proptest::prop_assert!(text.is_char_boundary(span.end));
                proptest::prop_assert!(
                    found.urls.iter().all(|u| u.span.end <= span.start || span.end <= u.span.start)
                );
                last = span.end;
            }
            proptest::prop_assert_eq!(&found.urls, &find_urls(&text));
            // The links lie apart and in order, on character boundaries.
            let mut last = 0;
            for url in &found.urls {
                proptest::prop_assert!(url.span.start >= last && url.span.start < url.span.end);
                proptest::prop_assert!(text.is_char_boundary(url.span.start));
                proptest::prop_assert!(text.is_char_boundary(url.span.end));
                last = url.span.end;
            }
        }
    }

    fn addresses(text: &str) -> Vec<&str> {
        find_addresses(text)
            .into_iter()
            .map(|span| &text[span])
            .collect()
    }

    #[test]
    fn addresses_are_found_whole_with_their_brackets() {
        let cases: [(&str, &[&str]); 17] = [
            ("返信は info@example.jp まで", &["info@example.jp"]),
            // A look-alike letter in the domain, as in a link's host.
            (
                "連絡は info@nеnkin.go-jp.info まで",
                &["info@nеnkin.go-jp.info"],
            ),
            (
                "ご連絡はsupport.desk@mail.example-shop.co.jpへ。",
                &["support.desk@mail.example-shop.co.jp"],
            ),
            (
                "From: 戸田 <toda@sonoda-kiko.co.jp>\n件名: 見積",
                &["<toda@sonoda-kiko.co.jp>"],
            ),
            (
                "差出人：山田＜yamada@example.jp＞",
                &["＜yamada@example.jp＞"],
            ),
            ("<mailto:help@example.com>", &["<mailto:help@example.com>"]),
            ("MAILTO:help@example.com", &["MAILTO:help@example.com"]),
            (
                "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ宛て",
                &["ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ"],
            ),
            (
                "From: ＊＊＊＊＊ <*****@*****.co.jp>",
                &["<*****@*****.co.jp>"],
            ),
            // A sentence's full stop and a lone bracket stay outside.
            (
                "宛先 a_b+c@example.com. または <x@example.org",
                &["a_b+c@example.com", "x@example.org"],
            ),
            (
                "550 5.1.1 <j.meyer@kranich-technik.de>: Recipient address rejected",
                &["<j.meyer@kranich-technik.de>"],
            ),
            // Not addresses: a handle, a host without a dot or top-level name, a lone `@`.
            ("LINE ID @sakura_2024 まで", &[]),
            ("root@localhost と user@host.123、メール@ドメイン", &[]),
            ("10個@500円", &[]),
            ("a@b.c と ..@example.com", &[]),
            // Written together, two addresses do not overlap.
            ("info@ex.jpinfo@ex.jp", &["info@ex.jpinfo"]),
            ("x@ex.jpmailto:y@ex.jp", &["x@ex.jpmailto", "y@ex.jp"]),
        ];
        for (text, expected) in cases {
            assert_eq!(addresses(text), expected, "in {text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn addresses_lie_on_boundaries_in_order(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "0", ".", "-", "_", "*", "@", "＠", "ｊｐ", ".jp", ".co", "<", ">",
                    "＜", "＞", "mailto:", "メール", "。", " ", "\n", "．", "info@ex.jp",
                ]),
                0..24,
            ),
        ) {
            let text = pieces.concat();
            let mut last = 0;
            for span in find_addresses(&text) {
                proptest::prop_assert!(span.start >= last && span.start < span.end);
                proptest::prop_assert!(text.is_char_boundary(span.start));
                proptest::prop_assert!(text.is_char_boundary(span.end));
                let found = &text[span.clone()];
                proptest::prop_assert!(found.contains('@') || found.contains('＠'), "{found:?}");
                last = span.end;
            }
        }
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "ご確認ください→https://ex.jp/x。";
        let found = find_urls(text);
        assert_eq!(&text[found[0].span.clone()], "https://ex.jp/x");
    }

    #[test]
    fn hosts() {
        let cases = [
            ("https://www.Amazon.co.jp/gp/css", Some("www.amazon.co.jp")),
            ("http://user:pw@203.0.113.9:8080/x", Some("203.0.113.9")),
            ("ｈｔｔｐｓ：／／ｅｘ．ｊｐ／", Some("ex.jp")),
            ("mailto:a@b.jp", None),
            ("/relative/path", None),
        ];
        for (url, host) in cases {
            assert_eq!(url_host(url).as_deref(), host, "{url}");
        }
    }
}
