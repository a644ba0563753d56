//! `rule = "by_component"` of a key: a rule of its own for the pooled running cost of some
//! components, named one by one or by kind, and of some pooled running lines, and a default
//! rule for the rest (docs/MODEL.md §5c).
//!
//! ```toml
//! [[keys]]
//! name = "per service"
//! rule = "by_component"
//! default = { rule = "hybrid", fixed_part = 0.3, driver = "population" }
//! [keys.components]
//! "IT staff" = { rule = "proportional", driver = "users" }
//! [keys.kinds]
//! licence = { rule = "equal" }
//! [keys.lines]
//! "Shared finance and payroll system" = { rule = "equal" }
//! ```

use samkost_core::allocation::{ComponentRule, CostPart, KeyRule};
use samkost_core::model::{
    Basis, Category, Component, ComponentKind, CostLine, DriverTable, Member, Occurs,
};

use toml::de::DeValue;

use super::components::KINDS;
use super::diagnostic::closest;
use super::tree::{Ctx, Node, Table};

/// The fields of a key per component.
pub(super) const BY_COMPONENT_KEYS: &[&str] = &[
    "name",
    "rule",
    "default",
    "components",
    "kinds",
    "lines",
    "startup",
    "note",
];

/// The kind of `component` as written in `[[components]]`.
fn kind_name(component: &Component) -> &'static str {
    match component.kind {
        ComponentKind::Infrastructure { .. } => "infrastructure",
        ComponentKind::Licence { .. } => "licence",
        ComponentKind::Purchasing { .. } => "purchasing",
        ComponentKind::Staffing { .. } => "staffing",
    }
}

/// What a key per component needs from the rest of the scenario.
pub(super) struct Context<'a> {
    pub members: &'a [Member],
    pub drivers: &'a DriverTable,
    pub members_complete: bool,
    pub components: &'a [Component],
    pub lines: &'a [CostLine],
    pub has_events: bool,
    /// The `name` and `kind` of every `[[components]]` entry and the `name` of every
    /// `[[lines]]` entry as written, read or not: a name whose own entry has an error is not
    /// reported again under the key.
    pub declared: Declared,
}

/// Names and kinds as written in the file ([`Context::declared`]).
#[derive(Default)]
pub(super) struct Declared {
    pub components: Vec<String>,
    pub kinds: Vec<String>,
    pub lines: Vec<String>,
}

impl Declared {
    /// The names and kinds written in `[[components]]` and `[[lines]]`.
    pub(super) fn of(components: Option<&Node<'_>>, lines: Option<&Node<'_>>) -> Self {
        let field = |node: Option<&Node<'_>>, key: &str| -> Vec<String> {
            let Some(DeValue::Array(items)) = node.map(Node::get_ref) else {
                return Vec::new();
            };
            items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref().as_ref() == key),
                    _ => None,
                })
                .filter_map(|(_, v)| match v.get_ref() {
                    DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect()
        };
        Self {
            components: field(components, "name"),
            kinds: field(components, "kind"),
            lines: field(lines, "name"),
        }
    }
}

