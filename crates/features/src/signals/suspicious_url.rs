//! `suspicious_url`
//!
//! **What it detects.** A link to a bare IP address, to a punycode (`xn--`) host or one
//! written with non-ASCII letters (`pаypаy.jp`, a Cyrillic а), through a URL shortener, or
//! to a host that carries a brand's name (or a look-alike of it) inside a registered domain
//! that is not the brand's (`amazon-co-jp.account-verify.top`).
//!
//! **Why it points to a scam.** Genuine notices link to their own named domains. Scam
//! sites are short-lived hosts that borrow the brand's name in a subdomain, hide behind a
//! shortener, or use an IP address or an internationalised look-alike.
//!
//! **Example.** `https://rakuten-co-jp.card-verify.xyz/login`, `http://45.12.8.3/jp/`.
//!
//! **Known false positives.** Shortened links in legitimate SMS and newsletters; hosts that
//! contain a brand word for another reason (`amazonaws.com`).

use sagiguard_corpus::url_host;

use super::{Context, Field, Note, Signal, SignalKind};
use crate::brands::{lookalikes_in, skeleton_of};
use crate::domain::{is_ip, registered_domain};

/// Public URL shorteners, as hosts: a link is through one when its host is one of these or
/// `www.` and one of these. Hosts, not registered domains, because some shorteners' domains
/// also serve their owners' own links (`photos.app.goo.gl` is Google Photos sharing, not
/// `goo.gl`'s shortener). Brand-owned shorteners stay out unless genuine notices never use
/// them (`amzn.to` is an affiliate link, not an Amazon notice's).
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "bit.do",
    "bitly.com",
    "j.mp",
    "t.co",
    "goo.gl",
    "tinyurl.com",
    "is.gd",
    "v.gd",
    "t.ly",
    "ow.ly",
    "cutt.ly",
    "cutt.us",
    "rebrand.ly",
    "x.gd",
    "buff.ly",
    "shorturl.at",
    "rb.gy",
    "tiny.cc",
    "tiny.one",
    "goo.su",
    "urx.blue",
    "urx2.nu",
    "qr.paps.jp",
    "00m.in",
    "s.id",
    "lnkd.in",
    "amzn.to",
    // Common in East Asian smishing.
    "0rz.tw",
    "reurl.cc",
    "ppt.cc",
    "lihi.cc",
    "lihi1.com",
    "pse.is",
    "t.cn",
    "han.gl",
    "me2.do",
    "vo.la",
    // Others with a public shortening service.
    "clck.ru",
    "u.to",
    "qrco.de",
    "soo.gd",
    "2.gy",
    "t2m.io",
    "bl.ink",
    "cli.re",
    "tr.im",
    "adf.ly",
    "bc.vc",
    "ouo.io",
    "shorte.st",
    "surl.li",
    "kutt.it",
    "dub.sh",
    "gg.gg",
];

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for (i, link) in ctx.email.links.iter().enumerate() {
        let Some(host) = url_host(&link.href) else {
            continue;
        };
        if let Some(note) = reason(&host) {
            out.push(Signal {
                kind: SignalKind::SuspiciousUrl,
                evidence: link.href.clone(),
                field: Field::Link(i),
                note: Some(note),
            });
        }
    }
}

