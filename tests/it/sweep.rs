//! `samkost sweep` and `samkost merge`: grid files, point order, shards run as separate
//! processes, merging, reruns.

use std::path::Path;
use std::process::{Command, Output};

use samkost::report::sweep::point_checkpoint;
use samkost::scenario::grid::{self, AxisValue, GridMode};

use crate::{BASE, parse};

fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

fn run(args: &[&str]) -> Output {
    samkost().args(args).output().unwrap()
}

fn run_ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "samkost {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The test scenario without its agreed-percentages key (which only fits its own members).
fn scenario_text() -> String {
    let cut = BASE.find("[[keys]]\nname = \"agreed\"").unwrap();
    BASE[..cut].to_owned()
}

const GRID: &str = r#"# 2 × 3 = 6 points
draws = 300
seed = 11

[[axes]]
parameter = "cost_per_user"
values = [8000, 11000]

[[axes]]
key = "30/70"
fixed_part = [0.1, 0.3, 0.5]
"#;

/// Writes the scenario and a grid into a fresh directory.
fn setup(grid: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, scenario_text()).unwrap();
    let grid_path = dir.path().join("grid.toml");
    std::fs::write(&grid_path, grid).unwrap();
    let s = scenario.display().to_string();
    let g = grid_path.display().to_string();
    (dir, s, g)
}

/// The header and rows of `out/sweep.csv`.
fn sweep_table(out: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let text = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows = reader.records().map(Result::unwrap).collect();
    (headers, rows)
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

#[test]
fn grid_points_are_numbered_with_the_last_axis_fastest() {
    let base = parse(&scenario_text()).unwrap();
    let grid = grid::parse("grid.toml", GRID, &base).unwrap();
    assert_eq!(grid.mode, GridMode::Grid);
    assert_eq!(grid.n_points(), 6);
    let order: Vec<Vec<usize>> = (0..6).map(|p| grid.indices(p)).collect();
    assert_eq!(
        order,
        [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(Vec::from)
    );
    assert_eq!(
        grid.values(4),
        [AxisValue::Number(11000.0), AxisValue::Number(0.3)]
    );
    assert_eq!(grid.axes[1].column, "key:30/70:fixed_part");
    let list = GRID
        .replace("draws = 300", "mode = \"list\"\ndraws = 300")
        .replace("values = [8000, 11000]", "values = [8000, 9000, 11000]");
    let list = grid::parse("grid.toml", &list, &base).unwrap();
    assert_eq!(list.n_points(), 3);
    assert_eq!(list.indices(2), [2, 2]);
}

#[test]
fn invalid_grids_report_every_problem_with_its_place() {
    let base = parse(&scenario_text()).unwrap();
    let text = r#"mode = "lst"
draws = 0
seeds = 4

[[axes]]
parameter = "cost_per_usr"
values = [1, 2]

[[axes]]
key = "equal"
fixed_part = [0.3]

[[axes]]
key = "30/70"
fixed_part = [0.3, 1.5]

[[axes]]
members = [["1517", "9999"], { county = "Møre og Romdal" }, ["1517"]]

[[axes]]
parameter = "saving"
key = "30/70"
"#;
    let err = grid::parse("grid.toml", text, &base).unwrap_err();
    insta::assert_snapshot!("sweep_invalid_grid", err.to_string());
    let syntax = grid::parse("grid.toml", "[[axes]\nparameter = 1", &base).unwrap_err();
    insta::assert_snapshot!("sweep_grid_syntax", syntax.to_string());
    let list = "mode = \"list\"\n[[axes]]\nparameter = \"saving\"\nvalues = [0.1, 0.2]\n[[axes]]\nkey = \"30/70\"\nfixed_part = [0.3]\n";
    let err = grid::parse("grid.toml", list, &base).unwrap_err();
    insta::assert_snapshot!("sweep_list_lengths", err.to_string());
}

#[test]
fn shards_merged_equal_the_unsharded_sweep_byte_for_byte() {
    let (dir, scenario, grid) = setup(GRID);
    let whole = dir.path().join("whole");
    run_ok(&[
        "sweep",
        &scenario,
        "--grid",
        &grid,
        "--out",
        &whole.display().to_string(),
    ]);
    let expected = std::fs::read(whole.join("sweep.csv")).unwrap();
    // 6 points × 2 keys × 3 members, plus the header.
    let text = String::from_utf8(expected.clone()).unwrap();
    assert_eq!(text.lines().count(), 1 + 6 * 2 * 3);
    assert!(text.starts_with("point,parameter:cost_per_user,key:30/70:fixed_part,key,member_id,"));
    // Shards as separate processes with different thread counts, in two directories.
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (k, out, threads) in [(0, &a, "1"), (2, &a, "2"), (1, &b, "1"), (3, &b, "2")] {
        run_ok(&[
            "sweep",
            &scenario,
            "--grid",
            &grid,
            "--out",
            &out.display().to_string(),
            "--shard",
            &format!("{k}/4"),
            "--threads",
            threads,
        ]);
    }
    assert!(a.join("shard-0-of-4.csv").exists() && a.join("shard-0-of-4.done").exists());
    let merged = path(dir.path(), "merged.csv");
    run_ok(&[
        "merge",
        &a.display().to_string(),
        &b.display().to_string(),
        "--out",
        &merged,
    ]);
    assert_eq!(std::fs::read(&merged).unwrap(), expected);
    // Nothing but results and markers is left behind.
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".parquet")) // present in builds with the feature
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "shard-0-of-4.csv",
            "shard-0-of-4.done",
            "shard-2-of-4.csv",
            "shard-2-of-4.done"
        ]
    );
}

