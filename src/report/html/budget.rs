//! The report's budget sections: what each member pays, year by year, in the cash view
//! (alone, to the cooperation, what it still pays itself, the difference; under the key to
//! consider first and the others), and the four-year økonomiplan per member in the municipal
//! accounts view (docs/MODEL.md §6 "Payments" and §6b). Every figure says which view and which
//! prices it is in; every cell carries its number from the summary in `data-value`.

use std::fmt::Write as _;

use super::Report;
use crate::report::accounts_labels::AccountsLabels;
use crate::report::lang::Lang;
use crate::report::svg::escape;

/// Labels of the budget sections in one language.
#[derive(Debug)]
struct BudgetLabels {
    payments_heading: &'static str,
    /// `{0}`: the key to consider first; `{1}`: the view and unit.
    payments_note: &'static str,
    alone: &'static str,
    to_cooperation: &'static str,
    own: &'static str,
    /// `{0}`: key name.
    difference_under: &'static str,
    plan_heading: &'static str,
    /// `{0}`: key; `{1}`: view and unit; `{2}`: who borrows.
    plan_note: &'static str,
    thousands: &'static str,
    line: &'static str,
}

const EN: BudgetLabels = BudgetLabels {
    payments_heading: "What each member pays, year by year",
    payments_note: "Mean over the draws, {1}, in thousands of kroner. Alone: what the member would pay without the cooperation. Under {0} (the key to consider first): what it pays the cooperation for running and start-up, what it still pays itself, and the difference (alone − in the cooperation; positive is a saving). The last rows give the difference under the other keys.",
    alone: "Would pay alone",
    to_cooperation: "Pays the cooperation",
    own: "Still pays itself",
    difference_under: "Difference under {0}",
    plan_heading: "Four-year plan (økonomiplan)",
    plan_note: "Each member's operating and investment budgets for the first four years under {0}, {1}, whole kroner, mean over the draws; {2}. Depreciation is charged and reversed before the net operating cost (kommuneloven chapter 14). The workbook's four-year plan sheet has every key.",
    thousands: "kNOK",
    line: "Line",
};

const NB: BudgetLabels = BudgetLabels {
    payments_heading: "Hva hver kommune betaler, år for år",
    payments_note: "Gjennomsnitt over trekkene, {1}, i tusen kroner. Alene: hva kommunen ville betalt uten samarbeidet. Med {0} (nøkkelen å se på først): hva den betaler samarbeidet for drift og oppstart, hva den fortsatt betaler selv, og differansen (alene − i samarbeidet; positivt er en besparelse). De siste radene gir differansen med de andre nøklene.",
    alone: "Ville betalt alene",
    to_cooperation: "Betaler samarbeidet",
    own: "Betaler fortsatt selv",
    difference_under: "Differanse med {0}",
    plan_heading: "Økonomiplan (fire år)",
    plan_note: "Hver kommunes drifts- og investeringsbudsjett de fire første årene med {0}, {1}, hele kroner, gjennomsnitt over trekkene; {2}. Avskrivninger føres og nøytraliseres før netto driftsutgift (kommuneloven kapittel 14). Arbeidsbokens økonomiplanark har alle nøklene.",
    thousands: "1000 kr",
    line: "Linje",
};

fn labels(lang: Lang) -> &'static BudgetLabels {
    match lang {
        Lang::En => &EN,
        Lang::Nb => &NB,
    }
}

/// Fills `{0}`, `{1}` … of a label with plain-text arguments, then escapes it.
fn fill_text(template: &str, args: &[&str]) -> String {
    let mut text = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), a);
    }
    escape(&text)
}

