//! Languages of the human-readable outputs (terminal table, HTML report, Excel workbook):
//! number formatting and the sentences shared by those outputs.
//!
//! English uses `1,234,567`, `1.29`, `87 %` and `NOK`; Norwegian Bokmål follows Språkrådet's
//! rules: a no-break space between groups of three digits (`1 234 567`), a decimal comma
//! (`1,29`), a space before the percent sign (`87 %`) and `kr` after the amount. Identifiers
//! (member ids, key names, JSON and CSV fields) are the same in both languages.
//!
//! Every output keeps its labels in one struct per language (`Labels` here, and one per output
//! module), so a language cannot leave a label out: the compiler insists on every field.

use std::fmt::Write as _;

use super::json::{KeyJson, RuleJson, SummaryJson};

/// No-break space: Norwegian digit groups and the space before `%` and `kr`.
pub const NBSP: char = '\u{a0}';

/// The language of the human-readable outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Norwegian Bokmål.
    Nb,
}

impl Lang {
    /// ISO 639-1 code, as in `<html lang="…">`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }

    /// A whole number with digit groups: `1,234,567` or `1 234 567`.
    pub fn int(self, value: f64) -> String {
        super::format::group_thousands(
            value,
            match self {
                Lang::En => ',',
                Lang::Nb => NBSP,
            },
        )
    }

    /// An amount in kroner: `1,234,567 NOK` or `1 234 567 kr`.
    pub fn nok(self, value: f64) -> String {
        match self {
            Lang::En => format!("{} NOK", self.int(value)),
            Lang::Nb => format!("{}{NBSP}kr", self.int(value)),
        }
    }

    /// A number with `digits` decimals: `1.29` or `1,29` (digit groups in the whole part).
    pub fn decimal(self, value: f64, digits: usize) -> String {
        let text = format!("{:.digits$}", value.abs());
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        let whole: f64 = whole.parse().unwrap_or(0.0);
        let mut out = self.int(whole);
        if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out = format!("−{}", out.trim_start_matches('−'));
        }
        if !frac.is_empty() {
            out.push(match self {
                Lang::En => '.',
                Lang::Nb => ',',
            });
            out.push_str(frac);
        }
        out
    }

    /// A probability as a whole percentage (`87 %`), with `<1 %` and `>99 %` rather than a
    /// rounded certainty that the draws do not support.
    pub fn percent(self, p: f64) -> String {
        let sp = self.space();
        let pct = p * 100.0;
        if pct > 0.0 && pct < 0.5 {
            format!("<1{sp}%")
        } else if pct < 100.0 && pct > 99.5 {
            format!(">99{sp}%")
        } else {
            format!("{}{sp}%", self.decimal(pct, 0))
        }
    }

    /// A percentage with one decimal (`4.0 %`, `4,0 %`), e.g. a discount rate or a share.
    pub fn percent1(self, p: f64) -> String {
        format!("{}{}%", self.decimal(p * 100.0, 1), self.space())
    }

    /// The space before a unit: a plain space in English, a no-break space in Norwegian.
    fn space(self) -> char {
        match self {
            Lang::En => ' ',
            Lang::Nb => NBSP,
        }
    }

    /// Joins names as a list: `A, B and C` or `A, B og C`.
    pub fn list(self, items: &[&str]) -> String {
        let and = match self {
            Lang::En => "and",
            Lang::Nb => "og",
        };
        match items {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
        }
    }

    /// This language's shared labels.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Nb => &NB,
        }
    }
}

/// Labels shared by the terminal table, the report and the workbook.
#[derive(Debug)]
pub struct Labels {
    /// "draws".
    pub draws: &'static str,
    /// "seed".
    pub seed: &'static str,
    /// "shared operation from".
    pub operation_from: &'static str,
    /// "real discount rate".
    pub discount_rate: &'static str,
    /// "Region".
    pub region: &'static str,
    /// "NPV of net benefit".
    pub npv_net_benefit: &'static str,
    /// "not established".
    pub not_established: &'static str,
    /// "the region gains in {} of draws" (before and after the percentage).
    pub region_gains: (&'static str, &'static str),
    /// "Overrun factor".
    pub overrun_factor: &'static str,
    /// "mean".
    pub mean: &'static str,
    /// "of the expected factor comes from its fat tail".
    pub tail_share: &'static str,
    /// Heading of the member table.
    pub member_table_heading: &'static str,
    /// "member".
    pub member: &'static str,
    /// "pop." (population, short).
    pub population_short: &'static str,
    /// "population".
    pub population: &'static str,
    /// "all members gain".
    pub all_gain: &'static str,
    /// "no group better alone".
    pub no_group_better_alone: &'static str,
    /// Heading of the terminal's lines on leaving in later years.
    pub leaving_heading: &'static str,
    /// Heading of the cost-per-inhabitant block.
    pub per_inhabitant_heading: &'static str,
    /// "highest / lowest".
    pub highest_lowest: &'static str,
    /// Verdict: "all members gain with {} probability".
    pub verdict_all_gain: (&'static str, &'static str),
    /// Verdict: "{name} loses in {} of draws".
    pub verdict_loses: (&'static str, &'static str),
    /// Verdict: "{group} would do better alone in {} of draws".
    pub verdict_breakaway: (&'static str, &'static str),
    /// "all members except".
    pub all_except: &'static str,
    /// "and {n} more" (before and after the count).
    pub and_more: (&'static str, &'static str),
}

