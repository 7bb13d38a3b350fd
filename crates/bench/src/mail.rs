//! One generated mail: composed from a category's phrases to a drawn length.

use std::fmt::Write;

use crate::calendar::Moment;
use crate::eml::Transfer;
use crate::random::Random;
use crate::slots::{Fill, Slot};
use crate::templates::{self, Category, Label};

/// The fewest bytes of UTF-8 a body has.
pub(crate) const BODY_MIN: usize = 500;
/// The most bytes of UTF-8 a body has.
pub(crate) const BODY_MAX: usize = 3000;

/// A generated mail, ready to be written as a dataset row or an `.eml` file.
pub(crate) struct Mail {
    /// `{prefix}-{category}-{index}`, as the dataset's `{split}-{category}-{NNN}`.
    pub(crate) id: String,
    pub(crate) label: Label,
    pub(crate) category: &'static str,
    pub(crate) subject: String,
    /// The From display name.
    pub(crate) from_name: String,
    pub(crate) from_address: String,
    pub(crate) to: String,
    /// Plain text, `\n` line ends, between `BODY_MIN` and `BODY_MAX` bytes.
    pub(crate) body: String,
    pub(crate) date: Moment,
    /// Hex digits unique to the mail, for the Message-ID and MIME boundaries.
    pub(crate) token: String,
    /// How the `.eml` form is encoded.
    pub(crate) transfer: Transfer,
}

/// Composes mail number `index` of the corpus of `seed`.
pub(crate) fn compose(seed: u64, index: u64, id_prefix: &str) -> Mail {
    let mut random = Random::for_mail(seed, index);
    let label = if random.percent(50) {
        Label::Scam
    } else {
        Label::Ham
    };
    let category: &'static Category = random.pick(templates::of_label(label));
    let date = Moment::draw(&mut random);
    let transfer = Transfer::draw(&mut random);
    let mut token = String::with_capacity(16);
    random.chars(b"0123456789abcdef", 16, &mut token);
    let mut fill = Fill::new(&mut random, category, date);

    let mut subject = String::new();
    fill.render_one(&mut random, category.subjects, &mut subject);
    let mut from_name = String::new();
    fill.render_one(&mut random, category.from_names, &mut from_name);
    let from_address = fill.value(&mut random, Slot::SenderAddress).to_string();
    let to = fill.value(&mut random, Slot::Email).to_string();
    let body = body(&mut random, &mut fill, category);

    let mut id = String::with_capacity(id_prefix.len() + category.name.len() + 10);
    let _ = write!(id, "{id_prefix}-{}-{index:07}", category.name);
    Mail {
        id,
        label,
        category: category.name,
        subject,
        from_name,
        from_address,
        to,
        body,
        date: fill.moment(),
        token,
        transfer,
    }
}

/// Greeting, opening, details, call to action, asides, closing, signature: as many details
/// and asides as fit under a length drawn for this mail.
///
/// Lengths are drawn from two bands, 60 % of mails between 500 and 1,500 bytes and the rest
/// up to 3,000, so that short notices outnumber long newsletters as they do in a mailbox.
/// A body is assembled below its target one paragraph at a time; one that falls short of
/// `BODY_MIN` takes more paragraphs, up to `BODY_MAX`.
fn body(random: &mut Random, fill: &mut Fill, category: &'static Category) -> String {
    let target = if random.percent(60) {
        random.between(BODY_MIN as u64, 1500)
    } else {
        random.between(1500, BODY_MAX as u64)
    } as usize;
    let voice = category.voice;
    let mut render = |random: &mut Random, phrases: &'static [&'static str]| {
        let mut text = String::new();
        fill.render_one(random, phrases, &mut text);
        text
    };
    let greeting = render(random, voice.greetings);
    let opening = render(random, category.openings);
    let action = render(random, category.actions);
    let closing = render(random, voice.closings);
    let signature = render(random, voice.signatures);
    // Parts are joined by a blank line; an empty signature is left out.
    let fixed = [&greeting, &opening, &action, &closing, &signature]
        .iter()
        .filter(|part| !part.is_empty())
        .map(|part| part.len() + 2)
        .sum::<usize>()
        - 2;

    // Details first, in random order, then the voice's asides.
    let mut candidates: Vec<(bool, usize)> = Vec::new();
    let mut shuffled = |random: &mut Random, len: usize, is_aside: bool| {
        let start = candidates.len();
        candidates.extend((0..len).map(|i| (is_aside, i)));
        for i in (start + 1..candidates.len()).rev() {
            let j = start + random.index(i - start + 1);
            candidates.swap(i, j);
        }
    };
    shuffled(random, category.details.len(), false);
    shuffled(random, voice.asides.len(), true);

    let mut details = Vec::new();
    let mut asides = Vec::new();
    let mut length = fixed;
    for (is_aside, i) in candidates {
        let phrase = if is_aside {
            voice.asides[i]
        } else {
            category.details[i]
        };
        let mut text = String::new();
        fill.render(random, phrase, &mut text);
        let grown = length + text.len() + 2;
        if grown <= target || (length < BODY_MIN && grown <= BODY_MAX) {
            length = grown;
            if is_aside {
                asides.push(text);
            } else {
                details.push(text);
            }
        }
    }

    let mut body = String::with_capacity(length);
    let parts = std::iter::once(&greeting)
        .chain([&opening])
        .chain(&details)
        .chain([&action])
        .chain(&asides)
        .chain([&closing, &signature]);
    for part in parts.filter(|part| !part.is_empty()) {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(part);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_stay_in_range_and_slots_are_all_filled() {
        for index in 0..2000 {
            let mail = compose(11, index, "bench");
            let len = mail.body.len();
            assert!(
                (BODY_MIN..=BODY_MAX).contains(&len),
                "{}: {len} bytes\n{}",
                mail.id,
                mail.body
            );
            for text in [&mail.subject, &mail.from_name, &mail.body] {
                assert!(!text.contains('{'), "{}: unfilled slot in {text}", mail.id);
            }
            assert!(mail.from_address.contains('@') && mail.to.contains('@'));
        }
    }

    #[test]
    fn every_category_is_drawn() {
        let drawn: std::collections::BTreeSet<&str> =
            (0..3000).map(|i| compose(5, i, "b").category).collect();
        assert_eq!(drawn.len(), templates::CATEGORIES.len(), "{drawn:?}");
    }
}
