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

mod accounts;
mod assets;
mod coalition;
mod component;
mod component_rows;
mod discount;
mod drivers;
mod existing;
mod exit;
mod expr;
mod flows;
mod membership;
mod npv;
mod organisation;
mod realisation;
mod rows;
mod vat;

pub use accounts::{
    AccountValues, Accounts, BOOK_LINES, Borrower, DrawAccounts, Line, net_operating_cost,
};
pub use assets::{AssetValues, AssetYear, Assets, PooledResidual, Vintages};
pub use coalition::{CoalitionFlows, Scratch, YearFlows, YearScratch};
use component::powers;
pub use component::{
    Buyer, BuyerCost, Component, ComponentKind, ComponentValues, Connections, KindValues,
    StaffValues, Tier,
};
pub use discount::Discounting;
pub use drivers::DriverTable;
pub use existing::{ExistingCooperation, ExistingFlows};
pub use exit::{ExitTerms, RemainingCosts, key_gains_row, leave_base};
pub use expr::{BinaryOp, Expr};
pub use membership::{
    EventFlows, EventKind, ExitRules, MembershipEvent, Settlement, Transfer, event_year,
    shares_among,
};
pub use npv::{CoalitionTable, NpvGameTerms};
pub use organisation::{OrgKind, OrgValues, Organisation};
pub use realisation::{Gain, MemberTerms, TAX_FINANCING_COST, ViewTerms};
pub use rows::{CapitalFlows, DrawFlows, FlowDetail};
pub(crate) use rows::{FlowScratch, FlowSink, Pattern, Row};
pub use vat::{Vat, VatRule, Wages};

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

/// An uncertain (or fixed) scalar input.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name used in expressions and reports.
    pub name: String,
    /// Its distribution.
    pub distribution: Distribution,
    /// Where the figure comes from, for the assumptions table.
    pub source: Option<String>,
    /// The component, line or section field it was given in, for inputs written inline
    /// (`critical_mass = { dist = … }` of a component); `None` for `[parameters]`.
    pub origin: Option<ParameterOrigin>,
    /// The scenario author's own words for it (`label`), if given.
    pub label: Option<InputLabel>,
}

/// A scenario author's words for an uncertain input, per report language: `label = "…"`
/// gives one text for every language, `label = { en = "…", nb = "…" }` one per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputLabel {
    /// English.
    pub en: String,
    /// Norwegian Bokmål.
    pub nb: String,
}

/// Where an inline uncertain input sits in the scenario, so that reports can name it in words
/// ("IT staff: critical mass") instead of by its internal name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterOrigin {
    /// The part of the scenario.
    pub part: ModelPart,
    /// The component's or line's name; empty for the sections that have none.
    pub owner: String,
    /// The field as written in the scenario (`critical_mass`, `connections.unit_cost`,
    /// `per.users` for a line's rate per driver).
    pub field: String,
}

/// The parts of a scenario that hold inline inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelPart {
    /// A `[[components]]` entry.
    Component,
    /// A `[[lines]]` entry.
    Line,
    /// `[organisation]`.
    Organisation,
    /// `[transition]`.
    Transition,
    /// `[assets]`.
    Assets,
    /// `[accounts]`.
    Accounts,
    /// `[project]`.
    Project,
    /// A `[[gains]]` entry.
    Gain,
}

