//! Value added tax in the municipal accounts view (docs/MODEL.md §6c): what VAT costs a member
//! alone and in the cooperation when part of its ICT use is not compensated, and what part of
//! its ICT costs is charged to fee-financed services (selvkost) and so paid by fee payers.
//!
//! The cash view is net of VAT: a municipality is compensated for VAT on purchases for its
//! ordinary activities (merverdiavgiftskompensasjonsloven §§ 2–4) or deducts it where the
//! activity is inside the VAT system (merverdiavgiftsloven chapter 8). What is left is the VAT
//! on the share of purchases used where neither applies. Only purchases carry VAT: wages do
//! not, so this module also finds each book's wages ([`Model::draw_wages`]): the staffing
//! components and the lines the scenario names as staff time.

use super::flows::parallel_fraction;
use super::{Applies, Basis, Category, DrawValues, Model};

/// Whether the payments to the cooperation carry VAT that the member bears in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatRule {
    /// Host municipality or joint body: the purchases are the members' own (the host or the
    /// joint body buys on their behalf and is compensated, kompensasjonsloven § 2 first
    /// paragraph), and payments carry no VAT; each member bears the VAT its non-compensable
    /// share leaves on its key share of the pooled purchases, as if it had bought them.
    Purchases,
    /// An IKS is itself entitled to compensation (kompensasjonsloven § 2 first paragraph
    /// letter b) and invoices without VAT: no VAT reaches the members' payments.
    Compensated,
    /// An AS or a supplier is VAT-registered and invoices 25 % VAT on its whole price, wages
    /// included; the member claims compensation or deduction for the share it may and bears
    /// the rest.
    Invoice,
}

impl VatRule {
    /// Name as written in scenarios and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            VatRule::Purchases => "purchases",
            VatRule::Compensated => "compensated",
            VatRule::Invoice => "invoice",
        }
    }
}

/// The VAT inputs (`[vat]`): fixed figures from each member's VAT compensation claims and
/// self-cost calculations.
#[derive(Debug, Clone, PartialEq)]
pub struct Vat {
    /// The VAT rate on the purchases and invoices (the general rate, 25 %).
    pub rate: f64,
    /// Per member: the share of its ICT costs used in activities for which VAT is neither
    /// compensated nor deducted.
    pub non_compensable: Vec<f64>,
    /// Per member: the share of its ICT costs charged to fee-financed services (water,
    /// wastewater, waste) and recovered from fee payers.
    pub fee_financed: Vec<f64>,
    /// Whether the cooperation's payments carry VAT.
    pub cooperation: VatRule,
    /// Indices of the cost lines that are staff time (wages, no VAT).
    pub wage_lines: Vec<usize>,
}

impl Vat {
    /// No VAT cost and nothing fee-financed for `n` members (the cash view's figures).
    pub fn none(n: usize) -> Self {
        Self {
            rate: 0.25,
            non_compensable: vec![0.0; n],
            fee_financed: vec![0.0; n],
            cooperation: VatRule::Purchases,
            wage_lines: Vec::new(),
        }
    }

    /// The VAT member `i` bears on a base of purchases (or invoices): `rate · n_i · base`.
    pub fn not_compensated(&self, i: usize, base: f64) -> f64 {
        self.rate * self.non_compensable[i] * base
    }
}

/// One draw's wages inside the cash rows of [`super::DrawFlows`]: per member
/// `[member × horizon + year]` alone and for its own costs in the cooperation, and the
/// cooperation's pooled running and start-up wages `[year]`. NOK, first-year prices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wages {
    /// Wages of each member alone.
    pub alone: Vec<f64>,
    /// Wages each member pays itself in the cooperation (staff before pooling, retained
    /// roles, parallel operation it bears itself, its own staff-time lines).
    pub own: Vec<f64>,
    /// Pooled wages per category (running, start-up).
    pub pooled: [Vec<f64>; 2],
}