#[test]
fn points_share_their_draws_so_the_region_does_not_depend_on_the_key() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    run_ok(&[
        "sweep",
        &scenario,
        "--grid",
        &grid,
        "--out",
        &out.display().to_string(),
    ]);
    let (headers, rows) = sweep_table(&out);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    // Points 0–2 differ only in the key's fixed part: common random numbers give the very same
    // region NPV, so differences between keys are not noise.
    let region: Vec<&str> = rows[..18]
        .iter()
        .map(|r| &r[col("region_npv_mean")])
        .collect();
    assert!(region.iter().all(|r| *r == region[0]), "{region:?}");
    let shares: Vec<f64> = rows
        .iter()
        .filter(|r| &r[col("key")] == "30/70" && &r[col("member_id")] == "1514")
        .map(|r| r[col("share")].parse().unwrap())
        .collect();
    // Sande is the smallest member: a larger equal part raises its share.
    assert!(shares[0] < shares[1] && shares[1] < shares[2], "{shares:?}");
}

#[test]
fn a_rerun_skips_a_complete_shard_and_redoes_a_damaged_one() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let args = [
        "sweep", &scenario, "--grid", &grid, "--out", &out_s, "--shard", "1/2",
    ];
    run_ok(&args);
    let csv = out.join("shard-1-of-2.csv");
    let before = std::fs::metadata(&csv).unwrap().modified().unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    let again = run_ok(&args);
    assert!(
        stderr(&again).contains("already complete"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::metadata(&csv).unwrap().modified().unwrap(), before);
    // A truncated CSV no longer matches its marker: the shard is computed again.
    std::fs::write(&csv, &bytes[..bytes.len() / 2]).unwrap();
    let redo = run_ok(&args);
    assert!(!stderr(&redo).contains("already complete"));
    assert_eq!(std::fs::read(&csv).unwrap(), bytes);
    // A shard of another sweep (another seed) is not taken for complete.
    let other = run_ok(&[&args[..], &["--seed", "99"]].concat());
    assert!(!stderr(&other).contains("already complete"));
    assert_ne!(std::fs::read(&csv).unwrap(), bytes);
}

