//! Benefit realisation and the two other views of a member's NPV (docs/MODEL.md §6d): service
//! gains (hours saved × loaded wage), of which a share is taken out of the budgets after a
//! delay, and per draw the discounted sums the budget NPV and the socio-economic NPV need.
//!
//! The cash NPV of §6 counts ICT costs only. The **budget NPV** is what the members'
//! tax-financed budgets gain: the cash saving less the fee-financed share (which goes to fee
//! payers) and the change in VAT not compensated (§6c), plus the realised part of the service
//! gains. The **socio-economic NPV** (DFØ's guide to socio-economic analysis; Finansdepartementet's
//! rundskriv R-109/2021) counts every resource effect, realised or not, and the
//! tax-financing cost of 20 % on the net change in tax-financed public spending.

use super::expr::Expr;
use super::vat::VatRule;
use super::{DrawFlows, FlowDetail, Model, Row};

/// Member `i`'s purchases that carry VAT alone and in the cooperation (docs/MODEL.md §6c,
/// `A_i` and `O_i`) from the amounts of its rows `row(r)`: one year's amounts, or each row's
/// discounted sum (the same combination, so the views' terms are one formula whether a draw
/// built its rows or not).
#[inline(always)]
fn member_purchases(row: impl Fn(Row) -> f64) -> (f64, f64) {
    let alone = row(Row::Standalone) - row(Row::WagesAlone) + row(Row::ResidualAlone);
    let own = row(Row::Direct(0)) + row(Row::Direct(1)) - row(Row::WagesOwn)
        + row(Row::ResaleOwn)
        + row(Row::ResidualOwn);
    (alone, own)
}

/// What carries VAT through the cooperation in category `cat` under `rule` (docs/MODEL.md §6c,
/// `X^c`) from the amounts of the pooled rows `row(r)`, as [`member_purchases`] takes them.
#[inline(always)]
fn through_cooperation(rule: VatRule, cat: usize, row: impl Fn(Row) -> f64) -> f64 {
    let adjust = if cat == 0 {
        Row::ResidualPooled
    } else {
        Row::ResalePooled
    };
    match rule {
        VatRule::Purchases => row(Row::Pooled(cat)) - row(Row::WagesPooled(cat)) + row(adjust),
        VatRule::Compensated => 0.0,
        VatRule::Invoice => row(Row::Pooled(cat)),
    }
}

/// No purchases in the views' terms: no member pays VAT it cannot have compensated.
fn no_purchases(n: usize, out: &mut ViewTerms) {
    out.purchases_alone.clear();
    out.purchases_alone.resize(n, 0.0);
    out.purchases_own.clone_from(&out.purchases_alone);
    out.through_cooperation = [0.0; 2];
}

/// The cost of tax financing: each krone of net public spending costs society 1.2 kroner
/// (Finansdepartementet, rundskriv R-109/2021; DFØ, Veileder i samfunnsøkonomiske analyser,
/// 2023).
pub const TAX_FINANCING_COST: f64 = 0.2;

/// One service-gain line: staff time the cooperation saves in each member's services.
#[derive(Debug, Clone, PartialEq)]
pub struct Gain {
    /// Name shown in reports.
    pub name: String,
    /// Hours saved per member per year, fixed part.
    pub hours: Expr,
    /// Hours saved per unit of a driver per year: `(driver, rate)`.
    pub hours_per_unit: (usize, Expr),
    /// Loaded cost of an hour, NOK.
    pub hourly_cost: Expr,
    /// Share of the value taken out of the budgets.
    pub realisation: Expr,
    /// Years after the gain's first year before the realised share reaches the budgets.
    pub delay: Expr,
    /// First and last year index with the gain.
    pub years: (usize, usize),
}

/// One draw's discounted sums per member for the other views: `[member]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewTerms {
    /// `G_i`: discounted service gains taken out of the budget.
    pub realised: Vec<f64>,
    /// `S_i`: discounted value of every service gain, realised or not.
    pub resource: Vec<f64>,
    /// Discounted purchases alone, `A_i`.
    pub purchases_alone: Vec<f64>,
    /// Discounted purchases of the member's own costs in the cooperation, `O_i`.
    pub purchases_own: Vec<f64>,
    /// Per category, what carries VAT through the cooperation, discounted: the pooled
    /// purchases (rule `purchases`), the pooled cash cost (rule `invoice`) or nothing.
    pub through_cooperation: [f64; 2],
}

