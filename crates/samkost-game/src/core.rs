//! Core analysis: is an allocation stable against every breakaway group, which group is most
//! tempted to leave, and is the core empty?
//!
//! The core of a cost game is `{x : x(N) = c(N), x(S) ≤ c(S) for all S}` (Gillies 1959;
//! Shapley 1955): no coalition pays more together than it would alone. Here the *overpayment*
//! of `S` under `x` is `x(S) − c(S)`; `x` is in the core iff the largest overpayment over
//! proper non-empty coalitions is `≤ 0` (within the tolerance).
//!
//! Exact checks enumerate all `2^n − 2` coalitions from the game's table. Games too large
//! to tabulate can only be *searched*: [`core_search`] checks all small coalitions and their
//! complements and then improves the worst ones by local search. Finding an overpaying
//! coalition proves `x` is not in the core; finding none proves nothing about the
//! coalitions not visited.

use crate::nucleolus::least_core;
use crate::{CostGame, GameError};

/// The one relative tolerance of every core decision in this crate, applied as
/// `CORE_REL_TOL · scale` with `scale = max(1, max_S |c(S)|)` ([`CostGame::scale`]):
///
/// - an allocation is in the core ([`core_report`]) when it is efficient and no proper
///   coalition overpays, both to within it; [`violated_coalitions`] lists the coalitions
///   beyond it;
/// - the core is non-empty ([`core_nonempty`]) when the least-core value `ε*` is at most it;
/// - the imputations exist (and the [`nucleolus`](crate::nucleolus) with them) unless
///   `Σ_i c({i})` falls short of `c(N)` by more than it.
///
/// Why `1e-7`: every allocation is checked the same way, whichever method made it. Allocations
/// from linear programs (nucleolus, prenucleolus, least core) are accurate to about `1e-10 ·
/// scale` per stage (the solver's tolerance on costs divided by the scale) and the sequential
/// LPs stack a few stages; closed-form and sampled allocations are exact up to rounding
/// (about `1e-15 · n · scale`). `1e-7 · scale` is far above both and far below any amount that
/// matters (10 NOK in a game of 100 MNOK).
pub const CORE_REL_TOL: f64 = 1e-7;

/// Result of an exact core check of one allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreReport {
    /// Whether `x` is efficient and no proper coalition overpays (both within `tolerance`).
    pub in_core: bool,
    /// The largest overpayment `x(S) − c(S)` over proper non-empty `S`: how much the most
    /// tempted group pays in excess of going alone (`≤ tolerance` ⇔ no group gains by
    /// leaving).
    pub max_excess: f64,
    /// The most tempting breakaway group (bitmask): the first coalition in bitmask order that
    /// no later one outdoes by more than `tolerance`. It attains `max_excess` to within
    /// `tolerance`, and of coalitions tied in exact arithmetic it is the first, whatever the
    /// rounding of the allocation.
    pub most_tempting: u32,
    /// Number of proper coalitions with overpayment above the tolerance.
    pub n_violated: usize,
    /// `Σ x_i − c(N)`.
    pub efficiency_gap: f64,
    /// The absolute tolerance used, `CORE_REL_TOL · scale`.
    pub tolerance: f64,
}

fn check_length(game: &CostGame, allocation: &[f64]) -> Result<(), GameError> {
    if allocation.len() != game.n() {
        return Err(GameError::LengthMismatch {
            expected: game.n(),
            got: allocation.len(),
        });
    }
    Ok(())
}

/// Calls `visit(mask, x(S) − c(S))` for every proper non-empty coalition; `x(S)` is built
/// incrementally from `x(S ∖ {lowest member})`, `O(2^n)`.
fn for_each_overpayment(game: &CostGame, x: &[f64], mut visit: impl FnMut(u32, f64)) {
    let grand = game.grand_mask() as usize;
    let mut x_of = vec![0.0; grand + 1];
    for mask in 1..grand {
        x_of[mask] = x_of[mask & (mask - 1)] + x[mask.trailing_zeros() as usize];
        visit(mask as u32, x_of[mask] - game.cost(mask as u32));
    }
}

