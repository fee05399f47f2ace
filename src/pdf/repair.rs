//! Stream data recovered from the bytes when a stream's `/Length` disagrees with them.
//!
//! A `/Length` can be wrong in many ways: too long or too short, missing, or an indirect
//! reference to an object that is missing, not a number, or the wrong number. lopdf reads the
//! data by the length it finds (and by scanning for `endstream` only when that length fails
//! to land on one while it parses the object), so a stream whose indirect length resolves to
//! a wrong number later, or to nothing, comes out cut short, run on, or empty. As qpdf and
//! poppler do, the data is then taken from the bytes between the `stream` keyword and the
//! `endstream` that follows it, and a `pdf-stream-length` warning names the object and the
//! first page that uses it.
//!
//! A declared length is kept whenever it lands on `endstream` (after optional white space), so
//! binary data that happens to hold the word `endstream` is never cut at it.

use std::collections::{HashMap, HashSet};

use lopdf::{Document, Object, ObjectId};
use memchr::memmem;

use crate::model::{Diagnostic, Severity};

/// Where a stream's data lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Raw {
    /// The stream's dictionary, as written.
    dict: (usize, usize),
    /// First byte of the data (after `stream` and its end of line).
    start: usize,
    /// Where `endstream` is, at or after the data's end.
    endstream: usize,
}

impl Raw {
    /// The data up to `endstream`, without the end of line before it.
    fn data<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        let mut end = self.endstream;
        if end > self.start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        bytes.get(self.start..end).unwrap_or_default()
    }

    /// Whether `length` bytes of data end where white space and then `endstream` follow.
    fn fits(&self, bytes: &[u8], length: usize) -> bool {
        let Some(mut end) = self.start.checked_add(length) else {
            return false;
        };
        while bytes.get(end).copied().is_some_and(is_white) {
            end += 1;
        }
        bytes
            .get(end..)
            .is_some_and(|r| r.starts_with(b"endstream"))
    }
}

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The stream data of object `id` written at `offset`: its header `N G obj` must be there, its
/// `stream` keyword must come before its `endobj`, and an `endstream` must follow.
fn locate(bytes: &[u8], offset: usize, id: ObjectId) -> Option<Raw> {
    let mut at = offset;
    while bytes.get(at).copied().is_some_and(is_white) {
        at += 1;
    }
    let header = format!("{} {} obj", id.0, id.1);
    if !bytes.get(at..)?.starts_with(header.as_bytes()) {
        return None;
    }
    let body = at + header.len();
    let rest = bytes.get(body..)?;
    let keyword = memmem::find(rest, b"stream")? + body;
    if memmem::find(rest, b"endobj").is_some_and(|e| e + body < keyword)
        || bytes.get(keyword.saturating_sub(3)..keyword) == Some(b"end")
    {
        return None;
    }
    let mut start = keyword + b"stream".len();
    if bytes.get(start) == Some(&b'\r') {
        start += 1;
    }
    if bytes.get(start) == Some(&b'\n') {
        start += 1;
    }
    let endstream = memmem::find(bytes.get(start..)?, b"endstream")? + start;
    Some(Raw {
        dict: (body, keyword),
        start,
        endstream,
    })
}

/// What the `/Length` written in a stream's dictionary (`dict`, the bytes) says: the number
/// (None when missing or not a number) and how it is given. lopdf rewrites a direct `/Length`
/// to the data it read, so the written one is read here.
fn declared(doc: &Document, dict: &[u8]) -> (Option<usize>, String) {
    let mut at = None;
    let mut from = 0;
    while let Some(p) = memmem::find(dict.get(from..).unwrap_or_default(), b"/Length") {
        let end = from + p + b"/Length".len();
        if dict
            .get(end)
            .is_none_or(|&b| is_white(b) || b"/<[(".contains(&b))
        {
            at = Some(end);
            break;
        }
        from = end;
    }
    let Some(at) = at else {
        return (None, "no /Length".to_string());
    };
    let words: Vec<&[u8]> = dict
        .get(at..)
        .unwrap_or_default()
        .split(|&b| is_white(b))
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    let number = |w: &[u8]| -> Option<u64> { std::str::from_utf8(w).ok()?.parse().ok() };
    match words.as_slice() {
        [n, g, r, ..] if r.starts_with(b"R") && number(n).is_some() && number(g).is_some() => {
            let id = (
                u32::try_from(number(n).unwrap_or(0)).unwrap_or(0),
                u16::try_from(number(g).unwrap_or(0)).unwrap_or(0),
            );
            let n = doc
                .get_object(id)
                .ok()
                .and_then(|o| o.as_i64().ok())
                .and_then(|n| usize::try_from(n).ok());
            let how = match n {
                Some(n) => format!("/Length {} {} R says {n} bytes", id.0, id.1),
                None => format!("/Length {} {} R is missing or not a length", id.0, id.1),
            };
            (n, how)
        }
        [n, ..] => {
            let digits: Vec<u8> = n.iter().copied().take_while(u8::is_ascii_digit).collect();
            match number(&digits).and_then(|n| usize::try_from(n).ok()) {
                Some(n) => (Some(n), format!("/Length says {n} bytes")),
                None => (None, "/Length is not a length".to_string()),
            }
        }
        [] => (None, "/Length is not a length".to_string()),
    }
}

