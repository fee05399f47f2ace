//! Year columns of amounts (`平成17年度 | 平成18年度 | 平成19年度` holding `4,200 | 8,400 |
//! 8,400`, the unit given once above the tables): when every item's year columns hold plain
//! numbers they are no schedule but the values of one target per item, results for the years up to
//! the report's and plans after it. The target's name and unit come from the report's unit note.
//! Totals rows: under a grand total (`総合計`) the sections' plain `合計` rows are not the report's.

use crate::fields::values::parse_quantity_with;
use crate::model::{Item, Target, TargetValue, ValueKind};

/// The kind of an amount of a year: a result up to the report's year, a plan after it.
pub(super) fn year_kind(year: Option<i32>, report_year: Option<i32>) -> ValueKind {
    match (year, report_year) {
        (Some(y), Some(r)) if y > r => ValueKind::Plan,
        _ => ValueKind::Actual,
    }
}

/// A plain amount: one number and nothing else (`4,200`, `0`, `▲200` is none).
fn plain_amount(text: &str, units: &[String]) -> Option<f64> {
    let t = text.trim();
    let q = parse_quantity_with(t, false, units);
    (q.unit.is_none() && q.qualifier.is_none() && t.chars().all(|c| c.is_ascii_digit() || c == ','))
        .then_some(q.number)
        .flatten()
}

/// Turn year columns of amounts into targets (see the module documentation).
pub(super) fn amounts_from_year_columns(
    items: &mut [Item],
    report_year: Option<i32>,
    units: &[String],
) {
    let applies = !items.is_empty()
        && items.iter().all(|it| {
            it.targets.is_empty()
                && it.schedule.iter().any(|s| s.fiscal_year.is_some())
                && it.schedule.iter().all(|s| {
                    s.fiscal_year.is_some()
                        && (s.text.trim().is_empty() || plain_amount(&s.text, units).is_some())
                })
        });
    if !applies {
        return;
    }
    for it in items.iter_mut() {
        let values = std::mem::take(&mut it.schedule)
            .into_iter()
            .filter(|s| !s.text.trim().is_empty())
            .map(|s| TargetValue {
                kind: year_kind(s.fiscal_year, report_year),
                number: plain_amount(&s.text, units),
                label: s.label,
                fiscal_year: s.fiscal_year,
                text: Some(s.text.trim().to_string()),
                source: s.source,
            })
            .collect();
        it.targets.push(Target {
            name: String::new(),
            unit: None,
            values,
        });
    }
}

/// The order of a total by its label: 2 for a grand total (`総合計`, `総計`), 1 for a total
/// (`合計`, `計`), 0 for any other (a total named by what it sums).
fn total_order(name: &str) -> u8 {
    let n = super::strip_ws(name);
    if n.starts_with('総') && n.contains('計') && super::text::is_total_label(&n) {
        2
    } else if super::text::is_total_label(&n) {
        1
    } else {
        0
    }
}

/// Under a grand total (`総合計`), the plain totals (`合計`: the sections' sums) are not the
/// report's; they are returned to be noted. Totals named otherwise are kept.
pub(super) fn sums_under_a_grand_total(totals: &mut Vec<Target>) -> Vec<Target> {
    if !totals.iter().any(|t| total_order(&t.name) == 2) {
        return vec![];
    }
    let (drop, keep): (Vec<Target>, Vec<Target>) = std::mem::take(totals)
        .into_iter()
        .partition(|t| total_order(&t.name) == 1);
    *totals = keep;
    drop
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::lexicon::Lexicon;

    use crate::records::scheduled_item as item;

    /// Cells of the second item, the report year, and the first item's values wanted (None: the
    /// schedule is kept).
    type Case<'a> = (
        &'a [(i32, &'a str)],
        Option<i32>,
        Option<Vec<(ValueKind, f64)>>,
    );

    #[test]
    fn year_columns_of_amounts_are_values() {
        let units = Lexicon::builtin().units();
        let amounts = [(2005, "4,200"), (2006, "8,400"), (2007, "0")];
        let steps = [(2005, "検討"), (2006, "実施"), (2007, "→")];
        let counted = [(2005, "3件"), (2006, "5件"), (2007, "")];
        let cases: [Case; 4] = [
            (
                &amounts,
                Some(2007),
                Some(vec![
                    (ValueKind::Actual, 4200.0),
                    (ValueKind::Actual, 8400.0),
                    (ValueKind::Actual, 0.0),
                ]),
            ),
            (
                &amounts,
                Some(2006),
                Some(vec![
                    (ValueKind::Actual, 4200.0),
                    (ValueKind::Actual, 8400.0),
                    (ValueKind::Plan, 0.0),
                ]),
            ),
            // A plan of steps in one item: every item keeps its schedule.
            (&steps, Some(2007), None),
            // Counts with their unit are no plain amounts.
            (&counted, Some(2007), None),
        ];
        for (second, year, want) in cases {
            let mut items = vec![item(&amounts), item(second)];
            amounts_from_year_columns(&mut items, year, units);
            let got = items.first().map(|it| {
                it.targets.first().map(|t| {
                    t.values
                        .iter()
                        .map(|v| (v.kind, v.number.unwrap_or(f64::NAN)))
                        .collect::<Vec<_>>()
                })
            });
            assert_eq!(got, Some(want.clone()), "{second:?} {year:?}");
            let kept = items.first().map_or(0, |it| it.schedule.len());
            assert_eq!(kept, if want.is_some() { 0 } else { 3 }, "{second:?}");
        }
    }

    #[test]
    fn plain_totals_under_a_grand_total_are_not_the_reports() {
        let t = |n: &str| Target {
            name: n.into(),
            unit: None,
            values: vec![],
        };
        let cases: [(&[&str], &[&str]); 6] = [
            (&["合計", "合計", "総合計"], &["総合計"]),
            (&["合計"], &["合計"]),
            (&["合計", "総計"], &["総計"]),
            (&[], &[]),
            // A total named by what it sums is kept.
            (&["効果額合計", "総合計"], &["効果額合計", "総合計"]),
            (&["効果額合計", "合計"], &["効果額合計", "合計"]),
        ];
        for (names, want) in cases {
            let mut totals: Vec<Target> = names.iter().map(|n| t(n)).collect();
            let dropped = sums_under_a_grand_total(&mut totals);
            let got: Vec<&str> = totals.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(got, want, "{names:?}");
            assert_eq!(dropped.len() + totals.len(), names.len());
        }
    }
}
