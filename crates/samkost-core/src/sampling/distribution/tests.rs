use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;

/// Agreement of a closed form evaluated in floating point with our implementation.
const CLOSED_FORM_REL: f64 = 1e-12;
/// Accuracy promised for quantiles that need an iterative inverse (PERT).
const QUANTILE_REL: f64 = 1e-10;
/// Published references given to six decimals (closed forms below) are checked to half a unit
/// in the last place.
const SIX_DECIMALS: f64 = 5e-7;
/// Cells of the midpoint rule for ∫₀¹ Q(u) du. With h = 1/N the rule is O(h²) for smooth
/// Q and O(h^(1+1/α)) at the u^(1/α) end of a Beta quantile, so well below 1e-6 here.
const MIDPOINT_CELLS: u32 = 100_000;
/// Relative tolerance for the midpoint-rule integrals, from the error bound above.
const MIDPOINT_REL: f64 = 1e-6;
/// Draws per statistical check.
const N_DRAWS: usize = 200_000;
/// Sample means must lie within this many standard errors √(var/n) of `mean()`
/// (two-sided probability of a false alarm 6e-5 per check under the CLT).
const MEAN_Z: f64 = 4.0;
/// Asymptotic 1% critical value of √n·D for the Kolmogorov–Smirnov statistic
/// (Kolmogorov distribution: √(−ln(0.005)/2) ≈ 1.628; conservative for atoms).
const KS_CRITICAL_1PCT: f64 = 1.63;
/// Fixed seed for all statistical checks.
const SEED: u64 = 0x5a_4d_6b_05_7e;

fn assert_rel(got: f64, want: f64, rel: f64, what: &str) {
    let err = (got - want).abs() / want.abs().max(1e-300);
    assert!(
        err <= rel,
        "{what}: got {got}, want {want} (rel err {err:e} > {rel:e})"
    );
}

fn midpoint_integral(f: impl Fn(f64) -> f64) -> f64 {
    let h = 1.0 / f64::from(MIDPOINT_CELLS);
    (0..MIDPOINT_CELLS)
        .map(|i| f((f64::from(i) + 0.5) * h))
        .sum::<f64>()
        * h
}

fn pert_body() -> Distribution {
    Distribution::pert(0.9, 1.0, 1.5, None).unwrap()
}

/// One of each kind, with parameters typical of the model's inputs.
fn one_of_each_kind() -> Vec<Distribution> {
    vec![
        Distribution::fixed(2.5).unwrap(),
        Distribution::uniform(2.0, 5.0).unwrap(),
        Distribution::triangular(0.0, 1.0, 3.0).unwrap(),
        Distribution::pert(0.0, 1.0, 3.0, None).unwrap(),
        Distribution::pert(10.0, 11.0, 20.0, Some(2.0)).unwrap(),
        Distribution::normal(100.0, 15.0, None, None).unwrap(),
        Distribution::normal(10.0, 2.0, Some(8.0), Some(15.0)).unwrap(),
        Distribution::normal(0.0, 1.0, Some(3.0), Some(4.0)).unwrap(),
        Distribution::normal(5.0, 1.0, Some(0.0), None).unwrap(),
        Distribution::normal(0.0, 1.0, None, Some(-2.0)).unwrap(),
        Distribution::lognormal_mean_sd(1.27, 0.5).unwrap(),
        Distribution::lognormal_median_p90(1.0e6, 1.8e6).unwrap(),
        Distribution::discrete(vec![1.0, 2.0, 3.0, 10.0], vec![1.0, 2.0, 1.0, 0.5]).unwrap(),
        Distribution::overrun(pert_body(), 0.15, 1.5, 0.8, Some(10.0)).unwrap(),
        Distribution::overrun(pert_body(), 0.15, 1.5, 3.0, None).unwrap(),
    ]
}

// ---- closed-form moments ----

/// Reference: Vose (2008), Risk Analysis, PERT moments (PERT(0,1,3): mean 7/6, variance 0.305556, and
/// σ² = (μ − a)(b − μ)/7 for shape 4; Vose 2008).
#[test]
fn pert_moments_match_closed_form() {
    let d = Distribution::pert(0.0, 1.0, 3.0, None).unwrap();
    let mean = 7.0 / 6.0;
    assert_rel(d.mean(), mean, CLOSED_FORM_REL, "mean");
    let var = d.variance().unwrap();
    assert_rel(var, mean * (3.0 - mean) / 7.0, CLOSED_FORM_REL, "variance");
    assert!((var - 0.305_556).abs() < SIX_DECIMALS);
    assert_eq!(d.kind_name(), "pert");
}

