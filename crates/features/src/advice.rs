//! Advice for people, by kind of mail, from `data/advice.toml` (written by this project).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::signals::{Lang, Signal, SignalKind};

const ADVICE_TOML: &str = include_str!("../data/advice.toml");

/// The kinds of mail that get their own advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdviceKind {
    /// A claim of a hacked camera and a demand for bitcoin.
    Sextortion,
    /// A fake notice that wants a password, card number or login.
    Phishing,
    /// A fake invoice or unpaid-bill claim.
    PaymentDemand,
    /// Lottery wins, inheritances, fees paid first.
    AdvanceFee,
    /// Romance and investment fraud.
    InvestmentRomance,
    /// Fake jobs and side income.
    JobScam,
    /// Fake virus warnings and support numbers.
    TechSupport,
    /// Close to the threshold.
    Unsure,
    /// Nothing suspicious found.
    Ham,
    /// Too little text to judge.
    Insufficient,
}

impl AdviceKind {
    const ALL: [AdviceKind; 10] = [
        AdviceKind::Sextortion,
        AdviceKind::Phishing,
        AdviceKind::PaymentDemand,
        AdviceKind::AdvanceFee,
        AdviceKind::InvestmentRomance,
        AdviceKind::JobScam,
        AdviceKind::TechSupport,
        AdviceKind::Unsure,
        AdviceKind::Ham,
        AdviceKind::Insufficient,
    ];

    /// The kind named by its key in `data/advice.toml` (`phishing`, `payment_demand`, …),
    /// as a category table names the advice of its scams.
    pub fn from_key(key: &str) -> Option<AdviceKind> {
        AdviceKind::ALL.into_iter().find(|kind| kind.key() == key)
    }

    fn key(self) -> &'static str {
        match self {
            AdviceKind::Sextortion => "sextortion",
            AdviceKind::Phishing => "phishing",
            AdviceKind::PaymentDemand => "payment_demand",
            AdviceKind::AdvanceFee => "advance_fee",
            AdviceKind::InvestmentRomance => "investment_romance",
            AdviceKind::JobScam => "job_scam",
            AdviceKind::TechSupport => "tech_support",
            AdviceKind::Unsure => "unsure",
            AdviceKind::Ham => "ham",
            AdviceKind::Insufficient => "insufficient",
        }
    }

    /// The kind of a scam: `fixed` when its category has advice of its own (the category
    /// table in `data/README.md` says which), else from its signals and text: a wallet with
    /// talk of video is extortion, a money demand without a request for secrets is a payment
    /// demand, anything else is treated as phishing.
    pub fn of_scam(fixed: Option<AdviceKind>, signals: &[Signal], text: &str) -> AdviceKind {
        if let Some(kind) = fixed {
            return kind;
        }
        let has = |kind| signals.iter().any(|s| s.kind == kind);
        let mentions = |words: &[&str]| words.iter().any(|w| text.contains(w));
        if (has(SignalKind::CryptoAddress) || mentions(&["ビットコイン", "BTC"]))
            && mentions(&["動画", "映像", "カメラ", "録画", "撮影"])
        {
            AdviceKind::Sextortion
        } else if mentions(&[
            "ウイルス",
            "ウィルス",
            "感染",
            "サポートセンター",
            "リモート",
        ]) && !has(SignalKind::CredentialRequest)
        {
            AdviceKind::TechSupport
        } else if has(SignalKind::MoneyDemand) && !has(SignalKind::CredentialRequest) {
            AdviceKind::PaymentDemand
        } else {
            AdviceKind::Phishing
        }
    }
}

/// A title and a few pieces of advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// One line that names the situation.
    pub title: &'static str,
    /// What to do, one piece per entry.
    pub items: Vec<&'static str>,
}

#[derive(Deserialize)]
struct Entry {
    title_ja: String,
    title_en: String,
    ja: Vec<String>,
    en: Vec<String>,
}

fn table() -> &'static HashMap<String, Entry> {
    static TABLE: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(ADVICE_TOML).expect("data/advice.toml is valid"))
}

