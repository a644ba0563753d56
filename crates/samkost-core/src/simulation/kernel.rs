//! The one per-draw kernel.
//!
//! Every job that needs a draw's outcome — [`super::run`], sensitivity analyses through
//! [`evaluate_draw`], sweeps (which call `run`) — goes through [`Kernel`]: evaluate the draw's
//! expressions once ([`Model::evaluate`]), compute every member's flows alone and in the
//! cooperation for all years in one pass ([`Model::draw_flows`]), discount them once into
//! cumulative sums that do not depend on the key, then apply each key's shares:
//!
//! ```text
//! B_i(t)  = Σ_{τ≤t} d(τ) (standalone_i(τ) − direct_i(τ))         key-independent
//! P_c(t)  = Σ_{τ≤t} d(τ) pooled_c(τ)                              per category c
//! cum_ki(t) = B_i(t) − s_ki^running · P_running(t) − s_ki^startup · P_startup(t)
//! NPV_ki  = cum_ki(H − 1)
//! ```
//!
//! which is docs/MODEL.md §6 rearranged: nothing is recomputed per key that does not depend on
//! the key, and nothing per year that does not depend on the year. The planning game and core
//! stability take the same draw's values to [`Model::npv_game`]. A draw that shows no years
//! goes without its rows: its flows are written onto the worker's [`FlowTape`], which keeps
//! only each row's discounted sum (`B_i(H − 1)`, `P_c(H − 1)`) and the chunk's yearly means.

use super::MAX_ABS_NOK;
use super::tape::{FlowTape, MAX_LANES};
use crate::allocation::ResolvedKey;
use crate::model::{DrawFlows, DrawValues, EventFlows, ExistingFlows, FlowDetail, Model, Row};

/// Draws whose flows are written together onto the tape in one pass: a run's draws that need
/// no yearly rows, and [`DrawEvaluator::npvs_group`]'s.
pub const GROUP_DRAWS: usize = MAX_LANES;

/// The per-draw computation of one run: a model, its resolved keys and the discount factors.
#[derive(Debug, Clone)]
pub struct Kernel<'a> {
    model: &'a Model,
    keys: &'a [ResolvedKey],
    discount: Vec<f64>,
    /// Whether some key's shares change from year to year ([`super::yearly_keys`]).
    any_yearly: bool,
    /// Whether some key splits the pooled running cost by component
    /// ([`super::component_keys`]).
    any_by_component: bool,
    /// How much the flows record beside the cash rows: the capital parts and wages for the
    /// municipal accounts and the views' VAT, as far as the run reads them.
    detail: FlowDetail,
    /// Whether a draw that needs no yearly values may go without its rows ([`FlowTape`]):
    /// growth rates fixed, and no membership events, existing cooperation, municipal
    /// accounts, or keys by year or by component, which read the rows.
    aggregates: bool,
}

