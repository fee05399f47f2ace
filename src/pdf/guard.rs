//! Guards that keep a hostile PDF from costing unbounded memory, time or stack.
//!
//! lopdf parses the whole file eagerly and already bounds a few things itself (nesting of parsed
//! objects at 100 levels, reference chains at 128, each stream it inflates while loading at the
//! size we pass in [`load_options`]). What it cannot know are our [`Limits`]: this module checks them.
//!
//! - [`load`]: [`precheck`] (a byte-level scan of the raw file before lopdf sees it: array and
//!   dictionary nesting outside stream data, the number of objects written in the clear), lopdf's
//!   loading under our stream bound, [`load_error`] (a stream bomb met while loading is a limit
//!   error), and [`check_document`] (object and page counts).
//! - [`page_ids`]: the page tree walked with a visited set and a depth bound; cycles and broken
//!   kids become diagnostics, every reachable page is kept.
//! - [`StreamBudget`]: decode streams under the per-stream and per-document decompressed limits.
//! - [`check_content`]: nesting and operator count of a decoded content stream, before it is
//!   parsed into operations.
//! - [`FormStack`]: Form XObject cycles and nesting (capped at [`MAX_FORM_NESTING`], since forms
//!   are drawn recursively).
//!
//! Every limit error names the limit's CLI flag so a user knows what to change.

use std::borrow::Cow;
use std::collections::HashSet;

use lopdf::{Document, LoadOptions, ObjectId, Stream};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Diagnostic, Severity};

/// What [`scan`] found in raw PDF bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scan {
    /// Deepest nesting of arrays and dictionaries seen (stopped counting past the limit given).
    pub depth: usize,
    /// `obj` keywords seen outside stream data: the indirect objects written in the clear
    /// (objects inside object streams are not counted).
    pub objects: usize,
    /// Content operators seen (only counted by [`scan_content`]).
    pub operators: usize,
}

/// Check the raw bytes of a PDF against the nesting and object limits before parsing them.
/// Arrays and dictionaries nested deeper than the limit are not a reason to refuse the file:
/// each over-deep value is blanked out to `null` ([`flatten_deep`]), with a `pdf-deep-object`
/// diagnostic. Too many objects is an error.
pub fn precheck<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Cow<'a, [u8]>, Vec<Diagnostic>)> {
    let s = scan(bytes, usize::MAX, limits.max_objects);
    check_objects(s.objects, limits)?;
    if s.depth <= limits.max_depth {
        return Ok((Cow::Borrowed(bytes), Vec::new()));
    }
    let (flat, spans) = flatten_deep(bytes, Mode::File, limits.max_depth);
    let mut diags = Vec::new();
    if let Some(&(first, _)) = spans.first() {
        diags.push(Diagnostic::new(
            Severity::Warning,
            "pdf-deep-object",
            format!(
                "{} array(s) or dictionary(ies) nested more than {} levels deep (--max-depth) are read as null, the first at byte offset {first}",
                spans.len(),
                limits.max_depth
            ),
        ));
    }
    Ok((Cow::Owned(flat), diags))
}

/// `bytes` with every array or dictionary that opens deeper than `max_depth` replaced by `null`
/// (or `0` where it is shorter than four bytes) padded with spaces, so that every byte offset
/// stays where it was (cross-reference tables, `/Length`s); and the spans replaced. In
/// [`Mode::File`] nesting restarts at every `obj`, `endobj` and `stream` keyword, so an
/// unbalanced bracket in one object cannot make the objects after it look deep.
pub fn flatten_deep(bytes: &[u8], mode: Mode, max_depth: usize) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut lx = Lexer::new(bytes, mode, usize::MAX, usize::MAX);
    lx.flatten_at = Some(max_depth);
    let spans = lx.run_spans();
    let mut out = bytes.to_vec();
    for &(start, end) in &spans {
        if let Some(span) = out.get_mut(start..end) {
            span.fill(b' ');
            let word: &[u8] = if span.len() >= 4 { b"null" } else { b"0" };
            if let Some(head) = span.get_mut(..word.len()) {
                head.copy_from_slice(word);
            }
        }
    }
    (out, spans)
}

/// lopdf's load options for our limits: streams inflated while loading (object streams,
/// cross-reference streams) are bounded by the per-stream limit.
pub fn load_options(limits: &Limits) -> LoadOptions {
    let max = usize::try_from(limits.max_stream_bytes).unwrap_or(usize::MAX);
    LoadOptions {
        max_decompressed_size: Some(max),
        ..LoadOptions::default()
    }
}

/// Check a loaded document's object and page counts.
pub fn check_document(doc: &Document, limits: &Limits) -> Result<()> {
    check_objects(doc.objects.len(), limits)?;
    // lopdf's page iterator stops after as many steps as there are objects (a /Kids cycle ends
    // the walk), so this is bounded by the count checked above; stop one past the page limit.
    let pages = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1))
        .count();
    check_pages(pages, limits)
}

/// Precheck the bytes, load them with lopdf under our stream limit, and check the object and page
/// counts. lopdf errors become [`ErrorKind::Pdf`] (or [`ErrorKind::Limit`] for a stream bomb
/// met while loading) with a one-line message.
pub fn load(bytes: &[u8], limits: &Limits) -> Result<(Document, Vec<Diagnostic>)> {
    load_with(bytes, limits, false)
}

/// [`load`], rebuilding the cross-reference table by scanning for objects when `rebuild`.
///
/// A sound file is read in one pass ([`load_direct`]); the byte-level [`precheck`] runs only
/// when that reading shows a reason for it (a file too large in objects to count cheaply,
/// damage, an object lost or nested near the limit), and the file is then read as before.
pub fn load_with(
    bytes: &[u8],
    limits: &Limits,
    rebuild: bool,
) -> Result<(Document, Vec<Diagnostic>)> {
    if !rebuild {
        if let Some(doc) = load_direct(bytes, limits) {
            return doc.map(|doc| (doc, Vec::new()));
        }
    }
    let (bytes, mut diags) = precheck(bytes, limits)?;
    let mut options = load_options(limits);
    options.force_reconstruct = rebuild;
    let doc =
        Document::load_mem_with_options(&bytes, options).map_err(|e| load_error(&e, limits))?;
    check_document(&doc, limits)?;
    if let Some(how) = doc.xref_recovery {
        let what = match how {
            lopdf::xref::XrefRecovery::OffsetCorrected => {
                "the cross-reference data points to the wrong place; a section found nearby is used"
            }
            _ => "the cross-reference table is rebuilt by scanning the file for objects",
        };
        diags.push(Diagnostic::new(Severity::Warning, "pdf-xref-rebuilt", what));
    }
    Ok((doc, diags))
}

