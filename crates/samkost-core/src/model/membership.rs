//! Membership that changes over the horizon (docs/MODEL.md §10b): a member leaves in year `Y`,
//! a member joins in year `Y`, or the cooperation is wound up in year `Y`.
//!
//! [`Model::apply_events`] takes one draw's flows of [`Model::draw_flows`] (every member alone
//! and the cooperation of all members) and rewrites the cooperation's rows of every year whose
//! membership `M(t)` is not all members with [`Model::coalition_flows`] of `M(t)` — the
//! definition — and each member outside `M(t)` paying its standalone cost. The one-off costs of
//! an event that do not depend on the key (a leaver's restart and the stock it buys back, a
//! joiner's parallel operation and retired assets) are added to the member's own start-up
//! costs, by the rules of docs/MODEL.md §10a (`exit.rs`), so that a fixed leave event and the
//! stability-over-time check cannot disagree. The transfers that depend on the key (the
//! settlement of a leaver's share of the platform, a joiner's buy-in, a wind-up's proceeds)
//! are recorded as [`Transfer`]s for the kernel, which applies each key's shares of the year.

use super::{Category, CoalitionFlows, DrawFlows, DrawValues, Model, Scratch};

/// What happens to the membership.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The member leaves: it is out from the event's year on.
    Leave {
        /// Member index.
        member: usize,
    },
    /// The member joins: it is alone before the event's year and in from it on.
    Join {
        /// Member index.
        member: usize,
        /// Entry fee paid to the members already in, NOK (first-year prices).
        entry_fee: f64,
        /// Whether the joiner buys its share of the platform's book value from the members
        /// already in.
        buy_in: bool,
        /// The joiner's own transition cost in the join year (project, conversion), NOK.
        transition_cost: f64,
    },
    /// The cooperation is wound up: every member is alone from the event's year on.
    WindUp {
        /// Cost of winding the cooperation up, NOK, shared by the members' running shares.
        cost: f64,
    },
}

/// A membership event, fixed or with a yearly probability.
#[derive(Debug, Clone, PartialEq)]
pub struct MembershipEvent {
    /// What happens.
    pub kind: EventKind,
    /// Year index from which the event takes effect (fixed) or the first year in which it may
    /// take effect (with a probability).
    pub year: usize,
    /// Years of notice before the effect (reported; a draw's costs are known to the
    /// comparison, so the notice does not change a number).
    pub notice_years: usize,
    /// `None`: the event happens in `year`. `Some(p)`: in each year from `year` on, the event
    /// happens with probability `p` if it has not yet happened; drawn per draw from the
    /// events' own random stream.
    pub probability: Option<f64>,
}

impl MembershipEvent {
    /// The member the event is about (none for a wind-up).
    pub fn member(&self) -> Option<usize> {
        match self.kind {
            EventKind::Leave { member } | EventKind::Join { member, .. } => Some(member),
            EventKind::WindUp { .. } => None,
        }
    }
}

/// How a member that leaves is settled (docs/MODEL.md §10a, §10b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Settlement {
    /// Its running share of the shared platform's book value (IKS-loven § 30: the net value of
    /// its share, the agreement setting the cap at its contribution aside).
    #[default]
    BookValue,
    /// Nothing (the statutory cap at a contribution of nothing, or an agreement that pays no
    /// share out).
    None,
}

impl Settlement {
    /// The factor on a leaver's share of the book value: 1 or 0.
    pub fn factor(self) -> f64 {
        match self {
            Settlement::BookValue => 1.0,
            Settlement::None => 0.0,
        }
    }
}

/// The exit rules of a scenario's `[exit]`, used by stability over time (§10a) and by the
/// membership events (§10b) alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitRules {
    /// How a leaver is settled.
    pub settlement: Settlement,
    /// Years of notice of a leave when its event gives none.
    pub notice_years: usize,
}

impl Default for ExitRules {
    fn default() -> Self {
        Self {
            settlement: Settlement::BookValue,
            notice_years: 1,
        }
    }
}

/// A transfer between members in one year whose size depends on the key's running shares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transfer {
    /// The leaver receives its running share of the year before its exit times `base` (the
    /// platform's book value), paid by the members that stay by their running shares.
    Settle {
        /// Year index.
        year: usize,
        /// Leaver.
        member: usize,
        /// `BV(Y)`, NOK.
        base: f64,
    },
    /// The joiner pays `fee` plus its running share in the join year times `base`, received
    /// by the members already in by their running shares of the year before.
    BuyIn {
        /// Year index.
        year: usize,
        /// Joiner.
        member: usize,
        /// Entry fee, NOK.
        fee: f64,
        /// Book value of the platform the joiner buys a share of (0 without a buy-in), NOK.
        base: f64,
    },
}

impl Transfer {
    /// Year index of the transfer.
    pub fn year(&self) -> usize {
        match *self {
            Transfer::Settle { year, .. } | Transfer::BuyIn { year, .. } => year,
        }
    }
}

