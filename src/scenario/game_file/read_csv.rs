//! Reading a CSV game file into the raw form: one column headed `cost`, then the cost of
//! every non-empty coalition in bitmask order, one per line.
//!
//! ```text
//! cost
//! 25        ← {P1}        (line 2: index 0)
//! 30        ← {P2}        (line 3: index 1)
//! 40        ← {P1, P2}    (line 4: index 2)
//! 50        ← {P3}
//! …
//! ```
//!
//! Coalition `S` is on line `Σ_{i∈S} 2^i + 1` (index `Σ 2^i − 1` after the header), so the
//! file has `2^n − 1` cost lines and `n` follows from their count; the players are named
//! `P1` … `Pn` (`P1` is bit 0). Lines are read straight into a `Vec<f64>`; trailing empty
//! lines are ignored, an empty line between costs is an error.

use std::ops::Range;

use super::{Located, MIN_PLAYERS, RawGame, RawValues, report_bad_value, report_more_bad_values};
use crate::scenario::diagnostic::closest;
use crate::scenario::tree::Ctx;
use samkost_game::MAX_PLAYERS;

/// The header: the name of the one column.
const HEADER: &str = "cost";

/// Reads the file; `None` after a problem that leaves nothing to validate (reported in
/// `ctx`).
pub(super) fn read(ctx: &mut Ctx<'_>) -> Option<RawGame> {
    let src = ctx.src;
    let mut lines = Lines {
        src,
        pos: if src.starts_with('\u{feff}') { 3 } else { 0 },
    };
    if src.trim().trim_start_matches('\u{feff}').is_empty() {
        ctx.error_help(
            0..0,
            "the CSV game file is empty",
            format!(
                "write the header `{HEADER}`, then the cost of every coalition in bitmask order, one per line"
            ),
        );
        return None;
    }
    let header = lines.next()?;
    check_header(ctx, header.clone())?;
    let (costs, last_line, n_bad) = read_costs(ctx, lines);
    let len = costs.len() + n_bad;
    let n = n_players(ctx, len, last_line.unwrap_or_else(|| header.clone()))?;
    let names = (1..=n)
        .map(|i| Located {
            value: format!("P{i}"),
            span: header.clone(),
        })
        .collect();
    Some(RawGame {
        players: Some(Located {
            value: names,
            span: header.clone(),
        }),
        values: Some(Located {
            value: RawValues {
                len: Some(len),
                costs: (n_bad == 0).then_some(costs),
            },
            span: header,
        }),
        ..RawGame::default()
    })
}

/// The spans of the lines of `src` from `pos` on, without their line ends.
struct Lines<'s> {
    src: &'s str,
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.src.len() {
            return None;
        }
        let start = self.pos;
        let end = self.src[start..]
            .find('\n')
            .map_or(self.src.len(), |i| start + i);
        self.pos = end + 1;
        let end = if self.src[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some(start..end)
    }
}

fn check_header(ctx: &mut Ctx<'_>, span: Range<usize>) -> Option<()> {
    let text = ctx.text(span.clone()).trim();
    let name = text.trim_matches('"');
    if name == HEADER {
        return Some(());
    }
    let fix = format!(
        "the first line is the header `{HEADER}`; the cost of every coalition follows in bitmask order, one per line"
    );
    if text.is_empty() {
        ctx.error_help(
            span,
            "the first line of a CSV game file must be its header",
            fix,
        );
    } else if text.parse::<f64>().is_ok() {
        ctx.error_help(
            span,
            format!("the CSV game file has no header: the first line is the number `{text}`"),
            fix,
        );
    } else if text.contains(',') {
        ctx.error_help(
            span,
            format!("the CSV game file has one column, `{HEADER}`; found the header `{text}`"),
            fix,
        );
    } else {
        let help = match closest(name, [HEADER]) {
            Some(best) => format!("did you mean `{best}`? {fix}"),
            None => fix,
        };
        ctx.error_help(span, format!("unknown column `{name}`"), help);
    }
    None
}

