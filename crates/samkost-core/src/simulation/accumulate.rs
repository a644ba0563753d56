//! What the chunks count and sum, and how chunk results merge.
//!
//! Counts are integers, so their merge order does not matter; floating-point sums are kept
//! per chunk and merged in chunk order, and sketches take their values in draw order, so
//! results do not depend on the thread count. Per-draw values of runs that keep their draws
//! are written in place by the driver, column by column.

use std::collections::BTreeMap;

use super::kept::KeptShape;
use super::kernel::DrawScratch;
use super::{MAX_BAND_VALUES, RunConfig};
use crate::allocation::ResolvedKey;
use crate::games::MAX_EXACT_MEMBERS;
use crate::model::{DrawAccounts, Model};
use crate::stats::{QuantileSketch, sketch};

use super::stability::LARGE_STABILITY_DRAWS;
use super::stability_over_time::LeaveCounts;
use super::views::ViewSums;

/// Sizes of the per-draw and accumulated arrays.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) n_members: usize,
    pub(super) n_keys: usize,
    pub(super) horizon: usize,
    /// keys × members + 1 (region).
    pub(super) stride: usize,
    /// Draws below this index get a realised game for the stability check.
    pub(super) stability_draws: u64,
    /// Some key is recomputed on every draw's realised game.
    pub(super) any_ex_post: bool,
    /// Per key: whether its shares change from draw to draw (recomputed on the realised game),
    /// so that its payments must be summed draw by draw.
    pub(super) varying: Vec<bool>,
    /// Some key is varying.
    any_varying: bool,
    /// Per key: its place among the keys per component, whose payments the kernel keeps per
    /// year (`DrawScratch::component_pay`); such keys are varying too.
    pub(super) component_slot: Vec<Option<usize>>,
    /// Coalitions per game (`2^n`), or 0 when games are out of reach.
    pub(super) n_masks: usize,
    /// Keep every draw's NPVs (exact quantiles) or sketch them (bounded memory).
    pub(super) store_draws: bool,
    /// The NPV columns a kept draw stores.
    pub(super) kept: KeptShape,
    /// Draws below this index keep their members' yearly cumulative net benefit (fan bands).
    pub(super) band_draws: u64,
    /// Every draw is booked in the municipal accounts.
    pub(super) accounts: bool,
    /// What only the files show is computed ([`RunConfig::detailed`]): the members'
    /// percentiles in the budget and socio-economic views, years ahead and payback years, the
    /// region's yearly values.
    pub(super) detailed: bool,
}

impl Layout {
    pub(super) fn new(model: &Model, keys: &[ResolvedKey], config: &RunConfig) -> Self {
        let n_members = model.n_members();
        let exact = n_members <= MAX_EXACT_MEMBERS;
        let varying: Vec<bool> = keys
            .iter()
            .map(|k| model.has_events() || (exact && k.is_ex_post()) || k.components.is_some())
            .collect();
        Self {
            n_members,
            n_keys: keys.len(),
            horizon: model.horizon_years,
            stride: keys.len() * n_members + 1,
            stability_draws: if exact {
                config.stability_draws.min(config.n_draws)
            } else if n_members <= 1024 {
                config
                    .stability_draws
                    .min(config.n_draws)
                    .min(LARGE_STABILITY_DRAWS)
            } else {
                0
            },
            any_ex_post: exact && keys.iter().any(ResolvedKey::is_ex_post),
            any_varying: varying.iter().any(|v| *v),
            component_slot: keys
                .iter()
                .scan(0, |next, k| {
                    Some(k.components.as_ref().map(|_| {
                        *next += 1;
                        *next - 1
                    }))
                })
                .collect(),
            n_masks: if exact { 1 << n_members } else { 0 },
            store_draws: config.n_draws <= config.max_stored_draws,
            kept: KeptShape::new(keys, &varying, n_members, model.horizon_years),
            varying,
            accounts: config.accounts,
            detailed: config.detailed,
            band_draws: {
                let per_draw = (keys.len() * n_members * model.horizon_years).max(1) as u64;
                config
                    .band_draws
                    .min(config.n_draws)
                    .min(MAX_BAND_VALUES / per_draw)
            },
        }
    }

