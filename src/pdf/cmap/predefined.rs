//! Predefined CMaps by name and CID → Unicode tables of the Adobe character collections.

use super::*;

pub(super) const fn cs1(lo: u8, hi: u8) -> Codespace {
    Codespace::new(1, [lo, 0, 0, 0], [hi, 0, 0, 0])
}
pub(super) const fn cs2(lo: [u8; 2], hi: [u8; 2]) -> Codespace {
    Codespace::new(2, [lo[0], lo[1], 0, 0], [hi[0], hi[1], 0, 0])
}
pub(super) const fn cs4(lo: [u8; 4], hi: [u8; 4]) -> Codespace {
    Codespace::new(4, lo, hi)
}

// Codespaces of the predefined CMaps (from Adobe's CMap resources; the -V maps share the -H
// codespace through `usecmap`).
pub(super) const CS_RKSJ: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0x81, 0x40], [0x9F, 0xFC]),
    cs1(0xA0, 0xDF),
    cs2([0xE0, 0x40], [0xFC, 0xFC]),
];
pub(super) const CS_RKSJ_PV: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0x81, 0x40], [0x9F, 0xFC]),
    cs1(0xA0, 0xDF),
    cs2([0xE0, 0x40], [0xFC, 0xFC]),
    cs1(0xFD, 0xFF),
];
pub(super) const CS_EUC_JP: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0x8E, 0xA0], [0x8E, 0xDF]),
    cs2([0xA1, 0xA1], [0xFE, 0xFE]),
];
pub(super) const CS_JIS: &[Codespace] = &[cs2([0x21, 0x21], [0x7E, 0x7E])];
pub(super) const CS_UCS2: &[Codespace] = &[
    cs2([0x00, 0x00], [0xD7, 0xFF]),
    cs2([0xE0, 0x00], [0xFF, 0xFF]),
];
pub(super) const CS_UTF16: &[Codespace] = &[
    cs2([0x00, 0x00], [0xD7, 0xFF]),
    cs4([0xD8, 0x00, 0xDC, 0x00], [0xDB, 0xFF, 0xDF, 0xFF]),
    cs2([0xE0, 0x00], [0xFF, 0xFF]),
];
pub(super) const CS_IDENTITY: &[Codespace] = &[cs2([0x00, 0x00], [0xFF, 0xFF])];
pub(super) const CS_B5PC: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0xA1, 0x40], [0xFC, 0xFE]),
    cs1(0xFD, 0xFF),
];
pub(super) const CS_CNS_EUC: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs4([0x8E, 0xA1, 0xA1, 0xA1], [0x8E, 0xA1, 0xFE, 0xFE]),
    cs4([0x8E, 0xA2, 0xA1, 0xA1], [0x8E, 0xA2, 0xFE, 0xFE]),
    cs4([0x8E, 0xA3, 0xA1, 0xA1], [0x8E, 0xA3, 0xFE, 0xFE]),
    cs2([0xA1, 0xA1], [0xFE, 0xFE]),
];
pub(super) const CS_ETEN_B5: &[Codespace] = &[cs1(0x00, 0x80), cs2([0xA1, 0x40], [0xFE, 0xFE])];
pub(super) const CS_HKSCS: &[Codespace] = &[cs1(0x00, 0x80), cs2([0x87, 0x40], [0xFE, 0xFE])];
pub(super) const CS_EUC2: &[Codespace] = &[cs1(0x00, 0x80), cs2([0xA1, 0xA1], [0xFE, 0xFE])];
pub(super) const CS_GBK: &[Codespace] = &[cs1(0x00, 0x80), cs2([0x81, 0x40], [0xFE, 0xFE])];
pub(super) const CS_GBK2K: &[Codespace] = &[
    cs1(0x00, 0x7F),
    cs4([0x81, 0x30, 0x81, 0x30], [0xFE, 0x39, 0xFE, 0x39]),
    cs2([0x81, 0x40], [0xFE, 0xFE]),
];
pub(super) const CS_GBPC: &[Codespace] = &[
    cs1(0x00, 0x80),
    cs2([0xA1, 0xA1], [0xFC, 0xFE]),
    cs1(0xFD, 0xFF),
];
pub(super) const CS_UHC: &[Codespace] = &[cs1(0x00, 0x80), cs2([0x81, 0x41], [0xFE, 0xFE])];
pub(super) const CS_KSCPC: &[Codespace] = &[
    cs1(0x00, 0x84),
    cs2([0xA1, 0x41], [0xFD, 0xFE]),
    cs1(0xFE, 0xFF),
];

/// How the codes of a predefined CMap relate to Unicode directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direct {
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
pub(super) static PREDEFINED: &[(&str, &[Codespace], &str, Direct)] = &[
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

// Predefined CMaps

pub(super) fn predefined_index(name: &str) -> Option<usize> {
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

pub(super) fn build_predefined(idx: usize) -> Option<CMap> {
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
pub(super) struct CidTable {
    vals: Vec<u32>,
    multi: Vec<String>,
}

pub(super) const MULTI: u32 = 0x8000_0000;

pub(super) fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

pub(super) fn build_cid_table(name: CMapName<'static>) -> Option<CidTable> {
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

pub(super) fn cid_table(registry: &str, ordering: &str) -> Option<&'static CidTable> {
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
