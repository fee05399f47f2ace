//! Cut the lines into records along the chosen levels and describe each record: table rows by
//! their header's columns, card rows by their labels, narrative paragraphs by the 【label】 before
//! them, target tables by their header's value kinds and years.

/// The status code of a rating code (kept here for the modules that take it from `build`).
pub(super) use super::front::status_code;
use super::front::{choose_title, declared_counts};
use super::ids;
use super::legends::*;
use super::lists::{canonical_lists, findings_of};
use super::profile_keys::{apply_columns, pattern_candidates, ColumnRule, Pins};
use super::rows::*;
use super::text::*;
use super::{
    candidates, classify, levels, strip_ws, Candidate, GroupKey, Level, LevelKind, LineRole,
};
use crate::fields::legend::Legend;
use crate::fields::lexicon::{self as lexmod, Lexicon, Role};
use crate::model::*;
use crate::records::line::Line;
use crate::source::SourceLine;
use std::collections::HashMap;

/// The result of reading a document with an inferred (or pinned) layout.
#[derive(Debug, Clone)]
pub struct Built {
    /// The levels chosen, outermost first, with the label that sets a level apart (see
    /// [`Level::label`]).
    pub levels: Vec<(GroupKey, LevelKind, Option<String>)>,
    pub title: Option<String>,
    pub items: Vec<Item>,
    pub sections: Vec<Section>,
    pub rating_scale: Option<Vec<RatingLevel>>,
    pub totals: Vec<Target>,
    pub diagnostics: Vec<Diagnostic>,
    /// Share of non-blank lines explained (0–1).
    pub confidence: f64,
    /// Distinct lexicon roles used by the records' labels and columns.
    pub roles_used: usize,
    /// The status summary the front matter declares (`達成状況 | 件数` with `順調 | 17` …).
    pub declared: Option<Vec<StatusCount>>,
    /// For reading a document in windows of lines: the running counts before each line (one
    /// entry per line read, and one more after the last).
    pub tally: Vec<Tally>,
    /// Whether each of `sections` was added only because no section of the same text was there
    /// before (headings and bands), not in every case (numbered section levels).
    pub section_once: Vec<bool>,
    /// For each record start, the earlier lines its reading depends on: the headings of its
    /// open sections, the first lines of its open parent items and the header of its table.
    pub contexts: Vec<(u32, Vec<u32>)>,
    /// Lines explained in all (the front matter included) and content lines.
    pub explained: usize,
    pub content: usize,
}

/// Running counts of a reading before one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// The line (`u32::MAX` after the last).
    pub line: u32,
    /// Lines explained so far (front matter is counted after the loop, not here).
    pub explained: usize,
    /// Content (non-blank) lines so far.
    pub content: usize,
    /// Report-level totals so far.
    pub totals: usize,
    /// Sections so far.
    pub sections: usize,
}

/// Read the document with the given levels (inferred when `pinned` is None).
pub fn build(
    lex: &Lexicon,
    lines: &[Line],
    raw: &[SourceLine],
    report_year: Option<i32>,
    pinned: Option<&[(GroupKey, LevelKind)]>,
) -> Built {
    let pins = pinned.map(Pins::levels);
    build_pinned(lex, lines, raw, report_year, pins.as_ref(), None)
}

/// [`build`] with everything a profile pins: levels (by scheme or pattern), columns, units.
pub fn build_pinned(
    lex: &Lexicon,
    lines: &[Line],
    raw: &[SourceLine],
    report_year: Option<i32>,
    pins: Option<&Pins>,
    repeated: Option<&super::RepeatedEdges>,
) -> Built {
    let raw = super::RawLines::new(raw);
    let mut walk = Walk::new(lex, lines, &raw, report_year, pins, repeated);
    walk.run();
    walk.finish()
}

mod columns;
use columns::*;
mod content;
mod finish;
mod keyed_amounts;
mod table_names;
mod titles;
use titles::*;
mod walk;
use walk::Walk;

#[cfg(test)]
mod tests;
