//! The notes a scenario workbook carries in its header cells, in English and Norwegian.

use crate::scenario::StarterLang;

/// What a sheet holds and how its rows are read.
pub fn sheet(name: &str, lang: StarterLang) -> &'static str {
    let nb = lang == StarterLang::Nb;
    match (name, nb) {
        ("scenario", false) => {
            "The scenario's settings: one field per row (name, first_year, horizon_years, discount_rate, organisation.model, transition.…, assets.…, drivers.…). Leave a value empty to use the documented default (docs/MODEL.md)."
        }
        ("scenario", true) => {
            "Scenarioets innstillinger: ett felt per rad (name, first_year, horizon_years, discount_rate, organisation.model, transition.…, assets.…, drivers.…). La en verdi stå tom for å bruke den dokumenterte standardverdien (docs/MODEL.md)."
        }
        ("members", false) => {
            "One row per member municipality: id is the kommunenummer (four digits). Fill drivers.… with your own figures (e.g. drivers.users = ICT users); an empty cell uses the per-inhabitant default of the scenario sheet."
        }
        ("members", true) => {
            "Én rad per medlemskommune: id er kommunenummeret (fire sifre). Fyll drivers.… med egne tall (f.eks. drivers.users = IKT-brukere); en tom celle bruker standardverdien per innbygger fra arket scenario."
        }
        ("inputs", false) => {
            "The uncertain inputs: one per name. Choose dist (triangular: min, mode, max; pert: min, mode, max; fixed: value; …) and fill its columns; unit and source say what the figure is and where it comes from."
        }
        ("inputs", true) => {
            "De usikre inngangsverdiene: én per navn. Velg dist (triangular: min, mode, max; pert: min, mode, max; fixed: value; …) og fyll kolonnene; unit og source sier hva tallet er og hvor det kommer fra."
        }
        ("correlations", false) => {
            "Rank correlations between uncertain inputs: one entry per #n, with parameters (a TOML list in the toml column) and spearman."
        }
        ("correlations", true) => {
            "Rangkorrelasjoner mellom usikre inngangsverdier: én per #n, med parameters (en TOML-liste i kolonnen toml) og spearman."
        }
        ("components", false) => {
            "Cost components (IT staff, infrastructure, licences, purchasing): rows with the same name make one component, one field per row; a field with dist filled is uncertain."
        }
        ("components", true) => {
            "Kostnadskomponenter (IT-personell, infrastruktur, lisenser, innkjøp): rader med samme name utgjør én komponent, ett felt per rad; et felt med dist utfylt er usikkert."
        }
        ("lines", false) => {
            "Direct cost and benefit lines (projects, savings you know): rows with the same name make one line."
        }
        ("lines", true) => {
            "Direkte kostnads- og gevinstlinjer (prosjekter, kjente besparelser): rader med samme name utgjør én linje."
        }
        ("keys", false) => {
            "The cost-allocation keys to compare: rows with the same name make one key (rule: equal, proportional, hybrid, fixed, shapley …)."
        }
        (_, true) => {
            "Fordelingsnøklene som sammenlignes: rader med samme name utgjør én nøkkel (rule: equal, proportional, hybrid, fixed, shapley …)."
        }
        (_, false) => "The cost-allocation keys to compare: rows with the same name make one key.",
    }
}

