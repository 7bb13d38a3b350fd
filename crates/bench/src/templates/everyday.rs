//! Everyday legitimate mail: newsletters, office mail, friends, schools, mailing lists,
//! bookings and recruiting.

use super::{Category, Label, Sender, voices};
use crate::brands::BrandGroup;

pub(crate) static NEWSLETTER_SALE: Category = Category {
    name: "newsletter_sale",
    label: Label::Ham,
    voice: &voices::SHOP,
    brands: BrandGroup::None,
    sender: Sender::Shop,
    from_names: &["{shop}", "{shop} メールマガジン", "{shop}（公式）"],
    amounts: (980, 29_800),
    subjects: &[
        "【本日限り】全品{percent}％OFFセール開催中！",
        "＼残りわずか／人気の{product}が再入荷しました",
        "{month}の新商品のご案内｜{shop}",
        "【72時間限定】会員様だけの特別クーポン",
        "ポイント{count}倍デー開催のお知らせ",
        "{surname}様へ、今週のおすすめ",
    ],
    openings: &[
        "本日限りのタイムセールを開催中です！対象商品が最大{percent}％OFFになります。",
        "たくさんのお問い合わせをいただいていた{product}が、ついに再入荷しました。",
        "{month}の新商品が入荷しました。季節にぴったりのアイテムを集めましたので、ぜひご覧ください。",
        "いつもご愛顧いただいている会員の皆様へ、感謝の気持ちを込めて特別クーポンをご用意しました。",
    ],
    details: &[
        "■セール概要\n期間：{date} 10:00 ～ {deadline} 23:59\n対象：店内全品（一部除外品あり）\n割引：最大{percent}％OFF",
        "■おすすめ商品\n{product}\n通常価格 {amount}円 → セール価格はサイトでご確認ください",
        "クーポンコード：{code}\nご注文手続き画面でコードを入力すると、割引が適用されます。",
        "ご好評につき、前回のセールでは開始から数時間で完売した商品もございました。お早めのチェックをおすすめします。",
        "ギフトラッピングを無料で承っております。ご注文時に「ギフト包装を希望する」を選択してください。",
    ],
    actions: &[
        "▼セール会場はこちら\n{url}",
        "詳しくはオンラインストアをご覧ください。\n{url}",
    ],
};

pub(crate) static BUSINESS: Category = Category {
    name: "business",
    label: Label::Ham,
    voice: &voices::OFFICE,
    brands: BrandGroup::None,
    sender: Sender::Company,
    from_names: &["{sender}", "{sender}（{own_company}）", "{sender_surname}"],
    amounts: (50_000, 5_000_000),
    subjects: &[
        "{project}の打ち合わせ日程について",
        "Re: {project}の進捗共有",
        "資料送付のご連絡",
        "【ご相談】納期の調整について",
        "会議室変更のお知らせ（{meeting}）",
        "先日の打ち合わせのお礼",
    ],
    openings: &[
        "{project}の件で、次回の打ち合わせの日程を調整させていただきたくご連絡いたしました。",
        "{project}の進捗について、今週の状況を共有いたします。",
        "先日お話しした資料を添付にてお送りいたします。ご確認のほど、よろしくお願いいたします。",
        "ご依頼いただいている案件について、部品の入荷が遅れており、納期のご相談をさせていただきたくご連絡いたしました。",
        "先日はお忙しいところ、打ち合わせのお時間をいただき、誠にありがとうございました。",
    ],
    details: &[
        "以下の日程でご都合はいかがでしょうか。\n・{meeting} {time}～\n・{deadline} {time}～\nオンラインでも対面でも対応可能です。",
        "■今週の進捗\n・要件定義：完了\n・設計：8割程度完了\n・テスト計画：来週着手予定\n全体としては、当初のスケジュールどおりに進んでおります。",
        "お見積り金額は{amount}円（税別）となります。内訳は添付の資料をご覧ください。",
        "当初{deadline}納品の予定でしたが、1週間ほど後ろ倒しにさせていただけないでしょうか。ご迷惑をおかけし申し訳ございません。",
        "会議室は本社3階の第2会議室に変更となりました。入館の際は受付でお名前をお伝えください。",
        "打ち合わせでいただいたご指摘については、次回までに修正案をまとめてお持ちいたします。",
    ],
    actions: &[
        "ご都合のよい日時をお知らせいただけますと幸いです。",
        "ご確認のうえ、ご意見をいただけますと助かります。",
        "お手数ですが、{deadline}までにご返信いただけますでしょうか。",
    ],
};

