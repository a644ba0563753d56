//! `samkost design`'s analysis (pure): the scenario's drivers and listed keys as points of
//! the design space, the frontier and the families' best keys for both goals, checked on
//! fresh draws, and goal seeking along a key parameter or an uncertain input's level
//! (docs/MODEL.md §13).

use rayon::prelude::*;
use samkost_core::allocation::ResolvedKey;
use samkost_core::design::{
    self, Constraints, Counts, Design, Goal, Near, Point, Seek, SeekDirection,
};
use samkost_core::model::Model;
use samkost_core::simulation::{RunConfig, SimulationError, draw_sample};

/// Each driver's shares (population first), leaving out drivers that are invalid for a key
/// or that give the same shares as an earlier one.
pub fn drivers(model: &Model) -> Vec<(String, Vec<f64>)> {
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for (d, name) in model.drivers.names().iter().enumerate() {
        let values = model.drivers.values(d);
        let total: f64 = values.iter().sum();
        if !(total > 0.0 && total.is_finite()) || values.iter().any(|v| *v < 0.0) {
            continue;
        }
        let shares: Vec<f64> = values.iter().map(|v| v / total).collect();
        let same = |other: &Vec<f64>| shares.iter().zip(other).all(|(a, b)| (a - b).abs() < 1e-12);
        if !out.iter().any(|(_, s)| same(s)) {
            out.push((name.clone(), shares));
        }
    }
    out
}

/// A resolved key's shares as a point of the design space.
pub fn point(key: &ResolvedKey) -> Point {
    Point {
        running: key.shares[0].to_vec(),
        startup: key.shares[1].to_vec(),
    }
}

/// What to design for, and under which constraints.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Request {
    /// Largest burden ratio.
    pub max_burden_ratio: Option<f64>,
    /// Smallest probability of gaining for every member.
    pub min_p_gain: Option<f64>,
    /// An agreed key (by name) and the largest deviation of a share from it.
    pub near: Option<(String, f64)>,
    /// Population band limits of the size-band family.
    pub band_limits: Vec<f64>,
}

/// A listed key on the design sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Key name.
    pub name: String,
    /// Its shares.
    pub shares: Point,
    /// Its counts on the design sample.
    pub counts: Counts,
    /// Its burden ratio.
    pub burden_ratio: Option<f64>,
}

/// A design for one goal, with its keys counted again on fresh draws.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalDesign {
    /// The design on the design sample.
    pub design: Design,
    /// The frontier's shares counted on the check sample.
    pub frontier_check: Option<Counts>,
    /// Each family's best shares counted on the check sample.
    pub families_check: Vec<Counts>,
    /// The frontier's burden ratio.
    pub frontier_burden: Option<f64>,
    /// Each family's best key's burden ratio.
    pub families_burden: Vec<Option<f64>>,
}

/// `samkost design`'s results.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Draws of the design sample and of its core checks.
    pub n_draws: u64,
    /// Draws with core checks (0 beyond 12 members).
    pub core_draws: u64,
    /// Draws of the check sample.
    pub check_draws: u64,
    /// Core-checked draws of the check sample.
    pub check_core_draws: u64,
    /// The listed keys.
    pub listed: Vec<Listed>,
    /// Per goal (every member gains; core stability when checked).
    pub goals: Vec<GoalDesign>,
    /// The constraints applied.
    pub constraints: Constraints,
}

/// Why a design could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesignError {
    /// The simulation failed.
    #[error(transparent)]
    Simulation(#[from] SimulationError),
    /// `--near` names no listed key.
    #[error("no key named `{0}` in the scenario; --near needs one of: {1}")]
    UnknownKey(String, String),
}

