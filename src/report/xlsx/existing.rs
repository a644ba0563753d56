//! The workbook's sheet on an existing cooperation deciding on new members (docs/MODEL.md
//! §10c): one row per member of `summary.json`'s `scenario.existing`, with what it compares,
//! its share today, and whether it would want to admit or join under the key to consider first.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{Cell, Formats, Kind, number, push_table, text};
use crate::report::existing::{ADMIT, intro_sentence, member_sentences};
use crate::report::json::SummaryJson;
use crate::report::lang::Lang;
use crate::report::recommend::shown_key;

/// The sheet's name per language.
pub fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Existing cooperation",
        Lang::Nb => "Eksisterende samarbeid",
    }
}

/// The sheet's columns per language.
pub fn headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => [
            "Member id",
            "Today",
            "Compares",
            "Share today",
            "Net benefit, median (NOK)",
            "Probability of gaining",
            "In words",
        ],
        Lang::Nb => [
            "Kommunenummer",
            "I dag",
            "Sammenligner",
            "Andel i dag",
            "Netto gevinst, median (kr)",
            "Sannsynlighet for gevinst",
            "Med ord",
        ],
    }
}

fn role_words(admits: bool, lang: Lang) -> (&'static str, &'static str) {
    match (admits, lang) {
        (true, Lang::En) => ("in the cooperation", "admit vs stay as is"),
        (false, Lang::En) => ("alone", "join vs stay alone"),
        (true, Lang::Nb) => ("i samarbeidet", "ta inn mot fortsette som i dag"),
        (false, Lang::Nb) => ("alene", "gå inn mot fortsette alene"),
    }
}

/// Adds the sheet to `book` when the scenario starts from an existing cooperation: the
/// introduction in the first row, then a row per member under the key to consider first, and
/// the probability that everyone gains in the last.
pub(super) fn push_sheet(
    book: &mut Workbook,
    formats: &Formats,
    summary: &SummaryJson,
    lang: Lang,
) -> Result<(), XlsxError> {
    let (Some(e), Some(key)) = (&summary.scenario.existing, shown_key(summary)) else {
        return Ok(());
    };
    let sentences = member_sentences(summary, e, lang);
    let mut rows: Vec<Vec<Cell>> = vec![vec![
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        text(intro_sentence(summary, e, lang)),
    ]];
    for (i, m) in key.members.iter().enumerate() {
        let admits = e.comparison.get(i) == Some(&ADMIT);
        let (today, compares) = role_words(admits, lang);
        rows.push(vec![
            text(m.id.clone()),
            text(today),
            text(compares),
            number(e.shares_today.get(i).copied().unwrap_or(0.0), Kind::Share),
            number(m.npv_net_benefit.p50, Kind::Nok),
            number(m.p_win, Kind::Probability),
            sentences.get(i).map_or(Cell::Empty, |s| text(s.clone())),
        ]);
    }
    if let Some(last) = sentences.last() {
        rows.push(vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            number(key.p_all_win, Kind::Probability),
            text(last.clone()),
        ]);
    }
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