impl Model {
    /// Fills `out` with the wages contained in the draw's flows: the staffing components'
    /// costs (alone, retained roles, pooled staff with the organisation's factor, the one-off
    /// cost of a transfer, parallel operation of the old staff) and the lines in
    /// `vat.wage_lines`, by the rules of [`Model::draw_flows`].
    pub fn draw_wages(&self, v: &DrawValues, out: &mut Wages) {
        let (n, h) = (self.n_members(), self.horizon_years);
        for row in [&mut out.alone, &mut out.own] {
            row.clear();
            row.resize(n * h, 0.0);
        }
        for row in &mut out.pooled {
            row.clear();
            row.resize(h, 0.0);
        }
        self.wage_lines(v, out);
        let (running, startup) = (Category::Running.index(), Category::StartUp.index());
        let (months, share) = v.parallel;
        for (component, values) in self.components.iter().zip(&v.components) {
            if !component.is_staffing() {
                continue;
            }
            let pooled_from = if n < 2 {
                h
            } else {
                component.pooled_from.min(h)
            };
            for (i, alone) in values.alone.iter().enumerate() {
                for t in 0..h {
                    let amount = alone.nok * values.growth_factors[t];
                    out.alone[i * h + t] += amount;
                    if t < pooled_from {
                        out.own[i * h + t] += amount;
                    }
                }
            }
            for t in pooled_from..h {
                let g = values.growth_factors[t];
                let cost = self.pooled_component_cost(
                    v,
                    component,
                    values,
                    values.grand,
                    || (0..n).map(|i| values.transferred_fte(i)).sum(),
                    t,
                );
                out.pooled[running][t] += cost * v.organisation.pooled_factor(true) * g;
                if t == component.pooled_from {
                    out.pooled[startup][t] +=
                        v.organisation.staff_one_off * cost * v.organisation.price_factor * g;
                }
                for (i, role) in values.retained.iter().enumerate() {
                    out.own[i * h + t] += role.nok * g;
                }
                let fraction = parallel_fraction(months, t - component.pooled_from);
                for (i, alone) in values.alone.iter().enumerate() {
                    let amount = share * fraction * alone.nok * g;
                    if self.pool_transition_costs {
                        out.pooled[startup][t] += amount;
                    } else {
                        out.own[i * h + t] += amount;
                    }
                }
            }
        }
    }

    /// The staff-time lines' part of [`Model::draw_wages`].
    fn wage_lines(&self, v: &DrawValues, out: &mut Wages) {
        let (n, h) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let pool_transition = self.pool_transition_costs && n >= 2;
        let drivers = &self.drivers.values;
        for &l in &self.accounts.vat.wage_lines {
            let (line, coef) = (&self.lines[l], &v.lines[l]);
            let cat = line.category.index();
            let project = line.category == Category::StartUp;
            let part = |i: usize| {
                coef.fixed
                    + coef
                        .rates
                        .iter()
                        .map(|&(d, r)| r * drivers[d][i])
                        .sum::<f64>()
            };
            for t in line.years.0..=line.years.1.min(h.saturating_sub(1)) {
                let g = coef.growth_factors[t];
                if line.occurs.applies(1, t, t0) == Applies::AsBasis {
                    for i in 0..n {
                        out.alone[i * h + t] += part(i) * g;
                    }
                }
                match (line.occurs.applies(n, t, t0), line.basis) {
                    (Applies::No, _) => {}
                    (Applies::AsBasis, Basis::Pooled) if n >= 2 => {
                        let total: f64 =
                            (0..n).map(part).sum::<f64>() - (n as f64 - 1.0) * coef.fixed;
                        out.pooled[cat][t] += total * g;
                    }
                    _ => {
                        for i in 0..n {
                            if project && pool_transition {
                                out.pooled[cat][t] += part(i) * g;
                            } else {
                                out.own[i * h + t] += part(i) * g;
                            }
                        }
                    }
                }
            }
        }
    }
}
