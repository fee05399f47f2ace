//! Space-aligned text (`pdftotext -layout`, OCR dumps): columns rebuilt from character positions.
//!
//! Each character becomes a positioned glyph and the page goes through the same layout code that
//! builds lines and cells from PDF glyphs ([`crate::pdf::layout`]): runs of three or more spaces
//! separate cells, cells are ordered left to right, a single space between words is kept as a
//! space glyph. A form feed starts a new page. Columns are counted one per character (the grid of
//! `pdftotext -layout`, where a full-width character takes one column like any other) or by East
//! Asian Width (a wide or ambiguous-width character is two columns, as an editor's monospace text
//! sets it), whichever lines up more runs with those of the lines around ([`decisions::WidthVotes`]).
//!
//! Text lines are set far enough apart that the layout engine keeps each one a row of its own:
//! with a normal line pitch its block joining (lines of one column that follow each other are one
//! wrapped cell) also glued a table's header row to its first row and whole columns of unruled
//! rows together. Rows are then rebuilt from the character columns ([`join_wrapped`]):
//!
//! - a line directly below a row whose runs start where the row's cells start continues those
//!   cells: with its first column empty (unless it fills every column but the first with text
//!   that neither continues a full line nor opens a list entry: a data row under a header), or
//!   with the first column wrapping too when it leaves one of the row's columns empty between its
//!   runs and each run continues a line that filled its column;
//! - a table's columns are set by a row whose cells line up with other lines, or by a header with
//!   more columns (its rows then placed by the nearest column middle), and carried across pages;
//!   a row whose first columns are empty gets empty cells before it, and within a block of lines
//!   between blank lines a row that skips a column gets an empty cell there ([`block_grids`]);
//! - a heading line over a header row's empty columns is the first cell of those columns;
//! - a run is split at a single space where a nearby row's cells start on either side of it, and
//!   joined across a gap of three or four spaces that no nearby line has a cell start after (a
//!   full-width space inside a cell).
//!
//! A text is taken as space-aligned when it has no tabs and at least a fifth of its non-blank
//! lines (and at least three) have a gap of three or more spaces between words.
//!
//! What the cells depend on over the whole text (the column count, the texts opening lines,
//! whether numbers are split from the text after them, the form's labels) is gathered first
//! ([`Decisions`]), then the pages are laid out one at a time, so that a large text can be read
//! a page at a time ([`crate::window`]) and give the rows of a whole reading.

use super::Row;
use crate::pdf::interp::{Glyph, PageContent};
use crate::pdf::layout::{layout_page, starts_entry};
use crate::source::SourceDoc;
use unicode_width::UnicodeWidthChar;

mod boxes;
mod centred;
mod decisions;
mod headings;
mod narrow;
mod runs;
mod tall;
pub(crate) use decisions::Decisions;
#[cfg(test)]
use decisions::WidthVotes;
use narrow::NarrowTable;
use runs::{join_unaligned, split_at_columns, split_at_header, Labels};

/// Points per character column, font size and line pitch of the virtual page.
const COL: f32 = 5.0;
/// A full-width character is two columns (10 pt) wide; a size a little smaller makes a gap of
/// three spaces (15 pt) wider than the layout's 1.5 × size column gap.
const SIZE: f32 = 8.0;
/// More than the layout's block-continuation distance (2.5 × size + 1): one row per text line.
const PITCH: f32 = 30.0;
/// Most characters laid out on one virtual page (bounds the layout's work).
const MAX_GLYPHS: usize = 200_000;

/// Columns a character takes: its East Asian Width when `wide` (a wide or ambiguous-width
/// character is two columns), else one column per character (the grid of `pdftotext -layout`).
pub(crate) fn width(c: char, wide: bool) -> usize {
    match c {
        '\u{3000}' => 1 + usize::from(wide),
        c if wide => c.width_cjk().unwrap_or(0),
        c => usize::from(c.width_cjk().unwrap_or(0) > 0),
    }
}

/// Whether the text's columns are counted in display width (an editor's monospace text) rather
/// than one per character (`pdftotext -layout`): the count under which more runs start in the
/// column where a run of a nearby line starts ([`WidthVotes`]).
#[cfg(test)]
fn counts_display_width(lines: &[(u32, String)]) -> bool {
    let mut votes = WidthVotes::default();
    for (_, t) in lines {
        votes.add(t);
    }
    votes.wide()
}

/// Lines either side looked at for the alignment of a line's runs.
const NEAR: usize = 6;

