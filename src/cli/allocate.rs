//! `samkost allocate GAME_FILE`: read a cost game, compute the requested solution concepts,
//! print them as a table or JSON.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use samkost_game::{GameError, MAX_PLAYERS};

use super::{Format, InputError};
use super::{emitf, emitln};
use crate::allocate::{self, Method, Settings};
use crate::report::allocate::{allocation_json, render_allocation_table};
use crate::scenario::game_file::{self, GameFile, GameFormat};

/// Arguments of `samkost allocate`.
#[derive(Debug, clap::Args)]
pub struct AllocateArgs {
    /// Game file: TOML, JSON (a `.json` name or text starting with `{`), or CSV (a `.csv`
    /// name: one column `cost`, every coalition in bitmask order); at most 25 players and
    /// 1 GiB.
    game_file: PathBuf,
    /// Methods, comma-separated (default: all): shapley, nucleolus, prenucleolus, least_core,
    /// scrb, equal_split, equal_savings, proportional_savings, proportional_to_standalone.
    #[arg(long)]
    methods: Option<String>,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Seed of the sampled Shapley value (used beyond 20 players only).
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Join orders drawn for the sampled Shapley value (beyond 20 players only; 4 to 10^7).
    #[arg(long, default_value_t = 10_000, value_parser = parse_permutations)]
    permutations: usize,
}

/// Most join orders `--permutations` accepts: 10^7 orders of 25 players are 2.5·10^8 table
/// look-ups, seconds to a minute; more would run for hours without a visible gain.
pub const MAX_PERMUTATIONS: usize = 10_000_000;

/// Largest game file: 1 GiB, 32 bytes for each of the `2^25 − 1` costs of a complete game of
/// [`MAX_PLAYERS`] players (a complete 20-player `values` file is about 20 MB).
pub const MAX_GAME_FILE_BYTES: u64 = 1 << 30;

/// Memory `allocate` takes per coalition: the table (8 bytes), the costs as read and the
/// methods' working copies; measured at about 24 bytes (773 MB at 25 players).
const ALLOCATE_BYTES_PER_COALITION: u64 = 32;

// The largest game, read from the largest file, fits in the memory budget.
const _: () = assert!(
    MAX_GAME_FILE_BYTES + (ALLOCATE_BYTES_PER_COALITION << MAX_PLAYERS)
        <= super::MEMORY_BUDGET_BYTES
);

/// `--permutations`: 4 (the sampled value's standard error needs a few) to [`MAX_PERMUTATIONS`].
fn parse_permutations(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number of join orders, got `{text}`"))?;
    if !(4..=MAX_PERMUTATIONS).contains(&n) {
        return Err(format!(
            "expected 4 to {MAX_PERMUTATIONS} join orders (more would run for hours), got {n}"
        ));
    }
    Ok(n)
}

/// Runs `samkost allocate`.
pub fn run(args: &AllocateArgs) -> Result<()> {
    let explicit = args.methods.is_some();
    let methods = match &args.methods {
        Some(text) => {
            allocate::parse_methods(text).map_err(|e| InputError(format!("error: {e}")))?
        }
        None => Method::ALL.to_vec(),
    };
    let file = load_game(&args.game_file)?;
    let settings = Settings {
        methods,
        seed: args.seed,
        n_permutations: args.permutations,
    };
    let analysis = allocate::analyse(&file.game, &settings).map_err(|e| match e {
        GameError::LpFailed { .. } => anyhow::Error::new(e).context("the solver failed"),
        other => InputError(format!("error: {other}")).into(),
    })?;
    for (method, reason) in &analysis.skipped {
        let reason = allocate::with_player_names(reason, &file.players);
        let message = format!("{} {reason}", method.name());
        if explicit {
            return Err(InputError(format!("error: {message}")).into());
        }
        eprintln!("warning: {message}; left out");
    }
    match args.format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&allocation_json(&file, &analysis))
                .context("failed to serialise the allocations")?;
            emitln!("{json}");
        }
        Format::Table => emitf!(
            "{}",
            render_allocation_table(&file, &analysis, settings.seed)
        ),
    }
    Ok(())
}

fn load_game(path: &Path) -> Result<GameFile> {
    let text = super::read_input(path, "game file", MAX_GAME_FILE_BYTES)?;
    let name = path.display().to_string();
    let format = GameFormat::detect(&name, &text);
    game_file::parse(&name, &text, format).map_err(|d| InputError(d.to_string()).into())
}
