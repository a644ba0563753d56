//! Tests of Iman–Conover rank-correlation induction and of the matrix validation and repair.

use super::*;
use crate::sampling::{Distribution, SamplingMethod, spearman_matrix, uniforms};

/// Largest accepted gap between an achieved and a target Spearman ρ at n = 10,000. The
/// sampling standard deviation of a sample Spearman ρ is about (1 − ρ²)/√n ≤ 0.01 there;
/// Iman–Conover with the `E⁻¹` refinement makes the normal scores' Pearson correlation exact,
/// so what remains is far smaller than this bound, the tolerance Iman & Conover (1982) report for n in the thousands.
const ACHIEVED_SPEARMAN_TOLERANCE: f64 = 0.02;

fn matrix(dim: usize, values: &[f64]) -> CorrelationMatrix {
    CorrelationMatrix::new(dim, values.to_vec()).unwrap()
}

#[test]
fn normal_score_conversions_match_domain_table() {
    // Pearson (1907): ρ = 2·sin(π·ρ_S/6) for normal scores; 0.3/0.5/0.7/0.9 → 0.3129/0.5176/0.7167/0.9080.
    const FOUR_DECIMALS: f64 = 5e-5;
    for (rho_s, rho) in [(0.3, 0.3129), (0.5, 0.5176), (0.7, 0.7167), (0.9, 0.9080)] {
        let got = spearman_to_normal_score_pearson(rho_s);
        assert!((got - rho).abs() < FOUR_DECIMALS, "{rho_s}: {got}");
        assert!((normal_score_pearson_to_spearman(got) - rho_s).abs() < 1e-15);
    }
    assert_eq!(spearman_to_normal_score_pearson(1.0), 1.0);
    assert_eq!(spearman_to_normal_score_pearson(-1.0), -1.0);
}

/// A sample of three inputs with different marginals, from a Latin hypercube.
fn three_input_sample(n: usize, seed: u64) -> Vec<f64> {
    let dists = [
        Distribution::lognormal_median_p90(6000.0, 12000.0).unwrap(),
        Distribution::triangular(7000.0, 9500.0, 13000.0).unwrap(),
        Distribution::pert(0.2, 0.5, 0.9, None).unwrap(),
    ];
    let u = uniforms(SamplingMethod::LatinHypercube, n, 3, seed).unwrap();
    u.as_slice()
        .iter()
        .enumerate()
        .map(|(idx, &x)| dists[idx % 3].quantile(x))
        .collect()
}

fn sorted_columns(samples: &[f64], n_cols: usize) -> Vec<Vec<f64>> {
    (0..n_cols)
        .map(|j| {
            let mut c: Vec<f64> = samples.iter().skip(j).step_by(n_cols).copied().collect();
            c.sort_by(f64::total_cmp);
            c
        })
        .collect()
}

#[test]
fn marginals_are_preserved_exactly() {
    let target = matrix(3, &[1.0, 0.7, -0.4, 0.7, 1.0, -0.2, -0.4, -0.2, 1.0]);
    let mut samples = three_input_sample(2000, 1);
    let before = sorted_columns(&samples, 3);
    RankCorrelation::new(target)
        .induce(&mut samples, 3, 8)
        .unwrap();
    assert_eq!(sorted_columns(&samples, 3), before);
}

#[test]
fn achieved_spearman_is_close_to_target_pairs() {
    const N: usize = 10_000;
    for rho_s in [0.3, 0.5, 0.7, 0.9] {
        let rc = RankCorrelation::new(matrix(2, &[1.0, rho_s, rho_s, 1.0]));
        assert!(rc.repair().is_none());
        let mut u = uniforms(SamplingMethod::MonteCarlo, N, 2, 5).unwrap();
        rc.induce_uniforms(&mut u, 6).unwrap();
        let achieved = spearman_matrix(u.as_slice(), 2)[1];
        assert!(
            (achieved - rho_s).abs() < ACHIEVED_SPEARMAN_TOLERANCE,
            "target {rho_s}, achieved {achieved}"
        );
    }
}

