//! `messenger_lure`
//!
//! **What it detects.** A personal chat account the reader is asked to move to: a LINE ID
//! written out (「LINE ID：mio_0921」, 「LINE（ID）：a9585」), or Telegram, WhatsApp, WeChat,
//! KakaoTalk or Viber with a handle, a number, a `t.me` link or a request to get in touch
//! there (「テレグラムで連絡ください」, 「WhatsApp: +44 …」).
//!
//! **Why it points to a scam.** Investment, romance and job scams, and the 「闇バイト」
//! recruiters, leave mail for a private chat as early as they can, where filters and
//! platforms no longer see them; police and consumer agencies name that move as their
//! mark. Companies answer by mail, telephone or their own site, and a company's LINE account
//! is an official account, whose ID starts with `@`.
//!
//! **Example.** 「詳しい説明はLINEで行います。LINE ID：kabu_sensei88 まで追加してください。」
//!
//! **Known false positives.** A person giving a friend or a club their own LINE ID, a
//! foreign hotel or shop that answers on WhatsApp, and warnings that quote such a lure.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Signal, SignalKind, sentence_around};

/// A written-out LINE ID (not an official account's `@` ID), or a chat app's name. Matched
/// on the normalised text, where `（ＩＤ）：` reads `(id):` and the letters are lowercase.
pub(super) static LURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"(?P<line>(?:line|ライン)\s*(?:の)?\s*\(?\s*id\s*\)?\s*(?:は|:|=)?\s*[「『"]?\s*[a-z0-9][a-z0-9_.\-]{2,19})"#,
        r"|(?P<app>telegram|テレグラム|whatsapp|ワッツアップ|wechat|微信|kakao\s?talk|カカオトーク|viber|t\.me/)",
    ))
    .expect("the messenger pattern is valid")
});

/// What makes a chat app's mention a way to reach the writer: a handle, a number, an
/// invitation link, or a request to get in touch there.
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"@[a-z0-9_]{3,}|t\.me/|\+?[0-9][0-9 ()\-]{7,}[0-9]|\bid\b",
        r"|連絡|話し|話そ|やり取り|やりとり|追加|参加|受け付|受付|説明|教え|面談|面接|メッセージ|送って|ください|下さい",
    ))
    .expect("the contact pattern is valid")
});

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for (field, text) in ctx.texts() {
        for found in LURE.captures_iter(text) {
            let whole = found.get(0).expect("a match has a whole");
            // `online id`, `オンラインID`, an app's name inside a longer word: no app.
            let before = text[..whole.start()].chars().next_back();
            if before.is_some_and(|c| {
                c.is_ascii_alphanumeric() || ('\u{30A0}'..='\u{30FF}').contains(&c)
            }) {
                continue;
            }
            let span = if found.name("line").is_some() {
                whole.range()
            } else {
                let sentence = sentence_around(text, whole.range());
                if !CONTACT.is_match(&text[sentence.clone()]) {
                    continue;
                }
                sentence
            };
            out.push(Signal {
                kind: SignalKind::MessengerLure,
                evidence: ctx.quote(&field, span),
                field,
                note: None,
            });
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    fn lure(subject: &str, body: &str) -> Vec<String> {
        found(&mail(subject, "", body), SignalKind::MessengerLure)
    }

    #[test]
    fn personal_chat_accounts() {
        for (body, evidence) in [
            (
                "詳しい説明はLINEで行います。LINE ID：kabu_sensei88 まで追加してください。",
                "LINE ID：kabu_sensei88",
            ),
            (
                "応募するＬＩＮＥ（ＩＤ）：ｂ7710",
                "ＬＩＮＥ（ＩＤ）：ｂ7710",
            ),
            ("私のLINEのIDは mayu.0412 です", "LINEのIDは mayu.0412"),
            (
                "ラインID「hana_chan22」で検索してね",
                "ラインID「hana_chan22",
            ),
            (
                "報酬は当日払い。\n詳細はテレグラムで説明します。",
                "詳細はテレグラムで説明します",
            ),
            (
                "受け取りの手続きは代理人と行います。WhatsApp: +44 7700 900 123",
                "WhatsApp: +44 7700 900 123",
            ),
            (
                "グループはこちら https://t.me/jp_signal_room",
                "グループはこちら https://t.me/jp_signal_room",
            ),
            (
                "Please contact me on WhatsApp +1 202 555 0147",
                "Please contact me on WhatsApp +1 202 555 0147",
            ),
        ] {
            assert_eq!(lure("", body), [evidence], "{body}");
        }
    }

    #[test]
    fn official_accounts_and_passing_mentions_are_quiet() {
        for body in [
            // A company's official account: its ID starts with @.
            "LINE公式アカウント（LINE ID：@shop_example）を友だち追加するとクーポンが届きます。",
            "LINEで友だち追加していただくと、発送状況をお知らせします。",
            // Words that only contain an app's name or "line id".
            "オンラインIDとパスワードでログインしてください。",
            "オンラインID：user01 でログインできます。",
            "Your pipeline id is 4821.",
            "ご注文はオンライン（online id: 5531）で承ります",
            // A chat app named without a way to reach anybody.
            "WhatsAppの新機能についての記事です。",
        ] {
            assert!(lure("", body).is_empty(), "{body}");
        }
    }

    #[test]
    fn found_in_the_subject_too() {
        assert_eq!(
            lure("副業のご案内 LINE ID:work_desk01", "本文"),
            ["LINE ID:work_desk01"]
        );
    }
}
