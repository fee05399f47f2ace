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

mod cff;
#[cfg(test)]
mod corpus_tests;
mod sfnt;
#[cfg(test)]
pub(crate) mod tests;
mod type1;

use super::cmap::cid_to_unicode_into;
use super::encoding::{base_encoding, glyph_name_to_unicode_into, mac_os_roman, SimpleEncoding};
use cff::*;
use sfnt::*;
use type1::*;

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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
