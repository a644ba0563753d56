//! Cost-game files for `samkost allocate`: players and coalition costs, in TOML, JSON or CSV.
//!
//! ```toml
//! title = "Three municipalities"      # optional
//! units = "MNOK per year"            # optional
//! complete = "cheapest_partition"    # default; or "error" to require every coalition
//! players = ["A", "H", "K"]
//! [costs]                            # keys: comma-joined player names, in any order
//! A = 10
//! "A,H" = 18.5
//! ```
//!
//! Instead of `costs`, a file may give `values`: the cost of every non-empty coalition in
//! bitmask order, coalition `S` at index `Σ_{i∈S} 2^i − 1` (the order of TUGlab and
//! coopgame), read straight into the table without a string per coalition. A CSV file is
//! that array as one column headed `cost` (see [`read_csv`]).
//!
//! All formats are read into the same raw form (values with their byte spans) and then
//! validated here, so they give the same messages; every problem is reported at once
//! with its file, line and column. Coalitions not listed are completed by their cheapest
//! partition into listed ones (`CostGame::from_partial`), which needs every singleton; a
//! complete list or a `values` array becomes the table as it is.

mod read_csv;
mod read_json;
mod read_toml;

use std::collections::HashMap;
use std::ops::Range;

use samkost_game::{CostGame, MAX_PLAYERS};

pub use super::diagnostic::closest;
use super::diagnostic::{Diagnostic, Diagnostics};
use super::tree::Ctx;

/// Keys allowed at the top of a game file.
const TOP_KEYS: &[&str] = &["title", "units", "complete", "players", "costs", "values"];
/// Values of `complete`.
const COMPLETIONS: &[&str] = &["cheapest_partition", "error"];
/// Missing coalitions named in the `complete = "error"` message.
const MAX_MISSING_SHOWN: usize = 5;
/// Players listed in "unknown player" hints (beyond this the list is left out).
const MAX_PLAYERS_LISTED: usize = 12;
/// Fewest players a game file may have: with one there is nothing to allocate.
pub const MIN_PLAYERS: usize = 2;
/// Bad entries of a `values` array reported each at its place; the rest are counted in one
/// message (locating each would take time quadratic in the file's size).
const MAX_BAD_VALUES_SHOWN: usize = 5;
/// Coalitions named in the hint on the order of `values`.
const MAX_ORDER_SHOWN: usize = 7;

/// The syntax of a game file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GameFormat {
    /// TOML (the default).
    Toml,
    /// JSON.
    Json,
    /// CSV: one column of coalition costs in bitmask order.
    Csv,
}

