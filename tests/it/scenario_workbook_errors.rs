//! Scenario workbooks with mistakes (issue 16): every invalid cell type and value gives an
//! error naming its sheet and cell; unknown sheets, files that are not workbooks and damaged
//! workbooks are errors, never panics.

use calamine::Data;
use samkost::scenario::StarterLang;
use samkost::scenario::starter_scenario;
use samkost::scenario::workbook::{WorkbookOptions, scenario_workbook};

use crate::scenario_workbook::{Book, MEMBERS, Put, read_book, samkost, starter_toml};

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
                        Some("Shared platform bought by the project"),
                        "per.population",
                    ),
                    b.column("lines", "value"),
                )
            },
            Put::Value(s("platform_shar * replacement_per_inhabitant")),
            "platform_shar",
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

fn column_letters(col: usize) -> String {
    let mut out = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        out.push(char::from(b'A' + ((c - 1) % 26) as u8));
        c = (c - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Damaged workbooks (cut short, bytes changed) are an error or a scenario, never a panic.
#[test]
fn damaged_workbooks_never_panic() {
    let xlsx = scenario_workbook(&starter_toml(), WorkbookOptions::default()).unwrap();
    let mut cuts: Vec<usize> = vec![0, 1, 4, 30, 100, 1000, xlsx.len() / 2, xlsx.len() - 1];
    cuts.retain(|&c| c < xlsx.len());
    for cut in cuts {
        assert!(read_book(&xlsx[..cut]).is_err(), "cut at {cut}");
    }
    // A fixed sequence of single-byte changes (a 64-bit LCG, Knuth's MMIX constants).
    let mut state: u64 = 16;
    for _ in 0..200 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut damaged = xlsx.clone();
        let at = (state >> 33) as usize % damaged.len();
        damaged[at] ^= (state >> 8) as u8 | 1;
        let _ = read_book(&damaged);
    }
}
