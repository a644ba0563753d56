//! Cost lines: `[[lines]]` tables.

use samkost_core::model::{Basis, Category, CostLine, DriverTable, Expr, ModelPart, Occurs};

use super::diagnostic::closest;
use super::ranges;
use super::tree::{Ctx, Node, Table, array_of_tables};
use super::values::{Parameters, read_value};

/// Keys a line table may have.
const LINE_KEYS: &[&str] = &[
    "name", "category", "basis", "occurs", "fixed", "per", "growth", "start", "end", "year",
    "source", "note",
];

/// Most `[[lines]]` a scenario may have: each is evaluated for every member, year and draw,
/// and 10,000 already describe more than any cooperation's budget lists.
pub const MAX_LINES: usize = 10_000;

/// The calendar span of the horizon, for year checks.
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    /// First calendar year.
    pub first_year: i64,
    /// Number of years.
    pub years: usize,
}

impl Horizon {
    /// Last calendar year.
    pub fn last_year(&self) -> i64 {
        self.first_year + self.years as i64 - 1
    }

    /// Calendar year `year` (given at `span`) as a year index, or `None` when it is outside
    /// the horizon, reported as "`subject` is outside the horizon first–last" with `help`.
    pub fn index(
        &self,
        ctx: &mut Ctx<'_>,
        (year, span): (i64, std::ops::Range<usize>),
        subject: impl std::fmt::Display,
        help: impl Into<String>,
    ) -> Option<usize> {
        if year < self.first_year || year > self.last_year() {
            ctx.error_help(
                span,
                format!(
                    "{subject} is outside the horizon {}–{}",
                    self.first_year,
                    self.last_year()
                ),
                help,
            );
            return None;
        }
        Some((year - self.first_year) as usize)
    }
}

/// Reads every `[[lines]]` entry.
pub fn read_lines(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
    has_components: bool,
) -> Vec<CostLine> {
    let Some(node) = node else {
        if has_components {
            return Vec::new();
        }
        ctx.error_help(
            0..0,
            "the scenario has no cost lines or components",
            "add [[components]] or [[lines]] tables; `samkost init --members …` prints a complete example",
        );
        return Vec::new();
    };
    let Some(items) = array_of_tables(
        ctx,
        node,
        "lines",
        "write each cost line as a [[lines]] table with a `name`",
        Some((
            MAX_LINES,
            "merge lines with the same category, basis, occurrence and years; one line takes rates for several drivers (`per = { users = …, sites = … }`)",
        )),
    ) else {
        return Vec::new();
    };
    let mut lines: Vec<CostLine> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (idx, item) in items.iter().enumerate() {
        let Some(line) = read_line(ctx, item, idx, drivers, params, horizon) else {
            continue;
        };
        if !names.insert(line.name.clone()) {
            ctx.error_help(
                item.span(),
                format!("two lines are named `{}`", line.name),
                "give each line its own name",
            );
        }
        lines.push(line);
    }
    lines
}

