//! Space-aligned text (`pdftotext -layout`): columns rebuilt from character positions.

use crate::source::SourceDoc;

/// Rebuild a space-aligned text into cells; the document unchanged (as `Err`) when it is not
/// space-aligned.
pub fn rebuild(doc: SourceDoc) -> std::result::Result<SourceDoc, SourceDoc> {
    Err(doc)
}
