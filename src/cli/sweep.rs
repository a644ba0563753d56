//! `samkost sweep` and `samkost merge`: a scenario over a grid of values, split into shards
//! that can run on different machines and be merged into exactly the unsharded result.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use samkost_core::allocation::KeyRule;
use samkost_core::sampling::{Distribution, SamplingMethod};
use samkost_core::simulation::{self, NoProgress, RunConfig};

use super::{InputError, RelativeFiles, emitln, output};
use crate::report::sweep::{SweepRow, csv_bytes, sweep_header, sweep_record};
use crate::scenario::grid::{Axis, Grid, parse_grid};
use crate::scenario::{self, Overrides, Scenario};

/// Arguments of `samkost sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Grid file (TOML): axes of parameter values, key fixed parts or member sets.
    #[arg(long)]
    grid: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Run only shard K of N (0-based, points with number mod N = K), e.g. `--shard 3/16`.
    #[arg(long)]
    shard: Option<String>,
    /// Draws per point on which core stability is checked (0: off).
    #[arg(long, default_value_t = 0)]
    stability_draws: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

/// Arguments of `samkost merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Directories holding the shard files of one sweep.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Directory to write the merged `sweep.csv` into.
    #[arg(long)]
    out: PathBuf,
}

/// The marker written after a shard's (or sweep's) data file: what it belongs to.
#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
struct Marker {
    sweep_hash: String,
    shard: usize,
    n_shards: usize,
    rows: usize,
}

fn fnv(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn parse_shard(spec: &str) -> Result<(usize, usize)> {
    let bad = || {
        InputError(format!(
            "error: --shard `{spec}` must be K/N with 0 ≤ K < N, e.g. 0/4"
        ))
    };
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k >= n {
        return Err(bad().into());
    }
    Ok((k, n))
}

fn read_text(path: &Path, what: &str) -> Result<String> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("failed to read {what} `{}`", path.display()))?;
    String::from_utf8(bytes).map_err(|_| {
        InputError(format!(
            "error: {what} `{}` is not valid UTF-8",
            path.display()
        ))
        .into()
    })
}

/// Runs `samkost sweep`.
pub fn sweep_command(args: &SweepArgs) -> Result<()> {
    let text = read_text(&args.scenario, "scenario")?;
    let grid_text = read_text(&args.grid, "grid")?;
    let grid = parse_grid(&args.grid.display().to_string(), &grid_text)
        .map_err(|d| InputError(d.to_string()))?;
    let files = RelativeFiles {
        base: args
            .scenario
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    let name = args.scenario.display().to_string();
    let base = scenario::parse(&name, &text, &files).map_err(|d| InputError(d.to_string()))?;
    let (shard, n_shards) = match &args.shard {
        Some(spec) => parse_shard(spec)?,
        None => (0, 1),
    };
    let draws = grid.draws.unwrap_or(base.n_draws);
    let seed = grid.seed.unwrap_or(base.seed);
    let sweep_hash = fnv(&format!(
        "{}|{}|{draws}|{seed}|{}",
        base.hash(),
        grid_text,
        args.stability_draws
    ));
    let stem = if args.shard.is_some() {
        format!("shard-{shard}-of-{n_shards}")
    } else {
        "sweep".to_owned()
    };
    let marker_path = args.out.join(format!("{stem}.json"));
    if let Ok(existing) = std::fs::read_to_string(&marker_path)
        && serde_json::from_str::<Marker>(&existing).is_ok_and(|m| m.sweep_hash == sweep_hash)
        && args.out.join(format!("{stem}.csv")).exists()
    {
        eprintln!(
            "{stem} is already complete in `{}`; nothing to do",
            args.out.display()
        );
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("failed to start worker threads")?;
    let mut records = Vec::new();
    for point in (0..grid.n_points()).filter(|p| p % n_shards == shard) {
        let rows = pool.install(|| {
            run_point(
                &name,
                &text,
                &files,
                &grid,
                point,
                draws,
                seed,
                args.stability_draws,
            )
        })?;
        records.extend(rows.iter().map(sweep_record));
    }
    let header = sweep_header(&grid.axes.iter().map(Axis::column).collect::<Vec<_>>());
    write_result(
        &args.out,
        &stem,
        &header,
        &records,
        &Marker {
            sweep_hash,
            shard,
            n_shards,
            rows: records.len(),
        },
    )?;
    emitln!(
        "{} rows of {} points written to `{}`",
        records.len(),
        grid.n_points(),
        args.out.join(format!("{stem}.csv")).display()
    );
    Ok(())
}

/// Writes the data file(s) first and the marker last, each atomically.
fn write_result(
    dir: &Path,
    stem: &str,
    header: &[String],
    records: &[Vec<String>],
    marker: &Marker,
) -> Result<()> {
    let csv = csv_bytes(header, records).context("failed to build the CSV")?;
    #[cfg_attr(
        not(feature = "parquet"),
        expect(unused_mut, reason = "Parquet is added only with the feature")
    )]
    let mut files: Vec<(String, Vec<u8>)> = vec![(format!("{stem}.csv"), csv)];
    #[cfg(feature = "parquet")]
    files.push((
        format!("{stem}.parquet"),
        crate::report::sweep::parquet_bytes(header, records)
            .context("failed to build the Parquet file")?,
    ));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    output::write_files(dir, &refs)?;
    let marker = serde_json::to_string_pretty(marker).context("failed to serialise the marker")?;
    output::write_files(
        dir,
        &[(&format!("{stem}.json"), format!("{marker}\n").as_bytes())],
    )
}