/// The document read by lopdf straight from the bytes, when that is what [`precheck`] and the
/// checks after it would give: at most `max_objects` `obj` keywords could be written in the
/// file (counted as a substring, an upper bound), the cross-reference data reads as written and
/// lists at least as many objects as the file holds `endobj` keywords, every object it lists loaded, no object nests as deep as `max_depth`, and the object and
/// page counts are within the limits. `None` when any of this fails: the caller reads the file
/// the careful way, which gives the diagnostics and errors. A stream bomb met while loading is
/// the error it would be in the careful reading too.
///
/// Why this is the same reading: [`precheck`] changes the bytes only where nesting goes deeper
/// than `max_depth`; such a value inside an object lopdf loads would show in the depth walk,
/// and one lopdf cannot load (it refuses nesting past 100) leaves an object missing.
pub fn load_direct(bytes: &[u8], limits: &Limits) -> Option<Result<Document>> {
    if memchr::memmem::find_iter(bytes, b"obj").count() > limits.max_objects {
        return None;
    }
    let written = memchr::memmem::find_iter(bytes, b"endobj").count();
    let doc = match Document::load_mem_with_options(bytes, load_options(limits)) {
        Ok(doc) => doc,
        // A stream bomb met while loading: the careful reading would meet it too.
        Err(e @ lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Some(Err(load_error(&e, limits)))
        }
        Err(_) => return None,
    };
    if doc.xref_recovery.is_some() || !all_listed_loaded(&doc) {
        return None;
    }
    // Objects written in the file that the cross-reference data does not list (appended, or
    // left from an earlier revision) are not loaded, but the precheck reads them.
    let listed = doc
        .reference_table
        .entries
        .values()
        .filter(|e| matches!(e, lopdf::xref::XrefEntry::Normal { .. }))
        .count();
    if written > listed {
        return None;
    }
    if deepest(&doc, limits.max_depth) >= limits.max_depth {
        return None;
    }
    check_document(&doc, limits).ok()?;
    Some(Ok(doc))
}

/// Whether every object the cross-reference data lists as in use was loaded.
fn all_listed_loaded(doc: &Document) -> bool {
    doc.reference_table.entries.iter().all(|(&n, e)| match e {
        lopdf::xref::XrefEntry::Normal { generation, .. } => {
            doc.objects.contains_key(&(n, *generation))
        }
        lopdf::xref::XrefEntry::Compressed { .. } => doc.objects.contains_key(&(n, 0)),
        _ => true,
    })
}

/// The deepest nesting of arrays and dictionaries (a stream's dictionary counts) among the
/// document's objects and its trailer, counted up to `stop`.
fn deepest(doc: &Document, stop: usize) -> usize {
    fn walk(o: &lopdf::Object, depth: usize, stop: usize) -> usize {
        if depth >= stop {
            return depth;
        }
        match o {
            lopdf::Object::Array(a) => a
                .iter()
                .map(|x| walk(x, depth + 1, stop))
                .max()
                .unwrap_or(depth + 1)
                .max(depth + 1),
            lopdf::Object::Dictionary(d) => dict(d, depth, stop),
            lopdf::Object::Stream(s) => dict(&s.dict, depth, stop),
            _ => depth,
        }
    }
    fn dict(d: &lopdf::Dictionary, depth: usize, stop: usize) -> usize {
        d.iter()
            .map(|(_, x)| walk(x, depth + 1, stop))
            .max()
            .unwrap_or(depth + 1)
            .max(depth + 1)
    }
    let mut deepest = dict(&doc.trailer, 0, stop);
    for o in doc.objects.values() {
        if deepest >= stop {
            break;
        }
        deepest = deepest.max(walk(o, 0, stop));
    }
    deepest
}

/// A lopdf loading error as ours.
pub fn load_error(e: &lopdf::Error, limits: &Limits) -> Error {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => Error::new(
            ErrorKind::Limit,
            format!(
                "a stream read while loading inflates to more than {} bytes (--max-stream-bytes)",
                limits.max_stream_bytes
            ),
        ),
        lopdf::Error::Decompress(inner) => {
            Error::new(ErrorKind::Pdf, format!("cannot read the PDF: {inner}"))
        }
        lopdf::Error::Parse(inner) => {
            Error::new(ErrorKind::Pdf, format!("cannot read the PDF: {inner}"))
        }
        other => Error::new(ErrorKind::Pdf, format!("cannot read the PDF: {other}")),
    }
}

