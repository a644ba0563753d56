//! The budget figures of the case summary and the member pages: under the key to consider
//! first, each member's net operating cost for ICT in the økonomiplan's first year and over its
//! four years beside what it would be alone, in the municipal accounts view (docs/MODEL.md §6b),
//! whole kroner as in `summary.json`'s `municipal_accounts.okonomiplan`.

use std::fmt::Write as _;

use super::Report;
use crate::report::accounts_labels::AccountsLabels;
use crate::report::lang::Lang;
use crate::report::svg::escape;

/// A member's plan figures: (first year in the cooperation, first year alone, plan years in
/// the cooperation, plan years alone), NOK.
struct Figures {
    first: f64,
    first_alone: f64,
    all: f64,
    all_alone: f64,
}

struct Words {
    /// `{0}` member, `{1}` key, `{2}` first year, `{3}` amount, `{4}` alone, `{5}` years,
    /// `{6}` amount over the years, `{7}` alone over the years, `{8}` view and unit.
    sentence: &'static str,
    heading: &'static str,
    /// `{0}` key, `{1}` view and unit.
    note: &'static str,
    columns: [&'static str; 5],
}

const EN: Words = Words {
    sentence: "In the budget ({8}): under {1}, {0}'s net operating cost for ICT is {3} in {2} (alone {4}) and {6} over {5} (alone {7}).",
    heading: "What the budgets bear",
    note: "Net operating cost for ICT under {0}, {1}, mean over the outcomes; alone: without the cooperation.",
    columns: ["Municipality", "First year", "Alone", "Four years", "Alone"],
};

const NB: Words = Words {
    sentence: "I budsjettet ({8}): med {1} er netto driftsutgift til IKT for {0} {3} i {2} (alene {4}) og {6} i {5} (alene {7}).",
    heading: "Hva budsjettene bærer",
    note: "Netto driftsutgift til IKT med {0}, {1}, gjennomsnitt over utfallene; alene: uten samarbeidet.",
    columns: ["Kommune", "Første år", "Alene", "Fire år", "Alene"],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Nb => &NB,
    }
}

fn fill(template: &str, args: &[String]) -> String {
    let mut text = template.to_owned();
    for (i, a) in args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), a);
    }
    text
}

impl Report<'_> {
    /// Member `i`'s figures under key `k`, when the run booked the accounts.
    fn plan_figures(&self, k: usize, i: usize) -> Option<(Figures, Vec<i32>)> {
        let a = self.s.municipal_accounts.as_ref()?;
        let plan = &a.okonomiplan;
        let table = plan.keys.get(k)?.members.get(i)?;
        let row = |line: &str| {
            table
                .rows
                .iter()
                .find(|r| r.line == line)
                .map(|r| r.values.clone())
        };
        let (coop, alone) = (row("net_operating_cost")?, row("net_operating_cost_alone")?);
        let figures = Figures {
            first: *coop.first()?,
            first_alone: *alone.first()?,
            all: coop.iter().sum(),
            all_alone: alone.iter().sum(),
        };
        Some((figures, plan.years.clone()))
    }

    fn view_unit(&self) -> String {
        let a = self.s.municipal_accounts.as_ref();
        let l = AccountsLabels::of(self.lang);
        a.map_or_else(String::new, |a| l.accounts_unit(a.prices, a.price_year))
    }

    fn years_text(years: &[i32]) -> String {
        match (years.first(), years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        }
    }

    /// The member page's sentence (empty without the accounts).
    pub(super) fn member_budget_sentence(&self, out: &mut String, k: usize, i: usize) {
        let Some((f, years)) = self.plan_figures(k, i) else {
            return;
        };
        let (s, lang) = (self.s, self.lang);
        let text = fill(
            words(lang).sentence,
            &[
                s.members[i].name.clone(),
                s.keys[k].name.clone(),
                years.first().map_or(String::new(), i32::to_string),
                lang.nok(f.first),
                lang.nok(f.first_alone),
                Self::years_text(&years),
                lang.nok(f.all),
                lang.nok(f.all_alone),
                self.view_unit(),
            ],
        );
        let _ = writeln!(
            out,
            "<p data-budget-first=\"{}\" data-budget-first-alone=\"{}\" data-budget-plan=\"{}\" data-budget-plan-alone=\"{}\">{}</p>",
            f.first,
            f.first_alone,
            f.all,
            f.all_alone,
            escape(&text)
        );
    }

    /// The case summary's table of every member's figures under key `k`.
    pub(super) fn case_budget_table(&self, out: &mut String, k: usize) {
        let (s, lang, w) = (self.s, self.lang, words(self.lang));
        let rows: Vec<(usize, Figures)> = (0..s.members.len())
            .filter_map(|i| self.plan_figures(k, i).map(|(f, _)| (i, f)))
            .collect();
        let Some((_, years)) = self.plan_figures(k, 0) else {
            return;
        };
        let head = [
            w.columns[0].to_owned(),
            format!("{} ({})", w.columns[1], years.first().copied().unwrap_or(0)),
            w.columns[2].to_owned(),
            format!("{} ({})", w.columns[3], Self::years_text(&years)),
            w.columns[4].to_owned(),
        ];
        let _ = writeln!(
            out,
            "<section id=\"budget\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n<thead><tr>{}</tr></thead>\n<tbody>",
            escape(w.heading),
            escape(&fill(w.note, &[s.keys[k].name.clone(), self.view_unit()])),
            head.iter()
                .enumerate()
                .map(|(c, h)| {
                    let class = if c == 0 { "" } else { " class=\"n\"" };
                    format!("<th{class}>{}</th>", escape(h))
                })
                .collect::<String>()
        );
        for (i, f) in rows {
            let cells: String = [f.first, f.first_alone, f.all, f.all_alone]
                .iter()
                .map(|v| {
                    format!(
                        "<td class=\"n\" data-value=\"{v}\">{}</td>",
                        escape(&lang.int(*v))
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr data-budget-member=\"{}\"><td>{}</td>{cells}</tr>",
                escape(&s.members[i].id),
                escape(&s.members[i].name)
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}
