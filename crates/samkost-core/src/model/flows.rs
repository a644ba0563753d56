//! Every member's flows alone and in the cooperation of all members, for every year of one
//! draw, in one pass over the lines, components and assets.
//!
//! This is the Monte Carlo's hot path. It applies the rules of [`Model::coalition_flows`] to
//! the two kinds of coalition a run needs — each member alone (`{i}`) and all members (`N`) —
//! computing every year-independent quantity (a line's member parts, a component's cost for
//! one buyer) once per draw instead of once per year and coalition. Each year's amounts are
//! added in the same order as `coalition_flows` adds them (lines, components with their
//! parallel operation, governance, assets), so the two agree to the last bit; the test
//! `model::standalone_cost_is_the_singleton_coalition_cost` checks it on every year.

use super::{Applies, AssetValues, AssetYear, Basis, Category, DrawValues, Model, Wages};

/// How much [`Model::draw_flows_with`] records beside the cash and budget rows: each level
/// records everything the one before it does. A run asks for what its outputs read, since
/// every recorded row costs its share of every draw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowDetail {
    /// The cash and budget rows only; `capital` and `wages` stay empty.
    #[default]
    Cash,
    /// Also what the views' VAT terms read (docs/MODEL.md §6c): the wages and the residual and
    /// resale rows of [`CapitalFlows`]. Its start-up lines and reinvestments stay empty.
    Views,
    /// Every row of [`CapitalFlows`] and the wages, as the municipal accounts book them
    /// (docs/MODEL.md §6b).
    Accounts,
}

/// One draw's yearly flows: `[member × horizon + year]` per member row, `[year]` per pooled
/// row. Cash view unless named otherwise; NOK, undiscounted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawFlows {
    n: usize,
    horizon: usize,
    /// Each member's cost alone (both categories).
    pub standalone: Vec<f64>,
    /// Budget minus cash of each member alone.
    pub accounting_alone: Vec<f64>,
    /// What each member pays itself in the cooperation, per category.
    pub direct: [Vec<f64>; 2],
    /// Budget minus cash of each member in the cooperation.
    pub accounting_coop: Vec<f64>,
    /// The cooperation's pooled cost per category, shared by the keys.
    pub pooled: [Vec<f64>; 2],
    /// Budget minus cash of the pooled running cost (shared platform).
    pub pooled_accounting: Vec<f64>,
    /// The parts of the rows above that municipal accounts treat as investments or their
    /// financing (docs/MODEL.md §6b).
    pub capital: CapitalFlows,
    /// The wages inside the rows above (no VAT; docs/MODEL.md §6c): the staffing components
    /// and the lines the scenario names as staff time. Recorded with the capital parts (from
    /// [`FlowDetail::Views`] on).
    pub wages: Wages,
    /// Scratch: a line's part for each member.
    parts: Vec<f64>,
    /// Scratch: the asset events of one inhabitant, per year.
    asset_years: Vec<AssetYear>,
}

/// The amounts inside a draw's cash flows that the municipal accounts view books apart
/// (docs/MODEL.md §6b): start-up lines (projects, of which a share is capitalised), asset
/// reinvestments, resale income and residual values. Each is already contained in the
/// matching cash row of [`DrawFlows`]: `*_alone` in `standalone`, `*_own` in `direct`,
/// `*_pooled` in `pooled`. Per member `[member × horizon + year]`, pooled `[year]`; all
/// amounts are positive as written (resale and residual values reduce the cash rows).
///
/// [`FlowDetail::Views`] records only the residual and resale rows and leaves the others empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapitalFlows {
    /// Start-up cost lines of a member alone.
    pub projects_alone: Vec<f64>,
    /// Start-up cost lines a member pays itself in the cooperation.
    pub projects_own: Vec<f64>,
    /// Pooled start-up cost lines.
    pub projects_pooled: Vec<f64>,
    /// Replacements of a member's own assets, alone.
    pub reinvestment_alone: Vec<f64>,
    /// Replacements of a member's own assets in the cooperation (before it operates).
    pub reinvestment_own: Vec<f64>,
    /// Replacements of the shared platform.
    pub reinvestment_pooled: Vec<f64>,
    /// Residual value of a member's own assets at the horizon, alone.
    pub residual_alone: Vec<f64>,
    /// Residual value of a member's own assets at the horizon, in the cooperation.
    pub residual_own: Vec<f64>,
    /// Residual value of the shared platform at the horizon.
    pub residual_pooled: Vec<f64>,
    /// Resale of a member's retired assets that the member keeps.
    pub resale_own: Vec<f64>,
    /// Resale of retired assets pooled with the transition costs.
    pub resale_pooled: Vec<f64>,
}

