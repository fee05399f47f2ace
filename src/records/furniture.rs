//! Page furniture: page numbers, lines repeated at the edges of pages or blocks (running headers
//! and footers), and rule lines drawn in characters. Such lines are no record's content.

use super::line::Line;
use super::strip_ws;
use crate::fields::lexicon::{self as lexmod, Lexicon};
use crate::records::ids;
use rustc_hash::FxHashMap as HashMap;

/// Page numbers (`- 3 -`, `3 / 12`, `P.3`).
pub(super) fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t
        .trim_start_matches(['-', '‐', '－', '—', '–', '―'])
        .trim_end_matches(['-', '‐', '－', '—', '–', '―']);
    let dashed = inner.len() < t.len();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if dashed && digits(inner) {
        return true;
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    let p = t
        .trim_start_matches("P.")
        .trim_start_matches("p.")
        .trim_start_matches('P');
    p.len() < t.len() && digits(p)
}

/// A line holding a page number alone (`1 / 2`, `- 3 -`): where one page ends and the next
/// begins, as a blank line or a page change is.
pub(super) fn page_number_line(l: &Line) -> bool {
    l.filled().count() == 1 && is_page_number(&l.joined())
}

/// Lines printed again on every page: page numbers, and single-cell lines repeated at a page's top
/// or bottom (a page is a run of lines between page changes or blank lines).
pub fn furniture(lines: &[Line]) -> Vec<bool> {
    furniture_with(lines, None)
}

/// The single-cell lines at the edges of blocks (between blank lines and page changes) whose text comes at least twice
/// at such an edge in the whole document (by a hash of the text without white space): what
/// [`furniture`] counts over the lines it is given, taken from the whole document when it is
/// read in windows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepeatedEdges(std::collections::HashSet<u64>);

impl RepeatedEdges {
    /// Count the edges over all lines of a document, in order.
    pub fn of(lines: impl Iterator<Item = Line>) -> Self {
        Self::of_edges(lines.map(super::edge_lines::EdgeLine::Read))
    }

    /// [`RepeatedEdges::of`] over the lines as read, each cleaned only when it may matter
    /// ([`super::edge_lines::EdgeLine::of`]): the same edges, without cleaning every line.
    pub fn of_source(lines: impl Iterator<Item = crate::source::SourceLine>) -> Self {
        Self::of_edges(lines.map(|l| super::edge_lines::EdgeLine::of(&l)))
    }

    fn of_edges(lines: impl Iterator<Item = super::edge_lines::EdgeLine>) -> Self {
        let mut counts: HashMap<u64, u8> = HashMap::default();
        let mut count = |l: &super::edge_lines::EdgeLine| {
            if let Some(text) = l.single() {
                let n = counts.entry(edge_hash(&text)).or_insert(0);
                *n = n.saturating_add(1);
            }
        };
        // The first and last non-blank line of the block being read.
        let mut start: Option<super::edge_lines::EdgeLine> = None;
        let mut last: Option<super::edge_lines::EdgeLine> = None;
        let mut page: Option<Option<u32>> = None;
        for l in lines {
            // a block also ends where a page does
            let new_page = page.is_some_and(|p| p != l.page());
            page = Some(l.page());
            let number = l.is_page_number();
            let blank = l.is_blank();
            if blank || new_page || number {
                if let Some(s) = start.take() {
                    count(&s);
                }
                if let Some(e) = last.take() {
                    count(&e);
                }
            }
            if blank || number {
                continue;
            }
            if start.is_none() {
                start = Some(l);
            } else {
                last = Some(l);
            }
        }
        if let Some(s) = start.take() {
            count(&s);
        }
        if let Some(e) = last.take() {
            count(&e);
        }
        RepeatedEdges(
            counts
                .into_iter()
                .filter(|&(_, n)| n >= 2)
                .map(|(h, _)| h)
                .collect(),
        )
    }

    fn holds(&self, text: &str) -> bool {
        self.0.contains(&edge_hash(text))
    }
}

fn edge_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    strip_ws(text).hash(&mut h);
    h.finish()
}

