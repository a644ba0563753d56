//! The Monte Carlo driver.
//!
//! Draw `d` uses its own random stream: a [`ChaCha8Rng`] seeded with the run's seed and set to
//! stream `d`. A draw's numbers therefore depend only on the seed, the inputs and `d`, never on
//! how rayon splits the work or how many draws the run has. Draws are processed in fixed-size
//! chunks in parallel; chunk results are collected in chunk order and every floating-point
//! reduction runs sequentially in draw order, so results are bit-identical for any thread
//! count.
//!
//! Memory: runs of up to `max_stored_draws` draws keep one NPV per key and member plus the
//! region's per draw — what exact type-7 P10/P50/P90 need. Longer runs keep a DDSketch per
//! column instead (relative accuracy 0.1 %), so memory does not grow with the number of draws.
//! Everything else (win counts, payback-year histograms, probability of being ahead by year,
//! means of yearly flows) is counted as the draws go. Sampling designs are built per block of
//! `DESIGN_BLOCK_DRAWS` draws.

pub(crate) mod design;
pub mod sketch;

use sketch::QuantileSketch;
mod summary;

pub use design::parameter_sample;

pub use summary::{
    PERCENTILE_LEVELS, Proportion, Summary, quantile_type1, quantile_type7,
    quantiles_type7_unsorted,
};

use rayon::prelude::*;

use crate::allocation::ResolvedKey;
use crate::games::{
    GameScratch, MAX_EXACT_MEMBERS, RealisedGame, check_core, check_core_sampled, realised_game,
};

/// Stability draws for cooperations beyond exact reach (each checks about `2n + 64` coalitions).
pub const LARGE_STABILITY_DRAWS: u64 = 200;

/// Random streams of the sampled core checks start here.
const STABILITY_STREAM_OFFSET: u64 = 1 << 60;
use crate::model::{DrawValues, Model, YearFlows, YearScratch};

/// Default of [`RunConfig::max_stored_draws`]: one million draws.
pub const DEFAULT_MAX_STORED_DRAWS: u64 = 1_000_000;

/// Draws per design block: Latin hypercube strata, Sobol' scrambles and Iman–Conover
/// reorderings are built for blocks of this many draws (a run of at most this many draws has
/// one design).
pub const DESIGN_BLOCK_DRAWS: u64 = 1 << 18;

/// Draws per chunk: the unit of parallel work and of progress reporting.
pub const CHUNK_DRAWS: u64 = 512;

/// Largest amount, in NOK, a draw may produce in any year or NPV. Far beyond any public
/// budget, and small enough that sums over a billion draws and every year stay finite, so a
/// run either fails naming the draw or gives finite summaries.
pub const MAX_ABS_NOK: f64 = 1e100;

/// Default number of draws whose members' cumulative net benefit is kept for the fan bands
/// ([`RunConfig::band_draws`]).
pub const DEFAULT_BAND_DRAWS: u64 = 10_000;

/// Most values (draws × keys × members × years) kept for the fan bands: 8 M values, 64 MB.
/// Runs that would exceed it keep fewer draws for the bands.
pub const MAX_BAND_VALUES: u64 = 8_000_000;

/// Marker for "never pays back within the horizon".
const NEVER: u16 = u16::MAX;

/// How to run the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    /// Number of draws.
    pub n_draws: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// How the parameters are sampled.
    pub sampling: crate::sampling::SamplingMethod,
    /// Runs of at most this many draws keep every draw's NPVs (exact type-7 quantiles, per-draw
    /// access); longer runs keep a quantile sketch per column instead, so memory does not grow
    /// with the number of draws ([`DEFAULT_MAX_STORED_DRAWS`]).
    pub max_stored_draws: u64,
    /// Core stability is checked on draws `0 … stability_draws − 1` (all coalitions, for up
    /// to [`MAX_EXACT_MEMBERS`] members); 0 turns it off.
    pub stability_draws: u64,
    /// The members' fan bands (P10/P50/P90 of the discounted cumulative net benefit at the end
    /// of each year, per key) come from draws `0 … band_draws − 1`, kept whole so that the
    /// quantiles are exact (type 7); capped by [`MAX_BAND_VALUES`]. 0 turns them off.
    pub band_draws: u64,
}

/// Why a run could not be carried out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulationError {
    /// Nothing to simulate.
    #[error("the number of draws must be at least 1")]
    NoDraws,
    /// A cooperation needs at least two members.
    #[error("a cooperation needs at least two members, got {0}")]
    TooFewMembers(usize),
    /// A key's shares do not match the members.
    #[error("key `{0}` does not have one share per member")]
    KeyShape(String),
    /// The sampling design could not be built.
    #[error("cannot build the sampling design: {0}")]
    Design(String),
    /// The model produced a non-finite amount, or one beyond [`MAX_ABS_NOK`].
    #[error(
        "draw {draw} produced a non-finite cost or one beyond 1e100 NOK (check expressions for division by zero or overflow)"
    )]
    NonFinite {
        /// Index of the first offending draw.
        draw: u64,
    },
}

/// Receives progress from a running simulation (the core never prints).
pub trait Progress: Sync {
    /// `n` more draws are done.
    fn advance(&self, n: u64);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _n: u64) {}
}

/// What one member gets under one key.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberOutcome {
    /// Fraction of the pooled cost the member pays in the first operating year.
    pub share_first_operating_year: f64,
    /// NPV of net benefit (standalone cost − what the member pays), NOK.
    pub npv_net_benefit: Summary,
    /// Probability that the NPV is positive.
    pub p_win: Proportion,
    /// Payback year index (type-1 P10, P50, P90); `None` where it never pays back.
    pub payback_year: [Option<u16>; 3],
    /// Probability that the discounted cumulative net benefit is positive at the end of each
    /// year.
    pub p_ahead_by_year: Vec<f64>,
    /// Mean net benefit in each year, cash view (undiscounted).
    pub mean_net_cash_by_year: Vec<f64>,
    /// Mean net benefit in each year, budget view (undiscounted).
    pub mean_net_budget_by_year: Vec<f64>,
}

