//! `samkost sweep` and `samkost merge`.

use std::path::Path;
use std::process::Command;

fn samkost(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(args)
        .output()
        .unwrap()
}

fn root(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .display()
        .to_string()
}

const GRID: &str = r#"
mode = "grid"
draws = 200
seed = 3

[[axes]]
key = "30/70"
fixed_part = [0.1, 0.3]

[[axes]]
parameter = "scope_growth"
values = [0.0, 0.2, 0.3]
"#;

#[test]
fn sharded_sweep_merges_to_the_unsharded_result_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(&grid, GRID).unwrap();
    let (grid, scenario) = (grid.to_str().unwrap(), root("scenarios/ssikt.toml"));
    let whole = dir.path().join("whole");
    let out = samkost(&[
        "sweep",
        &scenario,
        "--grid",
        grid,
        "--out",
        whole.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut shard_dirs = Vec::new();
    for k in 0..4 {
        let d = dir.path().join(format!("s{k}"));
        let out = samkost(&[
            "sweep",
            &scenario,
            "--grid",
            grid,
            "--out",
            d.to_str().unwrap(),
            "--shard",
            &format!("{k}/4"),
            "--threads",
            "1",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        shard_dirs.push(d.to_str().unwrap().to_owned());
    }
    // A rerun of a complete shard does nothing.
    let modified = std::fs::metadata(dir.path().join("s2/shard-2-of-4.csv"))
        .unwrap()
        .modified()
        .unwrap();
    let out = samkost(&[
        "sweep",
        &scenario,
        "--grid",
        grid,
        "--out",
        &shard_dirs[2],
        "--shard",
        "2/4",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already complete"));
    assert_eq!(
        std::fs::metadata(dir.path().join("s2/shard-2-of-4.csv"))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shard_dirs.iter().map(String::as_str));
    args.extend(["--out", merged.to_str().unwrap()]);
    let out = samkost(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = std::fs::read(whole.join("sweep.csv")).unwrap();
    let b = std::fs::read(merged.join("sweep.csv")).unwrap();
    assert_eq!(a, b);
    // 6 points × 5 practical + 3 game keys × 7 members.
    let text = String::from_utf8(a).unwrap();
    assert_eq!(text.lines().count(), 1 + 6 * 8 * 7);
    assert!(text.starts_with("point,key:30/70:fixed_part,parameter:scope_growth,key,member_id"));
    // Missing shards are refused.
    let out = samkost(&[
        "merge",
        &shard_dirs[0],
        &shard_dirs[1],
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
}

#[test]
fn the_key_fixed_part_moves_the_small_members_result_the_right_way() {
    // More of the pooled cost split equally (a larger fixed part) costs Sande, the smallest
    // member, more: its NPV under 30/70 falls as the fixed part rises.
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(
        &grid,
        "draws = 100\n[[axes]]\nkey = \"30/70\"\nfixed_part = [0.0, 0.5, 1.0]\n",
    )
    .unwrap();
    let out = samkost(&[
        "sweep",
        &root("scenarios/ssikt.toml"),
        "--grid",
        grid.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_path(dir.path().join("sweep.csv")).unwrap();
    let sande: Vec<f64> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[2] == "30/70" && &r[3] == "1514")
        .map(|r| r[8].parse().unwrap())
        .collect();
    assert_eq!(sande.len(), 3);
    assert!(sande[0] > sande[1] && sande[1] > sande[2], "{sande:?}");
}

#[test]
fn member_set_axes_and_grid_errors() {
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(&grid, "draws = 50\n[[axes]]\nmembers = [[\"1517\", \"1515\"], [\"1517\", \"1515\", \"1514\"], { county = \"15\" }]\n").unwrap();
    let base = root("scenarios/hamar-region.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    // Drop the fixed-share and game keys (they name the original members or need all coalitions).
    let cut = text.find("[[keys]]\nname = \"agreed shares\"").unwrap();
    let scenario = dir.path().join("s.toml");
    std::fs::write(&scenario, &text[..cut]).unwrap();
    let out = samkost(&[
        "sweep",
        scenario.to_str().unwrap(),
        "--grid",
        grid.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("o/sweep.csv")).unwrap();
    let county_rows = csv.lines().filter(|l| l.contains(",county 15,")).count();
    let n_county = samkost::scenario::kommuner::all()
        .iter()
        .filter(|k| k.county_id == "15")
        .count();
    assert_eq!(county_rows, 4 * n_county);

    std::fs::write(
        &grid,
        "[[axes]]\nparamter = \"x\"\nvalues = [1]\n[[axes]]\nkey = \"30/70\"\nfixed_part = [1.5]\n",
    )
    .unwrap();
    let out = samkost(&[
        "sweep",
        scenario.to_str().unwrap(),
        "--grid",
        grid.to_str().unwrap(),
        "--out",
        dir.path().join("p").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean `parameter`") && stderr.contains("between 0 and 1"),
        "{stderr}"
    );
}

#[test]
fn the_slurm_example_runs_its_shards_as_separate_processes() {
    // The array job script, run here once per task index as Slurm would.
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(
        &grid,
        "draws = 100\n[[axes]]\nparameter = \"scope_growth\"\nvalues = [0.0, 0.1, 0.2]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    for k in 0..2 {
        let status = Command::new("bash")
            .arg(root("deploy/slurm/sweep.sbatch"))
            .args([
                root("scenarios/ssikt.toml").as_str(),
                grid.to_str().unwrap(),
                out.to_str().unwrap(),
            ])
            .env("N", "2")
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env("SAMKOST", env!("CARGO_BIN_EXE_samkost"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let merged = dir.path().join("merged");
    assert!(
        samkost(&[
            "merge",
            out.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap()
        ])
        .status
        .success()
    );
    let whole = dir.path().join("whole");
    assert!(
        samkost(&[
            "sweep",
            &root("scenarios/ssikt.toml"),
            "--grid",
            grid.to_str().unwrap(),
            "--out",
            whole.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert_eq!(
        std::fs::read(merged.join("sweep.csv")).unwrap(),
        std::fs::read(whole.join("sweep.csv")).unwrap()
    );
}
