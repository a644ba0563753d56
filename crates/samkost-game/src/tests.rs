//! Reference and property tests that span modules: published nucleoli, closed forms, a
//! second nucleolus method, and proptests over random subadditive games.

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::lp::{Lp, Row};
use crate::*;

/// Tolerance for comparing LP-based results, relative to the game's scale.
const LP_CMP: f64 = 1e-6;

pub(crate) fn assert_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol,
            "{what}: player {i}: got {g}, want {w} (tol {tol})\n got {got:?}\nwant {want:?}"
        );
    }
}

/// A game whose coalitions are listed in the lexicographic order of their sorted member
/// lists, players numbered from 1: `[1], [1,2], [1,2,3], [1,3], [2], [2,3], [3]` for
/// `n = 3`. This is the order of A. Churkin's `Shapley_matrix.jl` (ForecastVal-E,
/// `functions/valuation/`), from whose tests the Guajardo–Jörnsten games are transcribed.
fn lexicographic_game(n: usize, values: &[f64], sign: f64) -> CostGame {
    let mut coalitions: Vec<Vec<usize>> = (1u32..1 << n)
        .map(|m| {
            (0..n)
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| i + 1)
                .collect()
        })
        .collect();
    coalitions.sort();
    assert_eq!(coalitions.len(), values.len().min(coalitions.len()));
    let listed: Vec<(u32, f64)> = coalitions
        .iter()
        .zip(values)
        .map(|(members, &v)| (members.iter().map(|&i| 1u32 << (i - 1)).sum(), sign * v))
        .collect();
    CostGame::from_partial(n, &listed, false).unwrap()
}

/// The four games of Guajardo & Jörnsten (2015), "Common mistakes in computing the
/// nucleolus", EJOR 241(3):931–935, with their published (correct) nucleoli, as transcribed
/// in A. Churkin's test script `tests/test_Nucleolus.jl` (ForecastVal-E). Value games are
/// turned into cost games by `c = −v`; the cost nucleolus is then `−` the value nucleolus.
fn guajardo_jornsten_games() -> Vec<(&'static str, CostGame, Vec<f64>)> {
    vec![
        (
            "insurance, Lemaire (1991), 3 players (value game)",
            lexicographic_game(
                3,
                &[46125.0, 69187.5, 90000.0, 53812.5, 17437.5, 30750.0, 5812.5],
                -1.0,
            ),
            vec![-52687.5, -24468.75, -12843.75],
        ),
        (
            "mobiles in broadcast transmission, Hasan et al. (2011), 4 players (cost game)",
            lexicographic_game(
                4,
                &[
                    8.0, 8.0, 10.0, 20.0, 19.0, 10.0, 20.0, 19.0, 1.0, 10.0, 13.0, 12.0, 10.0,
                    12.0, 11.0,
                ],
                1.0,
            ),
            vec![7.5, 0.5, 1.5, 10.5],
        ),
        (
            "manufacturing, Oh & Shin (2012), 3 players (cost game)",
            lexicographic_game(
                3,
                &[
                    375144.0, 568232.0, 772500.0, 551055.0, 245280.0, 452411.0, 211239.0,
                ],
                1.0,
            ),
            vec![331695.25, 233051.25, 207753.5],
        ),
        (
            "production and transportation, Sakawa et al. (2001), 5 players (value game)",
            lexicographic_game(
                5,
                &[
                    0.060, 0.378, 0.536, 0.906, 1.0, 0.573, 0.747, 0.874, 0.485, 0.144, 0.546,
                    0.634, 0.255, 0.408, 0.561, 0.182, 0.168, 0.337, 0.706, 0.801, 0.379, 0.538,
                    0.668, 0.279, 0.03, 0.383, 0.473, 0.083, 0.249, 0.386, 0.0,
                ],
                -1.0,
            ),
            vec![-0.165, -0.3205, -0.0845, -0.3745, -0.0555],
        ),
    ]
}

