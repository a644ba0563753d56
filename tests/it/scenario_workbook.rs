//! Scenario workbooks (issue 16): a workbook made by `init --xlsx` and filled by a script runs
//! to the same summary as the equivalent TOML; TOML scenarios convert to workbooks and back to
//! the same validated scenario; every invalid cell gives an error naming its sheet and cell.
//!
//! Workbooks are edited here as a finance officer's script would: every sheet is read with
//! calamine, cells are changed, and the sheets are written again with rust_xlsxwriter.

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use samkost::scenario::workbook::{
    WorkbookOptions, parse_workbook, scenario_workbook, workbook_to_toml,
};
use samkost::scenario::{NoFiles, Overrides, Scenario, StarterLang, starter_scenario};

fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

/// A cell an edit writes: calamine's values, and a date (which calamine reads back as one).
#[derive(Debug, Clone)]
enum Put {
    Value(Data),
    Date,
}

/// A workbook as sheets of cells, to edit and write again.
struct Book {
    sheets: Vec<(String, Vec<Vec<Data>>)>,
}

impl Book {
    fn read(bytes: &[u8]) -> Self {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let sheets = book
            .worksheets()
            .into_iter()
            .map(|(name, range)| {
                assert_eq!(range.start(), Some((0, 0)), "{name}");
                (name, range.rows().map(<[Data]>::to_vec).collect())
            })
            .collect();
        Self { sheets }
    }

    fn sheet(&mut self, name: &str) -> &mut Vec<Vec<Data>> {
        &mut self.sheets.iter_mut().find(|(n, _)| n == name).unwrap().1
    }

    /// The 0-based column of a header.
    fn column(&mut self, sheet: &str, header: &str) -> usize {
        self.sheet(sheet)[0]
            .iter()
            .position(|d| *d == Data::String(header.to_owned()))
            .unwrap_or_else(|| panic!("no column `{header}` in `{sheet}`"))
    }

    /// The 0-based row whose `name` (when given) and `field` cells hold these texts.
    fn row(&mut self, sheet: &str, name: Option<&str>, field: &str) -> usize {
        let name_col = name.map(|_| self.column(sheet, "name"));
        let field_col = self.column(sheet, "field");
        let text = |d: &Data| match d {
            Data::String(s) => s.clone(),
            _ => String::new(),
        };
        self.sheet(sheet)
            .iter()
            .position(|r| {
                name_col.is_none_or(|c| text(&r[c]) == name.unwrap_or_default())
                    && text(&r[field_col]) == field
            })
            .unwrap_or_else(|| panic!("no row {name:?}/{field} in `{sheet}`"))
    }

    fn set(&mut self, sheet: &str, row: usize, col: usize, value: Data) {
        let rows = self.sheet(sheet);
        while rows.len() <= row {
            rows.push(Vec::new());
        }
        let cells = &mut rows[row];
        while cells.len() <= col {
            cells.push(Data::Empty);
        }
        cells[col] = value;
    }

    fn write(&self, dates: &[(&str, usize, usize)]) -> Vec<u8> {
        let mut book = Workbook::new();
        let date_format = Format::new().set_num_format("yyyy-mm-dd");
        for (name, rows) in &self.sheets {
            let ws = book.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, cells) in rows.iter().enumerate() {
                for (c, data) in cells.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match data {
                        Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
                        Data::Float(v) => ws.write_number(r, c, *v).map(|_| ()),
                        Data::Int(v) => ws.write_number(r, c, *v as f64).map(|_| ()),
                        Data::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                        Data::Empty => Ok(()),
                        other => panic!("cannot write {other:?}"),
                    }
                    .unwrap();
                }
            }
            for (sheet, r, c) in dates {
                if sheet == name {
                    let date = ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
                    ws.write_datetime_with_format(*r as u32, *c as u16, &date, &date_format)
                        .unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }
}

const MEMBERS: [&str; 3] = ["1505", "1554", "1573"];

fn starter_toml() -> String {
    let ids: Vec<String> = MEMBERS.iter().map(|s| (*s).to_owned()).collect();
    starter_scenario(&ids, StarterLang::En).unwrap()
}

fn read_book(bytes: &[u8]) -> Result<Scenario, String> {
    parse_workbook("book.xlsx", bytes, &NoFiles, &Overrides::default()).map_err(|d| d.to_string())
}

#[test]
fn toml_scenarios_convert_to_workbooks_and_back_without_loss() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut texts: Vec<(String, String)> =
        ["ssikt.toml", "hamar-region.toml", "ssikt-bottom-up.toml"]
            .iter()
            .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
            .collect();
    // Agreed shares with kommunenummer as keys, and a starter with its long titles.
    texts.push(("BASE".to_owned(), crate::BASE.to_owned()));
    texts.push(("starter".to_owned(), starter_toml()));
    for (name, text) in texts {
        let scenario = crate::parse(&text).unwrap();
        let xlsx = scenario_workbook(&text, WorkbookOptions::default()).unwrap();
        let from_book = read_book(&xlsx).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(from_book, scenario, "{name}: TOML → workbook");
        assert_eq!(from_book.hash(), scenario.hash());
        let back = workbook_to_toml("book.xlsx", &xlsx).unwrap().toml;
        let from_back = crate::parse(&back).unwrap_or_else(|d| panic!("{name}: {d}\n{back}"));
        assert_eq!(from_back, scenario, "{name}: workbook → TOML");
    }
}

