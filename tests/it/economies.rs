//! The economies model: components, transition, organisation, cash and budget views, each
//! against a hand calculation.

use samkost::scenario::Scenario;
use samkost_core::allocation::ResolvedKey;
use samkost_core::model::DrawValues;
use samkost_core::simulation::{NoProgress, RunConfig, RunResults, run};

use crate::parse;

/// Every parameter at its mean (all are fixed in these scenarios except unused defaults).
fn values(scenario: &Scenario) -> DrawValues {
    let params: Vec<f64> = scenario
        .model
        .parameters
        .iter()
        .map(|p| p.distribution.mean())
        .collect();
    let mut v = DrawValues::default();
    scenario.model.evaluate(&params, &mut v);
    v
}

fn simulate(scenario: &Scenario, n_draws: u64) -> RunResults {
    let keys: Vec<ResolvedKey> = samkost_core::simulation::resolve_keys(
        &scenario.model,
        &scenario.keys,
        1,
        &scenario.planning,
    )
    .expect("valid keys")
    .0;
    run(
        &scenario.model,
        &keys,
        &RunConfig {
            n_draws,
            seed: 3,
            stability_draws: 0,
            band_draws: 0,
            sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
            max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
            accounts: false,
            detailed: true,
        },
        &NoProgress,
    )
    .unwrap()
}

/// Two members, one infrastructure component, everything fixed.
const HEAD: &str = r#"name = "Components by hand"
first_year = 2026
horizon_years = 3
operation_start = 2027
discount_rate = 0.04
members = ["1517", "1514"]

[drivers]
users = { per_inhabitant = 0.1 }

[[keys]]
name = "equal"
rule = "equal"
"#;

const INFRA: &str = r#"
[[components]]
name = "Infra"
kind = "infrastructure"
driver = "users"
fixed = 400000
unit_cost = 1000
reference = 1000
exponent = 0.5

[organisation]
model = "host"
governance = 100000

[transition]
parallel_months = 0
"#;

#[test]
fn deterministic_component_scenario_matches_hand_calculation() {
    // Hareid 5,322 and Sande 2,438 inhabitants → 532.2 and 243.8 users.
    // Alone: F + u·R·(D/R)^β = 400,000 + 1,000·1,000·√0.5322 = 1,129,520.39 (Hareid),
    //        400,000 + 1,000,000·√0.2438 = 893,761.08 (Sande).
    // Together from 2027: 400,000 + 1,000,000·√0.776 + governance 100,000 = 1,380,908.62.
    // 2026: both still alone, governance already paid: region net −100,000.
    // NPV = −100,000/1.04 + (2,023,281.47 − 1,380,908.62)·(1.04^−2 + 1.04^−3) = 1,068,823.08.
    let scenario = parse(&format!("{HEAD}{INFRA}")).unwrap_or_else(|d| panic!("{d}"));
    let results = simulate(&scenario, 2);
    let hareid = 400_000.0 + 1e6 * 0.5322f64.sqrt();
    let sande = 400_000.0 + 1e6 * 0.2438f64.sqrt();
    let together = 400_000.0 + 1e6 * 0.776f64.sqrt() + 100_000.0;
    let npv =
        -100_000.0 / 1.04 + (hareid + sande - together) * (1.04f64.powi(-2) + 1.04f64.powi(-3));
    assert_eq!(npv.round(), 1_068_823.0);
    assert_eq!(results.region_npv.mean.round(), 1_068_823.0);
}

#[test]
fn parallel_operation_runs_on_into_the_next_year() {
    // 18 months at half the old cost: 0.5·12/12 of each member's standalone infrastructure
    // cost in 2027 and 0.5·6/12 in 2028.
    let text = format!(
        "{HEAD}{}",
        INFRA.replace(
            "parallel_months = 0",
            "parallel_months = 18\nparallel_share = 0.5"
        )
    );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let model = &scenario.model;
    let v = values(&scenario);
    let alone: f64 = (0..2)
        .map(|i| model.coalition_cost(&v, &[i], 1).iter().sum::<f64>())
        .sum();
    let base = parse(&format!("{HEAD}{INFRA}")).unwrap();
    let vb = values(&base);
    let with = |year| model.coalition_cost(&v, &[0, 1], year);
    let without = |year| base.model.coalition_cost(&vb, &[0, 1], year);
    assert!((with(1)[1] - without(1)[1] - 0.5 * alone).abs() < 1e-6);
    assert!((with(2)[1] - without(2)[1] - 0.25 * alone).abs() < 1e-6);
    assert_eq!(with(0), without(0));
}

