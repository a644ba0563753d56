//! [`run`]: the Monte Carlo driver.
//!
//! Draws run in chunks of [`CHUNK_DRAWS`] on rayon's pool, block by block of
//! [`DESIGN_BLOCK_DRAWS`] (one sampling design per block). Each chunk writes its draws' NPVs,
//! the region's cumulative net benefit and the band draws' cumulative net benefits straight
//! into the run's column buffers (disjoint slices, so no chunk waits for another and nothing
//! is copied), and returns only its counts and sums, merged in chunk order. What a chunk does
//! with its draws is `chunk.rs`.

use rayon::prelude::*;

use super::accounts::MeanAccounts;
use super::accumulate::{ChunkOutput, KEY_ROWS, Layout, Totals};
use super::chunk::{ChunkContext, ChunkSlots};
use super::columns::ColumnBuffer;
use super::kept::KeptNpv;
use super::kernel::Kernel;
use super::results::{KeyOutcome, MeanFlows, MemberOutcome, RunResults};
use super::stability::GameBuffers;
use super::{CHUNK_DRAWS, Progress, RunConfig, SimulationError};
use crate::allocation::ResolvedKey;
use crate::draws::{DESIGN_BLOCK_DRAWS, ParameterDesign};
use crate::model::{CoalitionTable, Model};
use crate::stats::{Proportion, Summary};

/// The run's per-draw columns: `npv[col × n_draws + draw]` (keys × members, then the region),
/// `region[year × n_draws + draw]` and `views[value × n_draws + draw]` (what the budget and
/// socio-economic NPVs are computed from besides the NPVs, `views::stored_len`) when the run
/// keeps its draws, and
/// `band[(year × cols + col) × band_draws + draw]` for the fan bands (the year-major layout of
/// the kernel's cumulative values).
struct Columns {
    npv: ColumnBuffer,
    region: ColumnBuffer,
    views: ColumnBuffer,
    band: ColumnBuffer,
}

