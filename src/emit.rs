//! emit

// TEMP: minimal versions until the lead's emit.rs is merged; the lead's version replaces this file.

use crate::model::Report;

/// The report as pretty JSON with a trailing newline.
pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// JSON Schema (2020-12) of [`Report`].
pub fn report_schema() -> String {
    let mut s = serde_json::to_string_pretty(&schemars::schema_for!(Report)).unwrap_or_default();
    s.push('\n');
    s
}
