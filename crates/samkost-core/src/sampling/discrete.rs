//! The discrete kind behind [`Distribution`](super::Distribution): finitely many values with
//! probabilities, stored sorted with a cumulative table so that the quantile is one binary
//! search.

use super::error::{DistributionError, finite};

/// Distinct values in increasing order, each with a positive probability.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Discrete {
    values: Vec<f64>,
    probabilities: Vec<f64>,
    /// `cumulative[i]` = P(X ≤ values[i]); the last entry is exactly 1.
    cumulative: Vec<f64>,
}

impl Discrete {
    /// Validates, drops zero weights, merges equal values and normalises the weights.
    pub(super) fn new(values: &[f64], weights: &[f64]) -> Result<Self, DistributionError> {
        if values.len() != weights.len() {
            return Err(DistributionError::LengthMismatch {
                values: values.len(),
                weights: weights.len(),
            });
        }
        if values.is_empty() {
            return Err(DistributionError::EmptyDiscrete);
        }
        let mut pairs = Vec::with_capacity(values.len());
        for (index, (&value, &weight)) in values.iter().zip(weights).enumerate() {
            finite("values", value)?;
            finite("weights", weight)?;
            if weight < 0.0 {
                return Err(DistributionError::NegativeWeight { index, weight });
            }
            if weight > 0.0 {
                pairs.push((value, weight));
            }
        }
        let sum: f64 = weights.iter().sum();
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(DistributionError::ZeroTotalWeight { sum });
        }
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(pairs.len());
        for (value, weight) in pairs {
            match merged.last_mut() {
                Some(last) if last.0 == value => last.1 += weight,
                _ => merged.push((value, weight)),
            }
        }
        let values = merged.iter().map(|&(v, _)| v).collect();
        let probabilities: Vec<f64> = merged.iter().map(|&(_, w)| w / sum).collect();
        let mut running = 0.0;
        let mut cumulative: Vec<f64> = probabilities
            .iter()
            .map(|p| {
                running += p;
                running
            })
            .collect();
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        Ok(Self {
            values,
            probabilities,
            cumulative,
        })
    }

    /// The single value when only one has positive weight.
    pub(super) fn single_value(&self) -> Option<f64> {
        match self.values.as_slice() {
            [v] => Some(*v),
            _ => None,
        }
    }

    /// Smallest value whose cumulative probability reaches `u`.
    pub(super) fn quantile(&self, u: f64) -> f64 {
        if u.is_nan() {
            return f64::NAN;
        }
        let idx = self.cumulative.partition_point(|&c| c < u);
        self.values[idx.min(self.values.len() - 1)]
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match self.values.partition_point(|&v| v <= x) {
            0 => 0.0,
            k => self.cumulative[k - 1],
        }
    }

    pub(super) fn mean(&self) -> f64 {
        self.values
            .iter()
            .zip(&self.probabilities)
            .map(|(v, p)| v * p)
            .sum()
    }

    pub(super) fn variance(&self) -> f64 {
        let mean = self.mean();
        self.values
            .iter()
            .zip(&self.probabilities)
            .map(|(v, p)| p * (v - mean).powi(2))
            .sum()
    }

    pub(super) fn support(&self) -> (f64, f64) {
        (self.values[0], self.values[self.values.len() - 1])
    }
}