impl Model {
    /// The draw's terms of the budget and socio-economic views from its parameters and flows
    /// (with their capital parts and wages when [`Model::views_need_capital_flows`]),
    /// discounted by `discount`.
    pub fn draw_view_terms(
        &self,
        params: &[f64],
        f: &DrawFlows,
        discount: &[f64],
        out: &mut ViewTerms,
    ) {
        self.view_gains(params, discount, out);
        if self.views_need_capital_flows() {
            self.discounted_purchases(f, discount, out);
        } else {
            no_purchases(self.n_members(), out);
        }
    }

    /// [`Model::draw_view_terms`] of a draw whose yearly rows were not built, from each row's
    /// discounted sum: `row(r, i)` of member `i` (0 for a pooled row). The same terms as a
    /// sum of the discounted rows instead of a discounted sum of the rows' yearly
    /// combinations.
    pub(crate) fn draw_view_terms_discounted(
        &self,
        params: &[f64],
        discount: &[f64],
        row: impl Fn(Row, usize) -> f64,
        out: &mut ViewTerms,
    ) {
        self.view_gains(params, discount, out);
        if !self.views_need_capital_flows() {
            no_purchases(self.n_members(), out);
            return;
        }
        out.purchases_alone.clear();
        out.purchases_own.clear();
        for i in 0..self.n_members() {
            let (alone, own) = member_purchases(|r| row(r, i));
            out.purchases_alone.push(alone);
            out.purchases_own.push(own);
        }
        let rule = self.accounts.vat.cooperation;
        for (cat, slot) in out.through_cooperation.iter_mut().enumerate() {
            *slot = through_cooperation(rule, cat, |r| row(r, 0));
        }
    }

    /// The service gains' terms of [`Model::draw_view_terms`], `G_i` and `S_i`.
    fn view_gains(&self, params: &[f64], discount: &[f64], out: &mut ViewTerms) {
        let n = self.n_members();
        out.realised.clear();
        out.realised.resize(n, 0.0);
        out.resource.clear();
        out.resource.resize(n, 0.0);
        for gain in &self.gains {
            let (hours, rate) = (gain.hours.eval(params), gain.hours_per_unit.1.eval(params));
            let value_per_hour = gain.hourly_cost.eval(params);
            let share = gain.realisation.eval(params);
            let delay = gain.delay.eval(params).round().max(0.0);
            let last = gain.years.1.min(discount.len().saturating_sub(1));
            let (mut all, mut realised) = (0.0, 0.0);
            for (t, d) in discount
                .iter()
                .enumerate()
                .take(last + 1)
                .skip(gain.years.0)
            {
                all += d;
                if (t - gain.years.0) as f64 >= delay {
                    realised += d;
                }
            }
            let driver = self.drivers.values(gain.hours_per_unit.0);
            let members = out.resource.iter_mut().zip(out.realised.iter_mut());
            for ((resource, realised_i), units) in members.zip(driver) {
                let value = (hours + rate * units) * value_per_hour;
                *resource += value * all;
                *realised_i += share * value * realised;
            }
        }
    }

    /// Whether the views' terms read the capital parts of the flows ([`crate::model::CapitalFlows`]):
    /// only when some member pays VAT it cannot have compensated (§6c).
    pub fn views_need_capital_flows(&self) -> bool {
        self.accounts.vat.non_compensable.iter().any(|x| *x != 0.0)
    }

    /// What a run's flows must record ([`Model::draw_flows_with`]): everything for the
    /// municipal accounts (`accounts`), else what the views' terms read, if anything.
    pub fn flow_detail(&self, accounts: bool) -> FlowDetail {
        if accounts {
            FlowDetail::Accounts
        } else if self.views_need_capital_flows() {
            FlowDetail::Views
        } else {
            FlowDetail::Cash
        }
    }

    /// Whether the budget view has a cost game for core stability (docs/MODEL.md §6d): every
    /// member's budget must change with what it pays, so no member may be wholly
    /// fee-financed (`f_i < 1`).
    pub fn budget_core_defined(&self) -> bool {
        self.accounts.vat.fee_financed.iter().all(|f| *f < 1.0)
    }

