//! The Excel workbook (`samkost.xlsx`): the summary, keys, members, yearly flows and
//! assumptions of a run as filterable sheets, in English or Norwegian Bokmål, and who would
//! gain by leaving in a later year (`leaving.rs`).
//!
//! Built from the JSON summary only, so the workbook says what `summary.json` says: every value
//! is stored as a number at full precision (the cell holds the shortest decimal text that reads
//! back as the same `f64`); number formats only change how Excel shows it. Identifiers (member
//! ids, key names, distributions) are text. Values the summary leaves out (`null`, not finite)
//! are empty cells. The document's creation date is fixed, so the same run gives the same bytes.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

pub mod existing;
mod labels;
pub mod leaving;
pub mod membership;
mod plan;
mod views;

pub use labels::XlsxLabels;

use super::inputs::input_label;
use super::json::{BandJson, KeyJson, Stats, SummaryJson};
use super::lang::{Lang, verdict};

/// Builds the workbook of a run, in `lang`.
pub fn workbook(summary: &SummaryJson, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let l = XlsxLabels::of(lang);
    let mut book = Workbook::new();
    // Excel stamps every file with the time it was created; a fixed date keeps the bytes a
    // function of the run alone.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&summary.scenario.name)
            .set_comment(format!("samkost {}", summary.provenance.samkost_version))
            .set_creation_datetime(&created),
    );
    let formats = Formats::new();
    let sheets = [
        (
            l.sheets[0],
            summary_rows(summary, lang, l),
            &l.summary_headers[..],
            false,
        ),
        (
            l.sheets[1],
            key_rows(summary, lang),
            &l.keys_headers[..],
            true,
        ),
        (
            l.sheets[2],
            member_rows(summary, l),
            &l.members_headers[..],
            true,
        ),
        (
            l.sheets[3],
            yearly_rows(summary, l),
            &l.yearly_headers[..],
            true,
        ),
        (
            l.sheets[4],
            assumption_rows(summary, lang),
            &l.assumptions_headers[..],
            true,
        ),
    ];
    for (name, rows, headers, filter) in sheets {
        push_table(&mut book, &formats, lang, name, headers, &rows, filter)?;
    }
    // The four-year plan in the municipal accounts view (docs/MODEL.md §6b).
    if let Some((name, headers, rows)) = plan::sheet(summary, lang) {
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        push_table(&mut book, &formats, lang, name, &headers, &rows, true)?;
    }
    leaving::push_sheet(&mut book, &formats, summary, lang)?;
    membership::push_sheet(&mut book, &formats, summary, lang)?;
    existing::push_sheet(&mut book, &formats, summary, lang)?;
    // The three views of the NPV (docs/MODEL.md §6d).
    let (name, headers, rows) = views::sheet(summary, lang);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    push_table(&mut book, &formats, lang, name, &headers, &rows, true)?;
    book.save_to_buffer()
}

/// A sheet built by a module: its name, its column headers and its rows.
type Sheet = (&'static str, Vec<String>, Vec<Vec<Cell>>);

/// A sheet `name` holding one table (headers, rows; with an autofilter when `filter`) at the
/// end of `book`.
fn push_table(
    book: &mut Workbook,
    formats: &Formats,
    lang: Lang,
    name: &str,
    headers: &[&str],
    rows: &[Vec<Cell>],
    filter: bool,
) -> Result<(), XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(name)?;
    write_table(&mut sheet, formats, lang, headers, rows, filter)?;
    book.push_worksheet(sheet);
    Ok(())
}

/// How a number is shown.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Whole kroner with digit groups, negatives in red.
    Nok,
    /// A probability, one decimal in percent.
    Probability,
    /// A share or a rate, two decimals in percent.
    Share,
    /// A ratio, two decimals.
    Ratio,
    /// A whole number without digit groups: a calendar year, a seed.
    Plain,
    /// A count with digit groups.
    Count,
    /// Excel's general format: inputs of any magnitude.
    General,
}

