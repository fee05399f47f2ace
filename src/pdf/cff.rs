//! The built-in encoding of a bare CFF font program (`/FontFile3` of subtype `Type1C`): which
//! glyph name each one-byte code shows, for simple fonts that carry no `/Encoding` and no
//! ToUnicode (TeX's CMR fonts, for example).

use super::encoding;

/// How a CFF font encodes its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// The font uses StandardEncoding.
    Standard,
    /// Code → glyph name.
    Names(Vec<(u8, String)>),
}

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn u8(&self, at: usize) -> Option<u8> {
        self.data.get(at).copied()
    }
    fn u16(&self, at: usize) -> Option<u16> {
        Some(u16::from_be_bytes([self.u8(at)?, self.u8(at + 1)?]))
    }
    fn offset(&self, at: usize, size: u8) -> Option<usize> {
        let mut v = 0usize;
        for i in 0..usize::from(size) {
            v = (v << 8) | usize::from(self.u8(at + i)?);
        }
        Some(v)
    }

    /// An INDEX at `at`: its items' byte ranges and the position after it.
    fn index(&self, at: usize) -> Option<(Vec<(usize, usize)>, usize)> {
        let count = usize::from(self.u16(at)?);
        if count == 0 {
            return Some((Vec::new(), at + 2));
        }
        let size = self.u8(at + 2)?;
        if !(1..=4).contains(&size) {
            return None;
        }
        let offsets_at = at + 3;
        let data_at = offsets_at + (count + 1) * usize::from(size) - 1;
        let mut items = Vec::with_capacity(count.min(65536));
        let mut prev = self.offset(offsets_at, size)?;
        for i in 1..=count {
            let next = self.offset(offsets_at + i * usize::from(size), size)?;
            if next < prev {
                return None;
            }
            items.push((data_at + prev, data_at + next));
            prev = next;
        }
        let end = data_at + prev;
        (end <= self.data.len()).then_some((items, end))
    }
}

/// Operand/operator pairs of a DICT: the integer operands of `charset` (15), `Encoding` (16) and
/// `CharStrings` (17).
fn top_dict(d: &[u8]) -> (Option<usize>, Option<usize>, Option<usize>) {
    let (mut charset, mut enc, mut chars) = (None, None, None);
    let mut operands: Vec<i64> = Vec::new();
    let mut i = 0usize;
    while let Some(&b) = d.get(i) {
        match b {
            0..=21 => {
                let op = if b == 12 {
                    i += 1;
                    1200 + u16::from(d.get(i).copied().unwrap_or(0))
                } else {
                    u16::from(b)
                };
                let last = operands.last().and_then(|v| usize::try_from(*v).ok());
                match op {
                    15 => charset = last,
                    16 => enc = last,
                    17 => chars = last,
                    _ => {}
                }
                operands.clear();
                i += 1;
            }
            28 => {
                let v = i16::from_be_bytes([
                    d.get(i + 1).copied().unwrap_or(0),
                    d.get(i + 2).copied().unwrap_or(0),
                ]);
                operands.push(i64::from(v));
                i += 3;
            }
            29 => {
                let bytes: Vec<u8> = (1..=4)
                    .map(|k| d.get(i + k).copied().unwrap_or(0))
                    .collect();
                operands.push(i64::from(i32::from_be_bytes([
                    bytes[0], bytes[1], bytes[2], bytes[3],
                ])));
                i += 5;
            }
            30 => {
                // Real number: skip nibbles up to the 0xf terminator.
                i += 1;
                while let Some(&n) = d.get(i) {
                    i += 1;
                    if n & 0x0f == 0x0f || n >> 4 == 0x0f {
                        break;
                    }
                }
                operands.push(0);
            }
            32..=246 => {
                operands.push(i64::from(b) - 139);
                i += 1;
            }
            247..=250 => {
                let b1 = i64::from(d.get(i + 1).copied().unwrap_or(0));
                operands.push((i64::from(b) - 247) * 256 + b1 + 108);
                i += 2;
            }
            251..=254 => {
                let b1 = i64::from(d.get(i + 1).copied().unwrap_or(0));
                operands.push(-(i64::from(b) - 251) * 256 - b1 - 108);
                i += 2;
            }
            _ => i += 1,
        }
        if operands.len() > 48 {
            operands.clear();
        }
    }
    (charset, enc, chars)
}