pub(crate) static PERSONAL: Category = Category {
    name: "personal",
    label: Label::Ham,
    voice: &voices::FRIENDS,
    brands: BrandGroup::None,
    sender: Sender::FreeMail,
    from_names: &["{sender}", "{sender_surname}", "{sender_surname}（旧姓）"],
    amounts: (1_000, 30_000),
    subjects: &[
        "久しぶり！",
        "この前の写真送るね",
        "週末の予定について",
        "同窓会のお知らせ",
        "お礼",
        "Re: 来月の旅行",
    ],
    openings: &[
        "この前は久しぶりに会えて本当に楽しかった！あっという間に時間が過ぎちゃったね。",
        "来月の旅行の件、宿の候補をいくつか探してみたよ。",
        "高校の同窓会を{meeting}に開くことになりました。久しぶりにみんなで集まりましょう！",
        "先日は素敵なお祝いをありがとう。家族みんなで大切に使わせてもらっています。",
    ],
    details: &[
        "会費は一人{amount}円くらいになりそう。場所は駅前の居酒屋を予約するつもりです。",
        "候補は{hotel}か、駅から少し離れた温泉宿のどちらかかな。どっちも朝ごはんがおいしいらしいよ。",
        "当日は{time}に駅の改札前で待ち合わせでどうかな？遅れそうなら連絡してね。",
        "出欠は{deadline}までに教えてもらえると助かります。",
        "子どもの運動会、ビデオ撮ったから今度見せるね。転んだけど最後まで走りきってえらかった。",
        "宿の予約は私のほうでしておくね。キャンセル料がかかるのは3日前からだから、予定が変わったら早めに教えて。",
        "駐車場は近くのコインパーキングを使うことになりそう。車で来るなら、少し早めに出たほうがいいかも。",
        "みんなの近況も聞きたいし、当日は写真をたくさん撮ろうね。幹事は{sender_surname}と{surname}さんでやることになりました。",
    ],
    actions: &[
        "都合のいい日を教えてね。",
        "また連絡します！",
        "返事待ってるね。",
    ],
};

pub(crate) static SCHOOL_COMMUNITY: Category = Category {
    name: "school_community",
    label: Label::Ham,
    voice: &voices::COMMUNITY,
    brands: BrandGroup::None,
    sender: Sender::FreeMail,
    from_names: &["{school}", "{school} {sender}", "{sender}"],
    amounts: (300, 5_000),
    subjects: &[
        "{event}のお知らせ",
        "【{school}】{event}のお手伝いのお願い",
        "{month}の活動予定",
        "集金のお願い",
        "【再送】{event}の持ち物について",
    ],
    openings: &[
        "{meeting}に{event}を行います。ご家族の皆様もぜひご参加ください。",
        "{event}の準備にあたり、当日お手伝いいただける方を募集しています。",
        "{month}の活動予定をお知らせします。",
        "今年度の活動費として、お一人{amount}円の集金をお願いいたします。",
    ],
    details: &[
        "■日時：{meeting} {time}～\n■場所：{school} 体育館\n■持ち物：上履き、水筒、タオル",
        "お手伝いの内容は、受付、会場の設営と片付け、駐輪場の整理です。",
        "集金袋はお子さんを通じてお配りしています。{deadline}までにご提出ください。",
        "昨年度は多くの方にご協力いただき、無事に終えることができました。今年もよろしくお願いいたします。",
        "当日は気温が上がる予報です。帽子と飲み物をお忘れなくお持ちください。",
        "■今月の予定\n・第1土曜日 {time}～ 地域清掃活動\n・第3水曜日 19:00～ 役員会（公民館）\n・最終日曜日 {event}の準備",
        "お子さんの体調がすぐれない場合は、無理をせずお休みください。",
        "集金の領収書は、後日お子さんを通じてお渡しします。",
    ],
    actions: &[
        "参加の可否を、このメールへの返信でお知らせください。",
        "ご質問は役員までお気軽にどうぞ。",
    ],
};

pub(crate) static MAILING_LIST: Category = Category {
    name: "mailing_list",
    label: Label::Ham,
    voice: &voices::LIST,
    brands: BrandGroup::None,
    sender: Sender::MailingList,
    from_names: &[
        "{sender} via {software}-users",
        "{software} Announce",
        "{sender}",
    ],
    amounts: (0, 0),
    subjects: &[
        "[{software}-users] {software} {version} をリリースしました",
        "[{software}-users] Re: 設定ファイルの読み込みでエラーが出ます",
        "[{software}-announce] セキュリティ修正のお知らせ（{version}）",
        "[{software}-users] 次回勉強会の日程",
        "[{software}-users] ドキュメント翻訳の進め方について",
    ],
    openings: &[
        "{software} {version} をリリースしました。今回のリリースでは、性能の改善と不具合の修正を行っています。",
        "ご報告ありがとうございます。手元の環境でも同じエラーを再現できました。",
        "{version} より前のバージョンに、細工された入力でメモリを過剰に消費する問題が見つかりました。利用者の皆さんは更新をお願いします。",
        "次回の勉強会について、候補日を挙げますのでご都合をお聞かせください。",
    ],
    details: &[
        "■主な変更点\n・大きなファイルの読み込みを約{count}割高速化\n・日本語のエラーメッセージを改善\n・古い設定項目に非推奨の警告を追加\n・依存ライブラリを更新",
        "原因は、設定ファイルの文字コードがUTF-8以外（Shift_JIS）になっていることでした。UTF-8で保存し直せば読み込めるはずです。",
        "影響を受けるのは、外部からの入力をそのまま解析に渡している構成です。回避策として、入力サイズの上限を設定してください。",
        "変更履歴の全文は、リリースノートをご覧ください。\n{url}",
        "パッケージは各ディストリビューションにも順次反映される予定です。",
        "手元で試した限りでは、次の設定で回避できました。\n[parser]\nencoding = \"utf-8\"\nstrict = false",
        "> 設定ファイルの読み込みでエラーが出ます\n> バージョンは{version}です\nエラーメッセージの全文を貼っていただけますか。",
    ],
    actions: &[
        "問題があれば、このリストか課題管理システムで報告してください。",
        "ご意見があれば、このスレッドに返信をお願いします。",
    ],
};