    /// Whether draw `draw` needs its realised game (exact reach only).
    pub(super) fn needs_game(&self, draw: u64) -> bool {
        self.n_masks > 0 && (self.any_ex_post || draw < self.stability_draws)
    }

    /// Whether draw `draw` is checked for leaving in a later year: the first
    /// [`super::LEAVING_DRAWS`] stability draws (leaving costs about thirty times a draw's
    /// flows).
    pub(super) fn checks_leaving(&self, draw: u64) -> bool {
        draw < self.stability_draws && draw < super::LEAVING_DRAWS
    }

    /// Whether draw `draw` needs every key's cumulative net benefit year by year: the fan
    /// bands, the counts by year of a detailed run and the leaving checks read it.
    pub(super) fn needs_years(&self, draw: u64) -> bool {
        self.detailed || draw < self.band_draws || self.checks_leaving(draw)
    }

    /// Whether draw `draw` builds its yearly rows: when something reads its years
    /// ([`Layout::needs_years`]) or some key's shares change from draw to draw, whose payments
    /// are summed year by year ([`Layout::varying`]). The core checks read only NPVs, so the
    /// other stability draws go without rows too.
    pub(super) fn needs_rows(&self, draw: u64) -> bool {
        self.needs_years(draw) || self.any_varying
    }

    /// Payback year counts per key × member column (`horizon + 1` bins each), none in a run
    /// without details, which does not show them.
    pub(super) fn payback_len(&self) -> usize {
        if self.detailed {
            self.cols() * (self.horizon + 1)
        } else {
            0
        }
    }

    /// Draws ahead per year and key × member column, none in a run without details.
    pub(super) fn ahead_len(&self) -> usize {
        if self.detailed {
            self.cols() * self.horizon
        } else {
            0
        }
    }

    /// Key × member columns.
    pub(super) fn cols(&self) -> usize {
        self.n_keys * self.n_members
    }

    /// Values per band draw: keys × members × years.
    pub(super) fn band_width(&self) -> usize {
        self.cols() * self.horizon
    }

    /// Accumulated flows: rows of `horizon` values — standalone, direct running, direct
    /// start-up, accounting alone, accounting in the cooperation (each per member), then
    /// pooled running, pooled start-up and pooled accounting, then per key whose shares vary
    /// ([`Layout::varying`]) and member the draw's share × pooled running, share × pooled start-up and running share × pooled accounting
    /// (see [`KEY_ROWS`]), so that keys whose shares change per draw get the mean of the
    /// product, not the product of means.
    pub(super) fn flows_len(&self) -> usize {
        let varying = self.varying.iter().filter(|v| **v).count();
        (5 * self.n_members + 3 + KEY_ROWS * varying * self.n_members) * self.horizon
    }
}

/// Rows of payments to the cooperation accumulated per key × member: running, start-up, and
/// the running share of the pooled accounting items.
pub(super) const KEY_ROWS: usize = 3;

/// What one chunk of draws counted and summed.
#[derive(Debug)]
pub(super) struct ChunkOutput {
    /// Runs that do not keep their draws: the chunk's NPV rows and regional cumulative rows,
    /// in draw order, for the sketches.
    pub(super) npv_rows: Vec<f64>,
    pub(super) region_rows: Vec<f64>,
    /// Per column: draws with a positive NPV.
    pub(super) wins: Vec<u64>,
    /// Per key: draws in which every member's NPV is positive.
    pub(super) all_win: Vec<u64>,
    /// Per key × member column: payback year counts, index `horizon` = never (empty in a
    /// run without details, which does not show them).
    pub(super) payback: Vec<u64>,
    /// Per year and key × member column (`[year × cols + col]`): draws ahead at the end of
    /// the year (empty in a run without details). Counted in `f64` (exact up to 2^53, far
    /// above a chunk's draws) so that the count is a compare, a mask and an add over whole
    /// vectors of columns.
    pub(super) ahead: Vec<f64>,
    /// Scratch: each column's payback bin in the latest draw (a small whole number in `f64`,
    /// for the same reason).
    from: Vec<f64>,
    /// Sums of the yearly flows (see [`Layout::flows_len`]).
    pub(super) flows: Vec<f64>,
    pub(super) first_bad_draw: Option<u64>,
    /// Per key: draws whose payments were in the core of the realised game.
    pub(super) stable: Vec<u64>,
    /// Per key and coalition mask: draws in which the coalition would gain by leaving.
    pub(super) tempted: Vec<u64>,
    /// Draws whose stability was checked.
    pub(super) stability_checked: u64,
    /// Draws checked for leaving in a later year (at most [`super::LEAVING_DRAWS`]).
    pub(super) leaving_checked: u64,
    /// Beyond exact reach: per key, counts of the tempted coalitions found.
    pub(super) tempted_sampled: Vec<BTreeMap<Vec<usize>, u64>>,
    /// Ex-post keys whose method failed on a draw (the planning shares were used instead).
    pub(super) ex_post_fallbacks: u64,
    /// Draws summed without their yearly rows.
    pub(super) aggregated: u64,
    /// Sums of the municipal accounts' rows (`accounts::accounts_len`).
    pub(super) accounts: Vec<f64>,
    /// Scratch: the latest draw's books.
    pub(super) books: DrawAccounts,
    /// Stability over time on the stability draws (allocated at the first one).
    pub(super) leaving: LeaveCounts,
    /// The budget and socio-economic views (`views.rs`).
    pub(super) views: ViewSums,
}