/// What all members get under one key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyOutcome {
    /// Key name.
    pub name: String,
    /// Probability that every member's NPV is positive (win-win).
    pub p_all_win: Proportion,
    /// One entry per member, in member order.
    pub members: Vec<MemberOutcome>,
    /// Probability that no coalition would pay less on its own than the key makes its
    /// members pay (core stability of the realised NPV game); `None` when not checked.
    pub p_core_stable: Option<Proportion>,
    /// Standard errors of the key's shares when they were estimated by sampling.
    pub share_std_errors: Option<Vec<f64>>,
    /// The coalition most often tempted to break away (member indices) and how often; among
    /// equally frequent ones the smallest.
    pub top_breakaway: Option<(Vec<usize>, f64)>,
}

/// Mean yearly flows over the draws, NOK (undiscounted). Cash view unless named otherwise;
/// the budget view of a member adds its `accounting_*` row to the cash row.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanFlows {
    /// `standalone[member][year]`.
    pub standalone: Vec<Vec<f64>>,
    /// What each member pays itself in the cooperation: `direct[category][member][year]`.
    pub direct: [Vec<Vec<f64>>; 2],
    /// `pooled[category][year]`.
    pub pooled: [Vec<f64>; 2],
    /// Budget minus cash, member alone: `accounting_alone[member][year]`.
    pub accounting_alone: Vec<Vec<f64>>,
    /// Budget minus cash, member in the cooperation: `accounting_coop[member][year]`.
    pub accounting_coop: Vec<Vec<f64>>,
    /// Budget minus cash of the pooled running cost, shared by the running key: `[year]`.
    pub pooled_accounting: Vec<f64>,
}

impl MeanFlows {
    /// Mean yearly amount member `i` pays in the cooperation under `key` (cash).
    pub fn paid(&self, key: &ResolvedKey, i: usize, year: usize) -> f64 {
        self.direct[0][i][year]
            + self.direct[1][i][year]
            + key.shares[0][i] * self.pooled[0][year]
            + key.shares[1][i] * self.pooled[1][year]
    }

    /// Mean yearly net benefit of member `i` under `key`: cash view and budget view.
    pub fn net_benefit(&self, key: &ResolvedKey, i: usize, year: usize) -> (f64, f64) {
        let cash = self.standalone[i][year] - self.paid(key, i, year);
        let accounting = self.accounting_alone[i][year]
            - self.accounting_coop[i][year]
            - key.shares[0][i] * self.pooled_accounting[year];
        (cash, cash + accounting)
    }

    /// Mean yearly net benefit of the region: cash view and budget view.
    pub fn region_net_benefit(&self, year: usize) -> (f64, f64) {
        let n = self.standalone.len();
        let alone: f64 = (0..n).map(|i| self.standalone[i][year]).sum();
        let coop: f64 = (0..n)
            .map(|i| self.direct[0][i][year] + self.direct[1][i][year])
            .sum::<f64>()
            + self.pooled[0][year]
            + self.pooled[1][year];
        let accounting: f64 = (0..n)
            .map(|i| self.accounting_alone[i][year] - self.accounting_coop[i][year])
            .sum::<f64>()
            - self.pooled_accounting[year];
        (alone - coop, alone - coop + accounting)
    }
}

/// The results of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResults {
    /// Number of draws.
    pub n_draws: u64,
    /// NPV of the region's net benefit: Σ standalone − cost of the cooperation.
    pub region_npv: Summary,
    /// Probability that the region as a whole gains.
    pub region_p_win: Proportion,
    /// One entry per key, in key order.
    pub keys: Vec<KeyOutcome>,
    /// Mean yearly flows.
    pub mean_flows: MeanFlows,
    /// The region's discounted cumulative net benefit at the end of each year: P10, P50, P90
    /// (from quantile sketches, within 0.1 % relative accuracy).
    pub region_cumulative_bands: Vec<[f64; 3]>,
    /// Year index of the cooperation's first operating year, if within the horizon.
    pub first_operating_year: Option<usize>,
    /// Draws the members' fan bands were computed from (0: no bands).
    pub band_draws: u64,
    /// Members' fan bands: P10, P50, P90 of the discounted cumulative net benefit at the end of
    /// each year, indexed `[(key × members + member) × horizon + year]` (type 7 over the first
    /// [`Self::band_draws`] draws); empty when `band_draws` is 0.
    member_bands: Vec<[f64; 3]>,
    horizon: usize,
    /// Draws on which core stability was checked (0: not checked).
    pub stability_draws: u64,
    /// Draws × ex-post methods that failed and fell back to the planning shares.
    pub ex_post_fallbacks: u64,
    /// Per-draw NPVs: `draw_npv[draw * stride + col]`, columns = keys × members, then region;
    /// `None` when the run was too long to keep them.
    draw_npv: Option<Vec<f64>>,
    /// Per column quantile sketches, for runs that did not keep every draw.
    sketches: Option<Vec<QuantileSketch>>,
    stride: usize,
}

impl RunResults {
    /// Whether the run kept every draw's NPVs (runs up to [`RunConfig::max_stored_draws`]).
    pub fn draws_kept(&self) -> bool {
        self.draw_npv.is_some()
    }

    /// NPV of net benefit of `member` under `key` in draw `draw`; `None` when the run did not
    /// keep its draws.
    pub fn draw_member_npv(&self, key: usize, member: usize, draw: usize) -> Option<f64> {
        let n_members = self.keys.first().map_or(0, |k| k.members.len());
        self.draw_npv.as_ref().and_then(|v| {
            v.get(draw * self.stride + key * n_members + member)
                .copied()
        })
    }

