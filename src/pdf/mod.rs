//! PDF ingestion. The only module that sees lopdf.
//!
//! `bytes → load (lopdf: decryption, xref recovery) → per page: content-stream interpreter
//! (glyphs with Unicode and positions, ruling lines) → layout (lines → cells) → drop running
//! headers/footers → SourceDoc`.

mod doc;
mod font;
mod geometry;
pub(crate) mod interp;
pub(crate) mod layout;
mod pages;
mod scan;
mod structure;
#[cfg(test)]
mod testpdf;
mod vertical;

use std::time::Instant;

pub(crate) mod cmap;
pub(crate) mod encoding;
pub(crate) mod truetype;

pub mod guard;
mod inflate;
pub mod lexer;
mod objstm;
mod repair;
mod salvage;
pub mod streams;
mod unpack;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Diagnostic, Severity};
use crate::source::{SourceDoc, SourceLine};

use layout::Row;

/// True when the bytes look like a PDF (`%PDF-` and a version digit within the first 1024
/// bytes; a text that merely mentions `%PDF-` is not one).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(1024 + 6)).unwrap_or(bytes);
    head.windows(6)
        .any(|w| w.starts_with(b"%PDF-") && w.get(5).is_some_and(u8::is_ascii_digit))
}

/// Share of unmapped glyphs on a page above which the page gets an `unmapped-text` diagnostic.
const UNMAPPED_WARN: f64 = 0.02;

/// Read a PDF into pages → lines → cells (scanned pages by OCR when Tesseract is installed).
///
/// Damage is recovered as far as mature readers do: lopdf rebuilds a cross-reference table it
/// cannot read by scanning for objects, and when a file reads with lost content (a missing or
/// damaged content stream, unreadable content operations) or not at all, it is read a second
/// time with the table rebuilt from the objects themselves (a table that reads but points to
/// the wrong places), and the reading that lost less wins.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<SourceDoc> {
    extract_with(bytes, limits, crate::ocr::OcrMode::Auto)
}

/// As [`extract`], saying when scanned pages are read by OCR.
pub fn extract_with(bytes: &[u8], limits: &Limits, ocr: crate::ocr::OcrMode) -> Result<SourceDoc> {
    extract_threads(bytes, limits, ocr, 1)
}

/// As [`extract_with`], reading the pages in up to `threads` parallel runs of consecutive pages
/// (of at least [`pages::MIN_PAGES_PER_RUN`] pages each); the result is the same as reading them
/// in order.
pub fn extract_threads(
    bytes: &[u8],
    limits: &Limits,
    ocr: crate::ocr::OcrMode,
    threads: usize,
) -> Result<SourceDoc> {
    extract_runs(
        bytes,
        limits,
        ocr,
        pages::Split {
            threads,
            min_run: pages::MIN_PAGES_PER_RUN,
        },
    )
}

/// As [`extract_threads`], with runs of at least `split.min_run` pages.
pub(crate) fn extract_runs(
    bytes: &[u8],
    limits: &Limits,
    ocr: crate::ocr::OcrMode,
    split: pages::Split,
) -> Result<SourceDoc> {
    let started = Instant::now();
    let first = load_and_read(bytes, limits, false, started, ocr, split);
    let retry = match &first {
        Ok(d) => {
            (losses(d) > 0 || d.diagnostics.iter().any(|x| x.code == "pdf-missing-object"))
                && !d.diagnostics.iter().any(|x| x.code == "pdf-xref-rebuilt")
        }
        Err(e) => matches!(e.kind, ErrorKind::Pdf | ErrorKind::Unreadable),
    };
    if !retry {
        return first;
    }
    match (
        first,
        load_and_read(bytes, limits, true, started, ocr, split),
    ) {
        (Ok(a), Ok(b)) => Ok(
            if (losses(&b), std::cmp::Reverse(text_len(&b)))
                < (losses(&a), std::cmp::Reverse(text_len(&a)))
            {
                b
            } else {
                a
            },
        ),
        (Err(_), Ok(b)) => Ok(b),
        (first, _) => first,
    }
}

