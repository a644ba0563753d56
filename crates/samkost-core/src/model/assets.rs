//! Existing ICT assets: depreciation, reinvestment, early write-off and resale.
//!
//! Two views of the same events. **Cash** (economic): a book value is sunk; what counts is the
//! reinvestment a member would make when an asset reaches the end of its life, and the resale
//! value when the cooperation retires it early. **Budget** (municipal accounts): assets are
//! depreciated straight-line; retiring them early writes off the remaining book value in that
//! year. At the end of the horizon every asset still in use leaves its remaining straight-line
//! book value as a residual value (DFØ, *Veileder i samfunnsøkonomiske analyser*, 2023: restverdi),
//! a negative cost in the last year. The budget view charges only depreciation, so it already
//! leaves that value out: `budget − cash` in any year is
//! `depreciation + write-off − reinvestment + residual value` (of assets the budget depreciates).

use super::expr::Expr;

/// Each member's existing assets, per inhabitant unless a member gives its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Assets {
    /// Book value at the start of the first year, NOK per inhabitant.
    pub book_value: Expr,
    /// Remaining life of the existing assets, years.
    pub remaining_life: Expr,
    /// Cost of replacing them, NOK per inhabitant.
    pub replacement: Expr,
    /// Depreciation life of a replacement, years.
    pub life: Expr,
    /// Fraction of the remaining book value recovered when retired early.
    pub resale_share: Expr,
    /// Replacement cost of the shared platform as a fraction of the members' summed
    /// replacement costs (economies of scale in capital).
    pub pooled_replacement_share: Expr,
    /// Whether the remaining book value at the end of the horizon counts as a residual value.
    pub residual_value: bool,
    /// How the existing assets' ages are spread.
    pub vintages: Vintages,
}

/// The ages of a member's existing assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vintages {
    /// One vintage per life year: `1/N` of the stock is replaced every year, so its book value
    /// lies in vintages with `0, 1, …, N − 1` years left (in proportion to the years left).
    Spread,
    /// One vintage that wears out after `remaining_life` years and is then replaced whole.
    Single,
}

/// One draw's asset numbers (lives rounded to whole years, at least 1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AssetValues {
    /// NOK per inhabitant.
    pub book_value: f64,
    /// Years.
    pub remaining_life: usize,
    /// NOK per inhabitant.
    pub replacement: f64,
    /// Years.
    pub life: usize,
    /// Fraction.
    pub resale_share: f64,
    /// Fraction.
    pub pooled_replacement_share: f64,
    /// Whether residual values at the end of the horizon count.
    pub residual_value: bool,
    /// `true`: the existing assets are spread over `life` vintages (`remaining_life` unused).
    pub spread: bool,
}

/// Longest asset life used, in years: any life beyond the longest horizon (200 years) has the
/// same effect, and the cap keeps year arithmetic from overflowing on absurd inputs.
pub const MAX_LIFE_YEARS: f64 = 1000.0;

impl Assets {
    /// Evaluates for one draw.
    pub fn evaluate(&self, params: &[f64]) -> AssetValues {
        let years = |e: &Expr| e.eval(params).round().clamp(1.0, MAX_LIFE_YEARS);
        let (remaining_life, life) = (years(&self.remaining_life), years(&self.life));
        // A life that is not a number (an expression such as `0 / 0`) makes the draw's asset
        // amounts NaN, so that the run stops with a non-finite-cost error naming the draw.
        let poison = if remaining_life.is_nan() || life.is_nan() {
            f64::NAN
        } else {
            0.0
        };
        AssetValues {
            book_value: self.book_value.eval(params) + poison,
            remaining_life: if remaining_life.is_nan() {
                1
            } else {
                remaining_life as usize
            },
            replacement: self.replacement.eval(params) + poison,
            life: if life.is_nan() { 1 } else { life as usize },
            resale_share: self.resale_share.eval(params),
            pooled_replacement_share: self.pooled_replacement_share.eval(params),
            residual_value: self.residual_value,
            spread: self.vintages == Vintages::Spread,
        }
    }
}

/// One member's asset events in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AssetYear {
    /// Cash paid for replacements.
    pub reinvestment: f64,
    /// Straight-line depreciation charged.
    pub depreciation: f64,
    /// Remaining book value at the start of the year (before its depreciation), including a
    /// replacement bought in the year.
    pub book_value_start: f64,
}

