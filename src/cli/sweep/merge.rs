//! `samkost merge`: the shards' tables combined into one, after checking that they belong to
//! one sweep and together cover its points once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::super::InputError;
use super::super::output::write_file_shared;
use super::{MergeArgs, write_parquet};
use crate::report::sweep::{ShardMarker, fnv1a_hex, merge_tables, read_sweep_csv, sweep_csv};

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
