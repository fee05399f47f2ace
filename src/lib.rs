//! gyokaku: Japanese municipal reform progress reports (行財政改革 plans) → structured data.
//!
//! Stages, each with one typed hand-off:
//! `bytes → [`ingest`] ([`text`] | [`pdf`] | spreadsheet | Word | HTML | CSV) → [`source::SourceDoc`] (pages → lines → cells) →
//! [`normalize`] → [`records`] (the layout: a built-in or given profile, or inferred; items and
//! their typed fields) → [`validate`] (diagnostics) → [`emit`] (json | jsonl | csv)`.

// Library code must not panic on input-derived data (tests may).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod batch;
pub mod cli;
pub mod emit;
pub mod error;
pub mod fields;
pub mod ingest;
pub mod input;
pub mod limits;
pub mod model;
pub mod normalize;
pub mod ocr;
pub mod pdf;
pub mod provenance;
pub mod records;
pub mod review;
pub mod source;
pub mod tabular;
pub mod text;
pub mod timings;
pub mod validate;
pub mod wareki;
pub mod window;

pub use error::{Error, ErrorKind, Location, Result};
pub use input::read_input;
pub use limits::Limits;
pub use model::Report;

use sha2::{Digest, Sha256};
use source::SourceDoc;

/// Everything that steers one parse.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Force a layout (by id among the built-in and loaded profiles, or `inferred`).
    pub layout: Option<String>,
    /// Force a text encoding (an encoding label understood by encoding_rs, e.g. `shift_jis`).
    pub encoding: Option<String>,
    /// Override the municipality.
    pub municipality: Option<String>,
    /// Layouts written down as profiles of kind `inferred` (`--profile FILE`).
    pub specs: Vec<records::LayoutSpec>,
    /// A user's lexicon, added to the built-in one (`--lexicon FILE`).
    pub lexicon: Option<fields::lexicon::Lexicon>,
    pub limits: Limits,
    /// What invalid bytes in a text do (`--encoding-errors`): replaced and reported, or refused.
    pub encoding_errors: text::EncodingErrors,
    /// When scanned PDF pages are read by OCR (`--ocr`).
    pub ocr: ocr::OcrMode,
    /// Threads a PDF's pages may be read on (0 or 1: in order on the calling thread). The
    /// result is the same whatever the number.
    pub page_threads: usize,
    /// Set by the reading of a large text in windows ([`window`]): which lines at the edges of
    /// blank-separated blocks repeat over the whole text (page headers), as a window alone
    /// cannot tell.
    #[doc(hidden)]
    pub repeated_edges: Option<std::sync::Arc<records::RepeatedEdges>>,
}

impl Options {
    /// Add a layout profile from its TOML text, as `--profile FILE` does. A profile in the first
    /// form (`kind = "card"`/`"table"`) is refused with a message saying how to convert it.
    pub fn add_profile(&mut self, origin: &str, text: &str) -> Result<()> {
        self.specs
            .push(records::LayoutSpec::from_toml(origin, text)?);
        Ok(())
    }

    /// The lexicon in force: the built-in one, extended by the user's.
    pub fn lexicon(&self) -> std::borrow::Cow<'static, fields::lexicon::Lexicon> {
        let base = fields::lexicon::Lexicon::builtin();
        match &self.lexicon {
            None => std::borrow::Cow::Borrowed(base),
            Some(user) => {
                let mut l = base.clone();
                l.extend(user);
                std::borrow::Cow::Owned(l)
            }
        }
    }
}

/// Read input bytes into lines and cells, choosing PDF or text by content.
/// Read input bytes into lines and cells, choosing the form (PDF, spreadsheet, Word, HTML, text)
/// by content; see [`ingest::detect`].
pub fn ingest(bytes: &[u8], opts: &Options) -> Result<SourceDoc> {
    ingest_named(bytes, None, opts)
}

