//! A draw's flows without their yearly rows: the sink of [`Model::write_flows`] for the draws
//! that need only their NPVs and the run's yearly means (docs/MODEL.md §6, "Draws without
//! yearly rows").
//!
//! Every amount a draw's flows receive is written as `k · g(t)` over a run of years, with `g`
//! a growth profile that is the same in every draw of a run whose growth rates are fixed; as
//! `k · v(t)` over a profile `v` of this draw (the assets' events, a pooled component's
//! yearly cost) with a `k` that is the same in every draw (a population, or 1); or as a single
//! amount of this draw in one year. The first draw records each write of the first two kinds
//! as a *site* — its row, members and years, and for a growth profile the profile and its
//! discounted sum `W = Σ_j d(start + j) g(j)` — and every later draw, whose writes come in the
//! same order, only
//!
//! * adds `k · W` to its row's discounted sum (what the NPVs and the views read), with `W`
//!   taken from the site, or over this draw's profile once for all the site's members;
//! * keeps `k` (growth profile) or the profile (profile of the draw), which the chunk sums per
//!   site: the yearly means are `(Σ_draws k) · g(t)` and `k · Σ_draws v(t)`, expanded once
//!   per chunk ([`FlowTape::flush`]);
//! * keeps each single amount, discounted, and where it goes among the yearly means.
//!
//! A draw is not aggregated, and its rows are built instead, when a write differs from the
//! recorded site (it does not in any model whose growth rates are fixed) or when the sum of
//! the absolute amounts it writes — `Σ |k| · max_j |g(j)|`, `|k| · Σ_j |v(j)|` and
//! `Σ |amount|` — which bounds every yearly value and every NPV, is not finite or exceeds
//! [`MAX_ABS_NOK`]: then the rows decide whether it is in range.
//!
//! A write takes one draw or a group of draws side by side ([`Model::write_flows`] over
//! lanes): the sites are the same for all of them, and every per-draw value — the discounted
//! sums, the `k`s, the profiles, the single amounts and the bound — is kept per lane and added
//! to the chunk's sums lane by lane, in draw order, so a draw gives the same sums to the bit
//! in a group as alone.

use super::MAX_ABS_NOK;
use crate::model::{FlowDetail, FlowScratch, FlowSink, Model, Pattern, Row};

/// A growth-profile write recorded on the tape's first draw: one member's, or every member's.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Site {
    /// Row, first member, members, first year and number of years, packed ([`site_key`]).
    key: u64,
    /// The first member's discounted sum: `row.index() × n + member`.
    slot: usize,
    /// Members written (consecutive from the first).
    members: usize,
    /// Where the site's `k`s are in [`FlowTape::ks`] and [`FlowTape::k_sums`].
    ks_at: usize,
    /// Where the first member's first year goes among the base rows' sums, if it is a base
    /// row, and the step to the next member.
    mean: Option<usize>,
    mean_step: usize,
    /// `Σ_j d(start + j) · g(j)`.
    weight: f64,
    /// `max_j |g(j)|`.
    largest: f64,
    /// The profile, `[pattern .. pattern + len]` of [`FlowTape::profiles`].
    pattern: usize,
    len: usize,
}

fn site_key(row: Row, member: usize, members: usize, start: usize, len: usize) -> u64 {
    (row.index() as u64)
        | (member as u64) << 8
        | (members as u64) << 24
        | (start as u64) << 40
        | (len as u64) << 52
}

/// A write over a profile of the draw, recorded on the tape's first draw: its members' `k`s do
/// not change between draws, so the chunk sums the profile and multiplies by each `k` once.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DrawSite {
    key: u64,
    /// Where the recorded `k`s are in [`FlowTape::draw_ks`].
    ks_at: usize,
    members: usize,
    /// Where the profile is in [`FlowTape::profiles_now`] and [`FlowTape::profile_sums`].
    at: usize,
    len: usize,
    /// As [`Site::mean`] and [`Site::mean_step`].
    mean: Option<usize>,
    mean_step: usize,
}

/// The most draws a tape takes in one write ([`FlowTape::write`]).
pub(super) const MAX_LANES: usize = 8;

