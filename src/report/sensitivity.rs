//! Sensitivity results as a table, JSON or CSV.

use std::fmt::Write as _;

use serde::Serialize;

/// One input's sensitivity measures (fields that a method does not give are `None`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputSensitivity {
    /// Parameter name.
    pub parameter: String,
    /// Tornado: output with the input at its low quantile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_at_low: Option<f64>,
    /// Tornado: output with the input at its high quantile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_at_high: Option<f64>,
    /// Tornado: |high − low|.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swing: Option<f64>,
    /// Sobol': first-order index and its confidence interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_order: Option<[f64; 3]>,
    /// Sobol': total-order index and its confidence interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_order: Option<[f64; 3]>,
    /// Morris: μ*, μ, σ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mu_star: Option<f64>,
    /// Morris μ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mu: Option<f64>,
    /// Morris σ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    /// From a run: Spearman rank correlation with the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spearman: Option<f64>,
    /// From a run: standardised regression coefficient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<f64>,
    /// Spider: `[probability, input value, output]` at each probability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spider: Option<Vec<[f64; 3]>>,
}

/// A sensitivity analysis of one scalar output.
#[derive(Debug, Clone, Serialize)]
pub struct SensitivityReport {
    /// Scenario name.
    pub scenario: String,
    /// `tornado`, `sobol`, `morris` or `correlation`.
    pub method: String,
    /// The output analysed, e.g. `region` or `member:1514:50/50`.
    pub output: String,
    /// Model evaluations used.
    pub evaluations: usize,
    /// Seed.
    pub seed: u64,
    /// Output at the base values (tornado), output variance (Sobol'), R² of the regression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_output: Option<f64>,
    /// Output variance (Sobol').
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_variance: Option<f64>,
    /// R² of the linear regression (correlation method).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r_squared: Option<f64>,
    /// One row per uncertain input, most influential first.
    pub inputs: Vec<InputSensitivity>,
}

fn cell(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(String::new, |v| format!("{v:.digits$}"))
}

/// A readable table.
pub fn sensitivity_table(r: &SensitivityReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} sensitivity of `{}` ({} evaluations, seed {})",
        r.scenario, r.method, r.output, r.evaluations, r.seed
    );
    if let Some(b) = r.base_output {
        let _ = writeln!(out, "output at base values: {}", super::fmt_nok(b));
    }
    if let Some(r2) = r.r_squared {
        let _ = writeln!(out, "R² of the linear regression: {r2:.3}");
    }
    let width = r
        .inputs
        .iter()
        .map(|i| i.parameter.chars().count())
        .max()
        .unwrap_or(9)
        .max(9);
    out.push('\n');
    match r.method.as_str() {
        "tornado" => {
            let _ = writeln!(
                out,
                "{:<width$}  {:>15}  {:>15}  {:>15}",
                "input", "at P10", "at P90", "swing"
            );
            for i in &r.inputs {
                let _ = writeln!(
                    out,
                    "{:<width$}  {:>15}  {:>15}  {:>15}",
                    i.parameter,
                    i.output_at_low.map(super::fmt_nok).unwrap_or_default(),
                    i.output_at_high.map(super::fmt_nok).unwrap_or_default(),
                    i.swing.map(super::fmt_nok).unwrap_or_default()
                );
            }
        }
        "spider" => {
            let _ = writeln!(
                out,
                "{:<width$}  {:>15}  {:>15}  {:>15}  {:>15}  {:>15}",
                "input", "at P10", "at P25", "at P50", "at P75", "at P90"
            );
            for i in &r.inputs {
                let cells: Vec<String> = i
                    .spider
                    .iter()
                    .flatten()
                    .map(|c| format!("{:>15}", super::fmt_nok(c[2])))
                    .collect();
                let _ = writeln!(out, "{:<width$}  {}", i.parameter, cells.join("  "));
            }
        }
        "sobol" => {
            let _ = writeln!(
                out,
                "{:<width$}  {:>8} {:>17}  {:>8} {:>17}",
                "input", "S1", "95 % CI", "ST", "95 % CI"
            );
            for i in &r.inputs {
                let f = |x: Option<[f64; 3]>| {
                    x.map_or((String::new(), String::new()), |[e, lo, hi]| {
                        (format!("{e:.3}"), format!("[{lo:.3}, {hi:.3}]"))
                    })
                };
                let (s1, c1) = f(i.first_order);
                let (st, ct) = f(i.total_order);
                let _ = writeln!(
                    out,
                    "{:<width$}  {s1:>8} {c1:>17}  {st:>8} {ct:>17}",
                    i.parameter
                );
            }
        }
        "morris" => {
            let _ = writeln!(
                out,
                "{:<width$}  {:>15}  {:>15}  {:>15}",
                "input", "μ*", "μ", "σ"
            );
            for i in &r.inputs {
                let _ = writeln!(
                    out,
                    "{:<width$}  {:>15}  {:>15}  {:>15}",
                    i.parameter,
                    cell(i.mu_star, 0),
                    cell(i.mu, 0),
                    cell(i.sigma, 0)
                );
            }
        }
        _ => {
            let _ = writeln!(out, "{:<width$}  {:>9}  {:>9}", "input", "Spearman", "SRC");
            for i in &r.inputs {
                let _ = writeln!(
                    out,
                    "{:<width$}  {:>9}  {:>9}",
                    i.parameter,
                    cell(i.spearman, 3),
                    cell(i.src, 3)
                );
            }
        }
    }
    out
}

/// One row per input; empty cells where the method gives nothing.
pub fn sensitivity_csv(r: &SensitivityReport) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "method",
        "output",
        "parameter",
        "output_at_low",
        "output_at_high",
        "swing",
        "s1",
        "s1_low",
        "s1_high",
        "st",
        "st_low",
        "st_high",
        "mu_star",
        "mu",
        "sigma",
        "spearman",
        "src",
        "spider",
    ])?;
    let o = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    let t = |v: Option<[f64; 3]>, k: usize| v.map_or_else(String::new, |a| a[k].to_string());
    for i in &r.inputs {
        w.write_record([
            r.method.clone(),
            r.output.clone(),
            i.parameter.clone(),
            o(i.output_at_low),
            o(i.output_at_high),
            o(i.swing),
            t(i.first_order, 0),
            t(i.first_order, 1),
            t(i.first_order, 2),
            t(i.total_order, 0),
            t(i.total_order, 1),
            t(i.total_order, 2),
            o(i.mu_star),
            o(i.mu),
            o(i.sigma),
            o(i.spearman),
            o(i.src),
            i.spider.as_ref().map_or_else(String::new, |s| {
                s.iter()
                    .map(|c| format!("{}:{}", c[0], c[2]))
                    .collect::<Vec<_>>()
                    .join(";")
            }),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