/// Reference: Johnson, Kotz & Balakrishnan (1995), triangular moments (Triangular(0,1,3): mean 4/3, variance 7/18).
#[test]
fn triangular_moments_match_closed_form() {
    let d = Distribution::triangular(0.0, 1.0, 3.0).unwrap();
    assert_rel(d.mean(), 4.0 / 3.0, CLOSED_FORM_REL, "mean");
    assert_rel(
        d.variance().unwrap(),
        7.0 / 18.0,
        CLOSED_FORM_REL,
        "variance",
    );
}

/// Closed form of the triangular quantile: with p = (c − a)/(b − a),
/// Q(u) = a + (b − a)·√(u·p) for u < p and b − (b − a)·√((1 − u)(1 − p)) otherwise.
/// Ranges so wide that (b − a)(c − a) overflows used to collapse to the mode.
#[test]
fn triangular_quantiles_of_a_range_wider_than_the_square_root_of_the_largest_double() {
    let cases = [
        (
            (-1e160, 0.0, 1e160),
            [
                (0.125, -0.5e160),
                (0.5, 0.0),
                (0.875, 0.5e160),
                (0.02, -0.8e160),
            ],
        ),
        (
            (-1e160, 5e159, 3e160),
            // p = 0.375: u·p = 0.03515625 → √ = 0.1875; (1 − u)(1 − p) = 0.0625 → √ = 0.25.
            [
                (0.09375, -0.25e160),
                (0.375, 5e159),
                (0.9, 2e160),
                (0.0, -1e160),
            ],
        ),
        (
            (-1.6e308, 0.0, 1.6e308),
            [
                (0.125, -0.8e308),
                (0.5, 0.0),
                (0.875, 0.8e308),
                (1.0, 1.6e308),
            ],
        ),
    ];
    for ((a, c, b), expected) in cases {
        let d = Distribution::triangular(a, c, b).unwrap();
        for (u, want) in expected {
            let got = d.quantile(u);
            assert!(
                (got - want).abs() <= 1e-12 * (b - a).abs().min(f64::MAX),
                "Q({u}) of triangular({a}, {c}, {b}): got {got:e}, want {want:e}"
            );
            if u > 0.0 && u < 1.0 {
                assert_rel(d.cdf(got), u, 1e-12, "cdf of the quantile");
            }
        }
    }
}

/// Reference: the lognormal moment equations σ² = ln(1 + S²/M²), μ = ln M − σ²/2 (lognormal with mean 1.27, sd 0.5: μ_ln = 0.166967,
/// σ_ln = 0.379606); the moments must come back.
#[test]
fn lognormal_mean_sd_parameters_match_reference() {
    let d = Distribution::lognormal_mean_sd(1.27, 0.5).unwrap();
    let Kind::LogNormal(ln) = &d.kind else {
        panic!("expected a lognormal")
    };
    let (mu, sigma) = ln.log_params();
    assert!((mu - 0.166_967).abs() < SIX_DECIMALS, "mu {mu}");
    assert!((sigma - 0.379_606).abs() < SIX_DECIMALS, "sigma {sigma}");
    assert_rel(d.mean(), 1.27, CLOSED_FORM_REL, "mean");
    assert_rel(d.variance().unwrap(), 0.25, CLOSED_FORM_REL, "variance");
}

/// Reference: U(a, b) has mean (a + b)/2 and variance (b − a)²/12.
#[test]
fn uniform_moments_match_closed_form() {
    let d = Distribution::uniform(2.0, 5.0).unwrap();
    assert_rel(d.mean(), 3.5, CLOSED_FORM_REL, "mean");
    assert_rel(d.variance().unwrap(), 0.75, CLOSED_FORM_REL, "variance");
    assert_eq!(d.support(), (2.0, 5.0));
}

/// Reference: the half-normal has mean √(2/π) and variance 1 − 2/π; the other windows
/// against ∫x·φ(x)dx/Z by mpmath 1.3 quadrature at 30 digits (independent of the
/// φ/Φ closed form in the code), and against the midpoint rule on the quantile.
#[test]
fn truncated_normal_moments_match_references() {
    use std::f64::consts::PI;
    let half = Distribution::normal(0.0, 1.0, Some(0.0), None).unwrap();
    assert_rel(
        half.mean(),
        (2.0 / PI).sqrt(),
        CLOSED_FORM_REL,
        "half-normal mean",
    );
    assert_rel(
        half.variance().unwrap(),
        1.0 - 2.0 / PI,
        CLOSED_FORM_REL,
        "half var",
    );
    let cases = [
        (
            (10.0, 2.0, Some(8.0), Some(15.0)),
            10.537_499_691_249_843,
            2.342_254_561_962_4,
        ),
        (
            (0.0, 1.0, Some(3.0), Some(4.0)),
            3.260_454_285_590_021,
            0.049_277_793_777_393_13,
        ),
        (
            (0.0, 1.0, None, Some(-2.0)),
            -2.373_215_532_822_841,
            0.114_279_100_414_081_3,
        ),
        (
            (5.0, 1.0, Some(0.0), None),
            5.000_001_486_719_941,
            0.999_992_566_398_085_1,
        ),
    ];
    for ((mean, sd, lower, upper), want_mean, want_var) in cases {
        let d = Distribution::normal(mean, sd, lower, upper).unwrap();
        assert_eq!(d.kind_name(), "truncated_normal");
        assert_rel(d.mean(), want_mean, CLOSED_FORM_REL, "mean");
        assert_rel(d.variance().unwrap(), want_var, 1e-10, "variance");
        if lower.is_some() && upper.is_some() {
            assert_rel(
                midpoint_integral(|u| d.quantile(u)),
                want_mean,
                MIDPOINT_REL,
                "∫Q",
            );
        }
    }
}

