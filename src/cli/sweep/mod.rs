//! `samkost sweep` and `samkost merge`: a scenario run over the points of a grid file, split
//! into shards that separate processes (or machines) run, and the shards combined.
//!
//! Files in the output directory (several shards may share it):
//! - `shard-K-of-N.csv` (or `sweep.csv` without `--shard`): the tidy table of the shard's
//!   points, written atomically; `.parquet` beside it in builds with the `parquet` feature;
//! - `shard-K-of-N.done` (`sweep.done`): a JSON marker written last, with the sweep's hash
//!   and the CSV's checksum. A rerun whose marker matches skips the shard;
//! - `.shard-K-of-N-HASH.points/point-P.csv` (`.sweep-HASH.points/…`) while a shard runs:
//!   each finished point with a checksum of its rows, the sweep's hash and the point number
//!   ([`point_checkpoint`]), so that a rerun after an interruption only computes the points that
//!   were not finished. A checkpoint whose checksum does not match is computed again, with a
//!   warning. Removed when the shard is complete;
//! - `.shard-K-of-N.lock` (`.sweep.lock`) while a shard runs: the host name and process id of
//!   the one process that writes the shard's files; a second process of the same shard stops
//!   with exit code 1. A lock whose process no longer runs on this host is replaced.
//!
//! Every file is written with the permissions of a run's files (`0o666` less the umask).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use samkost_core::allocation::ResolvedKey;
use samkost_core::simulation::{self, NoProgress, RunConfig};

use super::output::write_file_shared;
use super::{InputError, RelativeFiles, Sampling};
use crate::report::sweep::{
    AxisColumn, MARKER_FORMAT, ShardMarker, SweepTable, fnv1a_hex, point_checkpoint, point_rows,
    read_point_checkpoint, read_sweep_csv, sweep_csv,
};
use crate::scenario::grid::{self, Grid, PointScenarios};
use crate::scenario::{self, FileSource, Scenario};

mod lock;
mod merge;

use lock::ShardLock;
pub use merge::merge_command;

/// Arguments of `samkost sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (TOML, or a scenario workbook .xlsx); the embedded default when omitted.
    scenario: Option<PathBuf>,
    /// Grid file (TOML): the axes to vary (see docs/SWEEPS.md).
    #[arg(long)]
    grid: PathBuf,
    /// Directory for the results (shared by all shards of a sweep).
    #[arg(long)]
    out: PathBuf,
    /// Run only shard K of N (0-based): the points with `point % N == K`; N is at most the
    /// number of grid points.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Draws per point (overrides the grid file and the scenario).
    #[arg(long)]
    draws: Option<u64>,
    /// Seed of every point (overrides the grid file and the scenario).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: all cores; at most 1024). Results do not depend on it.
    #[arg(long, value_parser = super::parse_threads)]
    threads: Option<usize>,
    /// How the uncertain inputs are sampled.
    #[arg(long, value_enum, default_value_t = Sampling::Mc)]
    sampling: Sampling,
    /// Draws on which core stability is checked per point (0: off, the default, which keeps
    /// sweeps fast; `p_core_stable` is then empty).
    #[arg(long, default_value_t = 0)]
    stability_draws: u64,
}

/// Arguments of `samkost merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Directories holding the shard files (`shard-K-of-N.csv` and `.done`).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// The merged CSV (the same bytes as an unsharded sweep's `sweep.csv`); with the `parquet`
    /// feature also the same name with the extension `.parquet`.
    #[arg(long)]
    out: PathBuf,
}

