//! CSV dialects: the tidy standard form (UTF-8, `,`, decimal point) that scripts read, and the
//! form Norwegian Excel opens by double-click (UTF-8 with a byte order mark, `;` between
//! fields, decimal comma).
//!
//! Every CSV is built in the standard form first; [`to_dialect`] then rewrites it, so the
//! numbers are the same digits in both forms and no writer needs to know the dialect.

use std::str::FromStr;

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// UTF-8 without a byte order mark, `,` between fields, decimal point (RFC 4180).
    #[default]
    Standard,
    /// Excel with Norwegian regional settings: a UTF-8 byte order mark (without it Excel reads
    /// the file as Windows-1252 and breaks æ, ø and å), `;` between fields (Excel's list
    /// separator where the decimal separator is a comma) and a decimal comma.
    ExcelNb,
}

impl CsvDialect {
    /// The dialect's field separator.
    pub fn delimiter(self) -> u8 {
        match self {
            CsvDialect::Standard => b',',
            CsvDialect::ExcelNb => b';',
        }
    }
}

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a field is a number as the standard form writes it (Rust's shortest round-trip
/// formatting: an optional minus sign, digits, an optional fraction; no exponent, no digit
/// grouping).
fn is_plain_number(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && f64::from_str(field).is_ok()
}

/// Rewrites a standard CSV (header row first) in `dialect`. A column's decimal points become
/// commas only when every non-empty field below its header is a plain number, so a name that
/// happens to look like a number in a column of names keeps its point.
pub fn to_dialect(standard: &[u8], dialect: CsvDialect) -> Result<Vec<u8>, csv::Error> {
    if dialect == CsvDialect::Standard {
        return Ok(standard.to_vec());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(standard);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let n_columns = rows.iter().map(csv::StringRecord::len).max().unwrap_or(0);
    let numeric: Vec<bool> = (0..n_columns)
        .map(|c| {
            rows.iter()
                .skip(1)
                .filter_map(|row| row.get(c))
                .filter(|field| !field.is_empty())
                .all(is_plain_number)
        })
        .collect();
    let mut out = BOM.to_vec();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .flexible(true)
        .from_writer(&mut out);
    for (r, row) in rows.iter().enumerate() {
        let fields = row.iter().enumerate().map(|(c, field)| {
            if r > 0 && numeric[c] {
                field.replacen('.', ",", 1)
            } else {
                field.to_owned()
            }
        });
        writer.write_record(fields)?;
    }
    writer.flush()?;
    drop(writer);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_only() {
        for yes in ["0", "-1.5", "1234567.125", "0.000001"] {
            assert!(is_plain_number(yes), "{yes}");
        }
        for no in [
            "", "-", "1.", ".5", "1e5", "NaN", "inf", "1 234", "30/70", "1.2.3", "a",
        ] {
            assert!(!is_plain_number(no), "{no}");
        }
    }

    #[test]
    fn the_norwegian_dialect_changes_separators_not_digits() {
        let standard =
            b"key,member_name,share,note\n30/70,Sula,0.25,\"a, b\"\n1.5,\xC3\x98rsta,-1200.5,x;y\n";
        let nb = to_dialect(standard, CsvDialect::ExcelNb).unwrap();
        assert_eq!(
            String::from_utf8(nb).unwrap(),
            "\u{feff}key;member_name;share;note\n30/70;Sula;0,25;a, b\n1.5;Ørsta;-1200,5;\"x;y\"\n"
        );
        assert_eq!(
            to_dialect(standard, CsvDialect::Standard).unwrap(),
            standard.to_vec()
        );
    }
}