/// Diagnostics that say damage cost content (or may have: missing objects).
fn losses(d: &SourceDoc) -> usize {
    d.diagnostics
        .iter()
        .filter(|x| x.severity == Severity::Error || x.code == "pdf-missing-object")
        .count()
}

/// Characters of text read.
fn text_len(d: &SourceDoc) -> usize {
    d.lines
        .iter()
        .flat_map(|l| l.cells.iter())
        .map(String::len)
        .sum()
}

fn load_and_read(
    bytes: &[u8],
    limits: &Limits,
    rebuild: bool,
    started: Instant,
    ocr: crate::ocr::OcrMode,
    split: pages::Split,
) -> Result<SourceDoc> {
    use crate::timings::{self, Stage};
    let parse_started = Instant::now();
    let (mut document, mut load_notes) = doc::load(bytes, limits, rebuild)?;
    // Streams whose /Length disagrees with the bytes are read to `endstream`, object streams
    // whose offsets disagree with their data are read by scanning it, and objects lopdf could
    // not parse for a stray word in them are read without it.
    let mut repairs = repair::stream_lengths(&mut document, bytes);
    repairs.extend(objstm::recover(&mut document, limits));
    let (salvaged, whole) = salvage::objects(&mut document, bytes, limits);
    repairs.extend(salvaged);
    let document = document;
    // The page tree walk skips cycles and broken nodes (with diagnostics); a document whose tree
    // gives nothing is searched for page objects.
    let (ids, mut diagnostics) = guard::page_ids(&document, limits)?;
    load_notes.extend(repair::on_pages(&document, &ids, repairs));
    let pdf = doc::Pdf::new(&document, limits);
    diagnostics.splice(0..0, load_notes);
    // Salvage found every reference leading to an object and changed nothing: none dangles.
    let dangling = if whole {
        0
    } else {
        guard::dangling_refs(&document, 10_000)
    };
    if dangling > 0 {
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            "pdf-missing-object",
            format!("{dangling} reference(s) lead to objects that are missing or damaged beyond reading"),
        ));
    }
    let mut pages: Vec<(lopdf::ObjectId, &lopdf::Dictionary)> = ids
        .iter()
        .filter_map(|id| document.get_dictionary(*id).ok().map(|d| (*id, d)))
        .collect();
    if pages.is_empty() {
        pages = pdf.pages();
        guard::check_pages(pages.len(), limits)?;
    }
    if pages.is_empty() {
        return Err(Error::new(ErrorKind::Pdf, "the PDF has no pages"));
    }
    let tables = structure::read(&pdf);
    diagnostics.extend(pdf.take_notes());
    timings::add(Stage::Parse, parse_started.elapsed());
    let job = pages::Job {
        limits,
        started,
        ocr,
        tables: &tables,
        pages: &pages,
    };
    let runs = pages::runs(pages.len(), split);
    let read = if runs.len() > 1 {
        match pages::read_parallel(&pdf, &job, &runs) {
            Some(read) => read,
            // Damage was met: the pages are read in order, so that what it costs is said as a
            // reading in order says it.
            None => return load_and_read(bytes, limits, rebuild, started, ocr, pages::Split::ONE),
        }
    } else {
        pages::read_in_order(&pdf, &job)?
    };
    timings::add(Stage::Fonts, read.font_time);
    timings::add(
        Stage::Interpret,
        read.interpret_time.saturating_sub(read.font_time),
    );
    let layout_started = Instant::now();
    let mut page_rows: Vec<Vec<Row>> = Vec::with_capacity(pages.len());
    let mut page_heights = Vec::with_capacity(pages.len());
    let mut page_geometry = Vec::with_capacity(pages.len());
    let mut readable_pages = 0usize;
    let mut total_shown = 0u64;
    let mut total_unmapped = 0u64;
    let mut ocr_pages = Vec::new();
    let mut scan_notes = scan::ScanNotes::default();
    for p in read.pages {
        diagnostics.extend(p.diagnostics);
        ocr_pages.extend(p.ocr);
        scan_notes.unread.extend(p.unread);
        total_shown += u64::from(p.shown);
        total_unmapped += u64::from(p.unmapped);
        readable_pages += usize::from(p.readable);
        page_heights.push(p.height);
        page_geometry.push(p.geometry);
        page_rows.push(p.rows);
    }
    let layout_time = read.layout_time;
    if readable_pages == 0 {
        let why = if let Some((page, why)) = scan_notes.unread.first() {
            let n = scan_notes.unread.len();
            format!(
                "{n} of its {} pages are scanned images (page {page}: {why})",
                pages.len()
            )
        } else if total_shown == 0 {
            "the PDF shows no text (scanned images?)".to_string()
        } else {
            format!("none of its {total_shown} glyphs can be mapped to Unicode ({total_unmapped} unmapped)")
        };
        return Err(Error::new(
            ErrorKind::Unreadable,
            format!("no page yields readable text: {why}"),
        ));
    }
    low_confidence(read.fonts, &mut diagnostics);
    merge_split_rows(&mut page_rows);
    drop_furniture(&mut page_rows, &page_heights);
    let n_pages = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let boxes = geometry::row_boxes(&page_geometry, &page_rows);
    let lines = number_lines(page_rows);
    let geometry = geometry::lines(page_geometry, &lines, boxes);
    timings::add(Stage::Layout, layout_time + layout_started.elapsed());
    Ok(SourceDoc {
        media_type: "application/pdf".into(),
        encoding: None,
        pages: Some(n_pages),
        lines,
        diagnostics,
        origins: Vec::new(),
        geometry: Some(Box::new(geometry)),
        ocr_pages,
    })
}

