//! The budget and socio-economic views (docs/MODEL.md §6d) against closed forms: a service
//! gain's value, realised share and delay discounted by hand; the tax-financing cost; the VAT
//! and fee-financed terms against the municipal accounts' yearly differences discounted (a
//! second method); an uncertain realisation share against its distribution's mean, standard
//! error and quantile function (the views' P10/P50/P90, stored and sketched); identities on the
//! default scenario (percentiles and core stability equal to the cash view's where the views
//! coincide); core stability in a view against a closed-form probability; the report's
//! section against `summary.json`; mistakes in `[[gains]]` at their line.

use std::process::Command;

use serde_json::Value;

use crate::{numbers, parse};

/// Three members, 100,000 NOK a year saved by each from 2026 to 2029 (400,000 alone, a third
/// of 900,000 together, equal key), `vat` and `gains` as given.
fn scenario(rest: &str) -> String {
    format!(
        r#"name = "Views"
first_year = 2026
horizon_years = 4
operation_start = 2026
discount_rate = 0.04
members = ["1517", "1514", "1515"]

[drivers]
users = {{ per_inhabitant = 0.09 }}

[[lines]]
name = "Own purchases"
occurs = "alone"
basis = "per_member"
fixed = 400000

[[lines]]
name = "Operated together"
occurs = "together"
fixed = 900000

[[keys]]
name = "equal"
rule = "equal"

{rest}
"#
    )
}

fn run(text: &str, draws: &str) -> Value {
    crate::run_json(text, &["--stability-draws", "0", "--draws", draws])
}

/// `Σ_{t=from}^{3} 1.04^−(t+1)`: end-of-year discount factors at 4 % (docs/MODEL.md §1).
fn annuity(from: i32) -> f64 {
    (from..4).map(|t| 1.04f64.powi(-(t + 1))).sum()
}

