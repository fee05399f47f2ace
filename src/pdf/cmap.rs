//! CMaps: splitting shown strings into character codes, codes → CIDs, codes → Unicode.
//!
//! Two sources:
//! - embedded CMap streams, parsed here ([`CMap::parse`]): ToUnicode maps (`bfchar`, `bfrange`
//!   with the array form, UTF-16BE values with surrogate pairs, multi-character values) and
//!   encoding CMaps (`cidchar`, `cidrange`, `notdefchar`, `notdefrange`, `usecmap`);
//! - predefined CMaps by name ([`predefined`]), built on the `hayro-cmap` crate, which ships
//!   Adobe's CMap resources, plus CID → Unicode for the Adobe character collections
//!   ([`cid_to_unicode`], from Adobe's `*-UCS2` maps).
//!
//! Lookups are binary searches over disjoint sorted ranges (O(log n)); parsing is one pass over
//! the stream plus a sort that is linear for the usual already-ordered maps.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hayro_cmap::{BfString, CMapName};

use super::encoding::glyph_name_to_unicode_into;

/// A codespace range: `len` bytes, each between the corresponding bytes of `lo` and `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Codespace {
    len: u8,
    lo: [u8; 4],
    hi: [u8; 4],
}

impl Codespace {
    const fn new(len: u8, lo: [u8; 4], hi: [u8; 4]) -> Self {
        Codespace { len, lo, hi }
    }

    /// Number of leading bytes of `bytes` (at most `len`) that fall in this range.
    fn matching_prefix(&self, bytes: &[u8]) -> usize {
        bytes
            .iter()
            .zip(self.lo.iter().zip(self.hi.iter()))
            .take(usize::from(self.len))
            .take_while(|(b, (lo, hi))| (**lo..=**hi).contains(*b))
            .count()
    }

    /// Whether a code of this range's length lies in it.
    fn contains(&self, code: u32) -> bool {
        let n = usize::from(self.len);
        if n < 4 && code >> (8 * n) != 0 {
            return false;
        }
        (0..n).all(|i| {
            let b = (code >> (8 * (n - 1 - i))) as u8;
            match (self.lo.get(i), self.hi.get(i)) {
                (Some(lo), Some(hi)) => (*lo..=*hi).contains(&b),
                _ => false,
            }
        })
    }
}

const fn cs1(lo: u8, hi: u8) -> Codespace {
    Codespace::new(1, [lo, 0, 0, 0], [hi, 0, 0, 0])
}
const fn cs2(lo: [u8; 2], hi: [u8; 2]) -> Codespace {
    Codespace::new(2, [lo[0], lo[1], 0, 0], [hi[0], hi[1], 0, 0])
}
const fn cs4(lo: [u8; 4], hi: [u8; 4]) -> Codespace {
    Codespace::new(4, lo, hi)
}

// Codespaces of the predefined CMaps (from Adobe's CMap resources; the -V maps share the -H
// codespace through `usecmap`).
const CS_RKSJ: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0x81, 0x40], [0x9F, 0xFC]),
    cs1(0xA0, 0xDF),
    cs2([0xE0, 0x40], [0xFC, 0xFC]),
];
const CS_RKSJ_PV: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0x81, 0x40], [0x9F, 0xFC]),
    cs1(0xA0, 0xDF),
    cs2([0xE0, 0x40], [0xFC, 0xFC]),
    cs1(0xFD, 0xFF),
];
const CS_EUC_JP: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0x8E, 0xA0], [0x8E, 0xDF]),
    cs2([0xA1, 0xA1], [0xFE, 0xFE]),
];
const CS_JIS: &[Codespace] = &[cs2([0x21, 0x21], [0x7E, 0x7E])];
const CS_UCS2: &[Codespace] = &[
    cs2([0x00, 0x00], [0xD7, 0xFF]),
    cs2([0xE0, 0x00], [0xFF, 0xFF]),
];
const CS_UTF16: &[Codespace] = &[
    cs2([0x00, 0x00], [0xD7, 0xFF]),
    cs4([0xD8, 0x00, 0xDC, 0x00], [0xDB, 0xFF, 0xDF, 0xFF]),
    cs2([0xE0, 0x00], [0xFF, 0xFF]),
];
const CS_IDENTITY: &[Codespace] = &[cs2([0x00, 0x00], [0xFF, 0xFF])];
const CS_B5PC: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0xA1, 0x40], [0xFC, 0xFE]),
    cs1(0xFD, 0xFF),
];
const CS_CNS_EUC: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs4([0x8E, 0xA1, 0xA1, 0xA1], [0x8E, 0xA1, 0xFE, 0xFE]),
    cs4([0x8E, 0xA2, 0xA1, 0xA1], [0x8E, 0xA2, 0xFE, 0xFE]),
    cs4([0x8E, 0xA3, 0xA1, 0xA1], [0x8E, 0xA3, 0xFE, 0xFE]),
    cs2([0xA1, 0xA1], [0xFE, 0xFE]),
];
const CS_ETEN_B5: &[Codespace] = &[cs1(0x00, 0x80), cs2([0xA1, 0x40], [0xFE, 0xFE])];
const CS_HKSCS: &[Codespace] = &[cs1(0x00, 0x80), cs2([0x87, 0x40], [0xFE, 0xFE])];
const CS_EUC2: &[Codespace] = &[cs1(0x00, 0x80), cs2([0xA1, 0xA1], [0xFE, 0xFE])];
const CS_GBK: &[Codespace] = &[cs1(0x00, 0x80), cs2([0x81, 0x40], [0xFE, 0xFE])];
const CS_GBK2K: &[Codespace] = &[
    cs1(0x00, 0x7F),
    cs4([0x81, 0x30, 0x81, 0x30], [0xFE, 0x39, 0xFE, 0x39]),
    cs2([0x81, 0x40], [0xFE, 0xFE]),
];
const CS_GBPC: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0xA1, 0xA1], [0xFC, 0xFE]),
    cs1(0xFD, 0xFF),
];
const CS_UHC: &[Codespace] = &[cs1(0x00, 0x80), cs2([0x81, 0x41], [0xFE, 0xFE])];
const CS_KSCPC: &[Codespace] = &[
    cs1(0x00, 0x84),
    cs2([0xA1, 0x41], [0xFD, 0xFE]),
    cs1(0xFE, 0xFF),
];

/// How the codes of a predefined CMap relate to Unicode directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direct {
    /// Codes are not Unicode: go through the CID and the collection's CID → Unicode map.
    No,
    /// Codes are UCS-2 (the `Uni*-UCS2-*` maps).
    Ucs2,
    /// Codes are UTF-16BE code units, 2 or 4 bytes (the `Uni*-UTF16-*` maps).
    Utf16,
}

