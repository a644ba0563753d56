//! Sweep results as bytes: the tidy table (one row per grid point × key × member, the grid
//! values as columns) in CSV, its reader (for merging shards) and the shard completion marker.
//!
//! Numbers are written with Rust's shortest round-trip formatting (always with a decimal point
//! or an exponent), so reading a CSV back and
//! writing it again gives the same bytes, and the same inputs give byte-identical files on
//! any thread count. Rows are ordered by point, then key (scenario order), then member.

use samkost_core::simulation::RunResults;
use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;
use crate::scenario::grid::AxisValue;

/// Columns after the point and the axes, in order (defined with the grid format, which keeps
/// axes off these names).
pub use crate::scenario::grid::VALUE_COLUMNS;

/// A grid axis as a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AxisColumn {
    /// Column name.
    pub name: String,
    /// Text (member-set labels) rather than numbers.
    pub text: bool,
}

/// The tidy sweep table.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepTable {
    /// Axis columns, between `point` and `key`.
    pub axes: Vec<AxisColumn>,
    /// Rows ordered by point, key, member.
    pub rows: Vec<SweepRow>,
}

/// One grid point × key × member.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// Grid point number.
    pub point: u64,
    /// Value of each axis at the point.
    pub axis_values: Vec<AxisValue>,
    /// Key name.
    pub key: String,
    /// Kommunenummer.
    pub member_id: String,
    /// Member name.
    pub member_name: String,
    /// Population.
    pub population: f64,
    /// The member's results under the key; `None` when the key was skipped at this point.
    pub outcome: Option<MemberRow>,
    /// The region's NPV of net benefit: mean, P10, P50, P90, and the probability it is
    /// positive (the same for every key).
    pub region: [f64; 5],
    /// Why the key was skipped, or empty.
    pub note: String,
}

/// A member's results under a key at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemberRow {
    /// Share of the pooled cost in the first operating year.
    pub share: f64,
    /// Probability of gaining and its standard error.
    pub p_win: [f64; 2],
    /// NPV of net benefit: mean, its standard error, P10, P50, P90.
    pub npv: [f64; 5],
    /// Probability that every member gains under the key.
    pub p_all_win: f64,
    /// Probability that no coalition would do better alone (`None`: not checked).
    pub p_core_stable: Option<f64>,
}

/// The rows of one point: every key of the scenario (in its order) × member. Keys in
/// `skipped` (name, reason) get rows without results and the reason as a note.
pub fn point_rows(
    point: u64,
    axis_values: &[AxisValue],
    scenario: &Scenario,
    results: &RunResults,
    skipped: &[(String, String)],
) -> Vec<SweepRow> {
    let region = &results.region_npv;
    let region = [
        region.mean,
        region.p10,
        region.p50,
        region.p90,
        results.region_p_win.p,
    ];
    let mut rows = Vec::new();
    for key in &scenario.keys {
        let outcome = results.keys.iter().find(|k| k.name == key.name);
        let note = skipped
            .iter()
            .find(|(name, _)| *name == key.name)
            .map(|(_, why)| format!("skipped: {why}"))
            .unwrap_or_default();
        for (idx, member) in scenario.model.members.iter().enumerate() {
            let outcome = outcome.map(|k| {
                let o = &k.members[idx];
                let s = &o.npv_net_benefit;
                MemberRow {
                    share: o.share_first_operating_year,
                    p_win: [o.p_win.p, o.p_win.se],
                    npv: [s.mean, s.se_mean, s.p10, s.p50, s.p90],
                    p_all_win: k.p_all_win.p,
                    p_core_stable: k.p_core_stable.map(|p| p.p),
                }
            });
            rows.push(SweepRow {
                point,
                axis_values: axis_values.to_vec(),
                key: key.name.clone(),
                member_id: member.id.clone(),
                member_name: member.name.clone(),
                population: member.population,
                outcome,
                region,
                note: note.clone(),
            });
        }
    }
    rows
}

