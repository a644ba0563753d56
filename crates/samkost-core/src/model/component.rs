//! Structural cost components: why cooperation saves (or costs) money.
//!
//! Each component gives the yearly running cost of one *buyer* — a member alone, or a
//! coalition buying together — from the buyer's load on the component's driver (users,
//! inhabitants, workstations …). The same formula gives standalone costs (the buyer is one
//! member) and pooled costs (the buyer is the coalition), so that every coalition's cost comes
//! from the same place. Formulas and sources: docs/MODEL.md, "Components". Every coalition's
//! pooled cost at once, for the NPV game and the stability checks: `coalitions.rs`.

mod coalitions;

pub use coalitions::{CoalitionLoads, TierSpans};

use super::expr::Expr;

/// A component with the settings common to all kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Name shown in reports.
    pub name: String,
    /// Driver index the load is measured in.
    pub driver: usize,
    /// The cost curve.
    pub kind: ComponentKind,
    /// Year index from which coalitions buy this component together; before it, each member
    /// keeps its own.
    pub pooled_from: usize,
    /// Extra volume taken out once pooled, as a fraction of the pooled cost (scope growth).
    pub scope_growth: Expr,
    /// Yearly real growth of the cost (e.g. real wage growth for staff).
    pub growth: Expr,
}

/// A tier of a volume price list: from `from_units` (inclusive) the price per unit is `price`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Lower bound of the tier in driver units.
    pub from_units: f64,
    /// Price per unit per year.
    pub price: Expr,
}

/// Coordinated connections (network links, broadband digging).
#[derive(Debug, Clone, PartialEq)]
pub struct Connections {
    /// Driver counting the connections (sites, km).
    pub driver: usize,
    /// Yearly cost per connection when each member builds its own.
    pub unit_cost: Expr,
    /// Fraction saved per connection when digging and links are coordinated.
    pub coordination_saving: Expr,
}

/// The cost curves.
#[derive(Debug, Clone, PartialEq)]
pub enum ComponentKind {
    /// `F + u·R·(D/R)^β + connections`: a fixed cost per operating unit plus a concave
    /// term in the load (servers, storage, data centre, network operation).
    Infrastructure {
        /// Fixed cost per buyer `F`, NOK/yr.
        fixed: Expr,
        /// Cost per unit of load at the reference load `u`, NOK/unit/yr.
        unit_cost: Expr,
        /// Reference load `R` in driver units.
        reference: f64,
        /// Scale elasticity `β` (1: no economies of scale).
        exponent: Expr,
        /// Optional coordinated connections.
        connections: Option<Connections>,
    },
    /// Per-unit licence prices by volume tier, a fee per platform instance, and optionally an
    /// enterprise licence that the buyer takes when it is cheaper.
    Licence {
        /// Fee per platform instance (each buyer runs one), NOK/yr.
        platform_fee: Expr,
        /// Tiers sorted by `from_units`, the first from 0.
        tiers: Vec<Tier>,
        /// `true`: each unit pays the price of the tier it falls in (graduated); `false`: all
        /// units pay the price of the tier the total volume reaches (all-units discount).
        graduated: bool,
        /// Enterprise licence fee covering any volume, NOK/yr.
        enterprise_fee: Option<Expr>,
    },
    /// Equipment bought in cycles at a unit price that falls with the buyer's yearly volume:
    /// `V = k·D/L`, price `p·(1 − δ·V/(V + h))`.
    Purchasing {
        /// Units per driver unit `k` (e.g. 1.1 PCs per user).
        units_per_driver: Expr,
        /// List price per unit `p`, NOK.
        unit_price: Expr,
        /// Replacement cycle `L`, years.
        cycle_years: Expr,
        /// Largest discount `δ` (cap), fraction.
        max_discount: Expr,
        /// Yearly volume `h` at which half the largest discount is reached, units/yr.
        half_volume: Expr,
    },
    /// IT staff: `FTE = max(m, r·(D/R)^γ)` at a loaded salary, payroll tax by the employer's
    /// zone, and a recruitment/consultant premium `π/(1 + FTE/h)` that is largest for small
    /// environments.
    Staffing {
        /// Critical mass `m`, FTE per operating unit (on-call, holidays, security).
        critical_mass: Expr,
        /// Workload `r` in FTE at the reference load `R`.
        fte_at_reference: Expr,
        /// Reference load `R` in driver units.
        reference: f64,
        /// Workload elasticity `γ` (< 1: workload grows less than proportionally).
        exponent: Expr,
        /// Salary and social costs per FTE before payroll tax, NOK/yr.
        salary: Expr,
        /// Premium for the smallest environments `π`, fraction.
        premium_max: Expr,
        /// Staff size `h` at which the premium is halved, FTE.
        premium_half_fte: Expr,
        /// Retained local role `ρ`: the share of its staff alone that a member keeps when
        /// the component is pooled (system owners, ordering competence, local support).
        retained_share: Expr,
        /// Smallest retained local role per member, FTE.
        retained_floor: Expr,
    },
}

