//! Win-win measures derived from a run's results (docs/MODEL.md §6), shared by every output format.

use samkost_core::simulation::RunResults;

use crate::scenario::Scenario;

/// Default threshold of the burden ratio (SSIKT's dispute broke out near 2.1).
pub const DEFAULT_BURDEN_THRESHOLD: f64 = 2.0;

/// Mean yearly cost per inhabitant of each member in the cooperation under key `k`, over the
/// operating years (from the first operating year to the end of the horizon): the mean of
/// `paid_i(t) / population_i`, where `paid_i(t)` is the member's expected payment in year `t`
/// (its standalone cost minus its net benefit), in NOK.
pub fn cost_per_inhabitant(scenario: &Scenario, results: &RunResults, k: usize) -> Vec<f64> {
    let model = &scenario.model;
    let start = model
        .operation_start
        .min(model.horizon_years.saturating_sub(1));
    let years = start..model.horizon_years;
    let n_years = years.len().max(1) as f64;
    results.keys[k]
        .members
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let paid: f64 = years
                .clone()
                .map(|t| results.mean_flows.standalone[i][t] - o.mean_net_cash_by_year[t])
                .sum();
            paid / n_years / model.members[i].population
        })
        .collect()
}

/// Ratio between the most and the least burdened member's cost per inhabitant, with their
/// indices; `None` when a cost is not positive (the ratio is then meaningless).
pub fn burden_ratio(costs: &[f64]) -> Option<(f64, usize, usize)> {
    let (hi, max) = costs
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let (lo, min) = costs
        .iter()
        .copied()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    (min > 0.0).then_some((max / min, hi, lo))
}

/// Expected NPV of the start-up costs of the cooperation (pooled and per member).
pub fn startup_npv(scenario: &Scenario, results: &RunResults) -> f64 {
    let model = &scenario.model;
    let flows = &results.mean_flows;
    model
        .discounting
        .factors(model.horizon_years)
        .iter()
        .enumerate()
        .map(|(t, d)| d * (flows.pooled[1][t] + flows.direct[1].iter().map(|m| m[t]).sum::<f64>()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burden_ratio_names_the_extremes() {
        // SSIKT 2013: Sande 1,244 NOK per inhabitant, Herøy 594 → ratio 2.094.
        let (ratio, hi, lo) = burden_ratio(&[900.0, 594.0, 1244.0]).unwrap();
        assert!((ratio - 1244.0 / 594.0).abs() < 1e-12);
        assert_eq!((hi, lo), (2, 1));
        assert_eq!(burden_ratio(&[100.0, -5.0]), None);
    }
}