impl CapitalFlows {
    /// Zeros the rows `detail` records, empties the others.
    fn reset(&mut self, n: usize, horizon: usize, detail: FlowDetail) {
        for v in [
            &mut self.residual_alone,
            &mut self.residual_own,
            &mut self.resale_own,
        ] {
            zeros(v, n * horizon);
        }
        for v in [&mut self.residual_pooled, &mut self.resale_pooled] {
            zeros(v, horizon);
        }
        let all = detail == FlowDetail::Accounts;
        for v in [
            &mut self.projects_alone,
            &mut self.projects_own,
            &mut self.reinvestment_alone,
            &mut self.reinvestment_own,
        ] {
            zeros(v, if all { n * horizon } else { 0 });
        }
        for v in [&mut self.projects_pooled, &mut self.reinvestment_pooled] {
            zeros(v, if all { horizon } else { 0 });
        }
    }
}

impl DrawFlows {
    fn reset(&mut self, n: usize, horizon: usize, detail: FlowDetail) {
        if detail != FlowDetail::Cash {
            self.capital.reset(n, horizon, detail);
            let [pooled_0, pooled_1] = &mut self.wages.pooled;
            for (v, len) in [
                (&mut self.wages.alone, n * horizon),
                (&mut self.wages.own, n * horizon),
                (pooled_0, horizon),
                (pooled_1, horizon),
            ] {
                zeros(v, len);
            }
        } else {
            self.capital = CapitalFlows::default();
            self.wages = Wages::default();
        }
        self.n = n;
        self.horizon = horizon;
        let per_member = n * horizon;
        let [direct_0, direct_1] = &mut self.direct;
        for v in [
            &mut self.standalone,
            &mut self.accounting_alone,
            direct_0,
            direct_1,
            &mut self.accounting_coop,
        ] {
            zeros(v, per_member);
        }
        let [pooled_0, pooled_1] = &mut self.pooled;
        for v in [pooled_0, pooled_1, &mut self.pooled_accounting] {
            zeros(v, horizon);
        }
    }

    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.n
    }

    /// Number of years.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// The rows every level of detail records: standalone, direct running, direct start-up,
    /// accounting alone, accounting in the cooperation, pooled running, pooled start-up and
    /// pooled accounting (the order of the run's accumulated flows).
    pub fn base_rows(&self) -> [&[f64]; 8] {
        [
            &self.standalone,
            &self.direct[0],
            &self.direct[1],
            &self.accounting_alone,
            &self.accounting_coop,
            &self.pooled[0],
            &self.pooled[1],
            &self.pooled_accounting,
        ]
    }

    /// Whether every amount is finite and at most `limit` in absolute value.
    pub fn all_within(&self, limit: f64) -> bool {
        self.base_rows().iter().all(|v| {
            // One comparison per amount, without branching (NaN compares false, so it is out
            // of range).
            v.iter().fold(true, |ok, x| ok & (x.abs() <= limit))
        })
    }
}

impl Model {
    /// Fills `out` with every member's standalone flows and the flows of the cooperation of all
    /// members, for every year of the draw `v` (the same rules as [`Model::coalition_flows`]
    /// for `{i}` and `N`).
    pub fn draw_flows(&self, v: &DrawValues, out: &mut DrawFlows) {
        self.draw_flows_with(v, out, FlowDetail::Accounts);
    }

