//! `sagiguard tokenize`: what the model sees of a text.

use std::io::{self, Read, Write};

use anyhow::Context;
use sagiguard_tokenizer::{Token, Tokenizer};
use serde::Serialize;

use crate::args::{GlobalArgs, TokenizeArgs};
use crate::exit::ExitStatus;

/// The stable JSON shape of the output.
#[derive(Serialize)]
struct Output<'a> {
    tokens: Vec<TokenView<'a>>,
}

/// The stable JSON shape of one token.
#[derive(Serialize)]
struct TokenView<'a> {
    surface: &'a str,
    base_form: &'a str,
    /// IPADIC notation, e.g. `名詞,固有名詞,組織`.
    pos: String,
    class: sagiguard_tokenizer::PosClass,
    /// Byte offsets into the input text.
    start: usize,
    end: usize,
    known: bool,
}

impl<'a> From<&'a Token> for TokenView<'a> {
    fn from(t: &'a Token) -> Self {
        TokenView {
            surface: &t.surface,
            base_form: &t.base_form,
            pos: t.pos.to_string(),
            class: t.pos.class,
            start: t.span.start,
            end: t.span.end,
            known: t.known,
        }
    }
}

pub fn run(global: &GlobalArgs, args: TokenizeArgs) -> anyhow::Result<ExitStatus> {
    let text = match args.text.as_deref() {
        Some(text) if text != "-" => text.to_string(),
        _ => {
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input as UTF-8 text")?;
            text
        }
    };
    let tokenizer = Tokenizer::new(super::load_dictionary(global, false)?);
    let tokens = tokenizer.tokenize(&text);

    let mut out = io::stdout().lock();
    if args.json {
        let output = Output {
            tokens: tokens.iter().map(TokenView::from).collect(),
        };
        serde_json::to_writer(&mut out, &output)?;
        writeln!(out)?;
    } else {
        for t in &tokens {
            writeln!(
                out,
                "{}\t{}\t{}\t{}..{}",
                t.surface, t.base_form, t.pos, t.span.start, t.span.end
            )?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
