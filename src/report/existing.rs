//! An existing cooperation deciding whether to admit others, in the summary and in words
//! (docs/MODEL.md §10c). `summary.json` says who cooperates today, under which key, and what
//! each member's net benefit compares (`scenario.existing`); the terminal, the report (section
//! `#existing`) and the workbook (sheet "Existing cooperation") take their sentences from here.

use serde::Serialize;

use samkost_core::model::Model;

use super::json::{KeyJson, SummaryJson};
use super::lang::Lang;
use super::membership::member_words;
use super::recommend::shown_key;

/// The comparison of a member that cooperates today.
pub const ADMIT: &str = "admit_vs_stay_as_is";
/// The comparison of a member that would join.
pub const JOIN: &str = "join_vs_stay_alone";

/// The existing cooperation as the scenario gives it.
#[derive(Debug, Clone, Serialize)]
pub struct ExistingJson {
    /// Ids of the members that cooperate today.
    pub members: Vec<String>,
    /// Ids of the members that would join.
    pub newcomers: Vec<String>,
    /// The key the existing cooperation uses today.
    pub key: String,
    /// Each member's share of the existing cooperation's cost today under that key (0 for a
    /// newcomer), in member order.
    pub shares_today: Vec<f64>,
    /// Each existing member's own cost of admitting the newcomers, NOK.
    pub integration_cost: f64,
    /// What each member's net benefit compares, in member order: `admit_vs_stay_as_is` or
    /// `join_vs_stay_alone`.
    pub comparison: Vec<&'static str>,
}

/// The existing cooperation for `summary.json`; `None` without `[existing]`.
pub fn existing_json(model: &Model) -> Option<ExistingJson> {
    let existing = model.existing.as_ref()?;
    let ids = |inside: bool| -> Vec<String> {
        model
            .members
            .iter()
            .zip(&existing.members)
            .filter(|(_, m)| **m == inside)
            .map(|(m, _)| m.id.clone())
            .collect()
    };
    Some(ExistingJson {
        members: ids(true),
        newcomers: ids(false),
        key: existing.key.clone(),
        shares_today: existing.shares.clone(),
        integration_cost: existing.integration_cost,
        comparison: existing
            .members
            .iter()
            .map(|&m| if m { ADMIT } else { JOIN })
            .collect(),
    })
}

/// The heading of the sentences.
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "An existing cooperation deciding on new members",
        Lang::Nb => "Et eksisterende samarbeid som vurderer nye medlemmer",
    }
}

/// The note under the heading: what the figures compare and what is left out.
pub fn note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "For a member that cooperates today, every net benefit in this run compares admitting the newcomers with staying as it is (its share of today's cooperation, whose start-up is already paid); for a newcomer, joining with running its ICT alone. Whether a member or group would gain by breaking away, and the game-theoretic keys, count on a cooperation started from nothing, and are left out here; the budget and socio-economic views are approximate for the members that cooperate today."
        }
        Lang::Nb => {
            "For en kommune som samarbeider i dag, sammenligner all netto gevinst i denne kjøringen det å ta inn de nye med å fortsette som i dag (kommunens andel av dagens samarbeid, der oppstarten allerede er betalt); for en ny kommune, det å gå inn med å drive IKT alene. Om en kommune eller gruppe ville tjene på å bryte ut, og de spillteoretiske nøklene, forutsetter et samarbeid som starter fra null, og er utelatt her; budsjettvisningen og den samfunnsøkonomiske visningen er omtrentlige for kommunene som samarbeider i dag."
        }
    }
}

