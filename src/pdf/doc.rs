//! Loading a document with lopdf (decryption, damaged-file recovery) and bounded access to its
//! objects and streams.

use std::cell::RefCell;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::guard;
use super::truetype::FontProgram;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Diagnostic, Severity};

/// Load a document under the limits ([`guard::load`]: byte-level precheck of nesting and object
/// counts, lopdf's own stream bound, xref reconstruction for damaged files). Owner-password-only
/// files are decrypted (lopdf tries the empty user password); a file that needs a user password is
/// an error.
pub(crate) fn load(
    bytes: &[u8],
    limits: &Limits,
    rebuild: bool,
) -> Result<(Document, Vec<crate::model::Diagnostic>)> {
    let (doc, diags) = guard::load_with(bytes, limits, rebuild)?;
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(Error::new(
            ErrorKind::Pdf,
            "the PDF is encrypted with a user password; decrypt it first (e.g. `qpdf --decrypt --password=… in.pdf out.pdf`)",
        ));
    }
    Ok((doc, diags))
}

/// A font program read from a plain Flate stream: the stream's raw bytes (a copy), its decoded
/// length and the program.
type ReadProgram = (Vec<u8>, u64, Option<Rc<FontProgram>>);

/// A document with the limits that bound access to it.
pub(crate) struct Pdf<'a> {
    pub doc: &'a Document,
    pub limits: &'a Limits,
    budget: RefCell<guard::StreamBudget>,
    /// What damage cost while reading, in page order (see [`Pdf::note`]).
    notes: RefCell<Vec<Diagnostic>>,
    /// The page being read, for notes about streams read on its behalf (fonts).
    pub page: std::cell::Cell<u32>,
    /// Font programs read whole from plain Flate streams ([`Pdf::font_program`]): the
    /// stream's raw bytes (a copy), its decoded length and the program.
    programs: RefCell<Vec<ReadProgram>>,
}

impl<'a> Pdf<'a> {
    pub fn new(doc: &'a Document, limits: &'a Limits) -> Self {
        Pdf {
            doc,
            limits,
            budget: RefCell::new(guard::StreamBudget::new(limits)),
            notes: RefCell::new(Vec::new()),
            page: std::cell::Cell::new(0),
            programs: RefCell::new(Vec::new()),
        }
    }

    /// The budget of decoded bytes, to share with readers of the same document on other
    /// threads ([`Pdf::sharing`]).
    pub fn budget(&self) -> guard::StreamBudget {
        self.budget.borrow().clone()
    }

