//! Sampling designs and rank correlations at the scenario level.

use samkost::scenario::Scenario;
use samkost_core::sampling::{SamplingMethod, spearman};
use samkost_core::simulation::{NoProgress, RunConfig, parameter_sample, resolve_keys, run};

use crate::{BASE, parse};

fn region_mean(scenario: &Scenario, sampling: SamplingMethod, n_draws: u64, seed: u64) -> f64 {
    let (keys, _) =
        resolve_keys(&scenario.model, &scenario.keys, seed, &scenario.planning).unwrap();
    let config = RunConfig {
        n_draws,
        seed,
        stability_draws: 0,
        band_draws: 0,
        sampling,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts: false,
        detailed: true,
    };
    run(&scenario.model, &keys, &config, &NoProgress)
        .unwrap()
        .region_npv
        .mean
}

#[test]
fn latin_hypercube_reduces_the_variance_of_the_mean() {
    // The base scenario's region NPV is nearly additive in its two uncertain inputs, where
    // Latin hypercube sampling removes most of the variance of the estimated mean (McKay,
    // Beckman & Conover 1979). Over R = 40 replications of 64 draws, the ratio of the sample
    // variances of the two estimators is F-distributed with (39, 39) degrees of freedom if the
    // true variances were equal; its 0.999 quantile is about 2.7. LHS must beat MC by more.
    let scenario = parse(BASE).unwrap();
    let variance = |method| {
        let means: Vec<f64> = (0..40)
            .map(|r| region_mean(&scenario, method, 64, 1000 + r))
            .collect();
        let m = means.iter().sum::<f64>() / means.len() as f64;
        means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (means.len() - 1) as f64
    };
    let (mc, lhs) = (
        variance(SamplingMethod::MonteCarlo),
        variance(SamplingMethod::LatinHypercube),
    );
    assert!(mc / lhs > 2.7, "variance ratio MC/LHS = {}", mc / lhs);
}

#[test]
fn every_sampling_method_is_reproducible_and_thread_independent() {
    let scenario = parse(BASE).unwrap();
    for method in [
        SamplingMethod::MonteCarlo,
        SamplingMethod::LatinHypercube,
        SamplingMethod::Sobol,
    ] {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let a = one.install(|| region_mean(&scenario, method, 1024, 5));
        let b = two.install(|| region_mean(&scenario, method, 1024, 5));
        assert_eq!(a.to_bits(), b.to_bits(), "{method:?}");
    }
}

const CORRELATED: &str = r#"
[[correlations]]
parameters = ["cost_per_user", "saving"]
spearman = 0.7
"#;

#[test]
fn rank_correlation_reaches_its_target_and_keeps_the_marginals() {
    // Iman–Conover (1982): achieved Spearman within 0.02 of the target at n = 10,000.
    let scenario = parse(&format!("{BASE}{CORRELATED}")).unwrap_or_else(|d| panic!("{d}"));
    let m = scenario.model.parameters.len();
    let sample = parameter_sample(&scenario.model, SamplingMethod::MonteCarlo, 10_000, 3).unwrap();
    let column = |j: usize| -> Vec<f64> { sample.chunks(m).map(|r| r[j]).collect() };
    let rho = spearman(&column(0), &column(1));
    assert!((rho - 0.7).abs() < 0.02, "achieved {rho}");
    // The marginals are those of the uncorrelated design: same values, reordered.
    let independent = parse(BASE).unwrap();
    let plain = parameter_sample(
        &independent.model,
        SamplingMethod::LatinHypercube,
        10_000,
        3,
    )
    .unwrap();
    let correlated_lhs =
        parameter_sample(&scenario.model, SamplingMethod::LatinHypercube, 10_000, 3).unwrap();
    for j in 0..m {
        let mut a: Vec<f64> = plain.chunks(m).map(|r| r[j]).collect();
        let mut b: Vec<f64> = correlated_lhs.chunks(m).map(|r| r[j]).collect();
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        assert_eq!(a, b, "marginal of parameter {j} changed");
    }
}

#[test]
fn invalid_correlations_are_repaired_and_reported() {
    // ρ(a,b) = 0.9, ρ(b,c) = 0.9, ρ(a,c) = −0.9 cannot hold together.
    let text = BASE.replace(
        "saving = { dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30 }",
        "saving = { dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30 }\nthird = { dist = \"uniform\", min = 0, max = 1 }",
    ) + r#"
[correlation_matrix]
parameters = ["cost_per_user", "saving", "third"]
spearman = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
"#;
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(scenario.warnings.len(), 1);
    let message = &scenario.warnings[0].message;
    assert!(
        message.contains("not positive definite") && message.contains("nearest valid matrix"),
        "{message}"
    );
    assert!(
        message.contains("cost_per_user–third −0.900 →")
            || message.contains("cost_per_user–third -0.900 →"),
        "{message}"
    );
}

