//! The municipal accounts view (docs/MODEL.md §6b): one draw's cash flows booked as a
//! kommune keeps its budget under kommuneloven chapter 14 — an operating budget that bears
//! operating costs, interest and instalments (depreciation is shown and neutralised before the
//! net operating result), and an investment budget with the capitalised investments and their
//! financing by grants, sales and borrowing.
//!
//! Every amount is computed per draw from [`DrawFlows`] and the draw's [`AccountValues`], so
//! that the means a run reports are means of per-draw figures even when the threshold test,
//! the financing or the loans make them nonlinear in the inputs.

use super::DrawFlows;
use super::expr::Expr;
use super::vat::Vat;
use super::{DrawValues, Model};

/// Who borrows for the cooperation's capitalised investments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Borrower {
    /// The host municipality, the IKS, the AS or the supplier borrows and recovers interest
    /// and instalments through its price: members pay them as part of their payments to the
    /// cooperation, and their own investment budgets do not show the shared investments.
    Cooperation,
    /// Each member books its key share of the shared investments in its own investment budget,
    /// borrows for it and bears the interest and instalments itself.
    Members,
}

impl Borrower {
    /// Name as written in scenarios and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Borrower::Cooperation => "cooperation",
            Borrower::Members => "members",
        }
    }
}

/// The inputs of the municipal accounts view (`[accounts]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Accounts {
    /// Share of start-up cost lines that is an investment (capitalised).
    pub startup_capitalised: Expr,
    /// Share of asset replacements that is an investment (capitalised).
    pub reinvestment_capitalised: Expr,
    /// Smallest investment capitalised in a year, NOK in the year's own (nominal) kroner.
    pub threshold: Expr,
    /// Depreciation life of capitalised investments, years.
    pub life: Expr,
    /// Nominal interest rate of the loans.
    pub loan_rate: Expr,
    /// Repayment period of the loans, years (at most the depreciation life is used).
    pub loan_term: Expr,
    /// Grant to the cooperation's project, NOK in first-year prices.
    pub grant: Expr,
    /// Year index in which the grant is received.
    pub grant_year: usize,
    /// Yearly growth of the municipal price index (the state budget's municipal deflator).
    pub price_growth: Expr,
    /// `true`: tables in nominal kroner of each year; `false`: real, first-year prices.
    pub nominal: bool,
    /// Who borrows for the shared investments.
    pub borrower: Borrower,
    /// Year index of the økonomiplan's first year.
    pub plan_start: usize,
    /// VAT that is not compensated and costs charged to fee-financed services (§6c).
    pub vat: Vat,
}

/// One draw's numbers of [`Accounts`] (lives rounded to whole years, at least 1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AccountValues {
    /// Fraction of start-up lines capitalised.
    pub startup_capitalised: f64,
    /// Fraction of reinvestments capitalised.
    pub reinvestment_capitalised: f64,
    /// NOK, nominal.
    pub threshold: f64,
    /// Years.
    pub life: usize,
    /// Nominal rate.
    pub loan_rate: f64,
    /// Years actually used: `min(loan_term, life)`.
    pub repayment_years: usize,
    /// NOK, first-year prices.
    pub grant: f64,
    /// Yearly growth of the price index.
    pub price_growth: f64,
}

/// Longest life or loan term used, years (beyond any horizon).
const MAX_YEARS: f64 = 1000.0;

impl Accounts {
    /// Evaluates for one draw.
    pub fn evaluate(&self, params: &[f64]) -> AccountValues {
        let years = |e: &Expr| {
            let v = e.eval(params).round();
            if v.is_nan() {
                1
            } else {
                v.clamp(1.0, MAX_YEARS) as usize
            }
        };
        let life = years(&self.life);
        AccountValues {
            startup_capitalised: self.startup_capitalised.eval(params),
            reinvestment_capitalised: self.reinvestment_capitalised.eval(params),
            threshold: self.threshold.eval(params),
            life,
            loan_rate: self.loan_rate.eval(params),
            repayment_years: years(&self.loan_term).min(life),
            grant: self.grant.eval(params),
            price_growth: self.price_growth.eval(params),
        }
    }
}

/// The lines of one book (an entity's budget) in one year, in the order of
/// [`DrawAccounts`]'s rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Operating costs other than capital costs (the cash cost less what is capitalised, less
    /// sales and residual values, which are no operating items).
    Operating = 0,
    /// Grants and sales income beyond the year's investments, taken to the operating budget.
    OperatingIncome = 1,
    /// Interest on the loans.
    Interest = 2,
    /// Instalments on the loans (the minimum instalment, approximated per project).
    Instalment = 3,
    /// Depreciation of the capitalised investments (shown, then neutralised).
    Depreciation = 4,
    /// Capitalised investments (investment budget).
    Investment = 5,
    /// Investments financed by grants and sales.
    Financing = 6,
    /// Investments financed by borrowing.
    Borrowing = 7,
    /// Purchases that carry VAT (the cash cost less wages, before sales and residual values
    /// are taken off), the base of the VAT a member bears on its own purchases (§6c).
    VatBase = 8,
}

