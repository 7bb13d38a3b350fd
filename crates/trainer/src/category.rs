//! The categories of mail, typed, from the one table that lists them: `data/README.md`'s
//! "Categories" section, built in here and read by the corpus checks (`tests/data.rs`) too.
//!
//! A category names its label, whether it is a near miss, the advice its scams get and the
//! report slice it belongs to. A category the table does not list (a user's own dataset)
//! is [`Category::other`]: no label of its own, no fixed advice, in no slice.

use std::sync::{LazyLock, OnceLock};

use sagiguard_corpus::Label;
use sagiguard_features::AdviceKind;

const README: &str = include_str!("../../../data/README.md");

/// A category of mail, as `data/README.md` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The name datasets use (`phish_bank`); `other` for a category not in the table.
    pub name: String,
    /// The label of its mails; `None` for [`Category::other`].
    pub label: Option<Label>,
    /// Legitimate mail a lazy filter would flag.
    pub near_miss: bool,
    /// The advice its scams get; `None` when it is chosen from each mail's signals and text.
    pub advice: Option<AdviceKind>,
    /// The report slice it belongs to.
    pub slice: Option<String>,
}

impl Category {
    /// What a category not in the table is read as: `other`.
    pub fn other() -> &'static Category {
        static OTHER: LazyLock<Category> = LazyLock::new(|| Category {
            name: "other".into(),
            label: None,
            near_miss: false,
            advice: None,
            slice: None,
        });
        &OTHER
    }

    /// The category called `name`, or [`Category::other`].
    pub fn of(name: &str) -> &'static Category {
        categories()
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| Category::other())
    }
}

/// Every category of the table, in its order.
pub fn categories() -> &'static [Category] {
    static TABLE: OnceLock<Vec<Category>> = OnceLock::new();
    TABLE.get_or_init(|| parse(README).expect("data/README.md's category table is valid"))
}

/// The report slices: each slice the table names, with its categories, in table order.
pub fn report_slices() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut slices: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in categories() {
        let Some(slice) = c.slice.as_deref() else {
            continue;
        };
        match slices.iter_mut().find(|(name, _)| *name == slice) {
            Some((_, members)) => members.push(&c.name),
            None => slices.push((slice, vec![&c.name])),
        }
    }
    slices
}

/// The rows of the table under `## Categories`, columns found by their headings.
fn parse(readme: &str) -> Result<Vec<Category>, String> {
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Categories"))
        .ok_or("no `## Categories` section")?;
    let cells = |line: &str| -> Vec<String> {
        let line = line.trim().trim_start_matches('|').trim_end_matches('|');
        line.split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut lines = section.lines().filter(|l| l.trim_start().starts_with('|'));
    let header = cells(lines.next().ok_or("no table")?);
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name:?}"))
    };
    let [name, label, near_miss, advice, slice] =
        ["category", "label", "near miss", "advice", "slice"].map(column);
    let (name, label, near_miss, advice, slice) = (name?, label?, near_miss?, advice?, slice?);
    let optional = |cell: &str| (cell != "-").then(|| cell.trim_matches('`').to_string());
    let mut table = Vec::new();
    for line in lines.skip(1) {
        let row = cells(line);
        if row.len() != header.len() {
            return Err(format!("row of {} cells: {line}", row.len()));
        }
        let category = row[name].trim_matches('`').to_string();
        let advice = match optional(&row[advice]) {
            None => None,
            Some(key) => Some(
                AdviceKind::from_key(&key)
                    .ok_or(format!("category {category}: no advice {key:?}"))?,
            ),
        };
        table.push(Category {
            label: Some(match row[label].as_str() {
                "scam" => Label::Scam,
                "ham" => Label::Ham,
                other => return Err(format!("category {category}: label {other:?}")),
            }),
            near_miss: match row[near_miss].as_str() {
                "yes" => true,
                "no" => false,
                other => return Err(format!("category {category}: near miss {other:?}")),
            },
            advice,
            slice: optional(&row[slice]),
            name: category,
        });
    }
    if table.is_empty() {
        return Err("an empty category table".into());
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_reads() {
        let table = categories();
        assert!(table.len() >= 40, "{} categories", table.len());
        let bank = Category::of("phish_bank");
        assert_eq!(
            (bank.label, bank.advice, bank.near_miss),
            (Some(Label::Scam), Some(AdviceKind::Phishing), false)
        );
        assert_eq!(
            Category::of("fake_invoice").advice,
            Some(AdviceKind::PaymentDemand)
        );
        // Scams whose advice depends on the mail, and ham, have none fixed.
        assert_eq!(Category::of("smishing").advice, None);
        assert_eq!(Category::of("brand_order").label, Some(Label::Ham));
        assert_eq!(
            report_slices(),
            [(
                "legitimate brand mail",
                vec!["brand_order", "brand_security", "bank_card_notice"]
            )]
        );
    }

    #[test]
    fn an_unknown_category_is_other() {
        for name in ["my_own_category", "phish_something_new", ""] {
            assert_eq!(Category::of(name), Category::other(), "{name:?}");
        }
    }

    #[test]
    fn a_bad_table_is_refused_with_the_reason() {
        let table = |rows: &str| {
            format!(
                "# data\n\n## Categories\n\n| category | label | near miss | advice | slice | covers |\n|---|---|---|---|---|---|\n{rows}\n## Next\n"
            )
        };
        let good = parse(&table(
            "| `a` | scam | no | `sextortion` | - | x |\n| `b` | ham | yes | - | s | y |",
        ))
        .unwrap();
        assert_eq!(good[0].advice, Some(AdviceKind::Sextortion));
        assert_eq!(good[1].slice.as_deref(), Some("s"));
        for (rows, reason) in [
            ("| `a` | spam | no | - | - | x |", "label"),
            ("| `a` | scam | maybe | - | - | x |", "near miss"),
            ("| `a` | scam | no | `nonsense` | - | x |", "no advice"),
            ("| `a` | scam | no | - | x |", "row of 5 cells"),
            ("", "empty"),
        ] {
            let err = parse(&table(rows)).unwrap_err();
            assert!(err.contains(reason), "{rows:?}: {err}");
        }
        assert!(parse("# no table here").is_err());
    }
}