/// `K/N`: shard `K` of `N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    k: u64,
    n: u64,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("expected K/N such as 0/4, got `{text}`"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("K in `{text}` is not a whole number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("N in `{text}` is not a whole number"))?;
    if n == 0 || k >= n {
        return Err(format!(
            "shard {k} of {n} does not exist: shards are numbered 0 to N−1"
        ));
    }
    Ok(Shard { k, n })
}

/// A scenario file's name and text (the embedded default when `path` is `None`).
fn scenario_text(path: Option<&Path>) -> Result<(String, String, Box<dyn FileSource>)> {
    let Some(path) = path else {
        return Ok((
            scenario::DEFAULT_SCENARIO_NAME.to_owned(),
            scenario::DEFAULT_SCENARIO.to_owned(),
            Box::new(scenario::NoFiles),
        ));
    };
    let text = if super::workbook::is_workbook(path) {
        super::workbook::workbook_as_toml(path)?
    } else {
        read_utf8(path, "scenario")?
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((
        path.display().to_string(),
        text,
        Box::new(RelativeFiles { base }),
    ))
}

fn read_utf8(path: &Path, what: &str) -> Result<String> {
    super::read_input(path, what, super::MAX_INPUT_BYTES)
}

/// Everything that decides a sweep's numbers.
struct Plan {
    grid: Grid,
    points: PointScenarios,
    config: RunConfig,
    hash: String,
}

fn plan(args: &SweepArgs) -> Result<Plan> {
    let (name, text, files) = scenario_text(args.scenario.as_deref())?;
    let base =
        scenario::parse(&name, &text, files.as_ref()).map_err(|d| InputError(d.to_string()))?;
    super::print_warnings(&base);
    let grid_text = read_utf8(&args.grid, "grid")?;
    let grid_name = args.grid.display().to_string();
    let grid = grid::parse(&grid_name, &grid_text, &base).map_err(|d| InputError(d.to_string()))?;
    let config = RunConfig {
        n_draws: args.draws.or(grid.n_draws).unwrap_or(base.n_draws),
        seed: args.seed.or(grid.seed).unwrap_or(base.seed),
        stability_draws: args.stability_draws,
        band_draws: 0,
        sampling: args.sampling.method(),
        max_stored_draws: simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts: false,
        detailed: false,
    };
    if config.n_draws == 0 {
        return Err(InputError("error: --draws must be at least 1".to_owned()).into());
    }
    let base_hash = base.hash();
    let points = PointScenarios::new(&grid, base, &name, &text, files.as_ref())
        .map_err(|e| InputError(format!("error: {e}")))?;
    let hash = fnv1a_hex(
        format!(
            "{:?}",
            (env!("CARGO_PKG_VERSION"), base_hash, &grid, &config)
        )
        .as_bytes(),
    );
    Ok(Plan {
        grid,
        points,
        config,
        hash,
    })
}

/// Runs `samkost sweep`.
pub fn sweep_command(args: &SweepArgs) -> Result<()> {
    let plan = plan(args)?;
    let shard = args.shard.unwrap_or(Shard { k: 0, n: 1 });
    let limit = crate::report::sweep::shard_limit(plan.grid.n_points());
    if shard.n > limit {
        return Err(InputError(format!(
            "error: --shard {}/{} asks for more shards than a sweep of {} points accepts ({})\n  = help: shards beyond the points are empty; use N ≤ {limit}",
            shard.k,
            shard.n,
            plan.grid.n_points(),
            limit
        ))
        .into());
    }
    let stem = match args.shard {
        Some(s) => format!("shard-{}-of-{}", s.k, s.n),
        None => "sweep".to_owned(),
    };
    let dir = &args.out;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create output directory `{}`", dir.display()))?;
    let _lock = ShardLock::take(dir, &stem)?;
    if let Some(marker) = complete_marker(dir, &stem, &plan.hash) {
        #[cfg(feature = "parquet")]
        if !dir.join(format!("{stem}.parquet")).exists() {
            // Complete, but written by a build without Parquet: add it from the CSV.
            let csv = std::fs::read(dir.join(&marker.csv)).context("failed to read the shard")?;
            let table = read_sweep_csv(&csv, &marker.axes).map_err(|e| anyhow::anyhow!(e))?;
            write_parquet(dir, &format!("{stem}.parquet"), &table, ".partial-parquet-")?;
        }
        #[cfg(not(feature = "parquet"))]
        let _ = marker;
        eprintln!(
            "sweep: `{}` is already complete (same sweep), skipped",
            dir.join(format!("{stem}.csv")).display()
        );
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("failed to start worker threads")?;
    let axes = axis_columns(&plan.grid);
    // Each shard has its own directory of finished points, so that removing it when the shard
    // is complete cannot disturb another shard writing into DIR at the same time.
    let checkpoints = dir.join(format!(".{stem}-{}.points", plan.hash));
    std::fs::create_dir_all(&checkpoints)
        .with_context(|| format!("failed to create `{}`", checkpoints.display()))?;
    let temp_prefix = format!(".partial-{stem}-");
    remove_own_partials(dir, &temp_prefix);
    remove_own_partials(&checkpoints, &temp_prefix);
    let points: Vec<u64> = (0..plan.grid.n_points())
        .filter(|p| p % shard.n == shard.k)
        .collect();
    let mut table = SweepTable {
        axes: axes.clone(),
        rows: Vec::new(),
    };
    let mut reused = 0;
    for (done, &point) in points.iter().enumerate() {
        let file = checkpoints.join(format!("point-{point}.csv"));
        if let Some(rows) = reusable_point(&file, &plan.hash, point, &axes) {
            table.rows.extend(rows.rows);
            reused += 1;
            continue;
        }
        let rows = pool.install(|| run_point(&plan, point))?;
        let bytes = sweep_csv(&rows).context("failed to build the point's rows")?;
        write_file_shared(
            &checkpoints,
            &format!("point-{point}.csv"),
            &point_checkpoint(&plan.hash, point, &bytes),
            &temp_prefix,
        )?;
        table.rows.extend(rows.rows);
        eprintln!(
            "sweep: point {point} done ({}/{} of this shard)",
            done + 1,
            points.len()
        );
    }
    if reused > 0 {
        eprintln!("sweep: {reused} point(s) reused from an interrupted run");
    }
    let csv = sweep_csv(&table).context("failed to build the sweep table")?;
    write_parquet(dir, &format!("{stem}.parquet"), &table, &temp_prefix)?;
    write_file_shared(dir, &format!("{stem}.csv"), &csv, &temp_prefix)?;
    let marker = ShardMarker {
        format: MARKER_FORMAT.to_owned(),
        samkost_version: env!("CARGO_PKG_VERSION").to_owned(),
        sweep_hash: plan.hash.clone(),
        shard: shard.k,
        shards: shard.n,
        grid_points: plan.grid.n_points(),
        points: points.len() as u64,
        rows: table.rows.len() as u64,
        csv: format!("{stem}.csv"),
        csv_fnv1a: fnv1a_hex(&csv),
        axes,
    };
    let json = marker.to_json().context("failed to build the marker")?;
    write_file_shared(dir, &format!("{stem}.done"), &json, &temp_prefix)?;
    for &point in &points {
        let _ = std::fs::remove_file(checkpoints.join(format!("point-{point}.csv")));
    }
    let _ = std::fs::remove_dir(&checkpoints);
    eprintln!(
        "sweep: wrote `{}` ({} points, {} rows)",
        dir.join(format!("{stem}.csv")).display(),
        points.len(),
        table.rows.len()
    );
    Ok(())
}

/// Writes the table as Parquet in builds with the `parquet` feature; nothing otherwise.
#[cfg_attr(
    not(feature = "parquet"),
    expect(unused_variables, reason = "Parquet is written only with the feature")
)]
fn write_parquet(dir: &Path, name: &str, table: &SweepTable, temp_prefix: &str) -> Result<()> {
    #[cfg(feature = "parquet")]
    {
        let bytes = crate::report::sweep::sweep_parquet(table)
            .context("failed to build the Parquet file")?;
        write_file_shared(dir, name, &bytes, temp_prefix)?;
    }
    Ok(())
}

fn axis_columns(grid: &Grid) -> Vec<AxisColumn> {
    grid.axes
        .iter()
        .map(|a| AxisColumn {
            name: a.column.clone(),
            text: a.is_text(),
        })
        .collect()
}

/// The marker of a complete shard of this sweep: it parses, has the sweep's hash, and its CSV
/// has the recorded checksum.
fn complete_marker(dir: &Path, stem: &str, hash: &str) -> Option<ShardMarker> {
    let marker = ShardMarker::from_json(&std::fs::read(dir.join(format!("{stem}.done"))).ok()?)?;
    let csv = std::fs::read(dir.join(&marker.csv)).ok()?;
    (marker.sweep_hash == hash && fnv1a_hex(&csv) == marker.csv_fnv1a).then_some(marker)
}

/// The rows of a point finished by an interrupted run of this shard, if its checkpoint is
/// there and intact. A checkpoint that does not match its checksum, or does not read as the
/// sweep's table, is reported and the point computed again.
fn reusable_point(file: &Path, hash: &str, point: u64, axes: &[AxisColumn]) -> Option<SweepTable> {
    let bytes = std::fs::read(file).ok()?;
    let rows = read_point_checkpoint(&bytes, hash, point)
        .and_then(|csv| read_sweep_csv(csv, axes))
        .and_then(|t| {
            t.rows
                .iter()
                .all(|r| r.point == point)
                .then_some(t)
                .ok_or_else(|| "it holds rows of another point".to_owned())
        });
    match rows {
        Ok(rows) => Some(rows),
        Err(why) => {
            eprintln!(
                "warning: checkpoint `{}` is not used ({why}); point {point} is computed again",
                file.display()
            );
            None
        }
    }
}

fn remove_own_partials(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Runs one grid point: every point uses the sweep's seed (common random numbers).
fn run_point(plan: &Plan, point: u64) -> Result<SweepTable> {
    let scenario = plan
        .points
        .scenario(&plan.grid, point)
        .map_err(|e| InputError(format!("error: grid point {point}: {e}")))?;
    let (keys, skipped) = resolve_point_keys(&scenario, plan.config.seed)
        .map_err(|e| InputError(format!("error: grid point {point}: {e}")))?;
    for (name, why) in &skipped {
        eprintln!("warning: grid point {point}: key `{name}` skipped: {why}");
    }
    let results = simulation::run(&scenario.model, &keys, &plan.config, &NoProgress)
        .map_err(|e| InputError(format!("error: grid point {point}: {e}")))?;
    let values = plan.grid.values(point);
    Ok(SweepTable {
        axes: axis_columns(&plan.grid),
        rows: point_rows(point, &values, &scenario, &results, &skipped),
    })
}

/// A key left out at a point: its name and the core's reason.
type SkippedKey = (String, String);

/// Resolves the keys of a point. A key that cannot be formed at the point is skipped there,
/// with the core's reason, instead of failing the sweep: beyond
/// [`samkost_core::games::MAX_EXACT_MEMBERS`] members the game-theoretic keys that need every
/// coalition (all but the sampled Shapley value), and at any size a key whose numbers do not
/// exist for the point's members, such as the nucleolus of a member set whose cooperation
/// costs more than its members alone (docs/MODEL.md §10).
fn resolve_point_keys(
    scenario: &Scenario,
    seed: u64,
) -> Result<(Vec<ResolvedKey>, Vec<SkippedKey>), String> {
    let (model, planning) = (&scenario.model, &scenario.planning);
    match simulation::resolve_keys(model, &scenario.keys, seed, planning) {
        Ok((keys, _)) => Ok((keys, Vec::new())),
        Err(_) => {
            let mut kept = Vec::new();
            let mut skipped = Vec::new();
            for key in &scenario.keys {
                match simulation::resolve_keys(model, std::slice::from_ref(key), seed, planning) {
                    Ok(_) => kept.push(key.clone()),
                    Err(e) => skipped.push((key.name.clone(), e.to_string())),
                }
            }
            let (keys, _) = simulation::resolve_keys(model, &kept, seed, planning)
                .map_err(|e| e.to_string())?;
            Ok((keys, skipped))
        }
    }
}
