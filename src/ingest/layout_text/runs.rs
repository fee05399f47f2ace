//! Runs of a line repaired before rows are built: split at a single space where a column starts,
//! joined across a narrow gap that is no column, and the labels of a form repeated through the
//! document that decide both.

use super::{reach, width, Span, NEAR};

/// A row's runs split at a single space followed by the start of a column: where a table line
/// nearby (twice [`NEAR`] lines either side) has a cell starting where the run starts and its
/// next cell starting after the space (a cell filled to its edge, one space from the
/// next, as `pdftotext -layout` sets a wide table), the text after the space ending before that
/// line's cell after those (a sentence running on past it is one cell).
pub(super) fn split_at_columns(
    lines: &[(u32, String)],
    all: &[Vec<Span>],
    idx: usize,
    here: Vec<Span>,
    cells: Vec<String>,
    (wide, labels): (bool, &Labels),
) -> (Vec<Span>, Vec<String>) {
    if here.len() < 2 || here.len() != cells.len() {
        return (here, cells);
    }
    let row_label = cells.first().cloned().unwrap_or_default();
    let near: Vec<&Vec<Span>> = all
        .iter()
        .enumerate()
        .skip(idx.saturating_sub(2 * NEAR))
        .take(4 * NEAR + 1)
        .filter(|(j, l)| *j != idx && l.len() >= 2)
        .map(|(_, l)| l)
        .collect();
    // a line nearby with a cell starting where the run starts and the next one where the space
    // ends
    // ends (the piece after the space, up to `end`, fits before that line's next cell)
    let column = |from: usize, c: usize, end: usize| {
        near.iter().any(|l| {
            l.iter()
                .position(|s| s.start.abs_diff(from) <= 1)
                .is_some_and(|k| {
                    l.get(k + 1).is_some_and(|s| s.start.abs_diff(c) <= 1)
                        && l.get(k + 2).is_none_or(|s| end <= s.start + 1)
                })
        })
    };
    // columns of the single spaces of the line
    let text = lines.get(idx).map(|(_, t)| t.as_str()).unwrap_or_default();
    let singles = single_spaces(text, wide);
    let (mut spans_out, mut cells_out) = (Vec::new(), Vec::new());
    for (r, (sp, cell)) in here.into_iter().zip(cells).enumerate() {
        let inner: Vec<usize> = singles
            .iter()
            .copied()
            .filter(|&c| c > sp.start && c < sp.end)
            .collect();
        let pieces: Vec<&str> = cell.split(' ').collect();
        // the run ends in a label that lines opening with the same row label have as a cell of
        // its own (a form's label set one space after a cell that ran to it)
        let label_cut = pieces
            .last()
            .filter(|p| r > 0 && pieces.len() >= 2 && labels.is_cell_label(&row_label, p))
            .and_then(|_| inner.last().copied());
        // the run opens with a label that the run in its place on other lines opening with the
        // same row label opens too, one space before a value that differs (`担当課 企画課`)
        let head_cut = pieces
            .first()
            .filter(|p| r > 0 && pieces.len() == 2 && labels.is_cell_head(&row_label, p))
            .and_then(|_| inner.first().copied());
        // where the piece after the space at `c` ends: the next single space, or the run's end
        let end = |c: usize| inner.iter().copied().find(|&x| x > c).unwrap_or(sp.end);
        let cut = |from: usize, c: usize| {
            column(from, c + 1, end(c)) || label_cut == Some(c) || head_cut == Some(c)
        };
        if pieces.len() != inner.len() + 1 || !inner.iter().any(|&c| cut(sp.start, c)) {
            spans_out.push(sp);
            cells_out.push(cell);
            continue;
        }
        let (mut start, mut text) = (sp.start, String::new());
        for (i, piece) in pieces.iter().enumerate() {
            if !text.is_empty() || i > 0 && !text.is_empty() {
                text.push(' ');
            }
            text.push_str(piece);
            match inner.get(i) {
                Some(&c) if cut(start, c) => {
                    spans_out.push(Span {
                        start,
                        end: c,
                        reach: reach(start, c, &text, wide),
                    });
                    cells_out.push(std::mem::take(&mut text));
                    start = c + 1;
                }
                Some(_) => {}
                None => {
                    spans_out.push(Span {
                        start,
                        end: sp.end,
                        reach: reach(start, sp.end, &text, wide),
                    });
                    cells_out.push(std::mem::take(&mut text));
                }
            }
        }
    }
    (spans_out, cells_out)
}

