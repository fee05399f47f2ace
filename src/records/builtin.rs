//! The built-in profiles (`profiles/card.toml`, `profiles/table.toml`, embedded in the binary)
//! and the choice of the layout a document is read with: forced (`--layout`, `--profile`), or the
//! best of the built-in profiles and inference.

use super::profile_keys::Pins;
use super::{report, why, LayoutSpec, INFERRED};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Report;
use crate::source::SourceDoc;
use crate::Options;
use std::sync::OnceLock;

/// The built-in profiles: (file, text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "profiles/card.toml",
        include_str!("../../profiles/card.toml"),
    ),
    (
        "profiles/table.toml",
        include_str!("../../profiles/table.toml"),
    ),
];

/// [`BUILTIN`] as JSON, written by the build (`build.rs`), in the same order.
const BUILTIN_JSON: [&str; 2] = [
    include_str!(concat!(env!("OUT_DIR"), "/profile-card.json")),
    include_str!(concat!(env!("OUT_DIR"), "/profile-table.json")),
];

/// The built-in profiles, read once from the JSON the build writes of them (faster to parse than
/// TOML) and checked as a profile file is (a built-in that does not read is left out; a unit
/// test keeps them all readable, and the same as their TOML).
pub fn specs() -> &'static [LayoutSpec] {
    &checked_specs().0
}

/// The built-in profiles and their pins, made once: the pins are those made in checking each,
/// not compiled again.
fn checked_specs() -> &'static (Vec<LayoutSpec>, Vec<Pins>) {
    static SPECS: OnceLock<(Vec<LayoutSpec>, Vec<Pins>)> = OnceLock::new();
    SPECS.get_or_init(|| {
        BUILTIN
            .iter()
            .zip(BUILTIN_JSON)
            .filter_map(|((origin, text), json)| {
                LayoutSpec::checked_with_pins(origin, text, serde_json::from_str(json).ok()?).ok()
            })
            .unzip()
    })
}

/// The pins of a built-in profile (the very one [`specs`] holds); `None` for any other.
pub(crate) fn pins_of(spec: &LayoutSpec) -> Option<&'static Pins> {
    let (specs, pins) = checked_specs();
    specs
        .iter()
        .position(|s| std::ptr::eq(s, spec))
        .and_then(|i| pins.get(i))
}

/// The layout ids `--layout` accepts: the built-in profiles, the loaded ones, and `inferred`.
pub fn layout_ids(loaded: &[LayoutSpec]) -> Vec<String> {
    let mut ids: Vec<String> = specs().iter().map(|s| s.id.clone()).collect();
    for s in loaded {
        if !ids.contains(&s.id) {
            ids.push(s.id.clone());
        }
    }
    ids.push(INFERRED.to_string());
    ids
}