/// Lines per book.
pub const BOOK_LINES: usize = 9;

/// One draw's municipal accounts: books of each member alone (`0..n`), each member's own
/// costs in the cooperation (`n..2n`), and the cooperation's pooled running (`2n`) and start-up
/// (`2n + 1`) costs; each book has [`BOOK_LINES`] rows of `horizon` years:
/// `values[(book × BOOK_LINES + line) × horizon + year]`. NOK in the view's prices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawAccounts {
    n: usize,
    horizon: usize,
    /// The books' rows.
    pub values: Vec<f64>,
    /// Scratch: the price index `(1 + π)^t` of each year.
    index: Vec<f64>,
    /// Scratch: a year of zeros.
    zeros: Vec<f64>,
}

impl DrawAccounts {
    /// Number of books: `2n + 2`.
    pub fn books(&self) -> usize {
        2 * self.n + 2
    }

    /// The row of `line` of `book`.
    pub fn row(&self, book: usize, line: Line) -> &[f64] {
        let start = (book * BOOK_LINES + line as usize) * self.horizon;
        &self.values[start..start + self.horizon]
    }

    /// Whether every amount is finite and at most `limit` in absolute value.
    pub fn all_within(&self, limit: f64) -> bool {
        let outside: usize = self
            .values
            .iter()
            .map(|x| usize::from(x.is_nan() || x.abs() > limit))
            .sum();
        outside == 0
    }
}

/// What one book holds in a year before it is booked: its cash cost and the parts of it that
/// are projects, reinvestments, residual values and sales, and grants received.
struct BookInput<'a> {
    /// The cash cost, as one row or the sum of two (a member's own running and start-up).
    cash: [&'a [f64]; 2],
    projects: &'a [f64],
    reinvestment: &'a [f64],
    residual: &'a [f64],
    resale: &'a [f64],
    grant: Option<(usize, f64)>,
    /// Wages inside the cash cost (no VAT).
    wages: &'a [f64],
}

impl Model {
    /// Books the draw's flows `f` (from [`Model::draw_flows`]) in municipal accounts.
    pub fn draw_accounts(&self, v: &DrawValues, f: &DrawFlows, out: &mut DrawAccounts) {
        let (n, h) = (f.n_members(), f.horizon());
        let a = &v.accounts;
        out.n = n;
        out.horizon = h;
        out.values.clear();
        out.values.resize((2 * n + 2) * BOOK_LINES * h, 0.0);
        out.index.clear();
        let mut level = 1.0;
        for _ in 0..h {
            out.index.push(level);
            level *= 1.0 + a.price_growth;
        }
        let nominal = self.accounts.nominal;
        let c = &f.capital;
        out.zeros.clear();
        out.zeros.resize(h, 0.0);
        let none = &out.zeros;
        let wages = &f.wages;
        for i in 0..n {
            let row = i * h..(i + 1) * h;
            let alone = BookInput {
                cash: [&f.standalone[row.clone()], none],
                projects: &c.projects_alone[row.clone()],
                reinvestment: &c.reinvestment_alone[row.clone()],
                residual: &c.residual_alone[row.clone()],
                resale: none,
                grant: None,
                wages: &wages.alone[row.clone()],
            };
            book(
                a,
                &out.index,
                nominal,
                &alone,
                book_rows(&mut out.values, i, h),
            );
            let own = BookInput {
                cash: [&f.direct[0][row.clone()], &f.direct[1][row.clone()]],
                projects: &c.projects_own[row.clone()],
                reinvestment: &c.reinvestment_own[row.clone()],
                residual: &c.residual_own[row.clone()],
                resale: &c.resale_own[row.clone()],
                grant: None,
                wages: &wages.own[row],
            };
            book(
                a,
                &out.index,
                nominal,
                &own,
                book_rows(&mut out.values, n + i, h),
            );
        }
        let running = BookInput {
            cash: [&f.pooled[0], none],
            projects: none,
            reinvestment: &c.reinvestment_pooled,
            residual: &c.residual_pooled,
            resale: none,
            grant: None,
            wages: &wages.pooled[0],
        };
        book(
            a,
            &out.index,
            nominal,
            &running,
            book_rows(&mut out.values, 2 * n, h),
        );
        let startup = BookInput {
            cash: [&f.pooled[1], none],
            projects: &c.projects_pooled,
            reinvestment: none,
            residual: none,
            resale: &c.resale_pooled,
            grant: (n >= 2 && self.accounts.grant_year < h)
                .then_some((self.accounts.grant_year, a.grant)),
            wages: &wages.pooled[1],
        };
        book(
            a,
            &out.index,
            nominal,
            &startup,
            book_rows(&mut out.values, 2 * n + 1, h),
        );
    }
}

