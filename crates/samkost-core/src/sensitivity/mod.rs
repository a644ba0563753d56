//! Sensitivity analysis: which inputs drive the output, and how much.
//!
//! Estimators work on plain arrays and closures and know nothing about scenarios:
//! * [`sobol_indices`] / [`SaltelliDesign`]: variance-based first-order and total indices
//!   (Saltelli et al. 2010, Jansen 1999) with bootstrap confidence intervals;
//! * [`morris`] / [`MorrisDesign`]: elementary effects μ, μ*, σ (Morris 1991; Campolongo,
//!   Cariboni & Saltelli 2007);
//! * [`tornado`] and [`spider`]: one input at a time between quantiles, from base values;
//! * [`input_output_spearman`], [`standardised_regression`], [`rank_regression`]: measures
//!   read off a run's sample.
//!
//! The design-based methods come in two steps so that the caller can evaluate the model in
//! parallel its own way: build the design, evaluate every row (uniforms in (0, 1), or grid
//! values in [0, 1] for Morris, which the caller maps through its inputs' quantile
//! functions), then estimate from the outputs in row order. One-call helpers take a closure
//! over input values and a `&[Distribution]`, map the design through the quantile functions
//! and evaluate with rayon. Results depend on the seeds and inputs only, never on the thread
//! count: every row is evaluated independently and every reduction runs in row order.

mod error;
mod morris;
mod regression;
mod sobol_indices;
mod tornado;

pub use error::SensitivityError;
pub use morris::{MorrisDesign, MorrisEffects, morris};
pub use regression::{
    RegressionSensitivity, input_output_spearman, rank_regression, standardised_regression,
};
pub use sobol_indices::{
    Bootstrap, ConfidenceInterval, IndexEstimate, SaltelliDesign, SobolIndices, sobol_indices,
};
pub use tornado::{SpiderLine, Tornado, TornadoBar, spider, tornado};

use rayon::prelude::*;

use crate::sampling::Distribution;

/// Evaluates `f` on every row of a row-major design with `n_cols` columns, in parallel, with
/// the outputs in row order.
fn evaluate_rows(rows: &[f64], n_cols: usize, f: impl Fn(&[f64]) -> f64 + Sync) -> Vec<f64> {
    rows.par_chunks_exact(n_cols).map(&f).collect()
}

/// Maps a row of design values through the inputs' quantile functions and evaluates `f`.
fn through_quantiles<'a>(
    distributions: &'a [Distribution],
    f: impl Fn(&[f64]) -> f64 + Sync + 'a,
) -> impl Fn(&[f64]) -> f64 + Sync + 'a {
    move |u: &[f64]| {
        let x: Vec<f64> = u
            .iter()
            .zip(distributions)
            .map(|(&ui, d)| d.quantile(ui))
            .collect();
        f(&x)
    }
}

/// Checks that every output is finite.
fn check_finite(outputs: &[f64]) -> Result<(), SensitivityError> {
    match outputs.iter().position(|v| !v.is_finite()) {
        Some(row) => Err(SensitivityError::NonFiniteOutput {
            row,
            value: outputs[row],
        }),
        None => Ok(()),
    }
}
