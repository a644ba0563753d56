//! Membership events in the summary and in words (docs/MODEL.md §10b): what each `[[events]]`
//! entry does, and where the member it concerns ends under the key to consider first.
//! `summary.json` carries the events (`scenario.events`); the terminal, the report (section
//! `#membership`) and the workbook (sheet "Membership") take their sentences from here.

use serde::Serialize;

use samkost_core::model::{EventKind, Model};

use super::json::SummaryJson;
use super::lang::Lang;

/// One membership event as the scenario gives it.
#[derive(Debug, Clone, Serialize)]
pub struct EventJson {
    /// `leave`, `join` or `wind_up`.
    pub kind: &'static str,
    /// The member's id (none for a wind-up).
    pub member: Option<String>,
    /// Calendar year from which the change takes effect (with a probability: the first year
    /// it may).
    pub year: i32,
    /// Years of notice before the effect.
    pub notice_years: usize,
    /// Yearly probability from `year` on (null: the event is fixed).
    pub probability: Option<f64>,
    /// Join: entry fee, NOK.
    pub entry_fee: f64,
    /// Join: whether the joiner buys its share of the platform's book value.
    pub buy_in: bool,
    /// Join: the joiner's own transition cost, NOK.
    pub transition_cost: f64,
    /// Wind-up: its cost, NOK.
    pub cost: f64,
}

/// The scenario's events for `summary.json`.
pub fn events_json(model: &Model) -> Vec<EventJson> {
    model
        .events
        .iter()
        .map(|e| {
            let id = |i: usize| Some(model.members[i].id.clone());
            let (kind, member, entry_fee, buy_in, transition_cost, cost) = match e.kind {
                EventKind::Leave { member } => ("leave", id(member), 0.0, false, 0.0, 0.0),
                EventKind::Join {
                    member,
                    entry_fee,
                    buy_in,
                    transition_cost,
                } => ("join", id(member), entry_fee, buy_in, transition_cost, 0.0),
                EventKind::WindUp { cost } => ("wind_up", None, 0.0, false, 0.0, cost),
            };
            EventJson {
                kind,
                member,
                year: model.first_year + e.year as i32,
                notice_years: e.notice_years,
                probability: e.probability,
                entry_fee,
                buy_in,
                transition_cost,
                cost,
            }
        })
        .collect()
}

/// The heading of the membership sentences.
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Changes in membership",
        Lang::Nb => "Endringer i medlemskapet",
    }
}

/// The note under the heading: what the figures count.
pub fn note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Every figure of this run follows the membership of each year: a member's net benefit counts its years in the cooperation, its exit or entry, and its years alone. Whether a member or group would gain by breaking away, before the start or in a later year, is checked only for a cooperation whose members stay the same, and is left out here."
        }
        Lang::Nb => {
            "Alle tall i denne kjøringen følger medlemskapet hvert år: en kommunes netto gevinst teller årene i samarbeidet, uttreden eller inntreden og årene alene. Om en kommune eller gruppe ville tjene på å bryte ut, før start eller et senere år, sjekkes bare for et samarbeid med de samme medlemmene hele tiden, og er utelatt her."
        }
    }
}

/// The member's name and id, "Stange (3413)".
pub(super) fn member_words(summary: &SummaryJson, id: &str) -> String {
    summary
        .members
        .iter()
        .find(|m| m.id == id)
        .map_or_else(|| id.to_owned(), |m| format!("{} ({})", m.name, m.id))
}

/// "from 2033" or "with a probability of 5 % a year from 2033 on".
fn when(e: &EventJson, lang: Lang) -> String {
    match (e.probability, lang) {
        (None, Lang::En) => format!("from {}", e.year),
        (None, Lang::Nb) => format!("fra {}", e.year),
        (Some(p), Lang::En) => format!(
            "with a probability of {} a year from {} on",
            lang.percent1(p),
            e.year
        ),
        (Some(p), Lang::Nb) => format!(
            "med sannsynlighet {} per år fra {}",
            lang.percent1(p),
            e.year
        ),
    }
}

