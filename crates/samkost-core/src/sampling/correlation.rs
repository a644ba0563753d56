//! Correlated inputs by rank correlation: the Iman–Conover (1982) method.
//!
//! R. L. Iman and W. J. Conover, *A distribution-free approach to inducing rank correlation
//! among input variables*, Commun. Statist. B 11, 311–334 (1982). The method reorders each
//! column of an existing sample, so every input keeps *exactly* its sampled values (its
//! marginal, and a Latin hypercube's stratification) and only the pairing of values across
//! inputs changes:
//!
//! 1. The target Spearman matrix `R_S` is turned into the Pearson matrix of normal scores
//!    `C_ij = 2·sin(π·R_S,ij/6)` (Pearson 1907; the exact relation for a bivariate normal).
//!    If `C` is not positive definite it is repaired to the nearest correlation matrix
//!    (Higham 2002, see `nearest_correlation.rs`) and the repair is reported
//!    ([`RankCorrelation::repair`]), never applied silently.
//! 2. Each column of a score matrix `M` (`n × k`) is a random permutation of the van der
//!    Waerden scores `Φ⁻¹(i/(n+1))`, `i = 1 … n` (column `j` from ChaCha8 stream `3·2^62 + j`).
//! 3. With `E` the sample correlation of `M`, `E = F Fᵀ` and `C = P Pᵀ` (Cholesky), the
//!    scores `T = M (P F⁻¹)ᵀ` have sample correlation exactly `C`. Removing `E` is the
//!    refinement Iman & Conover describe for small samples; without it `T` would carry `M`'s
//!    chance correlations.
//! 4. Column `j` of the sample is rearranged so that its ranks equal the ranks of `T`'s
//!    column `j`.
//!
//! The achieved Spearman correlations approach the targets as `n` grows (they are not exact:
//! Spearman's ρ of normal scores with Pearson `C_ij` is `R_S,ij` only in the limit); use
//! [`spearman_matrix`](super::spearman_matrix) to show what a run achieved. Inputs with many
//! tied values (discrete distributions) cannot reach large targets: ties cap the attainable
//! rank correlation, and the shortfall shows in the achieved matrix.

use nalgebra::{Cholesky, DMatrix};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::nearest_correlation::{EIGEN_FLOOR, min_eigenvalue, nearest_correlation};
use super::special::std_normal_quantile;
use super::uniforms::UniformMatrix;
use crate::stats::sort_key;

/// How far apart `r_ij` and `r_ji` (and a diagonal entry and 1) may be and still count as
/// equal: differences of rounding when a matrix was computed or typed with many digits.
pub const SYMMETRY_TOLERANCE: f64 = 1e-12;

/// First ChaCha8 stream of the score permutations, far above any draw index.
const SCORE_STREAM: u64 = super::streams::CORRELATION_SCORES;

