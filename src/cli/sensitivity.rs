//! `samkost sensitivity`: which assumptions drive one output.

use std::path::PathBuf;

use anyhow::{Context, Result};
use samkost_core::allocation::ResolvedKey;
use samkost_core::model::Model;
use samkost_core::sampling::Distribution;
use samkost_core::sensitivity::{
    Bootstrap, Evaluate, evaluate_rows, input_output_spearman, morris_with, sobol_indices_with,
    spider, standardised_regression, tornado,
};
use samkost_core::simulation::{DrawEvaluator, parameter_sample};

use super::{InputError, Sampling, load_scenario, print_warnings, resolve_keys};
use super::{emitf, emitln};
use crate::report::{self, InputSensitivity, SensitivityReport};
use crate::scenario::Scenario;

/// Sensitivity methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Swing of the output when each input moves from its P10 to its P90, others at their median.
    Tornado,
    /// Variance-based Sobol' indices (Saltelli 2010 first order, Jansen total order).
    Sobol,
    /// Morris elementary effects (μ*, σ) for screening.
    Morris,
    /// Spearman rank correlation and standardised regression coefficients from a run.
    Correlation,
    /// Spider data: the output with each input at its P10, P25, P50, P75 and P90, others at
    /// their median.
    Spider,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SensitivityFormat {
    /// A readable table.
    Table,
    /// JSON.
    Json,
    /// CSV, one row per input.
    Csv,
}

/// Arguments of `samkost sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML, or a scenario workbook .xlsx; at most 64 MiB); the embedded
    /// default when omitted.
    scenario: Option<PathBuf>,
    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Tornado)]
    method: Method,
    /// The output: `region` (the region's NPV), `member:ID:KEY` (a member's NPV under a key),
    /// or `all_win:KEY` (1 when every member gains under the key, else 0).
    #[arg(long, default_value = "region")]
    output: String,
    /// Sobol': base sample size N (a power of two); correlation: draws. At most 2^24, and
    /// the sample must fit in 8 GB.
    #[arg(long, default_value_t = 4096,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1 << 24))]
    n: usize,
    /// Morris: trajectories (at most 100,000).
    #[arg(long, default_value_t = 20,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000))]
    trajectories: usize,
    /// With --format csv: `standard` (UTF-8, `,`, decimal point) or `excel-nb` (UTF-8 with a
    /// byte order mark, `;`, decimal comma: what Excel with Norwegian settings opens).
    #[arg(long, value_enum, default_value_t = super::CsvFormat::Standard)]
    csv: super::CsvFormat,
    /// Sobol': bootstrap resamples for the confidence intervals (0: none; at most 100,000).
    #[arg(long, default_value_t = 500,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=100_000))]
    bootstrap: usize,
    /// Random seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Sampling of the correlation method's run.
    #[arg(long, value_enum, default_value_t = Sampling::Mc)]
    sampling: Sampling,
    /// What to print.
    #[arg(long, value_enum, default_value_t = SensitivityFormat::Table)]
    format: SensitivityFormat,
}

/// Which entry of an NPV row the output reads.
enum Output {
    Column(usize),
    AllWin(usize),
}

fn parse_output(spec: &str, scenario: &Scenario) -> Result<Output> {
    let n = scenario.model.n_members();
    let key_index = |name: &str| {
        scenario
            .keys
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
                InputError(format!(
                    "error: unknown key `{name}` in --output; keys: {}",
                    names.join(", ")
                ))
            })
    };
    if spec == "region" {
        return Ok(Output::Column(scenario.keys.len() * n));
    }
    if let Some(key) = spec.strip_prefix("all_win:") {
        return Ok(Output::AllWin(key_index(key)?));
    }
    if let Some(rest) = spec.strip_prefix("member:")
        && let Some((id, key)) = rest.split_once(':')
    {
        let Some(i) = scenario.model.members.iter().position(|m| m.id == id) else {
            return Err(InputError(format!(
                "error: `{id}` in --output is not a member of the scenario"
            ))
            .into());
        };
        return Ok(Output::Column(key_index(key)? * n + i));
    }
    Err(InputError(format!(
        "error: --output `{spec}` is not `region`, `member:ID:KEY` or `all_win:KEY`"
    ))
    .into())
}

