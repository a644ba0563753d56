//! Output of `samkost allocate`: the JSON document and the terminal table.

use std::fmt::Write as _;

use samkost_game::MAX_EXACT_PLAYERS;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::allocate::{Analysis, MethodResult, with_player_names};
use crate::scenario::game_file::GameFile;

/// The JSON document of `samkost allocate --format json`.
#[derive(Debug, serde::Serialize)]
pub struct AllocationJson<'a> {
    title: Option<&'a str>,
    units: Option<&'a str>,
    players: &'a [String],
    methods: MethodsJson<'a>,
    /// `null` beyond the exact limit, where the least core is not computed.
    core_nonempty: Option<bool>,
    /// `null` beyond the exact limit.
    least_core_epsilon: Option<f64>,
}

/// Methods keyed by name, in the documented order (not alphabetically).
#[derive(Debug)]
struct MethodsJson<'a>(Vec<(&'static str, MethodJson<'a>)>);

impl Serialize for MethodsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, method) in &self.0 {
            map.serialize_entry(name, method)?;
        }
        map.end()
    }
}

#[derive(Debug, serde::Serialize)]
struct MethodJson<'a> {
    allocation: &'a [f64],
    in_core: bool,
    max_excess: f64,
    most_tempting: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    std_errors: Option<&'a [f64]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    n_permutations: Option<usize>,
}

/// The JSON document for a game and its analysis.
pub fn allocation_json<'a>(file: &'a GameFile, analysis: &'a Analysis) -> AllocationJson<'a> {
    let methods = analysis
        .results
        .iter()
        .map(|r| {
            let method = MethodJson {
                allocation: &r.allocation,
                in_core: r.in_core,
                max_excess: r.max_excess,
                most_tempting: members(file, r.most_tempting),
                std_errors: r.std_errors.as_deref(),
                n_permutations: r.std_errors.as_ref().and(analysis.n_permutations),
            };
            (r.method.name(), method)
        })
        .collect();
    AllocationJson {
        title: file.title.as_deref(),
        units: file.units.as_deref(),
        players: &file.players,
        methods: MethodsJson(methods),
        core_nonempty: analysis.core_nonempty,
        least_core_epsilon: analysis.least_core_epsilon,
    }
}

fn members(file: &GameFile, mask: u32) -> Vec<&str> {
    file.players
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, p)| p.as_str())
        .collect()
}

/// Decimals that show about six significant digits of the game's largest cost.
fn decimals(scale: f64) -> usize {
    (5 - scale.log10().floor() as i64).clamp(0, 6) as usize
}

fn number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    // "-0.00" is a rounding artefact, not a sign.
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_owned()
    } else {
        text
    }
}

/// Renders the analysis for a terminal: players as rows, methods as columns.
pub fn render_allocation_table(file: &GameFile, analysis: &Analysis, seed: u64) -> String {
    let game = &file.game;
    let d = decimals(game.scale());
    let mut out = String::new();
    let n = file.players.len();
    let n_coalitions = (1u64 << n) - 1;
    let units = file
        .units
        .as_deref()
        .map_or(String::new(), |u| format!(" (costs in {u})"));
    let _ = writeln!(
        out,
        "{}{units}",
        file.title.as_deref().unwrap_or("Cost game")
    );
    let completed = n_coalitions - file.n_listed as u64;
    let listing = if completed == 0 {
        format!("all {n_coalitions} coalitions listed")
    } else {
        format!(
            "{} of {n_coalitions} coalitions listed, {completed} completed by their cheapest partition into listed ones",
            file.n_listed
        )
    };
    let _ = writeln!(
        out,
        "{n} players, {listing}; c(N) = {}",
        number(game.grand(), d)
    );
    let core = match (analysis.core_nonempty, analysis.least_core_epsilon) {
        (Some(true), Some(eps)) => format!(
            "core non-empty: least-core ε = {} (every proper coalition can be made to save at least {})",
            number(eps, d),
            number((-eps).max(0.0), d)
        ),
        (Some(false), Some(eps)) => format!(
            "core empty: least-core ε = {} (under any allocation some coalition pays at least that much more than alone)",
            number(eps, d)
        ),
        _ => format!(
            "core not decided: the least core is computed for at most {MAX_EXACT_PLAYERS} players"
        ),
    };
    let _ = writeln!(out, "{core}\n");
    write_grid(&mut out, file, &analysis.results, d);
    write_notes(&mut out, file, analysis, seed, d);
    out
}

fn write_grid(out: &mut String, file: &GameFile, results: &[MethodResult], d: usize) {
    let mut rows: Vec<(String, Vec<String>)> = file
        .players
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let cells = results.iter().map(|r| number(r.allocation[i], d)).collect();
            (p.clone(), cells)
        })
        .collect();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    rows.push((
        "in core".to_owned(),
        results.iter().map(|r| yes_no(r.in_core)).collect(),
    ));
    rows.push((
        "max excess".to_owned(),
        results.iter().map(|r| number(r.max_excess, d)).collect(),
    ));
    let first_width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = results
        .iter()
        .enumerate()
        .map(|(k, r)| {
            rows.iter()
                .map(|(_, cells)| cells[k].chars().count())
                .chain([r.method.name().len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let _ = write!(out, "{:first_width$}", "player");
    for (r, w) in results.iter().zip(&widths) {
        let _ = write!(out, "  {:>w$}", r.method.name());
    }
    out.push('\n');
    for (label, cells) in &rows {
        let _ = write!(out, "{label:first_width$}");
        for (cell, w) in cells.iter().zip(&widths) {
            let _ = write!(out, "  {cell:>w$}");
        }
        out.push('\n');
    }
}

fn write_notes(out: &mut String, file: &GameFile, analysis: &Analysis, seed: u64, d: usize) {
    let width = analysis
        .results
        .iter()
        .map(|r| r.method.name().len())
        .max()
        .unwrap_or(0);
    if !analysis.results.is_empty() {
        let _ = writeln!(
            out,
            "\nmost tempting breakaway coalition (largest x(S) − c(S)) per method:"
        );
    }
    for r in &analysis.results {
        let group = file.coalition_name(r.most_tempting);
        let verdict = if r.max_excess > 0.0 && !r.in_core {
            format!("pays {} more than alone", number(r.max_excess, d))
        } else {
            format!("saves {}", number(-r.max_excess, d))
        };
        let _ = writeln!(out, "  {:width$}  {group} {verdict}", r.method.name());
    }
    for r in &analysis.results {
        if let Some(errors) = &r.std_errors {
            let largest = errors.iter().copied().fold(0.0, f64::max);
            let _ = writeln!(
                out,
                "\n{} is estimated from {} join orders (seed {seed}); largest standard error {}",
                r.method.name(),
                analysis.n_permutations.unwrap_or(0),
                number(largest, d.max(2))
            );
        }
    }
    for (method, reason) in &analysis.skipped {
        let _ = writeln!(
            out,
            "\n{} {}",
            method.name(),
            with_player_names(reason, &file.players)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_six_significant_digits_and_no_negative_zero() {
        assert_eq!(decimals(80.0), 4);
        assert_eq!(decimals(772_500.0), 0);
        assert_eq!(decimals(1.0), 5);
        assert_eq!(number(-0.000_01, 2), "0.00");
        assert_eq!(number(-2.5, 1), "-2.5");
    }
}
