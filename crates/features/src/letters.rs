//! Whether a domain's name is made of words or of random letters, as the throwaway domains
//! phishing is sent from are (`service.<random>.cn`).
//!
//! A letter trigram model of Japanese words (IPADIC's readings in Hepburn, as Japanese domains
//! are spelled) and one of English words, built by `scripts/letter-model`: a run of letters is
//! random when neither model reads it better than the threshold.

/// Two tables of 27 x 27 x 27 bytes, Japanese then English: `-log P(next | two before)` in
/// sixteenths of a nat, index 0 the run's edge, 1..=26 `a..=z`.
static TRIGRAMS: &[u8; 2 * TABLE] = include_bytes!("../data/letter-trigrams.bin");
const TABLE: usize = 27 * 27 * 27;

/// Mean `-log P` per letter above which a run reads as random in both languages: the level
/// that 95 % of uniformly random runs of 5 to 10 letters exceed (`scripts/letter-model`'s
/// tables; a brand's own name such as `nttdocomo` or `ezweb` exceeds it too, which is why a
/// brand's own domains are never asked).
const RANDOM_ABOVE: f32 = 3.64;

/// Runs shorter than this are acronyms as often as random (`kddi`, `mufg`, `tkhs`).
const MIN_LETTERS: usize = 5;

/// Whether a run of ASCII lowercase letters reads as random letters rather than a word.
pub(crate) fn random_letters(run: &str) -> bool {
    if run.len() < MIN_LETTERS || !run.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let cost = |table: &[u8]| {
        let (mut a, mut b, mut sum) = (0usize, 0usize, 0u32);
        for c in run.bytes().map(|c| usize::from(c - b'a' + 1)).chain([0]) {
            sum += u32::from(table[(a * 27 + b) * 27 + c]);
            (a, b) = (b, c);
        }
        sum as f32 / 16.0 / (run.len() + 1) as f32
    };
    let (japanese, english) = TRIGRAMS.split_at(TABLE);
    cost(japanese).min(cost(english)) > RANDOM_ABOVE
}

/// The first run of random letters in a host's own labels (the registered domain's name and
/// the subdomains before it, not the public suffix); runs are split at digits and hyphens.
/// `registered` is the host's registered domain, lowercase, as the caller derived it.
pub(crate) fn random_label(host: &str, registered: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let name = registered.split('.').next()?;
    let subdomains = host.strip_suffix(registered).unwrap_or("");
    subdomains
        .split('.')
        .chain([name])
        .flat_map(|label| label.split(|c: char| !c.is_ascii_lowercase()))
        .find(|run| random_letters(run))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_either_language_are_not_random() {
        for word in [
            "kuronekoyamato",
            "rakuten",
            "mercari",
            "softbank",
            "yamadadenki",
            "shinkansen",
            "hokkaido",
            "newsletter",
            "support",
            "service",
            "security",
            "account",
            "liberate",
        ] {
            assert!(!random_letters(word), "{word}");
        }
    }

    #[test]
    fn random_runs_are() {
        for run in ["qzvkrt", "xkbwtd", "pwqhzm", "vdjrkxa", "gqwpoz", "rtxvbnq"] {
            assert!(random_letters(run), "{run}");
        }
    }

    #[test]
    fn short_runs_digits_and_capitals_are_left_alone() {
        for run in ["qzvk", "kddi", "qzvk1", "QZVKRT", ""] {
            assert!(!random_letters(run), "{run}");
        }
    }

    fn random_label(host: &str) -> Option<String> {
        let registered = crate::domain::registered_domain(host)?;
        super::random_label(host, &registered)
    }

    #[test]
    fn hosts_are_read_label_by_label_without_the_suffix() {
        assert_eq!(random_label("service.qzvkrt.cn").as_deref(), Some("qzvkrt"));
        assert_eq!(
            random_label("xkbwtd.mail-delivery.com").as_deref(),
            Some("xkbwtd")
        );
        assert_eq!(random_label("mail.pwqhzm83.top").as_deref(), Some("pwqhzm"));
        assert_eq!(random_label("MAIL.PWQHZM.TOP.").as_deref(), Some("pwqhzm"));
        for host in [
            "mail.rakuten.co.jp",
            "kuronekoyamato.co.jp",
            "news.shinkansen-tours.com",
            "qz.example.com",
            "co.jp",
            "",
        ] {
            assert_eq!(random_label(host), None, "{host}");
        }
    }

    /// The threshold is where 95 % of uniformly random runs of 5 to 10 letters read as
    /// random: a table rebuilt without moving it fails here.
    #[test]
    fn the_threshold_flags_95_percent_of_random_runs() {
        // xorshift64*: a fixed stream of letters, the same on every machine.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |k: u64| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % k
        };
        let trials = 20_000;
        let flagged = (0..trials)
            .filter(|_| {
                let len = 5 + next(6);
                let run: String = (0..len)
                    .map(|_| char::from(b'a' + next(26) as u8))
                    .collect();
                random_letters(&run)
            })
            .count();
        let share = flagged as f64 / f64::from(trials);
        assert!((0.935..=0.965).contains(&share), "{share}");
    }

    proptest::proptest! {
        /// Any host: no panic, and a run reported is a run of the host's letters that reads
        /// as random.
        #[test]
        fn any_host_is_read_without_panic(host in "[a-zA-Z0-9.\\-ａ-ｚé]{0,40}") {
            if let Some(run) = random_label(&host) {
                proptest::prop_assert!(host.to_ascii_lowercase().contains(&run));
                proptest::prop_assert!(random_letters(&run));
            }
        }
    }

    #[test]
    fn the_table_is_whole_and_every_context_a_distribution() {
        for (t, table) in TRIGRAMS.chunks(TABLE).enumerate() {
            for (context, row) in table.chunks(27).enumerate() {
                let total: f64 = row.iter().map(|&b| (-f64::from(b) / 16.0).exp()).sum();
                // Quantised to a sixteenth of a nat: within a few percent of one.
                assert!(
                    (0.9..1.1).contains(&total),
                    "table {t}, context {context}: {total}"
                );
            }
        }
    }
}