    /// A reader of the same document for another thread: its own notes and page, the budget
    /// of decoded bytes shared.
    pub fn sharing(doc: &'a Document, limits: &'a Limits, budget: guard::StreamBudget) -> Pdf<'a> {
        Pdf {
            doc,
            limits,
            budget: RefCell::new(budget),
            notes: RefCell::new(Vec::new()),
            page: std::cell::Cell::new(0),
            programs: RefCell::new(Vec::new()),
        }
    }

    /// Note what damage cost (a diagnostic with its page).
    pub fn note(&self, d: Diagnostic) {
        let mut notes = self.notes.borrow_mut();
        if notes.len() < 1000 {
            notes.push(d);
        }
    }

    /// The notes so far, taken.
    pub fn take_notes(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.notes.borrow_mut())
    }

    /// The decoded data of a content stream (a page's or a Form XObject's) on page `page`, as
    /// [`Pdf::stream_bytes`]; damage that costs content is noted: data that cannot be decoded
    /// (read as empty), and Flate data cut short by damage (what inflates before it is kept).
    pub fn content_bytes(
        &self,
        stream: &Stream,
        id: Option<ObjectId>,
        page: u32,
    ) -> Result<Vec<u8>> {
        let what = match id {
            Some((n, g)) => format!("content stream {n} {g} R"),
            None => "a content stream".to_string(),
        };
        match self.budget.borrow_mut().decode_checked(stream, id) {
            Ok((d, complete)) => {
                if !complete {
                    self.note(
                        Diagnostic::new(
                            Severity::Error,
                            "pdf-damaged-stream",
                            format!(
                                "{what} is damaged: only its first {} bytes decode, the rest of the page's drawing from there on is lost",
                                d.len()
                            ),
                        )
                        .at(None, Some(page)),
                    );
                }
                Ok(d)
            }
            Err(e) if e.kind == ErrorKind::Limit => Err(e),
            Err(e) => {
                self.note(
                    Diagnostic::new(
                        Severity::Error,
                        "pdf-damaged-stream",
                        format!(
                            "{what} cannot be decoded ({}); its content is lost",
                            e.message
                        ),
                    )
                    .at(None, Some(page)),
                );
                Ok(Vec::new())
            }
        }
    }

    /// Follow references (bounded) to a direct object.
    pub fn resolve(&self, mut obj: &'a Object) -> Option<&'a Object> {
        for _ in 0..=self.limits.max_depth.max(8) {
            match obj {
                Object::Reference(id) => obj = self.doc.objects.get(id)?,
                o => return Some(o),
            }
        }
        None
    }

    /// The object id a value refers to, if it is a reference.
    pub fn ref_id(obj: &Object) -> Option<ObjectId> {
        match obj {
            Object::Reference(id) => Some(*id),
            _ => None,
        }
    }

    pub fn get(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        dict.get(key).ok().and_then(|o| self.resolve(o))
    }

    /// A dictionary value (a stream's dictionary counts).
    pub fn dict(&self, obj: &'a Object) -> Option<&'a Dictionary> {
        match self.resolve(obj)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub fn get_dict(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        dict.get(key).ok().and_then(|o| self.dict(o))
    }

    pub fn get_stream(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Stream> {
        match self.get(dict, key)? {
            Object::Stream(s) => Some(s),
            _ => None,
        }
    }

    pub fn get_name(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
        match self.get(dict, key)? {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn get_array(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
        match self.get(dict, key)? {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn get_num(&self, dict: &'a Dictionary, key: &[u8]) -> Option<f32> {
        self.get(dict, key).and_then(|o| self.num(o))
    }

    pub fn num(&self, obj: &'a Object) -> Option<f32> {
        num(self.resolve(obj)?)
    }

    /// Decoded stream content, bounded by `max_stream_bytes` and the document's total
    /// (`max_document_bytes`): exceeding either is an error. A stream that cannot be decoded
    /// (damaged data, unsupported filter) reads as empty.
    ///
    /// Damaged data (what fonts and their maps are read from) is noted as lost content on the
    /// page being read.
    pub fn stream_bytes(&self, stream: &Stream) -> Result<Vec<u8>> {
        self.stream_bytes_whole(stream).map(|(d, _)| d)
    }

    /// The embedded font program of a font file stream (`FontFile2`, `FontFile3`): what
    /// [`FontProgram::parse`] makes of [`Pdf::stream_bytes`], `None` when the stream is over the
    /// limits. A document merged from several repeats each font's program in each part: a
    /// program read whole from plain Flate data is read once, and a stream of the same bytes
    /// again only costs its decoded length from the budget, as decoding it would (when that is
    /// over the limits it is decoded, and fails, as before).
    pub fn font_program(&self, stream: &Stream) -> Option<Rc<FontProgram>> {
        let raw = stream.content.as_slice();
        let plain = super::streams::plain_flate(stream);
        if plain {
            let known = self
                .programs
                .borrow()
                .iter()
                .find(|(r, _, _)| r.as_slice() == raw)
                .map(|(_, len, p)| (*len, p.clone()));
            if let Some((len, program)) = known {
                if self.budget.borrow().take(len) {
                    return program;
                }
            }
        }
        let (data, whole) = self.stream_bytes_whole(stream).ok()?;
        let program = FontProgram::parse(&data).map(Rc::new);
        if plain && whole {
            self.programs
                .borrow_mut()
                .push((raw.to_vec(), data.len() as u64, program.clone()));
        }
        program
    }

    /// [`Pdf::stream_bytes`], and whether the data decoded whole (to its proper end).
    fn stream_bytes_whole(&self, stream: &Stream) -> Result<(Vec<u8>, bool)> {
        let r = self.budget.borrow_mut().decode_checked(stream, None);
        let damaged = match &r {
            Ok((_, complete)) => !complete,
            Err(e) => e.kind != ErrorKind::Limit,
        };
        if damaged {
            let page = self.page.get();
            self.note(
                Diagnostic::new(
                    Severity::Error,
                    "pdf-damaged-stream",
                    "a stream a font is read from is damaged; text in that font may be lost or wrong",
                )
                .at(None, (page > 0).then_some(page)),
            );
        }
        match r {
            Ok((d, whole)) => Ok((d, whole)),
            Err(e) if e.kind == ErrorKind::Limit => Err(e),
            Err(_) => Ok((Vec::new(), false)),
        }
    }

    /// Pages in order (bounded walk of the page tree), each with its dictionary.
    pub fn pages(&self) -> Vec<(ObjectId, &'a Dictionary)> {
        let mut out = Vec::new();
        let Some(root) = self
            .doc
            .trailer
            .get(b"Root")
            .ok()
            .and_then(|o| self.dict(o))
        else {
            return self.scan_pages();
        };
        let Some(pages) = root.get(b"Pages").ok() else {
            return self.scan_pages();
        };
        let mut seen = std::collections::HashSet::new();
        self.walk(pages, 0, &mut seen, &mut out);
        if out.is_empty() {
            return self.scan_pages();
        }
        out
    }

    fn walk(
        &self,
        node: &'a Object,
        depth: usize,
        seen: &mut std::collections::HashSet<ObjectId>,
        out: &mut Vec<(ObjectId, &'a Dictionary)>,
    ) {
        if depth > self.limits.max_depth.max(32) || out.len() > self.limits.max_pages {
            return;
        }
        let id = Self::ref_id(node).unwrap_or((0, 0));
        if id != (0, 0) && !seen.insert(id) {
            return;
        }
        let Some(d) = self.dict(node) else { return };
        let is_pages = d.get(b"Kids").is_ok()
            && !matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Page");
        if is_pages {
            if let Some(kids) = self.get_array(d, b"Kids") {
                for k in kids {
                    self.walk(k, depth + 1, seen, out);
                }
            }
        } else {
            out.push((id, d));
        }
    }

    /// Fallback for a broken page tree: every `/Type /Page` object, in object order.
    fn scan_pages(&self) -> Vec<(ObjectId, &'a Dictionary)> {
        self.doc
            .objects
            .iter()
            .filter_map(|(id, o)| match o {
                Object::Dictionary(d) if matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Page") => Some((*id, d)),
                _ => None,
            })
            .collect()
    }

    /// A page attribute, inherited through /Parent.
    pub fn inherited(&self, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let mut node = page;
        for _ in 0..=self.limits.max_depth.max(32) {
            if let Some(v) = self.get(node, key) {
                return Some(v);
            }
            node = self.get_dict(node, b"Parent")?;
        }
        None
    }
}

pub(crate) fn num(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// A font program read again from a plain Flate stream of the same bytes is the one read
    /// first and costs its decoded length from the budget; over the budget left it is decoded,
    /// and fails, as before; a stream with another filter is read anew each time.
    #[test]
    fn font_programs_are_read_once_per_bytes() {
        let font = crate::pdf::truetype::tests::test_font();
        let len = font.len() as u64;
        let flate = Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib(&font));
        let plain = Stream::new(dictionary! {}, font.clone());
        // (document budget, the streams read: (stream, a program expected, the first one's),
        // bytes spent in the end)
        type Case<'s> = (u64, Vec<(&'s Stream, bool, bool)>, u64);
        let cases: Vec<Case> = vec![
            (
                10 * len,
                vec![
                    (&flate, true, false),
                    (&flate, true, true),
                    (&flate, true, true),
                ],
                3 * len,
            ),
            (
                len + len / 2,
                vec![(&flate, true, false), (&flate, false, false)],
                len,
            ),
            (
                10 * len,
                vec![(&plain, true, false), (&plain, true, false)],
                2 * len,
            ),
        ];
        let doc = Document::with_version("1.5");
        for (n, (budget, reads, spent)) in cases.into_iter().enumerate() {
            let limits = Limits {
                max_document_bytes: budget,
                ..Limits::default()
            };
            let pdf = Pdf::new(&doc, &limits);
            let mut first: Option<Rc<FontProgram>> = None;
            for (i, (stream, some, same)) in reads.into_iter().enumerate() {
                let got = pdf.font_program(stream);
                assert_eq!(got.is_some(), some, "case {n}, read {i}");
                let shared = matches!((&first, &got), (Some(a), Some(b)) if Rc::ptr_eq(a, b));
                assert_eq!(shared, same, "case {n}, read {i}");
                first = first.or(got);
            }
            assert_eq!(pdf.budget().used(), spent, "case {n}");
            assert!(pdf.take_notes().is_empty(), "case {n}");
        }
    }
}
