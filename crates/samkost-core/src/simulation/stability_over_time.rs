//! Stability over time: on each stability draw, for each key and each year from the first
//! operating year on, which groups of members would gain by leaving the cooperation that year
//! (docs/MODEL.md §10a). Exact over every group for up to
//! [`crate::games::MAX_EXACT_MEMBERS`] members; not computed beyond.
//!
//! Per draw: every coalition's remaining NPV cost from each leave year on
//! ([`Model::remaining_costs`]), the key-independent part of each group's gain
//! ([`leave_base`]), then per key the members' remaining net benefit under the key, read from
//! the kernel's cumulative sums (`rem_ki(t) = NPV_ki − cum_ki(t − 1)`), and the settlement
//! ([`add_key_part`]).

use super::kernel::{DrawScratch, Kernel};
use super::results::{LeaveYear, Tempted};
use crate::allocation::ResolvedKey;
use crate::model::{
    CoalitionTable, ExitTerms, Model, NpvGameTerms, RemainingCosts, add_key_part, leave_base,
};
use crate::stats::Proportion;

/// One worker's buffers.
#[derive(Debug, Default)]
pub(super) struct LeaveBuffers {
    terms: NpvGameTerms,
    remaining: RemainingCosts,
    exit: ExitTerms,
    base: Vec<f64>,
    gains: Vec<f64>,
    rem: Vec<f64>,
    sums: Vec<(f64, f64)>,
    alone: Vec<(f64, f64, f64)>,
}

/// Every key's gain from leaving for every group and leave year of one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeaveGains {
    /// The first leave year `T₀` (year index).
    pub first_year: usize,
    /// Leave years `T₀ … H − 1`.
    pub n_years: usize,
    /// Coalitions per year (`2^n`); mask `2^n − 1` is the wind-up.
    pub n_masks: usize,
    /// `[(key · n_years + j) · n_masks + mask]`: what group `mask` saves, in NPV at the start
    /// of the first year, by leaving at the start of year `first_year + j` (positive: it
    /// would gain).
    pub gains: Vec<f64>,
    /// A gain counts as a temptation above this: `CORE_REL_TOL · max(1, max_S |A(S, T₀)|)`.
    pub tolerance: f64,
}

impl LeaveBuffers {
    /// The gains of the draw in `s` (after [`Kernel::flows`] and [`Kernel::apply_keys`]).
    fn compute(
        &mut self,
        model: &Model,
        table: &CoalitionTable,
        discount: &[f64],
        s: &DrawScratch,
    ) -> (usize, usize, f64) {
        let n = model.n_members();
        model.remaining_costs(
            &s.values,
            discount,
            table,
            &mut self.terms,
            &mut self.remaining,
        );
        let years = self.remaining.n_years();
        model.exit_terms(&s.values, discount, &self.remaining, &mut self.exit);
        leave_base(&self.remaining, &self.exit, &mut self.alone, &mut self.base);
        let n_keys = s.shares.len();
        let cols = n_keys * n;
        let first = self.remaining.first_year;
        self.gains.clear();
        for k in 0..n_keys {
            self.rem.clear();
            for t in first..first + years {
                for i in 0..n {
                    let col = k * n + i;
                    let before = if t == 0 {
                        0.0
                    } else {
                        s.cumulative[(t - 1) * cols + col]
                    };
                    self.rem.push(s.npv[col] - before);
                }
            }
            let start = self.gains.len();
            self.gains.extend_from_slice(&self.base);
            add_key_part(
                &self.rem,
                &s.shares[k][0],
                &self.exit,
                years,
                &mut self.sums,
                &mut self.gains[start..],
            );
        }
        let scale = (0..self.remaining.n_masks.min(self.remaining.costs.len()))
            .map(|mask| self.remaining.total(0, mask).abs())
            .fold(1.0_f64, f64::max);
        (first, years, samkost_game::CORE_REL_TOL * scale)
    }
}

