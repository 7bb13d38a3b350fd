//! Hosts, registered domains and top-level domains.

use std::net::IpAddr;

/// The registered domain (eTLD+1 by the Public Suffix List) of a host: `amazon.co.jp` for
/// `www.amazon.co.jp`, `account-verify.top` for `amazon-co-jp.account-verify.top`. An IP
/// address is its own registered domain; `None` for a host with no registrable part.
pub fn registered_domain(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_lowercase();
    if host.is_empty() {
        return None;
    }
    if host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok() {
        return Some(host);
    }
    psl::domain_str(&host).map(str::to_string)
}

/// Whether a host is a bare IP address.
pub fn is_ip(host: &str) -> bool {
    host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok()
}

/// The last label of a host (`top` for `x.account-verify.top`); `None` for an IP.
pub fn tld(host: &str) -> Option<String> {
    if is_ip(host) {
        return None;
    }
    let label = host.trim_end_matches('.').rsplit('.').next()?;
    (!label.is_empty()).then(|| label.to_lowercase())
}

/// Country-code top-level domains sold as generic names (`.io`, `.me`, `.tv`, `.co`), or
/// given away, which say nothing of a country.
const GENERIC_COUNTRY_CODES: &[&str] = &[
    "ac", "ai", "am", "cc", "cf", "co", "fm", "ga", "gg", "gl", "gq", "io", "la", "ly", "me", "ml",
    "ms", "nu", "sh", "so", "st", "tk", "to", "tv", "vc", "ws",
];

/// Whether a top-level domain is another country's than Japan's (`cn`, `br`, `ru`, not `jp`
/// nor a country code sold as a generic name).
pub fn is_foreign_country(tld: &str) -> bool {
    tld.len() == 2
        && tld.bytes().all(|b| b.is_ascii_lowercase())
        && tld != "jp"
        && !GENERIC_COUNTRY_CODES.contains(&tld)
}

/// Whether `domain` is `official` or one of its subdomains.
pub fn is_within(domain: &str, official: &str) -> bool {
    domain == official
        || domain
            .strip_suffix(official)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_countries() {
        for tld in ["cn", "br", "ru", "us", "uk", "vn"] {
            assert!(is_foreign_country(tld), "{tld}");
        }
        for tld in ["jp", "com", "top", "io", "me", "co", "tv", "", "c1"] {
            assert!(!is_foreign_country(tld), "{tld}");
        }
    }

    #[test]
    fn registered_domains() {
        let cases = [
            ("www.Amazon.co.jp", Some("amazon.co.jp")),
            (
                "amazon-co-jp.account-verify.top",
                Some("account-verify.top"),
            ),
            ("bk.mufg.jp", Some("mufg.jp")),
            ("www.city.yokohama.lg.jp", Some("yokohama.lg.jp")),
            ("203.0.113.5", Some("203.0.113.5")),
            ("", None),
        ];
        for (host, expected) in cases {
            assert_eq!(registered_domain(host).as_deref(), expected, "{host}");
        }
        assert_eq!(tld("x.verify.TOP").as_deref(), Some("top"));
        assert_eq!(tld("10.0.0.1"), None);
        assert!(is_within("mail.amazon.co.jp", "amazon.co.jp"));
        assert!(!is_within("notamazon.co.jp", "amazon.co.jp"));
    }
}
