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

#[cfg(test)]
mod tests {
    use super::*;

    /// Streaming the JSON gives the very bytes of the whole text, for each kind of fixture.
    #[test]
    fn written_json_is_the_json_text() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for input in [
            "fixtures/text/card-basic.txt",
            "fixtures/text/table-basic.txt",
            "fixtures/pdf/card-basic.calc.pdf",
        ] {
            let bytes = std::fs::read(root.join(input)).unwrap();
            let report = crate::parse_bytes(&bytes, input, &crate::Options::default()).unwrap();
            assert!(!report.items.is_empty(), "{input}");
            let mut out = Vec::new();
            write_json(&report, &mut out).unwrap();
            let text = to_json(&report);
            assert_eq!(String::from_utf8(out).unwrap(), text, "{input}");
            assert!(text.ends_with("}\n"), "{input}");
        }
    }

    /// A failing writer is an error, not a short file passed off as complete.
    #[test]
    fn write_errors_are_returned() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("fixtures/text/card-basic.txt")).unwrap();
        let report =
            crate::parse_bytes(&bytes, "card-basic.txt", &crate::Options::default()).unwrap();
        let e = write_json(&report, Full).unwrap_err();
        assert_eq!(e.to_string(), "disk full");
    }
}