#[test]
fn nucleolus_matches_guajardo_jornsten_published_values() {
    for (name, game, want) in guajardo_jornsten_games() {
        let got = nucleolus(&game).unwrap();
        assert_close(&got, &want, LP_CMP * game.scale(), name);
        let reference = reference_nucleolus(&game);
        assert_close(&reference, &want, LP_CMP * game.scale(), name);
    }
}

/// A second, independent nucleolus method used only in tests: no row generation, and the
/// tight set identified without duals, by the extra LP per candidate coalition that
/// Guajardo & Jörnsten (2015, §3) describe: after stage `k` with optimum `t*`, coalition `S`
/// (tight at the returned solution) is tight in every optimum iff
/// `max { c(S) − x(S) : stage-k constraints with t = t* } = t*`.
pub(crate) fn reference_nucleolus(game: &CostGame) -> Vec<f64> {
    let n = game.n();
    let grand = game.grand_mask();
    let scale = game.scale();
    let c = |m: u32| game.cost(m) / scale;
    let members = |m: u32| -> Vec<(usize, f64)> {
        (0..n)
            .filter(|&i| m & (1 << i) != 0)
            .map(|i| (i, 1.0))
            .collect()
    };
    let mut fixed: Vec<(u32, f64)> = Vec::new();
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let add_basis = |m: u32, basis: &mut Vec<Vec<f64>>| {
        let mut v: Vec<f64> = (0..n).map(|i| f64::from((m >> i) & 1)).collect();
        for b in basis.iter() {
            let d: f64 = v.iter().zip(b).map(|(a, c)| a * c).sum();
            v.iter_mut().zip(b).for_each(|(a, c)| *a -= d * c);
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm > 1e-8 {
            basis.push(v.iter().map(|a| a / norm).collect());
        }
    };
    add_basis(grand, &mut basis);
    let equalities = |fixed: &[(u32, f64)]| -> Vec<Row> {
        let mut rows = vec![Row {
            coefs: members(grand),
            rhs: c(grand),
        }];
        rows.extend(fixed.iter().map(|&(m, e)| Row {
            coefs: members(m),
            rhs: c(m) - e,
        }));
        rows
    };
    let is_fixed = |m: u32, fixed: &[(u32, f64)]| fixed.iter().any(|&(f, _)| f == m);
    loop {
        let open: Vec<u32> = (1..grand).filter(|&m| !is_fixed(m, &fixed)).collect();
        let stage = Lp {
            n_vars: n + 1,
            objective: (0..=n).map(|i| if i == n { -1.0 } else { 0.0 }).collect(),
            equalities: equalities(&fixed),
            inequalities: open
                .iter()
                .map(|&m| {
                    let mut coefs = members(m);
                    coefs.push((n, 1.0));
                    Row { coefs, rhs: c(m) }
                })
                .collect(),
        };
        let solution = stage.solve("reference stage").unwrap();
        let t = solution.y[n];
        let x = solution.y[..n].to_vec();
        let mut newly = Vec::new();
        for (r, &m) in open.iter().enumerate() {
            if solution.slacks[r] > 1e-6 {
                continue;
            }
            // Maximise c(S) − x(S), i.e. minimise x(S), keeping every open excess ≥ t.
            let probe = Lp {
                n_vars: n,
                objective: (0..n).map(|i| f64::from((m >> i) & 1)).collect(),
                equalities: equalities(&fixed),
                // Relaxed by 1e-8 so the feasible set keeps an interior for the interior-point solver.
                inequalities: open
                    .iter()
                    .map(|&o| Row {
                        coefs: members(o),
                        rhs: c(o) - t + 1e-8,
                    })
                    .collect(),
            };
            let p = probe.solve("reference probe").unwrap();
            let x_s: f64 = (0..n).filter(|&i| m & (1 << i) != 0).map(|i| p.y[i]).sum();
            if c(m) - x_s <= t + 1e-6 {
                newly.push(m);
            }
        }
        assert!(!newly.is_empty(), "reference nucleolus made no progress");
        for m in newly {
            fixed.push((m, t));
            add_basis(m, &mut basis);
        }
        if basis.len() == n {
            return x.iter().map(|v| v * scale).collect();
        }
    }
}

/// c(S) = F + Σ_{i∈S} v_i ⇒ Shapley = nucleolus = F/n + v_i (DOMAIN.md §4).
#[test]
fn fixed_plus_additive_game_has_closed_form_shapley_and_nucleolus() {
    let fixed = 12.0;
    let v = [3.0, 1.0, 4.0, 1.5, 9.0, 2.6];
    let n = v.len();
    let game = CostGame::from_fn(n, |m| {
        fixed
            + (0..n)
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| v[i])
                .sum::<f64>()
    })
    .unwrap();
    let want: Vec<f64> = v.iter().map(|vi| fixed / n as f64 + vi).collect();
    assert_close(&shapley_exact(&game), &want, 1e-12, "shapley");
    assert_close(
        &nucleolus(&game).unwrap(),
        &want,
        LP_CMP * game.scale(),
        "nucleolus",
    );
}