/// One worker's tape (see the module documentation). A write takes one draw or several side
/// by side (`L` lanes, [`MAX_LANES`]); every per-draw value is kept per lane,
/// `[value × L + lane]`, and the draws are added to the chunk's sums lane by lane, in
/// draw order.
#[derive(Debug, Clone, Default)]
pub(super) struct FlowTape {
    n: usize,
    horizon: usize,
    discount: Vec<f64>,
    sites: Vec<Site>,
    profiles: Vec<f64>,
    recorded: bool,
    cursor: usize,
    mismatch: bool,
    /// Draws in the latest write.
    lanes: usize,
    /// The lane [`FlowTape::discounted`] reads.
    lane: usize,
    /// This write's `k` per site and lane.
    ks: Vec<f64>,
    /// `Σ k` per site over the chunk's aggregated draws.
    k_sums: Vec<f64>,
    /// Writes over a profile of the draw, recorded on the first draw, and the `k`s they were
    /// recorded with (the same in every draw: populations, or 1).
    draw_sites: Vec<DrawSite>,
    draw_ks: Vec<f64>,
    draw_cursor: usize,
    /// This write's profiles of those writes (`p − q` for a difference) per value and lane,
    /// and their sums over the chunk's aggregated draws.
    profiles_now: Vec<f64>,
    profile_sums: Vec<f64>,
    /// Per lane, this write's single amounts on the base rows: where they go among the base
    /// rows' sums, and the amount.
    amounts: Vec<Vec<(usize, f64)>>,
    /// The sums of the single amounts over the chunk's aggregated draws, in the layout of the
    /// run's flow sums.
    amount_sums: Vec<f64>,
    /// This write's discounted sum of every row and member, per lane:
    /// `[(row.index() × n + member) × L + lane]`.
    discounted: Vec<f64>,
    /// `Σ |k| · max|g| + Σ |amount|` of this write, per lane.
    bound: [f64; MAX_LANES],
    /// Per row ([`Row::index`]): where member 0's first year goes among the base rows' sums
    /// (past their end for the other rows), and the step from one member to the next.
    mean_start: [usize; Row::COUNT],
    mean_step: [usize; Row::COUNT],
    scratch: FlowScratch,
    scratch_lanes: FlowScratch<MAX_LANES>,
}

/// The `L` lanes of value `at` of a per-lane array, `[value × L + lane]`.
#[inline(always)]
fn lane_slots<const L: usize>(values: &mut [f64], at: usize) -> &mut [f64] {
    &mut values[at * L..at * L + L]
}

impl FlowTape {
    /// Writes the flows of the draws `v` (one, or [`MAX_LANES`]) onto the tape with
    /// `discount`, one lane each. Returns,
    /// per draw, whether it is aggregated; one that is not (see the module documentation) has
    /// nothing kept and must build its rows. The draws must take the same way through
    /// [`Model::write_flows`] ([`Model::same_writes`]).
    pub(super) fn write<const L: usize>(
        &mut self,
        model: &Model,
        v: [&crate::model::DrawValues; L],
        detail: FlowDetail,
        discount: &[f64],
    ) -> [bool; L] {
        const { assert!(L == 1 || L == MAX_LANES) };
        let (n, h) = (model.n_members(), model.horizon_years);
        if self.n != n || self.horizon != h || self.discount != discount {
            *self = FlowTape {
                n,
                horizon: h,
                discount: discount.to_vec(),
                amount_sums: vec![0.0; base_len(n, h)],
                discounted: vec![0.0; Row::COUNT * n.max(1) * MAX_LANES],
                amounts: vec![Vec::new(); MAX_LANES],
                ..FlowTape::default()
            };
            for row in Row::ALL {
                let r = row.index();
                (self.mean_start[r], self.mean_step[r]) = match row.base() {
                    Some(b) if b < 5 => (b * n * h, h),
                    Some(b) => (5 * n * h + (b - 5) * h, 0),
                    None => (usize::MAX / 2, 0),
                };
            }
        }
        self.cursor = 0;
        self.draw_cursor = 0;
        self.mismatch = false;
        self.lanes = L;
        self.lane = 0;
        self.bound = [0.0; MAX_LANES];
        for amounts in &mut self.amounts[..L] {
            amounts.clear();
        }
        self.discounted[..Row::COUNT * n.max(1) * L].fill(0.0);
        if L == 1 {
            let mut scratch = std::mem::take(&mut self.scratch);
            let v1 = [v[0]];
            model.write_flows::<1, Self>(v1, detail, self, &mut scratch);
            self.scratch = scratch;
        } else {
            let mut scratch = std::mem::take(&mut self.scratch_lanes);
            // `L` is `MAX_LANES` here.
            let mut group = [v[0]; MAX_LANES];
            group.copy_from_slice(&v);
            model.write_flows::<MAX_LANES, Self>(group, detail, self, &mut scratch);
            self.scratch_lanes = scratch;
        }
        let complete = !self.mismatch
            && self.cursor == self.sites.len()
            && self.draw_cursor == self.draw_sites.len();
        self.recorded = true;
        let aggregated: [bool; L] =
            std::array::from_fn(|l| complete && self.bound[l] <= MAX_ABS_NOK);
        for (l, &kept) in aggregated.iter().enumerate() {
            if !kept {
                continue;
            }
            for (sum, k) in self.k_sums.iter_mut().zip(self.ks.chunks_exact(L)) {
                *sum += k[l];
            }
            let profiles = self.profiles_now.chunks_exact(L);
            for (sum, v) in self.profile_sums.iter_mut().zip(profiles) {
                *sum += v[l];
            }
            for &(at, a) in &self.amounts[l] {
                self.amount_sums[at] += a;
            }
        }
        aggregated
    }

