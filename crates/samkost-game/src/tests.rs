//! Reference and property tests that span modules: published nucleoli and prenucleoli,
//! closed forms, second methods (one extra LP per candidate coalition; brute force over a
//! grid of allocations for three players), and proptests over random games.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
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

/// Their published values are nucleoli over the imputations. In these four games the
/// prenucleolus is an imputation, so it is the same point: both must match.
#[test]
fn nucleolus_matches_guajardo_jornsten_published_values() {
    for (name, game, want) in guajardo_jornsten_games() {
        let tol = LP_CMP * game.scale();
        assert_close(&nucleolus(&game).unwrap(), &want, tol, name);
        assert_close(&prenucleolus(&game).unwrap(), &want, tol, name);
        assert_close(&reference_nucleolus(&game, true), &want, tol, name);
        assert_close(&reference_nucleolus(&game, false), &want, tol, name);
    }
}

/// A second, independent (pre)nucleolus method used only in tests: no row generation, and
/// the tight set identified without duals, by the extra LP per candidate coalition that
/// Guajardo & Jörnsten (2015, §3) describe: after stage `k` with optimum `t*`, coalition `S`
/// (tight at the returned solution) is tight in every optimum iff
/// `max { c(S) − x(S) : stage-k constraints with t = t* } = t*`. With `imputations` every LP
/// also has the rows `x_i ≤ c({i})` (the nucleolus), without them it is the prenucleolus.
pub(crate) fn reference_nucleolus(game: &CostGame, imputations: bool) -> Vec<f64> {
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
    let mut settled: Vec<u32> = Vec::new();
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
    let is_settled = |m: u32, settled: &[u32]| settled.contains(&m);
    // Individual rationality, relaxed by `slack` (the probes keep an interior with it).
    let bounds = |slack: f64| -> Vec<Row> {
        if !imputations {
            return Vec::new();
        }
        (0..n)
            .map(|i| Row {
                coefs: vec![(i, 1.0)],
                rhs: c(1 << i) + slack,
            })
            .collect()
    };
    loop {
        let open: Vec<u32> = (1..grand).filter(|&m| !is_settled(m, &settled)).collect();
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
                .chain(bounds(0.0))
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
                    .chain(bounds(1e-8))
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
            // A coalition whose row depends on those fixed before is settled by them: it
            // leaves the open set but adds no equality (a redundant equality makes the
            // interior-point solver fail on degenerate games, such as many zero costs).
            settled.push(m);
            let rank = basis.len();
            add_basis(m, &mut basis);
            if basis.len() > rank {
                fixed.push((m, t));
            }
        }
        if basis.len() == n {
            return x.iter().map(|v| v * scale).collect();
        }
    }
}

/// c(S) = F + Σ_{i∈S} v_i ⇒ Shapley = nucleolus = prenucleolus = F/n + v_i
/// (docs/MODEL.md §10, "Closed forms used as tests"). The core is non-empty (the allocation
/// is in it: a coalition S pays |S|·F/n + v(S) ≤ F + v(S)), so the two nucleoli coincide.
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
    assert_close(
        &prenucleolus(&game).unwrap(),
        &want,
        LP_CMP * game.scale(),
        "prenucleolus",
    );
    assert!(core_nonempty(&game).unwrap());
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
        &prenucleolus(&game).unwrap(),
        &want,
        1e-6,
        "airport prenucleolus",
    );
    assert_close(
        &reference_nucleolus(&game, true),
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
    // Symmetric, and 0.6 ≤ c({i}) = 1: the prenucleolus is an imputation, so both agree.
    for x in [nucleolus(&game).unwrap(), prenucleolus(&game).unwrap()] {
        assert_close(&x, &[0.6; 3], 1e-7, "symmetric nucleolus");
    }
    let violated = violated_coalitions(&game, &[0.6; 3], 10).unwrap();
    assert_eq!(violated.len(), 3);
    assert!((violated[0].1 - 0.2).abs() < 1e-12);
}

