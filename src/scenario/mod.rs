//! The scenario file format (TOML): the only module that knows it.
//!
//! [`parse`] reads a scenario into the core's validated [`Model`] and [`Key`]s. Every problem
//! is collected and reported at once, each at its file, line and column with the offending text
//! and what was expected; unknown keys get the closest valid name. Files a scenario refers to
//! (a members CSV) are read through a [`FileSource`], so this module itself does no I/O.

mod accounts;
mod calibration;
mod component_keys;
mod components;
mod correlations;
mod diagnostic;
mod drivers_by_year;
mod drivers_by_year_csv;
mod events;
mod existing;
mod expr;
mod gains;
pub mod game_file;
pub mod grid;
mod init;
mod keys;
pub mod kommuner;
mod lines;
mod members;
mod organisation;
mod organisation_costs;
mod plausibility;
mod price_list;
mod project;
mod ranges;
pub use calibration::{PLAUSIBLE_FACTOR, calibration_plausible};
pub use ranges::{Allowed, RangeCheck};
mod transition;
mod tree;
mod values;
mod vat;
pub mod workbook;

pub use components::MAX_COMPONENTS;
pub use diagnostic::{Diagnostic, Diagnostics};
pub use init::{StarterLang, starter_scenario};
pub use lines::MAX_LINES;
pub use tree::MAX_LISTED_PROBLEMS;
pub use values::MAX_PARAMETERS;

use samkost_core::allocation::Key;
use samkost_core::games::PlanningBasis;
use samkost_core::model::{Discounting, Model};
use samkost_core::simulation::PlanningConfig;
use toml::de::DeValue;

use lines::Horizon;
use tree::{Ctx, Table};

/// The default scenario, embedded in the binary: the seven SSIKT municipalities.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/ssikt.toml");
/// File name shown for the embedded default scenario.
pub const DEFAULT_SCENARIO_NAME: &str = "scenarios/ssikt.toml";

/// Gives the scenario parser the text of files it refers to (paths as written in the file).
pub trait FileSource {
    /// Reads a file referred to by the scenario.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// A [`FileSource`] that has no files (for the embedded scenario and tests).
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("no file `{path}` is available here"))
    }
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name shown in reports.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Default number of draws.
    pub n_draws: u64,
    /// Default seed.
    pub seed: u64,
    /// The cost model.
    pub model: Model,
    /// Keys to compare.
    pub keys: Vec<Key>,
    /// The keys' notes (`note = "…"`), by key name.
    pub key_notes: std::collections::BTreeMap<String, String>,
    /// Problems that do not stop a run but that the user must see.
    pub warnings: Vec<Diagnostic>,
    /// How game-theoretic keys' planning game is built.
    pub planning: PlanningConfig,
    /// The range checks of fields that depend on uncertain inputs, which a sweep makes again
    /// for the values its grid gives those inputs.
    pub range_checks: Vec<ranges::RangeCheck>,
}

const TOP_KEYS: &[&str] = &[
    "name",
    "description",
    "first_year",
    "horizon_years",
    "operation_start",
    "discount_rate",
    "draws",
    "seed",
    "payroll_zone",
    "members",
    "members_csv",
    "drivers",
    "drivers_by_year",
    "parameters",
    "components",
    "organisation",
    "transition",
    "assets",
    "accounts",
    "vat",
    "lines",
    "gains",
    "project",
    "keys",
    "planning",
    "correlations",
    "correlation_matrix",
    "events",
    "exit",
    "existing",
];

/// Largest horizon accepted: R-109 schedules go to 75+ years; beyond 200 is a mistake.
const MAX_HORIZON: i64 = 200;
/// Largest number of draws accepted in a scenario file or on the command line.
pub const MAX_DRAWS: i64 = 1_000_000_000;

