//! Stability over time (docs/MODEL.md §10a): each group's gain from leaving in each later year,
//! against a year-by-year computation from `Model::coalition_flows` and against a closed form.

use samkost_core::allocation::{CostPart, ResolvedKey};
use samkost_core::model::{CoalitionFlows, DrawValues, Model, Scratch};
use samkost_core::sampling::SamplingMethod;
use samkost_core::simulation::{
    NoProgress, RunConfig, leave_gains, parameter_sample, resolve_keys, run,
};

use crate::parse;

/// The reference: every group's gain from leaving at the start of every year `t ≥ T₀`,
/// computed from the definition year by year. What a member pays in the cooperation is its
/// direct cost plus its key share of each category's pooled cost of the grand coalition
/// (`Model::coalition_flows` of all members), under a key per component its share of each
/// named component's or line's running cost by that part's rule and of the rest by the
/// default rule (§5c, with the parts' rows of `Model::pooled_component_row`); a group's own
/// cost is `c(S, t)` of the same
/// function; the restart cost is the parallel operation's `s · m / 12` of the group's running
/// cost in the leave year; the settlement the group's running shares of the platform's book
/// value, written here from §4b directly (the first platform and every replacement cost
/// `κ · R · ΣP` and depreciate over `N` years; in a replacement year the old one is worth 0).
fn reference_gains(
    model: &Model,
    v: &DrawValues,
    discount: &[f64],
    keys: &[ResolvedKey],
) -> Vec<f64> {
    let n = model.n_members();
    let size = 1usize << n;
    let h = discount.len();
    let t0 = model.operation_start;
    let mut scratch = Scratch::default();
    let mut flows = CoalitionFlows::default();
    // cost[mask][t] (both categories) and running[mask][t].
    let mut cost = vec![vec![0.0; h]; size];
    let mut running = vec![vec![0.0; h]; size];
    let mut grand = Vec::new();
    for mask in 1..size {
        let members: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        for t in 0..h {
            model.coalition_flows(v, &members, t, &mut scratch, &mut flows);
            cost[mask][t] = flows.total();
            running[mask][t] = flows.pooled[0] + flows.direct[0].iter().sum::<f64>();
            if mask == size - 1 {
                grand.push(flows.clone());
            }
        }
    }
    let suffix = |row: &[f64], t: usize| (t..h).map(|u| discount[u] * row[u]).sum::<f64>();
    let (months, share) = v.parallel;
    let restart = share * months / 12.0;
    let platform = |t: usize| -> f64 {
        let Some(a) = &v.assets else { return 0.0 };
        let population: f64 = model.members.iter().map(|m| m.population).sum();
        let r = a.pooled_replacement_share * a.replacement * population;
        let k = t - t0;
        match (k, k % a.life) {
            (0, _) => r,
            (_, 0) => 0.0,
            (_, age) => r * (1.0 - age as f64 / a.life as f64),
        }
    };
    let resale = v.assets.as_ref().map_or(0.0, |a| a.resale_share);
    // The stock a leaver buys in: alone, the book value its own assets would have (§4b's
    // vintages, held at the start of the year); a group, a platform of its own inhabitants.
    let own_stock = |i: usize, t: usize| {
        v.assets.as_ref().map_or(0.0, |a| {
            a.standalone_year(model.members[i].population, t)
                .book_value_held()
        })
    };
    let group_stock = |members: &[usize], t: usize| {
        let population: f64 = members.iter().map(|&i| model.members[i].population).sum();
        let total: f64 = model.members.iter().map(|m| m.population).sum();
        platform(t) * population / total
    };
    // A key per component (§5c) splits each named component's or pooled line's running cost
    // `P_c(t)` by its own rule and the rest by the default rule:
    // `run_i(t) = s_i^def(t) P^run(t) + Σ_c (s_i^c(t) − s_i^def(t)) P_c(t)`.
    let part_row = |part: CostPart| {
        let mut row = vec![0.0; h];
        match part {
            CostPart::Component(c) => model.pooled_component_row(v, c, &mut row),
            CostPart::Line(l) => model.pooled_line_row(v, l, &mut row),
        }
        row
    };
    let mut gains = Vec::new();
    for key in keys {
        let parts: Vec<Vec<f64>> = key.components.as_ref().map_or_else(Vec::new, |cs| {
            (0..cs.len()).map(|j| part_row(cs.part(j))).collect()
        });
        let pay = |i: usize, t: usize| {
            let f = &grand[t];
            let shared = match &key.components {
                Some(cs) => {
                    let def = cs.default_in(t)[i];
                    let named: f64 = parts
                        .iter()
                        .enumerate()
                        .map(|(j, row)| (cs.component_in(j, t)[i] - def) * row[t])
                        .sum();
                    def * f.pooled[0] + named + cs.startup_in(t)[i] * f.pooled[1]
                }
                // Each key's shares per year: the same every year, or a driver's path (§5a).
                None => (0..2)
                    .map(|c| key.shares_in_year(c, t)[i] * f.pooled[c])
                    .sum(),
            };
            f.direct[0][i] + f.direct[1][i] + shared
        };
        // The settlement is split by the running shares of the leave year; a key per component
        // by its reference running shares (§5c).
        let settlement_share = |i: usize, t: usize| match &key.components {
            Some(_) => key.shares[0][i],
            None => key.shares_in_year(0, t)[i],
        };
        for t in t0..h {
            let stay = |i: usize| (t..h).map(|u| discount[u] * pay(i, u)).sum::<f64>();
            let settlement = discount[t] * platform(t);
            gains.push(0.0);
            for mask in 1..size {
                let members: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
                let stays: f64 = members.iter().map(|&i| stay(i)).sum();
                let leave = if mask == size - 1 {
                    // Wind-up: every member alone, the platform sold at the resale share.
                    members
                        .iter()
                        .map(|&i| {
                            suffix(&cost[1 << i], t)
                                + discount[t] * (restart * running[1 << i][t] + own_stock(i, t))
                        })
                        .sum::<f64>()
                        - resale * settlement
                } else {
                    let owned: f64 = members.iter().map(|&i| settlement_share(i, t)).sum();
                    let stock = if members.len() == 1 {
                        own_stock(members[0], t)
                    } else {
                        group_stock(&members, t)
                    };
                    suffix(&cost[mask], t) + discount[t] * (restart * running[mask][t] + stock)
                        - owned * settlement
                };
                gains.push(stays - leave);
            }
        }
    }
    gains
}

