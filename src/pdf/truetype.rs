//! Embedded font programs (FontFile2 TrueType, FontFile3 OpenType / CFF, FontFile Type 1) as a
//! source of Unicode when a PDF font has no usable ToUnicode:
//!
//! - glyph id → Unicode by reversing the font's own `cmap` (Unicode subtables), then glyph
//!   names (`post` table, CFF charset), then GSUB single/alternate/ligature substitutions (the
//!   vertical and variant forms a PDF shows are often reachable only through them), then the
//!   Macintosh (1,0) subtable;
//! - CID → glyph id for CID-keyed CFF fonts (their charset), and the CFF's own
//!   Registry-Ordering, so CIDs of an Adobe collection map through [`super::cmap`];
//! - simple fonts: code → glyph id through (3,0) symbol and (1,0) Macintosh subtables, and the
//!   built-in encodings of Type 1 and CFF fonts.
//!
//! Also [`cid_to_gid`] for `/CIDToGIDMap` streams. Pure functions of bytes; nothing panics on
//! malformed fonts.

// The font layer does not call this module yet.
#![allow(dead_code)]

use ttf_parser::{cmap::Format, gsub::SubstitutionSubtable, GlyphId, PlatformId};

use super::cmap::cid_to_unicode_into;
use super::encoding::{base_encoding, glyph_name_to_unicode_into, mac_os_roman, SimpleEncoding};

/// What kind of font program the bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramKind {
    /// An sfnt with `glyf` outlines (FontFile2), or a TrueType collection.
    TrueType,
    /// An sfnt with a `CFF ` table (FontFile3 /OpenType).
    OpenTypeCff,
    /// A bare CFF (FontFile3 /Type1C or /CIDFontType0C).
    Cff,
    /// A Type 1 program (FontFile): only its built-in encoding is read.
    Type1,
}

/// How trustworthy a character from [`FontProgram::simple_code_to_unicode_into`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// From the font's Unicode data (cmap, glyph names, substitutions).
    Font,
    /// A guess: the code read as Mac OS Roman or WinAnsi because the font only has a
    /// Macintosh or symbol `cmap` for it.
    Guess,
}

/// Which `cmap` subtable serves single-byte codes of a simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SimpleCmap {
    /// (3,0): codes at U+F000 + code (or the code itself).
    Symbol,
    /// (1,0): codes directly.
    Mac,
    /// A Unicode subtable used with the code as a code point.
    Unicode,
    /// A CFF font's built-in encoding.
    Builtin,
}

/// `vals[gid]`: 0 (unmapped), a code point, or `MULTI | index` into `multi`.
const MULTI: u32 = 0x8000_0000;

/// Caps on work driven by font data (malformed or hostile fonts).
const MAX_CMAP_CODEPOINTS: u32 = 0x0011_0000;
const MAX_GSUB_STEPS: usize = 1 << 22;

/// Unicode and code/CID → glyph data read from one embedded font program.
#[derive(Debug, Clone)]
pub struct FontProgram {
    kind: ProgramKind,
    num_glyphs: u16,
    vals: Vec<u32>,
    multi: Vec<String>,
    /// CID-keyed CFF: glyph id by CID (index), 0 = absent.
    cid_to_gid: Option<Vec<u16>>,
    /// The CFF's Registry, Ordering, Supplement (CID-keyed CFF only).
    ros: Option<Ros>,
    /// Single-byte code → glyph id (0 = none) for simple fonts, and where it came from.
    simple: Option<(Box<[u16; 256]>, SimpleCmap)>,
    /// Built-in encoding of a Type 1 / CFF font (code → glyph name).
    builtin: Option<SimpleEncoding>,
}

impl FontProgram {
    /// Read a font program. Recognizes sfnt (TrueType, OpenType, collections: the first
    /// face), bare CFF and Type 1 (PFA/PFB). `None` when the bytes are none of these or too
    /// damaged to use.
    pub fn parse(data: &[u8]) -> Option<FontProgram> {
        match data.get(..4)? {
            [0x00, 0x01, 0x00, 0x00] | b"true" | b"OTTO" | b"ttcf" | b"typ1" => parse_sfnt(data),
            [1, _, hdr, _] if (4..=32).contains(hdr) => parse_cff(data),
            [0x80, 0x01, ..] | [b'%', b'!', ..] => parse_type1(data),
            _ => None,
        }
    }

    pub fn kind(&self) -> ProgramKind {
        self.kind
    }

    /// Number of glyphs in the font (0 for Type 1, which is not read that far).
    pub fn num_glyphs(&self) -> u16 {
        self.num_glyphs
    }

    /// How many glyphs have a Unicode value: 0 means the font cannot help.
    pub fn mapped_glyphs(&self) -> usize {
        self.vals.iter().filter(|&&v| v != 0).count()
    }

    /// Append the Unicode text of a glyph to `out`; returns whether anything was appended.
    pub fn gid_to_unicode_into(&self, gid: u16, out: &mut String) -> bool {
        let Some(&v) = self.vals.get(usize::from(gid)) else {
            return false;
        };
        push_val(v, &self.multi, out)
    }

    /// The Unicode text of a glyph.
    pub fn gid_to_unicode(&self, gid: u16) -> Option<String> {
        let mut s = String::new();
        self.gid_to_unicode_into(gid, &mut s).then_some(s)
    }

    /// Whether this is a CID-keyed CFF font (its glyphs are addressed by CID).
    pub fn is_cid_keyed(&self) -> bool {
        self.cid_to_gid.is_some()
    }

    /// The glyph id of a CID in a CID-keyed CFF font (`None` if the font is not CID-keyed or
    /// lacks the CID). For CIDFontType2 fonts use [`cid_to_gid`] with the `/CIDToGIDMap`.
    pub fn cid_to_gid(&self, cid: u32) -> Option<u16> {
        let map = self.cid_to_gid.as_ref()?;
        let gid = *map.get(usize::try_from(cid).ok()?)?;
        (gid != 0 || cid == 0).then_some(gid)
    }

    /// Registry, Ordering and Supplement of a CID-keyed CFF font (`ROS` operator).
    pub fn cff_ros(&self) -> Option<(&str, &str, i32)> {
        self.ros
            .as_ref()
            .map(|(r, o, s)| (r.as_str(), o.as_str(), *s))
    }

