//! Variance-based sensitivity indices (Sobol' 1993) estimated with Saltelli's scheme.
//!
//! Design (Saltelli et al. 2010, *Variance based sensitivity analysis of model output. Design
//! and estimator for the total sensitivity index*, Comput. Phys. Commun. 181, 259–270): the
//! first `N` points of a `2k`-dimensional scrambled Sobol' sequence give two matrices `A`
//! (columns 1…k) and `B` (columns k+1…2k); `A_B^(i)` is `A` with its column `i` taken from
//! `B`. The model is evaluated on the `N(k+2)` rows `A, B, A_B^(1), …, A_B^(k)`, in that
//! order. `N` must be a power of two so that the Sobol' points are a net.
//!
//! Estimators, with `f_A = f(A_j)`, `f_B = f(B_j)`, `f_i = f(A_B^(i)_j)`, means over
//! `j = 1 … N`, and `V` the variance of the `2N` outputs of `A` and `B`:
//! * first order (Saltelli et al. 2010, table 2 (b)): `S_i = mean(f_B·(f_i − f_A)) / V`;
//! * total (Jansen 1999, table 2 (f) there): `ST_i = mean((f_A − f_i)²) / (2V)`.
//!
//! Outputs are centred by the mean of the `A` and `B` outputs before the first-order
//! estimator: it is unbiased either way, but centring removes a term of order
//! `mean(f)·mean(f_i − f_A)` from its error (as SALib does by standardising outputs).
//!
//! Confidence intervals: percentile bootstrap (Efron & Tibshirani 1993, ch. 13; Archer,
//! Saltelli & Sobol' 1997): resample the `N` row indices `j` with replacement — the same
//! indices for `A`, `B` and every `A_B^(i)` — and recompute `V`, `S_i`, `ST_i`. Resample `b`
//! draws from ChaCha8 stream `b` of the bootstrap seed, so the intervals do not depend on the
//! thread count. Resampling treats the Sobol' rows as independent, so the intervals are
//! conservative for quasi-Monte Carlo designs, whose error is smaller than i.i.d. sampling's.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{Evaluate, ROWS_TOGETHER, SensitivityError, check_finite, through_quantiles};
use crate::sampling::{DesignError, Distribution, MAX_SOBOL_POINTS, SobolSequence, UniformMatrix};
use crate::simulation::quantile_type7;

/// Rows of the Saltelli design per unit of parallel evaluation.
const CHUNK_ROWS: usize = 256;

/// How to compute bootstrap confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    n_resamples: usize,
    confidence_level: f64,
    seed: u64,
}

impl Bootstrap {
    /// Resamples used when none are given (Archer et al. 1997 used 1,000 as well).
    pub const DEFAULT_RESAMPLES: usize = 1000;

    /// `n_resamples` resamples (0 for no intervals) and two-sided percentile intervals at
    /// `confidence_level`, e.g. 0.95.
    pub fn new(
        n_resamples: usize,
        confidence_level: f64,
        seed: u64,
    ) -> Result<Self, SensitivityError> {
        if !(confidence_level > 0.0 && confidence_level < 1.0) {
            return Err(SensitivityError::ConfidenceLevel(confidence_level));
        }
        Ok(Self {
            n_resamples,
            confidence_level,
            seed,
        })
    }

    /// No intervals.
    pub fn none() -> Self {
        Self {
            n_resamples: 0,
            confidence_level: 0.95,
            seed: 0,
        }
    }

    /// Number of resamples.
    pub fn n_resamples(&self) -> usize {
        self.n_resamples
    }

    /// Two-sided confidence level.
    pub fn confidence_level(&self) -> f64 {
        self.confidence_level
    }
}

/// A two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfidenceInterval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
}

impl ConfidenceInterval {
    /// Whether `value` lies in `[low, high]`.
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// One index: the estimate and, with a bootstrap, its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexEstimate {
    /// Point estimate from all `N` rows.
    pub estimate: f64,
    /// Percentile bootstrap interval.
    pub ci: Option<ConfidenceInterval>,
}

