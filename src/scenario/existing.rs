//! `[existing]`: members that already pool their ICT, deciding whether to admit the others
//! (docs/MODEL.md §10c).
//!
//! ```toml
//! [existing]
//! members = ["3403", "3413"]   # at least two, not all: the others decide whether to join
//! key = "agreed shares"        # the key the existing cooperation uses today; default the first key
//! integration_cost = 500000    # each existing member's own work of admitting, NOK; default 0
//! ```

use samkost_core::allocation::{Key, KeyContext, KeyRule};
use samkost_core::model::{
    Component, DriverTable, ExistingCooperation, Member, MembershipEvent, shares_among,
};
use toml::de::DeValue;

use super::diagnostic::closest;
use super::tree::{Ctx, Node, Table, as_str, type_name};

/// What `[existing]` is checked against: the rest of the scenario, read before it.
pub struct Context<'a> {
    /// The scenario's members.
    pub members: &'a [Member],
    /// The scenario's keys.
    pub keys: &'a [Key],
    /// Driver values, for the existing key's shares.
    pub drivers: &'a DriverTable,
    /// Membership events.
    pub events: &'a [MembershipEvent],
    /// Components, whose pooling year must be the first operating year.
    pub components: &'a [Component],
    /// Year index of the first operating year `T₀` and the calendar year of index 0.
    pub operation_start: Option<usize>,
    /// Calendar year of year index 0.
    pub first_year: Option<i64>,
}

/// Reads `[existing]`; `None` without it or on an error (recorded in `ctx`).
pub fn read_existing(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    scenario: &Context<'_>,
) -> Option<ExistingCooperation> {
    let node = node?;
    let table = Table::from_node(ctx, node, "[existing]")?;
    table.check_keys(
        ctx,
        &["members", "key", "integration_cost", "source", "note"],
    );
    // Every field is checked before any is given up on, so that all problems are listed.
    let integration_cost = read_integration_cost(ctx, &table);
    let in_pool = read_pool(ctx, &table, scenario.members);
    let key = read_key(ctx, &table, scenario.keys);
    check_scenario(ctx, &table, scenario);
    let (integration_cost, in_pool, key) = (integration_cost?, in_pool?, key?);
    let t0 = scenario.operation_start?;
    let n = scenario.members.len();
    let rules = KeyContext {
        drivers: scenario.drivers,
        n_members: n,
        planning: None,
        first_operating_year: t0,
    };
    let shares = match key.running.shares(&rules) {
        Ok(shares) => shares,
        Err(e) => {
            ctx.error(
                table.get("key").map_or(table.span.clone(), |k| k.span()),
                format!("the shares of key `{}` in [existing]: {e}", key.name),
            );
            return None;
        }
    };
    let mut among = Vec::new();
    shares_among(&shares, &in_pool, &mut among);
    Some(ExistingCooperation {
        members: in_pool,
        shares: among,
        key: key.name.clone(),
        integration_cost,
    })
}

/// `integration_cost`: NOK per existing member, at least 0; default 0.
fn read_integration_cost(ctx: &mut Ctx<'_>, table: &Table<'_, '_>) -> Option<f64> {
    let Some((value, span)) = table.opt_f64(ctx, "integration_cost") else {
        return table.get("integration_cost").is_none().then_some(0.0);
    };
    if !value.is_finite() || !(0.0..=1e12).contains(&value) {
        ctx.error_help(
            span,
            format!("`integration_cost` in [existing] must lie between 0 and 1e12 NOK, got {value}"),
            "give each existing member's own cost of admitting the newcomers in NOK at first-year prices, e.g. `integration_cost = 500000`",
        );
        return None;
    }
    Some(value)
}

