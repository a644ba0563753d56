//! The Excel workbook (`samkost.xlsx`), read back with an independent reader (calamine): every
//! number equals `summary.json` bit for bit, labels follow the language, the verdicts are the
//! terminal's, and the same run gives the same bytes.

use std::io::Cursor;
use std::process::Command;
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use samkost::report::{Lang, XlsxLabels, workbook_leaving};
use serde_json::Value;

/// One `run --out` of the embedded scenario.
struct Run {
    /// `summary.json`.
    json: Value,
    /// `samkost.xlsx`.
    xlsx: Vec<u8>,
    /// The terminal table.
    stdout: String,
}

const ARGS: [&str; 6] = ["run", "--draws", "400", "--stability-draws", "50", "--lang"];

fn run(lang: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(ARGS)
            .arg(lang)
            .args(extra)
            .arg("--out")
            .arg(dir.path()),
    );
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    let json = String::from_utf8(read("summary.json")).unwrap();
    Run {
        json: serde_json::from_str(&json).unwrap(),
        xlsx: read("samkost.xlsx"),
        stdout: String::from_utf8(out.stdout).unwrap(),
    }
}

fn cached(lang: Lang) -> &'static Run {
    static EN: OnceLock<Run> = OnceLock::new();
    static NB: OnceLock<Run> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| run("en", &[])),
        Lang::Nb => NB.get_or_init(|| run("nb", &[])),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Null => None,
        // serde_json parses with `float_roundtrip`: exactly the double that was written.
        Value::Number(n) => n.as_f64(),
        other => panic!("not a number: {other}"),
    }
}

fn sheets(xlsx: &[u8]) -> Vec<(String, Range<Data>)> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx.to_vec())).unwrap();
    let sheets = book.worksheets();
    for (name, range) in &sheets {
        assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    }
    sheets
}

fn cell(sheet: &Range<Data>, row: usize, col: usize) -> &Data {
    sheet.get((row, col)).unwrap_or(&Data::Empty)
}

/// The cell holds exactly the summary's number, or is empty where the summary has `null`.
fn assert_number(sheet: &Range<Data>, row: usize, col: usize, expected: &Value) {
    let found = cell(sheet, row, col);
    match (number(expected), found) {
        (Some(want), Data::Float(got)) => assert!(
            got.to_bits() == want.to_bits(),
            "row {row}, column {col}: {got:e} in the workbook, {want:e} in summary.json"
        ),
        (None, Data::Empty) => {}
        (want, got) => panic!("row {row}, column {col}: {got:?} in the workbook, {want:?}"),
    }
}

fn assert_text(sheet: &Range<Data>, row: usize, col: usize, expected: &str) {
    assert_eq!(
        cell(sheet, row, col),
        &Data::String(expected.to_owned()),
        "row {row}, column {col}"
    );
}

fn assert_flag(sheet: &Range<Data>, row: usize, col: usize, expected: &Value) {
    let want = expected.as_bool().unwrap();
    assert_eq!(
        cell(sheet, row, col),
        &Data::Bool(want),
        "row {row}, column {col}"
    );
}

fn assert_headers(sheet: &Range<Data>, headers: &[&str]) {
    let row: Vec<&Data> = (0..sheet.width()).map(|c| cell(sheet, 0, c)).collect();
    let want: Vec<Data> = headers
        .iter()
        .map(|h| Data::String((*h).to_owned()))
        .collect();
    assert_eq!(row, want.iter().collect::<Vec<_>>());
}

