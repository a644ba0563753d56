//! Cost games from the scenario's cost model: the planning game that game-theoretic keys are
//! computed on, the realised game of each draw, and core stability.
//!
//! The NPV game of a draw is `c(S) = Σ_t d(t) · c(S, t)` (cash view) for every coalition `S`,
//! computed by [`Model::npv_game`] from discount-weighted aggregates (checked coalition by
//! coalition against [`Model::coalition_flows`], which gives standalone and cooperation
//! costs). Coalitions are bitmasks over member indices, so exact games need `n ≤`
//! [`MAX_EXACT_MEMBERS`]. This module depends on the model, the draws and the statistics
//! only.

use rayon::prelude::*;

use crate::draws::{ParameterDesign, sample_parameters, streams};
use crate::model::{
    CoalitionFlows, CoalitionTable, DrawFlows, DrawValues, Model, NpvGameTerms, Scratch,
};

/// Largest cooperation for which every coalition's cost is computed.
pub const MAX_EXACT_MEMBERS: usize = 12;

/// Random streams of the planning sample start here, far from the run's streams `0, 1, …`
/// ([`streams::PLANNING`]).
pub const PLANNING_STREAM_OFFSET: u64 = streams::PLANNING;

/// NPV cost of every coalition under one draw, `costs[mask] = [running, start-up]`, plus the
/// grand coalition's direct (per-member) and pooled parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RealisedGame {
    /// `[running, start-up]` NPV cost per coalition mask; `costs[0]` is zero.
    pub costs: Vec<[f64; 2]>,
    /// NPV each member pays itself in the grand coalition (both categories).
    pub direct: Vec<f64>,
    /// NPV of the grand coalition's pooled cost (both categories).
    pub pooled: f64,
}

impl RealisedGame {
    /// Total NPV cost of coalition `mask`.
    pub fn total(&self, mask: usize) -> f64 {
        self.costs[mask][0] + self.costs[mask][1]
    }
}

/// Reusable buffers for [`realised_game`].
#[derive(Debug, Default)]
pub struct GameScratch {
    model: Scratch,
    flows: CoalitionFlows,
    members: Vec<usize>,
    terms: NpvGameTerms,
    draw: DrawFlows,
}

/// Computes the NPV game of one evaluated draw: every coalition's cost from
/// [`Model::npv_game`], the grand coalition's direct and pooled parts from
/// [`Model::draw_flows`].
pub fn realised_game(
    model: &Model,
    v: &DrawValues,
    discount: &[f64],
    table: &CoalitionTable,
    scratch: &mut GameScratch,
    out: &mut RealisedGame,
) {
    let n = model.n_members();
    debug_assert!(n <= MAX_EXACT_MEMBERS);
    model.npv_game(v, discount, table, &mut scratch.terms, &mut out.costs);
    model.draw_flows(v, &mut scratch.draw);
    let f = &scratch.draw;
    let h = f.horizon();
    out.direct.clear();
    out.direct.extend((0..n).map(|i| {
        discount
            .iter()
            .enumerate()
            .take(h)
            .map(|(t, d)| d * (f.direct[0][i * h + t] + f.direct[1][i * h + t]))
            .sum::<f64>()
    }));
    out.pooled = discount
        .iter()
        .enumerate()
        .take(h)
        .map(|(t, d)| d * (f.pooled[0][t] + f.pooled[1][t]))
        .sum();
}

