//! Tidy sweep results: one row per grid point × key × member.

/// One row of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// Grid point number.
    pub point: usize,
    /// One label per axis, in axis order.
    pub axis_values: Vec<String>,
    /// Key name.
    pub key: String,
    /// Member kommunenummer.
    pub member_id: String,
    /// Member name.
    pub member_name: String,
    /// Population.
    pub population: f64,
    /// Share of pooled cost in the first operating year.
    pub share: f64,
    /// Probability of gaining.
    pub p_win: f64,
    /// NPV of net benefit: mean, P10, P50, P90.
    pub npv: [f64; 4],
    /// Probability that all members gain under the key.
    pub p_all_win: f64,
    /// Mean NPV of the region.
    pub region_npv_mean: f64,
    /// Core stability (empty when not checked).
    pub p_core_stable: Option<f64>,
}

/// The CSV header for the given axis columns.
pub fn sweep_header(axis_columns: &[String]) -> Vec<String> {
    let mut header = vec!["point".to_owned()];
    header.extend(axis_columns.iter().cloned());
    header.extend(
        [
            "key",
            "member_id",
            "member_name",
            "population",
            "share",
            "p_win",
            "npv_mean",
            "npv_p10",
            "npv_p50",
            "npv_p90",
            "p_all_win",
            "region_npv_mean",
            "p_core_stable",
        ]
        .map(str::to_owned),
    );
    header
}

/// The fields of one row, in header order (floats in shortest round-trip form).
pub fn sweep_record(row: &SweepRow) -> Vec<String> {
    let mut r = vec![row.point.to_string()];
    r.extend(row.axis_values.iter().cloned());
    r.extend([
        row.key.clone(),
        row.member_id.clone(),
        row.member_name.clone(),
        row.population.to_string(),
        row.share.to_string(),
        row.p_win.to_string(),
    ]);
    r.extend(row.npv.iter().map(f64::to_string));
    r.extend([
        row.p_all_win.to_string(),
        row.region_npv_mean.to_string(),
        row.p_core_stable
            .map_or_else(String::new, |p| p.to_string()),
    ]);
    r
}

/// CSV bytes of a header and records.
pub fn csv_bytes(header: &[String], records: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in records {
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Parquet bytes of a header and records: `point` as an integer, the numeric columns as
/// floats (empty → null), the rest as strings.
#[cfg(feature = "parquet")]
pub fn parquet_bytes(
    header: &[String],
    records: &[Vec<String>],
) -> Result<Vec<u8>, polars::prelude::PolarsError> {
    use polars::prelude::*;
    const NUMERIC: &[&str] = &[
        "population",
        "share",
        "p_win",
        "npv_mean",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "p_all_win",
        "region_npv_mean",
        "p_core_stable",
    ];
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let cells = records.iter().map(|r| r[c].as_str());
            if name == "point" {
                Column::new(
                    name.as_str().into(),
                    cells
                        .map(|v| v.parse::<u64>().unwrap_or(0))
                        .collect::<Vec<_>>(),
                )
            } else if NUMERIC.contains(&name.as_str())
                || name.starts_with("parameter:")
                || name.starts_with("key:")
            {
                Column::new(
                    name.as_str().into(),
                    cells.map(|v| v.parse::<f64>().ok()).collect::<Vec<_>>(),
                )
            } else {
                Column::new(name.as_str().into(), cells.collect::<Vec<_>>())
            }
        })
        .collect();
    let mut frame = DataFrame::new(records.len(), columns)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut frame)?;
    Ok(bytes)
}
