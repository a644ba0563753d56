//! The one list of game methods: every allocation this crate computes from a cost game, its
//! name on the command line and in files, and the largest game it is computed for exactly.
//!
//! `samkost allocate` and the Monte Carlo keys of samkost both take their methods from
//! [`Method`], so a method added here is available to both, under the same name.

use crate::nucleolus::{least_core, nucleolus, prenucleolus};
use crate::{
    CostGame, GameError, equal_savings, equal_split, proportional_savings,
    proportional_to_standalone, scrb, shapley_exact,
};

/// The largest number of players for which the methods that need every coalition are
/// computed exactly: the exact Shapley value (`O(n·2^n)`) and the linear-programming methods
/// (nucleolus, prenucleolus, least core), whose row generation scans all `2^n` coalitions per
/// round. At 20 players an exact Shapley value takes a few tens of milliseconds and a
/// nucleolus about 80 ms on one core (see `benches/game.rs`), growing about 4× per two more
/// players. Beyond it callers estimate the Shapley value by sampling
/// ([`shapley_sampled`](crate::shapley_sampled)) and leave the LP methods out; the keys
/// from standalone and separable costs have no such limit.
pub const MAX_EXACT_PLAYERS: usize = 20;

/// A cost-allocation method computed from a cost game (docs/MODEL.md §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// Shapley value ([`shapley_exact`]).
    Shapley,
    /// Schmeidler's nucleolus over the imputations ([`nucleolus`]).
    Nucleolus,
    /// Prenucleolus, over all efficient allocations ([`prenucleolus`]).
    Prenucleolus,
    /// An allocation in the least core ([`least_core`]).
    LeastCore,
    /// Separable costs, remaining benefits ([`scrb`]).
    Scrb,
    /// `c(N)/n` each ([`equal_split`]).
    EqualSplit,
    /// Savings split equally ([`equal_savings`]).
    EqualSavings,
    /// Savings split in proportion to standalone cost ([`proportional_savings`]).
    ProportionalSavings,
    /// `c(N)` split in proportion to standalone cost ([`proportional_to_standalone`]).
    ProportionalToStandalone,
}

impl Method {
    /// Every method, in the documented order (the order of `samkost allocate`'s table and
    /// JSON).
    pub const ALL: [Self; 9] = [
        Self::Shapley,
        Self::Nucleolus,
        Self::Prenucleolus,
        Self::LeastCore,
        Self::Scrb,
        Self::EqualSplit,
        Self::EqualSavings,
        Self::ProportionalSavings,
        Self::ProportionalToStandalone,
    ];

    /// Every method, in the documented order.
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// The method's name on the command line, in scenario and game files and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Shapley => "shapley",
            Self::Nucleolus => "nucleolus",
            Self::Prenucleolus => "prenucleolus",
            Self::LeastCore => "least_core",
            Self::Scrb => "scrb",
            Self::EqualSplit => "equal_split",
            Self::EqualSavings => "equal_savings",
            Self::ProportionalSavings => "proportional_savings",
            Self::ProportionalToStandalone => "proportional_to_standalone",
        }
    }

    /// The method called `name` ([`Method::name`]), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether the method needs every coalition's cost, so that it is computed exactly only
    /// up to [`MAX_EXACT_PLAYERS`] players.
    pub fn needs_every_coalition(self) -> bool {
        match self {
            Self::Shapley | Self::Nucleolus | Self::Prenucleolus | Self::LeastCore => true,
            Self::Scrb
            | Self::EqualSplit
            | Self::EqualSavings
            | Self::ProportionalSavings
            | Self::ProportionalToStandalone => false,
        }
    }

    /// What each player pays under this method, in player order, summing to `c(N)`.
    ///
    /// # Errors
    /// [`GameError::TooLargeFor`] for a method that [needs every
    /// coalition](Method::needs_every_coalition) beyond [`MAX_EXACT_PLAYERS`] players;
    /// [`GameError::NoImputation`] for the nucleolus when no imputation exists;
    /// [`GameError::UndefinedKey`] for the proportional keys with a negative or zero
    /// standalone cost; [`GameError::LpFailed`] if a linear program fails.
    pub fn allocate(self, game: &CostGame) -> Result<Vec<f64>, GameError> {
        if self.needs_every_coalition() && game.n() > MAX_EXACT_PLAYERS {
            return Err(GameError::TooLargeFor {
                what: self.exact_description(),
                n: game.n(),
                max: MAX_EXACT_PLAYERS,
            });
        }
        match self {
            Self::Shapley => Ok(shapley_exact(game)),
            Self::Nucleolus => nucleolus(game),
            Self::Prenucleolus => prenucleolus(game),
            Self::LeastCore => least_core(game).map(|least| least.allocation),
            Self::Scrb => Ok(scrb(game)),
            Self::EqualSplit => Ok(equal_split(game)),
            Self::EqualSavings => Ok(equal_savings(game)),
            Self::ProportionalSavings => proportional_savings(game),
            Self::ProportionalToStandalone => proportional_to_standalone(game),
        }
    }

    /// The method as the subject of [`GameError::TooLargeFor`].
    fn exact_description(self) -> &'static str {
        match self {
            Self::Shapley => "the exact Shapley value",
            Self::Nucleolus => "the nucleolus",
            Self::Prenucleolus => "the prenucleolus",
            Self::LeastCore => "the least core",
            Self::Scrb => "scrb",
            Self::EqualSplit => "equal split",
            Self::EqualSavings => "equal savings",
            Self::ProportionalSavings => "proportional savings",
            Self::ProportionalToStandalone => "proportional to standalone cost",
        }
    }

    /// Each player's share of the pooled cost of a [`PooledGame`], chosen so that it pays its
    /// allocation `x_i` in all: `s_i = (x_i − δ_i) / Σ_j (x_j − δ_j)`, where `δ_i` is what `i`
    /// pays itself ([`PooledGame::direct_costs`]). The shares sum to one; a share is negative
    /// when the method gives a player less than its own direct cost.
    ///
    /// # Errors
    /// As [`Method::allocate`], and [`GameError::UndefinedKey`] when the pooled cost
    /// `Σ_j (x_j − δ_j)` is zero (to `1e-9` of `max(1, |c(N)|)`) or not finite.
    pub fn shares<G: PooledGame + ?Sized>(self, game: &G) -> Result<Vec<f64>, GameError> {
        let cost_game = game.cost_game()?;
        let x = self.allocate(&cost_game)?;
        let direct = game.direct_costs();
        if direct.len() != x.len() {
            return Err(GameError::LengthMismatch {
                expected: x.len(),
                got: direct.len(),
            });
        }
        let pooled: Vec<f64> = x.iter().zip(direct).map(|(x, d)| x - d).collect();
        let total: f64 = pooled.iter().sum();
        // Shares of a pooled cost that is zero up to rounding would be rounding noise.
        if !total.is_finite() || total.abs() < 1e-9 * cost_game.grand().abs().max(1.0) {
            return Err(GameError::UndefinedKey {
                key: self.name(),
                reason: "the cooperation has no pooled cost to share".to_owned(),
            });
        }
        Ok(pooled.iter().map(|p| p / total).collect())
    }
}

