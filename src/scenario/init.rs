//! `samkost init`: a complete, commented starter scenario for chosen municipalities.

use samkost_core::allocation::GameMethod;
use samkost_core::games::MAX_EXACT_MEMBERS;

use super::kommuner;

/// Comments out the `[[keys]]` tables whose rule needs every coalition, with the reason, so a
/// starter scenario for a large cooperation runs as generated.
fn comment_out_exact_game_keys(body: &str, n: usize) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len() + 400);
    let mut i = 0;
    while i < lines.len() {
        if lines[i] != "[[keys]]" {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        // A key's table runs to the next blank line, comment or table header.
        let end = (i + 1..lines.len())
            .find(|&j| {
                let line = lines[j].trim();
                line.is_empty() || line.starts_with('[') || line.starts_with('#')
            })
            .unwrap_or(lines.len());
        let table = &lines[i..end];
        // Beyond exact reach only the Shapley value (estimated by sampling) remains.
        let needs_all = table.iter().any(|line| {
            GameMethod::ALL
                .iter()
                .filter(|method| **method != GameMethod::Shapley)
                .any(|method| line.trim() == format!("rule = \"{}\"", method.name()))
        });
        if needs_all {
            out.push_str(&format!(
                "# Needs the cost of all 2^{n} coalitions, out of reach for {n} members (at most\n\
                 # {MAX_EXACT_MEMBERS}); only the Shapley value is estimated by sampling.\n"
            ));
        }
        for line in table {
            if needs_all {
                out.push_str("# ");
            }
            out.push_str(line);
            out.push('\n');
        }
        i = end;
    }
    out
}

/// The default scenario's nucleolus key.
const NUCLEOLUS_KEY: &str = "[[keys]]\nname = \"nucleolus\"\nrule = \"nucleolus\"\n";

/// What a starter scenario has in place of [`NUCLEOLUS_KEY`]: a cooperation of arbitrary
/// members may be expected to cost more than its members alone, and then the nucleolus does
/// not exist and the run would stop on it; the prenucleolus always exists.
const PRENUCLEOLUS_KEY: &str = "# The prenucleolus: the nucleolus (rule = \"nucleolus\") also keeps every member at or\n\
     # below its cost alone, so it does not exist when the cooperation is expected to cost more\n\
     # than the members alone; when the core is non-empty the two are the same allocation.\n\
     [[keys]]\nname = \"prenucleolus\"\nrule = \"prenucleolus\"\n";

/// A starter scenario for the given kommunenummer, with the default figures of the embedded
/// scenario (docs/MODEL.md §9). Returns a message naming the unknown ids otherwise.
pub fn starter_scenario(ids: &[String]) -> Result<String, String> {
    if ids.iter().all(|raw| raw.trim().is_empty()) {
        return Err("no kommunenummer was given: give --members 1517,1515".to_owned());
    }
    if ids.iter().any(|raw| raw.trim().is_empty()) {
        return Err(format!(
            "an empty kommunenummer in `--members {}`: no kommunenummer was given between two commas or at an end",
            ids.join(",")
        ));
    }
    let mut members = Vec::new();
    let mut unknown = Vec::new();
    for raw in ids {
        let id = format!("{:0>4}", raw.trim());
        match kommuner::by_id(&id) {
            Some(k) if !members.iter().any(|m: &&kommuner::Kommune| m.id == k.id) => {
                members.push(k)
            }
            Some(_) => return Err(format!("kommunenummer {id} is listed twice")),
            None => unknown.push(format!("`{id}`: {}", kommuner::hint_for_unknown(&id))),
        }
    }
    if !unknown.is_empty() {
        return Err(format!("unknown kommunenummer {}", unknown.join("; ")));
    }
    if members.len() < 2 {
        return Err(
            "a cooperation needs at least two members: give --members 1517,1515".to_owned(),
        );
    }
    let names: Vec<&str> = members.iter().map(|k| k.name.as_str()).collect();
    // A short name for a large cooperation: it heads every table and the report.
    let title = if members.len() <= 6 {
        format!("ICT cooperation of {}", names.join(", "))
    } else if members.iter().all(|k| k.county_id == members[0].county_id) {
        format!(
            "ICT cooperation of {} municipalities in {}",
            members.len(),
            members[0].county
        )
    } else {
        format!(
            "ICT cooperation of {} municipalities ({} …)",
            members.len(),
            names[..3].join(", ")
        )
    };
    let population: f64 = members.iter().map(|k| k.population).sum();
    let member_lines: Vec<String> = members
        .iter()
        .map(|k| {
            format!(
                "  \"{}\",  # {}, {}, {} inhabitants (1.1.2024)",
                k.id, k.name, k.county, k.population
            )
        })
        .collect();
    let body = super::DEFAULT_SCENARIO
        .split_once("[drivers]")
        .map(|(_, rest)| rest)
        .expect("the default scenario has a [drivers] table");
    debug_assert!(body.contains(NUCLEOLUS_KEY));
    let body = body.replacen(NUCLEOLUS_KEY, PRENUCLEOLUS_KEY, 1);
    let body = if members.len() > MAX_EXACT_MEMBERS {
        comment_out_exact_game_keys(&body, members.len())
    } else {
        body
    };
    Ok(format!(
        "# Starter scenario: ICT cooperation of {names}.\n\
         # Generated by `samkost init`. Figures are the documented defaults (docs/MODEL.md,\n\
         # \"Default figures\"); replace them with local numbers where you have them.\n\
         # Check it with `samkost validate FILE`, run it with `samkost run FILE`.\n\n\
         name = \"{title}\"\n\
         first_year = 2026\n\
         horizon_years = 10            # years simulated\n\
         operation_start = 2027        # first year of shared operation; 2026 is the project year\n\
         discount_rate = 0.04          # real, R-109/21 (or \"r109\" for the declining schedule)\n\
         draws = 10000\n\
         seed = 1\n\n\
         # {n} members, {population} inhabitants in all. Names and populations come from the\n\
         # embedded SSB table; give [[members]] tables with `drivers` to add local figures.\n\
         members = [\n{members}\n]\n\n[drivers]{body}",
        names = names.join(", "),
        n = members.len(),
        members = member_lines.join("\n"),
    ))
}
