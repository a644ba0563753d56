//! Numeric inputs: fixed numbers, distributions and expressions over named parameters.

use std::ops::Range;

use samkost_core::model::{BinaryOp, Expr, InputLabel, ModelPart, Parameter, ParameterOrigin};
use samkost_core::sampling::Distribution;
use toml::de::DeValue;

use super::diagnostic::closest;
use super::expr;
use super::ranges;
use super::tree::{Ctx, Node, Table, as_f64, as_str, type_name};

/// The distribution kinds a scenario can name in `dist = "…"`.
pub const DIST_KINDS: &[&str] = &[
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "discrete",
    "overrun",
];

/// Keys that may accompany a distribution's parameters.
const DESCRIPTIVE_KEYS: &[&str] = &["dist", "source", "unit", "note", "label"];

/// Most uncertain inputs a scenario may have, named and inline together: each is drawn in
/// every draw, and a PERT keeps an inversion table of a few kilobytes, so this bounds the
/// reader's memory at a few hundred megabytes.
pub const MAX_PARAMETERS: usize = 10_000;

/// Parameters declared so far; anonymous ones are added for inline distributions.
#[derive(Debug, Default)]
pub struct Parameters {
    /// Parameters in sampling order.
    pub list: Vec<Parameter>,
    /// How many of them are named in `[parameters]` (the rest are inline).
    pub n_named: usize,
    /// The component, line or section being read: inline inputs record it as their origin
    /// and take its `source` when they give none of their own.
    owner: Option<Owner>,
    /// Where each named parameter's value is written, for messages about its range.
    pub spans: Vec<Range<usize>>,
    /// Named parameters already reported out of range (each is reported once).
    reported: Vec<usize>,
    /// Index of each named parameter by name.
    by_name: std::collections::HashMap<String, usize>,
    /// The range checks made on fields that depend on parameters (for sweeps).
    pub checks: Vec<ranges::RangeCheck>,
}

/// The component, line or section whose fields are being read.
#[derive(Debug)]
struct Owner {
    part: ModelPart,
    name: String,
    source: Option<String>,
    /// Put before the field's key, for tables nested in the owner (`connections.`).
    prefix: &'static str,
}

impl Parameters {
    /// Records a range check on a field that depends on parameters.
    pub fn record(&mut self, expr: &Expr, field: &str, allowed: ranges::Allowed) {
        self.checks.push(ranges::RangeCheck {
            expr: expr.clone(),
            field: field.to_owned(),
            allowed,
        });
    }

    /// Whether parameter `idx` has not been reported out of range yet; marks it reported.
    pub fn report_once(&mut self, idx: usize) -> bool {
        if self.reported.contains(&idx) {
            return false;
        }
        self.reported.push(idx);
        true
    }

    /// Inline inputs read from now on belong to `part` named `name` (empty for sections),
    /// whose table gives `source`.
    pub fn set_owner(&mut self, part: ModelPart, name: &str, source: Option<String>) {
        self.owner = Some(Owner {
            part,
            name: name.to_owned(),
            source,
            prefix: "",
        });
    }

    /// Fields read from now on sit in a table nested in the owner (`"connections."`).
    pub fn set_field_prefix(&mut self, prefix: &'static str) {
        if let Some(owner) = &mut self.owner {
            owner.prefix = prefix;
        }
    }

    /// Inline inputs read from now on belong to no component, line or section.
    pub fn clear_owner(&mut self) {
        self.owner = None;
    }

    /// Adds an inline input named `label` for `field` of the current owner; without a
    /// `source` of its own it takes the owner's. Returns its index.
    pub fn push_inline(
        &mut self,
        label: &str,
        field: &str,
        distribution: Distribution,
        source: Option<String>,
        words: Option<InputLabel>,
    ) -> usize {
        let owner = self.owner.as_ref();
        self.list.push(Parameter {
            name: label.to_owned(),
            distribution,
            source: source.or_else(|| owner.and_then(|o| o.source.clone())),
            origin: owner.map(|o| ParameterOrigin {
                part: o.part,
                owner: o.name.clone(),
                field: format!("{}{field}", o.prefix),
            }),
            label: words,
        });
        self.list.len() - 1
    }