/// The (pre)nucleolus of a three-player game by brute force, a method independent of the
/// LPs: every allocation `(x_0, x_1, c(N) − x_0 − x_1)` with `x_0, x_1` on the grid
/// `lo, lo + step, …, hi` (restricted to imputations, `x_i ≤ c({i})`, when `imputations`) is
/// scored by its excesses `c(S) − x(S)` over the six proper coalitions sorted increasingly,
/// and the lexicographically largest wins. Exact when the answer lies on the grid and every
/// number is a small dyadic rational (then no sum rounds).
fn grid_nucleolus(game: &CostGame, lo: f64, hi: f64, step: f64, imputations: bool) -> Vec<f64> {
    assert_eq!(game.n(), 3);
    let points = ((hi - lo) / step).round() as usize;
    let mut best: Option<(Vec<f64>, Vec<f64>)> = None;
    for a in 0..=points {
        for b in 0..=points {
            let x = [
                lo + a as f64 * step,
                lo + b as f64 * step,
                game.grand() - (lo + a as f64 * step) - (lo + b as f64 * step),
            ];
            if imputations && (0..3).any(|i| x[i] > game.standalone(i)) {
                continue;
            }
            let mut excesses: Vec<f64> = (1u32..7)
                .map(|m| {
                    let paid: f64 = (0..3).filter(|&i| m & (1 << i) != 0).map(|i| x[i]).sum();
                    game.cost(m) - paid
                })
                .collect();
            excesses.sort_by(f64::total_cmp);
            let better = best.as_ref().is_none_or(|(incumbent, _)| {
                excesses
                    .iter()
                    .zip(incumbent)
                    .find(|(e, i)| e != i)
                    .is_some_and(|(e, i)| e > i)
            });
            if better {
                best = Some((excesses, x.to_vec()));
            }
        }
    }
    best.expect("the grid holds an allocation").1
}

/// Peleg & Sudhölter (2007), "Introduction to the Theory of Cooperative Games", 2nd ed.,
/// Example 5.5.12 (p. 96): the value game `v(1,2) = 10`, `v(N) = 2`, every other coalition 0.
/// Published prenucleolus `(3, 3, −4)`, as reproduced in the documentation of the R package
/// CoopGame 0.2.2 (`prenucleolus(c(0,0,0,10,0,0,2))`, "nucleolus and prenucleolus do not
/// coincide"). Player 3 gets −4 < v(3) = 0: the prenucleolus is no imputation.
///
/// Nucleolus, from the definition (no published value found): over the imputations
/// `x_i ≥ 0`, `x(N) = 2`, the largest value excess is `e(12) = 10 − x_1 − x_2 = 8 + x_3`,
/// smallest at `x_3 = 0`; then `e(3) = 0`, and the largest of the remaining excesses
/// `−x_1, −x_2, −x_1 − x_3, −x_2 − x_3` is smallest at `x_1 = x_2 = 1`: `(1, 1, 0)`.
///
/// As a cost game (savings convention, `c(S) = Σ_{i∈S} a_i − v(S)` with standalone costs
/// `a_i = 10`, so that an allocation `y_i = a_i − x_i` has cost excesses equal to minus the
/// value excesses): `c(i) = 10`, `c(1,2) = 10`, `c(1,3) = c(2,3) = 20`, `c(N) = 28`.
/// The two members 1 and 2 save everything together, member 3 only adds cost, and the core
/// is empty (`c(1,2) + c(3) = 20 < 28`). Prenucleolus `y = (7, 7, 14)`: member 3 pays 4 more
/// than alone; nucleolus `y = (9, 9, 10)`: member 3 pays exactly its cost alone.
#[test]
fn peleg_sudholter_example_5_5_12_has_different_nucleolus_and_prenucleolus() {
    let game =
        CostGame::from_table(3, vec![0.0, 10.0, 10.0, 10.0, 10.0, 20.0, 20.0, 28.0]).unwrap();
    assert!(!core_nonempty(&game).unwrap());
    let (pre_want, nucl_want) = ([7.0, 7.0, 14.0], [9.0, 9.0, 10.0]);
    let tol = LP_CMP * game.scale();
    assert_close(
        &prenucleolus(&game).unwrap(),
        &pre_want,
        tol,
        "prenucleolus",
    );
    assert_close(&nucleolus(&game).unwrap(), &nucl_want, tol, "nucleolus");
    assert_close(
        &reference_nucleolus(&game, false),
        &pre_want,
        tol,
        "reference prenucleolus",
    );
    assert_close(
        &reference_nucleolus(&game, true),
        &nucl_want,
        tol,
        "reference nucleolus",
    );
    assert_eq!(grid_nucleolus(&game, 0.0, 20.0, 0.25, false), pre_want);
    assert_eq!(grid_nucleolus(&game, 0.0, 20.0, 0.25, true), nucl_want);
    let detail = nucleolus_detailed(&game).unwrap();
    assert!((detail.levels[0] + 8.0).abs() < tol, "{detail:?}");
}