impl ChunkOutput {
    pub(super) fn new(layout: &Layout) -> Self {
        Self {
            npv_rows: Vec::new(),
            region_rows: Vec::new(),
            wins: vec![0; layout.stride],
            all_win: vec![0; layout.n_keys],
            payback: vec![0; layout.payback_len()],
            ahead: vec![0.0; layout.ahead_len()],
            from: Vec::new(),
            flows: vec![0.0; layout.flows_len()],
            first_bad_draw: None,
            stable: vec![0; layout.n_keys],
            tempted: vec![0; layout.n_keys * layout.n_masks],
            stability_checked: 0,
            leaving_checked: 0,
            tempted_sampled: vec![BTreeMap::new(); layout.n_keys],
            ex_post_fallbacks: 0,
            aggregated: 0,
            accounts: vec![0.0; super::accounts::accounts_len(layout)],
            books: DrawAccounts::default(),
            leaving: LeaveCounts::default(),
            views: ViewSums::new(layout),
        }
    }

    /// Counts one draw's outcome.
    pub(super) fn add_draw(&mut self, layout: &Layout, s: &DrawScratch) {
        let (n, h) = (layout.n_members, layout.horizon);
        for (w, &v) in self.wins.iter_mut().zip(&s.npv) {
            *w += u64::from(v > 0.0);
        }
        for k in 0..layout.n_keys {
            self.all_win[k] += u64::from(s.npv[k * n..(k + 1) * n].iter().all(|v| *v > 0.0));
        }
        if layout.detailed {
            // `ahead` has the year-major layout of `cumulative`.
            for (a, &v) in self.ahead.iter_mut().zip(&s.cumulative) {
                *a += if v > 0.0 { 1.0 } else { 0.0 };
            }
            payback_bins(&s.cumulative, layout.cols(), &mut self.from);
            for (bins, &from) in self.payback.chunks_exact_mut(h + 1).zip(&self.from) {
                bins[from as usize] += 1;
            }
        }
        if s.aggregated {
            // Its yearly amounts are summed on the tape (`FlowTape::flush`); no key's shares
            // change from draw to draw in a run that aggregates draws.
            self.aggregated += 1;
            return;
        }
        let f = &s.flows;
        let mut sums = self.flows.as_mut_slice();
        for row in f.base_rows() {
            let (into, rest) = sums.split_at_mut(row.len());
            for (a, v) in into.iter_mut().zip(row) {
                *a += v;
            }
            sums = rest;
        }
        // What each member pays the cooperation under each key whose shares change from draw
        // to draw, with this draw's shares (for the other keys the mean payment is the share
        // times the mean pooled cost, `driver::mean_flows`).
        if !s.key_pay.is_empty() {
            // Membership events: every key's payments year by year, from the kernel.
            for (a, v) in sums.iter_mut().zip(&s.key_pay) {
                *a += v;
            }
            return;
        }
        let pooled = [&f.pooled[0], &f.pooled[1], &f.pooled_accounting];
        let keys = s
            .shares
            .iter()
            .zip(&layout.varying)
            .zip(&layout.component_slot);
        for ((shares, _), slot) in keys.filter(|((_, v), _)| **v) {
            if let Some(slot) = slot {
                // A key per component: its payments year by year, from the kernel.
                let len = n * KEY_ROWS * h;
                let (into, rest) = sums.split_at_mut(len);
                for (a, v) in into.iter_mut().zip(&s.component_pay[slot * len..]) {
                    *a += v;
                }
                sums = rest;
                continue;
            }
            for (&run, &start) in shares[0].iter().zip(&shares[1]) {
                let share = [run, start, run];
                for (p, sh) in pooled.iter().zip(share) {
                    let (into, rest) = sums.split_at_mut(h);
                    for (a, v) in into.iter_mut().zip(p.iter()) {
                        *a += sh * v;
                    }
                    sums = rest;
                }
            }
        }
    }
}