/// Exact core check of `allocation` over all `2^n − 2` proper coalitions, to the tolerance
/// `CORE_REL_TOL · scale` ([`CORE_REL_TOL`]), the same for every method.
///
/// For `n = 1` there is no proper coalition: `max_excess` is `−∞` and `most_tempting` 0.
///
/// # Errors
/// [`GameError::LengthMismatch`] unless `allocation` has one entry per player.
pub fn core_report(game: &CostGame, allocation: &[f64]) -> Result<CoreReport, GameError> {
    check_length(game, allocation)?;
    let tolerance = core_tolerance(game);
    let mut max_excess = f64::NEG_INFINITY;
    let mut most_tempting = 0;
    // The overpayment of `most_tempting`; a later coalition replaces it only when it
    // overpays by more than the tolerance beyond it, so `max_excess ≤ tempting + tolerance`.
    let mut tempting = f64::NEG_INFINITY;
    let mut n_violated = 0;
    for_each_overpayment(game, allocation, |mask, over| {
        max_excess = max_excess.max(over);
        if over > tempting + tolerance {
            tempting = over;
            most_tempting = mask;
        }
        if over > tolerance {
            n_violated += 1;
        }
    });
    let efficiency_gap = allocation.iter().sum::<f64>() - game.grand();
    Ok(CoreReport {
        in_core: n_violated == 0 && efficiency_gap.abs() <= tolerance,
        max_excess,
        most_tempting,
        n_violated,
        efficiency_gap,
        tolerance,
    })
}

/// The absolute tolerance of core decisions in `game`: `CORE_REL_TOL · scale`
/// ([`CORE_REL_TOL`]).
pub fn core_tolerance(game: &CostGame) -> f64 {
    CORE_REL_TOL * game.scale()
}

/// The proper coalitions that overpay under `allocation` (`x(S) − c(S) > CORE_REL_TOL ·
/// scale`), as
/// `(mask, overpayment)`, largest overpayment first, at most `limit` of them.
///
/// # Errors
/// [`GameError::LengthMismatch`].
pub fn violated_coalitions(
    game: &CostGame,
    allocation: &[f64],
    limit: usize,
) -> Result<Vec<(u32, f64)>, GameError> {
    check_length(game, allocation)?;
    let tolerance = core_tolerance(game);
    let mut violated = Vec::new();
    for_each_overpayment(game, allocation, |mask, over| {
        if over > tolerance {
            violated.push((mask, over));
        }
    });
    violated.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    violated.truncate(limit);
    Ok(violated)
}

/// Whether the core is non-empty, via the least core: `ε* ≤ CORE_REL_TOL · scale`.
///
/// # Errors
/// [`GameError::LpFailed`].
pub fn core_nonempty(game: &CostGame) -> Result<bool, GameError> {
    Ok(least_core(game)?.epsilon <= core_tolerance(game))
}

/// Result of a heuristic core search in a game given by a cost oracle.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreSearch {
    /// Largest overpayment `x(S) − c(S)` found (a lower bound on the true maximum).
    pub max_excess: f64,
    /// Members of the coalition attaining it.
    pub most_tempting: Vec<usize>,
    /// Coalitions whose cost was evaluated.
    pub n_evaluated: usize,
}

/// Largest number of coalitions [`core_search`] enumerates before its local search.
pub const MAX_CORE_SEARCH_COALITIONS: usize = 2_000_000;