    /// The glyph id for a single-byte code of a simple font: (3,0) symbol subtable at
    /// U+F000 + code (or the code), else (1,0) Macintosh, else a Unicode subtable with the
    /// code as a code point; for CFF, its built-in encoding.
    pub fn simple_code_to_gid(&self, code: u8) -> Option<u16> {
        if let Some((table, _)) = &self.simple {
            let gid = table.get(usize::from(code)).copied().unwrap_or(0);
            return (gid != 0).then_some(gid);
        }
        None
    }

    /// Unicode for a single-byte code of a simple font that has no usable `/Encoding`: the
    /// glyph's Unicode if the font knows it, else the code read as Mac OS Roman ((1,0)
    /// subtable) or WinAnsi ((3,0) symbol subtable), flagged as a guess.
    pub fn simple_code_to_unicode_into(&self, code: u8, out: &mut String) -> Option<Confidence> {
        if let Some(gid) = self.simple_code_to_gid(code) {
            if self.gid_to_unicode_into(gid, out) {
                return Some(Confidence::Font);
            }
        }
        if let Some(enc) = &self.builtin {
            if enc.lookup_into(code, out) {
                return Some(Confidence::Font);
            }
        }
        let guess = match self.simple.as_ref()?.1 {
            SimpleCmap::Mac => mac_os_roman().get(usize::from(code)).copied().flatten(),
            SimpleCmap::Symbol => base_encoding("WinAnsiEncoding")
                .and_then(|t| t.get(usize::from(code)).copied().flatten()),
            SimpleCmap::Unicode | SimpleCmap::Builtin => None,
        }?;
        self.simple_code_to_gid(code)?;
        out.push(guess);
        Some(Confidence::Guess)
    }

    /// The font's built-in encoding as code → Unicode: Type 1 `/Encoding`, CFF encoding
    /// (through glyph names); for TrueType, codes through the (3,0)/(1,0) subtable to glyphs
    /// with known Unicode. `None` when the font defines none.
    pub fn builtin_encoding(&self) -> Option<SimpleEncoding> {
        if let Some(enc) = &self.builtin {
            return Some(enc.clone());
        }
        let (table, _) = self.simple.as_ref()?;
        let mut enc = SimpleEncoding::empty();
        let mut any = false;
        let mut s = String::new();
        for (code, &gid) in (0u8..=255).zip(table.iter()) {
            s.clear();
            if gid != 0 && self.gid_to_unicode_into(gid, &mut s) {
                enc.set_text(code, &s);
                any = true;
            }
        }
        any.then_some(enc)
    }
}

/// The glyph id for a CID through a `/CIDToGIDMap` stream (big-endian u16 per CID); `None`
/// past its end. (`/CIDToGIDMap /Identity` means glyph id = CID.)
pub fn cid_to_gid(map: &[u8], cid: u32) -> Option<u16> {
    let at = usize::try_from(cid).ok()?.checked_mul(2)?;
    let pair = map.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*pair.first()?, *pair.get(1)?]))
}

fn push_val(v: u32, multi: &[String], out: &mut String) -> bool {
    if v == 0 {
        return false;
    }
    if v & MULTI != 0 {
        return match multi.get((v & !MULTI) as usize) {
            Some(s) => {
                out.push_str(s);
                true
            }
            None => false,
        };
    }
    match char::from_u32(v) {
        Some(c) => {
            out.push(c);
            true
        }
        None => false,
    }
}

/// Preference among code points that share a glyph (lower is better): compatibility and
/// look-alike blocks (Kangxi radicals, CJK radicals supplement, compatibility ideographs,
/// vertical and compatibility forms, private use) lose to ordinary characters; then the lower
/// code point wins (U+0020 over U+00A0, U+002D over U+00AD).
fn score(cp: u32) -> u64 {
    let penalty: u64 = match cp {
        0x2E80..=0x2FDF => 2, // CJK radicals supplement, Kangxi radicals
        0xF900..=0xFAFF | 0x2F800..=0x2FA1F => 2, // CJK compatibility ideographs
        0xFE10..=0xFE1F | 0xFE30..=0xFE4F => 2, // vertical forms, CJK compatibility forms
        0xE000..=0xF8FF | 0xF0000..=u32::MAX => 3, // private use
        0x00..=0x1F | 0x7F..=0x9F => 4, // controls
        0xAD => 1,            // soft hyphen
        _ => 0,
    };
    (penalty << 32) | u64::from(cp)
}

/// Scores at or above this penalty (private use, controls) can be replaced by glyph names.
const WEAK_PENALTY: u64 = 3;

/// Glyph → Unicode under construction.
struct Builder {
    vals: Vec<u32>,
    multi: Vec<String>,
    /// Score of the current code point per glyph (u64::MAX: none yet).
    best: Vec<u64>,
}

impl Builder {
    fn new(num_glyphs: u16) -> Self {
        let n = usize::from(num_glyphs);
        Builder {
            vals: vec![0; n],
            multi: Vec::new(),
            best: vec![u64::MAX; n],
        }
    }

    fn offer_cp(&mut self, gid: u16, cp: u32) {
        let g = usize::from(gid);
        if gid == 0 || char::from_u32(cp).is_none() {
            return;
        }
        let s = score(cp);
        if let (Some(best), Some(val)) = (self.best.get_mut(g), self.vals.get_mut(g)) {
            if s < *best {
                *best = s;
                *val = cp;
            }
        }
    }

    /// Whether a glyph has a value that later sources must not replace. Private-use and
    /// control code points are weak: a glyph name or substitution says more.
    fn is_mapped(&self, gid: u16) -> bool {
        let g = usize::from(gid);
        self.vals.get(g).is_some_and(|&v| v != 0)
            && self.best.get(g).is_some_and(|&s| s >> 32 < WEAK_PENALTY)
    }

    /// Set the text of a glyph that has none (or only a weak one).
    fn fill(&mut self, gid: u16, text: &str) {
        let g = usize::from(gid);
        if gid == 0 || text.is_empty() || self.is_mapped(gid) || g >= self.vals.len() {
            return;
        }
        let mut chars = text.chars();
        let v = match (chars.next(), chars.next()) {
            (Some(c), None) => c as u32,
            _ => {
                self.multi.push(text.to_string());
                MULTI | (self.multi.len() as u32 - 1)
            }
        };
        if let (Some(slot), Some(best)) = (self.vals.get_mut(g), self.best.get_mut(g)) {
            *slot = v;
            *best = 0;
        }
    }

    fn text(&self, gid: u16) -> Option<String> {
        let mut s = String::new();
        let v = *self.vals.get(usize::from(gid))?;
        push_val(v, &self.multi, &mut s).then_some(s)
    }
}

