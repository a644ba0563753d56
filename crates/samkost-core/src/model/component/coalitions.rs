//! Every coalition's pooled cost of one component at once: the loads of all coalitions,
//! fixed for a run ([`CoalitionLoads`], with the licence tiers each load falls in,
//! [`TierSpans`]), and a draw's pooled cost and pooled staff of each
//! ([`Component::pooled_costs`], [`Component::pooled_staff`]) by the formulas of
//! [`Component::buyer_cost`], what the NPV game and the stability checks read
//! (docs/MODEL.md §4a, §10).

#[cfg(doc)]
use super::licence_volume_cost;
use super::{
    BuyerCost, Component, ComponentKind, ComponentValues, KindValues, powers, purchasing_cost,
    staff_cost, staff_needed,
};

impl Component {
    /// The pooled cost `nok` of many coalitions at once: coalition `k` buys with load
    /// `loads[k]` (`log_relative[k] = ln(loads[k] / reference)`, tabulated once per run) and
    /// `connections[k]` connections, coordinated, employing at `payroll_tax`. The same
    /// formulas as [`Component::buyer_cost`], with `(D/R)^β` as `exp(β · ln(D/R))` (a vector
    /// exponential within 1 ulp of `f64::exp`, docs/MODEL.md §4a).
    pub fn pooled_costs(
        &self,
        v: &ComponentValues,
        table: &CoalitionLoads,
        payroll_tax: f64,
        out: &mut [f64],
    ) {
        let (loads, log_relative) = (&table.loads[..], &table.log_relative[..]);
        let connections = &table.connections[..];
        match v.kind {
            KindValues::Infrastructure {
                fixed,
                unit_cost,
                reference,
                exponent,
                connections: links,
            } => {
                let unit = unit_cost * reference;
                let per_link = links.map_or(0.0, |(cost, saving)| cost * (1.0 - saving));
                powers(exponent, log_relative, out);
                for ((o, &load), &conn) in out.iter_mut().zip(loads).zip(connections) {
                    let scale = if load > 0.0 { unit * *o } else { 0.0 };
                    *o = fixed + scale + per_link * conn;
                }
            }
            KindValues::Staffing(x) => {
                powers(x.exponent, log_relative, out);
                for (o, &load) in out.iter_mut().zip(loads) {
                    *o = staff_cost(&x, staff_needed(&x, load, *o), payroll_tax);
                }
            }
            KindValues::Licence {
                platform_fee,
                enterprise_fee,
                ..
            } => {
                for (mask, o) in out.iter_mut().enumerate().take(loads.len()) {
                    let volume = table.tiers.volume_cost(mask, &v.tiers);
                    *o = platform_fee + enterprise_fee.map_or(volume, |fee| volume.min(fee));
                }
            }
            KindValues::Purchasing { .. } => {
                for (o, &load) in out.iter_mut().zip(loads) {
                    *o = purchasing_cost(&v.kind, load);
                }
            }
        }
    }

    /// The pooled staff `fte` and their cost `nok` of many coalitions at once, for a staffing
    /// component (nothing for any other kind): coalition `k` needs
    /// `max(critical mass, FTE_ref · exp(b · log_relative[k]))` FTE, the formula of
    /// [`Component::buyer_cost`] with the power taken through the tabulated logarithm, as in
    /// [`Component::pooled_costs`].
    pub fn pooled_staff(
        &self,
        v: &ComponentValues,
        table: &CoalitionLoads,
        payroll_tax: f64,
        (out, scratch): (&mut Vec<BuyerCost>, &mut Vec<f64>),
    ) {
        out.clear();
        let KindValues::Staffing(x) = v.kind else {
            return;
        };
        scratch.clear();
        scratch.resize(table.log_relative.len(), 0.0);
        powers(x.exponent, &table.log_relative, scratch);
        out.extend(
            table
                .loads
                .iter()
                .zip(scratch.iter())
                .map(|(&load, &power)| {
                    let fte = staff_needed(&x, load, power);
                    BuyerCost {
                        nok: staff_cost(&x, fte, payroll_tax),
                        fte,
                    }
                }),
        );
    }
}

/// One component's loads of every coalition (mask order), fixed for a run: what its pooled
/// cost curve needs besides a draw's values ([`Component::pooled_costs`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoalitionLoads {
    /// Load on the component's driver.
    pub loads: Vec<f64>,
    /// `ln(load / reference)` (infrastructure, staffing; `reference` 1 for other kinds).
    pub log_relative: Vec<f64>,
    /// Load on the connection driver (0 without one).
    pub connections: Vec<f64>,
    /// The licence tiers of each load (empty for other kinds).
    pub tiers: TierSpans,
}

/// The licence tiers each coalition's load falls in, fixed for a run (the thresholds and the
/// loads are): what [`licence_volume_cost`] computes before the prices, so that a draw's
/// volume cost of a coalition is its spans times the draw's prices, the same products and
/// sums in the same order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierSpans {
    graduated: bool,
    /// Where mask `S`'s spans are in `spans`: `offsets[S]..offsets[S + 1]`.
    offsets: Vec<usize>,
    /// `(tier, units)`: graduated, each tier the load reaches with the units bought in it
    /// (`min(D, next threshold) − threshold`); otherwise the one tier whose price all units
    /// pay, with all the units `D`. None for a load of 0.
    spans: Vec<(usize, f64)>,
}

impl TierSpans {
    /// The spans of every load in `loads` on a licence component's tiers (empty for any
    /// other kind).
    pub(crate) fn new(component: &Component, loads: &[f64]) -> Self {
        let ComponentKind::Licence {
            tiers, graduated, ..
        } = &component.kind
        else {
            return Self::default();
        };
        let from: Vec<f64> = tiers.iter().map(|t| t.from_units).collect();
        let mut out = Self {
            graduated: *graduated,
            offsets: vec![0],
            spans: Vec::new(),
        };
        for &units in loads {
            if units > 0.0 && !from.is_empty() {
                if *graduated {
                    for (k, &start) in from.iter().enumerate() {
                        let to = from.get(k + 1).copied().unwrap_or(f64::INFINITY);
                        if units > start {
                            out.spans.push((k, units.min(to) - start));
                        }
                    }
                } else {
                    let k = from.iter().rposition(|start| units >= *start).unwrap_or(0);
                    out.spans.push((k, units));
                }
            }
            out.offsets.push(out.spans.len());
        }
        out
    }

    /// [`licence_volume_cost`] of mask `mask`'s load at the draw's tiers `tiers`.
    #[inline]
    pub(super) fn volume_cost(&self, mask: usize, tiers: &[(f64, f64)]) -> f64 {
        let spans = &self.spans[self.offsets[mask]..self.offsets[mask + 1]];
        if self.graduated {
            let mut cost = 0.0;
            for &(k, units) in spans {
                cost += units * tiers[k].1;
            }
            cost
        } else {
            spans.first().map_or(0.0, |&(k, units)| units * tiers[k].1)
        }
    }
}
