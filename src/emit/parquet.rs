//! `--format parquet`: the tables of the CSV output as Parquet files (`items.parquet`, …), with
//! typed columns (text as UTF-8 strings, whole numbers as INT64, target values as DOUBLE, flags as
//! BOOLEAN; every column nullable). Rows are buffered per table and written as row groups of
//! [`ROW_GROUP_ROWS`] rows, so memory stays bounded on large batches.

use crate::error::{Error, ErrorKind, Result};
use crate::model::Report;
use crate::tabular::{report_rows_from, Cell, ColumnType, TableDef, TABLE_DEFS};
use ::parquet::basic::Compression;
use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::parser::parse_message_type;
use std::io::Write;
use std::sync::Arc;

/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// The Parquet file name of a table (`items` → `items.parquet`).
pub fn file_name(table: &TableDef) -> String {
    format!("{}.parquet", table.name)
}

/// The Parquet schema of a table, in the textual message form.
pub fn message_type(table: &TableDef) -> String {
    let mut s = format!("message {} {{\n", table.name);
    for c in table.columns {
        let ty = match c.ty {
            ColumnType::Text => "BYTE_ARRAY",
            ColumnType::Integer => "INT64",
            ColumnType::Number => "DOUBLE",
            ColumnType::Boolean => "BOOLEAN",
        };
        let annotation = if c.ty == ColumnType::Text {
            " (UTF8)"
        } else {
            ""
        };
        s.push_str(&format!("  OPTIONAL {ty} {}{annotation};\n", c.name));
    }
    s.push('}');
    s
}

/// Values of one column waiting for the next row group, with their definition levels
/// (1 = present, 0 = null).
enum Values {
    Text(Vec<ByteArray>),
    Integer(Vec<i64>),
    Number(Vec<f64>),
    Boolean(Vec<bool>),
}

struct Buffered {
    values: Values,
    defs: Vec<i16>,
}

struct TableWriter<W: Write + Send> {
    def: &'static TableDef,
    writer: SerializedFileWriter<W>,
    columns: Vec<Buffered>,
    pending: usize,
    rows: u64,
}

fn err(table: &TableDef, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Output,
        format!("cannot write {}: {e}", file_name(table)),
    )
}

impl<W: Write + Send> TableWriter<W> {
    fn push(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        for (buf, cell) in self.columns.iter_mut().zip(cells) {
            let present = match (&mut buf.values, cell) {
                (Values::Text(v), Cell::Text(Some(s))) => {
                    v.push(ByteArray::from(s.as_bytes().to_vec()));
                    true
                }
                (Values::Integer(v), Cell::Integer(Some(n))) => {
                    v.push(*n);
                    true
                }
                (Values::Number(v), Cell::Number(Some(n))) => {
                    v.push(*n);
                    true
                }
                (Values::Boolean(v), Cell::Boolean(Some(b))) => {
                    v.push(*b);
                    true
                }
                _ => false,
            };
            buf.defs.push(i16::from(present));
        }
        self.pending += 1;
        self.rows += 1;
        if self.pending >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Write the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let def = self.def;
        let mut group = self.writer.next_row_group().map_err(|e| err(def, e))?;
        for buf in &mut self.columns {
            let Some(mut col) = group.next_column().map_err(|e| err(def, e))? else {
                return Err(err(def, "fewer columns in the schema than in the table"));
            };
            let defs = Some(buf.defs.as_slice());
            let written = match &buf.values {
                Values::Text(v) => col.typed::<ByteArrayType>().write_batch(v, defs, None),
                Values::Integer(v) => col.typed::<Int64Type>().write_batch(v, defs, None),
                Values::Number(v) => col.typed::<DoubleType>().write_batch(v, defs, None),
                Values::Boolean(v) => col.typed::<BoolType>().write_batch(v, defs, None),
            };
            written.map_err(|e| err(def, e))?;
            col.close().map_err(|e| err(def, e))?;
            buf.defs.clear();
            match &mut buf.values {
                Values::Text(v) => v.clear(),
                Values::Integer(v) => v.clear(),
                Values::Number(v) => v.clear(),
                Values::Boolean(v) => v.clear(),
            }
        }
        group.close().map_err(|e| err(def, e))?;
        self.pending = 0;
        Ok(())
    }
}

/// The Parquet tables, written as reports arrive.
pub struct ParquetTables<W: Write + Send> {
    tables: Vec<TableWriter<W>>,
}

