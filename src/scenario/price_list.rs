//! `rule = "price_list"` of a key: unit prices per driver and a fee per member, billed during
//! the year and settled at year end (docs/MODEL.md §5b).
//!
//! ```toml
//! [[keys]]
//! name = "price list"
//! rule = "price_list"
//! prices = { users = 3500, devices = 1200, services = 40000 }   # NOK per unit per year
//! per_member = 150000                                            # NOK per member per year
//! ```

use samkost_core::allocation::{KeyRule, PriceList};
use samkost_core::model::DriverTable;

use super::diagnostic::closest;
use super::tree::{Ctx, Table, as_f64};

/// Reads the price list of a key's rule table.
pub fn read_price_list(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    drivers: &DriverTable,
) -> Option<KeyRule> {
    let mut ok = true;
    let mut unit_prices = Vec::new();
    let prices_node = table.get("prices");
    if let Some(node) = prices_node {
        let prices = Table::from_node(ctx, node, format!("`prices` of {}", table.what))?;
        for (key, value) in prices.table.iter() {
            let name = key.get_ref().to_string();
            let Some(driver) = drivers.index(&name) else {
                let names = drivers.names().join(", ");
                let help = match closest(&name, drivers.names().iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`? drivers: {names}"),
                    None => format!(
                        "declare it under [drivers] (e.g. `{name} = {{ per_inhabitant = 0.05 }}`) or give it for every member; drivers: {names}"
                    ),
                };
                ctx.error_help(
                    key.span(),
                    format!("unknown driver `{name}` in `prices` of {}", table.what),
                    help,
                );
                ok = false;
                continue;
            };
            let label = format!("price per unit of `{name}` in {}", table.what);
            match as_f64(ctx, value, &label) {
                Some(p) if p >= 0.0 => unit_prices.push((driver, p)),
                Some(p) => {
                    ctx.error_help(
                        value.span(),
                        format!("{label} must not be negative, got {p}"),
                        "give NOK per unit per year, 0 or more; the year-end settlement returns what was billed above the actual cost",
                    );
                    ok = false;
                }
                None => ok = false,
            }
        }
    }
    let per_member = match table.opt_f64(ctx, "per_member") {
        Some((v, _)) if v >= 0.0 => v,
        Some((v, span)) => {
            ctx.error_help(
                span,
                format!(
                    "`per_member` of {} must not be negative, got {v}",
                    table.what
                ),
                "give NOK per member per year, 0 or more",
            );
            ok = false;
            0.0
        }
        None => {
            ok &= table.get("per_member").is_none();
            0.0
        }
    };
    let bills_something = per_member > 0.0 || unit_prices.iter().any(|(_, p)| *p > 0.0);
    if ok && !bills_something {
        ctx.error_help(
            prices_node.map_or(table.span.clone(), |n| n.span()),
            format!("the price list of {} bills nothing", table.what),
            "give unit prices per driver, e.g. `prices = { users = 3500, devices = 1200 }`, and/or a fee `per_member = 150000`",
        );
        return None;
    }
    ok.then_some(KeyRule::PriceList(PriceList {
        unit_prices,
        per_member,
    }))
}