fn book_rows(values: &mut [f64], book: usize, h: usize) -> &mut [f64] {
    let start = book * BOOK_LINES * h;
    &mut values[start..start + BOOK_LINES * h]
}

/// Books one entity's year-by-year amounts (real, first-year prices) into its rows, in nominal
/// kroner when `nominal`, else deflated back to first-year prices by `index`.
fn book(a: &AccountValues, index: &[f64], nominal: bool, input: &BookInput<'_>, rows: &mut [f64]) {
    let h = index.len();
    let view = |t: usize| if nominal { index[t] } else { 1.0 };
    let (life, term) = (a.life, a.repayment_years);
    for t in 0..h {
        // The year's capitalisable amount, capitalised when it reaches the threshold in the
        // year's own kroner.
        let candidate = a.startup_capitalised * input.projects[t]
            + a.reinvestment_capitalised * input.reinvestment[t];
        let invested = if candidate * index[t] >= a.threshold && candidate > 0.0 {
            candidate
        } else {
            0.0
        };
        let grant = match input.grant {
            Some((year, amount)) if year == t => amount,
            _ => 0.0,
        };
        let sources = input.resale[t] + grant;
        let financing = sources.min(invested).max(0.0);
        let borrowed = invested - financing;
        let operating =
            input.cash[0][t] + input.cash[1][t] - invested + input.resale[t] + input.residual[t];
        let scale = view(t);
        rows[Line::Operating as usize * h + t] += operating * scale;
        rows[Line::OperatingIncome as usize * h + t] += (sources - financing) * scale;
        rows[Line::Investment as usize * h + t] += invested * scale;
        rows[Line::Financing as usize * h + t] += financing * scale;
        rows[Line::Borrowing as usize * h + t] += borrowed * scale;
        let purchases = input.cash[0][t] + input.cash[1][t] - input.wages[t]
            + input.resale[t]
            + input.residual[t];
        rows[Line::VatBase as usize * h + t] += purchases * scale;
        // The loan and the depreciation in nominal kroner of year t, from the next year on.
        let (loan, cost) = (borrowed * index[t], invested * index[t]);
        for k in 1..=term.max(life) {
            let tau = t + k;
            if tau >= h {
                break;
            }
            let back = if nominal { 1.0 } else { 1.0 / index[tau] };
            if k <= term && loan != 0.0 {
                let outstanding = loan * (1.0 - (k - 1) as f64 / term as f64);
                rows[Line::Interest as usize * h + tau] += a.loan_rate * outstanding * back;
                rows[Line::Instalment as usize * h + tau] += loan / term as f64 * back;
            }
            if k <= life && cost != 0.0 {
                rows[Line::Depreciation as usize * h + tau] += cost / life as f64 * back;
            }
        }
    }
}

