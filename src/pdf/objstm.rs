//! Objects recovered from a damaged object stream by scanning its decoded data.
//!
//! An object stream (`/Type /ObjStm`) starts with a table of `/N` pairs (object number, offset
//! from `/First`), then holds its objects one after another. lopdf trusts the table: a wrong
//! `/First` or a flipped offset makes it read objects from the wrong places (or none), and
//! data cut short loses the objects past the cut, all without a word. Here the data is checked
//! against the table: where they disagree, the objects are found by reading the data in order
//! (each object starts where white space after the previous one ends; where an object cannot
//! be read, the table's offset of the next one is used to go on), read by lopdf from a small
//! document of their own, and put in place of what lopdf took from the table. A
//! `pdf-object-stream` diagnostic names the object stream and what it cost: a warning when every
//! object listed was recovered, an error listing the objects lost otherwise.

use lopdf::{Document, Object, ObjectId};

use super::inflate;
use super::repair::Note;
use super::salvage;
use crate::limits::Limits;
use crate::model::Severity;

/// PDF white space.
pub(super) fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

pub(super) fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Past white space and comments from `at`.
pub(super) fn skip_white(b: &[u8], mut at: usize) -> usize {
    loop {
        match b.get(at) {
            Some(&c) if is_white(c) => at += 1,
            Some(b'%') => {
                while b.get(at).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    at += 1;
                }
            }
            _ => return at,
        }
    }
}

/// Where the literal string whose body starts at `from` (just after its `(`) closes: the index of
/// its `)`, nested parentheses balanced and backslash escapes stepped over; None when the data
/// ends first.
pub(super) fn literal_string_close(b: &[u8], from: usize) -> Option<usize> {
    let mut nest = 0usize;
    let mut i = from;
    loop {
        match *b.get(i)? {
            b'\\' => i += 1,
            b'(' => nest += 1,
            b')' if nest == 0 => return Some(i),
            b')' => nest -= 1,
            _ => {}
        }
        i += 1;
    }
}

/// Past a regular token (a number, keyword or the body of a name) from `at`.
pub(super) fn skip_regular(b: &[u8], mut at: usize) -> usize {
    while b.get(at).is_some_and(|&c| !is_white(c) && !is_delim(c)) {
        at += 1;
    }
    at
}

fn is_int(tok: &[u8]) -> bool {
    !tok.is_empty() && tok.iter().all(u8::is_ascii_digit)
}

