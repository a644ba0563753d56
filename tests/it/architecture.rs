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