    /// `A_i`, `O_i` and what carries VAT through the cooperation, discounted (docs/MODEL.md
    /// §6c's purchases: cash − wages + resale + residual).
    fn discounted_purchases(&self, f: &DrawFlows, discount: &[f64], out: &mut ViewTerms) {
        out.purchases_alone.clear();
        out.purchases_own.clear();
        for i in 0..self.n_members() {
            let (mut alone, mut own) = (0.0, 0.0);
            for (t, d) in discount.iter().enumerate() {
                let (a, o) = member_purchases(|r| f.amount(r, i, t));
                alone += d * a;
                own += d * o;
            }
            out.purchases_alone.push(alone);
            out.purchases_own.push(own);
        }
        let rule = self.accounts.vat.cooperation;
        for (cat, slot) in out.through_cooperation.iter_mut().enumerate() {
            *slot = discount
                .iter()
                .enumerate()
                .map(|(t, d)| d * through_cooperation(rule, cat, |r| f.amount(r, 0, t)))
                .sum();
        }
    }

    /// Member `i`'s budget NPV and socio-economic NPV under shares `(s_running, s_startup)`
    /// from its cash NPV and the draw's terms (docs/MODEL.md §6d):
    ///
    /// ```text
    /// budget = (1 − f_i)·NPV + v·n_i·(A_i − O_i − Σ_c s_c X_c) + G_i
    /// socio  = NPV + S_i + λ·((1 − f_i)·NPV + G_i)
    /// ```
    pub fn member_views(
        &self,
        i: usize,
        npv: f64,
        shares: (f64, f64),
        terms: &ViewTerms,
    ) -> (f64, f64) {
        let member = MemberTerms {
            realised: terms.realised[i],
            resource: terms.resource[i],
            purchases_alone: terms.purchases_alone[i],
            purchases_own: terms.purchases_own[i],
        };
        self.member_views_of(i, npv, shares, &member, terms.through_cooperation)
    }

    /// [`Model::member_views`] from member `i`'s own terms and what carries VAT through the
    /// cooperation, `X^c`.
    pub fn member_views_of(
        &self,
        i: usize,
        npv: f64,
        shares: (f64, f64),
        member: &MemberTerms,
        through_cooperation: [f64; 2],
    ) -> (f64, f64) {
        let vat = &self.accounts.vat;
        let fee = vat.fee_financed[i];
        let kept = (1.0 - fee) * npv;
        let through = shares.0 * through_cooperation[0] + shares.1 * through_cooperation[1];
        let vat_saved =
            vat.not_compensated(i, member.purchases_alone - member.purchases_own - through);
        let budget = kept + vat_saved + member.realised;
        let socio = npv + member.resource + TAX_FINANCING_COST * (kept + member.realised);
        (budget, socio)
    }
}

/// One member's terms of a draw's views ([`ViewTerms`] at one member).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MemberTerms {
    /// `G_i`.
    pub realised: f64,
    /// `S_i`.
    pub resource: f64,
    /// `A_i`.
    pub purchases_alone: f64,
    /// `O_i`.
    pub purchases_own: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The purchases of docs/MODEL.md §6c, `Pur(t) = cash(t) − wages(t) + S(t) + residual(t)`,
    /// by hand: alone 100 − 30 + 5 (no sale); own (40 + 10) − 20 + 7 (sale) + 3; through the
    /// cooperation, running 200 − 50 + 4 (residual) and start-up 60 − 10 + 2 (sale) under
    /// `purchases`, the whole pooled cost under `invoice`, nothing when compensated.
    #[test]
    fn purchases_are_the_cash_less_wages_plus_sales_and_residuals() {
        let row = |r: Row| match r {
            Row::Standalone => 100.0,
            Row::WagesAlone => 30.0,
            Row::ResidualAlone => 5.0,
            Row::Direct(0) => 40.0,
            Row::Direct(1) => 10.0,
            Row::WagesOwn => 20.0,
            Row::ResaleOwn => 7.0,
            Row::ResidualOwn => 3.0,
            Row::Pooled(0) => 200.0,
            Row::WagesPooled(0) => 50.0,
            Row::ResidualPooled => 4.0,
            Row::Pooled(1) => 60.0,
            Row::WagesPooled(1) => 10.0,
            Row::ResalePooled => 2.0,
            other => panic!("{other:?} is not read"),
        };
        assert_eq!(member_purchases(row), (75.0, 40.0));
        let through = |rule| [0, 1].map(|cat| through_cooperation(rule, cat, row));
        assert_eq!(through(VatRule::Purchases), [154.0, 52.0]);
        assert_eq!(through(VatRule::Invoice), [200.0, 60.0]);
        assert_eq!(through(VatRule::Compensated), [0.0, 0.0]);
    }
}
