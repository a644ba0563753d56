//! Grid files for `samkost sweep`: which scenario inputs to vary, over which values.
//!
//! A grid file (TOML) lists axes, each varying one thing: a scenario parameter (its
//! distribution is replaced by a fixed value), the fixed part of a hybrid key, or the set of
//! members (explicit kommunenummer or every municipality of a county from the embedded table).
//! `mode = "grid"` (default) takes the Cartesian product of the axes, `mode = "list"` zips
//! axes of equal length. Points are numbered `0 … P−1`: in grid mode like nested loops with the
//! first axis outermost (the last axis varies fastest); in list mode in the order of the values.
//!
//! The file is read like a scenario: every problem at once, each at file:line:column, with the
//! closest valid name for unknown keys, parameters, keys and counties. Names are checked
//! against the base scenario, so reading a grid needs it.

use samkost_core::allocation::KeyRule;
use samkost_core::model::Correlation;
use samkost_core::sampling::{CorrelationMatrix, Distribution};

use super::{FileSource, Overrides, Scenario};

mod read;

pub use read::parse;

/// Largest number of points a grid may have.
pub const MAX_POINTS: u64 = 1_000_000;

/// The columns of a sweep row after the point and the axes, in order; an axis may not use
/// these names, nor `point`.
pub const VALUE_COLUMNS: &[&str] = &[
    "key",
    "member_id",
    "member_name",
    "population",
    "share",
    "p_win",
    "p_win_se",
    "npv_mean",
    "npv_se",
    "npv_p10",
    "npv_p50",
    "npv_p90",
    "p_all_win",
    "p_core_stable",
    "region_npv_mean",
    "region_npv_p10",
    "region_npv_p50",
    "region_npv_p90",
    "region_p_win",
    "note",
];

/// How axes combine into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridMode {
    /// Cartesian product; the first axis is outermost.
    Grid,
    /// Axes of equal length, zipped.
    List,
}

/// A validated grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// How axes combine.
    pub mode: GridMode,
    /// Draws per point (overrides the scenario).
    pub n_draws: Option<u64>,
    /// Seed of every point (overrides the scenario).
    pub seed: Option<u64>,
    /// The axes in file order.
    pub axes: Vec<Axis>,
}

/// One axis: a column of the output and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Column name in the output.
    pub column: String,
    /// What it varies.
    pub kind: AxisKind,
}

/// What an axis varies.
#[derive(Debug, Clone, PartialEq)]
pub enum AxisKind {
    /// A scenario parameter, fixed at each value in turn.
    Parameter {
        /// Parameter name.
        name: String,
        /// Values.
        values: Vec<f64>,
    },
    /// The fixed (equal) part `α` of a hybrid key's rules.
    FixedPart {
        /// Key name.
        key: String,
        /// Values in `[0, 1]`.
        values: Vec<f64>,
    },
    /// The set of members.
    Members {
        /// Member sets.
        sets: Vec<MemberSet>,
    },
}

/// One set of members on a members axis.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberSet {
    /// Readable label (the value of the `members` column).
    pub label: String,
    /// Kommunenummer.
    pub ids: Vec<String>,
}

/// The value an axis takes at a point.
#[derive(Debug, Clone, PartialEq)]
pub enum AxisValue {
    /// A number (parameter value or fixed part).
    Number(f64),
    /// A member set's label.
    Label(String),
}

impl Axis {
    /// Number of values.
    pub fn len(&self) -> usize {
        match &self.kind {
            AxisKind::Parameter { values, .. } | AxisKind::FixedPart { values, .. } => values.len(),
            AxisKind::Members { sets } => sets.len(),
        }
    }

    /// Whether the axis has no values (never true for a validated grid).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the column holds text (member-set labels) rather than numbers.
    pub fn is_text(&self) -> bool {
        matches!(self.kind, AxisKind::Members { .. })
    }

