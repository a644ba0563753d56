//! Every member's flows alone and in the cooperation of all members, for every year of one
//! draw, in one pass over the lines, components and assets.
//!
//! This is the Monte Carlo's hot path. It applies the rules of [`Model::coalition_flows`] to
//! the two kinds of coalition a run needs — each member alone (`{i}`) and all members (`N`) —
//! computing every year-independent quantity (a line's member parts, a component's cost for
//! one buyer) once per draw instead of once per year and coalition. Each year's amounts are
//! added in the same order as `coalition_flows` adds them (lines, components with their
//! parallel operation, governance, assets), so the two agree to the last bit; the test
//! `model::standalone_cost_is_the_singleton_coalition_cost` checks it on every year.

use super::{Applies, AssetValues, AssetYear, Basis, Category, DrawValues, Model, Wages};

/// A row of [`DrawFlows`]: per member (`[member × horizon + year]`) or pooled (`[year]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    Standalone,
    AccountingAlone,
    /// Per category.
    Direct(usize),
    AccountingCoop,
    /// Per category.
    Pooled(usize),
    PooledAccounting,
    WagesAlone,
    WagesOwn,
    /// Per category.
    WagesPooled(usize),
    ProjectsAlone,
    ProjectsOwn,
    ProjectsPooled,
    ReinvestmentAlone,
    ReinvestmentOwn,
    ReinvestmentPooled,
    ResidualAlone,
    ResidualOwn,
    ResidualPooled,
    ResaleOwn,
    ResalePooled,
}

impl Row {
    /// Number of rows ([`Row::index`] is below it).
    pub(crate) const COUNT: usize = 23;

    /// Every row, in the order of [`Row::index`].
    pub(crate) const ALL: [Row; Row::COUNT] = [
        Row::Standalone,
        Row::AccountingAlone,
        Row::Direct(0),
        Row::Direct(1),
        Row::AccountingCoop,
        Row::Pooled(0),
        Row::Pooled(1),
        Row::PooledAccounting,
        Row::WagesAlone,
        Row::WagesOwn,
        Row::WagesPooled(0),
        Row::WagesPooled(1),
        Row::ProjectsAlone,
        Row::ProjectsOwn,
        Row::ProjectsPooled,
        Row::ReinvestmentAlone,
        Row::ReinvestmentOwn,
        Row::ReinvestmentPooled,
        Row::ResidualAlone,
        Row::ResidualOwn,
        Row::ResidualPooled,
        Row::ResaleOwn,
        Row::ResalePooled,
    ];

    /// The row's place among all rows.
    pub(crate) fn index(self) -> usize {
        match self {
            Row::Standalone => 0,
            Row::AccountingAlone => 1,
            Row::Direct(c) => 2 + c,
            Row::AccountingCoop => 4,
            Row::Pooled(c) => 5 + c,
            Row::PooledAccounting => 7,
            Row::WagesAlone => 8,
            Row::WagesOwn => 9,
            Row::WagesPooled(c) => 10 + c,
            Row::ProjectsAlone => 12,
            Row::ProjectsOwn => 13,
            Row::ProjectsPooled => 14,
            Row::ReinvestmentAlone => 15,
            Row::ReinvestmentOwn => 16,
            Row::ReinvestmentPooled => 17,
            Row::ResidualAlone => 18,
            Row::ResidualOwn => 19,
            Row::ResidualPooled => 20,
            Row::ResaleOwn => 21,
            Row::ResalePooled => 22,
        }
    }

    /// The row's place among [`DrawFlows::base_rows`], the rows a run averages by year.
    pub(crate) fn base(self) -> Option<usize> {
        match self {
            Row::Standalone => Some(0),
            Row::Direct(c) => Some(1 + c),
            Row::AccountingAlone => Some(3),
            Row::AccountingCoop => Some(4),
            Row::Pooled(c) => Some(5 + c),
            Row::PooledAccounting => Some(7),
            _ => None,
        }
    }

    /// Whether the row has a value per member (otherwise one, the cooperation's).
    pub(crate) fn per_member(self) -> bool {
        !matches!(
            self,
            Row::Pooled(_)
                | Row::PooledAccounting
                | Row::WagesPooled(_)
                | Row::ProjectsPooled
                | Row::ReinvestmentPooled
                | Row::ResidualPooled
                | Row::ResalePooled
        )
    }
}

