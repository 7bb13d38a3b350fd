//! The `{slot}`s of phrase templates and the values one mail gives them.
//!
//! A template is Japanese text with named slots: `{name}様、{deadline}までに…`. Within one
//! mail a slot always has the same value (the order number in the subject is the one in the
//! body), drawn the first time it is used: a mail pays only for the slots its phrases name.
//! Values live in one growing string per mail, so filling a slot allocates nothing new.
//! The addresses, links and domains a mail names are drawn in `addresses.rs`.

mod addresses;

use std::fmt::Write;

use crate::brands::Brand;
use crate::calendar::Moment;
use crate::people::{
    CITIES, COMPANY_KINDS, COMPANY_STEMS, DEPARTMENTS, DEVICES, FOREIGN_NAMES, GIVEN_NAMES,
    LOGIN_PLACES, SURNAMES,
};
use crate::random::Random;
use crate::templates::{Category, Label};
use crate::topics::{
    COINS, EVENTS, GIFT_CARDS, HOTELS, JOB_SITES, POSITIONS, PRODUCTS, PROJECTS, SCHOOLS, SHOPS,
    SOFTWARE, TRAINS,
};

macro_rules! slots {
    ($($variant:ident = $key:literal,)*) => {
        /// A named gap in a phrase template.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Slot {
            $($variant,)*
        }

        impl Slot {
            const COUNT: usize = [$(Slot::$variant,)*].len();

            /// The slot written `{key}` in a template.
            pub(crate) fn from_key(key: &str) -> Option<Slot> {
                match key {
                    $($key => Some(Slot::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

slots! {
    Brand = "brand",
    BrandSite = "brand_site",
    Url = "url",
    Name = "name",
    Surname = "surname",
    Email = "email",
    Sender = "sender",
    SenderSurname = "sender_surname",
    SenderAddress = "sender_address",
    ForeignName = "foreign_name",
    ReplyAddress = "reply_address",
    Company = "company",
    OwnCompany = "own_company",
    Department = "department",
    Amount = "amount",
    Prize = "prize",
    Points = "points",
    Percent = "percent",
    Date = "date",
    DateTime = "datetime",
    Deadline = "deadline",
    Meeting = "meeting",
    Time = "time",
    Month = "month",
    Year = "year",
    Hours = "hours",
    Days = "days",
    Count = "count",
    Order = "order",
    Tracking = "tracking",
    Reference = "ref",
    Code = "code",
    Phone = "phone",
    TollFree = "toll_free",
    Ip = "ip",
    Place = "place",
    Device = "device",
    Product = "product",
    Last4 = "last4",
    Account = "account",
    Btc = "btc",
    BtcAmount = "btc_amount",
    Coin = "coin",
    City = "city",
    Hotel = "hotel",
    Nights = "nights",
    Guests = "guests",
    Train = "train",
    Flight = "flight",
    Project = "project",
    Event = "event",
    School = "school",
    Software = "software",
    Version = "version",
    Position = "position",
    JobSite = "job_site",
    Shop = "shop",
    GiftCard = "gift_card",
}

/// The values of one mail's slots.
pub(crate) struct Fill {
    category: &'static Category,
    brand: Option<&'static Brand>,
    /// The brand as this mail writes it: a scam may use a look-alike spelling.
    brand_text: &'static str,
    moment: Moment,
    recipient: (usize, usize),
    sender: (usize, usize),
    company: (usize, usize),
    own_company: (usize, usize),
    city: usize,
    software: usize,
    shop: usize,
    /// Where each slot's value sits in `arena`, once drawn.
    spans: [Option<(u32, u32)>; Slot::COUNT],
    arena: String,
}

impl Fill {
    /// The people, brand and date of a new mail of `category`.
    pub(crate) fn new(random: &mut Random, category: &'static Category, moment: Moment) -> Fill {
        let brands = category.brands.brands();
        let brand = (!brands.is_empty()).then(|| &brands[random.index(brands.len())]);
        let brand_text = match brand {
            Some(b) if category.label == Label::Scam && !b.lookalikes.is_empty() => {
                if random.percent(25) {
                    random.pick(b.lookalikes)
                } else {
                    b.name
                }
            }
            Some(b) => b.name,
            None => "",
        };
        let person = |random: &mut Random| {
            (
                random.index(SURNAMES.len()),
                random.index(GIVEN_NAMES.len()),
            )
        };
        let recipient = person(random);
        let sender = person(random);
        let company = (
            random.index(COMPANY_STEMS.len()),
            random.index(COMPANY_KINDS.len()),
        );
        let own_company = (
            random.index(COMPANY_STEMS.len()),
            random.index(COMPANY_KINDS.len()),
        );
        Fill {
            category,
            brand,
            brand_text,
            moment,
            recipient,
            sender,
            company,
            own_company,
            city: random.index(CITIES.len()),
            software: random.index(SOFTWARE.len()),
            shop: random.index(SHOPS.len()),
            spans: [None; Slot::COUNT],
            arena: String::with_capacity(512),
        }
    }

    /// The mail's date.
    pub(crate) fn moment(&self) -> Moment {
        self.moment
    }

    /// Appends `template` to `out` with every `{slot}` filled. An unknown `{key}` is copied
    /// as written; a test keeps every template's keys known.
    pub(crate) fn render(&mut self, random: &mut Random, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after
                .find('}')
                .and_then(|close| Slot::from_key(&after[..close]).map(|slot| (slot, close)))
            {
                Some((slot, close)) => {
                    out.push_str(self.value(random, slot));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }

    /// Appends one of `phrases`, drawn at random, filled.
    pub(crate) fn render_one(&mut self, random: &mut Random, phrases: &[&str], out: &mut String) {
        let phrase = random.pick(phrases);
        self.render(random, phrase, out);
    }

    /// The value of `slot`, drawn on first use.
    pub(crate) fn value(&mut self, random: &mut Random, slot: Slot) -> &str {
        let (start, end) = match self.spans[slot as usize] {
            Some(span) => span,
            None => {
                let start = self.arena.len();
                let mut value = std::mem::take(&mut self.arena);
                self.draw(random, slot, &mut value);
                self.arena = value;
                let span = (start as u32, self.arena.len() as u32);
                self.spans[slot as usize] = Some(span);
                span
            }
        };
        &self.arena[start as usize..end as usize]
    }

    /// Appends a fresh value of `slot` to `out`.
    fn draw(&mut self, random: &mut Random, slot: Slot, out: &mut String) {
        let person = |(s, g): (usize, usize), out: &mut String| {
            let _ = write!(out, "{} {}", SURNAMES[s].0, GIVEN_NAMES[g].0);
        };
        match slot {
            Slot::Brand => out.push_str(self.brand_text),
            Slot::BrandSite => out.push_str(self.site()),
            Slot::Url => self.url(random, out),
            Slot::Name => person(self.recipient, out),
            Slot::Surname => out.push_str(SURNAMES[self.recipient.0].0),
            Slot::Email => self.recipient_address(out),
            Slot::Sender => person(self.sender, out),
            Slot::SenderSurname => out.push_str(SURNAMES[self.sender.0].0),
            Slot::SenderAddress => self.sender_address(random, out),
            Slot::ForeignName => out.push_str(random.pick(FOREIGN_NAMES)),
            Slot::ReplyAddress => {
                out.push_str(random.pick(&["claims", "office", "desk", "agent", "secretary"]));
                out.push('.');
                random.digits(4, out);
                out.push('@');
                out.push_str(random.pick(&["gmail.com", "outlook.com", "hotmail.com"]));
            }
            Slot::Company => company(self.company, random.percent(70), out),
            Slot::OwnCompany => company(self.own_company, true, out),
            Slot::Department => out.push_str(random.pick(DEPARTMENTS)),
            Slot::Amount => {
                let (low, high) = self.category.amounts;
                let yen = random.between(low, high);
                let yen = if yen >= 10_000 {
                    yen / 100 * 100
                } else {
                    yen / 10 * 10
                };
                thousands(yen, out);
            }
            Slot::Prize => {
                thousands(random.between(30, 980) * 10, out);
                out.push('万');
            }
            Slot::Points => thousands(random.between(10, 3000) * 10, out),
            Slot::Percent => thousands(random.between(2, 14) * 5, out),
            Slot::Date => self.moment.japanese_date(out),
            Slot::DateTime => self.moment.japanese_date_time(out),
            Slot::Deadline => {
                let days = random.between(1, 7) as i64;
                self.moment.plus_days(days).japanese_date_weekday(out);
            }
            Slot::Meeting => {
                let days = random.between(2, 14) as i64;
                let day = self.moment.plus_days(days).weekday_on_or_after();
                day.japanese_date_weekday(out);
            }
            Slot::Time => {
                let hour = random.between(9, 18);
                let minute = random.pick(&[0, 0, 15, 30, 30, 45]);
                let _ = write!(out, "{hour}:{minute:02}");
            }
            Slot::Month => {
                let _ = write!(out, "{}月", self.moment.month());
            }
            Slot::Year => {
                let _ = write!(out, "{}", self.moment.year());
            }
            Slot::Hours => out.push_str(random.pick(&["24", "48", "72", "12"])),
            Slot::Days => thousands(random.between(3, 14), out),
            Slot::Count => thousands(random.between(2, 9), out),
            Slot::Order => match random.below(3) {
                0 => {
                    random.digits(3, out);
                    out.push('-');
                    random.digits(7, out);
                    out.push('-');
                    random.digits(7, out);
                }
                1 => {
                    out.push_str(random.pick(&["R", "ORD", "A", "MC"]));
                    random.digits(10, out);
                }
                _ => {
                    let _ = write!(out, "{}", self.moment.year());
                    random.digits(4, out);
                    out.push('-');
                    random.digits(6, out);
                }
            },
            Slot::Tracking => {
                for part in 0..3 {
                    if part > 0 {
                        out.push('-');
                    }
                    random.digits(4, out);
                }
            }
            Slot::Reference => {
                random.chars(b"ABCDEFGHJKLMNPQRSTUVWXYZ", 2, out);
                out.push('-');
                random.digits(4, out);
                out.push('-');
                random.chars(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 3, out);
            }
            Slot::Code => random.digits(6, out),
            Slot::Phone => {
                let area = random.pick(&["03", "06", "050", "045", "052", "092"]);
                out.push_str(area);
                out.push('-');
                // 050 and the 2-digit areas take four digits here, 3-digit areas three.
                let local = if area.len() == 3 && area != "050" {
                    3
                } else {
                    4
                };
                random.digits(local, out);
                out.push('-');
                random.digits(4, out);
            }
            Slot::TollFree => {
                out.push_str(random.pick(&["0120-", "0800-"]));
                random.digits(3, out);
                out.push('-');
                random.digits(3, out);
            }
            Slot::Ip => {
                let _ = write!(
                    out,
                    "{}.{}.{}.{}",
                    random.between(23, 223),
                    random.below(256),
                    random.below(256),
                    random.between(1, 254)
                );
            }
            Slot::Place => out.push_str(random.pick(LOGIN_PLACES)),
            Slot::Device => out.push_str(random.pick(DEVICES)),
            Slot::Product => out.push_str(random.pick(PRODUCTS)),
            Slot::Last4 => random.digits(4, out),
            Slot::Account => random.digits(7, out),
            Slot::Btc => bitcoin_address(random, out),
            Slot::BtcAmount => {
                let _ = write!(out, "0.{:03}", random.between(20, 450));
            }
            Slot::Coin => out.push_str(random.pick(COINS)),
            Slot::City => out.push_str(CITIES[self.city].0),
            Slot::Hotel => out.push_str(random.pick(HOTELS)),
            Slot::Nights => thousands(random.between(1, 4), out),
            Slot::Guests => thousands(random.between(1, 4), out),
            Slot::Train => {
                let _ = write!(out, "{} {}号", random.pick(TRAINS), random.between(1, 99));
            }
            Slot::Flight => {
                let _ = write!(
                    out,
                    "{}{}",
                    random.pick(&["JL", "NH", "BC", "MM"]),
                    random.between(100, 999)
                );
            }
            Slot::Project => out.push_str(random.pick(PROJECTS)),
            Slot::Event => out.push_str(random.pick(EVENTS)),
            Slot::School => out.push_str(random.pick(SCHOOLS)),
            Slot::Software => out.push_str(SOFTWARE[self.software].0),
            Slot::Version => {
                let _ = write!(
                    out,
                    "{}.{}.{}",
                    random.between(1, 4),
                    random.below(20),
                    random.below(10)
                );
            }
            Slot::Position => out.push_str(random.pick(POSITIONS)),
            Slot::JobSite => out.push_str(random.pick(JOB_SITES).0),
            Slot::Shop => out.push_str(SHOPS[self.shop].0),
            Slot::GiftCard => out.push_str(random.pick(GIFT_CARDS)),
        }
    }
}

/// `株式会社ミドリ精工` or `ミドリ精工株式会社`.
fn company((stem, kind): (usize, usize), prefix: bool, out: &mut String) {
    if prefix {
        out.push_str("株式会社");
    }
    out.push_str(COMPANY_STEMS[stem].0);
    out.push_str(COMPANY_KINDS[kind].0);
    if !prefix {
        out.push_str("株式会社");
    }
}

/// `n` with thousands separators: `12,800`.
fn thousands(n: u64, out: &mut String) {
    let digits = n.to_string();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
}

/// A valid bech32 (P2WPKH) address of random bytes: checksums verify as in real demands.
fn bitcoin_address(random: &mut Random, out: &mut String) {
    let mut program = [0u8; 20];
    random.fill(&mut program);
    let address = bech32::segwit::encode_v0(bech32::hrp::BC, &program)
        .expect("a 20-byte program is a valid segwit v0 witness");
    out.push_str(&address);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        for (n, expected) in [
            (0, "0"),
            (980, "980"),
            (12_800, "12,800"),
            (1_234_567, "1,234,567"),
        ] {
            let mut out = String::new();
            thousands(n, &mut out);
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn a_slot_keeps_its_value_within_a_mail() {
        let category = &crate::templates::CATEGORIES[0];
        let mut random = Random::for_mail(1, 0);
        let moment = Moment::draw(&mut random);
        let mut fill = Fill::new(&mut random, category, moment);
        let mut out = String::new();
        fill.render(&mut random, "{order} / {order} {nope}", &mut out);
        let (first, rest) = out
            .split_once(" / ")
            .expect("the separator is in the template");
        assert_eq!(rest, format!("{first} {{nope}}"));
    }

    #[test]
    fn bitcoin_addresses_are_bech32() {
        let mut random = Random::for_mail(1, 0);
        let mut out = String::new();
        bitcoin_address(&mut random, &mut out);
        assert!(out.starts_with("bc1q") && out.len() == 42, "{out}");
        assert!(bech32::segwit::decode(&out).is_ok());
    }
}
