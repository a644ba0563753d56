//! Cooperative game theory for cost sharing in inter-municipal cooperation.
//!
//! A [`CostGame`] gives the cost `c(S)` of every coalition `S` of `n` members (bitmask
//! `u32`, `n ≤ 25`). From it this crate computes the allocation keys and stability checks
//! samkost reports:
//!
//! | item | what |
//! |---|---|
//! | [`shapley_exact`], [`shapley_sampled`], [`shapley_size_game`] | Shapley value: exact `O(n·2^n)`, permutation sampling with standard errors for any `n`, exact for `c(S) = f(Σ w)` |
//! | [`nucleolus`], [`prenucleolus`], [`least_core`] | sequential LPs with row generation and dual-based tight-set identification; the nucleolus over the imputations (nobody pays more than alone), the prenucleolus over all efficient allocations |
//! | [`scrb`], [`equal_split`], [`equal_savings`], [`proportional_savings`], [`proportional_to_standalone`] | keys from standalone and separable costs |
//! | [`core_report`], [`violated_coalitions`], [`core_nonempty`], [`core_search`] | core membership (one tolerance, [`CORE_REL_TOL`]), most tempting breakaway group |
//! | [`Method`] | the one list of these methods with their names, used by `samkost allocate` and the Monte Carlo keys |
//!
//! Every allocation is a `Vec<f64>` in player order summing to `c(N)`. Costs are in whatever
//! unit the caller uses (NOK, kNOK); nothing here depends on it.
//!
//! Closed forms used as tests: for `c(S) = F + Σ_{i∈S} v_i` (`S ≠ ∅`) Shapley value,
//! nucleolus and prenucleolus are all `F/n + v_i`; for `c(S) = f(Σ_{i∈S} w_i)` with `f` concave and
//! `f(0) = 0` the game is submodular, its core is non-empty and contains the Shapley value
//! (Shapley 1971, "Cores of convex games", IJGT 1:11–26).
//!
//! # Linear programming
//! The least core and nucleolus use [Clarabel](https://clarabel.org) (pure Rust
//! interior-point, Apache-2.0) directly, without a modelling layer. Why:
//! - the nucleolus must tell coalitions that are tight in *every* optimum from those tight
//!   only in the returned one (Guajardo & Jörnsten 2015). Duals answer that, and an
//!   interior-point method returns a strictly complementary pair, so positive duals are
//!   exactly the always-tight coalitions. `good_lp` exposes duals for Clarabel but not for
//!   its pure-Rust simplex backend `microlp`, and a simplex vertex is not strictly
//!   complementary anyway;
//! - no C, C++ or cmake: Clarabel and its dependencies are Rust. Version 0.10 is used with
//!   default features off (no serde); 0.11.1 fails to build without its `serde` feature;
//! - measured on a least-core LP with `2^14` rows, Clarabel and microlp (via good_lp) took
//!   about the same time (~0.15 s) and agreed to 6 decimals; with row generation the LPs
//!   here have a few hundred rows and solve in milliseconds.
//!
//! # Limits
//! - Exact solutions: [`Method::allocate`] computes the methods that need every coalition
//!   (exact Shapley value, nucleolus, prenucleolus, least core) for at most
//!   [`MAX_EXACT_PLAYERS`] = 20 players; beyond that use [`shapley_sampled`].
//! - Tables: `n ≤ 25` ([`MAX_PLAYERS`]); the table takes `8·2^n` bytes (256 MiB at
//!   `n = 25`, 8 GiB at `n = 30`). Beyond that use [`shapley_sampled`], [`shapley_size_game`] and
//!   [`core_search`], which take a cost oracle or a size function.
//! - [`CostGame::from_partial`] is `O(2^n · L)` for `L` listed coalitions, at worst `O(3^n)`
//!   when the list is dense but incomplete, or when listed costs are lowered to their cheapest
//!   partition (about 6 s at `n = 20`); a complete list whose costs are kept as given is taken
//!   as the table in `O(2^n)`.
//! - [`CostGame::is_subadditive`] is `O(3^n)` and refuses `n > 20`.
//! - [`nucleolus`], [`prenucleolus`] and [`least_core`]: each row-generation round scans all `2^n` coalitions,
//!   and the LPs have a few hundred rows; about 80 ms at `n = 20` on one core for the
//!   benchmark games (see `benches/game.rs`), growing roughly 4× per two players beyond.
//!   Tight coalitions are identified from duals with a tolerance (`1e-7` on a dual that
//!   sums to one over the rows); excess levels closer than about `1e-9 · scale` are not
//!   told apart.
//! - [`shapley_size_game`] needs non-negative integer weights, `n ≤ 127` and
//!   `(n + 1)(Σw + 1) ≤ 2^22`.
//! - [`core_search`] is a heuristic: it can prove an allocation is outside the core, never
//!   that it is inside.
//!
//! # Invariants
//! - No I/O, no printing (the solver's `verbose` is off), no global state, no serde.
//! - Randomness is injected (`&mut impl Rng`); nothing here creates a generator.
//! - Constructors validate; a [`CostGame`] always has `c(∅) = 0` and finite costs.

mod core;
mod error;
mod game;
mod keys;
mod lp;
mod method;
mod nucleolus;
mod shapley;

#[cfg(test)]
mod tests;

pub use crate::core::{
    CORE_REL_TOL, CoreReport, CoreSearch, MAX_CORE_SEARCH_COALITIONS, core_nonempty, core_report,
    core_search, core_tolerance, violated_coalitions,
};
pub use crate::error::GameError;
pub use crate::game::{CostGame, MAX_PLAYERS, MAX_PLAYERS_SUBADDITIVE_CHECK, REL_TOL};
pub use crate::keys::{
    equal_savings, equal_split, proportional_savings, proportional_to_standalone, scrb,
};
pub use crate::method::{MAX_EXACT_PLAYERS, Method, PooledGame};
pub use crate::nucleolus::{
    LeastCore, NucleolusDetail, least_core, nucleolus, nucleolus_detailed, prenucleolus,
    prenucleolus_detailed,
};
pub use crate::shapley::{
    MAX_PLAYERS_SIZE_GAME, MAX_SIZE_GAME_CELLS, SampledShapley, shapley_exact, shapley_sampled,
    shapley_size_game,
};
