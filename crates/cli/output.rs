//! The JSON shapes the commands and the server print: an output contract, pinned by the
//! end-to-end tests (key order included).

use sagiguard_corpus::Input;
use sagiguard_features::{AdviceKind, Lang, ReportContact, Signal, advice, report_contacts};
use sagiguard_trainer::{Category, Verdict, VerdictLabel};
use serde::Serialize;

/// The stable JSON shape of a signal, shared by `parse`, `score` and `explain`.
#[derive(Serialize)]
pub(crate) struct SignalView {
    pub(crate) kind: &'static str,
    pub(crate) evidence: String,
    pub(crate) message: String,
}

impl SignalView {
    /// The views of a verdict's signals, in order.
    pub(crate) fn all(signals: &[Signal], lang: Lang) -> Vec<SignalView> {
        signals.iter().map(|s| SignalView::new(s, lang)).collect()
    }

    pub(crate) fn new(signal: &Signal, lang: Lang) -> Self {
        SignalView {
            kind: signal.kind.id(),
            evidence: signal.evidence_noted(),
            message: signal.message(lang),
        }
    }
}

/// The stable JSON shape of one scored mail, shared with `serve`'s `POST /score`.
#[derive(Serialize)]
pub(crate) struct ScoreView<'a> {
    pub(crate) source: &'a str,
    pub(crate) id: &'a str,
    pub(crate) verdict: &'static str,
    pub(crate) scam_probability: f64,
    pub(crate) category: Option<&'a str>,
    pub(crate) insufficient_evidence: bool,
    pub(crate) signals: Vec<SignalView>,
    pub(crate) reasons: Vec<ReasonView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ReasonView<'a> {
    pub(crate) feature: &'a str,
    pub(crate) weight: f64,
}

impl<'a> ScoreView<'a> {
    pub(crate) fn new(source: &'a str, id: &'a str, verdict: &'a Verdict, lang: Lang) -> Self {
        ScoreView {
            source,
            id,
            verdict: verdict.label.as_str(),
            scam_probability: verdict.scam_probability,
            category: verdict.category.as_deref(),
            insufficient_evidence: verdict.insufficient_evidence,
            signals: SignalView::all(&verdict.signals, lang),
            reasons: verdict
                .reasons
                .iter()
                .map(|r| ReasonView {
                    feature: &r.feature,
                    weight: r.weight,
                })
                .collect(),
        }
    }
}

/// The stable JSON shape of an explanation, shared with `serve`'s `POST /explain`.
#[derive(Serialize)]
pub(crate) struct ExplainView<'a> {
    pub(crate) source: &'a str,
    pub(crate) verdict: &'static str,
    pub(crate) scam_probability: f64,
    pub(crate) threshold: f64,
    pub(crate) category: Option<&'a str>,
    pub(crate) insufficient_evidence: bool,
    pub(crate) signals: Vec<SignalView>,
    pub(crate) toward_scam: Vec<(&'a str, f64)>,
    pub(crate) toward_ham: Vec<(&'a str, f64)>,
    pub(crate) advice: AdviceView,
    /// Where to ask or report: the national lines, then the brands the mail claims.
    pub(crate) report: Vec<ReportContact>,
}

#[derive(Serialize)]
pub(crate) struct AdviceView {
    pub(crate) title: &'static str,
    pub(crate) items: Vec<&'static str>,
}

impl<'a> ExplainView<'a> {
    /// The explanation of `verdict` (scored with `Model::explain` and `words * 4`
    /// reasons) for `input`, with `words` features each way.
    pub(crate) fn new(
        input: &'a Input,
        verdict: &'a Verdict,
        threshold: f64,
        words: usize,
        lang: Lang,
    ) -> Self {
        let toward = |scam: bool| -> Vec<(&str, f64)> {
            verdict
                .reasons
                .iter()
                .filter(|r| (r.weight > 0.0) == scam)
                .take(words)
                .map(|r| (r.feature.as_str(), r.weight))
                .collect()
        };
        let advice = advice(advice_kind(verdict, input), lang);
        ExplainView {
            source: &input.source,
            verdict: verdict.label.as_str(),
            scam_probability: verdict.scam_probability,
            threshold,
            category: verdict.category.as_deref(),
            insufficient_evidence: verdict.insufficient_evidence,
            signals: SignalView::all(&verdict.signals, lang),
            toward_scam: toward(true),
            toward_ham: toward(false),
            advice: AdviceView {
                title: advice.title,
                items: advice.items,
            },
            report: report_contacts(lang, &claimed_text(input)),
        }
    }
}

/// What a mail says of who sent it: the subject, the sender's name, the body.
fn claimed_text(input: &Input) -> String {
    let e = &input.email;
    let name = e
        .from
        .as_ref()
        .and_then(|m| m.name.as_deref())
        .unwrap_or("");
    format!("{}\n{name}\n{}", e.subject, e.body)
}

fn advice_kind(verdict: &Verdict, input: &Input) -> AdviceKind {
    if verdict.insufficient_evidence {
        return AdviceKind::Insufficient;
    }
    match verdict.label {
        // "Nothing suspicious was found" would contradict the signals listed above it.
        VerdictLabel::Ham if !verdict.signals.is_empty() => AdviceKind::Unsure,
        VerdictLabel::Ham => AdviceKind::Ham,
        VerdictLabel::Unsure => AdviceKind::Unsure,
        VerdictLabel::Scam => {
            let text = format!("{}\n{}", input.email.subject, input.email.body);
            let fixed = verdict
                .category
                .as_deref()
                .and_then(|c| Category::of(c).advice);
            AdviceKind::of_scam(fixed, &verdict.signals, &text)
        }
    }
}