/// Why a correlation matrix or a sample was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CorrelationError {
    /// The values do not fill a square matrix of the stated size.
    #[error("a {dim}×{dim} correlation matrix needs {expected} values, got {got}")]
    Shape {
        /// Number of rows and columns.
        dim: usize,
        /// `dim²`.
        expected: usize,
        /// Values given.
        got: usize,
    },
    /// An entry was NaN or infinite.
    #[error("correlation ({row}, {col}) must be a finite number, got {value}")]
    NotFinite {
        /// Row index (0-based).
        row: usize,
        /// Column index (0-based).
        col: usize,
        /// The rejected value.
        value: f64,
    },
    /// An entry lay outside [−1, 1].
    #[error("correlation ({row}, {col}) must be in [-1, 1], got {value}")]
    OutOfRange {
        /// Row index (0-based).
        row: usize,
        /// Column index (0-based).
        col: usize,
        /// The rejected value.
        value: f64,
    },
    /// A diagonal entry was not 1.
    #[error("diagonal entry ({index}, {index}) must be 1, got {value}")]
    Diagonal {
        /// Row and column index (0-based).
        index: usize,
        /// The rejected value.
        value: f64,
    },
    /// The matrix was not symmetric.
    #[error(
        "correlation ({row}, {col}) is {upper} but ({col}, {row}) is {lower}; the matrix must be symmetric"
    )]
    NotSymmetric {
        /// Row index (0-based) of the upper entry.
        row: usize,
        /// Column index (0-based) of the upper entry.
        col: usize,
        /// Entry `(row, col)`.
        upper: f64,
        /// Entry `(col, row)`.
        lower: f64,
    },
    /// The sample's columns do not match the matrix.
    #[error("the sample has {columns} columns but the correlation matrix is {dim}×{dim}")]
    Columns {
        /// Columns of the sample.
        columns: usize,
        /// Size of the matrix.
        dim: usize,
    },
    /// The sample's length is not a multiple of its number of columns.
    #[error("a sample of {len} values cannot have {columns} columns")]
    Ragged {
        /// Values in the sample.
        len: usize,
        /// Columns asked for.
        columns: usize,
    },
    /// Too few rows to correlate `k` columns.
    #[error(
        "inducing correlation among {columns} inputs needs at least {needed} draws, got {rows}"
    )]
    TooFewRows {
        /// Rows in the sample.
        rows: usize,
        /// Columns in the sample.
        columns: usize,
        /// `columns + 1`.
        needed: usize,
    },
}

/// A validated correlation matrix: square, finite, symmetric, unit diagonal, entries in
/// [−1, 1]. Positive definiteness is *not* required here; [`RankCorrelation::new`] repairs
/// and reports a matrix that lacks it.
///
/// ```
/// use samkost_core::sampling::{CorrelationError, CorrelationMatrix};
///
/// let ok = CorrelationMatrix::new(2, vec![1.0, 0.5, 0.5, 1.0])?;
/// assert_eq!(ok.get(0, 1), 0.5);
/// let bad = CorrelationMatrix::new(2, vec![1.0, 0.5, 0.4, 1.0]);
/// assert!(matches!(bad, Err(CorrelationError::NotSymmetric { .. })));
/// # Ok::<(), CorrelationError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatrix {
    dim: usize,
    values: Vec<f64>,
}

impl CorrelationMatrix {
    /// Validates a row-major `dim × dim` matrix. Entries within [`SYMMETRY_TOLERANCE`] of
    /// symmetric, or of a unit diagonal, are made exactly so.
    pub fn new(dim: usize, mut values: Vec<f64>) -> Result<Self, CorrelationError> {
        if values.len() != dim * dim {
            return Err(CorrelationError::Shape {
                dim,
                expected: dim * dim,
                got: values.len(),
            });
        }
        for (idx, &value) in values.iter().enumerate() {
            let (row, col) = (idx / dim, idx % dim);
            if !value.is_finite() {
                return Err(CorrelationError::NotFinite { row, col, value });
            }
            if row == col && (value - 1.0).abs() > SYMMETRY_TOLERANCE {
                return Err(CorrelationError::Diagonal { index: row, value });
            }
            if value.abs() > 1.0 + SYMMETRY_TOLERANCE {
                return Err(CorrelationError::OutOfRange { row, col, value });
            }
        }
        for row in 0..dim {
            values[row * dim + row] = 1.0;
            for col in row + 1..dim {
                let (upper, lower) = (values[row * dim + col], values[col * dim + row]);
                if (upper - lower).abs() > SYMMETRY_TOLERANCE {
                    return Err(CorrelationError::NotSymmetric {
                        row,
                        col,
                        upper,
                        lower,
                    });
                }
                let mean = (0.5 * (upper + lower)).clamp(-1.0, 1.0);
                values[row * dim + col] = mean;
                values[col * dim + row] = mean;
            }
        }
        Ok(Self { dim, values })
    }