/// The document's pages in order. Unlike lopdf's page iterator, which gives up on a page tree
/// with a cycle, this walk skips a node met a second time (diagnostic `page-tree-cycle`), a branch
/// nested deeper than `max_depth` (`page-tree-depth`) and a kid that is not a dictionary
/// (`page-tree-broken`), and keeps every page it can reach. More than `max_pages` pages is an error.
pub fn page_ids(doc: &Document, limits: &Limits) -> Result<(Vec<ObjectId>, Vec<Diagnostic>)> {
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|o| o.as_reference().ok())
    else {
        return Ok((pages, diags));
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut noted: HashSet<&'static str> = HashSet::new();
    let mut note = |code: &'static str, msg: String, diags: &mut Vec<Diagnostic>| {
        if noted.insert(code) {
            diags.push(Diagnostic::new(Severity::Warning, code, msg));
        }
    };
    // Depth-first, in document order: a stack of (node, depth), kids pushed in reverse.
    let mut stack: Vec<(ObjectId, usize)> = vec![(root, 0)];
    while let Some((id, depth)) = stack.pop() {
        if !seen.insert(id) {
            note(
                "page-tree-cycle",
                format!(
                    "page tree node {} {} R is reached twice; skipped",
                    id.0, id.1
                ),
                &mut diags,
            );
            continue;
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            note(
                "page-tree-broken",
                format!(
                    "page tree node {} {} R is missing or not a dictionary; skipped",
                    id.0, id.1
                ),
                &mut diags,
            );
            continue;
        };
        let kids = dict
            .get(b"Kids")
            .ok()
            .and_then(|k| doc.dereference(k).ok())
            .and_then(|(_, k)| k.as_array().ok());
        let is_page = match dict.get_type() {
            Ok(t) => t == b"Page",
            Err(_) => kids.is_none(),
        };
        if is_page {
            pages.push(id);
            check_pages(pages.len(), limits)?;
            continue;
        }
        let Some(kids) = kids else { continue };
        if depth >= limits.max_depth {
            note(
                "page-tree-depth",
                format!(
                    "page tree nested more than {} levels deep (--max-depth); a branch is skipped",
                    limits.max_depth
                ),
                &mut diags,
            );
            continue;
        }
        for kid in kids.iter().rev() {
            match kid.as_reference() {
                Ok(kid_id) => stack.push((kid_id, depth + 1)),
                Err(_) => note(
                    "page-tree-broken",
                    "a page tree /Kids entry is not a reference; skipped".to_string(),
                    &mut diags,
                ),
            }
        }
    }
    Ok((pages, diags))
}

/// Too many indirect objects.
pub fn check_objects(objects: usize, limits: &Limits) -> Result<()> {
    if objects > limits.max_objects {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "more than {} objects in the PDF (--max-objects)",
                limits.max_objects
            ),
        ));
    }
    Ok(())
}

/// Too many pages.
pub fn check_pages(pages: usize, limits: &Limits) -> Result<()> {
    if pages > limits.max_pages {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "more than {} pages in the PDF (--max-pages)",
                limits.max_pages
            ),
        ));
    }
    Ok(())
}

/// Arrays/dictionaries nested too deeply.
pub fn check_depth(depth: usize, limits: &Limits) -> Result<()> {
    if depth > limits.max_depth {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "arrays or dictionaries nested more than {} levels deep (--max-depth)",
                limits.max_depth
            ),
        ));
    }
    Ok(())
}

/// Check a decoded content stream (page or Form XObject) before parsing it into operations:
/// its nesting depth and its number of operators (at most `operators_left`, what is left of
/// the page's operator budget).
pub fn check_content(content: &[u8], operators_left: usize, limits: &Limits) -> Result<()> {
    let s = scan_content(content, limits.max_depth, operators_left);
    check_depth(s.depth, limits)?;
    if s.operators > operators_left {
        return Err(operators_error(limits.max_operators_per_page));
    }
    Ok(())
}

fn operators_error(max: usize) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("more than {max} content operators on one page (--max-operators)"),
    )
}

/// Decodes streams under the per-stream and per-document decompressed-size limits.
#[derive(Debug, Clone)]
pub struct StreamBudget {
    per_stream: u64,
    per_document: u64,
    /// Shared by the clones of a budget (the threads reading one document's pages).
    used: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl StreamBudget {
    pub fn new(limits: &Limits) -> Self {
        StreamBudget {
            per_stream: limits.max_stream_bytes,
            per_document: limits.max_document_bytes,
            used: std::sync::Arc::default(),
        }
    }

    /// Decompressed bytes used so far.
    pub fn used(&self) -> u64 {
        self.used.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn spend(&self, bytes: u64) {
        self.used
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Decode a stream's filters. Fails with [`ErrorKind::Limit`] when this stream would inflate
    /// past the per-stream limit or the document's streams together past the per-document limit
    /// (without inflating more than that), and with [`ErrorKind::Pdf`] when the data is corrupt
    /// or uses an unsupported filter. `id` only names the stream in the message.
    pub fn decode(&mut self, stream: &Stream, id: Option<ObjectId>) -> Result<Vec<u8>> {
        self.decode_checked(stream, id).map(|(out, _)| out)
    }

    /// [`StreamBudget::decode`], and whether the data decoded to its proper end
    /// ([`flate_complete`]). A stream of plain Flate data (the common case: no predictor, no
    /// other filter) is inflated once for both; anything else, and Flate data that does not
    /// inflate cleanly to its end, is decoded by lopdf and checked apart, as before.
    pub fn decode_checked(
        &mut self,
        stream: &Stream,
        id: Option<ObjectId>,
    ) -> Result<(Vec<u8>, bool)> {
        let left = self.per_document.saturating_sub(self.used());
        let cap = self.per_stream.min(left);
        match inflate_plain(stream, cap) {
            Inflated::Whole(out) => {
                self.spend(out.len() as u64);
                return Ok((out, true));
            }
            Inflated::OverCap => {
                let what = match id {
                    Some((n, g)) => format!("stream {n} {g} R"),
                    None => "a stream".to_string(),
                };
                return Err(self.limit_error(&what, cap));
            }
            Inflated::Other => {}
        }
        let out = self.decode_slow(stream, id, cap)?;
        Ok((out, flate_complete(stream)))
    }

    fn decode_slow(&mut self, stream: &Stream, id: Option<ObjectId>, cap: u64) -> Result<Vec<u8>> {
        let what = match id {
            Some((n, g)) => format!("stream {n} {g} R"),
            None => "a stream".to_string(),
        };
        let out = match stream
            .decompressed_content_with_limit(usize::try_from(cap).unwrap_or(usize::MAX))
        {
            Ok(out) => out,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                return Err(self.limit_error(&what, cap));
            }
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Pdf,
                    format!("{what} cannot be decoded: {e}"),
                ))
            }
        };
        let len = out.len() as u64;
        if len > cap {
            return Err(self.limit_error(&what, cap));
        }
        self.spend(len);
        Ok(out)
    }

    fn limit_error(&self, what: &str, cap: u64) -> Error {
        if cap >= self.per_stream {
            Error::new(
                ErrorKind::Limit,
                format!(
                    "{what} inflates to more than {} bytes (--max-stream-bytes)",
                    self.per_stream
                ),
            )
        } else {
            Error::new(
                ErrorKind::Limit,
                format!("the PDF's streams inflate to more than {} bytes in total (--max-document-bytes)", self.per_document),
            )
        }
    }
}