/// One worker's buffers and the outcome of its latest draw.
#[derive(Debug, Clone, Default)]
pub struct DrawScratch {
    /// Parameter values of the draw, in model order.
    pub(super) params: Vec<f64>,
    /// The parameters of the latest group of draws a design filled in.
    pub(super) fill_cache: crate::draws::FillCache,
    pub(super) values: DrawValues,
    pub(super) flows: DrawFlows,
    /// `B_i(t)`, year-major: `[year × members + member]`.
    pub(super) base: Vec<f64>,
    /// Membership events of the draw (docs/MODEL.md §10b): each event's year, each year's
    /// members, the transfers. `effect` is set before [`Kernel::flows`] (by the run per draw;
    /// fixed years otherwise).
    pub(super) events: EventFlows,
    /// With membership events, what each member pays the cooperation under each key, year by
    /// year: `[((key × members + member) × 3 + row) × horizon + year]`, rows running, start-up
    /// with the events' transfers, running share × pooled accounting items.
    pub(super) key_pay: Vec<f64>,
    /// Buffers of an existing cooperation's rows (docs/MODEL.md §10c).
    existing: ExistingFlows,
    /// With keys per component, each named component's and line's pooled running cost,
    /// `[(component, then line) × horizon + year]`.
    pub(super) component_rows: Vec<f64>,
    /// With keys per component, what each member pays the cooperation under each of them,
    /// year by year (`component_keys::apply`).
    pub(super) component_pay: Vec<f64>,
    /// `P_c(t)` per category, `[year]`.
    pooled: [Vec<f64>; 2],
    /// Shares used in this draw, per key: `[category][member]` (ex-post keys replace theirs).
    pub(super) shares: Vec<[Vec<f64>; 2]>,
    /// The shares of every key × member column, per category.
    flat_shares: [Vec<f64>; 2],
    /// `cum_ki(t)`, year-major: `[year × (keys × members) + key × members + member]`, so that
    /// each year's values of every column are contiguous for the counts that follow.
    pub(super) cumulative: Vec<f64>,
    /// `NPV_ki` (keys × members), then the region's NPV.
    pub(super) npv: Vec<f64>,
    /// The region's discounted cumulative net benefit by year.
    pub(super) region_cumulative: Vec<f64>,
    /// The members' standalone and own costs summed by year, in member order, `[year]`.
    region_years: Vec<[f64; 2]>,
    /// Each member's standalone NPV.
    pub(super) standalone_npv: Vec<f64>,
    /// NPV each member pays itself in the cooperation (both categories).
    pub(super) direct_npv: Vec<f64>,
    /// Whether every amount of the draw is finite and within [`MAX_ABS_NOK`].
    pub(super) in_range: bool,
    /// Whether the latest draw went without its yearly rows: `flows`, `base`, `pooled`,
    /// `region_cumulative` and `cumulative` are not its own, and its discounted sums are in
    /// `tape`.
    pub(super) aggregated: bool,
    /// The draws without yearly rows of this worker.
    pub(super) tape: FlowTape,
    /// A group of draws written together ([`Kernel::write_group`]): each one's values and
    /// parameters.
    group: Vec<(DrawValues, Vec<f64>)>,
    /// The worker's evaluations so far: the generation of its latest (`DrawValues::generation`).
    evaluations: u64,
    /// Scratch of the rows' writes.
    flow_scratch: crate::model::FlowScratch,
    /// `B_i(H − 1)` per member.
    last_base: Vec<f64>,
    /// `P_c(H − 1)` per category.
    last_pooled: [f64; 2],
    /// The region's NPV.
    region_npv: f64,
}

impl DrawScratch {
    /// Every key × member column's shares side by side, per category, so that each year is
    /// one pass over all columns.
    fn flatten_shares(&mut self) {
        for (c, flat) in self.flat_shares.iter_mut().enumerate() {
            flat.clear();
            for shares in &self.shares {
                flat.extend_from_slice(&shares[c]);
            }
        }
    }

    /// `P_c(H − 1)` from the yearly sums.
    fn pooled_totals_by_year(&self) -> [f64; 2] {
        [0, 1].map(|c| self.pooled[c].last().copied().unwrap_or(0.0))
    }

    /// `B_i(H − 1)` of the latest draw, per member.
    pub(super) fn last_base(&self) -> &[f64] {
        &self.last_base
    }

    /// NPV of the pooled running and start-up cost of the latest draw.
    pub(super) fn pooled_totals(&self) -> [f64; 2] {
        self.last_pooled
    }

    /// NPV of the cooperation's pooled cost of the latest draw (both categories).
    pub(super) fn pooled_npv(&self) -> f64 {
        self.last_pooled.iter().sum()
    }
}

impl<'a> Kernel<'a> {
    /// The kernel of `model` with `keys`, discounting by the model's rule.
    pub fn new(model: &'a Model, keys: &'a [ResolvedKey]) -> Self {
        Self::with_discount(model, keys, model.discounting.factors(model.horizon_years))
    }