    /// The identity: uncorrelated inputs.
    pub fn identity(dim: usize) -> Self {
        let mut values = vec![0.0; dim * dim];
        for i in 0..dim {
            values[i * dim + i] = 1.0;
        }
        Self { dim, values }
    }

    /// Number of rows and columns.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Entry `(row, col)`.
    pub fn get(&self, row: usize, col: usize) -> f64 {
        self.values[row * self.dim + col]
    }

    /// All entries, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// Smallest eigenvalue (negative or near zero for a matrix that is not positive definite).
    pub fn min_eigenvalue(&self) -> f64 {
        min_eigenvalue(&self.to_nalgebra())
    }

    /// The same matrix with `f` applied to every off-diagonal entry.
    fn map_off_diagonal(&self, f: impl Fn(f64) -> f64) -> Self {
        let mut values = self.values.clone();
        for (idx, v) in values.iter_mut().enumerate() {
            if idx / self.dim != idx % self.dim {
                *v = f(*v);
            }
        }
        Self {
            dim: self.dim,
            values,
        }
    }

    fn to_nalgebra(&self) -> DMatrix<f64> {
        DMatrix::from_row_slice(self.dim, self.dim, &self.values)
    }

    /// From a symmetric nalgebra matrix with unit diagonal (internal results only).
    fn from_nalgebra(m: &DMatrix<f64>) -> Self {
        let dim = m.nrows();
        let values = (0..dim * dim)
            .map(|idx| m[(idx / dim, idx % dim)].clamp(-1.0, 1.0))
            .collect();
        Self { dim, values }
    }
}

/// Pearson correlation of normal scores that gives Spearman's `rho_s`: `2·sin(π·ρ_S/6)`
/// (exact for the bivariate normal; Pearson 1907, Kruskal 1958). ±1 map to ±1 exactly.
pub fn spearman_to_normal_score_pearson(rho_s: f64) -> f64 {
    if rho_s.abs() == 1.0 {
        return rho_s;
    }
    2.0 * (std::f64::consts::PI * rho_s / 6.0).sin()
}

/// Inverse of [`spearman_to_normal_score_pearson`]: `(6/π)·asin(ρ/2)`.
pub fn normal_score_pearson_to_spearman(rho: f64) -> f64 {
    6.0 / std::f64::consts::PI * (rho / 2.0).asin()
}

/// What repairing a target matrix changed. Distances are on the Spearman scale the user gave.
#[derive(Debug, Clone, PartialEq)]
pub struct RepairReport {
    /// The target as given.
    pub original: CorrelationMatrix,
    /// The Spearman matrix that will be induced instead.
    pub repaired: CorrelationMatrix,
    /// Largest absolute change of an entry.
    pub max_abs_change: f64,
    /// Frobenius norm of `repaired − original`.
    pub frobenius_distance: f64,
    /// Smallest eigenvalue of the normal-score matrix before the repair.
    pub min_eigenvalue_before: f64,
    /// Smallest eigenvalue of the normal-score matrix after the repair.
    pub min_eigenvalue_after: f64,
    /// Rounds of Higham's alternating projections used.
    pub iterations: usize,
}

/// Iman–Conover's scores for one sample shape ([`RankCorrelation::scores`]), kept as what
/// step 4 needs of them: the order of each column's scores.
#[derive(Debug, Clone)]
pub struct CorrelatedScores {
    n_rows: usize,
    n_cols: usize,
    /// For each column of `T`, its rows from the smallest score to the largest (ties by row);
    /// empty for fewer than two columns, which are left as they are.
    orders: Vec<Vec<usize>>,
}

/// The columns of a row-major sample, each sorted ([`SortedColumns::new`]): the part of step 4
/// that needs only the sample, which a caller can compute while the scores are built.
#[derive(Debug, Clone)]
pub struct SortedColumns {
    n_rows: usize,
    columns: Vec<Vec<f64>>,
}