    /// Index of a named parameter, or a hint for an unknown name.
    pub fn lookup(&self, name: &str) -> Result<usize, Option<String>> {
        let named = &self.list[..self.n_named];
        match self.by_name.get(name) {
            Some(&idx) => Ok(idx),
            None => Err(Some(match closest(name, named.iter().map(|p| p.name.as_str())) {
                Some(best) => format!("did you mean `{best}`? parameters are declared under [parameters]"),
                None => "declare it under [parameters], e.g. `name = { dist = \"pert\", min = 1, mode = 2, max = 4 }`".to_owned(),
            })),
        }
    }
}

/// Reads every entry of `[parameters]`.
pub fn read_parameters(ctx: &mut Ctx<'_>, node: Option<&Node<'_>>) -> Parameters {
    let mut params = Parameters::default();
    let Some(node) = node else { return params };
    let Some(table) = Table::from_node(ctx, node, "[parameters]") else {
        return params;
    };
    if table.table.len() > MAX_PARAMETERS {
        ctx.error_help(
            node.span(),
            format!(
                "[parameters] has {} entries; a scenario has at most {MAX_PARAMETERS} uncertain inputs",
                table.table.len()
            ),
            "give inputs that do not vary as plain numbers where they are used",
        );
        return params;
    }
    for (key, value) in table.table.iter() {
        let name = key.get_ref().to_string();
        if !is_identifier(&name) {
            ctx.error_help(
                key.span(),
                format!("parameter name `{name}` cannot be used in expressions"),
                "use letters, digits and `_`, starting with a letter",
            );
        }
        let what = format!("parameter `{name}`");
        let (distribution, source) = match value.get_ref() {
            DeValue::Integer(_) | DeValue::Float(_) => (
                as_f64(ctx, value, &what).and_then(|v| Distribution::fixed(v).ok()),
                None,
            ),
            DeValue::Table(_) => read_distribution(ctx, value, &what),
            other => {
                ctx.error_help(
                    value.span(),
                    format!(
                        "{what} must be a number or a distribution table, found {}",
                        type_name(other)
                    ),
                    "e.g. `{ dist = \"triangular\", min = 7000, mode = 9500, max = 13000 }`",
                );
                (None, None)
            }
        };
        let is_share = is_declared_share(ctx, value);
        // A placeholder keeps indices stable so that later references still resolve.
        params.list.push(Parameter {
            name,
            distribution: distribution
                .unwrap_or_else(|| Distribution::fixed(0.0).expect("0 is finite")),
            source,
            origin: None,
            label: read_label(ctx, value),
        });
        params.spans.push(value.span());
        params
            .by_name
            .entry(params.list[params.list.len() - 1].name.clone())
            .or_insert(params.list.len() - 1);
        params.n_named = params.list.len();
        if is_share {
            let idx = params.list.len() - 1;
            params.record(&Expr::Param(idx), "a share", ranges::SHARE);
            ranges::check_param(ctx, &mut params, idx, None, ranges::SHARE);
        }
    }
    params.n_named = params.list.len();
    params
}

