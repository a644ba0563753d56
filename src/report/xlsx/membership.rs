//! The workbook's sheet on changes in membership (docs/MODEL.md §10b): one row per event of
//! `summary.json`'s `scenario.events`, with the event in words and where its member ends under
//! the key to consider first.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{Cell, Formats, Kind, number, optional, push_table, text};
use crate::report::json::SummaryJson;
use crate::report::lang::Lang;
use crate::report::membership::{event_sentence, outcome_sentence};

/// The sheet's name per language.
pub fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Membership",
        Lang::Nb => "Medlemskap",
    }
}

/// The sheet's columns per language.
pub fn headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => [
            "Change",
            "Member id",
            "From year",
            "Notice given by",
            "Yearly probability",
            "In words",
            "Where the member ends",
        ],
        Lang::Nb => [
            "Endring",
            "Kommunenummer",
            "Fra år",
            "Oppsigelse senest",
            "Sannsynlighet per år",
            "Med ord",
            "Hvor kommunen ender",
        ],
    }
}

fn kind_words(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("leave", Lang::En) => "leaves",
        ("leave", Lang::Nb) => "går ut",
        ("join", Lang::En) => "joins",
        ("join", Lang::Nb) => "går inn",
        (_, Lang::En) => "wound up",
        (_, Lang::Nb) => "avvikles",
    }
}

/// Adds the sheet to `book` when the scenario has membership events.
pub(super) fn push_sheet(
    book: &mut Workbook,
    formats: &Formats,
    summary: &SummaryJson,
    lang: Lang,
) -> Result<(), XlsxError> {
    if summary.scenario.events.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Cell>> = summary
        .scenario
        .events
        .iter()
        .map(|e| {
            vec![
                text(kind_words(e.kind, lang)),
                e.member.as_deref().map_or(Cell::Empty, text),
                number(f64::from(e.year), Kind::Plain),
                number(f64::from(e.year - e.notice_years as i32), Kind::Plain),
                optional(e.probability, Kind::Probability),
                text(event_sentence(summary, e, lang)),
                outcome_sentence(summary, e, lang).map_or(Cell::Empty, text),
            ]
        })
        .collect();
    push_table(
        book,
        formats,
        lang,
        sheet_name(lang),
        &headers(lang),
        &rows,
        true,
    )
}
