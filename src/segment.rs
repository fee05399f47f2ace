//! Segmentation: normalised lines → records, following a layout profile.
//!
//! The output keeps every content line: each ends up in a record part, in the front matter (lines
//! before the first record, read by the document-level extractor) or in `unassigned`.

use crate::model::Section;
use crate::normalize::normalize_cow;
use crate::profile::{Field, LayoutKind, Profile};
use crate::source::SourceLine;
use crate::wareki;
use regex::Regex;

/// A content line after HTML removal and normalisation. Cells keep their positions; a cell may
/// hold several visual lines or paragraphs separated by `\n`.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub line: u32,
    pub page: Option<u32>,
    pub cells: Vec<String>,
}

impl Line {
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
    let mut out = String::with_capacity(text.len());
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

/// One labelled piece of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub field: Field,
    /// Fiscal year from the label (`R3目標` → 2021), if it carries one.
    pub year: Option<i32>,
    /// The label cell as written (cleaned), if the part came from a labelled row.
    pub label: Option<String>,
    /// The value cells, in order (empty cells dropped for card rows; positional for table rows).
    pub cells: Vec<String>,
    /// True for a continuation row (first cell empty) of the field before it.
    pub continuation: bool,
    pub line: u32,
    pub page: Option<u32>,
}

/// One record (改革項目 / table row) with its parts in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The number cell as written.
    pub number_text: String,
    pub number: Option<u32>,
    pub title: String,
    pub department: Option<String>,
    pub section: Option<u32>,
    pub line: u32,
    pub page: Option<u32>,
    pub parts: Vec<Part>,
}

/// A line no stage could place.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaced {
    pub line: u32,
    pub page: Option<u32>,
    pub text: String,
    pub item: Option<u32>,
}

impl Unplaced {
    /// The whole line, inside the given item.
    fn of(l: &Line, item: Option<u32>) -> Unplaced {
        Unplaced {
            line: l.line,
            page: l.page,
            text: l.joined(),
            item,
        }
    }
}

/// The result of segmentation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Segmented {
    /// Lines before the first record (title, summary tables, …).
    pub front: Vec<Line>,
    pub sections: Vec<Section>,
    pub records: Vec<Record>,
    pub unassigned: Vec<Unplaced>,
    /// Schedule column labels of a table layout, by position.
    pub schedule_columns: Vec<String>,
}

