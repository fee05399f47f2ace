//! The hand-off from ingestion (text or PDF) to the layout-independent stages:
//! pages → lines → cells, with page/line provenance.

use crate::model::Diagnostic;

/// What ingestion produced from one input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceDoc {
    /// `text/plain` or `application/pdf`.
    pub media_type: String,
    /// Text encoding detected or forced (text input only).
    pub encoding: Option<String>,
    /// Page count (PDF input only).
    pub pages: Option<u32>,
    /// Content lines in reading order.
    pub lines: Vec<SourceLine>,
    /// Oddities found while reading (e.g. `unmapped-text`).
    pub diagnostics: Vec<Diagnostic>,
}

/// One line of content, split into cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceLine {
    /// 1-based page (PDF) or None (text).
    pub page: Option<u32>,
    /// 1-based line number: in the input file for text, in the extracted text for PDF.
    pub line: u32,
    /// Cells as read, left to right. Text input: split on tabs. PDF: table cells / column-gap cells,
    /// wrapped lines of one cell joined.
    pub cells: Vec<String>,
}

impl SourceLine {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

impl SourceDoc {
    /// The text as tab-separated lines (what `gyokaku text` prints), one `\f` between pages.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut page = self.lines.first().and_then(|l| l.page);
        for l in &self.lines {
            if l.page != page {
                out.push('\u{c}');
                out.push('\n');
                page = l.page;
            }
            out.push_str(&l.cells.join("\t"));
            out.push('\n');
        }
        out
    }
}
