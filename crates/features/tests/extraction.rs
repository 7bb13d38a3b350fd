//! Feature names of sample mails (snapshots in `snapshots/`; review changes with
//! `cargo insta review`, or rerun with `INSTA_UPDATE=always` and read the diff), and the
//! settings and vocabulary round trip through serialisation.

mod support;

use sagiguard_corpus::{ParseOptions, parse_message};
use sagiguard_features::{
    CheckedFeatureConfig, FeatureConfig, FeatureExtractor, Vocabulary, extract,
};
use sagiguard_tokenizer::PosClass;

fn sample(name: &str) -> sagiguard_corpus::Email {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/samples")
        .join(name);
    parse_message(&std::fs::read(path).unwrap(), &ParseOptions::default()).unwrap()
}

fn names(name: &str, config: FeatureConfig) -> String {
    let extraction = extract(
        &config.check().unwrap(),
        support::tokenizer(),
        &sample(name),
    );
    extraction
        .features
        .iter()
        .map(|(feature, count)| format!("{feature}\t{count}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn feature_names_of_a_phishing_sample() {
    insta::assert_snapshot!(names(
        "scam-amazon-link-mismatch-html-utf8qp.eml",
        FeatureConfig::default()
    ));
}

#[test]
fn feature_names_of_a_sextortion_sample_with_character_bigrams() {
    let config = FeatureConfig {
        morphemes: false,
        char_ngram: 2,
        ..FeatureConfig::default()
    };
    let names = names("scam-sextortion-iso2022jp.eml", config);
    assert!(names.contains("char:送金"), "{names}");
    assert!(names.contains("signal:crypto_address"), "{names}");
    assert!(!names.contains("body:"), "{names}");
}

/// The names of `email`'s features under the default settings.
fn feature_set(email: &sagiguard_corpus::Email) -> Vec<String> {
    feature_set_with(email, FeatureConfig::default())
}

fn feature_set_with(email: &sagiguard_corpus::Email, config: FeatureConfig) -> Vec<String> {
    let config = config.check().unwrap();
    extract(&config, support::tokenizer(), email)
        .features
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn text_mail(subject: &str, from: &str, body: &str) -> sagiguard_corpus::Email {
    let mut email =
        sagiguard_corpus::parse_text(body.as_bytes(), &ParseOptions::default()).unwrap();
    email.subject = subject.into();
    email.from = sagiguard_corpus::Mailbox::parse(from);
    email
}

/// Issue 13: masked spans are never words, and by default no feature at all (the written
/// corpus masks more of its ham than of its scams, so a mask feature would carry a label);
/// counted, they are one placeholder class.
#[test]
fn masks_and_defanged_links_are_one_placeholder_class() {
    let masked = text_mail(
        "",
        "",
        "XXXX様 カード番号 ****-****-****-1234 のご利用。確認は hxxps://card-check[.]top/a から。〇〇支店",
    );
    let counted = feature_set_with(
        &masked,
        FeatureConfig {
            mask_feature: true,
            ..FeatureConfig::default()
        },
    );
    assert!(counted.iter().any(|n| n == "shape:masked"), "{counted:?}");
    let names = feature_set(&masked);
    assert!(!names.iter().any(|n| n == "shape:masked"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "url_host:card-check.top"),
        "{names:?}"
    );
    for word in [
        "body:xxxx",
        "body:XXXX",
        "body:hxxps",
        "body:〇〇",
        "body:****",
    ] {
        assert!(!names.iter().any(|n| n == word), "{word} in {names:?}");
    }
}

/// Digits masked in twos (`0120-xx-339`, `〒330-08xx`, `126.214.xx.xx`, `ｘｘ`) are masks too:
/// the written genuine notices mask phone numbers and postcodes so far more often than the
/// written scams (42 training ham, 5 scams) that `xx` had become a word for legitimate mail.
/// A short run of x inside a word stays part of it.
#[test]
fn digits_masked_in_twos_are_masks_and_words_keep_their_x() {
    let masked = text_mail(
        "",
        "",
        "お問い合わせ 0120-xx-339（平日）〒330-08xx 接続元 126.214.xx.xx 会員番号 12ＸＸ-5531",
    );
    let config = FeatureConfig {
        mask_feature: true,
        ..FeatureConfig::default()
    }
    .check()
    .unwrap();
    let counted = extract(&config, support::tokenizer(), &masked).features;
    let masks = counted.iter().find(|(name, _)| name == "shape:masked");
    assert_eq!(masks.map(|(_, count)| *count), Some(5), "{counted:?}");
    let names = feature_set(&masked);
    assert!(
        !names.iter().any(|n| n.contains("xx") || n.contains("ｘｘ")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "body:問い合わせ"), "{names:?}");
    let words = feature_set(&text_mail("", "", "Exxon と Maxx、サイズ XXL の在庫"));
    for word in ["body:exxon", "body:maxx", "body:xxl"] {
        assert!(words.iter().any(|n| n == word), "{word} in {words:?}");
    }
}

/// Issue 13: a link a report masked beyond its host, or replaced by a placeholder, was a
/// link in the mail received: it counts as a link, leaves no word behind (`http` weighs
/// toward legitimate, from developers' mail), and says nothing of a host.
#[test]
fn links_masked_beyond_a_host_count_as_links_and_leave_no_words() {
    for body in [
        "お荷物をお届けにあがりましたが不在のため持ち帰りました。http://...",
        "お荷物をお届けにあがりましたが不在のため持ち帰りました。https://xxxxxxxxxxxx",
        "お荷物をお届けにあがりましたが不在のため持ち帰りました。（リンク）",
        "お荷物をお届けにあがりましたが不在のため持ち帰りました。[URL省略]",
    ] {
        let mail = text_mail("", "", body);
        assert_eq!(mail.masked_links, 1, "{body}");
        let names = feature_set(&mail);
        assert!(names.iter().any(|n| n == "links:1"), "{body}: {names:?}");
        assert!(
            !names.iter().any(|n| n.starts_with("url_")
                || [
                    "body:http",
                    "body:https",
                    "body:リンク",
                    "body:URL",
                    "body:url",
                    "body:省略"
                ]
                .contains(&n.as_str())),
            "{body}: {names:?}"
        );
        assert!(names.iter().any(|n| n == "body:不在"), "{body}: {names:?}");
    }
    // Masked and followable links are counted together.
    let both = text_mail(
        "",
        "",
        "こちら（リンク）または https://sagawa-ex.top/r から",
    );
    assert!(feature_set(&both).iter().any(|n| n == "links:2-3"));
    // The word HTTP in a developer's note is a word, and no link.
    let note = text_mail("", "", "HTTP クライアントは同期版で十分です");
    assert_eq!(note.masked_links, 0);
    let names = feature_set(&note);
    assert!(names.iter().any(|n| n == "links:0"), "{names:?}");
}

/// An e-mail address is one name: cut from the text whole, it leaves none of its pieces
/// (`toda`, `co`, `jp`) or its angle brackets as words but one `shape:address`, while a
/// bracket written as a heading stays a word and a URL keeps the `@` of its user part.
#[test]
fn addresses_in_the_body_leave_no_words() {
    let mail = text_mail(
        "",
        "",
        "転送します。\nFrom: 戸田 <toda@sonoda-kiko.co.jp>\n件名: 見積\nご連絡は ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ まで",
    );
    let names = feature_set(&mail);
    for piece in [
        "body:toda",
        "body:sonoda",
        "body:kiko",
        "body:co",
        "body:jp",
        "body:<",
        "body:>",
        "body:@",
        "body:info",
        "body:example",
    ] {
        assert!(!names.iter().any(|n| n == piece), "{piece}: {names:?}");
    }
    assert!(names.iter().any(|n| n == "body:戸田"), "{names:?}");
    assert!(names.iter().any(|n| n == "shape:address"), "{names:?}");
    assert!(names.iter().any(|n| n == "links:0"), "{names:?}");
    let heading = feature_set(&text_mail(
        "",
        "",
        "<本件に関するお問い合わせ>\nサポート窓口",
    ));
    assert!(heading.iter().any(|n| n == "body:<"), "{heading:?}");
    assert!(!heading.iter().any(|n| n == "shape:address"), "{heading:?}");
    // Addresses written together are cut one after the other.
    let together = feature_set(&text_mail(
        "",
        "",
        "宛先 info@ex.jpinfo@ex.jp と x@ex.jpmailto:y@ex.jp",
    ));
    assert!(
        together.iter().any(|n| n == "shape:address"),
        "{together:?}"
    );
    let url = feature_set(&text_mail(
        "",
        "",
        "こちら https://user@example-top.com/login から",
    ));
    assert!(url.iter().any(|n| n == "links:1"), "{url:?}");
    assert!(
        url.iter().any(|n| n == "url_host:example-top.com"),
        "{url:?}"
    );
}

/// Issue 13: an SMS claims a brand and links elsewhere; a genuine notice links home.
#[test]
fn claimed_brands_meet_the_links_and_the_sender() {
    let sms = text_mail(
        "",
        "",
        "【佐川急便】お荷物の配達について確認が必要です sagawa-kx.top/r",
    );
    let names = feature_set(&sms);
    for expected in [
        "brand:claimed",
        "brand:link_offsite",
        "form:no_headers",
        "form:no_subject",
        "form:length_under_100",
        "links:1",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }

    let genuine = text_mail(
        "【佐川急便】お届け予定のお知らせ",
        "佐川急便 <info@ds.sagawa-exp.co.jp>",
        "お荷物のお届け予定です。変更は https://k2k.sagawa-exp.co.jp/p/ から。",
    );
    let names = feature_set(&genuine);
    for expected in ["brand:link_official", "brand:from_official"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n.starts_with("form:no_")),
        "{names:?}"
    );

    let lookalike = text_mail(
        "アカウントの確認",
        "support <info@mail-rental.example>",
        "Αmazonをご利用いただきありがとうございます。",
    );
    let names = feature_set(&lookalike);
    assert!(
        names.iter().any(|n| n == "brand:from_elsewhere"),
        "{names:?}"
    );
}

#[test]
fn numbers_fold_and_units_stay() {
    let config = FeatureConfig {
        ngram: 2,
        ..FeatureConfig::default()
    }
    .check()
    .unwrap();
    let mut email = sample("ham-meeting-eucjp.eml");
    email.body = "48時間以内に入金してください。72時間以内でも可。".into();
    let extraction = extract(&config, support::tokenizer(), &email);
    let bigram = extraction.features.iter().find(|(n, _)| n == "body:#_時間");
    assert_eq!(
        bigram.map(|(_, c)| *c),
        Some(2),
        "{:?}",
        extraction.features
    );
}

#[test]
fn settings_and_vocabulary_round_trip() {
    let mails = support::data("test.jsonl");
    let config = FeatureConfig {
        max_features: 500,
        ..FeatureConfig::default()
    }
    .check()
    .unwrap();
    let extractor = FeatureExtractor::fit(config, support::tokenizer(), &mails[..60]).unwrap();
    assert!(extractor.vocabulary().len() <= 500);
    let json = serde_json::to_string(&extractor).unwrap();
    let back: FeatureExtractor = serde_json::from_str(&json).unwrap();
    assert_eq!(back, extractor);
    let email = &mails[0].email;
    assert_eq!(
        back.transform(support::tokenizer(), email),
        extractor.transform(support::tokenizer(), email)
    );
    let vocab: Vocabulary =
        serde_json::from_str(&serde_json::to_string(extractor.vocabulary()).unwrap()).unwrap();
    assert_eq!(&vocab, extractor.vocabulary());
}

/// Scoring looks feature names up as they are made instead of collecting them first, and
/// remembers per thread the feature each dictionary word gave: the vector must be the one
/// the collected names give, on every mail of the test split, with bigrams (more names than
/// the vocabulary keeps) and character n-grams, under settings that change what a word
/// gives (kept parts of speech, numbers, unknown words as written), with extractors taking
/// turns on one thread (each must recall only its own words), and on a second pass, when
/// the words are remembered.
#[test]
fn scoring_vectors_equal_vectors_of_the_collected_names() {
    let train = support::data("train.jsonl");
    let test = support::data("test.jsonl");
    let extractors: Vec<(CheckedFeatureConfig, FeatureExtractor)> = [
        FeatureConfig::default(),
        FeatureConfig {
            ngram: 2,
            char_ngram: 2,
            max_features: 2_000,
            ..FeatureConfig::default()
        },
        FeatureConfig {
            keep: vec![PosClass::Noun, PosClass::Verb],
            fold_numbers: false,
            raw_unknown: false,
            max_features: 3_000,
            ..FeatureConfig::default()
        },
        FeatureConfig {
            max_features: 300,
            ..FeatureConfig::default()
        },
    ]
    .into_iter()
    .map(|config| {
        let config = config.check().unwrap();
        let extractor =
            FeatureExtractor::fit(config.clone(), support::tokenizer(), &train[..400]).unwrap();
        (config, extractor)
    })
    .collect();
    let expected: Vec<Vec<_>> = extractors
        .iter()
        .map(|(config, extractor)| {
            test.iter()
                .map(|mail| {
                    let extraction = extract(config, support::tokenizer(), &mail.email);
                    (extractor.vectorize(&extraction), extraction.signals)
                })
                .collect()
        })
        .collect();
    for pass in 0..2 {
        for (m, mail) in test.iter().enumerate() {
            // In turns, and in a different order on each pass.
            for e in 0..extractors.len() {
                let e = if pass == 0 {
                    e
                } else {
                    extractors.len() - 1 - e
                };
                let got = extractors[e].1.transform(support::tokenizer(), &mail.email);
                assert_eq!(
                    got, expected[e][m],
                    "pass {pass}, extractor {e}, {}",
                    mail.email.id
                );
            }
        }
    }
    // A clone, and an extractor read back from its file, score alike.
    let (_, first) = &extractors[0];
    let back: FeatureExtractor =
        serde_json::from_str(&serde_json::to_string(first).unwrap()).unwrap();
    for (m, mail) in test.iter().enumerate().take(50) {
        assert_eq!(
            first.clone().transform(support::tokenizer(), &mail.email),
            expected[0][m]
        );
        assert_eq!(
            back.transform(support::tokenizer(), &mail.email),
            expected[0][m]
        );
    }
}

/// A From that holds no address (an SMS's sender) is evidence: its kind of number, or the
/// brand its name claims. Before, it was dropped as if there were no sender. Its name is no
/// words of its own: anyone can send under a brand's name, and as words the corpus's few
/// senders per brand taught the model which brands the authors had scammers use.
#[test]
fn a_sender_without_an_address_is_read() {
    let mut sms = text_mail("", "", "お荷物を持ち帰りました。");
    sms.sender = Some("+81 80-1234-5678".into());
    let names = feature_set(&sms);
    assert!(
        names.iter().any(|n| n == "sender:phone_mobile"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "header:no_from"), "{names:?}");
    assert!(
        !names.iter().any(|n| n.starts_with("from_name:")),
        "{names:?}"
    );

    sms.sender = Some("Amazon".into());
    let names = feature_set(&sms);
    for want in ["sender:name", "brand:claimed"] {
        assert!(names.iter().any(|n| n == want), "{want}: {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.starts_with("from_name:")),
        "{names:?}"
    );

    sms.sender = None;
    let names = feature_set(&sms);
    assert!(!names.iter().any(|n| n.starts_with("sender:")), "{names:?}");
}

/// A display name that shows another domain than the one the mail comes from is a signal,
/// and so a feature the model weighs.
#[test]
fn a_display_name_showing_another_domain_is_a_feature() {
    const FEATURE: &str = "signal:display_name_domain";
    let has = |from: &str| {
        feature_set(&text_mail("お知らせ", from, "メンテナンスのお知らせです。"))
            .iter()
            .any(|n| n == FEATURE)
    };
    assert!(has("\"lists.example.org\" <info@other-host.jp>"));
    assert!(!has("shop.example.com <info@example.com>"));
    // A name without an address is a sender, not a mailbox: nothing to compare it with.
    let mut sms = text_mail("", "", "お荷物を持ち帰りました。");
    sms.sender = Some("example.co.jp".into());
    assert!(!feature_set(&sms).iter().any(|n| n == FEATURE));
}

/// Whether a short notice from `from` has the feature `name`.
fn sender_has(from: &str, name: &str) -> bool {
    feature_set(&text_mail("お知らせ", from, "ご確認ください。"))
        .iter()
        .any(|n| n == name)
}

/// A sender at another country's domain is one feature whatever the country, so that a
/// country no training mail came from still counts; generic country codes (`.io`) and a
/// brand's own domain are no country's.
#[test]
fn a_sender_abroad_is_pooled_by_country() {
    const FEATURE: &str = "from_country:foreign";
    let has = |from: &str| sender_has(from, FEATURE);
    for from in [
        "info@service.example.cn",
        "\"SCAN\" <contact@shop.example.com.br>",
        "desk@example.ru",
    ] {
        assert!(has(from), "{from}");
    }
    for from in [
        "info@example.co.jp",
        "info@example.com",
        "team@example.io",
        "LINE <notice@lin.ee>",
    ] {
        assert!(!has(from), "{from}");
    }
    // A link abroad is not pooled: only the sender.
    let mail = text_mail(
        "お知らせ",
        "info@example.co.jp",
        "https://example.cn/a をご覧ください",
    );
    assert!(!feature_set(&mail).iter().any(|n| n.contains("country")));
}

/// A sender whose domain is named with random letters, as throwaway domains are, is one
/// feature whatever the letters; a word's name, an acronym too short to tell and a brand's
/// own domain (`nttdocomo` reads as random letters) are not.
#[test]
fn a_sender_at_a_made_up_name_is_pooled() {
    const FEATURE: &str = "from_label:random";
    let has = |from: &str| sender_has(from, FEATURE);
    for from in [
        "国税庁 <info-qzkvbt@service.wxpqhn.cn>",
        "Amazon <account@xkbwtdr.com>",
        "support@vnqzkt82.top",
        "notice@pwqhzm.mail-center.com",
    ] {
        assert!(has(from), "{from}");
    }
    for from in [
        "info@kuronekoyamato.co.jp",
        "news@shinkansen-tours.com",
        "team@kddi.com",
        "ドコモ <info@nttdocomo.co.jp>",
        "info@qzvk.cn",
    ] {
        assert!(!has(from), "{from}");
    }
    // Only the sender: a link at such a host is not this feature.
    let mail = text_mail(
        "お知らせ",
        "info@example.co.jp",
        "https://xkbwtdr.com/a をご覧ください",
    );
    assert!(!feature_set(&mail).iter().any(|n| n == FEATURE));
}

/// A personal chat account is a signal, and so a feature the model weighs.
#[test]
fn a_personal_chat_account_is_a_feature() {
    let names = feature_set(&text_mail(
        "在宅ワークのご案内",
        "",
        "詳しくはLINEでお話しします。LINE ID：work_desk01",
    ));
    assert!(
        names.iter().any(|n| n == "signal:messenger_lure"),
        "{names:?}"
    );
}

/// Links found when a mail is read are taken by the extractor instead of searching the
/// body again: the features are those of searching anew, on the whole test split, and a
/// body changed after reading (as `bounded` cuts one) is searched anew, not read by the
/// links of the body it replaced.
#[test]
fn links_found_at_reading_give_the_features_of_searching_anew() {
    let config = FeatureConfig::default().check().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/test.jsonl");
    let schema = sagiguard_corpus::Schema::default();
    let mut with_links = 0;
    for record in sagiguard_corpus::read_dataset(&path, None, &schema).unwrap() {
        let email = record.unwrap().email;
        assert!(
            email.body_links.for_text(&email.body).is_some(),
            "{}",
            email.id
        );
        with_links += usize::from(!email.links.is_empty());
        let fresh = sagiguard_corpus::Email {
            body_links: Default::default(),
            ..email.clone()
        };
        let taken = extract(&config, support::tokenizer(), &email);
        assert_eq!(
            taken,
            extract(&config, support::tokenizer(), &fresh),
            "{}",
            email.id
        );

        // Another body under the same links: its own links are cut, not the old ones.
        let mut changed = email.clone();
        let half: String = email
            .body
            .chars()
            .take(email.body.chars().count() / 2)
            .collect();
        changed.body = format!("{half}\nhttps://changed.example/x");
        let changed_fresh = sagiguard_corpus::Email {
            body_links: Default::default(),
            ..changed.clone()
        };
        assert_eq!(
            extract(&config, support::tokenizer(), &changed),
            extract(&config, support::tokenizer(), &changed_fresh),
            "{}",
            email.id
        );
    }
    assert!(with_links > 100, "{with_links}");
}
