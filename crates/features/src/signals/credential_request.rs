//! `credential_request`
//!
//! **What it detects.** A request to enter, confirm, update or send a secret or personal
//! datum: パスワード, 暗証番号, カード番号, セキュリティコード, 有効期限, ログインID, 口座番号,
//! 認証コード, マイナンバー, 生年月日…, followed in the same sentence by 入力, 確認, 更新,
//! 登録, 送信, 返信, 教えて…; and an HTML form in a mail that names such a datum.
//!
//! **Why it points to a scam.** Banks, card issuers and shops never ask for these by mail;
//! collecting them is what phishing is for.
//!
//! **Example.** 「下記URLよりカード番号と暗証番号をご入力のうえ、ご本人確認を完了してください。」
//!
//! **Known false positives.** Genuine warnings that say the opposite (「パスワードをお尋ねする
//! ことはありません」, 「入力しないでください」) are recognised by their negation and stay quiet;
//! password-reset mail the user asked for does not.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Field, Signal, SignalKind, sentence_around};

pub(super) static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:パスワード|暗証番号|カード番号|クレジットカード(?:番号|情報)|カード情報|セキュリティ[ー]?コード",
        r"|cvv|cvc|カード(?:の)?有効期限|有効期限(?:と|、|・|および|及び)セキュリティ|ログインid|ログイン情報|口座番号|ワンタイムパスワード|認証コード|確認コード",
        r"|pin(?:コード)?|マイナンバー|生年月日|お支払い情報|支払い情報|アカウント情報|本人確認書類|秘密の質問)",
    ))
    .expect("the secret pattern is valid")
});

pub(super) static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:入力|記入|確認|更新|登録|送信|返信|提供|再設定|送付|提出|連絡|照合|認証)",
        r"[^。\n]{0,10}?(?:ください|下さい|願|のうえ|の上|いただ|必要|なければ|ない場合|されない|すること)",
        r"|教えて|お知らせください",
    ))
    .expect("the request pattern is valid")
});

pub(super) static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ないでください|しないで|ません|ことはありません|ことはございません|ことは一切|絶対に|決して|お尋ねすること|お伺いすること")
        .expect("the negation pattern is valid")
});

/// A secret named as the object of an action (「カード情報の更新」), which a request in the
/// next sentence (「…更新してください」) completes.
pub(super) static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:の|を)(?:ご)?(?:更新|入力|登録|再登録|再設定|確認|変更|提出|追加)")
        .expect("the action pattern is valid")
});

/// How far after the secret the request may start, in characters.
const REQUEST_WITHIN: usize = 30;

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for (field, text) in ctx.texts() {
        for secret in SECRET.find_iter(text) {
            let sentence = sentence_around(text, secret.range());
            let after = &text[secret.end()..sentence.end];
            let mut asks = REQUEST
                .find(after)
                .is_some_and(|m| after[..m.start()].chars().count() <= REQUEST_WITHIN);
            let mut quoted = sentence.clone();
            let next_start = sentence.end
                + text[sentence.end..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            if !asks && ACTION.is_match(after) && next_start < text.len() {
                let next = sentence_around(text, next_start..next_start);
                let next_text = &text[next.clone()];
                asks = REQUEST.is_match(next_text) && !NEGATION.is_match(next_text);
                quoted = sentence.start..next.end;
            }
            if asks && !NEGATION.is_match(&text[sentence.clone()]) {
                out.push(Signal {
                    kind: SignalKind::CredentialRequest,
                    evidence: ctx.quote(&field, quoted),
                    field,
                    note: None,
                });
                return;
            }
        }
    }
    if ctx.email.html_forms > 0 && SECRET.is_match(ctx.body.as_str()) {
        out.push(Signal {
            kind: SignalKind::CredentialRequest,
            evidence: "<form>".into(),
            field: Field::Body,
            note: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::SignalKind;
    use super::super::test_support::{found, mail};

    #[test]
    fn requests() {
        for body in [
            "下記URLよりカード番号と暗証番号をご入力のうえ、ご本人確認を完了してください。",
            "ログインIDとパスワードを返信にてお知らせください",
            "セキュリティコードの再登録をお願いします",
            "お支払いに使うクレジットカード情報の変更などについては、下記の案内に沿ってお手続きのうえ、ご確認ください。",
            "カード情報の再登録について。会員ページにログインして、登録してください。",
        ] {
            assert_eq!(
                found(&mail("件名", "a@b.jp", body), SignalKind::CredentialRequest).len(),
                1,
                "{body}"
            );
        }
    }

    #[test]
    fn warnings_and_confirmations_are_quiet() {
        for body in [
            "当社がメールでパスワードをお尋ねすることはありません。",
            "暗証番号は絶対に入力しないでください。",
            "パスワードの変更が完了しました。",
            "ご利用金額の内訳は会員ページをご覧ください。",
        ] {
            assert!(
                found(&mail("件名", "a@b.jp", body), SignalKind::CredentialRequest).is_empty(),
                "{body}"
            );
        }
    }
}