/// Reference: by hand, values 1, 2, 3 with weights 1, 2, 1 have mean 2 and variance 1/2;
/// zero weights drop out, equal values merge, and weights are normalised.
#[test]
fn discrete_moments_and_normalisation() {
    let d = Distribution::discrete(vec![3.0, 1.0, 2.0, 7.0, 2.0], vec![1.0, 1.0, 1.0, 0.0, 1.0])
        .unwrap();
    assert_rel(d.mean(), 2.0, CLOSED_FORM_REL, "mean");
    assert_rel(d.variance().unwrap(), 0.5, CLOSED_FORM_REL, "variance");
    assert_eq!(d.support(), (1.0, 3.0));
    assert_eq!(d.cdf(1.5), 0.25);
    assert_eq!(d.cdf(2.0), 0.75);
    assert_eq!(d.quantile(0.25), 1.0);
    assert_eq!(d.quantile(0.250_001), 2.0);
    assert_eq!(d.quantile(1.0), 3.0);
}

/// Reference: a second method, mean = ∫₀¹ Q(u) du and E[X²] = ∫₀¹ Q(u)² du by the
/// midpoint rule, for capped tails with α < 1, α = 1 and α > 1.
#[test]
fn overrun_moments_match_quantile_integral() {
    for (alpha, cap) in [(0.8, 10.0), (1.0, 8.0), (2.5, 20.0)] {
        let d = Distribution::overrun(pert_body(), 0.15, 1.5, alpha, Some(cap)).unwrap();
        let mean = midpoint_integral(|u| d.quantile(u));
        assert_rel(d.mean(), mean, MIDPOINT_REL, "mean");
        let second = midpoint_integral(|u| d.quantile(u).powi(2));
        assert_rel(
            d.variance().unwrap(),
            second - mean * mean,
            10.0 * MIDPOINT_REL,
            "var",
        );
    }
}

/// Reference: the uncapped tail's mean t·α/(α − 1) against the midpoint rule. The rule
/// misses about ∫ over the last half cell of t·(s/p)^(−1/α) ds ≈ 2e-4 here (α = 3,
/// p = 0.15, t = 1.5, h = 1e-5), hence the looser tolerance.
#[test]
fn uncapped_overrun_mean_matches_quantile_integral() {
    let d = Distribution::overrun(pert_body(), 0.15, 1.5, 3.0, None).unwrap();
    let body_mean = (0.9 + 4.0 * 1.0 + 1.5) / 6.0;
    assert_rel(
        d.mean(),
        0.85 * body_mean + 0.15 * 1.5 * 3.0 / 2.0,
        CLOSED_FORM_REL,
        "mean",
    );
    assert_rel(midpoint_integral(|u| d.quantile(u)), d.mean(), 3e-4, "∫Q");
    assert!(d.variance().is_some());
    let heavy = Distribution::overrun(pert_body(), 0.15, 1.5, 1.5, None).unwrap();
    assert_eq!(
        heavy.variance(),
        None,
        "α ≤ 2 without a cap has infinite variance"
    );
    assert_eq!(heavy.support().1, f64::INFINITY);
    assert!(heavy.quantile(1.0).is_finite());
}