/// The NPV game of one evaluated draw computed the long way, coalition by coalition and year
/// by year with [`Model::coalition_flows`]: the reference [`realised_game`] is tested against.
pub fn realised_game_by_years(
    model: &Model,
    v: &DrawValues,
    discount: &[f64],
    out: &mut RealisedGame,
) {
    let n = model.n_members();
    let size = 1usize << n;
    let mut scratch = GameScratch::default();
    out.costs.clear();
    out.costs.resize(size, [0.0; 2]);
    out.direct.clear();
    out.direct.resize(n, 0.0);
    out.pooled = 0.0;
    for mask in 1..size {
        scratch.members.clear();
        scratch
            .members
            .extend((0..n).filter(|i| mask & (1 << i) != 0));
        for (year, d) in discount.iter().enumerate() {
            model.coalition_flows(
                v,
                &scratch.members,
                year,
                &mut scratch.model,
                &mut scratch.flows,
            );
            for c in 0..2 {
                out.costs[mask][c] +=
                    d * (scratch.flows.pooled[c] + scratch.flows.direct[c].iter().sum::<f64>());
            }
            if mask == size - 1 {
                for (i, slot) in out.direct.iter_mut().enumerate() {
                    *slot += d * (scratch.flows.direct[0][i] + scratch.flows.direct[1][i]);
                }
                out.pooled += d * (scratch.flows.pooled[0] + scratch.flows.pooled[1]);
            }
        }
    }
}

/// How the planning game summarises the planning draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlanningBasis {
    /// Expected NPV cost of every coalition.
    Mean,
    /// The given percentile (0–1) of every coalition's NPV cost, taken coalition by coalition.
    Percentile(f64),
}

/// The game on which keys agreed in advance are computed.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanningGame {
    /// Summarised game (same layout as [`RealisedGame`]).
    pub game: RealisedGame,
    /// Number of planning draws.
    pub n_draws: u64,
}

/// Builds the planning game from `n_draws` draws on streams `PLANNING_STREAM_OFFSET + d`.
/// Draws are evaluated in parallel and reduced in draw order.
pub fn planning_game(model: &Model, seed: u64, n_draws: u64, basis: PlanningBasis) -> PlanningGame {
    planning_game_weighted(
        model,
        seed,
        n_draws,
        basis,
        &model.discounting.factors(model.horizon_years),
    )
}

/// [`planning_game`] with any weights per year instead of the discount factors: weight 1 on
/// year `t` and 0 elsewhere gives the game of year `t`.
pub fn planning_game_weighted(
    model: &Model,
    seed: u64,
    n_draws: u64,
    basis: PlanningBasis,
    discount: &[f64],
) -> PlanningGame {
    let discount = discount.to_vec();
    let table = CoalitionTable::new(model);
    // The planning draws follow the run's correlations too (plain Monte Carlo rows on the
    // planning streams, with Iman–Conover when the scenario correlates parameters). A design
    // with too few rows to carry the correlations stays independent.
    let design = ParameterDesign::build(
        model,
        crate::sampling::SamplingMethod::MonteCarlo,
        PLANNING_STREAM_OFFSET..PLANNING_STREAM_OFFSET + n_draws,
        seed,
    )
    .ok()
    .flatten();
    let games: Vec<RealisedGame> = (0..n_draws)
        .into_par_iter()
        .map_init(
            || {
                (
                    vec![0.0; model.parameters.len()],
                    DrawValues::default(),
                    GameScratch::default(),
                )
            },
            |(params, values, scratch), d| {
                match &design {
                    Some(design) => design.fill(model, PLANNING_STREAM_OFFSET + d, params),
                    None => sample_parameters(model, seed, PLANNING_STREAM_OFFSET + d, params),
                }
                model.evaluate(params, values);
                let mut game = RealisedGame::default();
                realised_game(model, values, &discount, &table, scratch, &mut game);
                game
            },
        )
        .collect();
    let n = model.n_members();
    let size = 1usize << n;
    let mean = |f: &dyn Fn(&RealisedGame) -> f64| games.iter().map(f).sum::<f64>() / n_draws as f64;
    let summarise = |f: &dyn Fn(&RealisedGame) -> f64| match basis {
        PlanningBasis::Mean => mean(f),
        PlanningBasis::Percentile(p) => {
            let mut v: Vec<f64> = games.iter().map(f).collect();
            v.sort_unstable_by(f64::total_cmp);
            crate::stats::quantile_type7(&v, p)
        }
    };
    let costs = (0..size)
        .map(|m| [summarise(&|g| g.costs[m][0]), summarise(&|g| g.costs[m][1])])
        .collect();
    let direct = (0..n).map(|i| mean(&|g| g.direct[i])).collect();
    PlanningGame {
        game: RealisedGame {
            costs,
            direct,
            pooled: mean(&|g| g.pooled),
        },
        n_draws,
    }
}

