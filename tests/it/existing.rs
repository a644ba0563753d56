//! An existing cooperation deciding whether to admit others (docs/MODEL.md §10c): closed forms
//! on scenarios whose costs are computed by hand, the identity with a plain scenario where the
//! existing pool's costs are those of going alone, located errors, and the example scenario.

use crate::parse;

/// Three members, costs in lines only, no discounting, three years 2026–2028, the newcomer in
/// from 2027. 1517 and 1514 cooperate today under the agreed key, 0.5 : 0.3 among them, i.e.
/// 0.625 and 0.375; 1516 runs its ICT alone at 100 a year.
const THREE: &str = r#"name = "An existing pool of two admitting a third"
first_year = 2026
horizon_years = 3
operation_start = 2027
discount_rate = 0.0
members = ["1517", "1514", "1516"]

[existing]
members = ["1517", "1514"]
key = "agreed"

[[lines]]
name = "Own operations"
occurs = "alone"
basis = "per_member"
fixed = 100

[[lines]]
name = "Shared operations"
occurs = "together"
fixed = 150

[[lines]]
name = "Member fee"
occurs = "together"
basis = "per_member"
fixed = 10

[[lines]]
name = "Admission project"
category = "startup"
occurs = "together"
year = 2026
fixed = 60

[[lines]]
name = "Moving in"
category = "startup"
occurs = "together"
basis = "per_member"
year = 2026
fixed = 20

[[keys]]
name = "equal"
rule = "equal"

[[keys]]
name = "agreed"
rule = "fixed"
shares = { "1517" = 0.5, "1514" = 0.3, "1516" = 0.2 }
"#;

/// Staying as is, 1517 pays 0.625 · 150 + 10 = 103.75 a year and 1514 0.375 · 150 + 10 = 66.25
/// (3 years: 311.25 and 198.75); 1516 pays 100 alone (300). The pool's own start-up is sunk, so
/// "Moving in" falls on 1516 only; the admission project (60) is shared by the key.
///
/// Equal key: 2026 (before the newcomer is in): 1517 93.75 + 10 + 60/3 = 123.75, 1514
/// 56.25 + 10 + 20 = 86.25, 1516 100 + 20 + 20 = 140; 2027 and 2028: 150/3 + 10 = 60 each.
/// Totals 243.75, 206.25, 260: NPVs 67.5, −7.5, 40.
///
/// Agreed key 0.5/0.3/0.2: 2026: 93.75 + 10 + 30 = 133.75, 56.25 + 10 + 18 = 84.25,
/// 100 + 20 + 12 = 132; then 85, 55 and 40 a year. Totals 303.75, 194.25, 212: NPVs 7.5, 4.5,
/// 88. The region: 810 staying as is against 710, 100 under every key.
///
/// With `integration_cost = 5`, each existing member pays 5 more itself in 2026, under every
/// key: 62.5, −12.5, 40 and 2.5, −0.5, 88; the region 90.
#[test]
fn admitting_a_third_member_by_hand() {
    crate::assert_all_close(
        &crate::npvs_at_medians(THREE),
        &[67.5, -7.5, 40.0, 7.5, 4.5, 88.0, 100.0],
    );
    let integration = THREE.replace(
        "key = \"agreed\"\n",
        "key = \"agreed\"\nintegration_cost = 5\n",
    );
    crate::assert_all_close(
        &crate::npvs_at_medians(&integration),
        &[62.5, -12.5, 40.0, 2.5, -0.5, 88.0, 90.0],
    );
}

/// Four members: 1517 and 1514 (1,000 inhabitants each) cooperate today, 1516 (2,000) and
/// 1515 (1,000) would join from 2027. One component: servers at `cost(D) = 100 + 0.1 · D` a
/// year for `D` inhabitants (exponent 1), pooled from 2027; parallel operation of 6 months at
/// half the old cost, each member its own; a pooled project of 40 and a move of 10 per
/// newcomer in 2026. Today's key shares the pool 0.4 : 0.2, i.e. 2/3 and 1/3.
const FOUR: &str = r#"name = "An existing pool of two admitting two"
first_year = 2026
horizon_years = 3
operation_start = 2027
discount_rate = 0.0
members = [
  { id = "1517", population = 1000 },
  { id = "1514", population = 1000 },
  { id = "1516", population = 2000 },
  { id = "1515", population = 1000 },
]