/// Runs `samkost sensitivity`.
pub fn sensitivity_command(args: &SensitivityArgs) -> Result<()> {
    let scenario = load_scenario(args.scenario.as_deref())?;
    print_warnings(&scenario);
    check_memory(args, &scenario.model)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let keys = resolve_keys(&scenario, seed)?;
    let output = parse_output(&args.output, &scenario)?;
    let model = &scenario.model;
    let (uncertain, dists) = uncertain_inputs(model);
    if uncertain.is_empty() {
        return Err(InputError(
            "error: the scenario has no uncertain inputs to analyse".to_owned(),
        )
        .into());
    }
    let evaluator = Evaluator::new(model, &keys, &uncertain, output);
    let mut report = SensitivityReport {
        scenario: scenario.name.clone(),
        method: format!("{:?}", args.method).to_lowercase(),
        output: args.output.clone(),
        evaluations: 0,
        seed,
        base_output: None,
        output_variance: None,
        r_squared: None,
        inputs: Vec::new(),
    };
    let name = |k: usize| model.parameters[uncertain[k]].name.clone();
    let invalid =
        |e: samkost_core::sensitivity::SensitivityError| InputError(format!("error: {e}"));
    match args.method {
        Method::Tornado => {
            let base: Vec<f64> = dists.iter().map(|d| d.quantile(0.5)).collect();
            let t = tornado(&base, &dists, 0.1, 0.9, |x| evaluator.eval(x)).map_err(invalid)?;
            report.evaluations = 1 + 2 * dists.len();
            report.base_output = Some(t.base_output);
            report.inputs = t
                .bars
                .iter()
                .map(|b| InputSensitivity {
                    parameter: name(b.input),
                    output_at_low: Some(b.output_at_low),
                    output_at_high: Some(b.output_at_high),
                    swing: Some(b.swing),
                    ..Default::default()
                })
                .collect();
        }
        Method::Spider => {
            let base: Vec<f64> = dists.iter().map(|d| d.quantile(0.5)).collect();
            let probabilities = [0.1, 0.25, 0.5, 0.75, 0.9];
            let lines =
                spider(&base, &dists, &probabilities, |x| evaluator.eval(x)).map_err(invalid)?;
            report.evaluations = 1 + probabilities.len() * dists.len();
            report.base_output = Some(evaluator.eval(&base));
            let mut rows: Vec<InputSensitivity> = lines
                .iter()
                .map(|l| InputSensitivity {
                    parameter: name(l.input),
                    spider: Some(
                        l.probabilities
                            .iter()
                            .zip(&l.input_values)
                            .zip(&l.outputs)
                            .map(|((p, x), y)| [*p, *x, *y])
                            .collect(),
                    ),
                    swing: Some((l.outputs[4] - l.outputs[0]).abs()),
                    ..Default::default()
                })
                .collect();
            rows.sort_by(|a, b| b.swing.unwrap_or(0.0).total_cmp(&a.swing.unwrap_or(0.0)));
            report.inputs = rows;
        }
        Method::Sobol => {
            let bootstrap = if args.bootstrap == 0 {
                Bootstrap::none()
            } else {
                Bootstrap::new(args.bootstrap, 0.95, seed).map_err(invalid)?
            };
            let s = sobol_indices_with(&dists, args.n, seed, &bootstrap, &evaluator)
                .map_err(invalid)?;
            report.evaluations = s.n_evaluations;
            report.output_variance = Some(s.output_variance);
            let triple = |e: &samkost_core::sensitivity::IndexEstimate| {
                [
                    e.estimate,
                    e.ci.map_or(f64::NAN, |c| c.low),
                    e.ci.map_or(f64::NAN, |c| c.high),
                ]
            };
            let mut rows: Vec<InputSensitivity> = (0..dists.len())
                .map(|k| InputSensitivity {
                    parameter: name(k),
                    first_order: Some(triple(&s.first_order[k])),
                    total_order: Some(triple(&s.total_order[k])),
                    ..Default::default()
                })
                .collect();
            rows.sort_by(|a, b| {
                b.total_order
                    .map_or(0.0, |t| t[0])
                    .total_cmp(&a.total_order.map_or(0.0, |t| t[0]))
            });
            report.inputs = rows;
        }
        Method::Morris => {
            let effects =
                morris_with(&dists, args.trajectories, 4, seed, &evaluator).map_err(invalid)?;
            report.evaluations = args.trajectories * (dists.len() + 1);
            let mut rows: Vec<InputSensitivity> = effects
                .iter()
                .enumerate()
                .map(|(k, e)| InputSensitivity {
                    parameter: name(k),
                    mu_star: Some(e.mu_star),
                    mu: Some(e.mu),
                    sigma: Some(e.sigma),
                    ..Default::default()
                })
                .collect();
            rows.sort_by(|a, b| {
                b.mu_star
                    .unwrap_or(0.0)
                    .total_cmp(&a.mu_star.unwrap_or(0.0))
            });
            report.inputs = rows;
        }
        Method::Correlation => {
            let n_draws = args.n as u64;
            let sample = parameter_sample(model, args.sampling.method(), n_draws, seed)
                .map_err(|e| InputError(format!("error: {e}")))?;
            let m = model.parameters.len();
            let inputs: Vec<f64> = sample
                .chunks(m)
                .flat_map(|row| uncertain.iter().map(move |&j| row[j]))
                .collect();
            let outputs = evaluator.eval_sample(&sample, m);
            let rho = input_output_spearman(&inputs, uncertain.len(), &outputs).map_err(invalid)?;
            let src =
                standardised_regression(&inputs, uncertain.len(), &outputs).map_err(invalid)?;
            report.evaluations = args.n;
            report.r_squared = Some(src.r_squared);
            let mut rows: Vec<InputSensitivity> = (0..uncertain.len())
                .map(|k| InputSensitivity {
                    parameter: name(k),
                    spearman: Some(rho[k]),
                    src: Some(src.coefficients[k]),
                    ..Default::default()
                })
                .collect();
            rows.sort_by(|a, b| {
                b.spearman
                    .unwrap_or(0.0)
                    .abs()
                    .total_cmp(&a.spearman.unwrap_or(0.0).abs())
            });
            report.inputs = rows;
        }
    }
    match args.format {
        SensitivityFormat::Table => emitf!("{}", report::sensitivity_table(&report)),
        SensitivityFormat::Json => emitln!(
            "{}",
            serde_json::to_string_pretty(&report).context("failed to serialise")?
        ),
        SensitivityFormat::Csv => emitf!(
            "{}",
            String::from_utf8_lossy(
                &report::sensitivity_csv(&report)
                    .and_then(|c| report::to_dialect(&c, args.csv.dialect()))
                    .context("failed to build CSV")?
            )
        ),
    }
    Ok(())
}

