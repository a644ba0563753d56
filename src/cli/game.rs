//! `samkost game`: the scenario's cost game as a game file for `samkost allocate`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use samkost_core::games::{MAX_EXACT_MEMBERS, planning_game_weighted};

use super::{InputError, emitf, load_scenario, print_warnings};

/// Arguments of `samkost game`.
#[derive(Debug, clap::Args)]
pub struct GameArgs {
    /// Scenario file (TOML, or a scenario workbook .xlsx; at most 64 MiB); the embedded
    /// default when omitted.
    scenario: Option<PathBuf>,
    /// The game of one calendar year (undiscounted) instead of the NPV game.
    #[arg(long)]
    year: Option<i32>,
}

/// Runs `samkost game`: prints a TOML game file with the expected cost of every coalition
/// (the scenario's planning game: mean over `[planning] draws` draws).
pub fn game_command(args: &GameArgs) -> Result<()> {
    let scenario = load_scenario(args.scenario.as_deref())?;
    print_warnings(&scenario);
    let model = &scenario.model;
    let n = model.n_members();
    if model.has_existing() {
        // Every coalition's cost is that of a cooperation started from nothing; with an
        // existing cooperation part of that start-up is sunk (docs/MODEL.md §10c).
        return Err(InputError(
            "error: the scenario's coalition costs assume a cooperation started from nothing, while [existing] says part of it is in place; remove [existing] to write the cost game of a cooperation started from nothing".to_owned(),
        )
        .into());
    }
    if n > MAX_EXACT_MEMBERS {
        return Err(InputError(format!("error: a game file lists every coalition, which is done for at most {MAX_EXACT_MEMBERS} members; this scenario has {n}")).into());
    }
    let (weights, units) = match args.year {
        None => (
            model.discounting.factors(model.horizon_years),
            format!(
                "NOK, expected NPV {}–{}",
                model.first_year,
                model.first_year + model.horizon_years as i32 - 1
            ),
        ),
        Some(y) => {
            let t = y - model.first_year;
            if t < 0 || t as usize >= model.horizon_years {
                return Err(InputError(format!(
                    "error: --year {y} is outside the horizon {}–{}",
                    model.first_year,
                    model.first_year + model.horizon_years as i32 - 1
                ))
                .into());
            }
            let mut w = vec![0.0; model.horizon_years];
            w[t as usize] = 1.0;
            (w, format!("NOK, expected cost in {y}"))
        }
    };
    let game = planning_game_weighted(
        model,
        scenario.seed,
        scenario.planning.n_draws,
        scenario.planning.basis,
        &weights,
    );
    // Names repeat across Norway (Herøy 1515 and 1818): add the number when needed.
    let names: Vec<String> = model
        .members
        .iter()
        .map(|m| {
            if model.members.iter().filter(|o| o.name == m.name).count() > 1 {
                format!("{} {}", m.name, m.id)
            } else {
                m.name.clone()
            }
        })
        .collect();
    // A JSON string literal is a valid TOML basic string.
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Cost game of `{}` from samkost's cost model: every coalition's expected cost",
        scenario.name
    );
    let _ = writeln!(
        out,
        "# over {} planning draws (seed {}). Read it with `samkost allocate FILE`.",
        game.n_draws, scenario.seed
    );
    let _ = writeln!(out, "title = {}", quoted(&scenario.name));
    let _ = writeln!(out, "units = {}", quoted(&units));
    let _ = writeln!(
        out,
        "players = [{}]",
        names
            .iter()
            .map(|n| quoted(n))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(out, "\n[costs]");
    for mask in 1..(1usize << n) {
        let members: Vec<&str> = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| names[i].as_str())
            .collect();
        let _ = writeln!(
            out,
            "{} = {}",
            quoted(&members.join(",")),
            game.game.total(mask)
        );
    }
    emitf!("{out}");
    Ok(())
}