#[test]
fn merge_refuses_shards_of_different_sweeps_and_missing_shards() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let base = ["sweep", scenario.as_str(), "--grid", &grid, "--out", &out_s];
    run_ok(&[&base[..], &["--shard", "0/2"]].concat());
    let merged = path(dir.path(), "merged.csv");
    let missing = run(&["merge", &out_s, "--out", &merged]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("1 of 2 shards are missing or incomplete: 1"),
        "{}",
        stderr(&missing)
    );
    run_ok(&[&base[..], &["--shard", "1/2", "--draws", "301"]].concat());
    let mixed = run(&["merge", &out_s, "--out", &merged]);
    assert_eq!(mixed.status.code(), Some(1));
    assert!(
        stderr(&mixed).contains("belongs to another sweep"),
        "{}",
        stderr(&mixed)
    );
    assert!(!Path::new(&merged).exists());
    let bad_shard = run(&[&base[..], &["--shard", "2/2"]].concat());
    assert_eq!(bad_shard.status.code(), Some(1));
    assert!(stderr(&bad_shard).contains("shards are numbered 0 to N−1"));
}

#[test]
fn a_county_member_set_runs_and_skips_keys_that_need_every_coalition() {
    let scenario_with_games = format!(
        "{}\n[[keys]]\nname = \"prenucleolus\"\nrule = \"prenucleolus\"\n",
        scenario_text()
    );
    let grid = r#"draws = 64
[[axes]]
members = [["1517", "1514"], { county = "15" }]
"#;
    let (dir, scenario, grid) = setup(grid);
    std::fs::write(&scenario, scenario_with_games).unwrap();
    let out = dir.path().join("out");
    let done = run_ok(&[
        "sweep",
        &scenario,
        "--grid",
        &grid,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(
        stderr(&done).contains("key `prenucleolus` skipped"),
        "{}",
        stderr(&done)
    );
    let (headers, rows) = sweep_table(&out);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let county: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "1").collect();
    // Møre og Romsdal has 27 municipalities; three keys each.
    assert_eq!(county.len(), 27 * 3);
    assert!(
        county
            .iter()
            .all(|r| &r[col("members")] == "Møre og Romsdal")
    );
    assert_eq!(&rows[0][col("members")], "Hareid+Sande");
    for r in &county {
        let skipped = &r[col("key")] == "prenucleolus";
        assert_eq!(r[col("share")].is_empty(), skipped);
        assert_eq!(r[col("note")].starts_with("skipped: "), skipped);
    }
}

/// A key that cannot be formed at a point is skipped there, not the sweep failed: Volda and
/// Ørsta on their own are expected to cost more together than alone (the README's county
/// grid), so the planning game has no imputation and its nucleolus does not exist; the other
/// keys of that point, and the nucleolus at the point where it exists, have their results.
#[test]
fn a_key_that_does_not_exist_at_a_point_is_skipped_there() {
    let grid = r#"draws = 64
[[axes]]
members = [["1517", "1515", "1514", "1516", "1511", "1577", "1520"], ["1577", "1520"]]
labels = ["SSIKT", "Volda+Ørsta"]
"#;
    let (dir, _, grid) = setup(grid);
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ssikt.toml");
    let out = dir.path().join("out");
    let done = run_ok(&[
        "sweep",
        scenario,
        "--grid",
        &grid,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(
        stderr(&done).contains("grid point 1: key `nucleolus` skipped")
            && stderr(&done).contains("the nucleolus does not exist"),
        "{}",
        stderr(&done)
    );
    let (headers, rows) = sweep_table(&out);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let nucleolus = |point: &str| {
        rows.iter()
            .filter(|r| &r[0] == point && &r[col("key")] == "nucleolus")
            .collect::<Vec<_>>()
    };
    assert_eq!(nucleolus("0").len(), 7);
    assert!(nucleolus("0").iter().all(|r| !r[col("share")].is_empty()));
    assert_eq!(nucleolus("1").len(), 2);
    for r in nucleolus("1") {
        assert!(r[col("share")].is_empty());
        assert!(
            r[col("note")].starts_with("skipped: "),
            "{}",
            &r[col("note")]
        );
    }
    let others: Vec<_> = rows
        .iter()
        .filter(|r| &r[0] == "1" && &r[col("key")] != "nucleolus")
        .collect();
    assert!(!others.is_empty());
    assert!(
        others
            .iter()
            .all(|r| !r[col("share")].is_empty() && r[col("note")].is_empty())
    );
}

#[test]
fn the_example_grids_fit_the_default_scenario() {
    let base = samkost::scenario::parse(
        samkost::scenario::DEFAULT_SCENARIO_NAME,
        samkost::scenario::DEFAULT_SCENARIO,
        &samkost::scenario::NoFiles,
    )
    .unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/grids");
    let mut n_files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let grid = grid::parse(&path.display().to_string(), &text, &base)
            .unwrap_or_else(|d| panic!("{}:\n{d}", path.display()));
        let points = grid::PointScenarios::new(
            &grid,
            base.clone(),
            samkost::scenario::DEFAULT_SCENARIO_NAME,
            samkost::scenario::DEFAULT_SCENARIO,
            &samkost::scenario::NoFiles,
        )
        .unwrap();
        for point in 0..grid.n_points() {
            points.scenario(&grid, point).unwrap();
        }
        n_files += 1;
    }
    assert_eq!(n_files, 2, "scenarios/grids/ holds two examples");
}

#[test]
fn an_interrupted_shard_reuses_its_finished_points() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let args = ["sweep", &scenario, "--grid", &grid, "--out", &out_s];
    run_ok(&args);
    let complete = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.done")).unwrap()).unwrap();
    // As if the run had been killed after point 0: its point file is there, the table and the
    // marker are not. The point file is marked (with a checksum that matches the mark) so that
    // reuse is visible.
    let hash = marker["sweep_hash"].as_str().unwrap();
    let points = out.join(format!(".sweep-{hash}.points"));
    std::fs::create_dir_all(&points).unwrap();
    let mut lines = complete.lines();
    let header = lines.next().unwrap();
    let point0: Vec<String> = lines
        .filter(|l| l.starts_with("0,"))
        .map(|l| l.replacen("Hareid", "Hareid (reused)", 1))
        .collect();
    let csv = format!("{header}\n{}\n", point0.join("\n"));
    std::fs::write(
        points.join("point-0.csv"),
        point_checkpoint(hash, 0, csv.as_bytes()),
    )
    .unwrap();
    std::fs::remove_file(out.join("sweep.done")).unwrap();
    std::fs::remove_file(out.join("sweep.csv")).unwrap();
    let resumed = run_ok(&args);
    assert!(
        stderr(&resumed).contains("1 point(s) reused"),
        "{}",
        stderr(&resumed)
    );
    let text = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(text.matches("Hareid (reused)").count(), 2);
    assert_eq!(text.replace("Hareid (reused)", "Hareid"), complete);
    assert!(!points.exists());
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_files_hold_the_csv_table_and_merge_like_it() {
    use polars::prelude::*;
    let read = |path: &Path| {
        ParquetReader::new(std::fs::File::open(path).unwrap())
            .finish()
            .unwrap()
    };
    let (dir, scenario, grid) = setup(GRID);
    let whole = dir.path().join("whole");
    run_ok(&[
        "sweep",
        &scenario,
        "--grid",
        &grid,
        "--out",
        &whole.display().to_string(),
    ]);
    let shards = dir.path().join("shards");
    for k in 0..2 {
        run_ok(&[
            "sweep",
            &scenario,
            "--grid",
            &grid,
            "--out",
            &shards.display().to_string(),
            "--shard",
            &format!("{k}/2"),
        ]);
    }
    let merged = path(dir.path(), "merged.csv");
    run_ok(&["merge", &shards.display().to_string(), "--out", &merged]);
    let expected = read(&whole.join("sweep.parquet"));
    assert!(read(&dir.path().join("merged.parquet")).equals_missing(&expected));
    // The same numbers as the CSV, typed.
    assert_eq!(expected.height(), 6 * 2 * 3);
    let csv = std::fs::read_to_string(whole.join("sweep.csv")).unwrap();
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let npv_mean = expected
        .column("npv_mean")
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
        .unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "npv_mean").unwrap();
    assert_eq!(npv_mean, first[col].parse::<f64>().unwrap());
    assert_eq!(expected.column("point").unwrap().dtype(), &DataType::UInt64);
    assert!(expected.column("p_core_stable").unwrap().is_null().all());
}

#[test]
fn the_slurm_scripts_run_their_array_tasks_as_separate_processes() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("slurm");
    let root = env!("CARGO_MANIFEST_DIR");
    let script = |name: &str, task: Option<usize>| {
        let mut cmd = Command::new("bash");
        cmd.arg(format!("{root}/deploy/slurm/{name}"))
            .env("SAMKOST", env!("CARGO_BIN_EXE_samkost"))
            .env("SCENARIO", &scenario)
            .env("GRID", &grid)
            .env("OUT", &out)
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_CPUS_PER_TASK", "1");
        if let Some(k) = task {
            cmd.env("SLURM_ARRAY_TASK_ID", k.to_string());
        }
        cmd.spawn().unwrap()
    };
    let tasks: Vec<_> = (0..3).map(|k| script("sweep.sbatch", Some(k))).collect();
    for mut task in tasks {
        assert!(task.wait().unwrap().success());
    }
    assert!(script("merge.sbatch", None).wait().unwrap().success());
    let whole = dir.path().join("whole");
    run_ok(&[
        "sweep",
        &scenario,
        "--grid",
        &grid,
        "--out",
        &whole.display().to_string(),
    ]);
    assert_eq!(
        std::fs::read(out.join("sweep.csv")).unwrap(),
        std::fs::read(whole.join("sweep.csv")).unwrap()
    );
}

