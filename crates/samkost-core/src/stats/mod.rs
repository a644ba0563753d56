//! Statistics of per-draw results: type-7 and type-1 quantiles (by selection), summaries,
//! proportions with their standard errors, and the DDSketch of long runs.

mod select;
pub mod sketch;
mod summary;

pub(crate) use select::{sort_key, type7_quantiles};
pub use sketch::QuantileSketch;
pub use summary::{
    COLUMNS_TOGETHER, PERCENTILE_LEVELS, Proportion, Summary, quantile_type1, quantile_type7,
    quantiles_type7_unsorted,
};