/// The indices of the model's uncertain (not fixed) parameters and their distributions.
/// Bytes per unit of `--n` at the method's peak, 8 bytes a value: Sobol' keeps the base
/// sample (2k uniforms) and the outputs of the N(k+2) rows; correlation keeps the parameter
/// sample (m values), the uncertain inputs and their columns, the standardised matrix, its
/// copy for the QR decomposition and Q (k values each), and a few vectors of outputs.
fn bytes_per_n(method: Method, n_parameters: usize, n_uncertain: usize) -> u64 {
    let values = match method {
        Method::Sobol => 3 * n_uncertain + 4,
        Method::Correlation => n_parameters + 5 * n_uncertain + 4,
        Method::Tornado | Method::Morris | Method::Spider => 0,
    };
    8 * values as u64
}

/// Refuses an `--n` whose sample would not fit in [`super::MEMORY_BUDGET_BYTES`], before
/// any work starts.
fn check_memory(args: &SensitivityArgs, model: &Model) -> Result<()> {
    let n_uncertain = uncertain_inputs(model).0.len();
    let per_n = bytes_per_n(args.method, model.parameters.len(), n_uncertain);
    let needed = per_n.saturating_mul(args.n as u64);
    if per_n == 0 || needed <= super::MEMORY_BUDGET_BYTES {
        return Ok(());
    }
    let mut fit = super::MEMORY_BUDGET_BYTES / per_n;
    if args.method == Method::Sobol && fit > 0 {
        fit = 1 << fit.ilog2();
    }
    Err(InputError(format!(
        "error: --n {} needs about {} of memory for this scenario's {n_uncertain} uncertain inputs, more than the {} budget; at most {fit} fits\n  = help: lower --n to {fit} or less",
        args.n,
        super::format_bytes(needed),
        super::format_bytes(super::MEMORY_BUDGET_BYTES),
    ))
    .into())
}

