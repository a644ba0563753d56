//! The NPV cost of every coalition under one draw, from discount-weighted aggregates.
//!
//! `c(S) = Σ_t d(t) · c(S, t)` (cash view, per category). For a coalition of two or more every
//! part of `c(S, t)` but the pooled component curves is linear in its members: direct lines,
//! a pooled line's rates, each member's own component costs before pooling and during parallel
//! operation, assets and the shared platform (per inhabitant). So per draw
//!
//! ```text
//! c(S) = K + Σ_{i∈S} a_i + Σ_c w_c · cost_c(D_c(S))      for |S| ≥ 2
//! c({i}) = the member's standalone NPV
//! ```
//!
//! with `K` (governance and the fixed parts of pooled lines), `a_i` and the weights
//! `w_c = φ · (1 + σ_c) · Σ_{t ≥ T_c} d(t) g_c(t)` from the draw's records of yearly weights
//! ([`Model::npv_game_year_terms`]), summed with the discount factors once per draw, or from the
//! back for every leave year at once ([`Model::remaining_games`]). Only
//! `cost_c` is evaluated per coalition, at loads `D_c(S)` that do not change between draws
//! (their logarithms are tabulated once per run in a [`CoalitionTable`]). Staff held by a
//! transfer of undertaking depend on the year, so that component is summed year by
//! year. docs/MODEL.md §10, "Game-theoretic keys in the Monte Carlo"; the test
//! `games::npv_game_matches_coalition_flows` checks every coalition against
//! [`Model::coalition_flows`].

mod records;

use super::component::{CoalitionLoads, ComponentKind, KindValues, TierSpans, staff_cost};
use super::{AssetYear, BuyerCost, Category, DrawValues, Model};

/// Loads of every coalition on every component's drivers, fixed for a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoalitionTable {
    n: usize,
    /// Per component, every mask's loads.
    components: Vec<CoalitionLoads>,
}

impl CoalitionTable {
    /// The table of `model`'s `2^n` coalitions.
    pub fn new(model: &Model) -> Self {
        let n = model.n_members();
        let size = 1usize << n;
        let subset_sums = |values: &[f64]| {
            let mut sums = vec![0.0; size];
            for mask in 1..size {
                let low = mask.trailing_zeros() as usize;
                sums[mask] = sums[mask & (mask - 1)] + values[low];
            }
            sums
        };
        let components = model
            .components
            .iter()
            .map(|component| {
                let loads = subset_sums(model.drivers.values(component.driver));
                let reference = match &component.kind {
                    ComponentKind::Infrastructure { reference, .. }
                    | ComponentKind::Staffing { reference, .. } => *reference,
                    _ => 1.0,
                };
                CoalitionLoads {
                    log_relative: loads.iter().map(|l| (l / reference).ln()).collect(),
                    connections: component
                        .connection_driver()
                        .map_or_else(|| vec![0.0; size], |d| subset_sums(model.drivers.values(d))),
                    tiers: TierSpans::new(component, &loads),
                    loads,
                }
            })
            .collect();
        Self { n, components }
    }

    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.n
    }
}

/// Whether a game adds the cost of held staff itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeldStaff {
    Add,
    Leave,
}

/// Where [`Model::held_staff_rows`] puts its rows.
pub(super) enum HeldRows<'a> {
    /// Into this buffer, year-major.
    Keep(&'a mut Vec<[f64; 2]>),
    /// Added to these coalition costs, year by year.
    AddTo(&'a mut [[f64; 2]]),
}

/// One draw's aggregates of the NPV game (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NpvGameTerms {
    /// `c({i})` per category.
    pub singleton: Vec<[f64; 2]>,
    /// `K` per category.
    pub constant: [f64; 2],
    /// `a_i` per category.
    pub linear: Vec<[f64; 2]>,
    /// `w_c` per component (0 when the component is never pooled within the horizon).
    pub weight: Vec<f64>,
    /// Start-up weight per component: the one-off when staff change employer, discounted,
    /// on the pooled cost of the pooling year (0 for other components).
    pub one_off_weight: Vec<f64>,
    /// Scratch: per component, the pooled cost of every coalition (kept for the next leave
    /// year of [`Model::remaining_games`]).
    pooled: Vec<Vec<f64>>,
    /// Scratch for held staff: pooled staff per coalition, staff transferred per coalition,
    /// and the attrition factor of each year from pooling on.
    staff: Vec<BuyerCost>,
    /// Scratch for held staff: each coalition's `(D/R)^β`.
    powers: Vec<f64>,
    transferred: Vec<f64>,
    decay: Vec<f64>,
    /// Scratch for held staff: `Σ_{y ≥ first + k} d(y) g(y)` per year index `k`.
    weights: Vec<f64>,
    /// Scratch for held staff: per coalition, the pooled staff's cost and size with the scope
    /// growth.
    held_limits: Vec<(f64, f64)>,
    /// Scratch: the asset events of one inhabitant, per year of the horizon.
    asset_years: Vec<AssetYear>,
    /// Each year's record `T(y)` ([`Model::npv_game_year_terms`]), `[year × width + value]`.
    years: Vec<f64>,
    /// The records' discounted sum, one record.
    sum: Vec<f64>,
    /// Each line's amount and rates' part per member, `[line × n + member]`.
    parts: Vec<(f64, f64)>,
    /// The discounted sums of the records from each leave year on ([`Model::remaining_games`]).
    suffix: Vec<f64>,
}