/// `--shard 0/18446744073709551615` used to be accepted by `sweep` and make `merge` panic with
/// a capacity overflow; N is now at most the number of grid points.
#[test]
fn sweep_refuses_more_shards_than_grid_points() {
    let (dir, scenario, grid) = setup(GRID);
    let out_s = path(dir.path(), "out");
    for spec in ["0/18446744073709551615", "0/1000000000", "0/10001"] {
        let out = run(&[
            "sweep", &scenario, "--grid", &grid, "--out", &out_s, "--shard", spec,
        ]);
        assert_eq!(out.status.code(), Some(1), "{spec}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("more shards than a sweep of 6 points accepts (10000)"),
            "{spec}: {}",
            stderr(&out)
        );
    }
    assert!(
        !dir.path()
            .join("out")
            .join("shard-0-of-1000000000.done")
            .exists()
    );
    // Shards beyond the points are empty (a cluster job of 8 tasks on a 6-point grid).
    run_ok(&[
        "sweep", &scenario, "--grid", &grid, "--out", &out_s, "--shard", "7/8", "--draws", "20",
    ]);
}

/// Marker files edited by hand: `merge` checks every number before it indexes or allocates
/// with it (an out-of-range `shard` used to panic, a huge `shards` to allocate gigabytes), and
/// the error names the file and the field.
#[test]
fn merge_checks_every_marker_number_and_names_the_file_and_field() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let base = ["sweep", scenario.as_str(), "--grid", &grid, "--out", &out_s];
    run_ok(&[&base[..], &["--shard", "0/2", "--draws", "20"]].concat());
    run_ok(&[&base[..], &["--shard", "1/2", "--draws", "20"]].concat());
    let merged = path(dir.path(), "merged.csv");
    let marker = out.join("shard-1-of-2.done");
    let original = std::fs::read_to_string(&marker).unwrap();
    let edit = |from: &str, to: &str| {
        assert!(
            original.contains(from),
            "test setup: `{from}` not in the marker"
        );
        std::fs::write(&marker, original.replacen(from, to, 1)).unwrap();
        run(&["merge", &out_s, "--out", &merged])
    };
    let cases = [
        ("\"shard\": 1,", "\"shard\": 99,", "field `shard` is 99"),
        ("\"shards\": 2,", "\"shards\": 0,", "field `shards` is 0"),
        (
            "\"shards\": 2,",
            "\"shards\": 1000000000,",
            "field `shards` is 1000000000, more than a sweep of 6 points accepts (10000)",
        ),
        // The wrong N: the message shows the two values, not two equal sweep hashes.
        (
            "\"shards\": 2,",
            "\"shards\": 3,",
            "(`shards` is 3 against 2)",
        ),
    ];
    for (from, to, want) in cases {
        let failed = edit(from, to);
        assert_eq!(failed.status.code(), Some(1), "{to}: {}", stderr(&failed));
        assert!(stderr(&failed).contains(want), "{to}: {}", stderr(&failed));
        assert!(
            stderr(&failed).contains("shard-1-of-2.done"),
            "{to}: {}",
            stderr(&failed)
        );
        assert!(!Path::new(&merged).exists());
    }
    // Consistent but huge counts in every marker: the missing shards are counted, not
    // allocated, and only the first few are listed.
    let huge = |text: &str| {
        text.replacen("\"shards\": 2,", "\"shards\": 1000000000,", 1)
            .replacen("\"grid_points\": 6,", "\"grid_points\": 1000000000,", 1)
    };
    std::fs::write(&marker, huge(&original)).unwrap();
    let first = out.join("shard-0-of-2.done");
    let first_original = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, huge(&first_original)).unwrap();
    let failed = run(&["merge", &out_s, "--out", &merged]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains(
            "999999998 of 1000000000 shards are missing or incomplete: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …"
        ),
        "{}",
        stderr(&failed)
    );
    std::fs::write(&marker, &original).unwrap();
    std::fs::write(&first, &first_original).unwrap();
    run_ok(&["merge", &out_s, "--out", &merged]);
}

