//! Win-win measures and precision control.

use std::process::Command;

fn samkost_json(args: &[&str]) -> serde_json::Value {
    let out = crate::succeed(Command::new(env!("CARGO_BIN_EXE_samkost")).args(args));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The hand-calculated scenario of tests/it/model.rs (Hareid 5,322 and Sande 2,438
/// inhabitants, equal key, pooled 6,708,000 a year from 2027, start-up 1,000,000 in 2026).
fn hand_scenario(dir: &std::path::Path) -> String {
    let path = dir.join("hand.toml");
    std::fs::write(&path, crate::model::HAND).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn cost_per_inhabitant_burden_ratio_and_npv_per_krone_match_the_hand_calculation() {
    // Operating years 2027–2030: each member pays 6,708,000/2 = 3,354,000 a year:
    // Hareid 3,354,000/5,322 = 630.214 NOK per inhabitant, Sande 3,354,000/2,438 = 1,375.718;
    // ratio 2.18295 > 2 → flagged. Start-up NPV 1,000,000/1.04 = 961,538.46; region NPV
    // 4,804,410.49 (tests/it/model.rs) → 4.99659 per invested krone.
    let dir = tempfile::tempdir().unwrap();
    let json = samkost_json(&[
        "run",
        &hand_scenario(dir.path()),
        "--draws",
        "5",
        "--format",
        "json",
    ]);
    let key = &json["keys"][0];
    let hareid = key["members"][0]["cost_per_inhabitant"].as_f64().unwrap();
    let sande = key["members"][1]["cost_per_inhabitant"].as_f64().unwrap();
    assert!((hareid - 3_354_000.0 / 5322.0).abs() < 1e-6, "{hareid}");
    assert!((sande - 3_354_000.0 / 2438.0).abs() < 1e-6, "{sande}");
    assert!((key["burden_ratio"].as_f64().unwrap() - 5322.0 / 2438.0).abs() < 1e-9);
    assert_eq!(key["burden_flag"], true);
    let per_krone = json["region"]["npv_per_invested_krone"].as_f64().unwrap();
    assert!(
        (json["region"]["startup_cost_npv"].as_f64().unwrap() - 1_000_000.0 / 1.04).abs() < 1e-6
    );
    assert!(
        (per_krone - 4_804_410.490_838_77 / (1_000_000.0 / 1.04)).abs() < 1e-6,
        "{per_krone}"
    );
    // Sande loses in every draw; its CVaR equals its (fixed) NPV.
    let s = &key["members"][1];
    assert_eq!(s["p_loss"], 1.0);
    assert_eq!(s["npv_net_benefit"]["cvar10"], s["npv_net_benefit"]["mean"]);
}

#[test]
fn precision_control_stops_when_reached_and_is_reproducible() {
    // p_all_win to ±1 point at 95 %: draws double from 500 until every key's 1.96·SE ≤ 0.01.
    let args = [
        "run",
        "--draws",
        "500",
        "--precision",
        "p_all_win=0.01",
        "--format",
        "json",
        "--stability-draws",
        "0",
    ];
    let a = samkost_json(&args);
    let b = samkost_json(&args);
    assert_eq!(a, b, "same seed, same precision rule, same result");
    let p = &a["precision"];
    assert_eq!(p["reached"], true);
    assert!(p["achieved"].as_f64().unwrap() <= 0.01);
    let draws = a["scenario"]["draws"].as_u64().unwrap();
    assert!(draws > 500 && (draws / 500).is_power_of_two(), "{draws}");
    for key in a["keys"].as_array().unwrap() {
        let p = key["p_all_win"].as_f64().unwrap();
        assert!(1.96 * (p * (1.0 - p) / draws as f64).sqrt() <= 0.01 + 1e-12);
    }
    // The result is exactly that of a direct run with the final number of draws.
    let direct = samkost_json(&[
        "run",
        "--draws",
        &draws.to_string(),
        "--format",
        "json",
        "--stability-draws",
        "0",
    ]);
    assert_eq!(a["region"], direct["region"]);
    assert_eq!(a["keys"], direct["keys"]);
    // The rule held one step earlier, too: half the draws did not reach it.
    let half = samkost_json(&[
        "run",
        "--draws",
        &(draws / 2).to_string(),
        "--format",
        "json",
        "--stability-draws",
        "0",
    ]);
    let worst = half["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["p_all_win_se"].as_f64().unwrap() * 1.96)
        .fold(0.0, f64::max);
    assert!(worst > 0.01, "{worst}");
}

/// Four draws whose values are known by hand: `shared_fixed` takes each of four equally likely
/// values, and a Latin hypercube of four draws puts exactly one uniform in each quarter, so the
/// run sees each value once (in some order). Otherwise the scenario is `model::HAND`: Hareid
/// (5,322 inhabitants) and Sande (2,438) pay 300,000 + 1,000 per inhabitant a year alone; the
/// cooperation costs `shared_fixed` + 800 per inhabitant a year from 2027 and a 1,000,000 project
/// in 2026; 4 % real discount rate, first year discounted once.
const FOUR_DRAWS: &str = r#"name = "Four draws"
first_year = 2026
horizon_years = 5
operation_start = 2027
discount_rate = 0.04
members = ["1517", "1514"]

[parameters]
shared_fixed = { dist = "discrete", values = [0, 1000000, 2000000, 4000000], weights = [1, 1, 1, 1] }

[[lines]]
name = "Own"
occurs = "alone"
basis = "per_member"
fixed = 300000
per = { population = 1000 }

[[lines]]
name = "Shared"
occurs = "together"
start = 2027
fixed = "shared_fixed"
per = { population = 800 }

[[lines]]
name = "Project"
category = "startup"
occurs = "together"
year = 2026
fixed = 1000000

[[keys]]
name = "equal"
rule = "equal"

[[keys]]
name = "population"
rule = "proportional"
driver = "population"
"#;

/// Type 7 quantile by its definition (Hyndman & Fan 1996), written out independently of the
/// crate's implementation.
fn type7(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

#[test]
fn every_measure_matches_a_four_draw_hand_calculation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("four.toml");
    std::fs::write(&path, FOUR_DRAWS).unwrap();
    let json = samkost_json(&[
        "run",
        path.to_str().unwrap(),
        "--draws",
        "4",
        "--sampling",
        "lhs",
        "--stability-draws",
        "0",
        "--format",
        "json",
    ]);
    let (pop, fixed) = ([5322.0, 2438.0], [0.0, 1e6, 2e6, 4e6]);
    let discount: Vec<f64> = (1..=5).map(|k| 1.04f64.powi(-k)).collect();
    let close = |got: &serde_json::Value, want: f64, what: &str| {
        let got = got
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: {got} is not a number"));
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{what}: {got} ≠ {want}"
        );
    };
    let total_pop = pop[0] + pop[1];
    for (k, shares) in [[0.5, 0.5], [pop[0] / total_pop, pop[1] / total_pop]]
        .iter()
        .enumerate()
    {
        let key = &json["keys"][k];
        let mut all_win = 0;
        let mut npvs = [[0.0; 4]; 2];
        for (d, f) in fixed.iter().enumerate() {
            for i in 0..2 {
                // Year 2026: the member's share of the project; then its own cost minus its
                // share of the shared cost.
                let alone = 300_000.0 + 1000.0 * pop[i];
                let coop = shares[i] * (f + 800.0 * total_pop);
                npvs[i][d] = -shares[i] * 1e6 * discount[0]
                    + (1..5).map(|t| (alone - coop) * discount[t]).sum::<f64>();
            }
            all_win += i32::from(npvs[0][d] > 0.0 && npvs[1][d] > 0.0);
        }
        close(&key["p_all_win"], f64::from(all_win) / 4.0, "p_all_win");
        for i in 0..2 {
            let m = &key["members"][i];
            let what = |s: &str| format!("key {k} member {i} {s}");
            let v = &npvs[i];
            let stats = &m["npv_net_benefit"];
            close(&stats["mean"], v.iter().sum::<f64>() / 4.0, &what("mean"));
            for (name, p) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
                close(&stats[name], type7(v, p), &what(name));
            }
            for (name, p) in [("p01", 0.01), ("p30", 0.3), ("p95", 0.95)] {
                close(&stats["percentiles"][name], type7(v, p), &what(name));
            }
            // CVaR₁₀ of four draws: the mean of the ⌈0.4⌉ = 1 worst, i.e. the minimum.
            close(
                &stats["cvar10"],
                v.iter().copied().fold(f64::MAX, f64::min),
                &what("cvar"),
            );
            let wins = v.iter().filter(|x| **x > 0.0).count() as f64 / 4.0;
            close(&m["p_win"], wins, &what("p_win"));
            close(&m["p_loss"], 1.0 - wins, &what("p_loss"));
            close(
                &m["p_win_se"],
                (wins * (1.0 - wins) / 4.0).sqrt(),
                &what("se"),
            );
            // Cumulative discounted net benefit by year, per draw.
            let alone = 300_000.0 + 1000.0 * pop[i];
            let cumulative: Vec<Vec<f64>> = fixed
                .iter()
                .map(|f| {
                    let coop = shares[i] * (f + 800.0 * total_pop);
                    (0..5)
                        .scan(0.0, |acc, t| {
                            *acc += discount[t]
                                * if t == 0 {
                                    -shares[i] * 1e6
                                } else {
                                    alone - coop
                                };
                            Some(*acc)
                        })
                        .collect()
                })
                .collect();
            for t in 0..5 {
                let year: Vec<f64> = cumulative.iter().map(|c| c[t]).collect();
                let ahead = year.iter().filter(|x| **x > 0.0).count() as f64 / 4.0;
                close(&m["p_ahead_by_year"][t], ahead, &what("p_ahead"));
                let band = &m["cumulative_npv"];
                for (name, p) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
                    close(&band[name][t], type7(&year, p), &what("band"));
                }
            }
            // Payback: the first year from which the cumulative stays positive (type 1 over the
            // four draws; none within the horizon sorts last).
            let mut paybacks: Vec<Option<i64>> = cumulative
                .iter()
                .map(|c| {
                    (0..5)
                        .find(|&t| c[t..].iter().all(|x| *x > 0.0))
                        .map(|t| 2026 + t as i64)
                })
                .collect();
            paybacks.sort_by_key(|p| p.unwrap_or(i64::MAX));
            for (name, p) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
                let idx = (4.0_f64 * p).ceil() as usize - 1;
                assert_eq!(
                    m["payback_year"][name].as_i64(),
                    paybacks[idx],
                    "{}",
                    what("payback")
                );
            }
            // Cost per inhabitant: the mean payment over the operating years 2027–2030, with
            // the mean shared fixed cost 1,750,000.
            let paid = shares[i] * (1_750_000.0 + 800.0 * total_pop);
            close(
                &m["cost_per_inhabitant"],
                paid / pop[i],
                &what("per inhabitant"),
            );
        }
        let c: Vec<f64> = (0..2)
            .map(|i| key["members"][i]["cost_per_inhabitant"].as_f64().unwrap())
            .collect();
        close(
            &key["burden_ratio"],
            c[0].max(c[1]) / c[0].min(c[1]),
            "burden",
        );
    }
    // Hand-checked anchors: under the equal key with shared_fixed = 0, Hareid gains
    // −500,000/1.04 + 2,518,000 × 3.490284 = 8,307,766 NOK; Sande's P90 is its
    // best case, −500,000/1.04 − 366,000 × 3.490284 = −1,758,213 NOK, so it loses in
    // every draw.
    let annuity: f64 = (2..=5).map(|k| 1.04f64.powi(-k)).sum();
    assert_eq!(
        (-500_000.0 / 1.04 + 2_518_000.0 * annuity).round(),
        8_307_766.0
    );
    assert_eq!(json["keys"][0]["members"][1]["p_loss"], 1.0);
    let region: Vec<f64> = fixed
        .iter()
        .map(|f| -1e6 * discount[0] + (1..5).map(|t| (2_152_000.0 - f) * discount[t]).sum::<f64>())
        .collect();
    close(
        &json["region"]["npv_net_benefit"]["p50"],
        type7(&region, 0.5),
        "region p50",
    );
    close(
        &json["region"]["p_win"],
        region.iter().filter(|x| **x > 0.0).count() as f64 / 4.0,
        "region p_win",
    );
}

