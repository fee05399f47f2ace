//! Cells set apart by gaps of one fixed form, not padded to columns: tabs expanded to tab stops
//! (what `expand` or a terminal copy gives) and two full-width spaces between cells (plain-text
//! and Word-exported reports).
//!
//! In both, the cells of a line are set apart by runs of spaces as in space-aligned text
//! ([`super::layout_text`]), but the columns do not line up from line to line: a cell's width
//! moves every cell after it. What tells such a text is the form of its gaps, which padding to a
//! column does not give:
//!
//! - tab stops: every gap of two or more spaces is half-width spaces ending at a tab stop (every
//!   8 columns), columns counted by display width (a wide or ambiguous-width character two
//!   columns, or one), one per character (`str.expandtabs`), or one per UTF-8 byte (`expand`
//!   without multibyte support);
//! - full-width pairs: every gap of two or more spaces is full-width spaces, an even number.
//!
//! Nine runs of two or more spaces in ten of that form (between words or opening a line: a text
//! set in columns on a grid of tab stops indents its rows' labels by other runs), and at least
//! eight gaps between words on three lines or more, make a text gapped (it may be mostly prose,
//! with a table or two). Each line is then split at its gaps as a tab-separated line is at its
//! tabs: a gap is one cell boundary per tab stop it reaches or per pair of full-width spaces, so
//! a gap of two tabs leaves an empty cell between, and the spaces that open a line are that many
//! empty cells before its first. A gap of another form stays inside the cell, and so does a
//! single space (`令和5年度 取組状況`), unless it is a tab reaching a stop in a row that has fewer
//! cells than the rows around it ([`split_among`]). The cells then go the way of a tab-separated
//! text's.

use crate::source::SourceDoc;
use unicode_width::UnicodeWidthChar;

/// How a gapped text's gaps are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gaps {
    /// Tabs expanded to stops every `every` columns, counted as `count` says.
    Stops { count: Count, every: usize },
    /// Each tab written as two full-width spaces.
    Pairs,
}

/// How the columns of a line are counted when tabs were expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Display width, an ambiguous-width character (○, ※, ―) two columns (a CJK terminal).
    Wide,
    /// Display width, an ambiguous-width character one column.
    Narrow,
    /// One column per character.
    Chars,
    /// One column per UTF-8 byte.
    Bytes,
}

impl Count {
    const ALL: [Count; 4] = [Count::Wide, Count::Narrow, Count::Chars, Count::Bytes];

    fn width(self, c: char) -> usize {
        match self {
            Count::Wide => match c {
                '\u{3000}' => 2,
                c => c.width_cjk().unwrap_or(0),
            },
            Count::Narrow => match c {
                '\u{3000}' => 2,
                c => c.width().unwrap_or(0),
            },
            Count::Chars => 1,
            Count::Bytes => c.len_utf8(),
        }
    }
}

/// Columns from one tab stop to the next, as `expand`, terminals and `str.expandtabs` set them.
/// (Stops every 4 columns are not tried: one gap in four ends on one by chance, and a text set
/// in columns on a grid of 4 is read as well by its alignment.)
const TAB_WIDTH: usize = 8;

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

/// A gap between two words of a line: where it starts and ends (character indexes, the end
/// being the next word's first character), and whether it opens the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Gap {
    start: usize,
    end: usize,
    leading: bool,
}

/// The runs of spaces of a line before a word: the spaces opening the line (any number) and the
/// gaps of two or more spaces between words (of one or more with `singles`). Spaces at the
/// line's end are none.
fn gaps_of(chars: &[char], singles: bool) -> Vec<Gap> {
    let least = if singles { 1 } else { 2 };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).copied().is_some_and(is_space) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        if i < chars.len() && (start == 0 || i - start >= least) {
            out.push(Gap {
                start,
                end: i,
                leading: start == 0,
            });
        }
    }
    out
}

/// The column each character of a line starts at, and the line's end column.
fn columns(chars: &[char], count: Count) -> Vec<usize> {
    let mut out = Vec::with_capacity(chars.len() + 1);
    let mut col = 0;
    for &c in chars {
        out.push(col);
        col += count.width(c);
    }
    out.push(col);
    out
}

