//! VAT and fee-financed services in the municipal accounts view (docs/MODEL.md §6c): the
//! closed form of an AS invoice to a member with a 90 % compensable share, which organisation
//! models put VAT on wages, what fee payers take over, and mistakes in `[vat]` reported at
//! their line.

use serde_json::Value;

use crate::{numbers, parse};

/// Three members and one cooperation line of 3,000,000 NOK a year, so that each pays
/// 1,000,000 under the equal key; one standalone line of 400,000 NOK a year per member;
/// governance set to zero; `organisation` and `vat` as given.
fn scenario(model: &str, vat: &str) -> String {
    format!(
        r#"name = "VAT"
first_year = 2026
horizon_years = 2
operation_start = 2026
members = ["1517", "1514", "1515"]

[[lines]]
name = "Own purchases"
occurs = "alone"
basis = "per_member"
fixed = 400000

[[lines]]
name = "Operated together"
occurs = "together"
fixed = 3000000

[[keys]]
name = "equal"
rule = "equal"

[organisation]
model = "{model}"
governance = 0

[vat]
{vat}
"#
    )
}

fn run(text: &str) -> Value {
    crate::run_json(text, &["--draws", "20", "--stability-draws", "0"])
}

/// Member `i`'s budgets under the first key: (alone, in the cooperation).
fn budgets(json: &Value, i: usize) -> (Value, Value) {
    let m = &json["municipal_accounts"]["keys"][0]["members"][i];
    (m["alone"].clone(), m["cooperation"].clone())
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// The issue's closed form: an AS invoices 1,000,000 NOK + 25 % VAT = 1,250,000 to a member
/// whose compensable share is 90 %; it is compensated 90 % of the 250,000 VAT
/// (merverdiavgiftskompensasjonsloven § 4) and bears 25,000, so the invoice costs it
/// 1,025,000 NOK. Alone it buys 400,000 NOK of goods and services and bears 10 % of their
/// 100,000 VAT: 10,000.
#[test]
fn an_as_invoice_of_one_million_costs_a_ninety_percent_compensable_member_1_025_000() {
    let json = run(&scenario("as", "non_compensable = 0.1\nfee_financed = 0"));
    assert_eq!(json["municipal_accounts"]["vat"]["cooperation"], "invoice");
    for i in 0..3 {
        let (alone, coop) = budgets(&json, i);
        for t in 0..2 {
            assert!(approx(
                numbers(&coop["payments_to_cooperation"])[t],
                1_000_000.0
            ));
            assert!(approx(numbers(&coop["vat_not_compensated"])[t], 25_000.0));
            assert!(approx(numbers(&coop["net_operating_cost"])[t], 1_025_000.0));
            assert!(approx(numbers(&alone["vat_not_compensated"])[t], 10_000.0));
            assert!(approx(numbers(&alone["net_operating_cost"])[t], 410_000.0));
        }
    }
}

/// Wages carry no VAT: when the cooperation's line is staff time (`wage_lines`), a host
/// municipality passes no VAT on (its payments are the members' share of its costs, none of
/// them a purchase) and an IKS is compensated itself, while an AS invoices VAT on its whole
/// price, wages included: 25 % × 10 % × 1,000,000 = 25,000 for each member.
#[test]
fn only_an_as_puts_vat_on_the_staff_it_employs() {
    let vat = "non_compensable = 0.1\nfee_financed = 0\nwage_lines = [\"Operated together\"]";
    for (model, expected) in [("host", 0.0), ("iks", 0.0), ("as", 25_000.0)] {
        let json = run(&scenario(model, vat));
        let (_, coop) = budgets(&json, 0);
        let vat = numbers(&coop["vat_not_compensated"]);
        assert!(approx(vat[0], expected), "{model}: {vat:?}");
    }
    // Without `wage_lines` the host's line is a purchase: the member bears the VAT on its
    // share of it as if it had bought it itself.
    let json = run(&scenario("host", "non_compensable = 0.1\nfee_financed = 0"));
    let (_, coop) = budgets(&json, 0);
    assert!(approx(numbers(&coop["vat_not_compensated"])[0], 25_000.0));
}

/// A member that charges 20 % of its ICT costs to fee-financed services recovers that share
/// from fee payers, alone and in the cooperation, so 20 % of any saving goes to the fee payers:
/// alone 400,000 + 10,000 VAT − 80,000; in the cooperation 1,000,000 + 25,000 − 200,000. The
/// member's own shares replace the defaults for it only.
#[test]
fn fee_payers_bear_the_fee_financed_share_and_take_its_part_of_a_saving() {
    let json = run(&scenario(
        "host",
        "non_compensable = 0.1\nfee_financed = 0\n[vat.members.\"1514\"]\nfee_financed = 0.2",
    ));
    let (alone, coop) = budgets(&json, 1);
    assert!(approx(numbers(&alone["fee_financed"])[0], 80_000.0));
    assert!(approx(numbers(&alone["net_operating_cost"])[0], 330_000.0));
    assert!(approx(numbers(&coop["fee_financed"])[0], 200_000.0));
    assert!(approx(numbers(&coop["net_operating_cost"])[0], 825_000.0));
    let (_, other) = budgets(&json, 0);
    assert_eq!(numbers(&other["fee_financed"])[0], 0.0);
    let shares = &json["municipal_accounts"]["vat"]["members"][1];
    assert_eq!(shares["id"], "1514");
    assert_eq!(shares["fee_financed"], 0.2);
    // The økonomiplan shows the fee-financed costs as a negative line.
    let plan = &json["municipal_accounts"]["okonomiplan"]["keys"][0]["members"][1]["rows"];
    let row = plan
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == "fee_financed")
        .unwrap();
    assert_eq!(numbers(&row["values"])[0], -200_000.0);
}