/// First-order and total Sobol' indices of every input.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// `S_i`, one per input.
    pub first_order: Vec<IndexEstimate>,
    /// `ST_i`, one per input.
    pub total_order: Vec<IndexEstimate>,
    /// Variance of the output over the `A` and `B` rows.
    pub output_variance: f64,
    /// Base sample size `N`.
    pub n_base: usize,
    /// Model evaluations used, `N(k + 2)`.
    pub n_evaluations: usize,
}

/// Saltelli's design for `k` inputs and `N = 2^m` base samples: `N(k+2)` rows of uniforms.
#[derive(Debug, Clone)]
pub struct SaltelliDesign {
    n_inputs: usize,
    n_base: usize,
    /// Row-major `N × 2k`: the first `N` points of the scrambled sequence (A | B).
    base: Vec<f64>,
}

impl SaltelliDesign {
    /// The design for `n_inputs` inputs and `n_base` base samples from a scrambled Sobol'
    /// sequence with `seed`.
    pub fn new(n_inputs: usize, n_base: usize, seed: u64) -> Result<Self, SensitivityError> {
        if n_inputs == 0 {
            return Err(SensitivityError::NoInputs);
        }
        if n_base < 2 || !n_base.is_power_of_two() {
            return Err(SensitivityError::NotPowerOfTwo(n_base));
        }
        if n_base as u64 > MAX_SOBOL_POINTS {
            return Err(DesignError::TooManySobolPoints {
                requested: n_base as u64,
                max: MAX_SOBOL_POINTS,
            }
            .into());
        }
        let width = 2 * n_inputs;
        let sobol = SobolSequence::scrambled(width, seed)?;
        let mut base = vec![0.0; n_base * width];
        base.par_chunks_mut(width)
            .enumerate()
            .for_each(|(j, row)| sobol.fill_point(j as u32, row));
        Ok(Self {
            n_inputs,
            n_base,
            base,
        })
    }

    /// Number of inputs `k`.
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    /// Base sample size `N`.
    pub fn n_base(&self) -> usize {
        self.n_base
    }

    /// Number of rows to evaluate, `N(k + 2)`.
    pub fn n_rows(&self) -> usize {
        self.n_base * (self.n_inputs + 2)
    }

    /// Writes the uniforms of row `row` (`k` values) into `out`. Rows `0..N` are `A`,
    /// `N..2N` are `B`, and `(2+i)N..(3+i)N` are `A_B^(i)`.
    pub fn fill_row(&self, row: usize, out: &mut [f64]) {
        let k = self.n_inputs;
        let (block, j) = (row / self.n_base, row % self.n_base);
        let point = &self.base[j * 2 * k..(j + 1) * 2 * k];
        match block {
            0 => out.copy_from_slice(&point[..k]),
            1 => out.copy_from_slice(&point[k..]),
            _ => {
                out.copy_from_slice(&point[..k]);
                let i = block - 2;
                out[i] = point[k + i];
            }
        }
    }

    /// All rows as a matrix of uniforms (`N(k+2) × k`).
    pub fn uniforms(&self) -> UniformMatrix {
        let k = self.n_inputs;
        let mut values = vec![0.0; self.n_rows() * k];
        for (row, out) in values.chunks_exact_mut(k).enumerate() {
            self.fill_row(row, out);
        }
        UniformMatrix::from_values(self.n_rows(), k, values)
    }

    /// Evaluates `f` on every row's uniforms, in parallel, outputs in row order.
    pub fn evaluate(&self, f: impl Fn(&[f64]) -> f64 + Sync) -> Vec<f64> {
        self.evaluate_with(f)
    }

