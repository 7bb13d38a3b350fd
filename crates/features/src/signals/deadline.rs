//! `deadline`
//!
//! **What it detects.** A short, pressing time limit: 「24時間以内」, 「48時間以内(2日以内)」,
//! 「3日以内に」, 「本日中」, 「期限までに」, a countdown (「24時間後に有効」) and what follows the
//! limit (「期限を過ぎると」) (full-width digits included).
//!
//! **Why it points to a scam.** Pressure leaves no time to check: phishing threatens to
//! lock the account "within 24 hours", extortion counts down "48 hours".
//!
//! **Example.** 「このメールを開封してから48時間以内に入金を行なってください。」
//!
//! **Known false positives.** Genuine reservations and payment reminders (「3日以内にお手続き
//! ください」), one-time codes valid "within 10 minutes". The model weighs it with the rest.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Signal, SignalKind};

pub(super) static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:時間|日|営業日|分)\s*(?:以内|内に|後に|を過ぎ)",
        r"|本日中|今日中|当日中|本日\s*[0-9]{1,2}\s*時\s*まで|期限までに|期限内に|直ちに|ただちに",
        // A countdown, and what happens once the limit has passed.
        r"|[0-9]{1,3}\s*時間\s*(?:後|経過)|期限を?過ぎ(?:ると|た場合|ても|れば)",
    ))
    .expect("the deadline pattern is valid")
});

/// Words every match of [`DEADLINE`] holds. The pattern's own prefilter starts at every
/// digit, and most texts with digits set no limit: a text without one of these words is
/// passed over at the cost of one literal scan (half the pattern's cost on short mail).
pub(super) static ANCHORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("以内|内に|後に|過ぎ|本日|今日中|当日中|期限|直ちに|ただちに|時間")
        .expect("the deadline anchors are valid")
});

/// The first deadline in `text`.
fn first(text: &str) -> Option<regex::Match<'_>> {
    ANCHORS
        .is_match(text)
        .then(|| DEADLINE.find(text))
        .flatten()
}

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for (field, text) in ctx.texts() {
        if let Some(m) = first(text) {
            out.push(Signal {
                kind: SignalKind::Deadline,
                evidence: ctx.quote(&field, m.range()),
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

    #[test]
    fn deadlines() {
        for (body, evidence) in [
            ("48時間以内に入金を行なってください。", "48時間以内"),
            ("２４時間以内にご確認ください", "２４時間以内"),
            ("本日中にお手続きがない場合", "本日中"),
            ("三日以内にご連絡ください", "三日以内"),
            ("期限までにお支払いがない場合、法的措置", "期限までに"),
            ("新しい配送先は24時間後に有効になります", "24時間後に"),
            ("お支払い期限を過ぎると回線が停止されます", "期限を過ぎると"),
        ] {
            assert_eq!(
                found(&mail("件名", "a@b.jp", body), SignalKind::Deadline),
                [evidence],
                "{body}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// The anchors never pass over a text the pattern matches.
        #[test]
        fn the_anchors_keep_every_deadline(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "24時間", "3日", "三営業日", "10分", "1234", "時間", "日", " ", "\n", "以内",
                    "内に", "後に", "後", "経過", "を過ぎ", "過ぎ", "ると", "期限", "を", "までに",
                    "内", "本日", " 9時まで", "今日中", "当日中", "中", "直ちに", "ただちに", "円",
                    "。",
                ]),
                // Short: a text with a second anchor elsewhere would pass the gate anyway.
                0..6,
            ),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(
                super::first(&text).map(|m| m.range()),
                super::DEADLINE.find(&text).map(|m| m.range()),
                "{}",
                text
            );
        }
    }

    #[test]
    fn dates_and_durations_without_pressure_are_quiet() {
        for body in [
            "10月31日までにご返信いただければ幸いです",
            "所要時間は約2時間です",
            "営業時間：9時〜18時",
        ] {
            assert!(
                found(&mail("件名", "a@b.jp", body), SignalKind::Deadline).is_empty(),
                "{body}"
            );
        }
    }
}
