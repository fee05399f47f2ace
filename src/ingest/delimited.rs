//! CSV and TSV: one line per record, one cell per field, quoted fields with line breaks kept as
//! `\n` inside the cell. The encoding is forced or detected as for text (UTF-8 with or without a
//! byte-order mark, CP932/Shift_JIS, EUC-JP, UTF-16). Provenance: `line 7`, the file line on which
//! the record starts.

use super::{bad, clean_cell, doc, Row};
use crate::error::Result;
use crate::source::SourceDoc;
use crate::text::EncodingErrors;

/// Read delimited text with this separator.
pub fn ingest(bytes: &[u8], sep: u8, forced: Option<&str>) -> Result<SourceDoc> {
    ingest_with(bytes, sep, forced, EncodingErrors::Replace)
}

/// Read delimited text; invalid bytes are replaced (with `invalid-bytes` diagnostics naming the
/// file line) or refused.
pub fn ingest_with(
    bytes: &[u8],
    sep: u8,
    forced: Option<&str>,
    mode: EncodingErrors,
) -> Result<SourceDoc> {
    let (text, enc, diags) = crate::text::decode_with(bytes, forced, mode)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let (what, media) = if sep == b'\t' {
        ("tsv", super::TSV)
    } else {
        ("csv", super::CSV)
    };
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .quoting(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rd.read_record(&mut rec) {
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                rows.push(Row {
                    cells: rec.iter().map(clean_cell).collect(),
                    origin: Some(format!("line {line}")),
                    cell_origins: Vec::new(),
                });
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(bad(what, format!("line {line}: {e}")));
            }
        }
    }
    let mut d = doc(media, None, vec![(None, rows)])?;
    d.encoding = Some(enc.name().to_string());
    d.diagnostics = crate::text::as_file_lines(diags);
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_cp932() {
        let src = "番号,取組項目,効果額\n1,\"窓口の\n見直し\",\"▲1,200\"\n,,\n2,電子化,\n";
        let d = ingest(src.as_bytes(), b',', None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            d.to_text(),
            "番号\t取組項目\t効果額\n1\t窓口の\n見直し\t▲1,200\n2\t電子化\n"
        );
        assert_eq!(d.origin(4).map(|o| o.origin.as_str()), Some("line 5"));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(src);
        let d2 = ingest(&sjis, b',', None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d2.to_text(), d.to_text());
        assert_eq!(d2.encoding.as_deref(), Some("Shift_JIS"));
    }

    #[test]
    fn tsv() {
        let d = ingest("a\t\"b\tc\"\n".as_bytes(), b'\t', None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.lines[0].cells, vec!["a", "b c"]);
    }
}