/// The airport game (Littlechild & Owen 1973, "A simple expression for the Shapley value in
/// a special case", Mgmt Sci 20:370–372): `c(S) = max_{i∈S} c_i`. With `c_1 ≤ … ≤ c_n`,
/// `φ_i = Σ_{k ≤ i} (c_k − c_{k−1}) / (n − k + 1)`: each runway segment is shared equally by
/// the players that need it.
#[test]
fn airport_game_shapley_is_littlechild_owen() {
    let runway = [1.0, 2.0, 2.0, 3.5, 7.0, 8.0, 10.0];
    let game = airport(&runway);
    let n = runway.len();
    let mut want = vec![0.0; n];
    let mut previous = 0.0;
    let mut cumulative = 0.0;
    for k in 0..n {
        cumulative += (runway[k] - previous) / (n - k) as f64;
        previous = runway[k];
        want[k] = cumulative;
    }
    assert_close(&shapley_exact(&game), &want, 1e-12, "airport shapley");
}

fn airport(runway: &[f64]) -> CostGame {
    CostGame::from_fn(runway.len(), |m| {
        (0..runway.len())
            .filter(|&i| m & (1 << i) != 0)
            .map(|i| runway[i])
            .fold(0.0, f64::max)
    })
    .unwrap()
}

/// The airport game's nucleolus by Littlechild's (1974, "A simple expression for the
/// nucleolus in a special case", IJGT 3:21–29) recursion: with costs sorted, the first
/// block of players gets `min_{j<n} c_j / (j + 1)` each (balancing the excess of the
/// complements `N∖{i}`, which is `x_i`, against that of `{1..j}`, `c_j − x(1..j)`); then the
/// same is repeated on the players left with `c_j` reduced by what is already assigned.
/// The recursion is cross-checked here against both nucleolus implementations.
#[test]
fn airport_game_nucleolus_is_littlechild() {
    let runway = [1.0, 2.0, 2.0, 3.5, 7.0, 8.0, 10.0];
    let n = runway.len();
    let mut want = vec![0.0; n];
    let mut assigned = 0usize;
    let mut paid = 0.0;
    while assigned < n - 1 {
        let (best_j, best_level) = (assigned..n - 1)
            .map(|j| (j, (runway[j] - paid) / (j - assigned + 2) as f64))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        for slot in want.iter_mut().take(best_j + 1).skip(assigned) {
            *slot = best_level;
        }
        paid += best_level * (best_j + 1 - assigned) as f64;
        assigned = best_j + 1;
    }
    want[n - 1] = runway[n - 1] - paid;
    let game = airport(&runway);
    assert_close(&nucleolus(&game).unwrap(), &want, 1e-6, "airport nucleolus");
    assert_close(
        &reference_nucleolus(&game),
        &want,
        1e-6,
        "airport reference nucleolus",
    );
}

