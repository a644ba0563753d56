//! Scenario workbooks (issue 16): a workbook made by `init --xlsx` and filled by a script runs
//! to the same summary as the equivalent TOML; TOML scenarios convert to workbooks and back to
//! the same validated scenario (errors: `scenario_workbook_errors.rs`).
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

pub fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

/// A cell an edit writes: calamine's values, and a date (which calamine reads back as one).
#[derive(Debug, Clone)]
pub enum Put {
    Value(Data),
    Date,
}

/// A workbook as sheets of cells, to edit and write again.
pub struct Book {
    pub sheets: Vec<(String, Vec<Vec<Data>>)>,
}

impl Book {
    pub fn read(bytes: &[u8]) -> Self {
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

    pub fn sheet(&mut self, name: &str) -> &mut Vec<Vec<Data>> {
        &mut self.sheets.iter_mut().find(|(n, _)| n == name).unwrap().1
    }

    /// The 0-based column of a header.
    pub fn column(&mut self, sheet: &str, header: &str) -> usize {
        self.sheet(sheet)[0]
            .iter()
            .position(|d| *d == Data::String(header.to_owned()))
            .unwrap_or_else(|| panic!("no column `{header}` in `{sheet}`"))
    }

    /// The 0-based row whose `name` (when given) and `field` cells hold these texts.
    pub fn row(&mut self, sheet: &str, name: Option<&str>, field: &str) -> usize {
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

    pub fn set(&mut self, sheet: &str, row: usize, col: usize, value: Data) {
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

    pub fn write(&self, dates: &[(&str, usize, usize)]) -> Vec<u8> {
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

pub const MEMBERS: [&str; 3] = ["1505", "1554", "1573"];

pub fn starter_toml() -> String {
    let ids: Vec<String> = MEMBERS.iter().map(|s| (*s).to_owned()).collect();
    starter_scenario(&ids, StarterLang::En).unwrap()
}

pub fn read_book(bytes: &[u8]) -> Result<Scenario, String> {
    parse_workbook("book.xlsx", bytes, &NoFiles, &Overrides::default()).map_err(|d| d.to_string())
}

#[test]
fn toml_scenarios_convert_to_workbooks_and_back_without_loss() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut texts: Vec<(String, String)> = [
        "ssikt.toml",
        "hamar-region.toml",
        "ssikt-bottom-up.toml",
        "hamar-region-by-year.toml",
        "hamar-region-leave.toml",
        "hamar-region-join.toml",
        "hamar-region-existing.toml",
    ]
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
    // Smøla's own payroll tax zone, chosen from the drop-down list.
    let zone = book.column("members", "payroll_zone");
    book.set("members", 3, zone, Data::String("II".to_owned()));
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
        .map(|(id, u)| {
            let zone = if *id == "1573" {
                "payroll_zone = \"II\"\n"
            } else {
                ""
            };
            format!("[[members]]\nid = \"{id}\"\n{zone}drivers = {{ users = {u} }}\n\n")
        })
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

#[test]
fn a_sweep_over_a_workbook_equals_the_sweep_over_its_toml() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("base.toml");
    std::fs::write(&toml, crate::BASE).unwrap();
    let xlsx = dir.path().join("base.xlsx");
    std::fs::write(
        &xlsx,
        scenario_workbook(crate::BASE, WorkbookOptions::default()).unwrap(),
    )
    .unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(
        &grid,
        "draws = 100\nseed = 3\n[[axes]]\nkey = \"30/70\"\nfixed_part = [0.2, 0.4]\n",
    )
    .unwrap();
    let sweep = |scenario: &std::path::Path, out: &str| {
        crate::succeed(
            samkost()
                .arg("sweep")
                .arg(scenario)
                .arg("--grid")
                .arg(&grid)
                .arg("--out")
                .arg(dir.path().join(out)),
        );
        std::fs::read(dir.path().join(out).join("sweep.csv")).unwrap()
    };
    assert_eq!(sweep(&xlsx, "from-xlsx"), sweep(&toml, "from-toml"));
}

/// The drop-down lists and notes of a workbook made by `init --xlsx --lang nb`, read from the
/// file's XML with Python's zipfile (an independent reader); skipped where no python3 is
/// installed.
#[test]
fn a_starter_workbook_has_drop_down_lists_and_notes_in_its_language() {
    let probe = Command::new("python3").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 not found: the workbook's XML is not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("bok.xlsx");
    crate::succeed(
        samkost()
            .args([
                "init",
                "--members",
                &MEMBERS.join(","),
                "--lang",
                "nb",
                "--xlsx",
            ])
            .arg(&book),
    );
    let script = "import json, re, sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        lists, notes = [], []\n\
        for name in z.namelist():\n\
        \x20   text = z.read(name).decode('utf-8')\n\
        \x20   if name.startswith('xl/worksheets/sheet'):\n\
        \x20       lists += re.findall(r'<formula1>\"([^<]*)\"</formula1>', text)\n\
        \x20   if name.startswith('xl/comments'):\n\
        \x20       notes += re.findall(r'<t[^>]*>([^<]*)</t>', text)\n\
        json.dump({'lists': lists, 'notes': notes}, sys.stdout, ensure_ascii=False)\n";
    let out = crate::succeed(Command::new("python3").args(["-c", script]).arg(&book));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lists: Vec<&str> = found["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    for expected in [
        "fixed,uniform,triangular,pert,normal,lognormal,discrete,overrun",
        "infrastructure,licence,purchasing,staffing",
        "running,startup",
        "host,joint_body,iks,as,outsourcing",
        "I,Ia,II,III,IV,IVa,V",
    ] {
        assert!(lists.contains(&expected), "no list {expected} in {lists:?}");
    }
    assert!(
        lists
            .iter()
            .any(|l| l.starts_with("equal,proportional,hybrid,fixed,price_list,shapley"))
    );
    let notes = found["notes"].to_string();
    for phrase in [
        "Fordelingen til et usikkert felt",
        "Én rad per medlemskommune",
        "Medlemmets eget tall for users",
    ] {
        assert!(notes.contains(phrase), "no note `{phrase}`");
    }
}
