//! Typed fields from segmented records.
use crate::error::{Error, ErrorKind, Result};
use crate::model::Report;
use crate::source::SourceDoc;
use crate::Options;

/// Build the report from ingested lines.
pub fn build_report(
    _doc: SourceDoc,
    _path: &str,
    _sha256: &str,
    _opts: &Options,
) -> Result<Report> {
    Err(Error::new(ErrorKind::NotAReport, "not implemented"))
}
