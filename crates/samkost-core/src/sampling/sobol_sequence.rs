//! Sobol' low-discrepancy sequences in base 2 with the Joe–Kuo (2008) direction numbers, and
//! their nested uniform (Owen 1995) scrambling.
//!
//! Why a generator of our own: `sobol_burley` (no dependencies, Owen-scrambled) returns `f32`
//! and stops at 2^16 points and 256 dimensions, too coarse for quantile functions' tails and
//! too short for a Monte Carlo run; `sobol-qmc` depends on `statrs`, which brings an older
//! `rand`/`rand_core` into the build a second time; `sobol` (1.0) has no scrambling. The
//! generator itself is a few dozen lines (Bratley & Fox 1988; Joe & Kuo 2003), so we own it and
//! embed the published direction numbers.
//!
//! Direction numbers: `new-joe-kuo-6.1000.txt` holds the first 1,000 lines of
//! `new-joe-kuo-6.21201` (S. Joe and F. Y. Kuo, *Constructing Sobol sequences with better
//! two-dimensional projections*, SIAM J. Sci. Comput. 30, 2635–2654, 2008), i.e. dimensions
//! 2–1,000; dimension 1 is the van der Corput sequence. We checked byte for byte that the
//! copies shipped by three crates (`sobol`, `sobol-qmc`, `sobol_burley`) agree. Licence of the
//! direction numbers: Copyright (c) 2008, Frances Y. Kuo and Stephen Joe. All rights reserved.
//! Redistribution and use in source and binary forms, with or without modification, are
//! permitted provided that the conditions of their BSD-style licence are met (retain this
//! notice; do not use their names to endorse derived products); the numbers are provided "as
//! is", without warranty of any kind.
//!
//! Point order: Gray-code order (Antonov & Saleev 1979), as in Joe and Kuo's `sobol.cc` and
//! SciPy: point `i` is the XOR of the direction numbers `v_b` over the bits `b` set in
//! `i ^ (i >> 1)`. Every prefix of `2^m` points is the same set as in natural order. The first
//! point is the origin; it is kept, because with scrambling it is an ordinary random point
//! (Owen 2020, *On dropping the first Sobol' point*).
//!
//! Scrambling: nested uniform (Owen) scrambling of each coordinate, implemented with a keyed
//! hash of the leading bits (as in Burley 2020, *Practical hash-based Owen scrambling*, but with
//! one hash per digit, so the scramble is exactly nested uniform up to the hash's quality):
//! digit `j` of a coordinate is flipped when `hash(key_dim, j, first j digits)` is odd. The
//! Sobol' point has 32 digits; the 20 digits after them are uniform random digits drawn the
//! same way (what Owen scrambling does with the trailing zero digits), giving 52-bit uniforms
//! `(k + 1/2)·2⁻⁵²`, strictly inside (0, 1). Owen scrambling keeps the (t, m, s)-net property,
//! so every 1-D projection of the first `2^m` points has one point in each interval
//! `[j·2^-m, (j+1)·2^-m)`, and makes each point uniform on (0, 1)^s (Owen 1997).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::uniforms::DesignError;

/// The embedded direction numbers: header line, then `d s a m_1 … m_s` for d = 2 … 1000.
const JOE_KUO_TABLE: &str = include_str!("new-joe-kuo-6.1000.txt");

/// Number of dimensions the embedded table supports.
pub const MAX_SOBOL_DIMS: usize = 1000;

/// Bits per coordinate of the unscrambled sequence; the sequence has at most `2^32` points.
const BITS: usize = 32;

/// Random digits appended after the 32 Sobol' digits by the scramble (52 in all).
const EXTRA_BITS: u32 = 20;

/// ChaCha8 stream of the run's seed from which the per-dimension scramble keys are drawn, far
/// above any draw index, so that the keys never share a stream with a Monte Carlo draw.
const SCRAMBLE_KEY_STREAM: u64 = super::streams::SOBOL_SCRAMBLE;

/// A Sobol' sequence in `n_dims` dimensions, unscrambled or Owen-scrambled.
///
/// ```
/// use samkost_core::sampling::SobolSequence;
///
/// let sobol = SobolSequence::unscrambled(2)?;
/// assert_eq!(sobol.point(1, 0), 0.5);
/// assert_eq!(sobol.point(2, 1), 0.25);
/// # Ok::<(), samkost_core::sampling::DesignError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SobolSequence {
    n_dims: usize,
    /// `directions[dim * BITS + b]`: direction number `v_{b+1}` of dimension `dim`, scaled to
    /// 32 bits.
    directions: Vec<u32>,
    /// One scramble key per dimension; `None` for the plain sequence.
    keys: Option<Vec<u64>>,
}

impl SobolSequence {
    /// The plain (unscrambled) sequence; coordinates lie in [0, 1) and the first point is 0.
    pub fn unscrambled(n_dims: usize) -> Result<Self, DesignError> {
        Ok(Self {
            n_dims,
            directions: direction_numbers(n_dims)?,
            keys: None,
        })
    }