/// Reads a key per component: its default (running) rule and the rules of the components that
/// have one, in component order. A component named by name takes that rule even when its kind
/// has one too.
pub(super) fn read_by_component(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    scenario: &Context<'_>,
    read_rule: &dyn Fn(&mut Ctx<'_>, &Table<'_, '_>) -> Option<KeyRule>,
) -> Option<(KeyRule, Vec<ComponentRule>)> {
    let rule_fields = [
        "driver",
        "fixed_part",
        "shares",
        "prices",
        "per_member",
        "ex_post",
    ];
    for field in rule_fields {
        if let Some(node) = table.get(field) {
            let span = table
                .table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == field)
                .map_or(node.span(), |(k, _)| k.span());
            ctx.error_help(
                span,
                format!(
                    "`{field}` of {} belongs to one of its rules: a key per component has no rule of its own",
                    table.what
                ),
                match field {
                    "ex_post" => "remove it: the rules of a key per component are computed from drivers".to_owned(),
                    _ => format!(
                        "move it into `default = {{ rule = …, {field} = … }}` or into a component's rule"
                    ),
                },
            );
        }
    }
    let allowed: Vec<&str> = BY_COMPONENT_KEYS
        .iter()
        .chain(&rule_fields)
        .copied()
        .collect();
    table.check_keys(ctx, &allowed);
    let rule_span = table.get("rule").map_or(table.span.clone(), Node::span);
    if scenario.has_events {
        ctx.error_help(
            rule_span.clone(),
            format!(
                "{} splits the cost per component, which cannot be combined with membership events ([[events]])",
                table.what
            ),
            "remove the [[events]] or compare an ordinary key (rule = \"hybrid\", …) in this scenario",
        );
    }
    let default = match table.require(ctx, "default", "{ rule = \"hybrid\", fixed_part = 0.3 }") {
        Some(node) => sub_rule(ctx, node, format!("`default` of {}", table.what), read_rule),
        None => None,
    };
    let names: Vec<&str> = scenario
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut by_name: Vec<Option<KeyRule>> = vec![None; names.len()];
    let mut by_kind: Vec<Option<KeyRule>> = vec![None; KINDS.len()];
    let mut ok = true;
    let mut given = 0;
    for (name, span, rule) in sub_rules(ctx, table, "components", "component", read_rule) {
        given += 1;
        let Some(c) = names.iter().position(|n| *n == name) else {
            ok = false;
            if scenario.declared.components.contains(&name) {
                continue; // its own entry has an error, reported there
            }
            let help = match closest(&name, names.iter().copied()) {
                Some(best) => {
                    format!("did you mean `{best}`? components: {}", names.join(", "))
                }
                None if names.is_empty() => {
                    "the scenario has no [[components]]; add them or use an ordinary key".to_owned()
                }
                None => format!(
                    "name a component of [[components]] exactly; components: {}",
                    names.join(", ")
                ),
            };
            ctx.error_help(
                span,
                format!("`{name}` in {} is not a component", table.what),
                help,
            );
            continue;
        };
        ok &= rule.is_some();
        by_name[c] = rule;
    }
    for (kind, span, rule) in sub_rules(ctx, table, "kinds", "kind", read_rule) {
        given += 1;
        let Some(k) = KINDS.iter().position(|n| *n == kind) else {
            let help = match closest(&kind, KINDS.iter().copied()) {
                Some(best) => {
                    format!("did you mean `{best}`? kinds: {}", KINDS.join(", "))
                }
                None => format!("kinds: {}", KINDS.join(", ")),
            };
            ctx.error_help(
                span.clone(),
                format!("`{kind}` in {} is not a kind of component", table.what),
                help,
            );
            ok = false;
            continue;
        };
        if !scenario.components.iter().any(|c| kind_name(c) == kind) {
            ok = false;
            if scenario.declared.kinds.contains(&kind) {
                continue; // a component of that kind has an error, reported there
            }
            let kinds: Vec<String> = scenario
                .components
                .iter()
                .map(|c| format!("{} ({})", c.name, kind_name(c)))
                .collect();
            ctx.error_help(
                span.clone(),
                format!(
                    "{} gives a rule for kind `{kind}`, but no component is of that kind",
                    table.what
                ),
                format!(
                    "remove it or name a kind the scenario has; components: {}",
                    if kinds.is_empty() {
                        "none".to_owned()
                    } else {
                        kinds.join(", ")
                    }
                ),
            );
            continue;
        }
        ok &= rule.is_some();
        by_kind[k] = rule;
    }
    let mut line_rules: Vec<Option<KeyRule>> = vec![None; scenario.lines.len()];
    for (name, span, rule) in sub_rules(ctx, table, "lines", "line", read_rule) {
        given += 1;
        ok &= rule.is_some();
        let Some(l) = scenario.lines.iter().position(|l| l.name == name) else {
            ok = false;
            if scenario.declared.lines.contains(&name) {
                continue; // its own entry has an error, reported there
            }
            let names: Vec<&str> = scenario.lines.iter().map(|l| l.name.as_str()).collect();
            let help = match closest(&name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? lines: {}", names.join(", ")),
                None => format!(
                    "name a line of [[lines]] exactly; lines: {}",
                    names.join(", ")
                ),
            };
            ctx.error_help(
                span.clone(),
                format!("`{name}` in {} is not a line", table.what),
                help,
            );
            continue;
        };
        let line = &scenario.lines[l];
        if line.category != Category::Running
            || line.basis != Basis::Pooled
            || line.occurs == Occurs::Alone
        {
            ctx.error_help(
                span.clone(),
                format!(
                    "line `{name}` is not a pooled running cost of the cooperation, so {} has nothing of it to share",
                    table.what
                ),
                "only a line with category = \"running\", basis = \"pooled\" and occurs = \"together\" or \"always\" can have a rule of its own; start-up costs follow `startup`, a member's own costs are its own",
            );
            ok = false;
            continue;
        }
        line_rules[l] = rule;
    }
    if given == 0 {
        ctx.error_help(
            rule_span,
            format!("{} gives no rule for any component", table.what),
            "add `[keys.components]` with `\"<component name>\" = { rule = … }`, `[keys.kinds]` with e.g. `staffing = { rule = … }` or `[keys.lines]` with `\"<line name>\" = { rule = … }`; a key with one rule for everything is an ordinary key",
        );
        ok = false;
    }
    let default = default?;
    if !ok {
        return None;
    }
    let rules = scenario
        .components
        .iter()
        .enumerate()
        .filter_map(|(c, component)| {
            let kind = KINDS.iter().position(|k| *k == kind_name(component))?;
            let rule = by_name[c].clone().or_else(|| by_kind[kind].clone())?;
            Some(ComponentRule {
                part: CostPart::Component(c),
                rule,
            })
        })
        .chain(line_rules.into_iter().enumerate().filter_map(|(l, rule)| {
            Some(ComponentRule {
                part: CostPart::Line(l),
                rule: rule?,
            })
        }))
        .collect();
    Some((default, rules))
}

