//! Value added tax in the municipal accounts view (docs/MODEL.md §6c): what VAT costs a member
//! alone and in the cooperation when part of its ICT use is not compensated, and what part of
//! its ICT costs is charged to fee-financed services (selvkost) and so paid by fee payers.
//!
//! The cash view is net of VAT: a municipality is compensated for VAT on purchases for its
//! ordinary activities (merverdiavgiftskompensasjonsloven §§ 2–4) or deducts it where the
//! activity is inside the VAT system (merverdiavgiftsloven chapter 8). What is left is the VAT
//! on the share of purchases used where neither applies. Only purchases carry VAT: wages do
//! not, so [`Model::draw_flows`](super::Model::draw_flows) records each book's wages with the
//! flows ([`Wages`]): the staffing components and the lines the scenario names as staff time.

/// Whether the payments to the cooperation carry VAT that the member bears in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatRule {
    /// Host municipality or joint body: the purchases are the members' own (the host or the
    /// joint body buys on their behalf and is compensated, kompensasjonsloven § 2 first
    /// paragraph), and payments carry no VAT; each member bears the VAT its non-compensable
    /// share leaves on its key share of the pooled purchases, as if it had bought them.
    Purchases,
    /// An IKS is itself entitled to compensation (kompensasjonsloven § 2 first paragraph
    /// letter b) and invoices without VAT: no VAT reaches the members' payments.
    Compensated,
    /// An AS or a supplier is VAT-registered and invoices 25 % VAT on its whole price, wages
    /// included; the member claims compensation or deduction for the share it may and bears
    /// the rest.
    Invoice,
}

impl VatRule {
    /// Name as written in scenarios and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            VatRule::Purchases => "purchases",
            VatRule::Compensated => "compensated",
            VatRule::Invoice => "invoice",
        }
    }
}

/// The VAT inputs (`[vat]`): fixed figures from each member's VAT compensation claims and
/// self-cost calculations.
#[derive(Debug, Clone, PartialEq)]
pub struct Vat {
    /// The VAT rate on the purchases and invoices (the general rate, 25 %).
    pub rate: f64,
    /// Per member: the share of its ICT costs used in activities for which VAT is neither
    /// compensated nor deducted.
    pub non_compensable: Vec<f64>,
    /// Per member: the share of its ICT costs charged to fee-financed services (water,
    /// wastewater, waste) and recovered from fee payers.
    pub fee_financed: Vec<f64>,
    /// Whether the cooperation's payments carry VAT.
    pub cooperation: VatRule,
    /// Indices of the cost lines that are staff time (wages, no VAT).
    pub wage_lines: Vec<usize>,
}

impl Vat {
    /// No VAT cost and nothing fee-financed for `n` members (the cash view's figures).
    pub fn none(n: usize) -> Self {
        Self {
            rate: 0.25,
            non_compensable: vec![0.0; n],
            fee_financed: vec![0.0; n],
            cooperation: VatRule::Purchases,
            wage_lines: Vec::new(),
        }
    }

    /// The VAT member `i` bears on a base of purchases (or invoices): `rate · n_i · base`.
    pub fn not_compensated(&self, i: usize, base: f64) -> f64 {
        self.rate * self.non_compensable[i] * base
    }
}

/// One draw's wages inside the cash rows of [`super::DrawFlows`] (its field `wages`, by the
/// rules of [`super::Model::draw_flows`]): per member
/// `[member × horizon + year]` alone and for its own costs in the cooperation, and the
/// cooperation's pooled running and start-up wages `[year]`. NOK, first-year prices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wages {
    /// Wages of each member alone.
    pub alone: Vec<f64>,
    /// Wages each member pays itself in the cooperation (staff before pooling, retained
    /// roles, parallel operation it bears itself, its own staff-time lines).
    pub own: Vec<f64>,
    /// Pooled wages per category (running, start-up).
    pub pooled: [Vec<f64>; 2],
}
