//! Records found, then described: the layout of a report inferred from its own regularities.
//!
//! Stages, each a function over the cleaned lines ([`crate::records::line::Line`]):
//!
//! | stage | function | what it decides |
//! |---|---|---|
//! | furniture | [`furniture`] | page numbers and page headers/footers printed again on every page |
//! | line roles | [`classify`] (header rows into columns in `header.rs`) | header rows (cells the lexicon knows), target-table headers, legends |
//! | ids | [`candidates`] | id tokens at the start of rows, of cells after a record label, of headings |
//! | levels | [`levels`] | which runs of ids are items, parent items and sections |
//! | records | [`build`] (`build.rs`; rows into items in `rows.rs`, target tables in `targets.rs`, the title and declared counts in `front.rs`, line rules in `text.rs`) | items with their fields, ratings, targets, schedule and findings |
//! | legends | `legends.rs` | the rating scale printed in the report, and each rating's meaning and rank |
//!
//! [`report`] wraps the result in the output contract; [`spec`] writes the decisions down as a
//! profile (`gyokaku profile infer`) and reads them back; [`builtin`] holds the built-in card and
//! table profiles and chooses between them and inference.
//!
//! Every content line ends in an item's field, in the front matter (title, legends), in the
//! recognised furniture, or in an `unassigned-text` diagnostic; the share of lines so explained is
//! the layout's confidence.

mod amount_columns;
mod amount_rows;
mod band_headings;
pub mod build;
pub mod builtin;
mod bullet_labels;
mod dash_cells;
mod departments;
mod front;
mod grade_columns;
mod groups;
pub mod ids;
mod joins;
mod key_headings;
mod label_rows;
mod legends;
mod levels;
mod mark_frames;
mod prepared;
pub use levels::{levels, Level, LevelKind};
mod edge_lines;
mod furniture;
mod header;
pub mod line;
mod lists;
pub mod municipality;
pub mod profile_keys;
#[cfg(test)]
mod read_tests;
pub mod report;
mod rows;
mod schedule_cells;
mod sentence_targets;
mod share_grades;
pub mod spacing;
pub mod spec;
mod step_results;
mod targets;
pub use furniture::{furniture, furniture_with, RepeatedEdges};
mod text;
pub mod why;

/// The `layout` of a report read with an inferred layout.
pub const INFERRED: &str = "inferred";

pub use build::{build, Built};
pub use spec::LayoutSpec;

use crate::fields::lexicon::{Lexicon, Role};
use crate::records::line::Line;
use crate::source::SourceLine;
use ids::{IdToken, Scheme};
use rustc_hash::FxHashMap as HashMap;

/// What a line is, before records are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    Blank,
    /// Page number, page header or footer.
    Furniture,
    /// A rating legend (found after the records; the front matter's are read with it).
    Legend,
    /// A table header row (cells are labels the lexicon knows).
    Header,
    /// The second row of a two-row header.
    HeaderCont,
    /// A numeric-target table header inside a record (or a 合計 block).
    TargetHeader,
    Other,
}

/// Is this cell a label: known to the lexicon, or a bare fiscal-year column (`H29`, `令和2年度`)?
pub fn is_label_cell(lex: &Lexicon, cell: &str) -> bool {
    let c = cell.trim();
    if c.is_empty() || c.chars().count() > 20 {
        return false;
    }
    year_label(c).is_some() || lex.classify(c).is_some()
}

/// Build what every reading needs once per process — the built-in lexicon, the built-in profiles
/// prepared over it, and the id and year-label patterns — so that it can be done on a spare
/// thread while the input is still being read. Reading the same things later waits for (never
/// repeats) this. Patterns only some texts need are built when one does.
pub fn warm_up() {
    let lex = crate::fields::lexicon::Lexicon::builtin();
    for spec in builtin::specs() {
        let _ = prepared::prepare(spec, lex);
    }
    // Built, not run: the regex crate lends a match's scratch space fastest to the thread that
    // first ran the pattern, which should be the reading thread, not this one.
    let _ = ids::re("1 題");
    let _ = year_re("R1");
}

/// Does `text` hold a decimal digit other than `0`–`9` and `０`–`９` (Arabic-Indic, Devanagari,
/// mathematical digits …)? Conservative: any numeric character outside those and the circled, bracketed (`⑴`) and
/// Roman numerals (which are not decimal digits) counts.
pub(crate) fn has_rare_digits(text: &str) -> bool {
    text.chars().any(|c| {
        // Kana and the common ideographs are letters (never numeric): the usual text is decided
        // without looking its characters up in Unicode's tables.
        !c.is_ascii()
            && !matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}')
            && c.is_numeric()
            && !matches!(c, '０'..='９' | '①'..='⑳' | '⑴'..='⒇' | 'Ⅰ'..='ⅿ')
    })
}

