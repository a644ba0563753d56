use super::*;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Values of `c` with its expressions at `v`, in the order of [`Component::exprs`].
fn values(c: &Component, v: &[f64]) -> ComponentValues {
    let mut it = v.iter().copied();
    ComponentValues {
        kind: c.kind_values(|_| it.next().unwrap_or(f64::NAN)),
        tiers: Vec::new(),
        scope_growth: 0.0,
        growth_factors: vec![1.0],
        ..ComponentValues::default()
    }
}

fn buyer(load: f64) -> Buyer {
    Buyer {
        load,
        connection_load: 0.0,
        coordinated: false,
        payroll_tax: 0.141,
    }
}

fn infra(conn: bool) -> Component {
    Component {
        name: "infra".into(),
        driver: 0,
        kind: ComponentKind::Infrastructure {
            fixed: Expr::Const(0.0),
            unit_cost: Expr::Const(0.0),
            reference: 1000.0,
            exponent: Expr::Const(1.0),
            connections: conn.then_some(Connections {
                driver: 1,
                unit_cost: Expr::Const(0.0),
                coordination_saving: Expr::Const(0.0),
            }),
        },
        pooled_from: 0,
        scope_growth: Expr::Const(0.0),
        growth: Expr::Const(0.0),
    }
}

fn staffing() -> Component {
    Component {
        name: "staff".into(),
        driver: 0,
        kind: ComponentKind::Staffing {
            critical_mass: Expr::Const(0.0),
            fte_at_reference: Expr::Const(0.0),
            reference: 1000.0,
            exponent: Expr::Const(1.0),
            salary: Expr::Const(0.0),
            premium_max: Expr::Const(0.0),
            premium_half_fte: Expr::Const(1.0),
            retained_share: Expr::Const(0.0),
            retained_floor: Expr::Const(0.0),
        },
        pooled_from: 0,
        scope_growth: Expr::Const(0.0),
        growth: Expr::Const(0.0),
    }
}

#[test]
fn retained_role_is_a_share_of_the_staff_alone_with_a_floor() {
    // ρ = 0.1, floor 0.5 FTE, salary 880,000, payroll tax 14.1 %: a member with 8 FTE
    // alone keeps 0.8 FTE (803,264 NOK), one with 3 FTE keeps the floor 0.5 (502,040).
    let c = staffing();
    let v = values(&c, &[2.0, 4.0, 0.8, 880_000.0, 0.0, 3.0, 0.1, 0.5]);
    let big = c.retained_role(&v, 8.0, 0.141);
    assert!((big.fte - 0.8).abs() < 1e-12);
    assert!((big.nok - 0.8 * 880_000.0 * 1.141).abs() < 1e-6);
    let small = c.retained_role(&v, 3.0, 0.141);
    assert_eq!(small.fte, 0.5);
    assert!((small.nok - 502_040.0).abs() < 1e-6);
    assert_eq!(
        infra(false).retained_role(&v, 8.0, 0.141),
        BuyerCost::default()
    );
}

#[test]
fn infrastructure_hand_calculation() {
    // F = 400,000; u = 800 NOK/user at R = 1,000 users; β = 0.85; 500 users:
    // 400,000 + 800·1,000·0.5^0.85 = 400,000 + 443,827.79 (0.5^0.85 = 0.55478474).
    let c = infra(false);
    let got = c
        .buyer_cost(&values(&c, &[400_000.0, 800.0, 0.85]), buyer(500.0))
        .nok;
    assert!((got - (400_000.0 + 800_000.0 * 0.5f64.powf(0.85))).abs() < 1e-6);
    assert!((got - 843_827.79).abs() < 0.01, "{got}");
    // Connections: 20 sites at 12,000, 40 % saved when coordinated.
    let c = infra(true);
    let v = values(&c, &[0.0, 0.0, 1.0, 12_000.0, 0.4]);
    let alone = c
        .buyer_cost(
            &v,
            Buyer {
                connection_load: 20.0,
                ..buyer(0.0)
            },
        )
        .nok;
    let together = c
        .buyer_cost(
            &v,
            Buyer {
                connection_load: 20.0,
                coordinated: true,
                ..buyer(0.0)
            },
        )
        .nok;
    assert_eq!((alone, together), (240_000.0, 144_000.0));
}

#[test]
fn licence_tiers_hand_calculation() {
    // Tiers: 0–999 at 2,000; 1,000–2,499 at 1,800; 2,500+ at 1,600. 3,000 users:
    // all-units: 3,000·1,600 = 4,800,000; graduated: 1,000·2,000 + 1,500·1,800 + 500·1,600
    // = 2,000,000 + 2,700,000 + 800,000 = 5,500,000.
    let tiers = [(0.0, 2000.0), (1000.0, 1800.0), (2500.0, 1600.0)];
    assert_eq!(licence_volume_cost(&tiers, 3000.0, false), 4_800_000.0);
    assert_eq!(licence_volume_cost(&tiers, 3000.0, true), 5_500_000.0);
    assert_eq!(licence_volume_cost(&tiers, 500.0, true), 1_000_000.0);
}

