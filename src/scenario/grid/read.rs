//! Reading a grid file: every problem at once, each at file:line:column, with the closest
//! valid name; names checked against the base scenario.

use std::collections::BTreeMap;
use std::ops::Range;

use samkost_core::allocation::KeyRule;
use toml::de::DeValue;

use super::super::diagnostic::closest;
use super::super::tree::{Ctx, Node, Table, as_f64, as_str, parse_document, type_name};
use super::super::{Diagnostics, Scenario, kommuner};
use super::{Axis, AxisKind, Grid, GridMode, MAX_POINTS, MemberSet, VALUE_COLUMNS};

const TOP_KEYS: &[&str] = &["mode", "draws", "seed", "axes", "note"];
const AXIS_KEYS: &[&str] = &[
    "parameter",
    "values",
    "key",
    "fixed_part",
    "members",
    "labels",
    "name",
    "note",
];

/// Reads and validates a grid file against the base scenario.
pub fn parse(file: &str, src: &str, base: &Scenario) -> Result<Grid, Diagnostics> {
    let mut ctx = Ctx::new(file, src);
    let Some(root) = parse_document(&mut ctx, src) else {
        return Err(finish(ctx));
    };
    let root = Table {
        table: root.get_ref(),
        span: 0..0,
        what: "the grid".to_owned(),
    };
    root.check_keys(&mut ctx, TOP_KEYS);
    let grid = read_grid(&mut ctx, &root, base);
    match grid {
        Some(g) if ctx.errors.is_empty() => Ok(g),
        _ => Err(finish(ctx)),
    }
}

fn finish(ctx: Ctx<'_>) -> Diagnostics {
    Diagnostics(ctx.into_diagnostics())
}

fn read_grid(ctx: &mut Ctx<'_>, root: &Table<'_, '_>, base: &Scenario) -> Option<Grid> {
    let mode = match root.opt_choice(ctx, "mode", &["grid", "list"]) {
        Some((m, _)) if m == "list" => Some(GridMode::List),
        Some(_) => Some(GridMode::Grid),
        None if root.get("mode").is_some() => None,
        None => Some(GridMode::Grid),
    };
    let n_draws = opt_bounded(ctx, root, "draws", 1, 1_000_000_000);
    let seed = opt_bounded(ctx, root, "seed", 0, i64::MAX);
    let axes = read_axes(ctx, root, base);
    let (mode, axes) = (mode?, axes?);
    let grid = Grid {
        mode,
        n_draws: n_draws?,
        seed: seed?,
        axes: axes.iter().map(|(a, _)| a.clone()).collect(),
    };
    check_shape(ctx, &grid, &axes)?;
    Some(grid)
}

fn opt_bounded(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    key: &str,
    min: i64,
    max: i64,
) -> Option<Option<u64>> {
    match root.opt_i64(ctx, key) {
        Some((v, span)) if v < min || v > max => {
            ctx.error_help(
                span,
                format!("`{key}` must be between {min} and {max}, got {v}"),
                "leave it out to use the scenario's",
            );
            None
        }
        Some((v, _)) => Some(Some(v as u64)),
        None if root.get(key).is_some() => None,
        None => Some(None),
    }
}

/// Checks lengths (list mode), the number of points and distinct column names.
fn check_shape(ctx: &mut Ctx<'_>, grid: &Grid, axes: &[(Axis, Range<usize>)]) -> Option<()> {
    let mut ok = true;
    if grid.mode == GridMode::List
        && let Some((first, _)) = axes.first()
    {
        for (axis, span) in &axes[1..] {
            if axis.len() != first.len() {
                ctx.error_help(
                    span.clone(),
                    format!(
                        "in list mode every axis needs {} values (as many as `{}`), `{}` has {}",
                        first.len(),
                        first.column,
                        axis.column,
                        axis.len()
                    ),
                    "give every axis the same number of values, or use `mode = \"grid\"` for all combinations",
                );
                ok = false;
            }
        }
    }
    let n_points = axes
        .iter()
        .try_fold(1u64, |acc, (a, _)| acc.checked_mul(a.len() as u64));
    if grid.mode == GridMode::Grid && n_points.is_none_or(|n| n > MAX_POINTS) {
        ctx.error_help(
            0..0,
            format!("the grid has more than {MAX_POINTS} points"),
            "use fewer values per axis, or `mode = \"list\"`",
        );
        ok = false;
    }
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for (axis, span) in axes {
        if axis.column == "point" || VALUE_COLUMNS.contains(&axis.column.as_str()) {
            ctx.error_help(
                span.clone(),
                format!("the column name `{}` is taken by the output", axis.column),
                "give the axis another column with `name = \"…\"`",
            );
            ok = false;
        } else if seen.insert(&axis.column, ()).is_some() {
            ctx.error_help(
                span.clone(),
                format!("two axes vary `{}`", axis.column),
                "vary each parameter, key and the member set on one axis only (give several values instead)",
            );
            ok = false;
        }
    }
    ok.then_some(())
}

