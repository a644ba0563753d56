//! The cost-overrun kind behind [`Distribution`](super::Distribution): a body distribution
//! for ordinary outcomes plus a Pareto tail for the "black swans" that IT projects are known
//! for (Flyvbjerg & Budzier 2011, "Why your IT project may be riskier than you think",
//! *Harvard Business Review*; Flyvbjerg et al. 2022 find power-law overruns for IT projects,
//! with tail exponents α ≤ 1 reported since, so the mean exists only under a cap).
//!
//! With tail probability `p`, tail start `t`, exponent `α` and optional cap `c`, the factor is
//! the mixture `(1 − p)·body + p·min(X, c)` with `X ~ Pareto(t, α)`, P(X > x) = (t/x)^α for
//! x ≥ t. Its quantile function is
//!
//! ```text
//! Q(u) = body.quantile(u / (1 − p))              for u < 1 − p
//! Q(u) = min(c, t·((1 − u)/p)^(−1/α))            for u ≥ 1 − p
//! ```
//!
//! which is a genuine (monotone) quantile function because the body is required to lie at or
//! below `t`. A cap leaves an atom of probability `p·(t/c)^α` at `c`.

use rand::{Rng, RngExt};

use super::continuous::U_FLOOR;
use super::distribution::Distribution;
use super::error::{DistributionError, finite, positive};

/// A body plus a (possibly capped) Pareto tail.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Overrun {
    body: Distribution,
    tail_probability: f64,
    tail_start: f64,
    alpha: f64,
    cap: Option<f64>,
}

impl Overrun {
    /// Validates the parameters; see [`Distribution::overrun`].
    pub(super) fn new(
        body: Distribution,
        tail_probability: f64,
        tail_start: f64,
        alpha: f64,
        cap: Option<f64>,
    ) -> Result<Self, DistributionError> {
        let p = finite("tail_probability", tail_probability)?;
        if !(0.0..1.0).contains(&p) {
            return Err(DistributionError::OutOfRange {
                name: "tail_probability",
                value: p,
                expected: "in [0, 1)",
            });
        }
        positive("tail_start", tail_start)?;
        positive("alpha", alpha)?;
        match cap {
            Some(cap) if finite("cap", cap)? <= tail_start => {
                return Err(DistributionError::CapNotAboveTailStart { cap, tail_start });
            }
            None if alpha <= 1.0 => return Err(DistributionError::CapRequired { alpha }),
            _ => {}
        }
        if body.kind_name() == "overrun" {
            return Err(DistributionError::NestedOverrun);
        }
        let body_max = body.support().1;
        if body_max > tail_start {
            return Err(DistributionError::BodyAboveTailStart {
                body_max,
                tail_start,
            });
        }
        Ok(Self {
            body,
            tail_probability,
            tail_start,
            alpha,
            cap,
        })
    }

    /// Whether `u` falls in the body part.
    fn in_body(&self, u: f64) -> bool {
        self.tail_probability == 0.0 || u < 1.0 - self.tail_probability
    }

    pub(super) fn quantile(&self, u: f64) -> f64 {
        if self.in_body(u) {
            self.body.quantile(u / (1.0 - self.tail_probability))
        } else {
            self.tail_quantile(u)
        }
    }

    /// `min(c, t·((1 − u)/p)^(−1/α))`, never below `t`; without a cap `u` is kept at or
    /// below `1 − U_FLOOR` so the result stays finite.
    fn tail_quantile(&self, u: f64) -> f64 {
        let p = self.tail_probability;
        let mut survival = (1.0 - u) / p;
        if self.cap.is_none() {
            survival = survival.max(U_FLOOR / p);
        }
        let x = (self.tail_start * survival.powf(-1.0 / self.alpha)).max(self.tail_start);
        self.cap.map_or(x, |cap| x.min(cap))
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        let p = self.tail_probability;
        let tail_cdf = if x.is_nan() {
            f64::NAN
        } else if x < self.tail_start {
            0.0
        } else if self.cap.is_some_and(|cap| x >= cap) {
            1.0
        } else {
            1.0 - (self.tail_start / x).powf(self.alpha)
        };
        (1.0 - p) * self.body.cdf(x) + p * tail_cdf
    }

    pub(super) fn mean(&self) -> f64 {
        let p = self.tail_probability;
        (1.0 - p) * self.body.mean() + p * self.tail_mean()
    }

    /// `None` when the tail's second moment is infinite (no cap and α ≤ 2).
    pub(super) fn variance(&self) -> Option<f64> {
        let p = self.tail_probability;
        let body_mean = self.body.mean();
        let body_second = self.body.variance()? + body_mean * body_mean;
        let tail_second = if p == 0.0 {
            0.0
        } else {
            self.tail_second_moment()?
        };
        let mean = self.mean();
        Some(((1.0 - p) * body_second + p * tail_second - mean * mean).max(0.0))
    }

    pub(super) fn support(&self) -> (f64, f64) {
        let (body_min, body_max) = self.body.support();
        let max = if self.tail_probability == 0.0 {
            body_max
        } else {
            self.cap.unwrap_or(f64::INFINITY)
        };
        (body_min, max)
    }

    /// The tail by inverse transform on the same uniform (cheap: one `powf`); the body with
    /// its own sampler, which given `u < 1 − p` has exactly the body's distribution.
    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let u = rng.random::<f64>();
        if self.in_body(u) {
            self.body.sample(rng)
        } else {
            self.tail_quantile(u)
        }
    }

    /// `p·E[min(X, c)] / mean`; see [`Distribution::tail_share_of_mean`].
    pub(super) fn tail_share_of_mean(&self) -> f64 {
        if self.tail_probability == 0.0 {
            return 0.0;
        }
        self.tail_probability * self.tail_mean() / self.mean()
    }

    /// E[min(X, c)] = t + ∫ₜᶜ (t/x)^α dx = t·(1 + ∫₀^L e^{(1−α)s} ds) with L = ln(c/t);
    /// without a cap, t·α/(α − 1) (requires α > 1, which the constructor enforces).
    fn tail_mean(&self) -> f64 {
        let t = self.tail_start;
        match self.cap {
            None => t * self.alpha / (self.alpha - 1.0),
            Some(cap) => t * (1.0 + exp_integral(1.0 - self.alpha, (cap / t).ln())),
        }
    }

    /// E[min(X, c)²] = t² + 2∫ₜᶜ x(t/x)^α dx = t²·(1 + 2∫₀^L e^{(2−α)s} ds); without a cap,
    /// t²·α/(α − 2) for α > 2 and infinite otherwise.
    fn tail_second_moment(&self) -> Option<f64> {
        let t = self.tail_start;
        match self.cap {
            None if self.alpha > 2.0 => Some(t * t * self.alpha / (self.alpha - 2.0)),
            None => None,
            Some(cap) => Some(t * t * (1.0 + 2.0 * exp_integral(2.0 - self.alpha, (cap / t).ln()))),
        }
    }
}

/// ∫₀^L e^{k·s} ds = expm1(kL)/k, and L at k = 0; `exp_m1` keeps it accurate near k = 0.
fn exp_integral(k: f64, l: f64) -> f64 {
    if k == 0.0 { l } else { (k * l).exp_m1() / k }
}
