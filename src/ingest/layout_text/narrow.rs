//! Cells one space apart: a table typed with tabs, printed as plain text and turned back into
//! text by `pdftotext -layout`. A tab runs to the next tab stop, so two cells can be as little as
//! one half-width column apart on the page, and the converter sets them one space apart, as it
//! sets the words of a cell; nothing but the shape of the whole text tells the two apart.
//!
//! Such a text has gaps of one space (or two) between two wide characters (Japanese text has no
//! spaces between words), between two figures (`45,000 45,000`) or after an item number opening the
//! line (`R4-03 指定管理者…`), on most of its table lines (those with a gap of three or more spaces
//! between words), each a whole row opening at the left edge, where a text whose table cells are
//! set apart by wide gaps has them on few (a wrapped cell's lines joined, a name's family and given
//! names) and a table whose cells wrap and are centred in their rows' height has many of them on
//! lines opening further right. In a text of that shape, every gap between words on a table line is
//! a gap between cells: it is widened to five spaces at least, so that the layout engine parts the
//! cells there (as it parts cells at a PDF's tab gaps) and does not take a gap of three or four
//! spaces for a full-width space inside a cell. A single space between two entries of a listing
//! (`○…した。 ○…`) stays: the entries of one cell. A line with no wide gap directly under a table line
//! with as many words is a row of that table whose cells all happened to be set narrow, and is
//! widened too; a row indented directly under a row with one cell more has its first cell empty.

use super::{gapped, width};
use crate::pdf::layout::starts_entry;

/// Spaces a narrow gap is widened to: wider than a full-width space inside a cell may be set
/// (`runs::NARROW_GAP`), so that the gap is not joined again.
const WIDENED: usize = 5;
/// Share of the table lines that must have a one-space gap between wide characters.
const SHARE: usize = 2;
/// Table lines a text needs before its gaps are counted.
const MIN_LINES: usize = 3;

/// Counts, over a text, of its table lines and of those opening at the left edge with a narrow
/// gap between wide characters.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct NarrowVotes {
    table: usize,
    narrow: usize,
}

impl NarrowVotes {
    pub(super) fn add(&mut self, line: &str) {
        if !gapped(line) {
            return;
        }
        self.table += 1;
        // a row typed with tabs opens at the left edge (its first cell)
        if line.starts_with(char::is_whitespace) {
            return;
        }
        let chars: Vec<char> = line.trim().chars().collect();
        let wide = |c: Option<&char>| c.is_some_and(|&c| width(c, true) > 1 && c != '\u{3000}');
        // an item number of two or more characters with a figure (`R4-03`, `No.3`) one space
        // before a wide character is a cell; a one-character label opening the line (`ア 窓口
        // の…`, `1 窓口の…`) is a list entry's, not a cell
        let first = chars.iter().position(|&c| c == ' ').unwrap_or(chars.len());
        let code = first > 1
            && chars.get(first + 1).is_some_and(|&c| c != ' ')
            && wide(chars.get(first + 1))
            && chars.get(..first).is_some_and(|w| {
                w.iter().all(|c| c.is_ascii_graphic()) && w.iter().any(|c| c.is_ascii_digit())
            });
        // a gap of two spaces between wide characters of text (not a box's ruling), the first
        // not the line's opening
        let text =
            |c: Option<&char>| wide(c) && c.is_some_and(|&c| super::boxes::arms(c).is_none());
        let two = chars.windows(4).enumerate().any(|(i, w)| {
            i > 0 && w.get(1..3) == Some(&[' ', ' ']) && text(w.first()) && text(w.get(3))
        });
        // two figures one space apart (`45,000 45,000`)
        let line: String = chars.iter().collect();
        let tokens: Vec<&str> = line.split(' ').collect();
        let figure = |t: &&str| t.chars().any(|c| c.is_ascii_digit()) && super::is_figure(t);
        let figures = tokens.windows(2).any(|w| w.iter().all(figure));
        if code
            || two
            || figures
            || chars
                .windows(3)
                .enumerate()
                .any(|(i, w)| i > 0 && w.get(1) == Some(&' ') && wide(w.first()) && wide(w.get(2)))
        {
            self.narrow += 1;
        }
    }

