//! The organisation (`[organisation]`): the form, its governance, staff transfer and
//! attrition, with the documented defaults of docs/MODEL.md §4c.

use samkost_core::model::{Expr, ModelPart, OrgKind, Organisation};

use super::components::{Default, field_in, payroll_zone};
use super::ranges::{FACTOR, SHARE};
use super::tree::{Ctx, Node, Table};
use super::values::Parameters;

/// Yearly attrition of transferred IT staff: KS's turnover statistics (share of municipal
/// employees no longer employed in the municipal sector a year later) give 9.2–11.1 % for
/// advisers (stillingskode 8530 rådgiver, the nearest published group to IT staff) and
/// 12.2–13.6 % for the whole sector in 2017–2022, 6.6–7.9 % for the most stable codes.
const ATTRITION_DEFAULT: Default = Default::Tri(0.06, 0.10, 0.14);

/// Reads `[organisation]`. A scenario without the table gets the plain cost-line model: a
/// host municipality (the first member's payroll zone) with no governance overhead whose
/// pooled staff follow the pooled curve at once (`Organisation::host`).
/// `member_tax` gives the default employer zone (the first member's).
pub fn read_organisation(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    params: &mut Parameters,
    default_tax: f64,
) -> (Option<Organisation>, Vec<(std::ops::Range<usize>, String)>) {
    let mut warnings = Vec::new();
    let Some(node) = node else {
        let mut org = Organisation::host(default_tax);
        org.governance = Expr::Const(0.0);
        return (Some(org), warnings);
    };
    let Some(table) = Table::from_node(ctx, node, "[organisation]") else {
        return (None, warnings);
    };
    let mut keys = vec![
        "model",
        "employer_zone",
        "governance",
        "attrition_rate",
        "redundancies",
        "supplier_efficiency",
        "margin",
        "external_sales_share",
        "source",
        "note",
    ];
    keys.extend(super::organisation_costs::KEYS);
    table.check_keys(ctx, &keys);
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Organisation, "", source);
    let kind = match table
        .opt_choice(
            ctx,
            "model",
            &["host", "joint_body", "iks", "as", "outsourcing"],
        )
        .map(|(m, _)| m)
        .as_deref()
    {
        Some("joint_body") => OrgKind::JointBody,
        Some("iks") => OrgKind::Iks,
        Some("as") => OrgKind::Company,
        Some("outsourcing") => OrgKind::Outsourcing,
        Some("host") => OrgKind::Host,
        _ if table.get("model").is_some() => return (None, warnings),
        _ => OrgKind::Host,
    };
    let payroll_tax = match table.get("employer_zone") {
        Some(n) => payroll_zone(ctx, n, "`employer_zone`"),
        None => Some(default_tax),
    };
    // Contract management of an outsourced operation [assumption]; the other forms' governance
    // is the sum of its parts (`organisation_costs`).
    let governance = super::organisation_costs::read_governance(
        ctx,
        &table,
        kind,
        params,
        Default::Tri(300_000.0, 600_000.0, 1_200_000.0),
    );
    let staff_costs = super::organisation_costs::read_staff_costs(ctx, &table, kind, params);
    let redundancies = match table.opt_bool(ctx, "redundancies") {
        Some((allowed, _)) => allowed,
        None if table.get("redundancies").is_some() => return (None, warnings),
        None => false,
    };
    let attrition_rate = if kind.transfers_staff() && !redundancies {
        field_in(
            ctx,
            &table,
            "attrition_rate",
            "organisation.attrition_rate",
            params,
            ATTRITION_DEFAULT,
            SHARE,
        )
    } else {
        Some(Expr::Const(0.0))
    };
    let (efficiency, margin) = if kind == OrgKind::Outsourcing {
        (
            field_in(
                ctx,
                &table,
                "supplier_efficiency",
                "organisation.supplier_efficiency",
                params,
                Default::Tri(0.8, 0.9, 1.0),
                FACTOR,
            ),
            field_in(
                ctx,
                &table,
                "margin",
                "organisation.margin",
                params,
                Default::Tri(0.05, 0.10, 0.15),
                SHARE,
            ),
        )
    } else {
        (Some(Expr::Const(1.0)), Some(Expr::Const(0.0)))
    };
    if let Some((share, span)) = table.opt_f64(ctx, "external_sales_share") {
        if !(0.0..=1.0).contains(&share) {
            ctx.error_help(
                span,
                format!("`external_sales_share` must lie between 0 and 1, got {share}"),
                format!(
                    "{} (the share of turnover sold outside the owners)",
                    SHARE.fix(share)
                ),
            );
        } else if kind.is_owned_company() && share > 0.2 {
            warnings.push((span, format!("the {} sells {:.0} % outside its owners: above the 20 % the in-house exception allows, so the owners' purchases from it may have to be put out to tender", kind.as_str().to_uppercase(), share * 100.0)));
        }
    }
    let org = (|| {
        Some(Organisation {
            kind,
            governance: governance?,
            payroll_tax: payroll_tax?,
            attrition_rate: attrition_rate?,
            redundancies,
            staff_uplift: staff_costs.clone()?.0,
            staff_one_off: staff_costs?.1,
            supplier_efficiency: efficiency?,
            margin: margin?,
        })
    })();
    (org, warnings)
}
