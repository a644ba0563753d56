//! Cost-allocation keys that need only `c({i})`, `c(N ∖ {i})` and `c(N)`: SCRB, equal
//! split, equal savings, proportional savings and proportional to standalone cost.
//!
//! Every key returns one share per player, in player order, summing to `c(N)`.

use crate::{CostGame, GameError};

/// Equal split: `x_i = c(N) / n`.
pub fn equal_split(game: &CostGame) -> Vec<f64> {
    vec![game.grand() / game.n() as f64; game.n()]
}

/// Equal savings: the savings `Σ_j c({j}) − c(N)` are shared equally,
/// `x_i = c({i}) − (Σ_j c({j}) − c(N)) / n` (Young, Okada & Hashimoto 1982, "Cost allocation
/// in water resources development", Water Resources Research 18(3):463–475).
pub fn equal_savings(game: &CostGame) -> Vec<f64> {
    let n = game.n() as f64;
    let standalone = game.standalones();
    let savings = standalone.iter().sum::<f64>() - game.grand();
    standalone.iter().map(|&c| c - savings / n).collect()
}

/// Proportional savings: the savings are shared in proportion to standalone cost,
/// `x_i = c({i}) − (Σ_j c({j}) − c(N)) · c({i}) / Σ_j c({j})`.
///
/// Algebraically this equals [`proportional_to_standalone`] (both give
/// `x_i = c(N)·c({i})/Σ_j c({j})`): each member saves the same fraction of its alone-cost.
/// Both names are kept because users ask for the key under either.
///
/// # Errors
/// [`GameError::UndefinedKey`] if `Σ_j c({j}) ≤ 0` or some `c({i}) < 0`.
pub fn proportional_savings(game: &CostGame) -> Result<Vec<f64>, GameError> {
    let standalone = checked_standalones(game, "proportional savings")?;
    let total: f64 = standalone.iter().sum();
    let savings = total - game.grand();
    Ok(standalone
        .iter()
        .map(|&c| c - savings * c / total)
        .collect())
}

/// Proportional to standalone cost: `x_i = c(N) · c({i}) / Σ_j c({j})`.
///
/// # Errors
/// [`GameError::UndefinedKey`] if `Σ_j c({j}) ≤ 0` or some `c({i}) < 0`.
pub fn proportional_to_standalone(game: &CostGame) -> Result<Vec<f64>, GameError> {
    let standalone = checked_standalones(game, "proportional to standalone cost")?;
    let total: f64 = standalone.iter().sum();
    Ok(standalone
        .iter()
        .map(|&c| game.grand() * c / total)
        .collect())
}

fn checked_standalones(game: &CostGame, key: &'static str) -> Result<Vec<f64>, GameError> {
    let standalone = game.standalones();
    if let Some(i) = standalone.iter().position(|&c| c < 0.0) {
        return Err(GameError::UndefinedKey {
            key,
            reason: format!("player {i} has a negative standalone cost"),
        });
    }
    if standalone.iter().sum::<f64>() <= 0.0 {
        return Err(GameError::UndefinedKey {
            key,
            reason: "the standalone costs sum to zero".to_string(),
        });
    }
    Ok(standalone)
}

