//! Goal seeking along one parameter of a family: the smallest or largest value at which the
//! probability of the goal reaches a target, with its Monte Carlo error (docs/MODEL.md §13.4).

use super::count::Point;
use super::line::sweep;
use super::{Constraints, Goal};
use crate::simulation::DrawSample;

/// Which end of the parameter range is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeekDirection {
    /// The smallest value reaching the target.
    Smallest,
    /// The largest value reaching the target.
    Largest,
}

/// The answer of [`seek`].
#[derive(Debug, Clone, PartialEq)]
pub struct Seek {
    /// The parameter value (the end of the first piece, from the wanted side, whose
    /// probability reaches the target); `None` when no value in the range does.
    pub value: Option<f64>,
    /// Probability of the goal just past that value.
    pub probability: f64,
    /// Its standard error, `√(p(1−p)/n)`.
    pub std_error: f64,
    /// The range of parameter values whose probability lies within 1.96 standard errors of
    /// the target (`√(t(1−t)/n)`): where the sample cannot tell whether the target is reached.
    pub uncertain: Option<(f64, f64)>,
    /// Highest probability anywhere in the range, and a value reaching it.
    pub best: (f64, f64),
    /// Draws the probability is counted on.
    pub n_draws: u64,
}

/// Seeks along `x + θu` for θ in `[lo, hi]`.
#[expect(clippy::too_many_arguments, reason = "one line, one target")]
pub fn seek(
    sample: &DrawSample,
    goal: Goal,
    x: &Point,
    u: &Point,
    lo: f64,
    hi: f64,
    target: f64,
    direction: SeekDirection,
) -> Seek {
    let constraints = Constraints {
        populations: vec![1.0; sample.n_members],
        ..Constraints::default()
    };
    let mut segments = sweep(sample, goal, &constraints, x, u, lo, hi);
    let n = match goal {
        Goal::AllWin => sample.n_draws,
        Goal::CoreStable => sample.core_draws,
    }
    .max(1) as f64;
    let p = |g: u64| g as f64 / n;
    let half = 1.96 * (target * (1.0 - target) / n).sqrt();
    let uncertain = {
        let near: Vec<_> = segments
            .iter()
            .filter(|s| (p(s.goal) - target).abs() <= half)
            .collect();
        near.first()
            .zip(near.last())
            .map(|(a, b)| (a.from.min(b.from), a.to.max(b.to)))
    };
    let best = segments
        .iter()
        .max_by(|a, b| a.goal.cmp(&b.goal))
        .map_or((0.0, lo), |s| {
            (p(s.goal), super::line::middle(s.from, s.to))
        });
    if direction == SeekDirection::Largest {
        segments.reverse();
    }
    let hit = segments.iter().find(|s| p(s.goal) >= target);
    let value = hit.map(|s| match direction {
        SeekDirection::Smallest => s.from,
        SeekDirection::Largest => s.to,
    });
    let probability = hit.map_or(best.0, |s| p(s.goal));
    Seek {
        value,
        probability,
        std_error: (probability * (1.0 - probability) / n).sqrt(),
        uncertain,
        best,
        n_draws: n as u64,
    }
}