fn parse_sfnt(data: &[u8]) -> Option<FontProgram> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let num_glyphs = face.number_of_glyphs();
    let tables = face.tables();
    let mut b = Builder::new(num_glyphs);
    let mut simple: Option<(Box<[u16; 256]>, SimpleCmap)> = None;
    let mut mac_codes: Option<Box<[u16; 256]>> = None;

    let raw_cmap = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
    if let Some(cmap) = tables.cmap {
        for st in cmap.subtables {
            let unicode = st.is_unicode();
            let symbol = st.platform_id == PlatformId::Windows && st.encoding_id == 0;
            let mac_roman = st.platform_id == PlatformId::Macintosh && st.encoding_id == 0;
            if !(unicode || symbol || mac_roman) {
                continue;
            }
            let mut codes = [0u16; 256];
            for_each_mapping(&st, raw_cmap, |cp, gid| {
                if unicode {
                    b.offer_cp(gid, cp);
                }
                let code = if symbol && (0xF000..=0xF0FF).contains(&cp) {
                    Some(cp & 0xFF)
                } else {
                    (cp <= 0xFF).then_some(cp)
                };
                if let Some(slot) = code.and_then(|c| codes.get_mut(c as usize)) {
                    // Symbol fonts: the U+F0xx entry wins over a plain one.
                    if *slot == 0 || cp >= 0xF000 {
                        *slot = gid;
                    }
                }
            });
            let kind = if symbol {
                SimpleCmap::Symbol
            } else if mac_roman {
                SimpleCmap::Mac
            } else {
                SimpleCmap::Unicode
            };
            if mac_roman {
                mac_codes = Some(Box::new(codes));
            }
            let rank = |k: SimpleCmap| match k {
                SimpleCmap::Symbol => 0,
                SimpleCmap::Mac => 1,
                SimpleCmap::Unicode | SimpleCmap::Builtin => 2,
            };
            let better = match &simple {
                None => true,
                Some((_, current)) => rank(kind) < rank(*current),
            };
            if better && codes.iter().any(|&g| g != 0) {
                simple = Some((Box::new(codes), kind));
            }
        }
    }

    // Glyph names: the `post` table (read once; ttf-parser's per-glyph lookup is linear).
    if let Some(post) = face.raw_face().table(ttf_parser::Tag::from_bytes(b"post")) {
        for_each_post_name(post, tables.post.as_ref(), num_glyphs, |gid, name| {
            fill_from_name(&mut b, gid, name);
        });
    }
    if let Some(cff) = tables.cff.as_ref() {
        fill_from_cff_names(&mut b, cff, num_glyphs);
    }
    if let Some(gsub) = tables.gsub {
        fill_from_gsub(&mut b, &gsub);
    }
    // Macintosh (1,0) codes as Mac OS Roman for glyphs still unmapped.
    if let Some(codes) = mac_codes {
        let mut buf = [0u8; 4];
        for (code, &gid) in codes.iter().enumerate() {
            if let Some(c) = mac_os_roman().get(code).copied().flatten() {
                if gid != 0 && code >= 0x20 {
                    b.fill(gid, c.encode_utf8(&mut buf));
                }
            }
        }
    }

    let kind = if tables.cff.is_some() {
        ProgramKind::OpenTypeCff
    } else {
        ProgramKind::TrueType
    };
    let (cid_to_gid, ros) = match tables.cff.as_ref() {
        Some(cff) => cff_cid_data(
            cff,
            face.raw_face().table(ttf_parser::Tag::from_bytes(b"CFF ")),
        ),
        None => (None, None),
    };
    Some(FontProgram {
        kind,
        num_glyphs,
        vals: b.vals,
        multi: b.multi,
        cid_to_gid,
        ros,
        simple,
        builtin: None,
    })
}

/// Call `f(code point, glyph id)` for each mapping of a subtable. Format 12/13 subtables are
/// walked from the raw `cmap` bytes with each group clamped to the Unicode code space (their
/// groups can claim billions of codes); the others through ttf-parser.
fn for_each_mapping(
    st: &ttf_parser::cmap::Subtable<'_>,
    raw_cmap: Option<&[u8]>,
    mut f: impl FnMut(u32, u16),
) {
    match st.format {
        Format::SegmentedCoverage(_) | Format::ManyToOneRangeMappings(_) => {
            let platform = match st.platform_id {
                PlatformId::Unicode => 0,
                PlatformId::Macintosh => 1,
                PlatformId::Iso => 2,
                PlatformId::Windows => 3,
                PlatformId::Custom => 4,
            };
            if let Some(raw) = raw_cmap {
                for_each_group_mapping(raw, platform, st.encoding_id, &mut f);
            }
        }
        _ => st.codepoints(|cp| {
            if let Some(g) = st.glyph_index(cp) {
                f(cp, g.0);
            }
        }),
    }
}

/// Format 12 (sequential) and 13 (many-to-one) groups of the first such subtable for a
/// platform/encoding pair.
fn for_each_group_mapping(raw: &[u8], platform: u16, encoding: u16, f: &mut impl FnMut(u32, u16)) {
    let be16 =
        |at: usize| -> Option<u16> { Some(u16::from_be_bytes([*raw.get(at)?, *raw.get(at + 1)?])) };
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes([
            *raw.get(at)?,
            *raw.get(at + 1)?,
            *raw.get(at + 2)?,
            *raw.get(at + 3)?,
        ]))
    };
    let Some(count) = be16(2) else { return };
    for i in 0..usize::from(count) {
        let rec = 4 + 8 * i;
        if be16(rec) != Some(platform) || be16(rec + 2) != Some(encoding) {
            continue;
        }
        let Some(offset) = be32(rec + 4).map(|o| o as usize) else {
            return;
        };
        let format = be16(offset);
        if format != Some(12) && format != Some(13) {
            continue;
        }
        let Some(groups) = be32(offset + 12) else {
            return;
        };
        let mut budget = MAX_CMAP_CODEPOINTS;
        for g in 0..groups as usize {
            let at = offset + 16 + 12 * g;
            let (Some(start), Some(end), Some(glyph)) = (be32(at), be32(at + 4), be32(at + 8))
            else {
                return;
            };
            let end = end.min(MAX_CMAP_CODEPOINTS - 1);
            let mut cp = start;
            while cp <= end && budget > 0 {
                let gid = if format == Some(12) {
                    glyph.checked_add(cp - start)
                } else {
                    Some(glyph)
                };
                if let Some(gid) = gid.and_then(|g| u16::try_from(g).ok()) {
                    f(cp, gid);
                }
                budget -= 1;
                cp += 1;
            }
            if budget == 0 {
                return;
            }
        }
        return;
    }
}