/// The header of a sweep CSV with these axes.
pub fn header(axes: &[AxisColumn]) -> Vec<String> {
    std::iter::once("point".to_owned())
        .chain(axes.iter().map(|a| a.name.clone()))
        .chain(VALUE_COLUMNS.iter().map(|&c| c.to_owned()))
        .collect()
}

/// Shortest round-trip decimal that always reads as a float (`0.0`, `5322.0`, `1e21`), so that
/// readers that infer column types do not take a column for integers.
fn num(v: f64) -> String {
    format!("{v:?}")
}

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// The table as CSV.
pub fn sweep_csv(table: &SweepTable) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(&table.axes))?;
    for row in &table.rows {
        let mut record = vec![row.point.to_string()];
        record.extend(row.axis_values.iter().map(|v| match v {
            AxisValue::Number(x) => num(*x),
            AxisValue::Label(s) => s.clone(),
        }));
        record.extend([
            row.key.clone(),
            row.member_id.clone(),
            row.member_name.clone(),
            num(row.population),
        ]);
        let o = row.outcome.as_ref();
        record.push(opt(o.map(|o| o.share)));
        record.extend((0..2).map(|i| opt(o.map(|o| o.p_win[i]))));
        record.extend((0..5).map(|i| opt(o.map(|o| o.npv[i]))));
        record.push(opt(o.map(|o| o.p_all_win)));
        record.push(opt(o.and_then(|o| o.p_core_stable)));
        record.extend(row.region.iter().map(|&v| num(v)));
        record.push(row.note.clone());
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Reads a sweep CSV written by [`sweep_csv`] with the given axes.
pub fn read_sweep_csv(bytes: &[u8], axes: &[AxisColumn]) -> Result<SweepTable, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.records();
    let expected = header(axes);
    let head = records
        .next()
        .ok_or("the file is empty")?
        .map_err(|e| e.to_string())?;
    if head.iter().ne(expected.iter().map(String::as_str)) {
        return Err(format!(
            "unexpected columns: expected {}",
            expected.join(",")
        ));
    }
    let mut rows = Vec::new();
    for (line, record) in records.enumerate() {
        let record = record.map_err(|e| e.to_string())?;
        let row = read_row(&record, axes).map_err(|e| format!("row {}: {e}", line + 1))?;
        rows.push(row);
    }
    Ok(SweepTable {
        axes: axes.to_vec(),
        rows,
    })
}