/// Read a document: with the layout forced by `--layout` or `--profile`, else with the best
/// reading of the built-in profiles and inference. A built-in profile's reading wins unless
/// inference explains clearly more lines (5 points of confidence) with as many items (one less
/// at most); among the built-ins the one explaining more lines wins. When none reads the
/// document, the error gives each layout's reason.
pub fn read(doc: &SourceDoc, path: &str, sha256: &str, opts: &Options) -> Result<Report> {
    let lex = opts.lexicon();
    if doc
        .lines
        .iter()
        .all(|l| l.cells.iter().all(|c| c.trim().is_empty()))
    {
        return Err(Error::new(
            ErrorKind::NotAReport,
            "no text content (empty input)",
        ));
    }
    let one = |spec: Option<&LayoutSpec>, strict: bool| {
        report::read_as(doc, path, sha256, opts, &lex, spec, strict).map_err(|e| match e.kind {
            ErrorKind::NotAReport => Error::new(e.kind, why::join(&[e.message])),
            _ => e,
        })
    };
    match opts.layout.as_deref() {
        Some(INFERRED) => return one(None, true),
        Some(id) => {
            if let Some(s) = opts.specs.iter().find(|s| s.id == id) {
                return one(Some(s), false);
            }
            if let Some(s) = specs().iter().find(|s| s.id == id) {
                return one(Some(s), true);
            }
            return Err(Error::new(
                ErrorKind::Profile,
                format!(
                    "unknown layout {id:?} (known: {})",
                    layout_ids(&opts.specs).join(", ")
                ),
            ));
        }
        None => {}
    }
    if let Some(s) = opts.specs.first() {
        return one(Some(s), false);
    }
    let mut best: Option<Report> = None;
    // Built-ins whose label no cell carries read nothing: their reason is asked for only if no
    // layout reads the document.
    let mut unread: Vec<&LayoutSpec> = vec![];
    for spec in specs() {
        if !may_read(spec, doc) {
            unread.push(spec);
            continue;
        }
        match report::read_as(doc, path, sha256, opts, &lex, Some(spec), true) {
            Ok(r) => {
                if best.as_ref().is_none_or(|b| confidence(&r) > confidence(b)) {
                    best = Some(r);
                }
            }
            Err(e) if e.kind == ErrorKind::NotAReport => unread.push(spec),
            Err(e) => return Err(e),
        }
    }
    // A built-in reading that explains (nearly) every line cannot be beaten: inference is skipped.
    if let Some(b) = best.take() {
        if confidence(&b) + MARGIN >= 1.0 {
            return Ok(b);
        }
        best = Some(b);
    }
    let inferred = report::read(doc, path, sha256, opts, &lex, None);
    let mut reasons = vec![];
    if best.is_none()
        && inferred
            .as_ref()
            .is_err_and(|e| e.kind == ErrorKind::NotAReport)
    {
        for spec in &unread {
            match report::read_as(doc, path, sha256, opts, &lex, Some(spec), true) {
                Err(e) if e.kind == ErrorKind::NotAReport => reasons.push(e.message),
                Err(e) => return Err(e),
                Ok(r) => best = Some(r),
            }
        }
    }
    match (best, inferred) {
        (Some(b), Ok(inf)) => {
            let clearly_better =
                confidence(&inf) > confidence(&b) + MARGIN && inf.items.len() + 1 >= b.items.len();
            Ok(if clearly_better { inf } else { b })
        }
        (Some(b), Err(_)) => Ok(b),
        (None, Ok(inf)) => Ok(inf),
        (None, Err(e)) if e.kind == ErrorKind::NotAReport => {
            reasons.push(e.message);
            Err(Error::new(ErrorKind::NotAReport, why::join(&reasons)))
        }
        (None, Err(e)) => Err(e),
    }
}

/// How much more of the lines inference must explain to win over a built-in profile.
const MARGIN: f64 = 0.05;

/// Could a built-in read the document: does some cell carry the label its item level is tied to
/// (`改革項目`, `No.`)? A cheap look at the cells, characters normalised, before a full reading.
fn may_read(spec: &LayoutSpec, doc: &SourceDoc) -> bool {
    // The built-in profiles' pins (their patterns compiled) are made once per process.
    let own;
    let pins = match pins_of(spec) {
        Some(p) => Some(p),
        None => {
            own = spec.pins(&spec.id).ok();
            own.as_ref()
        }
    };
    let Some(pins) = pins else {
        return false;
    };
    if pins.level_labels.is_empty() {
        return true;
    }
    doc.lines.iter().flat_map(|l| l.cells.iter()).any(|c| {
        let c = c.trim();
        // Labels are short; a long cell is text.
        if c.is_empty() || c.len() > 120 {
            return false;
        }
        let cell = super::strip_ws(&crate::normalize::normalize_chars(c));
        let cell = cell.trim_start_matches(super::HEADING_MARKS);
        pins.level_labels
            .iter()
            .any(|(key, re)| super::profile_keys::label_fits(re, key.form, cell))
    })
}

fn confidence(r: &Report) -> f64 {
    r.layout_confidence.unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_reads() {
        for ((origin, text), read) in BUILTIN.iter().zip(specs()) {
            let spec = LayoutSpec::from_toml(origin, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(origin.ends_with(&format!("{}.toml", spec.id)), "{origin}");
            // Read from the build's JSON: the same profile as its TOML.
            assert_eq!(read, &spec, "{origin}");
        }
        let ids: Vec<&str> = specs().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["card", "table"]);
        assert_eq!(layout_ids(&[]), ["card", "table", "inferred"]);
    }
}