/// Whether a gap is of the given form: half-width spaces ending at a tab stop (`cols`: the
/// column of each character of the line, as [`columns`] counts them), or full-width spaces, an
/// even number of them.
fn of_form(chars: &[char], cols: &[usize], g: &Gap, gaps: Gaps) -> bool {
    let run = chars.get(g.start..g.end).unwrap_or_default();
    match gaps {
        // `expand` and a terminal write a tab as half-width spaces
        Gaps::Stops { every, .. } => {
            run.iter().all(|&c| c == ' ') && cols.get(g.end).is_some_and(|c| c % every == 0)
        }
        Gaps::Pairs => run.iter().all(|&c| c == '\u{3000}') && run.len() % 2 == 0,
    }
}

/// The columns of a line's characters under a form (none needed for full-width pairs).
fn columns_for(chars: &[char], gaps: Gaps) -> Vec<usize> {
    match gaps {
        Gaps::Stops { count, .. } => columns(chars, count),
        Gaps::Pairs => Vec::new(),
    }
}

/// Share of gaps of one form that make a text gapped, in tenths.
const SHARE: usize = 9;
/// Lines with gaps, and gaps, that a gapped text has at least: gaps that end at tab stops by
/// chance (one in four or eight) are this many only in a text of aligned columns with hardly any.
const MIN_LINES: usize = 3;
const MIN_GAPS: usize = 8;

/// How a text's gaps are formed, when its cells are set apart by gaps of one fixed form; None
/// for a text of lines without gaps, or whose gaps pad cells to columns.
pub fn detect<S: AsRef<str>>(lines: impl Iterator<Item = S>) -> Option<Gaps> {
    let forms: Vec<Gaps> = Count::ALL
        .map(|count| Gaps::Stops {
            count,
            every: TAB_WIDTH,
        })
        .into_iter()
        .chain([Gaps::Pairs])
        .collect();
    // runs of two or more spaces (opening a line or between words), those of each form, gaps
    // between words and the lines having them: one pass, a line at a time
    let (mut runs, mut held) = (0usize, vec![0usize; forms.len()]);
    let (mut inner, mut gapped_lines) = (0usize, 0usize);
    for l in lines {
        let chars: Vec<char> = l.as_ref().trim_end().chars().collect();
        let gs: Vec<Gap> = gaps_of(&chars, false)
            .into_iter()
            .filter(|g| g.end - g.start >= 2)
            .collect();
        if gs.is_empty() {
            continue;
        }
        let between = gs.iter().filter(|g| !g.leading).count();
        inner += between;
        gapped_lines += usize::from(between > 0);
        runs += gs.len();
        for (h, &form) in held.iter_mut().zip(&forms) {
            let cols = columns_for(&chars, form);
            *h += gs
                .iter()
                .filter(|g| of_form(&chars, &cols, g, form))
                .count();
        }
    }
    if gapped_lines < MIN_LINES || inner < MIN_GAPS {
        return None;
    }
    forms
        .into_iter()
        .zip(held)
        .find(|&(_, h)| h * 10 >= runs * SHARE)
        .map(|(form, _)| form)
}

/// A line split into cells at its gaps of the text's form: one boundary per tab stop a gap
/// reaches (per pair of full-width spaces), the spaces opening the line that many empty cells.
pub fn split(line: &str, gaps: Gaps) -> Vec<String> {
    split_at(line, gaps, false)
}

/// Lines looked at above and below a line for the cells of the rows around it.
pub const NEAR: usize = 3;