/// One draw's numbers for a component's cost curve, named as in [`ComponentKind`], with the
/// kind's fixed settings, so that a cost is computed from the values alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KindValues {
    /// See [`ComponentKind::Infrastructure`].
    Infrastructure {
        /// `F`, NOK/yr.
        fixed: f64,
        /// `u`, NOK/unit/yr.
        unit_cost: f64,
        /// `R`, driver units.
        reference: f64,
        /// `β`.
        exponent: f64,
        /// Connections: yearly cost per connection and the coordination saving.
        connections: Option<(f64, f64)>,
    },
    /// See [`ComponentKind::Licence`]; the tiers are in [`ComponentValues::tiers`].
    Licence {
        /// Fee per platform instance, NOK/yr.
        platform_fee: f64,
        /// Enterprise licence fee, NOK/yr.
        enterprise_fee: Option<f64>,
        /// Graduated (each unit at its tier's price) or all-units.
        graduated: bool,
    },
    /// See [`ComponentKind::Purchasing`].
    Purchasing {
        /// `k`.
        units_per_driver: f64,
        /// `p`, NOK.
        unit_price: f64,
        /// `L`, years.
        cycle_years: f64,
        /// `δ`.
        max_discount: f64,
        /// `h`, units/yr.
        half_volume: f64,
    },
    /// See [`ComponentKind::Staffing`].
    Staffing(StaffValues),
}

impl Default for KindValues {
    fn default() -> Self {
        KindValues::Licence {
            platform_fee: 0.0,
            enterprise_fee: None,
            graduated: false,
        }
    }
}

/// One draw's numbers for a staffing component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffValues {
    /// `m`, FTE.
    pub critical_mass: f64,
    /// `r`, FTE at the reference load.
    pub fte_at_reference: f64,
    /// `R`, driver units.
    pub reference: f64,
    /// `γ`.
    pub exponent: f64,
    /// Salary and social costs per FTE before payroll tax, NOK/yr.
    pub salary: f64,
    /// `π`.
    pub premium_max: f64,
    /// `h`, FTE.
    pub premium_half_fte: f64,
    /// `ρ`, fraction.
    pub retained_share: f64,
    /// Floor of the retained role, FTE.
    pub retained_floor: f64,
}

/// One draw's numbers for one component.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComponentValues {
    /// The cost curve's numbers.
    pub kind: KindValues,
    /// Tier thresholds and prices (licences).
    pub tiers: Vec<(f64, f64)>,
    /// Scope growth fraction.
    pub scope_growth: f64,
    /// `(1 + growth)^t` per year.
    pub growth_factors: Vec<f64>,
    /// Each member's cost alone (year-independent within a draw; filled by the model).
    pub alone: Vec<BuyerCost>,
    /// The grand coalition's pooled cost (filled by the model).
    pub grand: BuyerCost,
    /// Staffing: each member's retained local role once the component is pooled (filled by
    /// the model; empty for other kinds).
    pub retained: Vec<BuyerCost>,
    /// Scratch of the model: `(D/R)^β` of each member alone, then of the grand coalition.
    /// Like the logarithms below, it is part of the derived equality, so two values compare
    /// equal only when their buffers' histories agree too (nothing compares them).
    pub(crate) powers: Vec<f64>,
    /// Scratch of the model: `ln(D/R)` of each member alone, then of the grand coalition, kept
    /// from one draw to the next, and the `[D, R]` each was taken for.
    pub(crate) log_relative: Vec<f64>,
    pub(crate) log_keys: Vec<[f64; 2]>,
}

