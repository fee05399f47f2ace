//! JSON output and the published schema.

use crate::model::Report;

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
