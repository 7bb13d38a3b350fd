//! `delivery_sms`
//!
//! **What it detects.** A text without mail headers (no subject and no sender address: an
//! SMS, a pasted message) about a parcel that did not arrive or needs the reader to act: taken
//! back for absence (「不在の為持ち帰りました」, 「お届けにあがりましたが」), an address that
//! could not be found (「住所に不備」, 「宛先不明」), a delivery held, failed or about to be
//! returned (「配達を保留」, 「保管期間を過ぎると返送されます」, 「税関で止まっています」), or a
//! request to book the redelivery, choose a time, correct the address or pay a fee or duty
//! (「再配達のご依頼はこちら」, 「配送料金が未払いです」).
//!
//! **Why it points to a scam.** The major carriers say publicly that they send no such
//! message by SMS: Japan Post sends no absence notice by SMS, Yamato neither absence notices
//! nor delivery schedules, Sagawa no SMS about pickups or deliveries at all, and none asks by
//! SMS or mail to confirm an address, book a redelivery or pay (they leave a paper slip, or
//! notify registered members by mail or LINE; duty is paid on delivery). Fake carrier SMS
//! are the most common smishing in Japan, and they are often quoted without their link, so
//! the text alone has to tell.
//!
//! **Example.** 「お客様宛にお荷物のお届けにあがりましたが不在の為持ち帰りました。」
//!
//! **Known false positives.** A person's or a shop's own message about a missed parcel
//! written in a carrier's words, and a carrier's LINE notice pasted as text (a schedule with
//! its "change the time here"). Confirmations of what the reader did (「受け取り日時の変更を
//! 承りました」) and delivered or scheduled parcels stay quiet, as does the same notice in a
//! mail with headers (the carriers' notices to their members).

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Field, Signal, SignalKind};

// Compiled on the first text without headers that names a parcel, not at start-up with the
// other patterns: most mail has headers, and compiling it costs 7.7 M instructions.
pub(super) static FAILED_DELIVERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // Taken back or held for absence.
        r"(?:不在|留守)[^。\n]{0,20}?(?:持ち?帰|持ち?戻|保管|預か|でした)",
        r"|(?:お届けに|配達員が|ドライバーが)[^。\n]{0,6}?(?:あがり|上がり|伺い|参り|まいり)ましたが",
        r"|不在通知|持ち帰りました",
        // An address the carrier cannot find.
        r"|(?:住所|宛先|お届け先|配送先|届け先|番地|宛名|受取人情報)[^。\n]{0,8}?",
        r"(?:不明|不備|不完全|不足|誤り|間違|確認でき|特定でき|見つか|未記入|判読|不一致)",
        // A delivery that failed or is held, a parcel to be returned or destroyed.
        r"|(?:配達|配送|お届け)(?:が|は)?でき(?:ません|ず|なかった)|(?:配達|配送)されませんでした",
        r"|届けられませんでした|配達(?:に)?失敗|配達不能",
        r"|(?:配達|配送|お届け|発送|出荷)を?(?:保留|停止|見合わせ)",
        r"|保管(?:期間|期限)[^。\n]{0,4}?(?:過ぎると|を過ぎ|切れ|迫|間近|まで|は)",
        r"|(?:返送|返還|破棄|廃棄)(?:されます|します|になります|いたします|される)|差出人へ戻|倉庫に戻",
        r"|(?:税関|通関)で?[^。\n]{0,4}?(?:止ま|保留)",
        // What the reader is asked to do: book, pay, choose a time, correct an address.
        r"|再配達[^。\n]{0,6}?(?:依頼|手続|申し?込|希望|予約|手配)",
        r"|(?:配送料|送料|運賃|関税|通関手数料|保管手数料|追加料金|着払い|料金不足)[^。\n]{0,15}?",
        r"(?:未払|未決済|不足|発生|必要|支払|払って)",
        r"|(?:受取|受け取り|配達|お届け)(?:日時|日程|方法|日)?[^。\n]{0,6}?",
        r"(?:指定|変更|選び|選択|調整|再指定)(?:を|して)?(?:ください|下さい|お願い|が必要|はこちら)",
        r"|(?:住所|受取情報|配送先|宛先|お届け先)を?(?:更新|修正|再登録|入力|ご確認|確認し)",
        r"|(?:受取|受け取り|お受け取り|お受取)(?:に|の)?(?:は)?(?:お)?手続き?",
        r"(?:が必要|をお願い|してください|ください)|差額[^。\n]{0,6}?(?:支払|払って)",
        // Half-width katakana, an evasion of filters, reads as katakana once normalised.
        r"|(?:不在|留守)[^。\n]{0,20}?デシタ|アガリマシタガ",
    ))
    .expect("the failed-delivery pattern is valid")
});

