//! The terminal table: keys side by side, members as rows, in English or Norwegian.

use std::fmt::Write as _;

use super::json::SummaryJson;
use super::lang::{Lang, verdict};

/// Renders the key comparison for a terminal from the run's summary (the numbers of
/// `summary.json`), showing the keys of `layout` in blocks that fit its width.
pub fn render_table(
    summary: &SummaryJson,
    burden_threshold: f64,
    lang: Lang,
    layout: &TableLayout,
) -> String {
    let l = lang.labels();
    let sc = &summary.scenario;
    let mut out = String::new();
    let last_year = sc.first_year + sc.horizon_years as i32 - 1;
    let _ = writeln!(out, "{}", sc.name);
    let meta = format!(
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
    let _ = writeln!(out, "{}", wrap(&meta, layout.width));
    let r = &summary.region.npv_net_benefit;
    // A mean whose standard error exceeds it is not shown as a number (its sign is unknown).
    let mean = if r.mean_reliable {
        format!("{} (± {})", lang.nok(r.mean), lang.int(1.96 * r.mean_se))
    } else {
        format!("{} (0 ± {})", l.not_established, lang.int(r.mean_se))
    };
    let region = format!(
        "{}: {} {} (P10 {}, P50 {}, P90 {}); {}{}{}",
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
    let _ = writeln!(out, "\n{}", wrap(&region, layout.width));
    for a in &summary.assumptions {
        let Some(tail) = a.tail_share_of_mean else {
            continue;
        };
        let line = format!(
            "{} `{}`: {} {}, P90 {}; {} {}",
            l.overrun_factor,
            a.name,
            l.mean,
            lang.decimal(a.mean, 2),
            lang.decimal(a.p90, 2),
            lang.percent(tail),
            l.tail_share
        );
        let _ = writeln!(out, "{}", wrap(&line, layout.width));
    }
    if let Some(line) = super::calibration::terminal_line(summary, lang) {
        let _ = writeln!(out, "{}", wrap(&line, layout.width));
    }
    if let Some(line) = super::views::terminal_line(summary, lang) {
        let _ = writeln!(out, "{}", wrap(&line, layout.width));
    }
    let _ = writeln!(out, "\n{}", wrap(l.member_table_heading, layout.width));
    let name_width = summary
        .members
        .iter()
        .map(|m| m.name.chars().count() + 7)
        .max()
        .unwrap_or(10)
        .max(16)
        .max(l.no_group_better_alone.chars().count());
    let columns = columns(summary, &layout.keys, lang);
    // Key columns in blocks that fit the width; each block repeats the row labels.
    let blocks = blocks(&columns, layout.width.saturating_sub(name_width + 10));
    let row_start = |out: &mut String, label: &str, pop: &str| {
        let _ = write!(out, "{}{pop:>9}", pad(label, name_width + 1));
    };
    let block_rows =
        |out: &mut String, block: &[Column], rows: &[(String, String, Vec<String>)]| {
            for (label, pop, cells) in rows {
                row_start(out, label, pop);
                for (col, cell) in block.iter().zip(cells) {
                    let _ = write!(out, "  {}", pad_left(cell, col.width));
                }
                out.push('\n');
            }
        };
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            out.push('\n');
        }
        let mut rows = vec![(
            l.member.to_owned(),
            l.population_short.to_owned(),
            block.iter().map(|c| c.name.clone()).collect(),
        )];
        for (i, m) in summary.members.iter().enumerate() {
            rows.push((
                format!("{} ({})", m.name, m.id),
                lang.int(m.population),
                block.iter().map(|c| c.npv[i].clone()).collect(),
            ));
        }
        rows.push((
            l.all_gain.to_owned(),
            String::new(),
            block.iter().map(|c| c.all_gain.clone()).collect(),
        ));
        if sc.stability_draws > 0 {
            rows.push((
                l.no_group_better_alone.to_owned(),
                String::new(),
                block.iter().map(|c| c.stable.clone()).collect(),
            ));
        }
        block_rows(&mut out, block, &rows);
    }
    let _ = writeln!(out, "\n{}", wrap(l.per_inhabitant_heading, layout.width));
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            out.push('\n');
        }
        let mut rows = Vec::new();
        if blocks.len() > 1 {
            rows.push((
                String::new(),
                String::new(),
                block.iter().map(|c| c.name.clone()).collect(),
            ));
        }
        for (i, m) in summary.members.iter().enumerate() {
            rows.push((
                format!("{} ({})", m.name, m.id),
                String::new(),
                block.iter().map(|c| c.per_inhabitant[i].clone()).collect(),
            ));
        }
        rows.push((
            l.highest_lowest.to_owned(),
            String::new(),
            block
                .iter()
                .map(|c| burden_cell(&summary.keys[c.key], burden_threshold, lang))
                .collect(),
        ));
        block_rows(&mut out, block, &rows);
    }
    out.push('\n');
    for &k in &layout.keys {
        let _ = writeln!(out, "{}", wrap(&verdict(summary, k, lang), layout.width));
    }
    let leaving: Vec<String> = layout
        .keys
        .iter()
        .filter_map(|&k| super::leaving::leaving_sentence(summary, k, lang))
        .collect();
    if !leaving.is_empty() {
        let _ = writeln!(out, "\n{}", wrap(l.leaving_heading, layout.width));
        for line in leaving {
            let _ = writeln!(out, "{}", wrap(&line, layout.width));
        }
    }
    let existing = super::existing::sentences(summary, lang);
    if !existing.is_empty() {
        let heading = super::existing::heading(lang);
        let _ = writeln!(out, "\n{}", wrap(&format!("{heading}:"), layout.width));
        let _ = writeln!(out, "{}", wrap(super::existing::note(lang), layout.width));
        for line in existing {
            let _ = writeln!(out, "{}", wrap(&line, layout.width));
        }
    }
    let membership = super::membership::sentences(summary, lang);
    if !membership.is_empty() {
        let heading = super::membership::heading(lang);
        let _ = writeln!(out, "\n{}", wrap(&format!("{heading}:"), layout.width));
        for line in membership {
            let _ = writeln!(out, "{}", wrap(&line, layout.width));
        }
    }
    out
}