/// Every coalition's cost plus the core tolerance, computed once per game for the checks of
/// several keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoreLimits {
    /// `c(S) + tol` per coalition mask.
    limits: Vec<f64>,
    /// `tol`.
    tolerance: f64,
}

impl CoreLimits {
    /// The limits of `game`, with the game crate's one core tolerance
    /// `CORE_REL_TOL · max(1, max_S |c(S)|)`, reusing the buffer.
    pub fn fill(&mut self, game: &RealisedGame) {
        self.limits.clear();
        self.limits.extend(game.costs.iter().map(|c| c[0] + c[1]));
        let scale = self.limits.iter().fold(1.0_f64, |m, c| m.max(c.abs()));
        let tolerance = samkost_game::CORE_REL_TOL * scale;
        for limit in &mut self.limits {
            *limit += tolerance;
        }
        self.tolerance = tolerance;
    }

    /// The tolerance `tol` added to every coalition's cost.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }

    /// `c(S) + tol` per coalition mask.
    pub fn limits(&self) -> &[f64] {
        &self.limits
    }

    /// Whether the payments `x` leave every proper coalition within its limit
    /// (`Σ_{i∈S} x_i ≤ c(S) + tol`); calls `tempted(mask)` for each coalition beyond it, one
    /// that would gain by breaking away.
    pub fn check(
        &self,
        payments: &[f64],
        sums: &mut Vec<f64>,
        mut tempted: impl FnMut(usize),
    ) -> bool {
        let size = self.limits.len();
        sums.clear();
        sums.resize(size, 0.0);
        // Subset sums by doubling: the coalitions whose highest member is `b` are those below
        // `2^b` with `b` added (whole-row passes, which vectorise).
        for (b, &payment) in payments.iter().enumerate() {
            let half = 1usize << b;
            if half >= size {
                break;
            }
            let (low, high) = sums.split_at_mut(half);
            for (h, l) in high[..half].iter_mut().zip(low.iter()) {
                *h = l + payment;
            }
        }
        // Proper coalitions only; a pass without branches first, since most draws of a
        // stable key have no coalition beyond its limit.
        let proper = 1..size.saturating_sub(1);
        let beyond = sums[proper.clone()]
            .iter()
            .zip(&self.limits[proper.clone()])
            .fold(false, |any, (sum, limit)| any | (sum > limit));
        if !beyond {
            return true;
        }
        for mask in proper {
            if sums[mask] > self.limits[mask] {
                tempted(mask);
            }
        }
        false
    }
}

/// NPV cost (cash, both categories) of one coalition under one evaluated draw.
pub fn coalition_npv(
    model: &Model,
    v: &DrawValues,
    discount: &[f64],
    members: &[usize],
    scratch: &mut GameScratch,
) -> f64 {
    discount
        .iter()
        .enumerate()
        .map(|(year, d)| {
            model.coalition_flows(v, members, year, &mut scratch.model, &mut scratch.flows);
            d * scratch.flows.total()
        })
        .sum()
}

/// Random coalitions checked per draw by [`check_core_sampled`].
pub const RANDOM_COALITIONS_PER_DRAW: usize = 64;

