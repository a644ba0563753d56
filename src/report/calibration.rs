//! The calibration factors `k = actual / modelled` of the members' standalone curves to their
//! accounts (docs/MODEL.md §4a, "Baselines from the accounts"), in words for the terminal and
//! as a table for the HTML report's assumptions, from `summary.json`'s `calibration`, with
//! the factors outside the plausible band flagged.

use std::fmt::Write as _;

use super::json::{CalibrationJson, SummaryJson};
use super::lang::Lang;
use crate::scenario::PLAUSIBLE_FACTOR;

/// The words of the calibration outputs in one language.
struct Words {
    /// Start of the terminal line.
    line: &'static str,
    /// "staff".
    staff: &'static str,
    /// After a factor outside the band, before the band.
    outside: &'static str,
    /// What to check for such a factor.
    check: &'static str,
    /// Heading of the HTML table.
    heading: &'static str,
    /// Note under the heading.
    note: &'static str,
    /// Column headers: member, component, actual cost, modelled cost, actual staff, modelled
    /// staff, k, staff factor.
    columns: [&'static str; 8],
}

const EN: Words = Words {
    line: "Calibrated to the accounts (k = actual / modelled cost alone)",
    staff: "staff",
    outside: "outside ",
    check: "check the unit and what the accounts' figure covers",
    heading: "Calibration to the members' accounts",
    note: "Each member's cost alone of a component is its modelled cost times k = actual / modelled, both at the inputs' medians in first-year prices; the draws keep their spread around the accounts. A factor outside {0} more often means a figure in the wrong unit, or an account that covers other costs than the component, than an unusual member.",
    columns: [
        "Member",
        "Component",
        "Actual cost, NOK/yr",
        "Modelled cost, NOK/yr",
        "Actual staff, FTE",
        "Modelled staff, FTE",
        "k (cost)",
        "Staff factor",
    ],
};

const NB: Words = Words {
    line: "Kalibrert mot regnskapet (k = faktisk / modellert kostnad alene)",
    staff: "årsverk",
    outside: "utenfor ",
    check: "kontroller enheten og hva regnskapstallet dekker",
    heading: "Kalibrering mot kommunenes regnskap",
    note: "Hver kommunes kostnad alene for en komponent er den modellerte kostnaden ganger k = faktisk / modellert, begge ved inngangsverdienes medianer i første års priser; trekningene beholder spredningen rundt regnskapet. En faktor utenfor {0} betyr oftere et tall i feil enhet, eller et regnskapstall som dekker andre kostnader enn komponenten, enn en uvanlig kommune.",
    columns: [
        "Kommune",
        "Komponent",
        "Faktisk kostnad, kr/år",
        "Modellert kostnad, kr/år",
        "Faktiske årsverk",
        "Modellerte årsverk",
        "k (kostnad)",
        "Årsverksfaktor",
    ],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Nb => &NB,
    }
}

/// The plausible band in words, `0.5–2` (`0,5–2`).
fn band(lang: Lang) -> String {
    let (lo, hi) = PLAUSIBLE_FACTOR;
    format!("{}–{}", lang.decimal(lo, 1), lang.decimal(hi, 0))
}

/// The member's name and id as the tables write them, `Sande (1514)`.
fn member_label(summary: &SummaryJson, id: &str) -> String {
    summary
        .members
        .iter()
        .find(|m| m.id == id)
        .map_or_else(|| id.to_owned(), |m| format!("{} ({id})", m.name))
}

/// One calibration in words: `Sande (1514) IT staff 1.12 (staff 1.10)`, flagged when outside
/// the band.
fn entry(summary: &SummaryJson, k: &CalibrationJson, lang: Lang) -> String {
    let w = words(lang);
    let mut text = format!(
        "{} {} {}",
        member_label(summary, &k.member),
        k.component,
        lang.decimal(k.cost_factor, 2)
    );
    if k.actual_fte.is_some() && k.fte_factor != k.cost_factor {
        let _ = write!(text, " ({} {})", w.staff, lang.decimal(k.fte_factor, 2));
    }
    if !k.plausible {
        let _ = write!(text, " [{}{}: {}]", w.outside, band(lang), w.check);
    }
    text
}

/// The terminal's one line, `None` when no member is calibrated.
pub fn terminal_line(summary: &SummaryJson, lang: Lang) -> Option<String> {
    if summary.calibration.is_empty() {
        return None;
    }
    let entries: Vec<String> = summary
        .calibration
        .iter()
        .map(|k| entry(summary, k, lang))
        .collect();
    Some(format!("{}: {}", words(lang).line, entries.join("; ")))
}

/// The HTML table of the calibrations (empty when no member is calibrated); `num` formats a
/// number as the report does. Rows outside the band carry `class="outside"` and a note.
pub fn html_table(summary: &SummaryJson, lang: Lang, num: &dyn Fn(f64) -> String) -> String {
    use super::svg::escape;
    if summary.calibration.is_empty() {
        return String::new();
    }
    let w = words(lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<h3 id=\"calibration\">{}</h3>\n<p class=\"note\">{}</p>\n<table class=\"calibration\">\n<thead><tr>",
        escape(w.heading),
        escape(&w.note.replace("{0}", &band(lang)))
    );
    for (c, title) in w.columns.iter().enumerate() {
        let class = if c >= 2 { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(title));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let opt = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), num);
    for k in &summary.calibration {
        let flag = if k.plausible {
            String::new()
        } else {
            format!(
                "<br><span class=\"note\">{}{}: {}</span>",
                escape(w.outside),
                escape(&band(lang)),
                escape(w.check)
            )
        };
        let _ = writeln!(
            out,
            "<tr data-member=\"{}\" data-component=\"{}\" data-k=\"{}\" data-plausible=\"{}\"{}><td>{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}{flag}</td><td class=\"n\">{}</td></tr>",
            escape(&k.member),
            escape(&k.component),
            k.cost_factor,
            k.plausible,
            if k.plausible {
                ""
            } else {
                " class=\"outside\""
            },
            escape(&member_label(summary, &k.member)),
            escape(&k.component),
            escape(&opt(k.actual_cost)),
            escape(&num(k.modelled_cost)),
            escape(&opt(k.actual_fte)),
            escape(&num(k.modelled_fte)),
            escape(&lang.decimal(k.cost_factor, 2)),
            escape(&lang.decimal(k.fte_factor, 2)),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