fn read_row(record: &csv::StringRecord, axes: &[AxisColumn]) -> Result<SweepRow, String> {
    let field = |i: usize| {
        record
            .get(i)
            .ok_or_else(|| format!("missing column {}", i + 1))
    };
    let float = |i: usize| -> Result<f64, String> {
        let text = field(i)?;
        text.parse::<f64>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    let opt_float = |i: usize| -> Result<Option<f64>, String> {
        if field(i)?.is_empty() {
            Ok(None)
        } else {
            float(i).map(Some)
        }
    };
    let point = field(0)?
        .parse::<u64>()
        .map_err(|_| "the point is not a number".to_owned())?;
    let mut axis_values = Vec::with_capacity(axes.len());
    for (i, axis) in axes.iter().enumerate() {
        axis_values.push(if axis.text {
            AxisValue::Label(field(1 + i)?.to_owned())
        } else {
            AxisValue::Number(float(1 + i)?)
        });
    }
    let c = 1 + axes.len();
    let share = opt_float(c + 4)?;
    let outcome = match share {
        None => None,
        Some(share) => Some(MemberRow {
            share,
            p_win: [float(c + 5)?, float(c + 6)?],
            npv: [
                float(c + 7)?,
                float(c + 8)?,
                float(c + 9)?,
                float(c + 10)?,
                float(c + 11)?,
            ],
            p_all_win: float(c + 12)?,
            p_core_stable: opt_float(c + 13)?,
        }),
    };
    Ok(SweepRow {
        point,
        axis_values,
        key: field(c)?.to_owned(),
        member_id: field(c + 1)?.to_owned(),
        member_name: field(c + 2)?.to_owned(),
        population: float(c + 3)?,
        outcome,
        region: [
            float(c + 14)?,
            float(c + 15)?,
            float(c + 16)?,
            float(c + 17)?,
            float(c + 18)?,
        ],
        note: field(c + 19)?.to_owned(),
    })
}

/// The table as Parquet: the same columns as the CSV, typed (`point` u64; axis values f64 or
/// text; result columns f64, null where a key was skipped or stability was not checked).
#[cfg(feature = "parquet")]
pub fn sweep_parquet(table: &SweepTable) -> Result<Vec<u8>, polars::prelude::PolarsError> {
    use polars::prelude::*;
    let rows = &table.rows;
    let text = |f: &dyn Fn(&SweepRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let nums = |f: &dyn Fn(&SweepRow) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    let out = |f: &dyn Fn(&MemberRow) -> Option<f64>| {
        rows.iter()
            .map(|r| r.outcome.as_ref().and_then(f))
            .collect::<Vec<_>>()
    };
    let mut columns = vec![Column::new(
        "point".into(),
        rows.iter().map(|r| r.point).collect::<Vec<u64>>(),
    )];
    for (i, axis) in table.axes.iter().enumerate() {
        let name = axis.name.as_str().into();
        columns.push(if axis.text {
            Column::new(
                name,
                text(&|r| match &r.axis_values[i] {
                    AxisValue::Label(s) => s.clone(),
                    AxisValue::Number(x) => x.to_string(),
                }),
            )
        } else {
            Column::new(
                name,
                nums(&|r| match &r.axis_values[i] {
                    AxisValue::Number(x) => Some(*x),
                    AxisValue::Label(_) => None,
                }),
            )
        });
    }
    columns.push(Column::new("key".into(), text(&|r| r.key.clone())));
    columns.push(Column::new(
        "member_id".into(),
        text(&|r| r.member_id.clone()),
    ));
    columns.push(Column::new(
        "member_name".into(),
        text(&|r| r.member_name.clone()),
    ));
    columns.push(Column::new(
        "population".into(),
        nums(&|r| Some(r.population)),
    ));
    columns.push(Column::new("share".into(), out(&|o| Some(o.share))));
    for (i, name) in ["p_win", "p_win_se"].into_iter().enumerate() {
        columns.push(Column::new(name.into(), out(&|o| Some(o.p_win[i]))));
    }
    let npv = ["npv_mean", "npv_se", "npv_p10", "npv_p50", "npv_p90"];
    for (i, name) in npv.into_iter().enumerate() {
        columns.push(Column::new(name.into(), out(&|o| Some(o.npv[i]))));
    }
    columns.push(Column::new("p_all_win".into(), out(&|o| Some(o.p_all_win))));
    columns.push(Column::new(
        "p_core_stable".into(),
        out(&|o| o.p_core_stable),
    ));
    let region = [
        "region_npv_mean",
        "region_npv_p10",
        "region_npv_p50",
        "region_npv_p90",
        "region_p_win",
    ];
    for (i, name) in region.into_iter().enumerate() {
        columns.push(Column::new(name.into(), nums(&|r| Some(r.region[i]))));
    }
    columns.push(Column::new("note".into(), text(&|r| r.note.clone())));
    let mut frame = DataFrame::new(rows.len(), columns)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut frame)?;
    Ok(bytes)
}

/// Combines shard tables into the table of the whole sweep: rows ordered by point (each
/// point's rows keep their order).
pub fn merge_tables(tables: Vec<SweepTable>) -> Result<SweepTable, String> {
    let mut tables = tables.into_iter();
    let mut merged = tables.next().ok_or("nothing to merge")?;
    for table in tables {
        if table.axes != merged.axes {
            return Err("the shards have different grid columns".to_owned());
        }
        merged.rows.extend(table.rows);
    }
    merged.rows.sort_by_key(|r| r.point);
    Ok(merged)
}

/// Written last next to a shard's files: the shard is complete and belongs to the sweep
/// with this hash. A rerun skips a shard whose marker matches its sweep and whose CSV still
/// has the recorded checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardMarker {
    /// Format tag, `samkost-sweep-shard/1`.
    pub format: String,
    /// samkost version that wrote the shard.
    pub samkost_version: String,
    /// Fingerprint of the scenario, grid and settings (not the thread count).
    pub sweep_hash: String,
    /// This shard's number `K` (0-based).
    pub shard: u64,
    /// Number of shards `N`.
    pub shards: u64,
    /// Points of the whole grid.
    pub grid_points: u64,
    /// Points in this shard.
    pub points: u64,
    /// Rows in the CSV.
    pub rows: u64,
    /// Name of the CSV file in the same directory.
    pub csv: String,
    /// FNV-1a (64-bit, hex) of the CSV's bytes.
    pub csv_fnv1a: String,
    /// The axis columns, to read the CSV back.
    pub axes: Vec<AxisColumn>,
}