/// [`furniture`], with the repeated edges of the whole document when `lines` are a window of it.
pub fn furniture_with(lines: &[Line], repeated: Option<&RepeatedEdges>) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    // Chunk edges: first and last non-blank line of each chunk.
    let mut edge = vec![false; lines.len()];
    let mut start: Option<usize> = None;
    let mut last: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        let new_page = i > 0 && lines.get(i - 1).is_some_and(|p| p.page != l.page);
        let number = page_number_line(l);
        if l.is_blank() || new_page || number {
            mark_edges(&mut edge, start, last);
            start = None;
            last = None;
        }
        if !l.is_blank() && !number {
            if start.is_none() {
                start = Some(i);
            }
            last = Some(i);
        }
    }
    mark_edges(&mut edge, start, last);
    let first_line = lines.iter().position(|l| !l.is_blank()).unwrap_or(0);
    let title_key = lines
        .get(first_line)
        .map(|l| strip_ws(&l.joined()))
        .unwrap_or_default();
    let mut counts: HashMap<String, usize> = HashMap::default();
    for (i, l) in lines.iter().enumerate() {
        if edge.get(i).copied().unwrap_or(false) && l.filled().count() == 1 {
            *counts.entry(strip_ws(&l.joined())).or_insert(0) += 1;
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() || l.filled().count() != 1 {
            continue;
        }
        let text = l.joined();
        let at_edge = edge.get(i).copied().unwrap_or(false);
        // A page header repeating (the start of) the title line on a later page; the whole title
        // again is one wherever it stands (a text whose pages are not set apart by blank lines).
        let key = strip_ws(&text);
        let title_again = i > first_line
            && text.chars().count() >= 6
            && (key == title_key || (at_edge && title_key.starts_with(&key)));
        // A value standing under its label's column (`| | 順調`) is no page header.
        let in_first_cell = l.cells.first().is_some_and(|c| !c.trim().is_empty());
        let repeated = at_edge
            && in_first_cell
            && match repeated {
                Some(r) => r.holds(&text),
                None => counts.get(&strip_ws(&text)).copied().unwrap_or(0) >= 2,
            }
            && ids::id_at_start(&text).is_none()
            && !is_label_value(&text);
        // A bare number alone at the foot or head of a page is its page number.
        let bare = at_edge && {
            let t = text.trim();
            !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
        };
        if is_page_number(&text) || repeated || bare || title_again {
            if let Some(o) = out.get_mut(i) {
                *o = true;
            }
        }
    }
    for i in counted_pages(lines) {
        if let Some(o) = out.get_mut(i) {
            *o = true;
        }
    }
    // Rule lines (`------ | --- | -----`, `|---|---|`): table borders drawn in characters.
    for (i, l) in lines.iter().enumerate() {
        if !l.is_blank()
            && l.filled().all(|(_, c)| is_rule(c))
            && l.filled().map(|(_, c)| c.chars().count()).sum::<usize>() >= 3
        {
            if let Some(o) = out.get_mut(i) {
                *o = true;
            }
        }
    }
    out
}

/// Bare numbers counting the pages: when every line holding a number alone (`1`, `2`, `3`) holds,
/// in document order, one more than the one before, and there are two such lines at least, they
/// are page numbers wherever they stand (a text whose pages are not set apart by blank lines).
fn counted_pages(lines: &[Line]) -> Vec<usize> {
    let bare: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let [(0, one)] = l.filled().collect::<Vec<_>>()[..] else {
                return None;
            };
            let t = one.trim();
            let n = (t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()))
                .then(|| t.parse::<u32>().ok())
                .flatten()?;
            Some((i, n))
        })
        .collect();
    let counts = bare.len() >= 2
        && bare
            .windows(2)
            .all(|w| matches!(w, [(_, a), (_, b)] if *b == a + 1));
    if counts {
        bare.into_iter().map(|(i, _)| i).collect()
    } else {
        vec![]
    }
}

/// A `label：value` line (`評価：達成`): a record's content even when several records end with
/// the same one, never a page header.
fn is_label_value(text: &str) -> bool {
    text.split_once([':', '：']).is_some_and(|(label, value)| {
        let n = label.trim().chars().count();
        (1..=10).contains(&n) && !value.trim().is_empty()
    })
}

/// A cell drawn of rule characters only (`-----`, `|:--|`, `===`).
pub(super) fn is_rule(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '-' | '|' | ':' | '=' | '+' | '─' | '━' | '－' | ' '))
}

fn mark_edges(edge: &mut [bool], start: Option<usize>, last: Option<usize>) {
    for k in [start, last].into_iter().flatten() {
        if let Some(e) = edge.get_mut(k) {
            *e = true;
        }
    }
}

/// A label the lexicon knows, set off from a short value by white space (`評価　Ａ`, `進捗　順調`):
/// a record's closing line even when several records end with the same one.
/// A line that is a label the lexicon knows, framed whole in brackets (`【実施結果】`, `〔評価〕`).
fn is_framed_label(lex: &Lexicon, text: &str) -> bool {
    let t = text.trim();
    let mut cs = t.chars();
    let (Some(open), Some(close)) = (cs.next(), cs.next_back()) else {
        return false;
    };
    let inner = cs.as_str();
    lexmod::frame_close(open) == Some(close)
        && !inner.contains(|c| lexmod::frame_close(c).is_some())
        && (1..=20).contains(&inner.chars().count())
        && lex.classify(inner.trim()).is_some_and(|m| m.exact)
}

