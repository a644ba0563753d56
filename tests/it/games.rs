//! Game-theoretic keys in the Monte Carlo and core stability, against closed forms.

use samkost::scenario::Scenario;
use samkost_core::simulation::{NoProgress, RunConfig, RunResults, resolve_keys, run};

use crate::parse;

/// `c(S) = F + Σ_{i∈S} v_i` for every coalition, singletons included: each member alone pays
/// F = 1,000,000 plus 500 per inhabitant; together the coalition pays F once plus 500 per
/// inhabitant. Hareid 5,322 and Sande 2,438 inhabitants.
const ADDITIVE: &str = r#"name = "Additive game"
first_year = 2026
horizon_years = 1
discount_rate = 0.04
members = ["1517", "1514"]

[[lines]]
name = "Alone"
occurs = "alone"
basis = "per_member"
fixed = 1000000
per = { population = 500 }

[[lines]]
name = "Together"
occurs = "together"
fixed = 1000000
per = { population = 500 }

[[keys]]
name = "Shapley"
rule = "shapley"

[[keys]]
name = "nucleolus"
rule = "nucleolus"

[[keys]]
name = "SCRB"
rule = "scrb"

[[keys]]
name = "equal"
rule = "equal"
"#;

fn simulate(scenario: &Scenario, n_draws: u64) -> RunResults {
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    run(
        &scenario.model,
        &keys,
        &RunConfig {
            n_draws,
            seed: 1,
            stability_draws: n_draws,
            band_draws: 0,
            sampling: samkost_core::sampling::SamplingMethod::MonteCarlo,
            max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
            accounts: false,
            detailed: true,
        },
        &NoProgress,
    )
    .unwrap()
}

#[test]
fn shapley_and_nucleolus_of_an_additive_game_are_fixed_cost_split_plus_own_cost() {
    // docs/MODEL.md §10: Shapley = nucleolus = prenucleolus = F/n + v_i. Shares of the
    // pooled cost F + 500·7,760 = 4,880,000: Hareid (500,000 + 2,661,000)/4,880,000 =
    // 0.6477459, Sande (500,000 + 1,219,000)/4,880,000 = 0.3522541.
    let text = format!("{ADDITIVE}\n[[keys]]\nname = \"prenucleolus\"\nrule = \"prenucleolus\"\n");
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let (keys, game) =
        resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    assert!(game.is_some());
    assert_eq!(keys[4].name, "prenucleolus");
    for key in keys[..3].iter().chain(&keys[4..]) {
        assert!(
            (key.shares[0][0] - 3_161_000.0 / 4_880_000.0).abs() < 1e-9,
            "{}: {:?}",
            key.name,
            key.shares
        );
        assert!((key.shares[0][1] - 1_719_000.0 / 4_880_000.0).abs() < 1e-9);
    }
}

