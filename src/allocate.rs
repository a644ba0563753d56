//! Solution concepts applied to one cost game: the allocations `samkost allocate` reports,
//! each with its core check, plus the least core.
//!
//! This module only computes (no I/O, no formatting): the game comes from
//! [`crate::scenario::game_file`], the bytes are made by [`crate::report`]. The formulas are
//! in the `samkost-game` crate and in docs/MODEL.md ("Cost games and game-theoretic keys").

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;
pub use samkost_game::Method;
use samkost_game::{
    CostGame, GameError, LeastCore, MAX_EXACT_PLAYERS, core_report, core_tolerance, least_core,
    shapley_sampled,
};

use crate::scenario::game_file::closest;

/// Parses a comma-separated list (`shapley,nucleolus`) into methods in the documented order
/// ([`Method::ALL`]), without repeats. The error names the closest method for a typo.
///
/// # Errors
/// A message (lowercase fragment) for an empty list or an unknown name.
pub fn parse_methods(text: &str) -> Result<Vec<Method>, String> {
    let names = || Method::ALL.map(Method::name).join(", ");
    let mut chosen = Vec::new();
    for raw in text.split(',') {
        let name = raw.trim();
        if name.is_empty() {
            return Err(format!(
                "empty method name in `--methods {text}`\n  = help: methods: {}",
                names()
            ));
        }
        match Method::from_name(name) {
            Some(method) => chosen.push(method),
            None => {
                let help = match closest(name, Method::ALL.iter().map(|m| m.name())) {
                    Some(best) => format!("did you mean `{best}`? methods: {}", names()),
                    None => format!("methods: {}", names()),
                };
                return Err(format!("unknown method `{name}`\n  = help: {help}"));
            }
        }
    }
    chosen.sort();
    chosen.dedup();
    Ok(chosen)
}

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Methods, in the documented order.
    pub methods: Vec<Method>,
    /// Seed of the sampled Shapley value (used only beyond [`MAX_EXACT_PLAYERS`]).
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
    /// Whether no proper coalition pays more than it would alone, by the game crate's one
    /// core check ([`core_report`], tolerance `CORE_REL_TOL · scale`, the same for every
    /// method).
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
    /// Requested methods without a result for this game, each with the rest of a sentence
    /// that starts with the method's name (see [`skip_reason`]).
    pub skipped: Vec<(Method, String)>,
    /// Whether the core is non-empty (`ε* ≤ CORE_REL_TOL · scale`); `None` beyond
    /// [`MAX_EXACT_PLAYERS`] players, where the least core is not computed.
    pub core_nonempty: Option<bool>,
    /// `ε*`, the least-core value: the smallest `ε` with `x(S) − c(S) ≤ ε` for all proper `S`;
    /// `None` beyond [`MAX_EXACT_PLAYERS`] players.
    pub least_core_epsilon: Option<f64>,
    /// Join orders drawn, when the Shapley value was sampled.
    pub n_permutations: Option<usize>,
}

/// Computes every requested method, its core check, and (up to [`MAX_EXACT_PLAYERS`]
/// players) the least core. Beyond [`MAX_EXACT_PLAYERS`] players the Shapley value is
/// estimated by permutation sampling and the linear-programming methods are skipped.
///
/// # Errors
/// [`GameError::LpFailed`] if a linear program fails; [`GameError::InvalidInput`] for fewer
/// than 4 permutations when sampling is needed.
pub fn analyse(game: &CostGame, settings: &Settings) -> Result<Analysis, GameError> {
    let exact = game.n() <= MAX_EXACT_PLAYERS;
    let least = if exact { Some(least_core(game)?) } else { None };
    if let Some(least) = &least {
        check_numbers(game, "the least core", &least.allocation, least.epsilon)?;
    }
    let mut results = Vec::new();
    let mut skipped = Vec::new();
    let mut n_permutations = None;
    for &method in &settings.methods {
        let computed = match (method, &least) {
            (Method::Shapley, _) if !exact => {
                let sampled = sampled_shapley(game, settings)?;
                n_permutations = Some(2 * sampled.n_pairs);
                Ok((sampled.values, Some(sampled.std_errors)))
            }
            (Method::LeastCore, Some(LeastCore { allocation, .. })) => {
                Ok((allocation.clone(), None))
            }
            _ => method.allocate(game).map(|x| (x, None)),
        };
        let (allocation, std_errors) = match computed {
            Ok(found) => found,
            Err(error) => match skip_reason(&error) {
                Some(reason) => {
                    skipped.push((method, reason));
                    continue;
                }
                None => return Err(error),
            },
        };
        let report = core_report(game, &allocation)?;
        check_numbers(game, method.name(), &allocation, report.max_excess)?;
        results.push(MethodResult {
            method,
            in_core: report.in_core,
            max_excess: report.max_excess,
            most_tempting: report.most_tempting,
            allocation,
            std_errors,
        });
    }
    Ok(Analysis {
        results,
        skipped,
        core_nonempty: least
            .as_ref()
            .map(|least| least.epsilon <= core_tolerance(game)),
        least_core_epsilon: least.map(|least| least.epsilon),
        n_permutations,
    })
}

