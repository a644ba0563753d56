//! `samkost design`: the best any key can do, the best key of each family, and goal seeking.

use std::path::PathBuf;

use anyhow::{Context, Result};
use samkost_core::design::{Goal, KOSTRA_BAND_LIMITS, SeekDirection};
use samkost_core::simulation::RunConfig;

use super::{InputError, Sampling, emitln, load_scenario, print_warnings, resolve_keys};
use crate::design::{Request, SeekParameter};
use crate::report::design::{design_json, design_table, seek_json, seek_text};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DesignFormat {
    /// A readable table.
    Table,
    /// JSON.
    Json,
}

/// What goal seeking aims at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GoalArg {
    /// Every member gains.
    AllWin,
    /// No group of members would do better alone (core stability).
    Core,
}

/// Most draws of a design sample: two samples of this size are kept in memory.
const MAX_DESIGN_DRAWS: u64 = 1_000_000;

/// Arguments of `samkost design`.
#[derive(Debug, clap::Args)]
pub struct DesignArgs {
    /// Scenario file (TOML, or a scenario workbook .xlsx; at most 64 MiB); the embedded
    /// default when omitted.
    scenario: Option<PathBuf>,
    /// Draws of the design sample (the run's first draws), and of the fresh check sample.
    #[arg(long, default_value_t = 4000,
          value_parser = clap::value_parser!(u64).range(1..=MAX_DESIGN_DRAWS))]
    draws: u64,
    /// Draws with core checks (cooperations of at most 12 members); 0 turns them off.
    #[arg(long, default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(0..=100_000))]
    stability_draws: u64,
    /// Random seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Sampling of the draws.
    #[arg(long, value_enum, default_value_t = Sampling::Mc)]
    sampling: Sampling,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = super::parse_threads)]
    threads: Option<usize>,
    /// Largest ratio between the highest and lowest cost per inhabitant (at least 1).
    #[arg(long, value_parser = parse_ratio)]
    max_burden_ratio: Option<f64>,
    /// Smallest probability of gaining for every member (between 0 and 1).
    #[arg(long, value_parser = parse_probability)]
    min_p_gain: Option<f64>,
    /// Stay near an agreed key: `KEY:POINTS`, every share within POINTS percentage points of
    /// the key's (e.g. `50/50:5`).
    #[arg(long)]
    near: Option<String>,
    /// Population limits of the size bands (default: SSB's KOSTRA size classes, 5000,20000).
    #[arg(long, value_delimiter = ',')]
    bands: Option<Vec<f64>>,
    /// Goal seeking instead of design: `fixed_part` (hybrid with population),
    /// `fixed_part:DRIVER`, or `input:PARAMETER:KEY` (an uncertain input fixed at a level,
    /// under a listed key).
    #[arg(long)]
    seek: Option<String>,
    /// The probability goal seeking must reach (between 0 and 1).
    #[arg(long, value_parser = parse_probability, default_value_t = 0.9)]
    target: f64,
    /// What goal seeking aims at.
    #[arg(long, value_enum, default_value_t = GoalArg::AllWin)]
    goal: GoalArg,
    /// Seek the largest value reaching the target (default: the smallest).
    #[arg(long)]
    largest: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = DesignFormat::Table)]
    format: DesignFormat,
}

fn parse_ratio(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 1.0 => Ok(v),
        _ => Err(format!(
            "expected a ratio of at least 1 (the highest cost per inhabitant over the lowest), got `{text}`"
        )),
    }
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a probability between 0 and 1 (e.g. 0.9), got `{text}`"
        )),
    }
}

fn parse_near(text: &str) -> Result<(String, f64)> {
    let bad = || {
        InputError(format!(
            "error: --near `{text}` is not KEY:POINTS with POINTS between 0 and 100 (e.g. `50/50:5` keeps every share within 5 percentage points of key 50/50)"
        ))
    };
    let (key, points) = text.rsplit_once(':').ok_or_else(bad)?;
    let points: f64 = points.trim().parse().map_err(|_| bad())?;
    if !(0.0..=100.0).contains(&points) || key.is_empty() {
        return Err(bad().into());
    }
    Ok((key.to_owned(), points / 100.0))
}

