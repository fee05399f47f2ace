//! Large texts read in windows of lines, so that memory stays near the input's size.
//!
//! A text is decoded once into one buffer (the input's own allocation when it is UTF-8). The
//! layout is chosen from the first window as for a whole document. Then each window — the
//! document's context lines (see below), the last unfinished item of the window before, and the
//! next lines ([`window_size`]: up to 600 lines or 96 KiB of text) — is read with that layout. Every item of a window except its last
//! one (which may go on into the next window) is finished: its provenance placed, its checks fed
//! ([`ItemChecks`]), and it is written to a spill file as JSON. The next window starts at the
//! last item's first line. Line numbers stay those of the whole text.
//!
//! Context lines: the front matter (every line before the first item: title, legend, declared
//! status counts, unit notes) and, for the item a window starts at, the headings of its open
//! sections, the first lines of its open parent items and its table's header. They are read
//! again in each window, before the window's own lines, and what they give is counted once.
//!
//! Document-level facts come from: the first window (title, municipality, fiscal year, rating
//! legend, declared counts, the layout), every window's own lines (sections, totals,
//! diagnostics, the explained-line counts behind the layout confidence), and the checks over all
//! items (numbering, missing ratings, status counts). A text that needs more (single-cell lines
//! that are not space-aligned, a layout that does not read in a window) is read whole.
//!
//! A space-aligned text is first laid out a page at a time with the decisions taken over the
//! whole text ([`crate::ingest::layout_text::Decisions`]), its rows spilled to a temp file, and
//! read in windows from there ([`laid_out`]).
//!
//! Every output takes the items from the spill file: the JSON document copies them
//! ([`WindowedReport::write_json`]), the batch outputs (JSONL, the tables, the summary's counts)
//! read them back a run at a time ([`Parsed::for_each_chunk`]). An existing output found up to
//! date is read back the same way ([`WindowedReport::from_json`]).

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Diagnostic, Item, Report, Section, Target};
use crate::records::{self, LayoutSpec, INFERRED};
use crate::source::{Origin, SourceDoc, SourceLine};
use crate::text::WindowedText;
use crate::validate::ItemChecks;
use crate::Options;
use std::io::{Seek, Write};

mod parked;
mod size;

use parked::Parked;
use size::line_bytes;
pub use size::{
    window_size, Size, DEFAULT_WINDOW_BYTES, DEFAULT_WINDOW_LINES, THRESHOLD_BYTES,
    WINDOW_LINES_ENV,
};

/// Items before a window's last one that the next window reads again (not emitting them).
const KEEP_ITEMS: usize = 3;

/// A parsed input: a whole report, or one read in windows whose items wait in a spill file.
#[derive(Debug)]
pub enum Parsed {
    Whole(Report),
    Windowed(WindowedReport),
}

impl Parsed {
    /// Items in the report.
    pub fn items(&self) -> usize {
        match self {
            Parsed::Whole(r) => r.items.len(),
            Parsed::Windowed(w) => w.items,
        }
    }
    /// Diagnostics in the report.
    pub fn diagnostics(&self) -> usize {
        match self {
            Parsed::Whole(r) => r.diagnostics.len(),
            Parsed::Windowed(w) => w.head.diagnostics.len(),
        }
    }
    /// How many windows the text was read in; None when it was read whole.
    pub fn windows(&self) -> Option<usize> {
        match self {
            Parsed::Whole(_) => None,
            Parsed::Windowed(w) => Some(w.windows),
        }
    }
    /// Does a diagnostic of severity error make the report partial?
    pub fn is_partial(&self) -> bool {
        match self {
            Parsed::Whole(r) => r.is_partial(),
            Parsed::Windowed(w) => w.head.is_partial(),
        }
    }
    /// Write the report's JSON (the same bytes as [`crate::emit::write_json`] of the whole report).
    pub fn write_json<W: Write>(&mut self, out: W) -> std::io::Result<()> {
        match self {
            Parsed::Whole(r) => crate::emit::write_json(r, out),
            Parsed::Windowed(w) => w.write_json(out),
        }
    }
    /// The report's fields; its items too when it was read whole, none when read in windows.
    pub fn head(&self) -> &Report {
        match self {
            Parsed::Whole(r) => r,
            Parsed::Windowed(w) => &w.head,
        }
    }
    /// Call `f` with the report holding a run of at most `per_chunk` of its items (all of them
    /// when it was read whole) and the 0-based position of the run's first item, run after run
    /// in order. Only one run of items is in memory at a time.
    pub fn for_each_chunk(
        &mut self,
        per_chunk: usize,
        mut f: impl FnMut(&Report, usize),
    ) -> std::io::Result<()> {
        match self {
            Parsed::Whole(r) => {
                f(r, 0);
                Ok(())
            }
            Parsed::Windowed(w) => w.for_each_chunk(per_chunk, f),
        }
    }
}