    /// NPV of the region's net benefit in draw `draw`; `None` when the run did not keep its
    /// draws.
    pub fn draw_region_npv(&self, draw: usize) -> Option<f64> {
        self.draw_npv
            .as_ref()
            .and_then(|v| v.get(draw * self.stride + self.stride - 1).copied())
    }

    /// P10, P50, P90 of `member`'s discounted cumulative net benefit under `key` at the end of
    /// year index `year`, over the first [`Self::band_draws`] draws; `None` without bands.
    pub fn member_band(&self, key: usize, member: usize, year: usize) -> Option<[f64; 3]> {
        let n_members = self.keys.first().map_or(0, |k| k.members.len());
        if year >= self.horizon || member >= n_members {
            return None;
        }
        self.member_bands
            .get((key * n_members + member) * self.horizon + year)
            .copied()
    }

    /// The quantile sketch of `member`'s NPV under `key` (`None` for the region's column index
    /// semantics: pass `member == n` for the region), for runs that did not keep their draws.
    pub fn column_sketch(&self, key: usize, member: usize) -> Option<&QuantileSketch> {
        let n_members = self.keys.first().map_or(0, |k| k.members.len());
        let col = if member >= n_members {
            self.stride - 1
        } else {
            key * n_members + member
        };
        self.sketches.as_ref().and_then(|s| s.get(col))
    }
}

/// Per-chunk output, merged in chunk order.
struct ChunkOutput {
    /// Per-draw NPV rows of the chunk.
    npv: Vec<f64>,
    /// Per draw: the region's discounted cumulative net benefit at the end of each year.
    region_cumulative: Vec<f64>,
    /// Per band draw (see [`Layout::band_draws`]): every member's discounted cumulative net
    /// benefit under every key at the end of each year, `[(key × members + member) × horizon
    /// + year]`.
    band: Vec<f64>,
    /// Per column: draws with a positive NPV.
    wins: Vec<u64>,
    /// Per key: draws in which every member's NPV is positive.
    all_win: Vec<u64>,
    /// Per key × member column: payback year counts, index `horizon` = never.
    payback: Vec<u64>,
    ahead: Vec<u64>,
    flows: Vec<f64>,
    first_bad_draw: Option<u64>,
    /// Per key: draws whose payments were in the core of the realised game.
    stable: Vec<u64>,
    /// Per key and coalition mask: draws in which the coalition would gain by leaving.
    tempted: Vec<u64>,
    /// Draws whose stability was checked.
    stability_checked: u64,
    /// Beyond exact reach: per key, counts of the tempted coalitions found.
    tempted_sampled: Vec<std::collections::BTreeMap<Vec<usize>, u64>>,
    /// Ex-post keys whose method failed on a draw (the planning shares were used instead).
    ex_post_fallbacks: u64,
}

/// Runs the simulation.
pub fn run(
    model: &Model,
    keys: &[ResolvedKey],
    config: &RunConfig,
    progress: &dyn Progress,
) -> Result<RunResults, SimulationError> {
    let n = model.n_members();
    if config.n_draws == 0 {
        return Err(SimulationError::NoDraws);
    }
    if n < 2 {
        return Err(SimulationError::TooFewMembers(n));
    }
    if let Some(bad) = keys.iter().find(|k| k.shares.iter().any(|s| s.len() != n)) {
        return Err(SimulationError::KeyShape(bad.name.clone()));
    }
    let mut layout = Layout::new(model, keys, config);
    let mut totals = Totals::new(&layout, config.n_draws);
    // Designs (Latin hypercube, Sobol', correlated samples) are built block by block, so that
    // memory does not grow with the number of draws; within a block, chunks run in parallel
    // and are merged in order.
    let mut block_start = 0;
    while block_start < config.n_draws {
        let block_end = (block_start + DESIGN_BLOCK_DRAWS).min(config.n_draws);
        layout.design = design::ParameterDesign::build(
            model,
            config.sampling,
            block_start..block_end,
            config.seed,
        )?;
        let n_chunks = (block_end - block_start).div_ceil(CHUNK_DRAWS);
        let chunks: Vec<ChunkOutput> = (0..n_chunks)
            .into_par_iter()
            .map(|chunk| {
                let start = block_start + chunk * CHUNK_DRAWS;
                let end = (start + CHUNK_DRAWS).min(block_end);
                let out = simulate_chunk(model, keys, &layout, config.seed, start..end);
                progress.advance(end - start);
                out
            })
            .collect();
        if let Some(draw) = chunks.iter().find_map(|c| c.first_bad_draw) {
            return Err(SimulationError::NonFinite { draw });
        }
        for chunk in chunks {
            totals.add(chunk, layout.store_draws);
        }
        block_start = block_end;
    }
    Ok(summarise(model, keys, &layout, config.n_draws, totals))
}

/// Sizes of the per-draw and accumulated arrays.
struct Layout {
    n_members: usize,
    n_keys: usize,
    horizon: usize,
    /// keys × members + 1 (region).
    stride: usize,
    discount: Vec<f64>,
    /// Draws below this index get a realised game for the stability check.
    stability_draws: u64,
    /// Some key is recomputed on every draw's realised game.
    any_ex_post: bool,
    /// Coalitions per game (`2^n`), or 0 when games are out of reach.
    n_masks: usize,
    /// The run's design, unless plain Monte Carlo without correlations.
    design: Option<design::ParameterDesign>,
    /// Keep every draw's NPVs (exact quantiles) or sketch them (bounded memory).
    store_draws: bool,
    /// Draws below this index keep their members' yearly cumulative net benefit (fan bands).
    band_draws: u64,
}

