//! The report's section on changes in membership (docs/MODEL.md §10b): each event and where
//! the member it concerns ends, in words a council reads, from `summary.json`'s
//! `scenario.events` and the key outcomes.

use std::fmt::Write as _;

use super::Report;
use crate::report::membership::{heading, note, sentences};
use crate::report::svg::escape;

impl Report<'_> {
    /// The section, when the scenario has membership events.
    pub(super) fn membership(&self, out: &mut String) {
        let (s, lang) = (self.s, self.lang);
        if s.scenario.events.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "<section id=\"membership\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(heading(lang)),
            escape(note(lang))
        );
        for sentence in sentences(s, lang) {
            let _ = writeln!(out, "<p class=\"membership\">{}</p>", escape(&sentence));
        }
        out.push_str("</section>\n");
    }
}
