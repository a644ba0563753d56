//! A small writer of inline SVG for the HTML report: linear scales, round tick values,
//! coordinates rounded to one decimal and text escaped for HTML.
//!
//! Coordinates are rounded to 0.1 user units (the report draws at about one unit per CSS
//! pixel), which keeps a 43-member report small; numbers that charts *show* travel at full
//! precision in `data-*` attributes instead.

use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate rounded to one decimal, without a trailing `.0`.
pub(crate) fn c(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let mut s = format!("{r:.1}");
    if s.ends_with(".0") {
        s.truncate(s.len() - 2);
    }
    s
}

/// Maps a domain interval linearly onto a range of user units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    /// A scale from `domain` onto `range`; a degenerate domain is widened around its value.
    pub(crate) fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        let (mut d0, mut d1) = domain;
        if !(d0.is_finite() && d1.is_finite()) {
            (d0, d1) = (-1.0, 1.0);
        }
        if d1 - d0 <= f64::EPSILON * d0.abs().max(d1.abs()).max(1.0) {
            let pad = (d0.abs() * 0.1).max(1.0);
            (d0, d1) = (d0 - pad, d1 + pad);
        }
        Self {
            d0,
            d1,
            r0: range.0,
            r1: range.1,
        }
    }

    /// The user-unit position of `v`.
    pub(crate) fn at(&self, v: f64) -> f64 {
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }

    /// The domain.
    pub(crate) fn domain(&self) -> (f64, f64) {
        (self.d0, self.d1)
    }
}

/// The smallest and largest finite values, if any.
pub(crate) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Round tick values (1, 2, 2.5 or 5 × 10ⁿ apart) covering `lo..=hi` with about `n` ticks, and
/// the step between them.
pub(crate) fn ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (vec![lo], 1.0);
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            if v == 0.0 { 0.0 } else { v }
        })
        .collect();
    (ticks, step)
}

/// Widens `(lo, hi)` to include zero and pads it by 5 % on each side.
pub(crate) fn padded_with_zero(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

/// Builds an SVG path through points (`M x y L x y …`), skipping non-finite ones.
pub(crate) fn path(points: impl IntoIterator<Item = (f64, f64)>) -> String {
    let mut d = String::new();
    for (x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let cmd = if d.is_empty() { 'M' } else { 'L' };
        let _ = write!(d, "{cmd}{} {}", c(x), c(y));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_rounded_to_one_decimal() {
        assert_eq!(c(12.345), "12.3");
        assert_eq!(c(-0.04), "0");
        assert_eq!(c(7.0), "7");
    }

    #[test]
    fn ticks_are_round_and_inside_the_interval() {
        let (t, step) = ticks(-3.2e6, 11.7e6, 5);
        assert_eq!(step, 5e6);
        assert_eq!(t, vec![0.0, 5e6, 10e6]);
        let (t, _) = ticks(0.0, 1.0, 4);
        assert_eq!(t, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
