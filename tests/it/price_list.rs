//! Billing by a price list with a year-end settlement (docs/MODEL.md §5b): the billed amounts,
//! the settlements and the net benefits of a hand calculation, billed + settlement summing to
//! the cooperation's pooled running cost every year, and mistakes in a price list reported at
//! their line with the fix.

use serde_json::Value;

use crate::{close, numbers, parse};

/// The two members of `drivers_by_year::PATH` (alone 800,000 a year each, the cooperation
/// 1,000,000 a year pooled, no discounting), billed 100 NOK per inhabitant and 100,000 NOK
/// per member. Hareid's population path 1,000, 2,000, 3,000, 3,000 and Sande's 3,000 give
/// bills of 200,000 / 400,000, 300,000 / 400,000, 400,000 / 400,000, 400,000 / 400,000; the
/// year-end settlement splits 1,000,000 − total billed in proportion to the bills, so Hareid
/// pays 1,000,000 × 2/6, × 3/7, × 1/2, × 1/2.
const PRICE_LIST: &str = r#"
[[keys]]
name = "price list"
rule = "price_list"
prices = { population = 100 }
per_member = 100000
"#;

const HAREID_BILLED: [f64; 4] = [200_000.0, 300_000.0, 400_000.0, 400_000.0];
const SANDE_BILLED: [f64; 4] = [400_000.0; 4];

fn run_json(scenario: &str) -> Value {
    crate::run_json(scenario, &["--stability-draws", "20"])
}

#[test]
fn billed_amounts_and_settlements_match_the_hand_calculation() {
    let json = run_json(&format!("{}{PRICE_LIST}", crate::drivers_by_year::PATH));
    let key = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "price list")
        .unwrap();
    assert_eq!(key["rule"]["kind"], "price_list");
    let pooled = numbers(&json["yearly"]["pooled_running"]);
    assert_eq!(pooled, [1e6; 4]);
    let members = key["members"].as_array().unwrap();
    let pay = |i: usize, f: &str| numbers(&members[i]["yearly_payments"][f]);
    for (i, billed) in [HAREID_BILLED, SANDE_BILLED].iter().enumerate() {
        assert_eq!(pay(i, "billed"), billed);
        for t in 0..4 {
            let total: f64 = HAREID_BILLED[t] + SANDE_BILLED[t];
            let expected_settlement = (1e6 - total) * billed[t] / total;
            assert!(
                close(pay(i, "settlement")[t], expected_settlement),
                "member {i}, year {t}: {}",
                pay(i, "settlement")[t]
            );
        }
    }
    let hareid_paid: f64 = [2.0 / 6.0, 3.0 / 7.0, 0.5, 0.5]
        .iter()
        .map(|s| 1e6 * s)
        .sum();
    let npv = |i: usize| members[i]["npv_net_benefit"]["mean"].as_f64().unwrap();
    assert!(close(npv(0), 3.2e6 - hareid_paid), "{}", npv(0));
    assert!(close(npv(1), 3.2e6 - (4e6 - hareid_paid)), "{}", npv(1));
}

/// In the shipped example: every year, the members' bills plus settlements add up to the mean
/// pooled running cost.
#[test]
fn billed_plus_settlement_is_the_cooperations_running_cost_every_year() {
    let json = run_json(include_str!("../../scenarios/hamar-region-by-year.toml"));
    let pooled = numbers(&json["yearly"]["pooled_running"]);
    let key = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "price list")
        .unwrap();
    let members = key["members"].as_array().unwrap();
    for (t, p) in pooled.iter().enumerate() {
        let mut sum = 0.0;
        for m in members {
            let y = &m["yearly_payments"];
            sum += numbers(&y["billed"])[t] + numbers(&y["settlement"])[t];
        }
        assert!(close(sum, *p), "year {t}: {sum} vs {p}");
    }
}

#[test]
fn every_mistake_in_a_price_list_is_reported_at_its_line() {
    let base = format!("{}{PRICE_LIST}", crate::drivers_by_year::PATH);
    let base_lines = crate::drivers_by_year::PATH.lines().count();
    let mutate = |from: &str, to: &str| {
        assert!(base.contains(from), "test setup: {from}");
        parse(&base.replacen(from, to, 1))
    };
    for (name, result, line) in [
        (
            "price_list_negative_price",
            mutate("population = 100 }", "population = -100 }"),
            base_lines + 5,
        ),
        (
            "price_list_unknown_driver",
            mutate("{ population = 100 }", "{ users = 100 }"),
            base_lines + 5,
        ),
        (
            "price_list_bills_nothing",
            mutate(
                "{ population = 100 }\nper_member = 100000",
                "{ population = 0 }",
            ),
            base_lines + 5,
        ),
    ] {
        let Err(diagnostics) = result else {
            panic!("case `{name}` was accepted")
        };
        let first = &diagnostics.0[0];
        assert_eq!(first.line, line, "case `{name}`:\n{diagnostics}");
        assert!(first.help.is_some(), "case `{name}` gives no fix");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}
