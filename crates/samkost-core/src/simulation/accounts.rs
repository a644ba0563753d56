//! The municipal accounts view over a run (docs/MODEL.md §6b): each draw's books
//! ([`Model::draw_accounts`]) summed draw by draw, and the mean budgets of each member alone
//! and in the cooperation under each key.
//!
//! What a member pays the cooperation is linear in the key's shares, so for keys with fixed
//! shares the mean is the share times the mean of the cooperation's books; for keys whose
//! shares change per draw the products are summed draw by draw (as for the cash payments).

use super::accumulate::Layout;
use super::kernel::DrawScratch;
use crate::allocation::ResolvedKey;
use crate::model::{BOOK_LINES, Borrower, DrawAccounts, Line, Model, Vat, VatRule};

/// Values summed per draw: the books' rows (`(2n + 2) × BOOK_LINES`), then per key whose shares
/// vary and member the draw's shares × the cooperation's rows (`BOOK_LINES`), each `horizon`
/// years.
pub(super) fn accounts_len(layout: &Layout) -> usize {
    if !layout.accounts {
        return 0;
    }
    let n = layout.n_members;
    let varying = layout.varying.iter().filter(|v| **v).count();
    ((2 * n + 2) * BOOK_LINES + varying * n * BOOK_LINES) * layout.horizon
}

/// Books draw `s` and adds its rows to `sums` (laid out as [`accounts_len`] says).
pub(super) fn add_draw(
    model: &Model,
    layout: &Layout,
    s: &DrawScratch,
    scratch: &mut DrawAccounts,
    sums: &mut [f64],
) {
    model.draw_accounts(&s.values, &s.flows, scratch);
    let (n, h) = (layout.n_members, layout.horizon);
    let books = scratch.values.len();
    for (a, v) in sums[..books].iter_mut().zip(&scratch.values) {
        *a += v;
    }
    let mut rest = &mut sums[books..];
    let pooled = |c: usize, line: usize| {
        let start = ((2 * n + c) * BOOK_LINES + line) * h;
        &scratch.values[start..start + h]
    };
    for (shares, _) in s.shares.iter().zip(&layout.varying).filter(|(_, v)| **v) {
        for (&run, &start) in shares[0].iter().zip(&shares[1]) {
            for line in 0..BOOK_LINES {
                let (into, next) = rest.split_at_mut(h);
                for ((a, r), st) in into.iter_mut().zip(pooled(0, line)).zip(pooled(1, line)) {
                    *a += run * r + start * st;
                }
                rest = next;
            }
        }
    }
}

/// One budget, year by year (NOK in the run's prices, mean over the draws): the operating
/// budget's lines, its net operating cost, and the investment budget's lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Budget {
    /// Payments to the cooperation (with the capital costs it recovers through its price when
    /// it borrows).
    pub payments_to_cooperation: Vec<f64>,
    /// Operating costs the member pays itself.
    pub own_operating: Vec<f64>,
    /// Grants and sales income beyond the investments, taken to the operating budget.
    pub operating_income: Vec<f64>,
    /// Interest on the member's own loans.
    pub interest: Vec<f64>,
    /// Instalments on the member's own loans.
    pub instalments: Vec<f64>,
    /// Depreciation of the member's capitalised investments: charged and neutralised, so not
    /// part of the net operating cost.
    pub depreciation: Vec<f64>,
    /// VAT neither compensated nor deducted: `rate · n_i` times the member's purchases, or,
    /// when the cooperation invoices VAT, times its payments (docs/MODEL.md §6c).
    pub vat_not_compensated: Vec<f64>,
    /// Costs charged to fee-financed services (selvkost) and recovered from fee payers:
    /// `f_i` times the net operating cost before VAT (docs/MODEL.md §6c).
    pub fee_financed: Vec<f64>,
    /// Payments + own operating − income + interest + instalments + VAT not compensated −
    /// fee-financed.
    pub net_operating_cost: Vec<f64>,
    /// Capitalised investments.
    pub investments: Vec<f64>,
    /// Investments financed by grants and sales.
    pub grants_and_sales: Vec<f64>,
    /// Investments financed by borrowing.
    pub borrowing: Vec<f64>,
}