fn fill_from_name(b: &mut Builder, gid: u16, name: &str) {
    if b.is_mapped(gid) || name == ".notdef" {
        return;
    }
    let mut s = String::new();
    if glyph_name_to_unicode_into(name, &mut s) {
        b.fill(gid, &s);
    }
}

/// Walk a version 2 `post` table: for each glyph, its name (standard Macintosh names through
/// ttf-parser, custom names from one pass over the string data).
fn for_each_post_name(
    raw: &[u8],
    post: Option<&ttf_parser::post::Table<'_>>,
    num_glyphs: u16,
    mut f: impl FnMut(u16, &str),
) {
    const MAC_NAMES: u16 = 258;
    let be16 =
        |at: usize| -> Option<u16> { Some(u16::from_be_bytes([*raw.get(at)?, *raw.get(at + 1)?])) };
    if raw.get(..4) != Some(&[0, 2, 0, 0]) {
        return;
    }
    let Some(count) = be16(32) else { return };
    let names_start = 34 + 2 * usize::from(count);
    // Custom names, in order.
    let mut custom: Vec<&str> = Vec::new();
    let mut at = names_start;
    while let Some(&len) = raw.get(at) {
        let Some(bytes) = raw.get(at + 1..at + 1 + usize::from(len)) else {
            break;
        };
        custom.push(std::str::from_utf8(bytes).unwrap_or(""));
        at += 1 + usize::from(len);
    }
    for gid in 0..count.min(num_glyphs) {
        let Some(index) = be16(34 + 2 * usize::from(gid)) else {
            break;
        };
        if index < MAC_NAMES {
            if let Some(name) = post.and_then(|p| p.glyph_name(GlyphId(gid))) {
                f(gid, name);
            }
        } else if let Some(name) = custom.get(usize::from(index - MAC_NAMES)) {
            f(gid, name);
        }
    }
}

fn fill_from_cff_names(b: &mut Builder, cff: &ttf_parser::cff::Table<'_>, num_glyphs: u16) {
    for gid in 1..num_glyphs {
        if b.is_mapped(gid) {
            continue;
        }
        if let Some(name) = cff.glyph_name(GlyphId(gid)) {
            fill_from_name(b, gid, name);
        }
    }
}

/// Unmapped glyphs reached by GSUB substitutions take their source's text: single and
/// alternate substitutions (vertical forms, variants), ligatures (the components' text).
/// Two passes, so chains of substitutions resolve.
fn fill_from_gsub(b: &mut Builder, gsub: &ttf_parser::opentype_layout::LayoutTable<'_>) {
    let mut steps = 0usize;
    for _pass in 0..2 {
        for lookup in gsub.lookups {
            for sub in lookup.subtables.into_iter::<SubstitutionSubtable<'_>>() {
                let coverage = sub.coverage();
                for_each_covered(&coverage, &mut steps, |gid, index| match &sub {
                    SubstitutionSubtable::Single(single) => {
                        let to = match single {
                            ttf_parser::gsub::SingleSubstitution::Format1 { delta, .. } => {
                                Some(GlyphId((i32::from(gid) + i32::from(*delta)) as u16))
                            }
                            ttf_parser::gsub::SingleSubstitution::Format2 {
                                substitutes, ..
                            } => substitutes.get(index),
                        };
                        if let (Some(to), Some(text)) = (to, b.text(gid)) {
                            b.fill(to.0, &text);
                        }
                    }
                    SubstitutionSubtable::Alternate(alt) => {
                        if let (Some(set), Some(text)) =
                            (alt.alternate_sets.get(index), b.text(gid))
                        {
                            for to in set.alternates {
                                b.fill(to.0, &text);
                            }
                        }
                    }
                    SubstitutionSubtable::Ligature(lig) => {
                        let Some(set) = lig.ligature_sets.get(index) else {
                            return;
                        };
                        for l in set {
                            if b.is_mapped(l.glyph.0) {
                                continue;
                            }
                            let mut text = match b.text(gid) {
                                Some(t) => t,
                                None => continue,
                            };
                            let complete = l.components.into_iter().all(|c| match b.text(c.0) {
                                Some(t) => {
                                    text.push_str(&t);
                                    true
                                }
                                None => false,
                            });
                            if complete {
                                b.fill(l.glyph.0, &text);
                            }
                        }
                    }
                    _ => {}
                });
                if steps > MAX_GSUB_STEPS {
                    return;
                }
            }
        }
    }
}

/// Call `f(glyph, coverage index)` for each glyph a coverage table lists, counting steps.
fn for_each_covered(
    coverage: &ttf_parser::opentype_layout::Coverage<'_>,
    steps: &mut usize,
    mut f: impl FnMut(u16, u16),
) {
    match coverage {
        ttf_parser::opentype_layout::Coverage::Format1 { glyphs } => {
            for (i, g) in (*glyphs).into_iter().enumerate() {
                *steps += 1;
                if *steps > MAX_GSUB_STEPS {
                    return;
                }
                f(g.0, i as u16);
            }
        }
        ttf_parser::opentype_layout::Coverage::Format2 { records } => {
            for r in *records {
                for g in r.start.0..=r.end.0 {
                    *steps += 1;
                    if *steps > MAX_GSUB_STEPS {
                        return;
                    }
                    f(g, r.value.wrapping_add(g - r.start.0));
                }
            }
        }
    }
}

fn parse_cff(data: &[u8]) -> Option<FontProgram> {
    let cff = ttf_parser::cff::Table::parse(data)?;
    let num_glyphs = cff.number_of_glyphs();
    let mut b = Builder::new(num_glyphs);
    let (cid_to_gid, ros) = cff_cid_data(&cff, Some(data));
    if cid_to_gid.is_some() {
        if let Some((registry, ordering, _)) = &ros {
            let mut s = String::new();
            for gid in 1..num_glyphs {
                let Some(cid) = cff.glyph_cid(GlyphId(gid)) else {
                    continue;
                };
                s.clear();
                if cid_to_unicode_into(registry, ordering, u32::from(cid), &mut s) {
                    b.fill(gid, &s);
                }
            }
        }
    } else {
        fill_from_cff_names(&mut b, &cff, num_glyphs);
    }
    // Built-in encoding (non-CID fonts): code → glyph → name.
    let mut builtin = None;
    let mut simple = None;
    if cid_to_gid.is_none() {
        let mut enc = SimpleEncoding::empty();
        let mut codes = [0u16; 256];
        let mut any = false;
        for (code, slot) in (0u8..=255).zip(codes.iter_mut()) {
            let Some(gid) = cff.glyph_index(code) else {
                continue;
            };
            if gid.0 == 0 {
                continue;
            }
            *slot = gid.0;
            if let Some(name) = cff.glyph_name(gid) {
                enc.set_glyph_name(code, name);
                any = true;
            }
        }
        if any {
            builtin = Some(enc);
            simple = Some((Box::new(codes), SimpleCmap::Builtin));
        }
    }
    Some(FontProgram {
        kind: ProgramKind::Cff,
        num_glyphs,
        vals: b.vals,
        multi: b.multi,
        cid_to_gid,
        ros,
        simple,
        builtin,
    })
}

