//! Cost-allocation keys (fordelingsnøkler).
//!
//! A key is agreed before costs are known: it fixes each member's share of the pooled cost, and
//! the shares are then applied to the realised pooled cost of every draw and year. A key can
//! use a different rule for running and for start-up costs. Rules produce shares from
//! observable member drivers; game-theoretic rules plug in through [`KeyContext`], which can
//! carry the planning cost game.

mod by_component;
mod by_year;
mod price_list;

pub use by_component::{ComponentRule, ComponentShares, CostPart};
pub use by_year::YearlyShares;
pub use price_list::PriceList;
use samkost_game::{CostGame, GameError};

use crate::games::RealisedGame;
use crate::model::{Category, DriverTable};

/// Why shares could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KeyError {
    /// The driver sums to zero or has a negative or non-finite value.
    #[error("driver `{driver}` must be finite and non-negative with a positive total")]
    BadDriver {
        /// Driver name.
        driver: String,
    },
    /// A driver given by year sums to zero, or has a negative or non-finite value, in a year.
    #[error(
        "driver `{driver}` must be finite and non-negative with a positive total in every year; year index {year} is not"
    )]
    BadDriverInYear {
        /// Driver name.
        driver: String,
        /// Year index.
        year: usize,
    },
    /// A price list that bills nothing in a year, or has a negative or non-finite price.
    #[error("a price list must have finite prices of 0 or more and bill a positive total{}", year_text(*.year))]
    BadPriceList {
        /// Year index, when a driver is given by year.
        year: Option<usize>,
    },
    /// A key recomputed on each draw that also follows a driver given by year.
    #[error(
        "a key whose game-theoretic rule is recomputed on each draw (`ex_post`) cannot also follow a driver given by year"
    )]
    ExPostByYear,
    /// Fixed shares do not sum to one or are out of range.
    #[error("fixed shares must each lie in [0, 1] and sum to 1, they sum to {sum}")]
    BadShares {
        /// Their sum.
        sum: f64,
    },
    /// The fixed part of a hybrid key is outside `[0, 1]`.
    #[error("the fixed part of a hybrid key must lie in [0, 1], got {0}")]
    BadFixedPart(f64),
    /// A game-theoretic rule without a game, or a game the method cannot solve.
    #[error("{0}")]
    Game(String),
    /// Shares that are not finite or do not sum to one.
    #[error("shares must be finite and sum to 1 (within 1e-9), they sum to {sum}")]
    NotShares {
        /// Their sum.
        sum: f64,
    },
}

fn year_text(year: Option<usize>) -> String {
    match year {
        Some(t) => format!(" in every year (year index {t} bills nothing)"),
        None => String::new(),
    }
}

/// The members' shares of a pooled cost: finite and summing to one within
/// [`Shares::SUM_TOLERANCE`]. Because every key's shares are of this type, the members' net
/// benefits add up to the region's under every key (ARCHITECTURE.md, invariant 6). A share
/// may be negative (a game-theoretic key can give a member less than its direct costs).
#[derive(Debug, Clone, PartialEq)]
pub struct Shares(Vec<f64>);

impl Shares {
    /// Largest accepted `|Σ s_i − 1|`.
    pub const SUM_TOLERANCE: f64 = 1e-9;

    /// Validates `values` as shares.
    pub fn new(values: Vec<f64>) -> Result<Self, KeyError> {
        let sum: f64 = values.iter().sum();
        if values.is_empty()
            || !values.iter().all(|v| v.is_finite())
            || (sum - 1.0).abs() > Self::SUM_TOLERANCE
        {
            return Err(KeyError::NotShares { sum });
        }
        Ok(Self(values))
    }

    /// The shares in member order.
    pub fn as_slice(&self) -> &[f64] {
        &self.0
    }
}

impl std::ops::Deref for Shares {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.0
    }
}

/// Solution concepts of cooperative cost games usable as keys: the game crate's one list of
/// methods (docs/MODEL.md, "Cost games").
pub use samkost_game::Method as GameMethod;

/// A draw's (or the planning) game: total NPV cost of every coalition, and what each member
/// pays itself in the cooperation, so that [`GameMethod::shares`] gives shares of the pooled
/// cost.
impl samkost_game::PooledGame for RealisedGame {
    fn cost_game(&self) -> Result<CostGame, GameError> {
        let table = (0..self.costs.len()).map(|m| self.total(m)).collect();
        CostGame::from_table(self.direct.len(), table)
    }

    fn direct_costs(&self) -> &[f64] {
        &self.direct
    }
}

