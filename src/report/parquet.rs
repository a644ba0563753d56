//! Per-draw results as Parquet (tidy: one row per draw, key and member), built with polars.

use polars::prelude::*;
use samkost_core::simulation::RunResults;

use crate::scenario::Scenario;

/// Why the Parquet file could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// The run kept no per-draw values.
    #[error("the run kept no per-draw values (it had more draws than --max-stored-draws)")]
    NoDraws,
    /// polars failed.
    #[error("failed to build the Parquet file: {0}")]
    Polars(#[from] PolarsError),
}

/// Columns `draw`, `key` (empty for the region), `member_id` (`region` for the region),
/// `npv_net_benefit` (NOK).
pub fn draws_parquet(scenario: &Scenario, results: &RunResults) -> Result<Vec<u8>, ParquetError> {
    if !results.draws_kept() {
        return Err(ParquetError::NoDraws);
    }
    let n = scenario.model.n_members();
    let rows = results.n_draws as usize * (results.keys.len() * n + 1);
    let (mut draw, mut key, mut member, mut npv) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for d in 0..results.n_draws as usize {
        for (k, outcome) in results.keys.iter().enumerate() {
            for (i, m) in scenario.model.members.iter().enumerate() {
                draw.push(d as u64);
                key.push(outcome.name.clone());
                member.push(m.id.clone());
                npv.push(
                    results
                        .draw_member_npv(k, i, d)
                        .ok_or(ParquetError::NoDraws)?,
                );
            }
        }
        draw.push(d as u64);
        key.push(String::new());
        member.push("region".to_owned());
        npv.push(results.draw_region_npv(d).ok_or(ParquetError::NoDraws)?);
    }
    let height = draw.len();
    let mut frame = DataFrame::new(
        height,
        vec![
            Column::new("draw".into(), draw),
            Column::new("key".into(), key),
            Column::new("member_id".into(), member),
            Column::new("npv_net_benefit".into(), npv),
        ],
    )?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut frame)?;
    Ok(bytes)
}