/// Registry, Ordering, Supplement.
type Ros = (String, String, i32);

/// For a CID-keyed CFF: CID → glyph id table, and the `ROS` from the top DICT.
fn cff_cid_data(
    cff: &ttf_parser::cff::Table<'_>,
    raw: Option<&[u8]>,
) -> (Option<Vec<u16>>, Option<Ros>) {
    let n = cff.number_of_glyphs();
    if n == 0 || cff.glyph_cid(GlyphId(0)).is_none() {
        return (None, None);
    }
    let mut map: Vec<u16> = Vec::new();
    for gid in 0..n {
        let Some(cid) = cff.glyph_cid(GlyphId(gid)) else {
            continue;
        };
        let cid = usize::from(cid);
        if map.len() <= cid {
            map.resize(cid + 1, 0);
        }
        if let Some(slot) = map.get_mut(cid) {
            if *slot == 0 {
                *slot = gid;
            }
        }
    }
    (Some(map), raw.and_then(cff_ros))
}

/// A CFF INDEX at `offset`: (element ranges start..end, end of the INDEX).
fn cff_index(data: &[u8], offset: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    let count = usize::from(u16::from_be_bytes([
        *data.get(offset)?,
        *data.get(offset + 1)?,
    ]));
    if count == 0 {
        return Some((Vec::new(), offset + 2));
    }
    let off_size = usize::from(*data.get(offset + 2)?);
    if !(1..=4).contains(&off_size) {
        return None;
    }
    let read_off = |i: usize| -> Option<usize> {
        let at = offset + 3 + i * off_size;
        let bytes = data.get(at..at + off_size)?;
        Some(
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
        )
    };
    let base = offset + 3 + (count + 1) * off_size - 1;
    let mut ranges = Vec::with_capacity(count.min(1024));
    let mut prev = read_off(0)?;
    for i in 1..=count {
        let next = read_off(i)?;
        if next < prev {
            return None;
        }
        ranges.push((base + prev, base + next));
        prev = next;
    }
    let end = base + prev;
    (end <= data.len()).then_some((ranges, end))
}

/// The `ROS` (Registry, Ordering, Supplement) of a CFF's first top DICT; custom strings only
/// (`Adobe`, `Japan1` are not CFF standard strings).
fn cff_ros(data: &[u8]) -> Option<Ros> {
    let hdr_size = usize::from(*data.get(2)?);
    let (_, after_names) = cff_index(data, hdr_size)?;
    let (top, after_top) = cff_index(data, after_names)?;
    let (strings, _) = cff_index(data, after_top)?;
    let &(start, end) = top.first()?;
    let dict = data.get(start..end)?;
    let mut operands: Vec<f64> = Vec::new();
    let mut i = 0;
    while let Some(&b0) = dict.get(i) {
        i += 1;
        match b0 {
            12 => {
                let b1 = *dict.get(i)?;
                i += 1;
                if b1 == 30 {
                    let &[reg, ord, sup] = operands.as_slice() else {
                        return None;
                    };
                    let string = |sid: f64| -> Option<String> {
                        let idx = (sid as usize).checked_sub(391)?;
                        let &(s, e) = strings.get(idx)?;
                        Some(String::from_utf8_lossy(data.get(s..e)?).into_owned())
                    };
                    return Some((string(reg)?, string(ord)?, sup as i32));
                }
                operands.clear();
            }
            0..=21 => operands.clear(),
            28 => {
                let v = i16::from_be_bytes([*dict.get(i)?, *dict.get(i + 1)?]);
                i += 2;
                operands.push(f64::from(v));
            }
            29 => {
                let v = i32::from_be_bytes([
                    *dict.get(i)?,
                    *dict.get(i + 1)?,
                    *dict.get(i + 2)?,
                    *dict.get(i + 3)?,
                ]);
                i += 4;
                operands.push(f64::from(v));
            }
            30 => {
                // Real number: nibbles until 0xF; the value is not needed here.
                while let Some(&b) = dict.get(i) {
                    i += 1;
                    if b & 0x0F == 0x0F || b >> 4 == 0x0F {
                        break;
                    }
                }
                operands.push(0.0);
            }
            32..=246 => operands.push(f64::from(i32::from(b0) - 139)),
            247..=250 => {
                let b1 = *dict.get(i)?;
                i += 1;
                operands.push(f64::from((i32::from(b0) - 247) * 256 + i32::from(b1) + 108));
            }
            251..=254 => {
                let b1 = *dict.get(i)?;
                i += 1;
                operands.push(f64::from(
                    -(i32::from(b0) - 251) * 256 - i32::from(b1) - 108,
                ));
            }
            _ => {}
        }
        if operands.len() > 48 {
            return None;
        }
    }
    None
}