/// What a column of the row sheets holds.
pub fn column(name: &str, lang: StarterLang) -> &'static str {
    let nb = lang == StarterLang::Nb;
    match (name, nb) {
        ("name", false) => {
            "The entry's name. Rows with the same name belong together; an empty name continues the entry above. #1, #2 … label entries without a name."
        }
        ("name", true) => {
            "Navnet på oppføringen. Rader med samme navn hører sammen; et tomt navn fortsetter oppføringen over. #1, #2 … merker oppføringer uten navn."
        }
        ("field", false) => {
            "The field, as in the TOML scenario (e.g. critical_mass, connections.unit_cost, per.users). Empty on the inputs sheet for the input itself."
        }
        ("field", true) => {
            "Feltet, som i TOML-scenarioet (f.eks. critical_mass, connections.unit_cost, per.users). Tomt på arket inputs for selve inngangsverdien."
        }
        ("value", false) => {
            "A number, a text (a name, or an expression such as startup_per_user * overrun) or TRUE/FALSE; with dist = fixed, the fixed value. Rates are fractions: 0.15 = 15 %."
        }
        ("value", true) => {
            "Et tall, en tekst (et navn eller et uttrykk som startup_per_user * overrun) eller SANN/USANN; med dist = fixed den faste verdien. Satser er brøker: 0,15 = 15 %."
        }
        ("dist", false) => {
            "Distribution of an uncertain field: fixed, uniform, triangular, pert, normal, lognormal, discrete, overrun (docs/MODEL.md §7)."
        }
        ("dist", true) => {
            "Fordelingen til et usikkert felt: fixed, uniform, triangular, pert, normal, lognormal, discrete, overrun (docs/MODEL.md §7)."
        }
        ("min", false) => "Lowest value (uniform, triangular, pert; truncation for normal).",
        ("min", true) => "Laveste verdi (uniform, triangular, pert; avkutting for normal).",
        ("mode", false) => "Most likely value (triangular, pert).",
        ("mode", true) => "Mest sannsynlige verdi (triangular, pert).",
        ("max", false) => "Highest value (uniform, triangular, pert; truncation for normal).",
        ("max", true) => "Høyeste verdi (uniform, triangular, pert; avkutting for normal).",
        ("shape", false) => "PERT shape (default 4).",
        ("shape", true) => "PERT-form (standard 4).",
        ("mean", false) | ("sd", false) => "Mean and standard deviation (normal; or lognormal).",
        ("mean", true) | ("sd", true) => "Gjennomsnitt og standardavvik (normal; eller lognormal).",
        ("median", false) | ("p90", false) => "Median and 90th percentile (lognormal).",
        ("median", true) | ("p90", true) => "Median og 90-persentil (lognormal).",
        ("tail_probability", false) | ("tail_start", false) | ("alpha", false) | ("cap", false) => {
            "Overrun factor: probability of the Pareto tail, where it starts, its exponent and the cap (docs/MODEL.md §7)."
        }
        (_, true) if ["tail_probability", "tail_start", "alpha", "cap"].contains(&name) => {
            "Overskridelsesfaktor: sannsynligheten for Pareto-halen, hvor den starter, eksponenten og taket (docs/MODEL.md §7)."
        }
        ("unit", false) => "Unit of the figure (e.g. NOK/user/yr).",
        ("unit", true) => "Enheten til tallet (f.eks. kr/bruker/år).",
        ("source", false) => {
            "Where the figure comes from (report, accounts, law), or [assumption]."
        }
        ("source", true) => "Hvor tallet kommer fra (rapport, regnskap, lov), eller [antakelse].",
        ("note", false) => "A note shown with the figure.",
        ("note", true) => "En merknad som vises med tallet.",
        ("toml", false) => {
            "Any value in TOML syntax, for what a cell cannot hold: a list such as [\"a\", \"b\"] or licence tiers. Leave value empty when this is filled."
        }
        ("toml", true) => {
            "En verdi i TOML-syntaks, for det en celle ikke kan holde: en liste som [\"a\", \"b\"] eller lisenstrinn. La value stå tom når denne er fylt."
        }
        (_, false) => "",
        (_, true) => "",
    }
}

/// What a column of the members sheet holds.
pub fn member_column(path: &str, lang: StarterLang) -> String {
    let nb = lang == StarterLang::Nb;
    match (path, nb) {
        ("id", false) => "Kommunenummer (four digits, e.g. 1517).".to_owned(),
        ("id", true) => "Kommunenummer (fire sifre, f.eks. 1517).".to_owned(),
        ("name", false) => "Name (from Statistics Norway's table when empty).".to_owned(),
        ("name", true) => "Navn (fra SSBs tabell når tomt).".to_owned(),
        ("population", false) => {
            "Inhabitants (1 January 2024 from Statistics Norway's table when empty).".to_owned()
        }
        ("population", true) => "Innbyggere (1. januar 2024 fra SSBs tabell når tomt).".to_owned(),
        ("payroll_zone", false) => {
            "Payroll tax zone of the member: I, Ia, II, III, IV, IVa or V (2026 rates, docs/MODEL.md §4a); empty: the scenario's `payroll_zone`, default I."
                .to_owned()
        }
        ("payroll_zone", true) => {
            "Arbeidsgiveravgiftssone for medlemmet: I, Ia, II, III, IV, IVa eller V (satser for 2026, docs/MODEL.md §4a); tom: scenarioets `payroll_zone`, standard I."
                .to_owned()
        }
        (driver, false) => format!(
            "The member's own figure for {}; empty: the per-inhabitant default.",
            driver.trim_start_matches("drivers.")
        ),
        (driver, true) => format!(
            "Medlemmets eget tall for {}; tomt: standardverdien per innbygger.",
            driver.trim_start_matches("drivers.")
        ),
    }
}
