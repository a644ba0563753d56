//! Billing by a price list with a year-end settlement (docs/MODEL.md §5b).
//!
//! During the year the cooperation bills each member its units times the unit prices (per
//! user, per device, per service subscribed — any driver — and a fee per member); at year end
//! the difference between the cooperation's actual pooled cost and the billed total is settled
//! in proportion to the billed amounts. What member `i` pays for the year is then
//!
//! ```text
//! billed_i(t)     = f + Σ_d p_d · D_d(i, t)
//! settlement_i(t) = (P(t) − Σ_j billed_j(t)) · billed_i(t) / Σ_j billed_j(t)
//! billed_i(t) + settlement_i(t) = P(t) · billed_i(t) / Σ_j billed_j(t)
//! ```
//!
//! so the key's share in year `t` is `billed_i(t) / Σ_j billed_j(t)`: shares that sum to one,
//! like any key's, with the billed amounts and settlements shown beside them.

use super::KeyError;
use crate::model::DriverTable;

/// Unit prices of a price list, NOK per year in the run's (first-year) prices.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceList {
    /// `(driver index, NOK per unit per year)`: users, devices, services subscribed, …
    pub unit_prices: Vec<(usize, f64)>,
    /// NOK per member per year (a membership or base service fee).
    pub per_member: f64,
}

impl PriceList {
    /// What each member is billed in year index `year` (its driver values in that year when
    /// a driver is given by year, else the base values); `None` for the base values.
    pub fn billed(&self, drivers: &DriverTable, n_members: usize, year: Option<usize>) -> Vec<f64> {
        let mut billed = vec![self.per_member; n_members];
        for &(driver, price) in &self.unit_prices {
            let path_row = year.and_then(|t| drivers.path(driver).and_then(|p| p.get(t)));
            let values = path_row.map_or_else(|| drivers.values(driver), Vec::as_slice);
            for (b, v) in billed.iter_mut().zip(values) {
                *b += price * v;
            }
        }
        billed
    }

    /// The shares `billed_i / Σ_j billed_j` in year index `year`.
    pub fn shares(
        &self,
        drivers: &DriverTable,
        n_members: usize,
        year: Option<usize>,
    ) -> Result<Vec<f64>, KeyError> {
        let prices_ok = self.per_member.is_finite()
            && self.per_member >= 0.0
            && self
                .unit_prices
                .iter()
                .all(|(_, p)| p.is_finite() && *p >= 0.0);
        let billed = self.billed(drivers, n_members, year);
        let total: f64 = billed.iter().sum();
        if !(prices_ok && total > 0.0 && total.is_finite()) {
            let year = year.filter(|_| self.driver_with_path(drivers).is_some());
            return Err(KeyError::BadPriceList { year });
        }
        Ok(billed.iter().map(|b| b / total).collect())
    }

    /// The first driver of the list that is given by year.
    pub fn driver_with_path(&self, drivers: &DriverTable) -> Option<usize> {
        self.unit_prices
            .iter()
            .map(|(d, _)| *d)
            .find(|d| drivers.path(*d).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Member;

    /// Two members with 100 and 300 users and 10 and 20 devices; 2,000 NOK per user, 1,000
    /// per device and 50,000 per member: billed 50,000 + 200,000 + 10,000 = 260,000 and
    /// 50,000 + 600,000 + 20,000 = 670,000; shares 260/930 and 670/930.
    #[test]
    fn billed_amounts_and_shares_by_hand() {
        let members: Vec<Member> = ["a", "b"]
            .iter()
            .map(|id| Member {
                id: (*id).to_owned(),
                name: (*id).to_owned(),
                population: 1.0,
            })
            .collect();
        let mut drivers = DriverTable::new(&members);
        let users = drivers.push("users", vec![100.0, 300.0]);
        let devices = drivers.push("devices", vec![10.0, 20.0]);
        let list = PriceList {
            unit_prices: vec![(users, 2000.0), (devices, 1000.0)],
            per_member: 50_000.0,
        };
        assert_eq!(list.billed(&drivers, 2, None), [260_000.0, 670_000.0]);
        let shares = list.shares(&drivers, 2, Some(0)).unwrap();
        assert!((shares[0] - 260.0 / 930.0).abs() < 1e-15);
        assert!((shares[1] - 670.0 / 930.0).abs() < 1e-15);
        let nothing = PriceList {
            unit_prices: vec![(users, 0.0)],
            per_member: 0.0,
        };
        assert_eq!(
            nothing.shares(&drivers, 2, None),
            Err(KeyError::BadPriceList { year: None })
        );
    }
}
