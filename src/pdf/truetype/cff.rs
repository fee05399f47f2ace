//! CFF font programs: charsets, CID-keyed fonts and their Registry-Ordering.

use super::*;

pub(super) fn parse_cff(data: &[u8]) -> Option<FontProgram> {
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
pub(super) type Ros = (String, String, i32);

/// For a CID-keyed CFF: CID → glyph id table, and the `ROS` from the top DICT.
pub(super) fn cff_cid_data(
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
pub(super) fn cff_index(data: &[u8], offset: usize) -> Option<(Vec<(usize, usize)>, usize)> {
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
pub(super) fn cff_ros(data: &[u8]) -> Option<Ros> {
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