#[test]
fn a_planning_game_without_imputations_refuses_the_nucleolus_and_suggests_the_prenucleolus() {
    // Together the two members pay F = 3,000,000 plus 500 per inhabitant; alone each pays
    // 1,000,000 plus 500 per inhabitant, so the costs alone sum to 1,000,000 less than the
    // cooperation's (5,880,000 against 6,880,000 a year): no allocation keeps both at or
    // below their cost alone, and Schmeidler's nucleolus does not exist (docs/MODEL.md §10).
    let dear = ADDITIVE.replace(
        "occurs = \"together\"\nfixed = 1000000",
        "occurs = \"together\"\nfixed = 3000000",
    );
    assert_ne!(dear, ADDITIVE, "test setup: the together line changed");
    let scenario = parse(&dear).unwrap_or_else(|d| panic!("{d}"));
    let err = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("key `nucleolus`: in the planning game, the nucleolus does not exist"),
        "{err}"
    );
    assert!(err.contains("use rule = \"prenucleolus\""), "{err}");
    // The amounts in whole NOK, the one year discounted at 4 %: 5,880,000 / 1.04 = 5,653,846
    // and 6,880,000 / 1.04 = 6,615,385.
    assert!(
        err.contains(
            "costs alone sum to 5653846 NOK (NPV), less than the cooperation's 6615385 NOK"
        ),
        "{err}"
    );
    // The prenucleolus of two players splits the extra 1,000,000 equally (its excesses
    // c(i) − x_i are equalised): Hareid 3,661,000 + 500,000, Sande 2,219,000 + 500,000, of a
    // pooled cost of 6,880,000 (no direct costs). The Shapley value is the same point.
    let text = dear.replace(
        "name = \"nucleolus\"\nrule = \"nucleolus\"",
        "name = \"prenucleolus\"\nrule = \"prenucleolus\"",
    );
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    assert_eq!(keys[1].name, "prenucleolus");
    for key in &keys[..2] {
        assert!(
            (key.shares[0][0] - 4_161_000.0 / 6_880_000.0).abs() < 1e-9,
            "{}: {:?}",
            key.name,
            key.shares
        );
        assert!((key.shares[0][1] - 2_719_000.0 / 6_880_000.0).abs() < 1e-9);
    }
}

#[test]
fn equal_split_that_overcharges_a_member_is_not_core_stable() {
    // Equal split: each pays 2,440,000 a year; Sande alone would pay 2,219,000, so Sande is
    // tempted to leave in every draw, while Shapley (1,719,000 + 500,000) is in the core.
    let scenario = parse(ADDITIVE).unwrap();
    let results = simulate(&scenario, 50);
    assert_eq!(results.stability_draws, 50);
    let equal = &results.keys[3];
    assert_eq!(equal.p_core_stable.unwrap().p, 0.0);
    assert_eq!(equal.top_breakaway, Some((vec![1], 1.0)));
    for key in &results.keys[..3] {
        assert_eq!(key.p_core_stable.unwrap().p, 1.0, "{}", key.name);
        assert_eq!(key.top_breakaway, None);
    }
}

/// Four members sharing one infrastructure component from the first year:
/// `c(S) = F + G + h(D_S)` for `|S| ≥ 2` and `c({i}) = F + h(D_i)` each year, with
/// `h(D) = u·R·(D/R)^β` concave, `h(0) = 0`, and governance `G` ≤ 300,000 ≤ the fixed part `F`.
/// Then `c(S ∪ j) − c(S)` never grows with `S` (for `S = {i}`: `G + h(D_i + D_j) − h(D_i) ≤
/// F + h(D_j)`), so every year's game, and their discounted sum, is submodular (concave).
const CONCAVE: &str = r#"name = "Concave game"
first_year = 2026
horizon_years = 5
operation_start = 2026
discount_rate = 0.04
members = ["1517", "1515", "1514", "1516"]

[drivers]
users = { per_inhabitant = 0.09 }

[[components]]
name = "Infrastructure"
kind = "infrastructure"
driver = "users"
fixed = { dist = "triangular", min = 300000, mode = 400000, max = 600000 }
unit_cost = { dist = "triangular", min = 600, mode = 800, max = 1100 }
reference = 1000
exponent = { dist = "triangular", min = 0.75, mode = 0.85, max = 0.95 }

[organisation]
model = "host"
governance = { dist = "triangular", min = 50000, mode = 100000, max = 300000 }

[transition]
parallel_months = 0

[[keys]]
name = "equal"
rule = "equal"

[[keys]]
name = "Shapley"
rule = "shapley"
ex_post = true
"#;