/// The predefined CMaps this module supports: name, codespace, character collection ordering
/// (registry is Adobe), direct-Unicode kind.
#[rustfmt::skip]
static PREDEFINED: &[(&str, &[Codespace], &str, Direct)] = &[
    ("Identity-H", CS_IDENTITY, "Identity", Direct::No),
    ("Identity-V", CS_IDENTITY, "Identity", Direct::No),
    // Adobe-Japan1
    ("83pv-RKSJ-H", CS_RKSJ_PV, "Japan1", Direct::No),
    ("90pv-RKSJ-H", CS_RKSJ_PV, "Japan1", Direct::No),
    ("90ms-RKSJ-H", CS_RKSJ, "Japan1", Direct::No),
    ("90ms-RKSJ-V", CS_RKSJ, "Japan1", Direct::No),
    ("90msp-RKSJ-H", CS_RKSJ, "Japan1", Direct::No),
    ("90msp-RKSJ-V", CS_RKSJ, "Japan1", Direct::No),
    ("Add-RKSJ-H", CS_RKSJ, "Japan1", Direct::No),
    ("Add-RKSJ-V", CS_RKSJ, "Japan1", Direct::No),
    ("Ext-RKSJ-H", CS_RKSJ, "Japan1", Direct::No),
    ("Ext-RKSJ-V", CS_RKSJ, "Japan1", Direct::No),
    ("EUC-H", CS_EUC_JP, "Japan1", Direct::No),
    ("EUC-V", CS_EUC_JP, "Japan1", Direct::No),
    ("H", CS_JIS, "Japan1", Direct::No),
    ("V", CS_JIS, "Japan1", Direct::No),
    ("UniJIS-UCS2-H", CS_UCS2, "Japan1", Direct::Ucs2),
    ("UniJIS-UCS2-V", CS_UCS2, "Japan1", Direct::Ucs2),
    ("UniJIS-UCS2-HW-H", CS_UCS2, "Japan1", Direct::Ucs2),
    ("UniJIS-UCS2-HW-V", CS_UCS2, "Japan1", Direct::Ucs2),
    ("UniJIS-UTF16-H", CS_UTF16, "Japan1", Direct::Utf16),
    ("UniJIS-UTF16-V", CS_UTF16, "Japan1", Direct::Utf16),
    // Adobe-CNS1
    ("B5pc-H", CS_B5PC, "CNS1", Direct::No),
    ("B5pc-V", CS_B5PC, "CNS1", Direct::No),
    ("CNS-EUC-H", CS_CNS_EUC, "CNS1", Direct::No),
    ("CNS-EUC-V", CS_CNS_EUC, "CNS1", Direct::No),
    ("ETen-B5-H", CS_ETEN_B5, "CNS1", Direct::No),
    ("ETen-B5-V", CS_ETEN_B5, "CNS1", Direct::No),
    ("ETenms-B5-H", CS_ETEN_B5, "CNS1", Direct::No),
    ("ETenms-B5-V", CS_ETEN_B5, "CNS1", Direct::No),
    ("HKscs-B5-H", CS_HKSCS, "CNS1", Direct::No),
    ("HKscs-B5-V", CS_HKSCS, "CNS1", Direct::No),
    ("UniCNS-UCS2-H", CS_UCS2, "CNS1", Direct::Ucs2),
    ("UniCNS-UCS2-V", CS_UCS2, "CNS1", Direct::Ucs2),
    ("UniCNS-UTF16-H", CS_UTF16, "CNS1", Direct::Utf16),
    ("UniCNS-UTF16-V", CS_UTF16, "CNS1", Direct::Utf16),
    // Adobe-GB1
    ("GB-EUC-H", CS_EUC2, "GB1", Direct::No),
    ("GB-EUC-V", CS_EUC2, "GB1", Direct::No),
    ("GBK-EUC-H", CS_GBK, "GB1", Direct::No),
    ("GBK-EUC-V", CS_GBK, "GB1", Direct::No),
    ("GBKp-EUC-H", CS_GBK, "GB1", Direct::No),
    ("GBKp-EUC-V", CS_GBK, "GB1", Direct::No),
    ("GBK2K-H", CS_GBK2K, "GB1", Direct::No),
    ("GBK2K-V", CS_GBK2K, "GB1", Direct::No),
    ("GBpc-EUC-H", CS_GBPC, "GB1", Direct::No),
    ("GBpc-EUC-V", CS_GBPC, "GB1", Direct::No),
    ("UniGB-UCS2-H", CS_UCS2, "GB1", Direct::Ucs2),
    ("UniGB-UCS2-V", CS_UCS2, "GB1", Direct::Ucs2),
    ("UniGB-UTF16-H", CS_UTF16, "GB1", Direct::Utf16),
    ("UniGB-UTF16-V", CS_UTF16, "GB1", Direct::Utf16),
    // Adobe-Korea1
    ("KSC-EUC-H", CS_EUC2, "Korea1", Direct::No),
    ("KSC-EUC-V", CS_EUC2, "Korea1", Direct::No),
    ("KSCms-UHC-H", CS_UHC, "Korea1", Direct::No),
    ("KSCms-UHC-V", CS_UHC, "Korea1", Direct::No),
    ("KSCms-UHC-HW-H", CS_UHC, "Korea1", Direct::No),
    ("KSCms-UHC-HW-V", CS_UHC, "Korea1", Direct::No),
    ("KSCpc-EUC-H", CS_KSCPC, "Korea1", Direct::No),
    ("UniKS-UCS2-H", CS_UCS2, "Korea1", Direct::Ucs2),
    ("UniKS-UCS2-V", CS_UCS2, "Korea1", Direct::Ucs2),
    ("UniKS-UTF16-H", CS_UTF16, "Korea1", Direct::Utf16),
    ("UniKS-UTF16-V", CS_UTF16, "Korea1", Direct::Utf16),
];

/// A mapped Unicode value: one character, or a slice of the owning map's string pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UniVal {
    Char(char),
    Str { start: u32, end: u32 },
}

/// Disjoint, sorted code ranges, each with a value for its first code.
#[derive(Debug, Clone)]
struct RangeMap<V> {
    entries: Vec<(u32, u32, V)>,
}

impl<V> Default for RangeMap<V> {
    fn default() -> Self {
        RangeMap {
            entries: Vec::new(),
        }
    }
}

impl<V: Copy> RangeMap<V> {
    /// The entry containing `code` and the offset of `code` from the entry's start.
    fn get(&self, code: u32) -> Option<(V, u32)> {
        let idx = self.entries.partition_point(|e| e.0 <= code);
        let &(lo, hi, v) = self.entries.get(idx.checked_sub(1)?)?;
        (code <= hi).then_some((v, code - lo))
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Build from entries in definition order; where ranges overlap, the later definition
    /// wins. `shift(v, k)` gives the value for the code `k` places after a range's start.
    fn build(mut entries: Vec<(u32, u32, V)>, mut shift: impl FnMut(V, u32) -> Option<V>) -> Self {
        entries.retain(|e| e.0 <= e.1);
        let disjoint = |e: &[(u32, u32, V)]| e.windows(2).all(|w| matches!(w, [a, b] if a.1 < b.0));
        if disjoint(&entries) {
            return RangeMap { entries };
        }
        let mut sorted = entries.clone();
        sorted.sort_by_key(|e| e.0); // stable: equal starts keep definition order
        if disjoint(&sorted) {
            return RangeMap { entries: sorted };
        }
        // Overlaps: paint the ranges in definition order onto a set of disjoint intervals.
        let mut painted: BTreeMap<u32, (u32, V)> = BTreeMap::new();
        for (lo, hi, v) in entries {
            let overlapping: Vec<(u32, u32, V)> = painted
                .range(..=hi)
                .rev()
                .take_while(|(_, (end, _))| *end >= lo)
                .map(|(&s, &(e, v))| (s, e, v))
                .collect();
            for (s, e, old) in overlapping {
                painted.remove(&s);
                if s < lo {
                    painted.insert(s, (lo - 1, old));
                }
                if e > hi {
                    if let Some(rest) = shift(old, hi + 1 - s) {
                        painted.insert(hi + 1, (e, rest));
                    }
                }
            }
            painted.insert(lo, (hi, v));
        }
        RangeMap {
            entries: painted.into_iter().map(|(s, (e, v))| (s, e, v)).collect(),
        }
    }
}

/// Where a CMap's mappings come from.
#[derive(Debug, Clone)]
enum Source {
    /// Parsed from an embedded stream (mappings in the `RangeMap`s).
    Embedded,
    /// `Identity-H` / `Identity-V`: two-byte codes are CIDs.
    Identity,
    /// A predefined CMap backed by `hayro-cmap`.
    Predefined {
        map: Box<hayro_cmap::CMap>,
        direct: Direct,
    },
}

/// The parent of a CMap that says `usecmap`.
#[derive(Debug, Clone)]
enum Parent {
    Static(&'static CMap),
    Owned(Box<CMap>),
}

impl Parent {
    fn get(&self) -> &CMap {
        match self {
            Parent::Static(c) => c,
            Parent::Owned(c) => c,
        }
    }
}

/// A character collection (`/CIDSystemInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Collection {
    pub registry: String,
    pub ordering: String,
    pub supplement: i32,
}

/// A CMap: codespace (how shown strings split into codes), code → CID, code → Unicode.
#[derive(Debug, Clone)]
pub struct CMap {
    name: String,
    vertical: bool,
    collection: Option<Collection>,
    /// Own codespace ranges, sorted by length (empty: inherit, or infer).
    codespace: Vec<Codespace>,
    cids: RangeMap<u32>,
    notdefs: RangeMap<u32>,
    unicode: RangeMap<UniVal>,
    pool: String,
    source: Source,
    parent: Option<Parent>,
    /// A `usecmap` name that is not a predefined CMap (for the caller to resolve).
    unresolved_parent: Option<String>,
}

/// The number of bytes to consume when nothing else is known.
const DEFAULT_CODESPACE: &[Codespace] = CS_IDENTITY;

impl CMap {
    fn empty(source: Source) -> Self {
        CMap {
            name: String::new(),
            vertical: false,
            collection: None,
            codespace: Vec::new(),
            cids: RangeMap::default(),
            notdefs: RangeMap::default(),
            unicode: RangeMap::default(),
            pool: String::new(),
            source,
            parent: None,
            unresolved_parent: None,
        }
    }

    /// The CMap's name (`/CMapName`, or the predefined name).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writing mode 1 (`/WMode 1`, or a predefined `-V` map), inherited from a parent.
    pub fn is_vertical(&self) -> bool {
        self.vertical || self.parent.as_ref().is_some_and(|p| p.get().is_vertical())
    }

    /// Whether this is a predefined (named) CMap rather than an embedded stream.
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn is_predefined(&self) -> bool {
        !matches!(self.source, Source::Embedded)
    }

    /// Whether codes map to CIDs one-to-one (`Identity-H`/`-V`).
    pub fn is_identity(&self) -> bool {
        matches!(self.source, Source::Identity)
    }

    /// The character collection the CMap declares (or its parent's).
    pub fn collection(&self) -> Option<&Collection> {
        self.collection
            .as_ref()
            .or_else(|| self.parent.as_ref()?.get().collection())
    }

    /// A `usecmap` name found in the stream that is not predefined; resolve it with
    /// [`CMap::set_parent`].
    pub fn unresolved_parent(&self) -> Option<&str> {
        self.unresolved_parent.as_deref()
    }

    /// Number of code → Unicode entries (ranges count once); 0 for maps without `bf*` data.
    pub fn unicode_entries(&self) -> usize {
        self.unicode.len()
    }

