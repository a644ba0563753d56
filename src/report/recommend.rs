//! The key to consider first and the reason for it, in words (docs/MODEL.md §13.6). The rule
//! sits here, apart from any output, so that `summary.json`, the report and the workbook name
//! the same key for the same reason.

use serde::Serialize;

use super::json::{KeyJson, SummaryJson};
use super::lang::Lang;

/// Which case of the rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// One key is core-stable in most draws.
    OnlyStable,
    /// Several keys are stable in most outcomes; this one clearly most often.
    MostStable,
    /// Several keys tie on stability within the Monte Carlo uncertainty; the fairer by burden
    /// ratio is chosen.
    TieFairer,
    /// No key is stable in most outcomes; the key with the highest probability that every member
    /// gains is chosen.
    NoneStable,
    /// Stability was not checked; the key with the highest probability that every member gains
    /// is chosen.
    NotChecked,
}

impl Case {
    /// Identifier in `summary.json`.
    pub fn id(self) -> &'static str {
        match self {
            Case::OnlyStable => "only_stable",
            Case::MostStable => "most_stable",
            Case::TieFairer => "tie_fairer",
            Case::NoneStable => "none_stable",
            Case::NotChecked => "not_checked",
        }
    }
}

/// The rule's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The key, an index into the summary's keys.
    pub key: usize,
    /// Which case applies.
    pub case: Case,
    /// The keys tied with it (the chosen one included) when the choice among them went by
    /// burden ratio.
    pub tied: Vec<usize>,
    /// Whether keys with a flagged burden ratio were set aside for an even one.
    pub uneven_set_aside: bool,
}

/// The rule's choice in `summary.json`.
#[derive(Debug, Serialize)]
pub struct RecommendationJson {
    /// The key's name.
    pub key: String,
    /// `only_stable`, `most_stable`, `tie_fairer`, `none_stable` or `not_checked`.
    pub case: &'static str,
    /// The keys tied with it on the deciding measure (names), when there was a tie.
    pub tied_keys: Vec<String>,
    /// Whether keys with a flagged burden ratio were set aside.
    pub uneven_set_aside: bool,
    /// The reason in words (English; the report and workbook give it in their language).
    pub reason: String,
}

/// The best hybrid key designed for the scenario, counted on fresh draws.
#[derive(Debug, Clone, Serialize)]
pub struct DesignedKeyJson {
    /// `core_stable` or `all_win`: what it was designed for.
    pub goal: &'static str,
    /// The driver of the part not split equally.
    pub driver: String,
    /// The part split equally.
    pub fixed_part: f64,
    /// Probability of the goal on fresh draws.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
    /// Fresh draws.
    pub draws: u64,
    /// Whether it beats every listed key by more than the Monte Carlo uncertainty
    /// (`p − p_k > 1.96 √(se² + se_k²)` for every key `k` on the same goal).
    pub beats_listed: bool,
}

impl DesignedKeyJson {
    /// From the design, comparing with the listed keys of `summary`.
    pub fn new(d: &crate::design::DesignedKey, summary: &SummaryJson) -> Self {
        let core = d.goal == samkost_core::design::Goal::CoreStable;
        let n = summary.scenario.stability_draws;
        let beats_listed = summary.keys.iter().all(|k| {
            let (p, s) = if core {
                let p = k.p_core_stable.unwrap_or(0.0);
                (p, se(p, n))
            } else {
                (k.p_all_win, k.p_all_win_se)
            };
            d.p - p > tolerance(d.se, s)
        });
        Self {
            goal: if core { "core_stable" } else { "all_win" },
            driver: d.driver.clone(),
            fixed_part: d.fixed_part,
            p: d.p,
            se: d.se,
            draws: d.draws,
            beats_listed,
        }
    }
}

/// Two proportions can be told apart at 95 % when they differ by more than this.
fn tolerance(se_a: f64, se_b: f64) -> f64 {
    1.96 * (se_a * se_a + se_b * se_b).sqrt()
}

/// `√(p(1−p)/n)`.
fn se(p: f64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        (p * (1.0 - p) / n as f64).sqrt()
    }
}

