//! Bad input never panics: generated broken scenarios and game files end in a clear error or
//! a valid run with finite results. Deterministic: a fixed proptest seed and case count, and a
//! systematic sweep of every `key = value` line of every example file against a list of nasty
//! values. Inputs that once crashed samkost are kept in `tests/it/fuzz-corpus/` and parsed by
//! [`corpus_inputs_end_in_a_clear_error_or_a_valid_run`].

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use samkost::allocate::{Method, Settings, analyse};
use samkost::scenario::game_file::{self, GameFormat};
use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{NoProgress, PlanningConfig, RunConfig, resolve_keys, run};

/// Values that stress readers and arithmetic: wrong types, extreme and non-finite numbers,
/// integers beyond `i64`, empty containers, broken distributions, expressions that overflow.
const NASTY: &[&str] = &[
    "1e308",
    "-1e308",
    "5e-324",
    "-5e-324",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "-0.0",
    "0",
    "-1",
    "1",
    "10000",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "0x7fffffffffffffff",
    "1979-05-27",
    "\"x\"",
    "\"\"",
    "\"ø🦀\u{202e}\"",
    "\"9999\"",
    "[]",
    "{}",
    "[[]]",
    "true",
    "[1, \"a\"]",
    "[\"1517\", \"1517\"]",
    "[\"0000\", \"9999\", \"-1\"]",
    "{ dist = \"pert\", min = 3, mode = 1, max = 2 }",
    "{ dist = \"uniform\", min = 1e308, max = -1e308 }",
    "{ dist = \"uniform\", min = -1e308, max = 1e308 }",
    "{ dist = \"normal\", mean = 0, sd = 1e308 }",
    "{ dist = \"lognormal\", median = 1e300, p90 = 1e308 }",
    "{ dist = \"lognormal\", mean = 1, sd = 1e308 }",
    "{ dist = \"discrete\", values = [], weights = [] }",
    "{ dist = \"discrete\", values = [1e308, -1e308], weights = [1e308, 1e308] }",
    "{ dist = \"triangular\", min = 5e-324, mode = 5e-324, max = 1e-323 }",
    "{ dist = \"overrun\", body = { dist = \"fixed\", value = 1 }, tail_probability = 0.9, tail_start = 1, alpha = 0.01 }",
    "{ dist = \"overrun\", body = { dist = \"fixed\", value = 1 }, tail_probability = 1, tail_start = 1e308, alpha = 1e-300, cap = 1e308 }",
    "\"cost_per_user / 0\"",
    "\"1e308 * 1e308\"",
    "\"1e308 * 10 - 1e308 * 10\"",
    "\"-(((((1)))))\"",
    "\"1e400\"",
    "\"wage_growth * 1e308\"",
    "\"overrun * 1e308 * 1e308\"",
];

/// Text spliced into files at random places: multi-byte and control characters, lone quotes
/// and brackets, a byte-order mark, a right-to-left override.
const GARBAGE: &[&str] = &[
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "ٞ",
    "🦀",
    "\"",
    "'''",
    "[",
    "]]",
    "{",
    "=",
    "\n[[members]]\n",
    "\n[[lines]]\n",
    "\n[[keys]]\n",
    "\r",
    "\\u",
    "#",
    "\t\t\t",
    "\u{a0}",
    "\u{3000}",
];

