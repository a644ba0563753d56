//! The least core, the nucleolus and the prenucleolus of a cost game, by sequences of linear
//! programs with constraint (row) generation.
//!
//! For an allocation `x` (with `x(N) = c(N)`) the *excess* of a coalition is
//! `e(S, x) = c(S) − x(S)`: how much `S` saves by staying in the cooperation rather than
//! going alone (negative: `S` overpays). Both concepts lexicographically maximise the vector
//! of excesses of proper non-empty coalitions (singletons included) sorted increasingly:
//! first the smallest excess, then the next, and so on. They differ in the set searched:
//!
//! - the **nucleolus** (Schmeidler 1969, "The nucleolus of a characteristic function game",
//!   SIAM J. Appl. Math. 17:1163–1170) searches the *imputations*, `x(N) = c(N)` and
//!   `x_i ≤ c({i})` for every player (nobody pays more than alone). It does not exist when
//!   there is no imputation, `Σ_i c({i}) < c(N)`;
//! - the **prenucleolus** (Sobolev 1975; Peleg & Sudhölter 2007, "Introduction to the Theory
//!   of Cooperative Games", ch. 5) searches every efficient `x`, so it always exists, but a
//!   player may pay more than alone.
//!
//! Both lie in the core when the core is non-empty (the core is inside the imputations), and
//! then coincide; they also coincide whenever the prenucleolus happens to be an imputation.
//!
//! Algorithm (Maschler, Peleg & Shapley 1979, "Geometric properties of the kernel,
//! nucleolus and related solution concepts", Math. Oper. Res. 4:303–338; Kohlberg 1971):
//! stage `k` solves
//!
//! `max t  s.t.  x(N) = c(N),  x(S) = c(S) − t_j for S fixed at stage j < k,
//!               x(S) + t ≤ c(S) for every other proper non-empty S,
//!               x_i ≤ c({i}) for every player i           (nucleolus only)`.
//!
//! The individual-rationality rows of the nucleolus are hard constraints of every stage, not
//! rows whose excess is maximised (each singleton also has its excess row, like any
//! coalition).
//!
//! After each stage only coalitions that are tight in *every* optimal solution may be fixed;
//! fixing all coalitions tight in the one solution the solver happened to return is the
//! error Guajardo & Jörnsten (2015, "Common mistakes in computing the nucleolus", EJOR
//! 241:931–935) found throughout the applied literature. Here a coalition is fixed when its
//! dual is positive: by complementary slackness a constraint with a positive dual in some
//! optimal dual solution is tight in every optimal primal solution. Because the
//! interior-point solver returns a (numerically) strictly complementary pair, the positive
//! duals are exactly the always-tight coalitions; if any are missed, the next stage only
//! repeats the same level. A fixed coalition whose indicator vector lies in the span of
//! those already fixed adds no equality row. The algorithm stops when the fixed rows have
//! rank `n`, which determines `x`.
//!
//! Row generation: each LP holds only a working set of coalition rows (initially all
//! singletons and all `N ∖ {i}`). After a solve, the excess of every coalition is computed
//! in one `O(2^n)` pass over the table; the most violated ones (`c(S) − x(S) < t`) are added
//! and the LP is solved again until none is violated. The LP optimum is then optimal for the
//! full problem, and its duals (zero for rows not in the working set) remain valid for it.

use crate::lp::{Lp, Row};
use crate::{CORE_REL_TOL, CostGame, GameError};

/// The least core: the smallest `ε` such that some efficient `x` has
/// `x(S) ≤ c(S) + ε` for every proper non-empty `S` (Maschler, Peleg & Shapley 1979).
#[derive(Debug, Clone, PartialEq)]
pub struct LeastCore {
    /// `ε*`: `≤ 0` iff the core is non-empty; `< 0` means every coalition saves at least `−ε*`.
    /// Reported as 0 for a one-player game, which has no proper coalition.
    pub epsilon: f64,
    /// An allocation in the least core (the solver's interior-point solution, which lies near
    /// the centre of the least core when it is not a single point).
    pub allocation: Vec<f64>,
}

