//! The coalition cost model: what ICT costs any subset of members in any year under one draw.
//!
//! A [`Model`] holds the members, their drivers (population, users, …), the uncertain
//! parameters, the structural components (infrastructure, licences, purchasing, staffing), the
//! direct cost lines, the transition (parallel operation, existing assets) and the
//! organisation. [`Model::evaluate`] turns one draw of the parameters into the numbers all of
//! them need; [`Model::coalition_flows`] then gives the cost of any subset `S` in year `t`,
//! split into what is pooled and what each member pays itself. The standalone cost of member
//! `i` is the cost of `{i}`; the cooperation's cost is the cost of all members. One function
//! computes both, so standalone costs, the cooperation's cost and every coalition's cost come
//! from the same formulas.

mod assets;
mod component;
mod discount;
mod expr;
mod flows;
mod npv;
mod organisation;

pub use assets::{AssetValues, AssetYear, Assets};
pub use component::{
    Buyer, BuyerCost, Component, ComponentKind, ComponentValues, Connections, KindValues,
    StaffValues, Tier,
};
pub use discount::Discounting;
pub use expr::{BinaryOp, Expr};
pub use flows::DrawFlows;
pub use npv::{CoalitionTable, NpvGameTerms};
pub use organisation::{OrgKind, OrgValues, Organisation};

use crate::sampling::Distribution;

/// A participating municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Four-digit kommunenummer, the stable key (names repeat).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Population on 1 January of the data year.
    pub population: f64,
}

/// Per-member quantities that cost lines scale with. Driver 0 is always `population`.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverTable {
    names: Vec<String>,
    /// `values[driver][member]`.
    values: Vec<Vec<f64>>,
}

impl DriverTable {
    /// A table with the population driver only.
    pub fn new(members: &[Member]) -> Self {
        Self {
            names: vec!["population".to_owned()],
            values: vec![members.iter().map(|m| m.population).collect()],
        }
    }

    /// Adds a driver with one value per member; returns its index.
    pub fn push(&mut self, name: impl Into<String>, values: Vec<f64>) -> usize {
        self.names.push(name.into());
        self.values.push(values);
        self.values.len() - 1
    }

    /// Index of a driver by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Driver names in index order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Values of one driver, one per member.
    pub fn values(&self, driver: usize) -> &[f64] {
        &self.values[driver]
    }
}

/// An uncertain (or fixed) scalar input.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name used in expressions and reports.
    pub name: String,
    /// Its distribution.
    pub distribution: Distribution,
    /// Where the figure comes from, for the assumptions table.
    pub source: Option<String>,
}

/// Which budget a cost belongs to; keys may differ per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Yearly operation (drift).
    Running,
    /// Start-up and transition costs (project, parallel operation, retraining …).
    StartUp,
}

impl Category {
    /// Both categories, in index order.
    pub const ALL: [Category; 2] = [Category::Running, Category::StartUp];

    /// Position in [`Category::ALL`].
    pub fn index(self) -> usize {
        match self {
            Category::Running => 0,
            Category::StartUp => 1,
        }
    }

    /// Lowercase name as used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Running => "running",
            Category::StartUp => "startup",
        }
    }
}

/// How a line's cost scales over a coalition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// One fixed part for the coalition plus rates on the coalition's summed drivers; in the
    /// cooperation it is a pooled cost shared by the key.
    Pooled,
    /// A fixed part and rates per member; in the cooperation each member pays its own part.
    PerMember,
}

/// In which situation a line's cost arises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurs {
    /// The costs cooperation replaces: a member alone always has them; a member of a
    /// coalition keeps them (billed directly) until the cooperation starts operating.
    Alone,
    /// Only in coalitions of two or more: shared systems, governance, start-up.
    Together,
    /// In every coalition.
    Always,
}

/// How a line applies to a coalition in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applies {
    /// Not at all.
    No,
    /// As the line's basis says.
    AsBasis,
    /// Each member for itself (own systems still running before the cooperation operates).
    EachMember,
}

impl Occurs {
    fn applies(self, coalition_size: usize, year: usize, operation_start: usize) -> Applies {
        match (self, coalition_size) {
            (_, 0) => Applies::No,
            (Occurs::Alone | Occurs::Always, 1) => Applies::AsBasis,
            (Occurs::Together, 1) => Applies::No,
            (Occurs::Alone, _) if year < operation_start => Applies::EachMember,
            (Occurs::Alone, _) => Applies::No,
            (Occurs::Together | Occurs::Always, _) => Applies::AsBasis,
        }
    }
}

