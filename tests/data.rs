//! Honesty checks of the corpus in `data/` (issue: a labeled Japanese mail corpus).
//!
//! - every line follows the schema and the category table of `data/README.md`, in the corpus
//!   and in the candidate sets measured and not adopted (`data/round3/`, `data/round4/`);
//! - sizes: at least 1,500 scam and 1,500 ham, every category at least 25 mails, at least
//!   250 near-miss ham, a test split of at least 20 % of each class;
//! - form: SMS-form messages (no subject, no sender address, under 200 characters) are at
//!   least 20 % of the scams and about as many of the ham; the shares of mails without a From
//!   and without a Subject differ by at most 10 points between the labels, and so does the
//!   share of mails with masked spans, so that neither form nor masking gives the label away;
//! - no exact or near duplicates (character 5-gram Jaccard of subject + body over 0.6, white
//!   space ignored) anywhere in the corpus and the candidate sets, hence none across the split;
//! - no shortcut: no character 2- or 3-gram of subject + body and no sender TLD predicts the
//!   label on its own with over 90 % accuracy. The strongest rules are printed
//!   (`cargo test --test data -- --nocapture`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use sagiguard_trainer::Category;
use serde::Deserialize;

const FILES: [(&str, &str); 2] = [("data/train.jsonl", "train"), ("data/test.jsonl", "test")];

