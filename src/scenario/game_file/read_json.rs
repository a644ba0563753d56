//! Reading a JSON game file into the raw form.
//!
//! `serde_json` checks the syntax first (its errors carry line and column). A small
//! recursive-descent reader then walks the now known-valid text to keep every key's and
//! value's byte span, which serde's data model drops, so that the meaning of the file can be
//! checked with the same located messages as TOML; it also keeps repeated keys, which a map
//! would silently merge. An array of numbers only (`values`) is read straight into a
//! `Vec<f64>`, without a node or a string per entry.

use std::ops::Range;

use super::{
    COMPLETIONS, Located, RawCost, RawGame, RawValues, TOP_KEYS, player_names_not_strings,
    report_bad_value, report_more_bad_values, unknown_key,
};
use crate::scenario::diagnostic::closest;
use crate::scenario::tree::Ctx;

/// A JSON value with its span.
#[derive(Debug, Clone)]
struct Node {
    value: Value,
    span: Range<usize>,
}

/// A JSON value; a number's text is its node's span, read when it is needed as a cost.
#[derive(Debug, Clone)]
enum Value {
    Null,
    Bool,
    Number,
    String(String),
    Array(Vec<Node>),
    /// A non-empty array of numbers only, parsed (an entry too large for `f64` is infinite).
    Numbers(Vec<f64>),
    Object(Vec<(Located<String>, Node)>),
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Number => "a number",
            Self::String(_) => "a string",
            Self::Array(_) | Self::Numbers(_) => "an array",
            Self::Object(_) => "an object",
        }
    }
}

/// Reads the file; `None` after a syntax error (reported in `ctx`).
pub(super) fn read(ctx: &mut Ctx<'_>) -> Option<RawGame> {
    let src = ctx.src;
    // A byte-order mark (as some Windows editors write) is skipped, as in TOML game files.
    let bom = if src.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = &src[bom..];
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(body) {
        let offset = bom + offset_of(body, e.line(), e.column());
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |at| &message[..at]);
        ctx.error_help(
            offset..offset + 1,
            format!("invalid JSON: {message}"),
            "see https://www.json.org for the syntax",
        );
        return None;
    }
    let mut reader = Reader::new(src);
    reader.pos = bom;
    let Some(mut root) = reader.value() else {
        match reader.too_deep {
            Some(at) => ctx.error_help(
                at..at + 1,
                format!("arrays and objects nested more than {MAX_DEPTH} levels deep"),
                "a game file needs two: the file's object and the `players`, `costs` or `values` in it",
            ),
            None => ctx.error(0..0, "invalid JSON: could not be read"),
        }
        return None;
    };
    let found = root.value.type_name();
    let Value::Object(entries) = &mut root.value else {
        ctx.error_help(
            root.span.clone(),
            format!("the game file must be a JSON object, found {found}"),
            "write `{\"players\": [...], \"costs\": {...}}`",
        );
        return None;
    };
    let mut raw = RawGame::default();
    let mut seen: Vec<&str> = Vec::new();
    for (key, node) in entries.iter_mut() {
        let name = key.value.as_str();
        if !TOP_KEYS.contains(&name) {
            unknown_key(ctx, name, key.span.clone(), TOP_KEYS, "the game file");
            continue;
        }
        if seen.contains(&name) {
            ctx.error_help(
                key.span.clone(),
                format!("key `{name}` appears twice in the game file"),
                "keep one",
            );
            continue;
        }
        seen.push(name);
        match name {
            "title" => {
                raw.title = string(ctx, node, "`title`").map(|value| Located {
                    value,
                    span: node.span.clone(),
                });
            }
            "units" => {
                raw.units = string(ctx, node, "`units`").map(|value| Located {
                    value,
                    span: node.span.clone(),
                });
            }
            "complete" => raw.complete_error = completion(ctx, node),
            "players" => {
                raw.players = players(ctx, node);
                raw.players_rejected = raw.players.is_none();
            }
            "values" => raw.values = values(ctx, key.span.clone(), node),
            _ => raw.costs = costs(ctx, node),
        }
    }
    Some(raw)
}

