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

mod parse;
mod predefined;
#[cfg(test)]
mod tests;

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

use parse::Parser;
use predefined::*;
pub use predefined::{cid_to_unicode_into, predefined};

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