/// Written mails measured and not (yet) adopted into the corpus (data/README.md, "Round 3"
/// and "Round 4"):
/// held to the schema and kept free of near duplicates of the corpus, so that they can be
/// merged or measured again, but counted in no size, form or shortcut check.
const CANDIDATES: [(&str, &str); 4] = [
    ("data/round3/train.jsonl", "train"),
    ("data/round3/test.jsonl", "test"),
    ("data/round4/train.jsonl", "train"),
    ("data/round4/test.jsonl", "test"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mail {
    id: String,
    label: String,
    category: String,
    subject: String,
    from: String,
    body: String,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    date: Option<String>,
    split: String,
}

/// The category table of data/README.md, as sagiguard reads it, by name.
fn categories() -> BTreeMap<&'static str, &'static Category> {
    sagiguard_trainer::categories()
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Vec<Mail> {
    read(&FILES)
}

/// The corpus and the candidate mails.
fn everything() -> Vec<Mail> {
    let mut mails = corpus();
    mails.extend(read(&CANDIDATES));
    mails
}

fn read(files: &[(&str, &str)]) -> Vec<Mail> {
    let mut mails = Vec::new();
    for &(file, split) in files {
        let text = fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for (n, line) in text.lines().enumerate() {
            let mail: Mail =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", n + 1));
            assert_eq!(mail.split, split, "{file}:{}: split", n + 1);
            mails.push(mail);
        }
    }
    mails
}

#[test]
fn schema_and_categories() {
    let categories = categories();
    let mails = everything();
    let mut ids = HashSet::new();
    for m in &mails {
        assert!(ids.insert(m.id.as_str()), "duplicate id {}", m.id);
        let cat = categories.get(m.category.as_str()).unwrap_or_else(|| {
            panic!("{}: category {} is not in data/README.md", m.id, m.category)
        });
        assert_eq!(
            Some(m.label.as_str()),
            cat.label.map(|l| l.as_str()),
            "{}: label of category {}",
            m.id,
            m.category
        );
        assert!(!m.body.trim().is_empty(), "{}: empty body", m.id);
        // An SMS shows no sender, or a phone number or short sender ID instead of an address.
        assert!(
            m.from.is_empty()
                || m.from.contains('@')
                || (m.from.chars().count() <= 24 && !m.from.contains('\n')),
            "{}: from {:?} is neither an address nor a sender ID",
            m.id,
            m.from
        );
        assert_eq!(m.subject.trim(), m.subject, "{}: subject padding", m.id);
        for url in &m.urls {
            assert!(
                m.body.contains(url.as_str()),
                "{}: url {url} is not in the body",
                m.id
            );
        }
        if let Some(date) = &m.date {
            assert!(
                date.len() >= 10 && date[..4].parse::<u16>().is_ok(),
                "{}: date {date}",
                m.id
            );
        }
    }
}

#[test]
fn sizes_and_coverage() {
    let categories = categories();
    let mails = corpus();
    let mut per_category: HashMap<&str, usize> = HashMap::new();
    let mut per_label_split: HashMap<(&str, &str), usize> = HashMap::new();
    let mut near_miss = 0;
    for m in &mails {
        *per_category.entry(&m.category).or_default() += 1;
        *per_label_split.entry((&m.label, &m.split)).or_default() += 1;
        near_miss += usize::from(m.label == "ham" && categories[m.category.as_str()].near_miss);
    }
    for label in ["scam", "ham"] {
        let train = per_label_split.get(&(label, "train")).copied().unwrap_or(0);
        let test = per_label_split.get(&(label, "test")).copied().unwrap_or(0);
        assert!(
            train + test >= 1500,
            "{label}: {} mails, 1500 wanted",
            train + test
        );
        assert!(
            test * 5 >= train + test,
            "{label}: test split {test} of {} is under 20 %",
            train + test
        );
        let covered = categories
            .values()
            .filter(|c| c.label.map(|l| l.as_str()) == Some(label))
            .count();
        assert!(covered >= 20, "{label}: {covered} categories");
    }
    for name in categories.keys() {
        let n = per_category.get(name).copied().unwrap_or(0);
        assert!(n >= 25, "category {name}: {n} mails, 25 wanted");
    }
    assert!(near_miss >= 250, "{near_miss} near-miss ham, 250 wanted");
}

fn squeezed(m: &Mail) -> Vec<char> {
    m.subject
        .chars()
        .chain(m.body.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn gram_hashes(chars: &[char], n: usize) -> Vec<u64> {
    let mut grams: Vec<u64> = chars
        .windows(n)
        .map(|w| {
            // FNV-1a over the code points: stable and collision-poor at this size.
            w.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| {
                (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
            })
        })
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[test]
fn no_exact_or_near_duplicates() {
    let mails = everything();
    let grams: Vec<Vec<u64>> = mails.iter().map(|m| gram_hashes(&squeezed(m), 5)).collect();
    let mut exact = HashMap::new();
    let mut worst = (0.0, "", "");
    let mut near = Vec::new();
    for (i, m) in mails.iter().enumerate() {
        let text: String = squeezed(m).into_iter().collect();
        if let Some(other) = exact.insert(text, m.id.as_str()) {
            panic!("{} and {other} are identical", m.id);
        }
        for j in i + 1..mails.len() {
            let (a, b) = (&grams[i], &grams[j]);
            let (small, large) = (a.len().min(b.len()), a.len().max(b.len()));
            // Jaccard cannot exceed |small| / |large|.
            if large == 0 || (small as f64) < 0.6 * large as f64 {
                continue;
            }
            let inter = intersection(a, b);
            let jaccard = inter as f64 / (a.len() + b.len() - inter) as f64;
            if jaccard > worst.0 {
                worst = (jaccard, &m.id, &mails[j].id);
            }
            if jaccard > 0.6 {
                near.push(format!("{} ~ {} ({jaccard:.2})", m.id, mails[j].id));
            }
        }
    }
    println!(
        "closest pair: {} ~ {} (Jaccard {:.2})",
        worst.1, worst.2, worst.0
    );
    assert!(near.is_empty(), "near duplicates:\n{}", near.join("\n"));
}

/// The best accuracy of "feature present means LABEL" over all features, with its rule.
fn strongest_rule(mails: &[Mail], features: &[HashSet<String>]) -> (f64, String) {
    let n = mails.len() as f64;
    let scams = mails.iter().filter(|m| m.label == "scam").count();
    let hams = mails.len() - scams;
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (m, feats) in mails.iter().zip(features) {
        for f in feats {
            let c = counts.entry(f.as_str()).or_default();
            if m.label == "scam" {
                c.0 += 1
            } else {
                c.1 += 1
            }
        }
    }
    let mut best = (0.0, String::new());
    for (f, (s, h)) in counts {
        let present_scam = (s + hams - h) as f64 / n;
        let present_ham = (h + scams - s) as f64 / n;
        let (acc, side) = if present_scam >= present_ham {
            (present_scam, "scam")
        } else {
            (present_ham, "ham")
        };
        if acc > best.0 {
            best = (
                acc,
                format!("{f:?} present => {side} (in {s} scam, {h} ham)"),
            );
        }
    }
    best
}

#[test]
fn no_single_feature_shortcut() {
    let mails = corpus();
    let grams: Vec<HashSet<String>> = mails
        .iter()
        .map(|m| {
            let chars = squeezed(m);
            (2..=3)
                .flat_map(|n| {
                    chars
                        .windows(n)
                        .map(|w| w.iter().collect::<String>())
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    let tlds: Vec<HashSet<String>> = mails
        .iter()
        .map(|m| {
            let address = m.from.trim_end_matches('>');
            let tld = address.rsplit('.').next().unwrap_or("").to_lowercase();
            HashSet::from([format!(".{tld}")])
        })
        .collect();
    for (what, features) in [("character 2/3-gram", grams), ("sender TLD", tlds)] {
        let (accuracy, rule) = strongest_rule(&mails, &features);
        println!("strongest {what} rule: {rule}: accuracy {accuracy:.3}");
        assert!(
            accuracy <= 0.90,
            "{what} shortcut: {rule} reaches {accuracy:.3}"
        );
    }
}

/// A yes/no question about a mail.
type MailTest = dyn Fn(&Mail) -> bool;

/// An SMS as the corpus writes it: no subject, no sender address, under 200 characters.
fn sms_form(m: &Mail) -> bool {
    m.subject.is_empty() && !m.from.contains('@') && m.body.chars().count() < 200
}

/// A masked span as publishers write them (`*****`, `○○`, `XXXX`, `~~~`, `hxxp`, `[.]`).
fn masked(m: &Mail) -> bool {
    let text = format!("{}\n{}", m.subject, m.body);
    [
        "**",
        "＊＊",
        "○○",
        "〇〇",
        "XXX",
        "xxx",
        "~~~",
        "〜〜〜",
        "～～～",
        "hxxp",
        "[.]",
        "■■",
    ]
    .iter()
    .any(|p| text.contains(p))
}

#[test]
fn form_and_masking_do_not_give_the_label_away() {
    let mails = corpus();
    let share = |label: &str, test: &MailTest| {
        let of_label: Vec<&Mail> = mails.iter().filter(|m| m.label == label).collect();
        of_label.iter().filter(|m| test(m)).count() as f64 / of_label.len() as f64
    };
    let sms_scam = mails
        .iter()
        .filter(|m| m.label == "scam" && sms_form(m))
        .count();
    let sms_ham = mails
        .iter()
        .filter(|m| m.label == "ham" && sms_form(m))
        .count();
    println!(
        "SMS form: {sms_scam} scam ({:.1} %), {sms_ham} ham",
        100.0 * share("scam", &sms_form)
    );
    assert!(
        share("scam", &sms_form) >= 0.20,
        "SMS-form scams under 20 %"
    );
    assert!(
        sms_ham * 10 >= sms_scam * 8,
        "SMS-form ham {sms_ham} is not about as many as the {sms_scam} SMS-form scams"
    );
    let checks: [(&str, &MailTest); 3] = [
        ("without a From", &|m| m.from.is_empty()),
        ("without a Subject", &|m| m.subject.is_empty()),
        ("with masked spans", &masked),
    ];
    for (what, test) in checks {
        let (scam, ham) = (share("scam", test), share("ham", test));
        println!(
            "{what}: scam {:.1} %, ham {:.1} %",
            100.0 * scam,
            100.0 * ham
        );
        assert!(
            (scam - ham).abs() <= 0.10,
            "mails {what}: scam {:.1} % and ham {:.1} % differ by more than 10 points",
            100.0 * scam,
            100.0 * ham
        );
    }
}

#[test]
fn every_jsonl_under_data_is_a_labeled_mail_dataset() {
    let mut stack = vec![root().join("data")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                let text = fs::read_to_string(&path).expect("readable");
                for (n, line) in text.lines().enumerate() {
                    let m: Mail = serde_json::from_str(line)
                        .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
                    assert!(
                        m.label == "scam" || m.label == "ham",
                        "{}:{}",
                        path.display(),
                        n + 1
                    );
                }
                seen += 1;
            }
        }
    }
    assert_eq!(
        seen,
        FILES.len() + CANDIDATES.len(),
        "every .jsonl under data/ is the corpus or a listed candidate set"
    );
}
