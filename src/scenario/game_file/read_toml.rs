//! Reading a TOML game file through `toml`'s spanned tree into the raw form.

use toml::de::DeValue;

use super::{
    COMPLETIONS, Located, RawCost, RawGame, RawValues, TOP_KEYS, player_names_not_strings,
    report_bad_value, report_more_bad_values,
};
use crate::scenario::tree::{Ctx, Table, as_f64, number, parse_document, type_name};

/// Reads the file; `None` after a syntax error (reported in `ctx`).
pub(super) fn read(ctx: &mut Ctx<'_>) -> Option<RawGame> {
    let src = ctx.src;
    let root = parse_document(ctx, src)?;
    let root = Table {
        table: root.get_ref(),
        span: 0..0,
        what: "the game file".to_owned(),
    };
    root.check_keys(ctx, TOP_KEYS);
    let players = read_players(ctx, &root);
    Some(RawGame {
        title: root
            .opt_str(ctx, "title")
            .map(|(value, span)| Located { value, span }),
        units: root
            .opt_str(ctx, "units")
            .map(|(value, span)| Located { value, span }),
        complete_error: root
            .opt_choice(ctx, "complete", COMPLETIONS)
            .filter(|(value, _)| value == "error")
            .map(|(_, span)| span),
        players_rejected: root.get("players").is_some() && players.is_none(),
        players,
        costs: read_costs(ctx, &root),
        values: read_values(ctx, &root),
    })
}

fn read_players(ctx: &mut Ctx<'_>, root: &Table<'_, '_>) -> Option<Located<Vec<Located<String>>>> {
    let node = root.get("players")?;
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!(
                "`players` must be an array of names, found {}",
                type_name(node.get_ref())
            ),
            "write `players = [\"A\", \"H\", \"K\"]`",
        );
        return None;
    };
    let mut names = Vec::with_capacity(items.len());
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(value) => names.push(Located {
                value: value.to_string(),
                span: item.span(),
            }),
            other => {
                // One report for the array: its other entries are most likely the same.
                player_names_not_strings(ctx, item.span(), type_name(other));
                break;
            }
        }
    }
    (names.len() == items.len()).then(|| Located {
        value: names,
        span: node.span(),
    })
}

fn read_costs(ctx: &mut Ctx<'_>, root: &Table<'_, '_>) -> Option<Located<Vec<RawCost>>> {
    let node = root.get("costs")?;
    let table = Table::from_node(ctx, node, "`costs`")?;
    let costs = table
        .table
        .iter()
        .map(|(key, value)| {
            let name = key.get_ref().as_ref().to_owned();
            let cost = as_f64(ctx, value, &format!("the cost of `{name}`"));
            RawCost {
                key: Located {
                    value: name,
                    span: key.span(),
                },
                cost,
            }
        })
        .collect();
    Some(Located {
        value: costs,
        span: table.span,
    })
}

fn read_values(ctx: &mut Ctx<'_>, root: &Table<'_, '_>) -> Option<Located<RawValues>> {
    let (key, node) = root
        .table
        .iter()
        .find(|(key, _)| key.get_ref().as_ref() == "values")?;
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!(
                "`values` must be an array of numbers, found {}",
                type_name(node.get_ref())
            ),
            "write `values = [25, 30, 40]`: the cost of every coalition in bitmask order",
        );
        let value = RawValues {
            len: None,
            costs: None,
        };
        return Some(Located {
            value,
            span: key.span(),
        });
    };
    let mut costs = Vec::with_capacity(items.len());
    let mut n_bad = 0;
    let mut last_bad = 0..0;
    for (idx, item) in items.iter().enumerate() {
        match number(item) {
            Some(v) if v.is_finite() => costs.push(v),
            _ => {
                if report_bad_value(&mut n_bad) {
                    // `as_f64` fails on the same entry and records why.
                    as_f64(ctx, item, &format!("`values[{idx}]`"));
                }
                last_bad = item.span();
            }
        }
    }
    report_more_bad_values(ctx, last_bad, n_bad, ["entry", "entries"]);
    Some(Located {
        value: RawValues {
            len: Some(items.len()),
            costs: (n_bad == 0).then_some(costs),
        },
        span: key.span(),
    })
}
