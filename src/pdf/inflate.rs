//! A lenient inflater for Flate data the strict decoder refuses.
//!
//! zlib and miniz treat several kinds of damage as fatal and keep only what inflated before
//! it; poppler's own inflater reads on. This one reads on past the same kinds, noting each
//! one with the byte offset of the data where it was found:
//! - a zlib checksum (Adler-32) that does not match the inflated bytes (the deflate data read
//!   to its end, but some byte of it changed: the bytes are kept as inflated);
//! - a zlib header whose check bits are wrong (the deflate data after it is read);
//! - a stored block whose length and its complement disagree (the length is used);
//! - a back-reference reaching before the start of the data (the bytes before the start read
//!   as zeros, so every later offset stays where it was).
//!
//! Damage that leaves nothing to read on from (a code no table holds, a reserved block type,
//! a table of code lengths that cannot be built, data ending inside a block) stops it, with
//! what inflated before. It is used only when the strict decoder fails, and what it gives
//! after the first damage is uncertain: it is read through the same checks as any data.

/// What was wrong at one spot of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The zlib header's check bits.
    Header,
    /// A stored block's length against its complement.
    StoredLength,
    /// A back-reference before the data's start.
    Distance,
    /// The Adler-32 checksum against the inflated bytes.
    Checksum,
    /// A code no table holds, or a reserved symbol or block type: the end of what reads.
    BadCode,
    /// Code lengths that make no table.
    BadTable,
    /// The data ends inside a block.
    Truncated,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Header => "the zlib header's check bits are wrong",
            Kind::StoredLength => "a stored block's length disagrees with its complement",
            Kind::Distance => "a back-reference reaches before the start of the data",
            Kind::Checksum => "the Adler-32 checksum does not match the inflated bytes",
            Kind::BadCode => "a code that no table holds",
            Kind::BadTable => "a table of code lengths that cannot be built",
            Kind::Truncated => "the data ends inside a block",
        }
    }

    /// Whether inflating stops there.
    pub fn stops(self) -> bool {
        matches!(self, Kind::BadCode | Kind::BadTable | Kind::Truncated)
    }
}

/// One damaged spot: the byte offset in the data and how many bytes had inflated by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Damage {
    pub kind: Kind,
    pub offset: usize,
    pub inflated: usize,
}

/// What a lenient inflate gave.
#[derive(Debug, Default)]
pub struct Lenient {
    pub data: Vec<u8>,
    /// In the order found; at most one that stops, last.
    pub damage: Vec<Damage>,
    /// The output reached the cap before the data's end.
    pub over_cap: bool,
}

impl Lenient {
    pub fn first(&self) -> Option<&Damage> {
        self.damage.first()
    }
}

const LBASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEXT: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DBASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DEXT: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order code length code lengths are sent in.
const ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u32,
    cnt: u32,
}

impl Bits<'_> {
    /// `n` (at most 16) bits, least significant first; None at the data's end.
    fn bits(&mut self, n: u32) -> Option<u32> {
        while self.cnt < n {
            let b = *self.data.get(self.pos)?;
            self.pos += 1;
            self.buf |= u32::from(b) << self.cnt;
            self.cnt += 8;
        }
        let v = self.buf & ((1u32 << n) - 1);
        self.buf >>= n;
        self.cnt -= n;
        Some(v)
    }

    /// Drop the bits left in the current byte.
    fn align(&mut self) {
        let drop = self.cnt % 8;
        self.buf >>= drop;
        self.cnt -= drop;
    }

    /// The offset of the byte holding the next unread bit.
    fn offset(&self) -> usize {
        (self.pos * 8 - self.cnt as usize) / 8
    }

    fn byte(&mut self) -> Option<u8> {
        self.bits(8).and_then(|b| u8::try_from(b).ok())
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    /// The code for these lengths; None when it is over-subscribed (more codes than bits).
    /// An incomplete code is kept: a code it lacks reads as no symbol.
    fn new(lengths: &[u8]) -> Option<Huffman> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            *counts.get_mut(usize::from(l))? += 1;
        }
        let mut left: i32 = 1;
        for &c in counts.iter().skip(1) {
            left = (left << 1) - i32::from(c);
            if left < 0 {
                return None;
            }
        }
        // where each length's symbols start in code order
        let mut offs = [0u16; 16];
        let mut next = 0u16;
        for (o, &c) in offs.iter_mut().zip(counts.iter()).skip(1) {
            *o = next;
            next += c;
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let o = offs.get_mut(usize::from(l))?;
                *symbols.get_mut(usize::from(*o))? = u16::try_from(sym).ok()?;
                *o += 1;
            }
        }
        counts[0] = 0;
        Some(Huffman { counts, symbols })
    }

    /// The next symbol: Err(true) at the data's end, Err(false) for a code the table lacks.
    fn decode(&self, bits: &mut Bits) -> Result<u16, bool> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in self.counts.iter().skip(1) {
            code |= i32::try_from(bits.bits(1).ok_or(true)?).unwrap_or(0);
            let count = i32::from(count);
            if code - count < first {
                let at = usize::try_from(index + (code - first)).map_err(|_| false)?;
                return self.symbols.get(at).copied().ok_or(false);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(false)
    }
}