    /// Visit this map's own code → Unicode mappings in code order (ranges expanded; at most
    /// `limit` codes), e.g. to judge whether a ToUnicode map looks plausible.
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn for_each_unicode(&self, limit: usize, mut f: impl FnMut(u32, &str)) {
        let mut s = String::new();
        let mut n = 0usize;
        for &(lo, hi, val) in &self.unicode.entries {
            for code in lo..=hi {
                if n >= limit {
                    return;
                }
                n += 1;
                s.clear();
                if push_uni(val, code - lo, &self.pool, &mut s) {
                    f(code, &s);
                }
            }
        }
    }

    /// Number of code → CID entries (ranges count once).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn cid_entries(&self) -> usize {
        self.cids.len()
    }

    /// Set the writing mode (e.g. from the stream dictionary's `/WMode`).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn set_vertical(&mut self, vertical: bool) {
        self.vertical = vertical;
    }

    /// Make `parent` the map this one falls back to (`/UseCMap` given as a stream).
    pub fn set_parent(&mut self, parent: CMap) {
        self.parent = Some(Parent::Owned(Box::new(parent)));
        self.unresolved_parent = None;
    }

    /// The codespace in effect: own, else the parent's, else two-byte.
    fn codespace(&self) -> &[Codespace] {
        if let Source::Predefined { .. } | Source::Identity = self.source {
            if self.codespace.is_empty() {
                return DEFAULT_CODESPACE;
            }
        }
        if !self.codespace.is_empty() {
            return &self.codespace;
        }
        match &self.parent {
            Some(p) => p.get().codespace(),
            None => DEFAULT_CODESPACE,
        }
    }

    /// Split the next character code off `bytes`: `(code, number of bytes)`.
    ///
    /// The shortest codespace range that matches wins. When none matches, a range whose
    /// leading bytes match decides the length (PDF 2.0, 9.7.6.3), else the shortest length in
    /// the codespace; never more than `bytes.len()`. Empty input → `(0, 0)`.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        if bytes.is_empty() {
            return (0, 0);
        }
        let ranges = self.codespace();
        let mut partial: Option<(usize, usize)> = None; // (matched bytes, range length)
        let mut shortest = usize::MAX;
        for r in ranges {
            let n = usize::from(r.len);
            shortest = shortest.min(n);
            let m = r.matching_prefix(bytes);
            if m == n {
                // Ranges are sorted by length, so the first full match is the shortest.
                return (code_of(bytes.get(..n).unwrap_or(bytes)), n);
            }
            if m > 0 && partial.is_none_or(|(pm, _)| m > pm) {
                partial = Some((m, n));
            }
        }
        let n = match partial {
            Some((_, len)) => len,
            None if shortest == usize::MAX => 1,
            None => shortest,
        }
        .clamp(1, bytes.len());
        (code_of(bytes.get(..n).unwrap_or(bytes)), n)
    }

    /// Iterate over the `(code, byte length)` pairs of a shown string.
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn codes<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = (u32, usize)> + 'a {
        let mut rest = bytes;
        std::iter::from_fn(move || {
            let (code, n) = self.next_code(rest);
            if n == 0 {
                return None;
            }
            rest = rest.get(n..).unwrap_or(&[]);
            Some((code, n))
        })
    }

    /// The CID for a code of `len` bytes (as returned by [`CMap::next_code`]). `None` when the
    /// CMap does not map the code (callers use CID 0, `.notdef`).
    pub fn lookup_cid(&self, code: u32, len: usize) -> Option<u32> {
        match &self.source {
            Source::Identity => return (len <= 2).then_some(code),
            Source::Predefined { map, .. } => {
                return map.lookup_cid_code(code, u8::try_from(len).ok()?);
            }
            Source::Embedded => {}
        }
        if let Some((cid, off)) = self.cids.get(code) {
            return cid.checked_add(off);
        }
        if let Some((cid, _)) = self.notdefs.get(code) {
            return Some(cid);
        }
        self.parent.as_ref()?.get().lookup_cid(code, len)
    }

    /// The Unicode text for a code: ToUnicode `bf*` mappings; for predefined maps the code
    /// itself when the map is Unicode-based (`Uni*-UCS2/UTF16-*`), else code → CID → Unicode
    /// through the map's character collection. Identity maps give `None` (the collection is
    /// the font's: use [`cid_to_unicode`]).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn lookup_unicode(&self, code: u32) -> Option<String> {
        let mut s = String::new();
        self.lookup_unicode_into(code, &mut s).then_some(s)
    }

    /// Like [`CMap::lookup_unicode`], appending to `out`; returns whether anything was appended.
    pub fn lookup_unicode_into(&self, code: u32, out: &mut String) -> bool {
        match &self.source {
            Source::Identity => return false,
            Source::Predefined { direct, .. } => {
                return self.predefined_unicode(code, *direct, out);
            }
            Source::Embedded => {}
        }
        if let Some((val, off)) = self.unicode.get(code) {
            if push_uni(val, off, &self.pool, out) {
                return true;
            }
        }
        match &self.parent {
            Some(p) => p.get().lookup_unicode_into(code, out),
            None => false,
        }
    }

    fn predefined_unicode(&self, code: u32, direct: Direct, out: &mut String) -> bool {
        let c = match direct {
            Direct::Ucs2 if code <= 0xFFFF => char::from_u32(code),
            Direct::Utf16 if code <= 0xFFFF => char::from_u32(code),
            Direct::Utf16 => {
                let (hi, lo) = ((code >> 16) as u16, code as u16);
                char::decode_utf16([hi, lo]).next().and_then(|r| r.ok())
            }
            _ => None,
        };
        if let Some(c) = c {
            out.push(c);
            return true;
        }
        let len = self
            .codespace()
            .iter()
            .find(|r| r.contains(code))
            .map_or(2, |r| usize::from(r.len));
        match (self.lookup_cid(code, len), self.collection()) {
            (Some(cid), Some(coll)) => {
                cid_to_unicode_into(&coll.registry, &coll.ordering, cid, out)
            }
            _ => false,
        }
    }

    /// Parse an embedded CMap stream (decoded bytes). Lenient: unknown operators and malformed
    /// entries are skipped. `usecmap` of a predefined name is resolved; any other name is kept
    /// in [`CMap::unresolved_parent`]. `None` when the stream holds no mapping, codespace or
    /// `usecmap` at all.
    pub fn parse(data: &[u8]) -> Option<CMap> {
        Parser::new(data).run()
    }
}

/// Append the text of `val` shifted by `off` (incrementing its last character).
fn push_uni(val: UniVal, off: u32, pool: &str, out: &mut String) -> bool {
    match val {
        UniVal::Char(c) => match (c as u32).checked_add(off).and_then(char::from_u32) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        },
        UniVal::Str { start, end } => match pool.get(start as usize..end as usize) {
            Some(s) => push_shifted(s, off, out),
            None => false,
        },
    }
}

/// Append `s` with its last character advanced by `off`.
fn push_shifted(s: &str, off: u32, out: &mut String) -> bool {
    let Some((idx, last)) = s.char_indices().next_back() else {
        return false;
    };
    let Some(last) = (last as u32).checked_add(off).and_then(char::from_u32) else {
        return false;
    };
    out.push_str(s.get(..idx).unwrap_or(""));
    out.push(last);
    true
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

// ---------------------------------------------------------------------------------------------
// Predefined CMaps

fn predefined_index(name: &str) -> Option<usize> {
    PREDEFINED.iter().position(|(n, ..)| *n == name)
}

/// A predefined CMap by name (`90ms-RKSJ-H`, `UniJIS-UCS2-V`, `Identity-H`, …), built once and
/// cached for the life of the process. `None` for names that are not predefined.
pub fn predefined(name: &str) -> Option<&'static CMap> {
    const N: usize = PREDEFINED.len();
    static SLOTS: [OnceLock<Option<CMap>>; N] = [const { OnceLock::new() }; N];
    let idx = predefined_index(name)?;
    SLOTS
        .get(idx)?
        .get_or_init(|| build_predefined(idx))
        .as_ref()
}

/// The names [`predefined`] knows.
#[allow(dead_code)] // API not called by the font layer yet
pub fn predefined_names() -> impl Iterator<Item = &'static str> {
    PREDEFINED.iter().map(|(n, ..)| *n)
}

fn build_predefined(idx: usize) -> Option<CMap> {
    let &(name, codespace, ordering, direct) = PREDEFINED.get(idx)?;
    let source = if ordering == "Identity" {
        Source::Identity
    } else {
        let data = hayro_cmap::load_embedded(CMapName::from_bytes(name.as_bytes()))?;
        let map = hayro_cmap::CMap::parse(data, hayro_cmap::load_embedded)?;
        Source::Predefined {
            map: Box::new(map),
            direct,
        }
    };
    let mut cmap = CMap::empty(source);
    cmap.name = name.to_string();
    cmap.vertical = name == "V" || name.ends_with("-V");
    cmap.codespace = codespace.to_vec();
    cmap.collection = Some(Collection {
        registry: "Adobe".to_string(),
        ordering: ordering.to_string(),
        supplement: 0,
    });
    Some(cmap)
}

// ---------------------------------------------------------------------------------------------
// CID → Unicode

