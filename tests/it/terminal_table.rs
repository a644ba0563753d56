//! The terminal table: keys chosen with `--keys`, columns wrapped into blocks that fit the
//! width, sentences wrapped at ordinary spaces.

use std::process::Command;

fn table(extra: &[&str], columns: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_samkost"));
    cmd.args(["run", "--draws", "300", "--stability-draws", "50"])
        .args(extra)
        .env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    String::from_utf8(crate::succeed(&mut cmd).stdout).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn the_table_fits_100_columns_by_default_and_the_terminal_width_when_known() {
    let default = table(&[], None);
    assert!(widest(&default) <= 100, "{default}");
    // Every key of the default scenario is still there, in a block of its own columns.
    for key in [
        "equal",
        "population",
        "50/50",
        "30/70",
        "Shapley",
        "nucleolus",
        "SCRB",
    ] {
        assert!(default.contains(key), "{key}");
    }
    let narrow = table(&[], Some("72"));
    assert!(widest(&narrow) <= 72, "{narrow}");
    let wide = table(&["--width", "400"], Some("72"));
    // One block: the header row of the member table holds every key.
    let header = wide.lines().find(|l| l.starts_with("member")).unwrap();
    assert!(
        header.contains("equal") && header.contains("SCRB"),
        "{header}"
    );
}

#[test]
fn keys_selects_the_columns_and_verdicts_in_the_order_given() {
    let text = table(&["--keys", "Shapley,30/70"], None);
    let header = text.lines().find(|l| l.starts_with("member")).unwrap();
    let (s, t) = (
        header.find("Shapley").unwrap(),
        header.find("30/70").unwrap(),
    );
    assert!(s < t, "{header}");
    assert!(!header.contains("equal"));
    let verdicts: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": all members gain with"))
        .collect();
    assert_eq!(verdicts.len(), 2);
    assert!(verdicts[0].starts_with("Shapley:") && verdicts[1].starts_with("30/70:"));
}

#[test]
fn an_unknown_key_is_refused_with_the_keys_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    let out = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(["run", "--draws", "100", "--keys", "30/70,shapley", "--out"])
        .arg(&results)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no key named `shapley`"), "{err}");
    assert!(err.contains("`Shapley`"), "{err}");
    // Refused before anything runs: no output directory, no progress.
    assert!(!results.exists());
}
