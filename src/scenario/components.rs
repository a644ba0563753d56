//! Structural components (`[[components]]`) and the documented defaults of numeric fields
//! that the organisation (`organisation.rs`), the transition and the assets (`transition.rs`)
//! share.
//!
//! Every numeric field may be left out: it then takes the documented default of
//! docs/MODEL.md ("Default figures"), which is a fixed number or a distribution.

use samkost_core::model::{
    Component, ComponentKind, Connections, DriverTable, Expr, ModelPart, Tier,
};
use samkost_core::sampling::Distribution;
use toml::de::DeValue;

use super::diagnostic::closest;
use super::lines::Horizon;
use super::ranges::{
    self, Allowed, CYCLE_YEARS, EXPONENT, FACTOR, GROWTH, NON_NEGATIVE, POSITIVE, SCOPE_GROWTH,
    SHARE,
};
use super::tree::{Ctx, Node, Table, array_of_tables, as_f64};
use super::values::{Parameters, read_value};

/// A documented default for a numeric field.
#[derive(Debug, Clone, Copy)]
pub enum Default {
    /// A fixed number.
    Value(f64),
    /// Triangular(min, mode, max).
    Tri(f64, f64, f64),
    /// PERT(min, mode, max).
    Pert(f64, f64, f64),
}

/// Reads field `key` of `table`, or its default (a distribution default becomes an anonymous
/// parameter named `label`).
pub fn field(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    key: &str,
    label: &str,
    params: &mut Parameters,
    default: Default,
) -> Option<Expr> {
    if let Some(node) = table.get(key) {
        return read_value(ctx, node, label, key, params);
    }
    let dist = match default {
        Default::Value(v) => return Some(Expr::Const(v)),
        Default::Tri(a, m, b) => Distribution::triangular(a, m, b),
        Default::Pert(a, m, b) => Distribution::pert(a, m, b, None),
    };
    let distribution = dist.expect("documented defaults are valid distributions");
    let idx = params.push_inline(
        label,
        key,
        distribution,
        Some(DEFAULT_SOURCE.to_owned()),
        None,
    );
    Some(Expr::Param(idx))
}

/// The source of a documented default figure.
const DEFAULT_SOURCE: &str = "default of docs/MODEL.md §4a–4c";

/// [`field`], and a located error when a given fixed value, any value of a given
/// distribution (its support) or of an expression over parameters lies outside `allowed`
/// (`ranges::check`).
pub(super) fn field_in(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    key: &str,
    label: &str,
    params: &mut Parameters,
    default: Default,
    allowed: Allowed,
) -> Option<Expr> {
    let expr = field(ctx, table, key, label, params, default)?;
    let Some(node) = table.get(key) else {
        return Some(expr);
    };
    let what = format!("`{key}` of {}", table.what);
    ranges::check(ctx, params, node, &expr, &what, allowed).then_some(expr)
}

/// Payroll tax (arbeidsgiveravgift) zones and their 2026 rates (Skatteetaten, satser for arbeidsgiveravgift 2026). Zones Ia and IVa
/// are simplified to their reduced rate.
pub const PAYROLL_ZONES: &[(&str, f64)] = &[
    ("I", 0.141),
    ("Ia", 0.106),
    ("II", 0.106),
    ("III", 0.064),
    ("IV", 0.051),
    ("IVa", 0.079),
    ("V", 0.0),
];

/// The rate of a zone named at `node`.
pub fn payroll_zone(ctx: &mut Ctx<'_>, node: &Node<'_>, what: &str) -> Option<f64> {
    let name = super::tree::as_str(ctx, node, what)?;
    match PAYROLL_ZONES.iter().find(|(z, _)| *z == name) {
        Some((_, rate)) => Some(*rate),
        None => {
            let names: Vec<&str> = PAYROLL_ZONES.iter().map(|(z, _)| *z).collect();
            ctx.error_help(
                node.span(),
                format!("unknown payroll tax zone \"{name}\" in {what}"),
                format!("expected one of: {}", names.join(", ")),
            );
            None
        }
    }
}

/// The kinds of component, as written in `[[components]]` (also the `[keys.kinds]` of a key per
/// component).
pub(super) const KINDS: &[&str] = &["infrastructure", "licence", "purchasing", "staffing"];