/// Whether a line has a gap of three or more columns of spaces between two words.
fn gapped(line: &str) -> bool {
    let t = line.trim();
    let mut run = 0usize;
    for c in t.chars() {
        if c == ' ' || c == '\u{3000}' {
            run += width(c, true);
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
pub fn is_layout_text<S: AsRef<str>>(lines: impl Iterator<Item = S>) -> bool {
    let (mut nonblank, mut gaps) = (0usize, 0usize);
    for l in lines {
        let l = l.as_ref();
        if l.contains('\t') {
            return false;
        }
        if l.trim().is_empty() {
            continue;
        }
        nonblank += 1;
        if gapped(l) || boxes::draws_box(l) {
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
    let texts = || {
        doc.lines
            .iter()
            .map(|l| (l.line, l.cells.first().cloned().unwrap_or_default()))
    };
    let decisions = Decisions::gather(texts);
    let (mut lines, mut origins) = (Vec::new(), Vec::new());
    for (page, page_origins) in decisions.lay_out(texts()) {
        lines.extend(page);
        origins.extend(page_origins);
    }
    SourceDoc {
        media_type: super::LAYOUT_TEXT.to_string(),
        encoding: doc.encoding,
        pages: u32::try_from(decisions.pages()).ok().filter(|&n| n > 1),
        lines,
        diagnostics: doc.diagnostics,
        origins,
        geometry: None,
        ocr_pages: doc.ocr_pages,
    }
}

/// Lay out one page of text lines.
fn layout_lines(
    lines: &[(u32, String)],
    (wide, labels): (bool, &Labels),
    grid: &mut Option<Grid>,
    narrow: Option<(&[(u32, String)], &mut NarrowTable)>,
) -> Vec<Row> {
    let mut pc = PageContent {
        height: PITCH * (lines.len() as f32 + 2.0),
        spaced_text: true,
        ..PageContent::default()
    };
    for (row, (_, text)) in lines.iter().enumerate() {
        let y = PITCH * (row as f32 + 1.0);
        let mut col = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut drawn: Vec<(char, f32, f32)> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let w = width(c, wide);
            // a box-drawing character is the ruling lines it draws, not text
            if boxes::arms(c).is_some() {
                drawn.push((c, col as f32 * COL, (col + w) as f32 * COL));
                col += w;
                continue;
            }
            let blank = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_none_or(|c| c.is_whitespace() || c.is_control())
            };
            // a single space between words is kept as the space of a PDF's text
            let space =
                (c == ' ' || c == '\u{3000}') && !blank(i.checked_sub(1)) && !blank(Some(i + 1));
            if (space || !(c.is_whitespace() || c.is_control()))
                && w > 0
                && pc.glyphs.len() < MAX_GLYPHS
            {
                let t0 = u32::try_from(pc.text.len()).unwrap_or(u32::MAX);
                pc.text.push(c);
                let t1 = u32::try_from(pc.text.len()).unwrap_or(u32::MAX);
                let mut g = Glyph::upright(col as f32 * COL, y, w as f32 * COL, SIZE, t0, t1);
                g.space = space;
                pc.glyphs.push(g);
            }
            col += w;
        }
        if !drawn.is_empty() {
            pc.rules
                .extend(boxes::rules_of_line(&drawn, y - SIZE * 0.35, PITCH));
        }
    }
    pc.shown = u32::try_from(pc.glyphs.len()).unwrap_or(u32::MAX);
    // the text line of a row's top
    let line_of = |top: f32| (((top + SIZE * 0.85) / PITCH).round() as usize).saturating_sub(1);
    let (boxed, free): (Vec<_>, Vec<_>) = layout_page(&pc, &|_| None)
        .into_iter()
        .partition(|r| r.in_table);
    let rows: Vec<(usize, Vec<String>)> = free
        .into_iter()
        .map(|r| (line_of(r.top), r.cells))
        .collect();
    let mut rows = join_wrapped(lines, rows, (wide, labels), grid, narrow);
    // rows of a table drawn with box characters come whole from its rules
    if !boxed.is_empty() {
        rows.extend(boxed.into_iter().map(|r| (line_of(r.top), r.cells)));
        rows.sort_by_key(|(idx, _)| *idx);
    }
    rows.into_iter()
        .map(|(idx, cells)| {
            let src = lines.get(idx).map(|(n, _)| *n).unwrap_or_default();
            Row {
                cells,
                origin: Some(format!("line {src}")),
                cell_origins: Vec::new(),
            }
        })
        .collect()
}

/// A table's columns: the runs of the row that set them, and whether that row is a header whose
/// cells need not line up with the rows under it (centred over their columns).
type Grid = (Vec<Span>, bool);

/// A run of text on a line, between gaps of three or more columns: start and end column, and
/// where its text reaches in half columns by display width (on the grid of `pdftotext -layout`,
/// where a half-width character takes a column like a full-width one, a line with figures or
/// Latin letters ends further right than a line of the same printed width without).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    start: usize,
    end: usize,
    reach: usize,
}

/// Where a run's text reaches, in half columns: its start and its display width.
fn reach(start: usize, end: usize, text: &str, wide: bool) -> usize {
    if wide {
        2 * end
    } else {
        2 * start + text.chars().map(|c| width(c, true)).sum::<usize>()
    }
}

/// The runs of a line, as the layout engine splits it into cells.
fn spans(line: &str, wide: bool) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let (mut col, mut gap) = (0usize, 0usize);
    for c in line.chars() {
        let w = width(c, wide);
        if c.is_whitespace() || c.is_control() {
            gap += w.max(usize::from(c == '\t'));
        } else if w > 0 {
            // display width of the character and the spaces before it within the run
            let d = width(c, true);
            match out.last_mut() {
                Some(s) if gap < 3 => {
                    s.end = col + w;
                    s.reach = if wide { 2 * s.end } else { s.reach + gap + d };
                }
                _ => out.push(Span {
                    start: col,
                    end: col + w,
                    reach: if wide { 2 * (col + w) } else { 2 * col + d },
                }),
            }
            gap = 0;
        }
        col += w;
    }
    out
}

/// Columns a continuation may start away from the start of the cell it continues.
const ALIGN: usize = 2;
/// A line ending this close to its column's right edge fills the column (it was wrapped).
const FULL: usize = 3;

/// A row being built: its first text line, cells, column starts, the right end of each column's
/// last line, and its last text line.
type OpenRow = (usize, Vec<String>, Vec<usize>, Vec<usize>, usize);

/// Join wrapped cells: a row whose first column is empty, directly below a row (no blank line
/// between), continues that row when each of its runs starts where one of that row's cells
/// starts. When it fills every column but the first, it is another row of the table (a data row
/// under a header) unless each run continues a cell that ran to its column's edge or opens a list
/// entry. Runs join their cell as a PDF cell's lines do: directly after a line that filled the
/// column, else on a new line.
fn join_wrapped(
    lines: &[(u32, String)],
    rows: Vec<(usize, Vec<String>)>,
    (wide, labels): (bool, &Labels),
    grid: &mut Option<Grid>,
    original: Option<(&[(u32, String)], &mut NarrowTable)>,
) -> Vec<(usize, Vec<String>)> {
    let narrow = original.is_some();
    let mut all: Vec<Vec<Span>> = lines.iter().map(|(_, t)| spans(t, wide)).collect();
    let right = all.iter().flatten().map(|s| s.end).max().unwrap_or(0);
    // how far short of its column's widest line a line may end and still have wrapped (joined
    // with no line break): a character, two in a converter's one-column-per-character grid, where
    // a line's width also depends on its half-width characters
    let join_slack = if wide { 1 } else { 2 };
    // (first line, cells, column starts, right end of each column's last line, last line)
    let mut out: Vec<OpenRow> = Vec::new();
    // the cells of the table's header row: a single space where one of its columns starts
    // splits a run ([`split_at_header`])
    let mut header: Vec<Span> = grid
        .as_ref()
        .filter(|(g, h)| *h && g.len() >= 3)
        .map(|(g, _)| g.clone())
        .unwrap_or_default();
    for (idx, cells) in rows {
        let here = all.get(idx).cloned().unwrap_or_default();
        let text = lines.get(idx).map(|(_, t)| t.as_str()).unwrap_or_default();
        let (here, cells) = split_at_header(text, here, cells, &header, wide);
        let (here, cells) = split_at_columns(lines, &all, idx, here, cells, (wide, labels));
        let columns = grid.as_ref().map(|(g, _)| g.as_slice());
        let (here, cells) = join_unaligned(&all, idx, (here, cells), (columns, labels));
        if let Some(l) = all.get_mut(idx) {
            l.clone_from(&here);
        }
        let fits = here.len() == cells.len();
        // a line opening with a repeated row label (the form's labels) starts a row
        let labelled = cells.first().is_some_and(|c| labels.is_row_label(c));
        // a page number alone on its line (`2 / 3`, `P.1`) continues no row
        let labelled = labelled || (cells.len() == 1 && cells.first().is_some_and(|c| is_folio(c)));
        if let (true, false, Some(prev)) = (fits, labelled, out.last_mut()) {
            let plan = continuation(&here, &cells, prev, idx, (&all, right, wide))
                .or_else(|| first_column_wrapped(&here, &cells, prev, idx, &all, right, wide));
            if let Some(plan) = plan {
                for (k, s) in plan {
                    let text = cells.get(s).cloned().unwrap_or_default();
                    let full = filled(prev, k, idx, &all, right, join_slack);
                    if let Some(cell) = prev.1.get_mut(k) {
                        if full && !starts_entry(&text) {
                            let a = cell.chars().next_back().unwrap_or(' ');
                            let b = text.chars().next().unwrap_or(' ');
                            // a word and its figure (件数 7,004 人数 163,295) stay apart
                            let word = a.is_ascii_alphanumeric() || awaits_figure(cell);
                            if word && b.is_ascii_alphanumeric() {
                                cell.push(' ');
                            }
                        } else {
                            cell.push('\n');
                        }
                        cell.push_str(&text);
                    }
                    if let (Some(e), Some(sp)) = (prev.3.get_mut(k), here.get(s)) {
                        *e = sp.end;
                    }
                }
                prev.4 = idx;
                continue;
            }
        }
        if fits {
            // a row with its first columns empty, under a row with more columns: placed in
            // those columns (empty cells before it), as a ruled table's row would be
            let placed = grid.as_ref().and_then(|(g, header)| {
                let starts: Vec<usize> = g.iter().map(|s| s.start).collect();
                let ks = if *header {
                    place_by_centre(g, &here).or_else(|| place(&starts, &here, right))
                } else {
                    place(&starts, &here, right)
                };
                ks.map(|ks| (starts, ks))
            });
            if let Some((g, ks)) = placed {
                let mut padded = vec![String::new(); ks.last().map_or(0, |k| k + 1)];
                let mut ends: Vec<usize> = g.clone();
                for ((k, text), sp) in ks.iter().zip(cells).zip(&here) {
                    if let (Some(c), Some(e)) = (padded.get_mut(*k), ends.get_mut(*k)) {
                        *c = text;
                        *e = sp.end;
                    }
                }
                out.push((idx, padded, g, ends, idx));
                continue;
            }
            // a row whose cells start where other lines' runs do sets the table's columns; a
            // header row centred over them only when it has more columns than they
            let wider = grid.as_ref().is_none_or(|(g, _)| g.len() < here.len());
            let lined_up = confirmed(&here, &all, idx);
            if here.len() >= 2 && (wider || lined_up) {
                *grid = Some((here.clone(), !lined_up));
            }
            // a header centred over its columns, with as many cells as the last one (a page's
            // header repeated under a table whose rows set the columns)
            if !lined_up && here.len() >= 3 && here.len() >= header.len() {
                header.clone_from(&here);
            }
            let starts = here.iter().map(|s| s.start).collect();
            let ends = here.iter().map(|s| s.end).collect();
            out.push((idx, cells, starts, ends, idx));
        } else {
            out.push((idx, cells, Vec::new(), Vec::new(), idx));
        }
    }
    // cells one space apart ([`narrow`]) are set off their columns: a row's cells are not
    // placed in a block's columns by where they start
    let grids = if narrow {
        vec![None; all.len()]
    } else {
        block_grids(&all)
    };
    // the last text line of each row, by its first
    let last_line: std::collections::HashMap<usize, usize> =
        out.iter().map(|r| (r.0, r.4)).collect();
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, cells, ..) in out {
        let here = all.get(i).map(Vec::as_slice).unwrap_or_default();
        let Some(g) = grids.get(i).and_then(|g| g.as_deref()) else {
            rows.push((i, cells));
            continue;
        };
        if here.len() != cells.len() || cells.len() < 2 {
            rows.push((i, cells));
            continue;
        }
        // a header centred over the columns of the row below it: placed in that row's columns
        let below = all
            .get(i + 1)
            .filter(|b| interleaves(here, b))
            .map_or(here, Vec::as_slice);
        let mut cells = pad(g, below, cells);
        // a heading line directly above, over columns this row leaves empty: the upper line of
        // a two-line header, its text the first cell of the columns it spans
        let above = rows.last().filter(|(j, c)| j + 1 == i && c.len() == 1);
        let over = above
            .and_then(|(j, c)| Some((all.get(*j)?.as_slice(), c.first()?.clone())))
            .and_then(|(sp, text)| Some((spanned(g, &cells, sp.first()?, right)?, text)));
        if let (Some((k, text)), true) = (over, sp_single(above.map(|(j, _)| *j), &all)) {
            if let Some(c) = cells.get_mut(k) {
                *c = text;
                rows.pop();
            }
        }
        rows.push((i, cells));
    }
    // cells one space apart: rows short of a cell placed in the columns of the full rows
    if let Some((original, table)) = original {
        let starts: Vec<Vec<usize>> = all
            .iter()
            .enumerate()
            .map(|(i, sp)| {
                let at: Vec<usize> = sp.iter().map(|s| s.start).collect();
                match (original.get(i), lines.get(i)) {
                    (Some((_, o)), Some((_, w))) => narrow::original_starts(o, w, &at, wide),
                    _ => at,
                }
            })
            .collect();
        table.align_short_rows(&mut rows, &starts);
        narrow::indented_under_wider(&mut rows, lines);
    }
    runs::split_header_over(&mut rows);
    // a header row directly above another, a header of the columns under its cells
    for k in 1..rows.len() {
        let (Some((j, _)), Some((i, lower))) = (rows.get(k - 1), rows.get(k)) else {
            continue;
        };
        if last_line.get(j).is_some_and(|l| l + 1 == *i) {
            let lower = lower.clone();
            if let Some((_, upper)) = rows.get_mut(k - 1) {
                spread_over(upper, &lower);
            }
        }
    }
    rows
}

