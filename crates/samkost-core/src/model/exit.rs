//! What leaving the cooperation in a later year is worth to a group of members, under one draw
//! (docs/MODEL.md §10a, "Stability over time").
//!
//! A group `S` that leaves at the start of year `t ≥ T₀` pays from `t` on the cost of its own
//! operation, `A(S, t) = Σ_{t' ≥ t} d(t') c(S, t')` (alone when `|S| = 1`, as a cooperation of
//! its own when `|S| ≥ 2`, both by [`Model::coalition_flows`]'s rules), plus a restart cost
//! (the draw's parallel operation of §4b on its new operation's running cost), and receives its
//! key share of the shared platform's book value as settlement (IKS-loven § 30). In the
//! cooperation it would pay, from `t` on, its key share of the pooled cost plus its own direct
//! costs. Every coalition's `A(S, t)` for every `t` comes from [`Model::npv_game`] with the
//! discount factors of the years before `t` set to zero; the test
//! `stability_over_time::leave_gains_match_a_year_by_year_computation` checks the result against
//! [`Model::coalition_flows`] year by year.

use super::{AssetValues, CoalitionTable, DrawValues, Model, NpvGameTerms};

/// Every coalition's NPV cost from each possible leave year on, under one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemainingCosts {
    /// The first leave year (the first operating year `T₀`).
    pub first_year: usize,
    /// Coalitions per year (`2^n`).
    pub n_masks: usize,
    /// `[(t − first_year) · n_masks + mask]`: `[running, start-up]` of
    /// `A(S, t) = Σ_{t' ≥ t} d(t') c(S, t')`.
    pub costs: Vec<[f64; 2]>,
    masked: Vec<f64>,
    game: Vec<[f64; 2]>,
}

impl RemainingCosts {
    /// Number of leave years (`H − T₀`, 0 when the cooperation never operates).
    pub fn n_years(&self) -> usize {
        self.costs.len().checked_div(self.n_masks).unwrap_or(0)
    }

    /// `A(S, t)` of leave year index `j` (`t = first_year + j`), both categories.
    pub fn total(&self, j: usize, mask: usize) -> f64 {
        let c = self.costs[j * self.n_masks + mask];
        c[0] + c[1]
    }

    /// `d(t) · c_running(S, t)`: the discounted running cost of the leave year itself.
    pub fn running_in_year(&self, j: usize, mask: usize) -> f64 {
        let this = self.costs[j * self.n_masks + mask][0];
        let next = if j + 1 < self.n_years() {
            self.costs[(j + 1) * self.n_masks + mask][0]
        } else {
            0.0
        };
        this - next
    }
}

impl Model {
    /// [`RemainingCosts`] of draw `v`: for every leave year `t = T₀ … H−1` the NPV game with
    /// the discount factors of the years before `t` set to zero.
    pub fn remaining_costs(
        &self,
        v: &DrawValues,
        discount: &[f64],
        table: &CoalitionTable,
        terms: &mut NpvGameTerms,
        out: &mut RemainingCosts,
    ) {
        let horizon = discount.len().min(self.horizon_years);
        let first = self.operation_start.min(horizon);
        out.first_year = first;
        out.n_masks = 1 << self.n_members();
        out.costs.clear();
        out.masked.clear();
        out.masked.extend_from_slice(&discount[..horizon]);
        for slot in &mut out.masked[..first] {
            *slot = 0.0;
        }
        for t in first..horizon {
            if t > first {
                out.masked[t - 1] = 0.0;
            }
            self.npv_game(v, &out.masked, table, terms, &mut out.game);
            out.costs.extend_from_slice(&out.game);
        }
    }

    /// The book value of the grand coalition's shared platform held at the start of year
    /// `year` (before the year's replacement), 0 without assets or before `T₀`.
    pub fn platform_book_value(&self, v: &DrawValues, year: usize) -> f64 {
        let Some(assets) = &v.assets else {
            return 0.0;
        };
        let population: f64 = self.members.iter().map(|m| m.population).sum();
        assets.platform_book_value_held(population, self.operation_start, year)
    }
}

impl AssetValues {
    /// The book value of a shared platform (coalition of `population` inhabitants, pooled from
    /// `start`) held at the start of `year`, before that year's replacement: the first platform
    /// (bought by the start-up project at the cost of a replacement) depreciates over `life`
    /// years from `start`, each replacement likewise from the year it is bought.
    pub fn platform_book_value_held(&self, population: f64, start: usize, year: usize) -> f64 {
        if year < start || self.life == 0 {
            return 0.0;
        }
        if year < start + self.life {
            let r = self.pooled_replacement_share * self.replacement * population;
            return r - r / self.life as f64 * (year - start) as f64;
        }
        self.pooled_year(population, start, year).book_value_held()
    }
}

/// The parts of leaving that do not depend on the key, for one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExitTerms {
    /// Restart cost as a fraction of the new operation's running cost of the leave year:
    /// `s · m / 12` with the draw's parallel operation (`m` months at share `s`, §4b).
    pub restart_fraction: f64,
    /// Per leave year index: `d(t) · BV(t)`, the discounted book value of the shared platform
    /// that leavers are settled their key share of.
    pub settlement_base: Vec<f64>,
    /// Resale share of assets, the part of the platform's book value a wind-up realises.
    pub resale_share: f64,
    /// Per leave year index: `d(t) · b_own(t)`, the discounted book value per inhabitant of
    /// the asset stock a member alone holds at the start of year `t` (§4b), which a member
    /// that leaves alone buys in, since its own assets were retired at `T₀`.
    pub own_stock: Vec<f64>,
    /// Per leave year index: `d(t) · b_platform(t)`, the discounted book value per inhabitant
    /// of a shared platform pooled from `T₀`, which a group that leaves together buys in.
    pub platform_stock: Vec<f64>,
    /// Each member's inhabitants.
    pub populations: Vec<f64>,
}

