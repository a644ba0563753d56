//! The report's section on leaving in a later year (docs/MODEL.md §10a): one sentence per key
//! in words a council reads, and a table of years × keys with the probability that some
//! member or group would gain by leaving that year, each cell carrying its numbers in `data-*`
//! attributes.

use std::fmt::Write as _;

use super::Report;
use crate::report::lang::Lang;
use crate::report::leaving::{group_words, leaving_sentence};
use crate::report::svg::escape;

/// The section's words per language: heading, explanation (filled with the first operating
/// year and the number of draws checked), the table's first column and the note under it.
fn words(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => [
            "Would anyone want to leave later?",
            "For each year from {0} on: would a municipality, or a group of them, pay less by \
             leaving the cooperation that year? A leaver runs its own ICT from then on, pays to \
             restart it (months of double running, as at the start) and to buy back the \
             equipment it gave up, and is bought out at its key share of the shared platform's \
             book value (IKS-loven § 30; the decision must be taken a notice period earlier, one \
             year under the act). Counted on the first {1} draws.",
            "Leaving in",
            "Each cell: the share of draws in which some member or group — or all of them, \
             winding the cooperation up — would gain by leaving that year, and the group most \
             often tempted.",
        ],
        Lang::Nb => [
            "Vil noen ønske å gå ut senere?",
            "For hvert år fra {0}: ville en kommune, eller en gruppe kommuner, betale mindre ved \
             å gå ut av samarbeidet det året? Den som går ut, driver egen IKT fra da av, betaler \
             for å starte den opp igjen (måneder med dobbel drift, som ved oppstarten) og for å \
             kjøpe tilbake utstyret den ga fra seg, og får utløst sin andel etter nøkkelen av \
             bokført verdi på den felles plattformen (IKS-loven § 30; vedtaket må fattes en \
             oppsigelsestid før, ett år etter loven). Talt på de første {1} trekkene.",
            "Uttreden i",
            "Hver celle: andelen trekk der en kommune eller gruppe — eller alle, ved å avvikle \
             samarbeidet — ville tjene på å gå ut det året, og gruppen som oftest ville det.",
        ],
    }
}

impl Report<'_> {
    /// The section, when stability over time was computed for some key.
    pub(super) fn leaving(&self, out: &mut String) {
        let (s, lang) = (self.s, self.lang);
        let Some(years) = s
            .keys
            .iter()
            .find(|k| !k.leaving.is_empty())
            .map(|k| k.leaving.iter().map(|y| y.year).collect::<Vec<_>>())
        else {
            return;
        };
        let [heading, intro, first_column, note] = words(lang);
        let intro = intro
            .replace("{0}", &years[0].to_string())
            .replace("{1}", &lang.int(s.scenario.leaving_draws as f64));
        let _ = writeln!(
            out,
            "<section id=\"leaving\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(heading),
            escape(&intro)
        );
        for (k, key) in s.keys.iter().enumerate() {
            if let Some(sentence) = leaving_sentence(s, k, lang) {
                let _ = writeln!(
                    out,
                    "<p class=\"leaving-verdict\" data-key=\"{}\">{}</p>",
                    escape(&key.name),
                    escape(&sentence)
                );
            }
        }
        let _ = write!(
            out,
            "<table class=\"numbers leaving\">\n<thead><tr><th>{}</th>",
            escape(first_column)
        );
        for key in &s.keys {
            let _ = write!(out, "<th class=\"n\">{}</th>", escape(&key.name));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (j, year) in years.iter().enumerate() {
            let _ = write!(out, "<tr data-year=\"{year}\"><td>{year}</td>");
            for key in &s.keys {
                let Some(y) = key.leaving.get(j) else {
                    out.push_str("<td class=\"n\"></td>");
                    continue;
                };
                let group = y
                    .top_group
                    .as_ref()
                    .map(|t| {
                        format!(
                            "<br><small>{}</small>",
                            escape(&group_words(s, &t.members, lang))
                        )
                    })
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<td class=\"n wrap\" data-key=\"{}\" data-p-any=\"{}\">{}{group}</td>",
                    escape(&key.name),
                    y.p_any,
                    escape(&lang.percent(y.p_any)),
                );
            }
            out.push_str("</tr>\n");
        }
        let _ = writeln!(
            out,
            "</tbody>\n</table>\n<p class=\"note\">{}</p>\n</section>",
            escape(note)
        );
    }
}
