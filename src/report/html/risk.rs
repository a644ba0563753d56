//! The region's risk: the distribution of its NPV and the tornado of the inputs that move it.

use std::fmt::Write as _;

use super::{GAIN, GRID, INK, LOSS, PALETTE, Report, TORNADO_BARS, W, fill, levels, shorten};
use crate::report::inputs::input_label;
use crate::report::json::OriginJson;
use crate::report::svg::{self, Scale, c, escape};

impl Report<'_> {
    pub(super) fn distribution(&self, out: &mut String) {
        let (s, l) = (self.s, self.l);
        let npv = &s.region.npv_net_benefit;
        let pts = levels(npv);
        let p_loss = 1.0 - s.region.p_win;
        let _ = writeln!(
            out,
            "<section id=\"distribution\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(l.dist_heading),
            fill(l.dist_note, &[escape(&self.lang.percent(p_loss))])
        );
        // Probability mass between consecutive percentiles, spread evenly over their interval;
        // intervals of zero width pass their mass on to the next one.
        let mut bins: Vec<(f64, f64, f64)> = Vec::new();
        let mut pending = 0.0;
        for w in pts.windows(2) {
            let ((p0, v0), (p1, v1)) = (w[0], w[1]);
            let mass = p1 - p0 + pending;
            if v1 > v0 {
                bins.push((v0, v1, mass));
                pending = 0.0;
            } else {
                pending = mass;
            }
        }
        if let Some(last) = bins.last_mut() {
            last.2 += pending;
        }
        let (width, height) = (W, 260.0);
        let (left, right, top, bottom) = (20.0, 20.0, 34.0, 40.0);
        Self::svg_open(out, "distribution", width, height, l.aria_dist);
        if bins.is_empty() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(width / 2.0),
                c(height / 2.0),
                escape(l.dist_degenerate)
            );
            out.push_str("</svg>\n</section>\n");
            return;
        }
        let lo = bins.first().map_or(0.0, |b| b.0);
        let hi = bins.last().map_or(1.0, |b| b.1);
        let x = Scale::new(svg::padded_with_zero(lo, hi), (left, width - right));
        let max_density = bins.iter().map(|(a, b, m)| m / (b - a)).fold(0.0, f64::max);
        let y = Scale::new((0.0, max_density * 1.08), (height - bottom, top));
        self.x_money_axis(out, &x, top, height - bottom, height - bottom + 14.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{}</text>\
             <text x=\"{}\" y=\"14\" class=\"muted\">{}</text>",
            c(width / 2.0),
            c(height - 6.0),
            escape(l.npv_axis),
            c(left),
            escape(l.density_axis)
        );
        for &(a, b, mass) in &bins {
            let density = mass / (b - a);
            // Split a bin that straddles zero so the loss side is shaded exactly.
            let parts: Vec<(f64, f64)> = if a < 0.0 && b > 0.0 {
                vec![(a, 0.0), (0.0, b)]
            } else {
                vec![(a, b)]
            };
            for (from, to) in parts {
                let p = mass * (to - from) / (b - a);
                let colour = if to <= 0.0 { LOSS } else { GAIN };
                let (x0, x1) = (x.at(from), x.at(to));
                let _ = writeln!(
                    out,
                    "<rect class=\"mass\" data-from=\"{from}\" data-to=\"{to}\" data-probability=\"{p}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\" fill-opacity=\"0.55\" stroke=\"{colour}\" stroke-width=\"0.5\"/>",
                    c(x0),
                    c(y.at(density)),
                    c((x1 - x0).max(0.1)),
                    c(y.at(0.0) - y.at(density))
                );
            }
        }
        // P10, P50, P90 and the mean; a label too close to the one before moves up a row.
        let mut markers = [
            ("P10", npv.p10),
            ("P50", npv.p50),
            ("P90", npv.p90),
            (l.mean, npv.mean),
        ];
        markers.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut last_x = [f64::NEG_INFINITY; 2];
        for (name, v) in markers {
            if !v.is_finite() {
                continue;
            }
            let row = usize::from(x.at(v) - last_x[0] < 40.0 && x.at(v) - last_x[1] >= 40.0);
            last_x[row] = x.at(v);
            let label_y = top - 4.0 - 12.0 * row as f64;
            let px = c(x.at(v));
            let _ = writeln!(
                out,
                "<line class=\"marker\" data-value=\"{v}\" x1=\"{px}\" x2=\"{px}\" y1=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-dasharray=\"3 3\"/>\
                 <text x=\"{px}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(top),
                c(height - bottom),
                c(label_y),
                escape(name)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{LOSS}\" class=\"lbl\" data-p-loss=\"{p_loss}\">{} {}</text>\
             <text x=\"{}\" y=\"{}\" fill=\"{GAIN}\" class=\"lbl\" data-p-win=\"{}\">{} {}</text>",
            c(x.at(0.0) - 6.0),
            c(top + 30.0),
            escape(l.loss),
            escape(&self.lang.percent(p_loss)),
            c(x.at(0.0) + 6.0),
            c(top + 30.0),
            s.region.p_win,
            escape(l.gain),
            escape(&self.lang.percent(s.region.p_win))
        );
        out.push_str("</svg>\n</section>\n");
    }

    pub(super) fn tornado(&self, out: &mut String) {
        let l = self.l;
        let _ = writeln!(
            out,
            "<section id=\"tornado\">\n<h2>{}</h2>",
            escape(l.tornado_heading)
        );
        let Some(t) = &self.s.tornado else {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>\n</section>",
                escape(l.tornado_absent)
            );
            return;
        };
        let label = |parameter: &str, origin: Option<&OriginJson>| {
            input_label(parameter, origin, self.lang)
        };
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>\n<div class=\"legend\"><span><span class=\"sw\" style=\"background:{}\"></span>{}</span>\
             <span><span class=\"sw\" style=\"background:{}\"></span>{}</span></div>",
            fill(l.tornado_note, &[escape(&self.money(t.base_output))]),
            PALETTE[1],
            escape(l.input_low),
            PALETTE[0],
            escape(l.input_high)
        );
        // The inputs that matter most; the rest move the result less than the last bar shown.
        let shown = &t.bars[..t.bars.len().min(TORNADO_BARS)];
        let (row, top, bottom) = (28.0, 30.0, 30.0);
        let (left, right) = (300.0, 20.0);
        let height = top + shown.len() as f64 * row + bottom;
        let (lo, hi) = svg::extent(
            shown
                .iter()
                .flat_map(|b| [b.output_at_low, b.output_at_high])
                .chain([t.base_output]),
        )
        .unwrap_or((-1.0, 1.0));
        let span = (hi - lo).max(1.0);
        // Room for the input labels at the bar ends.
        let x = Scale::new((lo - 0.14 * span, hi + 0.14 * span), (left, W - right));
        Self::svg_open(out, "tornado", W, height, l.aria_tornado);
        self.x_money_axis(out, &x, top - 6.0, height - bottom, height - bottom + 14.0);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{}</text>",
            c((left + W - right) / 2.0),
            c(height - 4.0),
            escape(l.npv_axis)
        );
        let base_x = c(x.at(t.base_output));
        let _ = writeln!(
            out,
            "<line class=\"base\" data-base=\"{}\" x1=\"{base_x}\" x2=\"{base_x}\" y1=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{base_x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            t.base_output,
            c(top - 6.0),
            c(height - bottom),
            c(top - 12.0),
            escape(&self.money(t.base_output))
        );
        for (i, b) in shown.iter().enumerate() {
            let y0 = top + i as f64 * row + 4.0;
            let h = row - 8.0;
            let (a, z) = (
                b.output_at_low.min(b.output_at_high),
                b.output_at_low.max(b.output_at_high),
            );
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
                 <rect class=\"tornado-bar\" data-parameter=\"{}\" data-low=\"{}\" data-high=\"{}\" data-input-low=\"{}\" data-input-high=\"{}\" data-swing=\"{}\" \
                 x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{GRID}\"/>",
                c(left - 8.0),
                c(y0 + h / 2.0 + 4.0),
                escape(&shorten(&label(&b.parameter, b.origin.as_ref()), 46)),
                escape(&b.parameter),
                b.output_at_low,
                b.output_at_high,
                b.input_low,
                b.input_high,
                b.swing,
                c(x.at(a)),
                c(y0),
                c((x.at(z) - x.at(a)).max(0.5)),
                c(h)
            );
            // The two halves: base → output with the input at P10, base → output at P90.
            for (output, input, colour, side) in [
                (b.output_at_low, b.input_low, PALETTE[1], "low"),
                (b.output_at_high, b.input_high, PALETTE[0], "high"),
            ] {
                let (from, to) = (
                    x.at(t.base_output.min(output)),
                    x.at(t.base_output.max(output)),
                );
                let _ = write!(
                    out,
                    "<rect data-side=\"{side}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                    c(from),
                    c(y0),
                    c((to - from).max(0.5)),
                    c(h)
                );
                let right_side =
                    output >= t.base_output && !(output == t.base_output && side == "low");
                let (tx, anchor) = if right_side {
                    (x.at(output) + 4.0, "start")
                } else {
                    (x.at(output) - 4.0, "end")
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"muted\" data-input=\"{input}\">{}</text>",
                    c(tx),
                    c(y0 + h / 2.0 + 4.0),
                    escape(&self.num(input))
                );
            }
            out.push('\n');
        }
        out.push_str("</svg>\n");
        if let Some(largest_rest) = t.bars.get(shown.len()) {
            let _ = writeln!(
                out,
                "<p class=\"note tornado-rest\" data-rest=\"{}\" data-largest-swing=\"{}\">{}</p>",
                t.bars.len() - shown.len(),
                largest_rest.swing,
                fill(
                    l.tornado_rest,
                    &[
                        (t.bars.len() - shown.len()).to_string(),
                        escape(&self.money(largest_rest.swing)),
                    ]
                )
            );
        }
        self.sobol(
            out,
            t.bars.first().map(|b| (&b.parameter, b.origin.as_ref())),
        );
        out.push_str("</section>\n");
    }

    /// The variance-based ranking beside the tornado, or a statement that it was not
    /// computed. `tornado_first`: the tornado's largest bar.
    fn sobol(&self, out: &mut String, tornado_first: Option<(&String, Option<&OriginJson>)>) {
        let (l, lang) = (self.l, self.lang);
        let _ = writeln!(out, "<h3 id=\"sobol\">{}</h3>", escape(l.sobol_heading));
        let Some(sobol) = &self.s.sobol else {
            let _ = writeln!(
                out,
                "<p class=\"note sobol-absent\">{}</p>",
                escape(l.sobol_absent)
            );
            return;
        };
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            fill(
                l.sobol_note,
                &[
                    escape(&lang.int(sobol.n_base as f64)),
                    escape(&lang.int(sobol.evaluations as f64)),
                ]
            )
        );
        if let (Some((name, origin)), Some(top)) = (tornado_first, sobol.inputs.first())
            && *name != top.parameter
        {
            let _ = writeln!(
                out,
                "<p class=\"sobol-differs\"><b>{}</b></p>",
                fill(
                    l.sobol_differs,
                    &[
                        escape(&input_label(name, origin, lang)),
                        escape(&input_label(&top.parameter, top.origin.as_ref(), lang)),
                        escape(&lang.percent(top.total_order)),
                    ]
                )
            );
        }
        let _ = writeln!(
            out,
            "<table class=\"sobol\">\n<thead><tr><th>#</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th></th></tr></thead>\n<tbody>",
            escape(l.input),
            escape(l.sobol_total),
            escape(l.sobol_first),
        );
        for (rank, input) in sobol.inputs.iter().take(TORNADO_BARS).enumerate() {
            let interval = input.total_order_ci.map_or(String::new(), |[a, b]| {
                format!(
                    " ({}–{})",
                    lang.percent(a.max(0.0)),
                    lang.percent(b.min(1.0))
                )
            });
            // A bar of the total index, on a scale of 0 to 100 %.
            let width = (input.total_order.clamp(0.0, 1.0) * 100.0).round();
            let _ = writeln!(
                out,
                "<tr data-parameter=\"{}\" data-total=\"{}\" data-first=\"{}\"><td class=\"n\">{}</td><td>{}</td>\
                 <td class=\"n\">{}{}</td><td class=\"n\">{}</td>\
                 <td class=\"bar\"><span style=\"width:{width}%;background:{}\"></span></td></tr>",
                escape(&input.parameter),
                input.total_order,
                input.first_order,
                rank + 1,
                escape(&input_label(&input.parameter, input.origin.as_ref(), lang)),
                escape(&lang.percent(input.total_order.max(0.0))),
                escape(&interval),
                escape(&lang.percent(input.first_order.max(0.0))),
                PALETTE[0]
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
}
