//! Bad sweep files never panic (issue 17): shard markers and point checkpoints, edited or
//! damaged by the generated mutations of `fuzz.rs`, end in a clear error (exit code 1 or 2
//! from `merge`, an `Err` from the readers) or are read as valid, never in a panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use samkost::report::sweep::{
    ShardMarker, point_checkpoint, read_point_checkpoint, read_sweep_csv,
};

use crate::fuzz::{apply, mutation, runner};

const GRID: &str = r#"draws = 20
seed = 5

[[axes]]
key = "30/70"
fixed_part = [0.2, 0.4]
"#;

/// A two-shard sweep of the base scenario, written by the binary: its directory and the paths
/// of the scenario and grid.
fn two_shards(dir: &Path) -> std::path::PathBuf {
    let scenario = dir.join("scenario.toml");
    std::fs::write(&scenario, crate::BASE).unwrap();
    let grid = dir.join("grid.toml");
    std::fs::write(&grid, GRID).unwrap();
    let out = dir.join("out");
    for shard in ["0/2", "1/2"] {
        crate::succeed(Command::new(env!("CARGO_BIN_EXE_samkost")).args([
            "sweep",
            scenario.to_str().unwrap(),
            "--grid",
            grid.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--shard",
            shard,
        ]));
    }
    out
}

#[test]
fn mutated_shard_markers_are_a_clear_error_in_merge() {
    let dir = tempfile::tempdir().unwrap();
    let out = two_shards(dir.path());
    let marker = out.join("shard-1-of-2.done");
    let original = std::fs::read_to_string(&marker).unwrap();
    let merged = dir.path().join("merged.csv");
    runner(40)
        .run(&prop::collection::vec(mutation(), 1..3), |mutations| {
            let text = mutations
                .iter()
                .fold(original.clone(), |text, m| apply(&text, m));
            std::fs::write(&marker, &text).unwrap();
            let result = Command::new(env!("CARGO_BIN_EXE_samkost"))
                .args(["merge", out.to_str().unwrap(), "--out"])
                .arg(&merged)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&result.stderr);
            prop_assert!(
                matches!(result.status.code(), Some(0..=2)) && !stderr.contains("panicked"),
                "merge ended with {:?} on the marker\n{text}\n{stderr}",
                result.status
            );
            // The library reader agrees: a marker it reads has its numbers checked.
            if let Some(m) = ShardMarker::from_json(text.as_bytes()) {
                let _ = m.check_numbers();
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_point_checkpoints_are_refused_or_read_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = two_shards(dir.path());
    let marker =
        ShardMarker::from_json(&std::fs::read(out.join("shard-0-of-2.done")).unwrap()).unwrap();
    let csv = std::fs::read(out.join("shard-0-of-2.csv")).unwrap();
    let checkpoint = String::from_utf8(point_checkpoint(&marker.sweep_hash, 0, &csv)).unwrap();
    // The unmutated checkpoint is read back to the same rows.
    let rows = read_point_checkpoint(checkpoint.as_bytes(), &marker.sweep_hash, 0).unwrap();
    assert_eq!(rows, csv.as_slice());
    runner(300)
        .run(&prop::collection::vec(mutation(), 1..3), |mutations| {
            let text = mutations
                .iter()
                .fold(checkpoint.clone(), |text, m| apply(&text, m));
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                for point in [0, 1, u64::MAX] {
                    if let Ok(rows) =
                        read_point_checkpoint(text.as_bytes(), &marker.sweep_hash, point)
                    {
                        let _ = read_sweep_csv(rows, &marker.axes);
                    }
                }
                // The CSV reader on its own, as `merge` uses it on shard files.
                let _ = read_sweep_csv(text.as_bytes(), &marker.axes);
            }));
            prop_assert!(outcome.is_ok(), "panic on the checkpoint\n{text}");
            Ok(())
        })
        .unwrap();
}
