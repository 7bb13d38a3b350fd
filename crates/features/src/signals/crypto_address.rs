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
//! this signal; the feature `shape:wallet` counts them as a separate, weaker one.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Signal, SignalKind};

/// A whole ASCII word of an address's alphabet, of any length: [`candidates`] checks the
/// length. Every character of these alphabets is a word character, so a match runs from one
/// word boundary to the next either way; counted repetitions (`{25,34}`) made this the
/// costliest of the signals' patterns to compile, on every one-mail process's start-up.
pub(super) static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:(?i:bc1)[0-9A-Za-z]+|[13][1-9A-HJ-NP-Za-km-z]+|0x[0-9a-fA-F]+)(?-u:\b)")
        .expect("the wallet pattern is valid")
});

/// Words shaped like an address: bech32 `bc1` and 11 to 71 characters, base58 `1`/`3` and
/// 25 to 34, or `0x` and 40 hex digits.
fn candidates(text: &str) -> impl Iterator<Item = regex::Match<'_>> {
    CANDIDATE.find_iter(text).filter(|m| {
        let len = m.len();
        match m.as_str().as_bytes()[0] {
            b'1' | b'3' => (26..=35).contains(&len),
            b'0' => len == 42,
            _ => (14..=74).contains(&len),
        }
    })
}

/// Finds the valid addresses, and says whether anything shaped like one was seen (valid or
/// not, which the features count as a shape).
pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) -> bool {
    let mut shaped = false;
    // The raw text, not the normalised one: base58check is case-sensitive, and case folding
    // would break every legacy (`1…`, `3…`) address's checksum.
    for (field, text) in ctx.raw_texts() {
        for m in candidates(text) {
            shaped = true;
            if is_valid(m.as_str()) {
                out.push(Signal {
                    kind: SignalKind::CryptoAddress,
                    evidence: m.as_str().to_string(),
                    field: field.clone(),
                    note: None,
                });
            }
        }
    }
    shaped
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
    use super::{candidates, is_valid};

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        /// The length check after an open-ended pattern finds what the counted pattern found.
        #[test]
        fn candidates_are_what_the_counted_pattern_matches(
            pieces in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["", "bc1", "BC1", "0x", "1", "3", "x", "_"]),
                    proptest::string::string_regex(
                        "[0-9a-fA-F]{38,42}|[1-9A-HJ-NP-Za-km-z]{23,36}|[0-9A-Za-z]{9,13}|[0-9A-Za-z]{69,73}",
                    )
                    .unwrap(),
                    proptest::sample::select(vec![" ", " ", "。", "送", "_", "-", "l", "０"]),
                ),
                0..5,
            )
        ) {
            let text: String = pieces.iter().map(|(a, b, c)| format!("{a}{b}{c}")).collect();
            let counted = regex::Regex::new(
                r"(?-u:\b)(?:(?i:bc1)[0-9A-Za-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|0x[0-9a-fA-F]{40})(?-u:\b)",
            )
            .unwrap();
            let want: Vec<_> = counted.find_iter(&text).map(|m| m.range()).collect();
            let got: Vec<_> = candidates(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(got, want, "{}", text);
        }
    }

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
        assert_eq!(candidates(body).count(), 2);
        // Shaped like one, valid or not, in the subject or the body: a shape the features
        // count beside the signal.
        let shaped = |subject: &str, body: &str| {
            super::super::detect_with_claims(&mail(subject, "a@b.jp", body), Default::default())
                .wallet_shaped
        };
        assert!(shaped("件名", body));
        assert!(shaped("1BoatSLRHtKNngkdXEeobR76b53LETtpyX", "本文"));
        assert!(!shaped("件名", "注文番号 12345 と 0x12"));
        assert!(
            found(
                &mail("件名", "a@b.jp", "注文番号 1234567890123456789012345"),
                SignalKind::CryptoAddress
            )
            .is_empty()
        );
    }
}
