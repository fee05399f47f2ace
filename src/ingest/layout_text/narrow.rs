//! Cells one space apart: a table typed with tabs, printed as plain text and turned back into
//! text by `pdftotext -layout`. A tab runs to the next tab stop, so two cells can be as little as
//! one half-width column apart on the page, and the converter sets them one space apart, as it
//! sets the words of a cell; nothing but the shape of the whole text tells the two apart.
//!
//! Such a text has gaps of one space between two wide characters (Japanese text has no spaces
//! between words) on most of its table lines (those with a gap of three or more spaces between
//! words), each a whole row opening at the left edge, where a text whose table cells are set
//! apart by wide gaps has them on few (a wrapped cell's lines joined, a name's family and given
//! names) and a table whose cells wrap and are centred in their rows' height has many of them on
//! lines opening further right. In a text of that shape, every gap between words on a table line
//! is a gap between cells: it is widened to five spaces at least, so that the layout engine parts
//! the cells there (as it parts cells at a PDF's tab gaps) and does not take a gap of three or
//! four spaces for a full-width space inside a cell. A single space between two entries of a
//! listing (`○…した。 ○…`) stays: the entries of one cell.

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
        // a one-character label opening the line (`ア 窓口の…`) is a list entry's, not a cell
        if chars
            .windows(3)
            .enumerate()
            .any(|(i, w)| i > 0 && w.get(1) == Some(&' ') && wide(w.first()) && wide(w.get(2)))
        {
            self.narrow += 1;
        }
    }

    /// Whether the text sets its cells one space apart: at least half its table lines (and
    /// [`MIN_LINES`]) open at the left edge and have a one-space gap between wide characters.
    pub(super) fn cut(&self) -> bool {
        self.table >= MIN_LINES && self.narrow * SHARE >= self.table
    }
}

/// A table line's gaps between words widened to [`WIDENED`] spaces at least, but for the space
/// between two entries of one listing cell ([`entries_run_on`]) (a line with no gap of three or more
/// spaces is left as it is).
pub(super) fn widen(line: &str) -> String {
    if !gapped(line) {
        return line.to_string();
    }
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
