//! Every member's flows alone and in the cooperation of all members, for every year of one
//! draw, in one pass over the lines, components and assets.
//!
//! This is the Monte Carlo's hot path. It applies the rules of [`Model::coalition_flows`] to
//! the two kinds of coalition a run needs — each member alone (`{i}`) and all members (`N`) —
//! computing every year-independent quantity (a line's member parts, a component's cost for
//! one buyer) once per draw instead of once per year and coalition. Each year's amounts are
//! added in the same order as `coalition_flows` adds them (lines, components with their
//! parallel operation, governance, assets), so the two agree to the last bit; the test
//! `model::standalone_cost_is_the_singleton_coalition_cost` checks it on every year.

use super::{Applies, Basis, Category, DrawValues, Model, Wages};

/// One draw's yearly flows: `[member × horizon + year]` per member row, `[year]` per pooled
/// row. Cash view unless named otherwise; NOK, undiscounted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawFlows {
    n: usize,
    horizon: usize,
    /// Each member's cost alone (both categories).
    pub standalone: Vec<f64>,
    /// Budget minus cash of each member alone.
    pub accounting_alone: Vec<f64>,
    /// What each member pays itself in the cooperation, per category.
    pub direct: [Vec<f64>; 2],
    /// Budget minus cash of each member in the cooperation.
    pub accounting_coop: Vec<f64>,
    /// The cooperation's pooled cost per category, shared by the keys.
    pub pooled: [Vec<f64>; 2],
    /// Budget minus cash of the pooled running cost (shared platform).
    pub pooled_accounting: Vec<f64>,
    /// The parts of the rows above that municipal accounts treat as investments or their
    /// financing (docs/MODEL.md §6b).
    pub capital: CapitalFlows,
    /// The wages inside the rows above (no VAT; docs/MODEL.md §6c): the staffing components
    /// and the lines the scenario names as staff time. Recorded with the capital parts.
    pub wages: Wages,
    /// Scratch: a line's part for each member.
    parts: Vec<f64>,
}

/// The amounts inside a draw's cash flows that the municipal accounts view books apart
/// (docs/MODEL.md §6b): start-up lines (projects, of which a share is capitalised), asset
/// reinvestments, resale income and residual values. Each is already contained in the
/// matching cash row of [`DrawFlows`]: `*_alone` in `standalone`, `*_own` in `direct`,
/// `*_pooled` in `pooled`. Per member `[member × horizon + year]`, pooled `[year]`; all
/// amounts are positive as written (resale and residual values reduce the cash rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapitalFlows {
    /// Start-up cost lines of a member alone.
    pub projects_alone: Vec<f64>,
    /// Start-up cost lines a member pays itself in the cooperation.
    pub projects_own: Vec<f64>,
    /// Pooled start-up cost lines.
    pub projects_pooled: Vec<f64>,
    /// Replacements of a member's own assets, alone.
    pub reinvestment_alone: Vec<f64>,
    /// Replacements of a member's own assets in the cooperation (before it operates).
    pub reinvestment_own: Vec<f64>,
    /// Replacements of the shared platform.
    pub reinvestment_pooled: Vec<f64>,
    /// Residual value of a member's own assets at the horizon, alone.
    pub residual_alone: Vec<f64>,
    /// Residual value of a member's own assets at the horizon, in the cooperation.
    pub residual_own: Vec<f64>,
    /// Residual value of the shared platform at the horizon.
    pub residual_pooled: Vec<f64>,
    /// Resale of a member's retired assets that the member keeps.
    pub resale_own: Vec<f64>,
    /// Resale of retired assets pooled with the transition costs.
    pub resale_pooled: Vec<f64>,
}