impl<W: Write + Send> ParquetTables<W> {
    /// Open the tables: `open(file_name)` gives the sink for each of [`TABLE_DEFS`].
    pub fn new(mut open: impl FnMut(&str) -> std::io::Result<W>) -> Result<Self> {
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("gyokaku {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        let mut tables = Vec::with_capacity(TABLE_DEFS.len());
        for def in &TABLE_DEFS {
            let schema = parse_message_type(&message_type(def)).map_err(|e| err(def, e))?;
            let sink = open(&file_name(def)).map_err(|e| err(def, e))?;
            let writer = SerializedFileWriter::new(sink, Arc::new(schema), props.clone())
                .map_err(|e| err(def, e))?;
            let columns = def
                .columns
                .iter()
                .map(|c| Buffered {
                    values: match c.ty {
                        ColumnType::Text => Values::Text(Vec::new()),
                        ColumnType::Integer => Values::Integer(Vec::new()),
                        ColumnType::Number => Values::Number(Vec::new()),
                        ColumnType::Boolean => Values::Boolean(Vec::new()),
                    },
                    defs: Vec::new(),
                })
                .collect();
            tables.push(TableWriter {
                def,
                writer,
                columns,
                pending: 0,
                rows: 0,
            });
        }
        Ok(ParquetTables { tables })
    }

    /// Add every row one report contributes.
    pub fn write_report(&mut self, report: &Report) -> Result<()> {
        self.write_report_from(report, 0)
    }

    /// Add the rows of a run of a report's items, the first at 0-based position `first`.
    pub fn write_report_from(&mut self, report: &Report, first: usize) -> Result<()> {
        report_rows_from(report, first, |t, cells| match self.tables.get_mut(t) {
            Some(w) => w.push(cells),
            None => Err(Error::new(ErrorKind::Internal, format!("no table #{t}"))),
        })
    }

    /// Rows per table (file name, rows), in [`TABLE_DEFS`] order.
    pub fn row_counts(&self) -> Vec<(String, u64)> {
        self.tables
            .iter()
            .map(|t| (file_name(t.def), t.rows))
            .collect()
    }

    /// Write the last row groups and the footers; hand back the sinks in [`TABLE_DEFS`] order.
    pub fn finish(self) -> Result<Vec<W>> {
        let mut out = Vec::with_capacity(self.tables.len());
        for mut t in self.tables {
            t.flush()?;
            let def = t.def;
            out.push(t.writer.into_inner().map_err(|e| err(def, e))?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Field;

    fn write(report: &Report) -> Vec<Vec<u8>> {
        let mut t = ParquetTables::new(|_| Ok(Vec::new())).unwrap();
        t.write_report(report).unwrap();
        t.write_report(report).unwrap();
        assert_eq!(
            t.row_counts(),
            [
                ("items.parquet".to_string(), 6),
                ("progress.parquet".into(), 2),
                ("targets.parquet".into(), 6),
                ("findings.parquet".into(), 4),
                ("schedule.parquet".into(), 2),
                ("fields.parquet".into(), 2),
            ]
        );
        t.finish().unwrap()
    }

    fn rows(bytes: Vec<u8>) -> Vec<Vec<(String, Field)>> {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&bytes).unwrap();
        let r = SerializedFileReader::new(f).unwrap();
        r.get_row_iter(None)
            .unwrap()
            .map(|row| {
                row.unwrap()
                    .get_column_iter()
                    .map(|(n, f)| (n.clone(), f.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn tables_read_back_with_types_and_nulls() {
        let files = write(&crate::tabular::tests::sample_report());
        let items = rows(files[0].clone());
        assert_eq!(items.len(), 6);
        let get = |row: &Vec<(String, Field)>, name: &str| {
            row.iter().find(|(n, _)| n == name).unwrap().1.clone()
        };
        let cases = [
            (0, "item", Field::Str("1".into())),
            (0, "item_index", Field::Long(1)),
            (0, "number", Field::Long(1)),
            (0, "is_new", Field::Bool(true)),
            (0, "report_fiscal_year", Field::Long(2021)),
            (
                0,
                "current_state",
                Field::Str("紙の申請が多い\n待ち時間が長い".into()),
            ),
            (0, "rating_rank", Field::Long(1)),
            (0, "page", Field::Null),
            (2, "item", Field::Str("2-(1)".into())),
            (2, "number", Field::Null),
            (2, "parent", Field::Str("2".into())),
            (2, "page", Field::Long(3)),
        ];
        for (row, col, want) in cases {
            assert_eq!(get(&items[row], col), want, "items row {row} {col}");
        }
        let targets = rows(files[2].clone());
        let cases = [
            (0, "text", Field::Str("1,200 (R2.6.1現在)".into())),
            (0, "number", Field::Double(1200.0)),
            (1, "number", Field::Double(2500.5)),
            (1, "unit", Field::Str("件".into())),
            (2, "value", Field::Null),
            (2, "number", Field::Null),
            (2, "name", Field::Str("施設数".into())),
        ];
        for (row, col, want) in cases {
            assert_eq!(get(&targets[row], col), want, "targets row {row} {col}");
        }
        let schedule = rows(files[4].clone());
        assert_eq!(get(&schedule[0], "continues"), Field::Bool(true));
    }

    #[test]
    fn message_type_of_targets() {
        let m = message_type(&TABLE_DEFS[2]);
        assert!(m.starts_with("message targets {\n  OPTIONAL BYTE_ARRAY file (UTF8);\n"));
        assert!(m.contains("  OPTIONAL INT64 item_index;\n"));
        assert!(m.contains("  OPTIONAL DOUBLE number;\n"));
    }
}
