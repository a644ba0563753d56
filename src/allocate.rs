//! Solution concepts applied to one cost game: the allocations `samkost allocate` reports,
//! each with its core check, plus the least core.
//!
//! This module only computes (no I/O, no formatting): the game comes from
//! [`crate::scenario::game_file`], the bytes are made by [`crate::report`]. The formulas are
//! in the `samkost-game` crate and in docs/MODEL.md ("Cost games and game-theoretic keys").

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
use samkost_game::{
    CostGame, GameError, LP_REL_TOL, core_report, equal_savings, equal_split, least_core,
    nucleolus, proportional_savings, proportional_to_standalone, scrb, shapley_exact,
    shapley_sampled,
};

use crate::scenario::game_file::closest;

/// Largest number of players for the exact Shapley value; beyond it the value is estimated
/// by permutation sampling with standard errors.
pub const MAX_EXACT_SHAPLEY_PLAYERS: usize = 20;

/// A solution concept (cost-allocation key computed from the game).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// Shapley value (exact up to [`MAX_EXACT_SHAPLEY_PLAYERS`], sampled beyond).
    Shapley,
    /// Nucleolus (sequential LPs).
    Nucleolus,
    /// An allocation in the least core.
    LeastCore,
    /// Separable costs, remaining benefits.
    Scrb,
    /// `c(N)/n` each.
    EqualSplit,
    /// Savings split equally.
    EqualSavings,
    /// Savings split in proportion to standalone cost.
    ProportionalSavings,
    /// `c(N)` split in proportion to standalone cost.
    ProportionalToStandalone,
}

impl Method {
    /// Every method, in the documented order (the order of the JSON and the table).
    pub const ALL: [Self; 8] = [
        Self::Shapley,
        Self::Nucleolus,
        Self::LeastCore,
        Self::Scrb,
        Self::EqualSplit,
        Self::EqualSavings,
        Self::ProportionalSavings,
        Self::ProportionalToStandalone,
    ];

    /// The name used on the command line and in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Shapley => "shapley",
            Self::Nucleolus => "nucleolus",
            Self::LeastCore => "least_core",
            Self::Scrb => "scrb",
            Self::EqualSplit => "equal_split",
            Self::EqualSavings => "equal_savings",
            Self::ProportionalSavings => "proportional_savings",
            Self::ProportionalToStandalone => "proportional_to_standalone",
        }
    }

    /// Whether the allocation comes from a linear program (and is accurate to about
    /// [`LP_REL_TOL`] rather than to rounding).
    fn is_lp_based(self) -> bool {
        matches!(self, Self::Nucleolus | Self::LeastCore)
    }

    /// Parses a comma-separated list (`shapley,nucleolus`) into methods in the documented
    /// order, without repeats. The error names the closest method for a typo.
    ///
    /// # Errors
    /// A message (lowercase fragment) for an empty list or an unknown name.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        let mut chosen = Vec::new();
        for raw in text.split(',') {
            let name = raw.trim();
            if name.is_empty() {
                return Err(format!(
                    "empty method name in `--methods {text}`\n  = help: methods: {}",
                    Self::names()
                ));
            }
            match Self::ALL.iter().find(|m| m.name() == name) {
                Some(&method) => chosen.push(method),
                None => {
                    let help = match closest(name, Self::ALL.iter().map(|m| m.name())) {
                        Some(best) => format!("did you mean `{best}`? methods: {}", Self::names()),
                        None => format!("methods: {}", Self::names()),
                    };
                    return Err(format!("unknown method `{name}`\n  = help: {help}"));
                }
            }
        }
        chosen.sort();
        chosen.dedup();
        Ok(chosen)
    }

    fn names() -> String {
        Self::ALL.map(Self::name).join(", ")
    }
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Methods, in the documented order.
    pub methods: Vec<Method>,
    /// Seed of the sampled Shapley value (used only beyond [`MAX_EXACT_SHAPLEY_PLAYERS`]).
    pub seed: u64,
    /// Join orders drawn for the sampled Shapley value.
    pub n_permutations: usize,
}

/// One method's allocation and its core check.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodResult {
    /// The method.
    pub method: Method,
    /// What each player pays, in player order; sums to `c(N)`.
    pub allocation: Vec<f64>,
    /// Standard errors when the allocation was estimated by sampling.
    pub std_errors: Option<Vec<f64>>,
    /// Whether no proper coalition pays more than it would alone (within the tolerance).
    pub in_core: bool,
    /// `max_S x(S) − c(S)` over proper non-empty coalitions: `≤ 0` iff no group gains by
    /// leaving; the least-core allocation attains `ε*`.
    pub max_excess: f64,
    /// The coalition (bitmask over players) attaining `max_excess`.
    pub most_tempting: u32,
}

/// Everything `samkost allocate` reports about one game.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// One result per computed method, in the documented order.
    pub results: Vec<MethodResult>,
    /// Methods that are undefined for this game, with the reason.
    pub skipped: Vec<(Method, String)>,
    /// Whether the core is non-empty (`ε* ≤ LP_REL_TOL · scale`).
    pub core_nonempty: bool,
    /// `ε*`, the least-core value: the smallest `ε` with `x(S) − c(S) ≤ ε` for all proper `S`.
    pub least_core_epsilon: f64,
    /// Join orders drawn, when the Shapley value was sampled.
    pub n_permutations: Option<usize>,
}

