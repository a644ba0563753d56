//! Interruptions and failures lose nothing: a run interrupted at any moment, or failing at any
//! output file, leaves in its output directory either the previous complete set of files or
//! the new complete set, never a partial file or a mix of the two, and no temporary file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Draws of the interrupted runs: long enough to be interrupted mid-simulation.
const DRAWS: &str = "100000";

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file of a directory with its contents.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|name| {
            // Bytes, not text: the workbook is a zip archive.
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

fn run_to(scenario: &Path, out: &Path, draws: &str) -> Command {
    run_seeded(scenario, out, draws, "11")
}

fn run_seeded(scenario: &Path, out: &Path, draws: &str, seed: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samkost"));
    command
        .args(["run", scenario.to_str().unwrap(), "--draws", draws])
        .args([
            "--seed",
            seed,
            "--out",
            out.to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Starts a run into `out`, sends `signal` after `delay`, and returns how the process ended.
fn interrupt(scenario: &Path, out: &Path, delay: Duration, signal: &str) -> ExitStatus {
    let mut child = run_to(scenario, out, DRAWS).spawn().unwrap();
    std::thread::sleep(delay);
    let _ = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status();
    child.wait().unwrap()
}

struct Setup {
    _dir: tempfile::TempDir,
    scenario: PathBuf,
    out: PathBuf,
    previous: BTreeMap<String, Vec<u8>>,
    complete: BTreeMap<String, Vec<u8>>,
    run_time: Duration,
}

/// A previous short run in `out`, and a complete long run elsewhere as the reference.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("base.toml");
    std::fs::write(&scenario, crate::BASE).unwrap();
    let out = dir.path().join("out");
    assert!(run_to(&scenario, &out, "500").status().unwrap().success());
    let reference = dir.path().join("reference");
    let started = Instant::now();
    assert!(
        run_to(&scenario, &reference, DRAWS)
            .status()
            .unwrap()
            .success()
    );
    Setup {
        previous: outputs(&out),
        complete: outputs(&reference),
        run_time: started.elapsed(),
        _dir: dir,
        scenario,
        out,
    }
}

/// The directory holds every file of one complete run (the previous or the new one), and
/// nothing else.
fn check_outputs(s: &Setup, status: ExitStatus, when: &str) {
    use std::os::unix::process::ExitStatusExt;
    // A signal that arrives before the handler is installed (the first milliseconds of the
    // process) ends it by the default action; no file has been opened by then.
    assert!(
        status.success()
            || status.code() == Some(130)
            || status.code() == Some(143)
            || matches!(status.signal(), Some(2 | 15)),
        "{when}: ended with {status:?} (signal {:?})",
        status.signal()
    );
    let found = outputs(&s.out);
    assert!(
        found.keys().eq(s.complete.keys()),
        "{when}: leftover or missing files: {:?}",
        found.keys()
    );
    serde_json::from_slice::<serde_json::Value>(&found["summary.json"])
        .unwrap_or_else(|e| panic!("{when}: partial summary.json: {e}"));
    assert!(
        found == s.previous || found == s.complete,
        "{when}: the files are neither the previous run's nor a complete run's"
    );
}

#[test]
fn an_interrupted_run_leaves_complete_files_or_the_previous_ones() {
    let s = setup();
    let total = s.run_time.as_millis() as u64;
    // From early in the simulation to around the moment the files are written and after.
    let mut delays = vec![5, 30, total / 2];
    delays.extend(
        [60, 30, 15, 8, 4, 2, 0]
            .iter()
            .map(|before| total.saturating_sub(*before)),
    );
    delays.push(total + 20);
    for delay_ms in delays {
        let status = interrupt(&s.scenario, &s.out, Duration::from_millis(delay_ms), "-INT");
        check_outputs(&s, status, &format!("SIGINT after {delay_ms} ms"));
    }
    let status = interrupt(
        &s.scenario,
        &s.out,
        Duration::from_millis(total / 3),
        "-TERM",
    );
    check_outputs(&s, status, "SIGTERM");
}

#[test]
fn ctrl_c_during_the_simulation_exits_130_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("base.toml");
    std::fs::write(&scenario, crate::BASE).unwrap();
    let out = dir.path().join("out");
    let mut child = run_to(&scenario, &out, "1000000000")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    // Never hang the test suite: a run that ignores the signal is killed and fails the test.
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "samkost: interrupted"
    );
    assert!(!out.exists() || files(&out).is_empty());
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // What SIGKILL between writing and renaming would leave.
    std::fs::write(out.join(".samkost-partial-abc123"), b"{\"half").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(["run", "--draws", "200", "--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let names = files(&out);
    assert!(
        names.contains(&"summary.json".to_owned()) && names.iter().all(|n| !n.starts_with('.')),
        "{names:?}"
    );
}

/// The files a run of `BASE` writes, in the order it writes them (a case summary page per
/// member, in the scenario's order, then each of those pages as a Word document).
const RUN_FILES: [&str; 15] = [
    "members.csv",
    "keys.csv",
    "yearly.csv",
    "samkost.xlsx",
    "report.html",
    "explorer.html",
    "summary.json",
    "saksframlegg.html",
    "saksframlegg-1517.html",
    "saksframlegg-1514.html",
    "saksframlegg-1515.html",
    "saksframlegg.docx",
    "saksframlegg-1517.docx",
    "saksframlegg-1514.docx",
    "saksframlegg-1515.docx",
];

/// The regular files of a directory with their contents, and whether anything of a write's
/// staging is left.
fn regular_files(dir: &Path) -> (BTreeMap<String, Vec<u8>>, bool) {
    let mut found = BTreeMap::new();
    let mut leftovers = false;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        leftovers |= name.starts_with(".samkost-partial-");
        if entry.file_type().unwrap().is_file() {
            found.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    (found, leftovers)
}

/// A previous run's complete set in `out` and the scenario; the new runs use another seed, so
/// each of their files differs from the previous one.
fn previous_set(dir: &Path) -> (PathBuf, PathBuf, BTreeMap<String, Vec<u8>>) {
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, crate::BASE).unwrap();
    let out = dir.join("out");
    assert!(run_to(&scenario, &out, "300").status().unwrap().success());
    let (previous, _) = regular_files(&out);
    assert_eq!(previous.keys().map(String::as_str).collect::<Vec<_>>(), {
        let mut names = RUN_FILES.to_vec();
        names.sort_unstable();
        names
    });
    (scenario, out, previous)
}

fn copy_set(set: &BTreeMap<String, Vec<u8>>, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for (name, bytes) in set {
        std::fs::write(to.join(name), bytes).unwrap();
    }
}

/// Whole output sets: a run whose output file cannot be put in place (a directory of that
/// name) fails, and the other files are the previous run's, whichever file fails. Renaming
/// the files one by one left the new files written before the failure beside the previous
/// ones.
#[test]
fn a_failure_at_any_output_file_leaves_the_previous_set_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, _, previous) = previous_set(dir.path());
    for failing in RUN_FILES {
        let out = dir.path().join(format!("fail-{failing}"));
        let mut expected = previous.clone();
        expected.remove(failing);
        copy_set(&expected, &out);
        std::fs::create_dir_all(out.join(failing).join("occupied")).unwrap();
        let status = run_seeded(&scenario, &out, "300", "12").status().unwrap();
        assert_eq!(status.code(), Some(2), "{failing}: {status:?}");
        let (found, leftovers) = regular_files(&out);
        assert!(
            found == expected,
            "{failing}: the previous set was changed: {:?}",
            found
                .iter()
                .filter(|(name, bytes)| expected.get(*name) != Some(bytes))
                .map(|(name, _)| name)
                .collect::<Vec<_>>()
        );
        assert!(!leftovers, "{failing}: staging left behind");
        assert!(out.join(failing).join("occupied").is_dir());
    }
}

/// Whole output sets under a real write error: with a file size limit (`prlimit --fsize`,
/// SIGXFSZ ignored so that the write fails with EFBIG), each file that is larger than every
/// file written before it fails in turn, and the directory keeps the previous set.
#[test]
fn a_write_error_at_any_output_file_leaves_the_previous_set_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, out, previous) = previous_set(dir.path());
    let new_dir = dir.path().join("new");
    assert!(
        run_seeded(&scenario, &new_dir, "300", "12")
            .status()
            .unwrap()
            .success()
    );
    let (new, _) = regular_files(&new_dir);
    let mut largest_before = 0;
    let mut failed = Vec::new();
    for name in RUN_FILES {
        let size = new[name].len();
        if size > largest_before {
            let limit = largest_before.to_string();
            let run = run_seeded(&scenario, &out, "300", "12");
            let args: Vec<_> = run.get_args().collect();
            let status = Command::new("sh")
                .arg("-c")
                .arg("trap '' XFSZ; exec prlimit --fsize=\"$0\" -- \"$@\"")
                .arg(&limit)
                .arg(run.get_program())
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert_eq!(status.code(), Some(2), "limit below `{name}`: {status:?}");
            let (found, leftovers) = regular_files(&out);
            assert!(found == previous, "limit below `{name}`: set changed");
            assert!(!leftovers, "limit below `{name}`: staging left behind");
            failed.push(name);
        }
        largest_before = largest_before.max(size);
    }
    assert!(failed.len() >= 2, "{failed:?}");
}