/// Where the one object starting at `at` ends (a reference `n g R` is one object); None when
/// it does not end well (unbalanced, a keyword of the file's structure, the data's end).
pub fn object_end(b: &[u8], at: usize, max_depth: usize) -> Option<usize> {
    let mut i = at;
    let mut depth = 0usize;
    loop {
        i = skip_white(b, i);
        let c = *b.get(i)?;
        match c {
            b'(' => i = literal_string_close(b, i + 1)? + 1,
            b'<' if b.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 2;
            }
            b'<' => {
                i += 1;
                loop {
                    let h = *b.get(i)?;
                    if h == b'>' {
                        break;
                    }
                    if !(h.is_ascii_hexdigit() || is_white(h)) {
                        return None;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'>' if b.get(i + 1) == Some(&b'>') => {
                depth = depth.checked_sub(1)?;
                i += 2;
            }
            b'[' => {
                depth += 1;
                i += 1;
            }
            b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b'/' => i = skip_regular(b, i + 1),
            b')' | b'>' | b'{' | b'}' => return None,
            _ => {
                let s = i;
                i = skip_regular(b, i);
                let tok = b.get(s..i)?;
                if matches!(tok, b"obj" | b"endobj" | b"stream" | b"endstream")
                    || (depth == 0 && tok == b"R")
                {
                    return None;
                }
                // a stray word (a damaged byte between objects) is no object
                if depth == 0 && !salvage::is_token(tok) {
                    return None;
                }
                if depth == 0 && is_int(tok) {
                    // `n g R`
                    let g = skip_white(b, i);
                    let g_end = skip_regular(b, g);
                    let r = skip_white(b, g_end);
                    if g_end > g
                        && is_int(b.get(g..g_end)?)
                        && b.get(r) == Some(&b'R')
                        && b.get(r + 1).is_none_or(|&c| is_white(c) || is_delim(c))
                    {
                        i = r + 1;
                    }
                }
            }
        }
        if depth > max_depth {
            return None;
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

/// The leading whitespace-separated integers of the data, with where each ends.
fn leading_ints(b: &[u8]) -> Vec<(u64, usize)> {
    let mut out = Vec::new();
    let mut at = skip_white(b, 0);
    loop {
        let end = skip_regular(b, at);
        let Some(tok) = b.get(at..end) else { break };
        if !is_int(tok) || tok.len() > 18 {
            break;
        }
        let v = std::str::from_utf8(tok).ok().and_then(|t| t.parse().ok());
        let Some(v) = v else { break };
        out.push((v, end));
        at = skip_white(b, end);
    }
    out
}

/// What scanning an object stream's data found.
#[derive(Debug, Default, PartialEq)]
struct Scanned {
    /// Objects found: number and the span of their text.
    found: Vec<(u32, (usize, usize))>,
    /// Objects listed but not found (None: the number itself is unreadable).
    lost: Vec<Option<u32>>,
    /// Where the objects begin, by the data.
    body: usize,
    /// Pairs in the offsets table.
    listed: usize,
    /// Whether the data agrees with the table and `/First` (every object where the table says).
    agrees: bool,
}

/// Scan an object stream's decoded data, `/First` and `/N` as declared.
fn scan(data: &[u8], first: Option<usize>, n: Option<usize>, max_depth: usize) -> Scanned {
    // the table as it reads: pairs while offsets start at 0 and do not go down
    let ints = leading_ints(data);
    let mut k = 0;
    let mut header_end = 0;
    let mut prev = 0;
    while let (Some(_), Some(&(off, end))) = (ints.get(2 * k), ints.get(2 * k + 1)) {
        if (k == 0 && off != 0)
            || off < prev
            || usize::try_from(off).map_or(true, |o| o >= data.len())
        {
            break;
        }
        prev = off;
        header_end = end;
        k += 1;
    }
    let computed = skip_white(data, header_end);
    // `/First` is kept when it lands in the white space before the first object
    let body = match first {
        Some(f) if f >= header_end && f <= computed => f,
        Some(f) if k < n.unwrap_or(0) && f < data.len() && f > header_end => f,
        _ => computed,
    };
    let agrees_first = first == Some(body);
    // the table: every token before the body, in pairs
    let tokens: Vec<Option<u64>> = data
        .get(..body.min(data.len()))
        .unwrap_or_default()
        .split(|&c| is_white(c))
        .filter(|t| !t.is_empty())
        .map(|t| std::str::from_utf8(t).ok().and_then(|t| t.parse().ok()))
        .collect();
    let pairs: Vec<(Option<u64>, Option<u64>)> = tokens
        .chunks(2)
        .map(|c| (c.first().copied().flatten(), c.get(1).copied().flatten()))
        .collect();
    let mut out = Scanned {
        body,
        listed: pairs.len(),
        agrees: agrees_first && n == Some(pairs.len()),
        ..Scanned::default()
    };
    let mut pos = body;
    let mut prev_ok = true;
    for (num, off) in &pairs {
        let expected = off
            .and_then(|o| usize::try_from(o).ok())
            .and_then(|o| body.checked_add(o))
            .map(|e| skip_white(data, e));
        let start = skip_white(data, pos);
        let at_expected = expected.and_then(|e| object_end(data, e, max_depth).map(|end| (e, end)));
        let in_order = object_end(data, start, max_depth).map(|end| (start, end));
        if expected != Some(start) {
            out.agrees = false;
        }
        // a name standing alone where the table places another object is the tail of a damaged
        // object before it (a lost bracket ended that one early), not an object of its own
        let stray_name = |a: (usize, usize)| data.get(a.0) == Some(&b'/');
        let chosen = match (in_order, at_expected) {
            (Some(a), Some(b)) if a.0 == b.0 => Some(a),
            (Some(a), Some(b)) if stray_name(a) => Some(b),
            (Some(a), _) if prev_ok => Some(a),
            (_, Some(b)) => Some(b),
            (Some(a), None) => Some(a),
            (None, None) => None,
        };
        let num = num.and_then(|n| u32::try_from(n).ok());
        match (num, chosen) {
            (Some(num), Some((s, e))) => {
                out.found.push((num, (s, e)));
                pos = e;
                prev_ok = true;
            }
            (num, chosen) => {
                out.agrees = false;
                out.lost.push(num);
                if let Some((_, e)) = chosen {
                    pos = e;
                }
                prev_ok = false;
            }
        }
    }
    out
}

/// Objects read from an object stream's data, and those read only with parts dropped.
type Parsed = (Vec<(u32, Object)>, Vec<(u32, salvage::Dropped)>);

/// The objects' texts read by lopdf ([`salvage::parse_texts`]); one that does not parse is read
/// again ([`salvage::reread`]), and what was dropped from it is returned with it.
fn parse_objects(data: &[u8], found: &[(u32, (usize, usize))], limits: &Limits) -> Parsed {
    let texts: Vec<(ObjectId, &[u8])> = found
        .iter()
        .map(|&(num, (s, e))| ((num, 0), data.get(s..e).unwrap_or_default()))
        .collect();
    let mut parsed: Vec<(u32, Object)> = salvage::parse_texts(&texts, limits)
        .into_iter()
        .map(|((num, _), o)| (num, o))
        .collect();
    let mut repaired = Vec::new();
    let mut again = Vec::new();
    for &(id, text) in &texts {
        if parsed.iter().any(|p| p.0 == id.0) {
            continue;
        }
        let parses = |t: &[u8]| !salvage::parse_texts(&[(id, t)], limits).is_empty();
        if let Some((text, dropped)) = salvage::reread(text, limits.max_depth, parses) {
            again.push((id, text, dropped));
        }
    }
    let texts: Vec<(ObjectId, &[u8])> =
        again.iter().map(|(id, t, _)| (*id, t.as_slice())).collect();
    for ((num, _), o) in salvage::parse_texts(&texts, limits) {
        if let Some((_, _, dropped)) = again.iter().find(|a| a.0 .0 == num) {
            repaired.push((num, dropped.clone()));
        }
        parsed.push((num, o));
    }
    (parsed, repaired)
}

/// Check every object stream of the document against its data, and put the objects found by
/// scanning in place of those lopdf read where they disagree.
pub fn recover(doc: &mut Document, limits: &Limits) -> Vec<Note> {
    if doc.trailer.has(b"Encrypt") {
        return Vec::new();
    }
    let containers: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.has_type(b"ObjStm")))
        .map(|(id, _)| *id)
        .collect();
    let max = usize::try_from(limits.max_stream_bytes).unwrap_or(usize::MAX);
    let mut notes = Vec::new();
    for cid in containers {
        let Some(stream) = doc.objects.get(&cid).and_then(|o| o.as_stream().ok()) else {
            continue;
        };
        let number = |k: &[u8]| {
            stream
                .dict
                .get(k)
                .ok()
                .and_then(|o| o.as_i64().ok())
                .and_then(|n| usize::try_from(n).ok())
        };
        let (first, n) = (number(b"First"), number(b"N"));
        let Ok(mut data) = stream.get_plain_content_with_limit(max) else {
            continue;
        };
        // Flate data the strict decoder stops in is inflated past the damage, as poppler does:
        // what follows it is uncertain, and goes through the same checks as any data.
        let lenient = inflate::when_strict_fails(stream, max).filter(|l| l.data.len() > data.len());
        let raw_len = stream.content.len();
        if let Some(l) = &lenient {
            data.clone_from(&l.data);
        }
        let scanned = scan(&data, first, n, limits.max_depth);
        let here = |num: u32, doc: &Document| match doc.reference_table.get(num) {
            Some(lopdf::xref::XrefEntry::Compressed { container, .. }) => *container == cid.0,
            Some(lopdf::xref::XrefEntry::Normal { .. }) => false,
            _ => true,
        };
        if lenient.is_none()
            && scanned.agrees
            && scanned
                .found
                .iter()
                .all(|f| doc.objects.contains_key(&(f.0, 0)))
        {
            continue;
        }
        let (parsed, repaired) = parse_objects(&data, &scanned.found, limits);
        notes.extend(
            repaired
                .iter()
                .map(|(num, dropped)| salvage::note((*num, 0), dropped)),
        );
        let mut lost: Vec<Option<u32>> = scanned.lost.clone();
        for &(num, _) in &scanned.found {
            if !parsed.iter().any(|p| p.0 == num) {
                lost.push(Some(num));
            }
        }
        let mut changed = 0;
        for (num, obj) in parsed {
            if !here(num, doc) {
                continue;
            }
            if doc.objects.get(&(num, 0)) != Some(&obj) {
                changed += 1;
                doc.objects.insert((num, 0), obj);
            }
        }
        // Objects the cross-reference data places in this stream and still missing (its table
        // unreadable, its data damaged before them) are lost too.
        let placed: Vec<u32> = doc
            .reference_table
            .entries
            .iter()
            .filter(|(num, e)| {
                matches!(e, lopdf::xref::XrefEntry::Compressed { container, .. } if *container == cid.0)
                    && !doc.objects.contains_key(&(**num, 0))
            })
            .map(|(num, _)| *num)
            .collect();
        for num in placed {
            if !lost.contains(&Some(num)) {
                lost.push(Some(num));
            }
        }
        let mut what = Vec::new();
        if first != Some(scanned.body) {
            what.push(match first {
                Some(f) => format!("/First says {f}, its objects begin at {}", scanned.body),
                None => format!("no usable /First, its objects begin at {}", scanned.body),
            });
        }
        if n != Some(scanned.listed) {
            what.push(match n {
                Some(n) => format!("/N says {n}, its table lists {}", scanned.listed),
                None => format!("no usable /N, its table lists {}", scanned.listed),
            });
        }
        if let Some(l) = &lenient {
            notes.push(damaged_flate(cid, l, raw_len, &scanned.found));
            if what.is_empty() && lost.is_empty() {
                continue;
            }
        }
        if what.is_empty() {
            what.push(if lenient.is_some() {
                "its Flate data is damaged".to_string()
            } else {
                "its offsets table disagrees with its data".to_string()
            });
        }
        let mut message = format!(
            "{}; {changed} object(s) read by scanning its data",
            what.join("; ")
        );
        let ids: Vec<ObjectId> = lost.iter().flatten().map(|&n| (n, 0)).collect();
        if !lost.is_empty() {
            let names: Vec<String> = lost
                .iter()
                .map(|l| {
                    l.map_or_else(
                        || "one whose number is unreadable".to_string(),
                        |n| format!("{n} 0 R"),
                    )
                })
                .collect();
            message.push_str(&format!(
                "; {} object(s) lost: {}",
                lost.len(),
                names.join(", ")
            ));
        }
        notes.push(Note {
            severity: if lost.is_empty() {
                Severity::Warning
            } else {
                Severity::Error
            },
            code: "pdf-object-stream",
            subject: format!("object stream {} {} R", cid.0, cid.1),
            message,
            ids: if ids.is_empty() {
                scanned.found.iter().map(|f| (f.0, 0)).collect()
            } else {
                ids
            },
        });
    }
    notes
}

/// The warning for an object stream whose Flate data was inflated past damage: where the data
/// was damaged, and the objects read from what follows it (uncertain).
fn damaged_flate(
    cid: ObjectId,
    l: &inflate::Lenient,
    raw_len: usize,
    found: &[(u32, (usize, usize))],
) -> Note {
    let (what, from) = l.describe(raw_len);
    let after: Vec<u32> = found
        .iter()
        .filter(|(_, (_, end))| *end > from)
        .map(|&(num, _)| num)
        .collect();
    let names: Vec<String> = after.iter().take(20).map(|n| format!("{n} 0 R")).collect();
    let more = after.len().saturating_sub(names.len());
    let uncertain = if after.is_empty() {
        "no object was read from what follows it".to_string()
    } else {
        format!(
            "{} object(s) read from what follows the damage are uncertain: {}{}",
            after.len(),
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    };
    Note {
        severity: Severity::Warning,
        code: "pdf-damaged-flate",
        subject: format!("object stream {} {} R", cid.0, cid.1),
        message: format!(
            "its Flate data is damaged: {what}; inflated past the damage to {} bytes, as poppler does; {uncertain}",
            l.data.len()
        ),
        ids: after.iter().map(|&n| (n, 0)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_string_close_table() {
        // (data, where the body starts, the index of its `)`)
        let cases: [(&[u8], usize, Option<usize>); 5] = [
            (b"(abc) x", 1, Some(4)),
            (b"(a(b)c) x", 1, Some(6)),
            (b"(a\\)b) x", 1, Some(5)),
            (b"(a(b) c", 1, None),
            (b"(ab\\", 1, None),
        ];
        for (data, from, want) in cases {
            assert_eq!(
                literal_string_close(data, from),
                want,
                "{}",
                String::from_utf8_lossy(data)
            );
        }
    }

    #[test]
    fn object_end_table() {
        // (text, end)
        let cases: &[(&str, Option<usize>)] = &[
            ("<< /A 1 /B [1 2 (x)] >> 5", Some(23)),
            ("12 0 R 13", Some(6)),
            ("12 13", Some(2)),
            ("<< /F 26 0 R >>", Some(15)),
            ("(a (b) \\) c) x", Some(12)),
            ("<41 42> x", Some(7)),
            ("/Name x", Some(5)),
            ("[1 2", None),
            ("<< /A 1 >> >>", Some(10)),
            ("]", None),
            ("endobj", None),
            ("  % note\n true", Some(14)),
            // a stray word is no object; inside one it is left to the parser
            ("\u{9c}<< /A 1 >>", None),
            ("q", None),
            ("[1 q]", Some(5)),
        ];
        for (text, end) in cases {
            assert_eq!(object_end(text.as_bytes(), 0, 64), *end, "{text}");
        }
        assert_eq!(object_end(b"[[[1]]]", 0, 2), None);
    }

    /// An object stream's data: the table and `objects`, `/First`.
    fn objstm(objects: &[(u32, &str)]) -> (Vec<u8>, usize) {
        let mut head = String::new();
        let mut body = String::new();
        for (n, o) in objects {
            head.push_str(&format!("{n} {} ", body.len()));
            body.push_str(o);
            body.push('\n');
        }
        head.push('\n');
        let first = head.len();
        ((head + &body).into_bytes(), first)
    }

    #[test]
    fn scan_table() {
        let objs = [(5, "<< /Type /Page >>"), (6, "42"), (7, "[1 2 3]")];
        let (data, first) = objstm(&objs);
        let spans = |s: &Scanned| -> Vec<(u32, String)> {
            s.found
                .iter()
                .map(|(n, (a, b))| (*n, String::from_utf8_lossy(&data[*a..*b]).into_owned()))
                .collect()
        };
        let all: Vec<(u32, String)> = objs.iter().map(|(n, o)| (*n, o.to_string())).collect();
        // (/First, /N, agrees)
        let cases: &[(Option<usize>, Option<usize>, bool)] = &[
            (Some(first), Some(3), true),
            (Some(first - 1), Some(3), true), // within the white space: kept, agrees
            (Some(first + 3), Some(3), false),
            (Some(first - 4), Some(3), false),
            (None, Some(3), false),
            (Some(first), Some(2), false),
            (Some(first), Some(5), false),
        ];
        for &(f, n, agrees) in cases {
            let s = scan(&data, f, n, 64);
            assert_eq!(spans(&s), all, "{f:?} {n:?}");
            assert!(s.lost.is_empty(), "{f:?} {n:?}");
            assert_eq!(s.agrees, agrees && f == Some(s.body), "{f:?} {n:?}");
        }
        // an offset flipped: the objects are found in order
        let bad = String::from_utf8(data.clone())
            .expect("utf8")
            .replacen("6 18", "6 13", 1);
        let s = scan(bad.as_bytes(), Some(first), Some(3), 64);
        assert!(!s.agrees);
        assert_eq!(s.found.len(), 3, "{s:?}");
        // cut short: the last object is lost
        let s = scan(&data[..data.len() - 5], Some(first), Some(3), 64);
        assert_eq!(s.found.len(), 2);
        assert_eq!(s.lost, vec![Some(7)]);
        // an object number unreadable
        let bad = String::from_utf8(data.clone())
            .expect("utf8")
            .replacen("6 18", "x 18", 1);
        let s = scan(bad.as_bytes(), Some(first), Some(3), 64);
        assert_eq!(s.lost, vec![None]);
        assert_eq!(s.found.len(), 2);
    }

    /// A bracket damaged into the dictionary ends it early, and the rest of it is no object: the
    /// next one is taken where the table places it, not the name left over.
    #[test]
    fn a_stray_name_is_not_taken_for_the_next_object() {
        // (damaged first object, its span as found, the second's)
        let cases: &[(&str, &str, &str)] = &[
            ("<< /A 1 /B 3 >>", "<< /A 1 /B 3 >>", "<< /C 4 >>"),
            ("<< /A 1]/B 3 >>", "<< /A 1]", "<< /C 4 >>"),
        ];
        for (first_obj, want5, want6) in cases {
            let (data, first) = objstm(&[(5, first_obj), (6, "<< /C 4 >>")]);
            let s = scan(&data, Some(first), Some(2), 64);
            let spans: Vec<(u32, String)> = s
                .found
                .iter()
                .map(|(n, (a, b))| (*n, String::from_utf8_lossy(&data[*a..*b]).into_owned()))
                .collect();
            assert_eq!(
                spans,
                vec![(5, want5.to_string()), (6, want6.to_string())],
                "{first_obj}"
            );
        }
    }
}
