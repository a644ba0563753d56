//! Morris elementary effects: a screening method that ranks inputs with `r(k+1)` runs.
//!
//! Design (Morris 1991, *Factorial sampling plans for preliminary computational
//! experiments*, Technometrics 33, 161–174; Saltelli et al. 2008, *The Primer*, §3.3): a grid
//! of `p` levels `{0, 1/(p−1), …, 1}` in each of the `k` unit-scaled inputs and the step
//! `Δ = p/(2(p−1))` (2/3 for the default `p = 4`). A trajectory starts at a random grid point
//! and moves one input at a time, each once, in a random order, by `+Δ` or `−Δ`, so it has
//! `k + 1` points. Trajectory `t` draws from ChaCha8 stream `t` of the seed. Every input gets
//! one elementary effect per trajectory,
//!
//! `EE_i = [f(…, x_i + Δ, …) − f(…, x_i, …)] / Δ`  (always the upper point minus the lower),
//!
//! and over the `r` trajectories: `μ_i = mean(EE_i)`, `μ*_i = mean(|EE_i|)` (Campolongo,
//! Cariboni & Saltelli 2007, *An effective screening design for sensitivity analysis of large
//! models*, Environ. Model. Softw. 22, 1509–1518) and `σ_i` = standard deviation of `EE_i`
//! (denominator `r − 1`). Effects are in output units per unit of the *scaled* input, so they
//! compare across inputs.
//!
//! Mapping to inputs: the grid lives on [0, 1]. [`morris`] maps level `ℓ` through the input's
//! quantile function at `ℓ`; on a side where the support is unbounded it uses
//! [`MorrisDesign::TAIL_PROBABILITY`] instead of 0 or 1, because a quantile at 0 or 1 there
//! would be infinite (or, with samkost's clamping, an unrepresentative ±7.9 σ).

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Evaluate, Mapped, SensitivityError, check_finite, evaluate_rows};
use crate::sampling::Distribution;

/// Elementary-effect statistics of one input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisEffects {
    /// Mean elementary effect μ (effects of opposite sign cancel).
    pub mu: f64,
    /// Mean absolute elementary effect μ* (Campolongo et al. 2007): the ranking measure.
    pub mu_star: f64,
    /// Standard deviation σ of the elementary effects: non-linearity and interactions.
    pub sigma: f64,
}

/// A Morris design: `r` trajectories of `k + 1` grid points each.
#[derive(Debug, Clone)]
pub struct MorrisDesign {
    n_inputs: usize,
    n_trajectories: usize,
    n_levels: usize,
    /// Row-major `r(k+1) × k` grid values in [0, 1].
    points: Vec<f64>,
    /// Per trajectory and step: the input moved and whether it moved up.
    steps: Vec<(usize, bool)>,
}

impl MorrisDesign {
    /// Levels used when none are given (Morris 1991; Saltelli et al. 2008 recommend 4).
    pub const DEFAULT_LEVELS: usize = 4;

    /// Probability used instead of 0 or 1 on an unbounded side of a distribution.
    pub const TAIL_PROBABILITY: f64 = 0.005;

    /// `n_trajectories` trajectories on a grid of `n_levels` (even) levels for `n_inputs`
    /// inputs, reproducible from `seed`.
    pub fn new(
        n_inputs: usize,
        n_trajectories: usize,
        n_levels: usize,
        seed: u64,
    ) -> Result<Self, SensitivityError> {
        if n_inputs == 0 {
            return Err(SensitivityError::NoInputs);
        }
        if n_levels < 2 || n_levels % 2 != 0 {
            return Err(SensitivityError::MorrisLevels(n_levels));
        }
        if n_trajectories < 2 {
            return Err(SensitivityError::TooFewTrajectories(n_trajectories));
        }
        let mut points = Vec::with_capacity(n_trajectories * (n_inputs + 1) * n_inputs);
        let mut steps = Vec::with_capacity(n_trajectories * n_inputs);
        for t in 0..n_trajectories {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(t as u64);
            trajectory(n_inputs, n_levels, &mut rng, &mut points, &mut steps);
        }
        Ok(Self {
            n_inputs,
            n_trajectories,
            n_levels,
            points,
            steps,
        })
    }

    /// Number of rows, `r(k + 1)`.
    pub fn n_rows(&self) -> usize {
        self.n_trajectories * (self.n_inputs + 1)
    }

    /// Number of inputs `k`.
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    /// The step `Δ = p/(2(p−1))`.
    pub fn delta(&self) -> f64 {
        self.n_levels as f64 / (2.0 * (self.n_levels - 1) as f64)
    }

