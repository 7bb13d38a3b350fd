//! The brands scams imitate and genuine notices come from, and the domains of both.
//!
//! Genuine mail uses a brand's real domain, as the corpus in data/ does. Scams use domains
//! built from the brand's Latin name plus a plausible word and a cheap TLD, a spoofed real
//! domain now and then, a bare IP or a URL shortener; some write the brand with look-alike
//! characters (Greek Α, a zero for O, `rn` for `m`), as real phishing does.

/// A brand as mail writes it.
pub(crate) struct Brand {
    /// The name as mail writes it: `Amazon`, `三井住友カード`.
    pub(crate) name: &'static str,
    /// The Latin word scam domains are built from.
    pub(crate) slug: &'static str,
    /// The brand's real mail domain.
    pub(crate) domain: &'static str,
    /// The brand's real web host.
    pub(crate) site: &'static str,
    /// Look-alike spellings of `name` that scams use; may be empty.
    pub(crate) lookalikes: &'static [&'static str],
}

/// Which family of brands a category speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BrandGroup {
    Ecommerce,
    Card,
    Bank,
    Delivery,
    Transport,
    Government,
    Telecom,
    Subscription,
    Travel,
    /// Mail of people and small organisations, no brand.
    None,
}

impl BrandGroup {
    /// The brands of this group; `None` has none.
    pub(crate) fn brands(self) -> &'static [Brand] {
        match self {
            BrandGroup::Ecommerce => ECOMMERCE,
            BrandGroup::Card => CARD,
            BrandGroup::Bank => BANK,
            BrandGroup::Delivery => DELIVERY,
            BrandGroup::Transport => TRANSPORT,
            BrandGroup::Government => GOVERNMENT,
            BrandGroup::Telecom => TELECOM,
            BrandGroup::Subscription => SUBSCRIPTION,
            BrandGroup::Travel => TRAVEL,
            BrandGroup::None => &[],
        }
    }
}

const fn brand(
    name: &'static str,
    slug: &'static str,
    domain: &'static str,
    site: &'static str,
    lookalikes: &'static [&'static str],
) -> Brand {
    Brand {
        name,
        slug,
        domain,
        site,
        lookalikes,
    }
}

const ECOMMERCE: &[Brand] = &[
    brand(
        "Amazon",
        "amazon",
        "amazon.co.jp",
        "www.amazon.co.jp",
        &["Αmazon", "AMAZ0N", "Arnazon", "Amaz0n"],
    ),
    brand(
        "楽天市場",
        "rakuten",
        "rakuten.co.jp",
        "www.rakuten.co.jp",
        &["楽天市場（Rakuten）", "Rakuten 市場"],
    ),
    brand(
        "メルカリ",
        "mercari",
        "mercari.com",
        "jp.mercari.com",
        &["rnercari", "メルカリ事務局"],
    ),
    brand(
        "Yahoo!ショッピング",
        "yahoo",
        "yahoo.co.jp",
        "shopping.yahoo.co.jp",
        &["Yah00!ショッピング"],
    ),
    brand(
        "PayPay",
        "paypay",
        "paypay.ne.jp",
        "paypay.ne.jp",
        &["PayPaу", "PAYPAY"],
    ),
];

const CARD: &[Brand] = &[
    brand(
        "三井住友カード",
        "smbc-card",
        "smbc-card.com",
        "www.smbc-card.com",
        &["三井住友力ード"],
    ),
    brand("JCB", "jcb", "jcb.co.jp", "www.jcb.co.jp", &["JCB カード"]),
    brand(
        "イオンカード",
        "aeon",
        "aeon.co.jp",
        "www.aeon.co.jp",
        &["AEON カード"],
    ),
    brand(
        "楽天カード",
        "rakuten-card",
        "rakuten-card.co.jp",
        "www.rakuten-card.co.jp",
        &["楽天力ード"],
    ),
    brand(
        "アメリカン・エキスプレス",
        "amex",
        "americanexpress.com",
        "www.americanexpress.com",
        &["AMERICAN EXPRE55"],
    ),
    brand(
        "セゾンカード",
        "saison",
        "saisoncard.co.jp",
        "www.saisoncard.co.jp",
        &[],
    ),
    brand(
        "エポスカード",
        "epos",
        "eposcard.co.jp",
        "www.eposcard.co.jp",
        &[],
    ),
];

const BANK: &[Brand] = &[
    brand(
        "三菱UFJ銀行",
        "mufg",
        "bk.mufg.jp",
        "www.bk.mufg.jp",
        &["三菱UF J銀行", "MUFG銀行"],
    ),
    brand(
        "みずほ銀行",
        "mizuho",
        "mizuhobank.co.jp",
        "www.mizuhobank.co.jp",
        &[],
    ),
    brand(
        "ゆうちょ銀行",
        "jp-bank",
        "jp-bank.japanpost.jp",
        "www.jp-bank.japanpost.jp",
        &["ゆうちょ銀行（JP BANK）"],
    ),
    brand(
        "りそな銀行",
        "resona",
        "resonabank.co.jp",
        "www.resonabank.co.jp",
        &[],
    ),
    brand(
        "三井住友銀行",
        "smbc",
        "smbc.co.jp",
        "www.smbc.co.jp",
        &["三井住友銀行（SMBC）"],
    ),
];