/// Mistakes in `[vat]`: each reported at its line, with the field and the fix.
#[test]
fn mistakes_in_vat_are_reported_at_their_line() {
    let text = scenario("host", "");
    let lines = text.lines().count();
    let cases = [
        ("vat_share_above_one", "non_compensable = 1.5", lines + 1),
        (
            "vat_shares_add_up_to_more_than_one",
            "[vat.members.\"1514\"]\nnon_compensable = 0.6\nfee_financed = 0.6",
            lines + 1,
        ),
        (
            "vat_unknown_member",
            "[vat.members]\n\"0301\" = { fee_financed = 0.1 }",
            lines + 2,
        ),
        (
            "vat_unknown_wage_line",
            "wage_lines = [\"Operated togther\"]",
            lines + 1,
        ),
        ("vat_unknown_rule", "cooperation = \"invoiced\"", lines + 1),
    ];
    for (name, field, line) in cases {
        let diagnostics = parse(&format!("{text}{field}\n")).expect_err(name);
        let first = &diagnostics.0[0];
        assert_eq!(first.line, line, "{name}: {diagnostics}");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}

/// The wages `draw_flows` records beside the cash rows follow every amount of those rows that
/// is staff time: in a model whose every cost is staff time (the default scenario's staffing
/// components only, every line named in `wage_lines`, no governance, no assets) the wages
/// equal the cash flows in every book and year, at the medians and in a draw at the inputs'
/// 90th percentiles; with the default scenario's other components back, they are less.
#[test]
fn wages_are_the_cash_flows_when_every_cost_is_staff_time() {
    use samkost_core::model::{DrawFlows, DrawValues, Expr};
    let mut model = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap().model;
    model.components.retain(|c| c.is_staffing());
    assert!(!model.components.is_empty(), "the default has IT staff");
    model.calibrations.clear();
    model.assets = None;
    model.organisation.governance = Expr::Const(0.0);
    model.accounts.vat.wage_lines = (0..model.lines.len()).collect();
    let (n, h) = (model.n_members(), model.horizon_years);
    for p in [0.5, 0.9] {
        let params: Vec<f64> = model
            .parameters
            .iter()
            .map(|x| x.distribution.quantile(p))
            .collect();
        let mut v = DrawValues::default();
        model.evaluate(&params, &mut v);
        let mut flows = DrawFlows::default();
        model.draw_flows(&v, &mut flows);
        let wages = &flows.wages;
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        for k in 0..n * h {
            assert!(same(wages.alone[k], flows.standalone[k]), "alone {k}");
            let own = flows.direct[0][k] + flows.direct[1][k];
            assert!(same(wages.own[k], own), "own {k} at p = {p}");
        }
        for c in 0..2 {
            for t in 0..h {
                assert!(
                    same(wages.pooled[c][t], flows.pooled[c][t]),
                    "pooled {c} {t}"
                );
            }
        }
    }
    // The whole default scenario: wages are part, not all, of every member's cost alone.
    let full = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap().model;
    let mut flows = DrawFlows::default();
    full.draw_flows(&crate::at_medians(&full), &mut flows);
    for i in 0..full.n_members() {
        let row = i * full.horizon_years..(i + 1) * full.horizon_years;
        let wages: f64 = flows.wages.alone[row.clone()].iter().sum();
        let cash: f64 = flows.standalone[row].iter().sum();
        assert!(wages > 0.0 && wages < cash, "member {i}: {wages} of {cash}");
    }
}