/// Separable costs, remaining benefits (SCRB), the classic water-resources key
/// (TVA 1930s; Young, Okada & Hashimoto 1982; James & Lee 1971, "Economics of Water Resources
/// Planning"):
///
/// - separable cost `SC_i = c(N) − c(N ∖ {i})`, what `i` adds at the end;
/// - remaining benefit `r_i = c({i}) − SC_i`, what `i` still gains from cooperating after
///   paying its separable cost (its alternative is going alone);
/// - non-separable cost `NSC = c(N) − Σ_j SC_j`, shared in proportion to remaining benefits:
///   `x_i = SC_i + NSC · r_i⁺ / Σ_j r_j⁺`.
///
/// Documented rules for the degenerate cases: a negative remaining benefit is clamped to
/// zero (`r_i⁺ = max(r_i, 0)`: a member whose separable cost already exceeds its standalone
/// cost takes no share of the non-separable cost); if `Σ_j r_j⁺ = 0` the non-separable cost
/// is split equally. For `n = 1` the single player pays `c(N)`.
pub fn scrb(game: &CostGame) -> Vec<f64> {
    let n = game.n();
    let grand = game.grand();
    let full = game.grand_mask();
    if n == 1 {
        return vec![grand];
    }
    let separable: Vec<f64> = (0..n)
        .map(|i| grand - game.cost(full & !(1u32 << i)))
        .collect();
    let remaining: Vec<f64> = (0..n)
        .map(|i| (game.standalone(i) - separable[i]).max(0.0))
        .collect();
    let non_separable = grand - separable.iter().sum::<f64>();
    let total_remaining: f64 = remaining.iter().sum();
    (0..n)
        .map(|i| {
            let share = if total_remaining > 0.0 {
                remaining[i] / total_remaining
            } else {
                1.0 / n as f64
            };
            separable[i] + non_separable * share
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrb_clamps_negative_remaining_benefits() {
        // Player 1's separable cost c(N) − c({0}) = 9 exceeds its standalone cost 4, so its
        // remaining benefit is clamped to 0 and player 0 takes the whole non-separable cost.
        let game = CostGame::from_table(2, vec![0.0, 3.0, 4.0, 12.0]).unwrap();
        // SC = (12 − 4, 12 − 3) = (8, 9); r = (3 − 8, 4 − 9) → (0, 0): NSC = −5 split equally.
        assert_eq!(scrb(&game), vec![8.0 - 2.5, 9.0 - 2.5]);
        let game = CostGame::from_table(2, vec![0.0, 6.0, 4.0, 8.0]).unwrap();
        // SC = (4, 2), r = (2, 2), NSC = 2 → (5, 3).
        assert_eq!(scrb(&game), vec![5.0, 3.0]);
        // Three players, only player 2's remaining benefit is negative:
        // SC = (10.5 − 6.5, 10.5 − 6.5, 10.5 − 9) = (4, 4, 1.5), r = (2, 2, −0.5 → 0),
        // NSC = 10.5 − 9.5 = 1 goes to players 0 and 1 only.
        let game = CostGame::from_table(3, vec![0.0, 6.0, 6.0, 9.0, 1.0, 6.5, 6.5, 10.5]).unwrap();
        assert_eq!(scrb(&game), vec![4.5, 4.5, 1.5]);
        let game = CostGame::from_table(2, vec![0.0, 10.0, 1.0, 12.0]).unwrap();
        // SC = (11, 2), r = (−1 → 0, −1 → 0): NSC = −1 split equally.
        assert_eq!(scrb(&game), vec![10.5, 1.5]);
    }

    #[test]
    fn single_player_pays_everything() {
        let game = CostGame::from_table(1, vec![0.0, 7.0]).unwrap();
        assert_eq!(scrb(&game), vec![7.0]);
        assert_eq!(equal_split(&game), vec![7.0]);
        assert_eq!(equal_savings(&game), vec![7.0]);
        assert_eq!(proportional_to_standalone(&game).unwrap(), vec![7.0]);
    }

    #[test]
    fn proportional_keys_refuse_zero_or_negative_standalone_costs() {
        let zero = CostGame::from_table(2, vec![0.0, 0.0, 0.0, 1.0]).unwrap();
        let err = proportional_to_standalone(&zero).unwrap_err();
        assert_eq!(
            err.to_string(),
            "proportional to standalone cost is undefined: the standalone costs sum to zero"
        );
        let negative = CostGame::from_table(2, vec![0.0, -1.0, 3.0, 1.0]).unwrap();
        assert!(matches!(
            proportional_savings(&negative),
            Err(GameError::UndefinedKey {
                key: "proportional savings",
                ..
            })
        ));
    }
}