/// The constraints of `request` for `model` and the listed `keys`.
pub fn constraints(
    model: &Model,
    keys: &[ResolvedKey],
    request: &Request,
) -> Result<Constraints, DesignError> {
    let near = match &request.near {
        Some((name, dev)) => {
            let key = keys.iter().find(|k| &k.name == name).ok_or_else(|| {
                DesignError::UnknownKey(
                    name.clone(),
                    keys.iter()
                        .map(|k| format!("`{}`", k.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })?;
            Some(Near {
                shares: point(key),
                max_deviation: *dev,
            })
        }
        None => None,
    };
    Ok(Constraints {
        max_burden_ratio: request.max_burden_ratio,
        min_p_gain: request.min_p_gain,
        near,
        populations: model.members.iter().map(|m| m.population).collect(),
    })
}

/// The design sample (the run's first draws: `config`) and an independent check sample of
/// the same size (seed + 1), the frontier and families for every goal the sample supports.
pub fn analyse(
    model: &Model,
    keys: &[ResolvedKey],
    config: &RunConfig,
    request: &Request,
) -> Result<Analysis, DesignError> {
    let constraints = constraints(model, keys, request)?;
    let sample = draw_sample(model, config)?;
    let check = draw_sample(
        model,
        &RunConfig {
            seed: config.seed.wrapping_add(1),
            ..*config
        },
    )?;
    let drivers = drivers(model);
    let listed: Vec<Listed> = keys
        .iter()
        .map(|k| {
            let shares = point(k);
            Listed {
                name: k.name.clone(),
                counts: design::count(&sample, &shares),
                burden_ratio: design::burden_ratio(&design::cost_per_inhabitant(
                    &sample,
                    &constraints.populations,
                    &shares,
                )),
                shares,
            }
        })
        .collect();
    let points: Vec<Point> = listed.iter().map(|l| l.shares.clone()).collect();
    let mut goals_wanted = vec![Goal::AllWin];
    if sample.core_draws > 0 {
        goals_wanted.push(Goal::CoreStable);
    }
    // The goals' designs depend on the samples alone: side by side, in goal order.
    let goals = goals_wanted
        .into_par_iter()
        .map(|goal| {
            let design = design::design(
                &sample,
                goal,
                &constraints,
                &drivers,
                &points,
                &request.band_limits,
            );
            let burden = |x: &Point| {
                design::burden_ratio(&design::cost_per_inhabitant(
                    &sample,
                    &constraints.populations,
                    x,
                ))
            };
            GoalDesign {
                frontier_burden: design.frontier.as_ref().and_then(|f| burden(&f.shares)),
                families_burden: design.families.iter().map(|f| burden(&f.shares)).collect(),
                frontier_check: design
                    .frontier
                    .as_ref()
                    .map(|f| design::count(&check, &f.shares)),
                families_check: design
                    .families
                    .iter()
                    .map(|f| design::count(&check, &f.shares))
                    .collect(),
                design,
            }
        })
        .collect();
    Ok(Analysis {
        n_draws: sample.n_draws as u64,
        core_draws: sample.core_draws as u64,
        check_draws: check.n_draws as u64,
        check_core_draws: check.core_draws as u64,
        listed,
        goals,
        constraints,
    })
}

/// What goal seeking moves.
#[derive(Debug, Clone, PartialEq)]
pub enum SeekParameter {
    /// The equal part of a hybrid key with this driver.
    FixedPart {
        /// Driver name.
        driver: String,
    },
    /// An uncertain input fixed at a level, under a listed key.
    Input {
        /// Parameter name.
        parameter: String,
        /// The listed key.
        key: String,
    },
}

/// A goal-seeking answer.
#[derive(Debug, Clone, PartialEq)]
pub struct SeekAnswer {
    /// What was moved.
    pub parameter: SeekParameter,
    /// The range searched.
    pub range: (f64, f64),
    /// The answer.
    pub seek: Seek,
    /// The target.
    pub target: f64,
    /// The goal.
    pub goal: Goal,
    /// Which end.
    pub direction: SeekDirection,
}

/// Levels of an input tried before the crossing is refined.
const INPUT_GRID: usize = 21;
/// Bisection steps refining an input's crossing.
const INPUT_BISECTIONS: usize = 10;

/// Goal seeking along a hybrid key's equal part (exact on the sample: one line search), or
/// along an uncertain input fixed at levels between its P1 and P99 (a grid of
/// [`INPUT_GRID`] levels, then bisection; every level on the same draws of the other inputs).
pub fn seek(
    model: &Model,
    keys: &[ResolvedKey],
    config: &RunConfig,
    parameter: &SeekParameter,
    goal: Goal,
    target: f64,
    direction: SeekDirection,
) -> Result<SeekAnswer, String> {
    let answer = |range, seek| SeekAnswer {
        parameter: parameter.clone(),
        range,
        seek,
        target,
        goal,
        direction,
    };
    match parameter {
        SeekParameter::FixedPart { driver } => {
            let drivers = drivers(model);
            let names: Vec<&str> = drivers.iter().map(|(n, _)| n.as_str()).collect();
            let (_, p) = drivers.iter().find(|(n, _)| n == driver).ok_or_else(|| {
                format!(
                    "no usable driver `{driver}`; the scenario's drivers are {}",
                    names.join(", ")
                )
            })?;
            let sample = draw_sample(model, config).map_err(|e| e.to_string())?;
            let n = p.len();
            let x = Point::uniform(p.clone());
            let u = Point::uniform(p.iter().map(|v| 1.0 / n as f64 - v).collect());
            Ok(answer(
                (0.0, 1.0),
                design::seek(&sample, goal, &x, &u, 0.0, 1.0, target, direction),
            ))
        }
        SeekParameter::Input {
            parameter: name,
            key,
        } => {
            let j = model
                .parameters
                .iter()
                .position(|p| &p.name == name)
                .ok_or_else(|| format!("no parameter `{name}` in the scenario"))?;
            let k = keys
                .iter()
                .find(|k| &k.name == key)
                .ok_or_else(|| format!("no key named `{key}` in the scenario"))?;
            if k.is_ex_post() {
                return Err(format!(
                    "key `{key}` is recomputed on every draw (ex post); goal seeking needs a key fixed before the run"
                ));
            }
            let dist = &model.parameters[j].distribution;
            if dist.is_fixed() {
                return Err(format!(
                    "parameter `{name}` is fixed; goal seeking moves an uncertain input"
                ));
            }
            let range = (dist.quantile(0.01), dist.quantile(0.99));
            let shares = point(k);
            let probability = |level: f64| -> Result<(f64, u64), String> {
                let mut m = model.clone();
                crate::scenario::grid::fix_model_parameter(&mut m, name, level)?;
                let sample = draw_sample(&m, config).map_err(|e| e.to_string())?;
                let c = design::count(&sample, &shares);
                Ok(match goal {
                    Goal::AllWin => (
                        c.all_win as f64 / sample.n_draws as f64,
                        sample.n_draws as u64,
                    ),
                    Goal::CoreStable => (
                        c.core_stable as f64 / sample.core_draws.max(1) as f64,
                        sample.core_draws as u64,
                    ),
                })
            };
            let levels: Vec<f64> = (0..INPUT_GRID)
                .map(|g| range.0 + (range.1 - range.0) * g as f64 / (INPUT_GRID - 1) as f64)
                .collect();
            let mut values = Vec::with_capacity(INPUT_GRID);
            for level in &levels {
                values.push(probability(*level)?);
            }
            let n_draws = values.first().map_or(0, |v| v.1);
            let nf = n_draws.max(1) as f64;
            let half = 1.96 * (target * (1.0 - target) / nf).sqrt();
            let near: Vec<f64> = levels
                .iter()
                .zip(&values)
                .filter(|(_, v)| (v.0 - target).abs() <= half)
                .map(|(l, _)| *l)
                .collect();
            let uncertain = near.first().zip(near.last()).map(|(a, b)| (*a, *b));
            let best = levels
                .iter()
                .zip(&values)
                .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
                .map_or((0.0, range.0), |(l, v)| (v.0, *l));
            let order: Vec<usize> = match direction {
                SeekDirection::Smallest => (0..INPUT_GRID).collect(),
                SeekDirection::Largest => (0..INPUT_GRID).rev().collect(),
            };
            let hit = order.iter().position(|&g| values[g].0 >= target);
            let (value, p) = match hit {
                None => (None, best.0),
                Some(0) => (Some(levels[order[0]]), values[order[0]].0),
                Some(h) => {
                    // The target is reached at `inside` and not at `outside`: bisect.
                    let (mut outside, mut inside) = (levels[order[h - 1]], levels[order[h]]);
                    let mut p_inside = values[order[h]].0;
                    for _ in 0..INPUT_BISECTIONS {
                        let mid = 0.5 * (outside + inside);
                        let (pm, _) = probability(mid)?;
                        if pm >= target {
                            inside = mid;
                            p_inside = pm;
                        } else {
                            outside = mid;
                        }
                    }
                    (Some(inside), p_inside)
                }
            };
            Ok(answer(
                range,
                Seek {
                    value,
                    probability: p,
                    std_error: (p * (1.0 - p) / nf).sqrt(),
                    uncertain,
                    best,
                    n_draws,
                },
            ))
        }
    }
}

/// The best hybrid key (fixed part × driver) for a run, counted again on fresh draws: what the
/// report names when it beats every listed key (docs/MODEL.md §13.6).
#[derive(Debug, Clone, PartialEq)]
pub struct DesignedKey {
    /// Core stability when checked, else every member gaining.
    pub goal: Goal,
    /// The driver.
    pub driver: String,
    /// The fixed part.
    pub fixed_part: f64,
    /// Probability of the goal on the fresh draws.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
    /// Fresh draws it is counted on.
    pub draws: u64,
}

/// Draws of the run's design sample (at most), and of its core checks.
pub const RUN_DESIGN_DRAWS: u64 = 4000;
/// Core-checked draws of the run's design sample (at most).
pub const RUN_DESIGN_STABILITY_DRAWS: u64 = 1000;

/// The best hybrid key for the goal the run can check (core stability when checked exactly,
/// else every member gaining), chosen on the run's first draws (at most
/// [`RUN_DESIGN_DRAWS`]) and counted on as many fresh draws (seed + 1).
pub fn best_hybrid(
    model: &Model,
    config: &RunConfig,
) -> Result<Option<DesignedKey>, SimulationError> {
    let config = RunConfig {
        n_draws: config.n_draws.min(RUN_DESIGN_DRAWS),
        stability_draws: config.stability_draws.min(RUN_DESIGN_STABILITY_DRAWS),
        band_draws: 0,
        ..*config
    };
    let sample = draw_sample(model, &config)?;
    let goal = if sample.core_draws > 0 {
        Goal::CoreStable
    } else {
        Goal::AllWin
    };
    let constraints = Constraints {
        populations: model.members.iter().map(|m| m.population).collect(),
        ..Constraints::default()
    };
    let best = design::families(&sample, &drivers(model), &constraints.populations, &[])
        .iter()
        .filter(|f| matches!(f.kind, design::FamilyKind::Hybrid { .. }))
        .filter_map(|f| design::optimise(&sample, goal, &constraints, f))
        .max_by(|a, b| a.score.cmp(&b.score));
    let Some(best) = best else {
        return Ok(None);
    };
    let check = draw_sample(
        model,
        &RunConfig {
            seed: config.seed.wrapping_add(1),
            ..config
        },
    )?;
    let c = design::count(&check, &best.shares);
    let (hits, n) = match goal {
        Goal::AllWin => (c.all_win, check.n_draws as u64),
        Goal::CoreStable => (c.core_stable, check.core_draws as u64),
    };
    let p = hits as f64 / n.max(1) as f64;
    let design::FamilyKind::Hybrid { driver } = best.kind else {
        return Ok(None);
    };
    Ok(Some(DesignedKey {
        goal,
        driver,
        fixed_part: best.params[0],
        p,
        se: (p * (1.0 - p) / n.max(1) as f64).sqrt(),
        draws: n,
    }))
}