/// The year profile of an amount written with [`FlowSink::add_scaled`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pattern<'a> {
    /// Growth factors `g(t)`: the same in every draw of a run whose growth rates are fixed.
    Growth(&'a [f64]),
    /// Values of this draw: the assets' events per inhabitant, a pooled component's and the
    /// shared platform's yearly costs.
    Draw(&'a [f64]),
}

impl<'a> Pattern<'a> {
    /// The values, one per year from the write's first year.
    pub(crate) fn values(self) -> &'a [f64] {
        match self {
            Pattern::Growth(v) | Pattern::Draw(v) => v,
        }
    }
}

/// Where [`Model::write_flows`] puts a draw's amounts: the yearly rows of [`DrawFlows`], or
/// their sums (the run's draws without yearly rows). Every amount is written through these
/// methods, each slot's amounts in the order of [`Model::coalition_flows`]. The `_each`
/// methods write one value per member of a per-member row, member by member.
pub(crate) trait FlowSink {
    /// `row[member][start + j] += k · pattern[j]` for every `j` (member 0 for a pooled row).
    fn add_scaled(&mut self, row: Row, member: usize, start: usize, k: f64, pattern: Pattern<'_>);

    /// `row[i][start + j] += ks[i] · pattern[j]` for every member `i` and every `j`.
    fn add_scaled_each(&mut self, row: Row, start: usize, ks: &[f64], pattern: Pattern<'_>);

    /// [`FlowSink::add_scaled_each`] into `all` over the whole `growth` and into `before`
    /// over its first `until` years, each slot receiving `ks[i] · growth[j]` once.
    fn add_scaled_each_split(
        &mut self,
        rows: (Row, Row),
        until: usize,
        ks: &[f64],
        growth: &[f64],
    ) {
        split_each(self, rows, until, ks, growth);
    }

    /// `row[i][start + j] += p[j] · ks[i] − q[j] · ks[i]` for every member `i` and every `j`,
    /// with `(p, q)` of this draw.
    fn add_scaled_difference_each(
        &mut self,
        row: Row,
        start: usize,
        ks: &[f64],
        pq: (&[f64], &[f64]),
    );

    /// `row[member][year] += amount`.
    fn add(&mut self, row: Row, member: usize, year: usize, amount: f64);

    /// `row[i][year] += amounts[i]` for every member `i`.
    fn add_each(&mut self, row: Row, year: usize, amounts: &[f64]);
}

/// [`FlowSink::add_scaled_each_split`] as two writes, one per row.
fn split_each<S: FlowSink + ?Sized>(
    sink: &mut S,
    (all, before): (Row, Row),
    until: usize,
    ks: &[f64],
    growth: &[f64],
) {
    sink.add_scaled_each(all, 0, ks, Pattern::Growth(growth));
    sink.add_scaled_each(before, 0, ks, Pattern::Growth(&growth[..until]));
}

/// Scratch of [`Model::write_flows`].
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FlowScratch {
    /// A line's part or a component's cost for each member.
    parts: Vec<f64>,
    /// A second amount per member.
    others: Vec<f64>,
    /// A pooled amount per year, and a second one.
    years: Vec<f64>,
    other_years: Vec<f64>,
    /// 1 in every year.
    ones: Vec<f64>,
    /// The asset events of one inhabitant, per year.
    asset_years: Vec<AssetYear>,
    /// The same events as rows: reinvestment, depreciation.
    reinvestment: Vec<f64>,
    depreciation: Vec<f64>,
}

/// How much [`Model::draw_flows_with`] records beside the cash and budget rows: each level
/// records everything the one before it does. A run asks for what its outputs read, since
/// every recorded row costs its share of every draw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowDetail {
    /// The cash and budget rows only; `capital` and `wages` stay empty.
    #[default]
    Cash,
    /// Also what the views' VAT terms read (docs/MODEL.md §6c): the wages and the residual and
    /// resale rows of [`CapitalFlows`]. Its start-up lines and reinvestments stay empty.
    Views,
    /// Every row of [`CapitalFlows`] and the wages, as the municipal accounts book them
    /// (docs/MODEL.md §6b).
    Accounts,
}

/// One draw's yearly flows: `[member × horizon + year]` per member row, `[year]` per pooled
/// row. Cash view unless named otherwise; NOK, undiscounted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawFlows {
    n: usize,
    horizon: usize,
    /// Each member's cost alone (both categories).
    pub standalone: Vec<f64>,
    /// Budget minus cash of each member alone.
    pub accounting_alone: Vec<f64>,
    /// What each member pays itself in the cooperation, per category.
    pub direct: [Vec<f64>; 2],
    /// Budget minus cash of each member in the cooperation.
    pub accounting_coop: Vec<f64>,
    /// The cooperation's pooled cost per category, shared by the keys.
    pub pooled: [Vec<f64>; 2],
    /// Budget minus cash of the pooled running cost (shared platform).
    pub pooled_accounting: Vec<f64>,
    /// The parts of the rows above that municipal accounts treat as investments or their
    /// financing (docs/MODEL.md §6b).
    pub capital: CapitalFlows,
    /// The wages inside the rows above (no VAT; docs/MODEL.md §6c): the staffing components
    /// and the lines the scenario names as staff time. Recorded with the capital parts (from
    /// [`FlowDetail::Views`] on).
    pub wages: Wages,
    /// Scratch of [`Model::write_flows`].
    scratch: FlowScratch,
}

