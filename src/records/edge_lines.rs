//! Lines as the count of repeated block edges ([`super::RepeatedEdges`]) needs them. That count
//! runs over every line of a text read in windows before the windows are read, and asks of a
//! line only whether it is blank, a page number, or a single filled cell (and then its text).
//! A line with two cells that surely keep some text once cleaned is none of these, so it is
//! not cleaned: most lines of a report's body are such rows.

use super::line::{clean_line, Line};
use crate::source::SourceLine;

/// A line for the count of repeated edges.
pub(super) enum EdgeLine {
    /// Cleaned.
    Read(Line),
    /// Not cleaned: two of its cells surely keep text (on this page).
    Many(Option<u32>),
}

impl EdgeLine {
    /// The line as the count needs it: cleaned unless two of its cells surely keep text.
    pub(super) fn of(l: &SourceLine) -> EdgeLine {
        if l.cells.iter().filter(|c| keeps_text(c)).nth(1).is_some() {
            EdgeLine::Many(l.page)
        } else {
            EdgeLine::Read(clean_line(l))
        }
    }

    pub(super) fn page(&self) -> Option<u32> {
        match self {
            EdgeLine::Read(l) => l.page,
            EdgeLine::Many(p) => *p,
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        matches!(self, EdgeLine::Read(l) if l.is_blank())
    }

    pub(super) fn is_page_number(&self) -> bool {
        matches!(self, EdgeLine::Read(l) if super::furniture::page_number_line(l))
    }

    /// The text of a line of one filled cell.
    pub(super) fn single(&self) -> Option<String> {
        match self {
            EdgeLine::Read(l) if l.filled().count() == 1 => Some(l.joined()),
            _ => None,
        }
    }
}

/// Whether a raw cell surely keeps some text when cleaned ([`super::line::clean_cell`]): it
/// holds a kana, kanji or CJK punctuation character outside anything between `<` and `>`.
/// Cleaning removes only markup tags, decodes entities (ASCII), breaks paragraphs and
/// normalises, which maps such a character to itself; `false` is "not sure", never "empty".
fn keeps_text(raw: &str) -> bool {
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '\u{3001}'..='\u{3098}' | '\u{309B}'..='\u{9FFF}' if !in_tag => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::line::clean_cell;
    use crate::records::RepeatedEdges;

    #[test]
    fn a_cell_sure_to_keep_text_keeps_it() {
        // (raw cell, surely keeps text)
        let cases = [
            ("現状", true),
            ("　改革項目　", true),
            ("<ul style=\"x\"> ・繁忙期 </ul>", true),
            ("<p>成果</p>", true),
            ("<R3期末報告>", false),
            ("<br>", false),
            ("&nbsp;", false),
            ("123", false),
            ("ABC", false),
            ("\u{3000}", false),
            ("\u{FE0F}", false),
            ("", false),
            ("- 3 -", false),
            ("<span 題", false),
        ];
        for (raw, want) in cases {
            assert_eq!(keeps_text(raw), want, "{raw}");
            if want {
                assert!(!clean_cell(raw).is_empty(), "{raw}");
            }
        }
    }

    #[test]
    fn edges_from_lines_as_read_are_the_cleaned_lines_edges() {
        let line = |n: u32, page: Option<u32>, cells: &[&str]| SourceLine {
            page,
            line: n,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        // Documents: a running header over blocks, page numbers, rows of two cells at block
        // edges, cells that clean to nothing, pages changing without a blank line.
        let docs: Vec<Vec<SourceLine>> = vec![
            vec![
                line(1, None, &["行財政改革 進捗報告"]),
                line(2, None, &["改革項目", "1", "窓口の改善"]),
                line(3, None, &["現状", "<p>待ち時間が長い。</p>"]),
                line(4, None, &[""]),
                line(5, None, &["行財政改革 進捗報告"]),
                line(6, None, &["改革項目", "2", "電子申請"]),
                line(7, None, &["- 2 -"]),
                line(8, None, &["行財政改革 進捗報告"]),
                line(9, None, &["評価", "Ａ"]),
                line(10, None, &["<br>", "&nbsp;", "評価"]),
                line(11, None, &[]),
                line(12, None, &["<br>", "評価"]),
                line(13, None, &["評価", "<br>"]),
            ],
            vec![
                line(1, Some(1), &["市の計画"]),
                line(2, Some(1), &["項目", "内容"]),
                line(3, Some(1), &["1 / 2"]),
                line(4, Some(2), &["市の計画"]),
                line(5, Some(2), &["項目", "内容"]),
                line(6, Some(2), &["2 / 2"]),
                line(7, Some(3), &["項目", "内容"]),
                line(8, Some(3), &["市の計画"]),
                line(9, Some(4), &["市の計画", "", "　"]),
            ],
        ];
        for doc in docs {
            let cleaned = RepeatedEdges::of(doc.iter().map(clean_line));
            let read = RepeatedEdges::of_source(doc.iter().cloned());
            assert_eq!(read, cleaned);
            assert!(
                cleaned != RepeatedEdges::default(),
                "the test counts some edge"
            );
        }
    }
}