    /// The Owen-scrambled sequence for `seed`; coordinates lie strictly inside (0, 1).
    ///
    /// Dimension `j`'s scramble depends only on the seed and `j`, so a design with more
    /// dimensions extends one with fewer.
    pub fn scrambled(n_dims: usize, seed: u64) -> Result<Self, DesignError> {
        let directions = direction_numbers(n_dims)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(SCRAMBLE_KEY_STREAM);
        let keys = (0..n_dims).map(|_| rng.next_u64()).collect();
        Ok(Self {
            n_dims,
            directions,
            keys: Some(keys),
        })
    }

    /// Number of dimensions.
    pub fn n_dims(&self) -> usize {
        self.n_dims
    }

    /// Coordinate `dim` of point `index` (Gray-code order).
    pub fn point(&self, index: u32, dim: usize) -> f64 {
        let digits = self.digits(index, dim);
        match &self.keys {
            None => f64::from(digits) * (1.0 / 4_294_967_296.0),
            Some(keys) => owen_scramble(digits, keys[dim]),
        }
    }

    /// Writes point `index` into `out` (`out.len()` coordinates, at most `n_dims`).
    pub fn fill_point(&self, index: u32, out: &mut [f64]) {
        for (dim, value) in out.iter_mut().enumerate() {
            *value = self.point(index, dim);
        }
    }

    /// The 32 unscrambled digits of coordinate `dim` of point `index`.
    fn digits(&self, index: u32, dim: usize) -> u32 {
        let v = &self.directions[dim * BITS..(dim + 1) * BITS];
        let mut gray = index ^ (index >> 1);
        let mut x = 0;
        while gray != 0 {
            let b = gray.trailing_zeros() as usize;
            x ^= v[b];
            gray &= gray - 1;
        }
        x
    }
}

/// Direction numbers for the first `n_dims` dimensions, 32 per dimension.
fn direction_numbers(n_dims: usize) -> Result<Vec<u32>, DesignError> {
    if n_dims > MAX_SOBOL_DIMS {
        return Err(DesignError::TooManySobolDims {
            requested: n_dims,
            max: MAX_SOBOL_DIMS,
        });
    }
    let mut directions = Vec::with_capacity(n_dims * BITS);
    if n_dims > 0 {
        // Dimension 1: all m_k = 1, the van der Corput sequence.
        directions.extend((0..BITS).map(|b| 1u32 << (BITS - 1 - b)));
    }
    for line in JOE_KUO_TABLE.lines().skip(1).take(n_dims.saturating_sub(1)) {
        let (s, a, m) = parse_line(line);
        directions.extend(expand(s, a, &m));
    }
    Ok(directions)
}

/// Parses `d s a m_1 … m_s` of the embedded table (known to be well formed).
fn parse_line(line: &str) -> (usize, u32, Vec<u32>) {
    let mut fields = line.split_whitespace().map(|f| {
        f.parse::<u32>()
            .expect("the embedded Joe–Kuo table holds only integers")
    });
    let _d = fields.next();
    let s = fields.next().expect("the table has an s column") as usize;
    let a = fields.next().expect("the table has an a column");
    let m: Vec<u32> = fields.collect();
    debug_assert_eq!(m.len(), s);
    (s, a, m)
}

/// Joe & Kuo (2003, eq. 2): `v_k = m_k·2^(32−k)` for `k ≤ s`, then
/// `v_k = v_{k−s} ⊕ (v_{k−s} >> s) ⊕ ⊕_{i=1}^{s−1} a_i·v_{k−i}` with `a_i` the bits of `a`,
/// most significant first.
fn expand(s: usize, a: u32, m: &[u32]) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    for k in 0..BITS {
        v[k] = if k < s {
            m[k] << (BITS - 1 - k)
        } else {
            let mut x = v[k - s] ^ (v[k - s] >> s);
            for i in 1..s {
                if (a >> (s - 1 - i)) & 1 == 1 {
                    x ^= v[k - i];
                }
            }
            x
        };
    }
    v
}

/// Nested uniform scramble of a 32-digit coordinate, extended by 20 random digits, as a
/// uniform in (0, 1).
fn owen_scramble(digits: u32, key: u64) -> f64 {
    let x = u64::from(digits);
    let mut out: u64 = 0;
    for j in 0..BITS as u64 {
        let prefix = if j == 0 { 0 } else { x >> (BITS as u64 - j) };
        let flip = hash(key, (j << 32) | prefix) >> 63;
        let digit = (x >> (BITS as u64 - 1 - j)) & 1;
        out = (out << 1) | (digit ^ flip);
    }
    let tail = hash(key, ((BITS as u64) << 32) | x) >> (64 - EXTRA_BITS);
    let k = (out << EXTRA_BITS) | tail;
    (k as f64 + 0.5) * (1.0 / (1u64 << (BITS as u32 + EXTRA_BITS)) as f64)
}

