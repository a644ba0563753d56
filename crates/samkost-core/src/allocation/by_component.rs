//! Keys per component (docs/MODEL.md §5c): the pooled running cost of each named component (or
//! pooled running line) split by a rule of its own, the rest of the pooled running cost by the
//! key's default rule, the start-up cost by its start-up rule.
//!
//! Each rule gives [`Shares`] like any key's, one set per year when it follows a driver given
//! by year (§5a), else one set for every year. In year `t` member `i` pays
//!
//! ```text
//! s_i^def(t) · P^run(t) + Σ_c (s_i^c(t) − s_i^def(t)) · P_c(t) + s_i^start(t) · P^start(t)
//! ```
//!
//! with `P_c(t)` the pooled running cost of component `c`; every rule's shares sum to one, so
//! the members' payments add up to the pooled cost (invariant 6).

use super::{Key, KeyContext, KeyError, KeyRule, Shares};

/// A part of the pooled running cost that a key per component can split by a rule of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostPart {
    /// A component (index in the model's components): its pooled running cost.
    Component(usize),
    /// A pooled running cost line (index in the model's lines).
    Line(usize),
}

/// The rule a key applies to one part's pooled running cost.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentRule {
    /// The component or line.
    pub part: CostPart,
    /// The rule for it.
    pub rule: KeyRule,
}

/// The shares of a key per component: the default rule's, the start-up rule's and each named
/// component's, each per year (one row when constant).
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentShares {
    default: Vec<Shares>,
    startup: Vec<Shares>,
    components: Vec<(CostPart, Vec<Shares>)>,
}

/// Row `t` of a list of yearly shares; the only row when constant, the last beyond the horizon.
fn row(rows: &[Shares], t: usize) -> &[f64] {
    &rows[t.min(rows.len().saturating_sub(1))]
}

impl ComponentShares {
    /// The default rule's shares in year index `t` (the running cost that is no named
    /// component's, and the pooled accounting items).
    pub fn default_in(&self, t: usize) -> &[f64] {
        row(&self.default, t)
    }

    /// The start-up rule's shares in year index `t`.
    pub fn startup_in(&self, t: usize) -> &[f64] {
        row(&self.startup, t)
    }

    /// Number of parts with a rule of their own.
    pub fn len(&self) -> usize {
        self.components.len()
    }

    /// Whether no part has a rule of its own.
    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }

    /// The part of rule `j`.
    pub fn part(&self, j: usize) -> CostPart {
        self.components[j].0
    }

    /// Rule `j`'s shares in year index `t`.
    pub fn component_in(&self, j: usize, t: usize) -> &[f64] {
        row(&self.components[j].1, t)
    }
}

/// The shares of `rule`: one row per year when it follows a driver given by year, else one.
fn rows(rule: &KeyRule, ctx: &KeyContext<'_>) -> Result<Vec<Shares>, KeyError> {
    let years = rule
        .driver_with_path(ctx.drivers)
        .and_then(|d| ctx.drivers.path(d))
        .map(<[Vec<f64>]>::len)
        .filter(|h| *h > 0);
    match years {
        Some(h) => (0..h)
            .map(|t| Shares::new(rule.shares_in_year(ctx, Some(t))?))
            .collect(),
        None => Ok(vec![Shares::new(rule.shares(ctx)?)?]),
    }
}

/// The per-component shares of `key`, or `None` for a key without component rules.
pub(super) fn component_shares(
    key: &Key,
    ctx: &KeyContext<'_>,
) -> Result<Option<ComponentShares>, KeyError> {
    if key.components.is_empty() {
        return Ok(None);
    }
    let components = key
        .components
        .iter()
        .map(|c| Ok((c.part, rows(&c.rule, ctx)?)))
        .collect::<Result<Vec<_>, KeyError>>()?;
    Ok(Some(ComponentShares {
        default: rows(&key.running, ctx)?,
        startup: rows(&key.startup, ctx)?,
        components,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DriverTable;

    fn two_members() -> DriverTable {
        super::super::tests::table(&[1000.0, 3000.0])
    }

    /// Default equal (1/2), component 1 by population (1/4, 3/4), start-up by population; a
    /// driver path on population (years 0 and 1) makes the population rules yearly while the
    /// equal default stays one row.
    #[test]
    fn each_rule_keeps_its_own_shares() {
        let mut drivers = two_members();
        drivers.set_path(0, vec![vec![1000.0, 3000.0], vec![2000.0, 2000.0]]);
        let ctx = KeyContext {
            drivers: &drivers,
            n_members: 2,
            planning: None,
            first_operating_year: 0,
        };
        let key = Key {
            name: "k".to_owned(),
            running: KeyRule::Equal,
            startup: KeyRule::Proportional { driver: 0 },
            ex_post: false,
            components: vec![ComponentRule {
                part: CostPart::Component(1),
                rule: KeyRule::Proportional { driver: 0 },
            }],
        };
        let shares = component_shares(&key, &ctx).unwrap().unwrap();
        assert_eq!(shares.len(), 1);
        assert_eq!(shares.part(0), CostPart::Component(1));
        assert_eq!(shares.default_in(5), &[0.5, 0.5]);
        assert_eq!(shares.component_in(0, 0), &[0.25, 0.75]);
        assert_eq!(shares.component_in(0, 1), &[0.5, 0.5]);
        assert_eq!(
            shares.component_in(0, 9),
            &[0.5, 0.5],
            "the last year's beyond"
        );
        assert_eq!(shares.startup_in(0), &[0.25, 0.75]);
        let plain = Key::uniform("p", KeyRule::Equal);
        assert_eq!(component_shares(&plain, &ctx).unwrap(), None);
    }
}