/// CID → Unicode for one character collection: `vals[cid]` is 0 (unmapped), a code point, or
/// `MULTI | index` into `multi`.
struct CidTable {
    vals: Vec<u32>,
    multi: Vec<String>,
}

const MULTI: u32 = 0x8000_0000;

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn build_cid_table(name: CMapName<'static>) -> Option<CidTable> {
    let data = hayro_cmap::load_embedded(name)?;
    let map = hayro_cmap::CMap::parse(data, hayro_cmap::load_embedded)?;
    let mut vals = Vec::with_capacity(1 << 16);
    let mut multi = Vec::new();
    for cid in 0..=0xFFFFu32 {
        let v = match map.lookup_bf_string(cid) {
            _ if cid == 0 => 0,
            Some(BfString::Char(c)) if c != '\u{FFFD}' && c != '\0' => c as u32,
            Some(BfString::String(s)) => {
                // Adobe's maps attach variation selectors (e.g. `逢` + U+E0100) to tell glyph
                // variants apart; extracted text wants the base character.
                let base: String = s.chars().filter(|c| !is_variation_selector(*c)).collect();
                let mut chars = base.chars();
                match (chars.next(), chars.next()) {
                    (None, _) => 0,
                    (Some(c), None) => c as u32,
                    _ => {
                        multi.push(base);
                        MULTI | (multi.len() as u32 - 1)
                    }
                }
            }
            _ => 0,
        };
        vals.push(v);
    }
    while vals.last() == Some(&0) {
        vals.pop();
    }
    vals.shrink_to_fit();
    Some(CidTable { vals, multi })
}

fn cid_table(registry: &str, ordering: &str) -> Option<&'static CidTable> {
    static JAPAN1: OnceLock<Option<CidTable>> = OnceLock::new();
    static GB1: OnceLock<Option<CidTable>> = OnceLock::new();
    static CNS1: OnceLock<Option<CidTable>> = OnceLock::new();
    static KOREA1: OnceLock<Option<CidTable>> = OnceLock::new();
    if registry != "Adobe" {
        return None;
    }
    let (slot, name) = match ordering {
        "Japan1" => (&JAPAN1, CMapName::AdobeJapan1Ucs2),
        "GB1" => (&GB1, CMapName::AdobeGb1Ucs2),
        "CNS1" => (&CNS1, CMapName::AdobeCns1Ucs2),
        "Korea1" => (&KOREA1, CMapName::AdobeKorea1Ucs2),
        _ => return None,
    };
    slot.get_or_init(|| build_cid_table(name)).as_ref()
}

/// Unicode for a CID of an Adobe character collection (`Adobe`/`Japan1`, `GB1`, `CNS1`,
/// `Korea1`). Vertical-form CIDs map to the horizontal characters; variation selectors are
/// dropped. The first call per collection builds a table (a few milliseconds).
#[allow(dead_code)] // API not called by the font layer yet
pub fn cid_to_unicode(registry: &str, ordering: &str, cid: u32) -> Option<String> {
    let mut s = String::new();
    cid_to_unicode_into(registry, ordering, cid, &mut s).then_some(s)
}

/// Like [`cid_to_unicode`], appending to `out`; returns whether anything was appended.
pub fn cid_to_unicode_into(registry: &str, ordering: &str, cid: u32, out: &mut String) -> bool {
    let Some(table) = cid_table(registry, ordering) else {
        return false;
    };
    let Some(&v) = table.vals.get(cid as usize) else {
        return false;
    };
    if v == 0 {
        return false;
    }
    if v & MULTI != 0 {
        match table.multi.get((v & !MULTI) as usize) {
            Some(s) => out.push_str(s),
            None => return false,
        }
    } else {
        match char::from_u32(v) {
            Some(c) => out.push(c),
            None => return false,
        }
    }
    true
}

/// Whether an Adobe collection has a CID → Unicode table here.
#[allow(dead_code)] // API not called by the font layer yet
pub fn has_cid_to_unicode(registry: &str, ordering: &str) -> bool {
    cid_table(registry, ordering).is_some()
}

// ---------------------------------------------------------------------------------------------
// Embedded CMap parser

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// Hex digits between `<` and `>` (whitespace allowed).
    Hex(&'a [u8]),
    /// Raw bytes between `(` and `)`, escapes unprocessed.
    Lit(&'a [u8]),
    Name(&'a [u8]),
    Int(i64),
    /// A real number or an unparsable numeric token.
    Real,
    Kw(&'a [u8]),
    ArrOpen,
    ArrClose,
    /// `<<`, `>>`, `{`, `}`: structure the parser does not need.
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    peeked: Option<Tok<'a>>,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lexer {
            data,
            pos: 0,
            peeked: None,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.data.get(at).copied()
    }

    fn peek(&mut self) -> Option<Tok<'a>> {
        if self.peeked.is_none() {
            self.peeked = self.lex();
        }
        self.peeked
    }

    fn next_tok(&mut self) -> Option<Tok<'a>> {
        match self.peeked.take() {
            Some(t) => Some(t),
            None => self.lex(),
        }
    }

    fn regular_end(&self, from: usize) -> usize {
        let rest = self.data.get(from..).unwrap_or(&[]);
        from + rest
            .iter()
            .position(|&b| is_ws(b) || is_delim(b))
            .unwrap_or(rest.len())
    }

    fn lex(&mut self) -> Option<Tok<'a>> {
        loop {
            let b = self.byte(self.pos)?;
            if is_ws(b) {
                self.pos += 1;
                continue;
            }
            if b == b'%' {
                let rest = self.data.get(self.pos..).unwrap_or(&[]);
                self.pos += rest.iter().position(|&c| c == b'\n' || c == b'\r')?;
                continue;
            }
            let start = self.pos;
            return Some(match b {
                b'<' if self.byte(start + 1) == Some(b'<') => {
                    self.pos += 2;
                    Tok::Other
                }
                b'>' if self.byte(start + 1) == Some(b'>') => {
                    self.pos += 2;
                    Tok::Other
                }
                b'<' => {
                    let rest = self.data.get(start + 1..).unwrap_or(&[]);
                    let len = rest.iter().position(|&c| c == b'>').unwrap_or(rest.len());
                    self.pos = start + 1 + len + 1;
                    Tok::Hex(rest.get(..len).unwrap_or(&[]))
                }
                b'(' => {
                    let mut depth = 0usize;
                    let mut i = start + 1;
                    while let Some(c) = self.byte(i) {
                        match c {
                            b'\\' => i += 1,
                            b'(' => depth += 1,
                            b')' if depth == 0 => break,
                            b')' => depth -= 1,
                            _ => {}
                        }
                        i += 1;
                    }
                    let end = i.min(self.data.len());
                    self.pos = end + 1;
                    Tok::Lit(self.data.get(start + 1..end).unwrap_or(&[]))
                }
                b'[' => {
                    self.pos += 1;
                    Tok::ArrOpen
                }
                b']' => {
                    self.pos += 1;
                    Tok::ArrClose
                }
                b'{' | b'}' | b')' | b'>' => {
                    self.pos += 1;
                    Tok::Other
                }
                b'/' => {
                    let end = self.regular_end(start + 1);
                    self.pos = end;
                    Tok::Name(self.data.get(start + 1..end).unwrap_or(&[]))
                }
                _ => {
                    let end = self.regular_end(start).max(start + 1);
                    self.pos = end;
                    let word = self.data.get(start..end).unwrap_or(&[]);
                    if word
                        .first()
                        .is_some_and(|c| c.is_ascii_digit() || *c == b'-' || *c == b'+')
                    {
                        std::str::from_utf8(word)
                            .ok()
                            .and_then(|s| s.parse::<i64>().ok())
                            .map_or(Tok::Real, Tok::Int)
                    } else {
                        Tok::Kw(word)
                    }
                }
            });
        }
    }
}

/// Decode hex digits (whitespace ignored, odd count padded with 0) into `out`.
fn hex_bytes(digits: &[u8], out: &mut Vec<u8>) {
    let mut hi: Option<u8> = None;
    for &d in digits {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => continue,
        };
        match hi.take() {
            Some(h) => out.push(h << 4 | v),
            None => hi = Some(v),
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
}

/// Decode a literal string's escapes into `out`.
fn lit_bytes(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = raw.get(i) else { break };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0C),
            b'\r' => {
                if raw.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            other => out.push(other),
        }
    }
}

/// A string token's bytes (hex or literal) into `buf` (cleared first); false for other tokens.
fn string_bytes(tok: Tok<'_>, buf: &mut Vec<u8>) -> bool {
    buf.clear();
    match tok {
        Tok::Hex(d) => hex_bytes(d, buf),
        Tok::Lit(raw) => lit_bytes(raw, buf),
        _ => return false,
    }
    true
}

/// A source code (1–4 bytes) from a string token: `(code, byte length)`.
fn code_tok(tok: Tok<'_>, buf: &mut Vec<u8>) -> Option<(u32, u8)> {
    if !string_bytes(tok, buf) || buf.is_empty() || buf.len() > 4 {
        return None;
    }
    Some((code_of(buf), buf.len() as u8))
}

