//! Organisation models of a cooperation and what they change in its costs.

use super::expr::Expr;

/// How the cooperation is organised (kommuneloven 2018: vertskommune ch. 20, kommunalt oppgavefellesskap ch. 19; IKS-loven; aksjeloven; the national guide, Veileder i interkommunalt IKT-samarbeid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKind {
    /// One member runs the service for the others (vertskommune).
    Host,
    /// A joint body under the municipal act ch. 19 (kommunalt oppgavefellesskap).
    JointBody,
    /// An inter-municipal company (IKS), its own legal entity.
    Iks,
    /// A limited company (AS) owned by the members.
    Company,
    /// Operation bought from the market.
    Outsourcing,
}

impl OrgKind {
    /// Whether the members' IT staff move to the employer that runs the pooled operation (the
    /// host, the joint body, the IKS or the AS): a transfer of undertaking under
    /// arbeidsmiljøloven chapter 16, so pay and rights follow the staff. Under outsourcing the
    /// supplier's staffing is priced in its contract instead.
    pub fn transfers_staff(self) -> bool {
        !matches!(self, OrgKind::Outsourcing)
    }

    /// Whether the in-house exception for an owned company applies (IKS, AS): the owners'
    /// purchases must be at least 80 % of its turnover.
    pub fn is_owned_company(self) -> bool {
        matches!(self, OrgKind::Iks | OrgKind::Company)
    }

    /// Name as written in scenarios.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Host => "host",
            OrgKind::JointBody => "joint_body",
            OrgKind::Iks => "iks",
            OrgKind::Company => "as",
            OrgKind::Outsourcing => "outsourcing",
        }
    }
}

/// The organisation of the cooperation.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    /// The model.
    pub kind: OrgKind,
    /// Yearly governance overhead (board, representantskap, audit) or, for outsourcing,
    /// contract management, NOK/yr. A pooled running cost of every coalition of two or more.
    pub governance: Expr,
    /// Payroll tax rate of the employing entity (host's zone, the IKS/AS's seat).
    pub payroll_tax: f64,
    /// Yearly attrition rate of transferred staff.
    pub attrition_rate: Expr,
    /// Whether transferred staff may be made redundant (then the pooled staff fall to the
    /// pooled curve at once); `false` is the usual no-redundancy guarantee.
    pub redundancies: bool,
    /// Yearly extra cost of pooled staff when staff change employer, as a share of the pooled
    /// staffing cost: pay levelled up between merged teams and a pension premium that differs
    /// at the new employer (docs/MODEL.md §4c, "Costs of the form").
    pub staff_uplift: Expr,
    /// One-off cost in a staffing component's pooling year, as a share of that year's pooled
    /// staffing cost: joining or changing pension provider, the transfer agreement.
    pub staff_one_off: Expr,
    /// Outsourcing: supplier's production cost as a fraction of the pooled cost.
    pub supplier_efficiency: Expr,
    /// Outsourcing: supplier's margin on its production cost.
    pub margin: Expr,
}

impl Organisation {
    /// A host-municipality organisation with no overhead (the plain cost-line model).
    pub fn host(payroll_tax: f64) -> Self {
        Self {
            kind: OrgKind::Host,
            governance: Expr::Const(0.0),
            payroll_tax,
            attrition_rate: Expr::Const(0.0),
            redundancies: true,
            staff_uplift: Expr::Const(0.0),
            staff_one_off: Expr::Const(0.0),
            supplier_efficiency: Expr::Const(1.0),
            margin: Expr::Const(0.0),
        }
    }
}

/// One draw's numbers for the organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OrgValues {
    /// Governance overhead, NOK/yr.
    pub governance: f64,
    /// Attrition rate.
    pub attrition_rate: f64,
    /// Whether pooled staff are held at the transferred staff less attrition.
    pub holds_staff: bool,
    /// Multiplier on pooled component costs: `efficiency · (1 + margin)` for outsourcing, 1
    /// otherwise.
    pub price_factor: f64,
    /// Yearly extra cost of pooled staff as a share of their cost (0 unless staff change
    /// employer).
    pub staff_uplift: f64,
    /// One-off cost in a staffing component's pooling year as a share of that year's pooled
    /// staffing cost (0 unless staff change employer).
    pub staff_one_off: f64,
}

impl OrgValues {
    /// The multiplier on a component's pooled cost: the price factor, and for staff also
    /// `1 + staff_uplift`.
    pub fn pooled_factor(&self, staffing: bool) -> f64 {
        if staffing {
            self.price_factor * (1.0 + self.staff_uplift)
        } else {
            self.price_factor
        }
    }
}

impl Organisation {
    /// Evaluates the organisation's expressions for one draw.
    pub fn evaluate(&self, params: &[f64]) -> OrgValues {
        let price_factor = match self.kind {
            OrgKind::Outsourcing => {
                self.supplier_efficiency.eval(params) * (1.0 + self.margin.eval(params))
            }
            _ => 1.0,
        };
        let holds_staff = self.holds_staff();
        let transfers = self.kind.transfers_staff();
        let staff = |e: &Expr| if transfers { e.eval(params) } else { 0.0 };
        OrgValues {
            staff_uplift: staff(&self.staff_uplift),
            staff_one_off: staff(&self.staff_one_off),
            governance: self.governance.eval(params),
            attrition_rate: if holds_staff {
                self.attrition_rate.eval(params)
            } else {
                0.0
            },
            holds_staff,
            price_factor,
        }
    }

    /// Whether pooled staff are held by a transfer of undertaking with a no-redundancy
    /// guarantee.
    pub fn holds_staff(&self) -> bool {
        self.kind.transfers_staff() && !self.redundancies
    }
}
