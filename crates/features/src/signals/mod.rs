//! Typed scam signals: the cues a person would point at, each with its evidence.
//!
//! Signals are found on the decoded mail before normalisation (homoglyphs live in the raw
//! characters) and become features too (`signal:deadline`), so the model learns how much
//! each one weighs instead of a hand-set score. Each signal's module documents what it
//! detects, why it points to a scam, an example, and its known false positives.

mod attachment_lure;
mod brand_homoglyph;
mod credential_request;
mod crypto_address;
mod deadline;
mod delivery_sms;
mod display_name_domain;
mod foreign_script;
mod link_text_mismatch;
mod messenger_lure;
mod money_demand;
mod phone_sender;
mod sender_domain_mismatch;
mod suspicious_url;

use std::fmt;
use std::sync::LazyLock;

use sagiguard_corpus::Email;
use sagiguard_tokenizer::{NormalizedText, Normalizer};
use serde::{Deserialize, Serialize};

use crate::brands::{Brand, fold, named_in};
use crate::domain::registered_domain;

pub(crate) use brand_homoglyph::KatakanaLookalikes;

/// The kinds of signal. Identifiers are stable: they appear in `--json` output and in models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// A known brand written with look-alike characters.
    BrandHomoglyph,
    /// The mail claims a brand, but the sender's domain is not one of the brand's.
    SenderDomainMismatch,
    /// A link shows one domain and goes to another.
    LinkTextMismatch,
    /// A link to a bare IP address, a punycode host, a URL shortener, or a brand name inside
    /// somebody else's domain.
    SuspiciousUrl,
    /// A pressing time limit.
    Deadline,
    /// An amount of money to pay or send.
    MoneyDemand,
    /// A cryptocurrency wallet address with a valid checksum.
    CryptoAddress,
    /// A request to enter or send a password, card number, PIN or personal data.
    CredentialRequest,
    /// Characters Japanese text does not use, such as simplified Chinese, or honorifics no
    /// native writer uses.
    ForeignScript,
    /// A failed-delivery or parcel-fee notice in a text without headers, which carriers do not
    /// send by SMS.
    DeliverySms,
    /// A text naming a company, sent from a personal mobile number or a number abroad.
    PhoneSender,
    /// The From display name shows a domain other than the one the address is at.
    DisplayNameDomain,
    /// A personal LINE ID or chat account (Telegram, WhatsApp…) the reader is asked to move to.
    MessengerLure,
    /// A file that runs code (`.lnk`, `.iso`, `請求書.pdf.exe`), attached or named, or a
    /// request to enable a document's macros.
    AttachmentLure,
}

impl SignalKind {
    /// Every kind, in a fixed order.
    pub const ALL: [SignalKind; 14] = [
        SignalKind::BrandHomoglyph,
        SignalKind::SenderDomainMismatch,
        SignalKind::LinkTextMismatch,
        SignalKind::SuspiciousUrl,
        SignalKind::Deadline,
        SignalKind::MoneyDemand,
        SignalKind::CryptoAddress,
        SignalKind::CredentialRequest,
        SignalKind::ForeignScript,
        SignalKind::DeliverySms,
        SignalKind::PhoneSender,
        SignalKind::DisplayNameDomain,
        SignalKind::MessengerLure,
        SignalKind::AttachmentLure,
    ];