/// One cost line: `cost(S, t) = g(t) · (F + Σ_d r_d · D_d(S))` when active.
///
/// For a pooled line `D_d(S) = Σ_{i∈S} D_d(i)` and `F` counts once; for a per-member line the
/// line is evaluated for each member and summed, so `F` counts `|S|` times. `g(t) = (1+γ)^t`
/// is real growth from the first year of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    /// Name shown in reports.
    pub name: String,
    /// Budget category.
    pub category: Category,
    /// Pooled or per member.
    pub basis: Basis,
    /// When the cost arises.
    pub occurs: Occurs,
    /// First and last active year index (inclusive, 0 = first year of the horizon).
    pub years: (usize, usize),
    /// Fixed part `F`, NOK per year (or once, for a one-year line).
    pub fixed: Expr,
    /// Rates `r_d`, NOK per unit of driver `d`.
    pub rates: Vec<(usize, Expr)>,
    /// Yearly real growth rate `γ`.
    pub growth: Expr,
}

impl CostLine {
    /// Whether the line is active in year index `t`.
    pub fn active(&self, year: usize) -> bool {
        self.years.0 <= year && year <= self.years.1
    }
}

/// One draw's numbers for one line: fixed part, rates and growth.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineCoefficients {
    /// Fixed part `F`.
    pub fixed: f64,
    /// `(driver, rate)` pairs.
    pub rates: Vec<(usize, f64)>,
    /// Growth factor `(1+γ)^t` for each year of the horizon.
    pub growth_factors: Vec<f64>,
}

/// Old systems keep running for some months after a component is pooled.
#[derive(Debug, Clone, PartialEq)]
pub struct ParallelOperation {
    /// Months of parallel operation (may exceed 12: it then spills into the next year).
    pub months: Expr,
    /// Share of the old running cost still paid during parallel operation.
    pub share: Expr,
}

/// The whole model of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Members in scenario order.
    pub members: Vec<Member>,
    /// Driver values.
    pub drivers: DriverTable,
    /// Payroll tax rate of each member as an employer (its zone).
    pub member_payroll_tax: Vec<f64>,
    /// Uncertain inputs, in sampling order.
    pub parameters: Vec<Parameter>,
    /// Direct cost lines.
    pub lines: Vec<CostLine>,
    /// Structural components.
    pub components: Vec<Component>,
    /// Parallel operation when components are pooled.
    pub parallel: Option<ParallelOperation>,
    /// Existing ICT assets retired when the cooperation starts operating.
    pub assets: Option<Assets>,
    /// Organisation of the cooperation.
    pub organisation: Organisation,
    /// `true`: transition costs that arise per member (parallel operation, per-member start-up
    /// lines, write-off and resale of assets) are pooled and shared by the key's start-up rule;
    /// `false`: each member bears its own.
    pub pool_transition_costs: bool,
    /// Number of years simulated.
    pub horizon_years: usize,
    /// Calendar year of year index 0.
    pub first_year: i32,
    /// Year index from which the cooperation operates; before it, members of a coalition keep
    /// their own `Alone` costs, and their existing assets are retired in that year.
    pub operation_start: usize,
    /// Discounting rule.
    pub discounting: Discounting,
    /// Rank correlations between uncertain parameters.
    pub correlation: Option<Correlation>,
}

/// Target Spearman rank correlations between some uncertain parameters (imposed on every
/// run's sample by Iman–Conover).
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Parameter indices, in matrix order.
    pub parameters: Vec<usize>,
    /// Target Spearman matrix over them.
    pub target: crate::sampling::CorrelationMatrix,
}

/// One draw's numbers for the whole model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawValues {
    /// Per line.
    pub lines: Vec<LineCoefficients>,
    /// Per component.
    pub components: Vec<ComponentValues>,
    /// Organisation.
    pub organisation: OrgValues,
    /// Months of parallel operation and share of old cost.
    pub parallel: (f64, f64),
    /// Existing assets.
    pub assets: Option<AssetValues>,
    /// Changes with every evaluation, so that caches keyed on a draw can tell draws apart.
    pub generation: u64,
}

/// The flows of one coalition in one year under one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoalitionFlows {
    /// Cash each member pays itself, per category: `direct[category][position in S]`.
    pub direct: [Vec<f64>; 2],
    /// Pooled cash cost per category, shared by the key.
    pub pooled: [f64; 2],
    /// Budget view minus cash view for each member (depreciation + write-off − reinvestment).
    pub accounting: Vec<f64>,
    /// Budget view minus cash view of the pooled running cost (shared platform).
    pub pooled_accounting: f64,
}