/// One cell of a sheet.
#[derive(Debug)]
enum Cell {
    /// Text (identifiers, names, sentences).
    Text(String),
    /// Bold text: a heading inside the summary sheet.
    Heading(String),
    /// A sentence that runs on into the empty cells to its right rather than widening its
    /// column (verdicts, warnings).
    Sentence(String),
    /// A number and how to show it.
    Number(f64, Kind),
    /// TRUE or FALSE (Excel shows them in its own language).
    Flag(bool),
    /// Nothing: the summary has no value here.
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(value: f64, kind: Kind) -> Cell {
    Cell::Number(value, kind)
}

/// A seed: a number when a double holds it exactly (up to 2^53), else text.
fn seed(seed: u64) -> Cell {
    if seed <= 1 << f64::MANTISSA_DIGITS {
        Cell::Number(seed as f64, Kind::Plain)
    } else {
        Cell::Text(seed.to_string())
    }
}

fn optional(value: Option<f64>, kind: Kind) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Number(v, kind))
}

/// The cell formats, made once per workbook.
struct Formats {
    header: Format,
    heading: Format,
    nok: Format,
    probability: Format,
    share: Format,
    ratio: Format,
    plain: Format,
    count: Format,
    general: Format,
}

impl Formats {
    fn new() -> Self {
        let num = |f: &str| Format::new().set_num_format(f);
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            heading: Format::new().set_bold(),
            nok: num("#,##0;[Red]-#,##0"),
            probability: num("0.0%"),
            share: num("0.00%"),
            ratio: num("0.00"),
            plain: num("0"),
            count: num("#,##0"),
            general: Format::new(),
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Nok => &self.nok,
            Kind::Probability => &self.probability,
            Kind::Share => &self.share,
            Kind::Ratio => &self.ratio,
            Kind::Plain => &self.plain,
            Kind::Count => &self.count,
            Kind::General => &self.general,
        }
    }
}

/// Excel's longest text in a cell, in characters.
const MAX_CELL_CHARS: usize = 32_767;
/// Widest column set, in characters (longer text runs on into the empty cells beside it).
const MAX_WIDTH: f64 = 90.0;
/// Widest a header widens its column; longer headers wrap.
const HEADER_WIDTH: usize = 18;

/// Writes a header row and the rows below it; a table gets an autofilter. The header row stays
/// in view while scrolling.
fn write_table(
    sheet: &mut Worksheet,
    formats: &Formats,
    lang: Lang,
    headers: &[&str],
    rows: &[Vec<Cell>],
    filter: bool,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| h.chars().count().min(HEADER_WIDTH))
        .collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &formats.header)?;
    }
    for (row_idx, row) in rows.iter().enumerate() {
        let row_num = u32::try_from(row_idx + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in row.iter().enumerate() {
            let width = write_cell(sheet, formats, lang, row_num, col as u16, cell)?;
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(width);
            }
        }
    }
    let mut header_lines = 1;
    for (col, (width, header)) in widths.iter().zip(headers).enumerate() {
        let width = (*width as f64 + 2.0).min(MAX_WIDTH);
        sheet.set_column_width(col as u16, width)?;
        // Word wrapping breaks early; count a tenth more characters than the header has.
        let lines = (header.chars().count() as f64 * 1.1 / (width - 1.0)).ceil() as u32;
        header_lines = header_lines.max(lines);
    }
    sheet.set_row_height(0, 15 * header_lines.min(5))?;
    sheet.set_freeze_panes(1, 0)?;
    if filter {
        let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.autofilter(0, 0, last_row, headers.len().saturating_sub(1) as u16)?;
    }
    Ok(())
}