const DELIVERY: &[Brand] = &[
    brand(
        "佐川急便",
        "sagawa",
        "sagawa-exp.co.jp",
        "www.sagawa-exp.co.jp",
        &["佐川急使"],
    ),
    brand(
        "ヤマト運輸",
        "yamato",
        "kuronekoyamato.co.jp",
        "www.kuronekoyamato.co.jp",
        &["ヤマ卜運輸", "クロネコヤマト"],
    ),
    brand(
        "日本郵便",
        "japanpost",
        "post.japanpost.jp",
        "www.post.japanpost.jp",
        &["日本郵便（JapanPost）"],
    ),
    brand("西濃運輸", "seino", "seino.co.jp", "www.seino.co.jp", &[]),
];

const TRANSPORT: &[Brand] = &[
    brand(
        "えきねっと",
        "eki-net",
        "eki-net.com",
        "www.eki-net.com",
        &["えきねっと（JR東日本）"],
    ),
    brand(
        "ETC利用照会サービス",
        "etc-meisai",
        "etc-meisai.jp",
        "www.etc-meisai.jp",
        &[],
    ),
    brand(
        "NEXCO東日本",
        "e-nexco",
        "e-nexco.co.jp",
        "www.e-nexco.co.jp",
        &[],
    ),
    brand(
        "モバイルSuica",
        "suica",
        "jreast.co.jp",
        "www.jreast.co.jp",
        &[],
    ),
];

const GOVERNMENT: &[Brand] = &[
    brand(
        "国税庁",
        "nta",
        "nta.go.jp",
        "www.nta.go.jp",
        &["国税庁（e-Tax）"],
    ),
    brand(
        "日本年金機構",
        "nenkin",
        "nenkin.go.jp",
        "www.nenkin.go.jp",
        &[],
    ),
    brand(
        "マイナポータル",
        "myna",
        "myna.go.jp",
        "myna.go.jp",
        &["マイナポイント事務局"],
    ),
    brand(
        "デジタル庁",
        "digital",
        "digital.go.jp",
        "www.digital.go.jp",
        &[],
    ),
];

const TELECOM: &[Brand] = &[
    brand(
        "NTTドコモ",
        "docomo",
        "docomo.ne.jp",
        "www.docomo.ne.jp",
        &["NTTドコモ（docomo）", "d0como"],
    ),
    brand("au", "au", "au.com", "www.au.com", &["au（KDDI）"]),
    brand(
        "ソフトバンク",
        "softbank",
        "softbank.jp",
        "www.softbank.jp",
        &["SoftBank"],
    ),
    brand(
        "楽天モバイル",
        "rakuten-mobile",
        "mobile.rakuten.co.jp",
        "network.mobile.rakuten.co.jp",
        &[],
    ),
];

const SUBSCRIPTION: &[Brand] = &[
    brand(
        "Netflix",
        "netflix",
        "netflix.com",
        "www.netflix.com",
        &["NETFLlX", "Netfl1x"],
    ),
    brand(
        "Apple",
        "apple",
        "apple.com",
        "www.apple.com",
        &["Αpple", "App1e"],
    ),
    brand(
        "Microsoft",
        "microsoft",
        "microsoft.com",
        "account.microsoft.com",
        &["Micros0ft", "Mircosoft"],
    ),
    brand("LINE", "line", "line.me", "line.me", &["L1NE"]),
    brand(
        "Google",
        "google",
        "google.com",
        "myaccount.google.com",
        &["G00gle"],
    ),
    brand("U-NEXT", "unext", "unext.jp", "video.unext.jp", &[]),
];

const TRAVEL: &[Brand] = &[
    brand(
        "楽天トラベル",
        "rakuten-travel",
        "travel.rakuten.co.jp",
        "travel.rakuten.co.jp",
        &[],
    ),
    brand("じゃらんnet", "jalan", "jalan.net", "www.jalan.net", &[]),
    brand("JAL", "jal", "jal.co.jp", "www.jal.co.jp", &[]),
    brand("ANA", "ana", "ana.co.jp", "www.ana.co.jp", &[]),
    brand(
        "えきねっと",
        "eki-net",
        "eki-net.com",
        "www.eki-net.com",
        &[],
    ),
];

/// Words glued to a brand's Latin name in scam domains.
pub(crate) const SCAM_WORDS: &[&str] = &[
    "security", "verify", "account", "support", "info", "update", "login", "service", "center",
    "check", "auth", "member", "secure", "notice", "jp",
];

/// Top-level domains cheap enough for throwaway scam domains.
pub(crate) const SCAM_TLDS: &[&str] = &[
    "com", "net", "top", "xyz", "cn", "shop", "online", "info", "cc", "buzz", "icu", "co",
];

/// URL shorteners scams hide behind.
pub(crate) const SHORTENERS: &[&str] = &["bit.ly", "t.co", "tinyurl.com", "is.gd", "cutt.ly"];

/// Local parts genuine notices are sent from.
pub(crate) const NOTICE_LOCALS: &[&str] = &[
    "no-reply",
    "noreply",
    "info",
    "notice",
    "mail",
    "order-update",
    "account",
    "support",
    "news",
];

/// URL paths, for genuine and fake links alike.
pub(crate) const PATHS: &[&str] = &[
    "login",
    "account/verify",
    "mypage",
    "member/confirm",
    "support/contact",
    "orders",
    "notice",
    "campaign",
    "security/update",
    "redelivery",
    "payment",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_brand_group_but_none_has_brands() {
        for group in [
            BrandGroup::Ecommerce,
            BrandGroup::Card,
            BrandGroup::Bank,
            BrandGroup::Delivery,
            BrandGroup::Transport,
            BrandGroup::Government,
            BrandGroup::Telecom,
            BrandGroup::Subscription,
            BrandGroup::Travel,
        ] {
            assert!(!group.brands().is_empty(), "{group:?}");
        }
        assert!(BrandGroup::None.brands().is_empty());
    }
}
