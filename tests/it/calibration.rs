//! Baselines from the accounts: a member's actual cost of a component scales its standalone
//! curve by `k = actual / modelled` (docs/MODEL.md, "Baselines from the accounts").

use samkost_core::model::{DrawFlows, DrawValues, YearFlows, YearScratch};
use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::parameter_sample;

use crate::parse;

const BOTTOM_UP: &str = include_str!("../../scenarios/ssikt-bottom-up.toml");
const MEMBERS: &str = r#"members = ["1517", "1515", "1514", "1516", "1511", "1577", "1520"]"#;
const SERVERS: &str = "Servers, storage and network";

/// The bottom-up scenario with member 1515 (index 1) given `extra` in its table.
fn with_member(extra: &str) -> String {
    assert!(BOTTOM_UP.contains(MEMBERS));
    let members = format!(
        r#"members = ["1517", {{ id = "1515", {extra} }}, "1514", "1516", "1511", "1577", "1520"]"#
    );
    BOTTOM_UP.replace(MEMBERS, &members)
}

/// The servers component's index and member 1515's modelled cost of it alone at the medians.
fn servers_of_1515(model: &samkost_core::model::Model) -> (usize, f64) {
    let c = model
        .components
        .iter()
        .position(|c| c.name == SERVERS)
        .unwrap();
    (c, crate::at_medians(model).components[c].alone[1].nok)
}

/// The issue's closed form: a member whose actual cost is twice its modelled cost has k = 2
/// and twice the standalone cost of that component in every draw; the others are unchanged.
#[test]
fn twice_the_modelled_cost_gives_k_2_and_twice_the_standalone_cost() {
    let plain = parse(BOTTOM_UP).unwrap();
    let (c, modelled) = servers_of_1515(&plain.model);
    let text = with_member(&format!(
        r#"actual_cost = {{ "{SERVERS}" = {} }}"#,
        2.0 * modelled
    ));
    let calibrated = parse(&text).unwrap();
    let k = &calibrated.model.calibrations;
    assert_eq!(k.len(), 1);
    assert!((k[0].cost - 2.0).abs() < 1e-12, "{}", k[0].cost);
    let m = plain.model.parameters.len();
    let sample = parameter_sample(&plain.model, SamplingMethod::MonteCarlo, 3, 5).unwrap();
    for params in sample.chunks(m).take(3) {
        let (mut a, mut b) = (DrawValues::default(), DrawValues::default());
        plain.model.evaluate(params, &mut a);
        calibrated.model.evaluate(params, &mut b);
        for (j, (x, y)) in a.components.iter().zip(&b.components).enumerate() {
            for i in 0..plain.model.n_members() {
                let factor = if (j, i) == (c, 1) { 2.0 } else { 1.0 };
                assert!((y.alone[i].nok - factor * x.alone[i].nok).abs() <= 1e-9 * y.alone[i].nok);
            }
        }
        // The member's standalone flow rises by exactly the component's modelled cost alone.
        let (mut fa, mut fb) = (DrawFlows::default(), DrawFlows::default());
        plain.model.draw_flows(&a, &mut fa);
        calibrated.model.draw_flows(&b, &mut fb);
        let h = plain.model.horizon_years;
        for t in 0..h {
            let rise = fb.standalone[h + t] - fa.standalone[h + t];
            let expected = a.components[c].alone[1].nok * a.components[c].growth_factors[t];
            assert!(
                (rise - expected).abs() <= 1e-6 * expected,
                "{t}: {rise} vs {expected}"
            );
        }
    }
}

