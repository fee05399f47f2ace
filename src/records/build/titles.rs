//! Titles as printed on a record's first lines: a title wrapped onto the lines under it, and a
//! rating in brackets closing it.

use super::*;

/// `題【順調】` (`題〔順調〕`, `題［Ａ］` …) → (`題`, `順調`) when the bracketed word is a rating word
/// of the lexicon or a grade.
pub(super) fn trailing_rating(lex: &Lexicon, title: &str) -> Option<(String, String)> {
    let t = title.trim();
    let (open, close) = lexmod::FRAME_BRACKETS
        .into_iter()
        .find(|&(_, c)| t.ends_with(c))?;
    let body = t.strip_suffix(close)?;
    let k = body.rfind(open)?;
    let word = body.get(k + open.len_utf8()..)?.trim();
    let head = body.get(..k)?.trim();
    let grade = lex.rating_code(word, None).is_some() || is_bare_grade(lex, word);
    (!head.is_empty() && word.chars().count() <= 10 && grade)
        .then(|| (head.to_string(), word.to_string()))
}

/// A rating in brackets closing the item's own text under no label (`…を上回った。【順調】`), as a
/// paragraph written after its title ends with its progress word: the word, taken out of the text.
/// Only the last unlabelled paragraph is looked at, and only a word [`trailing_rating`] accepts.
pub(super) fn closing_rating(lex: &Lexicon, fields: &mut [FieldText]) -> Option<String> {
    let f = fields
        .iter_mut()
        .rev()
        .find(|f| f.label.trim().is_empty())?;
    let (head, word) = trailing_rating(lex, &f.text)?;
    f.text = head;
    Some(word)
}

/// Display width of a text, by East Asian Width as a space-aligned text is read.
pub(super) fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| crate::ingest::layout_text::width(c, true))
        .sum()
}

/// The column where the title starts on an item's first line (`一　題`: after the id and the
/// space after it), when a space sets it off from the id.
pub(super) fn title_column(cell: &str, id: &str) -> Option<usize> {
    let body = cell.trim_start();
    let lead = cell.get(..cell.len() - body.len()).unwrap_or("");
    let id_end = body
        .char_indices()
        .nth(id.chars().count())
        .map_or(body.len(), |(k, _)| k);
    let after = body.get(id_end..).unwrap_or("");
    let title = after.trim_start();
    let gap = after.get(..after.len() - title.len()).unwrap_or("");
    if gap.is_empty() || title.is_empty() {
        return None;
    }
    Some(display_width(lead) + display_width(body.get(..id_end).unwrap_or("")) + display_width(gap))
}

/// Whether a line continues a wrapped title: indented to the title's column, short, no sentence,
/// no label, mark or number of its own, under a title that is no sentence either.
pub(super) fn title_continues(lex: &Lexicon, cell: &str, col: usize, title: &str) -> bool {
    let body = cell.trim_start();
    let lead = cell.get(..cell.len() - body.len()).unwrap_or("");
    let plain = !body.is_empty()
        && body.chars().count() <= 30
        && !body.ends_with(['。', '.'])
        && !title.contains('。')
        && !body.starts_with(crate::records::HEADING_MARKS)
        && !body.starts_with(['▲', '△', '※', '(', '（', '【', '〔', '[', '<', '〈'])
        && ids::id_at_start(body).is_none()
        && !body.contains([':', '：'])
        && lex
            .classify(body.split_whitespace().next().unwrap_or(""))
            .is_none();
    plain && display_width(lead) == col
}
