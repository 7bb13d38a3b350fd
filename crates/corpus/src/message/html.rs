//! Rendering an HTML part to the text a reader sees, keeping its links and forms.
//!
//! html5ever's tokenizer is used without a tree builder: rendering needs only the stream of
//! tags and text, and the tree builder's cost grows with the square of the nesting depth,
//! which a hostile mail controls.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::email::Link;
use crate::message::unfold::is_japanese;

/// What an HTML part amounts to.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub text: String,
    pub links: Vec<Link>,
    pub forms: usize,
}

/// Elements whose content is not shown, and how the tokenizer must read that content.
const SKIPPED: &[(&str, RawKind)] = &[
    ("script", RawKind::ScriptData),
    ("style", RawKind::Rawtext),
    ("title", RawKind::Rcdata),
    ("noscript", RawKind::Rawtext),
    ("template", RawKind::Rawtext),
    ("textarea", RawKind::Rcdata),
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "center",
    "dl",
    "dt",
    "dd",
    "hr",
    "address",
    "tbody",
    "thead",
    "tfoot",
    "main",
    "nav",
    "aside",
    "figure",
    "body",
    "html",
];

/// Renders `html`: scripts, styles and titles dropped, entities decoded, blocks and `<br>`
/// as line breaks, table cells apart, image alt text kept, white space folded as a browser
/// would (a source line break between two Japanese characters disappears).
pub(crate) fn render(html: &str) -> Rendered {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut out = tokenizer.sink.0.into_inner();
    // Anchors never closed still count as links.
    while let Some((start, href)) = out.anchors.pop() {
        out.close_anchor(start, href);
    }
    Rendered {
        text: tidy(&out.buf),
        links: out.links,
        forms: out.forms,
    }
}

#[derive(Default)]
struct Sink(RefCell<Renderer>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut out = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(text) if out.skipping.is_none() => out.text(&text, false),
            Token::TagToken(tag) => return out.tag(tag),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Renderer {
    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if let Some(skipped) = &self.skipping {
            if tag.kind == TagKind::EndTag && name == skipped {
                self.skipping = None;
            }
            return TokenSinkResult::Continue;
        }
        let attr = |wanted: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == wanted)
                .map(|a| a.value.to_string())
        };
        match (tag.kind, name) {
            (TagKind::StartTag, _) if !tag.self_closing => {
                if let Some((_, kind)) = SKIPPED.iter().find(|(n, _)| *n == name) {
                    self.skipping = Some(name.to_string());
                    return TokenSinkResult::RawData(*kind);
                }
            }
            _ => {}
        }
        match (tag.kind, name) {
            (TagKind::StartTag, "br") => self.newline(),
            (TagKind::StartTag, "td" | "th") => self.cell(),
            (TagKind::StartTag, "img") => {
                if let Some(alt) = attr("alt").filter(|a| !a.trim().is_empty()) {
                    self.text(&alt, true);
                }
            }
            (TagKind::StartTag, "a") => {
                let start = self.buf.len();
                self.anchors.push((start, attr("href")));
            }
            (TagKind::EndTag, "a") => {
                if let Some((start, href)) = self.anchors.pop() {
                    self.close_anchor(start, href);
                }
            }
            (TagKind::StartTag, "form") => {
                self.forms += 1;
                self.block();
            }
            (TagKind::StartTag, "pre") => {
                self.block();
                self.pre += 1;
            }
            (TagKind::EndTag, "pre") => {
                self.pre = self.pre.saturating_sub(1);
                self.block();
            }
            (_, "form") => self.block(),
            (_, name) if BLOCKS.contains(&name) => self.block(),
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn close_anchor(&mut self, start: usize, href: Option<String>) {
        let Some(href) = href.map(|h| h.trim().to_string()).filter(|h| !h.is_empty()) else {
            return;
        };
        let shown = self.buf.get(start..).unwrap_or_default().trim();
        self.links.push(Link {
            text: (!shown.is_empty()).then(|| shown.to_string()),
            href,
        });
    }
}