    /// Makes [`FlowTape::discounted`] read the draw of lane `lane` of the latest write.
    pub(super) fn read_lane(&mut self, lane: usize) {
        debug_assert!(lane < self.lanes);
        self.lane = lane;
    }

    /// The latest aggregated draw's discounted sum of `row` for `member` (0 for a pooled row),
    /// in the lane [`FlowTape::read_lane`] chose.
    pub(super) fn discounted(&self, row: Row, member: usize) -> f64 {
        self.discounted[(row.index() * self.n + member) * self.lanes + self.lane]
    }

    /// Adds the chunk's aggregated draws to the base rows' sums `sums` (the first
    /// [`base_len`] values of the run's flow sums) and starts the next chunk.
    pub(super) fn flush(&mut self, sums: &mut [f64]) {
        for site in &self.sites {
            let ks = &mut self.k_sums[site.ks_at..site.ks_at + site.members];
            if let Some(at) = site.mean {
                let profile = &self.profiles[site.pattern..site.pattern + site.len];
                for (i, k) in ks.iter().enumerate() {
                    let from = at + i * site.mean_step;
                    for (slot, g) in sums[from..from + site.len].iter_mut().zip(profile) {
                        *slot += k * g;
                    }
                }
            }
            ks.fill(0.0);
        }
        for site in &self.draw_sites {
            let sums_of = &self.profile_sums[site.at..site.at + site.len];
            if let Some(at) = site.mean {
                let ks = &self.draw_ks[site.ks_at..site.ks_at + site.members];
                for (i, k) in ks.iter().enumerate() {
                    let from = at + i * site.mean_step;
                    for (slot, v) in sums[from..from + site.len].iter_mut().zip(sums_of) {
                        *slot += k * v;
                    }
                }
            }
        }
        self.profile_sums.fill(0.0);
        for (slot, a) in sums.iter_mut().zip(&mut self.amount_sums) {
            *slot += *a;
            *a = 0.0;
        }
    }

    /// Where year `start` of `row` for `member` goes among the base rows' sums (past their
    /// end for the other rows).
    #[inline]
    fn mean_at(&self, r: usize, member: usize, start: usize) -> usize {
        self.mean_start[r] + member * self.mean_step[r] + start
    }

    /// The position in [`FlowTape::sites`] of the next growth-profile write, recorded on the
    /// tape's first draw; `None` when the write differs from the recorded one.
    #[inline(always)]
    fn next_site(
        &mut self,
        row: Row,
        (member, members): (usize, usize),
        start: usize,
        growth: &[f64],
    ) -> Option<usize> {
        if !self.recorded {
            self.record(row, (member, members), start, growth);
        }
        let p = self.cursor;
        self.cursor += 1;
        let key = site_key(row, member, members, start, growth.len());
        match self.sites.get(p) {
            Some(site) if site.key == key => Some(p),
            _ => {
                self.mismatch = true;
                None
            }
        }
    }