/// One draw's membership and transfers, and the buffers to compute them.
#[derive(Debug, Clone, Default)]
pub struct EventFlows {
    /// Whether member `i` is in the cooperation in year `t`: `[t × n + i]`.
    pub member_in: Vec<bool>,
    /// The year each event takes effect in this draw (`None`: not within the horizon).
    pub effect: Vec<Option<usize>>,
    /// Key-dependent transfers, in year order.
    pub transfers: Vec<Transfer>,
    coalition: Vec<usize>,
    scratch: Scratch,
    out: CoalitionFlows,
}

/// The year in which an event with yearly probability `p` from year `first` on happens, given
/// one uniform `u ∈ [0, 1)`: the first year `t ≥ first` with
/// `u < 1 − (1 − p)^(t − first + 1)`, i.e. a geometric number of years; `None` beyond the
/// horizon.
pub fn event_year(first: usize, p: f64, u: f64, horizon: usize) -> Option<usize> {
    let mut none_yet = 1.0;
    for t in first..horizon {
        none_yet *= 1.0 - p;
        if u < 1.0 - none_yet {
            return Some(t);
        }
    }
    None
}

impl Model {
    /// Whether the scenario has membership events.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The members of the cooperation in each year, given the year each event takes effect in
    /// (`effect[e]`, `None`: not within the horizon). Members that join are out until their
    /// join year; every event applies from its year on, in event order within a year.
    pub fn membership(&self, effect: &[Option<usize>], member_in: &mut Vec<bool>) {
        let (n, h) = (self.n_members(), self.horizon_years);
        let mut now = vec![true; n];
        for event in &self.events {
            if let EventKind::Join { member, .. } = event.kind {
                now[member] = false;
            }
        }
        member_in.clear();
        for t in 0..h {
            for (event, year) in self.events.iter().zip(effect) {
                if *year != Some(t) {
                    continue;
                }
                match event.kind {
                    EventKind::Leave { member } => now[member] = false,
                    EventKind::Join { member, .. } => now[member] = true,
                    EventKind::WindUp { .. } => now.fill(false),
                }
            }
            member_in.extend_from_slice(&now);
        }
    }

    /// Rewrites `flows` for the membership of each year (docs/MODEL.md §10b), the events taking
    /// effect in the years `out.effect` (set by the caller), and records the key-dependent
    /// transfers in `out.transfers`.
    pub fn apply_events(&self, v: &DrawValues, flows: &mut DrawFlows, out: &mut EventFlows) {
        let (n, h) = (self.n_members(), self.horizon_years);
        self.membership(&out.effect, &mut out.member_in);
        out.transfers.clear();
        let running = Category::Running.index();
        let startup = Category::StartUp.index();
        for t in 0..h {
            let row = &out.member_in[t * n..(t + 1) * n];
            if row.iter().all(|&x| x) {
                continue;
            }
            out.coalition.clear();
            out.coalition
                .extend((0..n).filter(|&i| out.member_in[t * n + i]));
            flows.pooled[running][t] = 0.0;
            flows.pooled[startup][t] = 0.0;
            flows.pooled_accounting[t] = 0.0;
            if !out.coalition.is_empty() {
                self.coalition_flows(v, &out.coalition, t, &mut out.scratch, &mut out.out);
                flows.pooled[running][t] = out.out.pooled[running];
                flows.pooled[startup][t] = out.out.pooled[startup];
                flows.pooled_accounting[t] = out.out.pooled_accounting;
                for (pos, &i) in out.coalition.iter().enumerate() {
                    flows.direct[running][i * h + t] = out.out.direct[running][pos];
                    flows.direct[startup][i * h + t] = out.out.direct[startup][pos];
                    flows.accounting_coop[i * h + t] = out.out.accounting[pos];
                }
            }
            for i in 0..n {
                if out.member_in[t * n + i] {
                    continue;
                }
                self.coalition_flows(v, &[i], t, &mut out.scratch, &mut out.out);
                let (own_running, own_startup) =
                    (out.out.direct[running][0], out.out.direct[startup][0]);
                flows.direct[running][i * h + t] = own_running;
                flows.direct[startup][i * h + t] = own_startup;
                flows.accounting_coop[i * h + t] = out.out.accounting[0];
                // Outside the cooperation the member pays what it pays alone, so its net
                // benefit that year is zero: its cost alone is written as the sum of the two
                // rows just written (the same amounts; `draw_flows` adds them in another
                // order, whose last-bit difference would count as a gain or loss).
                flows.standalone[i * h + t] = own_running + own_startup;
                flows.accounting_alone[i * h + t] = out.out.accounting[0];
            }
        }
        self.event_costs(v, flows, out);
    }

