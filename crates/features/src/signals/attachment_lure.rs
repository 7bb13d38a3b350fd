//! `attachment_lure`
//!
//! **What it detects.** A file that runs code or hides it, attached or named in the text
//! (a shortcut `.lnk`, a OneNote `.one`, a disk image `.iso`/`.img`/`.vhd`, a program or
//! script `.exe`/`.scr`/`.vbs`/`.hta`/`.ps1`…, or a document's name with one of those after it,
//! `請求書.pdf.exe`), or a request to switch on what an Office document's macros need
//! (「編集を有効にする」, 「コンテンツの有効化」, 「マクロを有効に」, "Enable Content").
//!
//! **Why it points to a scam.** Malware spread in Japan by mail (Emotet, and the lures after
//! it) arrives as an invoice, a delivery slip, a quote or a health check result that only
//! opens by running something or by enabling macros; JPCERT/CC's warnings show these very
//! files and prompts. Business mail sends documents, not programs, and a genuine sender has
//! no reason to ask for macros to be enabled.
//!
//! **Example.** 「請求書を添付いたします。ファイルを開いて「コンテンツの有効化」を押してください。
//! 添付：請求書_0917.pdf.lnk」
//!
//! **Known false positives.** An IT department sending an installer or a script, a
//! colleague's spreadsheet that needs its macros, and a security warning that quotes a
//! lure's file name.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use regex::Regex;

use super::{Context, Field, Signal, SignalKind};

/// Types that run code, or carry files that do, when opened.
const RUNS: &[&str] = &[
    "lnk", "one", "iso", "img", "vhd", "vhdx", "exe", "scr", "pif", "vbs", "vbe", "wsf", "wsh",
    "hta", "bat", "cmd", "ps1", "msi", "jar", "chm", "xll", "cpl", "js", "jse",
];

/// The prompts Office shows before it runs a document's macros.
pub(super) static MACROS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:編集|コンテンツ|マクロ)\s*(?:を|の)\s*有効(?:に|化)",
        r"|enable\s+(?:editing|content|macros?)\b",
    ))
    .expect("the macro pattern is valid")
});

pub(super) fn detect(ctx: &Context<'_>, out: &mut Vec<Signal>) {
    for name in &ctx.email.attachments {
        if runs(name) {
            out.push(Signal {
                kind: SignalKind::AttachmentLure,
                evidence: name.clone(),
                field: Field::Attachment,
                note: None,
            });
            return;
        }
    }
    for (field, text) in ctx.texts() {
        if let Some(span) = named_file(ctx, text).or_else(|| macro_prompt(text)) {
            out.push(Signal {
                kind: SignalKind::AttachmentLure,
                evidence: ctx.quote(&field, span),
                field,
                note: None,
            });
            return;
        }
    }
}

/// Whether an attachment's name ends in a type of [`RUNS`].
fn runs(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| RUNS.iter().any(|run| ext.eq_ignore_ascii_case(run)))
}

/// A file of a running type named in `text` (normalised, so lowercase), not part of a link,
/// an address or a longer dotted name. Found from each `.` rather than by a pattern that
/// starts at every letter, which cost a seventh of the instructions of scoring a notice.
fn named_file(ctx: &Context<'_>, text: &str) -> Option<std::ops::Range<usize>> {
    memchr::memchr_iter(b'.', text.as_bytes()).find_map(|dot| {
        let rest = &text[dot + 1..];
        let ext = RUNS.iter().find(|ext| {
            rest.starts_with(**ext)
                && !rest[ext.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })?;
        let end = dot + 1 + ext.len();
        let start = name_start(&text[..dot])?;
        // `.js` alone names programming libraries (`node.js`): only after a document's type.
        if ext.starts_with("js") && !DOCUMENTS.iter().any(|doc| text[start..dot].ends_with(doc)) {
            return None;
        }
        let glued = |c: Option<char>| matches!(c, Some('/' | '@' | '.' | '-' | '_'));
        let name = &text[start..end];
        let part_of_link = ctx
            .email
            .links
            .iter()
            .any(|link| link.href.to_lowercase().contains(name));
        (!glued(text[..start].chars().next_back())
            && !glued(text[end..].chars().next())
            && !part_of_link)
            .then_some(start..end)
    })
}

/// Where the file name that `before` ends with starts: letters of any script, digits, the
/// joiners file names carry, brackets that close inside the name (`請求書（大橋電設）`), and
/// one dot, for a document's type before the running one.
fn name_start(before: &str) -> Option<usize> {
    let (mut start, mut open, mut dots) = (None, 0usize, 0);
    for (at, c) in before.char_indices().rev() {
        match c {
            ')' | '）' | ']' => open += 1,
            '(' | '（' | '[' if open > 0 => open -= 1,
            '.' if dots == 0 => dots += 1,
            c if c.is_alphanumeric() || c == '_' || c == '-' => {}
            _ => break,
        }
        start = Some(at);
    }
    // A dot or a bracket cannot begin the name.
    let start = start?;
    let first = before[start..].chars().next()?;
    (first.is_alphanumeric() || first == '_').then_some(start)
}

/// Document types a running one hides behind (`請求書.pdf.js`).
const DOCUMENTS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".jpg", ".jpeg", ".png",
    ".csv", ".zip",
];