/// Format tag of [`ShardMarker`].
pub const MARKER_FORMAT: &str = "samkost-sweep-shard/1";

impl ShardMarker {
    /// The marker as pretty JSON with a final newline.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Reads a marker; `None` when it is not one (e.g. a truncated file).
    pub fn from_json(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice::<Self>(bytes)
            .ok()
            .filter(|m| m.format == MARKER_FORMAT)
    }

    /// Checks the shard numbers a merge relies on: `shards` ≥ 1, `shard` < `shards` and
    /// `shards` ≤ `max(grid_points, MAX_SHARDS)` (see [`shard_limit`]). The error names
    /// the field and its value. A marker edited by hand or written by another tool can break
    /// any of them, and a merge must not index or allocate from such a number.
    pub fn check_numbers(&self) -> Result<(), String> {
        if self.shards == 0 {
            return Err("field `shards` is 0, expected at least 1".to_owned());
        }
        if self.shard >= self.shards {
            return Err(format!(
                "field `shard` is {}, expected less than `shards` ({}): shards are numbered 0 to N−1",
                self.shard, self.shards
            ));
        }
        if self.shards > shard_limit(self.grid_points) {
            return Err(format!(
                "field `shards` is {}, more than a sweep of {} points accepts ({})",
                self.shards,
                self.grid_points,
                shard_limit(self.grid_points)
            ));
        }
        Ok(())
    }
}

/// Most shards a sweep may be split into beyond its number of points: shards past the last
/// point are empty, which clusters with a fixed job size need (a job array of 8 tasks on a
/// 6-point grid), and a merge counts them without allocating per shard.
pub const MAX_SHARDS: u64 = 10_000;

/// The largest shard count a sweep of `grid_points` points accepts: `max(points, MAX_SHARDS)`.
pub fn shard_limit(grid_points: u64) -> u64 {
    grid_points.max(MAX_SHARDS)
}

/// Format tag of a point checkpoint (see [`point_checkpoint`]).
pub const POINT_FORMAT: &str = "samkost-sweep-point/1";

/// A finished point's rows as a checkpoint file: a first line
/// `# samkost-sweep-point/1 fnv1a=H`, then the point's CSV. `H` is the FNV-1a of the format
/// tag, the sweep's hash, the point number and the CSV, so a checkpoint that was edited,
/// truncated, or belongs to another point or sweep does not match.
pub fn point_checkpoint(sweep_hash: &str, point: u64, csv: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "# {POINT_FORMAT} fnv1a={}\n",
        point_checksum(sweep_hash, point, csv)
    )
    .into_bytes();
    bytes.extend_from_slice(csv);
    bytes
}

