//! The coalition cost model: what ICT costs any subset of members in any year under one draw.
//!
//! A [`Model`] holds the members, their drivers (population, users, …), the uncertain
//! parameters and the cost lines. [`Model::coefficients`] turns one draw of the parameters into
//! the numbers each line needs; [`Model::coalition_cost`] then gives `c(S, t)` for any subset
//! `S`. The standalone cost of member `i` is `c({i}, t)`; the cooperation's cost is `c(N, t)`.

mod discount;
mod expr;

pub use discount::Discounting;
pub use expr::{BinaryOp, Expr};

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

/// The whole model of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Members in scenario order.
    pub members: Vec<Member>,
    /// Driver values.
    pub drivers: DriverTable,
    /// Uncertain inputs, in sampling order.
    pub parameters: Vec<Parameter>,
    /// Cost lines.
    pub lines: Vec<CostLine>,
    /// Number of years simulated.
    pub horizon_years: usize,
    /// Calendar year of year index 0.
    pub first_year: i32,
    /// Year index from which the cooperation operates; before it, members of a coalition keep
    /// their own `Alone` costs.
    pub operation_start: usize,
    /// Discounting rule.
    pub discounting: Discounting,
}

impl Model {
    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.members.len()
    }

    /// Evaluates every line's coefficients for one draw of the parameters.
    pub fn coefficients(&self, params: &[f64], out: &mut Vec<LineCoefficients>) {
        out.resize_with(self.lines.len(), LineCoefficients::default);
        for (line, coef) in self.lines.iter().zip(out.iter_mut()) {
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
    }

    /// Cost of one line for one member alone-or-in-S, before growth: `F + Σ r_d D_d(i)`.
    fn member_part(&self, coef: &LineCoefficients, member: usize) -> f64 {
        coef.fixed
            + coef
                .rates
                .iter()
                .map(|&(d, r)| r * self.drivers.values[d][member])
                .sum::<f64>()
    }

    /// `c(S, t)`: the cost of coalition `S` (member indices, no duplicates) in year index `t`
    /// under one draw, per category.
    pub fn coalition_cost(
        &self,
        coefficients: &[LineCoefficients],
        coalition: &[usize],
        year: usize,
    ) -> [f64; 2] {
        let mut cost = [0.0; 2];
        let size = coalition.len();
        for (line, coef) in self.lines.iter().zip(coefficients) {
            if !line.active(year) {
                continue;
            }
            let applies = line.occurs.applies(size, year, self.operation_start);
            let amount = match (applies, line.basis) {
                (Applies::No, _) => continue,
                (Applies::AsBasis, Basis::Pooled) => {
                    coef.fixed
                        + coef
                            .rates
                            .iter()
                            .map(|&(d, r)| {
                                r * coalition
                                    .iter()
                                    .map(|&i| self.drivers.values[d][i])
                                    .sum::<f64>()
                            })
                            .sum::<f64>()
                }
                (Applies::AsBasis, Basis::PerMember) | (Applies::EachMember, _) => {
                    coalition.iter().map(|&i| self.member_part(coef, i)).sum()
                }
            };
            cost[line.category.index()] += amount * coef.growth_factors[year];
        }
        cost
    }

    /// One year of the cooperation of all members, split into what is pooled (shared by a
    /// key) and what each member pays directly, plus every member's standalone cost.
    pub fn year_flows(
        &self,
        coefficients: &[LineCoefficients],
        year: usize,
        flows: &mut YearFlows,
    ) {
        let n = self.n_members();
        flows.reset(n);
        let together = n >= 2;
        for (line, coef) in self.lines.iter().zip(coefficients) {
            if !line.active(year) {
                continue;
            }
            let growth = coef.growth_factors[year];
            let cat = line.category.index();
            if line.occurs.applies(1, year, self.operation_start) != Applies::No {
                for i in 0..n {
                    flows.standalone[i] += self.member_part(coef, i) * growth;
                }
            }
            if !together {
                continue;
            }
            match (
                line.occurs.applies(n, year, self.operation_start),
                line.basis,
            ) {
                (Applies::No, _) => {}
                (Applies::AsBasis, Basis::Pooled) => {
                    flows.pooled[cat] += self.coalition_cost_pooled(coef) * growth;
                }
                (Applies::AsBasis, Basis::PerMember) | (Applies::EachMember, _) => {
                    for i in 0..n {
                        flows.direct[i] += self.member_part(coef, i) * growth;
                    }
                }
            }
        }
    }

    fn coalition_cost_pooled(&self, coef: &LineCoefficients) -> f64 {
        coef.fixed
            + coef
                .rates
                .iter()
                .map(|&(d, r)| r * self.drivers.values[d].iter().sum::<f64>())
                .sum::<f64>()
    }
}

/// The cash flows of one year under one draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearFlows {
    /// Each member's cost if it went alone.
    pub standalone: Vec<f64>,
    /// Each member's own costs inside the cooperation (per-member lines).
    pub direct: Vec<f64>,
    /// Pooled cost of the cooperation per category ([`Category::index`]).
    pub pooled: [f64; 2],
}

impl YearFlows {
    fn reset(&mut self, n: usize) {
        self.standalone.clear();
        self.standalone.resize(n, 0.0);
        self.direct.clear();
        self.direct.resize(n, 0.0);
        self.pooled = [0.0; 2];
    }

    /// The cooperation's total cost `c(N, t)`.
    pub fn cooperation_total(&self) -> f64 {
        self.pooled.iter().sum::<f64>() + self.direct.iter().sum::<f64>()
    }
}
