//! Uncertain inputs: probability distributions with quantile functions.
//!
//! Every distribution can be sampled directly (`sample`) and through its quantile function
//! (`quantile`), so Monte Carlo, Latin hypercube and Sobol' sampling all see the same marginals.

mod continuous;
mod discrete;
mod distribution;
mod error;
mod overrun;
mod special;

pub use distribution::{DEFAULT_PERT_SHAPE, Distribution};
pub use error::DistributionError;
