//! The self-contained HTML report (`report.html`): a council-ready answer to "does the
//! cooperation pay off for every member, and under which key?".
//!
//! The report is one file: inline CSS and inline SVG, no scripts, no external URLs, no fonts
//! or images fetched, printable on A4. It is built from the [`SummaryJson`] alone, so it says
//! exactly what `summary.json` says; every number a chart shows is also carried at full
//! precision in a `data-*` attribute (Rust's `{}` of the `f64`, which round-trips), which lets
//! tests and readers check the drawing against the summary.
//!
//! Order: the answer (key to consider first, its verdict, the region's NPV, one verdict row per
//! key), the keys compared member by member, the fan chart of cumulative NPV by year, S-curves
//! per key, the distribution of the region's NPV, the tornado, the number tables per key, the
//! assumptions with their sources, the warnings, and "About the calculation" (the rule for the
//! key to consider first, and provenance).
//!
//! Labels live in [`HtmlLabels`], one constant per language; numbers go through [`Lang`].

use std::fmt::Write as _;

use super::json::{KeyJson, Stats, SummaryJson};
use super::lang::{self, Lang};
use super::svg::{self, Scale, c, escape};

/// The labels of the HTML report in one language. `{0}`, `{1}` … are filled in.
#[derive(Debug)]
pub struct HtmlLabels {
    /// The question the report answers.
    pub question: &'static str,
    /// "Question".
    pub question_label: &'static str,
    /// "Answer".
    pub answer_label: &'static str,
    /// "Key to consider first".
    pub consider_first: &'static str,
    /// Why that key ({0}: the key).
    pub consider_first_why: &'static str,
    /// The short answer when every member gains under the key in at least 90 % of draws
    /// ({0}: key, {1}: probability).
    pub short_yes: &'static str,
    /// … in 50–90 % of draws ({0}: key, {1}: probability).
    pub short_probably: &'static str,
    /// … in under half of the draws while the region gains in at least half ({0}: key,
    /// {1}: probability, {2}: the region's probability of gaining).
    pub short_no: &'static str,
    /// The region as a whole loses in more than half of the draws ({0}: its probability of
    /// losing).
    pub short_region_loses: &'static str,
    /// How the short answer is chosen (the "About the calculation" section).
    pub short_rule: &'static str,
    /// "The key shown in the fan chart" note when --report-key differs ({0}: key).
    pub fan_key: &'static str,
    /// The region's NPV line ({0}: mean, {1}: ± half-width, {2}: P10, {3}: P90).
    pub region_line: &'static str,
    /// The region's NPV line when its mean is not established ({0}: ± half-width, {1}: P10,
    /// {2}: P90).
    pub region_line_unreliable: &'static str,
    /// The region's probability of gaining ({0}: percentage).
    pub region_gains: &'static str,
    /// Meta line ({0}: first year, {1}: last year, {2}: operation start, {3}: discount rate,
    /// {4}: draws, {5}: members).
    pub meta: &'static str,
    /// Heading of the key table.
    pub keys_heading: &'static str,
    /// "Key".
    pub key: &'static str,
    /// "All members gain".
    pub all_gain: &'static str,
    /// "No group better alone".
    pub stable: &'static str,
    /// "Burden ratio".
    pub burden: &'static str,
    /// Explanation of the burden ratio.
    pub burden_note: &'static str,
    /// "uneven".
    pub burden_flag: &'static str,
    /// "Verdict".
    pub verdict: &'static str,
    /// "not checked".
    pub not_checked: &'static str,
    /// "consider first".
    pub first_marker: &'static str,
    /// Heading of the key comparison.
    pub comparison_heading: &'static str,
    /// How to read the key comparison.
    pub comparison_note: &'static str,
    /// Note when each member of the key comparison has its own scale.
    pub comparison_own_scale: &'static str,
    /// Heading of the fan charts.
    pub fan_heading: &'static str,
    /// How to read the fan charts ({0}: key).
    pub fan_note: &'static str,
    /// No member bands.
    pub fan_absent: &'static str,
    /// Heading of the S-curves.
    pub s_heading: &'static str,
    /// How to read the S-curves.
    pub s_note: &'static str,
    /// Note when the S-curves show NPV per inhabitant.
    pub s_per_inhabitant: &'static str,
    /// Heading of the distribution of the region's NPV.
    pub dist_heading: &'static str,
    /// How to read it ({0}: probability of a loss).
    pub dist_note: &'static str,
    /// The distribution is a single value.
    pub dist_degenerate: &'static str,
    /// Heading of the tornado.
    pub tornado_heading: &'static str,
    /// How to read it ({0}: base NPV).
    pub tornado_note: &'static str,
    /// No tornado.
    pub tornado_absent: &'static str,
    /// The inputs left out of the tornado ({0}: how many, {1}: the largest swing among them).
    pub tornado_rest: &'static str,
    /// Heading of the number tables.
    pub tables_heading: &'static str,
    /// Note under the number tables heading.
    pub tables_note: &'static str,
    /// Heading of the assumptions.
    pub assumptions_heading: &'static str,
    /// Heading of the warnings.
    pub warnings_heading: &'static str,
    /// Heading of "About the calculation".
    pub about_heading: &'static str,
    /// Method paragraph ({0}: draws, {1}: discount rate, {2}: horizon years).
    pub method: &'static str,
    /// The rule for the key to consider first.
    pub rule: &'static str,
    /// Heading of the provenance table.
    pub provenance: &'static str,
    /// "Member".
    pub member: &'static str,
    /// "Inhabitants".
    pub population: &'static str,
    /// "Share".
    pub share: &'static str,
    /// "Cost per inhabitant per year, NOK".
    pub cost_per_inhabitant: &'static str,
    /// "Probability of gain".
    pub p_gain: &'static str,
    /// "P(gain)", a column header in charts.
    pub p_gain_short: &'static str,
    /// "Probability of loss".
    pub p_loss: &'static str,
    /// "NPV".
    pub npv: &'static str,
    /// "Mean".
    pub mean: &'static str,
    /// "Mean of the worst 10 %".
    pub cvar10: &'static str,
    /// "Payback year (median)".
    pub payback: &'static str,
    /// "after the horizon".
    pub after_horizon: &'static str,
    /// "Assumption".
    pub assumption: &'static str,
    /// "Distribution".
    pub distribution: &'static str,
    /// "Source".
    pub source: &'static str,
    /// "no source given".
    pub no_source: &'static str,
    /// "of the mean comes from the fat tail".
    pub tail_share: &'static str,
    /// "samkost version".
    pub version: &'static str,
    /// "Scenario hash".
    pub scenario_hash: &'static str,
    /// "Random seed".
    pub seed: &'static str,
    /// "Draws".
    pub draws: &'static str,
    /// "Sampling".
    pub sampling: &'static str,
    /// "Draws checked for stability".
    pub stability_draws: &'static str,
    /// "Draws behind the fan bands".
    pub band_draws: &'static str,
    /// "Quantiles".
    pub quantiles: &'static str,
    /// "Real discount rate".
    pub discount_rate: &'static str,
    /// "Date".
    pub date: &'static str,
    /// Precision line ({0}: measure, {1}: target, {2}: achieved).
    pub precision: &'static str,
    /// "not reached".
    pub precision_not_reached: &'static str,
    /// Unit of money in charts and tables: "MNOK".
    pub million: &'static str,
    /// "NPV of net benefit, MNOK" (axis).
    pub npv_axis: &'static str,
    /// Axis: NPV per inhabitant.
    pub npv_axis_per_inhabitant: &'static str,
    /// "Year".
    pub year: &'static str,
    /// "Probability that the NPV is at most x".
    pub cdf_axis: &'static str,
    /// "Relative likelihood".
    pub density_axis: &'static str,
    /// "Region".
    pub region: &'static str,
    /// "median".
    pub median: &'static str,
    /// "loss".
    pub loss: &'static str,
    /// "gain".
    pub gain: &'static str,
    /// "input at its P10".
    pub input_low: &'static str,
    /// "input at its P90".
    pub input_high: &'static str,
    /// "all inputs at their medians".
    pub base: &'static str,
    /// Accessible description of the key comparison chart.
    pub aria_comparison: &'static str,
    /// Accessible description of a fan chart ({0}: member or region).
    pub aria_fan: &'static str,
    /// Accessible description of an S-curve chart ({0}: key).
    pub aria_s: &'static str,
    /// Accessible description of the distribution chart.
    pub aria_dist: &'static str,
    /// Accessible description of the tornado.
    pub aria_tornado: &'static str,
    /// Footer ({0}: version, {1}: date).
    pub footer: &'static str,
}