const EN: Labels = Labels {
    draws: "draws",
    seed: "seed",
    operation_from: "shared operation from",
    discount_rate: "real discount rate",
    region: "Region",
    npv_net_benefit: "NPV of net benefit",
    not_established: "not established",
    region_gains: ("the region gains in ", " of draws"),
    overrun_factor: "Overrun factor",
    mean: "mean",
    tail_share: "of the expected factor comes from its fat tail",
    member_table_heading: "NPV of net benefit per member, median in kNOK [probability of gaining]:",
    member: "member",
    population_short: "pop.",
    population: "population",
    all_gain: "all members gain",
    no_group_better_alone: "no group better alone",
    leaving_heading: "Would a member or group gain by leaving in a later year (paying for its restart and settling its share of the assets)?",
    per_inhabitant_heading: "Cost per inhabitant per year in the cooperation, NOK (mean over operating years):",
    highest_lowest: "highest / lowest",
    verdict_all_gain: ("all members gain with ", " probability"),
    verdict_loses: (" loses in ", " of draws"),
    verdict_breakaway: (" would do better alone in ", " of draws"),
    all_except: "all members except",
    and_more: (" and ", " more"),
};

const NB: Labels = Labels {
    draws: "trekninger",
    seed: "startverdi",
    operation_from: "felles drift fra",
    discount_rate: "reell kalkulasjonsrente",
    region: "Regionen",
    npv_net_benefit: "netto nåverdi av gevinsten",
    not_established: "ikke fastslått",
    region_gains: ("regionen tjener på samarbeidet i ", " av trekningene"),
    overrun_factor: "Overskridelsesfaktor",
    mean: "gjennomsnitt",
    tail_share: "av forventet faktor kommer fra den tunge halen",
    member_table_heading: "Netto nåverdi av gevinsten per kommune, median i 1000 kr [sannsynlighet for gevinst]:",
    member: "kommune",
    population_short: "innb.",
    population: "innbyggere",
    all_gain: "alle tjener på det",
    no_group_better_alone: "ingen gruppe tjener på å gå ut",
    leaving_heading: "Ville en kommune eller gruppe tjene på å gå ut et senere år (med egen oppstart og oppgjør for sin del av eiendelene)?",
    per_inhabitant_heading: "Kostnad per innbygger per år i samarbeidet, kr (gjennomsnitt over driftsårene):",
    highest_lowest: "høyeste / laveste",
    verdict_all_gain: ("alle tjener på samarbeidet med ", " sannsynlighet"),
    verdict_loses: (" taper i ", " av trekningene"),
    verdict_breakaway: (" ville klart seg bedre alene i ", " av trekningene"),
    all_except: "alle unntatt",
    and_more: (" og ", " til"),
};

/// What a key does, in words: "30 % equal, 70 % by population", "Shapley value (…)", with
/// the start-up rule when it differs ("…; start-up costs: by population").
pub fn describe_key(key: &KeyJson, lang: Lang) -> String {
    let running = describe_running(key, lang);
    match &key.startup_rule {
        Some(startup) => format!(
            "{running}; {} {}",
            match lang {
                Lang::En => "start-up costs:",
                Lang::Nb => "oppstartskostnader:",
            },
            describe_rule(startup, lang)
        ),
        None => running,
    }
}

/// The running rule in words; a key per component names each component's rule and then the
/// rest's: "per service — IT staff: by users; Licences: equal split; the rest: 30 % equal, 70 %
/// by population".
fn describe_running(key: &KeyJson, lang: Lang) -> String {
    let default = describe_rule(&key.rule, lang);
    if key.components.is_empty() {
        return default;
    }
    let parts: Vec<String> = key
        .components
        .iter()
        .map(|c| format!("{}: {}", c.name(), describe_rule(&c.rule, lang)))
        .collect();
    match lang {
        Lang::En => format!("per service — {}; the rest: {default}", parts.join("; ")),
        Lang::Nb => format!("per tjeneste — {}; resten: {default}", parts.join("; ")),
    }
}