/// The amounts inside a draw's cash flows that the municipal accounts view books apart
/// (docs/MODEL.md §6b): start-up lines (projects, of which a share is capitalised), asset
/// reinvestments, resale income and residual values. Each is already contained in the
/// matching cash row of [`DrawFlows`]: `*_alone` in `standalone`, `*_own` in `direct`,
/// `*_pooled` in `pooled`. Per member `[member × horizon + year]`, pooled `[year]`; all
/// amounts are positive as written (resale and residual values reduce the cash rows).
///
/// [`FlowDetail::Views`] records only the residual and resale rows and leaves the others empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapitalFlows {
    /// Start-up cost lines of a member alone.
    pub projects_alone: Vec<f64>,
    /// Start-up cost lines a member pays itself in the cooperation.
    pub projects_own: Vec<f64>,
    /// Pooled start-up cost lines.
    pub projects_pooled: Vec<f64>,
    /// Replacements of a member's own assets, alone.
    pub reinvestment_alone: Vec<f64>,
    /// Replacements of a member's own assets in the cooperation (before it operates).
    pub reinvestment_own: Vec<f64>,
    /// Replacements of the shared platform.
    pub reinvestment_pooled: Vec<f64>,
    /// Residual value of a member's own assets at the horizon, alone.
    pub residual_alone: Vec<f64>,
    /// Residual value of a member's own assets at the horizon, in the cooperation.
    pub residual_own: Vec<f64>,
    /// Residual value of the shared platform at the horizon.
    pub residual_pooled: Vec<f64>,
    /// Resale of a member's retired assets that the member keeps.
    pub resale_own: Vec<f64>,
    /// Resale of retired assets pooled with the transition costs.
    pub resale_pooled: Vec<f64>,
}

impl CapitalFlows {
    /// Zeros the rows `detail` records, empties the others.
    fn reset(&mut self, n: usize, horizon: usize, detail: FlowDetail) {
        for v in [
            &mut self.residual_alone,
            &mut self.residual_own,
            &mut self.resale_own,
        ] {
            zeros(v, n * horizon);
        }
        for v in [&mut self.residual_pooled, &mut self.resale_pooled] {
            zeros(v, horizon);
        }
        let all = detail == FlowDetail::Accounts;
        for v in [
            &mut self.projects_alone,
            &mut self.projects_own,
            &mut self.reinvestment_alone,
            &mut self.reinvestment_own,
        ] {
            zeros(v, if all { n * horizon } else { 0 });
        }
        for v in [&mut self.projects_pooled, &mut self.reinvestment_pooled] {
            zeros(v, if all { horizon } else { 0 });
        }
    }
}

/// The field of [`DrawFlows`] `$flows` that holds `$row`, borrowed as `$($borrow)*` (`&` or
/// `&mut`): the one map from a row to its field, for reading and for writing.
macro_rules! row_field {
    ($flows:expr, $row:expr, $($borrow:tt)*) => {{
        let flows = $flows;
        match $row {
            Row::Standalone => $($borrow)* flows.standalone,
            Row::AccountingAlone => $($borrow)* flows.accounting_alone,
            Row::Direct(k) => $($borrow)* flows.direct[k],
            Row::AccountingCoop => $($borrow)* flows.accounting_coop,
            Row::Pooled(k) => $($borrow)* flows.pooled[k],
            Row::PooledAccounting => $($borrow)* flows.pooled_accounting,
            Row::WagesAlone => $($borrow)* flows.wages.alone,
            Row::WagesOwn => $($borrow)* flows.wages.own,
            Row::WagesPooled(k) => $($borrow)* flows.wages.pooled[k],
            Row::ProjectsAlone => $($borrow)* flows.capital.projects_alone,
            Row::ProjectsOwn => $($borrow)* flows.capital.projects_own,
            Row::ProjectsPooled => $($borrow)* flows.capital.projects_pooled,
            Row::ReinvestmentAlone => $($borrow)* flows.capital.reinvestment_alone,
            Row::ReinvestmentOwn => $($borrow)* flows.capital.reinvestment_own,
            Row::ReinvestmentPooled => $($borrow)* flows.capital.reinvestment_pooled,
            Row::ResidualAlone => $($borrow)* flows.capital.residual_alone,
            Row::ResidualOwn => $($borrow)* flows.capital.residual_own,
            Row::ResidualPooled => $($borrow)* flows.capital.residual_pooled,
            Row::ResaleOwn => $($borrow)* flows.capital.resale_own,
            Row::ResalePooled => $($borrow)* flows.capital.resale_pooled,
        }
    }};
}

