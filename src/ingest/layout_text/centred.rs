//! Rows whose cells are centred in the row's height (a browser's table through
//! `pdftotext -layout`): a one-line cell, the row's number, sits on a middle line of the row with
//! the other cells' lines above and below it. The number is lifted to the row's first line, so
//! that the row reads from its top as a row of top-aligned cells does, and a number set one
//! space before the text of the next column is split from it.

use super::{spans, Span, ALIGN};
use std::collections::HashMap;

/// Columns every line of a text is moved right when a number is split from the text after it:
/// enough for the gap to be wider than a full-width space inside a cell.
const INDENT: usize = 4;

/// A row number opening a line: its first column, the column after it, and the column of the
/// text after it when one space follows.
type Number = (usize, usize, Option<usize>);

/// A row number opening a line in the first column (at most one space in).
fn number(line: &str) -> Option<Number> {
    let lead = line.chars().take_while(|&c| c == ' ').count();
    if lead > 1 {
        return None;
    }
    let head: String = line.chars().skip(lead).take_while(|&c| c != ' ').collect();
    if !is_number(&head) {
        return None;
    }
    let digits = head.chars().count();
    let end = lead + digits;
    let mut after = line.chars().skip(end);
    match (after.next(), after.next()) {
        (None, _) => Some((lead, end, None)),
        (Some(' '), Some(c)) if !c.is_whitespace() => Some((lead, end, Some(end + 1))),
        (Some(' '), _) => Some((lead, end, None)),
        _ => None,
    }
}

/// A row number: one to three digits, or numbers joined by hyphens (`2-1-1`), at most eight
/// characters.
fn is_number(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let n = text.chars().count();
    if parts.len() == 1 {
        (1..=3).contains(&n) && text.chars().all(|c| c.is_ascii_digit())
    } else {
        n <= 8
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    }
}

