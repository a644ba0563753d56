//! [`Distribution`]: the one public type for an uncertain numeric input, with validating
//! constructors, a quantile function, CDF, moments and a sampler that agrees with the
//! quantile function.
//!
//! The kinds live in `continuous.rs`, `discrete.rs` and `overrun.rs`; the special functions
//! (Φ, Φ⁻¹, incomplete beta and its inverse) in `special.rs`, whose module doc explains the
//! choice: `libm` for erfc and ln Γ, and the classic algorithms (AS 241, the Numerical
//! Recipes continued fraction, a bracketed Newton inverse) written out with citations.
//!
//! Contract shared by all kinds:
//! * `quantile(u)` clamps `u` to [0, 1] and is non-decreasing in `u`. Bounded kinds return
//!   their support ends at `u = 0` and `u = 1`. Unbounded kinds (normal, lognormal, an
//!   uncapped overrun, and the infinite side of a one-sided truncated normal) clamp `u` to
//!   `[1e-15, 1 − 1e-15]` instead, so every quantile is finite (a normal reaches ±7.94 σ).
//! * `sample(rng)` draws from exactly the distribution of `quantile(U)`, `U ~ U(0, 1)`. It
//!   uses inverse transform where the quantile is cheap, and `rand_distr`'s samplers for
//!   PERT (Beta), normal and lognormal, whose quantiles need special functions. Those
//!   samplers are unbounded where `quantile` is clamped; the difference has probability
//!   2·10⁻¹⁵ per draw.
//! * `support()` is the mathematical support and may be infinite.

use rand::{Rng, RngExt};

use super::continuous::{
    LogNormal, MAX_PERT_SHAPE, Normal, Pert, Triangular, TruncatedNormal, Uniform,
};
use super::discrete::Discrete;
use super::error::{DistributionError, finite, positive};
use super::overrun::Overrun;
use super::special::std_normal_quantile;

/// PERT shape used when none is given: the classic PERT (Malcolm et al. 1959).
pub const DEFAULT_PERT_SHAPE: f64 = 4.0;

/// A univariate distribution of a numeric input.
///
/// ```
/// use samkost_core::sampling::Distribution;
///
/// let pert = Distribution::pert(0.0, 1.0, 3.0, None)?;
/// assert!((pert.mean() - 7.0 / 6.0).abs() < 1e-12);
/// assert_eq!(pert.quantile(0.0), 0.0);
/// assert_eq!(pert.quantile(1.0), 3.0);
/// # Ok::<(), samkost_core::sampling::DistributionError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Fixed(f64),
    Uniform(Uniform),
    Triangular(Triangular),
    Pert(Pert),
    Normal(Normal),
    TruncatedNormal(TruncatedNormal),
    LogNormal(LogNormal),
    Discrete(Discrete),
    Overrun(Box<Overrun>),
}

impl Distribution {
    fn from_kind(kind: Kind) -> Self {
        Self { kind }
    }

    /// A value known for certain.
    pub fn fixed(value: f64) -> Result<Self, DistributionError> {
        Ok(Self::from_kind(Kind::Fixed(finite("value", value)?)))
    }

    /// Uniform on `[min, max]`; `min == max` is a point.
    pub fn uniform(min: f64, max: f64) -> Result<Self, DistributionError> {
        finite("min", min)?;
        finite("max", max)?;
        if min > max {
            return Err(DistributionError::Bounds { min, max });
        }
        if min == max {
            return Self::fixed(min);
        }
        Ok(Self::from_kind(Kind::Uniform(Uniform { min, max })))
    }