fn mean(view: &Value) -> f64 {
    view["mean"].as_f64().unwrap()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// 1,000 hours a year at 500 NOK in each member from 2026: a value of 500,000 a year, all of
/// it a resource gain; half of it taken out of the budget from one year later. By hand, with
/// `a(k)` the discount factors of years k…3: cash NPV `100,000·a(0)`; budget NPV `cash +
/// 0.5·500,000·a(1)`; socio-economic NPV `cash + 500,000·a(0) + 0.2·(cash + 0.5·500,000·a(1))`.
#[test]
fn a_service_gain_is_valued_realised_after_its_delay_and_taxed_at_twenty_percent() {
    let json = run(
        &scenario(
            "[vat]\nnon_compensable = 0\nfee_financed = 0\n\n[[gains]]\nname = \"Case work\"\nhours = 1000\nhourly_cost = 500\nrealisation = 0.5\ndelay = 1",
        ),
        "20",
    );
    let v = &json["npv_views"];
    assert_eq!(v["tax_financing_cost"], 0.2);
    let key = &v["keys"][0];
    let cash = 100_000.0 * annuity(0);
    let realised = 0.5 * 500_000.0 * annuity(1);
    for m in key["members"].as_array().unwrap() {
        assert!(near(mean(&m["cash"]), cash), "{m}");
        assert!(near(mean(&m["budget"]), cash + realised), "{m}");
        let socio = cash + 500_000.0 * annuity(0) + 0.2 * (cash + realised);
        assert!(near(mean(&m["socioeconomic"]), socio), "{m}");
    }
    assert!(near(
        mean(&key["region"]["budget"]),
        3.0 * (cash + realised)
    ));
}

/// With no start-up line nothing is capitalised, so the municipal accounts' yearly
/// difference (alone − cooperation, with VAT not compensated and fee-financed costs, §6c)
/// discounted is the budget NPV without service gains: two computations of the same figure.
/// By hand for a member with 10 % non-compensable and 20 % fee-financed costs:
/// `0.8·cash + 0.25·0.1·(400,000 − 900,000/3)·a(0)`.
#[test]
fn the_budget_npv_is_the_accounts_difference_discounted() {
    let json = run(
        &scenario("[vat]\nnon_compensable = 0.1\nfee_financed = 0.2"),
        "20",
    );
    let key = &json["npv_views"]["keys"][0];
    let accounts = &json["municipal_accounts"]["keys"][0]["members"];
    for (i, m) in key["members"].as_array().unwrap().iter().enumerate() {
        let difference = numbers(&accounts[i]["difference"]);
        let discounted: f64 = (0..4)
            .map(|t| difference[t] * 1.04f64.powi(-(t as i32 + 1)))
            .sum();
        assert!(near(mean(&m["budget"]), discounted), "{m} vs {discounted}");
        let cash = 100_000.0 * annuity(0);
        let by_hand = 0.8 * cash + 0.25 * 0.1 * 100_000.0 * annuity(0);
        assert!(near(mean(&m["budget"]), by_hand), "{m} vs {by_hand}");
    }
}

/// An uncertain realisation share Tri(0.2, 0.5, 0.9) (the documented default): the budget NPV
/// is `cash + r·V` with `V = 500,000·a(1)`, so its mean is `cash + E[r]·V` with `E[r] =
/// (0.2 + 0.5 + 0.9)/3` and its standard error `sd(r)·V/√R` with `sd(r)² = (a² + b² + c² −
/// ab − ac − bc)/18`; with 4,000 draws the mean must lie within four standard errors, and the
/// reported standard error within 4 % of the formula's: four relative standard errors of a
/// sample standard deviation, `√((κ − 1)/4R) ≈ 0.94 %` with the triangular kurtosis `κ = 2.4`.
#[test]
fn an_uncertain_realisation_share_is_averaged_over_the_draws() {
    let json = run(
        &scenario(
            "[vat]\nnon_compensable = 0\nfee_financed = 0\n\n[[gains]]\nname = \"Case work\"\nhours = 1000\nhourly_cost = 500",
        ),
        "4000",
    );
    let m = &json["npv_views"]["keys"][0]["members"][0];
    let (a, c, b) = (0.2f64, 0.5f64, 0.9f64);
    let sd = ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt();
    let value = 500_000.0 * annuity(1);
    let cash = 100_000.0 * annuity(0);
    let se = sd * value / 4000f64.sqrt();
    let expected = cash + (a + b + c) / 3.0 * value;
    let got = mean(&m["budget"]);
    assert!(
        (got - expected).abs() < 4.0 * se,
        "{got} vs {expected} ± {se}"
    );
    let reported = m["budget"]["mean_se"].as_f64().unwrap();
    assert!((reported / se - 1.0).abs() < 0.04, "{reported} vs {se}");
}

/// Without service gains, VAT or fee-financed costs, the budget view is the cash view draw by
/// draw (same means, same probabilities, every key) and the socio-economic NPV is 1.2 times
/// the cash NPV: the default scenario through the whole run.
#[test]
fn without_gains_vat_or_fees_the_views_are_the_cash_view_and_its_tax_cost() {
    let text = format!(
        "{}\n[vat]\nnon_compensable = 0\nfee_financed = 0\n",
        samkost::scenario::DEFAULT_SCENARIO
    );
    let json = run(&text, "300");
    for key in json["npv_views"]["keys"].as_array().unwrap() {
        let p = &key["p_all_win_by_view"];
        assert_eq!(p["budget"], p["cash"], "{}", key["name"]);
        for m in key["members"].as_array().unwrap() {
            let cash = mean(&m["cash"]);
            assert!(near(mean(&m["budget"]), cash), "{m}");
            assert!(near(mean(&m["socioeconomic"]), 1.2 * cash), "{m}");
            assert_eq!(m["budget"]["p_win"], m["cash"]["p_win"]);
        }
    }
}

/// 1,000 hours a year at 500 NOK in each member, realised at once with an uncertain share
/// `r ~ Tri(0.2, 0.5, 0.9)`, over 2,000 draws. With `a = a(0)`, cash `C = 100,000·a` and the
/// gain `V = 500,000·a` fixed, a member's budget NPV is `C + r·V` and its socio-economic NPV
/// `C + V + 0.2·(C + r·V)`, both increasing in `r`, so their percentiles are those of `r`:
/// - against the closed form: `Q_r(p) = 0.2 + √(0.21·p)` below the mode (`F(0.5) = 3/7`),
///   `0.9 − √(0.28·(1 − p))` above, giving 0.34491, 0.52583, 0.73267 for P10, P50, P90,
///   within four standard errors of a sample quantile, `√(p(1−p)/R) / f(Q_r(p))` with the
///   density `f = 2(x − 0.2)/0.21` below the mode and `2(0.9 − x)/0.28` above;
/// - against each other (a second computation on the same draws, up to rounding): the
///   socio-economic P_q is `C + V + 0.2·budget P_q`, and the region's (three equal members) is
///   three times a member's;
/// - a run that keeps no draws (`--max-stored-draws 100`) reads them from its quantile
///   sketches, within 0.2 % (0.1 % relative accuracy, plus the gap to a neighbouring order
///   statistic, about 0.07 % of P10 here).
#[test]
fn the_views_percentiles_follow_the_realisation_shares_distribution() {
    let text = scenario(
        "[vat]\nnon_compensable = 0\nfee_financed = 0\n\n[[gains]]\nname = \"Case work\"\nhours = 1000\nhourly_cost = 500\ndelay = 0\nrealisation = { dist = \"triangular\", min = 0.2, mode = 0.5, max = 0.9 }",
    );
    let json = run(&text, "2000");
    let sketched = crate::run_json(
        &text,
        &[
            "--stability-draws",
            "0",
            "--draws",
            "2000",
            "--max-stored-draws",
            "100",
        ],
    );
    let (cash, value) = (100_000.0 * annuity(0), 500_000.0 * annuity(0));
    let quantile = |p: f64| {
        if p <= 3.0 / 7.0 {
            0.2 + (0.21 * p).sqrt()
        } else {
            0.9 - (0.28 * (1.0 - p)).sqrt()
        }
    };
    let density = |x: f64| {
        if x <= 0.5 {
            2.0 * (x - 0.2) / 0.21
        } else {
            2.0 * (0.9 - x) / 0.28
        }
    };
    let key = &json["npv_views"]["keys"][0];
    let member = &key["members"][0];
    for (field, p) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
        let q = quantile(p);
        let se = (p * (1.0 - p) / 2000.0).sqrt() / density(q);
        let budget = member["budget"][field].as_f64().unwrap();
        let expected = cash + q * value;
        assert!(
            (budget - expected).abs() <= 4.0 * se * value,
            "{field}: {budget} vs {expected} ± {}",
            se * value
        );
        let socio = member["socioeconomic"][field].as_f64().unwrap();
        assert!(near(socio, cash + value + 0.2 * budget), "{field}: {socio}");
        let region = key["region"]["budget"][field].as_f64().unwrap();
        assert!(near(region, 3.0 * budget), "{field}: {region}");
        assert!(
            near(member["cash"][field].as_f64().unwrap(), cash),
            "{field}"
        );
        for view in ["budget", "socioeconomic"] {
            let stored = member[view][field].as_f64().unwrap();
            let from_sketch = sketched["npv_views"]["keys"][0]["members"][0][view][field]
                .as_f64()
                .unwrap();
            assert!(
                (from_sketch - stored).abs() <= 0.002 * stored.abs(),
                "{view} {field}: {from_sketch} vs {stored}"
            );
        }
    }
    let b = &member["budget"];
    assert!(b["p10"].as_f64() < b["p50"].as_f64() && b["p50"].as_f64() < b["p90"].as_f64());
    assert_eq!(b["p_win"], 1.0);
}

