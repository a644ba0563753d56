//! `[[events]]`: members leaving or joining, a wind-up (docs/MODEL.md §10b).
//!
//! ```toml
//! [[events]]
//! kind = "leave"          # "leave", "join" or "wind_up"
//! member = "3411"         # leave and join
//! year = 2031             # the year the change takes effect
//! notice_years = 1        # leave: years of notice before (IKS-loven § 30: one year)
//! probability = 0.05      # optional: each year from `year` on, if it has not happened yet
//! ```

use samkost_core::model::{EventKind, ExitRules, Member, MembershipEvent, Settlement};

use super::diagnostic::closest;
use super::lines::Horizon;
use super::tree::{Ctx, Node, Table, array_of_tables};

/// Keys an event table may have.
const EVENT_KEYS: &[&str] = &[
    "kind",
    "member",
    "year",
    "notice_years",
    "probability",
    "entry_fee",
    "buy_in",
    "transition_cost",
    "cost",
    "source",
    "note",
];

/// Reads `[exit]`: how a leaver is settled and the notice a leave takes by default, for
/// stability over time (docs/MODEL.md §10a) and the events (§10b).
///
/// ```toml
/// [exit]
/// settlement = "book_value"   # or "none"
/// notice_years = 1
/// ```
pub fn read_exit(ctx: &mut Ctx<'_>, node: Option<&Node<'_>>) -> ExitRules {
    let mut rules = ExitRules::default();
    let Some(node) = node else {
        return rules;
    };
    let Some(table) = Table::from_node(ctx, node, "[exit]") else {
        return rules;
    };
    table.check_keys(ctx, &["settlement", "notice_years", "source", "note"]);
    if let Some((choice, _)) = table.opt_choice(ctx, "settlement", &["book_value", "none"]) {
        rules.settlement = if choice == "none" {
            Settlement::None
        } else {
            Settlement::BookValue
        };
    }
    if let Some(years) = notice(ctx, &table) {
        rules.notice_years = years;
    }
    rules
}

/// `notice_years` of a table, between 0 and 10.
fn notice(ctx: &mut Ctx<'_>, table: &Table<'_, '_>) -> Option<usize> {
    let (years, span) = table.opt_i64(ctx, "notice_years")?;
    if !(0..=10).contains(&years) {
        ctx.error_help(
            span,
            format!(
                "`notice_years` in {} must lie between 0 and 10, got {years}",
                table.what
            ),
            "IKS-loven § 30 gives one year; agreements commonly two",
        );
        return None;
    }
    Some(years as usize)
}

/// Reads every `[[events]]` entry. `operation_start` is the year index `T₀`; a leave without
/// `notice_years` takes `exit.notice_years`.
pub fn read_events(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    members: &[Member],
    horizon: Option<Horizon>,
    operation_start: Option<usize>,
    exit: ExitRules,
) -> Vec<MembershipEvent> {
    let Some(node) = node else {
        return Vec::new();
    };
    let Some(items) = array_of_tables(
        ctx,
        node,
        "events",
        "write each event as a [[events]] table",
        None,
    ) else {
        return Vec::new();
    };
    let (Some(horizon), Some(t0)) = (horizon, operation_start) else {
        return Vec::new();
    };
    let mut events = Vec::new();
    // Where each event read stands, for the check against the wind-up below.
    let mut spans = Vec::new();
    // The event of each member already read, and the wind-up, with their calendar years.
    let mut seen: Vec<Option<i64>> = vec![None; members.len()];
    let mut wind_up: Option<i64> = None;
    for (idx, item) in items.iter().enumerate() {
        let Some(table) = Table::from_node(ctx, item, format!("[[events]] #{}", idx + 1)) else {
            continue;
        };
        table.check_keys(ctx, EVENT_KEYS);
        if let Some(event) = read_event(ctx, &table, members, horizon, (t0, exit.notice_years)) {
            let year = horizon.first_year + event.year as i64;
            let member_span = table.get("member").map_or(table.span.clone(), |n| n.span());
            if let Some(m) = event.member() {
                if let Some(first) = seen[m] {
                    ctx.error_help(
                        member_span,
                        format!(
                            "member `{}` already has an event (in {first}) in {}",
                            members[m].id, table.what
                        ),
                        "give each member at most one event: a member that joins stays, a member that leaves stays out",
                    );
                    continue;
                }
                seen[m] = Some(year);
            } else if let Some(first) = wind_up {
                ctx.error_help(
                    table.span.clone(),
                    format!("the cooperation is already wound up in {first}"),
                    "keep one wind_up event",
                );
                continue;
            } else {
                wind_up = Some(year);
            }
            events.push(event);
            spans.push(table.span.clone());
        }
    }
    if let Some(end) = wind_up {
        for (event, span) in events.iter().zip(spans) {
            let year = horizon.first_year + event.year as i64;
            if event.member().is_some() && year > end {
                ctx.error_help(
                    span,
                    format!(
                        "this event in {year} comes after the cooperation is wound up in {end}"
                    ),
                    "move the event before the wind-up, or remove it",
                );
            }
        }
    }
    events
}

