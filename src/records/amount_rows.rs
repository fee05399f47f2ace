//! A target named in the corner of a table of years across, its amounts in one row under the
//! years with no kind named (`事業費（千円） | 令和3年度 | 令和4年度 | 令和5年度` over
//! `　| 8,420 | 8,910 | 9,360`): an amount spent or saved in each year, read as the year's actual
//! value. A row naming its kind (`目標 | …`, `実績 | …`) is read by the kinds it names instead.

use super::line::Line;
use super::rows::Column;
use super::year_label;
use crate::fields::lexicon::Role;
use crate::fields::values::{is_dash, parse_quantity};
use crate::model::ValueKind;

/// Whether the header at `at` (a name in its corner, then years) has one row of amounts under it:
/// the next line's first cell empty and its other cells numbers or dashes, no more of them than
/// the header has years.
pub(super) fn amount_row_follows(lines: &[Line], at: usize) -> bool {
    let Some(head) = lines.get(at) else {
        return false;
    };
    let years = head
        .filled()
        .filter(|(_, c)| year_label(c).is_some())
        .count();
    let corner = head.cells.first().map_or("", |c| c.trim());
    if years < 2 || corner.is_empty() || year_label(corner).is_some() {
        return false;
    }
    let Some(next) = lines.iter().skip(at + 1).find(|l| !l.is_blank()) else {
        return false;
    };
    let cells: Vec<&str> = next.filled().map(|(_, c)| c.trim()).collect();
    next.cells.first().is_none_or(|c| c.trim().is_empty())
        && (2..=years).contains(&cells.len())
        && cells
            .iter()
            .all(|c| is_dash(c) || parse_quantity(c, true).number.is_some())
}

/// The year columns of such a header that name no kind of value hold actual values.
pub(super) fn years_as_actuals(cols: &mut [Column]) {
    for c in cols.iter_mut().filter(|c| c.year.is_some()) {
        if !c.roles.iter().any(|r| matches!(r, Role::Value(_))) {
            c.roles = vec![Role::Value(ValueKind::Actual)];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_amounts_under_years() {
        let head = ["事業費(千円)", "令和3年度", "令和4年度", "令和5年度"];
        let cases: [(&[&str], &[&str], bool); 6] = [
            (&head, &["", "8,420", "8,910", "9,360"], true),
            (&head, &["", "1,200", "－", "1,050"], true),
            // A kind named in the first cell, text among the amounts, more cells than years.
            (&head, &["実績", "8,420", "8,910", "9,360"], false),
            (&head, &["", "8,420", "増えた", "9,360"], false),
            (&head, &["", "1", "2", "3", "4"], false),
            // No name in the corner.
            (&["", "令和3年度", "令和4年度"], &["", "1", "2"], false),
        ];
        for (h, row, want) in cases {
            let lines = [Line::of(h), Line::of(row)];
            assert_eq!(amount_row_follows(&lines, 0), want, "{row:?}");
        }
    }
}