/// The run's tier spans give every coalition's licence volume cost as
/// [`licence_volume_cost`] computes it from the load, to the bit, for both tier rules: loads
/// of 0, below, at and above each threshold, and a draw's prices that are not round numbers.
#[test]
fn tier_spans_are_the_volume_cost() {
    let loads = [
        0.0, 1.0, 999.0, 1000.0, 1000.5, 2499.0, 2500.0, 2500.25, 4999.0, 5000.0, 12345.6,
    ];
    let prices = [
        (0.0, 2013.7),
        (1000.0, 1811.3),
        (2500.0, 1609.9),
        (5000.0, 1390.1),
    ];
    for graduated in [false, true] {
        let component = Component {
            name: "licence".into(),
            driver: 0,
            kind: ComponentKind::Licence {
                platform_fee: Expr::Const(0.0),
                tiers: prices
                    .iter()
                    .map(|&(from_units, p)| Tier {
                        from_units,
                        price: Expr::Const(p),
                    })
                    .collect(),
                graduated,
                enterprise_fee: None,
            },
            pooled_from: 0,
            scope_growth: Expr::Const(0.0),
            growth: Expr::Const(0.0),
        };
        let spans = TierSpans::new(&component, &loads);
        for (mask, &load) in loads.iter().enumerate() {
            let want = licence_volume_cost(&prices, load, graduated);
            let got = spans.volume_cost(mask, &prices);
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "load {load}, graduated {graduated}"
            );
        }
        // The same through the pooled costs of many coalitions, against each buyer's cost.
        let v = ComponentValues {
            kind: component.kind_values(|_| 150_000.0),
            tiers: prices.to_vec(),
            ..ComponentValues::default()
        };
        let table = CoalitionLoads {
            loads: loads.to_vec(),
            log_relative: vec![0.0; loads.len()],
            connections: vec![0.0; loads.len()],
            tiers: spans,
        };
        let mut pooled = vec![0.0; loads.len()];
        component.pooled_costs(&v, &table, 0.141, &mut pooled);
        for (&load, got) in loads.iter().zip(&pooled) {
            let coordinated = Buyer {
                coordinated: true,
                ..buyer(load)
            };
            let want = component.buyer_cost(&v, coordinated);
            assert_eq!(got.to_bits(), want.nok.to_bits(), "pooled at {load}");
        }
    }
}

#[test]
fn purchasing_hand_calculation() {
    // 1,000 users, 1.1 PCs each, 4-year cycle → V = 275/yr; δ = 0.15, h = 500:
    // discount 0.15·275/775 = 0.0532258; cost 275·9,000·(1 − 0.0532258) = 2,343,266.1.
    let c = Component {
        kind: ComponentKind::Purchasing {
            units_per_driver: Expr::Const(0.0),
            unit_price: Expr::Const(0.0),
            cycle_years: Expr::Const(1.0),
            max_discount: Expr::Const(0.0),
            half_volume: Expr::Const(1.0),
        },
        ..infra(false)
    };
    let got = c
        .buyer_cost(&values(&c, &[1.1, 9000.0, 4.0, 0.15, 500.0]), buyer(1000.0))
        .nok;
    assert!((got - 2_343_266.13).abs() < 0.01, "{got}");
}

#[test]
fn staffing_hand_calculation() {
    // m = 2 FTE, r = 4 FTE at 1,000 users, γ = 0.8, salary 880,000, zone I 14.1 %,
    // π = 0.3, h = 3. 500 users: workload 4·0.5^0.8 = 2.2973967 > 2 →
    // premium 0.3/(1 + 2.2973967/3) = 0.1698948;
    // cost 2.2973967·880,000·1.141·1.1698948 = 2,698,678.26.
    let c = staffing();
    let v = values(&c, &[2.0, 4.0, 0.8, 880_000.0, 0.3, 3.0]);
    let got = c.buyer_cost(&v, buyer(500.0));
    assert!((got.fte - 4.0 * 0.5f64.powf(0.8)).abs() < 1e-12);
    assert!((got.nok - 2_698_678.26).abs() < 0.01, "{}", got.nok);
    // A tiny unit is held at the critical mass.
    assert_eq!(c.buyer_cost(&v, buyer(100.0)).fte, 2.0);
}

#[test]
fn linear_component_saves_nothing() {
    // β = 1, no fixed cost, no connections: pooling two buyers costs exactly the sum.
    let c = infra(false);
    let v = values(&c, &[0.0, 900.0, 1.0]);
    let a = c.buyer_cost(&v, buyer(300.0)).nok;
    let b = c.buyer_cost(&v, buyer(700.0)).nok;
    let ab = c.buyer_cost(&v, buyer(1000.0)).nok;
    assert!((ab - (a + b)).abs() < 1e-6);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, rng_seed: RngSeed::Fixed(20240101), ..ProptestConfig::default() })]
    #[test]
    fn concave_components_never_cost_more_pooled(
        loads in proptest::collection::vec(1.0f64..20_000.0, 2..8),
        fixed in 0.0f64..2e6, unit in 100.0f64..3000.0, beta in 0.3f64..=1.0,
        cm in 0.0f64..4.0, gamma in 0.3f64..=1.0, premium in 0.0f64..0.5,
        discount in 0.0f64..0.5, half in 1.0f64..5000.0,
    ) {
        let total: f64 = loads.iter().sum();
        let purchasing = Component { kind: ComponentKind::Purchasing { units_per_driver: Expr::Const(0.0), unit_price: Expr::Const(0.0), cycle_years: Expr::Const(1.0), max_discount: Expr::Const(0.0), half_volume: Expr::Const(1.0) }, ..infra(false) };
        let cases = [
            (infra(false), vec![fixed, unit, beta]),
            (staffing(), vec![cm, 4.0, gamma, 880_000.0, premium, 3.0]),
            (purchasing, vec![1.1, 9000.0, 4.0, discount, half]),
        ];
        for (c, x) in cases {
            let v = values(&c, &x);
            let alone: f64 = loads.iter().map(|&l| c.buyer_cost(&v, buyer(l)).nok).sum();
            let pooled = c.buyer_cost(&v, buyer(total)).nok;
            prop_assert!(pooled <= alone * (1.0 + 1e-12), "{}: pooled {pooled} > alone {alone}", c.name);
        }
    }
}