/// Type 1: only the built-in `/Encoding` of the clear-text part is read.
fn parse_type1(data: &[u8]) -> Option<FontProgram> {
    let clear = match data {
        [0x80, 0x01, a, b, c, d, rest @ ..] => {
            let len = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
            rest.get(..len.min(rest.len()))?
        }
        _ => data,
    };
    let clear = match find(clear, b"eexec") {
        Some(at) => clear.get(..at)?,
        None => clear,
    };
    let at = find(clear, b"/Encoding")?;
    let rest = clear.get(at + b"/Encoding".len()..)?;
    let mut words = rest
        .split(|b| b" \t\r\n[]{}".contains(b))
        .filter(|w| !w.is_empty())
        .peekable();
    let builtin = if words.peek() == Some(&&b"StandardEncoding"[..]) {
        SimpleEncoding::new(Some("StandardEncoding"))
    } else {
        let mut enc = SimpleEncoding::empty();
        let mut window: [&[u8]; 3] = [b"", b"", b""];
        for w in words {
            if w == b"def" {
                break;
            }
            if w == b"put" && window[0] == b"dup" {
                let code = std::str::from_utf8(window[1])
                    .ok()
                    .and_then(|s| s.parse::<u8>().ok());
                let name = window[2]
                    .strip_prefix(b"/")
                    .and_then(|n| std::str::from_utf8(n).ok());
                if let (Some(code), Some(name)) = (code, name) {
                    enc.set_glyph_name(code, name);
                }
            }
            window = [window[1], window[2], w];
        }
        enc
    };
    Some(FontProgram {
        kind: ProgramKind::Type1,
        num_glyphs: 0,
        vals: Vec::new(),
        multi: Vec::new(),
        cid_to_gid: None,
        ros: None,
        simple: None,
        builtin: Some(builtin),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be16(v: u16) -> [u8; 2] {
        v.to_be_bytes()
    }

    /// An sfnt from tables (tags sorted, checksums zero: ttf-parser does not check them).
    fn sfnt(mut tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
        tables.sort_by_key(|t| *t.0);
        let mut out = vec![0, 1, 0, 0];
        out.extend(be16(tables.len() as u16));
        out.extend([0; 6]);
        let mut offset = 12 + 16 * tables.len();
        let mut body = Vec::new();
        for (tag, data) in &tables {
            out.extend(*tag);
            out.extend([0; 4]);
            out.extend((offset as u32).to_be_bytes());
            out.extend((data.len() as u32).to_be_bytes());
            let mut d = data.clone();
            d.resize(data.len().next_multiple_of(4), 0);
            offset += d.len();
            body.extend(d);
        }
        out.extend(body);
        out
    }

    fn head() -> Vec<u8> {
        let mut h = vec![0u8; 54];
        h[18..20].copy_from_slice(&be16(1000));
        h
    }

    fn hhea() -> Vec<u8> {
        vec![0u8; 36]
    }

    fn maxp(glyphs: u16) -> Vec<u8> {
        let mut m = vec![0, 0, 0x50, 0];
        m.extend(be16(glyphs));
        m
    }

    /// A format 4 subtable with one segment per mapping.
    fn format4(map: &[(u16, u16)]) -> Vec<u8> {
        let mut map = map.to_vec();
        map.sort();
        let seg = map.len() + 1;
        let mut ends = Vec::new();
        let mut starts = Vec::new();
        let mut deltas = Vec::new();
        for &(code, gid) in &map {
            ends.extend(be16(code));
            starts.extend(be16(code));
            deltas.extend(be16(gid.wrapping_sub(code)));
        }
        ends.extend(be16(0xFFFF));
        starts.extend(be16(0xFFFF));
        deltas.extend(be16(1));
        let mut t = Vec::new();
        t.extend(be16(4));
        t.extend(be16((16 + 8 * seg) as u16));
        t.extend(be16(0));
        t.extend(be16((2 * seg) as u16));
        t.extend([0; 6]);
        t.extend(ends);
        t.extend(be16(0));
        t.extend(starts);
        t.extend(deltas);
        t.extend(vec![0u8; 2 * seg]);
        t
    }

    fn format12(groups: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut t = Vec::new();
        t.extend(be16(12));
        t.extend(be16(0));
        t.extend(((16 + 12 * groups.len()) as u32).to_be_bytes());
        t.extend(0u32.to_be_bytes());
        t.extend((groups.len() as u32).to_be_bytes());
        for &(s, e, g) in groups {
            t.extend(s.to_be_bytes());
            t.extend(e.to_be_bytes());
            t.extend(g.to_be_bytes());
        }
        t
    }

    fn cmap(subtables: &[(u16, u16, Vec<u8>)]) -> Vec<u8> {
        let mut t = Vec::new();
        t.extend(be16(0));
        t.extend(be16(subtables.len() as u16));
        let mut offset = 4 + 8 * subtables.len();
        let mut body: Vec<u8> = Vec::new();
        for (p, e, data) in subtables {
            t.extend(be16(*p));
            t.extend(be16(*e));
            t.extend((offset as u32).to_be_bytes());
            offset += data.len();
            body.extend(data);
        }
        t.extend(body);
        t
    }

    /// `post` version 2: per glyph either a Macintosh standard index or a custom name.
    fn post(names: &[Result<u16, &str>]) -> Vec<u8> {
        let mut t = vec![0, 2, 0, 0];
        t.extend([0u8; 28]);
        t.extend(be16(names.len() as u16));
        let mut custom = Vec::new();
        for n in names {
            match n {
                Ok(i) => t.extend(be16(*i)),
                Err(name) => {
                    t.extend(be16(258 + custom.len() as u16));
                    custom.push(*name);
                }
            }
        }
        for name in custom {
            t.push(name.len() as u8);
            t.extend(name.as_bytes());
        }
        t
    }

    /// GSUB with one lookup: a format 2 single substitution `from → to`.
    fn gsub_single(from: u16, to: u16) -> Vec<u8> {
        let mut t = vec![0, 1, 0, 0];
        t.extend(be16(10)); // script list
        t.extend(be16(12)); // feature list
        t.extend(be16(14)); // lookup list
        t.extend(be16(0)); // scripts: none
        t.extend(be16(0)); // features: none
        t.extend(be16(1)); // lookup count
        t.extend(be16(4)); // lookup offset (from lookup list)
                           // Lookup at 18: type 1, flags 0, 1 subtable at +8.
        t.extend(be16(1));
        t.extend(be16(0));
        t.extend(be16(1));
        t.extend(be16(8));
        // Single substitution format 2 at 26: coverage at +8.
        t.extend(be16(2));
        t.extend(be16(8));
        t.extend(be16(1));
        t.extend(be16(to));
        // Coverage format 1.
        t.extend(be16(1));
        t.extend(be16(1));
        t.extend(be16(from));
        t
    }

    fn test_font() -> Vec<u8> {
        let unicode4 = format4(&[
            (0x20, 4),
            (0x41, 1),
            (0x42, 2),
            (0xA0, 4),
            (0x2F08, 3),
            (0x4EBA, 3),
        ]);
        // 𠮟 → 5, and a hostile group claiming every code from U+10FFF0 up.
        let unicode12 = format12(&[(0x20B9F, 0x20B9F, 5), (0x10FFF0, 0xFFFF_FFFF, 0)]);
        let names = [
            Ok(0),
            Ok(36),
            Ok(37),
            Err("g3"),
            Ok(3),
            Err("g5"),
            Err("uni30A2"),
            Err("f_i"),
            Ok(3),
            Err("g9"),
        ];
        sfnt(vec![
            (b"head", head()),
            (b"hhea", hhea()),
            (b"maxp", maxp(10)),
            (b"cmap", cmap(&[(3, 1, unicode4), (3, 10, unicode12)])),
            (b"post", post(&names)),
            (b"GSUB", gsub_single(3, 9)),
        ])
    }

    #[test]
    fn synthetic_truetype_glyph_to_unicode() {
        let font = FontProgram::parse(&test_font()).expect("parses");
        assert_eq!(font.kind(), ProgramKind::TrueType);
        assert_eq!(font.num_glyphs(), 10);
        let cases: &[(u16, Option<&str>)] = &[
            (0, None),
            (1, Some("A")),
            (2, Some("B")),
            (3, Some("人")), // shared with the Kangxi radical U+2F08: the ideograph wins
            (4, Some(" ")),  // shared with U+00A0: the space wins
            (5, Some("𠮟")), // format 12
            (6, Some("ア")), // post name uni30A2
            (7, Some("fi")), // post name f_i
            (8, Some(" ")),  // standard Macintosh name index 3 = space
            (9, Some("人")), // reached only through GSUB from glyph 3
            (10, None),
            (u16::MAX, None),
        ];
        for &(gid, want) in cases {
            assert_eq!(font.gid_to_unicode(gid).as_deref(), want, "gid {gid}");
        }
        assert_eq!(font.mapped_glyphs(), 9);
        assert!(!font.is_cid_keyed());
        assert_eq!(font.cid_to_gid(3), None);
        // Simple-font use of the Unicode subtable.
        assert_eq!(font.simple_code_to_gid(0x41), Some(1));
        let mut s = String::new();
        assert_eq!(
            font.simple_code_to_unicode_into(0x42, &mut s),
            Some(Confidence::Font)
        );
        assert_eq!(s, "B");
        assert_eq!(font.simple_code_to_unicode_into(0x43, &mut s), None);
        let enc = font.builtin_encoding().expect("encoding from the cmap");
        assert_eq!(enc.lookup(0x41), Some('A'));
        assert_eq!(enc.lookup(0xA0), Some(' '));
        assert_eq!(enc.lookup(0x43), None);
    }

    #[test]
    fn symbol_and_mac_subtables() {
        let symbol = sfnt(vec![
            (b"head", head()),
            (b"hhea", hhea()),
            (b"maxp", maxp(3)),
            (
                b"cmap",
                cmap(&[(3, 0, format4(&[(0xF041, 1), (0xF0E9, 2)]))]),
            ),
        ]);
        let font = FontProgram::parse(&symbol).expect("parses");
        assert_eq!(font.mapped_glyphs(), 0);
        assert_eq!(font.simple_code_to_gid(0x41), Some(1));
        let mut s = String::new();
        assert_eq!(
            font.simple_code_to_unicode_into(0xE9, &mut s),
            Some(Confidence::Guess)
        );
        assert_eq!(font.simple_code_to_unicode_into(0x42, &mut s), None);
        assert_eq!(s, "é");
        assert!(font.builtin_encoding().is_none());

        let mut mac0 = vec![0, 0, 0x01, 0x06, 0, 0];
        let mut glyphs = [0u8; 256];
        glyphs[0x41] = 1;
        glyphs[0x8A] = 2; // ä in Mac OS Roman
        mac0.extend(glyphs);
        let mac = sfnt(vec![
            (b"head", head()),
            (b"hhea", hhea()),
            (b"maxp", maxp(3)),
            (b"cmap", cmap(&[(1, 0, mac0)])),
        ]);
        let font = FontProgram::parse(&mac).expect("parses");
        assert_eq!(font.gid_to_unicode(1).as_deref(), Some("A"));
        assert_eq!(font.gid_to_unicode(2).as_deref(), Some("ä"));
        s.clear();
        assert_eq!(
            font.simple_code_to_unicode_into(0x8A, &mut s),
            Some(Confidence::Font)
        );
        assert_eq!(s, "ä");
    }

    #[test]
    fn cid_to_gid_map_stream() {
        let map = [0u8, 0, 0, 5, 1, 0, 0xFF];
        let cases: &[(u32, Option<u16>)] = &[
            (0, Some(0)),
            (1, Some(5)),
            (2, Some(256)),
            (3, None),
            (u32::MAX, None),
        ];
        for &(cid, want) in cases {
            assert_eq!(cid_to_gid(&map, cid), want, "CID {cid}");
        }
    }

    #[test]
    fn type1_builtin_encoding() {
        let pfa = b"%!PS-AdobeFont-1.0: Test 001\n/FontName /Test def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 65 /A put\ndup 97 /uni30A2 put\ndup 300 /B put\nreadonly def\ncurrentfile eexec\n\xde\xad\xbe\xef";
        let font = FontProgram::parse(pfa).expect("parses");
        assert_eq!(font.kind(), ProgramKind::Type1);
        let enc = font.builtin_encoding().expect("encoding");
        assert_eq!(enc.lookup(65), Some('A'));
        assert_eq!(enc.lookup(97), Some('ア'));
        assert_eq!(enc.lookup(66), None);
        let mut pfb = vec![0x80, 0x01];
        let clear = b"%!FontType1-1.0: Std\n/Encoding StandardEncoding def\ncurrentfile eexec\n";
        pfb.extend((clear.len() as u32).to_le_bytes());
        pfb.extend(clear);
        pfb.extend([0x80, 0x02, 4, 0, 0, 0, 1, 2, 3, 4]);
        let enc = FontProgram::parse(&pfb)
            .and_then(|f| f.builtin_encoding())
            .expect("encoding");
        assert_eq!(enc.lookup(0x27), Some('’'));
    }

    #[test]
    fn garbage_and_truncated_fonts() {
        let font = test_font();
        assert!(FontProgram::parse(b"").is_none());
        assert!(FontProgram::parse(b"\x00\x01\x00\x00").is_none());
        assert!(FontProgram::parse(b"not a font at all").is_none());
        // Every truncation either fails or yields a usable, non-panicking program.
        for len in (0..font.len()).step_by(7) {
            if let Some(p) = FontProgram::parse(&font[..len]) {
                for gid in 0..12 {
                    let _ = p.gid_to_unicode(gid);
                }
            }
        }
        // Corrupt bytes: same.
        let mut bad = font.clone();
        for i in (12..bad.len()).step_by(5) {
            bad[i] ^= 0xA5;
        }
        if let Some(p) = FontProgram::parse(&bad) {
            let _ = p.mapped_glyphs();
        }
        assert!(FontProgram::parse(&[1, 0, 4, 1, 0, 0]).is_none());
    }

    /// A system TrueType font, when present: every Unicode → glyph mapping of the font reverses
    /// to a code point that maps to the same glyph.
    #[test]
    fn system_font_round_trip() {
        let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        let Ok(data) = std::fs::read(path) else {
            eprintln!("skipped: {path} not present");
            return;
        };
        let t = std::time::Instant::now();
        let font = FontProgram::parse(&data).expect("parses");
        let elapsed = t.elapsed();
        let face = ttf_parser::Face::parse(&data, 0).expect("face");
        let (mut checked, mut mismatched) = (0, 0);
        for c in ('\u{20}'..='\u{FFFF}').filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c)) {
            let Some(gid) = face.glyph_index(c).filter(|g| g.0 != 0) else {
                continue;
            };
            let text = font
                .gid_to_unicode(gid.0)
                .unwrap_or_else(|| panic!("{c:?} → {gid:?} unmapped"));
            let back = text.chars().next().and_then(|r| face.glyph_index(r));
            checked += 1;
            if back != Some(gid) {
                mismatched += 1;
            }
        }
        eprintln!(
            "{path}: {} glyphs, {} mapped, {checked} code points checked, built in {elapsed:?}",
            font.num_glyphs(),
            font.mapped_glyphs()
        );
        assert!(checked > 3000, "{checked}");
        assert_eq!(mismatched, 0);
        assert_eq!(
            font.gid_to_unicode(face.glyph_index('é').expect("é").0)
                .as_deref(),
            Some("é")
        );
    }
}