impl CoalitionFlows {
    fn reset(&mut self, size: usize) {
        for d in &mut self.direct {
            d.clear();
            d.resize(size, 0.0);
        }
        self.pooled = [0.0; 2];
        self.accounting.clear();
        self.accounting.resize(size, 0.0);
        self.pooled_accounting = 0.0;
    }

    /// Total cash cost of the coalition.
    pub fn total(&self) -> f64 {
        self.pooled.iter().sum::<f64>() + self.direct.iter().flatten().sum::<f64>()
    }

    /// A transition cost of the member at `pos`: its own, or pooled.
    fn transition(&mut self, pos: usize, amount: f64, pooled: bool) {
        if pooled {
            self.pooled[Category::StartUp.index()] += amount;
        } else {
            self.direct[Category::StartUp.index()][pos] += amount;
        }
    }
}

/// Reusable buffers for [`Model::coalition_flows`].
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    alone: Vec<BuyerCost>,
    /// Pooled buyer cost per component and coalition mask, for the draw `generation`.
    cache: Vec<Option<BuyerCost>>,
    generation: u64,
}

/// Coalitions of up to this many members have their pooled component costs cached per draw.
const CACHE_MAX_MEMBERS: usize = 16;

impl Scratch {
    /// The pooled cost of component `c_idx` for `coalition`, computed once per draw.
    fn pooled(
        &mut self,
        v: &DrawValues,
        c_idx: usize,
        n_members: usize,
        coalition: &[usize],
        compute: impl FnOnce() -> BuyerCost,
    ) -> BuyerCost {
        if n_members > CACHE_MAX_MEMBERS {
            return compute();
        }
        let size = 1usize << n_members;
        let len = v.components.len() * size;
        if self.generation != v.generation || self.cache.len() != len {
            self.cache.clear();
            self.cache.resize(len, None);
            self.generation = v.generation;
        }
        let mask: usize = coalition.iter().map(|&i| 1usize << i).sum();
        *self.cache[c_idx * size + mask].get_or_insert_with(compute)
    }
}