/// A cost game with an empty core in which one member makes every coalition it joins dearer,
/// every number by hand (no published value; the brute-force grid and the reference LPs are
/// the second methods): `c(A) = 6`, `c(B) = 8`, `c(C) = 4`, `c(A,B) = 9`, `c(A,C) = 10`,
/// `c(B,C) = 12`, `c(N) = 17`. Imputations exist (`Σ c(i) = 18 ≥ 17`); the core is empty
/// (`c(A,B) + c(C) = 13 < 17`).
///
/// - Prenucleolus: `e(A,B) + e(C) = 9 + 4 − 17 = −4` for every efficient `x`, so the first
///   level is `−2` at `x_C = 6`; then `x_A + x_B = 11` and the smallest of `e(A,C) = 4 − x_A`,
///   `e(B,C) = 6 − x_B` (the singletons save more) is largest at `(4.5, 6.5)`, level `−0.5`:
///   `(4.5, 6.5, 6)`, and C pays 2 more than alone.
/// - Nucleolus: `e(A,B) = x_C − 8 ≤ −4` under `x_C ≤ 4`, so the first level is `−4` at
///   `x_C = 4`; `e(C) = 0` comes next; then `x_A + x_B = 13` and the smallest of
///   `e(A) = e(A,C) = 6 − x_A` and `e(B) = e(B,C) = 8 − x_B` is largest at `(5.5, 7.5)`,
///   level `0.5`: `(5.5, 7.5, 4)`.
/// - Least core: `ε* = 2`, the prenucleolus's first level with its sign turned.
#[test]
fn a_member_that_only_adds_cost_pays_its_cost_alone_under_the_nucleolus() {
    let game = CostGame::from_table(3, vec![0.0, 6.0, 8.0, 9.0, 4.0, 10.0, 12.0, 17.0]).unwrap();
    let (pre_want, nucl_want) = ([4.5, 6.5, 6.0], [5.5, 7.5, 4.0]);
    let tol = LP_CMP * game.scale();
    assert!((least_core(&game).unwrap().epsilon - 2.0).abs() < tol);
    assert_close(
        &prenucleolus(&game).unwrap(),
        &pre_want,
        tol,
        "prenucleolus",
    );
    assert_close(&nucleolus(&game).unwrap(), &nucl_want, tol, "nucleolus");
    assert_close(
        &reference_nucleolus(&game, false),
        &pre_want,
        tol,
        "reference prenucleolus",
    );
    assert_close(
        &reference_nucleolus(&game, true),
        &nucl_want,
        tol,
        "reference nucleolus",
    );
    assert_eq!(grid_nucleolus(&game, 0.0, 12.0, 0.25, false), pre_want);
    assert_eq!(grid_nucleolus(&game, 0.0, 12.0, 0.25, true), nucl_want);
    let nucl = core_report(&game, &nucleolus(&game).unwrap()).unwrap();
    let pre = core_report(&game, &prenucleolus(&game).unwrap()).unwrap();
    assert!(!nucl.in_core && !pre.in_core);
    // Under the nucleolus A and B pay 13 together against 9 alone; under the prenucleolus
    // they pay 11, and C overpays as much (6 against 4).
    assert_eq!(nucl.most_tempting, 0b011);
    assert!((nucl.max_excess - 4.0).abs() < tol && (pre.max_excess - 2.0).abs() < tol);
    assert_eq!(
        violated_coalitions(&game, &pre_want, 2).unwrap(),
        [(0b011, 2.0), (0b100, 2.0)]
    );
}