struct Parser<'a> {
    lex: Lexer<'a>,
    buf: Vec<u8>,
    cmap: CMap,
    cids: Vec<(u32, u32, u32)>,
    notdefs: Vec<(u32, u32, u32)>,
    unicode: Vec<(u32, u32, UniVal)>,
    /// Byte lengths of the source codes seen (bit n-1 for n bytes), for a missing codespace.
    lengths_seen: u8,
    saw_anything: bool,
}

impl<'a> Parser<'a> {
    fn new(data: &'a [u8]) -> Self {
        Parser {
            lex: Lexer::new(data),
            buf: Vec::new(),
            cmap: CMap::empty(Source::Embedded),
            cids: Vec::new(),
            notdefs: Vec::new(),
            unicode: Vec::new(),
            lengths_seen: 0,
            saw_anything: false,
        }
    }

    fn run(mut self) -> Option<CMap> {
        let mut last_name: Option<&'a [u8]> = None;
        while let Some(tok) = self.lex.next_tok() {
            match tok {
                Tok::Kw(b"begincodespacerange") => self.codespace(),
                Tok::Kw(b"begincidrange") => self.cid_ranges(false),
                Tok::Kw(b"beginnotdefrange") => self.cid_ranges(true),
                Tok::Kw(b"begincidchar") => self.cid_chars(false),
                Tok::Kw(b"beginnotdefchar") => self.cid_chars(true),
                Tok::Kw(b"beginbfchar") => self.bf_chars(),
                Tok::Kw(b"beginbfrange") => self.bf_ranges(),
                Tok::Kw(b"usecmap") => {
                    if let Some(name) = last_name {
                        self.use_cmap(name);
                    }
                }
                Tok::Name(n) => {
                    if let Some(key) = last_name.take() {
                        if key == b"CMapName" {
                            self.cmap.name = String::from_utf8_lossy(n).into_owned();
                        }
                    }
                    last_name = Some(n);
                    continue;
                }
                Tok::Lit(_) | Tok::Hex(_) | Tok::Int(_) => {
                    if let Some(key) = last_name {
                        self.def(key, tok);
                    }
                }
                _ => {}
            }
            last_name = None;
        }
        self.finish()
    }

    fn def(&mut self, key: &[u8], value: Tok<'_>) {
        let coll = self.cmap.collection.get_or_insert_with(Collection::default);
        match (key, value) {
            (b"WMode", Tok::Int(v)) => self.cmap.vertical = v == 1,
            (b"Registry", v) if string_bytes(v, &mut self.buf) => {
                coll.registry = String::from_utf8_lossy(&self.buf).into_owned();
            }
            (b"Ordering", v) if string_bytes(v, &mut self.buf) => {
                coll.ordering = String::from_utf8_lossy(&self.buf).into_owned();
            }
            (b"Supplement", Tok::Int(v)) => coll.supplement = i32::try_from(v).unwrap_or(0),
            _ => {}
        }
        if self
            .cmap
            .collection
            .as_ref()
            .is_some_and(|c| *c == Collection::default())
        {
            self.cmap.collection = None;
        }
    }

    fn use_cmap(&mut self, name: &[u8]) {
        self.saw_anything = true;
        let name = String::from_utf8_lossy(name);
        match predefined(&name) {
            Some(p) => {
                self.cmap.parent = Some(Parent::Static(p));
                self.cmap.unresolved_parent = None;
            }
            None => self.cmap.unresolved_parent = Some(name.into_owned()),
        }
    }

    /// The next operand of a section, or `None` at a keyword (the section's end, or a missing
    /// end: the keyword is left for the main loop) or at the end of input.
    fn operand(&mut self) -> Option<Tok<'a>> {
        match self.lex.peek()? {
            Tok::Kw(k) => {
                if k.starts_with(b"end") {
                    self.lex.next_tok();
                }
                None
            }
            _ => self.lex.next_tok(),
        }
    }

    fn operands2(&mut self) -> Option<(Tok<'a>, Tok<'a>)> {
        let a = self.operand()?;
        Some((a, self.operand()?))
    }

    fn operands3(&mut self) -> Option<(Tok<'a>, Tok<'a>, Tok<'a>)> {
        let a = self.operand()?;
        let b = self.operand()?;
        Some((a, b, self.operand()?))
    }

    fn note_len(&mut self, len: u8) {
        if (1..=4).contains(&len) {
            self.lengths_seen |= 1 << (len - 1);
        }
    }

    fn codespace(&mut self) {
        while let Some((a, b)) = self.operands2() {
            if !string_bytes(a, &mut self.buf) {
                continue;
            }
            let lo = std::mem::take(&mut self.buf);
            if string_bytes(b, &mut self.buf)
                && lo.len() == self.buf.len()
                && (1..=4).contains(&lo.len())
            {
                let mut r = Codespace::new(lo.len() as u8, [0; 4], [0; 4]);
                for (slot, b) in r.lo.iter_mut().zip(&lo) {
                    *slot = *b;
                }
                for (slot, b) in r.hi.iter_mut().zip(&self.buf) {
                    *slot = *b;
                }
                self.cmap.codespace.push(r);
                self.saw_anything = true;
            }
            self.buf = lo;
        }
    }

    fn cid_ranges(&mut self, notdef: bool) {
        while let Some((a, b, c)) = self.operands3() {
            let (Some((lo, len)), Some((hi, _)), Tok::Int(cid)) =
                (code_tok(a, &mut self.buf), code_tok(b, &mut self.buf), c)
            else {
                continue;
            };
            let Ok(cid) = u32::try_from(cid) else {
                continue;
            };
            self.push_cids(notdef, len, lo, hi, cid);
        }
    }

    /// Record a code range → CID mapping (`notdef`: into the notdef list).
    fn push_cids(&mut self, notdef: bool, len: u8, lo: u32, hi: u32, cid: u32) {
        self.note_len(len);
        let list = if notdef {
            &mut self.notdefs
        } else {
            &mut self.cids
        };
        list.push((lo, hi, cid));
    }

    fn cid_chars(&mut self, notdef: bool) {
        while let Some((a, b)) = self.operands2() {
            let (Some((code, len)), Tok::Int(cid)) = (code_tok(a, &mut self.buf), b) else {
                continue;
            };
            let Ok(cid) = u32::try_from(cid) else {
                continue;
            };
            self.push_cids(notdef, len, code, code, cid);
        }
    }

    fn bf_chars(&mut self) {
        while let Some((a, b)) = self.operands2() {
            let Some((code, len)) = code_tok(a, &mut self.buf) else {
                continue;
            };
            self.note_len(len);
            if let Some(v) = self.uni_value(b) {
                self.unicode.push((code, code, v));
            }
        }
    }

    fn bf_ranges(&mut self) {
        while let Some((a, b, c)) = self.operands3() {
            let (Some((lo, len)), Some((hi, _))) =
                (code_tok(a, &mut self.buf), code_tok(b, &mut self.buf))
            else {
                if c == Tok::ArrOpen {
                    self.skip_array();
                }
                continue;
            };
            self.note_len(len);
            if c == Tok::ArrOpen {
                // One destination per code, in order.
                let mut code = lo;
                while let Some(t) = self.lex.next_tok() {
                    match t {
                        Tok::ArrClose => break,
                        Tok::Kw(_) => {
                            self.lex.peeked = Some(t);
                            break;
                        }
                        _ => {}
                    }
                    if code <= hi {
                        if let Some(v) = self.uni_value(t) {
                            self.unicode.push((code, code, v));
                        }
                    }
                    code = code.saturating_add(1);
                }
            } else if let Some(v) = self.uni_value(c) {
                self.unicode.push((lo, hi, v));
            }
        }
    }

    fn skip_array(&mut self) {
        while let Some(t) = self.lex.next_tok() {
            match t {
                Tok::ArrClose => break,
                Tok::Kw(_) => {
                    self.lex.peeked = Some(t);
                    break;
                }
                _ => {}
            }
        }
    }

    /// A destination: UTF-16BE string (one byte: that code), or a glyph name.
    fn uni_value(&mut self, tok: Tok<'_>) -> Option<UniVal> {
        let start = self.cmap.pool.len();
        match tok {
            Tok::Name(n) => {
                let name = std::str::from_utf8(n).ok()?;
                glyph_name_to_unicode_into(name, &mut self.cmap.pool);
            }
            _ => {
                if !string_bytes(tok, &mut self.buf) {
                    return None;
                }
                if let [b] = self.buf[..] {
                    self.cmap.pool.push(char::from(b));
                } else {
                    let units = self
                        .buf
                        .chunks_exact(2)
                        .map(|p| p.try_into().map_or(0, u16::from_be_bytes));
                    for r in char::decode_utf16(units) {
                        match r {
                            Ok(c) => self.cmap.pool.push(c),
                            Err(_) => {
                                // Unpaired surrogate: the value is unusable.
                                self.cmap.pool.truncate(start);
                                return None;
                            }
                        }
                    }
                }
            }
        }
        self.saw_anything = true;
        let s = self.cmap.pool.get(start..).unwrap_or("");
        // A value of only NULs carries no text; let other sources answer for the code.
        if s.is_empty() || s.chars().all(|c| c == '\0') {
            self.cmap.pool.truncate(start);
            return None;
        }
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            self.cmap.pool.truncate(start);
            return Some(UniVal::Char(c));
        }
        Some(UniVal::Str {
            start: start as u32,
            end: self.cmap.pool.len() as u32,
        })
    }

    fn finish(mut self) -> Option<CMap> {
        let saw = self.saw_anything || !self.cids.is_empty() || !self.notdefs.is_empty();
        if !saw {
            return None;
        }
        let cmap = &mut self.cmap;
        if cmap.codespace.is_empty() && cmap.parent.is_none() && self.lengths_seen != 0 {
            // No codespace: accept every code of the lengths the mappings use.
            for n in 1..=4u8 {
                if self.lengths_seen & (1 << (n - 1)) != 0 {
                    cmap.codespace.push(Codespace::new(n, [0; 4], [0xFF; 4]));
                }
            }
        }
        cmap.codespace.sort_by_key(|r| r.len);
        cmap.cids = RangeMap::build(self.cids, |cid, k| cid.checked_add(k));
        cmap.notdefs = RangeMap::build(self.notdefs, |cid, _| Some(cid));
        let pool = &mut cmap.pool;
        cmap.unicode = RangeMap::build(self.unicode, |v, k| shift_uni(v, k, pool));
        Some(self.cmap)
    }
}

