//! A fixture PDF rewritten with object streams (PDF 1.5: every object that is not a stream
//! goes into an uncompressed `/Type /ObjStm` of a few objects each, found through a
//! cross-reference stream), and damaged variants of one of its object streams: bytes flipped in
//! its data (stored as written, or Flate-compressed), a wrong `/N`, a wrong `/First`, its data
//! cut short; or of its cross-reference stream: a byte flipped in its data, stored as written or
//! Flate-compressed. The file is written from scratch each time, so every offset in it is right
//! and only the one stream is damaged.

use super::Rng;

/// How one object stream is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    None,
    /// XOR the byte at this fraction (per mille) of the data with the value.
    Flip(usize, u8),
    /// Add to `/N` (wrapping at zero).
    N(i64),
    /// Add to `/First`.
    First(i64),
    /// Keep this fraction (per mille) of the data.
    Truncate(usize),
    /// The object stream's data Flate-compressed, then the byte at this fraction (per mille) of
    /// the compressed data XORed with the value (inflating stops at the damage).
    FlateFlip(usize, u8),
    /// XOR the byte at this fraction (per mille) of the cross-reference stream's data with the
    /// value; the data Flate-compressed first when the flag is set (as most writers store it).
    Xref(usize, u8, bool),
}

/// An indirect object as written in a classic PDF.
struct Obj<'a> {
    num: u32,
    gen: u16,
    /// From after `obj` to before `endobj`.
    body: &'a [u8],
    stream: bool,
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `N G obj` at `at`: the numbers and where `obj` ends.
fn header(b: &[u8], at: usize) -> Option<(u32, u16, usize)> {
    let mut i = at;
    let mut nums = [0u64; 2];
    for n in &mut nums {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            *n = *n * 10 + u64::from(b[i] - b'0');
            i += 1;
        }
        if i == s || b.get(i) != Some(&b' ') {
            return None;
        }
        i += 1;
    }
    if b.get(i..i + 3) != Some(b"obj") {
        return None;
    }
    Some((
        u32::try_from(nums[0]).ok()?,
        u16::try_from(nums[1]).ok()?,
        i + 3,
    ))
}

fn objects(b: &[u8]) -> Vec<Obj<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let line_start = at == 0 || matches!(b[at - 1], b'\n' | b'\r');
        if let Some((num, gen, body)) = line_start.then(|| header(b, at)).flatten() {
            // a stream's data may hold anything: its object ends after `endstream`
            let end_kw = find(b, body, b"endobj");
            let stream_kw = find(b, body, b"stream").filter(|&s| end_kw.is_none_or(|e| s < e));
            let end = match stream_kw {
                Some(s) => find(b, s, b"endstream").and_then(|e| find(b, e, b"endobj")),
                None => end_kw,
            };
            let Some(end) = end else { break };
            out.push(Obj {
                num,
                gen,
                body: &b[body..end],
                stream: stream_kw.is_some(),
            });
            at = end + 6;
        } else {
            at += 1;
        }
    }
    out
}

/// The reference after `key` in the last trailer, as written (`N G R`).
fn trailer_ref(b: &[u8], key: &[u8]) -> Option<String> {
    let t = b.windows(7).rposition(|w| w == b"trailer")?;
    let k = find(b, t, key)? + key.len();
    let r = find(b, k, b"R")?;
    Some(String::from_utf8_lossy(&b[k..=r]).trim().to_string())
}