/// Widest gap (columns) that may be a wide space inside a cell rather than a gap between cells.
const NARROW_GAP: usize = 4;
/// Columns a row's cells may be set off the table's columns (a row set apart from the others).
const SHIFT: usize = 4;
/// Lines looked back for the last table row above a line.
const ABOVE: usize = 100;

/// A row's runs joined across a narrow gap (a full-width space inside a cell, as a converter sets
/// it) when no table line nearby has a cell starting where the run after the gap starts (a line's
/// indented first cell counts when its next cell starts with one of the row's and it starts
/// exactly there, as a centred header's may not, or when two lines nearby start there): a gap
/// that no other line shares is not a column. A gap at a column of the table, after a row
/// label of the form opening the line, or after a label of the form before its value, stays a
/// gap.
pub(super) fn join_unaligned(
    all: &[Vec<Span>],
    idx: usize,
    (here, cells): (Vec<Span>, Vec<String>),
    (grid, labels): (Option<&[Span]>, &Labels),
) -> (Vec<Span>, Vec<String>) {
    if here.len() < 2 || here.len() != cells.len() {
        return (here, cells);
    }
    // on a row of three or more runs, a gap before a run starting at (or a few characters off,
    // as a row set apart from the others) a column of the table right of the run before: a
    // column; the table's columns as set, and those of the last table row of the page above
    let wide_enough = |l: &&Vec<Span>| l.len() >= 3 && l.len() + 1 >= here.len();
    let above = all
        .get(idx.saturating_sub(ABOVE)..idx)
        .and_then(|a| a.iter().rev().find(wide_enough));
    let grids: Vec<&[Span]> = [grid, above.map(Vec::as_slice)]
        .into_iter()
        .flatten()
        .filter(|_| here.len() >= 3)
        .collect();
    let boundary = |before: &Span, after: &Span| {
        grids.iter().any(|grid| {
            let kb = grid.iter().rposition(|g| g.start <= before.start + SHIFT);
            let ka = grid
                .iter()
                .position(|g| g.start.abs_diff(after.start) <= SHIFT);
            matches!((kb, ka), (Some(b), Some(a)) if a > b)
        })
    };
    // indented first runs of two or more lines nearby: a column of continued lines
    let firsts: Vec<usize> = all
        .iter()
        .enumerate()
        .skip(idx.saturating_sub(2 * NEAR))
        .take(4 * NEAR + 1)
        .filter(|(j, _)| *j != idx)
        .filter_map(|(_, l)| l.first().map(|s| s.start).filter(|&c| c > 0))
        .collect();
    let column = |c: usize| firsts.iter().filter(|&&f| f == c).count() >= 2;
    // (start, columns it may be away)
    let starts: Vec<(usize, usize)> = all
        .iter()
        .enumerate()
        .skip(idx.saturating_sub(2 * NEAR))
        .take(4 * NEAR + 1)
        .filter(|(j, _)| *j != idx)
        .flat_map(|(_, l)| {
            // an indented first run counts when the line's next run starts with one of this row
            let shares = l
                .get(1)
                .is_some_and(|n| here.iter().any(|h| h.start.abs_diff(n.start) <= 1));
            l.iter()
                .enumerate()
                .filter(move |(k, s)| *k > 0 || s.start > 0 && shares)
                .map(|(k, s)| (s.start, usize::from(k > 0)))
        })
        .collect();
    let (mut spans_out, mut cells_out): (Vec<Span>, Vec<String>) = (Vec::new(), Vec::new());
    for (sp, cell) in here.into_iter().zip(cells) {
        // a row label of the form opening the line stands alone
        let label =
            cells_out.len() == 1 && cells_out.first().is_some_and(|t| labels.is_row_label(t));
        // a label of the form before its value ([`Labels::is_cell_head`]) stands alone
        let label = label
            || cells_out.len() >= 2
                && matches!((cells_out.first(), cells_out.last()),
                    (Some(row), Some(t)) if labels.is_cell_head(row, t));
        if let (Some(last), Some(text)) = (spans_out.last_mut(), cells_out.last_mut()) {
            let gap = sp.start.saturating_sub(last.end);
            // two figures across a gap are two cells (`58   52`)
            let figures = [text.split(' ').next_back(), cell.split(' ').next()]
                .iter()
                .all(|w| w.as_ref().is_some_and(figure));
            if gap <= NARROW_GAP
                && !label
                && !figures
                && !column(sp.start)
                && !boundary(last, &sp)
                && !starts.iter().any(|&(c, d)| c.abs_diff(sp.start) <= d)
            {
                last.end = sp.end;
                last.reach = sp.reach;
                text.push(' ');
                text.push_str(&cell);
                continue;
            }
        }
        spans_out.push(sp);
        cells_out.push(cell);
    }
    (spans_out, cells_out)
}

