//! A warning for a member whose ICT cost per inhabitant, at the inputs' central values, lies
//! outside a plausible band (docs/MODEL.md §4, "Plausible cost per inhabitant"): a figure far
//! outside it usually means an amount in the wrong unit (kNOK for NOK, a monthly figure for a
//! yearly one) rather than an unusual municipality.

use std::ops::Range;

use samkost_core::model::{CoalitionFlows, DrawValues, Model, Scratch};

use super::diagnostic::Diagnostic;

/// The plausible band of a municipality's yearly ICT cost per inhabitant, NOK (real, the
/// scenario's first-year prices) [assumption]. The cooperations cited in docs/MODEL.md §9 ran
/// full ICT operations at about 8,000 (Ikomm) and 11,100 (Indre Østfold Data IKS) NOK per user
/// and year, with 0.06–0.12 users per inhabitant: 480–1,330 NOK per inhabitant. The band is
/// wider on both sides, for the smallest members' diseconomies of scale and for scenarios
/// that model only part of ICT.
pub const PLAUSIBLE_NOK_PER_INHABITANT: (f64, f64) = (150.0, 5_000.0);

/// Each member's mean yearly cost per inhabitant over the operating years (from
/// `operation_start` to the end of the horizon) with every parameter at its median, alone
/// (`c({i}, t)`) and in the cooperation (what it pays itself plus the pooled cost shared by
/// population, so that the figure does not depend on a key): `(alone, together)` in NOK.
pub fn cost_per_inhabitant(model: &Model) -> Vec<(f64, f64)> {
    let medians: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| p.distribution.quantile(0.5))
        .collect();
    let mut values = DrawValues::default();
    model.evaluate(&medians, &mut values);
    let n = model.n_members();
    let population: Vec<f64> = model.members.iter().map(|m| m.population).collect();
    let total_population: f64 = population.iter().sum();
    let years = model.operation_start.min(model.horizon_years - 1)..model.horizon_years;
    let n_years = years.len() as f64;
    let (mut scratch, mut flows) = (Scratch::default(), CoalitionFlows::default());
    let mut sums = vec![(0.0, 0.0); n];
    let grand: Vec<usize> = (0..n).collect();
    for t in years {
        for (i, sum) in sums.iter_mut().enumerate() {
            model.coalition_flows(&values, &[i], t, &mut scratch, &mut flows);
            sum.0 += flows.total();
        }
        model.coalition_flows(&values, &grand, t, &mut scratch, &mut flows);
        let pooled: f64 = flows.pooled.iter().sum();
        for (i, sum) in sums.iter_mut().enumerate() {
            let own: f64 = flows.direct.iter().map(|d| d[i]).sum();
            sum.1 += own + pooled * population[i] / total_population;
        }
    }
    sums.iter()
        .zip(&population)
        .map(|((alone, together), p)| (alone / n_years / p, together / n_years / p))
        .collect()
}

/// Warnings for members outside [`PLAUSIBLE_NOK_PER_INHABITANT`], each at the member's entry
/// (`spans`, in member order).
pub fn warnings(model: &Model, file: &str, src: &str, spans: &[Range<usize>]) -> Vec<Diagnostic> {
    let (lo, hi) = PLAUSIBLE_NOK_PER_INHABITANT;
    let mut out = Vec::new();
    for ((member, (alone, together)), span) in model
        .members
        .iter()
        .zip(cost_per_inhabitant(model))
        .zip(spans)
    {
        for (figure, side) in [(alone, "alone"), (together, "in the cooperation")] {
            if (lo..=hi).contains(&figure) || !figure.is_finite() {
                continue;
            }
            let message = format!(
                "{} ({}) would spend {} NOK per inhabitant a year on ICT {side} at the inputs' central values, outside the plausible {}–{} NOK",
                member.name,
                member.id,
                group(figure),
                group(lo),
                group(hi)
            );
            out.push(Diagnostic::at(file, src, span.clone(), message).with_help(
                "check the units of the amounts (NOK, not kNOK; per year, not per month) and the drivers per inhabitant; see docs/MODEL.md, \"Plausible cost per inhabitant\"",
            ));
        }
    }
    out
}

/// A whole number with thin-space-free thousands separators: `12,345`.
fn group(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("−{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::group;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group(1_234_567.4), "1,234,567");
        assert_eq!(group(150.0), "150");
        assert_eq!(group(-5_000.0), "−5,000");
    }
}