    /// The value at index `idx`.
    pub fn value(&self, idx: usize) -> AxisValue {
        match &self.kind {
            AxisKind::Parameter { values, .. } | AxisKind::FixedPart { values, .. } => {
                AxisValue::Number(values[idx])
            }
            AxisKind::Members { sets } => AxisValue::Label(sets[idx].label.clone()),
        }
    }
}

impl Grid {
    /// Number of points.
    pub fn n_points(&self) -> u64 {
        match self.mode {
            GridMode::Grid => self.axes.iter().map(|a| a.len() as u64).product(),
            GridMode::List => self.axes.first().map_or(1, |a| a.len() as u64),
        }
    }

    /// Each axis's value index at point `point` (see the module docs for the order).
    pub fn indices(&self, point: u64) -> Vec<usize> {
        match self.mode {
            GridMode::List => vec![point as usize; self.axes.len()],
            GridMode::Grid => {
                let mut rest = point;
                let mut out = vec![0; self.axes.len()];
                for (slot, axis) in out.iter_mut().zip(&self.axes).rev() {
                    let len = axis.len() as u64;
                    *slot = (rest % len) as usize;
                    rest /= len;
                }
                out
            }
        }
    }

    /// Each axis's value at point `point`.
    pub fn values(&self, point: u64) -> Vec<AxisValue> {
        self.indices(point)
            .iter()
            .zip(&self.axes)
            .map(|(&idx, axis)| axis.value(idx))
            .collect()
    }
}

/// The scenarios of a sweep: the base scenario with each member set applied once, so that
/// points only clone and set values.
pub struct PointScenarios {
    base: Scenario,
    /// Per members axis value (when there is a members axis): the re-read scenario.
    by_member_set: Vec<Scenario>,
    members_axis: Option<usize>,
}

impl PointScenarios {
    /// Reads the scenario once per member set of the grid. A member set the scenario cannot
    /// take (e.g. agreed percentages for other members) is an error naming the set.
    pub fn new(
        grid: &Grid,
        base: Scenario,
        file: &str,
        src: &str,
        files: &dyn FileSource,
    ) -> Result<Self, String> {
        check_ranges(grid, &base)?;
        let members_axis = grid
            .axes
            .iter()
            .position(|a| matches!(a.kind, AxisKind::Members { .. }));
        let mut by_member_set = Vec::new();
        if let Some(AxisKind::Members { sets }) = members_axis.map(|i| &grid.axes[i].kind) {
            for set in sets {
                let overrides = Overrides {
                    members: Some(set.ids.clone()),
                };
                let scenario = super::parse_with(file, src, files, &overrides).map_err(|d| {
                    format!(
                        "the scenario does not accept the member set `{}`:\n{d}",
                        set.label
                    )
                })?;
                by_member_set.push(scenario);
            }
        }
        Ok(Self {
            base,
            by_member_set,
            members_axis,
        })
    }

    /// The scenario of point `point`: parameters fixed, fixed parts set, members replaced.
    pub fn scenario(&self, grid: &Grid, point: u64) -> Result<Scenario, String> {
        let indices = grid.indices(point);
        let mut scenario = match self.members_axis {
            Some(axis) => self.by_member_set[indices[axis]].clone(),
            None => self.base.clone(),
        };
        for (axis, &idx) in grid.axes.iter().zip(&indices) {
            match &axis.kind {
                AxisKind::Parameter { name, values } => {
                    fix_parameter(&mut scenario, name, values[idx])?;
                }
                AxisKind::FixedPart { key, values } => {
                    set_fixed_part(&mut scenario, key, values[idx]);
                }
                AxisKind::Members { .. } => {}
            }
        }
        Ok(scenario)
    }
}