impl SortedColumns {
    /// The `n_cols` columns of the row-major `samples`, each in increasing order, sorted in
    /// parallel.
    pub fn new(samples: &[f64], n_cols: usize) -> Self {
        let n_rows = samples.len().checked_div(n_cols).unwrap_or(0);
        let columns = (0..n_cols)
            .into_par_iter()
            .map(|j| {
                let mut column: Vec<f64> = (0..n_rows).map(|r| samples[r * n_cols + j]).collect();
                radsort::sort_by_key(&mut column, |&x| sort_key(x));
                column
            })
            .collect();
        Self { n_rows, columns }
    }
}

/// A target rank-correlation structure, ready to impose on samples (Iman–Conover).
#[derive(Debug, Clone)]
pub struct RankCorrelation {
    target: CorrelationMatrix,
    normal_scores: CorrelationMatrix,
    cholesky: DMatrix<f64>,
    repair: Option<RepairReport>,
}

impl RankCorrelation {
    /// Prepares the target Spearman matrix: converts it to normal-score Pearson
    /// correlations and, if those are not positive definite (smallest eigenvalue below
    /// [`EIGEN_FLOOR`]), replaces them by the nearest correlation matrix and records a
    /// [`RepairReport`].
    pub fn new(target_spearman: CorrelationMatrix) -> Self {
        let pearson = target_spearman.map_off_diagonal(spearman_to_normal_score_pearson);
        let pearson_m = pearson.to_nalgebra();
        let min_before = min_eigenvalue(&pearson_m);
        let (target, normal_scores, repair) = if min_before >= EIGEN_FLOOR {
            (target_spearman, pearson, None)
        } else {
            let nearest = nearest_correlation(&pearson_m);
            let normal_scores = CorrelationMatrix::from_nalgebra(&nearest.matrix);
            let repaired = normal_scores.map_off_diagonal(normal_score_pearson_to_spearman);
            let report = repair_report(
                target_spearman,
                repaired.clone(),
                min_before,
                min_eigenvalue(&nearest.matrix),
                nearest.iterations,
            );
            (repaired, normal_scores, Some(report))
        };
        let cholesky = Cholesky::new(normal_scores.to_nalgebra())
            .expect("a correlation matrix with eigenvalues >= EIGEN_FLOOR has a Cholesky factor")
            .l();
        Self {
            target,
            normal_scores,
            cholesky,
            repair,
        }
    }

    /// The Spearman matrix that will be induced: the target, or its repair.
    pub fn target(&self) -> &CorrelationMatrix {
        &self.target
    }

    /// The Pearson correlations imposed on the normal scores.
    pub fn normal_score_correlation(&self) -> &CorrelationMatrix {
        &self.normal_scores
    }

    /// What the repair changed, if the target had to be repaired.
    pub fn repair(&self) -> Option<&RepairReport> {
        self.repair.as_ref()
    }

    /// Reorders the values within each column of a row-major sample (`n_cols` columns) so
    /// that the columns' rank correlations approach [`target`](Self::target). Each column
    /// keeps exactly its multiset of values. Reproducible for `seed`, and independent of the
    /// thread count.
    pub fn induce(
        &self,
        samples: &mut [f64],
        n_cols: usize,
        seed: u64,
    ) -> Result<(), CorrelationError> {
        let n_rows = self.check_sample(samples.len(), n_cols)?;
        let scores = self.scores(n_rows, n_cols, seed)?;
        self.rearrange_to(samples, &scores)
    }

