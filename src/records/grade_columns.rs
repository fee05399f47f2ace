//! Grades in a row of year columns (`令和２年度 | 令和３年度 | 令和４年度` holding `× | △ | △`
//! under a legend `評価の記号　○：… △：… ×：…`): when every item's year columns hold entries of
//! one legend headed as grades and the columns run up to the report's year and no further (a record of past
//! grades, not a plan), an item's grade is the mark in the report year's column.

use crate::fields::legend::{is_rating_like, Legend, HEADING_WORDS};
use crate::fields::lexicon::Lexicon;
use crate::fields::lexicon::Role;
use crate::model::{Item, Rating};

/// A legend heading naming a rating (`評価の記号`, `達成度`, `評価区分`): the heading, or the
/// heading without its legend word (`記号`, `凡例` …), is a rating label of the lexicon. A legend
/// headed `凡例` or `区分` alone lists the steps of a plan as well as grades.
pub(super) fn names_a_rating(lex: &Lexicon, heading: &str) -> bool {
    let h = super::strip_ws(heading);
    let core = HEADING_WORDS
        .iter()
        .find_map(|w| h.strip_suffix(w))
        .map(|c| c.trim_end_matches('の'));
    std::iter::once(h.as_str())
        .chain(core)
        .filter(|x| !x.is_empty())
        .any(|x| {
            lex.classify(x)
                .is_some_and(|m| m.roles.contains(&Role::Rating))
        })
}

/// Give each unrated item the grade in its report-year column (see the module documentation).
pub(super) fn grades_from_year_columns(
    lex: &Lexicon,
    items: &mut [Item],
    legends: &[Legend],
    report_year: Option<i32>,
) {
    let Some(year) = report_year else { return };
    let cells: Vec<(i32, String)> = items
        .iter()
        .flat_map(|it| &it.schedule)
        .filter(|s| !s.text.trim().is_empty())
        .filter_map(|s| Some((s.fiscal_year?, super::strip_ws(&s.text))))
        .collect();
    let latest = cells.iter().map(|(y, _)| *y).max();
    let distinct_years = {
        let mut ys: Vec<i32> = cells.iter().map(|(y, _)| *y).collect();
        ys.sort_unstable();
        ys.dedup();
        ys.len()
    };
    if latest != Some(year) || distinct_years < 2 {
        return;
    }
    // Every cell an entry of one legend whose entries are grades.
    let listed = legends.iter().any(|lg| {
        lg.heading
            .as_deref()
            .is_some_and(|h| names_a_rating(lex, h))
            && lg.entries.iter().all(|e| is_rating_like(e, lex))
            && cells
                .iter()
                .all(|(_, c)| lg.entries.iter().any(|e| super::strip_ws(&e.text) == *c))
    });
    if !listed {
        return;
    }
    for it in items.iter_mut().filter(|it| it.rating.is_none()) {
        let Some(s) = it
            .schedule
            .iter()
            .find(|s| s.fiscal_year == Some(year) && !s.text.trim().is_empty())
        else {
            continue;
        };
        it.rating = Some(Rating {
            text: s.text.trim().to_string(),
            meaning: None,
            rank: None,
            code: None,
            source: s.source.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::legend::LegendEntry;

    use crate::records::scheduled_item as item;

    fn legend(heading: &str, entries: &[&str]) -> Legend {
        Legend {
            heading: Some(heading.into()),
            entries: entries
                .iter()
                .map(|t| LegendEntry {
                    text: t.to_string(),
                    meaning: format!("{t}の意味"),
                })
                .collect(),
        }
    }

    #[test]
    fn headings_naming_a_rating() {
        let lex = Lexicon::builtin();
        for (h, want) in [
            ("評価の記号", true),
            ("評価区分", true),
            ("達成度", true),
            ("凡例", false),
            ("区分", false),
            ("記号", false),
        ] {
            assert_eq!(names_a_rating(lex, h), want, "{h}");
        }
    }

    /// Cells of the first item, the legend, the report year and the two items' grades wanted.
    type Case<'a> = (
        &'a [(i32, &'a str)],
        &'a Legend,
        Option<i32>,
        [Option<&'a str>; 2],
    );

    #[test]
    fn grade_is_the_report_years_mark() {
        let marks = legend("評価の記号", &["○", "△", "×"]);
        let words = legend("評価の記号", &["実施", "検討", "→"]);
        let plain = legend("凡例", &["○", "△", "×"]);
        let past = [(2020, "×"), (2021, "△"), (2022, "△")];
        let other = [(2020, "○"), (2021, "○"), (2022, "○")];
        let plan = [(2022, "○"), (2023, "△"), (2024, "△")];
        let stray = [(2020, "○"), (2021, "済"), (2022, "○")];
        let cases: [Case; 6] = [
            (&past, &marks, Some(2022), [Some("△"), Some("○")]),
            // Columns past the report's year: a plan, no grades.
            (&plan, &marks, Some(2022), [None, None]),
            // A cell the legend does not list.
            (&stray, &marks, Some(2022), [None, None]),
            // No report year to choose the column by.
            (&past, &marks, None, [None, None]),
            // The legend does not list the cells.
            (&past, &words, Some(2022), [None, None]),
            // A legend not headed as grades (steps of work, `凡例`).
            (&past, &plain, Some(2022), [None, None]),
        ];
        for (cells, lg, year, want) in cases {
            let mut items = vec![item(cells), item(&other)];
            grades_from_year_columns(
                Lexicon::builtin(),
                &mut items,
                std::slice::from_ref(lg),
                year,
            );
            let got: Vec<Option<&str>> = items
                .iter()
                .map(|it| it.rating.as_ref().map(|r| r.text.as_str()))
                .collect();
            assert_eq!(got, want, "{cells:?} {year:?}");
        }
    }
}
