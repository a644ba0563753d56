//! The first screen: title, question and answer (the key to consider first, its verdict, the region's NPV) and one verdict row per key.

use std::fmt::Write as _;

use super::style::CSS;
use super::{PALETTE, Report, fill, short_answer_sentence};
use crate::report::lang;
use crate::report::svg::escape;

impl Report<'_> {
    pub(super) fn head(&self, out: &mut String) {
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

    pub(super) fn answer(&self, out: &mut String, first: Option<usize>, fan_key: Option<usize>) {
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
            let texts = [
                l.short_yes,
                l.short_probably,
                l.short_no,
                l.short_region_loses,
            ];
            let (answer, sentence) = short_answer_sentence(s, lang, k, texts);
            let _ = writeln!(
                out,
                "<p class=\"short\" data-answer=\"{answer}\">{sentence}</p>"
            );
            let _ = writeln!(
                out,
                "<p class=\"first\" data-recommended-key=\"{}\"><small>{}</small>{}</p>\n\
                 <p class=\"verdict\">{}.</p>\n<p class=\"note\">{}</p>",
                escape(&key.name),
                escape(l.consider_first),
                escape(&key.name),
                escape(&lang::verdict(s, k, lang)),
                crate::report::recommend::of_summary(s).map_or_else(String::new, |r| escape(
                    &crate::report::recommend::reason(s, &r, lang)
                ))
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
}
