//! Reading a spanned TOML tree while collecting every problem.
//!
//! Scenario files are parsed into `toml`'s spanned document tree rather than straight into
//! serde types: serde stops at the first error, while users should see every problem at once,
//! each with its line and column.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, closest, line_starts};

/// A spanned node of the TOML tree.
pub type Node<'i> = Spanned<DeValue<'i>>;

/// Most problems located and listed for one file; beyond it problems are only counted, so
/// that a file with 100,000 mistakes is reported in time linear in its size.
pub const MAX_LISTED_PROBLEMS: usize = 200;

/// Collects diagnostics for one file.
pub struct Ctx<'s> {
    /// File name for messages.
    pub file: &'s str,
    /// File contents.
    pub src: &'s str,
    /// Problems found so far; beyond [`MAX_LISTED_PROBLEMS`] they are not located (line 0),
    /// and [`Ctx::into_diagnostics`] counts them in one closing message.
    pub errors: Vec<Diagnostic>,
    /// Where each line starts, built at the first problem.
    line_starts: Option<Vec<usize>>,
}

impl<'s> Ctx<'s> {
    /// A context for `file` with contents `src`.
    pub fn new(file: &'s str, src: &'s str) -> Self {
        Self {
            file,
            src,
            errors: Vec::new(),
            line_starts: None,
        }
    }

    /// A located diagnostic, or an unlocated one beyond [`MAX_LISTED_PROBLEMS`].
    fn diagnostic(&mut self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        if self.errors.len() >= MAX_LISTED_PROBLEMS {
            return Diagnostic {
                line: 0,
                ..Diagnostic::whole_file(self.file, message)
            };
        }
        let src = self.src;
        let starts = self.line_starts.get_or_insert_with(|| line_starts(src));
        Diagnostic::at_indexed(self.file, src, starts, span, message)
    }

    /// Records a problem at `span`.
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let d = self.diagnostic(span, message);
        self.errors.push(d);
    }

    /// Records a problem at `span` with a hint.
    pub fn error_help(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.diagnostic(span, message).with_help(help);
        self.errors.push(d);
    }

    /// The problems sorted by position (problems of other files first, as recorded), without
    /// repeats, at most [`MAX_LISTED_PROBLEMS`] of them plus a closing message that counts the
    /// rest.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let file = self.file;
        let mut errors = self.errors;
        let n_unlisted = errors.iter().filter(|d| d.line == 0).count();
        errors.retain(|d| d.line > 0);
        errors.sort_by_key(|d| (d.file != file, d.line, d.column));
        errors.dedup();
        let n_unlisted = n_unlisted + errors.len().saturating_sub(MAX_LISTED_PROBLEMS);
        errors.truncate(MAX_LISTED_PROBLEMS);
        if n_unlisted > 0 {
            errors.push(
                Diagnostic::whole_file(
                    file,
                    format!(
                        "{n_unlisted} more problems are not listed (at most {MAX_LISTED_PROBLEMS} are)"
                    ),
                )
                .with_help("fix the problems above and check the file again"),
            );
        }
        errors
    }

    /// The text of a span, for messages.
    pub fn text(&self, span: Range<usize>) -> &'s str {
        self.src.get(span).unwrap_or("")
    }
}

/// A table together with its span and a description for messages ("line `Shared servers`").
pub struct Table<'a, 'i> {
    /// Entries.
    pub table: &'a DeTable<'i>,
    /// Span of the whole table (or its header).
    pub span: Range<usize>,
    /// Human description used in messages.
    pub what: String,
}

impl<'a, 'i> Table<'a, 'i> {
    /// Wraps a node that must be a table; records an error otherwise.
    pub fn from_node(
        ctx: &mut Ctx<'_>,
        node: &'a Node<'i>,
        what: impl Into<String>,
    ) -> Option<Self> {
        let what = what.into();
        match node.get_ref() {
            DeValue::Table(table) => Some(Self {
                table,
                span: node.span(),
                what,
            }),
            other => {
                ctx.error(
                    node.span(),
                    format!("{what} must be a table, found {}", type_name(other)),
                );
                None
            }
        }
    }

    /// An entry of an array of named tables (`[[lines]]`, `[[keys]]` …): the table, described
    /// by its `name` in messages (`kind `name``), and the name (an error when it is missing).
    pub fn named(
        ctx: &mut Ctx<'_>,
        node: &'a Node<'i>,
        kind: &str,
        idx: usize,
        example: &str,
    ) -> Option<(Self, Option<String>)> {
        let table = Self::from_node(ctx, node, format!("{kind} #{}", idx + 1))?;
        let name = table.opt_str(ctx, "name").map(|(s, _)| s);
        let table = Table {
            what: format!("{kind} `{}`", name.as_deref().unwrap_or("?")),
            ..table
        };
        if name.is_none() && table.get("name").is_none() {
            table.require(ctx, "name", example);
        }
        Some((table, name))
    }

