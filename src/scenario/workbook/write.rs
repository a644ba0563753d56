//! Writing a scenario's tree as a workbook: rows first, then cells.

use rust_xlsxwriter::{DataValidation, Format, Note, Workbook, Worksheet, XlsxError};
use toml::de::{DeTable, DeValue};

use super::{
    Layout, ROW_COLUMNS, SHEETS, Sheet, UNNAMED, VALIDATED_ROWS, choices, is_distribution_entry,
    key_segment, toml_string,
};
use crate::scenario::StarterLang;
use crate::scenario::kommuner;
use crate::scenario::tree::{Node, number};

/// Choices for [`scenario_workbook`].
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkbookOptions {
    /// Language of the notes.
    pub lang: StarterLang,
    /// Members given by kommunenummer alone get their name and population from the embedded
    /// table in the `members` sheet, so a finance officer sees whom each row is about.
    pub expand_members: bool,
}

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
}

/// One row of a row sheet: the entry's label, the field's path and the filled columns.
#[derive(Debug, Default)]
struct Row {
    name: Option<String>,
    field: String,
    cells: Vec<(&'static str, Cell)>,
}

/// The members sheet: its columns (field paths) and one row of cells per member.
type MemberTable = (Vec<String>, Vec<Vec<Option<Cell>>>);

/// The sheets' rows: row sheets as [`Row`]s, the members sheet as a [`MemberTable`].
struct Rows {
    row_sheets: Vec<(Sheet, Vec<Row>)>,
    members: MemberTable,
}

/// Largest integer a workbook number holds exactly (2^53).
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A scalar as a cell, when a cell holds it exactly (an integer beyond 2^53, an infinite float
/// or a date does not: those go to the `toml` column).
fn scalar_cell(node: &Node<'_>) -> Option<Cell> {
    match node.get_ref() {
        DeValue::String(s) => Some(Cell::Text(s.to_string())),
        DeValue::Boolean(b) => Some(Cell::Bool(*b)),
        DeValue::Integer(_) | DeValue::Float(_) => number(node)
            .filter(|v| v.is_finite() && v.abs() <= EXACT_INTEGER)
            .map(Cell::Number),
        _ => None,
    }
}

/// Any value as inline TOML.
fn inline_toml(node: &Node<'_>) -> String {
    match node.get_ref() {
        DeValue::String(s) => toml_string(s),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map_or_else(|_| i.as_str().to_owned(), |v| v.to_string()),
        DeValue::Float(f) => f.as_str().to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_toml).collect();
            format!("[{}]", items.join(", "))
        }
        DeValue::Table(t) => {
            let entries: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", key_segment(k.get_ref()), inline_toml(v)))
                .collect();
            if entries.is_empty() {
                "{}".to_owned()
            } else {
                format!("{{ {} }}", entries.join(", "))
            }
        }
    }
}

/// Entries of a table in the order a reader expects: identity and rule first, sources last.
fn ordered<'a, 'i>(table: &'a DeTable<'i>) -> Vec<(&'a str, &'a Node<'i>)> {
    const FIRST: [&str; 12] = [
        "id", "name", "kind", "rule", "dist", "category", "occurs", "basis", "driver", "year",
        "start", "end",
    ];
    const LAST: [&str; 3] = ["unit", "source", "note"];
    let rank = |k: &str| {
        FIRST
            .iter()
            .position(|f| *f == k)
            .or_else(|| LAST.iter().position(|f| *f == k).map(|p| 100 + p))
            .unwrap_or(50)
    };
    let mut entries: Vec<(&str, &Node<'_>)> = table
        .iter()
        .map(|(k, v)| (k.get_ref().as_ref(), v))
        .collect();
    entries.sort_by_key(|(k, _)| rank(k));
    entries
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key_segment(key)
    } else {
        format!("{path}.{}", key_segment(key))
    }
}

/// The rows of `node` at `path` (relative to the entry labelled `name`).
fn flatten(name: Option<&str>, path: &str, node: &Node<'_>, rows: &mut Vec<Row>) {
    let new_row = |field: &str| Row {
        name: name.map(str::to_owned),
        field: field.to_owned(),
        cells: Vec::new(),
    };
    match node.get_ref() {
        DeValue::Table(table)
            if matches!(
                table.get("dist").map(|d| d.get_ref()),
                Some(DeValue::String(_))
            ) =>
        {
            let mut row = new_row(path);
            let mut nested = Vec::new();
            for (key, value) in ordered(table) {
                let column = ROW_COLUMNS
                    .iter()
                    .find(|c| **c == key && (key == "dist" || is_distribution_entry(c)));
                match (column, scalar_cell(value)) {
                    (Some(column), Some(cell)) => row.cells.push((column, cell)),
                    _ => nested.push((key, value)),
                }
            }
            rows.push(row);
            for (key, value) in nested {
                flatten(name, &join(path, key), value, rows);
            }
        }
        DeValue::Table(table) if !table.is_empty() => {
            for (key, value) in ordered(table) {
                flatten(name, &join(path, key), value, rows);
            }
        }
        _ => {
            let mut row = new_row(path);
            match scalar_cell(node) {
                Some(cell) => row.cells.push(("value", cell)),
                None => row.cells.push(("toml", Cell::Text(inline_toml(node)))),
            }
            rows.push(row);
        }
    }
}

