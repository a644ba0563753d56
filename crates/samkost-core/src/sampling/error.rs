//! Why a distribution's parameters were rejected: one typed error for every constructor of
//! [`Distribution`](super::Distribution).

/// Why a distribution's parameters were rejected.
///
/// Messages are lowercase fragments that say what was expected and what was given.
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
    /// A parameter lay outside its allowed range.
    #[error("`{name}` must be {expected}, got {value}")]
    OutOfRange {
        /// Parameter name as written in a scenario.
        name: &'static str,
        /// The rejected value.
        value: f64,
        /// The allowed range, e.g. "> 0" or "in [0, 1)".
        expected: &'static str,
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
    /// The lower bound of a range exceeded the upper bound.
    #[error("expected min <= max, got min {min}, max {max}")]
    Bounds {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// The truncation bounds of a normal were not strictly increasing.
    #[error("expected lower < upper for the truncation bounds, got lower {lower}, upper {upper}")]
    TruncationOrder {
        /// Lower truncation bound.
        lower: f64,
        /// Upper truncation bound.
        upper: f64,
    },
    /// The truncation window of a normal held almost none of its probability.
    #[error(
        "the truncation window [{lower}, {upper}] must hold at least {min_mass} of the normal's \
         probability, got {mass:e}"
    )]
    NegligibleMass {
        /// Lower truncation bound (may be -inf).
        lower: f64,
        /// Upper truncation bound (may be +inf).
        upper: f64,
        /// Probability of the window under the untruncated normal.
        mass: f64,
        /// The smallest accepted probability.
        min_mass: f64,
    },
    /// A lognormal's 90th percentile did not exceed its median.
    #[error("`p90` must be > `median`, got median {median}, p90 {p90}")]
    P90NotAboveMedian {
        /// The median.
        median: f64,
        /// The 90th percentile.
        p90: f64,
    },
    /// A discrete distribution had no values.
    #[error("a discrete distribution needs at least one value, got none")]
    EmptyDiscrete,
    /// A discrete distribution had different numbers of values and weights.
    #[error(
        "`values` and `weights` must have the same length, got {values} values and {weights} weights"
    )]
    LengthMismatch {
        /// Number of values.
        values: usize,
        /// Number of weights.
        weights: usize,
    },
    /// A discrete weight was negative.
    #[error("weights must be >= 0, got {weight} at index {index}")]
    NegativeWeight {
        /// Position of the weight.
        index: usize,
        /// The rejected weight.
        weight: f64,
    },
    /// The discrete weights summed to zero.
    #[error("weights must sum to a finite number > 0, got {sum}")]
    ZeroTotalWeight {
        /// The sum of the weights.
        sum: f64,
    },
    /// An overrun tail with α ≤ 1 had no cap, so its mean would be infinite.
    #[error(
        "a `cap` is required when `alpha` <= 1 (the mean is infinite otherwise), got alpha {alpha} and no cap"
    )]
    CapRequired {
        /// The Pareto tail exponent.
        alpha: f64,
    },
    /// An overrun cap did not exceed the start of the tail.
    #[error("`cap` must be > `tail_start`, got cap {cap}, tail_start {tail_start}")]
    CapNotAboveTailStart {
        /// The cap.
        cap: f64,
        /// Where the Pareto tail starts.
        tail_start: f64,
    },
    /// An overrun's body was itself an overrun.
    #[error("the body of an overrun must not itself be an overrun")]
    NestedOverrun,
    /// An overrun's body reached above the start of its tail.
    #[error(
        "the body of an overrun must lie at or below `tail_start`, got a body reaching {body_max} \
         with tail_start {tail_start}"
    )]
    BodyAboveTailStart {
        /// Upper end of the body's support.
        body_max: f64,
        /// Where the Pareto tail starts.
        tail_start: f64,
    },
}

/// `Ok` when `value` is finite, else [`DistributionError::NotFinite`].
pub(super) fn finite(name: &'static str, value: f64) -> Result<f64, DistributionError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(DistributionError::NotFinite { name, value })
    }
}

/// `Ok` when `value` is finite and strictly positive.
pub(super) fn positive(name: &'static str, value: f64) -> Result<f64, DistributionError> {
    if finite(name, value)? > 0.0 {
        Ok(value)
    } else {
        Err(DistributionError::OutOfRange {
            name,
            value,
            expected: "> 0",
        })
    }
}
