//! Key design: the frontier against closed forms and quadrature, the listed keys' counts
//! against the Monte Carlo run, and the frontier against every listed key on the shipped
//! scenarios (docs/MODEL.md §13).

use std::path::Path;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use samkost_core::design::{self, Constraints, Goal, Point, SeekDirection};
use samkost_core::simulation::{DrawSample, NoProgress, RunConfig, run};

use crate::parse;

/// A two-member sample: member `i` pays `alone_i` alone and nothing itself in the
/// cooperation, the pool costs `pooled` (running only).
fn two_members(alone: &[[f64; 2]], pooled: &[f64]) -> DrawSample {
    DrawSample {
        n_members: 2,
        n_draws: pooled.len(),
        base: alone.iter().flatten().copied().collect(),
        pooled: pooled.iter().map(|p| [*p, 0.0]).collect(),
        core_limits: Vec::new(),
        core_draws: 0,
        direct_operating: vec![0.0; 2],
        pooled_operating: [1.0, 0.0],
        operating_years: 1,
    }
}

fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn frontier_of(sample: &DrawSample) -> design::Design {
    design::design(
        sample,
        Goal::AllWin,
        &Constraints {
            populations: vec![1.0; sample.n_members],
            ..Constraints::default()
        },
        &[("population".to_owned(), vec![0.5, 0.5])],
        &[],
        &[],
    )
}

/// Known alone costs X₁ = 3, X₂ = 1 and a pooled cost Y ~ U(2, 6): the shares
/// s = X/ΣX = (¾, ¼) make both gain exactly when the region does (Y < 4), so the frontier is
/// P(Y < 4) = ½ and the search, exact for two members, finds those shares.
#[test]
fn two_members_with_known_alone_costs_reach_the_region_probability_at_the_analytic_shares() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let n = 4000;
    let pooled: Vec<f64> = (0..n).map(|_| uniform(&mut rng, 2.0, 6.0)).collect();
    let sample = two_members(&vec![[3.0, 1.0]; n], &pooled);
    let d = frontier_of(&sample);
    let f = d.frontier.expect("a frontier");
    let region = pooled.iter().filter(|y| **y < 4.0).count() as u64;
    assert!(f.exact, "one line search covers two members");
    assert_eq!(
        f.counts.all_win, region,
        "the frontier is the region's count"
    );
    assert_eq!(d.upper_bound, region);
    // Winning draws reach Y close to 4, so the best shares are pinned near ¾.
    assert!((f.shares.running[0] - 0.75).abs() < 0.01, "{:?}", f.shares);
    // Closed form ½, within four standard errors of the sample.
    let se = (0.25 / n as f64).sqrt();
    assert!((region as f64 / n as f64 - 0.5).abs() < 4.0 * se);
}

