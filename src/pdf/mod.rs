//! PDF ingestion. The only module that sees lopdf.
//!
//! `bytes → load (lopdf: decryption, xref recovery) → per page: content-stream interpreter
//! (glyphs with Unicode and positions, ruling lines) → layout (lines → cells) → drop running
//! headers/footers → SourceDoc`.

mod doc;
mod font;
mod fontmap;
mod interp;
mod layout;
mod structure;

use std::time::Instant;

pub(crate) mod cmap;
pub(crate) mod encoding;
pub(crate) mod truetype;

pub mod guard;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Diagnostic, Severity};
use crate::source::{SourceDoc, SourceLine};

use layout::Row;

/// True when the bytes look like a PDF (`%PDF-` within the first 1024 bytes).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Share of unmapped glyphs on a page above which the page gets an `unmapped-text` diagnostic.
const UNMAPPED_WARN: f64 = 0.02;

/// Read a PDF into pages → lines → cells.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<SourceDoc> {
    let started = Instant::now();
    let document = doc::load(bytes, limits)?;
    let pdf = doc::Pdf::new(&document, limits);
    let pages = pdf.pages();
    if pages.len() > limits.max_pages {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the PDF has {} pages, more than the limit of {} (--max-pages)",
                pages.len(),
                limits.max_pages
            ),
        ));
    }
    if pages.is_empty() {
        return Err(Error::new(ErrorKind::Pdf, "the PDF has no pages"));
    }
    let mut diagnostics = Vec::new();
    let mut fonts = interp::FontCache::default();
    let mut page_rows: Vec<Vec<Row>> = Vec::with_capacity(pages.len());
    let mut page_heights = Vec::with_capacity(pages.len());
    let mut readable_pages = 0usize;
    let mut total_shown = 0u64;
    let mut total_unmapped = 0u64;
    let tables = structure::read(&pdf);
    for (i, (page_id, page)) in pages.iter().enumerate() {
        let page_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(budget) = limits.time_budget {
            if started.elapsed() > budget {
                return Err(Error::new(
                    ErrorKind::Limit,
                    format!(
                        "reading took longer than the time budget of {} s",
                        budget.as_secs_f32()
                    ),
                )
                .at_page(page_no));
            }
        }
        let contents = page_contents(&pdf, page).map_err(|e| e.at_page(page_no))?;
        let pc = interp::run_page(&pdf, &mut fonts, page_no, page, &contents)?;
        total_shown += u64::from(pc.shown);
        total_unmapped += u64::from(pc.unmapped);
        if pc.skipped_forms > 0 {
            diagnostics.push(
                Diagnostic::new(
                    Severity::Warning,
                    "form-depth-limit",
                    format!(
                        "{} nested Form XObject(s) skipped (nesting deeper than {} or cyclic; --max-depth)",
                        pc.skipped_forms, limits.max_depth
                    ),
                )
                .at(None, Some(page_no)),
            );
        }
        if pc.shown > 0 && f64::from(pc.unmapped) / f64::from(pc.shown) > UNMAPPED_WARN {
            let share = f64::from(pc.unmapped) / f64::from(pc.shown) * 100.0;
            diagnostics.push(
                Diagnostic::new(
                    Severity::Warning,
                    "unmapped-text",
                    format!(
                        "{} of {} glyphs ({share:.0} %) cannot be mapped to Unicode (font without ToUnicode or usable cmap); they are left out",
                        pc.unmapped, pc.shown
                    ),
                )
                .at(None, Some(page_no)),
            );
        }
        if !pc.implausible.is_empty() {
            let fonts: Vec<String> = pc
                .implausible
                .iter()
                .map(|(n, g)| format!("{n} ({g} glyphs)"))
                .collect();
            diagnostics.push(
                Diagnostic::new(
                    Severity::Warning,
                    "low-confidence-text",
                    format!(
                        "text in font(s) {} does not read like Japanese (mostly rare kanji, hardly any kana): the font's Unicode mapping is probably wrong",
                        fonts.join(", ")
                    ),
                )
                .at(None, Some(page_no)),
            );
        }
        let rows = layout::layout_page(&pc, &|mcid| tables.cell(*page_id, mcid));
        if rows.iter().any(|r| {
            r.cells
                .iter()
                .any(|c| c.chars().any(|ch| !ch.is_whitespace()))
        }) {
            readable_pages += 1;
        }
        page_heights.push(pc.height);
        page_rows.push(rows);
    }
    if readable_pages == 0 {
        let why = if total_shown == 0 {
            "the PDF shows no text (scanned images?)".to_string()
        } else {
            format!("none of its {total_shown} glyphs can be mapped to Unicode ({total_unmapped} unmapped)")
        };
        return Err(Error::new(
            ErrorKind::Unreadable,
            format!("no page yields readable text: {why}"),
        ));
    }
    low_confidence(&fonts, &mut diagnostics);
    drop_furniture(&mut page_rows, &page_heights);
    let n_pages = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    Ok(SourceDoc {
        media_type: "application/pdf".into(),
        encoding: None,
        pages: Some(n_pages),
        lines: number_lines(page_rows),
        diagnostics,
    })
}

