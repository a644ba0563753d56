//! Words of the municipal accounts view and the payments tables, per language: the
//! økonomiplan's line names as a Norwegian finance office writes them, and the phrases that
//! say which view and which prices a figure is in. One struct per language, so none can miss
//! a label.

use super::accounts::PLAN_ROWS;
use super::lang::Lang;

/// Labels of the accounts view in one language.
#[derive(Debug)]
pub struct AccountsLabels {
    /// The økonomiplan's lines, in the order of [`PLAN_ROWS`].
    pub lines: [&'static str; PLAN_ROWS.len()],
    /// The two budgets: operating, investment.
    pub budgets: [&'static str; 2],
    /// The municipal accounts view's name.
    pub accounts_view: &'static str,
    /// The cash view's name.
    pub cash_view: &'static str,
    /// "real, {year} prices": `{year}` is replaced by the price year.
    pub real_prices: &'static str,
    /// Nominal kroner of each year.
    pub nominal_prices: &'static str,
    /// Who borrows: the cooperation, the members.
    pub borrowers: [&'static str; 2],
    /// The økonomiplan sheet's name.
    pub plan_sheet: &'static str,
    /// The økonomiplan sheet's columns before the years: view and prices, key, member id,
    /// member name, budget, line.
    pub plan_headers: [&'static str; 6],
}

const EN: AccountsLabels = AccountsLabels {
    lines: [
        "Payments to the cooperation",
        "Own operating costs",
        "Grants and sales income",
        "Interest",
        "Instalments",
        "VAT not compensated",
        "Charged to fee-financed services (selvkost)",
        "Depreciation",
        "Depreciation reversed",
        "Net operating cost",
        "Net operating cost alone",
        "Difference (alone − cooperation)",
        "Investments",
        "Financed by grants and sales",
        "Financed by borrowing",
    ],
    budgets: ["Operating budget", "Investment budget"],
    accounts_view: "municipal accounts",
    cash_view: "cash view",
    real_prices: "NOK, real {year} prices",
    nominal_prices: "NOK, nominal (each year's prices)",
    borrowers: [
        "the cooperation borrows and recovers interest and instalments through its price",
        "each member borrows its own share of the shared investments",
    ],
    plan_sheet: "Four-year plan",
    plan_headers: ["View and unit", "Key", "Member", "Name", "Budget", "Line"],
};

const NB: AccountsLabels = AccountsLabels {
    lines: [
        "Betaling til samarbeidet",
        "Egne driftsutgifter",
        "Tilskudd og salgsinntekter",
        "Renteutgifter",
        "Avdrag",
        "Ikke kompensert merverdiavgift",
        "Belastet gebyrfinansierte tjenester (selvkost)",
        "Avskrivninger",
        "Motpost avskrivninger",
        "Netto driftsutgift",
        "Netto driftsutgift uten samarbeid",
        "Differanse (alene − samarbeid)",
        "Investeringer",
        "Finansiert med tilskudd og salg",
        "Finansiert med lån",
    ],
    budgets: ["Driftsbudsjett", "Investeringsbudsjett"],
    accounts_view: "kommuneregnskap",
    cash_view: "kontantstrøm",
    real_prices: "kr, faste {year}-priser",
    nominal_prices: "kr, løpende priser",
    borrowers: [
        "samarbeidet låner og tar renter og avdrag inn gjennom prisen",
        "hver deltaker låner sin egen andel av de felles investeringene",
    ],
    plan_sheet: "Økonomiplan",
    plan_headers: [
        "Visning og enhet",
        "Nøkkel",
        "Kommune",
        "Navn",
        "Budsjett",
        "Linje",
    ],
};

impl AccountsLabels {
    /// The labels of `lang`.
    pub fn of(lang: Lang) -> &'static AccountsLabels {
        match lang {
            Lang::En => &EN,
            Lang::Nb => &NB,
        }
    }

    /// The label of a plan line by its identifier.
    pub fn line(&self, id: &str) -> &'static str {
        PLAN_ROWS
            .iter()
            .position(|(_, l)| *l == id)
            .map_or("", |i| self.lines[i])
    }

    /// The label of a budget by its identifier (`operating`, `investment`).
    pub fn budget(&self, id: &str) -> &'static str {
        if id == "investment" {
            self.budgets[1]
        } else {
            self.budgets[0]
        }
    }

    /// The prices phrase: real in `year`'s prices, or nominal.
    pub fn prices(&self, prices: &str, year: i32) -> String {
        if prices == "nominal" {
            self.nominal_prices.to_owned()
        } else {
            self.real_prices.replace("{year}", &year.to_string())
        }
    }

    /// "municipal accounts, NOK, real 2026 prices": the view and unit of an accounts figure.
    pub fn accounts_unit(&self, prices: &str, year: i32) -> String {
        format!("{}, {}", self.accounts_view, self.prices(prices, year))
    }

    /// "cash view, NOK, real 2026 prices": the view and unit of a cash figure.
    pub fn cash_unit(&self, year: i32) -> String {
        format!("{}, {}", self.cash_view, self.prices("real", year))
    }
}
