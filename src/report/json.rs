//! The JSON summary (`--format json`, `summary.json`) and the tidy members CSV.
//!
//! Schema: `scenario` (name, seed, draws, horizon_years, first_year, discount_rate), `members`
//! (id, name, population), `region` (npv_net_benefit {mean, p10, p50, p90}, p_win) and `keys`
//! (name, p_all_win, members: id, share, p_win, npv_net_benefit, payback_year {p10, p50, p90},
//! p_ahead_by_year). Money in NOK, years as calendar years. No timings: the same inputs give
//! byte-identical JSON.

use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{RunConfig, RunResults, Summary};
use serde::Serialize;

use crate::scenario::Scenario;

/// Root of the JSON summary.
#[derive(Debug, Serialize)]
pub struct SummaryJson {
    provenance: ProvenanceJson,
    scenario: ScenarioJson,
    members: Vec<MemberJson>,
    region: RegionJson,
    keys: Vec<KeyJson>,
    yearly: YearlyJson,
    assumptions: Vec<AssumptionJson>,
    warnings: Vec<String>,
    /// The precision reached when the run was asked for one (`--precision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionJson>,
}

/// The outcome of precision control.
#[derive(Debug, Serialize)]
pub struct PrecisionJson {
    /// `p_all_win` or `npv_mean`.
    pub measure: String,
    /// The 95 % half-width asked for.
    pub target: f64,
    /// The 95 % half-width achieved.
    pub achieved: f64,
    /// Whether the target was reached (else the run stopped at --max-draws).
    pub reached: bool,
}

/// Mean yearly flows of the region (undiscounted NOK), cash and budget views.
#[derive(Debug, Serialize)]
struct YearlyJson {
    years: Vec<i32>,
    standalone_cost: Vec<f64>,
    cooperation_cost: Vec<f64>,
    net_benefit_cash: Vec<f64>,
    net_benefit_budget: Vec<f64>,
}