/// The concatenated, decoded content streams of a page.
fn page_contents(pdf: &doc::Pdf, page: &lopdf::Dictionary) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let streams: Vec<&lopdf::Object> = match page.get(b"Contents").ok() {
        Some(lopdf::Object::Array(a)) => a.iter().collect(),
        Some(o) => match pdf.resolve(o) {
            Some(lopdf::Object::Array(a)) => a.iter().collect(),
            Some(_) => vec![o],
            None => vec![],
        },
        None => vec![],
    };
    for s in streams {
        if let Some(lopdf::Object::Stream(st)) = pdf.resolve(s) {
            out.extend(pdf.stream_bytes(st)?);
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// Flag fonts whose ToUnicode disagrees with their own glyph tables for most glyphs.
fn low_confidence(fonts: &interp::FontCache, diagnostics: &mut Vec<Diagnostic>) {
    let (mut checked, mut differ) = (0u32, 0u32);
    for f in fonts.fonts() {
        let (c, d) = f.tounicode_disagreement();
        if c >= 5 && f64::from(d) / f64::from(c) > 0.5 {
            checked += c;
            differ += d;
        }
    }
    if checked > 0 {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            "low-confidence-text",
            format!(
                "a font's ToUnicode map disagrees with the font's own character map for {differ} of {checked} glyphs; the extracted text may be wrong"
            ),
        ));
    }
}

/// Remove running headers/footers and page numbers: among the outermost rows of each page (top or
/// bottom margin, not part of a ruled table, at most two cells), those whose text (digits ignored)
/// recurs on most pages, and those that are only a page number.
fn drop_furniture(pages: &mut [Vec<Row>], heights: &[f32]) {
    use std::collections::{HashMap, HashSet};
    const EDGE_ROWS: usize = 3;
    let n = pages.len();
    let text_key = |r: &Row| -> String {
        r.cells
            .iter()
            .flat_map(|c| c.chars())
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    // Running headers sit at the same place on every page.
    let key = |r: &Row| -> String { format!("{}@{}", text_key(r), (r.top / 4.0).round() as i64) };
    let candidate = |r: &Row, h: f32| -> bool {
        let margin = r.bottom < h * 0.1 || r.top > h * 0.9;
        margin && !r.in_table && r.cells.len() <= 2
    };
    let edge = |rows: &[Row], i: usize| i < EDGE_ROWS || i + EDGE_ROWS >= rows.len();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (rows, h) in pages.iter().zip(heights) {
        let mut seen = HashSet::new();
        for (i, r) in rows.iter().enumerate() {
            if edge(rows, i) && candidate(r, *h) {
                let k = key(r);
                if seen.insert(k.clone()) {
                    *counts.entry(k).or_default() += 1;
                }
            }
        }
    }
    let min_pages = if n >= 3 {
        (n * 6).div_ceil(10).max(3)
    } else {
        usize::MAX
    };
    let furniture = |r: &Row, h: f32| -> bool {
        candidate(r, h)
            && (counts.get(&key(r)).is_some_and(|c| *c >= min_pages)
                || is_page_number(&text_key(r)))
    };
    for (rows, h) in pages.iter_mut().zip(heights) {
        // Peel furniture off the top and the bottom of the page; stop at the first content row.
        let mut start = 0;
        while start < EDGE_ROWS && rows.get(start).is_some_and(|r| furniture(r, *h)) {
            start += 1;
        }
        let mut end = rows.len();
        while end > start
            && rows.len() - end < EDGE_ROWS
            && rows.get(end - 1).is_some_and(|r| furniture(r, *h))
        {
            end -= 1;
        }
        rows.truncate(end);
        rows.drain(..start);
    }
}

/// `12`, `- 12 -`, `12/30`, `P.12`, `(12)`, `#` patterns after digit folding.
fn is_page_number(k: &str) -> bool {
    let core: String = k
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '-' | '－' | '—' | '(' | ')' | '（' | '）' | '/' | '／' | '.' | 'P' | 'p' | 'ー'
            )
        })
        .collect();
    !core.is_empty() && core.chars().all(|c| c == '#') && core.len() <= 4 && k.chars().count() <= 12
}

