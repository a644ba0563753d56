//! Shares and rates written as whole-number percentages are refused (issue 12, "sane
//! inputs"): every share or rate of every shipped scenario is multiplied by 100 in turn, and
//! `samkost validate` must exit 1 with an error at that line whose fix writes the percentage as
//! a fraction. Costs that cannot be negative and the supports of distributions are checked
//! the same way.

use std::path::PathBuf;
use std::process::Command;

use toml::de::{DeTable, DeValue};

use crate::{BASE, parse};

/// Whether a key of the scenario format holds a share or a rate (a fraction): the naming
/// rule of docs/MODEL.md ("Allowed ranges"), written out here independently of the reader.
fn is_share_or_rate(key: &str) -> bool {
    [
        "_share",
        "_rate",
        "_saving",
        "growth",
        "_discount",
        "_shares",
    ]
    .iter()
    .any(|suffix| key.ends_with(suffix))
        || matches!(
            key,
            "fixed_part" | "margin" | "premium_max" | "percentile" | "shares"
        )
}

/// Keys of a distribution table that hold a value of the variable (not a shape or weight).
const VALUE_KEYS: &[&str] = &[
    "value", "min", "mode", "max", "mean", "sd", "median", "p90", "values",
];

/// One mutation: the byte ranges of the numbers of one share or rate field.
struct Field {
    key: String,
    numbers: Vec<std::ops::Range<usize>>,
}

fn numbers_in(node: &toml::Spanned<DeValue<'_>>, out: &mut Vec<std::ops::Range<usize>>) {
    match node.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => out.push(node.span()),
        DeValue::Array(items) => items.iter().for_each(|i| numbers_in(i, out)),
        DeValue::Table(t) => {
            for (k, v) in t.iter() {
                let k = k.get_ref().as_ref();
                // A table of fixed shares holds member ids as keys; a distribution its values.
                if VALUE_KEYS.contains(&k) || k.chars().all(|c| c.is_ascii_digit()) {
                    numbers_in(v, out);
                }
            }
        }
        _ => {}
    }
}