/// Runs one grid point and returns its rows.
#[expect(clippy::too_many_arguments, reason = "one point of a sweep")]
fn run_point(
    name: &str,
    text: &str,
    files: &RelativeFiles,
    grid: &Grid,
    point: usize,
    draws: u64,
    seed: u64,
    stability_draws: u64,
) -> Result<Vec<SweepRow>> {
    let idx = grid.point(point);
    let members = grid
        .axes
        .iter()
        .zip(&idx)
        .find_map(|(axis, &i)| match axis {
            Axis::Members { sets } => Some(sets[i].1.clone()),
            _ => None,
        });
    let context = |msg: String| InputError(format!("error: grid point {point}: {msg}"));
    let mut scenario = scenario::parse_with(name, text, files, &Overrides { members })
        .map_err(|d| context(format!("\n{d}")))?;
    for (axis, &i) in grid.axes.iter().zip(&idx) {
        apply(&mut scenario, axis, i).map_err(context)?;
    }
    let (keys, _) =
        simulation::resolve_keys(&scenario.model, &scenario.keys, seed, &scenario.planning)
            .map_err(|e| context(e.to_string()))?;
    let config = RunConfig {
        n_draws: draws,
        seed,
        stability_draws,
        sampling: SamplingMethod::MonteCarlo,
        max_stored_draws: simulation::DEFAULT_MAX_STORED_DRAWS,
    };
    let results = simulation::run(&scenario.model, &keys, &config, &NoProgress)
        .map_err(|e| context(e.to_string()))?;
    let labels: Vec<String> = grid
        .axes
        .iter()
        .zip(&idx)
        .map(|(a, &i)| a.label(i))
        .collect();
    let mut rows = Vec::new();
    for key in &results.keys {
        for (o, m) in key.members.iter().zip(&scenario.model.members) {
            let s = &o.npv_net_benefit;
            rows.push(SweepRow {
                point,
                axis_values: labels.clone(),
                key: key.name.clone(),
                member_id: m.id.clone(),
                member_name: m.name.clone(),
                population: m.population,
                share: o.share_first_operating_year,
                p_win: o.p_win.p,
                npv: [s.mean, s.p10, s.p50, s.p90],
                p_all_win: key.p_all_win.p,
                region_npv_mean: results.region_npv.mean,
                p_core_stable: key.p_core_stable.map(|p| p.p),
            });
        }
    }
    Ok(rows)
}