/// Reference: the capped Pareto mean in its textbook density-plus-atom form,
/// E[min(X, c)] = α·t^α·(c^(1−α) − t^(1−α))/(1 − α) + c·(t/c)^α (Klugman, Panjer &
/// Willmot, *Loss Models*, limited expected value), here 4.960819137164440 (mpmath).
#[test]
fn overrun_matches_capped_pareto_closed_form() {
    let (p, t, alpha, cap) = (0.2, 1.5, 0.8_f64, 10.0_f64);
    let d =
        Distribution::overrun(Distribution::fixed(1.0).unwrap(), p, t, alpha, Some(cap)).unwrap();
    let limited = alpha * t.powf(alpha) * (cap.powf(1.0 - alpha) - t.powf(1.0 - alpha))
        / (1.0 - alpha)
        + cap * (t / cap).powf(alpha);
    assert_rel(limited, 4.960_819_137_164_44, CLOSED_FORM_REL, "reference");
    let mean = (1.0 - p) * 1.0 + p * limited;
    assert_rel(d.mean(), mean, CLOSED_FORM_REL, "mean");
    assert_rel(
        d.tail_share_of_mean(),
        p * limited / mean,
        CLOSED_FORM_REL,
        "tail share",
    );
    assert!(
        d.tail_share_of_mean() > 0.5,
        "the black swans carry most of this mean"
    );
    let no_tail = Distribution::overrun(pert_body(), 0.0, 1.5, 0.8, Some(cap)).unwrap();
    assert_eq!(no_tail.tail_share_of_mean(), 0.0);
    assert_eq!(no_tail.support(), (0.9, 1.5));
    assert_eq!(pert_body().tail_share_of_mean(), 0.0);
    // The cap is an atom of probability p·(t/c)^α.
    let atom = p * (t / cap).powf(alpha);
    assert_rel(
        1.0 - d.cdf(cap.next_down_compat()),
        atom,
        CLOSED_FORM_REL,
        "atom",
    );
}

/// `f64::next_down` needs Rust 1.86; the crate supports 1.85.
trait NextDown {
    fn next_down_compat(self) -> f64;
}
impl NextDown for f64 {
    fn next_down_compat(self) -> f64 {
        f64::from_bits(self.to_bits() - 1)
    }
}

// ---- quantiles ----

/// Reference: Φ⁻¹(0.975) = 1.959963984540054 (R `qnorm`); scaled by mean and sd.
#[test]
fn normal_quantile_known_value() {
    let d = Distribution::normal(0.0, 1.0, None, None).unwrap();
    assert_rel(
        d.quantile(0.975),
        1.959_963_984_540_054,
        1e-15,
        "Φ⁻¹(0.975)",
    );
    let scaled = Distribution::normal(100.0, 15.0, None, None).unwrap();
    assert_rel(
        scaled.quantile(0.975),
        100.0 + 15.0 * 1.959_963_984_540_054,
        1e-15,
        "",
    );
}

/// Reference: the defining property; median and P90 come back to rounding.
#[test]
fn lognormal_median_and_p90_recovered() {
    for (median, p90) in [(1.0e6, 1.8e6), (0.3, 0.31), (5.0, 500.0)] {
        let d = Distribution::lognormal_median_p90(median, p90).unwrap();
        assert_rel(d.quantile(0.5), median, 1e-15, "median");
        assert_rel(d.quantile(0.9), p90, 1e-14, "p90");
    }
}

/// Reference: PERT(0, 1/3, 1, shape 3) is Beta(2, 3), whose CDF is 6x² − 8x³ + 3x⁴;
/// quantiles checked against bisection on that polynomial (a second method).
#[test]
fn beta_2_3_quantiles_match_bisection() {
    let d = Distribution::pert(0.0, 1.0 / 3.0, 1.0, Some(3.0)).unwrap();
    assert_rel(d.mean(), 0.4, CLOSED_FORM_REL, "Beta(2,3) mean");
    let cdf = |x: f64| 6.0 * x * x - 8.0 * x.powi(3) + 3.0 * x.powi(4);
    for i in 1..200 {
        let u = f64::from(i) / 200.0;
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if cdf(mid) < u { lo = mid } else { hi = mid }
        }
        assert_rel(
            d.quantile(u),
            0.5 * (lo + hi),
            QUANTILE_REL,
            "Beta(2,3) quantile",
        );
    }
}

/// Reference: cdf(quantile(u)) = u for continuous kinds (the definition of a quantile).
#[test]
fn cdf_inverts_quantile() {
    for d in one_of_each_kind() {
        if matches!(
            d.kind,
            Kind::Fixed(_) | Kind::Discrete(_) | Kind::Overrun(_)
        ) {
            continue;
        }
        for i in 1..1000 {
            let u = f64::from(i) / 1000.0;
            let back = d.cdf(d.quantile(u));
            assert!(
                (back - u).abs() < QUANTILE_REL,
                "{}: cdf(Q({u})) = {back}",
                d.kind_name()
            );
        }
    }
    // Overrun: the continuous parts invert, and the quantile is flat across the cap atom.
    let d = Distribution::overrun(pert_body(), 0.15, 1.5, 0.8, Some(10.0)).unwrap();
    for u in [0.1, 0.5, 0.84, 0.86, 0.9, 0.95] {
        assert!(
            (d.cdf(d.quantile(u)) - u).abs() < QUANTILE_REL,
            "overrun at {u}"
        );
    }
    assert_eq!(d.quantile(0.999), 10.0);
}

/// Reference: for a discrete distribution, quantile(cdf(x)) = x on the support.
#[test]
fn quantile_inverts_cdf_for_discrete() {
    let d = Distribution::discrete(vec![1.0, 2.0, 3.0, 10.0], vec![1.0, 2.0, 1.0, 0.5]).unwrap();
    for x in [1.0, 2.0, 3.0, 10.0] {
        assert_eq!(d.quantile(d.cdf(x)), x);
    }
}

