//! Ingestion of every accepted input form into one [`SourceDoc`] (pages → lines → cells).
//!
//! The form is detected by content first, then by the file name's extension:
//!
//! | form | detected by | read by |
//! |---|---|---|
//! | PDF | `%PDF-` | [`crate::pdf`] |
//! | `.xlsx` / `.xlsm` | zip with `[Content_Types].xml` and `xl/workbook.xml` | [`sheet`] |
//! | `.ods` | zip whose `mimetype` is an OpenDocument spreadsheet | [`sheet`] |
//! | `.xls` | OLE compound file (`D0 CF 11 E0`) | [`sheet`] |
//! | `.docx` | zip with `[Content_Types].xml` and `word/document.xml` | [`word`] |
//! | HTML | `<!DOCTYPE html`, `<html`, `<table` near the start, or `.html` / `.htm` | [`html`] |
//! | CSV / TSV | the extension `.csv` / `.tsv` (UTF-8 or CP932, detected as for text) | [`delimited`] |
//! | gapped text (tabs expanded, two full-width spaces) | text without tabs whose gaps have one fixed form | [`gaps`] |
//! | space-aligned text (`pdftotext -layout`) | text without tabs whose lines are set in columns | [`layout_text`] |
//! | plain text | anything else | [`crate::text`] |
//!
//! Every reader keeps empty cells so that columns stay aligned, gives a merged cell's text once
//! (in its first cell, the rest empty) and puts line breaks inside a cell as `\n` in the cell
//! text. Structured originals also record where each line came from ([`Origin`]).

mod biff;
pub mod delimited;
pub mod gaps;
pub mod html;
pub mod layout_text;
mod numfmt;
pub mod sheet;
pub mod word;
mod xml;

use crate::error::{Error, ErrorKind, Result};
use crate::source::{Origin, SourceDoc, SourceLine};
use crate::Options;

/// An input form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
    Xls,
    Ods,
    Docx,
    Html,
    /// Delimited text with this separator (`,` CSV, `\t` TSV).
    Delimited(u8),
    /// Plain text; space-aligned layout text is recognised later, after decoding.
    Text,
}

