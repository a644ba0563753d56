//! What a run reports: per key and member outcomes, mean yearly flows, the region, and the
//! per-draw columns of runs that keep them.

use crate::stats::{Proportion, QuantileSketch, Summary};

/// What one member gets under one key.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberOutcome {
    /// Fraction of the pooled cost the member pays in the first operating year.
    pub share_first_operating_year: f64,
    /// NPV of net benefit (standalone cost − what the member pays), NOK.
    pub npv_net_benefit: Summary,
    /// Probability that the NPV is positive.
    pub p_win: Proportion,
    /// Payback year index (type-1 P10, P50, P90); `None` where it never pays back, and in a
    /// run without [`super::RunConfig::detailed`].
    pub payback_year: [Option<u16>; 3],
    /// Probability that the discounted cumulative net benefit is positive at the end of each
    /// year (empty without [`super::RunConfig::detailed`]).
    pub p_ahead_by_year: Vec<f64>,
    /// Mean payments in each year, NOK (undiscounted, cash view).
    pub payments: Payments,
    /// Mean net benefit in each year, cash view (undiscounted).
    pub mean_net_cash_by_year: Vec<f64>,
    /// Mean net benefit in each year, budget view (undiscounted).
    pub mean_net_budget_by_year: Vec<f64>,
}

/// What a member pays in each year under one key: means over the draws, NOK, cash view, one
/// value per year. `standalone − (to_cooperation_running + to_cooperation_startup + own)` is
/// the mean net benefit of the year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Payments {
    /// What the member would pay alone: its standalone cost.
    pub standalone: Vec<f64>,
    /// What it pays the cooperation for the pooled running cost (the draw's running share ×
    /// pooled running cost, averaged over draws).
    pub to_cooperation_running: Vec<f64>,
    /// What it pays the cooperation for the pooled start-up cost.
    pub to_cooperation_startup: Vec<f64>,
    /// What it still pays itself in the cooperation (its direct running and start-up costs).
    pub own: Vec<f64>,
}

impl Payments {
    /// Everything the member pays in the cooperation in year `t`.
    pub fn total(&self, t: usize) -> f64 {
        self.to_cooperation_running[t] + self.to_cooperation_startup[t] + self.own[t]
    }

    /// What alone costs minus what the cooperation costs the member in year `t`.
    pub fn difference(&self, t: usize) -> f64 {
        self.standalone[t] - self.total(t)
    }
}

/// What all members get under one key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyOutcome {
    /// Key name.
    pub name: String,
    /// Probability that every member's NPV is positive (win-win).
    pub p_all_win: Proportion,
    /// One entry per member, in member order.
    pub members: Vec<MemberOutcome>,
    /// Probability that no coalition would pay less on its own than the key makes its
    /// members pay (core stability of the realised NPV game); `None` when not checked.
    pub p_core_stable: Option<Proportion>,
    /// Standard errors of the key's shares when they were estimated by sampling.
    pub share_std_errors: Option<Vec<f64>>,
    /// The coalition most often tempted to break away (member indices) and how often; among
    /// equally frequent ones the smallest.
    pub top_breakaway: Option<(Vec<usize>, f64)>,
    /// Stability over time: for each year from the first operating year on, which groups would
    /// gain by leaving that year (docs/MODEL.md §10a); empty when not computed (no stability
    /// draws, more than [`crate::games::MAX_EXACT_MEMBERS`] members, or no operating year).
    pub leaving: Vec<LeaveYear>,
}

/// Who would gain by leaving the cooperation at the start of one year, under one key, over the
/// stability draws.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaveYear {
    /// Year index of the leave year (the first year the group is out).
    pub year: usize,
    /// Probability that some group — a member alone, several together, or all (wind-up) —
    /// would gain by leaving that year.
    pub p_any: Proportion,
    /// Per member: probability that it would gain by leaving alone.
    pub p_alone: Vec<f64>,
    /// Probability that winding the cooperation up (every member alone) would gain.
    pub p_wind_up: f64,
    /// The group most often tempted (among equally frequent ones, the fewest members, then the
    /// lowest bitmask); `None` when none is.
    pub top: Option<Tempted>,
}

