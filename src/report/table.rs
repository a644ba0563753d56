//! The terminal table: keys side by side, members as rows.

use std::fmt::Write as _;

use samkost_core::simulation::RunResults;

use super::format::{fmt_nok, fmt_percent};
use crate::scenario::Scenario;

/// Renders the key comparison for a terminal.
pub fn render_table(
    scenario: &Scenario,
    results: &RunResults,
    seed: u64,
    burden_threshold: f64,
) -> String {
    let model = &scenario.model;
    let mut out = String::new();
    let last_year = model.first_year + model.horizon_years as i32 - 1;
    let _ = writeln!(out, "{}", scenario.name);
    let _ = writeln!(
        out,
        "{} draws, seed {seed}, {}–{}, shared operation from {}, real discount rate {:.1} %",
        fmt_nok(results.n_draws as f64),
        model.first_year,
        last_year,
        model.first_year + model.operation_start as i32,
        model.discounting.headline_rate() * 100.0
    );
    let r = &results.region_npv;
    // A mean whose standard error exceeds it is not shown as a number (its sign is unknown).
    let mean = if r.se_mean > r.mean.abs() {
        format!("not established (0 ± {})", fmt_nok(r.se_mean))
    } else {
        format!("{} NOK (± {})", fmt_nok(r.mean), fmt_nok(1.96 * r.se_mean))
    };
    let _ = writeln!(
        out,
        "\nRegion: NPV of net benefit {} (P10 {}, P50 {}, P90 {}); the region gains in {} of draws",
        mean,
        fmt_nok(r.p10),
        fmt_nok(r.p50),
        fmt_nok(r.p90),
        fmt_percent(results.region_p_win.p)
    );
    for p in model
        .parameters
        .iter()
        .filter(|p| p.distribution.kind_name() == "overrun")
    {
        let d = &p.distribution;
        let _ = writeln!(
            out,
            "Overrun factor `{}`: mean {:.2}, P90 {:.2}; {} of the expected factor comes from its fat tail",
            p.name,
            d.mean(),
            d.quantile(0.9),
            fmt_percent(d.tail_share_of_mean())
        );
    }
    let _ = writeln!(
        out,
        "\nNPV of net benefit per member, median in kNOK [probability of gaining]:"
    );
    let name_width = model
        .members
        .iter()
        .map(|m| m.name.chars().count() + 7)
        .max()
        .unwrap_or(10)
        .max(16);
    let cells: Vec<Vec<String>> = results
        .keys
        .iter()
        .map(|key| {
            key.members
                .iter()
                .map(|o| {
                    format!(
                        "{} [{}]",
                        fmt_nok(o.npv_net_benefit.p50 / 1000.0),
                        fmt_percent(o.p_win.p)
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
    let _ = write!(out, "{:<name_width$} {:>9}", "member", "pop.");
    for (key, width) in results.keys.iter().zip(&widths) {
        let _ = write!(out, "  {:>width$}", key.name);
    }
    out.push('\n');
    for (i, m) in model.members.iter().enumerate() {
        let label = format!("{} ({})", m.name, m.id);
        let _ = write!(out, "{label:<name_width$} {:>9}", fmt_nok(m.population));
        for (col, width) in cells.iter().zip(&widths) {
            let _ = write!(out, "  {:>width$}", col[i]);
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<name_width$} {:>9}", "all members gain", "");
    for (key, width) in results.keys.iter().zip(&widths) {
        let _ = write!(out, "  {:>width$}", fmt_percent(key.p_all_win.p));
    }
    out.push('\n');
    if results.stability_draws > 0 {
        let _ = write!(out, "{:<name_width$} {:>9}", "no group better alone", "");
        for (key, width) in results.keys.iter().zip(&widths) {
            let cell = key
                .p_core_stable
                .map_or("–".to_owned(), |p| fmt_percent(p.p));
            let _ = write!(out, "  {cell:>width$}");
        }
        out.push('\n');
    }
    burden_block(
        &mut out,
        scenario,
        results,
        name_width,
        &widths,
        burden_threshold,
    );
    out.push('\n');
    for key in &results.keys {
        let _ = writeln!(out, "{}", verdict(scenario, results, &key.name));
    }
    out
}

/// Cost per inhabitant per year in the cooperation, per key, and the ratio between the most and
/// least burdened members (flagged above the threshold).
fn burden_block(
    out: &mut String,
    scenario: &Scenario,
    results: &RunResults,
    name_width: usize,
    widths: &[usize],
    threshold: f64,
) {
    let model = &scenario.model;
    let costs: Vec<Vec<f64>> = (0..results.keys.len())
        .map(|k| super::metrics::cost_per_inhabitant(scenario, results, k))
        .collect();
    let _ = writeln!(
        out,
        "\nCost per inhabitant per year in the cooperation, NOK (mean over operating years):"
    );
    for (i, m) in model.members.iter().enumerate() {
        let _ = write!(
            out,
            "{:<name_width$} {:>9}",
            format!("{} ({})", m.name, m.id),
            ""
        );
        for (k, width) in widths.iter().enumerate() {
            let _ = write!(out, "  {:>width$}", fmt_nok(costs[k][i]));
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<name_width$} {:>9}", "highest / lowest", "");
    for (k, width) in widths.iter().enumerate() {
        let cell = match super::metrics::burden_ratio(&costs[k]) {
            Some((r, _, _)) if r > threshold => format!("{r:.2} (> {threshold})"),
            Some((r, _, _)) => format!("{r:.2}"),
            None => "–".to_owned(),
        };
        let _ = write!(out, "  {cell:>width$}");
    }
    out.push('\n');
}

/// One sentence per key: how likely all gain, and who loses most often.
fn verdict(scenario: &Scenario, results: &RunResults, key_name: &str) -> String {
    let Some(key) = results.keys.iter().find(|k| k.name == key_name) else {
        return String::new();
    };
    let worst = key
        .members
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.p_win.p.total_cmp(&b.1.p_win.p))
        .map(|(i, o)| (&scenario.model.members[i].name, 1.0 - o.p_win.p));
    let mut line = format!(
        "{key_name}: all members gain with {} probability",
        fmt_percent(key.p_all_win.p)
    );
    if let Some((name, p_loss)) = worst
        && p_loss > 0.0
    {
        let _ = write!(line, "; {name} loses in {} of draws", fmt_percent(p_loss));
    }
    if let Some((members, p)) = &key.top_breakaway {
        let _ = write!(
            line,
            "; {} would do better alone in {} of draws",
            describe_group(scenario, members),
            fmt_percent(*p)
        );
    }
    line
}

/// Names a group of members readably: by name when small, as "all members except …" when it
/// leaves out fewer members than it holds, with long lists cut short.
pub fn describe_group(scenario: &Scenario, members: &[usize]) -> String {
    const SHOWN: usize = 5;
    let all = &scenario.model.members;
    let list = |idx: &[usize], sep: &str| -> String {
        let names: Vec<&str> = idx
            .iter()
            .take(SHOWN)
            .map(|&i| all[i].name.as_str())
            .collect();
        let more = idx.len().saturating_sub(SHOWN);
        let mut text = names.join(sep);
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text
    };
    let outside: Vec<usize> = (0..all.len()).filter(|i| !members.contains(i)).collect();
    if members.len() > SHOWN && outside.len() < members.len() {
        format!("all members except {}", list(&outside, ", "))
    } else {
        list(members, " + ")
    }
}
