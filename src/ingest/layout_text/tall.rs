//! Row labels wrapped in a narrow first column of a tall row (a browser's table through
//! `pdftotext -layout`): the label `これまでの取組状況と今後の見通し` comes out as two or three
//! pieces, each set on the line where it falls in the row's height, between the lines of the
//! text the row holds in its wider column (the lines of that text above the label's first piece
//! belong to the row too, the label being centred in the row's height).
//!
//! A label is recognised by the form repeating it: the pieces set in one column, one under the
//! other with only lines of the wider column (or blank lines) between them, joined into a text
//! that three or more such stacks of the document give. The row is rebuilt as one line of the
//! label and the first paragraph of its text, then a line for each further paragraph (a line
//! opening with a list mark starts one), so that the layout reads it as a row of two cells.

use super::{spans, width, ALIGN};
use crate::pdf::layout::starts_entry;
use std::collections::HashMap;

/// Pieces a label is wrapped into at most.
const MAX_PIECES: usize = 4;
/// Lines of the row's text between two pieces of its label at most.
const MAX_BETWEEN: usize = 4;
/// Longest piece, in characters.
const MAX_PIECE: usize = 20;
/// Stacks of pieces a document gives the same label in at least.
const REPEATS: usize = 3;

/// A line opening with a piece of a label: the piece's first and end column and its text, and
/// the text after it (with its column) when there is one.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    col: usize,
    end: usize,
    text: String,
    rest: Option<(usize, String)>,
}

/// A character and its column.
type Placed = (usize, char);

/// A rebuilt row: its first and last line, and its lines.
type TallRow = (usize, usize, Vec<(u32, String)>);

/// Columns of each character of a line.
fn columns(line: &str, wide: bool) -> Vec<(usize, char)> {
    let mut col = 0usize;
    line.chars()
        .map(|c| {
            let at = col;
            col += width(c, wide);
            (at, c)
        })
        .collect()
}

/// The piece of a label a line opens with: its first run up to a list mark or a single space
/// (`これまでの取 ○民間事業者の…`, `の見通し○職員…`), words with no figure, and the one text
/// after it when there is one.
fn piece(line: &str, wide: bool) -> Option<Piece> {
    let sp = spans(line, wide);
    let first = *sp.first()?;
    if sp.len() > 2 {
        return None;
    }
    let chars = columns(line, wide);
    let run: Vec<(usize, char)> = chars
        .iter()
        .copied()
        .filter(|&(c, ch)| c >= first.start && c < first.end && !ch.is_control())
        .collect();
    // where the run is cut: a list mark or a space after the first character
    let cut = run.iter().enumerate().skip(1).find(|(_, &(_, ch))| {
        ch == ' ' || ch == '\u{3000}' || starts_entry(&ch.to_string()) && !matches!(ch, '(' | '-')
    });
    let (head, tail): (Vec<Placed>, Vec<Placed>) = match cut {
        Some((k, _)) => (
            run.get(..k).unwrap_or_default().to_vec(),
            run.get(k..).unwrap_or_default().to_vec(),
        ),
        None => (run.clone(), Vec::new()),
    };
    let text: String = head.iter().map(|&(_, c)| c).collect();
    let n = text.chars().count();
    if n == 0
        || n > MAX_PIECE
        || starts_entry(&text)
        || !text.chars().all(|c| c.is_alphabetic() || c == 'ー')
    {
        return None;
    }
    let end = head
        .last()
        .map_or(first.start, |&(c, ch)| c + width(ch, wide));
    let tail: Vec<(usize, char)> = tail
        .into_iter()
        .skip_while(|&(_, c)| c == ' ' || c == '\u{3000}')
        .collect();
    let rest = match (tail.first(), sp.get(1)) {
        (Some(_), Some(_)) => return None,
        (Some(&(c, _)), None) => Some((c, tail.iter().map(|&(_, ch)| ch).collect())),
        (None, Some(s)) => Some((s.start, text_of(&chars, s.start, s.end))),
        (None, None) => None,
    };
    Some(Piece {
        col: first.start,
        end,
        text,
        rest,
    })
}

