//! The font-encoding knowledge the interpreter needs, behind one small interface: simple base
//! encodings and glyph names, predefined CJK CMaps with CID→Unicode, and the reverse cmap of an
//! embedded TrueType font.

use std::collections::HashMap;

use hayro_cmap::{BfString, CMap, CMapName, CidFamily};

/// A simple font's base encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    WinAnsi,
    MacRoman,
    Standard,
    /// No usable base encoding (symbolic fonts): only /Differences and ToUnicode help.
    None,
}

impl BaseEncoding {
    pub fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// Unicode for a code in this encoding.
    pub fn char_for(self, code: u8) -> Option<char> {
        match self {
            BaseEncoding::WinAnsi => single_byte(encoding_rs::WINDOWS_1252, code),
            BaseEncoding::MacRoman => single_byte(encoding_rs::MACINTOSH, code),
            BaseEncoding::Standard => match code {
                0x27 => Some('\u{2019}'),
                0x60 => Some('\u{2018}'),
                0x20..=0x7e => Some(char::from(code)),
                _ => None,
            },
            BaseEncoding::None => None,
        }
    }
}

fn single_byte(enc: &'static encoding_rs::Encoding, code: u8) -> Option<char> {
    if code < 0x20 {
        return None;
    }
    let bytes = [code];
    let (s, had_errors) = enc.decode_without_bom_handling(&bytes);
    if had_errors {
        return None;
    }
    s.chars().next().filter(|c| !c.is_control())
}

/// Unicode for a glyph name (`A`, `space`, `uni3042`, `u20B9F`, `g123` → None).
pub(crate) fn glyph_name_to_unicode(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if let Some(hex) = base.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let units: Vec<u16> = (0..hex.len() / 4)
                .filter_map(|i| hex.get(i * 4..i * 4 + 4))
                .filter_map(|h| u16::from_str_radix(h, 16).ok())
                .collect();
            let s: String = char::decode_utf16(units).filter_map(|c| c.ok()).collect();
            return (!s.is_empty()).then_some(s);
        }
    }
    if let Some(hex) = base.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from);
        }
    }
    let mut chars = base.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_ascii_alphabetic() {
            return Some(c.to_string());
        }
    }
    let c = match base {
        "space" | "nbspace" => ' ',
        "exclam" => '!',
        "quotedbl" => '"',
        "numbersign" => '#',
        "dollar" => '$',
        "percent" => '%',
        "ampersand" => '&',
        "quotesingle" => '\'',
        "quoteright" => '\u{2019}',
        "quoteleft" => '\u{2018}',
        "quotedblleft" => '\u{201c}',
        "quotedblright" => '\u{201d}',
        "parenleft" => '(',
        "parenright" => ')',
        "asterisk" => '*',
        "plus" => '+',
        "comma" => ',',
        "hyphen" | "minus" => '-',
        "endash" => '\u{2013}',
        "emdash" => '\u{2014}',
        "period" => '.',
        "slash" => '/',
        "zero" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        "colon" => ':',
        "semicolon" => ';',
        "less" => '<',
        "equal" => '=',
        "greater" => '>',
        "question" => '?',
        "at" => '@',
        "bracketleft" => '[',
        "backslash" => '\\',
        "bracketright" => ']',
        "asciicircum" => '^',
        "underscore" => '_',
        "grave" => '`',
        "braceleft" => '{',
        "bar" => '|',
        "braceright" => '}',
        "asciitilde" => '~',
        "bullet" => '\u{2022}',
        "periodcentered" => '\u{b7}',
        "fi" => return Some("fi".into()),
        "fl" => return Some("fl".into()),
        _ => return None,
    };
    Some(c.to_string())
}

/// A predefined CMap (by name), for Type0 fonts whose /Encoding is a name other than Identity.
pub(crate) struct Predefined {
    cmap: CMap,
    /// Codes are Unicode (UCS-2 / UTF-16) themselves: `Uni*-UCS2-*`, `Uni*-UTF16-*`.
    pub unicode_codes: bool,
    pub vertical: bool,
    pub family: Option<CidFamily>,
}

