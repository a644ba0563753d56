//! The labels of the HTML report, one constant per language, so that no language can miss one.

use super::Lang;

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
    /// Heading of the variance-based ranking.
    pub sobol_heading: &'static str,
    /// What the Sobol' indices say ({0}: base sample size, {1}: evaluations).
    pub sobol_note: &'static str,
    /// The Sobol' indices were not computed.
    pub sobol_absent: &'static str,
    /// Column: the share of the variance (total index).
    pub sobol_total: &'static str,
    /// Column: the share of the variance alone (first-order index).
    pub sobol_first: &'static str,
    /// The two rankings disagree on the first input ({0}: the tornado's first, {1}: the
    /// variance ranking's first, {2}: its share).
    pub sobol_differs: &'static str,
    /// "Input".
    pub input: &'static str,
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
        sobol_heading: "Share of the uncertainty (variance-based ranking)",
        sobol_note: "The tornado moves one input at a time between its P10 and P90, so it cannot see what lies beyond them, such as the fat tail of a cost overrun. This ranking varies every input at once over its whole distribution and shows the share of the variance of the region's NPV that each input accounts for, with its 95 % interval (Sobol' total index; base sample {0}, {1} model evaluations). The shares overlap where inputs interact, so they need not add up to 100 %.",
        sobol_absent: "The variance-based ranking was not computed for this run (--sobol 0). The tornado above understates inputs with fat tails, such as cost overruns; run with --sobol 1024 to rank them by their share of the uncertainty.",
        sobol_total: "share of the variance (95 % interval)",
        sobol_first: "alone",
        sobol_differs: "The tornado ranks {0} first, but over the whole distributions {1} accounts for {2} of the variance.",
        input: "Input",
        tables_heading: "Numbers per key",
        tables_note: "NPV of each member's net benefit (standalone cost minus cost in the cooperation, discounted) in MNOK.",
        assumptions_heading: "Assumptions",
        warnings_heading: "Warnings",
        about_heading: "About the calculation",
        method: "Each of the {0} draws samples every uncertain input, computes what each member would pay alone and in the cooperation year by year over {2} years, allocates the cooperation's cost with each key and discounts the difference at a real rate of {1}. Probabilities are shares of the draws; P10, P50 and P90 are the values that 10 %, 50 % and 90 % of the draws fall below.",
        rule: "Key to consider first: among the keys that are stable in most draws (no group of members would do better on its own), keys with an even burden first, the one most often stable; keys within 1.96 × √(SE₁² + SE₂²) of it cannot be told apart at 95 % confidence, and among them the one with the lowest burden ratio is recommended. When no key is stable in most draws, or stability was not checked, the same on the probability that every member gains. It is a starting point for the council's discussion, not a decision.",
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
        short_yes: "Ja. Med {0} tjener alle kommunene på samarbeidet i {1} av trekningene.",
        short_probably: "Trolig, men ikke sikkert. Med {0} tjener alle kommunene på samarbeidet i {1} av trekningene; i resten taper minst én kommune.",
        short_no: "Ikke med noen av fordelingsnøklene som er sammenlignet. Regionen samlet tjener på samarbeidet i {2} av trekningene, men selv med {0} tjener alle kommunene på det bare i {1}.",
        short_region_loses: "Nei. Regionen samlet taper i {0} av trekningene: gevinstene dekker ikke kostnadene ved å samarbeide, uansett fordelingsnøkkel.",
        short_rule: "Det korte svaret er «Ja» når alle kommunene tjener på samarbeidet med fordelingsnøkkelen som bør vurderes først i minst 90 % av trekningene, «Trolig» fra 50 % til 90 %, og «Nei» under 50 % (med begrunnelsen: regionen samlet taper, eller gevinsten kan ikke fordeles slik at alle tjener på det).",
        fan_key: "Viftediagrammene nedenfor viser fordelingsnøkkelen {0}.",
        region_line: "Regionen samlet: netto nåverdi av gevinsten er {0} i gjennomsnitt (± {1}); 8 av 10 trekninger mellom {2} og {3}.",
        region_line_unreliable: "Regionen samlet: gjennomsnittlig netto nåverdi er ikke fastslått av trekningene (± {0}); 8 av 10 trekninger mellom {1} og {2}.",
        region_gains: "Regionen tjener på samarbeidet i {0} av trekningene.",
        meta: "{0}–{1} · felles drift fra {2} · reell kalkulasjonsrente {3} · {4} trekninger · {5} kommuner",
        keys_heading: "Alle fordelingsnøklene samlet",
        key: "Fordelingsnøkkel",
        all_gain: "Alle tjener på det",
        stable: "Ingen gruppe tjener på å gå ut",
        burden: "Belastningsforhold",
        burden_note: "Belastningsforhold: høyeste kommunes kostnad per innbygger per år delt på laveste; markert når det overstiger terskelen for kjøringen.",
        burden_flag: "skjevt",
        verdict: "Vurdering",
        not_checked: "ikke sjekket",
        first_marker: "vurder først",
        comparison_heading: "Fordelingsnøklene sammenlignet, kommune for kommune",
        comparison_note: "Hver linje er én fordelingsnøkkel for én kommune: punktet er median netto nåverdi av kommunens gevinst, linjen går fra P10 til P90 (8 av 10 trekninger ligger innenfor). Prosenten er sannsynligheten for gevinst. Til høyre for nullinjen tjener kommunen på samarbeidet.",
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
        sobol_heading: "Andel av usikkerheten (variansbasert rangering)",
        sobol_note: "Tornadoen flytter én forutsetning om gangen mellom P10 og P90, og ser derfor ikke det som ligger utenfor, som den tunge halen i en kostnadsoverskridelse. Denne rangeringen varierer alle forutsetningene samtidig over hele fordelingen og viser hvor stor andel av variansen i regionens netto nåverdi hver forutsetning står for, med 95 % intervall (Sobols totalindeks; grunnutvalg {0}, {1} modellberegninger). Andelene overlapper der forutsetninger virker sammen, så de summerer ikke nødvendigvis til 100 %.",
        sobol_absent: "Den variansbaserte rangeringen ble ikke beregnet i denne kjøringen (--sobol 0). Tornadoen over undervurderer forutsetninger med tunge haler, som kostnadsoverskridelser; kjør med --sobol 1024 for å rangere dem etter andel av usikkerheten.",
        sobol_total: "andel av variansen (95 % intervall)",
        sobol_first: "alene",
        sobol_differs: "Tornadoen setter {0} først, men over hele fordelingene står {1} for {2} av variansen.",
        input: "Forutsetning",
        tables_heading: "Tall per fordelingsnøkkel",
        tables_note: "Netto nåverdi av hver kommunes gevinst (kostnad alene minus kostnad i samarbeidet, diskontert) i mill. kr.",
        assumptions_heading: "Forutsetninger",
        warnings_heading: "Advarsler",
        about_heading: "Om beregningen",
        method: "Hver av de {0} trekningene trekker alle usikre forutsetninger, beregner hva hver kommune ville betalt alene og i samarbeidet år for år over {2} år, fordeler samarbeidets kostnad med hver fordelingsnøkkel og diskonterer differansen med en reell kalkulasjonsrente på {1}. Sannsynligheter er andeler av trekningene; P10, P50 og P90 er verdiene som 10 %, 50 % og 90 % av trekningene ligger under.",
        rule: "Fordelingsnøkkel å vurdere først: blant nøklene som er stabile i de fleste trekningene (ingen gruppe kommuner ville klart seg bedre alene), de med jevn belastning først, den som oftest er stabil; nøkler innenfor 1,96 × √(SE₁² + SE₂²) av den kan ikke skilles med 95 % sikkerhet, og blant dem anbefales den med lavest belastningsforhold. Er ingen nøkkel stabil i de fleste trekningene, eller er stabilitet ikke kontrollert, gjelder det samme for sannsynligheten for at alle kommunene tjener på samarbeidet. Dette er et utgangspunkt for kommunestyrets drøfting, ikke et vedtak.",
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
        seed: "Startverdi for tilfeldige tall (seed)",
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
