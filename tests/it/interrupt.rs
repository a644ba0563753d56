//! Interruptions lose nothing: a run interrupted at any moment leaves in its output directory
//! either the previous complete files or the new complete files, never a partial one.

use std::process::{Command, Stdio};
use std::time::Duration;

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_interrupted_run_leaves_complete_files_or_the_previous_ones() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("base.toml");
    std::fs::write(&scenario, crate::BASE).unwrap();
    let out = dir.path().join("out");
    let bin = env!("CARGO_BIN_EXE_samkost");
    // A complete previous run.
    let status = Command::new(bin)
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--draws",
            "500",
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let previous = std::fs::read_to_string(out.join("summary.json")).unwrap();
    // Interrupt longer runs at increasing delays, from during the simulation to around the
    // moment the files are written.
    for delay_ms in [5u64, 20, 50, 100, 200, 400, 700, 1000] {
        let mut child = Command::new(bin)
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--draws",
                "150000",
                "--seed",
                &delay_ms.to_string(),
                "--out",
                out.to_str().unwrap(),
                "--format",
                "json",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let _ = child.wait();
        let names = files(&out);
        assert!(
            names.iter().all(|n| !n.starts_with('.')),
            "leftover files after {delay_ms} ms: {names:?}"
        );
        assert_eq!(
            names,
            ["keys.csv", "members.csv", "summary.json", "yearly.csv"],
            "after {delay_ms} ms"
        );
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&summary)
            .unwrap_or_else(|e| panic!("partial summary.json after {delay_ms} ms: {e}"));
        let draws = json["scenario"]["draws"].as_u64().unwrap();
        assert!(
            draws == 500 && summary == previous || draws == 150_000,
            "after {delay_ms} ms: {draws} draws"
        );
        let csv = std::fs::read_to_string(out.join("members.csv")).unwrap();
        assert_eq!(csv.lines().count(), 1 + 3 * 3, "members.csv is complete");
    }
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join(".samkost-partial-abc123"), b"{\"half").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(["run", "--draws", "200", "--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        files(&out),
        ["keys.csv", "members.csv", "summary.json", "yearly.csv"]
    );
}
