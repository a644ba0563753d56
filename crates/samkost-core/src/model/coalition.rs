//! The definition of a coalition's cost: the flows of any subset of members in any year under
//! one draw ([`Model::coalition_flows`]), split into what is pooled and what each member pays
//! itself, cash and budget views. The Monte Carlo's one-pass flows (`flows.rs`) and the NPV
//! game from aggregates (`npv.rs`) apply these rules and are tested against them.

use super::assets::AssetValues;
use super::{
    Applies, Basis, BuyerCost, Category, Component, ComponentValues, DrawValues, Model, Occurs,
    flows,
};

/// The flows of one coalition in one year under one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoalitionFlows {
    /// Cash each member pays itself, per category: `direct[category][position in S]`.
    pub direct: [Vec<f64>; 2],
    /// Pooled cash cost per category, shared by the key.
    pub pooled: [f64; 2],
    /// Budget view minus cash view for each member (depreciation + write-off − reinvestment).
    pub accounting: Vec<f64>,
    /// Budget view minus cash view of the pooled running cost (shared platform).
    pub pooled_accounting: f64,
}

impl CoalitionFlows {
    pub(super) fn reset(&mut self, size: usize) {
        for d in &mut self.direct {
            d.clear();
            d.resize(size, 0.0);
        }
        self.pooled = [0.0; 2];
        self.accounting.clear();
        self.accounting.resize(size, 0.0);
        self.pooled_accounting = 0.0;
    }

    /// Total cash cost of the coalition.
    pub fn total(&self) -> f64 {
        self.pooled.iter().sum::<f64>() + self.direct.iter().flatten().sum::<f64>()
    }

    /// A transition cost of the member at `pos`: its own, or pooled.
    fn transition(&mut self, pos: usize, amount: f64, pooled: bool) {
        if pooled {
            self.pooled[Category::StartUp.index()] += amount;
        } else {
            self.direct[Category::StartUp.index()][pos] += amount;
        }
    }
}

/// Reusable buffers for [`Model::coalition_flows`].
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    alone: Vec<BuyerCost>,
    /// Pooled buyer cost per component and coalition mask, for the draw `generation`.
    cache: Vec<Option<BuyerCost>>,
    generation: u64,
}

/// Coalitions of up to this many members have their pooled component costs cached per draw.
const CACHE_MAX_MEMBERS: usize = 16;

impl Scratch {
    /// The pooled cost of component `c_idx` for `coalition`, computed once per draw.
    pub(super) fn pooled(
        &mut self,
        v: &DrawValues,
        c_idx: usize,
        n_members: usize,
        coalition: &[usize],
        compute: impl FnOnce() -> BuyerCost,
    ) -> BuyerCost {
        if n_members > CACHE_MAX_MEMBERS {
            return compute();
        }
        let size = 1usize << n_members;
        let len = v.components.len() * size;
        if self.generation != v.generation || self.cache.len() != len {
            self.cache.clear();
            self.cache.resize(len, None);
            self.generation = v.generation;
        }
        let mask: usize = coalition.iter().map(|&i| 1usize << i).sum();
        *self.cache[c_idx * size + mask].get_or_insert_with(compute)
    }
}

impl Model {
    /// The flows of coalition `S` (member indices, no duplicates) in year index `t` under one
    /// draw. For a single member these are its standalone costs, all paid by itself.
    pub fn coalition_flows(
        &self,
        v: &DrawValues,
        coalition: &[usize],
        year: usize,
        scratch: &mut Scratch,
        out: &mut CoalitionFlows,
    ) {
        self.coalition_flows_with(v, coalition, &[], year, scratch, out);
    }

    /// [`Model::coalition_flows`] of a coalition some of whose members are already pooled in
    /// an existing cooperation (`existing[i]`, by member index; empty: none), from the first
    /// operating year on (docs/MODEL.md §10c): what is done for them is sunk, so they have no
    /// per-member start-up lines, no parallel operation, no own assets to retire, and only the
    /// newcomers' staff change employer; their part of the platform keeps its own cycle.
    pub(super) fn coalition_flows_with(
        &self,
        v: &DrawValues,
        coalition: &[usize],
        existing: &[bool],
        year: usize,
        scratch: &mut Scratch,
        out: &mut CoalitionFlows,
    ) {
        out.reset(coalition.len());
        self.add_lines(v, coalition, existing, year, out);
        for c_idx in 0..self.components.len() {
            self.add_component(v, c_idx, coalition, existing, year, scratch, out);
        }
        if coalition.len() >= 2 {
            out.pooled[Category::Running.index()] += v.organisation.governance;
        }
        if let Some(assets) = &v.assets {
            self.add_assets(assets, coalition, existing, year, out);
        }
    }

