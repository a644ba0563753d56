//! The exact line search: along a line of shares `x + θu`, every draw's condition (a member
//! gains, every member gains, no coalition pays more than its limit) holds on an interval of
//! θ, because each is a set of linear inequalities in the shares. Sorting the intervals' ends
//! gives the count of every condition on every piece of the line, so the best piece is found
//! exactly (docs/MODEL.md §13.2).

use super::count::Point;
use super::{Constraints, Goal, Score};
use crate::simulation::DrawSample;

/// A piece of the line on which every count is constant.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Start of the piece (θ).
    pub from: f64,
    /// End of the piece (θ).
    pub to: f64,
    /// Draws meeting the goal on the piece.
    pub goal: u64,
    /// The piece's score (constraints and tie-breaks included).
    pub score: Score,
}

/// The set `{θ : α + θβ ≤ γ}` intersected into `[lo, hi]`.
pub(super) fn half_line(lo: &mut f64, hi: &mut f64, alpha: f64, beta: f64, gamma: f64) {
    if beta > 0.0 {
        *hi = hi.min((gamma - alpha) / beta);
    } else if beta < 0.0 {
        *lo = lo.max((gamma - alpha) / beta);
    } else if alpha > gamma + 1e-12 {
        *hi = f64::NEG_INFINITY;
    }
}

/// The θ range on which the shares stay in `[0, 1]` and meet the constraints that do not
/// depend on the draws (burden ratio, nearness to an agreed key), within `[lo, hi]`.
pub(super) fn domain(
    sample: &DrawSample,
    constraints: &Constraints,
    x: &Point,
    u: &Point,
    lo: f64,
    hi: f64,
) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (lo, hi);
    for (xs, us) in [(&x.running, &u.running), (&x.startup, &u.startup)] {
        for (xi, ui) in xs.iter().zip(us.iter()) {
            half_line(&mut lo, &mut hi, *xi, *ui, 1.0);
            half_line(&mut lo, &mut hi, -xi, -ui, 0.0);
        }
    }
    if let Some(near) = &constraints.near {
        for (c, (xs, us)) in [(&x.running, &u.running), (&x.startup, &u.startup)]
            .into_iter()
            .enumerate()
        {
            let agreed = if c == 0 {
                &near.shares.running
            } else {
                &near.shares.startup
            };
            for ((xi, ui), ki) in xs.iter().zip(us.iter()).zip(agreed) {
                half_line(&mut lo, &mut hi, xi - ki, *ui, near.max_deviation);
                half_line(&mut lo, &mut hi, ki - xi, -ui, near.max_deviation);
            }
        }
    }
    if let Some(rho) = constraints.max_burden_ratio {
        let pops = &constraints.populations;
        let scale = sample.operating_years as f64;
        // c_i(θ) = (D_i + L_i(x) + θ L_i(u)) / (Y pop_i)
        let line: Vec<(f64, f64)> = (0..sample.n_members)
            .map(|i| {
                let w = scale * pops[i];
                (
                    (sample.direct_operating[i] + x.load(i, sample.pooled_operating)) / w,
                    u.load(i, sample.pooled_operating) / w,
                )
            })
            .collect();
        for (i, &(ai, bi)) in line.iter().enumerate() {
            // Every cost positive (the ratio needs it): −c_i ≤ −tiny.
            half_line(&mut lo, &mut hi, -ai, -bi, -1e-9);
            for (j, &(aj, bj)) in line.iter().enumerate() {
                if i != j {
                    half_line(&mut lo, &mut hi, ai - rho * aj, bi - rho * bj, 0.0);
                }
            }
        }
    }
    (lo < hi || (lo == hi && lo.is_finite())).then_some((lo, hi))
}