/// `pattern` compiled for `text` (once per process): with `\d` narrowed ([`common_digits`]) into
/// `common` when `text` has no [`has_rare_digits`], as written into `full` when it has.
pub(crate) fn digits_pattern(
    text: &str,
    pattern: &str,
    full: &'static std::sync::OnceLock<Option<regex::Regex>>,
    common: &'static std::sync::OnceLock<Option<regex::Regex>>,
) -> Option<&'static regex::Regex> {
    if has_rare_digits(text) {
        full.get_or_init(|| regex::Regex::new(pattern).ok())
    } else {
        common.get_or_init(|| regex::Regex::new(&common_digits(pattern)).ok())
    }
    .as_ref()
}

/// A pattern with every `\d` (any Unicode decimal digit) narrowed to `[0-9０-９]`: the same
/// matches on text without [`has_rare_digits`], and a much smaller automaton to build. The
/// patterns given never use `\d` inside a bracketed class.
pub(crate) fn common_digits(pattern: &str) -> String {
    pattern.replace(r"\d", "[0-9０-９]")
}

/// A cell that is nothing but a fiscal year label (`H29`, `R1`, `令和2年度`, `令和元年度`,
/// `2022年度`).
pub fn year_label(cell: &str) -> Option<i32> {
    // A year named again in the other era in brackets (`平成31年度（令和元年度）`, `H31(R1)`):
    // the one year, when both name it.
    let cell = cell.trim();
    if let Some((head, inner)) = cell
        .strip_suffix([')', '）'])
        .and_then(|b| b.rsplit_once(['(', '（']))
    {
        let (a, b) = (single_year_label(head), single_year_label(inner));
        return a.filter(|y| Some(*y) == b);
    }
    single_year_label(cell)
}

/// A cell that is one fiscal year and nothing else (`R1`, `令和元年度`, `2022年度`).
fn single_year_label(cell: &str) -> Option<i32> {
    let cell = cell.trim();
    let c = year_re(cell)?.captures(cell)?;
    if let Some(w) = c.name("w") {
        return w.as_str().parse().ok();
    }
    crate::wareki::western_year(c.name("era")?.as_str(), c.name("y")?.as_str())
}

/// The year-label pattern for `cell` (trimmed), built once per process (see [`digits_pattern`]).
fn year_re(cell: &str) -> Option<&'static regex::Regex> {
    const PATTERN: &str = r"^(?:(?P<era>令和|平成|昭和|R|H|S)\s*(?P<y>\d{1,2}|元)\s*(?:年度|年)?|(?P<w>(?:19|20)\d\d)\s*年度)$";
    static FULL: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    static COMMON: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    if has_rare_digits(cell) {
        FULL.get_or_init(|| regex::Regex::new(PATTERN).ok())
    } else {
        COMMON.get_or_init(|| regex::Regex::new(&common_digits(PATTERN)).ok())
    }
    .as_ref()
}

/// Text without any white space (for comparisons that ignore wrapping).
pub fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Roles of a header row's cells.
fn cell_roles(lex: &Lexicon, cell: &str) -> Vec<Role> {
    if year_label(cell).is_some() {
        return vec![];
    }
    match lex.classify(cell) {
        Some(m) => m.roles,
        None if rows::is_choice(lex, cell) => vec![Role::Rating],
        None => vec![],
    }
}

/// Is the next filled line a row of one value kind (`目標 | 1,000 | …`, `実績 | …`)?
pub(super) fn kind_row_follows(lex: &Lexicon, lines: &[Line], at: usize) -> bool {
    lines
        .iter()
        .skip(at + 1)
        .find(|l| !l.is_blank())
        .is_some_and(|l| is_kind_row(lex, l))
}

/// A row whose first cell names a value kind (`目標`, `実績額`) and whose other cells hold values.
pub(super) fn is_kind_row(lex: &Lexicon, l: &Line) -> bool {
    let first = l.first();
    l.filled().count() >= 2
        && lex.classify(first).is_some_and(|m| {
            m.exact
                && m.roles.iter().any(|r| matches!(r, Role::Value(_)))
                && m.fiscal_year.is_none()
        })
}

