//! Fast inverse of the regularised incomplete beta function, for inverse-transform sampling
//! of PERT inputs.
//!
//! Numerical inversion by interpolation of the inverse CDF (Hörmann & Leydold 2003,
//! "Continuous random variate generation by fast numerical inversion", ACM TOMACS 13(4):
//! 347–362, their HINV method). Nodes `x_k` in `[0, 1]` carry `u_k = I_{x_k}(α, β)` and the
//! slope `dx/du = 1 / f(x_k)`; between nodes the quantile is the cubic Hermite interpolant in
//! `u`. In the first and last interval, where the density can vanish or diverge, it is the
//! power law the CDF follows there: `x = x_1 (u/u_1)^{1/α}` and
//! `1 − x = (1 − x_{K−1}) ((1 − u)/(1 − u_{K−1}))^{1/β}`. Starting from 32 equal intervals,
//! an interval is halved (in `x`) until the *u-error* `|I_{Q̃(u)}(α, β) − u|` at a quarter,
//! half and three quarters of it is at most [`U_TOLERANCE`] and the interpolant increases
//! through those points, or it holds less than [`U_TOLERANCE`] of probability. Evaluation is
//! a binary search and a polynomial.
//!
//! Error bound (documented in docs/MODEL.md §7 and tested on 2^16 points per shape plus both
//! tails in `sampling::beta_inverse::tests`): `|I_{Q̃(u)}(α, β) − u| ≤ 1e-11` for every `u`;
//! the error in `x` is that divided by the density at `x`.

use super::special::beta_cdf;

/// Largest u-error accepted at the check points of an interval.
pub(crate) const U_TOLERANCE: f64 = 1e-12;

/// The documented bound on the u-error anywhere (ten times the check-point tolerance).
#[cfg(test)]
pub(crate) const U_ERROR_BOUND: f64 = 1e-11;

const INITIAL_INTERVALS: usize = 32;
const MAX_DEPTH: u32 = 40;

/// The interpolation table of one Beta(α, β).
#[derive(Clone, PartialEq)]
pub(crate) struct BetaInverse {
    a: f64,
    b: f64,
    u: Vec<f64>,
    x: Vec<f64>,
    slope: Vec<f64>,
    curvature: Vec<f64>,
    /// `guide[g]`: the last node with `u_k ≤ g / G` (`G = guide.len()`), where the search
    /// for `u` in `[g/G, (g+1)/G)` starts (the guide table of Chen & Asau 1974).
    guide: Vec<u32>,
    /// Whether `u` never decreases. It holds the CDF at increasing nodes, so it should not,
    /// but it is computed in floating point; only a sorted `u` lets the guide table stand in
    /// for a search of the whole table ([`Self::interval`]).
    sorted: bool,
}

/// The table's defining fields only (`sorted` follows from `u`). A scenario's fingerprint
/// hashes this text, so it lists exactly these fields.
impl std::fmt::Debug for BetaInverse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BetaInverse")
            .field("a", &self.a)
            .field("b", &self.b)
            .field("u", &self.u)
            .field("x", &self.x)
            .field("slope", &self.slope)
            .field("curvature", &self.curvature)
            .field("guide", &self.guide)
            .finish()
    }
}

/// A node: `u = I_x(α, β)`, `slope = dx/du = 1/f(x)`, `curvature = d²x/du² = −(f′/f)/f²`.
#[derive(Clone, Copy)]
struct Node {
    u: f64,
    x: f64,
    slope: f64,
    curvature: f64,
}

