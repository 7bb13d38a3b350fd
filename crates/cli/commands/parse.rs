//! `sagiguard parse`: what the pipeline sees of each mail.

use std::io::{self, Write};

use sagiguard_corpus::{Input, Link, read_inputs};
use sagiguard_features::{Signal, detect};

use crate::output::SignalView;
use serde::Serialize;

use crate::args::{GlobalArgs, ParseArgs};
use crate::exit::ExitStatus;
use crate::input::paths_or_stdin;

/// The stable JSON shape of one mail.
#[derive(Serialize)]
struct MailView<'a> {
    source: &'a str,
    id: &'a str,
    subject: &'a str,
    from: Option<String>,
    /// A From that holds no address: an SMS's sender number or name.
    sender: Option<&'a str>,
    reply_to: Option<String>,
    return_path: Option<&'a str>,
    body: &'a str,
    links: Vec<LinkView<'a>>,
    /// Links written masked beyond a host or as a placeholder (`https://…`, `（リンク）`).
    masked_links: usize,
    attachments: &'a [String],
    html_forms: usize,
    signals: Vec<SignalView>,
}

#[derive(Serialize)]
struct LinkView<'a> {
    text: Option<&'a str>,
    href: &'a str,
}

#[derive(Serialize)]
struct ErrorView<'a> {
    source: &'a str,
    error: String,
}

impl<'a> MailView<'a> {
    fn new(input: &'a Input, signals: &[Signal], lang: sagiguard_features::Lang) -> Self {
        let e = &input.email;
        MailView {
            source: &input.source,
            id: &e.id,
            subject: &e.subject,
            from: e.from.as_ref().map(ToString::to_string),
            sender: e.sender.as_deref(),
            reply_to: e.reply_to.as_ref().map(ToString::to_string),
            return_path: e.return_path.as_deref(),
            body: &e.body,
            links: e.links.iter().map(link_view).collect(),
            masked_links: e.masked_links,
            attachments: &e.attachments,
            html_forms: e.html_forms,
            signals: signals.iter().map(|s| SignalView::new(s, lang)).collect(),
        }
    }
}

fn link_view(link: &Link) -> LinkView<'_> {
    LinkView {
        text: link.text.as_deref(),
        href: &link.href,
    }
}

pub fn run(_global: &GlobalArgs, args: ParseArgs) -> anyhow::Result<ExitStatus> {
    let paths = paths_or_stdin(&args.inputs);
    let mut out = io::stdout().lock();
    let mut failed = 0usize;
    for item in read_inputs(&paths, &args.input.options()) {
        match item {
            Ok(input) => {
                let signals = detect(&input.email);
                let lang = args.lang.into();
                if args.json {
                    serde_json::to_writer(&mut out, &MailView::new(&input, &signals, lang))?;
                    writeln!(out)?;
                } else {
                    write_text(
                        &mut crate::terminal::Escaped::new(&mut out),
                        &input,
                        &signals,
                        lang,
                    )?;
                }
            }
            Err(err) => {
                failed += 1;
                let message = super::error_chain(&err);
                if args.json {
                    let source = super::error_source(&err);
                    serde_json::to_writer(
                        &mut out,
                        &ErrorView {
                            source: &source,
                            error: message.clone(),
                        },
                    )?;
                    writeln!(out)?;
                }
                eprintln!("sagiguard: {}", crate::terminal::one_line(&message));
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!("sagiguard: {failed} input(s) could not be read");
        return Ok(ExitStatus::Error);
    }
    Ok(ExitStatus::Success)
}

fn write_text(
    out: &mut impl Write,
    input: &Input,
    signals: &[Signal],
    lang: sagiguard_features::Lang,
) -> io::Result<()> {
    let e = &input.email;
    let line = crate::terminal::one_line;
    writeln!(out, "== {}", line(&input.source))?;
    writeln!(out, "id:          {}", line(&e.id))?;
    writeln!(out, "subject:     {}", line(&e.subject))?;
    let mailbox =
        |m: &Option<sagiguard_corpus::Mailbox>| m.as_ref().map_or("-".into(), ToString::to_string);
    writeln!(out, "from:        {}", mailbox(&e.from))?;
    if let Some(sender) = &e.sender {
        writeln!(out, "sender:      {}", line(sender))?;
    }
    if e.reply_to.is_some() {
        writeln!(out, "reply-to:    {}", mailbox(&e.reply_to))?;
    }
    if let Some(path) = &e.return_path {
        writeln!(out, "return-path: {path}")?;
    }
    for link in &e.links {
        match &link.text {
            Some(text) => writeln!(out, "link:        {} -> {}", line(text), line(&link.href))?,
            None => writeln!(out, "link:        {}", line(&link.href))?,
        }
    }
    if e.masked_links > 0 {
        writeln!(out, "masked links: {}", e.masked_links)?;
    }
    for name in &e.attachments {
        writeln!(out, "attachment:  {}", line(name))?;
    }
    if e.html_forms > 0 {
        writeln!(out, "html forms:  {}", e.html_forms)?;
    }
    for signal in signals {
        writeln!(
            out,
            "signal:      {} — {}",
            signal.kind,
            signal.message(lang)
        )?;
    }
    writeln!(out, "--")?;
    writeln!(out, "{}", e.body)?;
    writeln!(out)
}
