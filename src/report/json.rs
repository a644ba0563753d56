//! The JSON summary (`--format json`, `summary.json`).
//!
//! Schema: `scenario` (name, seed, draws, horizon_years, first_year, discount_rate), `members`
//! (id, name, population), `region` (npv_net_benefit {mean, p10, p50, p90}, p_win) and `keys`
//! (name, p_all_win, members: id, share, p_win, npv_net_benefit, payback_year {p10, p50, p90},
//! p_ahead_by_year; leaving: per year from the first operating year, who would gain by
//! leaving, docs/MODEL.md §10a). Money in NOK, years as calendar years. No timings: the same inputs give
//! byte-identical JSON.

use samkost_core::model::{DriverTable, Parameter};
use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{RunConfig, RunResults, Summary};
use serde::Serialize;

use crate::scenario::Scenario;

/// Root of the JSON summary.
#[derive(Debug, Serialize)]
pub struct SummaryJson {
    /// What produced these numbers.
    pub provenance: ProvenanceJson,
    /// The scenario as run.
    pub scenario: ScenarioJson,
    /// The members, in scenario order.
    pub members: Vec<MemberJson>,
    /// The region as a whole.
    pub region: RegionJson,
    /// One entry per key, in scenario order.
    pub keys: Vec<KeyJson>,
    /// The region's mean yearly flows.
    pub yearly: YearlyJson,
    /// The municipal accounts view: operating and investment budgets and the økonomiplan
    /// (docs/MODEL.md §6b); absent when the run did not book them (a run that prints only
    /// the terminal table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipal_accounts: Option<super::accounts::AccountsJson>,
    /// Each key's NPVs in the cash, budget and socio-economic views (docs/MODEL.md §6d).
    pub npv_views: super::views::ViewsJson,
    /// The uncertain inputs as the run used them.
    pub assumptions: Vec<AssumptionJson>,
    /// The scenario's warnings (`file:line:column: message`).
    pub warnings: Vec<String>,
    /// Members' standalone costs scaled to their accounts (docs/MODEL.md, "Baselines from the
    /// accounts"); absent when no member gave its actual figures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calibration: Vec<CalibrationJson>,
    /// One-at-a-time sensitivity of the region's NPV (each input at its P10 and P90, the others
    /// at their medians), largest swing first; absent when not computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tornado: Option<TornadoJson>,
    /// Variance-based (Sobol') sensitivity of the region's NPV, largest total index first;
    /// absent when not computed (`run --sobol 0`, or no uncertain input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sobol: Option<SobolJson>,
    /// The best hybrid key designed for the scenario (docs/MODEL.md §13.6), when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub designed_key: Option<super::recommend::DesignedKeyJson>,
    /// The key to consider first and why (docs/MODEL.md §13.6); absent without keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<super::recommend::RecommendationJson>,
    /// The precision reached when the run was asked for one (`--precision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionJson>,
}

/// Tornado data of the region's NPV.
#[derive(Debug, Serialize)]
pub struct TornadoJson {
    /// The region's NPV with every uncertain input at its median.
    pub base_output: f64,
    /// One bar per uncertain input, largest swing first.
    pub bars: Vec<TornadoBarJson>,
}

/// Where an inline input sits in the scenario (see [`ParameterOrigin`]).
#[derive(Debug, Clone, Serialize)]
pub struct OriginJson {
    /// `component`, `line`, `organisation`, `transition` or `assets`.
    pub part: &'static str,
    /// The component's or line's name (empty for sections).
    pub owner: String,
    /// The field as written in the scenario (`critical_mass`, `per.users`); for part
    /// `parameter`, the parameter's name.
    pub field: String,
    /// The author's words for the input (`label`), used instead of the field in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<LabelJson>,
}