/// Without service gains, VAT or fee-financed costs the budget NPV is the cash NPV draw by
/// draw, so on the default scenario its percentiles are the cash view's bit for bit and its
/// core stability the cash view's (two computations: the cash core check, and the views' check
/// of groups plus each member's NPV in the view); the socio-economic NPV is 1.2 times the cash
/// NPV, so its percentiles are 1.2 times the cash view's and, as `1.2·x ≥ 0` exactly when
/// `x ≥ 0`, its core stability is the cash view's too.
#[test]
fn without_gains_vat_or_fees_the_views_percentiles_and_core_are_the_cash_views() {
    let text = format!(
        "{}\n[vat]\nnon_compensable = 0\nfee_financed = 0\n",
        samkost::scenario::DEFAULT_SCENARIO
    );
    let json = crate::run_json(&text, &["--draws", "300", "--stability-draws", "300"]);
    let views = &json["npv_views"];
    assert!(views["budget_core_undefined"].is_null());
    for (key, cash_key) in views["keys"]
        .as_array()
        .unwrap()
        .iter()
        .zip(json["keys"].as_array().unwrap())
    {
        let core = &key["p_core_stable_by_view"];
        assert_eq!(core["cash"], cash_key["p_core_stable"], "{}", key["name"]);
        assert!(core["cash"].is_f64(), "{}", key["name"]);
        assert_eq!(core["budget"], core["cash"], "{}", key["name"]);
        assert_eq!(core["socioeconomic"], core["cash"], "{}", key["name"]);
        for (m, cash_member) in key["members"]
            .as_array()
            .unwrap()
            .iter()
            .zip(cash_key["members"].as_array().unwrap())
        {
            for field in ["p10", "p50", "p90"] {
                let cash = m["cash"][field].as_f64().unwrap();
                assert_eq!(
                    cash,
                    cash_member["npv_net_benefit"][field].as_f64().unwrap()
                );
                assert_eq!(m["budget"][field].as_f64().unwrap(), cash, "{m}");
                assert!(
                    near(m["socioeconomic"][field].as_f64().unwrap(), 1.2 * cash),
                    "{m}"
                );
            }
        }
    }
}