#[test]
fn achieved_spearman_is_close_to_a_three_by_three_target() {
    const N: usize = 10_000;
    let values = [1.0, 0.5, -0.3, 0.5, 1.0, 0.2, -0.3, 0.2, 1.0];
    let rc = RankCorrelation::new(matrix(3, &values));
    let mut samples = three_input_sample(N, 2);
    rc.induce(&mut samples, 3, 3).unwrap();
    let achieved = spearman_matrix(&samples, 3);
    for (a, t) in achieved.iter().zip(values) {
        assert!((a - t).abs() < ACHIEVED_SPEARMAN_TOLERANCE, "{achieved:?}");
    }
}

/// Scores built apart from the sample, then applied to it (with or without its columns sorted
/// beforehand), give exactly what `induce` gives.
#[test]
fn scores_built_apart_rearrange_as_induce_does() {
    let rc = RankCorrelation::new(matrix(3, &[1.0, 0.6, 0.1, 0.6, 1.0, 0.3, 0.1, 0.3, 1.0]));
    let mut induced = three_input_sample(500, 4);
    rc.induce(&mut induced, 3, 7).unwrap();
    let scores = rc.scores(500, 3, 7).unwrap();
    let mut rearranged = three_input_sample(500, 4);
    rc.rearrange_to(&mut rearranged, &scores).unwrap();
    assert_eq!(rearranged, induced);
    let mut presorted = three_input_sample(500, 4);
    let sorted = SortedColumns::new(&presorted, 3);
    rc.rearrange_sorted(&mut presorted, &sorted, &scores)
        .unwrap();
    assert_eq!(presorted, induced);
    assert!(matches!(
        rc.scores(3, 3, 7),
        Err(CorrelationError::TooFewRows { .. })
    ));
}

#[test]
fn induction_is_reproducible_and_independent_of_the_thread_count() {
    let rc = RankCorrelation::new(matrix(3, &[1.0, 0.6, 0.1, 0.6, 1.0, 0.3, 0.1, 0.3, 1.0]));
    let run = |threads: usize, seed: u64| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut samples = three_input_sample(500, 4);
            rc.induce(&mut samples, 3, seed).unwrap();
            samples
        })
    };
    assert_eq!(run(1, 7), run(2, 7));
    assert_ne!(run(1, 7), run(1, 8));
}

#[test]
fn non_positive_definite_target_is_repaired_and_reported() {
    // x1 ≈ x2, x2 ≈ x3 but x1 ≈ −x3: no joint distribution has these rank correlations.
    let values = [1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0];
    let target = matrix(3, &values);
    assert!(target.min_eigenvalue() < 0.0);
    let rc = RankCorrelation::new(target.clone());
    let report = rc.repair().expect("a non-PD target must be reported");
    assert_eq!(report.original, target);
    assert_eq!(&report.repaired, rc.target());
    assert!(report.min_eigenvalue_before < 0.0);
    assert!(report.min_eigenvalue_after >= EIGEN_FLOOR / 2.0);
    assert!(rc.normal_score_correlation().min_eigenvalue() > 0.0);
    // The repair is substantial and the report's distances describe it.
    let diffs: Vec<f64> = values
        .iter()
        .zip(report.repaired.as_slice())
        .map(|(a, b)| (a - b).abs())
        .collect();
    assert!(report.max_abs_change > 0.1);
    assert_eq!(
        report.max_abs_change,
        diffs.iter().copied().fold(0.0, f64::max)
    );
    let frobenius = diffs.iter().map(|d| d * d).sum::<f64>().sqrt();
    assert!((report.frobenius_distance - frobenius).abs() < 1e-15);
    // The exact answer: the target's normal-score matrix is I + c·S with
    // S = [[0, 1, −1], [1, 0, 1], [−1, 1, 0]] (eigenvalues 1, 1, −2) and c = 2 sin(0.9π/6).
    // The problem is invariant under the symmetries of S, so its unique nearest correlation
    // matrix is I + b·S too, with eigenvalues 1 + b (twice) and 1 − 2b; the nearest b to c
    // with 1 − 2b ≥ δ is b = (1 − δ)/2. On the Spearman scale every off-diagonal entry
    // becomes ±(6/π)·asin(b/2) ≈ ±(6/π)·asin(1/4) = ±0.48258.
    const CONVERGENCE: f64 = 1e-6;
    let b = (6.0 / std::f64::consts::PI) * (0.25_f64).asin();
    let r = &report.repaired;
    for (row, col, sign) in [(0, 1, 1.0), (1, 2, 1.0), (0, 2, -1.0)] {
        assert!((r.get(row, col) - sign * b).abs() < CONVERGENCE, "{r:?}");
    }
    assert!((report.max_abs_change - (0.9 - b)).abs() < CONVERGENCE);
    assert!((report.frobenius_distance - 6f64.sqrt() * (0.9 - b)).abs() < CONVERGENCE);
    // And it can be induced.
    let mut samples = three_input_sample(5000, 9);
    rc.induce(&mut samples, 3, 1).unwrap();
    let achieved = spearman_matrix(&samples, 3);
    for (a, t) in achieved.iter().zip(r.as_slice()) {
        assert!((a - t).abs() < ACHIEVED_SPEARMAN_TOLERANCE, "{achieved:?}");
    }
}