/// Line roles: header rows (main tables and target tables) and their second rows.
pub fn classify(lex: &Lexicon, lines: &[Line], furn: &[bool]) -> Vec<LineRole> {
    let mut out = Vec::with_capacity(lines.len());
    let mut prev_header = false;
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            out.push(LineRole::Blank);
            continue;
        }
        if furn.get(i).copied().unwrap_or(false) {
            out.push(LineRole::Furniture);
            continue;
        }
        let filled: Vec<(usize, &str)> = l.filled().collect();
        // Columns that are the ratings themselves (`達成 | 概ね達成 | 未達成`), two or more, are
        // labels of a header too when the row below marks one of them. The marks are looked
        // for first: most lines have none below them, and their cells are not looked up.
        let marks: Vec<usize> = lines
            .iter()
            .skip(i + 1)
            .find(|n| !n.is_blank())
            .map(|n| {
                n.filled()
                    .filter(|(_, c)| rows::is_choice_mark(c))
                    .map(|(j, _)| j)
                    .collect()
            })
            .unwrap_or_default();
        let choice_at: Vec<usize> = if marks.is_empty() {
            vec![]
        } else {
            filled
                .iter()
                .filter(|(_, c)| rows::is_choice(lex, c))
                .map(|(j, _)| *j)
                .collect()
        };
        let marked = choice_at.len() >= 2 && choice_at.iter().any(|j| marks.contains(j));
        // Each cell looked up once.
        let is_label: Vec<bool> = filled.iter().map(|(_, c)| is_label_cell(lex, c)).collect();
        let labels =
            is_label.iter().filter(|&&b| b).count() + if marked { choice_at.len() } else { 0 };
        // A sentence among the cells (`R3目標 | 研究し、試行する | R3進捗状況`) makes the row a
        // labelled row, not a header.
        let prose = filled
            .iter()
            .zip(&is_label)
            .any(|((_, c), &label)| {
                !label && (c.contains(['、', '。']) || c.chars().count() > 12)
            })
            // `R3目標 | 制度案作成 | …`: a label of one year, then its value.
            || matches!(filled.as_slice(), [(_, a), (_, _), ..]
                if lex.classify(a).is_some_and(|m| m.exact && m.fiscal_year.is_some())
                    && year_label(a).is_none()
                    && !is_label.get(1).copied().unwrap_or(false));
        let first_is_id = filled
            .first()
            .is_some_and(|(_, c)| ids::id_at_start(c).is_some());
        let role = if prev_header
            && !filled.is_empty()
            && l.cells.first().is_none_or(|c| c.is_empty())
            && (labels == filled.len()
                || i.checked_sub(1)
                    .and_then(|k| lines.get(k))
                    .is_some_and(|top| header::wraps_onto(lex, top, l)))
        {
            LineRole::HeaderCont
        } else if filled.len() >= 2
            && labels >= 2
            && labels * 10 >= filled.len() * 6
            && !first_is_id
            && !prose
        {
            let roles: Vec<Role> = filled
                .iter()
                .flat_map(|(_, c)| cell_roles(lex, c))
                .collect();
            let main = roles
                .iter()
                .any(|r| matches!(r, Role::Id | Role::Title | Role::Department | Role::Rating));
            let target = roles.iter().any(|r| {
                matches!(
                    r,
                    Role::Target | Role::TargetName | Role::ValueKindColumn | Role::Unit
                )
            }) || filled.first().is_some_and(|(_, c)| c.contains("合計"));
            let value_kinds = {
                let mut v: Vec<&Role> = roles
                    .iter()
                    .filter(|r| matches!(r, Role::Value(_)))
                    .collect();
                v.dedup();
                v.len()
            };
            // `効果額（千円） | R3 | R4 | R5` over rows `目標 | …`, `実績 | …`: a target named in
            // the corner, its value kinds down the first column, its years across.
            let years = filled
                .iter()
                .filter(|(_, c)| year_label(c).is_some())
                .count();
            // The corner may be empty, the target named on the line before (`指標：寄附額`).
            let corner_empty = l.cells.first().is_none_or(|c| c.trim().is_empty());
            let kind_rows = years >= 2
                && !main
                && (filled.first().is_some_and(|(_, c)| year_label(c).is_none())
                    || (corner_empty && years == filled.len()))
                && (kind_row_follows(lex, lines, i) || amount_rows::amount_row_follows(lines, i));
            if (target || kind_rows || (value_kinds >= 2 && !main))
                && !roles
                    .iter()
                    .any(|r| matches!(r, Role::Id | Role::Department))
            {
                LineRole::TargetHeader
            } else if main {
                LineRole::Header
            } else {
                LineRole::Other
            }
        } else {
            LineRole::Other
        };
        prev_header = matches!(
            role,
            LineRole::Header | LineRole::HeaderCont | LineRole::TargetHeader
        );
        out.push(role);
    }
    out
}

/// How an id stands in its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// Alone in the first cell (a table's number column).
    Cell,
    /// At the start of the first cell, before the title (`(1) 題`, `ア 題`).
    Prefix,
    /// In the cell after a record label (`取組項目 | 1 | 題`).
    AfterLabel,
    /// After a record label in the same cell, before the title (`取組項目1 題`, `■No.3 題`).
    LabelPrefix,
}

/// An id found at the start of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub line: usize,
    pub form: Form,
    /// The record label before the id (AfterLabel, LabelPrefix), normalised.
    pub label: Option<String>,
    /// Cell index of the id.
    pub cell: usize,
    pub tok: IdToken,
}

/// A group of candidates that may be one level of numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupKey {
    pub scheme: Scheme,
    pub form: Form,
}

/// Lines of one cell holding several visual lines (a PDF paragraph block: a title, a 【label】 and
/// its text) become one line each; lines of several cells stay whole (a table cell's wrapped lines
/// are one value). Returns the raw and the cleaned lines, index for index; the raw lines are
/// borrowed when no line is split (always for plain text), not copied. A double-spaced text's
/// single blank lines are dropped ([`spacing`]).
pub fn explode(raw: &[SourceLine]) -> (std::borrow::Cow<'_, [SourceLine]>, Vec<Line>) {
    let (raw, lines) = explode_cells(raw);
    spacing::fold(raw, lines)
}