/// Number lines as `SourceDoc::to_text` prints them: one form-feed line between pages, and a
/// cell's inner line breaks are printed lines too.
fn number_lines(pages: Vec<Vec<Row>>) -> Vec<SourceLine> {
    let mut out = Vec::new();
    let mut line: u32 = 1;
    let mut first = true;
    for (i, rows) in pages.into_iter().enumerate() {
        let page = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
        if rows.is_empty() {
            continue;
        }
        if !first {
            line = line.saturating_add(1); // the "\f" line
        }
        first = false;
        for r in rows {
            let breaks = r
                .cells
                .iter()
                .map(|c| c.matches('\n').count())
                .sum::<usize>();
            out.push(SourceLine {
                page,
                line,
                cells: r.cells,
            });
            line = line
                .saturating_add(1)
                .saturating_add(u32::try_from(breaks).unwrap_or(0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_number_patterns() {
        let cases = [
            ("#", true),
            ("##", true),
            ("-#-", true),
            ("#/##", true),
            ("P.#", true),
            ("（#）", true),
            ("第#章", false),
            ("目次", false),
            ("", false),
        ];
        for (k, want) in cases {
            assert_eq!(is_page_number(k), want, "{k}");
        }
    }

    #[test]
    fn line_numbers_follow_to_text() {
        let row = |cells: &[&str]| Row {
            top: 0.0,
            bottom: 0.0,
            cells: cells.iter().map(|s| s.to_string()).collect(),
            in_table: false,
        };
        let pages = vec![
            vec![row(&["a", "b\nc"]), row(&["d"])],
            vec![],
            vec![row(&["e"])],
        ];
        let lines = number_lines(pages);
        let doc = SourceDoc {
            lines: lines.clone(),
            ..SourceDoc::default()
        };
        let text = doc.to_text();
        let printed: Vec<&str> = text.lines().collect();
        for l in &lines {
            let first = l.cells.join("\t");
            let first = first.split('\n').next().unwrap_or_default();
            assert_eq!(
                printed.get(l.line as usize - 1).copied(),
                Some(first),
                "line {}",
                l.line
            );
        }
        assert_eq!(
            lines.iter().map(|l| (l.page, l.line)).collect::<Vec<_>>(),
            vec![(Some(1), 1), (Some(1), 3), (Some(3), 5)]
        );
    }

    #[test]
    fn furniture_is_dropped() {
        let row = |top: f32, t: &str| Row {
            top,
            bottom: top + 10.0,
            cells: vec![t.to_string()],
            in_table: false,
        };
        let mut pages: Vec<Vec<Row>> = (1..=4)
            .map(|p| {
                vec![
                    row(10.0, "市の報告書"),
                    row(300.0, &format!("本文{p}")),
                    row(300.0, "市の報告書"),
                    row(780.0, &format!("- {p} -")),
                ]
            })
            .collect();
        drop_furniture(&mut pages, &[800.0; 4]);
        for (i, rows) in pages.iter().enumerate() {
            let texts: Vec<&str> = rows.iter().map(|r| r.cells[0].as_str()).collect();
            assert_eq!(texts, vec![format!("本文{}", i + 1).as_str(), "市の報告書"]);
        }
    }
}
