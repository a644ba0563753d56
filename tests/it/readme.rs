//! The README's sample output is what the binary prints for the default scenario.

use std::path::Path;
use std::process::Command;

/// The first fenced block after the heading `## Sample output`.
fn sample_block(readme: &str) -> &str {
    let section = &readme[readme
        .find("## Sample output")
        .expect("the README has a sample output")..];
    let open = section.find("\n```\n").expect("a fenced block") + 5;
    let close = open + section[open..].find("```\n").expect("a closed block");
    &section[open..close]
}

#[test]
fn readme_sample_output_is_what_the_default_run_prints() {
    // The README shows `cargo run --release` at the default width (no $COLUMNS: 100
    // characters). Results depend only on the seed and the inputs, so the debug binary prints
    // the same numbers.
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let expected = sample_block(&readme);
    let output = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .expect("samkost runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).expect("UTF-8 output");
    if printed != expected {
        let first = printed
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(printed.lines().count().min(expected.lines().count()));
        panic!(
            "README sample differs from the run at line {}:\nprinted:  {:?}\nREADME:   {:?}\n\nwhole output:\n{printed}",
            first + 1,
            printed.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}