impl From<Report> for Parsed {
    fn from(r: Report) -> Self {
        Parsed::Whole(r)
    }
}

/// Items read one by one from the spill file's JSON (wrapped as an array), each handed on.
struct EachItem<F>(F);

impl<'de, F: FnMut(Item)> serde::de::Visitor<'de> for EachItem<F> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the spilled items")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(it) = seq.next_element::<Item>()? {
            (self.0)(it);
        }
        Ok(())
    }
}

/// A report read in windows: everything but the items, and the items' JSON in a temp file.
#[derive(Debug)]
pub struct WindowedReport {
    /// The report without its items.
    pub head: Report,
    /// Number of items.
    pub items: usize,
    /// Number of windows read.
    pub windows: usize,
    /// The items' JSON, each indented as an element of `items`, separated by `,\n`.
    spill: std::fs::File,
}

/// `"items"` as the pretty JSON of a report without items writes it.
const EMPTY_ITEMS: &str = "\n  \"items\": [],\n";

/// The fields after `items`, serialised as a struct of their own: its pretty JSON without the
/// opening `{\n` is the end of the report's, at the same indentation.
#[derive(serde::Serialize)]
struct Tail<'a> {
    totals: &'a [Target],
    diagnostics: &'a [Diagnostic],
}

/// A writer passing on all but the first `skip` bytes.
struct Skip<W> {
    skip: usize,
    out: W,
}