    /// [`Model::draw_flows`], recording the capital parts ([`CapitalFlows`]) and the wages
    /// only as far as `detail` asks (the municipal accounts need all of them, the VAT of the
    /// NPV views some; a run that needs neither leaves `out.capital` and `out.wages` empty and
    /// skips their cost). The cash rows, and every row recorded, are the same whatever the
    /// level.
    pub fn draw_flows_with(&self, v: &DrawValues, out: &mut DrawFlows, detail: FlowDetail) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        out.reset(n, horizon, detail);
        if horizon == 0 {
            return;
        }
        // Every row below is written member by member and year by year through slices; each
        // slot still receives its amounts in the order of `coalition_flows`.
        self.draw_lines(v, out, detail);
        self.draw_components(v, out, detail != FlowDetail::Cash);
        if n >= 2 {
            let governance = v.organisation.governance;
            for slot in &mut out.pooled[Category::Running.index()] {
                *slot += governance;
            }
        }
        if let Some(assets) = &v.assets {
            self.draw_assets(assets, out, detail);
        }
    }

    /// The lines' part of [`Model::draw_flows_with`]: each year's slots receive the lines in
    /// line order, as in `coalition_flows`.
    fn draw_lines(&self, v: &DrawValues, out: &mut DrawFlows, detail: FlowDetail) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let pool_transition = self.pool_transition_costs && n >= 2;
        for (l, (line, coef)) in self.lines.iter().zip(&v.lines).enumerate() {
            let last = line.years.1.min(horizon - 1);
            if line.years.0 > last {
                continue;
            }
            let years = line.years.0..last + 1;
            let cat = line.category.index();
            let wage = detail != FlowDetail::Cash && self.accounts.vat.wage_lines.contains(&l);
            let project = line.category == Category::StartUp;
            let book = project && detail == FlowDetail::Accounts;
            // The line's year-independent parts: each member's.
            out.parts.clear();
            out.parts.extend((0..n).map(|i| self.member_part(coef, i)));
            let (cap, wages) = (&mut out.capital, &mut out.wages);
            // Alone: how a line applies to a coalition of one does not depend on the year.
            if line.occurs.applies(1, years.start, t0) == Applies::AsBasis {
                let growth = &coef.growth_factors[years.clone()];
                for (i, &part) in out.parts.iter().enumerate() {
                    let row = i * horizon + years.start..i * horizon + years.end;
                    add_scaled(&mut out.standalone[row.clone()], part, growth);
                    if book {
                        add_scaled(&mut cap.projects_alone[row.clone()], part, growth);
                    }
                    if wage {
                        add_scaled(&mut wages.alone[row], part, growth);
                    }
                }
            }
            // In the cooperation: one way over a run of years, not at all in the others.
            let (applies, span) = line.occurs.applies_over(n, years, t0);
            let growth = &coef.growth_factors[span.clone()];
            match (applies, line.basis) {
                (Applies::No, _) => {}
                (Applies::AsBasis, Basis::Pooled) if n >= 2 => {
                    let pooled_part = self.pooled_part(coef, 0..n);
                    add_scaled(&mut out.pooled[cat][span.clone()], pooled_part, growth);
                    if book {
                        add_scaled(&mut cap.projects_pooled[span.clone()], pooled_part, growth);
                    }
                    if wage {
                        add_scaled(&mut wages.pooled[cat][span], pooled_part, growth);
                    }
                }
                _ if project && pool_transition => {
                    // Member by member, so each year's slot receives the members in order.
                    for &part in &out.parts {
                        add_scaled(&mut out.pooled[cat][span.clone()], part, growth);
                        if book {
                            add_scaled(&mut cap.projects_pooled[span.clone()], part, growth);
                        }
                        if wage {
                            add_scaled(&mut wages.pooled[cat][span.clone()], part, growth);
                        }
                    }
                }
                _ => {
                    for (i, &part) in out.parts.iter().enumerate() {
                        let row = i * horizon + span.start..i * horizon + span.end;
                        add_scaled(&mut out.direct[cat][row.clone()], part, growth);
                        if book {
                            add_scaled(&mut cap.projects_own[row.clone()], part, growth);
                        }
                        if wage {
                            add_scaled(&mut wages.own[row], part, growth);
                        }
                    }
                }
            }
        }
    }

    /// The components' part of [`Model::draw_flows_with`], each with its parallel operation;
    /// the staffing components' wages too when `capital` is set.
    fn draw_components(&self, v: &DrawValues, out: &mut DrawFlows, capital: bool) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        let (months, share) = v.parallel;
        for (component, values) in self.components.iter().zip(&v.components) {
            // Each member's own cost: every year alone, and in the cooperation until pooled
            // (member by member, so each row is written in order).
            let growth = &values.growth_factors[..horizon];
            let pooled_from = if n < 2 {
                horizon
            } else {
                component.pooled_from.min(horizon)
            };
            let staffing = component.is_staffing();
            let wage = capital && staffing;
            let rows = out.standalone.chunks_exact_mut(horizon);
            let own_rows = out.direct[running].chunks_exact_mut(horizon);
            for ((alone, row), own) in values.alone.iter().zip(rows).zip(own_rows) {
                add_scaled_twice(row, own, pooled_from, alone.nok, growth);
            }
            if wage {
                let rows = out.wages.alone.chunks_exact_mut(horizon);
                let own_rows = out.wages.own.chunks_exact_mut(horizon);
                for ((alone, row), own) in values.alone.iter().zip(rows).zip(own_rows) {
                    add_scaled_twice(row, own, pooled_from, alone.nok, growth);
                }
            }
            if pooled_from >= horizon {
                continue;
            }
            // Pooled: the cooperation's cost, the one-off cost of taking over staff. The staff
            // transferred is the same every year, so it is summed once.
            let transferred = if staffing && v.organisation.holds_staff {
                (0..n).map(|i| values.transferred_fte(i)).sum()
            } else {
                0.0
            };
            let pooled_factor = v.organisation.pooled_factor(staffing);
            for year in pooled_from..horizon {
                let growth = growth[year];
                let cost = self.pooled_component_cost(
                    v,
                    component,
                    values,
                    values.grand,
                    || transferred,
                    year,
                );
                let pooled = cost * pooled_factor * growth;
                out.pooled[running][year] += pooled;
                let one_off = (staffing && year == component.pooled_from).then_some(
                    v.organisation.staff_one_off * cost * v.organisation.price_factor * growth,
                );
                if let Some(one_off) = one_off {
                    out.pooled[startup][year] += one_off;
                }
                if wage {
                    out.wages.pooled[running][year] += pooled;
                    if let Some(one_off) = one_off {
                        out.wages.pooled[startup][year] += one_off;
                    }
                }
            }
            // Each member's retained role once pooled.
            let pooled_growth = &growth[pooled_from..];
            let own_rows = out.direct[running].chunks_exact_mut(horizon);
            for (role, own) in values.retained.iter().zip(own_rows) {
                add_scaled(&mut own[pooled_from..], role.nok, pooled_growth);
            }
            if wage {
                let own_rows = out.wages.own.chunks_exact_mut(horizon);
                for (role, own) in values.retained.iter().zip(own_rows) {
                    add_scaled(&mut own[pooled_from..], role.nok, pooled_growth);
                }
            }
            // Parallel operation: in the pooling year and the next at most.
            if share == 0.0 {
                continue;
            }
            for year in pooled_from..horizon.min(component.pooled_from + 2) {
                let fraction = parallel_fraction(months, year - component.pooled_from);
                if fraction == 0.0 {
                    continue;
                }
                let growth = growth[year];
                for (i, alone) in values.alone.iter().enumerate() {
                    let amount = share * fraction * alone.nok * growth;
                    if self.pool_transition_costs {
                        out.pooled[startup][year] += amount;
                        if wage {
                            out.wages.pooled[startup][year] += amount;
                        }
                    } else {
                        out.direct[startup][i * horizon + year] += amount;
                        if wage {
                            out.wages.own[i * horizon + year] += amount;
                        }
                    }
                }
            }
        }
    }

    /// The existing assets' part of [`Model::draw_flows_with`]: a member's asset events are
    /// its population times those of one inhabitant, tabulated once per draw.
    fn draw_assets(&self, assets: &AssetValues, out: &mut DrawFlows, detail: FlowDetail) {
        // The residual and resale values from `FlowDetail::Views` on, the reinvestments for
        // the accounts only.
        let capital = detail != FlowDetail::Cash;
        let reinvestments = detail == FlowDetail::Accounts;
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        let population: f64 = self.members.iter().map(|m| m.population).sum();
        assets.standalone_years(1.0, horizon, &mut out.asset_years);
        let table = &out.asset_years[..];
        let last = horizon - 1;
        // `AssetValues::standalone_residual(1, horizon)`, from the table.
        let residual_per_inhabitant = if assets.residual_value {
            table[last].book_value_end()
        } else {
            0.0
        };
        // Years in which a member of the cooperation still keeps its own assets; from
        // `operation_start` on they are retired (resold and written off in that year).
        let own_until = if n < 2 { horizon } else { t0.min(horizon) };
        for (i, member) in self.members.iter().enumerate() {
            let pop = member.population;
            let row = i * horizon..(i + 1) * horizon;
            let residual = residual_per_inhabitant * pop;
            // Alone, every year.
            let standalone = &mut out.standalone[row.clone()];
            let accounting = &mut out.accounting_alone[row.clone()];
            for ((slot, book), year) in standalone.iter_mut().zip(accounting.iter_mut()).zip(table)
            {
                let reinvestment = year.reinvestment * pop;
                *slot += reinvestment;
                *book += year.depreciation * pop - reinvestment;
            }
            standalone[last] -= residual;
            accounting[last] += residual;
            if reinvestments {
                let reinvested = &mut out.capital.reinvestment_alone[row.clone()];
                for (slot, year) in reinvested.iter_mut().zip(table) {
                    *slot += year.reinvestment * pop;
                }
            }
            if capital {
                out.capital.residual_alone[row.start + last] += residual;
            }
            // In the cooperation, while the member keeps its own assets.
            let own = &mut out.direct[running][row.start..row.start + own_until];
            let accounting = &mut out.accounting_coop[row.start..row.start + own_until];
            for ((slot, book), year) in own.iter_mut().zip(accounting.iter_mut()).zip(table) {
                let reinvestment = year.reinvestment * pop;
                *slot += reinvestment;
                *book += year.depreciation * pop - reinvestment;
            }
            if reinvestments {
                let reinvested =
                    &mut out.capital.reinvestment_own[row.start..row.start + own_until];
                for (slot, year) in reinvested.iter_mut().zip(table) {
                    *slot += year.reinvestment * pop;
                }
            }
            if own_until == horizon {
                out.direct[running][row.start + last] -= residual;
                out.accounting_coop[row.start + last] += residual;
                if capital {
                    out.capital.residual_own[row.start + last] += residual;
                }
            } else if t0 < horizon {
                // Retired when the cooperation starts operating.
                let slot = row.start + t0;
                let book_value_held = table[t0].book_value_held() * pop;
                let resale = assets.resale_share * book_value_held;
                if self.pool_transition_costs {
                    out.pooled[startup][t0] -= resale;
                    if capital {
                        out.capital.resale_pooled[t0] += resale;
                    }
                } else {
                    out.direct[startup][slot] -= resale;
                    if capital {
                        out.capital.resale_own[slot] += resale;
                    }
                }
                out.accounting_coop[slot] += book_value_held;
            }
        }
        if n >= 2 {
            for year in t0..horizon {
                let platform = assets.pooled_year(population, t0, year);
                out.pooled[running][year] += platform.reinvestment;
                out.pooled_accounting[year] += platform.depreciation - platform.reinvestment;
                if reinvestments {
                    out.capital.reinvestment_pooled[year] += platform.reinvestment;
                }
                if year == last {
                    let residual = assets.pooled_residual(population, t0, horizon);
                    out.pooled[running][year] -= residual.value;
                    out.pooled_accounting[year] += residual.depreciated;
                    if capital {
                        out.capital.residual_pooled[year] += residual.value;
                    }
                }
            }
        }
    }
}

