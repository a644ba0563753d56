//! Members: inline tables, kommunenummer lists, or a CSV file; drivers with per-inhabitant
//! defaults.

use std::collections::BTreeMap;
use std::ops::Range;

use samkost_core::model::{DriverTable, Member};
use toml::de::DeValue;

use super::FileSource;
use super::diagnostic::{Diagnostic, closest};
use super::kommuner;
use super::tree::{Ctx, Node, Table, as_f64, as_str, type_name};

/// A member as read, with where it was written.
pub struct MemberSpec {
    /// The member.
    pub member: Member,
    /// Driver values given for this member.
    pub drivers: Vec<(String, f64, Range<usize>)>,
    /// Where the member is written (for cross-field errors).
    pub span: Range<usize>,
    /// Payroll tax rate of its zone.
    pub payroll_tax: f64,
    /// Actual yearly costs and staff per component from the member's accounts.
    pub actuals: Vec<Actual>,
}

/// A member's actual figure for one component, from its accounts: `actual_cost.<component>`
/// (NOK per year) or `actual_fte.<component>` (IT staff, FTE).
#[derive(Clone)]
pub struct Actual {
    /// The component's name as written.
    pub component: String,
    /// `true`: staff in FTE; `false`: cost in NOK per year.
    pub fte: bool,
    /// The figure.
    pub value: f64,
    /// Where it is written (0..0 in a CSV).
    pub span: Range<usize>,
}

/// The member that a scenario's other tables name by `id`: its kommunenummer (padded to four
/// digits, as the members' own are, so `301` is Oslo's `0301`) or its name. Every reference to a
/// member outside `members` is looked up here.
pub fn member_index(members: &[Member], id: &str) -> Option<usize> {
    let padded = format!("{:0>4}", id.trim());
    members.iter().position(|m| m.id == padded || m.name == id)
}

/// The prefixes of a member's actual figures: cost in NOK per year, staff in FTE.
pub const ACTUAL_PREFIXES: [(&str, bool); 2] = [("actual_cost", false), ("actual_fte", true)];

/// Splits a CSV header `actual_cost.<component>` into the component and whether it is staff.
pub fn actual_column(header: &str) -> Option<(&str, bool)> {
    ACTUAL_PREFIXES.iter().find_map(|&(prefix, fte)| {
        header
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('.'))
            .map(|component| (component.trim(), fte))
    })
}

/// Reads `members` (array of kommunenummer or tables) or `members_csv`.
pub fn read_members(
    ctx: &mut Ctx<'_>,
    root: &Table<'_, '_>,
    files: &dyn FileSource,
    default_tax: f64,
) -> Vec<MemberSpec> {
    let inline = root.get("members");
    let csv = root.get("members_csv");
    let mut specs = match (inline, csv) {
        (Some(_), Some(csv)) => {
            ctx.error_help(
                csv.span(),
                "both `members` and `members_csv` are given",
                "keep one of them",
            );
            Vec::new()
        }
        (Some(node), None) => read_inline(ctx, node),
        (None, Some(node)) => read_csv_file(ctx, node, files),
        (None, None) => {
            ctx.error_help(
                0..0,
                "the scenario has no members",
                "add `members = [\"1517\", \"1515\"]` (kommunenummer) or [[members]] tables",
            );
            Vec::new()
        }
    };
    for spec in &mut specs {
        if spec.payroll_tax.is_nan() {
            spec.payroll_tax = default_tax;
        }
    }
    check_duplicates(ctx, &mut specs);
    if specs.len() == 1 {
        ctx.error_help(
            specs[0].span.clone(),
            "a cooperation needs at least two members, found one",
            "add the other members",
        );
    }
    specs
}

fn read_inline(ctx: &mut Ctx<'_>, node: &Node<'_>) -> Vec<MemberSpec> {
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error(
            node.span(),
            format!(
                "`members` must be an array, found {}",
                type_name(node.get_ref())
            ),
        );
        return Vec::new();
    };
    if items.is_empty() {
        ctx.error_help(
            node.span(),
            "`members` is empty",
            "list at least two kommunenummer, e.g. [\"1517\", \"1515\"]",
        );
    }
    items
        .iter()
        .filter_map(|item| read_one(ctx, item))
        .collect()
}

