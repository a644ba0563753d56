//! Uncertain inputs: probability distributions with quantile functions.
//!
//! Every distribution can be sampled directly (`sample`) and through its quantile function
//! (`quantile`), so Monte Carlo, Latin hypercube and Sobol' sampling all see the same marginals.

mod beta_inverse;
mod continuous;
mod correlation;
mod discrete;
mod distribution;
mod error;
mod lhs;
mod nearest_correlation;
mod overrun;
mod rank;
mod sobol_sequence;
mod special;
pub mod streams;
mod uniforms;

pub use correlation::{
    CorrelatedScores, CorrelationError, CorrelationMatrix, RankCorrelation, RepairReport,
    SYMMETRY_TOLERANCE, SortedColumns, normal_score_pearson_to_spearman,
    spearman_to_normal_score_pearson,
};
pub use distribution::{DEFAULT_PERT_SHAPE, Distribution};
pub use error::DistributionError;
pub use nearest_correlation::EIGEN_FLOOR;
pub use rank::{pearson, ranks, spearman, spearman_matrix};
pub use sobol_sequence::{MAX_SOBOL_DIMS, SobolSequence};
pub(crate) use special::exp_each;
pub use uniforms::{
    DesignError, MAX_SOBOL_POINTS, MonteCarloRow, MonteCarloStreams, SamplingMethod, UniformMatrix,
    monte_carlo_row, uniforms,
};