#[test]
fn a_perfect_correlation_is_repaired_by_a_hair_and_reported() {
    let rc = RankCorrelation::new(matrix(2, &[1.0, 1.0, 1.0, 1.0]));
    let report = rc.repair().expect("a singular target is reported");
    assert!(report.max_abs_change > 0.0 && report.max_abs_change < 1e-6);
}

#[test]
fn positive_definite_target_is_left_alone() {
    let target = matrix(2, &[1.0, -0.5, -0.5, 1.0]);
    let rc = RankCorrelation::new(target.clone());
    assert!(rc.repair().is_none());
    assert_eq!(rc.target(), &target);
}

#[test]
fn malformed_matrices_are_rejected_with_typed_errors() {
    use CorrelationError as E;
    let err = |dim, v: &[f64]| CorrelationMatrix::new(dim, v.to_vec()).unwrap_err();
    assert_eq!(
        err(2, &[1.0, 0.5, 0.5]),
        E::Shape {
            dim: 2,
            expected: 4,
            got: 3
        }
    );
    assert_eq!(
        err(2, &[1.0, f64::NAN, 0.5, 1.0]).to_string(),
        "correlation (0, 1) must be a finite number, got NaN"
    );
    assert_eq!(
        err(2, &[1.0, 1.2, 1.2, 1.0]),
        E::OutOfRange {
            row: 0,
            col: 1,
            value: 1.2
        }
    );
    assert_eq!(
        err(2, &[0.9, 0.2, 0.2, 1.0]),
        E::Diagonal {
            index: 0,
            value: 0.9
        }
    );
    assert_eq!(
        err(3, &[1.0, 0.2, 0.3, 0.2, 1.0, 0.4, 0.3, 0.5, 1.0]),
        E::NotSymmetric {
            row: 1,
            col: 2,
            upper: 0.4,
            lower: 0.5
        }
    );
}

#[test]
fn samples_that_do_not_fit_are_rejected() {
    let rc = RankCorrelation::new(CorrelationMatrix::identity(3));
    let mut seven = vec![0.5; 7];
    assert_eq!(
        rc.induce(&mut seven, 3, 1).unwrap_err(),
        CorrelationError::Ragged { len: 7, columns: 3 }
    );
    let mut two_cols = vec![0.5; 8];
    assert_eq!(
        rc.induce(&mut two_cols, 2, 1).unwrap_err(),
        CorrelationError::Columns { columns: 2, dim: 3 }
    );
    let mut three_rows = vec![0.5; 9];
    assert_eq!(
        rc.induce(&mut three_rows, 3, 1).unwrap_err(),
        CorrelationError::TooFewRows {
            rows: 3,
            columns: 3,
            needed: 4
        }
    );
}

#[test]
fn one_or_no_inputs_are_left_as_they_are() {
    let mut single = vec![0.3, 0.1, 0.2];
    RankCorrelation::new(CorrelationMatrix::identity(1))
        .induce(&mut single, 1, 1)
        .unwrap();
    assert_eq!(single, vec![0.3, 0.1, 0.2]);
    let mut empty: Vec<f64> = Vec::new();
    RankCorrelation::new(CorrelationMatrix::identity(0))
        .induce(&mut empty, 0, 1)
        .unwrap();
}