/// What a repair did to some objects, to be said with the first page that uses them.
#[derive(Debug, Clone)]
pub struct Note {
    pub severity: Severity,
    pub code: &'static str,
    /// What is concerned (`stream 4 0 R`), followed by the page in the message.
    pub subject: String,
    pub message: String,
    /// The objects whose first page is named.
    pub ids: Vec<ObjectId>,
}

/// Repair the data of every stream whose `/Length` disagrees with the bytes of the file it was
/// loaded from (`bytes`, the same offsets). Encrypted documents are left alone (their stream
/// data in the file is not what lopdf holds).
pub fn stream_lengths(doc: &mut Document, bytes: &[u8]) -> Vec<Note> {
    if doc.trailer.has(b"Encrypt") {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let offsets: Vec<(ObjectId, usize)> = doc
        .reference_table
        .entries
        .iter()
        .filter_map(|(&n, e)| match e {
            lopdf::xref::XrefEntry::Normal { offset, generation } => {
                Some(((n, *generation), usize::try_from(*offset).ok()?))
            }
            _ => None,
        })
        .collect();
    for (id, offset) in offsets {
        if !matches!(doc.objects.get(&id), Some(Object::Stream(_))) {
            continue;
        }
        let Some(raw) = locate(bytes, offset, id) else {
            continue;
        };
        let (length, how) = declared(doc, bytes.get(raw.dict.0..raw.dict.1).unwrap_or_default());
        if length.is_some_and(|n| raw.fits(bytes, n)) {
            continue;
        }
        let data = raw.data(bytes);
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            if stream.content != data {
                stream.set_content(data.to_vec());
            }
        }
        notes.push(Note {
            severity: Severity::Warning,
            code: "pdf-stream-length",
            subject: format!("stream {} {} R", id.0, id.1),
            message: format!(
                "{how}, but its data runs {} bytes to `endstream`; read to `endstream`",
                data.len()
            ),
            ids: vec![id],
        });
    }
    notes
}

/// The notes as diagnostics, each with the first page (of `pages`, in order) that uses one of
/// its objects.
pub fn on_pages(doc: &Document, pages: &[ObjectId], notes: Vec<Note>) -> Vec<Diagnostic> {
    if notes.is_empty() {
        return Vec::new();
    }
    let first_page = first_pages(doc, pages);
    notes
        .into_iter()
        .map(|n| {
            let page = n
                .ids
                .iter()
                .filter_map(|id| first_page.get(id))
                .min()
                .copied();
            let on = page.map_or_else(String::new, |p| format!(" (page {p})"));
            Diagnostic::new(
                n.severity,
                n.code,
                format!("{}{on}: {}", n.subject, n.message),
            )
            .at(None, page)
        })
        .collect()
}

/// The first page (1-based) that reaches each object through its dictionary (contents,
/// resources, fonts, forms), not through `/Parent`.
fn first_pages(doc: &Document, pages: &[ObjectId]) -> HashMap<ObjectId, u32> {
    let mut first: HashMap<ObjectId, u32> = HashMap::new();
    for (i, &page) in pages.iter().enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut seen: HashSet<ObjectId> = HashSet::new();
        let mut todo: Vec<(ObjectId, usize)> = vec![(page, 0)];
        while let Some((id, depth)) = todo.pop() {
            if !seen.insert(id) || depth > 16 {
                continue;
            }
            first.entry(id).or_insert(no);
            let Ok(o) = doc.get_object(id) else { continue };
            refs(o, &mut |r| todo.push((r, depth + 1)), 0);
        }
    }
    first
}