/// Tables appended to scenarios: wrong member tables, duplicate ids, cost lines at impossible
/// years, keys that do not fit the members.
const SNIPPETS: &[&str] = &[
    "\n[[members]]\nid = \"1517\"\npopulation = -5\n",
    "\n[[members]]\nid = \"9999\"\n",
    "\n[[members]]\nid = \"9998\"\nname = \"Nowhere\"\npopulation = 1e308\ndrivers = { users = 1e308 }\n",
    "\n[[members]]\nid = 1517\npopulation = nan\n",
    "\n[[lines]]\nname = \"Far\"\noccurs = \"always\"\nyear = 99999\nfixed = 1\n",
    "\n[[lines]]\nname = \"Huge\"\noccurs = \"alone\"\nstart = -9223372036854775808\nend = 9223372036854775807\nfixed = 1e308\n",
    "\n[[lines]]\nname = \"Growth\"\noccurs = \"together\"\nfixed = 1e300\ngrowth = 1e300\n",
    "\n[[keys]]\nname = \"bad\"\nrule = \"fixed\"\nshares = { \"1517\" = 1e308, \"1514\" = -1e308 }\n",
    "\n[[keys]]\nname = \"equal\"\nrule = \"equal\"\n",
    "\n[[keys]]\nname = \"shapley\"\nrule = \"shapley\"\nex_post = true\n",
    "\n[[keys]]\nname = \"h\"\nrule = \"hybrid\"\nfixed_part = nan\n",
    "\n[assets]\nlife = 1e308\nremaining_life = 1e308\n",
    "\n[assets]\nlife = -1e308\nremaining_life = \"1 / 0\"\nbook_value = 1e308\n",
    "\n[assets]\nlife = 9223372036854775807\nreplacement = 1e308\npooled_replacement_share = 1e308\n",
    "\n[planning]\ndraws = 9223372036854775807\n",
    "\n[planning]\nbasis = \"percentile\"\npercentile = nan\n",
    "\n[organisation]\nmodel = \"outsourcing\"\nmargin = 1e308\nsupplier_efficiency = -1e308\n",
    "\n[organisation]\nmodel = \"iks\"\nattrition_rate = 1e308\nexternal_sales_share = nan\n",
    "\n[transition]\nparallel_months = 1e308\nparallel_share = -1e308\n",
    "\n[existing]\nmembers = [\"1517\", 1514, \"9999\", \"1517\"]\nkey = nan\nintegration_cost = 1e308\n",
    "\n[existing]\nmembers = [\"1517\", \"1514\"]\nintegration_cost = 1e12\n",
    "\n[[components]]\nname = \"S\"\nkind = \"staffing\"\nexponent = 1e308\nreference = 5e-324\n",
    "\n[[components]]\nname = \"I\"\nkind = \"infrastructure\"\nexponent = -1e308\nfixed = 1e308\npooled_from = 9223372036854775807\n",
    "\n[[components]]\nname = \"L\"\nkind = \"licence\"\ntiers = [{ from = 0, price = 1e308 }, { from = 5e-324, price = -1e308 }]\n",
    "\n[[components]]\nname = \"P\"\nkind = \"purchasing\"\ncycle_years = 0\nhalf_volume = 0\nmax_discount = 1e308\n",
    "\n[[components]]\nname = \"P2\"\nkind = \"purchasing\"\ncycle_years = -1e308\nunits_per_driver = 1e308\n",
    "\n[[keys]]\nname = \"svc\"\nrule = \"by_component\"\ndefault = { rule = \"equal\" }\n[keys.kinds]\nstaffing = { rule = \"proportional\", driver = \"users\" }\nlicence = { rule = \"hybrid\", fixed_part = 1e308 }\n",
    "\n[[keys]]\nname = \"svc2\"\nrule = \"by_component\"\ndefault = { rule = \"by_component\" }\n[keys.components]\n\"\" = { rule = \"fixed\", shares = { \"1517\" = 1e308 } }\n[keys.lines]\n\"Main project\" = 1\n",
];

