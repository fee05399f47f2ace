//! `--format xlsx`: one workbook (`tables.xlsx`) with one sheet per table of the CSV output.
//! Text columns are written as text cells, so Excel keeps `18.0%`, `1,234` and `2-(1)` exactly as
//! printed; whole numbers and target values as numbers, flags as booleans, empty cells left
//! blank. The header row is bold, frozen and carries an autofilter.
//!
//! The sheets are written in `rust_xlsxwriter`'s constant-memory mode: each sheet's rows go to a
//! temp file of its own as soon as a later row is started, strings written in the cells (inline)
//! rather than in a table shared by the workbook, so the workbook costs memory for one row a sheet
//! whatever the size of the run. Rows of the six sheets are interleaved freely (each sheet's own
//! rows only go down).

use crate::error::{Error, ErrorKind, Result};
use crate::model::Report;
use crate::tabular::{report_rows_from, Cell, TableDef, TABLE_DEFS};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook's file name.
pub const XLSX_FILE: &str = "tables.xlsx";

/// Rows Excel allows on one sheet, header included.
const MAX_ROWS: u32 = 1_048_576;

struct Sheet {
    def: &'static TableDef,
    /// Data rows written (the header is row 0).
    rows: u32,
}

/// The workbook, filled as reports arrive (its rows spilled a sheet at a time) and written by
/// [`XlsxTables::finish`].
pub struct XlsxTables {
    book: Workbook,
    sheets: Vec<Sheet>,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Output, format!("cannot write {XLSX_FILE}: {e}"))
}

impl XlsxTables {
    /// The sheets with their header rows.
    pub fn new() -> Result<Self> {
        let bold = Format::new().set_bold();
        let mut book = Workbook::new();
        let mut sheets = Vec::with_capacity(TABLE_DEFS.len());
        for def in &TABLE_DEFS {
            let sheet = book.add_worksheet_with_constant_memory().map_err(err)?;
            sheet.set_name(def.name).map_err(err)?;
            for (col, c) in def.columns.iter().enumerate() {
                let col = u16::try_from(col).map_err(err)?;
                sheet
                    .write_string_with_format(0, col, c.name, &bold)
                    .map_err(err)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(err)?;
            sheets.push(Sheet { def, rows: 0 });
        }
        Ok(XlsxTables { book, sheets })
    }

    /// Add every row one report contributes. A cell Excel cannot hold (text longer than 32 767
    /// characters) or a sheet past Excel's row limit fails naming the sheet, row and column.
    pub fn write_report(&mut self, report: &Report) -> Result<()> {
        self.write_report_from(report, 0)
    }

    /// Add the rows of a run of a report's items, the first at 0-based position `first`.
    pub fn write_report_from(&mut self, report: &Report, first: usize) -> Result<()> {
        report_rows_from(report, first, |t, cells| {
            let (Some(s), Ok(sheet)) = (self.sheets.get_mut(t), self.book.worksheet_from_index(t))
            else {
                return Err(Error::new(ErrorKind::Internal, format!("no table #{t}")));
            };
            let row = s.rows + 1;
            if row >= MAX_ROWS {
                return Err(err(format!(
                    "sheet {} would pass Excel's limit of {MAX_ROWS} rows",
                    s.def.name
                )));
            }
            for (col, (cell, c)) in cells.iter().zip(s.def.columns).enumerate() {
                let col16 = u16::try_from(col).map_err(err)?;
                let written = match cell {
                    Cell::Text(Some(text)) => sheet.write_string(row, col16, text.as_ref()),
                    Cell::Integer(Some(n)) => sheet.write_number(row, col16, *n as f64),
                    Cell::Number(Some(n)) => sheet.write_number(row, col16, *n),
                    Cell::Boolean(Some(b)) => sheet.write_boolean(row, col16, *b),
                    _ => continue,
                };
                written.map(|_| ()).map_err(|e: XlsxError| {
                    err(format!(
                        "sheet {} row {}, column {}: {e}",
                        s.def.name,
                        row + 1,
                        c.name
                    ))
                    .in_file(&report.source.path)
                })?;
            }
            s.rows = row;
            Ok(())
        })
    }

    /// Data rows per sheet (sheet name, rows), in [`TABLE_DEFS`] order.
    pub fn row_counts(&self) -> Vec<(&'static str, u64)> {
        self.sheets
            .iter()
            .map(|s| (s.def.name, u64::from(s.rows)))
            .collect()
    }

    /// The finished workbook's bytes: autofilters over each sheet's rows, sheets in
    /// [`TABLE_DEFS`] order.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        for (k, s) in self.sheets.iter().enumerate() {
            let last_col = u16::try_from(s.def.columns.len().saturating_sub(1)).map_err(err)?;
            let sheet = self.book.worksheet_from_index(k).map_err(err)?;
            sheet.autofilter(0, 0, s.rows, last_col).map_err(err)?;
        }
        self.book.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(xlsx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn sheets_hold_typed_cells_frozen_header_and_filter() {
        let mut report = crate::tabular::tests::sample_report();
        report.items[0].targets[0].values[0].text = Some("18.0%".into());
        let mut t = XlsxTables::new().unwrap();
        t.write_report(&report).unwrap();
        assert_eq!(
            t.row_counts(),
            [
                ("items", 3),
                ("progress", 1),
                ("targets", 3),
                ("findings", 2),
                ("schedule", 1),
                ("fields", 1)
            ]
        );
        let xlsx = t.finish().unwrap();
        let book = part(&xlsx, "xl/workbook.xml");
        for name in [
            "items", "progress", "targets", "findings", "schedule", "fields",
        ] {
            assert!(book.contains(&format!("name=\"{name}\"")), "{name}");
        }
        // strings are written in their cells (constant-memory mode)
        let targets = part(&xlsx, "xl/worksheets/sheet3.xml");
        assert!(targets.contains("<t>18.0%</t>"), "text stays text");
        assert!(part(&xlsx, "xl/worksheets/sheet1.xml").contains("<t>2-(1)</t>"));
        assert!(targets.contains("<pane ySplit=\"1\""), "frozen header");
        assert!(targets.contains("<autoFilter ref=\"A1:L4\"/>"), "{targets}");
        // The goal value 2500.5 is a number cell, the year 2025 too.
        assert!(targets.contains("<v>2500.5</v>"));
        assert!(targets.contains("<v>2025</v>"));
    }

    #[test]
    fn overlong_text_names_the_cell() {
        let mut report = crate::tabular::tests::sample_report();
        report.items[1].title = "あ".repeat(40_000);
        let mut t = XlsxTables::new().unwrap();
        let e = t.write_report(&report).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Output);
        assert!(
            e.to_string()
                .starts_with("dir/sample.txt: output: cannot write tables.xlsx: sheet items row 3, column title: "),
            "{e}"
        );
    }
}