/// Writes one cell and returns the width it needs, in characters.
fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    lang: Lang,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<usize, XlsxError> {
    let clip = |s: &str| -> String { s.chars().take(MAX_CELL_CHARS).collect() };
    Ok(match cell {
        Cell::Text(s) => {
            sheet.write_string(row, col, clip(s))?;
            s.chars().count()
        }
        Cell::Sentence(s) => {
            sheet.write_string(row, col, clip(s))?;
            0
        }
        Cell::Heading(s) => {
            sheet.write_string_with_format(row, col, clip(s), &formats.heading)?;
            s.chars().count().min(HEADER_WIDTH)
        }
        // Excel has no NaN or infinity: such a value is left out, as in the JSON (`null`).
        Cell::Number(v, _) if !v.is_finite() => 0,
        Cell::Number(v, kind) => {
            sheet.write_number_with_format(row, col, *v, formats.of(*kind))?;
            shown_width(*v, *kind, lang)
        }
        Cell::Flag(b) => {
            sheet.write_boolean(row, col, *b)?;
            5
        }
        Cell::Empty => 0,
    })
}

/// Roughly how many characters Excel needs to show `value` in `kind`'s format.
fn shown_width(value: f64, kind: Kind, lang: Lang) -> usize {
    match kind {
        Kind::Nok | Kind::Count => lang.int(value).chars().count() + 1,
        Kind::Probability => 7,
        Kind::Share => 8,
        Kind::Ratio => lang.decimal(value, 2).chars().count(),
        Kind::Plain => 5,
        Kind::General => value.to_string().chars().count().min(12),
    }
}

/// The summary sheet: the scenario, the region, one verdict per key, provenance and warnings.
fn summary_rows(summary: &SummaryJson, lang: Lang, l: &XlsxLabels) -> Vec<Vec<Cell>> {
    let s = &summary.scenario;
    let sampling = |id: &'static str| -> &'static str {
        match id {
            "monte_carlo" => l.sampling_names[0],
            "latin_hypercube" => l.sampling_names[1],
            "sobol" => l.sampling_names[2],
            other => other,
        }
    };
    let last_year = s.first_year as f64 + s.horizon_years as f64 - 1.0;
    let scenario_values = [
        text(&s.name),
        number(f64::from(s.first_year), Kind::Plain),
        number(last_year, Kind::Plain),
        number(f64::from(s.operation_start), Kind::Plain),
        number(s.draws as f64, Kind::Count),
        seed(s.seed),
        text(sampling(s.sampling)),
        number(s.discount_rate, Kind::Share),
    ];
    let region = &summary.region;
    let npv = &region.npv_net_benefit;
    let mut region_values = Vec::from(stats_cells(npv));
    region_values.extend([
        number(region.p_win, Kind::Probability),
        number(region.startup_cost_npv, Kind::Nok),
        optional(region.npv_per_invested_krone, Kind::Ratio),
    ]);
    let labelled = |labels: &[&str], values: Vec<Cell>| -> Vec<Vec<Cell>> {
        labels
            .iter()
            .zip(values)
            .map(|(label, value)| vec![text(*label), value])
            .collect()
    };
    let mut rows = labelled(&l.scenario_rows, scenario_values.into());
    rows.extend(labelled(&l.region_rows, region_values));
    rows.push(vec![]);
    rows.push(vec![Cell::Heading(l.verdicts.to_owned())]);
    for (key_idx, key) in summary.keys.iter().enumerate() {
        let sentence = Cell::Sentence(verdict(summary, key_idx, lang));
        rows.push(vec![text(&key.name), sentence]);
    }
    if let Some(r) = super::recommend::of_summary(summary) {
        let (first, why) = match lang {
            Lang::Nb => ("Fordelingsnøkkel å vurdere først", "Hvorfor"),
            Lang::En => ("Key to consider first", "Why"),
        };
        rows.push(vec![]);
        rows.push(vec![text(first), text(&summary.keys[r.key].name)]);
        rows.push(vec![
            text(why),
            Cell::Sentence(super::recommend::reason(summary, &r, lang)),
        ]);
    }
    rows.extend(provenance_rows(summary, l));
    rows
}

