//! One-at-a-time sensitivity: tornado and spider data.
//!
//! From base values of every input (typically their medians or the deterministic case),
//! each input in turn is moved to quantiles of its own distribution while the others stay at
//! their base values, and the output is evaluated. A tornado bar is the output at a low and a
//! high quantile (P10 and P90 by convention, as in @RISK and Crystal Ball); its swing is
//! `|f(high) − f(low)|`, and bars are sorted by swing, largest first. A spider line is the
//! output at a list of quantiles. These show local, one-at-a-time effects: they ignore
//! interactions and correlations, which the variance-based indices capture.

use rayon::prelude::*;

use super::{SensitivityError, check_finite};
use crate::sampling::Distribution;

/// One input's bar in a tornado chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TornadoBar {
    /// Index of the input.
    pub input: usize,
    /// The input's value at the low quantile.
    pub low_input: f64,
    /// The input's value at the high quantile.
    pub high_input: f64,
    /// Output with this input at its low quantile, the others at base.
    pub output_at_low: f64,
    /// Output with this input at its high quantile, the others at base.
    pub output_at_high: f64,
    /// `|output_at_high − output_at_low|`.
    pub swing: f64,
}

/// Tornado data: the base output and one bar per input, largest swing first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// Output with every input at its base value.
    pub base_output: f64,
    /// Probability of the low quantile, e.g. 0.1.
    pub low_probability: f64,
    /// Probability of the high quantile, e.g. 0.9.
    pub high_probability: f64,
    /// Bars sorted by swing, largest first; ties keep input order.
    pub bars: Vec<TornadoBar>,
}

/// One input's line in a spider chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SpiderLine {
    /// Index of the input.
    pub input: usize,
    /// The probabilities at which the input was set.
    pub probabilities: Vec<f64>,
    /// The input's values at those probabilities.
    pub input_values: Vec<f64>,
    /// The output at each of them, the other inputs at base.
    pub outputs: Vec<f64>,
}

/// Tornado data for `f` around `base`, moving each input to its quantiles at
/// `low_probability` and `high_probability`.
///
/// ```
/// use samkost_core::sampling::Distribution;
/// use samkost_core::sensitivity::tornado;
///
/// let inputs = [Distribution::uniform(0.0, 10.0)?, Distribution::uniform(0.0, 1.0)?];
/// let t = tornado(&[5.0, 0.5], &inputs, 0.1, 0.9, |x| x[0] + 100.0 * x[1])?;
/// assert_eq!(t.bars[0].input, 1); // swing 100 × 0.8 = 80 beats 8
/// assert!((t.bars[0].swing - 80.0).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tornado(
    base: &[f64],
    distributions: &[Distribution],
    low_probability: f64,
    high_probability: f64,
    f: impl Fn(&[f64]) -> f64 + Sync,
) -> Result<Tornado, SensitivityError> {
    let probabilities = [low_probability, high_probability];
    let lines = spider(base, distributions, &probabilities, &f)?;
    let base_output = f(base);
    check_finite(&[base_output])?;
    let mut bars: Vec<TornadoBar> = lines
        .iter()
        .map(|line| TornadoBar {
            input: line.input,
            low_input: line.input_values[0],
            high_input: line.input_values[1],
            output_at_low: line.outputs[0],
            output_at_high: line.outputs[1],
            swing: (line.outputs[1] - line.outputs[0]).abs(),
        })
        .collect();
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing).then(a.input.cmp(&b.input)));
    Ok(Tornado {
        base_output,
        low_probability,
        high_probability,
        bars,
    })
}

