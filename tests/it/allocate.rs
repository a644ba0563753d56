//! `samkost allocate`: the example game files against published and hand-computed values,
//! the JSON schema, and every invalid input's message (snapshot-tested).

use std::path::Path;
use std::process::{Command, Output};

/// Tolerance for LP-based values (nucleolus, least core) on games of scale ~1e1–1e6.
const LP_TOL: f64 = 1e-6;

fn samkost(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `samkost allocate FILE --format json [extra]` on an example and parses the output.
fn allocate_json(file: &str, extra: &[&str]) -> (serde_json::Value, String) {
    let mut args = vec!["allocate", file, "--format", "json"];
    args.extend_from_slice(extra);
    let out = samkost(&args, repo());
    assert!(
        out.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    (serde_json::from_str(&text).unwrap(), text)
}

fn allocation(json: &serde_json::Value, method: &str) -> Vec<f64> {
    json["methods"][method]["allocation"]
        .as_array()
        .unwrap_or_else(|| panic!("no {method}"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

fn assert_close(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol, "{what}: got {got:?}, want {want:?}");
    }
}

/// The hand-computed game of `crates/samkost-game/src/tests.rs`
/// (`textbook_three_player_game_by_hand`), whose derivations are in that test's comment.
#[test]
fn textbook_game_matches_the_hand_values() {
    let (json, _) = allocate_json("scenarios/games/textbook-3.toml", &[]);
    let third = 1.0 / 3.0;
    assert_close(
        &allocation(&json, "shapley"),
        &[15.0, 22.5, 42.5],
        1e-9,
        "shapley",
    );
    assert_close(
        &allocation(&json, "nucleolus"),
        &[40.0 * third, 70.0 * third, 130.0 * third],
        LP_TOL,
        "nucleolus",
    );
    assert_close(
        &allocation(&json, "scrb"),
        &[100.0 / 7.0, 160.0 / 7.0, 300.0 / 7.0],
        1e-9,
        "scrb",
    );
    let eq: Vec<f64> = [25.0, 30.0, 50.0].iter().map(|c| c - 25.0 / 3.0).collect();
    assert_close(
        &allocation(&json, "equal_savings"),
        &eq,
        1e-9,
        "equal savings",
    );
    let prop: Vec<f64> = [25.0, 30.0, 50.0]
        .iter()
        .map(|c| 80.0 * c / 105.0)
        .collect();
    for method in ["proportional_savings", "proportional_to_standalone"] {
        assert_close(&allocation(&json, method), &prop, 1e-9, method);
    }
    assert_close(
        &allocation(&json, "equal_split"),
        &[80.0 * third; 3],
        1e-9,
        "equal split",
    );
    assert!((json["least_core_epsilon"].as_f64().unwrap() + 10.0 * third).abs() < LP_TOL);
    assert_eq!(json["core_nonempty"], true);
    let shapley = &json["methods"]["shapley"];
    assert_eq!(shapley["in_core"], true);
    assert!((shapley["max_excess"].as_f64().unwrap() + 2.5).abs() < 1e-9);
    assert_eq!(shapley["most_tempting"], serde_json::json!(["A", "B"]));
    // Proportional to standalone cost: A and B together pay 80·55/105 > c(A,B) = 40.
    assert_eq!(
        json["methods"]["proportional_to_standalone"]["in_core"],
        false
    );
}

/// Published nucleoli of two Guajardo & Jörnsten (2015) test games ("Common mistakes in
/// computing the nucleolus", EJOR 241(3):931–935, as transcribed in A. Churkin's
/// `tests/test_Nucleolus.jl`): Hasan et al. (2011), 4 players, TOML; Oh & Shin (2012),
/// 3 players, JSON.
#[test]
fn guajardo_jornsten_games_have_their_published_nucleoli() {
    let (json, _) = allocate_json("scenarios/games/hasan-4.toml", &["--methods", "nucleolus"]);
    assert_close(
        &allocation(&json, "nucleolus"),
        &[7.5, 0.5, 1.5, 10.5],
        LP_TOL * 20.0,
        "hasan",
    );
    let (json, _) = allocate_json(
        "scenarios/games/oh-shin-3.json",
        &["--methods", "nucleolus"],
    );
    assert_close(
        &allocation(&json, "nucleolus"),
        &[331_695.25, 233_051.25, 207_753.5],
        LP_TOL * 772_500.0,
        "oh & shin",
    );
    assert_eq!(json["methods"]["nucleolus"]["in_core"], true);
}

/// Peleg & Sudhölter (2007), Example 5.5.12, as a cost game (`scenarios/games/
/// peleg-sudholter-3.toml`; sources and derivation in the file and in the samkost-game test
/// `peleg_sudholter_example_5_5_12_has_different_nucleolus_and_prenucleolus`): an empty core
/// where the prenucleolus `(7, 7, 14)` (published) makes C pay 4 more than alone and the
/// nucleolus `(9, 9, 10)` (by hand) caps C at its cost alone.
#[test]
fn nucleolus_and_prenucleolus_differ_when_the_core_is_empty() {
    let (json, _) = allocate_json(
        "scenarios/games/peleg-sudholter-3.toml",
        &["--methods", "nucleolus,prenucleolus"],
    );
    assert_close(
        &allocation(&json, "nucleolus"),
        &[9.0, 9.0, 10.0],
        LP_TOL * 28.0,
        "nucleolus",
    );
    assert_close(
        &allocation(&json, "prenucleolus"),
        &[7.0, 7.0, 14.0],
        LP_TOL * 28.0,
        "prenucleolus",
    );
    assert_eq!(json["core_nonempty"], false);
    assert!((json["least_core_epsilon"].as_f64().unwrap() - 4.0).abs() < LP_TOL * 28.0);
    // Neither is in the (empty) core; A and B overpay 8 under the nucleolus, 4 under the
    // prenucleolus (= ε*, the prenucleolus is in the least core).
    for (method, overpayment) in [("nucleolus", 8.0), ("prenucleolus", 4.0)] {
        let result = &json["methods"][method];
        assert_eq!(result["in_core"], false, "{method}");
        assert_eq!(result["most_tempting"], serde_json::json!(["A", "B"]));
        let max_excess = result["max_excess"].as_f64().unwrap();
        assert!((max_excess - overpayment).abs() < LP_TOL * 28.0, "{method}");
    }
}

/// When the members alone cost less in total than together (`c(i) = 1`, `c(N) = 4`), no
/// allocation keeps everyone at or below its cost alone: the nucleolus does not exist. It is
/// left out with a warning among all methods (the prenucleolus, the equal split 4/3 each by
/// symmetry, is reported) and refused when asked for by name.
#[test]
fn a_game_without_imputations_has_a_prenucleolus_but_no_nucleolus() {
    let dir = tempfile::tempdir().unwrap();
    let text = "players = [\"A\", \"B\", \"C\"]\n[costs]\nA = 1\nB = 1\nC = 1\n\"A,B\" = 2\n\"A,C\" = 2\n\"B,C\" = 2\n\"A,B,C\" = 4\n";
    std::fs::write(dir.path().join("dear.toml"), text).unwrap();
    let out = samkost(&["allocate", "dear.toml", "--format", "json"], dir.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "warning: nucleolus does not exist for this game: the costs alone sum to 3, less than c(N) = 4, so every allocation makes some player pay more than alone (the prenucleolus has no such bound); left out"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["methods"].get("nucleolus").is_none());
    assert_close(
        &allocation(&json, "prenucleolus"),
        &[4.0 / 3.0; 3],
        LP_TOL * 4.0,
        "prenucleolus",
    );
    let out = samkost(
        &["allocate", "dear.toml", "--methods", "nucleolus"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: nucleolus does not exist for this game"),
        "{stderr}"
    );
}

/// Partial TOML table, completed by hand (see the comments in the file):
/// `c(N∖i)` = 31, 32, 25, 33, so the separable costs are (5, 4, 11, 3), the remaining
/// benefits 5 each and the non-separable cost 13 is split equally: SCRB =
/// (8.25, 7.25, 14.25, 6.25). The savings 43 − 36 = 7 split equally give the same.
#[test]
fn partial_toml_table_is_completed_by_cheapest_partition() {
    let (json, _) = allocate_json("scenarios/games/sunnmore-partial.toml", &[]);
    let want = [8.25, 7.25, 14.25, 6.25];
    assert_close(&allocation(&json, "scrb"), &want, 1e-9, "scrb");
    assert_close(
        &allocation(&json, "equal_savings"),
        &want,
        1e-9,
        "equal savings",
    );
    assert_eq!(json["players"][2], "Ulstein");
}

/// Partial JSON table: `c(A,C) = 10 + 8`, `c(B,C) = 12 + 8` are completed. By hand:
/// Shapley φ_A = 10/3 + 8/6 + 10/6 + 4/3 = 22/3, φ_B = 4 + 8/6 + 12/6 + 6/3 = 28/3,
/// φ_C = 24 − 50/3 = 22/3. Nucleolus: balancing e(C) = 8 − x_C and e(A,B) = x_C − 6 gives
/// x_C = 7 (ε* = −1), then e(A) = 10 − x_A = e(B) = 12 − x_B gives (7.5, 9.5, 7).
#[test]
fn partial_json_table_matches_the_hand_values() {
    let (json, _) = allocate_json("scenarios/games/three-partial.json", &[]);
    assert_close(
        &allocation(&json, "shapley"),
        &[22.0 / 3.0, 28.0 / 3.0, 22.0 / 3.0],
        1e-9,
        "shapley",
    );
    assert_close(
        &allocation(&json, "nucleolus"),
        &[7.5, 9.5, 7.0],
        LP_TOL,
        "nucleolus",
    );
    assert!((json["least_core_epsilon"].as_f64().unwrap() + 1.0).abs() < LP_TOL);
}

#[test]
fn json_output_has_the_documented_schema() {
    let (json, text) = allocate_json("scenarios/games/textbook-3.toml", &[]);
    let top: Vec<usize> = [
        "\"title\"",
        "\"units\"",
        "\"players\"",
        "\"methods\"",
        "\"core_nonempty\"",
        "\"least_core_epsilon\"",
    ]
    .iter()
    .map(|k| text.find(k).unwrap_or_else(|| panic!("{k} missing")))
    .collect();
    assert!(top.is_sorted(), "top-level keys out of order");
    let methods = [
        "shapley",
        "nucleolus",
        "prenucleolus",
        "least_core",
        "scrb",
        "equal_split",
        "equal_savings",
        "proportional_savings",
        "proportional_to_standalone",
    ];
    let positions: Vec<usize> = methods
        .iter()
        .map(|m| text.find(&format!("\"{m}\": {{")).unwrap())
        .collect();
    assert!(positions.is_sorted(), "methods out of the documented order");
    assert_eq!(json["methods"].as_object().unwrap().len(), methods.len());
    assert_eq!(json["players"], serde_json::json!(["A", "B", "C"]));
    assert_eq!(json["units"], "MNOK per year");
    for m in methods {
        let method = &json["methods"][m];
        let x = allocation(&json, m);
        assert!(
            (x.iter().sum::<f64>() - 80.0).abs() < 1e-6,
            "{m} is not efficient"
        );
        assert!(method["in_core"].is_boolean(), "{m}");
        assert!(method["max_excess"].is_f64(), "{m}");
        assert!(method["most_tempting"].is_array(), "{m}");
        assert!(
            method.get("std_errors").is_none(),
            "{m}: exact values have no errors"
        );
    }
    assert!(json["core_nonempty"].is_boolean());
    // The least-core allocation's largest overpayment is ε* itself.
    let eps = json["least_core_epsilon"].as_f64().unwrap();
    let lc = json["methods"]["least_core"]["max_excess"]
        .as_f64()
        .unwrap();
    assert!((eps - lc).abs() < LP_TOL);
}

#[test]
fn table_output_lists_players_methods_and_breakaway_groups() {
    let out = samkost(&["allocate", "scenarios/games/textbook-3.toml"], repo());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("allocate_table", text);
}

/// Beyond 20 players the Shapley value is sampled with a fixed seed and standard errors.
/// With only the singletons (cost 2) and the grand coalition (cost n + 1) listed, every
/// other coalition costs `2|S|`; the game is symmetric, so the Shapley value is
/// `(n + 1)/n` for everyone, and the estimates sum to `c(N)` exactly.
#[test]
fn large_games_use_the_sampled_shapley_value() {
    let dir = tempfile::tempdir().unwrap();
    let n = 21;
    let names: Vec<String> = (1..=n).map(|i| format!("P{i}")).collect();
    let mut text = format!(
        "players = [{}]\n[costs]\n",
        names
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for p in &names {
        text.push_str(&format!("{p} = 2\n"));
    }
    text.push_str(&format!("\"{}\" = {}\n", names.join(","), n + 1));
    std::fs::write(dir.path().join("big.toml"), text).unwrap();
    let args = [
        "allocate",
        "big.toml",
        "--format",
        "json",
        "--methods",
        "shapley",
        "--seed",
        "7",
        "--permutations",
        "2000",
    ];
    let out = samkost(&args, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shapley = &json["methods"]["shapley"];
    assert_eq!(shapley["n_permutations"], 2000);
    let errors: Vec<f64> = shapley["std_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(errors.len(), n);
    let values = allocation(&json, "shapley");
    let want = (n + 1) as f64 / n as f64;
    for (x, se) in values.iter().zip(&errors) {
        assert!(*se > 0.0 && (x - want).abs() <= 5.0 * se, "{x} ± {se}");
    }
    assert!((values.iter().sum::<f64>() - want * n as f64).abs() < 1e-9);
    let again = samkost(&args, dir.path());
    assert_eq!(out.stdout, again.stdout, "same seed, same output");
}

/// Beyond the exact limit of 20 players (`samkost_game::MAX_EXACT_PLAYERS`) the methods that
/// need every coalition by linear programming are left out with a warning (an error when asked
/// for by name), the least core is not computed (`core_nonempty` and `least_core_epsilon` are
/// `null`), and the keys from standalone costs are still checked against the core.
#[test]
fn beyond_the_exact_limit_the_lp_methods_are_left_out() {
    assert_eq!(samkost_game::MAX_EXACT_PLAYERS, 20);
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (1..=21).map(|i| format!("P{i}")).collect();
    let quoted: Vec<String> = names.iter().map(|p| format!("\"{p}\"")).collect();
    let mut text = format!("players = [{}]\n[costs]\n", quoted.join(", "));
    for p in &names {
        text.push_str(&format!("{p} = 2\n"));
    }
    text.push_str(&format!("\"{}\" = 22\n", names.join(",")));
    std::fs::write(dir.path().join("big.toml"), text).unwrap();
    let args = [
        "allocate",
        "big.toml",
        "--format",
        "json",
        "--methods",
        "shapley,nucleolus,prenucleolus,least_core,equal_savings",
        "--permutations",
        "100",
    ];
    let out = samkost(&args, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.trim_end(),
        "error: nucleolus is computed for at most 20 players (it needs every coalition); this game has 21"
    );
    let out = samkost(
        &[
            "allocate",
            "big.toml",
            "--format",
            "json",
            "--permutations",
            "100",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    for method in ["nucleolus", "prenucleolus", "least_core"] {
        assert!(
            stderr.contains(&format!(
                "warning: {method} is computed for at most 20 players"
            )),
            "{stderr}"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["core_nonempty"].is_null() && json["least_core_epsilon"].is_null());
    // Equal savings: each pays 2 − (42 − 22)/21 = 22/21; a coalition S pays 22|S|/21 < 2|S|.
    assert_close(
        &allocation(&json, "equal_savings"),
        &[22.0 / 21.0; 21],
        1e-9,
        "equal savings",
    );
    assert_eq!(json["methods"]["equal_savings"]["in_core"], true);
    assert!(json["methods"]["shapley"]["std_errors"].is_array());
}

/// `(case, file name, contents, extra arguments)`: each must exit with code 1 and a
/// message that is snapshot-tested.
fn invalid_cases() -> Vec<(&'static str, &'static str, String, Vec<&'static str>)> {
    let base = "players = [\"A\", \"H\", \"K\"]\n\n[costs]\nA = 10\nH = 12\nK = 8\n\"A,H\" = 18\n\"A,H,K\" = 24\n";
    let toml = |from: &str, to: &str| {
        assert!(
            base.contains(from),
            "test setup: `{from}` not in the base game"
        );
        base.replacen(from, to, 1)
    };
    let json_base = "{\n  \"players\": [\"A\", \"H\", \"K\"],\n  \"costs\": {\n    \"A\": 10,\n    \"H\": 12,\n    \"K\": 8,\n    \"A,H\": 18\n  }\n}\n";
    let json = |from: &str, to: &str| {
        assert!(
            json_base.contains(from),
            "test setup: `{from}` not in the base game"
        );
        json_base.replacen(from, to, 1)
    };
    let many: Vec<String> = (1..=31).map(|i| format!("\"P{i}\"")).collect();
    vec![
        (
            "unknown_player",
            "g.toml",
            toml("\"A,H\" = 18", "\"A,X\" = 18"),
            vec![],
        ),
        (
            "unknown_player_json",
            "g.json",
            json("\"A,H\": 18", "\"A,Hx\": 18"),
            vec![],
        ),
        (
            "duplicate_coalition_reordered",
            "g.toml",
            toml("\"A,H,K\" = 24", "\"A,H,K\" = 24\n\"H,A\" = 17"),
            vec![],
        ),
        (
            "duplicate_coalition_json",
            "g.json",
            json("\"A,H\": 18", "\"A,H\": 18,\n    \"A,H\": 19"),
            vec![],
        ),
        (
            "duplicate_coalition_toml_same_key",
            "g.toml",
            toml("\"A,H\" = 18", "\"A,H\" = 18\n\"A,H\" = 19"),
            vec![],
        ),
        ("missing_singleton", "g.toml", toml("K = 8\n", ""), vec![]),
        (
            "non_finite_cost",
            "g.toml",
            toml("K = 8", "K = nan"),
            vec![],
        ),
        (
            "non_finite_cost_json",
            "g.json",
            json("\"K\": 8", "\"K\": 1e999"),
            vec![],
        ),
        (
            "complete_error_with_missing_coalitions",
            "g.toml",
            toml("players", "complete = \"error\"\nplayers"),
            vec![],
        ),
        (
            "unknown_key",
            "g.toml",
            toml("players", "title = \"x\"\nplayer = []\nplayers"),
            vec![],
        ),
        (
            "unknown_key_json",
            "g.json",
            json("\"players\"", "\"unit\": \"NOK\",\n  \"players\""),
            vec![],
        ),
        (
            "unknown_method",
            "g.toml",
            base.to_owned(),
            vec!["--methods", "shapley,nucleolos"],
        ),
        (
            "too_many_players",
            "g.toml",
            toml("[\"A\", \"H\", \"K\"]", &format!("[{}]", many.join(", "))),
            vec![],
        ),
        (
            "toml_syntax",
            "g.toml",
            toml("\"A,H\" = 18", "\"A,H = 18"),
            vec![],
        ),
        (
            "json_syntax",
            "g.json",
            json("\"K\": 8,", "\"K\": 8"),
            vec![],
        ),
        (
            "json_nested_too_deep",
            "g.json",
            json(
                "\"K\": 8",
                &format!("\"K\": {}8{}", "[".repeat(200), "]".repeat(200)),
            ),
            vec![],
        ),
        (
            "player_numbers_instead_of_names",
            "g.toml",
            toml("[\"A\", \"H\", \"K\"]", "[1, 2, 3]"),
            vec![],
        ),
        (
            "player_numbers_instead_of_names_json",
            "g.json",
            json("[\"A\", \"H\", \"K\"]", "[1, 2, 3]"),
            vec![],
        ),
        (
            "control_character_in_title",
            "g.toml",
            toml(
                "players",
                "title = \"Three\\u001b[2J\\rmunicipalities\"\nplayers",
            ),
            vec![],
        ),
        (
            "control_character_in_player_name_json",
            "g.json",
            json("\"H\", \"K\"]", "\"H\\u0007\", \"K\"]"),
            vec![],
        ),
        (
            "json_syntax_after_byte_order_mark",
            "g.json",
            format!("\u{feff}{}", json("\"K\": 8,", "\"K\": 8")),
            vec![],
        ),
        (
            "costs_too_large_to_add",
            "g.toml",
            "players = [\"A\", \"H\"]\n\n[costs]\nA = 1e308\nH = 1e308\n\"A,H\" = 1e308\n"
                .to_owned(),
            vec![],
        ),
        (
            "several_problems_at_once",
            "g.toml",
            toml("K = 8", "K = inf\n\"A,Q\" = 3\n\"K,A\" = 15\n\"A,K\" = 16"),
            vec![],
        ),
    ]
}

#[test]
fn every_invalid_game_file_exits_1_with_a_located_message() {
    let dir = tempfile::tempdir().unwrap();
    for (case, name, text, extra) in invalid_cases() {
        std::fs::write(dir.path().join(name), &text).unwrap();
        let mut args = vec!["allocate", name];
        args.extend(extra);
        let out = samkost(&args, dir.path());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "case `{case}`:\n{stderr}");
        assert!(out.stdout.is_empty(), "case `{case}` printed a result");
        // A method's arithmetic is not at a place in the file.
        if !["unknown_method", "costs_too_large_to_add"].contains(&case) {
            assert!(
                stderr.contains(&format!("--> {name}:")),
                "case `{case}`:\n{stderr}"
            );
        }
        insta::assert_snapshot!(format!("allocate_{case}"), stderr);
    }
}

/// Costs near the largest `f64` overflow the sums inside SCRB and the savings keys; a method
/// whose numbers overflow is an error naming it, never NaN, ±inf or an allocation that does
/// not add up to `c(N)` in the output, while a method whose arithmetic stays finite still runs.
#[test]
fn costs_too_large_to_add_are_refused_per_method() {
    let dir = tempfile::tempdir().unwrap();
    let big = "players = [\"A\", \"H\"]\n\n[costs]\nA = 1e308\nH = 1e308\n\"A,H\" = 1e308\n";
    std::fs::write(dir.path().join("g.toml"), big).unwrap();
    for method in [
        "scrb",
        "equal_savings",
        "proportional_savings",
        "proportional_to_standalone",
    ] {
        let out = samkost(&["allocate", "g.toml", "--methods", method], dir.path());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{method}:\n{stderr}");
        assert!(out.stdout.is_empty(), "{method} printed a result");
        assert!(
            stderr.contains(&format!("{method}: ")),
            "{method}:\n{stderr}"
        );
        assert!(stderr.contains("scale the costs"), "{method}:\n{stderr}");
    }
    let out = samkost(
        &[
            "allocate",
            "g.toml",
            "--methods",
            "shapley",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(allocation(&json, "shapley"), [5e307, 5e307]);
}

/// A UTF-8 byte-order mark, as some Windows editors write, is skipped in JSON as in TOML.
#[test]
fn a_json_game_file_may_start_with_a_byte_order_mark() {
    use samkost::scenario::game_file::{GameFormat, parse};
    let text =
        "\u{feff}{\"players\": [\"A\", \"H\"], \"costs\": {\"A\": 3, \"H\": 4, \"A,H\": 5}}\n";
    for name in ["g.json", "g"] {
        assert_eq!(GameFormat::detect(name, text), GameFormat::Json);
        let game = parse(name, text, GameFormat::Json).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(game.players, ["A", "H"]);
        assert_eq!(game.game.grand(), 5.0);
    }
}

#[test]
fn a_missing_file_is_an_io_error() {
    let out = samkost(&["allocate", "no-such-game.toml"], repo());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_example_game_file_is_valid() {
    use samkost::scenario::game_file::{GameFormat, parse};
    let dir = repo().join("scenarios/games");
    let mut n_files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let game = parse(&name, &text, GameFormat::detect(&name, &text))
            .unwrap_or_else(|d| panic!("{name}:\n{d}"));
        assert!(game.game.n() >= 2, "{name}");
        n_files += 1;
    }
    assert!(n_files >= 5);
}

/// ARCHITECTURE.md invariant 1 for the game crate: pure, no file formats, no printing.
#[test]
fn the_game_crate_does_no_io() {
    let manifest = std::fs::read_to_string(repo().join("crates/samkost-game/Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap();
    let deps = deps.split("\n[").next().unwrap();
    for banned in ["clap", "anyhow", "toml", "serde", "csv", "polars"] {
        assert!(
            !deps.lines().any(|l| l.trim_start().starts_with(banned)),
            "samkost-game depends on {banned}"
        );
    }
    for entry in std::fs::read_dir(repo().join("crates/samkost-game/src")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in [
            "println!",
            "eprintln!",
            "print!(",
            "std::fs",
            "std::env",
            "static mut",
        ] {
            assert!(!text.contains(banned), "{} uses `{banned}`", path.display());
        }
    }
}

/// Proportional keys are undefined with a negative standalone cost: left out with a warning
/// by default, an error when asked for by name.
#[test]
fn undefined_keys_are_left_out_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "players = [\"A\", \"B\"]\n[costs]\nA = -1\nB = 3\n\"A,B\" = 1\n";
    std::fs::write(dir.path().join("neg.toml"), text).unwrap();
    let out = samkost(&["allocate", "neg.toml", "--format", "json"], dir.path());
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("warning: proportional_savings is not defined for this game: `A` has a negative standalone cost"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["methods"].get("proportional_savings").is_none());
    assert!(json["methods"].get("shapley").is_some());
    let out = samkost(
        &["allocate", "neg.toml", "--methods", "proportional_savings"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
}
