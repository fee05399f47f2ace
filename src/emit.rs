//! JSON output and the published schema.

use std::io::Write;

use crate::model::Report;

/// Write the report as pretty JSON with a trailing newline, as it is serialised: the same bytes as
/// [`to_json`] without holding the whole text in memory (a report's JSON is several times the size
/// of its input). `out` should be buffered.
pub fn write_json<W: Write>(report: &Report, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The report as pretty JSON with a trailing newline.
pub fn to_json(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// JSON Schema (2020-12) of the report document, generated from the Rust types.
pub fn report_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

pub mod datapackage;
pub mod parquet;
pub mod xlsx;
