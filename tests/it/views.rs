//! The budget and socio-economic views (docs/MODEL.md §6d) against closed forms: a service
//! gain's value, realised share and delay discounted by hand; the tax-financing cost; the VAT
//! and fee-financed terms against the municipal accounts' yearly differences discounted (a
//! second method); an uncertain realisation share against its distribution's mean and
//! standard error; identities on the default scenario; mistakes in `[[gains]]` at their line.

use std::process::Command;

use serde_json::Value;

use crate::{numbers, parse};

/// Three members, 100,000 NOK a year saved by each from 2026 to 2029 (400,000 alone, a third
/// of 900,000 together, equal key), `vat` and `gains` as given.
fn scenario(rest: &str) -> String {
    format!(
        r#"name = "Views"
first_year = 2026
horizon_years = 4
operation_start = 2026
discount_rate = 0.04
members = ["1517", "1514", "1515"]

[drivers]
users = {{ per_inhabitant = 0.09 }}

[[lines]]
name = "Own purchases"
occurs = "alone"
basis = "per_member"
fixed = 400000

[[lines]]
name = "Operated together"
occurs = "together"
fixed = 900000

[[keys]]
name = "equal"
rule = "equal"

{rest}
"#
    )
}

fn run(text: &str, draws: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    let out = crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .arg("run")
            .arg(&path)
            .args(["--format", "json", "--sobol", "0", "--stability-draws", "0"])
            .args(["--draws", draws]),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `Σ_{t=from}^{3} 1.04^−(t+1)`: end-of-year discount factors at 4 % (docs/MODEL.md §1).
fn annuity(from: i32) -> f64 {
    (from..4).map(|t| 1.04f64.powi(-(t + 1))).sum()
}

fn mean(view: &Value) -> f64 {
    view["mean"].as_f64().unwrap()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// 1,000 hours a year at 500 NOK in each member from 2026: a value of 500,000 a year, all of
/// it a resource gain; half of it taken out of the budget from one year later. By hand, with
/// `a(k)` the discount factors of years k…3: cash NPV `100,000·a(0)`; budget NPV `cash +
/// 0.5·500,000·a(1)`; socio-economic NPV `cash + 500,000·a(0) + 0.2·(cash + 0.5·500,000·a(1))`.
#[test]
fn a_service_gain_is_valued_realised_after_its_delay_and_taxed_at_twenty_percent() {
    let json = run(
        &scenario(
            "[vat]\nnon_compensable = 0\nfee_financed = 0\n\n[[gains]]\nname = \"Case work\"\nhours = 1000\nhourly_cost = 500\nrealisation = 0.5\ndelay = 1",
        ),
        "20",
    );
    let v = &json["npv_views"];
    assert_eq!(v["tax_financing_cost"], 0.2);
    let key = &v["keys"][0];
    let cash = 100_000.0 * annuity(0);
    let realised = 0.5 * 500_000.0 * annuity(1);
    for m in key["members"].as_array().unwrap() {
        assert!(near(mean(&m["cash"]), cash), "{m}");
        assert!(near(mean(&m["budget"]), cash + realised), "{m}");
        let socio = cash + 500_000.0 * annuity(0) + 0.2 * (cash + realised);
        assert!(near(mean(&m["socioeconomic"]), socio), "{m}");
    }
    assert!(near(
        mean(&key["region"]["budget"]),
        3.0 * (cash + realised)
    ));
}

/// With no start-up line nothing is capitalised, so the municipal accounts' yearly
/// difference (alone − cooperation, with VAT not compensated and fee-financed costs, §6c)
/// discounted is the budget NPV without service gains: two computations of the same figure.
/// By hand for a member with 10 % non-compensable and 20 % fee-financed costs:
/// `0.8·cash + 0.25·0.1·(400,000 − 900,000/3)·a(0)`.
#[test]
fn the_budget_npv_is_the_accounts_difference_discounted() {
    let json = run(
        &scenario("[vat]\nnon_compensable = 0.1\nfee_financed = 0.2"),
        "20",
    );
    let key = &json["npv_views"]["keys"][0];
    let accounts = &json["municipal_accounts"]["keys"][0]["members"];
    for (i, m) in key["members"].as_array().unwrap().iter().enumerate() {
        let difference = numbers(&accounts[i]["difference"]);
        let discounted: f64 = (0..4)
            .map(|t| difference[t] * 1.04f64.powi(-(t as i32 + 1)))
            .sum();
        assert!(near(mean(&m["budget"]), discounted), "{m} vs {discounted}");
        let cash = 100_000.0 * annuity(0);
        let by_hand = 0.8 * cash + 0.25 * 0.1 * 100_000.0 * annuity(0);
        assert!(near(mean(&m["budget"]), by_hand), "{m} vs {by_hand}");
    }
}

/// An uncertain realisation share Tri(0.2, 0.5, 0.9) (the documented default): the budget NPV
/// is `cash + r·V` with `V = 500,000·a(1)`, so its mean is `cash + E[r]·V` with `E[r] =
/// (0.2 + 0.5 + 0.9)/3` and its standard error `sd(r)·V/√R` with `sd(r)² = (a² + b² + c² −
/// ab − ac − bc)/18`; with 4,000 draws the mean must lie within four standard errors, and the
/// reported standard error within 10 % of the formula's.
#[test]
fn an_uncertain_realisation_share_is_averaged_over_the_draws() {
    let json = run(
        &scenario(
            "[vat]\nnon_compensable = 0\nfee_financed = 0\n\n[[gains]]\nname = \"Case work\"\nhours = 1000\nhourly_cost = 500",
        ),
        "4000",
    );
    let m = &json["npv_views"]["keys"][0]["members"][0];
    let (a, c, b) = (0.2f64, 0.5f64, 0.9f64);
    let sd = ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt();
    let value = 500_000.0 * annuity(1);
    let cash = 100_000.0 * annuity(0);
    let se = sd * value / 4000f64.sqrt();
    let expected = cash + (a + b + c) / 3.0 * value;
    let got = mean(&m["budget"]);
    assert!(
        (got - expected).abs() < 4.0 * se,
        "{got} vs {expected} ± {se}"
    );
    let reported = m["budget"]["mean_se"].as_f64().unwrap();
    assert!((reported / se - 1.0).abs() < 0.1, "{reported} vs {se}");
}

/// Without service gains, VAT or fee-financed costs, the budget view is the cash view draw by
/// draw (same means, same probabilities, every key) and the socio-economic NPV is 1.2 times
/// the cash NPV: the default scenario through the whole run.
#[test]
fn without_gains_vat_or_fees_the_views_are_the_cash_view_and_its_tax_cost() {
    let text = format!(
        "{}\n[vat]\nnon_compensable = 0\nfee_financed = 0\n",
        samkost::scenario::DEFAULT_SCENARIO
    );
    let json = run(&text, "300");
    for key in json["npv_views"]["keys"].as_array().unwrap() {
        let p = &key["p_all_win_by_view"];
        assert_eq!(p["budget"], p["cash"], "{}", key["name"]);
        for m in key["members"].as_array().unwrap() {
            let cash = mean(&m["cash"]);
            assert!(near(mean(&m["budget"]), cash), "{m}");
            assert!(near(mean(&m["socioeconomic"]), 1.2 * cash), "{m}");
            assert_eq!(m["budget"]["p_win"], m["cash"]["p_win"]);
        }
    }
}

/// Mistakes in `[[gains]]`: each reported at its line, with the field and the fix.
#[test]
fn mistakes_in_gains_are_reported_at_their_line() {
    let text = scenario("");
    let lines = text.lines().count();
    let cases = [
        ("gains_realisation_above_one", "realisation = 1.5"),
        ("gains_unknown_driver", "driver = \"staff\""),
        ("gains_end_before_start", "start = 2028\nend = 2027"),
        ("gains_unknown_key", "hour = 100"),
    ];
    for (name, field) in cases {
        let diagnostics =
            parse(&format!("{text}[[gains]]\nname = \"Time\"\n{field}\n")).expect_err(name);
        let first = &diagnostics.0[0];
        assert!(first.line > lines, "{name}: {diagnostics}");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}

/// The case summary's budget table and each member page's budget sentence carry, under the
/// key to consider first, the økonomiplan's net operating cost of the first plan year and its
/// sum over the plan years, in the cooperation and alone, as `summary.json` has them.
#[test]
fn the_case_pages_budget_figures_are_the_plans() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    crate::succeed(Command::new(env!("CARGO_BIN_EXE_samkost")).args([
        "run",
        "--draws",
        "200",
        "--stability-draws",
        "20",
        "--sobol",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]));
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let key = json["recommendation"]["key"].as_str().unwrap();
    let plan = &json["municipal_accounts"]["okonomiplan"];
    let k = plan["keys"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p["name"] == key)
        .unwrap();
    let case = std::fs::read_to_string(out.join("saksframlegg.html")).unwrap();
    for table in plan["keys"][k]["members"].as_array().unwrap() {
        let row = |line: &str| {
            let r = table["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["line"] == line)
                .unwrap();
            numbers(&r["values"])
        };
        let (coop, alone) = (row("net_operating_cost"), row("net_operating_cost_alone"));
        let expected = [
            coop[0],
            alone[0],
            coop.iter().sum(),
            alone.iter().sum::<f64>(),
        ];
        let id = table["id"].as_str().unwrap();
        let start = case
            .find(&format!("<tr data-budget-member=\"{id}\">"))
            .unwrap_or_else(|| panic!("no budget row for {id}"));
        let row_html = &case[start..start + case[start..].find("</tr>").unwrap()];
        let values: Vec<f64> = row_html
            .split("data-value=\"")
            .skip(1)
            .map(|p| p[..p.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(values, expected, "{id}");
        let name = samkost::report::html::member_page_name(id);
        let page = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(
            page.contains(&format!("data-budget-first=\"{}\"", expected[0])),
            "member page {id}"
        );
    }
}
