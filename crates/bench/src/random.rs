//! The seeded randomness behind every generated mail.
//!
//! Each mail draws from its own ChaCha8 stream, keyed by the seed and numbered by the mail's
//! index. A mail therefore depends only on the seed and its index: the first thousand mails of
//! a million-mail corpus are the thousand mails of a smaller one, and a later parallel writer
//! would produce the same bytes. ChaCha8's output is fixed by its specification, and
//! rand_chacha promises value stability for it, so a seed names the same corpus across
//! versions. Ranges are mapped with a widening multiply rather than through `rand`'s
//! distributions, whose algorithms may change between releases.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// The random draws of one mail.
pub(crate) struct Random {
    rng: ChaCha8Rng,
}

impl Random {
    /// The stream of mail number `index` in the corpus of `seed`.
    pub(crate) fn for_mail(seed: u64, index: u64) -> Random {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index);
        Random { rng }
    }

    /// A number in `0..n`; `n` must not be zero.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0, "an empty range has no member");
        ((u128::from(self.rng.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// An index into a slice of `len` items.
    pub(crate) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub(crate) fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Random bytes.
    pub(crate) fn fill(&mut self, bytes: &mut [u8]) {
        self.rng.fill_bytes(bytes);
    }

    /// `len` characters drawn from `alphabet` (ASCII).
    pub(crate) fn chars(&mut self, alphabet: &[u8], len: usize, out: &mut String) {
        for _ in 0..len {
            out.push(char::from(self.pick(alphabet)));
        }
    }

    /// `len` decimal digits.
    pub(crate) fn digits(&mut self, len: usize, out: &mut String) {
        self.chars(b"0123456789", len, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_stream_depends_on_seed_and_index_only() {
        let draw = |seed, index| {
            let mut random = Random::for_mail(seed, index);
            (0..4).map(|_| random.below(1_000_000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, 3), draw(7, 3));
        assert_ne!(draw(7, 3), draw(7, 4));
        assert_ne!(draw(7, 3), draw(8, 3));
    }

    #[test]
    fn ranges_stay_inside_their_bounds() {
        let mut random = Random::for_mail(1, 0);
        for _ in 0..10_000 {
            assert!((5..=9).contains(&random.between(5, 9)));
            assert!(random.below(3) < 3);
        }
    }
}