fn is_spaced_label_value(lex: &Lexicon, text: &str) -> bool {
    let t = text.trim();
    let Some((label, value)) = t.split_once(char::is_whitespace) else {
        return false;
    };
    let label = lexmod::strip_brackets(label);
    let value = value.trim();
    !value.is_empty()
        && value.chars().count() <= 20
        && label.chars().count() <= 10
        && lex.classify(&label).is_some_and(|m| m.exact)
}

/// A repeated edge line that is the value of the label alone on the line above it (`進捗状況` /
/// `Ａ（順調）` closing two cards), or a label and its value set off by a space (`評価　Ａ`), is
/// content, not a running footer: such lines are unmarked.
pub(super) fn keep_label_values(lex: &Lexicon, lines: &[Line], furn: &mut [bool]) {
    for i in 1..lines.len() {
        if !furn.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (Some(l), Some(prev)) = (lines.get(i), lines.get(i - 1)) else {
            continue;
        };
        let text = l.joined();
        // A label framed in brackets alone on its line (`【実施結果】`) heads the text after it
        // wherever a page breaks: no running header is written so.
        if is_framed_label(lex, &text) {
            if let Some(f) = furn.get_mut(i) {
                *f = false;
            }
            continue;
        }
        // A bare number is still a page's number, whatever stands above it.
        let bare = text.trim().len() <= 3 && text.trim().chars().all(|c| c.is_ascii_digit());
        if bare || is_page_number(&text) || prev.page != l.page || furn.get(i - 1) == Some(&true) {
            continue;
        }
        let label_above = is_spaced_label_value(lex, &text)
            || match prev.filled().collect::<Vec<_>>().as_slice() {
                [(_, one)] => {
                    let t = lexmod::strip_brackets(one);
                    t.chars().count() <= 20 && lex.classify(&t).is_some_and(|m| m.exact)
                }
                _ => false,
            };
        if label_above {
            if let Some(f) = furn.get_mut(i) {
                *f = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_and_its_value_closing_several_records_is_content() {
        let lex = Lexicon::builtin();
        // (line, a label and its value set off by a space)
        let cases = [
            ("評価　Ａ", true),
            ("　進捗　順調", true),
            ("【評価】　Ｂ", true),
            ("行財政改革　進捗状況", false),
            ("評価", false),
            ("真砂台市　総務部", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_spaced_label_value(lex, text), want, "{text}");
        }
        // Two cards closing with the same `評価　Ａ`: kept; a repeated page header: furniture.
        let line = |n: u32, text: &str| Line {
            line: n,
            page: None,
            cells: if text.is_empty() {
                vec![]
            } else {
                vec![text.to_string()]
            },
        };
        let lines: Vec<Line> = [
            "市行政改革の実績",
            "",
            "取組１　窓口の延長",
            "評価　Ａ",
            "",
            "取組２　研修",
            "評価　Ａ",
            "",
        ]
        .iter()
        .enumerate()
        .map(|(n, t)| line(n as u32 + 1, t))
        .collect();
        let mut furn = furniture(&lines);
        assert_eq!(furn.get(3), Some(&true), "a repeated block edge");
        keep_label_values(lex, &lines, &mut furn);
        assert_eq!(furn.get(3), Some(&false));
        assert_eq!(furn.get(6), Some(&false));
    }

    #[test]
    fn bare_numbers_counting_up_are_page_numbers() {
        let line = |n: u32, text: &str| Line {
            line: n,
            page: None,
            cells: vec![text.to_string()],
        };
        // (lines, the lines taken for page numbers)
        let cases: [(&[&str], &[usize]); 4] = [
            (
                &["題", "評価 順調", "1", "イ 題", "2", "ウ 題", "3"],
                &[2, 4, 6],
            ),
            (&["題", "5", "本文", "6"], &[1, 3]),
            // Not counting up one by one, or only one: values, not page numbers.
            (&["件数", "3", "件数", "3"], &[]),
            (&["題", "1", "本文"], &[]),
        ];
        for (texts, want) in cases {
            let lines: Vec<Line> = texts
                .iter()
                .enumerate()
                .map(|(n, t)| line(n as u32 + 1, t))
                .collect();
            assert_eq!(counted_pages(&lines), want, "{texts:?}");
        }
    }

    #[test]
    fn a_framed_label_at_a_page_break_is_content() {
        let lex = Lexicon::builtin();
        let cases = [
            ("【実施結果】", true),
            ("〔評価〕", true),
            ("　［取組内容］　", true),
            ("【行政改革推進計画】", false),
            ("【実施結果】○成果", false),
            ("実施結果", false),
            ("【】", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_framed_label(lex, text), want, "{text}");
        }
    }
}