/// The finance officer's figures, typed into the workbook and written into the TOML.
const USERS: [f64; 3] = [2400.0, 610.0, 205.0];

#[test]
fn a_filled_starter_workbook_gives_the_same_summary_as_the_equivalent_toml() {
    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("book.xlsx");
    crate::succeed(
        samkost()
            .args(["init", "--members", &MEMBERS.join(","), "--xlsx"])
            .arg(&book_path),
    );
    let mut book = Book::read(&std::fs::read(&book_path).unwrap());
    // Members' own ICT users; the first kommunenummer typed as a number, as Excel stores it.
    let users = book.column("members", "drivers.users");
    let id = book.column("members", "id");
    for (i, u) in USERS.iter().enumerate() {
        book.set("members", i + 1, users, Data::Float(*u));
    }
    book.set("members", 1, id, Data::Float(1505.0));
    // A narrower licence saving and a 40/60 key instead of 30/70.
    let saving = book.row("inputs", Some("licence_saving"), "");
    let max = book.column("inputs", "max");
    book.set("inputs", saving, max, Data::Float(0.25));
    let part = book.row("keys", Some("30/70"), "fixed_part");
    let value = book.column("keys", "value");
    book.set("keys", part, value, Data::Float(0.4));
    let filled = dir.path().join("filled.xlsx");
    std::fs::write(&filled, book.write(&[])).unwrap();

    // The same changes in TOML, written by hand.
    let mut toml = starter_toml();
    let members: String = MEMBERS
        .iter()
        .zip(USERS)
        .map(|(id, u)| format!("[[members]]\nid = \"{id}\"\ndrivers = {{ users = {u} }}\n\n"))
        .collect();
    let start = toml.find("members = [").unwrap();
    let end = start + toml[start..].find("]\n").unwrap() + 2;
    toml.replace_range(start..end, "");
    toml = toml.replacen("[drivers]", &format!("{members}[drivers]"), 1);
    toml = toml.replacen(
        "mode = 0.15, max = 0.30, source = \"state",
        "mode = 0.15, max = 0.25, source = \"state",
        1,
    );
    toml = toml.replacen(
        "name = \"30/70\"\nrule = \"hybrid\"\nfixed_part = 0.3",
        "name = \"30/70\"\nrule = \"hybrid\"\nfixed_part = 0.4",
        1,
    );
    let toml_path = dir.path().join("same.toml");
    std::fs::write(&toml_path, &toml).unwrap();
    assert_eq!(
        read_book(&std::fs::read(&filled).unwrap()).unwrap(),
        crate::parse(&toml).unwrap()
    );

    let summary = |path: &std::path::Path| {
        let out = crate::succeed(samkost().arg("run").arg(path).args([
            "--draws",
            "400",
            "--stability-draws",
            "50",
            "--format",
            "json",
        ]));
        String::from_utf8(out.stdout).unwrap()
    };
    let (from_book, from_toml) = (summary(&filled), summary(&toml_path));
    assert_eq!(from_book, from_toml);
    let json: serde_json::Value = serde_json::from_str(&from_book).unwrap();
    assert_eq!(json["keys"].as_array().unwrap().len(), 8);
}

