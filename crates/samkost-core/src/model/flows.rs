//! Every member's flows alone and in the cooperation of all members, for every year of one
//! draw, in one pass over the lines, components and assets.
//!
//! This is the Monte Carlo's hot path. It applies the rules of [`Model::coalition_flows`] to
//! the two kinds of coalition a run needs — each member alone (`{i}`) and all members (`N`) —
//! computing every year-independent quantity (a line's member parts, a component's cost for
//! one buyer) once per draw instead of once per year and coalition. Each year's amounts are
//! added in the same order as `coalition_flows` adds them (lines, components with their
//! parallel operation, governance, assets), so the two agree to the last bit; the test
//! `model::standalone_cost_is_the_singleton_coalition_cost` checks it on every year. The rows
//! and the sinks the amounts are written to: `rows.rs`.

#[cfg(doc)]
use super::CapitalFlows;
use super::{Applies, AssetValues, Basis, Category, DrawValues, Model};
use super::{DrawFlows, FlowDetail, FlowScratch, FlowSink, Pattern, Row};

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
        let mut scratch = std::mem::take(&mut out.scratch);
        self.draw_flows_in(v, out, detail, &mut scratch);
        out.scratch = scratch;
    }

    /// [`Model::draw_flows_with`] with the caller's scratch.
    pub(crate) fn draw_flows_in(
        &self,
        v: &DrawValues,
        out: &mut DrawFlows,
        detail: FlowDetail,
        scratch: &mut FlowScratch,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        out.reset(n, horizon, detail);
        self.write_flows([v], detail, out, scratch);
    }

    /// Whether the draws `v` take the same way through [`Model::write_flows`]: its only
    /// branches on a draw's values are whether parallel operation has a share and, in the
    /// pooling year and the next, months (whether there are assets and whether the
    /// organisation holds staff are the model's, the same in every draw). Draws that do can
    /// be written together.
    pub(crate) fn same_writes<const L: usize>(&self, v: [&DrawValues; L]) -> bool {
        let ways = |draw: &DrawValues| {
            let (months, share) = draw.parallel;
            [
                share == 0.0,
                parallel_fraction(months, 0) == 0.0,
                parallel_fraction(months, 1) == 0.0,
            ]
        };
        let first = ways(v[0]);
        v.iter().all(|draw| ways(draw) == first)
    }

    /// Writes every amount of the draws `v`'s flows into `sink`, lane `l` of every amount
    /// being draw `v[l]`'s: the rows `detail` records, each slot's amounts in the order of
    /// [`Model::coalition_flows`] (lines, components with their parallel operation,
    /// governance, assets). Each lane's amounts are computed as one draw's would be, so a
    /// draw written with others has the same amounts to the bit as written alone. Growth
    /// profiles are lane 0's (the same in every draw when growth rates are fixed, which is
    /// when a sink takes several draws), and the draws must take the same way through the
    /// writes ([`Model::same_writes`]).
    pub(crate) fn write_flows<const L: usize, S: FlowSink<L>>(
        &self,
        v: [&DrawValues; L],
        detail: FlowDetail,
        sink: &mut S,
        scratch: &mut FlowScratch<L>,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        if horizon == 0 {
            return;
        }
        debug_assert!(self.same_writes(v));
        self.write_lines(v, sink, &mut scratch.parts, detail);
        self.write_components(v, sink, scratch, detail != FlowDetail::Cash);
        if n >= 2 {
            scratch.ones.resize(horizon, 1.0);
            let ones = Pattern::Growth(&scratch.ones);
            let running = Row::Pooled(Category::Running.index());
            let governance = v.map(|v| v.organisation.governance);
            sink.add_scaled(running, 0, 0, governance, ones);
        }
        if let Some(assets) = all_some(v.map(|v| v.assets.as_ref())) {
            self.write_assets(assets, sink, scratch, detail);
        }
    }

    /// The lines' part of [`Model::write_flows`]: each year's slots receive the lines in line
    /// order, as in `coalition_flows`.
    fn write_lines<const L: usize, S: FlowSink<L>>(
        &self,
        v: [&DrawValues; L],
        sink: &mut S,
        parts: &mut Vec<[f64; L]>,
        detail: FlowDetail,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let pool_transition = self.pool_transition_costs && n >= 2;
        for (l, line) in self.lines.iter().enumerate() {
            let last = line.years.1.min(horizon - 1);
            if line.years.0 > last {
                continue;
            }
            let coef = v.map(|v| &v.lines[l]);
            let years = line.years.0..last + 1;
            let cat = line.category.index();
            let wage = detail != FlowDetail::Cash && self.accounts.vat.wage_lines.contains(&l);
            let project = line.category == Category::StartUp;
            let book = project && detail == FlowDetail::Accounts;
            // The line's year-independent parts: each member's.
            parts.clear();
            parts.extend((0..n).map(|i| coef.map(|coef| self.member_part(coef, i))));
            // Alone: how a line applies to a coalition of one does not depend on the year.
            if line.occurs.applies(1, years.start, t0) == Applies::AsBasis {
                let growth = Pattern::Growth(&coef[0].growth_factors[years.clone()]);
                sink.add_scaled_each(Row::Standalone, years.start, parts, growth);
                if book {
                    sink.add_scaled_each(Row::ProjectsAlone, years.start, parts, growth);
                }
                if wage {
                    sink.add_scaled_each(Row::WagesAlone, years.start, parts, growth);
                }
            }
            // In the cooperation: one way over a run of years, not at all in the others.
            let (applies, span) = line.occurs.applies_over(n, years, t0);
            let growth = Pattern::Growth(&coef[0].growth_factors[span.clone()]);
            let from = span.start;
            match (applies, line.basis) {
                (Applies::No, _) => {}
                (Applies::AsBasis, Basis::Pooled) if n >= 2 => {
                    let pooled_part = coef.map(|coef| self.grand_part(coef));
                    sink.add_scaled(Row::Pooled(cat), 0, from, pooled_part, growth);
                    if book {
                        sink.add_scaled(Row::ProjectsPooled, 0, from, pooled_part, growth);
                    }
                    if wage {
                        sink.add_scaled(Row::WagesPooled(cat), 0, from, pooled_part, growth);
                    }
                }
                _ if project && pool_transition => {
                    // Member by member, so each year's slot receives the members in order.
                    for &part in parts.iter() {
                        sink.add_scaled(Row::Pooled(cat), 0, from, part, growth);
                        if book {
                            sink.add_scaled(Row::ProjectsPooled, 0, from, part, growth);
                        }
                        if wage {
                            sink.add_scaled(Row::WagesPooled(cat), 0, from, part, growth);
                        }
                    }
                }
                _ => {
                    sink.add_scaled_each(Row::Direct(cat), from, parts, growth);
                    if book {
                        sink.add_scaled_each(Row::ProjectsOwn, from, parts, growth);
                    }
                    if wage {
                        sink.add_scaled_each(Row::WagesOwn, from, parts, growth);
                    }
                }
            }
        }
    }

    /// The components' part of [`Model::write_flows`], each with its parallel operation; the
    /// staffing components' wages too when `capital` is set.
    fn write_components<const L: usize, S: FlowSink<L>>(
        &self,
        v: [&DrawValues; L],
        sink: &mut S,
        scratch: &mut FlowScratch<L>,
        capital: bool,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        let parallel = v.map(|v| v.parallel);
        let FlowScratch {
            parts: costs,
            others: amounts,
            years: pooled_years,
            ..
        } = scratch;
        for (c, component) in self.components.iter().enumerate() {
            let values = v.map(|v| &v.components[c]);
            // Each member's own cost: every year alone, and in the cooperation until pooled.
            let growth = &values[0].growth_factors[..horizon];
            let pooled_from = if n < 2 {
                horizon
            } else {
                component.pooled_from.min(horizon)
            };
            let staffing = component.is_staffing();
            let wage = capital && staffing;
            costs.clear();
            costs.extend((0..n).map(|i| values.map(|values| values.alone[i].nok)));
            let own = (Row::Standalone, Row::Direct(running));
            sink.add_scaled_each_split(own, pooled_from, costs, growth);
            if wage {
                let wages = (Row::WagesAlone, Row::WagesOwn);
                sink.add_scaled_each_split(wages, pooled_from, costs, growth);
            }
            if pooled_from >= horizon {
                continue;
            }
            // Pooled: the cooperation's cost, the one-off cost of taking over staff. The staff
            // transferred is the same every year, so it is summed once.
            let transferred = if staffing && v[0].organisation.holds_staff {
                values.map(|values| (0..n).map(|i| values.transferred_fte(i)).sum())
            } else {
                [0.0; L]
            };
            let pooled_factor = v.map(|v| v.organisation.pooled_factor(staffing));
            pooled_years.clear();
            let mut one_off = None;
            for year in pooled_from..horizon {
                let cost: [f64; L] = std::array::from_fn(|l| {
                    let values = values[l];
                    let held = || transferred[l];
                    self.pooled_component_cost(v[l], component, values, values.grand, held, year)
                });
                pooled_years.push(std::array::from_fn(|l| {
                    cost[l] * pooled_factor[l] * values[l].growth_factors[year]
                }));
                if staffing && year == component.pooled_from {
                    one_off = Some(std::array::from_fn(|l| {
                        let organisation = &v[l].organisation;
                        let staff = organisation.staff_one_off * cost[l];
                        staff * organisation.price_factor * values[l].growth_factors[year]
                    }));
                }
            }
            // Each year's amount once (1 · amount is the amount).
            let pooled = Pattern::Draw(pooled_years);
            sink.add_scaled(Row::Pooled(running), 0, pooled_from, [1.0; L], pooled);
            if let Some(one_off) = one_off {
                sink.add(Row::Pooled(startup), 0, component.pooled_from, one_off);
            }
            if wage {
                sink.add_scaled(Row::WagesPooled(running), 0, pooled_from, [1.0; L], pooled);
                if let Some(one_off) = one_off {
                    sink.add(Row::WagesPooled(startup), 0, component.pooled_from, one_off);
                }
            }
            // Each member's retained role once pooled.
            let pooled_growth = Pattern::Growth(&growth[pooled_from..]);
            costs.clear();
            let roles = values[0].retained.len();
            costs.extend((0..roles).map(|i| values.map(|values| values.retained[i].nok)));
            sink.add_scaled_each(Row::Direct(running), pooled_from, costs, pooled_growth);
            if wage {
                sink.add_scaled_each(Row::WagesOwn, pooled_from, costs, pooled_growth);
            }
            // Parallel operation: in the pooling year and the next at most.
            if parallel[0].1 == 0.0 {
                continue;
            }
            for year in pooled_from..horizon.min(component.pooled_from + 2) {
                let k = year - component.pooled_from;
                let fraction = parallel.map(|(months, _)| parallel_fraction(months, k));
                if fraction[0] == 0.0 {
                    continue;
                }
                amounts.clear();
                amounts.extend((0..n).map(|i| {
                    std::array::from_fn(|l| {
                        let (share, values) = (parallel[l].1, values[l]);
                        share * fraction[l] * values.alone[i].nok * values.growth_factors[year]
                    })
                }));
                if self.pool_transition_costs {
                    // Member by member into the one pooled slot.
                    for &amount in amounts.iter() {
                        sink.add(Row::Pooled(startup), 0, year, amount);
                        if wage {
                            sink.add(Row::WagesPooled(startup), 0, year, amount);
                        }
                    }
                } else {
                    sink.add_each(Row::Direct(startup), year, amounts);
                    if wage {
                        sink.add_each(Row::WagesOwn, year, amounts);
                    }
                }
            }
        }
    }

    /// The existing assets' part of [`Model::write_flows`]: a member's asset events are its
    /// population times those of one inhabitant, tabulated once per draw.
    fn write_assets<const L: usize, S: FlowSink<L>>(
        &self,
        assets: [&AssetValues; L],
        sink: &mut S,
        scratch: &mut FlowScratch<L>,
        detail: FlowDetail,
    ) {
        // The residual and resale values from `FlowDetail::Views` on, the reinvestments for
        // the accounts only.
        let capital = detail != FlowDetail::Cash;
        let reinvestments = detail == FlowDetail::Accounts;
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        // Every member's inhabitants, the population driver's total (the same sum).
        let population: f64 = self.drivers.total(0);
        let FlowScratch {
            parts: populations,
            others: amounts,
            years: platform,
            other_years: platform_book,
            asset_years,
            reinvestment,
            depreciation,
            ..
        } = scratch;
        asset_years.resize_with(L, Vec::new);
        for (table, assets) in asset_years.iter_mut().zip(assets) {
            assets.standalone_years(1.0, horizon, table);
        }
        let tables = &asset_years[..L];
        reinvestment.clear();
        reinvestment.extend((0..horizon).map(|y| lanes(|l| tables[l][y].reinvestment)));
        depreciation.clear();
        depreciation.extend((0..horizon).map(|y| lanes(|l| tables[l][y].depreciation)));
        let (reinvested, depreciated) = (&reinvestment[..], &depreciation[..]);
        populations.clear();
        populations.extend(self.members.iter().map(|m| [m.population; L]));
        let last = horizon - 1;
        // `AssetValues::standalone_residual(1, horizon)`, from the table.
        let residual_per_inhabitant: [f64; L] = lanes(|l| {
            if assets[l].residual_value {
                tables[l][last].book_value_end()
            } else {
                0.0
            }
        });
        // Years in which a member of the cooperation still keeps its own assets; from
        // `operation_start` on they are retired (resold and written off in that year).
        let own_until = if n < 2 { horizon } else { t0.min(horizon) };
        let own = (&reinvested[..own_until], &depreciated[..own_until]);
        // Each member's residual value, and its negative.
        let residual = |amounts: &mut Vec<[f64; L]>, sign: f64| {
            amounts.clear();
            amounts.extend(
                self.members
                    .iter()
                    .map(|m| lanes(|l| sign * (residual_per_inhabitant[l] * m.population))),
            );
        };
        // Alone, every year.
        sink.add_scaled_each(Row::Standalone, 0, populations, Pattern::Draw(reinvested));
        let book = (depreciated, reinvested);
        sink.add_scaled_difference_each(Row::AccountingAlone, 0, populations, book);
        residual(amounts, -1.0);
        sink.add_each(Row::Standalone, last, amounts);
        residual(amounts, 1.0);
        sink.add_each(Row::AccountingAlone, last, amounts);
        if reinvestments {
            let pattern = Pattern::Draw(reinvested);
            sink.add_scaled_each(Row::ReinvestmentAlone, 0, populations, pattern);
        }
        if capital {
            sink.add_each(Row::ResidualAlone, last, amounts);
        }
        // In the cooperation, while the members keep their own assets.
        sink.add_scaled_each(Row::Direct(running), 0, populations, Pattern::Draw(own.0));
        sink.add_scaled_difference_each(Row::AccountingCoop, 0, populations, (own.1, own.0));
        if reinvestments {
            sink.add_scaled_each(Row::ReinvestmentOwn, 0, populations, Pattern::Draw(own.0));
        }
        if own_until == horizon {
            residual(amounts, -1.0);
            sink.add_each(Row::Direct(running), last, amounts);
            residual(amounts, 1.0);
            sink.add_each(Row::AccountingCoop, last, amounts);
            if capital {
                sink.add_each(Row::ResidualOwn, last, amounts);
            }
        } else if t0 < horizon {
            // Retired when the cooperation starts operating: the book value held, resold at a
            // share.
            let held: [f64; L] = lanes(|l| tables[l][t0].book_value_held());
            let resale = |amounts: &mut Vec<[f64; L]>, sign: f64| {
                amounts.clear();
                amounts.extend(self.members.iter().map(|m| {
                    lanes(|l| sign * (assets[l].resale_share * (held[l] * m.population)))
                }));
            };
            if self.pool_transition_costs {
                // Member by member into the one pooled slot.
                resale(amounts, 1.0);
                for &amount in amounts.iter() {
                    sink.add(Row::Pooled(startup), 0, t0, amount.map(|a| -a));
                    if capital {
                        sink.add(Row::ResalePooled, 0, t0, amount);
                    }
                }
            } else {
                resale(amounts, -1.0);
                sink.add_each(Row::Direct(startup), t0, amounts);
                if capital {
                    resale(amounts, 1.0);
                    sink.add_each(Row::ResaleOwn, t0, amounts);
                }
            }
            amounts.clear();
            amounts.extend(
                self.members
                    .iter()
                    .map(|m| lanes(|l| held[l] * m.population)),
            );
            sink.add_each(Row::AccountingCoop, t0, amounts);
        }
        if n >= 2 && t0 < horizon {
            // The shared platform, each year's amount once (1 · amount is the amount).
            platform.clear();
            platform_book.clear();
            for year in t0..horizon {
                let event = assets.map(|assets| assets.pooled_year(population, t0, year));
                platform.push(event.map(|event| event.reinvestment));
                platform_book.push(event.map(|event| event.depreciation - event.reinvestment));
            }
            sink.add_scaled(
                Row::Pooled(running),
                0,
                t0,
                [1.0; L],
                Pattern::Draw(platform),
            );
            let book = Pattern::Draw(platform_book);
            sink.add_scaled(Row::PooledAccounting, 0, t0, [1.0; L], book);
            if reinvestments {
                let pattern = Pattern::Draw(platform);
                sink.add_scaled(Row::ReinvestmentPooled, 0, t0, [1.0; L], pattern);
            }
            let residual = assets.map(|assets| assets.pooled_residual(population, t0, horizon));
            sink.add(Row::Pooled(running), 0, last, residual.map(|r| -r.value));
            sink.add(
                Row::PooledAccounting,
                0,
                last,
                residual.map(|r| r.depreciated),
            );
            if capital {
                sink.add(Row::ResidualPooled, 0, last, residual.map(|r| r.value));
            }
        }
    }
}

/// `[f(0), …, f(L − 1)]`: one value per lane.
#[inline(always)]
fn lanes<const L: usize>(f: impl FnMut(usize) -> f64) -> [f64; L] {
    std::array::from_fn(f)
}

/// Every lane's value when every lane has one.
fn all_some<T, const L: usize>(values: [Option<T>; L]) -> Option<[T; L]> {
    if values.iter().any(Option::is_none) {
        return None;
    }
    Some(values.map(|value| value.expect("checked above")))
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
