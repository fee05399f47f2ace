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
//! - [`StreamBudget`] (in `streams.rs`): decode streams under the per-stream and per-document
//!   decompressed limits; the byte-level [`scan`] and [`flatten_deep`] live in `lexer.rs`.
//! - [`check_content`]: nesting and operator count of a decoded content stream, before it is
//!   parsed into operations.
//! - [`FormStack`]: Form XObject cycles and nesting (capped at [`MAX_FORM_NESTING`], since forms
//!   are drawn recursively).
//!
//! Every limit error names the limit's CLI flag so a user knows what to change.

use std::borrow::Cow;
use std::collections::HashSet;

use lopdf::{Document, LoadOptions, ObjectId};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Diagnostic, Severity};

pub use super::lexer::{flatten_deep, operation_ends, scan, scan_content, Mode, Scan};
pub use super::streams::{flate_complete, StreamBudget};

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
    // Pages found, and references that lead nowhere (fewer is better).
    let shape = |doc: &Document| {
        (
            doc.page_iter().next().is_some(),
            std::cmp::Reverse(dangling_refs(doc, 10_000)),
        )
    };
    let doc = match Document::load_mem_with_options(&bytes, options.clone()) {
        Ok(doc) if !rebuild || shape(&doc) == (true, std::cmp::Reverse(0)) => doc,
        // Rebuilt by scanning, the file shows no pages or objects missing: the objects of its
        // object streams, which its cross-reference stream no longer finds (or finds in the
        // wrong place), are taken out of them by their own tables.
        first => match super::unpack::unpacked(&bytes, limits) {
            Some((unpacked, n)) => match Document::load_mem_with_options(&unpacked, options) {
                Ok(doc)
                    if doc.page_iter().next().is_some()
                        && first.as_ref().map_or(true, |f| shape(&doc) > shape(f)) =>
                {
                    diags.push(Diagnostic::new(
                        Severity::Warning,
                        "pdf-object-streams-unpacked",
                        format!(
                            "the cross-reference data does not find the objects in object streams; \
                             {n} objects were read from the object streams' own tables"
                        ),
                    ));
                    doc
                }
                _ => first.map_err(|e| load_error(&e, limits))?,
            },
            None => first.map_err(|e| load_error(&e, limits))?,
        },
    };
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
    let (keywords, written) = obj_keywords(bytes);
    if keywords > limits.max_objects {
        return None;
    }
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

/// The `obj` substrings of `bytes` and, among them, those that end an `endobj`, counted in one
/// pass: an `endobj` holds exactly one `obj` (at its fourth byte), and `obj` cannot overlap
/// itself, so these are the two counts a search for each word would give.
fn obj_keywords(bytes: &[u8]) -> (usize, usize) {
    let mut all = 0;
    let mut ends = 0;
    for at in memchr::memmem::find_iter(bytes, b"obj") {
        all += 1;
        ends += usize::from(at >= 3 && bytes.get(at - 3..at) == Some(&b"end"[..]));
    }
    (all, ends)
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

    #[test]
    fn obj_keywords_count_as_two_searches() {
        // (bytes, `obj` substrings, `endobj` substrings)
        let cases: &[(&[u8], usize, usize)] = &[
            (b"", 0, 0),
            (b"obj", 1, 0),
            (b"endobj", 1, 1),
            (b"ndobj", 1, 0),
            (b"1 0 obj\n<< >>\nendobj\n", 2, 1),
            (b"endendobjobj", 2, 1),
            (b"objendobj", 2, 1),
            (b"endobjendobj", 2, 2),
            (b"xendobj /endobjx obobj", 3, 2),
            (b"END obj enDobj", 2, 0),
        ];
        for &(bytes, all, ends) in cases {
            assert_eq!(
                obj_keywords(bytes),
                (all, ends),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
            assert_eq!(memchr::memmem::find_iter(bytes, b"obj").count(), all);
            assert_eq!(memchr::memmem::find_iter(bytes, b"endobj").count(), ends);
        }
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
