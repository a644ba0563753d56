//! Turning results into bytes: JSON summary, CSV tables, the terminal table, the Excel
//! workbook, the HTML report.
//!
//! Only this module decides how results look; the command line decides where the bytes go.

pub mod accounts;
pub mod accounts_labels;
pub mod allocate;
mod calibration;
pub mod case_docx;
mod csv_dialect;
pub mod design;
pub mod existing;
pub mod explorer;
mod format;
pub mod html;
pub mod inputs;
pub mod json;
pub mod lang;
pub mod leaving;
pub mod membership;
pub mod metrics;
#[cfg(feature = "parquet")]
mod parquet;
pub mod payments;
pub mod recommend;
mod sensitivity;
mod svg;
pub mod sweep;
mod table;
mod tables_csv;
pub mod views;
mod xlsx;

pub use csv_dialect::{CsvDialect, to_dialect};
pub use format::{fmt_nok, fmt_percent};
pub use html::{
    CaseLabels, HtmlLabels, ShortAnswer, case_summary_html, member_page_html, member_page_name,
    report_html, short_answer,
};
pub use json::{
    BandJson, OriginJson, PrecisionJson, SobolInputJson, SobolJson, SummaryJson, TornadoBarJson,
    TornadoJson, summary,
};
pub use lang::Lang;
#[cfg(feature = "parquet")]
pub use parquet::{ParquetError, draws_parquet};
pub use sensitivity::{InputSensitivity, SensitivityReport, sensitivity_csv, sensitivity_table};
pub use table::{TableLayout, render_table};
pub use tables_csv::{keys_csv, members_csv, yearly_csv};
pub use xlsx::leaving as workbook_leaving;
pub use xlsx::{XlsxLabels, workbook};
