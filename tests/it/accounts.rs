//! The municipal accounts view (docs/MODEL.md §6b): a serial loan through a whole run gives
//! the hand-computed interest and instalments, an uncertain capitalised share near the
//! threshold is averaged draw by draw (a closed form), every key's payments add up over the
//! members to the cooperation's books, the økonomiplan equals the JSON's budgets in whole
//! kroner, and mistakes in `[accounts]` are reported at their line.

use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{BASE, close, numbers, parse, run_json};

/// `summary.json` of the embedded default scenario.
fn default_json() -> &'static Value {
    static RUN: OnceLock<Value> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = crate::succeed(Command::new(env!("CARGO_BIN_EXE_samkost")).args([
            "run",
            "--draws",
            "300",
            "--stability-draws",
            "20",
            "--format",
            "json",
            "--sobol",
            "0",
        ]));
        serde_json::from_slice(&out.stdout).unwrap()
    })
}

/// BASE with its project replaced by one pooled start-up line of 10,000,000 NOK in 2026,
/// wholly capitalised, and `[accounts]` as given.
fn ten_million(accounts: &str) -> String {
    let text = BASE.replacen("per = { users = 6000 }", "fixed = 10_000_000", 1);
    assert!(text.contains("fixed = 10_000_000"), "test setup");
    format!("{text}\n[accounts]\n{accounts}\n")
}

/// A serial loan of 10 MNOK at 4 % over 10 years taken in 2026 (the hand formula of the unit
/// test `ten_million_at_four_percent_over_ten_years`: instalments 10,000,000 / 10 and interest
/// 4 % of the debt left, 400,000, 360,000, 320,000, 280,000 in 2027–2030), through the reader,
/// the run and the JSON; the members' payments carry it by the start-up key.
#[test]
fn a_ten_million_loan_at_four_percent_gives_the_hand_computed_capital_costs() {
    let json = run_json(
        &ten_million(
            "startup_capitalised = 1\nloan_rate = 0.04\nloan_term = 10\nlife = 10\nprice_growth = 0",
        ),
        &[],
    );
    let a = &json["municipal_accounts"];
    assert_eq!(a["borrower"], "cooperation");
    assert_eq!(a["prices"], "real");
    let c = &a["cooperation"];
    assert_eq!(numbers(&c["investments"])[0], 10_000_000.0);
    assert_eq!(numbers(&c["borrowing"])[0], 10_000_000.0);
    let interest = numbers(&c["interest"]);
    let instalments = numbers(&c["instalments"]);
    for (t, expected) in [0.0, 400_000.0, 360_000.0, 320_000.0, 280_000.0]
        .into_iter()
        .enumerate()
    {
        assert!(
            (interest[t] - expected).abs() < 1e-6,
            "year {t}: {interest:?}"
        );
        let inst = if t == 0 { 0.0 } else { 1_000_000.0 };
        assert!((instalments[t] - inst).abs() < 1e-6, "year {t}");
    }
    // Under the equal key each of the three members pays a third of the capital costs.
    let equal = &a["keys"][0];
    assert_eq!(equal["name"], "equal");
    for m in equal["members"].as_array().unwrap() {
        let paid = numbers(&m["cooperation"]["payments_to_cooperation"]);
        let pooled = numbers(&c["net_operating_cost"]);
        assert!(close(paid[1], pooled[1] / 3.0), "{paid:?}");
    }
}

/// With a capitalised share `s` uniform on [0, 1] and a project of P = 10,000,000 NOK, the
/// investment is `s·P` when it reaches the threshold T = 5,000,000 and 0 otherwise, so its
/// mean is `P (1 − (T/P)²) / 2 = 3,750,000` (∫ from T/P to 1 of s ds); the product of the
/// means would give 0.5 · P = 5,000,000. The standard deviation of the investment is
/// `P · √(∫_{0.5}^1 s² ds − 0.375²) ≈ 0.389 P`, so with 2,000 draws the mean's standard error
/// is about 87,000 NOK; the tolerance is four of them.
#[test]
fn an_uncertain_capitalised_share_near_the_threshold_is_averaged_draw_by_draw() {
    let json = run_json(
        &ten_million(
            "startup_capitalised = { dist = \"uniform\", min = 0, max = 1 }\ncapitalisation_threshold = 5_000_000\nprice_growth = 0",
        ),
        &["--draws", "2000", "--stability-draws", "0"],
    );
    let invested = numbers(&json["municipal_accounts"]["cooperation"]["investments"])[0];
    let se = 0.389 * 10_000_000.0 / 2000f64.sqrt();
    assert!(
        (invested - 3_750_000.0).abs() < 4.0 * se,
        "mean investment {invested}"
    );
}