impl Model {
    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.members.len()
    }

    /// Evaluates every expression of the model for one draw of the parameters.
    pub fn evaluate(&self, params: &[f64], out: &mut DrawValues) {
        out.lines
            .resize_with(self.lines.len(), LineCoefficients::default);
        for (line, coef) in self.lines.iter().zip(out.lines.iter_mut()) {
            coef.fixed = line.fixed.eval(params);
            coef.rates.clear();
            coef.rates
                .extend(line.rates.iter().map(|(d, e)| (*d, e.eval(params))));
            let growth = line.growth.eval(params);
            coef.growth_factors.clear();
            let mut g = 1.0;
            for _ in 0..self.horizon_years {
                coef.growth_factors.push(g);
                g *= 1.0 + growth;
            }
        }
        out.components
            .resize_with(self.components.len(), ComponentValues::default);
        for (c, v) in self.components.iter().zip(out.components.iter_mut()) {
            c.evaluate(params, self.horizon_years, v);
            // Costs alone and of the grand coalition do not change from year to year within a
            // draw (growth is applied per year), so they are computed once here.
            v.alone.clear();
            for i in 0..self.n_members() {
                v.alone.push(c.buyer_cost(v, self.alone_buyer(c, i)));
            }
            v.grand = c.buyer_cost(v, self.pooled_buyer(c, 0..self.n_members()));
        }
        out.generation = out.generation.wrapping_add(1);
        out.organisation = self.organisation.evaluate(params);
        out.parallel = self.parallel.as_ref().map_or((0.0, 0.0), |p| {
            (p.months.eval(params), p.share.eval(params))
        });
        out.assets = self.assets.as_ref().map(|a| a.evaluate(params));
    }

    /// Member `i` buying a component alone.
    fn alone_buyer(&self, component: &Component, i: usize) -> Buyer {
        Buyer {
            load: self.drivers.values[component.driver][i],
            connection_load: component
                .connection_driver()
                .map_or(0.0, |d| self.drivers.values[d][i]),
            coordinated: false,
            payroll_tax: self.member_payroll_tax[i],
        }
    }

    /// A coalition buying a component together, employing through the organisation.
    fn pooled_buyer(
        &self,
        component: &Component,
        coalition: impl Iterator<Item = usize> + Clone,
    ) -> Buyer {
        let sum = |d: usize| {
            coalition
                .clone()
                .map(|i| self.drivers.values[d][i])
                .sum::<f64>()
        };
        Buyer {
            load: sum(component.driver),
            connection_load: component.connection_driver().map_or(0.0, sum),
            coordinated: true,
            payroll_tax: self.organisation.payroll_tax,
        }
    }

    /// Cost of one line for one member, before growth: `F + Σ r_d D_d(i)`.
    fn member_part(&self, coef: &LineCoefficients, member: usize) -> f64 {
        coef.fixed
            + coef
                .rates
                .iter()
                .map(|&(d, r)| r * self.drivers.values[d][member])
                .sum::<f64>()
    }

    /// The flows of coalition `S` (member indices, no duplicates) in year index `t` under one
    /// draw. For a single member these are its standalone costs, all paid by itself.
    pub fn coalition_flows(
        &self,
        v: &DrawValues,
        coalition: &[usize],
        year: usize,
        scratch: &mut Scratch,
        out: &mut CoalitionFlows,
    ) {
        out.reset(coalition.len());
        self.add_lines(v, coalition, year, out);
        for c_idx in 0..self.components.len() {
            self.add_component(v, c_idx, coalition, year, scratch, out);
        }
        if coalition.len() >= 2 {
            out.pooled[Category::Running.index()] += v.organisation.governance;
        }
        if let Some(assets) = &v.assets {
            self.add_assets(assets, coalition, year, out);
        }
    }

    fn add_lines(
        &self,
        v: &DrawValues,
        coalition: &[usize],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let size = coalition.len();
        let pool_transition = self.pool_transition_costs && size >= 2;
        for (line, coef) in self.lines.iter().zip(&v.lines) {
            if !line.active(year) {
                continue;
            }
            let growth = coef.growth_factors[year];
            let cat = line.category.index();
            match (
                line.occurs.applies(size, year, self.operation_start),
                line.basis,
            ) {
                (Applies::No, _) => {}
                (Applies::AsBasis, Basis::Pooled) if size >= 2 => {
                    let amount = coef.fixed
                        + coef
                            .rates
                            .iter()
                            .map(|&(d, r)| {
                                r * coalition
                                    .iter()
                                    .map(|&i| self.drivers.values[d][i])
                                    .sum::<f64>()
                            })
                            .sum::<f64>();
                    out.pooled[cat] += amount * growth;
                }
                _ => {
                    for (pos, &i) in coalition.iter().enumerate() {
                        let amount = self.member_part(coef, i) * growth;
                        if line.category == Category::StartUp && pool_transition {
                            out.pooled[cat] += amount;
                        } else {
                            out.direct[cat][pos] += amount;
                        }
                    }
                }
            }
        }
    }

    fn add_component(
        &self,
        v: &DrawValues,
        c_idx: usize,
        coalition: &[usize],
        year: usize,
        scratch: &mut Scratch,
        out: &mut CoalitionFlows,
    ) {
        let component = &self.components[c_idx];
        let values = &v.components[c_idx];
        let growth = values.growth_factors[year];
        let running = Category::Running.index();
        scratch.alone.clear();
        scratch
            .alone
            .extend(coalition.iter().map(|&i| values.alone[i]));
        let together = coalition.len() >= 2 && year >= component.pooled_from;
        if !together {
            for (pos, cost) in scratch.alone.iter().enumerate() {
                out.direct[running][pos] += cost.nok * growth;
            }
            return;
        }
        let pooled = if coalition.len() == self.n_members() {
            values.grand
        } else {
            scratch.pooled(v, c_idx, self.n_members(), coalition, || {
                component.buyer_cost(
                    values,
                    self.pooled_buyer(component, coalition.iter().copied()),
                )
            })
        };
        let cost = self.pooled_component_cost(
            v,
            component,
            values,
            pooled,
            || scratch.alone.iter().map(|c| c.fte).sum(),
            year,
        );
        out.pooled[running] += cost * v.organisation.price_factor * growth;
        self.add_parallel_operation(v, component, coalition, year, growth, scratch, out);
    }

    /// The pooled running cost of a component in year `year` (before the price factor and
    /// growth): the pooled buyer's cost with scope growth or, for staff transferred with a
    /// no-redundancy guarantee, the staff still held by attrition when they are more.
    fn pooled_component_cost(
        &self,
        v: &DrawValues,
        component: &Component,
        values: &ComponentValues,
        pooled: BuyerCost,
        transferred_fte: impl FnOnce() -> f64,
        year: usize,
    ) -> f64 {
        let cost = pooled.nok * (1.0 + values.scope_growth);
        if component.is_staffing() && v.organisation.attrition_rate > 0.0 {
            // Transfer of undertaking: the transferred staff can only shrink by attrition.
            let held = transferred_fte()
                * (1.0 - v.organisation.attrition_rate).powi((year - component.pooled_from) as i32);
            let target = pooled.fte * (1.0 + values.scope_growth);
            if held > target {
                return component.staff_cost(values, held, self.organisation.payroll_tax);
            }
        }
        cost
    }

    /// Old systems run on for `m` months at share `s` of their old cost: `s·min(m,12)/12` of
    /// the standalone cost in the pooling year and `s·clamp(m−12, 0, 12)/12` in the next.
    #[expect(
        clippy::too_many_arguments,
        reason = "one coalition, one component, explicit buffers"
    )]
    fn add_parallel_operation(
        &self,
        v: &DrawValues,
        component: &Component,
        coalition: &[usize],
        year: usize,
        growth: f64,
        scratch: &Scratch,
        out: &mut CoalitionFlows,
    ) {
        let (months, share) = v.parallel;
        let fraction = flows::parallel_fraction(months, year - component.pooled_from);
        if fraction == 0.0 || share == 0.0 {
            return;
        }
        debug_assert_eq!(coalition.len(), scratch.alone.len());
        for (pos, cost) in scratch.alone.iter().enumerate() {
            out.transition(
                pos,
                share * fraction * cost.nok * growth,
                self.pool_transition_costs,
            );
        }
    }

    fn add_assets(
        &self,
        assets: &AssetValues,
        coalition: &[usize],
        year: usize,
        out: &mut CoalitionFlows,
    ) {
        let together = coalition.len() >= 2;
        for (pos, &i) in coalition.iter().enumerate() {
            let pop = self.members[i].population;
            let event = assets.standalone_year(pop, year);
            if !together || year < self.operation_start {
                out.direct[Category::Running.index()][pos] += event.reinvestment;
                out.accounting[pos] += event.depreciation - event.reinvestment;
            } else if year == self.operation_start {
                // Retired early: resale in cash, write-off of the remaining book value in the
                // budget. A replacement due this very year is not made.
                let resale = assets.resale_share * event.book_value_start;
                out.transition(pos, -resale, self.pool_transition_costs);
                out.accounting[pos] += event.book_value_start;
            }
        }
        if together && year >= self.operation_start {
            let population: f64 = coalition.iter().map(|&i| self.members[i].population).sum();
            let platform = assets.pooled_year(population, self.operation_start, year);
            out.pooled[Category::Running.index()] += platform.reinvestment;
            out.pooled_accounting += platform.depreciation - platform.reinvestment;
        }
    }

    /// `c(S, t)` per category under one draw (cash view).
    pub fn coalition_cost(&self, v: &DrawValues, coalition: &[usize], year: usize) -> [f64; 2] {
        let mut flows = CoalitionFlows::default();
        self.coalition_flows(v, coalition, year, &mut Scratch::default(), &mut flows);
        let mut cost = flows.pooled;
        for (c, d) in flows.direct.iter().enumerate() {
            cost[c] += d.iter().sum::<f64>();
        }
        cost
    }

    /// One year of the cooperation of all members and every member's standalone cost.
    pub fn year_flows(
        &self,
        v: &DrawValues,
        year: usize,
        scratch: &mut YearScratch,
        flows: &mut YearFlows,
    ) {
        let n = self.n_members();
        flows.standalone.clear();
        flows.accounting_alone.clear();
        for i in 0..n {
            self.coalition_flows(v, &[i], year, &mut scratch.model, &mut scratch.single);
            flows.standalone.push(scratch.single.total());
            flows.accounting_alone.push(scratch.single.accounting[0]);
        }
        if scratch.all.len() != n {
            scratch.all = (0..n).collect();
        }
        self.coalition_flows(
            v,
            &scratch.all,
            year,
            &mut scratch.model,
            &mut flows.cooperation,
        );
    }
}

/// Buffers for [`Model::year_flows`].
#[derive(Debug, Clone, Default)]
pub struct YearScratch {
    model: Scratch,
    single: CoalitionFlows,
    all: Vec<usize>,
}

/// The cash flows of one year under one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearFlows {
    /// Each member's cost if it went alone (cash).
    pub standalone: Vec<f64>,
    /// Budget minus cash for each member alone.
    pub accounting_alone: Vec<f64>,
    /// The cooperation of all members.
    pub cooperation: CoalitionFlows,
}

impl YearFlows {
    /// What member `i` pays itself inside the cooperation (both categories).
    pub fn direct(&self, i: usize) -> f64 {
        self.cooperation.direct[0][i] + self.cooperation.direct[1][i]
    }
}
