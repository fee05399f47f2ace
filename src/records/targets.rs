//! Target tables: their rows into targets with a value per column (baseline, goal, plan, actual,
//! rate), quantities with their units, and the fiscal year of each value.

use super::rows::{Column, Ctx};
use super::text::*;
use super::year_label;
use crate::fields::lexicon::Role;
use crate::fields::values::Quantity;
use crate::model::*;
use crate::records::line::Line;

/// The state of a target table being read.
pub(super) struct TargetTable {
    pub(super) columns: Vec<Column>,
    pub(super) totals: bool,
    /// Name and unit carried down to rows that leave the name cell empty.
    pub(super) name: Option<(String, Option<String>)>,
}

/// A row of a target table whose years run down (`令和４年度 | 2 | 2` under `　| 目標 | 実績`): its
/// first cell a fiscal year, under a first column that holds no values (an empty corner or `年度`).
pub(super) fn year_row(tt: &TargetTable, first: &str) -> bool {
    year_label(first).is_some()
        && tt
            .columns
            .first()
            .is_none_or(|c| c.year.is_none() && value_kind_of(&c.roles).is_none())
}

/// A row filling every column of a target table's header, each value column a quantity or a dash
/// (`活動指標 | 配食の延べ回数 | 回 | 12,000 | 11,480 | 95.7%` under `指標区分 | 指標名 | 単位 |
/// 目標値 | 実績値 | 達成率`): a row of the table whatever its first cell says (a class of
/// indicator, which may also be a label).
pub(super) fn full_row(ctx: &Ctx, tt: &TargetTable, l: &Line) -> bool {
    let n = tt.columns.len();
    let values: Vec<&str> = tt
        .columns
        .iter()
        .zip(&l.cells)
        .filter(|(c, _)| value_kind_of(&c.roles).is_some())
        .map(|(_, cell)| cell.trim())
        .collect();
    n >= 3
        && l.filled().count() == n
        && l.cells.iter().take(n).all(|c| !c.trim().is_empty())
        && !values.is_empty()
        && values
            .iter()
            .all(|cell| ctx.quantity(cell).number.is_some() || crate::fields::values::is_dash(cell))
}

/// Read one row of a target table into `targets`; returns stamps (unlabelled cells).
/// The value kind a column's or label's roles name (`計画` → plan, `達成率` → rate).
pub(super) fn value_kind_of(roles: &[Role]) -> Option<ValueKind> {
    roles.iter().find_map(|r| match r {
        Role::Value(k) => Some(*k),
        _ => None,
    })
}

/// An amount labelled on a line: its kind, its label (`目標`) and text (`1,000件`), and its value.
pub(super) type LabelledAmount = (ValueKind, String, String, Quantity);

/// An indicator followed by labelled amounts in one value (`オンライン申請件数　目標 1,000件　実績
/// 1,284件`, its spaces between words possibly gone): the indicator's name and each amount with its
/// kind and label. None unless all after the name is value labels, each followed by its amount.
pub(super) fn labelled_amounts(ctx: &Ctx, value: &str) -> Option<(String, Vec<LabelledAmount>)> {
    // Every label is followed by a digit or a minus mark: a value with none has no label.
    if !value.contains(|c: char| c.is_ascii_digit() || matches!(c, '▲' | '△' | '-' | '－')) {
        return None;
    }
    let chars: Vec<char> = value.chars().collect();
    if chars.len() > 120 {
        return None;
    }
    // A value label (`目標`, `実績値`) at `i`, followed by a digit or a minus mark: its length and kind.
    let label_at = |i: usize| -> Option<(usize, ValueKind)> {
        // The next mark is looked at first: most words are not followed by a number.
        (2..=5).rev().find_map(|n| {
            let next = chars.get(i + n..)?.iter().find(|c| !c.is_whitespace())?;
            if !(next.is_ascii_digit() || matches!(next, '▲' | '△' | '-' | '－')) {
                return None;
            }
            let word: String = chars.get(i..i + n)?.iter().collect();
            let kind = ctx
                .lex
                .classify(&word)
                .filter(|m| m.exact)
                .and_then(|m| value_kind_of(&m.roles))?;
            Some((n, kind))
        })
    };
    let mut labels: Vec<(usize, usize, ValueKind)> = vec![];
    let mut i = 1usize;
    while i < chars.len() {
        match label_at(i) {
            Some((n, kind)) => {
                labels.push((i, n, kind));
                i += n;
            }
            None => i += 1,
        }
    }
    let first = labels.first()?.0;
    let name: String = chars
        .get(..first)?
        .iter()
        .collect::<String>()
        .trim()
        .to_string();
    if name.is_empty() || ctx.quantity(&name).number.is_some() {
        return None;
    }
    let mut out = vec![];
    for (k, &(at, n, kind)) in labels.iter().enumerate() {
        let end = labels.get(k + 1).map_or(chars.len(), |x| x.0);
        let label: String = chars.get(at..at + n)?.iter().collect();
        let amount: String = chars
            .get(at + n..end)?
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        let q = ctx.quantity(&amount);
        // An amount is a number and its unit, nothing more (`1,000件`, not `1,000件を超える`).
        if q.number.is_none() || amount.chars().count() > 16 || amount.contains(char::is_whitespace)
        {
            return None;
        }
        out.push((kind, label, amount, q));
    }
    Some((name, out))
}

