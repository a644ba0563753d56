//! What an organisation form costs by itself (docs/MODEL.md §4c, "Costs of the form"): the
//! governance broken down into its parts, pay levelling and pension costs when staff change
//! employer, each against a hand calculation, and the fast paths against the definition.

use samkost_core::model::{Category, CoalitionFlows, DrawValues, Scratch};

use crate::parse;

/// Three members, one staffing component with every input fixed, no parallel operation,
/// shared operation from 2027; `{org}` is the `[organisation]` table's body.
fn scenario(org: &str) -> String {
    format!(
        r#"name = "Organisation by hand"
first_year = 2026
horizon_years = 5
operation_start = 2027
discount_rate = 0.04
members = ["1517", "1514", "1515"]

[drivers]
users = {{ per_inhabitant = 0.1 }}

[[components]]
name = "IT staff"
kind = "staffing"
driver = "users"
critical_mass = 2
fte_at_reference = 4
reference = 1000
exponent = 0.8
salary = 800000
premium_max = 0.3
premium_half_fte = 3
retained_share = 0.1
retained_floor = 0.5

[transition]
parallel_months = 0

[organisation]
{org}

[[keys]]
name = "equal"
rule = "equal"
"#
    )
}

/// A fixed organisation with every cost of the form given: `{extra}` adds or overrides.
fn org(model: &str, extra: &str) -> String {
    scenario(&format!(
        "model = \"{model}\"\nattrition_rate = 0.1\n{extra}"
    ))
}

fn at_medians(text: &str) -> (samkost::scenario::Scenario, DrawValues) {
    let s = parse(text).unwrap_or_else(|e| panic!("{e}"));
    let v = crate::at_medians(&s.model);
    (s, v)
}

fn flows(text: &str, coalition: &[usize], year: usize) -> CoalitionFlows {
    let (s, v) = at_medians(text);
    let mut out = CoalitionFlows::default();
    s.model
        .coalition_flows(&v, coalition, year, &mut Scratch::default(), &mut out);
    out
}

const RUNNING: usize = 0;
const STARTUP: usize = 1;

/// The governance of an IKS is its board, audit, accounts and owners' control, added as a
/// pooled running cost of every coalition of two or more in every year; a member alone pays
/// none of it.
#[test]
fn governance_is_the_sum_of_its_parts() {
    let none = "board = 0\naudit = 0\naccounts = 0\nowner_control = 0\npay_levelling = 0\npension_one_off = 0";
    let parts = "board = 200000\naudit = 100000\naccounts = 150000\nowner_control = 50000\npay_levelling = 0\npension_one_off = 0";
    for year in 0..5 {
        for coalition in [&[0, 1, 2][..], &[0, 2][..]] {
            let base = flows(&org("iks", none), coalition, year);
            let with = flows(&org("iks", parts), coalition, year);
            let extra = with.pooled[RUNNING] - base.pooled[RUNNING];
            assert!((extra - 500_000.0).abs() < 1e-6, "{year}: {extra}");
            assert_eq!(with.direct, base.direct);
        }
        let alone = flows(&org("iks", parts), &[1], year);
        let alone_base = flows(&org("iks", none), &[1], year);
        assert_eq!(alone.total(), alone_base.total());
    }
}

/// Pay levelling and a changed pension premium raise the pooled staff cost by their sum in
/// every year from pooling; the one-off pension cost is its share of the pooling year's pooled
/// staff cost, a start-up cost; both for staff held by attrition (IKS) and for staff that
/// follow the pooled curve at once (AS with redundancies allowed).
#[test]
fn staff_costs_of_the_form_follow_their_shares() {
    let zero = "board = 0\naudit = 0\naccounts = 0\nowner_control = 0\npay_levelling = 0\npension_premium_change = 0\npension_one_off = 0";
    let set = "board = 0\naudit = 0\naccounts = 0\nowner_control = 0\npay_levelling = 0.04\npension_premium_change = 0.01\npension_one_off = 0.03";
    for (model, redundancies) in [("iks", ""), ("as", "redundancies = true\n")] {
        let base_text = org(model, &format!("{redundancies}{zero}"));
        let text = org(model, &format!("{redundancies}{set}"));
        for coalition in [&[0, 1, 2][..], &[1, 2][..]] {
            for year in 0..5 {
                let base = flows(&base_text, coalition, year);
                let with = flows(&text, coalition, year);
                if year < 1 {
                    assert_eq!(with.pooled, base.pooled, "{model} {year}");
                    continue;
                }
                // Yearly: × (1 + 0.04 + 0.01).
                let expected = 1.05 * base.pooled[RUNNING];
                assert!(
                    (with.pooled[RUNNING] - expected).abs() < 1e-6 * expected,
                    "{model} {year}: {} vs {expected}",
                    with.pooled[RUNNING]
                );
                // One-off in the pooling year (2027, index 1) only: 3 % of that year's cost.
                let one_off = if year == 1 {
                    0.03 * base.pooled[RUNNING]
                } else {
                    0.0
                };
                assert!(
                    (with.pooled[STARTUP] - base.pooled[STARTUP] - one_off).abs()
                        < 1e-6 * base.pooled[RUNNING],
                    "{model} {year}"
                );
                // The members' own costs (their retained roles) do not change.
                assert_eq!(with.direct, base.direct);
            }
        }
    }
}