#[test]
fn ex_post_shapley_is_stable_in_every_draw_of_a_concave_game() {
    // Recomputed on each draw's realised game, the Shapley shares must still make the members'
    // net benefits add up to the region's (efficiency), and since the Shapley value of a
    // concave cost game lies in its core (Shapley 1971, "Cores of convex games"), the key is
    // stable in every draw.
    let scenario = parse(CONCAVE).unwrap_or_else(|d| panic!("{d}"));
    let results = simulate(&scenario, 200);
    assert_eq!(results.ex_post_fallbacks, 0);
    let n = scenario.model.n_members();
    let k = results
        .keys
        .iter()
        .position(|k| k.name == "Shapley")
        .unwrap();
    for d in 0..200 {
        let sum: f64 = (0..n)
            .map(|i| results.draw_member_npv(k, i, d).unwrap())
            .sum();
        assert!(
            (sum - results.draw_region_npv(d).unwrap()).abs()
                < 1e-3 * results.draw_region_npv(d).unwrap().abs().max(1.0)
        );
    }
    let stable = results.keys[k].p_core_stable.unwrap().p;
    assert_eq!(
        stable, 1.0,
        "ex-post Shapley stable in {stable}: {:?}",
        results.keys[k].top_breakaway
    );
}

#[test]
fn beyond_exact_reach_shapley_is_sampled_with_standard_errors_and_others_refused() {
    // 13 members: the additive game's Shapley value F/n + v_i is estimated by 1,000 sampled
    // join orders (Castro et al. 2009); each share must lie within 4 standard errors of it.
    let ks: Vec<&samkost::scenario::kommuner::Kommune> =
        samkost::scenario::kommuner::all().iter().take(13).collect();
    let members: Vec<String> = ks.iter().map(|k| format!("\"{}\"", k.id)).collect();
    let text = ADDITIVE.replace(
        "members = [\"1517\", \"1514\"]",
        &format!("members = [{}]", members.join(", ")),
    );
    let refused = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let err = resolve_keys(&refused.model, &refused.keys, 1, &refused.planning).unwrap_err();
    assert!(err.to_string().contains("only the Shapley value"), "{err}");
    let text = text.replace("[[keys]]\nname = \"nucleolus\"\nrule = \"nucleolus\"\n\n[[keys]]\nname = \"SCRB\"\nrule = \"scrb\"\n", "");
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let (keys, _) = resolve_keys(&scenario.model, &scenario.keys, 1, &scenario.planning).unwrap();
    let shapley = &keys[0];
    let se = shapley
        .share_std_errors
        .as_ref()
        .expect("sampled shares carry standard errors");
    let total_pop: f64 = ks.iter().map(|k| k.population).sum();
    let pooled = 1_000_000.0 + 500.0 * total_pop;
    for (i, k) in ks.iter().enumerate() {
        let exact = (1_000_000.0 / 13.0 + 500.0 * k.population) / pooled;
        assert!(
            (shapley.shares[0][i] - exact).abs() <= 4.0 * se[i] + 1e-12,
            "{}: {} vs {exact} ± {}",
            k.name,
            shapley.shares[0][i],
            se[i]
        );
    }
    assert!(keys[1].share_std_errors.is_none());
}

#[test]
fn a_county_of_43_members_runs_with_practical_keys_sampled_shapley_and_sampled_stability() {
    // All municipalities of Vestland (county 46) on the default figures.
    let ids: Vec<String> = samkost::scenario::kommuner::all()
        .iter()
        .filter(|k| k.county_id == "46")
        .map(|k| k.id.clone())
        .collect();
    assert_eq!(ids.len(), 43);
    let text =
        samkost::scenario::starter_scenario(&ids, samkost::scenario::StarterLang::En).unwrap();
    let text = text.replace("[[keys]]\nname = \"nucleolus\"\nrule = \"nucleolus\"\n\n[[keys]]\nname = \"SCRB\"\nrule = \"scrb\"\n", "");
    let scenario = parse(&text).unwrap_or_else(|d| panic!("{d}"));
    let results = simulate(&scenario, 300);
    assert_eq!(
        results.stability_draws, 200,
        "sampled stability uses at most 200 draws"
    );
    let n = scenario.model.n_members();
    for (k, key) in results.keys.iter().enumerate() {
        assert!(key.p_core_stable.is_some(), "{}", key.name);
        for d in 0..300 {
            let sum: f64 = (0..n)
                .map(|i| results.draw_member_npv(k, i, d).unwrap())
                .sum();
            let region = results.draw_region_npv(d).unwrap();
            assert!((sum - region).abs() < 1e-6 * region.abs().max(1.0));
        }
    }
    let shapley = results.keys.iter().find(|k| k.name == "Shapley").unwrap();
    assert!(
        shapley
            .share_std_errors
            .as_ref()
            .is_some_and(|se| se.len() == 43)
    );
}