/// [`explode`] before blank lines that carry no meaning are dropped.
fn explode_cells(raw: &[SourceLine]) -> (std::borrow::Cow<'_, [SourceLine]>, Vec<Line>) {
    let cut = |l: &SourceLine| pipe_row(l).is_some() || l.cells.iter().any(|c| has_leader(c));
    if !raw.iter().any(|l| splits(l).is_some() || cut(l)) {
        let out = raw.iter().map(crate::records::line::clean_line).collect();
        return (std::borrow::Cow::Borrowed(raw), out);
    }
    let mut out_raw = Vec::with_capacity(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for l in raw {
        match splits(l) {
            Some((k, cell)) => {
                for piece in cell.split('\n').filter(|p| !p.trim().is_empty()) {
                    let mut cells = vec![String::new(); k];
                    cells.extend(pipe_cells(piece).unwrap_or_else(|| split_at_leaders(piece)));
                    let r = SourceLine {
                        page: l.page,
                        line: l.line,
                        cells,
                    };
                    out.push(crate::records::line::clean_line(&r));
                    out_raw.push(r);
                }
            }
            None if cut(l) => {
                let cells = match pipe_row(l) {
                    Some(cells) => cells,
                    None => l.cells.iter().flat_map(|c| split_at_leaders(c)).collect(),
                };
                let r = SourceLine {
                    page: l.page,
                    line: l.line,
                    cells,
                };
                out.push(crate::records::line::clean_line(&r));
                out_raw.push(r);
            }
            None => {
                out.push(crate::records::line::clean_line(l));
                out_raw.push(l.clone());
            }
        }
    }
    (std::borrow::Cow::Owned(out_raw), out)
}

/// The cells of a row of a table drawn with pipes (`| 1 | 窓口の改善 | 市民課 |`, as wiki and
/// Markdown exports write tables, in a text or printed to PDF): text opening and closing with a
/// pipe and holding two cells at least. None for any other text.
fn pipe_cells(text: &str) -> Option<Vec<String>> {
    let inner = text
        .trim()
        .strip_prefix(['|', '｜'])?
        .strip_suffix(['|', '｜'])?;
    let cells: Vec<String> = inner
        .split(['|', '｜'])
        .map(|c| c.trim().to_string())
        .collect();
    (cells.len() >= 2).then_some(cells)
}

/// A line whose only filled cell is a row drawn with pipes: its cells.
fn pipe_row(l: &SourceLine) -> Option<Vec<String>> {
    let mut filled = l.cells.iter().filter(|c| !c.trim().is_empty());
    match (filled.next(), filled.next()) {
        (Some(one), None) => pipe_cells(one),
        _ => None,
    }
}

/// Characters of a leader (`題……………Ａ`, `題・・・・Ａ`), the dots that lead the eye from a text to
/// the value at the end of its line.
const LEADER_CHARS: &[char] = &['…', '‥', '・', '･', '.', '．', '·'];

/// Whether a cell holds a leader between two texts.
fn has_leader(cell: &str) -> bool {
    (cell.contains(['…', '‥']) || cell.contains("・・・") || cell.contains("..."))
        && split_at_leaders(cell).len() >= 2
}

/// A cell cut at its leaders: a run of three or more leader characters (`…` counting as two
/// dots) with text before and after it separates two cells, as a tab would.
fn split_at_leaders(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut cur = String::new();
    let mut run = String::new();
    let dots = |r: &str| {
        r.chars()
            .map(|c| if c == '…' || c == '‥' { 2 } else { 1 })
            .sum::<usize>()
    };
    for c in cell.chars() {
        if LEADER_CHARS.contains(&c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            if dots(&run) >= 3 && !cur.trim().is_empty() {
                out.push(std::mem::take(&mut cur));
            } else {
                cur.push_str(&run);
            }
            run.clear();
        }
        cur.push(c);
    }
    if !run.is_empty() {
        // Dots ending the cell lead to nothing: they stay as printed.
        cur.push_str(&run);
    }
    out.push(cur);
    if out.iter().any(|c| c.trim().is_empty()) {
        return vec![cell.to_string()];
    }
    out
}

/// The only filled cell of a line and its index, when it holds several visual lines.
fn splits(l: &SourceLine) -> Option<(usize, &String)> {
    let mut filled = l
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.trim().is_empty());
    match (filled.next(), filled.next()) {
        (Some((k, cell)), None) if cell.contains('\n') => Some((k, cell)),
        _ => None,
    }
}

/// The lines as read, each line's cells as printed (characters normalised, spaces kept) made
/// once, when a reader first asks for one of them, and shared by every reader after it: the
/// id readers, the legend readers and the content readers all ask for the same cells.
pub struct RawLines<'a> {
    lines: &'a [SourceLine],
    /// Where each line's cells start in `spaced` (one more entry than lines: the end).
    starts: Vec<usize>,
    /// Per cell, once asked: its normal form where it differs from the cell as read (trimmed),
    /// or nothing for a cell already normal.
    spaced: Vec<std::cell::OnceCell<Option<Box<str>>>>,
}