/// One change to a file.
#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    /// Replace the value of line `.0` (after its first ` = `) by `.1`.
    Replace(usize, &'static str),
    /// Delete line `.0`.
    Delete(usize),
    /// Repeat line `.0`.
    Duplicate(usize),
    /// Swap lines `.0` and `.1`.
    Swap(usize, usize),
    /// Insert `.1` at byte `.0` (moved back to a character boundary).
    Splice(usize, &'static str),
    /// Cut the file at byte `.0`.
    Truncate(usize),
    /// Replace the member list by these kommunenummer.
    Members(Vec<u16>),
    /// Append a table.
    Append(&'static str),
    /// Replace the `.0`-th number written after `= ` by `.1` (keeps the file valid TOML).
    Number(usize, &'static str),
}

/// Numbers that keep a file valid TOML but push the model to its limits.
const EXTREME: &[&str] = &[
    "1e308", "-1e308", "5e-324", "0", "-0.0", "1e15", "-1e15", "1e-15", "1e100", "-1e100", "1e30",
    "0.5", "1", "2", "-1", "100000", "0.999999", "1.000001",
];

/// Byte ranges of numbers written after `= ` (values in tables and inline tables).
fn number_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    for (at, _) in text.match_indices("= ") {
        let start = at + 2;
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || b"+-.eE_".contains(&bytes[end]))
        {
            end += 1;
        }
        if end > start && bytes[start..end].iter().any(u8::is_ascii_digit) {
            spans.push(start..end);
        }
    }
    spans
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn apply(text: &str, mutation: &Mutation) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len().max(1);
    let edit_lines = |f: &dyn Fn(usize, &str) -> Vec<String>| -> String {
        lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| f(i, l))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match mutation {
        Mutation::Replace(line, value) => edit_lines(&|i, l| {
            if i != line % n {
                return vec![l.to_owned()];
            }
            match l.split_once(" = ") {
                Some((key, _)) => vec![format!("{key} = {value}")],
                None => vec![format!("{l}{value}")],
            }
        }),
        Mutation::Delete(line) => edit_lines(&|i, l| {
            if i == line % n {
                Vec::new()
            } else {
                vec![l.to_owned()]
            }
        }),
        Mutation::Duplicate(line) => edit_lines(&|i, l| {
            let times = if i == line % n { 2 } else { 1 };
            vec![l.to_owned(); times]
        }),
        Mutation::Swap(a, b) => {
            let mut lines = lines.clone();
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
            lines.join("\n")
        }
        Mutation::Splice(at, garbage) => {
            let at = floor_char_boundary(text, at % (text.len() + 1));
            format!("{}{garbage}{}", &text[..at], &text[at..])
        }
        Mutation::Truncate(at) => {
            text[..floor_char_boundary(text, at % (text.len() + 1))].to_owned()
        }
        Mutation::Members(ids) => {
            let list: Vec<String> = ids.iter().map(|id| format!("\"{id:04}\"")).collect();
            edit_lines(&|_, l| {
                if l.starts_with("members = ") {
                    vec![format!("members = [{}]", list.join(", "))]
                } else {
                    vec![l.to_owned()]
                }
            })
        }
        Mutation::Append(snippet) => format!("{text}{snippet}"),
        Mutation::Number(k, value) => {
            let spans = number_spans(text);
            if spans.is_empty() {
                return text.to_owned();
            }
            let span = spans[k % spans.len()].clone();
            format!("{}{value}{}", &text[..span.start], &text[span.end..])
        }
    }
}

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    let line = 0usize..400;
    let id = prop_oneof![
        // Real kommunenummer (Møre og Romsdal, Innlandet), so that some lists are valid.
        prop::sample::select(vec![
            1511u16, 1514, 1515, 1516, 1517, 1520, 1577, 3403, 3411
        ]),
        any::<u16>(),
    ];
    prop_oneof![
        4 => (line.clone(), prop::sample::select(NASTY)).prop_map(|(l, v)| Mutation::Replace(l, v)),
        1 => line.clone().prop_map(Mutation::Delete),
        1 => line.clone().prop_map(Mutation::Duplicate),
        1 => (line.clone(), line).prop_map(|(a, b)| Mutation::Swap(a, b)),
        1 => (0usize..20_000, prop::sample::select(GARBAGE)).prop_map(|(a, g)| Mutation::Splice(a, g)),
        1 => (0usize..20_000).prop_map(Mutation::Truncate),
        1 => prop::collection::vec(id, 0..5).prop_map(Mutation::Members),
        2 => prop::sample::select(SNIPPETS).prop_map(Mutation::Append),
        6 => (0usize..1000, prop::sample::select(EXTREME)).prop_map(|(k, v)| Mutation::Number(k, v)),
    ]
}

/// The example scenarios, the small test scenario and the embedded default.
fn scenario_sources() -> Vec<String> {
    // The embedded default is `scenarios/ssikt.toml`, read below.
    let mut sources = vec![crate::BASE.to_owned()];
    let paths = crate::shipped_scenario_files();
    sources.extend(paths.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    sources
}

/// The example game files, each with its format.
fn game_sources() -> Vec<(String, GameFormat)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/games");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let format = GameFormat::detect(&p.display().to_string(), &text);
            (text, format)
        })
        .collect()
}