/// The concatenated, decoded content streams of a page. A content stream that is missing (its
/// object did not survive) or cannot be decoded is noted as lost content.
fn page_contents(pdf: &doc::Pdf, page: &lopdf::Dictionary, page_no: u32) -> Result<Vec<u8>> {
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
        match pdf.resolve(s) {
            Some(lopdf::Object::Stream(st)) => {
                out.extend(pdf.content_bytes(st, doc::Pdf::ref_id(s), page_no)?);
                out.push(b'\n');
            }
            Some(lopdf::Object::Null) | None => {
                let what = match doc::Pdf::ref_id(s) {
                    Some((n, g)) => format!("content stream {n} {g} R"),
                    None => "a content stream".to_string(),
                };
                pdf.note(
                    Diagnostic::new(
                        Severity::Error,
                        "pdf-missing-object",
                        format!("{what} is missing or damaged beyond reading; its content is lost"),
                    )
                    .at(None, Some(page_no)),
                );
            }
            Some(_) => {}
        }
    }
    Ok(out)
}

/// Flag fonts whose ToUnicode disagrees with their own glyph tables for most glyphs: (name,
/// glyphs checked, glyphs that differ) of each font.
fn low_confidence(fonts: Vec<(String, u32, u32)>, diagnostics: &mut Vec<Diagnostic>) {
    let mut flagged: Vec<String> = fonts
        .into_iter()
        .filter_map(|(name, checked, differ)| {
            (checked >= 5 && f64::from(differ) / f64::from(checked) > 0.5)
                .then(|| format!("{name} ({differ} of {checked} glyphs)"))
        })
        .collect();
    if flagged.is_empty() {
        return;
    }
    flagged.sort();
    diagnostics.push(Diagnostic::new(
        Severity::Warning,
        "low-confidence-text",
        format!(
            "the ToUnicode map of font(s) {} disagrees with the font's own character map; the extracted text may be wrong",
            flagged.join(", ")
        ),
    ));
}