/// The run's mean municipal accounts.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanAccounts {
    /// Nominal kroner of each year (`true`) or real, first-year prices.
    pub nominal: bool,
    /// Who borrows for the shared investments.
    pub borrower: Borrower,
    /// The VAT inputs.
    pub vat: Vat,
    horizon: usize,
    n: usize,
    /// Mean books' rows, as in [`DrawAccounts::values`].
    books: Vec<f64>,
    /// Per key and member the mean of Σ_c s_c × the cooperation's row: `[key][member]` →
    /// `BOOK_LINES × horizon` values.
    key_pooled: Vec<Vec<Vec<f64>>>,
}

impl MeanAccounts {
    pub(super) fn new(
        model: &Model,
        sums: &[f64],
        keys: &[ResolvedKey],
        layout: &Layout,
        n_draws: u64,
    ) -> Self {
        let (n, h) = (layout.n_members, layout.horizon);
        let per = BOOK_LINES * h;
        let mean: Vec<f64> = sums.iter().map(|s| s / n_draws.max(1) as f64).collect();
        let books_len = (2 * n + 2) * per;
        let books = mean[..books_len].to_vec();
        let pooled = |c: usize| &books[(2 * n + c) * per..(2 * n + c + 1) * per];
        let mut next = books_len;
        let key_pooled = keys
            .iter()
            .zip(&layout.varying)
            .map(|(key, &varying)| {
                (0..n)
                    .map(|i| {
                        if varying {
                            let rows = mean[next..next + per].to_vec();
                            next += per;
                            return rows;
                        }
                        // Lines are year-major within each line (`line × h + t`); a key
                        // that follows a driver given by year takes each year's shares.
                        let share = |c: usize, at: usize| key.shares_in_year(c, at % h)[i];
                        pooled(0)
                            .iter()
                            .zip(pooled(1))
                            .enumerate()
                            .map(|(at, (r, s))| share(0, at) * r + share(1, at) * s)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Self {
            nominal: model.accounts.nominal,
            borrower: model.accounts.borrower,
            vat: model.accounts.vat.clone(),
            horizon: h,
            n,
            books,
            key_pooled,
        }
    }

    fn book(&self, b: usize) -> &[f64] {
        let per = BOOK_LINES * self.horizon;
        &self.books[b * per..(b + 1) * per]
    }

    /// What member `i` would book alone.
    pub fn alone(&self, i: usize) -> Budget {
        budget(self.horizon, None, self.book(i), None, self.member_vat(i))
    }

    /// Member `i`'s VAT and fee-financed shares.
    fn member_vat(&self, i: usize) -> MemberVat {
        MemberVat {
            vat_share: self.vat.rate * self.vat.non_compensable[i],
            fee_financed: self.vat.fee_financed[i],
            rule: self.vat.cooperation,
        }
    }

    /// What member `i` books in the cooperation under key number `key`.
    pub fn cooperation(&self, key: usize, i: usize) -> Budget {
        let pooled = &self.key_pooled[key][i];
        budget(
            self.horizon,
            Some(pooled),
            self.book(self.n + i),
            Some(self.borrower),
            self.member_vat(i),
        )
    }

    /// The cooperation's own books (running and start-up together): what it spends, invests,
    /// borrows and pays in capital costs, whoever books the loans (with `members` borrowing,
    /// the members book these amounts by their shares). `payments_to_cooperation` is what the
    /// members pay it together when it borrows: its net operating cost.
    pub fn pooled(&self) -> Budget {
        let h = self.horizon;
        let both: Vec<f64> = self
            .book(2 * self.n)
            .iter()
            .zip(self.book(2 * self.n + 1))
            .map(|(r, s)| r + s)
            .collect();
        let row = |l: Line| both[l as usize * h..(l as usize + 1) * h].to_vec();
        let net: Vec<f64> = (0..h)
            .map(|t| crate::model::net_operating_cost(&both, h, t))
            .collect();
        Budget {
            payments_to_cooperation: net.clone(),
            own_operating: row(Line::Operating),
            operating_income: row(Line::OperatingIncome),
            interest: row(Line::Interest),
            instalments: row(Line::Instalment),
            depreciation: row(Line::Depreciation),
            vat_not_compensated: vec![0.0; h],
            fee_financed: vec![0.0; h],
            net_operating_cost: net,
            investments: row(Line::Investment),
            grants_and_sales: row(Line::Financing),
            borrowing: row(Line::Borrowing),
        }
    }
}

/// A member's VAT figures: `rate · n_i`, `f_i` and the cooperation's VAT rule.
#[derive(Debug, Clone, Copy)]
struct MemberVat {
    vat_share: f64,
    fee_financed: f64,
    rule: VatRule,
}

/// A member's budget from its own book and (in the cooperation) its key-weighted share of the
/// cooperation's rows, by the borrowing rule and the VAT rule.
fn budget(
    h: usize,
    pooled: Option<&[f64]>,
    own: &[f64],
    borrower: Option<Borrower>,
    vat: MemberVat,
) -> Budget {
    let row = |rows: &[f64], l: Line| rows[l as usize * h..(l as usize + 1) * h].to_vec();
    let zero = vec![0.0; h];
    let shared = |l: Line| pooled.map_or(zero.clone(), |p| row(p, l));
    let add = |a: Vec<f64>, b: Vec<f64>| a.iter().zip(&b).map(|(x, y)| x + y).collect::<Vec<_>>();
    let members_borrow = borrower == Some(Borrower::Members);
    let (operating, interest, instalment, income) = (
        shared(Line::Operating),
        shared(Line::Interest),
        shared(Line::Instalment),
        shared(Line::OperatingIncome),
    );
    let payments: Vec<f64> = (0..h)
        .map(|t| {
            let capital = interest[t] + instalment[t] - income[t];
            operating[t] + if members_borrow { 0.0 } else { capital }
        })
        .collect();
    let (interest, instalments, income, depreciation, investments, financing, borrowing) =
        if members_borrow {
            (
                add(row(own, Line::Interest), shared(Line::Interest)),
                add(row(own, Line::Instalment), shared(Line::Instalment)),
                add(
                    row(own, Line::OperatingIncome),
                    shared(Line::OperatingIncome),
                ),
                add(row(own, Line::Depreciation), shared(Line::Depreciation)),
                add(row(own, Line::Investment), shared(Line::Investment)),
                add(row(own, Line::Financing), shared(Line::Financing)),
                add(row(own, Line::Borrowing), shared(Line::Borrowing)),
            )
        } else {
            (
                row(own, Line::Interest),
                row(own, Line::Instalment),
                row(own, Line::OperatingIncome),
                row(own, Line::Depreciation),
                row(own, Line::Investment),
                row(own, Line::Financing),
                row(own, Line::Borrowing),
            )
        };
    let own_operating = row(own, Line::Operating);
    let (own_base, pooled_base) = (row(own, Line::VatBase), shared(Line::VatBase));
    let vat_not_compensated: Vec<f64> = (0..h)
        .map(|t| {
            let through_cooperation = match vat.rule {
                VatRule::Purchases => pooled_base[t],
                VatRule::Compensated => 0.0,
                VatRule::Invoice => payments[t],
            };
            vat.vat_share * (own_base[t] + through_cooperation)
        })
        .collect();
    let before_vat: Vec<f64> = (0..h)
        .map(|t| payments[t] + own_operating[t] - income[t] + interest[t] + instalments[t])
        .collect();
    let fee_financed: Vec<f64> = before_vat.iter().map(|c| vat.fee_financed * c).collect();
    let net_operating_cost = (0..h)
        .map(|t| before_vat[t] + vat_not_compensated[t] - fee_financed[t])
        .collect();
    Budget {
        payments_to_cooperation: payments,
        own_operating,
        operating_income: income,
        interest,
        instalments,
        depreciation,
        vat_not_compensated,
        fee_financed,
        net_operating_cost,
        investments,
        grants_and_sales: financing,
        borrowing,
    }
}
