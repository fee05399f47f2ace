//! Narrow column gaps. A table typed with tabs and printed as plain text (a browser's `<pre>`, an
//! editor's print) has no rules and no wide gaps: a tab runs to the next tab stop, so two cells
//! can be as little as one half-width column apart, and nothing is drawn in the gap. Words of one
//! cell are never set apart that way: Japanese text has no spaces between words, and a space typed
//! in a cell is drawn as a space glyph. So a gap of half a character or more with no glyph in it
//! parts cells, on a line that is a row of such a table: one where such a gap comes back on the
//! line above or below it (a gap of any width with nothing drawn in it), the rows of a table
//! following each other at the line pitch.

use super::Line;
use crate::pdf::interp::PageContent;

/// A gap this wide (× the font size) with no glyph in it parts cells on a row of an unruled table.
pub(super) const TAB_GAP: f32 = 0.45;
/// A gap this wide (× the font size) parts cells anywhere.
pub(super) const COLUMN_GAP: f32 = 1.5;

/// The narrowest gap (× the font size) with no glyph in it that parts cells on a row of an
/// unruled table: [`TAB_GAP`], or on a page read by OCR the width its word gaps run to when that
/// is wider (there a gap between two words' ink is no typed space, and text set solid leaves
/// gaps as wide as its characters' shapes allow).
pub(super) fn tab_gap(pc: &PageContent) -> f32 {
    pc.ocr_word_gap
        .map_or(TAB_GAP, |g| g.clamp(TAB_GAP, COLUMN_GAP))
}

/// Gaps of a line with no glyph drawn in them: (narrow ones, from [`tab_gap`] to [`COLUMN_GAP`]
/// × size; all from [`tab_gap`] up).
fn open_gaps(pc: &PageContent, line: &Line) -> (usize, usize) {
    let tab = tab_gap(pc);
    let (mut narrow, mut all) = (0, 0);
    let mut prev: Option<(f32, f32)> = None;
    let mut saw_space = false;
    for g in line.glyphs.iter().filter_map(|&i| pc.glyphs.get(i)) {
        if g.space {
            saw_space = true;
            continue;
        }
        if let Some((end, size)) = prev {
            let size = size.max(g.size).max(1.0);
            let gap = g.x - end;
            if !saw_space && gap >= tab * size {
                all += 1;
                if gap <= COLUMN_GAP * size {
                    narrow += 1;
                }
            }
        }
        prev = Some((g.x + g.w, g.size));
        saw_space = false;
    }
    (narrow, all)
}

/// Lines either side of a line where a row of the same table may be (a header row and the first
/// row under it can have a band or two between them).
const ROW_REACH: usize = 3;
/// How far (× the font size) such a row's baseline may be.
const ROW_DISTANCE: f32 = 4.5;

