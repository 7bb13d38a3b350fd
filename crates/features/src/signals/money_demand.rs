//! `money_demand`
//!
//! **What it detects.** An amount of money (「¥200,000」, 「15万円」, 「$1,500」, 「0.05 BTC」)
//! in the same sentence as a request to pay, transfer or send it (「お振込みください」,
//! 「送金してください」, 「お支払いがない場合」, 「送金するだけです」), as a sum said to be owed
//! (「未納料金 298,000円」), or as gift cards (「5万円分のGoogle Playカード」).
//!
//! **Why it points to a scam.** Extortion, fake invoices and advance-fee fraud end in a
//! demand for money; phishing rarely names an amount, so the two cues together are telling.
//!
//! **Example.** 「日本円で15万円分のビットコインを、下記のアドレスに送金してください。」
//!
//! **Known false positives.** Genuine invoices and payment reminders between companies,
//! tax and utility notices. An order confirmation that states an amount without asking for
//! it is not a demand and stays quiet.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Signal, SignalKind, sentence_around};

pub(super) static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[¥\\$]\s?[0-9][0-9,]*(?:\.[0-9]+)?",
        r"|[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:万円|円|アメリカドル|米ドル|ドル|usd|btc|eth|ltc|ビットコイン|ユーロ)",
        r"|[0-9]+(?:\.[0-9]+)?\s*万",
    ))
    .expect("the amount pattern is valid")
});

pub(super) static DEMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:支払|払い込|払込|振込|振り込|送金|入金|納付|納め|決済|チャージ|お送り|送付|ペイメント)",
        r"[^。\n]{0,14}?(?:ください|下さい|願|必要|すること|しなければ|ない場合|なければ|ないと|されない|いただけ)",
        r"|(?:送っ|払っ|支払っ|振り込ん|振込ん)て(?:ください|下さい|くれ|もらえ|いただ|ほし)",
        r"|送れ|払え|送金しろ|(?:送る|払う|支払う|送金する)(?:こと|べき|必要|しか)",
        // A demand dressed as a condition or as the easy way out: 「送金するだけです」,
        // 「お支払いいただければ削除します」.
        r"|(?:送金|入金|支払い?|お支払い|振込み?|振り込み|送付)(?:を)?(?:する|して|いただく|頂く)?(?:だけ)",
        r"|(?:送金|入金|支払い?|お支払い|振込み?|振り込み)(?:を)?(?:すれば|されれば|いただければ|頂ければ|して頂ければ|していただければ)",
        r"|(?:送れ|払え|振り込め|支払え)ば",
        r"|(?:請求額|支払額|支払金額|口止め料|手数料|保証金|登録料|解除料)",
        // An amount said to be owed, and payment in gift cards, which only fraud asks for.
        r"|未納|未払い?|滞納|延滞|不足(?:額|分|料金)",
        r"|(?:ギフト|プリペイド|アップル|itunes|google\s?play|アマゾン)\s?(?:カード|券)",
    ))
    .expect("the demand pattern is valid")
});

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for (field, text) in ctx.texts() {
        for amount in AMOUNT.find_iter(text) {
            let sentence = sentence_around(text, amount.range());
            if DEMAND.is_match(&text[sentence.clone()]) {
                out.push(Signal {
                    kind: SignalKind::MoneyDemand,
                    evidence: ctx.quote(&field, sentence),
                    field,
                    note: None,
                });
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    #[test]
    fn demands() {
        for body in [
            "日本円で15万円分のビットコインを、下記のアドレスに送金してください。",
            "未納料金 ¥39,800 を本日中にお支払いください",
            "手数料として３０，０００円を下記口座へお振込みください。",
            "$1,500 must be paid — 1,500ドルを送金しなければ動画を公開します",
            "やるべきことは、ただ ¥150000 を指定の口座に送金するだけです。",
            "3万円をお支払いいただければ、記録はすべて消去いたします。",
            "10万円振り込めば今回の件は忘れてやる",
            "有料サイトの未納料金 298,000円 が発生しております。",
            "サポート料金 5万円分 のGoogle Playカードの番号をお送りいただく形になります",
        ] {
            assert_eq!(
                found(&mail("件名", "a@b.jp", body), SignalKind::MoneyDemand).len(),
                1,
                "{body}"
            );
        }
    }

    #[test]
    fn amounts_without_a_demand_are_quiet() {
        for body in [
            "合計金額：4,356円（税込・送料無料）\nお支払い方法：クレジットカード",
            "ご利用金額 12,000円 のお知らせです。",
            "会費は6,000円前後の予定です。",
        ] {
            assert!(
                found(&mail("件名", "a@b.jp", body), SignalKind::MoneyDemand).is_empty(),
                "{body}"
            );
        }
    }
}
