//! The model and the Monte Carlo driver against hand calculations and identities.

use samkost::scenario::Scenario;
use samkost_core::allocation::ResolvedKey;
use samkost_core::simulation::{NoProgress, RunConfig, RunResults, run};

use crate::{BASE, parse};

fn simulate(scenario: &Scenario, n_draws: u64, seed: u64) -> (Vec<ResolvedKey>, RunResults) {
    let keys: Vec<ResolvedKey> = samkost_core::simulation::resolve_keys(
        &scenario.model,
        &scenario.keys,
        1,
        &scenario.planning,
    )
    .expect("valid keys")
    .0;
    let results = run(
        &scenario.model,
        &keys,
        &RunConfig {
            n_draws,
            seed,
            stability_draws: 200,
            band_draws: 0,
            sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
            max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
            accounts: false,
            detailed: true,
        },
        &NoProgress,
    )
    .unwrap();
    (keys, results)
}

#[test]
fn member_net_benefits_add_up_to_the_region_in_every_draw() {
    for scenario in [
        parse(BASE).unwrap(),
        parse(samkost::scenario::DEFAULT_SCENARIO).unwrap(),
    ] {
        let (keys, results) = simulate(&scenario, 1000, 11);
        let n = scenario.model.n_members();
        for draw in 0..1000 {
            let region = results.draw_region_npv(draw).unwrap();
            for k in 0..keys.len() {
                let sum: f64 = (0..n)
                    .map(|i| results.draw_member_npv(k, i, draw).unwrap())
                    .sum();
                // Rounding only: relative 1e-9 of the region's gross flows.
                let tolerance = 1e-9 * (1.0 + region.abs()) * 1e3;
                assert!(
                    (sum - region).abs() < tolerance,
                    "draw {draw}, key {k}: {sum} vs {region}"
                );
            }
        }
    }
}

/// A deterministic scenario whose NPV is computed by hand.
///
/// Two members, A (1517 Hareid, 5,322 inhabitants) and B (1514 Sande, 2,438). Years 2026–2030,
/// flat 4 %, cash flows at the end of each year (year index t discounted by 1.04^-(t+1)).
/// Alone: each pays 300,000 + 1,000 per inhabitant per year → A 5,622,000, B 2,738,000.
/// Together from 2027: pooled 500,000 + 800 per inhabitant = 500,000 + 800·7,760 = 6,708,000.
/// Start-up 2026: pooled 1,000,000 once. In 2026 both keep their own costs.
/// Region net by year: 2026: −1,000,000; 2027–2030: 8,360,000 − 6,708,000 = 1,652,000.
/// NPV = −1,000,000/1.04 + 1,652,000·(1.04^-2 + 1.04^-3 + 1.04^-4 + 1.04^-5)
///     = −961,538.46 + 1,652,000 · 3.4902839 = 4,804,410.49 (to the krone: 4,804,410).
/// Under the equal key A pays 3,354,000 + 500,000 start-up, B the same:
/// A net NPV = −500,000/1.04 + (5,622,000 − 3,354,000)·3.4902839 = 7,435,194.59.
pub const HAND: &str = r#"name = "Hand calculation"
first_year = 2026
horizon_years = 5
operation_start = 2027
discount_rate = 0.04
members = ["1517", "1514"]

[[lines]]
name = "Own"
occurs = "alone"
basis = "per_member"
fixed = 300000
per = { population = 1000 }

[[lines]]
name = "Shared"
occurs = "together"
start = 2027
fixed = 500000
per = { population = 800 }

[[lines]]
name = "Project"
category = "startup"
occurs = "together"
year = 2026
fixed = 1000000

[[keys]]
name = "equal"
rule = "equal"
"#;

#[test]
fn deterministic_scenario_matches_hand_calculation() {
    let scenario = parse(HAND).unwrap_or_else(|d| panic!("{d}"));
    let (_, results) = simulate(&scenario, 3, 1);
    let annuity: f64 = (2..=5).map(|k| 1.04f64.powi(-k)).sum();
    let region = -1_000_000.0 / 1.04 + 1_652_000.0 * annuity;
    assert_eq!(region.round(), 4_804_410.0);
    assert!(
        (results.region_npv.mean - region).abs() < 0.5,
        "{}",
        results.region_npv.mean
    );
    let hareid = -500_000.0 / 1.04 + (5_622_000.0 - 3_354_000.0) * annuity;
    assert_eq!(hareid.round(), 7_435_195.0);
    let got = results.keys[0].members[0].npv_net_benefit;
    assert!(
        (got.p50 - hareid).abs() < 0.5 && got.p10 == got.p90,
        "{got:?}"
    );
    // Sande pays half although it is the smaller member: it loses.
    assert_eq!(results.keys[0].members[1].p_win.p, 0.0);
    // Hareid is behind after the project year and ahead from 2027 on.
    assert_eq!(
        results.keys[0].members[0].p_ahead_by_year,
        vec![0.0, 1.0, 1.0, 1.0, 1.0]
    );
    assert_eq!(results.keys[0].members[0].payback_year, [Some(1); 3]);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let three = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let a = one.install(|| simulate(&scenario, 3000, 5).1);
    let b = three.install(|| simulate(&scenario, 3000, 5).1);
    assert_eq!(a, b);
}