fn uncertain_inputs(model: &Model) -> (Vec<usize>, Vec<Distribution>) {
    // Inputs of `[accounts]` shape the budget tables only, and those of `[[gains]]` the budget
    // and socio-economic views only, never the cash NPV ranked here (docs/MODEL.md §6b, §6d):
    // varying them would cost evaluations and rank them at zero.
    let uncertain: Vec<usize> = (0..model.parameters.len())
        .filter(|&j| {
            let p = &model.parameters[j];
            !p.distribution.is_fixed()
                && !matches!(
                    p.origin.as_ref().map(|o| o.part),
                    Some(
                        samkost_core::model::ModelPart::Accounts
                            | samkost_core::model::ModelPart::Gain
                    )
                )
        })
        .collect();
    let dists = uncertain
        .iter()
        .map(|&j| model.parameters[j].distribution.clone())
        .collect();
    (uncertain, dists)
}

/// The tornado of the region's NPV (each uncertain input at its P10 and P90, the others at
/// their medians) for the report; `None` when the scenario has no uncertain input.
pub fn region_tornado(
    scenario: &Scenario,
    keys: &[ResolvedKey],
) -> Result<Option<report::TornadoJson>> {
    let model = &scenario.model;
    let (uncertain, dists) = uncertain_inputs(model);
    if uncertain.is_empty() {
        return Ok(None);
    }
    let region = Output::Column(keys.len() * model.n_members());
    let evaluator = Evaluator::new(model, keys, &uncertain, region);
    let base: Vec<f64> = dists.iter().map(|d| d.quantile(0.5)).collect();
    let t = tornado(&base, &dists, 0.1, 0.9, |x| evaluator.eval(x))
        .map_err(|e| InputError(format!("error: tornado of the region's NPV: {e}")))?;
    Ok(Some(report::TornadoJson {
        base_output: t.base_output,
        bars: t
            .bars
            .iter()
            .map(|b| report::TornadoBarJson {
                parameter: model.parameters[uncertain[b.input]].name.clone(),
                origin: report::OriginJson::of(&model.parameters[uncertain[b.input]]),
                input_low: b.low_input,
                input_high: b.high_input,
                output_at_low: b.output_at_low,
                output_at_high: b.output_at_high,
                swing: b.swing,
            })
            .collect(),
    }))
}

/// Bootstrap resamples behind the report's Sobol' intervals.
pub const REPORT_SOBOL_RESAMPLES: usize = 200;

/// Sobol' indices of the region's NPV for the report, from a Saltelli design of base size
/// `n_base` (`N(k + 2)` evaluations for `k` uncertain inputs) seeded by `seed`, with 95 %
/// bootstrap intervals; `None` when `n_base` is 0 or the scenario has no uncertain input.
pub fn region_sobol(
    scenario: &Scenario,
    keys: &[ResolvedKey],
    n_base: usize,
    seed: u64,
) -> Result<Option<report::SobolJson>> {
    let model = &scenario.model;
    let (uncertain, dists) = uncertain_inputs(model);
    if uncertain.is_empty() || n_base == 0 {
        return Ok(None);
    }
    let region = Output::Column(keys.len() * model.n_members());
    let evaluator = Evaluator::new(model, keys, &uncertain, region);
    let invalid = |e: samkost_core::sensitivity::SensitivityError| {
        InputError(format!("error: Sobol' indices of the region's NPV: {e}"))
    };
    let bootstrap = Bootstrap::new(REPORT_SOBOL_RESAMPLES, 0.95, seed).map_err(invalid)?;
    let s = sobol_indices_with(&dists, n_base, seed, &bootstrap, &evaluator).map_err(invalid)?;
    let ci = |e: &samkost_core::sensitivity::IndexEstimate| e.ci.map(|c| [c.low, c.high]);
    let mut inputs: Vec<report::SobolInputJson> = (0..dists.len())
        .map(|k| {
            let p = &model.parameters[uncertain[k]];
            report::SobolInputJson {
                parameter: p.name.clone(),
                origin: report::OriginJson::of(p),
                first_order: s.first_order[k].estimate,
                first_order_ci: ci(&s.first_order[k]),
                total_order: s.total_order[k].estimate,
                total_order_ci: ci(&s.total_order[k]),
            }
        })
        .collect();
    // Largest total index first; equal ones in scenario order (the sort is stable).
    inputs.sort_by(|a, b| b.total_order.total_cmp(&a.total_order));
    Ok(Some(report::SobolJson {
        n_base,
        evaluations: s.n_evaluations,
        seed,
        bootstrap_resamples: REPORT_SOBOL_RESAMPLES,
        output_variance: s.output_variance,
        inputs,
    }))
}

