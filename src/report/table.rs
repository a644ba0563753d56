//! The terminal table: keys side by side, members as rows, in English or Norwegian.

use std::fmt::Write as _;

use samkost_core::simulation::RunResults;

use super::json::SummaryJson;
use super::lang::{Lang, verdict};
use crate::scenario::Scenario;

/// Renders the key comparison for a terminal, from the run and its summary.
pub fn render_table(
    scenario: &Scenario,
    results: &RunResults,
    summary: &SummaryJson,
    burden_threshold: f64,
    lang: Lang,
) -> String {
    let l = lang.labels();
    let model = &scenario.model;
    let mut out = String::new();
    let last_year = model.first_year + model.horizon_years as i32 - 1;
    let _ = writeln!(out, "{}", scenario.name);
    let _ = writeln!(
        out,
        "{} {}, {} {}, {}–{}, {} {}, {} {}",
        lang.int(results.n_draws as f64),
        l.draws,
        l.seed,
        summary.scenario.seed,
        model.first_year,
        last_year,
        l.operation_from,
        model.first_year + model.operation_start as i32,
        l.discount_rate,
        lang.percent1(model.discounting.headline_rate())
    );
    let r = &results.region_npv;
    // A mean whose standard error exceeds it is not shown as a number (its sign is unknown).
    let mean = if r.se_mean > r.mean.abs() {
        format!("{} (0 ± {})", l.not_established, lang.int(r.se_mean))
    } else {
        format!("{} (± {})", lang.nok(r.mean), lang.int(1.96 * r.se_mean))
    };
    let _ = writeln!(
        out,
        "\n{}: {} {} (P10 {}, P50 {}, P90 {}); {}{}{}",
        l.region,
        l.npv_net_benefit,
        mean,
        lang.int(r.p10),
        lang.int(r.p50),
        lang.int(r.p90),
        l.region_gains.0,
        lang.percent(results.region_p_win.p),
        l.region_gains.1
    );
    for p in model
        .parameters
        .iter()
        .filter(|p| p.distribution.kind_name() == "overrun")
    {
        let d = &p.distribution;
        let _ = writeln!(
            out,
            "{} `{}`: {} {}, P90 {}; {} {}",
            l.overrun_factor,
            p.name,
            l.mean,
            lang.decimal(d.mean(), 2),
            lang.decimal(d.quantile(0.9), 2),
            lang.percent(d.tail_share_of_mean()),
            l.tail_share
        );
    }
    let _ = writeln!(out, "\n{}", l.member_table_heading);
    let name_width = model
        .members
        .iter()
        .map(|m| m.name.chars().count() + 7)
        .max()
        .unwrap_or(10)
        .max(16)
        .max(l.no_group_better_alone.chars().count());
    let cells: Vec<Vec<String>> = results
        .keys
        .iter()
        .map(|key| {
            key.members
                .iter()
                .map(|o| {
                    format!(
                        "{} [{}]",
                        lang.int(o.npv_net_benefit.p50 / 1000.0),
                        lang.percent(o.p_win.p)
                    )
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = results
        .keys
        .iter()
        .zip(&cells)
        .map(|(key, col)| {
            col.iter()
                .map(|c| c.chars().count())
                .chain([key.name.chars().count()])
                .max()
                .unwrap_or(8)
        })
        .collect();
    let row_start = |out: &mut String, label: &str, pop: &str| {
        let _ = write!(out, "{}{pop:>9}", pad(label, name_width + 1));
    };
    row_start(&mut out, l.member, l.population_short);
    for (key, width) in results.keys.iter().zip(&widths) {
        let _ = write!(out, "  {}", pad_left(&key.name, *width));
    }
    out.push('\n');
    for (i, m) in model.members.iter().enumerate() {
        row_start(
            &mut out,
            &format!("{} ({})", m.name, m.id),
            &lang.int(m.population),
        );
        for (col, width) in cells.iter().zip(&widths) {
            let _ = write!(out, "  {}", pad_left(&col[i], *width));
        }
        out.push('\n');
    }
    row_start(&mut out, l.all_gain, "");
    for (key, width) in results.keys.iter().zip(&widths) {
        let _ = write!(
            out,
            "  {}",
            pad_left(&lang.percent(key.p_all_win.p), *width)
        );
    }
    out.push('\n');
    if results.stability_draws > 0 {
        row_start(&mut out, l.no_group_better_alone, "");
        for (key, width) in results.keys.iter().zip(&widths) {
            let cell = key
                .p_core_stable
                .map_or("–".to_owned(), |p| lang.percent(p.p));
            let _ = write!(out, "  {}", pad_left(&cell, *width));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\n{}", l.per_inhabitant_heading);
    for (i, m) in model.members.iter().enumerate() {
        row_start(&mut out, &format!("{} ({})", m.name, m.id), "");
        for (key, width) in summary.keys.iter().zip(&widths) {
            let cell = lang.int(key.members[i].cost_per_inhabitant);
            let _ = write!(out, "  {}", pad_left(&cell, *width));
        }
        out.push('\n');
    }
    row_start(&mut out, l.highest_lowest, "");
    for (key, width) in summary.keys.iter().zip(&widths) {
        let cell = match key.burden_ratio {
            Some(r) if key.burden_flag => format!(
                "{} (> {})",
                lang.decimal(r, 2),
                match lang {
                    Lang::En => burden_threshold.to_string(),
                    Lang::Nb => burden_threshold.to_string().replace('.', ","),
                }
            ),
            Some(r) => lang.decimal(r, 2),
            None => "–".to_owned(),
        };
        let _ = write!(out, "  {}", pad_left(&cell, *width));
    }
    out.push('\n');
    out.push('\n');
    for k in 0..summary.keys.len() {
        let _ = writeln!(out, "{}", verdict(summary, k, lang));
    }
    out
}

/// Pads on the right to `width` characters (not bytes: names and numbers hold `ø` and
/// no-break spaces).
fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

/// Pads on the left to `width` characters.
fn pad_left(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{}{text}", " ".repeat(width.saturating_sub(n)))
}
