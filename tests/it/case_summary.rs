//! The case summary (saksframlegg.html) and one page per member: their sections, plain words
//! for a council, and the numbers of summary.json exactly.

use std::collections::HashMap;
use std::process::Command;

use serde_json::Value;

/// Runs the default scenario into a temporary directory; returns the directory and the summary.
fn run(lang: &str) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args([
                "run",
                "--draws",
                "400",
                "--stability-draws",
                "50",
                "--sobol",
                "64",
            ])
            .args(["--lang", lang, "--out"])
            .arg(dir.path()),
    );
    let summary = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    (dir, serde_json::from_str(&summary).unwrap())
}

/// The text a reader sees: tags and attributes removed.
fn visible(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap()..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The `data-*` attributes of every `<tr data-member=…>` row.
fn member_rows(html: &str) -> Vec<HashMap<String, String>> {
    html.split("<tr data-member=\"")
        .skip(1)
        .map(|row| {
            let open = &row[..row.find('>').unwrap()];
            let mut attrs = HashMap::new();
            attrs.insert(
                "member".to_owned(),
                open[..open.find('"').unwrap()].to_owned(),
            );
            for part in open.split(" data-").skip(1) {
                let (name, value) = part.split_once("=\"").unwrap();
                attrs.insert(
                    name.to_owned(),
                    value[..value.find('"').unwrap()].to_owned(),
                );
            }
            attrs
        })
        .collect()
}

#[test]
fn the_case_summary_has_its_sections_in_plain_words_and_the_summarys_numbers() {
    for lang in ["en", "nb"] {
        let (dir, summary) = run(lang);
        let html = std::fs::read_to_string(dir.path().join("saksframlegg.html")).unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        for section in ["question", "answer", "key", "members", "risks", "about"] {
            assert!(
                html.contains(&format!("<section id=\"{section}\">")),
                "{lang}: {section}"
            );
        }
        // Self-contained, like the report.
        assert!(!html.contains("<script") && !html.contains("http"));
        // Plain words: no draws and no percentile names for a council.
        let text = visible(&html);
        for jargon in ["draw", "trekning", "P10", "P90", "percentile", "persentil"] {
            assert!(!text.contains(jargon), "{lang}: `{jargon}` in {text}");
        }
        // The recommended key's table: every member, numbers bit for bit from summary.json.
        let key_name = html
            .split("<table class=\"members\" data-key=\"")
            .nth(1)
            .map(|t| t[..t.find('"').unwrap()].replace("&#39;", "'"))
            .unwrap();
        let key = summary["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == key_name.as_str())
            .unwrap();
        let rows = member_rows(&html);
        assert_eq!(rows.len(), summary["members"].as_array().unwrap().len());
        for (row, m) in rows.iter().zip(key["members"].as_array().unwrap()) {
            assert_eq!(row["member"], m["id"].as_str().unwrap());
            for (attr, field) in [("share", &m["share"]), ("p-win", &m["p_win"])] {
                let value: f64 = row[attr].parse().unwrap();
                assert_eq!(value, field.as_f64().unwrap(), "{attr}");
            }
            let npv = &m["npv_net_benefit"];
            for (attr, field) in [("mean", "mean"), ("p10", "p10"), ("p90", "p90")] {
                let value: f64 = row[attr].parse().unwrap();
                assert_eq!(value, npv[field].as_f64().unwrap(), "{attr}");
            }
        }
        // The main risks start with the input of the largest share of the variance.
        let top = summary["sobol"]["inputs"][0]["parameter"].as_str().unwrap();
        let risks = &html[html.find("<section id=\"risks\">").unwrap()..];
        assert!(risks.contains(top), "{lang}: {top}");
    }
}

#[test]
fn every_member_gets_a_page_of_its_own() {
    for lang in ["en", "nb"] {
        let (dir, summary) = run(lang);
        for (i, m) in summary["members"].as_array().unwrap().iter().enumerate() {
            let id = m["id"].as_str().unwrap();
            let name = m["name"].as_str().unwrap();
            let html = std::fs::read_to_string(dir.path().join(format!("saksframlegg-{id}.html")))
                .unwrap();
            for section in ["question", "answer", "keys", "risks", "about"] {
                assert!(
                    html.contains(&format!("<section id=\"{section}\">")),
                    "{id}: {section}"
                );
            }
            assert!(visible(&html).contains(name));
            // One row per key, each with this member's numbers from summary.json.
            let keys = summary["keys"].as_array().unwrap();
            let rows: Vec<&str> = html
                .split("<tr")
                .filter(|r| r.contains("data-mean=\""))
                .collect();
            assert_eq!(
                rows.len(),
                keys.len() + 1,
                "{id}: the answer and one row per key"
            );
            for key in keys {
                let mean = key["members"][i]["npv_net_benefit"]["mean"]
                    .as_f64()
                    .unwrap();
                assert!(
                    html.contains(&format!("data-mean=\"{mean}\"")),
                    "{id}: {}",
                    key["name"]
                );
            }
            let text = visible(&html);
            for jargon in ["draw", "trekning", "P10", "P90"] {
                assert!(!text.contains(jargon), "{id}: `{jargon}`");
            }
        }
    }
}

#[test]
fn member_page_names_keep_only_safe_characters() {
    assert_eq!(
        samkost::report::member_page_name("1517"),
        "saksframlegg-1517.html"
    );
    assert_eq!(
        samkost::report::member_page_name("../Vest land"),
        "saksframlegg-___Vest_land.html"
    );
}

/// A DOCX case document read back: its body's paragraphs (text, style, whether a list item)
/// and the number of tables, parsed with a real XML reader, so a malformed document fails.
struct Docx {
    paragraphs: Vec<(String, Option<String>, bool)>,
    tables: usize,
}

fn read_docx(path: &std::path::Path) -> Docx {
    use quick_xml::events::Event;
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    for part in [
        "[Content_Types].xml",
        "word/styles.xml",
        "word/numbering.xml",
    ] {
        assert!(
            archive.by_name(part).is_ok(),
            "{part} in {}",
            path.display()
        );
    }
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut paragraphs, mut tables) = (Vec::new(), 0);
    let (mut text, mut style, mut listed, mut in_text) = (String::new(), None, false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:p" => (text, style, listed) = (String::new(), None, false),
                b"w:t" => in_text = true,
                b"w:tbl" => tables += 1,
                b"w:numPr" => listed = true,
                b"w:pStyle" => {
                    let val = e.try_get_attribute("w:val").unwrap().unwrap();
                    style = Some(String::from_utf8(val.value.to_vec()).unwrap());
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:p" => paragraphs.push((std::mem::take(&mut text), style.take(), listed)),
                b"w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) if in_text => text.push(match &*r {
                b"amp" => '&',
                b"lt" => '<',
                b"gt" => '>',
                b"quot" => '"',
                b"apos" => '\'',
                other => panic!("entity {}", String::from_utf8_lossy(other)),
            }),
            Event::Eof => break,
            _ => {}
        }
    }
    Docx { paragraphs, tables }
}