/// The references in an object (not under `/Parent`), nesting bounded.
fn refs(o: &Object, f: &mut dyn FnMut(ObjectId), depth: usize) {
    if depth > 32 {
        return;
    }
    let dict = |d: &lopdf::Dictionary, f: &mut dyn FnMut(ObjectId)| {
        for (k, v) in d.iter() {
            if k.as_slice() != b"Parent" {
                refs(v, f, depth + 1);
            }
        }
    };
    match o {
        Object::Reference(r) => f(*r),
        Object::Array(a) => a.iter().for_each(|x| refs(x, f, depth + 1)),
        Object::Dictionary(d) => dict(d, f),
        Object::Stream(s) => dict(&s.dict, f),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page document whose content stream (object 4) has the `/Length` given, written
    /// after `data`; object 5 holds the number 17.
    fn doc_with(length: &str, data: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        let objects = [
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_string(),
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n".to_string(),
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n".to_string(),
            format!("4 0 obj\n<< {length} >>\nstream\n{data}\nendstream\nendobj\n"),
            "5 0 obj\n17\nendobj\n".to_string(),
        ];
        for o in &objects {
            offsets.push(out.len());
            out.extend_from_slice(o.as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    #[test]
    fn wrong_lengths_are_read_to_endstream() {
        let data = "BT /F1 12 Tf 10 10 Td (Hello, world) Tj ET";
        let n = data.len();
        // (/Length entry, repaired, message part)
        let cases: &[(String, bool, &str)] = &[
            (format!("/Length {n}"), false, ""),
            (format!("/Length {}", n - 7), true, "/Length says"),
            (format!("/Length {}", n + 3), true, "/Length says"),
            (String::new(), true, "no /Length"),
            ("/Length 5 0 R".into(), true, "/Length 5 0 R says 17 bytes"),
            (
                "/Length 9 0 R".into(),
                true,
                "/Length 9 0 R is missing or not a length",
            ),
            (
                "/Length 1 0 R".into(),
                true,
                "/Length 1 0 R is missing or not a length",
            ),
            ("/Length /Ten".into(), true, "/Length is not a length"),
        ];
        for (length, repaired, says) in cases {
            let bytes = doc_with(length, data);
            let mut doc = lopdf::Document::load_mem(&bytes).expect("loads");
            let notes = stream_lengths(&mut doc, &bytes);
            let diags = on_pages(&doc, &[(3, 0)], notes);
            let content = &doc
                .get_object((4, 0))
                .expect("4")
                .as_stream()
                .expect("s")
                .content;
            assert_eq!(content, data.as_bytes(), "{length}");
            assert_eq!(diags.len(), usize::from(*repaired), "{length}: {diags:?}");
            if let Some(d) = diags.first() {
                assert_eq!(d.code, "pdf-stream-length");
                assert_eq!(d.page, Some(1), "{length}");
                assert!(d.message.contains(says), "{length}: {}", d.message);
                assert!(
                    d.message.starts_with("stream 4 0 R (page 1)"),
                    "{}",
                    d.message
                );
            }
        }
    }

    #[test]
    fn a_length_landing_on_endstream_is_kept() {
        // the data holds the word `endstream`: its right length is kept, not cut at the word
        let data = "(endstream) Tj";
        let bytes = doc_with(&format!("/Length {}", data.len()), data);
        let mut doc = lopdf::Document::load_mem(&bytes).expect("loads");
        assert!(stream_lengths(&mut doc, &bytes).is_empty());
        let content = &doc
            .get_object((4, 0))
            .expect("4")
            .as_stream()
            .expect("s")
            .content;
        assert_eq!(content, data.as_bytes());
    }

    #[test]
    fn locate_table() {
        let bytes =
            b"7 0 obj\n<< /Length 3 >>\nstream\r\nabc\r\nendstream\nendobj\n8 0 obj\n1\nendobj\n";
        let raw = locate(bytes, 0, (7, 0)).expect("7");
        assert_eq!(raw.data(bytes), b"abc");
        assert!(raw.fits(bytes, 3));
        assert!(raw.fits(bytes, 4));
        assert!(!raw.fits(bytes, 2));
        assert!(!raw.fits(bytes, 9));
        // wrong header, no stream before endobj
        assert_eq!(locate(bytes, 0, (8, 0)), None);
        let eight = bytes.len() - 16;
        assert_eq!(locate(bytes, eight, (8, 0)), None);
    }
}