    /// The kernel with given discount factors (one per year).
    pub fn with_discount(model: &'a Model, keys: &'a [ResolvedKey], discount: Vec<f64>) -> Self {
        Self {
            model,
            keys,
            discount,
            any_yearly: keys.iter().any(|k| k.yearly.is_some()),
            any_by_component: keys.iter().any(|k| k.components.is_some()),
            detail: FlowDetail::Cash,
            // Decided by `with_detail`, which a run calls: every draw of a kernel that is not
            // a run's builds its rows.
            aggregates: false,
        }
    }

    /// The kernel recording the capital parts of the flows ([`crate::model::CapitalFlows`])
    /// and the wages as far as `detail` asks ([`Model::flow_detail`]), and summing the draws
    /// that show no years without their rows where the model allows it (`FlowTape`,
    /// docs/MODEL.md §6).
    pub fn with_detail(mut self, detail: FlowDetail) -> Self {
        let model = self.model;
        self.detail = detail;
        self.aggregates = detail != FlowDetail::Accounts
            && !model.has_events()
            && !model.has_existing()
            && !self.any_yearly
            && !self.any_by_component
            && model.growth_is_fixed();
        self
    }

    /// The model.
    pub fn model(&self) -> &'a Model {
        self.model
    }

    /// The discount factors.
    pub fn discount(&self) -> &[f64] {
        &self.discount
    }

    /// Fresh buffers for one worker.
    pub fn scratch(&self) -> DrawScratch {
        DrawScratch {
            params: vec![0.0; self.model.parameters.len()],
            shares: planning_shares(self.keys),
            ..DrawScratch::default()
        }
    }

    /// Evaluates the draw whose parameters are in `s.params`: its values, its flows and the
    /// key-independent discounted sums. With `rows`, or where the run cannot do without them,
    /// the flows' yearly rows are built; otherwise only their discounted sums and the chunk's
    /// yearly means ([`FlowTape`]).
    pub(super) fn flows(&self, s: &mut DrawScratch, rows: bool) {
        self.evaluate_into(&s.params, &mut s.values, &mut s.evaluations);
        self.flows_evaluated(s, rows);
    }

    /// Evaluates `params` into `values`, which gets the next of the worker's generations
    /// (`evaluations`): every evaluation a generation of its own, whichever buffer it goes to,
    /// so that caches keyed on it tell a group's draws apart, and from the draw in `s.values`.
    fn evaluate_into(&self, params: &[f64], values: &mut DrawValues, evaluations: &mut u64) {
        values.generation = *evaluations;
        self.model.evaluate(params, values);
        *evaluations = values.generation;
    }

    /// [`Kernel::flows`] of the draw whose values are in `s.values`.
    pub(super) fn flows_evaluated(&self, s: &mut DrawScratch, rows: bool) {
        let model = self.model;
        s.aggregated = !rows
            && self.aggregates
            && s.tape
                .write(model, [&s.values], self.detail, &self.discount)[0];
        self.finish_flows(s);
    }

    /// Whether the run writes groups of [`GROUP_DRAWS`] draws that need no rows in one pass
    /// ([`Kernel::write_group`]).
    pub(super) fn groups(&self) -> bool {
        self.aggregates
    }

    /// Evaluates the parameters in `s.params` into lane `lane` of the group in `s`, keeping
    /// the parameters there too.
    pub(super) fn evaluate_lane(&self, s: &mut DrawScratch, lane: usize) {
        if s.group.len() < GROUP_DRAWS {
            s.group.resize_with(GROUP_DRAWS, Default::default);
        }
        let slot = &mut s.group[lane];
        self.evaluate_into(&s.params, &mut slot.0, &mut s.evaluations);
        slot.1.clone_from(&s.params);
    }

    /// After [`Kernel::evaluate_lane`] of every lane: writes the group's flows
    /// ([`Kernel::write_group`]), then makes each draw in lane order the draw in `s`, its flows
    /// finished, for `each(s, lane)`, and puts it back.
    pub(super) fn finish_group(
        &self,
        s: &mut DrawScratch,
        mut each: impl FnMut(&mut DrawScratch, usize),
    ) {
        let written = self.write_group(s);
        for lane in 0..GROUP_DRAWS {
            Self::swap_lane(s, lane);
            match written {
                Some(aggregated) => self.finish_lane(s, lane, aggregated[lane]),
                None => self.flows_evaluated(s, false),
            }
            each(s, lane);
            Self::swap_lane(s, lane);
        }
    }

    /// Writes the flows of the group in `s` onto the tape in one pass; returns for each draw
    /// whether it went without rows, or `None` when the draws do not take the same way through
    /// the writes (then each is written by itself, [`Kernel::flows_evaluated`]).
    fn write_group(&self, s: &mut DrawScratch) -> Option<[bool; GROUP_DRAWS]> {
        let values: [&DrawValues; GROUP_DRAWS] = std::array::from_fn(|l| &s.group[l].0);
        if !self.model.same_writes(values) {
            return None;
        }
        Some(
            s.tape
                .write(self.model, values, self.detail, &self.discount),
        )
    }

    /// Makes draw `lane` of the group the draw in `s` (its values and parameters), or puts it
    /// back.
    fn swap_lane(s: &mut DrawScratch, lane: usize) {
        let slot = &mut s.group[lane];
        std::mem::swap(&mut s.values, &mut slot.0);
        std::mem::swap(&mut s.params, &mut slot.1);
    }

    /// After a group's write: the sums of draw `lane`, which is in `s` ([`Kernel::swap_lane`]);
    /// its rows when it did not go without them.
    fn finish_lane(&self, s: &mut DrawScratch, lane: usize, aggregated: bool) {
        s.tape.read_lane(lane);
        s.aggregated = aggregated;
        self.finish_flows(s);
    }

    /// The rest of [`Kernel::flows`] once `s.aggregated` says whether the draw in `s` is on the
    /// tape: its sums from the tape, or its rows and their sums.
    fn finish_flows(&self, s: &mut DrawScratch) {
        let model = self.model;
        let (n, h) = (model.n_members(), self.discount.len());
        if s.aggregated {
            self.aggregated_sums(s);
            return;
        }
        model.draw_flows_in(&s.values, &mut s.flows, self.detail, &mut s.flow_scratch);
        if model.has_events() {
            if s.events.effect.len() != model.events.len() {
                super::events::draw_effects(model, 0, None, &mut s.events);
            }
            model.apply_events(&s.values, &mut s.flows, &mut s.events);
        }
        if model.has_existing() {
            model.apply_existing(&s.values, &mut s.flows, &mut s.existing);
        }
        s.in_range = s.flows.all_within(MAX_ABS_NOK);
        let f = &s.flows;
        // Every slot below is overwritten, so the buffers are only resized, never cleared.
        s.base.resize(n * h, 0.0);
        s.standalone_npv.resize(n, 0.0);
        s.direct_npv.resize(n, 0.0);
        s.region_cumulative.resize(h, 0.0);
        s.region_years.clear();
        s.region_years.resize(h, [0.0; 2]);
        if h > 0 {
            let rows = f
                .standalone
                .chunks_exact(h)
                .zip(f.direct[0].chunks_exact(h))
                .zip(f.direct[1].chunks_exact(h));
            for (i, ((alone, own_0), own_1)) in rows.enumerate() {
                let (mut acc, mut alone_npv, mut direct_npv) = (0.0, 0.0, 0.0);
                let years = alone.iter().zip(own_0).zip(own_1).zip(&self.discount);
                let region = s.region_years.iter_mut();
                let base = s.base[i..].iter_mut().step_by(n);
                for ((((a, o0), o1), d), (sums, slot)) in years.zip(region.zip(base)) {
                    let own = o0 + o1;
                    acc += d * (a - own);
                    alone_npv += d * a;
                    direct_npv += d * own;
                    *slot = acc;
                    sums[0] += a;
                    sums[1] += own;
                }
                s.standalone_npv[i] = alone_npv;
                s.direct_npv[i] = direct_npv;
            }
        }
        for (c, cum) in s.pooled.iter_mut().enumerate() {
            cum.resize(h, 0.0);
            let mut acc = 0.0;
            for ((slot, d), p) in cum.iter_mut().zip(&self.discount).zip(&f.pooled[c]) {
                acc += d * p;
                *slot = acc;
            }
        }
        // The region: members' amounts summed in member order (above), year by year.
        let mut acc = 0.0;
        let years = s.region_years.iter().zip(&f.pooled[0]).zip(&f.pooled[1]);
        for ((r, d), ((&[alone, own], p0), p1)) in s
            .region_cumulative
            .iter_mut()
            .zip(&self.discount)
            .zip(years)
        {
            acc += d * (alone - (p0 + p1 + own));
            *r = acc;
        }
        s.last_base.clear();
        s.last_base
            .extend_from_slice(h.checked_sub(1).map_or(&[][..], |t| &s.base[t * n..]));
        s.last_base.resize(n, 0.0);
        s.last_pooled = s.pooled_totals_by_year();
        s.region_npv = s.region_cumulative.last().copied().unwrap_or(0.0);
    }

    /// The sums of [`Kernel::flows`] from the discounted rows of a draw without yearly rows:
    /// `B_i(H − 1)` = standalone NPV − own NPV, `P_c(H − 1)` and the region's NPV, the
    /// members' own and pooled amounts summed in member order.
    fn aggregated_sums(&self, s: &mut DrawScratch) {
        let n = self.model.n_members();
        let tape = &s.tape;
        s.standalone_npv.clear();
        s.direct_npv.clear();
        s.last_base.clear();
        for i in 0..n {
            let alone = tape.discounted(Row::Standalone, i);
            let own = tape.discounted(Row::Direct(0), i) + tape.discounted(Row::Direct(1), i);
            s.standalone_npv.push(alone);
            s.direct_npv.push(own);
            s.last_base.push(alone - own);
        }
        s.last_pooled = [0, 1].map(|c| tape.discounted(Row::Pooled(c), 0));
        let (alone, own): (f64, f64) = (s.standalone_npv.iter().sum(), s.direct_npv.iter().sum());
        s.region_npv = alone - (s.last_pooled[0] + s.last_pooled[1] + own);
        s.in_range = true;
    }

    /// Every key's NPV from the sums of [`Kernel::flows`] and the shares in `s.shares`, and
    /// with `by_year` its cumulative net benefit year by year (`s.cumulative`, which the fan
    /// bands, the counts by year and the leaving checks read). Without `by_year`,
    /// `s.cumulative` is left empty and each NPV is computed as the last year's cumulative
    /// value would be, so it is the same to the bit. Keys whose shares change by year or by
    /// component, and membership events, always go year by year.
    pub(super) fn apply_keys(&self, s: &mut DrawScratch, by_year: bool) {
        let (n, h) = (self.model.n_members(), self.discount.len());
        if s.shares.len() != self.keys.len() {
            s.shares = planning_shares(self.keys);
        }
        let cols = self.keys.len() * n;
        let by_year = by_year || self.any_yearly || self.any_by_component;
        if self.model.has_events() {
            super::events::apply_keys_with_events(self.model, self.keys, &self.discount, s);
        } else {
            s.npv.resize(cols + 1, 0.0);
            s.flatten_shares();
            // Year by year into `cumulative`; otherwise only the last year, straight into the
            // NPVs, by the same expression.
            if by_year {
                s.cumulative.resize(cols * h, 0.0);
            } else {
                s.cumulative.clear();
                if h == 0 {
                    s.npv[..cols].fill(0.0);
                }
            }
            if n > 0 {
                let (f0, f1) = (&s.flat_shares[0][..cols], &s.flat_shares[1][..cols]);
                if by_year {
                    for t in 0..h {
                        let row = &mut s.cumulative[t * cols..(t + 1) * cols];
                        let base = &s.base[t * n..(t + 1) * n];
                        key_year(row, base, (f0, f1), (s.pooled[0][t], s.pooled[1][t]));
                    }
                } else if h > 0 {
                    let pooled = (s.last_pooled[0], s.last_pooled[1]);
                    key_year(&mut s.npv[..cols], &s.last_base, (f0, f1), pooled);
                }
            }
        }
        if self.any_yearly && n > 0 && !self.model.has_events() {
            let pooled = &s.flows.pooled;
            let cumulative = &mut s.cumulative;
            super::yearly_keys::apply(self.keys, &self.discount, pooled, &s.base, cumulative, n);
        }
        if self.any_by_component && n > 0 && !self.model.has_events() {
            super::component_keys::apply(self.model, self.keys, &self.discount, s);
        }
        if by_year || self.model.has_events() {
            match h.checked_sub(1) {
                Some(last) => s.npv[..cols].copy_from_slice(&s.cumulative[last * cols..]),
                None => s.npv.fill(0.0),
            }
        }
        s.npv[cols] = s.region_npv;
        // Out of range or NaN.
        let outside: usize = s
            .npv
            .iter()
            .map(|v| usize::from(v.is_nan() || v.abs() > MAX_ABS_NOK))
            .sum();
        if outside > 0 {
            s.in_range = false;
        }
    }

    /// The whole kernel for a draw whose parameters are in `s.params`, with the keys' own
    /// (planning) shares, the cumulative net benefits by year included.
    pub fn evaluate(&self, s: &mut DrawScratch) {
        self.flows(s, true);
        self.apply_keys(s, true);
    }
}

