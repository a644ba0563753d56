//! The budget view and the socio-economic view over a run (docs/MODEL.md §6d): each draw's
//! budget NPV and socio-economic NPV per key and member and for the region under each key,
//! counted and summed per chunk and merged in chunk order, like the cash view's; their
//! percentiles from the run's per-draw columns or, in runs that keep no draws, from quantile
//! sketches; and core stability in each view on the stability draws.
//!
//! The per-draw columns do not hold the members' values in the views (`2·K·n` a draw) but what
//! they are computed from besides the cash NPVs, which the run keeps anyway: each member's
//! terms (`G_i`, `S_i`, `A_i`, `O_i`), `X^c`, and the shares of keys whose shares change from
//! draw to draw (`4n + 2` values a draw, plus `2n` per such key), beside the region's values
//! (`2K`). The summary computes each member's values again with the same function, so they are
//! the values the counts saw, bit for bit, in a third of the memory for the default scenario.

use rayon::prelude::*;

use super::accumulate::Layout;
use super::kept::KeptNpv;
use super::kernel::DrawScratch;
use crate::allocation::ResolvedKey;
use crate::model::{MemberTerms, Model, ViewTerms};
use crate::stats::{Proportion, QuantileSketch, sketch};

/// Values per key: every member, then the region (the members' sum).
fn per_key(layout: &Layout) -> usize {
    layout.n_members + 1
}

/// Values per draw: `[(key × (members + 1) + column) × 2 + view]`.
fn row_len(layout: &Layout) -> usize {
    2 * layout.n_keys * per_key(layout)
}

/// Values a kept draw stores: `G_i`, `S_i`, `A_i`, `O_i` (`n` each), `X^0`, `X^1`, the
/// region's budget and socio-economic NPV per key (`2K`), then per key whose shares vary
/// ([`Layout::varying`]) its running and start-up shares (`n` each). Without the members'
/// percentiles ([`Layout::detailed`]) only the region's `2K`.
pub(super) fn stored_len(layout: &Layout) -> usize {
    let n = layout.n_members;
    if !layout.detailed {
        return 2 * layout.n_keys;
    }
    4 * n + 2 + 2 * layout.n_keys + 2 * n * layout.varying.iter().filter(|v| **v).count()
}

/// Where the region's values start in a kept draw ([`stored_len`]).
fn stored_region(layout: &Layout) -> usize {
    if layout.detailed {
        4 * layout.n_members + 2
    } else {
        0
    }
}

/// Whether value `c` of a draw's row (`[(key × (members + 1) + column) × 2 + view]`) has its
/// percentiles computed: the region's always, the members' with [`Layout::detailed`].
fn has_percentiles(layout: &Layout, c: usize) -> bool {
    layout.detailed || (c / 2) % per_key(layout) == layout.n_members
}

/// What one chunk counted and summed: per key × (members + region) column and view (budget,
/// socio-economic), the sum, the sum of squares and the draws with a positive NPV; per key the
/// draws in which every member's NPV in the view is positive, and the stability draws in which
/// the key is in the view's core.
#[derive(Debug, Default)]
pub(super) struct ViewSums {
    /// `[column × 2 + view]`: the sum and the sum of squares, in two arrays so that each
    /// draw's additions run over whole vectors.
    sums: Vec<f64>,
    squares: Vec<f64>,
    /// `[column × 2 + view]`.
    wins: Vec<u64>,
    /// Per key and view.
    all_win: Vec<u64>,
    /// Per key and view: stability draws in the view's core.
    core: Vec<u64>,
    /// Runs that keep no draws: `[column × 2 + view]`, the values' sketch.
    sketches: Vec<QuantileSketch>,
    /// Scratch: the latest draw's terms.
    terms: ViewTerms,
    /// Scratch: the latest draw's values, `[column × 2 + view]`.
    row: Vec<f64>,
    /// Scratch: what the latest draw keeps ([`stored_len`]), in runs that keep their draws.
    stored: Vec<f64>,
    /// The latest stability draw's cash core check, per key: whether a coalition of two or more
    /// members would gain by leaving, and the check's tolerance.
    groups: Vec<(bool, f64)>,
    /// Whether [`ViewSums::note_core_check`] was called since the last draw was added.
    noted: bool,
}