impl Report<'_> {
    /// Per-member payments in the cash view under the key to consider first (`first`), with
    /// the difference under every other key.
    pub(super) fn payments(&self, out: &mut String, first: Option<usize>) {
        let (s, lang) = (self.s, self.lang);
        let (b, a) = (labels(lang), AccountsLabels::of(lang));
        let Some(k) = first.or((!s.keys.is_empty()).then_some(0)) else {
            return;
        };
        let key = &s.keys[k];
        let years = &s.yearly.years;
        let unit = a.cash_unit(s.scenario.first_year);
        let _ = writeln!(
            out,
            "<section id=\"payments\" data-view=\"cash\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(b.payments_heading),
            fill_text(b.payments_note, &[&key.name, &unit])
        );
        let head: String = years
            .iter()
            .map(|y| format!("<th class=\"n\">{y}</th>"))
            .collect();
        for (i, m) in key.members.iter().enumerate() {
            let p = &m.yearly_payments;
            let paid: Vec<f64> = (0..years.len())
                .map(|t| p.to_cooperation_running[t] + p.to_cooperation_startup[t])
                .collect();
            let _ = writeln!(
                out,
                "<div style=\"break-inside: avoid\">\n<h3>{}</h3>\n<table class=\"numbers payments\" data-member=\"{}\" data-key=\"{}\">\n\
                 <thead><tr><th>{}</th>{head}</tr></thead>\n<tbody>",
                escape(self.member_name(&m.id)),
                escape(&m.id),
                escape(&key.name),
                escape(b.thousands),
            );
            let diff = fill_text(b.difference_under, &[&key.name]);
            self.kroner_row(
                out,
                "standalone_cost",
                &escape(b.alone),
                &p.standalone_cost,
                1e3,
            );
            self.kroner_row(out, "to_cooperation", &escape(b.to_cooperation), &paid, 1e3);
            self.kroner_row(out, "own_cost", &escape(b.own), &p.own_cost, 1e3);
            self.kroner_row(out, "difference", &diff, &p.difference, 1e3);
            for other in s.keys.iter().filter(|o| o.name != key.name) {
                if let Some(om) = other.members.get(i) {
                    let label = fill_text(b.difference_under, &[&other.name]);
                    let row = format!("difference:{}", escape(&other.name));
                    self.kroner_row(out, &row, &label, &om.yearly_payments.difference, 1e3);
                }
            }
            let _ = writeln!(out, "</tbody></table>\n</div>");
        }
        let _ = writeln!(out, "</section>");
    }

    /// The økonomiplan of every member under the key to consider first, in the municipal
    /// accounts view, whole kroner as in `summary.json`.
    pub(super) fn budget(&self, out: &mut String, first: Option<usize>) {
        let (s, lang) = (self.s, self.lang);
        let (b, a) = (labels(lang), AccountsLabels::of(lang));
        let Some(accounts) = &s.municipal_accounts else {
            return;
        };
        let plan = &accounts.okonomiplan;
        let Some(k) = first.or((!plan.keys.is_empty()).then_some(0)) else {
            return;
        };
        let Some(key) = plan.keys.get(k) else { return };
        let unit = a.accounts_unit(accounts.prices, accounts.price_year);
        let borrower = if accounts.borrower == "members" {
            a.borrowers[1]
        } else {
            a.borrowers[0]
        };
        let _ = writeln!(
            out,
            "<section id=\"budget\" data-view=\"municipal-accounts\" data-prices=\"{}\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            accounts.prices,
            escape(b.plan_heading),
            fill_text(b.plan_note, &[&key.name, &unit, borrower])
        );
        let head: String = plan
            .years
            .iter()
            .map(|y| format!("<th class=\"n\">{y}</th>"))
            .collect();
        for table in &key.members {
            let _ = writeln!(
                out,
                "<div style=\"break-inside: avoid\">\n<h3>{}</h3>\n<table class=\"numbers plan\" data-member=\"{}\" data-key=\"{}\">\n\
                 <thead><tr><th>{}</th>{head}</tr></thead>\n<tbody>",
                escape(self.member_name(&table.id)),
                escape(&table.id),
                escape(&key.name),
                escape(b.line),
            );
            let mut budget = "";
            for row in &table.rows {
                if row.budget != budget {
                    budget = row.budget;
                    let _ = writeln!(
                        out,
                        "<tr class=\"budget\"><th colspan=\"{}\">{}</th></tr>",
                        plan.years.len() + 1,
                        escape(a.budget(row.budget))
                    );
                }
                self.kroner_row(out, row.line, &escape(a.line(row.line)), &row.values, 1.0);
            }
            let _ = writeln!(out, "</tbody></table>\n</div>");
        }
        let _ = writeln!(out, "</section>");
    }

    /// One table row: an escaped label and the values divided by `unit` as whole numbers, each
    /// cell carrying the summary's value in `data-value`.
    fn kroner_row(&self, out: &mut String, id: &str, label: &str, values: &[f64], unit: f64) {
        let cells: String = values
            .iter()
            .map(|v| {
                format!(
                    "<td class=\"n\" data-value=\"{v}\">{}</td>",
                    escape(&self.lang.int(v / unit))
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr data-line=\"{}\"><td>{label}</td>{cells}</tr>",
            escape(id)
        );
    }
}