/// Whether a parameter's table says `unit = "share"`: its values must then lie in [0, 1].
fn is_declared_share(ctx: &mut Ctx<'_>, value: &Node<'_>) -> bool {
    let DeValue::Table(table) = value.get_ref() else {
        return false;
    };
    let Some((_, unit)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == "unit") else {
        return false;
    };
    as_str(ctx, unit, "`unit`").is_some_and(|u| u == "share")
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The author's words for an input given as a distribution table: `label = "…"` (every
/// language) or `label = { en = "…", nb = "…" }`; `None` without a `label` or when it is
/// wrong (the error is recorded).
pub fn read_label(ctx: &mut Ctx<'_>, node: &Node<'_>) -> Option<InputLabel> {
    let DeValue::Table(_) = node.get_ref() else {
        return None;
    };
    let table = Table::from_node(ctx, node, "the input")?;
    let label = table.get("label")?;
    match label.get_ref() {
        DeValue::String(_) => {
            let text = as_str(ctx, label, "`label`")?;
            Some(InputLabel {
                en: text.clone(),
                nb: text,
            })
        }
        DeValue::Table(_) => {
            let words = Table::from_node(ctx, label, "`label`")?;
            words.check_keys(ctx, &["en", "nb"]);
            let en = words.opt_str(ctx, "en").map(|(s, _)| s);
            let nb = words.opt_str(ctx, "nb").map(|(s, _)| s);
            match (en, nb) {
                (Some(en), Some(nb)) => Some(InputLabel { en, nb }),
                (Some(one), None) | (None, Some(one)) => Some(InputLabel {
                    en: one.clone(),
                    nb: one,
                }),
                (None, None) => {
                    ctx.error_help(
                        label.span(),
                        "`label` gives no words",
                        "write `label = \"…\"`, or `label = { en = \"…\", nb = \"…\" }` for a report in each language",
                    );
                    None
                }
            }
        }
        other => {
            ctx.error_help(
                label.span(),
                format!("`label` must be text, found {}", type_name(other)),
                "write `label = \"…\"`, or `label = { en = \"…\", nb = \"…\" }` for a report in each language",
            );
            None
        }
    }
}

/// Reads a distribution table `{ dist = "…", … }`; returns it and its `source`, if any.
pub fn read_distribution(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    what: &str,
) -> (Option<Distribution>, Option<String>) {
    let Some(table) = Table::from_node(ctx, node, what) else {
        return (None, None);
    };
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    let Some((kind, _)) = table.opt_choice(ctx, "dist", DIST_KINDS) else {
        if table.get("dist").is_none() {
            ctx.error_help(
                table.span.clone(),
                format!("{what} is missing `dist`"),
                format!("add `dist = \"…\"`, one of: {}", DIST_KINDS.join(", ")),
            );
        }
        return (None, source);
    };
    (distribution_of_kind(ctx, &table, &kind, what), source)
}

fn distribution_of_kind(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    kind: &str,
    what: &str,
) -> Option<Distribution> {
    let fields: &[&str] = match kind {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "triangular" => &["min", "mode", "max"],
        "pert" => &["min", "mode", "max", "shape"],
        "normal" => &["mean", "sd", "min", "max"],
        "lognormal" => &["median", "p90", "mean", "sd"],
        "discrete" => &["values", "weights"],
        _ => &["body", "tail_probability", "tail_start", "alpha", "cap"],
    };
    let allowed: Vec<&str> = DESCRIPTIVE_KEYS.iter().chain(fields).copied().collect();
    table.check_keys(ctx, &allowed);
    let n_errors = ctx.errors.len();
    let num = |ctx: &mut Ctx<'_>, key: &str| -> Option<f64> {
        match table.get(key) {
            Some(node) => as_f64(ctx, node, &format!("`{key}` of {what}")),
            None => {
                ctx.error_help(
                    table.span.clone(),
                    format!("{what} ({kind}) is missing `{key}`"),
                    format!("a {kind} distribution needs: {}", required_fields(kind)),
                );
                None
            }
        }
    };
    let opt = |ctx: &mut Ctx<'_>, key: &str| {
        table
            .get(key)
            .and_then(|n| as_f64(ctx, n, &format!("`{key}` of {what}")))
    };
    let result = match kind {
        "fixed" => num(ctx, "value").map(Distribution::fixed),
        "uniform" => {
            zip2(num(ctx, "min"), num(ctx, "max")).map(|(a, b)| Distribution::uniform(a, b))
        }
        "triangular" => zip3(num(ctx, "min"), num(ctx, "mode"), num(ctx, "max"))
            .map(|(a, m, b)| Distribution::triangular(a, m, b)),
        "pert" => {
            let shape = opt(ctx, "shape");
            zip3(num(ctx, "min"), num(ctx, "mode"), num(ctx, "max"))
                .map(|(a, m, b)| Distribution::pert(a, m, b, shape))
        }
        "normal" => {
            let (lo, hi) = (opt(ctx, "min"), opt(ctx, "max"));
            zip2(num(ctx, "mean"), num(ctx, "sd")).map(|(m, s)| Distribution::normal(m, s, lo, hi))
        }
        "lognormal" => lognormal(ctx, table, what),
        "discrete" => discrete(ctx, table, what),
        _ => overrun(ctx, table, what, &num),
    };
    if ctx.errors.len() > n_errors {
        return None;
    }
    match result? {
        Ok(d) => Some(d),
        Err(e) => {
            ctx.error_help(
                table.span.clone(),
                format!("invalid {kind} distribution for {what}: {e}"),
                "fix the parameters so that the distribution is well defined",
            );
            None
        }
    }
}

