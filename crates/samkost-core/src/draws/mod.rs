//! Where each draw's parameter values come from, and the map of every random stream.
//!
//! [`streams`] lists the ChaCha8 stream ranges of every purpose. [`ParameterDesign`] holds a
//! block's design (Latin hypercube, scrambled Sobol', correlated uniforms); plain Monte Carlo
//! without correlations needs none and reads draw `d`'s stream directly.

mod parameters;
pub use crate::sampling::streams;

pub use parameters::{
    DESIGN_BLOCK_DRAWS, DesignBuildError, FILL_GROUP_DRAWS, FillCache, ParameterDesign,
    parameter_sample, parameter_template, sample_parameters,
};