impl Layout {
    fn new(model: &Model, keys: &[ResolvedKey], config: &RunConfig) -> Self {
        let n_members = model.n_members();
        let exact = n_members <= MAX_EXACT_MEMBERS;
        Self {
            n_members,
            n_keys: keys.len(),
            horizon: model.horizon_years,
            stride: keys.len() * n_members + 1,
            discount: model.discounting.factors(model.horizon_years),
            stability_draws: if exact {
                config.stability_draws.min(config.n_draws)
            } else if n_members <= 1024 {
                config
                    .stability_draws
                    .min(config.n_draws)
                    .min(LARGE_STABILITY_DRAWS)
            } else {
                0
            },
            any_ex_post: exact && keys.iter().any(ResolvedKey::is_ex_post),
            n_masks: if exact { 1 << n_members } else { 0 },
            design: None,
            store_draws: config.n_draws <= config.max_stored_draws,
            band_draws: {
                let per_draw = (keys.len() * n_members * model.horizon_years).max(1) as u64;
                config
                    .band_draws
                    .min(config.n_draws)
                    .min(MAX_BAND_VALUES / per_draw)
            },
        }
    }

    fn needs_game(&self, draw: u64) -> bool {
        self.any_ex_post || (self.n_masks > 0 && draw < self.stability_draws)
    }

    /// Accumulated flows: rows of `horizon` values — standalone, direct running, direct
    /// start-up, accounting alone, accounting in the cooperation (each per member), then
    /// pooled running and pooled start-up.
    fn flows_len(&self) -> usize {
        (5 * self.n_members + 3) * self.horizon
    }
}

/// Reusable buffers of one worker.
struct Scratch {
    params: Vec<f64>,
    values: DrawValues,
    model: YearScratch,
    flows: YearFlows,
    cumulative: Vec<f64>,
    payback: Vec<u16>,
    game: RealisedGame,
    game_scratch: GameScratch,
    /// Shares used in this draw, per key: `[category][member]`.
    shares: Vec<[Vec<f64>; 2]>,
    standalone_npv: Vec<f64>,
    payments: Vec<f64>,
    sums: Vec<f64>,
    /// This draw's NPVs (keys × members, then the region).
    row: Vec<f64>,
    /// This draw's regional discounted cumulative net benefit by year.
    region_cumulative: Vec<f64>,
    /// This draw's cumulative net benefit per key × member column and year (band draws only).
    band: Vec<f64>,
}

fn simulate_chunk(
    model: &Model,
    keys: &[ResolvedKey],
    layout: &Layout,
    seed: u64,
    draws: std::ops::Range<u64>,
) -> ChunkOutput {
    let n_draws = (draws.end - draws.start) as usize;
    let cols = layout.n_keys * layout.n_members;
    let stride = layout.stride;
    let horizon = layout.horizon;
    let mut out = ChunkOutput {
        npv: vec![0.0; n_draws * stride],
        region_cumulative: vec![0.0; n_draws * horizon],
        band: Vec::new(),
        wins: vec![0; stride],
        all_win: vec![0; layout.n_keys],
        payback: vec![0; cols * (horizon + 1)],
        ahead: vec![0; cols * horizon],
        flows: vec![0.0; layout.flows_len()],
        first_bad_draw: None,
        stable: vec![0; layout.n_keys],
        tempted: vec![0; layout.n_keys * layout.n_masks],
        stability_checked: 0,
        ex_post_fallbacks: 0,
        tempted_sampled: vec![std::collections::BTreeMap::new(); layout.n_keys],
    };
    let mut scratch = Scratch {
        params: vec![0.0; model.parameters.len()],
        values: DrawValues::default(),
        model: YearScratch::default(),
        flows: YearFlows::default(),
        cumulative: vec![0.0; cols],
        payback: vec![NEVER; cols],
        game: RealisedGame::default(),
        game_scratch: GameScratch::default(),
        shares: keys.iter().map(|k| k.shares.clone()).collect(),
        standalone_npv: vec![0.0; layout.n_members],
        payments: vec![0.0; layout.n_members],
        sums: Vec::new(),
        row: vec![0.0; stride],
        region_cumulative: vec![0.0; horizon],
        band: vec![0.0; cols * horizon],
    };
    let n = layout.n_members;
    for (local, draw) in draws.enumerate() {
        simulate_draw(model, keys, layout, seed, draw, &mut scratch, &mut out);
        let row = &scratch.row;
        if !row.iter().all(|v| v.abs() <= MAX_ABS_NOK) {
            out.first_bad_draw.get_or_insert(draw);
            continue;
        }
        out.npv[local * stride..(local + 1) * stride].copy_from_slice(row);
        out.region_cumulative[local * horizon..(local + 1) * horizon]
            .copy_from_slice(&scratch.region_cumulative);
        if draw < layout.band_draws {
            out.band.extend_from_slice(&scratch.band);
        }
        for (c, &v) in row.iter().enumerate() {
            out.wins[c] += u64::from(v > 0.0);
        }
        for k in 0..layout.n_keys {
            out.all_win[k] += u64::from(row[k * n..(k + 1) * n].iter().all(|v| *v > 0.0));
        }
        for (col, &year) in scratch.payback.iter().enumerate() {
            let bin = if year == NEVER {
                horizon
            } else {
                usize::from(year)
            };
            out.payback[col * (horizon + 1) + bin] += 1;
        }
    }
    out
}