/// A point checkpoint edited after it was written (or from another sweep or point) no longer
/// matches its checksum: the point is computed again with a warning, and the table is the
/// unsharded sweep's. Before checkpoints had a checksum, the edited rows were merged with exit 0.
#[test]
fn an_edited_point_checkpoint_is_computed_again() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let args = ["sweep", &scenario, "--grid", &grid, "--out", &out_s];
    run_ok(&args);
    let complete = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.done")).unwrap()).unwrap();
    let hash = marker["sweep_hash"].as_str().unwrap();
    let points = out.join(format!(".sweep-{hash}.points"));
    std::fs::create_dir_all(&points).unwrap();
    let mut lines = complete.lines();
    let header = lines.next().unwrap();
    let rows = |point: &str| -> String {
        let rows: Vec<&str> = complete
            .lines()
            .skip(1)
            .filter(|l| l.starts_with(point))
            .collect();
        format!("{header}\n{}\n", rows.join("\n"))
    };
    // Point 0: written by the sweep, then edited. Point 1: an old checkpoint without checksum.
    // Point 2: point 3's rows under point 2's name.
    let written = point_checkpoint(hash, 0, rows("0,").as_bytes());
    let edited = String::from_utf8(written)
        .unwrap()
        .replacen("Hareid", "Hareid (edited)", 1);
    std::fs::write(points.join("point-0.csv"), edited).unwrap();
    std::fs::write(points.join("point-1.csv"), rows("1,")).unwrap();
    std::fs::write(
        points.join("point-2.csv"),
        point_checkpoint(hash, 3, rows("3,").as_bytes()),
    )
    .unwrap();
    let _ = lines.next();
    std::fs::remove_file(out.join("sweep.done")).unwrap();
    std::fs::remove_file(out.join("sweep.csv")).unwrap();
    let resumed = run_ok(&args);
    let err = stderr(&resumed);
    for point in 0..3 {
        assert!(
            err.contains(&format!("point-{point}.csv` is not used"))
                && err.contains(&format!("point {point} is computed again")),
            "{err}"
        );
    }
    assert!(!err.contains("reused"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("sweep.csv")).unwrap(),
        complete
    );
}

