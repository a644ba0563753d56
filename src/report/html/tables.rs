//! The reference sections: number tables per key, assumptions with their sources, warnings, and "About the calculation" with provenance.

use std::fmt::Write as _;

use super::{Report, fill};
use crate::report::inputs::input_label;
use crate::report::svg::escape;

impl Report<'_> {
    pub(super) fn tables(&self, out: &mut String) {
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

    pub(super) fn assumptions(&self, out: &mut String) {
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
                "<tr data-parameter=\"{}\"><td>{}<span class=\"rule\">{}</span>{tail}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{source}</td></tr>",
                escape(&a.name),
                escape(&input_label(&a.name, a.origin.as_ref(), lang)),
                escape(&a.name),
                escape(a.distribution),
                escape(&self.num(a.mean)),
                escape(&self.num(a.p10)),
                escape(&self.num(a.p50)),
                escape(&self.num(a.p90)),
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out.push_str(&crate::report::calibration::html_table(s, lang, &|v| {
            self.num(v)
        }));
        out.push_str("</section>\n");
    }

    pub(super) fn warnings(&self, out: &mut String) {
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

    pub(super) fn about(&self, out: &mut String, date: &str) {
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