/// One uncertain input as the run used it.
#[derive(Debug, Serialize)]
struct AssumptionJson {
    name: String,
    distribution: &'static str,
    mean: f64,
    p10: f64,
    p50: f64,
    p90: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tail_share_of_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

#[derive(Debug, Serialize)]
struct YearlyNetJson {
    cash: Vec<f64>,
    budget: Vec<f64>,
}

/// Everything needed to reproduce the numbers.
#[derive(Debug, Serialize)]
struct ProvenanceJson {
    samkost_version: &'static str,
    scenario_hash: String,
    seed: u64,
    draws: u64,
    sampling: &'static str,
}

#[derive(Debug, Serialize)]
struct ScenarioJson {
    name: String,
    seed: u64,
    draws: u64,
    horizon_years: usize,
    first_year: i32,
    operation_start: i32,
    discount_rate: f64,
    /// Draws on which core stability was checked.
    stability_draws: u64,
    /// `monte_carlo`, `latin_hypercube` or `sobol`.
    sampling: &'static str,
    /// `type7` (exact, every draw kept) or `ddsketch_0.001` (relative accuracy 0.1 %).
    quantiles: &'static str,
}

#[derive(Debug, Serialize)]
struct MemberJson {
    id: String,
    name: String,
    population: f64,
}

#[derive(Debug, Serialize)]
struct Stats {
    mean: f64,
    /// Monte Carlo standard error of the mean.
    mean_se: f64,
    /// False when the standard error exceeds the mean itself: the draws do not establish the
    /// mean's sign, so it must not be read as a number.
    mean_reliable: bool,
    p10: f64,
    p50: f64,
    p90: f64,
    /// Mean of the worst 10 % of draws (CVaR₁₀; a negative value is the expected loss there).
    cvar10: f64,
}

impl From<&Summary> for Stats {
    fn from(s: &Summary) -> Self {
        Self {
            mean: s.mean,
            mean_se: s.se_mean,
            mean_reliable: s.se_mean <= s.mean.abs(),
            p10: s.p10,
            p50: s.p50,
            p90: s.p90,
            cvar10: s.cvar10,
        }
    }
}

#[derive(Debug, Serialize)]
struct RegionJson {
    npv_net_benefit: Stats,
    p_win: f64,
    /// Expected NPV of the start-up (transition) costs.
    startup_cost_npv: f64,
    /// Region's mean NPV per krone of start-up cost (Digdir's ranking measure).
    npv_per_invested_krone: Option<f64>,
}

#[derive(Debug, Serialize)]
struct KeyJson {
    name: String,
    p_all_win: f64,
    p_all_win_se: f64,
    /// Highest over lowest cost per inhabitant per year among the members.
    burden_ratio: Option<f64>,
    /// Whether the burden ratio exceeds the threshold.
    burden_flag: bool,
    /// Probability that no coalition would do better alone (null: not checked).
    p_core_stable: Option<f64>,
    /// The coalition most often tempted to break away (null: none was).
    top_breakaway: Option<BreakawayJson>,
    members: Vec<KeyMemberJson>,
}

#[derive(Debug, Serialize)]
struct BreakawayJson {
    members: Vec<String>,
    p: f64,
}

#[derive(Debug, Serialize)]
struct PaybackJson {
    p10: Option<i32>,
    p50: Option<i32>,
    p90: Option<i32>,
}

#[derive(Debug, Serialize)]
struct KeyMemberJson {
    id: String,
    share: f64,
    /// Mean yearly cost per inhabitant in the cooperation over the operating years, NOK.
    cost_per_inhabitant: f64,
    p_loss: f64,
    p_win_se: f64,
    /// Standard error of the share when it was estimated by sampling.
    #[serde(skip_serializing_if = "Option::is_none")]
    share_se: Option<f64>,
    p_win: f64,
    npv_net_benefit: Stats,
    payback_year: PaybackJson,
    p_ahead_by_year: Vec<f64>,
    yearly_net_benefit: YearlyNetJson,
}

/// Builds the JSON summary of a run; `seed` and `draws` are those actually used.
pub fn summary(
    scenario: &Scenario,
    results: &RunResults,
    config: &RunConfig,
    burden_threshold: f64,
) -> SummaryJson {
    let seed = config.seed;
    let model = &scenario.model;
    let year = |idx: Option<u16>| idx.map(|t| model.first_year + i32::from(t));
    let sampling = match config.sampling {
        SamplingMethod::MonteCarlo => "monte_carlo",
        SamplingMethod::LatinHypercube => "latin_hypercube",
        SamplingMethod::Sobol => "sobol",
    };
    SummaryJson {
        provenance: ProvenanceJson {
            samkost_version: env!("CARGO_PKG_VERSION"),
            scenario_hash: scenario.hash(),
            seed,
            draws: results.n_draws,
            sampling,
        },
        scenario: ScenarioJson {
            name: scenario.name.clone(),
            seed,
            draws: results.n_draws,
            horizon_years: model.horizon_years,
            first_year: model.first_year,
            operation_start: model.first_year + model.operation_start as i32,
            discount_rate: model.discounting.headline_rate(),
            stability_draws: results.stability_draws,
            sampling,
            quantiles: if results.draws_kept() {
                "type7"
            } else {
                "ddsketch_0.001"
            },
        },
        members: model
            .members
            .iter()
            .map(|m| MemberJson {
                id: m.id.clone(),
                name: m.name.clone(),
                population: m.population,
            })
            .collect(),
        region: {
            let startup = super::metrics::startup_npv(scenario, results);
            RegionJson {
                npv_net_benefit: (&results.region_npv).into(),
                p_win: results.region_p_win.p,
                startup_cost_npv: startup,
                npv_per_invested_krone: (startup > 0.0).then(|| results.region_npv.mean / startup),
            }
        },
        keys: results
            .keys
            .iter()
            .enumerate()
            .map(|(key_idx, k)| {
                (
                    key_idx,
                    k,
                    super::metrics::cost_per_inhabitant(scenario, results, key_idx),
                )
            })
            .map(|(_, k, per_inhabitant)| KeyJson {
                name: k.name.clone(),
                p_all_win: k.p_all_win.p,
                p_all_win_se: k.p_all_win.se,
                burden_ratio: super::metrics::burden_ratio(&per_inhabitant).map(|b| b.0),
                burden_flag: super::metrics::burden_ratio(&per_inhabitant)
                    .is_some_and(|b| b.0 > burden_threshold),
                p_core_stable: k.p_core_stable.map(|p| p.p),
                top_breakaway: k.top_breakaway.as_ref().map(|(members, p)| BreakawayJson {
                    members: members
                        .iter()
                        .map(|&i| model.members[i].id.clone())
                        .collect(),
                    p: *p,
                }),
                members: k
                    .members
                    .iter()
                    .zip(&model.members)
                    .enumerate()
                    .map(|(idx, (o, m))| KeyMemberJson {
                        id: m.id.clone(),
                        share: o.share_first_operating_year,
                        cost_per_inhabitant: per_inhabitant[idx],
                        p_loss: 1.0 - o.p_win.p,
                        p_win_se: o.p_win.se,
                        share_se: k.share_std_errors.as_ref().map(|se| se[idx]),
                        p_win: o.p_win.p,
                        npv_net_benefit: (&o.npv_net_benefit).into(),
                        payback_year: PaybackJson {
                            p10: year(o.payback_year[0]),
                            p50: year(o.payback_year[1]),
                            p90: year(o.payback_year[2]),
                        },
                        p_ahead_by_year: o.p_ahead_by_year.clone(),
                        yearly_net_benefit: YearlyNetJson {
                            cash: o.mean_net_cash_by_year.clone(),
                            budget: o.mean_net_budget_by_year.clone(),
                        },
                    })
                    .collect(),
            })
            .collect(),
        yearly: yearly(model, results),
        assumptions: assumptions(model),
        precision: None,
        warnings: scenario
            .warnings
            .iter()
            .map(|w| format!("{}:{}:{}: {}", w.file, w.line, w.column, w.message))
            .collect(),
    }
}

fn yearly(model: &samkost_core::model::Model, results: &RunResults) -> YearlyJson {
    let flows = &results.mean_flows;
    let horizon = model.horizon_years;
    let n = model.n_members();
    let standalone_cost = (0..horizon)
        .map(|t| (0..n).map(|i| flows.standalone[i][t]).sum())
        .collect();
    let (cash, budget): (Vec<f64>, Vec<f64>) =
        (0..horizon).map(|t| flows.region_net_benefit(t)).unzip();
    let cooperation_cost = (0..horizon)
        .map(|t| (0..n).map(|i| flows.standalone[i][t]).sum::<f64>() - cash[t])
        .collect();
    YearlyJson {
        years: (0..horizon).map(|t| model.first_year + t as i32).collect(),
        standalone_cost,
        cooperation_cost,
        net_benefit_cash: cash,
        net_benefit_budget: budget,
    }
}

fn assumptions(model: &samkost_core::model::Model) -> Vec<AssumptionJson> {
    model
        .parameters
        .iter()
        .map(|p| {
            let d = &p.distribution;
            let tail = d.tail_share_of_mean();
            AssumptionJson {
                name: p.name.clone(),
                distribution: d.kind_name(),
                mean: d.mean(),
                p10: d.quantile(0.1),
                p50: d.quantile(0.5),
                p90: d.quantile(0.9),
                tail_share_of_mean: (d.kind_name() == "overrun").then_some(tail),
                source: p.source.clone(),
            }
        })
        .collect()
}

/// One row per key and member: the tidy form of the key comparison.
pub fn members_csv(scenario: &Scenario, results: &RunResults) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "key",
        "member_id",
        "member_name",
        "population",
        "share",
        "p_win",
        "p_win_se",
        "npv_mean",
        "npv_se",
        "npv_p10",
        "npv_p50",
        "npv_p90",
    ])?;
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

/// Yearly flows, tidy: the region's rows (mean costs, mean net benefit in both views, and the
/// P10/P50/P90 band of its discounted cumulative net benefit), then one row per key, member and
/// year (mean net benefit in both views, probability of being ahead).
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
    ])?;
    for t in 0..model.horizon_years {
        let year = (model.first_year + t as i32).to_string();
        let alone: f64 = (0..n).map(|i| flows.standalone[i][t]).sum();
        let (cash, budget) = flows.region_net_benefit(t);
        let band = results.region_cumulative_bands[t];
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
        ])?;
    }
    for key in &results.keys {
        for (o, m) in key.members.iter().zip(&model.members) {
            for t in 0..model.horizon_years {
                w.write_record([
                    (model.first_year + t as i32).to_string(),
                    key.name.clone(),
                    m.id.clone(),
                    String::new(),
                    String::new(),
                    o.mean_net_cash_by_year[t].to_string(),
                    o.mean_net_budget_by_year[t].to_string(),
                    o.p_ahead_by_year[t].to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ])?;
            }
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
