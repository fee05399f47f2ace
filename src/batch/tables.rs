//! The typed table outputs of a batch run: Parquet tables (`--format parquet`), the xlsx
//! workbook (`--format xlsx`) and the data dictionary `datapackage.json` describing the CSV and
//! Parquet tables. Like the CSV tables, an output that fails for one report is dropped whole (a
//! partial table set would not be joinable) and named in `outputs.not_written`.

use super::{write_atomic, TempFile};
use crate::emit::datapackage::{datapackage, Described, DATAPACKAGE_JSON};
use crate::emit::parquet::{file_name, ParquetTables};
use crate::emit::xlsx::{XlsxTables, XLSX_FILE};
use crate::error::{Error, Result};
use crate::model::Report;
use crate::tabular::TABLE_DEFS;
use std::collections::BTreeMap;
use std::path::Path;

/// The open Parquet tables and workbook of a run.
pub(super) struct TypedTables {
    parquet: Option<ParquetTables<TempFile>>,
    xlsx: Option<XlsxTables>,
}

/// What [`TypedTables::finish`] wrote and could not write.
#[derive(Default)]
pub(super) struct Finished {
    pub parquet_rows: BTreeMap<String, u64>,
    pub xlsx_rows: BTreeMap<String, u64>,
    pub not_written: Vec<String>,
    pub errors: Vec<String>,
}

/// Every Parquet file name, in table order.
fn parquet_names() -> Vec<String> {
    TABLE_DEFS.iter().map(file_name).collect()
}

impl TypedTables {
    pub(super) fn new(dir: &Path, parquet: bool, xlsx: bool) -> Result<Self> {
        let parquet = match parquet {
            true => Some(ParquetTables::new(|name| {
                TempFile::create(&dir.join(name))
            })?),
            false => None,
        };
        let xlsx = match xlsx {
            true => Some(XlsxTables::new()?),
            false => None,
        };
        Ok(TypedTables { parquet, xlsx })
    }

    /// The files of the outputs still open.
    pub(super) fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.parquet.is_some() {
            names.extend(parquet_names());
        }
        if self.xlsx.is_some() {
            names.push(XLSX_FILE.to_string());
        }
        names
    }

    /// Add the rows of a run of a report's items, the first at 0-based position `first`;
    /// returns the outputs dropped because of it, with the error.
    pub(super) fn write_report_from(
        &mut self,
        report: &Report,
        first: usize,
    ) -> Vec<(Vec<String>, Error)> {
        let mut dropped = Vec::new();
        if let Some(p) = &mut self.parquet {
            if let Err(e) = p.write_report_from(report, first) {
                self.parquet = None;
                dropped.push((parquet_names(), e));
            }
        }
        if let Some(x) = &mut self.xlsx {
            if let Err(e) = x.write_report_from(report, first) {
                self.xlsx = None;
                dropped.push((vec![XLSX_FILE.to_string()], e));
            }
        }
        dropped
    }

    /// Commit the tables and the workbook, then `datapackage.json` for the tables that were
    /// written (`csv`: the CSV tables were, in that encoding).
    pub(super) fn finish(self, dir: &Path, csv: Option<crate::tabular::CsvEncoding>) -> Finished {
        let mut out = Finished::default();
        let mut parquet_ok = false;
        if let Some(p) = self.parquet {
            let counts = p.row_counts();
            match p.finish() {
                Ok(files) => {
                    parquet_ok = true;
                    for (f, name) in files.into_iter().zip(parquet_names()) {
                        if let Err(e) = f.commit() {
                            out.errors.push(format!("cannot write {name}: {e}"));
                            out.not_written.push(name);
                            parquet_ok = false;
                        }
                    }
                    if parquet_ok {
                        out.parquet_rows = counts.into_iter().collect();
                    }
                }
                Err(e) => {
                    out.not_written.extend(parquet_names());
                    out.errors.push(e.message);
                }
            }
        }
        if let Some(x) = self.xlsx {
            let counts = x.row_counts();
            match x.finish().and_then(|bytes| {
                write_atomic(&dir.join(XLSX_FILE), &bytes).map_err(|e| {
                    Error::new(
                        crate::ErrorKind::Output,
                        format!("cannot write {XLSX_FILE}: {e}"),
                    )
                })
            }) {
                Ok(()) => {
                    out.xlsx_rows = counts
                        .into_iter()
                        .map(|(n, c)| (n.to_string(), c))
                        .collect()
                }
                Err(e) => {
                    out.not_written.push(XLSX_FILE.to_string());
                    out.errors.push(e.message);
                }
            }
        }
        let described = Described {
            csv,
            parquet: parquet_ok,
        };
        if described != Described::default() {
            if let Err(e) = write_atomic(
                &dir.join(DATAPACKAGE_JSON),
                datapackage(described).as_bytes(),
            ) {
                out.not_written.push(DATAPACKAGE_JSON.to_string());
                out.errors
                    .push(format!("cannot write {DATAPACKAGE_JSON}: {e}"));
            }
        }
        out
    }
}

/// Run-level files these outputs may write: reserved in the output folder's names.
pub(super) const RUN_FILES: [&str; 8] = [
    DATAPACKAGE_JSON,
    XLSX_FILE,
    "items.parquet",
    "progress.parquet",
    "targets.parquet",
    "findings.parquet",
    "schedule.parquet",
    "fields.parquet",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_files_name_every_table() {
        assert_eq!(&RUN_FILES[2..], parquet_names().as_slice());
    }
}
