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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use samkost_core::allocation::ResolvedKey;
use samkost_core::games::MAX_EXACT_MEMBERS;
use samkost_core::simulation::{self, NoProgress, RunConfig};

use super::output::write_file_shared;
use super::{InputError, RelativeFiles, Sampling};
use crate::report::sweep::{
    AxisColumn, MARKER_FORMAT, ShardMarker, SweepTable, fnv1a_hex, merge_tables, point_checkpoint,
    point_rows, read_point_checkpoint, read_sweep_csv, sweep_csv,
};
use crate::scenario::grid::{self, Grid, PointScenarios};
use crate::scenario::{self, FileSource, Scenario};

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
    for w in &base.warnings {
        eprint!("{}", w.to_string().replacen("error:", "warning:", 1));
    }
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

/// The lock of one shard's files in an output directory: `.STEM.lock`, created exclusively and
/// holding the owner's host name and process id, removed when the sweep ends. Two processes
/// of the same shard would otherwise both write its checkpoints, table and marker.
struct ShardLock {
    path: PathBuf,
}

impl ShardLock {
    /// Takes the lock, or fails with [`InputError`] when a live process holds it. A lock left
    /// by a process that no longer runs on this host (killed by SIGKILL or by an interrupt,
    /// which ends the process without unwinding) is replaced with a warning.
    fn take(dir: &Path, stem: &str) -> Result<Self> {
        let path = dir.join(format!(".{stem}.lock"));
        let host = host_name();
        let owner = format!("{host} {}\n", std::process::id());
        for _ in 0..3 {
            // Written in full under another name, then linked: the lock never exists half-written,
            // and linking fails if it exists.
            let mut tmp = tempfile::Builder::new()
                .prefix(&format!(".partial-{stem}-lock-"))
                .tempfile_in(dir)
                .with_context(|| {
                    format!("failed to create a temporary file in `{}`", dir.display())
                })?;
            std::io::Write::write_all(&mut tmp, owner.as_bytes())
                .with_context(|| format!("failed to write `{}`", path.display()))?;
            match std::fs::hard_link(tmp.path(), &path) {
                Ok(()) => return Ok(Self { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("failed to create `{}`", path.display()));
                }
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // Released in the meantime: try again.
            };
            let (lock_host, pid) = text.trim().rsplit_once(' ').unwrap_or(("", text.trim()));
            // Without /proc (not Linux) a process cannot be checked, so its lock holds.
            let stale = lock_host == host
                && Path::new("/proc/self").exists()
                && pid
                    .parse::<u32>()
                    .is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
            if !stale {
                return Err(InputError(format!(
                    "error: shard `{stem}` in `{}` is being written by another process ({}, lock `{}`)\n  = help: wait for it to finish; if no such process runs, remove the lock file",
                    dir.display(),
                    text.trim(),
                    path.display()
                ))
                .into());
            }
            eprintln!(
                "warning: removing the lock `{}` of process {pid}, which no longer runs",
                path.display()
            );
            let _ = std::fs::remove_file(&path);
        }
        Err(InputError(format!(
            "error: could not take the lock `{}`: other processes keep taking it",
            path.display()
        ))
        .into())
    }
}

impl Drop for ShardLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// This machine's name, which tells whether a lock's process id can be checked here (a
/// sweep's directory may be shared by several machines).
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty() && !h.contains(' '))
        .unwrap_or_else(|| "unknown-host".to_owned())
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

/// Resolves the keys of a point. Beyond [`MAX_EXACT_MEMBERS`] members the core refuses the
/// game-theoretic keys that need every coalition (all but the sampled Shapley value): those
/// keys are skipped for the point, with the core's reason, instead of failing the sweep.
fn resolve_point_keys(
    scenario: &Scenario,
    seed: u64,
) -> Result<(Vec<ResolvedKey>, Vec<SkippedKey>), String> {
    let (model, planning) = (&scenario.model, &scenario.planning);
    match simulation::resolve_keys(model, &scenario.keys, seed, planning) {
        Ok((keys, _)) => Ok((keys, Vec::new())),
        Err(e) if model.n_members() <= MAX_EXACT_MEMBERS => Err(e.to_string()),
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

/// Runs `samkost merge`.
pub fn merge_command(args: &MergeArgs) -> Result<()> {
    let mut markers: Vec<(PathBuf, ShardMarker)> = Vec::new();
    for dir in &args.dirs {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("failed to read directory `{}`", dir.display()))?;
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("shard-") && n.ends_with(".done"))
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let bytes = std::fs::read(&path)
                .with_context(|| format!("failed to read `{}`", path.display()))?;
            let marker = ShardMarker::from_json(&bytes).ok_or_else(|| {
                InputError(format!("error: `{}` is not a shard marker", path.display()))
            })?;
            marker.check_numbers().map_err(|e| {
                InputError(format!(
                    "error: `{}`: {e}\n  = help: rerun the shard to write its marker again",
                    path.display()
                ))
            })?;
            markers.push((path, marker));
        }
    }
    let markers = check_shards(markers)?;
    let mut tables = Vec::new();
    for (marker_path, marker) in &markers {
        let path = marker_path.with_file_name(&marker.csv);
        let bytes =
            std::fs::read(&path).with_context(|| format!("failed to read `{}`", path.display()))?;
        if fnv1a_hex(&bytes) != marker.csv_fnv1a {
            return Err(InputError(format!(
                "error: `{}` does not match its marker (changed or incomplete); rerun shard {}/{}",
                path.display(),
                marker.shard,
                marker.shards
            ))
            .into());
        }
        let table = read_sweep_csv(&bytes, &marker.axes)
            .map_err(|e| InputError(format!("error: `{}`: {e}", path.display())))?;
        tables.push(table);
    }
    let merged = merge_tables(tables).map_err(|e| InputError(format!("error: {e}")))?;
    let csv = sweep_csv(&merged).context("failed to build the merged table")?;
    let out = &args.out;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("failed to create `{}`", parent.display()))?;
    let name = out
        .file_name()
        .ok_or_else(|| InputError(format!("error: `{}` is not a file name", out.display())))?
        .to_string_lossy()
        .into_owned();
    let parquet_name = Path::new(&name).with_extension("parquet");
    write_parquet(
        &parent,
        &parquet_name.to_string_lossy(),
        &merged,
        ".partial-merge-",
    )?;
    write_file_shared(&parent, &name, &csv, ".partial-merge-")?;
    eprintln!(
        "merge: {} shards, {} rows → `{}`",
        markers.len(),
        merged.rows.len(),
        out.display()
    );
    Ok(())
}