/// Core stability where the views differ. Three members each pay 400,000 a year alone; the
/// cooperation costs 900,000 a year whoever is in it (two or three members). The key `heavy`
/// puts half on member 1517, which pays 450,000 and loses 50,000 a year in cash: no draw is in
/// the cash core (1517 alone would do better), while no group of two would (it pays at most
/// 675,000 of the 900,000 it would bear). Each member saves 1,000 hours at 500 NOK, realised at
/// once with a share `r ~ Tri(0, 0.1, 0.3)`. With `a = a(0)`, 1517's budget NPV is
/// `(500,000·r − 50,000)·a`, non-negative exactly when `r ≥ 0.1`: the budget core holds with
/// probability `1 − F(0.1) = 1 − 0.1²/(0.3·0.1) = 2/3` (within four binomial standard errors,
/// `√(2/9/2,000)`), in exactly the draws where every member's budget gains (the only
/// breakaway is 1517 alone); its socio-economic NPV is `(450,000 + 0.2·(500,000·r − 50,000))·a
/// > 0`, so the socio-economic core always holds. The equal key is in every view's core.
#[test]
fn core_stability_in_a_view_weighs_what_a_member_would_forgo_alone() {
    let json = crate::run_json(
        &scenario(
            "[vat]\nnon_compensable = 0\nfee_financed = 0\n\n[[keys]]\nname = \"heavy\"\nrule = \"fixed\"\nshares = { \"1517\" = 0.5, \"1514\" = 0.25, \"1515\" = 0.25 }\n\n[[gains]]\nname = \"Case work\"\nhours = 1000\nhourly_cost = 500\ndelay = 0\nrealisation = { dist = \"triangular\", min = 0, mode = 0.1, max = 0.3 }",
        ),
        &["--draws", "2000", "--stability-draws", "2000"],
    );
    let keys = json["npv_views"]["keys"].as_array().unwrap();
    let core = |k: usize, view: &str| keys[k]["p_core_stable_by_view"][view].as_f64().unwrap();
    for view in ["cash", "budget", "socioeconomic"] {
        assert_eq!(core(0, view), 1.0, "equal, {view}");
    }
    assert_eq!(json["keys"][1]["p_core_stable"], 0.0);
    assert_eq!(core(1, "cash"), 0.0);
    assert_eq!(core(1, "socioeconomic"), 1.0);
    let budget = core(1, "budget");
    let se = (2.0 / 9.0 / 2000.0f64).sqrt();
    assert!((budget - 2.0 / 3.0).abs() <= 4.0 * se, "{budget}");
    assert_eq!(
        budget,
        keys[1]["p_all_win_by_view"]["budget"].as_f64().unwrap()
    );
}

