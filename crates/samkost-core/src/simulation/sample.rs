//! The per-draw quantities a key design needs, from the run's own kernel and draws.
//!
//! Under any key with running shares `s^R` and start-up shares `s^S`, member `i`'s NPV of net
//! benefit in draw `d` is `B_id − s^R_i P_Rd − s^S_i P_Sd` ([`super::Kernel`]), and what it pays
//! in NPV is `direct_id + s^R_i P_Rd + s^S_i P_Sd`. A [`DrawSample`] keeps `B`, `P_R`, `P_S`
//! of each draw and, for cooperations within exact reach, every coalition's core limit net of
//! its members' direct costs, so that the win-win probability and core stability of *any*
//! shares can be counted without running the model again (docs/MODEL.md §13).

use rayon::prelude::*;

use super::kernel::{DrawScratch, Kernel};
use super::stability::{self, GameBuffers};
use super::{CHUNK_DRAWS, RunConfig, SimulationError};
use crate::draws::{DESIGN_BLOCK_DRAWS, ParameterDesign, sample_parameters};
use crate::games::MAX_EXACT_MEMBERS;
use crate::model::{CoalitionTable, Model};

/// The key-independent outcome of draws `0 … n_draws − 1` of a run (same seed, same sampling,
/// same numbers as [`super::run`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawSample {
    /// Members.
    pub n_members: usize,
    /// Draws.
    pub n_draws: usize,
    /// `B_id`, the NPV of member `i`'s standalone cost minus its direct cost in the
    /// cooperation: `[draw × n_members + i]`.
    pub base: Vec<f64>,
    /// NPV of the pooled running and start-up cost per draw.
    pub pooled: Vec<[f64; 2]>,
    /// Core limits of the first `core_draws` draws (cooperations of at most
    /// [`MAX_EXACT_MEMBERS`] members): `[draw × 2^n + mask]` is
    /// `c_d(S) + tol_d − Σ_{i∈S} direct_id`, the most coalition `S` may pay out of the pooled
    /// cost without being better off alone. Empty when not computed.
    pub core_limits: Vec<f64>,
    /// Draws with core limits.
    pub core_draws: usize,
    /// Mean undiscounted cost each member pays itself, summed over the operating years.
    pub direct_operating: Vec<f64>,
    /// Mean undiscounted pooled running and start-up cost, summed over the operating years.
    pub pooled_operating: [f64; 2],
    /// Operating years (from the first operating year to the end of the horizon, at least 1).
    pub operating_years: usize,
}

impl DrawSample {
    /// `B_id` of draw `d`.
    pub fn base_of(&self, d: usize) -> &[f64] {
        &self.base[d * self.n_members..(d + 1) * self.n_members]
    }

    /// The core limits of draw `d` (`d < core_draws`).
    pub fn limits_of(&self, d: usize) -> &[f64] {
        let size = 1usize << self.n_members;
        &self.core_limits[d * size..(d + 1) * size]
    }
}

/// What one draw contributes.
#[derive(Default)]
struct Row {
    base: Vec<f64>,
    pooled: [f64; 2],
    limits: Vec<f64>,
    direct_operating: Vec<f64>,
    pooled_operating: [f64; 2],
    bad: bool,
}

/// Draws `0 … config.n_draws − 1` through the run's kernel, with core limits for the first
/// `config.stability_draws` of them when the cooperation has at most [`MAX_EXACT_MEMBERS`]
/// members.
pub fn draw_sample(model: &Model, config: &RunConfig) -> Result<DrawSample, SimulationError> {
    let n = model.n_members();
    if config.n_draws == 0 {
        return Err(SimulationError::NoDraws);
    }
    if n < 2 {
        return Err(SimulationError::TooFewMembers(n));
    }
    if model.has_events() {
        // `B − s^R P_R − s^S P_S` holds for one membership throughout; with events each year's
        // shares are renormalised over that year's members (docs/MODEL.md §10b).
        return Err(SimulationError::MembershipEvents);
    }
    if model.has_existing() {
        // The design sample's core limits come from the cost game of a cooperation started
        // from nothing; an existing cooperation's baselines are not in it (§10c).
        return Err(SimulationError::ExistingCooperation);
    }
    let kernel = Kernel::new(model, &[]);
    let exact = n <= MAX_EXACT_MEMBERS;
    let core_draws = if exact {
        config.stability_draws.min(config.n_draws)
    } else {
        0
    };
    let table = (core_draws > 0).then(|| CoalitionTable::new(model));
    let h = model.horizon_years;
    let start = model.operation_start.min(h.saturating_sub(1));
    let mut rows: Vec<Row> = Vec::with_capacity(config.n_draws as usize);
    let mut block_start = 0;
    while block_start < config.n_draws {
        let block_end = (block_start + DESIGN_BLOCK_DRAWS).min(config.n_draws);
        let design =
            ParameterDesign::build(model, config.sampling, block_start..block_end, config.seed)?;
        let chunks: Vec<Vec<Row>> = (block_start..block_end)
            .step_by(CHUNK_DRAWS as usize)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map_init(
                || (kernel.scratch(), GameBuffers::default()),
                |(s, games): &mut (DrawScratch, GameBuffers), first| {
                    let last = (first + CHUNK_DRAWS).min(block_end);
                    (first..last)
                        .map(|draw| {
                            match design.as_ref() {
                                Some(design) => design.fill_cached(
                                    model,
                                    draw,
                                    &mut s.params,
                                    &mut s.fill_cache,
                                ),
                                None => sample_parameters(model, config.seed, draw, &mut s.params),
                            }
                            kernel.flows(s, true);
                            let mut row = Row {
                                base: (0..n)
                                    .map(|i| s.standalone_npv[i] - s.direct_npv[i])
                                    .collect(),
                                pooled: s.pooled_totals(),
                                bad: !s.in_range,
                                ..Row::default()
                            };
                            let f = &s.flows;
                            row.direct_operating = (0..n)
                                .map(|i| {
                                    (start..h)
                                        .map(|t| f.direct[0][i * h + t] + f.direct[1][i * h + t])
                                        .sum()
                                })
                                .collect();
                            row.pooled_operating =
                                [0, 1].map(|c| f.pooled[c][start..h].iter().sum());
                            if let Some(table) = table.as_ref().filter(|_| draw < core_draws) {
                                stability::realise(model, table, kernel.discount(), s, games);
                                row.limits = stability::core_limits_net_of_direct(games);
                            }
                            row
                        })
                        .collect()
                },
            )
            .collect();
        rows.extend(chunks.into_iter().flatten());
        block_start = block_end;
    }
    if let Some(draw) = rows.iter().position(|r| r.bad) {
        return Err(SimulationError::NonFinite { draw: draw as u64 });
    }
    let n_draws = rows.len();
    let mut sample = DrawSample {
        n_members: n,
        n_draws,
        base: Vec::with_capacity(n_draws * n),
        pooled: Vec::with_capacity(n_draws),
        core_limits: Vec::new(),
        core_draws: core_draws as usize,
        direct_operating: vec![0.0; n],
        pooled_operating: [0.0; 2],
        operating_years: (h - start).max(1),
    };
    for row in rows {
        sample.base.extend_from_slice(&row.base);
        sample.pooled.push(row.pooled);
        sample.core_limits.extend_from_slice(&row.limits);
        for (acc, v) in sample
            .direct_operating
            .iter_mut()
            .zip(&row.direct_operating)
        {
            *acc += v / n_draws as f64;
        }
        for c in 0..2 {
            sample.pooled_operating[c] += row.pooled_operating[c] / n_draws as f64;
        }
    }
    Ok(sample)
}