/// Each edit makes the starter workbook invalid; the error must name this sheet and cell.
#[test]
fn every_invalid_cell_is_reported_at_its_sheet_and_cell() {
    let ids: Vec<String> = MEMBERS.iter().map(|s| (*s).to_owned()).collect();
    let text = starter_scenario(&ids, StarterLang::En).unwrap();
    let options = WorkbookOptions {
        lang: StarterLang::En,
        expand_members: true,
    };
    let original = Book::read(&scenario_workbook(&text, options).unwrap());
    let s = |t: &str| Data::String(t.to_owned());
    type Locate = fn(&mut Book) -> (usize, usize);
    let cases: Vec<(&str, &str, Locate, Put, &str)> = vec![
        (
            "members",
            "text in a number",
            |b| (1, b.column("members", "drivers.users")),
            Put::Value(s("tre")),
            "must be a number",
        ),
        (
            "members",
            "a date in a number",
            |b| (2, b.column("members", "drivers.users")),
            Put::Date,
            "date",
        ),
        (
            "members",
            "a negative population",
            |b| (3, b.column("members", "population")),
            Put::Value(Data::Float(-5.0)),
            "population",
        ),
        (
            "members",
            "an unknown field",
            |b| (0, b.column("members", "population")),
            Put::Value(s("populaton")),
            "did you mean `population`",
        ),
        (
            "inputs",
            "an unknown distribution",
            |b| {
                (
                    b.row("inputs", Some("licence_saving"), ""),
                    b.column("inputs", "dist"),
                )
            },
            Put::Value(s("triangel")),
            "triangel",
        ),
        // A distribution that does not hold together is reported at its name.
        (
            "inputs",
            "min above max",
            |b| {
                (
                    b.row("inputs", Some("licence_saving"), ""),
                    b.column("inputs", "min"),
                )
            },
            Put::Value(Data::Float(0.5)),
            "min 0.5, mode 0.15, max 0.3 [A]",
        ),
        (
            "inputs",
            "a boolean in a number",
            |b| {
                (
                    b.row("inputs", Some("licence_list_price"), ""),
                    b.column("inputs", "mode"),
                )
            },
            Put::Value(Data::Bool(true)),
            "must be a number",
        ),
        (
            "inputs",
            "a spreadsheet error",
            |b| {
                (
                    b.row("inputs", Some("scope_growth"), ""),
                    b.column("inputs", "max"),
                )
            },
            Put::Value(s("#DIV/0!")),
            "must be a number",
        ),
        (
            "inputs",
            "a figure the distribution does not take",
            |b| {
                (
                    b.row("inputs", Some("wage_growth"), ""),
                    b.column("inputs", "mode"),
                )
            },
            Put::Value(Data::Float(1.0)),
            "unknown key `mode`",
        ),
        (
            "components",
            "a figure without a distribution",
            |b| {
                (
                    b.row("components", Some("IT staff"), "reference"),
                    b.column("components", "min"),
                )
            },
            Put::Value(Data::Float(1.0)),
            "`dist` is empty",
        ),
        (
            "inputs",
            "a value and a TOML value",
            |b| {
                (
                    b.row("inputs", Some("wage_growth"), ""),
                    b.column("inputs", "toml"),
                )
            },
            Put::Value(s("1")),
            "both `dist` and `toml`",
        ),
        (
            "components",
            "an unknown kind",
            |b| {
                (
                    b.row("components", Some("IT staff"), "kind"),
                    b.column("components", "value"),
                )
            },
            Put::Value(s("staff")),
            "staff",
        ),
        (
            "components",
            "an unknown field",
            |b| {
                (
                    b.row("components", Some("IT staff"), "reference"),
                    b.column("components", "field"),
                )
            },
            Put::Value(s("referense")),
            "referense",
        ),
        (
            "components",
            "a field that is not a name",
            |b| {
                (
                    b.row("components", Some("IT staff"), "reference"),
                    b.column("components", "field"),
                )
            },
            Put::Value(s("critical mass")),
            "not a field name",
        ),
        (
            "components",
            "TOML that does not parse",
            |b| {
                (
                    b.row("components", Some("Licences"), "tiers"),
                    b.column("components", "toml"),
                )
            },
            Put::Value(s("[{ from = 0, price = 1900 }")),
            "invalid TOML",
        ),
        (
            "components",
            "a number as a name",
            |b| {
                (
                    b.row("components", Some("IT staff"), "kind"),
                    b.column("components", "name"),
                )
            },
            Put::Value(Data::Float(7.0)),
            "expected text",
        ),
        (
            "lines",
            "a year outside the horizon",
            |b| {
                (
                    b.row("lines", Some("Pre-project"), "year"),
                    b.column("lines", "value"),
                )
            },
            Put::Value(Data::Float(2050.0)),
            "2050",
        ),
        (
            "lines",
            "an unknown parameter in an expression",
            |b| {
                (
                    b.row(
                        "lines",
                        Some("Main project (migration, harmonisation, servers)"),
                        "per.users",
                    ),
                    b.column("lines", "value"),
                )
            },
            Put::Value(s("startup_per_usr * overrun")),
            "startup_per_usr",
        ),
        (
            "keys",
            "a fixed part above 1",
            |b| {
                (
                    b.row("keys", Some("30/70"), "fixed_part"),
                    b.column("keys", "value"),
                )
            },
            Put::Value(Data::Float(1.5)),
            "fixed_part",
        ),
        (
            "keys",
            "an unknown rule",
            |b| {
                (
                    b.row("keys", Some("equal"), "rule"),
                    b.column("keys", "value"),
                )
            },
            Put::Value(s("equally")),
            "equally",
        ),
        (
            "keys",
            "an unknown column",
            |b| (0, b.column("keys", "unit")),
            Put::Value(s("units")),
            "unknown column `units`",
        ),
        (
            "scenario",
            "a discount rate as text",
            |b| {
                (
                    b.row("scenario", None, "discount_rate"),
                    b.column("scenario", "value"),
                )
            },
            Put::Value(s("4 %")),
            "discount rate",
        ),
        (
            "scenario",
            "a value without a field",
            |b| {
                (
                    b.row("scenario", None, "seed"),
                    b.column("scenario", "field"),
                )
            },
            Put::Value(Data::Empty),
            "no field",
        ),
        (
            "correlations",
            "a correlation above 1",
            |b| {
                (
                    b.row("correlations", Some("#1"), "spearman"),
                    b.column("correlations", "value"),
                )
            },
            Put::Value(Data::Float(1.5)),
            "1.5",
        ),
    ];
    let mut failures = Vec::new();
    for (sheet, what, locate, put, says) in cases {
        let mut book = Book {
            sheets: original.sheets.clone(),
        };
        let (row, col) = locate(&mut book);
        let bytes = match put {
            Put::Value(data) => {
                book.set(sheet, row, col, data);
                book.write(&[])
            }
            Put::Date => {
                book.set(sheet, row, col, Data::Empty);
                book.write(&[(sheet, row, col)])
            }
        };
        // `[A]` at the end of the expected text: the error is reported in that column.
        let (says, letters) = match says.strip_suffix(" [A]") {
            Some(says) => (says, "A".to_owned()),
            None => (says, column_letters(col)),
        };
        let cell = format!("sheet `{sheet}`, cell {letters}{}", row + 1);
        match read_book(&bytes) {
            Ok(_) => failures.push(format!("{what}: accepted")),
            Err(e) if e.contains(&cell) && e.contains(says) => {}
            Err(e) => failures.push(format!("{what}: expected `{cell}` and `{says}` in\n{e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn unknown_sheets_and_files_that_are_not_workbooks_are_named() {
    let text = starter_toml();
    let mut book = Book::read(&scenario_workbook(&text, WorkbookOptions::default()).unwrap());
    book.sheets
        .push(("Ark1".to_owned(), vec![vec![Data::String("x".to_owned())]]));
    let e = read_book(&book.write(&[])).unwrap_err();
    assert!(
        e.contains("unknown sheet `Ark1`") && e.contains("sheet `Ark1`"),
        "{e}"
    );
    let e = read_book(text.as_bytes()).unwrap_err();
    assert!(e.contains("not a readable .xlsx workbook"), "{e}");
    // run and validate read workbooks by their extension; bad cells exit with code 1.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    std::fs::write(&path, book.write(&[])).unwrap();
    let out = samkost().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.xlsx, sheet `Ark1`"));
}

#[test]
fn convert_writes_a_workbook_and_a_toml_that_run_like_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hamar-region.toml");
    let xlsx = dir.path().join("hamar.xlsx");
    let back = dir.path().join("hamar.toml");
    crate::succeed(
        samkost()
            .arg("convert")
            .arg(&scenario)
            .arg(&xlsx)
            .args(["--lang", "nb"]),
    );
    crate::succeed(samkost().arg("convert").arg(&xlsx).arg(&back));
    let original = crate::parse(&std::fs::read_to_string(&scenario).unwrap()).unwrap();
    let converted = crate::parse(&std::fs::read_to_string(&back).unwrap()).unwrap();
    assert_eq!(original, converted);
    // An invalid input is refused and nothing is written.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        crate::BASE.replace("fixed_part = 0.3", "fixed_part = 3"),
    )
    .unwrap();
    let out = samkost()
        .arg("convert")
        .arg(&bad)
        .arg(dir.path().join("bad.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("bad.xlsx").exists());
}

fn column_letters(col: usize) -> String {
    let mut out = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        out.push(char::from(b'A' + ((c - 1) % 26) as u8));
        c = (c - 1) / 26;
    }
    out.iter().rev().collect()
}