/// Media types of the forms.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const XLS: &str = "application/vnd.ms-excel";
pub const ODS: &str = "application/vnd.oasis.opendocument.spreadsheet";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const HTML: &str = "text/html";
pub const CSV: &str = "text/csv";
pub const TSV: &str = "text/tab-separated-values";
/// Space-aligned text (`pdftotext -layout`), rebuilt into cells.
pub const LAYOUT_TEXT: &str = "text/plain; layout=aligned";

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The lowercase extension of a file name, if any.
fn extension(name: Option<&str>) -> Option<String> {
    let name = name?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Decide the form of an input by its content, then by the extension of `name`.
pub fn detect(bytes: &[u8], name: Option<&str>) -> Format {
    let ext = extension(name);
    if crate::pdf::is_pdf(bytes) {
        return Format::Pdf;
    }
    if bytes.starts_with(ZIP_MAGIC) {
        if let Some(f) = xml::zip_kind(bytes) {
            return f;
        }
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Format::Xls;
    }
    match ext.as_deref() {
        Some("xlsx" | "xlsm") => return Format::Xlsx,
        Some("ods") => return Format::Ods,
        Some("xls") => return Format::Xls,
        Some("docx") => return Format::Docx,
        Some("csv") => return Format::Delimited(b','),
        Some("tsv") => return Format::Delimited(b'\t'),
        Some("html" | "htm" | "xhtml") => return Format::Html,
        _ => {}
    }
    if html::looks_like_html(bytes) {
        return Format::Html;
    }
    Format::Text
}

/// Read input bytes into lines and cells. `name` (a file name or path) helps detection by
/// extension; content decides first.
pub fn ingest(bytes: &[u8], name: Option<&str>, opts: &Options) -> Result<SourceDoc> {
    let format = detect(bytes, name);
    if bytes.starts_with(OLE_MAGIC) && matches!(extension(name).as_deref(), Some("doc" | "ppt")) {
        return Err(Error::new(
            ErrorKind::NotAReport,
            "a legacy binary Office document (.doc/.ppt) is not supported: save it as .docx or PDF",
        ));
    }
    match format {
        Format::Pdf => {
            crate::pdf::extract_threads(bytes, &opts.limits, opts.ocr, opts.page_threads)
        }
        Format::Xlsx | Format::Ods | Format::Xls => sheet::ingest(bytes, format, &opts.limits),
        Format::Docx => word::ingest(bytes, &opts.limits),
        Format::Html => html::ingest_with(bytes, opts.encoding.as_deref(), opts.encoding_errors),
        Format::Delimited(sep) => {
            delimited::ingest_with(bytes, sep, opts.encoding.as_deref(), opts.encoding_errors)
        }
        Format::Text => {
            if bytes.starts_with(ZIP_MAGIC) {
                return Err(Error::new(
                    ErrorKind::NotAReport,
                    "a zip archive that is neither a spreadsheet (.xlsx, .ods) nor a Word document (.docx)",
                ));
            }
            let doc =
                crate::text::ingest_with(bytes, opts.encoding.as_deref(), opts.encoding_errors)?;
            // A double-spaced text loses its single blank lines before its columns are rebuilt.
            let doc = crate::records::spacing::fold_doc(doc);
            Ok(layout_text::rebuild(gaps::split_doc(doc)))
        }
    }
}

/// One row of output before numbering: its cells and where it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Row {
    pub cells: Vec<String>,
    pub origin: Option<String>,
    pub cell_origins: Vec<String>,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Number rows as [`SourceDoc::to_text`] prints them: a form-feed line between pages, and a
/// cell's inner line breaks are printed lines too. Blank rows are dropped; trailing empty cells
/// are trimmed.
pub(crate) fn number_rows(pages: Vec<(Option<u32>, Vec<Row>)>) -> (Vec<SourceLine>, Vec<Origin>) {
    let mut numbers = RowNumbers::default();
    let mut lines = Vec::new();
    let mut origins = Vec::new();
    for (page, rows) in pages {
        numbers.page(page, rows, &mut lines, &mut origins);
    }
    (lines, origins)
}

/// [`number_rows`] a page at a time: the line number and page reached so far.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowNumbers {
    line: u32,
    last_page: Option<Option<u32>>,
}

impl Default for RowNumbers {
    fn default() -> Self {
        RowNumbers {
            line: 1,
            last_page: None,
        }
    }
}

impl RowNumbers {
    /// Number one page's rows, adding them to `lines` and their origins to `origins`.
    pub(crate) fn page(
        &mut self,
        page: Option<u32>,
        rows: Vec<Row>,
        lines: &mut Vec<SourceLine>,
        origins: &mut Vec<Origin>,
    ) {
        for mut r in rows {
            if r.is_blank() {
                continue;
            }
            while r.cells.last().is_some_and(|c| c.is_empty()) {
                r.cells.pop();
            }
            r.cell_origins.truncate(r.cells.len());
            if self.last_page.is_some_and(|p| p != page) {
                self.line = self.line.saturating_add(1); // the "\f" line
            }
            self.last_page = Some(page);
            let breaks = r
                .cells
                .iter()
                .map(|c| c.matches('\n').count())
                .sum::<usize>();
            if let Some(origin) = r.origin {
                origins.push(Origin {
                    line: self.line,
                    origin,
                    cells: r.cell_origins,
                });
            }
            lines.push(SourceLine {
                page,
                line: self.line,
                cells: r.cells,
            });
            self.line = self
                .line
                .saturating_add(1)
                .saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        }
    }
}