impl<W: Write> Write for Skip<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.skip.min(buf.len());
        self.skip -= n;
        self.out.write_all(buf.get(n..).unwrap_or_default())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl WindowedReport {
    /// Write the JSON document: the head's fields before `items`, the spilled items, then the
    /// totals and diagnostics, each streamed as it is serialised.
    pub fn write_json<W: Write>(&mut self, out: W) -> std::io::Result<()> {
        let totals = std::mem::take(&mut self.head.totals);
        let diagnostics = std::mem::take(&mut self.head.diagnostics);
        let written = self.write_json_parts(out, &totals, &diagnostics);
        self.head.totals = totals;
        self.head.diagnostics = diagnostics;
        written
    }

    /// The JSON document, the head's totals and diagnostics taken out of it.
    fn write_json_parts<W: Write>(
        &mut self,
        mut out: W,
        totals: &[Target],
        diagnostics: &[Diagnostic],
    ) -> std::io::Result<()> {
        let head = serde_json::to_string_pretty(&self.head).map_err(std::io::Error::from)?;
        let at = head
            .find(EMPTY_ITEMS)
            .ok_or_else(|| std::io::Error::other("report JSON without its items field"))?;
        out.write_all(head.get(..at).unwrap_or_default().as_bytes())?;
        drop(head);
        if self.items == 0 {
            out.write_all(EMPTY_ITEMS.as_bytes())?;
        } else {
            out.write_all(b"\n  \"items\": [\n")?;
            self.spill.rewind()?;
            let mut spill = std::io::BufReader::with_capacity(64 * 1024, &mut self.spill);
            std::io::copy(&mut spill, &mut out)?;
            out.write_all(b"\n  ],\n")?;
        }
        let tail = Tail {
            totals,
            diagnostics,
        };
        let mut rest = Skip {
            skip: "{\n".len(),
            out: &mut out,
        };
        serde_json::to_writer_pretty(&mut rest, &tail).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// See [`Parsed::for_each_chunk`]: the items are read back from the spill file.
    pub fn for_each_chunk(
        &mut self,
        per_chunk: usize,
        mut f: impl FnMut(&Report, usize),
    ) -> std::io::Result<()> {
        use serde::Deserializer as _;
        let per_chunk = per_chunk.max(1);
        self.spill.rewind()?;
        let spill = std::io::BufReader::with_capacity(64 * 1024, &mut self.spill);
        let array = std::io::Read::chain(std::io::Read::chain(&b"["[..], spill), &b"]"[..]);
        let mut de = serde_json::Deserializer::from_reader(array);
        let head = &mut self.head;
        head.items.clear();
        let mut first = 0usize;
        let read = de.deserialize_seq(EachItem(|it: Item| {
            head.items.push(it);
            if head.items.len() >= per_chunk {
                f(head, first);
                first += head.items.len();
                head.items.clear();
            }
        }));
        if read.is_ok() && !head.items.is_empty() {
            f(head, first);
        }
        head.items.clear();
        read.map_err(std::io::Error::from)
    }
}

/// Parse an input, a large text in windows (see the module). `bytes` are taken so that a UTF-8
/// text is decoded in place.
pub fn parse(bytes: Vec<u8>, path: &str, opts: &Options) -> Result<Parsed> {
    let Some(per_window) = windowed_text(&bytes, path, opts) else {
        return crate::parse_owned(bytes, path, opts).map(Parsed::Whole);
    };
    let started = std::time::Instant::now();
    let sha = crate::sha256_hex(&bytes);
    let mut text = WindowedText::decode(bytes, opts.encoding.as_deref(), opts.encoding_errors)
        .map_err(|e| e.in_file(path))?;
    crate::timings::add(crate::timings::Stage::Parse, started.elapsed());
    let read = crate::timings::time(crate::timings::Stage::Records, || {
        let (lines, edges) = {
            let source = source_of(&text)?;
            match source {
                Some(Source::Text(lines, edges)) => {
                    return read_windows(
                        lines,
                        edges,
                        &text.diagnostics,
                        path,
                        &sha,
                        opts,
                        per_window,
                    )
                }
                Some(Source::LaidOut(lines, edges)) => (lines, edges),
                None => return Ok(None),
            }
        };
        // Laid-out rows are all the windows need: the text waits in a temp file (or, when none
        // can be written, in memory).
        let parked = Parked::park(&mut text.text);
        let read = read_windows(
            lines,
            edges,
            &text.diagnostics,
            path,
            &sha,
            opts,
            per_window,
        )?;
        if let (None, Some(parked)) = (&read, parked) {
            text.text = parked.take()?;
        }
        Ok(read)
    });
    match read {
        Ok(Some(w)) => Ok(Parsed::Windowed(w)),
        Ok(None) => whole(text, path, &sha, opts),
        Err(e) => Err(e.in_file(path)),
    }
}

/// Does this input go the windowed way: a text (by content and name) that is large, or any text
/// under [`WINDOW_LINES_ENV`]? The size of a window if so.
fn windowed_text(bytes: &[u8], path: &str, opts: &Options) -> Option<Size> {
    let n = window_size(bytes.len())?;
    let text = crate::ingest::detect(bytes, Some(path)) == crate::ingest::Format::Text
        && !bytes.starts_with(b"PK\x03\x04");
    (text && bytes.len() as u64 <= opts.limits.max_input_bytes).then_some(n)
}

/// The whole-document reading of a decoded text.
fn whole(text: WindowedText, path: &str, sha: &str, opts: &Options) -> Result<Parsed> {
    let doc = text.into_doc().map_err(|e| e.in_file(path))?;
    let doc = crate::ingest::layout_text::rebuild(crate::ingest::gaps::split_doc(doc));
    crate::timings::time(crate::timings::Stage::Records, || {
        crate::parse_source(doc, path, sha, opts).map_err(|e| e.in_file(path))
    })
    .map(Parsed::Whole)
}

/// Where a window's own lines begin and end (line numbers; the end excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Own {
    start: u32,
    end: u32,
}

impl Own {
    fn holds(&self, line: u32) -> bool {
        self.start <= line && line < self.end
    }
}

/// What a window read, split off: the lines of its last unfinished item, and where the next
/// window starts. `None` when the window holds no finished item yet (it must grow).
fn split_at_last_item(items: &[Item], own_start: u32) -> Option<u32> {
    let last = items
        .iter()
        .map(|it| it.source.line)
        .filter(|&l| l >= own_start)
        .max()?;
    (last > own_start).then_some(last)
}

