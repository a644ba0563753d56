//! Draws summed without their yearly rows (docs/MODEL.md §6, "Draws without yearly rows")
//! against the same draws with their rows, a second computation of the same amounts: a run
//! with details builds every draw's rows, a run without them builds only the rows of the draws
//! whose years it reads. On every shipped scenario (its keys that are not recomputed on each
//! draw's game, which need the rows) and under three sampling methods: every member's NPV
//! under every key and the region's in every draw, the yearly means of every flow, and the
//! mean of the budget and socio-economic views.
//!
//! The two differ only in the order of the additions: a yearly row is discounted after its
//! amounts are summed, an aggregated draw sums each amount's discounted value. The tolerance
//! is 10⁻⁹ of the largest amount compared — far above the rounding of sums of a few thousand
//! terms (about 10⁻¹³ of their size) and far below any amount that is left out or counted twice
//! (a line, a year or a member is at least 10⁻⁴ of the largest amount in every scenario).

use samkost_core::allocation::ResolvedKey;
use samkost_core::model::Model;
use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{
    DrawEvaluator, DrawScratch, GROUP_DRAWS, NoProgress, RunConfig, RunResults, evaluate_draw,
    parameter_sample, quantile_type7, resolve_keys, run,
};

/// A shipped scenario and its keys that are not recomputed on each draw's game (those need
/// every draw's rows).
fn scenario_and_keys(name: &str, text: &str) -> (samkost::scenario::Scenario, Vec<ResolvedKey>) {
    let scenario = crate::parse(text).unwrap_or_else(|d| panic!("{name}: {d}"));
    let model = &scenario.model;
    let (keys, _) = resolve_keys(model, &scenario.keys, 1, &scenario.planning).unwrap();
    let keys = keys.into_iter().filter(|k| !k.is_ex_post()).collect();
    (scenario, keys)
}

/// The sensitivity analyses' evaluator of `model` with `keys`, at the model's discounting.
fn evaluator_of<'a>(model: &'a Model, keys: &'a [ResolvedKey]) -> DrawEvaluator<'a> {
    DrawEvaluator::new(model, keys, model.discounting.factors(model.horizon_years))
}

fn shipped() -> Vec<(String, String)> {
    crate::shipped_scenario_files()
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn assert_close(what: &str, a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let scale = a.iter().chain(b).fold(1.0_f64, |m, v| m.max(v.abs()));
    for (j, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-9 * scale,
            "{what}[{j}]: {x} with rows, {y} without (scale {scale})"
        );
    }
}

/// `a` and `b` the same numbers to the bit, element by element, and as many.
fn assert_same_bits(
    what: &str,
    a: impl IntoIterator<Item = f64>,
    b: impl IntoIterator<Item = f64>,
) {
    let (a, b): (Vec<f64>, Vec<f64>) = (a.into_iter().collect(), b.into_iter().collect());
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (j, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(
            x.to_bits(),
            y.to_bits(),
            "{what}, value {j}: {x} against {y}"
        );
    }
}

/// Every number of `r` compared: NPVs draw by draw, the mean flows, the views' means.
fn numbers(r: &RunResults, n_keys: usize, n: usize) -> Vec<(&'static str, Vec<f64>)> {
    let draws = r.n_draws as usize;
    let npv = (0..n_keys * n)
        .flat_map(|c| (0..draws).map(move |d| (c, d)))
        .map(|(c, d)| r.draw_member_npv(c / n, c % n, d).unwrap())
        .chain((0..draws).map(|d| r.draw_region_npv(d).unwrap()))
        .collect();
    let f = &r.mean_flows;
    let flows = f
        .standalone
        .iter()
        .chain(&f.direct[0])
        .chain(&f.direct[1])
        .chain(&f.accounting_alone)
        .chain(&f.accounting_coop)
        .flatten()
        .chain(&f.pooled[0])
        .chain(&f.pooled[1])
        .chain(&f.pooled_accounting)
        .copied()
        .collect();
    let views = r
        .views
        .iter()
        .flat_map(|k| k.members.iter().flatten().chain(&k.region))
        .map(|v| v.mean)
        .collect();
    vec![("NPV", npv), ("mean flows", flows), ("views", views)]
}

