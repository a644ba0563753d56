//! The continuous kinds behind [`Distribution`](super::Distribution): uniform, triangular,
//! PERT, normal, truncated normal and lognormal. Each holds its parameters and the constants
//! its quantile function and sampler need, precomputed at construction.
//!
//! Parameters are validated by the public constructors in `distribution.rs`; the `new`
//! functions here assume valid input.

use rand::{Rng, RngExt};
use rand_distr::Distribution as _;

use super::error::DistributionError;
use super::special::{beta_cdf, ln_beta, std_normal_cdf, std_normal_pdf, std_normal_quantile};

/// Unbounded kinds clamp `u` to `[U_FLOOR, 1 − U_FLOOR]` so that every quantile is finite:
/// a normal then reaches at most ±7.94 standard deviations.
pub(super) const U_FLOOR: f64 = 1e-15;

/// `u` clamped to `[U_FLOOR, 1 − U_FLOOR]`.
pub(super) fn clamp_open(u: f64) -> f64 {
    u.clamp(U_FLOOR, 1.0 - U_FLOOR)
}

/// Uniform on `[min, max]` with `min < max`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Uniform {
    pub(super) min: f64,
    pub(super) max: f64,
}

impl Uniform {
    pub(super) fn quantile(&self, u: f64) -> f64 {
        (self.min + u * (self.max - self.min)).min(self.max)
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        ((x - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }

    pub(super) fn mean(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    pub(super) fn variance(&self) -> f64 {
        (self.max - self.min).powi(2) / 12.0
    }
}

/// Triangular on `[min, max]` with mode `mode`, `min < max`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Triangular {
    pub(super) min: f64,
    pub(super) mode: f64,
    pub(super) max: f64,
}

impl Triangular {
    /// Inverse of the piecewise-quadratic CDF:
    /// Q(u) = min + √(u·(max − min)·(mode − min)) below F(mode) = (mode − min)/(max − min),
    /// max − √((1 − u)·(max − min)·(max − mode)) above. Each branch is clamped at the mode so
    /// that rounding cannot make the two branches overlap (which would break monotonicity).
    ///
    /// The product under the root overflows once the range is wider than about 1.3e154; such
    /// ranges take [`Self::quantile_wide`], which gives the same quantile without overflow.
    pub(super) fn quantile(&self, u: f64) -> f64 {
        let Self { min, mode, max } = *self;
        let width = max - min;
        if u * width < mode - min {
            let square = u * width * (mode - min);
            if square.is_finite() {
                return (min + square.sqrt()).min(mode);
            }
        } else {
            let square = (1.0 - u) * width * (max - mode);
            if square.is_finite() {
                return (max - square.sqrt()).max(mode);
            }
        }
        self.quantile_wide(u)
    }

    /// [`Self::quantile`] of every `us[j]` (clamped to `[0, 1]` as
    /// [`super::Distribution::quantile`] does, NaN giving NaN) into `out[j]`: each value's
    /// side taken without a branch and one root of that side's square, two values at a time
    /// (a last odd value by [`Self::quantile`]), then the rare values whose product overflows
    /// (or is NaN) again by [`Self::quantile`].
    /// The same operations on the same numbers, so the same values.
    pub(super) fn quantiles(&self, us: &[f64], out: &mut [f64]) {
        let Self { min, mode, max } = *self;
        let width = max - min;
        let (below, above) = (mode - min, max - mode);
        let mut redo = false;
        use wide::CmpLt;
        // Two values at a time in SIMD lanes (`wide::f64x2`: the same IEEE operations, without
        // a branch on the side, which the draws' uniforms make unpredictable).
        let n = out.len().min(us.len());
        let pairs = n / 2 * 2;
        let splat = wide::f64x2::splat;
        let (width_v, below_v, above_v) = (splat(width), splat(below), splat(above));
        let (min_v, mode_v, max_v, one) = (splat(min), splat(mode), splat(max), splat(1.0));
        for (o, u) in out[..pairs]
            .chunks_exact_mut(2)
            .zip(us[..pairs].chunks_exact(2))
        {
            // Clamped one by one, so that a NaN stays NaN (and is redone below).
            let u = wide::f64x2::new([u[0].clamp(0.0, 1.0), u[1].clamp(0.0, 1.0)]);
            let lower = (u * width_v).cmp_lt(below_v);
            // The side's square chosen first: one root per value, of the number the side
            // would take the root of.
            let square = lower.blend(u * width_v * below_v, (one - u) * width_v * above_v);
            let root = square.sqrt();
            let low = (min_v + root).fast_min(mode_v);
            let high = (max_v - root).fast_max(mode_v);
            let squares = square.to_array();
            redo |= !(squares[0].is_finite() && squares[1].is_finite());
            o.copy_from_slice(&lower.blend(low, high).to_array());
        }
        // The value left over from the pairs, by the quantile itself.
        for (o, &u) in out[pairs..n].iter_mut().zip(&us[pairs..n]) {
            *o = if u.is_nan() {
                f64::NAN
            } else {
                self.quantile(u.clamp(0.0, 1.0))
            };
        }
        if redo {
            for (o, &u) in out.iter_mut().zip(us) {
                let u = u.clamp(0.0, 1.0);
                let square = if u * width < below {
                    u * width * below
                } else {
                    (1.0 - u) * width * above
                };
                if u.is_nan() {
                    *o = f64::NAN;
                } else if !square.is_finite() {
                    *o = self.quantile(u);
                }
            }
        }
    }

    /// The quantile of [`Self::quantile`] in a form without overflow: with
    /// p = (mode − min)/(max − min), Q(u) = min + (max − min)·√(u·p) for u < p and
    /// max − (max − min)·√((1 − u)(1 − p)) otherwise, evaluated on halved bounds so that no
    /// intermediate (not even max − min for bounds near ±1.8e308) exceeds the largest double.
    fn quantile_wide(&self, u: f64) -> f64 {
        let (min_h, mode_h, max_h) = (self.min / 2.0, self.mode / 2.0, self.max / 2.0);
        let width_h = max_h - min_h;
        let p = (mode_h - min_h) / width_h;
        let q_h = if u < p {
            (min_h + width_h * (u * p).sqrt()).min(mode_h)
        } else {
            (max_h - width_h * ((1.0 - u) * (1.0 - p)).sqrt()).max(mode_h)
        };
        (2.0 * q_h).clamp(self.min, self.max)
    }

    /// F(x) = (x − min)²/((max − min)(mode − min)) up to the mode and
    /// 1 − (max − x)²/((max − min)(max − mode)) above; as ratios of halved values when the
    /// products overflow (see [`Self::quantile_wide`]).
    pub(super) fn cdf(&self, x: f64) -> f64 {
        let Self { min, mode, max } = *self;
        let width = max - min;
        if x.is_nan() {
            f64::NAN
        } else if x <= min {
            0.0
        } else if x >= max {
            1.0
        } else if x <= mode {
            let denominator = width * (mode - min);
            if denominator.is_finite() {
                (x - min).powi(2) / denominator
            } else {
                let (d, w, m) = (
                    x / 2.0 - min / 2.0,
                    max / 2.0 - min / 2.0,
                    mode / 2.0 - min / 2.0,
                );
                (d / w) * (d / m)
            }
        } else {
            let denominator = width * (max - mode);
            if denominator.is_finite() {
                1.0 - (max - x).powi(2) / denominator
            } else {
                let (d, w, m) = (
                    max / 2.0 - x / 2.0,
                    max / 2.0 - min / 2.0,
                    max / 2.0 - mode / 2.0,
                );
                1.0 - (d / w) * (d / m)
            }
        }
    }

    pub(super) fn mean(&self) -> f64 {
        (self.min + self.mode + self.max) / 3.0
    }

    /// (a² + b² + c² − ab − ac − bc)/18.
    pub(super) fn variance(&self) -> f64 {
        let Self {
            min: a,
            mode: c,
            max: b,
        } = *self;
        (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
    }
}

/// Largest accepted PERT shape. Beyond it the distribution is a point for practical
/// purposes, the incomplete-beta continued fraction needs O(√(α + β)) terms per call, and
/// ln B(α, β) loses digits to cancellation (about 1e-12 relative at this shape).
pub(super) const MAX_PERT_SHAPE: f64 = 1000.0;

/// PERT: `min + (max − min)·B` with `B ~ Beta(α, β)`, `min < max`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pert {
    min: f64,
    max: f64,
    alpha: f64,
    beta: f64,
    /// ln B(α, β), shared by every CDF evaluation.
    ln_beta: f64,
    /// The quantile table (see `beta_inverse.rs`).
    inverse: super::beta_inverse::BetaInverse,
    sampler: rand_distr::Beta<f64>,
}

impl Pert {
    /// α = 1 + shape·(mode − min)/(max − min), β = 1 + shape·(max − mode)/(max − min)
    /// (the "modified PERT" of Vose 2008, *Risk Analysis: A Quantitative Guide*, 3rd ed.;
    /// shape 4 is the classic PERT).
    pub(super) fn new(
        min: f64,
        mode: f64,
        max: f64,
        shape: f64,
    ) -> Result<Self, DistributionError> {
        let width = max - min;
        let alpha = 1.0 + shape * (mode - min) / width;
        let beta = 1.0 + shape * (max - mode) / width;
        let sampler =
            rand_distr::Beta::new(alpha, beta).map_err(|_| DistributionError::OutOfRange {
                name: "shape",
                value: shape,
                expected: "in (0, 1000]",
            })?;
        Ok(Self {
            min,
            max,
            alpha,
            beta,
            ln_beta: ln_beta(alpha, beta),
            inverse: super::beta_inverse::BetaInverse::new(alpha, beta, ln_beta(alpha, beta)),
            sampler,
        })
    }

    fn width(&self) -> f64 {
        self.max - self.min
    }

    pub(super) fn quantile(&self, u: f64) -> f64 {
        (self.min + self.width() * self.inverse.quantile(u)).clamp(self.min, self.max)
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        beta_cdf(
            (x - self.min) / self.width(),
            self.alpha,
            self.beta,
            self.ln_beta,
        )
    }

    pub(super) fn mean(&self) -> f64 {
        self.min + self.width() * self.alpha / (self.alpha + self.beta)
    }

    /// (max − min)²·αβ / ((α + β)²(α + β + 1)).
    pub(super) fn variance(&self) -> f64 {
        let (a, b) = (self.alpha, self.beta);
        self.width().powi(2) * a * b / ((a + b).powi(2) * (a + b + 1.0))
    }

    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        (self.min + self.width() * self.sampler.sample(rng)).clamp(self.min, self.max)
    }
}

/// Normal without truncation.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Normal {
    mean: f64,
    sd: f64,
    sampler: rand_distr::Normal<f64>,
}

