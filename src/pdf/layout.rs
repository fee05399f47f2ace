//! Layout: glyphs → lines → cells.
//!
//! Ruled tables (a connected grid of ruling lines) give cells directly, merged cells included:
//! each grid row becomes one output row with one cell per grid column (a cell spanning several
//! columns or rows is followed by empty cells, like a rendered HTML table). Text outside ruled
//! tables is grouped into blocks (lines of one column that belong together, e.g. a table cell
//! without rules); blocks side by side form one row, split into cells at column gaps. Vertical
//! text is read in columns, right to left, blocks top to bottom (`super::vertical`). Inside a
//! cell, wrapped visual lines are joined with '\n'.

use super::interp::{Glyph, PageContent};
use super::structure::CellPos;
use super::vertical::{columns, upright_columns, vertical_rows};
use corner::{corner_cells, RowStarts};
use ruled::find_tables;
use tabs::{piece_columns, skipped_cells, tab_gap, tabbed_lines, COLUMN_GAP};
use wraps::{hang_at, join_block, BlockLine, Rooms};

pub(crate) mod boxes;
mod corner;
mod ruled;
mod tabs;
mod wraps;

/// One output row of a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Top of the row (display space), for ordering and furniture detection.
    pub top: f32,
    pub bottom: f32,
    pub cells: Vec<String>,
    /// The row comes from a ruled or tagged table (never page furniture).
    pub in_table: bool,
    /// Tagged tables: (table, row) of the structure, to rejoin a row split by a page break.
    pub key: Option<(usize, usize)>,
}

/// Tolerances, in display units (points).
const RULE_JOIN: f32 = 2.0;
const MIN_RULE_LEN: f32 = 4.0;

/// Lay out one page. `tagged` gives the table cell a marked-content id belongs to, for tagged
/// PDFs.
pub(crate) fn layout_page(pc: &PageContent, tagged: &dyn Fn(i32) -> Option<CellPos>) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    // Box-drawing glyphs of a printed text table are the rules they draw, not text.
    let (box_rules, drawn) = boxes::box_glyph_rules(pc);
    let all: Vec<usize> = (0..pc.glyphs.len())
        .filter(|&i| pc.glyphs.get(i).is_some_and(|g| !g.space || !g.vertical))
        .filter(|&i| !drawn.get(i).copied().unwrap_or(false))
        .collect();

    // Tagged table cells first.
    let mut tagged_glyphs: Vec<(CellPos, usize)> = Vec::new();
    let mut untagged: Vec<usize> = Vec::with_capacity(all.len());
    for &i in &all {
        match pc.glyphs.get(i).and_then(|g| tagged(g.mcid)) {
            Some(pos) => tagged_glyphs.push((pos, i)),
            None => untagged.push(i),
        }
    }
    rows.extend(tagged_rows(pc, tagged_glyphs));

    let tables = if box_rules.is_empty() {
        find_tables(&pc.rules)
    } else {
        find_tables(&[pc.rules.as_slice(), &box_rules].concat())
    };
    let (mut free, mut vert): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut per_table: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for &i in &untagged {
        let Some(g) = pc.glyphs.get(i) else { continue };
        let (cx, cy) = center(g);
        match tables.iter().position(|t| t.contains(cx, cy)) {
            Some(t) => {
                if let Some(v) = per_table.get_mut(t) {
                    v.push(i);
                }
            }
            None if g.vertical => vert.push(i),
            None => free.push(i),
        }
    }
    for (t, idx) in tables.iter().zip(&per_table) {
        rows.extend(t.rows(pc, idx));
    }
    // Upright glyphs stacked in columns (vertical writing set with a horizontal font, as browsers
    // print `writing-mode: vertical-rl`) are read as vertical text.
    match upright_columns(pc, &free) {
        Some((turned, upright)) => {
            let mut is_upright = vec![false; pc.glyphs.len()];
            for &i in &upright {
                if let Some(slot) = is_upright.get_mut(i) {
                    *slot = true;
                }
            }
            free.retain(|&i| !is_upright.get(i).copied().unwrap_or(false));
            vert.extend(upright);
            rows.extend(free_rows(pc, &free));
            rows.extend(vertical_rows(&turned, &vert));
        }
        None => {
            rows.extend(free_rows(pc, &free));
            rows.extend(vertical_rows(pc, &vert));
        }
    }
    rows.retain(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    rows.sort_by(|a, b| a.top.total_cmp(&b.top));
    if pc.ocr_word_gap.is_some() {
        crate::ocr::mend_label_cells(rows.iter_mut().flat_map(|r| r.cells.iter_mut()));
    }
    rows
}