impl DrawFlows {
    /// The whole of `row` (every member's years, or the pooled years); inlined, so that a
    /// write whose row is known where it is made does not choose among the rows at run time.
    #[inline(always)]
    fn row_mut(&mut self, row: Row) -> &mut [f64] {
        row_field!(self, row, &mut)
    }

    /// `row`'s amount of `member` (ignored for a pooled row) in year `year`.
    #[inline(always)]
    pub(crate) fn amount(&self, row: Row, member: usize, year: usize) -> f64 {
        let values: &[f64] = row_field!(self, row, &);
        if row.per_member() {
            values[member * self.horizon + year]
        } else {
            values[year]
        }
    }

    /// `row`'s slots of `member` from year `start`, `len` of them.
    #[inline(always)]
    fn slots(&mut self, row: Row, member: usize, start: usize, len: usize) -> &mut [f64] {
        let from = if row.per_member() {
            member * self.horizon + start
        } else {
            start
        };
        &mut self.row_mut(row)[from..from + len]
    }

    fn reset(&mut self, n: usize, horizon: usize, detail: FlowDetail) {
        if detail != FlowDetail::Cash {
            self.capital.reset(n, horizon, detail);
            let [pooled_0, pooled_1] = &mut self.wages.pooled;
            for (v, len) in [
                (&mut self.wages.alone, n * horizon),
                (&mut self.wages.own, n * horizon),
                (pooled_0, horizon),
                (pooled_1, horizon),
            ] {
                zeros(v, len);
            }
        } else {
            self.capital = CapitalFlows::default();
            self.wages = Wages::default();
        }
        self.n = n;
        self.horizon = horizon;
        let per_member = n * horizon;
        let [direct_0, direct_1] = &mut self.direct;
        for v in [
            &mut self.standalone,
            &mut self.accounting_alone,
            direct_0,
            direct_1,
            &mut self.accounting_coop,
        ] {
            zeros(v, per_member);
        }
        let [pooled_0, pooled_1] = &mut self.pooled;
        for v in [pooled_0, pooled_1, &mut self.pooled_accounting] {
            zeros(v, horizon);
        }
    }

    /// Number of members.
    pub fn n_members(&self) -> usize {
        self.n
    }

    /// Number of years.
    pub fn horizon(&self) -> usize {
        self.horizon
    }

    /// The rows every level of detail records: standalone, direct running, direct start-up,
    /// accounting alone, accounting in the cooperation, pooled running, pooled start-up and
    /// pooled accounting (the order of the run's accumulated flows).
    pub fn base_rows(&self) -> [&[f64]; 8] {
        [
            &self.standalone,
            &self.direct[0],
            &self.direct[1],
            &self.accounting_alone,
            &self.accounting_coop,
            &self.pooled[0],
            &self.pooled[1],
            &self.pooled_accounting,
        ]
    }

    /// Whether every amount is finite and at most `limit` in absolute value.
    pub fn all_within(&self, limit: f64) -> bool {
        self.base_rows().iter().all(|v| {
            // One comparison per amount, without branching (NaN compares false, so it is out
            // of range).
            v.iter().fold(true, |ok, x| ok & (x.abs() <= limit))
        })
    }
}

impl FlowSink for DrawFlows {
    #[inline(always)]
    fn add_scaled(&mut self, row: Row, member: usize, start: usize, k: f64, pattern: Pattern<'_>) {
        let values = pattern.values();
        add_scaled(self.slots(row, member, start, values.len()), k, values);
    }

    #[inline(always)]
    fn add_scaled_each(&mut self, row: Row, start: usize, ks: &[f64], pattern: Pattern<'_>) {
        let (h, values) = (self.horizon, pattern.values());
        let members = self.row_mut(row).chunks_exact_mut(h);
        for (slots, &k) in members.zip(ks) {
            add_scaled(&mut slots[start..start + values.len()], k, values);
        }
    }