fn read_one(ctx: &mut Ctx<'_>, item: &Node<'_>) -> Option<MemberSpec> {
    match item.get_ref() {
        DeValue::String(_) | DeValue::Integer(_) => {
            let id = member_id(ctx, item)?;
            let Some(k) = kommuner::by_id(&id) else {
                ctx.error_help(
                    item.span(),
                    format!("unknown kommunenummer `{id}`"),
                    kommuner::hint_for_unknown(&id),
                );
                return None;
            };
            Some(MemberSpec {
                member: Member {
                    id,
                    name: k.name.clone(),
                    population: k.population,
                },
                drivers: Vec::new(),
                span: item.span(),
                payroll_tax: f64::NAN,
                actuals: Vec::new(),
            })
        }
        DeValue::Table(_) => read_member_table(ctx, item),
        other => {
            ctx.error(
                item.span(),
                format!(
                    "a member must be a kommunenummer or a table, found {}",
                    type_name(other)
                ),
            );
            None
        }
    }
}

fn member_id(ctx: &mut Ctx<'_>, node: &Node<'_>) -> Option<String> {
    let raw = match node.get_ref() {
        DeValue::Integer(i) => format!("{:0>4}", i.as_str()),
        _ => as_str(ctx, node, "a member id")?,
    };
    Some(raw.trim().to_owned())
}

fn read_member_table(ctx: &mut Ctx<'_>, item: &Node<'_>) -> Option<MemberSpec> {
    let table = Table::from_node(ctx, item, "a member")?;
    table.check_keys(
        ctx,
        &[
            "id",
            "name",
            "population",
            "payroll_zone",
            "drivers",
            "actual_cost",
            "actual_fte",
        ],
    );
    let payroll_tax = match table.get("payroll_zone") {
        Some(node) => super::components::payroll_zone(ctx, node, "`payroll_zone` of a member")
            .unwrap_or(f64::NAN),
        None => f64::NAN,
    };
    let id_node = table.require(ctx, "id", "\"1517\"")?;
    let id = member_id(ctx, id_node)?;
    let known = kommuner::by_id(&id);
    let name = table
        .opt_str(ctx, "name")
        .map(|(s, _)| s)
        .or_else(|| known.map(|k| k.name.clone()));
    let population = table.opt_f64(ctx, "population").map(|(p, span)| {
        if p <= 0.0 {
            ctx.error_help(
                span,
                format!("population of member {id} must be positive, got {p}"),
                "give the population on 1 January",
            );
        }
        p
    });
    let population = population.or_else(|| known.map(|k| k.population));
    let (Some(name), Some(population)) = (name, population) else {
        ctx.error_help(item.span(), format!("member `{id}` is not in the embedded municipality table, so it needs `name` and `population`"), kommuner::hint_for_unknown(&id));
        return None;
    };
    let mut drivers = Vec::new();
    if let Some(node) = table.get("drivers")
        && let Some(dt) = Table::from_node(ctx, node, format!("drivers of member {id}"))
    {
        for (key, value) in dt.table.iter() {
            let driver = key.get_ref().to_string();
            if let Some(v) = as_f64(ctx, value, &format!("driver `{driver}` of member {id}")) {
                if v < 0.0 {
                    ctx.error(
                        value.span(),
                        format!("driver `{driver}` of member {id} must not be negative, got {v}"),
                    );
                }
                drivers.push((driver, v, key.span()));
            }
        }
    }
    let mut actuals = Vec::new();
    for (prefix, fte) in ACTUAL_PREFIXES {
        let Some(node) = table.get(prefix) else {
            continue;
        };
        let Some(at) = Table::from_node(ctx, node, format!("`{prefix}` of member {id}")) else {
            continue;
        };
        for (key, value) in at.table.iter() {
            let component = key.get_ref().to_string();
            let what = format!("`{prefix}.{component}` of member {id}");
            if let Some(v) = as_f64(ctx, value, &what) {
                if v > 0.0 && v.is_finite() {
                    actuals.push(Actual {
                        component,
                        fte,
                        value: v,
                        span: value.span(),
                    });
                } else {
                    ctx.error_help(
                        value.span(),
                        format!("{what} must be positive, got {v}"),
                        if fte {
                            "give the member's IT staff in full-time equivalents, e.g. 4.5"
                        } else {
                            "give the yearly cost from the member's accounts in NOK, e.g. 2_400_000; leave it out to use the modelled cost"
                        },
                    );
                }
            }
        }
    }
    Some(MemberSpec {
        member: Member {
            id,
            name,
            population,
        },
        drivers,
        span: item.span(),
        payroll_tax,
        actuals,
    })
}

