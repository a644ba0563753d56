//! Stability over time: on each stability draw, for each key and each year from the first
//! operating year on, which groups of members would gain by leaving the cooperation that year
//! (docs/MODEL.md §10a). Exact over every group for up to
//! [`crate::games::MAX_EXACT_MEMBERS`] members; beyond, each member alone and the wind-up,
//! exactly ([`LeaveCounts::add_draw_singletons`]).
//!
//! Per draw: every coalition's remaining NPV cost from each leave year on
//! ([`Model::remaining_costs`]), the key-independent part of each group's gain
//! ([`leave_base`]), then per key and year the members' remaining net benefit under the key,
//! read from the kernel's cumulative sums (`rem_ki(t) = NPV_ki − cum_ki(t − 1)`), and the
//! settlement ([`key_gains_row`]), counted as they are made.

use super::kernel::{DrawScratch, Kernel};
use super::results::{LeaveYear, Tempted};
use crate::allocation::ResolvedKey;
use crate::model::{
    CoalitionFlows, CoalitionTable, ExitTerms, Model, NpvGameTerms, RemainingCosts, Scratch,
    key_gains_row, leave_base,
};
use crate::stats::Proportion;

/// One worker's buffers.
#[derive(Debug, Default)]
pub(super) struct LeaveBuffers {
    terms: NpvGameTerms,
    remaining: RemainingCosts,
    exit: ExitTerms,
    base: Vec<f64>,
    row: Vec<f64>,
    rem: Vec<f64>,
    alone: Vec<(f64, f64, f64)>,
    /// Beyond exact reach: each member's running cost alone per leave year, `[j · n + i]`.
    running_alone: Vec<f64>,
    scratch: Scratch,
    flows: CoalitionFlows,
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
    /// The key-independent part of the draw in `s` (after [`Kernel::flows`] and
    /// [`Kernel::apply_keys`]); returns the first leave year, the number of leave years and the
    /// tolerance.
    fn prepare(
        &mut self,
        model: &Model,
        table: &CoalitionTable,
        discount: &[f64],
        s: &DrawScratch,
    ) -> (usize, usize, f64) {
        model.remaining_costs(
            &s.values,
            discount,
            table,
            &mut self.terms,
            &mut self.remaining,
        );
        let years = (self.remaining.first_year, self.remaining.n_years());
        model.exit_terms(&s.values, discount, years, &mut self.exit);
        leave_base(&self.remaining, &self.exit, &mut self.alone, &mut self.base);
        let scale = (0..self.remaining.n_masks.min(self.remaining.costs.len()))
            .map(|mask| self.remaining.total(0, mask).abs())
            .fold(1.0_f64, f64::max);
        (
            self.remaining.first_year,
            self.remaining.n_years(),
            samkost_game::CORE_REL_TOL * scale,
        )
    }

    /// Key `k`'s gains for leave year index `j` into `self.row` (after [`Self::prepare`]):
    /// the members' remaining net benefit `rem_ki(t) = NPV_ki − cum_ki(t − 1)` from the
    /// kernel's cumulative sums, then [`key_gains_row`].
    fn key_row(&mut self, s: &DrawScratch, keys: &[ResolvedKey], k: usize, j: usize) {
        let n = s.standalone_npv.len();
        let cols = s.shares.len() * n;
        let t = self.remaining.first_year + j;
        self.rem.clear();
        self.rem.extend((0..n).map(|i| {
            let col = k * n + i;
            let before = if t == 0 {
                0.0
            } else {
                s.cumulative[(t - 1) * cols + col]
            };
            s.npv[col] - before
        }));
        let size = self.remaining.n_masks;
        key_gains_row(
            &self.base[j * size..(j + 1) * size],
            &self.rem,
            settlement_shares(s, keys, k, t),
            self.exit.settled * self.exit.settlement_base[j],
            &mut self.row,
        );
    }
}

/// The running shares that split the settlement of a group leaving at the start of year `t`
/// under key `k`: the draw's shares, or that year's for a key that follows a driver given by
/// year (docs/MODEL.md §5a).
fn settlement_shares<'a>(
    s: &'a DrawScratch,
    keys: &'a [ResolvedKey],
    k: usize,
    t: usize,
) -> &'a [f64] {
    match keys.get(k) {
        Some(key) if key.yearly.is_some() => key.shares_in_year(0, t),
        _ => &s.shares[k][0],
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
    let (first_year, n_years, tolerance) = buf.prepare(model, &table, discount, &s);
    let mut gains = Vec::new();
    for k in 0..keys.len() {
        for j in 0..n_years {
            buf.key_row(&s, keys, k, j);
            gains.extend_from_slice(&buf.row);
        }
    }
    LeaveGains {
        first_year,
        n_years,
        n_masks: 1 << model.n_members(),
        gains,
        tolerance,
    }
}