    /// Whether the text sets its cells one space apart: at least half its table lines (and
    /// [`MIN_LINES`]) open at the left edge and have a narrow gap between cells (see `add`).
    pub(super) fn cut(&self) -> bool {
        self.table >= MIN_LINES && self.narrow * SHARE >= self.table
    }
}

/// Words a row with no wide gap needs to be taken for a row of the table line above it.
const ROW_WORDS: usize = 4;

/// A page's lines widened ([`widen`]), and a line with no gap of three or more spaces widened
/// too when it lies directly under a table line and is a row of that table whose cells all
/// happened to be set one or two spaces apart: opening at the left edge with as many words as
/// that line (four or more), or indented and a row of figures ([`figure_row`]).
pub(super) fn widen_lines(lines: &mut [(u32, String)]) {
    let words = |t: &str| t.split_whitespace().count();
    let mut above: Option<usize> = None;
    for (_, t) in lines.iter_mut() {
        let row = !gapped(t)
            && if t.starts_with(char::is_whitespace) {
                above.is_some() && figure_row(t)
            } else {
                above.is_some_and(|n| n >= ROW_WORDS && words(t) == n)
            };
        above = gapped(t).then(|| words(t));
        *t = if row { widen_gaps(t) } else { widen(t) };
    }
}

/// Whether a line is a row of figures: three words or more, a figure beside each space between
/// them (`実績  2,950 5,880`).
fn figure_row(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let figure = |w: &str| w.chars().any(|c| c.is_ascii_digit()) && super::is_figure(w);
    words.len() >= 3 && words.windows(2).all(|w| w.iter().any(|t| figure(t)))
}

/// A table line's gaps between words widened to [`WIDENED`] spaces at least, but for the space
/// between two entries of one listing cell ([`entries_run_on`]) (a line with no gap of three or more
/// spaces is left as it is).
pub(super) fn widen(line: &str) -> String {
    if !gapped(line) {
        return line.to_string();
    }
    widen_gaps(line)
}

/// A line's gaps between words widened ([`widen`]), whether or not it has a wide gap.
fn widen_gaps(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    // where the piece being written opens, in `chars`
    let mut piece = 0;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c != ' ' {
            if i == 0 || chars.get(i - 1) == Some(&' ') {
                piece = i;
            }
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        let between = i > 0 && chars.get(j).is_some();
        let listed = j - i == 1 && entries_run_on(&chars, piece, i, j);
        let gap = if between && !listed {
            (j - i).max(WIDENED)
        } else {
            j - i
        };
        out.extend(std::iter::repeat_n(' ', gap));
        if listed {
            // the entry after the space goes on the same piece
            let rest: String = chars.get(j..).unwrap_or_default().iter().collect();
            let next = rest.find(' ').unwrap_or(rest.len());
            out.push_str(rest.get(..next).unwrap_or_default());
            i = j + rest.get(..next).unwrap_or_default().chars().count();
            continue;
        }
        i = j;
    }
    out
}

/// Rows of a text whose cells are set one space apart, indented on a line directly under a
/// row: under a row with one cell more that opens at the left edge (or is such a row itself) the
/// row's first column is empty; under a longer row, its cells go where their kinds match
/// ([`kind_offset`]) (figures under
/// a header whose first cell is its label, `事業費（千円） 令和３年度 …` over `    ８，４２０ …`).
/// `rows` are (line, cells) of the page's `lines`.
pub(super) fn indented_under_wider(rows: &mut [(usize, Vec<String>)], lines: &[(u32, String)]) {
    let indented = |i: usize| {
        lines
            .get(i)
            .map(|(_, t)| t.starts_with(char::is_whitespace))
    };
    for k in 1..rows.len() {
        let (Some((j, above)), Some((i, cells))) = (rows.get(k - 1), rows.get(k)) else {
            continue;
        };
        // the row above opens at the left edge, or is such a row itself (its first cell empty)
        let whole = indented(*j) == Some(false) || above.first().is_some_and(String::is_empty);
        let under = j + 1 == *i
            && whole
            && indented(*i) == Some(true)
            && cells.len() >= 2
            && above.len() == cells.len() + 1
            && cells.first().is_some_and(|c| !c.is_empty());
        // a row's own cells, past the empty ones it was given
        let lead = cells.iter().take_while(|c| c.is_empty()).count();
        let shift = if under {
            Some(1)
        } else if j + 1 == *i && indented(*i) == Some(true) {
            kind_offset(above, cells.get(lead..).unwrap_or_default())
        } else {
            None
        };
        if let (Some(o), Some((_, cells))) = (shift, rows.get_mut(k)) {
            let lead = if under { 0 } else { lead };
            cells.splice(0..lead, std::iter::repeat_n(String::new(), o));
        }
    }
}

