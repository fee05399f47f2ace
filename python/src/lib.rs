//! `gyokaku._gyokaku`: the native half of the Python package. The Python half
//! (`python/gyokaku/__init__.py`) turns the JSON documents into Python objects, error tuples into
//! `gyokaku.GyokakuError` and column lists into DataFrames.
//!
//! Parsing releases the GIL; `parse_paths` parses on a rayon pool, each file under the same
//! time budget and panic guard as a batch run of the command-line tool.

use gyokaku::batch::with_budget;
use gyokaku::tabular::{report_rows, Cell, ColumnType, TABLE_DEFS};
use gyokaku::{Error, Options, Report};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// An error as Python sees it: (kind, message, file, page, line, one-line text).
type ErrorTuple = (
    &'static str,
    String,
    Option<String>,
    Option<u32>,
    Option<u32>,
    String,
);
/// A parse result: the report as JSON, or the error.
type Outcome = (Option<String>, Option<ErrorTuple>);

fn error_tuple(e: &Error) -> ErrorTuple {
    (
        e.kind.as_str(),
        e.message.clone(),
        e.location.file.clone(),
        e.location.page,
        e.location.line,
        e.to_string(),
    )
}

fn outcome(r: gyokaku::Result<String>) -> Outcome {
    match r {
        Ok(json) => (Some(json), None),
        Err(e) => (None, Some(error_tuple(&e))),
    }
}

fn to_json(report: &Report) -> gyokaku::Result<String> {
    serde_json::to_string(report).map_err(|e| {
        Error::new(
            gyokaku::ErrorKind::Output,
            format!("cannot write JSON: {e}"),
        )
    })
}

/// Read and parse one file as a batch run does (time budget, panics caught).
fn parse_file(opts: &Arc<Options>, path: &str) -> gyokaku::Result<String> {
    let o = Arc::clone(opts);
    let p = path.to_string();
    with_budget(opts.limits.time_budget, move || {
        let bytes = gyokaku::read_input(Path::new(&p), &o.limits)?;
        to_json(&gyokaku::parse_bytes(&bytes, &p, &o)?)
    })
    .map_err(|e| e.in_file(path))
}

/// Parse options shared by every call: profiles, layout, lexicon, encoding, municipality, limits.
#[pyclass(frozen, module = "gyokaku._gyokaku")]
struct Parser {
    opts: Arc<Options>,
}

fn build(
    profiles: Vec<String>,
    layout: Option<String>,
    encoding: Option<String>,
    municipality: Option<String>,
    lexicon: Option<String>,
    time_budget: Option<f64>,
) -> gyokaku::Result<Parser> {
    let usage = |m: String| Error::new(gyokaku::ErrorKind::Usage, m);
    let mut opts = Options::default();
    for p in &profiles {
        let text = std::fs::read_to_string(p).map_err(|e| {
            Error::new(
                gyokaku::ErrorKind::Profile,
                format!("cannot read profile: {e}"),
            )
            .in_file(p)
        })?;
        opts.add_profile(p, &text)?;
    }
    if let Some(p) = &lexicon {
        let text = std::fs::read_to_string(p).map_err(|e| {
            Error::new(gyokaku::ErrorKind::Lexicon, format!("cannot read: {e}")).in_file(p)
        })?;
        opts.lexicon = Some(gyokaku::fields::lexicon::Lexicon::from_toml(p, &text)?);
    }
    if let Some(label) = &encoding {
        let name = gyokaku::cli::encoding_name(label)
            .ok_or_else(|| usage(format!("encoding {label:?}: unknown encoding")))?;
        opts.encoding = Some(name.to_string());
    }
    opts.municipality = municipality;
    opts.layout = layout;
    match time_budget {
        None => {}
        Some(s) if s == 0.0 => opts.limits.time_budget = None,
        Some(s) => {
            opts.limits.time_budget = Some(
                Duration::try_from_secs_f64(s)
                    .map_err(|_| usage(format!("time_budget {s}: give seconds ≥ 0")))?,
            )
        }
    }
    Ok(Parser {
        opts: Arc::new(opts),
    })
}

#[pymethods]
impl Parser {
    /// Parse the file at `path`; the GIL is released meanwhile.
    fn parse_path(&self, py: Python<'_>, path: String) -> Outcome {
        let opts = Arc::clone(&self.opts);
        py.detach(move || outcome(parse_file(&opts, &path)))
    }

    /// Parse bytes; `name` is recorded as `source.path` and tells `.csv`/`.tsv` inputs.
    fn parse_bytes(&self, py: Python<'_>, data: &[u8], name: String) -> Outcome {
        let bytes = data.to_vec();
        let opts = Arc::clone(&self.opts);
        py.detach(move || {
            let o = Arc::clone(&opts);
            let n = name.clone();
            outcome(
                with_budget(opts.limits.time_budget, move || {
                    to_json(&gyokaku::parse_bytes(&bytes, &n, &o)?)
                })
                .map_err(|e| e.in_file(&name)),
            )
        })
    }