/// A group tempted to leave, how often and by how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Tempted {
    /// Member indices; every member means a wind-up.
    pub members: Vec<usize>,
    /// Fraction of the stability draws in which the group would gain by leaving.
    pub p: f64,
    /// Mean gain in those draws, NOK, NPV at the start of the first year.
    pub mean_gain: f64,
}

/// Mean yearly flows over the draws, NOK (undiscounted). Cash view unless named otherwise;
/// the budget view of a member adds its `accounting_*` row to the cash row.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanFlows {
    /// `standalone[member][year]`.
    pub standalone: Vec<Vec<f64>>,
    /// What each member pays itself in the cooperation: `direct[category][member][year]`.
    pub direct: [Vec<Vec<f64>>; 2],
    /// `pooled[category][year]`.
    pub pooled: [Vec<f64>; 2],
    /// Budget minus cash, member alone: `accounting_alone[member][year]`.
    pub accounting_alone: Vec<Vec<f64>>,
    /// Budget minus cash, member in the cooperation: `accounting_coop[member][year]`.
    pub accounting_coop: Vec<Vec<f64>>,
    /// Budget minus cash of the pooled running cost, shared by the running key: `[year]`.
    pub pooled_accounting: Vec<f64>,
    /// Mean over draws of the draw's share × pooled amount, `key_pooled[key][member][row][year]`
    /// with rows running, start-up and pooled accounting (running share). Equal to the planning
    /// share × the mean pooled amount for keys with fixed shares; the exact mean for keys
    /// recomputed on every draw.
    pub key_pooled: Vec<Vec<[Vec<f64>; 3]>>,
}

impl MeanFlows {
    /// Mean yearly payments of member `i` under key number `key`.
    pub fn payments(&self, key: usize, i: usize) -> Payments {
        let pooled = &self.key_pooled[key][i];
        Payments {
            standalone: self.standalone[i].clone(),
            to_cooperation_running: pooled[0].clone(),
            to_cooperation_startup: pooled[1].clone(),
            own: self.direct[0][i]
                .iter()
                .zip(&self.direct[1][i])
                .map(|(r, s)| r + s)
                .collect(),
        }
    }

    /// Mean yearly amount member `i` pays in the cooperation under key number `key` (cash).
    pub fn paid(&self, key: usize, i: usize, year: usize) -> f64 {
        let pooled = &self.key_pooled[key][i];
        pooled[0][year] + pooled[1][year] + (self.direct[0][i][year] + self.direct[1][i][year])
    }

    /// Mean yearly net benefit of member `i` under key number `key`: cash view and budget view.
    pub fn net_benefit(&self, key: usize, i: usize, year: usize) -> (f64, f64) {
        let cash = self.standalone[i][year] - self.paid(key, i, year);
        let accounting = self.accounting_alone[i][year]
            - self.accounting_coop[i][year]
            - self.key_pooled[key][i][2][year];
        (cash, cash + accounting)
    }

    /// Mean yearly net benefit of the region: cash view and budget view.
    pub fn region_net_benefit(&self, year: usize) -> (f64, f64) {
        let n = self.standalone.len();
        let alone: f64 = (0..n).map(|i| self.standalone[i][year]).sum();
        let coop: f64 = (0..n)
            .map(|i| self.direct[0][i][year] + self.direct[1][i][year])
            .sum::<f64>()
            + self.pooled[0][year]
            + self.pooled[1][year];
        let accounting: f64 = (0..n)
            .map(|i| self.accounting_alone[i][year] - self.accounting_coop[i][year])
            .sum::<f64>()
            - self.pooled_accounting[year];
        (alone - coop, alone - coop + accounting)
    }
}