/// A keyed 64-bit mix: the `splitmix64` finaliser (Steele et al. 2014) of `key ⊕ input`. It is
/// a bijection of its input for a fixed key, so distinct digit prefixes never collide.
fn hash(key: u64, input: u64) -> u64 {
    let mut z = (key ^ input).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first eight points of the first eight dimensions of the unscrambled sequence, as
    /// printed by Joe and Kuo's `sobol.cc` with `new-joe-kuo-6.21201` (and by SciPy 1.x
    /// `qmc.Sobol(d=8, scramble=False)`, which uses the same numbers and order).
    const JOE_KUO_FIRST_POINTS: [[f64; 8]; 8] = [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.25, 0.75],
        [0.25, 0.75, 0.75, 0.75, 0.25, 0.25, 0.75, 0.25],
        [0.375, 0.375, 0.625, 0.875, 0.375, 0.125, 0.375, 0.875],
        [0.875, 0.875, 0.125, 0.375, 0.875, 0.625, 0.875, 0.375],
        [0.625, 0.125, 0.875, 0.625, 0.625, 0.875, 0.125, 0.125],
        [0.125, 0.625, 0.375, 0.125, 0.125, 0.375, 0.625, 0.625],
    ];

    #[test]
    fn unscrambled_points_match_joe_kuo() {
        let sobol = SobolSequence::unscrambled(8).unwrap();
        for (i, expected) in JOE_KUO_FIRST_POINTS.iter().enumerate() {
            for (dim, &x) in expected.iter().enumerate() {
                assert_eq!(sobol.point(i as u32, dim), x, "point {i}, dim {dim}");
            }
        }
    }

    #[test]
    fn high_dimensions_match_joe_kuo() {
        // Points 1–5 of dimensions 61–64 (SciPy `qmc.Sobol(d=64, scramble=False)`).
        let expected = [
            [0.5, 0.5, 0.5, 0.5],
            [0.25, 0.75, 0.75, 0.75],
            [0.75, 0.25, 0.25, 0.25],
            [0.125, 0.375, 0.875, 0.125],
            [0.625, 0.875, 0.375, 0.625],
        ];
        let sobol = SobolSequence::unscrambled(64).unwrap();
        for (i, row) in expected.iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                assert_eq!(sobol.point(i as u32 + 1, 60 + j), x);
            }
        }
    }

    #[test]
    fn every_dimension_is_a_net_in_one_dimension() {
        // Each coordinate of the first 2^m points of a Sobol' sequence takes each value
        // j·2^-m exactly once (the sequence is a (0, m, 1)-net in every 1-D projection).
        let m = 10;
        let sobol = SobolSequence::unscrambled(MAX_SOBOL_DIMS).unwrap();
        for dim in (0..MAX_SOBOL_DIMS).step_by(37).chain([MAX_SOBOL_DIMS - 1]) {
            let mut seen = vec![false; 1 << m];
            for i in 0..1u32 << m {
                let cell = (sobol.point(i, dim) * f64::from(1u32 << m)) as usize;
                assert!(!seen[cell], "dim {dim}: cell {cell} twice");
                seen[cell] = true;
            }
        }
    }

    #[test]
    fn too_many_dimensions_are_rejected() {
        assert_eq!(
            SobolSequence::unscrambled(1001).unwrap_err(),
            DesignError::TooManySobolDims {
                requested: 1001,
                max: 1000
            }
        );
    }

    #[test]
    fn scrambling_keeps_points_inside_and_stratified() {
        let m = 12;
        let sobol = SobolSequence::scrambled(64, 2024).unwrap();
        for dim in 0..64 {
            let mut seen = vec![false; 1 << m];
            for i in 0..1u32 << m {
                let u = sobol.point(i, dim);
                assert!(u > 0.0 && u < 1.0);
                let cell = (u * f64::from(1u32 << m)) as usize;
                assert!(!seen[cell], "dim {dim}: cell {cell} twice");
                seen[cell] = true;
            }
        }
    }

    #[test]
    fn scrambles_differ_between_seeds_and_extend_across_dimensions() {
        let a = SobolSequence::scrambled(4, 1).unwrap();
        let b = SobolSequence::scrambled(4, 2).unwrap();
        let wide = SobolSequence::scrambled(40, 1).unwrap();
        assert_ne!(a.point(3, 2), b.point(3, 2));
        for dim in 0..4 {
            assert_eq!(a.point(7, dim), wide.point(7, dim));
        }
    }

    #[test]
    fn extreme_scrambled_values_stay_inside() {
        assert!(owen_scramble(0, 0) > 0.0);
        for key in 0..1000 {
            let u = owen_scramble(u32::MAX, key);
            assert!(u > 0.0 && u < 1.0);
        }
        let top = ((1u64 << 52) - 1) as f64 + 0.5;
        assert!(top * (1.0 / (1u64 << 52) as f64) < 1.0);
    }
}