/// A line split into cells among the lines around it (`above` and `below`, nearest first, up to
/// [`NEAR`] each). A tab written as a single space (after a cell ending one column before a stop)
/// cannot be told from a space between two words: the single spaces reaching a stop are
/// boundaries only when the line has fewer cells than a row among the lines around it and
/// splitting at them all gives it as many as one of those rows (a row that lost cells to them;
/// its neighbours may have lost theirs too, the table's header not; a total row has fewer cells
/// than the rows above it).
pub fn split_among(line: &str, above: &[&str], below: &[&str], gaps: Gaps) -> Vec<String> {
    let cells = split_at(line, gaps, false);
    if !matches!(gaps, Gaps::Stops { .. }) {
        return cells;
    }
    let rows: Vec<usize> = above
        .iter()
        .take(NEAR)
        .chain(below.iter().take(NEAR))
        .map(|l| split_at(l, gaps, false).len())
        .filter(|&n| n >= 2)
        .collect();
    if rows.iter().all(|&n| n <= cells.len()) {
        return cells;
    }
    let more = split_at(line, gaps, true);
    if rows.contains(&more.len()) {
        more
    } else {
        cells
    }
}

/// A line split at its gaps, and at its single spaces reaching a stop with `singles`.
fn split_at(line: &str, gaps: Gaps, singles: bool) -> Vec<String> {
    let chars: Vec<char> = line.trim_end().chars().collect();
    if chars.is_empty() {
        return vec![line.to_string()];
    }
    let cols = columns_for(&chars, gaps);
    let mut cells = vec![String::new()];
    let mut at = 0;
    for g in gaps_of(&chars, singles) {
        let run = chars.get(g.start..g.end).unwrap_or_default();
        let boundary = match gaps {
            Gaps::Stops { .. } => {
                of_form(&chars, &cols, &g, gaps) && (run.len() >= 2 || run == [' '])
            }
            // a pair or more: an odd space left opens the next cell
            Gaps::Pairs => run.len() >= 2 && run.iter().all(|&c| c == '\u{3000}'),
        };
        if !boundary {
            continue;
        }
        let tabs = match gaps {
            Gaps::Stops { every, .. } => {
                let (from, to) = (
                    cols.get(g.start).copied().unwrap_or(0),
                    cols.get(g.end).copied().unwrap_or(0),
                );
                // the stops in (from, to]; the spaces opening a line reach from its start
                to / every - if g.leading { 0 } else { from / every }
            }
            Gaps::Pairs => (g.end - g.start) / 2,
        };
        if let Some(c) = cells.last_mut() {
            c.extend(chars.get(at..g.start).unwrap_or_default());
        }
        cells.extend(std::iter::repeat_n(String::new(), tabs));
        at = match gaps {
            Gaps::Stops { .. } => g.end,
            Gaps::Pairs => g.end - run.len() % 2,
        };
    }
    if let Some(c) = cells.last_mut() {
        c.extend(chars.get(at..).unwrap_or_default());
    }
    cells
}