/// The CSV of a point checkpoint written by [`point_checkpoint`] for this sweep and point, or
/// why it is not one (which the sweep reports before computing the point again).
pub fn read_point_checkpoint<'a>(
    bytes: &'a [u8],
    sweep_hash: &str,
    point: u64,
) -> Result<&'a [u8], String> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("it has no checksum line")?;
    let (first, csv) = (&bytes[..newline], &bytes[newline + 1..]);
    let recorded = std::str::from_utf8(first)
        .ok()
        .and_then(|line| line.strip_prefix(&format!("# {POINT_FORMAT} fnv1a=")))
        .ok_or("it has no checksum line")?;
    if recorded != point_checksum(sweep_hash, point, csv) {
        return Err("its checksum does not match its contents".to_owned());
    }
    Ok(csv)
}

fn point_checksum(sweep_hash: &str, point: u64, csv: &[u8]) -> String {
    let mut bytes = format!("{POINT_FORMAT}\n{sweep_hash}\n{point}\n").into_bytes();
    bytes.extend_from_slice(csv);
    fnv1a_hex(&bytes)
}

/// FNV-1a, 64 bits, as 16 hex digits: a checksum that is the same on every platform.
pub fn fnv1a_hex(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(point: u64, outcome: bool) -> SweepRow {
        SweepRow {
            point,
            axis_values: vec![
                AxisValue::Number(0.1 + point as f64 / 3.0),
                AxisValue::Label("Hareid+Herøy, \"x\"".to_owned()),
            ],
            key: "30/70".to_owned(),
            member_id: "1517".to_owned(),
            member_name: "Hareid".to_owned(),
            population: 5322.0,
            outcome: outcome.then_some(MemberRow {
                share: 1.0 / 3.0,
                p_win: [0.5, 0.01],
                npv: [-1e7 / 3.0, 1234.5, -1e-300, 0.0, 1e21],
                p_all_win: 0.25,
                p_core_stable: None,
            }),
            region: [1.0, 2.0, 3.0, 4.0, 0.9],
            note: if outcome {
                String::new()
            } else {
                "skipped: x".to_owned()
            },
        }
    }

    #[test]
    fn csv_reads_back_to_the_same_bytes() {
        let axes = vec![
            AxisColumn {
                name: "scope_growth".to_owned(),
                text: false,
            },
            AxisColumn {
                name: "members".to_owned(),
                text: true,
            },
        ];
        let table = SweepTable {
            axes: axes.clone(),
            rows: vec![row(0, true), row(1, false)],
        };
        let bytes = sweep_csv(&table).unwrap();
        let back = read_sweep_csv(&bytes, &axes).unwrap();
        assert_eq!(back, table);
        assert_eq!(sweep_csv(&back).unwrap(), bytes);
    }

    #[test]
    fn merge_orders_by_point_and_keeps_row_order_within_a_point() {
        let axes = vec![AxisColumn {
            name: "a".to_owned(),
            text: false,
        }];
        let mk = |points: &[u64]| SweepTable {
            axes: axes.clone(),
            rows: points
                .iter()
                .map(|&p| {
                    let mut r = row(p, true);
                    r.axis_values.truncate(1);
                    r
                })
                .collect(),
        };
        let merged = merge_tables(vec![mk(&[1, 3]), mk(&[0, 2])]).unwrap();
        let points: Vec<u64> = merged.rows.iter().map(|r| r.point).collect();
        assert_eq!(points, [0, 1, 2, 3]);
    }

    #[test]
    fn a_point_checkpoint_reads_back_only_unchanged_and_for_its_sweep_and_point() {
        let csv = b"point,x\n3,1\n";
        let file = point_checkpoint("abc", 3, csv);
        assert_eq!(read_point_checkpoint(&file, "abc", 3), Ok(&csv[..]));
        assert!(read_point_checkpoint(&file, "abd", 3).is_err());
        assert!(read_point_checkpoint(&file, "abc", 4).is_err());
        let edited = String::from_utf8(file.clone())
            .unwrap()
            .replace("3,1", "3,2");
        assert!(read_point_checkpoint(edited.as_bytes(), "abc", 3).is_err());
        assert!(read_point_checkpoint(&file[..file.len() - 1], "abc", 3).is_err());
        assert!(read_point_checkpoint(csv, "abc", 3).is_err());
    }
}
