//! A header row over the value columns of an unruled table, its corner left empty
//! (`２０２２年度　２０２３年度` set over the values of `目標　５０，０００　６０，０００`). Printed,
//! the corner is only white space, so the header's first cell would fall in the table's first
//! column; set where the cells of the row below start, it takes the columns they start, and the
//! columns before its first cell are empty cells.

/// A row of free text: its top, bottom, font size and where its cells start (left to right).
pub(super) struct RowStarts {
    pub top: f32,
    pub bottom: f32,
    pub size: f32,
    pub starts: Vec<f32>,
}

/// How close (× size) a cell start must be to a start of the row below to be set over it.
const ALIGN: f32 = 0.6;
/// How far (× size) below a row the next row may start to be the row directly under it.
const NEXT_ROW: f32 = 1.0;

/// Per row, the empty cells before its first one: a row of two or more cells, each starting where
/// a cell of the row directly below starts, and its first over the below row's second cell or a
/// later one, has as many empty cells before it as the cells of the row below start left of it.
pub(super) fn corner_cells(rows: &[RowStarts]) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let Some(below) = rows.get(i + 1) else {
                return 0;
            };
            let size = row.size.max(below.size).max(1.0);
            let Some(&first) = row.starts.first() else {
                return 0;
            };
            if row.starts.len() < 2
                || below.starts.len() <= row.starts.len()
                || below.top - row.bottom > NEXT_ROW * size
            {
                return 0;
            }
            let over = |x: f32| {
                below
                    .starts
                    .iter()
                    .position(|&b| (b - x).abs() <= ALIGN * size)
            };
            if !row.starts.iter().all(|&x| over(x).is_some()) {
                return 0;
            }
            over(first).unwrap_or(0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(top: f32, starts: &[f32]) -> RowStarts {
        RowStarts {
            top,
            bottom: top + 12.0,
            size: 10.0,
            starts: starts.to_vec(),
        }
    }

    #[test]
    fn a_header_over_the_value_columns_gets_its_corner() {
        type Case<'a> = (&'a str, Vec<RowStarts>, Vec<usize>);
        let cases: Vec<Case> = vec![
            (
                "years over the value columns of goal and actual rows",
                vec![
                    row(0.0, &[108.0, 188.0, 268.0]),
                    row(13.0, &[58.0, 108.0, 188.0, 268.0]),
                    row(26.0, &[58.0, 108.0, 188.0, 268.0]),
                ],
                vec![1, 0, 0],
            ),
            (
                "a header starting over the first column has no corner",
                vec![
                    row(0.0, &[58.0, 108.0, 188.0]),
                    row(13.0, &[58.0, 108.0, 188.0, 268.0]),
                ],
                vec![0, 0],
            ),
            (
                "a cell off the columns below: no header of that table",
                vec![
                    row(0.0, &[108.0, 150.0]),
                    row(13.0, &[58.0, 108.0, 188.0, 268.0]),
                ],
                vec![0, 0],
            ),
            (
                "one cell alone is no header",
                vec![row(0.0, &[108.0]), row(13.0, &[58.0, 108.0, 188.0])],
                vec![0, 0],
            ),
            (
                "the row below is a band further down",
                vec![row(0.0, &[108.0, 188.0]), row(40.0, &[58.0, 108.0, 188.0])],
                vec![0, 0],
            ),
            (
                "two cells over a row of two: the same columns, no corner to count",
                vec![row(0.0, &[108.0, 188.0]), row(13.0, &[108.0, 188.0])],
                vec![0, 0],
            ),
        ];
        for (what, rows, want) in cases {
            assert_eq!(corner_cells(&rows), want, "{what}");
        }
    }
}
