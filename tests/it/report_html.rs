//! The HTML report: self-contained, complete, and drawing exactly the numbers of summary.json.

use std::collections::HashMap;
use std::process::Command;

use samkost::report::Lang;
use samkost::report::json::KeyJson;
use samkost::report::recommend::{Case, recommend};
use serde_json::Value;

/// Runs `samkost run --out TMP` with extra arguments; returns the report and the summary.
fn run_report(extra: &[&str], env: &[(&str, &str)]) -> (String, Value) {
    let dir = tempfile::tempdir().unwrap();
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(["run", "--draws", "400", "--stability-draws", "50", "--out"])
            .arg(dir.path())
            .args(extra)
            .envs(env.iter().copied()),
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let summary = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    (html, serde_json::from_str(&summary).unwrap())
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The attributes of every `<tag class="class" …>` element, in document order.
fn elements(html: &str, tag: &str, class: &str) -> Vec<HashMap<String, String>> {
    let open = format!("<{tag} class=\"{class}\"");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find('>').unwrap();
        let mut attrs = HashMap::new();
        let mut text = &after[..end];
        while let Some(eq) = text.find("=\"") {
            let name = text[..eq].trim().to_owned();
            let value_end = text[eq + 2..].find('"').unwrap();
            attrs.insert(name, unescape(&text[eq + 2..eq + 2 + value_end]));
            text = &text[eq + 2 + value_end + 1..];
        }
        found.push(attrs);
        rest = &after[end..];
    }
    found
}

fn num(attrs: &HashMap<String, String>, name: &str) -> f64 {
    attrs
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {attrs:?}"))
        .parse()
        .unwrap()
}

/// A JSON number, or NaN for `null` (how serde_json writes a NaN).
fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// Exact equality, with NaN equal to NaN.
fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The key the report recommends.
fn recommended(html: &str) -> String {
    let start = html.find("data-recommended-key=\"").unwrap() + 22;
    unescape(&html[start..start + html[start..].find('"').unwrap()])
}

