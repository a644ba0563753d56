//! Families of keys as affine sets of shares, searched by coordinate ascent with exact line
//! searches; the frontier (all shares in `[0, 1]`) and its upper bound (docs/MODEL.md §13.3).

use rayon::prelude::*;

use super::count::{Counts, Point, count};
use super::line::{best_on_line, sweep};
use super::{Constraints, Goal, Score, meets_fixed_constraints, score};
use crate::simulation::DrawSample;

/// Most rounds of line searches over all directions in one ascent.
pub const MAX_SWEEPS: usize = 40;

/// Starts from which the frontier's ascent runs (the best-scoring candidates).
const FRONTIER_STARTS: usize = 3;

/// A family of keys a council would recognise.
#[derive(Debug, Clone, PartialEq)]
pub enum FamilyKind {
    /// Any shares in `[0, 1]` (running and start-up shares apart): the frontier.
    Frontier,
    /// `α` split equally, `1 − α` by a driver.
    Hybrid {
        /// Driver name.
        driver: String,
    },
    /// `β` by one driver, `1 − β` by another.
    Blend {
        /// First driver (weight β).
        first: String,
        /// Second driver.
        second: String,
    },
    /// A fixed share per member by population band, the rest per inhabitant.
    Bands {
        /// Band limits on population: band `b` holds members with `limits[b−1] ≤ pop < limits[b]`.
        limits: Vec<f64>,
    },
    /// Running and start-up costs each by their own hybrid key with one driver.
    SeparateStartup {
        /// Driver name.
        driver: String,
    },
}

/// A family as an affine set of shares: `x(p) = origin + Σ_j p_j basis_j`, with parameter
/// bounds and the directions the ascent searches along.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// What the family is.
    pub kind: FamilyKind,
    /// Parameter names, for reports.
    pub param_names: Vec<String>,
    origin: Point,
    basis: Vec<Point>,
    /// Parameters the ascent starts from (several starts allowed).
    pub starts: Vec<Vec<f64>>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    directions: Vec<Vec<f64>>,
    /// Whether one line search covers the whole family (the search is then exact).
    pub exact: bool,
}

impl Family {
    /// The shares at parameters `p`.
    pub fn shares(&self, p: &[f64]) -> Point {
        let mut x = self.origin.clone();
        for (v, pj) in self.basis.iter().zip(p) {
            x = x.step(v, *pj);
        }
        x
    }

    fn direction(&self, w: &[f64]) -> Point {
        let zero = Point {
            running: vec![0.0; self.origin.running.len()],
            startup: vec![0.0; self.origin.startup.len()],
        };
        let mut u = zero;
        for (v, wj) in self.basis.iter().zip(w) {
            if *wj != 0.0 {
                u = u.step(v, *wj);
            }
        }
        u
    }

    /// The θ range keeping `p + θw` within the parameter bounds.
    fn range(&self, p: &[f64], w: &[f64]) -> (f64, f64) {
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        for j in 0..p.len() {
            super::line::half_line(&mut lo, &mut hi, p[j], w[j], self.upper[j]);
            super::line::half_line(&mut lo, &mut hi, -p[j], -w[j], -self.lower[j]);
        }
        (lo, hi)
    }
}

/// The best key found in a family.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The family.
    pub kind: FamilyKind,
    /// Parameter names.
    pub param_names: Vec<String>,
    /// The best parameters.
    pub params: Vec<f64>,
    /// Their shares.
    pub shares: Point,
    /// What the shares achieve on the sample.
    pub counts: Counts,
    /// Their score.
    pub score: Score,
    /// Whether the search covered the whole family (the optimum on the sample is then exact).
    pub exact: bool,
}

