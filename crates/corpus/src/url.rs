//! Finding URLs written in Japanese text.
//!
//! General-purpose linkifiers treat any non-space character as part of a URL, so
//! `…/loginからログインしてください` becomes one long "URL", and they miss the full-width
//! `ｈｔｔｐｓ：／／` that scams use to slip past filters. Here a URL is a scheme (or `www.`)
//! followed by URL characters only, in ASCII or full width, and ends where Japanese text,
//! white space or a closing bracket begins.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// A URL found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundUrl {
    /// The byte range in the text.
    pub span: Range<usize>,
    /// The URL with full-width characters folded to ASCII; `www.` URLs get `http://`.
    pub url: String,
}

/// Finds the URLs in `text`, in order.
pub fn find_urls(text: &str) -> Vec<FoundUrl> {
    let mut found = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(start) = next_start(text, pos) else {
            break;
        };
        let end = url_end(text, start);
        let raw = &text[start..end];
        let folded: String = raw.nfkc().collect();
        let url = if folded.to_ascii_lowercase().starts_with("www.") {
            format!("http://{folded}")
        } else {
            folded
        };
        if has_host(&url) {
            found.push(FoundUrl {
                span: start..end,
                url,
            });
        }
        pos = end.max(start + 1);
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
    found
}

/// Where the next `http://`, `https://` or `www.` begins, in ASCII or full width, at a
/// position not preceded by a URL character (so `xwww.` inside a word is not a start).
fn next_start(text: &str, from: usize) -> Option<usize> {
    let mut prev: Option<char> = text[..from].chars().next_back();
    for (offset, c) in text[from..].char_indices() {
        let i = from + offset;
        let starts = matches!(c, 'h' | 'H' | 'ｈ' | 'Ｈ' | 'w' | 'W' | 'ｗ' | 'Ｗ')
            && !prev.is_some_and(|p| fold(p).is_some_and(|p| p.is_ascii_alphanumeric()));
        if starts && starts_url(&text[i..]) {
            return Some(i);
        }
        prev = Some(c);
    }
    None
}

fn starts_url(rest: &str) -> bool {
    let head: String = rest.chars().take(8).filter_map(fold).collect();
    let head = head.to_ascii_lowercase();
    head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.")
}

fn url_end(text: &str, start: usize) -> usize {
    let mut end = start;
    for (offset, c) in text[start..].char_indices() {
        match fold(c) {
            Some(a) if is_url_char(a) => end = start + offset + c.len_utf8(),
            _ => break,
        }
    }
    trim_trailing(text, start, end)
}

/// Sentence punctuation after a URL belongs to the sentence; a closing bracket belongs to
/// the URL only when the URL opened one.
fn trim_trailing(text: &str, start: usize, mut end: usize) -> usize {
    while let Some(c) = text[start..end].chars().next_back() {
        let a = fold(c).unwrap_or(c);
        let drop = match a {
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

/// The ASCII character a full-width form stands for, or the character itself if ASCII.
fn fold(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let code = c as u32;
    if (0xFF01..=0xFF5E).contains(&code) {
        return char::from_u32(code - 0xFF01 + 0x21);
    }
    None
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
    let folded: String = url.trim().nfkc().collect();
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

    fn urls(text: &str) -> Vec<String> {
        find_urls(text).into_iter().map(|f| f.url).collect()
    }

    #[test]
    fn urls_end_where_japanese_text_begins() {
        let cases: [(&str, &[&str]); 9] = [
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
            ("https://localhost は対象外", &[]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(urls(text), expected, "in {text:?}");
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