[existing]
members = ["1517", "1514"]
key = "agreed"

[[components]]
name = "Servers"
kind = "infrastructure"
driver = "population"
fixed = 100
unit_cost = 0.1
reference = 1000
exponent = 1.0

[organisation]
model = "host"
governance = 0

[transition]
parallel_months = 6
parallel_share = 0.5

[[lines]]
name = "Admission project"
category = "startup"
occurs = "together"
year = 2026
fixed = 40

[[lines]]
name = "Moving in"
category = "startup"
occurs = "together"
basis = "per_member"
year = 2026
fixed = 10

[[keys]]
name = "population"
rule = "proportional"
driver = "population"

[[keys]]
name = "agreed"
rule = "fixed"
shares = { "1517" = 0.4, "1514" = 0.2, "1516" = 0.3, "1515" = 0.1 }
"#;

/// Alone: 200, 200, 300 and 200 a year. Staying as is, the pool of 1517 and 1514 costs
/// 100 + 0.1 · 2,000 = 300 a year, 200 and 100 by today's key (3 years: 600, 300); the
/// newcomers' baselines are 900 and 600. Admitted, the pool costs 100 + 0.1 · 5,000 = 600 a
/// year from 2027; in 2027 the newcomers' old servers run on at 0.5 · 6/12 of their cost alone,
/// 75 and 50 (the existing members have none left to run).
///
/// Population key 0.2/0.2/0.4/0.2: 2026: 200 + 8, 100 + 8, 300 + 10 + 16, 200 + 10 + 8; 2027:
/// 120, 120, 240 + 75, 120 + 50; 2028: 120, 120, 240, 120. Totals 448, 348, 881, 508: NPVs 152,
/// −48, 19, 92.
///
/// Agreed key 0.4/0.2/0.3/0.1: 2026: 216, 108, 322, 214; 2027: 240, 120, 255, 110; 2028: 240,
/// 120, 180, 60. Totals 696, 348, 757, 384: NPVs −96, −48, 143, 216. The region: 2,400 against
/// 2,185, 215 under both keys.
#[test]
fn admitting_two_members_with_a_component_by_hand() {
    crate::assert_all_close(
        &crate::npvs_at_medians(FOUR),
        &[152.0, -48.0, 19.0, 92.0, -96.0, -48.0, 143.0, 216.0, 215.0],
    );
}

