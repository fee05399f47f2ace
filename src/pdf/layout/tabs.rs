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

/// Gaps of a line with no glyph drawn in them: (narrow ones, from [`TAB_GAP`] to [`COLUMN_GAP`]
/// × size; all from [`TAB_GAP`] up).
fn open_gaps(pc: &PageContent, line: &Line) -> (usize, usize) {
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
            if !saw_space && gap >= TAB_GAP * size {
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

/// Which lines (in baseline order) are cut at narrow gaps too: a line with a narrow gap that has a
/// line with a gap with nothing drawn in it among the [`ROW_REACH`] lines above or below it, at
/// most [`ROW_DISTANCE`] sizes away.
pub(super) fn tabbed_lines(pc: &PageContent, lines: &[Line]) -> Vec<bool> {
    let gaps: Vec<(usize, usize)> = lines.iter().map(|l| open_gaps(pc, l)).collect();
    let near = |a: usize, b: usize| match (lines.get(a), lines.get(b)) {
        (Some(x), Some(y)) => {
            (x.baseline - y.baseline).abs() <= ROW_DISTANCE * x.size.max(y.size)
                && gaps.get(b).is_some_and(|g| g.1 > 0)
        }
        _ => false,
    };
    (0..lines.len())
        .map(|i| {
            gaps.get(i).is_some_and(|g| g.0 > 0)
                && (i.saturating_sub(ROW_REACH)..=i + ROW_REACH).any(|j| j != i && near(i, j))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{chunks, lines_of};
    use super::*;
    use crate::pdf::interp::Glyph;

    /// A page of lines `(text, baseline)`, 10 pt, left edge 20: a full-width character is 10 wide,
    /// others 5; `_` is a space glyph (5 wide) and `|` a gap of 5 with nothing drawn in it.
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
}
