//! Core stability of a draw's payments, and ex-post keys, on the draw's realised NPV game.
//!
//! For up to [`crate::games::MAX_EXACT_MEMBERS`] members the realised game comes from
//! [`Model::npv_game`] (discount-weighted aggregates, one cost-curve evaluation per coalition
//! and pooled component) and every proper coalition is checked. Beyond, a sample of
//! coalitions is checked per draw on its own random stream (docs/MODEL.md §10).

use crate::allocation::ResolvedKey;
use crate::draws::streams;
use crate::games::{
    CoreLimits, GameScratch, RealisedGame, check_core_sampled, sampled_core_tolerance,
};
use crate::model::{CoalitionTable, Model, NpvGameTerms};

use super::kernel::DrawScratch;
use super::stability_over_time::LeaveBuffers;

/// Stability draws for cooperations beyond exact reach (each checks about `2n + 64` coalitions).
pub const LARGE_STABILITY_DRAWS: u64 = 200;

/// One worker's buffers for realised games.
#[derive(Debug, Default)]
pub(super) struct GameBuffers {
    terms: NpvGameTerms,
    pub(super) game: RealisedGame,
    limits: CoreLimits,
    sums: Vec<f64>,
    payments: Vec<f64>,
    sampled: GameScratch,
    /// Stability over time.
    pub(super) leaving: LeaveBuffers,
}

/// The realised NPV game of the draw in `s` (after [`super::Kernel::flows`]).
pub(super) fn realise(
    model: &Model,
    table: &CoalitionTable,
    discount: &[f64],
    s: &DrawScratch,
    buf: &mut GameBuffers,
) {
    model.npv_game(
        &s.values,
        discount,
        table,
        &mut buf.terms,
        &mut buf.game.costs,
    );
    buf.game.direct.clone_from(&s.direct_npv);
    buf.game.pooled = s.pooled_npv();
    buf.limits.fill(&buf.game);
}

/// The core limits of the realised game in `buf` net of the members' direct costs:
/// `c(S) + tol − Σ_{i∈S} direct_i` per coalition mask (the most `S` may pay of the pooled cost).
pub(super) fn core_limits_net_of_direct(buf: &GameBuffers) -> Vec<f64> {
    let limits = buf.limits.limits();
    let mut direct = vec![0.0; limits.len()];
    let mut out = Vec::with_capacity(limits.len());
    for (mask, limit) in limits.iter().enumerate() {
        if mask > 0 {
            let low = mask.trailing_zeros() as usize;
            direct[mask] = direct[mask & (mask - 1)] + buf.game.direct[low];
        }
        out.push(limit - direct[mask]);
    }
    out
}

/// Recomputes the shares of ex-post keys on the realised game in `buf`; returns how many
/// methods failed (their planning shares are kept for this draw).
pub(super) fn ex_post_shares(
    keys: &[ResolvedKey],
    buf: &GameBuffers,
    shares: &mut [[Vec<f64>; 2]],
) -> u64 {
    let mut failures = 0;
    for (key, slot) in keys.iter().zip(shares.iter_mut()) {
        for (c, method) in key.ex_post.iter().enumerate() {
            let Some(method) = method else { continue };
            match method.shares(&buf.game) {
                Ok(s) => slot[c] = s,
                Err(_) => {
                    slot[c] = key.shares[c].to_vec();
                    failures += 1;
                }
            }
        }
    }
    failures
}

/// Whether key `k`'s payments in the draw `s` leave no coalition better off alone, checked
/// exactly on the realised game in `buf`; `tempted(mask)` is called for each coalition that
/// would gain by leaving.
pub(super) fn stable_exact(
    s: &DrawScratch,
    k: usize,
    buf: &mut GameBuffers,
    tempted: impl FnMut(usize),
) -> bool {
    fill_payments(s, k, &mut buf.payments);
    buf.limits.check(&buf.payments, &mut buf.sums, tempted)
}

/// Whether key `k`'s payments in draw `draw` pass the sampled check of cooperations beyond
/// exact reach (see [`check_core_sampled`]).
#[expect(
    clippy::too_many_arguments,
    reason = "one draw, one key, explicit buffers"
)]
pub(super) fn stable_sampled(
    model: &Model,
    discount: &[f64],
    seed: u64,
    draw: u64,
    n_keys: usize,
    s: &DrawScratch,
    k: usize,
    buf: &mut GameBuffers,
    tempted: impl FnMut(&[usize]),
) -> bool {
    fill_payments(s, k, &mut buf.payments);
    let stream = streams::STABILITY + draw * n_keys as u64 + k as u64;
    check_core_sampled(
        model,
        &s.values,
        discount,
        &buf.payments,
        seed,
        stream,
        &mut buf.sampled,
        tempted,
    )
}

/// The tolerance of the core check of the latest key on `buf`: the realised game's
/// (`exact`), else the sampled check's on that key's payments.
pub(super) fn check_tolerance(buf: &GameBuffers, exact: bool) -> f64 {
    if exact {
        buf.limits.tolerance()
    } else {
        sampled_core_tolerance(&buf.payments)
    }
}

/// What each member pays under key `k` in NPV: `standalone_i − NPV_ki`.
fn fill_payments(s: &DrawScratch, k: usize, payments: &mut Vec<f64>) {
    let n = s.standalone_npv.len();
    payments.clear();
    payments.extend((0..n).map(|i| s.standalone_npv[i] - s.npv[k * n + i]));
}