/// A cell of a header row set over the middle of a stretch of columns that the header row
/// below it fills and it leaves empty (令和5年度 centred over 計画, 実績, 評価): moved to the
/// first column of the stretch, where a table gives a cell spanning columns. Only when it is the
/// one cell of the upper row over the lower row's, between rows of words (no figures), the lower
/// one opening with empty cells and filled from its first cell to its last.
fn spread_over(upper: &mut [String], lower: &[String]) {
    let filled = |c: &String| !c.trim().is_empty();
    let words = |r: &[String]| r.iter().filter(|c| filled(c)).all(|c| !is_figure(c));
    let Some(first) = lower.iter().position(filled) else {
        return;
    };
    let last = lower.iter().rposition(filled).unwrap_or(first);
    let contiguous = lower
        .get(first..=last)
        .is_some_and(|r| r.iter().all(filled));
    if first == 0 || last == first || !contiguous || !words(lower) || !words(upper) {
        return;
    }
    // the one cell of the upper row over the lower row's cells
    let over: Vec<usize> = (first..=last)
        .filter(|&k| upper.get(k).is_some_and(filled))
        .collect();
    if let [k] = over.as_slice() {
        if *k > first && first < upper.len() {
            upper.swap(first, *k);
        }
    }
}

/// Whether the line has a single run.
fn sp_single(line: Option<usize>, all: &[Vec<Span>]) -> bool {
    line.and_then(|j| all.get(j)).is_some_and(|l| l.len() == 1)
}