/// The data of a stream whose only filter is Flate, without decode parameters, inflated in one
/// go when it is whole zlib data (checksum included) that inflates to at most `cap` bytes;
/// `None` for anything else (other filters, a predictor, damaged or oversized data), which is
/// left to lopdf's decoder. For whole data both give the same bytes.
enum Inflated {
    /// The whole data.
    Whole(Vec<u8>),
    /// More than the cap (lopdf's decoder would stop there too, with the same error).
    OverCap,
    /// Not plain Flate data, or damaged: for lopdf's decoder.
    Other,
}

fn inflate_plain(stream: &Stream, cap: u64) -> Inflated {
    let flate_only = match stream.dict.get(b"Filter") {
        Ok(lopdf::Object::Name(n)) => n == b"FlateDecode",
        Ok(lopdf::Object::Array(a)) => {
            matches!(a.as_slice(), [lopdf::Object::Name(n)] if n == b"FlateDecode")
        }
        _ => false,
    };
    if !flate_only
        || !matches!(
            stream.dict.get(b"DecodeParms"),
            Err(_) | Ok(lopdf::Object::Null)
        )
        || stream.content.is_empty()
    {
        return Inflated::Other;
    }
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let input = stream.content.as_slice();
    let mut d = flate2::Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).min(cap).max(64));
    loop {
        if out.len() == out.capacity() {
            if out.len() >= cap {
                // Full at the cap: over it if there is more to come.
                let mut probe = [0u8; 1];
                let rest = input
                    .get(usize::try_from(d.total_in()).unwrap_or(usize::MAX)..)
                    .unwrap_or_default();
                return match d.decompress(rest, &mut probe, flate2::FlushDecompress::None) {
                    Ok(flate2::Status::StreamEnd) if d.total_out() as usize == out.len() => {
                        Inflated::Whole(out)
                    }
                    Ok(_) if d.total_out() as usize > out.len() => Inflated::OverCap,
                    _ => Inflated::Other,
                };
            }
            let more = out.capacity().max(4096).min(cap - out.len());
            out.reserve_exact(more);
        }
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let Some(rest) = usize::try_from(before_in).ok().and_then(|i| input.get(i..)) else {
            return Inflated::Other;
        };
        match d.decompress_vec(rest, &mut out, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => return Inflated::Whole(out),
            Ok(_) if d.total_in() == before_in && d.total_out() == before_out => {
                return Inflated::Other
            }
            Ok(_) => {}
            Err(_) => return Inflated::Other,
        }
    }
}

/// Whether a Flate stream's data runs to its proper end. lopdf keeps what inflates before a
/// damaged spot and drops the rest without a word; this inflates again (as raw deflate, so a
/// missing or wrong checksum alone does not count) into a scratch buffer and says whether the
/// data ended where deflate says it ends. Streams with other filters count as complete.
pub fn flate_complete(stream: &Stream) -> bool {
    let first_flate = match stream.dict.get(b"Filter") {
        Ok(lopdf::Object::Name(n)) => n == b"FlateDecode" || n == b"Fl",
        Ok(lopdf::Object::Array(a)) => {
            matches!(a.first(), Some(lopdf::Object::Name(n)) if n == b"FlateDecode" || n == b"Fl")
        }
        _ => false,
    };
    if !first_flate {
        return true;
    }
    // With its zlib checksum, when the data carries one: a flipped byte that still inflates
    // shows only there.
    if inflates_to_end(&stream.content, true).0 {
        return true;
    }
    let Some(input) = stream.content.get(2..) else {
        return stream.content.is_empty();
    };
    // Producers that leave the checksum out: the deflate data ends with fewer than four bytes
    // after it.
    let (ends, used) = inflates_to_end(input, false);
    ends && input.len().saturating_sub(used) < 4
}

/// Whether `input` inflates to the end of its deflate (or zlib) data, and the input bytes used.
fn inflates_to_end(input: &[u8], zlib: bool) -> (bool, usize) {
    let mut d = flate2::Decompress::new(zlib);
    let mut scratch = vec![0u8; 64 * 1024];
    let used = |d: &flate2::Decompress| usize::try_from(d.total_in()).unwrap_or(usize::MAX);
    loop {
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let rest = input
            .get(usize::try_from(before_in).unwrap_or(usize::MAX)..)
            .unwrap_or_default();
        match d.decompress(rest, &mut scratch, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => return (true, used(&d)),
            Ok(_) if d.total_in() == before_in && d.total_out() == before_out => {
                return (false, used(&d))
            }
            Ok(_) => {}
            Err(_) => return (false, used(&d)),
        }
    }
}

/// References to objects the document does not hold (objects lost to damage), counted over
/// every object; at most `cap`.
pub fn dangling_refs(doc: &Document, cap: usize) -> usize {
    fn walk(o: &lopdf::Object, doc: &Document, n: &mut usize, cap: usize, depth: usize) {
        if *n >= cap || depth > 100 {
            return;
        }
        match o {
            lopdf::Object::Reference(id) if !doc.objects.contains_key(id) => *n += 1,
            lopdf::Object::Array(a) => a.iter().for_each(|x| walk(x, doc, n, cap, depth + 1)),
            lopdf::Object::Dictionary(d) => {
                d.iter().for_each(|(_, x)| walk(x, doc, n, cap, depth + 1))
            }
            lopdf::Object::Stream(s) => s
                .dict
                .iter()
                .for_each(|(_, x)| walk(x, doc, n, cap, depth + 1)),
            _ => {}
        }
    }
    let mut n = 0;
    for o in doc.objects.values() {
        walk(o, doc, &mut n, cap, 0);
    }
    n
}

/// Why a Form XObject was not entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormRefusal {
    /// The form is already being drawn further up: it draws itself, directly or not.
    Cycle,
    /// Entering it would nest forms deeper than `max_depth`.
    TooDeep,
}

