//! Folds for cross-validation that keep near-duplicate mails together.
//!
//! Phishing campaigns send the same text with small changes; if one copy trains and its
//! twin tests, cross-validation flatters the model. Mails whose character 5-gram sets
//! overlap by more than half (Jaccard, found with MinHash banding) form one group, and a
//! group goes to one fold. Folds are stratified: each group joins the fold that has the
//! fewest mails of the group's label so far, groups taken in a seeded order.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use sagiguard_corpus::{Email, Label};

const HASHES: usize = 32;
const BANDS: usize = 8;
const NEAR: f64 = 0.5;

/// A fold index for every mail.
pub fn folds(mails: &[(&Email, Label)], k: usize, seed: u64) -> Vec<usize> {
    let groups = near_duplicate_groups(mails.iter().map(|(e, _)| *e));
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        members.entry(*g).or_default().push(i);
    }
    let mut order: Vec<(u64, usize)> = members
        .keys()
        .map(|&g| (hash_of(&(seed, mails[members[&g][0]].0.id.as_str(), g)), g))
        .collect();
    order.sort_unstable();
    let mut per_fold = vec![[0usize; 2]; k];
    let mut fold_of = vec![0; mails.len()];
    for (_, g) in order {
        let rows = &members[&g];
        let scams = rows.iter().filter(|&&i| mails[i].1 == Label::Scam).count();
        let label = usize::from(scams * 2 >= rows.len());
        let fold = (0..k)
            .min_by_key(|&f| (per_fold[f][label], per_fold[f][0] + per_fold[f][1], f))
            .expect("k >= 2");
        for &i in rows {
            fold_of[i] = fold;
            per_fold[fold][usize::from(mails[i].1 == Label::Scam)] += 1;
        }
    }
    fold_of
}

/// A group id per mail: equal for mails joined by near-duplicate links.
pub fn near_duplicate_groups<'a>(mails: impl Iterator<Item = &'a Email>) -> Vec<usize> {
    let shingles: Vec<Vec<u64>> = mails.map(shingles).collect();
    let signatures: Vec<[u64; HASHES]> = shingles.iter().map(|s| minhash(s)).collect();
    let mut parent: Vec<usize> = (0..shingles.len()).collect();
    let rows = HASHES / BANDS;
    for band in 0..BANDS {
        let mut buckets: HashMap<&[u64], Vec<usize>> = HashMap::new();
        for (i, sig) in signatures.iter().enumerate() {
            if !shingles[i].is_empty() {
                buckets
                    .entry(&sig[band * rows..(band + 1) * rows])
                    .or_default()
                    .push(i);
            }
        }
        for candidates in buckets.values().filter(|c| c.len() > 1) {
            for (n, &i) in candidates.iter().enumerate() {
                for &j in &candidates[n + 1..] {
                    if find(&mut parent, i) != find(&mut parent, j)
                        && jaccard(&shingles[i], &shingles[j]) > NEAR
                    {
                        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
    }
    (0..shingles.len()).map(|i| find(&mut parent, i)).collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn shingles(email: &Email) -> Vec<u64> {
    let chars: Vec<char> = email
        .subject
        .chars()
        .chain(email.body.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut set: Vec<u64> = chars.windows(5).map(hash_of).collect();
    set.sort_unstable();
    set.dedup();
    set
}

fn minhash(set: &[u64]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &x in set {
        for (k, slot) in sig.iter_mut().enumerate() {
            let h = mix(x ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            *slot = (*slot).min(h);
        }
    }
    sig
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter).max(1) as f64
}

/// SplitMix64 finaliser: a fixed, seedable mixing function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash that is the same in every process (std's `DefaultHasher::new` has fixed keys).
fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    mix(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(id: &str, body: &str) -> Email {
        Email {
            id: id.into(),
            body: body.into(),
            ..Email::default()
        }
    }

    #[test]
    fn near_duplicates_share_a_group_and_a_fold() {
        let base = "お客様のアカウントで不正なアクセスを検知しました。24時間以内に下記URLからご本人確認をお願いいたします。";
        let twin = "お客様のアカウントで不正なアクセスを検知しました。48時間以内に下記URLからご本人確認をお願いいたします。";
        let mut mails = vec![email("a", base), email("b", twin)];
        for i in 0..20 {
            mails.push(email(
                &format!("x{i}"),
                &format!("別の話題の文面その{i}です。会議は{i}時から、場所は第{i}会議室。"),
            ));
        }
        let groups = near_duplicate_groups(mails.iter());
        assert_eq!(groups[0], groups[1]);
        assert_ne!(groups[0], groups[2]);
        let labeled: Vec<(&Email, Label)> = mails
            .iter()
            .enumerate()
            .map(|(i, e)| (e, if i % 2 == 0 { Label::Scam } else { Label::Ham }))
            .collect();
        let f = folds(&labeled, 5, 7);
        assert_eq!(f[0], f[1]);
        assert_eq!(
            f,
            folds(&labeled, 5, 7),
            "the same seed gives the same folds"
        );
        for fold in 0..5 {
            assert!(f.contains(&fold), "fold {fold} is empty: {f:?}");
        }
    }
}