#[test]
fn leave_gains_match_a_year_by_year_computation() {
    let texts = [
        include_str!("../../scenarios/hamar-region.toml"),
        include_str!("../../scenarios/hamar-region-by-year.toml"),
        samkost::scenario::DEFAULT_SCENARIO,
        crate::BASE,
    ];
    for text in texts {
        let scenario = parse(text).unwrap_or_else(|d| panic!("{d}"));
        let model = &scenario.model;
        let (keys, _) = resolve_keys(model, &scenario.keys, 1, &scenario.planning).unwrap();
        let discount = model.discounting.factors(model.horizon_years);
        let m = model.parameters.len();
        let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 3, 11).unwrap();
        for params in sample.chunks(m.max(1)).take(3) {
            let fast = leave_gains(model, &keys, params, &discount);
            let mut v = DrawValues::default();
            model.evaluate(params, &mut v);
            let slow = reference_gains(model, &v, &discount, &keys);
            assert_eq!(fast.first_year, model.operation_start);
            assert_eq!(fast.n_years, model.horizon_years - model.operation_start);
            assert_eq!(fast.gains.len(), slow.len(), "{}", scenario.name);
            let scale = slow.iter().fold(1.0_f64, |a, g| a.max(g.abs()));
            for (idx, (f, s)) in fast.gains.iter().zip(&slow).enumerate() {
                let (row, mask) = (idx / fast.n_masks, idx % fast.n_masks);
                assert!(
                    (f - s).abs() <= 1e-9 * scale,
                    "{}: key {}, leave year {}, group {mask:b}: {f} vs {s}",
                    scenario.name,
                    row / fast.n_years,
                    fast.first_year + row % fast.n_years,
                );
            }
        }
    }
}

