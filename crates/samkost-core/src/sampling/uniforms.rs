//! Sampling designs: matrices of uniforms `u[draw][dim]` in (0, 1) that callers map through
//! the inputs' quantile functions.
//!
//! Three designs, each reproducible from its seed and independent of the thread count:
//! * [`SamplingMethod::MonteCarlo`]: draw `d` uses its own ChaCha8 stream — the run's seed,
//!   stream `d` — as the simulation driver does, and takes one 64-bit word per dimension.
//!   Rows can be produced one at a time ([`monte_carlo_row`]). The numbers are not the ones
//!   the driver's direct samplers draw from the same stream: they are uniforms for quantile
//!   functions.
//! * [`SamplingMethod::LatinHypercube`]: stratified per dimension (McKay, Beckman & Conover
//!   1979). A Latin hypercube of `n` points is a *joint* design: which stratum row `d` gets in
//!   a column depends on every other row. It is therefore generated for the whole run at once,
//!   column by column (column `j` from stream `2^63 + j` of the seed), never per draw, and a
//!   run of `n` draws is not the first `n` rows of a longer run.
//! * [`SamplingMethod::Sobol`]: an Owen-scrambled Sobol' sequence with the Joe–Kuo (2008)
//!   direction numbers ([`SobolSequence`]), up to [`MAX_SOBOL_DIMS`] dimensions and `2^32`
//!   points. Its balance properties hold for `n` a power of two; other `n` work but lose them.
//!
//! Uniforms built from random bits are `(k + 1/2)·2⁻⁵²` for a 52-bit integer `k`, so they are
//! never 0 or 1 and quantile functions of unbounded distributions stay finite.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::lhs::latin_hypercube;
use super::sobol_sequence::{MAX_SOBOL_DIMS, SobolSequence};

/// Rows per unit of parallel work when filling a design.
const CHUNK_ROWS: usize = 512;

/// The largest number of points of a Sobol' design (32-bit digits).
pub const MAX_SOBOL_POINTS: u64 = 1 << 32;

/// How the uniforms of a run are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SamplingMethod {
    /// Independent pseudo-random rows, one ChaCha8 stream per draw.
    MonteCarlo,
    /// Latin hypercube: one point per stratum of width `1/n` in every dimension.
    LatinHypercube,
    /// Owen-scrambled Sobol' sequence (Joe–Kuo 2008 direction numbers).
    Sobol,
}

/// Why a design could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesignError {
    /// A design needs at least one row.
    #[error("the number of draws must be at least 1")]
    NoDraws,
    /// The embedded Sobol' direction numbers do not cover the dimensions asked for.
    #[error("a Sobol' design supports at most {max} dimensions, got {requested}")]
    TooManySobolDims {
        /// Dimensions asked for.
        requested: usize,
        /// Dimensions available.
        max: usize,
    },
    /// A Sobol' design has at most `2^32` points.
    #[error("a Sobol' design supports at most {max} points, got {requested}")]
    TooManySobolPoints {
        /// Points asked for.
        requested: u64,
        /// Points available.
        max: u64,
    },
}

/// A row-major matrix of uniforms in (0, 1): one row per draw, one column per input.
#[derive(Debug, Clone, PartialEq)]
pub struct UniformMatrix {
    n_draws: usize,
    n_dims: usize,
    values: Vec<f64>,
}

impl UniformMatrix {
    /// Number of rows (draws).
    pub fn n_draws(&self) -> usize {
        self.n_draws
    }

    /// Number of columns (inputs).
    pub fn n_dims(&self) -> usize {
        self.n_dims
    }

    /// Row `draw`: one uniform per input.
    pub fn row(&self, draw: usize) -> &[f64] {
        &self.values[draw * self.n_dims..(draw + 1) * self.n_dims]
    }

    /// All rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[f64]> {
        // `chunks_exact(0)` panics; a matrix without columns still has its rows.
        let width = self.n_dims.max(1);
        let n_rows = if self.n_dims == 0 { 0 } else { self.n_draws };
        self.values.chunks_exact(width).take(n_rows)
    }

    /// Column `dim` as a new vector.
    pub fn column(&self, dim: usize) -> Vec<f64> {
        (0..self.n_draws)
            .map(|d| self.values[d * self.n_dims + dim])
            .collect()
    }

    /// All values, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// All values, row-major, for reordering within columns (rank-correlation induction).
    /// Callers must keep every value in (0, 1).
    pub fn as_mut_slice(&mut self) -> &mut [f64] {
        &mut self.values
    }

    /// Gives up the row-major values.
    pub fn into_values(self) -> Vec<f64> {
        self.values
    }

    /// Builds a matrix from row-major values; callers guarantee every value is in (0, 1).
    pub fn from_values(n_draws: usize, n_dims: usize, values: Vec<f64>) -> Self {
        debug_assert_eq!(values.len(), n_draws * n_dims);
        Self {
            n_draws,
            n_dims,
            values,
        }
    }
}