impl ModelPart {
    /// The identifier used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Component => "component",
            Self::Line => "line",
            Self::Organisation => "organisation",
            Self::Transition => "transition",
            Self::Assets => "assets",
            Self::Accounts => "accounts",
            Self::Project => "project",
            Self::Gain => "gain",
        }
    }
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

    /// [`Occurs::applies`] over a run of years: how the line applies to a coalition of
    /// `coalition_size` and the years of `years` in which it does so; in the others it does
    /// not apply. (Only a line that occurs alone changes with the year, and only from
    /// applying to not applying, at `operation_start`.)
    fn applies_over(
        self,
        coalition_size: usize,
        years: std::ops::Range<usize>,
        operation_start: usize,
    ) -> (Applies, std::ops::Range<usize>) {
        let applies = self.applies(coalition_size, years.start, operation_start);
        let end = match (self, applies) {
            (_, Applies::No) => years.start,
            (Occurs::Alone, _) if coalition_size >= 2 => years.end.min(operation_start),
            _ => years.end,
        };
        (applies, years.start..end.max(years.start))
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

/// Fills `out` with the growth factors `(1 + growth)^t` of `horizon` years, each the one
/// before times `1 + growth` (so every draw multiplies in the same order). Factors already
/// there for the same growth (its second factor is `1 + growth` itself) are kept: they are
/// what the products would give again, and a growth rate that is the same in every draw then
/// costs nothing per draw.
fn fill_growth(out: &mut Vec<f64>, growth: f64, horizon: usize) {
    if out.len() == horizon && horizon >= 2 && out[0] == 1.0 && out[1] == 1.0 + growth {
        return;
    }
    out.resize(horizon, 0.0);
    let mut g = 1.0;
    for slot in out.iter_mut() {
        *slot = g;
        g *= 1.0 + growth;
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
    /// Members' standalone costs scaled to their accounts (empty: the modelled curves).
    pub calibrations: Vec<Calibration>,
    /// The municipal accounts view's inputs (docs/MODEL.md §6b).
    pub accounts: Accounts,
    /// Membership events: members leaving or joining, a wind-up (docs/MODEL.md §10b); empty
    /// for a cooperation of the same members throughout.
    pub events: Vec<MembershipEvent>,
    /// Service gains, for the budget and socio-economic views (docs/MODEL.md §6d).
    pub gains: Vec<Gain>,
    /// How leaving is settled, for stability over time and the events (`[exit]`).
    pub exit: ExitRules,
    /// Members that already pool their ICT before the first year, deciding whether to admit
    /// the others (`[existing]`, docs/MODEL.md §10c); `None` when no cooperation exists today.
    pub existing: Option<ExistingCooperation>,
}

/// A member's standalone cost of one component scaled to its accounts: the component's cost
/// alone for `member` is multiplied by `cost` and its staff alone by `fte` in every draw,
/// `k = actual / modelled` with the modelled figure at the inputs' medians (docs/MODEL.md,
/// "Baselines from the accounts").
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// Component index.
    pub component: usize,
    /// Member index.
    pub member: usize,
    /// Factor on the cost alone, `k_i`.
    pub cost: f64,
    /// Factor on the staff alone (staffing; 1 otherwise).
    pub fte: f64,
    /// The member's actual yearly cost, NOK, when given.
    pub actual_cost: Option<f64>,
    /// The member's actual IT staff, FTE, when given.
    pub actual_fte: Option<f64>,
    /// The modelled cost alone at the medians, NOK/yr (first-year prices).
    pub modelled_cost: f64,
    /// The modelled staff alone at the medians, FTE.
    pub modelled_fte: f64,
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
    /// The municipal accounts view's numbers.
    pub accounts: AccountValues,
    /// Changes with every evaluation, so that caches keyed on a draw can tell draws apart.
    pub generation: u64,
}

impl Model {
    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.members.len()
    }

    /// Whether every line's and component's growth rate is the same in every draw: its
    /// expression reads no parameter that is uncertain. The growth profiles are then fixed for
    /// a run, which lets draws without yearly rows be summed per profile
    /// (docs/MODEL.md §6, "Draws without yearly rows").
    pub fn growth_is_fixed(&self) -> bool {
        let fixed = |e: &Expr| {
            let mut read = Vec::new();
            e.params(&mut read);
            read.iter()
                .all(|&j| self.parameters[j].distribution.is_fixed())
        };
        self.lines.iter().all(|l| fixed(&l.growth))
            && self.components.iter().all(|c| fixed(&c.growth))
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
            fill_growth(
                &mut coef.growth_factors,
                line.growth.eval(params),
                self.horizon_years,
            );
        }
        out.components
            .resize_with(self.components.len(), ComponentValues::default);
        for (c_idx, (c, v)) in self
            .components
            .iter()
            .zip(out.components.iter_mut())
            .enumerate()
        {
            c.evaluate(params, self.horizon_years, v);
            // Costs alone and of the grand coalition do not change from year to year within a
            // draw (growth is applied per year), so they are computed once here, with their
            // economies of scale from the loads' logarithms (`scale_powers`).
            let n = self.n_members();
            let grand = self.grand_buyer(c);
            self.scale_powers(c, v, grand.load);
            v.alone.clear();
            for i in 0..n {
                let power = v.powers[i];
                v.alone
                    .push(c.buyer_cost_at(v, self.alone_buyer(c, i), power));
            }
            for k in self.calibrations.iter().filter(|k| k.component == c_idx) {
                let alone = &mut v.alone[k.member];
                alone.nok *= k.cost;
                alone.fte *= k.fte;
            }
            v.grand = c.buyer_cost_at(v, grand, v.powers[n]);
            v.retained.clear();
            if c.is_staffing() {
                for i in 0..self.n_members() {
                    let role = c.retained_role(v, v.alone[i].fte, self.member_payroll_tax[i]);
                    v.retained.push(role);
                }
            }
        }
        out.generation = out.generation.wrapping_add(1);
        out.organisation = self.organisation.evaluate(params);
        out.parallel = self.parallel.as_ref().map_or((0.0, 0.0), |p| {
            (p.months.eval(params), p.share.eval(params))
        });
        out.assets = self.assets.as_ref().map(|a| a.evaluate(params));
        out.accounts = self.accounts.evaluate(params);
    }

    /// The economies of scale `(D/R)^β` of component `c`'s curve in draw `v` for each member
    /// alone and, last, for the grand coalition (load `grand`), into `v.powers`: as
    /// `exp(β · ln(D/R))`, the logarithms of the loads (which are the same in every draw)
    /// kept in `v` from one draw to the next, the exponentials two at a time
    /// ([`crate::sampling::exp_each`]). Zeros for a curve without economies of scale.
    fn scale_powers(&self, c: &Component, v: &mut ComponentValues, grand: f64) {
        let n = self.n_members();
        v.powers.clear();
        v.powers.resize(n + 1, 0.0);
        let Some((reference, exponent)) = v.kind.scale() else {
            return;
        };
        let loads = (0..n).map(|i| self.drivers.values(c.driver)[i]);
        v.log_keys.resize(n + 1, [f64::NAN; 2]);
        v.log_relative.resize(n + 1, f64::NAN);
        let cache = v.log_keys.iter_mut().zip(&mut v.log_relative);
        for ((key, lr), load) in cache.zip(loads.chain([grand])) {
            // A changed load or reference (another model's draw in the same buffers) is taken
            // again.
            if key[0].to_bits() != load.to_bits() || key[1].to_bits() != reference.to_bits() {
                *key = [load, reference];
                *lr = (load / reference).ln();
            }
        }
        powers(exponent, &v.log_relative, &mut v.powers);
    }

    /// Member `i` buying a component alone.
    fn alone_buyer(&self, component: &Component, i: usize) -> Buyer {
        Buyer {
            load: self.drivers.values(component.driver)[i],
            connection_load: component
                .connection_driver()
                .map_or(0.0, |d| self.drivers.values(d)[i]),
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
        self.buyer_at_loads(component, |d| self.coalition_load(d, coalition.clone()))
    }

    /// [`Model::pooled_buyer`] of every member, from the drivers' totals (the same sums).
    fn grand_buyer(&self, component: &Component) -> Buyer {
        self.buyer_at_loads(component, |d| self.drivers.total(d))
    }

    /// A coalition buying a component together whose load on driver `d` is `load(d)`.
    fn buyer_at_loads(&self, component: &Component, load: impl Fn(usize) -> f64) -> Buyer {
        Buyer {
            load: load(component.driver),
            connection_load: component.connection_driver().map_or(0.0, &load),
            coordinated: true,
            payroll_tax: self.organisation.payroll_tax,
        }
    }

    /// `Σ_{i∈S} D_d(i)`, summed over the members of `coalition` in their order.
    fn coalition_load(&self, d: usize, coalition: impl Iterator<Item = usize>) -> f64 {
        coalition.map(|i| self.drivers.values(d)[i]).sum::<f64>()
    }

    /// Cost of one pooled line for the coalition of `members`, before growth:
    /// `F + Σ_d r_d Σ_{i∈S} D_d(i)`, each driver summed over the members in their order.
    pub(super) fn pooled_part(
        &self,
        coef: &LineCoefficients,
        members: impl Iterator<Item = usize> + Clone,
    ) -> f64 {
        line_part(coef, |d| self.coalition_load(d, members.clone()))
    }

    /// [`Model::pooled_part`] of every member, from the drivers' totals (the same sums).
    pub(super) fn grand_part(&self, coef: &LineCoefficients) -> f64 {
        line_part(coef, |d| self.drivers.total(d))
    }

    /// Cost of one line for one member, before growth: `F + Σ r_d D_d(i)`. The expression of
    /// [`line_part`] written out: through it, the flows' per-lane `map` over members compiles
    /// to about 300 more instructions a draw.
    pub(super) fn member_part(&self, coef: &LineCoefficients, member: usize) -> f64 {
        coef.fixed
            + coef
                .rates
                .iter()
                .map(|&(d, r)| r * self.drivers.values(d)[member])
                .sum::<f64>()
    }
}

/// `F + Σ_d r_d · load(d)`: one line's cost before growth at the loads `load(d)` on its
/// drivers.
fn line_part(coef: &LineCoefficients, load: impl Fn(usize) -> f64) -> f64 {
    coef.fixed + coef.rates.iter().map(|&(d, r)| r * load(d)).sum::<f64>()
}
