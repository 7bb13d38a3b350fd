//! One row's cells checked and turned into a [`Record`].

use std::collections::HashSet;
use std::path::Path;

use super::{Cells, Field, Record, Schema};
use crate::email::{Email, Link, Mailbox};
use crate::error::{Error, Result, RowProblem};
use crate::url::{ScannedLinks, find_links, find_urls};

/// Checks and converts one row; `None` for a row another split owns.
pub(super) fn to_record(
    path: &Path,
    schema: &Schema,
    row: usize,
    cells: Cells,
) -> Option<Result<Record>> {
    let size: usize = [
        &cells.text,
        &cells.subject,
        &cells.label,
        &cells.id,
        &cells.from,
        &cells.category,
    ]
    .iter()
    .map(|c| c.as_ref().map_or(0, String::len))
    .sum();
    if size as u64 > schema.max_row_bytes {
        return Some(Err(Error::Row {
            path: path.to_path_buf(),
            row,
            column: schema.text.name.clone(),
            problem: Box::new(RowProblem::TooLarge {
                size: size as u64,
                limit: schema.max_row_bytes,
            }),
        }));
    }
    if let Some(only) = &schema.only_split
        && cells.split.as_deref().map(str::trim) != Some(only.as_str())
    {
        return None;
    }
    let fail = |field: &Field, problem| {
        Some(Err(Error::Row {
            path: path.to_path_buf(),
            row,
            column: field.name.clone(),
            problem: Box::new(problem),
        }))
    };
    let roles = [
        (&schema.text, &cells.text),
        (&schema.subject, &cells.subject),
        (&schema.label, &cells.label),
        (&schema.id, &cells.id),
        (&schema.from, &cells.from),
        (&schema.category, &cells.category),
    ];
    for (field, value) in roles {
        if schema.lossy && value.as_deref().is_some_and(|v| v.contains('\u{FFFD}')) {
            return fail(field, RowProblem::InvalidUtf8);
        }
    }
    let label = match cells.label.as_deref().map(str::trim) {
        None | Some("") if schema.label.required => {
            return fail(&schema.label, RowProblem::MissingLabel);
        }
        None | Some("") => None,
        Some(value) => match schema.labels.label(value) {
            Some(label) => Some(label),
            None => {
                return fail(
                    &schema.label,
                    RowProblem::UnknownLabel {
                        found: value.to_string(),
                        scam: schema.labels.scam.clone(),
                        ham: schema.labels.ham.clone(),
                    },
                );
            }
        },
    };
    let subject = cells.subject.unwrap_or_default().trim().to_string();
    let mut body = cells.text.unwrap_or_default();
    // Most bodies have no carriage return: kept as they are instead of copied by `replace`.
    if body.contains('\r') {
        body = body.replace("\r\n", "\n");
    }
    if subject.is_empty() && body.trim().is_empty() {
        return fail(&schema.text, RowProblem::EmptyText);
    }
    // A listed URL is written as the body writes it (`sagawa-kx.top/r`, `hxxps://…`): it is
    // normalised as the body's links are, so the two meet as one link, as in raw mail. A set
    // keeps the de-duplication linear in the number of links.
    let listed = cells.urls.into_iter().map(|url| {
        find_urls(&url)
            .into_iter()
            .next()
            .filter(|f| f.span == (0..url.len()))
            .map_or(url, |f| f.url)
    });
    let mut seen = HashSet::new();
    let written = find_links(&body);
    let masked_links = written.masked.len();
    let links: Vec<Link> = listed
        .chain(written.urls.iter().map(|f| f.url.clone()))
        .filter(|href| seen.insert(href.clone()))
        .map(|href| Link { text: None, href })
        .collect();
    let body_links = ScannedLinks::new(&body, written);
    let id = cells
        .id
        .filter(|id| !id.trim().is_empty())
        .unwrap_or_else(|| {
            let stem = path
                .file_stem()
                .map_or("row".into(), |s| s.to_string_lossy());
            format!("{stem}:{row}")
        });
    Some(Ok(Record {
        row,
        email: Email {
            id,
            subject,
            from: cells.from.as_deref().and_then(Mailbox::parse),
            sender: cells
                .from
                .as_deref()
                .and_then(Mailbox::sender_without_address),
            body,
            links,
            masked_links,
            body_links,
            ..Email::default()
        },
        label,
        category: cells.category.filter(|c| !c.trim().is_empty()),
    }))
}