/// Two processes of the same shard do not both write: the second stops with exit code 1 and
/// names the lock; a lock left by a process that no longer runs is replaced.
#[test]
fn a_second_process_of_the_same_shard_is_refused() {
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let out_s = out.display().to_string();
    let args = [
        "sweep", &scenario, "--grid", &grid, "--out", &out_s, "--shard", "1/2",
    ];
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let lock = out.join(".shard-1-of-2.lock");
    // This test process is alive: its lock holds.
    std::fs::write(&lock, format!("{} {}\n", host.trim(), std::process::id())).unwrap();
    let refused = run(&args);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("is being written by another process")
            && stderr(&refused).contains(".shard-1-of-2.lock"),
        "{}",
        stderr(&refused)
    );
    assert!(!out.join("shard-1-of-2.csv").exists());
    // Another shard of the sweep is not held up.
    run_ok(&[
        "sweep", &scenario, "--grid", &grid, "--out", &out_s, "--shard", "0/2",
    ]);
    // A process that has ended (a child that was waited for) leaves a stale lock.
    let mut ended = Command::new("true").spawn().unwrap();
    let ended_pid = ended.id();
    ended.wait().unwrap();
    std::fs::write(&lock, format!("{} {ended_pid}\n", host.trim())).unwrap();
    let taken = run_ok(&args);
    assert!(
        stderr(&taken).contains("which no longer runs"),
        "{}",
        stderr(&taken)
    );
    assert!(out.join("shard-1-of-2.done").exists());
    assert!(!lock.exists(), "the lock is removed at the end");
}

