//! Arithmetic expressions over named uncertain parameters.
//!
//! A cost line's amounts are expressions such as `user_cost * (1 - network_saving)`, compiled
//! once into a tree over parameter indices and evaluated once per draw. Sharing a parameter
//! between the standalone and the cooperative lines is what keeps the two sides of a
//! comparison on the same draw.

/// A compiled expression. Parameters are referred to by their index in the model's parameter
/// list.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal number.
    Const(f64),
    /// The drawn value of parameter `idx`.
    Param(usize),
    /// Negation.
    Neg(Box<Expr>),
    /// A binary operation.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
}

/// Binary arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `a + b`
    Add,
    /// `a - b`
    Sub,
    /// `a * b`
    Mul,
    /// `a / b`
    Div,
}

impl Expr {
    /// Evaluates the expression with the drawn parameter values.
    #[inline]
    pub fn eval(&self, params: &[f64]) -> f64 {
        // Most expressions are a number or a parameter: those without a call.
        match self {
            Expr::Const(v) => *v,
            Expr::Param(idx) => params[*idx],
            _ => self.eval_compound(params),
        }
    }

    /// [`Expr::eval`] of a negation or a binary operation.
    #[inline(never)]
    fn eval_compound(&self, params: &[f64]) -> f64 {
        match self {
            Expr::Const(v) => *v,
            Expr::Param(idx) => params[*idx],
            Expr::Neg(inner) => -inner.eval(params),
            Expr::Binary(op, lhs, rhs) => {
                let (a, b) = (lhs.eval(params), rhs.eval(params));
                match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                }
            }
        }
    }

    /// The constant value, when the expression does not depend on any parameter.
    pub fn as_const(&self) -> Option<f64> {
        match self {
            Expr::Const(v) => Some(*v),
            _ => None,
        }
    }

    /// Whether the expression is the literal zero (used to skip work).
    pub fn is_zero(&self) -> bool {
        self.as_const() == Some(0.0)
    }

    /// Indices of the parameters the expression reads, in first-use order.
    pub fn params(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Const(_) => {}
            Expr::Param(idx) => {
                if !out.contains(idx) {
                    out.push(*idx);
                }
            }
            Expr::Neg(inner) => inner.params(out),
            Expr::Binary(_, lhs, rhs) => {
                lhs.params(out);
                rhs.params(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_nested_expression() {
        // 9500 * (1 - 0.4) = 5700
        let expr = Expr::Binary(
            BinaryOp::Mul,
            Box::new(Expr::Param(0)),
            Box::new(Expr::Binary(
                BinaryOp::Sub,
                Box::new(Expr::Const(1.0)),
                Box::new(Expr::Param(1)),
            )),
        );
        assert_eq!(expr.eval(&[9500.0, 0.4]), 5700.0);
        let mut used = Vec::new();
        expr.params(&mut used);
        assert_eq!(used, vec![0, 1]);
    }
}