/// The characters a reader sees, whitespace left out: the DOCX must carry every one of them
/// in the same order as the HTML page it was made from.
fn letters(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn unescaped(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn every_case_page_is_also_a_word_document_with_the_same_text_and_structure() {
    for lang in ["en", "nb"] {
        let (dir, summary) = run(lang);
        let mut pages = vec!["saksframlegg.html".to_owned()];
        for m in summary["members"].as_array().unwrap() {
            let id = m["id"].as_str().unwrap();
            pages.push(format!("saksframlegg-{id}.html"));
        }
        for page in pages {
            let html = std::fs::read_to_string(dir.path().join(&page)).unwrap();
            let docx = read_docx(&dir.path().join(page.replace(".html", ".docx")));
            let main = &html[html.find("<main>").unwrap()..];
            let text: String = docx.paragraphs.iter().map(|p| p.0.as_str()).collect();
            assert_eq!(
                letters(&text),
                letters(&unescaped(&visible(&html))),
                "{page} ({lang})"
            );
            let styled = |s: &str| {
                docx.paragraphs
                    .iter()
                    .filter(|p| p.1.as_deref() == Some(s))
                    .count()
            };
            assert_eq!(styled("Heading2"), main.matches("<h2>").count(), "{page}");
            assert_eq!(styled("Heading1"), main.matches("<h1>").count(), "{page}");
            assert_eq!(styled("Answer"), main.matches("class=\"answer\"").count());
            let listed = docx.paragraphs.iter().filter(|p| p.2).count();
            assert_eq!(listed, main.matches("<li>").count(), "{page}");
            assert_eq!(docx.tables, main.matches("<table").count(), "{page}");
            // The same page gives the same bytes (the creation date is the report's date).
            let again = samkost::report::case_docx::case_docx(&html, "2026-01-01").unwrap();
            assert_eq!(
                again,
                samkost::report::case_docx::case_docx(&html, "2026-01-01").unwrap()
            );
        }
    }
}

#[test]
fn a_run_removes_member_pages_an_earlier_run_left_for_members_it_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "saksframlegg-0000.html",
        "saksframlegg-0000.docx",
        "notes.txt",
    ] {
        std::fs::write(dir.path().join(name), "earlier").unwrap();
    }
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .args(["run", "--draws", "200", "--stability-draws", "20", "--out"])
            .arg(dir.path()),
    );
    assert!(!dir.path().join("saksframlegg-0000.html").exists());
    assert!(!dir.path().join("saksframlegg-0000.docx").exists());
    assert!(dir.path().join("saksframlegg-1517.docx").exists());
    // Files that are not samkost's are left alone.
    assert!(dir.path().join("notes.txt").exists());
}