impl ViewSums {
    pub(super) fn new(layout: &Layout) -> Self {
        let values = row_len(layout);
        let sketch = QuantileSketch::new(sketch::DEFAULT_RELATIVE_ACCURACY);
        Self {
            sums: vec![0.0; values],
            squares: vec![0.0; values],
            wins: vec![0; values],
            all_win: vec![0; 2 * layout.n_keys],
            core: vec![0; 2 * layout.n_keys],
            sketches: if layout.store_draws {
                Vec::new()
            } else {
                vec![sketch; values]
            },
            groups: vec![(false, 0.0); layout.n_keys],
            ..Self::default()
        }
    }

    /// Records key `k`'s cash core check of the current draw: whether some coalition of two or
    /// more members (not all) would gain by leaving, and the check's tolerance. Its view NPVs
    /// decide the singletons in [`ViewSums::add_draw`] (docs/MODEL.md §6d).
    pub(super) fn note_core_check(&mut self, k: usize, group_tempted: bool, tolerance: f64) {
        self.groups[k] = (group_tempted, tolerance);
        self.noted = true;
    }

    /// What the latest draw keeps for the percentiles ([`stored_len`]).
    pub(super) fn stored(&self) -> &[f64] {
        &self.stored
    }

    /// Adds draw `s` (after the kernel applied the keys and, on a stability draw, after
    /// [`ViewSums::note_core_check`] for every key).
    pub(super) fn add_draw(
        &mut self,
        model: &Model,
        discount: &[f64],
        layout: &Layout,
        s: &DrawScratch,
    ) {
        if s.aggregated {
            let row = |r, i| s.tape.discounted(r, i);
            model.draw_view_terms_discounted(&s.params, discount, row, &mut self.terms);
        } else {
            model.draw_view_terms(&s.params, &s.flows, discount, &mut self.terms);
        }
        let n = layout.n_members;
        // Every value of the row is written below, at its place.
        self.row.resize(2 * s.shares.len() * (n + 1), 0.0);
        for (k, (shares, row)) in s
            .shares
            .iter()
            .zip(self.row.chunks_exact_mut(2 * (n + 1)))
            .enumerate()
        {
            let (mut budget_region, mut socio_region) = (0.0, 0.0);
            let (mut all_budget, mut all_socio) = (true, true);
            // A member's view NPV at least −tol: it would not leave to go alone.
            let tolerance = -self.groups[k].1;
            let (mut alone_budget, mut alone_socio) = (true, true);
            let members = shares[0]
                .iter()
                .zip(&shares[1])
                .zip(&s.npv[k * n..(k + 1) * n]);
            let slots = row.chunks_exact_mut(2);
            for (i, (((&running, &startup), &npv), slot)) in members.zip(slots).enumerate() {
                let (b, e) = model.member_views(i, npv, (running, startup), &self.terms);
                budget_region += b;
                socio_region += e;
                all_budget &= b > 0.0;
                all_socio &= e > 0.0;
                alone_budget &= b >= tolerance;
                alone_socio &= e >= tolerance;
                slot.copy_from_slice(&[b, e]);
            }
            row[2 * n..].copy_from_slice(&[budget_region, socio_region]);
            self.all_win[2 * k] += u64::from(all_budget);
            self.all_win[2 * k + 1] += u64::from(all_socio);
            if self.noted {
                let groups_stay = !self.groups[k].0;
                self.core[2 * k] += u64::from(groups_stay && alone_budget);
                self.core[2 * k + 1] += u64::from(groups_stay && alone_socio);
            }
        }
        self.noted = false;
        let row = &self.row[..self.sums.len().min(self.row.len())];
        let sums = &mut self.sums[..row.len()];
        let squares = &mut self.squares[..row.len()];
        let wins = &mut self.wins[..row.len()];
        for c in 0..row.len() {
            let v = row[c];
            sums[c] += v;
            squares[c] += v * v;
            wins[c] += u64::from(v > 0.0);
        }
        for (c, (sketch, &v)) in self.sketches.iter_mut().zip(&self.row).enumerate() {
            if v.is_finite() && has_percentiles(layout, c) {
                sketch.add(v);
            }
        }
        if layout.store_draws {
            let (t, stored) = (&self.terms, &mut self.stored);
            stored.clear();
            if !layout.detailed {
                let per = per_key(layout);
                for k in 0..layout.n_keys {
                    let region = 2 * (k * per + n);
                    stored.extend_from_slice(&self.row[region..region + 2]);
                }
                return;
            }
            for part in [
                &t.realised,
                &t.resource,
                &t.purchases_alone,
                &t.purchases_own,
            ] {
                stored.extend_from_slice(part);
            }
            stored.extend_from_slice(&t.through_cooperation);
            let per = per_key(layout);
            for k in 0..layout.n_keys {
                let region = 2 * (k * per + n);
                stored.extend_from_slice(&self.row[region..region + 2]);
            }
            for (shares, _) in s.shares.iter().zip(&layout.varying).filter(|(_, v)| **v) {
                stored.extend_from_slice(&shares[0]);
                stored.extend_from_slice(&shares[1]);
            }
        }
    }