    /// The one-off costs of each event in its year: the key-independent ones into the
    /// members' own start-up costs, the key-dependent ones as transfers.
    fn event_costs(&self, v: &DrawValues, flows: &mut DrawFlows, out: &mut EventFlows) {
        let (n, h) = (self.n_members(), self.horizon_years);
        let startup = Category::StartUp.index();
        let (months, share) = v.parallel;
        // The restart fraction of §10a: the draw's parallel operation, `s · m / 12`.
        let f = share * months / 12.0;
        for (e, event) in self.events.iter().enumerate() {
            let Some(y) = out.effect[e] else { continue };
            if y >= h {
                continue;
            }
            let before: Vec<usize> = if y == 0 {
                Vec::new()
            } else {
                (0..n).filter(|&i| out.member_in[(y - 1) * n + i]).collect()
            };
            let population: f64 = before.iter().map(|&i| self.members[i].population).sum();
            // `BV(Y)`: the book value the platform of the members before the event holds at
            // the start of `Y` (before its replacement), §10a.
            let book_value = match &v.assets {
                Some(a) if before.len() >= 2 => {
                    a.platform_book_value_held(population, self.operation_start, y)
                }
                _ => 0.0,
            };
            let own_stock = |i: usize| {
                v.assets.as_ref().map_or(0.0, |a| {
                    self.members[i].population * a.standalone_year(1.0, y).book_value_held()
                })
            };
            let mut restart = |i: usize, flows: &mut DrawFlows| {
                self.coalition_flows(v, &[i], y, &mut out.scratch, &mut out.out);
                let run = out.out.direct[Category::Running.index()][0];
                flows.direct[startup][i * h + y] += f * run;
            };
            match event.kind {
                EventKind::Leave { member } => {
                    // The stock it buys back is an investment: depreciated from `Y` on in its
                    // standalone path, so the budget view leaves the purchase out.
                    restart(member, flows);
                    let stock = own_stock(member);
                    flows.direct[startup][member * h + y] += stock;
                    flows.accounting_coop[member * h + y] -= stock;
                    out.transfers.push(Transfer::Settle {
                        year: y,
                        member,
                        base: self.exit.settlement.factor() * book_value,
                    });
                }
                EventKind::Join {
                    member,
                    entry_fee,
                    buy_in,
                    transition_cost,
                } => {
                    // Its old systems run on while it moves in (parallel operation, §4b), its own
                    // assets are retired and sold at the resale share, the write-off in the
                    // budget view.
                    restart(member, flows);
                    let held = own_stock(member);
                    let resale = v.assets.as_ref().map_or(0.0, |a| a.resale_share) * held;
                    flows.direct[startup][member * h + y] += transition_cost - resale;
                    flows.accounting_coop[member * h + y] += held;
                    out.transfers.push(Transfer::BuyIn {
                        year: y,
                        member,
                        fee: entry_fee,
                        base: if buy_in { book_value } else { 0.0 },
                    });
                }
                EventKind::WindUp { cost } => {
                    for &i in &before {
                        restart(i, flows);
                        let stock = own_stock(i);
                        flows.direct[startup][i * h + y] += stock;
                        flows.accounting_coop[i * h + y] -= stock;
                    }
                    // The platform sold at the resale share, less the wind-up's cost: a pooled
                    // start-up amount of the year, shared by the members of the year before.
                    let resale = v.assets.as_ref().map_or(0.0, |a| a.resale_share);
                    flows.pooled[startup][y] += cost - resale * book_value;
                }
            }
        }
    }
}

/// The shares of a key among the members of year `t`: `s_i · [i ∈ M(t)] / Σ_{j∈M(t)} s_j`,
/// equal shares among them when their shares sum to zero, none when no member is in
/// (docs/MODEL.md §10b; the kernel then shares a wind-up year's pooled amount among the
/// members of the year before).
pub fn shares_among(shares: &[f64], member_in: &[bool], out: &mut Vec<f64>) {
    out.clear();
    let sum: f64 = shares
        .iter()
        .zip(member_in)
        .filter(|(_, m)| **m)
        .map(|(s, _)| s)
        .sum();
    let count = member_in.iter().filter(|m| **m).count();
    if sum > 0.0 {
        out.extend(
            shares
                .iter()
                .zip(member_in)
                .map(|(s, &m)| if m { s / sum } else { 0.0 }),
        );
    } else if count > 0 {
        let equal = 1.0 / count as f64;
        out.extend(member_in.iter().map(|&m| if m { equal } else { 0.0 }));
    } else {
        out.resize(shares.len(), 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_year_is_geometric() {
        // P(first year) = p; P(second) = (1 − p) p.
        let p = 0.1;
        assert_eq!(event_year(3, p, 0.05, 10), Some(3));
        assert_eq!(event_year(3, p, 0.15, 10), Some(4));
        assert_eq!(event_year(3, p, 0.999, 10), None);
        assert_eq!(event_year(3, 1.0, 0.999, 10), Some(3));
        assert_eq!(event_year(3, 0.0, 0.0, 10), None);
    }

    #[test]
    fn shares_among_the_members_of_a_year_are_renormalised() {
        let mut out = Vec::new();
        shares_among(&[0.5, 0.3, 0.2], &[true, false, true], &mut out);
        assert!((out[0] - 0.5 / 0.7).abs() < 1e-15 && out[1] == 0.0);
        assert!((out[2] - 0.2 / 0.7).abs() < 1e-15);
        shares_among(&[0.0, 1.0, 0.0], &[true, false, true], &mut out);
        assert_eq!(out, vec![0.5, 0.0, 0.5]);
        shares_among(&[0.5, 0.5], &[false, false], &mut out);
        assert_eq!(out, vec![0.0, 0.0]);
    }
}
