//! `samkost sensitivity` and the draw evaluator it relies on.

use std::process::Command;

use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{
    DrawScratch, NoProgress, RunConfig, evaluate_draw, parameter_sample, resolve_keys, run,
};

use crate::{BASE, parse};

fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

#[test]
fn evaluate_draw_reproduces_the_run_draw_by_draw() {
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let model = &scenario.model;
    let (keys, _) = resolve_keys(model, &scenario.keys, 2, &scenario.planning).unwrap();
    let config = RunConfig {
        n_draws: 20,
        seed: 2,
        stability_draws: 0,
        band_draws: 0,
        sampling: SamplingMethod::MonteCarlo,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts: false,
        detailed: true,
    };
    let results = run(model, &keys, &config, &NoProgress).unwrap();
    let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 20, 2).unwrap();
    let discount = model.discounting.factors(model.horizon_years);
    let n = model.n_members();
    for (d, params) in sample.chunks(model.parameters.len()).enumerate() {
        let row = evaluate_draw(model, &keys, params, &discount, &mut DrawScratch::default());
        assert_eq!(row[keys.len() * n], results.draw_region_npv(d).unwrap());
        for k in 0..keys.len() {
            for i in 0..n {
                assert_eq!(row[k * n + i], results.draw_member_npv(k, i, d).unwrap());
            }
        }
    }
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let out = samkost().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn tornado_swing_of_the_base_scenario_matches_a_hand_calculation() {
    // Base scenario: region NPV = Σ_{t=1..4} d(t)·(3·400,000 − 900,000 + U·c·s) − d(0)·6,000·U
    // with U = 0.09·(5,322 + 2,438 + 8,968) = 1,505.52 users, c = cost per user, s = saving.
    // With s at its median, moving c from its P10 to its P90 swings the NPV by
    // Σ_{t=1..4} d(t) · U · s_med · (c_P90 − c_P10).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.toml");
    std::fs::write(&path, BASE).unwrap();
    let json = run_json(&[
        "sensitivity",
        path.to_str().unwrap(),
        "--method",
        "tornado",
        "--format",
        "json",
    ]);
    let scenario = parse(BASE).unwrap();
    let c = &scenario.model.parameters[0].distribution;
    let s = &scenario.model.parameters[1].distribution;
    let annuity: f64 = (2..=5).map(|k| 1.04f64.powi(-k)).sum();
    let users = 0.09 * (5322.0 + 2438.0 + 8968.0);
    let expected = annuity * users * s.quantile(0.5) * (c.quantile(0.9) - c.quantile(0.1));
    let bar = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["parameter"] == "cost_per_user")
        .unwrap();
    let swing = bar["swing"].as_f64().unwrap();
    assert!(
        (swing - expected).abs() < 1e-6 * expected,
        "{swing} vs {expected}"
    );
}

#[test]
fn sobol_indices_of_the_default_scenario_are_consistent() {
    // Total-order indices are at least the first-order ones (up to estimation error), and the
    // first-order indices of a nearly additive output add up to about one.
    let json = run_json(&[
        "sensitivity",
        "--method",
        "sobol",
        "--n",
        "512",
        "--bootstrap",
        "50",
        "--format",
        "json",
    ]);
    let inputs = json["inputs"].as_array().unwrap();
    let s1: f64 = inputs
        .iter()
        .map(|i| i["first_order"][0].as_f64().unwrap())
        .sum();
    assert!((0.8..1.2).contains(&s1), "Σ S1 = {s1}");
    assert_eq!(json["evaluations"], 512 * (inputs.len() + 2));
    assert_eq!(inputs[0]["parameter"], "overrun");
}

#[test]
fn sensitivity_writes_csv_and_rejects_unknown_outputs() {
    let out = samkost()
        .args([
            "sensitivity",
            "--method",
            "morris",
            "--trajectories",
            "4",
            "--format",
            "csv",
            "--output",
            "member:1514:50/50",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("method,output,parameter,"));
    assert!(text.lines().count() > 10);
    for bad in ["member:9999:50/50", "member:1514:60/40", "everything"] {
        let out = samkost()
            .args(["sensitivity", "--output", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
    }
}
