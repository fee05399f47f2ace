//! Parser for the CMap programs embedded in PDFs: `/ToUnicode` maps (bfchar / bfrange, including
//! the array form and UTF-16 surrogate pairs) and embedded `/Encoding` CMaps (cidchar / cidrange),
//! both with their codespace ranges. A small tolerant tokenizer; anything unknown is skipped.

/// One codespace range: codes of `len` bytes whose every byte lies within the per-byte bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeRange {
    pub len: u8,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

impl CodeRange {
    fn contains(&self, bytes: &[u8]) -> bool {
        bytes.len() == usize::from(self.len)
            && bytes
                .iter()
                .zip(self.lo.iter().zip(self.hi.iter()))
                .all(|(b, (lo, hi))| lo <= b && b <= hi)
    }
}

/// The byte layout of character codes in a font's strings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Codespace {
    pub ranges: Vec<CodeRange>,
}

impl Codespace {
    /// Fixed-width codes of `len` bytes, any value.
    pub fn fixed(len: u8) -> Self {
        let len = len.clamp(1, 4);
        let mut hi = [0u8; 4];
        for b in hi.iter_mut().take(usize::from(len)) {
            *b = 0xff;
        }
        Codespace {
            ranges: vec![CodeRange {
                len,
                lo: [0; 4],
                hi,
            }],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Split off the next code from `bytes`: (code, byte length). Tries the declared ranges from
    /// the shortest length up; when none matches, takes as many bytes as the shortest range whose
    /// first byte matches, else one byte (what viewers do with malformed strings).
    pub fn next_code(&self, bytes: &[u8]) -> Option<(u32, usize)> {
        if bytes.is_empty() {
            return None;
        }
        if self.ranges.is_empty() {
            return bytes.first().map(|b| (u32::from(*b), 1));
        }
        for len in 1..=4usize {
            let Some(head) = bytes.get(..len) else { break };
            if self.ranges.iter().any(|r| r.contains(head)) {
                return Some((be(head), len));
            }
        }
        let first = *bytes.first()?;
        let fallback = self
            .ranges
            .iter()
            .filter(|r| r.lo[0] <= first && first <= r.hi[0])
            .map(|r| usize::from(r.len))
            .min()
            .or_else(|| self.ranges.iter().map(|r| usize::from(r.len)).min())
            .unwrap_or(1)
            .min(bytes.len());
        bytes.get(..fallback).map(|h| (be(h), fallback))
    }
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

/// Destination of a bfrange: a base string whose last UTF-16 unit is incremented, or an explicit
/// list of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
enum BfDst {
    Base(Vec<u16>),
    List(Vec<Vec<u16>>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct BfRange {
    lo: u32,
    hi: u32,
    dst: BfDst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CidRange {
    len: u8,
    lo: u32,
    hi: u32,
    cid: u32,
}

/// A parsed CMap program.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CMapProgram {
    pub codespace: Codespace,
    bf: Vec<BfRange>,
    cid: Vec<CidRange>,
    /// Name given to `usecmap` (a predefined CMap this one extends).
    pub usecmap: Option<String>,
    /// `/WMode 1` → vertical.
    pub vertical: bool,
    /// `/Registry` and `/Ordering` of the CIDSystemInfo, if stated.
    pub registry: Option<String>,
    pub ordering: Option<String>,
    /// Mappings whose destination was malformed (odd-length hex, empty).
    pub bad_entries: usize,
}

impl CMapProgram {
    /// Number of bf mappings (codes covered by bfchar/bfrange).
    pub fn bf_len(&self) -> usize {
        self.bf.len()
    }

    pub fn has_cid_mappings(&self) -> bool {
        !self.cid.is_empty()
    }

    /// Unicode for a code from the bf mappings, appended to `out`. False when unmapped.
    pub fn lookup_unicode(&self, code: u32, out: &mut String) -> bool {
        let Some(r) = find_range(&self.bf, code, |r| (r.lo, r.hi)) else {
            return false;
        };
        let offset = code - r.lo;
        match &r.dst {
            BfDst::Base(units) => {
                if offset == 0 {
                    return push_utf16(units, out);
                }
                let mut units = units.clone();
                let Some(last) = units.last_mut() else {
                    return false;
                };
                let Some(v) = u32::from(*last).checked_add(offset) else {
                    return false;
                };
                match u16::try_from(v) {
                    Ok(v) => *last = v,
                    Err(_) => return false,
                }
                push_utf16(&units, out)
            }
            BfDst::List(list) => {
                let Some(units) = usize::try_from(offset).ok().and_then(|i| list.get(i)) else {
                    return false;
                };
                push_utf16(units, out)
            }
        }
    }

    /// CID for a code of `len` bytes from cidchar/cidrange.
    pub fn lookup_cid(&self, code: u32, len: usize) -> Option<u32> {
        self.cid
            .iter()
            .filter(|r| usize::from(r.len) == len || r.len == 0)
            .find(|r| r.lo <= code && code <= r.hi)
            .and_then(|r| r.cid.checked_add(code - r.lo))
    }
}

fn find_range<T>(items: &[T], code: u32, key: impl Fn(&T) -> (u32, u32)) -> Option<&T> {
    // Items are sorted by `lo` and may overlap (later definitions win in practice only rarely);
    // binary search for the last range starting at or before `code`, then scan back a little.
    let idx = items.partition_point(|t| key(t).0 <= code);
    items[..idx].iter().rev().take(8).find(|t| {
        let (lo, hi) = key(t);
        lo <= code && code <= hi
    })
}

/// Append UTF-16 units as text; unpaired surrogates make the mapping invalid.
fn push_utf16(units: &[u16], out: &mut String) -> bool {
    if units.is_empty() {
        return false;
    }
    let start = out.len();
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                out.truncate(start);
                return false;
            }
        }
    }
    true
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Str(Vec<u8>),
    Name(&'a [u8]),
    Num(i64),
    Word(&'a [u8]),
    ArrOpen,
    ArrClose,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() || b == 0 || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or_default()
    }

    fn next_tok(&mut self) -> Option<Tok<'a>> {
        loop {
            let b = self.peek()?;
            match b {
                b'%' => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' || b == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b if b.is_ascii_whitespace() || b == 0 => self.pos += 1,
                b'[' => {
                    self.pos += 1;
                    return Some(Tok::ArrOpen);
                }
                b']' => {
                    self.pos += 1;
                    return Some(Tok::ArrClose);
                }
                b'<' => {
                    self.pos += 1;
                    if self.peek() == Some(b'<') {
                        self.pos += 1;
                        continue; // dictionary open: ignore
                    }
                    return Some(Tok::Hex(self.hex()));
                }
                b'>' => {
                    self.pos += 1; // stray or dictionary close
                }
                b'(' => {
                    self.pos += 1;
                    return Some(Tok::Str(self.literal()));
                }
                b'/' => {
                    self.pos += 1;
                    return Some(Tok::Name(self.word()));
                }
                b'{' | b'}' | b')' => self.pos += 1,
                _ => {
                    let w = self.word();
                    if w.is_empty() {
                        self.pos += 1;
                        continue;
                    }
                    if let Some(n) = std::str::from_utf8(w)
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                    {
                        return Some(Tok::Num(n));
                    }
                    return Some(Tok::Word(w));
                }
            }
        }
    }

    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            let v = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                b'>' => break,
                _ => continue,
            };
            match hi.take() {
                Some(h) => out.push((h << 4) | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        b'\n' | b'\r' => {}
                        other => out.push(other),
                    }
                }
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    out.push(b);
                }
                _ => out.push(b),
            }
        }
        out
    }
}