#[test]
fn first_draws_do_not_depend_on_the_number_of_draws() {
    // Draw d uses random stream d, so a longer run extends a shorter one.
    let scenario = parse(BASE).unwrap();
    let (_, short) = simulate(&scenario, 700, 9);
    let (_, long) = simulate(&scenario, 1500, 9);
    for d in 0..700 {
        assert_eq!(
            short.draw_region_npv(d).unwrap(),
            long.draw_region_npv(d).unwrap()
        );
    }
}

#[test]
fn standalone_cost_is_the_singleton_coalition_cost() {
    use samkost_core::model::{DrawValues, YearFlows, YearScratch};
    for text in [samkost::scenario::DEFAULT_SCENARIO, BASE] {
        let scenario = parse(text).unwrap();
        let model = &scenario.model;
        let params: Vec<f64> = model
            .parameters
            .iter()
            .map(|p| p.distribution.mean())
            .collect();
        let mut values = DrawValues::default();
        model.evaluate(&params, &mut values);
        let mut flows = YearFlows::default();
        let mut scratch = YearScratch::default();
        let all: Vec<usize> = (0..model.n_members()).collect();
        for year in 0..model.horizon_years {
            model.year_flows(&values, year, &mut scratch, &mut flows);
            for i in 0..model.n_members() {
                let alone: f64 = model.coalition_cost(&values, &[i], year).iter().sum();
                assert!((alone - flows.standalone[i]).abs() < 1e-6 * alone.abs().max(1.0));
            }
            let grand: f64 = model.coalition_cost(&values, &all, year).iter().sum();
            let total = flows.cooperation.total();
            assert!(
                (grand - total).abs() < 1e-6 * grand.abs().max(1.0),
                "year {year}"
            );
        }
    }
}

/// The Monte Carlo's one-pass flows (`Model::draw_flows`) equal the year-by-year flows of the
/// singleton and grand coalitions (`Model::coalition_flows`), item by item, on random draws of
/// every shipped scenario (the Hamar scenario has an IKS with staff held by attrition and
/// pooled transition costs).
#[test]
fn one_pass_flows_equal_the_coalition_flows_of_every_year() {
    use samkost_core::model::{DrawFlows, DrawValues, YearFlows, YearScratch};
    use samkost_core::sampling::SamplingMethod;
    use samkost_core::simulation::parameter_sample;
    let texts = [
        samkost::scenario::DEFAULT_SCENARIO,
        include_str!("../../scenarios/hamar-region.toml"),
        include_str!("../../scenarios/ssikt-bottom-up.toml"),
        BASE,
    ];
    for text in texts {
        let scenario = parse(text).unwrap();
        let model = &scenario.model;
        let m = model.parameters.len();
        let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 5, 11).unwrap();
        let (n, h) = (model.n_members(), model.horizon_years);
        for params in sample.chunks(m.max(1)).take(5) {
            let mut values = DrawValues::default();
            model.evaluate(params, &mut values);
            let mut one_pass = DrawFlows::default();
            model.draw_flows(&values, &mut one_pass);
            let mut flows = YearFlows::default();
            let mut scratch = YearScratch::default();
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
            for t in 0..h {
                model.year_flows(&values, t, &mut scratch, &mut flows);
                let coop = &flows.cooperation;
                for i in 0..n {
                    let at = i * h + t;
                    assert!(
                        close(one_pass.standalone[at], flows.standalone[i]),
                        "{t} {i}"
                    );
                    assert!(close(
                        one_pass.accounting_alone[at],
                        flows.accounting_alone[i]
                    ));
                    assert!(close(one_pass.direct[0][at], coop.direct[0][i]), "{t} {i}");
                    assert!(close(one_pass.direct[1][at], coop.direct[1][i]), "{t} {i}");
                    assert!(close(one_pass.accounting_coop[at], coop.accounting[i]));
                }
                assert!(close(one_pass.pooled[0][t], coop.pooled[0]), "year {t}");
                assert!(close(one_pass.pooled[1][t], coop.pooled[1]), "year {t}");
                assert!(close(one_pass.pooled_accounting[t], coop.pooled_accounting));
            }
        }
    }
}