impl<'a> RawLines<'a> {
    pub fn new(lines: &'a [SourceLine]) -> Self {
        let mut starts = Vec::with_capacity(lines.len() + 1);
        let mut n = 0;
        for l in lines {
            starts.push(n);
            n += l.cells.len();
        }
        starts.push(n);
        RawLines {
            lines,
            starts,
            spaced: (0..n).map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    /// The cell as printed, trimmed; None when the line has no such cell.
    fn spaced(&self, line: usize, cell: usize) -> Option<&str> {
        let c = self.lines.get(line)?.cells.get(cell)?;
        let slot = self.spaced.get(self.starts.get(line)? + cell)?;
        let form = slot.get_or_init(|| match crate::normalize::normalize_chars_cow(c) {
            std::borrow::Cow::Borrowed(_) => None,
            std::borrow::Cow::Owned(o) => Some(o.trim().into()),
        });
        Some(form.as_deref().unwrap_or_else(|| c.trim()))
    }
}

impl std::ops::Deref for RawLines<'_> {
    type Target = [SourceLine];
    fn deref(&self) -> &[SourceLine] {
        self.lines
    }
}

/// A cell as printed, characters normalised but spaces kept (the cleaned cell drops the space
/// between Japanese characters, which is where an id like `イ` ends and its title begins).
pub fn spaced_cell(raw: &RawLines, line: usize, cell: usize, cleaned: &str) -> String {
    spaced_cell_cow(raw, line, cell, cleaned).to_string()
}

/// [`spaced_cell`], borrowed.
fn spaced_cell_cow<'a>(raw: &'a RawLines, line: usize, cell: usize, cleaned: &'a str) -> &'a str {
    raw.spaced(line, cell).unwrap_or(cleaned)
}

/// The id at the start of a cell, read from its spaced form; the rest (the title) cleaned.
fn id_in(raw: &RawLines, line: usize, cell: usize, cleaned: &str) -> Option<IdToken> {
    let spaced = spaced_cell_cow(raw, line, cell, cleaned);
    let mut tok = ids::id_at_start(spaced).or_else(|| ids::id_at_start(cleaned))?;
    tok.rest = crate::normalize::normalize(&tok.rest).trim().to_string();
    Some(tok)
}

/// Marks that may open a heading line (`■No.3 題`).
pub(super) const HEADING_MARKS: &[char] =
    &['■', '□', '●', '◆', '◇', '▼', '▽', '★', '☆', '◎', '○', '・'];

/// The id after a record or number label in the same cell (`取組項目1 題`, `■No.3 題`,
/// `項目番号 2-3 題`): the label (and a heading mark before it) is dropped.
fn id_after_label_in(
    lex: &Lexicon,
    raw: &RawLines,
    line: usize,
    cleaned: &str,
) -> Option<(String, IdToken)> {
    let spaced = spaced_cell(raw, line, 0, cleaned);
    let text = spaced.trim_start_matches(HEADING_MARKS).trim_start();
    // `【取組1】題`, `◆取組1◆　題`: the label and id in a frame of their own, the title after it.
    let framed = text::bracket_label(text).or_else(|| mark_frames::mark_framed(&spaced));
    if let Some((inner, after)) = framed {
        let (label, mut tok) = label_then_id(lex, &inner)?;
        if !tok.rest.is_empty() {
            return None;
        }
        tok.rest = crate::normalize::normalize(&after).trim().to_string();
        return Some((label, tok));
    }
    label_then_id(lex, text).map(|(label, mut tok)| {
        // `番号　１　　取組名　題`: the title's own label before it is no part of it.
        tok.rest = text::after_title_label(lex, &tok.rest)
            .unwrap_or_else(|| crate::normalize::normalize(&tok.rest).trim().to_string());
        (label, tok)
    })
}

/// Whether a one-cell line is a label word, a space, and the id (`取組番号　1`), as a label and
/// its value are set apart on a card, not a number sign glued to its number (`No.1`).
fn spaced_label_value(raw: &RawLines, line: usize, cleaned: &str, label: &str) -> bool {
    let spaced = spaced_cell(raw, line, 0, cleaned);
    let after = spaced
        .trim_start_matches(HEADING_MARKS)
        .trim_start()
        .get(label.len()..)
        .unwrap_or("");
    label.chars().count() >= 2
        && label.chars().all(|c| !c.is_ascii())
        && after.starts_with(char::is_whitespace)
}

/// Whether a one-cell line opens with a heading mark (`■No.1`, its title on the next line).
fn marked_heading(raw: &RawLines, line: usize, cleaned: &str) -> bool {
    spaced_cell(raw, line, 0, cleaned).starts_with(HEADING_MARKS)
}

/// A record or number label and the id after it (`取組項目1 題`), the id's rest as written.
fn label_then_id(lex: &Lexicon, text: &str) -> Option<(String, IdToken)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for n in (1..=chars.len().min(10)).rev() {
        let end = chars.get(n).map_or(text.len(), |(b, _)| *b);
        let (label, rest) = text.split_at(end);
        let is_label = lex.classify(label).is_some_and(|m| {
            m.exact && m.roles.iter().any(|r| matches!(r, Role::Record | Role::Id))
        });
        if !is_label {
            continue;
        }
        // `取組項目　No.１　題`: a number sign may stand between the label and the id.
        let tok = ids::id_at_start(rest).or_else(|| {
            let inner = rest.trim_start();
            (inner.len() < rest.len()).then(|| label_then_id(lex, inner).map(|(_, t)| t))?
        });
        if let Some(tok) = tok {
            return Some((strip_ws(label), tok));
        }
    }
    None
}