/// For the default scenario (a host municipality that borrows and recovers its capital costs
/// through the price), under every key the members' payments to the cooperation add up to the
/// cooperation's net operating cost in every year.
#[test]
fn every_keys_payments_add_up_to_the_cooperations_books() {
    let a = &default_json()["municipal_accounts"];
    assert_eq!(a["borrower"], "cooperation");
    let pooled = numbers(&a["cooperation"]["net_operating_cost"]);
    assert!(
        numbers(&a["cooperation"]["interest"])
            .iter()
            .any(|v| *v > 0.0)
    );
    for key in a["keys"].as_array().unwrap() {
        let members = key["members"].as_array().unwrap();
        for (t, total) in pooled.iter().enumerate() {
            let sum: f64 = members
                .iter()
                .map(|m| numbers(&m["cooperation"]["payments_to_cooperation"])[t])
                .sum();
            assert!(
                close(sum, *total),
                "{} year {t}: {sum} vs {total}",
                key["name"]
            );
        }
    }
}

/// With members borrowing (a joint body), the shared investments appear in the members'
/// investment budgets instead: over the members they add up to the cooperation's.
#[test]
fn members_that_borrow_book_their_shares_of_the_investments() {
    let json = run_json(
        &ten_million("borrower = \"members\"\nprice_growth = 0.03\nprices = \"nominal\""),
        &[],
    );
    let a = &json["municipal_accounts"];
    assert_eq!(a["prices"], "nominal");
    let pooled = numbers(&a["cooperation"]["investments"]);
    let interest = numbers(&a["cooperation"]["interest"]);
    for key in a["keys"].as_array().unwrap() {
        let members = key["members"].as_array().unwrap();
        for t in 0..pooled.len() {
            let sum = |f: &str| -> f64 {
                members
                    .iter()
                    .map(|m| numbers(&m["cooperation"][f])[t])
                    .sum()
            };
            assert!(close(sum("investments"), pooled[t]), "year {t}");
            assert!(close(sum("interest"), interest[t]), "year {t}");
        }
    }
}

