//! Where each draw's parameter values come from: the per-draw random streams of plain Monte
//! Carlo, or a design built for the whole run (Latin hypercube, scrambled Sobol'), with the
//! scenario's rank correlations imposed by Iman–Conover.
//!
//! Plain Monte Carlo without correlations samples each parameter directly from draw `d`'s
//! stream (no design in memory). Plain Monte Carlo with correlations keeps only the `k`
//! correlated columns of each block, reordered by Iman–Conover, and draws the other uniforms of
//! row `d` from its stream when the draw is filled in. Otherwise the run holds an
//! `n_draws × m` matrix of uniforms for its `m` uncertain parameters, and draw `d` takes
//! `x_j = Q_j(u_dj)`.
//!
//! Iman–Conover's scores depend only on the block's size and seed, not on its uniforms, so they
//! are built while the uniforms are drawn: their serial steps would otherwise leave the other
//! threads idle. Every value is the same as when one follows the other.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::model::Model;
use crate::sampling::{
    CorrelatedScores, MonteCarloStreams, RankCorrelation, SamplingMethod, SobolSequence,
    SortedColumns, UniformMatrix, uniforms,
};

/// Draws per design block: Latin hypercube strata, Sobol' scrambles and Iman–Conover
/// reorderings are built for blocks of this many draws (a run of at most this many draws has
/// one design).
pub const DESIGN_BLOCK_DRAWS: u64 = 1 << 18;

/// Why a block's design could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DesignBuildError(String);

/// Seed offset of the Iman–Conover scores, so they are independent of the design's uniforms.
const CORRELATION_SEED_SALT: u64 = 0x9E37_79B9_7F4A_7C15;

/// The design of one block of draws.
pub struct ParameterDesign {
    /// First draw (stream) of the block, and the draw after its last.
    first: u64,
    end: u64,
    /// Distinct for every design built in the process, so that a [`FillCache`] never serves
    /// one design's parameters for another's.
    id: u64,
    /// Indices of the uncertain parameters, in column order.
    dims: Vec<usize>,
    /// Every parameter's value before the design's columns are filled in: the fixed ones at
    /// their value, the uncertain ones NaN.
    template: Vec<f64>,
    uniforms: Uniforms,
}

/// Where a block's uniforms are.
enum Uniforms {
    /// Every row in memory (Latin hypercube, Sobol').
    Matrix(UniformMatrix),
    /// Plain Monte Carlo with correlations: row `d` is ChaCha8 stream `d` of the run's seed,
    /// one word per column ([`monte_carlo_row`](crate::sampling::monte_carlo_row)), except
    /// the `k` correlated columns, whose reordered values are kept row-major in `values` (`k`
    /// per row, in the correlation's order); `slot[c]` is column `c`'s index within a row of
    /// `values`, or [`NOT_KEPT`].
    Streams {
        /// Boxed: a seeded generator is a few hundred bytes.
        streams: Box<MonteCarloStreams>,
        k: usize,
        slot: Vec<usize>,
        values: Vec<f64>,
    },
}

/// [`Uniforms::Streams`]'s slot of a column drawn from the stream.
const NOT_KEPT: usize = usize::MAX;

/// Salt that makes each block's seed distinct.
const BLOCK_SEED_SALT: u64 = 0xD1B5_4A32_D192_ED03;