/// The uniforms of a design with `n_draws` rows and `n_dims` columns.
///
/// ```
/// use samkost_core::sampling::{SamplingMethod, uniforms};
///
/// let u = uniforms(SamplingMethod::LatinHypercube, 10, 3, 42)?;
/// let mut strata: Vec<usize> = u.column(0).iter().map(|x| (x * 10.0) as usize).collect();
/// strata.sort();
/// assert_eq!(strata, (0..10).collect::<Vec<_>>());
/// # Ok::<(), samkost_core::sampling::DesignError>(())
/// ```
pub fn uniforms(
    method: SamplingMethod,
    n_draws: usize,
    n_dims: usize,
    seed: u64,
) -> Result<UniformMatrix, DesignError> {
    if n_draws == 0 {
        return Err(DesignError::NoDraws);
    }
    let values = match method {
        SamplingMethod::MonteCarlo => {
            let streams = MonteCarloStreams::new(seed);
            fill_rows(n_draws, n_dims, |d, row| streams.fill_row(d as u64, row))
        }
        SamplingMethod::LatinHypercube => latin_hypercube(n_draws, n_dims, seed),
        SamplingMethod::Sobol => {
            if n_draws as u64 > MAX_SOBOL_POINTS {
                return Err(DesignError::TooManySobolPoints {
                    requested: n_draws as u64,
                    max: MAX_SOBOL_POINTS,
                });
            }
            if n_dims > MAX_SOBOL_DIMS {
                return Err(DesignError::TooManySobolDims {
                    requested: n_dims,
                    max: MAX_SOBOL_DIMS,
                });
            }
            let sobol = SobolSequence::scrambled(n_dims, seed)?;
            fill_rows(n_draws, n_dims, |d, row| sobol.fill_point(d as u32, row))
        }
    };
    Ok(UniformMatrix::from_values(n_draws, n_dims, values))
}

/// Row `draw` of the Monte Carlo design: `out.len()` uniforms from ChaCha8 stream `draw` of
/// `seed`, one 64-bit word each.
pub fn monte_carlo_row(seed: u64, draw: u64, out: &mut [f64]) {
    MonteCarloRow::new(seed, draw).fill(out);
}

/// The rows of one seed's Monte Carlo design. The seed is expanded into a ChaCha8 key once;
/// [`MonteCarloStreams::row`] then only sets the stream, so a design that reads many rows does
/// not pay the expansion for every one. Its rows are those of [`MonteCarloRow::new`].
#[derive(Clone)]
pub struct MonteCarloStreams {
    rng: ChaCha8Rng,
    /// The generator's key as eight little-endian words, for [`MonteCarloStreams::fill_row`].
    key: [u32; 8],
}

/// Uniforms in one ChaCha block: sixteen 32-bit words, two to a uniform (one 64-bit word).
const BLOCK_UNIFORMS: usize = 8;

impl MonteCarloStreams {
    /// The design of `seed`.
    pub fn new(seed: u64) -> Self {
        let rng = ChaCha8Rng::seed_from_u64(seed);
        let bytes = rng.get_seed();
        let key = std::array::from_fn(|i| {
            u32::from_le_bytes([
                bytes[4 * i],
                bytes[4 * i + 1],
                bytes[4 * i + 2],
                bytes[4 * i + 3],
            ])
        });
        Self { rng, key }
    }

    /// Row `draw`: ChaCha8 stream `draw` of the seed, from its start.
    #[inline]
    pub fn row(&self, draw: u64) -> MonteCarloRow {
        let mut rng = self.rng.clone();
        rng.set_stream(draw);
        MonteCarloRow(rng)
    }

    /// The first `out.len()` uniforms of row `draw`, the values of [`MonteCarloStreams::row`].
    /// Up to eight come from the stream's first block alone (the generator computes four
    /// blocks at a time), so a design that needs only a row's first columns pays for one.
    #[inline]
    pub fn fill_row(&self, draw: u64, out: &mut [f64]) {
        if out.len() > BLOCK_UNIFORMS {
            self.row(draw).fill(out);
            return;
        }
        let block = chacha8_first_block(&self.key, draw);
        for (value, pair) in out.iter_mut().zip(block.chunks_exact(2)) {
            *value = open_unit(u64::from(pair[1]) << 32 | u64::from(pair[0]));
        }
    }
}