/// What the chunks count: per key, leave year and group, the draws in which the group would
/// gain by leaving and the sum of its gains in those draws; per key and year, the draws in
/// which some group would.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct LeaveCounts {
    n_years: usize,
    /// Groups per key and year: `2^n` coalition masks, or beyond exact reach `n + 1` (each
    /// member alone, then the wind-up).
    n_masks: usize,
    singletons_only: bool,
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
        keys: &[ResolvedKey],
        buf: &mut LeaveBuffers,
    ) {
        let (_, years, tolerance) = buf.prepare(model, table, discount, s);
        let n_keys = s.shares.len();
        let size = 1usize << model.n_members();
        if years == 0 {
            return;
        }
        self.ensure(n_keys, years, size);
        for k in 0..n_keys {
            for j in 0..years {
                buf.key_row(s, keys, k, j);
                let at = k * years + j;
                let counts = &mut self.tempted[at * size..(at + 1) * size];
                let sums = &mut self.gain_sum[at * size..(at + 1) * size];
                // Branch-free and by index over slices of one length, so that the compare,
                // count and sum run over whole vectors (an iterator chain with `skip` keeps
                // the compiler from seeing `any` as a reduction).
                let m = size.min(buf.row.len());
                let (gains, counts, sums) = (&buf.row[..m], &mut counts[..m], &mut sums[..m]);
                // A pass without stores first: in most keys' years no group would gain.
                let groups = gains.get(1..).unwrap_or_default();
                let tempted = groups.iter().fold(false, |any, g| any | (*g > tolerance));
                if !tempted {
                    continue;
                }
                let mut any = 0;
                for mask in 1..m {
                    let gain = gains[mask];
                    let tempted = gain > tolerance;
                    counts[mask] += u64::from(tempted);
                    sums[mask] += if tempted { gain } else { 0.0 };
                    any |= u64::from(tempted);
                }
                self.any[at] += any;
            }
        }
    }

    /// Counts one stability draw of a cooperation beyond exact reach: each member alone and the
    /// wind-up (docs/MODEL.md §10a), from the member's remaining net benefit, its running cost
    /// alone in the leave year ([`Model::coalition_flows`] of `{i}`), its stock and settlement.
    pub(super) fn add_draw_singletons(
        &mut self,
        model: &Model,
        discount: &[f64],
        s: &DrawScratch,
        keys: &[ResolvedKey],
        buf: &mut LeaveBuffers,
    ) {
        let (n, h) = (model.n_members(), discount.len().min(model.horizon_years));
        let first = model.operation_start.min(h);
        let years = h - first;
        if years == 0 {
            return;
        }
        model.exit_terms(&s.values, discount, (first, years), &mut buf.exit);
        buf.running_alone.clear();
        for (t, d) in discount.iter().enumerate().take(h).skip(first) {
            for i in 0..n {
                model.coalition_flows(&s.values, &[i], t, &mut buf.scratch, &mut buf.flows);
                let running = buf.flows.pooled[0] + buf.flows.direct[0][0];
                buf.running_alone.push(d * running);
            }
        }
        // The sampled core check's scale: the members' standalone NPVs (§10).
        let scale = s.standalone_npv.iter().map(|v| v.abs()).sum::<f64>();
        let tolerance = samkost_game::CORE_REL_TOL * scale.max(1.0);
        let n_keys = s.shares.len();
        if self.tempted.is_empty() {
            self.singletons_only = true;
        }
        self.ensure(n_keys, years, n + 1);
        let cols = n_keys * n;
        let exit = &buf.exit;
        for k in 0..n_keys {
            for j in 0..years {
                let t = first + j;
                let at = k * years + j;
                let counts = &mut self.tempted[at * (n + 1)..(at + 1) * (n + 1)];
                let sums = &mut self.gain_sum[at * (n + 1)..(at + 1) * (n + 1)];
                let mut wind_up = exit.resale_share * exit.settlement_base[j];
                let mut any = false;
                for i in 0..n {
                    let col = k * n + i;
                    let before = if t == 0 {
                        0.0
                    } else {
                        s.cumulative[(t - 1) * cols + col]
                    };
                    let rem = s.npv[col] - before;
                    let restart = exit.restart_fraction * buf.running_alone[j * n + i]
                        + exit.populations[i] * exit.own_stock[j];
                    wind_up -= rem + restart;
                    let share = settlement_shares(s, keys, k, t)[i];
                    let gain = -rem - restart + share * exit.settled * exit.settlement_base[j];
                    if gain > tolerance {
                        counts[i] += 1;
                        sums[i] += gain;
                        any = true;
                    }
                }
                if wind_up > tolerance {
                    counts[n] += 1;
                    sums[n] += wind_up;
                    any = true;
                }
                if any {
                    self.any[at] += 1;
                }
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
        let n = if self.singletons_only {
            size - 1
        } else {
            size.trailing_zeros() as usize
        };
        let members = |group: usize| -> Vec<usize> {
            if !self.singletons_only {
                (0..n).filter(|i| group & (1 << i) != 0).collect()
            } else if group < n {
                vec![group]
            } else {
                (0..n).collect()
            }
        };
        let alone = |i: usize| if self.singletons_only { i } else { 1 << i };
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
                    .max_by_key(|(g, c)| (**c, std::cmp::Reverse((members(*g).len(), *g))))
                    .map(|(group, &c)| Tempted {
                        members: members(group),
                        p: p(c),
                        mean_gain: sums[group] / c as f64,
                    });
                LeaveYear {
                    year: first_year + j,
                    p_any: Proportion::from_count(self.any[row], checked),
                    p_alone: (0..n).map(|i| p(counts[alone(i)])).collect(),
                    p_wind_up: p(counts[size - 1]),
                    top,
                }
            })
            .collect()
    }
}
