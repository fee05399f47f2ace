//! Cells of a schedule column that is named by its label, not by a year (`実施年度`, `実施時期`):
//! a cell that is one fiscal year and nothing else (`令和４年度`, `R5年度`) is the schedule of that
//! year, and a dash is no schedule at all. In a column of one year (`令和５年度` over `実施` /
//! `検討` / `―`), one dash alone is nothing planned that year; a bar of dashes (`━━`) is kept, as it
//! draws the work running on.

use crate::fields::values::is_dash;

/// What one cell of a labelled schedule column gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ScheduleCell {
    /// No entry: the cell is a dash (nothing is scheduled).
    Nothing,
    /// The cell is one fiscal year written whole: the entry is that year's.
    Year(i32),
    /// Anything else: an entry of no particular year, as printed.
    Text,
}

/// Reads `cell` (already trimmed) of a schedule column with no year of its own.
pub(super) fn schedule_cell(cell: &str) -> ScheduleCell {
    let t = crate::normalize::normalize(cell);
    let t = t.trim();
    if t.is_empty() || is_dash(t) {
        return ScheduleCell::Nothing;
    }
    // One year and nothing after it but 年度 / 年 / 中.
    let Some(year) = crate::wareki::year_in_label(t) else {
        return ScheduleCell::Text;
    };
    let Some(after_era) = ["令和", "平成", "R", "H"]
        .iter()
        .find_map(|e| t.strip_prefix(e))
    else {
        return ScheduleCell::Text;
    };
    let rest = after_era.trim_start_matches(|c: char| c.is_ascii_digit() || c == '元');
    let head_is_era = rest.len() < after_era.len();
    if head_is_era && matches!(rest, "年度" | "年" | "年度中" | "") {
        ScheduleCell::Year(year)
    } else {
        ScheduleCell::Text
    }
}

/// Whether `cell` (already trimmed) of a year's column is one dash alone: nothing that year.
pub(super) fn nothing_that_year(cell: &str) -> bool {
    let t = crate::normalize::normalize(cell);
    let t = t.trim();
    t.chars().count() == 1 && is_dash(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dash_in_a_year_column_is_nothing() {
        let cases = [
            ("―", true),
            ("－", true),
            ("-", true),
            ("—", true),
            // A bar of dashes runs the work on; words and arrows are entries.
            ("━━", false),
            ("――→", false),
            ("→", false),
            ("実施", false),
            ("検討", false),
            ("", false),
        ];
        for (cell, want) in cases {
            assert_eq!(nothing_that_year(cell), want, "{cell}");
        }
    }

    #[test]
    fn schedule_cells_of_a_labelled_column() {
        let cases = [
            ("令和４年度", ScheduleCell::Year(2022)),
            ("令和5年度", ScheduleCell::Year(2023)),
            ("R6年度", ScheduleCell::Year(2024)),
            ("平成元年度", ScheduleCell::Year(1989)),
            ("－", ScheduleCell::Nothing),
            ("-", ScheduleCell::Nothing),
            ("", ScheduleCell::Nothing),
            // More than a year: kept as printed.
            ("令和４年度～令和６年度", ScheduleCell::Text),
            ("令和５年度に検討", ScheduleCell::Text),
            ("随時", ScheduleCell::Text),
            ("4月", ScheduleCell::Text),
        ];
        for (cell, want) in cases {
            assert_eq!(schedule_cell(cell), want, "{cell}");
        }
    }
}
