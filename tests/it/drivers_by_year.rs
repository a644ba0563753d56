//! Drivers given by year (docs/MODEL.md §5a): keys on a driver with a path take each year's
//! shares (a hand calculation), a CSV file gives the same path as the same values inline, the
//! members' net benefits still add up to the region's in every draw, and every mistake in
//! `[drivers_by_year]` or its CSV file is reported at its file, line and column with the fix.

use samkost::scenario::{FileSource, Scenario};
use samkost_core::simulation::{NoProgress, RunConfig, run};
use serde_json::Value;

use crate::{close, numbers, parse};

/// Two members with costs a hand can add up, no discounting (rate 0), operating from the first
/// year: alone each pays 800,000 a year; together the cooperation costs 1,000,000 a year,
/// pooled. Hareid's population is 1,000 in 2026 and 3,000 in 2028 (2027 interpolated: 2,000;
/// 2029 carried forward: 3,000); Sande's is 3,000 in 2026, carried forward.
///
/// Hareid's population shares by year: 1,000/4,000 = 0.25, 2,000/5,000 = 0.4, 0.5, 0.5; under
/// 30/70, 0.15 + 0.7 s: 0.325, 0.43, 0.5, 0.5.
pub const PATH: &str = r#"name = "Population path"
first_year = 2026
horizon_years = 4
operation_start = 2026
discount_rate = 0.0
draws = 20
seed = 3
members = ["1517", "1514"]

[drivers_by_year]
source = "hand-made path for a test"

[drivers_by_year.population]
"1517" = { 2026 = 1000, 2028 = 3000 }
"1514" = { 2026 = 3000 }

[[lines]]
name = "Own"
occurs = "alone"
basis = "per_member"
fixed = 800000

[[lines]]
name = "Shared"
occurs = "together"
fixed = 1000000

[[keys]]
name = "population"
rule = "proportional"

[[keys]]
name = "30/70"
rule = "hybrid"
fixed_part = 0.3

[[keys]]
name = "equal"
rule = "equal"
"#;

const HAREID_POPULATION_SHARES: [f64; 4] = [0.25, 0.4, 0.5, 0.5];

fn run_json(dir: &std::path::Path, scenario: &str) -> Value {
    crate::run_json_in(dir, scenario, &["--stability-draws", "20"])
}

#[test]
fn shares_follow_the_population_path_year_by_year() {
    let dir = tempfile::tempdir().unwrap();
    let json = run_json(dir.path(), PATH);
    assert_eq!(numbers(&json["yearly"]["pooled_running"]), [1e6; 4]);
    let hybrid = HAREID_POPULATION_SHARES.map(|s| 0.15 + 0.7 * s);
    for (name, hareid) in [
        ("population", HAREID_POPULATION_SHARES),
        ("30/70", hybrid),
        ("equal", [0.5; 4]),
    ] {
        let members = crate::key(&json, name)["members"].as_array().unwrap();
        let paid = |i: usize| numbers(&members[i]["yearly_payments"]["to_cooperation_running"]);
        let (paid_0, paid_1) = (paid(0), paid(1));
        for (t, share) in hareid.iter().enumerate() {
            assert!(close(paid_0[t], 1e6 * share), "{name} {t}: {}", paid_0[t]);
            assert!(close(paid_1[t], 1e6 * (1.0 - share)), "{name} {t}");
        }
        // NPV at rate 0: 4 × 800,000 alone minus the payments.
        let npv = |i: usize| members[i]["npv_net_benefit"]["mean"].as_f64().unwrap();
        let hareid_paid: f64 = hareid.iter().map(|s| 1e6 * s).sum();
        assert!(close(npv(0), 3.2e6 - hareid_paid), "{name}: {}", npv(0));
        assert!(close(npv(1), 3.2e6 - (4e6 - hareid_paid)), "{name}");
    }
    // The rules on the driver say that they follow it year by year; the equal split does not.
    assert_eq!(crate::key(&json, "population")["rule"]["by_year"], true);
    assert_eq!(crate::key(&json, "30/70")["rule"]["by_year"], true);
    assert!(crate::key(&json, "equal")["rule"]["by_year"].is_null());
    // The share shown per member is the first operating year's.
    let shown = crate::key(&json, "population")["members"][0]["share"]
        .as_f64()
        .unwrap();
    assert!(close(shown, 0.25), "{shown}");
}