/// The sampling methods each comparison runs under.
const SAMPLING_METHODS: [SamplingMethod; 3] = [
    SamplingMethod::MonteCarlo,
    SamplingMethod::LatinHypercube,
    SamplingMethod::Sobol,
];

#[test]
fn draws_without_rows_agree_with_their_rows_on_every_shipped_scenario() {
    let mut aggregated = 0;
    for (name, text) in shipped() {
        let (scenario, keys) = scenario_and_keys(&name, &text);
        let model = &scenario.model;
        for sampling in SAMPLING_METHODS {
            let config = |detailed| RunConfig {
                n_draws: 512,
                seed: 11,
                sampling,
                max_stored_draws: 1_000_000,
                stability_draws: 64,
                band_draws: if detailed { 64 } else { 0 },
                accounts: false,
                detailed,
            };
            let rows = run(model, &keys, &config(true), &NoProgress).unwrap();
            let sums = run(model, &keys, &config(false), &NoProgress).unwrap();
            assert_eq!(
                rows.aggregated_draws, 0,
                "{name}: a detailed run builds every row"
            );
            aggregated += sums.aggregated_draws;
            let n = model.n_members();
            let pairs =
                numbers(&rows, keys.len(), n)
                    .into_iter()
                    .zip(numbers(&sums, keys.len(), n));
            for ((what, a), (_, b)) in pairs {
                assert_close(&format!("{name} {sampling:?} {what}"), &a, &b);
            }
        }
    }
    // The draws beyond the stability draws, which are all checked for leaving, go without
    // rows.
    assert!(aggregated > 0, "no shipped scenario aggregated a draw");
}

/// Core stability on draws without rows, which the core checks see only through their NPVs:
/// stability on every draw, beyond the first `LEAVING_DRAWS` (whose leaving checks read the
/// years) the draws go without rows. The same counts as with every row built — the keys' and
/// the views' core stability, the coalition most often tempted — and the same NPVs up to
/// rounding, on every shipped scenario.
#[test]
fn core_checks_on_draws_without_rows_count_as_with_rows() {
    use samkost_core::simulation::LEAVING_DRAWS;
    let beyond = 128;
    let mut checked = 0;
    for (name, text) in shipped() {
        let (scenario, keys) = scenario_and_keys(&name, &text);
        let model = &scenario.model;
        let config = |detailed| RunConfig {
            n_draws: LEAVING_DRAWS + beyond,
            seed: 5,
            sampling: SamplingMethod::MonteCarlo,
            max_stored_draws: 1_000_000,
            stability_draws: LEAVING_DRAWS + beyond,
            band_draws: 0,
            accounts: false,
            detailed,
        };
        let rows = run(model, &keys, &config(true), &NoProgress).unwrap();
        let sums = run(model, &keys, &config(false), &NoProgress).unwrap();
        if sums.aggregated_draws == 0 {
            // Rows throughout (membership events, an existing cooperation, keys by year).
            continue;
        }
        assert_eq!(sums.aggregated_draws, beyond, "{name}");
        checked += 1;
        assert_eq!(sums.stability_draws, LEAVING_DRAWS + beyond, "{name}");
        for (k, (a, b)) in rows.keys.iter().zip(&sums.keys).enumerate() {
            assert_eq!(
                format!("{:?}", (&a.p_core_stable, &a.top_breakaway)),
                format!("{:?}", (&b.p_core_stable, &b.top_breakaway)),
                "{name}: key {k}"
            );
        }
        for (k, (a, b)) in rows.views.iter().zip(&sums.views).enumerate() {
            assert_eq!(a.p_core_stable, b.p_core_stable, "{name}: key {k}'s views");
        }
        let n = model.n_members();
        let (a, b) = (numbers(&rows, keys.len(), n), numbers(&sums, keys.len(), n));
        assert_close(&format!("{name} NPV"), &a[0].1, &b[0].1);
    }
    assert!(
        checked >= 2,
        "only {checked} shipped scenarios aggregate draws"
    );
}