/// A tagged table cell on the page: its place, glyphs and left edge.
struct TaggedCell {
    pos: CellPos,
    glyphs: Vec<usize>,
    x0: f32,
    top: f32,
    bottom: f32,
}

/// Rows of tagged tables. Producers do not always declare row spans, so a row whose cells do not
/// fill the grid is placed by geometry: its cells go to the columns whose left edges (seen in
/// the complete rows of the same table on the page) fit their text best, in order.
fn tagged_rows(pc: &PageContent, glyphs: Vec<(CellPos, usize)>) -> Vec<Row> {
    use std::collections::BTreeMap;
    let mut cells: BTreeMap<(usize, usize, usize), TaggedCell> = BTreeMap::new();
    for (pos, i) in glyphs {
        let Some(g) = pc.glyphs.get(i) else { continue };
        let c = cells
            .entry((pos.table, pos.row, pos.cell))
            .or_insert(TaggedCell {
                pos,
                glyphs: Vec::new(),
                x0: f32::MAX,
                top: f32::MAX,
                bottom: f32::MIN,
            });
        c.glyphs.push(i);
        if !g.space {
            c.x0 = c.x0.min(g.x);
        }
        c.top = c.top.min(g.y - g.size * 0.85);
        c.bottom = c.bottom.max(g.y + g.size * 0.2);
    }
    // Column left edges per table.
    let mut starts: BTreeMap<usize, Vec<Option<f32>>> = BTreeMap::new();
    for c in cells.values() {
        let width = c.pos.width.min(256);
        let s = starts
            .entry(c.pos.table)
            .or_insert_with(|| vec![None; width]);
        if c.pos.complete && c.x0 < f32::MAX {
            if let Some(slot) = s.get_mut(c.pos.col) {
                *slot = Some(slot.map_or(c.x0, |v: f32| v.min(c.x0)));
            }
        }
    }
    let mut by_row: BTreeMap<(usize, usize), Vec<TaggedCell>> = BTreeMap::new();
    for ((t, r, _), c) in cells {
        by_row.entry((t, r)).or_default().push(c);
    }
    let mut rows = Vec::new();
    for ((t, r), row) in by_row {
        let cols: Vec<usize> = match starts.get(&t) {
            Some(s) if !row.iter().all(|c| c.pos.complete) && s.iter().any(Option::is_some) => {
                place_by_geometry(&row, s)
                    .unwrap_or_else(|| row.iter().map(|c| c.pos.col).collect())
            }
            _ => row.iter().map(|c| c.pos.col).collect(),
        };
        let width = row
            .iter()
            .zip(&cols)
            .map(|(c, col)| col + c.pos.colspan)
            .max()
            .unwrap_or(0);
        let mut texts = vec![String::new(); width.min(1000)];
        let (mut top, mut bottom) = (f32::MAX, f32::MIN);
        for (c, col) in row.iter().zip(&cols) {
            top = top.min(c.top);
            bottom = bottom.max(c.bottom);
            if let Some(slot) = texts.get_mut(*col) {
                *slot = block_text(pc, &c.glyphs);
            }
        }
        rows.push(Row {
            top,
            bottom,
            cells: texts,
            in_table: true,
            key: Some((t, r)),
        });
    }
    rows
}