fn check_keys(sheet: &Range<Data>, json: &Value) {
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(sheet.height(), 1 + keys.len());
    let name_of = |id: &Value| -> String {
        let members = json["members"].as_array().unwrap();
        let m = members.iter().find(|m| m["id"] == *id).unwrap();
        m["name"].as_str().unwrap().to_owned()
    };
    for (k, key) in keys.iter().enumerate() {
        let row = 1 + k;
        assert_text(sheet, row, 0, key["name"].as_str().unwrap());
        assert_number(sheet, row, 1, &key["p_all_win"]);
        assert_number(sheet, row, 2, &key["p_all_win_se"]);
        assert_number(sheet, row, 3, &key["p_core_stable"]);
        let breakaway = &key["top_breakaway"];
        if breakaway.is_null() {
            assert_eq!(cell(sheet, row, 4), &Data::Empty);
            assert_number(sheet, row, 6, &Value::Null);
        } else {
            let ids = breakaway["members"].as_array().unwrap();
            let names: Vec<String> = ids.iter().map(name_of).collect();
            let ids: Vec<&str> = ids.iter().map(|id| id.as_str().unwrap()).collect();
            assert_text(sheet, row, 4, &names.join(", "));
            assert_text(sheet, row, 5, &ids.join(" "));
            assert_number(sheet, row, 6, &breakaway["p"]);
        }
        assert_number(sheet, row, 7, &key["burden_ratio"]);
        assert_flag(sheet, row, 8, &key["burden_flag"]);
        assert!(matches!(cell(sheet, row, 9), Data::String(s) if !s.is_empty()));
        match key["note"].as_str() {
            Some(note) => assert_text(sheet, row, 10, note),
            None => assert_eq!(cell(sheet, row, 10), &Data::Empty),
        }
    }
}

fn check_members(sheet: &Range<Data>, json: &Value, lang: Lang) {
    let members = json["members"].as_array().unwrap();
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(sheet.height(), 1 + keys.len() * members.len());
    let mut row = 1;
    for key in keys {
        for (m, member) in key["members"].as_array().unwrap().iter().zip(members) {
            assert_text(sheet, row, 0, key["name"].as_str().unwrap());
            assert_text(sheet, row, 1, m["id"].as_str().unwrap());
            assert_text(sheet, row, 2, member["name"].as_str().unwrap());
            assert_number(sheet, row, 3, &member["population"]);
            let fields = [
                "share",
                "share_se",
                "cost_per_inhabitant",
                "p_win",
                "p_win_se",
            ];
            for (col, field) in (4..).zip(fields) {
                let value = m.get(field).unwrap_or(&Value::Null);
                assert_number(sheet, row, col, value);
            }
            assert_number(sheet, row, 9, &m["p_loss"]);
            let npv = &m["npv_net_benefit"];
            assert_number(sheet, row, 10, &npv["mean"]);
            assert_number(sheet, row, 11, &npv["mean_se"]);
            assert_flag(sheet, row, 12, &npv["mean_reliable"]);
            for (col, field) in (13..).zip(["p10", "p50", "p90", "cvar10"]) {
                assert_number(sheet, row, col, &npv[field]);
            }
            for (col, field) in (17..).zip(["p10", "p50", "p90"]) {
                let year = &m["payback_year"][field];
                if year.is_null() {
                    assert_text(sheet, row, col, XlsxLabels::of(lang).not_within_horizon);
                } else {
                    assert_number(sheet, row, col, year);
                }
            }
            row += 1;
        }
    }
}

