//! What generated mail talks about: goods, projects, events, software, jobs and shops.

/// Goods in orders, newsletters and fake invoices.
pub(crate) const PRODUCTS: &[&str] = &[
    "ワイヤレスイヤホン（ノイズキャンセリング対応）",
    "電気圧力鍋 3.0L",
    "モバイルバッテリー 10000mAh",
    "ステンレス製タンブラー 2個セット",
    "北海道産 新じゃがいも 5kg",
    "USB-C 充電ケーブル 1m",
    "羽毛布団 シングルサイズ",
    "ランニングシューズ 26.5cm",
    "ドラム式洗濯機用フィルター",
    "文庫本 3冊セット",
    "ノートパソコン用スタンド",
    "加湿器（超音波式）",
    "コーヒー豆 深煎り 500g",
    "子ども用レインコート 120cm",
    "防災リュック 2人用",
];

/// Business projects colleagues write about.
pub(crate) const PROJECTS: &[&str] = &[
    "基幹システム更改",
    "新商品パンフレット制作",
    "物流センター移転",
    "社内ポータル刷新",
    "春季キャンペーン",
    "工場ライン増設",
    "顧客管理システム導入",
    "決算資料作成",
    "ウェブサイトリニューアル",
];

/// School and neighbourhood events.
pub(crate) const EVENTS: &[&str] = &[
    "運動会",
    "授業参観",
    "保護者会",
    "夏祭り",
    "地域清掃活動",
    "防災訓練",
    "バザー",
    "音楽発表会",
    "遠足",
];

/// Schools and community groups.
pub(crate) const SCHOOLS: &[&str] = &[
    "さくら台小学校",
    "みどり野中学校",
    "若葉幼稚園",
    "東町自治会",
    "青葉台少年野球クラブ",
    "北公民館 写真サークル",
];

/// Open-source projects of mailing lists: name as written and its site's slug.
pub(crate) const SOFTWARE: &[(&str, &str)] = &[
    ("mailsort", "mailsort"),
    ("kotoba-db", "kotoba-db"),
    ("Hanabi", "hanabi"),
    ("tsumiki", "tsumiki"),
    ("sora-proxy", "sora-proxy"),
    ("kumo-cli", "kumo-cli"),
];

/// Positions recruiters and job scams offer.
pub(crate) const POSITIONS: &[&str] = &[
    "バックエンドエンジニア",
    "営業事務",
    "経理スタッフ",
    "データ入力スタッフ",
    "カスタマーサポート",
    "物流管理スタッフ",
    "ウェブデザイナー",
    "プロジェクトマネージャー",
];

/// Invented job sites.
pub(crate) const JOB_SITES: &[(&str, &str)] = &[
    ("キャリアリンク", "careerlink-jp"),
    ("ジョブステージ", "jobstage"),
    ("転職ナビプラス", "tenshoku-navi-plus"),
];

/// Invented shops that send newsletters, with their domain.
pub(crate) const SHOPS: &[(&str, &str)] = &[
    ("グリーンライフ通販", "greenlife-shop.jp"),
    ("暮らしの道具店 こもれび", "komorebi-dougu.jp"),
    ("スポーツデポ・ミライ", "mirai-sports.co.jp"),
    ("北海道うまいもの市場", "hokkaido-umai.shop"),
    ("ブックス青空", "aozora-books.jp"),
    ("ファッションモール ルミエ", "lumie-mall.jp"),
    ("家電のヤマネ", "yamane-denki.co.jp"),
];

/// Hotels of reservations: the first half of the name.
pub(crate) const HOTELS: &[&str] = &[
    "ホテル港の風",
    "湯の里旅館 松風",
    "シティホテル青葉",
    "ビジネスホテル駅前",
    "リゾートイン白浜",
    "温泉宿 こまち",
];

/// Trains of reservations.
pub(crate) const TRAINS: &[&str] = &["のぞみ", "はやぶさ", "ひかり", "こまち", "かがやき"];

/// Gift cards tech-support scams ask for.
pub(crate) const GIFT_CARDS: &[&str] = &[
    "Google Play ギフトカード",
    "Apple ギフトカード",
    "Amazon ギフトカード",
    "iTunes カード",
];

/// Crypto assets investment scams name.
pub(crate) const COINS: &[&str] = &["ビットコイン", "イーサリアム", "USDT", "新規上場コイン"];
