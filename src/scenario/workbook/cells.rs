//! A workbook's cells as TOML entries: each sheet's rows become `path = value` lines, each
//! line remembered with the cell it came from; problems in the cells themselves (dates,
//! spreadsheet errors, unknown columns) are reported at once.

use calamine::Data;
use toml::de::DeTable;

use super::read::Piece;
use super::{
    Layout, ROW_COLUMNS, Sheet, UNNAMED, cell_ref, is_distribution_entry, key_segment, toml_string,
};
use crate::scenario::diagnostic::{Diagnostic, closest};

/// A cell's text as shown in messages.
pub(super) fn shown(data: &Data) -> String {
    match data {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A cell as a TOML value: `Ok(None)` when empty.
fn toml_value(data: &Data) -> Result<Option<String>, (String, String)> {
    const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;
    Ok(Some(match data {
        Data::Empty => return Ok(None),
        Data::String(s) if s.trim().is_empty() => return Ok(None),
        Data::String(s) => toml_string(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() <= EXACT_INTEGER => {
            format!("{}", *f as i64)
        }
        Data::Float(f) => format!("{f:?}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            return Err((
                "the cell holds a date or time, not a number or text".to_owned(),
                "format the cell as Number (or Text) and type the value again".to_owned(),
            ));
        }
        Data::Error(e) => {
            return Err((
                format!("the cell holds the spreadsheet error {e}"),
                "correct the formula or type the value".to_owned(),
            ));
        }
    }))
}

/// The text of a `name` or `field` cell: `Ok(None)` when empty.
fn text_cell(data: &Data) -> Result<Option<String>, (String, String)> {
    match data {
        Data::Empty => Ok(None),
        Data::String(s) if s.trim().is_empty() => Ok(None),
        Data::String(s) => Ok(Some(s.trim().to_owned())),
        other => Err((
            format!("expected text, found `{other}`"),
            "type a name as text (format the cell as Text)".to_owned(),
        )),
    }
}

/// Whether `path` is a TOML dotted key of bare (`a-z`, `0-9`, `_`, `-`) or quoted segments.
fn valid_path(path: &str) -> bool {
    let mut rest = path;
    loop {
        let end = if let Some(quoted) = rest.strip_prefix('"') {
            match quoted.find('"') {
                Some(close)
                    if !quoted[..close].contains(['\\'])
                        && !quoted[..close].chars().any(char::is_control) =>
                {
                    close + 2
                }
                _ => return false,
            }
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            let segment = &rest[..end];
            if segment.is_empty()
                || !segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return false;
            }
            end
        };
        match rest[end..].strip_prefix('.') {
            Some(next) => rest = next,
            None => return end == rest.len(),
        }
    }
}

/// One sheet's cells: `(row, column) → data`, absolute 0-based positions.
pub(super) struct Grid {
    pub sheet: &'static str,
    pub rows: Vec<(u32, Vec<(u32, Data)>)>,
}

impl Grid {
    fn get<'r>(&self, row: &'r [(u32, Data)], col: u32) -> &'r Data {
        static EMPTY: Data = Data::Empty;
        row.iter()
            .find(|(c, _)| *c == col)
            .map_or(&EMPTY, |(_, d)| d)
    }
}

/// Builds the TOML text and the cell map.
pub(super) struct Builder<'f> {
    file: &'f str,
    /// The TOML text so far.
    pub out: String,
    /// Each entry's cell.
    pub pieces: Vec<Piece>,
    /// Problems in the cells themselves.
    pub errors: Vec<Diagnostic>,
    /// The cell that names the entries now emitted (a `field`, `name` or header cell) and the
    /// path it names: a problem with that key (an unknown field) is reported there.
    key: Option<KeyCell>,
}

#[derive(Debug, Clone)]
struct KeyCell {
    sheet: &'static str,
    row: u32,
    col: u32,
    data: Data,
    base: String,
}

impl<'f> Builder<'f> {
    /// An empty builder for the workbook `file`.
    pub fn new(file: &'f str) -> Self {
        Self {
            file,
            out: String::new(),
            pieces: Vec::new(),
            errors: Vec::new(),
            key: None,
        }
    }

    /// Records a problem at a cell (or with the whole sheet).
    pub fn error(
        &mut self,
        sheet: &str,
        cell: Option<(u32, u32, &Data)>,
        message: String,
        help: String,
    ) {
        let mut d = Diagnostic::whole_file(self.file, message).with_help(help);
        d.place = Some(match cell {
            Some((row, col, data)) => {
                let text = shown(data);
                d.width = text.chars().count();
                d.source_line = text;
                format!("sheet `{sheet}`, cell {}", cell_ref(row, col))
            }
            None => format!("sheet `{sheet}`"),
        });
        self.errors.push(d);
    }