impl OriginJson {
    /// Where an input sits and its author's words: an inline input's origin (with its
    /// `label`, if any); for a named input of `[parameters]`, part `parameter` with its name
    /// as the field when it has a `label`, else `None` (its name is then its words).
    pub fn of(p: &Parameter) -> Option<Self> {
        let label = p.label.as_ref().map(|l| LabelJson {
            en: l.en.clone(),
            nb: l.nb.clone(),
        });
        match (&p.origin, label) {
            (Some(origin), label) => Some(Self {
                part: origin.part.name(),
                owner: origin.owner.clone(),
                field: origin.field.clone(),
                label,
            }),
            (None, Some(label)) => Some(Self {
                part: "parameter",
                owner: String::new(),
                field: p.name.clone(),
                label: Some(label),
            }),
            (None, None) => None,
        }
    }
}

/// A scenario author's words for an input, per report language.
#[derive(Debug, Clone, Serialize)]
pub struct LabelJson {
    /// English.
    pub en: String,
    /// Norwegian Bokmål.
    pub nb: String,
}

/// Sobol' indices of the region's NPV.
#[derive(Debug, Serialize)]
pub struct SobolJson {
    /// Base sample size `N` (a power of two).
    pub n_base: usize,
    /// Model evaluations, `N(k + 2)` for `k` uncertain inputs.
    pub evaluations: usize,
    /// Seed of the Sobol' design and the bootstrap.
    pub seed: u64,
    /// Bootstrap resamples behind the 95 % intervals.
    pub bootstrap_resamples: usize,
    /// Variance of the region's NPV over the design's base rows.
    pub output_variance: f64,
    /// One entry per uncertain input, largest total index first.
    pub inputs: Vec<SobolInputJson>,
}

/// One input's Sobol' indices.
#[derive(Debug, Serialize)]
pub struct SobolInputJson {
    /// The scenario parameter.
    pub parameter: String,
    /// Where it sits in the scenario, for inline inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<OriginJson>,
    /// First-order index `S_i` (Saltelli 2010).
    pub first_order: f64,
    /// Its 95 % bootstrap interval.
    pub first_order_ci: Option<[f64; 2]>,
    /// Total index `ST_i` (Jansen 1999): the share of the variance that would vanish if the
    /// input were known, interactions included.
    pub total_order: f64,
    /// Its 95 % bootstrap interval.
    pub total_order_ci: Option<[f64; 2]>,
}