/// One rule in words; a rule on a driver given by year says that its shares change each year.
fn describe_rule(rule: &RuleJson, lang: Lang) -> String {
    let text = describe_rule_kind(rule, lang);
    match (rule.by_year, lang) {
        (false, _) => text,
        (true, Lang::En) => format!("{text}, year by year"),
        (true, Lang::Nb) => format!("{text}, år for år"),
    }
}

/// One rule's kind in words.
fn describe_rule_kind(rule: &RuleJson, lang: Lang) -> String {
    let by = |driver: &Option<String>| -> String {
        let d = driver.as_deref().unwrap_or("?");
        match (lang, d) {
            (Lang::En, d) => format!("by {d}"),
            (Lang::Nb, "population") => "etter innbyggertall".to_owned(),
            (Lang::Nb, d) => format!("etter {d}"),
        }
    };
    let fixed = rule.fixed_part.unwrap_or(0.0);
    let fixed_text = |equal: &str| {
        format!(
            "{} {equal}, {} {}",
            lang.percent(fixed),
            lang.percent(1.0 - fixed),
            by(&rule.driver)
        )
    };
    let text = match (lang, rule.kind) {
        (Lang::En, "equal") => "equal split",
        (Lang::Nb, "equal") => "lik fordeling",
        (_, "proportional") => return by(&rule.driver),
        (Lang::En, "hybrid") => return fixed_text("equal"),
        (Lang::Nb, "hybrid") => return fixed_text("likt"),
        (Lang::En, "price_list") => {
            "billed by a price list, the difference to actual cost settled at year end in proportion to the billed amounts"
        }
        (Lang::Nb, "price_list") => {
            "fakturert etter prisliste, differansen mot faktisk kostnad avregnet ved årsslutt i forhold til fakturert beløp"
        }
        (Lang::En, "fixed") => "agreed percentages",
        (Lang::Nb, "fixed") => "avtalte prosentsatser",
        (Lang::En, "shapley") => "Shapley value: each member's average extra cost when it joins",
        (Lang::Nb, "shapley") => {
            "Shapley-verdien: hver kommunes gjennomsnittlige merkostnad når den slutter seg til"
        }
        (Lang::En, "nucleolus") => {
            "nucleolus: leaves the most dissatisfied group as well off as possible, with no member paying more than alone"
        }
        (Lang::Nb, "nucleolus") => {
            "nukleolus: gjør den mest misfornøyde gruppen så godt stilt som mulig, uten at noen kommune betaler mer enn alene"
        }
        (Lang::En, "prenucleolus") => {
            "prenucleolus: leaves the most dissatisfied group as well off as possible, even if a member pays more than alone"
        }
        (Lang::Nb, "prenucleolus") => {
            "prenukleolus: gjør den mest misfornøyde gruppen så godt stilt som mulig, selv om en kommune betaler mer enn alene"
        }
        (Lang::En, "least_core") => "least core: the largest saving every group can be given",
        (Lang::Nb, "least_core") => "minste kjerne: størst mulig besparelse til hver gruppe",
        (Lang::En, "scrb") => "SCRB: separable costs, remaining benefits",
        (Lang::Nb, "scrb") => "SCRB: separerbare kostnader, gjenværende gevinst",
        (Lang::En, "equal_split") => "the same total cost for every member",
        (Lang::Nb, "equal_split") => "lik totalkostnad for hver kommune",
        (Lang::En, "equal_savings") => "savings split equally",
        (Lang::Nb, "equal_savings") => "besparelsen delt likt",
        (Lang::En, "proportional_savings") => "savings in proportion to the cost alone",
        (Lang::Nb, "proportional_savings") => "besparelsen i forhold til kostnaden alene",
        (Lang::En, "proportional_to_standalone") => "costs in proportion to the cost alone",
        (Lang::Nb, "proportional_to_standalone") => "kostnadene i forhold til kostnaden alene",
        (_, other) => other,
    };
    text.to_owned()
}

/// Names a group of members readably: by name when small, as "all members except …" when it
/// leaves out fewer members than it holds, with long lists cut short. `members` are indices
/// into `names`.
pub fn describe_group(names: &[&str], members: &[usize], lang: Lang) -> String {
    const SHOWN: usize = 5;
    let l = lang.labels();
    // "A, B og C"; a long list ends "A, B, C, D, E og 3 til".
    let list = |idx: &[usize]| -> String {
        let shown: Vec<&str> = idx.iter().take(SHOWN).map(|&i| names[i]).collect();
        let more = idx.len().saturating_sub(SHOWN);
        if more == 0 {
            return lang.list(&shown);
        }
        let mut text = shown.join(", ");
        let _ = write!(text, "{}{more}{}", l.and_more.0, l.and_more.1);
        text
    };
    let outside: Vec<usize> = (0..names.len()).filter(|i| !members.contains(i)).collect();
    if members.len() > SHOWN && outside.len() < members.len() {
        format!("{} {}", l.all_except, list(&outside))
    } else {
        list(members)
    }
}

