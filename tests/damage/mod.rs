//! Damaged variants of the project's fixture PDFs and texts, for the recovery test
//! (tests/recovery.rs) and the recovery benchmark (benches/recovery.rs).
//!
//! Every variant is made from the undamaged bytes by one kind of damage, at places drawn from a
//! fixed seed, so a run is repeatable:
//! - `flip`: one byte anywhere in the file XORed with a random non-zero value;
//! - `stream-flip`: one byte inside a stream's data;
//! - `truncate`: the file cut at a fraction of its length (texts: in the middle of a character);
//! - `deep-unused`: an object holding a 200-deep array under a key nothing reads, appended
//!   after the end of the file (every offset stays valid);
//! - `deep-catalog`: the same array inserted under an unused key of the catalog (offsets shift);
//! - `xref-*`: the `startxref` offset zeroed, the `xref` keyword broken, an entry's offset
//!   changed;
//! - `length-*`: a stream's `/Length` made too long or too short, misspelt (missing), pointing
//!   to another object, or its object holding a wrong number ([`length_variants`]);
//! - `objstm`, `objstm-*`: the file rewritten with object streams ([`objstm`]), undamaged, and
//!   with one object stream's data flipped or cut short, or its `/N` or `/First` wrong;
//! - `sjis`, `invalid-byte`: texts re-encoded as Shift_JIS, with one byte of a character flipped.
#![allow(dead_code)]

pub mod objstm;

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One damaged input.
pub struct Variant {
    /// `fixture-name:kind:n`.
    pub name: String,
    /// The undamaged fixture.
    pub source: PathBuf,
    pub kind: &'static str,
    pub bytes: Vec<u8>,
    /// For texts: the 1-based line the damage is on (None: a PDF).
    pub line: Option<u32>,
    /// The undamaged bytes this variant was made from (a text re-encoded, for Shift_JIS).
    pub original: Arc<Vec<u8>>,
}

/// A small deterministic generator (xorshift64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The data ranges of the streams of a PDF (between `stream` + EOL and `endstream`).
pub fn stream_ranges(pdf: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = find(pdf, at, b"stream") {
        // skip `endstream`
        if p >= 3 && &pdf[p - 3..p] == b"end" {
            at = p + 6;
            continue;
        }
        let mut start = p + 6;
        if pdf.get(start) == Some(&b'\r') {
            start += 1;
        }
        if pdf.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(end) = find(pdf, start, b"endstream") else {
            break;
        };
        if end > start + 16 {
            out.push((start, end));
        }
        at = end + 9;
    }
    out
}

fn deep_array(depth: usize) -> Vec<u8> {
    [b"[".repeat(depth), b"1".to_vec(), b"]".repeat(depth)].concat()
}

