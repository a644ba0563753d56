//! Keys whose shares follow a driver given by year (docs/MODEL.md §5a).
//!
//! A `proportional` or `hybrid` rule on a driver that has a path over the horizon gives one
//! set of shares per year: the rule applied to that year's driver values. A key has yearly
//! shares when either of its rules follows such a driver; the other category then repeats
//! its constant shares in every year, so that every year's shares are validated [`Shares`]
//! and invariant 6 (members' net benefits add up to the region's) holds year by year.

use super::{Key, KeyContext, KeyError, Shares};

/// Shares per category and year: `year(category, year)[member]`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearlyShares {
    /// `rows[category][year]`.
    rows: [Vec<Shares>; 2],
}

impl YearlyShares {
    /// The shares of `category` (0 running, 1 start-up) in year index `year`; the last year's
    /// beyond the horizon.
    pub fn year(&self, category: usize, year: usize) -> &[f64] {
        let rows = &self.rows[category];
        &rows[year.min(rows.len().saturating_sub(1))]
    }

    /// Number of years.
    pub fn n_years(&self) -> usize {
        self.rows[0].len()
    }
}

/// The yearly shares of `key`, or `None` when neither rule follows a driver given by year.
pub(super) fn yearly_shares(
    key: &Key,
    ctx: &KeyContext<'_>,
    ex_post: bool,
) -> Result<Option<YearlyShares>, KeyError> {
    let rules = [&key.running, &key.startup];
    let years = rules
        .iter()
        .filter_map(|r| r.driver_with_path(ctx.drivers))
        .filter_map(|d| ctx.drivers.path(d).map(<[Vec<f64>]>::len))
        .max();
    let Some(n_years) = years else {
        return Ok(None);
    };
    if ex_post {
        return Err(KeyError::ExPostByYear);
    }
    let mut rows: [Vec<Shares>; 2] = [Vec::new(), Vec::new()];
    for (slot, rule) in rows.iter_mut().zip(rules) {
        for t in 0..n_years {
            slot.push(Shares::new(rule.shares_in_year(ctx, Some(t))?)?);
        }
    }
    Ok(Some(YearlyShares { rows }))
}

#[cfg(test)]
mod tests {
    use super::super::KeyRule;
    use super::*;
    use crate::model::DriverTable;

    fn two_members() -> DriverTable {
        super::super::tests::table(&[1000.0, 3000.0])
    }

    /// Population 1,000 and 3,000 in year 0, growing to 2,000 and 2,000 in year 2: the
    /// proportional shares are 1/4, 3/8 (1,500 of 4,000: 1,500 and 2,500) and 1/2; under a
    /// 30/70 hybrid 0.15 + 0.7·s. Start-up stays equal in every year.
    #[test]
    fn shares_follow_the_driver_year_by_year() {
        let mut drivers = two_members();
        drivers.set_path(
            0,
            vec![
                vec![1000.0, 3000.0],
                vec![1500.0, 2500.0],
                vec![2000.0, 2000.0],
            ],
        );
        let ctx = KeyContext {
            drivers: &drivers,
            n_members: 2,
            planning: None,
            first_operating_year: 1,
        };
        let key = Key {
            name: "k".to_owned(),
            running: KeyRule::Hybrid {
                fixed_part: 0.3,
                driver: 0,
            },
            startup: KeyRule::Equal,
            ex_post: false,
            components: Vec::new(),
        };
        let resolved = key.resolve(&ctx).unwrap();
        let yearly = resolved.yearly.as_ref().unwrap();
        assert_eq!(yearly.n_years(), 3);
        for (t, s) in [0.25, 0.375, 0.5].into_iter().enumerate() {
            let expected = 0.15 + 0.7 * s;
            assert!((resolved.shares_in_year(0, t)[0] - expected).abs() < 1e-15);
            assert!((resolved.shares_in_year(1, t)[0] - 0.5).abs() < 1e-15);
        }
        // The reference shares are the first operating year's.
        assert!((resolved.shares[0][0] - (0.15 + 0.7 * 0.375)).abs() < 1e-15);
    }

    #[test]
    fn a_year_without_any_driver_is_an_error_naming_the_year() {
        let mut drivers = two_members();
        drivers.set_path(0, vec![vec![1000.0, 3000.0], vec![0.0, 0.0]]);
        let ctx = KeyContext {
            drivers: &drivers,
            n_members: 2,
            planning: None,
            first_operating_year: 0,
        };
        let key = Key::uniform("p", KeyRule::Proportional { driver: 0 });
        assert_eq!(
            key.resolve(&ctx).unwrap_err(),
            KeyError::BadDriverInYear {
                driver: "population".to_owned(),
                year: 1
            }
        );
    }
}
