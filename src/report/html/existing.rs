//! The report's section on an existing cooperation deciding on new members (docs/MODEL.md
//! §10c): who cooperates today, what each member compares, and who would want to admit or
//! join, in words a council reads, from `summary.json`'s `scenario.existing` and the key
//! outcomes.

use std::fmt::Write as _;

use super::Report;
use crate::report::existing::{heading, note, sentences};
use crate::report::svg::escape;

impl Report<'_> {
    /// The section, when the scenario starts from an existing cooperation.
    pub(super) fn existing(&self, out: &mut String) {
        let (s, lang) = (self.s, self.lang);
        let lines = sentences(s, lang);
        if lines.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "<section id=\"existing\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
            escape(heading(lang)),
            escape(note(lang))
        );
        for sentence in lines {
            let _ = writeln!(out, "<p class=\"existing\">{}</p>", escape(&sentence));
        }
        out.push_str("</section>\n");
    }
}