fn read_line(
    ctx: &mut Ctx<'_>,
    item: &Node<'_>,
    idx: usize,
    drivers: &DriverTable,
    params: &mut Parameters,
    horizon: Option<Horizon>,
) -> Option<CostLine> {
    let (table, name) = Table::named(ctx, item, "line", idx, "\"Shared servers\"")?;
    table.check_keys(ctx, LINE_KEYS);
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Line, name.as_deref().unwrap_or(""), source);
    let category = match table
        .opt_choice(ctx, "category", &["running", "startup"])
        .map(|(s, _)| s)
        .as_deref()
    {
        Some("startup") => Category::StartUp,
        _ => Category::Running,
    };
    let basis = match table
        .opt_choice(ctx, "basis", &["pooled", "per_member"])
        .map(|(s, _)| s)
        .as_deref()
    {
        Some("per_member") => Basis::PerMember,
        _ => Basis::Pooled,
    };
    let occurs = match table.get("occurs") {
        None => {
            table.require(ctx, "occurs", "\"alone\" | \"together\" | \"always\"");
            None
        }
        Some(_) => match table
            .opt_choice(ctx, "occurs", &["alone", "together", "always"])
            .map(|(s, _)| s)
            .as_deref()
        {
            Some("alone") => Some(Occurs::Alone),
            Some("together") => Some(Occurs::Together),
            Some("always") => Some(Occurs::Always),
            _ => None,
        },
    };
    let label = |field: &str| format!("{field} of line `{}`", name.as_deref().unwrap_or("?"));
    let fixed = match table.get("fixed") {
        Some(node) => read_value(ctx, node, &label("fixed"), "fixed", params),
        None => Some(Expr::Const(0.0)),
    };
    let rates = read_rates(ctx, &table, drivers, params, &label("rate"));
    let growth = match table.get("growth") {
        Some(node) => read_value(ctx, node, &label("growth"), "growth", params).filter(|g| {
            let what = format!("`growth` of {}", table.what);
            ranges::check(ctx, params, node, g, &what, ranges::GROWTH)
        }),
        None => Some(Expr::Const(0.0)),
    };
    if table.get("fixed").is_none() && table.get("per").is_none() {
        ctx.error_help(table.span.clone(), format!("{} has neither `fixed` nor `per`", table.what), "give a fixed amount (`fixed = 250000`) and/or rates per driver (`per = { users = 9500 }`)");
    }
    let years = read_years(ctx, &table, horizon);
    Some(CostLine {
        name: name?,
        category,
        basis,
        occurs: occurs?,
        years: years?,
        fixed: fixed?,
        rates: rates?,
        growth: growth?,
    })
}

fn read_rates(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    drivers: &DriverTable,
    params: &mut Parameters,
    label: &str,
) -> Option<Vec<(usize, Expr)>> {
    let Some(node) = table.get("per") else {
        return Some(Vec::new());
    };
    let per = Table::from_node(ctx, node, format!("`per` of {}", table.what))?;
    let mut rates = Vec::new();
    let mut ok = true;
    for (key, value) in per.table.iter() {
        let driver = key.get_ref().to_string();
        let Some(d) = drivers.index(&driver) else {
            let names = drivers.names().join(", ");
            let help = match closest(&driver, drivers.names().iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? drivers: {names}"),
                None => format!("declare it under [drivers]; drivers: {names}"),
            };
            ctx.error_help(
                key.span(),
                format!("unknown driver `{driver}` in {}", table.what),
                help,
            );
            ok = false;
            continue;
        };
        match read_value(
            ctx,
            value,
            &format!("{label} per {driver}"),
            &format!("per.{driver}"),
            params,
        ) {
            Some(e) => rates.push((d, e)),
            None => ok = false,
        }
    }
    ok.then_some(rates)
}

fn read_years(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    horizon: Option<Horizon>,
) -> Option<(usize, usize)> {
    let year = table.opt_i64(ctx, "year");
    let start = table.opt_i64(ctx, "start");
    let end = table.opt_i64(ctx, "end");
    let horizon = horizon?;
    let (first, last) = (horizon.first_year, horizon.last_year());
    let (s, e) = match (year, start, end) {
        (Some((_, span)), Some(_), _) | (Some((_, span)), _, Some(_)) => {
            ctx.error_help(
                span,
                format!("{} has both `year` and `start`/`end`", table.what),
                "use `year` for a one-off cost, `start`/`end` for a period",
            );
            return None;
        }
        (Some((y, span)), None, None) => ((y, span.clone()), (y, span)),
        (None, s, e) => (
            s.unwrap_or((first, table.span.clone())),
            e.unwrap_or((last, table.span.clone())),
        ),
    };
    let mut ok = true;
    for (y, span) in [&s, &e] {
        let subject = format!("year {y} in {}", table.what);
        let help = "change the year or `first_year`/`horizon_years`";
        ok &= horizon
            .index(ctx, (*y, span.clone()), subject, help)
            .is_some();
    }
    if ok && s.0 > e.0 {
        ctx.error_help(
            e.1.clone(),
            format!("{} ends ({}) before it starts ({})", table.what, e.0, s.0),
            "swap `start` and `end`",
        );
        ok = false;
    }
    ok.then(|| ((s.0 - first) as usize, (e.0 - first) as usize))
}
