//! `sagiguard explain`: why the model says what it says about one mail, and what to do.

use std::io::{self, Write};

use anyhow::bail;
use sagiguard_corpus::read_inputs;
use sagiguard_features::Lang;
use sagiguard_trainer::VerdictLabel;

use crate::args::{ExplainArgs, GlobalArgs};
use crate::exit::ExitStatus;
use crate::output::ExplainView;
use crate::terminal::display_width;

pub fn run(global: &GlobalArgs, args: ExplainArgs) -> anyhow::Result<ExitStatus> {
    let (model, tokenizer) = super::load_model(global, &args.model)?;
    let mut inputs = read_inputs(std::slice::from_ref(&args.file), &args.input.options());
    let input = match inputs.next() {
        Some(item) => item.map_err(|e| anyhow::anyhow!(super::error_chain(&e)))?,
        None => bail!("{}: no mail to explain", args.file.display()),
    };
    if inputs.next().is_some() {
        bail!(
            "{}: holds more than one mail; `sagiguard score` scores many, `explain` takes one",
            args.file.display()
        );
    }
    let verdict = model.explain(&tokenizer, &input.email, args.words * 4);
    let lang: Lang = args.lang.into();
    let view = ExplainView::new(&input, &verdict, model.threshold(), args.words, lang);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &view)?;
        writeln!(out)?;
    } else {
        write_text(&mut crate::terminal::Escaped::new(&mut out), &view, lang)?;
    }
    out.flush()?;
    Ok(match verdict.label {
        VerdictLabel::Scam => ExitStatus::Scam,
        VerdictLabel::Unsure => ExitStatus::Unsure,
        VerdictLabel::Ham => ExitStatus::Success,
    })
}

fn write_text(out: &mut impl Write, view: &ExplainView<'_>, lang: Lang) -> io::Result<()> {
    let ja = lang == Lang::Ja;
    // A legitimate verdict with signals found must not read as "no sign of a scam".
    let signed = !view.signals.is_empty();
    let verdict = match (view.verdict, ja) {
        ("scam", true) => "詐欺の可能性が高いメールです",
        ("unsure", true) => "判断が難しいメールです（注意してください）",
        (_, true) if signed => "詐欺とまでは判定されませんでしたが、気になる手がかりがあります",
        (_, true) => "詐欺の特徴は見つかりませんでした",
        ("scam", false) => "This mail is very likely a scam",
        ("unsure", false) => "This mail is hard to judge: be careful",
        (_, false) if signed => "Not judged a scam, but it shows signs worth a second look",
        (_, false) => "No sign of a scam was found",
    };
    writeln!(
        out,
        "{}: {}",
        crate::terminal::one_line(view.source),
        verdict
    )?;
    if ja {
        writeln!(
            out,
            "詐欺の確率: {:.1}%（判定の基準: {:.1}%）",
            view.scam_probability * 100.0,
            view.threshold * 100.0
        )?;
    } else {
        writeln!(
            out,
            "scam probability: {:.1}% (flagged from {:.1}%)",
            view.scam_probability * 100.0,
            view.threshold * 100.0
        )?;
    }
    if view.insufficient_evidence {
        writeln!(
            out,
            "{}",
            if ja {
                "※ 本文が短すぎて十分に判断できません"
            } else {
                "note: too little text to judge"
            }
        )?;
    }
    if !view.signals.is_empty() {
        writeln!(
            out,
            "\n{}",
            if ja {
                "見つかった手がかり:"
            } else {
                "Signals found:"
            }
        )?;
        for s in &view.signals {
            writeln!(out, "  ・{}", crate::terminal::one_line(&s.message))?;
        }
    }
    for (title, words) in [
        (
            if ja {
                "詐欺の方向に働いた特徴:"
            } else {
                "Toward scam:"
            },
            &view.toward_scam,
        ),
        (
            if ja {
                "正当なメールの方向に働いた特徴:"
            } else {
                "Toward legitimate:"
            },
            &view.toward_ham,
        ),
    ] {
        if words.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}")?;
        for (feature, weight) in words.iter() {
            let pad = " ".repeat(34usize.saturating_sub(display_width(feature)));
            writeln!(out, "  {feature}{pad} {weight:+.2}")?;
        }
    }
    writeln!(out, "\n{}", view.advice.title)?;
    for item in &view.advice.items {
        writeln!(out, "  ・{item}")?;
    }
    if view.verdict != "ham" {
        writeln!(
            out,
            "\n{}",
            if ja {
                "相談・報告先:"
            } else {
                "Where to ask or report:"
            }
        )?;
        for r in &view.report {
            writeln!(out, "  ・{}: {}", r.name, r.contact)?;
        }
    }
    Ok(())
}
