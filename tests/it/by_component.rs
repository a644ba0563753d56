//! Keys per component (docs/MODEL.md §5c): each member's payments and NPV of a hand
//! calculation with two components under different rules, a key whose every component follows
//! the default rule equal to that plain key, the payments adding up to the pooled costs in the
//! shipped example, and mistakes reported at their line with the fix.

use std::process::Command;

use serde_json::Value;

use crate::{close, numbers, parse};

/// Three members with fixed inputs over two years, no discounting, operating from the first
/// year, no organisation (price factor 1, no governance), no parallel operation:
///
/// - `Licences`: platform fee 50,000 + 1,000 NOK per user. Alone A 150,000, B 350,000,
///   C 650,000; pooled 50,000 + 1,000 × 1,000 users = 1,050,000 a year.
/// - `Servers`: infrastructure with exponent 1, 300,000 + 1,000 NOK per user. Alone A 400,000,
///   B 600,000, C 900,000; pooled 1,300,000 a year.
/// - a pooled running line of 200,000 a year and a pooled start-up line of 600,000 in the
///   first year.
///
/// Under `per service` (the rest by population 1:2:5 of 8,000; `Licences` named by name, by
/// users 0.1 : 0.3 : 0.6, although its kind `licence` has a rule too; `Servers` by its kind
/// `infrastructure`, equal; start-up equal) each member pays a year
///
/// ```text
/// A: 0.1 × 1,050,000 + 1,300,000/3 + 200,000/8 = 105,000 + 433,333.33 +  25,000 =   563,333.33
/// B: 0.3 × 1,050,000 + 1,300,000/3 + 200,000/4 = 315,000 + 433,333.33 +  50,000 =   798,333.33
/// C: 0.6 × 1,050,000 + 1,300,000/3 + 200,000·5/8 = 630,000 + 433,333.33 + 125,000 = 1,188,333.33
/// ```
///
/// (2,550,000 in all) and 200,000 of the start-up. NPV = 2 × alone − 2 × running − 200,000:
/// A 1,100,000 − 1,126,666.67 − 200,000 = −226,666.67; B 1,900,000 − 1,596,666.67 − 200,000 =
/// 103,333.33; C 3,100,000 − 2,376,666.67 − 200,000 = 523,333.33 (sum 400,000 = 2 × 500,000
/// saved − 600,000).
pub const TWO_SERVICES: &str = r#"name = "Two services"
first_year = 2026
horizon_years = 2
operation_start = 2026
discount_rate = 0.0
draws = 20
seed = 5

[[members]]
id = "9001"
name = "A"
population = 1000
drivers = { users = 100 }

[[members]]
id = "9002"
name = "B"
population = 2000
drivers = { users = 300 }

[[members]]
id = "9003"
name = "C"
population = 5000
drivers = { users = 600 }

[[components]]
name = "Licences"
kind = "licence"
driver = "users"
platform_fee = 50000
tiers = [{ from = 0, price = 1000 }]

[[components]]
name = "Servers"
kind = "infrastructure"
driver = "users"
fixed = 300000
unit_cost = 1000
reference = 1000
exponent = 1

[transition]
parallel_months = 0

[[lines]]
name = "Service desk"
occurs = "together"
fixed = 200000

[[lines]]
name = "Project"
category = "startup"
occurs = "together"
fixed = 600000
year = 2026

[[keys]]
name = "per service"
rule = "by_component"
default = { rule = "proportional", driver = "population" }
startup = { rule = "equal" }

[keys.components]
"Licences" = { rule = "proportional", driver = "users" }

[keys.kinds]
licence = { rule = "equal" }
infrastructure = { rule = "equal" }

[[keys]]
name = "population"
rule = "proportional"
"#;

