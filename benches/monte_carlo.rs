//! Throughput of the Monte Carlo loop on the embedded default scenario (SSIKT, 7 members,
//! 8 keys, 10 years), and the cost of turning a run into its report files.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use samkost::scenario::{self, NoFiles};
use samkost_core::allocation::ResolvedKey;
use samkost_core::simulation::{NoProgress, RunConfig, run};

/// The embedded scenario and its keys' shares.
fn default_scenario_and_keys() -> (scenario::Scenario, Vec<ResolvedKey>) {
    let scenario = scenario::parse(
        scenario::DEFAULT_SCENARIO_NAME,
        scenario::DEFAULT_SCENARIO,
        &NoFiles,
    )
    .expect("the embedded scenario is valid");
    let keys: Vec<ResolvedKey> = samkost_core::simulation::resolve_keys(
        &scenario.model,
        &scenario.keys,
        1,
        &scenario.planning,
    )
    .expect("valid keys")
    .0;
    (scenario, keys)
}

/// A run of `n_draws` draws with core stability on `stability_draws` of them.
fn config(n_draws: u64, seed: u64, stability_draws: u64) -> RunConfig {
    RunConfig {
        n_draws,
        seed,
        stability_draws,
        band_draws: samkost_core::simulation::DEFAULT_BAND_DRAWS,
        sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts: false,
        detailed: false,
    }
}

/// Benchmarks whole runs of `config` on `threads` worker threads.
fn bench_run(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    threads: usize,
    (scenario, keys): (&scenario::Scenario, &[ResolvedKey]),
    config: &RunConfig,
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    group.bench_with_input(id, config, |b, config| {
        b.iter(|| pool.install(|| run(&scenario.model, keys, config, &NoProgress).expect("run")))
    });
}

fn default_scenario(c: &mut Criterion) {
    let (scenario, keys) = default_scenario_and_keys();
    let mut group = c.benchmark_group("monte_carlo/ssikt");
    group.sample_size(10);
    for threads in [1, 2] {
        for n_draws in [10_000u64, 100_000] {
            group.throughput(Throughput::Elements(n_draws));
            bench_run(
                &mut group,
                BenchmarkId::new(format!("threads_{threads}"), n_draws),
                threads,
                (&scenario, &keys),
                &config(n_draws, 1, 2000),
            );
        }
    }
    group.finish();
}

/// Turning one run of the default scenario (10,000 draws) into the files of `--out`: the
/// summary, the HTML report and the Excel workbook.
fn reports(c: &mut Criterion) {
    let (scenario, keys) = default_scenario_and_keys();
    let config = RunConfig {
        n_draws: 10_000,
        seed: 1,
        stability_draws: 2000,
        band_draws: samkost_core::simulation::DEFAULT_BAND_DRAWS,
        sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        // As `--out` books them.
        accounts: true,
        detailed: true,
    };
    let results = run(&scenario.model, &keys, &config, &NoProgress).expect("run");
    let threshold = samkost::report::metrics::DEFAULT_BURDEN_THRESHOLD;
    let summary = samkost::report::summary(&scenario, &results, &config, threshold);
    let mut group = c.benchmark_group("reports/ssikt");
    group.sample_size(20);
    group.bench_function("summary", |b| {
        b.iter(|| samkost::report::summary(&scenario, &results, &config, threshold))
    });
    group.bench_function("report_html", |b| {
        b.iter(|| {
            samkost::report::report_html(&summary, samkost::report::Lang::Nb, None, "2026-12-04")
        })
    });
    group.bench_function("workbook", |b| {
        b.iter(|| samkost::report::workbook(&summary, samkost::report::Lang::Nb).expect("xlsx"))
    });
    group.finish();
}

