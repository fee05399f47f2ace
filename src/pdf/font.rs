//! Fonts: splitting strings into character codes, widths, and Unicode for each code.
//!
//! Unicode comes, in order, from the font's ToUnicode map; for CID fonts from the encoding CMap
//! (predefined Unicode CMaps), the character collection (Adobe-Japan1 …) or the embedded TrueType
//! font's own cmap; for simple fonts from /Differences glyph names, the font program's built-in
//! encoding and the base encoding. Each code is resolved once per font and cached.

use std::cell::RefCell;
use std::rc::Rc;

use lopdf::{Dictionary, Object};

use super::cmap::{self, CMap};
use super::doc::{num, Pdf};
use super::encoding::SimpleEncoding;
use super::interp::FastMap;
use super::truetype::{self, FontProgram};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FontKind {
    Simple,
    Type3,
    Cid,
}

/// The encoding CMap of a CID font.
enum EncodingMap {
    Static(&'static CMap),
    Owned(Box<CMap>),
}

impl EncodingMap {
    fn get(&self) -> &CMap {
        match self {
            EncodingMap::Static(c) => c,
            EncodingMap::Owned(c) => c,
        }
    }
}

/// What one code resolves to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decoded {
    /// Unicode text, or None when the code cannot be mapped.
    pub text: Option<Box<str>>,
    /// Horizontal advance in text space units per unit font size (glyph width / 1000).
    pub width: f32,
    /// Vertical advance (negative: downwards) for vertical writing, per unit font size.
    pub vadvance: f32,
    /// Single-byte code 32: word spacing applies.
    pub word_space: bool,
    pub class: Class,
}

impl Decoded {
    fn emit(&self, out: &mut String) -> Metrics {
        if let Some(t) = &self.text {
            out.push_str(t);
        }
        Metrics {
            mapped: self.text.is_some(),
            width: self.width,
            vadvance: self.vadvance,
            word_space: self.word_space,
            class: self.class,
        }
    }
}

/// Metrics of a decoded code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Metrics {
    pub mapped: bool,
    pub width: f32,
    pub vadvance: f32,
    pub word_space: bool,
    pub class: Class,
}

/// Where the Unicode of a code came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    ToUnicode,
    Other,
}

pub(crate) struct Font {
    /// /BaseFont, for messages.
    pub name: String,
    /// Position in the document's font cache.
    pub index: usize,
    pub kind: FontKind,
    pub vertical: bool,
    /// Glyph height as a fraction of the font size (1 for ordinary fonts; Type3 from its matrix).
    pub height: f32,
    /// CID fonts: the encoding CMap (None: Identity).
    encoding_map: Option<EncodingMap>,
    to_unicode: Option<CMap>,
    /// Character collection (registry, ordering) of a CID font.
    collection: Option<(String, String)>,
    /// CIDFontType2 CIDToGIDMap stream (None: identity).
    cid_to_gid: Option<Vec<u8>>,
    /// The embedded font program, when it knows the Unicode of its glyphs.
    program: Option<Rc<FontProgram>>,
    /// Embedded TrueType CID font: prefer its cmap over the collection.
    truetype_first: bool,
    /// Simple fonts: Unicode per code from /Differences, the built-in and the base encoding.
    simple: Option<SimpleEncoding>,
    simple_widths: Vec<f32>,
    first_char: u32,
    missing_width: f32,
    cid_widths: Vec<(u32, u32, f32)>,
    default_width: f32,
    cid_vmetrics: Vec<(u32, u32, f32)>,
    default_vadvance: f32,
    /// Text-space units per glyph-space unit (0.001, or a Type3 font's matrix).
    scale: f32,
    cache: RefCell<FastMap<u64, Decoded>>,
    /// ToUnicode mappings checked against the font's own cmap, and how many disagreed.
    disagreements: RefCell<(u32, u32)>,
    /// A font whose dictionary is missing or damaged beyond reading: the reference (`12 0 R`);
    /// its glyphs are lost.
    pub lost: Option<String>,
}

impl Font {
    /// A stand-in for a font that is missing or broken: one-byte codes, nothing mapped.
    pub fn missing() -> Self {
        Font::blank(FontKind::Simple)
    }