/// Font programs embedded in the sample PDFs of `../shared/pdf-cjk` (skipped when absent).
#[cfg(test)]
mod corpus_tests {
    use super::*;
    use std::path::Path;

    /// `(font name, FontFile key, decoded program)` for every embedded font of a PDF.
    fn embedded_fonts(path: &Path) -> Vec<(String, String, Vec<u8>)> {
        let Ok(doc) = lopdf::Document::load(path) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for obj in doc.objects.values() {
            let Ok(dict) = obj.as_dict() else { continue };
            if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(&b"FontDescriptor"[..]) {
                continue;
            }
            let name = dict
                .get(b"FontName")
                .and_then(|n| n.as_name())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            for key in ["FontFile", "FontFile2", "FontFile3"] {
                let Ok(r) = dict.get(key.as_bytes()).and_then(|o| o.as_reference()) else {
                    continue;
                };
                let Ok(stream) = doc.get_object(r).and_then(|o| o.as_stream()) else {
                    continue;
                };
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                out.push((name.clone(), key.to_string(), data));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn corpus() -> Option<std::path::PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf-cjk");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipped: {} not present", dir.display());
            None
        }
    }

    #[test]
    fn every_embedded_font_parses_without_panic() {
        let Some(dir) = corpus() else { return };
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let mut programs = 0;
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        {
            for (name, key, data) in embedded_fonts(path) {
                let t = std::time::Instant::now();
                let program = FontProgram::parse(&data);
                let elapsed = t.elapsed();
                let file = path
                    .file_name()
                    .map(|f| f.to_string_lossy())
                    .unwrap_or_default();
                match &program {
                    Some(p) => eprintln!(
                        "{file} {name} {key}: {:?} glyphs={} mapped={} cid_keyed={} ros={:?} builtin={} in {elapsed:?}",
                        p.kind(),
                        p.num_glyphs(),
                        p.mapped_glyphs(),
                        p.is_cid_keyed(),
                        p.cff_ros(),
                        p.builtin_encoding().is_some(),
                    ),
                    None => eprintln!("{file} {name} {key}: not readable"),
                }
                programs += usize::from(program.is_some());
            }
        }
        assert!(programs > 30, "{programs}");
    }