impl CapitalFlows {
    fn reset(&mut self, n: usize, horizon: usize) {
        for v in [
            &mut self.projects_alone,
            &mut self.projects_own,
            &mut self.reinvestment_alone,
            &mut self.reinvestment_own,
            &mut self.residual_alone,
            &mut self.residual_own,
            &mut self.resale_own,
        ] {
            v.clear();
            v.resize(n * horizon, 0.0);
        }
        for v in [
            &mut self.projects_pooled,
            &mut self.reinvestment_pooled,
            &mut self.residual_pooled,
            &mut self.resale_pooled,
        ] {
            v.clear();
            v.resize(horizon, 0.0);
        }
    }
}

impl DrawFlows {
    fn reset(&mut self, n: usize, horizon: usize, capital: bool) {
        if capital {
            self.capital.reset(n, horizon);
            let [pooled_0, pooled_1] = &mut self.wages.pooled;
            for (v, len) in [
                (&mut self.wages.alone, n * horizon),
                (&mut self.wages.own, n * horizon),
                (pooled_0, horizon),
                (pooled_1, horizon),
            ] {
                v.clear();
                v.resize(len, 0.0);
            }
        } else {
            self.capital = CapitalFlows::default();
            self.wages = Wages::default();
        }
        self.n = n;
        self.horizon = horizon;
        let per_member = n * horizon;
        let [direct_0, direct_1] = &mut self.direct;
        for v in [
            &mut self.standalone,
            &mut self.accounting_alone,
            direct_0,
            direct_1,
            &mut self.accounting_coop,
        ] {
            v.clear();
            v.resize(per_member, 0.0);
        }
        let [pooled_0, pooled_1] = &mut self.pooled;
        for v in [pooled_0, pooled_1, &mut self.pooled_accounting] {
            v.clear();
            v.resize(horizon, 0.0);
        }
    }

    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.n
    }

    /// Number of years.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// Whether every amount is finite and at most `limit` in absolute value.
    pub fn all_within(&self, limit: f64) -> bool {
        [
            &self.standalone,
            &self.accounting_alone,
            &self.direct[0],
            &self.direct[1],
            &self.accounting_coop,
            &self.pooled[0],
            &self.pooled[1],
            &self.pooled_accounting,
        ]
        .iter()
        .all(|v| {
            // One comparison per amount, without branching (NaN compares false, so it is out
            // of range).
            v.iter().fold(true, |ok, x| ok & (x.abs() <= limit))
        })
    }
}

impl Model {
    /// Fills `out` with every member's standalone flows and the flows of the cooperation of all
    /// members, for every year of the draw `v` (the same rules as [`Model::coalition_flows`]
    /// for `{i}` and `N`).
    pub fn draw_flows(&self, v: &DrawValues, out: &mut DrawFlows) {
        self.draw_flows_with(v, out, true);
    }

