//! The calibration factors `k = actual / modelled` shown where a finance officer reads them: one
//! line in the terminal table and a table in the HTML report's assumptions, a factor outside
//! 0.5–2 flagged (docs/MODEL.md §4a, "Baselines from the accounts").

use std::process::Command;

use crate::parse;

const BOTTOM_UP: &str = include_str!("../../scenarios/ssikt-bottom-up.toml");
const MEMBERS: &str = r#"members = ["1517", "1515", "1514", "1516", "1511", "1577", "1520"]"#;
const SERVERS: &str = "Servers, storage and network";
const LICENCES: &str = "Licences";

/// Member 1515's (index 1) modelled cost alone of `component` at the inputs' medians, the
/// figure `k` divides by.
fn modelled_1515(component: &str) -> f64 {
    let model = parse(BOTTOM_UP).unwrap().model;
    let v = crate::at_medians(&model);
    let c = model
        .components
        .iter()
        .position(|c| c.name == component)
        .unwrap();
    v.components[c].alone[1].nok
}

/// The bottom-up scenario with member 1515 given its servers at twice the modelled cost (the
/// band's edge, plausible) and its licences at three times (outside the band).
fn calibrated() -> String {
    let members = format!(
        r#"members = ["1517", {{ id = "1515", actual_cost = {{ "{SERVERS}" = {}, "{LICENCES}" = {} }} }}, "1514", "1516", "1511", "1577", "1520"]"#,
        2.0 * modelled_1515(SERVERS),
        3.0 * modelled_1515(LICENCES)
    );
    assert!(BOTTOM_UP.contains(MEMBERS));
    BOTTOM_UP.replace(MEMBERS, &members)
}

fn run(text: &str, dir: &std::path::Path, lang: &str) -> String {
    let path = dir.join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    let out = crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .arg("run")
            .arg(&path)
            .args(["--draws", "200", "--stability-draws", "0", "--sobol", "0"])
            .args(["--lang", lang, "--out"])
            .arg(dir.join("out"))
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS"),
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn calibration_factors_are_shown_in_the_terminal_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = run(&calibrated(), dir.path(), "en");
    // One line (wrapped to the width), after the region's result.
    let start = stdout
        .find("Calibrated to the accounts (k = actual / modelled cost alone): ")
        .unwrap_or_else(|| panic!("no calibration line in:\n{stdout}"));
    let line: String = stdout[start..]
        .split("\n\n")
        .next()
        .unwrap()
        .replace("\n  ", " ");
    assert!(
        line.contains(&format!("Herøy (1515) {SERVERS} 2.00;")),
        "{line}"
    );
    assert!(
        line.contains(&format!(
            "Herøy (1515) {LICENCES} 3.00 [outside 0.5–2: check the unit"
        )),
        "{line}"
    );
    assert!(
        !line.contains(&format!("{SERVERS} 2.00 [outside")),
        "2 is inside the band"
    );

    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    let rows = summary["calibration"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    for row in rows {
        let component = row["component"].as_str().unwrap();
        let k = row["cost_factor"].as_f64().unwrap();
        let expected = if component == SERVERS { 2.0 } else { 3.0 };
        assert!((k - expected).abs() < 1e-9, "{component}: {k}");
        assert_eq!(row["plausible"], component == SERVERS, "{component}");
        // The report's row carries the factor of summary.json bit for bit.
        let attrs = format!(
            "data-member=\"1515\" data-component=\"{component}\" data-k=\"{k}\" data-plausible=\"{}\"",
            component == SERVERS
        );
        assert!(html.contains(&attrs), "no row {attrs}");
    }
    assert_eq!(html.matches("class=\"outside\"").count(), 1);
    assert!(html.contains("<h3 id=\"calibration\">Calibration to the members"));
}

#[test]
fn norwegian_output_and_no_calibration_without_actual_figures() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = run(&calibrated(), dir.path(), "nb");
    assert!(stdout.contains("Kalibrert mot regnskapet"), "{stdout}");
    assert!(stdout.contains("3,00 [utenfor 0,5–2"), "{stdout}");
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("Kalibrering mot kommunenes regnskap"));

    let plain = tempfile::tempdir().unwrap();
    let stdout = run(BOTTOM_UP, plain.path(), "en");
    assert!(!stdout.contains("Calibrated to the accounts"), "{stdout}");
    let html = std::fs::read_to_string(plain.path().join("out/report.html")).unwrap();
    assert!(!html.contains("id=\"calibration\""));
}
