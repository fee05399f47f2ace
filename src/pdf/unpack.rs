//! Objects taken out of their object streams when the file's cross-reference data cannot say
//! where they are.
//!
//! A PDF 1.5 file keeps most of its objects (the catalog, the page tree, the pages, fonts'
//! dictionaries) inside object streams, and only its cross-reference stream says which object
//! stream holds which object. When that stream is damaged (a flipped byte in its compressed
//! data, a cut), scanning the file for `N G obj` headers finds the object streams but none of
//! the objects inside them, so the file has no catalog and no pages: lopdf, poppler and qpdf
//! all give up there. Each object stream also lists its objects (the table of `/N` pairs, object
//! number and offset from `/First`, at the start of its data), so here every object stream found
//! in the bytes is read by that table and its objects are written after the file as top-level
//! objects, followed by a trailer naming the catalog (the `/Root` of a cross-reference stream's
//! or trailer's dictionary, which stays readable when only the data after it is damaged, else the
//! object typed `/Catalog`). The file is then read with its table rebuilt by scanning, which finds
//! them as it finds any object. Flate data damaged part way gives the objects before the damage.

use memchr::memmem;

use super::objstm::{is_white, object_end};
use crate::limits::Limits;

/// An object header `N G obj` at a line's start: its number, generation and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    num: u32,
    gen: u16,
    at: usize,
}

/// Every `N G obj` header starting a line (after optional blanks), in file order.
fn headers(b: &[u8]) -> Vec<Header> {
    let mut out = Vec::new();
    for kw in memmem::find_iter(b, b"obj") {
        // `endobj`, `objstm` in a name, or a longer word: no header
        if b.get(kw + 3)
            .is_some_and(|&c| !is_white(c) && c != b'<' && c != b'[')
        {
            continue;
        }
        let mut i = kw;
        let mut fields = [(0usize, 0usize); 2];
        let mut ok = true;
        for f in fields.iter_mut().rev() {
            let end = i;
            while i > 0 && b.get(i - 1).is_some_and(|&c| c == b' ') {
                i -= 1;
            }
            if i == end {
                ok = false;
                break;
            }
            let digits_end = i;
            while i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit) {
                i -= 1;
            }
            if i == digits_end {
                ok = false;
                break;
            }
            *f = (i, digits_end);
        }
        let mut s = i;
        while s > 0 && b.get(s - 1).is_some_and(|&c| c == b' ' || c == b'\t') {
            s -= 1;
        }
        let line_start = s == 0 || b.get(s - 1).is_some_and(|&c| c == b'\n' || c == b'\r');
        if !ok || !line_start {
            continue;
        }
        let num = int(b, fields[0]).and_then(|n| u32::try_from(n).ok());
        let gen = int(b, fields[1]).and_then(|n| u16::try_from(n).ok());
        if let (Some(num), Some(gen)) = (num, gen) {
            out.push(Header { num, gen, at: i });
        }
    }
    out
}

fn int(b: &[u8], (from, to): (usize, usize)) -> Option<u64> {
    std::str::from_utf8(b.get(from..to)?).ok()?.parse().ok()
}