/// The first block (block counter 0) of ChaCha8 stream `stream` under `key` (Bernstein 2008,
/// with the 64-bit counter and 64-bit nonce of the original design, as `rand_chacha` lays them
/// out): the sixteen words that `ChaCha8Rng` with this key, set to this stream, returns first.
fn chacha8_first_block(key: &[u32; 8], stream: u64) -> [u32; 16] {
    let input: [u32; 16] = [
        0x6170_7865,
        0x3320_646e,
        0x7962_2d32,
        0x6b20_6574,
        key[0],
        key[1],
        key[2],
        key[3],
        key[4],
        key[5],
        key[6],
        key[7],
        0,
        0,
        stream as u32,
        (stream >> 32) as u32,
    ];
    let [
        mut x0,
        mut x1,
        mut x2,
        mut x3,
        mut x4,
        mut x5,
        mut x6,
        mut x7,
        mut x8,
        mut x9,
        mut x10,
        mut x11,
        mut x12,
        mut x13,
        mut x14,
        mut x15,
    ] = input;
    // The quarter round on four words held in registers.
    macro_rules! quarter {
        ($a:ident, $b:ident, $c:ident, $d:ident) => {
            $a = $a.wrapping_add($b);
            $d = ($d ^ $a).rotate_left(16);
            $c = $c.wrapping_add($d);
            $b = ($b ^ $c).rotate_left(12);
            $a = $a.wrapping_add($b);
            $d = ($d ^ $a).rotate_left(8);
            $c = $c.wrapping_add($d);
            $b = ($b ^ $c).rotate_left(7);
        };
    }
    // Eight rounds: four double rounds of a column round and a diagonal round.
    for _ in 0..4 {
        quarter!(x0, x4, x8, x12);
        quarter!(x1, x5, x9, x13);
        quarter!(x2, x6, x10, x14);
        quarter!(x3, x7, x11, x15);
        quarter!(x0, x5, x10, x15);
        quarter!(x1, x6, x11, x12);
        quarter!(x2, x7, x8, x13);
        quarter!(x3, x4, x9, x14);
    }
    let x = [
        x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15,
    ];
    std::array::from_fn(|i| x[i].wrapping_add(input[i]))
}

/// The uniforms of row `draw` of the Monte Carlo design one by one, as [`monte_carlo_row`]
/// writes them: call [`MonteCarloRow::next_uniform`] once per column.
pub struct MonteCarloRow(ChaCha8Rng);

impl MonteCarloRow {
    /// Row `draw` of `seed`'s design.
    pub fn new(seed: u64, draw: u64) -> Self {
        MonteCarloStreams::new(seed).row(draw)
    }

    /// The next column's uniform.
    #[inline]
    pub fn next_uniform(&mut self) -> f64 {
        open_unit(self.0.next_u64())
    }

    /// The next `out.len()` columns' uniforms.
    #[inline]
    pub fn fill(&mut self, out: &mut [f64]) {
        for value in out {
            *value = self.next_uniform();
        }
    }
}

/// Maps 64 random bits to `(k + 1/2)·2⁻⁵²` with `k` the top 52 bits: uniform on a grid strictly
/// inside (0, 1).
pub(crate) fn open_unit(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}