/// A textbook-style 3-player cost game, every number computed by hand:
/// c(1)=25, c(2)=30, c(3)=50, c(12)=40, c(13)=60, c(23)=70, c(123)=80.
/// - Shapley, `φ_i = c(i)/3 + [c(ij)−c(j)]/6 + [c(ik)−c(k)]/6 + [c(N)−c(jk)]/3`:
///   (15, 22.5, 42.5).
/// - Nucleolus: pair excesses are `x_1 − 10`, `x_2 − 20`, `x_3 − 40`; maximising their
///   minimum `t` under `Σx = 80` gives `70 + 3t = 80`, `t = 10/3`, x = (40/3, 70/3, 130/3)
///   (singleton excesses are then larger); least-core `ε* = −10/3`.
/// - SCRB: SC = (10, 20, 40), r = (15, 10, 10), NSC = 10 ⇒ (100/7, 160/7, 300/7).
/// - Proportional to standalone (and proportional savings): 80·(25, 30, 50)/105;
///   equal savings: savings 25 ⇒ (25, 30, 50) − 25/3.
#[test]
fn textbook_three_player_game_by_hand() {
    let game =
        CostGame::from_table(3, vec![0.0, 25.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]).unwrap();
    assert_close(&shapley_exact(&game), &[15.0, 22.5, 42.5], 1e-12, "shapley");
    let third = 1.0 / 3.0;
    assert_close(
        &nucleolus(&game).unwrap(),
        &[40.0 * third, 70.0 * third, 130.0 * third],
        1e-6,
        "nucleolus",
    );
    let lc = least_core(&game).unwrap();
    assert!(
        (lc.epsilon + 10.0 / 3.0).abs() < 1e-6,
        "least core ε {}",
        lc.epsilon
    );
    assert_close(
        &scrb(&game),
        &[100.0 / 7.0, 160.0 / 7.0, 300.0 / 7.0],
        1e-12,
        "scrb",
    );
    let prop: Vec<f64> = [25.0, 30.0, 50.0]
        .iter()
        .map(|c| 80.0 * c / 105.0)
        .collect();
    assert_close(
        &proportional_to_standalone(&game).unwrap(),
        &prop,
        1e-12,
        "proportional",
    );
    assert_close(
        &proportional_savings(&game).unwrap(),
        &prop,
        1e-12,
        "proportional savings",
    );
    let eq: Vec<f64> = [25.0, 30.0, 50.0].iter().map(|c| c - 25.0 / 3.0).collect();
    assert_close(&equal_savings(&game), &eq, 1e-12, "equal savings");
    assert_close(&equal_split(&game), &[80.0 / 3.0; 3], 1e-12, "equal split");
    let report = core_report(&game, &shapley_exact(&game)).unwrap();
    assert!(report.in_core);
    assert!((report.max_excess - (-2.5)).abs() < 1e-12, "{report:?}");
    assert_eq!(report.most_tempting, 0b011);
}

/// A game with an empty core: three players, any pair costs 1 but all three together 1.8
/// (> 3/2 · 1, so Bondareva–Shapley fails). Least core: each pays 0.6, pairs overpay 0.2.
#[test]
fn empty_core_is_detected() {
    let game = CostGame::from_fn(3, |m| match m.count_ones() {
        1 => 1.0,
        2 => 1.0,
        _ => 1.8,
    })
    .unwrap();
    let lc = least_core(&game).unwrap();
    assert!((lc.epsilon - 0.2).abs() < 1e-7, "{lc:?}");
    assert!(!core_nonempty(&game).unwrap());
    assert_close(
        &nucleolus(&game).unwrap(),
        &[0.6; 3],
        1e-7,
        "symmetric nucleolus",
    );
    let violated = violated_coalitions(&game, &[0.6; 3], 10).unwrap();
    assert_eq!(violated.len(), 3);
    assert!((violated[0].1 - 0.2).abs() < 1e-12);
}