impl KindValues {
    /// The reference load `R` and exponent `β` of a curve with economies of scale
    /// `(D/R)^β` (infrastructure, staffing); `None` for the other kinds.
    pub(crate) fn scale(&self) -> Option<(f64, f64)> {
        match *self {
            KindValues::Infrastructure {
                reference,
                exponent,
                ..
            } => Some((reference, exponent)),
            KindValues::Staffing(x) => Some((x.reference, x.exponent)),
            KindValues::Licence { .. } | KindValues::Purchasing { .. } => None,
        }
    }
}

impl ComponentValues {
    /// The staff member `i` transfers when the component is pooled: its staff alone less its
    /// retained local role, at least 0.
    pub fn transferred_fte(&self, i: usize) -> f64 {
        let retained = self.retained.get(i).map_or(0.0, |r| r.fte);
        (self.alone[i].fte - retained).max(0.0)
    }
}

/// Who buys: one member, or a coalition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Buyer {
    /// Load on the component's driver.
    pub load: f64,
    /// Load on the connection driver (0 when the component has none).
    pub connection_load: f64,
    /// Whether connections are coordinated (a coalition of two or more).
    pub coordinated: bool,
    /// Payroll tax rate of the employer.
    pub payroll_tax: f64,
}

/// Cost of one buyer and, for staffing, its staff in FTE.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BuyerCost {
    /// NOK per year (before growth and scope growth).
    pub nok: f64,
    /// Staff, FTE (staffing only).
    pub fte: f64,
}

impl Component {
    /// The kind's expressions in a fixed order (evaluated once per draw).
    pub fn exprs(&self) -> Vec<&Expr> {
        match &self.kind {
            ComponentKind::Infrastructure {
                fixed,
                unit_cost,
                exponent,
                connections,
                ..
            } => {
                let mut v = vec![fixed, unit_cost, exponent];
                if let Some(c) = connections {
                    v.push(&c.unit_cost);
                    v.push(&c.coordination_saving);
                }
                v
            }
            ComponentKind::Licence {
                platform_fee,
                enterprise_fee,
                ..
            } => {
                let mut v = vec![platform_fee];
                if let Some(e) = enterprise_fee {
                    v.push(e);
                }
                v
            }
            ComponentKind::Purchasing {
                units_per_driver,
                unit_price,
                cycle_years,
                max_discount,
                half_volume,
            } => {
                vec![
                    units_per_driver,
                    unit_price,
                    cycle_years,
                    max_discount,
                    half_volume,
                ]
            }
            ComponentKind::Staffing {
                critical_mass,
                fte_at_reference,
                exponent,
                salary,
                premium_max,
                premium_half_fte,
                retained_share,
                retained_floor,
                ..
            } => {
                vec![
                    critical_mass,
                    fte_at_reference,
                    exponent,
                    salary,
                    premium_max,
                    premium_half_fte,
                    retained_share,
                    retained_floor,
                ]
            }
        }
    }

