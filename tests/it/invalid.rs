//! Invalid scenarios: each mistake gives a clear error at the right line (snapshot-tested), and
//! none panics.

use crate::{BASE, parse};

/// Replaces `from` (which must occur in the base scenario) with `to`.
fn mutate(from: &str, to: &str) -> String {
    assert!(
        BASE.contains(from),
        "test setup: `{from}` not in the base scenario"
    );
    BASE.replacen(from, to, 1)
}

/// `(case name, scenario text, line the first error must point at)`.
fn cases() -> Vec<(&'static str, String, usize)> {
    vec![
        ("toml_syntax", mutate("name = \"Test\"", "name = \"Test"), 1),
        (
            "unknown_top_key",
            mutate("horizon_years = 5", "horizon = 5"),
            3,
        ),
        (
            "unknown_dist_key",
            mutate("{ dist = \"triangular\"", "{ dsit = \"triangular\""),
            14,
        ),
        (
            "min_above_mode",
            mutate("min = 7000, mode = 9500", "min = 9900, mode = 9500"),
            14,
        ),
        (
            "unknown_dist_kind",
            mutate("dist = \"pert\"", "dist = \"pret\""),
            15,
        ),
        (
            "unknown_kommunenummer",
            mutate("\"1514\", \"1515\"]", "\"1514\", \"9999\"]"),
            8,
        ),
        (
            "name_instead_of_number",
            mutate("\"1514\", \"1515\"]", "\"1514\", \"Herøy\"]"),
            8,
        ),
        (
            "duplicate_member",
            mutate("\"1514\", \"1515\"]", "\"1514\", \"1517\"]"),
            8,
        ),
        (
            "shares_do_not_sum",
            mutate("\"1515\" = 0.5", "\"1515\" = 0.6"),
            50,
        ),
        (
            "share_of_non_member",
            mutate("\"1515\" = 0.5", "\"1516\" = 0.5"),
            50,
        ),
        (
            "unknown_parameter",
            mutate(
                "\"cost_per_user * (1 - saving)\"",
                "\"cost_per_user * (1 - savings)\"",
            ),
            29,
        ),
        (
            "unknown_driver",
            mutate("per = { users = 6000 }", "per = { usres = 6000 }"),
            36,
        ),
        (
            "year_outside_horizon",
            mutate("\nyear = 2026", "\nyear = 2031"),
            35,
        ),
        (
            "end_before_start",
            mutate(
                "start = 2027\nfixed = 900000",
                "start = 2029\nend = 2028\nfixed = 900000",
            ),
            28,
        ),
        (
            "discount_in_percent",
            mutate("discount_rate = 0.04", "discount_rate = 4"),
            5,
        ),
        ("nan_value", mutate("fixed = 400000", "fixed = nan"), 21),
        (
            "fixed_part_out_of_range",
            mutate("fixed_part = 0.3", "fixed_part = 1.5"),
            45,
        ),
        ("missing_occurs", mutate("occurs = \"alone\"\n", ""), 17),
        (
            "unknown_occurs_value",
            mutate("occurs = \"alone\"", "occurs = \"alon\""),
            19,
        ),
        (
            "one_member",
            mutate(
                "members = [\"1517\", \"1514\", \"1515\"]",
                "members = [\"1517\"]",
            ),
            8,
        ),
        (
            "zero_horizon",
            mutate("horizon_years = 5", "horizon_years = 0"),
            3,
        ),
        ("zero_draws", mutate("draws = 200", "draws = 0"), 6),
        (
            "string_for_number",
            mutate("draws = 200", "draws = \"200\""),
            6,
        ),
        (
            "bad_expression",
            mutate("\"cost_per_user\" }", "\"cost_per_user *\" }"),
            22,
        ),
        (
            "expression_nested_too_deep",
            mutate(
                "\"cost_per_user\" }",
                &format!("\"{}cost_per_user{}\" }}", "(".repeat(65), ")".repeat(65)),
            ),
            22,
        ),
        (
            "expression_with_too_many_operators",
            mutate(
                "\"cost_per_user\" }",
                &format!("\"{}\" }}", vec!["cost_per_user"; 1002].join(" + ")),
            ),
            22,
        ),
        (
            "negative_population",
            mutate(
                "members = [\"1517\", \"1514\", \"1515\"]",
                "members = [\"1517\", { id = \"1514\", population = -5 }]",
            ),
            8,
        ),
        (
            "overrun_without_cap",
            mutate(
                "saving = { dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30 }",
                "saving = { dist = \"overrun\", body = { dist = \"pert\", min = 0.9, mode = 1.0, max = 1.25 }, tail_probability = 0.18, tail_start = 1.25, alpha = 0.9 }",
            ),
            15,
        ),
        (
            "lognormal_p90_below_median",
            mutate(
                "{ dist = \"pert\", min = 0.05, mode = 0.15, max = 0.30 }",
                "{ dist = \"lognormal\", median = 0.15, p90 = 0.1 }",
            ),
            15,
        ),
        (
            "members_and_csv",
            mutate("seed = 7", "seed = 7\nmembers_csv = \"m.csv\""),
            8,
        ),
        (
            "unknown_component_kind",
            format!("{BASE}\n[[components]]\nname = \"Staff\"\nkind = \"stafing\"\n"),
            54,
        ),
        (
            "unsorted_licence_tiers",
            format!(
                "{BASE}\n[[components]]\nname = \"Lic\"\nkind = \"licence\"\ntiers = [{{ from = 0, price = 10 }}, {{ from = 500, price = 9 }}, {{ from = 100, price = 8 }}]\n"
            ),
            55,
        ),
        (
            "pooled_before_operation",
            format!(
                "{BASE}\n[[components]]\nname = \"Infra\"\nkind = \"infrastructure\"\npooled_from = 2026\n"
            ),
            55,
        ),
        (
            "unknown_payroll_zone",
            mutate("seed = 7", "seed = 7\npayroll_zone = \"VI\""),
            8,
        ),
        (
            "unknown_organisation_model",
            format!("{BASE}\n[organisation]\nmodel = \"ikks\"\n"),
            53,
        ),
        (
            "correlation_unknown_parameter",
            format!(
                "{BASE}\n[[correlations]]\nparameters = [\"cost_per_user\", \"savings\"]\nspearman = 0.5\n"
            ),
            53,
        ),
        (
            "correlation_out_of_range",
            format!(
                "{BASE}\n[[correlations]]\nparameters = [\"cost_per_user\", \"saving\"]\nspearman = 1.5\n"
            ),
            54,
        ),
        (
            "correlation_matrix_not_symmetric",
            format!(
                "{BASE}\n[correlation_matrix]\nparameters = [\"cost_per_user\", \"saving\"]\nspearman = [[1, 0.5], [0.4, 1]]\n"
            ),
            54,
        ),
        (
            "negative_parallel_months",
            format!("{BASE}\n[transition]\nparallel_months = -6\n"),
            53,
        ),
        (
            "zero_cycle_years",
            format!(
                "{BASE}\n[[components]]\nname = \"PCs\"\nkind = \"purchasing\"\ncycle_years = 0\n"
            ),
            55,
        ),
        (
            "negative_cycle_years",
            format!(
                "{BASE}\n[[components]]\nname = \"PCs\"\nkind = \"purchasing\"\ncycle_years = -4\n"
            ),
            55,
        ),
        (
            "negative_exponent",
            format!(
                "{BASE}\n[[components]]\nname = \"Infra\"\nkind = \"infrastructure\"\nexponent = -5\n"
            ),
            55,
        ),
        (
            "exponent_distribution_beyond_range",
            format!(
                "{BASE}\n[[components]]\nname = \"Staff\"\nkind = \"staffing\"\nexponent = {{ dist = \"triangular\", min = 0.8, mode = 1.2, max = 1.8 }}\n"
            ),
            55,
        ),
        (
            "parameter_for_months_below_zero",
            format!("{BASE}\n[transition]\nparallel_months = \"cost_per_user\"\n").replacen(
                "min = 7000, mode = 9500",
                "min = -7000, mode = 9500",
                1,
            ),
            // A field that names a parameter is refused where the parameter is written.
            14,
        ),
        (
            "zero_asset_life",
            format!("{BASE}\n[assets]\nlife = 0\n"),
            53,
        ),
        (
            "division_by_fixed_zero",
            mutate("per = { users = 6000 }", "per = { users = \"6000 / 0\" }"),
            36,
        ),
        (
            "division_by_parameter_fixed_at_zero",
            mutate(
                "per = { users = 6000 }",
                "per = { users = \"6000 / none\" }",
            )
            .replacen("[parameters]\n", "[parameters]\nnone = 0\n", 1),
            37,
        ),
        (
            "several_problems_at_once",
            mutate("horizon_years = 5", "horizon = 5")
                .replacen("dist = \"pert\"", "dist = \"pret\"", 1)
                .replacen("rule = \"equal\"", "rule = \"equals\"", 1),
            3,
        ),
    ]
}

