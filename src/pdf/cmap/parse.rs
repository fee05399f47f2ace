//! Parser of embedded CMap streams (ToUnicode and encoding CMaps).

use super::*;

// ---------------------------------------------------------------------------------------------
// Embedded CMap parser

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
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

pub(super) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    peeked: Option<Tok<'a>>,
}

pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | b'\0')
}

pub(super) fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
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
                    let end = crate::pdf::objstm::literal_string_close(self.data, start + 1)
                        .unwrap_or(self.data.len());
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
pub(super) fn hex_bytes(digits: &[u8], out: &mut Vec<u8>) {
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
pub(super) fn lit_bytes(raw: &[u8], out: &mut Vec<u8>) {
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
pub(super) fn string_bytes(tok: Tok<'_>, buf: &mut Vec<u8>) -> bool {
    buf.clear();
    match tok {
        Tok::Hex(d) => hex_bytes(d, buf),
        Tok::Lit(raw) => lit_bytes(raw, buf),
        _ => return false,
    }
    true
}

/// A source code (1–4 bytes) from a string token: `(code, byte length)`.
pub(super) fn code_tok(tok: Tok<'_>, buf: &mut Vec<u8>) -> Option<(u32, u8)> {
    if !string_bytes(tok, buf) || buf.is_empty() || buf.len() > 4 {
        return None;
    }
    Some((code_of(buf), buf.len() as u8))
}

pub(super) struct Parser<'a> {
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
    pub(super) fn new(data: &'a [u8]) -> Self {
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

    pub(super) fn run(mut self) -> Option<CMap> {
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
pub(super) fn shift_uni(v: UniVal, k: u32, pool: &mut String) -> Option<UniVal> {
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