impl ParameterDesign {
    /// Builds the design of draws `draws` (global draw numbers, which are also the Monte Carlo
    /// streams), or `None` for plain Monte Carlo without correlations. Latin hypercube strata
    /// and Iman–Conover reorderings are per block; Sobol' points are taken at their global
    /// index, so blocks continue one sequence.
    pub fn build(
        model: &Model,
        method: SamplingMethod,
        draws: std::ops::Range<u64>,
        seed: u64,
    ) -> Result<Option<Self>, DesignBuildError> {
        if method == SamplingMethod::MonteCarlo && model.correlation.is_none() {
            return Ok(None);
        }
        let dims: Vec<usize> = (0..model.parameters.len())
            .filter(|&j| !model.parameters[j].distribution.is_fixed())
            .collect();
        let m = dims.len();
        let n = usize::try_from(draws.end - draws.start)
            .map_err(|_| DesignBuildError("too many draws in one block".to_owned()))?;
        let block_seed = seed ^ draws.start.wrapping_mul(BLOCK_SEED_SALT);
        let err = |e: crate::sampling::DesignError| DesignBuildError(e.to_string());
        let uniforms = match method {
            SamplingMethod::MonteCarlo => {
                let correlation = model
                    .correlation
                    .as_ref()
                    .expect("plain Monte Carlo without correlations has no design");
                let seeds = (seed, block_seed ^ CORRELATION_SEED_SALT);
                monte_carlo_streams(draws.clone(), &dims, correlation, seeds)?
            }
            SamplingMethod::LatinHypercube | SamplingMethod::Sobol => {
                if method == SamplingMethod::Sobol && draws.end > crate::sampling::MAX_SOBOL_POINTS
                {
                    return Err(DesignBuildError(format!(
                        "a Sobol' design has at most {} points",
                        crate::sampling::MAX_SOBOL_POINTS
                    )));
                }
                let design = || {
                    if method == SamplingMethod::Sobol {
                        let sobol = SobolSequence::scrambled(m, seed).map_err(err)?;
                        let mut values = vec![0.0; n * m];
                        if m > 0 {
                            for (d, row) in values.chunks_mut(m).enumerate() {
                                sobol.fill_point((draws.start + d as u64) as u32, row);
                            }
                        }
                        Ok(UniformMatrix::from_values(n, m, values))
                    } else {
                        uniforms(method, n, m, block_seed).map_err(err)
                    }
                };
                match &model.correlation {
                    Some(correlation) => {
                        let columns = correlated_columns(&dims, correlation);
                        let k = columns.len();
                        let seed = block_seed ^ CORRELATION_SEED_SALT;
                        let (design, scores) = rayon::join(
                            || {
                                design().map(|design| {
                                    let sub = correlated_values(&design, &columns);
                                    let sorted = sorted_columns(&sub, k, reorders(n, k));
                                    (design, sub, sorted)
                                })
                            },
                            || Scores::build(n, k, correlation, seed),
                        );
                        let (mut design, mut sub, sorted) = design?;
                        scores?.reorder(&mut sub, sorted.as_ref())?;
                        put_correlated_values(&mut design, &columns, &sub);
                        Uniforms::Matrix(design)
                    }
                    None => Uniforms::Matrix(design()?),
                }
            }
        };
        Ok(Some(Self {
            first: draws.start,
            end: draws.end,
            id: NEXT_DESIGN_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            dims,
            template: parameter_template(model),
            uniforms,
        }))
    }

    /// Fills `params` for global draw `draw` (which must lie in the block).
    pub fn fill(&self, model: &Model, draw: u64, params: &mut [f64]) {
        let local = (draw - self.first) as usize;
        params.copy_from_slice(&self.template);
        match &self.uniforms {
            Uniforms::Matrix(matrix) => {
                for (&j, &u) in self.dims.iter().zip(matrix.row(local)) {
                    params[j] = model.parameters[j].distribution.quantile(u);
                }
            }
            Uniforms::Streams {
                streams,
                k,
                slot,
                values,
            } => {
                // The row's words in column order, as `monte_carlo_row` draws them; the
                // correlated columns take their reordered values instead.
                let kept = &values[local * k..(local + 1) * k];
                let mut row = streams.row(draw);
                for (&j, &slot) in self.dims.iter().zip(slot) {
                    let u = row.next_uniform();
                    let u = if slot == NOT_KEPT { u } else { kept[slot] };
                    params[j] = model.parameters[j].distribution.quantile(u);
                }
            }
        }
    }
}

/// The next [`ParameterDesign`]'s `id`.
static NEXT_DESIGN_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Draws whose parameters [`ParameterDesign::fill_cached`] computes at once.
pub const FILL_GROUP_DRAWS: u64 = 64;

/// One worker's parameters of a group of draws ([`ParameterDesign::fill_cached`]).
#[derive(Debug, Clone, Default)]
pub struct FillCache {
    /// The design's `id` and the group's first draw and size; none before the first fill.
    group: Option<(u64, u64, usize)>,
    /// The group's parameters, row-major: `[draw × parameters + j]`.
    rows: Vec<f64>,
    /// The group's uniforms and quantiles, column by column: `[column × draws + draw]`.
    uniforms: Vec<f64>,
    quantiles: Vec<f64>,
}

impl ParameterDesign {
    /// [`ParameterDesign::fill`], computed for the [`FILL_GROUP_DRAWS`] draws of `draw`'s group
    /// at once (groups counted from the block's first draw) and kept in `cache`: each column's
    /// quantiles are taken in one pass ([`crate::sampling::Distribution::quantiles`]). The
    /// same values as `fill`.
    pub fn fill_cached(&self, model: &Model, draw: u64, params: &mut [f64], cache: &mut FillCache) {
        let m = params.len();
        let start = draw - (draw - self.first) % FILL_GROUP_DRAWS;
        let end = (start + FILL_GROUP_DRAWS).min(self.end);
        let t = (end - start) as usize;
        if cache.group != Some((self.id, start, t)) || cache.rows.len() != t * m {
            self.fill_group(model, start..end, m, cache);
        }
        let at = (draw - start) as usize * m;
        params.copy_from_slice(&cache.rows[at..at + m]);
    }