    /// Appends `line` (and a newline); `cell` is where it came from.
    fn emit(&mut self, line: &str, sheet: &'static str, cell: Option<(u32, u32, &Data)>) {
        let start = self.out.len();
        self.out.push_str(line);
        if let Some((row, col, data)) = cell {
            self.pieces.push(Piece {
                range: start..self.out.len(),
                sheet,
                cell: cell_ref(row, col),
                text: shown(data),
            });
        }
        self.out.push('\n');
    }

    /// Appends `path = value`: the part of the path that the key cell names maps to that cell,
    /// the rest of the line to the value's cell.
    fn emit_entry(
        &mut self,
        path: &str,
        value: &str,
        sheet: &'static str,
        cell: (u32, u32, &Data),
    ) {
        if let Some(key) = self.key.clone()
            && !key.base.is_empty()
            && (path == key.base || path.starts_with(&format!("{}.", key.base)))
        {
            let start = self.out.len();
            self.pieces.push(Piece {
                range: start..start + key.base.len(),
                sheet: key.sheet,
                cell: cell_ref(key.row, key.col),
                text: shown(&key.data),
            });
            self.out.push_str(&key.base);
            let rest = format!("{} = {value}", &path[key.base.len()..]);
            self.emit(&rest, sheet, Some(cell));
        } else {
            self.emit(&format!("{path} = {value}"), sheet, Some(cell));
        }
    }

    /// `path = value` from a value cell; reports a cell that holds no TOML value.
    fn entry(&mut self, sheet: &'static str, path: &str, row: u32, col: u32, data: &Data) {
        match toml_value(data) {
            Ok(Some(value)) => {
                self.emit_entry(path, &value, sheet, (row, col, data));
            }
            Ok(None) => {}
            Err((message, help)) => self.error(sheet, Some((row, col, data)), message, help),
        }
    }

    /// `path = <toml>` from a `toml` cell, checked to be exactly one TOML value.
    fn raw_entry(&mut self, sheet: &'static str, path: &str, row: u32, col: u32, data: &Data) {
        let Data::String(text) = data else {
            return self.entry(sheet, path, row, col, data);
        };
        let probe = format!("v = {text}\n");
        match DeTable::parse(&probe) {
            Ok(t) if t.get_ref().len() == 1 => {
                self.emit_entry(path, text, sheet, (row, col, data));
            }
            Ok(_) => self.error(
                sheet,
                Some((row, col, data)),
                "the `toml` cell holds more than one value".to_owned(),
                "write one value, such as [\"a\", \"b\"] or { from = 0, price = 1900 }".to_owned(),
            ),
            Err(e) => self.error(
                sheet,
                Some((row, col, data)),
                format!("invalid TOML in the `toml` cell: {}", e.message().trim()),
                "write one value in TOML syntax, such as [\"a\", \"b\"] (see https://toml.io)"
                    .to_owned(),
            ),
        }
    }
}

/// The header row (row 1) of a sheet: each column's position and name.
fn header(
    b: &mut Builder<'_>,
    grid: &Grid,
    allowed: Option<&[&str]>,
) -> Option<Vec<(u32, String)>> {
    let Some((0, cells)) = grid.rows.first() else {
        if !grid.rows.is_empty() {
            b.error(
                grid.sheet,
                None,
                "the sheet has no header in row 1".to_owned(),
                "copy row 1 from a workbook made by `samkost init --xlsx`".to_owned(),
            );
        }
        return None;
    };
    let mut columns: Vec<(u32, String)> = Vec::new();
    let mut ok = true;
    for (col, data) in cells {
        let name = match text_cell(data) {
            Ok(Some(name)) => name,
            Ok(None) => continue,
            Err((message, help)) => {
                b.error(
                    grid.sheet,
                    Some((0, *col, data)),
                    format!("a column header: {message}"),
                    help,
                );
                ok = false;
                continue;
            }
        };
        let known = match allowed {
            Some(allowed) => allowed.contains(&name.as_str()),
            None => valid_path(&name),
        };
        if !known {
            let help = match allowed {
                Some(allowed) => match closest(&name, allowed.iter().copied()) {
                    Some(c) => format!(
                        "did you mean `{c}`? The columns are: {}",
                        allowed.join(", ")
                    ),
                    None => format!("the columns are: {}", allowed.join(", ")),
                },
                None => "name the column by its field, such as `id` or `drivers.users`".to_owned(),
            };
            b.error(
                grid.sheet,
                Some((0, *col, data)),
                format!("unknown column `{name}`"),
                help,
            );
            ok = false;
        } else if columns.iter().any(|(_, c)| *c == name) {
            b.error(
                grid.sheet,
                Some((0, *col, data)),
                format!("the column `{name}` appears twice"),
                "keep one of them".to_owned(),
            );
            ok = false;
        } else {
            columns.push((*col, name));
        }
    }
    ok.then_some(columns)
}