impl FormRefusal {
    /// Diagnostic code for a best-effort result that skips the form.
    pub fn code(self) -> &'static str {
        match self {
            FormRefusal::Cycle => "form-xobject-cycle",
            FormRefusal::TooDeep => "form-xobject-depth",
        }
    }
    /// One-line description naming the form.
    pub fn message(self, id: ObjectId, limits: &Limits) -> String {
        match self {
            FormRefusal::Cycle => format!(
                "Form XObject {} {} R draws itself; not drawn again",
                id.0, id.1
            ),
            FormRefusal::TooDeep => format!(
                "Form XObject {} {} R nested more than {} levels deep (--max-depth, at most {MAX_FORM_NESTING}); not drawn",
                id.0,
                id.1,
                limits.max_depth.min(MAX_FORM_NESTING)
            ),
        }
    }
}

/// The Form XObjects being drawn, innermost last: refuses cycles and nesting past the limit.
#[derive(Debug, Clone)]
pub struct FormStack {
    stack: Vec<ObjectId>,
    on_stack: HashSet<ObjectId>,
    max_depth: usize,
}

/// Form XObjects are interpreted recursively, so their nesting is capped whatever `max_depth`
/// says: a stack overflow aborts the process and cannot be caught. 100 is also where lopdf stops
/// nesting arrays and dictionaries; real documents nest forms a few levels deep.
pub const MAX_FORM_NESTING: usize = 100;

impl FormStack {
    pub fn new(limits: &Limits) -> Self {
        FormStack {
            stack: Vec::new(),
            on_stack: HashSet::new(),
            max_depth: limits.max_depth.min(MAX_FORM_NESTING),
        }
    }
    /// Forms being drawn.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }
    /// Enter a form before interpreting its content; call [`FormStack::leave`] after it.
    pub fn enter(&mut self, id: ObjectId) -> std::result::Result<(), FormRefusal> {
        if self.on_stack.contains(&id) {
            return Err(FormRefusal::Cycle);
        }
        if self.stack.len() >= self.max_depth {
            return Err(FormRefusal::TooDeep);
        }
        self.stack.push(id);
        self.on_stack.insert(id);
        Ok(())
    }
    /// Leave the innermost form.
    pub fn leave(&mut self) {
        if let Some(id) = self.stack.pop() {
            self.on_stack.remove(&id);
        }
    }
}

/// Scan raw PDF bytes: nesting depth (counting stops once past `max_depth`) and `obj`
/// keywords (counting stops once past `max_objects`), skipping comments, strings and stream data.
pub fn scan(bytes: &[u8], max_depth: usize, max_objects: usize) -> Scan {
    Lexer::new(bytes, Mode::File, max_depth, max_objects).run()
}

/// Where each operation of a decoded content stream ends (just after its operator; an inline
/// image `BI … ID … EI` is one operation), for reading on after an operation that cannot be
/// parsed.
pub fn operation_ends(bytes: &[u8]) -> Vec<usize> {
    let mut lx = Lexer::new(bytes, Mode::Content, usize::MAX, usize::MAX);
    lx.ends = Some(Vec::new());
    lx.run_inner();
    lx.ends.unwrap_or_default()
}

/// Scan a decoded content stream: nesting depth and operators (counting stops once past the
/// limits given), skipping comments, strings and inline image data.
pub fn scan_content(bytes: &[u8], max_depth: usize, max_operators: usize) -> Scan {
    Lexer::new(bytes, Mode::Content, max_depth, max_operators).run()
}