#[test]
fn cash_and_budget_views_differ_exactly_by_the_accounting_items() {
    // Assets: 300/inh book value with 2 years left, replaced at 600/inh for 3 years, resale 10 %,
    // shared platform at 50 % of the members' replacement. Region: 7,760 inhabitants.
    // Budget − cash by year (alone − cooperation − pooled platform):
    //  2026: dep 1,164,000 − 1,164,000 = 0
    //  2027: dep 1,164,000 − write-off 1,164,000 = 0
    //  2028: (dep 1,552,000 − reinvestment 4,656,000) − 0 = −3,104,000
    //  2029: 1,552,000
    //  2030: 1,552,000 − (dep 776,000 − platform 2,328,000) = 3,104,000
    //  2031: before residual values −3,104,000 − 776,000 = −3,880,000; the book values left
    //        at the end of 2031 are 2/3 of the members' 2031 replacement (3,104,000) and 2/3 of
    //        the platform bought in 2030 (1,552,000 − 776,000 = 776,000), both depreciated in
    //        the budget, so the budget's residual items are +3,104,000 − 776,000: −1,552,000.
    let text = format!(
        "{}{}\n[assets]\nbook_value = 300\nvintages = \"single\"\nremaining_life = 2\nreplacement = 600\nlife = 3\nresale_share = 0.1\npooled_replacement_share = 0.5\n",
        HEAD.replace("horizon_years = 3", "horizon_years = 6"),
        INFRA
    );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let results = simulate(&scenario, 2);
    let expected = [
        0.0,
        0.0,
        -3_104_000.0,
        1_552_000.0,
        3_104_000.0,
        -1_552_000.0,
    ];
    for (t, want) in expected.iter().enumerate() {
        let (cash, budget) = results.mean_flows.region_net_benefit(t);
        assert!(
            (budget - cash - want).abs() < 1e-6,
            "year {t}: {} vs {want}",
            budget - cash
        );
    }
    // The cash view sees the resale (−116,400 cost) in 2027 and the platform in 2030.
    let base = simulate(
        &parse(&format!(
            "{}{}",
            HEAD.replace("horizon_years = 3", "horizon_years = 6"),
            INFRA
        ))
        .unwrap(),
        2,
    );
    let diff =
        |t| results.mean_flows.region_net_benefit(t).0 - base.mean_flows.region_net_benefit(t).0;
    assert!((diff(1) - 116_400.0).abs() < 1e-6);
    assert!((diff(2) - 4_656_000.0).abs() < 1e-6);
    assert!((diff(4) + 2_328_000.0).abs() < 1e-6);
    // 2031: the members' replacement 4,656,000 less its residual value 3,104,000, and the
    // platform's residual value 776,000 credited to the cooperation: 2,328,000.
    assert!((diff(5) - 2_328_000.0).abs() < 1e-6);
    // Without residual values the last year is the replacement alone.
    let off = simulate(
        &parse(&text.replace(
            "pooled_replacement_share = 0.5\n",
            "pooled_replacement_share = 0.5\nresidual_value = false\n",
        ))
        .unwrap_or_else(|d| panic!("{d}")),
        2,
    );
    let off_diff = off.mean_flows.region_net_benefit(5).0 - base.mean_flows.region_net_benefit(5).0;
    assert!((off_diff - 4_656_000.0).abs() < 1e-6);
    let (cash, budget) = off.mean_flows.region_net_benefit(5);
    assert!((budget - cash + 3_880_000.0).abs() < 1e-6);
}

#[test]
fn residual_value_of_an_asset_bought_two_years_before_the_end() {
    // One member alone-vs-together is not needed: a member's standalone flows carry its own
    // assets. Hareid, 5,322 inhabitants, no book value, replacement 1,000 NOK per inhabitant
    // (5,322,000) with a five-year life and 3 years of remaining life: replaced in 2029, the
    // fourth year of a five-year horizon, i.e. two years before it ends. Its book value at the
    // end of 2030 is 3/5 of 5,322,000 = 3,193,200 (DFØ's restverdi), a credit in 2030.
    let text = format!(
        "{}{}\n[assets]\nbook_value = 0\nvintages = \"single\"\nremaining_life = 3\nreplacement = 1000\nlife = 5\nresale_share = 0\npooled_replacement_share = 0.5\n",
        HEAD.replace("horizon_years = 3", "horizon_years = 5"),
        INFRA
    );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let v = values(&scenario);
    let base = parse(&format!(
        "{}{}",
        HEAD.replace("horizon_years = 3", "horizon_years = 5"),
        INFRA
    ))
    .unwrap();
    let vb = values(&base);
    let alone = |t| {
        scenario.model.coalition_cost(&v, &[0], t)[0] - base.model.coalition_cost(&vb, &[0], t)[0]
    };
    assert!((alone(3) - 5_322_000.0).abs() < 1e-6);
    assert!((alone(4) + 0.6 * 5_322_000.0).abs() < 1e-6);
    // Together from 2027 the platform (0.5 · 1,000 · 7,760 = 3,880,000) bought by the project
    // for 2027 has 1/5 of its life left at the end of 2030: 776,000.
    let together = |t| {
        scenario.model.coalition_cost(&v, &[0, 1], t)[0]
            - base.model.coalition_cost(&vb, &[0, 1], t)[0]
    };
    assert!((together(4) + 776_000.0).abs() < 1e-6);
}

