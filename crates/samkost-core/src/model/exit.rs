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

use super::npv::HeldRows;
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
    /// Per held-staff component: its first year with weight and its suffix-summed yearly rows.
    held: Vec<(usize, Vec<[f64; 2]>)>,
    /// Row buffers kept for the next draw.
    spare: Vec<Vec<[f64; 2]>>,
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
    /// the discount factors of the years before `t` set to zero. Held staff (whose cost is
    /// summed year by year) enter as suffix sums of their yearly rows, computed once.
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
        let size = 1usize << self.n_members();
        out.first_year = first;
        out.n_masks = size;
        out.costs.clear();
        out.masked.clear();
        out.masked.extend_from_slice(&discount[..horizon]);
        for slot in &mut out.masked[..first] {
            *slot = 0.0;
        }
        // Each held-staff component's yearly amounts from `first` on, summed from the back:
        // row `k` then holds the amounts of its year and every later one.
        out.held.clear();
        for (c, component) in self.components.iter().enumerate() {
            if !(component.is_staffing() && v.organisation.holds_staff) {
                continue;
            }
            let mut rows = out.spare.pop().unwrap_or_default();
            let start =
                self.held_staff_rows(v, c, &out.masked, table, terms, HeldRows::Keep(&mut rows));
            let years = rows.len() / size;
            for k in (0..years.saturating_sub(1)).rev() {
                let (this, later) = rows[k * size..].split_at_mut(size);
                for (a, b) in this.iter_mut().zip(&later[..size]) {
                    a[0] += b[0];
                    a[1] += b[1];
                }
            }
            out.held.push((start, rows));
        }
        let (held, costs) = (&out.held, &mut out.costs);
        self.remaining_games(
            v,
            &out.masked,
            first,
            table,
            terms,
            &mut out.game,
            |t, game| {
                let at = costs.len();
                costs.extend_from_slice(game);
                for (start, rows) in held {
                    let k = t.max(*start) - start;
                    let Some(row) = rows.get(k * size..(k + 1) * size) else {
                        continue;
                    };
                    // The empty coalition's and the singletons' rows are `+0` (they hold no staff)
                    // and their costs are never `−0` (sums from `+0`), so adding every row adds
                    // exactly the held staff of the coalitions of two or more: one pass without
                    // a branch per coalition.
                    for (cost, amount) in costs[at..].iter_mut().zip(row) {
                        cost[0] += amount[0];
                        cost[1] += amount[1];
                    }
                }
            },
        );
        for (_, rows) in out.held.drain(..) {
            out.spare.push(rows);
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
    /// 1 when a leaver is settled its share of the book value, 0 when not (`[exit]`
    /// `settlement`); the wind-up's sale of the platform does not depend on it.
    pub settled: f64,
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
    /// The [`ExitTerms`] of draw `v` for the `n_years` leave years from `first_year` on.
    pub fn exit_terms(
        &self,
        v: &DrawValues,
        discount: &[f64],
        (first_year, n_years): (usize, usize),
        out: &mut ExitTerms,
    ) {
        let (months, share) = v.parallel;
        out.restart_fraction = share * months / 12.0;
        out.resale_share = v.assets.as_ref().map_or(0.0, |a| a.resale_share);
        out.settled = self.exit.settlement.factor();
        let years = (0..n_years).map(|j| first_year + j);
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
            out.own_stock.resize(n_years, 0.0);
            out.platform_stock.resize(n_years, 0.0);
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
    let years = remaining.n_years();
    out.clear();
    out.resize(remaining.costs.len(), 0.0);
    let f = exit.restart_fraction;
    let n = exit.populations.len();
    let mut running = Vec::with_capacity(size);
    for j in 0..years {
        let this = &remaining.costs[j * size..(j + 1) * size];
        // The running cost of the leave year itself, `A_run(S, t) − A_run(S, t + 1)`.
        running.clear();
        match remaining.costs.get((j + 1) * size..(j + 2) * size) {
            Some(next) => running.extend(this.iter().zip(next).map(|(a, b)| a[0] - b[0])),
            None => running.extend(this.iter().map(|a| a[0])),
        }
        // Subset sums of the singletons' remaining costs, restart and stock, and inhabitants,
        // by doubling: the groups with highest member `b` are those below `2^b` plus `b`.
        alone.clear();
        alone.resize(size, (0.0, 0.0, 0.0));
        for b in 0..n {
            let single = 1usize << b;
            let population = exit.populations[b];
            let add = (
                this[single][0] + this[single][1],
                f * running[single] + population * exit.own_stock[j],
                population,
            );
            let (low, high) = alone.split_at_mut(single);
            for (h, l) in high[..single].iter_mut().zip(low.iter()) {
                *h = (l.0 + add.0, l.1 + add.1, l.2 + add.2);
            }
        }
        // Groups of two or more short of everyone; the singletons, the wind-up and the empty
        // group are set after.
        let row = &mut out[j * size..(j + 1) * size];
        let platform = exit.platform_stock[j];
        let groups = row.iter_mut().zip(alone.iter()).zip(this).zip(&running);
        for (((slot, &(own_costs, _, population)), cost), &run) in groups {
            *slot = own_costs - (cost[0] + cost[1]) - f * run - population * platform;
        }
        row[0] = 0.0;
        for b in 0..n {
            row[1 << b] = -alone[1 << b].1;
        }
        if n >= 2 {
            row[size - 1] = -alone[size - 1].1 + exit.resale_share * exit.settlement_base[j];
        }
    }
}

/// One key's gains for one leave year: `row[mask]` = `base_row[mask]` (from [`leave_base`]) plus
/// `Σ_{i∈S} (σ_i · d(t) BV(t) − rem_i(t))` for groups short of everyone, with `rem_i(t)` the
/// member's discounted net benefit from `t` on under the key and `σ_i` its running share; the
/// wind-up (every member) gets `− Σ_i rem_i(t)` (it sells the platform instead, in the base).
/// Subset sums over the members by doubling: `O(2^n)`.
pub fn key_gains_row(
    base_row: &[f64],
    remaining_net: &[f64],
    running_shares: &[f64],
    settlement_base: f64,
    row: &mut Vec<f64>,
) {
    let size = base_row.len();
    debug_assert_eq!(size, 1 << remaining_net.len());
    // The doubling below writes every group but the empty one: no need to clear the rest.
    row.resize(size, 0.0);
    row[0] = 0.0;
    for (b, (rem, share)) in remaining_net.iter().zip(running_shares).enumerate() {
        let add = share * settlement_base - rem;
        let (low, high) = row.split_at_mut(1 << b);
        for (h, l) in high[..1 << b].iter_mut().zip(low.iter()) {
            *h = l + add;
        }
    }
    for (gain, base) in row.iter_mut().zip(base_row) {
        *gain += base;
    }
    if size > 1 {
        row[size - 1] -= running_shares.iter().sum::<f64>() * settlement_base;
    }
}

#[cfg(test)]
mod tests {
    use super::AssetValues;

    /// The settlement's base (docs/MODEL.md §10a) by hand: a platform at 70 % of a replacement
    /// cost of 600 NOK per inhabitant for 10,000 inhabitants costs 4,200,000 and depreciates
    /// over 5 years from the first operating year T₀ = 1. Held at the start of year 1: all of
    /// it; year 3: 3/5 of it, 2,520,000; year 6 (T₀ + 5), a replacement year: the old one is
    /// written down to 0 before the new one is bought; year 8: the replacement after 2 years,
    /// 2,520,000 again. Before T₀ the cooperation holds nothing.
    #[test]
    fn the_platform_book_value_held_is_straight_line_from_each_purchase() {
        let a = AssetValues {
            book_value: 300.0,
            remaining_life: 3,
            replacement: 600.0,
            life: 5,
            resale_share: 0.05,
            pooled_replacement_share: 0.7,
            residual_value: true,
            spread: true,
        };
        let held = |year| a.platform_book_value_held(10_000.0, 1, year);
        let expected = [
            (0, 0.0),
            (1, 4_200_000.0),
            (2, 3_360_000.0),
            (3, 2_520_000.0),
            (5, 840_000.0),
            (6, 0.0),
            (7, 3_360_000.0),
            (8, 2_520_000.0),
            (11, 0.0),
        ];
        for (year, value) in expected {
            assert!(
                (held(year) - value).abs() < 1e-6,
                "year {year}: {}",
                held(year)
            );
        }
    }
}
