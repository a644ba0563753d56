//! The Shapley value: exact from the coalition table, by permutation sampling for games too
//! large to tabulate, and exactly for weighted-size games `c(S) = f(Σ_{i∈S} w_i)`.
//!
//! Shapley (1953), "A value for n-person games", in Contributions to the Theory of Games II:
//!
//! `φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · [c(S ∪ {i}) − c(S)]`,
//!
//! the average marginal cost of `i` over all `n!` join orders. It is efficient
//! (`Σ φ_i = c(N)`), symmetric and linear in the game, so yearly and NPV games can be
//! valued separately and summed.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::{CostGame, GameError};

/// Exact Shapley value in `O(n · 2^n)` time and `2^n` extra floats.
///
/// For each player `i` the coalitions are walked in blocks of `2^i` masks without `i`,
/// each paired with the block of the same masks with `i` added (the next `2^i` masks), so
/// both reads are sequential: `φ_i = Σ_{S ∌ i} w(|S|) · (c(S + 2^i) − c(S))` with the
/// weight `w(s) = s!(n−s−1)!/n!` precomputed per mask. `w` follows the recurrence
/// `w(0) = 1/n`, `w(s+1) = w(s)·(s+1)/(n−s−1)`.
///
/// ```
/// use samkost_game::{CostGame, shapley_exact};
/// // c(S) = 6 + Σ v_i: the fixed 6 is shared equally (see the crate docs).
/// let v = [1.0, 2.0, 3.0];
/// let game = CostGame::from_fn(3, |m| {
///     6.0 + (0..3).filter(|i| m & (1 << i) != 0).map(|i| v[i]).sum::<f64>()
/// })
/// .unwrap();
/// let phi = shapley_exact(&game);
/// assert!((phi[0] - 3.0).abs() < 1e-12 && (phi[2] - 5.0).abs() < 1e-12);
/// ```
pub fn shapley_exact(game: &CostGame) -> Vec<f64> {
    let n = game.n();
    let costs = game.costs();
    let size = costs.len();
    let mut w_by_size = vec![0.0; n + 1];
    w_by_size[0] = 1.0 / n as f64;
    for s in 0..n.saturating_sub(1) {
        w_by_size[s + 1] = w_by_size[s] * (s + 1) as f64 / (n - s - 1) as f64;
    }
    let weights: Vec<f64> = (0..size)
        .map(|m| w_by_size[m.count_ones() as usize])
        .collect();
    (0..n)
        .map(|i| {
            let half = 1usize << i;
            let mut acc = [0.0f64; 4];
            for base in (0..size).step_by(2 * half) {
                let without = &costs[base..base + half];
                let with = &costs[base + half..base + 2 * half];
                let w = &weights[base..base + half];
                marginal_sum(without, with, w, &mut acc);
            }
            (acc[0] + acc[1]) + (acc[2] + acc[3])
        })
        .collect()
}

/// Adds `Σ_k w[k]·(with[k] − without[k])` into four interleaved accumulators, so the loop
/// is not one serial chain of floating-point additions.
fn marginal_sum(without: &[f64], with: &[f64], w: &[f64], acc: &mut [f64; 4]) {
    let chunks = without.len() / 4 * 4;
    for k in (0..chunks).step_by(4) {
        for lane in 0..4 {
            acc[lane] += w[k + lane] * (with[k + lane] - without[k + lane]);
        }
    }
    for k in chunks..without.len() {
        acc[0] += w[k] * (with[k] - without[k]);
    }
}

/// A Monte Carlo estimate of the Shapley value with its standard errors.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledShapley {
    /// Estimated `φ_i` in player order; they sum to `c(N)` exactly up to rounding, because
    /// every join order's marginal costs telescope to `c(N) − c(∅)`.
    pub values: Vec<f64>,
    /// Standard error of each estimate (sample standard deviation of the antithetic pair
    /// means divided by `√n_pairs`).
    pub std_errors: Vec<f64>,
    /// Antithetic pairs drawn (each pair is two join orders).
    pub n_pairs: usize,
}