/// One input's tornado bar.
#[derive(Debug, Serialize)]
pub struct TornadoBarJson {
    /// The scenario parameter.
    pub parameter: String,
    /// Where it sits in the scenario, for inline inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<OriginJson>,
    /// The input at its P10 and P90.
    pub input_low: f64,
    /// The input at its P90.
    pub input_high: f64,
    /// The region's NPV with this input at its P10.
    pub output_at_low: f64,
    /// The region's NPV with this input at its P90.
    pub output_at_high: f64,
    /// `|output_at_high − output_at_low|`.
    pub swing: f64,
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
pub struct YearlyJson {
    /// Calendar years of the horizon.
    pub years: Vec<i32>,
    /// Sum of the members' expected standalone costs by year.
    pub standalone_cost: Vec<f64>,
    /// Expected cost of the cooperation by year.
    pub cooperation_cost: Vec<f64>,
    /// Expected net benefit by year, cash view.
    pub net_benefit_cash: Vec<f64>,
    /// Expected net benefit by year, budget view.
    pub net_benefit_budget: Vec<f64>,
    /// Expected pooled running cost of the cooperation by year (what the members pay it for
    /// running under any key, together).
    pub pooled_running: Vec<f64>,
    /// Expected pooled start-up cost of the cooperation by year.
    pub pooled_startup: Vec<f64>,
    /// Expected sum of what the members still pay themselves in the cooperation, by year.
    pub own_cost: Vec<f64>,
    /// The region's discounted cumulative net benefit at the end of each year: P10, P50, P90
    /// (from quantile sketches, within 0.1 % relative accuracy).
    pub cumulative_npv: BandJson,
}

/// P10, P50 and P90 of a quantity by year.
#[derive(Debug, Serialize)]
pub struct BandJson {
    /// 10th percentile by year.
    pub p10: Vec<f64>,
    /// Median by year.
    pub p50: Vec<f64>,
    /// 90th percentile by year.
    pub p90: Vec<f64>,
}

impl BandJson {
    fn from_triples(triples: impl Iterator<Item = [f64; 3]>) -> Self {
        let mut band = Self {
            p10: Vec::new(),
            p50: Vec::new(),
            p90: Vec::new(),
        };
        for [a, b, c] in triples {
            band.p10.push(a);
            band.p50.push(b);
            band.p90.push(c);
        }
        band
    }
}

/// One uncertain input as the run used it.
#[derive(Debug, Serialize)]
pub struct AssumptionJson {
    /// Name.
    pub name: String,
    /// Distribution kind.
    pub distribution: &'static str,
    /// Mean.
    pub mean: f64,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// For overrun factors: the share of the mean that comes from the fat tail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail_share_of_mean: Option<f64>,
    /// Where the figure comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where it sits in the scenario, for inline inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<OriginJson>,
}

/// Mean net benefit by year in both views.
#[derive(Debug, Serialize)]
pub struct YearlyNetJson {
    /// Cash view, NOK by year.
    pub cash: Vec<f64>,
    /// Budget view, NOK by year.
    pub budget: Vec<f64>,
}

/// Everything needed to reproduce the numbers.
#[derive(Debug, Serialize)]
pub struct ProvenanceJson {
    /// Version of samkost.
    pub samkost_version: &'static str,
    /// SHA-256-style hash of the scenario's text.
    pub scenario_hash: String,
    /// Random seed.
    pub seed: u64,
    /// Number of draws.
    pub draws: u64,
    /// `monte_carlo`, `latin_hypercube` or `sobol`.
    pub sampling: &'static str,
}

/// The scenario as run.
#[derive(Debug, Serialize)]
pub struct ScenarioJson {
    /// Name.
    pub name: String,
    /// Random seed.
    pub seed: u64,
    /// Number of draws.
    pub draws: u64,
    /// Years in the horizon.
    pub horizon_years: usize,
    /// First calendar year.
    pub first_year: i32,
    /// First year of shared operation.
    pub operation_start: i32,
    /// Real discount rate (headline).
    pub discount_rate: f64,
    /// Draws on which core stability was checked.
    pub stability_draws: u64,
    /// Draws checked for leaving in a later year.
    pub leaving_draws: u64,
    /// `monte_carlo`, `latin_hypercube` or `sobol`.
    pub sampling: &'static str,
    /// `type7` (exact, every draw kept) or `ddsketch_0.001` (relative accuracy 0.1 %).
    pub quantiles: &'static str,
    /// Draws the members' fan bands (`cumulative_npv` of each key's members) come from: the
    /// run's first draws (0: no bands).
    pub band_draws: u64,
    /// Membership events (docs/MODEL.md §10b); absent when the membership never changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<super::membership::EventJson>,
    /// The cooperation that exists today and what each member's net benefit compares
    /// (docs/MODEL.md §10c); absent when no cooperation exists today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<super::existing::ExistingJson>,
}

/// A member.
#[derive(Debug, Serialize)]
pub struct MemberJson {
    /// Member id (kommunenummer).
    pub id: String,
    /// Name.
    pub name: String,
    /// Inhabitants.
    pub population: f64,
}

/// Summary statistics of one NPV over the draws.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// Mean.
    pub mean: f64,
    /// Monte Carlo standard error of the mean.
    pub mean_se: f64,
    /// False when the standard error exceeds the mean itself: the draws do not establish the
    /// mean's sign, so it must not be read as a number.
    pub mean_reliable: bool,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Mean of the worst 10 % of draws (CVaR₁₀; a negative value is the expected loss there).
    pub cvar10: f64,
    /// Quantiles for an S-curve: `p01`, `p05`, `p10`, `p20` … `p90`, `p95`, `p99`.
    pub percentiles: std::collections::BTreeMap<String, f64>,
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
            percentiles: samkost_core::simulation::PERCENTILE_LEVELS
                .iter()
                .zip(s.percentiles)
                .map(|(p, v)| (format!("p{:02.0}", p * 100.0), v))
                .collect(),
        }
    }
}