/// The evaluator of sensitivity analyses ([`DrawEvaluator`]) against [`evaluate_draw`], which
/// builds every row (and which `sensitivity::evaluate_draw_reproduces_the_run_draw_by_draw`
/// ties to the run): every NPV of 48 draws of every shipped scenario with all its keys at their
/// planning shares, evaluated on two threads at once that share the evaluator's buffers.
#[test]
fn the_draw_evaluator_gives_the_numbers_of_the_rows() {
    let mut fast = 0;
    for (name, text) in shipped() {
        let scenario = crate::parse(&text).unwrap();
        let model = &scenario.model;
        let (keys, _) = resolve_keys(model, &scenario.keys, 2, &scenario.planning).unwrap();
        let discount = model.discounting.factors(model.horizon_years);
        let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 48, 7).unwrap();
        let draws: Vec<&[f64]> = sample.chunks(model.parameters.len()).collect();
        let evaluator = DrawEvaluator::new(model, &keys, discount.clone());
        fast += usize::from(evaluator.without_rows());
        let halves = draws.split_at(draws.len() / 2);
        let shared = &evaluator;
        let run_half = move |half: &[&[f64]]| {
            half.iter()
                .map(|params| shared.npvs(params, <[f64]>::to_vec))
                .collect::<Vec<_>>()
        };
        let evaluated: Vec<Vec<f64>> = std::thread::scope(|scope| {
            let first = scope.spawn(move || run_half(halves.0));
            let mut out = run_half(halves.1);
            let mut all = first.join().unwrap();
            all.append(&mut out);
            all
        });
        for (d, (params, got)) in draws.iter().zip(&evaluated).enumerate() {
            let want = evaluate_draw(model, &keys, params, &discount, &mut DrawScratch::default());
            assert_close(&format!("{name}, draw {d}"), &want, got);
        }
    }
    assert!(
        fast >= 2,
        "the evaluator goes without rows in {fast} shipped scenarios"
    );
}

/// Draws written onto the tape in groups (`Model::write_flows` over lanes, the run's draws
/// that need no rows) against the same draws written one at a time ([`DrawEvaluator`], the
/// same tape with one lane): every member's NPV under every key and the region's, in every
/// draw of every shipped scenario whose draws go without rows, the same to the bit. A lane
/// takes its amounts from its own draw by the same expressions as a draw written alone, so
/// nothing may differ, not even in the last place; three sampling methods, so that the groups
/// hold draws of each design.
#[test]
fn draws_written_in_groups_are_the_draws_written_alone_to_the_bit() {
    let mut grouped = 0;
    for (name, text) in shipped() {
        let (scenario, keys) = scenario_and_keys(&name, &text);
        let model = &scenario.model;
        let evaluator = evaluator_of(model, &keys);
        for sampling in SAMPLING_METHODS {
            let config = RunConfig {
                n_draws: 600,
                seed: 23,
                sampling,
                max_stored_draws: 1_000_000,
                stability_draws: 0,
                band_draws: 0,
                accounts: false,
                detailed: false,
            };
            let run = run(model, &keys, &config, &NoProgress).unwrap();
            if run.aggregated_draws == 0 {
                // Rows throughout (membership events, an existing cooperation, keys by year).
                continue;
            }
            grouped += 1;
            let n = model.n_members();
            let sample = parameter_sample(model, sampling, config.n_draws, config.seed).unwrap();
            for (d, params) in sample.chunks(model.parameters.len()).enumerate() {
                let alone = evaluator.npvs(params, <[f64]>::to_vec);
                let in_run = (0..keys.len() * n)
                    .map(|c| run.draw_member_npv(c / n, c % n, d).unwrap())
                    .chain([run.draw_region_npv(d).unwrap()]);
                let what = format!("{name} {sampling:?}, draw {d}, alone and in a group");
                assert_same_bits(&what, alone, in_run);
            }
        }
    }
    assert!(grouped >= 6, "only {grouped} runs wrote draws in groups");
}

