//! Turning results into bytes: JSON summary, CSV tables, the terminal table.
//!
//! Only this module decides how results look; the command line decides where the bytes go.

pub mod allocate;
mod format;
mod json;
#[cfg(feature = "parquet")]
mod parquet;
mod sensitivity;
pub mod sweep;
mod table;

pub use format::{fmt_nok, fmt_percent};
pub use json::{SummaryJson, members_csv, summary};
#[cfg(feature = "parquet")]
pub use parquet::{ParquetError, draws_parquet};
pub use sensitivity::{InputSensitivity, SensitivityReport, sensitivity_csv, sensitivity_table};
pub use table::render_table;