/// Coordinate ascent with exact line searches in `family`, from each of its starts; the best
/// point that meets the constraints (the floor on members' gains included), or `None` when
/// none was found.
pub fn optimise(
    sample: &DrawSample,
    goal: Goal,
    constraints: &Constraints,
    family: &Family,
) -> Option<Found> {
    let evaluate = |p: &[f64]| {
        let x = family.shares(p);
        meets_fixed_constraints(sample, constraints, &x).then(|| {
            let c = count(sample, &x);
            let s = score(sample, goal, constraints, &c);
            (x, c, s)
        })
    };
    let mut best: Option<(Vec<f64>, Point, Counts, Score)> = None;
    for start in &family.starts {
        let mut p = start.clone();
        let mut current = evaluate(&p);
        for _ in 0..MAX_SWEEPS {
            let mut improved = false;
            for w in &family.directions {
                let (lo, hi) = family.range(&p, w);
                let x = family.shares(&p);
                let u = family.direction(w);
                let segments = sweep(sample, goal, constraints, &x, &u, lo, hi);
                let Some((theta, segment)) = best_on_line(&segments) else {
                    continue;
                };
                if current.as_ref().is_some_and(|c| segment.score <= c.2) {
                    continue;
                }
                let q: Vec<f64> = p.iter().zip(w).map(|(a, b)| a + theta * b).collect();
                if let Some(next) = evaluate(&q)
                    && current.as_ref().is_none_or(|c| next.2 > c.2)
                {
                    p = q;
                    current = Some(next);
                    improved = true;
                }
            }
            if !improved || family.exact {
                break;
            }
        }
        if let Some((x, c, s)) = current
            && best.as_ref().is_none_or(|b| s > b.3)
        {
            best = Some((p, x, c, s));
        }
    }
    // Shares short of the floor on members' gains do not meet the constraints.
    best.filter(|b| b.3.shortfall == 0)
        .map(|(params, shares, counts, score)| Found {
            kind: family.kind.clone(),
            param_names: family.param_names.clone(),
            params,
            shares,
            counts,
            score,
            exact: family.exact,
        })
}

fn unit(n: usize, i: usize) -> Vec<f64> {
    let mut v = vec![0.0; n];
    v[i] = 1.0;
    v
}

/// Whether the sample has a pooled start-up cost in any draw.
fn has_startup(sample: &DrawSample) -> bool {
    sample.pooled.iter().any(|p| p[1] != 0.0)
}

/// The frontier as a family: every share a parameter, running then start-up. Starts: the
/// given keys, the best-scoring [`FRONTIER_STARTS`] of them searched.
fn frontier_family(
    sample: &DrawSample,
    goal: Goal,
    constraints: &Constraints,
    starts: &[Point],
) -> Family {
    let n = sample.n_members;
    let zero = vec![0.0; n];
    let mut basis = Vec::with_capacity(2 * n);
    for i in 0..n {
        basis.push(Point {
            running: unit(n, i),
            startup: zero.clone(),
        });
    }
    for i in 0..n {
        basis.push(Point {
            running: zero.clone(),
            startup: unit(n, i),
        });
    }
    let separate = has_startup(sample);
    let mut directions = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let mut w = vec![0.0; 2 * n];
            w[i] = 1.0;
            w[j] = -1.0;
            w[n + i] = 1.0;
            w[n + j] = -1.0;
            directions.push(w.clone());
            if separate {
                let mut r = w.clone();
                r[n + i] = 0.0;
                r[n + j] = 0.0;
                directions.push(r);
                w[i] = 0.0;
                w[j] = 0.0;
                directions.push(w);
            }
        }
    }
    let mut ranked: Vec<(Option<Score>, Vec<f64>)> = starts
        .iter()
        .map(|x| {
            let s = meets_fixed_constraints(sample, constraints, x)
                .then(|| score(sample, goal, constraints, &count(sample, x)));
            (s, x.running.iter().chain(&x.startup).copied().collect())
        })
        .collect();
    ranked.sort_by_key(|b| std::cmp::Reverse(b.0));
    ranked.dedup_by(|a, b| a.1 == b.1);
    Family {
        kind: FamilyKind::Frontier,
        param_names: Vec::new(),
        origin: Point {
            running: zero.clone(),
            startup: zero,
        },
        basis,
        starts: ranked
            .into_iter()
            .take(FRONTIER_STARTS)
            .map(|(_, p)| p)
            .collect(),
        lower: vec![0.0; 2 * n],
        upper: vec![1.0; 2 * n],
        directions,
        exact: n == 2 && !separate,
    }
}

/// Population bands of the families: SSB's KOSTRA size classes (under 5,000 inhabitants,
/// 5,000–19,999, 20,000 and more).
pub const KOSTRA_BAND_LIMITS: [f64; 2] = [5_000.0, 20_000.0];