impl HtmlLabels {
    /// English.
    pub const EN: HtmlLabels = HtmlLabels {
        question: "Does the cooperation pay off for every member, and under which key?",
        question_label: "Question",
        answer_label: "Answer",
        consider_first: "Key to consider first",
        consider_first_why: "{0} gives the highest probability that every member gains, or comes within the Monte Carlo uncertainty of the highest and is more often stable (no group of members would do better on its own).",
        short_yes: "Yes. Under {0}, every member gains in {1} of the draws.",
        short_probably: "Probably, but not surely. Under {0}, every member gains in {1} of the draws; in the rest at least one member loses.",
        short_no: "Not under any key compared. The region as a whole gains in {2} of the draws, but even under {0} every member gains in only {1}.",
        short_region_loses: "No. The region as a whole loses in {0} of the draws: the savings do not cover the costs of cooperating, whatever the key.",
        short_rule: "The short answer is “Yes” when every member gains under the key to consider first in at least 90 % of the draws, “Probably” from 50 % to 90 %, and “No” below 50 % (with the reason: the region as a whole loses, or the gain cannot be shared so that all win).",
        fan_key: "The fan charts below show the key {0}.",
        region_line: "The region as a whole: net present value (NPV) of the net benefit {0} on average (± {1}); 8 draws in 10 between {2} and {3}.",
        region_line_unreliable: "The region as a whole: the mean NPV of the net benefit is not established by the draws (± {0}); 8 draws in 10 between {1} and {2}.",
        region_gains: "The region gains in {0} of the draws.",
        meta: "{0}–{1} · shared operation from {2} · real discount rate {3} · {4} draws · {5} members",
        keys_heading: "Every key at a glance",
        key: "Key",
        all_gain: "All members gain",
        stable: "No group better alone",
        burden: "Burden ratio",
        burden_note: "Burden ratio: the highest member's cost per inhabitant per year over the lowest's; flagged when above the run's threshold.",
        burden_flag: "uneven",
        verdict: "Verdict",
        not_checked: "not checked",
        first_marker: "consider first",
        comparison_heading: "The keys compared, member by member",
        comparison_note: "Each line is one key for one member: the dot is the median NPV of the member's net benefit, the line runs from P10 to P90 (8 draws in 10 fall inside). The percentage is the probability that the member gains. Right of the zero line the member gains.",
        comparison_own_scale: "The members differ much in size, so each member has its own scale (in MNOK, shown on the member's row).",
        fan_heading: "When does the cooperation pay back?",
        fan_note: "Discounted cumulative net benefit at the end of each year under the key {0}: the band holds 8 draws in 10 (P10–P90), the line is the median. Where the band lies above zero the member is ahead. Each chart has its own scale.",
        fan_absent: "The run kept no draws for the members' fan bands (--band-draws 0), so only the region's fan is drawn.",
        s_heading: "How uncertain is each member's result? (S-curves)",
        s_note: "For each key, one curve per member: the height at an NPV is the probability that the member's NPV is at most that value. Where a curve crosses the zero line reads the member's probability of a loss; steeper curves mean less uncertainty.",
        s_per_inhabitant: "The largest member has more than ten times the inhabitants of the smallest, so the curves show the NPV per inhabitant: each member's NPV divided by its population.",
        dist_heading: "The region's NPV: the whole distribution",
        dist_note: "How likely each NPV of the region's net benefit is, built from its percentiles (P1 to P99). The red area is a loss; the probability of a loss is {0}.",
        dist_degenerate: "Every draw gives the same NPV for the region; there is no distribution to draw.",
        tornado_heading: "What drives the region's result?",
        tornado_note: "Each bar moves one uncertain input from its P10 to its P90 with every other input at its median ({0}), and shows the region's NPV at both ends. The longest bars are the assumptions worth checking first.",
        tornado_absent: "The scenario has no uncertain inputs: there is nothing to vary.",
        tornado_rest: "The other {0} uncertain inputs each move the region's NPV by at most {1}; summary.json lists them all.",
        tables_heading: "Numbers per key",
        tables_note: "NPV of each member's net benefit (standalone cost minus cost in the cooperation, discounted) in MNOK.",
        assumptions_heading: "Assumptions",
        warnings_heading: "Warnings",
        about_heading: "About the calculation",
        method: "Each of the {0} draws samples every uncertain input, computes what each member would pay alone and in the cooperation year by year over {2} years, allocates the cooperation's cost with each key and discounts the difference at a real rate of {1}. Probabilities are shares of the draws; P10, P50 and P90 are the values that 10 %, 50 % and 90 % of the draws fall below.",
        rule: "Key to consider first: take the key with the highest probability that every member gains (p_all_win). Every key whose probability lies within 1.96 × √(SE₁² + SE₂²) of it (the two keys cannot be told apart at 95 % confidence) is a candidate; among the candidates, the one most often stable (highest probability that no group of members would do better on its own) is recommended; ties go to the higher p_all_win, then to the key listed first. It is a starting point for the council's discussion, not a decision.",
        provenance: "Provenance",
        member: "Member",
        population: "Inhabitants",
        share: "Share",
        cost_per_inhabitant: "Cost per inhabitant per year, NOK",
        p_gain: "Probability of gain",
        p_gain_short: "P(gain)",
        p_loss: "Probability of loss",
        npv: "NPV",
        mean: "Mean",
        cvar10: "Mean of worst 10 %",
        payback: "Payback year (median)",
        after_horizon: "after the horizon",
        assumption: "Assumption",
        distribution: "Distribution",
        source: "Source",
        no_source: "no source given",
        tail_share: "of the mean comes from the fat tail",
        version: "samkost version",
        scenario_hash: "Scenario hash",
        seed: "Random seed",
        draws: "Draws",
        sampling: "Sampling",
        stability_draws: "Draws checked for stability",
        band_draws: "Draws behind the fan bands",
        quantiles: "Quantiles",
        discount_rate: "Real discount rate",
        date: "Date",
        precision: "Precision: {0} to ± {1} asked, ± {2} reached",
        precision_not_reached: "(not reached: the run stopped at its draw limit)",
        million: "MNOK",
        npv_axis: "NPV of net benefit, MNOK",
        npv_axis_per_inhabitant: "NPV of net benefit per inhabitant, NOK",
        year: "Year",
        cdf_axis: "Probability that NPV ≤ x",
        density_axis: "Relative likelihood",
        region: "Region",
        median: "median",
        loss: "loss",
        gain: "gain",
        input_low: "input at its P10",
        input_high: "input at its P90",
        base: "all inputs at their medians",
        aria_comparison: "NPV of each member's net benefit under each key: median, P10 to P90, and the probability of gaining",
        aria_fan: "Discounted cumulative net benefit by year for {0}: P10 to P90 band and median",
        aria_s: "Cumulative distribution of each member's NPV under the key {0}",
        aria_dist: "Distribution of the region's NPV with the loss side shaded",
        aria_tornado: "Tornado chart: the region's NPV with each uncertain input at its P10 and P90",
        footer: "Made with samkost {0} on {1}.",
    };

