//! Reference tests of the Sobol' index estimators: the Ishigami function and a linear model,
//! whose indices are known in closed form.

use std::f64::consts::PI;

use super::*;

/// Largest accepted error of an index at N = 2^14 with the scrambled Sobol' design (the SALib
/// test suite uses the same bound). The bootstrap standard errors at this N
/// are about 0.01 for i.i.d. rows, and quasi-Monte Carlo errors are smaller still.
const ISHIGAMI_TOLERANCE: f64 = 0.02;

const ISHIGAMI_A: f64 = 7.0;
const ISHIGAMI_B: f64 = 0.1;

/// Ishigami & Homma (1990): `sin x1 + a sin² x2 + b x3⁴ sin x1`, `x_i ~ U(−π, π)`.
fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + ISHIGAMI_A * x[1].sin().powi(2) + ISHIGAMI_B * x[2].powi(4) * x[0].sin()
}

/// Exact indices (Sobol' & Levitan 1999; Saltelli et al. 2008, *Global Sensitivity Analysis.
/// The Primer*, §4.9): first order and total, in input order.
fn ishigami_exact() -> ([f64; 3], [f64; 3]) {
    let (a, b) = (ISHIGAMI_A, ISHIGAMI_B);
    let v1 = (1.0 + b * PI.powi(4) / 5.0).powi(2) / 2.0;
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[test]
fn ishigami_closed_form_matches_domain_values() {
    // Ishigami & Homma (1990); Saltelli et al. (2008) table 4.3: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437 (4 d.p.).
    const FOUR_DECIMALS: f64 = 5e-5;
    let (s, st) = ishigami_exact();
    for (got, want) in s.iter().zip([0.3139, 0.4424, 0.0]) {
        assert!((got - want).abs() < FOUR_DECIMALS, "{got}");
    }
    for (got, want) in st.iter().zip([0.5576, 0.4424, 0.2437]) {
        assert!((got - want).abs() < FOUR_DECIMALS, "{got}");
    }
}

#[test]
fn ishigami_indices_at_n_2_pow_14() {
    let inputs = vec![Distribution::uniform(-PI, PI).unwrap(); 3];
    let bootstrap = Bootstrap::new(200, 0.95, 17).unwrap();
    let indices = sobol_indices(&inputs, 1 << 14, 2024, &bootstrap, ishigami).unwrap();
    let (s, st) = ishigami_exact();
    assert_eq!(indices.n_evaluations, (1 << 14) * 5);
    for i in 0..3 {
        let (first, total) = (indices.first_order[i], indices.total_order[i]);
        assert!(
            (first.estimate - s[i]).abs() < ISHIGAMI_TOLERANCE,
            "S{i}: {first:?}"
        );
        assert!(
            (total.estimate - st[i]).abs() < ISHIGAMI_TOLERANCE,
            "ST{i}: {total:?}"
        );
        assert!(first.ci.unwrap().contains(s[i]), "S{i}: {first:?}");
        assert!(total.ci.unwrap().contains(st[i]), "ST{i}: {total:?}");
    }
}

#[test]
fn linear_model_indices_are_squared_coefficients_over_their_sum() {
    // Y = X1 + 2 X2 + 3 X3, X_i ~ U(0, 1): V_i = c_i²/12, so S_i = ST_i = c_i²/14.
    const LINEAR_TOLERANCE: f64 = 0.01;
    let design = SaltelliDesign::new(3, 1 << 12, 5).unwrap();
    let outputs = design.evaluate(|u| u[0] + 2.0 * u[1] + 3.0 * u[2]);
    let bootstrap = Bootstrap::new(300, 0.95, 1).unwrap();
    let indices = design.estimate(&outputs, &bootstrap).unwrap();
    assert!((indices.output_variance - 14.0 / 12.0).abs() < 0.01);
    for (i, exact) in [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0].into_iter().enumerate() {
        for index in [indices.first_order[i], indices.total_order[i]] {
            assert!(
                (index.estimate - exact).abs() < LINEAR_TOLERANCE,
                "{i}: {index:?}"
            );
            let ci = index.ci.unwrap();
            assert!(ci.contains(exact) && ci.low < ci.high, "{i}: {index:?}");
        }
    }
}

#[test]
fn design_rows_follow_saltelli_layout() {
    let design = SaltelliDesign::new(2, 4, 3).unwrap();
    assert_eq!(design.n_rows(), 16);
    let u = design.uniforms();
    let sobol = SobolSequence::scrambled(4, 3).unwrap();
    for j in 0..4 {
        let mut point = [0.0; 4];
        sobol.fill_point(j as u32, &mut point);
        assert_eq!(u.row(j), &point[..2], "A");
        assert_eq!(u.row(4 + j), &point[2..], "B");
        assert_eq!(u.row(8 + j), &[point[2], point[1]], "A_B^(1)");
        assert_eq!(u.row(12 + j), &[point[0], point[3]], "A_B^(2)");
    }
}

#[test]
fn estimates_do_not_depend_on_the_thread_count() {
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let inputs = vec![Distribution::uniform(-PI, PI).unwrap(); 3];
            let bootstrap = Bootstrap::new(50, 0.9, 4).unwrap();
            sobol_indices(&inputs, 1 << 10, 9, &bootstrap, ishigami).unwrap()
        })
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn invalid_inputs_are_rejected() {
    assert_eq!(
        SaltelliDesign::new(3, 1000, 1).unwrap_err(),
        SensitivityError::NotPowerOfTwo(1000)
    );
    assert_eq!(
        SaltelliDesign::new(3, 1, 1).unwrap_err(),
        SensitivityError::NotPowerOfTwo(1)
    );
    assert_eq!(
        SaltelliDesign::new(0, 8, 1).unwrap_err(),
        SensitivityError::NoInputs
    );
    assert!(matches!(
        SaltelliDesign::new(501, 8, 1).unwrap_err(),
        SensitivityError::Design(crate::sampling::DesignError::TooManySobolDims { .. })
    ));
    let design = SaltelliDesign::new(2, 8, 1).unwrap();
    assert_eq!(
        design.estimate(&[1.0; 31], &Bootstrap::none()).unwrap_err(),
        SensitivityError::OutputCount {
            expected: 32,
            got: 31
        }
    );
    let mut outputs = design.evaluate(|u| u[0]);
    assert_eq!(
        design
            .estimate(&vec![3.0; 32], &Bootstrap::none())
            .unwrap_err(),
        SensitivityError::ZeroVariance
    );
    outputs[5] = f64::NAN;
    assert!(matches!(
        design.estimate(&outputs, &Bootstrap::none()).unwrap_err(),
        SensitivityError::NonFiniteOutput { row: 5, .. }
    ));
    assert_eq!(
        Bootstrap::new(10, 1.0, 0).unwrap_err(),
        SensitivityError::ConfidenceLevel(1.0)
    );
}

#[test]
fn no_bootstrap_gives_no_intervals() {
    let design = SaltelliDesign::new(2, 64, 1).unwrap();
    let outputs = design.evaluate(|u| u[0] * u[1]);
    let indices = design.estimate(&outputs, &Bootstrap::none()).unwrap();
    assert!(indices.first_order.iter().all(|s| s.ci.is_none()));
}