    /// The stable identifier, e.g. `brand_homoglyph`.
    pub fn id(self) -> &'static str {
        match self {
            SignalKind::BrandHomoglyph => "brand_homoglyph",
            SignalKind::SenderDomainMismatch => "sender_domain_mismatch",
            SignalKind::LinkTextMismatch => "link_text_mismatch",
            SignalKind::SuspiciousUrl => "suspicious_url",
            SignalKind::Deadline => "deadline",
            SignalKind::MoneyDemand => "money_demand",
            SignalKind::CryptoAddress => "crypto_address",
            SignalKind::CredentialRequest => "credential_request",
            SignalKind::ForeignScript => "foreign_script",
            SignalKind::DeliverySms => "delivery_sms",
            SignalKind::PhoneSender => "phone_sender",
            SignalKind::DisplayNameDomain => "display_name_domain",
            SignalKind::MessengerLure => "messenger_lure",
            SignalKind::AttachmentLure => "attachment_lure",
        }
    }

    /// What the signal means, in one sentence.
    pub fn describe(self, lang: Lang) -> &'static str {
        use SignalKind::*;
        match (self, lang) {
            (BrandHomoglyph, Lang::Ja) => {
                "ブランド名が見た目の似た別の文字で書かれています（なりすましの典型）"
            }
            (BrandHomoglyph, Lang::En) => {
                "a brand name is spelled with look-alike characters, a typical impersonation"
            }
            (SenderDomainMismatch, Lang::Ja) => "名乗っている会社と送信元のドメインが一致しません",
            (SenderDomainMismatch, Lang::En) => {
                "the sender claims a brand but sends from a domain that is not the brand's"
            }
            (LinkTextMismatch, Lang::Ja) => "リンクの表示と実際の行き先が別のドメインです",
            (LinkTextMismatch, Lang::En) => "a link shows one domain but goes to another",
            (SuspiciousUrl, Lang::Ja) => {
                "不審なリンク（IPアドレス直書き、短縮URL、ブランド名を含む別ドメインなど）があります"
            }
            (SuspiciousUrl, Lang::En) => {
                "a suspicious link: bare IP, shortener, punycode, or a brand inside another domain"
            }
            (Deadline, Lang::Ja) => "短い期限を切って急がせています",
            (Deadline, Lang::En) => "it presses with a short deadline",
            (MoneyDemand, Lang::Ja) => "金銭の支払い・送金を求めています",
            (MoneyDemand, Lang::En) => "it demands a payment or transfer of money",
            (CryptoAddress, Lang::Ja) => {
                "暗号資産（ビットコインなど）の送金先アドレスが書かれています"
            }
            (CryptoAddress, Lang::En) => "it gives a cryptocurrency wallet address to pay to",
            (CredentialRequest, Lang::Ja) => {
                "パスワード・カード番号・暗証番号などの入力や送信を求めています"
            }
            (CredentialRequest, Lang::En) => {
                "it asks for a password, card number, PIN or personal data"
            }
            (ForeignScript, Lang::Ja) => {
                "日本語では使わない文字（簡体字など）や、日本語の書き手が使わない敬語（「お確認」「尊敬するお客様」など）が混じっています（機械翻訳の詐欺に多い）"
            }
            (ForeignScript, Lang::En) => {
                "it contains characters or honorifics Japanese writers do not use, such as simplified Chinese or 「お確認」"
            }
            (DeliverySms, Lang::Ja) => {
                "宅配の不在・住所不備・保管・料金の連絡がSMS形式で届いています（大手宅配業者はSMSで不在連絡や支払いの依頼をしません）"
            }
            (DeliverySms, Lang::En) => {
                "a failed-delivery or parcel-fee notice as a text message; the major carriers send none by SMS"
            }
            (PhoneSender, Lang::Ja) => {
                "会社を名乗るSMSが個人の携帯電話番号や海外の番号から届いています（会社のSMSは短縮番号や登録された名前、会社の固定電話番号から届きます）"
            }
            (PhoneSender, Lang::En) => {
                "a text naming a company comes from a personal mobile number or a number abroad; companies text from short codes, registered names and their own lines"
            }
            (DisplayNameDomain, Lang::Ja) => {
                "差出人名に、実際の送信元とは別のドメインが書かれています（差出人名は誰でも自由に書けます）"
            }
            (DisplayNameDomain, Lang::En) => {
                "the sender's name shows a domain other than the one the mail comes from; anyone can write any name"
            }
            (MessengerLure, Lang::Ja) => {
                "個人のLINE IDやTelegram・WhatsAppなど、メール以外の連絡先へ誘っています（投資・副業・ロマンス詐欺の典型。会社のLINEは@で始まる公式アカウントです）"
            }
            (MessengerLure, Lang::En) => {
                "it asks the reader to move to a personal LINE ID or a chat app such as Telegram or WhatsApp, a step of investment, job and romance scams"
            }
            (AttachmentLure, Lang::Ja) => {
                "プログラムとして動くファイル（.lnk・.iso・.one・「請求書.pdf.exe」など）が添付・記載されているか、マクロを動かす「編集を有効にする」「コンテンツの有効化」を求めています（ウイルス感染の手口。請求書や送り状は普通PDFで届きます）"
            }
            (AttachmentLure, Lang::En) => {
                "a file that runs code (.lnk, .iso, .one, \"invoice.pdf.exe\") is attached or named, or it asks to enable editing or content for macros: how malware is spread"
            }
        }
    }
}