#[test]
fn sampled_shapley_agrees_with_exact_within_four_standard_errors() {
    let n = 10;
    let w: Vec<f64> = (0..n).map(|i| 1.0 + (i * i % 7) as f64).collect();
    let cost_of = |members: &[bool]| -> f64 {
        let load: f64 = members
            .iter()
            .zip(&w)
            .filter(|(m, _)| **m)
            .map(|(_, w)| w)
            .sum();
        if load == 0.0 {
            0.0
        } else {
            5.0 + 3.0 * load.powf(0.7) + (load * 1.3).sin()
        }
    };
    let game = CostGame::from_fn(n, |m| {
        let members: Vec<bool> = (0..n).map(|i| m & (1 << i) != 0).collect();
        cost_of(&members)
    })
    .unwrap();
    let exact = shapley_exact(&game);
    let mut rng = ChaCha8Rng::seed_from_u64(20240601);
    let sampled = shapley_sampled(cost_of, n, 4000, &mut rng).unwrap();
    assert!((sampled.values.iter().sum::<f64>() - game.grand()).abs() < 1e-9);
    for (i, (&estimate, &se)) in sampled.values.iter().zip(&sampled.std_errors).enumerate() {
        assert!(se > 0.0 && se < 0.1, "se {se}");
        assert!(
            (estimate - exact[i]).abs() <= 4.0 * se + 1e-12,
            "player {i}"
        );
    }
}

#[test]
fn size_game_shapley_matches_exact_table() {
    let weights = [3u64, 1, 4, 1, 5, 9, 2, 6];
    let f = |w: u64| 10.0 + 4.0 * (w as f64).powf(0.6);
    let game = CostGame::from_fn(weights.len(), |m| {
        f((0..weights.len())
            .filter(|&i| m & (1 << i) != 0)
            .map(|i| weights[i])
            .sum())
    })
    .unwrap();
    let by_size = shapley_size_game(&weights, f).unwrap();
    assert_close(&by_size, &shapley_exact(&game), 1e-10, "size-game shapley");
    // Zero weights and a large n still work exactly: 100 equal players share equally.
    let equal = shapley_size_game(&[2; 100], |w| (w as f64).sqrt()).unwrap();
    assert_close(
        &equal,
        &[200f64.sqrt() / 100.0; 100],
        1e-12,
        "equal players",
    );
}

/// A random game on `n` players, symmetric in players 0 and 1, made subadditive by taking the
/// cheapest partition of every coalition (`from_partial` with `complete = true`).
fn random_symmetric_subadditive(n: usize, raw: &[f64]) -> CostGame {
    let canonical = |m: u32| -> u32 {
        // Swap players 0 and 1 so that a lone member of {0, 1} is always player 0.
        if m & 0b11 == 0b10 { m ^ 0b11 } else { m }
    };
    let listed: Vec<(u32, f64)> = (1u32..1 << n)
        .map(|m| {
            // Players 0 and 1 get the same base weight.
            let base: f64 = (0..n)
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| 1.0 + i.max(1) as f64 * 0.3)
                .sum();
            (
                m,
                base * (0.55 + 0.45 * raw[canonical(m) as usize % raw.len()]),
            )
        })
        .collect();
    CostGame::from_partial(n, &listed, true).unwrap()
}