/// Contract from the module doc: bounded kinds hit their support ends, unbounded ones
/// stay finite, and u outside [0, 1] is clamped.
#[test]
fn quantile_ends_are_support_ends_or_finite() {
    for d in one_of_each_kind() {
        let (lo, hi) = d.support();
        let (q0, q1) = (d.quantile(0.0), d.quantile(1.0));
        assert!(q0.is_finite() && q1.is_finite(), "{}", d.kind_name());
        if lo.is_finite() && d.kind_name() != "lognormal" {
            assert_eq!(q0, lo, "{}", d.kind_name());
        }
        if hi.is_finite() {
            assert_eq!(q1, hi, "{}", d.kind_name());
        }
        assert_eq!(d.quantile(-3.0), q0);
        assert_eq!(d.quantile(7.0), q1);
        assert!(d.quantile(f64::NAN).is_nan());
    }
    let z = Distribution::normal(0.0, 1.0, None, None)
        .unwrap()
        .quantile(0.0);
    assert!(
        (z + 7.94).abs() < 0.01,
        "u clamped to 1e-15 gives −7.94σ, got {z}"
    );
}

/// Degenerate inputs become points (and report themselves as such).
#[test]
fn degenerate_inputs_are_points() {
    let points = [
        Distribution::pert(2.0, 2.0, 2.0, None).unwrap(),
        Distribution::triangular(2.0, 2.0, 2.0).unwrap(),
        Distribution::uniform(2.0, 2.0).unwrap(),
        Distribution::discrete(vec![2.0, 5.0], vec![1.0, 0.0]).unwrap(),
        Distribution::fixed(2.0).unwrap(),
    ];
    for d in points {
        assert!(d.is_fixed());
        assert_eq!(d.kind_name(), "fixed");
        assert_eq!(
            (d.quantile(0.3), d.mean(), d.variance()),
            (2.0, 2.0, Some(0.0))
        );
        assert_eq!((d.cdf(1.999), d.cdf(2.0)), (0.0, 1.0));
    }
    assert!(!Distribution::uniform(2.0, 3.0).unwrap().is_fixed());
}

// ---- sampling agrees with the quantile function ----

/// Draws `N_DRAWS` with a fixed seed; checks the sample mean within `MEAN_Z` standard
/// errors of `mean()` (CLT) and the KS statistic below the 1% critical value (Kolmogorov
/// 1933; Stephens 1970) against `cdf`, which `quantile` inverts.
fn assert_sampler_matches(d: &Distribution) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let draws: Vec<f64> = (0..N_DRAWS).map(|_| d.sample(&mut rng)).collect();
    let n = N_DRAWS as f64;
    let sample_mean = draws.iter().sum::<f64>() / n;
    let se = (d.variance().unwrap() / n).sqrt();
    assert!(
        (sample_mean - d.mean()).abs() <= MEAN_Z * se + 1e-12 * d.mean().abs(),
        "{}: sample mean {sample_mean} vs mean {} (se {se})",
        d.kind_name(),
        d.mean()
    );
    let ks = ks_statistic(d, draws);
    assert!(
        ks * n.sqrt() < KS_CRITICAL_1PCT,
        "{}: √n·D = {}",
        d.kind_name(),
        ks * n.sqrt()
    );
}

/// sup |F_n − F|, evaluated on both sides of every distinct draw. The left limit F(x−)
/// is taken a relative 1e-9 below x: that is exact for the atoms here, which are far
/// apart, and moves a continuous F by far less than the 1e-3 scale of the test.
fn ks_statistic(d: &Distribution, mut draws: Vec<f64>) -> f64 {
    draws.sort_by(f64::total_cmp);
    let n = draws.len() as f64;
    let (mut stat, mut i) = (0.0_f64, 0);
    while i < draws.len() {
        let x = draws[i];
        let j = i + draws[i..].partition_point(|&y| y == x);
        let left = d.cdf(x - 1e-9 * x.abs().max(1.0));
        stat = stat
            .max((j as f64 / n - d.cdf(x)).abs())
            .max((i as f64 / n - left).abs());
        i = j;
    }
    stat
}

#[test]
fn sampler_matches_quantile_uniform_triangular_discrete() {
    assert_sampler_matches(&Distribution::uniform(2.0, 5.0).unwrap());
    assert_sampler_matches(&Distribution::triangular(0.0, 1.0, 3.0).unwrap());
    assert_sampler_matches(
        &Distribution::discrete(vec![1.0, 2.0, 3.0, 10.0], vec![1.0, 2.0, 1.0, 0.5]).unwrap(),
    );
}