const RUNNING: [f64; 3] = [
    105_000.0 + 1_300_000.0 / 3.0 + 25_000.0,
    315_000.0 + 1_300_000.0 / 3.0 + 50_000.0,
    630_000.0 + 1_300_000.0 / 3.0 + 125_000.0,
];
const ALONE: [f64; 3] = [550_000.0, 950_000.0, 1_550_000.0];

fn run_json(scenario: &str, draws: &str) -> Value {
    crate::run_json(scenario, &["--stability-draws", "20", "--draws", draws])
}

#[test]
fn payments_and_npvs_match_the_hand_calculation() {
    let json = run_json(TWO_SERVICES, "20");
    assert_eq!(numbers(&json["yearly"]["pooled_running"]), [2_550_000.0; 2]);
    let key = crate::key(&json, "per service");
    let components: Vec<(&str, &str)> = key["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["component"].as_str().unwrap(),
                c["rule"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        components,
        [("Licences", "proportional"), ("Servers", "equal")],
        "a component named by name takes that rule before its kind's"
    );
    assert_eq!(key["rule"]["kind"], "proportional");
    let members = key["members"].as_array().unwrap();
    for (i, m) in members.iter().enumerate() {
        let pay = |f: &str| numbers(&m["yearly_payments"][f]);
        for t in 0..2 {
            assert!(
                close(pay("to_cooperation_running")[t], RUNNING[i]),
                "member {i}, year {t}: {}",
                pay("to_cooperation_running")[t]
            );
        }
        assert!(close(pay("to_cooperation_startup")[0], 200_000.0));
        assert_eq!(pay("to_cooperation_startup")[1], 0.0);
        let npv = m["npv_net_benefit"]["mean"].as_f64().unwrap();
        let expected = 2.0 * ALONE[i] - 2.0 * RUNNING[i] - 200_000.0;
        assert!(close(npv, expected), "member {i}: {npv} vs {expected}");
        // The share of the first operating year's pooled cost (2,550,000 + 600,000).
        let share = m["share"].as_f64().unwrap();
        assert!(
            close(share, (RUNNING[i] + 200_000.0) / 3_150_000.0),
            "{share}"
        );
    }
    assert!(key["rule"]["by_year"].is_null());
}

/// A key per component whose every component follows the default rule is that plain key: the
/// same NPVs, probabilities and payments, on a scenario with uncertain inputs, a population
/// path (the rule's shares change by year) and the start-up rule of the default.
#[test]
fn a_key_whose_every_component_follows_the_default_is_the_plain_key() {
    let scenario = include_str!("../../scenarios/hamar-region-by-year.toml").to_owned()
        + r#"
[[keys]]
name = "30/70 per component"
rule = "by_component"
default = { rule = "hybrid", fixed_part = 0.3, driver = "population" }
[keys.kinds]
staffing = { rule = "hybrid", fixed_part = 0.3, driver = "population" }
infrastructure = { rule = "hybrid", fixed_part = 0.3, driver = "population" }
licence = { rule = "hybrid", fixed_part = 0.3, driver = "population" }
purchasing = { rule = "hybrid", fixed_part = 0.3, driver = "population" }
"#;
    let json = run_json(&scenario, "300");
    let (plain, split) = (
        crate::key(&json, "30/70"),
        crate::key(&json, "30/70 per component"),
    );
    assert_eq!(split["components"].as_array().unwrap().len(), 4);
    let near = |a: &Value, b: &Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        assert!(crate::close(a, b), "{a} vs {b}");
    };
    near(&plain["p_all_win"], &split["p_all_win"]);
    for (p, s) in plain["members"]
        .as_array()
        .unwrap()
        .iter()
        .zip(split["members"].as_array().unwrap())
    {
        for f in ["mean", "p10", "p50", "p90"] {
            near(&p["npv_net_benefit"][f], &s["npv_net_benefit"][f]);
        }
        near(&p["p_win"], &s["p_win"]);
        near(&p["share"], &s["share"]);
        near(&p["cost_per_inhabitant"], &s["cost_per_inhabitant"]);
        for f in [
            "to_cooperation_running",
            "to_cooperation_startup",
            "total_paid",
        ] {
            let (a, b) = (
                numbers(&p["yearly_payments"][f]),
                numbers(&s["yearly_payments"][f]),
            );
            for (x, y) in a.iter().zip(&b) {
                assert!(close(*x, *y), "{f}: {x} vs {y}");
            }
        }
    }
}

