//! Rank correlations between uncertain parameters: `[[correlations]]` pairs and an optional
//! `[correlation_matrix]`.
//!
//! ```toml
//! [[correlations]]
//! parameters = ["fte_cost", "licence_list_price"]
//! spearman = 0.5
//!
//! [correlation_matrix]
//! parameters = ["a", "b", "c"]
//! spearman = [[1, 0.3, 0.2], [0.3, 1, 0.5], [0.2, 0.5, 1]]
//! ```
//! Both merge into one target matrix over the parameters they name. A matrix that is not
//! positive definite is repaired to the nearest valid one, and the repair is reported as a
//! warning — never hidden.

use std::ops::Range;

use samkost_core::model::Correlation;
use samkost_core::sampling::{CorrelationMatrix, RankCorrelation};
use toml::de::DeValue;

use super::diagnostic::Diagnostic;
use super::tree::{Ctx, Node, Table, array_of_tables, as_f64, as_str};
use super::values::Parameters;

/// One entry of the target matrix and where it was written.
struct Entry {
    a: usize,
    b: usize,
    rho: f64,
    span: Range<usize>,
}

/// Reads the correlations; returns the model's correlation and any repair warning.
pub fn read_correlations(
    ctx: &mut Ctx<'_>,
    pairs: Option<&Node<'_>>,
    matrix: Option<&Node<'_>>,
    params: &Parameters,
) -> (Option<Correlation>, Vec<Diagnostic>) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut order: Vec<usize> = Vec::new();
    let mut first_span = 0..0;
    if let Some(node) = pairs {
        first_span = node.span();
        read_pairs(ctx, node, params, &mut entries, &mut order);
    }
    if let Some(node) = matrix {
        if pairs.is_none() {
            first_span = node.span();
        }
        read_matrix(ctx, node, params, &mut entries, &mut order);
    }
    if order.is_empty() {
        return (None, Vec::new());
    }
    let k = order.len();
    let mut values = vec![0.0; k * k];
    let mut written: Vec<Option<f64>> = vec![None; k * k];
    for i in 0..k {
        values[i * k + i] = 1.0;
    }
    for e in &entries {
        let (i, j) = (
            order.iter().position(|&p| p == e.a).unwrap_or(0),
            order.iter().position(|&p| p == e.b).unwrap_or(0),
        );
        if let Some(previous) = written[i * k + j]
            && (previous - e.rho).abs() > 1e-12
        {
            ctx.error_help(
                e.span.clone(),
                format!(
                    "the correlation of `{}` and `{}` is given twice ({previous} and {})",
                    params.list[e.a].name, params.list[e.b].name, e.rho
                ),
                "give each pair once",
            );
            continue;
        }
        written[i * k + j] = Some(e.rho);
        written[j * k + i] = Some(e.rho);
        values[i * k + j] = e.rho;
        values[j * k + i] = e.rho;
    }
    let target = match CorrelationMatrix::new(k, values) {
        Ok(m) => m,
        Err(e) => {
            ctx.error(first_span, format!("invalid correlation matrix: {e}"));
            return (None, Vec::new());
        }
    };
    let rank = RankCorrelation::new(target.clone());
    let mut warnings = Vec::new();
    if let Some(repair) = rank.repair() {
        let mut changes = Vec::new();
        for i in 0..k {
            for j in i + 1..k {
                let (before, after) = (repair.original.get(i, j), repair.repaired.get(i, j));
                if (before - after).abs() > 5e-4 {
                    changes.push(format!(
                        "{}–{} {before:.3} → {after:.3}",
                        params.list[order[i]].name, params.list[order[j]].name
                    ));
                }
            }
        }
        warnings.push(Diagnostic::at(
            ctx.file,
            ctx.src,
            first_span,
            format!(
                "the rank correlations are not a valid correlation matrix (not positive definite); the nearest valid matrix is used instead (largest change {:.3}): {}",
                repair.max_abs_change,
                changes.join(", ")
            ),
        ));
    }
    (
        Some(Correlation {
            parameters: order,
            target,
        }),
        warnings,
    )
}

/// An uncertain named parameter by name, added to `order`.
fn parameter(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    params: &Parameters,
    order: &mut Vec<usize>,
) -> Option<usize> {
    let name = as_str(ctx, node, "a correlated parameter")?;
    let idx = match params.lookup(&name) {
        Ok(idx) => idx,
        Err(help) => {
            ctx.error_help(
                node.span(),
                format!("unknown parameter `{name}` in a correlation"),
                help.unwrap_or_default(),
            );
            return None;
        }
    };
    if params.list[idx].distribution.is_fixed() {
        ctx.error_help(
            node.span(),
            format!("parameter `{name}` is fixed and cannot be correlated"),
            "give it a distribution, or remove it from the correlation",
        );
        return None;
    }
    if !order.contains(&idx) {
        order.push(idx);
    }
    Some(idx)
}

