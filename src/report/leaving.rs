//! Stability over time in the summary and in words: for each key and each year from the first
//! operating year on, who would gain by leaving the cooperation that year (docs/MODEL.md §10a).
//! `summary.json` carries the numbers (`keys[].leaving`); the terminal, the report and the
//! workbook take their sentences and rows from here.

use serde::Serialize;

use samkost_core::model::Model;
use samkost_core::simulation::LeaveYear;

use super::json::{KeyJson, SummaryJson};
use super::lang::{Lang, describe_group};

/// Who would gain by leaving at the start of one year, under one key.
#[derive(Debug, Clone, Serialize)]
pub struct LeaveYearJson {
    /// Calendar year: the first year the leavers are out.
    pub year: i32,
    /// Probability that some group (a member alone, several, or all: wind-up) would gain by
    /// leaving that year.
    pub p_any: f64,
    /// Its binomial standard error over the stability draws.
    pub p_any_se: f64,
    /// Probability that winding the cooperation up (every member alone) would gain.
    pub p_wind_up: f64,
    /// Per member, in scenario order: probability that it would gain by leaving alone.
    pub p_alone: Vec<MemberChanceJson>,
    /// The group most often tempted that year (null: none was).
    pub top_group: Option<TemptedJson>,
}

/// A member's probability.
#[derive(Debug, Clone, Serialize)]
pub struct MemberChanceJson {
    /// Member id.
    pub id: String,
    /// Probability.
    pub p: f64,
}

/// A group tempted to leave.
#[derive(Debug, Clone, Serialize)]
pub struct TemptedJson {
    /// Member ids; every member means a wind-up.
    pub members: Vec<String>,
    /// Fraction of the stability draws in which it would gain by leaving.
    pub p: f64,
    /// Its mean gain in those draws, NOK, present value at the start of the first year.
    pub mean_gain: f64,
}

/// The summary's rows of one key's [`LeaveYear`]s.
pub fn leaving_json(model: &Model, leaving: &[LeaveYear]) -> Vec<LeaveYearJson> {
    let id = |i: usize| model.members[i].id.clone();
    leaving
        .iter()
        .map(|y| LeaveYearJson {
            year: model.first_year + y.year as i32,
            p_any: y.p_any.p,
            p_any_se: y.p_any.se,
            p_wind_up: y.p_wind_up,
            p_alone: y
                .p_alone
                .iter()
                .enumerate()
                .map(|(i, &p)| MemberChanceJson { id: id(i), p })
                .collect(),
            top_group: y.top.as_ref().map(|t| TemptedJson {
                members: t.members.iter().map(|&i| id(i)).collect(),
                p: t.p,
                mean_gain: t.mean_gain,
            }),
        })
        .collect()
}

/// The most tempting (group, year) of a key: the year whose top group is tempted in the most
/// draws (the earliest on ties), with that group.
pub fn most_tempting(key: &KeyJson) -> Option<(&LeaveYearJson, &TemptedJson)> {
    key.leaving
        .iter()
        .filter_map(|y| y.top_group.as_ref().map(|t| (y, t)))
        .fold(
            None,
            |best: Option<(&LeaveYearJson, &TemptedJson)>, (y, t)| match best {
                Some((_, b)) if b.p >= t.p => best,
                _ => Some((y, t)),
            },
        )
}

/// A group's name in words: its members, or "winding the cooperation up" for everyone.
pub fn group_words(summary: &SummaryJson, ids: &[String], lang: Lang) -> String {
    let names: Vec<&str> = summary.members.iter().map(|m| m.name.as_str()).collect();
    if ids.len() == names.len() && names.len() > 1 {
        return match lang {
            Lang::En => "all members together (winding the cooperation up)".to_owned(),
            Lang::Nb => "alle medlemmene samlet (ved å avvikle samarbeidet)".to_owned(),
        };
    }
    let idx: Vec<usize> = ids
        .iter()
        .filter_map(|id| summary.members.iter().position(|m| &m.id == id))
        .collect();
    describe_group(&names, &idx, lang)
}

/// One sentence per key for a council: the most tempting group and year, how often and by how
/// much, and how often some group would gain by leaving in the first, a middle and the last
/// year ("Under 30/70, Hareid would gain by leaving in 2031 in 23 % of the draws, by
/// 1,200,000 NOK on average (present value); some member or group would gain by leaving in
/// 40 % of the draws in 2027, 23 % in 2031 and 5 % in 2035"). `None` when
/// stability over time was not computed.
pub fn leaving_sentence(summary: &SummaryJson, key: usize, lang: Lang) -> Option<String> {
    let k = &summary.keys[key];
    let first = k.leaving.first()?.year;
    let last = k.leaving.last()?.year;
    let draws = lang.int(summary.scenario.leaving_draws as f64);
    let Some((year, top)) = most_tempting(k) else {
        return Some(match lang {
            Lang::En => format!(
                "Under {}, no member or group would gain by leaving in any year from {first} to \
                 {last}, counting what leaving costs ({draws} draws checked).",
                k.name
            ),
            Lang::Nb => format!(
                "Med {} ville ingen kommune eller gruppe tjene på å gå ut i noe år fra {first} \
                 til {last}, medregnet hva uttreden koster ({draws} trekk kontrollert).",
                k.name
            ),
        });
    };
    let group = group_words(summary, &top.members, lang);
    let mut text = match lang {
        Lang::En => format!(
            "Under {}, {group} would gain by leaving in {} in {} of the draws, by {} on average \
             (present value)",
            k.name,
            year.year,
            lang.percent(top.p),
            lang.nok(top.mean_gain)
        ),
        Lang::Nb => format!(
            "Med {} ville {group} tjene på å gå ut i {} i {} av trekkene, med {} i snitt \
             (nåverdi)",
            k.name,
            year.year,
            lang.percent(top.p),
            lang.nok(top.mean_gain)
        ),
    };
    // The time profile: how often some group would gain by leaving in the first, a middle
    // and the last year.
    let n = k.leaving.len();
    let mut picks = vec![0, n / 2, n - 1];
    picks.dedup();
    // "in 40 % of the draws in 2027, 23 % in 2031 and 5 % in 2035".
    let profile: Vec<String> = picks
        .iter()
        .enumerate()
        .map(|(i, &j)| {
            let y = &k.leaving[j];
            let p = lang.percent(y.p_any);
            match (lang, i) {
                (Lang::En, 0) => format!("in {p} of the draws in {}", y.year),
                (Lang::Nb, 0) => format!("i {p} av trekkene i {}", y.year),
                (Lang::En, _) => format!("{p} in {}", y.year),
                (Lang::Nb, _) => format!("{p} i {}", y.year),
            }
        })
        .collect();
    let profile: Vec<&str> = profile.iter().map(String::as_str).collect();
    text.push_str(&match lang {
        Lang::En => format!(
            "; some member or group would gain by leaving {}",
            lang.list(&profile)
        ),
        Lang::Nb => format!(
            "; en kommune eller gruppe ville tjene på å gå ut {}",
            lang.list(&profile)
        ),
    });
    text.push('.');
    Some(text)
}
