//! `samkost allocate GAME_FILE`: read a cost game, compute the requested solution concepts,
//! print them as a table or JSON.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use samkost_game::GameError;

use super::{Format, InputError};
use super::{emitf, emitln};
use crate::allocate::{self, Method, Settings};
use crate::report::allocate::{allocation_json, render_allocation_table};
use crate::scenario::game_file::{self, GameFile, GameFormat};

/// Arguments of `samkost allocate`.
#[derive(Debug, clap::Args)]
pub struct AllocateArgs {
    /// Game file: TOML, JSON (a `.json` name or text starting with `{`), or CSV (a `.csv`
    /// name: one column `cost`, every coalition in bitmask order).
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
    /// Join orders drawn for the sampled Shapley value (beyond 20 players only).
    #[arg(long, default_value_t = 10_000)]
    permutations: usize,
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
    if args.permutations < 4 {
        return Err(InputError("error: --permutations must be at least 4".to_owned()).into());
    }
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
    let bytes = std::fs::read(path)
        .with_context(|| format!("failed to read game file `{}`", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        InputError(format!(
            "error: game file `{}` is not valid UTF-8 (first bad byte at offset {})\n  = help: save the file as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let name = path.display().to_string();
    let format = GameFormat::detect(&name, &text);
    game_file::parse(&name, &text, format).map_err(|d| InputError(d.to_string()).into())
}