/// Id candidates, one at most per line.
pub fn candidates(
    lex: &Lexicon,
    lines: &[Line],
    raw: &RawLines,
    roles: &[LineRole],
) -> Vec<Candidate> {
    let mut label_counts: HashMap<&str, usize> = HashMap::default();
    for l in lines {
        if let Some(c) = l.cells.first().filter(|c| !c.is_empty()) {
            *label_counts.entry(c.as_str()).or_insert(0) += 1;
        }
    }
    let mut out = Vec::new();
    // The id column of the table header in force, when it is not the first column.
    let mut id_col: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if roles.get(i) == Some(&LineRole::Header) {
            id_col = l.cells.iter().position(|c| {
                lex.classify(c)
                    .is_some_and(|m| m.exact && m.roles.first() == Some(&Role::Id))
            });
            continue;
        }
        if roles.get(i) != Some(&LineRole::Other) {
            continue;
        }
        if let Some(j) = id_col.filter(|&j| j > 0) {
            let cell = l.cells.get(j).map(String::as_str).unwrap_or("");
            if let Some(tok) = id_in(raw, i, j, cell).filter(|t| t.rest.is_empty()) {
                out.push(Candidate {
                    line: i,
                    form: Form::Cell,
                    label: None,
                    cell: j,
                    tok,
                });
                continue;
            }
        }
        let Some(first) = l.cells.first().filter(|c| !c.is_empty()) else {
            continue;
        };
        if let Some(tok) = id_in(raw, i, 0, first) {
            let form = if tok.rest.is_empty() {
                Form::Cell
            } else {
                Form::Prefix
            };
            // A lone id must be followed by more cells (a table row), a titled id by its title.
            if form == Form::Prefix || l.filled().count() >= 2 {
                out.push(Candidate {
                    line: i,
                    form,
                    label: None,
                    cell: 0,
                    tok,
                });
            }
            continue;
        }
        if let Some((label, tok)) = id_after_label_in(lex, raw, i, first) {
            // `No.1` alone in the number column is a table's id cell; `取組項目1 題` a heading.
            let form = if tok.rest.is_empty() {
                Form::Cell
            } else {
                Form::LabelPrefix
            };
            if form == Form::Cell && l.filled().count() < 2 {
                // `取組番号　1` alone on its line: a label and its value one space apart, as
                // `取組番号 | 1` in two cells; `No.1` alone is not a record.
                if spaced_label_value(raw, i, first, &label) || marked_heading(raw, i, first) {
                    out.push(Candidate {
                        line: i,
                        form: Form::AfterLabel,
                        label: Some(label),
                        cell: 0,
                        tok,
                    });
                }
                continue;
            }
            out.push(Candidate {
                line: i,
                form,
                label: (form == Form::LabelPrefix).then_some(label),
                cell: 0,
                tok,
            });
            continue;
        }
        // `label | id …`: the label must be a record label or repeat at several records.
        let short = first.chars().count() <= 12;
        let repeated = label_counts.get(first.as_str()).copied().unwrap_or(0) >= 2;
        if !short || !(repeated || lex.is_record_label(first)) {
            continue;
        }
        if let Some((k, next)) = l.filled().nth(1) {
            if let Some(tok) = id_in(raw, i, k, next) {
                out.push(Candidate {
                    line: i,
                    form: Form::AfterLabel,
                    label: Some(first.clone()),
                    cell: k,
                    tok,
                });
            }
        }
    }
    let headings = key_headings::key_headings(lines, roles, &out);
    out.extend(headings);
    out.sort_by_key(|c| c.line);
    out
}

/// Calls `check` with every text of at most `max` pieces of `alphabet`, the empty text first: for
/// tests that compare a hand-written reader with the pattern it stands for on all short texts.
#[cfg(test)]
pub(crate) fn each_short_text(alphabet: &[&str], max: u32, mut check: impl FnMut(&str)) {
    let mut t = String::new();
    for n in 0..=max {
        for mut k in 0..alphabet.len().pow(n) {
            t.clear();
            for _ in 0..n {
                t.push_str(
                    alphabet
                        .get(k % alphabet.len())
                        .copied()
                        .unwrap_or_default(),
                );
                k /= alphabet.len();
            }
            check(&t);
        }
    }
}

/// Source lines of a test text: one line per line, cells split at tabs, numbered from 1.
#[cfg(test)]
pub(crate) fn tab_lines(text: &str) -> Vec<SourceLine> {
    text.lines()
        .enumerate()
        .map(|(i, l)| SourceLine {
            page: None,
            line: i as u32 + 1,
            cells: l.split('\t').map(str::to_string).collect(),
        })
        .collect()
}

