//! The sweep grid file format (TOML):
//!
//! ```toml
//! mode = "grid"            # Cartesian product (default) or "list" (axes zipped)
//! draws = 2000             # optional: draws per point (default: the scenario's)
//! seed = 1                 # optional: seed of every point (default: the scenario's)
//!
//! [[axes]]
//! parameter = "scope_growth"        # a named parameter, fixed at each value
//! values = [0.0, 0.1, 0.2]
//!
//! [[axes]]
//! key = "30/70"                     # a hybrid key's equal part
//! fixed_part = [0.1, 0.3, 0.5]
//!
//! [[axes]]
//! members = [["1517", "1515"], { county = "15" }]   # member sets
//! ```

use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostics;
use super::kommuner;
use super::tree::{Ctx, Node, Table, as_f64, as_str, type_name};

/// One axis of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// A named parameter fixed at each value.
    Parameter {
        /// Parameter name.
        name: String,
        /// Values.
        values: Vec<f64>,
    },
    /// The equal part of a hybrid key.
    FixedPart {
        /// Key name.
        key: String,
        /// Values in [0, 1].
        values: Vec<f64>,
    },
    /// Member sets, each with a label.
    Members {
        /// `(label, kommunenummer)` per value.
        sets: Vec<(String, Vec<String>)>,
    },
}

impl Axis {
    /// Column name in the tidy output.
    pub fn column(&self) -> String {
        match self {
            Axis::Parameter { name, .. } => format!("parameter:{name}"),
            Axis::FixedPart { key, .. } => format!("key:{key}:fixed_part"),
            Axis::Members { .. } => "members".to_owned(),
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Axis::Parameter { values, .. } | Axis::FixedPart { values, .. } => values.len(),
            Axis::Members { sets } => sets.len(),
        }
    }

    /// Whether the axis has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The label of value `i` as written in the output.
    pub fn label(&self, i: usize) -> String {
        match self {
            Axis::Parameter { values, .. } | Axis::FixedPart { values, .. } => {
                values[i].to_string()
            }
            Axis::Members { sets } => sets[i].0.clone(),
        }
    }
}

/// A validated grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Axes in file order.
    pub axes: Vec<Axis>,
    /// Cartesian product (`true`) or zipped list.
    pub product: bool,
    /// Draws per point.
    pub draws: Option<u64>,
    /// Seed of every point.
    pub seed: Option<u64>,
}

impl Grid {
    /// Number of points.
    pub fn n_points(&self) -> usize {
        if self.product {
            self.axes.iter().map(Axis::len).product()
        } else {
            self.axes.first().map_or(0, Axis::len)
        }
    }

    /// The value index on each axis of point `p`: in a product the last axis varies fastest.
    pub fn point(&self, mut p: usize) -> Vec<usize> {
        if !self.product {
            return vec![p; self.axes.len()];
        }
        let mut idx = vec![0; self.axes.len()];
        for (a, axis) in self.axes.iter().enumerate().rev() {
            idx[a] = p % axis.len();
            p /= axis.len();
        }
        idx
    }
}

/// Parses a grid file; every problem is reported at once.
pub fn parse_grid(file: &str, src: &str) -> Result<Grid, Diagnostics> {
    let mut ctx = Ctx::new(file, src);
    let (root, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in errors {
            ctx.error(
                e.span().unwrap_or(0..0),
                format!("invalid TOML: {}", e.message().trim()),
            );
        }
        return Err(Diagnostics(ctx.errors));
    }
    let root = Table {
        table: root.get_ref(),
        span: 0..0,
        what: "the grid".to_owned(),
    };
    root.check_keys(&mut ctx, &["mode", "draws", "seed", "axes", "note"]);
    let product = !matches!(
        root.opt_choice(&mut ctx, "mode", &["grid", "list"])
            .map(|(m, _)| m)
            .as_deref(),
        Some("list")
    );
    let positive = |ctx: &mut Ctx<'_>, key: &str| -> Option<u64> {
        let (v, span) = root.opt_i64(ctx, key)?;
        if v < 0 || (key == "draws" && v == 0) {
            ctx.error(
                span,
                format!(
                    "`{key}` must be {}, got {v}",
                    if key == "draws" {
                        "at least 1"
                    } else {
                        "non-negative"
                    }
                ),
            );
            return None;
        }
        Some(v as u64)
    };
    let draws = positive(&mut ctx, "draws");
    let seed = positive(&mut ctx, "seed");
    let mut axes = Vec::new();
    match root.get("axes").map(|n| (n, n.get_ref())) {
        Some((_, DeValue::Array(items))) => {
            for item in items {
                if let Some(axis) = read_axis(&mut ctx, item) {
                    axes.push(axis);
                }
            }
        }
        Some((n, other)) => ctx.error(
            n.span(),
            format!(
                "`axes` must be an array of tables ([[axes]]), found {}",
                type_name(other)
            ),
        ),
        None => ctx.error_help(0..0, "the grid has no axes", "add [[axes]] tables"),
    }
    if !product && axes.windows(2).any(|w| w[0].len() != w[1].len()) {
        ctx.error_help(
            0..0,
            "in `mode = \"list\"` every axis needs the same number of values",
            "give each axis as many values, or use `mode = \"grid\"`",
        );
    }
    if ctx.errors.is_empty() {
        Ok(Grid {
            axes,
            product,
            draws,
            seed,
        })
    } else {
        Err(Diagnostics(ctx.errors))
    }
}