    /// Steps 2–3 of [`induce`](Self::induce) for a sample of `n_rows × n_cols`: the scores
    /// whose ranks the columns will take. They depend on the target, the sample's shape and
    /// `seed`, never on the sample's values, so a caller can build them while it draws the
    /// sample and then call [`rearrange_to`](Self::rearrange_to); the result is the same as
    /// [`induce`](Self::induce)'s.
    pub fn scores(
        &self,
        n_rows: usize,
        n_cols: usize,
        seed: u64,
    ) -> Result<CorrelatedScores, CorrelationError> {
        let len = n_rows.checked_mul(n_cols).ok_or(CorrelationError::Ragged {
            len: usize::MAX,
            columns: n_cols,
        })?;
        self.check_sample(len, n_cols)?;
        let orders = if n_cols >= 2 {
            let t = correlated_scores(&self.cholesky, n_rows, n_cols, seed);
            (0..n_cols)
                .into_par_iter()
                .map(|j| score_order(t.column(j).as_slice()))
                .collect()
        } else {
            Vec::new()
        };
        Ok(CorrelatedScores {
            n_rows,
            n_cols,
            orders,
        })
    }

    /// Step 4 of [`induce`](Self::induce): each column of the row-major `samples` rearranged
    /// to the ranks of its column of `scores` (from [`scores`](Self::scores) for the sample's
    /// shape).
    pub fn rearrange_to(
        &self,
        samples: &mut [f64],
        scores: &CorrelatedScores,
    ) -> Result<(), CorrelationError> {
        self.check_sample(samples.len(), scores.n_cols)?;
        if scores.orders.is_empty() {
            return Ok(());
        }
        let sorted = SortedColumns::new(samples, scores.n_cols);
        self.rearrange_sorted(samples, &sorted, scores)
    }

    /// [`rearrange_to`](Self::rearrange_to) with the sample's columns already sorted
    /// (`sorted`, from [`SortedColumns::new`] of these `samples`).
    pub fn rearrange_sorted(
        &self,
        samples: &mut [f64],
        sorted: &SortedColumns,
        scores: &CorrelatedScores,
    ) -> Result<(), CorrelationError> {
        let n_cols = scores.n_cols;
        let n_rows = self.check_sample(samples.len(), n_cols)?;
        if scores.orders.is_empty() {
            return Ok(());
        }
        assert_eq!(
            n_rows, scores.n_rows,
            "scores built for another number of rows"
        );
        assert_eq!(
            (sorted.n_rows, sorted.columns.len()),
            (n_rows, n_cols),
            "sorted columns of another sample"
        );
        let columns: Vec<Vec<f64>> = sorted
            .columns
            .par_iter()
            .zip(&scores.orders)
            .map(|(sorted, order)| rearrange(sorted, order))
            .collect();
        for (j, column) in columns.iter().enumerate() {
            for (r, &value) in column.iter().enumerate() {
                samples[r * n_cols + j] = value;
            }
        }
        Ok(())
    }

    /// [`induce`](Self::induce) on a design's uniforms (their columns keep their values, so a
    /// Latin hypercube stays one).
    pub fn induce_uniforms(
        &self,
        uniforms: &mut UniformMatrix,
        seed: u64,
    ) -> Result<(), CorrelationError> {
        let n_cols = uniforms.n_dims();
        self.induce(uniforms.as_mut_slice(), n_cols, seed)
    }

    fn check_sample(&self, len: usize, n_cols: usize) -> Result<usize, CorrelationError> {
        if n_cols != self.target.dim() {
            return Err(CorrelationError::Columns {
                columns: n_cols,
                dim: self.target.dim(),
            });
        }
        if n_cols == 0 {
            return Ok(0);
        }
        if len % n_cols != 0 {
            return Err(CorrelationError::Ragged {
                len,
                columns: n_cols,
            });
        }
        let n_rows = len / n_cols;
        if n_cols >= 2 && n_rows <= n_cols {
            return Err(CorrelationError::TooFewRows {
                rows: n_rows,
                columns: n_cols,
                needed: n_cols + 1,
            });
        }
        Ok(n_rows)
    }
}