/// Where the cells of a shorter row go under the row above: the one place past the first
/// column where each cell is of the kind ([`kind`]) of the cell above it (`実績 142 139` under
/// `… 計画 142 140 138`); None when no place or more than one fits.
fn kind_offset(above: &[String], cells: &[String]) -> Option<usize> {
    let n = cells.len();
    if n < 2 || n >= above.len() || cells.first().is_none_or(String::is_empty) {
        return None;
    }
    let fits: Vec<usize> = (1..=above.len() - n)
        .filter(|&o| {
            cells
                .iter()
                .zip(above.iter().skip(o))
                .all(|(c, a)| !a.is_empty() && kind(c) == kind(a))
        })
        .collect();
    match fits.as_slice() {
        [o] => Some(*o),
        _ => None,
    }
}

/// Whether the space at `gap..next` parts two entries of one listing cell: the piece before it
/// opens with an entry mark and ends a sentence, the text after it opens another entry with
/// words after its mark (a mark standing alone is a mark column's cell).
fn entries_run_on(chars: &[char], piece: usize, gap: usize, next: usize) -> bool {
    let before: String = chars.get(piece..gap).unwrap_or_default().iter().collect();
    let after: String = chars
        .get(next..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c != ' ')
        .collect();
    starts_entry(&before)
        && before.ends_with('。')
        && starts_entry(&after)
        && after.chars().count() > 1
}

/// What a cell holds, as far as it tells a column from its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One mark (`◎`, `○`, `▲`): neither a letter nor a figure.
    Mark,
    /// A grade of one or two Latin letters (`Ａ`, `B`, `AA`).
    Grade,
    /// An item number, a figure or a dash.
    Figure,
    /// Up to eight characters of words.
    Short,
    /// More than eight characters.
    Long,
}

fn kind(cell: &str) -> Kind {
    let t = cell.trim();
    let n = t.chars().count();
    let latin = |c: char| {
        c.is_ascii_alphabetic() || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
    };
    if super::is_figure(t) {
        Kind::Figure
    } else if (1..=2).contains(&n) && t.chars().all(latin) {
        Kind::Grade
    } else if n == 1 && !t.chars().any(char::is_alphanumeric) {
        Kind::Mark
    } else if n <= 8 {
        Kind::Short
    } else {
        Kind::Long
    }
}

/// What the full rows of a table whose cells are set one space apart showed on the pages before:
/// carried from page to page as the table goes on.
#[derive(Debug, Default, Clone)]
pub(crate) struct NarrowTable {
    /// Cells of a full row.
    width: usize,
    /// The kinds of the full rows' cells, column by column.
    kinds: Vec<Vec<Kind>>,
    /// Rows placed in the columns, by their cells as read (a header repeated on each page).
    placed: std::collections::HashMap<Vec<String>, Vec<String>>,
}

/// Full rows looked at for the kinds of a table's columns.
const KEPT_ROWS: usize = 64;