thread_local! {
    /// NPV columns computed again for their summaries (`KeptNpv::column`), kept by each thread
    /// from one group of columns to the next: fresh memory for each group would be zeroed by
    /// the kernel page by page.
    static REBUILT: std::cell::RefCell<Vec<Vec<f64>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Cuts every column of `buffer` (columns of `len` values) to the draws `range` and hands the
/// pieces out to chunks of [`CHUNK_DRAWS`] draws: `slots[chunk][column]`.
fn cut_columns(
    buffer: &mut [f64],
    len: usize,
    range: std::ops::Range<usize>,
    n_chunks: usize,
) -> Vec<Vec<&mut [f64]>> {
    let mut slots: Vec<Vec<&mut [f64]>> = (0..n_chunks).map(|_| Vec::new()).collect();
    if len == 0 || range.is_empty() {
        return slots;
    }
    for column in buffer.chunks_mut(len) {
        for (slot, piece) in slots
            .iter_mut()
            .zip(column[range.clone()].chunks_mut(CHUNK_DRAWS as usize))
        {
            slot.push(piece);
        }
    }
    slots
}

/// Runs the simulation.
pub fn run(
    model: &Model,
    keys: &[ResolvedKey],
    config: &RunConfig,
    progress: &dyn Progress,
) -> Result<RunResults, SimulationError> {
    let n = model.n_members();
    if config.n_draws == 0 {
        return Err(SimulationError::NoDraws);
    }
    if n < 2 {
        return Err(SimulationError::TooFewMembers(n));
    }
    if let Some(bad) = keys.iter().find(|k| k.shares.iter().any(|s| s.len() != n)) {
        return Err(SimulationError::KeyShape(bad.name.clone()));
    }
    let layout = Layout::new(model, keys, config);
    let kernel = Kernel::new(model, keys).with_detail(model.flow_detail(layout.accounts));
    let needs_table = layout.n_masks > 0 && (layout.any_ex_post || layout.stability_draws > 0);
    let table = needs_table.then(|| CoalitionTable::new(model));
    let rows = config.n_draws as usize;
    let band_rows = layout.band_draws as usize;
    let kept = if layout.store_draws { rows } else { 0 };
    // The region's yearly values are kept only for the detailed outputs' bands.
    let region_kept = if layout.detailed { kept } else { 0 };
    let mut columns = Columns {
        npv: ColumnBuffer::zeroed(layout.kept.width() * kept),
        region: ColumnBuffer::zeroed(layout.horizon * region_kept),
        views: ColumnBuffer::zeroed(super::views::stored_len(&layout) * kept),
        band: ColumnBuffer::zeroed(layout.band_width() * band_rows),
    };
    let mut totals = Totals::new(&layout);
    let mut block_start = 0;
    while block_start < config.n_draws {
        let block_end = (block_start + DESIGN_BLOCK_DRAWS).min(config.n_draws);
        let design =
            ParameterDesign::build(model, config.sampling, block_start..block_end, config.seed)?;
        let n_chunks = (block_end - block_start).div_ceil(CHUNK_DRAWS) as usize;
        let range = block_start as usize..block_end as usize;
        let band_range = range.start.min(band_rows)..range.end.min(band_rows);
        let npv = cut_columns(&mut columns.npv, kept, range.clone(), n_chunks);
        let region = cut_columns(&mut columns.region, region_kept, range.clone(), n_chunks);
        let views = cut_columns(&mut columns.views, kept, range.clone(), n_chunks);
        let band = cut_columns(&mut columns.band, band_rows, band_range, n_chunks);
        let slots: Vec<ChunkSlots<'_>> = npv
            .into_iter()
            .zip(region)
            .zip(views)
            .zip(band)
            .map(|(((npv, region), views), band)| ChunkSlots {
                npv,
                region,
                views,
                band,
            })
            .collect();
        let ctx = ChunkContext {
            kernel: &kernel,
            keys,
            layout: &layout,
            table: table.as_ref(),
            design: design.as_ref(),
            seed: config.seed,
        };
        // One job per chunk: the first chunks hold the stability draws, each several times
        // the cost of a plain draw, so a thread must be able to take over any chunk for the
        // threads to finish together.
        let chunks: Vec<ChunkOutput> = slots
            .into_par_iter()
            .with_max_len(1)
            .enumerate()
            .map_init(
                || (kernel.scratch(), GameBuffers::default()),
                |(scratch, games), (j, slots)| {
                    let start = block_start + j as u64 * CHUNK_DRAWS;
                    let end = (start + CHUNK_DRAWS).min(block_end);
                    let out = ctx.simulate_chunk(start..end, slots, scratch, games);
                    progress.advance(end - start);
                    out
                },
            )
            .collect();
        if let Some(draw) = chunks.iter().find_map(|c| c.first_bad_draw) {
            return Err(SimulationError::NonFinite { draw });
        }
        for chunk in chunks {
            totals.add(chunk);
        }
        block_start = block_end;
    }
    Ok(summarise(
        model,
        keys,
        &layout,
        config.n_draws,
        totals,
        columns,
    ))
}

fn summarise(
    model: &Model,
    keys: &[ResolvedKey],
    layout: &Layout,
    n_draws: u64,
    acc: Totals,
    columns: Columns,
) -> RunResults {
    let (n, horizon, stride) = (layout.n_members, layout.horizon, layout.stride);
    let mean_flows = mean_flows(&acc.flow_sums, keys, layout, n_draws);
    let accounts = layout
        .accounts
        .then(|| MeanAccounts::new(model, &acc.accounts, keys, layout, n_draws));
    let first_operating_year = (model.operation_start < horizon).then_some(model.operation_start);
    let n_rows = n_draws as usize;
    // Each column's summary depends on its values only: in parallel over groups of columns,
    // whose sums interleave (`Summary::from_columns`).
    let kept = KeptNpv::new(layout.kept.clone(), columns.npv, n_rows);
    let summaries: Vec<Summary> = if layout.store_draws {
        let all: Vec<usize> = (0..stride).collect();
        all.par_chunks(crate::stats::COLUMNS_TOGETHER)
            .map(|group| {
                REBUILT.with_borrow_mut(|scratch| {
                    scratch.resize_with(group.len(), Vec::new);
                    let values: Vec<&[f64]> = group
                        .iter()
                        .zip(scratch.iter_mut())
                        .map(|(&c, out)| kept.column(c, out))
                        .collect();
                    Summary::from_columns(&values, !layout.detailed)
                })
            })
            .collect::<Vec<_>>()
            .concat()
    } else {
        (0..stride)
            .into_par_iter()
            .map(|c| Summary::from_sketch(&acc.sketches[c], acc.sums[c], n_draws))
            .collect()
    };
    let summary_of = |c: usize| summaries[c];
    let region_npv = summary_of(stride - 1);
    let keys_out = keys
        .iter()
        .enumerate()
        .map(|(k, key)| {
            let members = (0..n)
                .map(|i| {
                    let col = k * n + i;
                    MemberOutcome {
                        share_first_operating_year: first_year_share(
                            key,
                            &mean_flows,
                            first_operating_year,
                            (k, i),
                        ),
                        npv_net_benefit: summary_of(col),
                        p_win: Proportion::from_count(acc.wins[col], n_draws),
                        payback_year: if layout.detailed {
                            let bins = col * (horizon + 1)..(col + 1) * (horizon + 1);
                            [0.1, 0.5, 0.9].map(|p| payback_quantile(&acc.payback[bins.clone()], p))
                        } else {
                            [None; 3]
                        },
                        p_ahead_by_year: if layout.detailed {
                            (0..horizon)
                                .map(|t| acc.ahead[t * layout.cols() + col] as f64 / n_draws as f64)
                                .collect()
                        } else {
                            Vec::new()
                        },
                        payments: mean_flows.payments(k, i),
                        mean_net_cash_by_year: (0..horizon)
                            .map(|t| mean_flows.net_benefit(k, i, t).0)
                            .collect(),
                        mean_net_budget_by_year: (0..horizon)
                            .map(|t| mean_flows.net_benefit(k, i, t).1)
                            .collect(),
                    }
                })
                .collect();
            KeyOutcome {
                name: key.name.clone(),
                p_all_win: Proportion::from_count(acc.all_win[k], n_draws),
                members,
                share_std_errors: key.share_std_errors.clone(),
                p_core_stable: (acc.checked > 0)
                    .then(|| Proportion::from_count(acc.stable[k], acc.checked)),
                top_breakaway: acc.top_breakaway(layout, k),
                leaving: acc
                    .leaving
                    .summarise(k, model.operation_start, acc.leaving_checked),
            }
        })
        .collect();
    RunResults {
        views: acc.views.results(
            (model, keys),
            layout,
            n_draws,
            layout.store_draws.then_some((&columns.views[..], &kept)),
            acc.checked,
        ),
        n_draws,
        region_npv,
        region_p_win: Proportion::from_count(acc.wins[stride - 1], n_draws),
        keys: keys_out,
        mean_flows,
        accounts,
        first_operating_year,
        band_draws: layout.band_draws,
        member_bands: column_major(
            &member_bands(&columns.band, layout.band_draws as usize),
            horizon,
        ),
        horizon,
        region_cumulative_bands: if !layout.detailed {
            Vec::new()
        } else if layout.store_draws {
            member_bands(&columns.region, n_rows)
        } else {
            acc.region_yearly
                .iter()
                .map(|s| [0.1, 0.5, 0.9].map(|p| s.quantile(p).unwrap_or(f64::NAN)))
                .collect()
        },
        stability_draws: acc.checked,
        leaving_draws: acc.leaving_checked,
        ex_post_fallbacks: acc.fallbacks,
        aggregated_draws: acc.aggregated,
        draw_npv: if layout.store_draws { Some(kept) } else { None },
        sketches: if layout.store_draws {
            None
        } else {
            Some(acc.sketches)
        },
        stride,
    }
}

/// P10/P50/P90 of every (column, year) of the band draws, from their column-major values
/// (`draws` values per column), in parallel over columns (each column's result depends on its
/// values only, so the thread count changes nothing).
fn member_bands(band: &[f64], draws: usize) -> Vec<[f64; 3]> {
    if band.is_empty() || draws == 0 {
        return Vec::new();
    }
    band.par_chunks(draws)
        .map(|column| crate::stats::type7_quantiles(column, [0.1, 0.5, 0.9], 0).0)
        .collect()
}

/// Year-major bands (`[year × cols + col]`) in column-major order (`[col × horizon + year]`).
fn column_major(bands: &[[f64; 3]], horizon: usize) -> Vec<[f64; 3]> {
    if bands.is_empty() {
        return Vec::new();
    }
    let cols = bands.len() / horizon;
    (0..cols)
        .flat_map(|col| (0..horizon).map(move |t| bands[t * cols + col]))
        .collect()
}

/// Type-1 quantile of payback years from their histogram (last bin: never).
fn payback_quantile(hist: &[u64], p: f64) -> Option<u16> {
    let n: u64 = hist.iter().sum();
    let k = ((n as f64 * p.clamp(0.0, 1.0)).ceil() as u64).clamp(1, n.max(1));
    let mut seen = 0;
    for (year, c) in hist.iter().enumerate() {
        seen += c;
        if seen >= k {
            return (year + 1 < hist.len()).then_some(year as u16);
        }
    }
    None
}

fn mean_flows(sums: &[f64], keys: &[ResolvedKey], layout: &Layout, n_draws: u64) -> MeanFlows {
    let (n, horizon) = (layout.n_members, layout.horizon);
    let row = |r: usize| -> Vec<f64> {
        sums[r * horizon..(r + 1) * horizon]
            .iter()
            .map(|s| s / n_draws as f64)
            .collect()
    };
    MeanFlows {
        standalone: (0..n).map(row).collect(),
        direct: [
            (n..2 * n).map(row).collect(),
            (2 * n..3 * n).map(row).collect(),
        ],
        accounting_alone: (3 * n..4 * n).map(row).collect(),
        accounting_coop: (4 * n..5 * n).map(row).collect(),
        pooled: [row(5 * n), row(5 * n + 1)],
        pooled_accounting: row(5 * n + 2),
        key_pooled: key_pooled(&row, keys, layout),
    }
}

/// Each key's mean payments per member `[running, start-up, accounting]`: summed draw by draw
/// for keys whose shares vary, else the fixed share times the mean pooled row.
fn key_pooled(
    row: &dyn Fn(usize) -> Vec<f64>,
    keys: &[ResolvedKey],
    layout: &Layout,
) -> Vec<Vec<[Vec<f64>; 3]>> {
    let n = layout.n_members;
    let pooled = [row(5 * n), row(5 * n + 1), row(5 * n + 2)];
    let mut next = 5 * n + 3;
    keys.iter()
        .zip(&layout.varying)
        .map(|(key, &varying)| {
            (0..n)
                .map(|i| {
                    if varying {
                        let rows = [row(next), row(next + 1), row(next + 2)];
                        next += KEY_ROWS;
                        return rows;
                    }
                    // Running shares apply to the accounting row too; a key that follows a
                    // driver given by year takes each year's shares.
                    let category = [0, 1, 0];
                    std::array::from_fn(|r| {
                        let c = category[r];
                        let rows = pooled[r].iter().enumerate();
                        rows.map(|(t, p)| key.shares_in_year(c, t)[i] * p).collect()
                    })
                })
                .collect()
        })
        .collect()
}

/// Share of the expected pooled cost of the first operating year that the key puts on
/// `member`: its mean payment to the cooperation over the mean pooled cost (for keys recomputed
/// on every draw, the mean of each draw's share × pooled cost).
fn first_year_share(
    key: &ResolvedKey,
    flows: &MeanFlows,
    year: Option<usize>,
    (k, member): (usize, usize),
) -> f64 {
    let Some(t) = year else {
        return key.shares[0][member];
    };
    let (running, startup) = (flows.pooled[0][t], flows.pooled[1][t]);
    let total = running + startup;
    if total == 0.0 {
        return key.shares[0][member];
    }
    let paid = &flows.key_pooled[k][member];
    (paid[0][t] + paid[1][t]) / total
}