/// What [`scan`] and [`flatten_deep`] read: a whole file or a decoded content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    File,
    Content,
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    mode: Mode,
    depth: usize,
    max_depth: usize,
    max_count: usize,
    out: Scan,
    /// Record the spans of values opening deeper than this ([`flatten_deep`]).
    flatten_at: Option<usize>,
    /// Start of the over-deep value being read.
    over: Option<usize>,
    spans: Vec<(usize, usize)>,
    /// Record where operations end ([`operation_ends`]).
    ends: Option<Vec<usize>>,
}

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8], mode: Mode, max_depth: usize, max_count: usize) -> Self {
        Lexer {
            bytes,
            pos: 0,
            mode,
            depth: 0,
            max_depth,
            max_count,
            out: Scan::default(),
            flatten_at: None,
            over: None,
            spans: Vec::new(),
            ends: None,
        }
    }

    fn run_spans(mut self) -> Vec<(usize, usize)> {
        self.run_inner();
        if let Some(start) = self.over.take() {
            self.spans.push((start, self.bytes.len()));
        }
        self.spans
    }

    /// An object boundary: nesting starts again from nothing.
    fn boundary(&mut self, at: usize) {
        if let Some(start) = self.over.take() {
            self.spans.push((start, at));
        }
        self.depth = 0;
    }

    fn close(&mut self, width: usize) {
        self.depth = self.depth.saturating_sub(1);
        self.pos += width;
        if let (Some(start), Some(max)) = (self.over, self.flatten_at) {
            if self.depth <= max {
                self.spans.push((start, self.pos));
                self.over = None;
            }
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn count(&self) -> usize {
        match self.mode {
            Mode::File => self.out.objects,
            Mode::Content => self.out.operators,
        }
    }

    fn run(mut self) -> Scan {
        self.run_inner();
        self.out
    }

    fn run_inner(&mut self) {
        while let Some(b) = self.at(self.pos) {
            if self.out.depth > self.max_depth || self.count() > self.max_count {
                break;
            }
            match b {
                b'%' => self.skip_comment(),
                b'(' => self.skip_literal_string(),
                b'<' if self.at(self.pos + 1) == Some(b'<') => {
                    self.open();
                    self.pos += 2;
                }
                b'<' => self.skip_hex_string(),
                b'>' if self.at(self.pos + 1) == Some(b'>') => self.close(2),
                b'[' => {
                    self.open();
                    self.pos += 1;
                }
                b']' => self.close(1),
                b'/' => {
                    self.pos += 1;
                    self.skip_regular();
                }
                _ if is_white(b) || is_delim(b) => self.pos += 1,
                _ => self.token(),
            }
        }
    }

    fn open(&mut self) {
        self.depth += 1;
        self.out.depth = self.out.depth.max(self.depth);
        if let Some(max) = self.flatten_at {
            if self.depth > max && self.over.is_none() {
                self.over = Some(self.pos);
            }
        }
    }

    fn skip_comment(&mut self) {
        while let Some(b) = self.at(self.pos) {
            if b == b'\n' || b == b'\r' {
                break;
            }
            self.pos += 1;
        }
    }

    /// `( ... )` with balanced parentheses and backslash escapes.
    fn skip_literal_string(&mut self) {
        let mut nest = 0usize;
        while let Some(b) = self.at(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => nest += 1,
                b')' => {
                    nest = nest.saturating_sub(1);
                    if nest == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn skip_hex_string(&mut self) {
        while let Some(b) = self.at(self.pos) {
            self.pos += 1;
            if b == b'>' {
                return;
            }
        }
    }

    fn skip_regular(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.at(self.pos) {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    fn token(&mut self) {
        let tok = self.skip_regular();
        let first = tok.first().copied().unwrap_or(b'0');
        let is_number = first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.');
        match self.mode {
            Mode::File => match tok {
                b"obj" => {
                    self.out.objects += 1;
                    // the object's header `N G obj` is not part of what came before
                    let mut start = self.pos.saturating_sub(tok.len());
                    while start > 0
                        && self
                            .at(start - 1)
                            .is_some_and(|b| b.is_ascii_digit() || is_white(b))
                    {
                        start -= 1;
                    }
                    self.boundary(start);
                }
                b"endobj" => self.boundary(self.pos.saturating_sub(tok.len())),
                b"stream" => {
                    self.boundary(self.pos.saturating_sub(tok.len()));
                    self.skip_stream_data(b"endstream");
                }
                _ => {}
            },
            Mode::Content => {
                if is_number || matches!(tok, b"true" | b"false" | b"null") {
                    return;
                }
                self.out.operators += 1;
                if tok != b"BI" && tok != b"ID" {
                    if let Some(ends) = self.ends.as_mut() {
                        ends.push(self.pos);
                    }
                }
                if tok == b"ID" {
                    // inline image data runs to the next `EI` between white space
                    self.skip_inline_image();
                }
            }
        }
    }

    fn skip_stream_data(&mut self, end: &[u8]) {
        self.pos = find(self.bytes, self.pos, end).map_or(self.bytes.len(), |p| p + end.len());
    }

    fn skip_inline_image(&mut self) {
        let mut from = self.pos;
        while let Some(p) = find(self.bytes, from, b"EI") {
            let before = p
                .checked_sub(1)
                .and_then(|i| self.at(i))
                .is_none_or(is_white);
            let after = self.at(p + 2).is_none_or(|b| is_white(b) || is_delim(b));
            if before && after {
                self.pos = p; // the `EI` operator itself is counted as the next token
                return;
            }
            from = p + 2;
        }
        self.pos = self.bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim(max_depth: usize) -> Limits {
        Limits {
            max_depth,
            ..Limits::default()
        }
    }

    #[test]
    fn scan_file_table() {
        // (bytes, depth, objects)
        let cases: &[(&[u8], usize, usize)] = &[
            (b"", 0, 0),
            (b"%PDF-1.7\n1 0 obj << /A [1 2 [3]] >> endobj", 3, 1),
            (
                b"1 0 obj (a [[[ string ( with ) nesting \\) ]]]) endobj 2 0 obj [] endobj",
                1,
                2,
            ),
            (b"1 0 obj <5b5b5b> endobj", 0, 1),
            (b"% [[[[ comment\n1 0 obj [ ] endobj", 1, 1),
            (
                b"1 0 obj << /Length 6 >>\nstream\n[[[[[[\nendstream endobj 2 0 obj [[ ]] endobj",
                2,
                2,
            ),
            (b"1 0 obj << /Length 6 >>\nstream\n[[[[[[ truncated", 1, 1),
            (b"]]]]>> [ ]", 1, 0),
            (b"/Name[ /obj obj", 1, 1),
        ];
        for (bytes, depth, objects) in cases {
            let s = scan(bytes, 100, 100);
            assert_eq!(
                (s.depth, s.objects),
                (*depth, *objects),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn scan_stops_past_the_limits() {
        let deep = [b"[".repeat(10_000), b"]".repeat(10_000)].concat();
        assert_eq!(scan(&deep, 64, 10).depth, 65);
        let objs = b"1 0 obj null endobj ".repeat(50);
        assert_eq!(scan(&objs, 64, 10).objects, 11);
    }

    #[test]
    fn scan_content_table() {
        // (content, depth, operators)
        let cases: &[(&[u8], usize, usize)] = &[
            (b"BT /F1 12 Tf 72 770 Td (Tj Tj) Tj ET", 0, 5),
            (b"[(a) -120 (b)] TJ", 1, 1),
            (b"q 1 0 0 1 0 0 cm /X1 Do Q", 0, 4),
            (b"BI /W 2 /H 1 /BPC 8 /CS /G ID [[(\xff EI Q", 0, 4),
            (b"BI /W 1 ID\nabcEIdef EI\n n", 0, 4),
            (b"true false null 1 -2 .5 n", 0, 1),
            (b"/P <</MCID 0>> BDC EMC", 1, 2),
        ];
        for (bytes, depth, ops) in cases {
            let s = scan_content(bytes, 100, 100);
            assert_eq!(
                (s.depth, s.operators),
                (*depth, *ops),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    /// Over-deep values become `null` (or `0` when shorter than four bytes) in place: every
    /// byte offset stays, and nesting restarts at each object.
    #[test]
    fn flatten_deep_table() {
        // (input, mode, max depth, output, spans)
        type Case<'a> = (&'a [u8], Mode, usize, &'a [u8], &'a [(usize, usize)]);
        let cases: &[Case] = &[
            (
                b"1 0 obj [[1]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[1]] endobj",
                &[],
            ),
            (
                b"1 0 obj [[[1]]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[0  ]] endobj",
                &[(10, 13)],
            ),
            (
                b"1 0 obj [[[12]]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[null]] endobj",
                &[(10, 14)],
            ),
            (
                b"1 0 obj [[[]]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[0 ]] endobj",
                &[(10, 12)],
            ),
            (
                b"1 0 obj <</A <</B <</C 1>> >> /D 2>> endobj",
                Mode::File,
                2,
                b"1 0 obj <</A <</B null     >> /D 2>> endobj",
                &[(18, 26)],
            ),
            // an unbalanced bracket ends at the object's end, not the file's
            (
                b"1 0 obj [[[ endobj 2 0 obj [[1]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[0 endobj 2 0 obj [[1]] endobj",
                &[(10, 12)],
            ),
            (
                b"1 0 obj [[[1 2 0 obj [[1]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[01 2 0 obj [[1]] endobj",
                &[(10, 11)],
            ),
            (
                b"[[[(a)]]] TJ [1] TJ",
                Mode::Content,
                1,
                b"[null   ] TJ [1] TJ",
                &[(1, 8)],
            ),
        ];
        for (input, mode, max, want, want_spans) in cases {
            let (out, spans) = flatten_deep(input, *mode, *max);
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(want),
                "{}",
                String::from_utf8_lossy(input)
            );
            assert_eq!(&spans, want_spans, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn operation_ends_table() {
        let cases: &[(&[u8], &[usize])] = &[
            (b"BT /F1 12 Tf (a) Tj ET", &[2, 12, 19, 22]),
            (b"q BI /W 1 /H 1 ID \x00EI Q", &[1, 21, 23]),
            (b"[(a) 1 (b)] TJ", &[14]),
            (b"1 0 0 1 0 0 cm", &[14]),
        ];
        for (input, want) in cases {
            assert_eq!(
                &operation_ends(input),
                want,
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn precheck_and_content_errors_name_the_flag() {
        let deep = [
            b"1 0 obj ".to_vec(),
            b"[".repeat(10_000),
            b"]".repeat(10_000),
        ]
        .concat();
        // too deep is not a refusal: the deep part is read as null, with a diagnostic
        let (flat, diags) = precheck(&deep, &lim(64)).expect("deep");
        assert_eq!(flat.len(), deep.len());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "pdf-deep-object");
        assert!(
            diags[0]
                .message
                .contains("1 array(s) or dictionary(ies) nested more than 64 levels deep (--max-depth) are read as null, the first at byte offset 72"),
            "{}",
            diags[0].message
        );
        let (flat, diags) = precheck(b"1 0 obj [[1]] endobj", &lim(2)).expect("ok");
        assert!(matches!(flat, Cow::Borrowed(_)) && diags.is_empty());

        let many = b"1 0 obj null endobj ".repeat(11);
        let e = precheck(
            &many,
            &Limits {
                max_objects: 10,
                ..Limits::default()
            },
        )
        .expect_err("objects");
        assert_eq!(e.message, "more than 10 objects in the PDF (--max-objects)");

        let limits = Limits {
            max_operators_per_page: 3,
            ..Limits::default()
        };
        assert!(check_content(b"n n n", 3, &limits).is_ok());
        let e = check_content(b"n n n n", 3, &limits).expect_err("ops");
        assert_eq!(
            e.message,
            "more than 3 content operators on one page (--max-operators)"
        );
        assert!(
            check_content(b"n n", 1, &limits).is_err(),
            "uses what is left of the budget"
        );
    }

    #[test]
    fn form_stack_refuses_cycles_and_depth() {
        let mut f = FormStack::new(&lim(2));
        assert_eq!(f.enter((6, 0)), Ok(()));
        assert_eq!(f.enter((6, 0)), Err(FormRefusal::Cycle));
        assert_eq!(f.enter((7, 0)), Ok(()));
        assert_eq!(f.enter((8, 0)), Err(FormRefusal::TooDeep));
        assert_eq!(f.depth(), 2);
        f.leave();
        assert_eq!(f.enter((8, 0)), Ok(()));
        f.leave();
        f.leave();
        f.leave(); // extra leave is harmless
        assert_eq!(f.depth(), 0);
        assert_eq!(f.enter((6, 0)), Ok(()));
        assert_eq!(FormRefusal::Cycle.code(), "form-xobject-cycle");
        assert_eq!(
            FormRefusal::TooDeep.message((9, 0), &lim(2)),
            "Form XObject 9 0 R nested more than 2 levels deep (--max-depth, at most 100); not drawn"
        );
    }

    #[test]
    fn form_nesting_is_capped_whatever_the_limit() {
        for (max_depth, entered) in [(3, 3), (100, 100), (100_000, MAX_FORM_NESTING)] {
            let mut f = FormStack::new(&lim(max_depth));
            let n = (0u32..200_000)
                .take_while(|&i| f.enter((i, 0)).is_ok())
                .count();
            assert_eq!(n, entered, "max_depth {max_depth}");
        }
    }

    fn flate(data: &[u8]) -> Vec<u8> {
        // a stored (uncompressed) zlib stream: header, one final stored block, adler32
        let mut out = vec![0x78, 0x01];
        let len = u16::try_from(data.len()).expect("small test data");
        out.push(1);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(data);
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        out.extend_from_slice(&((b << 16) | a).to_be_bytes());
        out
    }

    #[test]
    fn stream_budget_per_stream_and_per_document() {
        let mut dict = lopdf::Dictionary::new();
        dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
        let s = Stream::new(dict, flate(&[b'x'; 100]));
        let limits = Limits {
            max_stream_bytes: 150,
            max_document_bytes: 250,
            ..Limits::default()
        };
        let mut b = StreamBudget::new(&limits);
        assert_eq!(b.decode(&s, Some((4, 0))).expect("first"), vec![b'x'; 100]);
        assert_eq!(b.decode(&s, Some((4, 0))).expect("second").len(), 100);
        assert_eq!(b.used(), 200);
        let e = b.decode(&s, Some((4, 0))).expect_err("third");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(
            e.message,
            "the PDF's streams inflate to more than 250 bytes in total (--max-document-bytes)"
        );

        let small = Limits {
            max_stream_bytes: 99,
            ..Limits::default()
        };
        let e = StreamBudget::new(&small)
            .decode(&s, Some((4, 0)))
            .expect_err("stream");
        assert_eq!(
            e.message,
            "stream 4 0 R inflates to more than 99 bytes (--max-stream-bytes)"
        );

        let plain = Stream::new(lopdf::Dictionary::new(), vec![b'y'; 120]);
        let e = StreamBudget::new(&small)
            .decode(&plain, None)
            .expect_err("plain too");
        assert_eq!(
            e.message,
            "a stream inflates to more than 99 bytes (--max-stream-bytes)"
        );
    }

    #[test]
    fn load_options_carry_the_stream_limit() {
        let limits = Limits {
            max_stream_bytes: 12345,
            ..Limits::default()
        };
        assert_eq!(load_options(&limits).max_decompressed_size, Some(12345));
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;

    /// Walk one fixture the way the PDF layer does: [`load`], [`page_ids`], then each page's
    /// content under the stream budget and the content check, parsed by lopdf. Gives the first
    /// error or `pages/operators/diagnostic codes`.
    fn guarded_walk(bytes: &[u8], limits: &Limits) -> std::result::Result<String, String> {
        let (doc, mut diags) = load(bytes, limits).map_err(|e| e.to_string())?;
        let (pages, more) = page_ids(&doc, limits).map_err(|e| e.to_string())?;
        diags.extend(more);
        let mut budget = StreamBudget::new(limits);
        let mut ops = 0;
        for page in &pages {
            let mut ops_left = limits.max_operators_per_page;
            for id in doc.get_page_contents(*page) {
                let Ok(stream) = doc.get_object(id).and_then(lopdf::Object::as_stream) else {
                    continue;
                };
                let data = budget.decode(stream, Some(id)).map_err(|e| e.to_string())?;
                check_content(&data, ops_left, limits).map_err(|e| e.to_string())?;
                let content =
                    lopdf::content::Content::decode(&data).map_err(|e| format!("content: {e}"))?;
                ops_left = ops_left.saturating_sub(content.operations.len());
                ops += content.operations.len();
            }
        }
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        Ok(format!("{}/{}/{}", pages.len(), ops, codes.join(",")))
    }

    #[test]
    fn malformed_fixtures_give_errors_or_best_effort() {
        const DEPTH: &str =
            "Err(\"limit: arrays or dictionaries nested more than 64 levels deep (--max-depth)\")";
        const UNREADABLE: &str =
            "Err(\"pdf: cannot read the PDF: failed parsing cross reference table\")";
        let cases = [
            ("valid-hello.pdf", "Ok(\"1/5/\")"),
            ("deep-array.pdf", "Ok(\"1/5/pdf-deep-object\")"),
            ("deep-dict.pdf", "Ok(\"1/5/pdf-deep-object\")"),
            ("deep-array-content.pdf", DEPTH),
            ("deep-array-content-flate.pdf", DEPTH),
            ("flate-bomb.pdf", "Err(\"limit: stream 4 0 R inflates to more than 67108864 bytes (--max-stream-bytes)\")"),
            (
                "flate-bomb-objstm.pdf",
                "Err(\"limit: a stream read while loading inflates to more than 67108864 bytes (--max-stream-bytes)\")",
            ),
            ("many-operators.pdf", "Err(\"limit: more than 500000 content operators on one page (--max-operators)\")"),
            ("form-self.pdf", "Ok(\"1/6/\")"),
            ("form-cycle2.pdf", "Ok(\"1/6/\")"),
            ("form-chain.pdf", "Ok(\"1/6/\")"),
            ("kids-cycle.pdf", "Ok(\"1/5/page-tree-cycle\")"),
            ("kids-self.pdf", "Ok(\"1/5/page-tree-cycle\")"),
            ("header-only.pdf", UNREADABLE),
            ("truncated-16.pdf", UNREADABLE),
            ("random-header.pdf", UNREADABLE),
            ("no-pages.pdf", "Ok(\"0/0/\")"),
            ("xref-nowhere.pdf", "Ok(\"1/5/pdf-xref-rebuilt\")"),
            ("xref-garbage.pdf", "Ok(\"1/5/pdf-xref-rebuilt\")"),
            ("missing-trailer.pdf", "Ok(\"1/5/pdf-xref-rebuilt\")"),
            ("no-root.pdf", "Ok(\"1/5/pdf-xref-rebuilt\")"),
            ("wrong-length-short.pdf", "Ok(\"1/5/\")"),
            ("wrong-length-long.pdf", "Ok(\"1/5/\")"),
            ("truncated-no-eof.pdf", "Ok(\"1/5/pdf-xref-rebuilt\")"),
            ("truncated-in-xref.pdf", "Ok(\"1/5/pdf-xref-rebuilt\")"),
            // lopdf drops a stream whose /Length cannot be resolved, and /Contents that never
            // reaches a stream: the page is there, with nothing on it
            ("length-self-ref.pdf", "Ok(\"1/0/\")"),
            ("ref-cycle.pdf", "Ok(\"1/0/\")"),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/malformed");
        let mut failures = vec![];
        let mut seen = 0;
        for entry in
            std::fs::read_dir(&dir).expect("fixtures/malformed (scripts/make-malformed.py)")
        {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if !name.ends_with(".pdf") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("read");
            let got = format!("{:?}", guarded_walk(&bytes, &Limits::default()));
            match cases.iter().find(|(n, _)| *n == name) {
                Some((_, want)) => {
                    seen += 1;
                    if got != *want {
                        failures.push(format!("{name}: got {got}, want {want}"));
                    }
                }
                // inputs found by fuzzing: walking them without a panic is the test
                None if name.starts_with("fuzz-") || name.starts_with("truncated-") => {}
                None => failures.push(format!("{name}: no expected outcome in this table ({got})")),
            }
        }
        assert_eq!(
            seen,
            cases.len(),
            "fixtures missing: run scripts/make-malformed.py"
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