/// The lines of the next window: the context lines, then every line from `from` on.
fn next_window(lines: Vec<SourceLine>, context: &[u32], from: u32) -> Vec<SourceLine> {
    lines
        .into_iter()
        .filter(|l| l.line >= from || context.binary_search(&l.line).is_ok())
        .collect()
}

/// The running counts of a reading just before `line`.
fn tally_at(tally: &[records::build::Tally], line: u32) -> records::build::Tally {
    let k = tally.partition_point(|t| t.line < line);
    tally.get(k).or(tally.last()).copied().unwrap_or_default()
}

/// Is this a diagnostic the reading gives once in a document (`unmapped-label`, and
/// `unmapped-column` for a header without a role)?
fn noted_once(d: &Diagnostic) -> bool {
    d.code == "unmapped-label" || (d.code == "unmapped-column" && d.message.contains("has no role"))
}

/// The items' JSON being written to a temp file, each indented as an element of `items`.
struct Spill {
    file: std::io::BufWriter<std::fs::File>,
    items: usize,
    buf: Vec<u8>,
}

impl Spill {
    fn new() -> Result<Self> {
        let file = tempfile::tempfile()
            .map_err(|e| Error::new(ErrorKind::Output, format!("spill file: {e}")))?;
        Ok(Spill {
            file: std::io::BufWriter::with_capacity(64 * 1024, file),
            items: 0,
            buf: Vec::new(),
        })
    }

    /// Write one item's JSON.
    fn item(&mut self, it: &Item) -> Result<()> {
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, it)
            .map_err(|e| Error::new(ErrorKind::Output, format!("item JSON: {e}")))?;
        let io = |e: std::io::Error| Error::new(ErrorKind::Output, format!("spill file: {e}"));
        if self.items > 0 {
            self.file.write_all(b",\n").map_err(io)?;
        }
        self.file.write_all(b"    ").map_err(io)?;
        // Each line after a line break indented (found with `memchr`, not byte by byte).
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &self.buf) {
            let line = self.buf.get(start..=nl).unwrap_or_default();
            self.file.write_all(line).map_err(io)?;
            self.file.write_all(b"    ").map_err(io)?;
            start = nl + 1;
        }
        self.file
            .write_all(self.buf.get(start..).unwrap_or_default())
            .map_err(io)?;
        self.items += 1;
        Ok(())
    }

    /// The report whose items these are, `windows` the windows it was read in.
    fn finish(self, head: Report, windows: usize) -> Result<WindowedReport> {
        let spill = self
            .file
            .into_inner()
            .map_err(|e| Error::new(ErrorKind::Output, format!("spill file: {}", e.error())))?;
        Ok(WindowedReport {
            head,
            items: self.items,
            windows,
            spill,
        })
    }
}

impl WindowedReport {
    /// A report's JSON document read back with its items going one by one to a spill file, so
    /// that only the rest of the report is in memory (an existing output found up to date).
    pub fn from_json<R: std::io::Read>(input: R) -> Result<Self> {
        use serde::Deserializer as _;
        let bad = |e: serde_json::Error| Error::new(ErrorKind::Output, format!("report JSON: {e}"));
        let mut spill = Spill::new()?;
        let mut failed = None;
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
        let fields = de
            .deserialize_map(ReportFields {
                spill: &mut spill,
                failed: &mut failed,
            })
            .map_err(bad)?;
        de.end().map_err(bad)?;
        if let Some(e) = failed {
            return Err(e);
        }
        let head: Report =
            serde_json::from_value(serde_json::Value::Object(fields)).map_err(bad)?;
        spill.finish(head, 0)
    }
}

/// A report's fields but its items, which go to the spill file.
struct ReportFields<'a> {
    spill: &'a mut Spill,
    failed: &'a mut Option<Error>,
}

impl<'de> serde::de::Visitor<'de> for ReportFields<'_> {
    type Value = serde_json::Map<String, serde_json::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a report")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" {
                map.next_value_seed(ItemsTo {
                    spill: &mut *self.spill,
                    failed: &mut *self.failed,
                })?;
                fields.insert(key, serde_json::Value::Array(vec![]));
            } else {
                let value: serde_json::Value = map.next_value()?;
                fields.insert(key, value);
            }
        }
        Ok(fields)
    }
}

/// The `items` array, each item written to the spill file as it is read.
struct ItemsTo<'a> {
    spill: &'a mut Spill,
    failed: &'a mut Option<Error>,
}

