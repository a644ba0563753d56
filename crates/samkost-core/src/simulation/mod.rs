//! The Monte Carlo driver.
//!
//! Draw `d` uses its own random stream (see [`crate::draws::streams`]): a draw's numbers depend
//! only on the seed, the inputs and `d`, never on how rayon splits the work or how many draws
//! the run has. The work is split by job:
//!
//! | file | job |
//! |---|---|
//! | `events.rs` | membership events: the year each takes effect in a draw, every key's net benefit with each year's members and the events' transfers |
//! | `component_keys.rs` | keys per component: their cumulative net benefits and payments from each named component's pooled running cost, entered only when such a key exists |
//! | `kernel.rs` | the one per-draw kernel: a draw's flows, NPVs and cumulative net benefits under every key, used by the run, sensitivity analyses and sweeps |
//! | `stability.rs` | core stability of a draw's payments against its realised NPV game |
//! | `stability_over_time.rs` | stability over time: which groups would gain by leaving in each later year |
//! | `accumulate.rs` | what the chunks count and sum, and how chunks merge (in chunk order) |
//! | `driver.rs` | [`run`]: blocks, chunks on rayon, per-draw columns written in place |
//! | `chunk.rs` | one chunk's draws, those that need no rows written eight at a time, and what each adds to the chunk |
//! | `kept.rs` | the NPV columns a run keeps: a key with the same shares in every draw computed again from the kept bases and pooled NPVs |
//! | `results.rs` | [`RunResults`] and the summaries computed from the accumulated totals |
//! | `keys.rs` | [`resolve_keys`]: every key's shares fixed before the run |
//! | `sample.rs` | [`draw_sample`]: the key-independent per-draw sums a key design counts on |
//!
//! Memory: runs of up to `max_stored_draws` draws keep what every NPV per key and member and
//! the region's are computed from (`kept.rs`), and what the budget and socio-economic NPVs are
//! computed from — what exact type-7 quantiles need — column by column. Longer runs keep a
//! DDSketch per column instead (relative accuracy 0.1 %), so memory does not grow with the
//! number of draws. Everything else (win counts, payback-year histograms, probability of being
//! ahead by year, means of yearly flows) is counted as the draws go. Sampling designs are built
//! per block of [`DESIGN_BLOCK_DRAWS`] draws.

mod accounts;
mod accumulate;
mod chunk;
mod columns;
mod component_keys;
mod driver;
mod events;
mod kept;
mod kernel;
mod keys;
mod results;
mod sample;
mod stability;
mod stability_over_time;
mod tape;
mod views;
mod yearly_keys;

pub use crate::draws::{DESIGN_BLOCK_DRAWS, parameter_sample};
pub use crate::stats::{
    PERCENTILE_LEVELS, Proportion, Summary, quantile_type1, quantile_type7,
    quantiles_type7_unsorted, sketch,
};
pub use accounts::{Budget, MeanAccounts};
pub use driver::run;
pub use events::draw_effects;
pub use kernel::{DrawEvaluator, DrawScratch, GROUP_DRAWS, Kernel, evaluate_draw};
pub use keys::{PlanningConfig, resolve_keys};
pub use results::{KeyOutcome, LeaveYear, MeanFlows, MemberOutcome, Payments, RunResults, Tempted};
pub use sample::{DrawSample, draw_sample};
pub use stability::LARGE_STABILITY_DRAWS;
pub use stability_over_time::{LeaveGains, leave_gains};
pub use views::{KeyViews, ViewOutcome};

/// Default of [`RunConfig::max_stored_draws`]: one million draws.
pub const DEFAULT_MAX_STORED_DRAWS: u64 = 1_000_000;

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
    /// to [`crate::games::MAX_EXACT_MEMBERS`] members); 0 turns it off.
    pub stability_draws: u64,
    /// The members' fan bands (P10/P50/P90 of the discounted cumulative net benefit at the end
    /// of each year, per key) come from draws `0 … band_draws − 1`, kept whole so that the
    /// quantiles are exact (type 7); capped by [`MAX_BAND_VALUES`]. 0 turns them off.
    pub band_draws: u64,
    /// Book every draw in the municipal accounts (docs/MODEL.md §6b) and report their means
    /// ([`RunResults::accounts`]); a run whose outputs do not show them leaves it off, since
    /// the books cost about as much per draw as the flows.
    pub accounts: bool,
    /// Compute what only the files and the JSON show: the members' P10/P50/P90 in the budget
    /// and socio-economic views (docs/MODEL.md §6d), each member's probability of being ahead
    /// by year and payback years, the region's yearly P10/P50/P90, and each NPV's percentiles
    /// other than P10/P50/P90 and its CVaR₁₀. Off, only the region's view percentiles are
    /// computed (the members' are NaN), `p_ahead_by_year` and `region_cumulative_bands` are
    /// empty, the payback years `None`, and the NPV summaries brief
    /// ([`crate::stats::Summary::brief_from_values`]): a run whose outputs
    /// show none of them, like the terminal table, a sweep or a key design, leaves it off,
    /// since selecting the percentiles of every key and member in both views costs about a
    /// tenth of a run, and counting the years ahead and storing the region's years about a
    /// twentieth.
    pub detailed: bool,
}

/// Leaving in a later year (docs/MODEL.md §10a) is checked on the first this many stability
/// draws: each costs about thirty times a draw's flows, and 2,000 draws estimate a
/// probability to within ±2.2 percentage points (two standard errors at 50 %).
pub const LEAVING_DRAWS: u64 = 2_000;

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
    /// A key design counts on one membership for the whole horizon.
    #[error(
        "the key design assumes the same members in every year; remove the scenario's [[events]] to design a key, and compare the keys with `samkost run`"
    )]
    MembershipEvents,
    /// A key design counts on every member's baseline being its cost alone.
    #[error(
        "the key design compares every member with going alone; remove [existing] to design a key, and compare the keys with `samkost run`"
    )]
    ExistingCooperation,
}

impl From<crate::draws::DesignBuildError> for SimulationError {
    fn from(e: crate::draws::DesignBuildError) -> Self {
        SimulationError::Design(e.to_string())
    }
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