    /// [`SaltelliDesign::evaluate`] of any [`Evaluate`], [`ROWS_TOGETHER`] rows at a time.
    pub fn evaluate_with(&self, f: impl Evaluate) -> Vec<f64> {
        let k = self.n_inputs;
        let mut outputs = vec![0.0; self.n_rows()];
        outputs
            .par_chunks_mut(CHUNK_ROWS)
            .enumerate()
            .for_each(|(chunk, block)| {
                // [`ROWS_TOGETHER`] rows at a time, as `f` takes them.
                let mut u = vec![0.0; k * ROWS_TOGETHER];
                for (group, out) in block.chunks_mut(ROWS_TOGETHER).enumerate() {
                    let first = chunk * CHUNK_ROWS + group * ROWS_TOGETHER;
                    for (j, row) in u.chunks_exact_mut(k.max(1)).take(out.len()).enumerate() {
                        self.fill_row(first + j, &mut row[..k]);
                    }
                    let rows: Vec<&[f64]> =
                        (0..out.len()).map(|j| &u[j * k..(j + 1) * k]).collect();
                    f.eval_rows(&rows, out);
                }
            });
        outputs
    }

    /// Estimates the indices from the outputs of every row, in row order.
    pub fn estimate(
        &self,
        outputs: &[f64],
        bootstrap: &Bootstrap,
    ) -> Result<SobolIndices, SensitivityError> {
        if outputs.len() != self.n_rows() {
            return Err(SensitivityError::OutputCount {
                expected: self.n_rows(),
                got: outputs.len(),
            });
        }
        check_finite(outputs)?;
        let blocks = Blocks::new(outputs, self.n_base, self.n_inputs);
        let full = blocks.indices(None);
        let scale = outputs[..2 * self.n_base]
            .iter()
            .fold(0.0_f64, |m, y| m.max(y.abs()));
        if full.variance <= (f64::EPSILON * scale).powi(2) {
            return Err(SensitivityError::ZeroVariance);
        }
        let resamples: Vec<Estimates> = (0..bootstrap.n_resamples)
            .into_par_iter()
            .map(|b| blocks.indices(Some(&resample(self.n_base, bootstrap.seed, b as u64))))
            .collect();
        let interval = |pick: &dyn Fn(&Estimates) -> f64| {
            (!resamples.is_empty()).then(|| percentile_interval(&resamples, pick, bootstrap))
        };
        let k = self.n_inputs;
        Ok(SobolIndices {
            first_order: (0..k)
                .map(|i| IndexEstimate {
                    estimate: full.first[i],
                    ci: interval(&|e: &Estimates| e.first[i]),
                })
                .collect(),
            total_order: (0..k)
                .map(|i| IndexEstimate {
                    estimate: full.total[i],
                    ci: interval(&|e: &Estimates| e.total[i]),
                })
                .collect(),
            output_variance: full.variance,
            n_base: self.n_base,
            n_evaluations: self.n_rows(),
        })
    }
}

/// Sobol' indices of `f` over independent inputs with the given distributions: builds the
/// Saltelli design with `n_base = 2^m` base samples, maps every row through the quantile
/// functions, evaluates `f` in parallel and estimates.
///
/// ```
/// use samkost_core::sampling::Distribution;
/// use samkost_core::sensitivity::{Bootstrap, sobol_indices};
///
/// let inputs = vec![Distribution::uniform(0.0, 1.0)?; 2];
/// let s = sobol_indices(&inputs, 1024, 1, &Bootstrap::none(), |x| x[0] + 2.0 * x[1])?;
/// // V = (1 + 4)/12, S_1 = 1/5, S_2 = 4/5.
/// assert!((s.first_order[1].estimate - 0.8).abs() < 0.01);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sobol_indices(
    distributions: &[Distribution],
    n_base: usize,
    seed: u64,
    bootstrap: &Bootstrap,
    f: impl Fn(&[f64]) -> f64 + Sync,
) -> Result<SobolIndices, SensitivityError> {
    sobol_indices_with(distributions, n_base, seed, bootstrap, f)
}

/// [`sobol_indices`] of any [`Evaluate`], which the design hands [`ROWS_TOGETHER`] rows at a
/// time (the same indices as its rows evaluated one by one).
pub fn sobol_indices_with(
    distributions: &[Distribution],
    n_base: usize,
    seed: u64,
    bootstrap: &Bootstrap,
    f: impl Evaluate,
) -> Result<SobolIndices, SensitivityError> {
    let design = SaltelliDesign::new(distributions.len(), n_base, seed)?;
    let outputs = design.evaluate_with(through_quantiles(distributions, f));
    design.estimate(&outputs, bootstrap)
}

