//! The phrase templates mail is composed from, one table per category.
//!
//! Every phrase here was written for this generator; none is taken from data/ or from real
//! mail. A mail of a category is a greeting, an opening, some of the category's details and
//! its voice's asides, a call to action, a closing and a signature (see `compose`). Phrases
//! name `{slot}`s (see `slots`) that a mail fills with its own names, amounts, dates and links.
//!
//! The categories are those of data/README.md. Voices are the registers shared by several
//! categories: the phishing notice, the extortion letter, the polite brand notice, the office
//! mail, the chat between friends.

mod everyday;
mod fraud;
mod notices;
mod phishing;
mod voices;

use crate::brands::BrandGroup;

/// Scam or legitimate, as the dataset writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Scam,
    Ham,
}

impl Label {
    /// `scam` or `ham`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Label::Scam => "scam",
            Label::Ham => "ham",
        }
    }
}

/// Who a mail's From address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sender {
    /// The brand itself, from its real domain.
    Official,
    /// A scam posing as the brand: a look-alike domain, a free-mail box, or a spoofed real one.
    Impostor,
    /// A person's free-mail address.
    FreeMail,
    /// The recipient's own address, as extortion mail forges it.
    OwnAddress,
    /// A person at the sender's company domain.
    Company,
    /// A city office's `lg.jp` domain.
    CityOffice,
    /// A shop's newsletter address.
    Shop,
    /// A mailing list's address.
    MailingList,
}

/// The phrases of a register several categories share.
pub(crate) struct Voice {
    pub(crate) greetings: &'static [&'static str],
    /// Paragraphs that fit any mail of the voice; they lengthen a mail past its details.
    pub(crate) asides: &'static [&'static str],
    pub(crate) closings: &'static [&'static str],
    pub(crate) signatures: &'static [&'static str],
}

/// The phrases and make-up of one category of mail.
pub(crate) struct Category {
    pub(crate) name: &'static str,
    pub(crate) label: Label,
    pub(crate) voice: &'static Voice,
    pub(crate) brands: BrandGroup,
    pub(crate) sender: Sender,
    /// Display names of the From header.
    pub(crate) from_names: &'static [&'static str],
    /// The range, in yen, of `{amount}`.
    pub(crate) amounts: (u64, u64),
    pub(crate) subjects: &'static [&'static str],
    /// The paragraph that says what the mail is about.
    pub(crate) openings: &'static [&'static str],
    /// Paragraphs of particulars; a mail takes as many as its length allows.
    pub(crate) details: &'static [&'static str],
    /// What the reader is asked to do.
    pub(crate) actions: &'static [&'static str],
}

/// Every category, scams first.
pub(crate) static CATEGORIES: &[&Category] = &[
    &phishing::ECOMMERCE,
    &phishing::CARD,
    &phishing::BANK,
    &phishing::DELIVERY,
    &phishing::TRANSPORT,
    &phishing::GOVERNMENT,
    &phishing::TELECOM,
    &phishing::SUBSCRIPTION,
    &fraud::SEXTORTION,
    &fraud::ADVANCE_FEE,
    &fraud::FAKE_INVOICE,
    &fraud::INVESTMENT_ROMANCE,
    &fraud::JOB_SCAM,
    &fraud::TECH_SUPPORT,
    &notices::BRAND_ORDER,
    &notices::BRAND_SECURITY,
    &notices::BANK_CARD_NOTICE,
    &notices::PUBLIC_NOTICE,
    &notices::BUSINESS_INVOICE,
    &notices::SAFETY_BROADCAST,
    &everyday::NEWSLETTER_SALE,
    &everyday::BUSINESS,
    &everyday::PERSONAL,
    &everyday::SCHOOL_COMMUNITY,
    &everyday::MAILING_LIST,
    &everyday::TRAVEL_RESERVATION,
    &everyday::RECRUITING,
];

/// The categories of one label.
pub(crate) fn of_label(label: Label) -> &'static [&'static Category] {
    let scams = CATEGORIES
        .iter()
        .take_while(|c| c.label == Label::Scam)
        .count();
    match label {
        Label::Scam => &CATEGORIES[..scams],
        Label::Ham => &CATEGORIES[scams..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slots::Slot;

    fn every_template() -> impl Iterator<Item = (&'static str, &'static str)> {
        CATEGORIES.iter().flat_map(|c| {
            let v = c.voice;
            [
                c.from_names,
                c.subjects,
                c.openings,
                c.details,
                c.actions,
                v.greetings,
                v.asides,
                v.closings,
                v.signatures,
            ]
            .into_iter()
            .flatten()
            .map(move |t| (c.name, *t))
        })
    }

    #[test]
    fn every_slot_a_template_names_exists() {
        for (category, template) in every_template() {
            let mut rest = template;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map(|c| open + c);
                let Some(close) = close else {
                    panic!("{category}: unclosed slot in {template:?}");
                };
                let key = &rest[open + 1..close];
                assert!(
                    Slot::from_key(key).is_some(),
                    "{category}: unknown slot {{{key}}} in {template:?}"
                );
                rest = &rest[close + 1..];
            }
        }
    }

    #[test]
    fn categories_are_grouped_by_label_and_complete() {
        let scams = of_label(Label::Scam);
        let hams = of_label(Label::Ham);
        assert_eq!(scams.len() + hams.len(), CATEGORIES.len());
        assert!(scams.iter().all(|c| c.label == Label::Scam));
        assert!(hams.iter().all(|c| c.label == Label::Ham));
        for c in CATEGORIES {
            assert!(
                !c.from_names.is_empty()
                    && !c.subjects.is_empty()
                    && !c.openings.is_empty()
                    && c.details.len() >= 3
                    && !c.actions.is_empty(),
                "{} lacks phrases",
                c.name
            );
            assert!(c.amounts.0 <= c.amounts.1, "{}", c.name);
        }
    }

    #[test]
    fn no_template_uses_a_character_outside_mail_charsets() {
        // Control characters would break the JSON and the .eml writer alike.
        for (category, template) in every_template() {
            assert!(
                !template.chars().any(|c| c.is_control() && c != '\n'),
                "{category}: {template:?}"
            );
        }
    }
}