fn check_assumptions(sheet: &Range<Data>, json: &Value, lang: Lang) {
    let assumptions = json["assumptions"].as_array().unwrap();
    assert_eq!(sheet.height(), 1 + assumptions.len());
    let mut spelled_out = 0;
    for (i, a) in assumptions.iter().enumerate() {
        let row = 1 + i;
        let name = a["name"].as_str().unwrap();
        // The input in words, as the report names it: a named input by its name with `_`
        // read as a space, an inline one by its component or line and the field in words.
        let words = match a.get("origin") {
            None => name.replace('_', " "),
            Some(o) => {
                let field = o["field"].as_str().unwrap();
                let owner = o["owner"].as_str().unwrap();
                let in_words = match (field, lang) {
                    ("critical_mass", Lang::En) => "critical mass (FTE)",
                    ("critical_mass", Lang::Nb) => "kritisk masse (årsverk)",
                    ("salary", Lang::En) => "cost per FTE",
                    ("salary", Lang::Nb) => "kostnad per årsverk",
                    _ => "",
                };
                let label = match cell(sheet, row, 0) {
                    Data::String(s) => s.clone(),
                    other => panic!("row {row}: {other:?}"),
                };
                assert_ne!(label, name, "row {row} is in words");
                if !in_words.is_empty() && o["part"] == "component" {
                    assert_eq!(label, format!("{owner}: {in_words}"), "row {row}");
                    spelled_out += 1;
                }
                label
            }
        };
        assert_text(sheet, row, 0, &words);
        assert_text(sheet, row, 1, name);
        assert_text(sheet, row, 2, a["distribution"].as_str().unwrap());
        for (col, field) in (3..).zip(["mean", "p10", "p50", "p90", "tail_share_of_mean"]) {
            assert_number(sheet, row, col, a.get(field).unwrap_or(&Value::Null));
        }
        match a.get("source").and_then(Value::as_str) {
            Some(source) => assert_text(sheet, row, 8, source),
            None => assert_eq!(cell(sheet, row, 8), &Data::Empty),
        }
    }
    assert!(spelled_out >= 2, "the staffing inputs are named in words");
}

fn check_yearly(sheet: &Range<Data>, json: &Value, lang: Lang) {
    let y = &json["yearly"];
    let years = y["years"].as_array().unwrap();
    let members = json["members"].as_array().unwrap();
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(
        sheet.height(),
        1 + years.len() * (1 + keys.len() * members.len())
    );
    for (t, year) in years.iter().enumerate() {
        let row = 1 + t;
        assert_number(sheet, row, 0, year);
        assert_text(sheet, row, 3, XlsxLabels::of(lang).region);
        let flows = [
            "standalone_cost",
            "cooperation_cost",
            "net_benefit_cash",
            "net_benefit_budget",
        ];
        for (col, field) in (4..).zip(flows) {
            assert_number(sheet, row, col, &y[field][t]);
        }
        for (col, p) in (9..).zip(["p10", "p50", "p90"]) {
            assert_number(sheet, row, col, &y["cumulative_npv"][p][t]);
        }
        for (col, field) in (12..).zip(["pooled_running", "pooled_startup", "own_cost"]) {
            assert_number(sheet, row, col, &y[field][t]);
        }
    }
    let mut row = 1 + years.len();
    for key in keys {
        for m in key["members"].as_array().unwrap() {
            for (t, year) in years.iter().enumerate() {
                assert_number(sheet, row, 0, year);
                assert_text(sheet, row, 1, key["name"].as_str().unwrap());
                assert_text(sheet, row, 2, m["id"].as_str().unwrap());
                let pay = &m["yearly_payments"];
                assert_number(sheet, row, 4, &pay["standalone_cost"][t]);
                assert_number(sheet, row, 5, &pay["total_paid"][t]);
                let paid = [
                    "to_cooperation_running",
                    "to_cooperation_startup",
                    "own_cost",
                ];
                for (col, field) in (12..).zip(paid) {
                    assert_number(sheet, row, col, &pay[field][t]);
                }
                // A price list's bill and settlement; empty (null in the summary) otherwise.
                for (col, field) in (15..).zip(["billed", "settlement"]) {
                    assert_number(sheet, row, col, &pay[field][t]);
                }
                assert_number(sheet, row, 6, &m["yearly_net_benefit"]["cash"][t]);
                assert_number(sheet, row, 7, &m["yearly_net_benefit"]["budget"][t]);
                assert_number(sheet, row, 8, &m["p_ahead_by_year"][t]);
                for (col, p) in (9..).zip(["p10", "p50", "p90"]) {
                    let band = &m["cumulative_npv"];
                    let value = if band.is_null() { band } else { &band[p][t] };
                    assert_number(sheet, row, col, value);
                }
                row += 1;
            }
        }
    }
}