/// The results of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResults {
    /// Number of draws.
    pub n_draws: u64,
    /// Per key, the budget and socio-economic views' NPVs (docs/MODEL.md §6d).
    pub views: Vec<super::KeyViews>,
    /// NPV of the region's net benefit: Σ standalone − cost of the cooperation.
    pub region_npv: Summary,
    /// Probability that the region as a whole gains.
    pub region_p_win: Proportion,
    /// One entry per key, in key order.
    pub keys: Vec<KeyOutcome>,
    /// Mean yearly flows.
    pub mean_flows: MeanFlows,
    /// Mean municipal accounts (docs/MODEL.md §6b), when the run booked them
    /// ([`super::RunConfig::accounts`]).
    pub accounts: Option<super::MeanAccounts>,
    /// The region's discounted cumulative net benefit at the end of each year: P10, P50, P90
    /// (from quantile sketches, within 0.1 % relative accuracy); empty without
    /// [`super::RunConfig::detailed`].
    pub region_cumulative_bands: Vec<[f64; 3]>,
    /// Year index of the cooperation's first operating year, if within the horizon.
    pub first_operating_year: Option<usize>,
    /// Draws the members' fan bands were computed from (0: no bands).
    pub band_draws: u64,
    /// Members' fan bands: P10, P50, P90 of the discounted cumulative net benefit at the end of
    /// each year, indexed `[(key × members + member) × horizon + year]` (type 7 over the first
    /// [`Self::band_draws`] draws); empty when `band_draws` is 0.
    pub(super) member_bands: Vec<[f64; 3]>,
    pub(super) horizon: usize,
    /// Draws on which core stability was checked (0: not checked).
    pub stability_draws: u64,
    /// Draws checked for leaving in a later year: the first
    /// `min(stability_draws, LEAVING_DRAWS)`.
    pub leaving_draws: u64,
    /// Draws × ex-post methods that failed and fell back to the planning shares.
    pub ex_post_fallbacks: u64,
    /// Draws summed without their yearly rows (docs/MODEL.md §6, "Draws without yearly
    /// rows"); the others built their rows.
    pub aggregated_draws: u64,
    /// Per-draw NPVs column by column: `draw_npv[col * n_draws + draw]`, columns = keys ×
    /// members, then the region; `None` when the run was too long to keep them.
    pub(super) draw_npv: Option<super::kept::KeptNpv>,
    /// Per column quantile sketches, for runs that did not keep every draw.
    pub(super) sketches: Option<Vec<QuantileSketch>>,
    pub(super) stride: usize,
}

impl RunResults {
    /// Whether the run kept every draw's NPVs (runs up to [`super::RunConfig::max_stored_draws`]).
    pub fn draws_kept(&self) -> bool {
        self.draw_npv.is_some()
    }

    /// NPV of net benefit of `member` under `key` in draw `draw`; `None` when the run did not
    /// keep its draws.
    pub fn draw_member_npv(&self, key: usize, member: usize, draw: usize) -> Option<f64> {
        let n_members = self.keys.first().map_or(0, |k| k.members.len());
        let n = self.n_draws as usize;
        let col = key * n_members + member;
        if member >= n_members || col + 1 >= self.stride || draw >= n {
            return None;
        }
        self.draw_npv.as_ref().map(|v| v.value(col, draw))
    }

    /// NPV of the region's net benefit in draw `draw`; `None` when the run did not keep its
    /// draws.
    pub fn draw_region_npv(&self, draw: usize) -> Option<f64> {
        let n = self.n_draws as usize;
        if draw >= n {
            return None;
        }
        self.draw_npv
            .as_ref()
            .map(|v| v.value(self.stride - 1, draw))
    }

    /// P10, P50, P90 of `member`'s discounted cumulative net benefit under `key` at the end of
    /// year index `year`, over the first [`Self::band_draws`] draws; `None` without bands.
    pub fn member_band(&self, key: usize, member: usize, year: usize) -> Option<[f64; 3]> {
        let n_members = self.keys.first().map_or(0, |k| k.members.len());
        if year >= self.horizon || member >= n_members {
            return None;
        }
        self.member_bands
            .get((key * n_members + member) * self.horizon + year)
            .copied()
    }

    /// The quantile sketch of `member`'s NPV under `key` (`None` for the region's column index
    /// semantics: pass `member == n` for the region), for runs that did not keep their draws.
    pub fn column_sketch(&self, key: usize, member: usize) -> Option<&QuantileSketch> {
        let n_members = self.keys.first().map_or(0, |k| k.members.len());
        let col = if member >= n_members {
            self.stride - 1
        } else {
            key * n_members + member
        };
        self.sketches.as_ref().and_then(|s| s.get(col))
    }
}