    /// Norwegian Bokmål.
    pub const NB: HtmlLabels = HtmlLabels {
        question: "Lønner samarbeidet seg for hver kommune, og med hvilken fordelingsnøkkel?",
        question_label: "Spørsmål",
        answer_label: "Svar",
        consider_first: "Fordelingsnøkkel å vurdere først",
        consider_first_why: "{0} gir høyest sannsynlighet for at alle kommunene vinner, eller ligger innenfor Monte Carlo-usikkerheten av den høyeste og er oftere stabil (ingen gruppe kommuner ville klart seg bedre alene).",
        short_yes: "Ja. Med {0} vinner alle kommunene i {1} av trekningene.",
        short_probably: "Trolig, men ikke sikkert. Med {0} vinner alle kommunene i {1} av trekningene; i resten taper minst én kommune.",
        short_no: "Ikke med noen av fordelingsnøklene som er sammenlignet. Regionen samlet vinner i {2} av trekningene, men selv med {0} vinner alle kommunene bare i {1}.",
        short_region_loses: "Nei. Regionen samlet taper i {0} av trekningene: gevinstene dekker ikke kostnadene ved å samarbeide, uansett fordelingsnøkkel.",
        short_rule: "Det korte svaret er «Ja» når alle kommunene vinner med fordelingsnøkkelen som bør vurderes først i minst 90 % av trekningene, «Trolig» fra 50 % til 90 %, og «Nei» under 50 % (med begrunnelsen: regionen samlet taper, eller gevinsten kan ikke fordeles slik at alle vinner).",
        fan_key: "Viftediagrammene nedenfor viser fordelingsnøkkelen {0}.",
        region_line: "Regionen samlet: netto nåverdi av gevinsten er {0} i gjennomsnitt (± {1}); 8 av 10 trekninger mellom {2} og {3}.",
        region_line_unreliable: "Regionen samlet: gjennomsnittlig netto nåverdi er ikke fastslått av trekningene (± {0}); 8 av 10 trekninger mellom {1} og {2}.",
        region_gains: "Regionen vinner i {0} av trekningene.",
        meta: "{0}–{1} · felles drift fra {2} · reell kalkulasjonsrente {3} · {4} trekninger · {5} kommuner",
        keys_heading: "Alle fordelingsnøklene samlet",
        key: "Fordelingsnøkkel",
        all_gain: "Alle vinner",
        stable: "Ingen gruppe tjener på å gå ut",
        burden: "Belastningsforhold",
        burden_note: "Belastningsforhold: høyeste kommunes kostnad per innbygger per år delt på laveste; markert når det overstiger terskelen for kjøringen.",
        burden_flag: "skjevt",
        verdict: "Vurdering",
        not_checked: "ikke sjekket",
        first_marker: "vurder først",
        comparison_heading: "Fordelingsnøklene sammenlignet, kommune for kommune",
        comparison_note: "Hver linje er én fordelingsnøkkel for én kommune: punktet er median netto nåverdi av kommunens gevinst, linjen går fra P10 til P90 (8 av 10 trekninger ligger innenfor). Prosenten er sannsynligheten for gevinst. Til høyre for nullinjen vinner kommunen.",
        comparison_own_scale: "Kommunene er svært ulike i størrelse, så hver kommune har sin egen skala (i mill.\u{a0}kr, vist på kommunens linje).",
        fan_heading: "Når betaler samarbeidet seg tilbake?",
        fan_note: "Diskontert akkumulert gevinst ved utgangen av hvert år med fordelingsnøkkelen {0}: båndet rommer 8 av 10 trekninger (P10–P90), linjen er medianen. Der båndet ligger over null, ligger kommunen foran. Hvert diagram har sin egen skala.",
        fan_absent: "Kjøringen tok ikke vare på trekninger til kommunenes viftebånd (--band-draws 0), så bare regionens vifte vises.",
        s_heading: "Hvor usikkert er resultatet for hver kommune? (S-kurver)",
        s_note: "For hver fordelingsnøkkel én kurve per kommune: høyden ved en nåverdi er sannsynligheten for at kommunens netto nåverdi er høyst denne verdien. Der kurven krysser nullinjen, leses sannsynligheten for tap; brattere kurver betyr mindre usikkerhet.",
        s_per_inhabitant: "Den største kommunen har mer enn ti ganger så mange innbyggere som den minste, så kurvene viser netto nåverdi per innbygger: hver kommunes nåverdi delt på innbyggertallet.",
        dist_heading: "Regionens netto nåverdi: hele fordelingen",
        dist_note: "Hvor sannsynlig hver netto nåverdi av regionens gevinst er, bygd fra persentilene (P1 til P99). Det røde området er tap; sannsynligheten for tap er {0}.",
        dist_degenerate: "Alle trekninger gir samme netto nåverdi for regionen; det er ingen fordeling å tegne.",
        tornado_heading: "Hva driver regionens resultat?",
        tornado_note: "Hver søyle flytter én usikker forutsetning fra P10 til P90 mens alle andre står på medianen ({0}), og viser regionens netto nåverdi i begge ender. De lengste søylene er forutsetningene det lønner seg å kontrollere først.",
        tornado_absent: "Scenarioet har ingen usikre forutsetninger: det er ingenting å variere.",
        tornado_rest: "De {0} andre usikre forutsetningene flytter hver regionens netto nåverdi med høyst {1}; summary.json viser alle.",
        tables_heading: "Tall per fordelingsnøkkel",
        tables_note: "Netto nåverdi av hver kommunes gevinst (kostnad alene minus kostnad i samarbeidet, diskontert) i mill. kr.",
        assumptions_heading: "Forutsetninger",
        warnings_heading: "Advarsler",
        about_heading: "Om beregningen",
        method: "Hver av de {0} trekningene trekker alle usikre forutsetninger, beregner hva hver kommune ville betalt alene og i samarbeidet år for år over {2} år, fordeler samarbeidets kostnad med hver fordelingsnøkkel og diskonterer differansen med en reell kalkulasjonsrente på {1}. Sannsynligheter er andeler av trekningene; P10, P50 og P90 er verdiene som 10 %, 50 % og 90 % av trekningene ligger under.",
        rule: "Fordelingsnøkkel å vurdere først: ta nøkkelen med høyest sannsynlighet for at alle kommunene vinner (p_all_win). Alle nøkler som ligger innenfor 1,96 × √(SE₁² + SE₂²) av den (de to kan ikke skilles med 95 % sikkerhet) er kandidater; blant kandidatene anbefales den som oftest er stabil (høyest sannsynlighet for at ingen gruppe kommuner ville klart seg bedre alene); ved likhet velges høyest p_all_win, deretter nøkkelen som står først. Dette er et utgangspunkt for kommunestyrets drøfting, ikke et vedtak.",
        provenance: "Sporbarhet",
        member: "Kommune",
        population: "Innbyggere",
        share: "Andel",
        cost_per_inhabitant: "Kostnad per innbygger per år, kr",
        p_gain: "Sannsynlighet for gevinst",
        p_gain_short: "P(gevinst)",
        p_loss: "Sannsynlighet for tap",
        npv: "Netto nåverdi",
        mean: "Gjennomsnitt",
        cvar10: "Snitt av de 10 % verste",
        payback: "Tilbakebetalingsår (median)",
        after_horizon: "etter analyseperioden",
        assumption: "Forutsetning",
        distribution: "Fordeling",
        source: "Kilde",
        no_source: "kilde ikke oppgitt",
        tail_share: "av gjennomsnittet kommer fra den tunge halen",
        version: "samkost-versjon",
        scenario_hash: "Sjekksum for scenariet",
        seed: "Frø (tilfeldige tall)",
        draws: "Trekninger",
        sampling: "Trekkmetode",
        stability_draws: "Trekninger sjekket for stabilitet",
        band_draws: "Trekninger bak viftebåndene",
        quantiles: "Kvantiler",
        discount_rate: "Reell kalkulasjonsrente",
        date: "Dato",
        precision: "Presisjon: {0} til ± {1} bedt om, ± {2} oppnådd",
        precision_not_reached: "(ikke oppnådd: kjøringen stoppet ved grensen for trekninger)",
        million: "mill.\u{a0}kr",
        npv_axis: "Netto nåverdi av gevinsten, mill.\u{a0}kr",
        npv_axis_per_inhabitant: "Netto nåverdi av gevinsten per innbygger, kr",
        year: "År",
        cdf_axis: "Sannsynlighet for nåverdi ≤ x",
        density_axis: "Relativ sannsynlighet",
        region: "Regionen",
        median: "median",
        loss: "tap",
        gain: "gevinst",
        input_low: "forutsetning på P10",
        input_high: "forutsetning på P90",
        base: "alle forutsetninger på medianen",
        aria_comparison: "Netto nåverdi av hver kommunes gevinst med hver fordelingsnøkkel: median, P10 til P90 og sannsynlighet for gevinst",
        aria_fan: "Diskontert akkumulert gevinst år for år for {0}: bånd fra P10 til P90 og median",
        aria_s: "Kumulativ fordeling av hver kommunes netto nåverdi med fordelingsnøkkelen {0}",
        aria_dist: "Fordelingen av regionens netto nåverdi med tapssiden skravert",
        aria_tornado: "Tornadodiagram: regionens netto nåverdi med hver usikre forutsetning på P10 og P90",
        footer: "Laget med samkost {0} den {1}.",
    };

    /// The labels of a language.
    pub fn of(lang: Lang) -> &'static HtmlLabels {
        match lang {
            Lang::En => &Self::EN,
            Lang::Nb => &Self::NB,
        }
    }
}

/// The report's short answer to "does it pay off for every member?", from the key to consider
/// first (`key`, an index into the summary's keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortAnswer {
    /// Every member gains under the key in at least 90 % of the draws.
    Yes,
    /// Every member gains in at least 50 % but under 90 % of the draws.
    Probably,
    /// Every member gains in under half of the draws, although the region gains in at least
    /// half: no key compared shares the gain so that all win.
    No,
    /// The region as a whole loses in more than half of the draws.
    RegionLoses,
}

/// The short answer for the key to consider first (see [`ShortAnswer`] for the thresholds).
pub fn short_answer(summary: &SummaryJson, key: usize) -> ShortAnswer {
    let p = summary.keys[key].p_all_win;
    if p >= 0.9 {
        ShortAnswer::Yes
    } else if p >= 0.5 {
        ShortAnswer::Probably
    } else if summary.region.p_win < 0.5 {
        ShortAnswer::RegionLoses
    } else {
        ShortAnswer::No
    }
}

/// Bars in the report's tornado chart: the inputs that move the region's NPV most.
pub const TORNADO_BARS: usize = 15;

/// The key to consider first, as an index into `keys` (`None` when there are no keys).
///
/// Rule: take the key with the highest probability that every member gains (`p_all_win`;
/// the first such key on ties). Every key `k` whose `p_all_win` is within
/// `1.96 × √(se_best² + se_k²)` of it cannot be told apart from it at 95 % confidence and is a
/// candidate; among the candidates the key with the highest `p_core_stable` (probability that
/// no group of members would do better on its own; unchecked counts as lowest) is chosen, ties
/// going to the higher `p_all_win` and then to the key listed first.
pub fn key_to_consider_first(keys: &[KeyJson]) -> Option<usize> {
    let best = (0..keys.len()).max_by(|&a, &b| {
        keys[a]
            .p_all_win
            .total_cmp(&keys[b].p_all_win)
            .then(b.cmp(&a))
    })?;
    let top = &keys[best];
    let stable = |k: &KeyJson| k.p_core_stable.unwrap_or(f64::NEG_INFINITY);
    (0..keys.len())
        .filter(|&i| {
            let k = &keys[i];
            let tolerance = 1.96 * (top.p_all_win_se.powi(2) + k.p_all_win_se.powi(2)).sqrt();
            i == best || top.p_all_win - k.p_all_win <= tolerance
        })
        .max_by(|&a, &b| {
            stable(&keys[a])
                .total_cmp(&stable(&keys[b]))
                .then(keys[a].p_all_win.total_cmp(&keys[b].p_all_win))
                .then(b.cmp(&a))
        })
}