/// Place a row's cells in order at grid columns minimising how far each cell's text starts
/// outside its column (dynamic programming over cells × columns). None when they do not fit.
fn place_by_geometry(row: &[TaggedCell], starts: &[Option<f32>]) -> Option<Vec<usize>> {
    let n = starts.len();
    let k = row.len();
    if k == 0 || n == 0 || n > 256 || k > 256 {
        return None;
    }
    let tol = 2.0f32;
    let cost = |c: &TaggedCell, col: usize| -> f32 {
        let prior = (col as f32 - c.pos.col as f32).abs() * 0.01;
        if c.x0 == f32::MAX {
            return prior;
        }
        let lo = starts.get(col).copied().flatten();
        let hi = starts
            .get(col + 1..)
            .and_then(|s| s.iter().flatten().next().copied());
        let mut d = 0.0;
        if let Some(lo) = lo {
            if c.x0 < lo - tol {
                d += lo - c.x0;
            }
        }
        if let Some(hi) = hi {
            if c.x0 > hi - tol {
                d += c.x0 - hi + tol;
            }
        }
        d + prior
    };
    // best[i][col]: least cost of placing cells i.. with cell i at column ≥ col.
    let inf = f32::MAX / 4.0;
    let mut best = vec![vec![inf; n + 2]; k + 1];
    let mut choice = vec![vec![usize::MAX; n + 2]; k + 1];
    for col in 0..=n + 1 {
        if let Some(slot) = best.get_mut(k).and_then(|b| b.get_mut(col)) {
            *slot = 0.0;
        }
    }
    for i in (0..k).rev() {
        let cell = row.get(i)?;
        let span = cell.pos.colspan.max(1);
        for col in (0..=n).rev() {
            let mut b = best.get(i)?.get(col + 1).copied().unwrap_or(inf);
            let mut ch = choice.get(i)?.get(col + 1).copied().unwrap_or(usize::MAX);
            if col + span <= n {
                let rest = best.get(i + 1)?.get(col + span).copied().unwrap_or(inf);
                let here = cost(cell, col) + rest;
                if here <= b {
                    b = here;
                    ch = col;
                }
            }
            *best.get_mut(i)?.get_mut(col)? = b;
            *choice.get_mut(i)?.get_mut(col)? = ch;
        }
    }
    let mut cols = Vec::with_capacity(k);
    let mut col = 0usize;
    for i in 0..k {
        let c = *choice.get(i)?.get(col)?;
        if c == usize::MAX {
            return None;
        }
        cols.push(c);
        col = c + row.get(i)?.pos.colspan.max(1);
    }
    Some(cols)
}

fn center(g: &Glyph) -> (f32, f32) {
    match (g.vertical, g.upward) {
        (false, _) => (g.x + g.w / 2.0, g.y - g.size * 0.35),
        (true, false) => (g.x, g.y + g.w / 2.0),
        (true, true) => (g.x, g.y - g.w / 2.0),
    }
}

// ---------------------------------------------------------------- lines and text

/// A visual line: glyph indices sorted by x, with its baseline and extent.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    glyphs: Vec<usize>,
    baseline: f32,
    x0: f32,
    x1: f32,
    size: f32,
}

impl Line {
    fn top(&self) -> f32 {
        self.baseline - self.size * 0.85
    }
    fn bottom(&self) -> f32 {
        self.baseline + self.size * 0.2
    }
}

/// Group horizontal glyphs into lines by baseline.
fn lines_of(pc: &PageContent, idx: &[usize]) -> Vec<Line> {
    let mut sorted: Vec<usize> = idx.to_vec();
    sorted.sort_by(|&a, &b| {
        let (ga, gb) = (pc.glyphs.get(a), pc.glyphs.get(b));
        let ya = ga.map(|g| g.y).unwrap_or(0.0);
        let yb = gb.map(|g| g.y).unwrap_or(0.0);
        ya.total_cmp(&yb)
    });
    let mut lines: Vec<Line> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut base = 0.0f32;
    let mut size = 0.0f32;
    for i in sorted {
        let Some(g) = pc.glyphs.get(i) else { continue };
        let tol = 0.4 * size.min(g.size).max(1.0);
        if !cur.is_empty() && (g.y - base).abs() > tol {
            lines.extend(make_line(pc, std::mem::take(&mut cur)));
        }
        if cur.is_empty() {
            base = g.y;
            size = g.size;
        } else {
            size = size.max(g.size);
        }
        cur.push(i);
    }
    lines.extend(make_line(pc, cur));
    // Split lines whose glyphs overlap heavily in x (two texts printed on one baseline in
    // different places are fine; overlapping means different rows that happen to align).
    lines
}