    /// The kind's numbers, each field from its expression through `value` (called in the
    /// order of [`Component::exprs`]; no allocation, so it can run once per draw).
    fn kind_values(&self, mut value: impl FnMut(&Expr) -> f64) -> KindValues {
        match &self.kind {
            ComponentKind::Infrastructure {
                fixed,
                unit_cost,
                reference,
                exponent,
                connections,
            } => {
                let (fixed, unit_cost, exponent) =
                    (value(fixed), value(unit_cost), value(exponent));
                KindValues::Infrastructure {
                    fixed,
                    unit_cost,
                    reference: *reference,
                    exponent,
                    connections: connections
                        .as_ref()
                        .map(|c| (value(&c.unit_cost), value(&c.coordination_saving))),
                }
            }
            ComponentKind::Licence {
                platform_fee,
                graduated,
                enterprise_fee,
                ..
            } => KindValues::Licence {
                platform_fee: value(platform_fee),
                enterprise_fee: enterprise_fee.as_ref().map(&mut value),
                graduated: *graduated,
            },
            ComponentKind::Purchasing {
                units_per_driver,
                unit_price,
                cycle_years,
                max_discount,
                half_volume,
            } => KindValues::Purchasing {
                units_per_driver: value(units_per_driver),
                unit_price: value(unit_price),
                cycle_years: value(cycle_years),
                max_discount: value(max_discount),
                half_volume: value(half_volume),
            },
            ComponentKind::Staffing {
                critical_mass,
                fte_at_reference,
                reference,
                exponent,
                salary,
                premium_max,
                premium_half_fte,
                retained_share,
                retained_floor,
            } => KindValues::Staffing(StaffValues {
                critical_mass: value(critical_mass),
                fte_at_reference: value(fte_at_reference),
                reference: *reference,
                exponent: value(exponent),
                salary: value(salary),
                premium_max: value(premium_max),
                premium_half_fte: value(premium_half_fte),
                retained_share: value(retained_share),
                retained_floor: value(retained_floor),
            }),
        }
    }

    /// Evaluates the component's expressions for one draw.
    pub fn evaluate(&self, params: &[f64], horizon: usize, out: &mut ComponentValues) {
        out.kind = self.kind_values(|e| e.eval(params));
        out.tiers.clear();
        if let ComponentKind::Licence { tiers, .. } = &self.kind {
            out.tiers
                .extend(tiers.iter().map(|t| (t.from_units, t.price.eval(params))));
        }
        out.scope_growth = self.scope_growth.eval(params);
        super::fill_growth(&mut out.growth_factors, self.growth.eval(params), horizon);
    }

    /// The connection driver, if the component has connections.
    pub fn connection_driver(&self) -> Option<usize> {
        match &self.kind {
            ComponentKind::Infrastructure {
                connections: Some(c),
                ..
            } => Some(c.driver),
            _ => None,
        }
    }

    /// Whether the component's cost includes staff subject to payroll tax.
    pub fn is_staffing(&self) -> bool {
        matches!(self.kind, ComponentKind::Staffing { .. })
    }

    /// Yearly cost of one buyer (before growth and scope growth).
    pub fn buyer_cost(&self, v: &ComponentValues, buyer: Buyer) -> BuyerCost {
        let power = match v.kind.scale() {
            Some((reference, exponent)) if buyer.load > 0.0 => {
                (buyer.load / reference).powf(exponent)
            }
            _ => 0.0,
        };
        self.buyer_cost_at(v, buyer, power)
    }

    /// [`Component::buyer_cost`] with the economies of scale's `(D/R)^β` given as `power`
    /// (read only for a load above 0 on an infrastructure or staffing curve).
    pub(crate) fn buyer_cost_at(&self, v: &ComponentValues, buyer: Buyer, power: f64) -> BuyerCost {
        match v.kind {
            KindValues::Infrastructure {
                fixed,
                unit_cost,
                reference,
                connections,
                ..
            } => {
                let scale = if buyer.load > 0.0 {
                    unit_cost * reference * power
                } else {
                    0.0
                };
                let links = connections.map_or(0.0, |(per_link, saving)| {
                    let saving = if buyer.coordinated { saving } else { 0.0 };
                    per_link * (1.0 - saving) * buyer.connection_load
                });
                BuyerCost {
                    nok: fixed + scale + links,
                    fte: 0.0,
                }
            }
            KindValues::Licence {
                platform_fee,
                enterprise_fee,
                graduated,
            } => {
                let volume = licence_volume_cost(&v.tiers, buyer.load, graduated);
                BuyerCost {
                    nok: platform_fee + enterprise_fee.map_or(volume, |fee| volume.min(fee)),
                    fte: 0.0,
                }
            }
            KindValues::Purchasing { .. } => BuyerCost {
                nok: purchasing_cost(&v.kind, buyer.load),
                fte: 0.0,
            },
            KindValues::Staffing(x) => {
                let fte = staff_needed(&x, buyer.load, power);
                BuyerCost {
                    nok: staff_cost(&x, fte, buyer.payroll_tax),
                    fte,
                }
            }
        }
    }