/// A member whose ICT costs are all charged to fee-financed services (`fee_financed = 1`) has a
/// budget that does not change with what it pays: the budget view has no cost game, so its
/// core stability is `null` with the reason, while the socio-economic view's is computed.
#[test]
fn a_wholly_fee_financed_member_leaves_the_budget_view_without_a_core() {
    let json = crate::run_json(
        &scenario("[vat]\nnon_compensable = 0\nfee_financed = 1"),
        &["--draws", "20", "--stability-draws", "20"],
    );
    let views = &json["npv_views"];
    assert!(
        views["budget_core_undefined"]
            .as_str()
            .unwrap()
            .contains("fee-financed")
    );
    let core = &views["keys"][0]["p_core_stable_by_view"];
    assert!(core["budget"].is_null(), "{core}");
    assert_eq!(core["socioeconomic"], 1.0);
    assert_eq!(core["cash"], 1.0);
}

/// The report's `#views` section carries the numbers of `npv_views` bit for bit: under the key
/// to consider first, each member's and the region's mean, P10, P50, P90 and probability of
/// gaining in the cash, budget and socio-economic view (columns in that order); per key the
/// all-win probability and the core stability in each view; in Norwegian the same numbers
/// under Norwegian headings naming each view.
#[test]
fn the_reports_views_section_is_the_summarys() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "nb"] {
        let out = dir.path().join(lang);
        crate::succeed(Command::new(env!("CARGO_BIN_EXE_samkost")).args([
            "run",
            "--draws",
            "200",
            "--stability-draws",
            "50",
            "--sobol",
            "0",
            "--lang",
            lang,
            "--out",
            out.to_str().unwrap(),
        ]));
        let json: Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let section = &html[html.find("<section id=\"views\">").unwrap()..];
        let section = &section[..section.find("</section>").unwrap()];
        let heading = if lang == "en" {
            "Budget view"
        } else {
            "Budsjett"
        };
        assert!(section.contains(heading), "{lang}");
        let name = json["recommendation"]["key"].as_str().unwrap();
        let keys = json["npv_views"]["keys"].as_array().unwrap();
        let key = keys.iter().find(|k| k["name"] == name).unwrap();
        let mut who: Vec<(&str, &Value)> = key["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["id"].as_str().unwrap(), m))
            .collect();
        who.push(("region", &key["region"]));
        for (id, w) in who {
            let row = row_of(section, &format!("<tr data-view-member=\"{id}\">"));
            for attribute in [
                "data-value",
                "data-p10",
                "data-p50",
                "data-p90",
                "data-p-win",
            ] {
                let field = match attribute {
                    "data-value" => "mean",
                    "data-p-win" => "p_win",
                    other => &other[5..],
                };
                let expected: Vec<f64> = ["cash", "budget", "socioeconomic"]
                    .iter()
                    .map(|v| w[*v][field].as_f64().unwrap())
                    .collect();
                assert_eq!(
                    attribute_values(row, attribute),
                    expected,
                    "{lang} {id} {field}"
                );
            }
        }
        let core_table = &section[section.find("views-core").unwrap()..];
        for key in keys {
            let row = row_of(
                core_table,
                &format!("<tr data-key=\"{}\">", key["name"].as_str().unwrap()),
            );
            let expected: Vec<f64> = ["cash", "budget", "socioeconomic"]
                .iter()
                .map(|v| key["p_core_stable_by_view"][*v].as_f64().unwrap())
                .collect();
            assert_eq!(
                attribute_values(row, "data-value"),
                expected,
                "{lang} {}",
                key["name"]
            );
        }
    }
}