/// Provenance, precision (when asked for) and warnings.
fn provenance_rows(summary: &SummaryJson, l: &XlsxLabels) -> Vec<Vec<Cell>> {
    let p = &summary.provenance;
    let s = &summary.scenario;
    let values = [
        text(p.samkost_version),
        text(&p.scenario_hash),
        seed(p.seed),
        number(p.draws as f64, Kind::Count),
        text(p.sampling),
        text(s.quantiles),
        number(s.stability_draws as f64, Kind::Count),
        number(s.band_draws as f64, Kind::Count),
    ];
    let mut rows = vec![vec![], vec![Cell::Heading(l.provenance.to_owned())]];
    for (label, value) in l.provenance_rows.iter().zip(values) {
        rows.push(vec![text(*label), value]);
    }
    if let Some(precision) = &summary.precision {
        let [heading, measure, target, achieved, reached] = l.precision_rows;
        rows.push(vec![]);
        rows.push(vec![Cell::Heading(heading.to_owned())]);
        rows.push(vec![text(measure), text(&precision.measure)]);
        rows.push(vec![text(target), number(precision.target, Kind::General)]);
        rows.push(vec![
            text(achieved),
            number(precision.achieved, Kind::General),
        ]);
        rows.push(vec![text(reached), Cell::Flag(precision.reached)]);
    }
    rows.push(vec![]);
    rows.push(vec![Cell::Heading(l.warnings.to_owned())]);
    if summary.warnings.is_empty() {
        rows.push(vec![text(l.no_warnings)]);
    }
    for warning in &summary.warnings {
        rows.push(vec![Cell::Sentence(warning.clone())]);
    }
    rows
}

/// One row per key.
fn key_rows(summary: &SummaryJson, lang: Lang) -> Vec<Vec<Cell>> {
    let name_of = |id: &String| -> String {
        let member = summary.members.iter().find(|m| &m.id == id);
        member.map_or_else(|| id.clone(), |m| m.name.clone())
    };
    summary
        .keys
        .iter()
        .map(|key: &KeyJson| {
            let breakaway = key.top_breakaway.as_ref();
            vec![
                text(&key.name),
                number(key.p_all_win, Kind::Probability),
                number(key.p_all_win_se, Kind::Share),
                optional(key.p_core_stable, Kind::Probability),
                breakaway.map_or(Cell::Empty, |b| {
                    text(b.members.iter().map(name_of).collect::<Vec<_>>().join(", "))
                }),
                breakaway.map_or(Cell::Empty, |b| text(b.members.join(" "))),
                optional(breakaway.map(|b| b.p), Kind::Probability),
                optional(key.burden_ratio, Kind::Ratio),
                Cell::Flag(key.burden_flag),
                text(super::lang::describe_key(key, lang)),
                key.note.as_deref().map_or(Cell::Empty, text),
            ]
        })
        .collect()
}

/// One row per key and member.
fn member_rows(summary: &SummaryJson, l: &XlsxLabels) -> Vec<Vec<Cell>> {
    let payback = |year: Option<i32>| {
        year.map_or_else(
            || text(l.not_within_horizon),
            |y| number(f64::from(y), Kind::Plain),
        )
    };
    let mut rows = Vec::new();
    for key in &summary.keys {
        for (m, member) in key.members.iter().zip(&summary.members) {
            let mut row = vec![
                text(&key.name),
                text(&m.id),
                text(&member.name),
                number(member.population, Kind::Count),
                number(m.share, Kind::Share),
                optional(m.share_se, Kind::Share),
                number(m.cost_per_inhabitant, Kind::Nok),
                number(m.p_win, Kind::Probability),
                number(m.p_win_se, Kind::Share),
                number(m.p_loss, Kind::Probability),
            ];
            row.extend(stats_cells(&m.npv_net_benefit));
            row.extend([
                payback(m.payback_year.p10),
                payback(m.payback_year.p50),
                payback(m.payback_year.p90),
            ]);
            rows.push(row);
        }
    }
    rows
}