fn numbers(ctx: &mut Ctx<'_>, node: &Node<'_>, what: &str) -> Option<Vec<f64>> {
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error(node.span(), format!("{what} must be an array of numbers"));
        return None;
    };
    if items.is_empty() {
        ctx.error(node.span(), format!("{what} is empty"));
        return None;
    }
    items.iter().map(|n| as_f64(ctx, n, what)).collect()
}

fn read_axis(ctx: &mut Ctx<'_>, item: &Node<'_>) -> Option<Axis> {
    let table = Table::from_node(ctx, item, "an axis")?;
    table.check_keys(
        ctx,
        &[
            "parameter",
            "values",
            "key",
            "fixed_part",
            "members",
            "note",
        ],
    );
    if let Some((name, _)) = table.opt_str(ctx, "parameter") {
        let node = table.require(ctx, "values", "[0.1, 0.2]")?;
        let values = numbers(ctx, node, "`values`")?;
        return Some(Axis::Parameter { name, values });
    }
    if let Some((key, _)) = table.opt_str(ctx, "key") {
        let node = table.require(ctx, "fixed_part", "[0.3, 0.5]")?;
        let values = numbers(ctx, node, "`fixed_part`")?;
        if let Some(bad) = values.iter().find(|v| !(0.0..=1.0).contains(*v)) {
            ctx.error(
                node.span(),
                format!("a fixed part must lie between 0 and 1, got {bad}"),
            );
            return None;
        }
        return Some(Axis::FixedPart { key, values });
    }
    if let Some(node) = table.get("members") {
        let DeValue::Array(items) = node.get_ref() else {
            ctx.error(node.span(), "`members` must be an array of member sets");
            return None;
        };
        let mut sets = Vec::new();
        for set in items {
            match set.get_ref() {
                DeValue::Array(ids) => {
                    let ids: Vec<String> = ids.iter().filter_map(|n| as_str(ctx, n, "a kommunenummer")).collect();
                    for id in &ids {
                        if kommuner::by_id(id).is_none() {
                            ctx.error_help(set.span(), format!("unknown kommunenummer `{id}`"), kommuner::hint_for_unknown(id));
                        }
                    }
                    sets.push((ids.join(" "), ids));
                }
                DeValue::Table(_) => {
                    let t = Table::from_node(ctx, set, "a member set")?;
                    t.check_keys(ctx, &["county"]);
                    let (county, span) = t.opt_str(ctx, "county")?;
                    let ids: Vec<String> = kommuner::all().iter().filter(|k| k.county_id == county).map(|k| k.id.clone()).collect();
                    if ids.is_empty() {
                        ctx.error_help(span, format!("no municipality has county number `{county}`"), "use the two-digit county number of 2024, e.g. \"46\" for Vestland");
                    }
                    sets.push((format!("county {county}"), ids));
                }
                other => ctx.error(set.span(), format!("a member set must be an array of kommunenummer or {{ county = \"…\" }}, found {}", type_name(other))),
            }
        }
        return Some(Axis::Members { sets });
    }
    ctx.error_help(
        table.span.clone(),
        "an axis needs `parameter`, `key` or `members`",
        "e.g. parameter = \"scope_growth\", values = [0.0, 0.1]",
    );
    None
}
