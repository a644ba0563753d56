//! Every key's shares fixed before the run, as they would be agreed before costs are known.

use crate::allocation::{ResolvedKey, Shares};
use crate::games::MAX_EXACT_MEMBERS;
use crate::model::Model;

/// How the planning game of game-theoretic keys is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanningConfig {
    /// Planning draws (streams separate from the run's).
    pub n_draws: u64,
    /// Mean or percentile of each coalition's cost.
    pub basis: crate::games::PlanningBasis,
}

impl Default for PlanningConfig {
    fn default() -> Self {
        Self {
            n_draws: 1000,
            basis: crate::games::PlanningBasis::Mean,
        }
    }
}

/// Fixes every key's shares before the run, as they would be agreed before costs are known.
/// Game-theoretic rules are computed on the planning game, built only when a key needs it.
pub fn resolve_keys(
    model: &Model,
    keys: &[crate::allocation::Key],
    seed: u64,
    planning: &PlanningConfig,
) -> Result<(Vec<ResolvedKey>, Option<crate::games::PlanningGame>), crate::allocation::KeyError> {
    use crate::allocation::{KeyContext, KeyError};
    let needs_game = keys.iter().any(ResolvedKey::needs_game);
    if needs_game && model.n_members() > MAX_EXACT_MEMBERS {
        let mut resolved = resolve_keys_sampled(model, keys, seed)?;
        component_references(model, &mut resolved)?;
        return Ok((resolved, None));
    }
    let game = needs_game
        .then(|| crate::games::planning_game(model, seed, planning.n_draws.max(1), planning.basis));
    let ctx = KeyContext {
        drivers: &model.drivers,
        n_members: model.n_members(),
        planning: game.as_ref().map(|g| &g.game),
        first_operating_year: model.operation_start,
    };
    let resolved = keys
        .iter()
        .map(|k| {
            k.resolve(&ctx)
                .map_err(|e| KeyError::Game(format!("key `{}`: {e}", k.name)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut resolved = resolved;
    component_references(model, &mut resolved)?;
    Ok((resolved, game))
}

/// Sets the reference running shares of every key per component (docs/MODEL.md §5c); such a
/// key cannot be combined with membership events.
fn component_references(
    model: &Model,
    keys: &mut [ResolvedKey],
) -> Result<(), crate::allocation::KeyError> {
    use crate::allocation::KeyError;
    for key in keys.iter_mut() {
        let Some(cs) = &key.components else {
            continue;
        };
        if model.has_events() {
            return Err(KeyError::Game(format!(
                "key `{}`: a key per component cannot be used with membership events ([[events]])",
                key.name
            )));
        }
        let reference = super::component_keys::reference_shares(model, key, cs)
            .map_err(|e| KeyError::Game(format!("key `{}`: {e}", key.name)))?;
        key.shares[0] = reference;
    }
    Ok(())
}

/// Keys of a cooperation beyond exact reach: the Shapley value is estimated by permutation
/// sampling (its standard errors are kept with the key); other game-theoretic rules need every
/// coalition and are refused.
fn resolve_keys_sampled(
    model: &Model,
    keys: &[crate::allocation::Key],
    seed: u64,
) -> Result<Vec<ResolvedKey>, crate::allocation::KeyError> {
    use crate::allocation::{GameMethod, KeyContext, KeyError, KeyRule};
    let n = model.n_members();
    for key in keys {
        for rule in [&key.running, &key.startup] {
            if let KeyRule::Game { method } = rule
                && *method != GameMethod::Shapley
            {
                return Err(KeyError::Game(format!(
                    "key `{}`: for more than {MAX_EXACT_MEMBERS} members only the Shapley value can be used as a game-theoretic key (it is estimated by sampling); the other concepts need the cost of all 2^{n} coalitions",
                    key.name
                )));
            }
        }
        if key.ex_post && ResolvedKey::needs_game(key) {
            return Err(KeyError::Game(format!(
                "key `{}`: ex-post game keys need at most {MAX_EXACT_MEMBERS} members",
                key.name
            )));
        }
    }
    let (shapley, direct) =
        crate::games::sampled_shapley(model, seed).map_err(|e| KeyError::Game(e.to_string()))?;
    let pooled: f64 = shapley.values.iter().zip(&direct).map(|(x, d)| x - d).sum();
    if !pooled.is_finite() || pooled.abs() < 1e-9 {
        return Err(KeyError::Game(
            "the cooperation has no pooled cost to share".to_owned(),
        ));
    }
    let shares: Vec<f64> = shapley
        .values
        .iter()
        .zip(&direct)
        .map(|(x, d)| (x - d) / pooled)
        .collect();
    let share_se: Vec<f64> = shapley
        .std_errors
        .iter()
        .map(|se| se / pooled.abs())
        .collect();
    let ctx = KeyContext {
        drivers: &model.drivers,
        n_members: n,
        planning: None,
        first_operating_year: model.operation_start,
    };
    keys.iter()
        .map(|key| {
            let rule_shares = |rule: &KeyRule| match rule {
                KeyRule::Game { .. } => Ok(shares.clone()),
                other => other.shares(&ctx),
            };
            // Rules on drivers given by year are never game-theoretic: their yearly shares
            // are the ordinary ones.
            let yearly = key.resolve_yearly(&ctx)?;
            let resolved = ResolvedKey {
                name: key.name.clone(),
                shares: [
                    Shares::new(rule_shares(&key.running)?)?,
                    Shares::new(rule_shares(&key.startup)?)?,
                ],
                yearly,
                components: key.resolve_components(&ctx)?,
                ex_post: [None, None],
                share_std_errors: ResolvedKey::needs_game(key).then(|| share_se.clone()),
            };
            Ok(resolved)
        })
        .collect::<Result<Vec<_>, KeyError>>()
        .map_err(|e| KeyError::Game(e.to_string()))
}