/// Mean, its standard error, whether its sign is established, P10, P50, P90 and CVaR10.
fn stats_cells(stats: &Stats) -> [Cell; 7] {
    [
        number(stats.mean, Kind::Nok),
        number(stats.mean_se, Kind::Nok),
        Cell::Flag(stats.mean_reliable),
        number(stats.p10, Kind::Nok),
        number(stats.p50, Kind::Nok),
        number(stats.p90, Kind::Nok),
        number(stats.cvar10, Kind::Nok),
    ]
}

/// The region's rows by year, then one row per key, member and year.
fn yearly_rows(summary: &SummaryJson, l: &XlsxLabels) -> Vec<Vec<Cell>> {
    let y = &summary.yearly;
    let band = |band: Option<&BandJson>, t: usize| -> [Cell; 3] {
        let at =
            |values: Option<&Vec<f64>>| optional(values.and_then(|v| v.get(t).copied()), Kind::Nok);
        [
            at(band.map(|b| &b.p10)),
            at(band.map(|b| &b.p50)),
            at(band.map(|b| &b.p90)),
        ]
    };
    let mut rows = Vec::new();
    for (t, year) in y.years.iter().enumerate() {
        let at = |values: &[f64]| optional(values.get(t).copied(), Kind::Nok);
        let mut row = vec![
            number(f64::from(*year), Kind::Plain),
            Cell::Empty,
            Cell::Empty,
            text(l.region),
            at(&y.standalone_cost),
            at(&y.cooperation_cost),
            at(&y.net_benefit_cash),
            at(&y.net_benefit_budget),
            Cell::Empty,
        ];
        row.extend(band(Some(&y.cumulative_npv), t));
        // The region's columns of the payments: the pooled costs and the members' own costs.
        row.extend([
            at(&y.pooled_running),
            at(&y.pooled_startup),
            at(&y.own_cost),
            Cell::Empty,
            Cell::Empty,
        ]);
        rows.push(row);
    }
    for key in &summary.keys {
        for (m, member) in key.members.iter().zip(&summary.members) {
            let pay = &m.yearly_payments;
            for (t, year) in y.years.iter().enumerate() {
                let at = |values: &[f64], kind| optional(values.get(t).copied(), kind);
                let mut row = vec![
                    number(f64::from(*year), Kind::Plain),
                    text(&key.name),
                    text(&m.id),
                    text(&member.name),
                    at(&pay.standalone_cost, Kind::Nok),
                    at(&pay.total_paid, Kind::Nok),
                    at(&m.yearly_net_benefit.cash, Kind::Nok),
                    at(&m.yearly_net_benefit.budget, Kind::Nok),
                    at(&m.p_ahead_by_year, Kind::Probability),
                ];
                row.extend(band(m.cumulative_npv.as_ref(), t));
                row.extend([
                    at(&pay.to_cooperation_running, Kind::Nok),
                    at(&pay.to_cooperation_startup, Kind::Nok),
                    at(&pay.own_cost, Kind::Nok),
                ]);
                // Under a price list (docs/MODEL.md §5b) the bill and the year-end settlement;
                // empty under other keys.
                let billing = |values: &Option<Vec<f64>>| {
                    values.as_deref().map_or(Cell::Empty, |v| at(v, Kind::Nok))
                };
                row.extend([billing(&pay.billed), billing(&pay.settlement)]);
                rows.push(row);
            }
        }
    }
    rows
}

/// One row per uncertain input: in words (as in the report), then its name in the scenario.
fn assumption_rows(summary: &SummaryJson, lang: Lang) -> Vec<Vec<Cell>> {
    summary
        .assumptions
        .iter()
        .map(|a| {
            vec![
                text(input_label(&a.name, a.origin.as_ref(), lang)),
                text(&a.name),
                text(a.distribution),
                number(a.mean, Kind::General),
                number(a.p10, Kind::General),
                number(a.p50, Kind::General),
                number(a.p90, Kind::General),
                optional(a.tail_share_of_mean, Kind::Probability),
                a.source.as_ref().map_or(Cell::Empty, text),
            ]
        })
        .collect()
}