/// The NPV columns a run keeps (`simulation/kept.rs`): a key whose shares are the same in
/// every draw and year is not kept column by column but computed again from each member's
/// base and the pooled NPVs. On every shipped scenario with all its keys (ex-post keys
/// included), a detailed run with stability draws and fan bands (every draw with its rows and
/// its realised game): every such key's NPVs in every draw against [`evaluate_draw`], which
/// builds the draw from its parameters with the planning shares, to the bit; and every
/// column's P10, P50 and P90 in the run's summaries against a second computation, a full sort
/// of the column's values as the run hands them out (`draw_member_npv`), also to the bit.
#[test]
fn kept_columns_give_the_npvs_and_percentiles_of_every_draw() {
    let mut rebuilt = 0;
    for (name, text) in shipped() {
        let scenario = crate::parse(&text).unwrap_or_else(|d| panic!("{name}: {d}"));
        let model = &scenario.model;
        let (keys, _) = resolve_keys(model, &scenario.keys, 1, &scenario.planning).unwrap();
        let config = RunConfig {
            n_draws: 120,
            seed: 5,
            sampling: SamplingMethod::MonteCarlo,
            max_stored_draws: 1_000_000,
            stability_draws: 40,
            band_draws: 30,
            accounts: false,
            detailed: true,
        };
        let results = run(model, &keys, &config, &NoProgress).unwrap();
        let n = model.n_members();
        let draws = config.n_draws as usize;
        let sample = parameter_sample(model, config.sampling, config.n_draws, config.seed).unwrap();
        let discount = model.discounting.factors(model.horizon_years);
        let fixed: Vec<usize> = (0..keys.len())
            .filter(|&k| {
                let key = &keys[k];
                !model.has_events()
                    && !key.is_ex_post()
                    && key.yearly.is_none()
                    && key.components.is_none()
            })
            .collect();
        rebuilt += fixed.len();
        for (d, params) in sample.chunks(model.parameters.len()).enumerate() {
            let want = evaluate_draw(model, &keys, params, &discount, &mut DrawScratch::default());
            for &k in &fixed {
                let kept = (0..n).map(|i| results.draw_member_npv(k, i, d).unwrap());
                let what = format!("{name}, draw {d}, key {k}, evaluated and kept");
                assert_same_bits(&what, want[k * n..(k + 1) * n].to_vec(), kept);
            }
        }
        let sorted_quantiles = |mut column: Vec<f64>| {
            column.sort_by(f64::total_cmp);
            [0.1, 0.5, 0.9].map(|p| quantile_type7(&column, p))
        };
        for (k, key) in results.keys.iter().enumerate() {
            for (i, member) in key.members.iter().enumerate() {
                let column = (0..draws).map(|d| results.draw_member_npv(k, i, d).unwrap());
                let s = &member.npv_net_benefit;
                let summary = [s.p10, s.p50, s.p90].map(f64::to_bits);
                let want = sorted_quantiles(column.collect()).map(f64::to_bits);
                assert_eq!(summary, want, "{name}, key {k}, member {i}");
            }
        }
        let region = (0..draws).map(|d| results.draw_region_npv(d).unwrap());
        let s = &results.region_npv;
        let want = sorted_quantiles(region.collect()).map(f64::to_bits);
        assert_eq!(
            [s.p10, s.p50, s.p90].map(f64::to_bits),
            want,
            "{name}, region"
        );
    }
    assert!(rebuilt >= 10, "only {rebuilt} keys computed again");
}

/// [`DrawEvaluator::npvs_group`] (the sensitivity analyses' rows eight at a time, their flows
/// written onto the tape in one pass as a run's groups are) against [`DrawEvaluator::npvs`] of
/// each row alone: every NPV of 61 draws of every shipped scenario, in groups of eight and a
/// last group of five (which goes one by one), the same to the bit.
#[test]
fn the_draw_evaluator_in_groups_gives_the_npvs_of_its_rows_alone() {
    let mut grouped = 0;
    for (name, text) in shipped() {
        let (scenario, keys) = scenario_and_keys(&name, &text);
        let model = &scenario.model;
        let evaluator = evaluator_of(model, &keys);
        grouped += usize::from(evaluator.without_rows());
        let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 61, 11).unwrap();
        let draws: Vec<&[f64]> = sample.chunks(model.parameters.len()).collect();
        for (g, group) in draws.chunks(GROUP_DRAWS).enumerate() {
            let mut got: Vec<Vec<f64>> = vec![Vec::new(); group.len()];
            evaluator.npvs_group(group, |j, npvs| got[j] = npvs.to_vec());
            for (j, (params, got)) in group.iter().zip(&got).enumerate() {
                let alone = evaluator.npvs(params, <[f64]>::to_vec);
                let d = g * GROUP_DRAWS + j;
                let what = format!("{name}, draw {d}, alone and in a group");
                assert_same_bits(&what, alone, got.iter().copied());
            }
        }
    }
    assert!(grouped >= 2, "only {grouped} scenarios write groups");
}
