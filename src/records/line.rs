//! The lines the engine reads: each source line's cells cleaned (HTML tags to paragraph breaks,
//! entities decoded, characters normalised), keeping their positions.

use crate::normalize::normalize_cow;
use crate::source::SourceLine;

/// A content line after HTML removal and normalisation. Cells keep their positions; a cell may
/// hold several visual lines or paragraphs separated by `\n`.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub line: u32,
    pub page: Option<u32>,
    pub cells: Vec<String>,
}

impl Line {
    /// A line of the given cells at line 1 with no page (for tests).
    #[cfg(test)]
    pub(crate) fn of(cells: &[&str]) -> Line {
        Line {
            line: 1,
            page: None,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
    /// Non-empty cells with their positions.
    pub fn filled(&self) -> impl Iterator<Item = (usize, &str)> {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| (i, c.as_str()))
    }
    pub fn first(&self) -> &str {
        self.cells.first().map(String::as_str).unwrap_or("")
    }
    /// The non-empty cells joined by tabs (for whole-line patterns and messages).
    pub fn joined(&self) -> String {
        let mut out = String::new();
        self.joined_into(&mut out);
        out
    }

    /// [`Line::joined`] into a reused buffer (cleared first).
    pub fn joined_into(&self, out: &mut String) {
        out.clear();
        for c in self.cells.iter().filter(|c| !c.is_empty()) {
            if !out.is_empty() {
                out.push('\t');
            }
            out.push_str(c);
        }
    }
}

/// HTML elements whose tags are removed from cells (they become paragraph breaks).
const HTML_TAGS: &[&str] = &[
    "ul", "ol", "li", "p", "br", "div", "span", "table", "tbody", "thead", "tr", "td", "th", "b",
    "i", "u", "strong", "em", "font", "sup", "sub",
];

/// Length of an HTML tag of a known element starting at `s` (which starts with `<`), if any.
fn html_tag_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    let name = rest.get(..name_len)?;
    if !HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return None;
    }
    // The name must end the word: `<p>`, `<p class=..>`, `<br/>`.
    match rest.as_bytes().get(name_len) {
        Some(b'>' | b' ' | b'/' | b'\t') => {}
        _ => return None,
    }
    let end = s.find('>')?;
    Some(end + 1)
}

/// Replace known HTML tags by `\n`.
fn strip_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match html_tag_len(tail) {
            Some(n) => {
                out.push('\n');
                rest = &tail[n..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turn one raw cell into normalised text: HTML tags become paragraph breaks (`\n`), entities are
/// decoded, each paragraph is normalised, empty paragraphs dropped.
pub fn clean_cell(raw: &str) -> String {
    if raw.trim().is_empty() {
        return String::new();
    }
    let replaced;
    let text: &str = if raw.contains('<') {
        replaced = strip_tags(raw);
        &replaced
    } else {
        raw
    };
    let decoded;
    let text: &str = if text.contains('&') {
        decoded = text
            .replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        &decoded
    } else {
        text
    };
    // A sentence end followed by white space is a paragraph break (list items that lost their
    // marks, `<p>` paragraphs flattened to one line).
    let breaks;
    let text: &str = if let Some(b) = sentence_breaks(text) {
        breaks = b;
        &breaks
    } else {
        text
    };
    if !text.contains('\n') {
        return normalize_cow(text).into_owned();
    }
    let mut out = String::with_capacity(text.len());
    for para in text.split('\n') {
        let n = normalize_cow(para);
        if n.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&n);
    }
    out
}

/// Clean every cell of a source line.
pub fn clean_line(src: &SourceLine) -> Line {
    let mut cells: Vec<String> = src.cells.iter().map(|c| clean_cell(c)).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    Line {
        line: src.line,
        page: src.page,
        cells,
    }
}

/// The text with white space after each `。` turned into a paragraph break, or None when there is
/// no such place (one pass, no allocation in the common case).
fn sentence_breaks(text: &str) -> Option<String> {
    let is_break = |rest: &str| rest.starts_with([' ', '\u{3000}', '\t']);
    let first = text
        .match_indices('。')
        .find(|(i, _)| is_break(text.get(i + 3..).unwrap_or("")))?
        .0;
    let mut out = String::with_capacity(text.len());
    let mut chars = text.get(first..).unwrap_or("").chars().peekable();
    out.push_str(text.get(..first).unwrap_or(""));
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '。'
            && chars
                .peek()
                .is_some_and(|n| matches!(n, ' ' | '\u{3000}' | '\t'))
        {
            chars.next();
            out.push('\n');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_lose_html_and_keep_paragraphs() {
        let cases = [
            (
                "<ul style=\"list-style-type: none\"> ・a ・b </ul>",
                "・a ・b",
            ),
            ("<p>○成果</p> <p>▲課題</p>", "○成果\n▲課題"),
            ("一行目<br>二行目", "一行目\n二行目"),
            ("<R3期末報告>", "<R3期末報告>"),
            ("<実績> 4月", "<実績> 4月"),
            ("a &amp; b", "a & b"),
            ("文一。 文二。", "文一。\n文二。"),
            ("   ", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_cell(raw), want, "{raw}");
        }
    }
}
