//! Columns of a table read as a record's cells: a target table's past actual taken as its
//! baseline, and a cell holding nothing but a field label.

use super::*;

/// A target table of one past actual and a goal (`実績(R2) | 目標(R5)`) and no baseline column:
/// the actual is where the plan started, its baseline.
pub(super) fn past_actual_is_baseline(cols: &mut [Column]) {
    let kind_at = |c: &Column| value_kind_of(&c.roles);
    let has = |k: ValueKind, cols: &[Column]| cols.iter().any(|c| kind_at(c) == Some(k));
    if has(ValueKind::Baseline, cols) || has(ValueKind::Plan, cols) || has(ValueKind::Rate, cols) {
        return;
    }
    let actuals: Vec<usize> = (0..cols.len())
        .filter(|&j| cols.get(j).and_then(kind_at) == Some(ValueKind::Actual))
        .collect();
    let goal = cols
        .iter()
        .position(|c| kind_at(c) == Some(ValueKind::Goal));
    let ([a], Some(g)) = (actuals.as_slice(), goal) else {
        return;
    };
    let (Some(ay), Some(gy)) = (
        cols.get(*a).and_then(|c| c.year),
        cols.get(g).and_then(|c| c.year),
    ) else {
        return;
    };
    if *a < g && ay < gy {
        if let Some(c) = cols.get_mut(*a) {
            for r in c.roles.iter_mut() {
                if *r == Role::Value(ValueKind::Actual) {
                    *r = Role::Value(ValueKind::Baseline);
                }
            }
        }
    }
}

/// A cell holding nothing but a field label the lexicon knows exactly (`これまでの取組状況と今後の
/// 見通し`).
pub(super) fn field_label_cell(lex: &Lexicon, cell: &str) -> bool {
    lex.classify(cell.trim())
        .filter(|m| m.exact)
        .is_some_and(|m| matches!(m.roles.first(), Some(Role::Field(_))))
}
