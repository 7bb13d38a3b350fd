//! `crypto_address`
//!
//! **What it detects.** A bitcoin address whose checksum is valid: bech32/bech32m
//! (`bc1…`, BIP 173/350) or base58check (`1…`, `3…`); and an Ethereum address (`0x` and 40
//! hex digits, which carries no checksum in lowercase).
//!
//! **Why it points to a scam.** Legitimate mail to consumers does not ask for payment to a
//! wallet; sextortion and investment fraud do, because it cannot be reversed or traced.
//!
//! **Example.** 「ビットコインアドレス：bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq」
//!
//! **Known false positives.** Exchange and wallet notices that show the user's own address.
//! Strings that only look like an address (checksum wrong, as in made-up examples) are not
//! this signal; [`wallet_shaped`] counts them as a separate, weaker feature.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Signal, SignalKind};

pub(super) static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:(?i:bc1)[0-9A-Za-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|0x[0-9a-fA-F]{40})(?-u:\b)",
    )
    .expect("the wallet pattern is valid")
});

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    // The raw text, not the normalised one: base58check is case-sensitive, and case folding
    // would break every legacy (`1…`, `3…`) address's checksum.
    for (field, text) in ctx.raw_texts() {
        for m in CANDIDATE.find_iter(text) {
            if is_valid(m.as_str()) {
                out.push(Signal {
                    kind: SignalKind::CryptoAddress,
                    evidence: m.as_str().to_string(),
                    field: field.clone(),
                });
            }
        }
    }
}

/// Strings shaped like wallet addresses, valid or not.
pub fn wallet_shaped(text: &str) -> usize {
    CANDIDATE.find_iter(text).count()
}

fn is_valid(address: &str) -> bool {
    if address.len() >= 3 && address[..3].eq_ignore_ascii_case("bc1") {
        return bech32::segwit::decode(address).is_ok();
    }
    if address.starts_with("0x") {
        return true;
    }
    bs58::decode(address)
        .with_check(None)
        .into_vec()
        .is_ok_and(|payload| matches!(payload.first(), Some(0x00 | 0x05)))
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};
    use super::{is_valid, wallet_shaped};

    #[test]
    fn checksums_decide() {
        for valid in [
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        ] {
            assert!(is_valid(valid), "{valid}");
        }
        for invalid in [
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyX",
        ] {
            assert!(!is_valid(invalid), "{invalid}");
        }
    }

    #[test]
    fn legacy_addresses_are_found_in_mixed_case_text() {
        // Written for this test: a checksum-valid P2PKH and P2SH address next to Japanese.
        let body = "下記が私のウォレットです：1BoatSLRHtKNngkdXEeobR76b53LETtpyT\nまたは3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLyへ送金";
        assert_eq!(
            found(&mail("件名", "a@b.jp", body), SignalKind::CryptoAddress),
            [
                "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
            ]
        );
        // Full-width digits in front do not hide an address either.
        let subject = "ＢＴＣ：1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
        assert_eq!(
            found(&mail(subject, "a@b.jp", "本文"), SignalKind::CryptoAddress).len(),
            1
        );
    }

    #[test]
    fn the_same_address_twice_is_one_signal() {
        let body =
            "送金先：1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n再掲：1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
        assert_eq!(
            found(&mail("件名", "a@b.jp", body), SignalKind::CryptoAddress).len(),
            1
        );
    }

    #[test]
    fn only_valid_addresses_are_signals() {
        let body = "送金先：bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq（控え：bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx）";
        assert_eq!(
            found(&mail("件名", "a@b.jp", body), SignalKind::CryptoAddress),
            ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]
        );
        assert_eq!(wallet_shaped(body), 2);
        assert!(
            found(
                &mail("件名", "a@b.jp", "注文番号 1234567890123456789012345"),
                SignalKind::CryptoAddress
            )
            .is_empty()
        );
    }
}
