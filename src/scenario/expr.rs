//! Parser for arithmetic expressions over parameter names, e.g.
//! `"cost_per_user * (1 - network_saving)"`.
//!
//! Grammar: `expr = term (("+"|"-") term)*`, `term = factor (("*"|"/") factor)*`,
//! `factor = "-" factor | number | name | "(" expr ")"`. Names are letters, digits and `_`,
//! starting with a letter or `_`; numbers may use `_` as a digit separator.

use std::ops::Range;

use samkost_core::model::{BinaryOp, Expr};

/// A parse problem: byte range within the expression text, message, optional hint.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    /// Offending bytes of the expression text.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// Parses `text`, resolving names with `lookup` (returns the parameter index, or a hint).
pub fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Result<usize, Option<String>>,
) -> Result<Expr, ExprError> {
    let mut parser = Parser {
        text,
        pos: 0,
        lookup,
    };
    let expr = parser.expr()?;
    parser.skip_ws();
    if parser.pos < text.len() {
        return Err(parser.err(
            parser.pos..text.len(),
            "unexpected text after the expression",
        ));
    }
    Ok(fold(expr))
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    lookup: &'a dyn Fn(&str) -> Result<usize, Option<String>>,
}

impl Parser<'_> {
    fn err(&self, range: Range<usize>, message: &str) -> ExprError {
        ExprError {
            range,
            message: message.to_owned(),
            help: None,
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.term()?;
        loop {
            self.skip_ws();
            let op = match self.peek() {
                Some('+') => BinaryOp::Add,
                Some('-') => BinaryOp::Sub,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            let rhs = self.term()?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.factor()?;
        loop {
            self.skip_ws();
            let op = match self.peek() {
                Some('*') => BinaryOp::Mul,
                Some('/') => BinaryOp::Div,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            let rhs = self.factor()?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
    }

    fn factor(&mut self) -> Result<Expr, ExprError> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            None => Err(self.err(
                start..start,
                "expected a number, a parameter name or `(`, found the end",
            )),
            Some('-') => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some('(') => {
                self.pos += 1;
                let inner = self.expr()?;
                self.skip_ws();
                if self.peek() != Some(')') {
                    return Err(self.err(start..self.pos, "unclosed `(`"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => self.name(),
            Some(c) => Err(self.err(start..start + c.len_utf8(), &format!("unexpected `{c}`"))),
        }
    }

    fn number(&mut self) -> Result<Expr, ExprError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            let exponent_sign =
                (b == b'+' || b == b'-') && matches!(bytes[self.pos - 1], b'e' | b'E');
            if b.is_ascii_digit()
                || b == b'.'
                || b == b'_'
                || b == b'e'
                || b == b'E'
                || exponent_sign
            {
                self.pos += 1;
            } else {
                break;
            }
        }
        let literal: String = self.text[start..self.pos]
            .chars()
            .filter(|c| *c != '_')
            .collect();
        match literal.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Expr::Const(v)),
            _ => Err(self.err(start..self.pos, "not a valid number")),
        }
    }

    fn name(&mut self) -> Result<Expr, ExprError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += self.peek().map_or(1, char::len_utf8);
        }
        let name = &self.text[start..self.pos];
        match (self.lookup)(name) {
            Ok(idx) => Ok(Expr::Param(idx)),
            Err(help) => Err(ExprError {
                range: start..self.pos,
                message: format!("unknown parameter `{name}`"),
                help,
            }),
        }
    }
}

/// Folds constant sub-expressions so that fixed values cost nothing per draw.
fn fold(expr: Expr) -> Expr {
    match expr {
        Expr::Neg(inner) => match fold(*inner) {
            Expr::Const(v) => Expr::Const(-v),
            other => Expr::Neg(Box::new(other)),
        },
        Expr::Binary(op, lhs, rhs) => {
            let (lhs, rhs) = (fold(*lhs), fold(*rhs));
            match (lhs.as_const(), rhs.as_const()) {
                (Some(_), Some(_)) => {
                    Expr::Const(Expr::Binary(op, Box::new(lhs), Box::new(rhs)).eval(&[]))
                }
                _ => Expr::Binary(op, Box::new(lhs), Box::new(rhs)),
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(name: &str) -> Result<usize, Option<String>> {
        match name {
            "a" => Ok(0),
            "b" => Ok(1),
            _ => Err(None),
        }
    }

    #[test]
    fn precedence_and_parentheses() {
        let e = parse("a * (1 - b) + 2 * 3", &lookup).unwrap();
        assert_eq!(e.eval(&[10.0, 0.25]), 10.0 * 0.75 + 6.0);
        assert_eq!(
            parse("1_000 / 4 - -1", &lookup).unwrap(),
            Expr::Const(251.0)
        );
        assert_eq!(parse("2e3", &lookup).unwrap(), Expr::Const(2000.0));
    }

    #[test]
    fn errors_point_at_the_offending_text() {
        let err = parse("a * cc", &lookup).unwrap_err();
        assert_eq!(err.range, 4..6);
        assert_eq!(
            parse("(a + b", &lookup).unwrap_err().message,
            "unclosed `(`"
        );
        assert_eq!(parse("a b", &lookup).unwrap_err().range, 2..3);
        assert!(parse("a *", &lookup).is_err());
    }
}