/// Rows of the summary sheet by their label in column A.
fn summary_row(sheet: &Range<Data>, label: &str) -> usize {
    (0..sheet.height())
        .find(|&r| cell(sheet, r, 0) == &Data::String(label.to_owned()))
        .unwrap_or_else(|| panic!("no row `{label}` in the summary sheet"))
}

fn check_summary(sheet: &Range<Data>, json: &Value, lang: Lang) {
    let l = XlsxLabels::of(lang);
    let region = &json["region"];
    let npv = &region["npv_net_benefit"];
    let values = [
        &npv["mean"],
        &npv["mean_se"],
        &npv["mean_reliable"],
        &npv["p10"],
        &npv["p50"],
        &npv["p90"],
        &npv["cvar10"],
        &region["p_win"],
        &region["startup_cost_npv"],
        &region["npv_per_invested_krone"],
    ];
    for (label, value) in l.region_rows.iter().zip(values) {
        let row = summary_row(sheet, label);
        if value.is_boolean() {
            assert_flag(sheet, row, 1, value);
        } else {
            assert_number(sheet, row, 1, value);
        }
    }
    let s = &json["scenario"];
    assert_text(
        sheet,
        summary_row(sheet, l.scenario_rows[0]),
        1,
        s["name"].as_str().unwrap(),
    );
    assert_number(
        sheet,
        summary_row(sheet, l.scenario_rows[4]),
        1,
        &s["draws"],
    );
    assert_number(
        sheet,
        summary_row(sheet, l.scenario_rows[7]),
        1,
        &s["discount_rate"],
    );
    let p = &json["provenance"];
    let hash = summary_row(sheet, l.provenance_rows[1]);
    assert_text(sheet, hash, 1, p["scenario_hash"].as_str().unwrap());
    // The seed is a number while a double holds it exactly, else text.
    let seed = p["seed"].as_u64().unwrap();
    if seed <= 1 << 53 {
        assert_number(sheet, hash + 1, 1, &p["seed"]);
    } else {
        assert_text(sheet, hash + 1, 1, &seed.to_string());
    }
}

/// The sheet on leaving in a later year: one row per key and leave year, every number that of
/// `keys[].leaving` (docs/MODEL.md §10a), the members' columns in scenario order.
/// The views sheet: a row per key, member (then the region) and view, the mean NPV, its
/// standard error, P10, P50, P90, the probability it is positive, and the key's all-win
/// probability and core stability in that view (empty where `null`), bit for bit as in
/// `npv_views`.
fn check_views(sheet: &Range<Data>, json: &Value) {
    let mut row = 1;
    for key in json["npv_views"]["keys"].as_array().unwrap() {
        let mut who: Vec<&Value> = key["members"].as_array().unwrap().iter().collect();
        who.push(&key["region"]);
        for w in who {
            for view in ["cash", "budget", "socioeconomic"] {
                assert_text(sheet, row, 0, key["name"].as_str().unwrap());
                assert_number(sheet, row, 3, &w[view]["mean"]);
                assert_number(sheet, row, 4, &w[view]["mean_se"]);
                for (col, field) in [(5, "p10"), (6, "p50"), (7, "p90"), (8, "p_win")] {
                    assert_number(sheet, row, col, &w[view][field]);
                }
                assert_number(sheet, row, 9, &key["p_all_win_by_view"][view]);
                assert_number(sheet, row, 10, &key["p_core_stable_by_view"][view]);
                row += 1;
            }
        }
    }
    assert_eq!(sheet.height(), row);
}

