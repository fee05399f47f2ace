//! Objects that lopdf cannot parse because a damaged byte made a word of one of their tokens
//! (`l000` for `1000` in a `/Widths` array, `1000q1000` where a space was): as poppler does, the
//! word is read as nothing, so the rest of the object stays. Each such word is written over by
//! `null` (or `0` where it is shorter than four bytes) padded with spaces, the object is parsed
//! again, and a `pdf-object-repaired` warning names the object and the words. A dictionary whose
//! keys and values no longer pair up is written again from the pairs that read; that is an
//! error (entries may be lost), so the result is partial.
//!
//! Only the text before a `stream` keyword is touched (stream data may hold anything), and only
//! objects that are otherwise lost: a reference that leads nowhere while the file holds the
//! object's text, or an object of an object stream that does not parse.

use std::collections::BTreeSet;

use lopdf::{Document, Object, ObjectId};

use super::guard;
use super::objstm::{is_delim, is_white, literal_string_close, skip_regular, skip_white};
use super::repair::Note;
use crate::limits::Limits;
use crate::model::Severity;

/// A word that stands for an object or is a keyword of the file's structure.
pub(crate) fn is_token(w: &[u8]) -> bool {
    if matches!(
        w,
        b"true" | b"false" | b"null" | b"R" | b"obj" | b"endobj" | b"stream" | b"endstream"
    ) {
        return true;
    }
    // a number: optional sign, digits with at most one point, at least one digit
    let body = w
        .strip_prefix(b"+")
        .or_else(|| w.strip_prefix(b"-"))
        .unwrap_or(w);
    let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
    let points = body.iter().filter(|&&c| c == b'.').count();
    digits > 0 && points <= 1 && digits + points == body.len()
}

/// `text` with every word that is neither a number nor a keyword written over (`null` or `0`,
/// padded with spaces: the length stays), up to a `stream` keyword; and the words replaced.
/// Strings, hex strings, names and comments are stepped over whole.
pub(crate) fn drop_junk(text: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut out = text.to_vec();
    let mut junk = Vec::new();
    let at = |i: usize| text.get(i).copied();
    let mut i = 0;
    while let Some(c) = at(i) {
        match c {
            _ if is_white(c) => i += 1,
            b'%' => i = skip_white(text, i),
            b'(' => i = literal_string_close(text, i + 1).unwrap_or(text.len()) + 1,
            b'<' if at(i + 1) == Some(b'<') => i += 2,
            b'<' => {
                while at(i).is_some_and(|c| c != b'>') {
                    i += 1;
                }
                i += 1;
            }
            b'/' => i = word_end(text, i),
            _ if is_delim(c) => i += 1,
            _ => {
                let s = i;
                i = word_end(text, i);
                let word = text.get(s..i).unwrap_or_default();
                if word == b"stream" {
                    break;
                }
                if !is_token(word) {
                    junk.push(String::from_utf8_lossy(word).into_owned());
                    if let Some(span) = out.get_mut(s..i) {
                        span.fill(b' ');
                        let with: &[u8] = if span.len() >= 4 { b"null" } else { b"0" };
                        if let Some(head) = span.get_mut(..with.len()) {
                            head.copy_from_slice(with);
                        }
                    }
                }
            }
        }
    }
    (out, junk)
}

/// Where the word (or name) starting at `from` ends: its first byte is taken whatever it is.
fn word_end(b: &[u8], from: usize) -> usize {
    skip_regular(b, from + 1).min(b.len().max(from))
}

