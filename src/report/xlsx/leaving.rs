//! The workbook's sheet on leaving in a later year (docs/MODEL.md §10a): one row per key and
//! leave year with the numbers of `summary.json`'s `keys[].leaving`, then each member's
//! probability of gaining by leaving alone.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{Cell, Formats, Kind, number, optional, push_table, text};
use crate::report::json::SummaryJson;
use crate::report::lang::Lang;
use crate::report::leaving::group_words;

/// The sheet's name per language.
pub fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Leaving later",
        Lang::Nb => "Uttreden senere",
    }
}

/// The sheet's fixed columns per language; one column per member follows
/// ("P(<name> gains by leaving alone)").
pub fn headers(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::En => [
            "Key",
            "Leaving in",
            "P(some member or group gains by leaving)",
            "Standard error",
            "P(winding up gains)",
            "Group most often tempted",
            "Its member ids",
            "P(that group gains by leaving)",
            "Its mean gain when it does (NOK, present value)",
        ],
        Lang::Nb => [
            "Fordelingsnøkkel",
            "Uttreden i",
            "Sannsynlighet for at en kommune eller gruppe tjener på å gå ut",
            "Standardfeil",
            "Sannsynlighet for at avvikling lønner seg",
            "Gruppen som oftest ville gå ut",
            "Kommunenumrene",
            "Sannsynlighet for at den gruppen tjener på å gå ut",
            "Gjennomsnittlig gevinst når den gjør det (kr, nåverdi)",
        ],
    }
}

/// The header of a member's column.
pub fn member_header(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("P({name} gains by leaving alone)"),
        Lang::Nb => format!("Sannsynlighet for at {name} tjener på å gå ut alene"),
    }
}

/// One row per key and leave year.
fn rows(summary: &SummaryJson, lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for key in &summary.keys {
        for y in &key.leaving {
            let top = y.top_group.as_ref();
            let mut row = vec![
                text(&key.name),
                number(f64::from(y.year), Kind::Plain),
                number(y.p_any, Kind::Probability),
                number(y.p_any_se, Kind::Share),
                number(y.p_wind_up, Kind::Probability),
                top.map_or(Cell::Empty, |t| {
                    text(group_words(summary, &t.members, lang))
                }),
                top.map_or(Cell::Empty, |t| text(t.members.join(" "))),
                optional(top.map(|t| t.p), Kind::Probability),
                optional(top.map(|t| t.mean_gain), Kind::Nok),
            ];
            row.extend(y.p_alone.iter().map(|m| number(m.p, Kind::Probability)));
            rows.push(row);
        }
    }
    rows
}

/// Adds the sheet to `book` when some key has stability over time.
pub(super) fn push_sheet(
    book: &mut Workbook,
    formats: &Formats,
    summary: &SummaryJson,
    lang: Lang,
) -> Result<(), XlsxError> {
    if summary.keys.iter().all(|k| k.leaving.is_empty()) {
        return Ok(());
    }
    let members: Vec<String> = summary
        .members
        .iter()
        .map(|m| member_header(lang, &m.name))
        .collect();
    let mut columns: Vec<&str> = headers(lang).to_vec();
    columns.extend(members.iter().map(String::as_str));
    let rows = rows(summary, lang);
    push_table(book, formats, lang, sheet_name(lang), &columns, &rows, true)
}
