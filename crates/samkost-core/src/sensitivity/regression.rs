//! Sensitivity measures read off a run's sample: Spearman rank correlation of each input with
//! the output, and standardised regression coefficients (SRC) with their R², on values or on
//! ranks (SRRC).
//!
//! SRC (Saltelli et al. 2008, *The Primer*, §1.2.5; Helton & Davis 2003): regress the
//! standardised output `(y − ȳ)/s_y` on the standardised inputs `(x_i − x̄_i)/s_i` by least
//! squares. The coefficients are `SRC_i = β_i·s_i/s_y` for the unstandardised fit
//! `y = β_0 + Σ β_i x_i`. For independent inputs and a linear model `SRC_i²` is the share of
//! the variance due to input `i`; `R²` says how far that reading can be trusted (below about
//! 0.7 the model is too non-linear for it). SRRC does the same on ranks, for monotone
//! non-linear models. Least squares uses a Householder QR of the standardised inputs
//! (nalgebra), which avoids squaring the condition number as normal equations would.

use nalgebra::{DMatrix, DVector};

use super::{SensitivityError, check_finite};
use crate::sampling::{ranks, spearman};

/// Relative size of a diagonal entry of R below which an input counts as a linear
/// combination of the inputs before it.
const COLLINEARITY_TOLERANCE: f64 = 1e-10;

/// Standardised regression coefficients and the fit's coefficient of determination.
#[derive(Debug, Clone, PartialEq)]
pub struct RegressionSensitivity {
    /// One coefficient per input.
    pub coefficients: Vec<f64>,
    /// `R² = 1 − SS_res/SS_tot`.
    pub r_squared: f64,
}

/// Spearman's ρ of every input column with the output. `inputs` is row-major with
/// `n_inputs` columns and one row per output.
pub fn input_output_spearman(
    inputs: &[f64],
    n_inputs: usize,
    output: &[f64],
) -> Result<Vec<f64>, SensitivityError> {
    let n = check_sample(inputs, n_inputs, output)?;
    Ok((0..n_inputs)
        .map(|i| spearman(&column(inputs, n_inputs, n, i), output))
        .collect())
}

/// Standardised regression coefficients (SRC) of the output on the inputs, with R².
/// `inputs` is row-major with `n_inputs` columns and one row per output.
pub fn standardised_regression(
    inputs: &[f64],
    n_inputs: usize,
    output: &[f64],
) -> Result<RegressionSensitivity, SensitivityError> {
    let n = check_sample(inputs, n_inputs, output)?;
    let columns: Vec<Vec<f64>> = (0..n_inputs)
        .map(|i| column(inputs, n_inputs, n, i))
        .collect();
    fit(&columns, output)
}

/// Standardised rank regression coefficients (SRRC): SRC computed on the ranks of inputs and
/// output (average ranks for ties).
pub fn rank_regression(
    inputs: &[f64],
    n_inputs: usize,
    output: &[f64],
) -> Result<RegressionSensitivity, SensitivityError> {
    let n = check_sample(inputs, n_inputs, output)?;
    let columns: Vec<Vec<f64>> = (0..n_inputs)
        .map(|i| ranks(&column(inputs, n_inputs, n, i)))
        .collect();
    fit(&columns, &ranks(output))
}

/// Checks shapes and finiteness; returns the number of rows.
fn check_sample(
    inputs: &[f64],
    n_inputs: usize,
    output: &[f64],
) -> Result<usize, SensitivityError> {
    if n_inputs == 0 {
        return Err(SensitivityError::NoInputs);
    }
    if inputs.len() != output.len() * n_inputs {
        return Err(SensitivityError::InputCount {
            expected: output.len() * n_inputs,
            got: inputs.len(),
        });
    }
    check_finite(output)?;
    if output.len() <= n_inputs {
        return Err(SensitivityError::TooFewRows {
            rows: output.len(),
            inputs: n_inputs,
        });
    }
    Ok(output.len())
}

fn column(inputs: &[f64], n_inputs: usize, n: usize, i: usize) -> Vec<f64> {
    (0..n).map(|r| inputs[r * n_inputs + i]).collect()
}

/// `(v − mean)/sd` with the sample standard deviation, or `None` for a constant column.
fn standardise(v: &[f64]) -> Option<Vec<f64>> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let scale = v.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    (sd > f64::EPSILON * scale).then(|| v.iter().map(|x| (x - mean) / sd).collect())
}