/// The nucleolus or the prenucleolus with what it took to compute it.
#[derive(Debug, Clone, PartialEq)]
pub struct NucleolusDetail {
    /// The allocation, in player order; sums to `c(N)`.
    pub allocation: Vec<f64>,
    /// The excess level `t_k` fixed at each stage (non-decreasing, in cost units). Empty when
    /// no linear program was needed (one player, or a single imputation).
    pub levels: Vec<f64>,
    /// Linear programs solved (stages × row-generation rounds).
    pub n_lp_solves: usize,
    /// Coalition rows in the final working set.
    pub n_rows: usize,
}

/// Coalitions added per row-generation round.
fn rows_per_round(n: usize) -> usize {
    (4 * n).max(32)
}

/// Violation (in units of the game's scale) below which a coalition counts as satisfied.
const SEPARATION_TOL: f64 = 1e-9;
/// A coalition is fixed when its dual exceeds both this and its own slack.
const DUAL_TOL: f64 = 1e-7;
/// Bound on `t` (in units of the game's scale) so that the first, partial LPs are bounded.
const T_BOUND: f64 = 1e3;

/// The allocations a sequence searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Domain {
    /// Efficient allocations (the least core and the prenucleolus).
    Preimputations,
    /// Efficient allocations with `x_i ≤ c({i})` for every player (the nucleolus).
    Imputations,
}

/// State of the sequential LP shared by the least core, the nucleolus and the prenucleolus.
struct Sequence<'g> {
    game: &'g CostGame,
    n: usize,
    domain: Domain,
    /// Costs divided by the game's scale, so the LP sees numbers of order one.
    costs: Vec<f64>,
    fixed: Vec<bool>,
    /// Fixed rows that raised the rank: `(mask, normalised excess level)`.
    equalities: Vec<(u32, f64)>,
    /// Orthonormal basis of the fixed indicator vectors (grand coalition first).
    basis: Vec<Vec<f64>>,
    working: Vec<u32>,
    in_working: Vec<bool>,
    /// Scratch: `x(S)` for every mask.
    x_of: Vec<f64>,
    n_lp_solves: usize,
}

/// Result of one stage: optimal `x`, level `t`, duals and slacks of the working rows and then
/// of the individual-rationality rows (see [`Sequence::bound_rows`]).
struct StageOptimum {
    x: Vec<f64>,
    t: f64,
    duals: Vec<f64>,
    slacks: Vec<f64>,
    /// The players whose `x_i ≤ c({i})` rows follow the working rows, in row order.
    bounded: Vec<usize>,
}

impl<'g> Sequence<'g> {
    fn new(game: &'g CostGame, domain: Domain) -> Self {
        let n = game.n();
        let size = 1usize << n;
        let scale = game.scale();
        let mut sequence = Self {
            game,
            n,
            domain,
            costs: game.costs().iter().map(|c| c / scale).collect(),
            fixed: vec![false; size],
            equalities: Vec::new(),
            basis: Vec::new(),
            working: Vec::new(),
            in_working: vec![false; size],
            x_of: vec![0.0; size],
            n_lp_solves: 0,
        };
        let grand = game.grand_mask();
        sequence.fixed[grand as usize] = true;
        sequence.fixed[0] = true;
        sequence.add_to_basis(grand);
        for i in 0..n {
            sequence.add_working(1u32 << i);
            sequence.add_working(grand & !(1u32 << i));
        }
        sequence
    }

    fn add_working(&mut self, mask: u32) {
        if !self.fixed[mask as usize] && !self.in_working[mask as usize] {
            self.in_working[mask as usize] = true;
            self.working.push(mask);
        }
    }