fn units_of(bytes: &[u8]) -> Option<Vec<u16>> {
    if bytes.is_empty() {
        return None;
    }
    if bytes.len() % 2 == 1 {
        // One-byte destinations are written by some producers for ASCII.
        if bytes.len() == 1 {
            return bytes.first().map(|b| vec![u16::from(*b)]);
        }
        return None;
    }
    Some(
        bytes
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect(),
    )
}

fn code_range(lo: &[u8], hi: &[u8]) -> Option<CodeRange> {
    if lo.is_empty() || lo.len() > 4 || lo.len() != hi.len() {
        return None;
    }
    let mut r = CodeRange {
        len: lo.len() as u8,
        lo: [0; 4],
        hi: [0; 4],
    };
    r.lo[..lo.len()].copy_from_slice(lo);
    r.hi[..hi.len()].copy_from_slice(hi);
    Some(r)
}

/// Parse a CMap program. Never fails: malformed parts are skipped (counted in `bad_entries`).
pub(crate) fn parse(data: &[u8]) -> CMapProgram {
    let mut lx = Lexer { data, pos: 0 };
    let mut cm = CMapProgram::default();
    let mut stack: Vec<Tok> = Vec::new();
    // Bound the work on hostile input: a CMap has at most 100 entries per block by spec; we accept
    // far more but not unboundedly many.
    let mut budget: usize = 4_000_000;
    while let Some(tok) = lx.next_tok() {
        budget = match budget.checked_sub(1) {
            Some(b) => b,
            None => break,
        };
        match tok {
            Tok::Word(b"begincodespacerange") => {
                block(&mut lx, b"endcodespacerange", 2, |t| {
                    if let [Tok::Hex(lo), Tok::Hex(hi)] = t {
                        if let Some(r) = code_range(lo, hi) {
                            cm.codespace.ranges.push(r);
                        }
                    }
                });
            }
            Tok::Word(b"beginbfchar") => {
                let mut bad = 0;
                block(&mut lx, b"endbfchar", 2, |t| match t {
                    [Tok::Hex(src), dst] => {
                        let dst = match dst {
                            Tok::Hex(d) => units_of(d),
                            Tok::Name(n) => crate::pdf::fontmap::glyph_name_to_unicode(n)
                                .map(|s| s.encode_utf16().collect::<Vec<u16>>()),
                            _ => None,
                        };
                        match dst {
                            Some(d) if src.len() <= 4 && !src.is_empty() => {
                                let c = be(src);
                                cm.bf.push(BfRange {
                                    lo: c,
                                    hi: c,
                                    dst: BfDst::Base(d),
                                });
                            }
                            _ => bad += 1,
                        }
                    }
                    _ => bad += 1,
                });
                cm.bad_entries += bad;
            }
            Tok::Word(b"beginbfrange") => {
                let mut bad = 0;
                bf_range_block(&mut lx, &mut cm.bf, &mut bad);
                cm.bad_entries += bad;
            }
            Tok::Word(b"begincidchar") => {
                block(&mut lx, b"endcidchar", 2, |t| {
                    if let [Tok::Hex(src), Tok::Num(cid)] = t {
                        if let (Ok(cid), true) =
                            (u32::try_from(*cid), !src.is_empty() && src.len() <= 4)
                        {
                            let c = be(src);
                            cm.cid.push(CidRange {
                                len: src.len() as u8,
                                lo: c,
                                hi: c,
                                cid,
                            });
                        }
                    }
                });
            }
            Tok::Word(b"begincidrange") => {
                block(&mut lx, b"endcidrange", 3, |t| {
                    if let [Tok::Hex(lo), Tok::Hex(hi), Tok::Num(cid)] = t {
                        if let (Ok(cid), true) = (
                            u32::try_from(*cid),
                            !lo.is_empty() && lo.len() <= 4 && lo.len() == hi.len(),
                        ) {
                            let (l, h) = (be(lo), be(hi));
                            if l <= h {
                                cm.cid.push(CidRange {
                                    len: lo.len() as u8,
                                    lo: l,
                                    hi: h,
                                    cid,
                                });
                            }
                        }
                    }
                });
            }
            Tok::Word(b"usecmap") => {
                if let Some(Tok::Name(n)) = stack.last() {
                    cm.usecmap = Some(String::from_utf8_lossy(n).into_owned());
                }
            }
            Tok::Word(b"def") => {
                let n = stack.len();
                if let (Some(Tok::Name(name)), Some(val)) =
                    (n.checked_sub(2).and_then(|i| stack.get(i)), stack.last())
                {
                    match (*name, val) {
                        (b"WMode", Tok::Num(1)) => cm.vertical = true,
                        (b"Registry", Tok::Str(s)) => {
                            cm.registry = Some(String::from_utf8_lossy(s).into_owned())
                        }
                        (b"Ordering", Tok::Str(s)) => {
                            cm.ordering = Some(String::from_utf8_lossy(s).into_owned())
                        }
                        _ => {}
                    }
                }
                stack.clear();
            }
            other => {
                if stack.len() > 16 {
                    stack.clear();
                }
                stack.push(other);
            }
        }
    }
    cm.bf.sort_by_key(|r| r.lo);
    cm.cid.sort_by_key(|r| (r.len, r.lo));
    cm
}