/// In the shipped example every year the members' running payments under `per service` add up
/// to the mean pooled running cost, and their NPVs to the region's.
#[test]
fn payments_add_up_to_the_pooled_cost_in_the_shipped_example() {
    let json = run_json(
        include_str!("../../scenarios/hamar-region-by-year.toml"),
        "200",
    );
    let pooled = numbers(&json["yearly"]["pooled_running"]);
    let key = crate::key(&json, "per service");
    let members = key["members"].as_array().unwrap();
    for (t, p) in pooled.iter().enumerate() {
        let sum: f64 = members
            .iter()
            .map(|m| numbers(&m["yearly_payments"]["to_cooperation_running"])[t])
            .sum();
        assert!(close(sum, *p), "year {t}: {sum} vs {p}");
    }
    let npv: f64 = members
        .iter()
        .map(|m| m["npv_net_benefit"]["mean"].as_f64().unwrap())
        .sum();
    let region = json["region"]["npv_net_benefit"]["mean"].as_f64().unwrap();
    assert!(crate::close(npv, region), "{npv} vs {region}");
}

#[test]
fn every_mistake_in_a_key_per_component_is_reported_at_its_line() {
    let line_of = |text: &str| {
        TWO_SERVICES
            .lines()
            .position(|l| l.starts_with(text))
            .unwrap_or_else(|| panic!("test setup: {text}"))
            + 1
    };
    let mutate = |from: &str, to: &str| {
        assert!(TWO_SERVICES.contains(from), "test setup: {from}");
        parse(&TWO_SERVICES.replacen(from, to, 1))
    };
    let with_lines = |entry: &str| {
        let kinds_end = "infrastructure = { rule = \"equal\" }\n";
        TWO_SERVICES.replacen(kinds_end, &format!("{kinds_end}[keys.lines]\n{entry}\n"), 1)
    };
    let events =
        format!("{TWO_SERVICES}\n[[events]]\nkind = \"leave\"\nmember = \"9001\"\nyear = 2027\n");
    for (name, result, line) in [
        (
            "by_component_unknown_component",
            mutate("\"Licences\" = {", "\"Licence\" = {"),
            line_of("\"Licences\" = {"),
        ),
        (
            "by_component_unknown_kind",
            mutate("licence = { rule", "licenses = { rule"),
            line_of("licence = { rule"),
        ),
        (
            "by_component_kind_without_component",
            mutate("licence = { rule", "staffing = { rule"),
            line_of("licence = { rule"),
        ),
        (
            "by_component_game_rule",
            mutate(
                "infrastructure = { rule = \"equal\" }",
                "infrastructure = { rule = \"shapley\" }",
            ),
            line_of("infrastructure = { rule"),
        ),
        (
            "by_component_missing_default",
            mutate(
                "default = { rule = \"proportional\", driver = \"population\" }\n",
                "",
            ),
            line_of("[[keys]]"),
        ),
        (
            "by_component_nested",
            mutate(
                "default = { rule = \"proportional\"",
                "default = { rule = \"by_component\"",
            ),
            line_of("default = {"),
        ),
        (
            "by_component_top_level_driver",
            mutate(
                "rule = \"by_component\"\n",
                "rule = \"by_component\"\ndriver = \"users\"\n",
            ),
            line_of("rule = \"by_component\"") + 1,
        ),
        (
            "by_component_with_events",
            parse(&events),
            line_of("rule = \"by_component\""),
        ),
        (
            "by_component_unknown_line",
            parse(&with_lines("\"Service desks\" = { rule = \"equal\" }")),
            line_of("infrastructure = { rule") + 2,
        ),
        (
            "by_component_startup_line",
            parse(&with_lines("\"Project\" = { rule = \"equal\" }")),
            line_of("infrastructure = { rule") + 2,
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
    // A component whose own entry has an error is reported there only, not again as an
    // unknown name or a kind without a component under the key.
    let Err(one) = parse(&TWO_SERVICES.replacen(
        "kind = \"licence\"\ndriver = \"users\"",
        "kind = \"licence\"\ndriver = \"user\"",
        1,
    )) else {
        panic!("an unknown driver was accepted")
    };
    assert_eq!(one.0.len(), 1, "{one}");
    assert!(one.to_string().contains("unknown driver `user`"), "{one}");
    // Without any component rule the key is an ordinary key under another name.
    let Err(none) = parse(
        &TWO_SERVICES
            .replacen("[keys.components]\n\"Licences\" = { rule = \"proportional\", driver = \"users\" }\n", "", 1)
            .replacen("[keys.kinds]\nlicence = { rule = \"equal\" }\ninfrastructure = { rule = \"equal\" }\n", "", 1),
    ) else {
        panic!("a key per component without component rules was accepted")
    };
    assert!(
        none.to_string().contains("gives no rule for any component"),
        "{none}"
    );
}

/// The components' and lines' pooled running rows (`Model::pooled_component_row`,
/// `Model::pooled_line_row`) against the one-pass flows (`Model::draw_flows`), a second
/// computation of the same amounts: without assets, the pooled running cost of every year is
/// those rows plus the governance, in draws with uncertain inputs (an uncertain, growing line),
/// an IKS whose staff are transferred and held, and its pay levelling.
#[test]
fn component_and_line_rows_add_up_to_the_pooled_running_cost_of_the_flows() {
    use samkost_core::model::{DrawFlows, DrawValues};
    use samkost_core::sampling::SamplingMethod;
    use samkost_core::simulation::parameter_sample;
    let text = TWO_SERVICES
        .replacen(
            "fixed = 200000\n",
            "fixed = { dist = \"triangular\", min = 100000, mode = 200000, max = 400000 }\ngrowth = 0.02\n",
            1,
        )
        .replacen(
            "[transition]",
            "[[components]]\nname = \"IT staff\"\nkind = \"staffing\"\ndriver = \"users\"\n\n[organisation]\nmodel = \"iks\"\n\n[transition]",
            1,
        );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let model = &scenario.model;
    assert_eq!(model.components.len(), 3);
    let h = model.horizon_years;
    let m = model.parameters.len();
    assert!(m > 5, "uncertain inputs of the staff and the IKS");
    let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 5, 7).unwrap();
    let (mut v, mut flows) = (DrawValues::default(), DrawFlows::default());
    let mut row = vec![0.0; h];
    for params in sample.chunks(m) {
        model.evaluate(params, &mut v);
        model.draw_flows(&v, &mut flows);
        let mut sum = vec![v.organisation.governance; h];
        for c in 0..model.components.len() {
            model.pooled_component_row(&v, c, &mut row);
            for (s, r) in sum.iter_mut().zip(&row) {
                *s += r;
            }
        }
        // The start-up line's row is 0: it is no running cost.
        for l in 0..model.lines.len() {
            model.pooled_line_row(&v, l, &mut row);
            for (s, r) in sum.iter_mut().zip(&row) {
                *s += r;
            }
        }
        for (t, (s, p)) in sum.iter().zip(&flows.pooled[0]).enumerate() {
            assert!(close(*s, *p), "year {t}: {s} vs {p}");
        }
    }
}

/// A price list as the default rule, 100 NOK per inhabitant and no member fee, bills in
/// proportion to population: the same payments as the hand calculation above, and the key
/// reports no bills or settlements, which belong to a price list of the whole running cost.
#[test]
fn a_price_list_inside_a_key_per_component_shares_by_its_bills_and_bills_nothing() {
    let text = TWO_SERVICES.replacen(
        "default = { rule = \"proportional\", driver = \"population\" }",
        "default = { rule = \"price_list\", prices = { population = 100 } }",
        1,
    );
    let json = run_json(&text, "20");
    let key = crate::key(&json, "per service");
    assert_eq!(key["rule"]["kind"], "price_list");
    for (i, m) in key["members"].as_array().unwrap().iter().enumerate() {
        let pay = &m["yearly_payments"];
        assert!(pay["billed"].is_null() && pay["settlement"].is_null());
        let running = numbers(&pay["to_cooperation_running"]);
        assert!(running.iter().all(|r| close(*r, RUNNING[i])), "{running:?}");
    }
}

/// A pooled running line with a rule of its own: the service desk's 200,000 a year split
/// equally instead of by population. Each member pays a year A 105,000 + 433,333.33 + 66,666.67
/// = 605,000, B 315,000 + 433,333.33 + 66,666.67 = 815,000, C 630,000 + 433,333.33 + 66,666.67 =
/// 1,130,000 (2,550,000 in all).
#[test]
fn a_pooled_line_with_a_rule_of_its_own_is_split_by_it() {
    let kinds_end = "infrastructure = { rule = \"equal\" }\n";
    let text = TWO_SERVICES.replacen(
        kinds_end,
        &format!("{kinds_end}[keys.lines]\n\"Service desk\" = {{ rule = \"equal\" }}\n"),
        1,
    );
    let json = run_json(&text, "20");
    let key = crate::key(&json, "per service");
    let parts = key["components"].as_array().unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2]["line"], "Service desk");
    assert!(parts[2]["component"].is_null());
    for (m, expected) in
        key["members"]
            .as_array()
            .unwrap()
            .iter()
            .zip([605_000.0, 815_000.0, 1_130_000.0])
    {
        let running = numbers(&m["yearly_payments"]["to_cooperation_running"]);
        assert!(running.iter().all(|r| close(*r, expected)), "{running:?}");
    }
}

