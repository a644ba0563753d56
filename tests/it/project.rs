//! The start-up project broken down (`[project]`, docs/MODEL.md §4b): each line against its
//! closed form on a two-member scenario with every input fixed.

use samkost_core::model::{Category, CoalitionFlows, DrawValues, Scratch};

use crate::parse;

/// Two members with 1,000 and 3,000 users, a project over 2026–2027, shared operation from
/// 2028, every project input fixed.
const TINY: &str = r#"name = "Project by hand"
first_year = 2026
horizon_years = 4
operation_start = 2028
discount_rate = 0.04

[[members]]
id = "1517"
population = 10000
drivers = { users = 1000 }

[[members]]
id = "1514"
population = 30000
drivers = { users = 3000 }

[drivers]
users = { per_inhabitant = 0.1 }

[[lines]]
name = "Operations"
occurs = "always"
basis = "per_member"
per = { users = 9000 }

[project]
hourly_cost = 600
own_hours = 2000
own_hours_per_user = 0.5
systems = 10
conversion_per_system = 50000
conversion_per_user = 20
training_hours = 3
course_per_user = 400
consulting = 1000000
consulting_per_user = 300
overrun = 1.5

[[keys]]
name = "equal"
rule = "equal"
"#;

fn values(text: &str) -> (samkost::scenario::Scenario, DrawValues) {
    let scenario = parse(text).unwrap();
    let v = crate::at_medians(&scenario.model);
    (scenario, v)
}

fn flows(
    scenario: &samkost::scenario::Scenario,
    v: &DrawValues,
    s: &[usize],
    t: usize,
) -> CoalitionFlows {
    let mut out = CoalitionFlows::default();
    scenario
        .model
        .coalition_flows(v, s, t, &mut Scratch::default(), &mut out);
    out
}

/// Each line by hand, overrun 1.5, two project years (2026, 2027):
/// - own staff time per member and year: (2,000 h + 0.5 h × users) × 600 NOK × 1.5 / 2;
/// - data conversion per member and year: (10 × 50,000 + 20 × users) × 1.5 / 2;
/// - training, in the last project year only: users × (3 h × 600 + 400) × 1.5;
/// - consulting, pooled, per year: (1,000,000 + 300 × all users) × 1.5 / 2.
#[test]
fn each_project_line_matches_its_closed_form() {
    let (scenario, v) = values(TINY);
    let users = [1000.0, 3000.0];
    let own = |u: f64| (2000.0 + 0.5 * u) * 600.0 * 1.5 / 2.0;
    let conversion = |u: f64| (10.0 * 50_000.0 + 20.0 * u) * 1.5 / 2.0;
    let training = |u: f64| u * (3.0 * 600.0 + 400.0) * 1.5;
    let consulting = (1_000_000.0 + 300.0 * 4000.0) * 1.5 / 2.0;
    let start = Category::StartUp.index();
    for (t, last_project_year) in [(0, false), (1, true)] {
        let f = flows(&scenario, &v, &[0, 1], t);
        for (pos, &u) in users.iter().enumerate() {
            let expected =
                own(u) + conversion(u) + if last_project_year { training(u) } else { 0.0 };
            let got = f.direct[start][pos];
            assert!(
                (got - expected).abs() < 1e-6,
                "year {t}, member {pos}: {got} vs {expected}"
            );
        }
        assert!(
            (f.pooled[start] - consulting).abs() < 1e-6,
            "{}",
            f.pooled[start]
        );
    }
    // Member 1517 written out: (2,000 + 500) h × 600 × 1.5 / 2 and 1,000 × 2,200 × 1.5.
    assert!((own(1000.0) - 1_125_000.0).abs() < 1e-9);
    assert!((training(1000.0) - 3_300_000.0).abs() < 1e-9);
    // No project cost once the cooperation operates, and none for a member alone.
    for t in 2..4 {
        let f = flows(&scenario, &v, &[0, 1], t);
        assert_eq!(f.pooled[start], 0.0);
        assert_eq!(f.direct[start], vec![0.0, 0.0]);
    }
    for t in 0..4 {
        for i in 0..2 {
            let f = flows(&scenario, &v, &[i], t);
            assert_eq!(f.direct[start], vec![0.0]);
        }
    }
}