/// Simulates one draw: fills `scratch.row` with its NPVs and updates the chunk's accumulators.
fn simulate_draw(
    model: &Model,
    keys: &[ResolvedKey],
    layout: &Layout,
    seed: u64,
    draw: u64,
    scratch: &mut Scratch,
    out: &mut ChunkOutput,
) {
    let n = layout.n_members;
    let horizon = layout.horizon;
    match &layout.design {
        Some(design) => design.fill(model, draw, &mut scratch.params),
        None => design::sample_parameters(model, seed, draw, &mut scratch.params),
    }
    model.evaluate(&scratch.params, &mut scratch.values);
    let with_game = layout.needs_game(draw);
    let keep_band = draw < layout.band_draws;
    if with_game {
        realised_game(
            model,
            &scratch.values,
            &layout.discount,
            &mut scratch.game_scratch,
            &mut scratch.game,
        );
        out.ex_post_fallbacks += ex_post_shares(keys, &scratch.game, &mut scratch.shares);
    }
    scratch.cumulative.fill(0.0);
    scratch.payback.fill(NEVER);
    scratch.standalone_npv.fill(0.0);
    let row = &mut scratch.row;
    row.fill(0.0);
    for year in 0..horizon {
        model.year_flows(
            &scratch.values,
            year,
            &mut scratch.model,
            &mut scratch.flows,
        );
        let flows = &scratch.flows;
        let df = layout.discount[year];
        accumulate_flows(&mut out.flows, flows, n, horizon, year);
        if !flows_in_range(flows) {
            // Marks the draw as bad (see `simulate_chunk`) even when huge flows cancel out.
            row[layout.stride - 1] = f64::NAN;
        }
        let pooled = flows.cooperation.pooled;
        let alone_total: f64 = flows.standalone.iter().sum();
        row[layout.stride - 1] += df * (alone_total - flows.cooperation.total());
        scratch.region_cumulative[year] = row[layout.stride - 1];
        for (i, s) in scratch.standalone_npv.iter_mut().enumerate() {
            *s += df * flows.standalone[i];
        }
        for (k, shares) in scratch.shares.iter().enumerate() {
            #[expect(clippy::needless_range_loop, reason = "i indexes five parallel arrays")]
            for i in 0..n {
                let col = k * n + i;
                let paid = flows.direct(i) + shares[0][i] * pooled[0] + shares[1][i] * pooled[1];
                let net = df * (flows.standalone[i] - paid);
                row[col] += net;
                scratch.cumulative[col] += net;
                if keep_band {
                    scratch.band[col * horizon + year] = scratch.cumulative[col];
                }
                update_payback(&mut scratch.payback[col], scratch.cumulative[col], year);
                if scratch.cumulative[col] > 0.0 {
                    out.ahead[col * horizon + year] += 1;
                }
            }
        }
    }
    if draw < layout.stability_draws {
        out.stability_checked += 1;
        for k in 0..layout.n_keys {
            for i in 0..n {
                scratch.payments[i] = scratch.standalone_npv[i] - row[k * n + i];
            }
            let stable = if layout.n_masks > 0 {
                let tempted = &mut out.tempted[k * layout.n_masks..(k + 1) * layout.n_masks];
                check_core(
                    &scratch.game,
                    &scratch.payments,
                    &mut scratch.sums,
                    |mask| tempted[mask] += 1,
                )
            } else {
                let found = &mut out.tempted_sampled[k];
                let stream = STABILITY_STREAM_OFFSET + draw * layout.n_keys as u64 + k as u64;
                check_core_sampled(
                    model,
                    &scratch.values,
                    &layout.discount,
                    &scratch.payments,
                    seed,
                    stream,
                    &mut scratch.game_scratch,
                    |members| {
                        *found.entry(members.to_vec()).or_insert(0) += 1;
                    },
                )
            };
            if stable {
                out.stable[k] += 1;
            }
        }
    }
}

/// Recomputes the shares of ex-post keys on this draw's realised game; returns how many
/// methods failed (their planning shares are kept for this draw).
fn ex_post_shares(keys: &[ResolvedKey], game: &RealisedGame, shares: &mut [[Vec<f64>; 2]]) -> u64 {
    let mut failures = 0;
    for (key, slot) in keys.iter().zip(shares.iter_mut()) {
        for (c, method) in key.ex_post.iter().enumerate() {
            let Some(method) = method else { continue };
            match method.shares(game) {
                Ok(s) => slot[c] = s,
                Err(_) => {
                    slot[c].clone_from(&key.shares[c]);
                    failures += 1;
                }
            }
        }
    }
    failures
}

/// Payback is the first year from which the cumulative discounted net benefit stays positive.
fn update_payback(payback: &mut u16, cumulative: f64, year: usize) {
    if cumulative > 0.0 {
        if *payback == NEVER {
            *payback = year as u16;
        }
    } else {
        *payback = NEVER;
    }
}

/// Whether every amount of a year's flows is finite and at most [`MAX_ABS_NOK`].
fn flows_in_range(flows: &YearFlows) -> bool {
    let coop = &flows.cooperation;
    flows
        .standalone
        .iter()
        .chain(&flows.accounting_alone)
        .chain(coop.direct.iter().flatten())
        .chain(&coop.accounting)
        .chain(&coop.pooled)
        .chain([&coop.pooled_accounting])
        .all(|v| v.abs() <= MAX_ABS_NOK)
}

fn accumulate_flows(acc: &mut [f64], flows: &YearFlows, n: usize, horizon: usize, year: usize) {
    let coop = &flows.cooperation;
    for i in 0..n {
        acc[i * horizon + year] += flows.standalone[i];
        acc[(n + i) * horizon + year] += coop.direct[0][i];
        acc[(2 * n + i) * horizon + year] += coop.direct[1][i];
        acc[(3 * n + i) * horizon + year] += flows.accounting_alone[i];
        acc[(4 * n + i) * horizon + year] += coop.accounting[i];
    }
    acc[5 * n * horizon + year] += coop.pooled[0];
    acc[(5 * n + 1) * horizon + year] += coop.pooled[1];
    acc[(5 * n + 2) * horizon + year] += coop.pooled_accounting;
}

