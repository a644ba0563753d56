//! `samkost design`'s output: a readable table and JSON (docs/MODEL.md §13).

use serde::Serialize;

use samkost_core::design::{Counts, FamilyKind, Found, Goal, SeekDirection};

use crate::design::{Analysis, SeekAnswer, SeekParameter};

/// A probability with its standard error.
#[derive(Debug, Serialize)]
pub struct ProbabilityJson {
    /// Estimate.
    pub p: f64,
    /// Standard error `√(p(1−p)/n)`.
    pub se: f64,
    /// Draws counted.
    pub n: u64,
}

fn prob(count: u64, n: u64) -> ProbabilityJson {
    let p = if n == 0 { 0.0 } else { count as f64 / n as f64 };
    ProbabilityJson {
        p,
        se: if n == 0 {
            0.0
        } else {
            (p * (1.0 - p) / n as f64).sqrt()
        },
        n,
    }
}

/// A designed key.
#[derive(Debug, Serialize)]
pub struct DesignedKeyJson {
    /// `frontier`, `hybrid`, `blend`, `bands` or `separate_startup`.
    pub family: &'static str,
    /// A short description of the family and its driver(s).
    pub label: String,
    /// Parameter names and their best values.
    pub parameters: Vec<(String, f64)>,
    /// Running-cost shares in member order.
    pub shares: Vec<f64>,
    /// Start-up shares, when they differ from the running shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_shares: Option<Vec<f64>>,
    /// On the design sample (where the key was chosen; optimistic).
    pub p_all_win: ProbabilityJson,
    /// Core stability on the design sample (null beyond 12 members).
    pub p_core_stable: Option<ProbabilityJson>,
    /// On fresh draws (an unbiased check of the chosen key).
    pub check_p_all_win: ProbabilityJson,
    /// Core stability on fresh draws.
    pub check_p_core_stable: Option<ProbabilityJson>,
    /// Every member's probability of gaining on the design sample.
    pub p_gain: Vec<f64>,
    /// Burden ratio.
    pub burden_ratio: Option<f64>,
    /// Whether the search covered the whole family (the optimum on the sample is exact).
    pub exact: bool,
}

/// One goal's design.
#[derive(Debug, Serialize)]
pub struct GoalJson {
    /// `all_win` or `core_stable`.
    pub goal: &'static str,
    /// Upper bound on the frontier (share of draws in which some shares meet the goal).
    pub upper_bound: ProbabilityJson,
    /// The best shares found.
    pub frontier: Option<DesignedKeyJson>,
    /// The best key of each family.
    pub families: Vec<DesignedKeyJson>,
}

/// A listed key on the design sample.
#[derive(Debug, Serialize)]
pub struct ListedJson {
    /// Name.
    pub name: String,
    /// P(all gain).
    pub p_all_win: ProbabilityJson,
    /// Core stability.
    pub p_core_stable: Option<ProbabilityJson>,
    /// Burden ratio.
    pub burden_ratio: Option<f64>,
}

/// `samkost design --format json`.
#[derive(Debug, Serialize)]
pub struct DesignJson {
    /// Member ids in order.
    pub members: Vec<String>,
    /// Draws of the design sample.
    pub draws: u64,
    /// Draws with core checks.
    pub core_draws: u64,
    /// Draws of the check sample.
    pub check_draws: u64,
    /// Constraints applied.
    pub constraints: ConstraintsJson,
    /// The listed keys.
    pub listed: Vec<ListedJson>,
    /// Per goal.
    pub goals: Vec<GoalJson>,
}

/// Constraints, as given.
#[derive(Debug, Serialize)]
pub struct ConstraintsJson {
    /// Largest burden ratio.
    pub max_burden_ratio: Option<f64>,
    /// Smallest P(gain) per member.
    pub min_p_gain: Option<f64>,
    /// Largest deviation from the agreed key (fraction).
    pub max_deviation: Option<f64>,
}

fn goal_name(goal: Goal) -> &'static str {
    match goal {
        Goal::AllWin => "all_win",
        Goal::CoreStable => "core_stable",
    }
}