/// Checks that every diagnostic points into the file and says something.
fn check_diagnostics(text: &str, diagnostics: &samkost::scenario::Diagnostics) {
    assert!(!diagnostics.0.is_empty(), "an error without a diagnostic");
    let n_lines = text.lines().count().max(1) + 1;
    for d in &diagnostics.0 {
        assert!(
            d.line >= 1 && d.line <= n_lines && d.column >= 1,
            "diagnostic outside the file: {d:?}"
        );
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
    }
    assert!(!diagnostics.to_string().is_empty());
}

/// Parses a scenario and, when it is valid, fixes its keys, runs a few draws and renders the
/// reports. Panics only if samkost does (or if a valid run gives non-finite results).
fn exercise(text: &str) {
    let scenario = match samkost::scenario::parse("fuzz.toml", text, &samkost::scenario::NoFiles) {
        Err(diagnostics) => return check_diagnostics(text, &diagnostics),
        Ok(scenario) => scenario,
    };
    let planning = PlanningConfig {
        n_draws: 8,
        ..scenario.planning
    };
    let keys = match resolve_keys(&scenario.model, &scenario.keys, 1, &planning) {
        Ok((keys, _)) => keys,
        Err(e) => return assert!(!e.to_string().is_empty()),
    };
    let config = RunConfig {
        n_draws: 20,
        seed: 1,
        stability_draws: 4,
        band_draws: 0,
        sampling: SamplingMethod::MonteCarlo,
        max_stored_draws: 1000,
        accounts: false,
        detailed: true,
    };
    let results = match run(&scenario.model, &keys, &config, &NoProgress) {
        Ok(results) => results,
        Err(e) => return assert!(!e.to_string().is_empty()),
    };
    let summary = &results.region_npv;
    for v in [summary.mean, summary.p10, summary.p50, summary.p90] {
        assert!(v.is_finite(), "region NPV {v} in a run that succeeded");
    }
    for key in &results.keys {
        for member in &key.members {
            assert!(member.npv_net_benefit.mean.is_finite());
            assert!(member.share_first_operating_year.is_finite());
            assert!(
                member
                    .p_ahead_by_year
                    .iter()
                    .all(|p| (0.0..=1.0).contains(p))
            );
        }
    }
    let burden = samkost::report::metrics::DEFAULT_BURDEN_THRESHOLD;
    let json = samkost::report::summary(&scenario, &results, &config, burden);
    assert!(serde_json::to_string(&json).is_ok());
    assert!(samkost::report::members_csv(&scenario, &results).is_ok());
    assert!(samkost::report::keys_csv(&scenario, &results, burden).is_ok());
    assert!(samkost::report::yearly_csv(&scenario, &results).is_ok());
    for lang in [samkost::report::Lang::En, samkost::report::Lang::Nb] {
        assert!(
            !samkost::report::render_table(
                &json,
                burden,
                lang,
                &samkost::report::TableLayout::all(&json)
            )
            .is_empty()
        );
        let workbook = samkost::report::workbook(&json, lang);
        assert!(workbook.is_ok_and(|bytes| !bytes.is_empty()));
        let html = samkost::report::report_html(&json, lang, None, "2026-01-01");
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    }
}

/// Parses a game file and, when it is valid, computes every allocation and renders them.
fn exercise_game(text: &str, format: GameFormat) {
    let file = match game_file::parse("fuzz", text, format) {
        Err(diagnostics) => return check_diagnostics(text, &diagnostics),
        Ok(file) => file,
    };
    let settings = Settings {
        methods: Method::ALL.to_vec(),
        seed: 1,
        n_permutations: 100,
    };
    if let Ok(analysis) = analyse(&file.game, &settings) {
        let _ = samkost::report::allocate::render_allocation_table(&file, &analysis, 1);
        assert!(
            serde_json::to_string(&samkost::report::allocate::allocation_json(
                &file, &analysis
            ))
            .is_ok()
        );
    }
}

pub(crate) fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    )
}

/// Runs `f` and turns a panic into a test failure that shows the input.
fn no_panic(input: &str, f: impl FnOnce()) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(AssertUnwindSafe(f));
    prop_assert!(outcome.is_ok(), "panic on input:\n{input}");
    Ok(())
}