/// Refuses an allocation with a number that is not finite, or one that does not add up to
/// `c(N)`: both happen only when the costs are so large that sums inside the method overflow
/// (beyond about 1e307), and either would otherwise reach the output as NaN, ±inf or a wrong
/// allocation.
///
/// # Errors
/// [`GameError::InvalidInput`] naming `what` (the method) and the largest cost's coalition.
fn check_numbers(
    game: &CostGame,
    what: &str,
    allocation: &[f64],
    max_excess: f64,
) -> Result<(), GameError> {
    let total: f64 = allocation.iter().sum();
    let problem = if allocation.iter().any(|x| !x.is_finite()) {
        "the allocation is not finite"
    } else if !max_excess.is_finite() {
        "the core check is not finite"
    } else if !total.is_finite() || (total - game.grand()).abs() > core_tolerance(game) {
        "the allocation does not add up to c(N)"
    } else {
        return Ok(());
    };
    let (mask, largest) = game
        .costs()
        .iter()
        .enumerate()
        .map(|(mask, c)| (mask, c.abs()))
        .fold(
            (0, 0.0),
            |best, next| if next.1 > best.1 { next } else { best },
        );
    Err(GameError::InvalidInput {
        reason: format!(
            "{what}: {problem} (the costs are too large to add: coalition {mask:#b} costs {largest:e}); scale the costs, e.g. to MNOK"
        ),
    })
}

/// Why a method has no result for a game, as the rest of a sentence that starts with the
/// method's name (`nucleolus does not exist for this game: …`); `None` for a failure that is
/// not the game's (a solver failure).
pub fn skip_reason(error: &GameError) -> Option<String> {
    match error {
        GameError::UndefinedKey { reason, .. } => {
            Some(format!("is not defined for this game: {reason}"))
        }
        GameError::NoImputation {
            standalone_sum,
            grand,
        } => {
            let (alone, grand) = amounts(*standalone_sum, *grand);
            Some(format!(
                "does not exist for this game: the costs alone sum to {alone}, less than c(N) = {grand}, so every allocation makes some player pay more than alone (the prenucleolus has no such bound)"
            ))
        }
        GameError::TooLargeFor { n, max, .. } => Some(format!(
            "is computed for at most {max} players (it needs every coalition); this game has {n}"
        )),
        _ => None,
    }
}

/// Two amounts of a game for a message: whole numbers as they are, others to two decimals
/// (a game of NOK written by `samkost game` has seventeen-digit values), or as written when
/// two decimals would make them look equal.
fn amounts(a: f64, b: f64) -> (String, String) {
    let whole = |x: f64| x.fract() == 0.0 && x.abs() < 1e15;
    if whole(a) && whole(b) {
        return (a.to_string(), b.to_string());
    }
    let (short_a, short_b) = (format!("{a:.2}"), format!("{b:.2}"));
    if short_a == short_b {
        (a.to_string(), b.to_string())
    } else {
        (short_a, short_b)
    }
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
            parse_methods("prenucleolus,nucleolus, shapley,nucleolus").unwrap(),
            vec![Method::Shapley, Method::Nucleolus, Method::Prenucleolus]
        );
        let err = parse_methods("shaply").unwrap_err();
        assert!(err.contains("did you mean `shapley`?"), "{err}");
        assert!(parse_methods("shapley,").is_err());
    }

    #[test]
    fn sampled_shapley_is_used_beyond_the_exact_limit() {
        // An additive game: every join order gives player i its own cost i + 1 exactly.
        let n = MAX_EXACT_PLAYERS + 1;
        let game = CostGame::from_fn(n, |m| {
            (0..n)
                .filter(|i| m & (1 << i) != 0)
                .map(|i| (i + 1) as f64)
                .sum()
        })
        .unwrap();
        let settings = Settings {
            methods: vec![Method::Shapley, Method::Nucleolus, Method::Scrb],
            seed: 1,
            n_permutations: 8,
        };
        let analysis = analyse(&game, &settings).unwrap();
        let result = &analysis.results[0];
        assert_eq!(analysis.n_permutations, Some(8));
        // The LP methods and the least core are left out beyond the exact limit, with why.
        assert_eq!(analysis.results[1].method, Method::Scrb);
        assert_eq!(analysis.skipped.len(), 1);
        assert_eq!(
            analysis.skipped[0],
            (
                Method::Nucleolus,
                "is computed for at most 20 players (it needs every coalition); this game has 21"
                    .to_owned()
            )
        );
        assert_eq!(analysis.core_nonempty, None);
        assert!(result.std_errors.is_some());
        for (i, x) in result.allocation.iter().enumerate() {
            assert!((x - (i + 1) as f64).abs() < 1e-9, "{x}");
        }
    }

    #[test]
    fn amounts_in_messages_are_whole_or_to_two_decimals_unless_that_hides_their_difference() {
        assert_eq!(super::amounts(3.0, 4.0), ("3".into(), "4".into()));
        assert_eq!(
            super::amounts(201_377_787.962_323_43, 217_193_414.966_415_58),
            ("201377787.96".into(), "217193414.97".into())
        );
        assert_eq!(
            super::amounts(0.301, 0.304),
            ("0.301".into(), "0.304".into())
        );
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
            "is not defined for this game: `A` has a negative standalone cost"
        );
    }
}