/// `pdf` rewritten with object streams of `per` objects each, the object stream numbered
/// `which` (0-based, wrapping) damaged as said.
pub fn rewrite(pdf: &[u8], per: usize, which: usize, damage: Damage) -> Option<Vec<u8>> {
    let objs = objects(pdf);
    let root = trailer_ref(pdf, b"/Root")?;
    let info = trailer_ref(pdf, b"/Info");
    let max = objs.iter().map(|o| o.num).max()?;
    let packed: Vec<&Obj> = objs.iter().filter(|o| !o.stream && o.gen == 0).collect();
    let groups: Vec<&[&Obj]> = packed.chunks(per.max(1)).collect();
    if groups.is_empty() {
        return None;
    }
    let which = which % groups.len();
    let size = max as usize + groups.len() + 2;
    // (type, field 2, field 3) per object number
    let mut xref: Vec<(u8, u32, u16)> = vec![(0, 0, 65535); size];
    let mut out = b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n".to_vec();
    for o in objs.iter().filter(|o| o.stream || o.gen != 0) {
        xref[o.num as usize] = (1, out.len() as u32, o.gen);
        out.extend_from_slice(format!("{} {} obj", o.num, o.gen).as_bytes());
        out.extend_from_slice(o.body);
        out.extend_from_slice(b"endobj\n");
    }
    for (g, group) in groups.iter().enumerate() {
        let num = max + 1 + g as u32;
        let mut head = String::new();
        let mut data = Vec::new();
        for (i, o) in group.iter().enumerate() {
            xref[o.num as usize] = (2, num, i as u16);
            head.push_str(&format!("{} {} ", o.num, data.len()));
            data.extend_from_slice(o.body.trim_ascii());
            data.push(b'\n');
        }
        head.push('\n');
        let mut first = head.len() as i64;
        let mut n = group.len() as i64;
        let mut content = [head.into_bytes(), data].concat();
        let mut filter = "";
        if g == which {
            match damage {
                Damage::None | Damage::Xref(..) => {}
                Damage::Flip(at, x) => {
                    let at = (content.len() * at / 1000).min(content.len() - 1);
                    content[at] ^= x.max(1);
                }
                Damage::N(d) => n = (n + d).max(0),
                Damage::First(d) => first = (first + d).max(0),
                Damage::Truncate(keep) => content.truncate(content.len() * keep / 1000),
                Damage::FlateFlip(at, x) => {
                    use std::io::Write;
                    let mut e =
                        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
                    e.write_all(&content).ok()?;
                    content = e.finish().ok()?;
                    let at = (content.len() * at / 1000).min(content.len() - 1);
                    content[at] ^= x.max(1);
                    filter = " /Filter /FlateDecode";
                }
            }
        }
        xref[num as usize] = (1, out.len() as u32, 0);
        out.extend_from_slice(
            format!(
                "{num} 0 obj\n<< /Type /ObjStm /N {n} /First {first}{filter} /Length {} >>\nstream\n",
                content.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&content);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let xnum = size - 1;
    xref[xnum] = (1, out.len() as u32, 0);
    let mut data = Vec::new();
    for (t, a, b) in &xref {
        data.push(*t);
        data.extend_from_slice(&a.to_be_bytes());
        data.extend_from_slice(&b.to_be_bytes());
    }
    let info = info.map_or_else(String::new, |i| format!(" /Info {i}"));
    let mut filter = "";
    if let Damage::Xref(at, x, flate) = damage {
        if flate {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&data).ok()?;
            data = e.finish().ok()?;
            filter = " /Filter /FlateDecode";
        }
        let at = (data.len() * at / 1000).min(data.len() - 1);
        data[at] ^= x.max(1);
    }
    out.extend_from_slice(
        format!(
            "{xnum} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root {root}{info}{filter} /Length {} >>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    let start = xref[xnum].1;
    out.extend_from_slice(&data);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{start}\n%%EOF\n").as_bytes());
    Some(out)
}

/// The undamaged rewrite and `n` damaged ones of each kind, named by kind.
pub fn variants(pdf: &[u8], n: usize, rng: &mut Rng) -> Vec<(&'static str, Vec<u8>)> {
    let per = 6;
    let mut out = Vec::new();
    if let Some(b) = rewrite(pdf, per, 0, Damage::None) {
        out.push(("objstm", b));
    }
    for _ in 0..n {
        let which = rng.below(64);
        let flip = Damage::Flip(rng.below(1000), (rng.below(255) + 1) as u8);
        let d = 1 + rng.below(3) as i64;
        let sign = if rng.below(2) == 0 { 1 } else { -1 };
        for (kind, damage) in [
            ("objstm-flip", flip),
            ("objstm-n", Damage::N(sign * d)),
            // lower by more than the white space (two bytes) before the first object
            (
                "objstm-first",
                Damage::First(if sign > 0 { d } else { -2 - d }),
            ),
            ("objstm-truncate", Damage::Truncate(300 + rng.below(650))),
        ] {
            if let Some(b) = rewrite(pdf, per, which, damage) {
                out.push((kind, b));
            }
        }
    }
    // drawn after the object streams' damage, which stays as it was drawn before these came
    for _ in 0..n {
        for (kind, flate) in [("xrefstm-flip", false), ("xrefstm-flate-flip", true)] {
            let damage = Damage::Xref(rng.below(1000), (rng.below(255) + 1) as u8, flate);
            if let Some(b) = rewrite(pdf, per, 0, damage) {
                out.push((kind, b));
            }
        }
        let which = rng.below(64);
        let damage = Damage::FlateFlip(rng.below(1000), (rng.below(255) + 1) as u8);
        if let Some(b) = rewrite(pdf, per, which, damage) {
            out.push(("objstm-flate-flip", b));
        }
    }
    out
}