fn check_leaving(sheet: &Range<Data>, json: &Value, lang: Lang) {
    let members = json["members"].as_array().unwrap();
    let mut headers: Vec<String> = workbook_leaving::headers(lang)
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    headers.extend(
        members
            .iter()
            .map(|m| workbook_leaving::member_header(lang, m["name"].as_str().unwrap())),
    );
    assert_headers(
        sheet,
        &headers.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let mut row = 1;
    for key in json["keys"].as_array().unwrap() {
        let years = key["leaving"].as_array().unwrap();
        assert!(!years.is_empty(), "stability over time is computed");
        for y in years {
            assert_text(sheet, row, 0, key["name"].as_str().unwrap());
            assert_number(sheet, row, 1, &y["year"]);
            assert_number(sheet, row, 2, &y["p_any"]);
            assert_number(sheet, row, 3, &y["p_any_se"]);
            assert_number(sheet, row, 4, &y["p_wind_up"]);
            let top = &y["top_group"];
            if top.is_null() {
                assert_eq!(cell(sheet, row, 5), &Data::Empty);
                assert_number(sheet, row, 7, &Value::Null);
            } else {
                let ids: Vec<&str> = top["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| id.as_str().unwrap())
                    .collect();
                assert_text(sheet, row, 6, &ids.join(" "));
                assert_number(sheet, row, 7, &top["p"]);
                assert_number(sheet, row, 8, &top["mean_gain"]);
            }
            for (i, m) in y["p_alone"].as_array().unwrap().iter().enumerate() {
                assert_eq!(m["id"], members[i]["id"]);
                assert_number(sheet, row, 9 + i, &m["p"]);
            }
            row += 1;
        }
    }
    assert_eq!(sheet.height(), row);
}

/// Every sheet of a run's workbook against its summary.json.
fn check_workbook(run: &Run, lang: Lang) {
    let l = XlsxLabels::of(lang);
    let sheets = sheets(&run.xlsx);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    // The five sheets of the cash view, the four-year plan (tests/it/accounts_outputs.rs),
    // leaving in a later year, then the three views of the NPV (tests/it/views.rs).
    assert_eq!(names[..5], l.sheets);
    assert_eq!(names.len(), 8);
    assert_eq!(names[6], workbook_leaving::sheet_name(lang));
    assert_eq!(
        names[7],
        if lang == Lang::En {
            "Views"
        } else {
            "Visninger"
        }
    );
    check_views(&sheets[7].1, &run.json);
    check_leaving(&sheets[6].1, &run.json, lang);
    let [summary, keys, members, yearly, assumptions] = [0, 1, 2, 3, 4].map(|i| &sheets[i].1);
    assert_headers(summary, &l.summary_headers);
    assert_headers(keys, &l.keys_headers);
    assert_headers(members, &l.members_headers);
    assert_headers(yearly, &l.yearly_headers);
    assert_headers(assumptions, &l.assumptions_headers);
    check_summary(summary, &run.json, lang);
    check_keys(keys, &run.json);
    check_members(members, &run.json, lang);
    check_assumptions(assumptions, &run.json, lang);
    check_yearly(yearly, &run.json, lang);
}

#[test]
fn workbook_numbers_equal_the_summary_bit_for_bit() {
    check_workbook(cached(Lang::En), Lang::En);
}

#[test]
fn norwegian_workbook_has_norwegian_labels_and_the_same_numbers() {
    check_workbook(cached(Lang::Nb), Lang::Nb);
    let (en, nb) = (XlsxLabels::of(Lang::En), XlsxLabels::of(Lang::Nb));
    for (e, n) in en.sheets.iter().zip(nb.sheets) {
        assert_ne!(*e, n, "sheet names are translated");
    }
    assert!(nb.members_headers.contains(&"Kommunenummer"));
    assert!(nb.members_headers.contains(&"Innbyggere"));
    assert!(nb.scenario_rows.contains(&"Reell kalkulasjonsrente"));
    assert!(
        nb.members_headers
            .iter()
            .any(|h| h.contains("Tilbakebetalingsår"))
    );
    assert!(nb.assumptions_headers.contains(&"Kilde"));
    // Both runs have the same numbers: the language changes labels only.
    let numbers = |run: &Run| run.json.to_string();
    assert_eq!(numbers(cached(Lang::En)), numbers(cached(Lang::Nb)));
}

#[test]
fn workbook_verdicts_are_the_terminal_verdicts() {
    for lang in [Lang::En, Lang::Nb] {
        let run = cached(lang);
        let sheets = sheets(&run.xlsx);
        let summary = &sheets[0].1;
        let n_keys = run.json["keys"].as_array().unwrap().len();
        let heading = summary_row(summary, XlsxLabels::of(lang).verdicts);
        let in_workbook: Vec<String> = (0..n_keys)
            .map(|k| match cell(summary, heading + 1 + k, 1) {
                Data::String(s) => s.clone(),
                other => panic!("verdict {k}: {other:?}"),
            })
            .collect();
        // The terminal wraps long verdicts onto lines indented by two spaces; the verdicts are
        // the block that starts with the first key's name (the lines on leaving later follow).
        let first_key = format!("{}: ", run.json["keys"][0]["name"].as_str().unwrap());
        let block = run
            .stdout
            .split("\n\n")
            .find(|b| b.starts_with(&first_key))
            .unwrap()
            .trim_end();
        let mut in_terminal: Vec<String> = Vec::new();
        for line in block.lines() {
            match (line.strip_prefix("  "), in_terminal.last_mut()) {
                (Some(rest), Some(last)) => {
                    last.push(' ');
                    last.push_str(rest);
                }
                _ => in_terminal.push(line.to_owned()),
            }
        }
        assert_eq!(in_workbook, in_terminal);
        for (k, key) in run.json["keys"].as_array().unwrap().iter().enumerate() {
            assert_text(summary, heading + 1 + k, 0, key["name"].as_str().unwrap());
        }
    }
}

/// The yearly sheet of a scenario with a price list and a key per component: every number as
/// in summary.json, the price list's bills and settlements in their columns.
#[test]
fn yearly_sheet_has_the_price_lists_bills_and_settlements() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/hamar-region-by-year.toml"
    );
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(["run", scenario, "--draws", "200", "--sobol", "0", "--out"])
            .arg(dir.path()),
    );
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    let json: Value = serde_json::from_slice(&read("summary.json")).unwrap();
    let sheets = sheets(&read("samkost.xlsx"));
    let yearly = &sheets[3].1;
    check_yearly(yearly, &json, Lang::En);
    let l = XlsxLabels::of(Lang::En);
    assert_headers(yearly, &l.yearly_headers);
    let billed_rows = (1..yearly.height())
        .filter(|&row| matches!(cell(yearly, row, 15), Data::Float(_)))
        .count();
    let keys = json["keys"].as_array().unwrap();
    let years = json["yearly"]["years"].as_array().unwrap().len();
    assert!(keys.iter().any(|k| k["name"] == "per service"));
    assert_eq!(
        billed_rows,
        years * json["members"].as_array().unwrap().len(),
        "one price-list key: a bill on each of its member rows"
    );
}

