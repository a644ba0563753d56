//! Uncertain inputs: probability distributions with quantile functions.
//!
//! Every distribution can be sampled directly (`sample`) and through its quantile function
//! (`quantile`), so Monte Carlo, Latin hypercube and Sobol' sampling all see the same marginals.

mod distribution;

pub use distribution::{Distribution, DistributionError};