    /// Adds a later chunk's sums.
    pub(super) fn merge(&mut self, other: &ViewSums) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.squares.iter_mut().zip(&other.squares) {
            *a += b;
        }
        let counts = [
            (&mut self.wins, &other.wins),
            (&mut self.all_win, &other.all_win),
            (&mut self.core, &other.core),
        ];
        for (into, from) in counts {
            for (a, b) in into.iter_mut().zip(from) {
                *a += b;
            }
        }
        // Bucket counts: the merged sketch does not depend on the order (`stats::sketch`).
        for (a, b) in self.sketches.iter_mut().zip(&other.sketches) {
            a.merge(b);
        }
    }

    /// The run's results: when the run keeps its draws, `kept` holds what each draw stores
    /// ([`stored_len`] columns of `n_draws` values) and the cash NPVs
    /// (`[(key × members + member) × n_draws + draw]`); `checked` is the number of stability
    /// draws.
    pub(super) fn results(
        &self,
        (model, keys): (&Model, &[ResolvedKey]),
        layout: &Layout,
        n_draws: u64,
        kept: Option<(&[f64], &KeptNpv)>,
        checked: u64,
    ) -> Vec<KeyViews> {
        let per = per_key(layout);
        let rows = n_draws as usize;
        let quantiles: Vec<[f64; 3]> = match kept {
            Some((stored, npv)) if rows > 0 => {
                let kept = Kept {
                    model,
                    keys,
                    layout,
                    stored,
                    npv,
                    rows,
                };
                let columns = kept.columns();
                // A second pass over the same draws: the values computed again must be the ones
                // the chunks counted and summed (sums up to the order of additions).
                let computed = columns.iter().zip(self.wins.iter().zip(&self.sums));
                for (c, (wins, sums)) in computed.filter(|(c, _)| c.computed) {
                    debug_assert_eq!(c.positive, *wins, "the views' kept draws");
                    debug_assert!((c.sum - sums).abs() <= 1e-9 * c.magnitude.max(1.0));
                }
                columns.iter().map(|c| c.quantiles).collect()
            }
            _ => self
                .sketches
                .iter()
                .enumerate()
                .map(|(c, s)| {
                    [0.1, 0.5, 0.9].map(|p| match has_percentiles(layout, c) {
                        true => s.quantile(p).unwrap_or(f64::NAN),
                        false => f64::NAN,
                    })
                })
                .collect(),
        };
        let outcome = |col: usize, view: usize| {
            let c = 2 * col + view;
            let (sum, sq) = (self.sums[c], self.squares[c]);
            let r = n_draws.max(1) as f64;
            let mean = sum / r;
            let var = if n_draws > 1 {
                ((sq - r * mean * mean) / (r - 1.0)).max(0.0)
            } else {
                0.0
            };
            let [p10, p50, p90] = quantiles.get(c).copied().unwrap_or([f64::NAN; 3]);
            ViewOutcome {
                mean,
                mean_se: (var / r).sqrt(),
                p10,
                p50,
                p90,
                p_win: Proportion::from_count(self.wins[c], n_draws),
            }
        };
        let defined = [model.budget_core_defined(), true];
        (0..layout.n_keys)
            .map(|k| {
                let both = |col: usize| [outcome(col, 0), outcome(col, 1)];
                KeyViews {
                    members: (0..layout.n_members).map(|i| both(k * per + i)).collect(),
                    region: both(k * per + layout.n_members),
                    p_all_win: [0, 1]
                        .map(|v| Proportion::from_count(self.all_win[2 * k + v], n_draws)),
                    p_core_stable: [0, 1].map(|v| {
                        (checked > 0 && defined[v])
                            .then(|| Proportion::from_count(self.core[2 * k + v], checked))
                    }),
                }
            })
            .collect()
    }
}

/// A run's kept draws: what each stored for the views and the cash NPVs.
struct Kept<'a> {
    model: &'a Model,
    keys: &'a [ResolvedKey],
    layout: &'a Layout,
    /// [`stored_len`] columns of `rows` values.
    stored: &'a [f64],
    /// The kept cash NPVs.
    npv: &'a KeptNpv,
    rows: usize,
}

