//! The tidy CSV tables of a run: `members.csv` (one row per key and member), `keys.csv` (one
//! row per key) and `yearly.csv` (one row per year, key and member, and the region's).

use samkost_core::simulation::RunResults;

use crate::scenario::Scenario;

/// One row per key and member: the tidy form of the key comparison.
pub fn members_csv(scenario: &Scenario, results: &RunResults) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // The sweep's value columns up to the percentiles: a sweep row is a members.csv row with
    // the key's and the region's measures after it.
    w.write_record(&super::sweep::VALUE_COLUMNS[..12])?;
    for key in &results.keys {
        for (o, m) in key.members.iter().zip(&scenario.model.members) {
            let s = &o.npv_net_benefit;
            w.write_record([
                key.name.clone(),
                m.id.clone(),
                m.name.clone(),
                m.population.to_string(),
                o.share_first_operating_year.to_string(),
                o.p_win.p.to_string(),
                o.p_win.se.to_string(),
                s.mean.to_string(),
                s.se_mean.to_string(),
                s.p10.to_string(),
                s.p50.to_string(),
                s.p90.to_string(),
            ])?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// One row per key: the key-level measures.
pub fn keys_csv(
    scenario: &Scenario,
    results: &RunResults,
    burden_threshold: f64,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "key",
        "p_all_win",
        "p_all_win_se",
        "p_core_stable",
        "top_breakaway",
        "top_breakaway_p",
        "burden_ratio",
        "burden_flag",
    ])?;
    for (k, key) in results.keys.iter().enumerate() {
        let burden = super::metrics::burden_ratio(&super::metrics::cost_per_inhabitant(
            scenario, results, k,
        ))
        .map(|b| b.0);
        let (group, p) =
            key.top_breakaway
                .as_ref()
                .map_or((String::new(), String::new()), |(m, p)| {
                    (
                        m.iter()
                            .map(|&i| scenario.model.members[i].id.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        p.to_string(),
                    )
                });
        w.write_record([
            key.name.clone(),
            key.p_all_win.p.to_string(),
            key.p_all_win.se.to_string(),
            key.p_core_stable
                .map_or_else(String::new, |p| p.p.to_string()),
            group,
            p,
            burden.map_or_else(String::new, |b| b.to_string()),
            burden.is_some_and(|b| b > burden_threshold).to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Yearly flows, tidy: the region's rows (mean costs, mean net benefit in both views, the
/// P10/P50/P90 band of its discounted cumulative net benefit, the pooled running and start-up
/// costs and the members' own costs), then one row per key, member and year (what the member
/// would pay alone and pays in the cooperation, mean net benefit in both views, probability of
/// being ahead, the member's fan band when the run computed one, and its payments to the
/// cooperation for running and start-up and its own costs; under a price-list key what it is
/// billed and the year-end settlement).
pub fn yearly_csv(scenario: &Scenario, results: &RunResults) -> Result<Vec<u8>, csv::Error> {
    let model = &scenario.model;
    let flows = &results.mean_flows;
    let n = model.n_members();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "year",
        "key",
        "member_id",
        "standalone_cost_mean",
        "cooperation_cost_mean",
        "net_benefit_cash_mean",
        "net_benefit_budget_mean",
        "p_ahead",
        "cumulative_npv_p10",
        "cumulative_npv_p50",
        "cumulative_npv_p90",
        "to_cooperation_running_mean",
        "to_cooperation_startup_mean",
        "own_cost_mean",
        "billed_mean",
        "settlement_mean",
    ])?;
    for t in 0..model.horizon_years {
        let year = (model.first_year + t as i32).to_string();
        let alone: f64 = (0..n).map(|i| flows.standalone[i][t]).sum();
        let (cash, budget) = flows.region_net_benefit(t);
        let band = results.region_cumulative_bands[t];
        let [running, startup, own] = super::payments::region_parts(results, t);
        w.write_record([
            year,
            String::new(),
            "region".to_owned(),
            alone.to_string(),
            (alone - cash).to_string(),
            cash.to_string(),
            budget.to_string(),
            String::new(),
            band[0].to_string(),
            band[1].to_string(),
            band[2].to_string(),
            running.to_string(),
            startup.to_string(),
            own.to_string(),
            String::new(),
            String::new(),
        ])?;
    }
    for (k, key) in results.keys.iter().enumerate() {
        let billed: Vec<_> = (0..n)
            .map(|i| super::payments::billed(scenario, k, i))
            .collect();
        for (i, (o, m)) in key.members.iter().zip(&model.members).enumerate() {
            let settlement = billed[i]
                .as_ref()
                .map(|b| super::payments::settlement(&o.payments.to_cooperation_running, b));
            for t in 0..model.horizon_years {
                let band = results
                    .member_band(k, i, t)
                    .map(|b| b.map(|v| v.to_string()));
                let [p10, p50, p90] = band.unwrap_or_default();
                let pay = &o.payments;
                let (billed, settlement) = match (&billed[i], &settlement) {
                    (Some(b), Some(s)) => (b[t].to_string(), s[t].to_string()),
                    _ => (String::new(), String::new()),
                };
                w.write_record([
                    (model.first_year + t as i32).to_string(),
                    key.name.clone(),
                    m.id.clone(),
                    pay.standalone[t].to_string(),
                    pay.total(t).to_string(),
                    o.mean_net_cash_by_year[t].to_string(),
                    o.mean_net_budget_by_year[t].to_string(),
                    o.p_ahead_by_year[t].to_string(),
                    p10,
                    p50,
                    p90,
                    pay.to_cooperation_running[t].to_string(),
                    pay.to_cooperation_startup[t].to_string(),
                    pay.own[t].to_string(),
                    billed,
                    settlement,
                ])?;
            }
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
