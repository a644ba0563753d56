//! `[[gains]]`: service gains of the cooperation — staff time saved in each member's services
//! (hours × loaded wage), of which a share is taken out of the budgets after a delay
//! (docs/MODEL.md §6d). Each numeric field is an uncertain input with a documented default.

use samkost_core::model::{DriverTable, Gain, ModelPart};

use super::components::{Default, field_in};
use super::lines::Horizon;
use super::project::{HOURLY_COST, read_driver_or, read_year_span};
use super::ranges::{NON_NEGATIVE, SHARE};
use super::tree::{Ctx, Node, Table, array_of_tables};
use super::values::Parameters;

/// Keys a `[[gains]]` entry may have.
const KEYS: &[&str] = &[
    "name",
    "driver",
    "hours",
    "hours_per_unit",
    "hourly_cost",
    "realisation",
    "delay",
    "start",
    "end",
    "source",
    "note",
];

/// Share of a service gain taken out of the budgets: Digdir's co-financing scheme
/// (medfinansieringsordningen) expects half of an agency's net internal gains to be taken out
/// as budget cuts [assumption: that half as the mode, 0.2–0.9 for the spread].
pub const REALISATION: Default = Default::Tri(0.2, 0.5, 0.9);
/// Years before the realised share reaches the budgets [assumption: the next budget year].
pub const DELAY_YEARS: f64 = 1.0;

/// Reads every `[[gains]]` entry (none without the array).
pub fn read_gains(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Option<Vec<Gain>> {
    let Some(node) = node else {
        return Some(Vec::new());
    };
    let items = array_of_tables(
        ctx,
        node,
        "gains",
        "write each service gain as a [[gains]] table with a `name`",
        None,
    )?;
    let errors = ctx.errors.len();
    let mut gains: Vec<Gain> = Vec::new();
    for (idx, item) in items.iter().enumerate() {
        let Some((table, name)) = Table::named(ctx, item, "gain", idx, "\"Time saved\"") else {
            continue;
        };
        let name = name.unwrap_or_default();
        if gains.iter().any(|g| g.name == name) {
            ctx.error_help(
                item.span(),
                format!("two gains are named `{name}`"),
                "give each gain its own name",
            );
        }
        if let Some(gain) = read_gain(ctx, &table, name, drivers, params, horizon, operation_start)
        {
            gains.push(gain);
        }
    }
    params.clear_owner();
    (ctx.errors.len() == errors).then_some(gains)
}

fn read_gain(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    name: String,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Option<Gain> {
    table.check_keys(ctx, KEYS);
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Gain, &name, source);
    let mut f = |ctx: &mut Ctx<'_>, key: &str, default: Default, allowed| {
        let label = format!("gains.{name}.{key}");
        field_in(ctx, table, key, &label, params, default, allowed)
    };
    let hours = f(ctx, "hours", Default::Value(0.0), NON_NEGATIVE);
    let per_unit = f(ctx, "hours_per_unit", Default::Value(0.0), NON_NEGATIVE);
    let hourly_cost = f(ctx, "hourly_cost", HOURLY_COST, NON_NEGATIVE);
    let realisation = f(ctx, "realisation", REALISATION, SHARE);
    let delay = f(ctx, "delay", Default::Value(DELAY_YEARS), NON_NEGATIVE);
    let driver = read_driver(ctx, table, drivers);
    let years = read_years(ctx, table, horizon, operation_start);
    Some(Gain {
        name,
        hours: hours?,
        hours_per_unit: (driver?, per_unit?),
        hourly_cost: hourly_cost?,
        realisation: realisation?,
        delay: delay?,
        years: years?,
    })
}

/// The driver `hours_per_unit` counts (`driver`, default `users`, else `population` when the
/// scenario declares no `users`).
fn read_driver(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, drivers: &DriverTable) -> Option<usize> {
    let default = match drivers.index("users") {
        Some(_) => "users",
        None => "population",
    };
    read_driver_or(ctx, table, drivers, default, "hours")
}

/// The gain's years: `start` (default the year the cooperation operates) to `end` (default
/// the horizon's last year), calendar years within the horizon.
fn read_years(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
) -> Option<(usize, usize)> {
    let (h, t0) = (horizon?, operation_start?);
    read_year_span(ctx, table, h, h.first_year + t0 as i64, |_| h.last_year())
}
