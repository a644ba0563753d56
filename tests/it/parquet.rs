//! `--save-draws`: per-draw results as Parquet (only in builds with the `parquet` feature).

use std::process::Command;

#[cfg(feature = "parquet")]
#[test]
fn save_draws_writes_a_tidy_parquet_file_that_matches_the_summary() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args([
            "run",
            "--draws",
            "300",
            "--format",
            "json",
            "--out",
            dir.path().to_str().unwrap(),
            "--save-draws",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = std::fs::File::open(dir.path().join("draws.parquet")).unwrap();
    let frame = ParquetReader::new(file).finish().unwrap();
    let keys = summary["keys"].as_array().unwrap().len();
    assert_eq!(frame.height(), 300 * (keys * 7 + 1));
    // The region's mean NPV over the file equals the summary's.
    let region = frame
        .column("member_id")
        .unwrap()
        .str()
        .unwrap()
        .equal("region");
    let npv = frame
        .column("npv_net_benefit")
        .unwrap()
        .f64()
        .unwrap()
        .filter(&region)
        .unwrap();
    let mean = npv.mean().unwrap();
    let expected = summary["region"]["npv_net_benefit"]["mean"]
        .as_f64()
        .unwrap();
    assert!(
        (mean - expected).abs() <= 1e-9 * expected.abs(),
        "{mean} vs {expected}"
    );
}

#[cfg(not(feature = "parquet"))]
#[test]
fn save_draws_without_the_feature_is_a_clear_error_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args([
            "run",
            "--draws",
            "100000000",
            "--out",
            dir.path().to_str().unwrap(),
            "--save-draws",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--features parquet"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