impl Model {
    /// The [`ExitTerms`] of draw `v` for the leave years of `remaining`.
    pub fn exit_terms(
        &self,
        v: &DrawValues,
        discount: &[f64],
        remaining: &RemainingCosts,
        out: &mut ExitTerms,
    ) {
        let (months, share) = v.parallel;
        out.restart_fraction = share * months / 12.0;
        out.resale_share = v.assets.as_ref().map_or(0.0, |a| a.resale_share);
        let years = (0..remaining.n_years()).map(|j| remaining.first_year + j);
        out.settlement_base.clear();
        out.settlement_base.extend(
            years
                .clone()
                .map(|t| discount[t] * self.platform_book_value(v, t)),
        );
        out.own_stock.clear();
        out.platform_stock.clear();
        if let Some(assets) = &v.assets {
            let start = self.operation_start;
            out.own_stock.extend(
                years
                    .clone()
                    .map(|t| discount[t] * assets.standalone_year(1.0, t).book_value_held()),
            );
            out.platform_stock.extend(
                years.map(|t| discount[t] * assets.platform_book_value_held(1.0, start, t)),
            );
        } else {
            out.own_stock.resize(remaining.n_years(), 0.0);
            out.platform_stock.resize(remaining.n_years(), 0.0);
        }
        out.populations.clear();
        out.populations
            .extend(self.members.iter().map(|m| m.population));
    }
}

/// Key-independent part of every group's gain from leaving, per leave year and coalition
/// mask (`[j · n_masks + mask]`), in NPV at the start of the first year:
///
/// ```text
/// |S| = 1:       −f · d(t) c_run({i}, t) − d(t) P_i b_own(t)
/// 2 ≤ |S| < n:   Σ_{i∈S} A({i}, t) − A(S, t) − f · d(t) c_run(S, t) − d(t) P_S b_platform(t)
/// S = N:         Σ_i (−f · d(t) c_run({i}, t) − d(t) P_i b_own(t)) + ρ · d(t) BV(t)
/// ```
///
/// with `f` the restart fraction, `b_own`, `b_platform` the book values per inhabitant of the
/// stock the leavers buy in, `ρ` the resale share and `BV` the cooperation's platform (the
/// wind-up sells it: every member goes alone).
pub fn leave_base(
    remaining: &RemainingCosts,
    exit: &ExitTerms,
    alone: &mut Vec<(f64, f64, f64)>,
    out: &mut Vec<f64>,
) {
    let size = remaining.n_masks;
    out.clear();
    out.resize(remaining.costs.len(), 0.0);
    let f = exit.restart_fraction;
    for j in 0..remaining.n_years() {
        let row = &mut out[j * size..(j + 1) * size];
        // Subset sums of the singletons' remaining costs and restart costs.
        alone.clear();
        alone.resize(size, (0.0, 0.0, 0.0));
        for mask in 1..size {
            let low = mask.trailing_zeros() as usize;
            let prev = alone[mask & (mask - 1)];
            let single = 1 << low;
            let population = exit.populations[low];
            alone[mask] = (
                prev.0 + remaining.total(j, single),
                prev.1 + f * remaining.running_in_year(j, single) + population * exit.own_stock[j],
                prev.2 + population,
            );
        }
        for mask in 1..size {
            let (own_costs, restart_alone, population) = alone[mask];
            row[mask] = if mask.count_ones() == 1 {
                -restart_alone
            } else if mask == size - 1 {
                -restart_alone + exit.resale_share * exit.settlement_base[j]
            } else {
                own_costs
                    - remaining.total(j, mask)
                    - f * remaining.running_in_year(j, mask)
                    - population * exit.platform_stock[j]
            };
        }
    }
}

/// Adds one key's part to the gains in `gains` (a copy of [`leave_base`]'s output):
/// `− Σ_{i∈S} rem_i(t) + σ_S · d(t) BV(t)` for groups short of everyone, with `rem_i(t)` the
/// member's discounted net benefit from `t` on under the key (`remaining_net[j · n + i]`) and
/// `σ_S` the group's running shares; the wind-up gets `− Σ_i rem_i(t)`.
pub fn add_key_part(
    remaining_net: &[f64],
    running_shares: &[f64],
    exit: &ExitTerms,
    n_years: usize,
    sums: &mut Vec<(f64, f64)>,
    gains: &mut [f64],
) {
    let n = running_shares.len();
    let size = 1usize << n;
    for j in 0..n_years {
        let rem = &remaining_net[j * n..(j + 1) * n];
        sums.clear();
        sums.resize(size, (0.0, 0.0));
        for mask in 1..size {
            let low = mask.trailing_zeros() as usize;
            let prev = sums[mask & (mask - 1)];
            sums[mask] = (prev.0 + rem[low], prev.1 + running_shares[low]);
        }
        let row = &mut gains[j * size..(j + 1) * size];
        for mask in 1..size {
            let (rem_sum, share) = sums[mask];
            row[mask] -= rem_sum;
            if mask != size - 1 {
                row[mask] += share * exit.settlement_base[j];
            }
        }
    }
}
