//! `phone_sender`
//!
//! **What it detects.** A text that names a company (a brand of `data/brands.toml`, in its
//! sender name, subject or body, or spelled with look-alikes) sent from a personal mobile
//! number (`090-…`, `+81 90-…`) or from a number abroad (`+852 …`).
//!
//! **Why it points to a scam.** Carriers, banks, card issuers, shops and delivery firms send
//! SMS from short codes, registered sender names and their own fixed or toll-free lines; the
//! warnings they publish tell people to check the sender for that reason. Smishing is sent
//! from ordinary mobile lines and from abroad (SIM banks, messaging apps), under any name the
//! text likes.
//!
//! **Example.** From `+81 90-1234-5678`: 「【Amazon】お支払い方法に問題があります。」
//!
//! **Known false positives.** A person writing from their own phone about a company
//! (「Amazonで頼んだ本、届いた？」), a driver or a small shop texting from a mobile, and
//! brands missing from the table stay unseen the other way.

use super::{Context, Field, Signal, SignalKind};
use crate::brands::fold;
use crate::sender::Phone;

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    let Some(sender) = ctx.email.sender.as_deref() else {
        return;
    };
    if !matches!(Phone::of(sender), Some(Phone::Mobile | Phone::Abroad)) {
        return;
    }
    // The text must speak as the company (its name heads the text, stands in brackets, or
    // signs it: 「Amazonです」, 「佐川急便より」); a friend's 「PayPayで返したよ」 only names it.
    let body = ctx.body.as_str();
    let claimed = ctx.claims[..2]
        .iter()
        .flatten()
        .map(|(brand, _)| *brand)
        .chain(
            ctx.claims[2]
                .iter()
                .filter(|(_, name)| speaks_as(body, &fold(name)))
                .map(|(brand, _)| *brand),
        )
        .chain(ctx.lookalikes.iter().map(|(_, _, brand)| *brand))
        .next();
    if let Some(brand) = claimed {
        out.push(Signal {
            kind: SignalKind::PhoneSender,
            evidence: format!("{} ← {}", brand.names[0], sender.trim()),
            field: Field::From,
            note: None,
        });
    }
}

/// Whether `name` stands in `text` as the one who writes: at its start, in brackets, or
/// followed by a self-introduction. Both are folded (NFKC, lowercase), so `［`, `（` and `：`
/// read as `[`, `(` and `:`.
fn speaks_as(text: &str, name: &str) -> bool {
    const OPEN: &[char] = &['【', '[', '〔', '(', '「', '<', '《'];
    const AFTER: &[&str] = &[
        "】",
        "]",
        "〕",
        ")",
        "」",
        ">",
        "》",
        ":",
        "です",
        "でございます",
        "より",
        "からのお知らせ",
        "からのご案内",
        "からのご連絡",
        "からの重要",
    ];
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].trim_end();
        let after = text[at + name.len()..].trim_start();
        before.is_empty() || before.ends_with(OPEN) || AFTER.iter().any(|a| after.starts_with(a))
    })
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    fn sms(sender: &str, body: &str) -> Vec<String> {
        let mut email = mail("", "", body);
        email.sender = Some(sender.into());
        found(&email, SignalKind::PhoneSender)
    }

    #[test]
    fn a_company_texting_from_a_mobile_or_from_abroad_is_found() {
        let cases = [
            (
                "+81 90-1234-5678",
                "【Amazon】お支払い方法に問題があります。",
                "Amazon ← +81 90-1234-5678",
            ),
            (
                "080-2233-4455",
                "三井住友カードです。ご利用確認のためご連絡しました。",
                "三井住友カード ← 080-2233-4455",
            ),
            (
                "+852 5613 2208",
                "佐川急便よりお荷物のお知らせ",
                "佐川急便 ← +852 5613 2208",
            ),
            // A look-alike spelling is a claim too.
            (
                "070-1111-2222",
                "AMAZ0Nアカウントの確認",
                "Amazon ← 070-1111-2222",
            ),
        ];
        for (sender, body, evidence) in cases {
            assert_eq!(sms(sender, body), [evidence], "{sender}: {body}");
        }
    }

    #[test]
    fn short_codes_fixed_lines_names_and_plain_notes_are_quiet() {
        let cases = [
            ("0005-123", "【Amazon】お支払い方法に問題があります。"),
            (
                "0120-123-456",
                "三井住友カードです。ご利用確認のためご連絡しました。",
            ),
            ("Amazon", "【Amazon】お支払い方法に問題があります。"),
            (
                "090-1234-5678",
                "今日の夕飯どうする？駅前で7時に待ち合わせね。",
            ),
            // A friend names a company; the text does not speak as it.
            (
                "080-3318-5920",
                "この前借りた5千円、さっきPayPayで返したよ。確認しといて！",
            ),
            (
                "070-4418-3372",
                "写真、Googleフォトのアルバムに全部入れといた！",
            ),
            // 0800 is a toll-free line, not a mobile one.
            (
                "0800-111-4523",
                "東京ガスです。点検の日程変更は0800-111-4523まで。",
            ),
        ];
        for (sender, body) in cases {
            assert!(sms(sender, body).is_empty(), "{sender}: {body}");
        }
        // A mail with an address as its sender is the domain check's to judge.
        let email = mail(
            "",
            "info@example.top",
            "【Amazon】お支払い方法に問題があります。",
        );
        assert!(found(&email, SignalKind::PhoneSender).is_empty());
    }
}