/// The families a council would accept, for drivers `(name, shares)` (the first is the
/// population's) and population band limits.
pub fn families(
    sample: &DrawSample,
    drivers: &[(String, Vec<f64>)],
    populations: &[f64],
    band_limits: &[f64],
) -> Vec<Family> {
    let n = sample.n_members;
    let equal = vec![1.0 / n as f64; n];
    let diff = |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(x, y)| x - y).collect() };
    let mut out = Vec::new();
    for (name, p) in drivers {
        out.push(Family {
            kind: FamilyKind::Hybrid {
                driver: name.clone(),
            },
            param_names: vec!["fixed_part".to_owned()],
            origin: Point::uniform(p.clone()),
            basis: vec![Point::uniform(diff(&equal, p))],
            starts: vec![vec![0.0]],
            lower: vec![0.0],
            upper: vec![1.0],
            directions: vec![vec![1.0]],
            exact: true,
        });
    }
    for (a, (first, pa)) in drivers.iter().enumerate() {
        for (second, pb) in &drivers[a + 1..] {
            out.push(Family {
                kind: FamilyKind::Blend {
                    first: first.clone(),
                    second: second.clone(),
                },
                param_names: vec![format!("weight_{first}")],
                origin: Point::uniform(pb.clone()),
                basis: vec![Point::uniform(diff(pa, pb))],
                starts: vec![vec![0.0]],
                lower: vec![0.0],
                upper: vec![1.0],
                directions: vec![vec![1.0]],
                exact: true,
            });
        }
    }
    if let Some((_, pop)) = drivers.first() {
        let band_of = |v: f64| band_limits.iter().filter(|l| v >= **l).count();
        let mut bands: Vec<usize> = populations.iter().map(|v| band_of(*v)).collect();
        let mut used: Vec<usize> = bands.clone();
        used.sort_unstable();
        used.dedup();
        for b in &mut bands {
            *b = used.iter().position(|u| u == b).unwrap_or(0);
        }
        let k = used.len();
        let sizes: Vec<f64> = (0..k)
            .map(|b| bands.iter().filter(|x| **x == b).count() as f64)
            .collect();
        let mut basis: Vec<Point> = (0..k)
            .map(|b| Point::uniform(bands.iter().map(|x| f64::from(u8::from(*x == b))).collect()))
            .collect();
        basis.push(Point::uniform(pop.clone()));
        let mut directions = Vec::new();
        for b in 0..k {
            let mut w = vec![0.0; k + 1];
            w[b] = 1.0;
            w[k] = -sizes[b];
            directions.push(w);
            for c in b + 1..k {
                let mut w = vec![0.0; k + 1];
                w[b] = 1.0 / sizes[b];
                w[c] = -1.0 / sizes[c];
                directions.push(w);
            }
        }
        let mut upper: Vec<f64> = sizes.iter().map(|s| 1.0 / s).collect();
        upper.push(1.0);
        let mut per_capita = vec![0.0; k + 1];
        per_capita[k] = 1.0;
        let mut even = vec![1.0 / n as f64; k + 1];
        even[k] = 0.0;
        let mut names: Vec<String> = (0..k)
            .map(|b| {
                let lo = used[b].checked_sub(1).map_or(0.0, |l| band_limits[l]);
                match band_limits.get(used[b]) {
                    Some(hi) => format!("per_member_{lo:.0}_{:.0}", hi - 1.0),
                    None => format!("per_member_{lo:.0}_plus"),
                }
            })
            .collect();
        names.push("per_capita".to_owned());
        out.push(Family {
            kind: FamilyKind::Bands {
                limits: band_limits.to_vec(),
            },
            param_names: names,
            origin: Point::uniform(vec![0.0; n]),
            basis,
            starts: vec![per_capita, even],
            lower: vec![0.0; k + 1],
            upper,
            directions,
            exact: k == 1,
        });
        if has_startup(sample) {
            let to_equal = diff(&equal, pop);
            let zero = vec![0.0; n];
            out.push(Family {
                kind: FamilyKind::SeparateStartup {
                    driver: drivers[0].0.clone(),
                },
                param_names: vec!["fixed_part".to_owned(), "startup_fixed_part".to_owned()],
                origin: Point::uniform(pop.clone()),
                basis: vec![
                    Point {
                        running: to_equal.clone(),
                        startup: zero.clone(),
                    },
                    Point {
                        running: zero,
                        startup: to_equal,
                    },
                ],
                starts: vec![vec![0.0, 0.0], vec![0.3, 0.0], vec![0.5, 0.5]],
                lower: vec![0.0, 0.0],
                upper: vec![1.0, 1.0],
                directions: vec![
                    vec![1.0, 0.0],
                    vec![0.0, 1.0],
                    vec![1.0, 1.0],
                    vec![1.0, -1.0],
                ],
                exact: false,
            });
        }
    }
    out
}

