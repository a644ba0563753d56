//! The ranges numeric inputs must lie in (docs/MODEL.md §4, "Allowed ranges"), checked for
//! fixed values, for every value a distribution can draw (its support) and for expressions
//! over parameters, so that a share typed as a whole-number percentage (`5` for 5 %) or a
//! negative salary is a located error with its fix rather than a run with a silly result.
//!
//! A field given as the name of a parameter (`scope_growth = "scope_growth"`) is checked at
//! the parameter's own line, where the fix belongs. A parameter declared with
//! `unit = "share"` is checked to lie in [0, 1] wherever it is used.

use samkost_core::model::{BinaryOp, Expr};

use super::tree::{Ctx, Node};
use super::values::Parameters;

/// The values a numeric field may take: `min` and `max` with whether each bound itself is
/// allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Allowed {
    /// Lower bound.
    pub min: f64,
    /// Whether `min` itself is allowed.
    pub min_included: bool,
    /// Upper bound.
    pub max: f64,
    /// Whether `max` itself is allowed.
    pub max_included: bool,
    /// The range as a reader would say it, e.g. "≥ 0".
    pub text: &'static str,
    /// What the field means, for the fix.
    pub help: &'static str,
    /// Whether the field is a fraction, so that a value that is a percentage of an allowed
    /// one gets the fix "5 % is 0.05".
    pub fraction: bool,
}

impl Allowed {
    /// Whether `v` lies in the range.
    pub fn contains(&self, v: f64) -> bool {
        let above = if self.min_included {
            v >= self.min
        } else {
            v > self.min
        };
        let below = if self.max_included {
            v <= self.max
        } else {
            v < self.max
        };
        above && below
    }

    /// The end of `[lo, hi]` that lies furthest outside: `lo` when it is below the range,
    /// else `hi`.
    pub fn outside(&self, lo: f64, hi: f64) -> f64 {
        let below = if self.min_included {
            lo < self.min
        } else {
            lo <= self.min
        };
        if below { lo } else { hi }
    }

    /// The fix for the value `v` that lies outside: the percentage written as a fraction when
    /// that fraction is allowed, else what the field means.
    pub fn fix(&self, v: f64) -> String {
        let as_fraction = v / 100.0;
        if self.fraction && self.contains(as_fraction) {
            format!(
                "if {0} is a percentage, write it as a fraction: {0} % is {1}",
                short(v),
                short(as_fraction)
            )
        } else {
            self.help.to_owned()
        }
    }
}

/// A range check the reader made on a field that depends on uncertain inputs: what a sweep
/// checks again when its grid fixes those inputs at other values.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeCheck {
    /// The field's value.
    pub expr: Expr,
    /// The field, as messages name it.
    pub field: String,
    /// What the field may take.
    pub allowed: Allowed,
}

impl RangeCheck {
    /// The value outside the allowed range that the field takes with each parameter over
    /// `support`, or `None` when it stays inside: interval arithmetic when each parameter
    /// appears once, else the corners of the ranges (values the field certainly takes), as
    /// the reader checks it.
    pub fn violation(&self, support: &dyn Fn(usize) -> (f64, f64)) -> Option<f64> {
        let (lo, hi) = interval(&self.expr, support);
        if self.allowed.contains(lo) && self.allowed.contains(hi) {
            return None;
        }
        let mut used = Vec::new();
        self.expr.params(&mut used);
        let outside = if single_use(&self.expr, &used) {
            Some(self.allowed.outside(lo, hi))
        } else {
            corner_outside(&self.expr, &used, support, self.allowed)
        };
        outside.filter(|v| !v.is_nan())
    }
}