/// A column of no one fiscal year: a total across the years (`合計`, `累計`) or the plan's final
/// goal (`目標(最終)`), which the report's year does not date.
pub(super) fn of_no_one_year(label: &str) -> bool {
    let l = super::strip_ws(label);
    l == "計"
        || l.ends_with("合計")
        || l.ends_with("累計")
        || l.ends_with("総計")
        || l.contains("最終")
}

/// The last target of a list, an unnamed one opened when there is none.
pub(super) fn last_target(targets: &mut Vec<Target>) -> Option<&mut Target> {
    if targets.is_empty() {
        targets.push(Target {
            name: String::new(),
            unit: None,
            values: vec![],
        });
    }
    targets.last_mut()
}

/// Add one value to a target; a target without a unit takes the value's (never a rate's `%`).
pub(super) fn push_value(
    t: &mut Target,
    kind: ValueKind,
    label: String,
    fiscal_year: Option<i32>,
    cell: &str,
    q: Quantity,
) {
    // A value in words holding one number (`書式数の3割`): that number.
    let mut number = q.number.or_else(|| crate::wareki::single_quantity(cell));
    match (&t.unit, &q.unit) {
        (None, _) if kind != ValueKind::Rate => t.unit = q.unit.clone(),
        // `60万人` in a target counted in 人: the number in the target's unit.
        (Some(tu), Some(vu)) => {
            if let Some(m) = vu.strip_suffix(tu.as_str()).and_then(unit_multiplier) {
                number = number.map(|n| n * m);
            }
        }
        _ => {}
    }
    t.values.push(TargetValue {
        kind,
        label,
        fiscal_year,
        text: Some(cell.trim().to_string()),
        number,
        source: None,
    });
}

/// The factor of a numeral prefix before a unit (`万` in `万人`).
fn unit_multiplier(prefix: &str) -> Option<f64> {
    match prefix {
        "十" => Some(10.0),
        "百" => Some(100.0),
        "千" => Some(1_000.0),
        "万" => Some(10_000.0),
        "十万" => Some(100_000.0),
        "百万" => Some(1_000_000.0),
        "千万" => Some(10_000_000.0),
        "億" => Some(100_000_000.0),
        _ => None,
    }
}

