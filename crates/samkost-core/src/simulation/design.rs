//! Where each draw's parameter values come from: the per-draw random streams of plain Monte
//! Carlo, or a design built for the whole run (Latin hypercube, scrambled Sobol'), with the
//! scenario's rank correlations imposed by Iman–Conover.
//!
//! Plain Monte Carlo without correlations samples each parameter directly from draw `d`'s
//! stream (no design in memory). Otherwise the run holds an `n_draws × m` matrix of uniforms
//! for its `m` uncertain parameters, and draw `d` takes `x_j = Q_j(u_dj)`.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::model::Model;
use crate::sampling::{RankCorrelation, SamplingMethod, UniformMatrix, monte_carlo_row, uniforms};

use super::SimulationError;

/// Seed offset of the Iman–Conover scores, so they are independent of the design's uniforms.
const CORRELATION_SEED_SALT: u64 = 0x9E37_79B9_7F4A_7C15;

/// The design of one run.
pub(crate) struct ParameterDesign {
    /// Indices of the uncertain parameters, in column order.
    dims: Vec<usize>,
    uniforms: UniformMatrix,
}

impl ParameterDesign {
    /// Builds the design, or `None` for plain Monte Carlo without correlations. Monte Carlo
    /// rows use streams `stream_offset + d`.
    pub(crate) fn build(
        model: &Model,
        method: SamplingMethod,
        n_draws: u64,
        seed: u64,
        stream_offset: u64,
    ) -> Result<Option<Self>, SimulationError> {
        if method == SamplingMethod::MonteCarlo && model.correlation.is_none() {
            return Ok(None);
        }
        let dims: Vec<usize> = (0..model.parameters.len())
            .filter(|&j| !model.parameters[j].distribution.is_fixed())
            .collect();
        let m = dims.len();
        let n = usize::try_from(n_draws).map_err(|_| {
            SimulationError::Design("too many draws for a design in memory".to_owned())
        })?;
        let mut design = match method {
            SamplingMethod::MonteCarlo => {
                let mut values = vec![0.0; n * m];
                if m > 0 {
                    for (d, row) in values.chunks_mut(m).enumerate() {
                        monte_carlo_row(seed, stream_offset + d as u64, row);
                    }
                }
                UniformMatrix::from_values(n, m, values)
            }
            _ => {
                uniforms(method, n, m, seed).map_err(|e| SimulationError::Design(e.to_string()))?
            }
        };
        if let Some(correlation) = &model.correlation {
            let columns: Vec<usize> = correlation
                .parameters
                .iter()
                .map(|p| {
                    dims.iter()
                        .position(|d| d == p)
                        .expect("correlated parameters are uncertain")
                })
                .collect();
            let rank = RankCorrelation::new(correlation.target.clone());
            let k = columns.len();
            let mut sub = vec![0.0; n * k];
            for d in 0..n {
                for (c, &col) in columns.iter().enumerate() {
                    sub[d * k + c] = design.row(d)[col];
                }
            }
            rank.induce(&mut sub, k, seed ^ CORRELATION_SEED_SALT)
                .map_err(|e| SimulationError::Design(e.to_string()))?;
            let values = design.as_mut_slice();
            for d in 0..n {
                for (c, &col) in columns.iter().enumerate() {
                    values[d * m + col] = sub[d * k + c];
                }
            }
        }
        Ok(Some(Self {
            dims,
            uniforms: design,
        }))
    }

    /// Fills `params` for draw `d` (local index into the design).
    pub(crate) fn fill(&self, model: &Model, d: usize, params: &mut [f64]) {
        let row = self.uniforms.row(d);
        for (j, p) in model.parameters.iter().enumerate() {
            params[j] = if p.distribution.is_fixed() {
                p.distribution.mean()
            } else {
                f64::NAN
            };
        }
        for (&j, &u) in self.dims.iter().zip(row) {
            params[j] = model.parameters[j].distribution.quantile(u);
        }
    }
}

/// Draws the parameters of draw `stream` by plain Monte Carlo: each parameter sampled in
/// declaration order from ChaCha8 stream `stream` of `seed`.
pub(crate) fn sample_parameters(model: &Model, seed: u64, stream: u64, params: &mut [f64]) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    for (value, parameter) in params.iter_mut().zip(&model.parameters) {
        *value = parameter.distribution.sample(&mut rng);
    }
}

/// Parameter values of every draw of a run, row-major (`n_draws × parameters`): what the run
/// uses, for checks and sensitivity measures computed from a run.
pub fn parameter_sample(
    model: &Model,
    method: SamplingMethod,
    n_draws: u64,
    seed: u64,
) -> Result<Vec<f64>, SimulationError> {
    let m = model.parameters.len();
    let design = ParameterDesign::build(model, method, n_draws, seed, 0)?;
    let mut out = vec![0.0; n_draws as usize * m];
    for (d, row) in out.chunks_mut(m.max(1)).enumerate().take(n_draws as usize) {
        match &design {
            Some(design) => design.fill(model, d, row),
            None => sample_parameters(model, seed, d as u64, row),
        }
    }
    Ok(out)
}