/// Fills a row-major matrix in parallel chunks of rows; `row_fn(d, row)` writes row `d`. The
/// result does not depend on how the chunks are scheduled.
fn fill_rows(n_draws: usize, n_dims: usize, row_fn: impl Fn(usize, &mut [f64]) + Sync) -> Vec<f64> {
    let mut values = vec![0.0; n_draws * n_dims];
    if n_dims == 0 {
        return values;
    }
    values
        .par_chunks_mut(CHUNK_ROWS * n_dims)
        .enumerate()
        .for_each(|(chunk, block)| {
            for (local, row) in block.chunks_exact_mut(n_dims).enumerate() {
                row_fn(chunk * CHUNK_ROWS + local, row);
            }
        });
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    const METHODS: [SamplingMethod; 3] = [
        SamplingMethod::MonteCarlo,
        SamplingMethod::LatinHypercube,
        SamplingMethod::Sobol,
    ];

    #[test]
    fn every_design_lies_strictly_inside_the_unit_cube() {
        for method in METHODS {
            let u = uniforms(method, 1000, 7, 3).unwrap();
            assert_eq!((u.n_draws(), u.n_dims()), (1000, 7));
            assert!(
                u.as_slice().iter().all(|&x| x > 0.0 && x < 1.0),
                "{method:?}"
            );
        }
    }

    #[test]
    fn designs_are_reproducible_and_independent_of_the_thread_count() {
        for method in METHODS {
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            let two = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            let a = one.install(|| uniforms(method, 3000, 5, 11).unwrap());
            let b = two.install(|| uniforms(method, 3000, 5, 11).unwrap());
            let c = uniforms(method, 3000, 5, 12).unwrap();
            assert_eq!(a, b, "{method:?}");
            assert_ne!(a, c, "{method:?}");
        }
    }

    #[test]
    fn monte_carlo_rows_follow_the_per_draw_stream_convention() {
        let u = uniforms(SamplingMethod::MonteCarlo, 600, 3, 5).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        rng.set_stream(555);
        let expected: Vec<f64> = (0..3).map(|_| open_unit(rng.next_u64())).collect();
        assert_eq!(u.row(555), expected.as_slice());
        assert_eq!(MonteCarloRow::new(5, 555).next_uniform(), expected[0]);
        let streams = MonteCarloStreams::new(5);
        let mut row = streams.row(555);
        assert_eq!(row.next_uniform(), expected[0]);
        // Rows read from one `MonteCarloStreams` in any order are the same.
        assert_eq!(streams.row(554).next_uniform(), u.row(554)[0]);
        assert_eq!(
            (row.next_uniform(), row.next_uniform()),
            (expected[1], expected[2])
        );
        // A row does not depend on the number of draws.
        let short = uniforms(SamplingMethod::MonteCarlo, 556, 3, 5).unwrap();
        assert_eq!(short.row(555), u.row(555));
    }

    /// The reference is `rand_chacha` itself: a row filled from its first block alone (up to
    /// eight uniforms) or from the generator (more) is the generator's row to the bit, for
    /// seeds across the key and streams across both halves of the nonce.
    #[test]
    fn a_rows_first_block_is_the_generators() {
        for seed in [0, 1, 5, 20_240_101, u64::MAX] {
            let streams = MonteCarloStreams::new(seed);
            for draw in [0, 1, 2, 555, 99_999, 1 << 32, u64::MAX - 1, u64::MAX] {
                let mut want = [0.0; 12];
                streams.row(draw).fill(&mut want);
                for len in [0, 1, 7, BLOCK_UNIFORMS, BLOCK_UNIFORMS + 1, 12] {
                    let mut got = [f64::NAN; 12];
                    streams.fill_row(draw, &mut got[..len]);
                    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&got[..len]), bits(&want[..len]), "{seed} {draw} {len}");
                }
            }
        }
        // A published vector as well: ChaCha8 with the all-zero 256-bit key and IV begins
        // with the bytes 3e 00 ef 2f 89 5f 40 d6 (Strömbergson, "Test vectors for the stream
        // cipher ChaCha", IETF draft-strombergson-chacha-test-vectors, TC1).
        let zero = chacha8_first_block(&[0; 8], 0);
        assert_eq!(zero[..2], [0x2fef_003e, 0xd640_5f89]);
    }

    /// docs/MODEL.md §8's key expansion, written out from the text: eight PCG32 outputs of the
    /// seed (state advanced first, XSH-RR output), little-endian, are the generator's key.
    #[test]
    fn the_key_is_the_seed_expanded_by_pcg32_as_documented() {
        for seed in [0, 1, 20_240_101, u64::MAX] {
            let mut state = seed;
            let mut key = [0u8; 32];
            for chunk in key.chunks_exact_mut(4) {
                state = state
                    .wrapping_mul(0x5851_F42D_4C95_7F2D)
                    .wrapping_add(0xA176_54E4_6FBE_17F3);
                let xorshifted = (((state >> 18) ^ state) >> 27) as u32;
                let word = xorshifted.rotate_right((state >> 59) as u32);
                chunk.copy_from_slice(&word.to_le_bytes());
            }
            assert_eq!(
                ChaCha8Rng::seed_from_u64(seed).get_seed(),
                key,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn sobol_design_is_the_scrambled_sequence() {
        let u = uniforms(SamplingMethod::Sobol, 64, 4, 9).unwrap();
        let sobol = SobolSequence::scrambled(4, 9).unwrap();
        assert_eq!(u.row(17)[2], sobol.point(17, 2));
    }

    #[test]
    fn invalid_designs_are_rejected() {
        assert_eq!(
            uniforms(SamplingMethod::MonteCarlo, 0, 3, 1).unwrap_err(),
            DesignError::NoDraws
        );
        assert_eq!(
            uniforms(SamplingMethod::Sobol, 8, 1001, 1).unwrap_err(),
            DesignError::TooManySobolDims {
                requested: 1001,
                max: MAX_SOBOL_DIMS
            }
        );
    }

    #[test]
    fn rows_and_columns_agree() {
        let u = uniforms(SamplingMethod::MonteCarlo, 5, 2, 1).unwrap();
        let rows: Vec<&[f64]> = u.rows().collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[3], u.row(3));
        assert_eq!(u.column(1)[3], u.row(3)[1]);
        let empty = uniforms(SamplingMethod::MonteCarlo, 5, 0, 1).unwrap();
        assert_eq!(empty.rows().len(), 0);
    }

    #[test]
    fn open_unit_never_reaches_the_bounds() {
        assert!(open_unit(0) > 0.0);
        assert!(open_unit(u64::MAX) < 1.0);
    }
}