/// [`tab_lines`] and their cleaned lines, as [`explode`] gives them.
#[cfg(test)]
pub(crate) fn tab_doc(text: &str) -> (Vec<SourceLine>, Vec<Line>) {
    let raw = tab_lines(text);
    let (r, l) = explode(&raw);
    (r.into_owned(), l)
}

/// An item numbered 1 whose schedule holds `cells` (fiscal year, text), nothing else read.
#[cfg(test)]
pub(crate) fn scheduled_item(cells: &[(i32, &str)]) -> crate::model::Item {
    let mut it: crate::model::Item = serde_json::from_value(serde_json::json!({
        "id":"1","number":null,"parent":null,"title":"題","is_new":false,"section":null,
        "section_id":null,"department":null,"lead_department":null,"rating":null,
        "fields":[],"findings":[],"current_state":[],"plan":[],"targets":[],"schedule":[],
        "progress":[],"source":{"page":null,"line":1}
    }))
    .unwrap_or_else(|e| panic!("item: {e}"));
    it.schedule = cells
        .iter()
        .map(|(y, t)| crate::model::ScheduleEntry {
            fiscal_year: Some(*y),
            label: format!("{y}"),
            text: t.to_string(),
            milestones: vec![],
            continues: false,
            notes: vec![],
            source: None,
        })
        .collect();
    it
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::lexicon::Lexicon;
    use furniture::is_page_number;
    use tab_doc as lines;

    /// A cell as printed, asked once or again, in any order: the cell's characters normalised
    /// (spaces collapsed, kept between words) and trimmed, as normalising it on every ask gave;
    /// the cleaned text for a cell the line does not have.
    #[test]
    fn spaced_cells_made_once_read_as_normalised() {
        let raw =
            tab_lines("　ア　窓口の見直し\tＮｏ．１\n題\t\t ２０２４年度 \n\nplain\tａｂ  ｃ");
        let lines = RawLines::new(&raw);
        let cases: [(usize, usize, &str); 9] = [
            (0, 1, "No.1"),
            (0, 0, "ア 窓口の見直し"),
            (0, 1, "No.1"),
            (1, 0, "題"),
            (1, 1, ""),
            (1, 2, "2024年度"),
            (3, 1, "ab c"),
            (3, 0, "plain"),
            (5, 0, "cleaned"),
        ];
        for (line, cell, want) in cases {
            for _ in 0..2 {
                assert_eq!(
                    spaced_cell(&lines, line, cell, "cleaned"),
                    want,
                    "{line}:{cell}"
                );
            }
            if let Some(c) = raw.get(line).and_then(|l| l.cells.get(cell)) {
                let old = crate::normalize::normalize_chars_cow(c).trim().to_string();
                assert_eq!(
                    spaced_cell_cow(&lines, line, cell, "cleaned"),
                    old,
                    "{line}:{cell}"
                );
            }
        }
        assert_eq!(spaced_cell(&lines, 0, 9, "x"), "x");
    }

    #[test]
    fn leaders_separate_cells() {
        let cases: [(&str, &[&str]); 6] = [
            ("① 題（市民課）…………Ａ", &["① 題（市民課）", "Ａ"]),
            ("題・・・・・・B", &["題", "B"]),
            ("題 ..... 3", &["題 ", " 3"]),
            // A list mark, an ellipsis in a sentence's end, dots with nothing after them.
            ("・a ・b", &["・a ・b"]),
            ("検討中…", &["検討中…"]),
            ("題……", &["題……"]),
        ];
        for (cell, want) in cases {
            assert_eq!(split_at_leaders(cell), want, "{cell}");
        }
        assert!(has_leader("題……Ａ"));
        assert!(!has_leader("検討中…"));
        // A PDF block of several such lines: each line its own, cut at its leaders.
        let raw = [SourceLine {
            page: Some(1),
            line: 3,
            cells: vec!["① 題……Ａ\n② 題……Ｂ".to_string()],
        }];
        let (_, lines) = explode(&raw);
        let cells: Vec<Vec<&str>> = lines
            .iter()
            .map(|l| l.cells.iter().map(|c| c.trim()).collect())
            .collect();
        assert_eq!(cells, [["① 題", "A"], ["② 題", "B"]]);
    }

    #[test]
    fn year_labels() {
        let cases = [
            ("H29", Some(2017)),
            ("R1", Some(2019)),
            ("令和2年度", Some(2020)),
            ("令和元年度", Some(2019)),
            ("2022年度", Some(2022)),
            ("R4計画", None),
            ("年度", None),
            ("令和3年度の実績", None),
            // A bare number is a value (a target of 2001 件), never a year column.
            ("2001", None),
            ("2023", None),
            // The year named again in the other era, in brackets: one year when both agree.
            ("平成31年度（令和元年度）", Some(2019)),
            ("H31(R1)", Some(2019)),
            ("令和元年度（2019年度）", Some(2019)),
            ("平成30年度（令和元年度）", None),
            ("令和2年度（見込み）", None),
        ];
        for (cell, want) in cases {
            assert_eq!(year_label(cell), want, "{cell}");
        }
    }

    #[test]
    fn page_numbers() {
        let cases = [
            ("- 3 -", true),
            ("－12－", true),
            ("3 / 12", true),
            ("P.4", true),
            ("3", false),
            ("取組3", false),
            ("1-1", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_page_number(text), want, "{text}");
        }
    }

    #[test]
    fn furniture_is_page_numbers_and_repeated_page_edges() {
        let (_, ls) = lines("市報告書\n1\t題\t課\n- 1 -\n\n市報告書\n2\t題\t課\n- 2 -");
        let f = furniture(&ls);
        // The title repeated on page 2 makes both copies page headers (the title is still chosen
        // from the first line: see `build::choose_title`).
        assert_eq!(f, [true, false, true, false, true, false, true]);
        // The same labelled value closing two records is their content.
        let (_, ls) = lines("■No.1\n題一\n評価:達成\n\n■No.2\n題二\n評価:達成");
        assert!(furniture(&ls).iter().all(|f| !f));
        // Pages not set apart by blank lines: a page number ends a page (so the title after it
        // starts one, and both copies are page headers as above), and the whole title again is a
        // page header wherever it stands.
        let (_, ls) =
            lines("市改革報告書\n1\t題\t課\n内容\n- 1 -\n市改革報告書\n内容の続き\n終わり\n- 2 -");
        assert_eq!(
            furniture(&ls),
            [true, false, false, true, true, false, false, true]
        );
    }

    #[test]
    fn header_rows_and_second_rows() {
        let lex = Lexicon::builtin();
        let (_, ls) =
            lines("番号\t取組項目\t担当課\t年度別の取組状況\n\t\t\tH29\tR1\n1\t題\t課\t実施\t→");
        let furn = furniture(&ls);
        let roles = classify(lex, &ls, &furn);
        assert_eq!(
            roles,
            [LineRole::Header, LineRole::HeaderCont, LineRole::Other]
        );
        let (_, ls) = lines("目標指標\t指標\t区分\t令和2年度\t令和3年度");
        assert_eq!(classify(lex, &ls, &[false]), [LineRole::TargetHeader]);
    }

    #[test]
    fn candidates_by_form() {
        let lex = Lexicon::builtin();
        let text = "取組項目\t1\t題一\n(1) 題二\n取組項目2 題三\nNo.3\t題四\t課\n【取組4】題五\n【取組5 題六】\n〔取組6〕\n◆取組7◆　題七";
        let (raw, ls) = lines(text);
        let roles = classify(lex, &ls, &furniture(&ls));
        let got: Vec<(Form, String, String)> = candidates(lex, &ls, &RawLines::new(&raw), &roles)
            .into_iter()
            .map(|c| (c.form, c.tok.text, c.tok.rest))
            .collect();
        let want = [
            (Form::AfterLabel, "1", ""),
            (Form::Prefix, "(1)", "題二"),
            (Form::LabelPrefix, "2", "題三"),
            (Form::Cell, "3", ""),
            // a bracketed label and id, the title after the bracket
            (Form::LabelPrefix, "4", "題五"),
            // a label and id framed by a heading mark on both sides
            (Form::LabelPrefix, "7", "題七"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, (f, id, rest)) in got.iter().zip(want) {
            assert_eq!((g.0, g.1.as_str(), g.2.as_str()), (f, id, rest));
        }
    }

    /// Rows of a table drawn with pipes are cut at the pipes; a text with a pipe inside only, or
    /// a line of several cells, is not.
    #[test]
    fn pipe_table_rows_are_cells() {
        let rows: Vec<SourceLine> = [
            vec!["| No. | 取組名 | 所管課 |"],
            vec!["｜1｜窓口の改善｜市民課｜"],
            vec!["評価は A|B の二段階"],
            vec!["|a", "b|"],
        ]
        .iter()
        .enumerate()
        .map(|(i, cells)| SourceLine {
            page: None,
            line: i as u32 + 1,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        })
        .collect();
        let (_, lines) = explode(&rows);
        let got: Vec<Vec<&str>> = lines
            .iter()
            .map(|l| l.cells.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            got,
            [
                vec!["No.", "取組名", "所管課"],
                vec!["1", "窓口の改善", "市民課"],
                vec!["評価は A|B の二段階"],
                vec!["|a", "b|"],
            ]
        );
    }

    #[test]
    fn explode_splits_single_cell_blocks_only() {
        let raw = vec![
            SourceLine {
                page: Some(1),
                line: 1,
                cells: vec!["(1) 題\n【取組内容】\n本文".into()],
            },
            SourceLine {
                page: Some(1),
                line: 2,
                cells: vec!["ラベル".into(), "一行目\n二行目".into()],
            },
        ];
        let (r, l) = explode(&raw);
        assert_eq!(r.len(), 4);
        assert_eq!(l.len(), 4);
        assert_eq!(l[1].cells, ["【取組内容】"]);
        assert_eq!(l[3].cells.len(), 2);
    }
}