fn summarise(
    model: &Model,
    keys: &[ResolvedKey],
    layout: &Layout,
    n_draws: u64,
    acc: Totals,
) -> RunResults {
    let (n, horizon, stride) = (layout.n_members, layout.horizon, layout.stride);
    let cols = layout.n_keys * n;
    let mean_flows = mean_flows(&acc.flow_sums, n, horizon, n_draws);
    let first_operating_year = (model.operation_start < horizon).then_some(model.operation_start);
    let mut column = Vec::new();
    let mut summary_of = |c: usize| -> Summary {
        if layout.store_draws {
            column.clear();
            column.extend(acc.draw_npv.iter().skip(c).step_by(stride).copied());
            Summary::from_values(&mut column)
        } else {
            Summary::from_sketch(&acc.sketches[c], acc.sums[c], n_draws)
        }
    };
    let region_npv = summary_of(stride - 1);
    let mut member_summaries: Vec<Summary> = (0..cols).map(&mut summary_of).collect();
    let keys_out = keys
        .iter()
        .enumerate()
        .map(|(k, key)| {
            let members = (0..n)
                .map(|i| {
                    let col = k * n + i;
                    let hist = &acc.payback[col * (horizon + 1)..(col + 1) * (horizon + 1)];
                    MemberOutcome {
                        share_first_operating_year: first_year_share(
                            key,
                            &mean_flows,
                            first_operating_year,
                            i,
                        ),
                        npv_net_benefit: std::mem::replace(
                            &mut member_summaries[col],
                            Summary::from_values(&mut [0.0]),
                        ),
                        p_win: Proportion::from_count(acc.wins[col], n_draws),
                        payback_year: [0.1, 0.5, 0.9].map(|p| payback_quantile(hist, p)),
                        p_ahead_by_year: (0..horizon)
                            .map(|t| acc.ahead[col * horizon + t] as f64 / n_draws as f64)
                            .collect(),
                        mean_net_cash_by_year: (0..horizon)
                            .map(|t| mean_flows.net_benefit(key, i, t).0)
                            .collect(),
                        mean_net_budget_by_year: (0..horizon)
                            .map(|t| mean_flows.net_benefit(key, i, t).1)
                            .collect(),
                    }
                })
                .collect();
            KeyOutcome {
                name: key.name.clone(),
                p_all_win: Proportion::from_count(acc.all_win[k], n_draws),
                members,
                share_std_errors: key.share_std_errors.clone(),
                p_core_stable: (acc.checked > 0)
                    .then(|| Proportion::from_count(acc.stable[k], acc.checked)),
                top_breakaway: acc.top_breakaway(layout, k),
            }
        })
        .collect();
    RunResults {
        n_draws,
        region_npv,
        region_p_win: Proportion::from_count(acc.wins[stride - 1], n_draws),
        keys: keys_out,
        mean_flows,
        first_operating_year,
        band_draws: layout.band_draws,
        member_bands: member_bands(acc.band, layout.band_draws as usize),
        horizon,
        region_cumulative_bands: acc
            .region_yearly
            .iter()
            .map(|s| [0.1, 0.5, 0.9].map(|p| s.quantile(p).unwrap_or(f64::NAN)))
            .collect(),
        stability_draws: acc.checked,
        ex_post_fallbacks: acc.fallbacks,
        draw_npv: if layout.store_draws {
            Some(acc.draw_npv)
        } else {
            None
        },
        sketches: if layout.store_draws {
            None
        } else {
            Some(acc.sketches)
        },
        stride,
    }
}

/// P10/P50/P90 of every (column, year) of the band draws, from their column-major values
/// (`draws` values per column), in parallel over columns (each column's result depends on its
/// values only, so the thread count changes nothing).
fn member_bands(mut band: Vec<f64>, draws: usize) -> Vec<[f64; 3]> {
    if band.is_empty() || draws == 0 {
        return Vec::new();
    }
    band.par_chunks_mut(draws)
        .map(|column| quantiles_type7_unsorted(column, [0.1, 0.5, 0.9]))
        .collect()
}

/// Type-1 quantile of payback years from their histogram (last bin: never).
fn payback_quantile(hist: &[u64], p: f64) -> Option<u16> {
    let n: u64 = hist.iter().sum();
    let k = ((n as f64 * p.clamp(0.0, 1.0)).ceil() as u64).clamp(1, n.max(1));
    let mut seen = 0;
    for (year, c) in hist.iter().enumerate() {
        seen += c;
        if seen >= k {
            return (year + 1 < hist.len()).then_some(year as u16);
        }
    }
    None
}

/// Everything the chunks accumulated, merged in chunk order.
struct Totals {
    /// Per year: sketch of the region's discounted cumulative net benefit.
    region_yearly: Vec<QuantileSketch>,
    /// The band draws' cumulative net benefit, column-major: `band[column × band_draws + draw]`
    /// with columns `(key × members + member) × horizon + year`.
    band: Vec<f64>,
    /// Band draws stored so far.
    band_filled: usize,
    /// Values per band draw: keys × members × years.
    band_width: usize,
    draw_npv: Vec<f64>,
    sketches: Vec<QuantileSketch>,
    sums: Vec<(f64, f64)>,
    wins: Vec<u64>,
    all_win: Vec<u64>,
    payback: Vec<u64>,
    ahead: Vec<u64>,
    flow_sums: Vec<f64>,
    stable: Vec<u64>,
    tempted: Vec<u64>,
    sampled: Vec<std::collections::BTreeMap<Vec<usize>, u64>>,
    checked: u64,
    fallbacks: u64,
}

fn add_counts(into: &mut [u64], from: &[u64]) {
    into.iter_mut().zip(from).for_each(|(a, c)| *a += c);
}

