//! The start-up project broken down as the national guide lists its costs (`[project]`): the
//! members' own staff time, data conversion, user training and external project management,
//! each an uncertain input with a documented default, all times one overrun factor.
//!
//! The section is read into ordinary start-up cost lines (`CostLine`s with
//! `category = startup`, `occurs = together`), so the one definition of a coalition's cost
//! (`Model::coalition_flows`), the one-pass flows and the NPV game treat them as every other
//! line: a member alone never has them, a coalition of two or more has them in the project
//! years (docs/MODEL.md §4b, "The project broken down").

use samkost_core::model::{
    Basis, BinaryOp, Category, CostLine, DriverTable, Expr, ModelPart, Occurs,
};
use samkost_core::sampling::Distribution;

use super::components::{Default, field_in};
use super::lines::Horizon;
use super::ranges::NON_NEGATIVE;
use super::tree::{Ctx, Node, Table};
use super::values::{Parameters, read_value};

/// Keys `[project]` may have.
const KEYS: &[&str] = &[
    "start",
    "end",
    "driver",
    "hourly_cost",
    "own_hours",
    "own_hours_per_user",
    "systems",
    "conversion_per_system",
    "conversion_per_user",
    "training_hours",
    "course_per_user",
    "consulting",
    "consulting_per_user",
    "overrun",
    "source",
    "note",
];

/// The names of the lines `[project]` adds, in this order.
pub const LINE_NAMES: [&str; 4] = [
    "Project: members' own staff time",
    "Project: data conversion",
    "Project: user training",
    "Project: external project management and consulting",
];

/// The source of the section's documented defaults.
const DEFAULT_SOURCE: &str = "default of docs/MODEL.md §4b (the project broken down)";

/// Loaded cost of an hour of a municipal employee's time, NOK: [assumption] a yearly pay of
/// about 650 kNOK with payroll tax (14.1 %) and pension and other social costs (about 20 %)
/// over about 1,700 working hours is about 600 NOK; the spread covers lower pay in smaller
/// members and lower payroll tax zones.
pub(super) const HOURLY_COST: Default = Default::Tri(450.0, 550.0, 700.0);

/// The overrun factor of the whole project when none is given: the default of
/// docs/MODEL.md §7 (a PERT body 0.85–1.25, 18 % of projects in a Pareto tail from 1.25 with
/// α = 1.6, capped at 6; Budzier & Flyvbjerg 2012, Flyvbjerg & Budzier 2011).
fn default_overrun() -> Distribution {
    let body = Distribution::pert(0.85, 1.0, 1.25, None).expect("a valid PERT");
    Distribution::overrun(body, 0.18, 1.25, 1.6, Some(6.0)).expect("a valid overrun factor")
}

fn mul(a: Expr, b: Expr) -> Expr {
    Expr::Binary(BinaryOp::Mul, Box::new(a), Box::new(b))
}

fn add(a: Expr, b: Expr) -> Expr {
    Expr::Binary(BinaryOp::Add, Box::new(a), Box::new(b))
}

/// `amount · overrun / years`: a project total spread evenly over its years.
fn per_year(amount: Expr, overrun: &Expr, years: usize) -> Expr {
    let total = mul(amount, overrun.clone());
    if years == 1 {
        total
    } else {
        Expr::Binary(
            BinaryOp::Div,
            Box::new(total),
            Box::new(Expr::Const(years as f64)),
        )
    }
}

/// Reads `[project]` into its start-up lines (none without the table).
pub fn read_project(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Option<Vec<CostLine>> {
    let Some(node) = node else {
        return Some(Vec::new());
    };
    let table = Table::from_node(ctx, node, "[project]")?;
    table.check_keys(ctx, KEYS);
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Project, "", source);
    let driver = read_driver(ctx, &table, drivers);
    let years = read_years(ctx, &table, horizon, operation_start);
    let mut f = |ctx: &mut Ctx<'_>, key: &str, default: Default| {
        field_in(
            ctx,
            &table,
            key,
            &format!("project.{key}"),
            params,
            default,
            NON_NEGATIVE,
        )
    };
    let hourly = f(ctx, "hourly_cost", HOURLY_COST);
    let own_hours = f(ctx, "own_hours", Default::Tri(500.0, 1_000.0, 2_000.0));
    let own_per_user = f(ctx, "own_hours_per_user", Default::Tri(0.25, 0.5, 1.0));
    let systems = f(ctx, "systems", Default::Tri(5.0, 10.0, 15.0));
    let per_system = f(
        ctx,
        "conversion_per_system",
        Default::Tri(30_000.0, 60_000.0, 120_000.0),
    );
    let conversion_per_user = f(ctx, "conversion_per_user", Default::Value(0.0));
    let training_hours = f(ctx, "training_hours", Default::Tri(1.0, 2.0, 4.0));
    let course = f(ctx, "course_per_user", Default::Tri(150.0, 300.0, 600.0));
    let consulting = f(
        ctx,
        "consulting",
        Default::Tri(1_000_000.0, 2_000_000.0, 4_000_000.0),
    );
    let consulting_per_user = f(
        ctx,
        "consulting_per_user",
        Default::Tri(200.0, 400.0, 800.0),
    );
    let overrun = read_overrun(ctx, &table, params);
    let (start, end) = years?;
    let (driver, hourly, overrun) = (driver?, hourly?, overrun?);
    let n = end - start + 1;
    let line = |name: &str, basis, years, fixed, rate| CostLine {
        name: name.to_owned(),
        category: Category::StartUp,
        basis,
        occurs: Occurs::Together,
        years,
        fixed,
        rates: vec![(driver, rate)],
        growth: Expr::Const(0.0),
    };
    Some(vec![
        line(
            LINE_NAMES[0],
            Basis::PerMember,
            (start, end),
            per_year(mul(own_hours?, hourly.clone()), &overrun, n),
            per_year(mul(own_per_user?, hourly.clone()), &overrun, n),
        ),
        line(
            LINE_NAMES[1],
            Basis::PerMember,
            (start, end),
            per_year(mul(systems?, per_system?), &overrun, n),
            per_year(conversion_per_user?, &overrun, n),
        ),
        line(
            LINE_NAMES[2],
            Basis::PerMember,
            (end, end),
            Expr::Const(0.0),
            per_year(add(mul(training_hours?, hourly), course?), &overrun, 1),
        ),
        line(
            LINE_NAMES[3],
            Basis::Pooled,
            (start, end),
            per_year(consulting?, &overrun, n),
            per_year(consulting_per_user?, &overrun, n),
        ),
    ])
}

