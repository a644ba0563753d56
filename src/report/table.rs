//! The terminal table: keys side by side, members as rows, in English or Norwegian.

use std::fmt::Write as _;

use super::json::SummaryJson;
use super::lang::{Lang, verdict};

/// Renders the key comparison for a terminal from the run's summary (the numbers of
/// `summary.json`).
pub fn render_table(summary: &SummaryJson, burden_threshold: f64, lang: Lang) -> String {
    let l = lang.labels();
    let sc = &summary.scenario;
    let mut out = String::new();
    let last_year = sc.first_year + sc.horizon_years as i32 - 1;
    let _ = writeln!(out, "{}", sc.name);
    let _ = writeln!(
        out,
        "{} {}, {} {}, {}–{}, {} {}, {} {}",
        lang.int(sc.draws as f64),
        l.draws,
        l.seed,
        sc.seed,
        sc.first_year,
        last_year,
        l.operation_from,
        sc.operation_start,
        l.discount_rate,
        lang.percent1(sc.discount_rate)
    );
    let r = &summary.region.npv_net_benefit;
    // A mean whose standard error exceeds it is not shown as a number (its sign is unknown).
    let mean = if r.mean_reliable {
        format!("{} (± {})", lang.nok(r.mean), lang.int(1.96 * r.mean_se))
    } else {
        format!("{} (0 ± {})", l.not_established, lang.int(r.mean_se))
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
        lang.percent(summary.region.p_win),
        l.region_gains.1
    );
    for a in &summary.assumptions {
        let Some(tail) = a.tail_share_of_mean else {
            continue;
        };
        let _ = writeln!(
            out,
            "{} `{}`: {} {}, P90 {}; {} {}",
            l.overrun_factor,
            a.name,
            l.mean,
            lang.decimal(a.mean, 2),
            lang.decimal(a.p90, 2),
            lang.percent(tail),
            l.tail_share
        );
    }
    let _ = writeln!(out, "\n{}", l.member_table_heading);
    let name_width = summary
        .members
        .iter()
        .map(|m| m.name.chars().count() + 7)
        .max()
        .unwrap_or(10)
        .max(16)
        .max(l.no_group_better_alone.chars().count());
    let cells: Vec<Vec<String>> = summary
        .keys
        .iter()
        .map(|key| {
            key.members
                .iter()
                .map(|o| {
                    format!(
                        "{} [{}]",
                        lang.int(o.npv_net_benefit.p50 / 1000.0),
                        lang.percent(o.p_win)
                    )
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = summary
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
    for (key, width) in summary.keys.iter().zip(&widths) {
        let _ = write!(out, "  {}", pad_left(&key.name, *width));
    }
    out.push('\n');
    for (i, m) in summary.members.iter().enumerate() {
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
    for (key, width) in summary.keys.iter().zip(&widths) {
        let _ = write!(out, "  {}", pad_left(&lang.percent(key.p_all_win), *width));
    }
    out.push('\n');
    if sc.stability_draws > 0 {
        row_start(&mut out, l.no_group_better_alone, "");
        for (key, width) in summary.keys.iter().zip(&widths) {
            let cell = key
                .p_core_stable
                .map_or("–".to_owned(), |p| lang.percent(p));
            let _ = write!(out, "  {}", pad_left(&cell, *width));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\n{}", l.per_inhabitant_heading);
    for (i, m) in summary.members.iter().enumerate() {
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