/// Why a host is suspicious; `None` when it is not.
pub(crate) fn reason(host: &str) -> Option<Note> {
    if is_ip(host) {
        return Some(Note::IpAddress);
    }
    if host.split('.').any(|label| label.starts_with("xn--")) {
        return Some(Note::Punycode);
    }
    let bare = host.strip_prefix("www.").unwrap_or(host);
    if SHORTENERS.contains(&bare) {
        return Some(Note::Shortener);
    }
    if let Some(domain) = registered_domain(host) {
        for token in host.split(['.', '-']).filter(|t| t.len() >= 4) {
            let skeleton = skeleton_of(token);
            if let Some((brand, _)) = lookalikes_in(&skeleton)
                .into_iter()
                .find(|(brand, _)| !brand.is_official(&domain))
            {
                return Some(Note::BrandInside {
                    brand: brand.names[0].to_string(),
                    domain,
                });
            }
        }
    }
    // The internationalised host as written, before it is encoded (`аmazon`, a Cyrillic а).
    host.chars()
        .any(|c| !c.is_ascii() && c.is_alphabetic())
        .then_some(Note::NonAscii)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{found, mail, signals_of};
    use super::super::{Lang, SignalKind};
    use super::reason;

    /// The suspicious-link signals of a text.
    fn signals(body: &str) -> Vec<super::Signal> {
        signals_of(&mail("", "", body), SignalKind::SuspiciousUrl)
    }

    /// The suspicious links of a text, with their notes as the JSON output shows them.
    fn noted(body: &str) -> Vec<String> {
        signals(body).iter().map(|s| s.evidence_noted()).collect()
    }

    #[test]
    fn look_alike_hosts_are_found_with_or_without_a_scheme() {
        for (body, evidence) in [
            (
                "年金の受け取り手続き nеnkin.go-jp.info/k から",
                "http://nеnkin.go-jp.info/k (non-ASCII letters)",
            ),
            (
                "年金の受け取り手続き https://nеnkin.go-jp.info/k から",
                "https://nеnkin.go-jp.info/k (non-ASCII letters)",
            ),
            (
                "ご確認は Αmazon.co.jp-verify.top/signin で",
                "http://Αmazon.co.jp-verify.top/signin (Amazon inside jp-verify.top)",
            ),
        ] {
            assert_eq!(noted(body), [evidence], "{body}");
        }
    }

    #[test]
    fn the_evidence_is_the_link_as_written_and_the_note_speaks_the_readers_language() {
        let body = "詳細は https://bit.ly/3xYz から";
        assert_eq!(
            found(&mail("", "", body), SignalKind::SuspiciousUrl),
            ["https://bit.ly/3xYz"]
        );
        for (lang, ending) in [
            (Lang::Ja, "：「https://bit.ly/3xYz」（短縮URL）"),
            (Lang::En, ": \"https://bit.ly/3xYz (URL shortener)\""),
        ] {
            let message = signals(body)[0].message(lang);
            assert!(message.ends_with(ending), "{message}");
        }
        for (body, ja) in [
            ("http://203.0.113.9/jp/", "IPアドレスの直書き"),
            (
                "http://xn--amazn-mye.com/",
                "punycode（xn--）で書かれたドメイン",
            ),
            (
                "https://shоp-sale.jp/",
                "英字に似た外国の文字を使ったドメイン",
            ),
            (
                "https://rakuten-card.secure-login.xyz/",
                "楽天の名前を含む別のドメイン secure-login.xyz",
            ),
        ] {
            let message = signals(body).first().map(|s| s.message(Lang::Ja));
            assert!(
                message
                    .as_deref()
                    .is_some_and(|m| m.ends_with(&format!("」（{ja}）"))),
                "{body}: {message:?}"
            );
        }
    }

    #[test]
    fn suspicious_hosts() {
        for host in [
            "203.0.113.9",
            "xn--amazn-mye.com",
            "аmazon.co.jp.verify.top",
            "pаypаy.jp",
            "bit.ly",
            "www.bit.ly",
            "bit.do",
            "0rz.tw",
            "clck.ru",
            "reurl.cc",
            "amazon-co-jp.account-verify.top",
            "rakuten-card.secure-login.xyz",
            "amaz0n-security.com",
        ] {
            assert!(reason(host).is_some(), "{host}");
        }
    }

    #[test]
    fn official_and_ordinary_hosts_are_quiet() {
        for host in [
            "www.amazon.co.jp",
            "event.rakuten.co.jp",
            "www.smbc-card.com",
            "example.co.jp",
            "docs.python.org",
            // A shortener's domain serving its owner's own links, and hosts that only
            // end like a shortener.
            "photos.app.goo.gl",
            "maps.app.goo.gl",
            "habit.ly",
            "robot.co",
        ] {
            assert_eq!(reason(host), None, "{host}");
        }
    }
}