const STAFF: &str = r#"
[[components]]
name = "Staff"
kind = "staffing"
driver = "users"
critical_mass = 2
fte_at_reference = 4
reference = 1000
exponent = 0.8
salary = 880000
premium_max = 0
premium_half_fte = 3
retained_share = 0
retained_floor = 0

[transition]
parallel_months = 0
"#;

#[test]
fn transferred_staff_fall_only_by_attrition() {
    // Alone: Hareid max(2, 4·0.5322^0.8) = 2.4235 FTE, Sande max(2, 4·0.2438^0.8) = 2 FTE:
    // 4.4235 FTE transferred to the IKS. The pooled target is 4·0.776^0.8 = 3.3124 FTE.
    // With 10 % attrition the IKS holds 4.4235, 3.9812, 3.5830 FTE in its first three years,
    // then the target (3.2247 < 3.3124).
    let iks = format!(
        "{}{STAFF}\n[organisation]\nmodel = \"iks\"\ngovernance = 0\npay_levelling = 0\npension_premium_change = 0\npension_one_off = 0\nattrition_rate = 0.1\n",
        HEAD.replace("horizon_years = 3", "horizon_years = 6")
    );
    // With redundancies allowed the staff fall to the pooled curve at once.
    let host = iks
        .replace("model = \"iks\"", "model = \"host\"")
        .replace("attrition_rate = 0.1\n", "redundancies = true\n");
    let (iks, host) = (
        parse(&iks).unwrap_or_else(|d| panic!("{d}")),
        parse(&host).unwrap_or_else(|d| panic!("{d}")),
    );
    let fte_cost = 880_000.0 * 1.141;
    let transferred = 4.0 * 0.5322f64.powf(0.8) + 2.0;
    let target = 4.0 * 0.776f64.powf(0.8);
    for (year, held) in [
        (1, transferred),
        (2, transferred * 0.9),
        (3, transferred * 0.81),
        (4, target),
    ] {
        let v = values(&iks);
        let got = iks.model.coalition_cost(&v, &[0, 1], year)[0];
        assert!(
            (got - held * fte_cost).abs() < 1e-3,
            "year {year}: {got} vs {}",
            held * fte_cost
        );
        let vh = values(&host);
        let host_cost = host.model.coalition_cost(&vh, &[0, 1], year)[0];
        assert!((host_cost - target * fte_cost).abs() < 1e-3);
    }
}

/// Two members whose staff alone are held at the critical mass of 5 FTE each (workload
/// `6 · D_i / 776` is 4.115 for Hareid and 1.885 for Sande), pooled at the workload of the
/// region's 776 users: `6 · 776/776 = 6` FTE. Salary 880,000, payroll tax 14.1 %, no premium,
/// no scope growth.
const TEN_TO_SIX: &str = r#"
[[components]]
name = "Staff"
kind = "staffing"
driver = "users"
critical_mass = 5
fte_at_reference = 6
reference = 776
exponent = 1
salary = 880000
premium_max = 0
premium_half_fte = 3
retained_share = 0
retained_floor = 0

[transition]
parallel_months = 0
"#;

