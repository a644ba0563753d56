//! The three views of a member's NPV in `summary.json` (`npv_views`, docs/MODEL.md §6d): the
//! cash view of §6 beside the budget view (what the members' tax-financed budgets gain) and the
//! socio-economic view (every resource effect and the tax-financing cost), per key, member and
//! region, with the percentiles, the win-win probabilities and core stability in each.

use samkost_core::model::{Model, TAX_FINANCING_COST};
use samkost_core::simulation::{RunResults, Summary, ViewOutcome};
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
    /// Why the budget view has no core stability in this scenario, when it has none
    /// (docs/MODEL.md §6d); `null` when it has.
    pub budget_core_undefined: Option<&'static str>,
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
    /// What core stability means in the budget and socio-economic views.
    pub core_stability: &'static str,
}

/// One key's NPVs in the three views.
#[derive(Debug, Serialize)]
pub struct KeyViewsJson {
    /// Key name.
    pub name: String,
    /// Probability that every member gains, per view.
    pub p_all_win_by_view: ThreeJson<f64>,
    /// Fraction of the stability draws in which the key is in the view's core; `null` without
    /// stability draws or where the view has no cost game.
    pub p_core_stable_by_view: ThreeJson<Option<f64>>,
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
    /// 10th percentile, NOK (type 7; from the sketch in runs that keep no draws).
    pub p10: f64,
    /// Median, NOK.
    pub p50: f64,
    /// 90th percentile, NOK.
    pub p90: f64,
    /// Probability that it is positive.
    pub p_win: f64,
}

impl NpvViewJson {
    fn of(o: &ViewOutcome) -> Self {
        Self {
            mean: o.mean,
            mean_se: o.mean_se,
            p10: o.p10,
            p50: o.p50,
            p90: o.p90,
            p_win: o.p_win.p,
        }
    }

    /// The cash view's figures (§6).
    fn cash(npv: &Summary, p_win: f64) -> Self {
        Self {
            mean: npv.mean,
            mean_se: npv.se_mean,
            p10: npv.p10,
            p50: npv.p50,
            p90: npv.p90,
            p_win,
        }
    }
}

/// The definitions, as MODEL.md §6d gives them.
pub const DEFINITIONS: DefinitionsJson = DefinitionsJson {
    cash: "ICT costs alone minus in the cooperation, net of VAT, discounted: the NPVs every key and measure uses",
    budget: "what the members' tax-financed budgets gain: the cash saving less the share charged to fee-financed services, plus the VAT no longer borne, plus the realised share of the service gains after their delay",
    socioeconomic: "every resource effect, realised or not (the cash saving and the whole value of the service gains), plus 20 % tax-financing cost on the net change in tax-financed spending (DFØ 2023; R-109/2021)",
    core_stability: "a key is in a view's core in a draw when no group of two or more members would pay less on its own (the cash check, taking each member's service gains, fee-financed share and VAT per krone paid to be as in the whole cooperation) and no member's NPV in that view is negative (it would not go alone)",
};

/// Why the budget view has no cost game when a member is wholly fee-financed.
pub const BUDGET_CORE_UNDEFINED: &str = "a member's fee-financed share is 1, so its budget does not change with what it pays and it cannot weigh one group against another";

/// Builds `npv_views` from a run.
pub fn views(model: &Model, results: &RunResults) -> ViewsJson {
    let n = model.n_members();
    ViewsJson {
        definitions: DEFINITIONS,
        tax_financing_cost: TAX_FINANCING_COST,
        gains: model.gains.iter().map(|g| g.name.clone()).collect(),
        budget_core_undefined: (!model.budget_core_defined()).then_some(BUDGET_CORE_UNDEFINED),
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
                p_core_stable_by_view: ThreeJson {
                    cash: key.p_core_stable.map(|p| p.p),
                    budget: v.p_core_stable[0].map(|p| p.p),
                    socioeconomic: v.p_core_stable[1].map(|p| p.p),
                },
                region: ThreeJson {
                    cash: NpvViewJson::cash(&results.region_npv, results.region_p_win.p),
                    budget: NpvViewJson::of(&v.region[0]),
                    socioeconomic: NpvViewJson::of(&v.region[1]),
                },
                members: (0..n)
                    .map(|i| {
                        let cash = &key.members[i];
                        MemberViewsJson {
                            id: model.members[i].id.clone(),
                            cash: NpvViewJson::cash(&cash.npv_net_benefit, cash.p_win.p),
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
    let name = &super::recommend::shown_key(summary)?.name;
    summary.npv_views.keys.iter().find(|k| &k.name == name)
}

/// The terminal's one line: under the key shown, the region's NPV in the budget and the
/// socio-economic view with its P10–P90, and in each view the probability that every member
/// gains and the fraction of stability draws in which the key is in that view's core.
pub fn terminal_line(
    summary: &super::json::SummaryJson,
    lang: super::lang::Lang,
) -> Option<String> {
    let key = shown_key(summary)?;
    let (words, views) = match lang {
        super::lang::Lang::En => (
            TerminalWords {
                head: "Other views (key {0})",
                npv: "NPV",
                all_win: "every member gains in",
                core: "in the core in",
                core_none: "core stability not defined",
            },
            ["budget view", "socio-economic view"],
        ),
        super::lang::Lang::Nb => (
            TerminalWords {
                head: "Andre visninger (nøkkel {0})",
                npv: "nåverdi",
                all_win: "alle vinner i",
                core: "i kjernen i",
                core_none: "kjernestabilitet ikke definert",
            },
            ["budsjettvisning", "samfunnsøkonomisk visning"],
        ),
    };
    let figures = [
        (
            &key.region.budget,
            key.p_all_win_by_view.budget,
            key.p_core_stable_by_view.budget,
        ),
        (
            &key.region.socioeconomic,
            key.p_all_win_by_view.socioeconomic,
            key.p_core_stable_by_view.socioeconomic,
        ),
    ];
    let checked = key.p_core_stable_by_view.cash.is_some();
    let parts: Vec<String> = views
        .iter()
        .zip(figures)
        .map(|(view, (npv, all_win, core))| {
            let mut part = format!(
                "{view}: {} {} (P10–P90 {} … {}), {} {}",
                words.npv,
                lang.nok(npv.mean),
                lang.int(npv.p10),
                lang.nok(npv.p90),
                words.all_win,
                lang.percent(all_win),
            );
            match core {
                Some(p) => part.push_str(&format!(", {} {}", words.core, lang.percent(p))),
                None if checked => part.push_str(&format!(", {}", words.core_none)),
                None => {}
            }
            part
        })
        .collect();
    Some(format!(
        "{}: {} (docs/MODEL.md §6d)",
        words.head.replace("{0}", &key.name),
        parts.join("; ")
    ))
}

/// The terminal line's words in one language.
struct TerminalWords {
    head: &'static str,
    npv: &'static str,
    all_win: &'static str,
    core: &'static str,
    core_none: &'static str,
}