impl GameFormat {
    /// CSV when the file name ends in `.csv`; JSON when it ends in `.json` (any case) or the
    /// text starts with `{` (which no TOML document does); TOML otherwise.
    pub fn detect(file: &str, src: &str) -> Self {
        let name = file.to_ascii_lowercase();
        if name.ends_with(".csv") {
            return Self::Csv;
        }
        let json_name = name.ends_with(".json");
        if json_name
            || src
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{')
        {
            Self::Json
        } else {
            Self::Toml
        }
    }
}

/// A validated game file.
#[derive(Debug, Clone, PartialEq)]
pub struct GameFile {
    /// `title`, if given.
    pub title: Option<String>,
    /// `units`, if given (free text, e.g. "MNOK per year").
    pub units: Option<String>,
    /// Player names; player `i` is bit `i` of a coalition mask.
    pub players: Vec<String>,
    /// The game, with unlisted coalitions completed.
    pub game: CostGame,
    /// Coalitions listed in the file (the other `2^n − 1 − n_listed` were completed).
    pub n_listed: usize,
}

impl GameFile {
    /// The members of coalition `mask`, comma-joined in player order (`A,H`).
    pub fn coalition_name(&self, mask: u32) -> String {
        coalition_name(&self.players, mask)
    }
}

/// A value and the byte span it was read from.
#[derive(Debug, Clone)]
struct Located<T> {
    value: T,
    span: Range<usize>,
}

/// One entry of `costs`; `cost` is `None` when its value was already rejected.
#[derive(Debug, Clone)]
struct RawCost {
    key: Located<String>,
    cost: Option<f64>,
}

/// A `values` array as read; its span is that of the key, so that messages about the
/// whole array do not quote it.
#[derive(Debug, Clone)]
struct RawValues {
    /// Entries, including rejected ones; `None` when `values` is not an array.
    len: Option<usize>,
    /// The costs, or `None` when an entry (or the whole) was rejected.
    costs: Option<Vec<f64>>,
}

/// A game file as read, before its meaning is checked.
#[derive(Debug, Clone, Default)]
struct RawGame {
    title: Option<Located<String>>,
    units: Option<Located<String>>,
    /// Span of `complete = "error"` when given.
    complete_error: Option<Range<usize>>,
    players: Option<Located<Vec<Located<String>>>>,
    /// Whether `players` was given but rejected by the reader (already reported).
    players_rejected: bool,
    costs: Option<Located<Vec<RawCost>>>,
    values: Option<Located<RawValues>>,
}

/// Reads and validates a game file.
///
/// # Errors
/// Every problem found, each located in the file.
pub fn parse(file: &str, src: &str, format: GameFormat) -> Result<GameFile, Diagnostics> {
    let mut ctx = Ctx::new(file, src);
    let raw = match format {
        GameFormat::Toml => read_toml::read(&mut ctx),
        GameFormat::Json => read_json::read(&mut ctx),
        GameFormat::Csv => read_csv::read(&mut ctx),
    };
    let game = raw.and_then(|raw| validate(&mut ctx, raw));
    match game {
        Some(game) if ctx.errors.is_empty() => Ok(game),
        _ => Err(super::finish(ctx)),
    }
}

/// Records an unknown key with the closest valid one (the wording of `Table::check_keys`).
fn unknown_key(ctx: &mut Ctx<'_>, name: &str, span: Range<usize>, allowed: &[&str], what: &str) {
    let help = match closest(name, allowed.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? valid keys: {}", allowed.join(", ")),
        None => format!("valid keys: {}", allowed.join(", ")),
    };
    ctx.error_help(span, format!("unknown key `{name}` in {what}"), help);
}

/// Counts a bad entry of a `values` array; returns whether to report it at its place.
fn report_bad_value(n_bad: &mut usize) -> bool {
    *n_bad += 1;
    *n_bad <= MAX_BAD_VALUES_SHOWN
}

/// Reports the bad entries of a `values` array beyond those shown, at `last`, the span of
/// the last one; `what` names one entry and several (`["line", "lines"]`).
fn report_more_bad_values(ctx: &mut Ctx<'_>, last: Range<usize>, n_bad: usize, what: [&str; 2]) {
    let message = match n_bad.saturating_sub(MAX_BAD_VALUES_SHOWN) {
        0 => return,
        1 => format!("1 more {} is not a finite number", what[0]),
        more => format!("{more} more {} are not finite numbers", what[1]),
    };
    ctx.error(
        last,
        format!("{message}, the last one here (the first {MAX_BAD_VALUES_SHOWN} are shown above)"),
    );
}

fn validate(ctx: &mut Ctx<'_>, raw: RawGame) -> Option<GameFile> {
    let title = printable(ctx, raw.title, "`title`");
    let units = printable(ctx, raw.units, "`units`");
    let players = validate_players(ctx, raw.players.as_ref(), raw.players_rejected);
    let costs = match (&raw.costs, &raw.values) {
        (Some(costs), None) => costs,
        (None, Some(values)) => {
            let players = players?;
            let game = validate_values(ctx, &players, values)?;
            return Some(GameFile {
                title,
                units,
                n_listed: game.costs().len() - 1,
                players,
                game,
            });
        }
        (Some(_), Some(values)) => {
            ctx.error_help(
                values.span.clone(),
                "the game file has both `costs` and `values`",
                "keep one: `costs` keyed by coalition, or `values` with every coalition in bitmask order",
            );
            return None;
        }
        (None, None) => {
            ctx.error_help(
                0..0,
                "the game file has no `costs`",
                "add a `costs` table keyed by comma-joined player names, e.g. `\"A,H\" = 18.5`, or a `values` array with every coalition's cost in bitmask order",
            );
            return None;
        }
    };
    let players = players?;
    let listed = validate_costs(ctx, &costs.value, &players)?;
    if !check_singletons(ctx, &players, &listed, costs.span.clone()) {
        return None;
    }
    // A cost already rejected by the reader leaves its coalition without a value.
    let listed: Vec<(u32, f64)> = listed
        .iter()
        .map(|c| c.cost.map(|cost| (c.mask, cost)))
        .collect::<Option<_>>()?;
    if let Some(span) = raw.complete_error {
        check_complete(ctx, &players, &listed, span);
    }
    if !ctx.errors.is_empty() {
        return None;
    }
    match CostGame::from_partial(players.len(), &listed, false) {
        Ok(game) => Some(GameFile {
            title,
            units,
            n_listed: listed.len(),
            players,
            game,
        }),
        Err(e) => {
            ctx.errors.push(Diagnostic::whole_file(
                ctx.file,
                format!("invalid game: {e}"),
            ));
            None
        }
    }
}

/// A text that goes to the terminal as it is: control characters (escape sequences, carriage
/// returns, …) are refused, so that a file cannot rewrite the screen or hide a line.
fn printable(ctx: &mut Ctx<'_>, text: Option<Located<String>>, what: &str) -> Option<String> {
    let text = text?;
    match text.value.chars().find(|c| c.is_control()) {
        Some(c) => {
            ctx.error_help(
                text.span,
                format!(
                    "{what} contains the control character U+{:04X}",
                    u32::from(c)
                ),
                "remove it: names and titles are printed as they are",
            );
            None
        }
        None => Some(text.value),
    }
}

/// Records that `players` holds something other than names (found `found`, e.g. "numbers").
fn player_names_not_strings(ctx: &mut Ctx<'_>, span: Range<usize>, found: &str) {
    ctx.error_help(
        span,
        format!("player names must be strings, found {found}"),
        "quote each name, e.g. `[\"A\", \"H\"]`, or `[\"1\", \"2\"]` for numbered players",
    );
}

fn validate_players(
    ctx: &mut Ctx<'_>,
    players: Option<&Located<Vec<Located<String>>>>,
    rejected: bool,
) -> Option<Vec<String>> {
    if rejected {
        return None;
    }
    let Some(players) = players else {
        ctx.error_help(
            0..0,
            "the game file has no `players`",
            "add `players = [\"A\", \"H\", \"K\"]`: the names used in the coalition keys",
        );
        return None;
    };
    let n = players.value.len();
    if n > MAX_PLAYERS {
        ctx.error_help(
            players.span.clone(),
            format!("{n} players is more than the {MAX_PLAYERS} `samkost allocate` supports"),
            format!(
                "the exact coalition table holds 2^n costs of 8 bytes ({} MiB at n = {MAX_PLAYERS}); group the players into fewer members", (8u64 << MAX_PLAYERS) >> 20
            ),
        );
        return None;
    }
    if n < MIN_PLAYERS {
        ctx.error_help(
            players.span.clone(),
            format!("a cost game needs at least {MIN_PLAYERS} players, found {n}"),
            "list every member of the cooperation",
        );
        return None;
    }
    let errors_before = ctx.errors.len();
    let mut seen: Vec<&str> = Vec::with_capacity(n);
    for name in &players.value {
        let text = name.value.as_str();
        if text.trim().is_empty() {
            ctx.error(name.span.clone(), "a player name must not be empty");
        } else if let Some(c) = text.chars().find(|c| c.is_control()) {
            ctx.error_help(
                name.span.clone(),
                format!(
                    "player name `{}` contains the control character U+{:04X}",
                    text.escape_debug(),
                    u32::from(c)
                ),
                "remove it: names and titles are printed as they are",
            );
        } else if text.contains(',') {
            ctx.error_help(
                name.span.clone(),
                format!("player name `{text}` contains a comma"),
                "commas separate the players in coalition keys; rename the player",
            );
        } else if text.trim() != text {
            ctx.error_help(
                name.span.clone(),
                format!("player name `{text}` starts or ends with spaces"),
                format!("write `{}`", text.trim()),
            );
        } else if seen.contains(&text) {
            ctx.error_help(
                name.span.clone(),
                format!("player `{text}` is listed twice"),
                "list each player once",
            );
        }
        seen.push(text);
    }
    (ctx.errors.len() == errors_before).then(|| seen.iter().map(|s| (*s).to_owned()).collect())
}

/// Checks that `values` holds one cost per non-empty coalition and builds the game from it.
fn validate_values(
    ctx: &mut Ctx<'_>,
    players: &[String],
    values: &Located<RawValues>,
) -> Option<CostGame> {
    let n = players.len();
    let expected = (1usize << n) - 1;
    let len = values.value.len?;
    if len != expected {
        let order: Vec<String> = (1..=expected.min(MAX_ORDER_SHOWN) as u32)
            .map(|mask| format!("`{}`", coalition_name(players, mask)))
            .collect();
        let more = if expected > MAX_ORDER_SHOWN {
            ", …"
        } else {
            ""
        };
        ctx.error_help(
            values.span.clone(),
            format!(
                "`values` has {len} entries, but {n} players form 2^{n} − 1 = {expected} non-empty coalitions"
            ),
            format!(
                "give one cost per coalition S, at index Σ_{{i∈S}} 2^i − 1: {}{more}",
                order.join(", ")
            ),
        );
        return None;
    }
    let costs = values.value.costs.as_ref()?;
    let mut table = Vec::with_capacity(expected + 1);
    table.push(0.0);
    table.extend_from_slice(costs);
    match CostGame::from_table(n, table) {
        Ok(game) => Some(game),
        Err(e) => {
            ctx.errors.push(Diagnostic::whole_file(
                ctx.file,
                format!("invalid game: {e}"),
            ));
            None
        }
    }
}

/// A listed coalition after validation; `cost` is `None` when its value was rejected.
struct Listed {
    mask: u32,
    cost: Option<f64>,
}

/// Checks every coalition key; returns the listed coalitions if all are valid.
fn validate_costs(ctx: &mut Ctx<'_>, costs: &[RawCost], players: &[String]) -> Option<Vec<Listed>> {
    let errors_before = ctx.errors.len();
    let mut entries: Vec<&RawCost> = costs.iter().collect();
    entries.sort_by_key(|c| c.key.span.start);
    let mut first_seen: HashMap<u32, &Located<String>> = HashMap::with_capacity(entries.len());
    let mut listed = Vec::with_capacity(entries.len());
    let index: HashMap<&str, usize> = players
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    for entry in entries {
        let Some(mask) = coalition_mask(ctx, &entry.key, players, &index) else {
            continue;
        };
        if let Some(first) = first_seen.get(&mask) {
            let line = Diagnostic::at(ctx.file, ctx.src, first.span.clone(), "").line;
            let same = if first.value == entry.key.value {
                format!("`{}` is already listed on line {line}", first.value)
            } else {
                format!(
                    "`{}` on line {line} is the same coalition in another order",
                    first.value
                )
            };
            ctx.error_help(
                entry.key.span.clone(),
                format!("coalition `{}` is listed twice", entry.key.value),
                format!("{same}; keep one"),
            );
            continue;
        }
        first_seen.insert(mask, &entry.key);
        listed.push(Listed {
            mask,
            cost: entry.cost,
        });
    }
    (ctx.errors.len() == errors_before).then_some(listed)
}

/// The bitmask of a coalition key (`A,H`); records a problem and returns `None` if a name is
/// empty, unknown or repeated. `index` maps each player's name to its position.
fn coalition_mask(
    ctx: &mut Ctx<'_>,
    key: &Located<String>,
    players: &[String],
    index: &HashMap<&str, usize>,
) -> Option<u32> {
    let mut mask = 0u32;
    let mut valid = true;
    for part in key.value.split(',') {
        let name = part.trim();
        if name.is_empty() {
            ctx.error_help(
                key.span.clone(),
                format!("coalition `{}` has an empty player name", key.value),
                "write the members' names separated by commas, e.g. `\"A,H\"`",
            );
            return None;
        }
        let Some(&idx) = index.get(name) else {
            let list = if players.len() <= MAX_PLAYERS_LISTED {
                format!("players: {}", players.join(", "))
            } else {
                "every name must be in `players`".to_owned()
            };
            let help = match closest(name, players.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? {list}"),
                None => list,
            };
            ctx.error_help(
                key.span.clone(),
                format!("unknown player `{name}` in coalition `{}`", key.value),
                help,
            );
            valid = false;
            continue;
        };
        if mask & (1 << idx) != 0 {
            ctx.error_help(
                key.span.clone(),
                format!("player `{name}` appears twice in coalition `{}`", key.value),
                "name each member once",
            );
            valid = false;
        }
        mask |= 1 << idx;
    }
    valid.then_some(mask)
}

/// Every player's standalone cost must be listed; returns whether all are.
fn check_singletons(
    ctx: &mut Ctx<'_>,
    players: &[String],
    listed: &[Listed],
    span: Range<usize>,
) -> bool {
    let mut all = true;
    for (i, name) in players.iter().enumerate() {
        if !listed.iter().any(|c| c.mask == 1 << i) {
            ctx.error_help(
                span.clone(),
                format!("player `{name}` has no standalone cost"),
                format!(
                    "add the cost of `{name}` alone (key `{name}`): every singleton is needed to complete the table"
                ),
            );
            all = false;
        }
    }
    all
}

/// With `complete = "error"`, every coalition must be listed.
fn check_complete(
    ctx: &mut Ctx<'_>,
    players: &[String],
    listed: &[(u32, f64)],
    span: Range<usize>,
) {
    let n_coalitions = (1u64 << players.len()) - 1;
    let n_missing = n_coalitions - listed.len() as u64;
    if n_missing == 0 {
        return;
    }
    let masks: std::collections::HashSet<u32> = listed.iter().map(|c| c.0).collect();
    let shown: Vec<String> = (1..=n_coalitions as u32)
        .filter(|m| !masks.contains(m))
        .take(MAX_MISSING_SHOWN)
        .map(|m| format!("`{}`", coalition_name(players, m)))
        .collect();
    let more = match n_missing as usize - shown.len() {
        0 => String::new(),
        rest => format!(" and {rest} more"),
    };
    ctx.error_help(
        span,
        format!(
            "the table lists {} of the {n_coalitions} coalitions; missing: {}{more}",
            listed.len(),
            shown.join(", ")
        ),
        "list them, or remove `complete = \"error\"` to complete each missing coalition by its cheapest partition into listed ones",
    );
}

fn coalition_name(players: &[String], mask: u32) -> String {
    players
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, p)| p.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_is_detected_from_name_or_content() {
        assert_eq!(GameFormat::detect("g.JSON", ""), GameFormat::Json);
        assert_eq!(
            GameFormat::detect("g.txt", "  {\"players\": []}"),
            GameFormat::Json
        );
        assert_eq!(
            GameFormat::detect("g.toml", "players = []"),
            GameFormat::Toml
        );
    }

    #[test]
    fn toml_and_json_give_the_same_game() {
        let toml = "players = [\"A\", \"B\"]\n[costs]\nA = 3\nB = 4\n\"B, A\" = 6\n";
        let json = r#"{"players": ["A", "B"], "costs": {"A": 3, "B": 4, "B, A": 6}}"#;
        let a = parse("g.toml", toml, GameFormat::Toml).unwrap();
        let b = parse("g.json", json, GameFormat::Json).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.game.costs(), &[0.0, 3.0, 4.0, 6.0]);
        assert_eq!(a.coalition_name(0b11), "A,B");
    }
}
