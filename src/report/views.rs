//! The three views of a member's NPV in `summary.json` (`npv_views`, docs/MODEL.md §6d): the
//! cash view of §6 beside the budget view (what the members' tax-financed budgets gain) and the
//! socio-economic view (every resource effect and the tax-financing cost), per key, member and
//! region, with the win-win probabilities in each.

use samkost_core::model::{Model, TAX_FINANCING_COST};
use samkost_core::simulation::{RunResults, ViewOutcome};
use serde::Serialize;

/// The views of a run.
#[derive(Debug, Serialize)]
pub struct ViewsJson {
    /// What each view counts, in one sentence each.
    pub definitions: DefinitionsJson,
    /// The tax-financing cost the socio-economic view applies (0.2: R-109/2021).
    pub tax_financing_cost: f64,
    /// The service gains the scenario lists (`[[gains]]`).
    pub gains: Vec<String>,
    /// Per key, in key order.
    pub keys: Vec<KeyViewsJson>,
}

/// What each view counts.
#[derive(Debug, Serialize)]
pub struct DefinitionsJson {
    /// The cash view.
    pub cash: &'static str,
    /// The budget view.
    pub budget: &'static str,
    /// The socio-economic view.
    pub socioeconomic: &'static str,
}

/// One key's NPVs in the three views.
#[derive(Debug, Serialize)]
pub struct KeyViewsJson {
    /// Key name.
    pub name: String,
    /// Probability that every member gains, per view.
    pub p_all_win_by_view: ThreeJson<f64>,
    /// The region (the members' sum).
    pub region: ThreeJson<NpvViewJson>,
    /// Per member, in member order.
    pub members: Vec<MemberViewsJson>,
}

/// One member's NPVs in the three views.
#[derive(Debug, Serialize)]
pub struct MemberViewsJson {
    /// Member id.
    pub id: String,
    /// Cash view (§6).
    pub cash: NpvViewJson,
    /// Budget view (§6d).
    pub budget: NpvViewJson,
    /// Socio-economic view (§6d).
    pub socioeconomic: NpvViewJson,
}

/// A figure in each view.
#[derive(Debug, Serialize)]
pub struct ThreeJson<T> {
    /// Cash view (§6).
    pub cash: T,
    /// Budget view (§6d).
    pub budget: T,
    /// Socio-economic view (§6d).
    pub socioeconomic: T,
}

/// An NPV over the draws in one view.
#[derive(Debug, Serialize)]
pub struct NpvViewJson {
    /// Mean, NOK.
    pub mean: f64,
    /// Standard error of the mean.
    pub mean_se: f64,
    /// Probability that it is positive.
    pub p_win: f64,
}

impl NpvViewJson {
    fn of(o: &ViewOutcome) -> Self {
        Self {
            mean: o.mean,
            mean_se: o.mean_se,
            p_win: o.p_win.p,
        }
    }
}

/// The definitions, as MODEL.md §6d gives them.
pub const DEFINITIONS: DefinitionsJson = DefinitionsJson {
    cash: "ICT costs alone minus in the cooperation, net of VAT, discounted: the NPVs every key and measure uses",
    budget: "what the members' tax-financed budgets gain: the cash saving less the share charged to fee-financed services, plus the VAT no longer borne, plus the realised share of the service gains after their delay",
    socioeconomic: "every resource effect, realised or not (the cash saving and the whole value of the service gains), plus 20 % tax-financing cost on the net change in tax-financed spending (DFØ 2023; R-109/2021)",
};

/// Builds `npv_views` from a run.
pub fn views(model: &Model, results: &RunResults) -> ViewsJson {
    let n = model.n_members();
    ViewsJson {
        definitions: DEFINITIONS,
        tax_financing_cost: TAX_FINANCING_COST,
        gains: model.gains.iter().map(|g| g.name.clone()).collect(),
        keys: results
            .keys
            .iter()
            .zip(&results.views)
            .map(|(key, v)| KeyViewsJson {
                name: key.name.clone(),
                p_all_win_by_view: ThreeJson {
                    cash: key.p_all_win.p,
                    budget: v.p_all_win[0].p,
                    socioeconomic: v.p_all_win[1].p,
                },
                region: ThreeJson {
                    cash: NpvViewJson {
                        mean: results.region_npv.mean,
                        mean_se: results.region_npv.se_mean,
                        p_win: results.region_p_win.p,
                    },
                    budget: NpvViewJson::of(&v.region[0]),
                    socioeconomic: NpvViewJson::of(&v.region[1]),
                },
                members: (0..n)
                    .map(|i| {
                        let cash = &key.members[i];
                        MemberViewsJson {
                            id: model.members[i].id.clone(),
                            cash: NpvViewJson {
                                mean: cash.npv_net_benefit.mean,
                                mean_se: cash.npv_net_benefit.se_mean,
                                p_win: cash.p_win.p,
                            },
                            budget: NpvViewJson::of(&v.members[i][0]),
                            socioeconomic: NpvViewJson::of(&v.members[i][1]),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The key the short outputs show the views for: the key to consider first, else the first.
pub fn shown_key(summary: &super::json::SummaryJson) -> Option<&KeyViewsJson> {
    let keys = &summary.npv_views.keys;
    summary
        .recommendation
        .as_ref()
        .and_then(|r| keys.iter().find(|k| k.name == r.key))
        .or_else(|| keys.first())
}

/// The terminal's one line: the region's NPV in the budget and socio-economic views under the
/// key shown, and the probability that every member's budget gains.
pub fn terminal_line(
    summary: &super::json::SummaryJson,
    lang: super::lang::Lang,
) -> Option<String> {
    let key = shown_key(summary)?;
    let (b, e) = (&key.region.budget, &key.region.socioeconomic);
    let text = match lang {
        super::lang::Lang::En => format!(
            "Other views (key {}): budget NPV {}, every member's budget gains in {}; socio-economic NPV {} (docs/MODEL.md §6d)",
            key.name,
            lang.nok(b.mean),
            lang.percent(key.p_all_win_by_view.budget),
            lang.nok(e.mean),
        ),
        super::lang::Lang::Nb => format!(
            "Andre visninger (nøkkel {}): budsjettnåverdi {}, alle deltakeres budsjett vinner i {}; samfunnsøkonomisk nåverdi {} (docs/MODEL.md §6d)",
            key.name,
            lang.nok(b.mean),
            lang.percent(key.p_all_win_by_view.budget),
            lang.nok(e.mean),
        ),
    };
    Some(text)
}