impl fmt::Display for SignalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The language of messages for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Japanese.
    #[default]
    Ja,
    /// English.
    En,
}

/// Where in the mail a signal's evidence is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The subject.
    Subject,
    /// The body.
    Body,
    /// The From header.
    From,
    /// A link (its index in `Email::links`).
    Link(usize),
    /// An attachment (its name is the evidence).
    Attachment,
}

/// One signal found in a mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// What was found.
    pub kind: SignalKind,
    /// The user's own words or header value that show it.
    pub evidence: String,
    /// Where the evidence is.
    pub field: Field,
    /// What this evidence shows beyond the kind, where that varies (which of a suspicious
    /// link's traits it has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// What a piece of evidence shows, said in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// A link to a bare IP address.
    IpAddress,
    /// A host in punycode (`xn--`).
    Punycode,
    /// A public URL shortener.
    Shortener,
    /// A host written with letters other than ASCII (`pаypаy.jp`, a Cyrillic а).
    NonAscii,
    /// An honorific or a form of address no native writer uses (お確認, 尊敬するお客様).
    UnnaturalPhrase,
    /// A brand's name (or a look-alike of it) inside a registered domain not the brand's.
    BrandInside {
        /// The brand's name.
        brand: String,
        /// The registered domain it is inside.
        domain: String,
    },
}

impl Note {
    /// The note in a few words.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Note::IpAddress, Lang::Ja) => "IPアドレスの直書き".into(),
            (Note::IpAddress, Lang::En) => "IP address".into(),
            (Note::Punycode, Lang::Ja) => "punycode（xn--）で書かれたドメイン".into(),
            (Note::Punycode, Lang::En) => "punycode".into(),
            (Note::Shortener, Lang::Ja) => "短縮URL".into(),
            (Note::Shortener, Lang::En) => "URL shortener".into(),
            (Note::NonAscii, Lang::Ja) => "英字に似た外国の文字を使ったドメイン".into(),
            (Note::NonAscii, Lang::En) => "non-ASCII letters".into(),
            (Note::UnnaturalPhrase, Lang::Ja) => "日本語の書き手が使わない敬語・呼びかけ".into(),
            (Note::UnnaturalPhrase, Lang::En) => "phrasing no native writer uses".into(),
            (Note::BrandInside { brand, domain }, Lang::Ja) => {
                format!("{brand}の名前を含む別のドメイン {domain}")
            }
            (Note::BrandInside { brand, domain }, Lang::En) => format!("{brand} inside {domain}"),
        }
    }
}

impl Signal {
    /// The evidence with its note in English, as the JSON output has always shown it
    /// (`https://… (URL shortener)`).
    pub fn evidence_noted(&self) -> String {
        match &self.note {
            Some(note) => format!("{} ({})", self.evidence, note.describe(Lang::En)),
            None => self.evidence.clone(),
        }
    }

    /// A one-line message for people: the description with the evidence quoted, and its
    /// note in the same language.
    pub fn message(&self, lang: Lang) -> String {
        let describe = self.kind.describe(lang);
        match (lang, &self.note) {
            (Lang::Ja, None) => format!("{describe}：「{}」", self.evidence),
            (Lang::Ja, Some(note)) => {
                format!(
                    "{describe}：「{}」（{}）",
                    self.evidence,
                    note.describe(lang)
                )
            }
            (Lang::En, _) => format!("{describe}: \"{}\"", self.evidence_noted()),
        }
    }
}