    fn blank(kind: FontKind) -> Self {
        Font {
            name: String::new(),
            index: 0,
            kind,
            vertical: false,
            height: 1.0,
            encoding_map: None,
            to_unicode: None,
            collection: None,
            cid_to_gid: None,
            program: None,
            truetype_first: false,
            simple: None,
            simple_widths: Vec::new(),
            first_char: 0,
            missing_width: 0.0,
            cid_widths: Vec::new(),
            default_width: 1000.0,
            cid_vmetrics: Vec::new(),
            default_vadvance: -1000.0,
            scale: 0.001,
            cache: RefCell::new(FastMap::default()),
            disagreements: RefCell::new((0, 0)),
            lost: None,
        }
    }

    /// A stand-in for a font whose reference (`n g R`) leads to nothing readable: as
    /// [`Font::missing`], marked lost.
    pub fn lost(reference: String) -> Self {
        let mut f = Font::missing();
        f.lost = Some(reference);
        f
    }

    /// Load a font from its dictionary.
    pub fn load(pdf: &Pdf, dict: &Dictionary) -> Font {
        let subtype = pdf.get_name(dict, b"Subtype").unwrap_or_default();
        let mut font = match subtype {
            b"Type0" => load_type0(pdf, dict),
            b"Type3" => load_simple(pdf, dict, FontKind::Type3),
            _ => load_simple(pdf, dict, FontKind::Simple),
        };
        font.name = String::from_utf8_lossy(pdf.get_name(dict, b"BaseFont").unwrap_or_default())
            .into_owned();
        // Only a stream is a map: a name here (`/Identity-H`) is ignored, as viewers do.
        if let Some(Object::Stream(s)) = pdf.get(dict, b"ToUnicode") {
            if let Ok(data) = pdf.stream_bytes(s) {
                font.to_unicode = CMap::parse(&data).filter(|cm| cm.unicode_entries() > 0);
            }
        }
        font
    }

