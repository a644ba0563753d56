//! [`KeptNpv`]: the cash NPVs a run keeps per draw for its exact quantiles.
//!
//! Under a key whose shares are the same in every draw and year, member `i`'s NPV is
//! `NPV_ki = B_i(H − 1) − s^run_ki · P_0(H − 1) − s^start_ki · P_1(H − 1)` (docs/MODEL.md §6),
//! computed by [`key_npv`]. A run does not keep such a key's `n` columns: it keeps the
//! members' `B_i(H − 1)` and the two pooled NPVs once, and the summaries compute the key's
//! columns again by the same function from the same values, so they are the values the counts
//! saw, bit for bit. The keys whose NPVs are not that expression keep their columns: ex-post
//! keys (their shares change from draw to draw), keys per component, keys whose shares change
//! by year, and every key of a model with membership events. The default scenario's five
//! ordinary keys keep 10 values a draw instead of 36: 21 MB less of fresh memory, which the
//! kernel zeroes before its first write, in a run of 100,000 draws.
//!
//! Columns kept, each of `rows` values: `B_0 … B_{n−1}`, `P_0`, `P_1` (only when some key is
//! computed again), then the `n` columns of each key that keeps them in key order, then the
//! region's NPV.

use super::columns::ColumnBuffer;
use super::kernel::{DrawScratch, key_npv};
use crate::allocation::ResolvedKey;

/// Which NPV columns a run keeps (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeptShape {
    n_members: usize,
    /// Per key: the kept column of its first member, or `None` when its columns are computed
    /// again from the bases and pooled NPVs.
    first_column: Vec<Option<usize>>,
    /// Per key: its running and start-up shares when its columns are computed again (empty
    /// otherwise).
    shares: Vec<[Vec<f64>; 2]>,
    /// Whether the bases and pooled NPVs are kept (some key is computed again).
    base: bool,
    /// Values per draw.
    width: usize,
}

impl KeptShape {
    /// The columns of a run with `keys` over `n_members` members and `horizon` years; key `k`
    /// is computed again unless `varying[k]` (its shares change from draw to draw,
    /// `Layout::varying`) or its shares change by year. A run of no years keeps every column.
    pub(super) fn new(
        keys: &[ResolvedKey],
        varying: &[bool],
        n_members: usize,
        horizon: usize,
    ) -> Self {
        let rebuilt: Vec<bool> = keys
            .iter()
            .zip(varying)
            .map(|(k, &varying)| horizon > 0 && !varying && k.yearly.is_none())
            .collect();
        let base = rebuilt.iter().any(|r| *r);
        let mut next = if base { n_members + 2 } else { 0 };
        let first_column = rebuilt
            .iter()
            .map(|&r| {
                (!r).then(|| {
                    next += n_members;
                    next - n_members
                })
            })
            .collect();
        let shares = keys
            .iter()
            .zip(&rebuilt)
            .map(|(k, &r)| match r {
                true => k.shares.each_ref().map(|s| s.to_vec()),
                false => [Vec::new(), Vec::new()],
            })
            .collect();
        Self {
            n_members,
            first_column,
            shares,
            base,
            width: next + 1,
        }
    }

    /// Values a draw keeps.
    pub(super) fn width(&self) -> usize {
        self.width
    }

    /// Draw `s`'s kept values, appended to `row` (after [`super::Kernel::apply_keys`]).
    pub(super) fn push_draw(&self, s: &DrawScratch, row: &mut Vec<f64>) {
        let n = self.n_members;
        if self.base {
            row.extend_from_slice(s.last_base());
            row.extend_from_slice(&s.pooled_totals());
        }
        for (k, first) in self.first_column.iter().enumerate() {
            if first.is_some() {
                row.extend_from_slice(&s.npv[k * n..(k + 1) * n]);
            }
        }
        row.push(s.npv[self.first_column.len() * n]);
    }
}

/// A run's kept NPV columns (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeptNpv {
    shape: KeptShape,
    /// `[column × rows + draw]`.
    columns: ColumnBuffer,
    rows: usize,
}

impl KeptNpv {
    /// `columns` of `rows` draws each, as `shape` describes them.
    pub(super) fn new(shape: KeptShape, columns: ColumnBuffer, rows: usize) -> Self {
        Self {
            shape,
            columns,
            rows,
        }
    }

    /// NPV column `col` (key × members + member, then the region) in draw `d`.
    pub(super) fn value(&self, col: usize, d: usize) -> f64 {
        let n = self.shape.n_members;
        match self.source(col) {
            Source::Kept(column) => self.kept(column)[d],
            Source::Rebuilt(k, i) => {
                let [s0, s1] = &self.shape.shares[k];
                let (q0, q1) = (self.kept(n)[d], self.kept(n + 1)[d]);
                key_npv(self.kept(i)[d], (s0[i], s1[i]), (q0, q1))
            }
        }
    }

    /// NPV column `col` whole: a kept column itself, or the column computed into `out`.
    pub(super) fn column<'a>(&'a self, col: usize, out: &'a mut Vec<f64>) -> &'a [f64] {
        let n = self.shape.n_members;
        match self.source(col) {
            Source::Kept(column) => self.kept(column),
            Source::Rebuilt(k, i) => {
                let [s0, s1] = &self.shape.shares[k];
                let (base, q0, q1) = (self.kept(i), self.kept(n), self.kept(n + 1));
                out.clear();
                out.extend(
                    base.iter()
                        .zip(q0.iter().zip(q1))
                        .map(|(&b, (&q0, &q1))| key_npv(b, (s0[i], s1[i]), (q0, q1))),
                );
                out
            }
        }
    }

    fn source(&self, col: usize) -> Source {
        let n = self.shape.n_members;
        let keys = self.shape.first_column.len();
        if col >= keys * n {
            return Source::Kept(self.shape.width - 1);
        }
        let (k, i) = (col / n, col % n);
        match self.shape.first_column[k] {
            Some(first) => Source::Kept(first + i),
            None => Source::Rebuilt(k, i),
        }
    }

    fn kept(&self, column: usize) -> &[f64] {
        &self.columns[column * self.rows..(column + 1) * self.rows]
    }
}

/// Where an NPV column's values come from.
enum Source {
    /// A kept column.
    Kept(usize),
    /// Key `k`'s member `i`, computed again.
    Rebuilt(usize, usize),
}
