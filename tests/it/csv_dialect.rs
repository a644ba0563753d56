//! CSV in Excel's Norwegian dialect (issue 16): UTF-8 with a byte order mark, `;` between
//! fields, decimal comma; read back by readers that do not share samkost's CSV code.

use std::process::Command;

fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

/// Runs the default scenario (members Hareid … Ørsta, with `ø`) into a temporary directory.
fn run_into(extra: &[&str]) -> (tempfile::TempDir, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "run",
        "--draws",
        "300",
        "--stability-draws",
        "50",
        "--format",
        "json",
        "--out",
        dir.path().to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    crate::succeed(samkost().args(&args));
    let json = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    (dir, serde_json::from_str(&json).unwrap())
}

/// A field in the Norwegian dialect as a number: the decimal comma read by hand.
fn nb_number(field: &str) -> f64 {
    assert!(!field.contains('.'), "a decimal point in `{field}`");
    field.replace(',', ".").parse().unwrap()
}

/// Checks members.csv rows (`key`, `member_id`, `member_name`, …, `npv_mean`, …, `npv_p90`)
/// against summary.json: the same keys, members and numbers, bit for bit.
fn check_members_rows(rows: &[Vec<String>], summary: &serde_json::Value) {
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let keys = summary["keys"].as_array().unwrap();
    let members = summary["members"].as_array().unwrap();
    assert_eq!(rows.len(), 1 + keys.len() * members.len());
    let mut row = 1;
    for key in keys {
        for (i, member) in members.iter().enumerate() {
            let r = &rows[row];
            assert_eq!(r[col("key")], key["name"].as_str().unwrap());
            assert_eq!(r[col("member_name")], member["name"].as_str().unwrap());
            let stats = &key["members"][i]["npv_net_benefit"];
            for (field, json) in [("npv_mean", "mean"), ("npv_p10", "p10"), ("npv_p90", "p90")] {
                assert_eq!(
                    nb_number(&r[col(field)]),
                    stats[json].as_f64().unwrap(),
                    "{field} of {} under {}",
                    r[col("member_name")],
                    r[col("key")]
                );
            }
            assert_eq!(
                nb_number(&r[col("share")]),
                key["members"][i]["share"].as_f64().unwrap()
            );
            row += 1;
        }
    }
}

#[test]
fn norwegian_csv_has_a_bom_semicolons_and_decimal_commas() {
    let (dir, summary) = run_into(&["--lang", "nb"]);
    let bytes = std::fs::read(dir.path().join("members.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "no byte order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("Ørsta") && text.contains("Herøy"));
    // No field of the default scenario holds `;` or a quote, so splitting by hand is a
    // complete reader of this file, independent of the csv crate.
    assert!(!text.contains('"'));
    let rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect();
    check_members_rows(&rows, &summary);
    // The other CSV files are in the same dialect.
    for file in ["keys.csv", "yearly.csv"] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "{file}");
        let header = std::str::from_utf8(&bytes[3..])
            .unwrap()
            .lines()
            .next()
            .unwrap();
        assert!(
            header.starts_with("key;") || header.starts_with("year;"),
            "{file}"
        );
    }
    // --csv standard overrides the language's default; --csv excel-nb works in English.
    let (dir, summary) = run_into(&["--lang", "nb", "--csv", "standard"]);
    let text = std::fs::read_to_string(dir.path().join("members.csv")).unwrap();
    assert!(text.starts_with("key,member_id,"));
    let (dir, _) = run_into(&["--csv", "excel-nb"]);
    let nb = std::fs::read(dir.path().join("members.csv")).unwrap();
    assert_eq!(&nb[..3], b"\xEF\xBB\xBF");
    let rows: Vec<Vec<String>> = std::str::from_utf8(&nb[3..])
        .unwrap()
        .lines()
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect();
    check_members_rows(&rows, &summary);
}

/// Python's csv module with `;`, reading the file as Excel does (`utf-8-sig` strips the byte
/// order mark), prints the rows as JSON; skipped where no python3 is installed.
#[test]
fn norwegian_csv_reads_back_with_python_csv() {
    let probe = Command::new("python3").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 not found: the Python reader is not checked");
        return;
    }
    let (dir, summary) = run_into(&["--lang", "nb"]);
    let script = "import csv, json, sys\n\
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n\
        \x20   rows = list(csv.reader(f, delimiter=';'))\n\
        json.dump(rows, sys.stdout, ensure_ascii=False)\n";
    let out = crate::succeed(
        Command::new("python3")
            .args(["-c", script])
            .arg(dir.path().join("members.csv")),
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows[0][0], "key",
        "the byte order mark leaked into the header"
    );
    assert!(rows.iter().any(|r| r.iter().any(|f| f == "Ørsta")));
    check_members_rows(&rows, &summary);
}

#[test]
fn sensitivity_csv_in_the_norwegian_dialect_has_the_same_numbers() {
    let csv = |dialect: &str| {
        let out = crate::succeed(samkost().args([
            "sensitivity",
            "--method",
            "tornado",
            "--format",
            "csv",
            "--csv",
            dialect,
        ]));
        out.stdout
    };
    let (standard, nb) = (csv("standard"), csv("excel-nb"));
    assert_eq!(&nb[..3], b"\xEF\xBB\xBF");
    let standard = String::from_utf8(standard).unwrap();
    let nb = String::from_utf8(nb[3..].to_vec()).unwrap();
    assert_eq!(standard.lines().count(), nb.lines().count());
    // The standard file is read with the csv crate, the Norwegian one split by hand (no field
    // of the default scenario's tornado holds a `;` or a quote).
    let mut reader = csv::Reader::from_reader(standard.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        nb.lines().next().unwrap(),
        header.iter().collect::<Vec<_>>().join(";")
    );
    for (record, line) in reader.records().zip(nb.lines().skip(1)) {
        let record = record.unwrap();
        let fields: Vec<&str> = line.split(';').collect();
        assert_eq!(fields.len(), record.len(), "{line}");
        for (s, n) in record.iter().zip(&fields) {
            match s.parse::<f64>() {
                Ok(v) if !s.contains(|c: char| c.is_alphabetic()) => {
                    assert_eq!(nb_number(n), v, "{s} vs {n}")
                }
                _ => assert_eq!(s, *n),
            }
        }
    }
}