/// "Name (id)" of each member, listed with "and" / "og".
fn names(summary: &SummaryJson, ids: &[String], lang: Lang) -> String {
    let words: Vec<String> = ids.iter().map(|id| member_words(summary, id)).collect();
    lang.list(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Who cooperates today and what each side compares, in one sentence.
pub fn intro_sentence(summary: &SummaryJson, e: &ExistingJson, lang: Lang) -> String {
    let (pool, new) = (
        names(summary, &e.members, lang),
        names(summary, &e.newcomers, lang),
    );
    match lang {
        Lang::En => format!(
            "{pool} already cooperate, sharing the cost by the key {} today; {new} {} ICT alone. For {pool} the question is whether to admit {new} or stay as they are; for {new}, whether to join or stay alone.",
            e.key,
            if e.newcomers.len() > 1 {
                "run their"
            } else {
                "runs its"
            }
        ),
        Lang::Nb => format!(
            "{pool} samarbeider allerede og deler kostnaden etter nøkkelen {} i dag; {new} driver IKT alene. For {pool} er spørsmålet om de skal ta inn {new} eller fortsette som i dag; for {new}, om {} skal gå inn eller fortsette alene.",
            e.key,
            if e.newcomers.len() > 1 { "de" } else { "den" }
        ),
    }
}

/// Whether member `index` would want the change under `key`: it gains in more than half of
/// the draws.
fn wants(key: &KeyJson, index: usize) -> Option<bool> {
    key.members.get(index).map(|m| m.p_win > 0.5)
}

/// One sentence per member under the key to consider first: whether it would want to admit
/// (or join), its median net benefit and its probability of gaining; then the probability
/// that every member gains.
pub fn member_sentences(summary: &SummaryJson, e: &ExistingJson, lang: Lang) -> Vec<String> {
    let Some(key) = shown_key(summary) else {
        return Vec::new();
    };
    let new = names(summary, &e.newcomers, lang);
    let mut out = Vec::new();
    for (i, m) in key.members.iter().enumerate() {
        let name = member_words(summary, &m.id);
        let admits = e.comparison.get(i) == Some(&ADMIT);
        let yes = wants(key, i).unwrap_or(false);
        let (median, p) = (lang.nok(m.npv_net_benefit.p50), lang.percent(m.p_win));
        let sentence = match (lang, admits, yes) {
            (Lang::En, true, true) => format!(
                "Under {}, {name} would want to admit {new}: against staying as it is, its net benefit is {median} (median, present value), and it gains in {p} of the draws.",
                key.name
            ),
            (Lang::En, true, false) => format!(
                "Under {}, {name} would not want to admit {new}: against staying as it is, its net benefit is {median} (median, present value), and it gains in only {p} of the draws.",
                key.name
            ),
            (Lang::En, false, true) => format!(
                "Under {}, {name} would want to join: against running its ICT alone, its net benefit is {median} (median, present value), and it gains in {p} of the draws.",
                key.name
            ),
            (Lang::En, false, false) => format!(
                "Under {}, {name} would not want to join: against running its ICT alone, its net benefit is {median} (median, present value), and it gains in only {p} of the draws.",
                key.name
            ),
            (Lang::Nb, true, true) => format!(
                "Med {} vil {name} ønske å ta inn {new}: sammenlignet med å fortsette som i dag er netto gevinst {median} (median, nåverdi), og kommunen tjener på det i {p} av trekkene.",
                key.name
            ),
            (Lang::Nb, true, false) => format!(
                "Med {} vil {name} ikke ønske å ta inn {new}: sammenlignet med å fortsette som i dag er netto gevinst {median} (median, nåverdi), og kommunen tjener på det i bare {p} av trekkene.",
                key.name
            ),
            (Lang::Nb, false, true) => format!(
                "Med {} vil {name} ønske å gå inn: sammenlignet med å drive IKT alene er netto gevinst {median} (median, nåverdi), og kommunen tjener på det i {p} av trekkene.",
                key.name
            ),
            (Lang::Nb, false, false) => format!(
                "Med {} vil {name} ikke ønske å gå inn: sammenlignet med å drive IKT alene er netto gevinst {median} (median, nåverdi), og kommunen tjener på det i bare {p} av trekkene.",
                key.name
            ),
        };
        out.push(sentence);
    }
    out.push(match lang {
        Lang::En => format!(
            "Under {}, every member gains — those inside by admitting, the newcomers by joining — in {} of the draws.",
            key.name,
            lang.percent(key.p_all_win)
        ),
        Lang::Nb => format!(
            "Med {} tjener alle — de som er med i dag på å ta inn, de nye på å gå inn — i {} av trekkene.",
            key.name,
            lang.percent(key.p_all_win)
        ),
    });
    out
}

/// Every sentence, for the terminal and the report; empty without an existing cooperation.
pub fn sentences(summary: &SummaryJson, lang: Lang) -> Vec<String> {
    let Some(e) = &summary.scenario.existing else {
        return Vec::new();
    };
    let mut out = vec![intro_sentence(summary, e, lang)];
    out.extend(member_sentences(summary, e, lang));
    out
}
