//! `[drivers_by_year]`: driver values per member and calendar year (a population projection,
//! users as a system is rolled out), given inline or in a CSV file the scenario names, and
//! carried over the years not given by the rule of docs/MODEL.md §5a.
//!
//! ```toml
//! [drivers_by_year]
//! source = "SSB table 14288, main alternative (MMMM)"
//! csv = "population-projection.csv"     # columns kommunenummer, year, then one per driver
//!
//! [drivers_by_year.users]                # or inline: member → { year = value }
//! "3403" = { 2026 = 2600, 2030 = 2900 }
//! ```

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;

use samkost_core::model::{DriverTable, Member};
use toml::de::DeValue;

use super::FileSource;
use super::diagnostic::{Diagnostic, closest};
use super::lines::Horizon;
use super::tree::{Ctx, Node, Table, as_f64, as_str, type_name};

/// Earliest and latest calendar year accepted in a driver's path.
pub(super) const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

/// Where a driver's values were given, for the message when a member is missing.
enum Origin {
    /// Inline, at this span of the scenario.
    Inline(Range<usize>),
    /// In the CSV file with this path.
    Csv(String),
}

/// The values given for one driver: `[member]` → year → value.
struct Given {
    values: Vec<BTreeMap<i64, f64>>,
    origin: Origin,
}

/// Reads `[drivers_by_year]` and gives each driver named there its path over the horizon.
pub fn read_drivers_by_year(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    files: &dyn FileSource,
    members: &[Member],
    drivers: &mut DriverTable,
    horizon: Option<Horizon>,
) {
    let Some(node) = node else { return };
    let Some(table) = Table::from_node(ctx, node, "[drivers_by_year]") else {
        return;
    };
    let mut given: BTreeMap<usize, Given> = BTreeMap::new();
    for (key, value) in table.table.iter() {
        let name = key.get_ref().to_string();
        match name.as_str() {
            "source" | "note" => {
                as_str(ctx, value, &format!("`{name}` of [drivers_by_year]"));
            }
            "csv" => read_csv_node(ctx, value, files, members, drivers, &mut given),
            _ => {
                let Some(driver) = driver_named(ctx, &name, key.span(), drivers) else {
                    continue;
                };
                let inline = read_inline(ctx, value, &name, members);
                match (given.entry(driver), inline) {
                    (Entry::Occupied(_), _) => ctx.error_help(
                        key.span(),
                        format!(
                            "driver `{name}` is given by year both inline and in the `csv` file"
                        ),
                        "give each driver's values in one place",
                    ),
                    (Entry::Vacant(slot), Some(values)) => {
                        let origin = Origin::Inline(key.span());
                        slot.insert(Given { values, origin });
                    }
                    (Entry::Vacant(_), None) => {}
                }
            }
        }
    }
    let Some(horizon) = horizon else { return };
    for (driver, g) in given {
        if let Some(path) = complete_path(ctx, &g, &drivers.names()[driver], members, horizon) {
            drivers.set_path(driver, path);
        }
    }
}

/// The driver's index, or an error naming the drivers there are.
fn driver_named(
    ctx: &mut Ctx<'_>,
    name: &str,
    span: Range<usize>,
    drivers: &DriverTable,
) -> Option<usize> {
    if let Some(d) = drivers.index(name) {
        return Some(d);
    }
    let names = drivers.names().join(", ");
    let help = match closest(name, drivers.names().iter().map(String::as_str)) {
        Some(best) => {
            format!("did you mean `{best}`? drivers: {names}; other keys: csv, source, note")
        }
        None => format!(
            "declare it under [drivers] first; drivers: {names}; other keys: csv, source, note"
        ),
    };
    ctx.error_help(
        span,
        format!("unknown driver `{name}` in [drivers_by_year]"),
        help,
    );
    None
}

/// The index of the member with this kommunenummer or name.
fn member_help(members: &[Member], id: &str) -> String {
    let list = members
        .iter()
        .map(|m| format!("{} ({})", m.id, m.name))
        .collect::<Vec<_>>()
        .join(", ");
    match closest(id, members.iter().map(|m| m.id.as_str())) {
        Some(best) => format!("did you mean `{best}`? members: {list}"),
        None => format!("members: {list}"),
    }
}