#[test]
fn sampler_matches_quantile_pert() {
    assert_sampler_matches(&Distribution::pert(0.0, 1.0, 3.0, None).unwrap());
    assert_sampler_matches(&Distribution::pert(10.0, 11.0, 20.0, Some(2.0)).unwrap());
}

#[test]
fn sampler_matches_quantile_normal() {
    assert_sampler_matches(&Distribution::normal(100.0, 15.0, None, None).unwrap());
    assert_sampler_matches(&Distribution::normal(10.0, 2.0, Some(8.0), Some(15.0)).unwrap());
    assert_sampler_matches(&Distribution::normal(0.0, 1.0, Some(3.0), Some(4.0)).unwrap());
    assert_sampler_matches(&Distribution::normal(0.0, 1.0, None, Some(-2.0)).unwrap());
}

#[test]
fn sampler_matches_quantile_lognormal() {
    assert_sampler_matches(&Distribution::lognormal_mean_sd(1.27, 0.5).unwrap());
    assert_sampler_matches(&Distribution::lognormal_median_p90(1.0e6, 1.8e6).unwrap());
}

#[test]
fn sampler_matches_quantile_overrun() {
    assert_sampler_matches(
        &Distribution::overrun(pert_body(), 0.15, 1.5, 0.8, Some(10.0)).unwrap(),
    );
    assert_sampler_matches(&Distribution::overrun(pert_body(), 0.15, 1.5, 3.0, None).unwrap());
}

// ---- validation: every error is reachable ----

#[test]
fn rejects_min_above_max() {
    assert!(matches!(
        Distribution::uniform(3.0, 1.0),
        Err(DistributionError::Bounds { .. })
    ));
    assert!(matches!(
        Distribution::triangular(3.0, 2.0, 1.0),
        Err(DistributionError::Order { .. })
    ));
    assert!(matches!(
        Distribution::pert(0.0, 4.0, 3.0, None),
        Err(DistributionError::Order { .. })
    ));
}

#[test]
fn rejects_nan_and_infinite_parameters() {
    let not_finite = |r: Result<Distribution, DistributionError>, param: &str| match r {
        Err(DistributionError::NotFinite { name, .. }) => assert_eq!(name, param),
        other => panic!("expected NotFinite for {param}, got {other:?}"),
    };
    not_finite(Distribution::fixed(f64::NAN), "value");
    not_finite(Distribution::uniform(0.0, f64::INFINITY), "max");
    not_finite(Distribution::triangular(0.0, f64::NAN, 1.0), "mode");
    not_finite(Distribution::pert(0.0, 1.0, 2.0, Some(f64::NAN)), "shape");
    not_finite(Distribution::normal(f64::NAN, 1.0, None, None), "mean");
    not_finite(
        Distribution::normal(0.0, 1.0, Some(f64::NAN), None),
        "lower",
    );
    not_finite(Distribution::lognormal_median_p90(1.0, f64::NAN), "p90");
    not_finite(Distribution::discrete(vec![f64::NAN], vec![1.0]), "values");
    not_finite(Distribution::discrete(vec![1.0], vec![f64::NAN]), "weights");
    let body = pert_body();
    not_finite(
        Distribution::overrun(body.clone(), f64::NAN, 1.5, 2.0, None),
        "tail_probability",
    );
    not_finite(
        Distribution::overrun(body, 0.1, 1.5, 0.5, Some(f64::NAN)),
        "cap",
    );
}

#[test]
fn rejects_non_positive_sd_and_scale() {
    let out_of_range = |r: Result<Distribution, DistributionError>, param: &str| match r {
        Err(DistributionError::OutOfRange { name, .. }) => assert_eq!(name, param),
        other => panic!("expected OutOfRange for {param}, got {other:?}"),
    };
    out_of_range(Distribution::normal(0.0, 0.0, None, None), "sd");
    out_of_range(Distribution::normal(0.0, -1.0, None, None), "sd");
    out_of_range(Distribution::lognormal_mean_sd(1.0, 0.0), "sd");
    out_of_range(Distribution::lognormal_mean_sd(-1.0, 0.5), "mean");
    out_of_range(Distribution::lognormal_median_p90(0.0, 1.0), "median");
    out_of_range(Distribution::pert(0.0, 1.0, 2.0, Some(0.0)), "shape");
    out_of_range(Distribution::pert(0.0, 1.0, 2.0, Some(1e4)), "shape");
    let body = pert_body();
    out_of_range(
        Distribution::overrun(body.clone(), 1.0, 1.5, 2.0, None),
        "tail_probability",
    );
    out_of_range(
        Distribution::overrun(body.clone(), -0.1, 1.5, 2.0, None),
        "tail_probability",
    );
    out_of_range(
        Distribution::overrun(body.clone(), 0.1, 0.0, 2.0, None),
        "tail_start",
    );
    out_of_range(Distribution::overrun(body, 0.1, 1.5, 0.0, None), "alpha");
}