pub(super) static PARCEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"荷物|配達|配送|お届け|宅配|郵便|小包|宅急便|ゆうパック")
        .expect("the parcel pattern is valid")
});

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    // A mail with headers may be a carrier's notice to its registered members.
    if !ctx.email.is_headerless() {
        return;
    }
    let body = ctx.body.as_str();
    if !PARCEL.is_match(body) {
        return;
    }
    if let Some(m) = FAILED_DELIVERY.find(body) {
        out.push(Signal {
            kind: SignalKind::DeliverySms,
            evidence: ctx.quote(&Field::Body, m.range()),
            field: Field::Body,
            note: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use sagiguard_corpus::Email;

    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    fn text(body: &str) -> Email {
        mail("", "", body)
    }

    #[test]
    fn failed_delivery_texts() {
        for (body, evidence) in [
            (
                "お客様宛てにお荷物をお届けにあがりましたが、ご不在でしたので持ち帰りました。",
                "お届けにあがりましたが",
            ),
            (
                "ご不在のため、お荷物を営業所にて保管しております。https://example.top/r",
                "不在のため、お荷物を営業所にて保管",
            ),
            (
                "【配送センター】お届け先の住所が不明のため配達を見合わせています",
                "お届け先の住所が不明",
            ),
            (
                "宛先番地が確認できないため、小包をお預かりしています",
                "宛先番地が確認でき",
            ),
            (
                "お荷物の配達ができませんでした。詳細は以下より",
                "配達ができません",
            ),
            (
                "郵便局です。再配達のご依頼は下記から受け付けます",
                "再配達のご依頼",
            ),
            ("ゆうパックを留守のため持ち戻りました", "留守のため持ち戻"),
            (
                "お荷物をお届けに伺いましたが不在でした",
                "お届けに伺いましたが",
            ),
            (
                "配送先の住所が不明瞭のため、お荷物は配達されませんでした",
                "配送先の住所が不明",
            ),
            (
                "郵便局：お荷物は配達されませんでした。下記をご確認ください",
                "配達されませんでした",
            ),
            (
                "お荷物の宛名が判読できないため、お届けを見合わせています",
                "宛名が判読",
            ),
            ("【不在通知】お荷物の確認はこちら", "不在通知"),
            (
                "[宅配便] お客様のお荷物を持ち帰りました。こちらにてご確認ください",
                "持ち帰りました",
            ),
            (
                "佐川です。荷物の配達を保留しております。詳細はこちら",
                "配達を保留",
            ),
            (
                "郵便局：保管期間を過ぎると差出人へ返送されます",
                "保管期間を過ぎ",
            ),
            ("日本郵便：国際小包が税関で止まっています", "税関で止ま"),
            (
                "ヤマト運輸です。お荷物の配送料金が未払いです",
                "配送料金が未払",
            ),
            (
                "宅急便のお受け取り日時をご指定ください",
                "受け取り日時をご指定ください",
            ),
            ("お荷物のお届け先を更新してください", "お届け先を更新"),
            (
                "お荷物が営業所に届いています。受取にはお手続きが必要です",
                "受取にはお手続きが必要",
            ),
            (
                "郵便物が料金不足で戻っています。差額をお支払いください",
                "差額をお支払",
            ),
            ("[ﾔﾏﾄ] ｵ荷物ﾉ ｵ届ｹﾆ ｱｶﾞﾘﾏｼﾀｶﾞ 不在ﾃﾞｼﾀ", "ｱｶﾞﾘﾏｼﾀｶﾞ"),
        ] {
            assert_eq!(
                found(&text(body), SignalKind::DeliverySms),
                [evidence],
                "{body}"
            );
        }
    }

    #[test]
    fn mail_with_headers_and_other_texts_are_quiet() {
        let notice = "ご不在のためお荷物を持ち帰りました。再配達のご依頼はこちら";
        // The carriers' notices to registered members come as mail.
        for (subject, from) in [
            ("ご不在連絡", "info@carrier.example.jp"),
            ("ご不在連絡", ""),
            ("", "info@carrier.example.jp"),
        ] {
            assert!(found(&mail(subject, from, notice), SignalKind::DeliverySms).is_empty());
        }
        assert_eq!(found(&text(notice), SignalKind::DeliverySms).len(), 1);
        for body in [
            // Delivered, scheduled, or a friend's note: no failed delivery.
            "お荷物は本日14時に宅配ボックスへお届けしました",
            "明日の午前中にお届け予定です",
            "不在票入ってたから再配達頼んでおいたよ",
            "明日は不在にします。会議は木曜にしましょう",
            // Confirmations of what the reader asked for.
            "ヤマト運輸：お荷物の受け取り日時の変更を承りました。18-20時にお届けします",
            "佐川急便：お荷物のお届け日時のご指定を受け付けました",
            "ゆうパックのお受け取り手続きが完了しました",
            "日本郵便：レターパックを差出人に返送しました。保管期間が経過したためです",
            // A failure that is not a parcel's.
            "ご指定の口座への振込ができませんでした",
        ] {
            assert!(
                found(&text(body), SignalKind::DeliverySms).is_empty(),
                "{body}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// Whatever the text, the evidence is the text's own words (mapped back through
        /// the normaliser: half-width kana, full-width forms, invisible characters), and a
        /// mail with a subject stays quiet.
        #[test]
        fn evidence_is_quoted_from_the_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "お荷物", "ｵ荷物", "不在", "の為", "持ち帰", "りました", "お届けに", "ｱｶﾞﾘ",
                    "あがり", "ましたが", "住所", "不明", "配達", "できません", "保管期間",
                    "を過ぎ", "再配達", "のご依頼", "関税", "未払", "１２時", "。", "、", "\n",
                    " ", "\u{200B}", "https://x.top/r", "ｶﾞ", "が",
                ]),
                0..16,
            ),
        ) {
            let body = pieces.concat();
            for evidence in found(&text(&body), SignalKind::DeliverySms) {
                proptest::prop_assert!(!evidence.is_empty() && body.contains(&evidence), "{body}");
            }
            proptest::prop_assert!(
                found(&mail("件名", "", &body), SignalKind::DeliverySms).is_empty()
            );
        }
    }
}