/// The region as a whole.
#[derive(Debug, Serialize)]
pub struct RegionJson {
    /// NPV of the net benefit, NOK.
    pub npv_net_benefit: Stats,
    /// Probability of gaining.
    pub p_win: f64,
    /// Expected NPV of the start-up (transition) costs.
    pub startup_cost_npv: f64,
    /// Region's mean NPV per krone of start-up cost (Digdir's ranking measure).
    pub npv_per_invested_krone: Option<f64>,
}

/// One key and its members.
#[derive(Debug, Serialize)]
pub struct KeyJson {
    /// Name.
    pub name: String,
    /// Probability that every member gains.
    pub p_all_win: f64,
    /// Its Monte Carlo standard error.
    pub p_all_win_se: f64,
    /// Highest over lowest cost per inhabitant per year among the members.
    pub burden_ratio: Option<f64>,
    /// Whether the burden ratio exceeds the threshold.
    pub burden_flag: bool,
    /// Probability that no coalition would do better alone (null: not checked).
    pub p_core_stable: Option<f64>,
    /// The coalition most often tempted to break away (null: none was).
    pub top_breakaway: Option<BreakawayJson>,
    /// Stability over time: for each year from the first operating year on, who would gain
    /// by leaving that year (empty when not computed).
    pub leaving: Vec<super::leaving::LeaveYearJson>,
    /// How the key shares running costs.
    pub rule: RuleJson,
    /// How it shares start-up costs, when not like running costs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_rule: Option<RuleJson>,
    /// A key per component (docs/MODEL.md §5c): the components, then the pooled running lines,
    /// whose cost has a rule of its own, in scenario order (`rule` then shares the rest); left
    /// out for an ordinary key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentRuleJson>,
    /// The scenario's note on the key (`note = "…"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The members, in scenario order.
    pub members: Vec<KeyMemberJson>,
}

/// The rule of one component or pooled line under a key per component.
#[derive(Debug, Serialize)]
pub struct ComponentRuleJson {
    /// The component's name, as in `[[components]]`, when the part is a component.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The line's name, as in `[[lines]]`, when the part is a pooled running line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// How its pooled running cost is shared.
    pub rule: RuleJson,
}

impl ComponentRuleJson {
    fn list(key: &samkost_core::allocation::Key, model: &samkost_core::model::Model) -> Vec<Self> {
        use samkost_core::allocation::CostPart;
        key.components
            .iter()
            .map(|c| {
                let (component, line) = match c.part {
                    CostPart::Component(i) => (Some(model.components[i].name.clone()), None),
                    CostPart::Line(l) => (None, Some(model.lines[l].name.clone())),
                };
                Self {
                    component,
                    line,
                    rule: RuleJson::of(&c.rule, &model.drivers),
                }
            })
            .collect()
    }

    /// The component's or line's name.
    pub fn name(&self) -> &str {
        self.component
            .as_deref()
            .or(self.line.as_deref())
            .unwrap_or("")
    }
}

/// A key's rule for one cost category.
#[derive(Debug, Serialize)]
pub struct RuleJson {
    /// `equal`, `proportional`, `hybrid`, `fixed`, `price_list`, or a game-theoretic rule (a method name of
    /// the game crate: `shapley`, `nucleolus`, `prenucleolus`, `least_core`, `scrb`,
    /// `equal_split`, `equal_savings`, `proportional_savings`, `proportional_to_standalone`).
    pub kind: &'static str,
    /// The driver of `proportional` and `hybrid` rules (e.g. `population`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// The equal part of a `hybrid` rule (0.3 for 30/70).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_part: Option<f64>,
    /// The unit prices of a `price_list` rule, NOK per unit of each driver per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<std::collections::BTreeMap<String, f64>>,
    /// The fee per member per year of a `price_list` rule, NOK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_member: Option<f64>,
    /// Whether the rule follows a driver given by year, with shares per year (docs/MODEL.md
    /// §5a); left out when it does not.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub by_year: bool,
}