/// Staff from the accounts: twice the modelled FTE gives a staff factor 2 and a cost factor
/// equal to the staff cost `FTE · w · (1 + τ) · (1 + π/(1 + FTE/h))` of twice the staff over
/// that of the modelled staff (docs/MODEL.md §4, staffing), computed here by hand.
#[test]
fn actual_staff_scale_the_staff_and_their_cost() {
    use samkost_core::model::KindValues;
    let plain = parse(BOTTOM_UP).unwrap();
    let c = plain
        .model
        .components
        .iter()
        .position(|c| c.is_staffing())
        .unwrap();
    let v = crate::at_medians(&plain.model);
    let fte = v.components[c].alone[1].fte;
    let KindValues::Staffing(x) = v.components[c].kind else {
        panic!("staffing")
    };
    let tau = plain.model.member_payroll_tax[1];
    let cost = |f: f64| {
        f * x.salary * (1.0 + tau) * (1.0 + x.premium_max / (1.0 + f / x.premium_half_fte))
    };
    let text = with_member(&format!(r#"actual_fte = {{ "IT staff" = {} }}"#, 2.0 * fte));
    let k = &parse(&text).unwrap().model.calibrations[0];
    assert!((k.fte - 2.0).abs() < 1e-12);
    let expected = cost(2.0 * fte) / cost(fte);
    assert!((k.cost - expected).abs() < 1e-9, "{} vs {expected}", k.cost);
}

/// One-pass flows and the year-by-year coalition flows agree on a calibrated scenario, and
/// so do the NPV game and the game summed year by year.
#[test]
fn calibrated_flows_and_games_agree() {
    use samkost_core::games::{RealisedGame, realised_game_by_years};
    use samkost_core::model::{CoalitionTable, NpvGameTerms};
    let text = with_member(
        r#"actual_cost = { "Licences" = 900000, "IT staff" = 3000000 }, actual_fte = { "IT staff" = 3.5 }"#,
    );
    let scenario = parse(&text).unwrap();
    let model = &scenario.model;
    assert_eq!(model.calibrations.len(), 2);
    let (n, h) = (model.n_members(), model.horizon_years);
    let discount = model.discounting.factors(h);
    let table = CoalitionTable::new(model);
    let m = model.parameters.len();
    let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 3, 11).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    for params in sample.chunks(m).take(3) {
        let mut values = DrawValues::default();
        model.evaluate(params, &mut values);
        let mut one_pass = DrawFlows::default();
        model.draw_flows(&values, &mut one_pass);
        let (mut flows, mut scratch) = (YearFlows::default(), YearScratch::default());
        for t in 0..h {
            model.year_flows(&values, t, &mut scratch, &mut flows);
            for i in 0..n {
                assert!(close(one_pass.standalone[i * h + t], flows.standalone[i]));
                assert!(close(
                    one_pass.direct[0][i * h + t],
                    flows.cooperation.direct[0][i]
                ));
            }
            assert!(close(one_pass.pooled[0][t], flows.cooperation.pooled[0]));
        }
        let mut fast = Vec::new();
        model.npv_game(
            &values,
            &discount,
            &table,
            &mut NpvGameTerms::default(),
            &mut fast,
        );
        let mut slow = RealisedGame::default();
        realised_game_by_years(model, &values, &discount, &mut slow);
        for (f, s) in fast.iter().zip(&slow.costs) {
            assert!(close(f[0], s[0]) && close(f[1], s[1]));
        }
    }
}

/// A factor far from 1 warns; an unknown component, staff of a non-staffing component and a
/// non-positive figure are errors naming the field.
#[test]
fn implausible_factors_warn_and_bad_figures_are_refused() {
    let text = with_member(r#"actual_cost = { "Licences" = 1 }"#);
    let s = parse(&text).unwrap();
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message.contains("outside the plausible 0.5–2")),
        "{:?}",
        s.warnings.iter().map(|w| &w.message).collect::<Vec<_>>()
    );
    for (extra, needle) in [
        (
            r#"actual_cost = { "Licenses" = 100000 }"#,
            "did you mean `Licences`",
        ),
        (
            r#"actual_fte = { "Licences" = 2 }"#,
            "is not a staffing component",
        ),
        (r#"actual_cost = { "Licences" = -5 }"#, "must be positive"),
    ] {
        let Err(err) = parse(&with_member(extra)) else {
            panic!("{extra} was accepted")
        };
        let err = err.to_string();
        assert!(err.contains(needle), "{extra}: {err}");
    }
}

/// summary.json reports each calibration: the actual and modelled figures and the factors, the
/// factor being the ratio of the two (`k = 2` for twice the modelled cost); a scenario without
/// actual figures has none.
#[test]
fn summary_json_reports_the_calibration_factors() {
    let (_, modelled) = servers_of_1515(&parse(BOTTOM_UP).unwrap().model);
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str| -> serde_json::Value {
        let path = dir.path().join("calibrated.toml");
        std::fs::write(&path, text).unwrap();
        let out = crate::succeed(
            std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
                .arg("run")
                .arg(&path)
                .args([
                    "--draws",
                    "200",
                    "--stability-draws",
                    "0",
                    "--format",
                    "json",
                ]),
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let text = with_member(&format!(
        r#"actual_cost = {{ "{SERVERS}" = {} }}"#,
        2.0 * modelled
    ));
    let json = run(&text);
    let k = json["calibration"].as_array().expect("a calibration block");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0]["member"], "1515");
    assert_eq!(k[0]["component"], SERVERS);
    let actual = k[0]["actual_cost"].as_f64().unwrap();
    let model = k[0]["modelled_cost"].as_f64().unwrap();
    assert!((actual - 2.0 * modelled).abs() <= 1e-9 * actual);
    assert!((model - modelled).abs() <= 1e-9 * model);
    assert!((k[0]["cost_factor"].as_f64().unwrap() - actual / model).abs() < 1e-12);
    assert!(k[0]["actual_fte"].is_null());
    assert!(run(BOTTOM_UP).get("calibration").is_none());
}