#[test]
fn long_runs_sketch_their_quantiles_within_the_stated_accuracy() {
    // A run that keeps no draws (max_stored_draws below n_draws) must give the same counts and
    // means as one that keeps them, and quantiles within the sketch's relative accuracy of the
    // exact ones (DDSketch, α = 0.1 %). Exact quantiles are type 7 (interpolated); the sketch
    // reports an order statistic, so allow the gap between neighbouring draws as well.
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 4, &scenario.planning).unwrap();
    let config = |max_stored_draws| RunConfig {
        n_draws: 3000,
        seed: 4,
        stability_draws: 0,
        band_draws: 0,
        sampling: SamplingMethod::MonteCarlo,
        max_stored_draws,
        accounts: false,
        detailed: true,
    };
    let exact = run(&scenario.model, &keys, &config(10_000), &NoProgress).unwrap();
    let sketched = run(&scenario.model, &keys, &config(100), &NoProgress).unwrap();
    assert!(exact.draws_kept() && !sketched.draws_kept());
    assert_eq!(sketched.draw_region_npv(0), None);
    let mut region: Vec<f64> = (0..3000)
        .map(|d| exact.draw_region_npv(d).unwrap())
        .collect();
    region.sort_by(f64::total_cmp);
    let gap = |p: f64| {
        let h = p * 2999.0;
        (region[h.ceil() as usize] - region[h.floor() as usize]).abs()
    };
    let (e, s) = (exact.region_npv, sketched.region_npv);
    assert!(((e.mean - s.mean) / e.mean).abs() < 1e-9);
    for (p, a, b) in [
        (0.1, e.p10, s.p10),
        (0.5, e.p50, s.p50),
        (0.9, e.p90, s.p90),
    ] {
        assert!(
            (a - b).abs() <= 1e-3 * a.abs() + gap(p),
            "p{p}: exact {a}, sketch {b}"
        );
    }
    for (ke, ks) in exact.keys.iter().zip(&sketched.keys) {
        assert_eq!(ke.p_all_win, ks.p_all_win);
        for (me, ms) in ke.members.iter().zip(&ks.members) {
            assert_eq!(me.p_win, ms.p_win);
            assert_eq!(me.payback_year, ms.payback_year);
            assert_eq!(me.p_ahead_by_year, ms.p_ahead_by_year);
        }
    }
}

