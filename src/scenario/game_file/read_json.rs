//! Reading a JSON game file into the raw form.
//!
//! `serde_json` checks the syntax first (its errors carry line and column). A small
//! recursive-descent reader then walks the now known-valid text to keep every key's and
//! value's byte span, which serde's data model drops, so that the meaning of the file can be
//! checked with the same located messages as TOML; it also keeps repeated keys, which a map
//! would silently merge.

use std::ops::Range;

use super::{COMPLETIONS, Located, RawCost, RawGame, TOP_KEYS, unknown_key};
use crate::scenario::diagnostic::closest;
use crate::scenario::tree::Ctx;

/// A JSON value with its span.
#[derive(Debug, Clone)]
struct Node {
    value: Value,
    span: Range<usize>,
}

/// A JSON value; numbers keep their text until they are read as costs.
#[derive(Debug, Clone)]
enum Value {
    Null,
    Bool,
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(Located<String>, Node)>),
}

impl Value {
    fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Number(_) => "a number",
            Self::String(_) => "a string",
            Self::Array(_) => "an array",
            Self::Object(_) => "an object",
        }
    }
}

/// Reads the file; `None` after a syntax error (reported in `ctx`).
pub(super) fn read(ctx: &mut Ctx<'_>) -> Option<RawGame> {
    let src = ctx.src;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(src) {
        let offset = offset_of(src, e.line(), e.column());
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
    let Some(root) = (Reader { src, pos: 0 }).value() else {
        ctx.error(0..0, "invalid JSON: could not be read");
        return None;
    };
    let Value::Object(entries) = &root.value else {
        ctx.error_help(
            root.span.clone(),
            format!(
                "the game file must be a JSON object, found {}",
                root.value.type_name()
            ),
            "write `{\"players\": [...], \"costs\": {...}}`",
        );
        return None;
    };
    let mut raw = RawGame::default();
    let mut seen: Vec<&str> = Vec::new();
    for (key, node) in entries {
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
            "title" => raw.title = string(ctx, node, "`title`"),
            "units" => raw.units = string(ctx, node, "`units`"),
            "complete" => raw.complete_error = completion(ctx, node),
            "players" => raw.players = players(ctx, node),
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
    let Value::Array(items) = &node.value else {
        ctx.error_help(
            node.span.clone(),
            format!(
                "`players` must be an array of names, found {}",
                node.value.type_name()
            ),
            "write `\"players\": [\"A\", \"H\", \"K\"]`",
        );
        return None;
    };
    let names = items
        .iter()
        .filter_map(|item| {
            string(ctx, item, "a player name").map(|value| Located {
                value,
                span: item.span.clone(),
            })
        })
        .collect();
    Some(Located {
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

fn number(ctx: &mut Ctx<'_>, node: &Node, what: &str) -> Option<f64> {
    let Value::Number(text) = &node.value else {
        ctx.error(
            node.span.clone(),
            format!("{what} must be a number, found {}", node.value.type_name()),
        );
        return None;
    };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            ctx.error_help(
                node.span.clone(),
                format!("{what} must be a finite number, found `{text}`"),
                "the number is too large for a 64-bit float",
            );
            None
        }
    }
}

/// Recursive-descent reader over text that `serde_json` has already accepted, so it only
/// needs to find where things are (serde_json bounds the nesting depth at 128).
struct Reader<'s> {
    src: &'s str,
    pos: usize,
}

impl Reader<'_> {
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
            b'{' => self.object()?,
            b'[' => self.array()?,
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
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                ) {
                    self.pos += 1;
                }
                Value::Number(self.src[start..self.pos].to_owned())
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

    fn array(&mut self) -> Option<Value> {
        self.pos += 1;
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
        let root = Reader { src, pos: 0 }.value().unwrap();
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
    fn serde_positions_become_offsets() {
        let src = "{\n  \"é\": x\n}";
        let offset = offset_of(src, 2, 9);
        assert_eq!(&src[offset..offset + 1], "x");
    }
}