impl<'de> serde::de::DeserializeSeed<'de> for ItemsTo<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let (spill, failed) = (self.spill, self.failed);
        d.deserialize_seq(EachItem(|it: Item| {
            if failed.is_none() {
                if let Err(e) = spill.item(&it) {
                    *failed = Some(e);
                }
            }
        }))
    }
}

/// The lines of a text, read a window at a time: each with its origin when it has one (a row
/// of a space-aligned text starts on a line of the text), and what every window's document
/// carries.
struct Lines<'a> {
    lines: Box<dyn Iterator<Item = Result<(SourceLine, Option<Origin>)>> + 'a>,
    /// The origins of the lines in the window being read.
    origins: std::collections::BTreeMap<u32, Origin>,
    media_type: &'static str,
    encoding: &'static str,
    pages: Option<u32>,
}

impl<'a> Lines<'a> {
    /// A tab-separated text's lines, split into cells as they are read.
    fn tabbed(text: &'a WindowedText) -> Self {
        Lines {
            lines: Box::new(text.lines().map(|l| l.map(|l| (l, None)))),
            origins: Default::default(),
            media_type: "text/plain",
            encoding: text.encoding,
            pages: None,
        }
    }

    /// A gapped text's lines ([`crate::ingest::gaps`]), split into cells at their gaps as they
    /// are read.
    fn gapped(text: &'a WindowedText, gaps: crate::ingest::gaps::Gaps) -> Self {
        Lines {
            lines: Box::new(gapped_lines(text, gaps).map(|l| l.map(|l| (l, None)))),
            ..Lines::tabbed(text)
        }
    }

    /// Add `n.lines` lines to the window, or fewer when they reach `n.bytes` of text (at least
    /// one); true when the text is exhausted.
    fn fill(&mut self, window: &mut Vec<SourceLine>, n: Size) -> Result<bool> {
        let mut bytes = 0usize;
        for _ in 0..n.lines {
            if bytes >= n.bytes {
                break;
            }
            match self.lines.next() {
                Some(l) => {
                    let (line, origin) = l?;
                    if let Some(o) = origin {
                        self.origins.insert(o.line, o);
                    }
                    bytes += line_bytes(&line);
                    window.push(line);
                }
                None => return Ok(true),
            }
        }
        Ok(false)
    }

    /// A window's document.
    fn doc(&self, lines: Vec<SourceLine>) -> SourceDoc {
        let origins = if self.origins.is_empty() {
            vec![]
        } else {
            lines
                .iter()
                .filter_map(|l| self.origins.get(&l.line).cloned())
                .collect()
        };
        SourceDoc {
            media_type: self.media_type.into(),
            encoding: Some(self.encoding.to_string()),
            pages: self.pages,
            lines,
            origins,
            ..SourceDoc::default()
        }
    }

    /// Forget the origins of lines no longer in the window.
    fn keep(&mut self, window: &[SourceLine]) {
        if !self.origins.is_empty() {
            self.origins
                .retain(|k, _| window.binary_search_by_key(k, |l| l.line).is_ok());
        }
    }
}

/// The lines of a text to be read in windows, and the edges of blocks repeated over the whole
/// text (page headers, told by their repeating: one pass over the lines counts them). `None` for
/// a text of single-cell lines that is not space-aligned, read whole.
#[cfg(test)]
fn lines_of(text: &WindowedText) -> Result<Option<(Lines<'_>, records::RepeatedEdges)>> {
    Ok(source_of(text)?.map(|s| match s {
        Source::Text(lines, edges) | Source::LaidOut(lines, edges) => (lines, edges),
    }))
}

/// Where a text's windows are read from.
enum Source<'a> {
    /// Its lines, split as they are read.
    Text(Lines<'a>, records::RepeatedEdges),
    /// A space-aligned text's laid-out rows, waiting in a temp file: the text itself is no
    /// longer needed (unless the windows do not read as a report, and it is read whole).
    LaidOut(Lines<'static>, records::RepeatedEdges),
}

/// [`lines_of`], telling laid-out rows apart.
fn source_of(text: &WindowedText) -> Result<Option<Source<'_>>> {
    if text.text.contains('\t') {
        let edges = records::RepeatedEdges::of_source(text.lines().filter_map(|l| l.ok()));
        Ok(Some(Source::Text(Lines::tabbed(text), edges)))
    } else if let Some(gaps) = crate::ingest::gaps::detect(raw_lines(text).map(|(_, t)| t)) {
        let edges =
            records::RepeatedEdges::of_source(gapped_lines(text, gaps).filter_map(|l| l.ok()));
        Ok(Some(Source::Text(Lines::gapped(text, gaps), edges)))
    } else if crate::ingest::layout_text::is_layout_text(raw_lines(text).map(|(_, t)| t)) {
        laid_out(text).map(|(lines, edges)| Some(Source::LaidOut(lines, edges)))
    } else {
        Ok(None)
    }
}