/// Every key's own (planning) shares per category, what a draw starts from.
fn planning_shares(keys: &[ResolvedKey]) -> Vec<[Vec<f64>; 2]> {
    keys.iter()
        .map(|k| k.shares.each_ref().map(|s| s.to_vec()))
        .collect()
}

/// One year's `cum_ki(t) = B_i(t) − s_ki^running · P_running(t) − s_ki^startup · P_startup(t)`
/// for every key × member column of `row`, from the members' `B_i(t)` in `base` and each
/// column's shares.
fn key_year(row: &mut [f64], base: &[f64], (f0, f1): (&[f64], &[f64]), (q0, q1): (f64, f64)) {
    let n = base.len();
    let columns = row
        .chunks_exact_mut(n)
        .zip(f0.chunks_exact(n).zip(f1.chunks_exact(n)));
    for (out, (f0, f1)) in columns {
        for (((slot, &b), &s0), &s1) in out.iter_mut().zip(base).zip(f0).zip(f1) {
            *slot = key_npv(b, (s0, s1), (q0, q1));
        }
    }
}

/// `B − s^run · P_0 − s^start · P_1`: a member's cumulative net benefit under a key from its
/// base `b`, its shares and the pooled costs; the one expression of the kernel's NPVs and of
/// the columns a run computes again (`kept.rs`), so that both are the same to the bit.
#[inline]
pub(super) fn key_npv(b: f64, (s0, s1): (f64, f64), (q0, q1): (f64, f64)) -> f64 {
    b - s0 * q0 - s1 * q1
}

