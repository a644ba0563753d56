//! Counting what any shares achieve on a [`DrawSample`]: each member's gains, every member
//! gaining at once, core stability, and the burden ratio.

use crate::simulation::DrawSample;

/// Running and start-up shares of a key, in member order.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Shares of the pooled running cost.
    pub running: Vec<f64>,
    /// Shares of the pooled start-up cost.
    pub startup: Vec<f64>,
}

impl Point {
    /// The same shares for both categories.
    pub fn uniform(shares: Vec<f64>) -> Self {
        Self {
            running: shares.clone(),
            startup: shares,
        }
    }

    /// `self + θ·u`.
    pub fn step(&self, u: &Point, theta: f64) -> Point {
        let add = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x + theta * y).collect();
        Point {
            running: add(&self.running, &u.running),
            startup: add(&self.startup, &u.startup),
        }
    }

    /// What member `i` pays of draw `d`'s pooled costs.
    pub(super) fn load(&self, i: usize, pooled: [f64; 2]) -> f64 {
        self.running[i] * pooled[0] + self.startup[i] * pooled[1]
    }
}

/// Counts of one set of shares on a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// Draws (of all `n_draws`) in which each member gains (NPV of net benefit > 0).
    pub member_gains: Vec<u64>,
    /// Draws in which every member gains.
    pub all_win: u64,
    /// Draws (of the first `core_draws`) in which no coalition pays more than its limit.
    pub core_stable: u64,
}

/// Counts the shares `x` on `sample`.
pub fn count(sample: &DrawSample, x: &Point) -> Counts {
    let n = sample.n_members;
    let mut out = Counts {
        member_gains: vec![0; n],
        all_win: 0,
        core_stable: 0,
    };
    let mut sums = vec![0.0; 1 << n.min(crate::games::MAX_EXACT_MEMBERS)];
    for d in 0..sample.n_draws {
        let base = sample.base_of(d);
        let pooled = sample.pooled[d];
        let mut all = true;
        for (i, b) in base.iter().enumerate() {
            let gains = b - x.load(i, pooled) > 0.0;
            out.member_gains[i] += u64::from(gains);
            all &= gains;
        }
        out.all_win += u64::from(all);
        if d < sample.core_draws {
            out.core_stable += u64::from(core_stable(sample, d, x, &mut sums));
        }
    }
    out
}

/// Whether `x` leaves every proper coalition of draw `d` within its limit.
fn core_stable(sample: &DrawSample, d: usize, x: &Point, sums: &mut [f64]) -> bool {
    let limits = sample.limits_of(d);
    let pooled = sample.pooled[d];
    let size = limits.len();
    sums[0] = 0.0;
    for mask in 1..size - 1 {
        let low = mask.trailing_zeros() as usize;
        sums[mask] = sums[mask & (mask - 1)] + x.load(low, pooled);
        if sums[mask] > limits[mask] {
            return false;
        }
    }
    true
}

/// Each member's mean yearly cost per inhabitant in the cooperation under `x` (mean over the
/// operating years of direct cost plus its shares of the pooled costs), as in the run's burden
/// ratio.
pub fn cost_per_inhabitant(sample: &DrawSample, populations: &[f64], x: &Point) -> Vec<f64> {
    (0..sample.n_members)
        .map(|i| {
            let paid = sample.direct_operating[i] + x.load(i, sample.pooled_operating);
            paid / sample.operating_years as f64 / populations[i]
        })
        .collect()
}

/// Highest over lowest cost per inhabitant; `None` when a cost is not positive.
pub fn burden_ratio(costs: &[f64]) -> Option<f64> {
    let max = costs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = costs.iter().copied().fold(f64::INFINITY, f64::min);
    (min > 0.0).then_some(max / min)
}