    pub(super) fn add_lines(
        &self,
        v: &DrawValues,
        coalition: &[usize],
        existing: &[bool],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let size = coalition.len();
        let pool_transition = self.pool_transition_costs && size >= 2;
        let sunk = |i: usize| existing.get(i).copied().unwrap_or(false);
        for (line, coef) in self.lines.iter().zip(&v.lines) {
            if !line.active(year) {
                continue;
            }
            let growth = coef.growth_factors[year];
            let cat = line.category.index();
            match (
                line.occurs.applies(size, year, self.operation_start),
                line.basis,
            ) {
                (Applies::No, _) => {}
                (Applies::AsBasis, Basis::Pooled) if size >= 2 => {
                    let amount = self.pooled_part(coef, coalition.iter().copied());
                    out.pooled[cat] += amount * growth;
                }
                _ => {
                    for (pos, &i) in coalition.iter().enumerate() {
                        if line.category == Category::StartUp
                            && line.occurs == Occurs::Together
                            && sunk(i)
                        {
                            continue;
                        }
                        let amount = self.member_part(coef, i) * growth;
                        if line.category == Category::StartUp && pool_transition {
                            out.pooled[cat] += amount;
                        } else {
                            out.direct[cat][pos] += amount;
                        }
                    }
                }
            }
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one coalition, one component, explicit buffers"
    )]
    fn add_component(
        &self,
        v: &DrawValues,
        c_idx: usize,
        coalition: &[usize],
        existing: &[bool],
        year: usize,
        scratch: &mut Scratch,
        out: &mut CoalitionFlows,
    ) {
        let component = &self.components[c_idx];
        let values = &v.components[c_idx];
        let growth = values.growth_factors[year];
        let running = Category::Running.index();
        scratch.alone.clear();
        scratch
            .alone
            .extend(coalition.iter().map(|&i| values.alone[i]));
        let together = coalition.len() >= 2 && year >= component.pooled_from;
        if !together {
            for (pos, cost) in scratch.alone.iter().enumerate() {
                out.direct[running][pos] += cost.nok * growth;
            }
            return;
        }
        let pooled = if coalition.len() == self.n_members() {
            values.grand
        } else {
            scratch.pooled(v, c_idx, self.n_members(), coalition, || {
                component.buyer_cost(
                    values,
                    self.pooled_buyer(component, coalition.iter().copied()),
                )
            })
        };
        let sunk = |i: usize| existing.get(i).copied().unwrap_or(false);
        let staffing = component.is_staffing();
        // The staff the members not yet pooled transfer.
        let moving = || -> f64 {
            coalition
                .iter()
                .filter(|&&i| !sunk(i))
                .map(|&i| values.transferred_fte(i))
                .sum()
        };
        // Members already pooled bring the existing pool's staff, at its curve: only the
        // newcomers' transferred staff can be more than the work needs (§10c).
        let (kept_fte, moving_share, moving_fte) = if existing.is_empty() || !staffing {
            (0.0, 1.0, None)
        } else {
            let pool: Vec<usize> = coalition.iter().copied().filter(|&i| sunk(i)).collect();
            let kept = self.existing_pool_fte(v, c_idx, &pool, scratch);
            let moving = moving();
            let all: f64 = coalition.iter().map(|&i| values.transferred_fte(i)).sum();
            (
                kept,
                if all > 0.0 { moving / all } else { 0.0 },
                Some(moving),
            )
        };
        let cost = self.pooled_component_cost_with(
            v,
            component,
            values,
            pooled,
            || moving_fte.unwrap_or_else(moving),
            kept_fte,
            year,
        );
        out.pooled[running] += cost * v.organisation.pooled_factor(staffing) * growth;
        if staffing && year == component.pooled_from {
            // The staff change employer: a one-off on the year's pooled staffing cost (with an
            // existing cooperation, on the newcomers' share of the transferred staff).
            out.pooled[Category::StartUp.index()] += v.organisation.staff_one_off
                * cost
                * moving_share
                * v.organisation.price_factor
                * growth;
        }
        self.add_parallel_operation(
            v, component, coalition, existing, year, growth, scratch, out,
        );
        // Each member keeps a local role (system owners, ordering competence), its own cost.
        for (pos, &i) in coalition.iter().enumerate() {
            if let Some(role) = values.retained.get(i) {
                out.direct[running][pos] += role.nok * growth;
            }
        }
    }