/// The NPVs of draws whose parameter values the caller chooses (sensitivity analyses), by the
/// run's kernel with its draws without yearly rows (`FlowTape`): [`evaluate_draw`]'s numbers
/// up to rounding (the discounted sums add the same amounts in another order), at a fraction
/// of its cost, with the buffers kept from one evaluation to the next. It is bound to one
/// model and its keys: the tape in those buffers records the model's writes on its first draw
/// and must never see another model.
#[derive(Debug)]
pub struct DrawEvaluator<'a> {
    kernel: Kernel<'a>,
    /// Buffers of finished evaluations, for the next on any thread.
    #[expect(
        clippy::vec_box,
        reason = "the pool hands out a pointer, not the buffers' many fields"
    )]
    spare: std::sync::Mutex<Vec<Box<DrawScratch>>>,
}

impl<'a> DrawEvaluator<'a> {
    /// The evaluator of `model` with `keys` (planning shares; ex-post rules are not
    /// recomputed), discounting by `discount` (one factor per year).
    pub fn new(model: &'a Model, keys: &'a [ResolvedKey], discount: Vec<f64>) -> Self {
        Self {
            kernel: Kernel::with_discount(model, keys, discount).with_detail(FlowDetail::Cash),
            spare: std::sync::Mutex::default(),
        }
    }