    /// Records a growth-profile write (the tape's first draw).
    #[cold]
    fn record(
        &mut self,
        row: Row,
        (member, members): (usize, usize),
        start: usize,
        growth: &[f64],
    ) {
        let weight = growth
            .iter()
            .zip(&self.discount[start..])
            .map(|(g, d)| d * g)
            .sum();
        let largest = growth.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
        let r = row.index();
        let at = self.mean_at(r, member, start);
        self.sites.push(Site {
            key: site_key(row, member, members, start, growth.len()),
            slot: r * self.n + member,
            members,
            ks_at: self.k_sums.len(),
            mean: (at < self.amount_sums.len()).then_some(at),
            mean_step: self.mean_step[r],
            weight,
            largest,
            pattern: self.profiles.len(),
            len: growth.len(),
        });
        self.profiles.extend_from_slice(growth);
        self.ks.resize(self.ks.len() + members * MAX_LANES, 0.0);
        self.k_sums.resize(self.k_sums.len() + members, 0.0);
    }

    /// A write over a profile of these draws: `ks[i] · p[j]` (`ks[i] · (p[j] − q[j])` with
    /// `q`, by [`FlowSink::add_scaled_difference_each`]'s expression) for members `i` from
    /// `member` on, from year `start`: discounted and bounded, its profile kept for the
    /// chunk's yearly means. The `k`s must be those the first draw recorded (otherwise the
    /// draws build their rows).
    #[inline(never)]
    fn add_profile<const L: usize>(
        &mut self,
        row: Row,
        (member, start): (usize, usize),
        ks: &[[f64; L]],
        (p, q): (&[[f64; L]], Option<&[[f64; L]]>),
    ) {
        let r = row.index();
        let key = site_key(row, member, ks.len(), start, p.len());
        if !self.recorded {
            let at = self.mean_at(r, member, start);
            self.draw_sites.push(DrawSite {
                key,
                ks_at: self.draw_ks.len(),
                members: ks.len(),
                at: self.profile_sums.len(),
                len: p.len(),
                mean: (at < self.amount_sums.len()).then_some(at),
                mean_step: self.mean_step[r],
            });
            self.draw_ks.extend(ks.iter().map(|k| k[0]));
            let len = self.profile_sums.len() + p.len();
            self.profiles_now.resize(len * MAX_LANES, 0.0);
            self.profile_sums.resize(len, 0.0);
        }
        let d = self.draw_cursor;
        self.draw_cursor += 1;
        let site = match self.draw_sites.get(d) {
            Some(site)
                if site.key == key
                    && ks
                        .iter()
                        .zip(&self.draw_ks[site.ks_at..site.ks_at + site.members])
                        .all(|(k, recorded)| k.iter().all(|k| k == recorded)) =>
            {
                *site
            }
            _ => {
                self.mismatch = true;
                return;
            }
        };
        let years = &self.discount[start..start + p.len()];
        let at = site.at * L;
        let profile = &mut self.profiles_now[at..at + site.len * L];
        // `Σ_j |v_j|` bounds the sum of each member's absolute amounts, `|k| · Σ_j |v_j|`.
        let (mut weight, mut total) = ([0.0; L], [0.0; L]);
        match q {
            None => {
                for ((slot, d), v) in profile.chunks_exact_mut(L).zip(years).zip(p) {
                    for l in 0..L {
                        weight[l] += d * v[l];
                        total[l] += v[l].abs();
                    }
                    slot[..L].copy_from_slice(v);
                }
            }
            Some(q) => {
                let values = profile.chunks_exact_mut(L).zip(years).zip(p).zip(q);
                for (((slot, d), p), q) in values {
                    for l in 0..L {
                        weight[l] += d * (p[l] - q[l]);
                        total[l] += p[l].abs() + q[l].abs();
                        slot[l] = p[l] - q[l];
                    }
                }
            }
        }
        let n = self.n;
        let mut scale = [0.0; L];
        let first = r * n + member;
        for (i, k) in ks.iter().enumerate() {
            let slots = lane_slots::<L>(&mut self.discounted, first + i);
            for l in 0..L {
                slots[l] += k[l] * weight[l];
                scale[l] += k[l].abs();
            }
        }
        for l in 0..L {
            self.bound[l] += scale[l] * total[l];
        }
    }
}

