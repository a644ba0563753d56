//! Turning results into bytes: JSON summary, CSV tables, the terminal table.
//!
//! Only this module decides how results look; the command line decides where the bytes go.

pub mod allocate;
mod format;
mod json;
mod sensitivity;
pub mod sweep;
mod table;

pub use format::{fmt_nok, fmt_percent};
pub use json::{SummaryJson, members_csv, summary};
pub use sensitivity::{InputSensitivity, SensitivityReport, sensitivity_csv, sensitivity_table};
pub use table::render_table;