/// `members`: at least two of the scenario's members, not all of them, each once.
fn read_pool(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, members: &[Member]) -> Option<Vec<bool>> {
    let Some(node) = table.get("members") else {
        table.require(
            ctx,
            "members",
            "[\"3403\", \"3413\"] (the kommunenummer of the members that already cooperate)",
        );
        return None;
    };
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!(
                "`members` in [existing] must be an array, found {}",
                type_name(node.get_ref())
            ),
            "list the kommunenummer of the members that already cooperate, e.g. [\"3403\", \"3413\"]",
        );
        return None;
    };
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    let mut in_pool = vec![false; members.len()];
    let mut ok = true;
    for item in items.iter() {
        let Some(id) = as_str(ctx, item, "a member in [existing]") else {
            ok = false;
            continue;
        };
        let Some(i) = super::members::member_index(members, &id) else {
            let help = match closest(&id, ids.iter().copied()) {
                Some(best) => format!(
                    "did you mean \"{best}\"? the scenario's members are {}",
                    ids.join(", ")
                ),
                None => format!(
                    "name a member of the scenario by its kommunenummer: {}; the members that would join are listed among the members too",
                    ids.join(", ")
                ),
            };
            ctx.error_help(
                item.span(),
                format!("unknown member \"{id}\" in [existing]"),
                help,
            );
            ok = false;
            continue;
        };
        if in_pool[i] {
            ctx.error_help(
                item.span(),
                format!("member \"{id}\" is listed twice in [existing]"),
                "list each member of the existing cooperation once",
            );
            ok = false;
        }
        in_pool[i] = true;
    }
    if !ok {
        return None;
    }
    let count = in_pool.iter().filter(|&&x| x).count();
    if count < 2 {
        ctx.error_help(
            node.span(),
            format!("[existing] lists {count} member; an existing cooperation has at least two"),
            "list the members that already pool their ICT; a member alone today is left out of [existing] and is compared going alone",
        );
        return None;
    }
    if count == members.len() {
        ctx.error_help(
            node.span(),
            "[existing] lists every member of the scenario: there is no one to admit",
            "add the municipality that considers joining to `members`, or remove [existing] to compare the cooperation with going alone",
        );
        return None;
    }
    Some(in_pool)
}

/// `key`: the name of one of the scenario's keys with an agreed rule; default the first key.
fn read_key<'k>(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, keys: &'k [Key]) -> Option<&'k Key> {
    let (key, span) = match table.opt_str(ctx, "key") {
        Some((name, span)) => match keys.iter().find(|k| k.name == name) {
            Some(key) => (key, span),
            None => {
                let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
                let help = match closest(&name, names.iter().copied()) {
                    Some(best) => format!("did you mean \"{best}\"? keys: {}", names.join(", ")),
                    None => format!("name one of the scenario's [[keys]]: {}", names.join(", ")),
                };
                ctx.error_help(span, format!("unknown key \"{name}\" in [existing]"), help);
                return None;
            }
        },
        None => (keys.first()?, table.span.clone()),
    };
    if matches!(key.running, KeyRule::Game { .. }) {
        ctx.error_help(
            span,
            format!(
                "key `{}` of [existing] is a game-theoretic key, which is not the key an existing cooperation uses today",
                key.name
            ),
            "name a key with an agreed rule (equal, proportional, hybrid, fixed or price_list) as `key` in [existing]",
        );
        return None;
    }
    Some(key)
}

/// What an existing cooperation cannot be combined with: membership events, game-theoretic
/// keys, keys per component, a component pooled in another year than the first operating
/// year.
fn check_scenario(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, scenario: &Context<'_>) {
    if !scenario.events.is_empty() {
        ctx.error_help(
            table.span.clone(),
            "[existing] and [[events]] cannot be combined",
            "keep [existing] to ask whether the existing cooperation should admit the others from `operation_start`, or [[events]] for a cooperation started in the scenario",
        );
    }
    let games: Vec<&str> = scenario
        .keys
        .iter()
        .filter(|k| {
            matches!(k.running, KeyRule::Game { .. }) || matches!(k.startup, KeyRule::Game { .. })
        })
        .map(|k| k.name.as_str())
        .collect();
    if !games.is_empty() {
        ctx.error_help(
            table.span.clone(),
            format!(
                "game-theoretic keys cannot be used with [existing]: {}",
                games.join(", ")
            ),
            "remove those [[keys]]: their cost game counts every coalition as if it started from nothing, while the existing cooperation's start-up is already paid (docs/MODEL.md §10c)",
        );
    }
    let per_component: Vec<&str> = scenario
        .keys
        .iter()
        .filter(|k| !k.components.is_empty())
        .map(|k| k.name.as_str())
        .collect();
    if !per_component.is_empty() {
        ctx.error_help(
            table.span.clone(),
            format!(
                "keys per component cannot be used with [existing]: {}",
                per_component.join(", ")
            ),
            "compare an ordinary key (rule = \"hybrid\", …) in this scenario: a key per component splits each component's cost as the whole cooperation would pool it, while an existing cooperation's rows leave out what is already pooled (docs/MODEL.md §10c)",
        );
    }
    let (Some(t0), Some(first)) = (scenario.operation_start, scenario.first_year) else {
        return;
    };
    for component in scenario.components {
        if component.pooled_from != t0 {
            ctx.error_help(
                table.span.clone(),
                format!(
                    "component `{}` is pooled from {}, not from `operation_start` {}; with [existing] every component is pooled when the others are admitted",
                    component.name,
                    first + component.pooled_from as i64,
                    first + t0 as i64
                ),
                "remove `pooled_from` from the component, or remove [existing]",
            );
        }
    }
}