/// A number in its shortest form with at most 9 decimals (`0.3`, not `0.30000000000000004`).
pub fn short(v: f64) -> String {
    let text = format!("{v:.9}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// A share or a rate of something: `[0, 1]`.
pub const SHARE: Allowed = Allowed {
    min: 0.0,
    min_included: true,
    max: 1.0,
    max_included: true,
    text: "between 0 and 1",
    help: "a fraction between 0 and 1, e.g. 0.15 for 15 %",
    fraction: true,
};

/// Scope growth after pooling: `[−0.5, 1]`. A change in the volume members take out of
/// more than −50 % or +100 % is not a change of scope but another cooperation [assumption].
pub const SCOPE_GROWTH: Allowed = Allowed {
    min: -0.5,
    min_included: true,
    max: 1.0,
    max_included: true,
    text: "between -0.5 and 1",
    help: "the extra volume taken out after pooling as a fraction, e.g. 0.1 for 10 %",
    fraction: true,
};

/// Real growth per year: `[−0.5, 0.5]`. 50 % a year compounds to 57 times in ten years, which
/// no ICT cost does in real terms [assumption].
pub const GROWTH: Allowed = Allowed {
    min: -0.5,
    min_included: true,
    max: 0.5,
    max_included: true,
    text: "between -0.5 and 0.5 a year",
    help: "a real growth rate per year as a fraction, e.g. 0.009 for 0.9 %",
    fraction: true,
};

/// A factor on a share of cost (recruitment and consultant premium, shared platform against
/// the members' replacements, an outsourcing supplier's efficiency): `[0, 3]`; three times the
/// cost is beyond any figure in the sources of docs/MODEL.md §4a–4c [assumption].
pub const FACTOR: Allowed = Allowed {
    min: 0.0,
    min_included: true,
    max: 3.0,
    max_included: true,
    text: "between 0 and 3",
    help: "a factor on cost, e.g. 0.3 for 30 %",
    fraction: true,
};

/// A real discount rate: `[−0.05, 0.5]`; R-109/21 uses 4 % and its sensitivity cases 2.5 % and
/// 6 %, so anything outside this range is a typing mistake.
pub const DISCOUNT_RATE: Allowed = Allowed {
    min: -0.05,
    min_included: true,
    max: 0.5,
    max_included: true,
    text: "between -0.05 and 0.5",
    help: "give a real rate such as 0.04, or \"r109\" for the declining R-109/21 schedule",
    fraction: true,
};

/// An amount of money or a quantity that cannot be negative: `≥ 0`.
pub const NON_NEGATIVE: Allowed = Allowed {
    min: 0.0,
    min_included: true,
    max: f64::INFINITY,
    max_included: true,
    text: "≥ 0",
    help: "a cost or quantity cannot be negative; write a saving as a negative [[lines]] amount",
    fraction: false,
};

/// A quantity that divides another: `> 0`.
pub const POSITIVE: Allowed = Allowed {
    min: 0.0,
    min_included: false,
    max: f64::INFINITY,
    max_included: true,
    text: "> 0",
    help: "a positive quantity (the formula divides by it)",
    fraction: false,
};

/// Months of parallel operation: `≥ 0`.
pub const PARALLEL_MONTHS: Allowed = Allowed {
    min: 0.0,
    min_included: true,
    max: f64::INFINITY,
    max_included: true,
    text: "≥ 0",
    help: "the months the old systems run on beside the new one, e.g. 6 (0 for none)",
    fraction: false,
};

/// A replacement cycle in years: `> 0`.
pub const CYCLE_YEARS: Allowed = Allowed {
    min: 0.0,
    min_included: false,
    max: f64::INFINITY,
    max_included: true,
    text: "> 0",
    help: "the years between replacements, e.g. 5 (the cost is annualised over it)",
    fraction: false,
};

/// A scale elasticity (`exponent`): `(0, 1.5]`. Below 0 a larger buyer would pay less in
/// total; above 1.5 a doubled load would cost more than 2.8 times as much, which no source on
/// ICT operations supports.
pub const EXPONENT: Allowed = Allowed {
    min: 0.0,
    min_included: false,
    max: 1.5,
    max_included: true,
    text: "in (0, 1.5]",
    help: "the scale elasticity: 1 for no economies of scale, below 1 for economies (default about 0.8)",
    fraction: false,
};

/// An asset life in years: `≥ 1`.
pub const ASSET_LIFE: Allowed = Allowed {
    min: 1.0,
    min_included: true,
    max: f64::INFINITY,
    max_included: true,
    text: "≥ 1",
    help: "the years a replacement lasts, e.g. 5",
    fraction: false,
};

/// Most parameters an expression may read for the corner check of [`check`]
/// (2^12 evaluations at most).
const MAX_CORNER_PARAMS: usize = 12;

/// Checks that every value `expr` can take lies in `allowed`; records a located error and
/// returns `false` otherwise. `node` is where the field is written, `field` names it in
/// messages ("`scope_growth` of component `IT staff`").
///
/// A number is checked as it is; a parameter by its support (at the parameter's own line
/// when it is a named one); an expression by interval arithmetic over the parameters'
/// supports, which gives the exact range when each parameter appears once (Moore 1966, the
/// single-use expression), and otherwise by evaluating the expression at every corner of the
/// parameters' ranges, which finds only values it certainly takes.
pub fn check(
    ctx: &mut Ctx<'_>,
    params: &mut Parameters,
    node: &Node<'_>,
    expr: &Expr,
    field: &str,
    allowed: Allowed,
) -> bool {
    match expr {
        Expr::Const(v) => {
            if allowed.contains(*v) {
                return true;
            }
            ctx.error_help(
                node.span(),
                format!("{field} must be {}, got {}", allowed.text, short(*v)),
                allowed.fix(*v),
            );
            false
        }
        Expr::Param(idx) => {
            params.record(expr, field, allowed);
            check_param(ctx, params, *idx, Some((node, field)), allowed)
        }
        _ => {
            params.record(expr, field, allowed);
            check_expression(ctx, params, node, expr, field, allowed)
        }
    }
}

/// Checks the support of parameter `idx`. `used` is where and as what it is used; a named
/// parameter is reported at its own line, once.
pub fn check_param(
    ctx: &mut Ctx<'_>,
    params: &mut Parameters,
    idx: usize,
    used: Option<(&Node<'_>, &str)>,
    allowed: Allowed,
) -> bool {
    let (lo, hi) = params.list[idx].distribution.support();
    if allowed.contains(lo) && allowed.contains(hi) {
        return true;
    }
    let outside = allowed.outside(lo, hi);
    let found = if lo == hi {
        format!("got {}", short(lo))
    } else {
        format!(
            "its distribution ranges from {} to {}",
            short(lo),
            short(hi)
        )
    };
    let unbounded = if lo.is_infinite() || hi.is_infinite() {
        "; keep every value of the distribution inside (a normal needs `min` and `max`)"
    } else {
        ""
    };
    let named = idx < params.n_named;
    let (span, message) = match (named, used) {
        (true, used) => {
            if !params.report_once(idx) {
                return false;
            }
            let name = &params.list[idx].name;
            let what = used.map_or_else(
                || "a share (`unit = \"share\"`)".to_owned(),
                |(_, field)| format!("used as {field}"),
            );
            (
                params.spans[idx].clone(),
                format!(
                    "parameter `{name}` is {what} and must be {}, but {found}",
                    allowed.text
                ),
            )
        }
        (false, Some((node, field))) => (
            node.span(),
            format!("{field} must be {}, but {found}", allowed.text),
        ),
        (false, None) => return false,
    };
    ctx.error_help(
        span,
        message,
        format!("{}{unbounded}", allowed.fix(outside)),
    );
    false
}

fn check_expression(
    ctx: &mut Ctx<'_>,
    params: &Parameters,
    node: &Node<'_>,
    expr: &Expr,
    field: &str,
    allowed: Allowed,
) -> bool {
    let supports = |idx: usize| params.list[idx].distribution.support();
    let (lo, hi) = interval(expr, &supports);
    if allowed.contains(lo) && allowed.contains(hi) {
        return true;
    }
    let mut used = Vec::new();
    expr.params(&mut used);
    let outside = if single_use(expr, &used) {
        Some(allowed.outside(lo, hi))
    } else {
        corner_outside(expr, &used, &supports, allowed)
    };
    let Some(outside) = outside.filter(|v| !v.is_nan()) else {
        return true;
    };
    let text = ctx.text(node.span()).trim().to_owned();
    ctx.error_help(
        node.span(),
        format!(
            "{field} must be {}, but {text} reaches {} within its parameters' ranges",
            allowed.text,
            short(outside)
        ),
        format!(
            "{}; check the ranges of the parameters it uses",
            allowed.fix(outside)
        ),
    );
    false
}

/// The range of `expr` by interval arithmetic, each parameter over its support.
pub fn interval(expr: &Expr, support: &dyn Fn(usize) -> (f64, f64)) -> (f64, f64) {
    match expr {
        Expr::Const(v) => (*v, *v),
        Expr::Param(idx) => support(*idx),
        Expr::Neg(inner) => {
            let (lo, hi) = interval(inner, support);
            (-hi, -lo)
        }
        Expr::Binary(op, lhs, rhs) => {
            let (a, b) = interval(lhs, support);
            let (c, d) = interval(rhs, support);
            match op {
                BinaryOp::Add => (a + c, b + d),
                BinaryOp::Sub => (a - d, b - c),
                BinaryOp::Mul => hull(&[mul(a, c), mul(a, d), mul(b, c), mul(b, d)]),
                BinaryOp::Div if c <= 0.0 && d >= 0.0 => (f64::NEG_INFINITY, f64::INFINITY),
                BinaryOp::Div => hull(&[a / c, a / d, b / c, b / d]),
            }
        }
    }
}

/// A product in which zero times an unbounded end is zero (the limit of the interval's
/// products), not NaN.
fn mul(x: f64, y: f64) -> f64 {
    if x == 0.0 || y == 0.0 { 0.0 } else { x * y }
}

fn hull(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// Whether every parameter of `expr` appears in it once.
fn single_use(expr: &Expr, used: &[usize]) -> bool {
    fn count(expr: &Expr, idx: usize) -> usize {
        match expr {
            Expr::Const(_) => 0,
            Expr::Param(p) => usize::from(*p == idx),
            Expr::Neg(inner) => count(inner, idx),
            Expr::Binary(_, lhs, rhs) => count(lhs, idx) + count(rhs, idx),
        }
    }
    used.iter().all(|&idx| count(expr, idx) == 1)
}

/// A value outside `allowed` that `expr` takes at a corner of its parameters' finite ranges.
fn corner_outside(
    expr: &Expr,
    used: &[usize],
    support: &dyn Fn(usize) -> (f64, f64),
    allowed: Allowed,
) -> Option<f64> {
    if used.len() > MAX_CORNER_PARAMS {
        return None;
    }
    let n_params = used.iter().max().map_or(0, |m| m + 1);
    let mut values = vec![0.0; n_params];
    for corner in 0..1usize << used.len() {
        for (bit, &idx) in used.iter().enumerate() {
            let (lo, hi) = support(idx);
            let v = if corner >> bit & 1 == 0 { lo } else { hi };
            if !v.is_finite() {
                return None;
            }
            values[idx] = v;
        }
        let v = expr.eval(&values);
        if v.is_finite() && !allowed.contains(v) {
            return Some(v);
        }
    }
    None
}

/// A nominal loan rate: `[0, 0.3]`. Municipal loan rates have stayed far below 30 % a year.
pub const LOAN_RATE: Allowed = Allowed {
    min: 0.0,
    min_included: true,
    max: 0.3,
    max_included: true,
    text: "between 0 and 0.3",
    help: "a yearly nominal rate as a fraction, e.g. 0.045 for 4.5 %",
    fraction: true,
};

/// Yearly growth of the municipal price index: `[−0.1, 0.3]` [assumption: beyond a 10 % fall
/// or a 30 % rise a year the deflator is not a planning figure].
pub const PRICE_GROWTH: Allowed = Allowed {
    min: -0.1,
    min_included: true,
    max: 0.3,
    max_included: true,
    text: "between -0.1 and 0.3",
    help: "a yearly price growth as a fraction, e.g. 0.03 for 3 %",
    fraction: true,
};

/// A grant received: `≥ 0` NOK.
pub const GRANT: Allowed = Allowed {
    min: 0.0,
    min_included: true,
    max: f64::INFINITY,
    max_included: true,
    text: "≥ 0",
    help: "a grant is an amount received in NOK, 0 for none",
    fraction: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn p(i: usize) -> Box<Expr> {
        Box::new(Expr::Param(i))
    }

    #[test]
    fn interval_arithmetic_is_exact_for_single_use_expressions() {
        // price · (1 − 1.2 · saving), price ∈ [1600, 2300], saving ∈ [5, 30]: the hand-computed
        // range is [2300 · (1 − 36), 1600 · (1 − 6)] = [−80500, −8000].
        let supports = |i: usize| [(1600.0, 2300.0), (5.0, 30.0)][i];
        let factor = Expr::Binary(
            BinaryOp::Sub,
            Box::new(Expr::Const(1.0)),
            Box::new(Expr::Binary(
                BinaryOp::Mul,
                Box::new(Expr::Const(1.2)),
                p(1),
            )),
        );
        let e = Expr::Binary(BinaryOp::Mul, p(0), Box::new(factor));
        let (lo, hi) = interval(&e, &supports);
        assert!((lo + 80_500.0).abs() < 1e-9 && (hi + 8_000.0).abs() < 1e-9);
        assert!(single_use(&e, &[0, 1]));
    }

    #[test]
    fn repeated_parameters_are_checked_at_the_corners_only() {
        // x − x is 0 everywhere, although the interval is [−1, 1]: no corner lies outside ≥ 0.
        let supports = |_: usize| (0.0, 1.0);
        let e = Expr::Binary(BinaryOp::Sub, p(0), p(0));
        assert_eq!(interval(&e, &supports), (-1.0, 1.0));
        assert!(!single_use(&e, &[0]));
        assert_eq!(corner_outside(&e, &[0], &supports, NON_NEGATIVE), None);
        // x · x − 2 takes −2 at x = 0.
        let e = Expr::Binary(
            BinaryOp::Sub,
            Box::new(Expr::Binary(BinaryOp::Mul, p(0), p(0))),
            Box::new(Expr::Const(2.0)),
        );
        assert_eq!(
            corner_outside(&e, &[0], &supports, NON_NEGATIVE),
            Some(-2.0)
        );
    }

    #[test]
    fn the_fix_writes_the_percentage_as_a_fraction() {
        assert_eq!(
            SHARE.fix(5.0),
            "if 5 is a percentage, write it as a fraction: 5 % is 0.05"
        );
        assert_eq!(
            GROWTH.fix(0.9),
            "if 0.9 is a percentage, write it as a fraction: 0.9 % is 0.009"
        );
        // 250 % is not a share either: the fix says what the field is.
        assert_eq!(SHARE.fix(250.0), SHARE.help);
        assert_eq!(short(0.3 * 100.0), "30");
        assert_eq!(short(0.1 + 0.2), "0.3");
    }
}