impl BetaInverse {
    /// The table of Beta(`a`, `b`) with `ln_beta = ln B(a, b)`.
    pub(crate) fn new(a: f64, b: f64, ln_beta: f64) -> Self {
        let node = |x: f64| {
            let density = ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - ln_beta).exp();
            let slope = 1.0 / density;
            let log_derivative = (a - 1.0) / x - (b - 1.0) / (1.0 - x);
            Node {
                u: beta_cdf(x, a, b, ln_beta),
                x,
                slope,
                curvature: -log_derivative * slope * slope,
            }
        };
        let mut table = Self {
            a,
            b,
            u: Vec::new(),
            x: Vec::new(),
            slope: Vec::new(),
            curvature: Vec::new(),
            guide: Vec::new(),
            sorted: false,
        };
        let first = node(0.0);
        table.push(first);
        let mut left = first;
        for k in 1..=INITIAL_INTERVALS {
            let right = node(k as f64 / INITIAL_INTERVALS as f64);
            table.refine(left, right, 0, &node, ln_beta);
            left = right;
        }
        let cells = table.u.len();
        table.guide = (0..cells)
            .map(|g| {
                let start = g as f64 / cells as f64;
                table.u.partition_point(|&v| v <= start).saturating_sub(1) as u32
            })
            .collect();
        table.sorted = table.u.windows(2).all(|w| w[0] <= w[1]);
        table
    }

    fn push(&mut self, n: Node) {
        self.u.push(n.u);
        self.x.push(n.x);
        self.slope.push(n.slope);
        self.curvature.push(n.curvature);
    }

    fn refine(&mut self, l: Node, r: Node, depth: u32, node: &impl Fn(f64) -> Node, lnb: f64) {
        let mass = r.u - l.u;
        if depth < MAX_DEPTH && mass > U_TOLERANCE && !self.accept(l, r, lnb) {
            let m = node(0.5 * (l.x + r.x));
            self.refine(l, m, depth + 1, node, lnb);
            self.refine(m, r, depth + 1, node, lnb);
        } else {
            self.push(r);
        }
    }

    fn accept(&self, l: Node, r: Node, lnb: f64) -> bool {
        let h = r.u - l.u;
        let mut previous = l.x;
        [0.25, 0.5, 0.75].iter().all(|f| {
            let u = l.u + f * h;
            let x = self.interpolate(l, r, u);
            let monotone = x >= previous;
            previous = x;
            monotone && (beta_cdf(x, self.a, self.b, lnb) - u).abs() <= U_TOLERANCE
        })
    }

    fn interpolate(&self, l: Node, r: Node, u: f64) -> f64 {
        let h = r.u - l.u;
        if h.is_nan() || h <= 0.0 {
            return l.x;
        }
        let x = if l.x == 0.0 {
            r.x * (u / r.u).powf(1.0 / self.a)
        } else if r.x == 1.0 {
            1.0 - (1.0 - l.x) * ((1.0 - u) / (1.0 - l.u)).powf(1.0 / self.b)
        } else {
            // Quintic Hermite: value, slope and curvature at both ends.
            let t = (u - l.u) / h;
            let (t2, t3) = (t * t, t * t * t);
            let (t4, t5) = (t3 * t, t3 * t2);
            let h0 = 1.0 - 10.0 * t3 + 15.0 * t4 - 6.0 * t5;
            let h1 = t - 6.0 * t3 + 8.0 * t4 - 3.0 * t5;
            let h2 = 0.5 * (t2 - 3.0 * t3 + 3.0 * t4 - t5);
            let h3 = 0.5 * (t3 - 2.0 * t4 + t5);
            let h4 = -4.0 * t3 + 7.0 * t4 - 3.0 * t5;
            let h5 = 10.0 * t3 - 15.0 * t4 + 6.0 * t5;
            h0 * l.x
                + h1 * h * l.slope
                + h2 * h * h * l.curvature
                + h3 * h * h * r.curvature
                + h4 * h * r.slope
                + h5 * r.x
        };
        x.clamp(l.x, r.x)
    }

    /// `x` with `I_x(α, β) ≈ u`, within [`U_ERROR_BOUND`] in `u`.
    pub(crate) fn quantile(&self, u: f64) -> f64 {
        if u.is_nan() {
            return f64::NAN;
        }
        if u <= 0.0 {
            return 0.0;
        }
        if u >= 1.0 {
            return 1.0;
        }
        let last = self.u.len() - 2;
        let k = self.interval(u).min(last);
        let at = |k: usize| Node {
            u: self.u[k],
            x: self.x[k],
            slope: self.slope[k],
            curvature: self.curvature[k],
        };
        self.interpolate(at(k), at(k + 1), u)
    }

    /// The last node with `u_k ≤ u` (node 0 when there is none), for `u` in (0, 1): the
    /// binary search of the whole table, or the same node found between the guide table's
    /// bounds for `u`'s cell. Those bounds are used only where they provably bracket the node:
    /// the table is sorted, `u_lo ≤ u` and `u_hi > u`. Otherwise (rounding of `u·G` at a cell's
    /// edge, an unsorted table) the whole table is searched.
    fn interval(&self, u: f64) -> usize {
        let n = self.u.len();
        let cells = self.guide.len();
        if self.sorted && cells > 0 {
            let g = ((u * cells as f64) as usize).min(cells - 1);
            let lo = self.guide[g] as usize;
            let hi = self.guide.get(g + 1).map_or(n, |&h| h as usize + 1).min(n);
            if lo < hi && self.u[lo] <= u && (hi == n || self.u[hi] > u) {
                // Every node up to `lo` is at or below `u`, every node from `hi` above it.
                return lo + self.u[lo + 1..hi].partition_point(|&v| v <= u);
            }
        }
        self.u.partition_point(|&v| v <= u).saturating_sub(1)
    }

    /// Number of nodes.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.u.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::special::ln_beta;

    /// The u-error `|I_{Q̃(u)} − u|` stays within the documented bound on a grid of 2^16 points
    /// and on both tails down to 1e-15, for the PERT shapes of the default scenarios and the
    /// extremes the scenario reader accepts (mode at an end; shape 1000). PERT has α, β ≥ 1. The reference is the
    /// continued-fraction CDF, independent of the table's interpolation.
    #[test]
    fn u_error_is_within_the_bound() {
        let shapes = [
            (1.0, 5.0),
            (5.0, 1.0),
            (2.0, 3.0),
            (3.0, 3.0),
            (1.8, 4.2),
            (1.0, 1.0),
            (1.5, 1001.0),
            (501.0, 501.0),
        ];
        for (a, b) in shapes {
            let lnb = ln_beta(a, b);
            let t = BetaInverse::new(a, b, lnb);
            let grid = (1..1 << 16).map(|k| k as f64 / 65536.0);
            let tails = (1..=15).flat_map(|e| {
                let p = 10f64.powi(-e);
                [p, 1.0 - p]
            });
            let mut worst: f64 = 0.0;
            for u in grid.chain(tails) {
                let x = t.quantile(u);
                assert!((0.0..=1.0).contains(&x), "({a}, {b}) u = {u}: x = {x}");
                worst = worst.max((beta_cdf(x, a, b, lnb) - u).abs());
            }
            assert!(
                worst <= U_ERROR_BOUND,
                "Beta({a}, {b}): u-error {worst:e} with {} nodes",
                t.len()
            );
        }
    }

    /// The guide table finds the node the binary search of the whole table finds, on a fine
    /// grid, at every node's `u` and next to it, for the shapes of the bound test.
    #[test]
    fn guided_search_finds_the_node_of_the_full_search() {
        for (a, b) in [
            (1.0, 5.0),
            (2.0, 3.0),
            (1.8, 4.2),
            (1.5, 1001.0),
            (501.0, 501.0),
        ] {
            let t = BetaInverse::new(a, b, ln_beta(a, b));
            assert!(t.sorted, "Beta({a}, {b})");
            let full = |u: f64| t.u.partition_point(|&v| v <= u).saturating_sub(1);
            let grid = (1..1 << 16).map(|k| k as f64 / 65536.0);
            // Each node's u and its neighbours among the doubles (u ≥ 0, so ±1 on the bits).
            let nodes = t.u.iter().flat_map(|&v| {
                let bits = v.to_bits();
                [bits.saturating_sub(1), bits, bits + 1].map(f64::from_bits)
            });
            for u in grid.chain(nodes).filter(|&u| u > 0.0 && u < 1.0) {
                assert_eq!(t.interval(u), full(u), "Beta({a}, {b}), u = {u}");
            }
        }
    }

    /// Monotone: a larger u never gives a smaller x.
    #[test]
    fn quantile_is_monotone() {
        let (a, b) = (1.8, 4.2);
        let t = BetaInverse::new(a, b, ln_beta(a, b));
        let mut prev = 0.0;
        for k in 0..=100_000 {
            let x = t.quantile(k as f64 / 100_000.0);
            assert!(x >= prev, "k = {k}");
            prev = x;
        }
    }

    /// Closed form: Beta(1, b) has `Q(u) = 1 − (1 − u)^{1/b}` (and Beta(a, 1) `u^{1/a}`).
    #[test]
    fn matches_closed_forms() {
        for b in [1.0, 2.0, 5.0] {
            let t = BetaInverse::new(1.0, b, ln_beta(1.0, b));
            let s = BetaInverse::new(b, 1.0, ln_beta(b, 1.0));
            for k in 1..1000 {
                let u = k as f64 / 1000.0;
                let want = 1.0 - (1.0 - u).powf(1.0 / b);
                assert!((t.quantile(u) - want).abs() < 1e-10, "b = {b}, u = {u}");
                assert!(
                    (s.quantile(u) - u.powf(1.0 / b)).abs() < 1e-10,
                    "a = {b}, u = {u}"
                );
            }
        }
    }
}