impl NarrowTable {
    /// Rows of a table whose cells are set one space apart, short of a cell or more: placed in
    /// the columns of the table's widest rows, with empty cells where they skip one. With cells
    /// one space apart the converter sets each line as narrow as it can, so a row's cells are off
    /// their columns but for the first few, whose starts the full rows of a page share: a cell
    /// starting there is in that column. Elsewhere a cell goes where the cells of the full rows
    /// are of its kind (a mark, a grade, a figure, a short word or a longer text). A row is moved
    /// only when that fits clearly better than its cells in the first columns; a row placed once
    /// (a header repeated on each page) is placed the same way again. `rows` are (line, cells);
    /// `starts` gives the columns where each line's cells start as the converter set them
    /// (before widening).
    pub(super) fn align_short_rows(
        &mut self,
        rows: &mut [(usize, Vec<String>)],
        starts: &[Vec<usize>],
    ) {
        for run in table_runs(rows) {
            let Some(rows) = rows.get_mut(run) else {
                continue;
            };
            let widest = rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
            if widest >= self.width {
                if widest > self.width {
                    // a wider table than the one before: its columns are counted anew
                    *self = NarrowTable {
                        width: widest,
                        ..NarrowTable::default()
                    };
                }
                self.align_run(rows, starts);
            } else {
                // a narrower table among the rows of the wide one: read on its own
                NarrowTable {
                    width: widest,
                    ..NarrowTable::default()
                }
                .align_run(rows, starts);
            }
        }
    }

    /// [`NarrowTable::align_short_rows`] over the rows of one table.
    fn align_run(&mut self, rows: &mut [(usize, Vec<String>)], starts: &[Vec<usize>]) {
        let width = self.width;
        let start_of = |i: usize, n: usize| starts.get(i).filter(|s| s.len() == n);
        let full: Vec<&Vec<usize>> = rows
            .iter()
            .filter(|(_, c)| c.len() == width)
            .filter_map(|(i, _)| start_of(*i, width))
            .collect();
        for (_, c) in rows.iter().filter(|(_, c)| c.len() == width) {
            if self.kinds.len() < KEPT_ROWS {
                self.kinds.push(c.iter().map(|c| kind(c)).collect());
            }
        }
        if width < 4 || self.kinds.len() < 2 {
            return;
        }
        // the columns whose start the page's full rows share (within a column)
        let mut anchors: Vec<Option<usize>> = (0..width)
            .map(|k| {
                let at: Vec<usize> = full.iter().filter_map(|s| s.get(k).copied()).collect();
                let (lo, hi) = (at.iter().min()?, at.iter().max()?);
                (full.len() >= 2 && hi - lo <= 1).then_some(*lo)
            })
            .collect();
        // a row placed on an earlier page (a repeated header): its first cell starts its column
        for (i, cells) in rows.iter() {
            let Some(p) = self.placed.get(cells.as_slice()) else {
                continue;
            };
            let (Some(k), Some(&s)) = (
                p.iter().position(|c| !c.is_empty()),
                start_of(*i, cells.len()).and_then(|s| s.first()),
            ) else {
                continue;
            };
            if let Some(a @ None) = anchors.get_mut(k) {
                *a = Some(s);
            }
        }
        let kinds = &self.kinds;
        let share = |k: usize, kd: Kind| {
            kinds.iter().filter(|ks| ks.get(k) == Some(&kd)).count() as f32 / kinds.len() as f32
        };
        for (i, cells) in rows.iter_mut() {
            let n = cells.len();
            if n < 2 || n >= width || n + 3 < width {
                continue;
            }
            if let Some(p) = self.placed.get(cells.as_slice()) {
                cells.clone_from(p);
                continue;
            }
            let Some(at) = start_of(*i, n) else {
                continue;
            };
            let cost = |j: usize, k: usize| -> f32 {
                let kd = cells.get(j).map_or(Kind::Long, |c| kind(c));
                let mut c = 1.0 - share(k, kd);
                let s = at.get(j).copied().unwrap_or(usize::MAX);
                let near = |a: &Option<usize>| a.is_some_and(|a| a.abs_diff(s) <= 1);
                if anchors.get(k).is_some_and(near) {
                    c -= 1.0;
                } else if anchors.iter().any(near) {
                    c += 2.0;
                }
                c
            };
            let Some(ks) = cheapest(n, width, &cost) else {
                continue;
            };
            // a column skipped before a cell only where that cell starts at its column's anchor:
            // past the columns the page's rows share, a cell's start tells nothing
            let anchored = |j: usize, k: usize| {
                let s = at.get(j).copied().unwrap_or(usize::MAX);
                anchors
                    .get(k)
                    .copied()
                    .flatten()
                    .is_some_and(|a| a.abs_diff(s) <= 1)
            };
            let justified = ks.iter().enumerate().all(|(j, &k)| {
                let expected = if j == 0 {
                    0
                } else {
                    ks.get(j - 1).map_or(0, |p| p + 1)
                };
                k == expected || anchored(j, k)
            });
            if !justified {
                continue;
            }
            let mut placed = vec![String::new(); ks.last().map_or(0, |k| k + 1)];
            for (k, c) in ks.iter().zip(cells.iter()) {
                if let Some(p) = placed.get_mut(*k) {
                    p.clone_from(c);
                }
            }
            self.placed.insert(cells.clone(), placed.clone());
            *cells = placed;
        }
    }
}