/// The first run's text of each line, white space removed, and on how many lines it opens.
pub(super) fn openers<S: AsRef<str>>(
    lines: impl IntoIterator<Item = S>,
    wide: bool,
) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for t in lines {
        if let Some(first) = super::runs::run_texts(t.as_ref(), wide).first() {
            let key: String = first.chars().filter(|c| !c.is_whitespace()).collect();
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

/// Whether a line opens with a text of four or more letters that opens three or more lines (the
/// label of a form's row, as `これまでの取組状況`): a row of its own, never part of the row above.
fn is_label(line: &str, openers: &HashMap<String, usize>, wide: bool) -> bool {
    super::runs::run_texts(line, wide).first().is_some_and(|t| {
        let key: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        key.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && openers.get(&key).is_some_and(|&n| n >= 3)
    })
}

/// Lift the number of each centred row to the row's first line, then split numbers set one space
/// before the text of the next column (its text starting where lines nearby start theirs). Pages
/// are changed in place; a text with no such rows is left unchanged.
#[cfg(test)]
pub(super) fn lift_centred(pages: &mut [Vec<(u32, String)>], wide: bool) {
    let openers = openers(pages.iter().flatten().map(|(_, t)| t), wide);
    let mut marks = Marks::default();
    for page in pages.iter_mut() {
        lift_page(page, &openers, wide);
        marks.add(page, wide);
    }
    if marks.indent() {
        for (_, t) in pages.iter_mut().flatten() {
            *t = indent(t);
        }
    }
}

/// What decides, over the whole text, whether a column of numbers is split from the text after
/// them ([`indent`] every line): a number set apart from the text after it somewhere, and a
/// number set one space before text starting where a nearby line's text starts somewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Marks {
    numbers: bool,
    split: bool,
}

impl Marks {
    /// Look at one page's lines, their centred rows lifted.
    pub(super) fn add(&mut self, page: &[(u32, String)], wide: bool) {
        // a column of numbers set apart from the text after them
        self.numbers |= page.iter().any(|(_, t)| {
            number(t).is_some_and(|(_, end, after)| {
                after.is_none()
                    && t.chars().skip(end).take(3).all(|c| c == ' ')
                    && t.len() > end + 3
            })
        });
        if self.split {
            return;
        }
        let firsts: Vec<Option<usize>> = page
            .iter()
            .map(|(_, t)| spans(t, wide).first().map(|s| s.start))
            .collect();
        for (i, (_, t)) in page.iter().enumerate() {
            let Some((_, _, Some(text))) = number(t) else {
                continue;
            };
            self.split |= (i.saturating_sub(2)..=i + 2)
                .filter(|&j| j != i)
                .filter_map(|j| firsts.get(j).copied().flatten())
                .any(|s| s.abs_diff(text) <= 1);
        }
    }

    /// Whether a number set one space before the text of the next column is split from it.
    pub(super) fn indent(&self) -> bool {
        self.numbers && self.split
    }
}

/// A line moved `INDENT` columns right, a row number (or `No.`) opening it kept in the first
/// column.
pub(super) fn indent(line: &str) -> String {
    if line.trim().is_empty() {
        return line.to_string();
    }
    let lead = line.chars().take_while(|&c| c == ' ').count();
    let head: String = line.chars().skip(lead).take_while(|&c| c != ' ').collect();
    let numbered = lead <= 1
        && !head.is_empty()
        && (is_number(&head)
            || (head.ends_with('.') && head.chars().all(|c| c.is_ascii_alphabetic() || c == '.')))
        && line.chars().nth(lead + head.chars().count()) == Some(' ');
    if numbered {
        let rest: String = line.chars().skip(lead + head.chars().count()).collect();
        format!("{head}{}{rest}", " ".repeat(INDENT + lead))
    } else {
        format!("{}{line}", " ".repeat(INDENT))
    }
}

/// Lift the numbers of one page's centred rows.
pub(super) fn lift_page(lines: &mut [(u32, String)], openers: &HashMap<String, usize>, wide: bool) {
    let original: Vec<String> = lines.iter().map(|(_, t)| t.clone()).collect();
    let all: Vec<Vec<Span>> = original.iter().map(|t| spans(t, wide)).collect();
    let first = |j: usize| all.get(j).and_then(|l| l.first()).map(|s| s.start);
    // a line of the row: text with the first column empty, not a row label of the form
    let open = |j: usize| {
        first(j).is_some_and(|s| s >= 2)
            && !original.get(j).is_some_and(|t| is_label(t, openers, wide))
    };
    for a in 1..original.len() {
        let Some(text) = original.get(a) else {
            continue;
        };
        let Some((_, end, after)) = number(text) else {
            continue;
        };
        // the line above has text with the first column empty, the line below too or none
        if first(a - 1).is_none_or(|s| s < 2) || first(a + 1).is_some_and(|s| s < 2) {
            continue;
        }
        let blanked: String = " ".repeat(end) + &text.chars().skip(end).collect::<String>();
        let mut own: Vec<usize> = spans(&blanked, wide).iter().map(|s| s.start).collect();
        own.extend(after);
        let mut cols = own.clone();
        for j in [a - 1, a + 1] {
            cols.extend(all.get(j).into_iter().flatten().map(|s| s.start));
        }
        let Some(title) = own.iter().min().copied().or_else(|| first(a + 1)) else {
            continue;
        };
        let aligned = |j: usize| {
            open(j)
                && all.get(j).is_some_and(|l| {
                    l.iter()
                        .all(|s| cols.iter().any(|&c| c.abs_diff(s.start) <= ALIGN))
                })
        };
        // lines of the row below its number; as many and two more above it at most, up to a
        // line in the title's column (a browser's converted table sets a few more lines above)
        let below = (a + 1..original.len()).take_while(|&j| aligned(j)).count();
        let mut top = None;
        for j in (a.saturating_sub(below + 2)..a).rev() {
            if !open(j) {
                // lines under a row's number continue that row (cells set from its top)
                if original.get(j).and_then(|t| number(t)).is_some() {
                    top = None;
                }
                break;
            }
            if first(j).is_some_and(|s| s.abs_diff(title) <= ALIGN) {
                top = Some(j);
            }
        }
        let Some(top) = top else {
            continue;
        };
        // lines above the top continuing a row set from its first line end the walk (that row's
        // wrapped cells, not the upper half of this one)
        let now = |j: usize| lines.get(j).map(|(_, t)| t.as_str()).unwrap_or_default();
        let above = (0..top)
            .rev()
            .find(|&j| spans(now(j), wide).first().is_none_or(|s| s.start < 2) || !open(j));
        if above.is_some_and(|j| number(now(j)).is_some()) {
            continue;
        }
        let Some(head) = original.get(top) else {
            continue;
        };
        if head.chars().take(end + 1).any(|c| c != ' ') {
            continue;
        }
        let number: String = text.chars().take(end).collect();
        let lifted = number + &head.chars().skip(end).collect::<String>();
        if let Some((_, t)) = lines.get_mut(top) {
            *t = lifted;
        }
        if let Some((_, t)) = lines.get_mut(a) {
            *t = blanked;
        }
    }
}

#[cfg(test)]
mod tests;