/// Rows of the `scenario`, `inputs` and entry sheets.
pub(super) fn row_sheet(b: &mut Builder<'_>, sheet: Sheet, grid: &Grid) {
    let allowed: Vec<&str> = ROW_COLUMNS
        .iter()
        .copied()
        .filter(|c| sheet.layout != Layout::Root || *c != "name")
        .collect();
    let Some(columns) = header(b, grid, Some(&allowed)) else {
        return;
    };
    let col = |name: &str| columns.iter().find(|(_, c)| c == name).map(|(i, _)| *i);
    let mut current: Option<String> = None;
    let mut started_map = false;
    for (row, cells) in grid.rows.iter().skip(1) {
        let row = *row;
        let cell = |name: &str| col(name).map(|c| (c, grid.get(cells, c)));
        let text = |b: &mut Builder<'_>, name: &str| -> Option<String> {
            let (c, data) = cell(name)?;
            match text_cell(data) {
                Ok(t) => t,
                Err((message, help)) => {
                    b.error(
                        grid.sheet,
                        Some((row, c, data)),
                        format!("`{name}`: {message}"),
                        help,
                    );
                    None
                }
            }
        };
        let name = if sheet.layout == Layout::Root {
            None
        } else {
            text(b, "name")
        };
        let field = text(b, "field");
        if let (Some(field), Some((c, data))) = (&field, cell("field"))
            && !valid_path(field)
        {
            b.error(grid.sheet, Some((row, c, data)), format!("`{field}` is not a field name"), "write the field as in the TOML scenario, such as `critical_mass` or `connections.unit_cost` (letters, digits, `_` and `-`, parts joined by `.`)".to_owned());
            continue;
        }
        let base = match sheet.layout {
            Layout::Root => field.clone().unwrap_or_default(),
            Layout::Map(section) | Layout::Array(section) => {
                let Some(label) = name.clone().or_else(|| current.clone()) else {
                    if let Some((c, data)) = cell("name") {
                        b.error(
                            grid.sheet,
                            Some((row, c, data)),
                            "the first row has no name".to_owned(),
                            "give the entry a name in the `name` column".to_owned(),
                        );
                    }
                    continue;
                };
                let (c, data) = cell("name").unwrap_or((0, &Data::Empty));
                if sheet.layout == Layout::Map(section) {
                    if !started_map {
                        b.emit(&format!("\n[{section}]"), grid.sheet, Some((row, c, data)));
                        started_map = true;
                    }
                    current = Some(label.clone());
                    match &field {
                        Some(f) => format!("{}.{f}", key_segment(&label)),
                        None => key_segment(&label),
                    }
                } else {
                    if name.is_some() && name != current {
                        b.emit(
                            &format!("\n[[{section}]]"),
                            grid.sheet,
                            Some((row, c, data)),
                        );
                        if !label.starts_with(UNNAMED) {
                            b.emit(
                                &format!("name = {}", toml_string(&label)),
                                grid.sheet,
                                Some((row, c, data)),
                            );
                        }
                        current = Some(label);
                    }
                    field.clone().unwrap_or_default()
                }
            }
            Layout::Wide(_) => return,
        };
        let key_col = if field.is_some() || sheet.layout == Layout::Root {
            "field"
        } else {
            "name"
        };
        b.key = cell(key_col).map(|(col, data)| KeyCell {
            sheet: grid.sheet,
            row,
            col,
            data: data.clone(),
            base: base.clone(),
        });
        row_entries(b, grid.sheet, row, &columns, cells, grid, &base);
        b.key = None;
    }
}

