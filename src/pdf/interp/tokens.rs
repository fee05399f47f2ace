//! Operations of a decoded content stream read straight from its bytes: operands (numbers,
//! names, strings, hexadecimal strings, arrays, dictionaries, `null`, booleans), operators, inline
//! images (`BI … ID … EI`) and comments. The grammar is the one lopdf's content decoder accepts,
//! so the same bytes give the same operations and the reading stops at the same place; it only
//! builds the operand values, with one operand list reused for every operation.

use lopdf::{Dictionary, Object, Stream, StringFormat};

/// How deep arrays and dictionaries may nest, and literal strings their parentheses (lopdf's).
const MAX_NESTING: usize = 100;
const MAX_BRACKET: usize = 100;

/// Why a value could not be read: `Soft` lets an enclosing reader try something else there,
/// `Hard` (nesting too deep) ends the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fail {
    Soft,
    Hard,
}

type Res<T> = Result<(T, usize), Fail>;

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0c')
}

fn is_regular(b: u8) -> bool {
    !is_white(b)
        && !matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|v| v as u8)
}

/// The operations of a content stream, one at a time, until its end or the first operation that
/// cannot be read.
pub(super) struct Tokens<'a> {
    data: &'a [u8],
    pos: usize,
    operands: Vec<Object>,
    done: bool,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Tokens {
            data,
            pos: skip_white(data, 0),
            operands: Vec::new(),
            done: false,
        }
    }

    /// Reads the next operation: its operator (its operands are then [`Tokens::operands`]);
    /// `None` at the end of the data or at an operation that cannot be read (and on every call
    /// after).
    pub(super) fn advance(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        let op = self.operation();
        self.done = op.is_none();
        op
    }

    /// The operands of the operation last read.
    pub(super) fn operands(&self) -> &[Object] {
        &self.operands
    }

    fn operation(&mut self) -> Option<&'a str> {
        let data = self.data;
        let mut p = self.pos;
        // Comments (each with its end of line) and the white space after them.
        while data.get(p) == Some(&b'%') {
            match comment(data, p) {
                Some(q) => p = skip_white(data, q),
                None => break,
            }
        }
        self.operands.clear();
        if data.get(p..p + 2) == Some(b"BI") {
            let (image, q) = inline_image(data, skip_white(data, p + 2)).ok()?;
            self.operands.extend(image);
            self.pos = q;
            return Some("BI");
        }
        while let Ok((obj, q)) = operand(data, p) {
            self.operands.push(obj);
            p = skip_white(data, q);
        }
        let len = data
            .get(p..)?
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'*' | b'\'' | b'"'))
            .count();
        if len == 0 || data.get(p).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let op = std::str::from_utf8(span(data, p, p + len)).ok()?;
        self.pos = skip_white(data, p + len);
        Some(op)
    }
}

/// `data[a..b]`, or nothing when that is out of range.
fn span(data: &[u8], a: usize, b: usize) -> &[u8] {
    data.get(a..b).unwrap_or_default()
}

/// `data[p..]`, or nothing when `p` is past the end.
fn tail(data: &[u8], p: usize) -> &[u8] {
    data.get(p..).unwrap_or_default()
}

fn skip_white(data: &[u8], mut p: usize) -> usize {
    while data.get(p).is_some_and(|&c| is_white(c)) {
        p += 1;
    }
    p
}

/// The end of an end-of-line marker at `p` (CR LF, LF or CR).
fn eol(data: &[u8], p: usize) -> Option<usize> {
    match data.get(p)? {
        b'\r' if data.get(p + 1) == Some(&b'\n') => Some(p + 2),
        b'\r' | b'\n' => Some(p + 1),
        _ => None,
    }
}

/// The end of a comment at `p`, with its end of line (a comment without one is not read).
fn comment(data: &[u8], p: usize) -> Option<usize> {
    if data.get(p) != Some(&b'%') {
        return None;
    }
    let q = p + data
        .get(p..)?
        .iter()
        .take_while(|&&c| c != b'\r' && c != b'\n')
        .count();
    eol(data, q)
}

/// White space and comments.
fn space(data: &[u8], mut p: usize) -> usize {
    loop {
        p = skip_white(data, p);
        match comment(data, p) {
            Some(q) => p = q,
            None => return p,
        }
    }
}

fn digits(data: &[u8], p: usize) -> usize {
    data.get(p..)
        .map_or(0, |d| d.iter().take_while(|c| c.is_ascii_digit()).count())
}

fn digits_value(d: &[u8]) -> Option<u64> {
    d.iter().try_fold(0u64, |v, &c| {
        v.checked_mul(10)?.checked_add(u64::from(c - b'0'))
    })
}