/// The row of `html` that starts with `start`, up to its `</tr>`.
fn row_of<'a>(html: &'a str, start: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no row {start}"));
    &html[from..from + html[from..].find("</tr>").unwrap()]
}

/// Every value of `attribute` in `html`, in order.
fn attribute_values(html: &str, attribute: &str) -> Vec<f64> {
    html.split(&format!(" {attribute}=\""))
        .skip(1)
        .map(|p| p[..p.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// Mistakes in `[[gains]]`: each reported at its line, with the field and the fix.
#[test]
fn mistakes_in_gains_are_reported_at_their_line() {
    let text = scenario("");
    let lines = text.lines().count();
    let cases = [
        ("gains_realisation_above_one", "realisation = 1.5"),
        ("gains_unknown_driver", "driver = \"staff\""),
        ("gains_end_before_start", "start = 2028\nend = 2027"),
        ("gains_unknown_key", "hour = 100"),
    ];
    for (name, field) in cases {
        let diagnostics =
            parse(&format!("{text}[[gains]]\nname = \"Time\"\n{field}\n")).expect_err(name);
        let first = &diagnostics.0[0];
        assert!(first.line > lines, "{name}: {diagnostics}");
        insta::assert_snapshot!(name, diagnostics.to_string());
    }
}

/// The case summary's budget table and each member page's budget sentence carry, under the
/// key to consider first, the økonomiplan's net operating cost of the first plan year and its
/// sum over the plan years, in the cooperation and alone, as `summary.json` has them.
#[test]
fn the_case_pages_budget_figures_are_the_plans() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    crate::succeed(Command::new(env!("CARGO_BIN_EXE_samkost")).args([
        "run",
        "--draws",
        "200",
        "--stability-draws",
        "20",
        "--sobol",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]));
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let key = json["recommendation"]["key"].as_str().unwrap();
    let plan = &json["municipal_accounts"]["okonomiplan"];
    let k = plan["keys"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p["name"] == key)
        .unwrap();
    let case = std::fs::read_to_string(out.join("saksframlegg.html")).unwrap();
    for table in plan["keys"][k]["members"].as_array().unwrap() {
        let row = |line: &str| {
            let r = table["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["line"] == line)
                .unwrap();
            numbers(&r["values"])
        };
        let (coop, alone) = (row("net_operating_cost"), row("net_operating_cost_alone"));
        let expected = [
            coop[0],
            alone[0],
            coop.iter().sum(),
            alone.iter().sum::<f64>(),
        ];
        let id = table["id"].as_str().unwrap();
        let start = case
            .find(&format!("<tr data-budget-member=\"{id}\">"))
            .unwrap_or_else(|| panic!("no budget row for {id}"));
        let row_html = &case[start..start + case[start..].find("</tr>").unwrap()];
        let values: Vec<f64> = row_html
            .split("data-value=\"")
            .skip(1)
            .map(|p| p[..p.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(values, expected, "{id}");
        let name = samkost::report::html::member_page_name(id);
        let page = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(
            page.contains(&format!("data-budget-first=\"{}\"", expected[0])),
            "member page {id}"
        );
    }
}

/// A run without details (the terminal table's) computes every other number as a detailed
/// run: the same draws, counts and sums; only the members' P10/P50/P90 in the budget and
/// socio-economic views are missing (NaN), the NPVs' percentiles other than P10/P50/P90 and
/// their CVaR₁₀ (NaN), and the years ahead, payback years and the region's yearly bands
/// (empty). Both with the draws kept (exact percentiles) and beyond
/// `max_stored_draws` (sketches). The draws it sums without their yearly rows (docs/MODEL.md
/// §6) add the same amounts in another order, so its numbers are the detailed run's up to
/// rounding: within 10⁻⁹ of their size and 10⁻³ NOK (sums of a few thousand amounts below
/// 10⁹ NOK round by less than that).
#[test]
fn a_run_without_details_changes_no_other_number() {
    use samkost_core::simulation::{NoProgress, RunConfig, resolve_keys, run};
    use samkost_core::stats::PERCENTILE_LEVELS;
    let scenario = parse(samkost::scenario::DEFAULT_SCENARIO).unwrap();
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 7, &scenario.planning).unwrap();
    for max_stored_draws in [samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS, 100] {
        let config = |detailed| RunConfig {
            n_draws: 300,
            seed: 7,
            stability_draws: 20,
            band_draws: 0,
            sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
            max_stored_draws,
            accounts: false,
            detailed,
        };
        let with = run(&scenario.model, &keys, &config(true), &NoProgress).unwrap();
        let without = run(&scenario.model, &keys, &config(false), &NoProgress).unwrap();
        let mut expected = with.clone();
        for key in &mut expected.views {
            for member in &mut key.members {
                for view in member {
                    assert!(view.p10.is_finite() && view.p90.is_finite());
                    (view.p10, view.p50, view.p90) = (f64::NAN, f64::NAN, f64::NAN);
                }
            }
            assert!(key.region.iter().all(|v| v.p50.is_finite()));
        }
        // Nor the years ahead, the payback years and the region's yearly bands; with the draws
        // kept, the NPV summaries have only their P10/P50/P90 among the percentiles, and no
        // CVaR₁₀ (from sketches, everything).
        let kept = max_stored_draws >= 300;
        let brief = |s: &mut samkost_core::stats::Summary| {
            if kept {
                assert!(s.cvar10.is_finite() && s.percentiles.iter().all(|p| p.is_finite()));
                s.cvar10 = f64::NAN;
                for (p, level) in s.percentiles.iter_mut().zip(PERCENTILE_LEVELS) {
                    if ![0.1, 0.5, 0.9].contains(&level) {
                        *p = f64::NAN;
                    }
                }
            }
        };
        brief(&mut expected.region_npv);
        for key in &mut expected.keys {
            for member in &mut key.members {
                assert_eq!(member.p_ahead_by_year.len(), scenario.model.horizon_years);
                member.p_ahead_by_year.clear();
                member.payback_year = [None; 3];
                brief(&mut member.npv_net_benefit);
            }
        }
        assert_eq!(
            expected.region_cumulative_bands.len(),
            scenario.model.horizon_years
        );
        expected.region_cumulative_bands.clear();
        assert_eq!(with.aggregated_draws, 0);
        assert!(
            without.aggregated_draws > 0,
            "no draw went without its rows"
        );
        expected.aggregated_draws = without.aggregated_draws;
        assert_same_up_to_rounding(
            &format!("{without:?}"),
            &format!("{expected:?}"),
            &format!("max_stored_draws {max_stored_draws}"),
        );
    }
}

/// Two `Debug` renderings equal but for numbers within 10⁻⁹ of their size and 10⁻³.
fn assert_same_up_to_rounding(a: &str, b: &str, what: &str) {
    let (ta, tb) = (tokens(a), tokens(b));
    assert_eq!(ta.len(), tb.len(), "{what}: the renderings differ in shape");
    for (x, y) in ta.iter().zip(&tb) {
        match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(u), Ok(v)) if u.is_finite() && v.is_finite() => assert!(
                (u - v).abs() <= 1e-9 * u.abs().max(v.abs()) + 1e-3,
                "{what}: {u} against {v}"
            ),
            _ => assert_eq!(x, y, "{what}"),
        }
    }
}

/// `text` cut into the longest runs of characters that can make up a number and of the others.
fn tokens(text: &str) -> Vec<&str> {
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e');
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices().skip(1) {
        let previous = text[..i].chars().next_back().is_some_and(numeric);
        if numeric(c) != previous {
            out.push(&text[start..i]);
            start = i;
        }
    }
    out.push(&text[start..]);
    out
}

/// The flows record their parts as far as a run reads them (`FlowDetail`, ARCHITECTURE.md
/// invariant 16), and recording less changes nothing recorded: on twenty draws of every shipped
/// scenario, the rows every level records (`DrawFlows::base_rows`) are the same to the bit at
/// every level, the wages and the residual and resale values the same with the views' detail
/// as with the accounts', and so are the views' terms computed from them. The reference is the
/// accounts' level, which records every part.
#[test]
fn flows_record_the_same_amounts_at_every_detail() {
    use samkost_core::draws::sample_parameters;
    use samkost_core::model::{DrawFlows, DrawValues, FlowDetail, ViewTerms};
    let scenarios = [
        include_str!("../../scenarios/ssikt.toml"),
        include_str!("../../scenarios/ssikt-bottom-up.toml"),
        include_str!("../../scenarios/hamar-region.toml"),
        include_str!("../../scenarios/hamar-region-join.toml"),
        include_str!("../../scenarios/hamar-region-leave.toml"),
        include_str!("../../scenarios/hamar-region-existing.toml"),
        include_str!("../../scenarios/hamar-region-by-year.toml"),
    ];
    for (k, text) in scenarios.iter().enumerate() {
        let scenario = parse(text).unwrap();
        let model = &scenario.model;
        assert!(
            model.views_need_capital_flows(),
            "scenario {k} has VAT to count"
        );
        let discount = model.discounting.factors(model.horizon_years);
        let mut params = vec![0.0; model.parameters.len()];
        let mut values = DrawValues::default();
        let [mut cash, mut views, mut accounts] = [(); 3].map(|_| DrawFlows::default());
        for draw in 0..20 {
            sample_parameters(model, 11, draw, &mut params);
            model.evaluate(&params, &mut values);
            model.draw_flows_with(&values, &mut cash, FlowDetail::Cash);
            model.draw_flows_with(&values, &mut views, FlowDetail::Views);
            model.draw_flows_with(&values, &mut accounts, FlowDetail::Accounts);
            let rows = |f: &DrawFlows| {
                f.base_rows()
                    .map(|row| row.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            assert_eq!(rows(&cash), rows(&accounts), "scenario {k}, draw {draw}");
            assert_eq!(rows(&views), rows(&accounts), "scenario {k}, draw {draw}");
            let vat_rows = |f: &DrawFlows| {
                let (w, c) = (&f.wages, &f.capital);
                [
                    &w.alone,
                    &w.own,
                    &w.pooled[0],
                    &w.pooled[1],
                    &c.residual_alone,
                    &c.residual_own,
                    &c.residual_pooled,
                    &c.resale_own,
                    &c.resale_pooled,
                ]
                .map(|row| row.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            let recorded = vat_rows(&accounts);
            assert!(recorded.iter().all(|row| !row.is_empty()));
            assert_eq!(vat_rows(&views), recorded, "scenario {k}, draw {draw}");
            let [mut from_views, mut from_accounts] = [(); 2].map(|_| ViewTerms::default());
            model.draw_view_terms(&params, &views, &discount, &mut from_views);
            model.draw_view_terms(&params, &accounts, &discount, &mut from_accounts);
            assert_eq!(
                format!("{from_views:?}"),
                format!("{from_accounts:?}"),
                "scenario {k}, draw {draw}"
            );
        }
    }
}