fn read_csv_file(ctx: &mut Ctx<'_>, node: &Node<'_>, files: &dyn FileSource) -> Vec<MemberSpec> {
    let Some(path) = as_str(ctx, node, "`members_csv`") else {
        return Vec::new();
    };
    let text = match files.read(&path) {
        Ok(text) => text,
        Err(e) => {
            ctx.error_help(
                node.span(),
                format!("cannot read members file `{path}`: {e}"),
                "the path is relative to the scenario file",
            );
            return Vec::new();
        }
    };
    match parse_members_csv(&path, &text) {
        Ok(specs) => specs
            .into_iter()
            .map(|mut s| {
                s.span = node.span();
                s
            })
            .collect(),
        Err(diagnostics) => {
            ctx.errors.extend(diagnostics);
            Vec::new()
        }
    }
}

/// Parses a members CSV: a `kommunenummer` (or `id`) column, optional `name` and `population`
/// columns, and one column per driver.
pub fn parse_members_csv(path: &str, text: &str) -> Result<Vec<MemberSpec>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![Diagnostic::whole_file(
                path,
                format!("cannot read the header: {e}"),
            )]);
        }
    };
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h));
    let Some(id_col) = col(&["kommunenummer", "id"]) else {
        return Err(vec![
            Diagnostic::whole_file(path, "the header has no `kommunenummer` column").with_help(
                format!(
                    "columns found: {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            ),
        ]);
    };
    let name_col = col(&["name", "kommunenavn"]);
    let pop_col = col(&["population", "folketall"]);
    let mut specs = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(Diagnostic::whole_file(path, format!("malformed row: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let at = |field: &str, message: String| Diagnostic {
            file: path.to_owned(),
            line,
            column: 1,
            message: format!("{message} (column `{field}`)"),
            source_line: record.iter().collect::<Vec<_>>().join(","),
            line_skip: 0,
            width: 0,
            help: None,
            place: None,
        };
        let id = format!("{:0>4}", &record[id_col]);
        let known = kommuner::by_id(&id);
        let name = name_col
            .map(|c| record[c].to_owned())
            .filter(|s| !s.is_empty())
            .or_else(|| known.map(|k| k.name.clone()));
        let population = match pop_col.map(|c| &record[c]).filter(|s| !s.is_empty()) {
            Some(text) => match text.parse::<f64>() {
                Ok(p) if p > 0.0 && p.is_finite() => Some(p),
                _ => {
                    errors.push(at(
                        "population",
                        format!("population `{text}` of member {id} is not a positive number"),
                    ));
                    continue;
                }
            },
            None => known.map(|k| k.population),
        };
        let (Some(name), Some(population)) = (name, population) else {
            errors.push(
                at(
                    "kommunenummer",
                    format!("unknown kommunenummer `{id}` needs name and population"),
                )
                .with_help(kommuner::hint_for_unknown(&id)),
            );
            continue;
        };
        let mut drivers = Vec::new();
        let mut actuals = Vec::new();
        for (c, header) in headers.iter().enumerate() {
            if Some(c) == Some(id_col)
                || Some(c) == name_col
                || Some(c) == pop_col
                || record[c].is_empty()
            {
                continue;
            }
            if let Some((component, fte)) = actual_column(header) {
                match record[c].parse::<f64>() {
                    Ok(v) if v.is_finite() && v > 0.0 => actuals.push(Actual {
                        component: component.to_owned(),
                        fte,
                        value: v,
                        span: 0..0,
                    }),
                    _ => errors.push(at(
                        header,
                        format!(
                            "`{}` of member {id} is not a positive number",
                            &record[c]
                        ),
                    ).with_help("give the yearly cost in NOK (or the IT staff in FTE) from the member's accounts, or leave the cell empty to use the modelled cost")),
                }
                continue;
            }
            match record[c].parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => drivers.push((header.to_owned(), v, 0..0)),
                _ => errors.push(at(
                    header,
                    format!(
                        "driver value `{}` of member {id} is not a non-negative number",
                        &record[c]
                    ),
                )),
            }
        }
        specs.push(MemberSpec {
            member: Member {
                id,
                name,
                population,
            },
            drivers,
            span: 0..0,
            payroll_tax: f64::NAN,
            actuals,
        });
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

fn check_duplicates(ctx: &mut Ctx<'_>, specs: &mut Vec<MemberSpec>) {
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    specs.retain(|s| {
        if seen.insert(s.member.id.clone(), ()).is_some() {
            ctx.error_help(
                s.span.clone(),
                format!("member {} ({}) is listed twice", s.member.id, s.member.name),
                "remove the duplicate",
            );
            return false;
        }
        true
    });
}

/// Per-inhabitant defaults from `[drivers]`.
pub struct DriverDefaults {
    /// `(name, per_inhabitant, span)`.
    pub list: Vec<(String, f64, Range<usize>)>,
}

/// Reads `[drivers]`: `users = { per_inhabitant = 0.09, source = "…" }`.
pub fn read_driver_defaults(ctx: &mut Ctx<'_>, node: Option<&Node<'_>>) -> DriverDefaults {
    let mut list = Vec::new();
    let Some(node) = node else {
        return DriverDefaults { list };
    };
    let Some(table) = Table::from_node(ctx, node, "[drivers]") else {
        return DriverDefaults { list };
    };
    for (key, value) in table.table.iter() {
        let name = key.get_ref().to_string();
        if name == "population" {
            ctx.error_help(
                key.span(),
                "`population` is built in and cannot be redefined",
                "remove this entry",
            );
            continue;
        }
        let Some(dt) = Table::from_node(ctx, value, format!("driver `{name}`")) else {
            continue;
        };
        dt.check_keys(ctx, &["per_inhabitant", "source", "note"]);
        if let Some((v, span)) = dt.opt_f64(ctx, "per_inhabitant") {
            if v < 0.0 {
                ctx.error(
                    span,
                    format!("per_inhabitant of driver `{name}` must not be negative, got {v}"),
                );
            }
            list.push((name, v, key.span()));
        } else if dt.get("per_inhabitant").is_none() {
            list.push((name, f64::NAN, key.span()));
        }
    }
    DriverDefaults { list }
}

/// Builds the driver table: population, every declared driver and every driver given for all
/// members. Values given per member override the per-inhabitant default.
pub fn build_drivers(
    ctx: &mut Ctx<'_>,
    specs: &[MemberSpec],
    defaults: &DriverDefaults,
) -> DriverTable {
    let members: Vec<Member> = specs.iter().map(|s| s.member.clone()).collect();
    let mut table = DriverTable::new(&members);
    let mut names: Vec<String> = defaults.list.iter().map(|(n, _, _)| n.clone()).collect();
    for spec in specs {
        for (name, _, span) in &spec.drivers {
            if names.contains(name) || name == "population" {
                continue;
            }
            if specs
                .iter()
                .all(|s| s.drivers.iter().any(|(n, _, _)| n == name))
            {
                names.push(name.clone());
            } else {
                let hint = match closest(name, names.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "declare it under [drivers] with a default, e.g. `{name} = {{ per_inhabitant = 0.09 }}`, or give it for every member"
                    ),
                };
                ctx.error_help(span.clone(), format!("driver `{name}` of member {} is not declared and not given for every member", spec.member.id), hint);
            }
        }
    }
    for name in names {
        let default = defaults
            .list
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, v, _)| *v);
        let mut values = Vec::with_capacity(specs.len());
        for spec in specs {
            let given = spec
                .drivers
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, v, _)| *v);
            let value = given.or_else(|| {
                default
                    .filter(|d| d.is_finite())
                    .map(|d| d * spec.member.population)
            });
            values.push(value.unwrap_or_else(|| {
                ctx.error_help(spec.span.clone(), format!("member {} has no value for driver `{name}`", spec.member.id), format!("give it under the member's `drivers`, or set `per_inhabitant` under [drivers.{name}]"));
                0.0
            }));
        }
        table.push(name, values);
    }
    table
}

