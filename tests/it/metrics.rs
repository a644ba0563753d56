//! Win-win measures and precision control.

use std::process::Command;

fn samkost_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_samkost"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
