//! The budget view and the socio-economic view over a run (docs/MODEL.md §6d): each draw's
//! budget NPV and socio-economic NPV per key and member and for the region under each key,
//! counted and summed per chunk and merged in chunk order, like the cash view's.

use super::accumulate::Layout;
use super::kernel::DrawScratch;
use crate::model::{Model, ViewTerms};
use crate::stats::Proportion;

/// Values per key: every member, then the region (the members' sum).
fn per_key(layout: &Layout) -> usize {
    layout.n_members + 1
}

/// What one chunk counted and summed: per key × (members + region) column and view (budget,
/// socio-economic), the sum, the sum of squares and the draws with a positive NPV; per key the
/// draws in which every member's budget NPV is positive.
#[derive(Debug, Default)]
pub(super) struct ViewSums {
    /// `[column × 2 + view]`: (sum, sum of squares).
    sums: Vec<(f64, f64)>,
    /// `[column × 2 + view]`.
    wins: Vec<u64>,
    /// Per key and view.
    all_win: Vec<u64>,
    /// Scratch: the latest draw's terms.
    terms: ViewTerms,
    /// Scratch: the latest draw's values, `[column × 2 + view]`.
    row: Vec<f64>,
}

impl ViewSums {
    pub(super) fn new(layout: &Layout) -> Self {
        let cols = layout.n_keys * per_key(layout);
        Self {
            sums: vec![(0.0, 0.0); 2 * cols],
            wins: vec![0; 2 * cols],
            all_win: vec![0; 2 * layout.n_keys],
            ..Self::default()
        }
    }

    /// Adds draw `s` (after the kernel applied the keys).
    pub(super) fn add_draw(
        &mut self,
        model: &Model,
        discount: &[f64],
        layout: &Layout,
        s: &DrawScratch,
    ) {
        model.draw_view_terms(&s.params, &s.flows, discount, &mut self.terms);
        let n = layout.n_members;
        self.row.clear();
        for (k, shares) in s.shares.iter().enumerate() {
            let (mut budget_region, mut socio_region) = (0.0, 0.0);
            let (mut all_budget, mut all_socio) = (true, true);
            let members = shares[0]
                .iter()
                .zip(&shares[1])
                .zip(&s.npv[k * n..(k + 1) * n]);
            for (i, ((&running, &startup), &npv)) in members.enumerate() {
                let (b, e) = model.member_views(i, npv, (running, startup), &self.terms);
                budget_region += b;
                socio_region += e;
                all_budget &= b > 0.0;
                all_socio &= e > 0.0;
                self.row.extend([b, e]);
            }
            self.row.extend([budget_region, socio_region]);
            self.all_win[2 * k] += u64::from(all_budget);
            self.all_win[2 * k + 1] += u64::from(all_socio);
        }
        for ((sum, win), &v) in self.sums.iter_mut().zip(&mut self.wins).zip(&self.row) {
            sum.0 += v;
            sum.1 += v * v;
            *win += u64::from(v > 0.0);
        }
    }

    /// Adds a later chunk's sums.
    pub(super) fn merge(&mut self, other: &ViewSums) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (a, b) in self.wins.iter_mut().zip(&other.wins) {
            *a += b;
        }
        for (a, b) in self.all_win.iter_mut().zip(&other.all_win) {
            *a += b;
        }
    }

    /// The run's results.
    pub(super) fn results(&self, layout: &Layout, n_draws: u64) -> Vec<KeyViews> {
        let per = per_key(layout);
        let outcome = |col: usize, view: usize| {
            let (sum, sq) = self.sums[2 * col + view];
            let r = n_draws.max(1) as f64;
            let mean = sum / r;
            let var = if n_draws > 1 {
                ((sq - r * mean * mean) / (r - 1.0)).max(0.0)
            } else {
                0.0
            };
            ViewOutcome {
                mean,
                mean_se: (var / r).sqrt(),
                p_win: Proportion::from_count(self.wins[2 * col + view], n_draws),
            }
        };
        (0..layout.n_keys)
            .map(|k| {
                let both = |col: usize| [outcome(col, 0), outcome(col, 1)];
                KeyViews {
                    members: (0..layout.n_members).map(|i| both(k * per + i)).collect(),
                    region: both(k * per + layout.n_members),
                    p_all_win: [0, 1]
                        .map(|v| Proportion::from_count(self.all_win[2 * k + v], n_draws)),
                }
            })
            .collect()
    }
}

/// One NPV in one view over the draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewOutcome {
    /// Mean over the draws, NOK.
    pub mean: f64,
    /// Standard error of the mean, `sd/√R`.
    pub mean_se: f64,
    /// Probability that it is positive.
    pub p_win: Proportion,
}

/// One key's NPVs in the budget view (`[0]`) and the socio-economic view (`[1]`).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyViews {
    /// Per member, in member order.
    pub members: Vec<[ViewOutcome; 2]>,
    /// The region: the members' sum.
    pub region: [ViewOutcome; 2],
    /// Probability that every member's NPV is positive, per view.
    pub p_all_win: [Proportion; 2],
}