/// The component kinds of [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KindName {
    Infrastructure,
    Licence,
    Purchasing,
    Staffing,
}
const COMMON: &[&str] = &[
    "name",
    "kind",
    "driver",
    "pooled_from",
    "scope_growth",
    "growth",
    "source",
    "note",
];

/// Most `[[components]]` a scenario may have (each is a cost curve evaluated for every
/// coalition a draw needs).
pub const MAX_COMPONENTS: usize = 1_000;

/// Reads every `[[components]]` entry.
pub fn read_components(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Vec<Component> {
    let Some(node) = node else { return Vec::new() };
    let Some(items) = array_of_tables(
        ctx,
        node,
        "components",
        "write each cost curve as a [[components]] table with a `name` and a `kind`",
        Some((
            MAX_COMPONENTS,
            "a component is a cost curve shared by many members; model single items as [[lines]]",
        )),
    ) else {
        return Vec::new();
    };
    let mut out: Vec<Component> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (idx, item) in items.iter().enumerate() {
        let Some(c) = read_component(ctx, item, idx, drivers, params, horizon, operation_start)
        else {
            continue;
        };
        if !names.insert(c.name.clone()) {
            ctx.error_help(
                item.span(),
                format!("two components are named `{}`", c.name),
                "give each component its own name",
            );
        }
        out.push(c);
    }
    out
}

fn driver_of(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    key: &str,
    drivers: &DriverTable,
    default: &str,
) -> Option<usize> {
    let (name, span) = match table.opt_str(ctx, key) {
        Some(found) => found,
        None if table.get(key).is_some() => return None,
        None => (default.to_owned(), table.span.clone()),
    };
    match drivers.index(&name) {
        Some(d) => Some(d),
        None => {
            let names = drivers.names().join(", ");
            let help = match closest(&name, drivers.names().iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? drivers: {names}"),
                None => format!("declare it under [drivers]; drivers: {names}"),
            };
            ctx.error_help(
                span,
                format!("unknown driver `{name}` in {}", table.what),
                help,
            );
            None
        }
    }
}

fn read_component(
    ctx: &mut Ctx<'_>,
    item: &Node<'_>,
    idx: usize,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Option<Component> {
    let (table, name) = Table::named(ctx, item, "component", idx, "\"IT staff\"")?;
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Component, name.as_deref().unwrap_or(""), source);
    let kind = match table.get("kind") {
        Some(_) => table.opt_choice(ctx, "kind", KINDS).map(|(k, _)| k),
        None => {
            table.require(
                ctx,
                "kind",
                "\"infrastructure\" | \"licence\" | \"purchasing\" | \"staffing\"",
            );
            None
        }
    };
    // The choice is one of KINDS; from here on the kind is an enum, matched exhaustively.
    let kind = match kind?.as_str() {
        "infrastructure" => KindName::Infrastructure,
        "licence" => KindName::Licence,
        "purchasing" => KindName::Purchasing,
        "staffing" => KindName::Staffing,
        _ => return None,
    };
    let label_base = name.clone().unwrap_or_default();
    let specific: &[&str] = match kind {
        KindName::Infrastructure => &["fixed", "unit_cost", "reference", "exponent", "connections"],
        KindName::Licence => &["platform_fee", "tiers", "pricing", "enterprise_fee"],
        KindName::Purchasing => &[
            "units_per_driver",
            "unit_price",
            "cycle_years",
            "max_discount",
            "half_volume",
        ],
        KindName::Staffing => &[
            "critical_mass",
            "fte_at_reference",
            "reference",
            "exponent",
            "salary",
            "premium_max",
            "premium_half_fte",
            "retained_share",
            "retained_floor",
        ],
    };
    let allowed: Vec<&str> = COMMON.iter().chain(specific).copied().collect();
    table.check_keys(ctx, &allowed);
    // Every kind scales with ICT users unless told otherwise.
    let driver = driver_of(ctx, &table, "driver", drivers, "users");
    macro_rules! f {
        ($ctx:expr, $key:expr, $default:expr) => {
            field(
                $ctx,
                &table,
                $key,
                &format!("{label_base}.{}", $key),
                params,
                $default,
            )
        };
        ($ctx:expr, $key:expr, $default:expr, $allowed:expr) => {
            field_in(
                $ctx,
                &table,
                $key,
                &format!("{label_base}.{}", $key),
                params,
                $default,
                $allowed,
            )
        };
    }
    let kind = match kind {
        KindName::Infrastructure => {
            let fixed = f!(
                ctx,
                "fixed",
                Default::Tri(300_000.0, 400_000.0, 600_000.0),
                NON_NEGATIVE
            );
            let unit_cost = f!(
                ctx,
                "unit_cost",
                Default::Tri(600.0, 800.0, 1_100.0),
                NON_NEGATIVE
            );
            let exponent = f!(ctx, "exponent", Default::Tri(0.75, 0.85, 0.95), EXPONENT);
            let reference = reference(ctx, &table);
            let connections = match table.get("connections") {
                Some(node) => Some(read_connections(ctx, node, &label_base, drivers, params)?),
                None => None,
            };
            ComponentKind::Infrastructure {
                fixed: fixed?,
                unit_cost: unit_cost?,
                reference: reference?,
                exponent: exponent?,
                connections,
            }
        }
        KindName::Licence => {
            let platform_fee = f!(ctx, "platform_fee", Default::Value(100_000.0), NON_NEGATIVE);
            let enterprise_fee = match table.get("enterprise_fee") {
                Some(_) => Some(f!(
                    ctx,
                    "enterprise_fee",
                    Default::Value(0.0),
                    NON_NEGATIVE
                )?),
                None => None,
            };
            let graduated = match table.opt_choice(ctx, "pricing", &["all_units", "graduated"]) {
                Some((p, _)) => p == "graduated",
                None => false,
            };
            let tiers = read_tiers(ctx, &table, &label_base, params)?;
            ComponentKind::Licence {
                platform_fee: platform_fee?,
                tiers,
                graduated,
                enterprise_fee,
            }
        }
        KindName::Purchasing => ComponentKind::Purchasing {
            units_per_driver: f!(ctx, "units_per_driver", Default::Value(1.1), NON_NEGATIVE)?,
            unit_price: f!(
                ctx,
                "unit_price",
                Default::Tri(7_000.0, 8_000.0, 10_000.0),
                NON_NEGATIVE
            )?,
            cycle_years: f!(ctx, "cycle_years", Default::Value(5.0), CYCLE_YEARS)?,
            max_discount: f!(ctx, "max_discount", Default::Tri(0.05, 0.15, 0.30), SHARE)?,
            half_volume: f!(ctx, "half_volume", Default::Value(500.0), POSITIVE)?,
        },
        KindName::Staffing => ComponentKind::Staffing {
            critical_mass: f!(
                ctx,
                "critical_mass",
                Default::Tri(1.5, 2.0, 3.0),
                NON_NEGATIVE
            )?,
            fte_at_reference: f!(
                ctx,
                "fte_at_reference",
                Default::Tri(3.5, 4.0, 5.0),
                NON_NEGATIVE
            )?,
            exponent: f!(ctx, "exponent", Default::Tri(0.7, 0.8, 0.9), EXPONENT)?,
            salary: f!(
                ctx,
                "salary",
                Default::Pert(750_000.0, 880_000.0, 1_100_000.0),
                NON_NEGATIVE
            )?,
            premium_max: f!(ctx, "premium_max", Default::Tri(0.1, 0.3, 0.5), FACTOR)?,
            premium_half_fte: f!(ctx, "premium_half_fte", Default::Value(3.0), POSITIVE)?,
            retained_share: f!(ctx, "retained_share", Default::Tri(0.05, 0.10, 0.20), SHARE)?,
            retained_floor: f!(ctx, "retained_floor", Default::Value(0.5), NON_NEGATIVE)?,
            reference: reference(ctx, &table)?,
        },
    };
    let scope_growth = f!(ctx, "scope_growth", Default::Value(0.0), SCOPE_GROWTH);
    let growth = f!(ctx, "growth", Default::Value(0.0), GROWTH);
    let pooled_from = match (table.opt_i64(ctx, "pooled_from"), horizon) {
        (Some((year, span)), Some(h)) => h.index(
            ctx,
            (year, span),
            format!("`pooled_from` {year} of {}", table.what),
            "pool the component within the horizon",
        ),
        (None, _) if table.get("pooled_from").is_none() => operation_start,
        _ => None,
    };
    if let (Some(from), Some(start)) = (pooled_from, operation_start)
        && from < start
    {
        ctx.error_help(
            table
                .get("pooled_from")
                .map_or(table.span.clone(), |n| n.span()),
            format!(
                "{} is pooled before the cooperation starts operating",
                table.what
            ),
            "`pooled_from` must not be before `operation_start`",
        );
    }
    Some(Component {
        name: name?,
        driver: driver?,
        kind,
        pooled_from: pooled_from?,
        scope_growth: scope_growth?,
        growth: growth?,
    })
}

fn reference(ctx: &mut Ctx<'_>, table: &Table<'_, '_>) -> Option<f64> {
    match table.opt_f64(ctx, "reference") {
        Some((v, span)) if v <= 0.0 => {
            ctx.error_help(
                span,
                format!("`reference` of {} must be positive, got {v}", table.what),
                "the reference load in driver units, e.g. 1000 users",
            );
            None
        }
        Some((v, _)) => Some(v),
        None if table.get("reference").is_some() => None,
        None => Some(1000.0),
    }
}

fn read_connections(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    label: &str,
    drivers: &DriverTable,
    params: &mut Parameters,
) -> Option<Connections> {
    let table = Table::from_node(ctx, node, format!("`connections` of component `{label}`"))?;
    table.check_keys(ctx, &["driver", "unit_cost", "coordination_saving"]);
    params.set_field_prefix("connections.");
    let driver = driver_of(ctx, &table, "driver", drivers, "sites");
    let unit_cost = field_in(
        ctx,
        &table,
        "unit_cost",
        &format!("{label}.connections.unit_cost"),
        params,
        Default::Tri(8_000.0, 12_000.0, 20_000.0),
        NON_NEGATIVE,
    );
    let saving = field_in(
        ctx,
        &table,
        "coordination_saving",
        &format!("{label}.connections.coordination_saving"),
        params,
        Default::Tri(0.10, 0.40, 0.80),
        SHARE,
    );
    params.set_field_prefix("");
    Some(Connections {
        driver: driver?,
        unit_cost: unit_cost?,
        coordination_saving: saving?,
    })
}

fn read_tiers(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    label: &str,
    params: &mut Parameters,
) -> Option<Vec<Tier>> {
    let Some(node) = table.get("tiers") else {
        // Default list prices [assumption]: NOK per user per year.
        return Some(
            [
                (0.0, 1_800.0),
                (1_000.0, 1_650.0),
                (2_500.0, 1_500.0),
                (5_000.0, 1_400.0),
            ]
            .iter()
            .map(|&(from, p)| Tier {
                from_units: from,
                price: Expr::Const(p),
            })
            .collect(),
        );
    };
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!("`tiers` of {} must be an array of tables", table.what),
            "e.g. tiers = [{ from = 0, price = 1800 }, { from = 1000, price = 1650 }]",
        );
        return None;
    };
    let mut tiers: Vec<Tier> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(t) = Table::from_node(ctx, item, format!("a tier of {}", table.what)) else {
            ok = false;
            continue;
        };
        t.check_keys(ctx, &["from", "price"]);
        let from = t
            .require(ctx, "from", "0")
            .and_then(|n| as_f64(ctx, n, "`from` of a tier"));
        let price = t.require(ctx, "price", "1800").and_then(|n| {
            let price = read_value(
                ctx,
                n,
                &format!("{label}.tier price"),
                "tiers.price",
                params,
            )?;
            let what = format!("`price` of a tier of {}", table.what);
            ranges::check(ctx, params, n, &price, &what, NON_NEGATIVE).then_some(price)
        });
        match (from, price) {
            (Some(from), Some(price)) => {
                if tiers.last().is_some_and(|last| last.from_units >= from) {
                    ctx.error_help(
                        item.span(),
                        format!(
                            "tiers of {} must be sorted by `from`, each above the last",
                            table.what
                        ),
                        "list tiers from the smallest volume up",
                    );
                    ok = false;
                }
                tiers.push(Tier {
                    from_units: from,
                    price,
                });
            }
            _ => ok = false,
        }
    }
    if ok && tiers.first().is_none_or(|t| t.from_units != 0.0) {
        ctx.error_help(
            node.span(),
            format!("the first tier of {} must start at `from = 0`", table.what),
            "every volume needs a price",
        );
        return None;
    }
    ok.then_some(tiers)
}
