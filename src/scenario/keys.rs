//! Allocation keys: `[[keys]]` tables.

use std::collections::BTreeMap;

use samkost_core::allocation::{GameMethod, Key, KeyRule};
use samkost_core::model::{DriverTable, Member};
use toml::de::DeValue;

use super::component_keys;
use super::diagnostic::closest;
use super::ranges::SHARE;
use super::tree::{Ctx, Node, Table, array_of_tables, as_f64, type_name};

/// The rules computed from member drivers; the game-theoretic rules follow them, by the game
/// crate's one list of methods ([`GameMethod::ALL`]).
pub(super) const DRIVER_RULES: [&str; 5] =
    ["equal", "proportional", "hybrid", "fixed", "price_list"];

/// The rule of a key per component (docs/MODEL.md §5c), which holds rules of its own.
const BY_COMPONENT: &str = "by_component";

/// Every rule name, in the order of the error messages.
fn rules() -> Vec<&'static str> {
    DRIVER_RULES
        .into_iter()
        .chain([BY_COMPONENT])
        .chain(GameMethod::ALL.map(GameMethod::name))
        .collect()
}
const KEY_KEYS: &[&str] = &[
    "name",
    "rule",
    "driver",
    "fixed_part",
    "shares",
    "prices",
    "per_member",
    "startup",
    "ex_post",
    "note",
];
pub(super) const RULE_KEYS: &[&str] = &[
    "rule",
    "driver",
    "fixed_part",
    "shares",
    "prices",
    "per_member",
];

/// Reads every `[[keys]]` entry, with the notes given (`note = "…"`) by key name.
pub fn read_keys(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    scenario: &component_keys::Context<'_>,
) -> (Vec<Key>, BTreeMap<String, String>) {
    let (members, drivers, members_complete) = (
        scenario.members,
        scenario.drivers,
        scenario.members_complete,
    );
    let Some(node) = node else {
        ctx.error_help(
            0..0,
            "the scenario has no allocation keys",
            "add [[keys]] tables, e.g. `name = \"30/70\"`, `rule = \"hybrid\"`, `fixed_part = 0.3`",
        );
        return (Vec::new(), BTreeMap::new());
    };
    let Some(items) = array_of_tables(
        ctx,
        node,
        "keys",
        "write each key as a [[keys]] table with a `name` and a `rule`",
        None,
    ) else {
        return (Vec::new(), BTreeMap::new());
    };
    let mut keys: Vec<Key> = Vec::new();
    let mut notes = BTreeMap::new();
    for (idx, item) in items.iter().enumerate() {
        let Some((table, name)) = Table::named(ctx, item, "key", idx, "\"30/70\"") else {
            continue;
        };
        let by_component = table.get("rule").is_some_and(
            |n| matches!(n.get_ref(), DeValue::String(rule) if rule.as_ref() == BY_COMPONENT),
        );
        let mut components = Vec::new();
        let running = if by_component {
            let read = |ctx: &mut Ctx<'_>, t: &Table<'_, '_>| {
                read_rule(ctx, t, members, drivers, members_complete)
            };
            component_keys::read_by_component(ctx, &table, scenario, &read).map(
                |(default, rules)| {
                    components = rules;
                    default
                },
            )
        } else {
            table.check_keys(ctx, KEY_KEYS);
            read_rule(ctx, &table, members, drivers, members_complete)
        };
        let startup = match table.get("startup") {
            Some(node) => Table::from_node(ctx, node, format!("`startup` of {}", table.what))
                .and_then(|t| {
                    t.check_keys(ctx, RULE_KEYS);
                    read_rule(ctx, &t, members, drivers, members_complete)
                }),
            None => running.clone(),
        };
        let (Some(name), Some(running), Some(startup)) = (name, running, startup) else {
            continue;
        };
        if keys.iter().any(|k| k.name == name) {
            ctx.error_help(
                item.span(),
                format!("two keys are named `{name}`"),
                "give each key its own name",
            );
            continue;
        }
        let ex_post = match table.get("ex_post") {
            Some(node) => match node.get_ref() {
                DeValue::Boolean(b) => *b,
                other => {
                    ctx.error(
                        node.span(),
                        format!(
                            "`ex_post` of {} must be true or false, found {}",
                            table.what,
                            type_name(other)
                        ),
                    );
                    false
                }
            },
            None => false,
        };
        if ex_post
            && !matches!(running, KeyRule::Game { .. })
            && !matches!(startup, KeyRule::Game { .. })
        {
            let span = table
                .get("ex_post")
                .map_or(table.span.clone(), |n| n.span());
            ctx.error_help(
                span,
                format!(
                    "`ex_post` of {} only applies to game-theoretic rules",
                    table.what
                ),
                "use it with rule = \"shapley\", \"nucleolus\", …, or remove it",
            );
        }
        if let Some((note, _)) = table.opt_str(ctx, "note") {
            notes.insert(name.clone(), note);
        }
        keys.push(Key {
            name,
            running,
            startup,
            ex_post,
            components,
        });
    }
    (keys, notes)
}