#[test]
fn rejects_p90_not_above_median() {
    for p90 in [1.0, 0.5] {
        assert!(matches!(
            Distribution::lognormal_median_p90(1.0, p90),
            Err(DistributionError::P90NotAboveMedian { .. })
        ));
    }
}

#[test]
fn rejects_bad_truncation() {
    assert!(matches!(
        Distribution::normal(0.0, 1.0, Some(2.0), Some(2.0)),
        Err(DistributionError::TruncationOrder { .. })
    ));
    assert!(matches!(
        Distribution::normal(0.0, 1.0, Some(9.0), Some(10.0)),
        Err(DistributionError::NegligibleMass { .. })
    ));
    assert!(matches!(
        Distribution::normal(0.0, 1.0, None, Some(-6.0)),
        Err(DistributionError::NegligibleMass { .. })
    ));
}

#[test]
fn rejects_bad_discrete_weights() {
    assert_eq!(
        Distribution::discrete(vec![], vec![]),
        Err(DistributionError::EmptyDiscrete)
    );
    assert_eq!(
        Distribution::discrete(vec![1.0, 2.0], vec![1.0]),
        Err(DistributionError::LengthMismatch {
            values: 2,
            weights: 1
        })
    );
    assert_eq!(
        Distribution::discrete(vec![1.0, 2.0], vec![1.0, -0.5]),
        Err(DistributionError::NegativeWeight {
            index: 1,
            weight: -0.5
        })
    );
    assert_eq!(
        Distribution::discrete(vec![1.0, 2.0], vec![0.0, 0.0]),
        Err(DistributionError::ZeroTotalWeight { sum: 0.0 })
    );
}

#[test]
fn rejects_alpha_at_most_one_without_cap() {
    for alpha in [1.0, 0.7] {
        assert_eq!(
            Distribution::overrun(pert_body(), 0.1, 1.5, alpha, None),
            Err(DistributionError::CapRequired { alpha })
        );
    }
    assert!(Distribution::overrun(pert_body(), 0.1, 1.5, 1.0, Some(5.0)).is_ok());
}

#[test]
fn rejects_cap_not_above_tail_start() {
    for cap in [1.5, 1.0] {
        assert_eq!(
            Distribution::overrun(pert_body(), 0.1, 1.5, 2.0, Some(cap)),
            Err(DistributionError::CapNotAboveTailStart {
                cap,
                tail_start: 1.5
            })
        );
    }
}

#[test]
fn rejects_bad_overrun_body() {
    let inner = Distribution::overrun(pert_body(), 0.1, 1.5, 2.0, None).unwrap();
    assert_eq!(
        Distribution::overrun(inner, 0.1, 1.5, 2.0, None),
        Err(DistributionError::NestedOverrun)
    );
    assert_eq!(
        Distribution::overrun(pert_body(), 0.1, 1.2, 2.0, None),
        Err(DistributionError::BodyAboveTailStart {
            body_max: 1.5,
            tail_start: 1.2
        })
    );
    let unbounded = Distribution::lognormal_mean_sd(1.0, 0.1).unwrap();
    assert!(matches!(
        Distribution::overrun(unbounded, 0.1, 1.5, 2.0, None),
        Err(DistributionError::BodyAboveTailStart { .. })
    ));
}

/// House style: messages are lowercase fragments saying what was expected.
#[test]
fn error_messages_say_what_was_expected() {
    let msg = |r: Result<Distribution, DistributionError>| r.unwrap_err().to_string();
    assert_eq!(
        msg(Distribution::normal(0.0, -1.0, None, None)),
        "`sd` must be > 0, got -1"
    );
    assert_eq!(
        msg(Distribution::overrun(pert_body(), 0.1, 1.5, 0.9, None)),
        "a `cap` is required when `alpha` <= 1 (the mean is infinite otherwise), \
         got alpha 0.9 and no cap"
    );
    assert_eq!(
        msg(Distribution::lognormal_median_p90(2.0, 1.0)),
        "`p90` must be > `median`, got median 2, p90 1"
    );
    assert_eq!(
        msg(Distribution::discrete(vec![1.0], vec![-1.0])),
        "weights must be >= 0, got -1 at index 0"
    );
}

// ---- monotonicity ----

fn ordered_triple() -> impl Strategy<Value = (f64, f64, f64)> {
    (-1e3..1e3_f64, 0.0..=1.0_f64, 1e-3..1e3_f64)
        .prop_map(|(min, t, w)| (min, min + t * w, min + w))
}

