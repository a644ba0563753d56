//! Summary statistics of per-draw results.
//!
//! Quantiles follow one documented definition, Hyndman & Fan (1996) type 7 (the default of R
//! and NumPy): for sorted values `x_0 ≤ … ≤ x_{n−1}` and probability `p`, with `h = (n−1)p`,
//! `Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋)`. Discrete outcomes (payback years) use type 1,
//! the inverse of the empirical distribution function, so that a reported year is a year that
//! occurred.

/// Probabilities of [`Summary::percentiles`]: enough points to draw an S-curve (cumulative
/// distribution) of an NPV.
pub const PERCENTILE_LEVELS: [f64; 13] = [
    0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99,
];

/// Mean, spread and the P10/P50/P90 of one quantity over the draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator); 0 for one draw.
    pub sd: f64,
    /// Monte Carlo standard error of the mean, `sd / √n`.
    pub se_mean: f64,
    /// 10th percentile (type 7).
    pub p10: f64,
    /// Median (type 7).
    pub p50: f64,
    /// 90th percentile (type 7).
    pub p90: f64,
    /// Expected value in the worst 10 % of draws (CVaR₁₀): the mean of the `⌈0.1·n⌉` smallest
    /// values. For a member's NPV, a negative value is the expected loss in the worst tenth.
    pub cvar10: f64,
    /// Quantiles at [`PERCENTILE_LEVELS`] (type 7, or from the sketch in long runs).
    pub percentiles: [f64; 13],
}

impl Summary {
    /// Summarises `values` (non-empty and finite).
    pub fn from_values(values: &[f64]) -> Self {
        let [(mean, sd)] = means_and_sds([values]);
        Self::with_moments(values, mean, sd)
    }

    /// [`Summary::from_values`] of `values` whose mean and standard deviation are known.
    fn with_moments(values: &[f64], mean: f64, sd: f64) -> Self {
        let n = values.len();
        // Selection, not sorting (`select.rs`): the ⌈0.1·n⌉ smallest values for the tail mean
        // and every percentile, in O(n log k). The same values as sorting.
        let k = ((0.1 * n as f64).ceil() as usize).clamp(1, n);
        let (percentiles, lower_sum) = super::select::type7_quantiles(values, PERCENTILE_LEVELS, k);
        let cvar10 = lower_sum / k as f64;
        let at = |p: f64| {
            PERCENTILE_LEVELS
                .iter()
                .position(|&q| q == p)
                .map_or(f64::NAN, |i| percentiles[i])
        };
        Self {
            mean,
            sd,
            se_mean: sd / (n as f64).sqrt(),
            p10: at(0.1),
            p50: at(0.5),
            p90: at(0.9),
            cvar10,
            percentiles,
        }
    }

    /// [`Summary::from_values`] without what only the detailed outputs show: the mean, the
    /// standard deviation and the P10/P50/P90 (the same values), every other percentile and
    /// the CVaR₁₀ NaN. Three percentiles select in fewer passes than thirteen and the tail.
    pub fn brief_from_values(values: &[f64]) -> Self {
        let [(mean, sd)] = means_and_sds([values]);
        Self::brief_with_moments(values, mean, sd)
    }

    /// [`Summary::brief_from_values`] of `values` whose mean and standard deviation are known.
    fn brief_with_moments(values: &[f64], mean: f64, sd: f64) -> Self {
        let n = values.len();
        let ([p10, p50, p90], _) = super::select::type7_quantiles(values, [0.1, 0.5, 0.9], 0);
        let percentiles = PERCENTILE_LEVELS.map(|p| match p {
            0.1 => p10,
            0.5 => p50,
            0.9 => p90,
            _ => f64::NAN,
        });
        Self {
            mean,
            sd,
            se_mean: sd / (n as f64).sqrt(),
            p10,
            p50,
            p90,
            cvar10: f64::NAN,
            percentiles,
        }
    }

    /// [`Summary::from_values`] (with `brief`, [`Summary::brief_from_values`]) of each of
    /// `columns` (non-empty and finite), the same values column by column. The means and
    /// standard deviations of columns of one length are summed [`COLUMNS_TOGETHER`] at a
    /// time, each column's sums in its own order: a sum is a chain of additions, each waiting
    /// for the previous one, and the chains of several columns run side by side.
    pub fn from_columns(columns: &[&[f64]], brief: bool) -> Vec<Self> {
        let mut out = Vec::with_capacity(columns.len());
        for group in columns.chunks(COLUMNS_TOGETHER) {
            let one_length = group.iter().all(|c| c.len() == group[0].len());
            let moments: Vec<(f64, f64)> = match *group {
                [a, b, c, d] if one_length => means_and_sds([a, b, c, d]).to_vec(),
                [a, b, c] if one_length => means_and_sds([a, b, c]).to_vec(),
                [a, b] if one_length => means_and_sds([a, b]).to_vec(),
                _ => group.iter().map(|v| means_and_sds([*v])[0]).collect(),
            };
            for (values, (mean, sd)) in group.iter().zip(moments) {
                out.push(if brief {
                    Self::brief_with_moments(values, mean, sd)
                } else {
                    Self::with_moments(values, mean, sd)
                });
            }
        }
        out
    }