    /// [`Model::draw_flows`], recording the capital parts ([`CapitalFlows`]) and the wages
    /// only when `capital` is set (the municipal accounts and the VAT of the NPV views need
    /// them; a run that needs neither leaves `out.capital` and `out.wages` empty and skips
    /// their cost).
    pub fn draw_flows_with(&self, v: &DrawValues, out: &mut DrawFlows, capital: bool) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        out.reset(n, horizon, capital);
        let t0 = self.operation_start;
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        let pool_transition = self.pool_transition_costs && n >= 2;
        // Lines. Each year's slots receive the lines in line order, as in `coalition_flows`.
        for (l, (line, coef)) in self.lines.iter().zip(&v.lines).enumerate() {
            let cat = line.category.index();
            let wage = capital && self.accounts.vat.wage_lines.contains(&l);
            let last = line.years.1.min(horizon.saturating_sub(1));
            if line.years.0 > last || horizon == 0 {
                continue;
            }
            // The line's year-independent parts: each member's, and the pooled one.
            out.parts.clear();
            out.parts.extend((0..n).map(|i| self.member_part(coef, i)));
            let pooled_part = self.pooled_part(coef, 0..n);
            let project = line.category == Category::StartUp;
            let book = project && capital;
            let (cap, wages) = (&mut out.capital, &mut out.wages);
            for year in line.years.0..=last {
                let growth = coef.growth_factors[year];
                if line.occurs.applies(1, year, t0) == Applies::AsBasis {
                    for (i, part) in out.parts.iter().enumerate() {
                        out.standalone[i * horizon + year] += part * growth;
                        if book {
                            cap.projects_alone[i * horizon + year] += part * growth;
                        }
                        if wage {
                            wages.alone[i * horizon + year] += part * growth;
                        }
                    }
                }
                match (line.occurs.applies(n, year, t0), line.basis) {
                    (Applies::No, _) => {}
                    (Applies::AsBasis, Basis::Pooled) if n >= 2 => {
                        out.pooled[cat][year] += pooled_part * growth;
                        if book {
                            cap.projects_pooled[year] += pooled_part * growth;
                        }
                        if wage {
                            wages.pooled[cat][year] += pooled_part * growth;
                        }
                    }
                    _ => {
                        for (i, part) in out.parts.iter().enumerate() {
                            let amount = part * growth;
                            if project && pool_transition {
                                out.pooled[cat][year] += amount;
                                if book {
                                    cap.projects_pooled[year] += amount;
                                }
                                if wage {
                                    wages.pooled[cat][year] += amount;
                                }
                            } else {
                                out.direct[cat][i * horizon + year] += amount;
                                if book {
                                    cap.projects_own[i * horizon + year] += amount;
                                }
                                if wage {
                                    wages.own[i * horizon + year] += amount;
                                }
                            }
                        }
                    }
                }
            }
        }
        // Components, each with its parallel operation.
        let (months, share) = v.parallel;
        for (component, values) in self.components.iter().zip(&v.components) {
            // Each member's own cost: every year alone, and in the cooperation until pooled
            // (member by member, so each row is written in order).
            let growth = &values.growth_factors[..horizon];
            let pooled_from = if n < 2 {
                horizon
            } else {
                component.pooled_from.min(horizon)
            };
            let wage = capital && component.is_staffing();
            for (i, alone) in values.alone.iter().enumerate() {
                let row = i * horizon..(i + 1) * horizon;
                for (slot, g) in out.standalone[row.clone()].iter_mut().zip(growth) {
                    *slot += alone.nok * g;
                }
                let own = &mut out.direct[running][row.start..row.start + pooled_from];
                for (slot, g) in own.iter_mut().zip(growth) {
                    *slot += alone.nok * g;
                }
                if wage {
                    for (slot, g) in out.wages.alone[row.clone()].iter_mut().zip(growth) {
                        *slot += alone.nok * g;
                    }
                    let own = &mut out.wages.own[row.start..row.start + pooled_from];
                    for (slot, g) in own.iter_mut().zip(growth) {
                        *slot += alone.nok * g;
                    }
                }
            }
            for year in pooled_from..horizon {
                let growth = values.growth_factors[year];
                let cost = self.pooled_component_cost(
                    v,
                    component,
                    values,
                    values.grand,
                    || (0..n).map(|i| values.transferred_fte(i)).sum(),
                    year,
                );
                let staffing = component.is_staffing();
                let pooled = cost * v.organisation.pooled_factor(staffing) * growth;
                out.pooled[running][year] += pooled;
                let one_off = (staffing && year == component.pooled_from).then_some(
                    v.organisation.staff_one_off * cost * v.organisation.price_factor * growth,
                );
                if let Some(one_off) = one_off {
                    out.pooled[startup][year] += one_off;
                }
                for (i, role) in values.retained.iter().enumerate() {
                    out.direct[running][i * horizon + year] += role.nok * growth;
                }
                if wage {
                    out.wages.pooled[running][year] += pooled;
                    if let Some(one_off) = one_off {
                        out.wages.pooled[startup][year] += one_off;
                    }
                    for (i, role) in values.retained.iter().enumerate() {
                        out.wages.own[i * horizon + year] += role.nok * growth;
                    }
                }
                let fraction = parallel_fraction(months, year - component.pooled_from);
                if fraction == 0.0 || share == 0.0 {
                    continue;
                }
                for (i, alone) in values.alone.iter().enumerate() {
                    let amount = share * fraction * alone.nok * growth;
                    if self.pool_transition_costs {
                        out.pooled[startup][year] += amount;
                        if wage {
                            out.wages.pooled[startup][year] += amount;
                        }
                    } else {
                        out.direct[startup][i * horizon + year] += amount;
                        if wage {
                            out.wages.own[i * horizon + year] += amount;
                        }
                    }
                }
            }
        }
        if n >= 2 {
            for slot in &mut out.pooled[running] {
                *slot += v.organisation.governance;
            }
        }
        if let Some(assets) = &v.assets {
            let population: f64 = self.members.iter().map(|m| m.population).sum();
            let residual_per_inhabitant = assets.standalone_residual(1.0, horizon);
            for year in 0..horizon {
                let last = year + 1 == horizon;
                // A member's asset events are its population times those of one inhabitant.
                let per_inhabitant = assets.standalone_year(1.0, year);
                for (i, member) in self.members.iter().enumerate() {
                    let pop = member.population;
                    let (reinvestment, depreciation, book_value_held) = (
                        per_inhabitant.reinvestment * pop,
                        per_inhabitant.depreciation * pop,
                        per_inhabitant.book_value_held() * pop,
                    );
                    let slot = i * horizon + year;
                    let residual = if last {
                        residual_per_inhabitant * pop
                    } else {
                        0.0
                    };
                    out.standalone[slot] += reinvestment;
                    out.accounting_alone[slot] += depreciation - reinvestment;
                    if capital {
                        out.capital.reinvestment_alone[slot] += reinvestment;
                    }
                    if last {
                        out.standalone[slot] -= residual;
                        out.accounting_alone[slot] += residual;
                        if capital {
                            out.capital.residual_alone[slot] += residual;
                        }
                    }
                    if n < 2 || year < t0 {
                        out.direct[running][slot] += reinvestment;
                        out.accounting_coop[slot] += depreciation - reinvestment;
                        if capital {
                            out.capital.reinvestment_own[slot] += reinvestment;
                        }
                        if last {
                            out.direct[running][slot] -= residual;
                            out.accounting_coop[slot] += residual;
                            if capital {
                                out.capital.residual_own[slot] += residual;
                            }
                        }
                    } else if year == t0 {
                        let resale = assets.resale_share * book_value_held;
                        if self.pool_transition_costs {
                            out.pooled[startup][year] -= resale;
                            if capital {
                                out.capital.resale_pooled[year] += resale;
                            }
                        } else {
                            out.direct[startup][slot] -= resale;
                            if capital {
                                out.capital.resale_own[slot] += resale;
                            }
                        }
                        out.accounting_coop[slot] += book_value_held;
                    }
                }
                if n >= 2 && year >= t0 {
                    let platform = assets.pooled_year(population, t0, year);
                    out.pooled[running][year] += platform.reinvestment;
                    out.pooled_accounting[year] += platform.depreciation - platform.reinvestment;
                    if capital {
                        out.capital.reinvestment_pooled[year] += platform.reinvestment;
                    }
                    if last {
                        let residual = assets.pooled_residual(population, t0, horizon);
                        out.pooled[running][year] -= residual.value;
                        out.pooled_accounting[year] += residual.depreciated;
                        if capital {
                            out.capital.residual_pooled[year] += residual.value;
                        }
                    }
                }
            }
        }
    }
}

/// Share of a year's old running cost still paid in parallel operation, `k` years after the
/// component is pooled: `min(m, 12)/12` in the pooling year, `clamp(m − 12, 0, 12)/12` in the
/// next, 0 after.
pub(super) fn parallel_fraction(months: f64, k: usize) -> f64 {
    match k {
        0 => months.clamp(0.0, 12.0) / 12.0,
        1 => (months - 12.0).clamp(0.0, 12.0) / 12.0,
        _ => 0.0,
    }
}
