//! `[accounts]`: the inputs of the municipal accounts view (docs/MODEL.md §6b), each with its
//! documented default.

use samkost_core::model::{Accounts, Borrower, ModelPart, OrgKind, Vat};

use super::components::{Default, field};
use super::lines::Horizon;
use super::ranges::{
    self, ASSET_LIFE, Allowed, GRANT, LOAN_RATE, NON_NEGATIVE, PRICE_GROWTH, SHARE,
};
use super::tree::{Ctx, Node, Table};
use super::values::Parameters;

/// Smallest investment capitalised, NOK: acquisitions of at least 100,000 kroner with at least
/// three years' economic life are investments under Kommunal regnskapsstandard nr. 4 (GKRS),
/// the standard's reading of the division between the operating and investment accounts in
/// forskrift 7. juni 2019 nr. 714 (FOR-2019-06-07-714).
pub const CAPITALISATION_THRESHOLD: f64 = 100_000.0;
/// Depreciation life of IT equipment, years (five years in municipal accounts, e.g. Stavanger
/// kommune's accounts 2021, note 4).
pub const IT_LIFE_YEARS: f64 = 5.0;
/// Share of start-up project costs capitalised [assumption: about half of an ICT project is
/// acquiring and setting up systems that last; training, process work and the project
/// organisation's running costs are operating costs].
pub const STARTUP_CAPITALISED: f64 = 0.5;
/// Nominal loan rate [assumption: floating municipal loan rates of Kommunalbanken and KLP
/// Kommunekreditt follow 3-month NIBOR plus a margin, about 4.5 % in 2025].
pub const LOAN_RATE_DEFAULT: f64 = 0.045;
/// Yearly growth of the municipal price index: the Finance Ministry's municipal deflator,
/// 4.3 % for 2024 in the revised national budget 2024 and 2.5 % for 2022 in the national
/// budget 2022 [assumption: 3 % a year ahead, between those published figures].
pub const PRICE_GROWTH_DEFAULT: f64 = 0.03;

/// Reads `[accounts]`, or its defaults when the section is absent. `kind` is the organisation
/// model, which decides who borrows when `borrower` is not given.
pub fn read_accounts(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    params: &mut Parameters,
    horizon: Option<&Horizon>,
    operation_start: Option<usize>,
    kind: Option<OrgKind>,
) -> Option<Accounts> {
    let empty = toml::de::DeTable::default();
    let fallback = Table {
        table: &empty,
        span: 0..0,
        what: "[accounts]".to_owned(),
    };
    let parsed;
    let table = match node {
        Some(node) => {
            parsed = Table::from_node(ctx, node, "[accounts]")?;
            &parsed
        }
        None => &fallback,
    };
    table.check_keys(
        ctx,
        &[
            "startup_capitalised",
            "reinvestment_capitalised",
            "capitalisation_threshold",
            "life",
            "loan_rate",
            "loan_term",
            "grant",
            "grant_year",
            "price_growth",
            "prices",
            "borrower",
            "plan_start",
            "source",
            "note",
        ],
    );
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Accounts, "", source);
    let mut f = |ctx: &mut Ctx<'_>, key: &str, default: Default, allowed: Allowed| {
        let expr = field(ctx, table, key, &format!("accounts.{key}"), params, default)?;
        match table.get(key) {
            Some(node) => {
                let what = format!("`{key}` of [accounts]");
                ranges::check(ctx, params, node, &expr, &what, allowed).then_some(expr)
            }
            None => Some(expr),
        }
    };
    let startup = f(
        ctx,
        "startup_capitalised",
        Default::Value(STARTUP_CAPITALISED),
        SHARE,
    );
    let reinvestment = f(ctx, "reinvestment_capitalised", Default::Value(1.0), SHARE);
    let threshold = f(
        ctx,
        "capitalisation_threshold",
        Default::Value(CAPITALISATION_THRESHOLD),
        NON_NEGATIVE,
    );
    let life = f(ctx, "life", Default::Value(IT_LIFE_YEARS), ASSET_LIFE);
    let loan_rate = f(
        ctx,
        "loan_rate",
        Default::Value(LOAN_RATE_DEFAULT),
        LOAN_RATE,
    );
    // Without a term the loans are repaid over the depreciation life, the longest § 14-18
    // allows for one project.
    let loan_term = match table.get("loan_term") {
        Some(_) => f(ctx, "loan_term", Default::Value(IT_LIFE_YEARS), ASSET_LIFE),
        None => life.clone(),
    };
    let grant = f(ctx, "grant", Default::Value(0.0), GRANT);
    let price_growth = f(
        ctx,
        "price_growth",
        Default::Value(PRICE_GROWTH_DEFAULT),
        PRICE_GROWTH,
    );
    let default_grant = operation_start.unwrap_or(0).saturating_sub(1);
    let grant_year = read_year(ctx, table, "grant_year", horizon, default_grant);
    let plan_start = read_year(ctx, table, "plan_start", horizon, 0);
    let nominal = match table.opt_choice(ctx, "prices", &["real", "nominal"]) {
        Some((v, _)) => v == "nominal",
        None if table.get("prices").is_some() => return None,
        None => false,
    };
    let borrower = match table.opt_choice(ctx, "borrower", &["cooperation", "members"]) {
        Some((v, _)) if v == "members" => Borrower::Members,
        Some(_) => Borrower::Cooperation,
        None if table.get("borrower").is_some() => return None,
        None => default_borrower(kind?),
    };
    Some(Accounts {
        startup_capitalised: startup?,
        reinvestment_capitalised: reinvestment?,
        threshold: threshold?,
        life: life?,
        loan_rate: loan_rate?,
        loan_term: loan_term?,
        grant: grant?,
        grant_year: grant_year?,
        price_growth: price_growth?,
        nominal,
        borrower,
        plan_start: plan_start?,
        // Read from `[vat]` once the members and lines are known (`super::vat::read_vat`).
        vat: Vat::none(0),
    })
}

/// Who borrows for the shared investments under an organisation model: the host
/// municipality, the IKS, the AS or the supplier borrows and recovers the capital costs
/// through its price; a joint body (kommuneloven chapter 19) is financed by its members, who
/// borrow their own shares.
pub fn default_borrower(kind: OrgKind) -> Borrower {
    match kind {
        OrgKind::JointBody => Borrower::Members,
        OrgKind::Host | OrgKind::Iks | OrgKind::Company | OrgKind::Outsourcing => {
            Borrower::Cooperation
        }
    }
}

/// A calendar year field (`grant_year`: the year the grant is paid, default the year before
/// the cooperation operates, the main project's; `plan_start`: the økonomiplan's first year,
/// default the first year) as a year index within the horizon.
fn read_year(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    key: &str,
    horizon: Option<&Horizon>,
    default: usize,
) -> Option<usize> {
    let horizon = horizon?;
    let Some((year, span)) = table.opt_i64(ctx, key) else {
        return table.get(key).is_none().then_some(default);
    };
    let help = format!(
        "give a calendar year between {} and {}",
        horizon.first_year,
        horizon.last_year()
    );
    horizon.index(
        ctx,
        (year, span),
        format!("`{key}` {year} of [accounts]"),
        help,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joint_body_s_members_borrow_and_the_others_borrow_for_them() {
        assert_eq!(default_borrower(OrgKind::JointBody), Borrower::Members);
        for kind in [
            OrgKind::Host,
            OrgKind::Iks,
            OrgKind::Company,
            OrgKind::Outsourcing,
        ] {
            assert_eq!(default_borrower(kind), Borrower::Cooperation);
        }
    }
}