/// `row[t] += k · growth[t]` over a whole row, and the same amounts to `own[t]` for
/// `t < until`.
#[inline]
fn add_scaled_twice(row: &mut [f64], own: &mut [f64], until: usize, k: f64, growth: &[f64]) {
    let (before, after) = row.split_at_mut(until);
    for ((slot, own), g) in before.iter_mut().zip(&mut own[..until]).zip(growth) {
        let amount = k * g;
        *slot += amount;
        *own += amount;
    }
    add_scaled(after, k, &growth[until..]);
}

/// Makes `v` `len` zeros, in place when it has that length already (every draw after the
/// first).
fn zeros(v: &mut Vec<f64>, len: usize) {
    if v.len() == len {
        v.fill(0.0);
    } else {
        v.clear();
        v.resize(len, 0.0);
    }
}

/// `row[t] += k · growth[t]` over the shorter of the two.
#[inline]
fn add_scaled(row: &mut [f64], k: f64, growth: &[f64]) {
    for (slot, g) in row.iter_mut().zip(growth) {
        *slot += k * g;
    }
}

/// Share of a year's old running cost still paid in parallel operation, `k` years after the
/// component is pooled: `min(m, 12)/12` in the pooling year, `clamp(m − 12, 0, 12)/12` in the
/// next, 0 after.
pub(super) fn parallel_fraction(months: f64, k: usize) -> f64 {
    match k {
        0 => months.clamp(0.0, 12.0) / 12.0,
        1 => (months - 12.0).clamp(0.0, 12.0) / 12.0,
        _ => 0.0,
    }
}