impl Totals {
    fn new(layout: &Layout, n_draws: u64) -> Self {
        let (stride, cols) = (layout.stride, layout.n_keys * layout.n_members);
        Self {
            region_yearly: vec![
                QuantileSketch::new(sketch::DEFAULT_RELATIVE_ACCURACY);
                layout.horizon
            ],
            band: vec![
                0.0;
                layout.band_draws as usize
                    * layout.n_keys
                    * layout.n_members
                    * layout.horizon
            ],
            band_filled: 0,
            band_width: layout.n_keys * layout.n_members * layout.horizon,
            draw_npv: if layout.store_draws {
                Vec::with_capacity(n_draws as usize * stride)
            } else {
                Vec::new()
            },
            sketches: if layout.store_draws {
                Vec::new()
            } else {
                vec![QuantileSketch::new(sketch::DEFAULT_RELATIVE_ACCURACY); stride]
            },
            sums: vec![(0.0, 0.0); stride],
            wins: vec![0; stride],
            all_win: vec![0; layout.n_keys],
            payback: vec![0; cols * (layout.horizon + 1)],
            ahead: vec![0; cols * layout.horizon],
            flow_sums: vec![0.0; layout.flows_len()],
            stable: vec![0; layout.n_keys],
            tempted: vec![0; layout.n_keys * layout.n_masks],
            sampled: vec![std::collections::BTreeMap::new(); layout.n_keys],
            checked: 0,
            fallbacks: 0,
        }
    }

    fn add(&mut self, chunk: ChunkOutput, store_draws: bool) {
        let horizon = self.region_yearly.len();
        for row in chunk.region_cumulative.chunks(horizon.max(1)) {
            for (sketch, &v) in self.region_yearly.iter_mut().zip(row) {
                if v.is_finite() {
                    sketch.add(v);
                }
            }
        }
        // Rows of the chunk (one per band draw, in draw order) into the columns.
        if let Some(draws) = self.band.len().checked_div(self.band_width) {
            for row in chunk.band.chunks_exact(self.band_width) {
                for (c, &v) in row.iter().enumerate() {
                    self.band[c * draws + self.band_filled] = v;
                }
                self.band_filled += 1;
            }
        }
        if store_draws {
            self.draw_npv.extend_from_slice(&chunk.npv);
        } else {
            // Sketches and sums take the draws one by one, in draw order.
            let stride = self.sums.len();
            for row in chunk.npv.chunks(stride) {
                for ((sketch, sums), &v) in
                    self.sketches.iter_mut().zip(self.sums.iter_mut()).zip(row)
                {
                    if v.is_finite() {
                        sketch.add(v);
                        sums.0 += v;
                        sums.1 += v * v;
                    }
                }
            }
        }
        add_counts(&mut self.wins, &chunk.wins);
        add_counts(&mut self.all_win, &chunk.all_win);
        add_counts(&mut self.payback, &chunk.payback);
        add_counts(&mut self.ahead, &chunk.ahead);
        add_counts(&mut self.stable, &chunk.stable);
        add_counts(&mut self.tempted, &chunk.tempted);
        self.flow_sums
            .iter_mut()
            .zip(&chunk.flows)
            .for_each(|(a, c)| *a += c);
        for (total, found) in self.sampled.iter_mut().zip(&chunk.tempted_sampled) {
            for (members, c) in found {
                *total.entry(members.clone()).or_insert(0) += c;
            }
        }
        self.checked += chunk.stability_checked;
        self.fallbacks += chunk.ex_post_fallbacks;
    }

    /// The coalition most often tempted to leave under key `k` (among equally frequent ones,
    /// the smallest), and the fraction of checked draws in which it was.
    fn top_breakaway(&self, layout: &Layout, k: usize) -> Option<(Vec<usize>, f64)> {
        let n = layout.n_members;
        let checked = self.checked as f64;
        let counts = &self.tempted[k * layout.n_masks..(k + 1) * layout.n_masks];
        counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .max_by_key(|(m, c)| (**c, std::cmp::Reverse((m.count_ones(), *m))))
            .map(|(mask, c)| {
                (
                    (0..n).filter(|i| mask & (1 << i) != 0).collect(),
                    *c as f64 / checked,
                )
            })
            .or_else(|| {
                self.sampled[k]
                    .iter()
                    .max_by_key(|(m, c)| (**c, std::cmp::Reverse((m.len(), (*m).clone()))))
                    .map(|(m, c)| (m.clone(), *c as f64 / checked))
            })
    }
}

fn mean_flows(sums: &[f64], n: usize, horizon: usize, n_draws: u64) -> MeanFlows {
    let row = |r: usize| -> Vec<f64> {
        sums[r * horizon..(r + 1) * horizon]
            .iter()
            .map(|s| s / n_draws as f64)
            .collect()
    };
    MeanFlows {
        standalone: (0..n).map(row).collect(),
        direct: [
            (n..2 * n).map(row).collect(),
            (2 * n..3 * n).map(row).collect(),
        ],
        accounting_alone: (3 * n..4 * n).map(row).collect(),
        accounting_coop: (4 * n..5 * n).map(row).collect(),
        pooled: [row(5 * n), row(5 * n + 1)],
        pooled_accounting: row(5 * n + 2),
    }
}

/// Share of the expected pooled cost of the first operating year that the key puts on `member`.
fn first_year_share(
    key: &ResolvedKey,
    flows: &MeanFlows,
    year: Option<usize>,
    member: usize,
) -> f64 {
    let Some(t) = year else {
        return key.shares[0][member];
    };
    let (running, startup) = (flows.pooled[0][t], flows.pooled[1][t]);
    let total = running + startup;
    if total == 0.0 {
        return key.shares[0][member];
    }
    (key.shares[0][member] * running + key.shares[1][member] * startup) / total
}