/// Glyph name for a string id: the standard strings 1–149 are StandardEncoding's glyph names in
/// code order; custom strings come from the String INDEX.
fn sid_name(
    r: &Reader,
    strings: &[(usize, usize)],
    standard: &[&'static str],
    sid: u16,
) -> Option<String> {
    let sid = usize::from(sid);
    if sid == 0 {
        return None;
    }
    if sid < 391 {
        return standard.get(sid - 1).map(|s| s.to_string());
    }
    let (a, b) = *strings.get(sid - 391)?;
    r.data
        .get(a..b)
        .map(|s| String::from_utf8_lossy(s).into_owned())
}

/// Read the built-in encoding of a CFF font program. None when it cannot be read.
pub(crate) fn builtin_encoding(data: &[u8]) -> Option<Builtin> {
    let r = Reader { data };
    let hdr = usize::from(r.u8(2)?);
    let (_, after_names) = r.index(hdr)?;
    let (dicts, after_dicts) = r.index(after_names)?;
    let (strings, _) = r.index(after_dicts)?;
    let &(d0, d1) = dicts.first()?;
    let (charset_at, enc_at, chars_at) = top_dict(data.get(d0..d1)?);
    match enc_at.unwrap_or(0) {
        0 => return Some(Builtin::Standard),
        1 => return None, // Expert encoding: not used by text fonts
        _ => {}
    }
    let n_glyphs = r.index(chars_at?)?.0.len();
    let standard: Vec<&'static str> = (0..=255u8)
        .filter_map(|c| encoding::base_glyph_name("StandardEncoding", c))
        .collect();
    // charset: glyph id → SID.
    let mut sids: Vec<u16> = vec![0];
    match charset_at.unwrap_or(0) {
        0 => sids.extend((1..n_glyphs).map(|g| g as u16)),
        1 | 2 => return None,
        at => {
            let format = r.u8(at)?;
            let mut p = at + 1;
            while sids.len() < n_glyphs {
                match format {
                    0 => {
                        sids.push(r.u16(p)?);
                        p += 2;
                    }
                    1 | 2 => {
                        let first = r.u16(p)?;
                        let (left, step) = if format == 1 {
                            (usize::from(r.u8(p + 2)?), 3)
                        } else {
                            (usize::from(r.u16(p + 2)?), 4)
                        };
                        for k in 0..=left {
                            if sids.len() >= n_glyphs {
                                break;
                            }
                            sids.push(first.saturating_add(k as u16));
                        }
                        p += step;
                    }
                    _ => return None,
                }
            }
        }
    }
    // encoding: code → glyph id.
    let at = enc_at?;
    let format = r.u8(at)?;
    let mut codes: Vec<(u8, usize)> = Vec::new();
    let mut p = at + 1;
    match format & 0x7f {
        0 => {
            let n = usize::from(r.u8(p)?);
            for g in 1..=n {
                codes.push((r.u8(p + g)?, g));
            }
            p += 1 + n;
        }
        1 => {
            let n = usize::from(r.u8(p)?);
            let mut g = 1usize;
            for k in 0..n {
                let first = r.u8(p + 1 + 2 * k)?;
                let left = r.u8(p + 2 + 2 * k)?;
                for c in 0..=left {
                    codes.push((first.saturating_add(c), g));
                    g += 1;
                }
            }
            p += 1 + 2 * n;
        }
        _ => return None,
    }
    let mut names: Vec<(u8, String)> = codes
        .into_iter()
        .filter_map(|(code, g)| Some((code, sid_name(&r, &strings, &standard, *sids.get(g)?)?)))
        .collect();
    if format & 0x80 != 0 {
        let n = usize::from(r.u8(p)?);
        for k in 0..n {
            let code = r.u8(p + 1 + 3 * k)?;
            let sid = r.u16(p + 2 + 3 * k)?;
            if let Some(name) = sid_name(&r, &strings, &standard, sid) {
                names.push((code, name));
            }
        }
    }
    Some(Builtin::Names(names))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal CFF: 3 glyphs (.notdef, A, uni3042), custom charset (format 0), custom encoding
    /// (format 0: codes 0x41 and 0x61) plus a supplement mapping 0x62 to "B".
    fn tiny_cff() -> Vec<u8> {
        let mut v = vec![1, 0, 4, 1]; // header
                                      // Name INDEX: one name "T"
        v.extend([0, 1, 1, 1, 2, b'T']);
        // Top DICT INDEX: one dict, filled in below
        let dict_pos = v.len();
        // String INDEX: one string "uni3042" (SID 391)
        // Global subr INDEX: empty
        // charset, encoding, charstrings laid out after; compute offsets after building.
        let strings: Vec<u8> = [vec![0, 1, 1, 1, 8], b"uni3042".to_vec()].concat();
        let gsubrs = vec![0, 0];
        // Top DICT: charset (op 15), Encoding (op 16), CharStrings (op 17) with 2-byte (28) operands.
        let dict_len = 3 * 4;
        let top_index_len = 5 + dict_len;
        let base = dict_pos + top_index_len + strings.len() + gsubrs.len();
        let charset_at = base;
        let charset = vec![0u8, 0, 34, 1, 135]; // format 0: SID 34 (A), SID 391
        let enc_at = charset_at + charset.len();
        let encoding = vec![0x80u8, 2, 0x41, 0x61, 1, 0x62, 0, 35]; // format 0|sup, 2 codes, 1 sup: 0x62 → SID 35 (B)
        let chars_at = enc_at + encoding.len();
        let charstrings = vec![0u8, 3, 1, 1, 2, 3, 4, 14, 14, 14];
        let op = |v: usize, o: u8| vec![28u8, (v >> 8) as u8, (v & 0xff) as u8, o];
        let dict: Vec<u8> = [op(charset_at, 15), op(enc_at, 16), op(chars_at, 17)].concat();
        v.extend([0, 1, 1, 1, (1 + dict.len()) as u8]);
        v.extend(dict);
        v.extend(strings);
        v.extend(gsubrs);
        v.extend(charset);
        v.extend(encoding);
        v.extend(charstrings);
        v
    }

    #[test]
    fn custom_charset_and_encoding() {
        let got = builtin_encoding(&tiny_cff());
        assert_eq!(
            got,
            Some(Builtin::Names(vec![
                (0x41, "A".into()),
                (0x61, "uni3042".into()),
                (0x62, "B".into())
            ]))
        );
    }

    #[test]
    fn garbage_is_none() {
        for data in [&b""[..], b"\x01\x00\x04", &[1, 0, 4, 1, 0, 5, 9, 9, 9]] {
            assert_eq!(builtin_encoding(data), None);
        }
        let mut cff = tiny_cff();
        cff.truncate(cff.len() - 12);
        assert_eq!(builtin_encoding(&cff), None);
    }
}
