//! An existing cooperation deciding whether to admit others (docs/MODEL.md §10c).
//!
//! Some members (`E`) already pool their ICT before the first year; the rest (`J`, the
//! newcomers) go alone today. The comparison for a member of `E` is "admit the newcomers" against
//! "stay as is", for a newcomer "join" against "stay alone". [`Model::apply_existing`] takes one
//! draw's flows of [`Model::draw_flows`] and rewrites
//!
//! - each existing member's baseline (the `standalone` row): its share, under the key the
//!   existing cooperation uses today, of the existing pool's cost ([`Model::existing_pool_flows`]:
//!   the pool operating in every year, no start-up of its own, which is sunk), plus what it pays
//!   itself there;
//! - the cooperation's rows: before the first operating year `T₀` each existing member's part
//!   of the pool as it is (among its own costs), the newcomers alone and the admission
//!   project's start-up lines (the only pooled amounts); from `T₀` the enlarged
//!   coalition by [`Model::coalition_flows`]'s rules with what is done for `E` left out
//!   (`coalition_flows_with`).
//!
//! A newcomer's baseline stays its cost alone. The kernel then shares the enlarged
//! cooperation's pooled cost by each key as for any scenario.

use super::assets::AssetValues;
use super::{
    Applies, Basis, Category, CoalitionFlows, DrawFlows, DrawValues, LineCoefficients, Model,
    Occurs, Scratch,
};

/// The cooperation that exists today (`[existing]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingCooperation {
    /// Whether member `i` is in it, by member index.
    pub members: Vec<bool>,
    /// The running share of each member in it under its key today, summing to one over its
    /// members (0 for the newcomers).
    pub shares: Vec<f64>,
    /// Name of the scenario's key the existing cooperation uses today.
    pub key: String,
    /// Each existing member's own work of admitting the newcomers (staff time, adapting its
    /// routines), NOK at first-year prices, in the last year before `T₀` (`T₀` itself when the
    /// newcomers are in from the first year).
    pub integration_cost: f64,
}

impl ExistingCooperation {
    /// Member indices of the existing cooperation, in member order.
    pub fn member_indices(&self) -> Vec<usize> {
        (0..self.members.len())
            .filter(|&i| self.members[i])
            .collect()
    }
}

/// Buffers for [`Model::apply_existing`].
#[derive(Debug, Clone, Default)]
pub struct ExistingFlows {
    pool: Vec<usize>,
    all: Vec<usize>,
    scratch: Scratch,
    status_quo: CoalitionFlows,
    out: CoalitionFlows,
}

impl Model {
    /// Whether some members already pool their ICT in an existing cooperation.
    pub fn has_existing(&self) -> bool {
        self.existing.is_some()
    }

    /// Whether the membership is other than all members from `T₀` on (membership events, or
    /// an existing cooperation admitting others): core stability, leaving in a later year, the
    /// key design and the accounts view assume one membership throughout.
    pub fn changes_membership(&self) -> bool {
        self.has_events() || self.has_existing()
    }

    /// The staff of the existing pool `pool` on component `c_idx`'s pooled curve, with scope
    /// growth: what the pool employs today (docs/MODEL.md §10c).
    pub(super) fn existing_pool_fte(
        &self,
        v: &DrawValues,
        c_idx: usize,
        pool: &[usize],
        scratch: &mut Scratch,
    ) -> f64 {
        if pool.len() < 2 {
            return 0.0;
        }
        let component = &self.components[c_idx];
        let values = &v.components[c_idx];
        let cost = scratch.pooled(v, c_idx, self.n_members(), pool, || {
            component.buyer_cost(values, self.pooled_buyer(component, pool.iter().copied()))
        });
        cost.fte * (1.0 + values.scope_growth)
    }