/// Two members, costs in lines only, no discounting. Alone each pays 80 a year; together the
/// cooperation pays 100, split 90/10 by an agreed key. Parallel operation of 6 months at half
/// the cost makes the restart cost 0.5 · 6/12 · 80 = 20 in the leave year. Leaving at the
/// start of year t (of H = 4) saves Hareid (90 − 80)·(4 − t) − 20: 20 at t = 0, 10 at t = 1,
/// 0 at t = 2 (no temptation: not above the tolerance), −10 at t = 3. Sande would lose
/// (10 − 80)·(4 − t) − 20 by leaving. Winding up costs both their alone costs plus both
/// restarts against the cooperation's 100: (100 − 160)·(4 − t) − 40.
pub(crate) const TWO_MEMBERS: &str = r#"name = "Two members, lines only"
first_year = 2026
horizon_years = 4
operation_start = 2026
discount_rate = 0.0
members = ["1517", "1514"]

[transition]
parallel_months = 6
parallel_share = 0.5

[[lines]]
name = "Own operations"
occurs = "alone"
basis = "per_member"
fixed = 80

[[lines]]
name = "Shared operations"
occurs = "together"
fixed = 100

[[keys]]
name = "agreed"
rule = "fixed"
shares = { "1517" = 0.9, "1514" = 0.1 }
"#;

#[test]
fn a_member_paying_more_than_alone_is_tempted_until_the_restart_cost_outweighs_the_years_left() {
    let scenario = parse(TWO_MEMBERS).unwrap_or_else(|d| panic!("{d}"));
    let model = &scenario.model;
    let (keys, _) = resolve_keys(model, &scenario.keys, 1, &scenario.planning).unwrap();
    let discount = model.discounting.factors(model.horizon_years);
    let gains = leave_gains(model, &keys, &[], &discount);
    assert_eq!((gains.first_year, gains.n_years, gains.n_masks), (0, 4, 4));
    for t in 0..4 {
        let row = &gains.gains[t * 4..(t + 1) * 4];
        let left = (4 - t) as f64;
        let expected = [10.0 * left - 20.0, -70.0 * left - 20.0, -60.0 * left - 40.0];
        for (got, want) in row[1..].iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "year {t}: {row:?}");
        }
    }
    // The run counts Hareid tempted in the first two years, in every draw, by the mean gain.
    let results = run(
        model,
        &keys,
        &RunConfig {
            n_draws: 5,
            seed: 1,
            stability_draws: 5,
            band_draws: 0,
            sampling: SamplingMethod::MonteCarlo,
            max_stored_draws: 100,
            accounts: false,
            detailed: true,
        },
        &NoProgress,
    )
    .unwrap();
    let leaving = &results.keys[0].leaving;
    assert_eq!(leaving.len(), 4);
    for (t, year) in leaving.iter().enumerate() {
        let tempted = t < 2;
        assert_eq!(year.year, t);
        assert_eq!(year.p_any.p, if tempted { 1.0 } else { 0.0 });
        assert_eq!(year.p_alone, [if tempted { 1.0 } else { 0.0 }, 0.0]);
        assert_eq!(year.p_wind_up, 0.0);
        match &year.top {
            Some(top) => {
                assert!(tempted);
                assert_eq!(top.members, [0]);
                assert_eq!(top.p, 1.0);
                assert!((top.mean_gain - (10.0 * (4 - t) as f64 - 20.0)).abs() < 1e-9);
            }
            None => assert!(!tempted),
        }
    }
}