/// The net operating cost of a book's rows in year `t`: operating costs less operating income,
/// plus interest and instalments. Depreciation is charged and neutralised (reversed) before
/// the net operating result, so it does not enter.
pub fn net_operating_cost(rows: &[f64], h: usize, t: usize) -> f64 {
    let at = |l: Line| rows[l as usize * h + t];
    at(Line::Operating) - at(Line::OperatingIncome) + at(Line::Interest) + at(Line::Instalment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(rate: f64, term: usize, life: usize) -> AccountValues {
        AccountValues {
            startup_capitalised: 1.0,
            reinvestment_capitalised: 1.0,
            threshold: 100_000.0,
            life,
            loan_rate: rate,
            repayment_years: term.min(life),
            grant: 0.0,
            price_growth: 0.0,
        }
    }

    fn booked(a: &AccountValues, h: usize, projects: &[f64], nominal: bool) -> Vec<f64> {
        let zero = vec![0.0; h];
        let index: Vec<f64> = (0..h)
            .map(|t| (1.0 + a.price_growth).powi(t as i32))
            .collect();
        let input = BookInput {
            cash: [projects, &zero],
            projects,
            reinvestment: &zero,
            residual: &zero,
            resale: &zero,
            grant: None,
            wages: &zero,
        };
        let mut rows = vec![0.0; BOOK_LINES * h];
        book(a, &index, nominal, &input, &mut rows);
        rows
    }

    /// A serial loan (even instalments, serielån) of 10,000,000 NOK at 4 % over 10 years,
    /// taken in year 0: instalments of 10,000,000 / 10 = 1,000,000 in years 1–10 and interest
    /// of 4 % on the debt left at the start of each year, 400,000, 360,000, …, 40,000 (hand
    /// formula `0.04 · 10,000,000 · (1 − (k − 1)/10)` for the k-th year); 2,200,000 in all.
    #[test]
    fn ten_million_at_four_percent_over_ten_years() {
        let h = 12;
        let mut projects = vec![0.0; h];
        projects[0] = 10_000_000.0;
        let rows = booked(&values(0.04, 10, 10), h, &projects, false);
        let row = |l: Line| &rows[l as usize * h..(l as usize + 1) * h];
        let interest = [
            0.0, 400_000.0, 360_000.0, 320_000.0, 280_000.0, 240_000.0, 200_000.0, 160_000.0,
            120_000.0, 80_000.0, 40_000.0, 0.0,
        ];
        for (t, expected) in interest.iter().enumerate() {
            assert!((row(Line::Interest)[t] - expected).abs() < 1e-6, "year {t}");
            let instalment = if (1..=10).contains(&t) {
                1_000_000.0
            } else {
                0.0
            };
            assert!(
                (row(Line::Instalment)[t] - instalment).abs() < 1e-6,
                "year {t}"
            );
        }
        let total: f64 = row(Line::Interest).iter().sum();
        assert!((total - 2_200_000.0).abs() < 1e-6);
        // The investment is in the investment budget, wholly borrowed, not in operations.
        assert_eq!(row(Line::Investment)[0], 10_000_000.0);
        assert_eq!(row(Line::Borrowing)[0], 10_000_000.0);
        assert_eq!(row(Line::Operating)[0], 0.0);
    }

    /// Depreciation is neutralised: the same investment depreciated over 10 or over 20 years
    /// (with the loan repaid over 10 in both) changes the depreciation line but not the net
    /// operating cost of any year.
    #[test]
    fn depreciation_does_not_change_the_net_operating_result() {
        let h = 15;
        let mut projects = vec![0.0; h];
        projects[1] = 3_000_000.0;
        projects[4] = 500_000.0;
        let short = booked(&values(0.05, 10, 10), h, &projects, false);
        let long = booked(&values(0.05, 10, 20), h, &projects, false);
        let dep = Line::Depreciation as usize * h;
        assert!((short[dep + 3] - 3_000_000.0 / 10.0).abs() < 1e-6);
        assert!((long[dep + 3] - 3_000_000.0 / 20.0).abs() < 1e-6);
        for t in 0..h {
            assert_eq!(
                net_operating_cost(&short, h, t),
                net_operating_cost(&long, h, t),
                "year {t}"
            );
        }
    }

    /// An amount below the threshold is an operating cost; grants finance an investment before
    /// borrowing; a loan in nominal kroner is worth less in real terms each year.
    #[test]
    fn threshold_grants_and_prices() {
        let h = 3;
        let mut a = values(0.04, 2, 5);
        let small = booked(&a, h, &[99_999.0, 0.0, 0.0], false);
        assert_eq!(small[Line::Operating as usize * h], 99_999.0);
        assert_eq!(small[Line::Investment as usize * h], 0.0);
        let index = [1.0, 1.1, 1.21];
        let zero = [0.0; 3];
        let input = BookInput {
            cash: [&[1_000_000.0, 0.0, 0.0], &zero],
            projects: &[1_000_000.0, 0.0, 0.0],
            reinvestment: &zero,
            residual: &zero,
            resale: &zero,
            grant: Some((0, 400_000.0)),
            wages: &zero,
        };
        a.price_growth = 0.1;
        let mut rows = vec![0.0; BOOK_LINES * h];
        book(&a, &index, false, &input, &mut rows);
        assert_eq!(rows[Line::Financing as usize * h], 400_000.0);
        assert_eq!(rows[Line::Borrowing as usize * h], 600_000.0);
        // 600,000 nominal repaid over two years: 300,000 a year, worth 300,000 / 1.1 in
        // year 1's real kroner and 300,000 / 1.21 in year 2's.
        let inst = Line::Instalment as usize * h;
        assert!((rows[inst + 1] - 300_000.0 / 1.1).abs() < 1e-6);
        assert!((rows[inst + 2] - 300_000.0 / 1.21).abs() < 1e-6);
        let mut nominal = vec![0.0; BOOK_LINES * h];
        book(&a, &index, true, &input, &mut nominal);
        assert!((nominal[inst + 2] - 300_000.0).abs() < 1e-6);
        assert!((nominal[Line::Interest as usize * h + 2] - 0.04 * 300_000.0).abs() < 1e-6);
    }
}
