//! Header rows into columns: one row, a spanning row over a second row (`令和5年度` over
//! `目標 | 実績`), or a row whose cells wrap onto a second line (`令和３年度の` over `取組実績`).

use super::is_label_cell;
use super::rows::{is_choice, label_info, Column};
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

pub(super) fn header_columns(lex: &Lexicon, first: &Line, second: Option<&Line>) -> Vec<Column> {
    if let Some(below) = second.filter(|s| wraps_onto(lex, first, s)) {
        return wrapped_columns(lex, first, below);
    }
    let n = first.cells.len().max(second.map_or(0, |s| s.cells.len()));
    let mut out = Vec::with_capacity(n);
    let mut span_label = String::new();
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
        if roles.is_empty() && is_choice(lex, own) {
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

/// The columns of a header whose cells wrap onto a second line: each cell joined with the rest
/// printed under it.
fn wrapped_columns(lex: &Lexicon, first: &Line, below: &Line) -> Vec<Column> {
    let n = first.cells.len().max(below.cells.len());
    (0..n)
        .map(|j| {
            let top = first.cells.get(j).map_or("", |s| s.trim());
            let rest = below.cells.get(j).map_or("", |s| s.trim());
            let label = format!("{top}{rest}");
            let (mut roles, year) = label_info(lex, &label);
            if roles.is_empty() && is_choice(lex, &label) {
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

    fn line(cells: &[&str]) -> Line {
        Line {
            line: 1,
            page: None,
            cells: cells.iter().map(|c| c.to_string()).collect(),
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
            let (top, below) = (line(top), line(below));
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