/// The first column of the stretch of empty columns of a row that a run lies over, when the
/// stretch is two or more columns and the run touches no filled one (a heading centred over the
/// columns it spans).
fn spanned(grid: &[usize], cells: &[String], sp: &Span, right: usize) -> Option<usize> {
    let edge = |k: usize| grid.get(k).copied().unwrap_or(right.max(sp.end));
    let empty = |k: usize| cells.get(k).is_none_or(String::is_empty);
    let ks: Vec<usize> = (0..grid.len())
        .filter(|&k| edge(k) < sp.end && edge(k + 1) > sp.start)
        .collect();
    if ks.is_empty() || !ks.iter().all(|&k| empty(k)) {
        return None;
    }
    let k = *ks.first()?;
    let first = (0..=k).rev().take_while(|&j| empty(j)).last()?;
    let last = (k..grid.len()).take_while(|&j| empty(j)).last()?;
    (first > 0 && last > first).then_some(first)
}

/// The columns of each line's block (lines between blank lines) with two or more lines of two or
/// more runs: the starts where runs of its lines begin (a column or two apart counted as one),
/// next starts that no line has both of merged into one column (a cell set a little further
/// right on some lines, as a centred or right-aligned one is).
fn block_grids(all: &[Vec<Span>]) -> Vec<Option<Vec<usize>>> {
    let mut out = vec![None; all.len()];
    let mut at = 0;
    while at < all.len() {
        let len = all
            .iter()
            .skip(at)
            .position(Vec::is_empty)
            .unwrap_or(all.len() - at);
        let block = at..at + len;
        at += len.max(1);
        let rows: Vec<&Vec<Span>> = all
            .get(block.clone())
            .unwrap_or_default()
            .iter()
            .filter(|l| l.len() >= 2)
            .collect();
        if rows.len() < 2 {
            continue;
        }
        let mut starts: Vec<usize> = rows
            .iter()
            .flat_map(|l| l.iter().map(|s| s.start))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        // clusters of starts at most one column apart, with the lines having a run there
        let mut clusters: Vec<(usize, usize, Vec<usize>)> = Vec::new();
        for c in starts {
            let lines: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, l)| l.iter().any(|s| s.start == c))
                .map(|(i, _)| i)
                .collect();
            match clusters.last_mut() {
                Some((_, end, ls)) if c <= *end + 1 => {
                    *end = c;
                    ls.extend(lines);
                }
                _ => clusters.push((c, c, lines)),
            }
        }
        // A cluster whose runs cover the whole of the next cluster's runs on the lines above
        // (none of its lines having a run there) is that next column's (a wide cell under a
        // header centred over it), not the column before. A header spanning the columns below
        // it, covering the first of them, is above them and keeps its place.
        let runs_at = |ls: &[usize], from: usize, to: usize| -> Vec<Span> {
            ls.iter()
                .filter_map(|&i| rows.get(i))
                .flat_map(|r| r.iter().filter(|s| (from..=to).contains(&s.start)).copied())
                .collect()
        };
        let spans_into_next = |k: usize| {
            let (Some((start, end, ls)), Some((next, next_end, next_ls))) =
                (clusters.get(k), clusters.get(k + 1))
            else {
                return false;
            };
            let reach = runs_at(next_ls, *next, *next_end)
                .iter()
                .map(|s| s.end)
                .max()
                .unwrap_or(usize::MAX);
            let below = ls.iter().min() > next_ls.iter().max();
            below && runs_at(ls, *start, *end).iter().all(|s| s.end >= reach)
        };
        let into_next: Vec<bool> = (0..clusters.len()).map(spans_into_next).collect();
        let mut grid: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut carried: Option<(usize, Vec<usize>)> = None;
        for (k, (start, _, lines)) in clusters.into_iter().enumerate() {
            if into_next.get(k) == Some(&true) && !grid.is_empty() {
                carried = Some((start, lines));
                continue;
            }
            let (start, lines) = match carried.take() {
                Some((s, mut ls)) => {
                    ls.extend(lines);
                    (s, ls)
                }
                None => (start, lines),
            };
            match grid.last_mut() {
                Some((_, ls)) if !lines.iter().any(|l| ls.contains(l)) => ls.extend(lines),
                _ => grid.push((start, lines)),
            }
        }
        if let Some((start, lines)) = carried {
            grid.push((start, lines));
        }
        let grid: Vec<usize> = grid.into_iter().map(|(s, _)| s).collect();
        for o in out.get_mut(block).unwrap_or_default() {
            *o = Some(grid.clone());
        }
    }
    out
}

