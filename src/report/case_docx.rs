//! The case summary and the member pages as Word documents (`saksframlegg.docx`,
//! `saksframlegg-<id>.docx`), for a case handler to paste into the case document.
//!
//! The documents are made from the same HTML as `saksframlegg.html` and the member pages, so
//! the two can never say different things: the small, fixed set of elements that
//! [`super::html::case`] writes is read back (headings, paragraphs with their class, bold and
//! italic, tables with header cells and right-aligned numbers, bullet lists) and laid out with
//! Word's own heading, list and table structures. An element outside that set is an error, not
//! a silently dropped paragraph.

use std::io::Cursor;

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, IndentLevel, Level, LevelJc, LevelText, LineSpacing,
    NumberFormat, Numbering, NumberingId, PageMargin, Paragraph, Run, RunFonts, Shading, Start,
    Style, StyleType, Table, TableCell, TableRow, WidthType,
};

/// The bullet list's numbering definition.
const BULLETS: usize = 1;
/// A4 in twentieths of a point, and the case summary's 14 mm margins.
const A4: (u32, u32) = (11_906, 16_838);
const MARGIN: i32 = 794;
/// Header and highlighted-row shading, as in the HTML's style sheet.
const HEADER_FILL: &str = "F3F4F6";
const HIGHLIGHT_FILL: &str = "EAF3FD";
const GREY: &str = "59636E";

/// Why a page could not be turned into a document: an element the converter does not know,
/// or tags that do not nest. Either means the HTML writer changed without this module.
#[derive(Debug)]
pub struct DocxError(pub String);

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the case document could not be written as DOCX: {}",
            self.0
        )
    }
}

impl std::error::Error for DocxError {}

/// The Word document of a case page (`case_summary_html` or `member_page_html` output).
/// `date` (`YYYY-MM-DD`) is the document's creation date, so the same run gives the same
/// bytes.
pub fn case_docx(html: &str, date: &str) -> Result<Vec<u8>, DocxError> {
    let start = html
        .find("<main>")
        .ok_or_else(|| DocxError("no <main> element".to_owned()))?;
    let end = html
        .rfind("</main>")
        .ok_or_else(|| DocxError("no </main> element".to_owned()))?;
    let mut b = Builder::default();
    for token in tokens(&html[start + "<main>".len()..end])? {
        b.token(token)?;
    }
    if !b.open.is_empty() {
        return Err(DocxError(format!("unclosed <{}>", b.open.join("><"))));
    }
    let docx = b
        .blocks
        .into_iter()
        .fold(document(date), |d, block| match block {
            Block::Paragraph(p) => d.add_paragraph(*p),
            Block::Table(t) => d.add_table(*t),
        });
    let mut bytes = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(|e| DocxError(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// An empty A4 document with the case summary's styles and the bullet list.
fn document(date: &str) -> Docx {
    let para = |id: &str, name: &str| Style::new(id, StyleType::Paragraph).name(name);
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN),
        )
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(20)
        .created_at(&format!("{date}T00:00:00Z"))
        .updated_at(&format!("{date}T00:00:00Z"))
        .add_style(
            para("Heading1", "heading 1")
                .size(36)
                .bold()
                .outline_lvl(0)
                .line_spacing(LineSpacing::new().before(60).after(80)),
        )
        .add_style(
            para("Heading2", "heading 2")
                .size(26)
                .bold()
                .outline_lvl(1)
                .line_spacing(LineSpacing::new().before(240).after(60)),
        )
        .add_style(
            para("Kind", "samkost kind")
                .size(18)
                .color(GREY)
                .line_spacing(LineSpacing::new().after(0)),
        )
        .add_style(para("Meta", "samkost meta").size(18).color(GREY))
        .add_style(para("Note", "samkost note").size(18).color(GREY))
        .add_style(para("Answer", "samkost answer").size(24).bold())
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(docx_rs::SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
}

/// A piece of the page: a start tag with its class, an end tag, or text (entities decoded).
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Start(&'a str, Option<&'a str>),
    End(&'a str),
    Text(String),
}

/// Splits the page into tags and text. Attributes other than `class` are the HTML's
/// machine-readable copies of its numbers (`data-*`) and are not needed here.
fn tokens(html: &str) -> Result<Vec<Token<'_>>, DocxError> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(tag) = rest.strip_prefix('<') {
            let close = tag
                .find('>')
                .ok_or_else(|| DocxError("a tag without '>'".to_owned()))?;
            let inner = &tag[..close];
            rest = &tag[close + 1..];
            if let Some(name) = inner.strip_prefix('/') {
                out.push(Token::End(name.trim()));
            } else {
                let name = inner.split_whitespace().next().unwrap_or("");
                out.push(Token::Start(name, attribute(inner, "class")));
            }
        } else {
            let next = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(unescape(&rest[..next])?));
            rest = &rest[next..];
        }
    }
    Ok(out)
}