/// Breaks a sentence at ordinary spaces (never at the no-break spaces inside numbers, nor
/// between a number and its `%`) into lines of at most `width` characters, continuation
/// lines indented by two; a word longer than the line stays whole.
fn wrap(text: &str, width: usize) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match words.last_mut() {
            Some(last) if word.starts_with('%') => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    let mut out = String::new();
    let mut line_len = 0;
    for word in &words {
        let n = word.chars().count();
        if line_len > 0 && line_len + 1 + n > width {
            out.push_str("\n  ");
            line_len = 2;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += n;
    }
    out
}

/// Which keys the terminal table shows, and how wide it may be.
#[derive(Debug, Clone)]
pub struct TableLayout {
    /// Indices of the keys shown, in the order shown.
    pub keys: Vec<usize>,
    /// Columns of the terminal: key columns wrap into blocks that fit.
    pub width: usize,
}

impl TableLayout {
    /// Width used when the terminal's is not known.
    pub const DEFAULT_WIDTH: usize = 100;

    /// Every key of the summary, at the default width.
    pub fn all(summary: &SummaryJson) -> Self {
        Self {
            keys: (0..summary.keys.len()).collect(),
            width: Self::DEFAULT_WIDTH,
        }
    }
}

/// One key's column: its cells, formatted, and its width.
struct Column {
    key: usize,
    name: String,
    npv: Vec<String>,
    all_gain: String,
    stable: String,
    per_inhabitant: Vec<String>,
    width: usize,
}

fn columns(summary: &SummaryJson, keys: &[usize], lang: Lang) -> Vec<Column> {
    keys.iter()
        .map(|&k| {
            let key = &summary.keys[k];
            let npv: Vec<String> = key
                .members
                .iter()
                .map(|o| {
                    format!(
                        "{} [{}]",
                        lang.int(o.npv_net_benefit.p50 / 1000.0),
                        lang.percent(o.p_win)
                    )
                })
                .collect();
            let per_inhabitant: Vec<String> = key
                .members
                .iter()
                .map(|o| lang.int(o.cost_per_inhabitant))
                .collect();
            let width = npv
                .iter()
                .chain(&per_inhabitant)
                .map(|c| c.chars().count())
                .chain([key.name.chars().count(), 10])
                .max()
                .unwrap_or(10);
            Column {
                key: k,
                name: key.name.clone(),
                npv,
                all_gain: lang.percent(key.p_all_win),
                stable: key
                    .p_core_stable
                    .map_or("–".to_owned(), |p| lang.percent(p)),
                per_inhabitant,
                width,
            }
        })
        .collect()
}

/// Splits the columns into consecutive blocks whose cells (each with two spaces before it)
/// fit in `room` characters; a column wider than `room` gets a block of its own.
fn blocks(columns: &[Column], room: usize) -> Vec<&[Column]> {
    let mut blocks = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, col) in columns.iter().enumerate() {
        let w = col.width + 2;
        if i > start && used + w > room {
            blocks.push(&columns[start..i]);
            (start, used) = (i, 0);
        }
        used += w;
    }
    if start < columns.len() || blocks.is_empty() {
        blocks.push(&columns[start..]);
    }
    blocks
}

/// The burden ratio's cell, flagged above the threshold.
fn burden_cell(key: &super::json::KeyJson, burden_threshold: f64, lang: Lang) -> String {
    match key.burden_ratio {
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
    }
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

#[cfg(test)]
mod tests {
    /// "97 %" is one word for the line breaker: a line never ends in a bare number whose `%`
    /// starts the next.
    #[test]
    fn a_percentage_stays_with_its_number() {
        assert_eq!(super::wrap("aaaa bbbb 97 %.", 12), "aaaa bbbb\n  97 %.");
        assert_eq!(super::wrap("aaaa 97 % bb", 40), "aaaa 97 % bb");
    }
}
