//! The NPV game's records of yearly weights: per year, the weights of every part of the game
//! that do not depend on the member ([`Model::npv_game_year_terms`]), and the aggregates
//! `K`, `a_i`, `w_c` of a discounted sum of them ([`Model::npv_game_unpack`]); docs/MODEL.md
//! §10, "Game-theoretic keys in the Monte Carlo".

use super::super::flows::parallel_fraction;
use super::super::{Applies, Basis, Category, DrawValues, Model};
use super::NpvGameTerms;

impl Model {
    /// Values in a year's record of the NPV game: three per line, five per component, the
    /// governance's and three of the assets' ([`Model::npv_game_year_terms`]).
    pub(super) fn record_width(&self) -> usize {
        3 * self.lines.len() + 5 * self.components.len() + 4
    }

    /// Each year's record `T(y)` of draw `v` for the years `0..horizon`, into `terms.years`
    /// (`[year × width + value]`, [`Model::record_width`]): the year's weights before
    /// discounting, which do not depend on the member —
    ///
    /// * per line: `g(y)` where a singleton pays it, where a coalition pays it as a pooled
    ///   line, and where each member pays it for itself;
    /// * per component: `g(y)`, and `g(y)` before pooling, from pooling on, times the
    ///   parallel fraction, and in the pooling year for the staff's one-off;
    /// * 1 for the governance;
    /// * per inhabitant, the asset events a member pays alone, before pooling and in it
    ///   (the shared platform), and its start-up (the resale, negative).
    ///
    /// Every part of the game is such a weight times a member's amount, so the aggregates of
    /// any discount `d` come from the records' sum `Σ_y d(y) · T(y)`.
    pub(super) fn npv_game_year_terms(
        &self,
        v: &DrawValues,
        horizon: usize,
        terms: &mut NpvGameTerms,
    ) {
        let width = self.record_width();
        let t0 = self.operation_start;
        let components = 3 * self.lines.len();
        let governance = components + 5 * self.components.len();
        terms.years.clear();
        terms.years.resize(horizon * width, 0.0);
        // Each line's amount `F + Σ_d r_d D_d(i)` and its rates' part per member.
        let (n, drivers) = (self.n_members(), &self.drivers);
        terms.parts.clear();
        for coef in &v.lines {
            terms.parts.extend((0..n).map(|i| {
                let rates: f64 = coef
                    .rates
                    .iter()
                    .map(|&(d, r)| r * drivers.values(d)[i])
                    .sum();
                (coef.fixed + rates, rates)
            }));
        }
        for (l, (line, coef)) in self.lines.iter().zip(&v.lines).enumerate() {
            for (year, record) in terms.years.chunks_exact_mut(width).enumerate() {
                if !line.active(year) {
                    continue;
                }
                // A singleton pays the line as its basis; a coalition as its basis or each
                // member for itself.
                let g = coef.growth_factors[year];
                let alone = if line.occurs.applies(1, year, t0) == Applies::AsBasis {
                    g
                } else {
                    0.0
                };
                let (basis, each) = match line.occurs.applies(2, year, t0) {
                    Applies::No => (0.0, 0.0),
                    Applies::AsBasis => (g, 0.0),
                    Applies::EachMember => (0.0, g),
                };
                let (pooled, member) = match line.basis {
                    Basis::Pooled => (basis, each),
                    Basis::PerMember => (0.0, basis + each),
                };
                record[3 * l..3 * l + 3].copy_from_slice(&[alone, pooled, member]);
            }
        }
        let (months, share) = v.parallel;
        for (c, (component, values)) in self.components.iter().zip(&v.components).enumerate() {
            let from = component.pooled_from;
            let staffing = component.is_staffing();
            for (year, record) in terms.years.chunks_exact_mut(width).enumerate() {
                let g = values.growth_factors[year];
                let at = components + 5 * c;
                record[at..at + 5].copy_from_slice(&if year < from {
                    [g, g, 0.0, 0.0, 0.0]
                } else {
                    let parallel = g * share * parallel_fraction(months, year - from);
                    let one_off = if staffing && year == from { g } else { 0.0 };
                    [g, 0.0, g, parallel, one_off]
                });
            }
        }
        for record in terms.years.chunks_exact_mut(width) {
            record[governance] = 1.0;
        }
        let Some(assets) = &v.assets else {
            return;
        };
        // Per inhabitant: a member's asset events are its population times these (as in
        // `Model::draw_flows`).
        assets.standalone_years(1.0, self.horizon_years, &mut terms.asset_years);
        // `AssetValues::standalone_residual(1, horizon)`, from the table.
        let own_residual = match terms.asset_years.last() {
            Some(last) if assets.residual_value => last.book_value_end(),
            _ => 0.0,
        };
        let platform_residual = assets.pooled_residual(1.0, t0, self.horizon_years).value;
        let years = terms.years.chunks_exact_mut(width).zip(&terms.asset_years);
        for (year, (record, event)) in years.enumerate() {
            let last = year + 1 == self.horizon_years;
            let own = event.reinvestment - if last { own_residual } else { 0.0 };
            let (pooled, startup) = if year < t0 {
                (own, 0.0)
            } else {
                // The shared platform is linear in the inhabitants it serves.
                let platform = assets.pooled_year(1.0, t0, year).reinvestment
                    - if last { platform_residual } else { 0.0 };
                let resale = if year == t0 {
                    assets.resale_share * event.book_value_held()
                } else {
                    0.0
                };
                (platform, -resale)
            };
            record[governance + 1..governance + 4].copy_from_slice(&[own, pooled, startup]);
        }
    }