/// Builds the HTML report. `report_key` names the key whose fan chart is drawn (default: the
/// key to consider first); `date` (YYYY-MM-DD) goes into the provenance. Pure: no clock, no
/// I/O.
pub fn report_html(
    summary: &SummaryJson,
    lang: Lang,
    report_key: Option<&str>,
    date: &str,
) -> String {
    let r = Report::new(summary, lang);
    let first = key_to_consider_first(&summary.keys);
    let fan_key = report_key
        .and_then(|name| summary.keys.iter().position(|k| k.name == name))
        .or(first);
    let mut out = String::with_capacity(256 * 1024);
    r.head(&mut out);
    r.answer(&mut out, first, fan_key);
    r.comparison(&mut out);
    r.fans(&mut out, fan_key);
    r.s_curves(&mut out);
    r.distribution(&mut out);
    r.tornado(&mut out);
    r.tables(&mut out);
    r.assumptions(&mut out);
    r.warnings(&mut out);
    r.about(&mut out, date);
    let _ = writeln!(
        out,
        "<footer class=\"note\">{}</footer>\n</main>\n</body>\n</html>",
        fill(
            r.l.footer,
            &[summary.provenance.samkost_version, date].map(escape)
        )
    );
    out
}

/// Fills `{0}`, `{1}` … of an escaped label with already escaped arguments.
fn fill(template: &str, args: &[String]) -> String {
    let mut text = escape(template);
    for (i, a) in args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), a);
    }
    text
}

/// Colours of the keys (and members in the S-curves), colour-blind safe first.
const PALETTE: [&str; 10] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6f00", "#332288",
    "#882255", "#44aa99",
];
const GAIN: &str = "#1a7f37";
const LOSS: &str = "#c4314b";
const BAND: &str = "#9ec5ec";
const GRID: &str = "#e3e6ea";
const INK: &str = "#1b1f24";
/// Width of every chart in user units.
const W: f64 = 960.0;

const CSS: &str = r#":root{--ink:#1b1f24;--muted:#59636e;--line:#d0d5db;--accent:#0b5cad;--loss:#c4314b;--gain:#1a7f37}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1000px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:27px;line-height:1.2;margin:0 0 4px}
h2{font-size:20px;margin:40px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:15px;margin:18px 0 4px}
p{margin:6px 0}
.meta,.note,footer{color:var(--muted);font-size:13px}
footer{margin-top:32px}
.qa{display:grid;grid-template-columns:90px 1fr;gap:6px 12px;margin:18px 0}
.qa .lbl{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);padding-top:3px}
.question{font-size:18px;font-weight:600}
.answer{border-left:6px solid var(--accent);background:#f1f6fc;padding:10px 16px}
.answer .short{font-size:19px;font-weight:700;margin:4px 0 10px}
.keys .rule{display:block;font-size:12px;color:var(--muted)}
.keys .key-note{font-style:italic}
.answer .first{font-size:22px;font-weight:700;margin:2px 0 6px}
.answer .first small{font-size:13px;font-weight:400;color:var(--muted);display:block;text-transform:uppercase;letter-spacing:.06em}
.answer .verdict{font-size:16px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 4px}
th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f3f4f6;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
td.n.wrap{white-space:normal}
th{font-size:12px;line-height:1.25}
tr.first td{background:#eaf3fd}
.tag{display:inline-block;font-size:11px;font-weight:600;color:#fff;background:var(--accent);border-radius:3px;padding:0 5px;margin-left:4px;white-space:nowrap}
.flag{color:var(--loss);font-weight:600}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;margin:6px 0}
svg.chart{display:block;width:100%;height:auto;margin:6px 0}
svg text{font-size:11px;fill:#1b1f24}
svg .lbl{font-size:12px;font-weight:600}
svg .muted{fill:#59636e}
.fans{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:6px 18px}
.scurves{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:6px 18px}
figure{margin:0;break-inside:avoid}
figcaption{font-size:13px;font-weight:600;margin-top:6px}
.warnings li{color:var(--loss)}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:13px}
dl.prov dt{color:var(--muted)}
dl.prov dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-all}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:10.5pt}
main{max-width:none;padding:0}
h2{break-before:page;break-after:avoid;margin-top:0}
#keys h2{break-before:auto;margin-top:20px}
h3{break-after:avoid}
figure,tr,.answer,.qa,svg.chart{break-inside:avoid}
thead{display:table-header-group}
table{font-size:9pt}
.fans{grid-template-columns:repeat(3,1fr)}
.scurves{grid-template-columns:repeat(2,1fr)}
}"#;

/// Everything the sections share.
struct Report<'a> {
    s: &'a SummaryJson,
    lang: Lang,
    l: &'static HtmlLabels,
    /// Decimals of money in MNOK.
    digits: usize,
}

impl<'a> Report<'a> {
    fn new(s: &'a SummaryJson, lang: Lang) -> Self {
        let typical = s
            .keys
            .iter()
            .flat_map(|k| &k.members)
            .map(|m| m.npv_net_benefit.p50.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        Self {
            s,
            lang,
            l: HtmlLabels::of(lang),
            digits: if typical >= 20e6 { 1 } else { 2 },
        }
    }

    /// Money in millions with the report's decimals and unit.
    fn money(&self, v: f64) -> String {
        format!("{}{}{}", self.mnok(v), lang::NBSP, self.l.million)
    }

    /// Money in millions without the unit.
    fn mnok(&self, v: f64) -> String {
        if v.is_finite() {
            self.lang.decimal(v / 1e6, self.digits)
        } else {
            "–".to_owned()
        }
    }

    /// A number of any size: digit groups for large ones, a few decimals for small ones.
    fn num(&self, v: f64) -> String {
        let a = v.abs();
        let digits = if a >= 100.0 || a == 0.0 {
            0
        } else if a >= 10.0 {
            1
        } else if a >= 1.0 {
            2
        } else {
            3
        };
        self.lang.decimal(v, digits)
    }

    /// A tick label of money in millions, with as many decimals as the step needs.
    fn tick_money(&self, v: f64, step: f64) -> String {
        let digits = if step >= 1e6 {
            0
        } else if step >= 1e5 {
            1
        } else {
            2
        };
        self.lang.decimal(v / 1e6, digits)
    }

    fn member_name<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.s
            .members
            .iter()
            .find(|m| m.id == id)
            .map_or(id, |m| m.name.as_str())
    }