/// A mail prepared for the detectors: the raw decoded text, and its NFKC form for the
/// patterns that must see `２４時間` as `24時間`.
pub(crate) struct Context<'a> {
    pub email: &'a Email,
    pub subject: NormalizedText,
    pub body: NormalizedText,
    /// Runs spelling a brand with look-alikes, with their field.
    pub lookalikes: Vec<(Field, &'a str, &'static Brand)>,
    /// The brands the sender's name, the subject and the body name, each in table order
    /// with the name found: folded once here for every detector and for the features.
    pub claims: [Vec<(&'static Brand, &'static str)>; 3],
    /// The registered domain of the From address, which the sender checks compare with.
    pub sender_domain: Option<String>,
}

/// The subject and body as the default normaliser gives them, where the caller has them.
#[derive(Default)]
pub(crate) struct Normalized {
    pub subject: Option<NormalizedText>,
    pub body: Option<NormalizedText>,
}

/// The default normaliser, which the signals read the subject and body through.
static DEFAULT: LazyLock<Normalizer> = LazyLock::new(Normalizer::default);

/// Compiles the signals' patterns and builds their tables (see [`crate::prepare`]).
pub(crate) fn prepare() {
    for pattern in [
        &crypto_address::CANDIDATE,
        &money_demand::AMOUNT,
        &money_demand::DEMAND,
        &credential_request::SECRET,
        &credential_request::REQUEST,
        &credential_request::NEGATION,
        &credential_request::ACTION,
        &deadline::DEADLINE,
        &deadline::ANCHORS,
        &messenger_lure::LURE,
        &attachment_lure::MACROS,
    ] {
        LazyLock::force(pattern);
    }
    LazyLock::force(&foreign_script::PHRASE);
    LazyLock::force(&DEFAULT);
    crate::brands::prepare();
}

impl<'a> Context<'a> {
    fn new(email: &'a Email, normalized: Normalized) -> Self {
        let normalizer = &*DEFAULT;
        let subject = normalized
            .subject
            .unwrap_or_else(|| normalizer.normalize(&email.subject));
        let body = normalized
            .body
            .unwrap_or_else(|| normalizer.normalize(&email.body));
        // The default normaliser folds as `brands::fold` does (tested equal on the corpus).
        let name = email.sender_name();
        let claims = [
            name.map(|n| named_in(&fold(n))).unwrap_or_default(),
            named_in(subject.as_str()),
            named_in(body.as_str()),
        ];
        Context {
            email,
            subject,
            body,
            lookalikes: brand_homoglyph::lookalikes(email),
            claims,
            sender_domain: email
                .from
                .as_ref()
                .and_then(|m| m.domain())
                .and_then(|d| registered_domain(&d)),
        }
    }

    /// The original text of a span of the normalised subject or body.
    pub fn quote(&self, field: &Field, span: std::ops::Range<usize>) -> String {
        let (normalized, original) = match field {
            Field::Subject => (&self.subject, &self.email.subject),
            _ => (&self.body, &self.email.body),
        };
        let range = normalized.original_span(span);
        original.get(range).unwrap_or_default().trim().to_string()
    }

    /// The subject and body as decoded, for patterns that must see case and exact
    /// characters (checksums); evidence from them needs no mapping back. An empty text (an
    /// SMS's subject) is left out: no pattern matches nothing, and each search has a cost.
    pub fn raw_texts(&self) -> impl Iterator<Item = (Field, &'a str)> {
        [
            (Field::Subject, self.email.subject.as_str()),
            (Field::Body, self.email.body.as_str()),
        ]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
    }

    /// The normalised subject and body, each with its field; empty ones left out.
    pub fn texts(&self) -> impl Iterator<Item = (Field, &str)> {
        [
            (Field::Subject, self.subject.as_str()),
            (Field::Body, self.body.as_str()),
        ]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
    }
}

/// Finds every signal in a mail, in the order of [`SignalKind::ALL`], within the first
/// [`MAX_BODY_BYTES`](crate::MAX_BODY_BYTES) of its body.
pub fn detect(email: &Email) -> Vec<Signal> {
    detect_with_claims(email, Normalized::default()).signals
}