impl AssetValues {
    /// The shared platform of a coalition whose members have `population` inhabitants in
    /// all, pooled from year `start`: it was bought by the start-up project, is replaced every
    /// `life` years at `pooled_replacement_share` of the members' replacement cost, and each
    /// replacement is depreciated over `life` years.
    pub fn pooled_year(&self, population: f64, start: usize, year: usize) -> AssetYear {
        let r = self.pooled_replacement_share * self.replacement * population;
        let n = self.life;
        if year < start + n {
            return AssetYear::default();
        }
        let age = (year - start) % n;
        let dep = r / n as f64;
        AssetYear {
            reinvestment: if age == 0 { r } else { 0.0 },
            depreciation: dep,
            book_value_start: r - dep * age as f64,
        }
    }

    /// What happens to a member of `population` inhabitants that keeps its own assets, in
    /// year `t`: the existing assets depreciate over their remaining life, are replaced at its
    /// end, and each replacement depreciates over `life` years and is replaced in turn.
    pub fn standalone_year(&self, population: f64, year: usize) -> AssetYear {
        if self.spread {
            return self.spread_year(population, year);
        }
        let b = self.book_value * population;
        let r = self.replacement * population;
        let (l, n) = (self.remaining_life, self.life);
        if year < l {
            let dep = b / l as f64;
            return AssetYear {
                reinvestment: 0.0,
                depreciation: dep,
                book_value_start: b - dep * year as f64,
            };
        }
        let age = (year - l) % n;
        let dep = r / n as f64;
        AssetYear {
            reinvestment: if age == 0 { r } else { 0.0 },
            depreciation: dep,
            book_value_start: r - dep * age as f64,
        }
    }
}

impl AssetValues {
    /// [`AssetValues::standalone_year`] for a stock spread over `N = life` vintages: vintage
    /// `k = 0 … N−1` has `k` years left at the start of year 0 and book value
    /// `B · k / Σ_j j` (its share of the book value `B` in proportion to the years left),
    /// depreciated over those `k` years; it is replaced in year `k` at `R/N` and every `N`
    /// years after, each replacement depreciated over `N` years. With a book value of
    /// `R (N − 1) / (2N)` the stock is in its steady state: every year `R/N` is reinvested and
    /// `R/N` depreciated.
    fn spread_year(&self, population: f64, year: usize) -> AssetYear {
        let n = self.life;
        let b = self.book_value * population;
        let r = self.replacement * population / n as f64;
        let years_left_total = (n * (n - 1) / 2) as f64;
        let mut out = AssetYear::default();
        // `(year − k) mod N` for every vintage from one remainder, without a division each.
        let remainder = year % n;
        let dep = r / n as f64;
        for k in 0..n {
            if year < k {
                let vintage = b * k as f64 / years_left_total;
                let dep = vintage / k as f64;
                out.depreciation += dep;
                out.book_value_start += vintage - dep * year as f64;
            } else {
                let age = if k <= remainder {
                    remainder - k
                } else {
                    remainder + n - k
                };
                if age == 0 {
                    out.reinvestment += r;
                }
                out.depreciation += dep;
                out.book_value_start += r - dep * age as f64;
            }
        }
        out
    }
}

impl AssetValues {
    /// [`AssetValues::standalone_year`] of every year `0..horizon`, into `out` (the same
    /// amounts to the bit). For spread vintages each vintage's book value and depreciation is
    /// computed once instead of once a year; each year still adds the vintages in order.
    pub fn standalone_years(&self, population: f64, horizon: usize, out: &mut Vec<AssetYear>) {
        out.clear();
        if !self.spread {
            out.extend((0..horizon).map(|year| self.standalone_year(population, year)));
            return;
        }
        out.resize(horizon, AssetYear::default());
        let n = self.life;
        let b = self.book_value * population;
        let r = self.replacement * population / n as f64;
        let years_left_total = (n * (n - 1) / 2) as f64;
        let dep = r / n as f64;
        for k in 0..n {
            // Vintage `k` is still the existing stock in years `0..k`, replaced from year `k`.
            let existing = k.min(horizon);
            if existing > 0 {
                let vintage = b * k as f64 / years_left_total;
                let dep = vintage / k as f64;
                for (year, out) in out[..existing].iter_mut().enumerate() {
                    out.depreciation += dep;
                    out.book_value_start += vintage - dep * year as f64;
                }
            }
            // One replacement cycle of `n` years at a time, each starting with its purchase.
            for cycle in out[existing..].chunks_mut(n) {
                cycle[0].reinvestment += r;
                for (age, out) in cycle.iter_mut().enumerate() {
                    out.depreciation += dep;
                    out.book_value_start += r - dep * age as f64;
                }
            }
        }
    }
}