    /// Whether its draws go without their yearly rows (where the model allows it, see
    /// [`Kernel::with_detail`]; a draw out of range still builds them).
    pub fn without_rows(&self) -> bool {
        self.kernel.aggregates
    }

    /// `read` of the NPVs of the draw with parameter values `params` (in model order), laid out
    /// as [`evaluate_draw`]'s: entry `k·n + i` member `i`'s NPV under key `k`, the last the
    /// region's. Safe to call from several threads at once.
    pub fn npvs<T>(&self, params: &[f64], read: impl FnOnce(&[f64]) -> T) -> T {
        self.with_scratch(|s| {
            s.params.clear();
            s.params.extend_from_slice(params);
            // Only the NPVs are read: no rows where the model can do without them.
            self.kernel.flows(s, false);
            self.kernel.apply_keys(s, false);
            read(&s.npv)
        })
    }

    /// `f` of buffers from the pool (fresh ones when it is empty), put back afterwards.
    fn with_scratch<T>(&self, f: impl FnOnce(&mut DrawScratch) -> T) -> T {
        // A poisoned pool only means another evaluation panicked: start from fresh buffers.
        let spare = self.spare.lock().ok().and_then(|mut pool| pool.pop());
        let mut s = spare.unwrap_or_else(|| Box::new(self.kernel.scratch()));
        let out = f(&mut s);
        if let Ok(mut pool) = self.spare.lock() {
            pool.push(s);
        }
        out
    }

