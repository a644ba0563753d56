//! Reading a workbook: its cells become the TOML tree the scenario reader takes, and that
//! reader's problems are moved back to the sheet and cell they came from.

use std::io::Cursor;
use std::ops::Range;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::cells::{Builder, Grid, row_sheet, wide_sheet};
use super::{Layout, MAX_ROWS, SHEETS};
use crate::scenario::diagnostic::{Diagnostic, closest};
use crate::scenario::{Diagnostics, FileSource, Overrides, Scenario};

/// A workbook's scenario as TOML text, with the cell each entry came from.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The workbook's file name, for messages.
    file: String,
    /// The scenario in TOML: one `path = value` line per cell.
    pub toml: String,
    /// Each entry's byte range in `toml` and its cell, in order.
    pieces: Vec<Piece>,
}

/// One entry of the TOML text and the cell it came from.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    /// Byte range in the TOML text.
    pub range: Range<usize>,
    /// The sheet.
    pub sheet: &'static str,
    /// The cell (`F7`).
    pub cell: String,
    /// The cell's text, shown under the message.
    pub text: String,
}

/// Reads a scenario workbook and validates it as the TOML reader does; every problem names its
/// sheet and cell.
pub fn parse_workbook(
    file: &str,
    bytes: &[u8],
    files: &dyn FileSource,
    overrides: &Overrides,
) -> Result<Scenario, Diagnostics> {
    let generated = workbook_to_toml(file, bytes)?;
    match crate::scenario::parse_with(file, &generated.toml, files, overrides) {
        Ok(mut scenario) => {
            scenario.warnings = generated.relocate(scenario.warnings);
            Ok(scenario)
        }
        Err(Diagnostics(errors)) => Err(Diagnostics(generated.relocate(errors))),
    }
}

/// Reads a workbook's cells into TOML text with the cell of every entry; errors in the cells
/// themselves (dates, spreadsheet errors, unknown sheets or columns) name the sheet and cell.
pub fn workbook_to_toml(file: &str, bytes: &[u8]) -> Result<Generated, Diagnostics> {
    let mut b = Builder::new(file);
    let mut book: Xlsx<_> = match open_workbook_from_rs(Cursor::new(bytes)) {
        Ok(book) => book,
        Err(e) => {
            return Err(Diagnostics(vec![
                Diagnostic::whole_file(file, format!("not a readable .xlsx workbook ({e})"))
                    .with_help("save the file as an Excel workbook (.xlsx), or start from one made by `samkost init --xlsx`"),
            ]));
        }
    };
    let mut grids: Vec<Grid> = Vec::new();
    for name in book.sheet_names() {
        let Some(sheet) = SHEETS.iter().find(|s| s.name == name) else {
            let names: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
            let help = match closest(&name, names.iter().copied()) {
                Some(c) => format!("did you mean `{c}`? The sheets are: {}", names.join(", ")),
                None => format!(
                    "the sheets are: {}; remove or rename this one",
                    names.join(", ")
                ),
            };
            b.error(&name, None, format!("unknown sheet `{name}`"), help);
            continue;
        };
        let range = match book.worksheet_range(&name) {
            Ok(range) => range,
            Err(e) => {
                b.error(
                    sheet.name,
                    None,
                    format!("the sheet cannot be read ({e})"),
                    "save the workbook again in Excel".to_owned(),
                );
                continue;
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        if range.end().is_some_and(|(r, _)| r >= MAX_ROWS) {
            b.error(
                sheet.name,
                None,
                format!("the sheet has more than {MAX_ROWS} rows"),
                "delete the rows below the scenario's entries".to_owned(),
            );
            continue;
        }
        let mut rows: std::collections::BTreeMap<u32, Vec<(u32, Data)>> = Default::default();
        for (r, c, data) in range.used_cells() {
            rows.entry(r0 + r as u32)
                .or_default()
                .push((c0 + c as u32, data.clone()));
        }
        grids.push(Grid {
            sheet: sheet.name,
            rows: rows.into_iter().collect(),
        });
    }
    b.out
        .push_str(&format!("# The scenario of the workbook {file}\n"));
    for sheet in SHEETS {
        if let Some(grid) = grids.iter().find(|g| g.sheet == sheet.name) {
            match sheet.layout {
                Layout::Wide(section) => wide_sheet(&mut b, grid, section),
                _ => row_sheet(&mut b, sheet, grid),
            }
        }
    }
    if b.errors.is_empty() {
        Ok(Generated {
            file: file.to_owned(),
            toml: b.out,
            pieces: b.pieces,
        })
    } else {
        Err(Diagnostics(b.errors))
    }
}

impl Generated {
    /// Moves problems found in the generated TOML to the cells they came from.
    pub fn relocate(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .map(|mut d| {
                if d.file != self.file || d.place.is_some() {
                    return d;
                }
                let offset = self.offset(d.line, d.column);
                let piece = self
                    .pieces
                    .iter()
                    .find(|p| p.range.start <= offset && offset <= p.range.end)
                    .or_else(|| self.pieces.iter().find(|p| p.range.start >= offset));
                match piece {
                    Some(p) if offset > 0 => {
                        d.place = Some(format!("sheet `{}`, cell {}", p.sheet, p.cell));
                        d.width = p.text.chars().count();
                        d.source_line = p.text.clone();
                    }
                    _ => {
                        d.place = Some("sheet `scenario`".to_owned());
                        d.width = 0;
                        d.source_line.clear();
                    }
                }
                d
            })
            .collect()
    }

    /// Byte offset of a 1-based line and character column in the TOML text.
    fn offset(&self, line: usize, column: usize) -> usize {
        let start: usize = self
            .toml
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &self.toml[start.min(self.toml.len())..];
        start
            + rest
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i)
    }
}