/// The key to consider first (docs/MODEL.md §13.6).
///
/// 1. Keys stable in most draws (`p_core_stable > ½`) are the pool; if some of them have an
///    unflagged burden ratio, only those. Among the pool, the highest `p_core_stable` and every
///    key within `1.96 √(se_a² + se_b²)` of it tie (`se = √(p(1−p)/D)` over the `D` stability
///    draws); among tied keys the lowest burden ratio wins (none counts as highest), then the
///    higher `p_all_win`, then the key listed first.
/// 2. When no key is stable in most draws, or stability was not checked, the same on
///    `p_all_win` (with its own standard errors) over all keys, unflagged keys first.
pub fn recommend(keys: &[KeyJson], stability_draws: u64) -> Option<Recommendation> {
    if keys.is_empty() {
        return None;
    }
    let checked = keys.iter().any(|k| k.p_core_stable.is_some());
    let stable: Vec<usize> = (0..keys.len())
        .filter(|&i| keys[i].p_core_stable.is_some_and(|p| p > 0.5))
        .collect();
    let (pool, by_stability) = if stable.is_empty() {
        ((0..keys.len()).collect::<Vec<_>>(), false)
    } else {
        (stable.clone(), true)
    };
    let even: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| !keys[i].burden_flag)
        .collect();
    let uneven_set_aside = !even.is_empty() && even.len() < pool.len();
    let pool = if even.is_empty() { pool } else { even };
    let measure = |i: usize| -> (f64, f64) {
        let k = &keys[i];
        if by_stability {
            let p = k.p_core_stable.unwrap_or(0.0);
            (p, se(p, stability_draws))
        } else {
            (k.p_all_win, k.p_all_win_se)
        }
    };
    let best = *pool
        .iter()
        .max_by(|&&a, &&b| measure(a).0.total_cmp(&measure(b).0).then(b.cmp(&a)))?;
    let (p_best, se_best) = measure(best);
    let tied: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&i| {
            let (p, s) = measure(i);
            p_best - p <= tolerance(se_best, s)
        })
        .collect();
    let burden = |i: usize| keys[i].burden_ratio.unwrap_or(f64::INFINITY);
    let key = *tied.iter().min_by(|&&a, &&b| {
        burden(a)
            .total_cmp(&burden(b))
            .then(keys[b].p_all_win.total_cmp(&keys[a].p_all_win))
            .then(a.cmp(&b))
    })?;
    let case = if by_stability {
        if stable.len() == 1 {
            Case::OnlyStable
        } else if tied.len() > 1 {
            Case::TieFairer
        } else {
            Case::MostStable
        }
    } else if checked {
        Case::NoneStable
    } else {
        Case::NotChecked
    };
    Some(Recommendation {
        key,
        case,
        tied: if tied.len() > 1 { tied } else { Vec::new() },
        uneven_set_aside,
    })
}

/// The key the short outputs speak of: the key to consider first, else the first key.
pub fn shown_key(summary: &SummaryJson) -> Option<&KeyJson> {
    let index = summary
        .recommendation
        .as_ref()
        .and_then(|r| summary.keys.iter().position(|k| k.name == r.key))
        .unwrap_or(0);
    summary.keys.get(index)
}

/// The recommendation of a summary.
pub fn of_summary(summary: &SummaryJson) -> Option<Recommendation> {
    recommend(&summary.keys, summary.scenario.stability_draws)
}