/// The damaged variants of one PDF: `per_kind` of each random kind.
pub fn pdf_variants(path: &Path, per_kind: usize, seed: u64) -> Vec<Variant> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let base = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    let original = Arc::new(bytes.clone());
    let mut push = |kind: &'static str, n: usize, b: Vec<u8>| {
        out.push(Variant {
            name: format!("{base}:{kind}:{n}"),
            source: path.to_path_buf(),
            kind,
            bytes: b,
            line: None,
            original: Arc::clone(&original),
        })
    };
    for n in 0..per_kind {
        let mut b = bytes.clone();
        let at = rng.below(b.len());
        b[at] ^= (rng.below(255) + 1) as u8;
        push("flip", n, b);
    }
    let streams = stream_ranges(&bytes);
    for n in 0..per_kind {
        if streams.is_empty() {
            break;
        }
        let (s, e) = streams[rng.below(streams.len())];
        let mut b = bytes.clone();
        let at = s + rng.below(e - s);
        b[at] ^= (rng.below(255) + 1) as u8;
        push("stream-flip", n, b);
    }
    for n in 0..per_kind.div_ceil(2) {
        let frac = 0.3 + 0.68 * (rng.below(1000) as f64 / 1000.0);
        let cut = (bytes.len() as f64 * frac) as usize;
        push("truncate", n, bytes[..cut].to_vec());
    }
    // deep nesting under keys nothing reads
    let mut b = bytes.clone();
    b.extend_from_slice(b"\n99999 0 obj\n<< /Unused ");
    b.extend(deep_array(200));
    b.extend_from_slice(b" >>\nendobj\n");
    push("deep-unused", 0, b);
    if let Some(cat) =
        find(&bytes, 0, b"/Type /Catalog").or_else(|| find(&bytes, 0, b"/Type/Catalog"))
    {
        let mut b = bytes[..cat].to_vec();
        b.extend_from_slice(b"/Unused ");
        b.extend(deep_array(200));
        b.push(b' ');
        b.extend_from_slice(&bytes[cat..]);
        push("deep-catalog", 0, b);
    }
    // broken cross-reference data
    if let Some(sx) = rfind(&bytes, b"startxref") {
        let mut b = bytes.clone();
        let mut i = sx + 9;
        while i < b.len() && !b[i].is_ascii_digit() {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            b[i] = b'0';
            i += 1;
        }
        push("xref-startxref", 0, b);
    }
    if let Some(x) = rfind(&bytes, b"\nxref") {
        let mut b = bytes.clone();
        b[x + 2] = b'X';
        push("xref-keyword", 0, b);
        // change the offset of a few entries (10-digit fields after the subsection header)
        let entries: Vec<usize> = (x..bytes.len().saturating_sub(20))
            .filter(|&i| {
                bytes[i] == b'\n'
                    && bytes[i + 1..i + 11].iter().all(u8::is_ascii_digit)
                    && bytes.get(i + 17) == Some(&b' ')
            })
            .collect();
        for n in 0..per_kind.div_ceil(3) {
            if entries.len() < 2 {
                break;
            }
            let e = entries[1 + rng.below(entries.len() - 1)];
            let mut b = bytes.clone();
            let digit = e + 1 + 5 + rng.below(5);
            b[digit] = b'0' + ((b[digit] - b'0' + 1 + rng.below(8) as u8) % 10);
            push("xref-entry", n, b);
        }
    }
    // wrong /Length values, each written in the same width so every offset stays valid
    for (kind, n, b) in length_variants(&bytes, per_kind.div_ceil(3), &mut rng) {
        push(kind, n, b);
    }
    // rewritten with object streams, undamaged and with one object stream damaged
    for (n, (kind, b)) in objstm::variants(&bytes, per_kind.div_ceil(4), &mut rng)
        .into_iter()
        .enumerate()
    {
        push(kind, n, b);
    }
    out
}

/// Where each `/Length` value starts (after `/Length `), and whether it is a reference.
fn length_values(bytes: &[u8]) -> Vec<(usize, bool)> {
    (0..bytes.len().saturating_sub(9))
        .filter(|&i| &bytes[i..i + 8] == b"/Length " && bytes[i + 8].is_ascii_digit())
        .map(|i| {
            let mut e = i + 8;
            while e < bytes.len() && bytes[e].is_ascii_digit() {
                e += 1;
            }
            let r = bytes.get(e..e + 4).is_some_and(|w| {
                w[0] == b' ' && w[1].is_ascii_digit() && w[2] == b' ' && w[3] == b'R'
            });
            (i + 8, r)
        })
        .collect()
}

/// The digits starting at `at`.
fn digits(bytes: &[u8], at: usize) -> std::ops::Range<usize> {
    let mut end = at;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    at..end
}

/// One digit of the number at `ds` changed to another (a first digit never to 0); with
/// `keep_last`, not the last digit of a number of several (a length one or two more or less
/// than the data still ends at the end of line before `endstream`, which is no damage).
fn change_digit(b: &mut [u8], ds: std::ops::Range<usize>, rng: &mut Rng, keep_last: bool) {
    let choices = if keep_last && ds.len() > 1 {
        ds.len() - 1
    } else {
        ds.len()
    };
    let d = ds.start + rng.below(choices);
    let was = b[d] - b'0';
    let low = u8::from(d == ds.start && ds.len() > 1);
    let mut to = low + rng.below(usize::from(10 - low)) as u8;
    if to == was {
        to = if was == 9 { low } else { was + 1 };
    }
    b[d] = b'0' + to;
}