/// Sweep files have the permissions of a run's files (0o666 less the umask), not 0o600.
#[test]
fn sweep_files_have_the_permissions_of_run_files() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, scenario, grid) = setup(GRID);
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    run_ok(&["sweep", &scenario, "--grid", &grid, "--out", &out_s]);
    run_ok(&[
        "sweep", &scenario, "--grid", &grid, "--out", &out_s, "--shard", "0/1",
    ]);
    let run_dir = dir.path().join("run");
    run_ok(&[
        "run",
        &scenario,
        "--draws",
        "100",
        "--out",
        &run_dir.display().to_string(),
    ]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let run_mode = mode(&run_dir.join("summary.json"));
    assert_eq!(mode(&out.join("sweep.csv")), run_mode);
    assert_eq!(mode(&out.join("sweep.done")), run_mode);
    assert_eq!(mode(&out.join("shard-0-of-1.csv")), run_mode);
    let merged = dir.path().join("merged.csv");
    run_ok(&["merge", &out_s, "--out", &merged.display().to_string()]);
    assert_eq!(mode(&merged), run_mode);
}

/// A grid value outside the range of the field its input feeds is refused before any point
/// runs, naming the point, the field and the fix, as the reader refuses a distribution that
/// reaches it (a share written as a whole-number percentage); values inside run.
#[test]
fn grid_values_outside_a_fields_range_are_refused_with_the_fix() {
    let share = scenario_text().replace(
        "saving = { dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30 }",
        "saving = { dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30, unit = \"share\" }",
    );
    assert!(share.contains("unit = \"share\""));
    let grid = |values: &str| {
        format!("draws = 50\nseed = 3\n\n[[axes]]\nparameter = \"saving\"\nvalues = {values}\n")
    };
    let (dir, _, g) = setup(&grid("[0.1, 15]"));
    let s = path(dir.path(), "share.toml");
    std::fs::write(&s, &share).unwrap();
    let out = path(dir.path(), "out");
    let refused = run(&["sweep", &s, "--grid", &g, "--out", &out]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("grid point 1 (saving = 15)"), "{message}");
    assert!(message.contains("15 % is 0.15"), "{message}");
    assert!(!Path::new(&out).join("sweep.csv").exists());
    std::fs::write(&g, grid("[0.1, 0.15]")).unwrap();
    run_ok(&["sweep", &s, "--grid", &g, "--out", &out]);
    assert!(Path::new(&out).join("sweep.csv").exists());
}