/// A `draws.parquet` of an earlier run (made with `--save-draws`) leaves the directory with the
/// switch to a new set that has none, and stays when the new set fails: the directory never
/// holds new results beside per-draw results of another run.
#[test]
fn an_earlier_draws_file_leaves_with_the_switch_and_stays_on_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, out, previous) = previous_set(dir.path());
    let old_draws = b"PAR1 draws of an earlier run".to_vec();
    std::fs::write(out.join("draws.parquet"), &old_draws).unwrap();
    let mut expected = previous.clone();
    expected.insert("draws.parquet".to_owned(), old_draws);
    // A failing switch (a directory where the report goes) keeps the old set and its draws.
    std::fs::remove_file(out.join("report.html")).unwrap();
    expected.remove("report.html");
    std::fs::create_dir_all(out.join("report.html").join("occupied")).unwrap();
    let status = run_seeded(&scenario, &out, "300", "12").status().unwrap();
    assert_eq!(status.code(), Some(2), "{status:?}");
    let (found, leftovers) = regular_files(&out);
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert!(found == expected && !leftovers);
    // A successful switch removes it.
    std::fs::remove_dir_all(out.join("report.html")).unwrap();
    let status = run_seeded(&scenario, &out, "300", "12").status().unwrap();
    assert!(status.success(), "{status:?}");
    let (found, leftovers) = regular_files(&out);
    assert!(!found.contains_key("draws.parquet") && !leftovers);
    let mut names = RUN_FILES.to_vec();
    names.sort_unstable();
    assert_eq!(found.keys().map(String::as_str).collect::<Vec<_>>(), names);
}
