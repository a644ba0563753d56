//! The report's section on the three views (`#views`, docs/MODEL.md §6d): each member's and
//! the region's NPV in the cash, budget and socio-economic views under the key to consider
//! first, and every key's probability that all members gain in each view. Every cell carries
//! its number from `summary.json` in `data-value`.

use std::fmt::Write as _;

use super::Report;
use crate::report::lang::Lang;
use crate::report::svg::escape;
use crate::report::views::{DEFINITIONS, NpvViewJson};

struct ViewLabels {
    heading: &'static str,
    /// `{0}`: the key.
    note: &'static str,
    views: [&'static str; 3],
    definitions: [&'static str; 3],
    member: &'static str,
    region: &'static str,
    mnok_win: &'static str,
    all_win_heading: &'static str,
    key: &'static str,
}

const EN: ViewLabels = ViewLabels {
    heading: "Cash, budget and socio-economic view",
    note: "NPV of net benefit under {0} (the key to consider first) in each view, MNOK (real, discounted, mean over the draws), with the probability that it is positive. Every other figure in this report is in the cash view unless it says otherwise.",
    views: ["Cash view", "Budget view", "Socio-economic view"],
    definitions: [
        DEFINITIONS.cash,
        DEFINITIONS.budget,
        DEFINITIONS.socioeconomic,
    ],
    member: "Member",
    region: "Region",
    mnok_win: "MNOK [P(gain)]",
    all_win_heading: "Probability that every member gains, per key and view",
    key: "Key",
};

const NB: ViewLabels = ViewLabels {
    heading: "Kontantstrøm, budsjett og samfunnsøkonomi",
    note: "Nåverdi av netto gevinst med {0} (nøkkelen å se på først) i hver visning, mill. kr (faste priser, neddiskontert, gjennomsnitt over trekkene), med sannsynligheten for at den er positiv. Alle andre tall i rapporten er i kontantstrømvisningen om ikke annet står.",
    views: ["Kontantstrøm", "Budsjett", "Samfunnsøkonomisk"],
    definitions: [
        "IKT-kostnadene alene minus i samarbeidet, uten merverdiavgift, neddiskontert: nåverdiene alle nøkler og mål bruker",
        "det deltakernes skattefinansierte budsjetter vinner: kontantbesparelsen minus andelen som belastes gebyrfinansierte tjenester, pluss merverdiavgift som ikke lenger bæres, pluss den realiserte andelen av tjenestegevinstene etter forsinkelsen",
        "alle ressursvirkninger, realisert eller ikke (kontantbesparelsen og hele verdien av tjenestegevinstene), pluss 20 % skattefinansieringskostnad på netto endring i skattefinansierte utgifter (DFØ 2023; R-109/2021)",
    ],
    member: "Kommune",
    region: "Regionen",
    mnok_win: "mill. kr [P(gevinst)]",
    all_win_heading: "Sannsynlighet for at alle deltakere vinner, per nøkkel og visning",
    key: "Nøkkel",
};

fn labels(lang: Lang) -> &'static ViewLabels {
    match lang {
        Lang::En => &EN,
        Lang::Nb => &NB,
    }
}

impl Report<'_> {
    /// The three views under the key to consider first (`first`, else the first key), and
    /// every key's win-win probability in each view.
    pub(super) fn views(&self, out: &mut String, first: Option<usize>) {
        let (s, l) = (self.s, labels(self.lang));
        let Some(k) = first.or((!s.keys.is_empty()).then_some(0)) else {
            return;
        };
        let Some(key) = s.npv_views.keys.get(k) else {
            return;
        };
        let _ = writeln!(
            out,
            "<section id=\"views\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<ul class=\"note\">",
            escape(l.heading),
            escape(&l.note.replace("{0}", &key.name))
        );
        for (name, definition) in l.views.iter().zip(l.definitions) {
            let _ = writeln!(out, "<li>{}: {}.</li>", escape(name), escape(definition));
        }
        let head: String = l
            .views
            .iter()
            .map(|v| format!("<th class=\"n\">{}</th>", escape(v)))
            .collect();
        let _ = writeln!(
            out,
            "</ul>\n<table class=\"numbers views\" data-key=\"{}\">\n<thead><tr><th>{} ({})</th>{head}</tr></thead>\n<tbody>",
            escape(&key.name),
            escape(l.member),
            escape(l.mnok_win),
        );
        for m in &key.members {
            let cells = [&m.cash, &m.budget, &m.socioeconomic].map(|v| self.view_cell(v));
            let _ = writeln!(
                out,
                "<tr data-view-member=\"{}\"><td>{}</td>{}</tr>",
                escape(&m.id),
                escape(self.member_name(&m.id)),
                cells.concat()
            );
        }
        let r = &key.region;
        let cells = [&r.cash, &r.budget, &r.socioeconomic].map(|v| self.view_cell(v));
        let _ = writeln!(
            out,
            "<tr data-view-member=\"region\"><th>{}</th>{}</tr>\n</tbody></table>",
            escape(l.region),
            cells.concat()
        );
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table class=\"numbers views-all-win\">\n<thead><tr><th>{}</th>{head}</tr></thead>\n<tbody>",
            escape(l.all_win_heading),
            escape(l.key),
        );
        for key in &s.npv_views.keys {
            let p = &key.p_all_win_by_view;
            let cells: String = [p.cash, p.budget, p.socioeconomic]
                .iter()
                .map(|v| {
                    format!(
                        "<td class=\"n\" data-value=\"{v}\">{}</td>",
                        escape(&self.lang.percent(*v))
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr data-key=\"{}\"><td>{}</td>{cells}</tr>",
                escape(&key.name),
                escape(&key.name)
            );
        }
        let _ = writeln!(out, "</tbody></table>\n</section>");
    }

    fn view_cell(&self, v: &NpvViewJson) -> String {
        format!(
            "<td class=\"n\" data-value=\"{}\" data-p-win=\"{}\">{} [{}]</td>",
            v.mean,
            v.p_win,
            escape(&self.mnok(v.mean)),
            escape(&self.lang.percent(v.p_win))
        )
    }
}