impl Scenario {
    /// A fingerprint of the validated scenario (FNV-1a, 64 bits, hex): the same model, keys
    /// and settings give the same hash whatever the file's layout, comments or key order.
    pub fn hash(&self) -> String {
        let canonical = format!(
            "{:?}",
            (
                &self.name,
                &self.model,
                &self.keys,
                &self.planning,
                self.n_draws,
                self.seed
            )
        );
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in canonical.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

/// Parses and validates a scenario.
pub fn parse(file: &str, src: &str, files: &dyn FileSource) -> Result<Scenario, Diagnostics> {
    parse_with(file, src, files, &Overrides::default())
}

/// Changes applied while a scenario is read (used by sweeps).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Replace the members by these kommunenummer. A member also written in the scenario keeps
    /// its drivers and zone; others come from the embedded table with the driver defaults.
    pub members: Option<Vec<String>>,
}

/// Parses and validates a scenario with [`Overrides`].
pub fn parse_with(
    file: &str,
    src: &str,
    files: &dyn FileSource,
    overrides: &Overrides,
) -> Result<Scenario, Diagnostics> {
    let mut ctx = Ctx::new(file, src);
    let Some(root) = tree::parse_document(&mut ctx, src) else {
        return Err(finish(ctx));
    };
    let root = Table {
        table: root.get_ref(),
        span: 0..0,
        what: "the scenario".to_owned(),
    };
    root.check_keys(&mut ctx, TOP_KEYS);
    let scenario = build(&mut ctx, &root, files, overrides);
    match scenario {
        Some(s) if ctx.errors.is_empty() => Ok(s),
        _ => Err(finish(ctx)),
    }
}

fn finish(ctx: Ctx<'_>) -> Diagnostics {
    Diagnostics(ctx.into_diagnostics())
}

fn build(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    files: &dyn FileSource,
    overrides: &Overrides,
) -> Option<Scenario> {
    let name = match root.opt_str(ctx, "name") {
        Some((n, _)) => Some(n),
        None => {
            if root.get("name").is_none() {
                ctx.error_help(
                    0..0,
                    "the scenario has no `name`",
                    "add `name = \"…\"` at the top",
                );
            }
            None
        }
    };
    let description = root.opt_str(ctx, "description").map(|(s, _)| s);
    let horizon = read_horizon(ctx, root);
    let operation_start = read_operation_start(ctx, root, horizon);
    let discounting = read_discounting(ctx, root);
    let n_draws = bounded_int(ctx, root, "draws", 10_000, 1, MAX_DRAWS);
    let seed = bounded_int(ctx, root, "seed", 2024, 0, i64::MAX);
    let errors_before_members = ctx.errors.len();
    let default_tax = match root.get("payroll_zone") {
        Some(node) => components::payroll_zone(ctx, node, "`payroll_zone`"),
        None => Some(components::PAYROLL_ZONES[0].1),
    };
    let mut specs = members::read_members(ctx, root, files, default_tax.unwrap_or(0.141));
    if let Some(ids) = &overrides.members {
        specs = members::override_members(ctx, specs, ids, default_tax.unwrap_or(0.141));
    }
    // When a member was rejected, checks that name members would only repeat that problem.
    let members_complete = ctx.errors.len() == errors_before_members;
    let defaults = members::read_driver_defaults(ctx, root.get("drivers"));
    let mut drivers = members::build_drivers(ctx, &specs, &defaults);
    let spec_members: Vec<_> = specs.iter().map(|s| s.member.clone()).collect();
    drivers_by_year::read_drivers_by_year(
        ctx,
        root.get("drivers_by_year"),
        files,
        &spec_members,
        &mut drivers,
        horizon,
    );
    let mut params = values::read_parameters(ctx, root.get("parameters"));
    let components = components::read_components(
        ctx,
        root.get("components"),
        &drivers,
        &mut params,
        horizon,
        operation_start,
    );
    let first_tax = specs
        .first()
        .map_or(default_tax.unwrap_or(0.141), |s| s.payroll_tax);
    let (organisation, org_warnings) =
        organisation::read_organisation(ctx, root.get("organisation"), &mut params, first_tax);
    let transition = transition::read_transition(
        ctx,
        root.get("transition"),
        &mut params,
        !components.is_empty(),
    );
    let assets = transition::read_assets(ctx, root.get("assets"), &mut params);
    let accounts = accounts::read_accounts(
        ctx,
        root.get("accounts"),
        &mut params,
        horizon.as_ref(),
        operation_start,
        organisation.as_ref().map(|o| o.kind),
    );
    let lines = lines::read_lines(
        ctx,
        root.get("lines"),
        &drivers,
        &mut params,
        horizon,
        !components.is_empty(),
    );
    let mut lines = lines;
    if let Some(project) = project::read_project(
        ctx,
        root.get("project"),
        &drivers,
        &mut params,
        horizon,
        operation_start,
    ) {
        add_project_lines(ctx, root, &mut lines, project);
    }
    let gains = gains::read_gains(
        ctx,
        root.get("gains"),
        &drivers,
        &mut params,
        horizon,
        operation_start,
    );
    params.clear_owner();
    let (correlation, correlation_warnings) = correlations::read_correlations(
        ctx,
        root.get("correlations"),
        root.get("correlation_matrix"),
        &params,
    );
    let mut warnings: Vec<Diagnostic> = org_warnings
        .into_iter()
        .map(|(span, message)| Diagnostic::at(ctx.file, ctx.src, span, message))
        .chain(correlation_warnings)
        .collect();
    let member_payroll_tax: Vec<f64> = specs.iter().map(|s| s.payroll_tax).collect();
    let member_spans: Vec<std::ops::Range<usize>> = specs.iter().map(|s| s.span.clone()).collect();
    let actuals: Vec<Vec<members::Actual>> = specs.iter().map(|s| s.actuals.clone()).collect();
    let member_list: Vec<_> = specs.into_iter().map(|s| s.member).collect();
    let exit = events::read_exit(ctx, root.get("exit"));
    let events = events::read_events(
        ctx,
        root.get("events"),
        &member_list,
        horizon,
        operation_start,
        exit,
    );
    let (keys, key_notes) = keys::read_keys(
        ctx,
        root.get("keys"),
        &component_keys::Context {
            members: &member_list,
            drivers: &drivers,
            members_complete,
            components: &components,
            lines: &lines,
            has_events: root.get("events").is_some(),
            declared: component_keys::Declared::of(root.get("components"), root.get("lines")),
        },
    );
    let existing = existing::read_existing(
        ctx,
        root.get("existing"),
        &existing::Context {
            members: &member_list,
            keys: &keys,
            drivers: &drivers,
            events: &events,
            components: &components,
            operation_start,
            first_year: horizon.as_ref().map(|h| h.first_year),
        },
    );
    let planning = read_planning(ctx, root.get("planning"));
    if params.list.len() > values::MAX_PARAMETERS {
        ctx.error_help(
            0..0,
            format!(
                "the scenario has {} uncertain inputs (named and inline); at most {} are read",
                params.list.len(),
                values::MAX_PARAMETERS
            ),
            "name an input once under [parameters] and use it by name, or give fixed numbers",
        );
    }
    let horizon = horizon?;
    let (pool_transition_costs, parallel) = transition?;
    let vat = vat::read_vat(
        ctx,
        root.get("vat"),
        &member_list,
        &lines,
        organisation.as_ref().map(|o| o.kind),
    );
    let mut accounts = accounts?;
    accounts.vat = vat?;
    let range_checks = std::mem::take(&mut params.checks);
    let mut model = Model {
        members: member_list,
        drivers,
        member_payroll_tax,
        parameters: params.list,
        lines,
        components,
        parallel,
        assets: assets?,
        organisation: organisation?,
        pool_transition_costs,
        horizon_years: horizon.years,
        first_year: horizon.first_year as i32,
        operation_start: operation_start?,
        discounting: discounting?,
        correlation,
        calibrations: Vec::new(),
        accounts,
        events,
        gains: gains?,
        exit,
        existing,
    };
    default_tax?;
    if ctx.errors.is_empty() {
        warnings.extend(calibration::calibrate(ctx, &mut model, &actuals));
    }
    if ctx.errors.is_empty() {
        warnings.extend(plausibility::warnings(
            &model,
            ctx.file,
            ctx.src,
            &member_spans,
        ));
    }
    Some(Scenario {
        range_checks,
        name: name?,
        description,
        n_draws: n_draws? as u64,
        seed: seed? as u64,
        model,
        keys,
        key_notes,
        warnings,
        planning: planning?,
    })
}

/// Appends the lines of `[project]`, refusing a `[[lines]]` entry with one of their names.
fn add_project_lines(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    lines: &mut Vec<samkost_core::model::CostLine>,
    project: Vec<samkost_core::model::CostLine>,
) {
    for line in project {
        if lines.iter().any(|l| l.name == line.name) {
            let span = root.get("project").map_or(0..0, |n| n.span());
            ctx.error_help(
                span,
                format!(
                    "a [[lines]] entry is named `{}`, as a line of [project] is",
                    line.name
                ),
                "rename the [[lines]] entry, or remove it if [project] now covers it",
            );
        }
        lines.push(line);
    }
}

/// Reads `[planning]`: the draws and basis of the planning game of game-theoretic keys.
fn read_planning(ctx: &mut Ctx<'_>, node: Option<&tree::Node<'_>>) -> Option<PlanningConfig> {
    let mut config = PlanningConfig::default();
    let Some(node) = node else {
        return Some(config);
    };
    let table = Table::from_node(ctx, node, "[planning]")?;
    table.check_keys(ctx, &["draws", "basis", "percentile", "note"]);
    config.n_draws = bounded_int(ctx, &table, "draws", 1000, 1, 1_000_000)? as u64;
    let basis = table
        .opt_choice(ctx, "basis", &["mean", "percentile"])
        .map(|(b, _)| b);
    match (basis.as_deref(), table.opt_f64(ctx, "percentile")) {
        (Some("percentile"), Some((p, span))) => {
            if !(0.0..=1.0).contains(&p) {
                ctx.error_help(
                    span,
                    format!("`percentile` must lie between 0 and 1, got {p}"),
                    format!("{}; P85 is `percentile = 0.85`", ranges::SHARE.fix(p)),
                );
                return None;
            }
            config.basis = PlanningBasis::Percentile(p);
        }
        (Some("percentile"), None) => {
            ctx.error_help(
                table.span.clone(),
                "[planning] has `basis = \"percentile\"` but no `percentile`",
                "add `percentile = 0.85`",
            );
            return None;
        }
        (_, Some((_, span))) => {
            ctx.error_help(
                span,
                "`percentile` is only used with `basis = \"percentile\"`",
                "add `basis = \"percentile\"` or remove `percentile`",
            );
            return None;
        }
        _ => {}
    }
    Some(config)
}

fn bounded_int(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    key: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Option<i64> {
    match root.opt_i64(ctx, key) {
        Some((v, span)) if v < min || v > max => {
            ctx.error_help(
                span,
                format!("`{key}` must be between {min} and {max}, got {v}"),
                format!("the default is {default}"),
            );
            None
        }
        Some((v, _)) => Some(v),
        None if root.get(key).is_some() => None,
        None => Some(default),
    }
}

fn read_horizon(ctx: &mut Ctx<'_>, root: &Table<'_, '_>) -> Option<Horizon> {
    let first_year = bounded_int(ctx, root, "first_year", 2026, 1900, 2200);
    let years = bounded_int(ctx, root, "horizon_years", 10, 1, MAX_HORIZON);
    Some(Horizon {
        first_year: first_year?,
        years: years? as usize,
    })
}

fn read_operation_start(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    horizon: Option<Horizon>,
) -> Option<usize> {
    let horizon = horizon?;
    let Some((year, span)) = root.opt_i64(ctx, "operation_start") else {
        return root.get("operation_start").is_none().then_some(0);
    };
    horizon.index(
        ctx,
        (year, span),
        format!("`operation_start` {year}"),
        "the cooperation must start operating within the horizon",
    )
}

fn read_discounting(ctx: &mut Ctx<'_>, root: &Table<'_, '_>) -> Option<Discounting> {
    let Some(node) = root.get("discount_rate") else {
        return Some(Discounting::R109);
    };
    match node.get_ref() {
        DeValue::String(s) if s.as_ref() == "r109" => Some(Discounting::R109),
        DeValue::String(s) => {
            ctx.error_help(
                node.span(),
                format!("unknown discount rate \"{s}\""),
                "give a real rate such as 0.04, or \"r109\" for the declining R-109/21 schedule",
            );
            None
        }
        _ => {
            let rate = tree::as_f64(ctx, node, "`discount_rate`")?;
            if !ranges::DISCOUNT_RATE.contains(rate) {
                ctx.error_help(
                    node.span(),
                    format!("`discount_rate` {rate} is not a plausible real rate"),
                    ranges::DISCOUNT_RATE.fix(rate),
                );
                return None;
            }
            Some(Discounting::Flat(rate))
        }
    }
}
