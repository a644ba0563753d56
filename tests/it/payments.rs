//! What each member pays, year by year (docs/MODEL.md §6, "Payments"): the payments of every
//! key add up over members to the cooperation's pooled cost, the member rows of `yearly.csv`
//! carry exactly the numbers of `summary.json`, and the yearly differences discount to the
//! mean NPV computed draw by draw (so a key whose shares change per draw is averaged as
//! share × cost per draw, not as a product of means).

use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{close, numbers};

/// `summary.json` and `yearly.csv` of one `run --out`.
struct Run {
    json: Value,
    csv: String,
}

fn run_out(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(args)
            .arg("--out")
            .arg(dir.path()),
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    Run {
        json: serde_json::from_str(&read("summary.json")).unwrap(),
        csv: read("yearly.csv"),
    }
}

/// The embedded default scenario.
fn default_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_out(&["run", "--draws", "300", "--stability-draws", "20"]))
}

#[test]
fn each_keys_payments_add_up_to_the_pooled_cost_every_year() {
    let json = &default_run().json;
    let y = &json["yearly"];
    let running = numbers(&y["pooled_running"]);
    let startup = numbers(&y["pooled_startup"]);
    let own = numbers(&y["own_cost"]);
    let alone = numbers(&y["standalone_cost"]);
    let coop = numbers(&y["cooperation_cost"]);
    assert!(
        startup.iter().any(|v| *v > 0.0),
        "the default has start-up costs"
    );
    for t in 0..running.len() {
        // The region's cooperation cost is pooled running + pooled start-up + own costs.
        assert!(close(coop[t], running[t] + startup[t] + own[t]), "year {t}");
    }
    for key in json["keys"].as_array().unwrap() {
        let members = key["members"].as_array().unwrap();
        let pay = |m: &Value, f: &str| numbers(&m["yearly_payments"][f]);
        for t in 0..running.len() {
            let sum = |f: &str| members.iter().map(|m| pay(m, f)[t]).sum::<f64>();
            let name = key["name"].as_str().unwrap();
            assert!(
                close(sum("to_cooperation_running"), running[t]),
                "{name} {t}"
            );
            assert!(
                close(sum("to_cooperation_startup"), startup[t]),
                "{name} {t}"
            );
            assert!(close(sum("own_cost"), own[t]), "{name} {t}");
            assert!(close(sum("standalone_cost"), alone[t]), "{name} {t}");
            assert!(close(sum("total_paid"), coop[t]), "{name} {t}");
            for m in members {
                let total = pay(m, "to_cooperation_running")[t]
                    + pay(m, "to_cooperation_startup")[t]
                    + pay(m, "own_cost")[t];
                assert_eq!(pay(m, "total_paid")[t].to_bits(), total.to_bits());
                let diff = pay(m, "standalone_cost")[t] - total;
                assert_eq!(pay(m, "difference")[t].to_bits(), diff.to_bits());
                // The difference is the cash net benefit of the year.
                let cash = numbers(&m["yearly_net_benefit"]["cash"])[t];
                assert_eq!(cash.to_bits(), diff.to_bits(), "{name} {t}");
            }
        }
    }
}

#[test]
fn yearly_csv_member_rows_equal_the_json_bit_for_bit() {
    let Run { json, csv } = default_run();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let years = numbers(&json["yearly"]["years"]);
    let keys = json["keys"].as_array().unwrap();
    let fields = [
        ("standalone_cost_mean", "standalone_cost"),
        ("cooperation_cost_mean", "total_paid"),
        ("to_cooperation_running_mean", "to_cooperation_running"),
        ("to_cooperation_startup_mean", "to_cooperation_startup"),
        ("own_cost_mean", "own_cost"),
    ];
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let member_rows = &records[years.len()..];
    let mut checked = 0;
    for key in keys {
        for m in key["members"].as_array().unwrap() {
            for t in 0..years.len() {
                let row = &member_rows[checked];
                assert_eq!(&row[col("key")], key["name"].as_str().unwrap());
                assert_eq!(&row[col("member_id")], m["id"].as_str().unwrap());
                for (csv_name, json_name) in fields {
                    let got: f64 = row[col(csv_name)].parse().unwrap();
                    let want = numbers(&m["yearly_payments"][json_name])[t];
                    assert_eq!(got.to_bits(), want.to_bits(), "{csv_name} row {checked}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, member_rows.len());
    // The region's rows carry the pooled costs.
    for (t, row) in records[..years.len()].iter().enumerate() {
        for (csv_name, json_name) in [
            ("to_cooperation_running_mean", "pooled_running"),
            ("to_cooperation_startup_mean", "pooled_startup"),
            ("own_cost_mean", "own_cost"),
        ] {
            let got: f64 = row[col(csv_name)].parse().unwrap();
            let want = numbers(&json["yearly"][json_name])[t];
            assert_eq!(got.to_bits(), want.to_bits(), "{csv_name} year {t}");
        }
    }
}

/// Second method: the NPV of each draw is `Σ_t d(t)·net(t)` (§6), so its mean over draws equals
/// the yearly mean differences discounted, `d(t) = 1.04^−(t+1)` for the flat 4 % of the test
/// scenario, up to rounding. An ex-post Shapley key's shares change per draw; its yearly
/// payments from the product of mean share and mean pooled cost would miss the mean NPV.
#[test]
fn yearly_differences_discount_to_the_mean_npv_also_for_ex_post_keys() {
    let scenario = format!(
        "{}\n[[keys]]\nname = \"shapley ex post\"\nrule = \"shapley\"\nex_post = true\n",
        crate::BASE
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, scenario).unwrap();
    let run = run_out(&["run", path.to_str().unwrap(), "--draws", "400"]);
    let keys = run.json["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 4);
    for key in keys {
        for m in key["members"].as_array().unwrap() {
            let diff = numbers(&m["yearly_payments"]["difference"]);
            let npv: f64 = diff
                .iter()
                .enumerate()
                .map(|(t, v)| v * 1.04f64.powi(-(t as i32 + 1)))
                .sum();
            let mean = m["npv_net_benefit"]["mean"].as_f64().unwrap();
            let scale: f64 = diff.iter().map(|v| v.abs()).sum();
            assert!(
                (npv - mean).abs() <= 1e-9 * scale.max(1.0),
                "{} {}: {npv} vs {mean}",
                key["name"],
                m["id"]
            );
        }
    }
}
