//! Discounting of yearly cash flows to a present value.

/// How cash flows are discounted.
///
/// Cash flows of year index `t` (0 for the first year of the horizon) fall at the end of that
/// year and are discounted by `t + 1` periods: `PV = Σ_t CF_t · d(t)`. With a flat rate `r`,
/// `d(t) = (1 + r)^-(t+1)`. The R-109/21 schedule uses 4 % for years 1–40, 3 % for 41–75 and
/// 2 % after, compounded year by year: `d(t) = Π_{k=1}^{t+1} 1/(1 + r_k)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Discounting {
    /// One real rate for every year.
    Flat(f64),
    /// The Finance Ministry's declining real rate (circular R-109/21).
    R109,
}

impl Discounting {
    /// The rate that applies to the first year (reported as the scenario's discount rate).
    pub fn headline_rate(&self) -> f64 {
        match self {
            Discounting::Flat(r) => *r,
            Discounting::R109 => 0.04,
        }
    }

    /// The rate applied in period `k` (1-based: the first year's cash flow is period 1).
    pub fn rate_in_period(&self, k: usize) -> f64 {
        match self {
            Discounting::Flat(r) => *r,
            Discounting::R109 if k <= 40 => 0.04,
            Discounting::R109 if k <= 75 => 0.03,
            Discounting::R109 => 0.02,
        }
    }

    /// Discount factors `d(0), …, d(horizon - 1)`.
    pub fn factors(&self, horizon: usize) -> Vec<f64> {
        let mut factors = Vec::with_capacity(horizon);
        let mut d = 1.0;
        for k in 1..=horizon {
            d /= 1.0 + self.rate_in_period(k);
            factors.push(d);
        }
        factors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annuity_matches_closed_form() {
        // Present value of 100 a year for 10 years at 4 %, end of year:
        // 100 · (1 − 1.04^−10) / 0.04 = 811.089578 (the closed form of a level annuity).
        let pv: f64 = Discounting::Flat(0.04)
            .factors(10)
            .iter()
            .map(|d| 100.0 * d)
            .sum();
        assert!((pv - 811.089_578).abs() < 1e-6, "pv = {pv}");
    }

    #[test]
    fn r109_steps_down_after_forty_years() {
        let f = Discounting::R109.factors(80);
        assert!((f[39] - 1.04f64.powi(-40)).abs() < 1e-15);
        assert!((f[40] - f[39] / 1.03).abs() < 1e-15);
        assert!((f[75] - f[74] / 1.02).abs() < 1e-15);
    }
}