/// Variants with wrong `/Length`s, `n` of each kind that the file allows:
/// - `length-long`, `length-short`: a direct length made larger or smaller;
/// - `length-missing`: the `/Length` key misspelt, so the stream has none;
/// - `length-ref`: an indirect length pointing to another object;
/// - `length-ref-value`: the object an indirect length points to holding a wrong number.
pub fn length_variants(
    bytes: &[u8],
    n: usize,
    rng: &mut Rng,
) -> Vec<(&'static str, usize, Vec<u8>)> {
    let values = length_values(bytes);
    let direct: Vec<usize> = values.iter().filter(|v| !v.1).map(|v| v.0).collect();
    let refs: Vec<usize> = values.iter().filter(|v| v.1).map(|v| v.0).collect();
    let mut out = Vec::new();
    for i in 0..n {
        if direct.is_empty() {
            break;
        }
        let at = direct[rng.below(direct.len())];
        let ds = digits(bytes, at);
        // longer: raise a digit that is not 9 (or add to the last one)
        let mut b = bytes.to_vec();
        if let Some(d) = ds.clone().find(|&d| b[d] != b'9') {
            b[d] += 1 + rng.below((b'9' - b[d]) as usize) as u8;
            out.push(("length-long", i, b));
        }
        // shorter: lower a digit that is not 0 (never the first to 0)
        let mut b = bytes.to_vec();
        if let Some(d) = ds
            .clone()
            .rev()
            .find(|&d| b[d] > b'1' || (b[d] == b'1' && d > ds.start))
        {
            b[d] -= 1 + rng
                .below((b[d] - b'0') as usize)
                .min((b[d] - b'1') as usize) as u8;
            out.push(("length-short", i, b));
        }
        let mut b = bytes.to_vec();
        b[at - 7] = b'x'; // `/Length` becomes `/Lxngth`
        out.push(("length-missing", i, b));
    }
    for i in 0..n {
        if refs.is_empty() {
            break;
        }
        let at = refs[rng.below(refs.len())];
        let ds = digits(bytes, at);
        let mut b = bytes.to_vec();
        change_digit(&mut b, ds.clone(), rng, false);
        out.push(("length-ref", i, b));
        // the number object itself: `N 0 obj` then the digits
        let target = std::str::from_utf8(&bytes[ds.clone()]).unwrap_or("0");
        let header = format!("\n{target} 0 obj");
        if let Some(h) = find(bytes, 0, header.as_bytes()) {
            let mut v = h + header.len();
            while v < bytes.len() && !bytes[v].is_ascii_digit() {
                v += 1;
            }
            let vs = digits(bytes, v);
            if !vs.is_empty() && vs.len() < 12 {
                let mut b = bytes.to_vec();
                change_digit(&mut b, vs, rng, true);
                out.push(("length-ref-value", i, b));
            }
        }
    }
    out
}

/// 1-based line of a byte offset.
fn line_at(bytes: &[u8], at: usize) -> u32 {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// The damaged variants of one UTF-8 text, as UTF-8 and as Shift_JIS: `per_kind` bytes of
/// characters flipped to bytes that are not valid there, and cuts in the middle of a character.
pub fn text_variants(path: &Path, per_kind: usize, seed: u64) -> Vec<Variant> {
    let utf8 = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8(utf8.clone()).expect("fixture texts are UTF-8");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let base = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for (enc, bytes) in [("utf8", utf8), ("sjis", sjis.into_owned())] {
        // lead bytes of multi-byte characters
        let leads: Vec<usize> = match enc {
            "utf8" => (0..bytes.len())
                .filter(|&i| bytes[i] >= 0xC2 && bytes[i] < 0xF5)
                .collect(),
            _ => {
                let mut v = Vec::new();
                let mut i = 0;
                while i < bytes.len() {
                    let b = bytes[i];
                    if (0x81..=0x9F).contains(&b) || (0xE0..=0xFC).contains(&b) {
                        v.push(i);
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                v
            }
        };
        if leads.is_empty() {
            continue;
        }
        let original = Arc::new(bytes.clone());
        for n in 0..per_kind {
            let at = leads[rng.below(leads.len())];
            let mut b = bytes.clone();
            // a byte that cannot follow a lead byte (UTF-8) or start/continue a pair (Shift_JIS)
            b[at + 1] = if enc == "utf8" {
                0x20 + rng.below(90) as u8
            } else {
                0x7F
            };
            out.push(Variant {
                name: format!("{base}:{enc}:invalid-byte:{n}"),
                source: path.to_path_buf(),
                kind: "invalid-byte",
                line: Some(line_at(&b, at)),
                bytes: b,
                original: Arc::clone(&original),
            });
        }
        for n in 0..per_kind.div_ceil(3) {
            let at = leads[leads.len() / 2 + rng.below(leads.len() / 2)];
            out.push(Variant {
                name: format!("{base}:{enc}:truncate:{n}"),
                source: path.to_path_buf(),
                kind: "truncate",
                line: Some(line_at(&bytes, at)),
                bytes: bytes[..at + 1].to_vec(),
                original: Arc::clone(&original),
            });
        }
    }
    out
}