    /// [`DrawEvaluator::npvs`] of up to [`GROUP_DRAWS`] draws at once: `read(j, npvs)` of the
    /// draw with parameter values `params[j]`, in order. A full group whose draws go without
    /// rows has its flows written onto the tape in one pass, as a run's groups are
    /// (`Kernel::write_group`); every NPV is the one [`DrawEvaluator::npvs`] gives, to the
    /// bit.
    pub fn npvs_group(&self, params: &[&[f64]], mut read: impl FnMut(usize, &[f64])) {
        if params.len() != GROUP_DRAWS || !self.kernel.groups() {
            for (j, p) in params.iter().enumerate() {
                self.npvs(p, |npvs| read(j, npvs));
            }
            return;
        }
        self.with_scratch(|s| {
            for (lane, p) in params.iter().enumerate() {
                s.params.clear();
                s.params.extend_from_slice(p);
                self.kernel.evaluate_lane(s, lane);
            }
            self.kernel.finish_group(s, |s, lane| {
                self.kernel.apply_keys(s, false);
                read(lane, &s.npv);
            });
        });
    }
}

/// The NPVs of one draw with the given parameter values (in model order): entry `k·n + i` is
/// member `i`'s NPV of net benefit under key `k` (planning shares; ex-post rules are not
/// recomputed), the last entry the region's. The run's own kernel with every yearly row built
/// (tested against the run): the reference of [`DrawEvaluator`], which sensitivity analyses
/// use.
pub fn evaluate_draw(
    model: &Model,
    keys: &[ResolvedKey],
    params: &[f64],
    discount: &[f64],
    scratch: &mut DrawScratch,
) -> Vec<f64> {
    let kernel = Kernel::with_discount(model, keys, discount.to_vec());
    scratch.shares = planning_shares(keys);
    scratch.params.clear();
    scratch.params.extend_from_slice(params);
    // Only the NPVs are read: no cumulative net benefit by year.
    kernel.flows(scratch, true);
    kernel.apply_keys(scratch, false);
    scratch.npv.clone()
}