fn sign(data: &[u8], p: usize) -> (bool, usize) {
    match data.get(p) {
        Some(b'+') => (false, p + 1),
        Some(b'-') => (true, p + 1),
        _ => (false, p),
    }
}

/// A real: digits with a point (`1.`, `.5`, `-2.25`); a minus sign inside the fraction, as some
/// producers write (`0.00-41`), is left out.
fn real(data: &[u8], s: usize) -> Res<Object> {
    let (_, mut p) = sign(data, s);
    let n = digits(data, p);
    if n > 0 && data.get(p + n) == Some(&b'.') {
        p += n + 1;
        p += digits(data, p);
    } else if n == 0 && data.get(p) == Some(&b'.') && digits(data, p + 1) > 0 {
        p += 1 + digits(data, p + 1);
    } else {
        return Err(Fail::Soft);
    }
    let frac = p;
    while data
        .get(p)
        .is_some_and(|&c| c == b'-' || c.is_ascii_digit())
    {
        p += 1;
    }
    let text = span(data, s, p);
    let value = if span(data, frac, p).contains(&b'-') {
        let (first, rest) = text.split_at(1);
        let mut t = first.to_vec();
        t.extend(rest.iter().filter(|&&c| c != b'-'));
        parse_f32(&t)
    } else {
        parse_f32(text)
    };
    value.map(|v| (Object::Real(v), p)).ok_or(Fail::Soft)
}

fn parse_f32(t: &[u8]) -> Option<f32> {
    std::str::from_utf8(t).ok()?.parse().ok()
}

fn integer(data: &[u8], s: usize) -> Res<Object> {
    let (negative, p) = sign(data, s);
    let n = digits(data, p);
    if n == 0 {
        return Err(Fail::Soft);
    }
    let magnitude = digits_value(span(data, p, p + n)).ok_or(Fail::Soft)?;
    let value = if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    };
    value.map(|v| (Object::Integer(v), p + n)).ok_or(Fail::Soft)
}

fn unsigned<T: TryFrom<u64>>(data: &[u8], p: usize) -> Res<T> {
    let n = digits(data, p);
    if n == 0 {
        return Err(Fail::Soft);
    }
    digits_value(span(data, p, p + n))
        .and_then(|v| T::try_from(v).ok())
        .map(|v| (v, p + n))
        .ok_or(Fail::Soft)
}

/// `id gen R` (read inside arrays and dictionaries).
fn reference(data: &[u8], p: usize) -> Res<Object> {
    let (id, p) = unsigned::<u32>(data, p)?;
    let (gen, p) = unsigned::<u16>(data, space(data, p))?;
    let p = space(data, p);
    if data.get(p) == Some(&b'R') {
        Ok((Object::Reference((id, gen)), p + 1))
    } else {
        Err(Fail::Soft)
    }
}

fn name(data: &[u8], p: usize) -> Res<Vec<u8>> {
    if data.get(p) != Some(&b'/') {
        return Err(Fail::Soft);
    }
    let mut p = p + 1;
    let mut out = Vec::new();
    loop {
        let run = tail(data, p)
            .iter()
            .take_while(|&&c| c != b'#' && is_regular(c))
            .count();
        out.extend_from_slice(span(data, p, p + run));
        p += run;
        // `#` and two hexadecimal digits are one byte; any other `#` ends the name.
        match (data.get(p), data.get(p + 1), data.get(p + 2)) {
            (Some(b'#'), Some(&h), Some(&l)) => match (hex_value(h), hex_value(l)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    p += 3;
                }
                _ => return Ok((out, p)),
            },
            _ => return Ok((out, p)),
        }
    }
}

/// A literal string `( … )`: escapes, line ends read as LF, balanced parentheses kept.
fn literal(data: &[u8], p: usize) -> Res<Vec<u8>> {
    let mut out = Vec::new();
    let p = literal_into(data, p, MAX_BRACKET, &mut out)?;
    Ok((out, p))
}