/// Shapley value by permutation sampling (Castro, Gómez & Tejada 2009, "Polynomial
/// calculation of the Shapley value based on sampling", Computers & OR 36:1726–1730),
/// with antithetic pairs: each random join order `π` is used together with its reverse,
/// whose marginal costs are negatively correlated with `π`'s for concave cost functions.
///
/// `cost` receives the coalition as a membership slice (`members[i]` ⇔ player `i` in `S`),
/// so `n` is not limited by a bitmask; it is called `2·n` times per pair and never for the
/// empty coalition, whose cost is 0 by definition. `n_permutations` is rounded up to an
/// even number; at least 4 are needed for a standard error.
///
/// # Errors
/// [`GameError::NoPlayers`]; [`GameError::InvalidInput`] if `n_permutations < 4`.
pub fn shapley_sampled<R: Rng + ?Sized>(
    mut cost: impl FnMut(&[bool]) -> f64,
    n: usize,
    n_permutations: usize,
    rng: &mut R,
) -> Result<SampledShapley, GameError> {
    if n == 0 {
        return Err(GameError::NoPlayers);
    }
    if n_permutations < 4 {
        return Err(GameError::InvalidInput {
            reason: format!("sampled Shapley needs at least 4 permutations, got {n_permutations}"),
        });
    }
    let n_pairs = n_permutations.div_ceil(2);
    let mut order: Vec<usize> = (0..n).collect();
    let mut members = vec![false; n];
    let mut forward = vec![0.0; n];
    let mut backward = vec![0.0; n];
    let mut mean = vec![0.0; n];
    let mut m2 = vec![0.0; n];
    for pair in 0..n_pairs {
        order.shuffle(rng);
        marginals(&mut cost, order.iter().copied(), &mut members, &mut forward);
        marginals(
            &mut cost,
            order.iter().rev().copied(),
            &mut members,
            &mut backward,
        );
        // Welford's running mean and sum of squared deviations of the pair means.
        let count = (pair + 1) as f64;
        for i in 0..n {
            let y = 0.5 * (forward[i] + backward[i]);
            let delta = y - mean[i];
            mean[i] += delta / count;
            m2[i] += delta * (y - mean[i]);
        }
    }
    let std_errors = m2
        .iter()
        .map(|&s| (s / (n_pairs as f64 - 1.0) / n_pairs as f64).sqrt())
        .collect();
    Ok(SampledShapley {
        values: mean,
        std_errors,
        n_pairs,
    })
}

/// Marginal cost of each player when joining in `order`.
fn marginals(
    cost: &mut impl FnMut(&[bool]) -> f64,
    order: impl Iterator<Item = usize>,
    members: &mut [bool],
    out: &mut [f64],
) {
    members.fill(false);
    let mut previous = 0.0;
    for player in order {
        members[player] = true;
        let current = cost(members);
        out[player] = current - previous;
        previous = current;
    }
}

/// Largest `n` for [`shapley_size_game`]: coalition counts are kept exactly in `u128`, and
/// `C(n, k) < 2^127` for `n ≤ 127`.
pub const MAX_PLAYERS_SIZE_GAME: usize = 127;

/// Largest `(n + 1) · (Σ w + 1)` table [`shapley_size_game`] builds (16 bytes per cell).
pub const MAX_SIZE_GAME_CELLS: usize = 1 << 22;

