//! One chunk of a run's draws: each draw's parameters, flows, keys and checks, and what it
//! adds to the chunk's counts, sums and columns ([`ChunkContext::simulate_chunk`]). Draws
//! that need no yearly rows go in groups of [`GROUP_DRAWS`], whose flows are written onto
//! the tape in one pass ([`Kernel::finish_group`]) and which are then finished one by one in
//! draw order.

use super::accounts;
use super::accumulate::{ChunkOutput, Layout};
use super::kernel::{DrawScratch, GROUP_DRAWS, Kernel};
use super::stability::{self, GameBuffers};
use crate::allocation::ResolvedKey;
use crate::draws::{ParameterDesign, sample_parameters};
use crate::model::CoalitionTable;

/// One chunk's slices of the column buffers, one per column.
pub(super) struct ChunkSlots<'a> {
    pub(super) npv: Vec<&'a mut [f64]>,
    pub(super) region: Vec<&'a mut [f64]>,
    pub(super) views: Vec<&'a mut [f64]>,
    pub(super) band: Vec<&'a mut [f64]>,
}

/// Draws per tile of [`ChunkContext::simulate_chunk`].
const TILE_DRAWS: usize = 64;

/// Rows of up to [`TILE_DRAWS`] draws waiting to be written into the columns.
#[derive(Default)]
struct Tile {
    /// Position in the chunk of the tile's first draw.
    start: usize,
    draws: usize,
    band_draws: usize,
    npv: Vec<f64>,
    region: Vec<f64>,
    views: Vec<f64>,
    band: Vec<f64>,
}

impl Tile {
    /// Writes the tile's rows into the chunk's columns and starts the next tile.
    fn flush(&mut self, slots: &mut ChunkSlots<'_>) {
        scatter(&self.npv, &mut slots.npv, self.start, self.draws);
        scatter(&self.region, &mut slots.region, self.start, self.draws);
        scatter(&self.views, &mut slots.views, self.start, self.draws);
        scatter(&self.band, &mut slots.band, self.start, self.band_draws);
        self.start += self.draws;
        self.draws = 0;
        self.band_draws = 0;
        self.npv.clear();
        self.region.clear();
        self.views.clear();
        self.band.clear();
    }
}

/// Column `c` of the `n` rows in `rows` (one value per column each) into
/// `columns[c][start..start + n]`.
fn scatter(rows: &[f64], columns: &mut [&mut [f64]], start: usize, n: usize) {
    let width = columns.len();
    if n == 0 || width == 0 {
        return;
    }
    for (c, column) in columns.iter_mut().enumerate() {
        for (k, slot) in column[start..start + n].iter_mut().enumerate() {
            *slot = rows[k * width + c];
        }
    }
}

/// What every chunk of a block shares.
pub(super) struct ChunkContext<'a> {
    pub(super) kernel: &'a Kernel<'a>,
    pub(super) keys: &'a [ResolvedKey],
    pub(super) layout: &'a Layout,
    pub(super) table: Option<&'a CoalitionTable>,
    pub(super) design: Option<&'a ParameterDesign>,
    pub(super) seed: u64,
}