    /// Gram–Schmidt step; returns whether `mask`'s indicator vector raised the rank.
    fn add_to_basis(&mut self, mask: u32) -> bool {
        let mut v: Vec<f64> = (0..self.n)
            .map(|i| if mask & (1u32 << i) != 0 { 1.0 } else { 0.0 })
            .collect();
        for b in &self.basis {
            let dot: f64 = v.iter().zip(b).map(|(a, c)| a * c).sum();
            v.iter_mut().zip(b).for_each(|(a, c)| *a -= dot * c);
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm < 1e-8 {
            return false;
        }
        v.iter_mut().for_each(|a| *a /= norm);
        self.basis.push(v);
        true
    }

    fn build_lp(&self) -> Lp {
        let n = self.n;
        let t = n;
        let members = |mask: u32| -> Vec<(usize, f64)> {
            (0..n)
                .filter(|&i| mask & (1u32 << i) != 0)
                .map(|i| (i, 1.0))
                .collect()
        };
        let grand = self.game.grand_mask();
        let mut equalities = vec![Row {
            coefs: members(grand),
            rhs: self.costs[grand as usize],
        }];
        for &(mask, level) in &self.equalities {
            equalities.push(Row {
                coefs: members(mask),
                rhs: self.costs[mask as usize] - level,
            });
        }
        let mut inequalities: Vec<Row> = self
            .working
            .iter()
            .map(|&mask| {
                let mut coefs = members(mask);
                coefs.push((t, 1.0));
                Row {
                    coefs,
                    rhs: self.costs[mask as usize],
                }
            })
            .collect();
        inequalities.extend(self.bound_rows().into_iter().map(|i| Row {
            coefs: vec![(i, 1.0)],
            rhs: self.costs[1usize << i],
        }));
        inequalities.push(Row {
            coefs: vec![(t, 1.0)],
            rhs: T_BOUND,
        });
        let mut objective = vec![0.0; n + 1];
        objective[t] = -1.0;
        Lp {
            n_vars: n + 1,
            objective,
            equalities,
            inequalities,
        }
    }

    /// The players whose individual-rationality row `x_i ≤ c({i})` is in the LP: every player
    /// of the nucleolus whose singleton is not fixed yet (a fixed singleton is an equality).
    fn bound_rows(&self) -> Vec<usize> {
        match self.domain {
            Domain::Preimputations => Vec::new(),
            Domain::Imputations => (0..self.n).filter(|&i| !self.fixed[1usize << i]).collect(),
        }
    }

    /// Solves the current stage to optimality over all coalitions by row generation.
    fn solve_stage(&mut self, stage: usize) -> Result<StageOptimum, GameError> {
        loop {
            let solution = self.build_lp().solve(&format!("nucleolus stage {stage}"))?;
            self.n_lp_solves += 1;
            let x = solution.y[..self.n].to_vec();
            let t = solution.y[self.n];
            let violated = self.most_violated(&x, t);
            if violated.is_empty() {
                if t > 0.5 * T_BOUND {
                    return Err(GameError::LpFailed {
                        stage: format!("nucleolus stage {stage}"),
                        status: "unbounded excess level".to_string(),
                    });
                }
                let bounded = self.bound_rows();
                let k = self.working.len() + bounded.len();
                return Ok(StageOptimum {
                    x,
                    t,
                    duals: solution.duals[..k].to_vec(),
                    slacks: solution.slacks[..k].to_vec(),
                    bounded,
                });
            }
            for mask in violated {
                self.add_working(mask);
            }
        }
    }

    /// The coalitions outside the working set with `c(S) − x(S) < t − tol`, most violated
    /// first, at most [`rows_per_round`] of them.
    fn most_violated(&mut self, x: &[f64], t: f64) -> Vec<u32> {
        let threshold = t - SEPARATION_TOL;
        let mut candidates: Vec<(f64, u32)> = Vec::new();
        self.x_of[0] = 0.0;
        for mask in 1..self.x_of.len() {
            let value = self.x_of[mask & (mask - 1)] + x[mask.trailing_zeros() as usize];
            self.x_of[mask] = value;
            let excess = self.costs[mask] - value;
            if excess < threshold && !self.fixed[mask] && !self.in_working[mask] {
                candidates.push((excess, mask as u32));
            }
        }
        let keep = rows_per_round(self.n);
        if candidates.len() > keep {
            candidates.select_nth_unstable_by(keep, |a, b| a.0.total_cmp(&b.0));
            candidates.truncate(keep);
        }
        candidates.into_iter().map(|(_, mask)| mask).collect()
    }

    /// Fixes the working rows that are tight in every optimum (positive dual, see the
    /// module docs) at level `t`; always fixes the row with the largest dual, so every stage
    /// makes progress. A tight individual-rationality row fixes its singleton at excess 0.
    /// Returns whether the fixed rows now determine `x`.
    fn fix_tight(&mut self, optimum: &StageOptimum) -> bool {
        let k = self.working.len();
        let tight = |r: usize| optimum.duals[r] > DUAL_TOL && optimum.duals[r] > optimum.slacks[r];
        let largest = (0..k).max_by(|&a, &b| optimum.duals[a].total_cmp(&optimum.duals[b]));
        let mut keep = Vec::with_capacity(k);
        for r in 0..k {
            let mask = self.working[r];
            if Some(r) == largest || tight(r) {
                self.fix(mask, optimum.t);
            } else {
                keep.push(mask);
            }
        }
        self.working = keep;
        for (offset, &i) in optimum.bounded.iter().enumerate() {
            let mask = 1u32 << i;
            if tight(k + offset) && !self.fixed[mask as usize] {
                self.working.retain(|&m| m != mask);
                self.fix(mask, 0.0);
            }
        }
        self.basis.len() == self.n
    }

    /// Fixes coalition `mask` at excess `level` (normalised units).
    fn fix(&mut self, mask: u32, level: f64) {
        self.fixed[mask as usize] = true;
        self.in_working[mask as usize] = false;
        if self.add_to_basis(mask) {
            self.equalities.push((mask, level));
        }
    }
}

/// The least core (stage 1 of the nucleolus):
///
/// `ε* = min ε  s.t.  x(N) = c(N),  x(S) − c(S) ≤ ε  for all proper non-empty S`.
///
/// `ε* ≤ 0` iff the core is non-empty (Bondareva 1963; Shapley 1967).
///
/// # Errors
/// [`GameError::LpFailed`] if the solver does not converge.
pub fn least_core(game: &CostGame) -> Result<LeastCore, GameError> {
    if game.n() == 1 {
        return Ok(LeastCore {
            epsilon: 0.0,
            allocation: vec![game.grand()],
        });
    }
    let mut sequence = Sequence::new(game, Domain::Preimputations);
    let optimum = sequence.solve_stage(1)?;
    let scale = game.scale();
    Ok(LeastCore {
        epsilon: -optimum.t * scale,
        allocation: efficient(optimum.x.iter().map(|v| v * scale).collect(), game.grand()),
    })
}

/// The nucleolus of the cost game (Schmeidler 1969): the imputation (`x(N) = c(N)`,
/// `x_i ≤ c({i})`) that lexicographically maximises the increasingly sorted excesses
/// `c(S) − x(S)` of proper non-empty coalitions. See the module docs for the algorithm.
///
/// It lies in the core whenever the core is non-empty (and then equals the
/// [`prenucleolus`]), is symmetric and covariant, and for `c(S) = F + Σ_{i∈S} v_i` equals
/// `F/n + v_i`.
///
/// # Errors
/// [`GameError::NoImputation`] when `Σ_i c({i}) < c(N)` by more than
/// [`CORE_REL_TOL`](crate::CORE_REL_TOL)` · scale` (no allocation lets every player pay at
/// most its cost alone); [`GameError::LpFailed`] if a linear program does not converge.
///
/// ```
/// use samkost_game::{CostGame, nucleolus, prenucleolus};
/// // Player 2 makes every coalition it joins dearer: alone 4, yet the others' pair costs 9
/// // and all three 17 (Σ c({i}) = 18 ≥ 17, so imputations exist, but the core is empty).
/// let game = CostGame::from_table(3, vec![0.0, 6.0, 8.0, 9.0, 4.0, 10.0, 12.0, 17.0]).unwrap();
/// let pre = prenucleolus(&game).unwrap();
/// assert!((pre[2] - 6.0).abs() < 1e-6); // more than player 2's cost alone
/// let nucl = nucleolus(&game).unwrap();
/// assert!((nucl[2] - 4.0).abs() < 1e-6); // capped at its cost alone
/// ```
pub fn nucleolus(game: &CostGame) -> Result<Vec<f64>, GameError> {
    nucleolus_detailed(game).map(|detail| detail.allocation)
}

/// [`nucleolus`] with the stage levels and solver counts.
///
/// # Errors
/// As [`nucleolus`].
pub fn nucleolus_detailed(game: &CostGame) -> Result<NucleolusDetail, GameError> {
    let standalone_sum: f64 = game.standalones().iter().sum();
    let slack = standalone_sum - game.grand();
    let tolerance = CORE_REL_TOL * game.scale();
    if slack < -tolerance {
        return Err(GameError::NoImputation {
            standalone_sum,
            grand: game.grand(),
        });
    }
    if slack <= tolerance {
        // The imputations shrink to the single point x_i = c({i}); an LP over it would have
        // no interior.
        return Ok(NucleolusDetail {
            allocation: efficient(game.standalones(), game.grand()),
            levels: Vec::new(),
            n_lp_solves: 0,
            n_rows: 0,
        });
    }
    sequential(game, Domain::Imputations)
}

/// The prenucleolus of the cost game: the efficient allocation (`x(N) = c(N)`, no bound on
/// what a player pays) that lexicographically maximises the increasingly sorted excesses
/// `c(S) − x(S)` of proper non-empty coalitions (see the module docs).
///
/// It always exists, lies in the least core, and equals the [`nucleolus`] whenever the core
/// is non-empty or the prenucleolus is itself an imputation; otherwise some player pays more
/// than its cost alone.
///
/// # Errors
/// [`GameError::LpFailed`] if a linear program does not converge.
pub fn prenucleolus(game: &CostGame) -> Result<Vec<f64>, GameError> {
    prenucleolus_detailed(game).map(|detail| detail.allocation)
}

/// [`prenucleolus`] with the stage levels and solver counts.
///
/// # Errors
/// [`GameError::LpFailed`] if a linear program does not converge.
pub fn prenucleolus_detailed(game: &CostGame) -> Result<NucleolusDetail, GameError> {
    sequential(game, Domain::Preimputations)
}

/// The sequential LP over `domain` (see the module docs).
fn sequential(game: &CostGame, domain: Domain) -> Result<NucleolusDetail, GameError> {
    let n = game.n();
    if n == 1 {
        return Ok(NucleolusDetail {
            allocation: vec![game.grand()],
            levels: Vec::new(),
            n_lp_solves: 0,
            n_rows: 0,
        });
    }
    let scale = game.scale();
    let mut sequence = Sequence::new(game, domain);
    let mut levels = Vec::new();
    // Every stage fixes at least one of the 2^n − 2 proper coalitions.
    let max_stages = (1usize << n) - 1;
    for stage in 1..=max_stages {
        let optimum = sequence.solve_stage(stage)?;
        levels.push(optimum.t * scale);
        let determined = sequence.fix_tight(&optimum);
        if determined {
            let allocation = optimum.x.iter().map(|v| v * scale).collect();
            return Ok(NucleolusDetail {
                allocation: efficient(allocation, game.grand()),
                levels,
                n_lp_solves: sequence.n_lp_solves,
                n_rows: sequence.working.len(),
            });
        }
    }
    Err(GameError::LpFailed {
        stage: "nucleolus".to_string(),
        status: "no convergence within the stage limit".to_string(),
    })
}

/// Spreads the rounding error of an LP solution equally so that `Σ x_i = c(N)` exactly up to
/// floating-point rounding.
fn efficient(mut x: Vec<f64>, grand: f64) -> Vec<f64> {
    let gap = (grand - x.iter().sum::<f64>()) / x.len() as f64;
    x.iter_mut().for_each(|v| *v += gap);
    x
}