impl<const L: usize> FlowSink<L> for FlowTape {
    #[inline]
    fn add_scaled(
        &mut self,
        row: Row,
        member: usize,
        start: usize,
        k: [f64; L],
        pattern: Pattern<'_, L>,
    ) {
        let growth = match pattern {
            Pattern::Growth(g) => g,
            Pattern::Draw(values) => {
                return self.add_profile(row, (member, start), &[k], (values, None));
            }
        };
        if let Some(p) = self.next_site(row, (member, 1), start, growth) {
            let site = self.sites[p];
            let slots = lane_slots::<L>(&mut self.discounted, site.slot);
            for l in 0..L {
                slots[l] += k[l] * site.weight;
                self.bound[l] += k[l].abs() * site.largest;
            }
            lane_slots::<L>(&mut self.ks, site.ks_at).copy_from_slice(&k);
        }
    }

    fn add_scaled_each(
        &mut self,
        row: Row,
        start: usize,
        ks: &[[f64; L]],
        pattern: Pattern<'_, L>,
    ) {
        let growth = match pattern {
            Pattern::Growth(g) => g,
            Pattern::Draw(values) => return self.add_profile(row, (0, start), ks, (values, None)),
        };
        let Some(p) = self.next_site(row, (0, ks.len()), start, growth) else {
            return;
        };
        let site = self.sites[p];
        let (weight, largest) = (site.weight, site.largest);
        // One pass: each member's discounted sum, the bound, and the `k` kept for the means.
        let mut bound = [0.0; L];
        for (i, k) in ks.iter().enumerate() {
            let slots = lane_slots::<L>(&mut self.discounted, site.slot + i);
            for l in 0..L {
                slots[l] += k[l] * weight;
                bound[l] += k[l].abs();
            }
            lane_slots::<L>(&mut self.ks, site.ks_at + i).copy_from_slice(k);
        }
        for (kept, bound) in self.bound.iter_mut().zip(bound) {
            *kept += bound * largest;
        }
    }

    fn add_scaled_difference_each(
        &mut self,
        row: Row,
        start: usize,
        ks: &[[f64; L]],
        (p, q): (&[[f64; L]], &[[f64; L]]),
    ) {
        self.add_profile(row, (0, start), ks, (p, Some(q)));
    }

    #[inline]
    fn add(&mut self, row: Row, member: usize, year: usize, amount: [f64; L]) {
        let r = row.index();
        let at = self.mean_at(r, member, year);
        let d = self.discount[year];
        let slots = lane_slots::<L>(&mut self.discounted, r * self.n + member);
        for l in 0..L {
            slots[l] += d * amount[l];
            self.bound[l] += amount[l].abs();
        }
        if at < self.amount_sums.len() {
            for (amounts, &a) in self.amounts.iter_mut().zip(&amount) {
                amounts.push((at, a));
            }
        }
    }

    fn add_each(&mut self, row: Row, year: usize, amounts: &[[f64; L]]) {
        let r = row.index();
        let d = self.discount[year];
        let (n, step) = (self.n, self.mean_step[r]);
        let mut bound = [0.0; L];
        for (i, a) in amounts.iter().enumerate() {
            let slots = lane_slots::<L>(&mut self.discounted, r * n + i);
            for l in 0..L {
                slots[l] += d * a[l];
                bound[l] += a[l].abs();
            }
        }
        for (kept, bound) in self.bound.iter_mut().zip(bound) {
            *kept += bound;
        }
        let at = self.mean_at(r, 0, year);
        if at < self.amount_sums.len() {
            for (l, kept) in self.amounts.iter_mut().take(L).enumerate() {
                let own = amounts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (at + i * step, a[l]));
                kept.extend(own);
            }
        }
    }
}

/// Values of the base rows' sums ([`crate::model::DrawFlows::base_rows`]): five rows per
/// member and three pooled rows of `horizon` years.
pub(super) fn base_len(n: usize, horizon: usize) -> usize {
    (5 * n + 3) * horizon
}