impl Normal {
    pub(super) fn new(mean: f64, sd: f64) -> Result<Self, DistributionError> {
        let sampler =
            rand_distr::Normal::new(mean, sd).map_err(|_| DistributionError::OutOfRange {
                name: "sd",
                value: sd,
                expected: "> 0",
            })?;
        Ok(Self { mean, sd, sampler })
    }

    pub(super) fn quantile(&self, u: f64) -> f64 {
        self.mean + self.sd * std_normal_quantile(clamp_open(u))
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        std_normal_cdf((x - self.mean) / self.sd)
    }

    pub(super) fn mean(&self) -> f64 {
        self.mean
    }

    pub(super) fn variance(&self) -> f64 {
        self.sd * self.sd
    }

    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }
}

/// Smallest probability a truncation window must hold. Below it the window is almost surely
/// a mistake in the input (e.g. bounds in other units than the mean), and the inverse
/// transform `Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a)))` would start to lose the 1e-10 accuracy we promise.
pub(super) const MIN_TRUNCATED_MASS: f64 = 1e-6;

/// Normal truncated to `[lower, upper]` (one side may be infinite).
///
/// In standard units `a = (lower − μ)/σ`, `b = (upper − μ)/σ`. When `a > 0` the window lies
/// in the upper tail, and the survival function Φ(−z) is used throughout instead of Φ(z), so
/// that no digits are lost to `1 − tiny`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TruncatedNormal {
    mean: f64,
    sd: f64,
    lower: f64,
    upper: f64,
    upper_tail: bool,
    /// Φ(a), or Φ(−a) when `upper_tail`.
    p_lower: f64,
    /// Φ(b) − Φ(a), the probability of the window.
    mass: f64,
}