    /// Parse files on `jobs` threads (rayon), results in the order of `paths`; one bad file is
    /// an error in its place, never a failed call.
    fn parse_paths(
        &self,
        py: Python<'_>,
        paths: Vec<String>,
        jobs: usize,
    ) -> PyResult<Vec<Outcome>> {
        let opts = Arc::clone(&self.opts);
        py.detach(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.max(1))
                .thread_name(|i| format!("gyokaku-py-{i}"))
                .build()
                .map_err(|e| PyValueError::new_err(format!("cannot start threads: {e}")))?;
            Ok(pool.install(|| {
                paths
                    .par_iter()
                    .map(|p| outcome(parse_file(&opts, p)))
                    .collect()
            }))
        })
    }
}

/// Build a [`Parser`], or say why not: `(parser, None)` or `(None, error)`.
#[pyfunction]
#[pyo3(signature = (profiles, layout=None, encoding=None, municipality=None, lexicon=None, time_budget=None))]
fn new_parser(
    profiles: Vec<String>,
    layout: Option<String>,
    encoding: Option<String>,
    municipality: Option<String>,
    lexicon: Option<String>,
    time_budget: Option<f64>,
) -> (Option<Parser>, Option<ErrorTuple>) {
    match build(
        profiles,
        layout,
        encoding,
        municipality,
        lexicon,
        time_budget,
    ) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(error_tuple(&e))),
    }
}

/// One column's values, typed.
enum Values {
    Text(Vec<Option<String>>),
    Integer(Vec<Option<i64>>),
    Number(Vec<Option<f64>>),
    Boolean(Vec<Option<bool>>),
}

/// The columns of one table for the given report documents (JSON), as `{name: [values]}`:
/// the same rows and columns as the CSV table, typed.
#[pyfunction]
fn table_columns<'py>(
    py: Python<'py>,
    docs: Vec<String>,
    table: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let def = TABLE_DEFS
        .get(table)
        .ok_or_else(|| PyValueError::new_err(format!("no table #{table}")))?;
    let columns = py.detach(|| -> Result<Vec<Values>, String> {
        let mut cols: Vec<Values> = def
            .columns
            .iter()
            .map(|c| match c.ty {
                ColumnType::Text => Values::Text(Vec::new()),
                ColumnType::Integer => Values::Integer(Vec::new()),
                ColumnType::Number => Values::Number(Vec::new()),
                ColumnType::Boolean => Values::Boolean(Vec::new()),
            })
            .collect();
        for (k, doc) in docs.iter().enumerate() {
            let report: Report = serde_json::from_str(doc)
                .map_err(|e| format!("result {k} is not a gyokaku report: {e}"))?;
            report_rows(&report, |t, cells| {
                if t != table {
                    return Ok(());
                }
                for (col, cell) in cols.iter_mut().zip(cells) {
                    match (col, cell) {
                        (Values::Text(v), Cell::Text(s)) => {
                            v.push(s.as_ref().map(|s| s.to_string()))
                        }
                        (Values::Integer(v), Cell::Integer(n)) => v.push(*n),
                        (Values::Number(v), Cell::Number(n)) => v.push(*n),
                        (Values::Boolean(v), Cell::Boolean(b)) => v.push(*b),
                        _ => {
                            return Err(Error::new(
                                gyokaku::ErrorKind::Internal,
                                "a cell does not match its column's type",
                            ))
                        }
                    }
                }
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        }
        Ok(cols)
    });
    let columns = columns.map_err(PyValueError::new_err)?;
    let out = PyDict::new(py);
    for (c, values) in def.columns.iter().zip(columns) {
        match values {
            Values::Text(v) => out.set_item(c.name, v)?,
            Values::Integer(v) => out.set_item(c.name, v)?,
            Values::Number(v) => out.set_item(c.name, v)?,
            Values::Boolean(v) => out.set_item(c.name, v)?,
        }
    }
    Ok(out)
}

/// The tables: `[(name, row, [(column, type, unit column, description)])]`.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn tables() -> Vec<(
    &'static str,
    &'static str,
    Vec<(
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
    )>,
)> {
    TABLE_DEFS
        .iter()
        .map(|t| {
            let cols = t
                .columns
                .iter()
                .map(|c| (c.name, c.ty.table_schema_type(), c.unit, c.description))
                .collect();
            (t.name, t.row, cols)
        })
        .collect()
}

#[pymodule]
fn _gyokaku(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "REPORT_EXTENSIONS",
        gyokaku::batch::REPORT_EXTENSIONS.to_vec(),
    )?;
    m.add_class::<Parser>()?;
    m.add_function(wrap_pyfunction!(new_parser, m)?)?;
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    m.add_function(wrap_pyfunction!(tables, m)?)?;
    Ok(())
}