fn read_axes(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    base: &Scenario,
) -> Option<Vec<(Axis, Range<usize>)>> {
    let Some(node) = root.get("axes") else {
        ctx.error_help(
            0..0,
            "the grid has no axes",
            "add `[[axes]]` tables, e.g. `parameter = \"scope_growth\"` with `values = [0.0, 0.1, 0.2]`",
        );
        return None;
    };
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!(
                "`axes` must be an array of tables, found {}",
                type_name(node.get_ref())
            ),
            "write each axis as an `[[axes]]` table",
        );
        return None;
    };
    if items.is_empty() {
        ctx.error(node.span(), "`axes` is empty");
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match read_axis(ctx, item, i + 1, base) {
            Some(axis) => out.push((axis, item.span())),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn read_axis(ctx: &mut Ctx<'_>, node: &Node<'_>, number: usize, base: &Scenario) -> Option<Axis> {
    let table = Table::from_node(ctx, node, format!("axis {number}"))?;
    table.check_keys(ctx, AXIS_KEYS);
    let kinds: Vec<&str> = ["parameter", "key", "members"]
        .into_iter()
        .filter(|k| table.get(k).is_some())
        .collect();
    if kinds.len() != 1 {
        ctx.error_help(
            table.span.clone(),
            format!(
                "axis {number} must vary exactly one thing, found {}",
                if kinds.is_empty() {
                    "none".to_owned()
                } else {
                    kinds.join(" and ")
                }
            ),
            "give `parameter` with `values`, `key` with `fixed_part`, or `members`",
        );
        return None;
    }
    let name = table.opt_str(ctx, "name").map(|(n, _)| n);
    let kind = match kinds[0] {
        "parameter" => read_parameter_axis(ctx, &table, base),
        "key" => read_key_axis(ctx, &table, base),
        _ => read_members_axis(ctx, &table, base),
    };
    for (present, key, belongs) in [
        ("parameter", "values", "parameter"),
        ("key", "fixed_part", "key"),
        ("members", "labels", "members"),
    ] {
        if kinds[0] != belongs
            && let Some(extra) = table.get(key)
        {
            ctx.error_help(
                extra.span(),
                format!(
                    "`{key}` belongs to a `{present}` axis, this axis varies `{}`",
                    kinds[0]
                ),
                format!("remove `{key}`"),
            );
        }
    }
    let kind = kind?;
    let column = name.unwrap_or_else(|| match &kind {
        AxisKind::Parameter { name, .. } => format!("parameter:{name}"),
        AxisKind::FixedPart { key, .. } => format!("key:{key}:fixed_part"),
        AxisKind::Members { .. } => "members".to_owned(),
    });
    Some(Axis { column, kind })
}

fn read_parameter_axis(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    base: &Scenario,
) -> Option<AxisKind> {
    let (name, span) = table.opt_str(ctx, "parameter")?;
    let known = base.model.parameters.iter().any(|p| p.name == name);
    if !known {
        let names = base.model.parameters.iter().map(|p| p.name.as_str());
        let help = match closest(&name, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "the scenario's parameters: {}",
                base.model
                    .parameters
                    .iter()
                    .map(|p| format!("`{}`", p.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        ctx.error_help(span, format!("unknown parameter `{name}`"), help);
    }
    let values = read_numbers(ctx, table, "values", "[0.0, 0.1, 0.2]", None);
    known.then_some(())?;
    Some(AxisKind::Parameter {
        name,
        values: values?,
    })
}

fn read_key_axis(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, base: &Scenario) -> Option<AxisKind> {
    let (name, span) = table.opt_str(ctx, "key")?;
    let key = base.keys.iter().find(|k| k.name == name);
    match key {
        None => {
            let help = match closest(&name, base.keys.iter().map(|k| k.name.as_str())) {
                Some(best) => format!("did you mean \"{best}\"?"),
                None => format!(
                    "the scenario's keys: {}",
                    base.keys
                        .iter()
                        .map(|k| format!("\"{}\"", k.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            ctx.error_help(span.clone(), format!("unknown key \"{name}\""), help);
        }
        Some(k)
            if ![&k.running, &k.startup]
                .iter()
                .any(|r| matches!(r, KeyRule::Hybrid { .. })) =>
        {
            ctx.error_help(
                span.clone(),
                format!("key \"{name}\" is not a hybrid key, it has no fixed part"),
                "a `fixed_part` axis needs a key with `rule = \"hybrid\"`",
            );
        }
        Some(_) => {}
    }
    let values = read_numbers(
        ctx,
        table,
        "fixed_part",
        "[0.1, 0.3, 0.5]",
        Some((0.0, 1.0)),
    );
    let key = key.filter(|k| {
        [&k.running, &k.startup]
            .iter()
            .any(|r| matches!(r, KeyRule::Hybrid { .. }))
    })?;
    Some(AxisKind::FixedPart {
        key: key.name.clone(),
        values: values?,
    })
}

/// A non-empty array of finite numbers, optionally within `range`.
fn read_numbers(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    key: &str,
    example: &str,
    range: Option<(f64, f64)>,
) -> Option<Vec<f64>> {
    let node = table.require(ctx, key, example)?;
    let items = non_empty_array(ctx, node, key, example)?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items {
        match as_f64(ctx, item, &format!("a value of `{key}`")) {
            Some(v) if range.is_some_and(|(lo, hi)| !(lo..=hi).contains(&v)) => {
                let (lo, hi) = range.unwrap_or_default();
                ctx.error_help(
                    item.span(),
                    format!("`{key}` must lie between {lo} and {hi}, got {v}"),
                    "30 % equal and 70 % by the driver is 0.3",
                );
                ok = false;
            }
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn non_empty_array<'a, 'i>(
    ctx: &mut Ctx<'_>,
    node: &'a Node<'i>,
    key: &str,
    example: &str,
) -> Option<&'a [Node<'i>]> {
    match node.get_ref() {
        DeValue::Array(items) if items.is_empty() => {
            ctx.error_help(
                node.span(),
                format!("`{key}` is empty"),
                format!("give at least one value, e.g. `{key} = {example}`"),
            );
            None
        }
        DeValue::Array(items) => Some(items),
        other => {
            ctx.error_help(
                node.span(),
                format!("`{key}` must be an array, found {}", type_name(other)),
                format!("e.g. `{key} = {example}`"),
            );
            None
        }
    }
}

const MEMBERS_EXAMPLE: &str = "[[\"1517\", \"1515\"], { county = \"15\" }]";

fn read_members_axis(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    base: &Scenario,
) -> Option<AxisKind> {
    let node = table.get("members")?;
    // `members = { county = "46" }` is one member set; otherwise an array of sets.
    let set_nodes: Vec<&Node<'_>> = match node.get_ref() {
        DeValue::Table(_) => vec![node],
        _ => non_empty_array(ctx, node, "members", MEMBERS_EXAMPLE)?
            .iter()
            .collect(),
    };
    let labels = read_labels(ctx, table, set_nodes.len());
    let mut sets = Vec::new();
    let mut ok = true;
    for (i, set_node) in set_nodes.iter().enumerate() {
        match read_member_set(ctx, set_node, base) {
            Some(mut set) => {
                if let Some(Some(label)) = labels.as_ref().map(|l| l.get(i).cloned()) {
                    set.label = label;
                }
                if sets.iter().any(|s: &MemberSet| s.label == set.label) {
                    ctx.error_help(
                        set_node.span(),
                        format!("two member sets are labelled `{}`", set.label),
                        "give each set its own label with `labels = [\"…\", …]`",
                    );
                    ok = false;
                }
                sets.push(set);
            }
            None => ok = false,
        }
    }
    labels?;
    ok.then_some(AxisKind::Members { sets })
}

fn read_labels(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, n_sets: usize) -> Option<Vec<String>> {
    let Some(node) = table.get("labels") else {
        return Some(Vec::new());
    };
    let items = non_empty_array(ctx, node, "labels", "[\"pair\", \"county\"]")?;
    if items.len() != n_sets {
        ctx.error_help(
            node.span(),
            format!(
                "`labels` has {} entries for {n_sets} member sets",
                items.len()
            ),
            "give one label per member set, in order",
        );
        return None;
    }
    items
        .iter()
        .map(|n| as_str(ctx, n, "a label"))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn read_member_set(ctx: &mut Ctx<'_>, node: &Node<'_>, base: &Scenario) -> Option<MemberSet> {
    let set = match node.get_ref() {
        DeValue::Table(_) => county_set(ctx, node)?,
        DeValue::Array(items) => {
            let mut ids = Vec::new();
            let mut ok = true;
            for item in items {
                let Some(raw) = as_str(ctx, item, "a kommunenummer") else {
                    ok = false;
                    continue;
                };
                let id = format!("{:0>4}", raw.trim());
                let in_scenario = base.model.members.iter().any(|m| m.id == id);
                if !in_scenario && kommuner::by_id(&id).is_none() {
                    ctx.error_help(
                        item.span(),
                        format!("unknown kommunenummer `{raw}`"),
                        kommuner::hint_for_unknown(&raw),
                    );
                    ok = false;
                } else if ids.contains(&id) {
                    ctx.error(
                        item.span(),
                        format!("member {id} is listed twice in this set"),
                    );
                    ok = false;
                } else {
                    ids.push(id);
                }
            }
            if !ok {
                return None;
            }
            let names: Vec<String> = ids.iter().map(|id| member_name(base, id)).collect();
            MemberSet {
                label: names.join("+"),
                ids,
            }
        }
        other => {
            ctx.error_help(
                node.span(),
                format!(
                    "a member set must be an array of kommunenummer or a table, found {}",
                    type_name(other)
                ),
                format!("e.g. `members = {MEMBERS_EXAMPLE}`"),
            );
            return None;
        }
    };
    if set.ids.len() < 2 {
        ctx.error_help(
            node.span(),
            format!(
                "the member set `{}` has {} member; a cooperation needs at least two",
                set.label,
                set.ids.len()
            ),
            "add members",
        );
        return None;
    }
    Some(set)
}

fn member_name(base: &Scenario, id: &str) -> String {
    base.model
        .members
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.name.clone())
        .or_else(|| kommuner::by_id(id).map(|k| k.name.clone()))
        .unwrap_or_else(|| id.to_owned())
}

/// `{ county = "15" }` or `{ county = "Møre og Romsdal" }`: every municipality of the county.
fn county_set(ctx: &mut Ctx<'_>, node: &Node<'_>) -> Option<MemberSet> {
    let table = Table::from_node(ctx, node, "a member set")?;
    table.check_keys(ctx, &["county"]);
    let (county, span) = table.opt_str(ctx, "county").or_else(|| {
        table.require(ctx, "county", "\"15\"");
        None
    })?;
    let matches = |k: &kommuner::Kommune| {
        k.county_id == format!("{:0>2}", county.trim())
            || k.county.eq_ignore_ascii_case(&county)
            || k.county.to_lowercase() == county.to_lowercase()
    };
    let members: Vec<&kommuner::Kommune> = kommuner::all().iter().filter(|k| matches(k)).collect();
    let Some(first) = members.first() else {
        let mut counties: Vec<String> = kommuner::all()
            .iter()
            .map(|k| format!("{} {}", k.county_id, k.county))
            .collect();
        counties.dedup();
        let names: Vec<&str> = kommuner::all().iter().map(|k| k.county.as_str()).collect();
        let help = match closest(&county, names) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None => format!("counties of 2024: {}", counties.join(", ")),
        };
        ctx.error_help(span, format!("unknown county \"{county}\""), help);
        return None;
    };
    Some(MemberSet {
        label: first.county.clone(),
        ids: members.iter().map(|k| k.id.clone()).collect(),
    })
}
