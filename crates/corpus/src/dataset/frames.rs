//! Reading datasets through polars: the lazy scan of each format, and the cells of a batch.

use std::collections::HashSet;
use std::path::Path;

use polars::prelude::*;

use super::{Cells, DatasetFormat, Field, ROW, Schema};

pub(super) fn dedup_exprs(columns: Vec<Expr>) -> Vec<Expr> {
    let mut seen = HashSet::new();
    columns
        .into_iter()
        .filter(|e| seen.insert(format!("{e:?}")))
        .collect()
}

pub(super) fn scan(path: &Path, format: DatasetFormat) -> PolarsResult<LazyFrame> {
    let pl_path = PlRefPath::try_from_path(path)?;
    match format {
        DatasetFormat::Csv => LazyCsvReader::new(pl_path)
            .with_has_header(true)
            // Every column as text: labels like 0/1 and ids stay as written.
            .with_infer_schema_length(Some(0))
            .with_encoding(CsvEncoding::LossyUtf8)
            .finish(),
        DatasetFormat::Jsonl => LazyJsonLineReader::new(pl_path).finish(),
        DatasetFormat::Parquet => LazyFrame::scan_parquet(pl_path, ScanArgsParquet::default()),
    }
}

/// The cells of every row of one batch.
pub(super) fn frame_cells(
    df: &DataFrame,
    schema: &Schema,
    present: &HashSet<String>,
) -> PolarsResult<Vec<(usize, Cells)>> {
    let rows: Vec<usize> = df
        .column(ROW)?
        .idx()?
        .iter()
        .map(|r| r.unwrap_or(0) as usize)
        .collect();
    let text_column = |field: &Field| -> PolarsResult<Option<Vec<Option<String>>>> {
        if !present.contains(&field.name) {
            return Ok(None);
        }
        let column = df.column(&field.name)?;
        if let Ok(list) = column.list() {
            // A list column holds URLs: join them; `to_record` splits them again.
            let joined = list
                .amortized_iter()
                .map(|cell| {
                    cell.and_then(|s| {
                        s.as_ref()
                            .str()
                            .ok()
                            .map(|ca| ca.iter().flatten().collect::<Vec<_>>().join(" "))
                    })
                })
                .collect();
            return Ok(Some(joined));
        }
        Ok(Some(
            column
                .str()?
                .iter()
                .map(|c| c.map(str::to_string))
                .collect(),
        ))
    };
    let mut by_role: Vec<Option<Vec<Option<String>>>> = Vec::new();
    for (field, _) in schema.fields() {
        by_role.push(text_column(field)?);
    }
    let cell = |role: usize, i: usize| by_role[role].as_ref().and_then(|v| v[i].clone());
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, &row)| {
            (
                row,
                Cells {
                    text: cell(0, i),
                    label: cell(1, i),
                    subject: cell(2, i),
                    id: cell(3, i),
                    from: cell(4, i),
                    category: cell(5, i),
                    urls: cell(6, i)
                        .map(|s| s.split_whitespace().map(str::to_string).collect())
                        .unwrap_or_default(),
                    split: cell(7, i),
                },
            )
        })
        .collect())
}
