//! The workbook's words per language: sheet names, column headers and summary rows.

use crate::report::lang::Lang;

/// Labels of the workbook in one language: sheet names, column headers and the row labels of
/// the summary sheet. Table headers are arrays in column order, so every language names every
/// column.
#[derive(Debug)]
pub struct XlsxLabels {
    /// Sheet names: summary, keys, members, yearly flows, assumptions.
    pub sheets: [&'static str; 5],
    /// Columns of the summary sheet: item, value.
    pub summary_headers: [&'static str; 2],
    /// Columns of the keys sheet.
    pub keys_headers: [&'static str; 11],
    /// Columns of the members sheet.
    pub members_headers: [&'static str; 20],
    /// Columns of the yearly flows sheet.
    pub yearly_headers: [&'static str; 17],
    /// Columns of the assumptions sheet.
    pub assumptions_headers: [&'static str; 9],
    /// Summary rows about the scenario: name, first year, last year, shared operation from,
    /// draws, seed, sampling method, real discount rate.
    pub scenario_rows: [&'static str; 8],
    /// Names of the sampling methods: Monte Carlo, Latin hypercube, Sobol'.
    pub sampling_names: [&'static str; 3],
    /// Summary rows about the region: NPV mean, its standard error, whether the draws establish
    /// its sign, P10, P50, P90, CVaR10, probability of gaining, start-up cost NPV, NPV per
    /// invested krone.
    pub region_rows: [&'static str; 10],
    /// Heading of the verdicts, one per key.
    pub verdicts: &'static str,
    /// Heading of the provenance block.
    pub provenance: &'static str,
    /// Provenance rows: samkost version, scenario hash, seed, draws, sampling, quantile method,
    /// stability draws, band draws.
    pub provenance_rows: [&'static str; 8],
    /// Heading of the precision block, then its rows: measure, target, achieved, reached.
    pub precision_rows: [&'static str; 5],
    /// Heading of the warnings block.
    pub warnings: &'static str,
    /// Written under the warnings heading when there are none.
    pub no_warnings: &'static str,
    /// The region in the member column of the yearly flows.
    pub region: &'static str,
    /// A payback year beyond the horizon.
    pub not_within_horizon: &'static str,
}

impl XlsxLabels {
    /// The labels of `lang`.
    pub fn of(lang: Lang) -> &'static XlsxLabels {
        match lang {
            Lang::En => &Self::EN,
            Lang::Nb => &Self::NB,
        }
    }

    const EN: XlsxLabels = XlsxLabels {
        sheets: ["Summary", "Keys", "Members", "Yearly flows", "Assumptions"],
        summary_headers: ["Item", "Value"],
        keys_headers: [
            "Key",
            "P(all members gain)",
            "Standard error of P(all members gain)",
            "P(no group better alone)",
            "Group most often better alone",
            "Its member ids",
            "P(that group better alone)",
            "Highest / lowest cost per inhabitant",
            "Above the burden threshold",
            "Rule",
            "Note",
        ],
        members_headers: [
            "Key",
            "Member id",
            "Member",
            "Population",
            "Share of pooled cost, first operating year",
            "Standard error of the share",
            "Cost per inhabitant per year (NOK)",
            "P(gain)",
            "Standard error of P(gain)",
            "P(loss)",
            "NPV of net benefit, mean (NOK)",
            "Standard error of the mean (NOK)",
            "Sign of the mean established",
            "NPV P10 (NOK)",
            "NPV P50 (NOK)",
            "NPV P90 (NOK)",
            "CVaR10: mean of the worst 10 % (NOK)",
            "Payback year P10",
            "Payback year P50",
            "Payback year P90",
        ],
        yearly_headers: [
            "Year",
            "Key",
            "Member id",
            "Member",
            "Standalone cost, mean (NOK)",
            "Cooperation cost, mean (NOK)",
            "Net benefit, cash view, mean (NOK)",
            "Net benefit, budget view, mean (NOK)",
            "P(cumulative NPV > 0)",
            "Cumulative NPV P10 (NOK)",
            "Cumulative NPV P50 (NOK)",
            "Cumulative NPV P90 (NOK)",
            "Paid to the cooperation, running, mean (NOK)",
            "Paid to the cooperation, start-up, mean (NOK)",
            "Own cost in the cooperation, mean (NOK)",
            "Billed by the price list, mean (NOK)",
            "Year-end settlement, mean (NOK)",
        ],
        assumptions_headers: [
            "Assumption",
            "Name in the scenario",
            "Distribution",
            "Mean",
            "P10",
            "P50",
            "P90",
            "Share of the mean from the fat tail",
            "Source",
        ],
        scenario_rows: [
            "Scenario",
            "First year",
            "Last year",
            "Shared operation from",
            "Draws",
            "Seed",
            "Sampling method",
            "Real discount rate",
        ],
        sampling_names: ["Monte Carlo", "Latin hypercube", "Sobol'"],
        region_rows: [
            "Region: NPV of net benefit, mean (NOK)",
            "Region: standard error of the mean (NOK)",
            "Region: sign of the mean established",
            "Region: NPV P10 (NOK)",
            "Region: NPV P50 (NOK)",
            "Region: NPV P90 (NOK)",
            "Region: CVaR10, mean of the worst 10 % (NOK)",
            "Probability that the region gains",
            "Start-up costs, NPV (NOK)",
            "Region's NPV per krone of start-up cost",
        ],
        verdicts: "Verdict per key",
        provenance: "Provenance",
        provenance_rows: [
            "samkost version",
            "Scenario hash",
            "Seed",
            "Draws",
            "Sampling",
            "Quantiles",
            "Draws checked for stability",
            "Draws behind the members' bands",
        ],
        precision_rows: [
            "Precision",
            "Measure",
            "Target 95 % half-width",
            "Achieved 95 % half-width",
            "Target reached",
        ],
        warnings: "Warnings",
        no_warnings: "none",
        region: "Region",
        not_within_horizon: "not within the horizon",
    };

    const NB: XlsxLabels = XlsxLabels {
        sheets: [
            "Sammendrag",
            "Fordelingsnøkler",
            "Kommuner",
            "Årlige beløp",
            "Forutsetninger",
        ],
        summary_headers: ["Post", "Verdi"],
        keys_headers: [
            "Fordelingsnøkkel",
            "Sannsynlighet for at alle tjener på samarbeidet",
            "Standardfeil, sannsynlighet for at alle tjener på samarbeidet",
            "Sannsynlighet for at ingen gruppe tjener på å gå ut",
            "Gruppe som oftest tjener på å gå ut",
            "Gruppens kommunenumre",
            "Sannsynlighet for at gruppen tjener på å gå ut",
            "Høyeste / laveste kostnad per innbygger",
            "Over terskelen for skjev belastning",
            "Regel",
            "Merknad",
        ],
        members_headers: [
            "Fordelingsnøkkel",
            "Kommunenummer",
            "Kommune",
            "Innbyggere",
            "Andel av felles kostnad, første driftsår",
            "Standardfeil for andelen",
            "Kostnad per innbygger per år (kr)",
            "Sannsynlighet for gevinst",
            "Standardfeil, sannsynlighet for gevinst",
            "Sannsynlighet for tap",
            "Netto nåverdi, gjennomsnitt (kr)",
            "Standardfeil for gjennomsnittet (kr)",
            "Gjennomsnittets fortegn fastslått",
            "Netto nåverdi P10 (kr)",
            "Netto nåverdi P50 (kr)",
            "Netto nåverdi P90 (kr)",
            "CVaR10: gjennomsnitt av de 10 % dårligste (kr)",
            "Tilbakebetalingsår P10",
            "Tilbakebetalingsår P50",
            "Tilbakebetalingsår P90",
        ],
        yearly_headers: [
            "År",
            "Fordelingsnøkkel",
            "Kommunenummer",
            "Kommune",
            "Kostnad alene, forventet (kr)",
            "Kostnad i samarbeid, forventet (kr)",
            "Netto gevinst, kontantstrøm, forventet (kr)",
            "Netto gevinst, budsjettvirkning, forventet (kr)",
            "Sannsynlighet for positiv akkumulert nåverdi",
            "Akkumulert netto nåverdi P10 (kr)",
            "Akkumulert netto nåverdi P50 (kr)",
            "Akkumulert netto nåverdi P90 (kr)",
            "Betalt til samarbeidet, drift, forventet (kr)",
            "Betalt til samarbeidet, oppstart, forventet (kr)",
            "Egne kostnader i samarbeidet, forventet (kr)",
            "Fakturert etter prisliste, forventet (kr)",
            "Avregning ved årsslutt, forventet (kr)",
        ],
        assumptions_headers: [
            "Forutsetning",
            "Navn i scenarioet",
            "Sannsynlighetsfordeling",
            "Forventningsverdi",
            "P10",
            "P50",
            "P90",
            "Andel av forventningsverdien fra den tunge halen",
            "Kilde",
        ],
        scenario_rows: [
            "Scenario",
            "Første år",
            "Siste år",
            "Felles drift fra",
            "Antall trekninger",
            "Startverdi (seed)",
            "Utvalgsmetode",
            "Reell kalkulasjonsrente",
        ],
        sampling_names: ["Monte Carlo", "Latinsk hyperkube", "Sobol'"],
        region_rows: [
            "Regionen: netto nåverdi, gjennomsnitt (kr)",
            "Regionen: standardfeil for gjennomsnittet (kr)",
            "Regionen: gjennomsnittets fortegn fastslått",
            "Regionen: netto nåverdi P10 (kr)",
            "Regionen: netto nåverdi P50 (kr)",
            "Regionen: netto nåverdi P90 (kr)",
            "Regionen: CVaR10, gjennomsnitt av de 10 % dårligste (kr)",
            "Sannsynlighet for at regionen tjener på samarbeidet",
            "Omstillingskostnader, nåverdi (kr)",
            "Regionens netto nåverdi per krone i omstillingskostnad",
        ],
        verdicts: "Vurdering per fordelingsnøkkel",
        provenance: "Sporbarhet",
        provenance_rows: [
            "samkost-versjon",
            "Sjekksum for scenariet",
            "Startverdi (seed)",
            "Antall trekninger",
            "Utvalgsmetode",
            "Kvantiler",
            "Trekninger kontrollert for stabilitet",
            "Trekninger bak kommunenes usikkerhetsbånd",
        ],
        precision_rows: [
            "Presisjon",
            "Mål",
            "Ønsket halv bredde (95 %)",
            "Oppnådd halv bredde (95 %)",
            "Målet nådd",
        ],
        warnings: "Advarsler",
        no_warnings: "ingen",
        region: "Regionen",
        not_within_horizon: "ikke innen analyseperioden",
    };
}
