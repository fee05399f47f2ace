//! Header rows into columns: one row, a spanning row over a second row (`令和5年度` over
//! `目標 | 実績`), or a row whose cells wrap onto a second line (`令和３年度の` over `取組実績`).

use super::ids::{self, Scheme};
use super::rows::{is_choice, label_info, Column};
use super::{is_label_cell, LineRole};
use crate::fields::lexicon::{Lexicon, Role};
use crate::records::line::Line;

/// Is `below` the rest of `top`'s cells, wrapped onto a second line (`番号 | 取組項目 | 令和３年度の |
/// 進捗` over ` |  | 取組実績 | 状況`), rather than the lower row of a header with spanning cells?
///
/// The shape decides: every cell of `below` stands under a filled cell of `top`, `top` has no
/// empty cell between its first and last (a spanning cell leaves the cells it spans empty), and
/// at least one of those upper cells is no label by itself (`令和３年度の`, `今後の`: a word cut
/// off), while most of the joined cells are labels the lexicon knows.
pub(super) fn wraps_onto(lex: &Lexicon, top: &Line, below: &Line) -> bool {
    let filled: Vec<(usize, &str)> = below.filled().collect();
    if filled.is_empty() || below.cells.first().is_some_and(|c| !c.trim().is_empty()) {
        return false;
    }
    let top_at = |j: usize| top.cells.get(j).map_or("", |c| c.trim());
    let Some(last) = top.cells.iter().rposition(|c| !c.trim().is_empty()) else {
        return false;
    };
    let first = top
        .cells
        .iter()
        .position(|c| !c.trim().is_empty())
        .unwrap_or(0);
    if (first..=last).any(|j| top_at(j).is_empty()) {
        return false;
    }
    if filled.iter().any(|&(j, _)| top_at(j).is_empty()) {
        return false;
    }
    let cut = filled.iter().any(|&(j, _)| !is_label_cell(lex, top_at(j)));
    let joined = filled
        .iter()
        .filter(|&&(j, c)| is_label_cell(lex, &format!("{}{}", top_at(j), c.trim())))
        .count();
    cut && joined * 2 > filled.len()
}

/// The header of the table that line `at` opens, when that line is a table header (blank lines
/// and the legend printed over the table skipped), with its second row.
fn header_at(lex: &Lexicon, lines: &[Line], roles: &[LineRole], at: usize) -> Option<Vec<Column>> {
    let skipped = |k: usize| match roles.get(k) {
        Some(LineRole::Blank | LineRole::Legend) => true,
        Some(LineRole::Other) => lines.get(k).is_some_and(|l| {
            crate::fields::legend::legend_in_line_with(&l.joined(), lex)
                .is_some_and(|lg| lg.entries.len() >= 2)
        }),
        _ => false,
    };
    let k = (at..lines.len()).find(|&k| !skipped(k))?;
    if roles.get(k) != Some(&LineRole::Header) {
        return None;
    }
    let second = (roles.get(k + 1) == Some(&LineRole::HeaderCont))
        .then(|| lines.get(k + 1))
        .flatten();
    Some(header_columns(lex, lines.get(k)?, second))
}

/// The numbered heading of one cell on line `at - 1` (`１　継続中の取組`) when it stands over a
/// table (the next line but blanks is a table header) and the heading numbered next stands over
/// a table too (`２　完了した取組`): a band over its table, as the later one is over its own,
/// not a chapter of the front matter. Returns the table's columns.
pub(super) fn table_below(
    lex: &Lexicon,
    lines: &[Line],
    roles: &[LineRole],
    at: usize,
) -> Option<Vec<Column>> {
    let heading = |k: usize| {
        let l = lines.get(k)?;
        let [(_, one)] = l.filled().collect::<Vec<_>>()[..] else {
            return None;
        };
        ids::id_at_start(&crate::normalize::normalize(one))
            .filter(|t| t.scheme == Scheme::Number && !t.rest.trim().is_empty())
    };
    // `【集会施設】` over a header, as another such heading is further down.
    let band = |k: usize| {
        lines.get(k).is_some_and(|l| {
            matches!(l.filled().collect::<Vec<_>>()[..], [(0, one)] if super::band_headings::bracketed_band(lex, one))
        })
    };
    if band(at.checked_sub(1)?) {
        let cols = header_at(lex, lines, roles, at)?;
        return (at..lines.len())
            .any(|k| band(k) && header_at(lex, lines, roles, k + 1).is_some())
            .then_some(cols);
    }
    let tok = heading(at.checked_sub(1)?)?;
    let cols = header_at(lex, lines, roles, at)?;
    (at..lines.len())
        .any(|k| {
            heading(k).is_some_and(|t| t.ordinal == tok.ordinal + 1)
                && header_at(lex, lines, roles, k + 1).is_some()
        })
        .then_some(cols)
}

