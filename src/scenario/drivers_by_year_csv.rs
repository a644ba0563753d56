//! The CSV file of `[drivers_by_year]`: one row per member and year, a `kommunenummer` (or
//! `id`) column, a `year` (or `år`) column, then one column per driver, as SSB's table
//! 14288 exports a projection (region, year, value). An empty cell gives no value for that
//! year; every problem is reported at its line and column with the fix.

use std::collections::BTreeMap;
use std::ops::Range;

use samkost_core::model::{DriverTable, Member};

use super::diagnostic::{Diagnostic, closest};

/// `driver → [member] → year → value`.
pub type ByDriver = BTreeMap<usize, Vec<BTreeMap<i64, f64>>>;

/// Byte spans of each field of the CSV line starting at `start` (quotes respected).
fn field_spans(text: &str, start: usize) -> Vec<Range<usize>> {
    let line_end = text[start..].find('\n').map_or(text.len(), |p| start + p);
    let line = text[start..line_end].trim_end_matches('\r');
    let mut spans = Vec::new();
    let (mut from, mut quoted) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                spans.push(start + from..start + i);
                from = i + 1;
            }
            _ => {}
        }
    }
    spans.push(start + from..start + line.len());
    spans
}

/// Reads the file; `Err` holds every problem found.
pub fn parse(
    path: &str,
    text: &str,
    members: &[Member],
    drivers: &DriverTable,
) -> Result<ByDriver, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at = |span: Range<usize>, message: String, help: &str| {
        Diagnostic::at(path, text, span, message).with_help(help)
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![Diagnostic::whole_file(
                path,
                format!("cannot read the header: {e}"),
            )]);
        }
    };
    let header_spans = field_spans(text, 0);
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h));
    let (Some(id_col), Some(year_col)) = (col(&["kommunenummer", "id"]), col(&["year", "år"]))
    else {
        let found = headers.iter().collect::<Vec<_>>().join(", ");
        return Err(vec![
            Diagnostic::whole_file(path, "the header needs a `kommunenummer` and a `year` column")
                .with_help(format!("columns found: {found}; then one column per driver, e.g. `kommunenummer,year,population`")),
        ]);
    };
    let mut columns: Vec<(usize, usize)> = Vec::new();
    for (c, header) in headers.iter().enumerate() {
        if c == id_col || c == year_col {
            continue;
        }
        match drivers.index(header) {
            Some(d) => columns.push((c, d)),
            None => {
                let names = drivers.names().join(", ");
                let help = match closest(header, drivers.names().iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`? drivers: {names}"),
                    None => format!(
                        "declare it under [drivers] first, or remove the column; drivers: {names}"
                    ),
                };
                let span = header_spans.get(c).cloned().unwrap_or(0..0);
                errors.push(at(
                    span,
                    format!("unknown driver `{header}` in the header"),
                    &help,
                ));
            }
        }
    }
    let mut out: ByDriver = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(Diagnostic::whole_file(path, format!("malformed row: {e}")));
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let spans = field_spans(text, start);
        let span = |c: usize| spans.get(c).cloned().unwrap_or(start..start);
        let field = |c: usize| record.get(c).unwrap_or("");
        let id = field(id_col);
        let Some(m) = super::members::member_index(members, id) else {
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            errors.push(at(
                span(id_col),
                format!("`{id}` is not a member of the scenario"),
                &format!(
                    "members: {}; remove rows of other municipalities",
                    ids.join(", ")
                ),
            ));
            continue;
        };
        let year = match field(year_col).parse::<i64>() {
            Ok(y) if super::drivers_by_year::YEARS.contains(&y) => y,
            _ => {
                errors.push(at(
                    span(year_col),
                    format!(
                        "`{}` in column `year` is not a calendar year",
                        field(year_col)
                    ),
                    "give the year as four digits, e.g. 2030",
                ));
                continue;
            }
        };
        for &(c, d) in &columns {
            let cell = field(c);
            if cell.is_empty() {
                continue;
            }
            let header = &headers[c];
            match cell.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => {
                    let values = out.entry(d).or_insert_with(|| vec![BTreeMap::new(); members.len()]);
                    if values[m].insert(year, v).is_some() {
                        errors.push(at(span(c), format!("`{header}` of member {id} in {year} is given twice"), "keep one row per member and year"));
                    }
                }
                _ => errors.push(at(
                    span(c),
                    format!("`{cell}` in column `{header}` (member {id}, {year}) is not a non-negative number"),
                    "write the number with a decimal point and no thousands separator, e.g. 32418, or leave the cell empty",
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