/// Computes every requested method, its core check, and the least core.
///
/// # Errors
/// [`GameError::LpFailed`] if a linear program fails; [`GameError::InvalidInput`] for fewer
/// than 4 permutations when sampling is needed.
pub fn analyse(game: &CostGame, settings: &Settings) -> Result<Analysis, GameError> {
    let least = least_core(game)?;
    let scale = game.scale();
    let mut results = Vec::new();
    let mut skipped = Vec::new();
    let mut n_permutations = None;
    for &method in &settings.methods {
        let (allocation, std_errors) = match method {
            Method::Shapley if game.n() > MAX_EXACT_SHAPLEY_PLAYERS => {
                let sampled = sampled_shapley(game, settings)?;
                n_permutations = Some(2 * sampled.n_pairs);
                (sampled.values, Some(sampled.std_errors))
            }
            Method::LeastCore => (least.allocation.clone(), None),
            _ => match allocation(game, method) {
                Ok(x) => (x, None),
                Err(GameError::UndefinedKey { reason, .. }) => {
                    skipped.push((method, reason));
                    continue;
                }
                Err(e) => return Err(e),
            },
        };
        let report = core_report(game, &allocation)?;
        let tolerance = if method.is_lp_based() || std_errors.is_some() {
            LP_REL_TOL * scale
        } else {
            report.tolerance
        };
        results.push(MethodResult {
            method,
            in_core: report.max_excess <= tolerance && report.efficiency_gap.abs() <= tolerance,
            max_excess: report.max_excess,
            most_tempting: report.most_tempting,
            allocation,
            std_errors,
        });
    }
    Ok(Analysis {
        results,
        skipped,
        core_nonempty: least.epsilon <= LP_REL_TOL * scale,
        least_core_epsilon: least.epsilon,
        n_permutations,
    })
}

/// A solver message with player indices (`player 2 has …`) replaced by the players' names.
pub fn with_player_names(reason: &str, players: &[String]) -> String {
    let mut named = reason.to_owned();
    // Highest index first, so `player 1` does not match inside `player 12`.
    for (i, name) in players.iter().enumerate().rev() {
        named = named.replace(&format!("player {i} "), &format!("`{name}` "));
    }
    named
}

/// The allocation of a method that needs no settings.
fn allocation(game: &CostGame, method: Method) -> Result<Vec<f64>, GameError> {
    Ok(match method {
        Method::Shapley => shapley_exact(game),
        Method::Nucleolus => nucleolus(game)?,
        Method::LeastCore => least_core(game)?.allocation,
        Method::Scrb => scrb(game),
        Method::EqualSplit => equal_split(game),
        Method::EqualSavings => equal_savings(game),
        Method::ProportionalSavings => proportional_savings(game)?,
        Method::ProportionalToStandalone => proportional_to_standalone(game)?,
    })
}

/// Permutation-sampled Shapley value from the game's table, seeded by the settings.
fn sampled_shapley(
    game: &CostGame,
    settings: &Settings,
) -> Result<samkost_game::SampledShapley, GameError> {
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    let cost = |members: &[bool]| {
        let mask = members
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .fold(0u32, |acc, (i, _)| acc | (1 << i));
        game.cost(mask)
    };
    shapley_sampled(cost, game.n(), settings.n_permutations, &mut rng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_lists_are_sorted_deduplicated_and_checked() {
        assert_eq!(
            Method::parse_list("nucleolus, shapley,nucleolus").unwrap(),
            vec![Method::Shapley, Method::Nucleolus]
        );
        let err = Method::parse_list("shaply").unwrap_err();
        assert!(err.contains("did you mean `shapley`?"), "{err}");
        assert!(Method::parse_list("shapley,").is_err());
    }

    #[test]
    fn sampled_shapley_is_used_beyond_the_exact_limit() {
        // An additive game: every join order gives player i its own cost i + 1 exactly.
        let n = MAX_EXACT_SHAPLEY_PLAYERS + 1;
        let game = CostGame::from_fn(n, |m| {
            (0..n)
                .filter(|i| m & (1 << i) != 0)
                .map(|i| (i + 1) as f64)
                .sum()
        })
        .unwrap();
        let settings = Settings {
            methods: vec![Method::Shapley],
            seed: 1,
            n_permutations: 8,
        };
        let analysis = analyse(&game, &settings).unwrap();
        let result = &analysis.results[0];
        assert_eq!(analysis.n_permutations, Some(8));
        assert!(result.std_errors.is_some());
        for (i, x) in result.allocation.iter().enumerate() {
            assert!((x - (i + 1) as f64).abs() < 1e-9, "{x}");
        }
    }

    #[test]
    fn undefined_keys_are_skipped_with_their_reason() {
        let game = CostGame::from_table(2, vec![0.0, -1.0, 3.0, 1.0]).unwrap();
        let settings = Settings {
            methods: vec![Method::EqualSplit, Method::ProportionalSavings],
            seed: 1,
            n_permutations: 100,
        };
        let analysis = analyse(&game, &settings).unwrap();
        assert_eq!(analysis.results.len(), 1);
        assert_eq!(analysis.skipped[0].0, Method::ProportionalSavings);
        let players = ["A".to_owned(), "B".to_owned()];
        assert_eq!(
            with_player_names(&analysis.skipped[0].1, &players),
            "`A` has a negative standalone cost"
        );
    }
}