fn required_fields(kind: &str) -> &'static str {
    match kind {
        "fixed" => "value",
        "uniform" => "min, max",
        "triangular" => "min, mode, max",
        "pert" => "min, mode, max (and optionally shape, default 4)",
        "normal" => "mean, sd (and optionally min, max to truncate)",
        "lognormal" => "median and p90, or mean and sd",
        "discrete" => "values, weights",
        _ => "body, tail_probability, tail_start, alpha (and cap when alpha <= 1)",
    }
}

type DistResult = Option<Result<Distribution, samkost_core::sampling::DistributionError>>;

fn lognormal(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, what: &str) -> DistResult {
    let get = |ctx: &mut Ctx<'_>, k: &str| {
        table
            .get(k)
            .and_then(|n| as_f64(ctx, n, &format!("`{k}` of {what}")))
    };
    let (median, p90, mean, sd) = (
        get(ctx, "median"),
        get(ctx, "p90"),
        get(ctx, "mean"),
        get(ctx, "sd"),
    );
    match (median, p90, mean, sd) {
        (Some(m), Some(p), None, None) => Some(Distribution::lognormal_median_p90(m, p)),
        (None, None, Some(m), Some(s)) => Some(Distribution::lognormal_mean_sd(m, s)),
        _ => {
            ctx.error_help(
                table.span.clone(),
                format!("{what} (lognormal) needs either `median` and `p90`, or `mean` and `sd`"),
                "e.g. `{ dist = \"lognormal\", median = 6000, p90 = 12000 }`",
            );
            None
        }
    }
}

fn number_list(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    key: &str,
    what: &str,
) -> Option<Vec<f64>> {
    let node = table.require(ctx, key, "[…]")?;
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error(
            node.span(),
            format!("`{key}` of {what} must be an array of numbers"),
        );
        return None;
    };
    let values: Vec<Option<f64>> = items
        .iter()
        .map(|n| as_f64(ctx, n, &format!("an element of `{key}`")))
        .collect();
    values.into_iter().collect()
}

fn discrete(ctx: &mut Ctx<'_>, table: &Table<'_, '_>, what: &str) -> DistResult {
    let values = number_list(ctx, table, "values", what);
    let weights = number_list(ctx, table, "weights", what);
    zip2(values, weights).map(|(v, w)| Distribution::discrete(v, w))
}