    /// Triangular on `[min, max]` with the given mode; `min == max` is a point.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, DistributionError> {
        ordered_triple(min, mode, max)?;
        if min == max {
            return Self::fixed(min);
        }
        Ok(Self::from_kind(Kind::Triangular(Triangular {
            min,
            mode,
            max,
        })))
    }

    /// PERT on `[min, max]`: `min + (max − min)·Beta(α, β)` with
    /// α = 1 + shape·(mode − min)/(max − min) and β = 1 + shape·(max − mode)/(max − min).
    ///
    /// `shape` defaults to [`DEFAULT_PERT_SHAPE`] (4) and must lie in (0, 1000]. The mean is
    /// (min + shape·mode + max)/(shape + 2); for shape 4 the variance is
    /// (μ − min)(max − μ)/7 (not ((max − min)/6)²). `min == max` is a point.
    pub fn pert(
        min: f64,
        mode: f64,
        max: f64,
        shape: Option<f64>,
    ) -> Result<Self, DistributionError> {
        ordered_triple(min, mode, max)?;
        let shape = finite("shape", shape.unwrap_or(DEFAULT_PERT_SHAPE))?;
        if !(shape > 0.0 && shape <= MAX_PERT_SHAPE) {
            return Err(DistributionError::OutOfRange {
                name: "shape",
                value: shape,
                expected: "in (0, 1000]",
            });
        }
        if min == max {
            return Self::fixed(min);
        }
        Ok(Self::from_kind(Kind::Pert(Pert::new(
            min, mode, max, shape,
        )?)))
    }

    /// Normal with the given mean and standard deviation, truncated to `[lower, upper]` when
    /// either bound is given.
    ///
    /// Rejects `sd <= 0`, `lower >= upper`, and a window holding less than 1e-6 of the
    /// untruncated probability (almost surely a unit mistake in the input).
    pub fn normal(
        mean: f64,
        sd: f64,
        lower: Option<f64>,
        upper: Option<f64>,
    ) -> Result<Self, DistributionError> {
        finite("mean", mean)?;
        positive("sd", sd)?;
        let lower_bound = lower.map(|v| finite("lower", v)).transpose()?;
        let upper_bound = upper.map(|v| finite("upper", v)).transpose()?;
        if lower_bound.is_none() && upper_bound.is_none() {
            return Ok(Self::from_kind(Kind::Normal(Normal::new(mean, sd)?)));
        }
        let lower = lower_bound.unwrap_or(f64::NEG_INFINITY);
        let upper = upper_bound.unwrap_or(f64::INFINITY);
        if lower >= upper {
            return Err(DistributionError::TruncationOrder { lower, upper });
        }
        let truncated = TruncatedNormal::new(mean, sd, lower, upper)?;
        Ok(Self::from_kind(Kind::TruncatedNormal(truncated)))
    }

    /// Lognormal given its median and 90th percentile: μ = ln(median),
    /// σ = ln(p90/median)/Φ⁻¹(0.9). Both must be positive and `p90 > median`.
    pub fn lognormal_median_p90(median: f64, p90: f64) -> Result<Self, DistributionError> {
        positive("median", median)?;
        positive("p90", p90)?;
        if p90 <= median {
            return Err(DistributionError::P90NotAboveMedian { median, p90 });
        }
        let sigma = (p90 / median).ln() / std_normal_quantile(0.9);
        Ok(Self::from_kind(Kind::LogNormal(LogNormal::new(
            median.ln(),
            sigma,
        )?)))
    }

    /// Lognormal given its mean and standard deviation (both positive):
    /// σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2.
    pub fn lognormal_mean_sd(mean: f64, sd: f64) -> Result<Self, DistributionError> {
        positive("mean", mean)?;
        positive("sd", sd)?;
        let sigma_sq = (sd / mean).powi(2).ln_1p();
        let mu = mean.ln() - 0.5 * sigma_sq;
        Ok(Self::from_kind(Kind::LogNormal(LogNormal::new(
            mu,
            sigma_sq.sqrt(),
        )?)))
    }

    /// Finitely many `values` with probabilities proportional to `weights`.
    ///
    /// The two must have the same, non-zero length; weights must be finite, `>= 0` and sum to
    /// more than 0. Values with weight 0 are dropped and equal values merged; a single
    /// remaining value is a point.
    pub fn discrete(values: Vec<f64>, weights: Vec<f64>) -> Result<Self, DistributionError> {
        let discrete = Discrete::new(&values, &weights)?;
        match discrete.single_value() {
            Some(value) => Self::fixed(value),
            None => Ok(Self::from_kind(Kind::Discrete(discrete))),
        }
    }

    /// A cost-overrun factor: `body` with probability `1 − tail_probability`, otherwise a
    /// Pareto tail starting at `tail_start` with exponent `alpha`, clipped at `cap`.
    ///
    /// Quantile: `body.quantile(u/(1 − p))` for `u < 1 − p`, and
    /// `min(cap, tail_start·(1 − (u − (1 − p))/p)^(−1/alpha))` for `u >= 1 − p`.
    ///
    /// Requires `0 <= tail_probability < 1`, `tail_start > 0`, `alpha > 0`,
    /// `cap > tail_start` when given, and a cap when `alpha <= 1`, since the mean of the
    /// uncapped tail is then infinite. The body must not be an overrun and must lie at or
    /// below `tail_start` (its support's upper end), so that the quantile is monotone and
    /// rank-based sampling (LHS, rank correlation) stays valid.
    ///
    /// ```
    /// use samkost_core::sampling::Distribution;
    ///
    /// let body = Distribution::pert(0.9, 1.0, 1.5, None)?;
    /// let overrun = Distribution::overrun(body, 0.15, 1.5, 0.9, Some(10.0))?;
    /// assert_eq!(overrun.quantile(0.85), 1.5);
    /// assert_eq!(overrun.quantile(1.0), 10.0);
    /// assert!(Distribution::overrun(Distribution::fixed(1.0)?, 0.15, 1.5, 0.9, None).is_err());
    /// # Ok::<(), samkost_core::sampling::DistributionError>(())
    /// ```
    pub fn overrun(
        body: Distribution,
        tail_probability: f64,
        tail_start: f64,
        alpha: f64,
        cap: Option<f64>,
    ) -> Result<Self, DistributionError> {
        let overrun = Overrun::new(body, tail_probability, tail_start, alpha, cap)?;
        Ok(Self::from_kind(Kind::Overrun(Box::new(overrun))))
    }

    /// Whether the distribution is a single point.
    pub fn is_fixed(&self) -> bool {
        let (min, max) = self.support();
        min == max
    }

    /// Short lowercase name of the kind: "fixed", "uniform", "triangular", "pert", "normal",
    /// "truncated_normal", "lognormal", "discrete" or "overrun". Degenerate inputs (e.g. a
    /// PERT with `min == max`) are "fixed".
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Fixed(_) => "fixed",
            Kind::Uniform(_) => "uniform",
            Kind::Triangular(_) => "triangular",
            Kind::Pert(_) => "pert",
            Kind::Normal(_) => "normal",
            Kind::TruncatedNormal(_) => "truncated_normal",
            Kind::LogNormal(_) => "lognormal",
            Kind::Discrete(_) => "discrete",
            Kind::Overrun(_) => "overrun",
        }
    }

    /// Quantile function (inverse CDF): the smallest `x` with `cdf(x) >= u`.
    ///
    /// `u` is clamped to [0, 1] (NaN gives NaN); unbounded kinds clamp it further to
    /// `[1e-15, 1 − 1e-15]` so the result is always finite (see the module doc).
    pub fn quantile(&self, u: f64) -> f64 {
        if u.is_nan() {
            return f64::NAN;
        }
        let u = u.clamp(0.0, 1.0);
        match &self.kind {
            Kind::Fixed(v) => *v,
            Kind::Uniform(d) => d.quantile(u),
            Kind::Triangular(d) => d.quantile(u),
            Kind::Pert(d) => d.quantile(u),
            Kind::Normal(d) => d.quantile(u),
            Kind::TruncatedNormal(d) => d.quantile(u),
            Kind::LogNormal(d) => d.quantile(u),
            Kind::Discrete(d) => d.quantile(u),
            Kind::Overrun(d) => d.quantile(u),
        }
    }

    /// [`Distribution::quantile`] of every `us[j]` into `out[j]`, the same values: the kind
    /// chosen once, and a triangular's side taken without a branch before its one square
    /// root, so that the loop has no branch the data would mispredict.
    pub fn quantiles(&self, us: &[f64], out: &mut [f64]) {
        match &self.kind {
            Kind::Triangular(d) => d.quantiles(us, out),
            _ => {
                for (o, &u) in out.iter_mut().zip(us) {
                    *o = self.quantile(u);
                }
            }
        }
    }

    /// Cumulative distribution function P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        match &self.kind {
            Kind::Fixed(_) if x.is_nan() => f64::NAN,
            Kind::Fixed(v) => f64::from(u8::from(x >= *v)),
            Kind::Uniform(d) => d.cdf(x),
            Kind::Triangular(d) => d.cdf(x),
            Kind::Pert(d) => d.cdf(x),
            Kind::Normal(d) => d.cdf(x),
            Kind::TruncatedNormal(d) => d.cdf(x),
            Kind::LogNormal(d) => d.cdf(x),
            Kind::Discrete(d) => d.cdf(x),
            Kind::Overrun(d) => d.cdf(x),
        }
    }

    /// One random draw, distributed exactly as `quantile(U)` with `U ~ U(0, 1)`.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.kind {
            Kind::Fixed(v) => *v,
            Kind::Pert(d) => d.sample(rng),
            Kind::Normal(d) => d.sample(rng),
            Kind::TruncatedNormal(d) => d.sample(rng),
            Kind::LogNormal(d) => d.sample(rng),
            Kind::Overrun(d) => d.sample(rng),
            Kind::Uniform(_) | Kind::Triangular(_) | Kind::Discrete(_) => {
                self.quantile(rng.random::<f64>())
            }
        }
    }

    /// Expected value (always finite: an overrun tail without a cap needs α > 1).
    pub fn mean(&self) -> f64 {
        match &self.kind {
            Kind::Fixed(v) => *v,
            Kind::Uniform(d) => d.mean(),
            Kind::Triangular(d) => d.mean(),
            Kind::Pert(d) => d.mean(),
            Kind::Normal(d) => d.mean(),
            Kind::TruncatedNormal(d) => d.mean(),
            Kind::LogNormal(d) => d.mean(),
            Kind::Discrete(d) => d.mean(),
            Kind::Overrun(d) => d.mean(),
        }
    }

    /// Variance, or `None` when it is infinite (an uncapped overrun tail with α ≤ 2).
    pub fn variance(&self) -> Option<f64> {
        let variance = match &self.kind {
            Kind::Fixed(_) => 0.0,
            Kind::Uniform(d) => d.variance(),
            Kind::Triangular(d) => d.variance(),
            Kind::Pert(d) => d.variance(),
            Kind::Normal(d) => d.variance(),
            Kind::TruncatedNormal(d) => d.variance(),
            Kind::LogNormal(d) => d.variance(),
            Kind::Discrete(d) => d.variance(),
            Kind::Overrun(d) => return d.variance(),
        };
        Some(variance)
    }

    /// The smallest closed interval holding all the probability; ends may be infinite
    /// (normal, lognormal's upper end, an uncapped overrun).
    pub fn support(&self) -> (f64, f64) {
        match &self.kind {
            Kind::Fixed(v) => (*v, *v),
            Kind::Uniform(d) => (d.min, d.max),
            Kind::Triangular(d) => (d.min, d.max),
            Kind::Pert(_) => (self.quantile(0.0), self.quantile(1.0)),
            Kind::Normal(_) => (f64::NEG_INFINITY, f64::INFINITY),
            Kind::TruncatedNormal(d) => d.support(),
            Kind::LogNormal(_) => (0.0, f64::INFINITY),
            Kind::Discrete(d) => d.support(),
            Kind::Overrun(d) => d.support(),
        }
    }

    /// For an overrun: the fraction of the mean contributed by the tail part,
    /// `p·E[min(X, cap)] / mean()` with `X ~ Pareto(tail_start, alpha)`, where
    /// E[min(X, c)] = t·(1 + ((c/t)^(1−α) − 1)/(1 − α)) (t·(1 + ln(c/t)) at α = 1) and
    /// t·α/(α − 1) without a cap.
    ///
    /// It shows how much a reported mean rests on rare black-swan outcomes (and on the cap);
    /// when it is large, prefer medians and percentiles. 0 for every other kind, which has no
    /// tail part.
    pub fn tail_share_of_mean(&self) -> f64 {
        match &self.kind {
            Kind::Overrun(d) => d.tail_share_of_mean(),
            _ => 0.0,
        }
    }
}

/// Checks `min <= mode <= max`, all finite.
fn ordered_triple(min: f64, mode: f64, max: f64) -> Result<(), DistributionError> {
    finite("min", min)?;
    finite("mode", mode)?;
    finite("max", max)?;
    if min <= mode && mode <= max {
        Ok(())
    } else {
        Err(DistributionError::Order { min, mode, max })
    }
}

#[cfg(test)]
mod tests;