fn family(kind: &FamilyKind) -> (&'static str, String) {
    match kind {
        FamilyKind::Frontier => ("frontier", "any shares".to_owned()),
        FamilyKind::Hybrid { driver } => ("hybrid", format!("fixed part + {driver}")),
        FamilyKind::Blend { first, second } => ("blend", format!("{first} + {second}")),
        FamilyKind::Bands { limits } => (
            "bands",
            format!(
                "population bands (limits {}) + per capita",
                limits
                    .iter()
                    .map(|l| format!("{l:.0}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        FamilyKind::SeparateStartup { driver } => (
            "separate_startup",
            format!("fixed part + {driver}, start-up apart"),
        ),
    }
}

fn designed(a: &Analysis, f: &Found, check: &Counts, burden: Option<f64>) -> DesignedKeyJson {
    let (fam, label) = family(&f.kind);
    let core = |c: &Counts, n: u64| (n > 0).then(|| prob(c.core_stable, n));
    DesignedKeyJson {
        family: fam,
        label,
        parameters: f
            .param_names
            .iter()
            .cloned()
            .zip(f.params.iter().copied())
            .collect(),
        shares: f.shares.running.clone(),
        startup_shares: (f
            .shares
            .running
            .iter()
            .zip(&f.shares.startup)
            .any(|(a, b)| (a - b).abs() > 1e-12))
        .then(|| f.shares.startup.clone()),
        p_all_win: prob(f.counts.all_win, a.n_draws),
        p_core_stable: core(&f.counts, a.core_draws),
        check_p_all_win: prob(check.all_win, a.check_draws),
        check_p_core_stable: core(check, a.check_core_draws),
        p_gain: f
            .counts
            .member_gains
            .iter()
            .map(|g| *g as f64 / a.n_draws as f64)
            .collect(),
        burden_ratio: burden,
        exact: f.exact,
    }
}

/// The JSON of an analysis.
pub fn design_json(a: &Analysis, member_ids: &[String]) -> DesignJson {
    DesignJson {
        members: member_ids.to_vec(),
        draws: a.n_draws,
        core_draws: a.core_draws,
        check_draws: a.check_draws,
        constraints: ConstraintsJson {
            max_burden_ratio: a.constraints.max_burden_ratio,
            min_p_gain: a.constraints.min_p_gain,
            max_deviation: a.constraints.near.as_ref().map(|n| n.max_deviation),
        },
        listed: a
            .listed
            .iter()
            .map(|l| ListedJson {
                name: l.name.clone(),
                p_all_win: prob(l.counts.all_win, a.n_draws),
                p_core_stable: (a.core_draws > 0).then(|| prob(l.counts.core_stable, a.core_draws)),
                burden_ratio: l.burden_ratio,
            })
            .collect(),
        goals: a
            .goals
            .iter()
            .map(|g| {
                let d = &g.design;
                GoalJson {
                    goal: goal_name(d.goal),
                    upper_bound: prob(d.upper_bound, d.n_draws),
                    frontier: d
                        .frontier
                        .as_ref()
                        .zip(g.frontier_check.as_ref())
                        .map(|(f, c)| designed(a, f, c, g.frontier_burden)),
                    families: d
                        .families
                        .iter()
                        .zip(&g.families_check)
                        .zip(&g.families_burden)
                        .map(|((f, c), b)| designed(a, f, c, *b))
                        .collect(),
                }
            })
            .collect(),
    }
}

fn pct(p: &ProbabilityJson) -> String {
    format!("{:5.1} % ± {:.1}", 100.0 * p.p, 196.0 * p.se)
}

/// A readable table of an analysis.
pub fn design_table(a: &Analysis, member_names: &[String]) -> String {
    use std::fmt::Write;
    let json = design_json(a, member_names);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Key design on {} draws ({} with core checks); every designed key checked again on {} fresh draws.",
        a.n_draws, a.core_draws, a.check_draws
    );
    let _ = writeln!(
        out,
        "Probabilities: design sample (where the key was chosen, optimistic) · fresh draws; ± is the 95 % Monte Carlo half-width.\n"
    );
    let _ = writeln!(out, "Listed keys:");
    for l in &json.listed {
        let _ = writeln!(
            out,
            "  {:<32} all gain {}   no group better alone {}   burden ratio {}",
            l.name,
            pct(&l.p_all_win),
            l.p_core_stable
                .as_ref()
                .map_or("not checked".to_owned(), pct),
            l.burden_ratio.map_or("–".to_owned(), |r| format!("{r:.2}"))
        );
    }
    for g in &json.goals {
        let what = match g.goal {
            "all_win" => "every member gains",
            _ => "no group of members would do better alone",
        };
        let _ = writeln!(out, "\nDesigned for: {what}");
        let _ = writeln!(
            out,
            "  upper bound (draws in which some shares achieve it): {}",
            pct(&g.upper_bound)
        );
        let row = |out: &mut String, k: &DesignedKeyJson| {
            let params: Vec<String> = k
                .parameters
                .iter()
                .map(|(n, v)| format!("{n} = {v:.3}"))
                .collect();
            let p = if g.goal == "all_win" {
                (pct(&k.p_all_win), pct(&k.check_p_all_win))
            } else {
                (
                    k.p_core_stable.as_ref().map_or(String::new(), pct),
                    k.check_p_core_stable.as_ref().map_or(String::new(), pct),
                )
            };
            let _ = writeln!(
                out,
                "  {:<56} {} · {}{}   burden ratio {}   {}",
                k.label,
                p.0,
                p.1,
                if k.exact { " (exact)" } else { "" },
                k.burden_ratio.map_or("–".to_owned(), |r| format!("{r:.2}")),
                params.join(", ")
            );
        };
        match &g.frontier {
            Some(f) => {
                row(&mut out, f);
                let shares: Vec<String> = member_names
                    .iter()
                    .zip(&f.shares)
                    .map(|(n, s)| format!("{n} {:.1} %", 100.0 * s))
                    .collect();
                let _ = writeln!(out, "    shares: {}", shares.join(", "));
                if let Some(st) = &f.startup_shares {
                    let shares: Vec<String> = member_names
                        .iter()
                        .zip(st)
                        .map(|(n, s)| format!("{n} {:.1} %", 100.0 * s))
                        .collect();
                    let _ = writeln!(out, "    start-up shares: {}", shares.join(", "));
                }
            }
            None => {
                let _ = writeln!(out, "  no shares meet the constraints");
            }
        }
        for k in &g.families {
            row(&mut out, k);
        }
    }
    out
}

/// A goal-seeking answer in words.
pub fn seek_text(s: &SeekAnswer) -> String {
    let what = match &s.parameter {
        SeekParameter::FixedPart { driver } => {
            format!(
                "the fixed part of a hybrid key (fixed part split equally, the rest by {driver})"
            )
        }
        SeekParameter::Input { parameter, key } => {
            format!("the level of `{parameter}` under key `{key}`")
        }
    };
    let goal = match s.goal {
        Goal::AllWin => "every member gains",
        Goal::CoreStable => "no group of members would do better alone",
    };
    let end = match s.direction {
        SeekDirection::Smallest => "smallest",
        SeekDirection::Largest => "largest",
    };
    let k = &s.seek;
    let mut out = format!(
        "The {end} value of {what} at which the probability that {goal} reaches {:.1} %, searched over {:.4}–{:.4} on {} draws:\n",
        100.0 * s.target,
        s.range.0,
        s.range.1,
        k.n_draws
    );
    match k.value {
        Some(v) => out.push_str(&format!(
            "  {v:.4} (probability {:.1} % ± {:.1} at 95 %)\n",
            100.0 * k.probability,
            196.0 * k.std_error
        )),
        None => out.push_str(&format!(
            "  not reached; the highest probability is {:.1} %, at {:.4}\n",
            100.0 * k.best.0,
            k.best.1
        )),
    }
    if let Some((lo, hi)) = k.uncertain {
        out.push_str(&format!(
            "  between {lo:.4} and {hi:.4} the sample cannot tell whether the target is reached (within 1.96 standard errors)\n"
        ));
    }
    out
}

/// A goal-seeking answer as JSON.
pub fn seek_json(s: &SeekAnswer) -> serde_json::Value {
    let k = &s.seek;
    let (kind, name, key) = match &s.parameter {
        SeekParameter::FixedPart { driver } => ("fixed_part", driver.clone(), None),
        SeekParameter::Input { parameter, key } => ("input", parameter.clone(), Some(key.clone())),
    };
    serde_json::json!({
        "parameter": { "kind": kind, "name": name, "key": key },
        "goal": goal_name(s.goal),
        "target": s.target,
        "direction": match s.direction { SeekDirection::Smallest => "smallest", SeekDirection::Largest => "largest" },
        "range": [s.range.0, s.range.1],
        "value": k.value,
        "probability": k.probability,
        "std_error": k.std_error,
        "uncertain_range": k.uncertain.map(|(a, b)| [a, b]),
        "best": { "probability": k.best.0, "value": k.best.1 },
        "draws": k.n_draws,
    })
}