/// Evaluates the chosen output at given values of the uncertain inputs (others at their
/// fixed values), by the run's kernel ([`DrawEvaluator`]).
struct Evaluator<'a> {
    model: &'a Model,
    uncertain: &'a [usize],
    output: Output,
    /// Every parameter's fixed value, NaN where it is uncertain.
    template: Vec<f64>,
    draws: DrawEvaluator<'a>,
}

impl<'a> Evaluator<'a> {
    fn new(
        model: &'a Model,
        keys: &'a [ResolvedKey],
        uncertain: &'a [usize],
        output: Output,
    ) -> Self {
        Self {
            model,
            uncertain,
            output,
            template: samkost_core::draws::parameter_template(model),
            draws: DrawEvaluator::new(model, keys, model.discounting.factors(model.horizon_years)),
        }
    }

    fn eval(&self, x: &[f64]) -> f64 {
        self.eval_full(&self.params_of(x))
    }

    /// Every parameter's value: the uncertain inputs' from `x`, the others fixed.
    fn params_of(&self, x: &[f64]) -> Vec<f64> {
        let mut params = self.template.clone();
        for (&j, &v) in self.uncertain.iter().zip(x) {
            params[j] = v;
        }
        params
    }

    fn eval_full(&self, params: &[f64]) -> f64 {
        self.draws.npvs(params, |row| self.output_of(row))
    }

    /// The output of every row of a row-major `sample` of all `m` parameters, in parallel and
    /// eight rows at a time ([`AllParameters`]), in row order.
    fn eval_sample(&self, sample: &[f64], m: usize) -> Vec<f64> {
        evaluate_rows(sample, m, &AllParameters(self))
    }

    /// The output read off a draw's NPVs (laid out as `DrawEvaluator::npvs` gives them).
    fn output_of(&self, row: &[f64]) -> f64 {
        let n = self.model.n_members();
        match self.output {
            Output::Column(c) => row[c],
            Output::AllWin(k) => f64::from(u8::from((0..n).all(|i| row[k * n + i] > 0.0))),
        }
    }
}

/// The designs' rows several at a time: their draws' flows written in one pass
/// (`DrawEvaluator::npvs_group`), the same outputs as one at a time, to the bit.
impl Evaluate for &Evaluator<'_> {
    fn eval(&self, x: &[f64]) -> f64 {
        Evaluator::eval(self, x)
    }

    fn eval_rows(&self, rows: &[&[f64]], out: &mut [f64]) {
        let params: Vec<Vec<f64>> = rows.iter().map(|x| self.params_of(x)).collect();
        let refs: Vec<&[f64]> = params.iter().map(Vec::as_slice).collect();
        AllParameters(self).eval_rows(&refs, out);
    }
}

/// The evaluator on rows of every parameter's value (a run's sample), several rows at a time
/// (`DrawEvaluator::npvs_group`).
struct AllParameters<'e, 'a>(&'e Evaluator<'a>);

impl Evaluate for AllParameters<'_, '_> {
    fn eval(&self, params: &[f64]) -> f64 {
        self.0.eval_full(params)
    }

    fn eval_rows(&self, rows: &[&[f64]], out: &mut [f64]) {
        let e = self.0;
        e.draws
            .npvs_group(rows, |j, npvs| out[j] = e.output_of(npvs));
    }
}