/// A triangular range wider than the square root of the largest double: its quantiles used
/// to collapse to the mode (the product under the root overflowed), so every draw was the
/// mode and a finite NPV was reported. The quantiles now follow the closed form, and a run
/// fails like PERT, uniform and normal with the same range: exit 1, naming the draw.
#[test]
fn a_triangular_range_of_plus_minus_1e160_keeps_its_quantiles_and_fails_the_run() {
    const WIDE: &str =
        r#"cost_per_user = { dist = "triangular", min = -1e160, mode = 0, max = 1e160 }"#;
    let text = BASE.replacen(
        r#"cost_per_user = { dist = "triangular", min = 7000, mode = 9500, max = 13000 }"#,
        WIDE,
        1,
    );
    assert!(text.contains(WIDE), "test setup: the base scenario changed");
    let scenario = parse(&text).unwrap();
    let model = &scenario.model;
    let idx = model
        .parameters
        .iter()
        .position(|p| p.name == "cost_per_user")
        .unwrap();
    let distribution = &model.parameters[idx].distribution;
    // Q(u) = −1e160 + 2e160·√(u/2) below the mode, 1e160 − 2e160·√((1 − u)/2) above.
    for (u, want) in [(0.125, -0.5e160), (0.5, 0.0), (0.875, 0.5e160)] {
        let got = distribution.quantile(u);
        assert!(
            (got - want).abs() <= 1e148,
            "Q({u}) = {got:e}, want {want:e}"
        );
    }
    let m = model.parameters.len();
    let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 100, 3).unwrap();
    let beyond_1e150 = sample
        .chunks(m)
        .filter(|draw| draw[idx].abs() > 1e150)
        .count();
    assert!(
        beyond_1e150 > 90,
        "{beyond_1e150} of 100 draws away from the mode"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide.toml");
    std::fs::write(&file, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(["run", &file.display().to_string(), "--draws", "50"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("produced a non-finite cost or one beyond 1e100 NOK"),
        "{stderr}"
    );
}

/// Plain Monte Carlo with correlations keeps only the correlated columns of a block: every
/// other uncertain input of draw `d` is the quantile of word `c` of stream `d`
/// (`monte_carlo_row`, docs/MODEL.md §8), and each correlated input keeps exactly the values its
/// column of independent rows would hold, reordered by Iman–Conover towards the target (the
/// default scenario: Spearman 0.3 between own hours and the overrun). The rows rebuilt here
/// from the public row function are the independent reference.
#[test]
fn monte_carlo_with_correlations_draws_the_other_inputs_from_each_stream() {
    use samkost_core::sampling::monte_carlo_row;
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let model = &scenario.model;
    let correlation = model.correlation.as_ref().expect("the default correlates");
    let (n, seed) = (600_usize, 77);
    let m = model.parameters.len();
    let sample = parameter_sample(model, SamplingMethod::MonteCarlo, n as u64, seed).unwrap();
    let dims: Vec<usize> = (0..m)
        .filter(|&j| !model.parameters[j].distribution.is_fixed())
        .collect();
    let mut row = vec![0.0; dims.len()];
    let mut independent = vec![Vec::new(); correlation.parameters.len()];
    for d in 0..n {
        monte_carlo_row(seed, d as u64, &mut row);
        for (c, &j) in dims.iter().enumerate() {
            let value = model.parameters[j].distribution.quantile(row[c]);
            match correlation.parameters.iter().position(|&p| p == j) {
                Some(k) => independent[k].push(value),
                None => assert_eq!(sample[d * m + j], value, "draw {d}, parameter {j}"),
            }
        }
    }
    let column = |j: usize| -> Vec<f64> { (0..n).map(|d| sample[d * m + j]).collect() };
    for (k, &j) in correlation.parameters.iter().enumerate() {
        let (mut kept, mut reference) = (column(j), independent[k].clone());
        kept.sort_by(f64::total_cmp);
        reference.sort_by(f64::total_cmp);
        assert_eq!(kept, reference, "parameter {j} keeps its values");
    }
    // Iman–Conover hits the target up to the sampling error of a rank correlation, about
    // 1/√(n − 1) = 0.041; four of those is the tolerance.
    let rho = spearman(
        &column(correlation.parameters[0]),
        &column(correlation.parameters[1]),
    );
    let target = correlation.target.get(0, 1);
    assert!(
        (rho - target).abs() < 4.0 / ((n - 1) as f64).sqrt(),
        "{rho} vs {target}"
    );
}

/// `ParameterDesign::fill_cached` gives `ParameterDesign::fill`'s values to the bit, for every
/// draw of a block whose length is not a multiple of the group, visited in an order that leaves
/// and re-enters groups, under every design that keeps one (Latin hypercube, Sobol', plain Monte
/// Carlo with correlations), on the default scenario; and two designs of one block sharing a
/// cache each get their own values.
#[test]
fn grouped_fills_are_the_fills_one_by_one() {
    use samkost_core::draws::{FILL_GROUP_DRAWS, FillCache, ParameterDesign};
    let same_bits = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
    let scenario = crate::parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let model = &scenario.model;
    let m = model.parameters.len();
    let block = 1000..1000 + 3 * FILL_GROUP_DRAWS + 17;
    let mut order: Vec<u64> = block.clone().rev().collect();
    order.extend(block.clone().step_by(5));
    for method in [
        SamplingMethod::LatinHypercube,
        SamplingMethod::Sobol,
        SamplingMethod::MonteCarlo,
    ] {
        let design = ParameterDesign::build(model, method, block.clone(), 11)
            .unwrap()
            .expect("the default scenario has correlations, so every method keeps a design");
        let mut cache = FillCache::default();
        let (mut one, mut grouped) = (vec![0.0; m], vec![0.0; m]);
        for &draw in &order {
            design.fill(model, draw, &mut one);
            design.fill_cached(model, draw, &mut grouped, &mut cache);
            assert!(
                same_bits(&one, &grouped),
                "{method:?}, draw {draw}: {one:?} against {grouped:?}"
            );
        }
        // A second design of the same block (another seed) through the same cache: each
        // design's own values, never the other's.
        let other = ParameterDesign::build(model, method, block.clone(), 12)
            .unwrap()
            .unwrap();
        for draw in block.clone().step_by(7) {
            for d in [&design, &other] {
                d.fill(model, draw, &mut one);
                d.fill_cached(model, draw, &mut grouped, &mut cache);
                assert!(
                    same_bits(&one, &grouped),
                    "{method:?}, two designs, draw {draw}"
                );
            }
        }
    }
}
