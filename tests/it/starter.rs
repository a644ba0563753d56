//! `samkost init`: starter scenarios in English and Norwegian that run as generated and
//! describe no cooperation but the user's own (issue 16).

use std::process::Command;

fn samkost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_samkost"))
}

/// Names of real cooperations that the default figures were taken from (docs/MODEL.md §9,
/// README): a starter for someone else's cooperation must not carry them into its report.
const OTHER_COOPERATIONS: &[&str] = &[
    "SSIKT",
    "Søre Sunnmøre",
    "eKommune",
    "Sunnmøre",
    "Ikomm",
    "Indre Østfold",
    "Agder",
    "Setesdal",
    "Orkidé",
    "Hedmark",
    "Nordhordland",
    "Digiorden",
    "Fiks",
];

/// Three Nordmøre municipalities: Kristiansund, Averøy, Smøla.
const MEMBERS: &str = "1505,1554,1573";

fn starter(lang: &str) -> String {
    let out = crate::succeed(samkost().args(["init", "--members", MEMBERS, "--lang", lang]));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn starters_in_both_languages_run_with_their_own_key_names() {
    for (lang, keys, title) in [
        (
            "en",
            &[
                "equal",
                "population",
                "50/50",
                "30/70",
                "30/70, start-up by population",
                "Shapley",
                "prenucleolus",
                "SCRB",
            ],
            "ICT cooperation of Kristiansund, Averøy and Smøla",
        ),
        (
            "nb",
            &[
                "likt",
                "folketall",
                "50/50",
                "30/70",
                "30/70, oppstart etter folketall",
                "Shapley",
                "prenukleolus",
                "SCRB",
            ],
            "IKT-samarbeid mellom Kristiansund, Averøy og Smøla",
        ),
    ] {
        let text = starter(lang);
        let scenario = crate::parse(&text).unwrap_or_else(|d| panic!("{lang}: {d}\n{text}"));
        let names: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, keys, "{lang}");
        assert_eq!(scenario.name, title);
        // Every key carries a note in the starter's language.
        assert_eq!(scenario.key_notes.len(), keys.len(), "{lang}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("starter.toml");
        std::fs::write(&path, &text).unwrap();
        let out = crate::succeed(samkost().args([
            "run",
            path.to_str().unwrap(),
            "--draws",
            "200",
            "--stability-draws",
            "50",
            "--format",
            "json",
            "--lang",
            lang,
        ]));
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let run_keys: Vec<&str> = summary["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap())
            .collect();
        assert_eq!(run_keys, keys, "{lang}");
        // Named inputs carry the author's words in the starter's language, so a report
        // in that language does not name them by their identifiers.
        let overrun = summary["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "overrun")
            .unwrap();
        let words = match lang {
            "en" => "Cost overrun factor of the project",
            _ => "Overskridelsesfaktor for prosjektet",
        };
        assert_eq!(overrun["origin"]["part"], "parameter");
        assert_eq!(overrun["origin"]["label"][lang], words);
        assert_eq!(
            samkost::report::inputs::input_label(
                "overrun",
                Some(&samkost::report::json::OriginJson {
                    part: "parameter",
                    owner: String::new(),
                    field: "overrun".to_owned(),
                    label: Some(samkost::report::json::LabelJson {
                        en: words.to_owned(),
                        nb: words.to_owned(),
                    }),
                }),
                if lang == "en" {
                    samkost::report::Lang::En
                } else {
                    samkost::report::Lang::Nb
                },
            ),
            words
        );
    }
}

#[test]
fn starters_name_no_other_cooperation() {
    for lang in ["en", "nb"] {
        let text = starter(lang);
        for name in OTHER_COOPERATIONS {
            assert!(
                !text.to_lowercase().contains(&name.to_lowercase()),
                "the {lang} starter names `{name}`:\n{text}"
            );
        }
    }
}

#[test]
fn the_norwegian_starter_is_in_norwegian() {
    let nb = starter("nb");
    let en = starter("en");
    // Component and line names are the user's text: in the chosen language.
    for (english, norwegian) in [
        ("IT staff", "IT-personell"),
        ("Licences", "Lisenser"),
        ("Pre-project", "Forprosjekt"),
        (
            "Shared finance and payroll system",
            "Felles økonomi- og lønnssystem",
        ),
    ] {
        assert!(en.contains(english) && !en.contains(norwegian), "{english}");
        assert!(
            nb.contains(norwegian) && !nb.contains(english),
            "{norwegian}"
        );
    }
    assert!(nb.contains("[antakelse]") && !nb.contains("[assumption]"));
    // The same figures: both starters give the same model.
    let (nb, en) = (crate::parse(&nb).unwrap(), crate::parse(&en).unwrap());
    let distributions = |s: &samkost::scenario::Scenario| -> Vec<String> {
        s.model
            .parameters
            .iter()
            .map(|p| format!("{:?}", p.distribution))
            .collect()
    };
    assert!(
        distributions(&nb) == distributions(&en),
        "the figures differ"
    );
    assert!(nb.model.members == en.model.members);
    assert_eq!(nb.keys.len(), en.keys.len());
}