/// Single-cell lines a table's rows may have between them (section headings, a wrapped note).
const RUN_GAP: usize = 2;

/// The stretches of `rows` holding one table each: rows of two or more cells with at most
/// [`RUN_GAP`] rows of one cell between them (a form's label lines and paragraphs part tables).
fn table_runs(rows: &[(usize, Vec<String>)]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut last: Option<usize> = None;
    for (k, (_, cells)) in rows.iter().enumerate() {
        if cells.len() < 2 {
            continue;
        }
        match (last, out.last_mut()) {
            (Some(l), Some(run)) if k - l <= RUN_GAP + 1 => run.end = k + 1,
            _ => out.push(k..k + 1),
        }
        last = Some(k);
    }
    out
}

/// The columns of `n` cells placed in order among `width` columns at the least total `cost`
/// (cell, column), when that is clearly less than the cost of the first `n` columns.
fn cheapest(n: usize, width: usize, cost: &dyn Fn(usize, usize) -> f32) -> Option<Vec<usize>> {
    let inf = f32::INFINITY;
    // best[j][k]: the first j cells in the first k columns
    let mut best = vec![vec![inf; width + 1]; n + 1];
    if let Some(r) = best.get_mut(0) {
        r.iter_mut().for_each(|v| *v = 0.0);
    }
    let at = |b: &Vec<Vec<f32>>, j: usize, k: usize| {
        b.get(j).and_then(|r| r.get(k)).copied().unwrap_or(inf)
    };
    for j in 1..=n {
        for k in j..=width {
            let v = at(&best, j, k - 1).min(at(&best, j - 1, k - 1) + cost(j - 1, k - 1));
            if let Some(slot) = best.get_mut(j).and_then(|r| r.get_mut(k)) {
                *slot = v;
            }
        }
    }
    let first: f32 = (0..n).map(|j| cost(j, j)).sum();
    if at(&best, n, width) + 0.5 >= first {
        return None;
    }
    // walk back, leaving the last columns empty where that costs the same
    let mut ks = vec![0usize; n];
    let (mut j, mut k) = (n, width);
    while j > 0 && k > 0 {
        if k > j && (at(&best, j, k) - at(&best, j, k - 1)).abs() < 1e-4 {
            k -= 1;
            continue;
        }
        if let Some(slot) = ks.get_mut(j - 1) {
            *slot = k - 1;
        }
        j -= 1;
        k -= 1;
    }
    Some(ks)
}

/// Where the cells of a widened line started before it was widened: the columns of `original`
/// holding the same characters as the columns `starts` of `widened` (widening only lengthens
/// gaps).
pub(super) fn original_starts(
    original: &str,
    widened: &str,
    starts: &[usize],
    wide: bool,
) -> Vec<usize> {
    let columns = |t: &str| -> Vec<usize> {
        let mut col = 0;
        let mut out = Vec::new();
        for c in t.chars() {
            if !c.is_whitespace() {
                out.push(col);
            }
            col += width(c, wide);
        }
        out
    };
    let (from, to) = (columns(widened), columns(original));
    starts
        .iter()
        .filter_map(|s| {
            let nth = from.iter().position(|c| c == s)?;
            to.get(nth).copied()
        })
        .collect()
}