/// The estate division problems of the Babylonian Talmud, Aumann & Maschler (1985), "Game
/// theoretic analysis of a bankruptcy problem from the Talmud", J. Econ. Theory 36:195–213:
/// claims `d = (100, 200, 300)` on an estate `E`, value game
/// `v(S) = max(0, E − Σ_{j∉S} d_j)`. Their published nucleoli (the Talmud's divisions):
/// `E = 100`: `(33⅓, 33⅓, 33⅓)`; `E = 200`: `(50, 75, 75)`; `E = 300`: `(50, 100, 150)`.
/// As a cost game of losses, `c(S) = Σ_{i∈S} d_i − v(S)`, each claimant's loss is
/// `d_i − x_i`. Bankruptcy games are convex (Curiel, Maschler & Tijs 1987), so the core is
/// non-empty and the nucleolus and the prenucleolus coincide.
#[test]
fn talmud_estates_have_aumann_maschler_nucleoli_which_are_also_prenucleoli() {
    let claims = [100.0, 200.0, 300.0];
    let third = 100.0 / 3.0;
    for (estate, awards) in [
        (100.0, [third, third, third]),
        (200.0, [50.0, 75.0, 75.0]),
        (300.0, [50.0, 100.0, 150.0]),
    ] {
        let game = CostGame::from_fn(3, |m| {
            let claimed: f64 = (0..3)
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| claims[i])
                .sum();
            let others: f64 = claims.iter().sum::<f64>() - claimed;
            claimed - (estate - others).max(0.0)
        })
        .unwrap();
        let losses: Vec<f64> = claims.iter().zip(awards).map(|(d, x)| d - x).collect();
        let tol = LP_CMP * game.scale();
        assert!(core_nonempty(&game).unwrap(), "estate {estate}");
        assert_close(&nucleolus(&game).unwrap(), &losses, tol, "nucleolus");
        assert_close(&prenucleolus(&game).unwrap(), &losses, tol, "prenucleolus");
        assert!(
            core_report(&game, &nucleolus(&game).unwrap())
                .unwrap()
                .in_core
        );
    }
}