/// Checks every point's input values against the ranges of the fields those inputs feed, as
/// the reader checks the scenario's own distributions (docs/MODEL.md, "Allowed ranges"): a
/// grid that sets `scope_growth` to 10 meaning 10 % is refused before any point runs, with the
/// point, the field and the fix.
fn check_ranges(grid: &Grid, base: &Scenario) -> Result<(), String> {
    let params = &base.model.parameters;
    // (axis position, parameter index) of every parameter axis.
    let axes: Vec<(usize, usize)> = grid
        .axes
        .iter()
        .enumerate()
        .filter_map(|(a, axis)| match &axis.kind {
            AxisKind::Parameter { name, .. } => {
                params.iter().position(|p| &p.name == name).map(|j| (a, j))
            }
            _ => None,
        })
        .collect();
    let checks: Vec<&super::RangeCheck> = base
        .range_checks
        .iter()
        .filter(|c| {
            let mut used = Vec::new();
            c.expr.params(&mut used);
            used.iter().any(|u| axes.iter().any(|&(_, j)| j == *u))
        })
        .collect();
    if checks.is_empty() {
        return Ok(());
    }
    let mut support: Vec<(f64, f64)> = params.iter().map(|p| p.distribution.support()).collect();
    for point in 0..grid.n_points() {
        let indices = grid.indices(point);
        let mut set = Vec::new();
        for &(a, j) in &axes {
            if let AxisKind::Parameter { name, values } = &grid.axes[a].kind {
                let v = values[indices[a]];
                support[j] = (v, v);
                set.push(format!("{name} = {}", super::ranges::short(v)));
            }
        }
        for check in &checks {
            if let Some(outside) = check.violation(&|j| support[j]) {
                return Err(format!(
                    "grid point {point} ({}) makes {} reach {}, but it must be {}; {}",
                    set.join(", "),
                    check.field,
                    super::ranges::short(outside),
                    check.allowed.text,
                    check.allowed.fix(outside)
                ));
            }
        }
    }
    Ok(())
}

/// Replaces a parameter's distribution by a fixed value and drops it from the rank
/// correlations (a constant has no rank).
fn fix_parameter(scenario: &mut Scenario, name: &str, value: f64) -> Result<(), String> {
    fix_model_parameter(&mut scenario.model, name, value)
}

/// [`fix_parameter`] on a model (goal seeking on an input's level uses it too).
pub fn fix_model_parameter(
    model: &mut samkost_core::model::Model,
    name: &str,
    value: f64,
) -> Result<(), String> {
    let Some(j) = model.parameters.iter().position(|p| p.name == name) else {
        return Err(format!("parameter `{name}` is not in the scenario"));
    };
    model.parameters[j].distribution = Distribution::fixed(value).map_err(|e| e.to_string())?;
    if let Some(corr) = model.correlation.take() {
        model.correlation = drop_from_correlation(corr, j)?;
    }
    Ok(())
}

fn drop_from_correlation(corr: Correlation, j: usize) -> Result<Option<Correlation>, String> {
    let Some(pos) = corr.parameters.iter().position(|&p| p == j) else {
        return Ok(Some(corr));
    };
    let dim = corr.parameters.len();
    let keep: Vec<usize> = (0..dim).filter(|&r| r != pos).collect();
    if keep.len() < 2 {
        return Ok(None);
    }
    let values = keep
        .iter()
        .flat_map(|&r| keep.iter().map(move |&c| (r, c)))
        .map(|(r, c)| corr.target.get(r, c))
        .collect();
    let target = CorrelationMatrix::new(keep.len(), values).map_err(|e| e.to_string())?;
    Ok(Some(Correlation {
        parameters: keep.iter().map(|&r| corr.parameters[r]).collect(),
        target,
    }))
}

/// Sets `α` in every hybrid rule of the key (running and start-up).
fn set_fixed_part(scenario: &mut Scenario, key_name: &str, value: f64) {
    for key in scenario.keys.iter_mut().filter(|k| k.name == key_name) {
        for rule in [&mut key.running, &mut key.startup] {
            if let KeyRule::Hybrid { fixed_part, .. } = rule {
                *fixed_part = value;
            }
        }
    }
}