#[test]
fn the_scenarios_year_game_exported_for_allocate_matches_the_hand_calculation() {
    // tests/it/model.rs HAND, year 2027: c(Hareid) = 5,622,000, c(Sande) = 2,738,000,
    // c(both) = 6,708,000; the Shapley value splits the 1,652,000 saved equally:
    // Hareid 4,796,000, Sande 1,912,000.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("hand.toml");
    std::fs::write(&scenario, crate::model::HAND).unwrap();
    let bin = env!("CARGO_BIN_EXE_samkost");
    let out = std::process::Command::new(bin)
        .args(["game", scenario.to_str().unwrap(), "--year", "2027"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let game = dir.path().join("game.toml");
    std::fs::write(&game, &out.stdout).unwrap();
    let out = std::process::Command::new(bin)
        .args(["allocate", game.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shapley: Vec<f64> = json["methods"]["shapley"]["allocation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(shapley, [4_796_000.0, 1_912_000.0]);
    let bad = std::process::Command::new(bin)
        .args(["game", scenario.to_str().unwrap(), "--year", "2040"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
}

/// The NPV game from discount-weighted aggregates (`Model::npv_game`, used by core stability,
/// ex-post keys and the planning game) equals the game summed coalition by coalition and year
/// by year from `Model::coalition_flows`, for every coalition and both categories, on random
/// draws of every shipped scenario (Hamar: IKS staff held by attrition, pooled transition).
#[test]
fn npv_game_matches_coalition_flows() {
    use samkost_core::games::{RealisedGame, realised_game_by_years};
    use samkost_core::model::{CoalitionTable, DrawValues, NpvGameTerms};
    use samkost_core::sampling::SamplingMethod;
    use samkost_core::simulation::parameter_sample;
    let texts = [
        samkost::scenario::DEFAULT_SCENARIO,
        include_str!("../../scenarios/hamar-region.toml"),
        include_str!("../../scenarios/ssikt-bottom-up.toml"),
        ADDITIVE,
    ];
    for text in texts {
        let scenario = parse(text).unwrap();
        let model = &scenario.model;
        let discount = model.discounting.factors(model.horizon_years);
        let table = CoalitionTable::new(model);
        let m = model.parameters.len();
        let sample = parameter_sample(model, SamplingMethod::MonteCarlo, 4, 5).unwrap();
        for params in sample.chunks(m.max(1)).take(4) {
            let mut values = DrawValues::default();
            model.evaluate(params, &mut values);
            let mut fast = Vec::new();
            model.npv_game(
                &values,
                &discount,
                &table,
                &mut NpvGameTerms::default(),
                &mut fast,
            );
            let mut slow = RealisedGame::default();
            realised_game_by_years(model, &values, &discount, &mut slow);
            assert_eq!(fast.len(), slow.costs.len());
            for (mask, (f, s)) in fast.iter().zip(&slow.costs).enumerate() {
                for c in 0..2 {
                    let tol = 1e-9 * f[c].abs().max(s[c].abs()).max(1.0);
                    assert!(
                        (f[c] - s[c]).abs() <= tol,
                        "{}: coalition {mask:b}, category {c}: {} vs {}",
                        scenario.name,
                        f[c],
                        s[c]
                    );
                }
            }
        }
    }
}