/// Which lines (in baseline order) are rows of a tab-typed table, cut at narrow gaps too: a line
/// with a gap with nothing drawn in it, with such a gap again among the [`ROW_REACH`] lines above
/// or below it (at most [`ROW_DISTANCE`] sizes away), one of those gaps narrow; and a line with
/// such a gap, or opening right of the text's left edge, right above or below one of those rows.
pub(super) fn tabbed_lines(pc: &PageContent, lines: &[Line]) -> Vec<bool> {
    let gaps: Vec<(usize, usize)> = lines.iter().map(|l| open_gaps(pc, l)).collect();
    let near = |a: usize, b: usize| match (lines.get(a), lines.get(b)) {
        (Some(x), Some(y)) => {
            (x.baseline - y.baseline).abs() <= ROW_DISTANCE * x.size.max(y.size)
                && gaps.get(b).is_some_and(|g| g.1 > 0)
        }
        _ => false,
    };
    let narrow = |i: usize| gaps.get(i).is_some_and(|g| g.0 > 0);
    let rows: Vec<bool> = (0..lines.len())
        .map(|i| {
            let around: Vec<usize> = (i.saturating_sub(ROW_REACH)..=i + ROW_REACH)
                .filter(|&j| j != i && near(i, j))
                .collect();
            gaps.get(i).is_some_and(|g| g.1 > 0)
                && !around.is_empty()
                && (narrow(i) || around.iter().any(|&j| narrow(j)))
        })
        .collect();
    // A line right above or below a row of the table is a row of it too when it has such gaps (a
    // header whose rows repeat their narrow gaps only further down) or opens with tabs (a row
    // holding only a cell's wrapped rest, `⇥⇥⇥…を進める。`).
    let left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let is_row = |j: usize| rows.get(j).copied().unwrap_or(false);
    let next_to = |j: usize, i: usize| match (lines.get(j), lines.get(i)) {
        (Some(row), Some(l)) => {
            let size = row.size.max(l.size).max(1.0);
            (row.baseline - l.baseline).abs() <= ROW_DISTANCE * size
                && (gaps.get(i).is_some_and(|g| g.1 > 0) || l.x0 - left >= TAB_GAP * size)
        }
        _ => false,
    };
    (0..lines.len())
        .map(|i| {
            is_row(i)
                || [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .any(|j| is_row(j) && next_to(j, i))
        })
        .collect()
}

/// Share of the cell starts on tab-cut lines that must lie on a grid of tab stops for it to count.
const ON_GRID: f32 = 0.9;

/// Empty cells before each piece (line, x0, x1, text) of the tab-cut lines. A tab runs to the next
/// tab stop, so a text printed with tabs starts every cell after the first on a stop, stops being
/// equally spaced from the left edge of the text: two tabs in a row (an empty cell) leave a gap
/// past one stop to the next, and a line opening with tabs starts its first cell on a later stop.
/// The stops' spacing is the widest (at least [`COLUMN_GAP`] × size) at a multiple of which nearly
/// all cell starts lie; with none, no cell is counted.
pub(super) fn skipped_cells(
    lines: &[Line],
    tabbed: &[bool],
    pieces: &[(usize, f32, f32, String)],
) -> Vec<usize> {
    let mut out = vec![0; pieces.len()];
    let on_tabbed = |li: usize| tabbed.get(li).copied().unwrap_or(false);
    let Some(grid) = tab_grid(lines, tabbed, pieces) else {
        return out;
    };
    let mut prev_end: Option<(usize, f32)> = None;
    for (slot, &(li, x0, x1, _)) in out.iter_mut().zip(pieces) {
        let line_prev = prev_end.filter(|(pl, _)| *pl == li).map(|(_, e)| e);
        prev_end = Some((li, x1));
        if !on_tabbed(li) || !grid.on_stop(x0) && x0 - grid.left > 0.5 * grid.size {
            continue;
        }
        let here = ((x0 - grid.left) / grid.stop).round();
        let first_free = match line_prev {
            // the first stop past the end of the cell before (a tab always moves on)
            Some(end) => ((end - grid.left + 0.1 * grid.size) / grid.stop).floor() + 1.0,
            None => 0.0,
        };
        *slot = (here - first_free).max(0.0) as usize;
    }
    out
}

/// The tab stops of a page's tab-cut lines: the left edge of its text, their spacing and the
/// text's size.
struct TabGrid {
    left: f32,
    stop: f32,
    size: f32,
}

impl TabGrid {
    /// Whether `x` is on a tab stop past the left edge.
    fn on_stop(&self, x: f32) -> bool {
        let o = x - self.left;
        let k = (o / self.stop).round();
        k >= 1.0 && (o - k * self.stop).abs() <= 0.15 * self.size
    }
}

/// The tab stops nearly all cell starts of the tab-cut lines lie on ([`skipped_cells`]).
fn tab_grid(
    lines: &[Line],
    tabbed: &[bool],
    pieces: &[(usize, f32, f32, String)],
) -> Option<TabGrid> {
    let on_tabbed = |li: usize| tabbed.get(li).copied().unwrap_or(false);
    let size = lines
        .iter()
        .enumerate()
        .find(|(i, _)| on_tabbed(*i))
        .map(|(_, l)| l.size.max(1.0))?;
    let left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let offsets: Vec<f32> = pieces
        .iter()
        .filter(|p| on_tabbed(p.0))
        .map(|p| p.1 - left)
        .filter(|o| *o > 0.5 * size)
        .collect();
    if offsets.len() < 4 {
        return None;
    }
    let fits = |t: f32| {
        let grid = TabGrid {
            left: 0.0,
            stop: t,
            size,
        };
        let n = offsets.iter().filter(|&&o| grid.on_stop(o)).count();
        n as f32 >= ON_GRID * offsets.len() as f32
    };
    let stop = offsets
        .iter()
        .copied()
        .filter(|&t| t >= COLUMN_GAP * size && fits(t))
        .reduce(f32::max)?;
    Some(TabGrid { left, stop, size })
}

/// The table column of each piece on the tab-cut lines, counted as the text counts its tabs (the
/// cells before it on its line and the empty cells [`skipped_cells`] finds between them): known
/// only where the page has a grid of tab stops and every piece of the line starts on a stop (or at
/// the left edge).
pub(super) fn piece_columns(
    lines: &[Line],
    tabbed: &[bool],
    pieces: &[(usize, f32, f32, String)],
    skipped: &[usize],
) -> Vec<Option<usize>> {
    let mut out = vec![None; pieces.len()];
    let Some(grid) = tab_grid(lines, tabbed, pieces) else {
        return out;
    };
    let on_grid = |x0: f32| grid.on_stop(x0) || x0 - grid.left <= 0.5 * grid.size;
    let mut k = 0;
    while k < pieces.len() {
        let li = pieces.get(k).map_or(0, |p| p.0);
        let end = k + pieces
            .get(k..)
            .unwrap_or_default()
            .iter()
            .take_while(|p| p.0 == li)
            .count();
        let line = pieces.get(k..end).unwrap_or_default();
        if tabbed.get(li).copied().unwrap_or(false) && line.iter().all(|p| on_grid(p.1)) {
            let mut col = 0;
            for (j, slot) in out
                .get_mut(k..end)
                .unwrap_or_default()
                .iter_mut()
                .enumerate()
            {
                col += skipped.get(k + j).copied().unwrap_or(0);
                *slot = Some(col);
                col += 1;
            }
        }
        k = end.max(k + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{chunks, lines_of};
    use super::*;
    use crate::pdf::interp::Glyph;

    /// A page of lines `(text, baseline)`, 10 pt, left edge 20: a full-width character is 10 wide,
    /// others 5; `_` is a space glyph (5 wide) and `|` a gap of 5 with nothing drawn in it.
    /// The lines of a page, which of them are tab-typed, their pieces cut at tab gaps and the
    /// cells each piece skips.
    type TabPieces = (
        Vec<Line>,
        Vec<bool>,
        Vec<(usize, f32, f32, String)>,
        Vec<usize>,
    );

    fn tab_pieces(lines: &[(&str, f32)]) -> TabPieces {
        let pc = page(lines);
        let idx: Vec<usize> = (0..pc.glyphs.len()).collect();
        let ls = lines_of(&pc, &idx);
        let tabbed = tabbed_lines(&pc, &ls);
        let mut pieces = Vec::new();
        for (li, l) in ls.iter().enumerate() {
            for (x0, x1, t) in chunks(&pc, l, COLUMN_GAP, Some(TAB_GAP)) {
                pieces.push((li, x0, x1, t));
            }
        }
        let skipped = skipped_cells(&ls, &tabbed, &pieces);
        (ls, tabbed, pieces, skipped)
    }

    fn page(lines: &[(&str, f32)]) -> PageContent {
        let mut pc = PageContent::default();
        for &(text, y) in lines {
            let mut x = 20.0;
            for ch in text.chars() {
                let w = if ch.is_ascii() { 5.0 } else { 10.0 };
                if ch == '|' {
                    x += w;
                    continue;
                }
                let t0 = pc.text.len() as u32;
                pc.text.push(if ch == '_' { ' ' } else { ch });
                let mut g = Glyph::upright(x, y, w, 10.0, t0, pc.text.len() as u32);
                g.space = ch == '_';
                pc.glyphs.push(g);
                x += w;
            }
        }
        pc
    }

    fn cut(lines: &[(&str, f32)]) -> Vec<Vec<String>> {
        let pc = page(lines);
        let idx: Vec<usize> = (0..pc.glyphs.len()).collect();
        let lines = lines_of(&pc, &idx);
        let tabbed = tabbed_lines(&pc, &lines);
        lines
            .iter()
            .zip(tabbed)
            .map(|(l, t)| {
                chunks(&pc, l, COLUMN_GAP, t.then_some(TAB_GAP))
                    .into_iter()
                    .map(|c| c.2)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn empty_cells_counted_in_tab_stops() {
        // `|` is a gap of one half-width column (5 pt); tab stops every 8 columns (40 pt) from
        // x 20, where the page's text starts.
        type Case<'a> = (&'a str, Vec<(&'a str, f32)>, Vec<Vec<usize>>);
        let cases: Vec<Case> = vec![
            (
                "two tabs in a row, a line opening with tabs",
                vec![
                    ("番号||||重点||||取組概要||||||||||||||||令和4年度", 20.0),
                    ("||||||||||||||||取組項目||||||||担当課", 33.0),
                    ("1-1-1-1|◎||||||窓口の改善||||||市民課", 46.0),
                ],
                vec![vec![0, 0, 0, 1], vec![2, 0], vec![0, 0, 0, 0]],
            ),
            (
                "a header row over the rows, their narrow gaps only further down",
                vec![
                    ("||||||||年度||||目標", 20.0),
                    ("||||||||令和3年度|||||||150|||||162", 33.0),
                    ("||||||||令和4年度|||||||140|||||151", 46.0),
                    ("||||||||令和5年度|||||||130|||||158", 59.0),
                    ("評価||||Ｃ||||||担当課||人事課", 72.0),
                ],
                vec![
                    vec![1, 0],
                    vec![1, 0, 0],
                    vec![1, 0, 0],
                    vec![1, 0, 0],
                    vec![0, 0, 0, 0],
                ],
            ),
            (
                "a row holding only a cell's wrapped rest, opening with tabs",
                vec![
                    ("No||||||取組||||所管||||内容", 20.0),
                    ("1|||||||見直し||経営課||点検し、", 33.0),
                    ("||||||||||||||||||||||||進める。", 46.0),
                    ("2|||||||改善||||施設課||計画に", 59.0),
                ],
                vec![
                    vec![0, 0, 0, 0],
                    vec![0, 0, 0, 0],
                    vec![3],
                    vec![0, 0, 0, 0],
                ],
            ),
            (
                "cell starts off any grid: nothing counted",
                vec![
                    ("番号|題名|||課", 20.0),
                    ("1||||改善|||市民課", 33.0),
                    ("2|||見直し||||管財課", 46.0),
                ],
                vec![vec![0, 0, 0], vec![0, 0, 0], vec![0, 0, 0]],
            ),
        ];
        for (what, lines, want) in cases {
            let (ls, _, pieces, skipped) = tab_pieces(&lines);
            let mut got: Vec<Vec<usize>> = vec![Vec::new(); ls.len()];
            for (p, n) in pieces.iter().zip(skipped) {
                got[p.0].push(n);
            }
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn columns_counted_in_tabs_keep_a_wrapped_rest_in_its_column() {
        // the title 見直しの徹底 runs past a stop, so 経営課 starts at col 24, where the rest of
        // 点検し、 starts too (three tabs): that rest is a row of its own in the fourth column, not
        // the department's second line
        let lines = [
            ("No||||||取組事項||||||||所管||||内容", 20.0),
            ("1|||||||見直しの徹底||||経営課||点検し、", 33.0),
            ("||||||||||||||||||||||||進める。", 46.0),
            ("2|||||||改善の推進||||||施設課||計画に", 59.0),
        ];
        let (ls, tabbed, pieces, skipped) = tab_pieces(&lines);
        let cols: Vec<Option<usize>> = piece_columns(&ls, &tabbed, &pieces, &skipped);
        assert_eq!(
            cols,
            vec![
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(0),
                Some(1),
                Some(2),
                Some(3)
            ]
        );
        let rows = super::super::layout_page(&page(&lines), &|_| None);
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
        assert_eq!(
            cells,
            vec![
                vec!["No", "取組事項", "所管", "内容"],
                vec!["1", "見直しの徹底", "経営課", "点検し、"],
                vec!["", "", "", "進める。"],
                vec!["2", "改善の推進", "施設課", "計画に"],
            ]
        );
    }

    #[test]
    fn narrow_gaps_part_cells_on_rows_that_repeat_them() {
        type Case<'a> = (&'a str, Vec<(&'a str, f32)>, Vec<Vec<&'a str>>);
        let cases: Vec<Case> = vec![
            (
                "rows of a tab-typed table, cells one or two columns apart",
                vec![("番号||題名|課", 20.0), ("1|||窓口の改善||市民課", 33.0)],
                vec![
                    vec!["番号", "題名", "課"],
                    vec!["1", "窓口の改善", "市民課"],
                ],
            ),
            (
                "a narrow gap on a line alone is no cell boundary",
                vec![
                    ("はじめに", 20.0),
                    ("本書は|改革の状況を示す", 33.0),
                    ("以上", 46.0),
                ],
                vec![
                    vec!["はじめに"],
                    vec!["本書は改革の状況を示す"],
                    vec!["以上"],
                ],
            ),
            (
                "a drawn space (a full-width space typed in the cell) stays inside the cell",
                vec![("評価_Ａ：達成", 20.0), ("課題_Ｂ：遅れ", 33.0)],
                vec![vec!["評価 Ａ：達成"], vec!["課題 Ｂ：遅れ"]],
            ),
            (
                "a wide gap on the next row is enough",
                vec![("取組|||||||||改善", 20.0), ("担当|総務課", 33.0)],
                vec![vec!["取組", "改善"], vec!["担当", "総務課"]],
            ),
            (
                "rows far apart are not one table",
                vec![("取組|改善", 20.0), ("担当|総務課", 80.0)],
                vec![vec!["取組改善"], vec!["担当総務課"]],
            ),
            (
                "a header row two bands above the first row",
                vec![
                    ("番号||題名", 20.0),
                    ("第一_改善", 33.0),
                    ("（一）_窓口", 46.0),
                    ("1|||窓口の改善", 59.0),
                ],
                vec![
                    vec!["番号", "題名"],
                    vec!["第一 改善"],
                    vec!["（一） 窓口"],
                    vec!["1", "窓口の改善"],
                ],
            ),
        ];
        for (what, lines, want) in cases {
            let want: Vec<Vec<String>> = want
                .into_iter()
                .map(|r| r.into_iter().map(String::from).collect())
                .collect();
            assert_eq!(cut(&lines), want, "{what}");
        }
    }

    #[test]
    fn the_tab_gap_is_the_wider_of_the_pdf_one_and_the_ocr_word_gaps() {
        // (page's measured OCR word gap, narrowest gap that parts cells)
        let cases = [
            (None, TAB_GAP),
            (Some(0.0), TAB_GAP),
            (Some(0.3), TAB_GAP),
            (Some(0.87), 0.87),
            (Some(2.5), COLUMN_GAP),
        ];
        for (word_gap, want) in cases {
            let pc = PageContent {
                ocr_word_gap: word_gap,
                ..PageContent::default()
            };
            assert_eq!(tab_gap(&pc), want, "{word_gap:?}");
        }
    }

    #[test]
    fn ocr_word_gaps_are_not_tab_gaps() {
        // `|` is a gap of half a character (5 pt at 10 pt): in a PDF, where a typed space is a
        // drawn glyph, such gaps coming back on the lines around part cells; on an OCR page whose
        // word gaps run to 0.8 of a character they are word spacing, and only the wider gap
        // (`|||`, 1.5 characters) parts cells.
        let lines = [
            ("令和|3|年度の実績|||目標", 20.0),
            ("令和|3|年度の実績|||目標", 33.0),
            ("令和|3|年度の実績|||目標", 46.0),
        ];
        let cases: [(Option<f32>, Vec<&str>); 3] = [
            (None, vec!["令和", "3", "年度の実績", "目標"]),
            (Some(0.3), vec!["令和", "3", "年度の実績", "目標"]),
            (Some(0.8), vec!["令和3年度の実績", "目標"]),
        ];
        for (word_gap, want) in cases {
            let mut pc = page(&lines);
            pc.ocr_word_gap = word_gap;
            let idx: Vec<usize> = (0..pc.glyphs.len()).collect();
            let ls = lines_of(&pc, &idx);
            let tabbed = tabbed_lines(&pc, &ls);
            for (l, t) in ls.iter().zip(tabbed) {
                let got: Vec<String> = chunks(&pc, l, COLUMN_GAP, t.then_some(tab_gap(&pc)))
                    .into_iter()
                    .map(|c| c.2)
                    .collect();
                assert_eq!(got, want, "{word_gap:?}");
            }
        }
    }
}