fn make_line(pc: &PageContent, mut idx: Vec<usize>) -> Option<Line> {
    idx.retain(|&i| pc.glyphs.get(i).is_some());
    if idx.is_empty() {
        return None;
    }
    idx.sort_by(|&a, &b| {
        let xa = pc.glyphs.get(a).map(|g| g.x).unwrap_or(0.0);
        let xb = pc.glyphs.get(b).map(|g| g.x).unwrap_or(0.0);
        xa.total_cmp(&xb)
    });
    // Drop leading/trailing spaces.
    while idx
        .first()
        .and_then(|&i| pc.glyphs.get(i))
        .is_some_and(|g| g.space)
    {
        idx.remove(0);
    }
    while idx
        .last()
        .and_then(|&i| pc.glyphs.get(i))
        .is_some_and(|g| g.space)
    {
        idx.pop();
    }
    let gs: Vec<&Glyph> = idx.iter().filter_map(|&i| pc.glyphs.get(i)).collect();
    let first = gs.first()?;
    let x0 = first.x;
    let x1 = gs.iter().map(|g| g.x + g.w).fold(f32::MIN, f32::max);
    let n = gs.len() as f32;
    let baseline = gs.iter().map(|g| g.y).sum::<f32>() / n;
    let size = gs
        .iter()
        .filter(|g| !g.space)
        .map(|g| g.size)
        .fold(0.0, f32::max)
        .max(1.0);
    Some(Line {
        glyphs: idx,
        baseline,
        x0,
        x1,
        size,
    })
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Split a line into chunks at gaps wider than `gap_factor` × size, and, with `narrow`, at gaps
/// wider than `narrow` × size with no space glyph in them; each chunk is (x0, x1, text).
fn chunks(
    pc: &PageContent,
    line: &Line,
    gap_factor: f32,
    narrow: Option<f32>,
) -> Vec<(f32, f32, String)> {
    let mut out: Vec<(f32, f32, String)> = Vec::new();
    let mut text = String::new();
    let mut x0 = 0.0f32;
    let mut prev: Option<&Glyph> = None;
    let mut saw_space = false;
    // Between Japanese characters a gap is a space where it is wider than text set solid leaves:
    // 0.8 of a character, or on a page read by OCR (words boxed by their ink) the width the
    // page's word gaps run to ([`tab_gap`]).
    let cjk_space = if pc.ocr_word_gap.is_some() {
        tab_gap(pc)
    } else {
        0.8
    };
    for g in line.glyphs.iter().filter_map(|&i| pc.glyphs.get(i)) {
        if g.space {
            saw_space = true;
            continue;
        }
        let t = pc.glyph_text(g);
        if let Some(p) = prev {
            let end = p.x + p.w;
            let gap = g.x - end;
            let size = p.size.max(g.size).max(1.0);
            // Overprinted duplicates (fake bold): the same text at nearly the same spot.
            if (g.x - p.x).abs() < size * 0.1 && pc.glyph_text(p) == t {
                continue;
            }
            let open = !saw_space && narrow.is_some_and(|f| gap > f * size);
            if gap > gap_factor * size || open {
                out.push((x0, end, std::mem::take(&mut text)));
                x0 = g.x;
            } else {
                let last = text.chars().last().unwrap_or(' ');
                let next = t.chars().next().unwrap_or(' ');
                let cjk = is_cjk(last) || is_cjk(next);
                let threshold = if cjk { cjk_space } else { 0.2 };
                if (saw_space && !(cjk && gap < 0.15 * size)) || gap > threshold * size {
                    text.push(' ');
                }
            }
        } else {
            x0 = g.x;
        }
        text.push_str(t);
        prev = Some(g);
        saw_space = false;
    }
    if let Some(p) = prev {
        out.push((x0, p.x + p.w, text));
    }
    out
}

/// Text of a block of glyphs (one cell): visual lines joined with '\n'; chunks within a line
/// joined with a space.
fn block_text(pc: &PageContent, idx: &[usize]) -> String {
    if idx.is_empty() {
        return String::new();
    }
    let (vert, horiz): (Vec<usize>, Vec<usize>) = idx
        .iter()
        .partition(|&&i| pc.glyphs.get(i).is_some_and(|g| g.vertical));
    let lines = lines_of(pc, &horiz);
    let mut texts: Vec<(String, f32, f32)> = Vec::with_capacity(lines.len());
    for l in &lines {
        let parts = chunks(pc, l, COLUMN_GAP, None);
        let x1 = parts.last().map_or(l.x1, |p| p.1);
        let t = parts
            .into_iter()
            .map(|(_, _, t)| t)
            .collect::<Vec<_>>()
            .join(" ");
        if !t.is_empty() {
            texts.push((t, x1, l.size));
        }
    }
    let mut out = join_lines(&texts);
    // Vertical writing in the cell: its columns, right to left, wrapped columns joined.
    let cols: Vec<(String, f32, f32)> = columns(pc, &vert)
        .into_iter()
        .map(|c| (c.text, c.end, c.size))
        .collect();
    let v = join_lines(&cols);
    if !v.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&v);
    }
    out
}