/// What the detectors found beside the signals, for the features.
pub(crate) struct Findings {
    pub signals: Vec<Signal>,
    /// The brands the mail claims: named in the sender's name, the subject or the body,
    /// and spelled with look-alikes there (in that order; a brand may repeat).
    pub claimed: Vec<&'static Brand>,
    /// The registered domain of the From address, as the sender checks compared with it.
    pub sender_domain: Option<String>,
    /// Whether the subject or body holds a string shaped like a wallet address, valid or
    /// not.
    pub wallet_shaped: bool,
}

/// [`detect`], and the brands the mail claims; `normalized` spares normalising again what
/// the caller has (the subject and body of the bounded mail, by the default normaliser).
pub(crate) fn detect_with_claims(email: &Email, normalized: Normalized) -> Findings {
    let email = &*crate::bounds::bounded(email);
    let ctx = Context::new(email, normalized);
    let claimed = ctx
        .claims
        .iter()
        .flatten()
        .map(|(brand, _)| *brand)
        .chain(
            ctx.lookalikes
                .iter()
                .filter(|(field, _, _)| !matches!(field, Field::Link(_)))
                .map(|(_, _, brand)| *brand),
        )
        .collect();
    let mut signals = Vec::new();
    brand_homoglyph::detect(&ctx, &mut signals);
    sender_domain_mismatch::detect(&ctx, &mut signals);
    link_text_mismatch::detect(&ctx, &mut signals);
    suspicious_url::detect(&ctx, &mut signals);
    deadline::detect(&ctx, &mut signals);
    money_demand::detect(&ctx, &mut signals);
    let wallet_shaped = crypto_address::detect(&ctx, &mut signals);
    credential_request::detect(&ctx, &mut signals);
    foreign_script::detect(&ctx, &mut signals);
    delivery_sms::detect(&ctx, &mut signals);
    phone_sender::detect(&ctx, &mut signals);
    display_name_domain::detect(&ctx, &mut signals);
    messenger_lure::detect(&ctx, &mut signals);
    attachment_lure::detect(&ctx, &mut signals);
    // The same evidence twice (one wallet written twice) is one finding, not two.
    let mut seen = std::collections::HashSet::new();
    signals.retain(|s| seen.insert((s.kind, s.evidence.clone())));
    Findings {
        signals,
        claimed,
        sender_domain: ctx.sender_domain,
        wallet_shaped,
    }
}

/// The sentence around a byte range of a text: from after the previous `。`, `！`, `？` or
/// line break to the next one.
pub(crate) fn sentence_around(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_end = |c: char| matches!(c, '。' | '!' | '?' | '！' | '？' | '\n');
    let start = text[..span.start]
        .char_indices()
        .rev()
        .find(|(_, c)| is_end(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[span.end..]
        .char_indices()
        .find(|(_, c)| is_end(*c))
        .map_or(text.len(), |(i, _)| span.end + i);
    start..end
}

#[cfg(test)]
pub(crate) mod test_support {
    use sagiguard_corpus::{Email, Link, Mailbox};

    /// A mail with the given subject, sender and body, links found in the body.
    pub fn mail(subject: &str, from: &str, body: &str) -> Email {
        Email {
            id: "t".into(),
            subject: subject.into(),
            from: Mailbox::parse(from),
            body: body.into(),
            links: sagiguard_corpus::find_urls(body)
                .into_iter()
                .map(|f| Link {
                    text: None,
                    href: f.url,
                })
                .collect(),
            ..Email::default()
        }
    }

    /// Each signal of `kind` found in `email`.
    pub fn signals_of(email: &Email, kind: super::SignalKind) -> Vec<super::Signal> {
        super::detect(email)
            .into_iter()
            .filter(|s| s.kind == kind)
            .collect()
    }

    /// The evidence of each signal of `kind` found in `email`.
    pub fn found(email: &Email, kind: super::SignalKind) -> Vec<String> {
        signals_of(email, kind)
            .into_iter()
            .map(|s| s.evidence)
            .collect()
    }
}