fn repair_report(
    original: CorrelationMatrix,
    repaired: CorrelationMatrix,
    min_eigenvalue_before: f64,
    min_eigenvalue_after: f64,
    iterations: usize,
) -> RepairReport {
    let diffs = original
        .as_slice()
        .iter()
        .zip(repaired.as_slice())
        .map(|(a, b)| (a - b).abs());
    let max_abs_change = diffs.clone().fold(0.0, f64::max);
    let frobenius_distance = diffs.map(|d| d * d).sum::<f64>().sqrt();
    RepairReport {
        original,
        repaired,
        max_abs_change,
        frobenius_distance,
        min_eigenvalue_before,
        min_eigenvalue_after,
        iterations,
    }
}

/// Steps 2–3: permuted van der Waerden scores, decorrelated by their own sample correlation
/// and recorrelated by the target's Cholesky factor `p`. Column-major `n_rows × n_cols`.
fn correlated_scores(p: &DMatrix<f64>, n_rows: usize, n_cols: usize, seed: u64) -> DMatrix<f64> {
    // Every score is computed on its own, so building them in parallel changes no value.
    let base: Vec<f64> = (1..=n_rows)
        .into_par_iter()
        .map(|i| std_normal_quantile(i as f64 / (n_rows + 1) as f64))
        .collect();
    // Every column holds the same scores, so they share mean and variance; E is MᵀM scaled.
    let mean = base.iter().sum::<f64>() / n_rows as f64;
    let centred_base: Vec<f64> = base.iter().map(|x| x - mean).collect();
    let sum_sq = centred_base.iter().map(|x| x.powi(2)).sum::<f64>();
    // Column j of the centred M: the centred scores permuted by stream `SCORE_STREAM + j`
    // (centring before or after the permutation gives the same values).
    let mut centred = vec![0.0; n_rows * n_cols];
    centred
        .par_chunks_mut(n_rows.max(1))
        .enumerate()
        .for_each(|(j, column)| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(SCORE_STREAM + j as u64);
            column.copy_from_slice(&centred_base);
            column.shuffle(&mut rng);
        });
    let centred = DMatrix::from_vec(n_rows, n_cols, centred);
    let e = centred.transpose() * &centred / sum_sq;
    let transform = match Cholesky::new(e) {
        // T = M (P F⁻¹)ᵀ.
        Some(f) => {
            let f_inv = f
                .l()
                .solve_lower_triangular(&DMatrix::identity(n_cols, n_cols))
                .expect("a Cholesky factor has a non-zero diagonal");
            p * f_inv
        }
        // E singular (only by an extraordinary chance with n > k): plain Iman–Conover.
        None => p.clone(),
    };
    centred * transform.transpose()
}

/// The rows of `scores` from the smallest score to the largest; ties are broken by row, so
/// the order is deterministic.
///
/// Both sorts of step 4 (this one and the sample's, [`SortedColumns::new`]) are radix sorts on
/// integer keys that order as `f64::total_cmp` does (radsort: linear in the rows, several
/// times faster than a comparison sort on the 100,000 rows of a run). The keys of equal values
/// are equal, and the sort is stable, so scores that tie keep their rows in order: the one
/// order of (score, row) there is.
fn score_order(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<(u64, usize)> = scores
        .iter()
        .enumerate()
        .map(|(row, &s)| (sort_key(s), row))
        .collect();
    radsort::sort_by_key(&mut order, |&(key, _)| key);
    order.into_iter().map(|(_, row)| row).collect()
}

/// Step 4: a column's values (`sorted`, in increasing order) placed so that their ranks follow
/// its scores' ranks: the `r`-th smallest value goes to the row of the `r`-th smallest score
/// (`order`, from [`score_order`]).
fn rearrange(sorted: &[f64], order: &[usize]) -> Vec<f64> {
    let mut out = vec![0.0; sorted.len()];
    for (&row, &value) in order.iter().zip(sorted) {
        out[row] = value;
    }
    out
}

#[cfg(test)]
mod tests;