    fn head(&self, out: &mut String) {
        let s = self.s;
        let title = escape(&s.scenario.name);
        let _ = writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"samkost {}\">\n<title>{title}</title>\n\
             <style>\n{CSS}\n</style>\n</head>\n<body>\n<main>",
            self.lang.code(),
            escape(s.provenance.samkost_version),
        );
        let last = s.scenario.first_year + s.scenario.horizon_years as i32 - 1;
        let _ = writeln!(
            out,
            "<header id=\"answer\">\n<h1>{title}</h1>\n<p class=\"meta\">{}</p>",
            fill(
                self.l.meta,
                &[
                    s.scenario.first_year.to_string(),
                    last.to_string(),
                    s.scenario.operation_start.to_string(),
                    escape(&self.lang.percent1(s.scenario.discount_rate)),
                    escape(&self.lang.int(s.scenario.draws as f64)),
                    s.members.len().to_string(),
                ]
            )
        );
    }

    fn answer(&self, out: &mut String, first: Option<usize>, fan_key: Option<usize>) {
        let (s, l, lang) = (self.s, self.l, self.lang);
        let _ = writeln!(
            out,
            "<div class=\"qa\">\n<div class=\"lbl\">{}</div><div class=\"question\">{}</div>\n\
             <div class=\"lbl\">{}</div><div class=\"answer\">",
            escape(l.question_label),
            escape(l.question),
            escape(l.answer_label)
        );
        if let Some(k) = first {
            let key = &s.keys[k];
            let (answer, text) = match short_answer(s, k) {
                ShortAnswer::Yes => ("yes", l.short_yes),
                ShortAnswer::Probably => ("probably", l.short_probably),
                ShortAnswer::No => ("no", l.short_no),
                ShortAnswer::RegionLoses => ("region-loses", l.short_region_loses),
            };
            let args = if answer == "region-loses" {
                vec![escape(&lang.percent(1.0 - s.region.p_win))]
            } else {
                vec![
                    escape(&key.name),
                    escape(&lang.percent(key.p_all_win)),
                    escape(&lang.percent(s.region.p_win)),
                ]
            };
            let _ = writeln!(
                out,
                "<p class=\"short\" data-answer=\"{answer}\">{}</p>",
                fill(text, &args)
            );
            let _ = writeln!(
                out,
                "<p class=\"first\" data-recommended-key=\"{}\"><small>{}</small>{}</p>\n\
                 <p class=\"verdict\">{}.</p>\n<p class=\"note\">{}</p>",
                escape(&key.name),
                escape(l.consider_first),
                escape(&key.name),
                escape(&lang::verdict(s, k, lang)),
                fill(l.consider_first_why, &[escape(&key.name)])
            );
        }
        let npv = &s.region.npv_net_benefit;
        let half = self.money(1.96 * npv.mean_se);
        let line = if npv.mean_reliable {
            fill(
                l.region_line,
                &[
                    self.money(npv.mean),
                    half,
                    self.money(npv.p10),
                    self.money(npv.p90),
                ]
                .map(|t| escape(&t)),
            )
        } else {
            fill(
                l.region_line_unreliable,
                &[half, self.money(npv.p10), self.money(npv.p90)].map(|t| escape(&t)),
            )
        };
        let _ = writeln!(
            out,
            "<p class=\"region\" data-mean=\"{}\" data-mean-se=\"{}\" data-p10=\"{}\" data-p90=\"{}\" data-p-win=\"{}\">{line} {}</p>",
            npv.mean,
            npv.mean_se,
            npv.p10,
            npv.p90,
            s.region.p_win,
            fill(l.region_gains, &[escape(&lang.percent(s.region.p_win))])
        );
        if let Some(f) = fan_key
            && Some(f) != first
        {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>",
                fill(l.fan_key, &[escape(&s.keys[f].name)])
            );
        }
        out.push_str("</div>\n</div>\n</header>\n");

        // One verdict row per key.
        let _ = writeln!(
            out,
            "<section id=\"keys\">\n<h2>{}</h2>\n<table class=\"keys\">\n<thead><tr><th>{}</th>\
             <th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead>\n<tbody>",
            escape(l.keys_heading),
            escape(l.key),
            escape(l.all_gain),
            escape(l.stable),
            escape(l.burden),
            escape(l.verdict)
        );
        for (i, k) in s.keys.iter().enumerate() {
            let verdict = lang::verdict(s, i, lang);
            let verdict = verdict
                .strip_prefix(&format!("{}: ", k.name))
                .unwrap_or(&verdict)
                .to_owned();
            let stable = k
                .p_core_stable
                .map_or_else(|| l.not_checked.to_owned(), |p| lang.percent(p));
            let burden = match k.burden_ratio {
                Some(b) if k.burden_flag => format!(
                    "<span class=\"flag\">{} ⚠ {}</span>",
                    escape(&lang.decimal(b, 2)),
                    escape(l.burden_flag)
                ),
                Some(b) => escape(&lang.decimal(b, 2)),
                None => "–".to_owned(),
            };
            let tag = if Some(i) == first {
                format!("<span class=\"tag\">{}</span>", escape(l.first_marker))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "<tr{} data-key=\"{}\" data-p-all-win=\"{}\" data-p-all-win-se=\"{}\"{}><td><span class=\"sw\" style=\"background:{}\"></span>{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{burden}</td><td>{}</td></tr>",
                if Some(i) == first {
                    " class=\"first\""
                } else {
                    ""
                },
                escape(&k.name),
                k.p_all_win,
                k.p_all_win_se,
                k.p_core_stable
                    .map_or_else(String::new, |p| format!(" data-p-core-stable=\"{p}\"")),
                PALETTE[i % PALETTE.len()],
                {
                    let mut cell = escape(&k.name);
                    cell.push_str(&tag);
                    let _ = write!(
                        cell,
                        "<span class=\"rule\">{}</span>",
                        escape(&lang::describe_key(k, lang))
                    );
                    if let Some(note) = &k.note {
                        let _ = write!(
                            cell,
                            "<span class=\"rule key-note\">{}</span>",
                            escape(note)
                        );
                    }
                    cell
                },
                escape(&lang.percent(k.p_all_win)),
                escape(&stable),
                escape(&verdict)
            );
        }
        let _ = writeln!(
            out,
            "</tbody>\n</table>\n<p class=\"note\">{}</p>\n</section>",
            escape(l.burden_note)
        );
    }

    /// Opens an `<svg>` with its accessible name.
    fn svg_open(out: &mut String, chart: &str, width: f64, height: f64, label: &str) {
        let label = escape(label);
        let _ = writeln!(
            out,
            "<svg class=\"chart\" data-chart=\"{chart}\" role=\"img\" aria-label=\"{label}\" \
             viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\">\
             <title>{label}</title>",
            c(width),
            c(height),
            c(width),
            c(height)
        );
    }

    /// Vertical grid lines with money tick labels at `y_label`, spanning `y0..y1`.
    fn x_money_axis(&self, out: &mut String, x: &Scale, y0: f64, y1: f64, y_label: f64) {
        self.x_axis(out, x, (y0, y1, y_label), |t, step| {
            self.tick_money(t, step)
        });
    }

    /// Vertical grid lines at round values of `x`, labelled by `label(value, step)`; the zero
    /// line is drawn in ink. `ys`: the lines' top and bottom and the labels' baseline.
    fn x_axis(
        &self,
        out: &mut String,
        x: &Scale,
        (y0, y1, y_label): (f64, f64, f64),
        label: impl Fn(f64, f64) -> String,
    ) {
        let (lo, hi) = x.domain();
        let (ticks, step) = svg::ticks(lo, hi, 6);
        for t in ticks {
            let px = c(x.at(t));
            let (stroke, width) = if t == 0.0 { (INK, 1.5) } else { (GRID, 1.0) };
            let _ = writeln!(
                out,
                "<line x1=\"{px}\" x2=\"{px}\" y1=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>\
                 <text x=\"{px}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(y0),
                c(y1),
                c(y_label),
                escape(&label(t, step))
            );
        }
    }

    fn comparison(&self, out: &mut String) {
        let (s, l, lang) = (self.s, self.l, self.lang);
        let _ = writeln!(
            out,
            "<section id=\"comparison\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(l.comparison_heading),
            escape(l.comparison_note)
        );
        let n_keys = s.keys.len();
        let (row, head, gap) = (15.0, 20.0, 8.0);
        let (left, right, top) = (170.0, 70.0, 34.0);
        let height = top + s.members.len() as f64 * (head + n_keys as f64 * row + gap) + 30.0;
        let (lo, hi) = svg::extent(s.keys.iter().flat_map(|k| {
            k.members
                .iter()
                .flat_map(|m| [m.npv_net_benefit.p10, m.npv_net_benefit.p90])
        }))
        .unwrap_or((-1.0, 1.0));
        let shared = Scale::new(svg::padded_with_zero(lo, hi), (left, W - right));
        // Members of very different size get a scale each, else the small ones shrink to dots.
        let member_extent = |mi: usize| {
            svg::extent(
                s.keys
                    .iter()
                    .filter_map(|k| k.members.get(mi))
                    .flat_map(|m| [m.npv_net_benefit.p10, m.npv_net_benefit.p90]),
            )
        };
        let spans: Vec<f64> = (0..s.members.len())
            .filter_map(|mi| member_extent(mi).map(|(a, b)| b.max(0.0) - a.min(0.0)))
            .collect();
        let widest = spans.iter().copied().fold(0.0, f64::max);
        let narrowest = spans.iter().copied().fold(f64::INFINITY, f64::min);
        let own_scales = narrowest > 0.0 && widest / narrowest > 4.0;
        if own_scales {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>",
                escape(l.comparison_own_scale)
            );
        }
        Self::svg_open(out, "comparison", W, height, l.aria_comparison);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"12\" text-anchor=\"middle\" class=\"muted\">{}</text>\
             <text x=\"{}\" y=\"12\" text-anchor=\"end\" class=\"muted\">{}</text>",
            c((left + W - right) / 2.0),
            escape(l.npv_axis),
            c(W),
            escape(l.p_gain_short)
        );
        let x = shared;
        if !own_scales {
            self.x_money_axis(out, &x, top - 6.0, height - 24.0, top - 10.0);
        }
        let (bottom_ticks, step) = svg::ticks(x.domain().0, x.domain().1, 6);
        for t in bottom_ticks.into_iter().filter(|_| !own_scales) {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(x.at(t)),
                c(height - 10.0),
                escape(&self.tick_money(t, step))
            );
        }
        out.push('\n');
        let mut y = top;
        for (mi, member) in s.members.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text class=\"lbl\" x=\"4\" y=\"{}\">{} <tspan class=\"muted\" font-weight=\"400\">({} {})</tspan></text>",
                c(y + 14.0),
                escape(&member.name),
                escape(&lang.int(member.population)),
                escape(lang.labels().population_short)
            );
            let x = match member_extent(mi) {
                Some((a, b)) if own_scales => {
                    let x = Scale::new(svg::padded_with_zero(a, b), (left, W - right));
                    self.x_money_axis(
                        out,
                        &x,
                        y + head - 2.0,
                        y + head + n_keys as f64 * row,
                        y + 14.0,
                    );
                    x
                }
                _ => x,
            };
            y += head;
            for (ki, key) in s.keys.iter().enumerate() {
                let Some(m) = key.members.get(mi) else {
                    continue;
                };
                let st = &m.npv_net_benefit;
                let colour = PALETTE[ki % PALETTE.len()];
                let cy = c(y + row / 2.0);
                let p_colour = if m.p_win >= 0.5 { GAIN } else { LOSS };
                let _ = writeln!(
                    out,
                    "<text x=\"14\" y=\"{}\" class=\"muted\">{}</text>\
                     <line class=\"whisker\" data-key=\"{}\" data-member=\"{}\" data-p10=\"{}\" data-p50=\"{}\" data-p90=\"{}\" \
                     x1=\"{}\" x2=\"{}\" y1=\"{cy}\" y2=\"{cy}\" stroke=\"{colour}\" stroke-width=\"2\"/>\
                     <circle class=\"median\" data-key=\"{}\" data-member=\"{}\" data-p50=\"{}\" data-p-win=\"{}\" cx=\"{}\" cy=\"{cy}\" r=\"4\" fill=\"{colour}\"/>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{p_colour}\" data-p-win=\"{}\">{}</text>",
                    c(y + row - 4.0),
                    escape(&key.name),
                    escape(&key.name),
                    escape(&m.id),
                    st.p10,
                    st.p50,
                    st.p90,
                    c(x.at(st.p10)),
                    c(x.at(st.p90)),
                    escape(&key.name),
                    escape(&m.id),
                    st.p50,
                    m.p_win,
                    c(x.at(st.p50)),
                    c(W - 4.0),
                    c(y + row - 4.0),
                    m.p_win,
                    escape(&lang.percent(m.p_win))
                );
                y += row;
            }
            y += gap;
            let _ = writeln!(
                out,
                "<line x1=\"0\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{GRID}\"/>",
                c(W),
                c(y - gap / 2.0),
                c(y - gap / 2.0)
            );
        }
        out.push_str("</svg>\n</section>\n");
    }

    fn fans(&self, out: &mut String, fan_key: Option<usize>) {
        let (s, l) = (self.s, self.l);
        let key = fan_key.map(|k| &s.keys[k]);
        let key_name = key.map_or(String::new(), |k| escape(&k.name));
        let _ = writeln!(
            out,
            "<section id=\"fan\"{}>\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            key.map_or(String::new(), |k| format!(
                " data-key=\"{}\"",
                escape(&k.name)
            )),
            escape(l.fan_heading),
            fill(l.fan_note, &[format!("<b>{key_name}</b>")])
        );
        let years = &s.yearly.years;
        // The region's fan, wide.
        let band = &s.yearly.cumulative_npv;
        let _ = writeln!(out, "<figure><figcaption>{}</figcaption>", escape(l.region));
        self.fan_chart(
            out,
            "fan-region",
            "region",
            None,
            years,
            [&band.p10, &band.p50, &band.p90],
            (W, 240.0),
            &fill(l.aria_fan, &[escape(l.region)]),
        );
        out.push_str("</figure>\n");
        let bands: Vec<_> = key
            .map(|k| {
                k.members
                    .iter()
                    .filter_map(|m| m.cumulative_npv.as_ref().map(|b| (m, b)))
                    .collect()
            })
            .unwrap_or_default();
        if bands.is_empty() {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(l.fan_absent));
        } else {
            out.push_str("<div class=\"fans\">\n");
            for (m, b) in bands {
                let name = self.member_name(&m.id);
                let _ = writeln!(out, "<figure><figcaption>{}</figcaption>", escape(name));
                self.fan_chart(
                    out,
                    "fan",
                    &m.id,
                    key.map(|k| k.name.as_str()),
                    years,
                    [&b.p10, &b.p50, &b.p90],
                    (320.0, 190.0),
                    &fill(l.aria_fan, &[escape(name)]),
                );
                out.push_str("</figure>\n");
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }

    #[allow(clippy::too_many_arguments)]
    fn fan_chart(
        &self,
        out: &mut String,
        chart: &str,
        member: &str,
        key: Option<&str>,
        years: &[i32],
        [p10, p50, p90]: [&Vec<f64>; 3],
        (width, height): (f64, f64),
        label: &str,
    ) {
        let (left, right, top, bottom) = (46.0, 10.0, 18.0, 24.0);
        let n = years.len().min(p10.len()).min(p50.len()).min(p90.len());
        let (lo, hi) = svg::extent(p10[..n].iter().chain(&p90[..n]).copied()).unwrap_or((0.0, 1.0));
        let y = Scale::new(svg::padded_with_zero(lo, hi), (height - bottom, top));
        let x = Scale::new(
            (
                f64::from(*years.first().unwrap_or(&0)),
                f64::from(*years.get(n.max(1) - 1).unwrap_or(&1)),
            ),
            (left + 8.0, width - right - 8.0),
        );
        Self::svg_open(out, chart, width, height, label);
        // Y grid with money ticks.
        let (ylo, yhi) = y.domain();
        let (ticks, step) = svg::ticks(ylo, yhi, 4);
        for t in ticks {
            let py = c(y.at(t));
            let (stroke, sw) = if t == 0.0 { (INK, 1.3) } else { (GRID, 1.0) };
            let _ = write!(
                out,
                "<line x1=\"{}\" x2=\"{}\" y1=\"{py}\" y2=\"{py}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>\
                 <text x=\"{}\" y=\"{py}\" dy=\"3.5\" text-anchor=\"end\">{}</text>",
                c(left),
                c(width - right),
                c(left - 4.0),
                escape(&self.tick_money(t, step))
            );
        }
        let _ = write!(
            out,
            "<text x=\"4\" y=\"10\" class=\"muted\">{}</text>",
            escape(self.l.million)
        );
        // Year labels: all when they fit, else every other (always the first and last).
        let every = if (width - left) / (n.max(1) as f64) < 34.0 {
            2
        } else {
            1
        };
        for (i, yr) in years.iter().take(n).enumerate() {
            if (n - 1 - i) % every == 0 {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{yr}</text>",
                    c(x.at(f64::from(*yr))),
                    c(height - 8.0)
                );
            }
        }
        out.push('\n');
        let finite = |i: usize| p10[i].is_finite() && p50[i].is_finite() && p90[i].is_finite();
        let upper = (0..n)
            .filter(|&i| finite(i))
            .map(|i| (x.at(f64::from(years[i])), y.at(p90[i])));
        let lower = (0..n)
            .rev()
            .filter(|&i| finite(i))
            .map(|i| (x.at(f64::from(years[i])), y.at(p10[i])));
        let area = svg::path(upper.chain(lower));
        let key_attr = key.map_or(String::new(), |k| format!(" data-key=\"{}\"", escape(k)));
        let member = escape(member);
        if !area.is_empty() {
            let _ = writeln!(
                out,
                "<path class=\"band\" data-member=\"{member}\"{key_attr} d=\"{area}Z\" fill=\"{BAND}\" fill-opacity=\"0.75\"/>"
            );
        }
        let median = svg::path(
            (0..n)
                .filter(|&i| finite(i))
                .map(|i| (x.at(f64::from(years[i])), y.at(p50[i]))),
        );
        let _ = writeln!(
            out,
            "<path class=\"median-line\" d=\"{median}\" fill=\"none\" stroke=\"#0b3d75\" stroke-width=\"2\"/>"
        );
        for i in 0..n {
            let _ = write!(
                out,
                "<circle class=\"fan-point\" data-member=\"{member}\"{key_attr} data-year=\"{}\" data-p10=\"{}\" data-p50=\"{}\" data-p90=\"{}\" cx=\"{}\" cy=\"{}\" r=\"2\" fill=\"#0b3d75\"/>",
                years[i],
                p10[i],
                p50[i],
                p90[i],
                c(x.at(f64::from(years[i]))),
                c(if p50[i].is_finite() {
                    y.at(p50[i])
                } else {
                    y.at(0.0)
                }),
            );
        }
        out.push_str("\n</svg>\n");
    }

    fn s_curves(&self, out: &mut String) {
        let (s, l) = (self.s, self.l);
        let _ = write!(
            out,
            "<section id=\"s-curves\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"legend\">",
            escape(l.s_heading),
            escape(l.s_note)
        );
        for (i, m) in s.members.iter().enumerate() {
            let _ = write!(
                out,
                "<span><span class=\"sw\" style=\"background:{}\"></span>{}</span>",
                PALETTE[i % PALETTE.len()],
                escape(&m.name)
            );
        }
        out.push_str("</div>\n");
        // Members of very different size (a city among villages: more than ten times the
        // inhabitants) would squeeze every other curve into a line at zero: the curves then
        // show NPV per inhabitant.
        let (smallest, largest) = s
            .members
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(a, b), m| {
                (a.min(m.population), b.max(m.population))
            });
        let per_inhabitant = smallest > 0.0 && largest > 10.0 * smallest;
        if per_inhabitant {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(l.s_per_inhabitant));
        }
        let divisor = |mi: usize| {
            if per_inhabitant {
                s.members[mi].population
            } else {
                1.0
            }
        };
        out.push_str("<div class=\"scurves\">\n");
        let (width, height) = (470.0, 270.0);
        let (left, right, top, bottom) = (40.0, 12.0, 10.0, 34.0);
        for key in &s.keys {
            let _ = writeln!(
                out,
                "<figure><figcaption>{}</figcaption>",
                escape(&key.name)
            );
            let (lo, hi) = svg::extent(key.members.iter().enumerate().flat_map(|(mi, m)| {
                let d = divisor(mi);
                m.npv_net_benefit.percentiles.values().map(move |v| v / d)
            }))
            .unwrap_or((-1.0, 1.0));
            let x = Scale::new(svg::padded_with_zero(lo, hi), (left, width - right));
            let y = Scale::new((0.0, 1.0), (height - bottom, top));
            Self::svg_open(
                out,
                "s-curve",
                width,
                height,
                &fill(l.aria_s, &[escape(&key.name)]),
            );
            for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
                let py = c(y.at(p));
                let _ = write!(
                    out,
                    "<line x1=\"{}\" x2=\"{}\" y1=\"{py}\" y2=\"{py}\" stroke=\"{GRID}\"/>\
                     <text x=\"{}\" y=\"{py}\" dy=\"3.5\" text-anchor=\"end\">{}</text>",
                    c(left),
                    c(width - right),
                    c(left - 4.0),
                    escape(&self.lang.percent(p))
                );
            }
            let axis = (top, height - bottom, height - bottom + 13.0);
            if per_inhabitant {
                self.x_axis(out, &x, axis, |t, _| self.lang.int(t));
            } else {
                self.x_money_axis(out, &x, axis.0, axis.1, axis.2);
            }
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{}</text>",
                c((left + width - right) / 2.0),
                c(height - 4.0),
                escape(if per_inhabitant {
                    l.npv_axis_per_inhabitant
                } else {
                    l.npv_axis
                })
            );
            for (i, m) in key.members.iter().enumerate() {
                let pts = levels(&m.npv_net_benefit);
                let div = divisor(i);
                let d = svg::path(pts.iter().map(|&(p, v)| (x.at(v / div), y.at(p))));
                let names: Vec<&str> = m
                    .npv_net_benefit
                    .percentiles
                    .keys()
                    .map(String::as_str)
                    .collect();
                let values: Vec<String> = m
                    .npv_net_benefit
                    .percentiles
                    .values()
                    .map(f64::to_string)
                    .collect();
                let _ = writeln!(
                    out,
                    "<path class=\"s-curve\" data-key=\"{}\" data-member=\"{}\" data-divisor=\"{div}\" data-levels=\"{}\" data-values=\"{}\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"/>",
                    escape(&key.name),
                    escape(&m.id),
                    names.join(" "),
                    values.join(" "),
                    PALETTE[i % PALETTE.len()]
                );
            }
            out.push_str("</svg>\n</figure>\n");
        }
        out.push_str("</div>\n</section>\n");
    }

    fn distribution(&self, out: &mut String) {
        let (s, l) = (self.s, self.l);
        let npv = &s.region.npv_net_benefit;
        let pts = levels(npv);
        let p_loss = 1.0 - s.region.p_win;
        let _ = writeln!(
            out,
            "<section id=\"distribution\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(l.dist_heading),
            fill(l.dist_note, &[escape(&self.lang.percent(p_loss))])
        );
        // Probability mass between consecutive percentiles, spread evenly over their interval;
        // intervals of zero width pass their mass on to the next one.
        let mut bins: Vec<(f64, f64, f64)> = Vec::new();
        let mut pending = 0.0;
        for w in pts.windows(2) {
            let ((p0, v0), (p1, v1)) = (w[0], w[1]);
            let mass = p1 - p0 + pending;
            if v1 > v0 {
                bins.push((v0, v1, mass));
                pending = 0.0;
            } else {
                pending = mass;
            }
        }
        if let Some(last) = bins.last_mut() {
            last.2 += pending;
        }
        let (width, height) = (W, 260.0);
        let (left, right, top, bottom) = (20.0, 20.0, 34.0, 40.0);
        Self::svg_open(out, "distribution", width, height, l.aria_dist);
        if bins.is_empty() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(width / 2.0),
                c(height / 2.0),
                escape(l.dist_degenerate)
            );
            out.push_str("</svg>\n</section>\n");
            return;
        }
        let lo = bins.first().map_or(0.0, |b| b.0);
        let hi = bins.last().map_or(1.0, |b| b.1);
        let x = Scale::new(svg::padded_with_zero(lo, hi), (left, width - right));
        let max_density = bins.iter().map(|(a, b, m)| m / (b - a)).fold(0.0, f64::max);
        let y = Scale::new((0.0, max_density * 1.08), (height - bottom, top));
        self.x_money_axis(out, &x, top, height - bottom, height - bottom + 14.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{}</text>\
             <text x=\"{}\" y=\"14\" class=\"muted\">{}</text>",
            c(width / 2.0),
            c(height - 6.0),
            escape(l.npv_axis),
            c(left),
            escape(l.density_axis)
        );
        for &(a, b, mass) in &bins {
            let density = mass / (b - a);
            // Split a bin that straddles zero so the loss side is shaded exactly.
            let parts: Vec<(f64, f64)> = if a < 0.0 && b > 0.0 {
                vec![(a, 0.0), (0.0, b)]
            } else {
                vec![(a, b)]
            };
            for (from, to) in parts {
                let p = mass * (to - from) / (b - a);
                let colour = if to <= 0.0 { LOSS } else { GAIN };
                let (x0, x1) = (x.at(from), x.at(to));
                let _ = writeln!(
                    out,
                    "<rect class=\"mass\" data-from=\"{from}\" data-to=\"{to}\" data-probability=\"{p}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\" fill-opacity=\"0.55\" stroke=\"{colour}\" stroke-width=\"0.5\"/>",
                    c(x0),
                    c(y.at(density)),
                    c((x1 - x0).max(0.1)),
                    c(y.at(0.0) - y.at(density))
                );
            }
        }
        // P10, P50, P90 and the mean; a label too close to the one before moves up a row.
        let mut markers = [
            ("P10", npv.p10),
            ("P50", npv.p50),
            ("P90", npv.p90),
            (l.mean, npv.mean),
        ];
        markers.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut last_x = [f64::NEG_INFINITY; 2];
        for (name, v) in markers {
            if !v.is_finite() {
                continue;
            }
            let row = usize::from(x.at(v) - last_x[0] < 40.0 && x.at(v) - last_x[1] >= 40.0);
            last_x[row] = x.at(v);
            let label_y = top - 4.0 - 12.0 * row as f64;
            let px = c(x.at(v));
            let _ = writeln!(
                out,
                "<line class=\"marker\" data-value=\"{v}\" x1=\"{px}\" x2=\"{px}\" y1=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-dasharray=\"3 3\"/>\
                 <text x=\"{px}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(top),
                c(height - bottom),
                c(label_y),
                escape(name)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{LOSS}\" class=\"lbl\" data-p-loss=\"{p_loss}\">{} {}</text>\
             <text x=\"{}\" y=\"{}\" fill=\"{GAIN}\" class=\"lbl\" data-p-win=\"{}\">{} {}</text>",
            c(x.at(0.0) - 6.0),
            c(top + 30.0),
            escape(l.loss),
            escape(&self.lang.percent(p_loss)),
            c(x.at(0.0) + 6.0),
            c(top + 30.0),
            s.region.p_win,
            escape(l.gain),
            escape(&self.lang.percent(s.region.p_win))
        );
        out.push_str("</svg>\n</section>\n");
    }

    fn tornado(&self, out: &mut String) {
        let l = self.l;
        let _ = writeln!(
            out,
            "<section id=\"tornado\">\n<h2>{}</h2>",
            escape(l.tornado_heading)
        );
        let Some(t) = &self.s.tornado else {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>\n</section>",
                escape(l.tornado_absent)
            );
            return;
        };
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>\n<div class=\"legend\"><span><span class=\"sw\" style=\"background:{}\"></span>{}</span>\
             <span><span class=\"sw\" style=\"background:{}\"></span>{}</span></div>",
            fill(l.tornado_note, &[escape(&self.money(t.base_output))]),
            PALETTE[1],
            escape(l.input_low),
            PALETTE[0],
            escape(l.input_high)
        );
        // The inputs that matter most; the rest move the result less than the last bar shown.
        let shown = &t.bars[..t.bars.len().min(TORNADO_BARS)];
        let (row, top, bottom) = (28.0, 30.0, 30.0);
        let (left, right) = (300.0, 20.0);
        let height = top + shown.len() as f64 * row + bottom;
        let (lo, hi) = svg::extent(
            shown
                .iter()
                .flat_map(|b| [b.output_at_low, b.output_at_high])
                .chain([t.base_output]),
        )
        .unwrap_or((-1.0, 1.0));
        let span = (hi - lo).max(1.0);
        // Room for the input labels at the bar ends.
        let x = Scale::new((lo - 0.14 * span, hi + 0.14 * span), (left, W - right));
        Self::svg_open(out, "tornado", W, height, l.aria_tornado);
        self.x_money_axis(out, &x, top - 6.0, height - bottom, height - bottom + 14.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{}</text>",
            c((left + W - right) / 2.0),
            c(height - 4.0),
            escape(l.npv_axis)
        );
        let base_x = c(x.at(t.base_output));
        let _ = writeln!(
            out,
            "<line class=\"base\" data-base=\"{}\" x1=\"{base_x}\" x2=\"{base_x}\" y1=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{base_x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            t.base_output,
            c(top - 6.0),
            c(height - bottom),
            c(top - 12.0),
            escape(&self.money(t.base_output))
        );
        for (i, b) in shown.iter().enumerate() {
            let y0 = top + i as f64 * row + 4.0;
            let h = row - 8.0;
            let (a, z) = (
                b.output_at_low.min(b.output_at_high),
                b.output_at_low.max(b.output_at_high),
            );
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
                 <rect class=\"tornado-bar\" data-parameter=\"{}\" data-low=\"{}\" data-high=\"{}\" data-input-low=\"{}\" data-input-high=\"{}\" data-swing=\"{}\" \
                 x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{GRID}\"/>",
                c(left - 8.0),
                c(y0 + h / 2.0 + 4.0),
                escape(&shorten(&b.parameter, 46)),
                escape(&b.parameter),
                b.output_at_low,
                b.output_at_high,
                b.input_low,
                b.input_high,
                b.swing,
                c(x.at(a)),
                c(y0),
                c((x.at(z) - x.at(a)).max(0.5)),
                c(h)
            );
            // The two halves: base → output with the input at P10, base → output at P90.
            for (output, input, colour, side) in [
                (b.output_at_low, b.input_low, PALETTE[1], "low"),
                (b.output_at_high, b.input_high, PALETTE[0], "high"),
            ] {
                let (from, to) = (
                    x.at(t.base_output.min(output)),
                    x.at(t.base_output.max(output)),
                );
                let _ = write!(
                    out,
                    "<rect data-side=\"{side}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                    c(from),
                    c(y0),
                    c((to - from).max(0.5)),
                    c(h)
                );
                let right_side =
                    output >= t.base_output && !(output == t.base_output && side == "low");
                let (tx, anchor) = if right_side {
                    (x.at(output) + 4.0, "start")
                } else {
                    (x.at(output) - 4.0, "end")
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"muted\" data-input=\"{input}\">{}</text>",
                    c(tx),
                    c(y0 + h / 2.0 + 4.0),
                    escape(&self.num(input))
                );
            }
            out.push('\n');
        }
        out.push_str("</svg>\n");
        if let Some(largest_rest) = t.bars.get(shown.len()) {
            let _ = writeln!(
                out,
                "<p class=\"note tornado-rest\" data-rest=\"{}\" data-largest-swing=\"{}\">{}</p>",
                t.bars.len() - shown.len(),
                largest_rest.swing,
                fill(
                    l.tornado_rest,
                    &[
                        (t.bars.len() - shown.len()).to_string(),
                        escape(&self.money(largest_rest.swing)),
                    ]
                )
            );
        }
        out.push_str("</section>\n");
    }

    fn tables(&self, out: &mut String) {
        let (s, l, lang) = (self.s, self.l, self.lang);
        let _ = writeln!(
            out,
            "<section id=\"tables\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(l.tables_heading),
            escape(l.tables_note)
        );
        for key in &s.keys {
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<table class=\"numbers\" data-key=\"{}\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th>\
                 <th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">P10</th><th class=\"n\">P50</th>\
                 <th class=\"n\">P90</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
                escape(&key.name),
                escape(&key.name),
                escape(l.member),
                escape(l.population),
                escape(l.share),
                escape(l.cost_per_inhabitant),
                escape(l.p_gain),
                escape(l.mean),
                escape(l.cvar10),
                escape(l.payback)
            );
            for (i, m) in key.members.iter().enumerate() {
                let st = &m.npv_net_benefit;
                let mean = if st.mean_reliable {
                    self.mnok(st.mean)
                } else {
                    lang.labels().not_established.to_owned()
                };
                let payback = m
                    .payback_year
                    .p50
                    .map_or_else(|| l.after_horizon.to_owned(), |y| y.to_string());
                let population = s.members.get(i).map_or(f64::NAN, |mm| mm.population);
                let _ = writeln!(
                    out,
                    "<tr data-member=\"{}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                     <td class=\"n\">{}</td><td class=\"n wrap\">{}</td></tr>",
                    escape(&m.id),
                    escape(self.member_name(&m.id)),
                    escape(&lang.int(population)),
                    escape(&lang.percent1(m.share)),
                    escape(&lang.int(m.cost_per_inhabitant)),
                    escape(&lang.percent(m.p_win)),
                    escape(&self.mnok(st.p10)),
                    escape(&self.mnok(st.p50)),
                    escape(&self.mnok(st.p90)),
                    escape(&mean),
                    escape(&self.mnok(st.cvar10)),
                    escape(&payback)
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");
    }

    fn assumptions(&self, out: &mut String) {
        let (s, l, lang) = (self.s, self.l, self.lang);
        let _ = writeln!(
            out,
            "<section id=\"assumptions\">\n<h2>{}</h2>\n<table class=\"assumptions\">\n<thead><tr><th>{}</th><th>{}</th>\
             <th class=\"n\">{}</th><th class=\"n\">P10</th><th class=\"n\">P50</th><th class=\"n\">P90</th><th>{}</th></tr></thead>\n<tbody>",
            escape(l.assumptions_heading),
            escape(l.assumption),
            escape(l.distribution),
            escape(l.mean),
            escape(l.source)
        );
        for a in &s.assumptions {
            let tail = a.tail_share_of_mean.map_or(String::new(), |t| {
                format!(
                    "<br><span class=\"note\">{} {}</span>",
                    escape(&lang.percent(t)),
                    escape(l.tail_share)
                )
            });
            let source = a.source.as_deref().map_or_else(
                || format!("<span class=\"note\">{}</span>", escape(l.no_source)),
                escape,
            );
            let _ = writeln!(
                out,
                "<tr><td>{}{tail}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{source}</td></tr>",
                escape(&a.name),
                escape(a.distribution),
                escape(&self.num(a.mean)),
                escape(&self.num(a.p10)),
                escape(&self.num(a.p50)),
                escape(&self.num(a.p90)),
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn warnings(&self, out: &mut String) {
        if self.s.warnings.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "<section id=\"warnings\">\n<h2>{}</h2>\n<ul class=\"warnings\">",
            escape(self.l.warnings_heading)
        );
        for w in &self.s.warnings {
            let _ = writeln!(out, "<li>{}</li>", escape(w));
        }
        out.push_str("</ul>\n</section>\n");
    }

    fn about(&self, out: &mut String, date: &str) {
        let (s, l, lang) = (self.s, self.l, self.lang);
        let _ = writeln!(
            out,
            "<section id=\"about\">\n<h2>{}</h2>\n<p>{}</p>\n<p id=\"rule\">{} {}</p>\n<h3>{}</h3>\n<dl class=\"prov\">",
            escape(l.about_heading),
            fill(
                l.method,
                &[
                    escape(&lang.int(s.scenario.draws as f64)),
                    escape(&lang.percent1(s.scenario.discount_rate)),
                    s.scenario.horizon_years.to_string(),
                ]
            ),
            escape(l.rule),
            escape(l.short_rule),
            escape(l.provenance)
        );
        let p = &s.provenance;
        let rows = [
            (l.version, p.samkost_version.to_owned()),
            (l.scenario_hash, p.scenario_hash.clone()),
            (l.seed, p.seed.to_string()),
            (l.draws, lang.int(p.draws as f64)),
            (l.sampling, p.sampling.to_owned()),
            (
                l.stability_draws,
                lang.int(s.scenario.stability_draws as f64),
            ),
            (l.band_draws, lang.int(s.scenario.band_draws as f64)),
            (l.quantiles, s.scenario.quantiles.to_owned()),
            (l.discount_rate, lang.percent1(s.scenario.discount_rate)),
            (l.date, date.to_owned()),
        ];
        for (name, value) in rows {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(&value));
        }
        out.push_str("</dl>\n");
        if let Some(pr) = &s.precision {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}{}</p>",
                fill(
                    l.precision,
                    &[
                        escape(&pr.measure),
                        escape(&self.num(pr.target)),
                        escape(&self.num(pr.achieved))
                    ]
                ),
                if pr.reached {
                    String::new()
                } else {
                    format!(" {}", escape(l.precision_not_reached))
                }
            );
        }
        out.push_str("</section>\n");
    }
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A quantity's percentiles as (probability, value), in increasing probability.
fn levels(stats: &Stats) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = stats
        .percentiles
        .iter()
        .filter_map(|(name, &v)| {
            let p: f64 = name.strip_prefix('p')?.parse().ok()?;
            v.is_finite().then_some((p / 100.0, v))
        })
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    pts
}