#[test]
fn ten_transferred_staff_with_a_target_of_six_hold_as_people_leave() {
    // FTE_t = max(6, 10 · 0.9^(t − 2027)): 10, 9, 8.1, 7.29, 6.561, then 6 (5.905 < 6), for
    // every organisation in which staff move; outsourcing and redundancies: 6 at once.
    let head = HEAD.replace("horizon_years = 3", "horizon_years = 7");
    let fte_cost = 880_000.0 * 1.141;
    let expected = [10.0, 9.0, 8.1, 7.29, 6.561, 6.0];
    for model in ["host", "joint_body", "iks", "as"] {
        let text = format!(
            "{head}{TEN_TO_SIX}\n[organisation]\nmodel = \"{model}\"\ngovernance = 0\npay_levelling = 0\npension_premium_change = 0\npension_one_off = 0\nattrition_rate = 0.1\n"
        );
        let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
        let v = values(&scenario);
        for (k, fte) in expected.iter().enumerate() {
            let got = scenario.model.coalition_cost(&v, &[0, 1], k + 1)[0];
            assert!(
                (got - fte * fte_cost).abs() < 1e-6,
                "{model}, year {}: {} FTE instead of {fte}",
                k + 1,
                got / fte_cost
            );
        }
    }
    let free = parse(&format!(
        "{head}{TEN_TO_SIX}\n[organisation]\nmodel = \"iks\"\ngovernance = 0\npay_levelling = 0\npension_premium_change = 0\npension_one_off = 0\nredundancies = true\n"
    ))
    .unwrap_or_else(|d| panic!("{d}"));
    let v = values(&free);
    assert!((free.model.coalition_cost(&v, &[0, 1], 1)[0] - 6.0 * fte_cost).abs() < 1e-6);
}

#[test]
fn each_member_keeps_a_retained_role_at_its_own_wage() {
    // ρ = 0.1 and a floor of 0.8 FTE: each member alone has 5 FTE, so it keeps
    // max(0.8, 0.5) = 0.8 FTE at 880,000 · 1.141 and transfers 4.2; the IKS holds 8.4 FTE in
    // its first year (above the target of 6) and 8.4 · 0.9 = 7.56 in its second.
    let head = HEAD.replace("horizon_years = 3", "horizon_years = 4");
    let text = format!(
        "{head}{}\n[organisation]\nmodel = \"iks\"\ngovernance = 0\npay_levelling = 0\npension_premium_change = 0\npension_one_off = 0\nattrition_rate = 0.1\n",
        TEN_TO_SIX.replace(
            "retained_share = 0\nretained_floor = 0",
            "retained_share = 0.1\nretained_floor = 0.8"
        )
    );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let v = values(&scenario);
    let fte_cost = 880_000.0 * 1.141;
    let mut flows = samkost_core::model::CoalitionFlows::default();
    let mut scratch = samkost_core::model::Scratch::default();
    for (year, pooled_fte) in [(1, 8.4), (2, 7.56)] {
        scenario
            .model
            .coalition_flows(&v, &[0, 1], year, &mut scratch, &mut flows);
        assert!(
            (flows.pooled[0] - pooled_fte * fte_cost).abs() < 1e-6,
            "year {year}"
        );
        for direct in &flows.direct[0] {
            assert!((direct - 0.8 * fte_cost).abs() < 1e-6);
        }
    }
    // Alone, and before pooling, no retained role: each member pays its 5 FTE.
    scenario
        .model
        .coalition_flows(&v, &[0, 1], 0, &mut scratch, &mut flows);
    assert!((flows.direct[0][0] - 5.0 * fte_cost).abs() < 1e-6);
    assert!((scenario.model.coalition_cost(&v, &[1], 2)[0] - 5.0 * fte_cost).abs() < 1e-6);
}

