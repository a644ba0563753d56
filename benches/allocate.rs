//! `samkost allocate` on a complete 20-player cost game given as a `values` array: reading it
//! from JSON and from CSV (2^20 − 1 costs each), and the Shapley value and the nucleolus with
//! their core checks and the least core, as `samkost allocate --methods shapley,nucleolus`
//! computes them.
//!
//! The game is a size game `c(S) = 10 + 4 · (Σ_{i∈S} w_i)^0.7` with integer weights
//! `w_i = 1 + (7i mod 19)`: concave in the total weight, so its core is non-empty.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use samkost::allocate::{Method, Settings, analyse};
use samkost::scenario::game_file::{GameFormat, parse};

const N_PLAYERS: usize = 20;

/// The costs of every non-empty coalition in bitmask order, written as a game would be.
fn size_game_values() -> Vec<String> {
    let weights: Vec<f64> = (0..N_PLAYERS).map(|i| (1 + (7 * i) % 19) as f64).collect();
    (1u32..1 << N_PLAYERS)
        .map(|mask| {
            let load: f64 = (0..N_PLAYERS)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| weights[i])
                .sum();
            format!("{}", 10.0 + 4.0 * load.powf(0.7))
        })
        .collect()
}

fn allocate(c: &mut Criterion) {
    let values = size_game_values();
    let players: Vec<String> = (1..=N_PLAYERS).map(|i| format!("\"P{i}\"")).collect();
    let json = format!(
        "{{\"players\": [{}], \"values\": [{}]}}\n",
        players.join(", "),
        values.join(", ")
    );
    let csv = format!("cost\n{}\n", values.join("\n"));
    let file = parse("size-20.json", &json, GameFormat::Json).expect("valid game");
    let settings = Settings {
        methods: vec![Method::Shapley, Method::Nucleolus],
        seed: 2024,
        n_permutations: 10_000,
    };
    let mut group = c.benchmark_group("allocate/size_20");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("read_values_json", |b| {
        b.iter(|| parse("size-20.json", black_box(&json), GameFormat::Json).expect("valid"))
    });
    group.bench_function("read_csv", |b| {
        b.iter(|| parse("size-20.csv", black_box(&csv), GameFormat::Csv).expect("valid"))
    });
    group.bench_function("shapley_nucleolus", |b| {
        b.iter(|| analyse(black_box(&file.game), &settings).expect("analysis"))
    });
    group.finish();
}

criterion_group!(benches, allocate);
criterion_main!(benches);