/// The integer after `key` in a dictionary's bytes (`/N 12`).
fn key_int(dict: &[u8], key: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = memmem::find(dict.get(from..)?, key) {
        let at = from + k + key.len();
        from = at;
        // `/N` must not match `/Names`
        if dict.get(at).is_some_and(|&c| !is_white(c)) {
            continue;
        }
        let s = dict.get(at..)?;
        let start = s.iter().position(|&c| !is_white(c))?;
        let len = s
            .get(start..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        return std::str::from_utf8(s.get(start..start + len)?)
            .ok()?
            .parse()
            .ok();
    }
    None
}

/// The reference after `key` (`/Root 15 0 R`) in the last dictionary of the file that has one.
fn last_ref(b: &[u8], key: &[u8]) -> Option<(u32, u16)> {
    memmem::rfind_iter(b, key).find_map(|k| {
        let s = b.get(k + key.len()..)?;
        let mut words = s.split(|&c| is_white(c)).filter(|w| !w.is_empty()).take(3);
        let num = std::str::from_utf8(words.next()?).ok()?.parse().ok()?;
        let gen = std::str::from_utf8(words.next()?).ok()?.parse().ok()?;
        let r = words.next()?;
        (r.first() == Some(&b'R')).then_some((num, gen))
    })
}

/// The data of an object stream between `stream` and `endstream`, inflated when it is Flate
/// data (as far as it inflates, at most `cap` bytes). None for other filters.
fn stream_data(region: &[u8], dict_end: usize, cap: usize) -> Option<Vec<u8>> {
    let dict = region.get(..dict_end)?;
    let mut start = dict_end + b"stream".len();
    if region.get(start) == Some(&b'\r') {
        start += 1;
    }
    if region.get(start) == Some(&b'\n') {
        start += 1;
    }
    let end = memmem::find(region.get(start..)?, b"endstream").map_or(region.len(), |e| start + e);
    let raw = region.get(start..end)?;
    let has_filter = memmem::find(dict, b"/Filter").is_some();
    if !has_filter {
        return Some(raw.to_vec());
    }
    let flate_only = memmem::find(dict, b"/FlateDecode").is_some()
        && memmem::find(dict, b"/DecodeParms").is_none();
    if !flate_only {
        return None;
    }
    let mut d = flate2::Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(raw.len().saturating_mul(4).min(cap).max(64));
    loop {
        if out.len() == out.capacity() {
            if out.len() >= cap {
                break;
            }
            let more = out.capacity().max(4096).min(cap - out.len());
            out.reserve_exact(more);
        }
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let Some(rest) = usize::try_from(before_in).ok().and_then(|i| raw.get(i..)) else {
            break;
        };
        match d.decompress_vec(rest, &mut out, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => break,
            Ok(_) if d.total_in() == before_in && d.total_out() == before_out => break,
            Ok(_) => {}
            // damaged part way: what inflated before the damage is kept
            Err(_) => break,
        }
    }
    Some(out)
}

/// The objects an object stream's table lists, each as `(number, its bytes)`, those that read
/// as one whole object.
fn listed(data: &[u8], n: usize, first: usize, max_depth: usize) -> Vec<(u32, Vec<u8>)> {
    let head = data.get(..first.min(data.len())).unwrap_or_default();
    let nums: Vec<usize> = head
        .split(|&c| is_white(c))
        .filter(|w| !w.is_empty())
        .map_while(|w| std::str::from_utf8(w).ok()?.parse().ok())
        .take(n.saturating_mul(2))
        .collect();
    let pairs: Vec<(usize, usize)> = nums
        .chunks_exact(2)
        .filter_map(|p| match p {
            [num, off] => Some((*num, *off)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (k, &(num, off)) in pairs.iter().enumerate() {
        let Some(start) = first.checked_add(off).filter(|&s| s < data.len()) else {
            continue;
        };
        let bound = pairs
            .get(k + 1)
            .and_then(|&(_, next)| first.checked_add(next))
            .filter(|&e| e > start)
            .map_or(data.len(), |e| e.min(data.len()));
        let Some(slice) = data.get(start..bound) else {
            continue;
        };
        let Some(end) = object_end(slice, 0, max_depth) else {
            continue;
        };
        let (Ok(num), Some(body)) = (u32::try_from(num), slice.get(..end)) else {
            continue;
        };
        out.push((num, body.trim_ascii().to_vec()));
    }
    out
}

/// The file with the objects of its object streams written after it as top-level objects and
/// a trailer naming its catalog, and how many objects were taken out; None when the file has no
/// object stream that gives one, or no catalog can be named, or it is encrypted (the data of its
/// object streams is then unreadable here).
pub(crate) fn unpacked(bytes: &[u8], limits: &Limits) -> Option<(Vec<u8>, usize)> {
    if memmem::find(bytes, b"/ObjStm").is_none() || memmem::find(bytes, b"/Encrypt").is_some() {
        return None;
    }
    let cap = usize::try_from(limits.max_stream_bytes).unwrap_or(usize::MAX);
    let heads = headers(bytes);
    let mut objects: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut total = 0usize;
    for (k, h) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map_or(bytes.len(), |n| n.at);
        let Some(region) = bytes.get(h.at..end) else {
            continue;
        };
        let Some(dict_end) = memmem::find(region, b"stream") else {
            continue;
        };
        let dict = region.get(..dict_end).unwrap_or_default();
        if memmem::find(dict, b"/ObjStm").is_none() {
            continue;
        }
        let (Some(n), Some(first)) = (key_int(dict, b"/N"), key_int(dict, b"/First")) else {
            continue;
        };
        let Some(data) = stream_data(region, dict_end, cap) else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total > cap.saturating_mul(8) || objects.len() > limits.max_objects {
            break;
        }
        objects.extend(listed(&data, n, first, limits.max_depth));
    }
    if objects.is_empty() {
        return None;
    }
    let catalog = |body: &[u8]| {
        let squeezed: Vec<u8> = body.iter().copied().filter(|&c| !is_white(c)).collect();
        memmem::find(&squeezed, b"/Type/Catalog").is_some()
    };
    let root = last_ref(bytes, b"/Root")
        .or_else(|| {
            objects
                .iter()
                .rev()
                .find(|(_, body)| catalog(body))
                .map(|(num, _)| (*num, 0))
        })
        .or_else(|| {
            // a catalog written as a top-level object
            heads.iter().rev().find_map(|h| {
                let end = memmem::find(bytes.get(h.at..)?, b"endobj")?;
                catalog(bytes.get(h.at..h.at + end)?).then_some((h.num, h.gen))
            })
        })?;
    let size = heads
        .iter()
        .map(|h| h.num)
        .chain(objects.iter().map(|(n, _)| *n))
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    let mut out =
        Vec::with_capacity(bytes.len() + objects.iter().map(|o| o.1.len() + 24).sum::<usize>());
    out.extend_from_slice(bytes);
    out.push(b'\n');
    for (num, body) in &objects {
        out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {} {} R >>\n%%EOF\n",
            root.0, root.1
        )
        .as_bytes(),
    );
    Some((out, objects.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of one object stream holding the catalog, the page tree and a page, and a
    /// cross-reference stream that is `xref` (no valid entries).
    fn packed(xref: &[u8], flate: bool) -> Vec<u8> {
        let objs = [
            (1, "<< /Type /Catalog /Pages 2 0 R >>"),
            (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            (3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"),
        ];
        let mut head = String::new();
        let mut data = String::new();
        for (num, body) in objs {
            head.push_str(&format!("{num} {} ", data.len()));
            data.push_str(body);
            data.push('\n');
        }
        head.push('\n');
        let first = head.len();
        let mut content = format!("{head}{data}").into_bytes();
        let filter = if flate {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&content).expect("deflate");
            content = e.finish().expect("deflate");
            " /Filter /FlateDecode"
        } else {
            ""
        };
        let mut out = b"%PDF-1.5\n".to_vec();
        out.extend_from_slice(
            format!(
                "4 0 obj\n<< /Type /ObjStm /N 3 /First {first}{filter} /Length {} >>\nstream\n",
                content.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&content);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        let at = out.len();
        out.extend_from_slice(
            format!(
                "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n",
                xref.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(xref);
        out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").as_bytes());
        out
    }

    #[test]
    fn objects_of_object_streams_become_top_level() {
        let limits = Limits::default();
        // (file, objects taken out)
        let cases = [
            (packed(b"\xff\xfe garbage", false), 3),
            (packed(b"\xff\xfe garbage", true), 3),
            (packed(b"", true), 3),
        ];
        for (file, want) in cases {
            let (out, n) = unpacked(&file, &limits).expect("unpacked");
            assert_eq!(n, want);
            let text = String::from_utf8_lossy(&out);
            assert!(text.contains("\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"));
            assert!(text.contains("\n3 0 obj\n<< /Type /Page /Parent 2 0 R"));
            assert!(
                text.ends_with("trailer\n<< /Size 6 /Root 1 0 R >>\n%%EOF\n"),
                "{text}"
            );
            let mut options = super::super::guard::load_options(&limits);
            options.force_reconstruct = true;
            let doc = lopdf::Document::load_mem_with_options(&out, options).expect("loads");
            assert_eq!(doc.get_pages().len(), 1);
        }
        // No object stream, or an encrypted file: nothing to do.
        assert!(unpacked(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n", &limits).is_none());
        let mut enc = packed(b"", false);
        enc.extend_from_slice(b"trailer << /Encrypt 9 0 R >>");
        assert!(unpacked(&enc, &limits).is_none());
    }

    #[test]
    fn headers_start_lines() {
        let b = b"1 0 obj\n<< >>\nendobj\n  12 3 obj<< >>endobj\n(5 0 obj) 7 0 objx\n";
        let got: Vec<(u32, u16)> = headers(b).iter().map(|h| (h.num, h.gen)).collect();
        assert_eq!(got, [(1, 0), (12, 3)]);
    }

    #[test]
    fn table_lists_objects_and_damage_keeps_the_ones_before() {
        let data = b"7 0 8 11 9 19\n<< /A 1 >>\n[1 2 3]\n(cut";
        let got = listed(data, 3, 14, 64);
        let nums: Vec<u32> = got.iter().map(|(n, _)| *n).collect();
        assert_eq!(nums, [7, 8]);
        assert_eq!(got[0].1, b"<< /A 1 >>");
    }
}