/// The [`LeaveGains`] of one draw with the given parameter values (in model order), with the
/// keys' planning shares: what the run counts on its stability draws, for tests and analyses.
pub fn leave_gains(
    model: &Model,
    keys: &[ResolvedKey],
    params: &[f64],
    discount: &[f64],
) -> LeaveGains {
    let kernel = Kernel::with_discount(model, keys, discount.to_vec());
    let mut s = kernel.scratch();
    s.params.clear();
    s.params.extend_from_slice(params);
    kernel.evaluate(&mut s);
    let table = CoalitionTable::new(model);
    let mut buf = LeaveBuffers::default();
    let (first_year, n_years, tolerance) = buf.compute(model, &table, discount, &s);
    LeaveGains {
        first_year,
        n_years,
        n_masks: 1 << model.n_members(),
        gains: buf.gains,
        tolerance,
    }
}

/// What the chunks count: per key, leave year and group, the draws in which the group would
/// gain by leaving and the sum of its gains in those draws; per key and year, the draws in
/// which some group would.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct LeaveCounts {
    n_years: usize,
    n_masks: usize,
    tempted: Vec<u64>,
    gain_sum: Vec<f64>,
    any: Vec<u64>,
}

impl LeaveCounts {
    fn ensure(&mut self, n_keys: usize, n_years: usize, n_masks: usize) {
        if self.tempted.is_empty() {
            self.n_years = n_years;
            self.n_masks = n_masks;
            self.tempted = vec![0; n_keys * n_years * n_masks];
            self.gain_sum = vec![0.0; n_keys * n_years * n_masks];
            self.any = vec![0; n_keys * n_years];
        }
    }

    /// Counts one stability draw.
    pub(super) fn add_draw(
        &mut self,
        model: &Model,
        table: &CoalitionTable,
        discount: &[f64],
        s: &DrawScratch,
        buf: &mut LeaveBuffers,
    ) {
        let (_, years, tolerance) = buf.compute(model, table, discount, s);
        let n_keys = s.shares.len();
        let size = 1usize << model.n_members();
        if years == 0 {
            return;
        }
        self.ensure(n_keys, years, size);
        for (row, gains) in buf.gains.chunks_exact(size).enumerate() {
            let mut any = false;
            let counts = &mut self.tempted[row * size..(row + 1) * size];
            let sums = &mut self.gain_sum[row * size..(row + 1) * size];
            for mask in 1..size {
                let gain = gains[mask];
                if gain > tolerance {
                    counts[mask] += 1;
                    sums[mask] += gain;
                    any = true;
                }
            }
            if any {
                self.any[row] += 1;
            }
        }
    }

    /// Adds a later chunk's counts (chunk order keeps the sums independent of the threads).
    pub(super) fn merge(&mut self, other: &LeaveCounts) {
        if other.tempted.is_empty() {
            return;
        }
        if self.tempted.is_empty() {
            self.clone_from(other);
            return;
        }
        self.tempted
            .iter_mut()
            .zip(&other.tempted)
            .for_each(|(a, b)| *a += b);
        self.gain_sum
            .iter_mut()
            .zip(&other.gain_sum)
            .for_each(|(a, b)| *a += b);
        self.any
            .iter_mut()
            .zip(&other.any)
            .for_each(|(a, b)| *a += b);
    }

    /// Key `k`'s year-by-year summary over `checked` stability draws; empty when nothing was
    /// counted.
    pub(super) fn summarise(&self, k: usize, first_year: usize, checked: u64) -> Vec<LeaveYear> {
        if self.tempted.is_empty() || checked == 0 {
            return Vec::new();
        }
        let (size, years) = (self.n_masks, self.n_years);
        let n = size.trailing_zeros() as usize;
        let p = |c: u64| c as f64 / checked as f64;
        (0..years)
            .map(|j| {
                let row = k * years + j;
                let counts = &self.tempted[row * size..(row + 1) * size];
                let sums = &self.gain_sum[row * size..(row + 1) * size];
                // Most often tempted; among equally frequent, the fewest members, then the
                // lowest mask.
                let top = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .max_by_key(|(m, c)| (**c, std::cmp::Reverse((m.count_ones(), *m))))
                    .map(|(mask, &c)| Tempted {
                        members: (0..n).filter(|i| mask & (1 << i) != 0).collect(),
                        p: p(c),
                        mean_gain: sums[mask] / c as f64,
                    });
                LeaveYear {
                    year: first_year + j,
                    p_any: Proportion::from_count(self.any[row], checked),
                    p_alone: (0..n).map(|i| p(counts[1 << i])).collect(),
                    p_wind_up: p(counts[size - 1]),
                    top,
                }
            })
            .collect()
    }
}
