//! The crate's typed errors: one enum for every way a game or a solution can be refused.

use thiserror::Error;

/// Why a cost game could not be built or a solution could not be computed.
///
/// Messages are lowercase fragments without a final period, in the workspace's house style.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum GameError {
    /// A game needs at least one player.
    #[error("a cost game needs at least one player")]
    NoPlayers,
    /// The exact representation stores `2^n` coalition costs; `n` is capped.
    #[error("{n} players is more than the {max} an exact coalition table supports")]
    TooManyPlayers {
        /// Players asked for.
        n: usize,
        /// Largest number allowed here.
        max: usize,
    },
    /// A full table must hold exactly one cost per coalition.
    #[error("a table for {n} players needs {expected} coalition costs, got {got}")]
    TableLength {
        /// Players.
        n: usize,
        /// `2^n`.
        expected: usize,
        /// Entries given.
        got: usize,
    },
    /// The empty coalition costs nothing by definition.
    #[error("the empty coalition must cost 0, got {value}")]
    EmptyCoalitionCost {
        /// The value given for the empty coalition.
        value: f64,
    },
    /// A coalition cost is NaN or infinite.
    #[error("coalition {mask:#b} has a non-finite cost {value}")]
    NonFiniteCost {
        /// The coalition as a bitmask (bit `i` set = player `i` is a member).
        mask: u64,
        /// The offending value.
        value: f64,
    },
    /// A listed coalition names a player outside `0..n`, or is empty.
    #[error("coalition {mask:#b} is not a non-empty coalition of {n} players")]
    InvalidCoalition {
        /// The coalition as a bitmask.
        mask: u64,
        /// Players in the game.
        n: usize,
    },
    /// The same coalition was listed twice.
    #[error("coalition {mask:#b} is listed more than once")]
    DuplicateCoalition {
        /// The coalition as a bitmask.
        mask: u64,
    },
    /// Completing a partial game needs every player's standalone cost.
    #[error("player {player} has no standalone cost: every singleton coalition must be listed")]
    MissingSingleton {
        /// Index of the player whose singleton is missing.
        player: usize,
    },
    /// A check or method is exponential beyond what the crate allows for this `n`.
    #[error("{what} is limited to {max} players, the game has {n}")]
    TooLargeFor {
        /// The method or check refused.
        what: &'static str,
        /// Players in the game.
        n: usize,
        /// Largest number allowed for this method.
        max: usize,
    },
    /// A vector given per player has the wrong length.
    #[error("expected {expected} values (one per player), got {got}")]
    LengthMismatch {
        /// Players in the game.
        expected: usize,
        /// Length given.
        got: usize,
    },
    /// An input to a method is out of its domain (negative weight, zero samples, ...).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What was wrong.
        reason: String,
    },
    /// A key divides by a total that is zero or negative.
    #[error("{key} is undefined: {reason}")]
    UndefinedKey {
        /// The key.
        key: &'static str,
        /// Why it is undefined for this game.
        reason: String,
    },
    /// The nucleolus searches the imputations, the allocations under which nobody pays more
    /// than alone (`x(N) = c(N)`, `x_i ≤ c({i})`); there are none when the standalone costs
    /// sum to less than the grand coalition's cost. The prenucleolus needs no imputation.
    #[error(
        "the nucleolus does not exist: no allocation lets every player pay at most its cost alone, because the standalone costs sum to {standalone_sum}, less than the grand coalition's cost {grand}"
    )]
    NoImputation {
        /// `Σ_i c({i})`.
        standalone_sum: f64,
        /// `c(N)`.
        grand: f64,
    },
    /// The linear-programming solver did not reach an optimum.
    #[error("linear program failed in {stage}: solver status {status}")]
    LpFailed {
        /// Which LP (least core, nucleolus stage k, ...).
        stage: String,
        /// The solver's status.
        status: String,
    },
}
