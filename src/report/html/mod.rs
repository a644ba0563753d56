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
//! key), the keys compared member by member, who would want to leave in a later year, the fan chart of cumulative NPV by year, S-curves
//! per key, the distribution of the region's NPV, the tornado, the number tables per key, the
//! assumptions with their sources, the warnings, and "About the calculation" (the rule for the
//! key to consider first, and provenance).
//!
//! Labels live in [`HtmlLabels`], one constant per language; numbers go through [`Lang`].

mod answer;
mod budget;
mod case;
mod case_budget;
mod case_labels;
mod charts;
mod existing;
mod labels;
mod leaving;
mod membership;
mod risk;
mod style;
mod tables;
mod views;

use std::fmt::Write as _;

use super::json::{Stats, SummaryJson};
use super::lang::{self, Lang};
use super::svg::{self, Scale, c, escape};
pub use case::{case_summary_html, member_page_html, member_page_name};
pub use case_labels::CaseLabels;
pub use labels::HtmlLabels;

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

/// The short answer for key `k` as a `data-answer` kind and its sentence: `texts` are the
/// sentences for yes, probably, no and region-loses, filled with the key's name, its
/// probability that all gain and the region's (or, when the region loses, the probability
/// that it does), HTML-escaped.
fn short_answer_sentence(
    s: &SummaryJson,
    lang: Lang,
    k: usize,
    texts: [&str; 4],
) -> (&'static str, String) {
    let [yes, probably, no, region_loses] = texts;
    let key = &s.keys[k];
    let (kind, text) = match short_answer(s, k) {
        ShortAnswer::Yes => ("yes", yes),
        ShortAnswer::Probably => ("probably", probably),
        ShortAnswer::No => ("no", no),
        ShortAnswer::RegionLoses => ("region-loses", region_loses),
    };
    let args = if kind == "region-loses" {
        vec![escape(&lang.percent(1.0 - s.region.p_win))]
    } else {
        vec![
            escape(&key.name),
            escape(&lang.percent(key.p_all_win)),
            escape(&lang.percent(s.region.p_win)),
        ]
    };
    (kind, fill(text, &args))
}

/// Bars in the report's tornado chart: the inputs that move the region's NPV most.
pub const TORNADO_BARS: usize = 15;

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
    let first = crate::report::recommend::of_summary(summary).map(|r| r.key);
    let fan_key = report_key
        .and_then(|name| summary.keys.iter().position(|k| k.name == name))
        .or(first);
    let mut out = String::with_capacity(256 * 1024);
    r.head(&mut out);
    r.answer(&mut out, first, fan_key);
    r.comparison(&mut out);
    r.leaving(&mut out);
    r.membership(&mut out);
    r.existing(&mut out);
    r.fans(&mut out, fan_key);
    r.s_curves(&mut out);
    r.distribution(&mut out);
    r.tornado(&mut out);
    r.tables(&mut out);
    r.views(&mut out, first);
    r.payments(&mut out, first);
    r.budget(&mut out, first);
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
/// Sixteen distinct colours, so that up to 16 keys (or members) never share one: the
/// Okabe–Ito colours first, then Paul Tol's muted and dark schemes.
pub const PALETTE: [&str; 16] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6f00", "#332288",
    "#882255", "#44aa99", "#999933", "#aa4499", "#117733", "#6699cc", "#661100", "#888888",
];
const GAIN: &str = "#1a7f37";
const LOSS: &str = "#c4314b";
const BAND: &str = "#9ec5ec";
const GRID: &str = "#e3e6ea";
const INK: &str = "#1b1f24";
/// Width of every chart in user units.
const W: f64 = 960.0;

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

#[cfg(test)]
mod tests {
    use super::PALETTE;

    #[test]
    fn sixteen_keys_get_sixteen_distinct_colours() {
        let mut colours: Vec<&str> = PALETTE.to_vec();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), 16);
    }
}
