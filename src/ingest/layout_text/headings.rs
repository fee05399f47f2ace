//! Numbered headings (`基本方針1　村民とともに進める村づくり`): the full-width space after the
//! heading's number or letter comes out of `pdftotext -layout` as three or four spaces, the width of a gap
//! between columns. A line of a numbered label and a text after such a gap is one heading, as the
//! PDF and the text set it, unless lines nearby have the same form with their text in the same
//! column (a table of labelled rows).

use super::{runs::run_texts, spans, NEAR};

/// The widest gap a full-width space becomes.
const NARROW_GAP: usize = 4;

/// A heading's label: a word and its number, two or more letters ending in a digit, no space
/// (`基本方針1`, `施策の柱2`), or a capital letter alone (`A`); not a row number or a year.
fn numbered_label(text: &str) -> bool {
    let n = text.chars().count();
    let letter = |c: char| c.is_ascii_uppercase() || ('Ａ'..='Ｚ').contains(&c);
    if n == 1 {
        return text.chars().all(letter);
    }
    (3..=8).contains(&n)
        && !text.contains(' ')
        && text
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// A heading's text: four or more letters.
fn worded(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

/// The column of the text after a numbered label, when a line is a label and one text after a
/// narrow gap.
fn heading(line: &str, wide: bool) -> Option<(usize, usize)> {
    let sp = spans(line, wide);
    let runs = run_texts(line, wide);
    match (sp.as_slice(), runs.as_slice()) {
        ([a, b], [label, text])
            if numbered_label(label) && worded(text) && b.start - a.end <= NARROW_GAP =>
        {
            Some((a.end, b.start))
        }
        _ => None,
    }
}

/// Join each numbered heading's label and text with one space.
pub(super) fn join_headings(pages: &mut [Vec<(u32, String)>], wide: bool) {
    for page in pages.iter_mut() {
        let found: Vec<Option<(usize, usize)>> =
            page.iter().map(|(_, t)| heading(t, wide)).collect();
        for (i, (_, t)) in page.iter_mut().enumerate() {
            let Some(Some((_, start))) = found.get(i).copied() else {
                continue;
            };
            // labelled rows of a table: the same form nearby, the text in the same column
            let table = found
                .iter()
                .enumerate()
                .skip(i.saturating_sub(NEAR))
                .take(2 * NEAR + 1)
                .any(|(j, h)| j != i && h.is_some_and(|(_, s)| s.abs_diff(start) <= 1));
            if table {
                continue;
            }
            let label: String = run_texts(t, wide).first().cloned().unwrap_or_default();
            let lead: String = t.chars().take_while(|c| c.is_whitespace()).collect();
            let text: String = run_texts(t, wide).get(1).cloned().unwrap_or_default();
            *t = format!("{lead}{label} {text}");
        }
    }
}

#[cfg(test)]
mod tests;