pub(super) fn target_row(
    ctx: &Ctx,
    tt: &mut TargetTable,
    l: &Line,
    targets: &mut Vec<Target>,
) -> Vec<String> {
    let mut stamps = vec![];
    // The name column: one named for names alone (`目標名` beside a `数値目標` block label), else
    // any that may hold names.
    let name_col = tt
        .columns
        .iter()
        .position(|c| c.roles.first() == Some(&Role::TargetName))
        .or_else(|| {
            tt.columns
                .iter()
                .position(|c| c.roles.contains(&Role::TargetName))
        });
    let kind_col = tt
        .columns
        .iter()
        .position(|c| c.roles.contains(&Role::ValueKindColumn));
    let unit_col = tt
        .columns
        .iter()
        .position(|c| c.roles.first() == Some(&Role::Unit));
    if let Some(raw) = name_col
        .and_then(|j| l.cells.get(j))
        .filter(|c| !c.is_empty())
    {
        tt.name = Some(target_name(raw));
    }
    // A new name starts a target; a totals block is one target.
    let named_row = name_col
        .and_then(|j| l.cells.get(j))
        .is_some_and(|c| !c.is_empty());
    if (named_row && !tt.totals) || (tt.totals && targets.is_empty()) {
        let (name, unit) = tt.name.clone().unwrap_or_default();
        targets.push(Target {
            name,
            unit,
            values: vec![],
        });
    }
    let row_kind = kind_col
        .and_then(|j| l.cells.get(j))
        .and_then(|c| ctx.lex.classify(c).map(|m| (c.clone(), m.roles)))
        .and_then(|(label, roles)| value_kind_of(&roles).map(|k| (label, k)));
    let row_year = l
        .cells
        .iter()
        .enumerate()
        .filter(|(j, _)| {
            tt.columns
                .get(*j)
                .is_none_or(|c| !c.roles.iter().any(|r| matches!(r, Role::Value(_))))
        })
        .find_map(|(_, c)| year_label(c));
    let Some(t) = last_target(targets) else {
        return stamps;
    };
    if let Some(u) = unit_col
        .and_then(|j| l.cells.get(j))
        .filter(|c| !c.is_empty() && !crate::fields::values::is_dash(c))
    {
        t.unit = Some(u.trim().to_string());
    }
    for (j, cell) in l.cells.iter().enumerate() {
        let cell = cell.trim();
        if cell.is_empty()
            || (j == 0 && name_col != Some(0))
            || Some(j) == name_col
            || Some(j) == kind_col
            || Some(j) == unit_col
            || (row_year.is_some() && year_label(cell) == row_year)
        {
            continue;
        }
        let col = tt.columns.get(j);
        let col_kind = col.and_then(|c| value_kind_of(&c.roles));
        let year = col.and_then(|c| c.year).or(row_year);
        let kind = match (row_kind.as_ref(), col_kind) {
            (Some((_, k)), _) => Some(*k),
            (None, Some(k)) => Some(k),
            _ => None,
        };
        let Some(kind) = kind else {
            if col.is_none_or(|c| c.label.is_empty()) {
                stamps.push(cell.to_string());
            }
            continue;
        };
        let q = ctx.quantity(cell);
        let label = match (&row_kind, col) {
            (Some((rk, _)), Some(c)) => format!("{} › {rk}", c.label),
            (_, Some(c)) => c.label.clone(),
            (Some((rk, _)), None) => rk.clone(),
            (None, None) => String::new(),
        };
        // A total across the years (`合計`, `累計`) is of no one year.
        let total_col = col.is_some_and(|c| of_no_one_year(&c.label));
        let year = if total_col {
            None
        } else {
            year.or(ctx.report_year)
        };
        push_value(t, kind, label, year, cell, q);
    }
    stamps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::lexicon::Lexicon;

    /// Value labels followed by a number (after spaces) or a minus mark split a value into
    /// labelled amounts (a label as found, with the spaces around it); a label followed by
    /// anything else, or a name that is a number, give none.
    #[test]
    fn labelled_amounts_by_label_and_number() {
        let ctx = Ctx {
            lex: Lexicon::builtin(),
            report_year: None,
            diags: vec![],
            roles_used: vec![],
            minus_marks: true,
        };
        type Want = Option<(&'static str, &'static [(&'static str, &'static str)])>;
        let cases: &[(&str, Want)] = &[
            (
                "件数 目標 1,000件 実績 800件",
                Some(("件数", &[(" 目標 ", "1,000件"), (" 実績 ", "800件")])),
            ),
            (
                "削減額 目標▲500千円",
                Some(("削減額", &[(" 目標", "▲500千円")])),
            ),
            (
                "件数 目標\u{3000} 12件",
                Some(("件数", &[(" 目標\u{3000} ", "12件")])),
            ),
            (
                "件数 目標 1,000件を超える",
                Some(("件数", &[(" 目標 ", "1,000件を超える")])),
            ),
            ("件数 目標を達成した", None),
            ("件数 目標", None),
            ("1,000 目標 12件", None),
            ("", None),
        ];
        for (value, want) in cases {
            let got = labelled_amounts(&ctx, value);
            let got = got.as_ref().map(|(name, amounts)| {
                (
                    name.as_str(),
                    amounts
                        .iter()
                        .map(|(_, label, amount, _)| (label.as_str(), amount.as_str()))
                        .collect::<Vec<_>>(),
                )
            });
            let want = want.map(|(name, amounts)| (name, amounts.to_vec()));
            assert_eq!(got, want, "{value}");
        }
    }
}
