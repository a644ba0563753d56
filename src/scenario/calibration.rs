//! Baselines from the accounts (docs/MODEL.md, "Baselines from the accounts"): a member that
//! gives its actual yearly cost (or IT staff) of a component has its standalone curve of that
//! component scaled by `k = actual / modelled`, the modelled figure taken with every input at
//! its median, so that going alone ties to what the member spends today.

use std::ops::Range;

use samkost_core::model::{Calibration, DrawValues, Model};

use super::diagnostic::{Diagnostic, closest};
use super::members::Actual;
use super::tree::Ctx;

/// The band of calibration factors read as plausible, `0.5 ≤ k ≤ 2` [assumption]: a factor
/// outside it means the member's accounts and the modelled curve disagree by more than a
/// factor two, more often a figure in the wrong unit or a component that covers other costs
/// in the accounts than a genuinely unusual member.
pub const PLAUSIBLE_FACTOR: (f64, f64) = (0.5, 2.0);

/// Whether a calibration's factors lie in [`PLAUSIBLE_FACTOR`]: the cost factor, and for a
/// staffing component also the staff factor (the reader warns otherwise).
pub fn calibration_plausible(k: &Calibration, staffing: bool) -> bool {
    let (lo, hi) = PLAUSIBLE_FACTOR;
    (lo..=hi).contains(&k.cost) && (!staffing || (lo..=hi).contains(&k.fte))
}

/// Computes the calibration factors of `model` from each member's actual figures (`actuals`,
/// in member order) and stores them in `model.calibrations`. Errors go to `ctx`; warnings for
/// factors outside [`PLAUSIBLE_FACTOR`] are returned.
pub fn calibrate(ctx: &mut Ctx<'_>, model: &mut Model, actuals: &[Vec<Actual>]) -> Vec<Diagnostic> {
    model.calibrations.clear();
    if actuals.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let medians: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| p.distribution.quantile(0.5))
        .collect();
    let mut values = DrawValues::default();
    model.evaluate(&medians, &mut values);
    let mut calibrations: Vec<(Calibration, Range<usize>)> = Vec::new();
    for (member, list) in actuals.iter().enumerate() {
        let id = &model.members[member].id;
        for actual in list {
            let field = format!(
                "`{}.{}`",
                if actual.fte {
                    "actual_fte"
                } else {
                    "actual_cost"
                },
                actual.component
            );
            let place = if actual.span.is_empty() {
                format!("{field} (column of the members CSV) of member {id}")
            } else {
                format!("{field} of member {id}")
            };
            let Some(c) = model
                .components
                .iter()
                .position(|c| c.name == actual.component)
            else {
                let names = model.components.iter().map(|c| c.name.as_str());
                let help = match closest(&actual.component, names) {
                    Some(name) => format!("did you mean `{name}`?"),
                    None => format!(
                        "name one of the components: {}",
                        model
                            .components
                            .iter()
                            .map(|c| format!("`{}`", c.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                ctx.error_help(
                    actual.span.clone(),
                    format!("{place} names no component"),
                    help,
                );
                continue;
            };
            let component = &model.components[c];
            if actual.fte && !component.is_staffing() {
                ctx.error_help(
                    actual.span.clone(),
                    format!(
                        "{place}: `{}` is not a staffing component, so it has no staff",
                        component.name
                    ),
                    "give its yearly cost as `actual_cost` instead",
                );
                continue;
            }
            let alone = values.components[c].alone[member];
            let modelled = if actual.fte { alone.fte } else { alone.nok };
            if !(modelled > 0.0 && modelled.is_finite()) {
                ctx.error_help(
                    actual.span.clone(),
                    format!("{place}: the modelled figure alone is {modelled} at the inputs' medians, so it cannot be scaled to the accounts"),
                    "give the member a load on the component's driver, or leave the actual figure out",
                );
                continue;
            }
            let entry = match calibrations
                .iter_mut()
                .position(|(k, _)| k.component == c && k.member == member)
            {
                Some(pos) => &mut calibrations[pos],
                None => {
                    calibrations.push((
                        Calibration {
                            component: c,
                            member,
                            cost: f64::NAN,
                            fte: f64::NAN,
                            actual_cost: None,
                            actual_fte: None,
                            modelled_cost: alone.nok,
                            modelled_fte: alone.fte,
                        },
                        actual.span.clone(),
                    ));
                    calibrations.last_mut().expect("just pushed")
                }
            };
            if actual.fte {
                entry.0.actual_fte = Some(actual.value);
            } else {
                entry.0.actual_cost = Some(actual.value);
                entry.1 = actual.span.clone();
            }
        }
    }
    let mut warnings = Vec::new();
    for (k, span) in &mut calibrations {
        let component = &model.components[k.component];
        let tax = model.member_payroll_tax[k.member];
        k.fte = k.actual_fte.map_or(1.0, |fte| fte / k.modelled_fte);
        k.cost = match (k.actual_cost, k.actual_fte) {
            (Some(cost), _) => cost / k.modelled_cost,
            // Staff only: the cost of the actual staff at the medians' salary and premium.
            (None, Some(fte)) => {
                component.staff_cost(&values.components[k.component], fte, tax) / k.modelled_cost
            }
            (None, None) => 1.0,
        };
        if component.is_staffing() && k.actual_fte.is_none() {
            // The cost alone is nearly proportional to the staff: scale both alike.
            k.fte = k.cost;
        }
        let (lo, hi) = PLAUSIBLE_FACTOR;
        let member = &model.members[k.member];
        for (factor, what) in [(k.cost, "cost"), (k.fte, "staff")] {
            if (lo..=hi).contains(&factor) || (what == "staff" && !component.is_staffing()) {
                continue;
            }
            warnings.push(
                Diagnostic::at(
                    ctx.file,
                    ctx.src,
                    span.clone(),
                    format!(
                        "{} ({}): the actual {what} of `{}` is {factor:.2} times the modelled {what} alone, outside the plausible {lo}–{hi}",
                        member.name, member.id, component.name
                    ),
                )
                .with_help("check the unit (NOK per year, FTE) and that the accounts' figure covers what the component models; see docs/MODEL.md, \"Baselines from the accounts\""),
            );
            break;
        }
    }
    calibrations.sort_by_key(|(k, _)| (k.component, k.member));
    model.calibrations = calibrations.into_iter().map(|(k, _)| k).collect();
    warnings
}
