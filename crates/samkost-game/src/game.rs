//! The cost game: `n` players and a cost `c(S)` for every coalition `S`, stored as a table
//! indexed by bitmask (bit `i` set ⇔ player `i` is in `S`).
//!
//! Invariants held by every [`CostGame`]: `1 ≤ n ≤ MAX_PLAYERS`, the table has `2^n` finite
//! entries and `c(∅) = 0`. Nothing here does I/O.

use crate::GameError;

/// Largest `n` for which a full coalition table is built. The table takes `8·2^n` bytes
/// (256 MiB at `n = 25`); reading a complete game of 25 players and computing its keys takes
/// about 0.8 GB, while 30 players would take about 25 GB. Methods that are exponential in a
/// worse way carry their own, smaller limits.
pub const MAX_PLAYERS: usize = 25;

/// Relative tolerance used by the checks in this crate: a tolerance `REL_TOL · scale` is
/// applied, where `scale = max(1, max_S |c(S)|)` (see [`CostGame::abs_tol`]).
pub const REL_TOL: f64 = 1e-9;

/// Largest `n` for [`CostGame::is_subadditive`], which is `O(3^n)`.
pub const MAX_PLAYERS_SUBADDITIVE_CHECK: usize = 20;

/// A transferable-utility cost game `(N, c)` with `c(∅) = 0`.
///
/// Coalitions are `u32` bitmasks: coalition `S` contains player `i` iff `S & (1 << i) != 0`.
#[derive(Debug, Clone, PartialEq)]
pub struct CostGame {
    n: usize,
    costs: Vec<f64>,
    scale: f64,
}

/// The bitmask of the grand coalition of `n` players.
pub(crate) fn grand_mask(n: usize) -> u32 {
    if n >= 32 { u32::MAX } else { (1u32 << n) - 1 }
}

fn check_n(n: usize) -> Result<(), GameError> {
    if n == 0 {
        return Err(GameError::NoPlayers);
    }
    if n > MAX_PLAYERS {
        return Err(GameError::TooManyPlayers {
            n,
            max: MAX_PLAYERS,
        });
    }
    Ok(())
}

impl CostGame {
    /// Builds the game from a cost function evaluated on every non-empty coalition
    /// (`2^n − 1` calls, masks in increasing order); `c(∅)` is set to 0 without a call.
    ///
    /// # Errors
    /// [`GameError::NoPlayers`], [`GameError::TooManyPlayers`], or
    /// [`GameError::NonFiniteCost`] for the first coalition whose cost is NaN or infinite.
    pub fn from_fn(n: usize, mut cost: impl FnMut(u32) -> f64) -> Result<Self, GameError> {
        check_n(n)?;
        let mut costs = Vec::with_capacity(1usize << n);
        costs.push(0.0);
        for mask in 1..=grand_mask(n) {
            costs.push(cost(mask));
        }
        Self::from_table(n, costs)
    }

    /// Builds the game from a full table: entry `mask` is `c(mask)`, and entry 0 must be 0.
    ///
    /// # Errors
    /// [`GameError::TableLength`] unless the table has `2^n` entries,
    /// [`GameError::EmptyCoalitionCost`] if `table[0] != 0`, [`GameError::NonFiniteCost`].
    pub fn from_table(n: usize, table: Vec<f64>) -> Result<Self, GameError> {
        check_n(n)?;
        let expected = 1usize << n;
        if table.len() != expected {
            return Err(GameError::TableLength {
                n,
                expected,
                got: table.len(),
            });
        }
        if table[0] != 0.0 {
            return Err(GameError::EmptyCoalitionCost { value: table[0] });
        }
        let mut scale: f64 = 1.0;
        for (mask, &value) in table.iter().enumerate() {
            if !value.is_finite() {
                return Err(GameError::NonFiniteCost {
                    mask: mask as u64,
                    value,
                });
            }
            scale = scale.max(value.abs());
        }
        Ok(Self {
            n,
            costs: table,
            scale,
        })
    }

