//! Space-aligned text (`pdftotext -layout`, OCR dumps): columns rebuilt from character positions.
//!
//! Each character becomes a positioned glyph (column × line, East Asian Width: a wide or
//! ambiguous-width character takes two columns, as in Japanese fonts) and the page goes through
//! the same layout code that builds lines and cells from PDF glyphs ([`crate::pdf::layout`]):
//! runs of three or more spaces separate cells, cells are ordered left to right. A form feed
//! starts a new page.
//!
//! Text lines are set far enough apart that the layout engine keeps each one a row of its own:
//! with a normal line pitch its block joining (lines of one column that follow each other are one
//! wrapped cell) also glued a table's header row to its first row and whole columns of unruled
//! rows together — on the six `pdftotext -layout` reports of `../shared/layouts` it found
//! 47–69 % of the table text's cells instead of 70–99 %. So wrapped cells stay split over lines.
//!
//! A text is taken as space-aligned when it has no tabs and at least a fifth of its non-blank
//! lines (and at least three) have a gap of three or more spaces between words.

use super::Row;
use crate::pdf::interp::{Glyph, PageContent};
use crate::pdf::layout::layout_page;
use crate::source::SourceDoc;
use unicode_width::UnicodeWidthChar;

/// Points per character column, font size and line pitch of the virtual page.
const COL: f32 = 5.0;
/// A full-width character is two columns (10 pt) wide; a size a little smaller makes a gap of
/// three spaces (15 pt) wider than the layout's 1.5 × size column gap.
const SIZE: f32 = 8.0;
/// More than the layout's block-continuation distance (2.5 × size + 1): one row per text line.
const PITCH: f32 = 30.0;
/// Most characters laid out on one virtual page (bounds the layout's work).
const MAX_GLYPHS: usize = 200_000;

/// Columns a character takes.
fn width(c: char) -> usize {
    match c {
        '\u{3000}' => 2,
        c => c.width_cjk().unwrap_or(0),
    }
}

/// Whether a line has a gap of three or more columns of spaces between two words.
fn gapped(line: &str) -> bool {
    let t = line.trim();
    let mut run = 0usize;
    for c in t.chars() {
        if c == ' ' || c == '\u{3000}' {
            run += width(c);
            if run >= 3 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Whether these lines are space-aligned text.
pub fn is_layout_text<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    let (mut nonblank, mut gaps) = (0usize, 0usize);
    for l in lines {
        if l.contains('\t') {
            return false;
        }
        if l.trim().is_empty() {
            continue;
        }
        nonblank += 1;
        if gapped(l) {
            gaps += 1;
        }
    }
    gaps >= 3 && gaps * 5 >= nonblank
}

/// Rebuild a space-aligned text document into cells; the document unchanged when it is not
/// space-aligned.
pub fn rebuild(doc: SourceDoc) -> SourceDoc {
    let single = doc.lines.iter().all(|l| l.cells.len() <= 1);
    if !single
        || !is_layout_text(
            doc.lines
                .iter()
                .filter_map(|l| l.cells.first().map(String::as_str)),
        )
    {
        return doc;
    }
    // Pages of (source line number, text).
    let mut pages: Vec<Vec<(u32, String)>> = vec![Vec::new()];
    for l in &doc.lines {
        let text = l.cells.first().cloned().unwrap_or_default();
        let mut parts = text.split('\u{c}');
        if let (Some(first), Some(page)) = (parts.next(), pages.last_mut()) {
            page.push((l.line, first.to_string()));
        }
        for p in parts {
            pages.push(vec![(l.line, p.to_string())]);
        }
    }
    let mut out: Vec<(Option<u32>, Vec<Row>)> = Vec::new();
    for (i, lines) in pages.iter().enumerate() {
        let page = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.push((Some(page), layout_lines(lines)));
    }
    if out.len() == 1 {
        if let Some(p) = out.first_mut() {
            p.0 = None;
        }
    }
    let n = u32::try_from(out.len()).ok().filter(|&n| n > 1);
    let (lines, origins) = super::number_rows(out);
    SourceDoc {
        media_type: super::LAYOUT_TEXT.to_string(),
        encoding: doc.encoding,
        pages: n,
        lines,
        diagnostics: doc.diagnostics,
        origins,
        ocr_pages: doc.ocr_pages,
    }
}

/// Lay out one page of text lines.
fn layout_lines(lines: &[(u32, String)]) -> Vec<Row> {
    let mut pc = PageContent {
        height: PITCH * (lines.len() as f32 + 2.0),
        ..PageContent::default()
    };
    for (row, (_, text)) in lines.iter().enumerate() {
        let y = PITCH * (row as f32 + 1.0);
        let mut col = 0usize;
        for c in text.chars() {
            let w = width(c);
            if !(c.is_whitespace() || c.is_control()) && w > 0 && pc.glyphs.len() < MAX_GLYPHS {
                let t0 = u32::try_from(pc.text.len()).unwrap_or(u32::MAX);
                pc.text.push(c);
                let t1 = u32::try_from(pc.text.len()).unwrap_or(u32::MAX);
                pc.glyphs.push(Glyph {
                    x: col as f32 * COL,
                    y,
                    w: w as f32 * COL,
                    size: SIZE,
                    vertical: false,
                    t0,
                    t1,
                    space: false,
                    mcid: -1,
                    upward: false,
                });
            }
            col += w;
        }
    }
    pc.shown = u32::try_from(pc.glyphs.len()).unwrap_or(u32::MAX);
    layout_page(&pc, &|_| None)
        .into_iter()
        .map(|r| {
            // the source line of the row's top
            let idx = ((r.top + SIZE * 0.85) / PITCH).round() as usize;
            let src = lines
                .get(idx.saturating_sub(1))
                .map(|(n, _)| *n)
                .unwrap_or_default();
            Row {
                cells: r.cells,
                origin: Some(format!("line {src}")),
                cell_origins: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(text: &str) -> Option<String> {
        let doc = crate::text::ingest(text.as_bytes(), None).ok()?;
        let d = rebuild(doc);
        (d.media_type == super::super::LAYOUT_TEXT).then(|| d.to_text())
    }

    #[test]
    fn detects_aligned_text() {
        assert!(is_layout_text(
            ["番号   項目", "1      甲", "2      乙"].into_iter()
        ));
        assert!(!is_layout_text(
            ["番号\t項目", "1      甲", "2      乙", "3   丙"].into_iter()
        ));
        assert!(!is_layout_text(
            ["本文です。", "次の行。", "改革   の推進"].into_iter()
        ));
    }

    #[test]
    fn columns_one_row_per_line() {
        let text = "\
番号    取組項目            担当課
 1      窓口業務の          住民課
        効率化
 2      公用車の削減        管財課
";
        let got = rebuilt(text).unwrap_or_default();
        assert_eq!(
            got,
            "番号\t取組項目\t担当課\n1\t窓口業務の\t住民課\n効率化\n2\t公用車の削減\t管財課\n"
        );
    }

    #[test]
    fn half_and_full_width_columns_line_up() {
        // "R4" (2 half-width columns) and "計画" (4 columns): the next column starts at 12 either way
        let text = "R4          計画値\n計画        1,200\n実績        ▲300\n";
        let got = rebuilt(text).unwrap_or_default();
        assert_eq!(got, "R4\t計画値\n計画\t1,200\n実績\t▲300\n");
    }
}