    fn fill_group(
        &self,
        model: &Model,
        draws: std::ops::Range<u64>,
        m: usize,
        cache: &mut FillCache,
    ) {
        let t = (draws.end - draws.start) as usize;
        let k = self.dims.len();
        cache.uniforms.clear();
        cache.uniforms.resize(k * t, 0.0);
        for (d, draw) in draws.clone().enumerate() {
            let local = (draw - self.first) as usize;
            match &self.uniforms {
                Uniforms::Matrix(matrix) => {
                    for (c, &u) in matrix.row(local).iter().enumerate() {
                        cache.uniforms[c * t + d] = u;
                    }
                }
                Uniforms::Streams {
                    streams,
                    k: kept_k,
                    slot,
                    values,
                } => {
                    // As `fill`: the row's words in column order, the correlated columns'
                    // reordered values instead of theirs.
                    let kept = &values[local * kept_k..(local + 1) * kept_k];
                    let mut row = streams.row(draw);
                    for (c, &slot) in slot.iter().enumerate() {
                        let u = row.next_uniform();
                        cache.uniforms[c * t + d] = if slot == NOT_KEPT { u } else { kept[slot] };
                    }
                }
            }
        }
        cache.quantiles.clear();
        cache.quantiles.resize(k * t, 0.0);
        for (c, &j) in self.dims.iter().enumerate() {
            let column = c * t..(c + 1) * t;
            model.parameters[j].distribution.quantiles(
                &cache.uniforms[column.clone()],
                &mut cache.quantiles[column],
            );
        }
        cache.rows.clear();
        for d in 0..t {
            cache.rows.extend_from_slice(&self.template);
            let row = &mut cache.rows[d * m..];
            for (c, &j) in self.dims.iter().enumerate() {
                row[j] = cache.quantiles[c * t + d];
            }
        }
        cache.group = Some((self.id, draws.start, t));
    }
}