/// One CSV file, served as if it sat next to the scenario.
struct OneFile(&'static str, String);

impl FileSource for OneFile {
    fn read(&self, path: &str) -> Result<String, String> {
        if path == self.0 {
            Ok(self.1.clone())
        } else {
            Err(format!("no file `{path}`"))
        }
    }
}

fn with_csv(csv: &str) -> Result<Scenario, samkost::scenario::Diagnostics> {
    let inline = "[drivers_by_year.population]\n\"1517\" = { 2026 = 1000, 2028 = 3000 }\n\"1514\" = { 2026 = 3000 }\n";
    assert!(PATH.contains(inline), "test setup");
    let text = PATH.replacen(inline, "csv = \"population.csv\"\n", 1);
    samkost::scenario::parse(
        "test.toml",
        &text,
        &OneFile("population.csv", csv.to_owned()),
    )
}

const CSV: &str = "kommunenummer,year,population\n1517,2026,1000\n1517,2028,3000\n1514,2026,3000\n";

#[test]
fn a_csv_file_gives_the_same_path_as_inline_values() {
    let from_csv = with_csv(CSV).unwrap_or_else(|d| panic!("{d}"));
    let inline = parse(PATH).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(from_csv.model.drivers, inline.model.drivers);
    let path = inline.model.drivers.path(0).unwrap();
    assert_eq!(
        path,
        [
            [1000.0, 3000.0],
            [2000.0, 3000.0],
            [3000.0, 3000.0],
            [3000.0, 3000.0]
        ]
    );
    // Through the command line, with the file next to the scenario.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("population.csv"), CSV).unwrap();
    let json_csv = run_json(
        dir.path(),
        &PATH.replacen(
            "[drivers_by_year.population]\n\"1517\" = { 2026 = 1000, 2028 = 3000 }\n\"1514\" = { 2026 = 3000 }\n",
            "csv = \"population.csv\"\n",
            1,
        ),
    );
    let json_inline = run_json(dir.path(), PATH);
    assert_eq!(json_csv["keys"], json_inline["keys"]);
}

/// Invariant 6 for keys with yearly shares: in every draw of the shipped example, every key's
/// member NPVs add up to the region's.
#[test]
fn member_net_benefits_add_up_to_the_region_in_every_draw_with_yearly_shares() {
    let text = include_str!("../../scenarios/hamar-region-by-year.toml");
    let scenario = parse(text).unwrap_or_else(|d| panic!("{d}"));
    assert!(scenario.model.drivers.path(0).is_some());
    let keys = samkost_core::simulation::resolve_keys(
        &scenario.model,
        &scenario.keys,
        1,
        &scenario.planning,
    )
    .unwrap()
    .0;
    assert!(keys.iter().filter(|k| k.yearly.is_some()).count() >= 3);
    let config = RunConfig {
        n_draws: 300,
        seed: 5,
        stability_draws: 0,
        band_draws: 0,
        sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts: false,
        detailed: true,
    };
    let results = run(&scenario.model, &keys, &config, &NoProgress).unwrap();
    let n = scenario.model.n_members();
    for draw in 0..300 {
        let region = results.draw_region_npv(draw).unwrap();
        for k in 0..keys.len() {
            let sum: f64 = (0..n)
                .map(|i| results.draw_member_npv(k, i, draw).unwrap())
                .sum();
            assert!(
                crate::close(sum, region),
                "draw {draw}, key {k}: {sum} vs {region}"
            );
        }
    }
}

/// `(case, scenario text or CSV, line of the first error)`; CSV cases read `population.csv`.
fn invalid_cases() -> Vec<(
    &'static str,
    Result<Scenario, samkost::scenario::Diagnostics>,
    usize,
)> {
    let mutate = |from: &str, to: &str| {
        assert!(PATH.contains(from), "test setup: {from}");
        parse(&PATH.replacen(from, to, 1))
    };
    vec![
        (
            "by_year_unknown_driver",
            mutate(
                "[drivers_by_year.population]",
                "[drivers_by_year.populaton]",
            ),
            13,
        ),
        (
            "by_year_not_a_member",
            mutate("\"1514\" = { 2026 = 3000 }", "\"1515\" = { 2026 = 3000 }"),
            15,
        ),
        (
            "by_year_missing_member",
            mutate("\"1514\" = { 2026 = 3000 }\n", ""),
            13,
        ),
        (
            "by_year_not_a_year",
            mutate("2028 = 3000", "in2028 = 3000"),
            14,
        ),
        (
            "by_year_negative_value",
            mutate("2028 = 3000", "2028 = -3000"),
            14,
        ),
        (
            "by_year_csv_bad_number",
            with_csv(
                "kommunenummer,year,population\n1517,2026,1000\n1517,2028,3 000\n1514,2026,3000\n",
            ),
            3,
        ),
        (
            "by_year_csv_unknown_column",
            with_csv("kommunenummer,year,populaton\n1517,2026,1000\n1514,2026,3000\n"),
            1,
        ),
        (
            "by_year_csv_missing_member",
            with_csv("kommunenummer,year,population\n1517,2026,1000\n"),
            1,
        ),
    ]
}

#[test]
fn every_mistake_in_drivers_by_year_is_reported_at_its_line() {
    for (name, result, line) in invalid_cases() {
        let Err(diagnostics) = result else {
            panic!("case `{name}` was accepted")
        };
        let first = &diagnostics.0[0];
        assert_eq!(first.line, line, "case `{name}`:\n{diagnostics}");
        assert!(first.help.is_some(), "case `{name}` gives no fix");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}