impl RuleJson {
    fn of(rule: &samkost_core::allocation::KeyRule, table: &DriverTable) -> Self {
        use samkost_core::allocation::KeyRule;
        let drivers = table.names();
        let driver = |d: &usize| drivers.get(*d).cloned();
        let (kind, driver, fixed_part) = match rule {
            KeyRule::Equal => ("equal", None, None),
            KeyRule::Proportional { driver: d } => ("proportional", driver(d), None),
            KeyRule::Hybrid {
                fixed_part,
                driver: d,
            } => ("hybrid", driver(d), Some(*fixed_part)),
            KeyRule::Fixed { .. } => ("fixed", None, None),
            KeyRule::PriceList(_) => ("price_list", None, None),
            KeyRule::Game { method } => (method.name(), None, None),
        };
        let list = match rule {
            KeyRule::PriceList(list) => Some(list),
            _ => None,
        };
        Self {
            kind,
            driver,
            fixed_part,
            prices: list.map(|l| {
                let name = |d: usize| drivers.get(d).cloned().unwrap_or_default();
                l.unit_prices.iter().map(|&(d, p)| (name(d), p)).collect()
            }),
            per_member: list.map(|l| l.per_member),
            by_year: rule.driver_with_path(table).is_some(),
        }
    }
}

/// A coalition tempted to leave, and how often.
#[derive(Debug, Serialize)]
pub struct BreakawayJson {
    /// The members, in scenario order.
    pub members: Vec<String>,
    /// Fraction of checked draws.
    pub p: f64,
}

/// Payback year quantiles (type 1).
#[derive(Debug, Serialize)]
pub struct PaybackJson {
    /// 10th percentile.
    pub p10: Option<i32>,
    /// Median.
    pub p50: Option<i32>,
    /// 90th percentile.
    pub p90: Option<i32>,
}