fn read_event(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    members: &[Member],
    horizon: Horizon,
    (t0, default_notice): (usize, usize),
) -> Option<MembershipEvent> {
    let kind = match table.get("kind") {
        None => {
            table.require(ctx, "kind", "\"leave\" (or \"join\", \"wind_up\")");
            return None;
        }
        Some(_) => {
            table
                .opt_choice(ctx, "kind", &["leave", "join", "wind_up"])?
                .0
        }
    };
    let member = read_member(ctx, table, members, &kind);
    let year = read_year(ctx, table, horizon, t0, &kind);
    let probability = match table.opt_f64(ctx, "probability") {
        Some((p, span)) if !(p > 0.0 && p <= 1.0) => {
            ctx.error_help(
                span,
                format!(
                    "`probability` in {} must lie in (0, 1], got {p}",
                    table.what
                ),
                "give the yearly probability as a fraction: 5 % a year is `probability = 0.05`",
            );
            return None;
        }
        other => other.map(|(p, _)| p),
    };
    let notice = notice(ctx, table);
    let amount = |ctx: &mut Ctx<'_>, key: &str, allowed: bool| -> Option<f64> {
        let (value, span) = table.opt_f64(ctx, key)?;
        if !allowed {
            ctx.error_help(
                span,
                format!("`{key}` does not apply to a {kind} event ({})", table.what),
                "remove it: `entry_fee`, `buy_in` and `transition_cost` are for joins, `cost` for a wind-up",
            );
            return None;
        }
        if !value.is_finite() || !(0.0..=1e12).contains(&value) {
            ctx.error_help(
                span,
                format!(
                    "`{key}` in {} must lie between 0 and 1e12 NOK, got {value}",
                    table.what
                ),
                "give the amount in NOK at first-year prices",
            );
            return None;
        }
        Some(value)
    };
    let is_join = kind == "join";
    let entry_fee = amount(ctx, "entry_fee", is_join).unwrap_or(0.0);
    let transition_cost = amount(ctx, "transition_cost", is_join).unwrap_or(0.0);
    let cost = amount(ctx, "cost", kind == "wind_up").unwrap_or(0.0);
    let buy_in = match table.opt_bool(ctx, "buy_in") {
        Some((_, span)) if !is_join => {
            ctx.error_help(
                span,
                format!("`buy_in` does not apply to a {kind} event ({})", table.what),
                "remove it: a joiner buys in, a leaver is settled",
            );
            false
        }
        Some((b, _)) => b,
        None => is_join,
    };
    let kind = match kind.as_str() {
        "leave" => EventKind::Leave { member: member? },
        "join" => EventKind::Join {
            member: member?,
            entry_fee,
            buy_in,
            transition_cost,
        },
        _ => EventKind::WindUp { cost },
    };
    Some(MembershipEvent {
        kind,
        year: year?,
        notice_years: notice.unwrap_or(default_notice),
        probability,
    })
}

/// The member of a leave or join event (none for a wind-up).
fn read_member(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    members: &[Member],
    kind: &str,
) -> Option<usize> {
    if kind == "wind_up" {
        if let Some(node) = table.get("member") {
            ctx.error_help(
                node.span(),
                format!("a wind_up event has no `member` ({})", table.what),
                "remove `member`: a wind-up sends every member back alone; use kind = \"leave\" for one member",
            );
        }
        return None;
    }
    let (id, span) = match table.get("member") {
        None => {
            table.require(ctx, "member", "\"3403\" (a member's kommunenummer)");
            return None;
        }
        Some(_) => table.opt_str(ctx, "member")?,
    };
    if let Some(i) = super::members::member_index(members, &id) {
        return Some(i);
    }
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    let help = match closest(&id, ids.iter().copied()) {
        Some(best) => format!(
            "did you mean \"{best}\"? the scenario's members are {}",
            ids.join(", ")
        ),
        None => format!(
            "name a member of the scenario by its kommunenummer: {}; a member that joins later is listed among the members too",
            ids.join(", ")
        ),
    };
    ctx.error_help(
        span,
        format!("unknown member \"{id}\" in {}", table.what),
        help,
    );
    None
}

/// The event's year index: within the horizon; a leave or wind-up from the first operating
/// year on, a join after it.
fn read_year(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    horizon: Horizon,
    t0: usize,
    kind: &str,
) -> Option<usize> {
    let Some((year, span)) = table.opt_i64(ctx, "year") else {
        if table.get("year").is_none() {
            table.require(ctx, "year", "2031 (the year the change takes effect)");
        }
        return None;
    };
    let help = format!(
        "give a year from {} to {}, or lengthen `horizon_years`",
        horizon.first_year,
        horizon.last_year()
    );
    let subject = format!("`year` {year} in {}", table.what);
    let index = horizon.index(ctx, (year, span.clone()), subject, help)?;
    let start = horizon.first_year + t0 as i64;
    if kind != "join" && index < t0 {
        ctx.error_help(
            span,
            format!(
                "`year` {year} in {} is before the cooperation operates ({start})",
                table.what
            ),
            format!(
                "a member can leave, or the cooperation be wound up, from the first operating year {start} on; a member that never takes part is left out of `members`"
            ),
        );
        return None;
    }
    if kind == "join" && index <= t0 {
        ctx.error_help(
            span,
            format!(
                "the member is already in the cooperation in {year}: {} joins by the first operating year {start}",
                table.what
            ),
            format!(
                "a member in from {start} is a founding member: remove the event; a join takes effect after {start}"
            ),
        );
        return None;
    }
    Some(index)
}