/// Core check for cooperations beyond exact reach: every singleton, every complement of a
/// singleton (the `n − 1` members that would leave one member out), and
/// [`RANDOM_COALITIONS_PER_DRAW`] coalitions drawn uniformly (each member in with probability
/// ½) from stream `stream`. A violation found is a real violation; a draw that passes may still
/// have a violating coalition that was not checked, so the fraction of stable draws is an
/// upper bound on the true core-stability probability.
#[expect(
    clippy::too_many_arguments,
    reason = "one draw, one key, explicit buffers"
)]
pub fn check_core_sampled(
    model: &Model,
    v: &DrawValues,
    discount: &[f64],
    payments: &[f64],
    seed: u64,
    stream: u64,
    scratch: &mut GameScratch,
    mut tempted: impl FnMut(&[usize]),
) -> bool {
    use rand::{RngExt, SeedableRng};
    let n = payments.len();
    // The game crate's CORE_REL_TOL on the scale of the grand coalition's cost, the largest
    // cost of a subadditive game (the full table is not computed here).
    let tolerance = sampled_core_tolerance(payments);
    let mut in_core = true;
    let mut check = |members: &[usize], scratch: &mut GameScratch| {
        let paid: f64 = members.iter().map(|&i| payments[i]).sum();
        if paid > coalition_npv(model, v, discount, members, scratch) + tolerance {
            in_core = false;
            tempted(members);
        }
    };
    let mut members = Vec::with_capacity(n);
    for i in 0..n {
        check(&[i], scratch);
        members.clear();
        members.extend((0..n).filter(|&j| j != i));
        check(&members, scratch);
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    for _ in 0..RANDOM_COALITIONS_PER_DRAW {
        members.clear();
        members.extend((0..n).filter(|_| rng.random::<bool>()));
        if members.len() >= 2 && members.len() <= n - 2 {
            check(&members, scratch);
        }
    }
    in_core
}

/// The tolerance of [`check_core_sampled`]: `CORE_REL_TOL · max(1, Σ_i |p_i|)`.
pub fn sampled_core_tolerance(payments: &[f64]) -> f64 {
    samkost_game::CORE_REL_TOL * payments.iter().map(|p| p.abs()).sum::<f64>().max(1.0)
}

/// Join orders sampled for the Shapley value beyond exact reach.
pub const SAMPLED_SHAPLEY_PERMUTATIONS: usize = 1000;

/// The Shapley value of a cooperation beyond exact reach, estimated by permutation sampling
/// (Castro, Gómez & Tejada 2009; antithetic pairs) on the NPV game at the inputs' means, with
/// the standard error of each member's value. Also returns each member's direct NPV and the
/// pooled NPV of the grand coalition at those inputs, to turn values into shares.
pub fn sampled_shapley(
    model: &Model,
    seed: u64,
) -> Result<(samkost_game::SampledShapley, Vec<f64>), samkost_game::GameError> {
    use rand::SeedableRng;
    let params: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| p.distribution.mean())
        .collect();
    let mut values = DrawValues::default();
    model.evaluate(&params, &mut values);
    let discount = model.discounting.factors(model.horizon_years);
    let n = model.n_members();
    let mut scratch = GameScratch::default();
    let mut members = Vec::with_capacity(n);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(streams::SAMPLED_SHAPLEY);
    let shapley = samkost_game::shapley_sampled(
        |inside: &[bool]| {
            members.clear();
            members.extend((0..n).filter(|&i| inside[i]));
            if members.is_empty() {
                0.0
            } else {
                coalition_npv(model, &values, &discount, &members, &mut scratch)
            }
        },
        n,
        SAMPLED_SHAPLEY_PERMUTATIONS,
        &mut rng,
    )?;
    let all: Vec<usize> = (0..n).collect();
    let mut direct = vec![0.0; n];
    for (year, d) in discount.iter().enumerate() {
        model.coalition_flows(&values, &all, year, &mut scratch.model, &mut scratch.flows);
        for (i, slot) in direct.iter_mut().enumerate() {
            *slot += d * (scratch.flows.direct[0][i] + scratch.flows.direct[1][i]);
        }
    }
    Ok((shapley, direct))
}