    /// The pooled running cost of a component in year `year` (before the price factor and
    /// growth): the pooled buyer's cost with scope growth or, for staff transferred with a
    /// no-redundancy guarantee, the staff still held when they are more:
    /// `FTE_t = max(target, FTE_transferred · (1 − a)^(t − T_c))`, `target` the pooled curve's
    /// staff with scope growth.
    pub(super) fn pooled_component_cost(
        &self,
        v: &DrawValues,
        component: &Component,
        values: &ComponentValues,
        pooled: BuyerCost,
        transferred_fte: impl FnOnce() -> f64,
        year: usize,
    ) -> f64 {
        self.pooled_component_cost_with(v, component, values, pooled, transferred_fte, 0.0, year)
    }

    /// [`Model::pooled_component_cost`] with `kept_fte` staff already in an existing pool
    /// added to the transferred staff still held (docs/MODEL.md §10c):
    /// `FTE_t = max(target, kept + FTE_transferred · (1 − a)^(t − T_c))`.
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments of pooled_component_cost and the existing pool's staff"
    )]
    pub(super) fn pooled_component_cost_with(
        &self,
        v: &DrawValues,
        component: &Component,
        values: &ComponentValues,
        pooled: BuyerCost,
        transferred_fte: impl FnOnce() -> f64,
        kept_fte: f64,
        year: usize,
    ) -> f64 {
        let cost = pooled.nok * (1.0 + values.scope_growth);
        if component.is_staffing() && v.organisation.holds_staff {
            // Transfer of undertaking: the transferred staff can only shrink by attrition.
            let held = kept_fte
                + transferred_fte()
                    * (1.0 - v.organisation.attrition_rate)
                        .powi((year - component.pooled_from) as i32);
            let target = pooled.fte * (1.0 + values.scope_growth);
            if held > target {
                return component.staff_cost(values, held, self.organisation.payroll_tax);
            }
        }
        cost
    }

    /// Old systems run on for `m` months at share `s` of their old cost: `s·min(m,12)/12` of
    /// the standalone cost in the pooling year and `s·clamp(m−12, 0, 12)/12` in the next.
    #[expect(
        clippy::too_many_arguments,
        reason = "one coalition, one component, explicit buffers"
    )]
    fn add_parallel_operation(
        &self,
        v: &DrawValues,
        component: &Component,
        coalition: &[usize],
        existing: &[bool],
        year: usize,
        growth: f64,
        scratch: &Scratch,
        out: &mut CoalitionFlows,
    ) {
        let (months, share) = v.parallel;
        let fraction = flows::parallel_fraction(months, year - component.pooled_from);
        if fraction == 0.0 || share == 0.0 {
            return;
        }
        debug_assert_eq!(coalition.len(), scratch.alone.len());
        for (pos, cost) in scratch.alone.iter().enumerate() {
            if existing.get(coalition[pos]).copied().unwrap_or(false) {
                continue;
            }
            out.transition(
                pos,
                share * fraction * cost.nok * growth,
                self.pool_transition_costs,
            );
        }
    }

    fn add_assets(
        &self,
        assets: &AssetValues,
        coalition: &[usize],
        existing: &[bool],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let together = coalition.len() >= 2;
        let last = year + 1 == self.horizon_years;
        let sunk = |i: usize| existing.get(i).copied().unwrap_or(false);
        for (pos, &i) in coalition.iter().enumerate() {
            if together && sunk(i) {
                // Its own assets went into the existing pool long ago.
                continue;
            }
            let pop = self.members[i].population;
            let event = assets.standalone_year(pop, year);
            if !together || year < self.operation_start {
                out.direct[Category::Running.index()][pos] += event.reinvestment;
                out.accounting[pos] += event.depreciation - event.reinvestment;
                if last {
                    // The book value left at the end of the horizon: a residual value in cash,
                    // never depreciated in the budget.
                    let residual = assets.standalone_residual(pop, self.horizon_years);
                    out.direct[Category::Running.index()][pos] -= residual;
                    out.accounting[pos] += residual;
                }
            } else if year == self.operation_start {
                // Retired early: resale in cash, write-off of the remaining book value in the
                // budget. A replacement due this very year is not made.
                let held = event.book_value_held();
                let resale = assets.resale_share * held;
                out.transition(pos, -resale, self.pool_transition_costs);
                out.accounting[pos] += held;
            }
        }
        if together && year >= self.operation_start {
            // The existing pool's part of the platform keeps the cycle it has had since before
            // the first year; the newcomers' part starts at `T₀` (§10c).
            let population = |pooled_before: bool| -> f64 {
                coalition
                    .iter()
                    .filter(|&&i| sunk(i) == pooled_before)
                    .map(|&i| self.members[i].population)
                    .sum()
            };
            for (population, start) in [
                (population(false), self.operation_start),
                (population(true), 0),
            ] {
                if population == 0.0 {
                    continue;
                }
                self.add_platform(assets, population, start, year, out);
            }
        }
    }

    /// The shared platform of `population` inhabitants, first bought for year `start`, in
    /// year `year ≥ start`: replacements, depreciation and the residual value at the horizon.
    pub(super) fn add_platform(
        &self,
        assets: &AssetValues,
        population: f64,
        start: usize,
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let platform = assets.pooled_year(population, start, year);
        out.pooled[Category::Running.index()] += platform.reinvestment;
        out.pooled_accounting += platform.depreciation - platform.reinvestment;
        if year + 1 == self.horizon_years {
            let residual = assets.pooled_residual(population, start, self.horizon_years);
            out.pooled[Category::Running.index()] -= residual.value;
            out.pooled_accounting += residual.depreciated;
        }
    }

    /// `c(S, t)` per category under one draw (cash view).
    pub fn coalition_cost(&self, v: &DrawValues, coalition: &[usize], year: usize) -> [f64; 2] {
        let mut flows = CoalitionFlows::default();
        self.coalition_flows(v, coalition, year, &mut Scratch::default(), &mut flows);
        let mut cost = flows.pooled;
        for (c, d) in flows.direct.iter().enumerate() {
            cost[c] += d.iter().sum::<f64>();
        }
        cost
    }

    /// One year of the cooperation of all members and every member's standalone cost.
    pub fn year_flows(
        &self,
        v: &DrawValues,
        year: usize,
        scratch: &mut YearScratch,
        flows: &mut YearFlows,
    ) {
        let n = self.n_members();
        flows.standalone.clear();
        flows.accounting_alone.clear();
        for i in 0..n {
            self.coalition_flows(v, &[i], year, &mut scratch.model, &mut scratch.single);
            flows.standalone.push(scratch.single.total());
            flows.accounting_alone.push(scratch.single.accounting[0]);
        }
        if scratch.all.len() != n {
            scratch.all = (0..n).collect();
        }
        self.coalition_flows(
            v,
            &scratch.all,
            year,
            &mut scratch.model,
            &mut flows.cooperation,
        );
    }
}

/// Buffers for [`Model::year_flows`].
#[derive(Debug, Clone, Default)]
pub struct YearScratch {
    model: Scratch,
    single: CoalitionFlows,
    all: Vec<usize>,
}

/// The cash flows of one year under one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearFlows {
    /// Each member's cost if it went alone (cash).
    pub standalone: Vec<f64>,
    /// Budget minus cash for each member alone.
    pub accounting_alone: Vec<f64>,
    /// The cooperation of all members.
    pub cooperation: CoalitionFlows,
}

impl YearFlows {
    /// What member `i` pays itself inside the cooperation (both categories).
    pub fn direct(&self, i: usize) -> f64 {
        self.cooperation.direct[0][i] + self.cooperation.direct[1][i]
    }
}