/// The output blocks of a Saltelli design.
struct Blocks<'a> {
    a: &'a [f64],
    b: &'a [f64],
    /// `f(A_B^i)` row by row: `[row × k + i]`, so that one row's values of every input are
    /// side by side for a resample, which visits the rows in random order.
    ab_rows: Vec<f64>,
    k: usize,
}

/// Indices from one (re)sample.
struct Estimates {
    first: Vec<f64>,
    total: Vec<f64>,
    variance: f64,
}

impl<'a> Blocks<'a> {
    fn new(outputs: &'a [f64], n: usize, k: usize) -> Self {
        let mut ab_rows = vec![0.0; n * k];
        for i in 0..k {
            let block = &outputs[(2 + i) * n..(3 + i) * n];
            for (j, &value) in block.iter().enumerate() {
                ab_rows[j * k + i] = value;
            }
        }
        Self {
            a: &outputs[..n],
            b: &outputs[n..2 * n],
            ab_rows,
            k,
        }
    }

    /// The estimators over rows `rows` (all rows in order when `None`), summed in that order.
    fn indices(&self, rows: Option<&[usize]>) -> Estimates {
        let n = self.a.len();
        // A resample's `f(A)` and `f(B)` gathered once, not once per input.
        let gathered: (Vec<f64>, Vec<f64>);
        let (a, b) = match rows {
            None => (self.a, self.b),
            Some(r) => {
                gathered = (
                    r.iter().map(|&j| self.a[j]).collect(),
                    r.iter().map(|&j| self.b[j]).collect(),
                );
                (&gathered.0[..], &gathered.1[..])
            }
        };
        let mean = (0..n).map(|j| a[j] + b[j]).sum::<f64>() / (2 * n) as f64;
        let variance = (0..n)
            .map(|j| (a[j] - mean).powi(2) + (b[j] - mean).powi(2))
            .sum::<f64>()
            / (2 * n) as f64;
        // Every input's two sums row by row, each over the rows in order, as a sum per input
        // would add them: `Σ (f(B) − mean)(f(A_B^i) − f(A))` and `Σ (f(A) − f(A_B^i))²`.
        let k = self.k;
        let mut sums = vec![(0.0, 0.0); k];
        for (j, (&fa, &fb)) in a.iter().zip(b).enumerate() {
            let at = rows.map_or(j, |r| r[j]) * k;
            for (acc, &fi) in sums.iter_mut().zip(&self.ab_rows[at..at + k]) {
                acc.0 += (fb - mean) * (fi - fa);
                acc.1 += (fa - fi) * (fa - fi);
            }
        }
        let first = sums.iter().map(|s| s.0 / n as f64 / variance).collect();
        let total = sums
            .iter()
            .map(|s| s.1 / (2 * n) as f64 / variance)
            .collect();
        Estimates {
            first,
            total,
            variance,
        }
    }
}

/// Row indices of bootstrap resample `b`: `n` draws with replacement from stream `b`.
fn resample(n: usize, seed: u64, b: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(b);
    (0..n).map(|_| rng.random_range(0..n)).collect()
}

/// Percentile interval of one index over the resamples (type-7 quantiles).
fn percentile_interval(
    resamples: &[Estimates],
    pick: &dyn Fn(&Estimates) -> f64,
    bootstrap: &Bootstrap,
) -> ConfidenceInterval {
    let mut values: Vec<f64> = resamples.iter().map(pick).collect();
    values.sort_by(f64::total_cmp);
    let alpha = 1.0 - bootstrap.confidence_level;
    ConfidenceInterval {
        low: quantile_type7(&values, alpha / 2.0),
        high: quantile_type7(&values, 1.0 - alpha / 2.0),
        level: bootstrap.confidence_level,
    }
}

#[cfg(test)]
mod tests;