fn fixed() -> Option<(Huffman, Huffman)> {
    let mut l = [0u8; 288];
    for (i, x) in l.iter_mut().enumerate() {
        *x = match i {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
    }
    Some((Huffman::new(&l)?, Huffman::new(&[5u8; 30])?))
}

struct Inflater<'a> {
    bits: Bits<'a>,
    out: Vec<u8>,
    cap: usize,
    damage: Vec<Damage>,
    /// A back-reference before the start noted once: every later one follows from it.
    distance_noted: bool,
}

/// Why a block ended early.
enum Stop {
    /// Damage that leaves nothing to read on from.
    Damaged(Kind),
    /// The output reached the cap.
    Cap,
}

impl Inflater<'_> {
    fn note(&mut self, kind: Kind, offset: usize) {
        if self.damage.len() < 64 {
            self.damage.push(Damage {
                kind,
                offset,
                inflated: self.out.len(),
            });
        }
    }

    fn push(&mut self, b: u8) -> Result<(), Stop> {
        if self.out.len() >= self.cap {
            return Err(Stop::Cap);
        }
        self.out.push(b);
        Ok(())
    }

    fn stored(&mut self) -> Result<(), Stop> {
        self.bits.align();
        let at = self.bits.offset();
        let mut word = || -> Option<u16> {
            let lo = self.bits.byte()?;
            let hi = self.bits.byte()?;
            Some(u16::from_le_bytes([lo, hi]))
        };
        let (Some(len), Some(nlen)) = (word(), word()) else {
            return Err(Stop::Damaged(Kind::Truncated));
        };
        if len != !nlen {
            self.note(Kind::StoredLength, at);
        }
        for _ in 0..len {
            let b = self.bits.byte().ok_or(Stop::Damaged(Kind::Truncated))?;
            self.push(b)?;
        }
        Ok(())
    }

    fn codes(&mut self, lit: &Huffman, dist: &Huffman) -> Result<(), Stop> {
        let fail = |end: bool| Stop::Damaged(if end { Kind::Truncated } else { Kind::BadCode });
        loop {
            let sym = lit.decode(&mut self.bits).map_err(fail)?;
            match sym {
                0..=255 => self.push(u8::try_from(sym).unwrap_or(0))?,
                256 => return Ok(()),
                _ => {
                    let i = usize::from(sym - 257);
                    let (Some(&base), Some(&ext)) = (LBASE.get(i), LEXT.get(i)) else {
                        return Err(Stop::Damaged(Kind::BadCode));
                    };
                    let extra = self.bits.bits(u32::from(ext)).ok_or(fail(true))?;
                    let len = usize::from(base) + extra as usize;
                    let at = self.bits.offset();
                    let d = usize::from(dist.decode(&mut self.bits).map_err(fail)?);
                    let (Some(&base), Some(&ext)) = (DBASE.get(d), DEXT.get(d)) else {
                        return Err(Stop::Damaged(Kind::BadCode));
                    };
                    let extra = self.bits.bits(u32::from(ext)).ok_or(fail(true))?;
                    let back = usize::from(base) + extra as usize;
                    if back > self.out.len() && !self.distance_noted {
                        self.distance_noted = true;
                        self.note(Kind::Distance, at);
                    }
                    for _ in 0..len {
                        // before the data's start: zeros, as an inflater whose window starts
                        // cleared reads them
                        let b = self
                            .out
                            .len()
                            .checked_sub(back)
                            .and_then(|k| self.out.get(k))
                            .copied()
                            .unwrap_or(0);
                        self.push(b)?;
                    }
                }
            }
        }
    }

    fn dynamic(&mut self) -> Result<(), Stop> {
        let end = Stop::Damaged(Kind::Truncated);
        let (Some(nlen), Some(ndist), Some(ncode)) =
            (self.bits.bits(5), self.bits.bits(5), self.bits.bits(4))
        else {
            return Err(end);
        };
        let (nlen, ndist, ncode) = (nlen as usize + 257, ndist as usize + 1, ncode as usize + 4);
        if nlen > 286 || ndist > 30 {
            return Err(Stop::Damaged(Kind::BadTable));
        }
        let mut lengths = [0u8; 19];
        for &o in ORDER.iter().take(ncode) {
            let l = self.bits.bits(3).ok_or(Stop::Damaged(Kind::Truncated))?;
            if let Some(x) = lengths.get_mut(o) {
                *x = u8::try_from(l).unwrap_or(0);
            }
        }
        let lencode = Huffman::new(&lengths).ok_or(Stop::Damaged(Kind::BadTable))?;
        let mut all = vec![0u8; nlen + ndist];
        let mut i = 0;
        while i < nlen + ndist {
            let sym = lencode
                .decode(&mut self.bits)
                .map_err(|end| Stop::Damaged(if end { Kind::Truncated } else { Kind::BadTable }))?;
            let (value, times) = match sym {
                0..=15 => (u8::try_from(sym).unwrap_or(0), 1),
                16 => {
                    let prev = i
                        .checked_sub(1)
                        .and_then(|p| all.get(p))
                        .copied()
                        .ok_or(Stop::Damaged(Kind::BadTable))?;
                    (
                        prev,
                        3 + self.bits.bits(2).ok_or(Stop::Damaged(Kind::Truncated))?,
                    )
                }
                17 => (
                    0,
                    3 + self.bits.bits(3).ok_or(Stop::Damaged(Kind::Truncated))?,
                ),
                _ => (
                    0,
                    11 + self.bits.bits(7).ok_or(Stop::Damaged(Kind::Truncated))?,
                ),
            };
            for _ in 0..times {
                *all.get_mut(i).ok_or(Stop::Damaged(Kind::BadTable))? = value;
                i += 1;
            }
        }
        let (lit, dist) = all.split_at(nlen);
        let lit = Huffman::new(lit).ok_or(Stop::Damaged(Kind::BadTable))?;
        let dist = Huffman::new(dist).ok_or(Stop::Damaged(Kind::BadTable))?;
        self.codes(&lit, &dist)
    }

    fn blocks(&mut self) -> Result<(), Stop> {
        loop {
            let at = self.bits.offset();
            let (Some(last), Some(kind)) = (self.bits.bits(1), self.bits.bits(2)) else {
                return Err(Stop::Damaged(Kind::Truncated));
            };
            let r = match kind {
                0 => self.stored(),
                1 => match fixed() {
                    Some((lit, dist)) => self.codes(&lit, &dist),
                    None => Err(Stop::Damaged(Kind::BadTable)),
                },
                2 => self.dynamic(),
                _ => {
                    self.note(Kind::BadCode, at);
                    return Err(Stop::Damaged(Kind::BadCode));
                }
            };
            if let Err(Stop::Damaged(kind)) = r {
                let at = self.bits.offset();
                self.note(kind, at);
                return r;
            }
            r?;
            if last == 1 {
                return Ok(());
            }
        }
    }
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// Inflate zlib data (`zlib`) or raw deflate data, reading on past the damage the strict
/// decoder stops at, to at most `cap` bytes.
pub fn inflate(data: &[u8], zlib: bool, cap: usize) -> Lenient {
    let mut damage = Vec::new();
    let body = if zlib {
        match data {
            [cmf, flg, ..] => {
                if (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 != 0 || cmf & 0x0f != 8 {
                    damage.push(Damage {
                        kind: Kind::Header,
                        offset: 0,
                        inflated: 0,
                    });
                }
                2
            }
            _ => {
                return Lenient {
                    damage: vec![Damage {
                        kind: Kind::Truncated,
                        offset: 0,
                        inflated: 0,
                    }],
                    ..Lenient::default()
                }
            }
        }
    } else {
        0
    };
    let mut inf = Inflater {
        bits: Bits {
            data: data.get(body..).unwrap_or_default(),
            pos: 0,
            buf: 0,
            cnt: 0,
        },
        out: Vec::with_capacity(data.len().saturating_mul(4).min(cap)),
        cap,
        damage,
        distance_noted: false,
    };
    let r = inf.blocks();
    let mut over_cap = false;
    match r {
        Ok(()) if zlib => {
            inf.bits.align();
            let at = inf.bits.offset();
            let sum: Option<Vec<u8>> = (0..4).map(|_| inf.bits.byte()).collect();
            // a checksum left out (some producers do) is no damage
            if let Some(sum) = sum {
                if sum.as_slice() != adler32(&inf.out).to_be_bytes() {
                    inf.note(Kind::Checksum, at);
                }
            }
        }
        Ok(()) => {}
        Err(Stop::Cap) => over_cap = true,
        Err(Stop::Damaged(_)) => {}
    }
    for d in &mut inf.damage {
        d.offset += body;
    }
    // the header's own offset is 0
    if let Some(h) = inf.damage.iter_mut().find(|d| d.kind == Kind::Header) {
        h.offset = 0;
    }
    Lenient {
        data: inf.out,
        damage: inf.damage,
        over_cap,
    }
}

/// A stream whose only filter is Flate (no predictor) and whose data the strict decoder does
/// not read to its end ([`super::streams::flate_complete`]), inflated leniently to at most
/// `cap` bytes; None for any other stream, and when nothing was damaged past what the strict
/// decoder reads.
pub fn when_strict_fails(stream: &lopdf::Stream, cap: usize) -> Option<Lenient> {
    let flate_only = match stream.dict.get(b"Filter") {
        Ok(lopdf::Object::Name(n)) => n == b"FlateDecode" || n == b"Fl",
        Ok(lopdf::Object::Array(a)) => {
            matches!(a.as_slice(), [lopdf::Object::Name(n)] if n == b"FlateDecode" || n == b"Fl")
        }
        _ => false,
    };
    let plain = matches!(
        stream.dict.get(b"DecodeParms"),
        Err(_) | Ok(lopdf::Object::Null)
    );
    if !flate_only || !plain || super::streams::flate_complete(stream) {
        return None;
    }
    let got = inflate(&stream.content, true, cap);
    // over the cap: left to the strict decoder's limit error
    let read_on = got
        .first()
        .is_some_and(|d| !d.kind.stops() || got.damage.len() > 1);
    (read_on && !got.over_cap).then_some(got)
}

impl Lenient {
    /// What the damage was and where, for a diagnostic: `the Adler-32 checksum does not match
    /// the inflated bytes (byte 320 of 324)`, and where uncertainty starts in the inflated
    /// bytes: 0 for a checksum (the damage could be anywhere), else where the first damage was
    /// found.
    pub fn describe(&self, len: usize) -> (String, usize) {
        let parts: Vec<String> = self
            .damage
            .iter()
            .take(4)
            .map(|d| {
                format!(
                    "{} (byte {} of {len}, after {} inflated bytes)",
                    d.kind.describe(),
                    d.offset,
                    d.inflated
                )
            })
            .collect();
        // a damaged header costs no byte of the data
        let from = match self.damage.iter().find(|d| d.kind != Kind::Header) {
            Some(d) if d.kind == Kind::Checksum => 0,
            Some(d) => d.inflated,
            None => self.data.len(),
        };
        (parts.join("; "), from)
    }
}

#[cfg(test)]
mod tests;