/// The text of a line between two columns.
fn text_of(chars: &[(usize, char)], start: usize, end: usize) -> String {
    chars
        .iter()
        .filter(|&&(c, _)| c >= start && c < end)
        .map(|&(_, c)| c)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The first column with text of a line.
fn first_col(line: &str, wide: bool) -> Option<usize> {
    spans(line, wide).first().map(|s| s.start)
}

/// The stack of pieces from line `i`: the lines of pieces set in its column (a column or two
/// off), with at most `MAX_BETWEEN` lines right of it (the row's text) between two of them.
fn stack(lines: &[(u32, String)], (i, end): (usize, usize), wide: bool) -> Vec<(usize, Piece)> {
    let Some(p0) = lines.get(i).and_then(|(_, t)| piece(t, wide)) else {
        return Vec::new();
    };
    let col = p0.col;
    let mut out = vec![(i, p0)];
    let mut between = 0usize;
    // a label's pieces are on one page
    for (j, (_, t)) in lines.iter().enumerate().take(end).skip(i + 1) {
        if out.len() >= MAX_PIECES {
            break;
        }
        let Some(start) = first_col(t, wide) else {
            continue;
        };
        if start.abs_diff(col) <= ALIGN {
            match piece(t, wide) {
                Some(p) => {
                    out.push((j, p));
                    between = 0;
                }
                None => break,
            }
        } else if start > col + ALIGN && between < MAX_BETWEEN && spans(t, wide).len() == 1 {
            // a line of the row's text: one run (a page's footer or a table row is not)
            between += 1;
        } else {
            break;
        }
    }
    out
}

/// White space removed.
fn key(pieces: &[(usize, Piece)]) -> String {
    pieces
        .iter()
        .flat_map(|(_, p)| p.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// How often the document gives a text: as the pieces of a stack, over every way of cutting
/// stacks (`all`), and as one piece alone (`whole`).
#[derive(Debug, Default)]
pub(super) struct Counts {
    all: HashMap<String, usize>,
    whole: HashMap<String, usize>,
}

impl Counts {
    /// Whether the first `n` pieces of a stack are a label: a text of four or more letters that
    /// `REPEATS` stacks give; when wrapped (two or more pieces), also standing whole on a line
    /// somewhere or wrapped in more ways than one (more stacks give it than give its first piece
    /// alone): the labels of a form set one under the other in each row are not one label.
    fn is_label(&self, pieces: &[(usize, Piece)]) -> bool {
        let k = key(pieces);
        let n = |m: &HashMap<String, usize>, k: &str| m.get(k).copied().unwrap_or(0);
        if k.chars().count() < 4 || n(&self.all, &k) < REPEATS {
            return false;
        }
        pieces.len() < 2
            || n(&self.whole, &k) > 0
            || n(&self.all, &k) > n(&self.all, &key(pieces.get(..1).unwrap_or_default()))
    }
}

impl Counts {
    /// Count the stacks of one page (the counts are taken over every page of the text).
    pub(super) fn add_page(&mut self, page: &[(u32, String)], wide: bool) {
        for i in 0..page.len() {
            let st = stack(page, (i, page.len()), wide);
            for n in 1..=st.len() {
                let k = key(st.get(..n).unwrap_or_default());
                if n == 1 {
                    *self.whole.entry(k.clone()).or_insert(0) += 1;
                }
                *self.all.entry(k).or_insert(0) += 1;
            }
        }
    }
}

/// Rebuild one page's tall rows of wrapped labels the form repeats (by the counts of the whole
/// text); the page unchanged when it has none.
pub(super) fn rebuild_page(page: &mut Vec<(u32, String)>, counts: &Counts, wide: bool) {
    let ends = vec![page.len(); page.len()];
    let (rebuilt, changed) = rebuild(page, &ends, counts, wide);
    if changed {
        *page = rebuilt.into_iter().map(|(_, l)| l).collect();
    }
}

/// Rebuild the tall rows of wrapped labels the form repeats; pages unchanged when it has none.
#[cfg(test)]
pub(super) fn join_tall_rows(pages: &mut [Vec<(u32, String)>], wide: bool) {
    let mut counts = Counts::default();
    for page in pages.iter() {
        counts.add_page(page, wide);
    }
    for page in pages.iter_mut() {
        rebuild_page(page, &counts, wide);
    }
}

/// The lines rebuilt, each with the index of the line it comes from (a rebuilt row's lines: its
/// first line), and whether a row was.
type Rebuilt = (Vec<(usize, (u32, String))>, bool);

fn rebuild(lines: &[(u32, String)], ends: &[usize], counts: &Counts, wide: bool) -> Rebuilt {
    let mut out: Vec<(usize, (u32, String))> = Vec::new();
    let mut changed = false;
    let mut i = 0usize;
    // the first line not taken by a rebuilt row
    let mut floor = 0usize;
    while i < lines.len() {
        let end = ends.get(i).copied().unwrap_or(0);
        match tall_row(lines, (i, floor, end), counts, wide) {
            Some((top, bottom, rows)) => {
                // lines above the label already copied belong to its row
                out.truncate(out.len() - (i - top));
                out.extend(rows.into_iter().map(|r| (top, r)));
                i = bottom + 1;
                floor = i;
                changed = true;
            }
            None => {
                if let Some(l) = lines.get(i) {
                    out.push((i, l.clone()));
                }
                i += 1;
            }
        }
    }
    (out, changed)
}

/// The tall row whose label starts on line `i`: its first and last line and its lines rebuilt.
fn tall_row(
    page: &[(u32, String)],
    (i, floor, end): (usize, usize, usize),
    counts: &Counts,
    wide: bool,
) -> Option<TallRow> {
    let st = stack(page, (i, end), wide);
    // the longest stack the form repeats
    let n = (1..=st.len())
        .rev()
        .find(|&n| counts.is_label(st.get(..n).unwrap_or_default()))?;
    let pieces = st.get(..n)?;
    let (first, p0) = pieces.first()?;
    let (last, _) = pieces.last()?;
    let label_end = pieces.iter().map(|(_, p)| p.end).max()?;
    // the column of the row's text: the nearest line's right of the label, else the text after
    // a piece
    let near = (first + 1..page.len())
        .chain((0..*first).rev())
        .filter(|j| !pieces.iter().any(|(k, _)| k == j))
        .filter_map(|j| first_col(&page.get(j)?.1, wide))
        .find(|&s| s >= label_end);
    let text_col = near.or_else(|| {
        pieces
            .iter()
            .find_map(|(_, p)| p.rest.as_ref().map(|r| r.0))
    })?;
    // a line of the row's text: one run (not a row of a table's cells), in the text's column
    let in_text = |j: usize| {
        page.get(j).is_some_and(|(_, t)| {
            let sp = spans(t, wide);
            sp.len() == 1
                && sp
                    .first()
                    .is_some_and(|s| s.start >= label_end && s.start <= text_col + ALIGN)
        })
    };
    let blank = |j: usize| page.get(j).is_some_and(|(_, t)| t.trim().is_empty());
    // the row's text above the label, up to a line that is not (a row above; not a label's row
    // of its own, whose wrapped text these lines would be)
    let mut top = *first;
    let mut j = *first;
    // (two blank lines end it: the space between two rows)
    while j > floor && (in_text(j - 1) || (blank(j - 1) && !(j >= 2 && blank(j - 2)))) {
        j -= 1;
        if in_text(j) {
            top = j;
        }
    }
    if top < *first && j > 0 {
        let stop = page.get(j - 1).map(|(_, t)| t.as_str()).unwrap_or_default();
        // a label alone (not wrapped) takes no text from above a line in its column: the row
        // of a form's label set at the top of its row, its text wrapped below it
        let labelled = if n < 2 {
            first_col(stop, wide).is_some_and(|s| s.abs_diff(p0.col) <= ALIGN)
        } else {
            piece(stop, wide).is_some_and(|p| p.col.abs_diff(p0.col) <= ALIGN && p.rest.is_some())
        };
        if labelled {
            top = *first;
        }
    }
    // and below its last piece
    let mut bottom = *last;
    let mut j = *last + 1;
    while j < page.len() && (in_text(j) || blank(j)) {
        if in_text(j) {
            bottom = j;
        }
        j += 1;
    }
    if n < 2 && top == *first {
        return None;
    }
    // the row's text in paragraphs, each from its first line
    let mut paragraphs: Vec<(u32, String)> = Vec::new();
    for j in top..=bottom {
        let Some((src, t)) = page.get(j) else {
            continue;
        };
        let text = match pieces.iter().find(|(k, _)| *k == j) {
            Some((_, p)) => p.rest.as_ref().map(|r| r.1.clone()),
            None => Some(t.trim().to_string()),
        };
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            continue;
        };
        match paragraphs.last_mut() {
            Some((_, para)) if !starts_entry(&text) => {
                let a = para.chars().next_back().unwrap_or(' ');
                let b = text.chars().next().unwrap_or(' ');
                if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                    para.push(' ');
                }
                para.push_str(&text);
            }
            _ => paragraphs.push((*src, text)),
        }
    }
    let label: String = pieces.iter().map(|(_, p)| p.text.as_str()).collect();
    let label_width: usize = label.chars().map(|c| width(c, wide)).sum();
    let col = text_col.max(p0.col + label_width + 4);
    let src = page.get(top).map_or(0, |(s, _)| *s);
    let mut rows = Vec::new();
    let head = format!("{}{label}", " ".repeat(p0.col));
    let pad = col.saturating_sub(p0.col + label_width);
    let mut paras = paragraphs.into_iter();
    match paras.next() {
        Some((_, first)) => rows.push((src, format!("{head}{}{first}", " ".repeat(pad)))),
        None => rows.push((src, head)),
    }
    rows.extend(paras.map(|(s, t)| (s, format!("{}{t}", " ".repeat(col)))));
    Some((top, bottom, rows))
}

#[cfg(test)]
mod tests;