/// A dictionary whose keys and values no longer pair up (a damaged byte merged or split
/// tokens), written again from the pairs that read: a name followed by one object. What stands
/// where a key should be and is no name is dropped (as poppler does), and so is a key whose value
/// does not end well. None when `text` is no dictionary or nothing was dropped.
pub(crate) fn rebuild_dict(text: &[u8], max_depth: usize) -> Option<(Vec<u8>, Vec<String>)> {
    let mut i = skip_white(text, 0);
    if !text.get(i..)?.starts_with(b"<<") {
        return None;
    }
    i += 2;
    let mut out = b"<<".to_vec();
    let mut dropped = Vec::new();
    let part = |s: usize, e: usize| text.get(s..e).unwrap_or_default();
    loop {
        i = skip_white(text, i);
        let rest = text.get(i..).unwrap_or_default();
        if rest.is_empty() || rest.starts_with(b">>") || rest.starts_with(b"stream") {
            break;
        }
        if rest.starts_with(b"/") {
            let key_end = word_end(text, i);
            let v = skip_white(text, key_end);
            if text.get(v..).is_some_and(|r| r.starts_with(b">>")) {
                dropped.push(String::from_utf8_lossy(part(i, key_end)).into_owned());
                i = v;
                continue;
            }
            if let Some(e) = super::objstm::object_end(text, v, max_depth) {
                out.push(b' ');
                out.extend_from_slice(part(i, key_end));
                out.push(b' ');
                out.extend_from_slice(part(v, e));
                i = e;
                continue;
            }
            dropped.push(String::from_utf8_lossy(part(i, key_end)).into_owned());
            i = key_end;
            continue;
        }
        // no key: the object standing here, or one word, is dropped
        let e = super::objstm::object_end(text, i, max_depth)
            .filter(|&e| e > i)
            .unwrap_or_else(|| word_end(text, i));
        dropped.push(String::from_utf8_lossy(part(i, e)).into_owned());
        i = e;
    }
    out.extend_from_slice(b" >>");
    (!dropped.is_empty()).then_some((out, dropped))
}

/// What [`reread`] dropped from an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dropped {
    /// The stray words and parts dropped, as written.
    pub parts: Vec<String>,
    /// Whether the object's keys and values were paired again ([`rebuild_dict`]): entries may be
    /// lost with the parts, not only single values.
    pub rebuilt: bool,
}

/// An object's text that lopdf cannot parse, made readable: stray words dropped
/// ([`drop_junk`]), then, when `parses` still says no, a dictionary's pairs written again
/// ([`rebuild_dict`]); with what was dropped. None when neither changes anything or the result
/// still does not parse.
pub(crate) fn reread(
    text: &[u8],
    max_depth: usize,
    parses: impl Fn(&[u8]) -> bool,
) -> Option<(Vec<u8>, Dropped)> {
    let (cleaned, mut parts) = drop_junk(text);
    if !parts.is_empty() && parses(&cleaned) {
        return Some((
            cleaned,
            Dropped {
                parts,
                rebuilt: false,
            },
        ));
    }
    let (rebuilt, dropped) = rebuild_dict(&cleaned, max_depth)?;
    parts.extend(dropped);
    parses(&rebuilt).then_some((
        rebuilt,
        Dropped {
            parts,
            rebuilt: true,
        },
    ))
}