/// `run --out` on the Hamar region: `summary.json` has, per key, one entry per year from the
/// first operating year to the last, probabilities that hang together (the most tempting group
/// and each member alone are never more likely than "some group", a member's figure is that of
/// its singleton), and the report shows every key's sentence and every probability of
/// `p_any` bit for bit.
#[test]
fn summary_and_report_carry_the_leaving_probabilities() {
    let dir = tempfile::tempdir().unwrap();
    crate::succeed(
        std::process::Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(["run", "scenarios/hamar-region.toml", "--draws", "300"])
            .args(["--stability-draws", "120", "--sobol", "0", "--out"])
            .arg(dir.path()),
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&read("summary.json")).unwrap();
    let html = read("report.html");
    let scenario = &summary["scenario"];
    let first = scenario["operation_start"].as_i64().unwrap();
    let last =
        scenario["first_year"].as_i64().unwrap() + scenario["horizon_years"].as_i64().unwrap() - 1;
    let keys = summary["keys"].as_array().unwrap();
    let mut cells = Vec::new();
    let mut tempted_somewhere = false;
    for key in keys {
        let years = key["leaving"].as_array().unwrap();
        let listed: Vec<i64> = years.iter().map(|y| y["year"].as_i64().unwrap()).collect();
        assert_eq!(listed, (first..=last).collect::<Vec<_>>());
        for y in years {
            let p_any = y["p_any"].as_f64().unwrap();
            let se = y["p_any_se"].as_f64().unwrap();
            assert!((se - (p_any * (1.0 - p_any) / 120.0).sqrt()).abs() < 1e-15);
            assert!(y["p_wind_up"].as_f64().unwrap() <= p_any);
            let alone: Vec<f64> = y["p_alone"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["p"].as_f64().unwrap())
                .collect();
            assert!(alone.iter().all(|&p| p <= p_any));
            if let Some(top) = y["top_group"].as_object() {
                let p = top["p"].as_f64().unwrap();
                assert!(p > 0.0 && p <= p_any);
                assert!(
                    alone.iter().all(|&a| a <= p),
                    "the top group is the most frequent"
                );
                assert!(top["mean_gain"].as_f64().unwrap() > 0.0);
                tempted_somewhere = true;
            } else {
                assert_eq!(p_any, 0.0);
            }
            cells.push((key["name"].as_str().unwrap().to_owned(), p_any));
        }
    }
    assert!(
        tempted_somewhere,
        "some key tempts someone in the Hamar region"
    );
    assert_eq!(
        html.matches("<p class=\"leaving-verdict\"").count(),
        keys.len()
    );
    let shown: Vec<(String, f64)> = html
        .split("<td class=\"n wrap\" data-key=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.strip_prefix(" data-p-any=\"")?.split('"').next()?;
            Some((name.replace("&amp;", "&"), value.parse().ok()?))
        })
        .collect();
    // The table is year by year, keys side by side; the summary key by key.
    let n_years = (last - first + 1) as usize;
    let by_year: Vec<(String, f64)> = (0..n_years)
        .flat_map(|j| (0..keys.len()).map(move |k| (k, j)))
        .map(|(k, j)| cells[k * n_years + j].clone())
        .collect();
    assert_eq!(shown.len(), by_year.len());
    for (s, c) in shown.iter().zip(&by_year) {
        assert_eq!(s.0, c.0);
        assert_eq!(s.1.to_bits(), c.1.to_bits());
    }
}

/// Thirteen members, beyond exact reach (12): every input fixed (the platform's share of the
/// members' replacement cost too, which otherwise has a drawn default), so every draw is the
/// same.
/// Alone each member pays 1 MNOK plus 500 NOK per inhabitant; together the cooperation pays
/// 3 MNOK plus 300 per inhabitant, shared equally or by population, with parallel operation
/// and assets so that restart, stock and settlement all count.
const THIRTEEN: &str = r#"name = "Thirteen members"
first_year = 2026
horizon_years = 6
operation_start = 2027
discount_rate = 0.04
members = ["1505", "1506", "1508", "1511", "1514", "1515", "1516", "1517", "1520", "1525", "1528", "1531", "1532"]

[transition]
parallel_months = 6
parallel_share = 0.5

[assets]
book_value = 300
vintages = "spread"
replacement = 600
life = 5
resale_share = 0.05
pooled_replacement_share = 0.7

[[lines]]
name = "Own operations"
occurs = "alone"
basis = "per_member"
fixed = 1000000
per = { population = 500 }