/// A game method that failed on the planning game, as a key error; the nucleolus without
/// imputations says so in the planning game's money (NPV costs in whole NOK) and points to the
/// prenucleolus.
fn game_key_error(error: GameError) -> KeyError {
    match error {
        GameError::NoImputation {
            standalone_sum,
            grand,
        } => KeyError::Game(format!(
            "in the planning game, the nucleolus does not exist: the members' costs alone sum to {standalone_sum:.0} NOK (NPV), less than the cooperation's {grand:.0} NOK, so every split makes some member pay more than alone; use rule = \"prenucleolus\", the same rule without the bound that nobody pays more than alone"
        )),
        other => KeyError::Game(other.to_string()),
    }
}

/// A rule that turns member drivers into shares of a pooled cost.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyRule {
    /// `1/n` each.
    Equal,
    /// `D(i) / Σ D(j)` for one driver (population, users, …).
    Proportional {
        /// Driver index in the [`DriverTable`].
        driver: usize,
    },
    /// `α/n + (1−α) · D(i)/Σ D(j)`: a fixed part split equally, the rest by a driver
    /// (e.g. 30/70 is `α = 0.3` with population).
    Hybrid {
        /// Equal part `α`.
        fixed_part: f64,
        /// Driver index.
        driver: usize,
    },
    /// Percentages agreed in the scenario, one per member.
    Fixed {
        /// Shares in member order.
        shares: Vec<f64>,
    },
    /// Billing by a price list, settled at year end in proportion to the billed amounts: the
    /// share is `billed_i / Σ_j billed_j` (docs/MODEL.md §5b).
    PriceList(PriceList),
    /// A solution concept of the cost game: computed on the planning game before the run (or
    /// on each draw's realised game when the key is ex post).
    Game {
        /// The solution concept.
        method: GameMethod,
    },
}

/// What a rule may look at when it computes shares.
#[derive(Debug, Clone, Copy)]
pub struct KeyContext<'a> {
    /// Member drivers.
    pub drivers: &'a DriverTable,
    /// Number of members.
    pub n_members: usize,
    /// The planning game, for game-theoretic rules.
    pub planning: Option<&'a RealisedGame>,
    /// Year index of the first operating year: a rule on a driver given by year takes that
    /// year's values for its reference shares ([`ResolvedKey::shares`]).
    pub first_operating_year: usize,
}

/// Tolerance on the sum of shares.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-9;

impl KeyRule {
    /// Each member's share, in member order, summing to one: the reference shares, which for
    /// a rule on a driver given by year are those of the first operating year.
    pub fn shares(&self, ctx: &KeyContext<'_>) -> Result<Vec<f64>, KeyError> {
        self.shares_in_year(ctx, Some(ctx.first_operating_year))
    }

    /// The shares in year index `year`: a driver given by year takes that year's values (the
    /// base values when `year` is `None` or the driver has no path).
    pub fn shares_in_year(
        &self,
        ctx: &KeyContext<'_>,
        year: Option<usize>,
    ) -> Result<Vec<f64>, KeyError> {
        let n = ctx.n_members;
        match self {
            KeyRule::Equal => Ok(vec![1.0 / n as f64; n]),
            KeyRule::Proportional { driver } => proportional(ctx.drivers, *driver, year),
            KeyRule::Hybrid { fixed_part, driver } => {
                if !(0.0..=1.0).contains(fixed_part) {
                    return Err(KeyError::BadFixedPart(*fixed_part));
                }
                let by_driver = proportional(ctx.drivers, *driver, year)?;
                Ok(by_driver
                    .iter()
                    .map(|p| fixed_part / n as f64 + (1.0 - fixed_part) * p)
                    .collect())
            }
            KeyRule::PriceList(list) => list.shares(ctx.drivers, n, year),
            KeyRule::Game { method } => match ctx.planning {
                Some(game) => method.shares(game).map_err(game_key_error),
                None => Err(KeyError::Game(
                    "a game-theoretic key needs the planning game".to_owned(),
                )),
            },
            KeyRule::Fixed { shares } => {
                let sum: f64 = shares.iter().sum();
                let in_range = shares.iter().all(|s| (0.0..=1.0).contains(s));
                if shares.len() != n || !in_range || (sum - 1.0).abs() > 1e-6 {
                    return Err(KeyError::BadShares { sum });
                }
                // Renormalise away rounding in percentages written with few decimals.
                Ok(shares.iter().map(|s| s / sum).collect())
            }
        }
    }

    /// The driver whose path the rule follows, if it follows one.
    pub fn driver_with_path(&self, drivers: &DriverTable) -> Option<usize> {
        match self {
            KeyRule::Proportional { driver } | KeyRule::Hybrid { driver, .. } => {
                drivers.path(*driver).map(|_| *driver)
            }
            KeyRule::PriceList(list) => list.driver_with_path(drivers),
            _ => None,
        }
    }
}

