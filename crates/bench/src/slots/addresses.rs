//! The addresses, links and domains of one mail: its sender's and recipient's addresses,
//! the real site of the brand or sender, and in a scam the look-alike domains and links.

use std::fmt::Write;

use super::{Fill, Slot};
use crate::brands;
use crate::people::{CITIES, COMPANY_KINDS, COMPANY_STEMS, FREE_MAIL, GIVEN_NAMES, SURNAMES};
use crate::random::Random;
use crate::templates::{Label, Sender};
use crate::topics::{SHOPS, SOFTWARE};

impl Fill {
    /// The real web host of whoever genuinely sends this category.
    pub(super) fn site(&self) -> &'static str {
        match (self.brand, self.category.sender) {
            (Some(brand), _) => brand.site,
            (None, Sender::Shop) => SHOPS[self.shop].1,
            _ => "www.gov-online.go.jp",
        }
    }

    pub(super) fn recipient_address(&self, out: &mut String) {
        let (s, g) = self.recipient;
        let _ = write!(
            out,
            "{}.{}{}@{}",
            GIVEN_NAMES[g].1,
            SURNAMES[s].1,
            (s * 7 + g) % 90 + 10,
            FREE_MAIL[(s + g) % FREE_MAIL.len()]
        );
    }

    /// The link of the mail: a phishing URL in a scam, the sender's real site otherwise.
    pub(super) fn url(&mut self, random: &mut Random, out: &mut String) {
        let path = random.pick(brands::PATHS);
        if self.category.label == Label::Scam {
            match random.below(10) {
                0 => {
                    out.push_str("http://");
                    self.draw(random, Slot::Ip, out);
                    let _ = write!(out, "/{path}");
                }
                1 | 2 => {
                    let _ = write!(out, "https://{}/", random.pick(brands::SHORTENERS));
                    random.chars(
                        b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
                        7,
                        out,
                    );
                }
                3 | 4 => {
                    // The real host as a subdomain of the scam's own domain.
                    let _ = write!(out, "https://{}.", self.site());
                    self.scam_domain(random, out);
                    let _ = write!(out, "/{path}");
                }
                _ => {
                    out.push_str("https://");
                    self.scam_domain(random, out);
                    let _ = write!(out, "/{path}?id=");
                    random.chars(b"abcdef0123456789", 12, out);
                }
            }
            return;
        }
        match self.category.sender {
            Sender::Company => {
                out.push_str("https://www.");
                company_domain(self.own_company, out);
                out.push('/');
            }
            Sender::CityOffice => {
                let _ = write!(
                    out,
                    "https://www.city.{}.lg.jp/{path}/",
                    CITIES[self.city].1
                );
            }
            Sender::MailingList => {
                let _ = write!(out, "https://{}.dev/releases/", SOFTWARE[self.software].1);
            }
            Sender::Shop => {
                let _ = write!(out, "https://{}/sale/", SHOPS[self.shop].1);
                random.digits(4, out);
            }
            _ => {
                let _ = write!(out, "https://{}/{path}", self.site());
            }
        }
    }

    /// A throwaway domain built from the brand's Latin name, or from scam words alone.
    fn scam_domain(&self, random: &mut Random, out: &mut String) {
        let word = random.pick(brands::SCAM_WORDS);
        let tld = random.pick(brands::SCAM_TLDS);
        match self.brand {
            Some(brand) => match random.below(3) {
                0 => {
                    let _ = write!(out, "{}-{word}.{tld}", brand.slug);
                }
                1 => {
                    let _ = write!(out, "{word}-{}.{tld}", brand.slug);
                }
                _ => {
                    let _ = write!(out, "{}{word}", brand.slug.replace('-', ""));
                    random.digits(2, out);
                    let _ = write!(out, ".{tld}");
                }
            },
            None => {
                let other = random.pick(brands::SCAM_WORDS);
                let _ = write!(out, "{word}-{other}");
                random.digits(2, out);
                let _ = write!(out, ".{tld}");
            }
        }
    }

    /// The From address, by the category's kind of sender.
    pub(super) fn sender_address(&mut self, random: &mut Random, out: &mut String) {
        let (s, g) = self.sender;
        let free_mail = |random: &mut Random, out: &mut String| {
            let _ = write!(out, "{}.{}", GIVEN_NAMES[g].1, SURNAMES[s].1);
            random.digits(2, out);
            let _ = write!(out, "@{}", random.pick(FREE_MAIL));
        };
        match self.category.sender {
            Sender::Official => match self.brand {
                Some(brand) => {
                    let _ = write!(
                        out,
                        "{}@{}",
                        random.pick(brands::NOTICE_LOCALS),
                        brand.domain
                    );
                }
                None => free_mail(random, out),
            },
            Sender::Impostor => match random.below(20) {
                // Spoofed: the brand's own domain, which only authentication results betray.
                0..=2 if self.brand.is_some() => {
                    let domain = self.brand.map_or("", |b| b.domain);
                    let _ = write!(out, "{}@{domain}", random.pick(brands::NOTICE_LOCALS));
                }
                3..=5 => {
                    random.chars(b"abcdefghijklmnopqrstuvwxyz0123456789", 9, out);
                    let _ = write!(out, "@{}", random.pick(FREE_MAIL));
                }
                _ => {
                    let _ = write!(out, "{}@", random.pick(brands::NOTICE_LOCALS));
                    self.scam_domain(random, out);
                }
            },
            Sender::FreeMail => free_mail(random, out),
            Sender::OwnAddress => self.recipient_address(out),
            Sender::Company => {
                let _ = write!(out, "{}.{}@", GIVEN_NAMES[g].1, SURNAMES[s].1);
                company_domain(self.own_company, out);
            }
            Sender::CityOffice => {
                let local = random.pick(&["bousai", "info", "kurashi", "anzen", "kouhou"]);
                let _ = write!(out, "{local}@city.{}.lg.jp", CITIES[self.city].1);
            }
            Sender::Shop => {
                let _ = write!(out, "news@mail.{}", SHOPS[self.shop].1);
            }
            Sender::MailingList => {
                let slug = SOFTWARE[self.software].1;
                let _ = write!(out, "{slug}-users@lists.{slug}.dev");
            }
        }
    }
}

fn company_domain((stem, kind): (usize, usize), out: &mut String) {
    let _ = write!(
        out,
        "{}-{}.co.jp",
        COMPANY_STEMS[stem].1, COMPANY_KINDS[kind].1
    );
}