/// P(s) = P(sY < X₁, (1−s)Y < X₂) for independent X₁ ~ U(1, 3), X₂ ~ U(0.5, 1.5),
/// Y ~ U(1, 4): (1/3)∫₁⁴ P(X₁ > sy) P(X₂ > (1−s)y) dy by Simpson's rule.
fn p_all_win_by_quadrature(s: f64) -> f64 {
    let tail1 = |z: f64| ((3.0 - z) / 2.0).clamp(0.0, 1.0);
    let tail2 = |z: f64| (1.5 - z).clamp(0.0, 1.0);
    let f = |y: f64| tail1(s * y) * tail2((1.0 - s) * y) / 3.0;
    let m = 4000;
    let h = 3.0 / m as f64;
    let mut sum = f(1.0) + f(4.0);
    for k in 1..m {
        sum += f(1.0 + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

/// Independent uniform alone costs and pooled cost: the frontier on 20,000 draws lies within
/// the sampling error of the best P(s) found by quadrature over a fine grid of s (an
/// independent method), and the shares found are near-optimal by the quadrature too.
#[test]
fn two_members_with_independent_uniforms_match_quadrature() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let n = 20_000;
    let mut alone = Vec::with_capacity(n);
    let mut pooled = Vec::with_capacity(n);
    for _ in 0..n {
        alone.push([uniform(&mut rng, 1.0, 3.0), uniform(&mut rng, 0.5, 1.5)]);
        pooled.push(uniform(&mut rng, 1.0, 4.0));
    }
    let sample = two_members(&alone, &pooled);
    let best = (0..=1000)
        .map(|k| p_all_win_by_quadrature(k as f64 / 1000.0))
        .fold(0.0, f64::max);
    let f = frontier_of(&sample).frontier.expect("a frontier");
    let p = f.counts.all_win as f64 / n as f64;
    let se = (best * (1.0 - best) / n as f64).sqrt();
    assert!(f.exact);
    assert!(
        p >= best - 3.0 * se && p <= best + 4.0 * se,
        "frontier {p} against quadrature {best} (se {se})"
    );
    let found = p_all_win_by_quadrature(f.shares.running[0]);
    assert!(
        found >= best - 4.0 * se,
        "shares {:?} reach {found}, best {best}",
        f.shares
    );
    // The region gains more often than any shares make both gain.
    let region = alone
        .iter()
        .zip(&pooled)
        .filter(|(a, y)| a[0] + a[1] > **y)
        .count() as f64
        / n as f64;
    assert!(region > p + 0.02);
}

/// Goal seeking on the known case: the smallest share of member 1's "fixed part" … here the
/// line from shares (½, ½) towards equal is flat, so seek along population-like shares
/// (0.9, 0.1) → (½, ½): member 1's share is 0.9 − 0.4θ, both gain iff
/// 0.9 − 0.4θ < 3/Y and 0.1 + 0.4θ < 1/Y. With Y fixed at 3.5 the first holds for θ > 0.107
/// and the second for θ < 0.464; the seek finds both ends.
#[test]
fn goal_seeking_finds_the_ends_of_the_winning_range() {
    let sample = two_members(&vec![[3.0, 1.0]; 100], &vec![3.5; 100]);
    let x = Point::uniform(vec![0.9, 0.1]);
    let u = Point::uniform(vec![-0.4, 0.4]);
    let low = design::seek(
        &sample,
        Goal::AllWin,
        &x,
        &u,
        0.0,
        1.0,
        0.9,
        SeekDirection::Smallest,
    );
    let high = design::seek(
        &sample,
        Goal::AllWin,
        &x,
        &u,
        0.0,
        1.0,
        0.9,
        SeekDirection::Largest,
    );
    let lo_exact = (0.9 - 3.0 / 3.5) / 0.4;
    let hi_exact = (1.0 / 3.5 - 0.1) / 0.4;
    assert!((low.value.unwrap() - lo_exact).abs() < 1e-12);
    assert!((high.value.unwrap() - hi_exact).abs() < 1e-12);
    assert_eq!(low.probability, 1.0);
    let none = design::seek(
        &sample,
        Goal::AllWin,
        &x,
        &u,
        0.5,
        1.0,
        0.9,
        SeekDirection::Smallest,
    );
    assert_eq!(none.value, None);
}

fn shipped() -> Vec<(String, samkost::scenario::Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let scenario = parse(&text).unwrap();
            // A key design counts on one membership throughout and on every baseline being
            // the cost alone (docs/MODEL.md §10b, §10c).
            if !scenario.model.changes_membership() {
                out.push((path.display().to_string(), scenario));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// On every shipped scenario: the design sample counts each listed key exactly as the Monte
/// Carlo run does on the same draws (two computations of the same numbers), and the frontier
/// of each goal is never below the best listed key nor above its upper bound.
#[test]
fn frontier_is_never_below_the_best_listed_key_on_the_shipped_scenarios() {
    for (path, scenario) in shipped() {
        let (keys, _) = samkost_core::simulation::resolve_keys(
            &scenario.model,
            &scenario.keys,
            scenario.seed,
            &scenario.planning,
        )
        .unwrap();
        let config = RunConfig {
            n_draws: 1500,
            seed: scenario.seed,
            stability_draws: 300,
            band_draws: 0,
            sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
            max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
            accounts: false,
            detailed: true,
        };
        let results = run(&scenario.model, &keys, &config, &NoProgress).unwrap();
        let analysis = samkost::design::analyse(
            &scenario.model,
            &keys,
            &config,
            &samkost::design::Request {
                band_limits: design::KOSTRA_BAND_LIMITS.to_vec(),
                ..Default::default()
            },
        )
        .unwrap();
        for (listed, outcome) in analysis.listed.iter().zip(&results.keys) {
            // Ex-post keys change per draw, keys on a driver given by year per year and keys
            // per component with each component's cost: the design space's constant shares
            // list them at their reference shares only.
            if keys.iter().any(|k| {
                k.name == listed.name
                    && (k.is_ex_post() || k.yearly.is_some() || k.components.is_some())
            }) {
                continue;
            }
            let run_wins = (outcome.p_all_win.p * 1500.0).round() as u64;
            assert_eq!(listed.counts.all_win, run_wins, "{path}: {}", listed.name);
            let run_stable = (outcome.p_core_stable.unwrap().p * 300.0).round() as u64;
            assert_eq!(
                listed.counts.core_stable, run_stable,
                "{path}: {}",
                listed.name
            );
        }
        assert_eq!(
            analysis.goals.len(),
            2,
            "{path}: both goals for a small cooperation"
        );
        for g in &analysis.goals {
            let f = g.design.frontier.as_ref().unwrap();
            let pick = |c: &design::Counts| match g.design.goal {
                Goal::AllWin => c.all_win,
                Goal::CoreStable => c.core_stable,
            };
            let best_listed = analysis
                .listed
                .iter()
                .map(|l| pick(&l.counts))
                .max()
                .unwrap();
            assert!(
                pick(&f.counts) >= best_listed,
                "{path} {:?}: frontier {} below a listed key's {best_listed}",
                g.design.goal,
                pick(&f.counts)
            );
            assert!(pick(&f.counts) <= g.design.upper_bound, "{path}");
            for fam in &g.design.families {
                assert!(
                    pick(&fam.counts) <= pick(&f.counts),
                    "{path}: {:?}",
                    fam.kind
                );
            }
        }
    }
}

fn samkost() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
}

/// `samkost design --format json` on the default scenario: every constraint holds for the
/// designed keys it reports, and the frontier is at least every listed key.
#[test]
fn design_command_meets_its_constraints() {
    let out = crate::succeed(samkost().args([
        "design",
        "--draws",
        "600",
        "--stability-draws",
        "200",
        "--max-burden-ratio",
        "1.3",
        "--min-p-gain",
        "0.9",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for goal in json["goals"].as_array().unwrap() {
        let frontier = &goal["frontier"];
        let keys = std::iter::once(frontier).chain(goal["families"].as_array().unwrap());
        for key in keys {
            assert!(key["burden_ratio"].as_f64().unwrap() <= 1.3 + 1e-9, "{key}");
            for p in key["p_gain"].as_array().unwrap() {
                assert!(p.as_f64().unwrap() >= 0.9, "{key}");
            }
            let sum: f64 = key["shares"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_f64().unwrap())
                .sum();
            assert!((sum - 1.0).abs() < 1e-9);
        }
    }
}

/// Bad arguments are errors that say what to write (exit 1), never a panic.
#[test]
fn design_command_explains_bad_arguments() {
    for (args, expected) in [
        (vec!["--near", "nokey:5"], "no key named `nokey`"),
        (vec!["--near", "50/50:500"], "is not KEY:POINTS"),
        (vec!["--seek", "input:nope:30/70"], "no parameter `nope`"),
        (vec!["--seek", "alpha"], "is not `fixed_part`"),
        (vec!["--max-burden-ratio", "0.5"], "at least 1"),
        (vec!["--bands", "20000,5000"], "increasing order"),
    ] {
        let out = samkost()
            .arg("design")
            .args(["--draws", "50", "--stability-draws", "0"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