    /// Looks up a key.
    pub fn get(&self, key: &str) -> Option<&'a Node<'i>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    /// Records an error for every key not in `allowed`, suggesting the closest valid key.
    pub fn check_keys(&self, ctx: &mut Ctx<'_>, allowed: &[&str]) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            let help = match closest(name, allowed.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? valid keys: {}", allowed.join(", ")),
                None => format!("valid keys: {}", allowed.join(", ")),
            };
            ctx.error_help(
                key.span(),
                format!("unknown key `{name}` in {}", self.what),
                help,
            );
        }
    }

    /// A required key; records an error when missing.
    pub fn require(&self, ctx: &mut Ctx<'_>, key: &str, expected: &str) -> Option<&'a Node<'i>> {
        let found = self.get(key);
        if found.is_none() {
            ctx.error_help(
                self.span.clone(),
                format!("{} is missing `{key}`", self.what),
                format!("add `{key} = {expected}`"),
            );
        }
        found
    }

    /// An optional string.
    pub fn opt_str(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<(String, Range<usize>)> {
        let node = self.get(key)?;
        as_str(ctx, node, &format!("`{key}` in {}", self.what)).map(|s| (s, node.span()))
    }

    /// An optional number.
    pub fn opt_f64(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<(f64, Range<usize>)> {
        let node = self.get(key)?;
        as_f64(ctx, node, &format!("`{key}` in {}", self.what)).map(|v| (v, node.span()))
    }

    /// An optional boolean.
    pub fn opt_bool(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<(bool, Range<usize>)> {
        let node = self.get(key)?;
        match node.get_ref() {
            DeValue::Boolean(b) => Some((*b, node.span())),
            other => {
                ctx.error_help(
                    node.span(),
                    format!(
                        "`{key}` in {} must be true or false, found {}",
                        self.what,
                        type_name(other)
                    ),
                    format!("write `{key} = true` or `{key} = false` without quotes"),
                );
                None
            }
        }
    }

    /// An optional integer.
    pub fn opt_i64(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<(i64, Range<usize>)> {
        let node = self.get(key)?;
        as_i64(ctx, node, &format!("`{key}` in {}", self.what)).map(|v| (v, node.span()))
    }

    /// An optional string that must be one of `choices`.
    pub fn opt_choice(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        choices: &[&str],
    ) -> Option<(String, Range<usize>)> {
        let (value, span) = self.opt_str(ctx, key)?;
        if choices.contains(&value.as_str()) {
            return Some((value, span));
        }
        let help = match closest(&value, choices.iter().copied()) {
            Some(best) => format!(
                "did you mean \"{best}\"? expected one of: {}",
                choices.join(", ")
            ),
            None => format!("expected one of: {}", choices.join(", ")),
        };
        ctx.error_help(
            span,
            format!("unknown {key} \"{value}\" in {}", self.what),
            help,
        );
        None
    }
}

/// The spanned tree of the TOML document `src`, or `None` after reporting every syntax error
/// at its place (each with the syntax's reference as the fix).
pub fn parse_document<'i>(ctx: &mut Ctx<'_>, src: &'i str) -> Option<Spanned<DeTable<'i>>> {
    let (root, syntax_errors) = DeTable::parse_recoverable(src);
    if syntax_errors.is_empty() {
        return Some(root);
    }
    for e in syntax_errors {
        ctx.error_help(
            e.span().unwrap_or(0..0),
            format!("invalid TOML: {}", e.message().trim()),
            "see https://toml.io for the syntax",
        );
    }
    None
}

/// The entries of an array of tables `[[name]]` with at most `max` entries, or `None` after
/// reporting a node of another type (with `help`, the fix) or too many entries (with
/// `too_many`, the fix).
pub fn array_of_tables<'a, 'i>(
    ctx: &mut Ctx<'_>,
    node: &'a Node<'i>,
    name: &str,
    help: &str,
    max: Option<(usize, &str)>,
) -> Option<&'a [Node<'i>]> {
    let DeValue::Array(items) = node.get_ref() else {
        ctx.error_help(
            node.span(),
            format!(
                "`{name}` must be an array of tables ([[{name}]]), found {}",
                type_name(node.get_ref())
            ),
            help,
        );
        return None;
    };
    if let Some((max, too_many)) = max
        && items.len() > max
    {
        ctx.error_help(
            node.span(),
            format!(
                "the scenario has {} [[{name}]]; at most {max} are read",
                items.len()
            ),
            too_many,
        );
        return None;
    }
    Some(items)
}

/// Name of a value's TOML type, for messages.
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A string value.
pub fn as_str(ctx: &mut Ctx<'_>, node: &Node<'_>, what: &str) -> Option<String> {
    match node.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        other => {
            ctx.error(
                node.span(),
                format!("{what} must be a string, found {}", type_name(other)),
            );
            None
        }
    }
}

/// A finite number (integer or float).
pub fn as_f64(ctx: &mut Ctx<'_>, node: &Node<'_>, what: &str) -> Option<f64> {
    let value = match node.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => number(node),
        other => {
            ctx.error(
                node.span(),
                format!("{what} must be a number, found {}", type_name(other)),
            );
            return None;
        }
    };
    match value {
        Some(v) if v.is_finite() => Some(v),
        _ => {
            let text = ctx.text(node.span()).to_owned();
            ctx.error_help(
                node.span(),
                format!("{what} must be a finite number, found `{text}`"),
                "nan and inf are not allowed",
            );
            None
        }
    }
}

/// The number a node holds, if it is one that fits in an `f64` (a float may be NaN or
/// infinite); records nothing, unlike [`as_f64`].
pub fn number(node: &Node<'_>) -> Option<f64> {
    match node.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|v| v as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
}

/// An integer.
pub fn as_i64(ctx: &mut Ctx<'_>, node: &Node<'_>, what: &str) -> Option<i64> {
    match node.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(v) => Some(v),
            Err(_) => {
                ctx.error(node.span(), format!("{what} is out of range"));
                None
            }
        },
        other => {
            ctx.error(
                node.span(),
                format!("{what} must be an integer, found {}", type_name(other)),
            );
            None
        }
    }
}