/// The costs after the header, the span of the last cost line, and the number of lines that
/// are not a finite number (the first few reported).
fn read_costs(ctx: &mut Ctx<'_>, lines: Lines<'_>) -> (Vec<f64>, Option<Range<usize>>, usize) {
    let mut costs = Vec::new();
    let mut last_line = None;
    let mut blank: Option<Range<usize>> = None;
    let mut n_bad = 0;
    let mut last_bad = 0..0;
    for span in lines {
        let text = ctx.text(span.clone()).trim();
        if text.is_empty() {
            blank.get_or_insert(span);
            continue;
        }
        if let Some(blank) = blank.take() {
            ctx.error_help(
                blank.start..blank.start + 1,
                "empty line between the costs",
                "every line after the header holds the cost of one coalition; remove the line or fill in the cost",
            );
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => costs.push(v),
            parsed => {
                if report_bad_value(&mut n_bad) {
                    bad_cost(ctx, span.clone(), text, parsed.is_ok());
                }
                last_bad = span.clone();
            }
        }
        last_line = Some(span);
    }
    report_more_bad_values(ctx, last_bad, n_bad, ["line", "lines"]);
    (costs, last_line, n_bad)
}

fn bad_cost(ctx: &mut Ctx<'_>, span: Range<usize>, text: &str, is_number: bool) {
    let start = span.start + ctx.text(span.clone()).find(text).unwrap_or(0);
    let span = start..start + text.len();
    if is_number {
        ctx.error_help(
            span,
            format!("the cost must be a finite number, found `{text}`"),
            "nan and inf are not allowed",
        );
    } else if is_decimal_comma(text) {
        ctx.error_help(
            span,
            format!("the cost must be a number, found `{text}`"),
            format!(
                "write the decimal point as `.`: `{}`",
                text.replace(',', ".")
            ),
        );
    } else if text.contains(',') {
        ctx.error_help(
            span,
            format!("the CSV game file has one column, `{HEADER}`; found `{text}`"),
            "write one coalition's cost per line",
        );
    } else {
        ctx.error_help(
            span,
            format!("the cost must be a number, found `{text}`"),
            "write one coalition's cost per line, e.g. `12.5`",
        );
    }
}

/// Whether `text` is a number written with a decimal comma (`12,5`).
fn is_decimal_comma(text: &str) -> bool {
    text.matches(',').count() == 1 && text.replace(',', ".").parse::<f64>().is_ok()
}

/// The number of players for `len` cost lines (`2^n − 1`); reports the problem at `span`
/// (the last cost line) otherwise.
fn n_players(ctx: &mut Ctx<'_>, len: usize, span: Range<usize>) -> Option<usize> {
    let n = (len + 1).trailing_zeros() as usize;
    if (len + 1).is_power_of_two() && (MIN_PLAYERS..=MAX_PLAYERS).contains(&n) {
        return Some(n);
    }
    let help = format!(
        "one line per non-empty coalition S after the header, on line Σ_{{i∈S}} 2^i + 1 (players P1 … Pn are bits 0 … n − 1); between {MIN_PLAYERS} and {MAX_PLAYERS} players"
    );
    let message = if len == 0 {
        "the CSV game file has no costs after its header".to_owned()
    } else {
        let below = ((len + 1).ilog2() as usize).clamp(MIN_PLAYERS, MAX_PLAYERS);
        let nearest = [below, below + 1]
            .iter()
            .filter(|&&n| n <= MAX_PLAYERS)
            .map(|&n| format!("{} for {n} players", (1usize << n) - 1))
            .collect::<Vec<_>>()
            .join(", ");
        let lines = match line_of(ctx, span.start) {
            2 => "line 2".to_owned(),
            last => format!("lines 2–{last}"),
        };
        let s = if len == 1 { "" } else { "s" };
        format!("found {len} cost{s} ({lines}), but a game of n players has 2^n − 1: {nearest}")
    };
    ctx.error_help(span, message, help);
    None
}

/// The 1-based line of byte `offset`.
fn line_of(ctx: &Ctx<'_>, offset: usize) -> usize {
    ctx.src.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_their_ends() {
        let src = "a\r\nb\n\nc";
        let lines: Vec<&str> = Lines { src, pos: 0 }.map(|l| &src[l]).collect();
        assert_eq!(lines, ["a", "b", "", "c"]);
    }

    #[test]
    fn decimal_commas_are_recognised() {
        assert!(is_decimal_comma("12,5"));
        assert!(!is_decimal_comma("12,5,1"));
        assert!(!is_decimal_comma("A,B"));
    }
}