impl Model {
    /// The NPV cost `[running, start-up]` of every coalition mask under draw `v`, discounted
    /// by `discount` (one weight per year), into `costs` (`2^n` entries, `costs[0] = 0`).
    pub fn npv_game(
        &self,
        v: &DrawValues,
        discount: &[f64],
        table: &CoalitionTable,
        terms: &mut NpvGameTerms,
        costs: &mut Vec<[f64; 2]>,
    ) {
        self.npv_game_terms(v, discount, terms);
        self.npv_game_from_terms(v, discount, table, terms, costs, false, HeldStaff::Add);
    }

    /// The game of draw `v` from its aggregates in `terms`: the linear part by subset sums,
    /// each pooled component's curve weighted, the singletons' own costs. With `reuse`, the
    /// pooled component costs of the previous call with `terms` (the same draw, and the
    /// components whose weight was not zero then include those whose weight is not zero now)
    /// are taken as they are; held staff are added with `discount` when `held` says so.
    #[expect(
        clippy::too_many_arguments,
        reason = "the two switches of the two entry points"
    )]
    fn npv_game_from_terms(
        &self,
        v: &DrawValues,
        discount: &[f64],
        table: &CoalitionTable,
        terms: &mut NpvGameTerms,
        costs: &mut Vec<[f64; 2]>,
        reuse: bool,
        held: HeldStaff,
    ) {
        let n = self.n_members();
        debug_assert_eq!(table.n, n);
        let size = 1usize << n;
        costs.clear();
        costs.resize(size, [0.0; 2]);
        // `K` plus the linear part, by subset sums in whole-row passes (the coalitions whose
        // highest member is `b` are those below `2^b` with `b` added); the empty coalition
        // and the singletons are overwritten below.
        costs[0] = terms.constant;
        for (b, linear) in terms.linear.iter().enumerate() {
            let half = 1usize << b;
            let (low, high) = costs.split_at_mut(half);
            for (h, l) in high[..half].iter_mut().zip(low.iter()) {
                *h = [l[0] + linear[0], l[1] + linear[1]];
            }
        }
        let running = Category::Running.index();
        let staff_held = v.organisation.holds_staff;
        for (c, component) in self.components.iter().enumerate() {
            let values = &v.components[c];
            if component.is_staffing() && staff_held {
                if held == HeldStaff::Add {
                    self.add_held_staff(v, c, discount, table, terms, costs);
                }
                continue;
            }
            let weight = terms.weight[c];
            let one_off = terms.one_off_weight[c];
            if terms.pooled.len() != self.components.len() {
                terms.pooled.resize_with(self.components.len(), Vec::new);
            }
            if weight == 0.0 && one_off == 0.0 {
                if !reuse {
                    // Not evaluated for this draw: a later call with reuse evaluates it.
                    terms.pooled[c].clear();
                }
                continue;
            }
            let pooled = &mut terms.pooled[c];
            // With reuse, the previous call had a nonzero weight too (its years include
            // these), so it evaluated this component's curve for the same draw.
            if !reuse || pooled.len() != size {
                pooled.clear();
                pooled.resize(size, 0.0);
                component.pooled_costs(
                    values,
                    &table.components[c],
                    self.organisation.payroll_tax,
                    pooled,
                );
            }
            let startup = Category::StartUp.index();
            let pooled = &terms.pooled[c];
            if one_off == 0.0 {
                // Only the staff's one-off has a start-up weight.
                for (cost, pooled) in costs.iter_mut().zip(pooled) {
                    cost[running] += weight * pooled;
                }
            } else {
                for (cost, pooled) in costs.iter_mut().zip(pooled) {
                    cost[running] += weight * pooled;
                    cost[startup] += one_off * pooled;
                }
            }
        }
        costs[0] = [0.0; 2];
        for (i, s) in terms.singleton.iter().enumerate() {
            costs[1 << i] = *s;
        }
    }

    /// The NPV games without held staff (whose cost the caller adds) of draw `v` for every
    /// leave year `t` from `first` to the horizon, with the discount factors of the years
    /// before `t` set to zero, handed to `each(t, game)` in year order. The records are
    /// discounted and summed once, from the last year back (`S(t) = S(t + 1) + d(t) · T(t)`),
    /// and each pooled component's curve is evaluated once.
    #[expect(
        clippy::too_many_arguments,
        reason = "one draw, its buffers and the callback"
    )]
    pub(super) fn remaining_games(
        &self,
        v: &DrawValues,
        discount: &[f64],
        first: usize,
        table: &CoalitionTable,
        terms: &mut NpvGameTerms,
        game: &mut Vec<[f64; 2]>,
        mut each: impl FnMut(usize, &[[f64; 2]]),
    ) {
        let horizon = discount.len().min(self.horizon_years);
        if first >= horizon {
            return;
        }
        let width = self.record_width();
        self.npv_game_year_terms(v, horizon, terms);
        terms.suffix.clear();
        terms.suffix.resize((horizon - first) * width, 0.0);
        for t in (first..horizon).rev() {
            let at = (t - first) * width;
            let (this, later) = terms.suffix[at..].split_at_mut(width);
            if let Some(next) = later.get(..width) {
                this.copy_from_slice(next);
            }
            let d = discount[t];
            if d != 0.0 {
                for (sum, x) in this
                    .iter_mut()
                    .zip(&terms.years[t * width..(t + 1) * width])
                {
                    *sum += d * x;
                }
            }
        }
        for t in first..horizon {
            let at = (t - first) * width;
            terms.sum.clear();
            terms.sum.extend_from_slice(&terms.suffix[at..at + width]);
            self.npv_game_unpack(v, terms);
            let reuse = t > first;
            self.npv_game_from_terms(v, discount, table, terms, game, reuse, HeldStaff::Leave);
            each(t, game);
        }
    }

    /// The aggregates `K`, `a_i`, `w_c`, the start-up weights and the singletons' costs of draw
    /// `v` under `discount`: the records' discounted sum `Σ_y d(y) · T(y)` over the years whose
    /// weight is not zero, in year order ([`Model::npv_game_year_terms`]), then each member's
    /// amounts weighted by it ([`Model::npv_game_unpack`]).
    fn npv_game_terms(&self, v: &DrawValues, discount: &[f64], terms: &mut NpvGameTerms) {
        let width = self.record_width();
        self.npv_game_year_terms(v, discount.len().min(self.horizon_years), terms);
        terms.sum.clear();
        terms.sum.resize(width, 0.0);
        // Years whose weight is zero (those before a leave year, §10a) add nothing.
        for (record, &d) in terms.years.chunks_exact(width).zip(discount) {
            if d != 0.0 {
                for (sum, x) in terms.sum.iter_mut().zip(record) {
                    *sum += d * x;
                }
            }
        }
        self.npv_game_unpack(v, terms);
    }

    /// A staffing component whose transferred staff shrink only by attrition: its pooled cost
    /// depends on the year, so it is summed year by year for every coalition. The pooled staff
    /// and their cost come from the run's table of loads, the transferred staff by subset sums,
    /// the attrition factors `(1 − a)^k` once per draw; each coalition and year then costs a
    /// comparison (and a staff cost where the held staff exceed the target), in the order of
    /// [`Model::pooled_component_cost`].
    fn add_held_staff(
        &self,
        v: &DrawValues,
        c: usize,
        discount: &[f64],
        table: &CoalitionTable,
        terms: &mut NpvGameTerms,
        costs: &mut [[f64; 2]],
    ) {
        // Year by year, each coalition's amounts added in year order (the singletons' and
        // the empty coalition's are overwritten by the caller).
        self.held_staff_rows(v, c, discount, table, terms, HeldRows::AddTo(costs));
    }

    /// The discounted pooled cost `[running, start-up]` of held-staff component `c` in each
    /// year with weight for every coalition of two or more, year-major
    /// (`rows[k · 2^n + mask]`, `k` counting the years from the first with weight on or
    /// after pooling); each amount as [`Model::pooled_component_cost`] computes it. The
    /// cost of a coalition of two or more is the sum of its rows. The rows go where `into`
    /// says: kept (the remaining costs of §10a sum them from the back), or added year by year
    /// to each coalition's cost as they are made (the NPV game), which needs no buffer.
    pub(super) fn held_staff_rows(
        &self,
        v: &DrawValues,
        c: usize,
        discount: &[f64],
        table: &CoalitionTable,
        terms: &mut NpvGameTerms,
        into: HeldRows<'_>,
    ) -> usize {
        let component = &self.components[c];
        let values = &v.components[c];
        let horizon = discount.len().min(self.horizon_years);
        let payroll_tax = self.organisation.payroll_tax;
        let size = 1usize << self.n_members();
        component.pooled_staff(
            values,
            &table.components[c],
            payroll_tax,
            (&mut terms.staff, &mut terms.powers),
        );
        terms.transferred.clear();
        terms.transferred.resize(size, 0.0);
        for mask in 1..size {
            let low = mask.trailing_zeros() as usize;
            terms.transferred[mask] =
                terms.transferred[mask & (mask - 1)] + values.transferred_fte(low);
        }
        let from = component.pooled_from;
        let keep = 1.0 - v.organisation.attrition_rate;
        terms.decay.clear();
        terms
            .decay
            .extend((from..horizon.max(from)).map(|year| keep.powi((year - from) as i32)));
        let scale = 1.0 + values.scope_growth;
        let price = v.organisation.pooled_factor(true);
        let one_off = v.organisation.price_factor * v.organisation.staff_one_off;
        // Per coalition, what does not change by year: the pooled staff's cost and size
        // (`default`, `target`), computed once instead of once per year.
        terms.held_limits.clear();
        terms.held_limits.extend(
            terms
                .staff
                .iter()
                .map(|pooled| (pooled.nok * scale, pooled.fte * scale)),
        );
        // Years whose weight is zero (those before a leave year, §10a) are skipped: the
        // weights of the remaining costs are zero up to a year and the discount factors after.
        let skip = discount[from.min(horizon)..horizon]
            .iter()
            .take_while(|d| **d == 0.0)
            .count();
        let first = from + skip;
        // The staff cost curve once, not matched per coalition and year (nothing for a
        // component that is not staffing, as `Component::staff_cost`).
        let staff = match &values.kind {
            KindValues::Staffing(x) => Some(*x),
            _ => None,
        };
        // One coalition's yearly amount before discounting, in the order of
        // `Model::pooled_component_cost`.
        let amount = |held: f64, (default, target): (f64, f64)| match &staff {
            Some(x) if held > target => staff_cost(x, held, payroll_tax),
            Some(_) => default,
            None => 0.0,
        };
        let years = (from..horizon).zip(&terms.decay).skip(skip);
        let per_coalition = terms.held_limits.iter().zip(&terms.transferred);
        match into {
            HeldRows::Keep(rows) => {
                rows.clear();
                rows.resize(horizon.saturating_sub(first) * size, [0.0; 2]);
                for (row, (year, &decay)) in rows.chunks_exact_mut(size).zip(years) {
                    let (d, g) = (discount[year], values.growth_factors[year]);
                    let pooling = year == from;
                    for (slot, (&limits, &transferred)) in row.iter_mut().zip(per_coalition.clone())
                    {
                        let discounted = d * amount(transferred * decay, limits) * g;
                        *slot = [
                            discounted * price,
                            if pooling { discounted * one_off } else { 0.0 },
                        ];
                    }
                    // Singletons (and the empty coalition) have no pooled staff.
                    row[0] = [0.0; 2];
                    for i in 0..self.n_members() {
                        row[1 << i] = [0.0; 2];
                    }
                }
            }
            HeldRows::AddTo(costs) => {
                // `W(k) = Σ_{y ≥ first + k} d(y) g(y)`: attrition only lowers the held staff
                // (`0 ≤ 1 − a ≤ 1`), so once a coalition's held staff are down to its pooled
                // target they stay there, and its remaining years cost `default · W(k)`.
                let monotone = (0.0..=1.0).contains(&keep);
                terms.weights.clear();
                terms.weights.resize(horizon.saturating_sub(first) + 1, 0.0);
                for year in (first..horizon).rev() {
                    let k = year - first;
                    terms.weights[k] =
                        terms.weights[k + 1] + discount[year] * values.growth_factors[year];
                }
                for (cost, (&limits, &transferred)) in costs.iter_mut().zip(per_coalition) {
                    let (default, target) = limits;
                    let (mut running, mut startup) = (0.0, 0.0);
                    for (k, (year, &decay)) in years.clone().enumerate() {
                        let held = transferred * decay;
                        let above = held > target;
                        let discounted =
                            discount[year] * amount(held, limits) * values.growth_factors[year];
                        if year == from {
                            startup += discounted * one_off;
                        }
                        if monotone && !above {
                            running += default * terms.weights[k];
                            break;
                        }
                        running += discounted;
                    }
                    cost[0] += running * price;
                    cost[1] += startup;
                }
            }
        }
        first
    }
}
