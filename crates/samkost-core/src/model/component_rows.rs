//! Each component's and pooled line's running cost by year, for the keys per component (docs/MODEL.md
//! §5c). Computed only when a key has rules per component, in a pass of its own beside
//! [`Model::draw_flows`], by the same expression that adds the component to the pooled running
//! row there, so the amounts are the same to the last bit.

use super::{Applies, Basis, Category, DrawValues, Model};

impl Model {
    /// Fills `out[year]` with component `c`'s pooled running cost in the cooperation of all
    /// members, `cost · φ · g(t)` from the year it is pooled (0 before, and 0 for fewer than two
    /// members). The pooling year's staff one-off and the parallel operation are start-up
    /// costs and are not included.
    pub fn pooled_component_row(&self, v: &DrawValues, c: usize, out: &mut [f64]) {
        let n = self.n_members();
        let horizon = self.horizon_years.min(out.len());
        out.fill(0.0);
        let (component, values) = (&self.components[c], &v.components[c]);
        let pooled_from = if n < 2 {
            horizon
        } else {
            component.pooled_from.min(horizon)
        };
        for (year, slot) in out.iter_mut().enumerate().take(horizon).skip(pooled_from) {
            let growth = values.growth_factors[year];
            let cost = self.pooled_component_cost(
                v,
                component,
                values,
                values.grand,
                || (0..n).map(|i| values.transferred_fte(i)).sum(),
                year,
            );
            *slot = cost * v.organisation.pooled_factor(component.is_staffing()) * growth;
        }
    }
}

impl Model {
    /// Fills `out[year]` with line `l`'s pooled running cost in the cooperation of all members,
    /// `g(t) · (F + Σ_d r_d · Σ_i D_d(i))` in the years it applies to the cooperation as a
    /// pooled line (0 otherwise, and for a start-up or per-member line, whose cost is no part of
    /// the pooled running cost).
    pub fn pooled_line_row(&self, v: &DrawValues, l: usize, out: &mut [f64]) {
        out.fill(0.0);
        let n = self.n_members();
        let horizon = self.horizon_years.min(out.len());
        let (line, coef) = (&self.lines[l], &v.lines[l]);
        let pooled = line.basis == Basis::Pooled && line.category == Category::Running;
        if n < 2 || !pooled || horizon == 0 {
            return;
        }
        let pooled_part = self.grand_part(coef);
        let last = line.years.1.min(horizon - 1);
        let years = out.iter_mut().enumerate().take(last + 1).skip(line.years.0);
        for (year, slot) in years {
            if line.occurs.applies(n, year, self.operation_start) == Applies::AsBasis {
                *slot = pooled_part * coef.growth_factors[year];
            }
        }
    }
}
