//! `[vat]`: value added tax and fee-financed services in the municipal accounts view
//! (docs/MODEL.md §6c). Every figure is a fixed number from the member's own VAT compensation
//! claims and self-cost (selvkost) calculations, with a documented default.

use samkost_core::model::{CostLine, Member, OrgKind, Vat, VatRule};
use toml::de::DeValue;

use super::diagnostic::closest;
use super::project::LINE_NAMES;
use super::tree::{Ctx, Node, Table, type_name};

/// The general VAT rate: 25 % (Stortinget's yearly VAT resolution, merverdiavgiftsloven
/// § 5-1).
pub const VAT_RATE: f64 = 0.25;
/// Share of a member's ICT costs used in activities where VAT is neither compensated
/// (merverdiavgiftskompensasjonsloven § 4 second paragraph, e.g. economic activity in
/// competition with private firms) nor deducted [assumption: 2 %; each member reads its own
/// share from its compensation claims].
pub const NON_COMPENSABLE: f64 = 0.02;
/// Share of a member's ICT costs charged to water, wastewater and waste as indirect costs in
/// their self-cost calculations [assumption: 5 %; each member reads its own share from its
/// selvkost calculation].
pub const FEE_FINANCED: f64 = 0.05;

const KEYS: &[&str] = &[
    "rate",
    "non_compensable",
    "fee_financed",
    "cooperation",
    "wage_lines",
    "members",
    "source",
    "note",
];

/// Reads `[vat]`, or its defaults when the section is absent. `kind` is the organisation
/// model, which decides whether the cooperation's payments carry VAT when `cooperation` is
/// not given; `lines` are the scenario's cost lines, among which `wage_lines` names the staff
/// time.
pub fn read_vat(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    members: &[Member],
    lines: &[CostLine],
    kind: Option<OrgKind>,
) -> Option<Vat> {
    let n = members.len();
    let default_wages: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.name == LINE_NAMES[0])
        .map(|(i, _)| i)
        .collect();
    let default_rule = default_rule(kind.unwrap_or(OrgKind::Host));
    let Some(node) = node else {
        return Some(Vat {
            rate: VAT_RATE,
            non_compensable: vec![NON_COMPENSABLE; n],
            fee_financed: vec![FEE_FINANCED; n],
            cooperation: default_rule,
            wage_lines: default_wages,
        });
    };
    let table = Table::from_node(ctx, node, "[vat]")?;
    table.check_keys(ctx, KEYS);
    let errors = ctx.errors.len();
    let rate = share(ctx, &table, "rate", VAT_RATE);
    let non_compensable = share(ctx, &table, "non_compensable", NON_COMPENSABLE);
    let fee_financed = share(ctx, &table, "fee_financed", FEE_FINANCED);
    let cooperation = match table.opt_choice(ctx, "cooperation", &RULES.map(|r| r.as_str())) {
        Some((v, _)) => RULES.into_iter().find(|r| r.as_str() == v),
        None if table.get("cooperation").is_some() => None,
        None => Some(default_rule),
    };
    let wage_lines = match table.get("wage_lines") {
        Some(node) => read_wage_lines(ctx, node, lines),
        None => Some(default_wages),
    };
    let mut vat = Vat {
        rate,
        non_compensable: vec![non_compensable; n],
        fee_financed: vec![fee_financed; n],
        cooperation: cooperation?,
        wage_lines: wage_lines?,
    };
    if non_compensable + fee_financed > 1.0 {
        ctx.error_help(
            table.span.clone(),
            format!(
                "`non_compensable` {non_compensable} and `fee_financed` {fee_financed} of [vat] add up to more than 1"
            ),
            "both are shares of the same ICT costs: lower one so that they add up to at most 1",
        );
    }
    if let Some(node) = table.get("members") {
        read_members(ctx, node, members, &mut vat);
    }
    (ctx.errors.len() == errors).then_some(vat)
}

/// The rules in the order scenarios list them.
const RULES: [VatRule; 3] = [VatRule::Purchases, VatRule::Compensated, VatRule::Invoice];

