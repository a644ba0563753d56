//! What an organisation form costs by itself (docs/MODEL.md §4c, "Costs of the form"): the
//! yearly governance of each form, broken down into the bodies the law gives it (board,
//! audit, accounts, owners' control), and the costs of staff changing employer (pay levelled
//! up between merged teams, a different pension premium, a one-off when the pension scheme
//! moves).

use samkost_core::model::{BinaryOp, Expr, OrgKind};

use super::components::{Default, field_in};
use super::ranges::{GROWTH, NON_NEGATIVE, SHARE};
use super::tree::{Ctx, Table};
use super::values::Parameters;

/// The parts of the yearly governance cost, in the order they are added.
pub const GOVERNANCE_PARTS: [&str; 4] = ["board", "audit", "accounts", "owner_control"];

/// The fields of `[organisation]` read here.
pub const KEYS: [&str; 7] = [
    "board",
    "audit",
    "accounts",
    "owner_control",
    "pay_levelling",
    "pension_premium_change",
    "pension_one_off",
];

/// The default of each governance part for a form, NOK a year, in the order of
/// [`GOVERNANCE_PARTS`]. The law names the bodies; their cost is an [assumption]:
/// - host municipality (kommuneloven §§ 20-1–20-7): no board of its own (an administrative
///   host cooperation has none, § 20-2); the host's auditor and finance department keep and
///   audit the cooperation's accounts within the host's; a cooperation council meets a few
///   times a year;
/// - joint body (kommunalt oppgavefellesskap, kommuneloven §§ 19-1–19-6): its representantskap
///   is the governing body (no board); it keeps its own budget and accounts under the 2019
///   regulation on økonomiplan, årsbudsjett, årsregnskap og årsberetning and is audited;
/// - IKS (IKS-loven): a board (§ 10), the representantskap (§ 6), its own auditor and annual
///   accounts (§ 27 and the regulation on årsbudsjett, årsregnskap og årsberetning for
///   interkommunale selskaper); the owners' control committees carry out selskapskontroll
///   (kommuneloven § 23-4);
/// - AS (aksjeloven): a board (§ 6-1), the general meeting (§ 5-1), an auditor (revisorloven)
///   and annual accounts (regnskapsloven); selskapskontroll as for an IKS.
///
/// Under outsourcing the supplier's governance is in its price; the cooperation pays contract
/// management (`governance`, §4c table).
fn governance_defaults(kind: OrgKind) -> Option<[Default; 4]> {
    let tri = Default::Tri;
    match kind {
        OrgKind::Host => Some([
            Default::Value(0.0),
            tri(10_000.0, 25_000.0, 50_000.0),
            tri(20_000.0, 40_000.0, 100_000.0),
            tri(20_000.0, 35_000.0, 150_000.0),
        ]),
        OrgKind::JointBody => Some([
            Default::Value(0.0),
            tri(20_000.0, 40_000.0, 80_000.0),
            tri(40_000.0, 80_000.0, 150_000.0),
            tri(30_000.0, 60_000.0, 150_000.0),
        ]),
        OrgKind::Iks => Some([
            tri(100_000.0, 200_000.0, 400_000.0),
            tri(50_000.0, 100_000.0, 200_000.0),
            tri(80_000.0, 150_000.0, 300_000.0),
            tri(20_000.0, 50_000.0, 100_000.0),
        ]),
        OrgKind::Company => Some([
            tri(100_000.0, 200_000.0, 400_000.0),
            tri(50_000.0, 100_000.0, 200_000.0),
            tri(80_000.0, 150_000.0, 300_000.0),
            tri(10_000.0, 40_000.0, 100_000.0),
        ]),
        OrgKind::Outsourcing => None,
    }
}

fn add(a: Expr, b: Expr) -> Expr {
    match (a, b) {
        (Expr::Const(x), e) | (e, Expr::Const(x)) if x == 0.0 => e,
        (a, b) => Expr::Binary(BinaryOp::Add, Box::new(a), Box::new(b)),
    }
}

