//! Text ingestion: encoding detection and decoding, line and cell splitting.

use crate::error::Result;
use crate::source::{SourceDoc, SourceLine};

/// Decode text bytes (or use the forced encoding) and split into lines of tab-separated cells.
pub fn ingest(bytes: &[u8], _forced: Option<&str>) -> Result<SourceDoc> {
    let text = String::from_utf8_lossy(bytes);
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| SourceLine {
            page: None,
            line: i as u32 + 1,
            cells: l.split('\t').map(str::to_string).collect(),
        })
        .collect();
    Ok(SourceDoc {
        media_type: "text/plain".into(),
        encoding: Some("UTF-8".into()),
        pages: None,
        lines,
        diagnostics: vec![],
    })
}
