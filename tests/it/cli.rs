//! The command line, run as a user would.

use std::process::Command;

fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

fn run_json(args: &[&str]) -> (serde_json::Value, String) {
    let out = samkost().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    (serde_json::from_str(&text).unwrap(), text)
}

#[test]
fn json_output_has_the_documented_schema() {
    let (json, _) = run_json(&["run", "--format", "json", "--draws", "400"]);
    let scenario = &json["scenario"];
    assert_eq!(scenario["draws"], 400);
    assert_eq!(scenario["seed"], 20240101);
    assert_eq!(scenario["horizon_years"], 10);
    assert_eq!(scenario["discount_rate"], 0.04);
    assert_eq!(scenario["stability_draws"], 400);
    assert!(scenario["name"].as_str().unwrap().contains("SSIKT"));
    let members = json["members"].as_array().unwrap();
    assert_eq!(members.len(), 7);
    assert_eq!(members[0]["id"], "1517");
    assert_eq!(members[0]["name"], "Hareid");
    assert_eq!(members[0]["population"], 5322.0);
    for field in ["mean", "p10", "p50", "p90"] {
        assert!(
            json["region"]["npv_net_benefit"][field].is_f64(),
            "region {field}"
        );
    }
    let keys = json["keys"].as_array().unwrap();
    assert!(keys.len() >= 4);
    for key in keys {
        assert!(key["name"].is_string());
        let stable = key["p_core_stable"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&stable));
        assert!(key["top_breakaway"].is_null() || key["top_breakaway"]["members"].is_array());
        let p_all = key["p_all_win"].as_f64().unwrap();
        let km = key["members"].as_array().unwrap();
        assert_eq!(km.len(), 7);
        let share_sum: f64 = km.iter().map(|m| m["share"].as_f64().unwrap()).sum();
        assert!(
            (share_sum - 1.0).abs() < 1e-9,
            "shares of {} sum to {share_sum}",
            key["name"]
        );
        for m in km {
            let p_win = m["p_win"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p_win) && p_all <= p_win + 1e-12);
            let npv = &m["npv_net_benefit"];
            let (p10, p50, p90) = (
                npv["p10"].as_f64().unwrap(),
                npv["p50"].as_f64().unwrap(),
                npv["p90"].as_f64().unwrap(),
            );
            assert!(p10 <= p50 && p50 <= p90);
            assert!(npv["mean"].is_f64());
            assert_eq!(m["p_ahead_by_year"].as_array().unwrap().len(), 10);
        }
    }
}

#[test]
fn same_seed_gives_identical_json_for_any_thread_count() {
    let (_, one) = run_json(&[
        "run",
        "--format",
        "json",
        "--draws",
        "1500",
        "--threads",
        "1",
    ]);
    let (_, two) = run_json(&[
        "run",
        "--format",
        "json",
        "--draws",
        "1500",
        "--threads",
        "2",
    ]);
    let (_, again) = run_json(&[
        "run",
        "--format",
        "json",
        "--draws",
        "1500",
        "--threads",
        "2",
    ]);
    assert_eq!(one, two);
    assert_eq!(two, again);
    let (_, other_seed) = run_json(&["run", "--format", "json", "--draws", "1500", "--seed", "3"]);
    assert_ne!(one, other_seed);
}

