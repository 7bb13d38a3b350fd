//! Invented people, companies and places, each with a romanisation for mail addresses.

/// Surnames, with the romanisation used in addresses.
pub(crate) const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("伊藤", "ito"),
    ("渡辺", "watanabe"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
    ("佐々木", "sasaki"),
    ("松本", "matsumoto"),
    ("井上", "inoue"),
    ("木村", "kimura"),
    ("清水", "shimizu"),
    ("山口", "yamaguchi"),
    ("森", "mori"),
    ("池田", "ikeda"),
    ("橋本", "hashimoto"),
    ("石川", "ishikawa"),
    ("前田", "maeda"),
    ("藤田", "fujita"),
    ("岡田", "okada"),
    ("後藤", "goto"),
    ("長谷川", "hasegawa"),
    ("村上", "murakami"),
    ("近藤", "kondo"),
    ("坂本", "sakamoto"),
    ("遠藤", "endo"),
    ("青木", "aoki"),
    ("西村", "nishimura"),
    ("福田", "fukuda"),
    ("太田", "ota"),
    ("三浦", "miura"),
    ("原田", "harada"),
    ("松田", "matsuda"),
    ("中島", "nakajima"),
    ("小川", "ogawa"),
];

/// Given names, with their romanisation.
pub(crate) const GIVEN_NAMES: &[(&str, &str)] = &[
    ("太郎", "taro"),
    ("健太", "kenta"),
    ("大輔", "daisuke"),
    ("翔太", "shota"),
    ("直樹", "naoki"),
    ("拓也", "takuya"),
    ("誠", "makoto"),
    ("浩二", "koji"),
    ("隆", "takashi"),
    ("蓮", "ren"),
    ("悠真", "yuma"),
    ("和也", "kazuya"),
    ("花子", "hanako"),
    ("美咲", "misaki"),
    ("由美", "yumi"),
    ("陽子", "yoko"),
    ("恵", "megumi"),
    ("彩", "aya"),
    ("真由美", "mayumi"),
    ("さくら", "sakura"),
    ("結衣", "yui"),
    ("愛", "ai"),
    ("直美", "naomi"),
    ("香織", "kaori"),
];

/// Names scammers sign foreign "lawyers", "bankers" and "officers" with.
pub(crate) const FOREIGN_NAMES: &[&str] = &[
    "Daniel Whitmore",
    "Grace Holloway",
    "Robert Kessler",
    "Helena Moreau",
    "Victor Adeyemi",
    "Sophia Lindqvist",
    "Martin O'Neill",
    "Amelia Hart",
    "Charles Bennett",
    "Isabella Conti",
];

/// The first half of an invented company name, with its romanisation.
pub(crate) const COMPANY_STEMS: &[(&str, &str)] = &[
    ("ミドリ", "midori"),
    ("アサヒ", "asahi"),
    ("ひかり", "hikari"),
    ("青葉", "aoba"),
    ("東和", "towa"),
    ("北辰", "hokushin"),
    ("丸山", "maruyama"),
    ("大和", "yamato"),
    ("富士見", "fujimi"),
    ("さくら", "sakura"),
    ("瀬戸内", "setouchi"),
    ("みなと", "minato"),
    ("若葉", "wakaba"),
    ("光陽", "koyo"),
    ("協和", "kyowa"),
    ("白山", "hakusan"),
];

/// The second half of an invented company name, with its romanisation.
pub(crate) const COMPANY_KINDS: &[(&str, &str)] = &[
    ("精工", "seiko"),
    ("物産", "bussan"),
    ("システム", "system"),
    ("商事", "shoji"),
    ("建設", "kensetsu"),
    ("印刷", "insatsu"),
    ("ソリューションズ", "solutions"),
    ("工業", "kogyo"),
    ("食品", "foods"),
    ("テクノロジー", "tech"),
    ("ロジスティクス", "logistics"),
    ("設計", "sekkei"),
];

/// Departments a business mail is signed from.
pub(crate) const DEPARTMENTS: &[&str] = &[
    "営業部",
    "総務部",
    "経理部",
    "開発部",
    "購買部",
    "人事部",
    "システム部",
    "営業企画課",
    "カスタマーサクセス部",
];

/// Cities, with the romanisation their office domains use.
pub(crate) const CITIES: &[(&str, &str)] = &[
    ("横浜市", "yokohama"),
    ("さいたま市", "saitama"),
    ("千葉市", "chiba"),
    ("川崎市", "kawasaki"),
    ("相模原市", "sagamihara"),
    ("静岡市", "shizuoka"),
    ("浜松市", "hamamatsu"),
    ("名古屋市", "nagoya"),
    ("京都市", "kyoto"),
    ("堺市", "sakai"),
    ("神戸市", "kobe"),
    ("岡山市", "okayama"),
    ("広島市", "hiroshima"),
    ("福岡市", "fukuoka"),
    ("熊本市", "kumamoto"),
    ("仙台市", "sendai"),
    ("新潟市", "niigata"),
    ("札幌市", "sapporo"),
    ("金沢市", "kanazawa"),
    ("松山市", "matsuyama"),
];

/// Where a "suspicious login" came from.
pub(crate) const LOGIN_PLACES: &[&str] = &[
    "中国・上海",
    "中国・広州",
    "ロシア・モスクワ",
    "ベトナム・ハノイ",
    "アメリカ・ロサンゼルス",
    "ブラジル・サンパウロ",
    "大阪府大阪市",
    "東京都新宿区",
    "福岡県福岡市",
    "不明",
];

/// Devices named in login alerts.
pub(crate) const DEVICES: &[&str] = &[
    "Windows 11 / Chrome",
    "Windows 10 / Edge",
    "macOS / Safari",
    "iPhone / Safari",
    "Android / Chrome",
    "Linux / Firefox",
    "iPad / Safari",
];

/// Free-mail domains, Japanese carriers included.
pub(crate) const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "yahoo.co.jp",
    "outlook.jp",
    "icloud.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "softbank.ne.jp",
    "hotmail.com",
];