    /// Split the next code off a string: (code, length in bytes).
    pub fn next_code(&self, bytes: &[u8]) -> Option<(u32, usize)> {
        if bytes.is_empty() {
            return None;
        }
        match (&self.encoding_map, self.kind) {
            (Some(m), _) => {
                let (code, len) = m.get().next_code(bytes);
                (len > 0).then_some((code, len))
            }
            (None, FontKind::Cid) => {
                let head = bytes.get(..2.min(bytes.len()))?;
                Some((
                    head.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)),
                    head.len(),
                ))
            }
            (None, _) => bytes.first().map(|b| (u32::from(*b), 1)),
        }
    }

    /// Resolve a code (cached): its text is appended to `out`.
    pub fn decode(&self, code: u32, len: usize, out: &mut String) -> Metrics {
        let key = u64::from(code) | ((len as u64) << 32);
        if let Some(d) = self.cache.borrow().get(&key) {
            return d.emit(out);
        }
        let d = self.resolve(code, len);
        let m = d.emit(out);
        self.cache.borrow_mut().insert(key, d);
        m
    }

    fn cid(&self, code: u32, len: usize) -> Option<u32> {
        match (&self.encoding_map, self.kind) {
            (Some(m), _) => m.get().lookup_cid(code, len),
            _ => Some(code),
        }
    }

    fn resolve(&self, code: u32, len: usize) -> Decoded {
        let cid = self.cid(code, len);
        let (width, vadvance) = match self.kind {
            FontKind::Cid => {
                let c = cid.unwrap_or(0);
                (
                    lookup_metric(&self.cid_widths, c).unwrap_or(self.default_width),
                    lookup_metric(&self.cid_vmetrics, c).unwrap_or(self.default_vadvance),
                )
            }
            _ => {
                let w = code
                    .checked_sub(self.first_char)
                    .and_then(|i| self.simple_widths.get(i as usize).copied())
                    .unwrap_or(self.missing_width);
                (w, -1000.0)
            }
        };
        let mut raw = String::new();
        let mut found: Option<(Box<str>, Source)> = None;
        if let Some(tu) = &self.to_unicode {
            if tu.lookup_unicode_into(code, &mut raw) {
                found = clean(&raw).map(|t| (t, Source::ToUnicode));
            }
        }
        if found.is_none() {
            raw.clear();
            if self.unicode_without_tounicode(code, len, cid, &mut raw) {
                found = clean(&raw).map(|t| (t, Source::Other));
            }
        }
        if let Some((t, Source::ToUnicode)) = &found {
            self.check_against_font(t, code, len, cid);
        }
        let class = found.as_ref().map_or(Class::Other, |(t, _)| classify(t));
        Decoded {
            text: found.map(|(t, _)| t),
            class,
            width: width * self.scale,
            vadvance: vadvance * self.scale,
            word_space: len == 1 && code == 32,
        }
    }

    /// Compare a ToUnicode mapping with what the embedded font's own cmap says (CID fonts).
    fn check_against_font(&self, t: &str, code: u32, len: usize, cid: Option<u32>) {
        if self.kind != FontKind::Cid || self.program.is_none() {
            return;
        }
        let mut other = String::new();
        if !self.unicode_without_tounicode(code, len, cid, &mut other) {
            return;
        }
        if let Some(o) = clean(&other).filter(|o| !o.trim().is_empty()) {
            let mut d = self.disagreements.borrow_mut();
            d.0 += 1;
            if t.trim() != o.trim() {
                d.1 += 1;
            }
        }
    }

    fn unicode_without_tounicode(
        &self,
        code: u32,
        _len: usize,
        cid: Option<u32>,
        out: &mut String,
    ) -> bool {
        match self.kind {
            FontKind::Cid => {
                let Some(cid) = cid else { return false };
                if self.truetype_first && self.truetype_char(cid, out) {
                    return true;
                }
                // Predefined Unicode CMaps (the code is the character) and named CMaps of a
                // collection.
                if let Some(m) = &self.encoding_map {
                    let m = m.get();
                    if !m.is_identity() && m.lookup_unicode_into(code, out) {
                        return true;
                    }
                }
                if let Some((reg, ord)) = &self.collection {
                    if cmap::cid_to_unicode_into(reg, ord, cid, out) {
                        return true;
                    }
                }
                !self.truetype_first && self.truetype_char(cid, out)
            }
            FontKind::Simple | FontKind::Type3 => match (&self.simple, u8::try_from(code)) {
                (Some(enc), Ok(c)) => enc.lookup_into(c, out),
                _ => false,
            },
        }
    }

    /// Unicode of a CID through the embedded font program: CID → glyph (CID-keyed CFF charset,
    /// `/CIDToGIDMap`, or identity) → the program's own Unicode data.
    fn truetype_char(&self, cid: u32, out: &mut String) -> bool {
        let Some(program) = &self.program else {
            return false;
        };
        let gid = if program.is_cid_keyed() {
            program.cid_to_gid(cid)
        } else {
            match &self.cid_to_gid {
                None => u16::try_from(cid).ok(),
                Some(map) => truetype::cid_to_gid(map, cid),
            }
        };
        gid.is_some_and(|g| program.gid_to_unicode_into(g, out))
    }

    /// ToUnicode mappings checked against the font's own cmap, and how many disagreed.
    pub fn tounicode_disagreement(&self) -> (u32, u32) {
        *self.disagreements.borrow()
    }
}

/// Clean a mapping: drop controls, variation selectors and private-use code points; fold
/// compatibility look-alikes that fonts map to (Kangxi radicals, vertical presentation forms) to
/// the characters they stand for. Nothing left → unmapped.
pub(crate) fn clean(s: &str) -> Option<Box<str>> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c as u32 {
            0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF => {}
            0x2E80..=0x2FDF | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F => {
                out.extend(std::iter::once(c).nfkc())
            }
            0x2027 => out.push('\u{30FB}'),
            0x09 => out.push(' '),
            _ if c.is_control() => {}
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out.into_boxed_str())
    }
}

/// Script class of a mapping, for the plausibility check of Japanese text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Other = 0,
    Kana = 1,
    /// JIS X 0208 level-1 kanji: the common ones.
    KanjiCommon = 2,
    KanjiRare = 3,
}

pub(crate) fn classify(s: &str) -> Class {
    let Some(c) = s.chars().next() else {
        return Class::Other;
    };
    match c as u32 {
        0x3041..=0x30FF | 0xFF66..=0xFF9F => Class::Kana,
        0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => {
            let mut buf = [0u8; 4];
            let (bytes, _, errors) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
            match (errors, bytes.first(), bytes.get(1)) {
                (false, Some(&lead), Some(&trail))
                    if (0x88..0x98).contains(&lead) || (lead == 0x98 && trail <= 0x72) =>
                {
                    Class::KanjiCommon
                }
                _ => Class::KanjiRare,
            }
        }
        _ => Class::Other,
    }
}