/// Each entry `"<name>" = { rule = … }` of the sub-table `field` of `table` (`[keys.<field>]`):
/// its name, the span of its name and its rule ([`sub_rule`]; `None` where the rule has an
/// error, reported), `label` naming one entry in messages. Nothing when the sub-table is
/// absent or not a table (reported).
fn sub_rules(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    field: &str,
    label: &str,
    read_rule: &dyn Fn(&mut Ctx<'_>, &Table<'_, '_>) -> Option<KeyRule>,
) -> Vec<(String, std::ops::Range<usize>, Option<KeyRule>)> {
    let Some(node) = table.get(field) else {
        return Vec::new();
    };
    let Some(list) = Table::from_node(ctx, node, format!("`{field}` of {}", table.what)) else {
        return Vec::new();
    };
    list.table
        .iter()
        .map(|(key, value)| {
            let name = key.get_ref().to_string();
            let what = format!("{label} `{name}` of {}", table.what);
            let rule = sub_rule(ctx, value, what, read_rule);
            (name, key.span(), rule)
        })
        .collect()
}

/// One rule table of a key per component: any rule computed from drivers, not a
/// game-theoretic one (those split the whole pooled cost).
fn sub_rule(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    what: String,
    read_rule: &dyn Fn(&mut Ctx<'_>, &Table<'_, '_>) -> Option<KeyRule>,
) -> Option<KeyRule> {
    let table = Table::from_node(ctx, node, what)?;
    table.check_keys(ctx, super::keys::RULE_KEYS);
    let rule = read_rule(ctx, &table)?;
    if let KeyRule::Game { method } = rule {
        let span = table.get("rule").map_or(table.span.clone(), Node::span);
        ctx.error_help(
            span,
            format!(
                "{} cannot use the game-theoretic rule \"{}\": it shares the whole pooled cost, not one component's",
                table.what,
                method.name()
            ),
            "use \"equal\", \"proportional\", \"hybrid\", \"fixed\" or \"price_list\" here, or compare the game-theoretic rule as a key of its own",
        );
        return None;
    }
    Some(rule)
}