fn proportional(
    drivers: &DriverTable,
    driver: usize,
    year: Option<usize>,
) -> Result<Vec<f64>, KeyError> {
    let path_row = year.and_then(|t| drivers.path(driver).and_then(|p| p.get(t)));
    let values = path_row.map_or_else(|| drivers.values(driver), Vec::as_slice);
    let total: f64 = values.iter().sum();
    if values.iter().any(|v| !v.is_finite() || *v < 0.0) || total <= 0.0 || !total.is_finite() {
        let driver = drivers.names()[driver].clone();
        return Err(match (path_row, year) {
            (Some(_), Some(year)) => KeyError::BadDriverInYear { driver, year },
            _ => KeyError::BadDriver { driver },
        });
    }
    Ok(values.iter().map(|v| v / total).collect())
}

/// A named key with a rule per cost category.
#[derive(Clone, PartialEq)]
pub struct Key {
    /// Name shown in reports and used in JSON.
    pub name: String,
    /// Rule for running costs.
    pub running: KeyRule,
    /// Rule for start-up costs.
    pub startup: KeyRule,
    /// Recompute game-theoretic rules on each draw's realised game (a research option)
    /// instead of fixing them on the planning game.
    pub ex_post: bool,
    /// Rules of their own for some components' pooled running cost (docs/MODEL.md §5c); the
    /// rest of the running cost follows `running`. Empty for an ordinary key.
    pub components: Vec<ComponentRule>,
}

/// The fields in order, `components` only when there are some: the scenario's hash is taken
/// over this text, so a key without rules per component keeps the hash it had before they
/// existed.
impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Key");
        d.field("name", &self.name)
            .field("running", &self.running)
            .field("startup", &self.startup)
            .field("ex_post", &self.ex_post);
        if !self.components.is_empty() {
            d.field("components", &self.components);
        }
        d.finish()
    }
}

impl Key {
    /// The same rule for every category.
    pub fn uniform(name: impl Into<String>, rule: KeyRule) -> Self {
        Self {
            name: name.into(),
            running: rule.clone(),
            startup: rule,
            ex_post: false,
            components: Vec::new(),
        }
    }

    /// The rule for one category.
    pub fn rule(&self, category: Category) -> &KeyRule {
        match category {
            Category::Running => &self.running,
            Category::StartUp => &self.startup,
        }
    }

    /// The shares per category and year when a rule follows a driver given by year
    /// (docs/MODEL.md §5a), else `None`.
    pub fn resolve_yearly(&self, ctx: &KeyContext<'_>) -> Result<Option<YearlyShares>, KeyError> {
        self.resolve_yearly_unless_by_component(ctx, false)
    }

    /// Shares per category: `shares[category][member]`.
    pub fn resolve(&self, ctx: &KeyContext<'_>) -> Result<ResolvedKey, KeyError> {
        let ex_post = |rule: &KeyRule| match rule {
            KeyRule::Game { method } if self.ex_post => Some(*method),
            _ => None,
        };
        let ex_post = [ex_post(&self.running), ex_post(&self.startup)];
        Ok(ResolvedKey {
            name: self.name.clone(),
            shares: [
                Shares::new(self.running.shares(ctx)?)?,
                Shares::new(self.startup.shares(ctx)?)?,
            ],
            yearly: self
                .resolve_yearly_unless_by_component(ctx, ex_post.iter().any(Option::is_some))?,
            components: by_component::component_shares(self, ctx)?,
            ex_post,
            share_std_errors: None,
        })
    }

    /// The yearly shares of §5a, `None` for a key per component (whose rules keep their own
    /// yearly shares in [`ComponentShares`]).
    fn resolve_yearly_unless_by_component(
        &self,
        ctx: &KeyContext<'_>,
        ex_post: bool,
    ) -> Result<Option<YearlyShares>, KeyError> {
        if self.components.is_empty() {
            by_year::yearly_shares(self, ctx, ex_post)
        } else {
            Ok(None)
        }
    }

    /// The shares per component of a key per component (docs/MODEL.md §5c), else `None`.
    pub fn resolve_components(
        &self,
        ctx: &KeyContext<'_>,
    ) -> Result<Option<ComponentShares>, KeyError> {
        by_component::component_shares(self, ctx)
    }
}