pub(crate) static TRAVEL_RESERVATION: Category = Category {
    name: "travel_reservation",
    label: Label::Ham,
    voice: &voices::BOOKING,
    brands: BrandGroup::Travel,
    sender: Sender::Official,
    from_names: &["{brand}", "{brand} 予約確認", "{brand}予約センター"],
    amounts: (8_800, 186_000),
    subjects: &[
        "【{brand}】ご予約確認（予約番号 {ref}）",
        "ご予約内容変更のお知らせ",
        "ご宿泊日が近づいてまいりました",
        "【{brand}】ご予約のキャンセルを承りました",
        "搭乗案内：{flight}便",
    ],
    openings: &[
        "以下の内容でご予約を承りました。",
        "ご予約内容の変更を承りました。変更後の内容をご確認ください。",
        "ご宿泊日が近づいてまいりましたので、ご予約内容をお知らせいたします。",
        "ご予約のキャンセルを承りました。またのご利用をお待ちしております。",
    ],
    details: &[
        "■ご予約内容\n予約番号：{ref}\n宿泊施設：{hotel}\nチェックイン：{meeting}\n泊数：{nights}泊\n人数：大人{guests}名\nお支払い金額：{amount}円（現地払い）",
        "■ご乗車内容\n列車：{train}\n乗車日：{meeting}\n座席：指定席 {count}号車\n料金：{amount}円",
        "■フライト情報\n便名：{flight}\n出発：{meeting} {time}\n座席：{count}A",
        "キャンセル料は発生いたしません。ご返金がある場合は、ご利用のクレジットカードに返金いたします。",
        "周辺の観光情報は、宿泊施設のページでご覧いただけます。",
        "■プラン内容\n朝食付き（和洋バイキング）\n禁煙ルーム\n駐車場：1泊 {count}00円（先着順）",
        "お客様の会員ランクに応じて、今回のご予約で{points}ポイントが付与される予定です。",
    ],
    actions: &[
        "ご予約の詳細はこちら：\n{url}",
        "ご予約内容の確認・変更は、マイページから行えます。",
    ],
};

pub(crate) static RECRUITING: Category = Category {
    name: "recruiting",
    label: Label::Ham,
    voice: &voices::OFFICE,
    brands: BrandGroup::None,
    sender: Sender::Company,
    from_names: &[
        "{own_company} 採用担当",
        "{sender}（{own_company} 人事部）",
        "{job_site} スカウト",
    ],
    amounts: (4_000_000, 9_000_000),
    subjects: &[
        "【{own_company}】面接日程のご案内",
        "{position}のポジションについてのご相談",
        "書類選考結果のご連絡",
        "【{job_site}】企業からスカウトが届いています",
        "カジュアル面談のお礼",
    ],
    openings: &[
        "このたびは弊社の{position}職にご応募いただき、誠にありがとうございます。書類選考の結果、ぜひ面接にお越しいただきたく、ご連絡いたしました。",
        "{job_site}でご経歴を拝見し、弊社の{position}のポジションにぴったりだと感じ、ご連絡いたしました。",
        "先日はカジュアル面談にご参加いただき、ありがとうございました。",
    ],
    details: &[
        "■面接日程の候補\n・{meeting} {time}～\n・{deadline} {time}～\n所要時間は1時間程度を予定しております。",
        "■募集概要\n職種：{position}\n勤務地：本社（リモート勤務併用可）\n想定年収：{amount}円～\n選考フロー：書類選考、面接2回",
        "面接はオンラインで実施いたします。前日までに接続先のURLをお送りいたします。",
        "ご質問があれば、面接の場でも事前のメールでも、お気軽にお尋ねください。",
        "弊社は創業{count}0年の会社で、現在はクラウドサービスの開発に力を入れております。エンジニアの約半数が中途入社です。",
        "面接当日は、ポートフォリオやこれまでに携わった成果物などがあれば、ぜひご持参ください。",
    ],
    actions: &[
        "ご都合のよい日時を、{deadline}までにご返信いただけますと幸いです。",
        "ご興味をお持ちいただけましたら、このメールにご返信ください。",
    ],
};