/// How the planning game of game-theoretic keys is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanningConfig {
    /// Planning draws (streams separate from the run's).
    pub n_draws: u64,
    /// Mean or percentile of each coalition's cost.
    pub basis: crate::games::PlanningBasis,
}

impl Default for PlanningConfig {
    fn default() -> Self {
        Self {
            n_draws: 1000,
            basis: crate::games::PlanningBasis::Mean,
        }
    }
}

/// Fixes every key's shares before the run, as they would be agreed before costs are known.
/// Game-theoretic rules are computed on the planning game, built only when a key needs it.
pub fn resolve_keys(
    model: &Model,
    keys: &[crate::allocation::Key],
    seed: u64,
    planning: &PlanningConfig,
) -> Result<(Vec<ResolvedKey>, Option<crate::games::PlanningGame>), crate::allocation::KeyError> {
    use crate::allocation::{KeyContext, KeyError};
    let needs_game = keys.iter().any(ResolvedKey::needs_game);
    if needs_game && model.n_members() > MAX_EXACT_MEMBERS {
        return resolve_keys_sampled(model, keys, seed).map(|k| (k, None));
    }
    let game = needs_game
        .then(|| crate::games::planning_game(model, seed, planning.n_draws.max(1), planning.basis));
    let ctx = KeyContext {
        drivers: &model.drivers,
        n_members: model.n_members(),
        planning: game.as_ref().map(|g| &g.game),
    };
    let resolved = keys
        .iter()
        .map(|k| {
            k.resolve(&ctx)
                .map_err(|e| KeyError::Game(format!("key `{}`: {e}", k.name)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((resolved, game))
}

/// Buffers for [`evaluate_draw`].
#[derive(Debug, Default)]
pub struct DrawScratch {
    values: DrawValues,
    model: YearScratch,
    flows: YearFlows,
}

/// The NPVs of one draw with the given parameter values (in model order): entry `k·n + i` is
/// member `i`'s NPV of net benefit under key `k` (planning shares; ex-post rules are not
/// recomputed), the last entry the region's. The same arithmetic as [`run`] (tested), for
/// sensitivity analyses that choose the parameter values themselves.
pub fn evaluate_draw(
    model: &Model,
    keys: &[ResolvedKey],
    params: &[f64],
    discount: &[f64],
    scratch: &mut DrawScratch,
) -> Vec<f64> {
    let n = model.n_members();
    let mut row = vec![0.0; keys.len() * n + 1];
    model.evaluate(params, &mut scratch.values);
    for (year, df) in discount.iter().enumerate() {
        model.year_flows(
            &scratch.values,
            year,
            &mut scratch.model,
            &mut scratch.flows,
        );
        let flows = &scratch.flows;
        let pooled = flows.cooperation.pooled;
        let alone_total: f64 = flows.standalone.iter().sum();
        row[keys.len() * n] += df * (alone_total - flows.cooperation.total());
        for (k, key) in keys.iter().enumerate() {
            for i in 0..n {
                let paid =
                    flows.direct(i) + key.shares[0][i] * pooled[0] + key.shares[1][i] * pooled[1];
                row[k * n + i] += df * (flows.standalone[i] - paid);
            }
        }
    }
    row
}

/// Keys of a cooperation beyond exact reach: the Shapley value is estimated by permutation
/// sampling (its standard errors are kept with the key); other game-theoretic rules need every
/// coalition and are refused.
fn resolve_keys_sampled(
    model: &Model,
    keys: &[crate::allocation::Key],
    seed: u64,
) -> Result<Vec<ResolvedKey>, crate::allocation::KeyError> {
    use crate::allocation::{GameMethod, KeyContext, KeyError, KeyRule};
    let n = model.n_members();
    for key in keys {
        for rule in [&key.running, &key.startup] {
            if let KeyRule::Game { method } = rule
                && *method != GameMethod::Shapley
            {
                return Err(KeyError::Game(format!(
                    "key `{}`: for more than {MAX_EXACT_MEMBERS} members only the Shapley value can be used as a game-theoretic key (it is estimated by sampling); the other concepts need the cost of all 2^{n} coalitions",
                    key.name
                )));
            }
        }
        if key.ex_post && ResolvedKey::needs_game(key) {
            return Err(KeyError::Game(format!(
                "key `{}`: ex-post game keys need at most {MAX_EXACT_MEMBERS} members",
                key.name
            )));
        }
    }
    let (shapley, direct) =
        crate::games::sampled_shapley(model, seed).map_err(|e| KeyError::Game(e.to_string()))?;
    let pooled: f64 = shapley.values.iter().zip(&direct).map(|(x, d)| x - d).sum();
    if !pooled.is_finite() || pooled.abs() < 1e-9 {
        return Err(KeyError::Game(
            "the cooperation has no pooled cost to share".to_owned(),
        ));
    }
    let shares: Vec<f64> = shapley
        .values
        .iter()
        .zip(&direct)
        .map(|(x, d)| (x - d) / pooled)
        .collect();
    let share_se: Vec<f64> = shapley
        .std_errors
        .iter()
        .map(|se| se / pooled.abs())
        .collect();
    let ctx = KeyContext {
        drivers: &model.drivers,
        n_members: n,
        planning: None,
    };
    keys.iter()
        .map(|key| {
            let rule_shares = |rule: &KeyRule| match rule {
                KeyRule::Game { .. } => Ok(shares.clone()),
                other => other.shares(&ctx),
            };
            let resolved = ResolvedKey {
                name: key.name.clone(),
                shares: [rule_shares(&key.running)?, rule_shares(&key.startup)?],
                ex_post: [None, None],
                share_std_errors: ResolvedKey::needs_game(key).then(|| share_se.clone()),
            };
            Ok(resolved)
        })
        .collect::<Result<Vec<_>, KeyError>>()
        .map_err(|e| KeyError::Game(e.to_string()))
}