/// The report names each part's rule and then the rest's, in both languages.
#[test]
fn the_report_says_the_rule_of_each_part() {
    for (lang, expected) in [
        (
            "en",
            "per service — Licences: by users; Servers: equal split; the rest: by population; start-up costs: equal split",
        ),
        (
            "nb",
            "per tjeneste — Licences: etter users; Servers: lik fordeling; resten: etter innbyggertall; oppstartskostnader: lik fordeling",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, TWO_SERVICES).unwrap();
        let out = dir.path().join("out");
        crate::succeed(
            Command::new(env!("CARGO_BIN_EXE_samkost"))
                .arg("run")
                .arg(&path)
                .args(["--sobol", "0", "--lang", lang, "--out"])
                .arg(&out),
        );
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(html.contains(expected), "{lang}: {expected}");
    }
}

/// The reference running shares (docs/MODEL.md §5c) of the hand calculation: with every input
/// fixed, each member's running payment over the pooled running cost, 563,333.33 / 2,550,000
/// and so on; the start-up shares are the start-up rule's.
#[test]
fn reference_shares_are_the_shares_of_the_running_costs_npv() {
    let scenario = parse(TWO_SERVICES).unwrap_or_else(|d| panic!("{d}"));
    let (keys, _) = samkost_core::simulation::resolve_keys(
        &scenario.model,
        &scenario.keys,
        1,
        &scenario.planning,
    )
    .unwrap();
    let per_service = &keys[0];
    assert!(per_service.components.is_some() && keys[1].components.is_none());
    for (i, running) in RUNNING.iter().enumerate() {
        assert!(close(per_service.shares[0][i], running / 2_550_000.0));
        assert!(close(per_service.shares[1][i], 1.0 / 3.0));
    }
}