impl TruncatedNormal {
    /// Assumes `lower < upper`, `sd > 0`; rejects a window of negligible probability.
    pub(super) fn new(
        mean: f64,
        sd: f64,
        lower: f64,
        upper: f64,
    ) -> Result<Self, DistributionError> {
        let a = (lower - mean) / sd;
        let b = (upper - mean) / sd;
        let upper_tail = a > 0.0;
        let (p_lower, p_upper) = if upper_tail {
            (std_normal_cdf(-a), std_normal_cdf(-b))
        } else {
            (std_normal_cdf(a), std_normal_cdf(b))
        };
        let mass = (p_upper - p_lower).abs();
        if mass.is_nan() || mass < MIN_TRUNCATED_MASS {
            return Err(DistributionError::NegligibleMass {
                lower,
                upper,
                mass,
                min_mass: MIN_TRUNCATED_MASS,
            });
        }
        Ok(Self {
            mean,
            sd,
            lower,
            upper,
            upper_tail,
            p_lower,
            mass,
        })
    }

    fn standard_bounds(&self) -> (f64, f64) {
        (
            (self.lower - self.mean) / self.sd,
            (self.upper - self.mean) / self.sd,
        )
    }

    /// `μ + σ·Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a)))`, clamped to the window. `u` is kept away from the
    /// ends only on an infinite side, so a finite bound is reached exactly.
    pub(super) fn quantile(&self, u: f64) -> f64 {
        // Rounding in Φ⁻¹(Φ(b)) would otherwise miss a finite bound by a few ulps.
        if u <= 0.0 && self.lower.is_finite() {
            return self.lower;
        }
        if u >= 1.0 && self.upper.is_finite() {
            return self.upper;
        }
        let mut u = u;
        if self.lower == f64::NEG_INFINITY {
            u = u.max(U_FLOOR);
        }
        if self.upper == f64::INFINITY {
            u = u.min(1.0 - U_FLOOR);
        }
        let z = if self.upper_tail {
            -std_normal_quantile(self.p_lower - u * self.mass)
        } else {
            std_normal_quantile(self.p_lower + u * self.mass)
        };
        (self.mean + self.sd * z).clamp(self.lower, self.upper)
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if x <= self.lower {
            return 0.0;
        }
        if x >= self.upper {
            return 1.0;
        }
        let z = (x - self.mean) / self.sd;
        let below = if self.upper_tail {
            self.p_lower - std_normal_cdf(-z)
        } else {
            std_normal_cdf(z) - self.p_lower
        };
        (below / self.mass).clamp(0.0, 1.0)
    }