fn parse_seek(text: &str) -> Result<SeekParameter> {
    if text == "fixed_part" {
        return Ok(SeekParameter::FixedPart {
            driver: "population".to_owned(),
        });
    }
    if let Some(driver) = text.strip_prefix("fixed_part:") {
        return Ok(SeekParameter::FixedPart {
            driver: driver.to_owned(),
        });
    }
    if let Some(rest) = text.strip_prefix("input:")
        && let Some((parameter, key)) = rest.split_once(':')
    {
        return Ok(SeekParameter::Input {
            parameter: parameter.to_owned(),
            key: key.to_owned(),
        });
    }
    Err(InputError(format!(
        "error: --seek `{text}` is not `fixed_part`, `fixed_part:DRIVER` or `input:PARAMETER:KEY`"
    ))
    .into())
}

/// Runs `samkost design`.
pub fn design_command(args: &DesignArgs) -> Result<()> {
    let scenario = load_scenario(args.scenario.as_deref())?;
    print_warnings(&scenario);
    let seed = args.seed.unwrap_or(scenario.seed);
    let bands = args
        .bands
        .clone()
        .unwrap_or_else(|| KOSTRA_BAND_LIMITS.to_vec());
    if bands.iter().any(|b| !b.is_finite() || *b <= 0.0) || bands.windows(2).any(|w| w[0] >= w[1]) {
        return Err(InputError(
            "error: --bands must be positive populations in increasing order (e.g. 5000,20000)"
                .to_owned(),
        )
        .into());
    }
    let near = args.near.as_deref().map(parse_near).transpose()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("failed to start worker threads")?;
    let keys = pool.install(|| resolve_keys(&scenario, seed))?;
    let config = RunConfig {
        n_draws: args.draws,
        seed,
        stability_draws: args.stability_draws,
        sampling: args.sampling.method(),
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        band_draws: 0,
        accounts: false,
        detailed: false,
    };
    let model = &scenario.model;
    if let Some(spec) = &args.seek {
        let parameter = parse_seek(spec)?;
        let goal = match args.goal {
            GoalArg::AllWin => Goal::AllWin,
            GoalArg::Core => Goal::CoreStable,
        };
        if goal == Goal::CoreStable && (args.stability_draws == 0 || model.n_members() > 12) {
            return Err(InputError("error: --goal core needs core checks: --stability-draws above 0 and at most 12 members".to_owned()).into());
        }
        let direction = if args.largest {
            SeekDirection::Largest
        } else {
            SeekDirection::Smallest
        };
        let answer = pool
            .install(|| {
                crate::design::seek(
                    model,
                    &keys,
                    &config,
                    &parameter,
                    goal,
                    args.target,
                    direction,
                )
            })
            .map_err(|e| InputError(format!("error: {e}")))?;
        match args.format {
            DesignFormat::Table => emitln!("{}", seek_text(&answer).trim_end()),
            DesignFormat::Json => emitln!("{}", serde_json::to_string_pretty(&seek_json(&answer))?),
        }
        return Ok(());
    }
    let request = Request {
        max_burden_ratio: args.max_burden_ratio,
        min_p_gain: args.min_p_gain,
        near,
        band_limits: bands,
    };
    let analysis = pool
        .install(|| crate::design::analyse(model, &keys, &config, &request))
        .map_err(|e| InputError(format!("error: {e}")))?;
    match args.format {
        DesignFormat::Table => {
            let names: Vec<String> = model.members.iter().map(|m| m.name.clone()).collect();
            emitln!("{}", design_table(&analysis, &names).trim_end());
        }
        DesignFormat::Json => {
            let ids: Vec<String> = model.members.iter().map(|m| m.id.clone()).collect();
            emitln!(
                "{}",
                serde_json::to_string_pretty(&design_json(&analysis, &ids))?
            );
        }
    }
    Ok(())
}