#[test]
fn in_house_rule_warns_above_twenty_percent_external_sales() {
    let base =
        format!("{HEAD}{STAFF}\n[organisation]\nmodel = \"iks\"\nexternal_sales_share = 0.25\n");
    let warned = parse(&base).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(warned.warnings.len(), 1);
    assert!(
        warned.warnings[0].message.contains("20 %"),
        "{}",
        warned.warnings[0].message
    );
    assert!(
        parse(&base.replace("0.25", "0.15"))
            .unwrap()
            .warnings
            .is_empty()
    );
    assert!(
        parse(&base.replace("\"iks\"", "\"host\""))
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn pooling_transition_costs_moves_them_between_members_not_in_total() {
    let own = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let pooled = parse(
        &samkost::scenario::DEFAULT_SCENARIO.replace("costs = \"own\"", "costs = \"pooled\""),
    )
    .unwrap();
    assert!(pooled.model.pool_transition_costs && !own.model.pool_transition_costs);
    let (a, b) = (simulate(&own, 300), simulate(&pooled, 300));
    for d in 0..300 {
        assert!((a.draw_region_npv(d).unwrap() - b.draw_region_npv(d).unwrap()).abs() < 1e-3);
    }
    // Under the equal key, Sande (small) pays more when transition costs are pooled.
    let sande = 2;
    assert!(
        b.keys[0].members[sande].npv_net_benefit.mean
            < a.keys[0].members[sande].npv_net_benefit.mean
    );
}

#[test]
fn outsourcing_prices_pooled_components_at_cost_times_margin() {
    // Supplier efficiency 0.9, margin 10 %: pooled infrastructure at 0.99 of its own cost.
    let text = format!(
        "{HEAD}{}",
        INFRA.replace(
            "model = \"host\"\ngovernance = 100000",
            "model = \"outsourcing\"\ngovernance = 0\nsupplier_efficiency = 0.9\nmargin = 0.1"
        )
    );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let v = values(&scenario);
    let got = scenario.model.coalition_cost(&v, &[0, 1], 1)[0];
    let own = 400_000.0 + 1e6 * 0.776f64.sqrt();
    assert!((got - 0.99 * own).abs() < 1e-6, "{got}");
}

#[test]
fn a_remaining_life_for_spread_assets_is_refused_with_the_fix() {
    // Spread vintages (the default) have no single remaining life: giving one is an error
    // that names the field and both ways out.
    let text = format!("{HEAD}{INFRA}\n[assets]\nremaining_life = 3\n");
    let err = parse(&text).unwrap_err().to_string();
    assert!(
        err.contains("`remaining_life` of [assets] applies to one vintage only"),
        "{err}"
    );
    assert!(err.contains("vintages = \"single\""), "{err}");
    let single = format!("{HEAD}{INFRA}\n[assets]\nvintages = \"single\"\nremaining_life = 3\n");
    parse(&single).unwrap_or_else(|d| panic!("{d}"));
}

/// Each member's cost alone and the grand coalition's cost, as `Model::evaluate` computes them
/// for a draw (the economies of scale as `exp(β · ln(D/R))`, the logarithms kept in the draw's
/// buffers, docs/MODEL.md §4a), equal `Component::buyer_cost` of the same buyer (the power by
/// `powf`) within 1e-13 relative, on random draws of two scenarios; and a buffer that held the
/// other scenario's draw first gives the same values to the bit as a fresh one (the kept
/// logarithms are taken again when the loads change).
#[test]
fn costs_alone_and_together_are_the_buyers_costs() {
    use samkost_core::model::{Buyer, BuyerCost};
    use samkost_core::sampling::SamplingMethod;
    use samkost_core::simulation::parameter_sample;
    let scenarios = [
        parse(samkost::scenario::DEFAULT_SCENARIO).unwrap(),
        parse(include_str!("../../scenarios/hamar-region.toml")).unwrap(),
    ];
    let close = |got: BuyerCost, want: BuyerCost, what: &str| {
        for (g, w) in [(got.nok, want.nok), (got.fte, want.fte)] {
            assert!(
                (g - w).abs() <= 1e-13 * w.abs().max(1.0),
                "{what}: {g} vs {w}"
            );
        }
    };
    let mut reused = DrawValues::default();
    for (s, scenario) in scenarios.iter().enumerate() {
        let model = &scenario.model;
        let other = &scenarios[1 - s].model;
        let n = model.n_members();
        let m = model.parameters.len();
        let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 3, 11).unwrap();
        let other_params: Vec<f64> = other
            .parameters
            .iter()
            .map(|p| p.distribution.mean())
            .collect();
        for params in sample.chunks(m.max(1)) {
            let mut v = DrawValues::default();
            model.evaluate(params, &mut v);
            other.evaluate(&other_params, &mut reused);
            model.evaluate(params, &mut reused);
            for (c, component) in model.components.iter().enumerate() {
                let values = &v.components[c];
                let load = |i: usize| model.drivers.values(component.driver)[i];
                let connection = |i: usize| {
                    component
                        .connection_driver()
                        .map_or(0.0, |d| model.drivers.values(d)[i])
                };
                for i in 0..n {
                    let calibrated = model
                        .calibrations
                        .iter()
                        .any(|k| k.component == c && k.member == i);
                    if calibrated {
                        continue;
                    }
                    let buyer = Buyer {
                        load: load(i),
                        connection_load: connection(i),
                        coordinated: false,
                        payroll_tax: model.member_payroll_tax[i],
                    };
                    let what = format!("{}: {} alone", scenario.name, component.name);
                    close(values.alone[i], component.buyer_cost(values, buyer), &what);
                }
                let grand = Buyer {
                    load: (0..n).map(load).sum(),
                    connection_load: (0..n).map(connection).sum(),
                    coordinated: true,
                    payroll_tax: model.organisation.payroll_tax,
                };
                let what = format!("{}: {} together", scenario.name, component.name);
                close(values.grand, component.buyer_cost(values, grand), &what);
                let again = &reused.components[c];
                for (a, b) in again
                    .alone
                    .iter()
                    .chain([&again.grand])
                    .zip(values.alone.iter().chain([&values.grand]))
                {
                    assert_eq!(a.nok.to_bits(), b.nok.to_bits(), "{what}: reused buffer");
                }
            }
        }
    }
}
