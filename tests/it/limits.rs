//! Resource limits: each is refused just above the limit with exit code 1 and a message that
//! names the limit, before any work or memory is spent on it.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use samkost::cli;

/// Runs samkost in `dir` (stdout is dropped, so that a full pipe cannot stall it); panics if it takes longer than a minute (a limit that is not
/// checked before the work starts shows up here as a run that does not end).
fn samkost_within_a_minute(args: &[&str], dir: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("samkost {args:?} ran for more than a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn refused(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stderr
}

#[test]
fn stored_draws_beyond_the_memory_budget_are_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = samkost_within_a_minute(
        &[
            "run",
            "--draws",
            "100000000",
            "--max-stored-draws",
            "100000000",
        ],
        dir.path(),
    );
    let stderr = refused(&out);
    assert!(stderr.contains("8.0 GB budget"), "{stderr}");
    assert!(stderr.contains("keeping 100000000 draws needs"), "{stderr}");
    let fit: u64 = stderr
        .split("at most ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no draw count in: {stderr}"));
    assert!(fit > 1_000_000 && fit < 100_000_000, "{stderr}");
    assert!(
        stderr.contains(&format!("lower --max-stored-draws to {fit}")),
        "{stderr}"
    );
}

#[test]
fn stored_draws_of_a_precision_run_are_checked_at_max_draws() {
    let dir = tempfile::tempdir().unwrap();
    let out = samkost_within_a_minute(
        &[
            "run",
            "--draws",
            "1000",
            "--precision",
            "npv_mean=0.000001",
            "--max-draws",
            "100000000",
            "--max-stored-draws",
            "100000000",
        ],
        dir.path(),
    );
    let stderr = refused(&out);
    assert!(stderr.contains("8.0 GB budget"), "{stderr}");
}

#[test]
fn the_largest_max_stored_draws_runs_when_the_draws_fit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), crate::BASE).unwrap();
    let out = samkost_within_a_minute(
        &[
            "run",
            "s.toml",
            "--draws",
            "200",
            "--max-stored-draws",
            "100000000",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn threads_beyond_the_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for threads in ["100000000", "1025"] {
        let out = samkost_within_a_minute(&["run", "--threads", threads], dir.path());
        let stderr = refused(&out);
        assert!(stderr.contains("at most 1024 worker threads"), "{stderr}");
    }
}

#[test]
fn permutations_beyond_the_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/games/textbook-3.toml"
        ),
        dir.path().join("g.toml"),
    )
    .unwrap();
    for permutations in ["18446744073709551615", "10000001", "3"] {
        let out = samkost_within_a_minute(
            &["allocate", "g.toml", "--permutations", permutations],
            dir.path(),
        );
        let stderr = refused(&out);
        assert!(
            stderr.contains("expected 4 to 10000000 join orders"),
            "{stderr}"
        );
    }
    let out = samkost_within_a_minute(
        &["allocate", "g.toml", "--permutations", "10000000"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn games_beyond_the_player_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let players: Vec<String> = (1..=26).map(|i| format!("\"P{i}\"")).collect();
    let costs: Vec<String> = (1..=26).map(|i| format!("P{i} = 1")).collect();
    let game = format!(
        "players = [{}]\n[costs]\n{}\n",
        players.join(", "),
        costs.join("\n")
    );
    std::fs::write(dir.path().join("g.toml"), game).unwrap();
    let out = samkost_within_a_minute(&["allocate", "g.toml"], dir.path());
    let stderr = refused(&out);
    assert!(
        stderr.contains("26 players is more than the 25 `samkost allocate` supports"),
        "{stderr}"
    );
}

#[test]
fn endless_input_files_are_refused_at_the_size_limit() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = samkost_within_a_minute(&["validate", "/dev/zero"], dir.path());
    let stderr = refused(&out);
    assert!(
        stderr.contains("scenario `/dev/zero` is larger than the 64 MiB limit"),
        "{stderr}"
    );
    let scenario = crate::BASE.replace(
        r#"members = ["1517", "1514", "1515"]"#,
        r#"members_csv = "/dev/zero""#,
    );
    std::fs::write(dir.path().join("s.toml"), scenario).unwrap();
    let out = samkost_within_a_minute(&["validate", "s.toml"], dir.path());
    let stderr = refused(&out);
    assert!(
        stderr.contains("/dev/zero is larger than the 64 MiB limit for input files"),
        "{stderr}"
    );
}

#[test]
fn input_files_are_read_up_to_the_cap_and_refused_one_byte_beyond() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, "0123456789").unwrap();
    assert_eq!(
        cli::read_input(&path, "scenario", 10).unwrap(),
        "0123456789"
    );
    let err = cli::read_input(&path, "scenario", 9)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is larger than the 9 bytes limit for a scenario"),
        "{err}"
    );
    let err = cli::read_input(Path::new("/dev/zero"), "game file", 4096);
    if Path::new("/dev/zero").exists() {
        let err = err.unwrap_err().to_string();
        assert!(
            err.contains("larger than the 4 KiB limit for a game file"),
            "{err}"
        );
    }
    assert_eq!(cli::format_bytes(64 << 20), "64 MiB");
    assert_eq!(cli::format_bytes(1 << 30), "1 GiB");
    assert_eq!(cli::format_bytes(45_600_000_000), "45.6 GB");
}