    /// The flows of the existing pool `pool` in year `year` when it stays as it is: every
    /// component pooled at its curve (staff at the curve, no parallel operation, no staff
    /// one-off), running lines and `always` start-up lines as for a cooperation operating since
    /// before the first year, the governance, and its platform on the cycle that starts at year
    /// 0; no `together` start-up line (no one is admitted) and no own assets (docs/MODEL.md
    /// §10c).
    pub fn existing_pool_flows(
        &self,
        v: &DrawValues,
        pool: &[usize],
        year: usize,
        scratch: &mut Scratch,
        out: &mut CoalitionFlows,
    ) {
        out.reset(pool.len());
        for (line, coef) in self.lines.iter().zip(&v.lines) {
            let admission = line.category == Category::StartUp && line.occurs == Occurs::Together;
            if !line.active(year) || admission {
                continue;
            }
            if line.occurs.applies(pool.len(), year, 0) == Applies::AsBasis {
                self.add_line_basis(line.basis, line.category, coef, pool, year, out);
            }
        }
        let running = Category::Running.index();
        for (c_idx, component) in self.components.iter().enumerate() {
            let values = &v.components[c_idx];
            let growth = values.growth_factors[year];
            let pooled = scratch.pooled(v, c_idx, self.n_members(), pool, || {
                component.buyer_cost(values, self.pooled_buyer(component, pool.iter().copied()))
            });
            let cost = pooled.nok * (1.0 + values.scope_growth);
            out.pooled[running] +=
                cost * v.organisation.pooled_factor(component.is_staffing()) * growth;
            for (pos, &i) in pool.iter().enumerate() {
                if let Some(role) = values.retained.get(i) {
                    out.direct[running][pos] += role.nok * growth;
                }
            }
        }
        out.pooled[running] += v.organisation.governance;
        if let Some(assets) = &v.assets {
            self.add_pool_platform(assets, pool, year, out);
        }
    }

    fn add_pool_platform(
        &self,
        assets: &AssetValues,
        pool: &[usize],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let population: f64 = pool.iter().map(|&i| self.members[i].population).sum();
        self.add_platform(assets, population, 0, year, out);
    }

    /// A line's amount for coalition `coalition` as its basis says: pooled over the
    /// coalition's drivers, or each member's part paid by itself.
    fn add_line_basis(
        &self,
        basis: Basis,
        category: Category,
        coef: &LineCoefficients,
        coalition: &[usize],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let growth = coef.growth_factors[year];
        let cat = category.index();
        match basis {
            Basis::Pooled => {
                let amount = self.pooled_part(coef, coalition.iter().copied());
                out.pooled[cat] += amount * growth;
            }
            Basis::PerMember => {
                for (pos, &i) in coalition.iter().enumerate() {
                    out.direct[cat][pos] += self.member_part(coef, i) * growth;
                }
            }
        }
    }

