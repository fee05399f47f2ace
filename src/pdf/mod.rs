//! PDF ingestion. The only module that sees lopdf.

pub mod guard;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::source::SourceDoc;

/// True when the bytes look like a PDF (`%PDF-` within the first 1024 bytes).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Read a PDF into pages → lines → cells.
pub fn extract(_bytes: &[u8], _limits: &Limits) -> Result<SourceDoc> {
    Err(Error::new(ErrorKind::Pdf, "PDF input is not supported yet"))
}
