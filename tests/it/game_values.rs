//! Game files with a `values` array (JSON, TOML) or one CSV column: the cost of every
//! coalition in bitmask order. They give the same game, and the same output bit for bit, as
//! the coalition list they encode; a complete list is taken as the table; every invalid
//! input's message is snapshot-tested.

use std::path::Path;
use std::process::{Command, Output};

use samkost::scenario::game_file::{GameFile, GameFormat, parse};
use samkost_game::CostGame;

use crate::succeed;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn samkost(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Reads an example game file with the format its name implies.
fn example(name: &str) -> GameFile {
    let path = repo().join("scenarios/games").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    parse(name, &text, GameFormat::detect(name, &text)).unwrap_or_else(|d| panic!("{name}:\n{d}"))
}

/// `samkost allocate FILE [args]` on an example, run from the repository; its stdout.
fn allocate(file: &str, args: &[&str]) -> Vec<u8> {
    let path = format!("scenarios/games/{file}");
    let mut all = vec!["allocate", path.as_str()];
    all.extend_from_slice(args);
    succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(&all)
            .current_dir(repo()),
    )
    .stdout
}

/// The Hasan et al. (2011) game of Guajardo & Jörnsten (2015) as a `values` array gives the
/// same game as its coalition list, and the same table and JSON, byte for byte.
#[test]
fn values_json_gives_the_output_of_the_coalition_list_bit_for_bit() {
    let list = example("hasan-4.toml");
    let values = example("hasan-4-values.json");
    assert_eq!(values.game, list.game);
    assert_eq!(values.players, list.players);
    assert_eq!(values.n_listed, 15);
    for format in ["table", "json"] {
        assert_eq!(
            allocate("hasan-4-values.json", &["--format", format]),
            allocate("hasan-4.toml", &["--format", format]),
            "--format {format}"
        );
    }
}

/// The Oh & Shin (2012) game as one CSV column: players `P1` … `P3` as in the JSON coalition
/// list, and every number of the output the same bit for bit (only the CSV has no title or
/// units).
#[test]
fn csv_column_gives_the_allocations_of_the_coalition_list_bit_for_bit() {
    let list = example("oh-shin-3.json");
    let csv = example("oh-shin-3.csv");
    assert_eq!(csv.game, list.game);
    assert_eq!(csv.players, list.players);
    assert_eq!((csv.title.as_deref(), csv.units.as_deref()), (None, None));
    let json = |file: &str| -> serde_json::Value {
        let mut json: serde_json::Value =
            serde_json::from_slice(&allocate(file, &["--format", "json"])).unwrap();
        json["title"] = serde_json::Value::Null;
        json["units"] = serde_json::Value::Null;
        json
    };
    assert_eq!(json("oh-shin-3.csv"), json("oh-shin-3.json"));
}

/// TOML takes a `values` array too; the textbook game written both ways is the same game.
#[test]
fn toml_values_array_is_the_costs_table() {
    let values = "title = \"Three-player textbook game\"\nunits = \"MNOK per year\"\nplayers = [\"A\", \"B\", \"C\"]\nvalues = [25, 30, 40, 50, 60, 70, 80]\n";
    let from_values = parse("g.toml", values, GameFormat::Toml).unwrap();
    let from_list = example("textbook-3.toml");
    assert_eq!(from_values, from_list);
}

/// A complete coalition list is taken as the table (no completion), in either format, and
/// so is a `values` array; partial lists are still completed.
#[test]
fn a_complete_list_is_the_table() {
    let table = vec![0.0, 25.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0];
    let expected = CostGame::from_table(3, table).unwrap();
    let list = example("textbook-3.toml");
    assert_eq!(list.game, expected);
    assert_eq!(list.n_listed, 7);
    let partial = example("three-partial.json");
    assert_eq!(partial.n_listed, 5);
    assert_eq!(partial.game.cost(0b101), 10.0 + 8.0);
}

/// A negative cost (a coalition that earns) is allowed in `values` as in `costs`.
#[test]
fn negative_values_are_read_like_negative_costs() {
    let costs = r#"{"players": ["A", "B"], "costs": {"A": -1, "B": 3, "A,B": 1}}"#;
    let values = r#"{"players": ["A", "B"], "values": [-1, 3, 1]}"#;
    let csv = "cost\n-1\n3\n1\n";
    let a = parse("g.json", costs, GameFormat::Json).unwrap();
    let b = parse("g.json", values, GameFormat::Json).unwrap();
    let c = parse("g.csv", csv, GameFormat::Csv).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.game, c.game);
}

/// CSV details: a byte-order mark, Windows line ends, a quoted header, spaces around numbers
/// and trailing empty lines are accepted.
#[test]
fn csv_tolerates_bom_crlf_quotes_and_trailing_blank_lines() {
    let csv = "\u{feff}\"cost\"\r\n 25\r\n30 \r\n40\r\n\r\n\n";
    let file = parse("g.csv", csv, GameFormat::Csv).unwrap();
    assert_eq!(file.game.costs(), &[0.0, 25.0, 30.0, 40.0]);
    assert_eq!(file.players, ["P1", "P2"]);
    assert_eq!(GameFormat::detect("G.CSV", "cost\n1\n"), GameFormat::Csv);
}