/// Cells a row needs before the row directly above it is split to its count.
const HEADER_CELLS: usize = 4;

/// A row of two or more cells directly above a row of [`HEADER_CELLS`] or more, with fewer cells
/// but as many words one space apart as that row has cells: the header of that row's table, its
/// cells set one space apart (`指標名 単位   基準値（R元） R3目標 R3実績 R5目標` over six cells),
/// a cell per word. `rows` are (line, cells).
pub(super) fn split_header_over(rows: &mut [(usize, Vec<String>)]) {
    for k in 1..rows.len() {
        let (Some((j, upper)), Some((i, lower))) = (rows.get(k - 1), rows.get(k)) else {
            continue;
        };
        let n = lower.len();
        if j + 1 != *i || n < HEADER_CELLS || upper.len() < 2 || upper.len() >= n {
            continue;
        }
        let words: Vec<String> = upper
            .iter()
            .flat_map(|c| c.split(' ').map(str::to_string))
            .collect();
        if words.len() == n && words.iter().all(|w| !w.is_empty()) {
            if let Some((_, upper)) = rows.get_mut(k - 1) {
                *upper = words;
            }
        }
    }
}

/// A figure with a digit (`58`, `▲22`, `95.7%`): a dash alone is none.
fn figure(word: &&str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) && super::is_figure(word)
}

/// The text of each run of a line, as `spans` splits it, single spaces kept.
pub(super) fn run_texts(line: &str, wide: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut gap = 0usize;
    for c in line.chars() {
        let w = width(c, wide);
        if c.is_whitespace() || c.is_control() {
            gap += w.max(usize::from(c == '\t'));
        } else if w > 0 {
            match out.last_mut() {
                Some(s) if gap < 3 => {
                    if gap > 0 {
                        s.push(' ');
                    }
                    s.push(c);
                }
                _ => out.push(c.to_string()),
            }
            gap = 0;
        }
    }
    out
}

/// The labels of a form repeated through a document: texts that open lines with more runs after
/// them, different ones (row labels), and texts that stand as a run of their own on lines opening with the same
/// text. Labels have letters (a run of arrows or figures is none); white space is ignored.
#[derive(Debug, Default)]
pub(super) struct Labels {
    /// Row label → the distinct rests of the lines it opens.
    rows: std::collections::HashMap<String, std::collections::HashSet<String>>,
    cells: std::collections::HashMap<(String, String), usize>,
    /// (row label, first word of a later run of two words) → the distinct second words.
    heads: std::collections::HashMap<(String, String), std::collections::HashSet<String>>,
}

/// Lines a text must open (or stand in, on lines opening with its row label) to be a label.
const LABEL_LINES: usize = 3;

impl Labels {
    #[cfg(test)]
    pub(super) fn new(lines: &[(u32, String)], wide: bool) -> Labels {
        let mut labels = Labels::default();
        labels.add(lines, wide);
        labels
    }

    /// Count the row and cell labels of more lines (a page at a time, over a whole text).
    pub(super) fn add(&mut self, lines: &[(u32, String)], wide: bool) {
        for (_, text) in lines {
            let runs = run_texts(text, wide);
            let Some(first) = runs.first().filter(|_| runs.len() >= 2) else {
                continue;
            };
            let first = Labels::key(first);
            for r in runs.iter().skip(1) {
                if let Some((head, rest)) = r.split_once(' ').filter(|(_, b)| !b.contains(' ')) {
                    self.heads
                        .entry((first.clone(), head.to_string()))
                        .or_default()
                        .insert(rest.to_string());
                }
                *self
                    .cells
                    .entry((first.clone(), Labels::key(r)))
                    .or_insert(0) += 1;
            }
            let rest: String = runs.iter().skip(1).map(|r| Labels::key(r)).collect();
            self.rows.entry(first).or_default().insert(rest);
        }
    }

    /// Four or more letters (kana, kanji, Latin): more than a short cell value (実施, 済).
    fn worded(s: &str) -> bool {
        s.chars().filter(|c| c.is_alphabetic()).count() >= 4
    }