/// A gapped text's lines split into cells at their gaps, each among the lines next to it as a
/// whole reading splits it ([`crate::ingest::gaps::split_among`]).
fn gapped_lines(
    text: &WindowedText,
    gaps: crate::ingest::gaps::Gaps,
) -> impl Iterator<Item = Result<SourceLine>> + '_ {
    use crate::ingest::gaps::{split_among, NEAR};
    let mut lines = text.lines();
    let mut ahead: std::collections::VecDeque<Result<SourceLine>> = Default::default();
    let mut behind: std::collections::VecDeque<String> = Default::default();
    std::iter::from_fn(move || {
        while ahead.len() <= NEAR {
            match lines.next() {
                Some(l) => ahead.push_back(l),
                None => break,
            }
        }
        let mut line = match ahead.pop_front()? {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        let own = line.cells.concat();
        let below: Vec<String> = ahead
            .iter()
            .map_while(|l| l.as_ref().ok())
            .map(|l| l.cells.concat())
            .collect();
        let below: Vec<&str> = below.iter().map(String::as_str).collect();
        let above: Vec<&str> = behind.iter().rev().map(String::as_str).collect();
        line.cells = split_among(&own, &above, &below, gaps);
        behind.push_back(own);
        if behind.len() > NEAR {
            behind.pop_front();
        }
        Some(Ok(line))
    })
}

/// A text's lines as (line number, text), for a space-aligned text's passes.
fn raw_lines(text: &WindowedText) -> impl Iterator<Item = (u32, String)> + '_ {
    text.lines()
        .filter_map(|l| l.ok())
        .map(|l| (l.line, l.cells.into_iter().next().unwrap_or_default()))
}

/// One laid-out line of a space-aligned text as it waits in a temp file: line number, page,
/// origin, cells.
type LaidLine = (u32, Option<u32>, Option<String>, Vec<String>);

/// A space-aligned text laid out a page at a time with the decisions taken over the whole text
/// ([`crate::ingest::layout_text::Decisions`]), the same rows as a whole reading gives. The
/// laid-out lines wait in a temp file while the page headers' repeated edges are counted over
/// them, then are read back a window at a time.
fn laid_out(text: &WindowedText) -> Result<(Lines<'static>, records::RepeatedEdges)> {
    use crate::ingest::layout_text::Decisions;
    let io = |e: std::io::Error| Error::new(ErrorKind::Output, format!("layout spill file: {e}"));
    let decisions = Decisions::gather(|| raw_lines(text));
    let file = tempfile::tempfile().map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
    let mut failed: Option<std::io::Error> = None;
    let laid = decisions
        .lay_out(raw_lines(text))
        .flat_map(|(lines, origins)| {
            let mut origins = origins.into_iter().peekable();
            for l in &lines {
                let origin = origins.next_if(|o| o.line == l.line).map(|o| o.origin);
                let written = serde_json::to_writer(&mut out, &(l.line, l.page, origin, &l.cells))
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"));
                if let Err(e) = written {
                    failed.get_or_insert(e);
                }
            }
            records::explode(&lines).1
        });
    let edges = records::RepeatedEdges::of(laid);
    if let Some(e) = failed {
        return Err(io(e));
    }
    let mut file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.rewind().map_err(io)?;
    let read =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(64 * 1024, file))
            .into_iter::<LaidLine>()
            .map(|l| {
                let (line, page, origin, cells) = l.map_err(|e| {
                    Error::new(ErrorKind::Output, format!("layout spill file: {e}"))
                })?;
                let origin = origin.map(|origin| Origin {
                    line,
                    origin,
                    cells: vec![],
                });
                Ok((SourceLine { page, line, cells }, origin))
            });
    let pages = u32::try_from(decisions.pages()).ok().filter(|&n| n > 1);
    let lines = Lines {
        lines: Box::new(read),
        origins: Default::default(),
        media_type: crate::ingest::LAYOUT_TEXT,
        encoding: text.encoding,
        pages,
    };
    Ok((lines, edges))
}