    /// μ + σ·(φ(a) − φ(b))/Z with Z = Φ(b) − Φ(a) (Johnson, Kotz & Balakrishnan 1994,
    /// *Continuous Univariate Distributions* vol. 1, 2nd ed., ch. 13 §10.1).
    pub(super) fn mean(&self) -> f64 {
        let (a, b) = self.standard_bounds();
        self.mean + self.sd * (std_normal_pdf(a) - std_normal_pdf(b)) / self.mass
    }

    /// σ²·[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²] (same source), with xφ(x) = 0 at ±∞.
    pub(super) fn variance(&self) -> f64 {
        let (a, b) = self.standard_bounds();
        let x_pdf = |x: f64| {
            if x.is_finite() {
                x * std_normal_pdf(x)
            } else {
                0.0
            }
        };
        let shift = (std_normal_pdf(a) - std_normal_pdf(b)) / self.mass;
        self.sd * self.sd * (1.0 + (x_pdf(a) - x_pdf(b)) / self.mass - shift * shift)
    }

    pub(super) fn support(&self) -> (f64, f64) {
        (self.lower, self.upper)
    }

    /// Inverse transform: cheap here, and exact with respect to `quantile`.
    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.quantile(rng.random::<f64>())
    }
}

/// Lognormal: `exp(μ + σZ)` with `Z` standard normal.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LogNormal {
    mu: f64,
    sigma: f64,
    sampler: rand_distr::LogNormal<f64>,
}

impl LogNormal {
    pub(super) fn new(mu: f64, sigma: f64) -> Result<Self, DistributionError> {
        let sampler =
            rand_distr::LogNormal::new(mu, sigma).map_err(|_| DistributionError::OutOfRange {
                name: "sigma",
                value: sigma,
                expected: "> 0",
            })?;
        Ok(Self { mu, sigma, sampler })
    }

    pub(super) fn quantile(&self, u: f64) -> f64 {
        (self.mu + self.sigma * std_normal_quantile(clamp_open(u))).exp()
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        std_normal_cdf((x.ln() - self.mu) / self.sigma)
    }

    /// exp(μ + σ²/2).
    pub(super) fn mean(&self) -> f64 {
        (self.mu + 0.5 * self.sigma * self.sigma).exp()
    }

    /// (exp(σ²) − 1)·exp(2μ + σ²).
    pub(super) fn variance(&self) -> f64 {
        let s2 = self.sigma * self.sigma;
        s2.exp_m1() * (2.0 * self.mu + s2).exp()
    }

    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sampler.sample(rng)
    }

    /// The parameters (μ, σ) of the underlying normal.
    #[cfg(test)]
    pub(super) fn log_params(&self) -> (f64, f64) {
        (self.mu, self.sigma)
    }
}