#[derive(Default)]
struct Renderer {
    buf: String,
    links: Vec<Link>,
    forms: usize,
    pre: usize,
    /// Open anchors: where their text starts in `buf`, and their target.
    anchors: Vec<(usize, Option<String>)>,
    /// The element whose content is being skipped.
    skipping: Option<String>,
    /// White space seen since the last text, not yet written: (seen, contained a newline).
    pending_space: Option<bool>,
}

impl Renderer {
    fn text(&mut self, text: &str, atomic: bool) {
        if self.pre > 0 {
            self.buf.push_str(text);
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}' {
                let newline = matches!(c, '\n' | '\r');
                self.pending_space = Some(self.pending_space.unwrap_or(false) || newline);
                continue;
            }
            if let Some(newline) = self.pending_space.take() {
                let prev = self.buf.chars().next_back();
                let joins = newline && prev.is_some_and(is_japanese) && is_japanese(c);
                if !joins && prev.is_some_and(|p| p != '\n' && p != ' ' && p != '\t') {
                    self.buf.push(' ');
                }
            }
            self.buf.push(if c == '\u{a0}' { ' ' } else { c });
        }
        if atomic {
            self.pending_space = Some(false);
        }
    }

    fn newline(&mut self) {
        self.pending_space = None;
        trim_end_spaces(&mut self.buf);
        self.buf.push('\n');
    }

    fn block(&mut self) {
        self.pending_space = None;
        trim_end_spaces(&mut self.buf);
        if !self.buf.is_empty() && !self.buf.ends_with('\n') {
            self.buf.push('\n');
        }
    }

    fn cell(&mut self) {
        self.pending_space = None;
        if !self.buf.is_empty() && !self.buf.ends_with(['\n', '\t']) {
            trim_end_spaces(&mut self.buf);
            self.buf.push('\t');
        }
    }
}

fn trim_end_spaces(buf: &mut String) {
    let kept = buf.trim_end_matches([' ', '\t']).len();
    buf.truncate(kept);
}

/// Trims every line and keeps at most one empty line in a row.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut empty_run = 0;
    for line in text.lines().map(|l| l.trim_end_matches([' ', '\t'])) {
        if line.trim().is_empty() {
            empty_run += 1;
            if empty_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            empty_run = 0;
        }
        out.push_str(line.trim_start_matches(' '));
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_scripts_and_styles_and_decodes_entities() {
        let r = render(
            "<html><head><title>件名</title><style>p{color:red}</style></head><body>\
             <script>var x = '隠れた文字';</script>\
             <p>お客様&amp;会員の皆様&nbsp;&lt;重要&gt; &#x30AB;&#x30FC;&#x30C9;</p></body></html>",
        );
        assert_eq!(r.text, "お客様&会員の皆様 <重要> カード");
    }

    #[test]
    fn keeps_the_shown_text_and_the_target_of_each_link() {
        let r = render(
            r#"<p>ログインは<a href="https://amaz0n-co-jp.verify.top/x">https://www.amazon.co.jp/</a>から</p>
               <a href="https://www.rakuten.co.jp/"><img src="logo.png" alt="楽天市場"></a>
               <a name="anchor-without-href">目印</a>"#,
        );
        assert_eq!(
            r.links,
            [
                Link {
                    text: Some("https://www.amazon.co.jp/".into()),
                    href: "https://amaz0n-co-jp.verify.top/x".into()
                },
                Link {
                    text: Some("楽天市場".into()),
                    href: "https://www.rakuten.co.jp/".into()
                },
            ]
        );
        assert!(
            r.text
                .starts_with("ログインはhttps://www.amazon.co.jp/から\n楽天市場"),
            "{:?}",
            r.text
        );
    }

    #[test]
    fn blocks_and_breaks_become_lines_and_japanese_source_wraps_vanish() {
        let r = render(
            "<div>第一行<br>第二\n行です</div><div>English\ntext</div><table><tr><td>品名</td><td>金額</td></tr></table>",
        );
        assert_eq!(r.text, "第一行\n第二行です\nEnglish text\n品名\t金額");
    }

    #[test]
    fn counts_forms() {
        let r = render(r#"<form action="https://x.top/p"><input name="card">カード番号</form>"#);
        assert_eq!(r.forms, 1);
        assert_eq!(r.text, "カード番号");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(200_000) + "深い" + &"</div>".repeat(200_000);
        assert!(render(&html).text.contains("深い"));
    }
}
