//! The rows of one draw's flows and where they are written: [`Row`], the [`FlowSink`] that
//! [`Model::write_flows`] writes every amount through, and [`DrawFlows`], the sink that keeps
//! every row year by year (the other sink, which keeps only the rows' discounted sums, is the
//! run's `FlowTape`). What goes into the rows is `flows.rs`.

#[cfg(doc)]
use super::Model;
use super::{AssetYear, Category, Wages};

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

/// The year profile of an amount written with [`FlowSink::add_scaled`], for `L` draws side by
/// side.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pattern<'a, const L: usize = 1> {
    /// Growth factors `g(t)`: the same in every draw of a run whose growth rates are fixed
    /// (one profile for all the draws).
    Growth(&'a [f64]),
    /// Values of these draws, one per draw for each year: the assets' events per inhabitant, a
    /// pooled component's and the shared platform's yearly costs.
    Draw(&'a [[f64; L]]),
}

impl<'a> Pattern<'a, 1> {
    /// The values, one per year from the write's first year.
    pub(crate) fn values(self) -> &'a [f64] {
        match self {
            Pattern::Growth(v) => v,
            Pattern::Draw(v) => v.as_flattened(),
        }
    }
}

/// Where [`Model::write_flows`] puts a draw's amounts: the yearly rows of [`DrawFlows`], or
/// their sums (the run's draws without yearly rows). Every amount is written through these
/// methods, each slot's amounts in the order of [`Model::coalition_flows`]. The `_each`
/// methods write one value per member of a per-member row, member by member.
pub(crate) trait FlowSink<const L: usize = 1> {
    /// `row[member][start + j] += k · pattern[j]` for every `j` (member 0 for a pooled row).
    fn add_scaled(
        &mut self,
        row: Row,
        member: usize,
        start: usize,
        k: [f64; L],
        pattern: Pattern<'_, L>,
    );

    /// `row[i][start + j] += ks[i] · pattern[j]` for every member `i` and every `j`.
    fn add_scaled_each(&mut self, row: Row, start: usize, ks: &[[f64; L]], pattern: Pattern<'_, L>);

    /// [`FlowSink::add_scaled_each`] into `all` over the whole `growth` and into `before`
    /// over its first `until` years, each slot receiving `ks[i] · growth[j]` once.
    fn add_scaled_each_split(
        &mut self,
        (all, before): (Row, Row),
        until: usize,
        ks: &[[f64; L]],
        growth: &[f64],
    ) {
        self.add_scaled_each(all, 0, ks, Pattern::Growth(growth));
        self.add_scaled_each(before, 0, ks, Pattern::Growth(&growth[..until]));
    }

    /// `row[i][start + j] += p[j] · ks[i] − q[j] · ks[i]` for every member `i` and every `j`,
    /// with `(p, q)` of these draws.
    fn add_scaled_difference_each(
        &mut self,
        row: Row,
        start: usize,
        ks: &[[f64; L]],
        pq: (&[[f64; L]], &[[f64; L]]),
    );

    /// `row[member][year] += amount`.
    fn add(&mut self, row: Row, member: usize, year: usize, amount: [f64; L]);

    /// `row[i][year] += amounts[i]` for every member `i`.
    fn add_each(&mut self, row: Row, year: usize, amounts: &[[f64; L]]);
}

/// Scratch of [`Model::write_flows`] for `L` draws side by side.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlowScratch<const L: usize = 1> {
    /// A line's part or a component's cost for each member.
    pub(super) parts: Vec<[f64; L]>,
    /// A second amount per member.
    pub(super) others: Vec<[f64; L]>,
    /// A pooled amount per year, and a second one.
    pub(super) years: Vec<[f64; L]>,
    pub(super) other_years: Vec<[f64; L]>,
    /// 1 in every year.
    pub(super) ones: Vec<f64>,
    /// The asset events of one inhabitant, per draw and year.
    pub(super) asset_years: Vec<Vec<AssetYear>>,
    /// The same events as rows: reinvestment, depreciation.
    pub(super) reinvestment: Vec<[f64; L]>,
    pub(super) depreciation: Vec<[f64; L]>,
}

impl<const L: usize> Default for FlowScratch<L> {
    fn default() -> Self {
        Self {
            parts: Vec::new(),
            others: Vec::new(),
            years: Vec::new(),
            other_years: Vec::new(),
            ones: Vec::new(),
            asset_years: Vec::new(),
            reinvestment: Vec::new(),
            depreciation: Vec::new(),
        }
    }
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
    pub(super) scratch: FlowScratch,
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

    pub(super) fn reset(&mut self, n: usize, horizon: usize, detail: FlowDetail) {
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
    fn add_scaled(
        &mut self,
        row: Row,
        member: usize,
        start: usize,
        [k]: [f64; 1],
        pattern: Pattern<'_>,
    ) {
        let values = pattern.values();
        add_scaled(self.slots(row, member, start, values.len()), k, values);
    }

    #[inline(always)]
    fn add_scaled_each(&mut self, row: Row, start: usize, ks: &[[f64; 1]], pattern: Pattern<'_>) {
        let (h, values) = (self.horizon, pattern.values());
        let members = self.row_mut(row).chunks_exact_mut(h);
        for (slots, &[k]) in members.zip(ks) {
            add_scaled(&mut slots[start..start + values.len()], k, values);
        }
    }

    #[inline(always)]
    fn add_scaled_each_split(
        &mut self,
        (all, before): (Row, Row),
        until: usize,
        ks: &[[f64; 1]],
        growth: &[f64],
    ) {
        // One pass over each member's years, as two rows (standalone and own running costs);
        // any other pair of rows row by row.
        let h = self.horizon;
        if (all, before) != (Row::Standalone, Row::Direct(Category::Running.index())) {
            self.add_scaled_each(all, 0, ks, Pattern::Growth(growth));
            self.add_scaled_each(before, 0, ks, Pattern::Growth(&growth[..until]));
            return;
        }
        let rows = self
            .standalone
            .chunks_exact_mut(h)
            .zip(self.direct[Category::Running.index()].chunks_exact_mut(h));
        for ((row, own), &[k]) in rows.zip(ks) {
            add_scaled_twice(row, own, until, k, growth);
        }
    }

    #[inline(always)]
    fn add_scaled_difference_each(
        &mut self,
        row: Row,
        start: usize,
        ks: &[[f64; 1]],
        (p, q): (&[[f64; 1]], &[[f64; 1]]),
    ) {
        let h = self.horizon;
        let (p, q) = (p.as_flattened(), q.as_flattened());
        let members = self.row_mut(row).chunks_exact_mut(h);
        for (slots, &[k]) in members.zip(ks) {
            let years = slots[start..start + p.len()].iter_mut().zip(p).zip(q);
            for ((slot, p), q) in years {
                *slot += p * k - q * k;
            }
        }
    }

    #[inline(always)]
    fn add(&mut self, row: Row, member: usize, year: usize, [amount]: [f64; 1]) {
        self.slots(row, member, year, 1)[0] += amount;
    }

    #[inline(always)]
    fn add_each(&mut self, row: Row, year: usize, amounts: &[[f64; 1]]) {
        let h = self.horizon;
        let members = self.row_mut(row).chunks_exact_mut(h);
        for (slots, [amount]) in members.zip(amounts) {
            slots[year] += amount;
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
