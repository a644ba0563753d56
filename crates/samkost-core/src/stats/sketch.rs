//! Bounded-memory quantiles for very long runs: a DDSketch (Masson, Rim & Lee 2019,
//! "DDSketch: a fast and fully-mergeable quantile sketch with relative-error guarantees",
//! PVLDB 12(12)).
//!
//! Values are counted in logarithmic buckets `γ^(i−1) < |x| ≤ γ^i` with
//! `γ = (1 + α)/(1 − α)`, separately for positive and negative values, plus a bucket for
//! values whose magnitude is below [`ZERO_THRESHOLD`]. A bucket is reported by its
//! representative `±2γ^i/(γ + 1)`, which is within relative error `α` of every value in it,
//! so a reported quantile is within relative error `α` of the order statistic it stands for.
//! Counts are integers, so merging sketches in any order gives the same sketch: results do not
//! depend on the thread count. Memory grows with `log(max/min)/α`, not with the number of
//! values.

/// Bucket counts indexed densely from `offset` (buckets of one sign).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Store {
    offset: i32,
    counts: Vec<u64>,
}

impl Store {
    fn add(&mut self, index: i32, count: u64) {
        if self.counts.is_empty() {
            self.offset = index;
        }
        if index < self.offset {
            let grow = (self.offset - index) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = index;
        }
        let pos = (index - self.offset) as usize;
        if pos >= self.counts.len() {
            self.counts.resize(pos + 1, 0);
        }
        self.counts[pos] += count;
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = (i32, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(k, c)| (self.offset + k as i32, *c))
    }
}

/// Default relative accuracy: 0.1 %.
pub const DEFAULT_RELATIVE_ACCURACY: f64 = 1e-3;

/// Magnitudes below this (NOK) count as zero.
pub const ZERO_THRESHOLD: f64 = 1e-6;

/// A mergeable quantile sketch with relative-error guarantees.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileSketch {
    ln_gamma: f64,
    gamma: f64,
    positive: Store,
    negative: Store,
    zeros: u64,
    count: u64,
    min: f64,
    max: f64,
}

impl QuantileSketch {
    /// An empty sketch with relative accuracy `alpha` (0 < α < 1).
    pub fn new(alpha: f64) -> Self {
        let gamma = (1.0 + alpha) / (1.0 - alpha);
        Self {
            ln_gamma: gamma.ln(),
            gamma,
            positive: Store::default(),
            negative: Store::default(),
            zeros: 0,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    fn index(&self, magnitude: f64) -> i32 {
        (magnitude.ln() / self.ln_gamma).ceil() as i32
    }

    fn representative(&self, index: i32) -> f64 {
        2.0 * self.gamma.powi(index) / (self.gamma + 1.0)
    }

    /// Adds a finite value.
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x.abs() < ZERO_THRESHOLD {
            self.zeros += 1;
        } else if x > 0.0 {
            let i = self.index(x);
            self.positive.add(i, 1);
        } else {
            let i = self.index(-x);
            self.negative.add(i, 1);
        }
    }

    /// Adds every value of `other` (same accuracy).
    pub fn merge(&mut self, other: &Self) {
        for (i, c) in other.positive.iter() {
            self.positive.add(i, c);
        }
        for (i, c) in other.negative.iter() {
            self.negative.add(i, c);
        }
        self.zeros += other.zeros;
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Buckets in ascending order of value: `(representative, count)`.
    fn ascending(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        let negative = self
            .negative
            .iter()
            .rev()
            .map(|(i, c)| (-self.representative(i), c));
        let zero = (self.zeros > 0).then_some((0.0, self.zeros));
        let positive = self
            .positive
            .iter()
            .map(|(i, c)| (self.representative(i), c));
        negative.chain(zero).chain(positive)
    }

    /// The value of the order statistic of 0-based rank `⌊p·(n − 1)⌋`, within relative error α
    /// (exact for the minimum and maximum); `None` when empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (p.clamp(0.0, 1.0) * (self.count - 1) as f64).floor() as u64;
        // The extremes are kept exactly.
        if rank == 0 {
            return Some(self.min);
        }
        if rank == self.count - 1 {
            return Some(self.max);
        }
        let mut seen = 0;
        for (value, c) in self.ascending() {
            seen += c;
            if seen > rank {
                return Some(value.clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// Mean of the `⌈p·n⌉` smallest values (the expected value in the worst `p` of draws),
    /// within relative error α of each value's contribution.
    pub fn lower_tail_mean(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let k = ((p.clamp(0.0, 1.0) * self.count as f64).ceil() as u64).max(1);
        let (mut taken, mut sum) = (0u64, 0.0);
        for (value, c) in self.ascending() {
            let take = c.min(k - taken);
            sum += value.clamp(self.min, self.max) * take as f64;
            taken += take;
            if taken == k {
                break;
            }
        }
        Some(sum / k as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn quantiles_are_within_the_relative_accuracy() {
        // Values of both signs over several orders of magnitude; the sketch's quantiles must be
        // within α (relative) of the exact order statistics (DDSketch's guarantee).
        let alpha = 1e-3;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let values: Vec<f64> = (0..200_000)
            .map(|_| {
                let u: f64 = rng.random();
                let v: f64 = rng.random();
                (u - 0.3) * 10f64.powf(3.0 + 5.0 * v)
            })
            .collect();
        let mut halves = [QuantileSketch::new(alpha), QuantileSketch::new(alpha)];
        for (k, x) in values.iter().enumerate() {
            halves[k % 2].add(*x);
        }
        let [mut sketch, other] = halves;
        sketch.merge(&other);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for p in [0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0] {
            let exact = sorted[(p * (sorted.len() - 1) as f64).floor() as usize];
            let got = sketch.quantile(p).unwrap();
            assert!(
                (got - exact).abs() <= alpha * exact.abs() + 1e-12,
                "p {p}: {got} vs {exact}"
            );
        }
        let k = (0.1 * sorted.len() as f64).ceil() as usize;
        let cvar: f64 = sorted[..k].iter().sum::<f64>() / k as f64;
        let got = sketch.lower_tail_mean(0.1).unwrap();
        assert!((got - cvar).abs() <= alpha * cvar.abs(), "{got} vs {cvar}");
    }

    #[test]
    fn merging_in_any_order_gives_the_same_sketch() {
        let mut a = QuantileSketch::new(1e-3);
        let mut b = QuantileSketch::new(1e-3);
        for x in [1.0, -5.0, 0.0, 1e9, 3.5] {
            a.add(x);
        }
        for x in [2.0, -7.0, 1e-9] {
            b.add(x);
        }
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.count(), 8);
        assert_eq!(ab.quantile(0.0), Some(-7.0));
        assert_eq!(ab.quantile(1.0), Some(1e9));
    }
}
