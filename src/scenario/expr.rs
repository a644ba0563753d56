//! Parser for arithmetic expressions over parameter names, e.g.
//! `"cost_per_user * (1 - network_saving)"`.
//!
//! Grammar: `expr = term (("+"|"-") term)*`, `term = factor (("*"|"/") factor)*`,
//! `factor = "-" factor | number | name | "(" expr ")"`. Names are letters, digits and `_`,
//! starting with a letter or `_`; numbers may use `_` as a digit separator. Any Unicode
//! whitespace separates tokens (a no-break space pasted from a word processor or spreadsheet
//! is a space).
//!
//! The reader and the compiled tree recurse, so their depth is bounded: at most
//! [`MAX_NESTING`] levels of parentheses and unary minus signs inside one another, and at most
//! [`MAX_OPERATORS`] binary operators per expression (a chain such as `a + b + c` becomes a
//! tree as deep as it has operators).

use std::ops::Range;

use samkost_core::model::{BinaryOp, Expr};

/// The most parentheses and unary minus signs an expression may have inside one another.
pub const MAX_NESTING: usize = 64;

/// The most binary operators (`+`, `-`, `*`, `/`) an expression may have.
pub const MAX_OPERATORS: usize = 1000;

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
        nesting: 0,
        n_operators: 0,
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
    /// Parentheses and unary minus signs open around the current position.
    nesting: usize,
    /// Binary operators read so far.
    n_operators: usize,
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
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    /// Steps over the binary operator at the current position, counting it.
    fn operator(&mut self) -> Result<(), ExprError> {
        self.n_operators += 1;
        if self.n_operators > MAX_OPERATORS {
            return Err(ExprError {
                range: self.pos..self.pos + 1,
                message: format!("expression has more than {MAX_OPERATORS} operators"),
                help: Some("split the amount over several cost lines".to_owned()),
            });
        }
        self.pos += 1;
        Ok(())
    }

    /// Steps over an opening `(` or unary `-` and reads what it applies to, one level deeper.
    fn nested(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<Expr, ExprError>,
    ) -> Result<Expr, ExprError> {
        if self.nesting == MAX_NESTING {
            return Err(ExprError {
                range: self.pos..self.pos + 1,
                message: format!(
                    "expression nests parentheses and minus signs more than {MAX_NESTING} levels deep"
                ),
                help: Some("remove parentheses and minus signs that are not needed".to_owned()),
            });
        }
        self.nesting += 1;
        self.pos += 1;
        let inner = read(self);
        self.nesting -= 1;
        inner
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
            self.operator()?;
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
            self.operator()?;
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
            Some('-') => self.nested(|p| Ok(Expr::Neg(Box::new(p.factor()?)))),
            Some('(') => self.nested(|p| {
                let inner = p.expr()?;
                p.skip_ws();
                if p.peek() != Some(')') {
                    return Err(p.err(start..p.pos, "unclosed `(`"));
                }
                p.pos += 1;
                Ok(inner)
            }),
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

    #[test]
    fn unicode_whitespace_separates_tokens() {
        // A no-break space (as pasted from a spreadsheet) and an ideographic space.
        let e = parse("a\u{a0}*\u{3000}(1\u{a0}-\u{2003}b)\u{a0}", &lookup).unwrap();
        assert_eq!(e.eval(&[10.0, 0.25]), 7.5);
        // A character that is not whitespace is still pointed at whole.
        let err = parse("a\u{a0}\u{200b}", &lookup).unwrap_err();
        assert_eq!(err.range, 3..6);
    }

    #[test]
    fn nesting_is_bounded() {
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_NESTING), &lookup).is_ok());
        let err = parse(&nested(MAX_NESTING + 1), &lookup).unwrap_err();
        assert_eq!(err.range, MAX_NESTING..MAX_NESTING + 1);
        assert!(
            err.message.contains("more than 64 levels"),
            "{}",
            err.message
        );
        // Deep enough to overflow the stack without the limit.
        assert!(parse(&nested(15_000), &lookup).is_err());
        assert!(parse(&format!("{}a", "-".repeat(15_000)), &lookup).is_err());
        assert!(parse(&format!("{}a", "- ".repeat(MAX_NESTING)), &lookup).is_ok());
    }

    #[test]
    fn operators_are_bounded() {
        let sum = |n_terms: usize| vec!["a"; n_terms].join(" + ");
        let e = parse(&sum(MAX_OPERATORS + 1), &lookup).unwrap();
        assert_eq!(e.eval(&[1.0]), 1001.0);
        let err = parse(&sum(MAX_OPERATORS + 2), &lookup).unwrap_err();
        let at = 4 * MAX_OPERATORS + 2;
        assert_eq!(err.range, at..at + 1);
        assert!(err.message.contains("more than 1000 operators"));
        assert!(parse(&vec!["a"; 50_000].join("*"), &lookup).is_err());
    }
}