    #[inline(always)]
    fn add_scaled_each_split(
        &mut self,
        (all, before): (Row, Row),
        until: usize,
        ks: &[f64],
        growth: &[f64],
    ) {
        // One pass over each member's years, as two rows (standalone and own running costs);
        // any other pair of rows row by row.
        let h = self.horizon;
        if (all, before) != (Row::Standalone, Row::Direct(Category::Running.index())) {
            return split_each(self, (all, before), until, ks, growth);
        }
        let rows = self
            .standalone
            .chunks_exact_mut(h)
            .zip(self.direct[Category::Running.index()].chunks_exact_mut(h));
        for ((row, own), &k) in rows.zip(ks) {
            add_scaled_twice(row, own, until, k, growth);
        }
    }

    #[inline(always)]
    fn add_scaled_difference_each(
        &mut self,
        row: Row,
        start: usize,
        ks: &[f64],
        (p, q): (&[f64], &[f64]),
    ) {
        let h = self.horizon;
        let members = self.row_mut(row).chunks_exact_mut(h);
        for (slots, &k) in members.zip(ks) {
            let years = slots[start..start + p.len()].iter_mut().zip(p).zip(q);
            for ((slot, p), q) in years {
                *slot += p * k - q * k;
            }
        }
    }

    #[inline(always)]
    fn add(&mut self, row: Row, member: usize, year: usize, amount: f64) {
        self.slots(row, member, year, 1)[0] += amount;
    }

    #[inline(always)]
    fn add_each(&mut self, row: Row, year: usize, amounts: &[f64]) {
        let h = self.horizon;
        let members = self.row_mut(row).chunks_exact_mut(h);
        for (slots, amount) in members.zip(amounts) {
            slots[year] += amount;
        }
    }
}

impl Model {
    /// Fills `out` with every member's standalone flows and the flows of the cooperation of all
    /// members, for every year of the draw `v` (the same rules as [`Model::coalition_flows`]
    /// for `{i}` and `N`).
    pub fn draw_flows(&self, v: &DrawValues, out: &mut DrawFlows) {
        self.draw_flows_with(v, out, FlowDetail::Accounts);
    }

    /// [`Model::draw_flows`], recording the capital parts ([`CapitalFlows`]) and the wages
    /// only as far as `detail` asks (the municipal accounts need all of them, the VAT of the
    /// NPV views some; a run that needs neither leaves `out.capital` and `out.wages` empty and
    /// skips their cost). The cash rows, and every row recorded, are the same whatever the
    /// level.
    pub fn draw_flows_with(&self, v: &DrawValues, out: &mut DrawFlows, detail: FlowDetail) {
        let mut scratch = std::mem::take(&mut out.scratch);
        self.draw_flows_in(v, out, detail, &mut scratch);
        out.scratch = scratch;
    }

    /// [`Model::draw_flows_with`] with the caller's scratch.
    pub(crate) fn draw_flows_in(
        &self,
        v: &DrawValues,
        out: &mut DrawFlows,
        detail: FlowDetail,
        scratch: &mut FlowScratch,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        out.reset(n, horizon, detail);
        self.write_flows(v, detail, out, scratch);
    }

    /// Writes every amount of draw `v`'s flows into `sink`: the rows `detail` records, each
    /// slot's amounts in the order of [`Model::coalition_flows`] (lines, components with
    /// their parallel operation, governance, assets).
    pub(crate) fn write_flows<S: FlowSink>(
        &self,
        v: &DrawValues,
        detail: FlowDetail,
        sink: &mut S,
        scratch: &mut FlowScratch,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        if horizon == 0 {
            return;
        }
        self.write_lines(v, sink, &mut scratch.parts, detail);
        self.write_components(v, sink, scratch, detail != FlowDetail::Cash);
        if n >= 2 {
            scratch.ones.resize(horizon, 1.0);
            let ones = Pattern::Growth(&scratch.ones);
            let running = Row::Pooled(Category::Running.index());
            sink.add_scaled(running, 0, 0, v.organisation.governance, ones);
        }
        if let Some(assets) = &v.assets {
            self.write_assets(assets, sink, scratch, detail);
        }
    }