/// A row's cells in the columns of its block, with empty cells for the columns it skips; the
/// cells unchanged when their runs do not fall into distinct columns in order.
fn pad(grid: &[usize], here: &[Span], cells: Vec<String>) -> Vec<String> {
    let mut ks: Vec<usize> = Vec::new();
    for sp in here {
        match grid.iter().rposition(|&c| c <= sp.start + 1) {
            Some(k) if ks.last().is_none_or(|&p| p < k) => ks.push(k),
            _ => return cells,
        }
    }
    let mut out = vec![String::new(); ks.last().map_or(0, |k| k + 1)];
    for (k, c) in ks.into_iter().zip(cells) {
        if let Some(o) = out.get_mut(k) {
            *o = c;
        }
    }
    out
}

/// Whether the runs of a line pair one to one with those of the line below, each starting at or
/// after the start of its partner and before the start of the partner's next run (a header
/// centred or right of the start of its column).
fn interleaves(here: &[Span], below: &[Span]) -> bool {
    here.len() >= 2
        && here.len() == below.len()
        && here.iter().zip(below).enumerate().all(|(k, (h, b))| {
            h.start + ALIGN >= b.start && below.get(k + 1).is_none_or(|n| h.start < n.start)
        })
}

/// Whether a row's cells (after the first) start, at least half of them, where runs of other
/// lines nearby start: a row of the table's columns, not a header centred over them.
fn confirmed(here: &[Span], all: &[Vec<Span>], idx: usize) -> bool {
    let starts: Vec<usize> = all
        .iter()
        .enumerate()
        .skip(idx.saturating_sub(NEAR))
        .take(2 * NEAR + 1)
        .filter(|(j, _)| *j != idx)
        .flat_map(|(_, l)| l.iter().map(|s| s.start))
        .collect();
    let found = here
        .iter()
        .skip(1)
        .filter(|h| starts.iter().any(|&c| c.abs_diff(h.start) <= 1))
        .count();
    found * 2 >= here.len() - 1
}