/// Replaces the members by `ids` (kommunenummer): a member already in `specs` keeps its spec,
/// others come from the embedded table.
pub fn override_members(
    ctx: &mut Ctx<'_>,
    specs: Vec<MemberSpec>,
    ids: &[String],
    default_tax: f64,
) -> Vec<MemberSpec> {
    let mut out: Vec<MemberSpec> = Vec::with_capacity(ids.len());
    for raw in ids {
        let id = format!("{:0>4}", raw.trim());
        if out.iter().any(|s| s.member.id == id) {
            ctx.error(
                0..0,
                format!("member {id} is listed twice in the member override"),
            );
            continue;
        }
        if let Some(spec) = specs.iter().find(|s| s.member.id == id) {
            out.push(MemberSpec {
                member: spec.member.clone(),
                drivers: spec.drivers.clone(),
                span: spec.span.clone(),
                payroll_tax: spec.payroll_tax,
                actuals: spec.actuals.clone(),
            });
            continue;
        }
        match kommuner::by_id(&id) {
            Some(k) => out.push(MemberSpec {
                member: Member {
                    id: k.id.clone(),
                    name: k.name.clone(),
                    population: k.population,
                },
                drivers: Vec::new(),
                span: 0..0,
                payroll_tax: default_tax,
                actuals: Vec::new(),
            }),
            None => ctx.error_help(
                0..0,
                format!("unknown kommunenummer `{id}` in the member override"),
                kommuner::hint_for_unknown(&id),
            ),
        }
    }
    if out.len() < 2 {
        ctx.error(0..0, "a cooperation needs at least two members");
    }
    out
}