/// The value of attribute `name` in a start tag's inside, if present.
fn attribute<'a>(inner: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = inner.find(&key)? + key.len();
    inner[at..].find('"').map(|end| &inner[at..at + end])
}

/// Decodes the five entities `svg::escape` writes.
fn unescape(text: &str) -> Result<String, DocxError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let entity = &rest[at..];
        let end = entity
            .find(';')
            .ok_or_else(|| DocxError(format!("an unterminated entity in {text:?}")))?;
        out.push(match &entity[..=end] {
            "&amp;" => '&',
            "&lt;" => '<',
            "&gt;" => '>',
            "&quot;" => '"',
            "&#39;" => '\'',
            other => return Err(DocxError(format!("unknown entity {other}"))),
        });
        rest = &entity[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// A paragraph being filled: its runs and how it is laid out.
struct Para {
    p: Paragraph,
    /// The text so far ends in whitespace (HTML collapses runs of whitespace to one space).
    space: bool,
    bold: bool,
}

impl Para {
    fn new(p: Paragraph, bold: bool) -> Self {
        Self {
            p,
            space: true,
            bold,
        }
    }
}

#[derive(Default)]
struct TableState {
    rows: Vec<TableRow>,
    cells: Vec<TableCell>,
    row_highlight: bool,
    header_cell: bool,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    /// Open elements, innermost last.
    open: Vec<String>,
    para: Option<Para>,
    table: Option<TableState>,
    bold: usize,
    italic: usize,
    /// Paragraph ids, numbered per document so that the same page gives the same bytes.
    ids: usize,
}

impl Builder {
    fn token(&mut self, token: Token<'_>) -> Result<(), DocxError> {
        match token {
            Token::Text(text) => self.text(&text),
            Token::Start(name, class) => {
                self.start(name, class)?;
                self.open.push(name.to_owned());
                Ok(())
            }
            Token::End(name) => {
                if self.open.pop().as_deref() != Some(name) {
                    return Err(DocxError(format!(
                        "</{name}> does not close the open element"
                    )));
                }
                self.end(name)
            }
        }
    }

    fn paragraph(&mut self) -> Paragraph {
        self.ids += 1;
        Paragraph::new().id(format!("{:08X}", self.ids))
    }

    fn begin(&mut self, style: Option<&str>, bold: bool) {
        let mut p = self.paragraph();
        if let Some(s) = style {
            p = p.style(s);
        }
        self.para = Some(Para::new(p, bold));
    }

    fn start(&mut self, name: &str, class: Option<&str>) -> Result<(), DocxError> {
        match name {
            "section" | "thead" | "tbody" | "ul" => {}
            "h1" => self.begin(Some("Heading1"), false),
            "h2" => self.begin(Some("Heading2"), false),
            "p" => {
                let style = match class {
                    None => None,
                    Some("kind") => Some("Kind"),
                    Some("meta") => Some("Meta"),
                    Some("note") => Some("Note"),
                    Some("answer") => Some("Answer"),
                    Some(other) => return Err(DocxError(format!("<p class=\"{other}\">"))),
                };
                self.begin(style, false);
            }
            "li" => {
                let p = self
                    .paragraph()
                    .numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
                self.para = Some(Para::new(p, false));
            }
            "b" | "strong" => self.bold += 1,
            "i" | "em" => self.italic += 1,
            "table" => self.table = Some(TableState::default()),
            "tr" => {
                let t = self.table_mut(name)?;
                t.row_highlight = class == Some("recommended");
                t.cells.clear();
            }
            "th" | "td" => {
                let header = name == "th";
                let t = self.table_mut(name)?;
                t.header_cell = header;
                let bold = header || t.row_highlight;
                let mut p = self.paragraph().line_spacing(LineSpacing::new().after(0));
                if class == Some("n") {
                    p = p.align(AlignmentType::Right);
                }
                self.para = Some(Para::new(p, bold));
            }
            other => return Err(DocxError(format!("the element <{other}>"))),
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), DocxError> {
        match name {
            "h1" | "h2" | "p" | "li" => {
                if let Some(para) = self.para.take() {
                    self.blocks.push(Block::Paragraph(Box::new(para.p)));
                }
            }
            "b" | "strong" => self.bold -= 1,
            "i" | "em" => self.italic -= 1,
            "th" | "td" => {
                let p = self.para.take().map(|para| para.p).unwrap_or_default();
                let t = self.table_mut(name)?;
                let mut cell = TableCell::new().add_paragraph(p);
                if t.header_cell {
                    cell = cell.shading(Shading::new().fill(HEADER_FILL));
                } else if t.row_highlight {
                    cell = cell.shading(Shading::new().fill(HIGHLIGHT_FILL));
                }
                t.cells.push(cell);
            }
            "tr" => {
                let t = self.table_mut(name)?;
                let cells = std::mem::take(&mut t.cells);
                t.rows.push(TableRow::new(cells).cant_split());
            }
            "table" => {
                let t = self.table.take().unwrap_or_default();
                self.blocks.push(Block::Table(Box::new(
                    Table::new(t.rows).width(5000, WidthType::Pct),
                )));
            }
            _ => {}
        }
        Ok(())
    }

    fn table_mut(&mut self, name: &str) -> Result<&mut TableState, DocxError> {
        self.table
            .as_mut()
            .ok_or_else(|| DocxError(format!("<{name}> outside a table")))
    }

    /// Adds text to the open paragraph with HTML's whitespace rule; whitespace between blocks
    /// is layout only. Text outside any paragraph is an error.
    fn text(&mut self, text: &str) -> Result<(), DocxError> {
        let Some(para) = self.para.as_mut() else {
            return if text.trim().is_empty() {
                Ok(())
            } else {
                Err(DocxError(format!("text outside a paragraph: {text:?}")))
            };
        };
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() {
                if !para.space {
                    collapsed.push(' ');
                    para.space = true;
                }
            } else {
                collapsed.push(c);
                para.space = false;
            }
        }
        if collapsed.is_empty() {
            return Ok(());
        }
        let mut run = Run::new().add_text(collapsed);
        if self.bold > 0 || para.bold {
            run = run.bold();
        }
        if self.italic > 0 {
            run = run.italic();
        }
        let p = std::mem::take(&mut para.p);
        para.p = p.add_run(run);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_classes_are_read_back() {
        let t = tokens("<p class=\"note\" data-x=\"1\">a &amp; b &#39;c&#39;</p>").unwrap();
        assert_eq!(
            t,
            vec![
                Token::Start("p", Some("note")),
                Token::Text("a & b 'c'".to_owned()),
                Token::End("p"),
            ]
        );
    }

    #[test]
    fn an_unknown_element_is_an_error_not_a_lost_paragraph() {
        let html = "<main><section id=\"x\"><div>text</div></section></main>";
        let err = case_docx(html, "2026-01-01").unwrap_err();
        assert!(err.0.contains("<div>"), "{err}");
        let html = "<main><p>open <b>bold</p></b></main>";
        assert!(case_docx(html, "2026-01-01").is_err());
    }
}