    fn key(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Whether the text opens lines of the form: three or more, the rest of them differing (not a
    /// page header repeated whole).
    pub(super) fn is_row_label(&self, text: &str) -> bool {
        Labels::worded(text)
            && self
                .rows
                .get(&Labels::key(text))
                .is_some_and(|rests| rests.len() >= LABEL_LINES)
    }

    /// Whether the word opens a run of two words on lines opening with `row`, before three or
    /// more different words (a label and its value one space apart): two letters or more and no
    /// figure.
    pub(super) fn is_cell_head(&self, row: &str, word: &str) -> bool {
        word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !word.chars().any(|c| c.is_numeric())
            && self
                .heads
                .get(&(Labels::key(row), word.to_string()))
                .is_some_and(|rests| rests.len() >= LABEL_LINES)
    }

    /// Whether the text is a run of its own on lines opening with `row` (three or more).
    pub(super) fn is_cell_label(&self, row: &str, text: &str) -> bool {
        Labels::worded(text)
            && self
                .cells
                .get(&(Labels::key(row), Labels::key(text)))
                .is_some_and(|&n| n >= LABEL_LINES)
    }
}

/// Columns a cell may start off the start of its header cell (a converter's grid rounds
/// positions).
const HEADER_SLACK: usize = 2;

/// A row's runs split at single spaces after which a column of the table's header starts
/// (`pdftotext -layout` leaves one space between a cell that fills its column and the next):
/// the word after the space starts within [`HEADER_SLACK`] of a header cell's start, right of
/// the column the piece before it lies in (a column begins after the end of the header cell
/// before it), and every piece ends before the header cell of the column after its own. A run
/// that crosses a column where it is not split (a sentence running over the table's columns) is
/// left whole.
pub(super) fn split_at_header(
    text: &str,
    here: Vec<Span>,
    cells: Vec<String>,
    header: &[Span],
    wide: bool,
) -> (Vec<Span>, Vec<String>) {
    if header.len() < 2 || here.len() != cells.len() {
        return (here, cells);
    }
    // the column whose header cell starts at a position
    let at = |p: usize| {
        header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.start.abs_diff(p) <= HEADER_SLACK)
            .min_by_key(|(_, h)| h.start.abs_diff(p))
            .map(|(k, _)| k)
    };
    // the column a position lies in: past the end of the header cell before it
    let within = |p: usize| {
        (1..header.len())
            .rev()
            .find(|&k| header.get(k - 1).is_some_and(|h| h.end <= p))
            .unwrap_or(0)
    };
    // a piece of column `k` ending at `end` ends before the next column's header cell
    let fits = |k: usize, end: usize| {
        header
            .get(k + 1)
            .is_none_or(|h| end <= h.start + HEADER_SLACK)
    };
    let singles = single_spaces(text, wide);
    let (mut spans_out, mut cells_out) = (Vec::new(), Vec::new());
    for (sp, cell) in here.into_iter().zip(cells) {
        let inner: Vec<usize> = singles
            .iter()
            .copied()
            .filter(|&c| c > sp.start && c < sp.end)
            .collect();
        let pieces: Vec<&str> = cell.split(' ').collect();
        // the single spaces cut at, when every piece fits its column
        let cuts = (pieces.len() == inner.len() + 1)
            .then(|| {
                let (mut k, mut cuts) = (within(sp.start), Vec::new());
                for &c in &inner {
                    match at(c + 1) {
                        Some(j) if j > k => {
                            if !fits(k, c) {
                                return None;
                            }
                            cuts.push(c);
                            k = j;
                        }
                        _ => {}
                    }
                }
                (!cuts.is_empty() && fits(k, sp.end)).then_some(cuts)
            })
            .flatten();
        let Some(cuts) = cuts else {
            spans_out.push(sp);
            cells_out.push(cell);
            continue;
        };
        let (mut start, mut text) = (sp.start, String::new());
        for (i, piece) in pieces.iter().enumerate() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(piece);
            let end = inner.get(i).copied().filter(|c| cuts.contains(c));
            if end.is_some() || i + 1 == pieces.len() {
                let end = end.unwrap_or(sp.end);
                spans_out.push(Span {
                    start,
                    end,
                    reach: reach(start, end, &text, wide),
                });
                cells_out.push(std::mem::take(&mut text));
                start = end + 1;
            }
        }
    }
    (spans_out, cells_out)
}

/// The columns of a line's single spaces between words (where a cell filled to one space from the
/// next may be split).
fn single_spaces(text: &str, wide: bool) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut singles: Vec<usize> = Vec::new();
    let mut col = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        let blank = |j: usize| chars.get(j).is_none_or(|c| c.is_whitespace());
        if c == ' ' && i > 0 && !blank(i - 1) && !blank(i + 1) {
            singles.push(col);
        }
        col += width(c, wide);
    }
    singles
}