/// The økonomiplan's rows are the JSON budgets' first four years in whole kroner, bit for bit;
/// its operating rows add up to the net operating cost (to the rounding of each row) and its
/// investments are financed by grants and sales and by borrowing.
#[test]
fn the_okonomiplan_is_the_budgets_in_whole_kroner() {
    let a = &default_json()["municipal_accounts"];
    let plan = &a["okonomiplan"];
    assert_eq!(plan["unit"], "NOK");
    // Without `plan_start` the plan covers the horizon's first four years.
    assert_eq!(numbers(&plan["years"]), numbers(&a["years"])[..4].to_vec());
    for (pk, key) in plan["keys"]
        .as_array()
        .unwrap()
        .iter()
        .zip(a["keys"].as_array().unwrap())
    {
        for (table, m) in pk["members"]
            .as_array()
            .unwrap()
            .iter()
            .zip(key["members"].as_array().unwrap())
        {
            assert_eq!(table["id"], m["id"]);
            let row = |line: &str| -> Vec<f64> {
                let r = table["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["line"] == line)
                    .unwrap_or_else(|| panic!("no row {line}"));
                numbers(&r["values"])
            };
            let budget = |f: &str| numbers(&m["cooperation"][f]);
            for t in 0..4 {
                let whole = |v: f64| v.round() + 0.0;
                assert_eq!(
                    row("payments_to_cooperation")[t],
                    whole(budget("payments_to_cooperation")[t])
                );
                assert_eq!(row("interest")[t], whole(budget("interest")[t]));
                assert_eq!(
                    row("net_operating_cost")[t],
                    whole(budget("net_operating_cost")[t])
                );
                assert_eq!(
                    row("net_operating_cost_alone")[t],
                    whole(numbers(&m["alone"]["net_operating_cost"])[t])
                );
                assert_eq!(row("difference")[t], whole(numbers(&m["difference"])[t]));
                assert_eq!(row("borrowing")[t], whole(budget("borrowing")[t]));
                assert_eq!(row("depreciation")[t], -row("depreciation_reversed")[t]);
                let operating: f64 = [
                    "payments_to_cooperation",
                    "own_operating",
                    "operating_income",
                    "interest",
                    "instalments",
                    "vat_not_compensated",
                    "fee_financed",
                    "depreciation",
                    "depreciation_reversed",
                ]
                .iter()
                .map(|l| row(l)[t])
                .sum();
                assert!(
                    (operating - row("net_operating_cost")[t]).abs() <= 5.0,
                    "year {t}"
                );
                let financed = row("grants_and_sales")[t] + row("borrowing")[t];
                assert!((financed - row("investments")[t]).abs() <= 2.0, "year {t}");
            }
        }
    }
}

/// Mistakes in `[accounts]`: each reported at its line, with the field and the fix.
#[test]
fn mistakes_in_accounts_are_reported_at_their_line() {
    let base_lines = BASE.lines().count();
    let cases = [
        ("accounts_loan_rate_out_of_range", "loan_rate = 0.45"),
        ("accounts_grant_year_outside_horizon", "grant_year = 2040"),
        ("accounts_unknown_prices", "prices = \"nominel\""),
        ("accounts_unknown_key", "loan_rat = 0.04"),
        ("accounts_share_above_one", "startup_capitalised = 1.5"),
        (
            "accounts_negative_grant",
            "grant = { dist = \"triangular\", min = -1, mode = 0, max = 1 }",
        ),
    ];
    for (name, field) in cases {
        let text = format!("{BASE}\n[accounts]\n{field}\n");
        let diagnostics = parse(&text).expect_err(name);
        let first = &diagnostics.0[0];
        assert_eq!(first.line, base_lines + 3, "{name}: {diagnostics}");
        assert_eq!(first.file, "test.toml");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}

/// `plan_start` moves the økonomiplan: from 2028 in a horizon ending in 2030 it has the three
/// years left, each the budget of its own year in whole kroner.
#[test]
fn the_plan_starts_where_the_scenario_says_and_stops_at_the_horizon() {
    let json = run_json(&ten_million("plan_start = 2028\ngrant = 1_000_000"), &[]);
    let a = &json["municipal_accounts"];
    let plan = &a["okonomiplan"];
    assert_eq!(numbers(&plan["years"]), [2028.0, 2029.0, 2030.0]);
    let m = &a["keys"][1]["members"][2];
    let table = &plan["keys"][1]["members"][2];
    let row = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == "net_operating_cost")
        .unwrap();
    let budget = numbers(&m["cooperation"]["net_operating_cost"]);
    let shown = numbers(&row["values"]);
    for (i, t) in (2..5).enumerate() {
        assert_eq!(shown[i], budget[t].round() + 0.0);
    }
    // The grant of 2026 (the year before operation) finances a tenth of the 10 MNOK project.
    let c = &a["cooperation"];
    assert_eq!(numbers(&c["grants_and_sales"])[0], 1_000_000.0);
    assert_eq!(numbers(&c["borrowing"])[0], 4_000_000.0);
}

/// Prices: the 10 MNOK loan of 2026 is nominal, so its instalments are 1,000,000 kroner a year
/// in each year's own kroner (`prices = "nominal"`) and 1,000,000 / 1.03^t in 2026 kroner
/// (`"real"`) with a municipal deflator of 3 % (MODEL.md §6b, "Prices"); the cooperation's
/// operating costs in the nominal table are the real ones `× 1.03^t`.
#[test]
fn nominal_tables_inflate_and_real_tables_deflate_the_nominal_loan() {
    let accounts = |prices: &str| {
        let scenario = ten_million(&format!(
            "startup_capitalised = 1\nloan_rate = 0.04\nloan_term = 10\nlife = 10\nprice_growth = 0.03\nprices = \"{prices}\""
        ));
        run_json(&scenario, &[])["municipal_accounts"].clone()
    };
    let (real, nominal) = (accounts("real"), accounts("nominal"));
    let inst = |a: &Value| numbers(&a["cooperation"]["instalments"]);
    let own = |a: &Value| numbers(&a["cooperation"]["own_operating"]);
    for t in 1..5 {
        let index = 1.03f64.powi(t as i32);
        assert!((inst(&nominal)[t] - 1_000_000.0).abs() < 1e-6, "year {t}");
        assert!(
            (inst(&real)[t] - 1_000_000.0 / index).abs() < 1e-6,
            "year {t}"
        );
        assert!(close(own(&nominal)[t], own(&real)[t] * index), "year {t}");
    }
}

/// The books are kept only when an output shows them (`--out`, `--format json`): a run that
/// prints the terminal table skips them, and keeping them changes no other number of the run.
#[test]
fn booking_the_accounts_changes_no_other_number() {
    use samkost_core::simulation::{NoProgress, RunConfig, resolve_keys, run};
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    let config = |accounts| RunConfig {
        n_draws: 300,
        seed: 7,
        stability_draws: 20,
        band_draws: 50,
        sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts,
        detailed: true,
    };
    let without = run(&scenario.model, &keys, &config(false), &NoProgress).unwrap();
    let mut with = run(&scenario.model, &keys, &config(true), &NoProgress).unwrap();
    assert!(without.accounts.is_none());
    assert!(with.accounts.take().is_some());
    assert_eq!(format!("{with:?}"), format!("{without:?}"));
    assert!(default_json()["municipal_accounts"]["okonomiplan"].is_object());
}

/// An uncertain `[accounts]` input shapes the budget tables, never an NPV: the tornado and the
/// Sobol' indices of the region's NPV leave it out instead of ranking it at zero.
#[test]
fn accounts_inputs_are_not_ranked_among_the_npvs_drivers() {
    let text = format!(
        "{}\n[accounts]\nloan_rate = {{ dist = \"triangular\", min = 0.03, mode = 0.045, max = 0.06 }}\n",
        samkost::scenario::DEFAULT_SCENARIO
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, &text).unwrap();
    let out = crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .arg("run")
            .arg(&path)
            .args([
                "--format",
                "json",
                "--draws",
                "200",
                "--stability-draws",
                "20",
            ])
            .args(["--sobol", "16"]),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let parts = |list: &Value, field: &str| -> Vec<String> {
        list[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["origin"]["part"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let tornado = parts(&json["tornado"], "bars");
    let sobol = parts(&json["sobol"], "inputs");
    assert!(!tornado.is_empty() && !sobol.is_empty());
    for part in tornado.iter().chain(&sobol) {
        assert_ne!(part, "accounts");
    }
    // The input itself is drawn and listed among the assumptions.
    assert!(
        json["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["origin"]["part"] == "accounts")
    );
}