#[test]
fn every_mistake_is_reported_at_its_line() {
    let cases = cases();
    assert!(cases.len() >= 15);
    let mut wrong = Vec::new();
    for (name, text, line) in cases {
        let outcome = std::panic::catch_unwind(|| parse(&text));
        let Ok(result) = outcome else {
            panic!("case `{name}` panicked")
        };
        let Err(diagnostics) = result else {
            panic!("case `{name}` was accepted")
        };
        let first = &diagnostics.0[0];
        if first.line != line {
            wrong.push(format!(
                "case `{name}` points at line {} instead of {line}:\n{diagnostics}",
                first.line
            ));
        }
        assert_eq!(first.file, "test.toml");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn several_problems_are_reported_together() {
    let text = mutate("horizon_years = 5", "horizon = 5").replacen(
        "dist = \"pert\"",
        "dist = \"pret\"",
        1,
    );
    let diagnostics = parse(&text).unwrap_err();
    assert_eq!(diagnostics.0.len(), 2, "{diagnostics}");
    assert!(
        diagnostics.0[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("did you mean `horizon_years`")
    );
}

#[test]
fn base_scenario_is_valid() {
    let scenario = parse(BASE).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(scenario.model.n_members(), 3);
    assert_eq!(scenario.keys.len(), 3);
}