#[test]
fn report_is_self_contained_and_has_every_section_and_chart() {
    let (html, summary) = run_report(&[], &[]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let lower = html.to_lowercase();
    for banned in [
        "<script", "http://", "https://", "src=", "href=", "@import", "url(", "<link", "<img",
        "<iframe", "<object",
    ] {
        assert!(!lower.contains(banned), "report contains `{banned}`");
    }
    for id in [
        "answer",
        "keys",
        "comparison",
        "fan",
        "s-curves",
        "distribution",
        "tornado",
        "tables",
        "assumptions",
        "about",
    ] {
        assert_eq!(count(&html, &format!(" id=\"{id}\"")), 1, "section {id}");
    }
    // The sections come in the documented order.
    let pos = |id: &str| html.find(&format!(" id=\"{id}\"")).unwrap();
    assert!(pos("answer") < pos("keys") && pos("keys") < pos("comparison"));
    assert!(pos("comparison") < pos("fan") && pos("fan") < pos("s-curves"));
    assert!(pos("s-curves") < pos("distribution") && pos("distribution") < pos("tornado"));
    assert!(pos("tornado") < pos("tables") && pos("tables") < pos("assumptions"));
    assert!(pos("assumptions") < pos("about"));
    let members = summary["members"].as_array().unwrap().len();
    let keys = summary["keys"].as_array().unwrap().len();
    assert_eq!(count(&html, "data-chart=\"comparison\""), 1);
    assert_eq!(count(&html, "data-chart=\"fan\""), members);
    assert_eq!(count(&html, "data-chart=\"fan-region\""), 1);
    assert_eq!(count(&html, "data-chart=\"s-curve\""), keys);
    assert_eq!(count(&html, "data-chart=\"distribution\""), 1);
    assert_eq!(count(&html, "data-chart=\"tornado\""), 1);
    // Every chart has an accessible name.
    let svgs = count(&html, "<svg ");
    assert_eq!(svgs, 4 + members + keys);
    assert_eq!(count(&html, "<svg class=\"chart\" data-chart="), svgs);
    assert_eq!(count(&html, "role=\"img\" aria-label=\""), svgs);
    assert_eq!(count(&html, "<title>"), svgs + 1);
    // Print rules and one verdict row per key.
    assert!(html.contains("@media print") && html.contains("size:A4"));
    assert_eq!(count(&html, " data-p-all-win=\""), keys);
    assert_eq!(count(&html, "<table class=\"numbers\""), keys);
    assert_eq!(
        count(&html, "<tr data-member=\""),
        keys * members,
        "one table row per key and member"
    );
    // Provenance.
    let p = &summary["provenance"];
    assert!(html.contains(p["scenario_hash"].as_str().unwrap()));
    assert!(html.contains(p["samkost_version"].as_str().unwrap()));
    assert!(html.contains("monte_carlo"));
    assert!(html.len() < 1_000_000, "report of {} bytes", html.len());
}

#[test]
fn chart_data_equal_the_summary_exactly() {
    let (html, summary) = run_report(&[], &[]);
    let keys = summary["keys"].as_array().unwrap();
    let whiskers = elements(&html, "line", "whisker");
    let medians = elements(&html, "circle", "median");
    let curves = elements(&html, "path", "s-curve");
    let n = keys.len() * summary["members"].as_array().unwrap().len();
    assert_eq!((whiskers.len(), medians.len(), curves.len()), (n, n, n));
    for key in keys {
        let name = key["name"].as_str().unwrap();
        for m in key["members"].as_array().unwrap() {
            let id = m["id"].as_str().unwrap();
            let npv = &m["npv_net_benefit"];
            let is = |a: &&HashMap<String, String>| a["data-key"] == name && a["data-member"] == id;
            let w: Vec<_> = whiskers.iter().filter(is).collect();
            assert_eq!(w.len(), 1, "{name} {id}");
            for q in ["p10", "p50", "p90"] {
                assert!(
                    same(num(w[0], &format!("data-{q}")), f(&npv[q])),
                    "{name} {id} {q}"
                );
            }
            let c: Vec<_> = medians.iter().filter(is).collect();
            assert_eq!(c.len(), 1);
            assert!(same(num(c[0], "data-p-win"), f(&m["p_win"])));
            assert!(same(num(c[0], "data-p50"), f(&npv["p50"])));
            let s: Vec<_> = curves.iter().filter(is).collect();
            assert_eq!(s.len(), 1);
            let percentiles = npv["percentiles"].as_object().unwrap();
            let levels: Vec<&str> = s[0]["data-levels"].split(' ').collect();
            let values: Vec<f64> = s[0]["data-values"]
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            assert_eq!(levels.len(), percentiles.len());
            for (level, value) in levels.iter().zip(values) {
                assert!(same(value, f(&percentiles[*level])), "{name} {id} {level}");
            }
        }
    }
    // Fan chart of the recommended key, per member and year, and the region's fan.
    let key_name = recommended(&html);
    let key = keys
        .iter()
        .find(|k| k["name"] == key_name.as_str())
        .unwrap();
    let years = summary["yearly"]["years"].as_array().unwrap();
    let points = elements(&html, "circle", "fan-point");
    let region: Vec<_> = points
        .iter()
        .filter(|p| p["data-member"] == "region")
        .collect();
    assert_eq!(region.len(), years.len());
    for (t, p) in region.iter().enumerate() {
        assert_eq!(num(p, "data-year"), f(&years[t]));
        for q in ["p10", "p50", "p90"] {
            let band = f(&summary["yearly"]["cumulative_npv"][q][t]);
            assert!(same(num(p, &format!("data-{q}")), band), "region {t} {q}");
        }
    }
    let mut checked = 0;
    for m in key["members"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let mine: Vec<_> = points.iter().filter(|p| p["data-member"] == id).collect();
        assert_eq!(mine.len(), years.len(), "{id}");
        for (t, p) in mine.iter().enumerate() {
            assert_eq!(p["data-key"], key_name);
            assert_eq!(num(p, "data-year"), f(&years[t]));
            for q in ["p10", "p50", "p90"] {
                let band = f(&m["cumulative_npv"][q][t]);
                assert!(same(num(p, &format!("data-{q}")), band), "{id} {t} {q}");
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    // Tornado bars, in the summary's order.
    let bars = elements(&html, "rect", "tornado-bar");
    let expected = summary["tornado"]["bars"].as_array().unwrap();
    // The chart shows the inputs with the largest swings; a note counts the rest and gives the
    // largest swing among them.
    let shown = expected.len().min(samkost::report::html::TORNADO_BARS);
    assert_eq!(bars.len(), shown);
    assert!(!bars.is_empty());
    let rest = elements(&html, "p", "note tornado-rest");
    if expected.len() > shown {
        assert_eq!(num(&rest[0], "data-rest"), (expected.len() - shown) as f64);
        assert!(same(
            num(&rest[0], "data-largest-swing"),
            f(&expected[shown]["swing"])
        ));
    } else {
        assert!(rest.is_empty());
    }
    for (bar, e) in bars.iter().zip(expected) {
        assert_eq!(bar["data-parameter"], e["parameter"].as_str().unwrap());
        assert!(same(num(bar, "data-low"), f(&e["output_at_low"])));
        assert!(same(num(bar, "data-high"), f(&e["output_at_high"])));
        assert!(same(num(bar, "data-input-low"), f(&e["input_low"])));
        assert!(same(num(bar, "data-input-high"), f(&e["input_high"])));
    }
    let base = elements(&html, "line", "base");
    assert!(same(
        num(&base[0], "data-base"),
        f(&summary["tornado"]["base_output"])
    ));
    // The distribution holds the mass between the first and last percentile, loss side below 0.
    let pct = summary["region"]["npv_net_benefit"]["percentiles"]
        .as_object()
        .unwrap();
    let mass: f64 = elements(&html, "rect", "mass")
        .iter()
        .map(|r| num(r, "data-probability"))
        .sum();
    let first: f64 = pct.keys().next().unwrap()[1..].parse().unwrap();
    let last: f64 = pct.keys().next_back().unwrap()[1..].parse().unwrap();
    assert!(((last - first) / 100.0 - mass).abs() < 1e-9, "mass {mass}");
    for r in elements(&html, "rect", "mass") {
        let loss = num(&r, "data-to") <= 0.0;
        assert_eq!(r["fill"] == "#c4314b", loss, "{r:?}");
    }
}

#[test]
fn report_key_selects_the_fan_chart() {
    let (default_html, summary) = run_report(&[], &[]);
    let first = recommended(&default_html);
    let other = summary["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .find(|k| *k != first)
        .unwrap();
    let (html, summary) = run_report(&["--report-key", other], &[]);
    assert_eq!(
        recommended(&html),
        first,
        "the recommendation does not move"
    );
    let key = summary["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == other)
        .unwrap();
    let points: Vec<_> = elements(&html, "circle", "fan-point")
        .into_iter()
        .filter(|p| p["data-member"] != "region")
        .collect();
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p["data-key"] == other));
    let m = &key["members"][0];
    let mine: Vec<_> = points
        .iter()
        .filter(|p| p["data-member"] == m["id"].as_str().unwrap())
        .collect();
    let horizon = summary["scenario"]["horizon_years"].as_u64().unwrap() as usize;
    assert_eq!(mine.len(), horizon, "one fan point per year");
    for (t, p) in mine.iter().enumerate() {
        assert!(same(num(p, "data-p50"), f(&m["cumulative_npv"]["p50"][t])));
    }
}

#[test]
fn fan_bands_absent_are_said_not_drawn() {
    let (html, summary) = run_report(&["--band-draws", "0"], &[]);
    assert_eq!(count(&html, "data-chart=\"fan\""), 0);
    assert_eq!(count(&html, "data-chart=\"fan-region\""), 1);
    assert!(html.contains("--band-draws 0"));
    assert_eq!(summary["scenario"]["band_draws"], 0);
}

#[test]
fn norwegian_report_uses_norwegian_words_and_numbers() {
    let (html, summary) = run_report(&["--lang", "nb"], &[("SOURCE_DATE_EPOCH", "1709251200")]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nb\">"));
    for word in [
        "Om beregningen",
        "Forutsetninger",
        "Kilde",
        "netto nåverdi",
        "Fordelingsnøkkel",
        "Sannsynlighet for gevinst",
        "Innbyggere",
        "Tilbakebetalingsår",
        "mill.\u{a0}kr",
        "Lønner samarbeidet seg",
    ] {
        assert!(html.contains(word), "missing `{word}`");
    }
    for english in [
        "About the calculation",
        "Assumptions",
        "Probability of gain",
    ] {
        assert!(
            !html.contains(english),
            "English `{english}` in the Norwegian report"
        );
    }
    // Digit groups with a no-break space, a decimal comma, the percent sign after a space.
    let pop = summary["members"][0]["population"].as_f64().unwrap();
    assert!(pop >= 1000.0);
    assert!(html.contains(&format!(">{}<", Lang::Nb.int(pop))));
    let rate = summary["scenario"]["discount_rate"].as_f64().unwrap();
    assert!(html.contains(&Lang::Nb.percent1(rate)));
    assert!(Lang::Nb.percent1(rate).contains(','));
    assert!(
        html.contains("2024-03-01"),
        "SOURCE_DATE_EPOCH sets the date"
    );
}

#[test]
fn the_report_recommends_the_key_the_rule_picks() {
    let (html, summary) = run_report(&[], &[]);
    // The rule of docs/MODEL.md §13.6, computed again from summary.json.
    let keys = summary["keys"].as_array().unwrap();
    let d = summary["scenario"]["stability_draws"].as_f64().unwrap();
    let stable = |k: &Value| k["p_core_stable"].as_f64().unwrap_or(-1.0);
    let flagged = |k: &Value| k["burden_flag"].as_bool().unwrap();
    let ratio = |k: &Value| k["burden_ratio"].as_f64().unwrap_or(f64::INFINITY);
    let mut pool: Vec<&Value> = keys.iter().filter(|k| stable(k) > 0.5).collect();
    assert!(!pool.is_empty(), "the default scenario has stable keys");
    if pool.iter().any(|k| !flagged(k)) {
        pool.retain(|k| !flagged(k));
    }
    let se = |p: f64| (p * (1.0 - p) / d).sqrt();
    let best = pool
        .iter()
        .map(|k| stable(k))
        .fold(f64::NEG_INFINITY, f64::max);
    let mut tied: Vec<&Value> = pool
        .into_iter()
        .filter(|k| best - stable(k) <= 1.96 * (se(best).powi(2) + se(stable(k)).powi(2)).sqrt())
        .collect();
    tied.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
    assert_eq!(recommended(&html), tied[0]["name"].as_str().unwrap());
    assert_eq!(summary["recommendation"]["key"], tied[0]["name"]);
    assert!(
        html.contains("1.96 × √(SE₁² + SE₂²)"),
        "the rule is documented"
    );
}

fn key(name: &str, p_all_win: f64, se: f64, stable: Option<f64>) -> KeyJson {
    KeyJson {
        name: name.to_owned(),
        p_all_win,
        p_all_win_se: se,
        burden_ratio: None,
        burden_flag: false,
        p_core_stable: stable,
        top_breakaway: None,
        leaving: Vec::new(),
        rule: samkost::report::json::RuleJson {
            kind: "equal",
            driver: None,
            fixed_part: None,
            prices: None,
            per_member: None,
            by_year: false,
        },
        startup_rule: None,
        components: Vec::new(),
        note: None,
        members: Vec::new(),
    }
}

fn with_burden(mut k: KeyJson, ratio: f64, flag: bool) -> KeyJson {
    k.burden_ratio = Some(ratio);
    k.burden_flag = flag;
    k
}

/// docs/MODEL.md §13.6 on hand-made keys; the standard errors of stability come from the
/// stability draws (here 400: se(0.9) = 0.015, so 0.9 and 0.87 tie, 0.9 and 0.8 do not).
#[test]
fn the_key_to_consider_first_favours_stability_then_an_even_burden() {
    assert_eq!(recommend(&[], 400), None);
    // The Nordmøre case: the highest p_all_win is unstable; the stable key is named.
    let keys = [
        with_burden(key("30/70", 0.90, 0.01, Some(0.0)), 2.05, true),
        with_burden(key("nucleolus", 0.87, 0.01, Some(0.87)), 1.3, false),
        with_burden(key("equal", 0.10, 0.01, Some(0.2)), 4.0, true),
    ];
    let r = recommend(&keys, 400).unwrap();
    assert_eq!((r.key, r.case), (1, Case::OnlyStable));
    // Two stable keys within the uncertainty: the lower burden ratio wins.
    let keys = [
        with_burden(key("SCRB", 0.90, 0.01, Some(0.90)), 1.4, false),
        with_burden(key("population", 0.88, 0.01, Some(0.87)), 1.02, false),
        with_burden(key("Shapley", 0.85, 0.01, Some(0.80)), 1.0, false),
    ];
    let r = recommend(&keys, 400).unwrap();
    assert_eq!(
        (r.key, r.case, r.tied.clone()),
        (1, Case::TieFairer, vec![0, 1])
    );
    // Clearly more stable: named although its burden is higher.
    let keys = [
        with_burden(key("SCRB", 0.90, 0.01, Some(0.90)), 1.4, false),
        with_burden(key("Shapley", 0.85, 0.01, Some(0.80)), 1.0, false),
    ];
    let r = recommend(&keys, 400);
    assert_eq!(r.map(|r| (r.key, r.case)), Some((0, Case::MostStable)));
    // An uneven key is set aside when an even one is stable in most draws too.
    let keys = [
        with_burden(key("A", 0.95, 0.01, Some(0.95)), 2.3, true),
        with_burden(key("B", 0.90, 0.01, Some(0.70)), 1.5, false),
    ];
    let r = recommend(&keys, 400).unwrap();
    assert!(r.key == 1 && r.uneven_set_aside);
    // None stable in most draws: the highest p_all_win, ties to the even burden.
    let keys = [
        with_burden(key("A", 0.60, 0.02, Some(0.3)), 1.9, false),
        with_burden(key("B", 0.62, 0.02, Some(0.1)), 1.2, false),
        with_burden(key("C", 0.40, 0.02, Some(0.45)), 1.0, false),
    ];
    let r = recommend(&keys, 400).unwrap();
    assert_eq!((r.key, r.case), (1, Case::NoneStable));
    // Not checked.
    let keys = [key("A", 0.6, 0.0, None), key("B", 0.7, 0.0, None)];
    assert_eq!(
        recommend(&keys, 0).map(|r| (r.key, r.case)),
        Some((1, Case::NotChecked))
    );
}

#[test]
fn s_curves_turn_to_npv_per_inhabitant_when_members_differ_much_in_size() {
    // Bergen (about 291,000 inhabitants) with Vestland's two smallest municipalities: in
    // kroner the small members' curves would be lines at zero, so the report divides by the
    // population (and says so); the drawn numbers stay the summary's.
    let vestland: Vec<&samkost::scenario::kommuner::Kommune> = {
        let mut v: Vec<_> = samkost::scenario::kommuner::all()
            .iter()
            .filter(|k| k.id.starts_with("46"))
            .collect();
        v.sort_by(|a, b| a.population.total_cmp(&b.population));
        v
    };
    let ids = format!("4601,{},{}", vestland[0].id, vestland[1].id);
    let init = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(["init", "--members", &ids])
        .output()
        .unwrap();
    assert!(init.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bergen.toml");
    std::fs::write(&path, &init.stdout).unwrap();
    let (html, summary) = run_report(&[path.to_str().unwrap()], &[]);
    let labels = samkost::report::HtmlLabels::of(Lang::En);
    assert!(unescape(&html).contains(labels.s_per_inhabitant));
    assert!(unescape(&html).contains(labels.npv_axis_per_inhabitant));
    let curves = elements(&html, "path", "s-curve");
    assert_eq!(curves.len(), summary["keys"].as_array().unwrap().len() * 3);
    for curve in &curves {
        let member = summary["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"].as_str() == Some(curve["data-member"].as_str()))
            .unwrap();
        assert_eq!(num(curve, "data-divisor"), f(&member["population"]));
    }
    // In the default scenario the largest member has 4.6 times the inhabitants of the
    // smallest: the curves stay in kroner.
    let (default_html, _) = run_report(&[], &[]);
    assert!(!unescape(&default_html).contains(labels.s_per_inhabitant));
    for curve in elements(&default_html, "path", "s-curve") {
        assert_eq!(num(&curve, "data-divisor"), 1.0);
    }
}

#[test]
fn the_short_answer_follows_the_thresholds_of_the_key_to_consider_first() {
    // "Yes" from 90 % of draws in which every member gains, "Probably" from 50 %, otherwise
    // "No" — because the region itself loses in most draws, or because the gain cannot be
    // shared so that all win. Checked on the default scenario and on the Hamar region, where
    // the region gains in about half of the draws.
    for scenario in [None, Some("scenarios/hamar-region.toml")] {
        let args: Vec<&str> = scenario.into_iter().collect();
        let (html, summary) = run_report(&args, &[]);
        let first = recommended(&html);
        let key = summary["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == first.as_str())
            .unwrap();
        let p = f(&key["p_all_win"]);
        let region = f(&summary["region"]["p_win"]);
        let expected = if p >= 0.9 {
            "yes"
        } else if p >= 0.5 {
            "probably"
        } else if region < 0.5 {
            "region-loses"
        } else {
            "no"
        };
        let short = elements(&html, "p", "short");
        assert_eq!(short.len(), 1);
        assert_eq!(short[0]["data-answer"], expected, "{scenario:?}: p = {p}");
        if scenario.is_some() {
            assert_ne!(expected, "yes", "the Hamar region is no clear win-win");
        }
    }
}

#[test]
fn every_key_is_described_in_words_with_its_note() {
    let (html, summary) = run_report(&["--lang", "nb"], &[]);
    let text = unescape(&html);
    let keys: Vec<KeyJson> = summary["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let rule = |r: &Value| samkost::report::json::RuleJson {
                kind: match r["kind"].as_str().unwrap() {
                    "equal" => "equal",
                    "proportional" => "proportional",
                    "hybrid" => "hybrid",
                    "fixed" => "fixed",
                    "shapley" => "shapley",
                    "nucleolus" => "nucleolus",
                    "scrb" => "scrb",
                    other => panic!("unexpected rule {other}"),
                },
                driver: r["driver"].as_str().map(str::to_owned),
                fixed_part: r["fixed_part"].as_f64(),
                prices: None,
                per_member: None,
                by_year: r["by_year"].as_bool().unwrap_or(false),
            };
            let mut key = key(k["name"].as_str().unwrap(), 0.5, 0.01, None);
            key.rule = rule(&k["rule"]);
            key.startup_rule = (!k["startup_rule"].is_null()).then(|| rule(&k["startup_rule"]));
            key.note = k["note"].as_str().map(str::to_owned);
            key
        })
        .collect();
    for key in &keys {
        let words = samkost::report::lang::describe_key(key, Lang::Nb);
        assert!(text.contains(&words), "`{words}` missing");
        if let Some(note) = &key.note {
            assert!(text.contains(note.as_str()), "note `{note}` missing");
        }
    }
    // The default scenario's keys, as they are written in ssikt.toml.
    let by_name = |n: &str| keys.iter().find(|k| k.name == n).unwrap();
    assert_eq!(by_name("30/70").rule.fixed_part, Some(0.3));
    assert_eq!(by_name("30/70").rule.driver.as_deref(), Some("population"));
    assert!(
        by_name("30/70, start-up by population")
            .startup_rule
            .is_some()
    );
    assert!(by_name("50/50").note.as_deref().unwrap().contains("SSIKT"));
    assert!(text.contains("30\u{a0}% likt, 70\u{a0}% etter innbyggertall"));
}