/// Checks that the shards belong to one sweep and that each of its `N` shards is there once;
/// returns them in shard order. Each marker is the path of its `.done` file and its contents,
/// whose numbers [`ShardMarker::check_numbers`] has checked. Nothing is allocated from `N`:
/// the shards found are kept in a map, and only the first few missing ones are listed.
fn check_shards(
    markers: Vec<(PathBuf, ShardMarker)>,
) -> Result<Vec<(PathBuf, ShardMarker)>, InputError> {
    const LISTED_MISSING: usize = 10;
    let Some((first_path, first)) = markers.first().cloned() else {
        return Err(InputError(
            "error: no complete shard (`shard-K-of-N.done`) found in the given directories"
                .to_owned(),
        ));
    };
    let mut by_shard: BTreeMap<u64, (PathBuf, ShardMarker)> = BTreeMap::new();
    for (path, marker) in markers {
        if let Some((field, this, other)) = differing_field(&marker, &first) {
            return Err(InputError(format!(
                "error: shard {}/{} in `{}` belongs to another sweep than shard {}/{} in `{}` (`{field}` is {this} against {other})\n  = help: merge the shards of one sweep; rerun shards that were made with another scenario, grid or settings",
                marker.shard,
                marker.shards,
                path.display(),
                first.shard,
                first.shards,
                first_path.display(),
            )));
        }
        match by_shard.get(&marker.shard) {
            Some((other, m)) if m.csv_fnv1a != marker.csv_fnv1a => {
                return Err(InputError(format!(
                    "error: shard {}/{} is in both `{}` and `{}` with different contents",
                    marker.shard,
                    marker.shards,
                    other.display(),
                    path.display()
                )));
            }
            Some(_) => {}
            None => {
                by_shard.insert(marker.shard, (path, marker));
            }
        }
    }
    // `by_shard` holds fewer than `shards` entries when some are missing, so this stops after
    // at most `by_shard.len() + LISTED_MISSING` steps however large `shards` is.
    let n_missing = first.shards - by_shard.len() as u64;
    if n_missing > 0 {
        let listed: Vec<String> = (0..first.shards)
            .filter(|k| !by_shard.contains_key(k))
            .take(LISTED_MISSING)
            .map(|k| k.to_string())
            .collect();
        let more = if n_missing > listed.len() as u64 {
            ", …"
        } else {
            ""
        };
        return Err(InputError(format!(
            "error: {n_missing} of {} shards are missing or incomplete: {}{more}\n  = help: run them with `samkost sweep … --shard K/{}` (complete shards are skipped)",
            first.shards,
            listed.join(", "),
            first.shards
        )));
    }
    Ok(by_shard.into_values().collect())
}

/// The first field that shows two markers come from different sweeps: its name and its two
/// values (`marker`'s, then `first`'s), so the message shows what differs.
fn differing_field(
    marker: &ShardMarker,
    first: &ShardMarker,
) -> Option<(&'static str, String, String)> {
    if marker.sweep_hash != first.sweep_hash {
        Some((
            "sweep_hash",
            marker.sweep_hash.clone(),
            first.sweep_hash.clone(),
        ))
    } else if marker.shards != first.shards {
        Some((
            "shards",
            marker.shards.to_string(),
            first.shards.to_string(),
        ))
    } else if marker.grid_points != first.grid_points {
        Some((
            "grid_points",
            marker.grid_points.to_string(),
            first.grid_points.to_string(),
        ))
    } else {
        None
    }
}
