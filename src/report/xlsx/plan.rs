//! The workbook's four-year plan sheet (økonomiplan, docs/MODEL.md §6b): one filterable table
//! with a row per key, member and budget line and a column per plan year, whole kroner, the
//! numbers of `summary.json`'s `municipal_accounts.okonomiplan` as they are. Filtering on a key
//! and a member answers "what do we pay in these years under this key, and what would we have
//! paid alone?" without a formula.

use super::{Kind, Sheet, number, text};
use crate::report::accounts_labels::AccountsLabels;
use crate::report::json::SummaryJson;
use crate::report::lang::Lang;

/// The sheet's name, its headers (the years last) and its rows; `None` when the run did not
/// book the accounts.
pub(super) fn sheet(summary: &SummaryJson, lang: Lang) -> Option<Sheet> {
    let l = AccountsLabels::of(lang);
    let a = summary.municipal_accounts.as_ref()?;
    let plan = &a.okonomiplan;
    let mut headers: Vec<String> = l.plan_headers.iter().map(|h| (*h).to_owned()).collect();
    headers.extend(plan.years.iter().map(|y| y.to_string()));
    let unit = l.accounts_unit(a.prices, a.price_year);
    let mut rows = Vec::new();
    for key in &plan.keys {
        for (table, member) in key.members.iter().zip(&summary.members) {
            for row in &table.rows {
                let mut cells = vec![
                    text(&unit),
                    text(&key.name),
                    text(&table.id),
                    text(&member.name),
                    text(l.budget(row.budget)),
                    text(l.line(row.line)),
                ];
                cells.extend(row.values.iter().map(|v| number(*v, Kind::Nok)));
                rows.push(cells);
            }
        }
    }
    Some((l.plan_sheet, headers, rows))
}