    /// Rewrites one draw's `flows` for an existing cooperation (docs/MODEL.md §10c): each
    /// existing member's baseline, and the cooperation's rows of every year. Does nothing
    /// without `[existing]`.
    pub fn apply_existing(&self, v: &DrawValues, flows: &mut DrawFlows, buf: &mut ExistingFlows) {
        let Some(existing) = &self.existing else {
            return;
        };
        let (n, h) = (self.n_members(), self.horizon_years);
        buf.pool = existing.member_indices();
        buf.all.clear();
        buf.all.extend(0..n);
        let (running, startup) = (Category::Running.index(), Category::StartUp.index());
        for t in 0..h {
            self.existing_pool_flows(v, &buf.pool, t, &mut buf.scratch, &mut buf.status_quo);
            let sq = &buf.status_quo;
            for (pos, &i) in buf.pool.iter().enumerate() {
                let share = existing.shares[i];
                flows.standalone[i * h + t] = sq.direct[running][pos]
                    + sq.direct[startup][pos]
                    + share * (sq.pooled[running] + sq.pooled[startup]);
                flows.accounting_alone[i * h + t] =
                    sq.accounting[pos] + share * sq.pooled_accounting;
            }
            if t >= self.operation_start {
                self.coalition_flows_with(
                    v,
                    &buf.all,
                    &existing.members,
                    t,
                    &mut buf.scratch,
                    &mut buf.out,
                );
                let o = &buf.out;
                flows.pooled[running][t] = o.pooled[running];
                flows.pooled[startup][t] = o.pooled[startup];
                flows.pooled_accounting[t] = o.pooled_accounting;
                for i in 0..n {
                    flows.direct[running][i * h + t] = o.direct[running][i];
                    flows.direct[startup][i * h + t] = o.direct[startup][i];
                    flows.accounting_coop[i * h + t] = o.accounting[i];
                }
                continue;
            }
            // Before `T₀`: each existing member pays its part of the pool as it is (its share
            // under today's key, with its own costs), the newcomers are alone, and the
            // admission project's pooled lines are the only amounts the keys share.
            flows.pooled[running][t] = 0.0;
            flows.pooled[startup][t] = 0.0;
            flows.pooled_accounting[t] = 0.0;
            for (pos, &i) in buf.pool.iter().enumerate() {
                let share = existing.shares[i];
                flows.direct[running][i * h + t] =
                    sq.direct[running][pos] + share * sq.pooled[running];
                flows.direct[startup][i * h + t] =
                    sq.direct[startup][pos] + share * sq.pooled[startup];
                flows.accounting_coop[i * h + t] =
                    sq.accounting[pos] + share * sq.pooled_accounting;
            }
            for j in (0..n).filter(|&j| !existing.members[j]) {
                self.coalition_flows(v, &[j], t, &mut buf.scratch, &mut buf.out);
                flows.direct[running][j * h + t] = buf.out.direct[running][0];
                flows.direct[startup][j * h + t] = buf.out.direct[startup][0];
                flows.accounting_coop[j * h + t] = buf.out.accounting[0];
            }
            self.admission_project(v, &buf.all, &existing.members, t, &mut buf.out);
            flows.pooled[startup][t] += buf.out.pooled[startup];
            for j in 0..n {
                flows.direct[startup][j * h + t] += buf.out.direct[startup][j];
            }
        }
        self.add_integration_cost(existing, flows);
    }

    /// Each existing member's own integration cost in the last year before `T₀` (`T₀` when it
    /// is the first year), pooled under `[transition] costs = "pooled"` like any transition
    /// cost of a member.
    fn add_integration_cost(&self, existing: &ExistingCooperation, flows: &mut DrawFlows) {
        let h = self.horizon_years;
        if existing.integration_cost == 0.0 || h == 0 {
            return;
        }
        let year = self.operation_start.saturating_sub(1).min(h - 1);
        let startup = Category::StartUp.index();
        for i in existing.member_indices() {
            if self.pool_transition_costs {
                flows.pooled[startup][year] += existing.integration_cost;
            } else {
                flows.direct[startup][i * h + year] += existing.integration_cost;
            }
        }
    }

    /// The `together` start-up lines of the enlarged coalition in year `year` before `T₀`:
    /// pooled lines over all its members, per-member lines for the newcomers only (pooled
    /// when `[transition] costs = "pooled"`).
    fn admission_project(
        &self,
        v: &DrawValues,
        all: &[usize],
        existing: &[bool],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        out.reset(all.len());
        let startup = Category::StartUp.index();
        for (line, coef) in self.lines.iter().zip(&v.lines) {
            let admission = line.category == Category::StartUp && line.occurs == Occurs::Together;
            if !line.active(year) || !admission || all.len() < 2 {
                continue;
            }
            match line.basis {
                Basis::Pooled => {
                    self.add_line_basis(line.basis, line.category, coef, all, year, out)
                }
                Basis::PerMember => {
                    for &j in all.iter().filter(|&&j| !existing[j]) {
                        let amount = self.member_part(coef, j) * coef.growth_factors[year];
                        if self.pool_transition_costs {
                            out.pooled[startup] += amount;
                        } else {
                            out.direct[startup][j] += amount;
                        }
                    }
                }
            }
        }
    }
}