/// Read groups of `n` tokens until `end`, handing each group to `f`.
fn block<'a>(lx: &mut Lexer<'a>, end: &[u8], n: usize, mut f: impl FnMut(&[Tok<'a>])) {
    let mut group: Vec<Tok<'a>> = Vec::with_capacity(n);
    while let Some(tok) = lx.next_tok() {
        if let Tok::Word(w) = &tok {
            if *w == end {
                return;
            }
            if w.starts_with(b"begin") || *w == b"endcmap" {
                return;
            }
        }
        group.push(tok);
        if group.len() == n {
            f(&group);
            group.clear();
        }
    }
}

fn bf_range_block(lx: &mut Lexer, out: &mut Vec<BfRange>, bad: &mut usize) {
    loop {
        let Some(t0) = lx.next_tok() else { return };
        let lo = match t0 {
            Tok::Hex(h) => h,
            Tok::Word(_) => return,
            _ => {
                *bad += 1;
                continue;
            }
        };
        let Some(Tok::Hex(hi)) = lx.next_tok() else {
            *bad += 1;
            return;
        };
        let dst = match lx.next_tok() {
            Some(Tok::Hex(d)) => units_of(&d).map(BfDst::Base),
            Some(Tok::ArrOpen) => {
                let mut list = Vec::new();
                let mut ok = true;
                loop {
                    match lx.next_tok() {
                        Some(Tok::Hex(d)) => match units_of(&d) {
                            Some(u) => list.push(u),
                            None => {
                                ok = false;
                                list.push(Vec::new());
                            }
                        },
                        Some(Tok::ArrClose) | None => break,
                        Some(_) => ok = false,
                    }
                }
                if !ok {
                    *bad += 1;
                }
                Some(BfDst::List(list))
            }
            _ => None,
        };
        if lo.is_empty() || lo.len() > 4 || hi.len() != lo.len() {
            *bad += 1;
            continue;
        }
        let (l, h) = (be(&lo), be(&hi));
        match dst {
            Some(dst) if l <= h => out.push(BfRange { lo: l, hi: h, dst }),
            _ => *bad += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(cm: &CMapProgram, code: u32) -> Option<String> {
        let mut s = String::new();
        cm.lookup_unicode(code, &mut s).then_some(s)
    }

    #[test]
    fn bfchar_and_bfrange_forms() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def /CMapType 2 def
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            3 beginbfchar
            <0003> <0020>
            <0010> <D842DF9F>
            <0011> <00660069>
            endbfchar
            2 beginbfrange
            <0020> <0022> <4E00>
            <0030> <0032> [<3042> <D840DC0B> <0041>]
            endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let cm = parse(src);
        let cases: &[(u32, Option<&str>)] = &[
            (0x03, Some(" ")),
            (0x10, Some("𠮟")),
            (0x11, Some("fi")),
            (0x20, Some("一")),
            (0x22, Some("丂")),
            (0x23, None),
            (0x30, Some("あ")),
            (0x31, Some("𠀋")),
            (0x32, Some("A")),
            (0x33, None),
            (0x04, None),
        ];
        for (code, want) in cases {
            assert_eq!(map(&cm, *code).as_deref(), *want, "code {code:#x}");
        }
        assert_eq!(cm.codespace, Codespace::fixed(2));
        assert_eq!(cm.bf_len(), 5);
        assert_eq!(cm.bad_entries, 0);
    }

    #[test]
    fn surrogate_range_increments_low_unit() {
        let cm = parse(b"1 beginbfrange <01> <03> <D840DC00> endbfrange");
        assert_eq!(map(&cm, 1).as_deref(), Some("\u{20000}"));
        assert_eq!(map(&cm, 3).as_deref(), Some("\u{20002}"));
    }

    #[test]
    fn unpaired_surrogate_is_unmapped() {
        let cm = parse(b"1 beginbfchar <01> <D840> endbfchar");
        assert_eq!(map(&cm, 1), None);
    }

    #[test]
    fn codespace_splits_mixed_widths() {
        // Shift_JIS-like: one byte 00-80 and A0-DF, two bytes 81-9F/E0-FC lead.
        let cm = parse(
            b"4 begincodespacerange <00> <80> <8140> <9FFC> <A0> <DF> <E040> <FCFC> endcodespacerange",
        );
        let cs = &cm.codespace;
        let data = [0x41u8, 0x82, 0xA0, 0xB1, 0x93, 0xFA];
        let mut pos = 0;
        let mut got = Vec::new();
        while let Some((code, len)) = cs.next_code(&data[pos..]) {
            got.push((code, len));
            pos += len;
        }
        assert_eq!(got, vec![(0x41, 1), (0x82A0, 2), (0xB1, 1), (0x93FA, 2)]);
    }

    #[test]
    fn codespace_fallback_on_unmatched_bytes() {
        let cs = Codespace::fixed(2);
        assert_eq!(cs.next_code(&[0x12, 0x34, 0x56]), Some((0x1234, 2)));
        // a lone trailing byte still yields one code instead of looping forever
        assert_eq!(cs.next_code(&[0x56]), Some((0x56, 1)));
        assert_eq!(Codespace::default().next_code(&[7, 8]), Some((7, 1)));
    }

    #[test]
    fn cid_ranges_and_metadata() {
        let cm = parse(
            b"/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def /Ordering (Japan1) def /Supplement 2 def end def
              /WMode 1 def /90ms-RKSJ-V usecmap
              1 begincodespacerange <8140> <FCFC> endcodespacerange
              2 begincidrange <8140> <817e> 633 <8180> <81ac> 696 endcidrange
              1 begincidchar <8200> 12 endcidchar",
        );
        assert!(cm.vertical);
        assert_eq!(cm.registry.as_deref(), Some("Adobe"));
        assert_eq!(cm.ordering.as_deref(), Some("Japan1"));
        assert_eq!(cm.usecmap.as_deref(), Some("90ms-RKSJ-V"));
        assert_eq!(cm.lookup_cid(0x8140, 2), Some(633));
        assert_eq!(cm.lookup_cid(0x8142, 2), Some(635));
        assert_eq!(cm.lookup_cid(0x8181, 2), Some(697));
        assert_eq!(cm.lookup_cid(0x8200, 2), Some(12));
        assert_eq!(cm.lookup_cid(0x41, 1), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        let inputs: &[&[u8]] = &[
            b"",
            b"beginbfrange <01",
            b"beginbfchar <01> endbfchar",
            b"2 beginbfrange <0001> <00> <41> <05> <01> <41> endbfrange",
            b"((((\\",
            b"<<<<>>>>[[[]]]",
            b"begincodespacerange <0102030405> <0102030405> endcodespacerange",
        ];
        for i in inputs {
            let cm = parse(i);
            let mut s = String::new();
            for code in 0..8 {
                cm.lookup_unicode(code, &mut s);
            }
            let _ = cm.codespace.next_code(b"\x01\x02");
        }
        let cm = parse(b"2 beginbfrange <0001> <00> <41> <05> <01> <41> endbfrange");
        assert_eq!(cm.bf_len(), 0);
        assert_eq!(cm.bad_entries, 2);
    }
}