/// A key whose shares have been fixed before the simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedKey {
    /// Key name.
    pub name: String,
    /// `shares[category][member]`, each row summing to one: the reference shares (for a key
    /// that follows a driver given by year, those of the first operating year).
    pub shares: [Shares; 2],
    /// Shares per category and year, for a key that follows a driver given by year
    /// (docs/MODEL.md §5a); `None` when the shares are the same every year.
    pub yearly: Option<YearlyShares>,
    /// The shares per component of a key per component (docs/MODEL.md §5c); `None` for an
    /// ordinary key. Such a key's `shares[0]` are its reference running shares.
    pub components: Option<ComponentShares>,
    /// Per category, the method recomputed on each draw (ex-post keys).
    pub ex_post: [Option<GameMethod>; 2],
    /// Standard errors of the shares when they were estimated by sampling (the Shapley value
    /// of a cooperation beyond exact reach).
    pub share_std_errors: Option<Vec<f64>>,
}

impl ResolvedKey {
    /// Whether any category is recomputed on each draw.
    pub fn is_ex_post(&self) -> bool {
        self.ex_post.iter().any(Option::is_some)
    }

    /// The shares of category `category` (0 running, 1 start-up) in year index `year`.
    pub fn shares_in_year(&self, category: usize, year: usize) -> &[f64] {
        match &self.yearly {
            Some(yearly) => yearly.year(category, year),
            None => &self.shares[category],
        }
    }

    /// Whether a rule needs the planning game.
    pub fn needs_game(key: &Key) -> bool {
        let game = |rule: &KeyRule| matches!(rule, KeyRule::Game { .. });
        game(&key.running) || game(&key.startup) || key.components.iter().any(|c| game(&c.rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Member;
    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    #[test]
    fn shares_must_be_finite_and_sum_to_one() {
        assert!(Shares::new(vec![0.25, 0.75]).is_ok());
        assert!(
            Shares::new(vec![1.5, -0.5]).is_ok(),
            "negative shares are allowed"
        );
        assert_eq!(
            Shares::new(vec![0.5, 0.6]),
            Err(KeyError::NotShares { sum: 1.1 })
        );
        assert!(Shares::new(vec![f64::NAN, 1.0]).is_err());
        assert!(Shares::new(Vec::new()).is_err());
        assert!(Shares::new(vec![0.5, 0.5 + 2.0 * Shares::SUM_TOLERANCE]).is_err());
    }

    /// Members `0000`, `0001`, … with these populations (also for the tests of `by_year` and
    /// `by_component`).
    pub(super) fn table(pops: &[f64]) -> DriverTable {
        let members: Vec<Member> = pops
            .iter()
            .enumerate()
            .map(|(i, p)| Member {
                id: format!("{i:04}"),
                name: format!("m{i}"),
                population: *p,
            })
            .collect();
        DriverTable::new(&members)
    }

    #[test]
    fn thirty_seventy_matches_hand_calculation() {
        // Two members with 1,000 and 3,000 inhabitants under 30/70:
        // 0.3/2 + 0.7·0.25 = 0.325 and 0.3/2 + 0.7·0.75 = 0.675.
        let drivers = table(&[1000.0, 3000.0]);
        let ctx = KeyContext {
            drivers: &drivers,
            n_members: 2,
            planning: None,
            first_operating_year: 0,
        };
        let rule = KeyRule::Hybrid {
            fixed_part: 0.3,
            driver: 0,
        };
        let shares = rule.shares(&ctx).unwrap();
        assert!((shares[0] - 0.325).abs() < 1e-15);
        assert!((shares[1] - 0.675).abs() < 1e-15);
    }

    #[test]
    fn fixed_shares_must_sum_to_one() {
        let drivers = table(&[1.0, 1.0]);
        let ctx = KeyContext {
            drivers: &drivers,
            n_members: 2,
            planning: None,
            first_operating_year: 0,
        };
        let rule = KeyRule::Fixed {
            shares: vec![0.5, 0.6],
        };
        assert!(matches!(rule.shares(&ctx), Err(KeyError::BadShares { .. })));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, rng_seed: RngSeed::Fixed(20240101), ..ProptestConfig::default() })]
        #[test]
        fn shares_sum_to_one_and_are_monotone(
            pops in proptest::collection::vec(1.0f64..1e6, 2..12),
            alpha in 0.0f64..=1.0,
        ) {
            let drivers = table(&pops);
            let ctx = KeyContext { drivers: &drivers, n_members: pops.len(), planning: None, first_operating_year: 0 };
            for rule in [
                KeyRule::Equal,
                KeyRule::Proportional { driver: 0 },
                KeyRule::Hybrid { fixed_part: alpha, driver: 0 },
            ] {
                let shares = rule.shares(&ctx).unwrap();
                let sum: f64 = shares.iter().sum();
                prop_assert!((sum - 1.0).abs() < SHARE_SUM_TOLERANCE);
                // A larger driver never gives a smaller share.
                for i in 0..pops.len() {
                    for j in 0..pops.len() {
                        if pops[i] > pops[j] {
                            prop_assert!(shares[i] >= shares[j] - 1e-15);
                        }
                    }
                }
            }
        }
    }
}
