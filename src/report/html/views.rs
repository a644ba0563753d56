//! The report's section on the three views (`#views`, docs/MODEL.md §6d): each member's and
//! the region's NPV in the cash, budget and socio-economic views under the key to consider
//! first (mean, P10, P50, P90, probability of gaining), and every key's probability that all
//! members gain and its core stability in each view. Every cell carries its numbers from
//! `summary.json` in `data-*` attributes; every table names the view of each column.

use std::fmt::Write as _;

use super::Report;
use crate::report::lang::Lang;
use crate::report::svg::escape;
use crate::report::views::{DEFINITIONS, KeyViewsJson, NpvViewJson};

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
    core_heading: &'static str,
    core_note: &'static str,
    /// A view without a cost game: `{0}` the reason.
    core_undefined: &'static str,
    key: &'static str,
}

const EN: ViewLabels = ViewLabels {
    heading: "Cash, budget and socio-economic view",
    note: "NPV of net benefit under {0} (the key to consider first) in each view, MNOK (real, discounted): the mean over the draws with the probability that it is positive, and below it P10 / P50 / P90. Every other figure in this report is in the cash view unless it says otherwise.",
    views: ["Cash view", "Budget view", "Socio-economic view"],
    definitions: [
        DEFINITIONS.cash,
        DEFINITIONS.budget,
        DEFINITIONS.socioeconomic,
    ],
    member: "Member",
    region: "Region",
    mnok_win: "MNOK: mean [P(gain)]; P10 / P50 / P90",
    all_win_heading: "Probability that every member gains, per key and view",
    core_heading: "Core stability, per key and view: share of the stability draws in which no group would do better on its own",
    core_note: "In the budget and socio-economic views a group of two or more members is checked as in the cash view, and a member alone must not have a negative NPV in the view (docs/MODEL.md §6d).",
    core_undefined: "The budget view has no core stability here: {0}.",
    key: "Key",
};

const NB: ViewLabels = ViewLabels {
    heading: "Kontantstrøm, budsjett og samfunnsøkonomi",
    note: "Nåverdi av netto gevinst med {0} (nøkkelen å se på først) i hver visning, mill. kr (faste priser, neddiskontert): gjennomsnittet over trekkene med sannsynligheten for at den er positiv, og under P10 / P50 / P90. Alle andre tall i rapporten er i kontantstrømvisningen om ikke annet står.",
    views: ["Kontantstrøm", "Budsjett", "Samfunnsøkonomisk"],
    definitions: [
        "IKT-kostnadene alene minus i samarbeidet, uten merverdiavgift, neddiskontert: nåverdiene alle nøkler og mål bruker",
        "det deltakernes skattefinansierte budsjetter vinner: kontantbesparelsen minus andelen som belastes gebyrfinansierte tjenester, pluss merverdiavgift som ikke lenger bæres, pluss den realiserte andelen av tjenestegevinstene etter forsinkelsen",
        "alle ressursvirkninger, realisert eller ikke (kontantbesparelsen og hele verdien av tjenestegevinstene), pluss 20 % skattefinansieringskostnad på netto endring i skattefinansierte utgifter (DFØ 2023; R-109/2021)",
    ],
    member: "Kommune",
    region: "Regionen",
    mnok_win: "mill. kr: snitt [P(gevinst)]; P10 / P50 / P90",
    all_win_heading: "Sannsynlighet for at alle deltakere vinner, per nøkkel og visning",
    core_heading: "Kjernestabilitet per nøkkel og visning: andel av stabilitetstrekkene der ingen gruppe ville klart seg bedre alene",
    core_note: "I budsjett- og samfunnsøkonomisk visning sjekkes grupper på to eller flere deltakere som i kontantstrømvisningen, og en deltaker alene skal ikke ha negativ nåverdi i visningen (docs/MODEL.md §6d).",
    core_undefined: "Budsjettvisningen har ingen kjernestabilitet her: en deltaker er helt gebyrfinansiert, så budsjettet endres ikke med det den betaler.",
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
        let _ = writeln!(out, "<h3>{}</h3>", escape(l.all_win_heading));
        self.per_key_table(out, "views-all-win", &head, |key| {
            let p = &key.p_all_win_by_view;
            [p.cash, p.budget, p.socioeconomic].map(Some)
        });
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<p class=\"note\">{}</p>",
            escape(l.core_heading),
            escape(l.core_note)
        );
        if let Some(reason) = s.npv_views.budget_core_undefined {
            let text = match self.lang {
                Lang::En => l.core_undefined.replace("{0}", reason),
                Lang::Nb => l.core_undefined.to_owned(),
            };
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&text));
        }
        self.per_key_table(out, "views-core", &head, |key| {
            let p = &key.p_core_stable_by_view;
            [p.cash, p.budget, p.socioeconomic]
        });
        let _ = writeln!(out, "</section>");
    }

    /// A table with a row per key and a probability per view (`–` where there is none).
    fn per_key_table(
        &self,
        out: &mut String,
        class: &str,
        head: &str,
        values: impl Fn(&KeyViewsJson) -> [Option<f64>; 3],
    ) {
        let l = labels(self.lang);
        let _ = writeln!(
            out,
            "<table class=\"numbers {class}\">\n<thead><tr><th>{}</th>{head}</tr></thead>\n<tbody>",
            escape(l.key),
        );
        for key in &self.s.npv_views.keys {
            let cells: String = values(key)
                .iter()
                .map(|v| match v {
                    Some(v) => format!(
                        "<td class=\"n\" data-value=\"{v}\">{}</td>",
                        escape(&self.lang.percent(*v))
                    ),
                    None => "<td class=\"n\">–</td>".to_owned(),
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr data-key=\"{}\"><td>{}</td>{cells}</tr>",
                escape(&key.name),
                escape(&key.name)
            );
        }
        let _ = writeln!(out, "</tbody></table>");
    }

    fn view_cell(&self, v: &NpvViewJson) -> String {
        format!(
            "<td class=\"n\" data-value=\"{}\" data-p10=\"{}\" data-p50=\"{}\" data-p90=\"{}\" data-p-win=\"{}\">{} [{}]<br><span class=\"band\">{} / {} / {}</span></td>",
            v.mean,
            v.p10,
            v.p50,
            v.p90,
            v.p_win,
            escape(&self.mnok(v.mean)),
            escape(&self.lang.percent(v.p_win)),
            escape(&self.mnok(v.p10)),
            escape(&self.mnok(v.p50)),
            escape(&self.mnok(v.p90)),
        )
    }
}