[[lines]]
name = "Shared operations"
occurs = "together"
fixed = 3000000
per = { population = 300 }

[[keys]]
name = "equal"
rule = "equal"

[[keys]]
name = "population"
rule = "proportional"
driver = "population"
"#;

/// Beyond exact reach the run checks each member alone and the wind-up (docs/MODEL.md §10a):
/// the same gains as the exact computation over all 8,192 groups gives for those groups.
#[test]
fn beyond_exact_reach_members_alone_and_the_wind_up_are_checked_exactly() {
    let scenario = parse(THIRTEEN).unwrap_or_else(|d| panic!("{d}"));
    let model = &scenario.model;
    assert_eq!(model.n_members(), 13);
    let (keys, _) = resolve_keys(model, &scenario.keys, 1, &scenario.planning).unwrap();
    let discount = model.discounting.factors(model.horizon_years);
    // Fixed inputs are still parameters of the model (with one value each).
    let params = parameter_sample(model, SamplingMethod::MonteCarlo, 1, 1).unwrap();
    let exact = leave_gains(model, &keys, &params, &discount);
    let results = run(
        model,
        &keys,
        &RunConfig {
            n_draws: 3,
            seed: 1,
            stability_draws: 3,
            band_draws: 0,
            sampling: SamplingMethod::MonteCarlo,
            max_stored_draws: 100,
            accounts: false,
            detailed: true,
        },
        &NoProgress,
    )
    .unwrap();
    let (n, size) = (13, exact.n_masks);
    let mut tempted = 0;
    for (k, key) in results.keys.iter().enumerate() {
        assert_eq!(key.leaving.len(), exact.n_years);
        for (j, year) in key.leaving.iter().enumerate() {
            let row = &exact.gains[(k * exact.n_years + j) * size..][..size];
            let yes = |gain: f64| if gain > exact.tolerance { 1.0 } else { 0.0 };
            for i in 0..n {
                assert_eq!(
                    year.p_alone[i],
                    yes(row[1 << i]),
                    "key {k}, year {j}, member {i}"
                );
            }
            assert_eq!(year.p_wind_up, yes(row[size - 1]));
            // The most tempting of the groups checked: the first member alone that gains,
            // tempted in every draw by the same amount.
            if let Some(top) = &year.top {
                let i = top.members[0];
                assert_eq!(top.members, [i]);
                let gain = row[1 << i];
                assert!(
                    (top.mean_gain - gain).abs() <= 1e-9 * gain.abs(),
                    "key {k}, year {j}"
                );
                assert_eq!((0..n).find(|&m| row[1 << m] > exact.tolerance), Some(i));
                tempted += 1;
            }
        }
    }
    assert!(tempted > 0, "the equal split tempts the small members");
}

/// Leaving is checked on the first `LEAVING_DRAWS` stability draws only, and a run says on how
/// many: the same probabilities as a run whose stability draws stop there.
#[test]
fn leaving_is_checked_on_the_first_two_thousand_stability_draws() {
    let scenario = parse(crate::BASE).unwrap();
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    let config = |stability_draws| RunConfig {
        n_draws: 2_100,
        seed: 3,
        stability_draws,
        band_draws: 0,
        sampling: SamplingMethod::MonteCarlo,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        accounts: false,
        detailed: true,
    };
    let all = run(&scenario.model, &keys, &config(2_100), &NoProgress).unwrap();
    let capped = run(&scenario.model, &keys, &config(2_000), &NoProgress).unwrap();
    assert_eq!(samkost_core::simulation::LEAVING_DRAWS, 2_000);
    assert_eq!((all.stability_draws, all.leaving_draws), (2_100, 2_000));
    assert_eq!(
        (capped.stability_draws, capped.leaving_draws),
        (2_000, 2_000)
    );
    for (a, c) in all.keys.iter().zip(&capped.keys) {
        assert!(!a.leaving.is_empty(), "{}", a.name);
        assert_eq!(a.leaving, c.leaving, "{}", a.name);
    }
}