/// Spider data for `f` around `base`: for each input, the output with that input at each of
/// `probabilities`' quantiles. Lines are in input order.
pub fn spider(
    base: &[f64],
    distributions: &[Distribution],
    probabilities: &[f64],
    f: impl Fn(&[f64]) -> f64 + Sync,
) -> Result<Vec<SpiderLine>, SensitivityError> {
    if base.len() != distributions.len() {
        return Err(SensitivityError::InputCount {
            expected: distributions.len(),
            got: base.len(),
        });
    }
    if distributions.is_empty() {
        return Err(SensitivityError::NoInputs);
    }
    if let Some(&p) = probabilities.iter().find(|&&p| !(p > 0.0 && p < 1.0)) {
        return Err(SensitivityError::Probability(p));
    }
    let lines: Vec<SpiderLine> = (0..distributions.len())
        .into_par_iter()
        .map(|input| {
            let input_values: Vec<f64> = probabilities
                .iter()
                .map(|&p| distributions[input].quantile(p))
                .collect();
            let mut x = base.to_vec();
            let outputs = input_values
                .iter()
                .map(|&v| {
                    x[input] = v;
                    f(&x)
                })
                .collect();
            SpiderLine {
                input,
                probabilities: probabilities.to_vec(),
                input_values,
                outputs,
            }
        })
        .collect();
    for line in &lines {
        check_finite(&line.outputs)?;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Vec<Distribution> {
        vec![
            Distribution::triangular(7000.0, 9500.0, 13000.0).unwrap(),
            Distribution::normal(0.5, 0.1, None, None).unwrap(),
            Distribution::lognormal_median_p90(6000.0, 12000.0).unwrap(),
            Distribution::fixed(3.0).unwrap(),
        ]
    }

    const COEFFICIENTS: [f64; 4] = [1.0, -20_000.0, 0.5, 1000.0];

    fn linear(x: &[f64]) -> f64 {
        x.iter().zip(COEFFICIENTS).map(|(a, b)| a * b).sum::<f64>() + 17.0
    }

    #[test]
    fn linear_swings_are_coefficient_times_p90_minus_p10() {
        let dists = inputs();
        let base: Vec<f64> = dists.iter().map(|d| d.quantile(0.5)).collect();
        let t = tornado(&base, &dists, 0.1, 0.9, linear).unwrap();
        assert_eq!(t.base_output, linear(&base));
        for bar in &t.bars {
            let d = &dists[bar.input];
            let c = COEFFICIENTS[bar.input];
            let expected = c.abs() * (d.quantile(0.9) - d.quantile(0.1));
            assert!(
                (bar.swing - expected).abs() <= 1e-9 * expected.max(1.0),
                "{bar:?}"
            );
            assert_eq!(bar.low_input, d.quantile(0.1));
            assert!(
                (bar.output_at_low - (t.base_output + c * (bar.low_input - base[bar.input]))).abs()
                    < 1e-6
            );
        }
        // Swings: 1·(P90−P10) of Tri(7000, 9500, 13000) ≈ 3,350; 20,000·2·1.2816·0.1 ≈ 5,126;
        // 0.5·(12,000 − 3,000) = 4,500; 0 for the fixed input.
        let order: Vec<usize> = t.bars.iter().map(|b| b.input).collect();
        assert_eq!(order, vec![1, 2, 0, 3]);
        assert!(t.bars.windows(2).all(|w| w[0].swing >= w[1].swing));
    }

    #[test]
    fn spider_lines_hold_outputs_at_each_quantile() {
        let dists = inputs();
        let base: Vec<f64> = dists.iter().map(|d| d.mean()).collect();
        let probabilities = [0.05, 0.25, 0.5, 0.75, 0.95];
        let lines = spider(&base, &dists, &probabilities, linear).unwrap();
        assert_eq!(lines.len(), 4);
        for line in &lines {
            for (j, &p) in probabilities.iter().enumerate() {
                let mut x = base.clone();
                x[line.input] = dists[line.input].quantile(p);
                assert_eq!(line.outputs[j], linear(&x));
                assert_eq!(line.input_values[j], x[line.input]);
            }
        }
    }

    #[test]
    fn invalid_requests_are_rejected() {
        let dists = inputs();
        assert_eq!(
            tornado(&[1.0], &dists, 0.1, 0.9, linear).unwrap_err(),
            SensitivityError::InputCount {
                expected: 4,
                got: 1
            }
        );
        assert_eq!(
            tornado(&[1.0; 4], &dists, 0.0, 0.9, linear).unwrap_err(),
            SensitivityError::Probability(0.0)
        );
        assert!(matches!(
            spider(&[1.0; 4], &dists, &[0.5], |_| f64::NAN).unwrap_err(),
            SensitivityError::NonFiniteOutput { .. }
        ));
    }
}