/// Cell text as printed: line breaks as `\n`, tabs and other control characters as spaces
/// (a tab would split the cell when printed), runs of spaces inside a line kept, each line's
/// trailing spaces and the cell's leading/trailing blank lines dropped.
pub(crate) fn clean_cell(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\n' => '\n',
            '\u{0B}' | '\u{0C}' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let lines: Vec<&str> = mapped.split('\n').map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines.get(a..=b).map(|l| l.join("\n")).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Cells merged down over several rows (`rowspan`, `vMerge`, a merged range) are given once, in
/// their top row. Where each row under the top one is a row of its own (it has text of its own in
/// the leftmost column that the top row has text in besides the merged one), the merged cell is
/// the cell of a group of rows (a department over the items it is in charge of) and its text is
/// repeated in each of them. Kept once: in rows that continue the top row (their leftmost cells
/// covered or empty), a merge starting in the table's first row or beside a cell spanning columns
/// the rows below fill (a header over a lower header row), and an item number (`1`, `No.2`, `(3)`) merged over the rows of one item. `covered[r][c]`:
/// cell `c` of row `r` continues a merge from the row above.
pub(crate) fn repeat_group_merges(grid: &mut [Vec<String>], covered: &[Vec<bool>]) {
    let orig: Vec<Vec<String>> = grid.to_vec();
    let is_covered = |r: usize, c: usize| {
        covered
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(false)
    };
    let has_text = |r: usize, c: usize| {
        orig.get(r)
            .and_then(|row| row.get(c))
            .is_some_and(|t| !t.trim().is_empty())
    };
    for (r, row) in grid.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            if !is_covered(r, c) || !cell.trim().is_empty() {
                continue;
            }
            let Some(top) = (0..r).rev().find(|&t| !is_covered(t, c)) else {
                continue;
            };
            let group = orig.get(top).and_then(|row| row.get(c)).is_some_and(|t| {
                let t = t.trim();
                !t.is_empty() && !item_number(t)
            });
            if top == 0 || !group {
                continue;
            }
            let width = orig.get(top).map_or(0, Vec::len);
            let Some(lead) = (0..width).find(|&k| k != c && has_text(top, k)) else {
                continue;
            };
            // the top row's cell spans columns the row below fills (a header over lower headers)
            let spanning = !has_text(top, lead + 1) && has_text(r, lead + 1);
            if has_text(r, lead) && !is_covered(r, lead) && !spanning {
                if let Some(t) = orig.get(top).and_then(|row| row.get(c)) {
                    cell.clone_from(t);
                }
            }
        }
    }
}

/// Whether a cell is an item number (`1`, `(3)`, `No.2`, `Ｎｏ．４`).
fn item_number(t: &str) -> bool {
    let n = crate::normalize::normalize(t.trim());
    let rest = ["No.", "NO.", "no.", "No", "NO", "№"]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .unwrap_or(&n)
        .trim();
    crate::records::ids::whole_id(rest).is_some()
}

/// A one-line error about a structured input.
pub(crate) fn bad(what: &str, detail: impl std::fmt::Display) -> Error {
    let detail = detail.to_string();
    let detail = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    Error::new(ErrorKind::NotAReport, format!("{what}: {detail}"))
}