fn coefficient(ctx: &mut Ctx<'_>, node: &Node<'_>) -> Option<f64> {
    let rho = as_f64(ctx, node, "a rank correlation")?;
    if !(-1.0..=1.0).contains(&rho) {
        ctx.error_help(
            node.span(),
            format!("a rank correlation must lie between −1 and 1, got {rho}"),
            "Spearman's ρ is a fraction, e.g. 0.5",
        );
        return None;
    }
    Some(rho)
}

fn read_pairs(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    params: &Parameters,
    entries: &mut Vec<Entry>,
    order: &mut Vec<usize>,
) {
    let Some(items) = array_of_tables(
        ctx,
        node,
        "correlations",
        "write each pair as a [[correlations]] table with `parameters` and `spearman`",
        None,
    ) else {
        return;
    };
    for item in items {
        let Some(table) = Table::from_node(ctx, item, "a correlation") else {
            continue;
        };
        table.check_keys(ctx, &["parameters", "spearman", "note", "source"]);
        let names = table.require(ctx, "parameters", "[\"a\", \"b\"]");
        let rho = table
            .require(ctx, "spearman", "0.5")
            .and_then(|n| coefficient(ctx, n));
        let Some(names) = names else { continue };
        let DeValue::Array(pair) = names.get_ref() else {
            ctx.error(
                names.span(),
                "`parameters` of a correlation must be an array of two parameter names",
            );
            continue;
        };
        if pair.len() != 2 {
            ctx.error_help(
                names.span(),
                format!("a correlation names two parameters, found {}", pair.len()),
                "use [[correlation_matrix]] for more",
            );
            continue;
        }
        let a = parameter(ctx, &pair[0], params, order);
        let b = parameter(ctx, &pair[1], params, order);
        if let (Some(a), Some(b), Some(rho)) = (a, b, rho) {
            if a == b {
                ctx.error(names.span(), "a parameter cannot be correlated with itself");
                continue;
            }
            entries.push(Entry {
                a,
                b,
                rho,
                span: item.span(),
            });
        }
    }
}

fn read_matrix(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    params: &Parameters,
    entries: &mut Vec<Entry>,
    order: &mut Vec<usize>,
) {
    let Some(table) = Table::from_node(ctx, node, "[correlation_matrix]") else {
        return;
    };
    table.check_keys(ctx, &["parameters", "spearman", "note", "source"]);
    let (Some(names), Some(rows)) = (
        table.require(ctx, "parameters", "[\"a\", \"b\", \"c\"]"),
        table.require(ctx, "spearman", "[[1, 0.3], [0.3, 1]]"),
    ) else {
        return;
    };
    let DeValue::Array(names_arr) = names.get_ref() else {
        ctx.error(
            names.span(),
            "`parameters` of [correlation_matrix] must be an array of parameter names",
        );
        return;
    };
    let idx: Vec<Option<usize>> = names_arr
        .iter()
        .map(|n| parameter(ctx, n, params, order))
        .collect();
    let DeValue::Array(rows_arr) = rows.get_ref() else {
        ctx.error(
            rows.span(),
            "`spearman` of [correlation_matrix] must be an array of rows",
        );
        return;
    };
    let k = names_arr.len();
    if rows_arr.len() != k {
        ctx.error_help(
            rows.span(),
            format!("the matrix has {} rows for {k} parameters", rows_arr.len()),
            "give one row per parameter",
        );
        return;
    }
    let mut m = vec![vec![f64::NAN; k]; k];
    for (r, row) in rows_arr.iter().enumerate() {
        let DeValue::Array(cells) = row.get_ref() else {
            ctx.error(
                row.span(),
                "each row of the matrix must be an array of numbers",
            );
            return;
        };
        if cells.len() != k {
            ctx.error_help(
                row.span(),
                format!(
                    "row {} has {} entries for {k} parameters",
                    r + 1,
                    cells.len()
                ),
                "the matrix must be square",
            );
            return;
        }
        for (c, cell) in cells.iter().enumerate() {
            if let Some(v) = coefficient(ctx, cell) {
                m[r][c] = v;
            }
            if r == c && m[r][c] != 1.0 && !m[r][c].is_nan() {
                ctx.error_help(
                    cell.span(),
                    format!(
                        "the diagonal of a correlation matrix must be 1, found {}",
                        m[r][c]
                    ),
                    "each parameter is perfectly correlated with itself",
                );
            }
        }
    }
    for r in 0..k {
        for c in r + 1..k {
            if !m[r][c].is_nan() && !m[c][r].is_nan() && (m[r][c] - m[c][r]).abs() > 1e-12 {
                ctx.error_help(rows.span(), format!("the matrix is not symmetric: row {}, column {} is {} but row {}, column {} is {}", r + 1, c + 1, m[r][c], c + 1, r + 1, m[c][r]), "a correlation matrix is symmetric");
                return;
            }
            if let (Some(a), Some(b)) = (idx[r], idx[c])
                && !m[r][c].is_nan()
            {
                entries.push(Entry {
                    a,
                    b,
                    rho: m[r][c],
                    span: rows.span(),
                });
            }
        }
    }
}