/// Residual value of the shared platform at the end of the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PooledResidual {
    /// Remaining book value, NOK.
    pub value: f64,
    /// The part of `value` that the budget view depreciates (replacements; the first platform
    /// is part of the start-up project, expensed in both views).
    pub depreciated: f64,
}

impl AssetYear {
    /// Book value at the end of the year (after its depreciation).
    pub fn book_value_end(&self) -> f64 {
        self.book_value_start - self.depreciation
    }

    /// Book value of the assets held when the year starts, before the year's replacements
    /// (what is retired, resold and written off when the cooperation starts operating).
    pub fn book_value_held(&self) -> f64 {
        self.book_value_start - self.reinvestment
    }
}

impl AssetValues {
    /// The residual value of a member's own assets (`population` inhabitants) at the end of a
    /// horizon of `horizon` years: the book value at the end of year `horizon − 1`, 0 when
    /// residual values are off.
    pub fn standalone_residual(&self, population: f64, horizon: usize) -> f64 {
        if !self.residual_value || horizon == 0 {
            return 0.0;
        }
        self.standalone_year(population, horizon - 1)
            .book_value_end()
    }

    /// The residual value of the shared platform of a coalition of `population` inhabitants
    /// pooled from year `start`, at the end of a horizon of `horizon` years. The first platform
    /// is bought by the start-up project at the same cost as its replacements and depreciates
    /// over `life` years from `start`.
    pub fn pooled_residual(&self, population: f64, start: usize, horizon: usize) -> PooledResidual {
        if !self.residual_value || horizon == 0 || horizon <= start {
            return PooledResidual::default();
        }
        let last = horizon - 1;
        if last < start + self.life {
            let r = self.pooled_replacement_share * self.replacement * population;
            let used = (last - start + 1) as f64;
            let value = r - r / self.life as f64 * used;
            return PooledResidual {
                value,
                depreciated: 0.0,
            };
        }
        let value = self.pooled_year(population, start, last).book_value_end();
        PooledResidual {
            value,
            depreciated: value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_hand_calculation() {
        // 1,000 inhabitants, book value 300/inh (300,000) with 3 years left; replacement
        // 600/inh (600,000) with a 5-year life.
        let a = AssetValues {
            book_value: 300.0,
            remaining_life: 3,
            replacement: 600.0,
            life: 5,
            resale_share: 0.1,
            pooled_replacement_share: 0.5,
            residual_value: true,
            spread: false,
        };
        let y0 = a.standalone_year(1000.0, 0);
        assert_eq!(
            (y0.reinvestment, y0.depreciation, y0.book_value_start),
            (0.0, 100_000.0, 300_000.0)
        );
        let y2 = a.standalone_year(1000.0, 2);
        assert_eq!(y2.book_value_start, 100_000.0);
        let y3 = a.standalone_year(1000.0, 3);
        assert_eq!(
            (y3.reinvestment, y3.depreciation, y3.book_value_start),
            (600_000.0, 120_000.0, 600_000.0)
        );
        let y5 = a.standalone_year(1000.0, 5);
        assert_eq!((y5.reinvestment, y5.book_value_start), (0.0, 360_000.0));
        let y8 = a.standalone_year(1000.0, 8);
        assert_eq!(y8.reinvestment, 600_000.0);
        // A platform for 4,000 inhabitants pooled from year 1 is first replaced in year 6 at
        // 0.5·600·4,000 = 1,200,000 and depreciated by 240,000 a year from then on.
        assert_eq!(a.pooled_year(4000.0, 1, 5), AssetYear::default());
        let p6 = a.pooled_year(4000.0, 1, 6);
        assert_eq!((p6.reinvestment, p6.depreciation), (1_200_000.0, 240_000.0));
        assert_eq!(a.pooled_year(4000.0, 1, 7).reinvestment, 0.0);
    }

    #[test]
    fn residual_value_is_the_straight_line_book_value_left() {
        // An asset of 1,000,000 (1,000 inhabitants at 1,000 each) with a five-year life, bought
        // in year 3 of a five-year horizon (two years before it ends), has 3/5 of its life and
        // of its value left: 600,000.
        let a = AssetValues {
            book_value: 0.0,
            remaining_life: 3,
            replacement: 1000.0,
            life: 5,
            resale_share: 0.0,
            pooled_replacement_share: 0.5,
            residual_value: true,
            spread: false,
        };
        assert_eq!(a.standalone_year(1000.0, 3).reinvestment, 1_000_000.0);
        assert_eq!(a.standalone_residual(1000.0, 5), 600_000.0);
        // Bought in the last year: 4/5 left; bought five years before the end: nothing left.
        assert_eq!(a.standalone_residual(1000.0, 4), 800_000.0);
        assert_eq!(a.standalone_residual(1000.0, 8), 0.0);
        // Existing assets of 300,000 with 3 years left, horizon of 2 years: 1/3 left.
        let old = AssetValues {
            book_value: 300.0,
            ..a
        };
        assert!((old.standalone_residual(1000.0, 2) - 100_000.0).abs() < 1e-9);
        // Platform of 0.5·1,000·4,000 = 2,000,000 bought for year 1: after years 1–3 of a
        // four-year horizon 2/5 is left and the budget never depreciated it; replaced in year
        // 6, after years 6–7 of an eight-year horizon 3/5 is left, all depreciated.
        let first = a.pooled_residual(4000.0, 1, 4);
        assert_eq!((first.value, first.depreciated), (800_000.0, 0.0));
        let second = a.pooled_residual(4000.0, 1, 8);
        assert_eq!(
            (second.value, second.depreciated),
            (1_200_000.0, 1_200_000.0)
        );
        let off = AssetValues {
            residual_value: false,
            ..a
        };
        assert_eq!(off.standalone_residual(1000.0, 5), 0.0);
        assert_eq!(off.pooled_residual(4000.0, 1, 8), PooledResidual::default());
    }

    #[test]
    fn every_year_at_once_is_each_year_to_the_bit() {
        let mut years = Vec::new();
        for (spread, life, remaining_life) in
            [(true, 5, 3), (true, 1, 1), (true, 7, 2), (false, 4, 3)]
        {
            let a = AssetValues {
                book_value: 237.3,
                remaining_life,
                replacement: 611.9,
                life,
                resale_share: 0.1,
                pooled_replacement_share: 0.7,
                residual_value: true,
                spread,
            };
            for horizon in [0, 1, 3, 10, 23] {
                a.standalone_years(1.0 / 3.0, horizon, &mut years);
                let each: Vec<_> = (0..horizon)
                    .map(|t| a.standalone_year(1.0 / 3.0, t))
                    .collect();
                assert_eq!(years.len(), horizon);
                for (got, want) in years.iter().zip(&each) {
                    assert_eq!(got.reinvestment.to_bits(), want.reinvestment.to_bits());
                    assert_eq!(got.depreciation.to_bits(), want.depreciation.to_bits());
                    assert_eq!(
                        got.book_value_start.to_bits(),
                        want.book_value_start.to_bits()
                    );
                }
            }
        }
    }

    #[test]
    fn spread_vintages_replace_a_fifth_of_the_stock_every_year() {
        // 1,000 inhabitants, replacement 600/inh (600,000), life 5, book value 240/inh: the
        // steady state R(N−1)/(2N) = 600·4/10. Every year 120,000 is reinvested and 120,000
        // depreciated; vintage k (k = 1…4) holds 240,000·k/10 and loses 24,000 a year.
        let a = AssetValues {
            book_value: 240.0,
            remaining_life: 3,
            replacement: 600.0,
            life: 5,
            resale_share: 0.0,
            pooled_replacement_share: 0.5,
            residual_value: true,
            spread: true,
        };
        for year in 0..12 {
            let y = a.standalone_year(1000.0, year);
            assert!((y.reinvestment - 120_000.0).abs() < 1e-9, "year {year}");
            assert!((y.depreciation - 120_000.0).abs() < 1e-9, "year {year}");
            // Book value held when every year starts: 240,000 (steady state), 360,000 with
            // the year's replacement.
            assert!(
                (y.book_value_held() - 240_000.0).abs() < 1e-6,
                "year {year}"
            );
            assert!((y.book_value_start - 360_000.0).abs() < 1e-6, "year {year}");
        }
        // The residual value of a steady stock is its book value: 240,000.
        assert!((a.standalone_residual(1000.0, 7) - 240_000.0).abs() < 1e-6);
        // A stock with no book value still replaces a fifth a year; its book value builds
        // up: after year 0 one new vintage (120,000 − 24,000 = 96,000 at the end of year 0).
        let fresh = AssetValues {
            book_value: 0.0,
            ..a
        };
        assert!((fresh.standalone_year(1000.0, 0).depreciation - 24_000.0).abs() < 1e-9);
        assert!((fresh.standalone_residual(1000.0, 1) - 96_000.0).abs() < 1e-9);
    }
}