/// The yearly governance cost: `governance` when given (a total, as written), else the sum of
/// the parts, each given or its form's default. Giving both is an error; so is a part under
/// outsourcing, whose supplier's governance is in its price.
pub fn read_governance(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    kind: OrgKind,
    params: &mut Parameters,
    outsourcing_default: Default,
) -> Option<Expr> {
    let given: Vec<&str> = GOVERNANCE_PARTS
        .iter()
        .copied()
        .filter(|k| table.get(k).is_some())
        .collect();
    let Some(defaults) = governance_defaults(kind) else {
        for key in &given {
            let span = table.get(key).map(|n| n.span()).unwrap_or_default();
            ctx.error_help(
                span,
                format!("`{key}` of [organisation] does not apply to outsourcing"),
                "the supplier's board, audit and accounts are in its price; give the contract management's cost as `governance`",
            );
        }
        return field_in(
            ctx,
            table,
            "governance",
            "organisation.governance",
            params,
            outsourcing_default,
            NON_NEGATIVE,
        );
    };
    if let (Some(node), Some(first)) = (table.get("governance"), given.first()) {
        ctx.error_help(
            node.span(),
            format!("[organisation] gives both `governance` and `{first}`"),
            "give the total as `governance`, or its parts (`board`, `audit`, `accounts`, `owner_control`) without it",
        );
        return None;
    }
    if table.get("governance").is_some() {
        return field_in(
            ctx,
            table,
            "governance",
            "organisation.governance",
            params,
            Default::Value(0.0),
            NON_NEGATIVE,
        );
    }
    let mut total = Some(Expr::Const(0.0));
    for (key, default) in GOVERNANCE_PARTS.iter().zip(defaults) {
        let label = format!("organisation.{key}");
        let part = field_in(ctx, table, key, &label, params, default, NON_NEGATIVE);
        total = match (total, part) {
            (Some(t), Some(p)) => Some(add(t, p)),
            _ => None,
        };
    }
    total
}

/// The costs of staff changing employer, for the forms that move staff (all but
/// outsourcing): `(yearly share, one-off share)` of the pooled staffing cost. The yearly share
/// is `pay_levelling + pension_premium_change`; the one-off is `pension_one_off`.
///
/// Defaults [assumption; the law and the pension provider's rules name the items, not their
/// size]: `pay_levelling` Tri(0, 2, 5) % for every such form (arbeidsmiljøloven § 16-2: the
/// transferred keep their pay, and merged teams are usually levelled up to the better-paid
/// scale); `pension_premium_change` 0 for a host, a joint body and an IKS (they stay in the
/// public occupational scheme, and the overføringsavtale moves earned rights between public
/// schemes), Tri(0, 1, 3) % for an AS (a small company's scheme outside the municipal pool);
/// `pension_one_off` 0 for a host and a joint body, Tri(0, 2, 5) % for an IKS or an AS, a new
/// employer that must join a pension provider (KLP's articles of association § 2-3: a member
/// pays a one-off equity contribution when its scheme moves in).
pub fn read_staff_costs(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    kind: OrgKind,
    params: &mut Parameters,
) -> Option<(Expr, Expr)> {
    if !kind.transfers_staff() {
        for key in &KEYS[4..] {
            if let Some(node) = table.get(key) {
                ctx.error_help(
                    node.span(),
                    format!("`{key}` of [organisation] does not apply to outsourcing"),
                    "no staff change employer when operation is bought: the supplier's staff costs are in its price",
                );
            }
        }
        return Some((Expr::Const(0.0), Expr::Const(0.0)));
    }
    let own_company = kind.is_owned_company();
    let levelling = field_in(
        ctx,
        table,
        "pay_levelling",
        "organisation.pay_levelling",
        params,
        Default::Tri(0.0, 0.02, 0.05),
        SHARE,
    );
    let premium_default = if kind == OrgKind::Company {
        Default::Tri(0.0, 0.01, 0.03)
    } else {
        Default::Value(0.0)
    };
    let premium = field_in(
        ctx,
        table,
        "pension_premium_change",
        "organisation.pension_premium_change",
        params,
        premium_default,
        GROWTH,
    );
    let one_off_default = if own_company {
        Default::Tri(0.0, 0.02, 0.05)
    } else {
        Default::Value(0.0)
    };
    let one_off = field_in(
        ctx,
        table,
        "pension_one_off",
        "organisation.pension_one_off",
        params,
        one_off_default,
        SHARE,
    );
    Some((add(levelling?, premium?), one_off?))
}