/// When the members' costs alone add up to less than the cooperation's cost, no allocation
/// keeps everyone at or below its cost alone: the nucleolus does not exist (a typed error),
/// the prenucleolus does. Here `c(i) = 1`, `c(i,j) = 2`, `c(N) = 4`: the prenucleolus is the
/// equal split `4/3` each (symmetry), one third above each member's cost alone.
#[test]
fn the_nucleolus_needs_an_imputation_and_the_prenucleolus_does_not() {
    let game = CostGame::from_fn(3, |m| match m.count_ones() {
        1 => 1.0,
        2 => 2.0,
        _ => 4.0,
    })
    .unwrap();
    let err = nucleolus(&game).unwrap_err();
    assert_eq!(
        err,
        GameError::NoImputation {
            standalone_sum: 3.0,
            grand: 4.0
        }
    );
    assert_eq!(
        err.to_string(),
        "the nucleolus does not exist: no allocation lets every player pay at most its cost alone, because the standalone costs sum to 3, less than the grand coalition's cost 4"
    );
    assert!(matches!(
        Method::Nucleolus.allocate(&game),
        Err(GameError::NoImputation { .. })
    ));
    assert_close(
        &prenucleolus(&game).unwrap(),
        &[4.0 / 3.0; 3],
        1e-7,
        "prenucleolus",
    );
    // Exactly one imputation (Σ c(i) = c(N)): it is the nucleolus, without any LP.
    let single = CostGame::from_table(2, vec![0.0, 2.0, 3.0, 5.0]).unwrap();
    let detail = nucleolus_detailed(&single).unwrap();
    assert_eq!((detail.allocation, detail.n_lp_solves), (vec![2.0, 3.0], 0));
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
        ("prenucleolus", prenucleolus(game).unwrap()),
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
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: RngSeed::Fixed(20240101), ..ProptestConfig::default() })]

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

    /// The dual-based nucleolus and prenucleolus agree with the probe-LP reference method.
    #[test]
    fn nucleolus_agrees_with_reference_method(n in 2usize..=5, raw in prop::collection::vec(0.0f64..1.0, 64)) {
        let game = random_symmetric_subadditive(n, &raw);
        for (imputations, got) in [(true, nucleolus(&game).unwrap()), (false, prenucleolus(&game).unwrap())] {
            let want = reference_nucleolus(&game, imputations);
            for i in 0..n {
                prop_assert!((got[i] - want[i]).abs() < LP_CMP * game.scale(), "{got:?} vs {want:?}");
            }
        }
    }

    /// Games with any core, empty ones included (no subadditive cover): the nucleolus is an
    /// imputation and agrees with the reference method under individual rationality; it equals
    /// the prenucleolus whenever the prenucleolus is an imputation (it then solves the
    /// smaller problem too) and in particular whenever the core is non-empty; without
    /// imputations it is refused.
    #[test]
    fn nucleolus_is_the_prenucleolus_restricted_to_imputations(n in 2usize..=5, raw in prop::collection::vec(0.0f64..1.0, 32)) {
        let game = CostGame::from_fn(n, |m| f64::from(m.count_ones()) * (0.4 + raw[m as usize % raw.len()])).unwrap();
        let tol = LP_CMP * game.scale();
        let pre = prenucleolus(&game).unwrap();
        let standalone = game.standalones();
        if standalone.iter().sum::<f64>() < game.grand() - CORE_REL_TOL * game.scale() {
            let refused = matches!(nucleolus(&game), Err(GameError::NoImputation { .. }));
            prop_assert!(refused);
            return Ok(());
        }
        let nucl = nucleolus(&game).unwrap();
        prop_assert!((nucl.iter().sum::<f64>() - game.grand()).abs() < 1e-9 * game.scale());
        for i in 0..n {
            prop_assert!(nucl[i] <= standalone[i] + tol, "player {i} pays {} > {}", nucl[i], standalone[i]);
        }
        let want = reference_nucleolus(&game, true);
        for i in 0..n {
            prop_assert!((nucl[i] - want[i]).abs() < tol, "{nucl:?} vs reference {want:?}");
        }
        let pre_is_imputation = (0..n).all(|i| pre[i] <= standalone[i] + CORE_REL_TOL * game.scale());
        if pre_is_imputation || core_nonempty(&game).unwrap() {
            for i in 0..n {
                prop_assert!((nucl[i] - pre[i]).abs() < tol, "{nucl:?} vs prenucleolus {pre:?}");
            }
        }
    }

    /// c(S) = f(Σ_{i∈S} w_i) with f concave, f(0) = 0 (a fixed cost F for any non-empty
    /// coalition keeps f concave on [0, ∞)): submodular, so the core is non-empty and holds
    /// the Shapley value (Shapley 1971) and the nucleolus, which is then the prenucleolus.
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
        prop_assert!(least_core(&game).unwrap().epsilon <= CORE_REL_TOL * game.scale());
        let nucl = nucleolus(&game).unwrap();
        let pre = prenucleolus(&game).unwrap();
        prop_assert!(core_report(&game, &nucl).unwrap().in_core, "nucleolus {nucl:?}");
        prop_assert!(core_report(&game, &pre).unwrap().in_core, "prenucleolus {pre:?}");
        for i in 0..n {
            prop_assert!((nucl[i] - pre[i]).abs() < LP_CMP * game.scale());
        }
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