/// The advice for a kind of mail, in a language.
pub fn advice(kind: AdviceKind, lang: Lang) -> Advice {
    let entry = table()
        .get(kind.key())
        .unwrap_or_else(|| panic!("data/advice.toml has an entry for {}", kind.key()));
    let (title, items) = match lang {
        Lang::Ja => (&entry.title_ja, &entry.ja),
        Lang::En => (&entry.title_en, &entry.en),
    };
    Advice {
        title: title.as_str(),
        items: items.iter().map(String::as_str).collect(),
    }
}

/// Somewhere to ask for help or report a scam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportContact {
    /// Who.
    pub name: String,
    /// A phone number or an address.
    pub contact: String,
}

/// Where to ask or report, for a mail with `text` (subject, sender and body): the national
/// consumer and police lines, the Council of Anti-Phishing Japan, then each brand the mail
/// claims that publishes an address for reports of mail impersonating it.
pub fn report_contacts(lang: Lang, text: &str) -> Vec<ReportContact> {
    let national: [(&str, &str, &str); 3] = [
        (
            "消費者ホットライン",
            "Consumer hotline (消費者ホットライン)",
            "188",
        ),
        (
            "警察相談専用電話",
            "Police consultation line (警察相談専用電話)",
            "#9110",
        ),
        (
            "フィッシング対策協議会（フィッシングの報告）",
            "Council of Anti-Phishing Japan (phishing reports)",
            "info@antiphishing.jp",
        ),
    ];
    let mut contacts: Vec<ReportContact> = national
        .iter()
        .map(|(ja, en, contact)| ReportContact {
            name: match lang {
                Lang::Ja => ja,
                Lang::En => en,
            }
            .to_string(),
            contact: contact.to_string(),
        })
        .collect();
    for brand in crate::brands::claimed_in(text) {
        if let Some(report) = &brand.report {
            let name = brand
                .names
                .first()
                .cloned()
                .unwrap_or_else(|| brand.id.clone());
            let name = match lang {
                Lang::Ja => format!("{name}（なりすましメールの報告先）"),
                Lang::En => format!("{name} (reports of mail impersonating it)"),
            };
            if !contacts.iter().any(|c| c.contact == *report) {
                contacts.push(ReportContact {
                    name,
                    contact: report.clone(),
                });
            }
        }
    }
    contacts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_contacts_add_the_brand_a_mail_claims() {
        let plain = report_contacts(Lang::Ja, "明日の会議の件です");
        assert_eq!(
            plain.iter().map(|c| c.contact.as_str()).collect::<Vec<_>>(),
            ["188", "#9110", "info@antiphishing.jp"]
        );
        let amazon = report_contacts(Lang::En, "【Amazon】お支払い方法を更新してください");
        assert_eq!(amazon.len(), 4);
        assert_eq!(amazon[3].contact, "stop-spoofing@amazon.com");
        assert!(amazon[3].name.starts_with("Amazon"));
    }

    #[test]
    fn every_kind_has_advice_in_both_languages_and_its_key_back() {
        for kind in AdviceKind::ALL {
            assert_eq!(AdviceKind::from_key(kind.key()), Some(kind));
            for lang in [Lang::Ja, Lang::En] {
                let a = advice(kind, lang);
                assert!(
                    !a.title.is_empty() && !a.items.is_empty(),
                    "{kind:?} {lang:?}"
                );
            }
        }
    }

    #[test]
    fn scams_without_a_category_are_told_apart_by_their_cues() {
        let text = "あなたのカメラで録画した動画を公開します。ビットコインで支払え";
        assert_eq!(AdviceKind::of_scam(None, &[], text), AdviceKind::Sextortion);
        assert_eq!(
            AdviceKind::of_scam(Some(AdviceKind::JobScam), &[], text),
            AdviceKind::JobScam
        );
        assert_eq!(AdviceKind::from_key("sextortion "), None);
        assert_eq!(
            AdviceKind::of_scam(None, &[], "カード番号をご入力ください"),
            AdviceKind::Phishing
        );
    }
}