/// Applies value `i` of `axis` to the scenario.
fn apply(scenario: &mut Scenario, axis: &Axis, i: usize) -> Result<(), String> {
    match axis {
        Axis::Parameter { name, values } => {
            let p = scenario
                .model
                .parameters
                .iter_mut()
                .find(|p| &p.name == name)
                .ok_or_else(|| format!("the scenario has no parameter `{name}`"))?;
            p.distribution = Distribution::fixed(values[i]).map_err(|e| e.to_string())?;
            Ok(())
        }
        Axis::FixedPart { key, values } => {
            let k = scenario
                .keys
                .iter_mut()
                .find(|k| &k.name == key)
                .ok_or_else(|| format!("the scenario has no key `{key}`"))?;
            let mut changed = false;
            for rule in [&mut k.running, &mut k.startup] {
                if let KeyRule::Hybrid { fixed_part, .. } = rule {
                    *fixed_part = values[i];
                    changed = true;
                }
            }
            if changed {
                Ok(())
            } else {
                Err(format!(
                    "key `{key}` is not a hybrid key, so it has no fixed part"
                ))
            }
        }
        Axis::Members { .. } => Ok(()),
    }
}

/// Runs `samkost merge`.
pub fn merge_command(args: &MergeArgs) -> Result<()> {
    let mut shards: Vec<(Marker, PathBuf)> = Vec::new();
    for dir in &args.dirs {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("failed to read `{}`", dir.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("shard-") && name.ends_with(".json") {
                let text = std::fs::read_to_string(entry.path())
                    .with_context(|| format!("failed to read `{}`", entry.path().display()))?;
                let marker: Marker = serde_json::from_str(&text).map_err(|e| {
                    InputError(format!(
                        "error: `{}` is not a shard marker: {e}",
                        entry.path().display()
                    ))
                })?;
                shards.push((marker, entry.path().with_extension("csv")));
            }
        }
    }
    let Some((first, _)) = shards.first() else {
        return Err(
            InputError("error: no shard files (shard-K-of-N.json) found".to_owned()).into(),
        );
    };
    let (hash, n) = (first.sweep_hash.clone(), first.n_shards);
    if let Some((m, p)) = shards
        .iter()
        .find(|(m, _)| m.sweep_hash != hash || m.n_shards != n)
    {
        return Err(InputError(format!(
            "error: `{}` belongs to another sweep (hash {} of {} shards, expected {hash} of {n})",
            p.display(),
            m.sweep_hash,
            m.n_shards
        ))
        .into());
    }
    shards.sort_by_key(|(m, _)| m.shard);
    shards.dedup_by_key(|(m, _)| m.shard);
    let missing: Vec<String> = (0..n)
        .filter(|k| !shards.iter().any(|(m, _)| m.shard == *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(InputError(format!(
            "error: shards {} of {n} are missing",
            missing.join(", ")
        ))
        .into());
    }
    let mut header: Option<Vec<String>> = None;
    let mut records: Vec<Vec<String>> = Vec::new();
    for (marker, path) in &shards {
        let mut reader = csv::Reader::from_path(path)
            .with_context(|| format!("failed to read `{}`", path.display()))?;
        let h: Vec<String> = reader
            .headers()
            .context("failed to read a shard header")?
            .iter()
            .map(str::to_owned)
            .collect();
        if header.as_ref().is_some_and(|known| *known != h) {
            return Err(InputError(format!(
                "error: `{}` has other columns than the first shard",
                path.display()
            ))
            .into());
        }
        header = Some(h);
        let before = records.len();
        for r in reader.records() {
            records.push(
                r.with_context(|| format!("malformed row in `{}`", path.display()))?
                    .iter()
                    .map(str::to_owned)
                    .collect(),
            );
        }
        if records.len() - before != marker.rows {
            return Err(InputError(format!(
                "error: `{}` has {} rows, its marker says {}",
                path.display(),
                records.len() - before,
                marker.rows
            ))
            .into());
        }
    }
    // Rows of one point stay in their order; points in ascending order, as an unsharded sweep.
    records.sort_by_key(|r| r[0].parse::<usize>().unwrap_or(usize::MAX));
    let header = header.unwrap_or_default();
    let rows = records.len();
    write_result(
        &args.out,
        "sweep",
        &header,
        &records,
        &Marker {
            sweep_hash: hash,
            shard: 0,
            n_shards: 1,
            rows,
        },
    )?;
    emitln!(
        "{rows} rows from {n} shards merged into `{}`",
        args.out.join("sweep.csv").display()
    );
    Ok(())
}
