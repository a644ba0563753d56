//! The municipal accounts view in `summary.json` (`municipal_accounts`, docs/MODEL.md §6b):
//! each member's operating and investment budgets alone and in the cooperation under every
//! key, the cooperation's own books, and the four-year økonomiplan table per member and key
//! in whole kroner, which the workbook and the report show as they are.

use samkost_core::model::Model;
use samkost_core::simulation::{Budget, RunResults};
use serde::Serialize;

/// Years in the økonomiplan (kommuneloven § 14-4: at least the next four years).
pub const PLAN_YEARS: usize = 4;

/// The municipal accounts view of a run.
#[derive(Debug, Serialize)]
pub struct AccountsJson {
    /// Which view these figures are in.
    pub view: &'static str,
    /// `"real"` (prices of the first year) or `"nominal"` (each year's own kroner).
    pub prices: &'static str,
    /// The year whose prices real figures are in.
    pub price_year: i32,
    /// Who borrows for the shared investments: `"cooperation"` or `"members"`.
    pub borrower: &'static str,
    /// The VAT inputs the budgets use (docs/MODEL.md §6c).
    pub vat: VatJson,
    /// Calendar years of the horizon.
    pub years: Vec<i32>,
    /// The cooperation's own books (mean over the draws).
    pub cooperation: BudgetJson,
    /// Per key, in key order.
    pub keys: Vec<AccountsKeyJson>,
    /// The four-year økonomiplan table per key and member, whole kroner.
    pub okonomiplan: PlanJson,
}

/// The VAT inputs of the accounts view.
#[derive(Debug, Serialize)]
pub struct VatJson {
    /// The VAT rate.
    pub rate: f64,
    /// Whether the cooperation's payments carry VAT: `"purchases"` (host, joint body: the
    /// member bears VAT on its share of the pooled purchases), `"compensated"` (IKS: none),
    /// `"invoice"` (AS, outsourcing: on the whole payment).
    pub cooperation: &'static str,
    /// Per member, in member order.
    pub members: Vec<VatMemberJson>,
}

/// One member's VAT and fee-financed shares.
#[derive(Debug, Serialize)]
pub struct VatMemberJson {
    /// Member id.
    pub id: String,
    /// Share of its ICT costs whose VAT is neither compensated nor deducted.
    pub non_compensable: f64,
    /// Share of its ICT costs charged to fee-financed services (selvkost).
    pub fee_financed: f64,
}

/// Every member's budgets under one key.
#[derive(Debug, Serialize)]
pub struct AccountsKeyJson {
    /// Key name.
    pub name: String,
    /// One entry per member, in member order.
    pub members: Vec<AccountsMemberJson>,
}

/// One member's budgets under one key.
#[derive(Debug, Serialize)]
pub struct AccountsMemberJson {
    /// Member id.
    pub id: String,
    /// What it would book alone.
    pub alone: BudgetJson,
    /// What it books in the cooperation.
    pub cooperation: BudgetJson,
    /// Net operating cost alone minus in the cooperation, by year.
    pub difference: Vec<f64>,
}

/// One budget by year, NOK, mean over the draws (docs/MODEL.md §6b).
#[derive(Debug, Serialize)]
pub struct BudgetJson {
    /// Operating budget: payments to the cooperation.
    pub payments_to_cooperation: Vec<f64>,
    /// Operating budget: own operating costs.
    pub own_operating: Vec<f64>,
    /// Operating budget: grants and sales income beyond the year's investments.
    pub operating_income: Vec<f64>,
    /// Operating budget: interest.
    pub interest: Vec<f64>,
    /// Operating budget: instalments.
    pub instalments: Vec<f64>,
    /// Depreciation, charged and neutralised (not in the net operating cost).
    pub depreciation: Vec<f64>,
    /// Operating budget: VAT neither compensated nor deducted.
    pub vat_not_compensated: Vec<f64>,
    /// Operating budget: costs charged to fee-financed services and recovered from fee payers.
    pub fee_financed: Vec<f64>,
    /// Net operating cost: payments + own operating − income + interest + instalments + VAT
    /// not compensated − fee-financed.
    pub net_operating_cost: Vec<f64>,
    /// Investment budget: capitalised investments.
    pub investments: Vec<f64>,
    /// Investment budget: financed by grants and sales.
    pub grants_and_sales: Vec<f64>,
    /// Investment budget: financed by borrowing.
    pub borrowing: Vec<f64>,
}

impl BudgetJson {
    fn of(b: Budget) -> Self {
        Self {
            payments_to_cooperation: b.payments_to_cooperation,
            own_operating: b.own_operating,
            operating_income: b.operating_income,
            interest: b.interest,
            instalments: b.instalments,
            depreciation: b.depreciation,
            vat_not_compensated: b.vat_not_compensated,
            fee_financed: b.fee_financed,
            net_operating_cost: b.net_operating_cost,
            investments: b.investments,
            grants_and_sales: b.grants_and_sales,
            borrowing: b.borrowing,
        }
    }
}

/// The økonomiplan: the first four years of each member's budgets, as a finance office lays
/// them out (rows: the budget's lines; columns: years), whole kroner.
#[derive(Debug, Serialize)]
pub struct PlanJson {
    /// The plan's calendar years: four from `[accounts] plan_start` (default the first year),
    /// fewer where the horizon ends.
    pub years: Vec<i32>,
    /// `"NOK"`: whole kroner.
    pub unit: &'static str,
    /// Per key, in key order.
    pub keys: Vec<PlanKeyJson>,
}