/// A cost game in which each player pays part of its cost itself (its *direct* cost) and the
/// rest is pooled and shared by a key, as in an inter-municipal cooperation. [`Method::shares`]
/// turns a method's allocation of the total cost into shares of the pooled cost.
pub trait PooledGame {
    /// The cost game of total costs (direct and pooled) of every coalition.
    ///
    /// # Errors
    /// Whatever building the [`CostGame`] refuses.
    fn cost_game(&self) -> Result<CostGame, GameError>;

    /// What each player pays itself in the grand coalition, in player order.
    fn direct_costs(&self) -> &[f64];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for method in Method::all() {
            assert_eq!(Method::from_name(method.name()), Some(*method));
        }
        let mut names: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Method::ALL.len());
        assert_eq!(Method::from_name("nucleolos"), None);
        // The documented order is the enum's order, so sorting a selection restores it.
        assert!(Method::ALL.is_sorted());
    }

    #[test]
    fn methods_that_need_every_coalition_stop_at_the_exact_limit() {
        let n = MAX_EXACT_PLAYERS + 1;
        let game = CostGame::from_fn(n, |m| f64::from(m.count_ones())).unwrap();
        for method in Method::ALL {
            let result = method.allocate(&game);
            if method.needs_every_coalition() {
                let err = result.unwrap_err();
                assert!(
                    matches!(err, GameError::TooLargeFor { n: 21, max: 20, .. }),
                    "{method:?}: {err}"
                );
            } else {
                let x = result.unwrap();
                assert!((x.iter().sum::<f64>() - game.grand()).abs() < 1e-9);
            }
        }
        assert_eq!(
            Method::Nucleolus.allocate(&game).unwrap_err().to_string(),
            "the nucleolus is limited to 20 players, the game has 21"
        );
    }

    struct Pooled {
        table: Vec<f64>,
        direct: Vec<f64>,
    }

    impl PooledGame for Pooled {
        fn cost_game(&self) -> Result<CostGame, GameError> {
            CostGame::from_table(2, self.table.clone())
        }
        fn direct_costs(&self) -> &[f64] {
            &self.direct
        }
    }

    #[test]
    fn shares_make_each_player_pay_its_allocation() {
        // c(A) = 10, c(B) = 6, c(AB) = 12: every method below gives (8, 4) (equal savings of
        // 4 split equally, which is also the Shapley value and the (pre)nucleolus). With
        // direct costs (2, 1) the pooled cost is 12 − 3 = 9, shared (8 − 2, 4 − 1)/9.
        let game = Pooled {
            table: vec![0.0, 10.0, 6.0, 12.0],
            direct: vec![2.0, 1.0],
        };
        for method in [
            Method::Shapley,
            Method::Nucleolus,
            Method::Prenucleolus,
            Method::EqualSavings,
        ] {
            let shares = method.shares(&game).unwrap();
            assert!(
                (shares[0] - 6.0 / 9.0).abs() < 1e-6,
                "{method:?} {shares:?}"
            );
            assert!(
                (shares[1] - 3.0 / 9.0).abs() < 1e-6,
                "{method:?} {shares:?}"
            );
        }
        // Direct costs that already make up the whole cost leave nothing to share.
        let nothing = Pooled {
            table: vec![0.0, 10.0, 6.0, 12.0],
            direct: vec![8.0, 4.0],
        };
        assert_eq!(
            Method::Shapley.shares(&nothing).unwrap_err().to_string(),
            "shapley is undefined: the cooperation has no pooled cost to share"
        );
    }
}