/// Reads `( … )` at `p` into `out` (without its outer parentheses); the end.
fn literal_into(data: &[u8], p: usize, depth: usize, out: &mut Vec<u8>) -> Result<usize, Fail> {
    if data.get(p) != Some(&b'(') {
        return Err(Fail::Soft);
    }
    let mut p = p + 1;
    loop {
        let run = tail(data, p)
            .iter()
            .take_while(|&&c| !matches!(c, b'(' | b')' | b'\\' | b'\r' | b'\n'))
            .count();
        out.extend_from_slice(span(data, p, p + run));
        p += run;
        match data.get(p) {
            Some(b')') => return Ok(p + 1),
            Some(b'\r' | b'\n') => {
                out.push(b'\n');
                p = eol(data, p).unwrap_or(p + 1);
            }
            Some(b'\\') => {
                let Some(&c) = data.get(p + 1) else {
                    return Err(Fail::Soft);
                };
                p += 1;
                if (b'0'..=b'7').contains(&c) {
                    let n = tail(data, p)
                        .iter()
                        .take(3)
                        .take_while(|c| (b'0'..=b'7').contains(*c))
                        .count();
                    let v = span(data, p, p + n)
                        .iter()
                        .fold(0u16, |v, &d| v * 8 + u16::from(d - b'0'));
                    out.push(v as u8);
                    p += n;
                } else if let Some(q) = eol(data, p) {
                    p = q;
                } else {
                    out.push(match c {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => b'\x08',
                        b'f' => b'\x0c',
                        other => other,
                    });
                    p += 1;
                }
            }
            Some(b'(') if depth > 0 => {
                let mark = out.len();
                out.push(b'(');
                match literal_into(data, p, depth - 1, out) {
                    Ok(q) => {
                        out.push(b')');
                        p = q;
                    }
                    Err(_) => {
                        out.truncate(mark);
                        return Err(Fail::Soft);
                    }
                }
            }
            _ => return Err(Fail::Soft),
        }
    }
}

/// A hexadecimal string `< … >`, white space between the digits ignored, an odd last digit
/// read as its high half.
fn hex_string(data: &[u8], p: usize) -> Res<Object> {
    if data.get(p) != Some(&b'<') {
        return Err(Fail::Soft);
    }
    let mut p = p + 1;
    let mut out = Vec::new();
    let mut high = true;
    loop {
        let q = skip_white(data, p);
        let Some(v) = data.get(q).and_then(|&c| hex_value(c)) else {
            break;
        };
        if high {
            out.push(v << 4);
        } else if let Some(last) = out.last_mut() {
            *last |= v;
        }
        high = !high;
        p = q + 1;
    }
    p = skip_white(data, p);
    if data.get(p) == Some(&b'>') {
        Ok((Object::String(out, StringFormat::Hexadecimal), p + 1))
    } else {
        Err(Fail::Soft)
    }
}

fn keyword(data: &[u8], p: usize, word: &[u8], obj: Object) -> Res<Object> {
    if data.get(p..p + word.len()) == Some(word) {
        Ok((obj, p + word.len()))
    } else {
        Err(Fail::Soft)
    }
}

/// `[ … ]`: values separated by white space and comments.
fn array(data: &[u8], p: usize, depth: usize) -> Res<Vec<Object>> {
    if data.get(p) != Some(&b'[') {
        return Err(Fail::Soft);
    }
    let mut p = space(data, p + 1);
    let mut items = Vec::new();
    loop {
        match direct(data, p, depth) {
            Ok((obj, q)) => {
                items.push(obj);
                p = q;
            }
            Err(Fail::Soft) => break,
            Err(Fail::Hard) => return Err(Fail::Hard),
        }
    }
    if data.get(p) == Some(&b']') {
        Ok((items, p + 1))
    } else {
        Err(Fail::Soft)
    }
}

/// Keys and values up to the first that cannot be read.
fn entries(data: &[u8], mut p: usize, depth: usize) -> Res<Dictionary> {
    let mut dict = Dictionary::new();
    loop {
        let Ok((key, q)) = name(data, p) else {
            return Ok((dict, p));
        };
        match direct(data, space(data, q), depth) {
            Ok((value, q)) => {
                dict.set(key, value);
                p = q;
            }
            Err(Fail::Soft) => return Ok((dict, p)),
            Err(Fail::Hard) => return Err(Fail::Hard),
        }
    }
}

/// `<< … >>`.
fn dictionary(data: &[u8], p: usize, depth: usize) -> Res<Dictionary> {
    if data.get(p..p + 2) != Some(b"<<") {
        return Err(Fail::Soft);
    }
    let (dict, p) = entries(data, space(data, p + 2), depth)?;
    if data.get(p..p + 2) == Some(b">>") {
        Ok((dict, p + 2))
    } else {
        Err(Fail::Soft)
    }
}

/// A value inside an array or dictionary, with the white space and comments after it.
fn direct(data: &[u8], p: usize, depth: usize) -> Res<Object> {
    if depth == 0 {
        return Err(Fail::Hard);
    }
    let (obj, q) = value(data, p, depth - 1, true)?;
    Ok((obj, space(data, q)))
}