/// A tagged table row that a page break splits shows up on both pages: its continuation is
/// appended, cell by cell, to the row on the earlier page.
fn merge_split_rows(pages: &mut [Vec<Row>]) {
    for p in 1..pages.len() {
        let (before, after) = pages.split_at_mut(p);
        let (Some(prev), Some(cur)) = (before.last_mut(), after.first_mut()) else {
            continue;
        };
        let index: std::collections::HashMap<(usize, usize), usize> = prev
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.key.map(|k| (k, i)))
            .collect();
        cur.retain(|r| {
            let Some(target) = r
                .key
                .and_then(|k| index.get(&k))
                .and_then(|&i| prev.get_mut(i))
            else {
                return true;
            };
            if target.cells.len() < r.cells.len() {
                target.cells.resize(r.cells.len(), String::new());
            }
            for (t, more) in target.cells.iter_mut().zip(&r.cells) {
                layout::continue_cell(t, more);
            }
            false
        });
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
    use super::testpdf::{self, show, show_cids, Builder};
    use super::*;

    #[test]
    fn pdf_detection_table() {
        let junk = vec![b'x'; 1000];
        let cases: [(&[u8], bool); 7] = [
            (b"%PDF-1.7\n", true),
            (b"%PDF-2.0", true),
            (&[&junk[..], b"%PDF-1.4"].concat(), true),
            (b"a text about the %PDF- header line", false),
            (b"%PDF-", false),
            (b"", false),
            (&[&junk[..], &junk[..], b"%PDF-1.4"].concat(), false),
        ];
        for (bytes, want) in cases {
            assert_eq!(is_pdf(bytes), want, "{}", String::from_utf8_lossy(bytes));
        }
    }

    fn extract_ok(bytes: &[u8]) -> SourceDoc {
        match extract(bytes, &Limits::default()) {
            Ok(d) => d,
            Err(e) => panic!("extract failed: {e}"),
        }
    }

    fn err_of(bytes: &[u8], limits: &Limits) -> Error {
        match extract(bytes, limits) {
            Ok(d) => panic!("expected an error, got {:?}", d.to_text()),
            Err(e) => e,
        }
    }

    fn two_page_latin() -> Vec<u8> {
        let mut b = Builder::new();
        b.latin_font("F1");
        b.page(show("F1", 50.0, 700.0, "First page").as_bytes());
        b.page(show("F1", 50.0, 700.0, "Second page").as_bytes());
        b.bytes()
    }

    #[test]
    fn pages_lines_and_metadata() {
        let doc = extract_ok(&two_page_latin());
        assert_eq!(doc.media_type, "application/pdf");
        assert_eq!(doc.encoding, None);
        assert_eq!(doc.pages, Some(2));
        let got: Vec<(Option<u32>, u32, Vec<String>)> = doc
            .lines
            .iter()
            .map(|l| (l.page, l.line, l.cells.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(1), 1, vec!["First page".to_string()]),
                (Some(2), 3, vec!["Second page".to_string()])
            ]
        );
        assert_eq!(doc.to_text(), "First page\n\u{c}\nSecond page\n");
        assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    }

    #[test]
    fn cid_font_with_tounicode_keeps_non_bmp() {
        let mut b = Builder::new();
        b.cid_font("C1", Some("𠮟る"));
        b.page(show_cids("C1", 50.0, 700.0, 2).as_bytes());
        assert_eq!(extract_ok(&b.bytes()).to_text(), "𠮟る\n");
    }

    #[test]
    fn text_that_does_not_read_like_japanese_is_flagged() {
        let cases = [
            // rare kanji only, no kana: a ToUnicode mapping into the wrong characters
            ("丐丕个丱丶丼丿乂乖乘", vec!["low-confidence-text"]),
            ("行財政改革の進捗状況を報告します", vec![]),
            ("事務事業評価実施件数目標", vec![]),
        ];
        for (text, want) in cases {
            let mut b = Builder::new();
            b.cid_font("C1", Some(text));
            b.page(show_cids("C1", 50.0, 700.0, text.chars().count()).as_bytes());
            let doc = extract_ok(&b.bytes());
            assert_eq!(doc.to_text(), format!("{text}\n"));
            let codes: Vec<(&str, Option<u32>)> = doc
                .diagnostics
                .iter()
                .map(|d| (d.code.as_str(), d.page))
                .collect();
            let want: Vec<(&str, Option<u32>)> = want.into_iter().map(|c| (c, Some(1))).collect();
            assert_eq!(codes, want, "{text}");
        }
    }

    #[test]
    fn quarter_turned_text_reads_along_its_column() {
        let cases: [(&str, &str); 3] = [
            // turned counter-clockwise: read bottom to top
            ("BT /F1 10 Tf 0 1 -1 0 100 100 Tm (Upward) Tj ET", "Upward\n"),
            // turned clockwise: read top to bottom
            ("BT /F1 10 Tf 0 -1 1 0 100 700 Tm (Downward) Tj ET", "Downward\n"),
            // inside a ruled cell, beside a horizontal label
            (
                "0.5 w 50 50 m 300 50 l S 50 400 m 300 400 l S 50 50 m 50 400 l S 300 50 m 300 400 l S 150 50 m 150 400 l S BT /F1 10 Tf 60 300 Td (Label) Tj ET BT /F1 10 Tf 0 1 -1 0 220 100 Tm (Turned) Tj ET",
                "Label\tTurned\n",
            ),
        ];
        for (content, want) in cases {
            let mut b = Builder::new();
            b.latin_font("F1");
            b.page(content.as_bytes());
            assert_eq!(extract_ok(&b.bytes()).to_text(), want, "{content}");
        }
    }

    #[test]
    fn nothing_mappable_is_unreadable() {
        let mut b = Builder::new();
        b.cid_font("C1", None);
        b.page(show_cids("C1", 50.0, 700.0, 12).as_bytes());
        let e = err_of(&b.bytes(), &Limits::default());
        assert_eq!(e.kind, ErrorKind::Unreadable);
        assert!(e.message.contains("12 glyphs"), "{}", e.message);
    }

    #[test]
    fn mostly_unmapped_pdf_is_not_a_bare_not_a_report() {
        let mut b = Builder::new();
        b.latin_font("F1");
        b.cid_font("C1", None);
        let p1 = format!(
            "{}{}",
            show("F1", 50.0, 700.0, "Title"),
            show_cids("C1", 50.0, 680.0, 40)
        );
        b.page(p1.as_bytes());
        let e = crate::parse_bytes(&b.bytes(), "x.pdf", &crate::Options::default())
            .expect_err("no report in it");
        assert_eq!(e.kind, ErrorKind::Unreadable, "{e}");
        assert!(e.message.contains("page 1: 40 of 45 glyphs (89 %)"), "{e}");
        assert!(e.message.contains("cmap: Test: 40)"), "{e}");
    }

    #[test]
    fn partly_unmapped_page_is_flagged_not_garbled() {
        let mut b = Builder::new();
        b.latin_font("F1");
        b.cid_font("C1", None);
        b.page(show("F1", 50.0, 700.0, "Readable").as_bytes());
        let p2 = format!(
            "{}{}",
            show("F1", 50.0, 700.0, "Title"),
            show_cids("C1", 50.0, 680.0, 15)
        );
        b.page(p2.as_bytes());
        let doc = extract_ok(&b.bytes());
        assert_eq!(doc.to_text(), "Readable\n\u{c}\nTitle\n");
        let d: Vec<(&str, Option<u32>, Severity)> = doc
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.page, d.severity))
            .collect();
        assert_eq!(d, vec![("unmapped-text", Some(2), Severity::Warning)]);
        assert!(
            doc.diagnostics[0]
                .message
                .contains("15 of 20 glyphs (75 %)"),
            "{}",
            doc.diagnostics[0].message
        );
    }

    #[test]
    fn form_xobjects_nest_up_to_the_depth_limit_and_cycles_stop() {
        let build = || {
            let mut b = Builder::new();
            b.latin_font("F1");
            b.form(
                "X1",
                format!("{}/X2 Do", show("F1", 50.0, 700.0, "outer")).as_bytes(),
            );
            b.form(
                "X2",
                format!(
                    "q 1 0 0 1 0 -20 cm {} Q /X3 Do",
                    show("F1", 50.0, 700.0, "inner")
                )
                .as_bytes(),
            );
            b.form(
                "X3",
                format!(
                    "q 1 0 0 1 0 -40 cm {} Q /X3 Do",
                    show("F1", 50.0, 700.0, "deepest")
                )
                .as_bytes(),
            );
            b.page(b"/X1 Do");
            b.bytes()
        };
        let bytes = build();
        let doc = extract_ok(&bytes);
        assert_eq!(doc.to_text(), "outer\ninner\ndeepest\n");
        // X3 calls itself: the cycle is cut and reported.
        assert_eq!(
            doc.diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>(),
            vec!["form-xobject-cycle"]
        );
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let doc = extract(&bytes, &limits).expect("extract");
        assert_eq!(doc.to_text(), "outer\ninner\n");
        assert_eq!(
            doc.diagnostics.first().map(|d| (d.code.as_str(), d.page)),
            Some(("form-xobject-depth", Some(1)))
        );
    }

    #[test]
    fn limits_are_errors_with_clear_messages() {
        let bytes = two_page_latin();
        let cases = [
            (
                Limits {
                    max_pages: 1,
                    ..Limits::default()
                },
                "--max-pages",
                None,
            ),
            (
                Limits {
                    max_operators_per_page: 3,
                    ..Limits::default()
                },
                "--max-operators",
                Some(1),
            ),
            (
                Limits {
                    max_stream_bytes: 8,
                    ..Limits::default()
                },
                "--max-stream-bytes",
                Some(1),
            ),
            (
                Limits {
                    max_document_bytes: 60,
                    ..Limits::default()
                },
                "--max-document-bytes",
                Some(2),
            ),
        ];
        for (limits, flag, page) in cases {
            let e = err_of(&bytes, &limits);
            assert_eq!(e.kind, ErrorKind::Limit, "{flag}: {e}");
            assert!(e.message.contains(flag), "{flag}: {}", e.message);
            assert_eq!(e.location.page, page, "{flag}");
        }
    }

    fn encrypted(user_password: &str) -> Vec<u8> {
        let mut b = Builder::new();
        b.latin_font("F1");
        b.page(show("F1", 50.0, 700.0, "Secret text").as_bytes());
        let mut doc = b.finish();
        doc.trailer.set(
            "ID",
            vec![
                lopdf::Object::string_literal("0123456789abcdef"),
                lopdf::Object::string_literal("0123456789abcdef"),
            ],
        );
        let version = lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner-secret",
            user_password,
            key_length: 128,
            permissions: lopdf::Permissions::all(),
        };
        let state = lopdf::EncryptionState::try_from(version).expect("encryption state");
        doc.encrypt(&state).expect("encrypt");
        testpdf::save(&mut doc)
    }

    #[test]
    fn owner_password_only_files_open_user_password_files_do_not() {
        let doc = extract_ok(&encrypted(""));
        assert_eq!(doc.to_text(), "Secret text\n");
        let e = err_of(&encrypted("user-secret"), &Limits::default());
        assert_eq!(e.kind, ErrorKind::Pdf);
        assert!(
            e.message.contains("encrypted with a user password"),
            "{}",
            e.message
        );
    }

    #[test]
    fn broken_cross_reference_table_is_rebuilt() {
        let mut bytes = two_page_latin();
        // Point startxref at nonsense and garble the table's offsets.
        let pos = bytes
            .windows(9)
            .rposition(|w| w == b"startxref")
            .expect("startxref");
        bytes.truncate(pos);
        bytes.extend_from_slice(b"startxref\n999999\n%%EOF\n");
        if let Some(x) = bytes.windows(4).position(|w| w == b"xref") {
            for b in bytes.iter_mut().skip(x + 4).take(60) {
                if b.is_ascii_digit() {
                    *b = b'7';
                }
            }
        }
        let doc = extract_ok(&bytes);
        assert_eq!(doc.to_text(), "First page\n\u{c}\nSecond page\n");
    }

    #[test]
    fn garbage_is_a_pdf_error() {
        for bytes in [
            &b"%PDF-1.7\nnot really"[..],
            b"%PDF-",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>",
        ] {
            let e = err_of(bytes, &Limits::default());
            assert_eq!(e.kind, ErrorKind::Pdf, "{e}");
        }
    }

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
            key: None,
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
            key: None,
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
