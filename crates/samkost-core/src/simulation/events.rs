//! The kernel's hooks for membership events (docs/MODEL.md §10b): the year each event takes
//! effect in a draw, and every key's cumulative net benefit with the shares of each year's
//! members and the key-dependent transfers of the events.
//!
//! An ordinary run (no events) never enters this file: [`super::Kernel::flows`] and
//! [`super::Kernel::apply_keys`] test `Model::has_events` once per draw.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::accumulate::KEY_ROWS as PAY_ROWS;
use super::kernel::DrawScratch;
use crate::allocation::ResolvedKey;
use crate::draws::streams;
use crate::model::{EventFlows, Model, Transfer, event_year, shares_among};

/// Sets the year each event of `model` takes effect in draw `draw` of a run with `seed`:
/// fixed events in their year; an event with a yearly probability in the year drawn from one
/// uniform of stream `EVENTS + draw` ([`event_year`]), one uniform per such event in event
/// order.
pub fn draw_effects(model: &Model, seed: u64, draw: Option<u64>, out: &mut EventFlows) {
    out.effect.clear();
    let mut rng = None::<ChaCha8Rng>;
    for event in &model.events {
        let year = match (event.probability, draw) {
            (None, _) => Some(event.year),
            (Some(p), Some(d)) => {
                let rng = rng.get_or_insert_with(|| {
                    let mut r = ChaCha8Rng::seed_from_u64(seed);
                    r.set_stream(streams::EVENTS + d);
                    r
                });
                let u: f64 = rng.random();
                event_year(event.year, p, u, model.horizon_years)
            }
            // Outside a run (an evaluation at chosen inputs), an uncertain event does not
            // happen.
            (Some(_), None) => None,
        };
        out.effect.push(year);
    }
}

/// Every key's cumulative net benefit and NPV when the membership changes (the event path of
/// [`super::Kernel::apply_keys`]):
///
/// ```text
/// cum_ki(t) = B_i(t) − Σ_{τ≤t} d(τ) (Σ_c s_ki^c(τ) p_c(τ) + x_ki(τ))
/// ```
///
/// with `s_ki^c(τ)` the key's shares among the members of year `τ` ([`shares_among`]) and
/// `x_ki(τ)` what the events' transfers make member `i` pay in year `τ` under key `k`. Also
/// fills `s.key_pay`: per key, member and [`PAY_ROWS`] row, the year's payment to the
/// cooperation, for the mean payments.
pub(super) fn apply_keys_with_events(
    model: &Model,
    keys: &[ResolvedKey],
    discount: &[f64],
    s: &mut DrawScratch,
) {
    let n_keys = keys.len();
    let (n, h) = (model.n_members(), discount.len());
    let cols = n_keys * n;
    s.cumulative.resize(cols * h, 0.0);
    s.npv.resize(cols + 1, 0.0);
    s.key_pay.clear();
    s.key_pay.resize(cols * PAY_ROWS * h, 0.0);
    let f = &s.flows;
    let ev = &s.events;
    let mut year_shares = [Vec::new(), Vec::new()];
    let mut before = Vec::new();
    let mut leaver = Vec::new();
    // The members before the first year: none.
    let nobody = vec![false; n];
    for (k, shares) in s.shares.iter().enumerate().take(n_keys) {
        let pay = &mut s.key_pay[k * n * PAY_ROWS * h..(k + 1) * n * PAY_ROWS * h];
        let mut last_in = 0;
        for t in 0..h {
            // A year without members (wound up) shares its pooled amount, the wind-up's net
            // cost, among the members of the last year that had some.
            let row = &ev.member_in[t * n..(t + 1) * n];
            if row.iter().any(|&m| m) || t == 0 {
                last_in = t;
            }
            let member_in = &ev.member_in[last_in * n..(last_in + 1) * n];
            // The key's shares of the year (a key on a driver given by year, §5a, takes that
            // year's), renormalised over the year's members.
            for c in 0..2 {
                let base = match &keys[k].yearly {
                    Some(yearly) => yearly.year(c, t),
                    None => &shares[c][..],
                };
                shares_among(base, member_in, &mut year_shares[c]);
            }
            let [run, start] = &year_shares;
            for (i, (s0, s1)) in run.iter().zip(start).enumerate() {
                let row = (i * PAY_ROWS) * h + t;
                pay[row] = s0 * f.pooled[0][t];
                pay[row + h] = s1 * f.pooled[1][t];
                pay[row + 2 * h] = s0 * f.pooled_accounting[t];
            }
        }
        for transfer in &ev.transfers {
            let y = transfer.year();
            // Running shares among the members of the year before the event and of its year.
            let prior = match y {
                0 => &nobody[..],
                _ => &ev.member_in[(y - 1) * n..y * n],
            };
            let running = |t: usize| match &keys[k].yearly {
                Some(yearly) => yearly.year(0, t),
                None => &shares[0][..],
            };
            shares_among(running(y.saturating_sub(1)), prior, &mut before);
            shares_among(
                running(y),
                &ev.member_in[y * n..(y + 1) * n],
                &mut year_shares[0],
            );
            let mut add = |i: usize, amount: f64| pay[(i * PAY_ROWS + 1) * h + y] += amount;
            match *transfer {
                Transfer::Settle { member, base, .. } => {
                    // The leaver's share of the leave year among the members before it, as
                    // stability over time values leaving (§10a).
                    shares_among(running(y), prior, &mut leaver);
                    let amount = leaver[member] * base;
                    add(member, -amount);
                    for (j, sh) in year_shares[0].iter().enumerate() {
                        add(j, sh * amount);
                    }
                }
                Transfer::BuyIn {
                    member, fee, base, ..
                } => {
                    let amount = fee + year_shares[0][member] * base;
                    add(member, amount);
                    for (j, sh) in before.iter().enumerate() {
                        add(j, -sh * amount);
                    }
                }
            }
        }
        for i in 0..n {
            let mut acc = 0.0;
            let row = i * PAY_ROWS * h;
            for (t, d) in discount.iter().enumerate() {
                acc += d * (pay[row + t] + pay[row + h + t]);
                s.cumulative[t * cols + k * n + i] = s.base[t * n + i] - acc;
            }
        }
    }
}