/// The entries of an array of tables, or `None` when an entry is not a table.
fn tables<'a, 'i>(node: &'a Node<'i>) -> Option<Vec<&'a DeTable<'i>>> {
    match node.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The members sheet: columns and rows, or `None` when a member holds more than scalars and
/// tables of scalars (it then stays on the `scenario` sheet as TOML).
fn member_rows(root: &DeTable<'_>, options: WorkbookOptions) -> Option<MemberTable> {
    let DeValue::Array(items) = root.get("members")?.get_ref() else {
        return None;
    };
    let mut columns = vec!["id".to_owned()];
    if options.expand_members {
        // Room for the member's payroll tax zone (empty: the scenario's zone).
        columns.extend([
            "name".to_owned(),
            "population".to_owned(),
            "payroll_zone".to_owned(),
        ]);
    }
    let mut entries: Vec<Vec<(String, Cell)>> = Vec::new();
    for item in items {
        let mut cells = Vec::new();
        match item.get_ref() {
            DeValue::String(id) => {
                cells.push(("id".to_owned(), Cell::Text(id.to_string())));
                if let Some(k) = kommuner::by_id(id).filter(|_| options.expand_members) {
                    cells.push(("name".to_owned(), Cell::Text(k.name.clone())));
                    cells.push(("population".to_owned(), Cell::Number(k.population)));
                }
            }
            DeValue::Table(_) => {
                let mut rows = Vec::new();
                flatten(None, "", item, &mut rows);
                for row in rows {
                    match row.cells.as_slice() {
                        [("value", cell)] => cells.push((row.field, cell.clone())),
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
        for (column, _) in &cells {
            if !columns.contains(column) {
                columns.push(column.clone());
            }
        }
        entries.push(cells);
    }
    // Room for each driver the scenario declares, so local figures have a column to go in.
    if let Some(DeValue::Table(drivers)) = root.get("drivers").map(|d| d.get_ref()) {
        for (driver, _) in drivers.iter() {
            let column = join("drivers", driver.get_ref());
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
    }
    let rows = entries
        .into_iter()
        .map(|cells| {
            columns
                .iter()
                .map(|c| cells.iter().find(|(k, _)| k == c).map(|(_, v)| v.clone()))
                .collect()
        })
        .collect();
    Some((columns, rows))
}

/// Lays out a scenario's tree on the sheets.
fn layout(root: &DeTable<'_>, options: WorkbookOptions) -> Rows {
    let members = member_rows(root, options);
    let mut claimed: Vec<&str> = Vec::new();
    let mut row_sheets = Vec::new();
    for sheet in SHEETS {
        let mut rows = Vec::new();
        match sheet.layout {
            Layout::Map(section) => {
                if let Some(DeValue::Table(t)) = root.get(section).map(|n| n.get_ref()) {
                    claimed.push(section);
                    for (name, node) in t.iter() {
                        flatten(Some(name.get_ref()), "", node, &mut rows);
                    }
                }
            }
            Layout::Array(section) => {
                if let Some(entries) = root.get(section).and_then(tables) {
                    claimed.push(section);
                    for (i, entry) in entries.iter().enumerate() {
                        let label = match entry.get("name").map(|n| n.get_ref()) {
                            Some(DeValue::String(n)) if !n.starts_with(super::UNNAMED) => {
                                n.to_string()
                            }
                            _ => format!("{UNNAMED}{}", i + 1),
                        };
                        let first = rows.len();
                        for (key, value) in ordered(entry) {
                            if key == "name" && !label.starts_with(UNNAMED) {
                                continue;
                            }
                            flatten(Some(&label), &join("", key), value, &mut rows);
                        }
                        if rows.len() == first {
                            rows.push(Row {
                                name: Some(label),
                                ..Row::default()
                            });
                        }
                    }
                }
            }
            Layout::Wide(section) if members.is_some() => claimed.push(section),
            Layout::Wide(_) | Layout::Root => {}
        }
        row_sheets.push((sheet, rows));
    }
    let mut root_entries: Vec<(&str, &Node<'_>)> = root
        .iter()
        .map(|(k, v)| (k.get_ref().as_ref(), v))
        .filter(|(k, _)| !claimed.contains(k))
        .collect();
    let top = |k: &str| {
        super::super::TOP_KEYS
            .iter()
            .position(|t| *t == k)
            .unwrap_or(usize::MAX)
    };
    root_entries.sort_by_key(|(k, _)| top(k));
    let root_rows = &mut row_sheets[0].1;
    for (key, node) in root_entries {
        flatten(None, &key_segment(key), node, root_rows);
    }
    Rows {
        row_sheets,
        members: members.unwrap_or_else(|| (vec!["id".to_owned()], Vec::new())),
    }
}

/// A workbook for the scenario `src` (TOML). Returns the parser's message when `src` is not
/// TOML; the caller validates the scenario first.
pub fn scenario_workbook(src: &str, options: WorkbookOptions) -> Result<Vec<u8>, String> {
    let root = DeTable::parse(src).map_err(|e| e.to_string())?;
    let rows = layout(root.get_ref(), options);
    write_book(&rows, options).map_err(|e| e.to_string())
}

fn write_book(rows: &Rows, options: WorkbookOptions) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDEBF7");
    for (sheet, sheet_rows) in &rows.row_sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        if sheet.name == "members" {
            write_members(ws, &rows.members, &header, options)?;
        } else {
            write_row_sheet(ws, *sheet, sheet_rows, &header, options)?;
        }
    }
    book.save_to_buffer()
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) => ws.write_string(row, col, t)?,
        Cell::Number(v) => ws.write_number(row, col, *v)?,
        Cell::Bool(b) => ws.write_boolean(row, col, *b)?,
    };
    Ok(())
}

fn note(text: &str) -> Note {
    Note::new(text)
        .set_author("samkost")
        .add_author_prefix(false)
        .set_width(360)
}

fn write_row_sheet(
    ws: &mut Worksheet,
    sheet: Sheet,
    rows: &[Row],
    header: &Format,
    options: WorkbookOptions,
) -> Result<(), XlsxError> {
    let columns: Vec<&str> = ROW_COLUMNS
        .iter()
        .copied()
        .filter(|c| sheet.layout != Layout::Root || *c != "name")
        .collect();
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *column, header)?;
        let mut text = super::notes::column(column, options.lang).to_owned();
        if c == 0 {
            text = format!(
                "{}\n\n{text}",
                super::notes::sheet(sheet.name, options.lang)
            );
        }
        ws.insert_note(0, c, &note(&text))?;
        let width = match *column {
            "name" | "field" => 30.0,
            "value" | "source" | "note" | "toml" => 40.0,
            _ => 11.0,
        };
        ws.set_column_width(c, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let col_of = |name: &str| columns.iter().position(|c| *c == name).map(|c| c as u16);
    if let Some(dist) = col_of("dist") {
        let list = DataValidation::new().allow_list_strings(crate::scenario::values::DIST_KINDS)?;
        ws.add_data_validation(1, dist, VALIDATED_ROWS, dist, &list)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        if let (Some(name), Some(c)) = (&row.name, col_of("name")) {
            ws.write_string(r, c, name)?;
        }
        if let Some(c) = col_of("field") {
            ws.write_string(r, c, &row.field)?;
        }
        for (column, cell) in &row.cells {
            if let Some(c) = col_of(column) {
                write_cell(ws, r, c, cell)?;
            }
        }
        let value_col = col_of("value").unwrap_or(0);
        if let Some(list) = choices(&row.field) {
            let list = DataValidation::new().allow_list_strings(&list)?;
            ws.add_data_validation(r, value_col, r, value_col, &list)?;
        }
    }
    Ok(())
}

fn write_members(
    ws: &mut Worksheet,
    (columns, rows): &MemberTable,
    header: &Format,
    options: WorkbookOptions,
) -> Result<(), XlsxError> {
    for (c, column) in columns.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, column, header)?;
        let mut text = super::notes::member_column(column, options.lang);
        if c == 0 {
            text = format!("{}\n\n{text}", super::notes::sheet("members", options.lang));
        }
        ws.insert_note(0, c, &note(&text))?;
        ws.set_column_width(c, if column == "name" { 22.0 } else { 14.0 })?;
    }
    ws.set_freeze_panes(1, 1)?;
    if let Some(c) = columns.iter().position(|c| c == "payroll_zone") {
        let zones: Vec<&str> = crate::scenario::components::PAYROLL_ZONES
            .iter()
            .map(|(zone, _)| *zone)
            .collect();
        let list = DataValidation::new().allow_list_strings(&zones)?;
        ws.add_data_validation(1, c as u16, VALIDATED_ROWS, c as u16, &list)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(cell) = cell {
                write_cell(ws, r as u32 + 1, c as u16, cell)?;
            }
        }
    }
    Ok(())
}