/// Byte offset of serde_json's 1-based line and column (column 0: the end of the line before).
fn offset_of(src: &str, line: usize, column: usize) -> usize {
    let line_start: usize = src
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (line_start + column.saturating_sub(1)).min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn string(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        other => {
            ctx.error(
                node.span.clone(),
                format!("{what} must be a string, found {}", other.type_name()),
            );
            None
        }
    }
}

fn completion(ctx: &mut Ctx<'_>, node: &Node) -> Option<Range<usize>> {
    let value = string(ctx, node, "`complete`")?;
    if value == "error" {
        return Some(node.span.clone());
    }
    if !COMPLETIONS.contains(&value.as_str()) {
        let help = match closest(&value, COMPLETIONS.iter().copied()) {
            Some(best) => format!(
                "did you mean \"{best}\"? expected one of: {}",
                COMPLETIONS.join(", ")
            ),
            None => format!("expected one of: {}", COMPLETIONS.join(", ")),
        };
        ctx.error_help(
            node.span.clone(),
            format!("unknown complete \"{value}\" in the game file"),
            help,
        );
    }
    None
}

fn players(ctx: &mut Ctx<'_>, node: &Node) -> Option<Located<Vec<Located<String>>>> {
    let items = match &node.value {
        Value::Array(items) => items,
        Value::Numbers(_) => {
            player_names_not_strings(ctx, node.span.clone(), "numbers");
            return None;
        }
        other => {
            ctx.error_help(
                node.span.clone(),
                format!(
                    "`players` must be an array of names, found {}",
                    other.type_name()
                ),
                "write `\"players\": [\"A\", \"H\", \"K\"]`",
            );
            return None;
        }
    };
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        match &item.value {
            Value::String(value) => names.push(Located {
                value: value.clone(),
                span: item.span.clone(),
            }),
            other => {
                // One report for the array: its other entries are most likely the same.
                player_names_not_strings(ctx, item.span.clone(), other.type_name());
                break;
            }
        }
    }
    (names.len() == items.len()).then(|| Located {
        value: names,
        span: node.span.clone(),
    })
}

fn costs(ctx: &mut Ctx<'_>, node: &Node) -> Option<Located<Vec<RawCost>>> {
    let Value::Object(entries) = &node.value else {
        ctx.error(
            node.span.clone(),
            format!(
                "`costs` must be an object, found {}",
                node.value.type_name()
            ),
        );
        return None;
    };
    let costs = entries
        .iter()
        .map(|(key, value)| RawCost {
            key: key.clone(),
            cost: number(ctx, value, &format!("the cost of `{}`", key.value)),
        })
        .collect();
    Some(Located {
        value: costs,
        span: node.span.clone(),
    })
}

/// `values`: an array with the cost of every coalition in bitmask order, taken out of
/// `node`. `key` is the span of the key, where messages about the whole array point.
fn values(ctx: &mut Ctx<'_>, key: Range<usize>, node: &mut Node) -> Option<Located<RawValues>> {
    let mut n_bad = 0;
    let mut last_bad = 0..0;
    let (len, costs) = match &mut node.value {
        Value::Numbers(numbers) => {
            let mut last_idx = 0;
            for (idx, _) in numbers.iter().enumerate().filter(|(_, v)| !v.is_finite()) {
                last_idx = idx;
                if report_bad_value(&mut n_bad) {
                    let span = Reader::entry_span(ctx.src, node.span.start, idx);
                    too_large(ctx, span, &format!("`values[{idx}]`"));
                }
            }
            if n_bad > 0 {
                last_bad = Reader::entry_span(ctx.src, node.span.start, last_idx);
            }
            (numbers.len(), (n_bad == 0).then(|| std::mem::take(numbers)))
        }
        Value::Array(items) => {
            let mut costs = Vec::with_capacity(items.len());
            for (idx, item) in items.iter().enumerate() {
                match parse_number(ctx.src, item) {
                    Some(v) if v.is_finite() => costs.push(v),
                    _ => {
                        if report_bad_value(&mut n_bad) {
                            number(ctx, item, &format!("`values[{idx}]`"));
                        }
                        last_bad = item.span.clone();
                    }
                }
            }
            (items.len(), (n_bad == 0).then_some(costs))
        }
        other => {
            ctx.error_help(
                node.span.clone(),
                format!(
                    "`values` must be an array of numbers, found {}",
                    other.type_name()
                ),
                "write `\"values\": [25, 30, 40]`: the cost of every coalition in bitmask order",
            );
            return Some(Located {
                value: RawValues {
                    len: None,
                    costs: None,
                },
                span: key,
            });
        }
    };
    report_more_bad_values(ctx, last_bad, n_bad, ["entry", "entries"]);
    Some(Located {
        value: RawValues {
            len: Some(len),
            costs,
        },
        span: key,
    })
}