    /// Grid values of row `row` (`k` values in [0, 1]). Trajectory `t` is rows
    /// `t(k+1) … t(k+1)+k`.
    pub fn row(&self, row: usize) -> &[f64] {
        &self.points[row * self.n_inputs..(row + 1) * self.n_inputs]
    }

    /// Evaluates `f` on every row's grid values, in parallel, outputs in row order.
    pub fn evaluate(&self, f: impl Fn(&[f64]) -> f64 + Sync) -> Vec<f64> {
        self.evaluate_with(f)
    }

    /// [`MorrisDesign::evaluate`] of any [`Evaluate`], [`ROWS_TOGETHER`] rows at a time.
    ///
    /// [`ROWS_TOGETHER`]: super::ROWS_TOGETHER
    pub fn evaluate_with(&self, f: impl Evaluate) -> Vec<f64> {
        evaluate_rows(&self.points, self.n_inputs, &f)
    }

    /// μ, μ* and σ of every input from the outputs of every row, in row order.
    pub fn estimate(&self, outputs: &[f64]) -> Result<Vec<MorrisEffects>, SensitivityError> {
        if outputs.len() != self.n_rows() {
            return Err(SensitivityError::OutputCount {
                expected: self.n_rows(),
                got: outputs.len(),
            });
        }
        check_finite(outputs)?;
        let k = self.n_inputs;
        let delta = self.delta();
        let mut effects = vec![Vec::with_capacity(self.n_trajectories); k];
        for t in 0..self.n_trajectories {
            let y = &outputs[t * (k + 1)..(t + 1) * (k + 1)];
            for (s, &(input, up)) in self.steps[t * k..(t + 1) * k].iter().enumerate() {
                let change = y[s + 1] - y[s];
                effects[input].push(if up { change } else { -change } / delta);
            }
        }
        Ok(effects.iter().map(|ee| statistics(ee)).collect())
    }
}

/// Morris screening of `f` over inputs with the given distributions: builds the design, maps
/// grid values through the quantile functions (see the module doc for unbounded sides),
/// evaluates in parallel and estimates.
pub fn morris(
    distributions: &[Distribution],
    n_trajectories: usize,
    n_levels: usize,
    seed: u64,
    f: impl Fn(&[f64]) -> f64 + Sync,
) -> Result<Vec<MorrisEffects>, SensitivityError> {
    morris_with(distributions, n_trajectories, n_levels, seed, f)
}

/// [`morris`] of any [`Evaluate`], which the design hands [`ROWS_TOGETHER`] rows at a time
/// (the same effects as its rows evaluated one by one).
///
/// [`ROWS_TOGETHER`]: super::ROWS_TOGETHER
pub fn morris_with(
    distributions: &[Distribution],
    n_trajectories: usize,
    n_levels: usize,
    seed: u64,
    f: impl Evaluate,
) -> Result<Vec<MorrisEffects>, SensitivityError> {
    let design = MorrisDesign::new(distributions.len(), n_trajectories, n_levels, seed)?;
    let outputs = design.evaluate_with(Mapped {
        f,
        map: |level: &[f64]| -> Vec<f64> {
            level
                .iter()
                .zip(distributions)
                .map(|(&l, d)| d.quantile(grid_probability(d, l)))
                .collect()
        },
    });
    design.estimate(&outputs)
}

/// The probability at which a grid level is read off a distribution.
fn grid_probability(distribution: &Distribution, level: f64) -> f64 {
    let (low, high) = distribution.support();
    let lowest = if low.is_finite() {
        0.0
    } else {
        MorrisDesign::TAIL_PROBABILITY
    };
    let highest = if high.is_finite() {
        1.0
    } else {
        1.0 - MorrisDesign::TAIL_PROBABILITY
    };
    level.clamp(lowest, highest)
}

