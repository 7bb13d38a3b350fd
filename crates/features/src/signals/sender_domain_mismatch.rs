//! `sender_domain_mismatch`
//!
//! **What it detects.** The From display name or the subject names a brand of
//! `data/brands.toml`, or any part of the mail spells one with look-alike characters
//! (`Αmazon`), and the From address's registered domain is none of that brand's official
//! domains.
//!
//! **Why it points to a scam.** Brands send from their own domains; impersonators cannot,
//! unless they spoof the header outright, so they send from look-alike or unrelated domains
//! (`amazon-co-jp.support-center.com`, `kjh23a@qq.com`).
//!
//! **Example.** `From: 三井住友カード <info@smbc-card.co.jp.secure-xyz.top>`.
//!
//! **Known false positives.** Shops and partners that name a platform they sell on
//! (「楽天市場店」 sending from the shop's own domain), payment notices that name the shop
//! paid (a card issuer's mail titled 「Amazonでのご利用」 is fine only because the issuer's own
//! domain is checked too), and brands or domains missing from the table.

use super::{Context, Field, Signal, SignalKind};
use crate::brands::Brand;

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    let Some(domain) = &ctx.sender_domain else {
        return;
    };
    let mut claimed: Vec<(&Brand, &str)> = ctx.claims[0]
        .iter()
        .chain(&ctx.claims[1])
        .copied()
        .collect();
    // A brand spelled with look-alikes anywhere is claimed in disguise: 「Αmazon株式会社から」
    // in the body of a mail from a shared-hosting domain.
    claimed.extend(
        ctx.lookalikes
            .iter()
            .map(|(_, _, b)| (*b, b.names[0].as_str())),
    );
    if claimed.is_empty() || claimed.iter().any(|(b, _)| b.is_official(domain)) {
        return;
    }
    let (_, name) = claimed[0];
    out.push(Signal {
        kind: SignalKind::SenderDomainMismatch,
        evidence: format!("{name} ← {domain}"),
        field: Field::From,
        note: None,
    });
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    #[test]
    fn a_claimed_brand_from_a_foreign_domain_is_found() {
        // Each claim on its own: the body names no brand unless the case is about the body.
        let plain = "ご本人様の確認をお願いします。";
        let cases = [
            (
                "お支払い方法の更新",
                "Amazon.co.jp <account@amazon-co-jp.support-center.com>",
                plain,
            ),
            (
                "【三井住友カード】ご利用確認",
                "カスタマーデスク <info@smbc-card.co.jp.xyz-secure.top>",
                plain,
            ),
            ("【重要】ゆうちょ銀行からのお知らせ", "kjh23a@qq.com", plain),
            (
                "ご請求金額のお知らせ",
                "Paidy <billing@pay-notice.cn>",
                plain,
            ),
            // The address as a report masked it: its domain is still the sender's.
            (
                "お荷物のお届けについて",
                "佐川急便 <delivery×parcel-notice.example.top>",
                plain,
            ),
            // A brand only in the body, in disguise, from an unrelated hosting domain.
            (
                "不正ログインの疑い",
                "notice@host12.example-rental.jp",
                "【ご連絡】Αmazonカスタマーセンターより。ご本人様の確認をお願いします。",
            ),
        ];
        for (subject, from, body) in cases {
            let hits = found(&mail(subject, from, body), SignalKind::SenderDomainMismatch);
            assert_eq!(hits.len(), 1, "{subject} / {from}: {hits:?}");
        }
        // A brand named plainly in the body alone is no claim of the sender (newsletters
        // name the shops and platforms they write about).
        let newsletter = mail(
            "今週のおすすめ",
            "news@example-media.jp",
            "Amazonと楽天で話題の商品をまとめました。",
        );
        assert!(found(&newsletter, SignalKind::SenderDomainMismatch).is_empty());
    }

    #[test]
    fn a_brand_disguised_with_capitals_in_the_subject_is_claimed() {
        // A capital I for l: the subject names no brand as written, and the body none at all.
        let email = mail(
            "AppIe IDに不審なサインインがありました",
            "no-reply@qwzkxv.com",
            "新しい端末からサインインがありました。心当たりがない場合はご確認ください。",
        );
        let hits = found(&email, SignalKind::SenderDomainMismatch);
        assert_eq!(hits.len(), 1, "{hits:?}");
    }

    #[test]
    fn official_senders_and_unbranded_mail_are_quiet() {
        let cases = [
            ("ご注文の確認", "Amazon.co.jp <auto-confirm@amazon.co.jp>"),
            (
                "【三井住友カード】ご利用明細",
                "三井住友カード <info@vpass.ne.jp>",
            ),
            (
                "Amazonでのカードご利用のお知らせ",
                "三井住友カード <statement@smbc-card.com>",
            ),
            ("会議の件", "佐藤 <sato@example.co.jp>"),
            ("ご請求金額のお知らせ", "Paidy <noreply@paidy.com>"),
        ];
        for (subject, from) in cases {
            let hits = found(
                &mail(subject, from, "本文"),
                SignalKind::SenderDomainMismatch,
            );
            assert!(hits.is_empty(), "{subject} / {from}: {hits:?}");
        }
    }
}