/// Mistakes in `[existing]`, located at the field with the fix.
#[test]
fn mistakes_in_existing_are_reported_at_their_field() {
    let cases = [
        (
            "existing_unknown_member",
            "[existing]\nmembers = [\"1517\", \"1511\"]\n",
        ),
        ("existing_one_member", "[existing]\nmembers = [\"1517\"]\n"),
        (
            "existing_every_member",
            "[existing]\nmembers = [\"1517\", \"1514\", \"1515\"]\n",
        ),
        (
            "existing_unknown_key",
            "[existing]\nmembers = [\"1517\", \"1514\"]\nkey = \"agred\"\n",
        ),
        (
            "existing_twice",
            "[existing]\nmembers = [\"1517\", \"1517\"]\n",
        ),
        (
            "existing_negative_integration_cost",
            "[existing]\nmembers = [\"1517\", \"1514\"]\nintegration_cost = -1\n",
        ),
    ];
    let base_lines = crate::BASE.lines().count();
    for (name, section) in cases {
        let text = format!("{}\n{section}", crate::BASE);
        let diagnostics = parse(&text).expect_err(name);
        let line = diagnostics.0[0].line;
        assert!(
            (base_lines + 2..=base_lines + 4).contains(&line),
            "{name}: line {line}: {diagnostics}"
        );
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}

/// `[existing]` with events, with a game-theoretic key as today's key or among the keys to
/// compare, with a key per component and with a component pooled later: each refused with the
/// fix.
#[test]
fn what_existing_cannot_be_combined_with_is_refused() {
    let pool = "[existing]\nmembers = [\"1517\", \"1514\"]\n";
    let events = format!(
        "{}\n{pool}\n[[events]]\nkind = \"leave\"\nmember = \"1515\"\nyear = 2029\n",
        crate::BASE
    );
    let game = format!(
        "{}\n{pool}\n[[keys]]\nname = \"Shapley\"\nrule = \"shapley\"\n",
        crate::BASE
    );
    let game_as_today = format!(
        "{}\n{pool}key = \"Shapley\"\n[[keys]]\nname = \"Shapley\"\nrule = \"shapley\"\n",
        crate::BASE
    );
    let later = FOUR.replace("exponent = 1.0\n", "exponent = 1.0\npooled_from = 2028\n");
    let per_component = format!(
        "{}\n{pool}\n[[keys]]\nname = \"per service\"\nrule = \"by_component\"\ndefault = {{ rule = \"equal\" }}\n[keys.lines]\n\"Shared operations\" = {{ rule = \"proportional\", driver = \"population\" }}\n",
        crate::BASE
    );
    for (name, text, needle) in [
        ("events", events, "[[events]] cannot be combined"),
        ("game key", game, "game-theoretic keys cannot be used"),
        ("game key today", game_as_today, "is a game-theoretic key"),
        ("pooled later", later, "is pooled from 2028"),
        (
            "key per component",
            per_component,
            "keys per component cannot be used with [existing]: per service",
        ),
    ] {
        let diagnostics = parse(&text).expect_err(name).to_string();
        assert!(diagnostics.contains(needle), "{name}: {diagnostics}");
    }
}

/// The example: Hamar and Stange cooperate today, Ringsaker decides whether to join. The
/// summary says who is in and what each compares; the report, the workbook and the terminal
/// say in words who would want to admit or join under the key to consider first, with the
/// numbers of `summary.json`; the checks that count on one membership are left out; the
/// members' NPVs add up to the region's.
#[test]
fn the_hamar_example_says_who_would_admit_and_who_would_join() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let dir = tempfile::tempdir().unwrap();
    let run = |lang: &str, out: &std::path::Path| {
        crate::succeed(
            std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
                .args([
                    "run",
                    "scenarios/hamar-region-existing.toml",
                    "--draws",
                    "300",
                ])
                .args(["--sobol", "0", "--lang", lang, "--out"])
                .arg(out),
        );
    };
    run("en", dir.path());
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&read("summary.json")).unwrap();
    let existing = &summary["scenario"]["existing"];
    assert_eq!(existing["members"], serde_json::json!(["3403", "3413"]));
    assert_eq!(existing["newcomers"], serde_json::json!(["3411"]));
    assert_eq!(existing["key"], "agreed shares");
    assert_eq!(
        existing["comparison"],
        serde_json::json!([
            "admit_vs_stay_as_is",
            "join_vs_stay_alone",
            "admit_vs_stay_as_is"
        ])
    );
    // Today's shares: 0.36 and 0.24 of the agreement, renormalised over the two.
    let today = existing["shares_today"].as_array().unwrap();
    assert!((today[0].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert!((today[2].as_f64().unwrap() - 0.4).abs() < 1e-12);
    assert_eq!(summary["scenario"]["stability_draws"], 0);
    assert!(summary["municipal_accounts"].is_null());
    assert!(!dir.path().join("explorer.html").exists());
    let first = summary["recommendation"]["key"].as_str().unwrap();
    let key = summary["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == first)
        .unwrap();
    let member = |id: &str| {
        key["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    let (hamar, ringsaker) = (member("3403"), member("3411"));
    let words = |m: &serde_json::Value, yes: &str, no: &str, what: &str| {
        let verb = if m["p_win"].as_f64().unwrap() > 0.5 {
            yes
        } else {
            no
        };
        format!(
            "{verb} {what}, its net benefit is {}",
            samkost::report::lang::Lang::En.nok(m["npv_net_benefit"]["p50"].as_f64().unwrap())
        )
    };
    let hamar_words = words(
        &hamar,
        "Hamar (3403) would want to admit",
        "Hamar (3403) would not want to admit",
        "Ringsaker (3411): against staying as it is",
    );
    let ringsaker_words = words(
        &ringsaker,
        "Ringsaker (3411) would want to",
        "Ringsaker (3411) would not want to",
        "join: against running its ICT alone",
    );
    let html = read("report.html");
    let section = html.split("<section id=\"existing\">").nth(1).unwrap();
    assert!(section.contains(&hamar_words), "{section}");
    assert!(section.contains(&ringsaker_words), "{section}");
    // The case summary says who cooperates today, and each member's page where it ends.
    let case = read("saksframlegg.html");
    assert!(case.contains("Hamar (3403) and Stange (3413) already cooperate"));
    assert!(case.contains(&hamar_words), "{case}");
    assert!(read("saksframlegg-3411.html").contains(&ringsaker_words));
    let bytes = std::fs::read(dir.path().join("samkost.xlsx")).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Existing cooperation").unwrap();
    assert_eq!(sheet.get((2, 0)), Some(&Data::String("3403".into())));
    assert_eq!(
        sheet.get((2, 4)),
        Some(&Data::Float(
            hamar["npv_net_benefit"]["p50"].as_f64().unwrap()
        ))
    );
    assert_eq!(
        sheet.get((3, 2)),
        Some(&Data::String("join vs stay alone".into()))
    );
    // The members' NPVs add up to the region's, under every key.
    let region = summary["region"]["npv_net_benefit"]["mean"]
        .as_f64()
        .unwrap();
    for k in summary["keys"].as_array().unwrap() {
        let sum: f64 = k["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["npv_net_benefit"]["mean"].as_f64().unwrap())
            .sum();
        assert!(crate::close(sum, region), "{sum} {region}");
    }
    // In Norwegian, and in the terminal.
    let nb = tempfile::tempdir().unwrap();
    run("nb", nb.path());
    let html = std::fs::read_to_string(nb.path().join("report.html")).unwrap();
    assert!(html.contains("Et eksisterende samarbeid som vurderer nye medlemmer"));
    let terminal = crate::succeed(
        std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args([
                "run",
                "scenarios/hamar-region-existing.toml",
                "--draws",
                "200",
            ])
            .args(["--sobol", "0"]),
    );
    let text = String::from_utf8(terminal.stdout).unwrap();
    assert!(
        text.contains("An existing cooperation deciding on new members:"),
        "{text}"
    );
}

/// `samkost design` and `samkost game` refuse a scenario with `[existing]` with the fix: both
/// count on every coalition starting from nothing (docs/MODEL.md §10c).
#[test]
fn design_and_game_refuse_an_existing_cooperation() {
    for args in [
        vec![
            "design",
            "scenarios/hamar-region-existing.toml",
            "--draws",
            "50",
        ],
        vec!["game", "scenarios/hamar-region-existing.toml"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("remove [existing]"), "{args:?}: {stderr}");
    }
}

/// The platform (§4b) with an existing pool: [`THREE`] over four years (2026–2029) with 1,000
/// inhabitants per member and equipment at a replacement cost of 90 NOK per inhabitant over a
/// life of three years, spread over three vintages (30 NOK per inhabitant replaced every year
/// alone), a platform at half the replacement cost, nothing recovered on sale and no residual
/// value. Alone, 1516 replaces 30,000 a year (120,000 in four years). Staying as is, the pool's
/// platform of 1517 and 1514, 0.5 · 90 · 2,000 = 90,000, is replaced in 2029 (its cycle starts
/// in 2026), 56,250 and 33,750 by today's key. Admitted, the pool's part keeps that cycle and is
/// replaced in 2029 too, while 1516's part, bought by the project (not charged here), would be
/// replaced in 2030, after the horizon; 1516 still replaces its own 30,000 in 2026, before it is
/// in. Equal key: each pays a third of 90,000. What the assets add to the NPVs: 56,250 − 30,000,
/// 33,750 − 30,000 and 120,000 − 30,000 − 30,000; the region 210,000 − 120,000. (A pool whose
/// cycle started at admission would replace nothing within the horizon, and a newcomer's part
/// on the pool's cycle would add 45,000 in 2029.)
#[test]
fn the_pools_platform_keeps_its_cycle_and_the_newcomers_part_starts_at_admission() {
    let members = "members = [\"1517\", \"1514\", \"1516\"]\n";
    let sized = "members = [\n  { id = \"1517\", population = 1000 },\n  { id = \"1514\", population = 1000 },\n  { id = \"1516\", population = 1000 },\n]\n";
    let base = THREE
        .replace(members, sized)
        .replace("horizon_years = 3", "horizon_years = 4");
    let assets = "\n[assets]\nbook_value = 100\nvintages = \"spread\"\nreplacement = 90\nlife = 3\nresale_share = 0\npooled_replacement_share = 0.5\nresidual_value = false\n";
    let with = crate::npvs_at_medians(&format!("{base}{assets}"));
    let without = crate::npvs_at_medians(&base);
    let added: Vec<f64> = with.iter().zip(&without).map(|(w, o)| w - o).collect();
    crate::assert_all_close(&added[..3], &[26_250.0, 3_750.0, 60_000.0]);
    assert!((added[6] - 90_000.0).abs() < 1e-6, "{added:?}");
}

/// Staff held under a transfer of undertaking (§4c) with an existing pool: three members of
/// 1,000 inhabitants, each needing 2 FTE alone (the critical mass), 1 FTE per 1,000
/// inhabitants pooled above it; an FTE costs `W` = 1,000 · 1.141 (zone I) a year. Staying as
/// is, the pool of 1517 and 1514 employs 2 FTE (its curve), `W` each by the equal key; 1516
/// employs 2 alone. Admitted from 2027, the IKS needs 3 FTE but holds the pool's 2 and the 2
/// that 1516 transfers: 4 in 2027, and 2 + 2 · 0.5 = 3 in 2028 after attrition of 50 %. The
/// staff one-off of 3 % falls on 1516's third of the transferred staff (2 of 6 FTE alone):
/// 0.03 · 4W / 3. With the equal key: 1517 pays W + (4W + 0.04W)/3 + W against 3W, an NPV of
/// −W/3 − 0.04W/3; 1516 pays 2W + (4W + 0.04W)/3 + W against 6W, 5W/3 − 0.04W/3; the region
/// W − 0.04W. (Had the pool's staff counted as transferred, the IKS would hold 6 FTE in 2027.)
#[test]
fn only_the_newcomers_staff_are_held_above_the_curve() {
    let w = 1000.0 * 1.141;
    let one_off = 0.03 * 4.0 * w / 3.0;
    let a = -w / 3.0 - one_off / 3.0;
    let c = 5.0 * w / 3.0 - one_off / 3.0;
    let got = crate::npvs_at_medians(STAFF);
    assert_eq!(got.len(), 4);
    for (g, want) in got.iter().zip([a, a, c, w - one_off]) {
        assert!((g - want).abs() < 1e-6, "{got:?} vs {want}");
    }
}

const STAFF: &str = r#"name = "Staff held"
first_year = 2026
horizon_years = 3
operation_start = 2027
discount_rate = 0.0
members = [
  { id = "1517", population = 1000, payroll_zone = "I" },
  { id = "1514", population = 1000, payroll_zone = "I" },
  { id = "1516", population = 1000, payroll_zone = "I" },
]

[existing]
members = ["1517", "1514"]
key = "equal"

[[components]]
name = "IT staff"
kind = "staffing"
driver = "population"
critical_mass = 2
fte_at_reference = 1
reference = 1000
exponent = 1
salary = 1000
premium_max = 0
retained_share = 0
retained_floor = 0

[organisation]
model = "iks"
employer_zone = "I"
board = 0
audit = 0
accounts = 0
owner_control = 0
pay_levelling = 0
pension_premium_change = 0
pension_one_off = 0.03
attrition_rate = 0.5

[transition]
parallel_months = 0

[[keys]]
name = "equal"
rule = "equal"
"#;