/// A 10-player game on one line, as JSON writers print it, with one entry that is not a
/// number: the message shows the part of the line around it.
fn long_line() -> String {
    let players: Vec<String> = (1..=10).map(|i| format!("\"M{i}\"")).collect();
    let mut values: Vec<String> = (1..1024).map(|i| format!("{}.5", 10 + i % 7)).collect();
    values[600] = "\"n/a\"".to_owned();
    format!(
        "{{\"players\": [{}], \"values\": [{}]}}",
        players.join(", "),
        values.join(", ")
    )
}

/// `(case, file name, contents)`: each must exit with code 1 and a located message that is
/// snapshot-tested.
fn invalid_cases() -> Vec<(&'static str, &'static str, String)> {
    let json_base =
        "{\n  \"players\": [\"A\", \"B\", \"C\"],\n  \"values\": [25, 30, 40, 50, 60, 70, 80]\n}\n";
    let json = |from: &str, to: &str| {
        assert!(
            json_base.contains(from),
            "test setup: `{from}` not in the base"
        );
        json_base.replacen(from, to, 1)
    };
    let csv_base = "cost\n25\n30\n40\n50\n60\n70\n80\n";
    let csv = |from: &str, to: &str| {
        assert!(
            csv_base.contains(from),
            "test setup: `{from}` not in the base"
        );
        csv_base.replacen(from, to, 1)
    };
    vec![
        ("json_wrong_length", "g.json", json(", 80]", "]")),
        ("json_not_a_number", "g.json", json("30,", "\"30\",")),
        ("json_too_large", "g.json", json("40,", "4e400,")),
        ("json_nan", "g.json", json("40,", "NaN,")),
        (
            "json_many_bad_entries",
            "g.json",
            json(
                "[25, 30, 40, 50, 60, 70, 80]",
                "[null, true, \"x\", [], {}, 1e999, -1e999]",
            ),
        ),
        (
            "json_many_too_large",
            "g.json",
            json(
                "[25, 30, 40, 50, 60, 70, 80]",
                "[1e999, 2e999, 3e999, 40, 5e999, 6e999, -7e999]",
            ),
        ),
        ("json_long_line", "g.json", long_line()),
        (
            "json_not_an_array",
            "g.json",
            json("[25, 30, 40, 50, 60, 70, 80]", "25"),
        ),
        (
            "json_missing_players",
            "g.json",
            json("\"players\": [\"A\", \"B\", \"C\"],\n", ""),
        ),
        (
            "json_costs_and_values",
            "g.json",
            json("\"players\"", "\"costs\": {\"A\": 25},\n  \"players\""),
        ),
        (
            "toml_not_a_number",
            "g.toml",
            "players = [\"A\", \"B\"]\nvalues = [1, \"2\", nan]\n".to_owned(),
        ),
        (
            "toml_wrong_length",
            "g.toml",
            "players = [\"A\", \"B\"]\nvalues = [1, 2, 3, 4]\n".to_owned(),
        ),
        ("csv_wrong_row_count", "g.csv", csv("80\n", "80\n90\n")),
        ("csv_one_row", "g.csv", "cost\n25\n".to_owned()),
        ("csv_no_rows", "g.csv", "cost\n".to_owned()),
        ("csv_empty", "g.csv", "\n".to_owned()),
        ("csv_not_a_number", "g.csv", csv("40\n", "forty\n")),
        ("csv_nan", "g.csv", csv("40\n", "NaN\n")),
        (
            "csv_many_bad_lines",
            "g.csv",
            "cost\nx\nx\nx\nx\nx\nx\n-nan\n".to_owned(),
        ),
        ("csv_negative_infinity", "g.csv", csv("40\n", "-inf\n")),
        ("csv_decimal_comma", "g.csv", csv("40\n", "40,5\n")),
        ("csv_two_columns", "g.csv", csv("40\n", "A,B,40\n")),
        ("csv_no_header", "g.csv", csv("cost\n", "")),
        ("csv_wrong_header", "g.csv", csv("cost\n", "costs\n")),
        (
            "csv_two_column_header",
            "g.csv",
            csv("cost\n", "coalition,cost\n"),
        ),
        ("csv_blank_line", "g.csv", csv("40\n", "\n40\n")),
    ]
}

#[test]
fn every_invalid_values_file_exits_1_with_a_located_message() {
    let dir = tempfile::tempdir().unwrap();
    for (case, name, text) in invalid_cases() {
        std::fs::write(dir.path().join(name), &text).unwrap();
        let out = samkost(&["allocate", name], dir.path());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "case `{case}`:\n{stderr}");
        assert!(out.stdout.is_empty(), "case `{case}` printed a result");
        assert!(
            stderr.contains(&format!("--> {name}:")),
            "case `{case}`:\n{stderr}"
        );
        insta::assert_snapshot!(format!("game_values_{case}"), stderr);
    }
}
