//! Glyph ids → Unicode from an embedded TrueType/OpenType font's own cmap, for CID fonts without
//! a usable ToUnicode map.

use std::collections::HashMap;

/// Glyph id → Unicode from an embedded TrueType/OpenType font's Unicode cmap subtables.
pub(crate) fn truetype_reverse_cmap(data: &[u8]) -> Option<HashMap<u16, char>> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut map: HashMap<u16, char> = HashMap::new();
    for sub in cmap.subtables {
        if !sub.is_unicode() {
            continue;
        }
        sub.codepoints(|cp| {
            if let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) {
                // Prefer the lowest code point for a glyph shared by several (e.g. U+2F00 radicals vs
                // U+4E00 ideographs): keep CJK unified ideographs over compatibility look-alikes.
                map.entry(g.0)
                    .and_modify(|old| {
                        if prefer(c, *old) {
                            *old = c;
                        }
                    })
                    .or_insert(c);
            }
        });
    }
    (!map.is_empty()).then_some(map)
}

/// Whether `new` is a better reading of a glyph than `old`.
fn prefer(new: char, old: char) -> bool {
    rank(new) < rank(old) || (rank(new) == rank(old) && new < old)
}

fn rank(c: char) -> u8 {
    match c as u32 {
        0x4e00..=0x9fff | 0x3040..=0x30ff | 0x20..=0x7e => 0,
        0x2e80..=0x2fdf | 0xf900..=0xfaff | 0x2f800..=0x2fa1f => 2,
        0xe000..=0xf8ff => 3,
        _ => 1,
    }
}