#[test]
fn same_run_gives_identical_workbook_bytes() {
    let first = cached(Lang::En);
    // Results do not depend on the thread count, so neither do the bytes.
    let again = run("en", &["--threads", "1"]);
    assert_eq!(again.json, first.json);
    assert!(
        again.xlsx == first.xlsx,
        "two runs of the same scenario gave different workbooks"
    );
    assert!(cached(Lang::Nb).xlsx != first.xlsx);
}

/// The premise of the bit-for-bit comparison: a double written to a cell reads back as the
/// same double, including ones whose shortest decimal form needs 17 digits or an exponent.
#[test]
fn workbook_cells_keep_every_bit_of_a_double() {
    let values = [
        0.1 + 0.2,
        1.0 / 3.0,
        -2.0 / 3.0 * 1e9,
        5e-324,
        f64::MIN_POSITIVE,
        f64::MAX,
        -1.234_567_890_123_456_7e-7,
        123_456_789.123_456_78,
        9_007_199_254_740_993.0,
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, v) in (0..).zip(values) {
        sheet.write_number(row, 0, v).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let sheets = sheets(&bytes);
    for (row, v) in values.iter().enumerate() {
        assert_eq!(cell(&sheets[0].1, row, 0), &Data::Float(*v), "{v:e}");
    }
}