/// Objects' texts (without `N G obj` and `endobj`) parsed by lopdf, from a small document of
/// their own; those that parse.
pub(crate) fn parse_texts(texts: &[(ObjectId, &[u8])], limits: &Limits) -> Vec<(ObjectId, Object)> {
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    let catalog = texts
        .iter()
        .map(|t| t.0 .0)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    for &((num, gen), text) in texts {
        offsets.push((num, gen, pdf.len()));
        pdf.extend_from_slice(format!("{num} {gen} obj\n").as_bytes());
        pdf.extend_from_slice(text);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    offsets.push((catalog, 0, pdf.len()));
    pdf.extend_from_slice(format!("{catalog} 0 obj\n<< /Type /Catalog >>\nendobj\n").as_bytes());
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    for (num, gen, off) in &offsets {
        pdf.extend_from_slice(format!("{num} 1\n{off:010} {gen:05} n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            catalog + 1
        )
        .as_bytes(),
    );
    let Ok(doc) = Document::load_mem_with_options(&pdf, guard::load_options(limits)) else {
        return Vec::new();
    };
    texts
        .iter()
        .filter_map(|&(id, _)| Some((id, doc.objects.get(&id)?.clone())))
        .collect()
}

/// References to objects the document does not hold (at most `cap`).
fn dangling(doc: &Document, cap: usize) -> BTreeSet<ObjectId> {
    fn walk(o: &Object, doc: &Document, out: &mut BTreeSet<ObjectId>, cap: usize, depth: usize) {
        if out.len() >= cap || depth > 100 {
            return;
        }
        match o {
            Object::Reference(id) if !doc.objects.contains_key(id) => {
                out.insert(*id);
            }
            Object::Array(a) => a.iter().for_each(|x| walk(x, doc, out, cap, depth + 1)),
            Object::Dictionary(d) => d
                .iter()
                .for_each(|(_, x)| walk(x, doc, out, cap, depth + 1)),
            Object::Stream(s) => s
                .dict
                .iter()
                .for_each(|(_, x)| walk(x, doc, out, cap, depth + 1)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for o in doc.objects.values() {
        walk(o, doc, &mut out, cap, 0);
    }
    out
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

/// The text of object `id` in the file: after its `N G obj` header to its `endobj`, found where
/// the cross-reference data places it, else at the header's last occurrence starting a line.
fn object_text(doc: &Document, bytes: &[u8], id: ObjectId) -> Option<(usize, usize)> {
    let header = format!("{} {} obj", id.0, id.1);
    let at_offset = match doc.reference_table.get(id.0) {
        Some(lopdf::xref::XrefEntry::Normal { offset, .. }) => {
            usize::try_from(*offset).ok().filter(|&o| {
                bytes
                    .get(o..)
                    .is_some_and(|b| b.starts_with(header.as_bytes()))
            })
        }
        _ => None,
    };
    let start = match at_offset {
        Some(o) => o,
        None => {
            let line = format!("\n{header}");
            memchr::memmem::rfind(bytes, line.as_bytes())? + 1
        }
    };
    let body = start + header.len();
    // the object ends at `endobj`, and must not run into the next object
    let end = find(bytes, body, b"endobj")?;
    (end - body <= 1 << 20).then_some((body, end))
}

/// Objects that references lead to but lopdf could not parse, read again with their stray words
/// dropped ([`drop_junk`]) and put in the document; a note for each. With the notes, whether the
/// objects were looked at and every reference leads to an object: the document is then left as
/// it was, and [`guard::dangling_refs`] of it is 0 without walking its objects again.
pub fn objects(doc: &mut Document, bytes: &[u8], limits: &Limits) -> (Vec<Note>, bool) {
    if doc.trailer.has(b"Encrypt") {
        return (Vec::new(), false);
    }
    let mut notes = Vec::new();
    let lost = dangling(doc, 1_000);
    let whole = lost.is_empty();
    for id in lost {
        let Some((s, e)) = object_text(doc, bytes, id) else {
            continue;
        };
        let text = bytes.get(s..e).unwrap_or_default();
        if find(text, 0, b"stream").is_some() {
            continue;
        }
        let parses = |t: &[u8]| !parse_texts(&[(id, t)], limits).is_empty();
        let Some((text, dropped)) = reread(text, limits.max_depth, parses) else {
            continue;
        };
        if let Some((_, obj)) = parse_texts(&[(id, &text)], limits).pop() {
            doc.objects.insert(id, obj);
            notes.push(note(id, &dropped));
        }
    }
    (notes, whole)
}

/// The diagnostic for an object read with parts dropped: a warning when single words were read
/// as null, an error (the result is partial) when its entries had to be paired again, as some
/// of what it said may be gone.
pub(crate) fn note(id: ObjectId, dropped: &Dropped) -> Note {
    let words: Vec<String> = dropped
        .parts
        .iter()
        .take(5)
        .map(|w| format!("`{w}`"))
        .collect();
    let (severity, rest) = if dropped.rebuilt {
        (
            Severity::Error,
            "its entries are paired again from what still reads; entries may be lost",
        )
    } else {
        (Severity::Warning, "the rest of the object is kept")
    };
    Note {
        severity,
        code: "pdf-object-repaired",
        subject: format!("object {} {} R", id.0, id.1),
        message: format!(
            "{} unreadable part(s) ({}) dropped; {rest}",
            dropped.parts.len(),
            words.join(", ")
        ),
        ids: vec![id],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_junk_table() {
        // (text, after, words dropped)
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "<< /A 1 /B [1 2.5 -3 +.5] >>",
                "<< /A 1 /B [1 2.5 -3 +.5] >>",
                &[],
            ),
            ("[500 l000 1000]", "[500 null 1000]", &["l000"]),
            ("[1000q1000 500]", "[null      500]", &["1000q1000"]),
            ("[1 x 2]", "[1 0 2]", &["x"]),
            (
                "<< /F 26 0 R /B true /C null >>",
                "<< /F 26 0 R /B true /C null >>",
                &[],
            ),
            // strings, hex strings, names and comments are not words
            (
                "[(a b) <41 42> /Na#20me] % note x\n",
                "[(a b) <41 42> /Na#20me] % note x\n",
                &[],
            ),
            ("(a \\) q) q", "(a \\) q) 0", &["q"]),
            // nothing after `stream` is touched
            (
                "<< /Length 3 >>\nstream\nx y\nendstream",
                "<< /Length 3 >>\nstream\nx y\nendstream",
                &[],
            ),
            ("1..2 1.2", "null 1.2", &["1..2"]),
        ];
        for (text, after, words) in cases {
            let (out, junk) = drop_junk(text.as_bytes());
            assert_eq!(String::from_utf8_lossy(&out), *after, "{text}");
            assert_eq!(junk, *words, "{text}");
        }
    }

    #[test]
    fn rebuild_dict_table() {
        // (text, rebuilt, dropped)
        let cases: &[(&str, Option<&str>, &[&str])] = &[
            ("<< /A 1 /B 2 >>", None, &[]),
            ("[1 2]", None, &[]),
            // keys merged with their values by damage: the pairs that still read are kept
            (
                "<</Type/FontD/Subtpe/FTrueype/FBaseontD/AAA\n/W[1 2]/FontBescriptor/28 10 R\n/ToUnicode 29 0 R\n>>",
                Some("<< /Type /FontD /Subtpe /FTrueype /FBaseontD /AAA /W [1 2] /FontBescriptor /28 /ToUnicode 29 0 R >>"),
                &["10", "R"],
            ),
            // a key with no value before the end
            ("<< /A 1 /B >>", Some("<< /A 1 >>"), &["/B"]),
            // an unterminated dictionary is closed
            ("<< /A (x) 7 /B [1", Some("<< /A (x) >>"), &["7", "/B", "[1"]),
        ];
        for (text, want, dropped) in cases {
            let got = rebuild_dict(text.as_bytes(), 64);
            assert_eq!(
                got.as_ref()
                    .map(|g| String::from_utf8_lossy(&g.0).into_owned())
                    .as_deref(),
                *want,
                "{text}"
            );
            if let Some((_, d)) = got {
                assert_eq!(d, *dropped, "{text}");
            }
        }
    }

    #[test]
    fn reread_drops_words_then_rebuilds() {
        let limits = Limits::default();
        let parses = |t: &[u8]| !parse_texts(&[((3, 0), t)], &limits).is_empty();
        // (text, rebuilt, dropped, paired again)
        let cases: &[(&str, Option<&str>, &[&str], bool)] = &[
            ("<< /A [1 q 2] >>", Some("<< /A [1 0 2] >>"), &["q"], false),
            ("<< /A 1 >>", None, &[], false),
            (
                "<< /A 1 /F 10 R /ToUnicode 29 0 R >>",
                Some("<< /A 1 /F 10 /ToUnicode 29 0 R >>"),
                &["R"],
                true,
            ),
        ];
        for (text, want, parts, rebuilt) in cases {
            let got = reread(text.as_bytes(), 64, parses);
            assert_eq!(
                got.as_ref()
                    .map(|g| String::from_utf8_lossy(&g.0).into_owned())
                    .as_deref(),
                *want,
                "{text}"
            );
            if let Some((_, d)) = got {
                assert_eq!(d.parts, *parts, "{text}");
                assert_eq!(d.rebuilt, *rebuilt, "{text}");
                assert_eq!(
                    note((3, 0), &d).severity,
                    if *rebuilt {
                        Severity::Error
                    } else {
                        Severity::Warning
                    }
                );
            }
        }
    }

    #[test]
    fn a_widths_array_with_a_stray_word_still_parses() {
        let limits = Limits::default();
        let bad: &[u8] = b"<< /Type /Font /Widths [500 l000 1000] /BaseFont /X >>";
        assert!(parse_texts(&[((7, 0), bad)], &limits).is_empty());
        let (text, junk) = drop_junk(bad);
        assert_eq!(junk, vec!["l000".to_string()]);
        let got = parse_texts(&[((7, 0), &text)], &limits);
        let dict = got[0].1.as_dict().expect("dict");
        assert_eq!(
            dict.get(b"Widths")
                .and_then(Object::as_array)
                .map(Vec::len)
                .ok(),
            Some(3)
        );
        assert_eq!(
            dict.get(b"BaseFont").and_then(Object::as_name).ok(),
            Some(&b"X"[..])
        );
    }

    #[test]
    fn a_lost_object_is_read_again_with_a_note() {
        let limits = Limits::default();
        let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /F 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Font /Widths [l000] /BaseFont /X >>\nendobj\n";
        let mut doc = Document::new();
        doc.objects.insert(
            (1, 0),
            parse_texts(&[((1, 0), b"<< /Type /Catalog /F 2 0 R >>")], &limits)[0]
                .1
                .clone(),
        );
        let (notes, whole) = objects(&mut doc, pdf, &limits);
        assert!(!whole);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "pdf-object-repaired");
        assert_eq!(notes[0].subject, "object 2 0 R");
        assert!(notes[0].message.contains("`l000`"), "{}", notes[0].message);
        let font = doc
            .objects
            .get(&(2, 0))
            .and_then(|o| o.as_dict().ok())
            .expect("font");
        assert_eq!(
            font.get(b"BaseFont").and_then(Object::as_name).ok(),
            Some(&b"X"[..])
        );
    }

    #[test]
    fn whole_only_when_no_reference_dangles() {
        let limits = Limits::default();
        let file = b"%PDF-1.4\n2 0 obj\n<< /Widths [l000] >>\nendobj\n";
        // (objects as (number, text), encrypted trailer, whole, notes, references dangling after)
        type Case<'a> = (&'a [(u32, &'a [u8])], bool, bool, usize, usize);
        let cases: &[Case] = &[
            (
                &[(1, b"<< /Type /Catalog /P 3 0 R >>"), (3, b"<< /A 1 >>")],
                false,
                true,
                0,
                0,
            ),
            (&[(1, b"<< /Type /Catalog >>")], false, true, 0, 0),
            (&[(1, b"<< /Type /Catalog /P 4 0 R >>")], false, false, 0, 1),
            (
                &[(1, b"<< /K [<< /X [4 0 R 4 0 R] >>] >>")],
                false,
                false,
                0,
                2,
            ),
            // lost, read again from the file: not whole, though nothing dangles after
            (&[(1, b"<< /Type /Catalog /F 2 0 R >>")], false, false, 1, 0),
            (
                &[(1, b"<< /Type /Catalog /P 3 0 R >>"), (3, b"<< /A 1 >>")],
                true,
                false,
                0,
                0,
            ),
        ];
        for &(objs, encrypted, whole, notes, after) in cases {
            let mut doc = Document::new();
            for &(n, text) in objs {
                let parsed = parse_texts(&[((n, 0), text)], &limits);
                doc.objects.insert((n, 0), parsed[0].1.clone());
            }
            if encrypted {
                doc.trailer.set("Encrypt", Object::Reference((9, 0)));
            }
            let (got_notes, got_whole) = objects(&mut doc, file, &limits);
            assert_eq!(
                (
                    got_whole,
                    got_notes.len(),
                    guard::dangling_refs(&doc, 10_000)
                ),
                (whole, notes, after),
                "{objs:?} encrypted {encrypted}"
            );
        }
    }
}