/// Without `start`/`end` the project runs in the years before `operation_start`; with
/// `start = end` it is one year and nothing is halved.
#[test]
fn the_project_years_default_to_the_years_before_operation() {
    let (scenario, _) = values(TINY);
    let lines: Vec<_> = scenario
        .model
        .lines
        .iter()
        .filter(|l| l.name.starts_with("Project: "))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].years, (0, 1));
    assert_eq!(lines[2].years, (1, 1), "training in the last project year");
    let one_year = TINY.replace("overrun = 1.5", "overrun = 1.5\nstart = 2027\nend = 2027");
    let (scenario, v) = values(&one_year);
    let f = flows(&scenario, &v, &[0, 1], 1);
    let consulting = (1_000_000.0 + 300.0 * 4000.0) * 1.5;
    assert!((f.pooled[Category::StartUp.index()] - consulting).abs() < 1e-6);
    assert_eq!(flows(&scenario, &v, &[0, 1], 0).pooled, [0.0, 0.0]);
}

/// The defaults are the distributions docs/MODEL.md §4b documents, each an inline input of
/// its own, and the overrun factor is the default of §7.
#[test]
fn the_defaults_are_the_documented_distributions() {
    let text = TINY.split("[project]").next().unwrap().to_owned()
        + "[project]\n\n[[keys]]\nname = \"equal\"\nrule = \"equal\"\n";
    let scenario = parse(&text).unwrap();
    let find = |field: &str| {
        scenario
            .model
            .parameters
            .iter()
            .find(|p| p.origin.as_ref().is_some_and(|o| o.field == field))
            .unwrap_or_else(|| panic!("an input for {field}"))
    };
    for (field, min, mode, max) in [
        ("hourly_cost", 450.0, 550.0, 700.0),
        ("own_hours", 500.0, 1000.0, 2000.0),
        ("own_hours_per_user", 0.25, 0.5, 1.0),
        ("systems", 5.0, 10.0, 15.0),
        ("conversion_per_system", 30_000.0, 60_000.0, 120_000.0),
        ("training_hours", 1.0, 2.0, 4.0),
        ("course_per_user", 150.0, 300.0, 600.0),
        ("consulting", 1e6, 2e6, 4e6),
        ("consulting_per_user", 200.0, 400.0, 800.0),
    ] {
        let d = &find(field).distribution;
        assert_eq!(d.kind_name(), "triangular", "{field}");
        // Triangular mean (min + mode + max) / 3.
        assert!(
            (d.mean() - (min + mode + max) / 3.0).abs() < 1e-9 * max,
            "{field}"
        );
        assert_eq!(d.support(), (min, max), "{field}");
    }
    let overrun = &find("overrun").distribution;
    assert_eq!(overrun.kind_name(), "overrun");
    assert_eq!(overrun.support(), (0.85, 6.0));
}

/// Amounts that cannot be negative are refused at their line with the fix; a line of
/// [[lines]] with a project line's name is refused; an undeclared driver is named.
#[test]
fn bad_project_inputs_are_refused_where_they_are_written() {
    let negative = TINY.replace("own_hours = 2000", "own_hours = -2000");
    let err = parse(&negative).unwrap_err().to_string();
    assert!(err.contains("own_hours") && err.contains("≥ 0"), "{err}");
    let clash = TINY.replace(
        "name = \"Operations\"",
        "name = \"Project: data conversion\"",
    );
    let err = parse(&clash).unwrap_err().to_string();
    assert!(
        err.contains("Project: data conversion") && err.contains("rename"),
        "{err}"
    );
    let driver = TINY.replace("overrun = 1.5", "overrun = 1.5\ndriver = \"seats\"");
    let err = parse(&driver).unwrap_err().to_string();
    assert!(
        err.contains("`seats`") && err.contains("[drivers]"),
        "{err}"
    );
    let late = TINY.replace("overrun = 1.5", "overrun = 1.5\nend = 2031");
    let err = parse(&late).unwrap_err().to_string();
    assert!(
        err.contains("2031") && err.contains("outside the horizon"),
        "{err}"
    );
}