/// Each column's payback bin from year-major cumulative net benefits (`cols` values per year):
/// the first year from which the cumulative net benefit stays positive to the horizon
/// (docs/MODEL.md §6), or the number of years (never) when it is not positive at the end. It
/// is the year after the last year not ahead, found year by year for all columns at once,
/// without branching; a NaN is not ahead.
fn payback_bins(cumulative: &[f64], cols: usize, from: &mut Vec<f64>) {
    from.clear();
    from.resize(cols, 0.0);
    if cols == 0 {
        return;
    }
    let mut next = 1.0;
    for year in cumulative.chunks_exact(cols) {
        for (from, &v) in from.iter_mut().zip(year) {
            *from = if v > 0.0 { *from } else { next };
        }
        next += 1.0;
    }
}

/// Everything the chunks accumulated, merged in chunk order.
pub(super) struct Totals {
    /// Runs that do not keep their draws: per year, a sketch of the region's discounted
    /// cumulative net benefit, and per column a sketch of the NPV with its sums.
    pub(super) region_yearly: Vec<QuantileSketch>,
    pub(super) sketches: Vec<QuantileSketch>,
    pub(super) sums: Vec<(f64, f64)>,
    pub(super) wins: Vec<u64>,
    pub(super) all_win: Vec<u64>,
    pub(super) payback: Vec<u64>,
    pub(super) ahead: Vec<u64>,
    pub(super) flow_sums: Vec<f64>,
    pub(super) stable: Vec<u64>,
    pub(super) tempted: Vec<u64>,
    pub(super) sampled: Vec<BTreeMap<Vec<usize>, u64>>,
    pub(super) checked: u64,
    /// Draws checked for leaving in a later year.
    pub(super) leaving_checked: u64,
    pub(super) fallbacks: u64,
    /// Draws summed without their yearly rows.
    pub(super) aggregated: u64,
    pub(super) accounts: Vec<f64>,
    pub(super) leaving: LeaveCounts,
    pub(super) views: ViewSums,
}

fn add_counts(into: &mut [u64], from: &[u64]) {
    into.iter_mut().zip(from).for_each(|(a, c)| *a += c);
}

impl Totals {
    pub(super) fn new(layout: &Layout) -> Self {
        let stride = layout.stride;
        let sketched = !layout.store_draws;
        let sketch = QuantileSketch::new(sketch::DEFAULT_RELATIVE_ACCURACY);
        Self {
            region_yearly: if sketched && layout.detailed {
                vec![sketch.clone(); layout.horizon]
            } else {
                Vec::new()
            },
            sketches: if sketched {
                vec![sketch; stride]
            } else {
                Vec::new()
            },
            sums: vec![(0.0, 0.0); stride],
            wins: vec![0; stride],
            all_win: vec![0; layout.n_keys],
            payback: vec![0; layout.payback_len()],
            ahead: vec![0; layout.ahead_len()],
            flow_sums: vec![0.0; layout.flows_len()],
            stable: vec![0; layout.n_keys],
            tempted: vec![0; layout.n_keys * layout.n_masks],
            sampled: vec![BTreeMap::new(); layout.n_keys],
            checked: 0,
            leaving_checked: 0,
            fallbacks: 0,
            aggregated: 0,
            accounts: vec![0.0; super::accounts::accounts_len(layout)],
            leaving: LeaveCounts::default(),
            views: ViewSums::new(layout),
        }
    }