fn overrun(
    ctx: &mut Ctx<'_>,
    table: &Table<'_, '_>,
    what: &str,
    num: &dyn Fn(&mut Ctx<'_>, &str) -> Option<f64>,
) -> DistResult {
    let body_what = format!("body of {what}");
    let body = table
        .require(
            ctx,
            "body",
            "{ dist = \"pert\", min = 0.9, mode = 1.0, max = 1.25 }",
        )
        .and_then(|node| read_distribution(ctx, node, &body_what).0);
    let p = num(ctx, "tail_probability");
    let start = num(ctx, "tail_start");
    let alpha = num(ctx, "alpha");
    let cap = table
        .get("cap")
        .and_then(|n| as_f64(ctx, n, &format!("`cap` of {what}")));
    let (body, p, start, alpha) = (body?, p?, start?, alpha?);
    Some(Distribution::overrun(body, p, start, alpha, cap))
}

fn zip2<A, B>(a: Option<A>, b: Option<B>) -> Option<(A, B)> {
    Some((a?, b?))
}

fn zip3<A, B, C>(a: Option<A>, b: Option<B>, c: Option<C>) -> Option<(A, B, C)> {
    Some((a?, b?, c?))
}

/// Reads a numeric input: a number, an expression string, or an inline distribution (which
/// becomes an anonymous parameter named `label`).
pub fn read_value(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    label: &str,
    field: &str,
    params: &mut Parameters,
) -> Option<Expr> {
    match node.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => as_f64(ctx, node, label).map(Expr::Const),
        DeValue::String(text) => {
            let base = string_content_start(ctx, node.span());
            match expr::parse(text, &|name| params.lookup(name)) {
                Ok(e) if divides_by_fixed_zero(&e, params) => {
                    ctx.error_help(
                        node.span(),
                        format!("{label} divides by zero"),
                        "a divisor that is always 0 makes every cost infinite; fix the divisor",
                    );
                    None
                }
                Ok(e) if has_non_finite_constant(&e) => {
                    ctx.error_help(
                        node.span(),
                        format!("{label} is not a finite number (a division by zero or an overflow of its fixed numbers)"),
                        "fix the divisor, or give the amounts in a larger unit",
                    );
                    None
                }
                Ok(e) => Some(e),
                Err(err) => {
                    let span =
                        base + err.range.start..base + err.range.end.max(err.range.start + 1);
                    let message = format!("{} in {label}", err.message);
                    match err.help {
                        Some(help) => ctx.error_help(span, message, help),
                        None => ctx.error(span, message),
                    }
                    None
                }
            }
        }
        DeValue::Table(_) => {
            let (dist, source) = read_distribution(ctx, node, label);
            let dist = dist?;
            let words = read_label(ctx, node);
            Some(Expr::Param(
                params.push_inline(label, field, dist, source, words),
            ))
        }
        other => {
            ctx.error_help(node.span(), format!("{label} must be a number, an expression or a distribution, found {}", type_name(other)), "e.g. `120000`, `\"cost_per_user * 0.6\"` or `{ dist = \"pert\", min = 1, mode = 2, max = 4 }`");
            None
        }
    }
}

/// Whether `expr` divides by a literal zero or by a parameter fixed at zero.
fn divides_by_fixed_zero(expr: &Expr, params: &Parameters) -> bool {
    match expr {
        Expr::Const(_) | Expr::Param(_) => false,
        Expr::Neg(inner) => divides_by_fixed_zero(inner, params),
        Expr::Binary(op, lhs, rhs) => {
            let zero_divisor = *op == BinaryOp::Div
                && match rhs.as_ref() {
                    Expr::Const(v) => *v == 0.0,
                    Expr::Param(idx) => params.list[*idx].distribution.support() == (0.0, 0.0),
                    _ => false,
                };
            zero_divisor || divides_by_fixed_zero(lhs, params) || divides_by_fixed_zero(rhs, params)
        }
    }
}

/// Whether a constant part of `expr` (folded when read) is NaN or infinite.
fn has_non_finite_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Const(v) => !v.is_finite(),
        Expr::Param(_) => false,
        Expr::Neg(inner) => has_non_finite_constant(inner),
        Expr::Binary(_, lhs, rhs) => has_non_finite_constant(lhs) || has_non_finite_constant(rhs),
    }
}

/// Byte offset where a string's content starts (after the opening quote or quotes).
fn string_content_start(ctx: &Ctx<'_>, span: Range<usize>) -> usize {
    let text = ctx.text(span.clone());
    let quote_len = if text.starts_with("\"\"\"") || text.starts_with("'''") {
        3
    } else {
        1
    };
    span.start + quote_len
}