/// As [`ingest()`], with the input's file name (or path) to detect forms that only the extension
/// tells (`.csv`, `.tsv`).
pub fn ingest_named(bytes: &[u8], name: Option<&str>, opts: &Options) -> Result<SourceDoc> {
    if bytes.len() as u64 > opts.limits.max_input_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "input is {} bytes, larger than the limit of {} bytes (--max-input-bytes)",
                bytes.len(),
                opts.limits.max_input_bytes
            ),
        ));
    }
    ingest::ingest(bytes, name, opts)
}

/// Parse one input into a report. `path` is recorded in the output and used in error messages.
pub fn parse_bytes(bytes: &[u8], path: &str, opts: &Options) -> Result<Report> {
    let started = std::time::Instant::now();
    let doc = ingest_named(bytes, Some(path), opts).map_err(|e| e.in_file(path))?;
    let sha = sha256_hex(bytes);
    parse_ingested(doc, path, &sha, opts, started)
}

/// As [`parse_bytes`], taking the bytes: they are freed once ingested, before the report is
/// built, so that a large text is not held twice (as bytes and as lines).
pub fn parse_owned(bytes: Vec<u8>, path: &str, opts: &Options) -> Result<Report> {
    let started = std::time::Instant::now();
    let doc = ingest_named(&bytes, Some(path), opts).map_err(|e| e.in_file(path))?;
    let sha = sha256_hex(&bytes);
    drop(bytes);
    parse_ingested(doc, path, &sha, opts, started)
}

fn parse_ingested(
    doc: SourceDoc,
    path: &str,
    sha: &str,
    opts: &Options,
    started: std::time::Instant,
) -> Result<Report> {
    use timings::Stage;
    if doc.media_type != "application/pdf" {
        // The PDF reader times its own stages (parse, fonts, interpret, layout).
        timings::add(Stage::Parse, started.elapsed());
    }
    timings::time(Stage::Records, || {
        let unreadable = unreadable_note(&doc);
        parse_source(doc, path, sha, opts)
            .map_err(|e| explain_unreadable(e, unreadable))
            .map_err(|e| e.in_file(path))
    })
}

/// What made part of the text unreadable (`unmapped-text` diagnostics), for an input that then
/// turns out not to read as a report: the pages and the share of glyphs left out.
fn unreadable_note(doc: &SourceDoc) -> Option<String> {
    let notes: Vec<String> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == "unmapped-text")
        .map(|d| match d.page {
            Some(p) => format!("page {p}: {}", d.message),
            None => d.message.clone(),
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// A `not-a-report` error of an input whose text is partly unmappable says so: it is an
/// `unreadable` error naming the pages and shares, not a bare `not-a-report`.
fn explain_unreadable(e: Error, note: Option<String>) -> Error {
    match note {
        Some(note) if e.kind == ErrorKind::NotAReport => {
            let mut out = Error::new(
                ErrorKind::Unreadable,
                format!(
                    "{} — the text may be unreadable rather than not a report: {note}",
                    e.message
                ),
            );
            out.location = e.location;
            out
        }
        _ => e,
    }
}

/// Parse already-ingested lines into a report.
pub fn parse_source(
    mut doc: SourceDoc,
    path: &str,
    sha256: &str,
    opts: &Options,
) -> Result<Report> {
    let mut report = records::builtin::read(&doc, path, sha256, opts)?;
    doc.diagnostics.clear();
    // The lines go to the provenance pass as they are: no copy of the document is held.
    let index = provenance::Index::new(doc);
    index.attach(&mut report);
    Ok(report)
}

/// Infer the layout of one input and write it down as a profile (`gyokaku profile infer`).
pub fn infer_profile(
    bytes: &[u8],
    path: &str,
    id: &str,
    opts: &Options,
) -> Result<records::LayoutSpec> {
    let doc = ingest_named(bytes, Some(path), opts).map_err(|e| e.in_file(path))?;
    records::report::infer_spec(&doc, &opts.lexicon(), id)
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