fn lookup_metric(ranges: &[(u32, u32, f32)], cid: u32) -> Option<f32> {
    let idx = ranges.partition_point(|r| r.0 <= cid);
    ranges
        .get(..idx)?
        .iter()
        .rev()
        .take(4)
        .find(|r| r.0 <= cid && cid <= r.1)
        .map(|r| r.2)
}

fn load_simple(pdf: &Pdf, dict: &Dictionary, kind: FontKind) -> Font {
    let mut font = Font::blank(kind);
    font.first_char = pdf
        .get_num(dict, b"FirstChar")
        .map(|f| f.max(0.0) as u32)
        .unwrap_or(0);
    if let Some(ws) = pdf.get_array(dict, b"Widths") {
        let ws: Vec<Option<f32>> = ws.iter().take(65536).map(|w| pdf.num(w)).collect();
        font.simple_widths = fill_widths(&ws);
    }
    let descriptor = pdf.get_dict(dict, b"FontDescriptor");
    if let Some(fd) = descriptor {
        font.missing_width = pdf.get_num(fd, b"MissingWidth").unwrap_or(0.0);
    }
    if kind == FontKind::Type3 {
        type3_metrics(pdf, dict, &mut font);
    }
    let base_font = pdf.get_name(dict, b"BaseFont").unwrap_or_default();
    if font.simple_widths.is_empty() {
        font.missing_width = standard_width(base_font);
    }
    let flags = descriptor
        .and_then(|fd| pdf.get_num(fd, b"Flags"))
        .unwrap_or(0.0) as u32;
    let symbolic = flags & 4 != 0 && flags & 32 == 0;
    let is_truetype = pdf.get_name(dict, b"Subtype") == Some(b"TrueType");
    // The base encoding when the dictionary names none: the font's own (unknown here, so
    // nothing for symbolic fonts and Type3), WinAnsi for TrueType, Standard otherwise.
    let mut base: Option<&str> = match (symbolic || kind == FontKind::Type3, is_truetype) {
        (true, _) => None,
        (false, true) => Some("WinAnsiEncoding"),
        (false, false) => Some("StandardEncoding"),
    };
    let mut runs: Vec<(u32, Vec<String>)> = Vec::new();
    let encoding = pdf.get(dict, b"Encoding");
    match encoding {
        Some(Object::Name(n)) => {
            if let Ok(n) = std::str::from_utf8(n) {
                if super::encoding::base_encoding(n).is_some() {
                    base = Some(n);
                }
            }
        }
        Some(Object::Dictionary(enc)) => {
            if let Some(n) = pdf
                .get_name(enc, b"BaseEncoding")
                .and_then(|n| std::str::from_utf8(n).ok())
            {
                base = Some(n);
            }
            if let Some(diffs) = pdf.get_array(enc, b"Differences") {
                for d in diffs.iter().take(4096) {
                    match pdf.resolve(d) {
                        Some(Object::Integer(i)) => {
                            runs.push((u32::try_from(*i).unwrap_or(u32::MAX), Vec::new()));
                        }
                        Some(Object::Name(n)) => {
                            if let Some((_, names)) = runs.last_mut() {
                                names.push(String::from_utf8_lossy(n).into_owned());
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => {}
    }
    let mut enc = match base {
        Some(b) => SimpleEncoding::new(Some(b)),
        None => SimpleEncoding::empty(),
    };
    // Font programs carry their own encoding when the dictionary names none (Type1 `dup 65 /A
    // put`, CFF encodings, the (3,0)/(1,0) cmap of symbolic TrueType fonts).
    if encoding.is_none() {
        let program = descriptor.and_then(|fd| {
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                .iter()
                .find_map(|k| pdf.get_stream(fd, k))
        });
        if let Some(builtin) = program
            .and_then(|p| pdf.stream_bytes(p).ok())
            .and_then(|d| FontProgram::parse(&d))
            .and_then(|p| p.builtin_encoding())
        {
            enc = builtin;
        }
    }
    enc.apply_differences(
        runs.iter()
            .map(|(first, names)| (*first, names.iter().map(String::as_str))),
    );
    font.simple = Some(enc);
    font
}

/// Type3 glyph space: widths scale by the font matrix; glyph height from the bounding box.
fn type3_metrics(pdf: &Pdf, dict: &Dictionary, font: &mut Font) {
    let Some(m) = pdf.get_array(dict, b"FontMatrix") else {
        return;
    };
    let v: Vec<f32> = m.iter().filter_map(|o| pdf.num(o)).collect();
    let (Some(a), Some(d)) = (v.first(), v.get(3)) else {
        return;
    };
    if a.abs() > 1e-9 {
        font.scale = a.abs();
    }
    let bbox: Vec<f32> = pdf
        .get_array(dict, b"FontBBox")
        .map(|b| b.iter().filter_map(|o| pdf.num(o)).collect())
        .unwrap_or_default();
    let h = match (bbox.get(1), bbox.get(3)) {
        (Some(y0), Some(y1)) => (y1 - y0).abs() * d.abs(),
        _ => 1.0,
    };
    font.height = if (0.3..=3.0).contains(&h) { h } else { 1.0 };
}

fn pdf_string(pdf: &Pdf, dict: &Dictionary, key: &[u8]) -> String {
    match pdf.get(dict, key) {
        Some(Object::String(s, _)) => String::from_utf8_lossy(s).into_owned(),
        Some(Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
        _ => String::new(),
    }
}

fn load_type0(pdf: &Pdf, dict: &Dictionary) -> Font {
    let mut font = Font::blank(FontKind::Cid);
    let descendant = pdf
        .get_array(dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .and_then(|d| pdf.dict(d));
    // Character collection from the descendant's CIDSystemInfo.
    let mut collection = descendant
        .and_then(|d| pdf.get_dict(d, b"CIDSystemInfo"))
        .map(|csi| {
            (
                pdf_string(pdf, csi, b"Registry"),
                pdf_string(pdf, csi, b"Ordering"),
            )
        });
    let map: Option<EncodingMap> = match pdf.get(dict, b"Encoding") {
        Some(Object::Name(n)) => std::str::from_utf8(n)
            .ok()
            .and_then(cmap::predefined)
            .map(EncodingMap::Static),
        Some(Object::Stream(s)) => {
            let parsed = pdf.stream_bytes(s).ok().and_then(|d| CMap::parse(&d));
            parsed.map(|mut cm| {
                if cm.unresolved_parent().is_some() {
                    if let Some(parent) = pdf
                        .get_stream(&s.dict, b"UseCMap")
                        .and_then(|p| pdf.stream_bytes(p).ok())
                        .and_then(|d| CMap::parse(&d))
                    {
                        cm.set_parent(parent);
                    }
                }
                EncodingMap::Owned(Box::new(cm))
            })
        }
        _ => None,
    };
    if let Some(m) = &map {
        let m = m.get();
        font.vertical = m.is_vertical();
        // A named CMap of a collection decides the collection when the font says Identity.
        if let Some(c) = m.collection() {
            let generic = collection
                .as_ref()
                .is_none_or(|(r, o)| r != "Adobe" || o == "Identity" || o.is_empty());
            if generic && c.ordering != "Identity" {
                collection = Some((c.registry.clone(), c.ordering.clone()));
            }
        }
    } else if let Some(Object::Name(n)) = pdf.get(dict, b"Encoding") {
        font.vertical = n.ends_with(b"-V");
    }
    font.encoding_map = map;
    font.collection = collection;
    let Some(desc) = descendant else {
        return font;
    };
    font.default_width = pdf.get_num(desc, b"DW").unwrap_or(1000.0);
    if let Some(w) = pdf.get_array(desc, b"W") {
        font.cid_widths = parse_w(pdf, w, 1);
    }
    if let Some(dw2) = pdf.get_array(desc, b"DW2") {
        if let Some(w1) = dw2.get(1).and_then(|o| pdf.num(o)) {
            font.default_vadvance = w1;
        }
    }
    if let Some(w2) = pdf.get_array(desc, b"W2") {
        font.cid_vmetrics = parse_w(pdf, w2, 3);
    }
    let is_type2 = pdf.get_name(desc, b"Subtype") == Some(b"CIDFontType2");
    if let Some(Object::Stream(s)) = pdf.get(desc, b"CIDToGIDMap") {
        font.cid_to_gid = pdf.stream_bytes(s).ok();
    }
    if let Some(fd) = pdf.get_dict(desc, b"FontDescriptor") {
        let file = pdf
            .get_stream(fd, b"FontFile2")
            .or_else(|| pdf.get_stream(fd, b"FontFile3"));
        if let Some(file) = file {
            if let Some(program) = pdf.font_program(file).filter(|p| p.mapped_glyphs() > 0) {
                // An embedded TrueType's glyph ids are only CIDs of a collection by accident.
                font.truetype_first = is_type2;
                font.program = Some(program);
            }
        }
    }
    font
}

/// A `/Widths` array with entries that are not numbers (a damaged byte, read as null): each
/// takes the width most of the array's entries have (the smallest such on a tie; 0 when none is
/// a number), as the nearest guess to the glyph's own.
fn fill_widths(ws: &[Option<f32>]) -> Vec<f32> {
    let mut counts: Vec<(f32, usize)> = Vec::new();
    for w in ws.iter().flatten() {
        if let Some(c) = counts.iter_mut().find(|c| c.0 == *w) {
            c.1 += 1;
        } else if counts.len() < 256 {
            counts.push((*w, 1));
        }
    }
    let common = counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)))
        .map_or(0.0, |c| c.0);
    ws.iter().map(|w| w.unwrap_or(common)).collect()
}

/// Width for standard fonts written without /Widths (glyph units).
fn standard_width(base_font: &[u8]) -> f32 {
    if base_font.windows(7).any(|w| w == b"Courier") {
        600.0
    } else {
        500.0
    }
}

/// Parse a /W (stride 1: widths) or /W2 (stride 3: w1y vx vy; the first value is kept) array into
/// sorted (first, last, value) ranges.
fn parse_w(pdf: &Pdf, arr: &[Object], stride: usize) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0usize;
    let vals: Vec<&Object> = arr.iter().filter_map(|o| pdf.resolve(o)).collect();
    while i < vals.len() {
        let Some(first) = vals.get(i).and_then(|o| num(o)).filter(|f| *f >= 0.0) else {
            break;
        };
        let first = first as u32;
        match vals.get(i + 1) {
            Some(Object::Array(list)) => {
                let nums: Vec<f32> = list.iter().filter_map(|o| pdf.num(o)).collect();
                for (k, chunk) in nums.chunks(stride).enumerate() {
                    if chunk.len() == stride {
                        if let Some(cid) = first.checked_add(k as u32) {
                            out.push((cid, cid, chunk.first().copied().unwrap_or(0.0)));
                        }
                    }
                }
                i += 2;
            }
            Some(o) => {
                let Some(last) = num(o) else { break };
                let Some(v) = vals.get(i + 2).and_then(|o| num(o)) else {
                    break;
                };
                if last >= first as f32 {
                    out.push((first, last as u32, v));
                }
                i += 2 + stride;
            }
            None => break,
        }
        if out.len() > 1_000_000 {
            break;
        }
    }
    out.sort_by_key(|r| r.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_that_are_not_numbers_take_the_common_width() {
        // (widths, filled)
        let cases: &[(&[Option<f32>], &[f32])] = &[
            (
                &[Some(500.0), None, Some(1000.0), Some(1000.0)],
                &[500.0, 1000.0, 1000.0, 1000.0],
            ),
            (&[Some(500.0), Some(250.0), None], &[500.0, 250.0, 250.0]),
            (&[None, None], &[0.0, 0.0]),
            (&[Some(600.0)], &[600.0]),
            (&[], &[]),
        ];
        for (ws, want) in cases {
            assert_eq!(fill_widths(ws), *want, "{ws:?}");
        }
    }

    #[test]
    fn clean_folds_look_alikes_and_drops_junk() {
        let cases: &[(&str, Option<&str>)] = &[
            ("あ", Some("あ")),
            ("\u{2F00}", Some("一")),             // Kangxi radical one
            ("\u{FE35}注\u{FE36}", Some("(注)")), // vertical parentheses
            ("\u{FE11}", Some("、")),             // vertical ideographic comma
            ("葛\u{E0100}", Some("葛")),          // variation selector
            ("\u{E000}", None),                   // private use
            ("\u{0}\u{1}", None),
            ("a\tb", Some("a b")),
            ("\u{2027}", Some("・")),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(clean(raw).as_deref(), *want, "{raw:?}");
        }
    }

    #[test]
    fn classify_japanese() {
        let cases = [
            ("あ", Class::Kana),
            ("ア", Class::Kana),
            ("ｱ", Class::Kana),
            ("行", Class::KanjiCommon),
            ("丐", Class::KanjiRare),
            ("𠮟", Class::KanjiRare),
            ("A", Class::Other),
            ("、", Class::Other),
            ("", Class::Other),
        ];
        for (s, want) in cases {
            assert_eq!(classify(s), want, "{s}");
        }
    }
    use crate::limits::Limits;
    use lopdf::{dictionary, Document, Stream};

    #[test]
    fn w_array_forms() {
        let limits = Limits::default();
        let doc = Document::with_version("1.5");
        let pdf = Pdf::new(&doc, &limits);
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Real(250.0),
            Object::Integer(30),
            Object::Array(vec![Object::Integer(1000)]),
        ];
        let got = parse_w(&pdf, &w, 1);
        assert_eq!(
            got,
            vec![
                (1, 1, 500.0),
                (2, 2, 600.0),
                (10, 20, 250.0),
                (30, 30, 1000.0)
            ]
        );
        let cases = [
            (1, Some(500.0)),
            (2, Some(600.0)),
            (3, None),
            (15, Some(250.0)),
            (20, Some(250.0)),
            (21, None),
            (30, Some(1000.0)),
        ];
        for (cid, want) in cases {
            assert_eq!(lookup_metric(&got, cid), want, "cid {cid}");
        }
        let w2 = vec![
            Object::Integer(5),
            Object::Array(vec![
                Object::Integer(-900),
                Object::Integer(500),
                Object::Integer(880),
            ]),
            Object::Integer(7),
            Object::Integer(9),
            Object::Integer(-800),
            Object::Integer(500),
            Object::Integer(880),
        ];
        assert_eq!(parse_w(&pdf, &w2, 3), vec![(5, 5, -900.0), (7, 9, -800.0)]);
        // truncated arrays stop without panicking
        assert_eq!(
            parse_w(&pdf, &[Object::Integer(1), Object::Integer(2)], 1),
            vec![]
        );
    }

    #[test]
    fn simple_font_differences_and_widths() {
        let mut doc = Document::with_version("1.5");
        let enc = doc.add_object(dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![Object::Integer(65), Object::Name(b"uni3042".to_vec()), Object::Name(b"B".to_vec())],
        });
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "FirstChar" => 65, "Widths" => vec![Object::Integer(1000), Object::Integer(667), Object::Integer(722)],
            "Encoding" => Object::Reference(enc),
        });
        let limits = Limits::default();
        let pdf = Pdf::new(&doc, &limits);
        let font_ref = Object::Reference(font_id);
        let dict = pdf.dict(&font_ref).expect("font dict");
        let font = Font::load(&pdf, dict);
        let cases: &[(u32, Option<&str>, f32)] = &[
            (65, Some("あ"), 1.0),
            (66, Some("B"), 0.667),
            (67, Some("C"), 0.722),
            (0x93, Some("\u{201c}"), 0.0),
        ];
        for (code, text, width) in cases {
            let mut s = String::new();
            let d = font.decode(*code, 1, &mut s);
            assert_eq!(d.mapped.then_some(s.as_str()), *text, "code {code}");
            assert!(
                (d.width - width).abs() < 1e-6,
                "width of {code}: {}",
                d.width
            );
        }
        assert!(font.decode(32, 1, &mut String::new()).word_space);
    }

    #[test]
    fn type0_identity_with_tounicode_and_w() {
        let mut doc = Document::with_version("1.5");
        let tu = doc.add_object(Stream::new(
            dictionary! {},
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <65E5> <0002> <D842DF9F> endbfchar".to_vec(),
        ));
        let desc = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "X",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 1000, "W" => vec![Object::Integer(3), Object::Array(vec![Object::Integer(500)])],
        });
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "X", "Encoding" => "Identity-V",
            "DescendantFonts" => vec![Object::Reference(desc)], "ToUnicode" => Object::Reference(tu),
        });
        let limits = Limits::default();
        let pdf = Pdf::new(&doc, &limits);
        let font_ref = Object::Reference(font_id);
        let font = Font::load(&pdf, pdf.dict(&font_ref).expect("dict"));
        assert!(font.vertical);
        assert_eq!(font.kind, FontKind::Cid);
        let bytes = [0u8, 1, 0, 2, 0, 3];
        let mut pos = 0;
        let mut got = Vec::new();
        while let Some((code, len)) = font.next_code(&bytes[pos..]) {
            let mut s = String::new();
            let d = font.decode(code, len, &mut s);
            got.push((d.mapped.then_some(s), d.width));
            pos += len;
        }
        assert_eq!(
            got,
            vec![
                (Some("日".into()), 1.0),
                (Some("𠮟".into()), 1.0),
                (None, 0.5)
            ]
        );
    }
}