/// The økonomiplan tables under one key.
#[derive(Debug, Serialize)]
pub struct PlanKeyJson {
    /// Key name.
    pub name: String,
    /// One table per member, in member order.
    pub members: Vec<PlanTableJson>,
}

/// One member's økonomiplan table.
#[derive(Debug, Serialize)]
pub struct PlanTableJson {
    /// Member id.
    pub id: String,
    /// The rows, in the order of [`PLAN_ROWS`].
    pub rows: Vec<PlanRowJson>,
}

/// One line of the plan.
#[derive(Debug, Serialize)]
pub struct PlanRowJson {
    /// `"operating"` or `"investment"`.
    pub budget: &'static str,
    /// The line's identifier (see [`PLAN_ROWS`]).
    pub line: &'static str,
    /// Whole kroner per plan year; costs positive, income and reversals negative.
    pub values: Vec<f64>,
}

/// The plan's rows: budget, identifier. Operating rows add up to `net_operating_cost`
/// (depreciation and its reversal cancel; fee-financed costs are negative, recovered from fee
/// payers); `difference` is the net operating cost alone minus in the cooperation; the
/// investment rows: investments = grants and sales + borrowing.
pub const PLAN_ROWS: [(&str, &str); 15] = [
    ("operating", "payments_to_cooperation"),
    ("operating", "own_operating"),
    ("operating", "operating_income"),
    ("operating", "interest"),
    ("operating", "instalments"),
    ("operating", "vat_not_compensated"),
    ("operating", "fee_financed"),
    ("operating", "depreciation"),
    ("operating", "depreciation_reversed"),
    ("operating", "net_operating_cost"),
    ("operating", "net_operating_cost_alone"),
    ("operating", "difference"),
    ("investment", "investments"),
    ("investment", "grants_and_sales"),
    ("investment", "borrowing"),
];

/// Builds the municipal accounts view of a run, when it booked them.
pub fn accounts(model: &Model, results: &RunResults) -> Option<AccountsJson> {
    let a = results.accounts.as_ref()?;
    let h = model.horizon_years;
    let years: Vec<i32> = (0..h).map(|t| model.first_year + t as i32).collect();
    let keys: Vec<AccountsKeyJson> = results
        .keys
        .iter()
        .enumerate()
        .map(|(k, key)| AccountsKeyJson {
            name: key.name.clone(),
            members: model
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let (alone, coop) = (a.alone(i), a.cooperation(k, i));
                    let difference = (0..h)
                        .map(|t| alone.net_operating_cost[t] - coop.net_operating_cost[t])
                        .collect();
                    AccountsMemberJson {
                        id: m.id.clone(),
                        alone: BudgetJson::of(alone),
                        cooperation: BudgetJson::of(coop),
                        difference,
                    }
                })
                .collect(),
        })
        .collect();
    let first = model.accounts.plan_start.min(h);
    let plan_years = first..(first + PLAN_YEARS).min(h);
    let okonomiplan = PlanJson {
        years: years[plan_years.clone()].to_vec(),
        unit: "NOK",
        keys: keys
            .iter()
            .map(|k| PlanKeyJson {
                name: k.name.clone(),
                members: k
                    .members
                    .iter()
                    .map(|m| plan_table(m, plan_years.clone()))
                    .collect(),
            })
            .collect(),
    };
    Some(AccountsJson {
        view: "municipal accounts",
        prices: if a.nominal { "nominal" } else { "real" },
        price_year: model.first_year,
        borrower: a.borrower.as_str(),
        vat: VatJson {
            rate: a.vat.rate,
            cooperation: a.vat.cooperation.as_str(),
            members: model
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| VatMemberJson {
                    id: m.id.clone(),
                    non_compensable: a.vat.non_compensable[i],
                    fee_financed: a.vat.fee_financed[i],
                })
                .collect(),
        },
        years,
        cooperation: BudgetJson::of(a.pooled()),
        keys,
        okonomiplan,
    })
}

/// A member's plan table from its budgets, rounded to whole kroner.
fn plan_table(m: &AccountsMemberJson, years: std::ops::Range<usize>) -> PlanTableJson {
    let c = &m.cooperation;
    let negate = |v: &[f64]| v.iter().map(|x| -x).collect::<Vec<f64>>();
    let row = |line: &str| -> Vec<f64> {
        match line {
            "payments_to_cooperation" => c.payments_to_cooperation.clone(),
            "own_operating" => c.own_operating.clone(),
            "operating_income" => negate(&c.operating_income),
            "interest" => c.interest.clone(),
            "instalments" => c.instalments.clone(),
            "vat_not_compensated" => c.vat_not_compensated.clone(),
            "fee_financed" => negate(&c.fee_financed),
            "depreciation" => c.depreciation.clone(),
            "depreciation_reversed" => negate(&c.depreciation),
            "net_operating_cost" => c.net_operating_cost.clone(),
            "net_operating_cost_alone" => m.alone.net_operating_cost.clone(),
            "difference" => m.difference.clone(),
            "investments" => c.investments.clone(),
            "grants_and_sales" => c.grants_and_sales.clone(),
            _ => c.borrowing.clone(),
        }
    };
    PlanTableJson {
        id: m.id.clone(),
        rows: PLAN_ROWS
            .iter()
            .map(|&(budget, line)| PlanRowJson {
                budget,
                line,
                values: row(line)[years.clone()].iter().map(|v| whole(*v)).collect(),
            })
            .collect(),
    }
}

/// Whole kroner, without a negative zero.
fn whole(v: f64) -> f64 {
    v.round() + 0.0
}