/// A page number as a footer sets it: `12`, `- 3 -`, `2 / 3`, `P.1`.
fn is_folio(cell: &str) -> bool {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t
        .strip_prefix("P.")
        .or_else(|| t.strip_prefix("p."))
        .unwrap_or(&t);
    let t = t.trim_matches(|c| matches!(c, '-' | '－' | 'ー' | '—'));
    let number = |s: &str| (1..=4).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit());
    match t.split_once('/') {
        Some((a, b)) => number(a) && number(b),
        None => number(t),
    }
}

/// A cell holding a figure: digits with their signs, separators and units, or a dash.
fn is_figure(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty()
        && t.chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '―' | '—' | '-' | '－'))
        && t.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    ',' | '.' | '%' | '▲' | '△' | '-' | '+' | '―' | '—' | '－' | '％' | '，' | '．'
                )
        })
}

/// The columns of `grid` the runs of a line of two or more runs fall in, when the first is not
/// the grid's first column and each run lies in its own column (starting at the column's start
/// or with its middle inside the column, and not much wider than it).
fn place(grid: &[usize], here: &[Span], right: usize) -> Option<Vec<usize>> {
    if here.len() >= grid.len() || here.len() < 2 {
        return None;
    }
    let mut ks: Vec<usize> = Vec::new();
    for sp in here {
        let mid = (sp.start + sp.end) / 2;
        // the column a run starts with, else the one its middle is in
        let k = grid
            .iter()
            .position(|&c| c.abs_diff(sp.start) <= ALIGN)
            .or_else(|| grid.iter().rposition(|&c| c <= mid + ALIGN))?;
        let width = grid
            .get(k + 1)
            .copied()
            .unwrap_or(right)
            .saturating_sub(grid.get(k).copied().unwrap_or(0));
        let fits = sp.end - sp.start <= width * 3 / 2 + ALIGN
            && sp.start + ALIGN >= grid.get(k.saturating_sub(1)).copied().unwrap_or(0);
        if !fits || ks.last().is_some_and(|&p| p >= k) {
            return None;
        }
        ks.push(k);
    }
    (ks.first().copied()? > 0).then_some(ks)
}