/// Appends one trajectory's `k + 1` points and `k` steps.
fn trajectory(
    k: usize,
    p: usize,
    rng: &mut ChaCha8Rng,
    points: &mut Vec<f64>,
    steps: &mut Vec<(usize, bool)>,
) {
    let jump = p / 2; // Δ in grid steps.
    // Each input sits on one of two levels `lower` and `lower + jump`; it starts on the
    // upper one when it will move down.
    let mut lower = Vec::with_capacity(k);
    let mut up = Vec::with_capacity(k);
    for _ in 0..k {
        lower.push(rng.random_range(0..p - jump));
        up.push(rng.random_bool(0.5));
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.shuffle(rng);
    let mut level: Vec<usize> = (0..k)
        .map(|i| if up[i] { lower[i] } else { lower[i] + jump })
        .collect();
    let scale = 1.0 / (p - 1) as f64;
    points.extend(level.iter().map(|&l| l as f64 * scale));
    for &i in &order {
        level[i] = if up[i] { lower[i] + jump } else { lower[i] };
        points.extend(level.iter().map(|&l| l as f64 * scale));
        steps.push((i, up[i]));
    }
}

/// μ, μ*, σ of one input's elementary effects (σ with denominator r − 1).
fn statistics(ee: &[f64]) -> MorrisEffects {
    let r = ee.len() as f64;
    let mu = ee.iter().sum::<f64>() / r;
    let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / r;
    let sigma = (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (r - 1.0)).sqrt();
    MorrisEffects { mu, mu_star, sigma }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn ishigami_x2_mu_star_is_exactly_7_875() {
        // x2 enters Ishigami only through the separable term 7 sin²(x2), so its elementary
        // effects ignore the other inputs. With U(−π, π) and p = 4 the grid is
        // x2 ∈ {−π, −π/3, π/3, π} and Δ = 2/3 joins −π ↔ π/3 and −π/3 ↔ π. sin² is 0 at ±π
        // and 3/4 at ±π/3, so every step changes 7 sin² x2 by ±7·3/4 = ±5.25, and every
        // |EE| = 5.25/(2/3) = 7.875 — whatever the trajectories. Only rounding of sin(±π)
        // and sin(±π/3) separates the computed value from 7.875.
        const ROUNDING: f64 = 1e-12;
        let inputs = vec![Distribution::uniform(-PI, PI).unwrap(); 3];
        for seed in [1, 2, 3] {
            let effects = morris(&inputs, 20, 4, seed, ishigami).unwrap();
            assert!((effects[1].mu_star - 7.875).abs() < ROUNDING, "{effects:?}");
            assert!(effects[1].mu.abs() <= 7.875 + ROUNDING);
        }
    }

    #[test]
    fn linear_model_effects_are_the_scaled_coefficients() {
        // f = Σ c_i x_i on [0, 1]: every EE_i = c_i, so μ = μ* = c_i and σ = 0 (Morris 1991).
        let c = [2.0, -3.0, 0.0, 0.5];
        let design = MorrisDesign::new(4, 10, 6, 8).unwrap();
        let outputs = design.evaluate(|x| x.iter().zip(c).map(|(a, b)| a * b).sum());
        for (e, ci) in design.estimate(&outputs).unwrap().iter().zip(c) {
            assert!((e.mu - ci).abs() < 1e-12 && (e.mu_star - ci.abs()).abs() < 1e-12);
            assert!(e.sigma < 1e-12);
        }
    }

    #[test]
    fn trajectories_move_one_input_by_delta_at_a_time() {
        let design = MorrisDesign::new(5, 30, 4, 99).unwrap();
        let delta = design.delta();
        assert!((delta - 2.0 / 3.0).abs() < 1e-15);
        for t in 0..30 {
            for s in 0..5 {
                let (a, b) = (design.row(t * 6 + s), design.row(t * 6 + s + 1));
                let moved: Vec<usize> = (0..5).filter(|&i| a[i] != b[i]).collect();
                assert_eq!(moved.len(), 1);
                assert!(((a[moved[0]] - b[moved[0]]).abs() - delta).abs() < 1e-15);
                assert!(a.iter().all(|&v| (0.0..=1.0).contains(&v)));
            }
            // Each input moves exactly once per trajectory.
            let (first, last) = (design.row(t * 6), design.row(t * 6 + 5));
            assert!((0..5).all(|i| first[i] != last[i]));
        }
    }

    #[test]
    fn unbounded_inputs_are_read_off_inside_their_tails() {
        let normal = Distribution::normal(0.0, 1.0, None, None).unwrap();
        let uniform = Distribution::uniform(2.0, 4.0).unwrap();
        assert_eq!(
            grid_probability(&normal, 0.0),
            MorrisDesign::TAIL_PROBABILITY
        );
        assert_eq!(
            grid_probability(&normal, 1.0),
            1.0 - MorrisDesign::TAIL_PROBABILITY
        );
        assert_eq!(grid_probability(&uniform, 1.0), 1.0);
    }

    #[test]
    fn invalid_designs_are_rejected() {
        assert_eq!(
            MorrisDesign::new(3, 10, 5, 1).unwrap_err(),
            SensitivityError::MorrisLevels(5)
        );
        assert_eq!(
            MorrisDesign::new(3, 1, 4, 1).unwrap_err(),
            SensitivityError::TooFewTrajectories(1)
        );
        assert_eq!(
            MorrisDesign::new(0, 4, 4, 1).unwrap_err(),
            SensitivityError::NoInputs
        );
        let design = MorrisDesign::new(2, 3, 4, 1).unwrap();
        assert_eq!(
            design.estimate(&[0.0; 8]).unwrap_err(),
            SensitivityError::OutputCount {
                expected: 9,
                got: 8
            }
        );
    }
}
