//! Scenario workbooks (`.xlsx`): the scenario format laid out on sheets a finance office can
//! fill in Excel.
//!
//! A workbook is another spelling of the TOML scenario, not a second model: the reader turns
//! its cells into the TOML tree the scenario reader takes (every cell one `path = value`
//! entry) and maps each problem that reader finds back to the sheet and cell it came from, so
//! every check of a TOML scenario applies unchanged and a field added to the scenario format
//! needs no work here. The writer lays out any scenario's tree the same way, so a TOML
//! scenario converts to a workbook and back to the same validated scenario (comments aside).
//!
//! Sheets (docs/MODEL.md §12):
//! - `scenario`: `field | value | …` rows with paths from the root (`first_year`,
//!   `transition.parallel_months`, `drivers.users.per_inhabitant`);
//! - `members`: one row per member, one column per field (`id`, `drivers.users`, …);
//! - `inputs`: the uncertain inputs (`[parameters]`), `name | field | value | dist | min | …`;
//! - `correlations`, `components`, `lines`, `keys`: one entry per `name`, one row per field.
//!
//! A row whose `dist` is filled is a distribution (`dist`, `min`, `mode`, `max` … in their
//! columns); otherwise `value` holds a number, text or TRUE/FALSE, and `toml` any TOML value
//! (an array such as licence tiers).

mod cells;
mod notes;
mod read;
mod write;

pub use read::{Generated, parse_workbook, workbook_to_toml};
pub use write::{WorkbookOptions, scenario_workbook};

use samkost_core::allocation::GameMethod;

/// How a sheet's rows map to the scenario's tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `field | value | …` rows with paths from the scenario's root.
    Root,
    /// `name | field | value | …` rows: `name` is the entry of a table of tables.
    Map(&'static str),
    /// `name | field | value | …` rows: a new `name` starts an entry of an array of tables.
    Array(&'static str),
    /// One row per entry of an array of tables, one column per field path.
    Wide(&'static str),
}

/// A sheet of a scenario workbook.
#[derive(Debug, Clone, Copy)]
struct Sheet {
    name: &'static str,
    layout: Layout,
}

/// The sheets in workbook order. The TOML is generated in this order too: root entries first,
/// as TOML requires.
const SHEETS: [Sheet; 7] = [
    Sheet {
        name: "scenario",
        layout: Layout::Root,
    },
    Sheet {
        name: "members",
        layout: Layout::Wide("members"),
    },
    Sheet {
        name: "inputs",
        layout: Layout::Map("parameters"),
    },
    Sheet {
        name: "correlations",
        layout: Layout::Array("correlations"),
    },
    Sheet {
        name: "components",
        layout: Layout::Array("components"),
    },
    Sheet {
        name: "lines",
        layout: Layout::Array("lines"),
    },
    Sheet {
        name: "keys",
        layout: Layout::Array("keys"),
    },
];

/// Columns of the row sheets, in order (`scenario` has no `name`).
const ROW_COLUMNS: [&str; 20] = [
    "name",
    "field",
    "value",
    "dist",
    "min",
    "mode",
    "max",
    "shape",
    "mean",
    "sd",
    "median",
    "p90",
    "tail_probability",
    "tail_start",
    "alpha",
    "cap",
    "unit",
    "source",
    "note",
    "toml",
];

/// Columns that hold entries of a distribution table (`value` is also a plain value's column).
fn is_distribution_entry(column: &str) -> bool {
    column == "value" || ROW_COLUMNS[4..19].contains(&column)
}

/// Label of an unnamed entry of an array sheet (`#1`, `#2` …): such entries have no `name`.
const UNNAMED: char = '#';

/// Longest sheet a workbook may hold, in rows: far beyond any scenario, and a bound on the work
/// a damaged or hostile file can cause.
const MAX_ROWS: u32 = 100_000;
/// Rows given validation lists in a written workbook (room to add entries).
const VALIDATED_ROWS: u32 = 1000;

/// The choices offered in a drop-down list for a field (by its last path segment, or the
/// whole path for root fields). Each list is the reader's own list of accepted names.
fn choices(path: &str) -> Option<Vec<&'static str>> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let list: Vec<&'static str> = match (path, last) {
        ("organisation.model", _) => vec!["host", "joint_body", "iks", "as", "outsourcing"],
        ("transition.costs", _) => vec!["own", "pooled"],
        (_, "kind") => super::components::KINDS.to_vec(),
        (_, "rule") => super::keys::DRIVER_RULES
            .iter()
            .copied()
            .chain(GameMethod::ALL.iter().map(|m| m.name()))
            .collect(),
        (_, "occurs") => vec!["alone", "together", "always"],
        (_, "category") => vec!["running", "startup"],
        (_, "basis") => vec!["pooled", "per_member"],
        _ => return None,
    };
    Some(list)
}

/// Column letters and row number of a 0-based cell (`(6, 5)` → `F7`).
fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// A TOML key segment: bare when it can be, quoted otherwise.
fn key_segment(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

/// A TOML basic string with every character that needs it escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_follow_excel() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 5), "F7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 701), "ZZ10");
        assert_eq!(cell_ref(0, 702), "AAA1");
    }

    #[test]
    fn keys_are_quoted_only_when_needed() {
        assert_eq!(key_segment("unit_cost"), "unit_cost");
        assert_eq!(key_segment("1517"), "1517");
        assert_eq!(key_segment("a b"), "\"a b\"");
        assert_eq!(toml_string("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
    }
}