/// A document with these lines, of this media type.
pub(crate) fn doc(
    media_type: &str,
    pages: Option<u32>,
    rows: Vec<(Option<u32>, Vec<Row>)>,
) -> Result<SourceDoc> {
    let (lines, origins) = number_rows(rows);
    if lines.is_empty() {
        return Err(Error::new(
            ErrorKind::NotAReport,
            "the document holds no text",
        ));
    }
    Ok(SourceDoc {
        media_type: media_type.to_string(),
        encoding: None,
        pages,
        lines,
        diagnostics: Vec::new(),
        origins,
        geometry: None,
        ocr_pages: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(extension(Some("a/b/report.XLSX")).as_deref(), Some("xlsx"));
        assert_eq!(extension(Some(".hidden")), None);
        assert_eq!(extension(Some("noext")), None);
        assert_eq!(
            detect(b"a,b\n1,2\n", Some("x.csv")),
            Format::Delimited(b',')
        );
        assert_eq!(detect(b"a,b\n1,2\n", None), Format::Text);
        assert_eq!(detect(b"<!DOCTYPE html><p>x", None), Format::Html);
        assert_eq!(detect(OLE_MAGIC, None), Format::Xls);
    }

    #[test]
    fn group_merges_repeated_in_rows_of_their_own() {
        // (grid, covered cells (row, col), expected grid)
        type Case = (
            Vec<Vec<&'static str>>,
            Vec<(usize, usize)>,
            Vec<Vec<&'static str>>,
        );
        let cases: Vec<Case> = vec![
            // a department merged down over three rows that each have their own number
            (
                vec![
                    vec!["h"],
                    vec!["課", "1", "甲"],
                    vec!["", "2", "乙"],
                    vec!["", "3", "丙"],
                ],
                vec![(2, 0), (3, 0)],
                vec![
                    vec!["h"],
                    vec!["課", "1", "甲"],
                    vec!["課", "2", "乙"],
                    vec!["課", "3", "丙"],
                ],
            ),
            // a number and title merged over a second row continuing the first: kept once
            (
                vec![
                    vec!["h"],
                    vec!["1", "題", "一", "A"],
                    vec!["", "", "二", ""],
                ],
                vec![(2, 0), (2, 1), (2, 3)],
                vec![
                    vec!["h"],
                    vec!["1", "題", "一", "A"],
                    vec!["", "", "二", ""],
                ],
            ),
            // an item number merged over its rows of a goal and an actual: kept once
            (
                vec![
                    vec!["h"],
                    vec!["No.1", "目標", "10"],
                    vec!["", "実績", "12"],
                ],
                vec![(2, 0)],
                vec![
                    vec!["h"],
                    vec!["No.1", "目標", "10"],
                    vec!["", "実績", "12"],
                ],
            ),
            // a header merged down over a lower header row: kept once
            (
                vec![vec!["番号", "令和6年度", ""], vec!["", "目標", "実績"]],
                vec![(1, 0)],
                vec![vec!["番号", "令和6年度", ""], vec!["", "目標", "実績"]],
            ),
            (
                vec![
                    vec!["表"],
                    vec!["担当", "令和6年度", ""],
                    vec!["", "目標", "実績"],
                ],
                vec![(2, 0)],
                vec![
                    vec!["表"],
                    vec!["担当", "令和6年度", ""],
                    vec!["", "目標", "実績"],
                ],
            ),
            // a rating merged down where the next row has no number of its own: kept once
            (
                vec![vec!["h"], vec!["1", "題", "A"], vec!["", "続き", ""]],
                vec![(2, 2)],
                vec![vec!["h"], vec!["1", "題", "A"], vec!["", "続き", ""]],
            ),
            // an empty merged cell stays empty
            (
                vec![vec!["h"], vec!["", "1"], vec!["", "2"]],
                vec![(2, 0)],
                vec![vec!["h"], vec!["", "1"], vec!["", "2"]],
            ),
        ];
        for (grid, covered, want) in cases {
            let mut g: Vec<Vec<String>> = grid
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect();
            let mut cov: Vec<Vec<bool>> = g.iter().map(|r| vec![false; r.len()]).collect();
            for (r, c) in covered {
                cov[r][c] = true;
            }
            repeat_group_merges(&mut g, &cov);
            assert_eq!(g, want, "{grid:?}");
        }
    }

    #[test]
    fn clean_cells() {
        assert_eq!(clean_cell("a\r\nb\t c  \n\n"), "a\nb  c");
        assert_eq!(clean_cell(" \n "), "");
    }

    #[test]
    fn numbering_counts_breaks_and_page_lines() {
        let row = |c: &[&str]| Row {
            cells: c.iter().map(|s| s.to_string()).collect(),
            origin: Some("o".into()),
            cell_origins: vec![],
        };
        let (lines, origins) = number_rows(vec![
            (
                Some(1),
                vec![row(&["a", "b\nc", ""]), row(&["", ""]), row(&["d"])],
            ),
            (Some(2), vec![row(&["e"])]),
        ]);
        let nums: Vec<u32> = lines.iter().map(|l| l.line).collect();
        assert_eq!(nums, vec![1, 3, 5]);
        assert_eq!(lines[0].cells, vec!["a", "b\nc"]);
        assert_eq!(origins.len(), 3);
        let doc = SourceDoc {
            lines,
            ..SourceDoc::default()
        };
        let text = doc.to_text();
        assert_eq!(text, "a\tb\nc\nd\n\u{c}\ne\n");
    }
}