/// Append the continuation of a cell (the part of a split row on the next page).
pub(crate) fn continue_cell(cell: &mut String, more: &str) {
    if more.is_empty() {
        return;
    }
    if !cell.is_empty() {
        let a = cell.chars().next_back().unwrap_or(' ');
        let b = more.chars().next().unwrap_or(' ');
        if starts_entry(more) {
            cell.push('\n');
        } else if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
            cell.push(' ');
        }
    }
    cell.push_str(more);
}

/// Characters that start a list entry or note when they open a visual line.
pub(crate) fn starts_entry(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        matches!(
            c,
            '○' | '◎'
                | '●'
                | '▲'
                | '△'
                | '▼'
                | '▽'
                | '・'
                | '■'
                | '□'
                | '◆'
                | '◇'
                | '※'
                | '★'
                | '☆'
                | '•'
                | '‐'
                | '-'
                | '－'
                | '＊'
                | '*'
                | '①'..='⑳' | '(' | '（' | '<' | '＜' | '【' | '［' | '['
        )
    })
}

/// Whether a visual line opens a line of its own rather than continuing a wrapped one: it starts
/// an entry, or it opens with a number, a grade or an id set off by a space (`Ｃ 遅れている`,
/// `２ 題`, `No.3 題`), which wrapped Japanese text, written without spaces, does not.
fn opens_line(t: &str) -> bool {
    // A row of a table drawn with pipes (`| 2 | 題 |`) is a line of its own.
    if starts_entry(t) || t.starts_with(['|', '｜']) {
        return true;
    }
    let Some((head, _)) = t.split_once([' ', '\u{3000}']) else {
        return false;
    };
    id_head(head)
}

/// A number, a letter grade or an id (`２`, `Ｃ`, `No.3`, `1-2`, `(1)`), not a word's piece.
fn id_head(head: &str) -> bool {
    let id_char = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '①'..='⑳')
            || matches!(c, '.' | '．' | '-' | '－' | '(' | ')' | '（' | '）')
    };
    (1..=5).contains(&head.chars().count()) && head.chars().all(id_char)
}

/// A line drawn of rule characters (`━━━━`, `――――`, `-----`): a border, never part of a paragraph.
fn is_rule_text(t: &str) -> bool {
    let t = t.trim();
    t.chars().count() >= 3
        && t.chars().all(|c| {
            matches!(
                c,
                '─' | '━' | '―' | '-' | '－' | '=' | '＝' | '_' | '＿' | '・'
            )
        })
}

/// Join a block's visual lines (text, right end, size): a line that runs to the block's right
/// edge and is followed by a line that does not open a line of its own is a soft wrap and
/// continues directly (a space only between Latin letters or digits); other breaks stay as '\n'.
/// A line ending a sentence (`。`) ends there.
fn join_lines(lines: &[(String, f32, f32)]) -> String {
    let right = lines.iter().map(|l| l.1).fold(f32::MIN, f32::max);
    join_lines_with(lines, |k| {
        lines
            .get(k)
            .is_some_and(|(_, x1, size)| *x1 >= right - 1.5 * size.max(1.0))
    })
}

/// [`join_lines`] with the test of whether line `k` runs to the edge it would wrap at.
fn join_lines_with(lines: &[(String, f32, f32)], reaches: impl Fn(usize) -> bool) -> String {
    let mut out = String::new();
    let mut prev: Option<&(String, f32, f32)> = None;
    for (k, line) in lines.iter().enumerate() {
        let (t, _, _) = line;
        if let Some((pt, _, _)) = prev {
            let full =
                reaches(k - 1) && !pt.ends_with('。') && !is_rule_text(pt) && !is_rule_text(t);
            if full && !opens_line(t) {
                let a = pt.chars().next_back().unwrap_or(' ');
                let b = t.chars().next().unwrap_or(' ');
                if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                    out.push(' ');
                }
            } else {
                out.push('\n');
            }
        }
        out.push_str(t);
        prev = Some(line);
    }
    out
}

// ---------------------------------------------------------------- text outside ruled tables

