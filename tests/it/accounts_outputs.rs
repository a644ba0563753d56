//! The municipal accounts view in the workbook and the report (docs/MODEL.md §6b): the
//! four-year plan sheet and the report's plan tables hold the numbers of `summary.json`'s
//! `municipal_accounts.okonomiplan` bit for bit, the report's payments tables those of
//! `yearly_payments`, and every figure says which view and prices it is in.

use std::io::Cursor;
use std::process::Command;
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use samkost::report::Lang;
use samkost::report::accounts_labels::AccountsLabels;
use serde_json::Value;

use crate::numbers;

struct Run {
    json: Value,
    xlsx: Vec<u8>,
    html: String,
}

fn run(lang: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args([
                "run",
                "--draws",
                "300",
                "--stability-draws",
                "30",
                "--sobol",
                "0",
            ])
            .args(["--lang", lang, "--out"])
            .arg(dir.path()),
    );
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    Run {
        json: serde_json::from_slice(&read("summary.json")).unwrap(),
        xlsx: read("samkost.xlsx"),
        html: String::from_utf8(read("report.html")).unwrap(),
    }
}

fn cached(lang: Lang) -> &'static Run {
    static EN: OnceLock<Run> = OnceLock::new();
    static NB: OnceLock<Run> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| run("en")),
        Lang::Nb => NB.get_or_init(|| run("nb")),
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => panic!("not text: {other:?}"),
    }
}

/// The plan sheet: one row per key, member and line, whole kroner equal to the JSON's, with
/// the view and prices in the first column, and headers in the run's language.
fn check_plan_sheet(run: &Run, lang: Lang) {
    let l = AccountsLabels::of(lang);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(run.xlsx.clone())).unwrap();
    let sheet = book
        .worksheet_range(l.plan_sheet)
        .unwrap_or_else(|e| panic!("no sheet {}: {e}", l.plan_sheet));
    let a = &run.json["municipal_accounts"];
    let plan = &a["okonomiplan"];
    let years = numbers(&plan["years"]);
    for (col, h) in l.plan_headers.iter().enumerate() {
        assert_eq!(text(sheet.get((0, col)).unwrap()), *h);
    }
    for (i, y) in years.iter().enumerate() {
        let header = text(sheet.get((0, l.plan_headers.len() + i)).unwrap());
        assert_eq!(header, format!("{y}"));
    }
    let unit = l.accounts_unit(
        a["prices"].as_str().unwrap(),
        a["price_year"].as_i64().unwrap() as i32,
    );
    assert!(unit.contains(l.accounts_view));
    let members = run.json["members"].as_array().unwrap();
    let mut row = 1;
    for key in plan["keys"].as_array().unwrap() {
        for (table, member) in key["members"].as_array().unwrap().iter().zip(members) {
            for line in table["rows"].as_array().unwrap() {
                let at = |c: usize| sheet.get((row, c)).unwrap_or(&Data::Empty);
                assert_eq!(text(at(0)), unit);
                assert_eq!(text(at(1)), key["name"].as_str().unwrap());
                assert_eq!(text(at(2)), table["id"].as_str().unwrap());
                assert_eq!(text(at(3)), member["name"].as_str().unwrap());
                assert_eq!(text(at(4)), l.budget(line["budget"].as_str().unwrap()));
                assert_eq!(text(at(5)), l.line(line["line"].as_str().unwrap()));
                for (i, v) in numbers(&line["values"]).iter().enumerate() {
                    match at(6 + i) {
                        Data::Float(x) => assert_eq!(x.to_bits(), v.to_bits(), "row {row}"),
                        other => panic!("row {row}: {other:?}"),
                    }
                }
                row += 1;
            }
        }
    }
    assert_eq!(row, sheet.height(), "no rows beyond the plan");
}

#[test]
fn the_plan_sheet_holds_the_summarys_plan_bit_for_bit() {
    check_plan_sheet(cached(Lang::En), Lang::En);
    check_plan_sheet(cached(Lang::Nb), Lang::Nb);
}

/// The `data-value`s of a section's cells, in document order.
fn section_values(html: &str, id: &str) -> Vec<f64> {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    html[start..end]
        .split("data-value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn recommended(json: &Value) -> usize {
    let name = &json["recommendation"]["key"];
    json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .position(|k| &k["name"] == name)
        .unwrap()
}

/// The report's plan tables are the recommended key's plan from the JSON, row by row; its
/// payments tables give each member's standalone cost, payments to the cooperation (running
/// plus start-up), own costs and difference under that key, then the difference under each
/// other key, all from `yearly_payments`.
#[test]
fn the_reports_budget_sections_show_the_summarys_numbers() {
    for lang in [Lang::En, Lang::Nb] {
        let run = cached(lang);
        let json = &run.json;
        let k = recommended(json);
        let plan = &json["municipal_accounts"]["okonomiplan"]["keys"][k];
        let expected: Vec<f64> = plan["members"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["rows"].as_array().unwrap().iter())
            .flat_map(|r| numbers(&r["values"]))
            .collect();
        let shown = section_values(&run.html, "budget");
        assert_eq!(shown.len(), expected.len());
        for (a, b) in shown.iter().zip(&expected) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        let keys = json["keys"].as_array().unwrap();
        let mut expected = Vec::new();
        for (i, m) in keys[k]["members"].as_array().unwrap().iter().enumerate() {
            let p = &m["yearly_payments"];
            let run_part = numbers(&p["to_cooperation_running"]);
            let start_part = numbers(&p["to_cooperation_startup"]);
            expected.extend(numbers(&p["standalone_cost"]));
            expected.extend(run_part.iter().zip(&start_part).map(|(a, b)| a + b));
            expected.extend(numbers(&p["own_cost"]));
            expected.extend(numbers(&p["difference"]));
            for (_, other) in keys.iter().enumerate().filter(|(o, _)| *o != k) {
                expected.extend(numbers(
                    &other["members"][i]["yearly_payments"]["difference"],
                ));
            }
        }
        let shown = section_values(&run.html, "payments");
        assert_eq!(shown.len(), expected.len());
        for (a, b) in shown.iter().zip(&expected) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        // Each section says which view and which prices its figures are in.
        let l = AccountsLabels::of(lang);
        let year = json["scenario"]["first_year"].as_i64().unwrap() as i32;
        for (id, phrase) in [
            ("payments", l.cash_unit(year)),
            ("budget", l.accounts_unit("real", year)),
        ] {
            let start = run.html.find(&format!("<section id=\"{id}\"")).unwrap();
            let end = start + run.html[start..].find("</section>").unwrap();
            assert!(run.html[start..end].contains(&phrase), "{id}: {phrase}");
        }
    }
}
