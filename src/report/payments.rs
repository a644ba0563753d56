//! What each member pays, year by year: the mean payments of `summary.json`
//! (`keys[].members[].yearly_payments`, `yearly.pooled_*`) built from the run's mean flows.
//! `yearly.csv` and the workbook take the same numbers from here.

use samkost_core::allocation::KeyRule;
use samkost_core::simulation::{Payments, RunResults};
use serde::Serialize;

use crate::scenario::Scenario;

/// What a member pays in each year under one key, mean over the draws, NOK, cash view
/// (docs/MODEL.md §6, "Payments").
#[derive(Debug, Serialize)]
pub struct PaymentsJson {
    /// What the member would pay alone (its standalone cost).
    pub standalone_cost: Vec<f64>,
    /// What it pays the cooperation for the pooled running cost.
    pub to_cooperation_running: Vec<f64>,
    /// What it pays the cooperation for the pooled start-up cost.
    pub to_cooperation_startup: Vec<f64>,
    /// What it still pays itself in the cooperation (own running and start-up costs).
    pub own_cost: Vec<f64>,
    /// Everything it pays in the cooperation: the three above.
    pub total_paid: Vec<f64>,
    /// What alone costs minus what the cooperation costs it (the cash net benefit).
    pub difference: Vec<f64>,
    /// Under a price-list key: what the member is billed during the year for running costs,
    /// units × unit prices (docs/MODEL.md §5b).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billed: Option<Vec<f64>>,
    /// Under a price-list key: the year-end settlement, `to_cooperation_running − billed`
    /// (positive: the member pays more; negative: it gets money back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Vec<f64>>,
}

impl PaymentsJson {
    /// The JSON form of a member's mean payments.
    pub fn of(p: &Payments) -> Self {
        let years = 0..p.standalone.len();
        Self {
            standalone_cost: p.standalone.clone(),
            to_cooperation_running: p.to_cooperation_running.clone(),
            to_cooperation_startup: p.to_cooperation_startup.clone(),
            own_cost: p.own.clone(),
            total_paid: years.clone().map(|t| p.total(t)).collect(),
            difference: years.map(|t| p.difference(t)).collect(),
            billed: None,
            settlement: None,
        }
    }

    /// The same with the billed amounts of a price-list key and the settlement they leave.
    pub fn with_billing(mut self, billed: Option<Vec<f64>>) -> Self {
        self.settlement = billed
            .as_ref()
            .map(|b| settlement(&self.to_cooperation_running, b));
        self.billed = billed;
        self
    }
}

/// The year-end settlement of each year: what the member pays for running costs less what it
/// was billed (docs/MODEL.md §5b).
pub fn settlement(paid_running: &[f64], billed: &[f64]) -> Vec<f64> {
    paid_running
        .iter()
        .zip(billed)
        .map(|(p, b)| p - b)
        .collect()
}

/// What `member` is billed in each year under key `key` when its running rule is a price
/// list: units × unit prices from the first operating year on, nothing before it (the
/// cooperation has no running service to bill yet; docs/MODEL.md §5b). A key per component
/// bills nothing even when a price list shares one of its parts (§5c).
pub fn billed(scenario: &Scenario, key: usize, member: usize) -> Option<Vec<f64>> {
    let key = scenario.keys.get(key)?;
    let KeyRule::PriceList(list) = &key.running else {
        return None;
    };
    if !key.components.is_empty() {
        return None;
    }
    let model = &scenario.model;
    let bill = |t: usize| {
        if t < model.operation_start {
            return 0.0;
        }
        let all = list.billed(&model.drivers, model.n_members(), Some(t));
        all.get(member).copied().unwrap_or(f64::NAN)
    };
    Some((0..model.horizon_years).map(bill).collect())
}

/// The region's pooled and own costs in year `t`: pooled running, pooled start-up, and the sum
/// of what the members still pay themselves.
pub fn region_parts(results: &RunResults, t: usize) -> [f64; 3] {
    let f = &results.mean_flows;
    let own = (0..f.standalone.len())
        .map(|i| f.direct[0][i][t] + f.direct[1][i][t])
        .sum();
    [f.pooled[0][t], f.pooled[1][t], own]
}