/// Every parameter's value where it is fixed, NaN where it is uncertain: what a design or a
/// sensitivity method starts from before it fills in the uncertain inputs.
pub fn parameter_template(model: &Model) -> Vec<f64> {
    model
        .parameters
        .iter()
        .map(|p| {
            if p.distribution.is_fixed() {
                p.distribution.mean()
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// The correlated columns (`columns`) of a block's design, row-major (`n × k`).
fn correlated_values(design: &UniformMatrix, columns: &[usize]) -> Vec<f64> {
    let k = columns.len();
    let mut sub = vec![0.0; design.n_draws() * k];
    for (d, out) in sub.chunks_exact_mut(k.max(1)).enumerate() {
        for (o, &col) in out.iter_mut().zip(columns) {
            *o = design.row(d)[col];
        }
    }
    sub
}

/// Writes the reordered correlated columns back into the design.
fn put_correlated_values(design: &mut UniformMatrix, columns: &[usize], sub: &[f64]) {
    let (k, m) = (columns.len(), design.n_dims());
    let values = design.as_mut_slice();
    for (row, sub_row) in values
        .chunks_exact_mut(m.max(1))
        .zip(sub.chunks_exact(k.max(1)))
    {
        for (&col, &value) in columns.iter().zip(sub_row) {
            row[col] = value;
        }
    }
}

/// Whether Iman–Conover reorders `k` correlated columns of a block of `n` draws: it needs two
/// columns, and a block of at most `k` draws is too small to impose a rank structure and stays
/// independent.
fn reorders(n: usize, k: usize) -> bool {
    k >= 2 && n > k
}

/// The sorted columns of the `k` correlated columns in `sub` when they will be reordered: the
/// part of the reordering that needs the values, done while the scores are built.
fn sorted_columns(sub: &[f64], k: usize, reorders: bool) -> Option<SortedColumns> {
    reorders.then(|| SortedColumns::new(sub, k))
}

/// Iman–Conover for the `k` correlated columns of a block of `n` draws, built before the
/// block's values are known (see the module doc); `None` when the block is not reordered
/// ([`reorders`]).
struct Scores(Option<(RankCorrelation, CorrelatedScores)>);

impl Scores {
    fn build(
        n: usize,
        k: usize,
        correlation: &crate::model::Correlation,
        seed: u64,
    ) -> Result<Self, DesignBuildError> {
        if !reorders(n, k) {
            return Ok(Self(None));
        }
        let rank = RankCorrelation::new(correlation.target.clone());
        let scores = rank
            .scores(n, k, seed)
            .map_err(|e| DesignBuildError(e.to_string()))?;
        Ok(Self(Some((rank, scores))))
    }

    /// Reorders the columns of `sub` (row-major, `n × k`), whose columns sorted are `sorted`
    /// ([`sorted_columns`]).
    fn reorder(
        &self,
        sub: &mut [f64],
        sorted: Option<&SortedColumns>,
    ) -> Result<(), DesignBuildError> {
        let result = match (&self.0, sorted) {
            (Some((rank, scores)), Some(sorted)) => rank.rearrange_sorted(sub, sorted, scores),
            (Some((rank, scores)), None) => rank.rearrange_to(sub, scores),
            (None, _) => Ok(()),
        };
        result.map_err(|e| DesignBuildError(e.to_string()))
    }
}

/// [`Uniforms::Streams`] of the draws `draws`: each draw's words of the correlated columns
/// (`seeds.0`'s streams, [`monte_carlo_row`](crate::sampling::monte_carlo_row)), reordered
/// by Iman–Conover (`seeds.1`).
fn monte_carlo_streams(
    draws: std::ops::Range<u64>,
    dims: &[usize],
    correlation: &crate::model::Correlation,
    (seed, correlation_seed): (u64, u64),
) -> Result<Uniforms, DesignBuildError> {
    let n = (draws.end - draws.start) as usize;
    let columns = correlated_columns(dims, correlation);
    let k = columns.len();
    let prefix = columns.iter().max().map_or(0, |c| c + 1);
    let streams = Box::new(MonteCarloStreams::new(seed));
    let draw_values = || {
        let mut values = vec![0.0; n * k];
        if k > 0 {
            values.par_chunks_mut(k).enumerate().for_each_init(
                || vec![0.0; prefix],
                |row, (d, out)| {
                    // Only up to the last correlated column: usually one ChaCha block.
                    streams.fill_row(draws.start + d as u64, row);
                    for (o, &c) in out.iter_mut().zip(&columns) {
                        *o = row[c];
                    }
                },
            );
        }
        let sorted = sorted_columns(&values, k, reorders(n, k));
        (values, sorted)
    };
    let ((mut values, sorted), scores) = rayon::join(draw_values, || {
        Scores::build(n, k, correlation, correlation_seed)
    });
    scores?.reorder(&mut values, sorted.as_ref())?;
    let mut slot = vec![NOT_KEPT; dims.len()];
    for (i, &c) in columns.iter().enumerate() {
        slot[c] = i;
    }
    Ok(Uniforms::Streams {
        streams,
        k,
        slot,
        values,
    })
}

/// The correlated parameters' positions among the uncertain ones (`dims`), in the
/// correlation's order.
fn correlated_columns(dims: &[usize], correlation: &crate::model::Correlation) -> Vec<usize> {
    correlation
        .parameters
        .iter()
        .map(|p| {
            dims.iter()
                .position(|d| d == p)
                .expect("correlated parameters are uncertain")
        })
        .collect()
}

/// Draws the parameters of draw `stream` by plain Monte Carlo: each parameter sampled in
/// declaration order from ChaCha8 stream `stream` of `seed`.
pub fn sample_parameters(model: &Model, seed: u64, stream: u64, params: &mut [f64]) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    for (value, parameter) in params.iter_mut().zip(&model.parameters) {
        *value = parameter.distribution.sample(&mut rng);
    }
}

/// Parameter values of every draw of a run, row-major (`n_draws × parameters`): what the run
/// uses, for checks and sensitivity measures computed from a run.
pub fn parameter_sample(
    model: &Model,
    method: SamplingMethod,
    n_draws: u64,
    seed: u64,
) -> Result<Vec<f64>, DesignBuildError> {
    let m = model.parameters.len();
    let mut out = vec![0.0; n_draws as usize * m];
    let mut start = 0;
    while start < n_draws {
        let end = (start + DESIGN_BLOCK_DRAWS).min(n_draws);
        let design = ParameterDesign::build(model, method, start..end, seed)?;
        for d in start..end {
            let row = &mut out[d as usize * m..(d as usize + 1) * m];
            match &design {
                Some(design) => design.fill(model, d, row),
                None => sample_parameters(model, seed, d, row),
            }
        }
        start = end;
    }
    Ok(out)
}