fn all_allocations(game: &CostGame) -> Vec<(&'static str, Vec<f64>)> {
    vec![
        ("shapley", shapley_exact(game)),
        ("nucleolus", nucleolus(game).unwrap()),
        ("scrb", scrb(game)),
        ("equal savings", equal_savings(game)),
        ("proportional savings", proportional_savings(game).unwrap()),
        (
            "proportional to standalone",
            proportional_to_standalone(game).unwrap(),
        ),
        ("equal split", equal_split(game)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every key is efficient and treats the symmetric players 0 and 1 equally; the least
    /// core's ε* equals the nucleolus's largest overpayment (the nucleolus lies in the least
    /// core), so ε* ≤ 0 iff the nucleolus is in the core iff the core is non-empty.
    #[test]
    fn keys_are_efficient_and_symmetric(n in 2usize..=6, raw in prop::collection::vec(0.0f64..1.0, 128)) {
        let game = random_symmetric_subadditive(n, &raw);
        prop_assert!(game.is_subadditive().unwrap());
        let tol = LP_CMP * game.scale();
        for (name, x) in all_allocations(&game) {
            prop_assert!((x.iter().sum::<f64>() - game.grand()).abs() < 1e-9 * game.scale(), "{name} not efficient");
            prop_assert!((x[0] - x[1]).abs() < tol, "{name}: symmetric players pay {} and {}", x[0], x[1]);
        }
        let lc = least_core(&game).unwrap();
        let at_nucleolus = core_report(&game, &nucleolus(&game).unwrap()).unwrap();
        prop_assert!((lc.epsilon - at_nucleolus.max_excess).abs() < tol, "ε* {} vs nucleolus {}", lc.epsilon, at_nucleolus.max_excess);
        prop_assert_eq!(core_nonempty(&game).unwrap(), at_nucleolus.max_excess <= tol);
    }

    /// The dual-based nucleolus agrees with the probe-LP reference method.
    #[test]
    fn nucleolus_agrees_with_reference_method(n in 2usize..=5, raw in prop::collection::vec(0.0f64..1.0, 64)) {
        let game = random_symmetric_subadditive(n, &raw);
        let got = nucleolus(&game).unwrap();
        let want = reference_nucleolus(&game);
        for i in 0..n {
            prop_assert!((got[i] - want[i]).abs() < LP_CMP * game.scale(), "{got:?} vs {want:?}");
        }
    }

    /// c(S) = f(Σ_{i∈S} w_i) with f concave, f(0) = 0 (a fixed cost F for any non-empty
    /// coalition keeps f concave on [0, ∞)): submodular, so the core is non-empty and holds
    /// the Shapley value (Shapley 1971) and the nucleolus.
    #[test]
    fn concave_size_games_have_shapley_and_nucleolus_in_core(
        weights in prop::collection::vec(1u64..50, 2..=8),
        fixed in 0.0f64..20.0,
        beta in 0.2f64..1.0,
    ) {
        let f = |w: u64| if w == 0 { 0.0 } else { fixed + (w as f64).powf(beta) };
        let n = weights.len();
        let game = CostGame::from_fn(n, |m| f((0..n).filter(|&i| m & (1 << i) != 0).map(|i| weights[i]).sum())).unwrap();
        prop_assert!(game.is_submodular());
        let shapley = shapley_exact(&game);
        prop_assert!(core_report(&game, &shapley).unwrap().in_core);
        let by_size = shapley_size_game(&weights, f).unwrap();
        for i in 0..n {
            prop_assert!((by_size[i] - shapley[i]).abs() < 1e-9 * game.scale());
        }
        prop_assert!(core_nonempty(&game).unwrap());
        prop_assert!(least_core(&game).unwrap().epsilon <= LP_REL_TOL * game.scale());
        let nucl = core_report(&game, &nucleolus(&game).unwrap()).unwrap();
        prop_assert!(nucl.max_excess <= LP_CMP * game.scale(), "{nucl:?}");
    }
}

#[test]
fn core_search_finds_the_tempting_group_of_a_large_game() {
    // 40 players, c(S) = 10 + |S|: the allocation charges players 0 and 1 heavily, so the
    // pair {0, 1} (cost 12, charged 2·5) is fine but singletons {0} (cost 11) are not
    // tempted either; player 0 alone pays 20 > 11.
    let n = 40;
    let mut x = vec![(50.0 - 20.0) / 39.0; n];
    x[0] = 20.0;
    let cost = |members: &[bool]| 10.0 + members.iter().filter(|m| **m).count() as f64;
    let found = core_search(n, cost, &x, 2).unwrap();
    assert!((found.max_excess - 9.0).abs() < 1e-12, "{found:?}");
    assert_eq!(found.most_tempting, vec![0]);
    let fair = vec![50.0 / 40.0; n];
    let fine = core_search(n, cost, &fair, 2).unwrap();
    assert!(fine.max_excess <= 0.0, "{fine:?}");
}