#[test]
fn table_output_compares_keys_side_by_side() {
    let out = samkost().args(["run", "--draws", "300"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Sande (1514)"), "{text}");
    assert!(text.contains("50/50") && text.contains("30/70"));
    assert!(text.contains("all members gain"));
}

#[test]
fn out_dir_receives_summary_and_members_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (json, text) = run_json(&[
        "run",
        "--format",
        "json",
        "--draws",
        "300",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let written = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    assert_eq!(written.trim_end(), text.trim_end());
    let csv = std::fs::read_to_string(dir.path().join("members.csv")).unwrap();
    let keys = json["keys"].as_array().unwrap().len();
    assert_eq!(csv.lines().count(), 1 + keys * 7);
    let keys_csv = std::fs::read_to_string(dir.path().join("keys.csv")).unwrap();
    assert_eq!(keys_csv.lines().count(), 1 + keys);
    // yearly.csv: 10 region rows, then 10 rows per key and member.
    let yearly = std::fs::read_to_string(dir.path().join("yearly.csv")).unwrap();
    assert_eq!(yearly.lines().count(), 1 + 10 + keys * 7 * 10);
    let region_2030: Vec<&str> = yearly.lines().nth(5).unwrap().split(',').collect();
    assert_eq!((region_2030[0], region_2030[2]), ("2030", "region"));
    let band: Vec<f64> = region_2030[8..11]
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(band[0] <= band[1] && band[1] <= band[2], "{band:?}");
    // Member rows carry the member's fan band, the same numbers as summary.json.
    let first_member_2030: Vec<&str> = yearly.lines().nth(11 + 4).unwrap().split(',').collect();
    assert_eq!(first_member_2030[2], "1517");
    let fan = &json["keys"][0]["members"][0]["cumulative_npv"];
    for (col, q) in [(8, "p10"), (9, "p50"), (10, "p90")] {
        let v: f64 = first_member_2030[col].parse().unwrap();
        assert_eq!(v, fan[q][4].as_f64().unwrap(), "{q}");
    }
    // No temporary files are left behind.
    assert!(dir.path().join("samkost.xlsx").is_file());
    assert!(dir.path().join("report.html").is_file());
    // Six data and report files, the key explorer, the case summary and a page for each of
    // the 7 members, the last two also as Word documents.
    assert!(dir.path().join("explorer.html").is_file());
    assert!(dir.path().join("saksframlegg.html").is_file());
    assert!(dir.path().join("saksframlegg.docx").is_file());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        6 + 1 + 2 * (1 + 7)
    );
}

#[test]
fn validate_reports_problems_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, crate::BASE.replacen("horizon_years", "horizon", 1)).unwrap();
    let out = samkost()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.toml:3:1"), "{stderr}");
    assert!(stderr.contains("did you mean `horizon_years`"), "{stderr}");

    std::fs::write(&path, crate::BASE).unwrap();
    let out = samkost()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(&path, b"name = \"\xff\"").unwrap();
    let out = samkost()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
}

