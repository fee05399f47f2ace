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
    /// Where lines came from in a structured original (spreadsheet, Word, HTML, CSV), one entry
    /// per line that has one, in line order; empty for PDF and plain text. See [`Origin`].
    pub origins: Vec<Origin>,
    /// PDF only: what each page shows and where each line's cells are (see [`Geometry`]).
    pub geometry: Option<Box<Geometry>>,
    /// PDF pages read by OCR, in page order.
    pub ocr_pages: Vec<crate::model::OcrPageInfo>,
}

/// Positions on PDF pages, in points, origin at the top-left corner of the page as displayed
/// (crop box, after `/Rotate`), y growing downward. A box is `[x0, y0, x1, y1]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Geometry {
    /// One entry per page, in page order.
    pub pages: Vec<PageGeometry>,
    /// One entry per [`SourceLine`], in line order.
    pub lines: Vec<LineBoxes>,
}

/// What one page shows: glyphs and ruling lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageGeometry {
    /// 1-based page number.
    pub page: u32,
    pub width: f32,
    pub height: f32,
    /// Every glyph with visible text.
    pub glyphs: Vec<PlacedGlyph>,
    /// Ruling lines and thin filled rectangles.
    pub rules: Vec<[f32; 4]>,
}

/// One glyph: its text and box.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlacedGlyph {
    pub text: String,
    pub bbox: [f32; 4],
    /// Font size (points).
    pub size: f32,
    pub vertical: bool,
}

#[cfg(test)]
impl PlacedGlyph {
    /// A 10-point horizontal glyph, 10 units wide, whose baseline is at `y`.
    pub(crate) fn at(text: &str, x: f32, y: f32) -> PlacedGlyph {
        PlacedGlyph {
            text: text.into(),
            bbox: [x, y - 8.8, x + 10.0, y + 1.2],
            size: 10.0,
            vertical: false,
        }
    }
}

/// The boxes of one line's cells (None for an empty cell or one whose glyphs were not found).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineBoxes {
    /// The [`SourceLine::line`] this describes.
    pub line: u32,
    pub cells: Vec<Option<[f32; 4]>>,
}

impl Geometry {
    /// The cell boxes of the line numbered `line`.
    pub fn line(&self, line: u32) -> Option<&LineBoxes> {
        let i = self.lines.binary_search_by_key(&line, |l| l.line).ok()?;
        self.lines.get(i)
    }
    /// The page numbered `page` (1-based).
    pub fn page(&self, page: u32) -> Option<&PageGeometry> {
        self.pages.iter().find(|p| p.page == page)
    }
}

/// The smallest box holding both.
pub fn union_box(a: Option<[f32; 4]>, b: [f32; 4]) -> [f32; 4] {
    match a {
        None => b,
        Some(a) => [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ],
    }
}

/// The provenance of one [`SourceLine`] of a structured original.
///
/// Spreadsheets: `origin` is the sheet and first non-empty cell (`報告!A5`, quoted like Excel
/// when the sheet name needs it: `'My Sheet'!A5`), `cells` the address of each cell (`A5`, `B5`,
/// …). Word: `p12` (12th body paragraph, 1-based) or `t2.r3` (table 2, row 3) with cells
/// `t2.r3.c1`, …. HTML: `p12` (12th block) or `t1.r3`. CSV/TSV: `line 7` (the record's first line in
/// the file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The [`SourceLine::line`] this describes.
    pub line: u32,
    pub origin: String,
    /// One address per cell of the line (may be empty when cells have no address of their own).
    pub cells: Vec<String>,
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
    /// The provenance of the line numbered `line`, if the input format records one.
    pub fn origin(&self, line: u32) -> Option<&Origin> {
        let i = self.origins.binary_search_by_key(&line, |o| o.line).ok()?;
        self.origins.get(i)
    }

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
