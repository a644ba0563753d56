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
//! and evaluate with rayon; their `_with` forms take any [`Evaluate`], which they hand
//! [`ROWS_TOGETHER`] rows at a time (a model that evaluates rows faster together), as
//! [`evaluate_rows`] does for any rows. Results depend on the seeds and inputs only, never on
//! the thread count: every row is evaluated independently and every reduction runs in row
//! order.

mod error;
mod morris;
mod regression;
mod sobol_indices;
mod tornado;

pub use error::SensitivityError;
pub use morris::{MorrisDesign, MorrisEffects, morris, morris_with};
pub use regression::{
    RegressionSensitivity, input_output_spearman, rank_regression, standardised_regression,
};
pub use sobol_indices::{
    Bootstrap, ConfidenceInterval, IndexEstimate, SaltelliDesign, SobolIndices, sobol_indices,
    sobol_indices_with,
};
pub use tornado::{SpiderLine, Tornado, TornadoBar, spider, tornado};

use rayon::prelude::*;

use crate::sampling::Distribution;

/// Rows a design hands to [`Evaluate::eval_rows`] at a time.
pub const ROWS_TOGETHER: usize = 8;

/// What a design-based analysis evaluates: a row of input values to one output. Every
/// closure `Fn(&[f64]) -> f64` is one. A model that evaluates several rows at once faster than
/// one by one (samkost's kernel writes eight draws' flows in one pass) also implements
/// [`Evaluate::eval_rows`]; the designs hand it [`ROWS_TOGETHER`] rows at a time, and the
/// outputs must be those of [`Evaluate::eval`] row by row, so that nothing depends on how the
/// rows are grouped.
pub trait Evaluate: Sync {
    /// The output of the row `x`.
    fn eval(&self, x: &[f64]) -> f64;

    /// The outputs of `rows` (at most [`ROWS_TOGETHER`]) into `out` (as long as `rows`): by
    /// default [`Evaluate::eval`] of each.
    fn eval_rows(&self, rows: &[&[f64]], out: &mut [f64]) {
        for (o, x) in out.iter_mut().zip(rows) {
            *o = self.eval(x);
        }
    }
}

impl<F: Fn(&[f64]) -> f64 + Sync> Evaluate for F {
    fn eval(&self, x: &[f64]) -> f64 {
        self(x)
    }
}

/// Evaluates `f` on every row of the row-major `rows` with `n_cols` columns (a design, or a
/// sample of inputs), in parallel, [`ROWS_TOGETHER`] rows at a time, with the outputs in row
/// order.
pub fn evaluate_rows(rows: &[f64], n_cols: usize, f: &impl Evaluate) -> Vec<f64> {
    let mut outputs = vec![0.0; rows.len().checked_div(n_cols).unwrap_or(0)];
    outputs
        .par_chunks_mut(ROWS_TOGETHER)
        .zip(rows.par_chunks(ROWS_TOGETHER * n_cols.max(1)))
        .for_each(|(out, block)| {
            let group: Vec<&[f64]> = block.chunks_exact(n_cols.max(1)).collect();
            f.eval_rows(&group, out);
        });
    outputs
}

/// `f` of a design's rows mapped first by `map` (a row of design values into the input
/// values, e.g. through the inputs' quantile functions), several rows at a time as `f` takes
/// them.
struct Mapped<F, M> {
    f: F,
    map: M,
}

impl<F: Evaluate, M: Fn(&[f64]) -> Vec<f64> + Sync> Evaluate for Mapped<F, M> {
    fn eval(&self, u: &[f64]) -> f64 {
        self.f.eval(&(self.map)(u))
    }

    fn eval_rows(&self, rows: &[&[f64]], out: &mut [f64]) {
        let mapped: Vec<Vec<f64>> = rows.iter().map(|u| (self.map)(u)).collect();
        let refs: Vec<&[f64]> = mapped.iter().map(Vec::as_slice).collect();
        self.f.eval_rows(&refs, out);
    }
}

/// Maps a row of design values through the inputs' quantile functions and evaluates `f`.
fn through_quantiles(distributions: &[Distribution], f: impl Evaluate) -> impl Evaluate {
    Mapped {
        f,
        map: move |u: &[f64]| -> Vec<f64> {
            u.iter()
                .zip(distributions)
                .map(|(&ui, d)| d.quantile(ui))
                .collect()
        },
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A function that evaluates rows together: counts its calls and the rows it was handed,
    /// and refuses more than [`ROWS_TOGETHER`] at once.
    struct Grouped {
        calls: AtomicUsize,
        rows: AtomicUsize,
    }

    fn g(x: &[f64]) -> f64 {
        x.iter()
            .enumerate()
            .map(|(i, v)| (i + 1) as f64 * v * v)
            .sum::<f64>()
            + x[0].sin()
    }

    impl Evaluate for &Grouped {
        fn eval(&self, x: &[f64]) -> f64 {
            g(x)
        }

        fn eval_rows(&self, rows: &[&[f64]], out: &mut [f64]) {
            assert!(rows.len() <= ROWS_TOGETHER && rows.len() == out.len());
            self.calls.fetch_add(1, Ordering::Relaxed);
            self.rows.fetch_add(rows.len(), Ordering::Relaxed);
            for (o, x) in out.iter_mut().zip(rows) {
                *o = g(x);
            }
        }
    }

    /// Both designs hand their rows to `eval_rows` in groups and put each output at its row:
    /// the outputs are those of the function on each row the design gives (`fill_row`, `row`),
    /// to the bit; every row goes through `eval_rows`, in groups of eight but for the last of
    /// a chunk of rows.
    #[test]
    fn designs_evaluate_rows_in_groups_in_row_order() {
        let saltelli = SaltelliDesign::new(3, 128, 7).unwrap();
        let morris = MorrisDesign::new(3, 13, 4, 7).unwrap();
        // What a design gave, row by row from the design itself, and how many calls it made.
        let evaluated = |evaluate: &dyn Fn(&Grouped) -> Vec<f64>, want: Vec<f64>| {
            let grouped = Grouped {
                calls: AtomicUsize::new(0),
                rows: AtomicUsize::new(0),
            };
            let got = evaluate(&grouped);
            assert_eq!(grouped.rows.load(Ordering::Relaxed), want.len());
            (got, want, grouped.calls.load(Ordering::Relaxed))
        };
        let mut u = vec![0.0; 3];
        let saltelli_rows = (0..saltelli.n_rows()).map(|r| {
            saltelli.fill_row(r, &mut u);
            g(&u)
        });
        let outputs = [
            evaluated(&|f| saltelli.evaluate_with(f), saltelli_rows.collect()),
            evaluated(
                &|f| morris.evaluate_with(f),
                (0..morris.n_rows()).map(|r| g(morris.row(r))).collect(),
            ),
        ];
        for (got, want, calls) in outputs {
            assert_eq!(got.len(), want.len());
            // Groups of eight, a shorter one only at the end of a design's chunk of rows.
            let n = want.len();
            assert!(
                calls >= n.div_ceil(ROWS_TOGETHER),
                "{calls} calls for {n} rows"
            );
            assert!(
                calls <= n.div_ceil(ROWS_TOGETHER) + n.div_ceil(256),
                "{calls} calls"
            );
            for (row, (a, b)) in got.iter().zip(&want).enumerate() {
                assert_eq!(a.to_bits(), b.to_bits(), "row {row}");
            }
        }
    }
}
