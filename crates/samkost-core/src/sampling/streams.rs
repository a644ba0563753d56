//! Every random stream a run uses, in one place.
//!
//! All randomness is ChaCha8 seeded with the run's seed (`seed_from_u64`) and set to a stream
//! (`set_stream`); a stream is a 64-bit number. The ranges below never overlap, so no two
//! purposes ever read the same random numbers, and each range's meaning stays fixed when a run
//! has more draws. docs/MODEL.md §8 and §11 list the same map.
//!
//! | streams | purpose |
//! |---|---|
//! | `d` for `0 ≤ d < 2^60` | draw `d` of a run: its uniforms (plain Monte Carlo) |
//! | `2^60 + d·K + k` | sampled core checks beyond exact reach: draw `d`, key `k` of `K` |
//! | `2^61 − 1` | permutations of the sampled Shapley value beyond exact reach |
//! | `2^61 + d` | planning draw `d` of the planning game |
//! | `2^62` | keys of the Owen scrambling of Sobol' points |
//! | `5·2^60 + d` | draw `d`'s membership events with a yearly probability (one uniform each) |
//! | `2^63 + j` | Latin hypercube column `j` (seed xor a block salt) |
//! | `3·2^62 + j` | Iman–Conover scores of correlated column `j` (seed xor a salt) |

/// First stream of a run's draws: draw `d` uses stream `d`.
pub const DRAWS: u64 = 0;

/// Streams of the sampled core checks start here: draw `d`, key `k` of `K` uses
/// `STABILITY + d·K + k`.
pub const STABILITY: u64 = 1 << 60;

/// Stream of the permutations of the sampled Shapley value.
pub const SAMPLED_SHAPLEY: u64 = PLANNING - 1;

/// Planning draw `d` uses stream `PLANNING + d`.
pub const PLANNING: u64 = 1 << 61;

/// Stream of the Owen-scrambling keys of Sobol' points.
pub const SOBOL_SCRAMBLE: u64 = 1 << 62;

/// Iman–Conover scores of correlated column `j` use stream `CORRELATION_SCORES + j`.
pub const CORRELATION_SCORES: u64 = 3 << 62;

/// Draw `d`'s membership events with a yearly probability use stream `EVENTS + d`.
pub const EVENTS: u64 = 5 << 60;

/// Latin hypercube column `j` uses stream `LATIN_HYPERCUBE + j`.
pub const LATIN_HYPERCUBE: u64 = 1 << 63;

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranges are ordered and leave room for 2^60 draws, 2^60 planning draws and 2^62
    /// columns.
    #[test]
    fn ranges_do_not_overlap() {
        let starts = [
            DRAWS,
            STABILITY,
            SAMPLED_SHAPLEY,
            PLANNING,
            SOBOL_SCRAMBLE,
            EVENTS,
            LATIN_HYPERCUBE,
            CORRELATION_SCORES,
        ];
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        assert_eq!(STABILITY - DRAWS, 1 << 60);
        assert_eq!(SOBOL_SCRAMBLE - PLANNING, 1 << 61);
        assert_eq!(CORRELATION_SCORES - LATIN_HYPERCUBE, 1 << 62);
        assert_eq!(LATIN_HYPERCUBE - EVENTS, 3 << 60);
    }
}