/// Least squares of the standardised output on the standardised columns.
fn fit(columns: &[Vec<f64>], output: &[f64]) -> Result<RegressionSensitivity, SensitivityError> {
    let n = output.len();
    let y = DVector::from_vec(standardise(output).ok_or(SensitivityError::ZeroVariance)?);
    let mut z = DMatrix::zeros(n, columns.len());
    for (i, c) in columns.iter().enumerate() {
        let s = standardise(c).ok_or(SensitivityError::ConstantInput { input: i })?;
        z.set_column(i, &DVector::from_vec(s));
    }
    let qr = z.clone().qr();
    let r = qr.r();
    let r_max = r.diagonal().iter().fold(0.0_f64, |m, d| m.max(d.abs()));
    if let Some(input) =
        (0..columns.len()).find(|&i| r[(i, i)].abs() <= COLLINEARITY_TOLERANCE * r_max)
    {
        return Err(SensitivityError::Collinear { input });
    }
    let qty = qr.q().transpose() * &y;
    let beta = r
        .solve_upper_triangular(&qty)
        .expect("R has a non-zero diagonal, checked above");
    let residual = &y - &z * &beta;
    let r_squared = 1.0 - residual.norm_squared() / y.norm_squared();
    Ok(RegressionSensitivity {
        coefficients: beta.iter().copied().collect(),
        r_squared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::{Distribution, SamplingMethod, uniforms};

    /// `n` draws of three inputs with different spreads, row-major.
    fn sample(n: usize) -> Vec<f64> {
        let dists = [
            Distribution::normal(10.0, 2.0, None, None).unwrap(),
            Distribution::uniform(0.0, 100.0).unwrap(),
            Distribution::triangular(-1.0, 0.0, 4.0).unwrap(),
        ];
        let u = uniforms(SamplingMethod::MonteCarlo, n, 3, 21).unwrap();
        u.as_slice()
            .iter()
            .enumerate()
            .map(|(idx, &x)| dists[idx % 3].quantile(x))
            .collect()
    }

    fn sd(v: &[f64]) -> f64 {
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    }

    #[test]
    fn src_of_a_noise_free_linear_model_recovers_beta_times_sd_ratio() {
        // y = 5 + 3 x1 − 0.2 x2 + 7 x3 exactly, so the fit is exact: SRC_i = β_i s_i / s_y
        // with the sample standard deviations, and R² = 1 (Saltelli et al. 2008, §1.2.5).
        const EXACT_FIT: f64 = 1e-10;
        let beta = [3.0, -0.2, 7.0];
        let x = sample(1000);
        let y: Vec<f64> = x
            .chunks_exact(3)
            .map(|r| 5.0 + r.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>())
            .collect();
        let src = standardised_regression(&x, 3, &y).unwrap();
        let s_y = sd(&y);
        for (i, b) in beta.iter().enumerate() {
            let s_i = sd(&column(&x, 3, 1000, i));
            let expected = b * s_i / s_y;
            assert!(
                (src.coefficients[i] - expected).abs() < EXACT_FIT,
                "{src:?}"
            );
        }
        assert!((src.r_squared - 1.0).abs() < EXACT_FIT);
        // For independent inputs, the squared SRCs then add up to about R² = 1.
        let sum_sq: f64 = src.coefficients.iter().map(|c| c * c).sum();
        assert!((sum_sq - 1.0).abs() < 0.05, "{sum_sq}");
    }

    #[test]
    fn rank_measures_see_through_monotone_transforms() {
        let x = sample(2000);
        let y: Vec<f64> = x.chunks_exact(3).map(|r| (r[0] / 2.0).exp()).collect();
        let rho = input_output_spearman(&x, 3, &y).unwrap();
        // Independent inputs: |ρ| of the other two is within about 3/√n ≈ 0.067 of 0.
        const INDEPENDENT_RHO: f64 = 3.0 / 44.7;
        assert!((rho[0] - 1.0).abs() < 1e-12);
        assert!(
            rho[1].abs() < INDEPENDENT_RHO && rho[2].abs() < INDEPENDENT_RHO,
            "{rho:?}"
        );
        let srrc = rank_regression(&x, 3, &y).unwrap();
        assert!((srrc.coefficients[0] - 1.0).abs() < 1e-3 && srrc.r_squared > 0.999);
        let src = standardised_regression(&x, 3, &y).unwrap();
        assert!(src.r_squared < srrc.r_squared);
    }

    #[test]
    fn degenerate_samples_are_rejected() {
        let x = sample(50);
        let y: Vec<f64> = x.chunks_exact(3).map(|r| r[0]).collect();
        assert_eq!(
            standardised_regression(&x, 3, &[1.0; 50]).unwrap_err(),
            SensitivityError::ZeroVariance
        );
        let mut constant = x.clone();
        (0..50).for_each(|r| constant[r * 3 + 1] = 4.0);
        assert_eq!(
            standardised_regression(&constant, 3, &y).unwrap_err(),
            SensitivityError::ConstantInput { input: 1 }
        );
        let mut collinear = x.clone();
        (0..50).for_each(|r| collinear[r * 3 + 2] = 2.0 * x[r * 3] - x[r * 3 + 1]);
        assert_eq!(
            standardised_regression(&collinear, 3, &y).unwrap_err(),
            SensitivityError::Collinear { input: 2 }
        );
        assert_eq!(
            standardised_regression(&x[..9], 3, &y[..3]).unwrap_err(),
            SensitivityError::TooFewRows { rows: 3, inputs: 3 }
        );
        assert!(matches!(
            input_output_spearman(&x, 3, &y[..10]).unwrap_err(),
            SensitivityError::InputCount { .. }
        ));
    }
}