    /// The characters of a reference text that the embedded fonts' glyph → Unicode maps can
    /// produce, as a share of the reference's distinct non-space characters.
    fn coverage(dir: &Path, file: &str) -> Option<(f64, Vec<char>, Vec<char>)> {
        let fonts = embedded_fonts(&dir.join(format!("{file}.pdf")));
        let reference = std::fs::read_to_string(dir.join(format!("reference/{file}.txt"))).ok()?;
        let mut produced = std::collections::BTreeSet::new();
        for (_, _, data) in &fonts {
            let Some(p) = FontProgram::parse(data) else {
                continue;
            };
            for gid in 0..p.num_glyphs() {
                if let Some(t) = p.gid_to_unicode(gid) {
                    produced.extend(t.chars());
                }
            }
        }
        let wanted: std::collections::BTreeSet<char> = reference
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{FFFD}')
            .collect();
        let missing: Vec<char> = wanted
            .iter()
            .copied()
            .filter(|c| !produced.contains(c))
            .collect();
        let share = 1.0 - missing.len() as f64 / wanted.len().max(1) as f64;
        let extra: Vec<char> = produced
            .iter()
            .copied()
            .filter(|c| !wanted.contains(c))
            .collect();
        Some((share, missing, extra))
    }

    #[test]
    fn embedded_fonts_cover_reference_text() {
        let Some(dir) = corpus() else { return };
        // (file, minimum share of the reference's characters the fonts can produce, whether
        // the fonts are subsets that must produce nothing beyond the reference but spaces)
        let cases: &[(&str, f64, bool)] = &[
            ("synthetic-report_grid_type0_noToUnicode", 1.0, true),
            ("javauninstall-7r", 1.0, false),
            ("issue16538", 1.0, true),
            ("issue-625-identity-cmap", 1.0, true),
            ("issue13147", 1.0, false), // damaged: the reference holds part of the text
            ("nlp2004slides", 0.9, false), // the rest is in fonts without cmap or names
        ];
        for &(file, min, exact) in cases {
            let Some((share, missing, extra)) = coverage(&dir, file) else {
                eprintln!("skipped {file}: not readable");
                continue;
            };
            let shown: String = missing.iter().take(40).collect();
            if exact {
                assert!(
                    extra.iter().all(|c| c.is_whitespace()),
                    "{file}: extra {extra:?}"
                );
            }
            let extra: String = extra.iter().take(60).collect();
            eprintln!("{file}: {:.1} % of reference characters; missing {shown:?}; not in reference {extra:?}", share * 100.0);
            assert!(share >= min, "{file}: {share}");
        }
    }
}
