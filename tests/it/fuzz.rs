//! Bad input never panics: generated broken scenarios and game files end in a clear error or
//! a valid run. Deterministic (fixed proptest seed and case count).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{NoProgress, RunConfig, resolve_keys, run};

/// Values that stress readers and arithmetic.
const NASTY: &[&str] = &[
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "-0.0",
    "0",
    "-1",
    "99999999999999999",
    "\"x\"",
    "[]",
    "{}",
    "true",
    "[1, \"a\"]",
    "{ dist = \"pert\", min = 3, mode = 1, max = 2 }",
    "\"cost_per_user / 0\"",
    "\"1e308 * 1e308\"",
    "10000",
    "\"\"",
];

/// Replaces the value on line `line` (after its first ` = `) by `value`, or deletes the line.
fn mutate(text: &str, line: usize, value: Option<&str>) -> String {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            if i != line {
                return Some(l.to_owned());
            }
            match (value, l.split_once(" = ")) {
                (None, _) => None,
                (Some(v), Some((key, _))) => Some(format!("{key} = {v}")),
                (Some(v), None) => Some(format!("{l}{v}")),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses, and when the scenario is valid, resolves its keys and runs a few draws. Panics
/// only if samkost does.
fn exercise(text: &str) {
    match samkost::scenario::parse("fuzz.toml", text, &samkost::scenario::NoFiles) {
        Err(diagnostics) => {
            assert!(!diagnostics.0.is_empty());
            for d in &diagnostics.0 {
                assert!(d.line >= 1 && !d.message.is_empty(), "{d}");
            }
        }
        Ok(scenario) => {
            let Ok((keys, _)) = resolve_keys(
                &scenario.model,
                &scenario.keys,
                1,
                &samkost_core::simulation::PlanningConfig {
                    n_draws: 8,
                    ..scenario.planning
                },
            ) else {
                return;
            };
            let config = RunConfig {
                n_draws: 16,
                seed: 1,
                stability_draws: 4,
                sampling: SamplingMethod::MonteCarlo,
                max_stored_draws: 1000,
            };
            if let Ok(results) = run(&scenario.model, &keys, &config, &NoProgress) {
                assert!(results.region_npv.mean.is_finite());
            }
        }
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    )
}

#[test]
fn mutated_scenarios_never_panic() {
    let sources = [crate::BASE, samkost::scenario::DEFAULT_SCENARIO];
    let mut runner = runner(600);
    let strategy = (
        0..sources.len(),
        0usize..200,
        prop::option::of(prop::sample::select(NASTY)),
        0usize..200,
        prop::option::of(prop::sample::select(NASTY)),
    );
    runner
        .run(&strategy, |(src, line_a, value_a, line_b, value_b)| {
            let text = sources[src];
            let n = text.lines().count();
            let once = mutate(text, line_a % n, value_a);
            let twice = mutate(&once, line_b % once.lines().count().max(1), value_b);
            let outcome = std::panic::catch_unwind(|| exercise(&twice));
            prop_assert!(outcome.is_ok(), "panic on:\n{twice}");
            Ok(())
        })
        .unwrap();
}

#[test]
fn garbage_bytes_and_odd_game_files_never_panic() {
    let mut runner = runner(400);
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..400), |bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            prop_assert!(std::panic::catch_unwind(|| exercise(&text)).is_ok());
            let game = format!("players = [\"A\", \"B\"]\n[costs]\n{text}");
            let outcome = std::panic::catch_unwind(|| {
                use samkost::scenario::game_file::{GameFormat, parse};
                let _ = parse("fuzz.toml", &game, GameFormat::Toml);
                let _ = parse("fuzz.json", &text, GameFormat::Json);
            });
            prop_assert!(outcome.is_ok(), "panic on game file:\n{game}");
            Ok(())
        })
        .unwrap();
}

/// Regression inputs kept from earlier fuzzing, each parsed as a test.
#[test]
fn corpus_inputs_end_in_a_clear_error_or_a_valid_run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fuzz-corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        exercise(&String::from_utf8_lossy(&bytes));
        n += 1;
    }
    assert!(n >= 3);
}