/// The reference case: the default scenario with its five practical keys (game keys
/// removed), 100,000 draws, core stability on 2,000 draws or on all of them, 1 and 2 threads.
fn practical_keys(c: &mut Criterion) {
    let (scenario, keys) = default_scenario_and_keys();
    let keys: Vec<ResolvedKey> = keys
        .into_iter()
        .zip(&scenario.keys)
        .filter(|(_, key)| !ResolvedKey::needs_game(key))
        .map(|(resolved, _)| resolved)
        .collect();
    assert_eq!(keys.len(), 5);
    let mut group = c.benchmark_group("monte_carlo/ssikt_practical_keys_100k");
    group.sample_size(10);
    for threads in [1, 2] {
        for stability_draws in [2_000u64, 100_000] {
            bench_run(
                &mut group,
                BenchmarkId::new(
                    format!("threads_{threads}"),
                    format!("stability_{stability_draws}"),
                ),
                threads,
                (&scenario, &keys),
                // As `samkost run` printing its table: no fan bands, no details.
                &RunConfig {
                    band_draws: 0,
                    ..config(100_000, 20240101, stability_draws)
                },
            );
        }
    }
    group.finish();
}

/// The summaries of a run's columns: mean, spread and exact type-7 percentiles of 100,000 values
/// spread over both signs and several binades, as NPVs are; `brief` is what the terminal table
/// needs (P10/P50/P90), `full` adds the thirteen percentiles and the CVaR₁₀; a run summarises
/// its columns four at a time.
fn summaries(c: &mut Criterion) {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let values: Vec<f64> = (0..100_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            (u - 0.3) * 1.0e7 * (1.0 + 3.0 * u * u)
        })
        .collect();
    let mut group = c.benchmark_group("summaries/100k");
    group.throughput(Throughput::Elements(values.len() as u64));
    group.bench_function("brief", |b| {
        b.iter(|| samkost_core::stats::Summary::brief_from_values(&values))
    });
    group.bench_function("full", |b| {
        b.iter(|| samkost_core::stats::Summary::from_values(&values))
    });
    group.finish();
    // A run's columns go in groups whose sums interleave: per column, as above.
    let columns: Vec<&[f64]> = vec![&values; 4];
    let mut group = c.benchmark_group("summaries/100k_by_four_columns");
    group.throughput(Throughput::Elements(4 * values.len() as u64));
    group.bench_function("brief", |b| {
        b.iter(|| samkost_core::stats::Summary::from_columns(&columns, true))
    });
    group.finish();
}

/// One stability draw's realised game ([`samkost_core::model::Model::npv_game`]): the NPV cost
/// of all 128 coalitions of the default scenario's seven members, from discount-weighted
/// aggregates, over 64 evaluated draws: most of what core stability on every draw adds to a
/// plain draw (the five keys' checks come on top), measured in the process (the whole-process
/// timings of the reference case vary with the machine's load).
fn realised_game(c: &mut Criterion) {
    use samkost_core::model::{CoalitionTable, DrawValues, NpvGameTerms};
    let (scenario, _) = default_scenario_and_keys();
    let model = &scenario.model;
    let discount = model.discounting.factors(model.horizon_years);
    let table = CoalitionTable::new(model);
    let draws: Vec<DrawValues> = (0..64)
        .map(|d| {
            let mut params = vec![0.0; model.parameters.len()];
            samkost_core::draws::sample_parameters(model, 20240101, d, &mut params);
            let mut values = DrawValues::default();
            model.evaluate(&params, &mut values);
            values
        })
        .collect();
    let (mut terms, mut costs) = (NpvGameTerms::default(), Vec::new());
    let mut group = c.benchmark_group("games/ssikt");
    group.throughput(Throughput::Elements(draws.len() as u64));
    group.bench_function("npv_game_64_draws", |b| {
        b.iter(|| {
            for values in &draws {
                model.npv_game(values, &discount, &table, &mut terms, &mut costs);
            }
            costs[costs.len() - 1]
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    default_scenario,
    practical_keys,
    reports,
    summaries,
    realised_game
);
criterion_main!(benches);
