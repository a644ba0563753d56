//! The words of the case summary (saksframlegg) and the member pages, one constant per
//! language. Plain words for a council: "outcomes" instead of draws, "in 8 of 10 outcomes
//! between" instead of P10–P90. `{0}`, `{1}` … are filled in.

use super::Lang;

/// Labels of the case summary and the member pages.
#[derive(Debug)]
pub struct CaseLabels {
    /// Document kind above the title ("Case summary").
    pub kind: &'static str,
    /// Kind of a member page ("For the council of {0}").
    pub member_kind: &'static str,
    /// Meta line ({0}: members, {1}: first year, {2}: last year, {3}: date).
    pub meta: &'static str,
    /// "The question".
    pub question_heading: &'static str,
    /// The question ({0}: the members, {1}: the first year of shared operation).
    pub question: &'static str,
    /// A member's question ({0}: member, {1}: cooperation).
    pub member_question: &'static str,
    /// "The answer".
    pub answer_heading: &'static str,
    /// Every member gains in at least 90 % of the outcomes ({0}: key, {1}: probability).
    pub yes: &'static str,
    /// … in 50–90 % ({0}: key, {1}: probability).
    pub probably: &'static str,
    /// … under half, although the region gains ({0}: key, {1}: probability, {2}: the
    /// region's probability).
    pub no: &'static str,
    /// The region loses in most outcomes ({0}: probability of a loss).
    pub region_loses: &'static str,
    /// The region's gain ({0}: years, {1}: expected, {2}: low, {3}: high).
    pub region_gain: &'static str,
    /// The region's gain when its expected value is not established ({0}: years, {1}: low,
    /// {2}: high).
    pub region_gain_unsure: &'static str,
    /// "The recommended key and why".
    pub key_heading: &'static str,
    /// Stability ({0}: probability no group would do better alone).
    pub key_stable: &'static str,
    /// Burden ratio ({0}: ratio).
    pub key_burden: &'static str,
    /// The council decides.
    pub key_council: &'static str,
    /// Columns of the key table: key, all gain, stable.
    pub keys_columns: [&'static str; 3],
    /// "What each municipality pays and gains".
    pub members_heading: &'static str,
    /// How to read the table ({0}: years, {1}: discount rate, {2}: outcomes).
    pub members_note: &'static str,
    /// Columns of the member table.
    pub members_columns: [&'static str; 7],
    /// "not within the period".
    pub not_within: &'static str,
    /// "not established" for an expected value whose sign the outcomes do not settle.
    pub unsure: &'static str,
    /// "The main risks".
    pub risks_heading: &'static str,
    /// An input's share of the uncertainty ({0}: input, {1}: share).
    pub risk_input: &'static str,
    /// An input from the tornado when no variance ranking was computed ({0}: input, {1}:
    /// swing).
    pub risk_input_swing: &'static str,
    /// A cost overrun's tail ({0}: name, {1}: mean factor, {2}: the factor 1 in 10 projects
    /// exceeds, {3}: tail share).
    pub risk_overrun: &'static str,
    /// The member most likely to lose ({0}: member, {1}: probability).
    pub risk_loser: &'static str,
    /// The group most tempted to leave ({0}: group, {1}: probability).
    pub risk_breakaway: &'static str,
    /// The region loses ({0}: probability).
    pub risk_region: &'static str,
    /// "About the calculation".
    pub about_heading: &'static str,
    /// The method in one paragraph ({0}: outcomes, {1}: version, {2}: seed, {3}: date).
    pub about: &'static str,
    /// A member's result under the recommended key ({0}: member, {1}: key, {2}: share,
    /// {3}: cost per inhabitant).
    pub member_pays: &'static str,
    /// A member's gain ({0}: years, {1}: expected, {2}: low, {3}: high, {4}: probability).
    pub member_gains: &'static str,
    /// Payback ({0}: median year).
    pub member_payback: &'static str,
    /// No payback within the period.
    pub member_no_payback: &'static str,
    /// "Under each key".
    pub member_keys_heading: &'static str,
    /// Columns of a member's key table.
    pub member_keys_columns: [&'static str; 5],
    /// A member in the group most tempted to leave ({0}: group, {1}: probability).
    pub member_breakaway: &'static str,
    /// The member's chance of a loss ({0}: probability).
    pub member_loss: &'static str,
    /// Where the rest is ({0}: the case summary file).
    pub member_more: &'static str,
}

impl CaseLabels {
    const EN: CaseLabels = CaseLabels {
        kind: "Case summary",
        member_kind: "For the council of {0}",
        meta: "Members: {0}. Period {1}–{2}. Prepared {3}.",
        question_heading: "The question",
        question: "Does it pay off for each of {0} to run their ICT together from {1}, and how should they share the costs?",
        member_question: "Does it pay off for {0} to join {1}, and what will it cost?",
        answer_heading: "The answer",
        yes: "Yes. With the cost-sharing key {0}, every municipality comes out ahead of going alone in {1} of the calculated outcomes.",
        probably: "Probably, but not surely. With the cost-sharing key {0}, every municipality comes out ahead in {1} of the calculated outcomes; in the rest at least one loses.",
        no: "Not with any of the keys compared. The region as a whole gains in {2} of the outcomes, but even with {0} every municipality gains in only {1}.",
        region_loses: "No. The cooperation costs the region as a whole more than it saves in {0} of the outcomes.",
        region_gain: "For the region as a whole, over {0} years: an expected gain of {1} in today's money, and in 8 of 10 outcomes between {2} and {3}.",
        region_gain_unsure: "For the region as a whole, over {0} years, the expected gain is not established: in 8 of 10 outcomes it lies between {1} and {2}.",
        key_heading: "The recommended key and why",
        key_stable: "In {0} of the outcomes no group of municipalities would do better on its own.",
        key_burden: "The municipality that pays most per inhabitant pays {0} times as much as the one that pays least.",
        key_council: "The choice is the council's: the table shows every key compared.",
        keys_columns: ["Key", "Every municipality gains", "No group better alone"],
        members_heading: "What each municipality pays and gains",
        members_note: "Gain is what the municipality would pay alone minus what it pays in the cooperation, over {0} years, in today's money (present value at a real discount rate of {1}). The figures come from {2} calculated outcomes in which every uncertain assumption varies over its range; \"8 of 10 outcomes\" leaves out the best and the worst tenth.",
        members_columns: [
            "Municipality",
            "Share of the shared costs",
            "Cost per inhabitant and year",
            "Expected gain, MNOK",
            "In 8 of 10 outcomes between, MNOK",
            "Chance of gaining",
            "Ahead by (middle outcome)",
        ],
        not_within: "not within the period",
        unsure: "not established",
        risks_heading: "The main risks",
        risk_input: "{0}: accounts for {1} of the uncertainty in the region's result.",
        risk_input_swing: "{0}: moves the region's result by {1} between its low and high value.",
        risk_overrun: "Cost overrun ({0}): on average {1} times the estimate, but 1 project in 10 ends above {2} times; {3} of the expected overrun comes from the rare large ones.",
        risk_loser: "{0} loses under this key in {1} of the outcomes.",
        risk_breakaway: "{0} would do better on their own in {1} of the outcomes, which may strain the cooperation.",
        risk_region: "The region as a whole loses in {0} of the outcomes.",
        about_heading: "About the calculation",
        about: "Calculated with samkost {1} from {0} outcomes (seed {2}) on {3}. The full report (report.html) shows every key, chart and assumption with its source; summary.json and samkost.xlsx hold every number.",
        member_pays: "With the recommended key {1}, {0} pays {2} of the shared costs, about {3} per inhabitant a year in the cooperation.",
        member_gains: "Over {0} years the expected gain is {1} in today's money; in 8 of 10 outcomes between {2} and {3}. Chance of gaining: {4}.",
        member_payback: "In the middle outcome the cooperation has paid for itself by {0}.",
        member_no_payback: "In the middle outcome the cooperation has not paid for itself within the period.",
        member_keys_heading: "Under each key compared",
        member_keys_columns: [
            "Key",
            "Expected gain, MNOK",
            "In 8 of 10 outcomes between, MNOK",
            "Chance of gaining",
            "Cost per inhabitant and year",
        ],
        member_breakaway: "{0} would do better on their own in {1} of the outcomes under this key.",
        member_loss: "Under this key the municipality loses in {0} of the outcomes.",
        member_more: "The region's figures, the other municipalities and the assumptions: {0} and report.html.",
    };

    const NB: CaseLabels = CaseLabels {
        kind: "Saksframlegg",
        member_kind: "Til kommunestyret i {0}",
        meta: "Kommuner: {0}. Periode {1}–{2}. Utarbeidet {3}.",
        question_heading: "Spørsmålet",
        question: "Lønner det seg for hver av kommunene {0} å drive IKT sammen fra {1}, og hvordan bør kostnadene fordeles?",
        member_question: "Lønner det seg for {0} å gå inn i {1}, og hva vil det koste?",
        answer_heading: "Svaret",
        yes: "Ja. Med fordelingsnøkkelen {0} kommer alle kommunene bedre ut enn alene i {1} av de beregnede utfallene.",
        probably: "Trolig, men ikke sikkert. Med fordelingsnøkkelen {0} kommer alle kommunene bedre ut i {1} av de beregnede utfallene; i resten taper minst én.",
        no: "Ikke med noen av nøklene som er sammenlignet. Regionen samlet tjener på samarbeidet i {2} av utfallene, men selv med {0} kommer alle kommunene bedre ut bare i {1}.",
        region_loses: "Nei. Samarbeidet koster regionen samlet mer enn det sparer i {0} av utfallene.",
        region_gain: "For regionen samlet, over {0} år: forventet gevinst {1} i dagens kroner, og i 8 av 10 utfall mellom {2} og {3}.",
        region_gain_unsure: "For regionen samlet, over {0} år, er forventet gevinst ikke fastslått: i 8 av 10 utfall ligger den mellom {1} og {2}.",
        key_heading: "Anbefalt fordelingsnøkkel og hvorfor",
        key_stable: "I {0} av utfallene ville ingen gruppe kommuner klart seg bedre på egen hånd.",
        key_burden: "Kommunen som betaler mest per innbygger, betaler {0} ganger så mye som den som betaler minst.",
        key_council: "Valget er kommunestyrenes: tabellen viser alle nøklene som er sammenlignet.",
        keys_columns: [
            "Nøkkel",
            "Alle kommunene tjener",
            "Ingen gruppe bedre alene",
        ],
        members_heading: "Hva hver kommune betaler og får",
        members_note: "Gevinst er det kommunen ville betalt alene minus det den betaler i samarbeidet, over {0} år, i dagens kroner (nåverdi med reell kalkulasjonsrente {1}). Tallene kommer fra {2} beregnede utfall der alle usikre forutsetninger varierer innenfor sitt spenn; «8 av 10 utfall» utelater den beste og den dårligste tidelen.",
        members_columns: [
            "Kommune",
            "Andel av felleskostnadene",
            "Kostnad per innbygger og år",
            "Forventet gevinst, mill.\u{a0}kr",
            "I 8 av 10 utfall mellom, mill.\u{a0}kr",
            "Sjanse for gevinst",
            "I pluss innen (midterste utfall)",
        ],
        not_within: "ikke innen perioden",
        unsure: "ikke fastslått",
        risks_heading: "De viktigste risikoene",
        risk_input: "{0}: står for {1} av usikkerheten i regionens resultat.",
        risk_input_swing: "{0}: flytter regionens resultat med {1} mellom lav og høy verdi.",
        risk_overrun: "Kostnadsoverskridelse ({0}): i snitt {1} ganger anslaget, men 1 av 10 prosjekter ender over {2} ganger; {3} av forventet overskridelse kommer fra de sjeldne store sprekkene.",
        risk_loser: "{0} taper med denne nøkkelen i {1} av utfallene.",
        risk_breakaway: "{0} ville klart seg bedre på egen hånd i {1} av utfallene, noe som kan sette samarbeidet under press.",
        risk_region: "Regionen samlet taper i {0} av utfallene.",
        about_heading: "Om beregningen",
        about: "Beregnet med samkost {1} fra {0} utfall (startverdi {2}) den {3}. Hele rapporten (report.html) viser alle nøkler, diagrammer og forutsetninger med kilder; summary.json og samkost.xlsx har alle tallene.",
        member_pays: "Med den anbefalte nøkkelen {1} betaler {0} {2} av felleskostnadene, omtrent {3} per innbygger og år i samarbeidet.",
        member_gains: "Over {0} år er forventet gevinst {1} i dagens kroner; i 8 av 10 utfall mellom {2} og {3}. Sjanse for gevinst: {4}.",
        member_payback: "I det midterste utfallet har samarbeidet betalt seg innen {0}.",
        member_no_payback: "I det midterste utfallet har samarbeidet ikke betalt seg innen perioden.",
        member_keys_heading: "Med hver nøkkel som er sammenlignet",
        member_keys_columns: [
            "Nøkkel",
            "Forventet gevinst, mill.\u{a0}kr",
            "I 8 av 10 utfall mellom, mill.\u{a0}kr",
            "Sjanse for gevinst",
            "Kostnad per innbygger og år",
        ],
        member_breakaway: "{0} ville klart seg bedre på egen hånd i {1} av utfallene med denne nøkkelen.",
        member_loss: "Med denne nøkkelen taper kommunen i {0} av utfallene.",
        member_more: "Regionens tall, de andre kommunene og forutsetningene: {0} og report.html.",
    };

    /// The labels of a language.
    pub fn of(lang: Lang) -> &'static CaseLabels {
        match lang {
            Lang::En => &Self::EN,
            Lang::Nb => &Self::NB,
        }
    }
}