impl Predefined {
    pub fn load(name: &[u8]) -> Option<Self> {
        let data = hayro_cmap::load_embedded(CMapName::from_bytes(name))?;
        let cmap = CMap::parse(data, hayro_cmap::load_embedded)?;
        let meta = cmap.metadata();
        let vertical = matches!(meta.writing_mode, Some(hayro_cmap::WritingMode::Vertical))
            || name.ends_with(b"-V");
        let family = meta.character_collection.as_ref().map(|c| c.family.clone());
        let unicode_codes =
            name.starts_with(b"Uni") && (contains(name, b"UCS2") || contains(name, b"UTF16"));
        Some(Predefined {
            cmap,
            unicode_codes,
            vertical,
            family,
        })
    }

    /// Split the next code: the shortest byte length the CMap maps.
    pub fn next_code(&self, bytes: &[u8]) -> Option<(u32, usize)> {
        if bytes.is_empty() {
            return None;
        }
        for len in 1..=4usize {
            let Some(head) = bytes.get(..len) else { break };
            let code = head.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
            if self.cmap.lookup_cid_code(code, len as u8).is_some() {
                return Some((code, len));
            }
        }
        // Unmapped: UCS-2 maps are two bytes wide; Shift_JIS lead bytes take two.
        let first = *bytes.first()?;
        let len = if self.unicode_codes || matches!(first, 0x81..=0x9f | 0xe0..=0xfc) {
            2
        } else {
            1
        };
        let len = len.min(bytes.len());
        let code = bytes
            .get(..len)?
            .iter()
            .fold(0u32, |a, b| (a << 8) | u32::from(*b));
        Some((code, len))
    }

    pub fn cid(&self, code: u32, len: usize) -> Option<u32> {
        self.cmap.lookup_cid_code(code, u8::try_from(len).ok()?)
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// CID → Unicode tables of the character collections, loaded once per document.
#[derive(Default)]
pub(crate) struct CollectionMaps {
    japan1: Option<Option<CMap>>,
}

impl CollectionMaps {
    /// Unicode for a CID of a character collection (Adobe-Japan1 only).
    pub fn cid_to_unicode(&mut self, family: &CidFamily, cid: u32, out: &mut String) -> bool {
        if *family != CidFamily::AdobeJapan1 {
            return false;
        }
        let map = self.japan1.get_or_insert_with(|| {
            CidFamily::AdobeJapan1
                .ucs2_cmap()
                .and_then(hayro_cmap::load_embedded)
                .and_then(|d| CMap::parse(d, hayro_cmap::load_embedded))
        });
        let Some(map) = map else { return false };
        match map.lookup_bf_string(cid) {
            Some(BfString::Char(c)) => {
                out.push(c);
                true
            }
            Some(BfString::String(s)) => {
                out.push_str(&s);
                true
            }
            None => false,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"A", Some("A")),
            (b"space", Some(" ")),
            (b"uni3042", Some("あ")),
            (b"uni30423044", Some("あい")),
            (b"u20B9F", Some("𠮟")),
            (b"one.sc", Some("1")),
            (b"g123", None),
            (b"", None),
        ];
        for (name, want) in cases {
            assert_eq!(
                glyph_name_to_unicode(name).as_deref(),
                *want,
                "{}",
                String::from_utf8_lossy(name)
            );
        }
    }

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.char_for(0x41), Some('A'));
        assert_eq!(BaseEncoding::WinAnsi.char_for(0x93), Some('\u{201c}'));
        assert_eq!(BaseEncoding::MacRoman.char_for(0xd2), Some('\u{201c}'));
        assert_eq!(BaseEncoding::Standard.char_for(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::WinAnsi.char_for(0x07), None);
    }

    #[test]
    fn predefined_rksj_and_japan1() {
        let p = Predefined::load(b"90ms-RKSJ-H").expect("bundled CMap");
        assert!(!p.unicode_codes && !p.vertical);
        // "あA" in Shift_JIS
        let bytes = [0x82u8, 0xa0, 0x41];
        let (c1, l1) = p.next_code(&bytes).expect("code");
        assert_eq!((c1, l1), (0x82a0, 2));
        let (c2, l2) = p.next_code(&bytes[2..]).expect("code");
        assert_eq!((c2, l2), (0x41, 1));
        let mut maps = CollectionMaps::default();
        let mut s = String::new();
        for (code, len) in [(c1, l1), (c2, l2)] {
            let cid = p.cid(code, len).expect("cid");
            assert!(maps.cid_to_unicode(&CidFamily::AdobeJapan1, cid, &mut s));
        }
        assert_eq!(s, "あA");
    }
}