/// The defaults per form: a host and a joint body pay no pension costs and no board, an IKS and
/// an AS do; pay levelling applies to every form that moves staff.
#[test]
fn each_form_has_its_documented_defaults() {
    let find = |text: &str, field: &str| {
        let s = parse(text).unwrap();
        s.model
            .parameters
            .iter()
            .find(|p| p.origin.as_ref().is_some_and(|o| o.field == field))
            .map(|p| {
                let d = &p.distribution;
                (d.support(), d.mean())
            })
    };
    for model in ["host", "joint_body", "iks", "as"] {
        let text = scenario(&format!("model = \"{model}\""));
        let levelling = find(&text, "pay_levelling").expect("pay levelling");
        assert_eq!(levelling.0, (0.0, 0.05), "{model}");
        assert!((levelling.1 - 0.07 / 3.0).abs() < 1e-12);
        let company = model == "iks" || model == "as";
        assert_eq!(find(&text, "pension_one_off").is_some(), company, "{model}");
        assert_eq!(find(&text, "board").is_some(), company, "{model}");
        assert_eq!(
            find(&text, "pension_premium_change").is_some(),
            model == "as"
        );
        for part in ["audit", "accounts", "owner_control"] {
            assert!(find(&text, part).is_some(), "{model} {part}");
        }
    }
    // Host: the parts' means add up to the former single default's mean, 150,000 NOK a year
    // (Tri(10, 25, 50) + Tri(20, 40, 100) + Tri(20, 35, 150) thousand).
    let (s, _) = at_medians(&scenario("model = \"host\""));
    let mean: f64 = s
        .model
        .parameters
        .iter()
        .filter(|p| {
            p.origin.as_ref().is_some_and(|o| {
                ["board", "audit", "accounts", "owner_control"].contains(&o.field.as_str())
            })
        })
        .map(|p| p.distribution.mean())
        .sum();
    assert!((mean - 150_000.0).abs() < 1e-6, "{mean}");
}

/// Giving the total and its parts, a part or a staff cost under outsourcing, and a pay
/// levelling written as a percentage are refused at their line with the fix.
#[test]
fn contradictory_or_misplaced_costs_are_refused() {
    for (text, needle) in [
        (
            scenario("model = \"iks\"\ngovernance = 500000\nboard = 200000"),
            "both `governance` and `board`",
        ),
        (
            scenario("model = \"outsourcing\"\naudit = 100000"),
            "`audit` of [organisation] does not apply to outsourcing",
        ),
        (
            scenario("model = \"outsourcing\"\npay_levelling = 0.02"),
            "`pay_levelling` of [organisation] does not apply to outsourcing",
        ),
        (
            scenario("model = \"iks\"\npay_levelling = 2"),
            "2 % is 0.02",
        ),
        (scenario("model = \"iks\"\nboard = -5"), "≥ 0"),
    ] {
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains(needle), "{needle}:\n{err}");
    }
    // A total alone is still read as written.
    let (s, v) = at_medians(&scenario("model = \"iks\"\ngovernance = 444000"));
    assert_eq!(v.organisation.governance, 444_000.0, "{}", s.name);
}

/// The one-pass flows and the NPV game from aggregates agree with the definition
/// (`Model::coalition_flows`) for an AS whose staff follow the pooled curve at once, the path
/// on which the one-off pension cost is a weight of its own.
#[test]
fn fast_paths_match_the_definition_with_costs_of_the_form() {
    use samkost_core::games::{RealisedGame, realised_game_by_years};
    use samkost_core::model::{CoalitionTable, DrawFlows, NpvGameTerms, YearFlows, YearScratch};
    let text = org(
        "as",
        "redundancies = true\npay_levelling = 0.04\npension_one_off = 0.03",
    );
    let (s, v) = at_medians(&text);
    let model = &s.model;
    let discount = model.discounting.factors(model.horizon_years);
    let mut fast = Vec::new();
    model.npv_game(
        &v,
        &discount,
        &CoalitionTable::new(model),
        &mut NpvGameTerms::default(),
        &mut fast,
    );
    let mut slow = RealisedGame::default();
    realised_game_by_years(model, &v, &discount, &mut slow);
    for (mask, (f, g)) in fast.iter().zip(&slow.costs).enumerate() {
        for c in 0..2 {
            assert!(
                (f[c] - g[c]).abs() <= 1e-9 * f[c].abs().max(1.0),
                "{mask:b} {c}: {} vs {}",
                f[c],
                g[c]
            );
        }
    }
    assert!(
        fast[7][Category::StartUp.index()] > 0.0,
        "the one-off is there"
    );
    let mut one_pass = DrawFlows::default();
    model.draw_flows(&v, &mut one_pass);
    let (mut flows, mut scratch) = (YearFlows::default(), YearScratch::default());
    for t in 0..model.horizon_years {
        model.year_flows(&v, t, &mut scratch, &mut flows);
        for c in 0..2 {
            let (a, b) = (one_pass.pooled[c][t], flows.cooperation.pooled[c]);
            assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{t} {c}");
        }
    }
}