/// Whether the last line of a row's cell `k` runs to its column's right edge: the next column's
/// start, or within `slack` of the furthest right a line of that column reaches on the lines
/// around (by display width).
fn filled(
    row: &OpenRow,
    k: usize,
    idx: usize,
    all: &[Vec<Span>],
    right: usize,
    slack: usize,
) -> bool {
    let (Some(&start), Some(&end)) = (row.2.get(k), row.3.get(k)) else {
        return false;
    };
    let next = row.2.get(k + 1).copied().unwrap_or(right);
    // where the cell's last line reaches, by display width
    let reached = all
        .get(row.0..=row.4)
        .unwrap_or_default()
        .iter()
        .rev()
        .flatten()
        .find(|s| s.end == end && s.start.abs_diff(start) <= ALIGN)
        .map_or(2 * end, |s| s.reach);
    let widest = all
        .iter()
        .skip(idx.saturating_sub(NEAR))
        .take(2 * NEAR + 1)
        .flatten()
        .filter(|s| s.start.abs_diff(start) <= ALIGN && s.end <= next)
        .map(|s| s.reach)
        .max()
        .unwrap_or(2 * next);
    end + FULL >= next || reached + 2 * slack >= widest
}

/// A line continuing a row whose first column wraps too (a long title): directly below it, its
/// first run in the row's first column, each run where a cell of the row starts and continuing a
/// cell whose last line filled its column (or opening a list entry), leaving a column of the row
/// between its runs empty (a row's short cells, a department or a rating, are one line).
fn first_column_wrapped(
    here: &[Span],
    cells: &[String],
    prev: &OpenRow,
    idx: usize,
    all: &[Vec<Span>],
    right: usize,
    wide: bool,
) -> Option<Vec<(usize, usize)>> {
    let (_, _, starts, _, last) = prev;
    if *last + 1 != idx || starts.len() < 2 || cells.iter().any(|c| is_figure(c)) {
        return None;
    }
    if here.first()?.start.abs_diff(*starts.first()?) > ALIGN {
        return None;
    }
    let mut plan: Vec<(usize, usize)> = Vec::new();
    for (s, sp) in here.iter().enumerate() {
        let k = starts.iter().position(|&c| c.abs_diff(sp.start) <= ALIGN)?;
        let text = cells.get(s)?;
        let cont = filled(prev, k, idx, all, right, if wide { 1 } else { FULL })
            || (k > 0 && starts_entry(text));
        if !cont || plan.last().is_some_and(|&(pk, _)| pk >= k) {
            return None;
        }
        plan.push((k, s));
    }
    let span = plan.last()?.0 - plan.first()?.0 + 1;
    (plan.len() >= 2 && span > plan.len()).then_some(plan)
}