/// The reason in words.
pub fn reason(summary: &SummaryJson, r: &Recommendation, lang: Lang) -> String {
    let keys = &summary.keys;
    let k = &keys[r.key];
    let name = &k.name;
    let pct = |p: f64| lang.percent(p);
    let stable = k.p_core_stable.map_or_else(String::new, pct);
    let others: Vec<String> = r
        .tied
        .iter()
        .filter(|&&i| i != r.key)
        .map(|&i| keys[i].name.clone())
        .collect();
    let ratio = k
        .burden_ratio
        .map_or_else(|| "–".to_owned(), |b| lang.decimal(b, 2));
    let nb = lang == Lang::Nb;
    let mut text = match r.case {
        Case::OnlyStable if nb => format!(
            "{name} er den eneste nøkkelen som er stabil i de fleste utfallene: ingen gruppe kommuner ville klart seg bedre alene i {stable} av utfallene."
        ),
        Case::OnlyStable => format!(
            "{name} is the only key that is stable in most outcomes: no group of members would do better alone in {stable} of the outcomes."
        ),
        Case::MostStable if nb => format!(
            "{name} er oftest stabil av nøklene som er stabile i de fleste utfallene: ingen gruppe kommuner ville klart seg bedre alene i {stable} av utfallene, klart mer enn med de andre."
        ),
        Case::MostStable => format!(
            "{name} is the most often stable of the keys that are stable in most outcomes: no group of members would do better alone in {stable} of the outcomes, clearly more than under the others."
        ),
        Case::TieFairer if nb => format!(
            "{} nøkler er like stabile innenfor usikkerheten i beregningen ({name}, {}); den jevneste etter belastningsforholdet er {name} ({ratio}).",
            r.tied.len(),
            others.join(", ")
        ),
        Case::TieFairer => format!(
            "{} keys tie on stability within the uncertainty of the calculation ({name}, {}); the fairer one by burden ratio is {name} ({ratio}).",
            r.tied.len(),
            others.join(", ")
        ),
        Case::NoneStable if nb => format!(
            "Ingen nøkkel er stabil i de fleste utfallene; {name} gir høyest sannsynlighet for at alle kommunene tjener på samarbeidet ({}).",
            pct(k.p_all_win)
        ),
        Case::NoneStable => format!(
            "No key is stable in most outcomes; {name} gives the highest probability that every member gains ({}).",
            pct(k.p_all_win)
        ),
        Case::NotChecked if nb => format!(
            "Stabilitet er ikke kontrollert; {name} gir høyest sannsynlighet for at alle kommunene tjener på samarbeidet ({}).",
            pct(k.p_all_win)
        ),
        Case::NotChecked => format!(
            "Stability was not checked; {name} gives the highest probability that every member gains ({}).",
            pct(k.p_all_win)
        ),
    };
    if !others.is_empty() && r.case != Case::TieFairer {
        text.push_str(&if nb {
            format!(
                " {} ligger innenfor usikkerheten; {name} har lavest belastningsforhold ({ratio}).",
                others.join(", ")
            )
        } else {
            format!(
                " {} come within the uncertainty; {name} has the lowest burden ratio ({ratio}).",
                others.join(", ")
            )
        });
    }
    if let Some(d) = summary.designed_key.as_ref().filter(|d| d.beats_listed) {
        let part = lang.percent(d.fixed_part);
        let p = pct(d.p);
        text.push_str(&match (nb, d.goal == "core_stable") {
            (true, true) => format!(
                " En nøkkel utformet for dette scenarioet gjør det bedre enn alle de sammenlignede: {part} likt fordelt og resten etter {}, stabil i {p} av nye, uavhengige utfall (samkost design).",
                d.driver
            ),
            (true, false) => format!(
                " En nøkkel utformet for dette scenarioet gjør det bedre enn alle de sammenlignede: {part} likt fordelt og resten etter {}; alle kommunene tjener på samarbeidet i {p} av nye, uavhengige utfall (samkost design).",
                d.driver
            ),
            (false, true) => format!(
                " A key designed for this scenario beats every listed key: {part} split equally and the rest by {}, stable in {p} of new, independent outcomes (samkost design).",
                d.driver
            ),
            (false, false) => format!(
                " A key designed for this scenario beats every listed key: {part} split equally and the rest by {}; every member gains in {p} of new, independent outcomes (samkost design).",
                d.driver
            ),
        });
    }
    if r.uneven_set_aside {
        text.push_str(if nb {
            " Nøkler med ujevn belastning (over terskelen) er satt til side."
        } else {
            " Keys with an uneven burden (above the threshold) were set aside."
        });
    }
    text
}

/// The recommendation for `summary.json`.
pub fn json(summary: &SummaryJson) -> Option<RecommendationJson> {
    let r = of_summary(summary)?;
    Some(RecommendationJson {
        key: summary.keys[r.key].name.clone(),
        case: r.case.id(),
        tied_keys: r
            .tied
            .iter()
            .map(|&i| summary.keys[i].name.clone())
            .collect(),
        uneven_set_aside: r.uneven_set_aside,
        reason: reason(summary, &r, Lang::En),
    })
}