/// One sentence per event, then, for a member that leaves or joins, where it ends under the
/// key to consider first (or the first key).
pub fn sentences(summary: &SummaryJson, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for e in &summary.scenario.events {
        out.push(event_sentence(summary, e, lang));
        out.extend(outcome_sentence(summary, e, lang));
    }
    out
}

/// What the event does, in one sentence.
pub fn event_sentence(summary: &SummaryJson, e: &EventJson, lang: Lang) -> String {
    let who = e.member.as_deref().map(|id| member_words(summary, id));
    let decide = e.year - e.notice_years as i32;
    match (e.kind, lang) {
        ("leave", Lang::En) => format!(
            "{} leaves the cooperation {} (notice given by {decide}). From then on it runs its ICT alone: it pays for its restart and the equipment it buys back, and is paid its share of the shared platform's book value; the others go on together.",
            who.clone().unwrap_or_default(),
            when(e, lang)
        ),
        ("leave", Lang::Nb) => format!(
            "{} går ut av samarbeidet {} (oppsigelse senest {decide}). Deretter driver kommunen IKT alene: den betaler egen oppstart og utstyret den må kjøpe tilbake, og får utbetalt sin andel av bokført verdi av den felles plattformen; de andre fortsetter sammen.",
            who.clone().unwrap_or_default(),
            when(e, lang)
        ),
        ("join", Lang::En) => format!(
            "{} joins the cooperation {}. Until then it runs its ICT alone; when it joins it pays for its move{}{}.",
            who.clone().unwrap_or_default(),
            when(e, lang),
            if e.entry_fee > 0.0 {
                format!(", an entry fee of {}", lang.nok(e.entry_fee))
            } else {
                String::new()
            },
            if e.buy_in {
                " and its share of the shared platform's book value"
            } else {
                ""
            }
        ),
        ("join", Lang::Nb) => format!(
            "{} går inn i samarbeidet {}. Fram til da driver kommunen IKT alene; når den går inn, betaler den overgangen{}{}.",
            who.clone().unwrap_or_default(),
            when(e, lang),
            if e.entry_fee > 0.0 {
                format!(", en inngangsavgift på {}", lang.nok(e.entry_fee))
            } else {
                String::new()
            },
            if e.buy_in {
                " og sin andel av bokført verdi av den felles plattformen"
            } else {
                ""
            }
        ),
        (_, Lang::En) => format!(
            "The cooperation is wound up {}: every member runs its ICT alone again, pays for its restart and the equipment it buys back, and the shared platform is sold; the wind-up costs {}.",
            when(e, lang),
            lang.nok(e.cost)
        ),
        (_, Lang::Nb) => format!(
            "Samarbeidet avvikles {}: hver kommune driver IKT alene igjen, betaler egen oppstart og utstyret den må kjøpe tilbake, og den felles plattformen selges; avviklingen koster {}.",
            when(e, lang),
            lang.nok(e.cost)
        ),
    }
}

/// Where the member of a leave or join ends under the key to consider first (or the first
/// key), in one sentence; none for a wind-up.
pub fn outcome_sentence(summary: &SummaryJson, e: &EventJson, lang: Lang) -> Option<String> {
    let id = e.member.as_deref()?;
    let key = super::recommend::shown_key(summary)?;
    let m = key.members.iter().find(|m| m.id == id)?;
    let name = member_words(summary, id);
    let outcome = match lang {
        Lang::En => format!(
            "Under {}, the net benefit of {name} over the whole horizon, {} included, is {} (median, present value); it gains in {} of the draws.",
            key.name,
            if e.kind == "leave" {
                "its exit"
            } else {
                "its entry"
            },
            lang.nok(m.npv_net_benefit.p50),
            lang.percent(m.p_win)
        ),
        Lang::Nb => format!(
            "Med {} er netto gevinst for {name} over hele perioden, {} medregnet, {} (median, nåverdi); kommunen tjener på det i {} av trekkene.",
            key.name,
            if e.kind == "leave" {
                "uttreden"
            } else {
                "inntreden"
            },
            lang.nok(m.npv_net_benefit.p50),
            lang.percent(m.p_win)
        ),
    };
    Some(outcome)
}