impl ChunkContext<'_> {
    /// The draws `draws` of one chunk into `slots` (their columns), with the worker's buffers
    /// `s` and `games`: what the chunk counts and sums.
    pub(super) fn simulate_chunk(
        &self,
        draws: std::ops::Range<u64>,
        mut slots: ChunkSlots<'_>,
        s: &mut DrawScratch,
        games: &mut GameBuffers,
    ) -> ChunkOutput {
        let layout = self.layout;
        let mut out = ChunkOutput::new(layout);
        // Per-draw values go to a row-major tile first and to the columns a tile at a time,
        // so that each column receives runs of contiguous values.
        let mut tile = Tile::default();
        let grouped = |d: u64| {
            self.kernel.groups()
                && d + GROUP_DRAWS as u64 <= draws.end
                && (d..d + GROUP_DRAWS as u64).all(|d| !layout.needs_rows(d))
        };
        let mut draw = draws.start;
        while draw < draws.end {
            if !grouped(draw) {
                self.simulate_draw(draw, s, games, &mut out);
                self.finish_draw(draw, s, &mut out, &mut tile, &mut slots);
                draw += 1;
                continue;
            }
            // A group of draws that need no rows: sampled and evaluated one by one, their
            // flows written in one pass, then each finished in draw order.
            for lane in 0..GROUP_DRAWS {
                self.sample(draw + lane as u64, s);
                self.kernel.evaluate_lane(s, lane);
            }
            self.kernel.finish_group(s, |s, lane| {
                let d = draw + lane as u64;
                self.after_flows(d, s, games, &mut out);
                self.finish_draw(d, s, &mut out, &mut tile, &mut slots);
            });
            draw += GROUP_DRAWS as u64;
        }
        tile.flush(&mut slots);
        s.tape
            .flush(&mut out.flows[..super::tape::base_len(layout.n_members, layout.horizon)]);
        out
    }

    /// What a draw adds to the chunk once computed: counts, sums, views, accounts and its
    /// values in the tile.
    fn finish_draw(
        &self,
        draw: u64,
        s: &mut DrawScratch,
        out: &mut ChunkOutput,
        tile: &mut Tile,
        slots: &mut ChunkSlots<'_>,
    ) {
        let (layout, model) = (self.layout, self.kernel.model());
        if s.in_range {
            out.add_draw(layout, s);
            out.views.add_draw(model, self.kernel.discount(), layout, s);
            if layout.accounts {
                accounts::add_draw(model, layout, s, &mut out.books, &mut out.accounts);
            }
        } else {
            out.first_bad_draw.get_or_insert(draw);
        }
        if layout.store_draws {
            layout.kept.push_draw(s, &mut tile.npv);
            if layout.detailed {
                tile.region.extend_from_slice(&s.region_cumulative);
            }
            if s.in_range {
                tile.views.extend_from_slice(out.views.stored());
            } else {
                let width = super::views::stored_len(layout);
                tile.views.extend(std::iter::repeat_n(f64::NAN, width));
            }
        } else {
            out.npv_rows.extend_from_slice(&s.npv);
            if layout.detailed {
                out.region_rows.extend_from_slice(&s.region_cumulative);
            }
        }
        if draw < layout.band_draws {
            tile.band.extend_from_slice(&s.cumulative);
            tile.band_draws += 1;
        }
        tile.draws += 1;
        if tile.draws == TILE_DRAWS {
            tile.flush(slots);
        }
    }

    /// One draw: parameters, the kernel, and the realised game where it is needed.
    fn simulate_draw(
        &self,
        draw: u64,
        s: &mut DrawScratch,
        games: &mut GameBuffers,
        out: &mut ChunkOutput,
    ) {
        let model = self.kernel.model();
        self.sample(draw, s);
        if model.has_events() {
            super::events::draw_effects(model, self.seed, Some(draw), &mut s.events);
        }
        self.kernel.flows(s, self.layout.needs_rows(draw));
        self.after_flows(draw, s, games, out);
    }

    /// Draw `draw`'s parameters into `s.params`.
    fn sample(&self, draw: u64, s: &mut DrawScratch) {
        let model = self.kernel.model();
        match self.design {
            Some(design) => design.fill_cached(model, draw, &mut s.params, &mut s.fill_cache),
            None => sample_parameters(model, self.seed, draw, &mut s.params),
        }
    }

    /// A draw after its flows: the realised game where it is needed, the keys, the core and
    /// leaving checks.
    fn after_flows(
        &self,
        draw: u64,
        s: &mut DrawScratch,
        games: &mut GameBuffers,
        out: &mut ChunkOutput,
    ) {
        let (kernel, layout) = (self.kernel, self.layout);
        let model = kernel.model();
        let game = self.table.filter(|_| layout.needs_game(draw));
        if let Some(table) = game {
            stability::realise(model, table, kernel.discount(), s, games);
            if layout.any_ex_post {
                out.ex_post_fallbacks += stability::ex_post_shares(self.keys, games, &mut s.shares);
            }
        }
        kernel.apply_keys(s, layout.needs_years(draw));
        if draw >= layout.stability_draws {
            return;
        }
        out.stability_checked += 1;
        for k in 0..layout.n_keys {
            // Whether a coalition of two or more members would leave: the views' core checks
            // share it (docs/MODEL.md §6d).
            let mut group = false;
            let stable = if game.is_some() {
                let tempted = &mut out.tempted[k * layout.n_masks..(k + 1) * layout.n_masks];
                stability::stable_exact(s, k, games, |mask| {
                    tempted[mask] += 1;
                    group |= mask.count_ones() > 1;
                })
            } else {
                let found = &mut out.tempted_sampled[k];
                stability::stable_sampled(
                    model,
                    kernel.discount(),
                    self.seed,
                    draw,
                    layout.n_keys,
                    s,
                    k,
                    games,
                    |members| {
                        *found.entry(members.to_vec()).or_insert(0) += 1;
                        group |= members.len() > 1;
                    },
                )
            };
            let tolerance = stability::check_tolerance(games, game.is_some());
            out.views.note_core_check(k, group, tolerance);
            if stable {
                out.stable[k] += 1;
            }
        }
        if !layout.checks_leaving(draw) {
            return;
        }
        out.leaving_checked += 1;
        match game {
            Some(table) => {
                out.leaving.add_draw(
                    model,
                    table,
                    kernel.discount(),
                    s,
                    self.keys,
                    &mut games.leaving,
                );
            }
            None => out.leaving.add_draw_singletons(
                model,
                kernel.discount(),
                s,
                self.keys,
                &mut games.leaving,
            ),
        }
    }
}