    pub(super) fn add(&mut self, chunk: ChunkOutput) {
        let horizon = self.region_yearly.len().max(1);
        for row in chunk.region_rows.chunks(horizon) {
            for (sketch, &v) in self.region_yearly.iter_mut().zip(row) {
                if v.is_finite() {
                    sketch.add(v);
                }
            }
        }
        // Sketches and sums take the draws one by one, in draw order.
        let stride = self.sums.len();
        for row in chunk.npv_rows.chunks(stride) {
            for ((sketch, sums), &v) in self.sketches.iter_mut().zip(self.sums.iter_mut()).zip(row)
            {
                if v.is_finite() {
                    sketch.add(v);
                    sums.0 += v;
                    sums.1 += v * v;
                }
            }
        }
        add_counts(&mut self.wins, &chunk.wins);
        add_counts(&mut self.all_win, &chunk.all_win);
        add_counts(&mut self.payback, &chunk.payback);
        for (a, &c) in self.ahead.iter_mut().zip(&chunk.ahead) {
            // A whole number of draws, exact in f64.
            *a += c as u64;
        }
        add_counts(&mut self.stable, &chunk.stable);
        add_counts(&mut self.tempted, &chunk.tempted);
        self.flow_sums
            .iter_mut()
            .zip(&chunk.flows)
            .for_each(|(a, c)| *a += c);
        for (total, found) in self.sampled.iter_mut().zip(&chunk.tempted_sampled) {
            for (members, c) in found {
                *total.entry(members.clone()).or_insert(0) += c;
            }
        }
        self.accounts
            .iter_mut()
            .zip(&chunk.accounts)
            .for_each(|(a, c)| *a += c);
        self.checked += chunk.stability_checked;
        self.leaving_checked += chunk.leaving_checked;
        self.fallbacks += chunk.ex_post_fallbacks;
        self.aggregated += chunk.aggregated;
        self.leaving.merge(&chunk.leaving);
        self.views.merge(&chunk.views);
    }

    /// The coalition most often tempted to leave under key `k` (among equally frequent ones,
    /// the smallest), and the fraction of checked draws in which it was.
    pub(super) fn top_breakaway(&self, layout: &Layout, k: usize) -> Option<(Vec<usize>, f64)> {
        let n = layout.n_members;
        let checked = self.checked as f64;
        let counts = &self.tempted[k * layout.n_masks..(k + 1) * layout.n_masks];
        counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .max_by_key(|(m, c)| (**c, std::cmp::Reverse((m.count_ones(), *m))))
            .map(|(mask, c)| {
                (
                    (0..n).filter(|i| mask & (1 << i) != 0).collect(),
                    *c as f64 / checked,
                )
            })
            .or_else(|| {
                self.sampled[k]
                    .iter()
                    .max_by_key(|(m, c)| (**c, std::cmp::Reverse((m.len(), (*m).clone()))))
                    .map(|(m, c)| (m.clone(), *c as f64 / checked))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::payback_bins;

    /// Payback is the first year of the final run of positive cumulative net benefit
    /// (docs/MODEL.md §6), the last bin (the number of years) when there is none; a NaN is not
    /// ahead. Five columns over five years, year-major.
    #[test]
    fn payback_is_the_start_of_the_last_positive_run() {
        let nan = f64::NAN;
        let columns: [[f64; 5]; 5] = [
            [-1.0, 1.0, -1.0, 1.0, 1.0],
            [1.0, 2.0, 3.0, 4.0, 5.0],
            [1.0, 1.0, 1.0, 1.0, -1.0],
            [1.0, 1.0, 1.0, 1.0, 0.0],
            [nan, 1.0, 1.0, 1.0, 1.0],
        ];
        let year_major: Vec<f64> = (0..5).flat_map(|t| columns.map(|c| c[t])).collect();
        let mut from = Vec::new();
        payback_bins(&year_major, 5, &mut from);
        assert_eq!(from, [3.0, 0.0, 5.0, 5.0, 1.0]);
        payback_bins(&[], 0, &mut from);
        assert!(from.is_empty());
    }
}
