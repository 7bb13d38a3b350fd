//! `display_name_domain`
//!
//! **What it detects.** The From display name shows a host or an address
//! (`"lists.example.org" <info@other.jp>`, `www.bank.example.co.jp <notice@…>`) whose
//! registered domain is not the one the From address is at.
//!
//! **Why it points to a scam.** The display name is what the reader sees; a sender that is
//! not the one it names puts the domain there, where no mail server checks it (rspamd's
//! `SPOOF_DISPLAY_NAME` and `FROM_NEQ_DISPLAY_NAME` look for the same).
//!
//! **Example.** `From: "Amazon.co.jp" <account-update@amazon-co-jp.account-verify.xyz>`.
//!
//! **Known false positives.** A service that names its brand's domain and sends through a
//! mailing company's own domain (`example.com <news@mail-delivery.example.net>`); a forwarder
//! that writes the original sender's address into the name (`a@example.jp via list`). A
//! dotted word is a host only when it ends in a common top-level domain, as a link without a
//! scheme must (`Dr.Health`, `Tokyo.py` are names).

use sagiguard_corpus::{find_addresses, find_urls, url_host};

use super::{Context, Field, Signal, SignalKind};
use crate::domain::registered_domain;

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    let (Some(name), Some(domain)) = (
        ctx.email.from.as_ref().and_then(|m| m.name.as_deref()),
        &ctx.sender_domain,
    ) else {
        return;
    };
    if let Some(shown) = other_domain(name, domain) {
        out.push(Signal {
            kind: SignalKind::DisplayNameDomain,
            evidence: format!("{shown} ← {domain}"),
            field: Field::From,
            note: None,
        });
    }
}

/// The first host or address domain `name` shows whose registered domain is not
/// `from_domain`, as written.
fn other_domain(name: &str, from_domain: &str) -> Option<String> {
    if !name.contains('.') {
        return None;
    }
    let other = |host: &str| registered_domain(host).is_some_and(|d| d != from_domain);
    find_urls(name)
        .iter()
        .filter_map(|found| url_host(&found.url))
        .find(|host| other(host))
        .or_else(|| {
            find_addresses(name).into_iter().find_map(|span| {
                let (_, host) = name[span].rsplit_once(['@', '＠'])?;
                let host = host.trim_end_matches('>');
                other(host).then(|| host.to_string())
            })
        })
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    #[test]
    fn a_name_showing_another_domain_is_found() {
        let body = "メンテナンスのお知らせです。";
        for (from, evidence) in [
            (
                "\"lists.example.org\" <info@other-host.jp>",
                "lists.example.org ← other-host.jp",
            ),
            (
                "www.example-bank.co.jp <notice@mail.example.top>",
                "www.example-bank.co.jp ← example.top",
            ),
            (
                "support@example-shop.com <mailer@relay.example.net>",
                "example-shop.com ← example.net",
            ),
            (
                "ご案内 (news.example.co.jp) <info@bulk.example.xyz>",
                "news.example.co.jp ← example.xyz",
            ),
        ] {
            let hits = found(&mail("お知らせ", from, body), SignalKind::DisplayNameDomain);
            assert_eq!(hits.len(), 1, "{from}: {hits:?}");
            assert_eq!(hits[0], evidence, "{from}");
        }
    }

    #[test]
    fn names_of_the_same_domain_or_without_one_are_quiet() {
        for from in [
            // The same registered domain, whatever the host.
            "Example.co.jp <auto-confirm@mail.example.co.jp>",
            "shop.example.com <info@example.com>",
            // Dotted names that end in no common top-level domain, names without a dot.
            "Dr.Health <support@example-health.shop>",
            "T.Kawashima <t.kawashima.1975@example.com>",
            "Tokyo.py 運営 <organizers@example.org>",
            "サポート窓口 <info@example.jp>",
            // No name.
            "info@example.jp",
        ] {
            let hits = found(
                &mail("お知らせ", from, "ご案内です。"),
                SignalKind::DisplayNameDomain,
            );
            assert!(hits.is_empty(), "{from}: {hits:?}");
        }
    }
}