/// One member under one key.
#[derive(Debug, Serialize)]
pub struct KeyMemberJson {
    /// Member id (kommunenummer).
    pub id: String,
    /// Share of the expected pooled cost of the first operating year.
    pub share: f64,
    /// Mean yearly cost per inhabitant in the cooperation over the operating years, NOK.
    pub cost_per_inhabitant: f64,
    /// Probability of losing (1 − p_win).
    pub p_loss: f64,
    /// Monte Carlo standard error of p_win.
    pub p_win_se: f64,
    /// Standard error of the share when it was estimated by sampling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_se: Option<f64>,
    /// Probability of gaining.
    pub p_win: f64,
    /// NPV of the net benefit, NOK.
    pub npv_net_benefit: Stats,
    /// Payback year P10, P50, P90 (null: not within the horizon).
    pub payback_year: PaybackJson,
    /// Probability of being ahead (cumulative discounted net benefit > 0) at the end of each year.
    pub p_ahead_by_year: Vec<f64>,
    /// Mean net benefit by year.
    pub yearly_net_benefit: YearlyNetJson,
    /// Mean payments by year: alone, to the cooperation (running, start-up), own, the
    /// difference.
    pub yearly_payments: super::payments::PaymentsJson,
    /// P10, P50, P90 of the discounted cumulative net benefit at the end of each year (fan
    /// chart), from the run's first `band_draws` draws; absent without bands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cumulative_npv: Option<BandJson>,
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
    let mut out = SummaryJson {
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
            leaving_draws: results.leaving_draws,
            events: super::membership::events_json(model),
            existing: super::existing::existing_json(model),
            sampling,
            quantiles: if results.draws_kept() {
                "type7"
            } else {
                "ddsketch_0.001"
            },
            band_draws: results.band_draws,
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
            .map(|(key_idx, k, per_inhabitant)| KeyJson {
                name: k.name.clone(),
                p_all_win: k.p_all_win.p,
                p_all_win_se: k.p_all_win.se,
                burden_ratio: super::metrics::burden_ratio(&per_inhabitant).map(|b| b.0),
                burden_flag: super::metrics::burden_ratio(&per_inhabitant)
                    .is_some_and(|b| b.0 > burden_threshold),
                p_core_stable: k.p_core_stable.map(|p| p.p),
                rule: RuleJson::of(&scenario.keys[key_idx].running, &model.drivers),
                startup_rule: {
                    let key = &scenario.keys[key_idx];
                    (key.startup != key.running).then(|| RuleJson::of(&key.startup, &model.drivers))
                },
                components: ComponentRuleJson::list(&scenario.keys[key_idx], model),
                note: scenario.key_notes.get(&k.name).cloned(),
                top_breakaway: k.top_breakaway.as_ref().map(|(members, p)| BreakawayJson {
                    members: members
                        .iter()
                        .map(|&i| model.members[i].id.clone())
                        .collect(),
                    p: *p,
                }),
                leaving: super::leaving::leaving_json(model, &k.leaving),
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
                        yearly_payments: super::payments::PaymentsJson::of(&o.payments)
                            .with_billing(super::payments::billed(scenario, key_idx, idx)),
                        cumulative_npv: (results.band_draws > 0).then(|| {
                            BandJson::from_triples((0..model.horizon_years).map(|t| {
                                results
                                    .member_band(key_idx, idx, t)
                                    .unwrap_or([f64::NAN; 3])
                            }))
                        }),
                    })
                    .collect(),
            })
            .collect(),
        yearly: yearly(model, results),
        municipal_accounts: super::accounts::accounts(model, results),
        npv_views: super::views::views(model, results),
        assumptions: assumptions(model),
        precision: None,
        tornado: None,
        sobol: None,
        warnings: scenario
            .warnings
            .iter()
            .map(|w| format!("{}:{}:{}: {}", w.file, w.line, w.column, w.message))
            .collect(),
        recommendation: None,
        designed_key: None,
        calibration: model
            .calibrations
            .iter()
            .map(|k| CalibrationJson {
                member: model.members[k.member].id.clone(),
                component: model.components[k.component].name.clone(),
                actual_cost: k.actual_cost,
                actual_fte: k.actual_fte,
                modelled_cost: k.modelled_cost,
                modelled_fte: k.modelled_fte,
                cost_factor: k.cost,
                fte_factor: k.fte,
                plausible: crate::scenario::calibration_plausible(
                    k,
                    model.components[k.component].is_staffing(),
                ),
            })
            .collect(),
    };
    out.recommendation = super::recommend::json(&out);
    out
}

/// One member's calibration of one component to its accounts.
#[derive(Debug, Serialize)]
pub struct CalibrationJson {
    /// Member id.
    pub member: String,
    /// Component name.
    pub component: String,
    /// The member's actual yearly cost, NOK, when given.
    pub actual_cost: Option<f64>,
    /// The member's actual IT staff, FTE, when given.
    pub actual_fte: Option<f64>,
    /// The modelled cost alone at the inputs' medians, NOK per year (first-year prices).
    pub modelled_cost: f64,
    /// The modelled staff alone at the medians, FTE.
    pub modelled_fte: f64,
    /// `k`: the factor on the member's cost alone in every draw.
    pub cost_factor: f64,
    /// The factor on its staff alone (1 for a component without staff).
    pub fte_factor: f64,
    /// Whether `cost_factor` (and, for staffing, `fte_factor`) lies in the plausible band
    /// 0.5–2; the reader warns otherwise.
    pub plausible: bool,
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
    let parts: Vec<[f64; 3]> = (0..horizon)
        .map(|t| super::payments::region_parts(results, t))
        .collect();
    YearlyJson {
        years: (0..horizon).map(|t| model.first_year + t as i32).collect(),
        standalone_cost,
        cooperation_cost,
        net_benefit_cash: cash,
        net_benefit_budget: budget,
        pooled_running: parts.iter().map(|p| p[0]).collect(),
        pooled_startup: parts.iter().map(|p| p[1]).collect(),
        own_cost: parts.iter().map(|p| p[2]).collect(),
        cumulative_npv: BandJson::from_triples(results.region_cumulative_bands.iter().copied()),
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
                origin: OriginJson::of(p),
            }
        })
        .collect()
}