/// Everything carried from window to window.
struct State {
    spill: Spill,
    checks: ItemChecks,
    sections: Vec<Section>,
    totals: Vec<Target>,
    diagnostics: Vec<Diagnostic>,
    explained: usize,
    content: usize,
    rated: usize,
    /// The once-noted diagnostics given so far: (code, message).
    noted: std::collections::HashSet<(String, String)>,
}

impl State {
    /// Finish one item: check it and spill its JSON.
    fn item(&mut self, it: &Item) -> Result<()> {
        self.checks.add(it);
        if it.rating.is_some() {
            self.rated += 1;
        }
        self.spill.item(it)
    }
}

/// Read the text window by window. `None` when it must be read whole: the first window does not
/// read as a report (the whole text may), or a later window reads no item.
fn read_windows(
    mut source: Lines<'_>,
    edges: records::RepeatedEdges,
    text_diagnostics: &[Diagnostic],
    path: &str,
    sha: &str,
    opts: &Options,
    per_window: Size,
) -> Result<Option<WindowedReport>> {
    let opts = &Options {
        repeated_edges: Some(std::sync::Arc::new(edges)),
        ..opts.clone()
    };
    let lex = opts.lexicon();
    let mut window: Vec<SourceLine> = Vec::new();
    let mut exhausted = false;
    exhausted |= source.fill(&mut window, per_window)?;
    // The layout, chosen as for a whole document from the first window that reads as a report
    // with two items or more (growing, doubled each time, over the cover and the first item).
    // An inferred layout is inferred once, from that window, and its levels read every window
    // (as `profile infer` writes them): a window seeing only part of the report cannot take
    // other item levels than the windows before it.
    let (chosen, inferred) = loop {
        let first = source.doc(window);
        let read = records::builtin::read(&first, path, sha, opts);
        let inferred = match &read {
            Ok(r) if r.layout == INFERRED => {
                records::report::infer_spec(&first, &lex, INFERRED).ok()
            }
            _ => None,
        };
        window = first.lines;
        match read {
            Ok(r) if r.items.len() >= 2 || exhausted => break (r.layout, inferred),
            Err(e) if e.kind != ErrorKind::NotAReport => return Err(e),
            Err(_) if exhausted => return Ok(None),
            _ => {
                let more = per_window.at_least(&window);
                exhausted |= source.fill(&mut window, more)?;
            }
        }
    };
    let spec: Option<LayoutSpec> = if chosen == INFERRED {
        inferred
    } else {
        opts.specs
            .iter()
            .chain(records::builtin::specs())
            .find(|s| s.id == chosen)
            .cloned()
    };
    let layout = records::report::Layout::new(spec.as_ref(), &lex)?;
    let mut st = State {
        spill: Spill::new()?,
        checks: ItemChecks::new(None),
        sections: vec![],
        totals: vec![],
        diagnostics: text_diagnostics.to_vec(),
        explained: 0,
        content: 0,
        rated: 0,
        noted: Default::default(),
    };
    let mut head: Option<Report> = None;
    let mut front: Vec<u32> = vec![];
    let mut own_start = 0u32;
    let mut windows = 0usize;
    loop {
        let doc = source.doc(window);
        let reading = match records::report::read_prepared(&doc, path, sha, opts, &layout, false) {
            Ok(r) => r,
            // Too few lines to see the layout in (an inferred one needs a run of numbers).
            Err(e) if e.kind == ErrorKind::NotAReport && !exhausted => {
                window = doc.lines;
                let more = per_window.at_least(&window);
                exhausted |= source.fill(&mut window, more)?;
                continue;
            }
            Err(e) if e.kind == ErrorKind::NotAReport => return Ok(None),
            Err(e) => return Err(e),
        };
        let split = if exhausted {
            None
        } else {
            split_at_last_item(&reading.report.items, own_start)
        };
        if split.is_none() && !exhausted {
            // No finished item yet: the window grows.
            window = doc.lines;
            let more = per_window.at_least(&window);
            exhausted |= source.fill(&mut window, more)?;
            continue;
        }
        windows += 1;
        let own = Own {
            start: own_start,
            end: split.unwrap_or(u32::MAX),
        };
        let first_window = head.is_none();
        let mut report = reading.report;
        let built = reading.built;
        if first_window {
            let start = report.items.first().map_or(0, |it| it.source.line);
            front = doc
                .lines
                .iter()
                .map(|l| l.line)
                .take_while(|&l| l < start)
                .collect();
            st.checks = ItemChecks::new(report.fiscal_year);
        }
        // The lines the next window starts with, kept before the document goes to provenance.
        let mut context: Vec<u32> = front.clone();
        if let Some(end) = split {
            if let Some((_, c)) = built.contexts.iter().find(|(l, _)| *l == end) {
                context.extend(c.iter().copied());
            }
        }
        context.sort_unstable();
        context.dedup();
        // A few items before the last one are read again too, not to be emitted twice but so
        // that the next window shows a run of item numbers (what an inferred layout is seen by).
        let keep_from = split.map(|end| {
            let mut before: Vec<u32> = report
                .items
                .iter()
                .map(|it| it.source.line)
                .filter(|&l| l < end)
                .collect();
            before.sort_unstable();
            before
                .len()
                .checked_sub(KEEP_ITEMS)
                .and_then(|k| before.get(k))
                .or(before.first())
                .copied()
                .unwrap_or(end)
        });
        let carried: Vec<SourceLine> = match keep_from {
            Some(from) => doc
                .lines
                .iter()
                .filter(|l| l.line >= from || context.binary_search(&l.line).is_ok())
                .cloned()
                .collect(),
            None => vec![],
        };
        crate::provenance::Index::new(doc).attach(&mut report);
        // Counts, sections and totals of the window's own lines.
        let (from, to) = (
            tally_at(&built.tally, own.start),
            tally_at(&built.tally, own.end),
        );
        let last = built.tally.last().copied().unwrap_or_default();
        st.content += to.content.saturating_sub(from.content);
        st.explained += to.explained.saturating_sub(from.explained);
        if first_window {
            // Front matter is counted after the lines, and only the first window's is its own.
            st.explained += built.explained.saturating_sub(last.explained);
            st.content += built.content.saturating_sub(last.content);
        }
        for (k, sec) in report
            .sections
            .drain(..)
            .enumerate()
            .take(to.sections)
            .skip(from.sections)
        {
            let once = built.section_once.get(k).copied().unwrap_or(false);
            if once && st.sections.iter().any(|s| s.text == sec.text) {
                continue;
            }
            st.sections.push(sec);
        }
        st.totals
            .extend(report.totals.drain(..).take(to.totals).skip(from.totals));
        for d in report.diagnostics.drain(..) {
            let own_line = match d.line {
                Some(l) => own.holds(l),
                None => first_window,
            };
            // A label or column without a role is noted once in a document, at its first use.
            if own_line && (!noted_once(&d) || st.noted.insert((d.code.clone(), d.message.clone())))
            {
                st.diagnostics.push(d);
            }
        }
        for it in report.items.iter().filter(|it| own.holds(it.source.line)) {
            st.item(it)?;
        }
        report.items.clear();
        if first_window {
            head = Some(report);
        }
        match split {
            None => break,
            Some(end) => {
                window = next_window(carried, &context, keep_from.unwrap_or(end));
                source.keep(&window);
                own_start = end;
                exhausted |= source.fill(&mut window, per_window)?;
            }
        }
    }
    let Some(mut head) = head else {
        return Ok(None);
    };
    let confidence = if st.content == 0 {
        0.0
    } else {
        (st.explained.min(st.content) as f64 / st.content as f64 * 1000.0).round() / 1000.0
    };
    head.layout_confidence = Some(confidence);
    head.sections = st.sections;
    head.totals = st.totals;
    let mut diagnostics = st.diagnostics;
    if confidence < records::report::LOW_CONFIDENCE {
        diagnostics.push(records::report::low_confidence(confidence));
    }
    let has_rating = st.rated * 2 > st.spill.items;
    diagnostics.extend(
        st.checks
            .finish(has_rating, head.declared_status_counts.as_deref()),
    );
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(0), d.page.unwrap_or(0)));
    head.diagnostics = diagnostics;
    st.spill.finish(head, windows).map(Some)
}

#[cfg(test)]
mod tests;