/// One sentence per key: how likely all members gain, who loses most often, and which group
/// is most often tempted to leave ("50/50: all members gain with 65 % probability; Sande loses
/// in 35 % of draws; …"). Built from the summary, so every output says the same.
pub fn verdict(summary: &SummaryJson, key: usize, lang: Lang) -> String {
    let l = lang.labels();
    let k = &summary.keys[key];
    let names: Vec<&str> = summary.members.iter().map(|m| m.name.as_str()).collect();
    let mut line = format!(
        "{}: {}{}{}",
        k.name,
        l.verdict_all_gain.0,
        lang.percent(k.p_all_win),
        l.verdict_all_gain.1
    );
    // Lowest probability of gaining; the first such member on ties.
    let worst = k
        .members
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.p_win.total_cmp(&b.1.p_win));
    if let Some((i, m)) = worst
        && m.p_loss > 0.0
    {
        let _ = write!(
            line,
            "; {}{}{}{}",
            names[i],
            l.verdict_loses.0,
            lang.percent(m.p_loss),
            l.verdict_loses.1
        );
    }
    if let Some(b) = &k.top_breakaway {
        let idx: Vec<usize> = b
            .members
            .iter()
            .filter_map(|id| summary.members.iter().position(|m| &m.id == id))
            .collect();
        let _ = write!(
            line,
            "; {}{}{}{}",
            describe_group(&names, &idx, lang),
            l.verdict_breakaway.0,
            lang.percent(b.p),
            l.verdict_breakaway.1
        );
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_numbers_follow_the_language_council() {
        let nb = Lang::Nb;
        assert_eq!(nb.int(1_234_567.4), "1\u{a0}234\u{a0}567");
        assert_eq!(nb.nok(-1500.0), "−1\u{a0}500\u{a0}kr");
        assert_eq!(nb.decimal(1.2949, 2), "1,29");
        assert_eq!(nb.decimal(-0.004, 2), "0,00");
        assert_eq!(nb.decimal(-12345.678, 1), "−12\u{a0}345,7");
        assert_eq!(nb.percent(0.871), "87\u{a0}%");
        assert_eq!(nb.percent1(0.04), "4,0\u{a0}%");
        assert_eq!(nb.percent(0.002), "<1\u{a0}%");
        assert_eq!(
            nb.list(&["Sande", "Herøy", "Volda"]),
            "Sande, Herøy og Volda"
        );
    }

    #[test]
    fn english_numbers_are_unchanged() {
        let en = Lang::En;
        assert_eq!(en.int(1_234_567.4), "1,234,567");
        assert_eq!(en.nok(2500.0), "2,500 NOK");
        assert_eq!(en.decimal(1234.5, 2), "1,234.50");
        assert_eq!(en.percent(0.999), ">99 %");
        assert_eq!(en.percent(1.0), "100 %");
        assert_eq!(en.list(&["A", "B"]), "A and B");
        assert_eq!(en.list(&["A"]), "A");
    }

    #[test]
    fn keys_are_described_in_words() {
        let rule = |kind, driver: Option<&str>, fixed_part| RuleJson {
            kind,
            driver: driver.map(str::to_owned),
            fixed_part,
            prices: None,
            per_member: None,
            by_year: false,
        };
        let hybrid = rule("hybrid", Some("population"), Some(0.3));
        assert_eq!(
            describe_rule(&hybrid, Lang::En),
            "30 % equal, 70 % by population"
        );
        assert_eq!(
            describe_rule(&hybrid, Lang::Nb),
            "30\u{a0}% likt, 70\u{a0}% etter innbyggertall"
        );
        assert_eq!(
            describe_rule(&rule("proportional", Some("users"), None), Lang::Nb),
            "etter users"
        );
        assert!(describe_rule(&rule("scrb", None, None), Lang::En).starts_with("SCRB"));
        let by_year = RuleJson {
            by_year: true,
            ..rule("proportional", Some("population"), None)
        };
        assert_eq!(
            describe_rule(&by_year, Lang::En),
            "by population, year by year"
        );
        assert_eq!(
            describe_rule(&by_year, Lang::Nb),
            "etter innbyggertall, år for år"
        );
    }

    #[test]
    fn groups_are_described_by_name_or_by_exception() {
        let names = ["A", "B", "C", "D", "E", "F", "G", "H"];
        assert_eq!(describe_group(&names, &[0, 2], Lang::En), "A and C");
        assert_eq!(describe_group(&names, &[0, 1, 2], Lang::Nb), "A, B og C");
        assert_eq!(
            describe_group(&names, &[0, 1, 2, 3, 4, 5], Lang::Nb),
            "alle unntatt G og H"
        );
        assert_eq!(
            describe_group(&names, &[0, 1, 2, 3, 4, 5, 6], Lang::Nb),
            "alle unntatt H"
        );
    }
}