    /// The lines' part of [`Model::write_flows`]: each year's slots receive the lines in line
    /// order, as in `coalition_flows`.
    fn write_lines<S: FlowSink>(
        &self,
        v: &DrawValues,
        sink: &mut S,
        parts: &mut Vec<f64>,
        detail: FlowDetail,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let pool_transition = self.pool_transition_costs && n >= 2;
        for (l, (line, coef)) in self.lines.iter().zip(&v.lines).enumerate() {
            let last = line.years.1.min(horizon - 1);
            if line.years.0 > last {
                continue;
            }
            let years = line.years.0..last + 1;
            let cat = line.category.index();
            let wage = detail != FlowDetail::Cash && self.accounts.vat.wage_lines.contains(&l);
            let project = line.category == Category::StartUp;
            let book = project && detail == FlowDetail::Accounts;
            // The line's year-independent parts: each member's.
            parts.clear();
            parts.extend((0..n).map(|i| self.member_part(coef, i)));
            // Alone: how a line applies to a coalition of one does not depend on the year.
            if line.occurs.applies(1, years.start, t0) == Applies::AsBasis {
                let growth = Pattern::Growth(&coef.growth_factors[years.clone()]);
                sink.add_scaled_each(Row::Standalone, years.start, parts, growth);
                if book {
                    sink.add_scaled_each(Row::ProjectsAlone, years.start, parts, growth);
                }
                if wage {
                    sink.add_scaled_each(Row::WagesAlone, years.start, parts, growth);
                }
            }
            // In the cooperation: one way over a run of years, not at all in the others.
            let (applies, span) = line.occurs.applies_over(n, years, t0);
            let growth = Pattern::Growth(&coef.growth_factors[span.clone()]);
            let from = span.start;
            match (applies, line.basis) {
                (Applies::No, _) => {}
                (Applies::AsBasis, Basis::Pooled) if n >= 2 => {
                    let pooled_part = self.pooled_part(coef, 0..n);
                    sink.add_scaled(Row::Pooled(cat), 0, from, pooled_part, growth);
                    if book {
                        sink.add_scaled(Row::ProjectsPooled, 0, from, pooled_part, growth);
                    }
                    if wage {
                        sink.add_scaled(Row::WagesPooled(cat), 0, from, pooled_part, growth);
                    }
                }
                _ if project && pool_transition => {
                    // Member by member, so each year's slot receives the members in order.
                    for &part in parts.iter() {
                        sink.add_scaled(Row::Pooled(cat), 0, from, part, growth);
                        if book {
                            sink.add_scaled(Row::ProjectsPooled, 0, from, part, growth);
                        }
                        if wage {
                            sink.add_scaled(Row::WagesPooled(cat), 0, from, part, growth);
                        }
                    }
                }
                _ => {
                    sink.add_scaled_each(Row::Direct(cat), from, parts, growth);
                    if book {
                        sink.add_scaled_each(Row::ProjectsOwn, from, parts, growth);
                    }
                    if wage {
                        sink.add_scaled_each(Row::WagesOwn, from, parts, growth);
                    }
                }
            }
        }
    }

    /// The components' part of [`Model::write_flows`], each with its parallel operation; the
    /// staffing components' wages too when `capital` is set.
    fn write_components<S: FlowSink>(
        &self,
        v: &DrawValues,
        sink: &mut S,
        scratch: &mut FlowScratch,
        capital: bool,
    ) {
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        let (months, share) = v.parallel;
        let FlowScratch {
            parts: costs,
            others: amounts,
            years: pooled_years,
            ..
        } = scratch;
        for (component, values) in self.components.iter().zip(&v.components) {
            // Each member's own cost: every year alone, and in the cooperation until pooled.
            let growth = &values.growth_factors[..horizon];
            let pooled_from = if n < 2 {
                horizon
            } else {
                component.pooled_from.min(horizon)
            };
            let staffing = component.is_staffing();
            let wage = capital && staffing;
            costs.clear();
            costs.extend(values.alone.iter().map(|alone| alone.nok));
            let own = (Row::Standalone, Row::Direct(running));
            sink.add_scaled_each_split(own, pooled_from, costs, growth);
            if wage {
                let wages = (Row::WagesAlone, Row::WagesOwn);
                sink.add_scaled_each_split(wages, pooled_from, costs, growth);
            }
            if pooled_from >= horizon {
                continue;
            }
            // Pooled: the cooperation's cost, the one-off cost of taking over staff. The staff
            // transferred is the same every year, so it is summed once.
            let transferred = if staffing && v.organisation.holds_staff {
                (0..n).map(|i| values.transferred_fte(i)).sum()
            } else {
                0.0
            };
            let pooled_factor = v.organisation.pooled_factor(staffing);
            pooled_years.clear();
            let mut one_off = None;
            for (year, &growth) in growth.iter().enumerate().skip(pooled_from) {
                let cost = self.pooled_component_cost(
                    v,
                    component,
                    values,
                    values.grand,
                    || transferred,
                    year,
                );
                pooled_years.push(cost * pooled_factor * growth);
                if staffing && year == component.pooled_from {
                    let staff = v.organisation.staff_one_off * cost;
                    one_off = Some(staff * v.organisation.price_factor * growth);
                }
            }
            // Each year's amount once (1 · amount is the amount).
            let pooled = Pattern::Draw(pooled_years);
            sink.add_scaled(Row::Pooled(running), 0, pooled_from, 1.0, pooled);
            if let Some(one_off) = one_off {
                sink.add(Row::Pooled(startup), 0, component.pooled_from, one_off);
            }
            if wage {
                sink.add_scaled(Row::WagesPooled(running), 0, pooled_from, 1.0, pooled);
                if let Some(one_off) = one_off {
                    sink.add(Row::WagesPooled(startup), 0, component.pooled_from, one_off);
                }
            }
            // Each member's retained role once pooled.
            let pooled_growth = Pattern::Growth(&growth[pooled_from..]);
            costs.clear();
            costs.extend(values.retained.iter().map(|role| role.nok));
            sink.add_scaled_each(Row::Direct(running), pooled_from, costs, pooled_growth);
            if wage {
                sink.add_scaled_each(Row::WagesOwn, pooled_from, costs, pooled_growth);
            }
            // Parallel operation: in the pooling year and the next at most.
            if share == 0.0 {
                continue;
            }
            for year in pooled_from..horizon.min(component.pooled_from + 2) {
                let fraction = parallel_fraction(months, year - component.pooled_from);
                if fraction == 0.0 {
                    continue;
                }
                let growth = growth[year];
                amounts.clear();
                amounts.extend(
                    values
                        .alone
                        .iter()
                        .map(|alone| share * fraction * alone.nok * growth),
                );
                if self.pool_transition_costs {
                    // Member by member into the one pooled slot.
                    for &amount in amounts.iter() {
                        sink.add(Row::Pooled(startup), 0, year, amount);
                        if wage {
                            sink.add(Row::WagesPooled(startup), 0, year, amount);
                        }
                    }
                } else {
                    sink.add_each(Row::Direct(startup), year, amounts);
                    if wage {
                        sink.add_each(Row::WagesOwn, year, amounts);
                    }
                }
            }
        }
    }

