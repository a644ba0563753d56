//! The one integration-test binary: command line, scenarios, invalid inputs, references.

mod accounts;
mod accounts_outputs;
mod aggregated;
mod allocate;
mod architecture;
mod by_component;
mod calibration;
mod calibration_shown;
mod case_summary;
mod cli;
mod csv_dialect;
mod design;
mod drivers_by_year;
mod economies;
mod events;
mod existing;
mod explorer;
mod fuzz;
mod fuzz_sweep;
mod game_values;
mod games;
mod interrupt;
mod invalid;
mod limits;
mod metrics;
mod model;
mod organisation_costs;
mod parquet;
mod payments;
mod price_list;
mod project;
mod ranges;
mod readme;
mod recommend;
mod report_html;
mod report_sensitivity;
mod sampling;
mod scenario_workbook;
mod scenario_workbook_errors;
mod scenarios;
mod sensitivity;
mod stability_over_time;
mod starter;
mod sweep;
mod terminal_table;
mod vat;
mod views;
mod workbook;

/// A small valid scenario that the tests mutate.
pub const BASE: &str = r#"name = "Test"
first_year = 2026
horizon_years = 5
operation_start = 2027
discount_rate = 0.04
draws = 200
seed = 7
members = ["1517", "1514", "1515"]

[drivers]
users = { per_inhabitant = 0.09 }

[parameters]
cost_per_user = { dist = "triangular", min = 7000, mode = 9500, max = 13000 }
saving = { dist = "pert", min = 0.05, mode = 0.15, max = 0.30 }

[[lines]]
name = "Own operations"
occurs = "alone"
basis = "per_member"
fixed = 400000
per = { users = "cost_per_user" }

[[lines]]
name = "Shared operations"
occurs = "together"
start = 2027
fixed = 900000
per = { users = "cost_per_user * (1 - saving)" }

[[lines]]
name = "Project"
category = "startup"
occurs = "together"
year = 2026
per = { users = 6000 }

[[keys]]
name = "equal"
rule = "equal"

[[keys]]
name = "30/70"
rule = "hybrid"
fixed_part = 0.3

[[keys]]
name = "agreed"
rule = "fixed"
shares = { "1517" = 0.3, "1514" = 0.2, "1515" = 0.5 }
"#;

/// Runs a command to completion; panics with its stderr unless it succeeded.
pub fn succeed(command: &mut std::process::Command) -> std::process::Output {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `samkost run --format json --sobol 0 ARGS` on the scenario `text`, written as `s.toml` in
/// `dir` (beside any files it names); its `summary.json`.
pub fn run_json_in(dir: &std::path::Path, text: &str, args: &[&str]) -> serde_json::Value {
    let path = dir.join("s.toml");
    std::fs::write(&path, text).unwrap();
    let out = succeed(
        std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
            .arg("run")
            .arg(&path)
            .args(["--format", "json", "--sobol", "0"])
            .args(args),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// [`run_json_in`] in a directory of its own.
pub fn run_json(text: &str, args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    run_json_in(dir.path(), text, args)
}

/// The NPVs of one draw of `text` with every input at its median (fixed inputs as they are):
/// entry `k·n + i` is member `i`'s under key `k`, the last the region's.
pub fn npvs_at_medians(text: &str) -> Vec<f64> {
    use samkost_core::simulation::{DrawScratch, evaluate_draw, resolve_keys};
    let scenario = parse(text).unwrap_or_else(|d| panic!("{d}"));
    let model = &scenario.model;
    let (keys, _) = resolve_keys(model, &scenario.keys, 1, &scenario.planning).unwrap();
    let discount = model.discounting.factors(model.horizon_years);
    let params: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| p.distribution.quantile(0.5))
        .collect();
    evaluate_draw(
        model,
        &keys,
        &params,
        &discount,
        &mut DrawScratch::default(),
    )
}

/// Every value within 1e-9 of the hand-computed one (amounts of a few hundred NOK).
pub fn assert_all_close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
    }
}

/// The key named `name` in a `summary.json`.
pub fn key<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == name)
        .unwrap_or_else(|| panic!("no key `{name}`"))
}

/// A draw with every input at its median (the 0.5 quantile), the figures closed forms and
/// calibrations are written for.
pub fn at_medians(model: &samkost_core::model::Model) -> samkost_core::model::DrawValues {
    let p: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| p.distribution.quantile(0.5))
        .collect();
    let mut v = samkost_core::model::DrawValues::default();
    model.evaluate(&p, &mut v);
    v
}

/// The numbers of a JSON array.
pub fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Relative rounding allowance for sums of a few terms of up to 10^9 NOK.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The scenario files shipped in `scenarios/`, in name order.
pub fn shipped_scenario_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Parses a scenario text without files.
pub fn parse(text: &str) -> Result<samkost::scenario::Scenario, samkost::scenario::Diagnostics> {
    samkost::scenario::parse("test.toml", text, &samkost::scenario::NoFiles)
}