pub(super) fn header_columns(lex: &Lexicon, first: &Line, second: Option<&Line>) -> Vec<Column> {
    if let Some(below) = second.filter(|s| wraps_onto(lex, first, s)) {
        return wrapped_columns(lex, first, below);
    }
    let n = first.cells.len().max(second.map_or(0, |s| s.cells.len()));
    let mut out = Vec::with_capacity(n);
    let mut span_label = String::new();
    let choices = choice_columns(lex, first, second);
    for j in 0..n {
        let top = first.cells.get(j).map(|s| s.trim()).unwrap_or("");
        let below = second
            .and_then(|s| s.cells.get(j))
            .map(|s| s.trim())
            .unwrap_or("");
        if !top.is_empty() {
            span_label = top.to_string();
        }
        let (label, own) = if below.is_empty() {
            (top.to_string(), top)
        } else if span_label.is_empty() {
            (below.to_string(), below)
        } else {
            (format!("{span_label} › {below}"), below)
        };
        let (mut roles, mut year) = label_info(lex, own);
        if roles.is_empty() && choices && is_choice(lex, own) {
            roles = vec![Role::Rating];
        }
        if !below.is_empty() && !span_label.is_empty() {
            let (parent_roles, parent_year) = label_info(lex, &span_label);
            for r in parent_roles {
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
            year = year.or(parent_year);
        }
        out.push(Column {
            label,
            own: own.to_string(),
            roles,
            year,
        });
    }
    out
}

/// Whether the header's columns include ratings as columns of their own (`達成 | 概ね達成 |
/// 未達成`): two such cells or more in one of its rows. One cell naming a rating word is no
/// choice (`完了年度`: the year a finished item was done).
fn choice_columns(lex: &Lexicon, first: &Line, second: Option<&Line>) -> bool {
    [Some(first), second]
        .into_iter()
        .flatten()
        .any(|l| l.filled().filter(|(_, c)| is_choice(lex, c)).count() >= 2)
}

/// The columns of a header whose cells wrap onto a second line: each cell joined with the rest
/// printed under it.
fn wrapped_columns(lex: &Lexicon, first: &Line, below: &Line) -> Vec<Column> {
    let n = first.cells.len().max(below.cells.len());
    let choices = choice_columns(lex, first, Some(below));
    (0..n)
        .map(|j| {
            let top = first.cells.get(j).map_or("", |s| s.trim());
            let rest = below.cells.get(j).map_or("", |s| s.trim());
            let label = format!("{top}{rest}");
            let (mut roles, year) = label_info(lex, &label);
            if roles.is_empty() && choices && is_choice(lex, &label) {
                roles = vec![Role::Rating];
            }
            Column {
                own: label.clone(),
                label,
                roles,
                year,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_as_columns_need_two_of_them() {
        let lex = Lexicon::builtin();
        // (header row, the columns read as ratings)
        let cases: [(&[&str], &[usize]); 3] = [
            (
                &["番号", "取組名", "達成", "概ね達成", "未達成"],
                &[2, 3, 4],
            ),
            (&["No.", "取組名", "所管課", "完了年度", "成果"], &[]),
            (&["No.", "取組名", "完了", "備考"], &[]),
        ];
        for (cells, want) in cases {
            let rating: Vec<usize> = header_columns(lex, &Line::of(cells), None)
                .iter()
                .enumerate()
                .filter(|(_, c)| c.roles == [Role::Rating])
                .map(|(j, _)| j)
                .collect();
            assert_eq!(rating, want, "{cells:?}");
        }
    }

    #[test]
    fn a_numbered_heading_over_a_table_is_a_band_when_the_next_one_is_too() {
        let lex = Lexicon::builtin();
        let header = &["No.", "取組名", "所管課", "進捗"][..];
        let row = &["1", "窓口の改善", "市民課", "○"][..];
        // (lines, whether the first line is a band over its table)
        let legend = &["評価の区分　◎：達成した　○：概ね達成した　△：達成できなかった"][..];
        let cases: [(Vec<&[&str]>, bool); 5] = [
            (
                vec![
                    &["１　継続中の取組"],
                    header,
                    row,
                    &["２　完了した取組"],
                    header,
                ],
                true,
            ),
            // A legend printed between a heading and its table.
            (
                vec![
                    &["１　取組一覧"],
                    header,
                    row,
                    &["２　評価一覧"],
                    legend,
                    header,
                ],
                true,
            ),
            (
                vec![
                    &["１　取組一覧"],
                    legend,
                    header,
                    row,
                    &["２　評価一覧"],
                    header,
                ],
                true,
            ),
            // No heading numbered next over a table: a chapter of the front matter.
            (vec![&["２　取組の状況"], header, row], false),
            (
                vec![
                    &["１　継続中の取組"],
                    header,
                    row,
                    &["２　完了した取組"],
                    row,
                ],
                false,
            ),
        ];
        for (cells, want) in cases {
            let lines: Vec<Line> = cells.iter().map(|c| Line::of(c)).collect();
            let furn = vec![false; lines.len()];
            let roles = super::super::classify(lex, &lines, &furn);
            assert_eq!(
                table_below(lex, &lines, &roles, 1).is_some(),
                want,
                "{cells:?}"
            );
        }
    }

    #[test]
    fn cells_wrapped_onto_a_second_line_are_joined_and_spans_are_not() {
        let lex = Lexicon::builtin();
        // (upper row, lower row, wrapped, labels of the columns)
        type Case<'a> = (&'a [&'a str], &'a [&'a str], bool, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                &[
                    "番号",
                    "取組項目",
                    "担当課",
                    "令和３年度の",
                    "進捗",
                    "今後の",
                ],
                &["", "", "", "取組実績", "状況", "方向性"],
                true,
                &[
                    "番号",
                    "取組項目",
                    "担当課",
                    "令和３年度の取組実績",
                    "進捗状況",
                    "今後の方向性",
                ],
            ),
            // A spanning cell leaves the cells it spans empty: a two-row header.
            (
                &["番号", "取組項目", "令和5年度", "", "評価"],
                &["", "", "目標", "実績", ""],
                false,
                &[
                    "番号",
                    "取組項目",
                    "令和5年度 › 目標",
                    "令和5年度 › 実績",
                    "評価",
                ],
            ),
            // Every upper cell a label by itself: a year over one column, not a cut word.
            (
                &["番号", "取組項目", "令和5年度", "評価"],
                &["", "", "実績", ""],
                false,
                &["番号", "取組項目", "令和5年度 › 実績", "評価"],
            ),
            // A lower cell under an empty upper one: the cell before spans it.
            (
                &["番号", "取組項目", "", "今後の"],
                &["", "", "担当課", "方向性"],
                false,
                &["番号", "取組項目", "取組項目 › 担当課", "今後の › 方向性"],
            ),
        ];
        for (top, below, wrapped, labels) in cases {
            let (top, below) = (Line::of(top), Line::of(below));
            assert_eq!(
                wraps_onto(lex, &top, &below),
                *wrapped,
                "{top:?} / {below:?}"
            );
            let got: Vec<String> = header_columns(lex, &top, Some(&below))
                .into_iter()
                .map(|c| c.label)
                .collect();
            assert_eq!(&got, labels, "{top:?} / {below:?}");
        }
    }
}