    /// Summarises a run that kept no per-draw values: mean and standard deviation from the
    /// running sums `(Σx, Σx²)`, quantiles from the sketch (within its relative accuracy, see
    /// [`super::sketch`]).
    pub fn from_sketch(sketch: &super::sketch::QuantileSketch, sums: (f64, f64), n: u64) -> Self {
        let nf = n as f64;
        let mean = sums.0 / nf;
        let var = if n > 1 {
            ((sums.1 - nf * mean * mean) / (nf - 1.0)).max(0.0)
        } else {
            0.0
        };
        let sd = var.sqrt();
        let q = |p| sketch.quantile(p).unwrap_or(f64::NAN);
        Self {
            mean,
            sd,
            se_mean: sd / nf.sqrt(),
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
            cvar10: sketch.lower_tail_mean(0.1).unwrap_or(f64::NAN),
            percentiles: PERCENTILE_LEVELS.map(q),
        }
    }
}

/// Hyndman–Fan type 7 quantile of already sorted values.
pub fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let frac = h - lo as f64;
    if frac == 0.0 {
        sorted[lo]
    } else {
        sorted[lo] + frac * (sorted[hi] - sorted[lo])
    }
}

/// Hyndman–Fan type 7 quantiles of unsorted values at each of `ps`, by selection (linear time
/// instead of a sort); reorders `values`. Equal to [`quantile_type7`] of the sorted values.
/// `values` must be non-empty and free of NaN.
///
/// The probabilities are taken in increasing order, and each selection only searches the part
/// of `values` at or above the previous one: after selecting index `k`, every value before `k`
/// is at most `values[k]` and every value after it at least `values[k]`.
pub fn quantiles_type7_unsorted<const K: usize>(values: &mut [f64], ps: [f64; K]) -> [f64; K] {
    let n = values.len();
    if n == 1 {
        return [values[0]; K];
    }
    let mut order: [usize; K] = std::array::from_fn(|i| i);
    order.sort_by(|&a, &b| ps[a].total_cmp(&ps[b]));
    let mut out = [0.0; K];
    // Every value before `start` is at most every value from `start` on.
    let mut start = 0;
    for i in order {
        let h = (n - 1) as f64 * ps[i].clamp(0.0, 1.0);
        let lo = (h.floor() as usize).min(n - 1);
        let frac = h - lo as f64;
        let (_, &mut x_lo, upper) =
            values[start..].select_nth_unstable_by(lo - start, f64::total_cmp);
        out[i] = if frac == 0.0 || upper.is_empty() {
            x_lo
        } else {
            let x_hi = upper.iter().copied().fold(f64::INFINITY, f64::min);
            x_lo + frac * (x_hi - x_lo)
        };
        start = lo;
    }
    out
}

/// Hyndman–Fan type 1 quantile (inverse empirical CDF) of already sorted values:
/// the smallest `x_k` with `(k+1)/n ≥ p`.
pub fn quantile_type1<T: Copy>(sorted: &[T], p: f64) -> T {
    let n = sorted.len();
    let k = ((n as f64 * p.clamp(0.0, 1.0)).ceil() as usize).clamp(1, n);
    sorted[k - 1]
}

/// A proportion estimated from the draws, with its binomial standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// Estimated probability.
    pub p: f64,
    /// Standard error `√(p(1−p)/n)`.
    pub se: f64,
}

