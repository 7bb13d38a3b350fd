//! `link_text_mismatch`
//!
//! **What it detects.** An HTML link whose shown text is itself a URL or domain, and whose
//! target is on a different registered domain.
//!
//! **Why it points to a scam.** The reader trusts the domain they see; phishing shows the
//! brand's real address and links to its own.
//!
//! **Example.** `<a href="https://amaz0n-co-jp.verify-account.top/…">https://www.amazon.co.jp/…</a>`.
//!
//! **Known false positives.** Newsletters that route every click through a tracking or
//! redirect domain (`click.mail.example.com`) while showing the destination.

use sagiguard_corpus::url_host;

use super::{Context, Field, Signal, SignalKind};
use crate::domain::registered_domain;

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for (i, link) in ctx.email.links.iter().enumerate() {
        let Some(text) = &link.text else { continue };
        let Some(shown) = shown_domain(text) else {
            continue;
        };
        let Some(target) = url_host(&link.href).and_then(|h| registered_domain(&h)) else {
            continue;
        };
        if shown != target {
            out.push(Signal {
                kind: SignalKind::LinkTextMismatch,
                evidence: format!("{} → {}", text.trim(), link.href),
                field: Field::Link(i),
                note: None,
            });
        }
    }
}

/// The registered domain a link text displays: a URL, or a bare `www.…`/`host.tld` word.
fn shown_domain(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(found) = sagiguard_corpus::find_urls(text).first() {
        return url_host(&found.url).and_then(|h| registered_domain(&h));
    }
    // A bare domain such as `amazon.co.jp` or `www.smbc-card.com/mem`.
    let word = text.split(['/', ' ', '\u{3000}']).next()?;
    let looks_like_domain = word.contains('.')
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && word
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    looks_like_domain.then(|| registered_domain(word)).flatten()
}

#[cfg(test)]
mod tests {
    use sagiguard_corpus::Link;

    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    fn with_link(text: &str, href: &str) -> sagiguard_corpus::Email {
        let mut email = mail("件名", "a@example.jp", "本文");
        email.links = vec![Link {
            text: Some(text.into()),
            href: href.into(),
        }];
        email
    }

    #[test]
    fn a_shown_domain_that_differs_is_found() {
        for (text, href) in [
            (
                "https://www.amazon.co.jp/gp/css",
                "https://amaz0n-co-jp.verify-account.top/x",
            ),
            ("www.smbc-card.com", "http://203.0.113.7/login"),
            ("mufg.jp/login", "https://mufg-jp.secure-login.xyz/"),
        ] {
            let hits = found(&with_link(text, href), SignalKind::LinkTextMismatch);
            assert_eq!(hits.len(), 1, "{text} -> {href}");
        }
    }

    #[test]
    fn matching_domains_and_plain_link_texts_are_quiet() {
        for (text, href) in [
            (
                "https://www.amazon.co.jp/",
                "https://www.amazon.co.jp/ref=x",
            ),
            ("https://www.rakuten.co.jp/", "https://event.rakuten.co.jp/"),
            ("こちらからログイン", "https://example.top/login"),
            ("詳しくはこちら", "https://www.city.example.lg.jp/"),
        ] {
            let hits = found(&with_link(text, href), SignalKind::LinkTextMismatch);
            assert!(hits.is_empty(), "{text} -> {href}: {hits:?}");
        }
    }
}