/// A value of any kind; references only where `refs` (inside arrays and dictionaries).
fn value(data: &[u8], p: usize, depth: usize, refs: bool) -> Res<Object> {
    match data.get(p) {
        Some(b'n') => keyword(data, p, b"null", Object::Null),
        Some(b't') => keyword(data, p, b"true", Object::Boolean(true)),
        Some(b'f') => keyword(data, p, b"false", Object::Boolean(false)),
        Some(b'0'..=b'9' | b'+' | b'-' | b'.') => {
            if refs && data.get(p).is_some_and(u8::is_ascii_digit) {
                if let Ok(r) = reference(data, p) {
                    return Ok(r);
                }
            }
            real(data, p).or_else(|_| integer(data, p))
        }
        Some(b'/') => name(data, p).map(|(n, q)| (Object::Name(n), q)),
        Some(b'(') => literal(data, p).map(|(s, q)| (Object::string_literal(s), q)),
        Some(b'<') => match hex_string(data, p) {
            Ok(r) => Ok(r),
            Err(_) => dictionary(data, p, depth).map(|(d, q)| (Object::Dictionary(d), q)),
        },
        Some(b'[') => array(data, p, depth).map(|(a, q)| (Object::Array(a), q)),
        _ => Err(Fail::Soft),
    }
}

/// An operand of an operation (white space after it is read by the caller).
fn operand(data: &[u8], p: usize) -> Res<Object> {
    value(data, p, MAX_NESTING, false)
}

/// An inline image after `BI` and white space: its entries, `ID`, the data, `EI`. The image is an
/// operand when its size can be told from its entries; otherwise the data is skipped to the
/// first `EI` between white space, with no operand.
fn inline_image(data: &[u8], p: usize) -> Result<(Option<Object>, usize), Fail> {
    let (dict, p) = entries(data, p, MAX_NESTING)?;
    if data.get(p..p + 2) != Some(b"ID") {
        return Err(Fail::Hard);
    }
    let mut p = p + 2;
    // One white-space character (CR LF as one) before the data.
    if let Some(q) = eol(data, p) {
        p = q;
    } else if data.get(p).is_some_and(|&c| is_white(c)) {
        p += 1;
    }
    let rest = tail(data, p);
    match image_length(&dict).filter(|&n| n <= rest.len()) {
        Some(n) => {
            let q = skip_white(data, p + n);
            if data.get(q..q + 2) != Some(b"EI") {
                return Err(Fail::Hard);
            }
            let image = Stream::new(dict, span(rest, 0, n).to_vec());
            Ok((Some(Object::Stream(image)), skip_white(data, q + 2)))
        }
        None => {
            let at = rest
                .windows(3)
                .enumerate()
                .find(|&(i, w)| {
                    w.first().is_some_and(|&c| is_white(c))
                        && w.get(1..) == Some(b"EI")
                        && rest.get(i + 3).is_none_or(|&c| is_white(c))
                })
                .map(|(i, _)| i)
                .ok_or(Fail::Hard)?;
            Ok((None, skip_white(data, p + at + 3)))
        }
    }
}

/// The bytes of an unfiltered inline image: width × height × bits per pixel, rows whole bytes;
/// `None` when the entries do not tell (or name a filter).
fn image_length(dict: &Dictionary) -> Option<usize> {
    let get = |abbr: &[u8], key: &[u8]| dict.get(abbr).or_else(|_| dict.get(key)).ok();
    let size = |abbr: &[u8], key: &[u8]| -> Result<usize, bool> {
        // Err(true): the entry is missing.
        let v = get(abbr, key).ok_or(true)?.as_i64().map_err(|_| false)?;
        usize::try_from(v).map_err(|_| false)
    };
    let width = size(b"W", b"Width").ok()?;
    let height = size(b"H", b"Height").ok()?;
    let mask = get(b"IM", b"ImageMask").and_then(|o| o.as_bool().ok()) == Some(true);
    let bpc = match size(b"BPC", b"BitsPerComponent") {
        Err(true) if mask => 1,
        other => other.ok()?,
    };
    let colors = if mask {
        1
    } else {
        match get(b"CS", b"ColorSpace")? {
            Object::Array(a)
                if matches!(a.first().map(Object::as_name), Some(Ok(b"Indexed" | b"I"))) =>
            {
                1
            }
            cs => match cs.as_name().ok()? {
                b"DeviceGray" | b"G" | b"Gray" => 1,
                b"DeviceRGB" | b"RGB" => 3,
                b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK" => 4,
                _ => return None,
            },
        }
    };
    if get(b"F", b"Filter").is_some() {
        return None;
    }
    bpc.checked_mul(colors)
        .and_then(|bits| width.checked_mul(bits))
        .and_then(|row| row.div_ceil(8).checked_mul(height))
}

#[cfg(test)]
#[path = "tokens_tests.rs"]
mod tests;