    /// Cost of a given staff size (staffing only; used when headcount is held up by transfer
    /// of undertaking).
    pub fn staff_cost(&self, v: &ComponentValues, fte: f64, payroll_tax: f64) -> f64 {
        match &v.kind {
            KindValues::Staffing(x) => staff_cost(x, fte, payroll_tax),
            _ => 0.0,
        }
    }

    /// Member's retained local role when the component is pooled, from its staff alone
    /// `alone_fte`: `max(floor, ρ · FTE_alone)` FTE at the salary and the member's own payroll
    /// tax `w · (1 + τ_i)` (no premium: the role is part of the member's existing staff).
    /// Zero for components that are not staffing.
    pub fn retained_role(
        &self,
        v: &ComponentValues,
        alone_fte: f64,
        payroll_tax: f64,
    ) -> BuyerCost {
        match &v.kind {
            KindValues::Staffing(x) if self.is_staffing() => {
                let fte = x.retained_floor.max(x.retained_share * alone_fte);
                BuyerCost {
                    nok: fte * x.salary * (1.0 + payroll_tax),
                    fte,
                }
            }
            _ => BuyerCost::default(),
        }
    }
}

/// `out[S] = exp(b · lr[S])`, the power `(load / reference)^b` of every buyer from
/// `lr = ln(load / reference)` (tabulated once per run for the coalitions, kept from draw to
/// draw for each member and the grand coalition), by the vector exponential
/// ([`crate::sampling::exp_each`]).
pub(super) fn powers(b: f64, log_relative: &[f64], out: &mut [f64]) {
    for (o, &lr) in out.iter_mut().zip(log_relative) {
        *o = b * lr;
    }
    crate::sampling::exp_each(out);
}

/// Staff a buyer with load `load` needs, `max(critical mass, FTE_ref · power)` with `power`
/// its `(load / reference)^b` (by `powf` in [`Component::buyer_cost`], by [`powers`] for many
/// buyers at once); none from the curve for a load of 0.
#[inline]
fn staff_needed(x: &StaffValues, load: f64, power: f64) -> f64 {
    let workload = if load > 0.0 {
        x.fte_at_reference * power
    } else {
        0.0
    };
    x.critical_mass.max(workload)
}

/// `FTE · salary · (1 + payroll tax) · (1 + π/(1 + FTE/h))`.
pub(super) fn staff_cost(x: &StaffValues, fte: f64, payroll_tax: f64) -> f64 {
    let premium = x.premium_max / (1.0 + fte / x.premium_half_fte);
    fte * x.salary * (1.0 + payroll_tax) * (1.0 + premium)
}

/// `V·p·(1 − δ·V/(V + h))` with `V = k·D/L`: a year's purchases at load `D` (0 for any other
/// kind).
#[inline]
fn purchasing_cost(kind: &KindValues, load: f64) -> f64 {
    let KindValues::Purchasing {
        units_per_driver,
        unit_price,
        cycle_years,
        max_discount,
        half_volume,
    } = *kind
    else {
        return 0.0;
    };
    let volume = units_per_driver * load / cycle_years;
    let discount = if volume > 0.0 {
        max_discount * volume / (volume + half_volume)
    } else {
        0.0
    };
    volume * unit_price * (1.0 - discount)
}

/// Cost of `units` licences on a tier list (thresholds ascending, first at 0).
fn licence_volume_cost(tiers: &[(f64, f64)], units: f64, graduated: bool) -> f64 {
    if units <= 0.0 || tiers.is_empty() {
        return 0.0;
    }
    if !graduated {
        let price = tiers
            .iter()
            .rev()
            .find(|(from, _)| units >= *from)
            .map_or(tiers[0].1, |t| t.1);
        return units * price;
    }
    let mut cost = 0.0;
    for (k, &(from, price)) in tiers.iter().enumerate() {
        let to = tiers.get(k + 1).map_or(f64::INFINITY, |t| t.0);
        if units > from {
            cost += (units.min(to) - from) * price;
        }
    }
    cost
}

#[cfg(test)]
mod tests;