#[test]
fn mutated_scenarios_never_panic() {
    let sources = scenario_sources();
    let strategy = (0..sources.len(), prop::collection::vec(mutation(), 1..4));
    runner(1000)
        .run(&strategy, |(src, mutations)| {
            let text = mutations
                .iter()
                .fold(sources[src].clone(), |text, m| apply(&text, m));
            no_panic(&text, || exercise(&text))
        })
        .unwrap();
}

/// One nasty value of each kind, for the systematic sweep.
const NASTY_KINDS: &[&str] = &[
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "-inf",
    "-1",
    "99999999999999999999",
    "1979-05-27",
    "\"ø🦀\u{202e}\"",
    "[]",
    "{}",
    "{ dist = \"pert\", min = 3, mode = 1, max = 2 }",
    "\"1e308 * 1e308\"",
];

/// Every `key = value` line of every example scenario, with a nasty value of each kind
/// (parsing only; runs of valid results are covered by the generated cases and the corpus).
#[test]
fn every_line_with_every_nasty_value_is_read_without_panic() {
    for source in scenario_sources() {
        for (line_idx, line) in source.lines().enumerate() {
            if !line.contains(" = ") {
                continue;
            }
            for value in NASTY_KINDS {
                let text = apply(&source, &Mutation::Replace(line_idx, value));
                let outcome = catch_unwind(|| {
                    if let Err(d) =
                        samkost::scenario::parse("fuzz.toml", &text, &samkost::scenario::NoFiles)
                    {
                        check_diagnostics(&text, &d);
                    }
                });
                assert!(
                    outcome.is_ok(),
                    "panic on line {line_idx} = {value}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn mutated_game_files_never_panic() {
    let sources = game_sources();
    runner(400)
        .run(
            &(0..sources.len(), prop::collection::vec(mutation(), 1..4)),
            |(src, mutations)| {
                let (text, format) = &sources[src];
                let text = mutations
                    .iter()
                    .fold(text.clone(), |text, m| apply(&text, m));
                no_panic(&text, || exercise_game(&text, *format))
            },
        )
        .unwrap();
}

#[test]
fn garbage_bytes_never_panic() {
    runner(300)
        .run(&prop::collection::vec(any::<u8>(), 0..400), |bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            no_panic(&text, || exercise(&text))?;
            let game = format!("players = [\"A\", \"B\"]\n[costs]\n{text}");
            no_panic(&game, || {
                exercise_game(&game, GameFormat::Toml);
                exercise_game(&text, GameFormat::Json);
                exercise_game(
                    &format!("{{\"players\": [\"A\", \"B\"], {text}"),
                    GameFormat::Json,
                );
                exercise_game(&format!("cost\n{text}"), GameFormat::Csv);
            })
        })
        .unwrap();
}

/// Regression inputs kept from fuzzing: each is parsed (and run, when valid) as a scenario
/// and as a game file in both formats.
#[test]
fn corpus_inputs_end_in_a_clear_error_or_a_valid_run() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fuzz-corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let outcome = catch_unwind(|| {
            exercise(&text);
            exercise_game(&text, GameFormat::Toml);
            exercise_game(&text, GameFormat::Json);
            exercise_game(&text, GameFormat::Csv);
        });
        assert!(outcome.is_ok(), "panic on {}", path.display());
    }
    assert!(paths.len() >= 5);
}

/// Runs the binary with `args`; returns its exit code and stderr.
fn samkost(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn non_utf8_files_are_a_clear_error_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    // A name in Latin-1, as an old editor would save it, then a lone continuation byte and an
    // overlong encoding.
    std::fs::write(&path, b"name = \"S\xf8re Sunnm\xf8re\"\n\x80\xc0\xaf\n").unwrap();
    let file = path.to_str().unwrap();
    for args in [
        vec!["run", file],
        vec!["validate", file],
        vec!["sensitivity", file, "--method", "tornado"],
        vec!["allocate", file],
    ] {
        let (code, stderr) = samkost(&args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("is not valid UTF-8 (first bad byte at offset 9)"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Regression: deep or long input overflowed the stack (exit 134) in the expression reader,
/// the JSON game file reader or the compiled expression tree. Each is a located error with
/// exit code 1 now. Generated here, as the files would be megabytes.
#[test]
fn deep_and_long_inputs_are_a_located_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let expression =
        |expr: &str| crate::BASE.replacen("\"cost_per_user\"", &format!("\"{expr}\""), 1);
    let n = 15_000;
    let cases = [
        (
            "parens.toml",
            expression(&format!("{}cost_per_user{}", "(".repeat(n), ")".repeat(n))),
            "nests parentheses and minus signs more than 64 levels deep",
        ),
        (
            "minus.toml",
            expression(&format!("{}cost_per_user", "-".repeat(n))),
            "nests parentheses and minus signs more than 64 levels deep",
        ),
        (
            "sum.toml",
            expression(&vec!["cost_per_user"; 50_000].join(" + ")),
            "has more than 1000 operators",
        ),
        (
            "arrays.json",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            "nested more than 128 levels deep",
        ),
        (
            "objects.json",
            format!("{}1{}", "{\"a\": ".repeat(50_000), "}".repeat(50_000)),
            "nested more than 128 levels deep",
        ),
    ];
    for (name, text, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let command = if name.ends_with(".json") {
            "allocate"
        } else {
            "validate"
        };
        let (code, stderr) = samkost(&[command, path.to_str().unwrap()]);
        let head: String = stderr.chars().take(600).collect();
        assert_eq!(code, Some(1), "{name}: {head}");
        assert!(stderr.contains(message), "{name}: {head}");
        let line = if name.ends_with(".json") { 1 } else { 22 };
        assert!(
            stderr.contains(&format!("--> {}:{line}:", path.display())),
            "{name}: {head}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {head}");
    }
}

#[test]
fn overflow_at_run_time_is_an_error_naming_the_draw() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fuzz-corpus/overflow-at-run-time.toml");
    let (code, stderr) = samkost(&["run", path.to_str().unwrap(), "--draws", "50"]);
    assert_eq!(code, Some(1), "{stderr}");
    // At the inputs' medians every cost is 0, which the cost-per-inhabitant warnings name
    // first; the error is the last thing printed.
    assert!(
        stderr.trim().ends_with(
            "error: draw 0 produced a non-finite cost or one beyond 1e100 NOK (check expressions for division by zero or overflow)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Regression: every draw's NPVs were finite (huge costs alone and together cancel out), but
/// the sums behind the means overflowed and the run "succeeded" with infinite results.
#[test]
fn huge_amounts_that_cancel_out_are_an_error_naming_the_draw() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fuzz-corpus/huge-amounts-cancel.toml");
    let scenario = crate::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    let config = RunConfig {
        n_draws: 20,
        seed: 1,
        stability_draws: 0,
        band_draws: 0,
        sampling: SamplingMethod::MonteCarlo,
        max_stored_draws: 1000,
        accounts: false,
        detailed: true,
    };
    assert_eq!(
        run(&scenario.model, &keys, &config, &NoProgress).unwrap_err(),
        samkost_core::simulation::SimulationError::NonFinite { draw: 0 }
    );
}

#[test]
fn absurd_draw_counts_and_horizons_are_rejected() {
    for args in [
        ["run", "--draws", "1000000000000"],
        ["run", "--draws", "0"],
        ["run", "--max-stored-draws", "1000000000000"],
        ["run", "--max-draws", "1000000000000"],
        ["sensitivity", "--trajectories", "1000000000000"],
        ["sensitivity", "--n", "1099511627776"],
        ["sensitivity", "--bootstrap", "1000000000000"],
    ] {
        let (code, stderr) = samkost(&args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("is not in"), "{args:?}: {stderr}");
    }
    for (line, replacement) in [
        ("horizon_years = 5", "horizon_years = 10000"),
        ("horizon_years = 5", "horizon_years = 0"),
        ("draws = 200", "draws = 1000000000000"),
    ] {
        let err = crate::parse(&crate::BASE.replacen(line, replacement, 1)).unwrap_err();
        let field = line.split(' ').next().unwrap();
        assert!(
            err.0
                .iter()
                .any(|d| d.message.starts_with(&format!("`{field}` must be between"))),
            "{err}"
        );
    }
}
