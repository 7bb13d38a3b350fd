//! Undoing hard wraps inside Japanese text.
//!
//! Mail software wraps long Japanese lines at a fixed width with no regard for words, so
//! `カード番号` arrives as `カー` at the end of one line and `ド番号` at the start of the next.
//! The segmenter would see two unrelated fragments. A line break is removed when the line
//! before it is long (a wrap, not a short line the author ended) and Japanese characters
//! stand on both sides of it.

/// Lines shorter than this (in characters) were ended by their author, not wrapped.
const MIN_WRAPPED_CHARS: usize = 20;

/// Whether `c` is kana, kanji or the long-vowel mark: the characters a wrap can split.
pub(crate) fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309F}'   // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana, including ー
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '々' | '〆')
}

/// Joins lines that were wrapped in the middle of Japanese text.
pub(crate) fn unfold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push_str(line);
        let Some(next) = lines.peek() else { break };
        let wrapped = line.chars().count() >= MIN_WRAPPED_CHARS
            && line.chars().next_back().is_some_and(is_japanese)
            && next.chars().next().is_some_and(is_japanese);
        if !wrapped {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_words_cut_by_a_wrap() {
        let wrapped = "ご登録のクレジットカードの有効期限が切れているため、カー\nド番号の再登録をお願いいたします。\n\n以上";
        assert_eq!(
            unfold(wrapped),
            "ご登録のクレジットカードの有効期限が切れているため、カード番号の再登録をお願いいたします。\n\n以上"
        );
    }

    #[test]
    fn keeps_short_lines_and_lines_ending_in_punctuation() {
        for text in [
            "山田様\nいつもお世話になっております",
            "本日は晴天なり。本日は晴天なり。本日は晴天なり。\nまた明日",
            "ご注文番号をご確認のうえ、下記のリンクからアクセスしてください\nhttps://example.jp/",
            "",
        ] {
            assert_eq!(unfold(text), text);
        }
    }

    #[test]
    fn crlf_becomes_lf() {
        assert_eq!(unfold("一行目\r\n二行目"), "一行目\n二行目");
    }
}