    /// Builds the game from the costs of some coalitions; every other coalition costs its
    /// cheapest partition into listed coalitions:
    ///
    /// `c(S) = min { Σ_k c(T_k) : {T_k} a partition of S, every T_k listed }`,
    ///
    /// computed by dynamic programming over subsets (for each `S`, the block holding the
    /// lowest member of `S` is enumerated, from the list or from the submasks of `S`,
    /// whichever is shorter). Every singleton must be listed so that a partition exists.
    ///
    /// With `complete == true` the rule is applied to listed coalitions too, so a listed cost
    /// above the cost of splitting that coalition is lowered to it: the result is the
    /// subadditive cover of the listed costs (coalitions can always act as sub-coalitions, so
    /// this is the cost a coalition actually faces). With `complete == false` listed costs are
    /// kept as given and only unlisted coalitions are filled in; a list that holds every
    /// non-empty coalition then needs no completion and is taken as the table in `O(2^n)`,
    /// exactly as [`CostGame::from_table`] would.
    ///
    /// # Errors
    /// [`GameError::InvalidCoalition`] for mask 0 or a member `≥ n`,
    /// [`GameError::DuplicateCoalition`], [`GameError::NonFiniteCost`],
    /// [`GameError::MissingSingleton`] naming the first player without a singleton.
    pub fn from_partial(
        n: usize,
        listed: &[(u32, f64)],
        complete: bool,
    ) -> Result<Self, GameError> {
        check_n(n)?;
        let size = 1usize << n;
        let mut given = vec![f64::NAN; size];
        for &(mask, value) in listed {
            if mask == 0 || (mask as usize) >= size {
                return Err(GameError::InvalidCoalition {
                    mask: u64::from(mask),
                    n,
                });
            }
            if !value.is_finite() {
                return Err(GameError::NonFiniteCost {
                    mask: u64::from(mask),
                    value,
                });
            }
            if !given[mask as usize].is_nan() {
                return Err(GameError::DuplicateCoalition {
                    mask: u64::from(mask),
                });
            }
            given[mask as usize] = value;
        }
        if let Some(player) = (0..n).find(|&i| given[1usize << i].is_nan()) {
            return Err(GameError::MissingSingleton { player });
        }
        if !complete && listed.len() == size - 1 {
            // Every coalition is listed (duplicates were refused above) and listed costs are
            // kept: nothing to complete, so the `O(3^n)` partition search is skipped.
            given[0] = 0.0;
            return Self::from_table(n, given);
        }
        let partition = cheapest_partitions(n, listed, &given);
        let table = (0..size)
            .map(|s| {
                if !complete && !given[s].is_nan() {
                    given[s]
                } else {
                    partition[s]
                }
            })
            .collect();
        Self::from_table(n, table)
    }

    /// Number of players `n`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `c(S)` for the coalition with bitmask `mask`.
    ///
    /// # Panics
    /// If `mask` names a player `≥ n` (a bug in the caller).
    pub fn cost(&self, mask: u32) -> f64 {
        self.costs[mask as usize]
    }

    /// The whole table, indexed by bitmask.
    pub fn costs(&self) -> &[f64] {
        &self.costs
    }

    /// Bitmask of the grand coalition `N`.
    pub fn grand_mask(&self) -> u32 {
        grand_mask(self.n)
    }

    /// `c(N)`, the cost of the grand coalition.
    pub fn grand(&self) -> f64 {
        self.costs[self.grand_mask() as usize]
    }

    /// `c({i})`, what player `i` pays going alone.
    ///
    /// # Panics
    /// If `i ≥ n`.
    pub fn standalone(&self, i: usize) -> f64 {
        assert!(i < self.n, "player {i} out of range for {} players", self.n);
        self.costs[1usize << i]
    }

    /// All standalone costs `c({i})` in player order.
    pub fn standalones(&self) -> Vec<f64> {
        (0..self.n).map(|i| self.standalone(i)).collect()
    }

    /// `max(1, max_S |c(S)|)`: the game's cost scale.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The absolute tolerance `REL_TOL · scale` used by this crate's checks.
    pub fn abs_tol(&self) -> f64 {
        REL_TOL * self.scale
    }

