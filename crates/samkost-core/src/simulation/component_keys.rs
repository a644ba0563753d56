//! The kernel's cumulative net benefits for keys per component (docs/MODEL.md §5c).
//!
//! The kernel's constant-share pass cannot split the pooled running cost by component, so the
//! columns of such keys are written again here, year by year, from each named component's (or
//! pooled line's) running cost `P_c(t)` ([`Model::pooled_component_row`],
//! [`Model::pooled_line_row`]):
//!
//! ```text
//! run_ki(t)   = s_i^def(t) P^run(t) + Σ_c (s_i^c(t) − s_i^def(t)) P_c(t)
//! start_ki(t) = s_i^start(t) P^start(t)
//! cum_ki(t)   = B_i(t) − Σ_{τ≤t} d(τ) (run_ki(τ) + start_ki(τ))
//! ```
//!
//! The payments are kept per key, member and year (`DrawScratch::component_pay`) for the mean
//! payments. Only keys per component pass through here, and the component rows are computed
//! only when such a key exists, so a run without them costs nothing more.

use super::accumulate::KEY_ROWS as PAY_ROWS;
use super::kernel::DrawScratch;
use crate::allocation::{ComponentShares, CostPart, ResolvedKey, Shares};
use crate::model::{DrawFlows, DrawValues, Model};

/// The row of `part` in the rows of [`part_rows`]: components first, then lines.
fn row_index(model: &Model, part: CostPart) -> usize {
    match part {
        CostPart::Component(c) => c,
        CostPart::Line(l) => model.components.len() + l,
    }
}

/// Fills `rows[row × h + t]` with the pooled running cost of every component and line some key
/// names ([`row_index`]).
fn part_rows(
    model: &Model,
    keys: &[ResolvedKey],
    values: &DrawValues,
    h: usize,
    rows: &mut Vec<f64>,
) {
    rows.clear();
    rows.resize((model.components.len() + model.lines.len()) * h, 0.0);
    let named = keys
        .iter()
        .filter_map(|k| k.components.as_ref())
        .flat_map(|cs| (0..cs.len()).map(|j| cs.part(j)));
    let mut done = vec![false; model.components.len() + model.lines.len()];
    for part in named {
        let r = row_index(model, part);
        if std::mem::replace(&mut done[r], true) {
            continue;
        }
        let out = &mut rows[r * h..(r + 1) * h];
        match part {
            CostPart::Component(c) => model.pooled_component_row(values, c, out),
            CostPart::Line(l) => model.pooled_line_row(values, l, out),
        }
    }
}

/// Member `i`'s payments in year `t` under `cs`: running, start-up, accounting items.
fn year_payments(
    (model, cs): (&Model, &ComponentShares),
    flows: &DrawFlows,
    rows: &[f64],
    h: usize,
    (i, t): (usize, usize),
) -> [f64; 3] {
    let def = cs.default_in(t)[i];
    let mut run = def * flows.pooled[0][t];
    for j in 0..cs.len() {
        let diff = cs.component_in(j, t)[i] - def;
        run += diff * rows[row_index(model, cs.part(j)) * h + t];
    }
    [
        run,
        cs.startup_in(t)[i] * flows.pooled[1][t],
        def * flows.pooled_accounting[t],
    ]
}

/// Rewrites the cumulative columns (`cumulative[t × keys·n + k·n + i]`) of every key per
/// component and fills `s.component_pay` (`[((slot × n + i) × PAY_ROWS + row) × h + t]`, `slot`
/// the key's place among the keys per component).
pub(super) fn apply(model: &Model, keys: &[ResolvedKey], discount: &[f64], s: &mut DrawScratch) {
    let (n, h) = (model.n_members(), discount.len());
    let cols = keys.len() * n;
    part_rows(model, keys, &s.values, h, &mut s.component_rows);
    let n_by_component = keys.iter().filter(|k| k.components.is_some()).count();
    s.component_pay.clear();
    s.component_pay
        .resize(n_by_component * n * PAY_ROWS * h, 0.0);
    let by_component = keys
        .iter()
        .enumerate()
        .filter_map(|(k, key)| key.components.as_ref().map(|cs| (k, cs)));
    for (slot, (k, cs)) in by_component.enumerate() {
        for i in 0..n {
            let pay = &mut s.component_pay[(slot * n + i) * PAY_ROWS * h..][..PAY_ROWS * h];
            let mut paid = 0.0;
            for (t, d) in discount.iter().enumerate() {
                let year = year_payments((model, cs), &s.flows, &s.component_rows, h, (i, t));
                for (r, v) in year.iter().enumerate() {
                    pay[r * h + t] = *v;
                }
                paid += d * (year[0] + year[1]);
                s.cumulative[t * cols + k * n + i] = s.base[t * n + i] - paid;
            }
        }
    }
}

/// The reference running shares of a key per component: each member's share of the NPV of the
/// pooled running cost with every input at its median, `Σ_t d(t) run_i(t) / Σ_t d(t) P^run(t)`
/// (docs/MODEL.md §5c); the default rule's shares of the first operating year when that NPV
/// is not positive.
pub(super) fn reference_shares(
    model: &Model,
    key: &ResolvedKey,
    cs: &ComponentShares,
) -> Result<Shares, crate::allocation::KeyError> {
    let (n, h) = (model.n_members(), model.horizon_years);
    let params: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| p.distribution.quantile(0.5))
        .collect();
    let mut values = DrawValues::default();
    let mut flows = DrawFlows::default();
    model.evaluate(&params, &mut values);
    model.draw_flows_with(&values, &mut flows, crate::model::FlowDetail::Cash);
    let mut rows = Vec::new();
    part_rows(model, std::slice::from_ref(key), &values, h, &mut rows);
    let discount = model.discounting.factors(h);
    let weighted: Vec<f64> = (0..n)
        .map(|i| {
            let years = discount.iter().enumerate();
            years
                .map(|(t, d)| d * year_payments((model, cs), &flows, &rows, h, (i, t))[0])
                .sum()
        })
        .collect();
    let total: f64 = weighted.iter().sum();
    if total > 0.0 && total.is_finite() && weighted.iter().all(|w| w.is_finite()) {
        Shares::new(weighted.iter().map(|w| w / total).collect())
    } else {
        Shares::new(cs.default_in(model.operation_start).to_vec())
    }
}