/// The entries of one row at `base`: a distribution, a value or a TOML value.
fn row_entries(
    b: &mut Builder<'_>,
    sheet: &'static str,
    row: u32,
    columns: &[(u32, String)],
    cells: &[(u32, Data)],
    grid: &Grid,
    base: &str,
) {
    let filled: Vec<(u32, &str, &Data)> = columns
        .iter()
        .filter(|(_, name)| name != "name" && name != "field")
        .map(|(c, name)| (*c, name.as_str(), grid.get(cells, *c)))
        .filter(|(_, _, d)| {
            !matches!(d, Data::Empty) && !matches!(d, Data::String(s) if s.trim().is_empty())
        })
        .collect();
    if filled.is_empty() {
        return;
    }
    if base.is_empty() {
        let (c, data) = columns
            .iter()
            .find(|(_, name)| name == "field")
            .map_or((filled[0].0, filled[0].2), |(c, _)| {
                (*c, grid.get(cells, *c))
            });
        b.error(
            sheet,
            Some((row, c, data)),
            "this row has a value but no field".to_owned(),
            "name the field in the `field` column, or delete the row".to_owned(),
        );
        return;
    }
    let dist = filled.iter().find(|(_, name, _)| *name == "dist");
    let toml = filled.iter().find(|(_, name, _)| *name == "toml");
    let value = filled.iter().find(|(_, name, _)| *name == "value");
    if let Some(&(c, _, data)) = dist {
        if let Some(&(tc, _, tdata)) = toml {
            b.error(
                sheet,
                Some((row, tc, tdata)),
                "both `dist` and `toml` are filled".to_owned(),
                format!(
                    "keep the distribution in `dist` (cell {}) or the TOML value, not both",
                    cell_ref(row, c)
                ),
            );
            return;
        }
        b.entry(sheet, &format!("{base}.dist"), row, c, data);
        for &(c, name, data) in &filled {
            if is_distribution_entry(name) {
                b.entry(sheet, &format!("{base}.{name}"), row, c, data);
            }
        }
        return;
    }
    for &(c, name, data) in &filled {
        if name != "value" && name != "toml" {
            b.error(
                sheet,
                Some((row, c, data)),
                format!("`{name}` is filled but `dist` is empty"),
                "choose a distribution in `dist`, or put a fixed figure in `value`".to_owned(),
            );
            return;
        }
    }
    match (value, toml) {
        (Some(_), Some(&(c, _, data))) => b.error(
            sheet,
            Some((row, c, data)),
            "both `value` and `toml` are filled".to_owned(),
            "keep one of them".to_owned(),
        ),
        (Some(&(c, _, data)), None) => b.entry(sheet, base, row, c, data),
        (None, Some(&(c, _, data))) => b.raw_entry(sheet, base, row, c, data),
        (None, None) => {}
    }
}

/// Rows of the `members` sheet: one entry per row, one field per column.
pub(super) fn wide_sheet(b: &mut Builder<'_>, grid: &Grid, section: &str) {
    let Some(columns) = header(b, grid, None) else {
        return;
    };
    for (row, cells) in grid.rows.iter().skip(1) {
        let filled: Vec<(u32, &str, &Data)> = columns
            .iter()
            .map(|(c, name)| (*c, name.as_str(), grid.get(cells, *c)))
            .filter(|(_, _, d)| {
                !matches!(d, Data::Empty) && !matches!(d, Data::String(s) if s.trim().is_empty())
            })
            .collect();
        let Some(&(c0, _, d0)) = filled.first() else {
            continue;
        };
        b.emit(
            &format!("\n[[{section}]]"),
            grid.sheet,
            Some((*row, c0, d0)),
        );
        for (c, name, data) in filled {
            // A kommunenummer typed as a number loses its leading zero (0301 → 301).
            let id = match data {
                Data::Float(f) if name == "id" && f.fract() == 0.0 && *f >= 0.0 && *f < 1e4 => {
                    Some(format!("{:04}", *f as u32))
                }
                Data::Int(i) if name == "id" && (0..10_000).contains(i) => Some(format!("{i:04}")),
                _ => None,
            };
            let header = grid.rows[0]
                .1
                .iter()
                .find(|(hc, _)| *hc == c)
                .map_or(Data::Empty, |(_, d)| d.clone());
            b.key = Some(KeyCell {
                sheet: grid.sheet,
                row: 0,
                col: c,
                data: header,
                base: name.to_owned(),
            });
            match id {
                Some(id) => b.emit(
                    &format!("id = {}", toml_string(&id)),
                    grid.sheet,
                    Some((*row, c, data)),
                ),
                None => b.entry(grid.sheet, name, *row, c, data),
            }
            b.key = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths() {
        for ok in [
            "a",
            "critical_mass",
            "connections.unit_cost",
            "shares.1517",
            "shares.\"a b\"",
        ] {
            assert!(valid_path(ok), "{ok}");
        }
        for bad in [
            "",
            ".a",
            "a.",
            "a..b",
            "a = 1",
            "a\nb",
            "\"a",
            "a b",
            "a.\"b\\\"\"",
        ] {
            assert!(!valid_path(bad), "{bad}");
        }
    }
}
