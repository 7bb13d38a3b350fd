//! What the sender of an SMS is, when all a text has is the number or name its phone showed.

/// The kind of telephone number a sender without an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phone {
    /// A mobile line (`090-…`, `+81 90-…`): a person's phone. Carriers, banks and shops
    /// send from short codes, registered names and their own fixed lines.
    Mobile,
    /// A fixed, IP or toll-free line (`03-…`, `050-…`, `0120-…`).
    Fixed,
    /// A number abroad (`+852 …`, `+44 …`).
    Abroad,
    /// A short code (`0005`, `12345`).
    ShortCode,
    /// Digits of no shape above.
    Other,
}

impl Phone {
    /// The kind of number `sender` is; `None` for a name. Digits a report masked
    /// (`090-4417-****`) count as digits, and a `+81` number is the domestic one.
    pub(crate) fn of(sender: &str) -> Option<Phone> {
        let mut digits = String::new();
        let (mut abroad, mut written) = (false, 0);
        for (i, c) in sender.trim().chars().enumerate() {
            match c {
                '+' | '＋' if i == 0 => abroad = true,
                ' ' | '　' | '-' | '‐' | '－' | '(' | ')' | '（' | '）' => {}
                '*' | '＊' | 'x' | 'X' | 'ｘ' | 'Ｘ' => digits.push('0'),
                _ => {
                    let digit = match c {
                        '０'..='９' => c as u32 - '０' as u32,
                        _ => c.to_digit(10)?,
                    };
                    digits.push(char::from_digit(digit, 10)?);
                    written += 1;
                }
            }
        }
        if written == 0 {
            return None;
        }
        if abroad {
            match digits.strip_prefix("81") {
                Some(national) => digits = format!("0{national}"),
                None => {
                    return Some(if digits.len() >= 6 {
                        Phone::Abroad
                    } else {
                        Phone::Other
                    });
                }
            }
        }
        // 0800 is toll-free: a mobile number has 1-9 after its 070, 080 or 090.
        let mobile = ["070", "080", "090"].iter().any(|p| digits.starts_with(p))
            && digits.as_bytes().get(3).is_some_and(|d| *d != b'0');
        Some(match digits.len() {
            3..=6 if !abroad => Phone::ShortCode,
            11 if mobile => Phone::Mobile,
            10..=11 if digits.starts_with('0') => Phone::Fixed,
            _ => Phone::Other,
        })
    }

    /// The feature that says it.
    pub(crate) fn feature(self) -> &'static str {
        match self {
            Phone::Mobile => "sender:phone_mobile",
            Phone::Fixed => "sender:phone_fixed",
            Phone::Abroad => "sender:phone_abroad",
            Phone::ShortCode => "sender:short_code",
            Phone::Other => "sender:phone_other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_without_an_address_are_told_by_their_number() {
        let cases = [
            ("090-1234-5678", Some(Phone::Mobile)),
            ("+81 80-1234-5678", Some(Phone::Mobile)),
            ("+818012345678", Some(Phone::Mobile)),
            ("０７０－１２３４－５６７８", Some(Phone::Mobile)),
            ("090-4417-****", Some(Phone::Mobile)),
            ("0120-123-456", Some(Phone::Fixed)),
            ("0800-111-4523", Some(Phone::Fixed)),
            ("+81 3-1234-5678", Some(Phone::Fixed)),
            ("050-1234-5678", Some(Phone::Fixed)),
            ("+852 5613 2208", Some(Phone::Abroad)),
            ("+44 7700 900482", Some(Phone::Abroad)),
            ("+1 23", Some(Phone::Other)),
            ("0005", Some(Phone::ShortCode)),
            ("12345678", Some(Phone::Other)),
            ("Amazon", None),
            ("SBI証券", None),
            ("XX", None),
            ("au", None),
        ];
        for (sender, kind) in cases {
            assert_eq!(Phone::of(sender), kind, "{sender}");
        }
    }
}