impl Proportion {
    /// From a count of successes among `n` draws.
    pub fn from_count(count: u64, n: u64) -> Self {
        let p = count as f64 / n as f64;
        Self {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// Columns whose sums [`Summary::from_columns`] interleaves.
pub const COLUMNS_TOGETHER: usize = 4;

/// Mean and sample standard deviation (`n − 1` denominator; 0 for one value) of each of the
/// non-empty `columns` (of one length): `Σx / n`, then `√(Σ(x − mean)² / (n − 1))`, each sum
/// in the columns' order. The columns' sums are independent, so they are interleaved: the
/// values are those of each column summed alone.
fn means_and_sds<const W: usize>(columns: [&[f64]; W]) -> [(f64, f64); W] {
    let n = columns.iter().map(|c| c.len()).min().unwrap_or(0);
    debug_assert!(n > 0 && columns.iter().all(|c| c.len() == n));
    // Each cut to `n`, so that no index below is checked.
    let columns = columns.map(|c| &c[..n]);
    // `−0` is the identity of addition, the start of `Sum` for floats.
    let mut sums = [-0.0; W];
    for i in 0..n {
        for (sum, column) in sums.iter_mut().zip(&columns) {
            *sum += column[i];
        }
    }
    let means = sums.map(|sum| sum / n as f64);
    if n < 2 {
        return means.map(|mean| (mean, 0.0));
    }
    let mut squares = [-0.0; W];
    for i in 0..n {
        for ((ss, column), mean) in squares.iter_mut().zip(&columns).zip(&means) {
            *ss += (column[i] - mean) * (column[i] - mean);
        }
    }
    std::array::from_fn(|w| (means[w], (squares[w] / (n - 1) as f64).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_quantiles_equal_sorted_quantiles() {
        // A scrambled sequence with ties; the reference is the sort-based type 7.
        let values: Vec<f64> = (0..1001)
            .map(|i| f64::from((i * 7919) % 613) - 300.0)
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        // Out of order and repeated, to exercise the narrowing window.
        let ps = [0.9, 0.0, 0.01, 0.1, 0.333, 0.5, 0.5, 0.99, 1.0, 0.2];
        let got = quantiles_type7_unsorted(&mut values.clone(), ps);
        for (p, q) in ps.iter().zip(got) {
            assert_eq!(q, quantile_type7(&sorted, *p), "p = {p}");
        }
        assert_eq!(quantiles_type7_unsorted(&mut [4.0], [0.3]), [4.0]);
    }

    /// Columns summarised together are summarised as they are alone, to the bit, and their
    /// means and standard deviations are the two-pass sums in draw order: groups of one to
    /// four columns, of different contents and lengths, brief and full.
    #[test]
    fn columns_together_are_columns_alone() {
        let columns: Vec<Vec<f64>> = (0..7u64)
            .map(|c| {
                (0..997u64)
                    .map(|i| ((i * (7919 + 2 * c) + c * 31) % 1009) as f64 * 1.5e3 - 4.0e5)
                    .collect()
            })
            .collect();
        let mut refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        // A shorter column among them is summarised over its own values.
        refs.push(&columns[0][..500]);
        for width in 1..=refs.len() {
            for brief in [true, false] {
                let together = Summary::from_columns(&refs[..width], brief);
                assert_eq!(together.len(), width);
                for (values, got) in refs.iter().zip(&together) {
                    let alone = if brief {
                        Summary::brief_from_values(values)
                    } else {
                        Summary::from_values(values)
                    };
                    let bits = |s: &Summary| {
                        let mut v = vec![s.mean, s.sd, s.se_mean, s.p10, s.p50, s.p90, s.cvar10];
                        v.extend(s.percentiles);
                        v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
                    };
                    assert_eq!(bits(got), bits(&alone), "{width} columns, brief {brief}");
                    let n = values.len() as f64;
                    let mean = values.iter().sum::<f64>() / n;
                    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
                    assert_eq!(got.mean.to_bits(), mean.to_bits());
                    assert_eq!(got.sd.to_bits(), (ss / (n - 1.0)).sqrt().to_bits());
                }
            }
        }
    }

    #[test]
    fn type7_matches_numpy_default() {
        // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) = [1.3, 2.5, 3.7] (linear, type 7).
        let v = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile_type7(&v, 0.1) - 1.3).abs() < 1e-12);
        assert!((quantile_type7(&v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile_type7(&v, 0.9) - 3.7).abs() < 1e-12);
    }

    #[test]
    fn type1_returns_observed_values() {
        // R: quantile(1:10, c(0.1, 0.5, 0.91), type = 1) = 1, 5, 10.
        let v: Vec<u16> = (1..=10).collect();
        assert_eq!(quantile_type1(&v, 0.1), 1);
        assert_eq!(quantile_type1(&v, 0.5), 5);
        assert_eq!(quantile_type1(&v, 0.91), 10);
    }

    #[test]
    fn cvar_is_the_mean_of_the_worst_tenth() {
        // 20 values 1..=20: the worst 10 % are the 2 smallest, mean 1.5; 25 values: ⌈2.5⌉ = 3
        // smallest, mean 2.
        let v: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        assert_eq!(Summary::from_values(&v).cvar10, 1.5);
        let w: Vec<f64> = (1..=25).map(f64::from).collect();
        assert_eq!(Summary::from_values(&w).cvar10, 2.0);
    }

    #[test]
    fn summary_of_small_set() {
        let v = [3.0, 1.0, 2.0];
        let s = Summary::from_values(&v);
        assert_eq!(s.mean, 2.0);
        assert!((s.sd - 1.0).abs() < 1e-15);
        assert_eq!(s.p50, 2.0);
        assert!((s.p10 - 1.2).abs() < 1e-12);
    }
}
