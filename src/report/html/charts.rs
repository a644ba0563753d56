//! The member charts: keys compared member by member, fan charts of the cumulative NPV by year, S-curves per key.

use std::fmt::Write as _;

use super::{BAND, GAIN, GRID, INK, LOSS, PALETTE, Report, W, fill, levels};
use crate::report::svg::{self, Scale, c, escape};

impl Report<'_> {
    pub(super) fn comparison(&self, out: &mut String) {
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

    pub(super) fn fans(&self, out: &mut String, fan_key: Option<usize>) {
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
    pub(super) fn fan_chart(
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

    pub(super) fn s_curves(&self, out: &mut String) {
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
}