/// Whether the cooperation's payments carry VAT under an organisation model: a host
/// municipality or a joint body buys on the members' behalf (their own, compensated
/// purchases); an IKS is itself entitled to compensation (merverdiavgiftskompensasjonsloven
/// § 2 first paragraph) and invoices without VAT; an AS and a supplier are VAT-registered and
/// invoice VAT on their whole price.
pub fn default_rule(kind: OrgKind) -> VatRule {
    match kind {
        OrgKind::Host | OrgKind::JointBody => VatRule::Purchases,
        OrgKind::Iks => VatRule::Compensated,
        OrgKind::Company | OrgKind::Outsourcing => VatRule::Invoice,
    }
}

/// A share in `[0, 1]` given as a plain number (these are figures from the accounts, not
/// uncertain inputs); `default` when absent or wrong (the error is recorded).
fn share(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, key: &str, default: f64) -> f64 {
    let Some((value, span)) = table.opt_f64(ctx, key) else {
        return default;
    };
    if (0.0..=1.0).contains(&value) {
        return value;
    }
    ctx.error_help(
        span,
        format!("`{key}` {value} in {} is outside 0–1", table.what),
        format!("give `{key}` as a fraction between 0 and 1, e.g. 0.1 for 10 %"),
    );
    default
}

/// `wage_lines = ["…", …]`: the names of the cost lines that are staff time.
fn read_wage_lines(ctx: &mut Ctx<'_>, node: &Node<'_>, lines: &[CostLine]) -> Option<Vec<usize>> {
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!(
                "`wage_lines` of [vat] must be an array of line names, found {}",
                type_name(node.get_ref())
            ),
            "write e.g. `wage_lines = [\"Project: members' own staff time\"]`",
        );
        return None;
    };
    let mut found = Vec::new();
    for item in items.iter() {
        let DeValue::String(name) = item.get_ref() else {
            ctx.error(
                item.span(),
                format!(
                    "`wage_lines` of [vat] must hold line names, found {}",
                    type_name(item.get_ref())
                ),
            );
            continue;
        };
        match lines.iter().position(|l| l.name == name.as_ref()) {
            Some(i) => found.push(i),
            None => {
                let names = lines.iter().map(|l| l.name.as_str());
                let help = match closest(name, names.clone()) {
                    Some(best) => format!("did you mean \"{best}\"?"),
                    None => format!(
                        "the scenario's lines are: {}",
                        names.collect::<Vec<_>>().join(", ")
                    ),
                };
                ctx.error_help(
                    item.span(),
                    format!("`wage_lines` of [vat] names no line \"{name}\""),
                    help,
                );
            }
        }
    }
    Some(found)
}

/// `[vat.members."<id>"]`: a member's own `non_compensable` and `fee_financed`.
fn read_members(ctx: &mut Ctx<'_>, node: &Node<'_>, members: &[Member], vat: &mut Vat) {
    let Some(table) = Table::from_node(ctx, node, "[vat.members]") else {
        return;
    };
    for (key, value) in table.table.iter() {
        let id = key.get_ref().as_ref();
        let Some(i) = super::members::member_index(members, id) else {
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            ctx.error_help(
                key.span(),
                format!("[vat.members] names no member \"{id}\""),
                format!(
                    "use the kommunenummer of one of the scenario's members: {}",
                    ids.join(", ")
                ),
            );
            continue;
        };
        let Some(entry) = Table::from_node(ctx, value, format!("[vat.members.\"{id}\"]")) else {
            continue;
        };
        entry.check_keys(ctx, &["non_compensable", "fee_financed", "source", "note"]);
        let non = share(ctx, &entry, "non_compensable", vat.non_compensable[i]);
        let fee = share(ctx, &entry, "fee_financed", vat.fee_financed[i]);
        if non + fee > 1.0 {
            ctx.error_help(
                entry.span.clone(),
                format!(
                    "`non_compensable` {non} and `fee_financed` {fee} of member \"{id}\" add up to more than 1"
                ),
                "both are shares of the member's ICT costs: lower one so that they add up to at most 1",
            );
        }
        vat.non_compensable[i] = non;
        vat.fee_financed[i] = fee;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_company_or_a_supplier_invoices_vat() {
        assert_eq!(default_rule(OrgKind::Host), VatRule::Purchases);
        assert_eq!(default_rule(OrgKind::JointBody), VatRule::Purchases);
        assert_eq!(default_rule(OrgKind::Iks), VatRule::Compensated);
        assert_eq!(default_rule(OrgKind::Company), VatRule::Invoice);
        assert_eq!(default_rule(OrgKind::Outsourcing), VatRule::Invoice);
    }
}