    /// The existing assets' part of [`Model::write_flows`]: a member's asset events are its
    /// population times those of one inhabitant, tabulated once per draw.
    fn write_assets<S: FlowSink>(
        &self,
        assets: &AssetValues,
        sink: &mut S,
        scratch: &mut FlowScratch,
        detail: FlowDetail,
    ) {
        // The residual and resale values from `FlowDetail::Views` on, the reinvestments for
        // the accounts only.
        let capital = detail != FlowDetail::Cash;
        let reinvestments = detail == FlowDetail::Accounts;
        let (n, horizon) = (self.n_members(), self.horizon_years);
        let t0 = self.operation_start;
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        let population: f64 = self.members.iter().map(|m| m.population).sum();
        let FlowScratch {
            parts: populations,
            others: amounts,
            years: platform,
            other_years: platform_book,
            asset_years,
            reinvestment,
            depreciation,
            ..
        } = scratch;
        assets.standalone_years(1.0, horizon, asset_years);
        let table = &asset_years[..];
        reinvestment.clear();
        reinvestment.extend(table.iter().map(|y| y.reinvestment));
        depreciation.clear();
        depreciation.extend(table.iter().map(|y| y.depreciation));
        let (reinvested, depreciated) = (&reinvestment[..], &depreciation[..]);
        populations.clear();
        populations.extend(self.members.iter().map(|m| m.population));
        let last = horizon - 1;
        // `AssetValues::standalone_residual(1, horizon)`, from the table.
        let residual_per_inhabitant = if assets.residual_value {
            table[last].book_value_end()
        } else {
            0.0
        };
        // Years in which a member of the cooperation still keeps its own assets; from
        // `operation_start` on they are retired (resold and written off in that year).
        let own_until = if n < 2 { horizon } else { t0.min(horizon) };
        let own = (&reinvested[..own_until], &depreciated[..own_until]);
        // Each member's residual value, and its negative.
        let residual = |amounts: &mut Vec<f64>, sign: f64| {
            amounts.clear();
            amounts.extend(
                populations
                    .iter()
                    .map(|pop| sign * (residual_per_inhabitant * pop)),
            );
        };
        // Alone, every year.
        sink.add_scaled_each(Row::Standalone, 0, populations, Pattern::Draw(reinvested));
        let book = (depreciated, reinvested);
        sink.add_scaled_difference_each(Row::AccountingAlone, 0, populations, book);
        residual(amounts, -1.0);
        sink.add_each(Row::Standalone, last, amounts);
        residual(amounts, 1.0);
        sink.add_each(Row::AccountingAlone, last, amounts);
        if reinvestments {
            let pattern = Pattern::Draw(reinvested);
            sink.add_scaled_each(Row::ReinvestmentAlone, 0, populations, pattern);
        }
        if capital {
            sink.add_each(Row::ResidualAlone, last, amounts);
        }
        // In the cooperation, while the members keep their own assets.
        sink.add_scaled_each(Row::Direct(running), 0, populations, Pattern::Draw(own.0));
        sink.add_scaled_difference_each(Row::AccountingCoop, 0, populations, (own.1, own.0));
        if reinvestments {
            sink.add_scaled_each(Row::ReinvestmentOwn, 0, populations, Pattern::Draw(own.0));
        }
        if own_until == horizon {
            residual(amounts, -1.0);
            sink.add_each(Row::Direct(running), last, amounts);
            residual(amounts, 1.0);
            sink.add_each(Row::AccountingCoop, last, amounts);
            if capital {
                sink.add_each(Row::ResidualOwn, last, amounts);
            }
        } else if t0 < horizon {
            // Retired when the cooperation starts operating: the book value held, resold at a
            // share.
            let held = table[t0].book_value_held();
            let resale = |amounts: &mut Vec<f64>, sign: f64| {
                amounts.clear();
                let values = populations.iter().map(|pop| held * pop);
                amounts.extend(values.map(|value| sign * (assets.resale_share * value)));
            };
            if self.pool_transition_costs {
                // Member by member into the one pooled slot.
                resale(amounts, 1.0);
                for &amount in amounts.iter() {
                    sink.add(Row::Pooled(startup), 0, t0, -amount);
                    if capital {
                        sink.add(Row::ResalePooled, 0, t0, amount);
                    }
                }
            } else {
                resale(amounts, -1.0);
                sink.add_each(Row::Direct(startup), t0, amounts);
                if capital {
                    resale(amounts, 1.0);
                    sink.add_each(Row::ResaleOwn, t0, amounts);
                }
            }
            amounts.clear();
            amounts.extend(populations.iter().map(|pop| held * pop));
            sink.add_each(Row::AccountingCoop, t0, amounts);
        }
        if n >= 2 && t0 < horizon {
            // The shared platform, each year's amount once (1 · amount is the amount).
            platform.clear();
            platform_book.clear();
            for year in t0..horizon {
                let event = assets.pooled_year(population, t0, year);
                platform.push(event.reinvestment);
                platform_book.push(event.depreciation - event.reinvestment);
            }
            sink.add_scaled(Row::Pooled(running), 0, t0, 1.0, Pattern::Draw(platform));
            let book = Pattern::Draw(platform_book);
            sink.add_scaled(Row::PooledAccounting, 0, t0, 1.0, book);
            if reinvestments {
                let pattern = Pattern::Draw(platform);
                sink.add_scaled(Row::ReinvestmentPooled, 0, t0, 1.0, pattern);
            }
            let residual = assets.pooled_residual(population, t0, horizon);
            sink.add(Row::Pooled(running), 0, last, -residual.value);
            sink.add(Row::PooledAccounting, 0, last, residual.depreciated);
            if capital {
                sink.add(Row::ResidualPooled, 0, last, residual.value);
            }
        }
    }
}

