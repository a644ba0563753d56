//! The case summary (`saksframlegg.html`, at most two A4 pages) and one page per member for
//! its own council (`saksframlegg-<id>.html`): the question, the answer, the recommended key
//! and why, what each municipality pays and gains with its uncertainty in plain words, and
//! the main risks. Built from the [`SummaryJson`] alone, like the report; every number of the
//! member table is also carried at full precision in `data-*` attributes.

use std::fmt::Write as _;

use super::case_labels::CaseLabels;
use super::{Report, fill, short_answer_sentence};
use crate::report::existing;
use crate::report::inputs::input_label;
use crate::report::json::{KeyJson, KeyMemberJson, Stats, SummaryJson};
use crate::report::lang::{self, Lang};
use crate::report::recommend;
use crate::report::svg::escape;

/// Risk drivers named in the case summary.
const RISK_INPUTS: usize = 3;

/// Print layout: A4, one column, compact; a member page fits one sheet.
const CASE_CSS: &str = r#"*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1f24}
main{max-width:820px;margin:0 auto;padding:20px}
.kind{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:#59636e;margin:0}
h1{font-size:22px;margin:2px 0 4px}
h2{font-size:15px;margin:14px 0 4px;border-bottom:1.5px solid #1b1f24;padding-bottom:2px}
p{margin:4px 0}
.meta,.note{color:#59636e;font-size:12px}
.answer{font-size:16px;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:12px;margin:4px 0}
th,td{padding:3px 5px;border-bottom:1px solid #d0d5db;text-align:left;vertical-align:top}
th{background:#f3f4f6;font-weight:600;font-size:11px}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.recommended td{background:#eaf3fd;font-weight:600}
ul{margin:4px 0;padding-left:20px}
@page{size:A4;margin:14mm 14mm}
@media print{body{font-size:9.5pt}main{max-width:none;padding:0}table{font-size:8.5pt}th{font-size:8pt}
h2{break-after:avoid}tr,li{break-inside:avoid}}"#;

/// The case summary for the council's case document.
pub fn case_summary_html(summary: &SummaryJson, lang: Lang, date: &str) -> String {
    let r = Report::new(summary, lang);
    let l = CaseLabels::of(lang);
    let s = summary;
    let names: Vec<&str> = s.members.iter().map(|m| m.name.as_str()).collect();
    let mut out = String::with_capacity(32 * 1024);
    open(&mut out, lang, &s.scenario.name, l.kind);
    meta(&mut out, &r, l, &names, date);
    section(&mut out, "question", l.question_heading);
    let _ = writeln!(
        out,
        "<p>{}</p>",
        fill(
            l.question,
            &[
                escape(&lang.list(&names)),
                s.scenario.operation_start.to_string()
            ]
        )
    );
    existing_question(&mut out, s, lang);
    out.push_str("</section>\n");
    let first = recommend::of_summary(s).map(|r| r.key);
    section(&mut out, "answer", l.answer_heading);
    answer(&mut out, &r, l, first);
    if let Some(e) = &s.scenario.existing {
        for sentence in existing::member_sentences(s, e, lang) {
            let _ = writeln!(out, "<p>{}</p>", escape(&sentence));
        }
    }
    out.push_str("</section>\n");
    if let Some(k) = first {
        recommended_key(&mut out, &r, l, k);
        member_table(&mut out, &r, l, k);
        r.case_budget_table(&mut out, k);
    }
    risks(&mut out, &r, l, first);
    about(&mut out, &r, l, date);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// One page for member `member` (an index into the summary's members) for its own council.
pub fn member_page_html(summary: &SummaryJson, member: usize, lang: Lang, date: &str) -> String {
    let r = Report::new(summary, lang);
    let l = CaseLabels::of(lang);
    let s = summary;
    let m = &s.members[member];
    let names: Vec<&str> = s.members.iter().map(|m| m.name.as_str()).collect();
    let mut out = String::with_capacity(16 * 1024);
    let kind = fill(l.member_kind, &[escape(&m.name)]);
    open(
        &mut out,
        lang,
        &format!("{} – {}", m.name, s.scenario.name),
        "",
    );
    let _ = writeln!(
        out,
        "<p class=\"kind\">{kind}</p>\n<h1>{}</h1>",
        escape(&s.scenario.name)
    );
    meta(&mut out, &r, l, &names, date);
    section(&mut out, "question", l.question_heading);
    let _ = writeln!(
        out,
        "<p>{}</p>",
        fill(
            l.member_question,
            &[escape(&m.name), escape(&s.scenario.name)]
        )
    );
    existing_question(&mut out, s, lang);
    out.push_str("</section>\n");
    let first = recommend::of_summary(s).map(|r| r.key);
    section(&mut out, "answer", l.answer_heading);
    if let Some(k) = first {
        let key = &s.keys[k];
        let o = &key.members[member];
        let _ = writeln!(
            out,
            "<p class=\"answer\" data-recommended-key=\"{}\">{}</p>",
            escape(&key.name),
            fill(
                l.member_pays,
                &[
                    escape(&m.name),
                    escape(&key.name),
                    escape(&lang.percent1(o.share)),
                    escape(&lang.nok(o.cost_per_inhabitant)),
                ]
            )
        );
        let st = &o.npv_net_benefit;
        let _ = writeln!(
            out,
            "<p data-mean=\"{}\" data-p10=\"{}\" data-p90=\"{}\" data-p-win=\"{}\">{}</p>",
            st.mean,
            st.p10,
            st.p90,
            o.p_win,
            fill(
                l.member_gains,
                &[
                    s.scenario.horizon_years.to_string(),
                    escape(&expected(&r, l, st)),
                    escape(&r.money(st.p10)),
                    escape(&r.money(st.p90)),
                    escape(&lang.percent(o.p_win)),
                ]
            )
        );
        let payback = o.payback_year.p50.map_or_else(
            || escape(l.member_no_payback),
            |y| fill(l.member_payback, &[y.to_string()]),
        );
        let _ = writeln!(out, "<p>{payback}</p>");
        if let Some(e) = &s.scenario.existing
            && let Some(sentence) = existing::member_sentences(s, e, lang).get(member)
        {
            let _ = writeln!(out, "<p>{}</p>", escape(sentence));
        }
        r.member_budget_sentence(&mut out, k, member);
    } else {
        answer(&mut out, &r, l, first);
    }
    out.push_str("</section>\n");
    member_keys(&mut out, &r, l, member, first);
    member_risks(&mut out, &r, l, member, first);
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        fill(l.member_more, &["saksframlegg.html".to_owned()])
    );
    about(&mut out, &r, l, date);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// With an existing cooperation (docs/MODEL.md §10c), who cooperates today and what each
/// member's figures compare, under the question.
fn existing_question(out: &mut String, s: &SummaryJson, lang: Lang) {
    if let Some(e) = &s.scenario.existing {
        let _ = writeln!(
            out,
            "<p>{}</p>\n<p class=\"note\">{}</p>",
            escape(&existing::intro_sentence(s, e, lang)),
            escape(existing::note(lang))
        );
    }
}

/// The file name of a member's page: `saksframlegg-<id>.html`, with any character of the id
/// other than ASCII letters, digits, `-` and `_` written as `_`.
pub fn member_page_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("saksframlegg-{safe}.html")
}

fn open(out: &mut String, lang: Lang, title: &str, kind: &str) {
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CASE_CSS}\n</style>\n</head>\n<body>\n<main>",
        lang.code(),
        escape(title)
    );
    if !kind.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"kind\">{}</p>\n<h1>{}</h1>",
            escape(kind),
            escape(title)
        );
    }
}

fn meta(out: &mut String, r: &Report<'_>, l: &CaseLabels, names: &[&str], date: &str) {
    let sc = &r.s.scenario;
    let last = sc.first_year + sc.horizon_years as i32 - 1;
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}</p>",
        fill(
            l.meta,
            &[
                escape(&r.lang.list(names)),
                sc.first_year.to_string(),
                last.to_string(),
                escape(date),
            ]
        )
    );
}