/// The columns of a header row the runs of a line fall in: the column a run starts with, else
/// the column whose middle is nearest its own (cells left- or right-aligned under headers
/// centred over them), when the first is not the first column and each run has a column of its
/// own.
fn place_by_centre(grid: &[Span], here: &[Span]) -> Option<Vec<usize>> {
    if here.len() >= grid.len() || here.len() < 2 {
        return None;
    }
    if here.first()?.start <= grid.first()?.end {
        return None; // it starts under the first header cell
    }
    let mut ks: Vec<usize> = Vec::new();
    for sp in here {
        let mid = sp.start + sp.end;
        // a run starting where a header cell starts is in its column (a long cell set from the
        // column's left edge), else in the column whose middle is nearest
        let k = grid
            .iter()
            .position(|g| g.start.abs_diff(sp.start) <= ALIGN)
            .or_else(|| {
                (0..grid.len()).min_by_key(|&k| {
                    grid.get(k)
                        .map_or(usize::MAX, |g| (g.start + g.end).abs_diff(mid))
                })
            })?;
        if ks.last().is_some_and(|&p| p >= k) {
            return None;
        }
        ks.push(k);
    }
    (ks.first().copied()? > 0).then_some(ks)
}

/// Whether a cell's last line ends in a word after a figure (`件数 7,004 人数`): the next
/// figure below it is that word's value.
fn awaits_figure(cell: &str) -> bool {
    let words: Vec<&str> = cell
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    words.len() >= 2
        && words.last().is_some_and(|w| !is_figure(w))
        && words.iter().any(|w| is_figure(w))
}

/// Which cell of the row above each run of this line continues, as (cell, run) pairs; None when
/// the line is a row of its own.
fn continuation(
    here: &[Span],
    cells: &[String],
    prev: &OpenRow,
    idx: usize,
    (all, right, wide): (&[Vec<Span>], usize, bool),
) -> Option<Vec<(usize, usize)>> {
    let (_, _, starts, ends, last) = prev;
    if *last + 1 != idx || starts.len() < 2 || here.is_empty() {
        return None;
    }
    let first = here.first()?;
    if first.start + ALIGN < starts.get(1).copied()? {
        return None; // the first column is not empty
    }
    // figures on the next line are the next row's values, never a wrapped figure, unless each
    // goes under a cell whose line ends in the word a figure follows (件数 7,004 人数 / 163,295)
    let figures = cells.iter().any(|c| is_figure(c));
    let mut plan = Vec::new();
    for (s, sp) in here.iter().enumerate() {
        let k = starts
            .iter()
            .position(|&c| c.abs_diff(sp.start) <= ALIGN)
            .filter(|&k| k > 0)?;
        if plan.last().is_some_and(|&(pk, _)| pk >= k) {
            return None;
        }
        plan.push((k, s));
    }
    if figures
        && !plan.iter().all(|&(k, s)| {
            cells.get(s).is_some_and(|c| is_figure(c))
                && prev.1.get(k).is_some_and(|c| awaits_figure(c))
        })
    {
        return None;
    }
    if plan.len() + 1 == starts.len() {
        let wrapped = plan.iter().all(|&(k, s)| {
            let edge = starts.get(k + 1).copied().unwrap_or(right);
            ends.get(k).copied().unwrap_or(0) + FULL >= edge
                || (!wide && filled(prev, k, idx, all, right, FULL))
                || cells.get(s).is_some_and(|t| starts_entry(t))
        });
        if !wrapped {
            return None;
        }
    }
    Some(plan)
}

#[cfg(test)]
mod tests;
