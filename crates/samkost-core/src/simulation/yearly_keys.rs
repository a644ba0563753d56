//! The kernel's cumulative net benefits for keys whose shares change from year to year
//! (a driver given by year, docs/MODEL.md §5a).
//!
//! With shares constant over the years, the kernel multiplies each share once by the
//! discounted cumulative pooled cost `P_c(t)`. With yearly shares `s_ki^c(τ)` that product
//! no longer factors, so the columns of such keys are written again here, year by year:
//!
//! ```text
//! cum_ki(t) = B_i(t) − Σ_{τ≤t} d(τ) Σ_c s_ki^c(τ) pooled_c(τ)
//! ```
//!
//! Only keys with yearly shares pass through this loop, so a run without them costs nothing
//! more.

use crate::allocation::ResolvedKey;

/// Rewrites the cumulative columns (`cumulative[t × keys·n + k·n + i]`) of every key with
/// yearly shares from the key-independent sums `base[t × n + i]`, the discount factors and
/// the draw's pooled costs per category and year.
pub(super) fn apply(
    keys: &[ResolvedKey],
    discount: &[f64],
    pooled: &[Vec<f64>; 2],
    base: &[f64],
    cumulative: &mut [f64],
    n: usize,
) {
    let cols = keys.len() * n;
    for (k, key) in keys.iter().enumerate() {
        let Some(yearly) = &key.yearly else {
            continue;
        };
        for i in 0..n {
            let col = k * n + i;
            let mut paid = 0.0;
            for (t, d) in discount.iter().enumerate() {
                let run = yearly.year(0, t)[i] * pooled[0][t];
                let start = yearly.year(1, t)[i] * pooled[1][t];
                paid += d * (run + start);
                cumulative[t * cols + col] = base[t * n + i] - paid;
            }
        }
    }
}