impl Kept<'_> {
    /// Every column `[(key × (members + 1) + column) × 2 + view]`: its values computed again
    /// draw by draw as [`ViewSums::add_draw`] computed them, in parallel over columns (each
    /// depends on its own values only, so the thread count changes nothing).
    fn columns(&self) -> Vec<ColumnStats> {
        let (n, rows) = (self.layout.n_members, self.rows);
        let region = stored_region(self.layout);
        let mut next = region + 2 * self.layout.n_keys;
        let share_columns: Vec<Option<usize>> = self
            .layout
            .varying
            .iter()
            .map(|&varying| {
                varying.then(|| {
                    next += 2 * n;
                    next - 2 * n
                })
            })
            .collect();
        let columns = self.layout.n_keys * (n + 1);
        let per_column: Vec<[ColumnStats; 2]> = (0..columns)
            .into_par_iter()
            .map(|c| {
                let (k, j) = (c / (n + 1), c % (n + 1));
                if j < n && !self.layout.detailed {
                    return [0, 1].map(|_| ColumnStats {
                        computed: false,
                        quantiles: [f64::NAN; 3],
                        positive: 0,
                        sum: 0.0,
                        magnitude: 0.0,
                    });
                }
                let check = cfg!(debug_assertions);
                let stats = |v: &[f64]| ColumnStats {
                    computed: true,
                    quantiles: crate::stats::type7_quantiles(v, [0.1, 0.5, 0.9], 0).0,
                    positive: if check {
                        v.iter().filter(|x| **x > 0.0).count() as u64
                    } else {
                        0
                    },
                    sum: if check { v.iter().sum() } else { 0.0 },
                    magnitude: if check {
                        v.iter().map(|x| x.abs()).sum()
                    } else {
                        0.0
                    },
                };
                if j == n {
                    // The region (the members' sum), read where it is kept: a copy would be
                    // fresh memory, zeroed by the kernel page by page.
                    let column = |view: usize| {
                        let at = (region + 2 * k + view) * rows;
                        &self.stored[at..at + rows]
                    };
                    return [0, 1].map(|view| stats(column(view)));
                }
                let mut values = [vec![0.0; rows], vec![0.0; rows]];
                let [budget, socio] = &mut values;
                let draws = budget.iter_mut().zip(socio.iter_mut()).enumerate();
                for (d, (b, e)) in draws {
                    (*b, *e) = self.member(k, j, d, share_columns[k]);
                }
                values.map(|v| stats(&v))
            })
            .collect();
        per_column.into_iter().flatten().collect()
    }

    /// Member `i`'s budget and socio-economic NPV under key `k` in draw `d`.
    fn member(&self, k: usize, i: usize, d: usize, shares: Option<usize>) -> (f64, f64) {
        let (n, rows) = (self.layout.n_members, self.rows);
        let at = |column: usize| self.stored[column * rows + d];
        let shares = match shares {
            Some(first) => (at(first + i), at(first + n + i)),
            None => (self.keys[k].shares[0][i], self.keys[k].shares[1][i]),
        };
        let member = MemberTerms {
            realised: at(i),
            resource: at(n + i),
            purchases_alone: at(2 * n + i),
            purchases_own: at(3 * n + i),
        };
        let npv = self.npv.value(k * n + i, d);
        let through = [at(4 * n), at(4 * n + 1)];
        self.model.member_views_of(i, npv, shares, &member, through)
    }
}

/// One column of kept draws: its P10, P50, P90, and for the check of debug builds its positive
/// values, sum and sum of magnitudes (zero in release builds).
struct ColumnStats {
    /// Whether the column was computed (the members' columns only with `detailed`).
    computed: bool,
    quantiles: [f64; 3],
    positive: u64,
    sum: f64,
    magnitude: f64,
}

/// One NPV in one view over the draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewOutcome {
    /// Mean over the draws, NOK.
    pub mean: f64,
    /// Standard error of the mean, `sd/√R`.
    pub mean_se: f64,
    /// 10th percentile (type 7; from the sketch in runs that keep no draws).
    pub p10: f64,
    /// Median (type 7; from the sketch in runs that keep no draws).
    pub p50: f64,
    /// 90th percentile (type 7; from the sketch in runs that keep no draws).
    pub p90: f64,
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
    /// Fraction of the stability draws in which the key's payments are in the view's core
    /// (docs/MODEL.md §6d); `None` without stability draws, or in the budget view when it has
    /// no cost game ([`Model::budget_core_defined`]).
    pub p_core_stable: [Option<Proportion>; 2],
}