/// Parse a record number cell (`1`, `No.1`, `12`).
pub fn record_number(cell: &str) -> Option<u32> {
    let t = cell
        .trim()
        .trim_start_matches("No.")
        .trim_start_matches("No")
        .trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Year group of a label match, as a Western fiscal year (bare R-years).
fn label_year(re: &Regex, cell: &str) -> Option<i32> {
    let caps = re.captures(cell)?;
    let y = caps.name("year")?.as_str();
    wareki::western_year(caps.name("era").map(|m| m.as_str()).unwrap_or("R"), y)
}

/// Labels are short; longer cells are content and skip the label patterns.
const MAX_LABEL_CHARS: usize = 40;

/// Which field a label cell names, with its year.
pub fn field_of(profile: &Profile, cell: &str) -> Option<(Field, Option<i32>)> {
    if cell.is_empty()
        || cell.len() > MAX_LABEL_CHARS * 4
        || cell.chars().nth(MAX_LABEL_CHARS).is_some()
    {
        return None;
    }
    let i = profile.field_set.matches(cell).into_iter().next()?;
    let (re, f) = profile.fields.get(i)?;
    Some((*f, label_year(re, cell)))
}

/// How well a profile fits the lines: the number of record starts it would see.
pub fn score(profile: &Profile, lines: &[Line]) -> usize {
    match profile.file.kind {
        LayoutKind::Card => {
            let Some(marker) = &profile.marker else {
                return 0;
            };
            lines
                .iter()
                .filter(|l| {
                    marker.is_match(l.first())
                        && l.filled()
                            .nth(1)
                            .and_then(|(_, c)| record_number(c))
                            .is_some()
                })
                .count()
        }
        LayoutKind::Table => {
            let Some(header) = &profile.table_header else {
                return 0;
            };
            let headers = lines
                .iter()
                .filter(|l| {
                    header.is_match(l.first())
                        && l.cells
                            .iter()
                            .filter(|c| profile.columns.iter().any(|(re, _)| re.is_match(c)))
                            .count()
                            >= 2
                })
                .count();
            if headers == 0 {
                return 0;
            }
            lines
                .iter()
                .filter(|l| record_number(l.first()).is_some() && l.filled().count() >= 2)
                .count()
        }
    }
}

/// Split lines into records according to the profile.
pub fn segment(profile: &Profile, lines: &[Line]) -> Segmented {
    match profile.file.kind {
        LayoutKind::Card => segment_card(profile, lines),
        LayoutKind::Table => segment_table(profile, lines),
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

/// True when the whole line (non-empty cells joined by tabs) matches an ignore pattern. `buf` is
/// reused between lines.
fn is_ignored(profile: &Profile, l: &Line, buf: &mut String) -> bool {
    if profile.ignore.is_empty() {
        return false;
    }
    l.joined_into(buf);
    profile.ignore.iter().any(|re| re.is_match(buf))
}

fn segment_card(profile: &Profile, lines: &[Line]) -> Segmented {
    let mut buf = String::new();
    let mut out = Segmented::default();
    let mut section: Option<u32> = None;
    // Index into the current record's parts that continuation rows extend.
    let mut open: Option<usize> = None;
    let Some(marker) = &profile.marker else {
        return out;
    };
    for l in lines {
        if l.is_blank() || is_ignored(profile, l, &mut buf) {
            continue;
        }
        let first = l.first();
        if !first.is_empty() {
            if let Some(re) = &profile.section {
                if let Some(c) = re.captures(first) {
                    if let Some(n) = c
                        .name("number")
                        .and_then(|m| m.as_str().parse::<u32>().ok())
                    {
                        let mut title = c
                            .name("title")
                            .map(|m| m.as_str().trim().to_string())
                            .unwrap_or_default();
                        // A title in the next cell (`●重点項目1\tタイトル`).
                        if title.is_empty() {
                            title = l
                                .filled()
                                .nth(1)
                                .map(|(_, c)| c.to_string())
                                .unwrap_or_default();
                        }
                        section = Some(n);
                        if !out.sections.iter().any(|s| s.number == Some(n)) {
                            out.sections.push(Section {
                                id: Some(n.to_string()),
                                number: Some(n),
                                text: l.joined().replace('\t', " "),
                                title,
                                level: 1,
                            });
                        }
                        open = None;
                        continue;
                    }
                }
            }
            if marker.is_match(first) {
                let mut rest = l.filled().skip(1).map(|(_, c)| c.to_string());
                let number_text = rest.next().unwrap_or_default();
                if let Some(number) = record_number(&number_text) {
                    let rest: Vec<String> = rest.collect();
                    let title = rest.first().cloned().unwrap_or_default();
                    let department = if rest.len() >= 2 {
                        rest.last().cloned()
                    } else {
                        None
                    };
                    out.records.push(Record {
                        number_text,
                        number: Some(number),
                        title,
                        department,
                        section,
                        line: l.line,
                        page: l.page,
                        parts: Vec::new(),
                    });
                    open = None;
                    continue;
                }
            }
            if let Some((field, year)) = field_of(profile, first) {
                if let Some(rec) = out.records.last_mut() {
                    let values: Vec<(usize, &str)> = l.filled().skip(1).collect();
                    // A status label inside the row (`R3目標 | goal | R3進捗状況 | 順調`).
                    let status_at = values.iter().position(|(_, c)| {
                        matches!(field_of(profile, c), Some((Field::ProgressStatus, _)))
                    });
                    let (own, status) = match status_at {
                        Some(k) if field != Field::ProgressStatus => {
                            let (own, rest) = values.split_at(k.min(values.len()));
                            (own, Some(rest))
                        }
                        _ => (&values[..], None),
                    };
                    rec.parts.push(Part {
                        field,
                        year,
                        label: Some(first.to_string()),
                        cells: own.iter().map(|(_, c)| c.to_string()).collect(),
                        continuation: false,
                        line: l.line,
                        page: l.page,
                    });
                    open = Some(rec.parts.len() - 1);
                    if let Some(status) = status {
                        let (label_cell, value) = status
                            .split_first()
                            .map(|(a, b)| (a.1, b))
                            .unwrap_or(("", &[]));
                        let syear = field_of(profile, label_cell).and_then(|(_, y)| y).or(year);
                        rec.parts.push(Part {
                            field: Field::ProgressStatus,
                            year: syear,
                            label: Some(label_cell.to_string()),
                            cells: value.iter().map(|(_, c)| c.to_string()).collect(),
                            continuation: false,
                            line: l.line,
                            page: l.page,
                        });
                        open = Some(rec.parts.len() - 1);
                    }
                    continue;
                }
            }
            if out.records.is_empty() {
                out.front.push(l.clone());
            } else {
                let item = out.records.last().and_then(|r| r.number);
                out.unassigned.push(Unplaced::of(l, item));
                open = None;
            }
            continue;
        }
        // Continuation row: first cell empty.
        match (out.records.last_mut(), open) {
            (Some(rec), Some(i)) => {
                let Some(prev) = rec.parts.get(i) else {
                    continue;
                };
                let (field, year, label) = (prev.field, prev.year, prev.label.clone());
                rec.parts.push(Part {
                    field,
                    year,
                    label,
                    cells: l.filled().map(|(_, c)| c.to_string()).collect(),
                    continuation: true,
                    line: l.line,
                    page: l.page,
                });
            }
            (None, _) => out.front.push(l.clone()),
            (Some(rec), None) => out.unassigned.push(Unplaced::of(l, rec.number)),
        }
    }
    out
}

fn segment_table(profile: &Profile, lines: &[Line]) -> Segmented {
    let mut buf = String::new();
    let mut out = Segmented::default();
    let Some(header) = &profile.table_header else {
        return out;
    };
    // Column index → field.
    let mut columns: Vec<(usize, Field)> = Vec::new();
    // Schedule columns: (index, label).
    let mut schedule: Vec<(usize, String)> = Vec::new();
    let mut in_header = false;
    // A row label seen at the end of a title cell: the next continuation row fills this field.
    let mut pending: Option<(Field, String)> = None;
    for l in lines {
        if l.is_blank() || is_ignored(profile, l, &mut buf) {
            continue;
        }
        let first = l.first();
        if header.is_match(first)
            && l.cells
                .iter()
                .filter(|c| profile.columns.iter().any(|(re, _)| re.is_match(c)))
                .count()
                >= 2
        {
            columns = l
                .cells
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    profile
                        .columns
                        .iter()
                        .find(|(re, _)| re.is_match(c))
                        .map(|(_, f)| (i, *f))
                })
                .collect();
            for (i, c) in l.cells.iter().enumerate() {
                if profile
                    .schedule_year
                    .as_ref()
                    .is_some_and(|re| re.is_match(c))
                    && !schedule.iter().any(|(j, _)| *j == i)
                {
                    schedule.push((i, c.clone()));
                }
            }
            in_header = true;
            continue;
        }
        let year_cells: Vec<(usize, &str)> = l
            .filled()
            .filter(|(_, c)| {
                profile
                    .schedule_year
                    .as_ref()
                    .is_some_and(|re| re.is_match(c))
            })
            .collect();
        if in_header
            && first.is_empty()
            && !year_cells.is_empty()
            && year_cells.len() == l.filled().count()
        {
            if schedule.is_empty()
                || schedule
                    .iter()
                    .map(|(i, _)| *i)
                    .ne(year_cells.iter().map(|(i, _)| *i))
            {
                schedule = year_cells
                    .iter()
                    .map(|(i, c)| (*i, c.to_string()))
                    .collect();
            }
            continue;
        }
        in_header = false;
        if columns.is_empty() {
            out.front.push(l.clone());
            continue;
        }
        if let Some(number) = record_number(first) {
            let mut rec = Record {
                number_text: first.to_string(),
                number: Some(number),
                title: String::new(),
                department: None,
                section: None,
                line: l.line,
                page: l.page,
                parts: Vec::new(),
            };
            pending = None;
            fill_table_row(
                profile,
                &columns,
                &schedule,
                l,
                &mut rec,
                &mut pending,
                false,
            );
            out.records.push(rec);
            continue;
        }
        if !first.is_empty() {
            if out.records.is_empty() {
                out.front.push(l.clone());
            } else {
                let item = out.records.last().and_then(|r| r.number);
                out.unassigned.push(Unplaced::of(l, item));
            }
            continue;
        }
        let Some(rec) = out.records.last_mut() else {
            out.front.push(l.clone());
            continue;
        };
        // A labelled continuation row (`これまでの取組状況と今後の見通し`).
        let labelled = l.filled().find_map(|(i, c)| {
            profile
                .row_labels
                .iter()
                .find(|(re, _)| re.is_match(c))
                .map(|(_, f)| (i, *f, c.to_string()))
        });
        if let Some((i, field, label)) = labelled {
            let cells: Vec<String> = l
                .filled()
                .filter(|(j, _)| *j > i)
                .map(|(_, c)| c.to_string())
                .collect();
            rec.parts.push(Part {
                field,
                year: None,
                label: Some(label.clone()),
                cells,
                continuation: false,
                line: l.line,
                page: l.page,
            });
            pending = Some((field, label));
            continue;
        }
        if let Some((field, label)) = &pending {
            let cells: Vec<String> = l.filled().map(|(_, c)| c.to_string()).collect();
            let continuation = rec.parts.last().is_some_and(|p| p.field == *field);
            rec.parts.push(Part {
                field: *field,
                year: None,
                label: Some(label.clone()),
                cells,
                continuation,
                line: l.line,
                page: l.page,
            });
            continue;
        }
        // A wrapped row: cells continue the record's columns.
        fill_table_row(profile, &columns, &schedule, l, rec, &mut pending, true);
    }
    out.schedule_columns = schedule.into_iter().map(|(_, s)| s).collect();
    out
}

#[allow(clippy::too_many_arguments)]
fn fill_table_row(
    profile: &Profile,
    columns: &[(usize, Field)],
    schedule: &[(usize, String)],
    l: &Line,
    rec: &mut Record,
    pending: &mut Option<(Field, String)>,
    continuation: bool,
) {
    let field_at = |i: usize| -> Option<Field> {
        if schedule.iter().any(|(j, _)| *j == i) {
            return Some(Field::Schedule);
        }
        columns.iter().rev().find(|(c, _)| *c <= i).map(|(_, f)| *f)
    };
    let mut sched_cells: Vec<String> = vec![String::new(); schedule.len()];
    let mut any_sched = false;
    for (i, c) in l.filled() {
        if i == 0 {
            continue;
        }
        match field_at(i) {
            Some(Field::Title) => {
                // Wrapped lines of the title cell are one text.
                let mut title = crate::extract::single_text(&[c]);
                // A row label that slipped into the title cell.
                for (tail, f) in &profile.row_label_tails {
                    if let Some(m) = tail.find(&title) {
                        if m.start() > 0 {
                            *pending = Some((*f, title[m.start()..].trim().to_string()));
                            title.truncate(m.start());
                            break;
                        }
                    }
                }
                if continuation && !rec.title.is_empty() {
                    rec.title = crate::extract::join_text(&rec.title, &title);
                } else {
                    rec.title = title;
                }
            }
            Some(Field::Department) => {
                rec.department = Some(match (&rec.department, continuation) {
                    (Some(d), true) => crate::extract::join_text(d, c),
                    _ => c.to_string(),
                });
            }
            Some(Field::Schedule) => {
                if let Some(k) = schedule.iter().position(|(j, _)| *j == i) {
                    if let Some(cell) = sched_cells.get_mut(k) {
                        *cell = c.to_string();
                    }
                    any_sched = true;
                } else {
                    rec.parts.push(Part {
                        field: Field::Schedule,
                        year: None,
                        label: None,
                        cells: vec![c.to_string()],
                        continuation: true,
                        line: l.line,
                        page: l.page,
                    });
                }
            }
            Some(field) => {
                rec.parts.push(Part {
                    field,
                    year: None,
                    label: None,
                    cells: vec![c.to_string()],
                    continuation,
                    line: l.line,
                    page: l.page,
                });
            }
            None => rec.parts.push(Part {
                field: Field::Title,
                year: None,
                label: None,
                cells: vec![c.to_string()],
                continuation: true,
                line: l.line,
                page: l.page,
            }),
        }
    }
    if any_sched {
        rec.parts.push(Part {
            field: Field::Schedule,
            year: None,
            label: None,
            cells: sched_cells,
            continuation,
            line: l.line,
            page: l.page,
        });
    }
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

    #[test]
    fn record_numbers() {
        let cases = [
            ("1", Some(1)),
            ("24", Some(24)),
            ("No.3", Some(3)),
            ("", None),
            ("一", None),
            ("1.5", None),
            ("1234567", None),
        ];
        for (cell, want) in cases {
            assert_eq!(record_number(cell), want, "{cell}");
        }
    }

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, l)| {
                clean_line(&SourceLine {
                    page: None,
                    line: i as u32 + 1,
                    cells: l.split('\t').map(str::to_string).collect(),
                })
            })
            .collect()
    }

    #[test]
    fn card_records_parts_and_unassigned_lines() {
        let text = "題\n●重点項目2 財政\n改革項目\t7\t題名\t\t財政課\n現状\t・状態\n\t・続き\n迷子の行\nR4目標\t目標文\tR4進捗状況\n\t\t順調\n";
        let p = Profile::builtin()
            .iter()
            .find(|p| p.id() == "card")
            .expect("card");
        let ls = lines(text);
        assert_eq!(score(p, &ls), 1);
        let seg = segment(p, &ls);
        assert_eq!(seg.front.len(), 1);
        assert_eq!(
            seg.sections,
            vec![Section {
                id: Some("2".into()),
                number: Some(2),
                title: "財政".into(),
                text: "●重点項目2 財政".into(),
                level: 1,
            }]
        );
        let r = &seg.records[0];
        assert_eq!(
            (
                r.number,
                r.title.as_str(),
                r.department.as_deref(),
                r.section,
                r.line
            ),
            (Some(7), "題名", Some("財政課"), Some(2), 3)
        );
        let fields: Vec<(Field, bool, usize)> = r
            .parts
            .iter()
            .map(|p| (p.field, p.continuation, p.cells.len()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (Field::CurrentState, false, 1),
                (Field::CurrentState, true, 1),
                (Field::ProgressGoal, false, 1),
                (Field::ProgressStatus, false, 0),
                (Field::ProgressStatus, true, 1),
            ]
        );
        assert_eq!(r.parts[2].year, Some(2022));
        assert_eq!(seg.unassigned.len(), 1);
        assert_eq!(
            (seg.unassigned[0].line, seg.unassigned[0].item),
            (6, Some(7))
        );
    }

    #[test]
    fn table_records_with_repeated_headers_and_findings_rows() {
        let text = "No.\t項目名\t担当課\t取組内容\t取組の工程\t\n\t\t\t\t令和3年度\t令和4年度\n1\t題 新規\t課 (主課)\t■a\t■m\t→\n\tこれまでの取組状況と今後の見通し\t○成果\n\nNo.\t項目名\t担当課\t取組内容\t取組の工程\t\n\t\t\t\t令和3年度\t令和4年度\n2\t次の題 これまでの取組状況と今後の見通し\t課\t■b\t■n\t■o\n\t\t\t○次の成果\n";
        let p = Profile::builtin()
            .iter()
            .find(|p| p.id() == "table")
            .expect("table");
        let ls = lines(text);
        let seg = segment(p, &ls);
        assert_eq!(seg.records.len(), 2);
        assert_eq!(
            seg.schedule_columns,
            vec!["令和3年度".to_string(), "令和4年度".to_string()]
        );
        assert!(seg.unassigned.is_empty(), "{:?}", seg.unassigned);
        assert_eq!(seg.records[1].title, "次の題");
        let f: Vec<Field> = seg.records[1].parts.iter().map(|p| p.field).collect();
        assert_eq!(f, vec![Field::Plan, Field::Schedule, Field::Findings]);
    }
}