/// Heuristic core check for games too large to tabulate (`cost` takes a membership slice).
///
/// 1. Every coalition with at most `max_size` members, and its complement, is evaluated
///    (`2·Σ_{s ≤ max_size} C(n, s)` calls, capped at [`MAX_CORE_SEARCH_COALITIONS`]).
/// 2. From the 8 largest overpayments found, a first-improvement local search flips one
///    player in or out while the overpayment grows (at most `4n` moves each).
///
/// Limits: this is a search, not a proof. A positive `max_excess` proves the allocation is
/// outside the core; a non-positive one proves only that no visited coalition overpays.
/// In cost games from concave scale economies the tempting groups tend to be small groups
/// of heavily charged members or large groups that would drop one member, which is what
/// step 1 covers.
///
/// # Errors
/// [`GameError::LengthMismatch`] if `allocation.len() != n`; [`GameError::TooLargeFor`] if
/// step 1 would exceed [`MAX_CORE_SEARCH_COALITIONS`]; [`GameError::NoPlayers`].
pub fn core_search(
    n: usize,
    mut cost: impl FnMut(&[bool]) -> f64,
    allocation: &[f64],
    max_size: usize,
) -> Result<CoreSearch, GameError> {
    if n == 0 {
        return Err(GameError::NoPlayers);
    }
    if allocation.len() != n {
        return Err(GameError::LengthMismatch {
            expected: n,
            got: allocation.len(),
        });
    }
    if n == 1 {
        return Ok(CoreSearch {
            max_excess: f64::NEG_INFINITY,
            most_tempting: vec![],
            n_evaluated: 0,
        });
    }
    let max_size = max_size.clamp(1, n - 1);
    let mut total: f64 = 0.0;
    let mut binom: f64 = 1.0;
    for s in 1..=max_size {
        binom = binom * (n - s + 1) as f64 / s as f64;
        total += 2.0 * binom;
    }
    if total > MAX_CORE_SEARCH_COALITIONS as f64 {
        return Err(GameError::TooLargeFor {
            what: "the core search with this coalition size",
            n,
            max: max_size,
        });
    }
    let mut n_evaluated = 0usize;
    let mut overpayment = |members: &[bool], evaluated: &mut usize| -> f64 {
        *evaluated += 1;
        let paid: f64 = members
            .iter()
            .zip(allocation)
            .filter(|(m, _)| **m)
            .map(|(_, x)| x)
            .sum();
        paid - cost(members)
    };
    let mut best: Vec<(f64, Vec<bool>)> = Vec::new();
    let keep = 8;
    let record = |over: f64, members: &[bool], best: &mut Vec<(f64, Vec<bool>)>| {
        if best.len() < keep || over > best[best.len() - 1].0 {
            best.push((over, members.to_vec()));
            best.sort_by(|a, b| b.0.total_cmp(&a.0));
            best.truncate(keep);
        }
    };
    for size in 1..=max_size {
        let mut combo: Vec<usize> = (0..size).collect();
        loop {
            let mut members = vec![false; n];
            combo.iter().for_each(|&i| members[i] = true);
            let over = overpayment(&members, &mut n_evaluated);
            record(over, &members, &mut best);
            if n - size > max_size {
                members.iter_mut().for_each(|m| *m = !*m);
                let over = overpayment(&members, &mut n_evaluated);
                record(over, &members, &mut best);
            }
            if !next_combination(&mut combo, n) {
                break;
            }
        }
    }
    for start in best.clone() {
        let (mut over, mut members) = start;
        for _ in 0..4 * n {
            let mut improved = false;
            for i in 0..n {
                members[i] = !members[i];
                let size = members.iter().filter(|m| **m).count();
                if size > 0 && size < n {
                    let candidate = overpayment(&members, &mut n_evaluated);
                    if candidate > over {
                        over = candidate;
                        improved = true;
                        break;
                    }
                }
                members[i] = !members[i];
            }
            if !improved {
                break;
            }
        }
        record(over, &members, &mut best);
    }
    let (max_excess, members) = best
        .into_iter()
        .next()
        .unwrap_or((f64::NEG_INFINITY, vec![]));
    let most_tempting = members
        .iter()
        .enumerate()
        .filter(|(_, m)| **m)
        .map(|(i, _)| i)
        .collect();
    Ok(CoreSearch {
        max_excess,
        most_tempting,
        n_evaluated,
    })
}

/// Advances `combo` (strictly increasing indices below `n`) to the next combination in
/// lexicographic order; returns false after the last one.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let k = combo.len();
    for pos in (0..k).rev() {
        if combo[pos] < n - k + pos {
            combo[pos] += 1;
            for later in pos + 1..k {
                combo[later] = combo[later - 1] + 1;
            }
            return true;
        }
    }
    false
}