/// A block: consecutive lines of one column (a cell or paragraph).
#[derive(Debug, Clone, PartialEq)]
struct Block {
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    /// Lines, with where each could run to and whether it hangs under the one above.
    texts: Vec<BlockLine>,
    size: f32,
    /// Last line's extent, for continuation tests.
    last_x0: f32,
    last_x1: f32,
    last_baseline: f32,
    /// Empty cells before the block on its first line (tab stops passed over, [`skipped_cells`]).
    skipped: usize,
    /// The line (index into the page's lines) the block last grew on.
    last_line: usize,
    /// Where the text after the opening id or mark of the last line starts ([`hang_at`]).
    last_hang: Option<f32>,
    /// The tab-typed table column of the last line's piece, where known ([`piece_columns`]).
    last_col: Option<usize>,
    pitch: Option<f32>,
}

fn free_rows(pc: &PageContent, idx: &[usize]) -> Vec<Row> {
    if idx.is_empty() {
        return Vec::new();
    }
    let lines = lines_of(pc, idx);
    // Pieces: chunks of lines at column gaps.
    let mut pieces: Vec<(usize, f32, f32, String)> = Vec::new();
    let hangs: Vec<Option<f32>> = lines.iter().map(|l| hang_at(pc, l)).collect();
    let tabbed = if pc.spaced_text {
        Vec::new()
    } else {
        tabbed_lines(pc, &lines)
    };
    let tab = tab_gap(pc);
    for (li, l) in lines.iter().enumerate() {
        let narrow = tabbed.get(li).copied().unwrap_or(false).then_some(tab);
        for (x0, x1, t) in chunks(pc, l, COLUMN_GAP, narrow) {
            pieces.push((li, x0, x1, t));
        }
    }
    // Blocks: attach each piece to a block in the same column directly above it. Lines come in
    // baseline order, so only blocks that ended within a few line pitches can still grow.
    // Where each line's pieces start: a line of several pieces, two or more of them starting
    // where the pieces of the line a block ended on started, is the next row of an unruled
    // table, and none of its pieces continues a cell of the row above.
    let mut starts: Vec<Vec<f32>> = vec![Vec::new(); lines.len()];
    for (li, x0, _, _) in &pieces {
        if let Some(s) = starts.get_mut(*li) {
            s.push(*x0);
        }
    }
    let next_row = |li: usize, prev: usize, size: f32| {
        let (Some(a), Some(b)) = (starts.get(li), starts.get(prev)) else {
            return false;
        };
        let aligned = a
            .iter()
            .filter(|x| b.iter().any(|y| (*x - y).abs() <= size * 0.6))
            .count();
        a.len() >= 2 && b.len() >= 2 && aligned >= 2
    };
    // A line of several pieces is a row of its own at its left edge: its first piece does not
    // continue the block above, and a piece starting below that first piece does not continue it
    // (`担当課　　総務課` over `取組内容 …`, lines of a label and its value), nor does a piece
    // starting left of it (`　実績　　52,300` over `評価：◎`).
    let own_row = |li: usize, prev: usize, x0: f32, size: f32| {
        let at_left = |line: usize, outdent: bool| {
            starts.get(line).is_some_and(|s| {
                s.len() >= 2
                    && s.first().is_some_and(|f| {
                        (x0 - f).abs() <= size * 0.6 || (outdent && x0 < f - size * 0.6)
                    })
            })
        };
        at_left(li, false) || at_left(prev, true)
    };
    let rooms = Rooms::new(&lines, &starts);
    let skipped = skipped_cells(&lines, &tabbed, &pieces);
    let cols = piece_columns(&lines, &tabbed, &pieces, &skipped);
    let mut blocks: Vec<Block> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    for (k, (li, x0, x1, text)) in pieces.into_iter().enumerate() {
        let Some(line) = lines.get(li) else { continue };
        let size = line.size;
        let hang = hangs
            .get(li)
            .copied()
            .flatten()
            .filter(|_| (x0 - line.x0).abs() < 0.1);
        let (room, before_cell) = rooms.room(li, x1);
        let col = cols.get(k).copied().flatten();
        active.retain(|&bi| {
            blocks
                .get(bi)
                .is_some_and(|b| line.baseline - b.last_baseline <= b.size * 2.5 + 1.0)
        });
        let mut best: Option<(usize, bool)> = None;
        for &bi in active.iter().rev() {
            let Some(b) = blocks.get(bi) else { continue };
            let pitch = line.baseline - b.last_baseline;
            let max_pitch = b
                .pitch
                .map(|p| p * 1.15 + 0.5)
                .unwrap_or(size.max(b.size) * 1.75);
            let same_size = (b.size - size).abs() <= 0.15 * size.max(b.size);
            let left = (x0 - b.last_x0).abs() <= size * 0.6;
            let centre = ((x0 + x1) / 2.0 - (b.last_x0 + b.last_x1) / 2.0).abs() <= size * 0.6;
            // Hanging indents (a list mark's continuation lines) and first-line indents; once a
            // block has two lines its left edge is set, and a line starting left of it is no
            // continuation (indented lines of a heading, a label and a value stepping back out).
            let indent =
                (x0 - b.x0).abs() <= size * 1.25 && (b.texts.len() < 2 || x0 >= b.x0 - size * 0.6);
            let overlap = x0 < b.last_x1 && x1 > b.last_x0;
            // A title wrapped onto a line set under its first character (`一　題の前半` /
            // `　　後半`).
            let hanging = b.last_hang.is_some_and(|h| (x0 - h).abs() <= size * 0.3);
            if next_row(li, b.last_line, size) || own_row(li, b.last_line, x0, size) {
                break;
            }
            // A cell of another column, counted in tabs, though set under this one.
            if col.zip(b.last_col).is_some_and(|(c, d)| c != d) {
                continue;
            }
            if pitch > size * 0.5
                && pitch <= max_pitch
                && same_size
                && overlap
                && (left || centre || indent || hanging)
            {
                best = Some((bi, hanging));
                break;
            }
        }
        let hangs_under = best.is_some_and(|(_, h)| h);
        let line_of_block = BlockLine {
            text,
            x1,
            size,
            room,
            before_cell,
            hangs: hangs_under,
        };
        match best.and_then(|(bi, _)| blocks.get_mut(bi)) {
            Some(b) => {
                let pitch = line.baseline - b.last_baseline;
                b.pitch = Some(b.pitch.map_or(pitch, |p| p.min(pitch)));
                b.x0 = b.x0.min(x0);
                b.x1 = b.x1.max(x1);
                b.bottom = line.bottom();
                b.last_x0 = x0;
                b.last_x1 = x1;
                b.last_baseline = line.baseline;
                b.last_line = li;
                b.last_hang = hang;
                b.last_col = col;
                b.texts.push(line_of_block);
            }
            None => {
                active.push(blocks.len());
                blocks.push(Block {
                    x0,
                    x1,
                    top: line.top(),
                    bottom: line.bottom(),
                    texts: vec![line_of_block],
                    size,
                    last_x0: x0,
                    last_x1: x1,
                    last_baseline: line.baseline,
                    skipped: skipped.get(k).copied().unwrap_or(0),
                    last_line: li,
                    last_hang: hang,
                    last_col: col,
                    pitch: None,
                });
            }
        }
    }
    // Rows: blocks whose vertical extents overlap, left to right.
    blocks.sort_by(|a, b| a.top.total_cmp(&b.top));
    let mut rows: Vec<(f32, f32, Vec<Block>)> = Vec::new();
    for b in blocks {
        match rows.last_mut() {
            Some((top, bottom, members)) if b.top < *bottom - 0.25 * b.size => {
                *bottom = bottom.max(b.bottom);
                *top = top.min(b.top);
                members.push(b);
            }
            _ => rows.push((b.top, b.bottom, vec![b])),
        }
    }
    for (_, _, members) in &mut rows {
        members.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    // A header over the value columns, its corner left empty.
    let starts: Vec<RowStarts> = rows
        .iter()
        .map(|(top, bottom, members)| RowStarts {
            top: *top,
            bottom: *bottom,
            size: members.iter().map(|b| b.size).fold(0.0, f32::max),
            starts: members.iter().map(|b| b.x0).collect(),
        })
        .collect();
    for ((_, _, members), corner) in rows.iter_mut().zip(corner_cells(&starts)) {
        if let Some(first) = members.first_mut().filter(|b| b.skipped == 0) {
            first.skipped = corner;
        }
    }
    rows.into_iter()
        .map(|(top, bottom, members)| Row {
            top,
            bottom,
            cells: members
                .into_iter()
                .flat_map(|b| {
                    let empty = std::iter::repeat_n(String::new(), b.skipped.min(64));
                    empty.chain(std::iter::once(join_block(&b.texts, b.x0)))
                })
                .collect(),
            in_table: false,
            key: None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
