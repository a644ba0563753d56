//! Every shipped scenario loads and runs.

use std::path::Path;

use crate::parse;

/// The scenario files shipped in `scenarios/` (at least the default and a second one).
fn shipped_scenarios() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("toml"))
        .collect();
    assert!(
        paths.len() >= 2,
        "expected the default and a second scenario, found {}",
        paths.len()
    );
    paths
}

#[test]
fn shipped_scenarios_are_valid() {
    for path in shipped_scenarios() {
        let text = std::fs::read_to_string(&path).unwrap();
        let scenario = parse(&text).unwrap_or_else(|d| panic!("{}:\n{d}", path.display()));
        assert!(
            scenario.keys.len() >= 4,
            "{}: compare at least four keys",
            path.display()
        );
    }
}

/// Every shipped scenario runs from the command line as a user first runs it: the terminal
/// table only, which keeps no fan bands and books no accounts (the flows then record no
/// capital parts, so any per-draw code that reads them must ask for them).
#[test]
fn shipped_scenarios_run_in_the_terminal() {
    for path in shipped_scenarios() {
        let out = crate::succeed(
            std::process::Command::new(env!("CARGO_BIN_EXE_samkost")).args([
                "run",
                path.to_str().unwrap(),
                "--draws",
                "200",
                "--stability-draws",
                "20",
            ]),
        );
        let table = String::from_utf8(out.stdout).unwrap();
        assert!(
            table.contains("200 draws") && table.contains("all members gain"),
            "{}:\n{table}",
            path.display()
        );
    }
}

#[test]
fn embedded_default_is_the_shipped_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(samkost::scenario::DEFAULT_SCENARIO_NAME);
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        samkost::scenario::DEFAULT_SCENARIO
    );
}

#[test]
fn default_scenario_has_the_seven_ssikt_members_with_2024_populations() {
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let ids: Vec<&str> = scenario
        .model
        .members
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["1517", "1515", "1514", "1516", "1511", "1577", "1520"]
    );
    // SSB 1.1.2024 (data/kommuner_2024.csv): Sande 2,438, Volda 11,093.
    assert_eq!(scenario.model.members[2].population, 2438.0);
    assert_eq!(scenario.model.members[5].population, 11093.0);
    let names: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
    for expected in ["equal", "population", "50/50", "30/70"] {
        assert!(names.contains(&expected), "missing key {expected}");
    }
}
