//! Problems found in an input file, located by file, line and column.

use std::fmt;
use std::ops::Range;

/// Longest source line shown whole under a message; a longer one (a generated JSON array on
/// one line can be megabytes long) is shown as a window of this many characters.
const MAX_SHOWN_CHARS: usize = 240;
/// Characters shown before the problem in such a window.
const CONTEXT_CHARS: usize = 60;
/// Bytes of a long source line kept before and after the problem: a diagnostic holds a window
/// of the line, not the whole of a line that may be 64 MiB long.
const KEPT_BYTES: usize = 4 * MAX_SHOWN_CHARS;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name as given by the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The source line that holds the problem (a window of it when it is long).
    pub source_line: String,
    /// Characters of the line before `source_line` (0 unless the line is long).
    pub line_skip: usize,
    /// Width of the offending text on that line, in characters (at least 1).
    pub width: usize,
    /// What was expected, or how to fix it.
    pub help: Option<String>,
    /// Where the problem is when the input is not a text file: a workbook's sheet and cell
    /// (`sheet `inputs`, cell F7`). `line`, `column` and `source_line` then describe the
    /// cell's text.
    pub place: Option<String>,
}

impl Diagnostic {
    /// Locates `span` (byte offsets) in `src`.
    pub fn at(file: &str, src: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::locate(file, src, None, span, message.into())
    }

    /// [`Diagnostic::at`] with the byte offsets where `src`'s lines start
    /// ([`line_starts`]), so that locating a problem costs a binary search and the length of
    /// its line rather than a scan of the file.
    pub fn at_indexed(
        file: &str,
        src: &str,
        line_starts: &[usize],
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::locate(file, src, Some(line_starts), span, message.into())
    }

    fn locate(
        file: &str,
        src: &str,
        line_starts: Option<&[usize]>,
        span: Range<usize>,
        message: String,
    ) -> Self {
        // Spans from the parser of a damaged file may fall inside a multi-byte character.
        let floor = |mut i: usize| {
            i = i.min(src.len());
            while !src.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            i = i.min(src.len());
            while !src.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let start = floor(span.start);
        let end = floor(span.end.max(start)).max(start);
        let (line, line_start) = match line_starts {
            Some(starts) => {
                let k = starts.partition_point(|&s| s <= start).max(1);
                (k, starts[k - 1])
            }
            None => (
                src[..start].matches('\n').count() + 1,
                src[..start].rfind('\n').map_or(0, |p| p + 1),
            ),
        };
        let line_end = src[start..].find('\n').map_or(src.len(), |p| start + p);
        let kept_from = floor(start.saturating_sub(KEPT_BYTES).max(line_start));
        let kept_to = ceil((start + KEPT_BYTES).min(line_end));
        let line_skip = src[line_start..kept_from].chars().count();
        let column = line_skip + src[kept_from..start].chars().count() + 1;
        let visible_end = end.min(kept_to);
        let width = src[start..visible_end].chars().count().max(1);
        let mut source_line = src[kept_from..kept_to].trim_end_matches('\r').to_owned();
        if kept_to < line_end {
            source_line.push('…');
        }
        Self {
            file: file.to_owned(),
            line,
            column,
            message,
            source_line,
            line_skip,
            width,
            help: None,
            place: None,
        }
    }

    /// A problem that concerns the whole file rather than a place in it.
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: 1,
            column: 1,
            message: message.into(),
            source_line: String::new(),
            line_skip: 0,
            width: 0,
            help: None,
            place: None,
        }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The source line as shown, the 0-based character column of the caret in it and the
    /// caret's width: the whole line, or a window around the problem marked by `…`.
    fn snippet(&self) -> (String, usize, usize) {
        let column = self.column - 1 - self.line_skip.min(self.column - 1);
        let n_chars = self.source_line.chars().count();
        if n_chars <= MAX_SHOWN_CHARS && self.line_skip == 0 {
            return (self.source_line.clone(), column, self.width);
        }
        let from = column.saturating_sub(CONTEXT_CHARS).min(n_chars);
        let to = (from + MAX_SHOWN_CHARS).min(n_chars);
        let mut text: String = self
            .source_line
            .chars()
            .skip(from)
            .take(to - from)
            .collect();
        let mut caret = column - from;
        if from > 0 || self.line_skip > 0 {
            text.insert(0, '…');
            caret += 1;
        }
        if to < n_chars {
            text.push('…');
        }
        (
            text,
            caret,
            self.width.min(to.saturating_sub(column)).max(1),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if let Some(place) = &self.place {
            writeln!(f, "  --> {}, {place}", self.file)?;
            if self.width > 0 {
                writeln!(f, "   |")?;
                writeln!(f, "   | {}", self.source_line)?;
                writeln!(f, "   | {}", "^".repeat(self.width))?;
            }
        } else {
            writeln!(f, "  --> {}:{}:{}", self.file, self.line, self.column)?;
        }
        if self.place.is_none() && self.width > 0 {
            let gutter = self.line.to_string().len();
            let (text, caret, width) = self.snippet();
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {text}", self.line)?;
            writeln!(
                f,
                "{:gutter$} | {}{}",
                "",
                " ".repeat(caret),
                "^".repeat(width)
            )?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// The byte offsets where the lines of `src` start, for [`Diagnostic::at_indexed`].
pub fn line_starts(src: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(src.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Every problem found in one input, sorted by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column() {
        let src = "a = 1\nbé = 2\n";
        let d = Diagnostic::at("f.toml", src, 12..13, "bad");
        assert_eq!((d.line, d.column, d.width), (2, 6, 1));
        assert_eq!(d.source_line, "bé = 2");
    }

    #[test]
    fn spans_inside_a_character_do_not_panic() {
        // Regression (found by tests/it/fuzz.rs): a span ending inside 'ٞ'.
        let src = "ٞd";
        let d = Diagnostic::at("f.toml", src, 0..1, "bad");
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn long_lines_are_shown_around_the_problem() {
        let src = format!("[{}\"x\"{}]", "1, ".repeat(1000), ", 2".repeat(1000));
        let start = src.find('"').unwrap();
        let shown = Diagnostic::at("f.json", &src, start..start + 3, "bad").to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[3].starts_with("1 | …1, 1,") && lines[3].ends_with(", 2…"));
        let quote = lines[3].chars().position(|c| c == '"');
        assert_eq!(quote, lines[4].chars().position(|c| c == '^'));
        assert!(lines[4].ends_with("^^^"));
        assert!(lines[3].chars().count() < MAX_SHOWN_CHARS + 10);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("dsit", ["dist", "source"]), Some("dist"));
        assert_eq!(closest("zzz", ["dist", "source"]), None);
    }
}