#[test]
fn the_output_directory_is_checked_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "").unwrap();
    // A billion draws would run for many minutes: the failure must come first.
    let out = samkost_within_a_minute(
        &["run", "--draws", "1000000000", "--out", "file/results"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("output directory `file/results`"),
        "{stderr}"
    );
    let out = samkost_within_a_minute(
        &[
            "run",
            "--draws",
            "200",
            "--out",
            "new/results",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("new/results/summary.json").is_file());
}

#[test]
fn sensitivity_samples_beyond_the_memory_budget_are_refused_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    for method in ["correlation", "sobol"] {
        let out = samkost_within_a_minute(
            &["sensitivity", "--method", method, "--n", "16777216"],
            dir.path(),
        );
        let stderr = refused(&out);
        assert!(stderr.contains("more than the 8.0 GB budget"), "{stderr}");
        assert!(stderr.contains("= help: lower --n to "), "{stderr}");
    }
}

/// `n` extra `[[lines]]`, each a fixed amount every member pays alone.
fn with_extra_lines(n: usize) -> String {
    let mut text = crate::BASE.to_owned();
    for k in 0..n {
        text.push_str(&format!(
            "\n[[lines]]\nname = \"extra {k}\"\noccurs = \"alone\"\nbasis = \"per_member\"\nfixed = 1\n"
        ));
    }
    text
}

#[test]
fn lines_are_read_up_to_the_cap_and_refused_one_beyond() {
    use samkost::scenario::MAX_LINES;
    // The base scenario has 3 lines.
    let at_cap = crate::parse(&with_extra_lines(MAX_LINES - 3)).expect("at the cap");
    assert_eq!(at_cap.model.lines.len(), MAX_LINES);
    let err = crate::parse(&with_extra_lines(MAX_LINES - 2)).expect_err("one beyond");
    let d = &err.0[0];
    assert_eq!(
        d.message,
        format!(
            "the scenario has {} [[lines]]; at most {MAX_LINES} are read",
            MAX_LINES + 1
        )
    );
    assert!(d.line >= 1 && d.column >= 1);
}

#[test]
fn parameters_are_read_up_to_the_cap_and_refused_one_beyond() {
    use samkost::scenario::MAX_PARAMETERS;
    let with_params = |n: usize| {
        let extra: String = (0..n).map(|k| format!("p{k} = {k}\n")).collect();
        crate::BASE.replacen("[parameters]\n", &format!("[parameters]\n{extra}"), 1)
    };
    // The base scenario has 2 parameters.
    let at_cap = crate::parse(&with_params(MAX_PARAMETERS - 2)).expect("at the cap");
    assert_eq!(at_cap.model.parameters.len(), MAX_PARAMETERS);
    let err = crate::parse(&with_params(MAX_PARAMETERS - 1)).expect_err("one beyond");
    assert!(
        err.0[0].message.starts_with(&format!(
            "[parameters] has {} entries; a scenario has at most {MAX_PARAMETERS} uncertain inputs",
            MAX_PARAMETERS + 1
        )),
        "{err}"
    );
    assert_eq!(err.0[0].line, 13, "{err}");
}

/// 1,000 unknown keys: the first `MAX_LISTED_PROBLEMS` are located and listed, the rest are
/// counted in one closing message (locating each used to scan the file from its start).
#[test]
fn problems_beyond_the_listed_cap_are_counted_not_located() {
    use samkost::scenario::MAX_LISTED_PROBLEMS;
    let unknown: String = (0..1_000).map(|k| format!("unknown_{k} = 1\n")).collect();
    let err = crate::parse(&format!("{unknown}{}", crate::BASE)).expect_err("refused");
    assert_eq!(err.0.len(), MAX_LISTED_PROBLEMS + 1);
    let mut previous_line = 0;
    for d in &err.0[..MAX_LISTED_PROBLEMS] {
        // Listed in the order of the file, each at its own key.
        assert!(
            d.line > previous_line && d.line <= 1_000 && d.column == 1,
            "{d}"
        );
        assert_eq!(
            d.message,
            format!("unknown key `unknown_{}` in the scenario", d.line - 1)
        );
        previous_line = d.line;
    }
    assert_eq!(
        err.0[MAX_LISTED_PROBLEMS].message,
        format!(
            "{} more problems are not listed (at most {MAX_LISTED_PROBLEMS} are)",
            1_000 - MAX_LISTED_PROBLEMS
        )
    );
}

/// A problem at the end of a 1 MB line keeps a window of the line, not the whole line, and
/// still gives the true column.
#[test]
fn a_problem_on_a_long_line_keeps_a_window_of_it() {
    let filler = "x".repeat(1_000_000);
    let text = crate::BASE.replacen(
        "name = \"Test\"",
        &format!("name = \"Test\"\ndescription = \"{filler}\"; bad = 1"),
        1,
    );
    let err = crate::parse(&text).expect_err("refused");
    let d = &err.0[0];
    assert_eq!(d.line, 2, "{d}");
    // `description = "` is 15 characters, then the filler, the closing quote and `; `.
    assert_eq!(d.column, 15 + 1_000_000 + 1 + 1, "{d}");
    assert!(d.source_line.len() < 10_000, "{}", d.source_line.len());
    assert!(d.line_skip > 990_000);
    assert!(d.to_string().len() < 2_000);
}