    /// Whether `c(S ∪ T) ≤ c(S) + c(T) + tol` for all disjoint non-empty `S`, `T`
    /// (`tol` = [`CostGame::abs_tol`]). Enumerates all `3^n` ordered splits, so `n` is capped
    /// at [`MAX_PLAYERS_SUBADDITIVE_CHECK`].
    ///
    /// # Errors
    /// [`GameError::TooLargeFor`] beyond the cap.
    pub fn is_subadditive(&self) -> Result<bool, GameError> {
        if self.n > MAX_PLAYERS_SUBADDITIVE_CHECK {
            return Err(GameError::TooLargeFor {
                what: "the subadditivity check",
                n: self.n,
                max: MAX_PLAYERS_SUBADDITIVE_CHECK,
            });
        }
        let tol = self.abs_tol();
        for s in 1..=self.grand_mask() {
            let low = s & s.wrapping_neg();
            let rest = s ^ low;
            // Each split {T, S∖T} is visited once: T is the block holding the lowest member.
            let mut sub = rest;
            loop {
                let t = sub | low;
                if t != s && self.cost(s) > self.cost(t) + self.cost(s ^ t) + tol {
                    return Ok(false);
                }
                if sub == 0 {
                    break;
                }
                sub = (sub - 1) & rest;
            }
        }
        Ok(true)
    }