/// The value `k` codes after a range start: a new pool entry for strings.
fn shift_uni(v: UniVal, k: u32, pool: &mut String) -> Option<UniVal> {
    match v {
        UniVal::Char(c) => (c as u32)
            .checked_add(k)
            .and_then(char::from_u32)
            .map(UniVal::Char),
        UniVal::Str { start, end } => {
            let s = pool.get(start as usize..end as usize)?.to_string();
            let new_start = pool.len();
            if !push_shifted(&s, k, pool) {
                return None;
            }
            Some(UniVal::Str {
                start: new_start as u32,
                end: pool.len() as u32,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unicode(cmap: &CMap, code: u32) -> Option<String> {
        cmap.lookup_unicode(code)
    }

    /// (CMap, shown bytes, code, length, CID, Unicode)
    type PredefinedCase = (
        &'static str,
        &'static [u8],
        u32,
        usize,
        Option<u32>,
        Option<&'static str>,
    );

    #[rustfmt::skip]
    const PREDEFINED_CASES: &[PredefinedCase] = &[
        ("90ms-RKSJ-H", &[0x82, 0xA0], 0x82A0, 2, Some(843), Some("あ")),
        ("90ms-RKSJ-H", &[0x88, 0x9F], 0x889F, 2, Some(1125), Some("亜")),
        ("90ms-RKSJ-H", &[0x81, 0x41], 0x8141, 2, Some(634), Some("、")),
        ("90ms-RKSJ-H", &[0x41], 0x41, 1, Some(264), Some("A")),
        ("90ms-RKSJ-H", &[0x5C], 0x5C, 1, Some(291), Some("¥")),
        ("90ms-RKSJ-H", &[0xB1], 0xB1, 1, Some(343), Some("ｱ")),
        ("90ms-RKSJ-H", &[0x8D, 0x73], 0x8D73, 2, Some(2022), Some("行")),
        ("90ms-RKSJ-V", &[0x81, 0x41], 0x8141, 2, Some(7887), Some("、")),
        ("90ms-RKSJ-V", &[0x82, 0xA0], 0x82A0, 2, Some(843), Some("あ")),
        ("90msp-RKSJ-H", &[0x82, 0xA0], 0x82A0, 2, Some(843), Some("あ")),
        ("90msp-RKSJ-V", &[0x81, 0x41], 0x8141, 2, Some(7887), Some("、")),
        ("EUC-H", &[0xA4, 0xA2], 0xA4A2, 2, Some(843), Some("あ")),
        ("EUC-H", &[0xB0, 0xA1], 0xB0A1, 2, Some(1125), Some("亜")),
        ("EUC-H", &[0x8E, 0xB1], 0x8EB1, 2, Some(343), Some("ｱ")),
        ("EUC-V", &[0xA1, 0xA2], 0xA1A2, 2, Some(7887), Some("、")),
        ("H", &[0x24, 0x22], 0x2422, 2, Some(843), Some("あ")),
        ("H", &[0x30, 0x21], 0x3021, 2, Some(1125), Some("亜")),
        ("V", &[0x21, 0x22], 0x2122, 2, Some(7887), Some("、")),
        ("UniJIS-UCS2-H", &[0x30, 0x42], 0x3042, 2, Some(843), Some("あ")),
        ("UniJIS-UCS2-H", &[0x4E, 0x9C], 0x4E9C, 2, Some(1125), Some("亜")),
        ("UniJIS-UCS2-V", &[0x30, 0x01], 0x3001, 2, Some(7887), Some("、")),
        ("UniJIS-UTF16-H", &[0xD8, 0x42, 0xDF, 0x9F], 0xD842DF9F, 4, Some(13803), Some("𠮟")),
        ("UniJIS-UTF16-H", &[0x30, 0x42], 0x3042, 2, Some(843), Some("あ")),
        ("UniJIS-UTF16-V", &[0x30, 0x01], 0x3001, 2, Some(7887), Some("、")),
        ("Identity-H", &[0x03, 0x4B], 0x034B, 2, Some(843), None),
        ("Identity-V", &[0x1E, 0xCF], 0x1ECF, 2, Some(7887), None),
    ];

    #[test]
    fn predefined_cmaps() {
        for &(name, bytes, code, len, cid, text) in PREDEFINED_CASES {
            let cmap = predefined(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(cmap.next_code(bytes), (code, len), "{name} {bytes:02X?}");
            assert_eq!(cmap.lookup_cid(code, len), cid, "{name} {code:X}");
            assert_eq!(unicode(cmap, code).as_deref(), text, "{name} {code:X}");
            assert_eq!(cmap.is_vertical(), name.ends_with('V'), "{name}");
            assert_eq!(cmap.name(), name);
        }
        assert!(predefined("Nonexistent-H").is_none());
        assert!(predefined("Identity-H").is_some_and(CMap::is_identity));
        // Cached: the same object each time.
        assert!(std::ptr::eq(
            predefined("H").unwrap(),
            predefined("H").unwrap()
        ));
        // Every listed name builds.
        for name in predefined_names() {
            assert!(predefined(name).is_some(), "{name}");
        }
    }

    #[test]
    fn cid_to_unicode_adobe_japan1() {
        let cases: &[(u32, Option<&str>)] = &[
            (0, None),
            (1, Some(" ")),
            (34, Some("A")),
            (843, Some("あ")),
            (1125, Some("亜")),
            (2022, Some("行")),
            (13803, Some("𠮟")),
            (7887, Some("、")),
            (7888, Some("。")),
            (1133, Some("逢")), // Adobe's map adds an ideographic variation selector
            (23059, Some("㋿")),
            (23060, None),
            (u32::MAX, None),
        ];
        for &(cid, want) in cases {
            assert_eq!(
                cid_to_unicode("Adobe", "Japan1", cid).as_deref(),
                want,
                "CID {cid}"
            );
        }
        assert_eq!(cid_to_unicode("Adobe", "Identity", 843), None);
        assert_eq!(cid_to_unicode("Foo", "Japan1", 843), None);
        assert!(has_cid_to_unicode("Adobe", "GB1"));
        assert_eq!(cid_to_unicode("Adobe", "GB1", 4559).as_deref(), Some("中"));
        assert_eq!(
            cid_to_unicode("Adobe", "Korea1", 1086).as_deref(),
            Some("가")
        );
    }

    const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
% a comment <0001> <0041>
4 beginbfchar
<0003> <0020>
<0010> <30A2>
<0011> <D842DF9F>
<0012> <00660069>
endbfchar
3 beginbfrange
<0020> <0022> <0041>
<0030> <0032> [<3042> <D867DE3D> <00660066>]
<0040> <0041> <00660069>
endbfrange
1 beginbfchar
<0050> /uni5E74
endbfchar
1 beginbfchar
<0051> <0000>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end";

    #[test]
    fn to_unicode_parsing() {
        let cmap = CMap::parse(TO_UNICODE.as_bytes()).expect("parses");
        assert_eq!(cmap.name(), "Adobe-Identity-UCS");
        assert_eq!(
            cmap.collection()
                .map(|c| (c.registry.as_str(), c.ordering.as_str())),
            Some(("Adobe", "UCS"))
        );
        assert!(!cmap.is_vertical());
        let cases: &[(u32, Option<&str>)] = &[
            (0x0001, None),
            (0x0003, Some(" ")),
            (0x0010, Some("ア")),
            (0x0011, Some("𠮟")),
            (0x0012, Some("fi")),
            (0x0020, Some("A")),
            (0x0021, Some("B")),
            (0x0022, Some("C")),
            (0x0023, None),
            (0x0030, Some("あ")),
            (0x0031, Some("𩸽")),
            (0x0032, Some("ff")),
            (0x0040, Some("fi")),
            (0x0041, Some("fj")),
            (0x0050, Some("年")),
            (0x0051, None),
        ];
        for &(code, want) in cases {
            assert_eq!(unicode(&cmap, code).as_deref(), want, "code {code:04X}");
        }
        assert_eq!(cmap.next_code(&[0x00, 0x10, 0x00]), (0x0010, 2));
        let codes: Vec<_> = cmap.codes(&[0x00, 0x10, 0x00, 0x11, 0x05]).collect();
        assert_eq!(codes, vec![(0x0010, 2), (0x0011, 2), (0x05, 1)]);
    }

    #[test]
    fn one_byte_to_unicode_without_codespace() {
        // Producers sometimes omit the codespace and use single-byte codes and values.
        let data = b"2 beginbfchar <41> <0391> <42> <42> endbfchar 1 beginbfrange <61> <63> <03B1> endbfrange";
        let cmap = CMap::parse(data).expect("parses");
        assert_eq!(cmap.next_code(b"AB"), (0x41, 1));
        assert_eq!(unicode(&cmap, 0x41).as_deref(), Some("Α"));
        assert_eq!(unicode(&cmap, 0x42).as_deref(), Some("B"));
        assert_eq!(unicode(&cmap, 0x62).as_deref(), Some("β"));
    }

    #[test]
    fn overlapping_definitions_later_wins() {
        let data = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
            1 beginbfrange <0000> <00FF> <0100> endbfrange
            2 beginbfchar <0010> <0041> <0010> <0042> endbfchar
            1 beginbfrange <0020> <0030> <3042> endbfrange";
        let cmap = CMap::parse(data).expect("parses");
        let cases: &[(u32, &str)] = &[
            (0x00, "\u{100}"),
            (0x0F, "\u{10F}"),
            (0x10, "B"),
            (0x11, "\u{111}"),
            (0x1F, "\u{11F}"),
            (0x20, "あ"),
            (0x21, "ぃ"),
            (0x30, "げ"),
            (0x31, "\u{131}"),
            (0xFF, "\u{1FF}"),
        ];
        for &(code, want) in cases {
            assert_eq!(
                unicode(&cmap, code).as_deref(),
                Some(want),
                "code {code:04X}"
            );
        }
        assert_eq!(unicode(&cmap, 0x100), None);
    }

    #[test]
    fn overlapping_string_ranges_split() {
        let data = b"1 begincodespacerange <00> <FF> endcodespacerange
            1 beginbfrange <10> <14> <00660061> endbfrange
            1 beginbfchar <11> <0058> endbfchar";
        let cmap = CMap::parse(data).expect("parses");
        let got: Vec<_> = (0x10..=0x14)
            .map(|c| unicode(&cmap, c).unwrap_or_default())
            .collect();
        assert_eq!(got, ["fa", "X", "fc", "fd", "fe"]);
    }

    const ENCODING_CMAP: &str = "%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo 3 dict dup begin
  /Registry (Adobe) def
  /Ordering (Japan1) def
  /Supplement 2 def
end def
/CMapName /Test-Mixed-V def
/WMode 1 def
3 begincodespacerange
<00> <7F>
<8140> <9FFC>
<E04040> <E0FFFF>
endcodespacerange
2 begincidrange
<20> <7E> 1
<8140> <817E> 633
endcidrange
2 begincidchar
<82A0> 843
<E04142> 9000
endcidchar
1 beginnotdefrange
<00> <1F> 0
endnotdefrange
endcmap";

    #[test]
    fn embedded_encoding_cmap() {
        let cmap = CMap::parse(ENCODING_CMAP.as_bytes()).expect("parses");
        assert_eq!(cmap.name(), "Test-Mixed-V");
        assert!(cmap.is_vertical());
        assert!(!cmap.is_predefined());
        let coll = cmap.collection().expect("collection");
        assert_eq!(
            (
                coll.registry.as_str(),
                coll.ordering.as_str(),
                coll.supplement
            ),
            ("Adobe", "Japan1", 2)
        );
        // (bytes, code, len, cid)
        let cases: &[(&[u8], u32, usize, Option<u32>)] = &[
            (b"A", 0x41, 1, Some(34)),
            (&[0x81, 0x41, 0x41], 0x8141, 2, Some(634)),
            (&[0x82, 0xA0], 0x82A0, 2, Some(843)),
            (&[0xE0, 0x41, 0x42], 0xE04142, 3, Some(9000)),
            (&[0x05], 0x05, 1, Some(0)),
            (&[0x90, 0x41], 0x9041, 2, None),
            // Second byte out of range: the partially matching 2-byte range decides.
            (&[0x81, 0x20, 0x41], 0x8120, 2, None),
            // Truncated code at the end of a string.
            (&[0x81], 0x81, 1, None),
            // No range starts with 0xF0: the shortest length.
            (&[0xF0, 0x41], 0xF0, 1, None),
        ];
        for &(bytes, code, len, cid) in cases {
            assert_eq!(cmap.next_code(bytes), (code, len), "{bytes:02X?}");
            assert_eq!(cmap.lookup_cid(code, len), cid, "{code:X}");
        }
        assert_eq!(cmap.next_code(&[]), (0, 0));
        // Through the collection: the CID maps to Unicode only with cid_to_unicode.
        assert_eq!(unicode(&cmap, 0x82A0), None);
        let cid = cmap.lookup_cid(0x82A0, 2).unwrap_or(0);
        assert_eq!(
            cid_to_unicode(&coll.registry, &coll.ordering, cid).as_deref(),
            Some("あ")
        );
    }

    #[test]
    fn usecmap_predefined_and_owned_parent() {
        let data = b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> def
            /CMapName /Custom-RKSJ def /90ms-RKSJ-H usecmap
            1 begincidchar <82A0> 9999 endcidchar";
        let cmap = CMap::parse(data).expect("parses");
        assert!(cmap.unresolved_parent().is_none());
        assert_eq!(cmap.next_code(&[0x88, 0x9F]), (0x889F, 2));
        assert_eq!(cmap.next_code(&[0xB1, 0x88]), (0xB1, 1));
        assert_eq!(cmap.lookup_cid(0x82A0, 2), Some(9999));
        assert_eq!(cmap.lookup_cid(0x889F, 2), Some(1125));
        assert!(!cmap.is_vertical());

        let child = b"/CMapName /Child def /Parent-Stream usecmap 1 begincidchar <41> 5 endcidchar";
        let mut child = CMap::parse(child).expect("parses");
        assert_eq!(child.unresolved_parent(), Some("Parent-Stream"));
        let parent = CMap::parse(b"/WMode 1 def 1 begincodespacerange <00> <FF> endcodespacerange 1 begincidrange <00> <FF> 100 endcidrange")
            .expect("parses");
        child.set_parent(parent);
        assert!(child.unresolved_parent().is_none());
        assert!(child.is_vertical());
        assert_eq!(child.lookup_cid(0x41, 1), Some(5));
        assert_eq!(child.lookup_cid(0x42, 1), Some(166));
    }

    #[test]
    fn malformed_streams_do_not_panic() {
        let inputs: &[&[u8]] = &[
            b"",
            b"garbage without structure",
            b"1 beginbfchar <0001>",
            b"1 beginbfchar <0001> <0041> 1 beginbfrange <0002> <0003> <0042> endbfrange",
            b"1 beginbfrange <0002> <0003> [<0042> <0043> <0044> endbfrange 1 beginbfchar <0009> <0058> endbfchar",
            b"1 beginbfrange <0005> <0001> <0041> endbfrange",
            b"1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange",
            b"1 beginbfchar <0102030405> <0041> <01> <D800> <02> <DC00DC00> endbfchar",
            b"1 begincidrange <00> <FF> -5 <00> <FF> 99999999999999999999 endcidrange",
            b"1 begincodespacerange <00> <FFFF> <> <> <0000000000> <FF> endcodespacerange",
            b"(unterminated \\",
            b"<unterminated",
            b"% only a comment",
            b"/WMode",
        ];
        for input in inputs {
            if let Some(cmap) = CMap::parse(input) {
                for bytes in [&b""[..], b"\x00", b"\xFF\xFF\xFF\xFF\xFF", b"\x01\x02\x03"] {
                    let total: usize = cmap.codes(bytes).map(|(_, n)| n).sum();
                    assert_eq!(total, bytes.len());
                }
                for code in [0, 1, 2, 0x41, 0xFFFF, u32::MAX] {
                    let _ = cmap.lookup_unicode(code);
                    let _ = cmap.lookup_cid(code, 2);
                }
            }
        }
        // The partial stream still yields what it could read.
        let partial = CMap::parse(
            b"1 beginbfchar <0001> <0041> 1 beginbfrange <0002> <0003> <0042> endbfrange",
        )
        .expect("parses");
        assert_eq!(unicode(&partial, 1).as_deref(), Some("A"));
        assert_eq!(unicode(&partial, 3).as_deref(), Some("C"));
        let array = CMap::parse(b"1 beginbfrange <0002> <0003> [<0042> <0043> <0044> endbfrange 1 beginbfchar <0009> <0058> endbfchar")
            .expect("parses");
        assert_eq!(unicode(&array, 3).as_deref(), Some("C"));
        assert_eq!(unicode(&array, 4), None);
        assert_eq!(unicode(&array, 9).as_deref(), Some("X"));
        let bad_surrogates =
            CMap::parse(b"1 beginbfchar <01> <D800> <02> <DC00DC00> <03> <0041> endbfchar")
                .expect("parses");
        assert_eq!(unicode(&bad_surrogates, 1), None);
        assert_eq!(unicode(&bad_surrogates, 2), None);
        assert_eq!(unicode(&bad_surrogates, 3).as_deref(), Some("A"));
        let huge =
            CMap::parse(b"1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange").expect("parses");
        assert_eq!(unicode(&huge, 1).as_deref(), Some("B"));
        assert_eq!(unicode(&huge, 0x0010_FFFF), None);
    }

    #[test]
    fn literal_string_codes() {
        let data = b"1 begincodespacerange (\\000) (\\377) endcodespacerange
            2 beginbfchar (A) <0391> (\\101\\102) <0392> endbfchar";
        let cmap = CMap::parse(data).expect("parses");
        assert_eq!(cmap.next_code(b"A"), (0x41, 1));
        assert_eq!(unicode(&cmap, 0x41).as_deref(), Some("Α"));
        assert_eq!(unicode(&cmap, 0x4142).as_deref(), Some("Β"));
    }

    proptest::proptest! {
        #[test]
        fn parse_and_split_never_panic(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("begincodespacerange ".to_string()),
                proptest::strategy::Just("endcodespacerange ".to_string()),
                proptest::strategy::Just("beginbfchar ".to_string()),
                proptest::strategy::Just("beginbfrange ".to_string()),
                proptest::strategy::Just("endbfrange ".to_string()),
                proptest::strategy::Just("begincidrange ".to_string()),
                proptest::strategy::Just("[ ".to_string()),
                proptest::strategy::Just("] ".to_string()),
                proptest::strategy::Just("/90ms-RKSJ-H usecmap ".to_string()),
                "<[0-9A-F]{0,10}> ",
                "[0-9]{1,6} ",
                "\\([a-z\\\\]{0,3}\\)? ",
            ], 0..40),
            shown in proptest::collection::vec(proptest::num::u8::ANY, 0..16),
        ) {
            let data = parts.concat();
            if let Some(cmap) = CMap::parse(data.as_bytes()) {
                let total: usize = cmap.codes(&shown).map(|(_, n)| n).sum();
                proptest::prop_assert_eq!(total, shown.len());
                for (code, len) in cmap.codes(&shown) {
                    let _ = cmap.lookup_cid(code, len);
                    let _ = cmap.lookup_unicode(code);
                }
            }
        }
    }

    /// Cross-check against the text CMaps and CID → Unicode table of poppler-data when it is
    /// installed (Debian `poppler-data`): the text CMaps, parsed here, must give the same CIDs
    /// as the predefined maps for every code in their codespace.
    #[test]
    fn agrees_with_installed_cmap_resources() {
        let dir = std::path::Path::new("/usr/share/poppler/cMap/Adobe-Japan1");
        if !dir.is_dir() {
            eprintln!(
                "skipped: {} not present (install poppler-data to run)",
                dir.display()
            );
            return;
        }
        for name in [
            "90ms-RKSJ-H",
            "90ms-RKSJ-V",
            "90msp-RKSJ-H",
            "EUC-H",
            "EUC-V",
            "H",
            "V",
            "UniJIS-UCS2-H",
            "UniJIS-UCS2-V",
            "UniJIS-UTF16-H",
        ] {
            let Ok(data) = std::fs::read(dir.join(name)) else {
                eprintln!("skipped {name}: not readable");
                continue;
            };
            let parsed = CMap::parse(&data).expect(name);
            let ours = predefined(name).expect(name);
            assert_eq!(parsed.is_vertical(), ours.is_vertical(), "{name}");
            let (mut same, mut differ) = (0u32, 0u32);
            let valid = |code: u32, n: usize| {
                parsed
                    .codespace()
                    .iter()
                    .any(|r| usize::from(r.len) == n && r.contains(code))
            };
            let all = (0..=0xFFu32)
                .map(|c| (c, 1))
                .chain((0..=0xFFFFu32).map(|c| (c, 2)));
            for (code, n) in all.filter(|&(c, n)| valid(c, n)) {
                let bytes: Vec<u8> = code.to_be_bytes()[4 - n..].to_vec();
                assert_eq!(parsed.next_code(&bytes), (code, n), "{name} {code:X}");
                assert_eq!(ours.next_code(&bytes), (code, n), "{name} {code:X}");
                let (theirs, mine) = (parsed.lookup_cid(code, n), ours.lookup_cid(code, n));
                // `.notdef` ranges (control codes → CID 1) are not in the predefined data;
                // an unmapped code falls back to CID 0 there, which renders the same way.
                if mine.is_none() && (theirs.is_none() || parsed.notdefs.get(code).is_some()) {
                    continue;
                }
                if theirs == mine {
                    same += 1;
                } else {
                    if differ < 5 {
                        eprintln!("{name} {code:04X}: installed {theirs:?}, predefined {mine:?}");
                    }
                    differ += 1;
                }
            }
            eprintln!("{name}: {same} codes agree, {differ} differ");
            assert!(same > 6000, "{name}: only {same} codes compared");
            assert_eq!(differ, 0, "{name}");
        }
    }

    /// poppler-data's Adobe-Japan1 CID → Unicode table (one hex code point per line, line =
    /// CID) against ours: count agreement where both map a CID; differences are expected only
    /// where the installed table uses vertical presentation forms or compatibility characters.
    #[test]
    fn cid_to_unicode_agrees_with_installed_table() {
        let path = std::path::Path::new("/usr/share/poppler/cidToUnicode/Adobe-Japan1");
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!(
                "skipped: {} not present (install poppler-data to run)",
                path.display()
            );
            return;
        };
        let (mut same, mut differ, mut only_theirs, mut only_ours) = (0u32, 0u32, 0u32, 0u32);
        for (cid, line) in text.lines().enumerate() {
            let theirs = u32::from_str_radix(line.trim(), 16)
                .ok()
                .filter(|&v| v != 0)
                .and_then(char::from_u32);
            let ours = cid_to_unicode("Adobe", "Japan1", cid as u32);
            match (theirs, ours) {
                (Some(t), Some(o)) if o.chars().eq([t]) => same += 1,
                (Some(t), Some(o)) => {
                    let nfkc_same =
                        unicode_normalization::UnicodeNormalization::nfkc(t.to_string().as_str())
                            .eq(unicode_normalization::UnicodeNormalization::nfkc(
                                o.as_str(),
                            ));
                    if !nfkc_same && differ < 5 {
                        eprintln!("CID {cid}: installed {t:?}, ours {o:?}");
                    }
                    if !nfkc_same {
                        differ += 1;
                    } else {
                        same += 1;
                    }
                }
                (Some(_), None) => only_theirs += 1,
                (None, Some(_)) => only_ours += 1,
                (None, None) => {}
            }
        }
        eprintln!("Adobe-Japan1 CID → Unicode: {same} agree (NFKC), {differ} differ, {only_theirs} only installed, {only_ours} only ours");
        assert!(same > 16_000, "{same}");
        assert!(
            f64::from(differ) < 0.01 * f64::from(same),
            "{differ} of {same} differ"
        );
        assert_eq!(only_theirs, 0);
    }

    /// Every ToUnicode stream of the sample PDFs in `../shared/pdf-cjk` parses (skipped when
    /// absent); the non-BMP kanji of issue5202 survive as surrogate pairs.
    #[test]
    fn sample_to_unicode_streams() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf-cjk");
        if !dir.is_dir() {
            eprintln!("skipped: {} not present", dir.display());
            return;
        }
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let (mut streams, mut entries, mut empty) = (0usize, 0usize, 0usize);
        let mut issue5202 = String::new();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        {
            let Ok(doc) = lopdf::Document::load(path) else {
                continue;
            };
            for obj in doc.objects.values() {
                let Ok(dict) = obj.as_dict() else { continue };
                let Ok(r) = dict.get(b"ToUnicode").and_then(|o| o.as_reference()) else {
                    continue;
                };
                let Ok(stream) = doc.get_object(r).and_then(|o| o.as_stream()) else {
                    continue;
                };
                let Ok(data) = stream.decompressed_content() else {
                    continue;
                };
                let t = std::time::Instant::now();
                let cmap = CMap::parse(&data)
                    .unwrap_or_else(|| panic!("{}: ToUnicode {r:?} unreadable", path.display()));
                let elapsed = t.elapsed();
                streams += 1;
                entries += cmap.unicode_entries();
                if cmap.unicode_entries() == 0 {
                    // issue2884_reduced.pdf has one: a codespace and nothing else.
                    empty += 1;
                }
                if path.ends_with("issue5202.pdf") {
                    cmap.for_each_unicode(1 << 16, |_, s| issue5202.push_str(s));
                }
                if data.len() > 20_000 {
                    eprintln!(
                        "{}: {} bytes parsed in {elapsed:?}",
                        path.display(),
                        data.len()
                    );
                }
            }
        }
        eprintln!("{streams} ToUnicode streams ({empty} without mappings), {entries} entries");
        assert!(streams >= 20, "{streams}");
        assert!(empty * 10 < streams, "{empty} of {streams} empty");
        for c in ['𠮟', '𩸽', '𠀋'] {
            assert!(issue5202.contains(c), "issue5202 lacks {c}");
        }
    }
}