#[test]
fn fan_bands_end_at_the_npv_quantiles_and_can_be_turned_off() {
    // With every draw in the bands, the last year's band is the NPV's own P10/P50/P90: the
    // cumulative discounted net benefit at the horizon is the NPV, and both use type 7.
    let args = [
        "run",
        "--draws",
        "300",
        "--stability-draws",
        "0",
        "--format",
        "json",
    ];
    let json = samkost_json(&[&args[..], &["--band-draws", "300"]].concat());
    assert_eq!(json["scenario"]["band_draws"], 300);
    let last = json["scenario"]["horizon_years"].as_u64().unwrap() as usize - 1;
    for key in json["keys"].as_array().unwrap() {
        for m in key["members"].as_array().unwrap() {
            for q in ["p10", "p50", "p90"] {
                assert_eq!(m["cumulative_npv"][q][last], m["npv_net_benefit"][q], "{q}");
                let band = m["cumulative_npv"][q].as_array().unwrap();
                assert_eq!(band.len(), last + 1);
            }
            for t in 0..=last {
                let b = &m["cumulative_npv"];
                let q = |name: &str| b[name][t].as_f64().unwrap();
                assert!(q("p10") <= q("p50") && q("p50") <= q("p90"), "year {t}");
            }
        }
    }
    let off = samkost_json(&[&args[..], &["--band-draws", "0"]].concat());
    assert_eq!(off["scenario"]["band_draws"], 0);
    assert!(off["keys"][0]["members"][0].get("cumulative_npv").is_none());
    // The bands change nothing else.
    assert_eq!(off["region"], json["region"]);
}