/// The number a node holds, if it is one (infinite when too large for `f64`).
fn parse_number(src: &str, node: &Node) -> Option<f64> {
    match node.value {
        Value::Number => src[node.span.clone()].parse::<f64>().ok(),
        _ => None,
    }
}

fn number(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> Option<f64> {
    let Value::Number = &node.value else {
        ctx.error(
            node.span.clone(),
            format!("{what} must be a number, found {}", node.value.type_name()),
        );
        return None;
    };
    match parse_number(ctx.src, node) {
        Some(v) if v.is_finite() => Some(v),
        _ => {
            too_large(ctx, node.span.clone(), what);
            None
        }
    }
}

fn too_large(ctx: &mut Ctx<'_>, span: Range<usize>, what: &str) {
    let text = ctx.text(span.clone());
    ctx.error_help(
        span,
        format!("{what} must be a finite number, found `{text}`"),
        "the number is too large for a 64-bit float",
    );
}

/// The most arrays and objects a JSON game file may have inside one another (serde_json's
/// own default limit), which bounds the recursion of [`Reader`].
const MAX_DEPTH: usize = 128;

/// Recursive-descent reader over text that `serde_json` has already accepted, so it only
/// needs to find where things are. serde_json checks the syntax (into `IgnoredAny`) without a
/// depth limit, so the reader bounds its own recursion at [`MAX_DEPTH`].
struct Reader<'s> {
    src: &'s str,
    pos: usize,
    /// Arrays and objects open around the current position.
    depth: usize,
    /// Where the first array or object beyond [`MAX_DEPTH`] starts, once found.
    too_deep: Option<usize>,
}

impl<'s> Reader<'s> {
    fn new(src: &'s str) -> Self {
        Self {
            src,
            pos: 0,
            depth: 0,
            too_deep: None,
        }
    }

