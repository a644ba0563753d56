//! Probability distributions for uncertain inputs (placeholder API, filled in by the sampling work).

use rand::{Rng, RngExt};

/// Why a distribution's parameters were rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistributionError {
    /// A parameter was NaN or infinite.
    #[error("`{name}` must be a finite number, got {value}")]
    NotFinite {
        /// Parameter name as written in a scenario.
        name: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// Bounds were out of order.
    #[error("expected min <= mode <= max, got min {min}, mode {mode}, max {max}")]
    Order {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
}

/// A univariate distribution of a numeric input.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Fixed(f64),
    Triangular { min: f64, mode: f64, max: f64 },
}

impl Distribution {
    /// A value known for certain.
    pub fn fixed(value: f64) -> Result<Self, DistributionError> {
        finite("value", value)?;
        Ok(Self {
            kind: Kind::Fixed(value),
        })
    }

    /// Triangular distribution on `[min, max]` with the given mode.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, DistributionError> {
        finite("min", min)?;
        finite("mode", mode)?;
        finite("max", max)?;
        if !(min <= mode && mode <= max) {
            return Err(DistributionError::Order { min, mode, max });
        }
        Ok(Self {
            kind: Kind::Triangular { min, mode, max },
        })
    }

    /// Temporary stand-in.
    pub fn uniform(min: f64, max: f64) -> Result<Self, DistributionError> {
        Self::triangular(min, (min + max) / 2.0, max)
    }
    /// Temporary stand-in.
    pub fn pert(
        min: f64,
        mode: f64,
        max: f64,
        _shape: Option<f64>,
    ) -> Result<Self, DistributionError> {
        Self::triangular(min, mode, max)
    }
    /// Temporary stand-in.
    pub fn normal(
        mean: f64,
        sd: f64,
        _lo: Option<f64>,
        _hi: Option<f64>,
    ) -> Result<Self, DistributionError> {
        Self::triangular(mean - 2.0 * sd, mean, mean + 2.0 * sd)
    }
    /// Temporary stand-in.
    pub fn lognormal_median_p90(median: f64, p90: f64) -> Result<Self, DistributionError> {
        Self::triangular(median / 2.0, median, p90)
    }
    /// Temporary stand-in.
    pub fn lognormal_mean_sd(mean: f64, sd: f64) -> Result<Self, DistributionError> {
        Self::triangular(mean - sd, mean, mean + sd)
    }
    /// Temporary stand-in.
    pub fn discrete(values: Vec<f64>, _w: Vec<f64>) -> Result<Self, DistributionError> {
        Self::fixed(values[0])
    }
    /// Temporary stand-in.
    pub fn overrun(
        body: Distribution,
        _p: f64,
        _s: f64,
        _a: f64,
        _c: Option<f64>,
    ) -> Result<Self, DistributionError> {
        Ok(body)
    }

    /// Whether the distribution is a single point.
    pub fn is_fixed(&self) -> bool {
        matches!(self.kind, Kind::Fixed(_))
    }

    /// Quantile function (inverse CDF) at probability `u` in `[0, 1]`.
    pub fn quantile(&self, u: f64) -> f64 {
        match self.kind {
            Kind::Fixed(v) => v,
            Kind::Triangular { min, mode, max } => {
                let width = max - min;
                if width == 0.0 {
                    return min;
                }
                let split = (mode - min) / width;
                if u < split {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
        }
    }

    /// One random draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.kind {
            Kind::Fixed(v) => v,
            _ => self.quantile(rng.random::<f64>()),
        }
    }

    /// Expected value.
    pub fn mean(&self) -> f64 {
        match self.kind {
            Kind::Fixed(v) => v,
            Kind::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        }
    }
}

fn finite(name: &'static str, value: f64) -> Result<(), DistributionError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(DistributionError::NotFinite { name, value })
    }
}
