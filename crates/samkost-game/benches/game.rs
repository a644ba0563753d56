//! Criterion benches: exact Shapley value and nucleolus on random subadditive cost games
//! `c(S) = F·[S ≠ ∅] + a·(Σ_{i∈S} w_i)^0.7 + noise`, made subadditive by taking the cheapest
//! partition of every coalition.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samkost_game::{CostGame, nucleolus_detailed, shapley_exact};

fn random_game(n: usize, seed: u64) -> CostGame {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let weights: Vec<f64> = (0..n).map(|_| rng.random_range(1.0..20.0)).collect();
    let listed: Vec<(u32, f64)> = (1u32..1 << n)
        .map(|m| {
            let load: f64 = (0..n)
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| weights[i])
                .sum();
            (
                m,
                10.0 + 4.0 * load.powf(0.7) * rng.random_range(0.95..1.05),
            )
        })
        .collect();
    CostGame::from_partial(n, &listed, true).expect("valid game")
}

fn shapley(c: &mut Criterion) {
    let mut group = c.benchmark_group("shapley_exact");
    group.sample_size(10);
    for n in [10, 15, 20] {
        let game = random_game(n, 7);
        group.bench_with_input(BenchmarkId::from_parameter(n), &game, |b, g| {
            b.iter(|| shapley_exact(black_box(g)));
        });
    }
    group.finish();
}

fn nucleolus(c: &mut Criterion) {
    let mut group = c.benchmark_group("nucleolus");
    group.sample_size(10);
    for n in [8, 12, 16, 20] {
        let game = random_game(n, 11);
        group.bench_with_input(BenchmarkId::from_parameter(n), &game, |b, g| {
            b.iter(|| nucleolus_detailed(black_box(g)).expect("nucleolus"));
        });
    }
    group.finish();
}

criterion_group!(benches, shapley, nucleolus);
criterion_main!(benches);