    /// Reads an array or object with `read`, one level deeper; `None` beyond [`MAX_DEPTH`].
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> Option<Value>) -> Option<Value> {
        if self.depth == MAX_DEPTH {
            self.too_deep = Some(self.pos);
            return None;
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_whitespace();
        let start = self.pos;
        let value = match self.peek()? {
            b'{' => self.nested(Self::object)?,
            b'[' => self.nested(Self::array)?,
            b'"' => Value::String(self.string()?.value),
            b't' | b'f' | b'n' => {
                let word = ["null", "true", "false"]
                    .into_iter()
                    .find(|w| self.src[start..].starts_with(w))?;
                self.pos += word.len();
                if word == "null" {
                    Value::Null
                } else {
                    Value::Bool
                }
            }
            _ => {
                self.skip_number();
                Value::Number
            }
        };
        Some(Node {
            value,
            span: start..self.pos,
        })
    }

    /// A string token; the span covers the quotes, the value is unescaped.
    fn string(&mut self) -> Option<Located<String>> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => break,
                _ => self.pos += 1,
            }
        }
        self.pos += 1;
        let value = serde_json::from_str(&self.src[start..self.pos]).ok()?;
        Some(Located {
            value,
            span: start..self.pos,
        })
    }

    fn skip_number(&mut self) {
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.pos += 1;
        }
    }

    fn array(&mut self) -> Option<Value> {
        let start = self.pos;
        if let Some(numbers) = self.numbers() {
            return Some(Value::Numbers(numbers));
        }
        self.pos = start + 1;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b']' => break,
                b',' => self.pos += 1,
                _ => items.push(self.value()?),
            }
        }
        self.pos += 1;
        Some(Value::Array(items))
    }

    /// A non-empty array of numbers only, parsed; `None` (position left anywhere) when the
    /// array is empty or holds anything else.
    fn numbers(&mut self) -> Option<Vec<f64>> {
        self.pos += 1;
        let mut numbers = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b']' if !numbers.is_empty() => break,
                b',' => self.pos += 1,
                b'-' | b'0'..=b'9' => {
                    let start = self.pos;
                    self.skip_number();
                    numbers.push(self.src[start..self.pos].parse::<f64>().ok()?);
                }
                _ => return None,
            }
        }
        self.pos += 1;
        Some(numbers)
    }

    /// The span of entry `idx` of the array that starts at byte `array_start` (for messages
    /// about an entry of [`Value::Numbers`], which keeps no spans).
    fn entry_span(src: &str, array_start: usize, idx: usize) -> Range<usize> {
        let mut reader = Reader::new(src);
        reader.pos = array_start + 1;
        let mut seen = 0;
        loop {
            reader.skip_whitespace();
            match reader.peek() {
                Some(b',') => reader.pos += 1,
                Some(b']') | None => return array_start..array_start + 1,
                Some(_) => match reader.value() {
                    Some(node) if seen == idx => return node.span,
                    Some(_) => seen += 1,
                    None => return array_start..array_start + 1,
                },
            }
        }
    }

    fn object(&mut self) -> Option<Value> {
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek()? {
                b'}' => break,
                b',' => self.pos += 1,
                _ => {
                    let key = self.string()?;
                    self.skip_whitespace();
                    self.pos += 1; // the colon
                    entries.push((key, self.value()?));
                }
            }
        }
        self.pos += 1;
        Some(Value::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_keeps_spans_and_repeated_keys() {
        let src = r#"{ "a": [1, "x\"y", true, null], "a": {"k": -2.5e3} }"#;
        let root = Reader::new(src).value().unwrap();
        let Value::Object(entries) = root.value else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(&src[entries[0].0.span.clone()], "\"a\"");
        let Value::Array(items) = &entries[0].1.value else {
            panic!()
        };
        assert!(matches!(&items[1].value, Value::String(s) if s == "x\"y"));
        let Value::Object(inner) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(&src[inner[0].1.span.clone()], "-2.5e3");
    }

    #[test]
    fn arrays_of_numbers_are_parsed_and_their_entries_found_again() {
        let src = "{\"v\": [ 1, -2.5e3 ,1e999], \"w\": [1, \"x\"], \"e\": []}";
        let root = Reader::new(src).value().unwrap();
        let Value::Object(entries) = root.value else {
            panic!()
        };
        let Value::Numbers(numbers) = &entries[0].1.value else {
            panic!("{:?}", entries[0].1.value)
        };
        assert_eq!(numbers[..2], [1.0, -2500.0]);
        assert!(numbers[2].is_infinite());
        let start = entries[0].1.span.start;
        assert_eq!(&src[Reader::entry_span(src, start, 1)], "-2.5e3");
        assert_eq!(&src[Reader::entry_span(src, start, 2)], "1e999");
        assert!(matches!(&entries[1].1.value, Value::Array(items) if items.len() == 2));
        assert!(matches!(&entries[2].1.value, Value::Array(items) if items.is_empty()));
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_where_it_starts() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(Reader::new(&deep(MAX_DEPTH)).value().is_some());
        let src = deep(MAX_DEPTH + 1);
        let mut reader = Reader::new(&src);
        assert!(reader.value().is_none());
        assert_eq!(reader.too_deep, Some(MAX_DEPTH));
        // Far deeper than a thread's stack would allow without the limit.
        let src = format!("{{\"a\": {}", deep(100_000));
        let mut reader = Reader::new(&src);
        assert!(reader.value().is_none());
        assert_eq!(reader.too_deep, Some(6 + MAX_DEPTH - 1));
    }

    #[test]
    fn serde_positions_become_offsets() {
        let src = "{\n  \"é\": x\n}";
        let offset = offset_of(src, 2, 9);
        assert_eq!(&src[offset..offset + 1], "x");
    }
}