/// Draws in which *some* shares in `[0, 1]` meet the goal, an upper bound on the frontier's
/// count (docs/MODEL.md §13.3): for every member to gain, every `B_id > 0` and
/// `Σ_i min(B_id, P_d) > P_d`; for core stability, every coalition `S` can pay a part of
/// `P_d` within its limit while its complement does too,
/// `max(0, P_d − q_d(N∖S)) ≤ min(P_d, q_d(S))`. A draw with a negative pooled cost counts
/// when the region gains (all goals need that). Returns the count and the draws it is out of.
pub fn frontier_upper_bound(sample: &DrawSample, goal: Goal) -> (u64, u64) {
    let n = sample.n_members;
    match goal {
        Goal::AllWin => {
            let hits = (0..sample.n_draws)
                .filter(|&d| {
                    let b = sample.base_of(d);
                    let [a, s] = sample.pooled[d];
                    let p = a + s;
                    if a < 0.0 || s < 0.0 {
                        return b.iter().sum::<f64>() > p;
                    }
                    b.iter().all(|v| *v > 0.0)
                        && (p == 0.0 || b.iter().map(|v| v.min(p)).sum::<f64>() > p)
                })
                .count();
            (hits as u64, sample.n_draws as u64)
        }
        Goal::CoreStable => {
            let full = (1usize << n) - 1;
            let hits = (0..sample.core_draws)
                .filter(|&d| {
                    let q = sample.limits_of(d);
                    let [a, s] = sample.pooled[d];
                    let p = a + s;
                    if a < 0.0 || s < 0.0 {
                        return (1..full).all(|m| q[m] + q[full ^ m] >= p);
                    }
                    (1..full).all(|m| (p - q[full ^ m]).max(0.0) <= p.min(q[m]))
                })
                .count();
            (hits as u64, sample.core_draws as u64)
        }
    }
}

/// A goal's frontier and the best key of every family.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// What was optimised.
    pub goal: Goal,
    /// Draws the goal is counted on.
    pub n_draws: u64,
    /// The best shares found (`None` when none meets the constraints).
    pub frontier: Option<Found>,
    /// Upper bound on the frontier's count ([`frontier_upper_bound`]).
    pub upper_bound: u64,
    /// The best key of each family that has one meeting the constraints.
    pub families: Vec<Found>,
}

/// The frontier (started from `listed` keys, equal shares and every driver's shares, and every
/// family's best) and the families' best keys for `goal`.
pub fn design(
    sample: &DrawSample,
    goal: Goal,
    constraints: &Constraints,
    drivers: &[(String, Vec<f64>)],
    listed: &[Point],
    band_limits: &[f64],
) -> Design {
    let n = sample.n_members;
    // Each family's search depends on the sample alone: side by side, in family order.
    let found: Vec<Found> = families(sample, drivers, &constraints.populations, band_limits)
        .par_iter()
        .filter_map(|f| optimise(sample, goal, constraints, f))
        .collect();
    let mut starts: Vec<Point> = listed.to_vec();
    starts.push(Point::uniform(vec![1.0 / n as f64; n]));
    starts.extend(drivers.iter().map(|(_, p)| Point::uniform(p.clone())));
    starts.extend(found.iter().map(|f| f.shares.clone()));
    if let Some(near) = &constraints.near {
        starts.push(near.shares.clone());
    }
    let frontier = optimise(
        sample,
        goal,
        constraints,
        &frontier_family(sample, goal, constraints, &starts),
    );
    let (upper_bound, n_draws) = frontier_upper_bound(sample, goal);
    Design {
        goal,
        n_draws,
        frontier,
        upper_bound,
        families: found,
    }
}