fn section(out: &mut String, id: &str, heading: &str) {
    let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{}</h2>", escape(heading));
}

/// The expected value in money, or "not established" when the outcomes do not settle its
/// sign.
fn expected(r: &Report<'_>, l: &CaseLabels, st: &Stats) -> String {
    if st.mean_reliable {
        r.money(st.mean)
    } else {
        l.unsure.to_owned()
    }
}

/// P10 to P90 in millions without the unit: "−21.6 to −9.8".
fn range(r: &Report<'_>, st: &Stats) -> String {
    let to = match r.lang {
        Lang::En => "to",
        Lang::Nb => "til",
    };
    format!("{} {to} {}", r.mnok(st.p10), r.mnok(st.p90))
}

/// The expected value in millions without the unit (the column header has it).
fn expected_mnok(r: &Report<'_>, l: &CaseLabels, st: &Stats) -> String {
    if st.mean_reliable {
        r.mnok(st.mean)
    } else {
        l.unsure.to_owned()
    }
}

fn answer(out: &mut String, r: &Report<'_>, l: &CaseLabels, first: Option<usize>) {
    let (s, lang) = (r.s, r.lang);
    if let Some(k) = first {
        let texts = [l.yes, l.probably, l.no, l.region_loses];
        let (kind, sentence) = short_answer_sentence(s, lang, k, texts);
        let _ = writeln!(
            out,
            "<p class=\"answer\" data-answer=\"{kind}\">{sentence}</p>"
        );
    }
    let npv = &s.region.npv_net_benefit;
    let years = s.scenario.horizon_years.to_string();
    let line = if npv.mean_reliable {
        fill(
            l.region_gain,
            &[
                years,
                escape(&r.money(npv.mean)),
                escape(&r.money(npv.p10)),
                escape(&r.money(npv.p90)),
            ],
        )
    } else {
        fill(
            l.region_gain_unsure,
            &[years, escape(&r.money(npv.p10)), escape(&r.money(npv.p90))],
        )
    };
    let _ = writeln!(out, "<p>{line}</p>");
}