/// Every prompt holds one of these: a text without either is passed over after two
/// vectorised scans, not run through the pattern.
static ENABLE: LazyLock<[Finder<'static>; 2]> =
    LazyLock::new(|| [Finder::new("有効"), Finder::new("enable")]);

fn macro_prompt(text: &str) -> Option<std::ops::Range<usize>> {
    if !ENABLE
        .iter()
        .any(|word| word.find(text.as_bytes()).is_some())
    {
        return None;
    }
    MACROS.find(text).map(|found| found.range())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{found, mail, signals_of};
    use super::super::{Field, SignalKind};

    #[test]
    fn running_files_and_macro_prompts_are_found() {
        let cases = [
            (
                "",
                "添付：請求書_0917.pdf.lnk（2 KB）",
                "請求書_0917.pdf.lnk",
            ),
            (
                "",
                "添付ファイル： 健康診断結果_個人票.one",
                "健康診断結果_個人票.one",
            ),
            (
                "送り状控_482209117463.pdf.scr",
                "",
                "送り状控_482209117463.pdf.scr",
            ),
            (
                "",
                "INVOICE-88320.PDF.JS をご確認ください",
                "INVOICE-88320.PDF.JS",
            ),
            (
                "",
                "不在票_512833907716.iso を開いてください",
                "不在票_512833907716.iso",
            ),
            ("", "添付：請求書（大橋電設）.one", "請求書（大橋電設）.one"),
            (
                "",
                "文書を確認する（SignFlow_Viewer_Setup.exe）",
                "SignFlow_Viewer_Setup.exe",
            ),
            (
                "",
                "上部の黄色いバーの「コンテンツの有効化」を押してください",
                "コンテンツの有効化",
            ),
            ("", "「編集を有効にする」をクリック", "編集を有効に"),
            ("", "Please click Enable Content to view.", "Enable Content"),
        ];
        for (subject, body, evidence) in cases {
            assert_eq!(
                found(&mail(subject, "a@b.jp", body), SignalKind::AttachmentLure),
                vec![evidence.to_string()],
                "{subject}{body}"
            );
        }
    }

    #[test]
    fn documents_links_and_libraries_are_not() {
        for body in [
            "請求書_0917.pdf を添付いたします。パスワードは別途お送りします。",
            "見積書.xlsx と 仕様書.docx を添付します。",
            "Node.js と Vue.js の勉強会を開きます。",
            "詳しくは https://example.one/guide.html をご覧ください。",
            "https://dl.example.com/setup.exe からダウンロード",
            "お問い合わせは info@shop.one まで",
            "機能を有効にするには設定を開いてください。二段階認証を有効化しました。",
        ] {
            assert!(
                found(
                    &mail("お知らせ", "a@b.jp", body),
                    SignalKind::AttachmentLure
                )
                .is_empty(),
                "{body}"
            );
        }
    }

    #[test]
    fn an_attachment_that_runs_is_found_by_its_name() {
        let mut email = mail("請求書", "a@b.jp", "ご確認ください。");
        email.attachments = vec!["請求書.pdf".into(), "請求書_控え.PDF.LNK".into()];
        let signals = signals_of(&email, SignalKind::AttachmentLure);
        assert_eq!(signals.len(), 1);
        assert_eq!(signals[0].evidence, "請求書_控え.PDF.LNK");
        assert_eq!(signals[0].field, Field::Attachment);
        email.attachments = vec!["見積書.xlsx".into(), "photo.jpg".into()];
        assert!(found(&email, SignalKind::AttachmentLure).is_empty());
    }
}