#[test]
fn missing_file_is_an_io_error_with_exit_code_2() {
    let out = samkost()
        .args(["run", "/nonexistent/scenario.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("failed to read scenario"));
}

#[test]
fn init_prints_a_scenario_that_validates() {
    let out = samkost()
        .args(["init", "--members", "1517,1515,1514"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let scenario = crate::parse(&text).unwrap_or_else(|d| panic!("{d}\n{text}"));
    let names: Vec<&str> = scenario
        .model
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["Hareid", "Herøy", "Sande"]);
    // A starter cooperation may cost more than its members alone, where the nucleolus does
    // not exist: the starter uses the prenucleolus, which always does.
    let keys: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
    assert!(
        keys.contains(&"prenucleolus") && !keys.contains(&"nucleolus"),
        "{keys:?}"
    );

    let out = samkost()
        .args(["init", "--members", "1517,9999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("9999"));

    for (members, says) in [
        ("", "no kommunenummer was given"),
        ("1517,,1515", "between two commas"),
    ] {
        let out = samkost()
            .args(["init", "--members", members])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(says) && !stderr.contains("0000"),
            "{stderr}"
        );
    }
}

#[test]
fn members_csv_file_is_read_relative_to_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/members.csv"),
        "kommunenummer,users\n1517,500\n1514,210\n1515,820\n",
    )
    .unwrap();
    let text = crate::BASE.replacen(
        "members = [\"1517\", \"1514\", \"1515\"]",
        "members_csv = \"data/members.csv\"",
        1,
    );
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    let out = samkost()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(
        dir.path().join("data/members.csv"),
        "kommunenummer,users\n1517,500\n1514,-3\n1515,820\n",
    )
    .unwrap();
    let out = samkost()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("data/members.csv:3"), "{stderr}");
    assert!(stderr.contains("users"), "{stderr}");
}

#[test]
fn norwegian_table_uses_norwegian_words_and_number_format() {
    let run = |lang: &str| {
        let out = samkost()
            .args([
                "run",
                "--draws",
                "300",
                "--stability-draws",
                "50",
                "--lang",
                lang,
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let (en, nb) = (run("en"), run("nb"));
    let (json, _) = run_json(&[
        "run",
        "--draws",
        "300",
        "--stability-draws",
        "50",
        "--format",
        "json",
    ]);
    // The same numbers, written the Norwegian way: no-break space between digit groups,
    // decimal comma, `kr` after the amount.
    let mean = json["region"]["npv_net_benefit"]["mean"].as_f64().unwrap();
    let nb_mean = samkost::report::Lang::Nb.nok(mean);
    assert!(nb_mean.contains('\u{a0}') && nb_mean.ends_with("kr"));
    assert!(nb.contains(&nb_mean), "{nb_mean} not in\n{nb}");
    assert!(en.contains(&samkost::report::Lang::En.nok(mean)));
    for word in [
        "trekninger",
        "reell kalkulasjonsrente",
        "alle tjener på det",
        "høyeste / laveste",
    ] {
        assert!(nb.contains(word), "`{word}` missing:\n{nb}");
    }
    assert!(
        nb.contains("4,0\u{a0}%"),
        "discount rate with a decimal comma"
    );
    assert!(en.contains("real discount rate 4.0 %"));
    // One verdict per key in both languages, built by the same function.
    for (k, key) in json["keys"].as_array().unwrap().iter().enumerate() {
        let name = key["name"].as_str().unwrap();
        assert!(
            en.contains(&format!("{name}: all members gain with ")),
            "{k}"
        );
        assert!(
            nb.contains(&format!("{name}: alle tjener på samarbeidet med ")),
            "{k}"
        );
    }
}

#[test]
fn an_unknown_report_key_is_refused_with_the_keys_listed() {
    let out = samkost()
        .args(["run", "--draws", "10", "--report-key", "fifty-fifty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--report-key `fifty-fifty`") && err.contains("50/50"),
        "{err}"
    );
}

#[test]
fn init_for_a_whole_county_comments_out_keys_that_need_every_coalition() {
    // All 43 municipalities of Vestland (county 46) from the embedded table: beyond 12 members
    // the nucleolus and SCRB are out of reach, so the starter scenario leaves them commented
    // out with the reason, and the scenario's keys resolve as generated.
    let ids: Vec<String> = samkost::scenario::kommuner::all()
        .iter()
        .filter(|k| k.id.starts_with("46"))
        .map(|k| k.id.clone())
        .collect();
    assert_eq!(ids.len(), 43);
    let out = samkost()
        .args(["init", "--members", &ids.join(",")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("# Needs the cost of all 2^43 coalitions"),
        "{text}"
    );
    assert!(text.contains("# rule = \"prenucleolus\"") && text.contains("# rule = \"scrb\""));
    let scenario = crate::parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
    assert!(
        names.contains(&"Shapley") && !names.contains(&"prenucleolus"),
        "{names:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vestland.toml");
    std::fs::write(&path, &text).unwrap();
    crate::succeed(samkost().args(["validate", path.to_str().unwrap()]));
}

/// NaN compares false with every ratio, so `--burden-threshold nan` silently flagged no key;
/// non-finite and non-positive factors are refused before anything runs.
#[test]
fn a_burden_threshold_that_is_not_a_finite_positive_factor_is_refused() {
    for bad in ["nan", "inf", "-inf", "0", "-1.5", "two"] {
        let out = samkost()
            .args(["run", "--draws", "10", &format!("--burden-threshold={bad}")])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bad}: {stderr}");
        assert!(stderr.contains("--burden-threshold"), "{bad}: {stderr}");
        assert!(stderr.contains(&format!("`{bad}`")), "{bad}: {stderr}");
    }
    let out = samkost()
        .args(["run", "--draws", "10", "--burden-threshold", "1.5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