fn read_rule(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    members: &[Member],
    drivers: &DriverTable,
    members_complete: bool,
) -> Option<KeyRule> {
    let rule = match table.get("rule") {
        Some(_) => table.opt_choice(ctx, "rule", &rules())?.0,
        None => {
            table.require(
                ctx,
                "rule",
                "\"equal\" | \"proportional\" | \"hybrid\" | \"fixed\" | \"price_list\"",
            );
            return None;
        }
    };
    let mut driver = || -> Option<usize> {
        match table.get("driver") {
            None => Some(0),
            Some(node) => driver_index(ctx, node, drivers, &table.what),
        }
    };
    if let Some(method) = GameMethod::from_name(&rule) {
        return Some(KeyRule::Game { method });
    }
    if rule == BY_COMPONENT {
        let span = table.get("rule").map_or(table.span.clone(), Node::span);
        ctx.error_help(
            span,
            format!("{} cannot itself be split by component", table.what),
            "rule = \"by_component\" belongs on the key; give this part \"equal\", \"proportional\", \"hybrid\", \"fixed\" or \"price_list\"",
        );
        return None;
    }
    match rule.as_str() {
        "equal" => Some(KeyRule::Equal),
        "proportional" => Some(KeyRule::Proportional { driver: driver()? }),
        "hybrid" => {
            let driver = driver();
            let fixed_part = match table.get("fixed_part") {
                Some(node) => as_f64(ctx, node, &format!("`fixed_part` of {}", table.what))
                    .and_then(|v| {
                        if (0.0..=1.0).contains(&v) {
                            Some(v)
                        } else {
                            ctx.error_help(
                                node.span(),
                                format!(
                                    "`fixed_part` of {} must lie between 0 and 1, got {v}",
                                    table.what
                                ),
                                format!("{}; 30/70 is `fixed_part = 0.3`", SHARE.fix(v)),
                            );
                            None
                        }
                    }),
                None => {
                    table.require(ctx, "fixed_part", "0.3");
                    None
                }
            };
            Some(KeyRule::Hybrid {
                fixed_part: fixed_part?,
                driver: driver?,
            })
        }
        "price_list" => super::price_list::read_price_list(ctx, table, drivers),
        _ if !members_complete => None,
        _ => fixed_shares(ctx, table, members),
    }
}

fn driver_index(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    drivers: &DriverTable,
    what: &str,
) -> Option<usize> {
    let name = super::tree::as_str(ctx, node, &format!("`driver` of {what}"))?;
    match drivers.index(&name) {
        Some(d) => Some(d),
        None => {
            let names = drivers.names().join(", ");
            let help = match closest(&name, drivers.names().iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? drivers: {names}"),
                None => format!("drivers: {names}"),
            };
            ctx.error_help(
                node.span(),
                format!("unknown driver `{name}` in {what}"),
                help,
            );
            None
        }
    }
}

fn fixed_shares(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, members: &[Member]) -> Option<KeyRule> {
    let node = table.require(ctx, "shares", "{ \"1517\" = 0.12, … }")?;
    let shares_table = Table::from_node(ctx, node, format!("`shares` of {}", table.what))?;
    let mut shares = vec![f64::NAN; members.len()];
    let mut ok = true;
    for (key, value) in shares_table.table.iter() {
        let id = key.get_ref().to_string();
        let Some(idx) = super::members::member_index(members, &id) else {
            let help = match closest(&id, members.iter().map(|m| m.id.as_str())) {
                Some(best) => format!("did you mean `{best}`? members: {}", member_list(members)),
                None => format!("members: {}", member_list(members)),
            };
            ctx.error_help(
                key.span(),
                format!("`{id}` in {} is not a member", table.what),
                help,
            );
            ok = false;
            continue;
        };
        match as_f64(ctx, value, &format!("share of {id}")) {
            Some(v) if (0.0..=1.0).contains(&v) => shares[idx] = v,
            Some(v) => {
                ctx.error_help(
                    value.span(),
                    format!("share of {id} must lie between 0 and 1, got {v}"),
                    SHARE.fix(v),
                );
                ok = false;
            }
            None => ok = false,
        }
    }
    let missing: Vec<&str> = members
        .iter()
        .zip(&shares)
        .filter(|(_, s)| s.is_nan())
        .map(|(m, _)| m.id.as_str())
        .collect();
    if ok && !missing.is_empty() {
        ctx.error_help(
            node.span(),
            format!("{} gives no share for {}", table.what, missing.join(", ")),
            "give every member a share",
        );
        return None;
    }
    let sum: f64 = shares.iter().sum();
    if ok && (sum - 1.0).abs() > 1e-6 {
        ctx.error_help(
            node.span(),
            format!("shares of {} sum to {sum}, not 1", table.what),
            "fixed shares are fractions of the pooled cost and must add up to 1",
        );
        return None;
    }
    ok.then_some(KeyRule::Fixed { shares })
}

fn member_list(members: &[Member]) -> String {
    members
        .iter()
        .map(|m| format!("{} ({})", m.id, m.name))
        .collect::<Vec<_>>()
        .join(", ")
}