fn recommended_key(out: &mut String, r: &Report<'_>, l: &CaseLabels, k: usize) {
    let (s, lang) = (r.s, r.lang);
    let key = &s.keys[k];
    section(out, "key", l.key_heading);
    let _ = writeln!(
        out,
        "<p><b>{}</b> ({}).{}</p>",
        escape(&key.name),
        escape(&lang::describe_key(key, lang)),
        key.note
            .as_ref()
            .map_or(String::new(), |n| format!(" <i>{}</i>", escape(n)))
    );
    // The same reason as the report's first screen and summary.json's `recommendation`.
    let mut why = recommend::of_summary(s)
        .map(|rec| escape(&recommend::reason(s, &rec, lang)))
        .unwrap_or_default();
    if let Some(p) = key.p_core_stable {
        why.push(' ');
        why.push_str(&fill(l.key_stable, &[escape(&lang.percent(p))]));
    }
    if let Some(b) = key.burden_ratio {
        why.push(' ');
        why.push_str(&fill(l.key_burden, &[escape(&lang.decimal(b, 1))]));
    }
    let _ = writeln!(
        out,
        "<p>{why} {}</p>\n<table class=\"keys\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>",
        escape(l.key_council),
        escape(l.keys_columns[0]),
        escape(l.keys_columns[1]),
        escape(l.keys_columns[2])
    );
    for (i, other) in s.keys.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr{} data-key=\"{}\" data-p-all-win=\"{}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if i == k { " class=\"recommended\"" } else { "" },
            escape(&other.name),
            other.p_all_win,
            escape(&other.name),
            escape(&lang.percent(other.p_all_win)),
            other
                .p_core_stable
                .map_or_else(|| "–".to_owned(), |p| escape(&lang.percent(p)))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn member_table(out: &mut String, r: &Report<'_>, l: &CaseLabels, k: usize) {
    let (s, lang) = (r.s, r.lang);
    let key = &s.keys[k];
    section(out, "members", l.members_heading);
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        fill(
            l.members_note,
            &[
                s.scenario.horizon_years.to_string(),
                escape(&lang.percent1(s.scenario.discount_rate)),
                escape(&lang.int(s.scenario.draws as f64)),
            ]
        )
    );
    out.push_str("<table class=\"members\" data-key=\"");
    out.push_str(&escape(&key.name));
    out.push_str("\">\n<thead><tr>");
    for (i, c) in l.members_columns.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"n\"" };
        let _ = write!(out, "<th{class}>{}</th>", escape(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (m, o) in s.members.iter().zip(&key.members) {
        member_row(out, r, l, &m.name, o);
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn member_row(out: &mut String, r: &Report<'_>, l: &CaseLabels, name: &str, o: &KeyMemberJson) {
    let lang = r.lang;
    let st = &o.npv_net_benefit;
    let payback = o
        .payback_year
        .p50
        .map_or_else(|| l.not_within.to_owned(), |y| y.to_string());
    let _ = writeln!(
        out,
        "<tr data-member=\"{}\" data-share=\"{}\" data-cost-per-inhabitant=\"{}\" data-mean=\"{}\" data-p10=\"{}\" data-p90=\"{}\" data-p-win=\"{}\">\
         <td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        escape(&o.id),
        o.share,
        o.cost_per_inhabitant,
        st.mean,
        st.p10,
        st.p90,
        o.p_win,
        escape(name),
        escape(&lang.percent1(o.share)),
        escape(&lang.nok(o.cost_per_inhabitant)),
        escape(&expected_mnok(r, l, st)),
        escape(&range(r, st)),
        escape(&lang.percent(o.p_win)),
        escape(&payback)
    );
}

/// The risks: what drives the region's result, fat-tailed overruns, who loses, who is
/// tempted to leave.
fn risks(out: &mut String, r: &Report<'_>, l: &CaseLabels, first: Option<usize>) {
    let (s, lang) = (r.s, r.lang);
    section(out, "risks", l.risks_heading);
    out.push_str("<ul>\n");
    let mut item = |text: String| {
        let _ = writeln!(out, "<li>{text}</li>");
    };
    if let Some(sobol) = &s.sobol {
        for input in sobol.inputs.iter().take(RISK_INPUTS) {
            item(fill(
                l.risk_input,
                &[
                    escape(&input_label(&input.parameter, input.origin.as_ref(), lang)),
                    escape(&lang.percent(input.total_order.max(0.0))),
                ],
            ));
        }
    } else if let Some(t) = &s.tornado {
        for bar in t.bars.iter().take(RISK_INPUTS) {
            item(fill(
                l.risk_input_swing,
                &[
                    escape(&input_label(&bar.parameter, bar.origin.as_ref(), lang)),
                    escape(&r.money(bar.swing)),
                ],
            ));
        }
    }
    for a in &s.assumptions {
        if let Some(tail) = a.tail_share_of_mean {
            item(fill(
                l.risk_overrun,
                &[
                    escape(&input_label(&a.name, a.origin.as_ref(), lang)),
                    escape(&lang.decimal(a.mean, 2)),
                    escape(&lang.decimal(a.p90, 2)),
                    escape(&lang.percent(tail)),
                ],
            ));
        }
    }
    if let Some(k) = first {
        key_risks(&mut item, r, l, &s.keys[k], None);
    }
    if s.region.p_win < 1.0 {
        item(fill(
            l.risk_region,
            &[escape(&lang.percent(1.0 - s.region.p_win))],
        ));
    }
    for w in &s.warnings {
        item(escape(w));
    }
    out.push_str("</ul>\n</section>\n");
}

/// A key's risks: the member most likely to lose (or `member`'s own chance of a loss) and the
/// group most tempted to leave.
fn key_risks(
    item: &mut impl FnMut(String),
    r: &Report<'_>,
    l: &CaseLabels,
    key: &KeyJson,
    member: Option<usize>,
) {
    let (s, lang) = (r.s, r.lang);
    match member {
        Some(i) => item(fill(
            l.member_loss,
            &[escape(&lang.percent(key.members[i].p_loss))],
        )),
        None => {
            let worst = key
                .members
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.p_win.total_cmp(&b.1.p_win));
            if let Some((i, m)) = worst
                && m.p_loss > 0.0
            {
                item(fill(
                    l.risk_loser,
                    &[escape(&s.members[i].name), escape(&lang.percent(m.p_loss))],
                ));
            }
        }
    }
    if let Some(b) = &key.top_breakaway {
        let idx: Vec<usize> = b
            .members
            .iter()
            .filter_map(|id| s.members.iter().position(|m| &m.id == id))
            .collect();
        if member.is_none_or(|i| idx.contains(&i)) {
            let names: Vec<&str> = s.members.iter().map(|m| m.name.as_str()).collect();
            let text = if member.is_some() {
                l.member_breakaway
            } else {
                l.risk_breakaway
            };
            item(fill(
                text,
                &[
                    escape(&lang::describe_group(&names, &idx, lang)),
                    escape(&lang.percent(b.p)),
                ],
            ));
        }
    }
}

fn member_keys(
    out: &mut String,
    r: &Report<'_>,
    l: &CaseLabels,
    member: usize,
    first: Option<usize>,
) {
    let (s, lang) = (r.s, r.lang);
    section(out, "keys", l.member_keys_heading);
    out.push_str("<table class=\"member-keys\">\n<thead><tr>");
    for (i, c) in l.member_keys_columns.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"n\"" };
        let _ = write!(out, "<th{class}>{}</th>", escape(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (k, key) in s.keys.iter().enumerate() {
        let o = &key.members[member];
        let st = &o.npv_net_benefit;
        let _ = writeln!(
            out,
            "<tr{} data-key=\"{}\" data-mean=\"{}\" data-p10=\"{}\" data-p90=\"{}\" data-p-win=\"{}\"><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if Some(k) == first {
                " class=\"recommended\""
            } else {
                ""
            },
            escape(&key.name),
            st.mean,
            st.p10,
            st.p90,
            o.p_win,
            escape(&key.name),
            escape(&expected_mnok(r, l, st)),
            escape(&range(r, st)),
            escape(&lang.percent(o.p_win)),
            escape(&lang.nok(o.cost_per_inhabitant))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn member_risks(
    out: &mut String,
    r: &Report<'_>,
    l: &CaseLabels,
    member: usize,
    first: Option<usize>,
) {
    section(out, "risks", l.risks_heading);
    out.push_str("<ul>\n");
    let mut item = |text: String| {
        let _ = writeln!(out, "<li>{text}</li>");
    };
    if let Some(k) = first {
        key_risks(&mut item, r, l, &r.s.keys[k], Some(member));
    }
    if let Some(input) = r.s.sobol.as_ref().and_then(|s| s.inputs.first()) {
        item(fill(
            l.risk_input,
            &[
                escape(&input_label(
                    &input.parameter,
                    input.origin.as_ref(),
                    r.lang,
                )),
                escape(&r.lang.percent(input.total_order.max(0.0))),
            ],
        ));
    }
    out.push_str("</ul>\n</section>\n");
}

fn about(out: &mut String, r: &Report<'_>, l: &CaseLabels, date: &str) {
    let p = &r.s.provenance;
    section(out, "about", l.about_heading);
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>\n</section>",
        fill(
            l.about,
            &[
                escape(&r.lang.int(p.draws as f64)),
                escape(p.samkost_version),
                p.seed.to_string(),
                escape(date),
            ]
        )
    );
}