/// `row[t] += k · growth[t]` over a whole row, and the same amounts to `own[t]` for
/// `t < until`.
#[inline]
fn add_scaled_twice(row: &mut [f64], own: &mut [f64], until: usize, k: f64, growth: &[f64]) {
    let (before, after) = row.split_at_mut(until);
    for ((slot, own), g) in before.iter_mut().zip(&mut own[..until]).zip(growth) {
        let amount = k * g;
        *slot += amount;
        *own += amount;
    }
    add_scaled(after, k, &growth[until..]);
}

/// Makes `v` `len` zeros, in place when it has that length already (every draw after the
/// first).
fn zeros(v: &mut Vec<f64>, len: usize) {
    if v.len() == len {
        v.fill(0.0);
    } else {
        v.clear();
        v.resize(len, 0.0);
    }
}

/// `row[t] += k · growth[t]` over the shorter of the two.
#[inline]
fn add_scaled(row: &mut [f64], k: f64, growth: &[f64]) {
    for (slot, g) in row.iter_mut().zip(growth) {
        *slot += k * g;
    }
}

/// Share of a year's old running cost still paid in parallel operation, `k` years after the
/// component is pooled: `min(m, 12)/12` in the pooling year, `clamp(m − 12, 0, 12)/12` in the
/// next, 0 after.
pub(super) fn parallel_fraction(months: f64, k: usize) -> f64 {
    match k {
        0 => months.clamp(0.0, 12.0) / 12.0,
        1 => (months - 12.0).clamp(0.0, 12.0) / 12.0,
        _ => 0.0,
    }
}