/// A gapped text's lines split into cells; the document unchanged when it is not gapped (or
/// its lines already have cells).
pub fn split_doc(mut doc: SourceDoc) -> SourceDoc {
    if doc.lines.iter().any(|l| l.cells.len() > 1) {
        return doc;
    }
    let Some(gaps) = detect(
        doc.lines
            .iter()
            .map(|l| l.cells.first().map(String::as_str).unwrap_or_default()),
    ) else {
        return doc;
    };
    let texts: Vec<String> = doc
        .lines
        .iter_mut()
        .map(|l| l.cells.pop().unwrap_or_default())
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (k, l) in doc.lines.iter_mut().enumerate() {
        let text = texts.get(k).copied().unwrap_or_default();
        let above: Vec<&str> = texts
            .get(..k)
            .unwrap_or_default()
            .iter()
            .rev()
            .take(NEAR)
            .copied()
            .collect();
        let below = texts.get(k + 1..).unwrap_or_default();
        l.cells = split_among(text, &above, below, gaps);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tabs written as the spaces reaching the next stop, a full-width character two columns.
    fn expand(line: &str, every: usize, count: Count) -> String {
        let mut out = String::new();
        let mut col = 0;
        for c in line.chars() {
            if c == '\t' {
                let next = (col / every + 1) * every;
                out.extend(std::iter::repeat_n(' ', next - col));
                col = next;
            } else {
                out.push(c);
                col += count.width(c);
            }
        }
        out
    }

    const REPORT: &[&str] = &[
        "令和5年度 行政改革実施計画 進捗状況",
        "番号\t取組項目\t担当部課\t評価",
        "1\t窓口改善\t市民\t順調",
        "2\t公共施設の統廃合 第2期\t資産\t遅れ",
        "\t\t（再掲）\t",
        "3\t電子申請の拡大\t\t完了",
        "※ 評価は令和6年3月末現在",
    ];

    fn cells(line: &str) -> Vec<String> {
        line.split('\t').map(str::to_string).collect()
    }

    #[test]
    fn forms_told_from_the_gaps() {
        let cases: Vec<(&str, Vec<String>, Option<Gaps>)> = vec![
            (
                "tabs expanded, display width",
                REPORT.iter().map(|l| expand(l, 8, Count::Wide)).collect(),
                Some(Gaps::Stops {
                    count: Count::Wide,
                    every: 8,
                }),
            ),
            (
                "tabs expanded, UTF-8 bytes",
                REPORT.iter().map(|l| expand(l, 8, Count::Bytes)).collect(),
                Some(Gaps::Stops {
                    count: Count::Bytes,
                    every: 8,
                }),
            ),
            (
                "tabs expanded, one column per character",
                REPORT.iter().map(|l| expand(l, 8, Count::Chars)).collect(),
                Some(Gaps::Stops {
                    count: Count::Chars,
                    every: 8,
                }),
            ),
            (
                "two full-width spaces",
                REPORT
                    .iter()
                    .map(|l| l.replace('\t', "\u{3000}\u{3000}"))
                    .collect(),
                Some(Gaps::Pairs),
            ),
            (
                "padded to columns",
                vec![
                    "番号   取組項目             担当課       評価".into(),
                    "1      窓口の改善           市民課       順調".into(),
                    "2      公共施設の統廃合     資産管理課   遅れ".into(),
                    "3      電子申請の拡大       情報政策課   完了".into(),
                ],
                None,
            ),
            (
                "full-width spaces padding to columns",
                vec![
                    "取組項目　　　窓口の改善".into(),
                    "担当課　　　　市民課".into(),
                    "評価　　　　　順調".into(),
                    "取組項目　　　電子申請の拡大".into(),
                ],
                None,
            ),
            (
                "full-width spaces setting columns on a grid of tab stops, labels indented",
                vec![
                    "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}２０２２年度\u{3000}\u{3000}２０２３年度".into(),
                    "\u{3000}\u{3000}\u{3000}目標\u{3000}\u{3000}\u{3000}５０，０００\u{3000}\u{3000}６０，０００".into(),
                    "\u{3000}\u{3000}\u{3000}実績\u{3000}\u{3000}\u{3000}５２，３００\u{3000}\u{3000}５８，１００".into(),
                    "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}２０２２年度\u{3000}\u{3000}２０２３年度".into(),
                    "\u{3000}\u{3000}\u{3000}目標\u{3000}\u{3000}\u{3000}２\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}２".into(),
                    "\u{3000}\u{3000}\u{3000}実績\u{3000}\u{3000}\u{3000}１\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}０".into(),
                ],
                None,
            ),
            (
                "full-width spaces setting labels' values on a tab stop",
                vec![
                    "\u{3000}担当課\u{3000}\u{3000}\u{3000}\u{3000}総務課".into(),
                    "\u{3000}取組内容\u{3000}\u{3000}\u{3000}電子申請の対象を広げる。".into(),
                    "\u{3000}達成度\u{3000}\u{3000}\u{3000}\u{3000}Ａ".into(),
                    "\u{3000}担当課\u{3000}\u{3000}\u{3000}\u{3000}管財課".into(),
                    "\u{3000}取組内容\u{3000}\u{3000}\u{3000}公用車を共同利用する。".into(),
                    "\u{3000}達成度\u{3000}\u{3000}\u{3000}\u{3000}Ｂ".into(),
                    "\u{3000}担当課\u{3000}\u{3000}\u{3000}\u{3000}生涯学習課".into(),
                    "\u{3000}取組内容\u{3000}\u{3000}\u{3000}プールを共同利用する。".into(),
                    "\u{3000}達成度\u{3000}\u{3000}\u{3000}\u{3000}Ｃ".into(),
                ],
                None,
            ),
            (
                "single spaces only",
                vec![
                    "1 窓口の改善 市民課 順調".into(),
                    "2 電子申請の拡大 情報政策課 完了".into(),
                    "3 公共施設の統廃合 資産管理課 遅れ".into(),
                ],
                None,
            ),
            (
                "gaps on too few lines",
                vec![
                    "1\u{3000}\u{3000}窓口の改善".into(),
                    "本文です。".into(),
                    "本文です。".into(),
                    "本文です。".into(),
                ],
                None,
            ),
        ];
        for (what, lines, want) in cases {
            assert_eq!(detect(lines.iter()), want, "{what}");
        }
    }

    #[test]
    fn lines_split_as_their_tabs() {
        let forms = [
            (8, Count::Wide),
            (8, Count::Narrow),
            (8, Count::Bytes),
            (8, Count::Chars),
        ];
        for (every, count) in forms {
            let text: Vec<String> = REPORT.iter().map(|l| expand(l, every, count)).collect();
            let gaps = detect(text.iter()).expect("gapped");
            for (line, written) in REPORT.iter().zip(&text) {
                let mut got = split(written, gaps);
                // a tab at the line's end leaves no spaces to tell it
                let mut want = cells(line);
                while want.len() > 1 && want.last().is_some_and(String::is_empty) {
                    want.pop();
                }
                while got.len() > want.len() && got.last().is_some_and(String::is_empty) {
                    got.pop();
                }
                assert_eq!(got, want, "{every} {count:?}: {written:?}");
            }
        }
        let pairs: Vec<String> = REPORT
            .iter()
            .map(|l| l.replace('\t', "\u{3000}\u{3000}"))
            .collect();
        let gaps = detect(pairs.iter()).expect("gapped");
        for (line, written) in REPORT.iter().zip(&pairs) {
            let mut want = cells(line);
            while want.len() > 1 && want.last().is_some_and(String::is_empty) {
                want.pop();
            }
            assert_eq!(split(written, gaps), want, "{written:?}");
        }
    }

    #[test]
    fn spaces_inside_a_cell_stay() {
        let cases = [
            (
                "1\u{3000}\u{3000}令和5年度 取組状況\u{3000}\u{3000}市民課",
                Gaps::Pairs,
                vec!["1", "令和5年度 取組状況", "市民課"],
            ),
            (
                "評価\u{3000}Ａ\u{3000}\u{3000}\u{3000}\u{3000}順調",
                Gaps::Pairs,
                vec!["評価\u{3000}Ａ", "", "順調"],
            ),
            (
                // a gap of three full-width spaces: one boundary, a space opening the next cell
                "番号\u{3000}\u{3000}\u{3000}評価",
                Gaps::Pairs,
                vec!["番号", "\u{3000}評価"],
            ),
            (
                // two spaces not reaching a stop stay inside the cell
                "1       令和5年度  取組状況     市民課",
                Gaps::Stops {
                    count: Count::Wide,
                    every: 8,
                },
                vec!["1", "令和5年度  取組状況", "市民課"],
            ),
            (
                // a single space reaching a tab stop stays: a space between words
                "1       窓口の改善 市民課       順調",
                Gaps::Stops {
                    count: Count::Bytes,
                    every: 8,
                },
                vec!["1", "窓口の改善 市民課", "順調"],
            ),
            (
                "                実績    142",
                Gaps::Stops {
                    count: Count::Wide,
                    every: 8,
                },
                vec!["", "", "実績", "142"],
            ),
        ];
        for (line, gaps, want) in cases {
            assert_eq!(split(line, gaps), want, "{line:?}");
        }
    }

    #[test]
    fn single_spaces_at_a_stop_by_the_lines_around() {
        let stops = Gaps::Stops {
            count: Count::Wide,
            every: 8,
        };
        let row = "2       電子申請        情報課  完了";
        let short = "3       計画";
        // what, line, the lines above and below (nearest first), cells
        type Case<'a> = (&'a str, &'a str, Vec<&'a str>, Vec<&'a str>, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (
                "a row that lost a cell to a single space: split",
                "1       窓口改善        110.0％ Ａ",
                vec![row],
                vec![],
                vec!["1", "窓口改善", "110.0％", "Ａ"],
            ),
            (
                "the row below, past a heading and a blank line, tells it too",
                "1       窓口改善        110.0％ Ａ",
                vec!["見出し"],
                vec!["", "見出し", row],
                vec!["1", "窓口改善", "110.0％", "Ａ"],
            ),
            (
                "the row with more cells of the two",
                "1       窓口改善        110.0％ Ａ",
                vec![short],
                vec![row],
                vec!["1", "窓口改善", "110.0％", "Ａ"],
            ),
            (
                "rows that all lost a cell, under the header that did not",
                "        令和4年度       150,000 161,200",
                vec![
                    "        令和3年度       120,000 98,400",
                    "        年度    目標    実績",
                ],
                vec!["        令和5年度       180,000 203,500"],
                vec!["", "令和4年度", "150,000", "161,200"],
            ),
            (
                "a total row, under a subtotal row and a longer row",
                "合計                            120,100 81,140  67.6%",
                vec![
                    "小計                            51,500  26,580  51.6%",
                    "        8       有料化  施設課  1,500   960     64.0%   広告枠を増やした。",
                ],
                vec![],
                vec!["合計", "", "", "", "120,100", "81,140", "67.6%"],
            ),
            (
                "as many cells as the rows next to it: the space stays",
                "1       令和5年 取組    市民課  完了",
                vec![row],
                vec![row],
                vec!["1", "令和5年 取組", "市民課", "完了"],
            ),
            (
                "a space not reaching a stop stays",
                "1       令和 取組       市民課",
                vec![row],
                vec![],
                vec!["1", "令和 取組", "市民課"],
            ),
            (
                "splitting at every such space gives too many cells: none is split",
                "1       7月に開始した。 ○交付  110.0％ Ａ",
                vec![row],
                vec![],
                vec!["1", "7月に開始した。 ○交付", "110.0％ Ａ"],
            ),
            (
                "no row near it: the space stays",
                "1       窓口改善        110.0％ Ａ",
                vec!["", "見出し", "見出し", "見出し", row],
                vec![""],
                vec!["1", "窓口改善", "110.0％ Ａ"],
            ),
        ];
        for (what, line, above, below, want) in cases {
            assert_eq!(split_among(line, &above, &below, stops), want, "{what}");
        }
        // two full-width spaces are the only gap of their form: a single space is a space
        let pairs = "1\u{3000}\u{3000}窓口改善 Ａ";
        let next = "2\u{3000}\u{3000}電子申請\u{3000}\u{3000}完了";
        assert_eq!(
            split_among(pairs, &[next], &[], Gaps::Pairs),
            ["1", "窓口改善 Ａ"]
        );
    }

    #[test]
    fn documents_with_cells_stay_as_read() {
        let doc = |cells: Vec<Vec<&str>>| SourceDoc {
            lines: cells
                .into_iter()
                .enumerate()
                .map(|(k, c)| crate::source::SourceLine {
                    page: None,
                    line: k as u32 + 1,
                    cells: c.into_iter().map(str::to_string).collect(),
                })
                .collect(),
            ..SourceDoc::default()
        };
        let fw = "1\u{3000}\u{3000}窓口の改善\u{3000}\u{3000}順調";
        let tabbed = doc(vec![vec!["1", "窓口の改善"], vec![fw], vec![fw], vec![fw]]);
        assert_eq!(split_doc(tabbed.clone()).lines, tabbed.lines);
        let gapped = split_doc(doc(vec![vec![fw]; 4]));
        assert!(gapped
            .lines
            .iter()
            .all(|l| l.cells == ["1", "窓口の改善", "順調"]));
    }
}