/// Counts along `x + θu` for θ in `[lo, hi]`: the pieces of the line and their counts, in
/// order. Empty when no θ in the range meets the draw-free constraints.
pub fn sweep(
    sample: &DrawSample,
    goal: Goal,
    constraints: &Constraints,
    x: &Point,
    u: &Point,
    lo: f64,
    hi: f64,
) -> Vec<Segment> {
    let Some((lo, hi)) = domain(sample, constraints, x, u, lo, hi) else {
        return Vec::new();
    };
    let n = sample.n_members;
    let track_members = constraints.min_p_gain.is_some();
    // Event kinds: 0 goal, 1 tie-break count, 2 + i member i.
    let mut events: Vec<(f64, u32, i32)> = Vec::new();
    let mut push = |l: f64, r: f64, kind: u32| {
        let (l, r) = (l.max(lo), r.min(hi));
        if l < r || (l == r && lo == hi) {
            events.push((l, kind, 1));
            events.push((r, kind, -1));
        }
    };
    let mut sums_a = vec![0.0; if sample.core_draws > 0 { 1 << n } else { 0 }];
    let mut sums_g = sums_a.clone();
    for d in 0..sample.n_draws {
        let base = sample.base_of(d);
        let pooled = sample.pooled[d];
        let (mut all_lo, mut all_hi) = (f64::NEG_INFINITY, f64::INFINITY);
        for (i, b) in base.iter().enumerate() {
            // NPV_i(θ) = m − θ g > 0
            let (m, g) = (b - x.load(i, pooled), u.load(i, pooled));
            let (mut l, mut h) = (f64::NEG_INFINITY, f64::INFINITY);
            if g > 0.0 {
                h = m / g;
            } else if g < 0.0 {
                l = m / g;
            } else if m <= 0.0 {
                h = f64::NEG_INFINITY;
            }
            if track_members {
                push(l, h, 2 + i as u32);
            }
            all_lo = all_lo.max(l);
            all_hi = all_hi.min(h);
        }
        let win_kind = if goal == Goal::AllWin { 0 } else { 1 };
        push(all_lo, all_hi, win_kind);
        if goal == Goal::CoreStable && d < sample.core_draws {
            let limits = sample.limits_of(d);
            let size = limits.len();
            let (mut l, mut h) = (f64::NEG_INFINITY, f64::INFINITY);
            for mask in 1..size - 1 {
                let low = mask.trailing_zeros() as usize;
                let prev = mask & (mask - 1);
                sums_a[mask] = sums_a[prev] + x.load(low, pooled);
                sums_g[mask] = sums_g[prev] + u.load(low, pooled);
                half_line(&mut l, &mut h, sums_a[mask], sums_g[mask], limits[mask]);
            }
            // A touching end counts: the limits carry the core tolerance.
            if l <= h {
                push(l, h.max(l), 0);
            }
        }
    }
    // In the order of `f64::total_cmp`, by a radix sort of its integer keys: the events at one
    // θ are counted together below, so their order among themselves changes nothing.
    radsort::sort_by_key(&mut events, |e| crate::stats::sort_key(e.0));
    let floor = constraints
        .min_p_gain
        .map_or(0, |p| (p * sample.n_draws as f64).ceil() as u64);
    let mut counts = vec![0i64; 2 + n];
    let mut out: Vec<Segment> = Vec::new();
    let mut k = 0;
    let mut at = lo;
    loop {
        while k < events.len() && events[k].0 <= at {
            counts[events[k].1 as usize] += i64::from(events[k].2);
            k += 1;
        }
        let next = if k < events.len() { events[k].0 } else { hi };
        let to = next.min(hi);
        if to > at || (lo == hi && out.is_empty()) {
            let shortfall = if track_members {
                counts[2..]
                    .iter()
                    .map(|&c| floor.saturating_sub(c.max(0) as u64))
                    .sum()
            } else {
                0
            };
            let member_total: i64 = counts[2..].iter().sum();
            out.push(Segment {
                from: at,
                to,
                goal: counts[0].max(0) as u64,
                score: Score {
                    shortfall,
                    primary: counts[0].max(0) as u64,
                    secondary: counts[1].max(0) as u64 + member_total.max(0) as u64,
                },
            });
        }
        if k >= events.len() || next >= hi {
            break;
        }
        at = next;
    }
    out
}

/// The best piece of [`sweep`] and its middle (the point farthest from the piece's ends,
/// which is the most robust to the sample), or `None` when the line has no feasible point.
pub fn best_on_line(segments: &[Segment]) -> Option<(f64, &Segment)> {
    let best = segments.iter().max_by(|a, b| {
        a.score
            .cmp(&b.score)
            .then((a.to - a.from).total_cmp(&(b.to - b.from)))
    })?;
    Some((middle(best.from, best.to), best))
}

/// A finite point inside `[from, to]`.
pub(super) fn middle(from: f64, to: f64) -> f64 {
    match (from.is_finite(), to.is_finite()) {
        (true, true) => 0.5 * (from + to),
        (true, false) => from + 1.0,
        (false, true) => to - 1.0,
        (false, false) => 0.0,
    }
}