    /// The aggregates of draw `v` from the discounted sum of its records in `terms.sum`
    /// ([`Model::npv_game_year_terms`]): each weight times the members' amounts.
    pub(super) fn npv_game_unpack(&self, v: &DrawValues, terms: &mut NpvGameTerms) {
        let n = self.n_members();
        let (running, startup) = (Category::Running.index(), Category::StartUp.index());
        let sum = &terms.sum;
        terms.constant = [0.0; 2];
        terms.singleton.clear();
        terms.singleton.resize(n, [0.0; 2]);
        terms.linear.clear();
        terms.linear.resize(n, [0.0; 2]);
        terms.weight.clear();
        terms.one_off_weight.clear();
        for (l, (line, coef)) in self.lines.iter().zip(&v.lines).enumerate() {
            let cat = line.category.index();
            let [alone_w, pooled_w, member_w] = [sum[3 * l], sum[3 * l + 1], sum[3 * l + 2]];
            terms.constant[cat] += pooled_w * coef.fixed;
            let members = terms.singleton.iter_mut().zip(&mut terms.linear);
            for ((singleton, linear), &(part, rates)) in members.zip(&terms.parts[l * n..]) {
                singleton[cat] += alone_w * part;
                linear[cat] += member_w * part + pooled_w * rates;
            }
        }
        let components = 3 * self.lines.len();
        for (c, (component, values)) in self.components.iter().zip(&v.components).enumerate() {
            let at = components + 5 * c;
            let [all_w, before_w, pooled_w, parallel_w, one_off_w] =
                [0, 1, 2, 3, 4].map(|k| sum[at + k]);
            let members = terms.singleton.iter_mut().zip(&mut terms.linear);
            for ((singleton, linear), alone) in members.zip(&values.alone) {
                singleton[running] += all_w * alone.nok;
                linear[running] += before_w * alone.nok;
                linear[startup] += parallel_w * alone.nok;
            }
            for (linear, role) in terms.linear.iter_mut().zip(&values.retained) {
                linear[running] += pooled_w * role.nok;
            }
            let scale = 1.0 + values.scope_growth;
            let organisation = &v.organisation;
            let staffing = component.is_staffing();
            terms
                .weight
                .push(pooled_w * scale * organisation.pooled_factor(staffing));
            terms
                .one_off_weight
                .push(one_off_w * scale * organisation.price_factor * organisation.staff_one_off);
        }
        let governance = components + 5 * self.components.len();
        terms.constant[running] += sum[governance] * v.organisation.governance;
        if v.assets.is_some() {
            let [own, pooled, start] = [1, 2, 3].map(|k| sum[governance + k]);
            let members = terms.singleton.iter_mut().zip(&mut terms.linear);
            for ((singleton, linear), member) in members.zip(&self.members) {
                let pop = member.population;
                singleton[running] += own * pop;
                linear[running] += pooled * pop;
                linear[startup] += start * pop;
            }
        }
    }
}
