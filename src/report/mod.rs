//! Turning results into bytes: JSON summary, CSV tables, the Excel workbook, the terminal
//! table.
//!
//! Only this module decides how results look; the command line decides where the bytes go.

pub mod allocate;
mod format;
pub mod json;
pub mod lang;
pub mod metrics;
#[cfg(feature = "parquet")]
mod parquet;
mod sensitivity;
pub mod sweep;
mod table;
mod xlsx;

pub use format::{fmt_nok, fmt_percent};
pub use json::{
    BandJson, PrecisionJson, SummaryJson, TornadoBarJson, TornadoJson, keys_csv, members_csv,
    summary, yearly_csv,
};
pub use lang::Lang;
#[cfg(feature = "parquet")]
pub use parquet::{ParquetError, draws_parquet};
pub use sensitivity::{InputSensitivity, SensitivityReport, sensitivity_csv, sensitivity_table};
pub use table::render_table;
pub use xlsx::{XlsxLabels, workbook};