fn collect(table: &DeTable<'_>, out: &mut Vec<Field>) {
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        if is_share_or_rate(name) {
            let mut numbers = Vec::new();
            numbers_in(value, &mut numbers);
            if !numbers.is_empty() {
                out.push(Field {
                    key: name.to_owned(),
                    numbers,
                });
            }
            continue;
        }
        match value.get_ref() {
            DeValue::Table(t) => collect(t, out),
            DeValue::Array(items) => {
                for item in items {
                    if let DeValue::Table(t) = item.get_ref() {
                        collect(t, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `v · 100` written as a person would type it (`30`, not `30.000000000000004`).
fn times_100(text: &str) -> String {
    let v: f64 = text.replace('_', "").parse().expect("a number");
    let scaled = (v * 100.0 * 1e9).round() / 1e9;
    format!("{scaled}")
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset].matches('\n').count() + 1
}

fn shipped_scenarios() -> Vec<PathBuf> {
    crate::shipped_scenario_files()
}

#[test]
fn every_share_or_rate_of_every_shipped_scenario_written_as_a_percentage_is_refused_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut n_checked = 0;
    for path in shipped_scenarios() {
        let src = std::fs::read_to_string(&path).unwrap();
        let root = DeTable::parse(&src).unwrap();
        let mut fields = Vec::new();
        collect(root.get_ref(), &mut fields);
        for field in fields {
            let all_zero = field
                .numbers
                .iter()
                .all(|r| src[r.clone()].parse::<f64>().is_ok_and(|v| v == 0.0));
            if all_zero {
                continue; // 0 % is 0: nothing to mutate
            }
            let mut mutated = src.clone();
            let mut numbers = field.numbers.clone();
            numbers.sort_by_key(|r| r.start);
            for range in numbers.iter().rev() {
                let scaled = times_100(&src[range.clone()]);
                mutated.replace_range(range.clone(), &scaled);
            }
            let line = line_of(&src, numbers[0].start);
            let file = tmp.path().join(path.file_name().unwrap());
            std::fs::write(&file, &mutated).unwrap();
            let out = Command::new(env!("CARGO_BIN_EXE_samkost"))
                .arg("validate")
                .arg(&file)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let name = path.file_name().unwrap().to_string_lossy();
            assert_eq!(
                out.status.code(),
                Some(1),
                "{name}: `{}` ×100 at line {line} was accepted:\n{stderr}",
                field.key
            );
            // The error at the mutated line carries the fraction fix.
            let at_line = format!("{}:{line}:", file.display());
            let located = stderr
                .split("error: ")
                .any(|d| d.contains(&at_line) && d.contains("% is "));
            assert!(
                located,
                "{name}: `{}` ×100: no error at line {line} with a \"5 % is 0.05\" fix:\n{stderr}",
                field.key
            );
            n_checked += 1;
        }
    }
    // ssikt.toml alone has a dozen shares and rates; a walk that finds few has gone wrong.
    assert!(n_checked >= 30, "only {n_checked} fields mutated");
}

/// The first error of a scenario that must fail.
fn first_error(text: &str) -> samkost::scenario::Diagnostic {
    let err = parse(text).expect_err("the scenario must be refused");
    err.0[0].clone()
}

fn base_with(extra: &str) -> String {
    format!("{BASE}\n{extra}")
}

#[test]
fn a_negative_salary_is_refused() {
    let text =
        base_with("[[components]]\nname = \"IT staff\"\nkind = \"staffing\"\nsalary = -880000\n");
    let d = first_error(&text);
    assert!(
        d.message.contains("`salary`") && d.message.contains("≥ 0"),
        "{d}"
    );
    assert_eq!(d.line, text.lines().count());
}

#[test]
fn a_distribution_reaching_below_zero_is_refused_for_a_cost() {
    let text = base_with(
        "[[components]]\nname = \"IT staff\"\nkind = \"staffing\"\nsalary = { dist = \"normal\", mean = 880000, sd = 100000 }\n",
    );
    let d = first_error(&text);
    assert!(d.message.contains("ranges from -inf to inf"), "{d}");
    assert!(
        d.help.as_deref().unwrap().contains("`min` and `max`"),
        "{d}"
    );
}

#[test]
fn a_share_parameter_used_in_an_expression_is_refused_at_its_own_line() {
    // `saving` is only used inside `cost_per_user * (1 - saving)`; declared a share, 15 is
    // refused where it is written.
    let text = BASE.replace(
        "saving = { dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30 }",
        "saving = { dist = \"pert\", min = 5, mode = 15, max = 30, unit = \"share\" }",
    );
    let err = parse(&text).expect_err("refused");
    let d = err
        .0
        .iter()
        .find(|d| d.line == 15)
        .expect("an error at line 15");
    assert!(d.message.contains("parameter `saving`"), "{d}");
    assert_eq!(
        d.help.as_deref(),
        Some("if 30 is a percentage, write it as a fraction: 30 % is 0.3")
    );
}

#[test]
fn a_parameter_used_as_a_share_field_is_refused_at_the_parameter() {
    let text = base_with(
        "[[components]]\nname = \"IT staff\"\nkind = \"staffing\"\nscope_growth = \"cost_per_user\"\n",
    );
    let err = parse(&text).expect_err("refused");
    let d = &err.0[0];
    assert_eq!(d.line, 14, "{d}");
    assert!(
        d.message.contains(
            "parameter `cost_per_user` is used as `scope_growth` of component `IT staff`"
        ),
        "{d}"
    );
}

#[test]
fn an_expression_that_is_negative_for_some_parameters_is_refused_for_a_price() {
    // 2000 − cost_per_user with cost_per_user in [7000, 13000] lies in [−11000, −5000]; the
    // message names the end furthest outside.
    let text = base_with(
        "[[components]]\nname = \"Licences\"\nkind = \"licence\"\ntiers = [{ from = 0, price = \"2000 - cost_per_user\" }]\n",
    );
    let d = first_error(&text);
    assert!(d.message.contains("reaches -11000"), "{d}");
}

#[test]
fn an_expression_with_a_repeated_parameter_is_not_refused_for_its_interval_alone() {
    // cost_per_user − cost_per_user + 100 is 100 everywhere; interval arithmetic alone would
    // give [−5900, 6100], but no corner of the range is negative.
    let text = base_with(
        "[[components]]\nname = \"Licences\"\nkind = \"licence\"\ntiers = [{ from = 0, price = \"cost_per_user - cost_per_user + 100\" }]\n",
    );
    parse(&text).expect("accepted");
}

#[test]
fn a_member_whose_cost_per_inhabitant_leaves_the_plausible_band_is_named_in_a_warning() {
    // Alone each member pays 6,000 NOK per inhabitant and year (a line per inhabitant, the
    // closed form of docs/MODEL.md §4), above the band's 5,000; in the cooperation about
    // 900,000 / 16,728 inhabitants + 0.09 users × 9,500 × 0.85 ≈ 780, inside it.
    let text = BASE.replace(
        "fixed = 400000\nper = { users = \"cost_per_user\" }",
        "per = { population = 6000 }",
    );
    assert_ne!(text, BASE, "test setup");
    let scenario = parse(&text).expect("valid");
    let warnings: Vec<&str> = scenario
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    for (id, name) in [("1517", "Hareid"), ("1514", "Sande"), ("1515", "Herøy")] {
        let want = format!(
            "{name} ({id}) would spend 6,000 NOK per inhabitant a year on ICT alone at the inputs' central values, outside the plausible 150–5,000 NOK"
        );
        assert!(warnings.contains(&want.as_str()), "{want}\n{warnings:#?}");
    }
    // The base scenario itself (about 1,100 alone) gets no warning.
    assert!(parse(BASE).unwrap().warnings.is_empty());
}