/// Exact Shapley value of a weighted-size game `c(S) = f(Σ_{i∈S} w_i)` for `S ≠ ∅`
/// (and `c(∅) = 0` whatever `f(0)` is), with non-negative integer weights.
///
/// Only the size `s` and weight `W` of the coalition a player joins matter, so
///
/// `φ_i = Σ_{s=0}^{n−1} Σ_W  N_{−i}(s, W) / (n · C(n−1, s)) · [f(W + w_i) − c_s(W)]`,
///
/// where `N_{−i}(s, W)` counts coalitions of `s` players other than `i` with weight `W`
/// and `c_0 = 0`, `c_s = f` for `s ≥ 1`. `N(s, W)` for all players is a knapsack-style
/// count; `N_{−i}` is recovered from it exactly by removing player `i`
/// (`N_{−i}(s, W) = N(s, W) − N_{−i}(s−1, W−w_i)`), which is why counts are integers
/// (`u128`) and not floats, where that subtraction would cancel catastrophically. Time
/// `O(n² · Σw)`, memory `O(n · Σw)`.
///
/// Real-valued drivers (populations, users) must be put on an integer grid by the caller
/// (e.g. hundreds of inhabitants): with real weights the number of distinct coalition weights
/// is `2^n` and no pseudo-polynomial recursion exists; use [`shapley_exact`] for `n ≤ 25` or
/// [`shapley_sampled`] beyond.
///
/// # Errors
/// [`GameError::NoPlayers`], [`GameError::TooLargeFor`] if `n > MAX_PLAYERS_SIZE_GAME` or
/// the table exceeds [`MAX_SIZE_GAME_CELLS`], [`GameError::NonFiniteCost`] if `f` returns
/// NaN or an infinity.
pub fn shapley_size_game(weights: &[u64], f: impl Fn(u64) -> f64) -> Result<Vec<f64>, GameError> {
    let n = weights.len();
    if n == 0 {
        return Err(GameError::NoPlayers);
    }
    if n > MAX_PLAYERS_SIZE_GAME {
        return Err(GameError::TooLargeFor {
            what: "the exact size-game Shapley value",
            n,
            max: MAX_PLAYERS_SIZE_GAME,
        });
    }
    let total: u64 = weights.iter().sum();
    let width = total as usize + 1;
    if (n + 1).saturating_mul(width) > MAX_SIZE_GAME_CELLS {
        return Err(GameError::TooLargeFor {
            what: "the exact size-game Shapley value (n·Σw table)",
            n,
            max: n,
        });
    }
    let f_at: Vec<f64> = (0..=total).map(&f).collect();
    if let Some((w, &value)) = f_at.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(GameError::NonFiniteCost {
            mask: w as u64,
            value,
        });
    }
    let all = count_by_size_and_weight(weights, n, width);
    let binom = binomials(n - 1);
    let mut without = vec![0u128; n * width];
    let values = weights
        .iter()
        .map(|&wi| {
            remove_player(&all, wi as usize, n, width, &mut without);
            let mut phi = 0.0;
            for s in 0..n {
                let norm = 1.0 / (n as f64 * binom[s] as f64);
                let row = &without[s * width..(s + 1) * width];
                for (w, &count) in row.iter().enumerate() {
                    if count != 0 {
                        let before = if s == 0 { 0.0 } else { f_at[w] };
                        phi += count as f64 * norm * (f_at[w + wi as usize] - before);
                    }
                }
            }
            phi
        })
        .collect();
    Ok(values)
}

/// `N(s, W)` for all players, row-major in `s` (`n + 1` rows of `width`).
fn count_by_size_and_weight(weights: &[u64], n: usize, width: usize) -> Vec<u128> {
    let mut table = vec![0u128; (n + 1) * width];
    table[0] = 1;
    for (added, &w) in weights.iter().enumerate() {
        let w = w as usize;
        for s in (1..=added + 1).rev() {
            for weight in (w..width).rev() {
                table[s * width + weight] += table[(s - 1) * width + weight - w];
            }
        }
    }
    table
}

/// `N_{−i}(s, W)` for `s < n`, from the all-player counts, by undoing player `i`'s addition.
fn remove_player(all: &[u128], wi: usize, n: usize, width: usize, out: &mut [u128]) {
    out.fill(0);
    out[..width].copy_from_slice(&all[..width]);
    for s in 1..n {
        for weight in 0..width {
            let mut count = all[s * width + weight];
            if weight >= wi {
                count -= out[(s - 1) * width + weight - wi];
            }
            out[s * width + weight] = count;
        }
    }
}

/// `C(m, k)` for `k = 0..=m`, exactly (Pascal's rule, so no intermediate overflows).
fn binomials(m: usize) -> Vec<u128> {
    let mut row = vec![0u128; m + 1];
    row[0] = 1;
    for r in 1..=m {
        for k in (1..=r).rev() {
            row[k] += row[k - 1];
        }
    }
    row
}