/// The driver the per-user amounts scale with (`driver`, default `users`).
fn read_driver(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, drivers: &DriverTable) -> Option<usize> {
    read_driver_or(ctx, table, drivers, "users", "users")
}

/// The driver named by the table's `driver` (default `default`) that it counts `what` by,
/// reported with the fix when the scenario does not declare it.
pub(super) fn read_driver_or(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    drivers: &DriverTable,
    default: &str,
    what: &str,
) -> Option<usize> {
    let (name, span) = match table.opt_str(ctx, "driver") {
        Some(found) => found,
        None if table.get("driver").is_some() => return None,
        None => (default.to_owned(), table.span.clone()),
    };
    let index = drivers.index(&name);
    if index.is_none() {
        ctx.error_help(
            span,
            format!(
                "{} counts {what} by the driver `{name}`, which the scenario does not declare",
                table.what
            ),
            format!(
                "declare it under [drivers] (`{name} = {{ per_inhabitant = 0.09 }}`) or name a declared driver with `driver = \"…\"`; drivers: {}",
                drivers.names().join(", ")
            ),
        );
    }
    index
}

/// The overrun factor: a given value, distribution, parameter name or expression (at least 0),
/// else the documented default.
fn read_overrun(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, params: &mut Parameters) -> Option<Expr> {
    let Some(node) = table.get("overrun") else {
        let idx = params.push_inline(
            "project.overrun",
            "overrun",
            default_overrun(),
            Some(DEFAULT_SOURCE.to_owned()),
            None,
        );
        return Some(Expr::Param(idx));
    };
    let expr = read_value(ctx, node, "project.overrun", "overrun", params)?;
    super::ranges::check(
        ctx,
        params,
        node,
        &expr,
        "`overrun` of [project]",
        NON_NEGATIVE,
    )
    .then_some(expr)
}

/// The project's years as indices: `start` and `end` (calendar years) or, by default, the
/// years before `operation_start` (the first year alone when the cooperation operates from
/// the first year).
fn read_years(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Option<(usize, usize)> {
    let (h, t0) = (horizon?, operation_start?);
    let default_end = h.first_year + t0.saturating_sub(1) as i64;
    read_year_span(ctx, table, h, h.first_year, |start| default_end.max(start))
}

/// The table's `start` and `end` calendar years (defaults `default_start` and
/// `default_end(start)`) as year indices, each within the horizon and in order, else reported
/// with the fix.
pub(super) fn read_year_span(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    horizon: Horizon,
    default_start: i64,
    default_end: impl Fn(i64) -> i64,
) -> Option<(usize, usize)> {
    let start = table.opt_i64(ctx, "start");
    let end = table.opt_i64(ctx, "end");
    let first = horizon.first_year;
    let (s, s_span) = start.unwrap_or((default_start, table.span.clone()));
    let (e, e_span) = end.unwrap_or((default_end(s), table.span.clone()));
    let mut ok = true;
    for (year, span) in [(s, &s_span), (e, &e_span)] {
        let subject = format!("year {year} of {}", table.what);
        let help = "change the year or `first_year`/`horizon_years`";
        ok &= horizon
            .index(ctx, (year, span.clone()), subject, help)
            .is_some();
    }
    if ok && e < s {
        ctx.error_help(
            e_span,
            format!("{} ends ({e}) before it starts ({s})", table.what),
            "swap `start` and `end`",
        );
        ok = false;
    }
    ok.then(|| ((s - first) as usize, (e - first) as usize))
}