/// Valid parameters for every kind.
fn any_distribution() -> impl Strategy<Value = Distribution> {
    prop_oneof![
        (-1e3..1e3_f64, 1e-3..1e3_f64).prop_map(|(a, w)| Distribution::uniform(a, a + w).unwrap()),
        ordered_triple().prop_map(|(a, m, b)| Distribution::triangular(a, m, b).unwrap()),
        (ordered_triple(), 0.1..50.0_f64).prop_map(|((a, m, b), s)| Distribution::pert(
            a,
            m,
            b,
            Some(s)
        )
        .unwrap()),
        (-1e3..1e3_f64, 1e-2..1e2_f64)
            .prop_map(|(m, s)| Distribution::normal(m, s, None, None).unwrap()),
        (
            -1e3..1e3_f64,
            1e-2..1e2_f64,
            -3.0..3.0_f64,
            0.1..6.0_f64,
            0..3_u8
        )
            .prop_map(|(m, s, a, w, sides)| {
                let lower = (sides != 1).then_some(m + s * a);
                let upper = (sides != 2).then_some(m + s * (a + w));
                Distribution::normal(m, s, lower, upper).unwrap()
            }),
        (1e-2..1e6_f64, 1.01..10.0_f64).prop_map(|(med, r)| Distribution::lognormal_median_p90(
            med,
            med * r
        )
        .unwrap()),
        (1e-2..1e6_f64, 0.01..3.0_f64).prop_map(|(m, cv)| Distribution::lognormal_mean_sd(
            m,
            m * cv
        )
        .unwrap()),
        proptest::collection::vec((-1e3..1e3_f64, 0.01..10.0_f64), 1..8).prop_map(|pairs| {
            let (values, weights) = pairs.into_iter().unzip();
            Distribution::discrete(values, weights).unwrap()
        }),
        (
            ordered_triple(),
            0.0..0.9_f64,
            1.0..3.0_f64,
            0.2..4.0_f64,
            1.01..100.0_f64
        )
            .prop_map(|((a, m, b), p, start, alpha, cap)| {
                let ts = b.abs() * start + 1e-3;
                let body = Distribution::pert(a, m, b, None).unwrap();
                let cap = (alpha <= 1.0 || cap > 50.0).then_some(ts * cap);
                Distribution::overrun(body, p, ts, alpha, cap).unwrap()
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { rng_seed: RngSeed::Fixed(20240101), ..ProptestConfig::default() })]

    /// Property (module contract): the quantile is non-decreasing in u.
    #[test]
    fn quantile_is_monotone(d in any_distribution(), u1 in 0.0..=1.0_f64, u2 in 0.0..=1.0_f64) {
        let (lo, hi) = if u1 <= u2 { (u1, u2) } else { (u2, u1) };
        prop_assert!(d.quantile(lo) <= d.quantile(hi), "{d:?}: Q({lo}) > Q({hi})");
    }
}

/// Property on a dense grid for the iterative PERT inverse, where rounding in the Halley
/// iteration is the likeliest source of a step backwards.
#[test]
fn pert_quantile_is_monotone_on_a_dense_grid() {
    let d = Distribution::pert(0.0, 1.0, 3.0, None).unwrap();
    let mut previous = d.quantile(0.0);
    for i in 1..=100_000 {
        let q = d.quantile(f64::from(i) / 100_000.0);
        assert!(q >= previous, "Q steps back at {i}: {previous} -> {q}");
        previous = q;
    }
}

/// [`Distribution::quantiles`] is [`Distribution::quantile`] value by value, to the bit, for
/// every kind, at the ends, just inside them, at NaN and across the unit interval; and for
/// triangulars whose products overflow (the wide form) or that sit on one side only (mode at
/// an end), including a batch where only some values take the wide form; in batches of an
/// even and of an odd length.
#[test]
fn quantiles_in_one_pass_are_the_quantiles_one_by_one() {
    let mut us: Vec<f64> = vec![0.0, 1.0, f64::NAN, -0.5, 1.5, 1e-300, 1.0 - 1e-16];
    us.extend((0..997).map(|i| (f64::from(i) + 0.5) / 997.0));
    let mut cases = one_of_each_kind();
    cases.extend([
        Distribution::triangular(-1e160, 5e159, 3e160).unwrap(),
        Distribution::triangular(-1.7e308, 0.0, 1.7e308).unwrap(),
        Distribution::triangular(0.0, 0.0, 4.0).unwrap(),
        Distribution::triangular(-3.0, 2.0, 2.0).unwrap(),
        Distribution::triangular(1e150, 1e154, 1e155).unwrap(),
    ]);
    // An even and an odd number of values: pairs in SIMD lanes, and the last one alone.
    let batches = [&us[..], &us[1..]];
    for (d, us) in cases.iter().flat_map(|d| batches.map(|us| (d, us))) {
        let mut out = vec![0.0; us.len()];
        d.quantiles(us, &mut out);
        for (u, got) in us.iter().zip(&out) {
            let want = d.quantile(*u);
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "{d:?} at {u}: {got} against {want}"
            );
        }
    }
}