/// `"3403" = { 2026 = 31800, 2030 = 32500 }` for every member.
fn read_inline(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    driver: &str,
    members: &[Member],
) -> Option<Vec<BTreeMap<i64, f64>>> {
    let what = format!("driver `{driver}` in [drivers_by_year]");
    let table = Table::from_node(ctx, node, what.clone())?;
    let mut values = vec![BTreeMap::new(); members.len()];
    let mut ok = true;
    for (key, by_year) in table.table.iter() {
        let id = key.get_ref().to_string();
        let Some(m) = super::members::member_index(members, &id) else {
            let help = member_help(members, &id);
            ctx.error_help(
                key.span(),
                format!("`{id}` in {what} is not a member"),
                help,
            );
            ok = false;
            continue;
        };
        let DeValue::Table(years) = by_year.get_ref() else {
            ctx.error_help(
                by_year.span(),
                format!(
                    "values of member {id} in {what} must be a table of years, found {}",
                    type_name(by_year.get_ref())
                ),
                "write `{ 2026 = 31800, 2030 = 32500 }`",
            );
            ok = false;
            continue;
        };
        for (year_key, value) in years.iter() {
            let text = year_key.get_ref().to_string();
            let year = match text.parse::<i64>() {
                Ok(y) if YEARS.contains(&y) => y,
                _ => {
                    ctx.error_help(
                        year_key.span(),
                        format!("`{text}` in {what} for member {id} is not a calendar year"),
                        format!(
                            "give values by year from {} to {}, e.g. `2030 = 32500`",
                            YEARS.start(),
                            YEARS.end()
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            let label = format!("value of `{driver}` for member {id} in {year}");
            match as_f64(ctx, value, &label) {
                Some(v) if v >= 0.0 => {
                    values[m].insert(year, v);
                }
                Some(v) => {
                    ctx.error_help(
                        value.span(),
                        format!("{label} must not be negative, got {v}"),
                        "driver values count inhabitants, users, devices, …: give 0 or more",
                    );
                    ok = false;
                }
                None => ok = false,
            }
        }
    }
    ok.then_some(values)
}

/// Carries each member's given years over the horizon (docs/MODEL.md §5a): a given year
/// keeps its value, a year between two given years is interpolated linearly, a year before
/// the first or after the last given year takes that year's value. A member without any
/// value is an error.
fn complete_path(
    ctx: &mut Ctx<'_>,
    given: &Given,
    driver: &str,
    members: &[Member],
    horizon: Horizon,
) -> Option<Vec<Vec<f64>>> {
    let missing: Vec<String> = members
        .iter()
        .zip(&given.values)
        .filter(|(_, v)| v.is_empty())
        .map(|(m, _)| format!("{} ({})", m.id, m.name))
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "driver `{driver}` is given by year, but not for member {}",
            missing.join(", ")
        );
        let help = "give every member's values for at least one year; years not given are carried from the nearest given years";
        match &given.origin {
            Origin::Inline(span) => ctx.error_help(span.clone(), message, help),
            Origin::Csv(path) => ctx
                .errors
                .push(Diagnostic::whole_file(path, message).with_help(help)),
        }
        return None;
    }
    let years = (0..horizon.years).map(|t| horizon.first_year + t as i64);
    Some(
        years
            .map(|year| given.values.iter().map(|v| value_in(v, year)).collect())
            .collect(),
    )
}

/// The value of one member's path in `year` from its given years (not empty).
fn value_in(given: &BTreeMap<i64, f64>, year: i64) -> f64 {
    let before = given.range(..=year).next_back();
    let after = given.range(year..).next();
    match (before, after) {
        (Some((&y0, &v0)), Some((&y1, &v1))) if y1 > y0 => {
            v0 + (v1 - v0) * (year - y0) as f64 / (y1 - y0) as f64
        }
        (Some((_, &v)), _) | (None, Some((_, &v))) => v,
        (None, None) => f64::NAN,
    }
}

fn read_csv_node(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    files: &dyn FileSource,
    members: &[Member],
    drivers: &DriverTable,
    given: &mut BTreeMap<usize, Given>,
) {
    let Some(path) = as_str(ctx, node, "`csv` of [drivers_by_year]") else {
        return;
    };
    let text = match files.read(&path) {
        Ok(text) => text,
        Err(e) => {
            ctx.error_help(
                node.span(),
                format!("cannot read driver file `{path}`: {e}"),
                "the path is relative to the scenario file",
            );
            return;
        }
    };
    match super::drivers_by_year_csv::parse(&path, &text, members, drivers) {
        Ok(by_driver) => {
            for (driver, values) in by_driver {
                if given.contains_key(&driver) {
                    ctx.error_help(
                        node.span(),
                        format!(
                            "driver `{}` is given by year both inline and in `{path}`",
                            drivers.names()[driver]
                        ),
                        "give each driver's values in one place",
                    );
                    continue;
                }
                let origin = Origin::Csv(path.clone());
                given.insert(driver, Given { values, origin });
            }
        }
        Err(diagnostics) => ctx.errors.extend(diagnostics),
    }
}
