//! The embedded list of Norwegian municipalities (Statistics Norway, population 1.1.2024).

use std::sync::OnceLock;

/// The CSV as shipped in `data/kommuner_2024.csv`.
const KOMMUNER_CSV: &str = include_str!("../../data/kommuner_2024.csv");

/// One municipality of the embedded table.
#[derive(Debug, Clone, PartialEq)]
pub struct Kommune {
    /// Four-digit kommunenummer.
    pub id: String,
    /// Name.
    pub name: String,
    /// County name.
    pub county: String,
    /// County number.
    pub county_id: String,
    /// Population on 1 January 2024.
    pub population: f64,
}

/// All 357 municipalities, in file order.
pub fn all() -> &'static [Kommune] {
    static TABLE: OnceLock<Vec<Kommune>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(KOMMUNER_CSV.as_bytes());
        reader
            .records()
            .map(|record| {
                // The file is part of the binary and checked by a test; a bad row is a bug.
                let r = record.expect("embedded kommuner_2024.csv is valid CSV");
                Kommune {
                    id: r[0].to_owned(),
                    name: r[1].to_owned(),
                    county_id: r[3].to_owned(),
                    county: r[4].to_owned(),
                    population: r[6].parse().expect("embedded population is a number"),
                }
            })
            .collect()
    })
}

/// Looks up a municipality by kommunenummer.
pub fn by_id(id: &str) -> Option<&'static Kommune> {
    all().iter().find(|k| k.id == id)
}

/// Municipalities whose name matches `name` (case-insensitive); names can repeat.
pub fn by_name(name: &str) -> Vec<&'static Kommune> {
    all()
        .iter()
        .filter(|k| {
            k.name.eq_ignore_ascii_case(name) || k.name.to_lowercase() == name.to_lowercase()
        })
        .collect()
}

/// A hint for an unknown kommunenummer: the number of a municipality with that name, or
/// nothing.
pub fn hint_for_unknown(id: &str) -> String {
    let by_name = by_name(id);
    if !by_name.is_empty() {
        let list: Vec<String> = by_name
            .iter()
            .map(|k| format!("{} ({}, {})", k.id, k.name, k.county))
            .collect();
        return format!(
            "members are identified by kommunenummer: {}",
            list.join(" or ")
        );
    }
    "use the four-digit kommunenummer of 2024, e.g. \"1517\" for Hareid; see data/kommuner_2024.csv"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_matches_national_total() {
        // data/README.md: the column total is SSB's national figure for 1.1.2024.
        let total: f64 = all().iter().map(|k| k.population).sum();
        assert_eq!(all().len(), 357);
        assert_eq!(total, 5_550_203.0);
        assert_eq!(by_id("1515").unwrap().name, "Herøy");
        assert_eq!(by_name("Herøy").len(), 2);
    }
}