    /// Whether the game is submodular (concave):
    /// `c(S ∪ {i}) − c(S) ≥ c(S ∪ {i, j}) − c(S ∪ {j}) − tol` for all `S` and `i ≠ j ∉ S`,
    /// which is equivalent to `c(S) + c(T) ≥ c(S ∪ T) + c(S ∩ T)` for all `S`, `T`
    /// (Shapley 1971, "Cores of convex games"). `O(n² 2^n)`.
    pub fn is_submodular(&self) -> bool {
        let tol = self.abs_tol();
        let n = self.n;
        for s in 0..=self.grand_mask() {
            for i in 0..n {
                let bi = 1u32 << i;
                if s & bi != 0 {
                    continue;
                }
                for j in (i + 1)..n {
                    let bj = 1u32 << j;
                    if s & bj != 0 {
                        continue;
                    }
                    let lhs = self.cost(s | bi) + self.cost(s | bj);
                    let rhs = self.cost(s | bi | bj) + self.cost(s);
                    if lhs + tol < rhs {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// `part[S]` = cheapest partition of `S` into listed coalitions (`given[T]` not NaN).
fn cheapest_partitions(n: usize, listed: &[(u32, f64)], given: &[f64]) -> Vec<f64> {
    let size = 1usize << n;
    // Listed coalitions grouped by their lowest member.
    let mut by_low: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    for &(mask, value) in listed {
        by_low[mask.trailing_zeros() as usize].push((mask, value));
    }
    let mut part = vec![f64::INFINITY; size];
    part[0] = 0.0;
    for s in 1..size as u32 {
        let low = s & s.wrapping_neg();
        let bucket = &by_low[low.trailing_zeros() as usize];
        let n_submasks = 1usize << (s.count_ones() - 1);
        let mut best = f64::INFINITY;
        if bucket.len() <= n_submasks {
            for &(t, value) in bucket {
                if t & s == t {
                    best = best.min(value + part[(s ^ t) as usize]);
                }
            }
        } else {
            let rest = s ^ low;
            let mut sub = rest;
            loop {
                let t = sub | low;
                let value = given[t as usize];
                if !value.is_nan() {
                    best = best.min(value + part[(s ^ t) as usize]);
                }
                if sub == 0 {
                    break;
                }
                sub = (sub - 1) & rest;
            }
        }
        part[s as usize] = best;
    }
    part
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_constructor_validates() {
        assert_eq!(
            CostGame::from_table(0, vec![0.0]),
            Err(GameError::NoPlayers)
        );
        assert_eq!(
            CostGame::from_table(31, vec![]),
            Err(GameError::TooManyPlayers {
                n: 31,
                max: MAX_PLAYERS
            })
        );
        assert_eq!(
            CostGame::from_table(2, vec![0.0, 1.0, 2.0]),
            Err(GameError::TableLength {
                n: 2,
                expected: 4,
                got: 3
            })
        );
        assert_eq!(
            CostGame::from_table(1, vec![1.0, 1.0]),
            Err(GameError::EmptyCoalitionCost { value: 1.0 })
        );
        let err = CostGame::from_fn(2, |m| if m == 3 { f64::NAN } else { 1.0 }).unwrap_err();
        assert!(matches!(err, GameError::NonFiniteCost { mask: 3, .. }));
        assert_eq!(err.to_string(), "coalition 0b11 has a non-finite cost NaN");
    }

    #[test]
    fn accessors() {
        let game = CostGame::from_table(2, vec![0.0, 3.0, 4.0, 6.0]).unwrap();
        assert_eq!((game.n(), game.grand(), game.grand_mask()), (2, 6.0, 0b11));
        assert_eq!(game.standalones(), vec![3.0, 4.0]);
        assert_eq!(game.cost(0b10), 4.0);
        assert_eq!(game.scale(), 6.0);
    }

    #[test]
    fn partial_game_is_completed_by_cheapest_partition() {
        // Players 0, 1, 2 alone cost 5, 6, 7; the pair {0, 1} costs 8; nothing else is listed.
        let listed = [(0b001, 5.0), (0b010, 6.0), (0b100, 7.0), (0b011, 8.0)];
        let game = CostGame::from_partial(3, &listed, false).unwrap();
        assert_eq!(game.cost(0b011), 8.0);
        assert_eq!(game.cost(0b101), 12.0);
        assert_eq!(game.cost(0b111), 15.0); // {0,1} + {2}
        assert!(game.is_subadditive().unwrap());
    }

    #[test]
    fn a_complete_list_is_the_table() {
        // Every coalition listed, in scrambled order, one of them above its cheapest partition.
        let table = vec![0.0, 5.0, 6.0, 20.0, 7.0, 11.0, 12.0, 16.0];
        let mut listed: Vec<(u32, f64)> = (1u32..8).map(|m| (m, table[m as usize])).collect();
        listed.reverse();
        let expected = CostGame::from_table(3, table).unwrap();
        assert_eq!(CostGame::from_partial(3, &listed, false).unwrap(), expected);
        // The subadditive cover still completes: {0, 1} costs 5 + 6 rather than 20.
        let covered = CostGame::from_partial(3, &listed, true).unwrap();
        assert_eq!(covered.cost(0b011), 11.0);
    }

    #[test]
    fn complete_lowers_listed_costs_to_their_cheapest_partition() {
        // The listed pair costs more than its two members alone.
        let listed = [(0b01, 5.0), (0b10, 6.0), (0b11, 20.0)];
        let kept = CostGame::from_partial(2, &listed, false).unwrap();
        assert_eq!(kept.cost(0b11), 20.0);
        assert!(!kept.is_subadditive().unwrap());
        let covered = CostGame::from_partial(2, &listed, true).unwrap();
        assert_eq!(covered.cost(0b11), 11.0);
        assert!(covered.is_subadditive().unwrap());
    }

    #[test]
    fn partial_game_errors_name_the_problem() {
        let missing = CostGame::from_partial(3, &[(0b001, 1.0), (0b100, 1.0)], false);
        assert_eq!(missing, Err(GameError::MissingSingleton { player: 1 }));
        assert_eq!(
            missing.unwrap_err().to_string(),
            "player 1 has no standalone cost: every singleton coalition must be listed"
        );
        let duplicate = CostGame::from_partial(1, &[(1, 1.0), (1, 2.0)], false);
        assert_eq!(duplicate, Err(GameError::DuplicateCoalition { mask: 1 }));
        let outside = CostGame::from_partial(2, &[(0b100, 1.0)], false);
        assert_eq!(outside, Err(GameError::InvalidCoalition { mask: 4, n: 2 }));
        let empty = CostGame::from_partial(2, &[(0, 1.0)], false);
        assert_eq!(empty, Err(GameError::InvalidCoalition { mask: 0, n: 2 }));
        let infinite = CostGame::from_partial(1, &[(1, f64::INFINITY)], false);
        assert!(matches!(
            infinite,
            Err(GameError::NonFiniteCost { mask: 1, .. })
        ));
    }

    #[test]
    fn submodularity_check() {
        // Concave in the number of members: submodular.
        let concave = CostGame::from_fn(4, |m| f64::from(m.count_ones()).sqrt()).unwrap();
        assert!(concave.is_submodular());
        // Convex in the number of members: not submodular (nor subadditive).
        let convex = CostGame::from_fn(4, |m| f64::from(m.count_ones()).powi(2)).unwrap();
        assert!(!convex.is_submodular());
        assert!(!convex.is_subadditive().unwrap());
    }

    #[test]
    fn subadditivity_check_is_capped() {
        let game = CostGame::from_fn(21, |m| f64::from(m.count_ones())).unwrap();
        assert!(matches!(
            game.is_subadditive(),
            Err(GameError::TooLargeFor { max: 20, .. })
        ));
    }
}
