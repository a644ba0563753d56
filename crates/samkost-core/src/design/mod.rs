//! Designing a key: the best probability that every member gains (or that no group of members
//! would do better alone) that any shares, or any key of a family a council would accept, can
//! reach on a sample of draws, under optional constraints; and the parameter value at which a
//! target is reached (goal seeking). docs/MODEL.md §13.
//!
//! | file | job |
//! |---|---|
//! | `count.rs` | what given shares achieve on a [`DrawSample`] |
//! | `line.rs` | the exact line search: every count along a line of shares |
//! | `search.rs` | families of keys as lines and planes of shares; coordinate ascent with exact line searches; the frontier and its upper bound |
//! | `seek.rs` | goal seeking along one parameter |

mod count;
mod line;
mod search;
mod seek;

pub use count::{Counts, Point, burden_ratio, cost_per_inhabitant, count};
pub use line::{Segment, best_on_line, sweep};
pub use search::{
    Design, Family, FamilyKind, Found, KOSTRA_BAND_LIMITS, MAX_SWEEPS, design, families,
    frontier_upper_bound, optimise,
};
pub use seek::{Seek, SeekDirection, seek};

use crate::simulation::DrawSample;

/// What a key is designed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Every member gains (NPV of net benefit > 0) in as many draws as possible.
    AllWin,
    /// No coalition would do better alone (core stability) in as many draws as possible.
    CoreStable,
}

/// Agreed shares the design must stay near.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// The agreed key's shares.
    pub shares: Point,
    /// Largest allowed deviation of any share, as a fraction (0.05 = 5 percentage points).
    pub max_deviation: f64,
}

/// Optional constraints on a designed key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Largest ratio between the highest and the lowest cost per inhabitant.
    pub max_burden_ratio: Option<f64>,
    /// Smallest probability of gaining for every member.
    pub min_p_gain: Option<f64>,
    /// Shares within a distance of an agreed key.
    pub near: Option<Near>,
    /// Member populations (for the burden ratio).
    pub populations: Vec<f64>,
}

/// How good shares are: fewer missing draws below the members' floor first, then more draws
/// meeting the goal, then more of the tie-break count (draws in which every member gains, for
/// core stability; the members' gains summed, under a floor). Larger is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// Draws missing below the floor on members' gains, summed over members.
    pub shortfall: u64,
    /// Draws meeting the goal.
    pub primary: u64,
    /// Tie-break count.
    pub secondary: u64,
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .shortfall
            .cmp(&self.shortfall)
            .then(self.primary.cmp(&other.primary))
            .then(self.secondary.cmp(&other.secondary))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The score of counted shares, as [`sweep`] scores a piece of a line.
pub fn score(sample: &DrawSample, goal: Goal, constraints: &Constraints, c: &Counts) -> Score {
    let (primary, mut secondary) = match goal {
        Goal::AllWin => (c.all_win, 0),
        Goal::CoreStable => (c.core_stable, c.all_win),
    };
    let mut shortfall = 0;
    if let Some(p) = constraints.min_p_gain {
        let floor = (p * sample.n_draws as f64).ceil() as u64;
        shortfall = c
            .member_gains
            .iter()
            .map(|g| floor.saturating_sub(*g))
            .sum();
        secondary += c.member_gains.iter().sum::<u64>();
    }
    Score {
        shortfall,
        primary,
        secondary,
    }
}

/// Whether shares meet the constraints that do not depend on the draws (shares in `[0, 1]`,
/// burden ratio, nearness).
pub fn meets_fixed_constraints(sample: &DrawSample, constraints: &Constraints, x: &Point) -> bool {
    let zero = Point {
        running: vec![0.0; x.running.len()],
        startup: vec![0.0; x.startup.len()],
    };
    line::domain(sample, constraints, x, &zero, 0.0, 0.0).is_some()
}
