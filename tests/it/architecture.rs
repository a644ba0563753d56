//! Invariants of ARCHITECTURE.md that a test can check.

use std::path::Path;

fn core_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/samkost-core/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    out
}

#[test]
fn the_core_does_no_io_and_knows_no_file_format() {
    // Invariant 1: the pure core does no I/O, never prints, and does not depend on clap,
    // anyhow, toml, serde or polars. Invariant 4: no global mutable state.
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/samkost-core/Cargo.toml"),
    )
    .unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    for banned in [
        "clap",
        "anyhow",
        "toml",
        "serde",
        "polars",
        "csv",
        "indicatif",
    ] {
        assert!(
            !deps.lines().any(|l| l.trim_start().starts_with(banned)),
            "samkost-core depends on {banned}"
        );
    }
    for (path, text) in core_sources() {
        for banned in [
            "println!",
            "eprintln!",
            "print!(",
            "std::fs",
            "std::io::stdout",
            "std::env",
            "static mut",
            "File::",
        ] {
            assert!(!text.contains(banned), "{path} uses `{banned}`");
        }
    }
}

/// Invariant 13: the core's top-level modules form layers, and each refers (through
/// `crate::…` paths, in `use` lines or inline) only to the layers below it, so there is no
/// import circle. The order is the one ARCHITECTURE.md gives.
#[test]
fn core_modules_depend_inward_only() {
    const LAYERS: [&str; 9] = [
        "stats",
        "sampling",
        "model",
        "draws",
        "games",
        "allocation",
        "simulation",
        "sensitivity",
        "design",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/samkost-core/src");
    let mut checked = 0;
    for (path, text) in core_sources() {
        let relative = Path::new(&path).strip_prefix(&root).unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        let Some(rank) = LAYERS.iter().position(|m| *m == module) else {
            continue;
        };
        checked += 1;
        for (line_no, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (at, _) in code.match_indices("crate::") {
                let target: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(target_rank) = LAYERS.iter().position(|m| *m == target) {
                    assert!(
                        target_rank <= rank,
                        "{}:{}: `{module}` uses `crate::{target}`, a layer above it",
                        path,
                        line_no + 1
                    );
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} core files found");
}

/// Invariant 17: every core source file but a test module is at most 650 lines, so that one
/// holding two jobs shows by its length.
#[test]
fn core_files_stay_short() {
    const MAX_LINES: usize = 650;
    let mut checked = 0;
    for (path, text) in core_sources() {
        if Path::new(&path)
            .file_name()
            .is_some_and(|f| f == "tests.rs")
        {
            continue;
        }
        checked += 1;
        let lines = text.lines().count();
        assert!(
            lines <= MAX_LINES,
            "{path} has {lines} lines (at most {MAX_LINES}): split it by job"
        );
    }
    assert!(checked > 30, "only {checked} core files found");
}
